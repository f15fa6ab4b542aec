/*
 * The vnode cache: one vnode per (mount, inode number), found through a
 * hash.  A vnode whose last reference is dropped stays cached, pages and
 * all, on an LRU list, and is reclaimed when the cache holds more than
 * VNODE_CACHE_IDLE_MAX idle vnodes, at unmount, or at once if its file
 * was deleted.
 *
 * Locking: vnode_cache_lock (a spin lock) guards the hash, the LRU list
 * and every v_refcnt.  The last vrele runs the file system's inactive
 * routine with the count still at one, so nobody can find the vnode
 * half-torn-down.
 */
#include "fs/vnode.h"
#include "vm/vnode_pager.h"

#define VNODE_HASH		128
#define VNODE_CACHE_IDLE_MAX	256

static struct spinlock vnode_cache_lock = SPINLOCK_INIT("vnode_cache");
static struct list vnode_hash[VNODE_HASH];
static struct list vnode_lru = LIST_HEAD_INIT(vnode_lru);
static int vnode_idle, vnode_total;
static bool vnode_hash_ready;

static struct list *
hash_of(struct mount *mp, uint64_t ino)
{
	if (!vnode_hash_ready) {
		for (int i = 0; i < VNODE_HASH; i++)
			list_init(&vnode_hash[i]);
		vnode_hash_ready = true;
	}
	return &vnode_hash[((uintptr_t)mp / 64 + ino) % VNODE_HASH];
}

/* A cached vnode, referenced, or NULL.  Cache lock held. */
static struct vnode *
cache_find(struct mount *mp, uint64_t ino)
{
	struct list *h = hash_of(mp, ino);

	for (struct list *l = h->next; l != h; l = l->next) {
		struct vnode *vp = container_of(l, struct vnode, v_hash);

		if (vp->v_mount == mp && vp->v_ino == ino) {
			if (vp->v_refcnt++ == 0) {
				list_remove(&vp->v_lru);
				vnode_idle--;
			}
			return vp;
		}
	}
	return NULL;
}

/* Tear down an unreferenced vnode that is no longer in the cache. */
static void
vnode_destroy(struct vnode *vp, bool deleted)
{
	vnode_pager_destroy(vp, !deleted);
	if (vp->v_ops->fsync_meta != NULL && !deleted)
		vp->v_ops->fsync_meta(vp);
	vp->v_ops->reclaim(vp);
	kfree(vp);
}

/* Reclaim idle vnodes beyond the cache's limit, oldest first. */
static void
cache_trim(void)
{
	for (;;) {
		struct vnode *vp = NULL;
		struct list *l;

		spin_lock(&vnode_cache_lock);
		if (vnode_idle > VNODE_CACHE_IDLE_MAX &&
		    (l = list_first(&vnode_lru)) != NULL) {
			vp = container_of(l, struct vnode, v_lru);
			list_remove(&vp->v_lru);
			list_remove(&vp->v_hash);
			vnode_idle--;
			vnode_total--;
		}
		spin_unlock(&vnode_cache_lock);
		if (vp == NULL)
			return;
		vnode_destroy(vp, false);
	}
}

/*
 * The vnode of inode ino on mp, referenced, loading it if it is not
 * cached.  Returns 0, or the file system's error (EIO for a bad inode).
 */
int
vget(struct mount *mp, uint64_t ino, struct vnode **vpp)
{
	struct vnode *vp, *other;
	int error;

	spin_lock(&vnode_cache_lock);
	vp = cache_find(mp, ino);
	spin_unlock(&vnode_cache_lock);
	if (vp != NULL) {
		*vpp = vp;
		return 0;
	}
	vp = kmalloc(sizeof(*vp), M_ZERO);
	if (vp == NULL)
		return ENOMEM;
	sx_init(&vp->v_lock, "vnode");
	vp->v_mount = mp;
	vp->v_ino = ino;
	vp->v_refcnt = 1;
	error = mp->mnt_ops->vget(mp, ino, vp);
	if (error != 0) {
		kfree(vp);
		return error;
	}
	spin_lock(&vnode_cache_lock);
	other = cache_find(mp, ino);	/* loaded meanwhile by someone else? */
	if (other == NULL) {
		list_insert_head(hash_of(mp, ino), &vp->v_hash);
		vnode_total++;
	}
	spin_unlock(&vnode_cache_lock);
	if (other != NULL) {
		vp->v_ops->reclaim(vp);
		kfree(vp);
		vp = other;
	}
	*vpp = vp;
	cache_trim();
	return 0;
}

void
vref(struct vnode *vp)
{
	spin_lock(&vnode_cache_lock);
	KASSERT(vp->v_refcnt > 0, "vnode %lu not referenced", vp->v_ino);
	vp->v_refcnt++;
	spin_unlock(&vnode_cache_lock);
}

/*
 * Drop a reference.  The last one runs the file system's inactive
 * routine; a deleted file's vnode is then reclaimed, others stay cached.
 */
