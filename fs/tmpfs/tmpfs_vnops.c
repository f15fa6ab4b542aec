/*
 * tmpfs vnode operations.  The vfs layer holds the directory's v_lock
 * (both directories' for rename) around directory operations and the
 * file's for attribute changes; each operation takes tm_lock inside it
 * for the nodes, and drops it before vget (which takes it again).
 *
 * An operation that takes a name away (unlink, rmdir, rename over a
 * target) holds the named file's vnode meanwhile, so that its vrele at
 * the end runs inactive: the node of a name that was its last link then
 * goes with the vnode, whoever had it cached.
 */
#include "fs/tmpfs/tmpfs.h"
#include "vm/vm_object.h"

static struct tmpfs_mount *
vtotm(struct vnode *vp)
{
	return VFS_TO_TMPFS(vp->v_mount);
}

/* After a change to directory dir: its vnode's bound for readdir cookies. */
static void
dir_note_size(struct vnode *dvp)
{
	dvp->v_size = VTON(dvp)->tn_next_cookie;
}

/*
 * The inode number name (len bytes) stands for in dir, or 0: "." itself,
 * ".." its parent (the root's is itself); nothing in a removed
 * directory.  tm_lock held.
 */
static uint64_t
dir_find_ino(struct tmpfs_node *dir, const char *name, size_t len)
{
	struct tmpfs_dirent *de;

	if (dir->tn_nlink == 0)
		return 0;
	if (len == 1 && name[0] == '.')
		return dir->tn_ino;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->tn_parent->tn_ino;
	de = tmpfs_dir_lookup(dir, name, len);
	return de != NULL ? de->td_node->tn_ino : 0;
}

static int
tmpfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct tmpfs_mount *tm = vtotm(dvp);
	uint64_t ino;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	sx_xlock(&tm->tm_lock);
	ino = dir_find_ino(VTON(dvp), name, len);
	sx_xunlock(&tm->tm_lock);
	/* dvp's lock (held) keeps the entry, and so the node, there. */
	return ino != 0 ? vget(dvp->v_mount, ino, vpp) : ENOENT;
}

/*
 * Make a node of type (permission bits from mode) named name in dvp:
 * rdev for a device node, target for a symlink.  *vpp gets its vnode,
 * referenced.  EROFS, EEXIST, ENOENT (dvp was removed), ENOSPC, ENOMEM.
 */
static int
make_node(struct vnode *dvp, const char *name, size_t len, enum vtype type,
    uint32_t mode, uint32_t rdev, const char *target, struct vnode **vpp)
{
	struct tmpfs_mount *tm = vtotm(dvp);
	struct tmpfs_node *dir = VTON(dvp), *node = NULL;
	uint64_t ino = 0;
	int error = 0;

	if (dvp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&tm->tm_lock);
	if (dir->tn_nlink == 0)
		error = ENOENT;
	else if (tmpfs_dir_lookup(dir, name, len) != NULL)
		error = EEXIST;
	else
		error = tmpfs_node_alloc(tm, type, mode, &node);
	if (error == 0 && type == VLNK) {
		node->tn_size = strlen(target);
		node->tn_link = kmalloc(node->tn_size + 1, 0);
		if (node->tn_link == NULL)
			error = ENOMEM;
		else
			memcpy(node->tn_link, target, node->tn_size + 1);
	}
	if (error == 0) {
		node->tn_rdev = rdev;
		node->tn_parent = dir;
		error = tmpfs_dir_add(dir, name, len, node);
	}
	if (error == 0 && type == VDIR) {
		node->tn_nlink++;	/* its "." */
		dir->tn_nlink++;	/* its ".." */
	}
	if (error == 0)
		ino = node->tn_ino;
	else if (node != NULL)
		tmpfs_node_free(tm, node);
	dir_note_size(dvp);
	sx_xunlock(&tm->tm_lock);
	return error != 0 ? error : vget(dvp->v_mount, ino, vpp);
}

static int
tmpfs_create(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    struct vnode **vpp)
{
	return make_node(dvp, name, len, VREG, mode, 0, NULL, vpp);
}

static int
tmpfs_mkdir(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    struct vnode **vpp)
{
	return make_node(dvp, name, len, VDIR, mode, 0, NULL, vpp);
}

static int
tmpfs_symlink(struct vnode *dvp, const char *name, size_t len,
    const char *target, struct vnode **vpp)
{
	return make_node(dvp, name, len, VLNK, 0777, 0, target, vpp);
}

