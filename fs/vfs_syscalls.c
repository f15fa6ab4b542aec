/*
 * Path-level file operations: what open, mkdir, unlink, rename, symlink,
 * readlink and stat do once the path has been copied in.  Every function
 * takes the caller's root and current directory.
 *
 * Directory changes lock the parent directory's vnode (both parents for
 * rename, in address order to avoid deadlock) around the file system call.
 */
#include "fs/vnode.h"
#include "kern/fcntl.h"

/* Lock two directories (maybe the same) in a fixed order. */
static void
lock_pair(struct vnode *a, struct vnode *b)
{
	if (a == b) {
		sx_xlock(&a->v_lock);
	} else if ((uintptr_t)a < (uintptr_t)b) {
		sx_xlock(&a->v_lock);
		sx_xlock(&b->v_lock);
	} else {
		sx_xlock(&b->v_lock);
		sx_xlock(&a->v_lock);
	}
}

static void
unlock_pair(struct vnode *a, struct vnode *b)
{
	sx_xunlock(&a->v_lock);
	if (a != b)
		sx_xunlock(&b->v_lock);
}

static bool
is_dot_or_dotdot(const struct nameidata *nd)
{
	return name_is_dot_or_dotdot(nd->ni_name, nd->ni_namelen);
}

/* The access an open with these flags asks of an existing file: its
 * access mode's, and write for O_TRUNC (as Linux). */
static int
open_access(int flags)
{
	int acc = flags & O_ACCMODE;
	int want = acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK : R_OK | W_OK;

	return (flags & O_TRUNC) ? want | W_OK : want;
}

/*
 * Open (and with O_CREAT maybe create) path; O_EXCL, O_TRUNC,
 * O_DIRECTORY and O_NOFOLLOW act as in Linux, and with O_PATH (the caller
 * dropped the flags that do nothing with it) O_NOFOLLOW gives the link.  Returns 0 with *vpp
 * referenced, or an errno.  Access-mode checks against the file type
 * (writing a directory is EISDIR) are made here too.
 */
