/*
 * VM objects and shadow chains (see vm_object.h).
 *
 * Copy-on-write works by pushing an empty anonymous "shadow" object on top
 * of a shared one (vm_object_shadow); writes copy pages up into the shadow.
 * Chains would grow without bound under fork/write/exit, so
 * vm_object_collapse() shortens them in two ways:
 *   collapse: a backing object that only its one shadow can see (ref_count
 *             1, shadow_count 1) is merged into that shadow: its pages move
 *             up (or are freed where the shadow has its own), and the
 *             shadow adopts the backing object's backing object;
 *   bypass:   a backing object still shared with others, but whose every
 *             page within the shadow's window is already overridden by the
 *             shadow, is skipped: the shadow points past it.
 * The fault handler also moves single pages up by renaming them (the COW
 * rename optimisation), which empties backing objects page by page.
 *
 * Collapse runs when a shared object is about to be shared again (fork)
 * and after a COW fault leaves the backing object empty or small (at most
 * VM_COLLAPSE_CHEAP pages), never when a process exits: exit stays
 * O(pages the process itself owns), and the pages an exited child no
 * longer shares with its parent migrate lazily, by rename, as the parent
 * writes them.
 *
 * OBJ_ONEMAPPING must only be set while it is true, since it lets an
 * unmap free pages nobody else could reach: a new object does not have
 * it.  It is set where an object is made for one map entry (zero-fill
 * memory, a shadow, a fork's snapshot) and where a map is handed an
 * anonymous object's only reference (vm_map_insert), and cleared for good
 * once anyone else can see the object: another map shares it (fork), or
 * an object shadows it.  An object the kernel keeps a reference to, such
 * as the signal trampoline's, is never mapped once.
 */
#include "vm/vm_object.h"
#include "kern/errno.h"
#include "kern/sysctl.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

struct vm_object_stats vm_object_stats;
static struct list vm_object_list = LIST_HEAD_INIT(vm_object_list);
static struct spinlock vm_object_list_lock = SPINLOCK_INIT("vm_object_list");

/*
 * A new object of `size` pages with one reference (the caller's).
 * Returns NULL if memory is exhausted.
 */
struct vm_object *
vm_object_allocate(int type, vm_pindex_t size)
{
	struct vm_object *object = kmalloc(sizeof(*object), M_ZERO);

	if (object == NULL)
		return NULL;
	sx_init(&object->lock, "vm_object");
	vm_radix_init(&object->rtree);
	list_init(&object->memq);
	list_init(&object->shadow_head);
	list_init(&object->swap_blocks);
	object->type = (uint8_t)type;
	object->size = size;
	object->ref_count = 1;
	spin_lock(&vm_object_list_lock);
	list_insert_tail(&vm_object_list, &object->object_list);
	vm_object_stats.live[type]++;
	spin_unlock(&vm_object_list_lock);
	return object;
}

void
vm_object_reference(struct vm_object *object)
{
	if (object == NULL)
		return;
	vm_object_lock(object);
	object->ref_count++;
	vm_object_unlock(object);
	if (object->pager != NULL && object->pager->hold != NULL)
		object->pager->hold(object);
}

/*
 * Take a reference on an object whose lock the caller holds (the caller
 * is about to drop the lock and needs the object to stay, as a fault
 * does around pager I/O).  The pager is told, as vm_object_reference
 * does.
 */
void
vm_object_reference_locked(struct vm_object *object)
{
	VM_OBJECT_ASSERT_LOCKED(object);
	object->ref_count++;
	if (object->pager != NULL && object->pager->hold != NULL)
		object->pager->hold(object);
}

/* Unmap and free every page of object.  Caller holds its lock. */
static void
vm_object_free_pages(struct vm_object *object)
{
	struct list *l;

	VM_OBJECT_ASSERT_LOCKED(object);
	while ((l = list_first(&object->memq)) != NULL) {
		struct vm_page *m = container_of(l, struct vm_page, listq);

		KASSERT(!(m->flags & PG_BUSY), "busy page %#lx in dying object",
		    VM_PAGE_TO_PHYS(m));
		pmap_page_protect(m, VM_PROT_NONE);
		vm_page_free(m);
	}
}

