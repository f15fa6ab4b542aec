/*
 * Path name lookup: absolute and relative paths, ".", "..", and symbolic
 * links (at most MAXSYMLINKS followed per lookup, as Linux counts them).
 * ".." at the root stays at the root.  A directory something is mounted
 * on is crossed into the mount's root; ".." at a mount's root is looked
 * up in the directory it covers (vfs_mount.c).
 */
#include "fs/vnode.h"
#include "kern/kpath.h"

#define MAXSYMLINKS	40

struct walk {
	char *path;		/* PATH_MAX buffer; symlinks are spliced in */
	size_t pos;
	int links;
};

/*
 * Replace the consumed part of the path with the link's target: the rest
 * of the path (from w->pos) follows the target, after a "/" if one
 * followed the link's name (so "link/" still asks for a directory).
 * Returns 0, ELOOP or ENAMETOOLONG; *absolute tells whether to restart at
 * the root.
 */
static int
splice_link(struct walk *w, struct vnode *link, bool slash, bool *absolute)
{
	char *target = kmalloc(PATH_MAX, 0);
	size_t tlen, rest = strlen(w->path + w->pos);
	int error;

	if (target == NULL)
		return ENOMEM;
	if (++w->links > MAXSYMLINKS) {
		kfree(target);
		return ELOOP;
	}
	sx_xlock(&link->v_lock);
	error = link->v_ops->readlink(link, target, PATH_MAX - 1, &tlen);
	sx_xunlock(&link->v_lock);
	if (error == 0 && (tlen == 0 || tlen + 1 + rest >= PATH_MAX))
		error = tlen == 0 ? ENOENT : ENAMETOOLONG;
	if (error == 0) {
		/* target, then "/rest" (rest may be empty) */
		size_t sep = slash ? 1 : 0;

		memmove(w->path + tlen + sep, w->path + w->pos, rest + 1);
		memcpy(w->path, target, tlen);
		if (sep)
			w->path[tlen] = '/';
		w->pos = 0;
		*absolute = target[0] == '/';
	}
	kfree(target);
	return error;
}

/* Look name up in directory dvp: the child, referenced. */
static int
lookup_one(struct vnode *dvp, const char *name, size_t len, struct vnode **vpp)
{
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	sx_xlock(&dvp->v_lock);
	error = dvp->v_ops->lookup(dvp, name, len, vpp);
	sx_xunlock(&dvp->v_lock);
	return error;
}

/*
 * dvp (referenced) for "..": the directory a mount's root covers, and so
 * on up through mounts on mounts' directories, unless root is reached.
 * Returns the vnode to look ".." up in, referenced (dvp's reference is
 * dropped if it is not dvp itself).
 */
static struct vnode *
dotdot_start(struct vnode *root, struct vnode *dvp)
{
	struct vnode *covered;

	while (dvp != root && (covered = vfs_cross_up(dvp)) != NULL) {
		vrele(dvp);
		dvp = covered;
	}
	return dvp;
}

/* vp (referenced), or the root of what is mounted on it, and so on. */
static struct vnode *
cross_mounts(struct vnode *vp)
{
	struct vnode *mroot;

	while ((mroot = vfs_cross_down(vp)) != NULL) {
		vrele(vp);
		vp = mroot;
	}
	return vp;
}

static int
namei_walk(struct vnode *root, struct vnode *dvp, struct walk *w, int flags,
    struct nameidata *nd)
{
	int error = 0;