int
vfs_open(struct vnode *root, struct vnode *cwd, const char *path, int flags,
    uint32_t mode, struct vnode **vpp)
{
	struct nameidata nd;
	struct vnode *vp = NULL;
	int error, acc = flags & O_ACCMODE;
	bool created = false;

	if (flags & O_CREAT) {
		error = namei(root, cwd, path, LOOKUP_PARENT, &nd);
		if (error == 0 && nd.ni_slash) {
			vrele(nd.ni_dvp);	/* "name/": only a directory, */
			error = EINVAL;		/* which O_CREAT cannot make */
		}
		if (error == EINVAL)	/* "/" or "name/": no file to create */
			error = EISDIR;
		if (error != 0)
			return error;
		sx_xlock(&nd.ni_dvp->v_lock);
		error = nd.ni_dvp->v_ops->lookup(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, &vp);
		if (error == ENOENT) {
			if (nd.ni_dvp->v_mount->mnt_rdonly)
				error = EROFS;
			else if ((error = vn_may_change_dir(nd.ni_dvp, NULL)) == 0 &&
			    (error = nd.ni_dvp->v_ops->create(nd.ni_dvp, nd.ni_name,
			    nd.ni_namelen, mode, &vp)) == 0)
				error = vn_set_creator(nd.ni_dvp, vp);
			created = true;
			flags &= ~O_TRUNC;
		} else if (error == 0 && (flags & O_EXCL)) {
			error = EEXIST;
		}
		sx_xunlock(&nd.ni_dvp->v_lock);
		vrele(nd.ni_dvp);
		if (error != 0) {
			if (vp != NULL)
				vrele(vp);
			return error;
		}
		if (vp->v_type == VLNK && !(flags & O_EXCL)) {
			/* Linux follows a dangling-or-not symlink for O_CREAT. */
			vrele(vp);
			return vfs_open(root, cwd, path, flags & ~O_CREAT, mode, vpp);
		}
	} else {
		error = namei(root, cwd, path,
		    (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &nd);
		if (error != 0)
			return error;
		vp = nd.ni_vp;
	}
	if (vp->v_type == VLNK && !(flags & O_PATH))
		error = ELOOP;			/* O_NOFOLLOW on a link */
	else if ((flags & O_DIRECTORY) && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (vp->v_type == VDIR && (acc != O_RDONLY || (flags & O_TRUNC)))
		error = EISDIR;
	else if ((acc != O_RDONLY || ((flags & O_TRUNC) && vp->v_type == VREG)) &&
	    vp->v_mount->mnt_rdonly)
		error = EROFS;
	else if (!created && !(flags & O_PATH))
		error = vn_access(vp, open_access(flags));
	/* Linux truncates for O_TRUNC whatever the access mode. */
	if (error == 0 && (flags & O_TRUNC) && vp->v_type == VREG)
		error = vn_truncate(vp, 0);
	if (error != 0) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}

/*
 * After an operation that made vp in directory dvp (locked) returned
 * error: on success, vp gets its creator (vn_set_creator) and is
 * released.  Returns the operation's error, or the ownership's.
 */
static int
created(struct vnode *dvp, struct vnode *vp, int error)
{
	if (error != 0)
		return error;
	error = vn_set_creator(dvp, vp);
	vrele(vp);
	return error;
}

/*
 * The directory where a new name at path is to be made (mkdir, symlink,
 * mknod, link), checked as Linux's filename_create and may_create do, in
 * their order: an existing name (or "." or "..", or a path that names
 * the root) is EEXIST; "name/" is ENOENT unless dir; a read-only mount
 * EROFS; for link, another file system than link_to's EXDEV; then
 * write and search permission on the directory.  Returns 0 with nd
 * filled and nd->ni_dvp locked and referenced (the caller vputs it), or
 * the error with nothing held.
 */
static int
new_name_at(struct vnode *root, struct vnode *cwd, const char *path, bool dir,
    struct vnode *link_to, struct nameidata *nd)
{
	struct vnode *dvp, *vp;
	int error = namei(root, cwd, path, LOOKUP_PARENT, nd);

	if (error != 0)
		return error == EINVAL ? EEXIST : error;
	dvp = nd->ni_dvp;
	sx_xlock(&dvp->v_lock);
	if (is_dot_or_dotdot(nd)) {
		error = EEXIST;
	} else if (dvp->v_ops->lookup(dvp, nd->ni_name, nd->ni_namelen,
	    &vp) == 0) {
		vrele(vp);
		error = EEXIST;
	} else if (nd->ni_slash && !dir) {
		error = ENOENT;
	} else if (dvp->v_mount->mnt_rdonly) {
		error = EROFS;
	} else if (link_to != NULL && link_to->v_mount != dvp->v_mount) {
		error = EXDEV;
	} else {
		error = vn_may_change_dir(dvp, NULL);
	}
	if (error != 0)
		vput(dvp);
	return error;
}

int
vfs_mkdir(struct vnode *root, struct vnode *cwd, const char *path,
    uint32_t mode)
{
	struct nameidata nd;
	struct vnode *vp;
	int error = new_name_at(root, cwd, path, true, NULL, &nd);

	if (error != 0)
		return error;
	error = nd.ni_dvp->v_ops->mkdir(nd.ni_dvp, nd.ni_name, nd.ni_namelen,
	    mode, &vp);
	error = created(nd.ni_dvp, vp, error);
	vput(nd.ni_dvp);
	return error;
}

/*
 * The type of the file nd's last component names, its parent locked: 0
 * with *type, or the lookup's error.  For a trailing slash, which asks
 * for a directory.
 */
static int
name_type(const struct nameidata *nd, enum vtype *type)
{
	struct vnode *vp;
	int error = nd->ni_dvp->v_ops->lookup(nd->ni_dvp, nd->ni_name,
	    nd->ni_namelen, &vp);

	if (error == 0) {
		*type = vp->v_type;
		vrele(vp);
	}
	return error;
}

/*
 * Does nd's last component name a directory something is mounted on?
 * (Linux: such a name cannot be removed or renamed, EBUSY.)  Parent
 * locked.
 */
static bool
name_is_mountpoint(const struct nameidata *nd)
{
	struct vnode *vp;
	bool covered = false;

	if (nd->ni_dvp->v_ops->lookup(nd->ni_dvp, nd->ni_name, nd->ni_namelen,
	    &vp) == 0) {
		covered = vfs_is_mountpoint(vp);
		vrele(vp);
	}
	return covered;
}

/*
 * May the current process remove or rename away the entry nd names (its
 * parent locked)?  As Linux's may_delete: the entry must exist (ENOENT
 * before any permission is looked at), and vn_may_change_dir decides.
 */
static int
may_change_entry(const struct nameidata *nd)
{
	struct vnode *vp;
	int error;

	if (vfs_root_ids())
		return 0;	/* the operation itself finds a missing name */
	error = nd->ni_dvp->v_ops->lookup(nd->ni_dvp, nd->ni_name,
	    nd->ni_namelen, &vp);
	if (error == 0) {
		error = vn_may_change_dir(nd->ni_dvp, vp);
		vrele(vp);
	}
	return error;
}

/*
 * unlink(path), or rmdir(path) when dir is set.  "name/" is fine for
 * rmdir (the name must be a directory anyway).
 */
int
vfs_remove(struct vnode *root, struct vnode *cwd, const char *path, bool dir)
{
	struct nameidata nd;
	enum vtype type;
	int error = namei(root, cwd, path, LOOKUP_PARENT, &nd);

	if (error != 0)
		return error == EINVAL ? (dir ? EBUSY : EISDIR) : error;
	sx_xlock(&nd.ni_dvp->v_lock);
	if (!dir && nd.ni_slash && !is_dot_or_dotdot(&nd)) {
		/* Linux: a trailing slash leaves unlink nothing to remove. */
		error = name_type(&nd, &type);
		if (error == 0)
			error = type == VDIR ? EISDIR : ENOTDIR;
	} else if (nd.ni_dvp->v_mount->mnt_rdonly)
		error = EROFS;
	else if (is_dot_or_dotdot(&nd))
		error = dir ? nd.ni_dvp->v_ops->rmdir(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen) : EISDIR;
	else if ((error = may_change_entry(&nd)) == 0) {
		if (dir && name_is_mountpoint(&nd))
			error = EBUSY;
		else if (dir)
			error = nd.ni_dvp->v_ops->rmdir(nd.ni_dvp, nd.ni_name,
			    nd.ni_namelen);
		else
			error = nd.ni_dvp->v_ops->unlink(nd.ni_dvp, nd.ni_name,
			    nd.ni_namelen);
	}
	vput(nd.ni_dvp);
	return error;
}

/*
 * May the current process rename fnd's entry to tnd's (both parents
 * locked)?  As Linux: the source may be removed, the target directory
 * changed (and an existing target removed), and a directory moving to
 * another parent must itself be writable, its ".." changing.
 */
static int
may_rename(const struct nameidata *fnd, const struct nameidata *tnd)
{
	struct vnode *src, *dst;
	int error;

	if (vfs_root_ids())
		return 0;
	error = fnd->ni_dvp->v_ops->lookup(fnd->ni_dvp, fnd->ni_name,
	    fnd->ni_namelen, &src);
	if (error != 0)
		return error;
	if (src == tnd->ni_dvp) {
		vrele(src);	/* into itself: the rename's own error */
		return 0;
	}
	error = vn_may_change_dir(fnd->ni_dvp, src);
	if (error == 0 && tnd->ni_dvp->v_ops->lookup(tnd->ni_dvp, tnd->ni_name,
	    tnd->ni_namelen, &dst) == 0) {
		/* Onto the source's own parent: the rename's own error. */
		if (dst != fnd->ni_dvp)
			error = vn_may_change_dir(tnd->ni_dvp, dst);
		vrele(dst);
	} else if (error == 0) {
		error = vn_may_change_dir(tnd->ni_dvp, NULL);
	}
	if (error == 0 && src->v_type == VDIR && fnd->ni_dvp != tnd->ni_dvp)
		error = vn_access(src, W_OK);
	vrele(src);
	return error;
}

/*
 * rename(from, to), a relative from starting at fromdir and a relative to
 * at todir (renameat's two directories); with noreplace, an existing
 * target is EEXIST.
 */
int
vfs_rename(struct vnode *root, struct vnode *fromdir, const char *from,
    struct vnode *todir, const char *to, bool noreplace)
{
	struct nameidata fnd, tnd;
	struct vnode *existing;
	enum vtype type;
	int error = namei(root, fromdir, from, LOOKUP_PARENT, &fnd);

	if (error != 0)
		return error == EINVAL ? EBUSY : error;
	error = namei(root, todir, to, LOOKUP_PARENT, &tnd);
	if (error != 0) {
		vrele(fnd.ni_dvp);
		return error == EINVAL ? EBUSY : error;
	}
	if (is_dot_or_dotdot(&fnd) || is_dot_or_dotdot(&tnd))
		error = EBUSY;
	else if (fnd.ni_dvp->v_mount != tnd.ni_dvp->v_mount)
		error = EXDEV;
	else if (fnd.ni_dvp->v_mount->mnt_rdonly)
		error = EROFS;
	if (error == 0) {
		lock_pair(fnd.ni_dvp, tnd.ni_dvp);
		/* Linux: a trailing slash on either name is ENOTDIR unless
		 * the source is a directory. */
		if (fnd.ni_slash || tnd.ni_slash) {
			error = name_type(&fnd, &type);
			if (error == 0 && type != VDIR)
				error = ENOTDIR;
		}
		if (error == 0)
			error = may_rename(&fnd, &tnd);
		if (error == 0 && (name_is_mountpoint(&fnd) ||
		    name_is_mountpoint(&tnd)))
			error = EBUSY;
		if (error == 0 && noreplace && tnd.ni_dvp->v_ops->lookup(tnd.ni_dvp,
		    tnd.ni_name, tnd.ni_namelen, &existing) == 0) {
			vrele(existing);
			error = EEXIST;
		}
		if (error == 0)
			error = fnd.ni_dvp->v_ops->rename(fnd.ni_dvp, fnd.ni_name,
			    fnd.ni_namelen, tnd.ni_dvp, tnd.ni_name, tnd.ni_namelen);
		unlock_pair(fnd.ni_dvp, tnd.ni_dvp);
	}
	vrele(fnd.ni_dvp);
	vrele(tnd.ni_dvp);
	return error;
}

int
vfs_symlink(struct vnode *root, struct vnode *cwd, const char *target,
    const char *path)
{
	struct nameidata nd;
	struct vnode *vp;
	int error = new_name_at(root, cwd, path, false, NULL, &nd);

	if (error != 0)
		return error;
	error = nd.ni_dvp->v_ops->symlink(nd.ni_dvp, nd.ni_name, nd.ni_namelen,
	    target, &vp);
	error = created(nd.ni_dvp, vp, error);
	vput(nd.ni_dvp);
	return error;
}

/*
 * mknod(path): a regular file, device node, FIFO or socket, as the type
 * bits of mode say (the caller has checked them and applied the umask).
 * new_name_at's errors.
 */
int
vfs_mknod(struct vnode *root, struct vnode *cwd, const char *path,
    uint32_t mode, uint32_t rdev)
{
	struct nameidata nd;
	struct vnode *vp, *dvp;
	int error = new_name_at(root, cwd, path, false, NULL, &nd);

	if (error != 0)
		return error;
	dvp = nd.ni_dvp;
	if ((mode & S_IFMT) == S_IFREG)
		error = dvp->v_ops->create(dvp, nd.ni_name, nd.ni_namelen,
		    mode, &vp);
	else
		error = dvp->v_ops->mknod(dvp, nd.ni_name, nd.ni_namelen,
		    mode, rdev, &vp);
	error = created(dvp, vp, error);
	vput(dvp);
	return error;
}

/*
 * link(vp, path): a new name for the file vp (referenced by the caller).
 * As Linux: new_name_at's errors (EXDEV for another file system among
 * them), then EPERM for a directory.
 */
int
vfs_link(struct vnode *root, struct vnode *cwd, const char *path,
    struct vnode *vp)
{
	struct nameidata nd;
	int error = new_name_at(root, cwd, path, false, vp, &nd);

	if (error != 0)
		return error;
	if (vp->v_type == VDIR) {
		error = EPERM;
	} else {
		sx_xlock(&vp->v_lock);
		error = nd.ni_dvp->v_ops->link(nd.ni_dvp, nd.ni_name,
		    nd.ni_namelen, vp);
		sx_xunlock(&vp->v_lock);
	}
	vput(nd.ni_dvp);
	return error;
}

/*
 * chown: set vp's owner and group (VNOVAL: unchanged).  As Linux, a
 * change of either on a file that is not a directory clears its set-user-
 * ID bit, and its set-group-ID bit if group execute is set, even for
 * root.
 */
int
vfs_chown(struct vnode *vp, uint32_t uid, uint32_t gid)
{
	struct vattr va;
	int error;

	sx_xlock(&vp->v_lock);
	error = vp->v_ops->getattr(vp, &va);
	if (error == 0)
		error = vattr_may_chown(&va, uid, gid);
	if (error == 0)
		error = vp->v_ops->setowner(vp, uid, gid);
	if (error == 0 && vp->v_type != VDIR && (uid != VNOVAL || gid != VNOVAL) &&
	    vattr_chown_mode(&va) != (va.va_mode & 07777))
		error = vp->v_ops->setmode(vp, vattr_chown_mode(&va));
	sx_xunlock(&vp->v_lock);
	return error;
}

/* chmod: set vp's permission bits, as its owner or root (EPERM). */
int
vfs_chmod(struct vnode *vp, uint32_t mode)
{
	struct vattr va;
	int error;

	sx_xlock(&vp->v_lock);
	error = vp->v_ops->getattr(vp, &va);
	if (error == 0)
		error = vattr_may_own(&va);
	if (error == 0)
		error = vp->v_ops->setmode(vp, vattr_chmod_mode(&va, mode));
	sx_xunlock(&vp->v_lock);
	return error;
}

/* The target of symlink path (not NUL-terminated), at most size bytes. */
int
vfs_readlink(struct vnode *root, struct vnode *cwd, const char *path,
    char *buf, size_t size, size_t *len)
{
	struct nameidata nd;
	int error = namei(root, cwd, path, 0, &nd);

	if (error != 0)
		return error;
	sx_xlock(&nd.ni_vp->v_lock);
	error = nd.ni_vp->v_type == VLNK ?
	    nd.ni_vp->v_ops->readlink(nd.ni_vp, buf, size, len) : EINVAL;
	vput(nd.ni_vp);
	return error;
}

int
vfs_stat(struct vnode *root, struct vnode *cwd, const char *path, bool follow,
    struct vattr *va)
{
	struct nameidata nd;
	int error = namei(root, cwd, path, follow ? LOOKUP_FOLLOW : 0, &nd);

	if (error != 0)
		return error;
	error = vn_getattr(nd.ni_vp, va);
	vrele(nd.ni_vp);
	return error;
}
