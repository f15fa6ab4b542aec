/*
 * Mounting tmpfs: the options, the root directory, statfs, and freeing
 * every node at unmount.
 *
 * Options (mount(2)'s data, comma-separated, as Linux's): size=N[k|m|g]
 * or size=N% of RAM (default half of RAM; 0: no limit), nr_inodes=N
 * (default half of RAM's pages), mode=OCTAL for the root (default 1777),
 * uid=N, gid=N.  Anything else is EINVAL.
 */
#include "fs/tmpfs/tmpfs.h"
#include "vm/vm_page.h"

struct tmpfs_args {
	uint64_t pages, nodes;
	uint32_t mode, uid, gid;
};

/* A decimal (or, with base 8, octal) number from s up to end; false if bad. */
static bool
parse_number(const char *s, const char *end, int base, uint64_t *v)
{
	*v = 0;
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s >= '0' + base || *v > (UINT64_MAX - 9) / 10)
			return false;
		*v = *v * base + (uint64_t)(*s - '0');
	}
	return true;
}

/* size=: bytes with a k, m or g suffix, or a percentage of RAM, in pages. */
static bool
parse_size(const char *s, const char *end, uint64_t *pages)
{
	uint64_t v, shift = 0, ram = vm_page_stats.v_page_count;

	if (end > s && end[-1] == '%') {
		if (!parse_number(s, end - 1, 10, &v) || v > 100)
			return false;
		*pages = ram * v / 100;
		return true;
	}
	if (end > s && (end[-1] == 'k' || end[-1] == 'K'))
		shift = 10;
	else if (end > s && (end[-1] == 'm' || end[-1] == 'M'))
		shift = 20;
	else if (end > s && (end[-1] == 'g' || end[-1] == 'G'))
		shift = 30;
	if (!parse_number(s, shift != 0 ? end - 1 : end, 10, &v) ||
	    v > (UINT64_MAX >> shift))
		return false;
	*pages = atop(round_page(v << shift));
	return true;
}

/* One option "name=value" (len bytes).  EINVAL if unknown or bad. */
static int
parse_option(const char *opt, size_t len, struct tmpfs_args *args)
{
	const char *eq = memchr(opt, '=', len), *end = opt + len;
	uint64_t v;
	size_t nlen;

	if (eq == NULL)
		return EINVAL;
	nlen = (size_t)(eq - opt);
	eq++;
	if (nlen == 4 && memcmp(opt, "size", 4) == 0)
		return parse_size(eq, end, &args->pages) ? 0 : EINVAL;
	if (nlen == 9 && memcmp(opt, "nr_inodes", 9) == 0)
		return parse_number(eq, end, 10, &args->nodes) ? 0 : EINVAL;
	if (nlen == 4 && memcmp(opt, "mode", 4) == 0) {
		if (!parse_number(eq, end, 8, &v) || v > 07777)
			return EINVAL;
		args->mode = (uint32_t)v;
		return 0;
	}
	if ((nlen == 3 && memcmp(opt, "uid", 3) == 0) ||
	    (nlen == 3 && memcmp(opt, "gid", 3) == 0)) {
		if (!parse_number(eq, end, 10, &v) || v > UINT32_MAX - 1)
			return EINVAL;
		*(opt[0] == 'u' ? &args->uid : &args->gid) = (uint32_t)v;
		return 0;
	}
	return EINVAL;
}

static int
parse_options(const char *data, struct tmpfs_args *args)
{
	uint64_t half = vm_page_stats.v_page_count / 2;

	*args = (struct tmpfs_args){ .pages = half, .nodes = half,
	    .mode = 01777 };
	while (data != NULL && *data != '\0') {
		const char *comma = strchr(data, ',');
		size_t len = comma != NULL ? (size_t)(comma - data) : strlen(data);
		int error = len == 0 ? 0 : parse_option(data, len, args);

		if (error != 0)
			return error;
		data = comma != NULL ? comma + 1 : NULL;
	}
	/* Linux: 0 means no limit. */
	if (args->pages == 0)
		args->pages = UINT64_MAX;
	if (args->nodes == 0)
		args->nodes = UINT64_MAX;
	return 0;
}

