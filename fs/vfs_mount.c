/*
 * Mounting file systems and the root file system.  There is one name
 * space: the root mount; other mounts (tests mount scratch images) are
 * reached through their mount structure, not grafted into paths.
 */
#include "dev/blk.h"
#include "fs/buf.h"
#include "fs/ext2/ext2.h"
#include "fs/vnode.h"
#include "vm/pmap.h"
#include "kern/sysctl.h"
#include "vm/vm_object.h"

struct vnode *rootvnode;
struct mount *rootmount;

static const struct vfs_ops *const filesystems[] = {
	&ext2_vfs_ops,
};

static const struct vfs_ops *
find_fs(const char *name)
{
	for (size_t i = 0; i < nitems(filesystems); i++)
		if (strcmp(filesystems[i]->name, name) == 0)
			return filesystems[i];
	return NULL;
}

/*
 * Mount the fstype file system on block device devname.  Returns 0 with
 * *mpp set, ENODEV (no such device or file system type), EBUSY (the
 * device is mounted, swapped on or open for writing), or the file
 * system's error (EINVAL or EIO for a damaged image).
 */
int
vfs_mount(const char *devname, const char *fstype, bool rdonly,
    struct mount **mpp)
{
	struct blkdev *dev = blkdev_find(devname);
	const struct vfs_ops *ops = find_fs(fstype);
	struct mount *mp;
	int error;

	if (dev == NULL || ops == NULL)
		return ENODEV;
	error = blkdev_hold(dev, "mount");
	if (error != 0)
		return error;
	mp = kmalloc(sizeof(*mp), M_ZERO);
	if (mp == NULL) {
		blkdev_unhold(dev);
		return ENOMEM;
	}
	mp->mnt_dev = dev;
	mp->mnt_ops = ops;
	mp->mnt_rdonly = rdonly || dev->readonly;
	error = ops->mount(mp);
	if (error == 0) {
		error = vget(mp, EXT2_ROOT_INO, &mp->mnt_root);
		if (error == 0 && mp->mnt_root->v_type != VDIR) {
			kprintf("%s: root inode is not a directory\n", dev->name);
			vrele(mp->mnt_root);
			error = EIO;
		}
		if (error != 0) {
			vflush(mp);
			ops->unmount(mp);
		}
	}
	if (error != 0) {
		binval(dev);
		blkdev_unhold(dev);
		kfree(mp);
		return error;
	}
	*mpp = mp;
	return 0;
}

static int
sync_vnode(struct vnode *vp)
{
	int error = 0;

	if (vp->v_object != NULL)
		error = vm_object_page_clean(vp->v_object, 0, vp->v_object->size + 1);
	if (vp->v_ops->fsync_meta != NULL) {
		sx_xlock(&vp->v_lock);
		int e = vp->v_ops->fsync_meta(vp);

		sx_xunlock(&vp->v_lock);
		if (error == 0)
			error = e;
	}
	return error;
}

/* Write everything mp has cached (file pages, inodes, metadata) to disk. */
int
vfs_sync(struct mount *mp)
{
	int error, e;

	if (mp->mnt_rdonly)
		return 0;
	error = vnode_foreach(mp, sync_vnode);
	e = mp->mnt_ops->sync(mp);
	if (error == 0)
		error = e;
	e = bflush(mp->mnt_dev);
	return error != 0 ? error : e;
}

/*
 * Unmount mp: write everything back and free its vnodes.  EBUSY if any
 * vnode but the root is still referenced.
 */
int
vfs_unmount(struct mount *mp)
{
	int error = vfs_sync(mp);

	if (error != 0)
		return error;
	vflush(mp);
	if (vnode_count_mount(mp) > 1 || mp->mnt_root->v_refcnt > 1)
		return EBUSY;
	vrele(mp->mnt_root);
	vflush(mp);
	error = bflush(mp->mnt_dev);
	mp->mnt_ops->unmount(mp);
	binval(mp->mnt_dev);
	blkdev_unhold(mp->mnt_dev);
	if (mp == rootmount) {
		rootmount = NULL;
		rootvnode = NULL;
	}
	kfree(mp);
	return error;
}

/* Mount the root file system from devname ("vda" or "/dev/vda"). */
int
vfs_mountroot(const char *devname)
{
	int error = vfs_mount(devname, "ext2", false, &rootmount);

	if (error != 0) {
		kprintf("vfs: cannot mount root from %s: error %d\n", devname, error);
		return error;
	}
	rootvnode = rootmount->mnt_root;
	kprintf("vfs: root is %s (ext2)\n", devname);
	return 0;
}

/*
 * Empty the caches that hold pages on purpose: write everything back, then
 * free idle vnodes (with their cached file pages) and clean buffers, and
 * give the pmap's cached pv entries back to kmalloc.  The
 * test runner calls this around each test so that what remains allocated
 * afterwards is a leak, not a cache.
 */
void
vfs_drain_caches(void)
{
	pmap_pv_cache_drain();
	if (rootmount == NULL)
		return;
	vfs_sync(rootmount);
	vflush(rootmount);
	binval(rootmount->mnt_dev);
}

static int32_t drain_request;

/* vfs.drain_caches: writing 1 empties the file caches (for leak checks). */
static int64_t
sysctl_drain(const struct sysctl_node *node, struct sysctl_req *req)
{
	int32_t v;

	if (req->newval != NULL) {
		if (req->newlen != sizeof(v))
			return -EINVAL;
		memcpy(&v, req->newval, sizeof(v));
		if (v != 1)
			return -EINVAL;
		vfs_drain_caches();
	}
	return sysctl_out(req, &drain_request, sizeof(drain_request));
}

SYSCTL_PROC(vfs_drain, "vfs.drain_caches", CTLTYPE_INT, CTLFLAG_RW,
    sysctl_drain, 0, "write 1: write back and drop cached file data");

static int64_t
sysctl_vnodes(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t n = (uint64_t)vnode_cache_count();

	return sysctl_out(req, &n, sizeof(n));
}

SYSCTL_PROC(vfs_vnodes, "vfs.vnodes", CTLTYPE_U64, CTLFLAG_RD, sysctl_vnodes,
    0, "vnodes in the cache");
SYSCTL_U64(vfs_buf_hits, "vfs.bufcache.hits", CTLFLAG_RD, &buf_stats.hits,
    "metadata buffer cache hits");
SYSCTL_U64(vfs_buf_misses, "vfs.bufcache.misses", CTLFLAG_RD,
    &buf_stats.misses, "metadata buffer cache misses (reads)");
SYSCTL_U64(vfs_buf_writes, "vfs.bufcache.writes", CTLFLAG_RD,
    &buf_stats.writes, "metadata buffers written");
SYSCTL_U64(vfs_buf_cached, "vfs.bufcache.cached", CTLFLAG_RD,
    &buf_stats.cached, "metadata buffers cached");
