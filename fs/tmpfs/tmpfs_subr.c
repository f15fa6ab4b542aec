/*
 * tmpfs nodes, directories, space accounting, and the pager of regular
 * files' objects (see tmpfs.h).
 */
#include "fs/tmpfs/tmpfs.h"
#include "kern/clock.h"
#include "vm/pmap.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

/*
 * The file goes as far as its object's size (in pages, which the vfs
 * layer keeps at the file size rounded up): past it a fault is SIGBUS.
 */
static bool
tmpfs_pager_haspage(struct vm_object *object, vm_pindex_t pindex)
{
	return pindex < object->size;
}

/*
 * Pages of the file that are neither resident nor on swap (the fault and
 * the page cache look at swap first) are holes: zeros.  Object unlocked,
 * the pages busy; an unlocked look at the size (a truncate racing us
 * makes the pages go again with the rest).
 */
static int
tmpfs_pager_getpages(struct vm_object *object, struct vm_page **ma, int n)
{
	if (ma[n - 1]->pindex >= object->size)
		return KERN_OUT_OF_BOUNDS;
	for (int i = 0; i < n; i++)
		pmap_zero_page(ma[i]);
	return KERN_SUCCESS;
}

/* No read cluster: a hole's neighbours cost memory, and no disk time. */
static const struct vm_pager_ops tmpfs_pager_ops = {
	.name = "tmpfs",
	.getpages = tmpfs_pager_getpages,
	.haspage = tmpfs_pager_haspage,
};

static struct list *
node_hash(struct tmpfs_mount *tm, uint64_t ino)
{
	return &tm->tm_hash[ino % TMPFS_HASH];
}

/*
 * A new node of type with permission bits mode, no links, owned by root,
 * in the mount's hash.  A regular file gets its (empty) object.  tm_lock
 * held.  ENOSPC when the mount has its most nodes, ENOMEM.
 */
int
tmpfs_node_alloc(struct tmpfs_mount *tm, enum vtype type, uint32_t mode,
    struct tmpfs_node **npp)
{
	static const uint32_t ifmt[] = { [VREG] = S_IFREG, [VDIR] = S_IFDIR,
	    [VLNK] = S_IFLNK, [VCHR] = S_IFCHR, [VBLK] = S_IFBLK,
	    [VFIFO] = S_IFIFO, [VSOCK] = S_IFSOCK };
	struct tmpfs_node *node;

	LOCK_ASSERT(sx_xlocked(&tm->tm_lock), "tmpfs mount not locked");
	if (tm->tm_nodes >= tm->tm_nodes_max)
		return ENOSPC;
	node = kmalloc(sizeof(*node), M_ZERO);
	if (node == NULL)
		return ENOMEM;
	if (type == VREG) {
		node->tn_obj = vm_object_allocate(OBJT_ANON, 0);
		if (node->tn_obj == NULL) {
			kfree(node);
			return ENOMEM;
		}
		node->tn_obj->pager = &tmpfs_pager_ops;
	}
	node->tn_ino = ++tm->tm_next_ino;
	node->tn_type = type;
	node->tn_mode = ifmt[type] | (mode & 07777);
	node->tn_atime = node->tn_mtime = node->tn_ctime = vfs_now();
	list_init(&node->tn_entries);
	node->tn_next_cookie = 2;	/* 0 and 1 are "." and ".." */
	list_insert_head(node_hash(tm, node->tn_ino), &node->tn_hash);
	tm->tm_nodes++;
	*npp = node;
	return 0;
}

/*
 * Free node (no links and no vnodes, or the mount is going): its data,
 * its directory entries' memory (their nodes are freed on their own),
 * and the pages charged for it.  tm_lock held.
 */
void
tmpfs_node_free(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	struct list *l;

	LOCK_ASSERT(sx_xlocked(&tm->tm_lock), "tmpfs mount not locked");
	while ((l = list_first(&node->tn_entries)) != NULL) {
		list_remove(l);
		kfree(container_of(l, struct tmpfs_dirent, td_link));
	}
	if (node->tn_obj != NULL) {
		tm->tm_pages_used -= node->tn_pages;
		vm_object_deallocate(node->tn_obj);
	}
	kfree(node->tn_link);
	list_remove(&node->tn_hash);
	tm->tm_nodes--;
	kfree(node);
}

/* Free node if nothing keeps it: no links, no vnode.  tm_lock held. */
void
tmpfs_node_maybe_free(struct tmpfs_mount *tm, struct tmpfs_node *node)
{
	if (node->tn_nlink == 0 && node->tn_vcount == 0)
		tmpfs_node_free(tm, node);
}

/* The node numbered ino, or NULL.  tm_lock held. */
struct tmpfs_node *
tmpfs_node_find(struct tmpfs_mount *tm, uint64_t ino)
{
	struct list *h = node_hash(tm, ino);

	for (struct list *l = h->next; l != h; l = l->next) {
		struct tmpfs_node *node = container_of(l, struct tmpfs_node,
		    tn_hash);

		if (node->tn_ino == ino)
			return node;
	}
	return NULL;
}

/* Directory dir's entry name (len bytes), or NULL.  tm_lock held. */
struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dir, const char *name, size_t len)
{
	for (struct list *l = dir->tn_entries.next; l != &dir->tn_entries;
	    l = l->next) {
		struct tmpfs_dirent *de = container_of(l, struct tmpfs_dirent,
		    td_link);

		if (de->td_namelen == len && memcmp(de->td_name, name, len) == 0)
			return de;
	}
	return NULL;
}

/*
 * Add the entry name -> node at the end of dir (the name is not there:
 * the caller looked); node gains a link.  tm_lock held.  ENOMEM.
 */
int
tmpfs_dir_add(struct tmpfs_node *dir, const char *name, size_t len,
    struct tmpfs_node *node)
{
	struct tmpfs_dirent *de = kmalloc(sizeof(*de) + len, 0);

	if (de == NULL)
		return ENOMEM;
	de->td_node = node;
	de->td_cookie = dir->tn_next_cookie++;
	de->td_namelen = len;
	memcpy(de->td_name, name, len);
	list_insert_tail(&dir->tn_entries, &de->td_link);
	dir->tn_nentries++;
	dir->tn_mtime = dir->tn_ctime = vfs_now();
	node->tn_nlink++;
	return 0;
}

/* Take entry de out of dir and free it; its node loses the link. */
void
tmpfs_dir_remove(struct tmpfs_node *dir, struct tmpfs_dirent *de)
{
	list_remove(&de->td_link);
	dir->tn_nentries--;
	dir->tn_mtime = dir->tn_ctime = vfs_now();
	KASSERT(de->td_node->tn_nlink > 0, "tmpfs node %lu has no links",
	    de->td_node->tn_ino);
	de->td_node->tn_nlink--;
	de->td_node->tn_ctime = dir->tn_ctime;
	kfree(de);
}

/*
 * Charge regular file node for pages pages in all (more or fewer than
 * now).  ENOSPC, changing nothing, if the mount cannot hold them.
 * tm_lock held.
 */
int
tmpfs_charge(struct tmpfs_mount *tm, struct tmpfs_node *node, uint64_t pages)
{
	LOCK_ASSERT(sx_xlocked(&tm->tm_lock), "tmpfs mount not locked");
	if (pages > node->tn_pages &&
	    pages - node->tn_pages > tm->tm_pages_max - tm->tm_pages_used)
		return ENOSPC;
	tm->tm_pages_used = tm->tm_pages_used - node->tn_pages + pages;
	node->tn_pages = pages;
	return 0;
}
