/*
 * Mounting file systems: the registry of file system types, the mount
 * list, and mount points.
 *
 * A mount grafted into the name space covers a directory: the covered
 * vnode's v_mountedhere points to the mount, and the mount's
 * mnt_vnodecovered back to it (with a reference, so the covered vnode
 * stays cached).  Path lookup crosses down through v_mountedhere into the
 * mount's root (vfs_cross_down) and, for "..", up from a mount's root to
 * the directory it covers (vfs_cross_up).  A directory carries at most
 * one mount, and a mount's root cannot be mounted on (EBUSY): no stacks.
 *
 * Locking: mountlist_lock (an sx) serialises mount and unmount and
 * guards the mount list; mount_cross_lock (a spin lock) guards every
 * v_mountedhere, so that a lookup taking a reference on a mount's root
 * and an unmount deciding that nobody holds one cannot interleave.
 * Order: mountlist_lock -> vnode locks -> mount_cross_lock ->
 * vnode_cache_lock.
 *
 * A type is added by defining its vfs_ops in its own file and listing
 * them in filesystems[] below.
 */
#include "dev/blk.h"
#include "fs/buf.h"
#include "fs/ext2/ext2.h"
#include "fs/procfs/procfs.h"
#include "fs/tmpfs/tmpfs.h"
#include "fs/vnode.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "kern/clock.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "vm/vm_object.h"

#define VIRTBLK_MAJOR	254	/* Linux's (dynamic) virtio-blk major */
#define VIRTBLK_MINORS	16	/* minors per disk */

struct vnode *rootvnode;
struct mount *rootmount;

static struct sx mountlist_lock = SX_INIT("mountlist");
static struct list mountlist = LIST_HEAD_INIT(mountlist);	/* (L) */
static struct spinlock mount_cross_lock = SPINLOCK_INIT("mount_cross");
static uint32_t anon_minor;	/* (L) last st_dev minor of a nodev mount */

