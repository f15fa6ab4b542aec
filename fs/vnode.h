/*
 * The virtual file system: vnodes, mounts, and the operations a file
 * system provides.
 *
 * A vnode is the in-memory face of a file.  Vnodes are reference counted
 * and cached by (mount, inode number); a vnode nobody references stays
 * cached, with its pages, until the cache needs room or the file system is
 * unmounted.  A regular file's data lives in its VM object (v_object),
 * whose pages the vnode pager reads and writes: read(), write() and mmap
 * all use those same pages.
 *
 * Lock legend:
 *   (v) vnode_cache_lock (a spin lock)
 *   (l) the vnode's own lock, v_lock (an sx): held across directory and
 *       attribute operations; never held while copying to or from user
 *       memory, which may fault on this very file
 *   (b) the file system's per-inode block-map lock (see ext2)
 *   (c) constant while the vnode exists
 *   (m) mount_cross_lock (vfs_mount.c, a spin lock)
 * Order: v_lock -> object lock -> block-map lock -> buffer locks;
 * mount_cross_lock -> vnode_cache_lock.
 */
#ifndef FS_VNODE_H
#define FS_VNODE_H

#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/list.h"

enum vtype { VNON, VREG, VDIR, VLNK, VCHR, VBLK, VFIFO, VSOCK };

#define NAME_MAX	255
#define PATH_MAX	4096

/* File mode bits (Linux/POSIX values). */
#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000

/* Device numbers as Linux encodes them for user space (makedev). */
#define DEV_MAJOR(dev)	((((dev) >> 8) & 0xfff))
#define DEV_MINOR(dev)	(((dev) & 0xff) | (((dev) >> 12) & 0xfff00))
#define MKDEV(ma, mi)	((((ma) & 0xfff) << 8) | ((mi) & 0xff) | \
			 (((mi) & 0xfff00) << 12))

struct timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* ns (since the epoch) as a timespec64. */
static inline struct timespec64
timespec64_of(uint64_t ns)
{
	return (struct timespec64){ .tv_sec = (int64_t)(ns / 1000000000UL),
	    .tv_nsec = (int64_t)(ns % 1000000000UL) };
}

struct timespec64 vfs_now(void);

struct vattr {
	uint32_t va_mode;		/* type and permission bits */
	uint32_t va_nlink;
	uint32_t va_uid, va_gid;
	uint64_t va_size;
	uint64_t va_blocks;		/* 512-byte units allocated */
	uint64_t va_ino;
	uint32_t va_blksize;
	uint64_t va_dev;
	uint32_t va_rdev;		/* a device node's number (Linux's
					   encoding, as makedev) */
	struct timespec64 va_atime, va_mtime, va_ctime;
};

/*
 * Execute (search, for a directory) permission for root, who bypasses
 * every other permission bit: a directory always, anything else only with
 * at least one x bit (Linux's rule).
 */
static inline bool
vattr_root_may_exec(const struct vattr *va)
{
	return (va->va_mode & S_IFMT) == S_IFDIR || (va->va_mode & 0111) != 0;
}

struct vnode;
struct mount;
struct file;
struct kpath;
struct ucred;

#define VNOVAL	((uint32_t)-1)	/* setowner: this id stays */

/* Called by readdir for each entry; nonzero stops the listing. */
typedef int (*readdir_fn)(void *arg, const char *name, size_t namelen,
    uint64_t ino, enum vtype type, uint64_t next_cookie);

/*
 * Operations on vnodes.  Directory operations are called with the
 * directory's v_lock held exclusive (the vfs layer takes it); names are
 * not NUL-terminated components.  Errors are errno values.
 */
