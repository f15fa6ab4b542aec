/*
 * File I/O through the page cache, and the path-level operations system
 * calls (and the in-kernel tests) use.
 *
 * vn_read and vn_write move data page by page between the caller's buffer
 * and the file's VM object, the same pages mmap maps.  They never hold the
 * vnode lock while copying, because the copy may fault on a mapping of
 * this very file; a held page cannot be freed meanwhile.
 */
#include "fs/vnode.h"
#include "kern/clock.h"
#include "kern/uaccess.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vnode_pager.h"

/* Advance uio past n bytes of its current piece, to the next if it ends. */
static void
uio_advance(struct uio *uio, size_t n)
{
	uio->uio_base = (char *)uio->uio_base + n;
	uio->uio_resid -= n;
	uio->uio_offset += n;
	if (uio->uio_segs == NULL)
		return;
	uio->uio_seglen -= n;
	while (uio->uio_seglen == 0 && uio->uio_resid > 0) {
		uio->uio_base = (void *)uio->uio_segs->base;
		uio->uio_seglen = uio->uio_segs->len;
		uio->uio_segs++;
	}
}

/*
 * Copy n bytes (at most uio_resid) between kaddr and the uio's buffer, out
 * to the buffer if to_uio, else in from it, and advance the uio past what
 * was copied.  A user buffer is copied up to its first address that cannot
 * be accessed: then the uio stops there and the result is EFAULT.
 */
int
uio_copy(void *kaddr, size_t n, struct uio *uio, bool to_uio)
{
	n = MIN(n, uio->uio_resid);
	while (n > 0) {
		size_t piece = uio->uio_segs != NULL ? MIN(n, uio->uio_seglen) : n;
		size_t done = piece;

		if (!uio->uio_user && to_uio)
			memcpy(uio->uio_base, kaddr, piece);
		else if (!uio->uio_user)
			memcpy(kaddr, uio->uio_base, piece);
		else if (to_uio)
			done = copyout_prefix(kaddr, uio->uio_base, piece);
		else
			done = copyin_prefix(uio->uio_base, kaddr, piece);
		uio_advance(uio, done);
		if (done < piece)
			return EFAULT;
		kaddr = (char *)kaddr + done;
		n -= done;
	}
	return 0;
}

int
uiomove(void *kaddr, size_t n, struct uio *uio)
{
	return uio_copy(kaddr, n, uio, true);
}

/* The page cache object of a regular file (created on first use). */
struct vm_object *
vn_object(struct vnode *vp)
{
	struct vm_object *object;

	if (vp->v_type != VREG)
		return NULL;
	sx_xlock(&vp->v_lock);
	object = vnode_pager_alloc(vp);
	sx_xunlock(&vp->v_lock);
	return object;
}

static void *
page_data(struct vm_page *m)
{
	return (void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
}

/*
 * Read from regular file vp at uio_offset.  Stops at end of file.
 * Returns 0 (a short count shows in uio_resid) or an errno.
 */
int
vn_read(struct vnode *vp, struct uio *uio)
{
	struct vm_object *object;

	if (vp->v_type == VDIR)
		return EISDIR;
	object = vn_object(vp);
	if (object == NULL)
		return vp->v_type == VREG ? ENOMEM : EINVAL;
	while (uio->uio_resid > 0 && uio->uio_offset < vp->v_size) {
		uint64_t off = uio->uio_offset;
		size_t pgoff = off % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - pgoff, vp->v_size - off);
		struct vm_page *m;
		int error;

		m = vnode_pager_grab(object, atop(off), true, &error);
		if (m == NULL)
			return error;
		error = uiomove((char *)page_data(m) + pgoff, n, uio);
		vnode_pager_release(m, false);
		if (error != 0)
			return error;
	}
	return 0;
}

/*
 * After a write of n bytes at off of which only `copied` arrived (a fault
 * in the caller's buffer, or no block for them): make the file cover what
 * arrived, and free any block allocated for the rest past its end (a
 * file system's setsize frees the blocks past a size not above the
 * current one).  v_lock held.
 */
static int
write_settle(struct vnode *vp, uint64_t off, size_t n, size_t copied)
{
	uint64_t end = copied > 0 ? MAX(vp->v_size, off + copied) : vp->v_size;
	int error = 0;

	if (end > vp->v_size)
		error = vp->v_ops->setsize(vp, end);
	if (error == 0 && copied < n && off + n > end)
		error = vp->v_ops->setsize(vp, end);
	if (vp->v_object != NULL)
		vp->v_object->size = atop(round_page(vp->v_size));
	return error;
}