static int
tmpfs_mknod(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    uint32_t rdev, struct vnode **vpp)
{
	enum vtype type;

	switch (mode & S_IFMT) {
	case S_IFCHR:
		type = VCHR;
		break;
	case S_IFBLK:
		type = VBLK;
		break;
	case S_IFIFO:
		type = VFIFO;
		break;
	case S_IFSOCK:
		type = VSOCK;
		break;
	default:
		return EINVAL;
	}
	return make_node(dvp, name, len, type, mode, rdev, NULL, vpp);
}

/*
 * The entry name of dvp, whose file's vnode (referenced) the caller
 * holds: still there, since dvp is locked.  tm_lock held.
 */
static struct tmpfs_dirent *
held_entry(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	struct tmpfs_dirent *de = tmpfs_dir_lookup(VTON(dvp), name, len);

	KASSERT(de != NULL && de->td_node == VTON(vp),
	    "tmpfs: entry changed under a locked directory");
	return de;
}

static int
tmpfs_unlink(struct vnode *dvp, const char *name, size_t len)
{
	struct tmpfs_mount *tm = vtotm(dvp);
	struct vnode *vp;
	int error;

	if (dvp->v_mount->mnt_rdonly)
		return EROFS;
	error = tmpfs_lookup(dvp, name, len, &vp);
	if (error != 0)
		return error;
	if (vp->v_type == VDIR) {
		error = EISDIR;
	} else {
		sx_xlock(&tm->tm_lock);
		tmpfs_dir_remove(VTON(dvp), held_entry(dvp, name, len, vp));
		sx_xunlock(&tm->tm_lock);
	}
	vrele(vp);		/* the last link's node goes here */
	return error;
}

/*
 * Take directory entry de (an empty directory's, whose vnode the caller
 * holds) out of dir: the directory loses both its links, dir the one its
 * ".." was.  tm_lock held.
 */
static void
remove_dir_entry(struct tmpfs_node *dir, struct tmpfs_dirent *de)
{
	struct tmpfs_node *node = de->td_node;

	tmpfs_dir_remove(dir, de);
	node->tn_nlink = 0;
	node->tn_parent = NULL;
	dir->tn_nlink--;
}

static int
tmpfs_rmdir(struct vnode *dvp, const char *name, size_t len)
{
	struct tmpfs_mount *tm = vtotm(dvp);
	struct vnode *vp;
	int error;

	if (name_is_dot_or_dotdot(name, len))
		return len == 1 ? EINVAL : ENOTEMPTY;
	if (dvp->v_mount->mnt_rdonly)
		return EROFS;
	error = tmpfs_lookup(dvp, name, len, &vp);
	if (error != 0)
		return error;
	sx_xlock(&tm->tm_lock);
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else if (VTON(vp)->tn_nentries != 0)
		error = ENOTEMPTY;
	else
		remove_dir_entry(VTON(dvp), held_entry(dvp, name, len, vp));
	sx_xunlock(&tm->tm_lock);
	vrele(vp);
	return error;
}

/* Is directory node dir, or one of its ancestors, node?  tm_lock held. */
static bool
is_ancestor(struct tmpfs_mount *tm, struct tmpfs_node *node,
    struct tmpfs_node *dir)
{
	for (; dir != NULL; dir = dir->tn_parent) {
		if (dir == node)
			return true;
		if (dir == tm->tm_root)
			break;
	}
	return false;
}

/* Checks before renaming node fnode over tde (NULL: no target) in tdir. */
static int
rename_check(struct tmpfs_mount *tm, struct tmpfs_node *fnode,
    struct tmpfs_dirent *tde, struct tmpfs_node *tdir)
{
	struct tmpfs_node *tnode = tde != NULL ? tde->td_node : NULL;

	if (fnode->tn_type == VDIR && is_ancestor(tm, fnode, tdir))
		return EINVAL;	/* into its own subtree */
	if (tnode == NULL)
		return 0;
	if (fnode->tn_type == VDIR && tnode->tn_type != VDIR)
		return ENOTDIR;
	if (fnode->tn_type != VDIR && tnode->tn_type == VDIR)
		return EISDIR;
	if (tnode->tn_type == VDIR && tnode->tn_nentries != 0)
		return ENOTEMPTY;
	return 0;
}

/*
 * Rename fdvp/fname to tdvp/tname, replacing an existing target.  The
 * new entry is made first, so that running out of memory changes
 * nothing.
 */