struct vnode_ops {
	int (*lookup)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode **vpp);
	int (*create)(struct vnode *dvp, const char *name, size_t len,
	    uint32_t mode, struct vnode **vpp);
	int (*mkdir)(struct vnode *dvp, const char *name, size_t len,
	    uint32_t mode, struct vnode **vpp);
	int (*symlink)(struct vnode *dvp, const char *name, size_t len,
	    const char *target, struct vnode **vpp);
	/* A device node, FIFO or socket (mode says which) named name. */
	int (*mknod)(struct vnode *dvp, const char *name, size_t len,
	    uint32_t mode, uint32_t rdev, struct vnode **vpp);
	int (*unlink)(struct vnode *dvp, const char *name, size_t len);
	int (*rmdir)(struct vnode *dvp, const char *name, size_t len);
	int (*rename)(struct vnode *fdvp, const char *fname, size_t flen,
	    struct vnode *tdvp, const char *tname, size_t tlen);
	int (*readdir)(struct vnode *vp, uint64_t *cookie, readdir_fn fn,
	    void *arg);
	int (*readlink)(struct vnode *vp, char *buf, size_t size, size_t *len);
	int (*getattr)(struct vnode *vp, struct vattr *va);
	/* Set the size; blocks past a size not above the current one are freed. */
	int (*setsize)(struct vnode *vp, uint64_t size);
	int (*settimes)(struct vnode *vp, const struct timespec64 *atime,
	    const struct timespec64 *mtime);
	int (*setmode)(struct vnode *vp, uint32_t mode);	/* permission bits */
	/* Owner and group; VNOVAL leaves one as it is.  Called with vp's
	 * v_lock held exclusive. */
	int (*setowner)(struct vnode *vp, uint32_t uid, uint32_t gid);
	/* A new entry name in dvp for vp (not a directory, on dvp's file
	 * system); dvp's and vp's v_lock held exclusive, in that order. */
	int (*link)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	/* Disk block (in fs blocks) holding file block lblk; 0 = hole. */
	int (*bmap)(struct vnode *vp, uint64_t lblk, bool alloc, uint64_t *pblk);
	int (*fsync_meta)(struct vnode *vp);
	bool (*inactive)(struct vnode *vp);	/* last reference gone; true:
						   reclaim now (file deleted) */
	void (*reclaim)(struct vnode *vp);	/* leaving the cache */
	/* The open file for vp, made by the file system itself (procfs);
	 * takes over vp's reference, success or not.  NULL: an ordinary
	 * file on the page cache (vn_file_open). */
	int (*open)(struct vnode *vp, int flags, struct file **fpp);
	/* May the current process have the access `want' (R_OK, W_OK,
	 * X_OK) to vp (locked)?  0 or an errno (EACCES).  The file system's
	 * own rule, as Linux's permission op (procfs); root is not let
	 * through first.  NULL: the owner and mode bits getattr gives. */
	int (*access)(struct vnode *vp, int want);
};

struct vnode {
	struct sx v_lock;
	struct list v_hash;		/* (v) cache hash chain */
	struct list v_lru;		/* (v) unreferenced vnodes, oldest first */
	int v_refcnt;			/* (v) */
	enum vtype v_type;		/* (c) */
	struct mount *v_mount;		/* (c) */
	uint64_t v_ino;			/* (c) */
	uint64_t v_size;		/* (l) file size; read without it for I/O */
	struct vm_object *v_object;	/* (l) page cache of a regular file */
	struct pipe *v_fifo;		/* a FIFO's pipe while open (fifo_lock,
					   kern/sys_pipe.c) */
	struct mount *v_mountedhere;	/* (m) the file system mounted on this
					   directory, or NULL */
	void *v_data;			/* (c) the file system's inode */
	const struct vnode_ops *v_ops;	/* (c) */
};

/* A file system's figures for statfs(2), in its blocks of bsize bytes. */
struct statfs_info {
	uint64_t blocks, bfree, bavail;	/* bavail: bfree less the reserve */
	uint64_t files, ffree;
	uint32_t bsize;
	uint64_t fsid;			/* Linux's f_fsid, as one word */
};

/*
 * A file system type.  mount reads the options string data (NULL: none)
 * and sets up mp->mnt_data; the root directory is inode root_ino.
 * nodev: the type needs no block device (the mount's source is only a
 * name).  sync may be NULL (nothing to write).
 */
struct vfs_ops {
	const char *name;
	uint32_t magic;			/* statfs f_type */
	uint64_t root_ino;
	bool nodev;
	int (*mount)(struct mount *mp, const char *data);
	int (*unmount)(struct mount *mp);
	int (*vget)(struct mount *mp, uint64_t ino, struct vnode *vp);
	int (*sync)(struct mount *mp);
	int (*statfs)(struct mount *mp, struct statfs_info *si);
};

