/*
 * The vnode pager: a regular file's VM object is its page cache.
 *
 * getpages reads the file-system blocks behind a run of pages (found
 * through the file system's bmap), zero-filling holes and everything past
 * the end of the file; putpages writes pages' blocks back, allocating them
 * for pages first dirtied through a mapping.  Blocks adjacent on disk go
 * out in one request (struct io_run), whichever pages they belong to, so
 * the fault's read cluster (vm_fault.c) costs one request per disk run.  read() and write() use the same
 * pages through vnode_pager_grab(), so a change through either path is
 * seen at once through the other.
 *
 * Lifetime: the object lives as long as its vnode stays cached, even with
 * no references (the pager is persistent), so file pages stay cached
 * after close.  Each object reference holds a vnode reference (hold/drop),
 * so a mapped file's vnode cannot be reclaimed under the mapping.
 *
 * Locking: getpages runs with the object unlocked and the pages busy;
 * putpages with the object locked (see vm_pager.h).  Both take the file
 * system's block-map lock (through bmap) and sleep for the I/O.  Never
 * takes a vnode's v_lock, which a read() or write() may hold while it
 * faults on this very object.
 */
#include "dev/blk.h"
#include "kern/clock.h"
#include "fs/vnode.h"
#include "vm/pmap.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/swap_pager.h"
#include "vm/vm_page.h"
#include "vm/vnode_pager.h"

static struct vnode *
object_vnode(struct vm_object *object)
{
	return object->handle;
}

static bool
vnode_pager_haspage(struct vm_object *object, vm_pindex_t pindex)
{
	return ptoa(pindex) < object_vnode(object)->v_size;
}

/*
 * A disk transfer being gathered: segments for consecutive sectors from
 * `sector` on, which go out as one request (blk_iov) when the next block
 * does not follow on disk or the segments run out.
 */
struct io_run {
	struct blkdev *dev;
	int op;
	uint64_t sector;		/* of the first segment */
	uint64_t next_sector;		/* the one after the last */
	struct blk_seg segs[BLK_MAX_SEGS];
	int nsegs;
	int requests;			/* sent so far */
};

static int
io_run_flush(struct io_run *run)
{
	int error;

	if (run->nsegs == 0)
		return 0;
	error = blk_iov(run->dev, run->op, run->sector, run->segs, run->nsegs);
	run->nsegs = 0;
	run->requests++;
	return error;
}

/* Add len bytes at buf for the disk from sector on to the transfer. */
static int
io_run_add(struct io_run *run, uint64_t sector, void *buf, size_t len)
{
	int error = 0;

	if (run->nsegs > 0 && (sector != run->next_sector ||
	    run->nsegs == BLK_MAX_SEGS))
		error = io_run_flush(run);
	if (run->nsegs == 0)
		run->sector = sector;
	run->segs[run->nsegs++] = (struct blk_seg){ buf, len };
	run->next_sector = sector + len / BLK_SECTOR_SIZE;
	return error;
}

/*
 * Queue the file blocks behind page m of vp on run, one block (or a run
 * of physically adjacent blocks) a segment.  For a read, holes and the
 * part past EOF are zeroed here.  For a write, missing blocks are
 * allocated and nothing past EOF is written.
 */