	vref(dvp);
	for (;;) {
		const char *comp;
		size_t len;
		bool last, absolute, trailing_slash;
		struct vnode *vp;

		while (w->path[w->pos] == '/')
			w->pos++;
		if (w->path[w->pos] == '\0') {
			/* "/" or a path ending in "/": the directory itself. */
			if (flags & LOOKUP_PARENT) {
				vrele(dvp);
				return EINVAL;
			}
			nd->ni_vp = dvp;
			return 0;
		}
		comp = w->path + w->pos;
		for (len = 0; comp[len] != '\0' && comp[len] != '/'; len++)
			;
		w->pos += len;
		trailing_slash = w->path[w->pos] == '/';
		while (w->path[w->pos] == '/')
			w->pos++;
		last = w->path[w->pos] == '\0';
		if (len > NAME_MAX) {
			error = ENAMETOOLONG;
			break;
		}
		if (last && (flags & LOOKUP_PARENT)) {
			if (dvp->v_type != VDIR) {
				error = ENOTDIR;
				break;
			}
			memcpy(nd->ni_name, comp, len);
			nd->ni_name[len] = '\0';
			nd->ni_namelen = len;
			nd->ni_slash = trailing_slash;
			nd->ni_dvp = dvp;
			return 0;
		}
		/* Every directory walked through must be searchable. */
		if (dvp->v_type == VDIR && (error = vn_may_search(dvp)) != 0)
			break;
		if (len == 1 && comp[0] == '.') {
			if (dvp->v_type != VDIR) {
				error = ENOTDIR;
				break;
			}
			continue;
		}
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			dvp = dotdot_start(root, dvp);
			if (dvp == root)
				continue;
		}
		error = lookup_one(dvp, comp, len, &vp);
		if (error != 0)
			break;
		if (vp->v_type == VLNK &&
		    (!last || trailing_slash || (flags & LOOKUP_FOLLOW))) {
			error = splice_link(w, vp, trailing_slash, &absolute);
			vrele(vp);
			if (error != 0)
				break;
			if (absolute) {
				vrele(dvp);
				dvp = root;
				vref(dvp);
			}
			continue;
		}
		vrele(dvp);
		dvp = cross_mounts(vp);
		if (last && trailing_slash && dvp->v_type != VDIR) {
			error = ENOTDIR;
			break;
		}
	}
	vrele(dvp);
	return error;
}

/*
 * Resolve path from root (absolute) or cwd (relative).  Without
 * LOOKUP_PARENT, nd->ni_vp is the file, referenced.  With it, nd->ni_dvp
 * is the parent directory (referenced) and ni_name its last component,
 * which need not exist; ni_slash says a "/" followed it ("a/": the caller
 * decides, as each Linux call does, what a trailing slash means for the
 * name); a path without a last component ("/") is EINVAL.  Returns 0 or
 * an errno (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EIO).
 */
int
namei(struct vnode *root, struct vnode *cwd, const char *path, int flags,
    struct nameidata *nd)
{
	struct walk w = { 0 };
	size_t len = strnlen(path, PATH_MAX);
	int error;

	memset(nd, 0, sizeof(*nd));
	if (len == 0)
		return ENOENT;
	if (len == PATH_MAX)
		return ENAMETOOLONG;
	if (root == NULL)
		return ENOENT;
	w.path = kmalloc(PATH_MAX, 0);
	if (w.path == NULL)
		return ENOMEM;
	memcpy(w.path, path, len + 1);
	error = namei_walk(root, path[0] == '/' ? root : cwd, &w, flags, nd);
	kfree(w.path);
	return error;
}

struct name_search {
	uint64_t ino;
	char *name;
	size_t len;
	bool found;
};

static int
match_ino(void *arg, const char *name, size_t len, uint64_t ino,
    enum vtype type, uint64_t next)
{
	struct name_search *s = arg;

	if (ino != s->ino || name_is_dot_or_dotdot(name, len))
		return 0;
	memcpy(s->name, name, len);
	s->len = len;
	s->found = true;
	return 1;
}

#define GETCWD_MAX_DEPTH	256

/*
 * The path of directory cwd as seen from root, written to buf (size
 * bytes, NUL-terminated); *len gets its length with the NUL.  Walks ".."
 * up and finds each name in its parent; at a mount's root the name is
 * that of the directory it covers.  ERANGE if buf is too small,
 * ENOENT if cwd is no longer reachable (removed, or a loop).
 */