/* vn_write's loop: uio_resid bytes from uio_offset, page by page. */
static int
vn_write_pages(struct vnode *vp, struct vm_object *object, struct uio *uio)
{
	struct mount *mp = vp->v_mount;

	while (uio->uio_resid > 0) {
		uint64_t off = uio->uio_offset, size = vp->v_size;
		size_t pgoff = off % PAGE_SIZE, n = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
		size_t resid = uio->uio_resid, copied = 0;
		struct vm_page *m;
		uint64_t pblk;
		int error, settled;

		/* A page holding file data is read in even if this chunk covers
		 * it: the copy may fall short and must not leave zeros there. */
		m = vnode_pager_grab(object, atop(off), off - pgoff < size, &error);
		if (m == NULL)
			return error;
		error = 0;
		sx_xlock(&vp->v_lock);
		for (uint64_t b = off / mp->mnt_bsize;
		    error == 0 && b <= (off + n - 1) / mp->mnt_bsize; b++)
			error = vp->v_ops->bmap(vp, b, true, &pblk);
		sx_xunlock(&vp->v_lock);
		if (error == 0) {
			error = uio_copy((char *)page_data(m) + pgoff, n, uio, false);
			copied = resid - uio->uio_resid;
		}
		sx_xlock(&vp->v_lock);
		settled = write_settle(vp, off, n, copied);
		sx_xunlock(&vp->v_lock);
		vnode_pager_release(m, copied > 0);
		if (error == 0)
			error = settled;
		if (error != 0)
			return error;
	}
	return 0;
}

/*
 * Write to regular file vp at uio_offset (at its end if append), growing
 * it as needed.  Blocks are allocated before the data is copied, so a full
 * disk is ENOSPC here rather than a lost write later; the file grows only
 * by the bytes that arrived.  As on Linux, a write is cut short at the
 * file system's largest file size, and one starting there is EFBIG (no
 * SIGXFSZ: that is for RLIMIT_FSIZE).  A write of any bytes sets the
 * file's mtime and ctime first, as Linux's file_modified does, overwriting
 * or not.  Returns 0 or an errno; bytes written before an error (a fault
 * in the buffer is EFAULT) stay written.
 */
int
vn_write(struct vnode *vp, struct uio *uio, bool append)
{
	struct vm_object *object;
	struct mount *mp = vp->v_mount;
	size_t beyond;
	int error;

	if (vp->v_type != VREG)
		return vp->v_type == VDIR ? EISDIR : EINVAL;
	if (mp->mnt_rdonly)
		return EROFS;
	object = vn_object(vp);
	if (object == NULL)
		return ENOMEM;
	if (append)
		uio->uio_offset = vp->v_size;
	if (uio->uio_resid > 0 && uio->uio_offset >= mp->mnt_maxsize)
		return EFBIG;
	if (uio->uio_resid > 0 && (error = vn_drop_privs(vp)) != 0)
		return error;
	if (uio->uio_resid > 0)
		vnode_pager_file_modified(vp);
	beyond = uio->uio_resid - MIN(uio->uio_resid,
	    mp->mnt_maxsize - uio->uio_offset);
	uio->uio_resid -= beyond;
	error = vn_write_pages(vp, object, uio);
	uio->uio_resid += beyond;	/* not written: the count stays short */
	return error;
}

/*
 * vn_allocate's work on one page: give each block of [off, off + n) (all
 * in one page) a disk block, and with grow make the file reach off + n.
 * A block that was a hole reads as zeros in the page, and the page is
 * dirtied so that those zeros, not whatever the new block held before,
 * reach the disk.  On failure the file does not grow and blocks allocated
 * past its end are freed again (write_settle), as after a failed write.
 */
static int
allocate_page(struct vnode *vp, struct vm_object *object, uint64_t off,
    size_t n, bool grow)
{
	uint32_t bsize = vp->v_mount->mnt_bsize;
	struct vm_page *m;
	uint64_t pblk;
	bool filled = false;
	int error, settled;

	m = vnode_pager_grab(object, atop(off), trunc_page(off) < vp->v_size,
	    &error);
	if (m == NULL)
		return error;
	error = 0;
	sx_xlock(&vp->v_lock);
	for (uint64_t b = off / bsize; error == 0 && b <= (off + n - 1) / bsize;
	    b++) {
		error = vp->v_ops->bmap(vp, b, false, &pblk);
		if (error == 0 && pblk == 0) {
			filled = true;
			error = vp->v_ops->bmap(vp, b, true, &pblk);
		}
	}
	settled = write_settle(vp, off, n, error == 0 && grow ? n : 0);
	sx_xunlock(&vp->v_lock);
	vnode_pager_release(m, filled);
	return error != 0 ? error : settled;
}