static int
vnode_pager_page_io(struct vnode *vp, struct vm_page *m, struct io_run *run)
{
	struct mount *mp = vp->v_mount;
	uint32_t bsize = mp->mnt_bsize, per_page = PAGE_SIZE / bsize;
	uint8_t *data = (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	uint64_t first = ptoa(m->pindex) / bsize, size = vp->v_size;
	bool write = run->op == BLK_WRITE;
	int error = 0;

	for (uint32_t i = 0; i < per_page && error == 0;) {
		uint64_t off = (first + i) * bsize, pblk;
		uint32_t n = 1;

		if (off >= size) {
			if (!write)
				memset(data + i * bsize, 0, (per_page - i) * bsize);
			break;
		}
		error = vp->v_ops->bmap(vp, first + i, write, &pblk);
		if (error != 0)
			break;
		if (pblk == 0) {
			memset(data + i * bsize, 0, bsize);
			i++;
			continue;
		}
		/* Extend the segment over blocks that follow on disk. */
		while (i + n < per_page && (first + i + n) * bsize < size) {
			uint64_t next;

			if (vp->v_ops->bmap(vp, first + i + n, write, &next) != 0 ||
			    next != pblk + n)
				break;
			n++;
		}
		error = io_run_add(run, pblk * (bsize / BLK_SECTOR_SIZE),
		    data + i * bsize, n * bsize);
		i += n;
	}
	if (error == 0 && !write && ptoa(m->pindex) + PAGE_SIZE > size &&
	    ptoa(m->pindex) < size)
		memset(data + (size - ptoa(m->pindex)), 0,
		    ptoa(m->pindex) + PAGE_SIZE - size);
	return error;
}

/*
 * Read (op BLK_READ) or write the blocks behind pages ma[0..n) of vp, in
 * as few requests as their places on disk allow: blocks that follow each
 * other on disk go out together, up to BLK_MAX_SEGS segments a request,
 * whichever pages they belong to.  Returns 0 or an error (the pages'
 * contents are then undefined); *requests counts the requests sent.
 */
static int
vnode_pager_io(struct vnode *vp, struct vm_page **ma, int n, int op,
    int *requests)
{
	struct io_run run = { .dev = vp->v_mount->mnt_dev, .op = op };
	int error = 0;

	for (int i = 0; i < n && error == 0; i++)
		error = vnode_pager_page_io(vp, ma[i], &run);
	if (error == 0)
		error = io_run_flush(&run);
	*requests = run.requests;
	return error;
}

/*
 * Fill busy pages ma[0..n) of the file's object, consecutive and in
 * pindex order (ma[0] the lowest), with one disk read per run of
 * adjacent blocks.  KERN_OUT_OF_BOUNDS if one lies past EOF.
 */
static int
vnode_pager_getpages(struct vm_object *object, struct vm_page **ma, int n)
{
	struct vnode *vp = object_vnode(object);
	int error, requests;

	if (ptoa(ma[n - 1]->pindex) >= vp->v_size)
		return KERN_OUT_OF_BOUNDS;
	error = vnode_pager_io(vp, ma, n, BLK_READ, &requests);
	if (error != 0) {
		kprintf("vnode_pager: read of inode %lu pages %lu-%lu failed "
		    "(%d)\n", vp->v_ino, ma[0]->pindex, ma[n - 1]->pindex, error);
		return KERN_FAILURE;
	}
	VM_CNT_ADD(v_vnodein, (uint64_t)requests);
	VM_CNT_ADD(v_vnodepgsin, (uint64_t)n);
	return KERN_SUCCESS;
}

/*
 * Write busy dirty pages ma[0..n) back (in any order), one disk write per
 * run of adjacent blocks; pages past EOF have nothing to keep.
 */
static int
vnode_pager_putpages(struct vm_object *object, struct vm_page **ma, int n)
{
	struct vnode *vp = object_vnode(object);
	int error, requests, kept = 0;

	for (int i = 0; i < n; i++)
		kept += ptoa(ma[i]->pindex) < vp->v_size;
	error = vnode_pager_io(vp, ma, n, BLK_WRITE, &requests);
	if (error != 0) {
		kprintf("vnode_pager: write of inode %lu pages from %lu failed "
		    "(%d)\n", vp->v_ino, ma[0]->pindex, error);
		return KERN_FAILURE;
	}
	VM_CNT_ADD(v_vnodeout, (uint64_t)requests);
	VM_CNT_ADD(v_vnodepgsout, (uint64_t)kept);
	return KERN_SUCCESS;
}

static void
vnode_pager_dealloc(struct vm_object *object)
{
	object_vnode(object)->v_object = NULL;
}

static void
vnode_pager_hold(struct vm_object *object)
{
	vref(object_vnode(object));
}

static void
vnode_pager_drop(struct vm_object *object)
{
	vrele(object_vnode(object));
}

/*
 * vp's data changed (a write, or stores through a shared mapping): its
 * modification and change times become now, as Linux's file_update_time.
 * A file system that cannot set times (or a read-only one) keeps them.
 * v_lock not held: taken here.
 */
void
vnode_pager_file_modified(struct vnode *vp)
{
	uint64_t ns = clock_realtime_ns();
	struct timespec64 now = {
		(int64_t)(ns / 1000000000UL), (int64_t)(ns % 1000000000UL)
	};

	if (vp->v_ops->settimes == NULL)
		return;
	sx_xlock(&vp->v_lock);
	(void)vp->v_ops->settimes(vp, NULL, &now);
	sx_xunlock(&vp->v_lock);
}

/* vm_pager.h's mark_modified.  No lock held. */
static void
vnode_pager_mark_modified(struct vm_object *object)
{
	vnode_pager_file_modified(object_vnode(object));
}

static const struct vm_pager_ops vnode_pager_ops = {
	.name = "vnode",
	.getpages = vnode_pager_getpages,
	.putpages = vnode_pager_putpages,
	.haspage = vnode_pager_haspage,
	.dealloc = vnode_pager_dealloc,
	.mark_modified = vnode_pager_mark_modified,
	.hold = vnode_pager_hold,
	.drop = vnode_pager_drop,
	.persistent = true,
	.cluster = true,
};

/*
 * The page cache object of regular file vp, created on first use with no
 * references.  Caller holds vp's v_lock.  NULL if memory is exhausted.
 */
struct vm_object *
vnode_pager_alloc(struct vnode *vp)
{
	struct vm_object *object = vp->v_object;

	if (object != NULL)
		return object;
	object = vm_object_allocate(OBJT_VNODE, atop(round_page(vp->v_size)));
	if (object == NULL)
		return NULL;
	object->ref_count = 0;
	object->handle = vp;
	object->pager = &vnode_pager_ops;
	vp->v_object = object;
	return object;
}

/*
 * The vnode is leaving the cache: write back dirty pages (unless the file
 * is deleted) and destroy the object.  Nothing references it any more.
 */
void
vnode_pager_destroy(struct vnode *vp, bool writeback)
{
	struct vm_object *object = vp->v_object;

	/* Another file system's object (tmpfs's) belongs to its inode. */
	if (object == NULL || object->pager != &vnode_pager_ops)
		return;
	if (writeback)
		vm_object_page_clean(object, 0, object->size + 1);
	vm_object_destroy(object);
}

/*
 * The file's size changed (vp's v_lock held).  Shrinking drops the
 * cached pages wholly past the new end, unmapping them, and zeroes the
 * tail of the new last page, so that no mapping or later extension can
 * see old data past EOF.
 */
void
vnode_pager_setsize(struct vnode *vp, uint64_t size)
{
	struct vm_object *object = vp->v_object;
	struct vm_page *m;

	if (object == NULL)
		return;
	vm_object_lock(object);
	if (size < vp->v_size) {
		vm_object_page_remove(object, atop(round_page(size)),
		    object->size + 1);
		/* A new last page being read in: let the read land first. */
		while (size % PAGE_SIZE != 0 &&
		    (m = vm_page_lookup(object, atop(size))) != NULL &&
		    vm_page_sleep_if_busy(m, "vnsetsz"))
			vm_object_lock(object);
		if (size % PAGE_SIZE != 0 && m != NULL) {
			memset((uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) +
			    size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
			vm_page_aflag_set(m, PGA_DIRTY);
		}
	}
	object->size = atop(round_page(size));
	vm_object_unlock(object);
}

/*
 * Page pindex of a file's object, read in if needed, held (not busy) so
 * it stays while the caller copies to or from it without the object lock
 * (the copy may fault, even on this object).  With fill false, a page
 * absent from the cache is made zero-filled instead of read (the caller
 * overwrites it, or it lies past EOF).  Read in means from swap for a
 * page of an anonymous file object (tmpfs) that has a copy there, else
 * through the object's pager.  Waits while memory is short.
 * Returns NULL with *error set: EIO, or EINTR if a signal came while it
 * waited for memory.  The caller keeps the file open (the object alive).
 */
struct vm_page *
vnode_pager_grab(struct vm_object *object, vm_pindex_t pindex, bool fill,
    int *error)
{
	struct vm_page *m;

	vm_object_lock(object);
	for (;;) {
		m = vm_page_lookup(object, pindex);
		if (m != NULL) {
			if (vm_page_sleep_if_busy(m, "vngrab")) {
				vm_object_lock(object);
				continue;
			}
			break;
		}
		m = vm_page_alloc(object, pindex, fill ? 0 : VM_ALLOC_ZERO);
		if (m != NULL)
			break;
		/* No page free: wait for the page daemon, then look again. */
		vm_object_unlock(object);
		if (vm_wait(true) != 0) {
			*error = EINTR;
			return NULL;
		}
		vm_object_lock(object);
	}
	if (!(m->flags & PG_VALID)) {
		/* Ours and busy: read it with the lock dropped. */
		if (fill) {
			bool from_swap = object->swap_pages != 0 &&
			    swap_pager_haspage(object, pindex);
			int rv;

			vm_object_unlock(object);
			rv = from_swap ? swap_pager_getpage(object, m) :
			    object->pager->getpages(object, &m, 1);
			vm_object_lock(object);
			if (rv != KERN_SUCCESS) {
				vm_page_free(m);
				vm_object_unlock(object);
				*error = EIO;
				return NULL;
			}
		}
		m->flags |= PG_VALID;
		vm_page_wakeup(m);
	}
	vm_page_aflag_set(m, PGA_REFERENCED);
	vm_page_hold(m);
	vm_object_unlock(object);
	return m;
}

/*
 * Done copying: drop the hold, marking the page dirty if it was written
 * (a copy on swap is stale then, and its slot freed, as a write fault
 * frees it).
 */
void
vnode_pager_release(struct vm_page *m, bool dirtied)
{
	struct vm_object *object = m->object;

	vm_object_lock(object);
	if (dirtied)
		vm_page_aflag_set(m, PGA_DIRTY);
	if (dirtied && object->swap_pages != 0)
		swap_pager_freespace(object, m->pindex, m->pindex + 1);
	vm_page_unhold(m);
	vm_object_unlock(object);
}
