/*
 * VM objects: containers of pages indexed by page number, optionally
 * backed by a pager, and stacked into shadow chains for copy-on-write.
 *
 * A private mapping that has been written since fork points at a chain
 *     first object -> backing object -> ... -> (vnode object or nothing)
 * where each object holds the pages its owner changed, and a page missing
 * from an object is looked up in its backing object at index
 * pindex + backing_object_offset / PAGE_SIZE.
 *
 * Lock legend:
 *   (o) the object's own lock (vm_object_lock)
 *   (l) vm_object_list_lock
 *   (c) constant after creation
 * Lock order: an object before its backing object; objects before pages'
 * spin locks and the pmap.
 */
#ifndef VM_VM_OBJECT_H
#define VM_VM_OBJECT_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "vm/vm.h"
#include "vm/vm_pager.h"
#include "vm/vm_radix.h"

#define OBJT_ANON	0	/* anonymous memory: zero-fill, no pager */
#define OBJT_VNODE	1	/* a file's pages, through the vnode pager */
#define OBJT_NTYPES	2

/* flags */
#define OBJ_DEAD	0x1	/* being destroyed */
#define OBJ_ONEMAPPING	0x2	/* every reference is one map entry's (or
				   of the pieces it was clipped into), each
				   seeing its own range: pages of an unmapped
				   range can be freed (see vm_object.c) */
#define OBJ_MTIME	0x4	/* a file's pages were stored to through a
				   shared mapping since its times were last
				   set (vm_object_page_clean sets them) */

struct swblk;

struct vm_object {
	struct sx lock;
	struct list object_list;	/* (l) all objects */
	struct vm_radix rtree;		/* (o) resident pages by index */
	struct list memq;		/* (o) resident pages, in no order */
	struct list shadow_head;	/* (o) objects whose backing is us */
	struct list shadow_list;	/* (o of backing) link in backing's shadow_head */
	struct vm_object *backing_object; /* (o) */
	vm_ooffset_t backing_object_offset; /* (o) bytes */
	vm_pindex_t size;		/* (o) in pages */
	int ref_count;			/* (o) map entries, shadows, in-flight users */
	int shadow_count;		/* (o) objects shadowing us */
	int resident_page_count;	/* (o) */
	uint16_t flags;			/* (o) OBJ_* */
	uint8_t type;			/* (c) OBJT_* */
	struct list swap_blocks;	/* (o) swap_pager.c's blocks of slots */
	uint64_t swap_pages;		/* (o) pages held on swap */
	vm_pindex_t swap_ra_next;	/* (o) where the last swap-in ended */
	struct swblk *swap_hint;	/* (o) the swap block at swap_hint_base,
					   or NULL if none (swap_pager.c) */
	vm_pindex_t swap_hint_base;	/* (o) */
	void *handle;			/* (c) the vnode, for OBJT_VNODE */
	const struct vm_pager_ops *pager; /* (c) NULL for anonymous memory */
};

/* Statistics of the object layer.  (l) */
struct vm_object_stats {
	uint64_t collapses;		/* backing objects merged into their shadow */
	uint64_t bypasses;		/* backing objects skipped by a covering shadow */
	uint64_t shadows;		/* shadow objects created */
	uint64_t shadow_skips;		/* shadows not needed: object was unshared */
	uint64_t depth_max_ever;	/* longest chain ever created */
	uint64_t depth_peak;		/* longest since the last reset */
	uint64_t live[OBJT_NTYPES];	/* objects alive, by type */
};

/*
 * A backing object only its one shadow can see is merged into it as soon
 * as it holds no more than this many pages: cheap enough to do inside a
 * fault, and it frees the stale pages the shadow overrides.
 */
#define VM_COLLAPSE_CHEAP	16

#define VM_CHAIN_HIST	8	/* histogram buckets: depth 1..7, and 8+ */

struct vm_chain_stats {
	uint64_t depth_max;		/* longest chain now */
	uint64_t hist[VM_CHAIN_HIST];	/* chains by depth (index depth-1) */
};

extern struct vm_object_stats vm_object_stats;

static inline void
vm_object_lock(struct vm_object *object)
{
	sx_xlock(&object->lock);
}

static inline void
vm_object_unlock(struct vm_object *object)
{
	sx_xunlock(&object->lock);
}

/*
 * A file's object: a vnode's, or a tmpfs file's anonymous one, whose
 * pager says where the file ends.  Its pages are the file's, never
 * private memory to be dropped with a mapping.
 */
static inline bool
vm_object_is_file(const struct vm_object *object)
{
	return object->pager != NULL;
}

/* The (o) lock legend's check: in WITNESS kernels and the host tests
 * (LOCK_ASSERT), not in the benchmarked kernel. */
#define VM_OBJECT_ASSERT_LOCKED(object) \
	LOCK_ASSERT(sx_xlocked(&(object)->lock), "object %p not locked", \
	    (object))

/* The page at (object, pindex), or NULL.  Caller holds the object's lock.
 * Inline, as the trie lookup is: the fault path looks up at every level. */
static inline struct vm_page *
vm_page_lookup(struct vm_object *object, vm_pindex_t pindex)
{
	VM_OBJECT_ASSERT_LOCKED(object);
	return vm_radix_lookup(&object->rtree, pindex);
}

/*
 * vm_page_lookup, leaving in *c where the lookup ended, for the
 * vm_page_alloc_at or vm_page_rename_at that may follow while the object
 * stays locked and unchanged.  Caller holds the object's lock.
 */
static inline struct vm_page *
vm_page_lookup_at(struct vm_object *object, vm_pindex_t pindex,
    struct vm_radix_cursor *c)
{
	VM_OBJECT_ASSERT_LOCKED(object);
	return vm_radix_lookup_at(&object->rtree, pindex, c);
}

/* Does m belong to an object that the running thread has locked? */
static inline bool
vm_page_object_locked(const struct vm_page *m)
{
	return m->object != NULL && sx_xlocked(&m->object->lock);
}

struct vm_object *vm_object_allocate(int type, vm_pindex_t size);
void vm_object_reference(struct vm_object *object);
void vm_object_reference_locked(struct vm_object *object);
void vm_object_deallocate(struct vm_object *object);
int vm_object_shadow(struct vm_object **object, vm_ooffset_t *offset,
    vsize_t length);
void vm_object_collapse(struct vm_object *object);
int64_t vm_object_shadow_index(const struct vm_object *object,
    vm_pindex_t bpindex);
void vm_object_page_remove(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end);
int vm_object_chain_depth(struct vm_object *object);
void vm_object_chain_stats(struct vm_chain_stats *st);
uint64_t vm_object_live_count(void);
uint64_t vm_object_cached_pages(void);
void vm_object_destroy(struct vm_object *object);
struct vm_object *vm_object_snapshot(struct vm_object *object,
    vm_pindex_t start, vm_pindex_t npages);
struct vm_object *vm_object_backing_file(struct vm_object *object,
    vm_ooffset_t *offset);
void vm_object_page_drop_clean(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end);
struct vm_page *vm_object_chain_page(struct vm_object *object,
    vm_pindex_t pindex, struct vm_object **holder);
int vm_object_page_clean(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end);

#endif
