/*
 * The fake file layer of the host tests (see file_host.h).
 *
 * The disk: FILE_HOST_DISK_BLOCKS blocks of FILE_HOST_BSIZE bytes in host
 * memory behind a struct blkdev, read and written by blk_io() with the
 * kernel's checks (whole sectors, inside the device, buffers in the
 * direct map, here the fake RAM).  Block 0 is never handed out: bmap
 * answers 0 for a hole.  Blocks are handed out mostly in disk order with
 * a few swapped, so that the vnode pager's runs of adjacent blocks are
 * sometimes whole pages and sometimes broken.
 *
 * A file: a vnode of type VREG on one mount, whose v_data is its block
 * map (file block -> disk block, 0 for a hole).  bmap allocates a hole's
 * block when asked to, as a file system does for a page first written
 * through a mapping.  The size is fixed at creation.  vref and vrele only
 * count: the test decides when a file leaves the cache
 * (file_host_destroy), which must find no reference left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dev/blk.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kpath.h"
#include "kern/proc.h"
#include "tests/host/file_host.h"
#include "tests/host/kernel_host.h"
#include "vm/vm_param.h"
#include "vm/vnode_pager.h"

#define MAX_FDS		16

static uint8_t disk_data[FILE_HOST_DISK_BLOCKS][FILE_HOST_BSIZE];
static uint64_t disk_free[FILE_HOST_DISK_BLOCKS];	/* a stack */
static int disk_nfree = -1;			/* -1: not set up yet */

/* A disk block whose reads fail (file_host_fail_reads), 0 if none. */
static uint64_t disk_bad_block;

static int
disk_strategy(struct blkdev *bd, int op, uint64_t sector,
    const struct blk_seg *segs, int nsegs)
{
	uint8_t *at = &disk_data[0][0] + sector * BLK_SECTOR_SIZE;
	uint64_t bad = disk_bad_block * (FILE_HOST_BSIZE / BLK_SECTOR_SIZE);
	uint64_t nsec = 0;

	for (int i = 0; i < nsegs; i++)
		nsec += segs[i].len / BLK_SECTOR_SIZE;
	if (op == BLK_READ && disk_bad_block != 0 && bad >= sector &&
	    bad < sector + nsec) {
		bd->stats.errors++;
		return EIO;
	}
	if (op == BLK_FLUSH)
		bd->stats.flushes++;
	else if (op == BLK_READ)
		bd->stats.reads++;
	else
		bd->stats.writes++;
	for (int i = 0; i < nsegs; at += segs[i].len, i++) {
		if (op == BLK_READ) {
			memcpy(segs[i].buf, at, segs[i].len);
			bd->stats.bytes_read += segs[i].len;
		} else {
			memcpy(at, segs[i].buf, segs[i].len);
			bd->stats.bytes_written += segs[i].len;
		}
	}
	return 0;
}

static struct blkdev disk = {
	.name = "fake0",
	.nsectors = sizeof(disk_data) / BLK_SECTOR_SIZE,
	.strategy = disk_strategy,
};

static struct mount mount = {
	.mnt_dev = &disk,
	.mnt_bsize = FILE_HOST_BSIZE,
};

/* dev/blk.c's holder, for the swap pager's swapon/swapoff (one thread). */
int
blkdev_hold(struct blkdev *bd, const char *holder)
{
	if (bd->bd_holder != NULL)
		return EBUSY;
	bd->bd_holder = holder;
	return 0;
}

void
blkdev_unhold(struct blkdev *bd)
{
	assert_non_null(bd->bd_holder);
	bd->bd_holder = NULL;
}

/*
 * The checks of dev/blk.c's blk_iov, with fake RAM for the direct map:
 * the code under test must never make a transfer the kernel would refuse.
 * The caller would sleep until the transfer is done: host_io_hook runs
 * meanwhile, as other threads would (a test runs the page daemon there).
 */