void
vrele(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	/* Read while our reference keeps mp: once it is gone, a detached
	 * mount's reaper may free mp, whose address alone is used then.  A
	 * detach after this look is caught by the reaper's timeout. */
	bool detached = mp != NULL &&
	    __atomic_load_n(&mp->mnt_detached, __ATOMIC_RELAXED);
	bool reclaim;

	spin_lock(&vnode_cache_lock);
	KASSERT(vp->v_refcnt > 0, "vnode %lu not referenced", vp->v_ino);
	if (vp->v_refcnt > 1) {
		vp->v_refcnt--;
		spin_unlock(&vnode_cache_lock);
		return;
	}
	spin_unlock(&vnode_cache_lock);

	reclaim = vp->v_ops->inactive(vp);
	spin_lock(&vnode_cache_lock);
	if (--vp->v_refcnt > 0) {
		/* Found again while inactive ran; a live file keeps going. */
		spin_unlock(&vnode_cache_lock);
		return;
	}
	if (reclaim) {
		list_remove(&vp->v_hash);
		vnode_total--;
	} else {
		list_insert_tail(&vnode_lru, &vp->v_lru);
		vnode_idle++;
	}
	spin_unlock(&vnode_cache_lock);
	if (reclaim)
		vnode_destroy(vp, true);
	else
		cache_trim();
	if (detached)
		vfs_detached_release(mp);
}

/* Unlock (exclusive) and release. */
void
vput(struct vnode *vp)
{
	sx_xunlock(&vp->v_lock);
	vrele(vp);
}

int
vnode_cache_count(void)
{
	return vnode_total;
}

/*
 * Reclaim every idle vnode of mp (writing back its pages), for unmount
 * and tests.  Referenced vnodes stay.
 */
void
vflush(struct mount *mp)
{
	for (;;) {
		struct vnode *vp = NULL;

		spin_lock(&vnode_cache_lock);
		for (struct list *l = vnode_lru.next; l != &vnode_lru; l = l->next) {
			struct vnode *cand = container_of(l, struct vnode, v_lru);

			if (cand->v_mount == mp) {
				vp = cand;
				list_remove(&vp->v_lru);
				list_remove(&vp->v_hash);
				vnode_idle--;
				vnode_total--;
				break;
			}
		}
		spin_unlock(&vnode_cache_lock);
		if (vp == NULL)
			return;
		vnode_destroy(vp, false);
	}
}

/*
 * Call fn on every cached vnode of mp, each referenced for the call (so
 * fn may sleep).  Vnodes loaded meanwhile may be missed.
 */
int
vnode_foreach(struct mount *mp, int (*fn)(struct vnode *vp))
{
	enum { BATCH = 32 };
	struct vnode *batch[BATCH];
	int error = 0, skip = 0;

	for (;;) {
		int n = 0, seen = 0;

		spin_lock(&vnode_cache_lock);
		hash_of(mp, 0);		/* make sure the hash exists */
		for (int h = 0; h < VNODE_HASH && n < BATCH; h++) {
			for (struct list *l = vnode_hash[h].next;
			    l != &vnode_hash[h] && n < BATCH; l = l->next) {
				struct vnode *vp = container_of(l, struct vnode, v_hash);

				if (vp->v_mount != mp || seen++ < skip)
					continue;
				if (vp->v_refcnt++ == 0) {
					list_remove(&vp->v_lru);
					vnode_idle--;
				}
				batch[n++] = vp;
			}
		}
		spin_unlock(&vnode_cache_lock);
		for (int i = 0; i < n; i++) {
			int e = fn(batch[i]);

			if (error == 0)
				error = e;
			vrele(batch[i]);
		}
		if (n < BATCH)
			return error;
		skip += n;
	}
}

/* How many vnodes of mp are cached (referenced or not). */
int
vnode_count_mount(struct mount *mp)
{
	int n = 0;

	spin_lock(&vnode_cache_lock);
	hash_of(mp, 0);
	for (int h = 0; h < VNODE_HASH; h++)
		for (struct list *l = vnode_hash[h].next; l != &vnode_hash[h];
		    l = l->next)
			if (container_of(l, struct vnode, v_hash)->v_mount == mp)
				n++;
	spin_unlock(&vnode_cache_lock);
	return n;
}

/*
 * Is mp in use: any of its vnodes referenced but its root, or its root by
 * more than the mount's own reference?  (Open files, current and root
 * directories, mapped ext2 files and lookups under way all hold one.)
 */
bool
vnode_mount_busy(struct mount *mp)
{
	bool busy = false;

	spin_lock(&vnode_cache_lock);
	hash_of(mp, 0);
	for (int h = 0; h < VNODE_HASH && !busy; h++)
		for (struct list *l = vnode_hash[h].next; l != &vnode_hash[h];
		    l = l->next) {
			struct vnode *vp = container_of(l, struct vnode, v_hash);

			if (vp->v_mount == mp &&
			    vp->v_refcnt > (vp == mp->mnt_root ? 1 : 0)) {
				busy = true;
				break;
			}
		}
	spin_unlock(&vnode_cache_lock);
	return busy;
}