int
vfs_getcwd(struct vnode *root, struct vnode *cwd, char *buf, size_t size,
    size_t *len)
{
	char *tmp = kmalloc(PATH_MAX, 0), name[NAME_MAX + 1];
	size_t pos = PATH_MAX - 1;
	struct vnode *vp = cwd;
	int error = 0, depth = 0;

	if (tmp == NULL)
		return ENOMEM;
	tmp[pos] = '\0';
	vref(vp);
	while (error == 0 && (vp = dotdot_start(root, vp)) != root) {
		struct name_search s = { .ino = vp->v_ino, .name = name };
		struct vnode *parent;
		uint64_t cookie = 0;

		if (++depth > GETCWD_MAX_DEPTH) {
			error = ENOENT;
			break;
		}
		error = lookup_one(vp, "..", 2, &parent);
		if (error != 0)
			break;
		sx_xlock(&parent->v_lock);
		error = parent->v_ops->readdir(parent, &cookie, match_ino, &s);
		sx_xunlock(&parent->v_lock);
		if (error == 0 && (!s.found || s.len + 1 > pos))
			error = s.found ? ENAMETOOLONG : ENOENT;
		if (error == 0) {
			pos -= s.len;
			memcpy(tmp + pos, name, s.len);
			tmp[--pos] = '/';
		}
		vrele(vp);
		vp = parent;
	}
	vrele(vp);
	if (error == 0 && pos == PATH_MAX - 1)
		tmp[--pos] = '/';
	if (error == 0 && PATH_MAX - pos > size)
		error = ERANGE;
	if (error == 0) {
		*len = PATH_MAX - pos;
		memcpy(buf, tmp + pos, *len);
	}
	kfree(tmp);
	return error;
}

/* The last '/' in s, or NULL. */
static char *
last_slash(char *s)
{
	char *last = NULL;

	for (; *s != '\0'; s++)
		if (*s == '/')
			last = s;
	return last;
}

/*
 * Follow path (a kmalloc'd PATH_MAX buffer, changed in place) while it
 * names a symbolic link, as an open of it does.  0 or an errno.
 */
static int
follow_last(struct vnode *root, struct vnode *cwd, char *path)
{
	char *link = kmalloc(PATH_MAX, 0);
	struct vattr va;
	size_t len;
	int error = link != NULL ? 0 : ENOMEM;

	for (int i = 0; error == 0; i++) {
		char *slash = last_slash(path);
		size_t keep = slash != NULL ? (size_t)(slash - path) + 1 : 0;

		error = vfs_stat(root, cwd, path, false, &va);
		if (error != 0 || (va.va_mode & S_IFMT) != S_IFLNK)
			break;
		error = i < MAXSYMLINKS ? vfs_readlink(root, cwd, path,
		    link, PATH_MAX - 1, &len) : ELOOP;
		if (error == 0 && link[0] == '/')
			keep = 0;
		if (error == 0 && keep + len + 1 > PATH_MAX)
			error = ENAMETOOLONG;
		if (error == 0) {
			memcpy(path + keep, link, len);	/* relative: beside it */
			path[keep + len] = '\0';
		}
	}
	kfree(link);
	return error;
}

/*
 * The canonical path of the file path names from root and cwd, as Linux's
 * d_path gives it (/proc/PID/exe and fd/N): symbolic links followed, the
 * directory's own path from root (vfs_getcwd) and the last name.  Returns
 * 0 with *out a new kpath (the caller's reference), or an errno (ENOENT,
 * ENAMETOOLONG, ENOMEM, ...).
 */
int
vfs_fullpath(struct vnode *root, struct vnode *cwd, const char *path,
    struct kpath **out)
{
	char *buf = kmalloc(PATH_MAX, 0), *dir = kmalloc(PATH_MAX, 0);
	struct nameidata nd;
	const char *name;
	size_t dlen = 0;
	int error = buf != NULL && dir != NULL ? 0 : ENOMEM;

	if (error == 0) {
		kstrlcpy(buf, path, PATH_MAX);
		error = follow_last(root, cwd, buf);
	}
	if (error == 0) {
		char *slash = last_slash(buf);

		name = slash != NULL ? slash + 1 : buf;
		if (slash != NULL && slash != buf)
			*slash = '\0';		/* buf: the directory's path */
		error = namei(root, cwd, slash == NULL ? "." : slash == buf ?
		    "/" : buf, LOOKUP_FOLLOW, &nd);
	}
	if (error == 0) {
		error = vfs_getcwd(root, nd.ni_vp, dir, PATH_MAX, &dlen);
		vrele(nd.ni_vp);
	}
	/* dir is "/" or "/a/b" (dlen counts its NUL); then "/" and name. */
	if (error == 0 && dlen + strlen(name) + 1 > PATH_MAX)
		error = ENAMETOOLONG;
	if (error == 0) {
		if (dlen > 2)
			dir[dlen - 1] = '/';
		else
			dlen = 1;
		kstrlcpy(dir + dlen, name, PATH_MAX - dlen);
		*out = kpath_alloc(dir, strlen(dir));
		if (*out == NULL)
			error = ENOMEM;
	}
	kfree(buf);
	kfree(dir);
	return error;
}