/*
 * Destroy an object whose last reference is gone: free its pages, let its
 * pager go, unlink it from its backing object.  Returns the backing object,
 * whose reference the caller now owns.  Caller holds object's lock; it is
 * freed on return.  A persistent pager calls this itself (through
 * vm_object_destroy) when its handle goes away.
 */
static struct vm_object *
vm_object_terminate(struct vm_object *object)
{
	struct vm_object *backing = object->backing_object;

	VM_OBJECT_ASSERT_LOCKED(object);
	object->flags |= OBJ_DEAD;
	vm_object_free_pages(object);
	swap_pager_free_all(object);
	if (object->pager != NULL && object->pager->dealloc != NULL)
		object->pager->dealloc(object);
	if (backing != NULL) {
		vm_object_lock(backing);
		list_remove(&object->shadow_list);
		backing->shadow_count--;
		vm_object_unlock(backing);
	}
	vm_object_unlock(object);
	spin_lock(&vm_object_list_lock);
	list_remove(&object->object_list);
	vm_object_stats.live[object->type]--;
	spin_unlock(&vm_object_list_lock);
	vm_page_queue_barrier();	/* no page daemon scan still sees it */
	KASSERT(vm_radix_is_empty(&object->rtree), "object %p dies with pages",
	    object);
	kfree(object);
	return backing;
}

/*
 * Drop one reference.  The last one destroys the object and then drops
 * the reference it held on its backing object, and so on down the chain
 * (iteratively, so long chains cannot overflow the stack).
 */
void
vm_object_deallocate(struct vm_object *object)
{
	while (object != NULL) {
		const struct vm_pager_ops *pager = object->pager;

		vm_object_lock(object);
		KASSERT(object->ref_count > 0, "object %p has no references",
		    object);
		if (--object->ref_count > 0 || (pager != NULL && pager->persistent)) {
			vm_object_unlock(object);
			if (pager != NULL && pager->drop != NULL)
				pager->drop(object);
			return;
		}
		KASSERT(object->shadow_count == 0,
		    "object %p dies with %d shadows", object, object->shadow_count);
		object = vm_object_terminate(object);
	}
}

/* Number of objects from object to the end of its chain (1 = no backing). */
int
vm_object_chain_depth(struct vm_object *object)
{
	int depth = 0;

	for (; object != NULL; object = object->backing_object)
		depth++;
	return depth;
}

/*
 * Give the map entry holding (*object, *offset) a private copy-on-write
 * view of `length` bytes: a new anonymous object shadowing *object,
 * mapped once (by that entry).  The caller's reference on *object becomes
 * the shadow's backing reference, and the caller owns the new object's
 * one reference.
 *
 * If nobody else can see *object (one reference, anonymous), no shadow is
 * needed and nothing changes.  Returns KERN_SUCCESS, or, with nothing
 * changed, KERN_RESOURCE_SHORTAGE when memory is exhausted.
 */
int
vm_object_shadow(struct vm_object **object, vm_ooffset_t *offset,
    vsize_t length)
{
	struct vm_object *source = *object, *result;
	int depth;

	if (source != NULL && source->ref_count == 1 && source->handle == NULL) {
		spin_lock(&vm_object_list_lock);
		vm_object_stats.shadow_skips++;
		spin_unlock(&vm_object_list_lock);
		return KERN_SUCCESS;
	}
	result = vm_object_allocate(OBJT_ANON, atop(length));
	if (result == NULL)
		return KERN_RESOURCE_SHORTAGE;
	result->flags |= OBJ_ONEMAPPING;
	result->backing_object = source;
	result->backing_object_offset = *offset;
	if (source != NULL) {
		vm_object_lock(source);
		list_insert_tail(&source->shadow_head, &result->shadow_list);
		source->shadow_count++;
		source->flags &= ~OBJ_ONEMAPPING;
		vm_object_unlock(source);
	}
	depth = vm_object_chain_depth(result);
	spin_lock(&vm_object_list_lock);
	vm_object_stats.shadows++;
	if ((uint64_t)depth > vm_object_stats.depth_max_ever)
		vm_object_stats.depth_max_ever = depth;
	if ((uint64_t)depth > vm_object_stats.depth_peak)
		vm_object_stats.depth_peak = depth;
	spin_unlock(&vm_object_list_lock);
	*offset = 0;
	*object = result;
	return KERN_SUCCESS;
}