/* mnt_flags: Linux's MS_ values, which are also its ST_ bits in statfs. */
#define MNT_RDONLY	0x1
#define MNT_NOSUID	0x2
#define MNT_NODEV	0x4
#define MNT_NOEXEC	0x8

#define MNT_SOURCE_MAX	64

/*
 * A mounted file system.  Mounts grafted into the name space are on the
 * mount list; mnt_vnodecovered is the directory they cover (referenced
 * by the mount; NULL for the root and for mounts the kernel's tests make
 * without grafting them).
 * Lock legend: (c) constant after mount; (L) mountlist_lock (an sx,
 * vfs_mount.c) exclusive to change, shared to read.
 */
struct mount {
	struct list mnt_list;		/* (L) link in the mount list */
	struct blkdev *mnt_dev;		/* (c) NULL for a nodev type */
	const struct vfs_ops *mnt_ops;	/* (c) */
	struct vnode *mnt_root;		/* (c) */
	struct vnode *mnt_vnodecovered;	/* (c) */
	void *mnt_data;			/* (c) the file system's state */
	uint32_t mnt_bsize;		/* (c) block size */
	uint64_t mnt_maxsize;		/* (c) largest file size (Linux's s_maxbytes) */
	uint64_t mnt_devno;		/* (c) st_dev of its files (makedev) */
	bool mnt_rdonly;		/* (L) read only (remount changes it;
					   read without the lock by writers,
					   as Linux's checks are) */
	uint32_t mnt_flags;		/* (L) MNT_NOSUID, MNT_NODEV, MNT_NOEXEC */
	bool mnt_detached;		/* (L) out of the name space (a lazy
					   unmount), unmounted by its reaper
					   once none of its files is in use */
	char mnt_source[MNT_SOURCE_MAX]; /* (c) what mount(2) was given */
};

extern struct vnode *rootvnode;
extern struct mount *rootmount;

/* vfs_cache.c */
int vget(struct mount *mp, uint64_t ino, struct vnode **vpp);
void vref(struct vnode *vp);
void vrele(struct vnode *vp);
void vput(struct vnode *vp);
int vnode_cache_count(void);
void vflush(struct mount *mp);
int vnode_foreach(struct mount *mp, int (*fn)(struct vnode *vp));
int vnode_count_mount(struct mount *mp);
bool vnode_mount_busy(struct mount *mp);

/* vfs_mount.c */
int vfs_mountroot(const char *devname);
int vfs_mount(const char *devname, const char *fstype, bool rdonly,
    struct mount **mpp);
int vfs_unmount(struct mount *mp);
int vfs_mount_at(struct vnode *covered, const char *source,
    const char *fstype, uint32_t flags, const char *data);
int vfs_unmount_at(struct vnode *root, bool detach);
void vfs_detached_release(struct mount *mp);
int vfs_remount(struct vnode *root, uint32_t flags);
struct vnode *vfs_cross_down(struct vnode *vp);
struct vnode *vfs_cross_up(struct vnode *vp);
bool vfs_is_mountpoint(struct vnode *vp);
int vfs_mount_foreach(int (*fn)(struct mount *mp, void *arg), void *arg);
int vfs_sync(struct mount *mp);
int vfs_sync_all(void);
void vfs_drain_caches(void);

/* vfs_lookup.c */
#define LOOKUP_FOLLOW	0x1	/* follow a symlink in the last component */
#define LOOKUP_PARENT	0x2	/* return the parent and the last name */

struct nameidata {
	struct vnode *ni_dvp;		/* LOOKUP_PARENT: the parent, referenced */
	struct vnode *ni_vp;		/* the result, referenced (NULL if absent) */
	char ni_name[NAME_MAX + 1];	/* LOOKUP_PARENT: the last component */
	size_t ni_namelen;
	bool ni_slash;			/* LOOKUP_PARENT: a "/" followed it */
};