int
blk_iov(struct blkdev *bd, int op, uint64_t sector,
    const struct blk_seg *segs, int nsegs)
{
	uint64_t nsec = 0;

	if (op == BLK_FLUSH ? nsegs != 0 : (nsegs < 1 || nsegs > BLK_MAX_SEGS))
		fail_msg("blk_iov: op %d with %d segments", op, nsegs);
	for (int i = 0; i < nsegs; i++) {
		if (segs[i].len == 0 || segs[i].len % BLK_SECTOR_SIZE != 0 ||
		    !host_ram_contains(segs[i].buf, segs[i].len))
			fail_msg("blk_iov: bad segment %d: %zu bytes at %p", i,
			    segs[i].len, segs[i].buf);
		nsec += segs[i].len / BLK_SECTOR_SIZE;
	}
	if (op != BLK_FLUSH &&
	    (sector > bd->nsectors || nsec > bd->nsectors - sector))
		fail_msg("blk_iov: %lu sectors at %lu are off the disk", nsec,
		    sector);
	if (host_io_hook != NULL)
		host_io_hook();
	return bd->strategy(bd, op, sector, segs, nsegs);
}

/*
 * Every block free again, handed out from now on in an order that seed
 * shuffles a little.  Fails if a file still holds blocks.
 */
void
file_host_disk_reset(uint64_t seed)
{
	uint64_t x = seed | 1;

	assert_true(disk_nfree < 0 ||
	    disk_nfree == FILE_HOST_DISK_BLOCKS - 1);
	disk_nfree = FILE_HOST_DISK_BLOCKS - 1;
	for (int i = 0; i < disk_nfree; i++)
		disk_free[i] = (uint64_t)(disk_nfree - i);	/* 1 on top */
	for (int n = 0; n < disk_nfree / 8; n++) {
		int a, b;
		uint64_t t;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		a = (int)(x % (uint64_t)disk_nfree);
		b = (int)((x >> 32) % (uint64_t)disk_nfree);
		t = disk_free[a];
		disk_free[a] = disk_free[b];
		disk_free[b] = t;
	}
}

uint64_t
file_host_blocks_used(void)
{
	return disk_nfree < 0 ? 0 : (uint64_t)(FILE_HOST_DISK_BLOCKS - 1 -
	    disk_nfree);
}

/* --- files -------------------------------------------------------------- */

struct fake_inode {
	uint64_t nblocks;
	uint64_t blocks[];		/* disk block of each file block; 0: hole */
};

static struct fake_inode *
inode_of(struct vnode *vp)
{
	return vp->v_data;
}

static int
fake_bmap(struct vnode *vp, uint64_t lblk, bool alloc, uint64_t *pblk)
{
	struct fake_inode *ip = inode_of(vp);

	if (lblk >= ip->nblocks)
		fail_msg("bmap: block %lu of a %lu-block file", lblk,
		    ip->nblocks);
	if (ip->blocks[lblk] == 0 && alloc) {
		if (disk_nfree <= 0)
			return ENOSPC;
		ip->blocks[lblk] = disk_free[--disk_nfree];
		memset(disk_data[ip->blocks[lblk]], 0, FILE_HOST_BSIZE);
	}
	*pblk = ip->blocks[lblk];
	return 0;
}

/*
 * Reads of the disk block behind byte off of vp fail with EIO from now
 * on (a bad sector), until called with vp NULL.  The byte must not lie in
 * a hole.
 */
void
file_host_fail_reads(struct vnode *vp, uint64_t off)
{
	if (vp == NULL) {
		disk_bad_block = 0;
		return;
	}
	disk_bad_block = inode_of(vp)->blocks[off / FILE_HOST_BSIZE];
	assert_true(disk_bad_block != 0);
}

static const struct vnode_ops fake_vnode_ops = {
	.bmap = fake_bmap,
};

/* A regular file of size bytes, all holes (it reads as zeros). */
struct vnode *
file_host_create(uint64_t size)
{
	static uint64_t next_ino = 2;
	uint64_t nblocks = round_page(size) / FILE_HOST_BSIZE;
	struct fake_inode *ip = calloc(1, sizeof(*ip) + nblocks *
	    sizeof(ip->blocks[0]));
	struct vnode *vp = calloc(1, sizeof(*vp));

	assert_non_null(ip);
	assert_non_null(vp);
	assert_true(disk_nfree >= 0);	/* file_host_disk_reset first */
	ip->nblocks = nblocks;
	sx_init(&vp->v_lock, "vnode");
	vp->v_type = VREG;
	vp->v_mount = &mount;
	vp->v_ino = next_ino++;
	vp->v_size = size;
	vp->v_data = ip;
	vp->v_ops = &fake_vnode_ops;
	return vp;
}