/* Index in object of backing-object index bpindex, or -1 if outside. */
int64_t
vm_object_shadow_index(const struct vm_object *object, vm_pindex_t bpindex)
{
	vm_pindex_t base = atop(object->backing_object_offset);

	if (bpindex < base || bpindex - base >= object->size)
		return -1;
	return (int64_t)(bpindex - base);
}

/*
 * Does object override every page its backing object has inside the
 * window it sees?  Then lookups never need the backing object itself.
 * Both objects locked.
 */
static bool
backing_fully_shadowed(struct vm_object *object, struct vm_object *backing)
{
	struct list *l;

	if (backing->pager != NULL)
		return false;
	for (l = backing->memq.next; l != &backing->memq; l = l->next) {
		struct vm_page *m = container_of(l, struct vm_page, listq);
		int64_t idx = vm_object_shadow_index(object, m->pindex);

		if (idx >= 0 && vm_page_lookup(object, (vm_pindex_t)idx) == NULL &&
		    !swap_pager_haspage(object, (vm_pindex_t)idx))
			return false;
	}
	return swap_pager_fully_shadowed(object, backing);
}

/*
 * Merge backing (ref 1, shadow 1: only object sees it) into object.
 * Both locked; backing is freed and object adopts its backing object.
 * Returns false, changing nothing, if a page of backing is busy.  Also
 * false, with backing kept, if swap blocks or object's trie nodes run
 * out midway: what moved up by then stays moved, which lookups through
 * object cannot tell from before (as a COW rename of those pages would
 * have left them), and the next collapse moves the rest.
 */
static bool
vm_object_merge_backing(struct vm_object *object, struct vm_object *backing)
{
	struct vm_object *next = backing->backing_object;
	struct list *l;

	VM_OBJECT_ASSERT_LOCKED(object);
	VM_OBJECT_ASSERT_LOCKED(backing);
	for (l = backing->memq.next; l != &backing->memq; l = l->next)
		if (container_of(l, struct vm_page, listq)->flags & PG_BUSY)
			return false;
	if (!swap_pager_merge(object, backing))
		return false;
	while ((l = list_first(&backing->memq)) != NULL) {
		struct vm_page *m = container_of(l, struct vm_page, listq);
		int64_t idx = vm_object_shadow_index(object, m->pindex);

		if (idx < 0 || vm_page_lookup(object, (vm_pindex_t)idx) != NULL ||
		    swap_pager_haspage(object, (vm_pindex_t)idx)) {
			/* Invisible or overridden: nobody can reach it. */
			pmap_page_protect(m, VM_PROT_NONE);
			vm_page_free(m);
		} else if (vm_page_rename(m, object, (vm_pindex_t)idx) != 0) {
			return false;
		}
	}
	object->backing_object = next;
	object->backing_object_offset += backing->backing_object_offset;
	list_remove(&object->shadow_list);
	if (next != NULL) {
		/* object takes backing's place among next's shadows. */
		vm_object_lock(next);
		list_remove(&backing->shadow_list);
		list_insert_tail(&next->shadow_head, &object->shadow_list);
		vm_object_unlock(next);
	}
	/* backing's only reference was ours; it dies without its chain. */
	backing->backing_object = NULL;
	backing->shadow_count = 0;
	backing->ref_count = 0;
	vm_object_terminate(backing);
	return true;
}

/*
 * Point object past backing, which it fully shadows.  Both locked on entry;
 * backing is unlocked on return, and destroyed if that was its last
 * reference.
 */
static void
vm_object_bypass_backing(struct vm_object *object, struct vm_object *backing)
{
	struct vm_object *next = backing->backing_object;

	VM_OBJECT_ASSERT_LOCKED(object);
	VM_OBJECT_ASSERT_LOCKED(backing);
	list_remove(&object->shadow_list);
	backing->shadow_count--;
	if (next != NULL) {
		vm_object_reference(next);
		vm_object_lock(next);
		next->shadow_count++;
		list_insert_tail(&next->shadow_head, &object->shadow_list);
		vm_object_unlock(next);
	}
	object->backing_object = next;
	object->backing_object_offset += backing->backing_object_offset;
	vm_object_unlock(backing);
	vm_object_deallocate(backing);
}