static int
tmpfs_mount(struct mount *mp, const char *data)
{
	struct tmpfs_mount *tm;
	struct tmpfs_args args;
	struct tmpfs_node *root;
	int error = parse_options(data, &args);

	if (error != 0)
		return error;
	tm = kmalloc(sizeof(*tm), M_ZERO);
	if (tm == NULL)
		return ENOMEM;
	sx_init(&tm->tm_lock, "tmpfs");
	for (int i = 0; i < TMPFS_HASH; i++)
		list_init(&tm->tm_hash[i]);
	tm->tm_pages_max = args.pages;
	tm->tm_nodes_max = args.nodes;
	tm->tm_next_ino = TMPFS_ROOT_INO - 1;
	sx_xlock(&tm->tm_lock);
	error = tmpfs_node_alloc(tm, VDIR, args.mode, &root);
	if (error == 0) {
		root->tn_nlink = 2;
		root->tn_parent = root;
		root->tn_uid = args.uid;
		root->tn_gid = args.gid;
		tm->tm_root = root;
	}
	sx_xunlock(&tm->tm_lock);
	if (error != 0) {
		kfree(tm);
		return error;
	}
	mp->mnt_data = tm;
	mp->mnt_bsize = PAGE_SIZE;
	mp->mnt_maxsize = INT64_MAX;	/* Linux's MAX_LFS_FILESIZE */
	return 0;
}

/* Every vnode is gone (the vfs layer flushed them): free every node. */
static int
tmpfs_unmount(struct mount *mp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct list *l;

	sx_xlock(&tm->tm_lock);
	for (int i = 0; i < TMPFS_HASH; i++)
		while ((l = list_first(&tm->tm_hash[i])) != NULL) {
			struct tmpfs_node *node = container_of(l,
			    struct tmpfs_node, tn_hash);

			KASSERT(node->tn_vcount == 0, "tmpfs node %lu has a vnode",
			    node->tn_ino);
			tmpfs_node_free(tm, node);
		}
	sx_xunlock(&tm->tm_lock);
	kfree(tm);
	mp->mnt_data = NULL;
	return 0;
}

/* Fill vp for node ino: ENOENT if there is no such node (any more). */
static int
tmpfs_vget(struct mount *mp, uint64_t ino, struct vnode *vp)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);
	struct tmpfs_node *node;

	sx_xlock(&tm->tm_lock);
	node = tmpfs_node_find(tm, ino);
	if (node != NULL) {
		node->tn_vcount++;
		vp->v_type = node->tn_type;
		vp->v_data = node;
		vp->v_ops = &tmpfs_vnode_ops;
		vp->v_size = node->tn_type == VDIR ? node->tn_next_cookie :
		    node->tn_size;
		vp->v_object = node->tn_obj;
	}
	sx_xunlock(&tm->tm_lock);
	return node != NULL ? 0 : ENOENT;
}

static int
tmpfs_statfs(struct mount *mp, struct statfs_info *si)
{
	struct tmpfs_mount *tm = VFS_TO_TMPFS(mp);

	sx_xlock(&tm->tm_lock);
	si->blocks = tm->tm_pages_max;
	si->bfree = si->bavail = tm->tm_pages_max - tm->tm_pages_used;
	si->files = tm->tm_nodes_max;
	si->ffree = tm->tm_nodes_max - tm->tm_nodes;
	sx_xunlock(&tm->tm_lock);
	si->bsize = PAGE_SIZE;
	si->fsid = 0;		/* as Linux's tmpfs */
	return 0;
}

const struct vfs_ops tmpfs_vfs_ops = {
	.name = "tmpfs",
	.magic = TMPFS_MAGIC,
	.root_ino = TMPFS_ROOT_INO,
	.nodev = true,
	.mount = tmpfs_mount,
	.unmount = tmpfs_unmount,
	.vget = tmpfs_vget,
	.statfs = tmpfs_statfs,
};
