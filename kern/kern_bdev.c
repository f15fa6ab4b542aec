/*
 * Block device nodes: /dev/vda and its kind, opened as files that read
 * and write the disk itself, at any offset and length.  Opening a VBLK
 * vnode (sys_openat) calls bdev_open, which finds the disk by Linux's
 * virtio-blk numbers: major 254, minor 16 per disk (vda 254:0, vdb
 * 254:16); a partition's minor, or a disk that is not there, is ENXIO.
 *
 * The I/O is uncached, as a FreeBSD disk device's: every read goes to the
 * disk, through a bounce buffer of up to BDEV_CHUNK_PAGES pages sent as
 * one request of page segments; a write that covers a sector in part
 * reads that sector first.  A mounted file system's blocks still dirty in
 * the buffer cache are not seen until written back (sync).
 *
 * To keep a mounted file system or swap area from being corrupted, a
 * disk with a holder (blkdev_hold: a mount, swap) cannot be opened for
 * writing (EBUSY), nor with O_EXCL at all; and a disk open for writing
 * cannot be mounted or swapped on.  Linux allows writes beside a mount;
 * we refuse them, as FreeBSD's GEOM does.
 */
#include "dev/blk.h"
#include "fs/vnode.h"
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kernel.h"
#include "kern/uaccess.h"

#define VIRTBLK_MAJOR		254
#define VIRTBLK_MINORS		16	/* minors per disk (partitions) */
#define BDEV_CHUNK_PAGES	BLK_MAX_SEGS

/* Linux's block ioctls (include/uapi/linux/fs.h). */
#define BLKROGET	0x125e		/* int: read-only? */
#define BLKGETSIZE	0x1260		/* unsigned long: 512-byte sectors */
#define BLKFLSBUF	0x1261		/* flush the device's write cache */
#define BLKSSZGET	0x1268		/* int: logical sector size */
#define BLKPBSZGET	0x127b		/* unsigned int: physical sector size */
#define BLKGETSIZE64	0x80081272	/* uint64_t: bytes */

static uint64_t
bdev_size(const struct blkdev *bd)
{
	return bd->nsectors * BLK_SECTOR_SIZE;
}

/* A bounce buffer: up to BDEV_CHUNK_PAGES pages, each its own segment. */
struct bounce {
	struct blk_seg segs[BDEV_CHUNK_PAGES];
	int nsegs;
};

static void
bounce_free(struct bounce *b)
{
	for (int i = 0; i < b->nsegs; i++)
		kfree(b->segs[i].buf);
	b->nsegs = 0;
}

/* Pages for len bytes (whole sectors, at most a chunk): 0 or ENOMEM. */
static int
bounce_alloc(struct bounce *b, size_t len)
{
	b->nsegs = 0;
	while (len > 0) {
		size_t n = MIN(len, PAGE_SIZE);
		void *page = kmalloc(PAGE_SIZE, 0);

		if (page == NULL) {
			bounce_free(b);
			return ENOMEM;
		}
		b->segs[b->nsegs++] = (struct blk_seg){ page, n };
		len -= n;
	}
	return 0;
}

/* Copy n bytes at byte skip of the bounce buffer to or from uio. */
static int
bounce_copy(struct bounce *b, size_t skip, size_t n, struct uio *uio,
    bool to_uio)
{
	for (int i = 0; i < b->nsegs && n > 0; i++) {
		size_t piece;
		int error;

		if (skip >= b->segs[i].len) {
			skip -= b->segs[i].len;
			continue;
		}
		piece = MIN(n, b->segs[i].len - skip);
		error = uio_copy((char *)b->segs[i].buf + skip, piece, uio,
		    to_uio);
		if (error != 0)
			return error;
		n -= piece;
		skip = 0;
	}
	return 0;
}

/* Read from the disk the sector holding byte `at` of the bounce buffer,
 * which starts at disk byte `first`. */
static int
bounce_read_sector(struct blkdev *bd, struct bounce *b, uint64_t first,
    size_t at)
{
	size_t sector_at = at & ~(size_t)(BLK_SECTOR_SIZE - 1);

	return blk_io(bd, BLK_READ, (first + sector_at) / BLK_SECTOR_SIZE,
	    (char *)b->segs[sector_at / PAGE_SIZE].buf + sector_at % PAGE_SIZE,
	    BLK_SECTOR_SIZE);
}

/*
 * Move one chunk between the disk and uio, from byte uio->uio_offset (in
 * the disk): at most BDEV_CHUNK_PAGES pages of whole sectors around it.
 * Returns 0 or an error; uio shows what moved.
 */
static int
bdev_chunk(struct blkdev *bd, struct uio *uio, bool write)
{
	uint64_t off = uio->uio_offset, size = bdev_size(bd);
	uint64_t first = off & ~(uint64_t)(BLK_SECTOR_SIZE - 1);
	uint64_t end = MIN(off + uio->uio_resid, size), span_end;
	size_t skip = off - first, n, span;
	struct bounce b;
	int error;

	span_end = MIN(roundup2(end, (uint64_t)BLK_SECTOR_SIZE),
	    first + (uint64_t)BDEV_CHUNK_PAGES * PAGE_SIZE);
	span = span_end - first;
	n = MIN(end, span_end) - off;
	error = bounce_alloc(&b, span);
	if (error != 0)
		return error;
	if (!write)
		error = blk_iov(bd, BLK_READ, first / BLK_SECTOR_SIZE, b.segs,
		    b.nsegs);
	else {
		/*
		 * Sectors written in part keep the rest of their bytes: the
		 * first (skip is inside it) and the last, once if the same.
		 */
		bool head_part = skip != 0;
		bool tail_part = (skip + n) % BLK_SECTOR_SIZE != 0;

		if (head_part)
			error = bounce_read_sector(bd, &b, first, 0);
		if (error == 0 && tail_part &&
		    !(head_part && (skip + n) < BLK_SECTOR_SIZE))
			error = bounce_read_sector(bd, &b, first, skip + n);
	}
	if (error == 0)
		error = bounce_copy(&b, skip, n, uio, !write);
	if (error == 0 && write)
		error = blk_iov(bd, BLK_WRITE, first / BLK_SECTOR_SIZE, b.segs,
		    b.nsegs);
	bounce_free(&b);
	return error;
}