/*
 * Shorten object's chain as far as possible by merging and bypassing
 * backing objects (see the top of this file), at every level: a level
 * that must stay (its backing is still shared) is stepped over, since an
 * object deeper down may have become private when another process exited.
 * Only anonymous objects are merged into anonymous shadows: a vnode
 * object's pages belong to the file.  Caller holds object's lock; locks
 * are taken top down.
 */
void
vm_object_collapse(struct vm_object *object)
{
	struct vm_object *cur = object;

	VM_OBJECT_ASSERT_LOCKED(object);
	for (;;) {
		struct vm_object *backing = cur->backing_object;

		if (backing == NULL || backing->type != OBJT_ANON ||
		    cur->type != OBJT_ANON)
			break;
		vm_object_lock(backing);
		if (backing->ref_count == 1 && backing->shadow_count == 1 &&
		    vm_object_merge_backing(cur, backing)) {
			spin_lock(&vm_object_list_lock);
			vm_object_stats.collapses++;
			spin_unlock(&vm_object_list_lock);
		} else if (backing_fully_shadowed(cur, backing)) {
			vm_object_bypass_backing(cur, backing);
			spin_lock(&vm_object_list_lock);
			vm_object_stats.bypasses++;
			spin_unlock(&vm_object_list_lock);
		} else {
			/* This level stays: look one further down. */
			if (cur != object)
				vm_object_unlock(cur);
			cur = backing;
		}
	}
	if (cur != object)
		vm_object_unlock(cur);
}

/*
 * Unmap and free object's pages with index in [start, end), which nobody
 * may see any more: a range of a singly-mapped object unmapped or
 * discarded, or the part of a file's object past its new end (whose
 * wired pages are zeroed and kept).  Caller holds the object's lock,
 * which may be dropped and retaken to wait for busy pages.
 */
void
vm_object_page_remove(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end)
{
	struct list *l, *next;

	VM_OBJECT_ASSERT_LOCKED(object);
restart:
	for (l = object->memq.next; l != &object->memq; l = next) {
		struct vm_page *m = container_of(l, struct vm_page, listq);

		next = l->next;
		if (m->pindex < start || m->pindex >= end)
			continue;
		if (vm_page_sleep_if_busy_or_held(m, "vmopr")) {
			vm_object_lock(object);
			goto restart;
		}
		pmap_page_protect(m, VM_PROT_NONE);
		if (m->wire_count != 0) {
			/*
			 * A file page past its new end that a wired mapping
			 * still holds (anonymous pages are unwired before
			 * their range goes): it stays until unwired, with
			 * none of the data that went.
			 */
			pmap_zero_page(m);
			vm_page_aflag_clear(m, PGA_DIRTY);
			continue;
		}
		vm_page_free(m);
	}
	swap_pager_freespace(object, start, end);
}

/*
 * Free object's cached pages with index in [start, end) that nobody needs
 * kept: clean, unmapped, idle (not busy, held or wired); the rest stay
 * (POSIX_FADV_DONTNEED, which as Linux's writes nothing back).  Object
 * locked.
 */
void
vm_object_page_drop_clean(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end)
{
	struct list *l, *next;

	VM_OBJECT_ASSERT_LOCKED(object);
	for (l = object->memq.next; l != &object->memq; l = next) {
		struct vm_page *m = container_of(l, struct vm_page, listq);

		next = l->next;
		if (m->pindex < start || m->pindex >= end ||
		    (m->flags & PG_BUSY) || m->hold_count != 0 ||
		    m->wire_count != 0 || pmap_page_mapcount(m) != 0 ||
		    vm_page_aflag_test(m, PGA_DIRTY))
			continue;
		vm_page_free(m);
	}
}

/*
 * Depth of every chain now: the chains are the objects no other object
 * shadows (the ones map entries point at).
 */
