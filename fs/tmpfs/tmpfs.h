/*
 * tmpfs: a file system held in kernel memory.
 *
 * Directories, symbolic links, device nodes, FIFOs and sockets are
 * nodes in kernel memory.  A regular file's data is an anonymous VM
 * object (tn_obj), as in FreeBSD's tmpfs: the file's pages are the
 * object's pages, and the vnode's v_object is that object, so read(),
 * write() and mmap use the same pages, and under memory pressure the
 * page daemon pushes them to swap like any anonymous memory.  The object
 * has a small pager (tmpfs_pager_ops) that only says how far the file
 * goes (object->size, in pages) and zero-fills holes, so a fault past
 * the end of the file is SIGBUS and one in a hole gets a fresh page.
 *
 * Space: a regular file is charged for every page its size covers
 * (holes too, as FreeBSD's tmpfs counts them; Linux charges only pages
 * written), against the mount's size= limit: growing past it is ENOSPC.
 *
 * Lock legend:
 *   (t) the mount's tm_lock (an sx), taken inside the vnode locks the vfs
 *       layer holds: v_lock -> tm_lock -> object lock
 *   (c) constant while the node exists
 * A node lives while it has links (tn_nlink) or vnodes (tn_vcount): the
 * last of them to go frees it.
 */
#ifndef FS_TMPFS_TMPFS_H
#define FS_TMPFS_TMPFS_H

#include "fs/vnode.h"

#define TMPFS_MAGIC		0x01021994
#define TMPFS_ROOT_INO		1
#define TMPFS_HASH		64
#define TMPFS_DIRENT_SIZE	20	/* a directory's st_size per entry,
					   as Linux's BOGO_DIRENT_SIZE */

struct tmpfs_node;

/* A name in a directory, kept in cookie order.  (t) */
struct tmpfs_dirent {
	struct list td_link;		/* in tn_entries */
	struct tmpfs_node *td_node;
	uint64_t td_cookie;		/* readdir position, never reused */
	size_t td_namelen;
	char td_name[];
};

struct tmpfs_node {
	struct list tn_hash;		/* (t) in tm_hash, by inode number */
	uint64_t tn_ino;		/* (c) */
	enum vtype tn_type;		/* (c) */
	uint32_t tn_mode;		/* (t) type and permission bits */
	uint32_t tn_uid, tn_gid;	/* (t) */
	uint32_t tn_nlink;		/* (t) */
	uint32_t tn_rdev;		/* (c) a device node's number */
	int tn_vcount;			/* (t) vnodes made and not reclaimed */
	uint64_t tn_size;		/* (t) */
	struct timespec64 tn_atime, tn_mtime, tn_ctime; /* (t) */
	/* directories */
	struct list tn_entries;		/* (t) tmpfs_dirents */
	uint64_t tn_nentries;		/* (t) */
	uint64_t tn_next_cookie;	/* (t) the next entry's cookie */
	struct tmpfs_node *tn_parent;	/* (t) NULL once removed */
	/* regular files */
	struct vm_object *tn_obj;	/* (c) the data; the node's reference */
	uint64_t tn_pages;		/* (t) pages charged to the mount */
	/* symbolic links */
	char *tn_link;			/* (c) the target, NUL-terminated */
};

/* A mounted tmpfs.  (t), or (c) constant after mount. */
struct tmpfs_mount {
	struct sx tm_lock;
	struct list tm_hash[TMPFS_HASH];	/* (t) every node */
	uint64_t tm_next_ino;		/* (t) */
	uint64_t tm_pages_max;		/* (c) size= in pages */
	uint64_t tm_pages_used;		/* (t) */
	uint64_t tm_nodes_max;		/* (c) */
	uint64_t tm_nodes;		/* (t) */
	struct tmpfs_node *tm_root;	/* (c) */
};

#define VFS_TO_TMPFS(mp)	((struct tmpfs_mount *)(mp)->mnt_data)
#define VTON(vp)		((struct tmpfs_node *)(vp)->v_data)

extern const struct vfs_ops tmpfs_vfs_ops;
extern const struct vnode_ops tmpfs_vnode_ops;

/* tmpfs_subr.c */
int tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, uint32_t mode,
    struct tmpfs_node **npp);
void tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *node);
void tmpfs_node_maybe_free(struct tmpfs_mount *tm, struct tmpfs_node *node);
struct tmpfs_node *tmpfs_node_find(struct tmpfs_mount *tm, uint64_t ino);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *dir,
    const char *name, size_t len);
int tmpfs_dir_add(struct tmpfs_node *dir, const char *name, size_t len,
    struct tmpfs_node *node);
void tmpfs_dir_remove(struct tmpfs_node *dir, struct tmpfs_dirent *de);
int tmpfs_charge(struct tmpfs_mount *tm, struct tmpfs_node *node,
    uint64_t pages);

#endif