static int
tmpfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *tdvp, const char *tname, size_t tlen)
{
	struct tmpfs_mount *tm = vtotm(fdvp);
	struct tmpfs_node *fdir = VTON(fdvp), *tdir = VTON(tdvp), *fnode;
	struct tmpfs_dirent *fde, *tde;
	struct vnode *tvp;
	int error;

	if (tmpfs_lookup(tdvp, tname, tlen, &tvp) != 0)
		tvp = NULL;		/* no target (or no memory for its vnode:
					   then it is simply not freed early) */
	sx_xlock(&tm->tm_lock);
	fde = tmpfs_dir_lookup(fdir, fname, flen);
	tde = tmpfs_dir_lookup(tdir, tname, tlen);
	if (fde == NULL) {
		error = ENOENT;
		goto out;
	}
	fnode = fde->td_node;
	if (tde != NULL && tde->td_node == fnode) {
		error = 0;		/* the same file: nothing to do */
		goto out;
	}
	error = rename_check(tm, fnode, tde, tdir);
	if (error == 0)
		error = tmpfs_dir_add(tdir, tname, tlen, fnode);
	if (error != 0)
		goto out;
	if (tde != NULL) {
		struct tmpfs_node *tnode = tde->td_node;

		if (tnode->tn_type == VDIR)
			remove_dir_entry(tdir, tde);
		else
			tmpfs_dir_remove(tdir, tde);
		if (tvp == NULL)
			tmpfs_node_maybe_free(tm, tnode);
	}
	tmpfs_dir_remove(fdir, fde);
	if (fnode->tn_type == VDIR && fdir != tdir) {
		fnode->tn_parent = tdir;
		fdir->tn_nlink--;
		tdir->tn_nlink++;
	}
out:
	dir_note_size(fdvp);
	dir_note_size(tdvp);
	sx_xunlock(&tm->tm_lock);
	if (tvp != NULL)
		vrele(tvp);	/* a replaced target's last link goes here */
	return error;
}

/*
 * Directory entries from *cookie: 0 is ".", 1 "..", then each entry's
 * own cookie, in the order they were made; the cookie after an entry is
 * its own plus one, so a listing resumes at the next entry still there.
 * A listing that reaches the end leaves the cookie at the directory's
 * end (v_size), which getdents takes for the end even when the last
 * entries were removed.
 */
static int
tmpfs_readdir(struct vnode *vp, uint64_t *cookie, readdir_fn fn, void *arg)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *dir = VTON(vp);
	bool stopped = false;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	sx_xlock(&tm->tm_lock);
	if (*cookie == 0 && !(stopped = fn(arg, ".", 1, dir->tn_ino, VDIR, 1)))
		*cookie = 1;
	/* A removed directory's ".." is itself (it has no parent now). */
	if (!stopped && *cookie == 1 && !(stopped = fn(arg, "..", 2,
	    dir->tn_parent != NULL ? dir->tn_parent->tn_ino : dir->tn_ino,
	    VDIR, 2)))
		*cookie = 2;
	for (struct list *l = dir->tn_entries.next; !stopped &&
	    l != &dir->tn_entries; l = l->next) {
		struct tmpfs_dirent *de = container_of(l, struct tmpfs_dirent,
		    td_link);

		if (de->td_cookie < *cookie)
			continue;
		stopped = fn(arg, de->td_name, de->td_namelen,
		    de->td_node->tn_ino, de->td_node->tn_type,
		    de->td_cookie + 1) != 0;
		if (!stopped)
			*cookie = de->td_cookie + 1;
	}
	if (!stopped)
		*cookie = MAX(*cookie, dir->tn_next_cookie);
	sx_xunlock(&tm->tm_lock);
	return 0;
}

static int
tmpfs_readlink(struct vnode *vp, char *buf, size_t size, size_t *len)
{
	struct tmpfs_node *node = VTON(vp);

	*len = MIN(size, node->tn_size);
	memcpy(buf, node->tn_link, *len);
	return 0;
}

static int
tmpfs_getattr(struct vnode *vp, struct vattr *va)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);

	memset(va, 0, sizeof(*va));
	sx_xlock(&tm->tm_lock);
	va->va_mode = node->tn_mode;
	va->va_nlink = node->tn_nlink;
	va->va_uid = node->tn_uid;
	va->va_gid = node->tn_gid;
	va->va_size = node->tn_type == VDIR ?
	    (node->tn_nentries + 2) * TMPFS_DIRENT_SIZE : node->tn_size;
	va->va_blocks = node->tn_pages * (PAGE_SIZE / 512);
	va->va_ino = node->tn_ino;
	va->va_blksize = PAGE_SIZE;
	va->va_rdev = node->tn_rdev;
	va->va_atime = node->tn_atime;
	va->va_mtime = node->tn_mtime;
	va->va_ctime = node->tn_ctime;
	sx_xunlock(&tm->tm_lock);
	return 0;
}

/*
 * A regular file's new size (the vfs layer has set the object's size and
 * dropped the pages past it).  Growing is charged to the mount: ENOSPC
 * if it is full, and the object's size goes back to the file's.
 */