void
vm_object_chain_stats(struct vm_chain_stats *st)
{
	memset(st, 0, sizeof(*st));
	spin_lock(&vm_object_list_lock);
	for (struct list *l = vm_object_list.next; l != &vm_object_list;
	    l = l->next) {
		struct vm_object *object = container_of(l, struct vm_object,
		    object_list);
		uint64_t depth;

		if (object->shadow_count != 0)
			continue;
		depth = (uint64_t)vm_object_chain_depth(object);
		if (depth > st->depth_max)
			st->depth_max = depth;
		st->hist[MIN(depth, VM_CHAIN_HIST) - 1]++;
	}
	spin_unlock(&vm_object_list_lock);
}

uint64_t
vm_object_live_count(void)
{
	uint64_t n = 0;

	spin_lock(&vm_object_list_lock);
	for (int t = 0; t < OBJT_NTYPES; t++)
		n += vm_object_stats.live[t];
	spin_unlock(&vm_object_list_lock);
	return n;
}

/*
 * Destroy an object of a persistent pager, which has no references left:
 * its pages are freed (the pager wrote back what it wanted first).
 */
void
vm_object_destroy(struct vm_object *object)
{
	vm_object_lock(object);
	KASSERT(object->ref_count == 0 && object->shadow_count == 0,
	    "object %p still used (%d refs, %d shadows)", object,
	    object->ref_count, object->shadow_count);
	vm_object_terminate(object);
}

/*
 * Write back object's dirty pages in [start, end) through its pager.
 * Writable mappings are first made read-only, which moves the hardware's
 * dirty bits into PGA_DIRTY, so a later write through a mapping faults and
 * dirties the page again.  If stores through a shared mapping happened
 * since the last call (OBJ_MTIME), the pager sets the file's times: that
 * is how msync and munmap (and fsync) mark a file changed through memory,
 * as Linux does by then at the latest.  Returns 0 or the pager's failure
 * as EIO.  Caller holds no object or vnode lock; takes the object's lock.
 */
int
vm_object_page_clean(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end)
{
	int error = 0;
	struct list *l;
	bool stored;

	if (object->pager == NULL || object->pager->putpages == NULL)
		return 0;
	vm_object_lock(object);
restart:
	for (l = object->memq.next; l != &object->memq; l = l->next) {
		struct vm_page *m = container_of(l, struct vm_page, listq);

		if (m->pindex < start || m->pindex >= end)
			continue;
		pmap_page_protect(m, VM_PROT_READ);
		if (!vm_page_aflag_test(m, PGA_DIRTY))
			continue;
		if (vm_page_sleep_if_busy(m, "vmpcln")) {
			vm_object_lock(object);
			goto restart;
		}
		vm_page_busy(m);
		if (object->pager->putpages(object, &m, 1) == KERN_SUCCESS)
			vm_page_aflag_clear(m, PGA_DIRTY);
		else
			error = EIO;
		vm_page_wakeup(m);
	}
	stored = (object->flags & OBJ_MTIME) != 0;
	object->flags &= ~OBJ_MTIME;
	vm_object_unlock(object);
	if (stored && object->pager->mark_modified != NULL)
		object->pager->mark_modified(object);
	return error;
}

/*
 * Copy into page n the data visible at pindex through object's chain: a
 * resident page's contents, or a swapped page read from its slot (with
 * its object locked across the read: fork of a shared mapping inherited
 * by copy is rare).  A page not valid yet is being read in by a fault or
 * the page cache, with no lock held: its data is still where that read
 * takes it from (the slot, or the file), so it counts as not resident.
 * Returns false if there is nothing to copy (a zero page, or a pager's
 * page not in memory).  Caller holds object's lock; lower objects are
 * locked and unlocked on the way.
 */
static bool
chain_copy_page(struct vm_object *object, vm_pindex_t pindex,
    struct vm_page *n)
{
	struct vm_object *cur = object;
	bool found = false;

	for (;;) {
		struct vm_object *next;
		struct vm_page *m = vm_page_lookup(cur, pindex);

		if (m != NULL && (m->flags & PG_VALID)) {
			pmap_copy_page(m, n);
			found = true;
			break;
		}
		if (swap_pager_haspage(cur, pindex)) {
			found = swap_pager_read_locked(cur, pindex, n) == KERN_SUCCESS;
			break;
		}
		next = cur->backing_object;
		if (next == NULL)
			break;
		pindex += atop(cur->backing_object_offset);
		vm_object_lock(next);
		if (cur != object)
			vm_object_unlock(cur);
		cur = next;
	}
	if (cur != object)
		vm_object_unlock(cur);
	return found;
}