static const struct vfs_ops *const filesystems[] = {
	&ext2_vfs_ops,
	&procfs_vfs_ops,
	&tmpfs_vfs_ops,
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
 * A new mount of type ops from device dev (NULL for a nodev type), its
 * root vnode loaded and referenced by the mount, which holds the device
 * (blkdev_hold) until unmounted.  Returns 0 with *mpp set, EBUSY (the
 * device is mounted, swapped on or open for writing), or the file
 * system's error (EINVAL or EIO for a damaged image, or a bad option).
 */
static int
mount_create(const struct vfs_ops *ops, struct blkdev *dev, const char *source,
    bool rdonly, const char *data, struct mount **mpp)
{
	struct mount *mp = kmalloc(sizeof(*mp), M_ZERO);
	int error;

	if (mp == NULL)
		return ENOMEM;
	if (dev != NULL && (error = blkdev_hold(dev, "mount")) != 0) {
		kfree(mp);
		return error;
	}
	mp->mnt_dev = dev;
	mp->mnt_ops = ops;
	mp->mnt_rdonly = rdonly || (dev != NULL && dev->readonly);
	kstrlcpy(mp->mnt_source, source, sizeof(mp->mnt_source));
	error = ops->mount(mp, data);
	if (error == 0) {
		error = vget(mp, ops->root_ino, &mp->mnt_root);
		if (error == 0 && mp->mnt_root->v_type != VDIR) {
			kprintf("%s: root inode is not a directory\n", source);
			vrele(mp->mnt_root);
			error = EIO;
		}
		if (error != 0) {
			vflush(mp);
			ops->unmount(mp);
		}
	}
	if (error != 0) {
		if (dev != NULL) {
			binval(dev);
			blkdev_unhold(dev);
		}
		kfree(mp);
		return error;
	}
	*mpp = mp;
	return 0;
}

/*
 * Mount the fstype file system on block device devname, outside the name
 * space (the root, and the kernel's tests of scratch images).  Returns 0
 * with *mpp set, ENODEV (no such device or file system type), or the
 * file system's error (EINVAL or EIO for a damaged image).
 */
int
vfs_mount(const char *devname, const char *fstype, bool rdonly,
    struct mount **mpp)
{
	struct blkdev *dev = blkdev_find(devname);
	const struct vfs_ops *ops = find_fs(fstype);

	char source[MNT_SOURCE_MAX];

	if (dev == NULL || ops == NULL || ops->nodev)
		return ENODEV;
	ksnprintf(source, sizeof(source), "/dev/%s", dev->name);
	return mount_create(ops, dev, source, rdonly, NULL, mpp);
}

/*
 * The st_dev of a new mount's files: a disk's number as Linux gives
 * virtio disks (vdX: 254, 16 * X), or for a nodev type a fresh anonymous
 * one (0, N), as Linux's.  Mount list locked.
 */
static uint64_t
mount_devno(const struct blkdev *dev)
{
	uint32_t minor;

	if (dev != NULL) {
		minor = (uint32_t)(dev->name[2] - 'a') * VIRTBLK_MINORS;
		return MKDEV(VIRTBLK_MAJOR, minor);
	}
	minor = ++anon_minor;
	return MKDEV(0U, minor);
}

/* Is block device dev in use: mounted (mount list held) or swapped on? */
static bool
device_busy(struct blkdev *dev)
{
	if (swap_pager_is_device(dev))
		return true;
	for (struct list *l = mountlist.next; l != &mountlist; l = l->next)
		if (container_of(l, struct mount, mnt_list)->mnt_dev == dev)
			return true;
	return false;
}

/* Is vp the root of a mount grafted into the name space (or "/")? */
static bool
is_mount_root(const struct vnode *vp)
{
	return vp == vp->v_mount->mnt_root &&
	    (vp->v_mount->mnt_vnodecovered != NULL || vp->v_mount == rootmount);
}

/*
 * The device an fstype mount of source uses: NULL for a nodev type
 * (source is only a name); else the block device source names, or NULL
 * with *error (ENOENT: no such device; EBUSY: mounted or swapped on).
 * Mount list locked.
 */
static struct blkdev *
mount_device(const struct vfs_ops *ops, const char *source, int *error)
{
	struct blkdev *dev;

	*error = 0;
	if (ops->nodev)
		return NULL;
	dev = blkdev_find(source);
	if (dev == NULL)
		*error = ENOENT;
	else if (device_busy(dev))
		*error = EBUSY;
	return *error == 0 ? dev : NULL;
}

/*
 * Mount an fstype file system from source on directory covered (the
 * caller's reference, which the mount takes over on success), with
 * MNT_* flags and the type's options data.  Errors as Linux's mount(2):
 * ENODEV (unknown type), ENOTDIR (covered is not a directory), EBUSY
 * (covered is a mount's root or already covered, or the device is in
 * use), ENOENT (no such device), or the file system's error.
 */
int
vfs_mount_at(struct vnode *covered, const char *source, const char *fstype,
    uint32_t flags, const char *data)
{
	const struct vfs_ops *ops = find_fs(fstype);
	struct blkdev *dev;
	struct mount *mp;
	int error;

	if (ops == NULL)
		return ENODEV;
	if (covered->v_type != VDIR)
		return ENOTDIR;
	sx_xlock(&mountlist_lock);
	dev = mount_device(ops, source, &error);
	if (error == 0 && (is_mount_root(covered) ||
	    covered->v_mountedhere != NULL))
		error = EBUSY;
	if (error == 0)
		error = mount_create(ops, dev, source, flags & MNT_RDONLY, data, &mp);
	if (error == 0) {
		mp->mnt_flags = flags & (MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
		mp->mnt_devno = mount_devno(dev);
		mp->mnt_vnodecovered = covered;
		list_insert_tail(&mountlist, &mp->mnt_list);
		spin_lock(&mount_cross_lock);
		covered->v_mountedhere = mp;
		spin_unlock(&mount_cross_lock);
	}
	sx_xunlock(&mountlist_lock);
	return error;
}

/*
 * The root of the mount on directory vp, referenced, or NULL if nothing
 * is mounted there.  The caller holds a reference on vp.
 */
struct vnode *
vfs_cross_down(struct vnode *vp)
{
	struct vnode *root = NULL;

	if (vp->v_type != VDIR || vp->v_mountedhere == NULL)
		return NULL;	/* unlocked peek: a mount racing us may be missed */
	spin_lock(&mount_cross_lock);
	if (vp->v_mountedhere != NULL) {
		root = vp->v_mountedhere->mnt_root;
		vref(root);
	}
	spin_unlock(&mount_cross_lock);
	return root;
}

/*
 * If vp is the root of a grafted mount, the directory it covers,
 * referenced; else NULL (a detached mount's root is its own "..", as on
 * Linux).  The caller's reference on vp keeps the mount alive; the cross
 * lock keeps a lazy unmount from dropping the covered vnode meanwhile.
 */
struct vnode *
vfs_cross_up(struct vnode *vp)
{
	struct vnode *covered = NULL;

	if (vp != vp->v_mount->mnt_root)
		return NULL;
	spin_lock(&mount_cross_lock);
	covered = vp->v_mount->mnt_vnodecovered;
	if (covered != NULL)
		vref(covered);
	spin_unlock(&mount_cross_lock);
	return covered;
}

/* Is a file system mounted on vp (so it cannot be removed or renamed)? */
bool
vfs_is_mountpoint(struct vnode *vp)
{
	bool covered;

	spin_lock(&mount_cross_lock);
	covered = vp->v_mountedhere != NULL;
	spin_unlock(&mount_cross_lock);
	return covered;
}

static uint64_t mounts_detached;	/* (L) detached, not yet unmounted */
SYSCTL_U64(vfs_mounts_detached, "vfs.mounts_detached", CTLFLAG_RD,
    &mounts_detached, "lazily unmounted file systems still in use");

/*
 * Take mp out of the name space: the directory it covered shows again.
 * Returns that directory, whose reference passes to the caller.  Mount
 * list locked; the caller decided under the cross lock (held) that mp
 * may go.
 */
static struct vnode *
mount_ungraft(struct mount *mp)
{
	struct vnode *covered = mp->mnt_vnodecovered;

	covered->v_mountedhere = NULL;
	mp->mnt_vnodecovered = NULL;
	return covered;
}

/*
 * A lazily unmounted mount's last act (a kernel thread of its own): wait
 * until none of its files is in use, woken by the vrele that lets one go
 * (or after a second, in case that was missed), then unmount it.
 */
static void
mount_reaper(void *arg)
{
	struct mount *mp = arg;

	for (;;) {
		sx_xlock(&mountlist_lock);
		vfs_sync(mp);
		vflush(mp);
		if (!vnode_mount_busy(mp)) {
			list_remove(&mp->mnt_list);
			mounts_detached--;
			(void)vfs_unmount(mp);	/* written back above */
			sx_xunlock(&mountlist_lock);
			return;
		}
		sx_xunlock(&mountlist_lock);
		spin_lock(&mount_cross_lock);
		tsleep_timo(mp, &mount_cross_lock, "umount", HZ);
		spin_unlock(&mount_cross_lock);
	}
}

/* A vnode of detached mount mp was let go: its reaper looks again. */
void
vfs_detached_release(struct mount *mp)
{
	spin_lock(&mount_cross_lock);
	wakeup(mp);
	spin_unlock(&mount_cross_lock);
}

/* A mount grafted on a directory of mp, or NULL.  Mount list locked. */
static struct mount *
submount_of(struct mount *mp)
{
	for (struct list *l = mountlist.next; l != &mountlist; l = l->next) {
		struct mount *sub = container_of(l, struct mount, mnt_list);

		if (sub->mnt_vnodecovered != NULL &&
		    sub->mnt_vnodecovered->v_mount == mp)
			return sub;
	}
	return NULL;
}

/*
 * Take grafted mount mp out of the name space: unmount it now if none of
 * its files is in use; else EBUSY, or with detach, first take out the
 * mounts grafted inside it the same way, then leave mp to a reaper
 * thread that unmounts it once nothing uses it (ENOMEM, nothing changed
 * for mp, if no thread could be had).  Mount list locked.
 */
static int
mount_take_out(struct mount *mp, bool detach)
{
	struct vnode *covered = NULL;
	struct mount *sub;
	bool busy;

	while (detach && (sub = submount_of(mp)) != NULL) {
		int error = mount_take_out(sub, true);

		if (error != 0)
			return error;
	}
	/* Write back first: the busy check is the last word. */
	vfs_sync(mp);
	vflush(mp);
	spin_lock(&mount_cross_lock);
	busy = vnode_mount_busy(mp);
	if (!busy)
		covered = mount_ungraft(mp);
	spin_unlock(&mount_cross_lock);
	if (!busy) {
		int error;

		list_remove(&mp->mnt_list);
		error = vfs_unmount(mp);
		KASSERT(error != EBUSY, "mount_take_out: busy after the check");
		vrele(covered);
		return error;
	}
	if (!detach)
		return EBUSY;
	if (thread_create("umount", mount_reaper, mp) == NULL)
		return ENOMEM;
	spin_lock(&mount_cross_lock);
	mp->mnt_detached = true;
	covered = mount_ungraft(mp);
	spin_unlock(&mount_cross_lock);
	mounts_detached++;
	vrele(covered);
	return 0;
}

/*
 * Unmount the grafted mount whose root is root (the caller's reference is
 * dropped, success or not).  EINVAL if root is not a mount's root, EBUSY
 * for "/"; a file system in use (open files, a current directory in it,
 * a mount inside it) is EBUSY too, unless detach (MNT_DETACH): then it
 * and the mounts inside it leave the name space now and each is
 * unmounted once nothing uses it.
 */
int
vfs_unmount_at(struct vnode *root, bool detach)
{
	struct mount *mp = root->v_mount;
	int error;

	if (!is_mount_root(root)) {
		vrele(root);
		return EINVAL;
	}
	sx_xlock(&mountlist_lock);
	vrele(root);
	if (mp->mnt_vnodecovered == NULL)
		error = EBUSY;		/* the root file system */
	else
		error = mount_take_out(mp, detach);
	sx_xunlock(&mountlist_lock);
	return error;
}

/*
 * Change the flags of the grafted mount whose root is root (the caller's
 * reference stays the caller's): MNT_RDONLY toggles read-only (going
 * read-only writes everything back first), the others are replaced.
 * EINVAL if root is not a mount's root.
 */
int
vfs_remount(struct vnode *root, uint32_t flags)
{
	struct mount *mp = root->v_mount;

	if (!is_mount_root(root))
		return EINVAL;
	sx_xlock(&mountlist_lock);
	if ((flags & MNT_RDONLY) && !mp->mnt_rdonly)
		vfs_sync(mp);
	mp->mnt_rdonly = (flags & MNT_RDONLY) != 0 ||
	    (mp->mnt_dev != NULL && mp->mnt_dev->readonly);
	mp->mnt_flags = flags & (MNT_NOSUID | MNT_NODEV | MNT_NOEXEC);
	sx_xunlock(&mountlist_lock);
	return 0;
}

/*
 * Call fn on every mount, the root first, in the order they were made,
 * with the mount list held shared (fn may sleep, but must not mount or
 * unmount).  Stops at the first nonzero result and returns it.
 */
int
vfs_mount_foreach(int (*fn)(struct mount *mp, void *arg), void *arg)
{
	int error = 0;

	sx_slock(&mountlist_lock);
	for (struct list *l = mountlist.next; l != &mountlist && error == 0;
	    l = l->next)
		error = fn(container_of(l, struct mount, mnt_list), arg);
	sx_sunlock(&mountlist_lock);
	return error;
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
	e = mp->mnt_ops->sync != NULL ? mp->mnt_ops->sync(mp) : 0;
	if (error == 0)
		error = e;
	e = mp->mnt_dev != NULL ? bflush(mp->mnt_dev) : 0;
	return error != 0 ? error : e;
}

static int
sync_one(struct mount *mp, void *arg)
{
	int *error = arg, e = vfs_sync(mp);

	if (*error == 0)
		*error = e;
	return 0;
}

/* vfs_sync every mount; the first error, or 0. */
int
vfs_sync_all(void)
{
	int error = 0;

	vfs_mount_foreach(sync_one, &error);
	return error;
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
	error = mp->mnt_dev != NULL ? bflush(mp->mnt_dev) : 0;
	mp->mnt_ops->unmount(mp);
	if (mp->mnt_dev != NULL) {
		binval(mp->mnt_dev);
		blkdev_unhold(mp->mnt_dev);
	}
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
	rootmount->mnt_devno = mount_devno(rootmount->mnt_dev);
	sx_xlock(&mountlist_lock);
	list_insert_tail(&mountlist, &rootmount->mnt_list);
	sx_xunlock(&mountlist_lock);
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
static int
drain_one(struct mount *mp, void *arg)
{
	vfs_sync(mp);
	vflush(mp);
	if (mp->mnt_dev != NULL)
		binval(mp->mnt_dev);
	return 0;
}

void
vfs_drain_caches(void)
{
	pmap_pv_cache_drain();
	kstack_cache_drain();
	vfs_mount_foreach(drain_one, NULL);
	kmem_drain();	/* last: the drains above free kmalloc'd memory */
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