static int
tmpfs_setsize(struct vnode *vp, uint64_t size)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);
	int error;

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	if (vp->v_type != VREG)
		return EINVAL;
	sx_xlock(&tm->tm_lock);
	error = tmpfs_charge(tm, node, atop(round_page(size)));
	if (error == 0) {
		node->tn_size = vp->v_size = size;
		node->tn_mtime = node->tn_ctime = vfs_now();
	} else {
		vm_object_lock(node->tn_obj);
		node->tn_obj->size = atop(round_page(node->tn_size));
		vm_object_unlock(node->tn_obj);
	}
	sx_xunlock(&tm->tm_lock);
	return error;
}

static int
tmpfs_settimes(struct vnode *vp, const struct timespec64 *atime,
    const struct timespec64 *mtime)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&tm->tm_lock);
	if (atime != NULL)
		node->tn_atime = *atime;
	if (mtime != NULL)
		node->tn_mtime = *mtime;
	node->tn_ctime = vfs_now();
	sx_xunlock(&tm->tm_lock);
	return 0;
}

static int
tmpfs_setmode(struct vnode *vp, uint32_t mode)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&tm->tm_lock);
	node->tn_mode = (node->tn_mode & S_IFMT) | (mode & 07777);
	node->tn_ctime = vfs_now();
	sx_xunlock(&tm->tm_lock);
	return 0;
}

static int
tmpfs_setowner(struct vnode *vp, uint32_t uid, uint32_t gid)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);

	if (vp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&tm->tm_lock);
	if (uid != VNOVAL)
		node->tn_uid = uid;
	if (gid != VNOVAL)
		node->tn_gid = gid;
	node->tn_ctime = vfs_now();
	sx_xunlock(&tm->tm_lock);
	return 0;
}

static int
tmpfs_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	struct tmpfs_mount *tm = vtotm(dvp);
	struct tmpfs_node *dir = VTON(dvp), *node = VTON(vp);
	int error;

	if (dvp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&tm->tm_lock);
	if (dir->tn_nlink == 0 || node->tn_nlink == 0)
		error = ENOENT;		/* removed: no new names */
	else if (tmpfs_dir_lookup(dir, name, len) != NULL)
		error = EEXIST;
	else
		error = tmpfs_dir_add(dir, name, len, node);
	dir_note_size(dvp);
	sx_xunlock(&tm->tm_lock);
	return error;
}

/*
 * The vfs layer asks for a page's "block" (mnt_bsize is a page) before it
 * writes there: allocating one past the pages charged charges the mount
 * up to it (ENOSPC when full; a write that falls short gives the rest
 * back through setsize).  Every page inside the size is data.
 */
static int
tmpfs_bmap(struct vnode *vp, uint64_t lblk, bool alloc, uint64_t *pblk)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);
	int error = 0;

	if (alloc && vp->v_mount->mnt_rdonly)
		return EROFS;
	sx_xlock(&tm->tm_lock);
	if (alloc && lblk >= node->tn_pages)
		error = tmpfs_charge(tm, node, lblk + 1);
	*pblk = lblk < node->tn_pages ? lblk + 1 : 0;
	sx_xunlock(&tm->tm_lock);
	return error;
}

/* The last reference is gone: a node with no links goes with its vnode. */
static bool
tmpfs_inactive(struct vnode *vp)
{
	struct tmpfs_mount *tm = vtotm(vp);
	bool gone;

	sx_xlock(&tm->tm_lock);
	gone = VTON(vp)->tn_nlink == 0;
	sx_xunlock(&tm->tm_lock);
	return gone;
}

static void
tmpfs_reclaim(struct vnode *vp)
{
	struct tmpfs_mount *tm = vtotm(vp);
	struct tmpfs_node *node = VTON(vp);

	sx_xlock(&tm->tm_lock);
	KASSERT(node->tn_vcount > 0, "tmpfs node %lu has no vnode", node->tn_ino);
	node->tn_vcount--;
	tmpfs_node_maybe_free(tm, node);
	sx_xunlock(&tm->tm_lock);
	vp->v_data = NULL;
	vp->v_object = NULL;
}

const struct vnode_ops tmpfs_vnode_ops = {
	.lookup = tmpfs_lookup,
	.create = tmpfs_create,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.mknod = tmpfs_mknod,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.readdir = tmpfs_readdir,
	.readlink = tmpfs_readlink,
	.getattr = tmpfs_getattr,
	.setsize = tmpfs_setsize,
	.settimes = tmpfs_settimes,
	.setmode = tmpfs_setmode,
	.setowner = tmpfs_setowner,
	.link = tmpfs_link,
	.bmap = tmpfs_bmap,
	.inactive = tmpfs_inactive,
	.reclaim = tmpfs_reclaim,
};