/*
 * A private snapshot of npages of object from page offset start: a new
 * anonymous object holding copies of every resident page, mapped once (by
 * the caller's entry).  For fork of a shared mapping the child inherits
 * by copy: the parent keeps sharing, so the child cannot simply shadow
 * the shared object.  NULL if memory runs out.  (A vnode object's
 * non-resident pages are read again on demand.)
 */
struct vm_object *
vm_object_snapshot(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t npages)
{
	struct vm_object *copy = vm_object_allocate(OBJT_ANON, npages), *file;
	vm_ooffset_t off;

	if (copy == NULL)
		return NULL;
	copy->flags |= OBJ_ONEMAPPING;
	vm_object_lock(object);
	vm_object_lock(copy);
	for (vm_pindex_t i = 0; i < npages; i++) {
		struct vm_page *n = vm_page_alloc(copy, i, 0);

		if (n == NULL) {
			vm_object_unlock(copy);
			vm_object_unlock(object);
			vm_object_deallocate(copy);
			return NULL;
		}
		if (!chain_copy_page(object, start + i, n)) {
			vm_page_free(n);
			continue;
		}
		/* The only copy of its data: dirty, so it is swapped, not dropped. */
		n->flags |= PG_VALID;
		vm_page_aflag_set(n, PGA_DIRTY);
		vm_page_wakeup(n);
	}
	vm_object_unlock(copy);
	vm_object_unlock(object);
	/*
	 * A file at the bottom of the chain: its pages that were not in
	 * memory are read from it on demand, as they were for the original.
	 */
	off = ptoa(start);
	file = vm_object_backing_file(object, &off);
	if (file != NULL) {
		copy->backing_object = file;
		copy->backing_object_offset = off;
		vm_object_lock(file);
		list_insert_tail(&file->shadow_head, &copy->shadow_list);
		file->shadow_count++;
		vm_object_unlock(file);
	}
	return copy;
}

/*
 * The file object at the bottom of object's chain (one with a pager: a
 * vnode's, or a tmpfs file's anonymous object), with a new
 * reference the caller owns, and *offset, a byte offset in object on
 * entry, turned into the same place in it.  NULL, with *offset
 * meaningless, if the chain ends in anonymous memory.  Caller holds a
 * reference on object (which keeps the chain, and the file object at its
 * end, alive) and no object lock; the walk locks the objects top down.
 */
struct vm_object *
vm_object_backing_file(struct vm_object *object, vm_ooffset_t *offset)
{
	struct vm_object *next;

	vm_object_lock(object);
	while (object->pager == NULL &&
	    (next = object->backing_object) != NULL) {
		*offset += object->backing_object_offset;
		vm_object_lock(next);
		vm_object_unlock(object);
		object = next;
	}
	vm_object_unlock(object);
	if (object->pager == NULL)
		return NULL;
	vm_object_reference(object);
	return object;
}

/*
 * The resident page a fault at pindex of object would find, looked up as
 * the fault's walk goes (vm_fault_object) but reading, filling and
 * waiting for nothing: down the shadow chain to the first object that
 * holds a page there, stopping at an object whose pager or swap would
 * have to supply it.  Returns the page (busy or not, valid or not) with
 * the object holding it locked in *holder, which the caller unlocks; or
 * NULL with no object locked.  The caller keeps object alive (a map
 * entry's reference, under the map's lock) and holds no object lock.
 */
struct vm_page *
vm_object_chain_page(struct vm_object *object, vm_pindex_t pindex,
    struct vm_object **holder)
{
	struct vm_object *next;
	struct vm_page *m;

	vm_object_lock(object);
	while ((m = vm_page_lookup(object, pindex)) == NULL) {
		next = object->backing_object;
		if (next == NULL || object->pager != NULL ||
		    (object->swap_pages != 0 &&
		    swap_pager_haspage(object, pindex))) {
			vm_object_unlock(object);
			return NULL;
		}
		pindex += atop(object->backing_object_offset);
		vm_object_lock(next);
		vm_object_unlock(object);
		object = next;
	}
	*holder = object;
	return m;
}