int namei(struct vnode *root, struct vnode *cwd, const char *path, int flags,
    struct nameidata *nd);
int vfs_getcwd(struct vnode *root, struct vnode *cwd, char *buf, size_t size,
    size_t *len);
int vfs_fullpath(struct vnode *root, struct vnode *cwd, const char *path,
    struct kpath **out);

/* vfs_vnops.c: file I/O through the page cache */

/* One piece of a scattered buffer (readv, writev): Linux's struct iovec. */
struct uio_seg {
	uint64_t base;
	uint64_t len;
};

/*
 * A transfer between a file and a buffer.  A scattered buffer keeps its
 * current piece in uio_base/uio_seglen and the pieces after it in
 * uio_segs; uio_resid is always the bytes left in all of them.
 */
struct uio {
	void *uio_base;			/* buffer (or its current piece) */
	size_t uio_resid;		/* bytes left */
	uint64_t uio_offset;		/* file offset */
	bool uio_user;			/* buffer is in user space */
	const struct uio_seg *uio_segs;	/* NULL: one piece of uio_resid bytes */
	size_t uio_seglen;		/* with uio_segs: bytes left at uio_base */
	bool uio_append;		/* a write goes to the end (RWF_APPEND) */
};

int vn_read(struct vnode *vp, struct uio *uio);
int vn_write(struct vnode *vp, struct uio *uio, bool append);
int vn_truncate(struct vnode *vp, uint64_t size);
int vn_allocate(struct vnode *vp, uint64_t off, uint64_t len, bool keep_size);
int vn_fsync(struct vnode *vp);
int vn_getattr(struct vnode *vp, struct vattr *va);

/* vfs_access.c: file permissions (the current process's ids). */
bool vfs_root_ids(void);
int vn_access(struct vnode *vp, int want);
int vn_access_locked(struct vnode *vp, int want);
int vn_may_search(struct vnode *dvp);
int vn_may_change_dir(struct vnode *dvp, struct vnode *vp);
int vn_set_creator(struct vnode *dvp, struct vnode *vp);
int vattr_access(const struct vattr *va, int want);
int vattr_may_own(const struct vattr *va);
int vattr_may_chown(const struct vattr *va, uint32_t uid, uint32_t gid);
uint32_t vattr_chmod_mode(const struct vattr *va, uint32_t mode);
uint32_t vattr_chown_mode(const struct vattr *va);
int vn_drop_privs(struct vnode *vp);
int vn_drop_privs_locked(struct vnode *vp);
const struct ucred *vfs_cred(void);
struct vm_object *vn_object(struct vnode *vp);
int uio_copy(void *kaddr, size_t n, struct uio *uio, bool to_uio);
int uiomove(void *kaddr, size_t n, struct uio *uio);

/* Is the directory entry name (not NUL-terminated) "." or ".."? */
static inline bool
name_is_dot_or_dotdot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.');
}

/* vfs_syscalls.c: path-level operations */
int vfs_open(struct vnode *root, struct vnode *cwd, const char *path,
    int flags, uint32_t mode, struct vnode **vpp);
int vfs_mkdir(struct vnode *root, struct vnode *cwd, const char *path,
    uint32_t mode);
int vfs_remove(struct vnode *root, struct vnode *cwd, const char *path,
    bool dir);
int vfs_rename(struct vnode *root, struct vnode *fromdir, const char *from,
    struct vnode *todir, const char *to, bool noreplace);
int vfs_symlink(struct vnode *root, struct vnode *cwd, const char *target,
    const char *path);
int vfs_mknod(struct vnode *root, struct vnode *cwd, const char *path,
    uint32_t mode, uint32_t rdev);
int vfs_link(struct vnode *root, struct vnode *cwd, const char *path,
    struct vnode *vp);
int vfs_chown(struct vnode *vp, uint32_t uid, uint32_t gid);
int vfs_chmod(struct vnode *vp, uint32_t mode);
int vfs_readlink(struct vnode *root, struct vnode *cwd, const char *path,
    char *buf, size_t size, size_t *len);
int vfs_stat(struct vnode *root, struct vnode *cwd, const char *path,
    bool follow, struct vattr *va);

#endif