/* Write file bytes [off, off + len) straight to the disk. */
void
file_host_store(struct vnode *vp, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	assert_true(off + len <= vp->v_size);
	while (len > 0) {
		size_t in = off % FILE_HOST_BSIZE;
		size_t n = MIN(len, FILE_HOST_BSIZE - in);
		uint64_t pblk;

		assert_int_equal(fake_bmap(vp, off / FILE_HOST_BSIZE, true,
		    &pblk), 0);
		memcpy(disk_data[pblk] + in, p, n);
		off += n;
		p += n;
		len -= n;
	}
}

/* What the disk holds of file bytes [off, off + len) (holes read 0). */
void
file_host_load(struct vnode *vp, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;

	assert_true(off + len <= vp->v_size);
	while (len > 0) {
		size_t in = off % FILE_HOST_BSIZE;
		size_t n = MIN(len, FILE_HOST_BSIZE - in);
		uint64_t pblk = inode_of(vp)->blocks[off / FILE_HOST_BSIZE];

		if (pblk == 0)
			memset(p, 0, n);
		else
			memcpy(p, disk_data[pblk] + in, n);
		off += n;
		p += n;
		len -= n;
	}
}

/*
 * The file leaves the vnode cache, as when the cache needs room: its dirty
 * pages are written back and its object destroyed (vnode_pager_destroy),
 * which nothing may reference any more.  The file stays on the disk; the
 * next vn_object() starts an empty cache, read from the disk again.
 */
void
file_host_uncache(struct vnode *vp)
{
	vnode_pager_destroy(vp, true);
	assert_null(vp->v_object);
}

/*
 * The file goes: out of the cache, then its blocks are freed.  Nothing
 * may hold a reference to it any more.
 */
void
file_host_destroy(struct vnode *vp)
{
	struct fake_inode *ip = inode_of(vp);

	assert_int_equal(vp->v_refcnt, 0);
	file_host_uncache(vp);
	for (uint64_t i = 0; i < ip->nblocks; i++)
		if (ip->blocks[i] != 0)
			disk_free[disk_nfree++] = ip->blocks[i];
	free(ip);
	free(vp);
}

/* What fs/vfs_cache.c and fs/vfs_vnops.c provide the vnode pager. */
void
vref(struct vnode *vp)
{
	vp->v_refcnt++;
}

void
vrele(struct vnode *vp)
{
	assert_true(vp->v_refcnt > 0);
	vp->v_refcnt--;
}

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

/* --- descriptors and the current process -------------------------------- */

static struct file files[MAX_FDS];

/* A descriptor for vp open with flags (O_RDONLY, O_WRONLY, O_RDWR). */
int
file_host_open(struct vnode *vp, int flags)
{
	for (int fd = 0; fd < MAX_FDS; fd++) {
		struct file *fp = &files[fd];

		if (fp->f_refcnt == 0) {
			*fp = (struct file){ .f_refcnt = 1, .f_type = DTYPE_VNODE,
			    .f_flags = flags, .f_vnode = vp };
			vref(vp);
			return fd;
		}
	}
	fail_msg("file_host_open: all %d descriptors in use", MAX_FDS);
	return -1;
}

/* Give fd's file the path it was opened by (f_path), as open(2) does. */
void
file_host_name(int fd, const char *path)
{
	assert_null(files[fd].f_path);
	files[fd].f_path = kpath_alloc(path, strlen(path));
	assert_non_null(files[fd].f_path);
}

void
file_host_close(int fd)
{
	struct file *fp = &files[fd];

	assert_int_equal(fp->f_refcnt, 1);
	vrele(fp->f_vnode);
	kpath_rele(fp->f_path);
	*fp = (struct file){ 0 };
}

struct file *
fget(int fd)
{
	if (fd < 0 || fd >= MAX_FDS || files[fd].f_refcnt == 0)
		return NULL;
	files[fd].f_refcnt++;
	return &files[fd];
}

void
fdrop(struct file *fp)
{
	assert_true(fp->f_refcnt > 1);	/* the descriptor's own stays */
	fp->f_refcnt--;
}

/* The address space the system calls (curproc()->p_vmspace) act on. */
void
file_host_set_vmspace(struct vmspace *vm)
{
	static struct proc proc;

	proc.p_vmspace = vm;
	curthread()->td_proc = &proc;
}

/* A new empty user address space, made the one the system calls act on. */
struct vmspace *
file_host_new_vmspace(void)
{
	struct vmspace *vm = vmspace_alloc(PAGE_SIZE, VM_MAXUSER_ADDRESS);

	assert_non_null(vm);
	file_host_set_vmspace(vm);
	return vm;
}