/* ENOSPC unless the free blocks could hold file bytes [from, to), which
 * lie past vp's end (and so have no blocks yet). */
static int
allocate_room(struct vnode *vp, uint64_t from, uint64_t to)
{
	struct mount *mp = vp->v_mount;
	struct statfs_info si;
	int error = mp->mnt_ops->statfs(mp, &si);

	if (error != 0)
		return error;
	return (to + si.bsize - 1) / si.bsize - (from + si.bsize - 1) / si.bsize >
	    si.bfree ? ENOSPC : 0;
}

/*
 * fallocate on regular file vp: every block of [off, off + len) gets a
 * disk block, keeping the data there, and without keep_size the file
 * grows to off + len if shorter.  The part past the file's end must fit
 * in the free blocks before anything is allocated (ENOSPC, as Linux's
 * ext4, rather than filling the disk first).  With keep_size that part is
 * not allocated: ext2 cannot mark blocks past i_size as allocated but
 * unwritten (ext4's unwritten extents; e2fsck would grow the file over
 * them), so only the holes below the end are filled.  The caller checked
 * off + len against the largest file.  Returns 0 or an errno; blocks
 * allocated before an error stay, and the file covers them.
 */
int
vn_allocate(struct vnode *vp, uint64_t off, uint64_t len, bool keep_size)
{
	struct vm_object *object;
	uint64_t end = off + len, size = vp->v_size, stop;
	int error = 0;

	KASSERT(vp->v_type == VREG, "vnode type %d", vp->v_type);
	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	object = vn_object(vp);
	if (object == NULL)
		return ENOMEM;
	if (end > size && (error = allocate_room(vp, MAX(off, size), end)) != 0)
		return error;
	stop = keep_size ? MIN(end, size) : end;
	while (error == 0 && off < stop) {
		size_t n = MIN(PAGE_SIZE - off % PAGE_SIZE, stop - off);

		error = allocate_page(vp, object, off, n, !keep_size);
		off += n;
	}
	return error;
}

/*
 * Set the size of regular file vp for the current process (truncate,
 * ftruncate, O_TRUNC), whose permission to write it was checked.
 * Cached pages past the new end are dropped (and unmapped) first, and
 * the new last page's tail is zeroed.  Growing past the file system's
 * largest file size is EFBIG.  Without root the file loses its set-ID
 * bits as on a write (vn_drop_privs_locked), whatever the size.
 */
int
vn_truncate(struct vnode *vp, uint64_t size)
{
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&vp->v_lock);
	if (size > vp->v_size && size > vp->v_mount->mnt_maxsize) {
		sx_xunlock(&vp->v_lock);
		return EFBIG;
	}
	error = vn_drop_privs_locked(vp);
	if (error == 0) {
		vnode_pager_setsize(vp, size);
		error = vp->v_ops->setsize(vp, size);
	}
	sx_xunlock(&vp->v_lock);
	return error;
}

/* Write vp's dirty pages and inode to disk and flush the device. */
int
vn_fsync(struct vnode *vp)
{
	int error = 0, e;

	if (vp->v_mount->mnt_rdonly)
		return 0;
	if (vp->v_object != NULL)
		error = vm_object_page_clean(vp->v_object, 0, vp->v_object->size + 1);
	sx_xlock(&vp->v_lock);
	e = vp->v_ops->fsync_meta != NULL ? vp->v_ops->fsync_meta(vp) : 0;
	sx_xunlock(&vp->v_lock);
	if (error == 0)
		error = e;
	e = vfs_sync(vp->v_mount);
	return error != 0 ? error : e;
}

/* The time now, as file times take it (the real-time clock). */
struct timespec64
vfs_now(void)
{
	return timespec64_of(clock_realtime_ns());
}

/* vp's attributes; st_dev is its mount's, whatever the file system says. */
int
vn_getattr(struct vnode *vp, struct vattr *va)
{
	int error;

	sx_xlock(&vp->v_lock);
	error = vp->v_ops->getattr(vp, va);
	sx_xunlock(&vp->v_lock);
	va->va_dev = vp->v_mount->mnt_devno;
	return error;
}