/* Reads end at the disk's end (0 bytes there). */
static int
bdev_read(struct file *fp, struct uio *uio)
{
	struct blkdev *bd = fp->f_data;
	int error = 0;

	while (error == 0 && uio->uio_resid > 0 &&
	    uio->uio_offset < bdev_size(bd))
		error = bdev_chunk(bd, uio, false);
	return error;
}

/* Writes stop at the disk's end: ENOSPC if nothing fitted, as Linux. */
static int
bdev_write(struct file *fp, struct uio *uio)
{
	struct blkdev *bd = fp->f_data;
	int error = 0;

	if (uio->uio_resid > 0 && uio->uio_offset >= bdev_size(bd))
		return ENOSPC;
	while (error == 0 && uio->uio_resid > 0 &&
	    uio->uio_offset < bdev_size(bd))
		error = bdev_chunk(bd, uio, true);
	return error;
}

static int
put_u64(uint64_t arg, uint64_t v)
{
	return copyout(&v, (void *)arg, sizeof(v));
}

static int
put_int(uint64_t arg, int v)
{
	return copyout(&v, (void *)arg, sizeof(v));
}

/* fsync of a disk: its writes are already out; flush its write cache. */
int
bdev_fsync(struct file *fp)
{
	return blk_io(fp->f_data, BLK_FLUSH, 0, NULL, 0);
}

static int
bdev_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	struct blkdev *bd = fp->f_data;

	switch (cmd) {
	case BLKGETSIZE64:
		return put_u64(arg, bdev_size(bd));
	case BLKGETSIZE:
		return put_u64(arg, bd->nsectors);
	case BLKSSZGET:
	case BLKPBSZGET:
		return put_int(arg, BLK_SECTOR_SIZE);
	case BLKROGET:
		return put_int(arg, bd->readonly);
	case BLKFLSBUF:
		return bdev_fsync(fp);
	default:
		return ENOTTY;
	}
}

static int
bdev_stat(struct file *fp, struct vattr *va)
{
	return vn_getattr(fp->f_vnode, va);
}

static int
bdev_poll(struct file *fp, int events)
{
	return events & (POLLIN | POLLOUT);	/* a disk is always ready */
}

static void
bdev_close(struct file *fp)
{
	if ((fp->f_flags & O_ACCMODE) != O_RDONLY)
		blkdev_close_write(fp->f_data);
	vrele(fp->f_vnode);
}

static const struct fileops bdev_ops = {
	.read = bdev_read, .write = bdev_write, .ioctl = bdev_ioctl,
	.stat = bdev_stat, .poll = bdev_poll, .close = bdev_close,
};

/* The disk a block device number names, or NULL. */
static struct blkdev *
bdev_of(uint32_t rdev)
{
	if (DEV_MAJOR(rdev) != VIRTBLK_MAJOR ||
	    DEV_MINOR(rdev) % VIRTBLK_MINORS != 0)
		return NULL;
	return blkdev_get((int)(DEV_MINOR(rdev) / VIRTBLK_MINORS));
}

/*
 * The disk behind block device node vp (unreferenced, unlocked): 0 with
 * *bdp, or ENOTBLK (not a block device node), ENXIO (no such disk).
 */
int
bdev_lookup(struct vnode *vp, struct blkdev **bdp)
{
	struct vattr va;
	int error;

	if (vp->v_type != VBLK)
		return ENOTBLK;
	error = vn_getattr(vp, &va);
	if (error != 0)
		return error;
	*bdp = bdev_of(va.va_rdev);
	return *bdp != NULL ? 0 : ENXIO;
}

/*
 * Open the block device node vp (whose reference this takes over,
 * success or not) with the open flags.  Returns 0 with *fpp, ENXIO (no
 * such disk), EROFS (writing a read-only disk), EBUSY (writing, or
 * O_EXCL, a disk in use), or ENOMEM.
 */
int
bdev_open(struct vnode *vp, int flags, struct file **fpp)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY;
	struct blkdev *bd;
	int error = bdev_lookup(vp, &bd);

	if (error == 0 && writing && bd->readonly)
		error = EROFS;
	if (error == 0 && writing)
		error = blkdev_open_write(bd);
	else if (error == 0 && (flags & O_EXCL)) {
		/* Linux: O_EXCL on a device claims it; here, test it's free. */
		error = blkdev_hold(bd, "open");
		if (error == 0)
			blkdev_unhold(bd);
	}
	if (error == 0 && (*fpp = file_alloc(DTYPE_BDEV, &bdev_ops, flags)) ==
	    NULL) {
		if (writing)
			blkdev_close_write(bd);
		error = ENOMEM;
	}
	if (error != 0) {
		vrele(vp);
		return error;
	}
	(*fpp)->f_vnode = vp;
	(*fpp)->f_data = bd;
	return 0;
}

/* lseek's end of a block device file: the disk's size in bytes. */
uint64_t
bdev_file_size(const struct file *fp)
{
	return bdev_size(fp->f_data);
}