static int64_t
sysctl_chain_depth(const struct sysctl_node *node, struct sysctl_req *req)
{
	struct vm_chain_stats cs;

	vm_object_chain_stats(&cs);
	if (node->arg == 0)
		return sysctl_out(req, &cs.depth_max, sizeof(cs.depth_max));
	return sysctl_out(req, cs.hist, sizeof(cs.hist));
}

/*
 * vm.stats.object.depth_peak: the longest chain created since the last
 * reset.  Writing 0 (a uint64_t; anything else is EINVAL) resets it, and
 * the value read is the one before, so that a run can bound the chains it
 * creates itself, whatever deep chains earlier runs made.
 */
static int64_t
sysctl_depth_peak(const struct sysctl_node *node, struct sysctl_req *req)
{
	static const uint64_t zero;
	uint64_t v;

	if (req->newval != NULL && (req->newlen != sizeof(zero) ||
	    memcmp(req->newval, &zero, sizeof(zero)) != 0))
		return -EINVAL;
	spin_lock(&vm_object_list_lock);
	v = vm_object_stats.depth_peak;
	if (req->newval != NULL)
		vm_object_stats.depth_peak = 0;
	spin_unlock(&vm_object_list_lock);
	return sysctl_out(req, &v, sizeof(v));
}

SYSCTL_U64(obj_collapses, "vm.stats.object.collapses", CTLFLAG_RD,
    &vm_object_stats.collapses, "backing objects merged into their shadow");
SYSCTL_U64(obj_bypasses, "vm.stats.object.bypasses", CTLFLAG_RD,
    &vm_object_stats.bypasses, "backing objects skipped by a covering shadow");
SYSCTL_U64(obj_shadows, "vm.stats.object.shadows", CTLFLAG_RD,
    &vm_object_stats.shadows, "shadow objects created");
SYSCTL_U64(obj_shadow_skips, "vm.stats.object.shadow_skips", CTLFLAG_RD,
    &vm_object_stats.shadow_skips, "shadows not needed (object unshared)");
SYSCTL_U64(obj_depth_ever, "vm.stats.object.depth_max_ever", CTLFLAG_RD,
    &vm_object_stats.depth_max_ever, "longest shadow chain ever created");
SYSCTL_U64(obj_live_anon, "vm.stats.object.live_anon", CTLFLAG_RD,
    &vm_object_stats.live[OBJT_ANON], "anonymous objects alive");
SYSCTL_U64(obj_live_vnode, "vm.stats.object.live_vnode", CTLFLAG_RD,
    &vm_object_stats.live[OBJT_VNODE], "vnode objects alive");
SYSCTL_PROC(obj_depth_peak, "vm.stats.object.depth_peak", CTLTYPE_U64,
    CTLFLAG_RW, sysctl_depth_peak, 0,
    "longest shadow chain created since reset (write 0 to reset)");
SYSCTL_PROC(obj_depth_max, "vm.stats.object.depth_max", CTLTYPE_U64,
    CTLFLAG_RD, sysctl_chain_depth, 0, "longest shadow chain now");
SYSCTL_PROC(obj_depth_hist, "vm.stats.object.depth_hist", CTLTYPE_OPAQUE,
    CTLFLAG_RD, sysctl_chain_depth, 1,
    "chains by depth now: 1, 2, ..., 7, 8 or more");

/*
 * Pages resident in vnode objects: the page cache (/proc/meminfo's
 * Cached).  Each count is read without its object's lock, so the sum
 * is a moment's snapshot, as any counter read is.
 */
uint64_t
vm_object_cached_pages(void)
{
	uint64_t n = 0;

	spin_lock(&vm_object_list_lock);
	for (struct list *l = vm_object_list.next; l != &vm_object_list;
	    l = l->next) {
		struct vm_object *o = container_of(l, struct vm_object,
		    object_list);

		if (o->type == OBJT_VNODE)
			n += (uint64_t)__atomic_load_n(&o->resident_page_count,
			    __ATOMIC_RELAXED);
	}
	spin_unlock(&vm_object_list_lock);
	return n;
}
