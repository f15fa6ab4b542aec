/*
 * The page-fault handler.
 *
 * vm_fault() resolves a fault in four steps, each its own function, all
 * sharing one struct faultstate:
 *
 *   lookup     vm_map_lookup(): entry, first object, page index, allowed
 *              protection; pushes a shadow for a write to a needs-copy
 *              entry.  The map stays read-locked until the end.
 *   object     vm_fault_object(): walk first_object -> backing objects for
 *              the page.  A resident page ends the walk; a busy one means
 *              sleep and restart; a pager that has the page fills it; the
 *              end of the chain means zero-fill in the first object.
 *   cow        vm_fault_cow(): a write to a page found below the first
 *              object copies it up, or renames it up when the object
 *              holding it is the first object's backing object and nobody
 *              else can see it.  A read maps the lower page read-only.
 *   enter      pmap_enter(), then vm_prefault() maps neighbours.
 *
 * Anything that must sleep releases every lock first: a busy page is
 * waited for, and pager I/O runs on a busy page of a referenced object
 * with no lock held (as OpenBSD's uvm_fault_lower and FreeBSD's
 * vm_fault_getpages do).  Both return FAULT_RESTART, and vm_fault starts
 * again from the lookup, which revalidates everything the sleep may have
 * changed.  A shortage of memory (KERN_RESOURCE_SHORTAGE from a step) is
 * never a failure: vm_fault releases the locks, waits for the page daemon
 * (vm_wait) and restarts; only a signal arriving during that wait ends
 * the fault early, so that it can be delivered.
 *
 * Each step returns KERN_SUCCESS or a KERN_* error with its locks still
 * held (vm_fault releases them: fault_unlock), or FAULT_RESTART /
 * FAULT_ERROR with every lock released (FAULT_ERROR: the result is in
 * fs->error).
 *
 * Locks: map (shared) -> first object -> backing objects, taken top down
 * and released bottom up.  The first object stays locked from the walk to
 * the end of prefault.
 */
#include "vm/vm_fault.h"
#include "kern/sysctl.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

#define FAULT_RESTART	(-1)	/* all locks released: look up again */
#define FAULT_ERROR	(-2)	/* all locks released: fail with fs->error */

struct vm_fault_tunables vm_fault_tunables = {
	.prefault_behind = 4,
	.prefault_ahead = 4,
	.prefault_zero = true,
	.prefault_upgrade = 16,
	.cow_rename = true,
	.fast_fault = true,
	.read_ahead = VM_CLUSTER_MAX - 1,
	.prefault_exec = 128,
};

SYSCTL_INT_RANGE(vm_prefault_behind, "vm.prefault_behind",
    &vm_fault_tunables.prefault_behind, 0, VM_PREFAULT_MAX,
    "most pages prefaulted behind a non-sequential fault");
SYSCTL_INT_RANGE(vm_prefault_ahead, "vm.prefault_ahead",
    &vm_fault_tunables.prefault_ahead, 0, VM_PREFAULT_MAX,
    "pages prefaulted ahead of an entry's first fault; sequential faults "
    "double it up to 16 (0: prefault off)");
SYSCTL_BOOL(vm_prefault_zero, "vm.prefault_zero",
    &vm_fault_tunables.prefault_zero,
    "zero-fill anonymous pages ahead of a fault");
SYSCTL_INT_RANGE(vm_prefault_upgrade, "vm.prefault_upgrade",
    &vm_fault_tunables.prefault_upgrade, 0, VM_PREFAULT_UPGRADE_MAX,
    "read-only neighbours a write fault makes writable, each way (0: off)");
SYSCTL_INT_RANGE(vm_prefault_exec, "vm.prefault_exec",
    &vm_fault_tunables.prefault_exec, 0, VM_PREFAULT_EXEC_MAX,
    "most recently used pages exec maps of each read-only segment (0: off)");
SYSCTL_BOOL(vm_cow_rename, "vm.cow_rename", &vm_fault_tunables.cow_rename,
    "rename instead of copying an unshared page on a COW fault");
SYSCTL_INT_RANGE(vm_read_ahead, "vm.read_ahead", &vm_fault_tunables.read_ahead,
    0, VM_CLUSTER_MAX - 1,
    "most pages a file fault reads ahead with the page (0: none)");
SYSCTL_BOOL(vm_fast_fault, "vm.fast_fault", &vm_fault_tunables.fast_fault,
    "map resident pages without busying them (their object stays locked)");

/*
 * One fault's state, on the faulting thread's stack (so no lock guards
 * the struct itself).  Legend: what must be held while the field is used:
 *   (i) set once by vm_fault, read-only after
 *   (m) the map, read-locked from lookup to the end of the fault
 *   (f) first_object's lock, held from the walk to the end of prefault
 *   (w) the walk's lock on fs->object (== first_object, or also held)
 * fault_assert_locked() checks (m), (f) and (w) where the fault hands the
 * page on: to the pmap (vm_fault_enter) or to a pager, before the locks
 * are dropped for I/O (fault_page_in).  Once per fault, not per step:
 * the checks cost instructions on the hottest path in the kernel.
 */
struct faultstate {
	struct vm_map *map;		/* (i) */
	vaddr_t va;			/* (i) faulting page */
	vm_prot_t fault_type;		/* (i) */
	struct vm_map_lookup_result lk;	/* (m) */
	struct vm_object *first_object;	/* (m) */
	vm_pindex_t first_pindex;	/* (m) */
	struct vm_radix_cursor first_cur; /* (f) first_pindex's place in
					   first_object's trie, from the walk's
					   first lookup: good while the first
					   object is locked and unchanged */
	struct vm_object *object;	/* (w) where m was found */
	struct vm_radix_cursor cur;	/* (w) m's place in a lower object's
					   trie (the same rules) */
	struct vm_page *m;		/* (w) the page to map */
	bool busied;			/* (w) m is busy (found resident, with
					   fast_fault off) */
	bool fresh;			/* (w) m was allocated by this fault
					   and is mapped nowhere yet */
	bool zero_fill;			/* (w) ... by a zero fill: nothing is
					   mapped at va either */
	bool first_hit;			/* (w) m was resident in first_object:
					   the fault only adds access to it */
	vm_prot_t prot;			/* (f) protection to map m with */
	bool sequential;		/* (i) this fault follows the entry's
					   last one: prefault maps eagerly */
	int error;			/* the KERN_* result of FAULT_ERROR */
};

/* The map, the first object and the walk's object are all held. */
static inline void
fault_assert_locked(const struct faultstate *fs)
{
	LOCK_ASSERT(sx_slocked(&fs->map->lock) || sx_xlocked(&fs->map->lock),
	    "map %p not locked", fs->map);
	VM_OBJECT_ASSERT_LOCKED(fs->first_object);
	VM_OBJECT_ASSERT_LOCKED(fs->object);
}

/* Release the walk's locks: the object m was found in, if not the first. */
static void
unlock_lower(struct faultstate *fs)
{
	if (fs->object != fs->first_object)
		vm_object_unlock(fs->object);
	fs->object = fs->first_object;
}

/* Release every lock the fault holds: lower object, first object, map. */
static void
fault_unlock(struct faultstate *fs)
{
	unlock_lower(fs);
	vm_object_unlock(fs->first_object);
	vm_map_lookup_done(fs->map);
}

/*
 * A page m of fs->object is busy: wait for it without holding anything,
 * then restart.  fs->object is locked (and first_object, if different).
 */
static int
fault_wait_busy(struct faultstate *fs, struct vm_page *m)
{
	struct vm_object *object = fs->object;

	VM_CNT_INC(v_intrans);
	if (object != fs->first_object)
		vm_object_unlock(fs->first_object);
	vm_map_lookup_done(fs->map);
	vm_page_sleep_if_busy(m, "vmfbsy");	/* drops object's lock */
	return FAULT_RESTART;
}

/*
 * Zero-fill a new page at the faulting index of the first object.  Not
 * busy: the first object stays locked until the page is mapped.
 */
static int
fault_zero_fill(struct faultstate *fs)
{
	unlock_lower(fs);
	fs->m = vm_page_alloc_at(fs->first_object, fs->first_pindex,
	    VM_ALLOC_ZERO | VM_ALLOC_NOBUSY, &fs->first_cur);
	fs->busied = false;
	fs->fresh = true;
	fs->zero_fill = true;
	if (fs->m == NULL)
		return KERN_RESOURCE_SHORTAGE;
	fs->m->flags |= PG_VALID;
	VM_CNT_INC(v_zfod);
	return KERN_SUCCESS;
}

/*
 * The read cluster of a pager fault at fs->va: how many pages before and
 * after it to read with it, from the entry's read-ahead state (FreeBSD's
 * read_ahead/next_read).  A fault where the last cluster ended is
 * sequential: the window ahead doubles, up to VM_CLUSTER_MAX - 1, and
 * nothing is read behind.  Any other fault starts again with
 * VM_CLUSTER_INIT pages read around it (half behind).  MADV_RANDOM reads
 * the page alone; MADV_SEQUENTIAL the largest window ahead at once.  The
 * state is a hint written under the shared map lock by concurrent faults
 * (relaxed atomics): a lost update misjudges one cluster, nothing more.
 */
static void
fault_cluster_window(struct faultstate *fs, int *behind, int *ahead)
{
	struct vm_map_entry *entry = fs->lk.entry;
	vaddr_t next = __atomic_load_n(&entry->ra_next, __ATOMIC_RELAXED);
	int window = __atomic_load_n(&entry->ra_window, __ATOMIC_RELAXED);

	*behind = 0;
	if (entry->advice == VM_ADVICE_RANDOM || vm_fault_tunables.read_ahead == 0)
		window = 0;
	else if (entry->advice == VM_ADVICE_SEQUENTIAL)
		window = VM_CLUSTER_MAX - 1;
	else if (fs->va == next && window > 0)
		window = MIN(2 * window, VM_CLUSTER_MAX - 1);
	else {
		window = VM_CLUSTER_INIT;
		*behind = window / 2;
	}
	window = MIN(window, vm_fault_tunables.read_ahead);
	*ahead = window;
	__atomic_store_n(&entry->ra_window, (uint8_t)window, __ATOMIC_RELAXED);
}

/*
 * May the read cluster take pindex p of object (locked)?  Not if the page
 * is resident or has a copy on swap (the pager would overwrite it).
 */
static inline bool
cluster_may_take(struct vm_object *object, vm_pindex_t p)
{
	return vm_page_lookup(object, p) == NULL && (object->swap_pages == 0 ||
	    !swap_pager_haspage(object, p));
}

/*
 * Busy new pages of object (locked) next to page m at pindex, for the
 * pager to fill with it: up to `behind` before and `ahead` after, inside
 * the entry's range, stopping where cluster_may_take says no, at the end
 * of the pager's data, or when free memory runs low (read-ahead never
 * takes the last pages).  Fills ma[] in pindex order and returns how
 * many, with m among them.
 */
static int
fault_cluster_alloc(struct faultstate *fs, struct vm_object *object,
    vm_pindex_t pindex, struct vm_page *m, struct vm_page **ma)
{
	const struct vm_map_entry *entry = fs->lk.entry;
	int behind, ahead, nb = 0, na = 0;

	fault_cluster_window(fs, &behind, &ahead);
	behind = MIN(behind, (int)atop(fs->va - entry->start));
	ahead = MIN(ahead, (int)atop(entry->end - fs->va) - 1);
	if (vm_page_free_count() < vm_page_thresholds.v_free_min +
	    VM_CLUSTER_MAX)
		behind = ahead = 0;
	while (nb < behind) {
		vm_pindex_t p = pindex - nb - 1;

		if (!cluster_may_take(object, p) ||
		    (ma[behind - nb - 1] = vm_page_alloc(object, p, 0)) == NULL)
			break;
		nb++;
	}
	/* Shift what was found behind down to the start of ma. */
	memmove(ma, ma + behind - nb, nb * sizeof(*ma));
	ma[nb] = m;
	while (na < ahead) {
		vm_pindex_t p = pindex + na + 1;

		if (!object->pager->haspage(object, p) ||
		    !cluster_may_take(object, p) ||
		    (ma[nb + 1 + na] = vm_page_alloc(object, p, 0)) == NULL)
			break;
		na++;
	}
	__atomic_store_n(&fs->lk.entry->ra_next, fs->va + ptoa(na + 1),
	    __ATOMIC_RELAXED);
	return nb + 1 + na;
}

/*
 * The pager filled (rv KERN_SUCCESS) or failed to fill busy pages
 * ma[0..n); m is the one the fault needs.  Object locked.  Filled pages
 * become valid and are woken; the others' neighbours, read ahead, go to
 * the inactive queue (nobody asked for them yet).  Failed pages are
 * freed, waking anyone who waited for them.
 */
static void
fault_cluster_done(struct vm_page **ma, int n, struct vm_page *m, int rv)
{
	for (int i = 0; i < n; i++) {
		if (rv != KERN_SUCCESS) {
			vm_page_free(ma[i]);
			continue;
		}
		ma[i]->flags |= PG_VALID;
		if (ma[i] != m)
			vm_page_deactivate(ma[i]);
		vm_page_wakeup(ma[i]);
	}
}

/*
 * Read the page at pindex of fs->object from its pager, or from swap
 * (from_swap: an anonymous object's swapped page).  A pager read takes a
 * cluster of neighbours with it (fault_cluster_alloc), so a sequential
 * reader takes one fault and one disk request per cluster, not per page;
 * if the cluster fails, the page is read alone before the fault fails.
 * The read runs with no lock held: the new pages stay busy meanwhile (a
 * fault on one waits for it), and a reference keeps the object alive
 * should the range be unmapped.  Returns FAULT_RESTART once the page is
 * in, FAULT_ERROR if the pager failed, or KERN_RESOURCE_SHORTAGE (locks
 * held) when no page is free.
 */
static int
fault_page_in(struct faultstate *fs, vm_pindex_t pindex, bool from_swap)
{
	struct vm_object *object = fs->object;
	struct vm_page *m = vm_page_alloc(object, pindex, 0);
	struct vm_page *ma[VM_CLUSTER_MAX];
	int n = 1, rv;

	fault_assert_locked(fs);
	if (m == NULL)
		return KERN_RESOURCE_SHORTAGE;
	VM_CNT_INC(v_io_faults);
	ma[0] = m;
	if (!from_swap && object->pager->cluster)
		n = fault_cluster_alloc(fs, object, pindex, m, ma);
	vm_object_reference_locked(object);
	fault_unlock(fs);
	if (from_swap)
		rv = swap_pager_getpage(object, m);
	else {
		rv = object->pager->getpages(object, ma, n);
		if (rv == KERN_FAILURE && n > 1) {
			/* Perhaps only a neighbour's block is bad: drop the
			 * neighbours and read the page alone. */
			vm_object_lock(object);
			for (int i = 0; i < n; i++)
				if (ma[i] != m)
					vm_page_free(ma[i]);
			vm_object_unlock(object);
			ma[0] = m;
			n = 1;
			rv = object->pager->getpages(object, ma, n);
		}
	}
	vm_object_lock(object);
	fault_cluster_done(ma, n, m, rv);
	vm_object_unlock(object);
	vm_object_deallocate(object);
	if (rv == KERN_SUCCESS)
		return FAULT_RESTART;
	fs->error = rv == KERN_OUT_OF_BOUNDS ? KERN_OUT_OF_BOUNDS : KERN_FAILURE;
	return FAULT_ERROR;
}

/*
 * Walk the shadow chain from the first object for the faulting page.
 * Returns KERN_SUCCESS with fs->m in fs->object (locked, as is the first
 * object), busy if fs->busied (a resident page with fast_fault off; the
 * pages the fault creates are not: the first object's lock, held until
 * they are mapped, keeps others away); KERN_OUT_OF_BOUNDS (past the end of the pager's data) or
 * KERN_RESOURCE_SHORTAGE with the same locks held; or FAULT_RESTART /
 * FAULT_ERROR with everything released (after a sleep or pager I/O).
 */
static int
vm_fault_object(struct faultstate *fs)
{
	vm_pindex_t pindex = fs->first_pindex;
	struct vm_object *object = fs->first_object;

	vm_object_lock(object);
	fs->object = object;
	fs->first_hit = false;
	fs->zero_fill = false;
	for (;;) {
		struct vm_page *m = vm_page_lookup_at(object, pindex,
		    object == fs->first_object ? &fs->first_cur : &fs->cur);
		struct vm_object *next;

		if (m != NULL) {
			if (m->flags & PG_BUSY)
				return fault_wait_busy(fs, m);
			fs->m = m;
			fs->fresh = false;
			fs->first_hit = object == fs->first_object;
			/*
			 * Fast path: the lock on the object holding the page
			 * (kept until the page is mapped or copied) keeps it
			 * where it is; busying it would add nothing.
			 */
			fs->busied = !vm_fault_tunables.fast_fault;
			if (fs->busied)
				vm_page_busy(m);
			return KERN_SUCCESS;
		}
		if (object->swap_pages != 0 && swap_pager_haspage(object, pindex))
			return fault_page_in(fs, pindex, true);
		if (object->pager != NULL) {
			if (!object->pager->haspage(object, pindex))
				return KERN_OUT_OF_BOUNDS;
			return fault_page_in(fs, pindex, false);
		}
		next = object->backing_object;
		if (next == NULL)
			return fault_zero_fill(fs);
		pindex += atop(object->backing_object_offset);
		vm_object_lock(next);
		if (object != fs->first_object)
			vm_object_unlock(object);
		fs->object = object = next;
	}
}

/*
 * Is merging or bypassing backing object `object` cheap enough to do now?
 * Empty objects are bypassed for free; small ones that only the first
 * object sees are merged (see VM_COLLAPSE_CHEAP).  Unlocked reads: a stale
 * answer only makes collapse try, and recheck, or wait for the next fork.
 */
static bool
collapse_is_cheap(const struct vm_object *object)
{
	return object->resident_page_count == 0 ||
	    (object->ref_count == 1 && object->shadow_count == 1 &&
	    object->resident_page_count <= VM_COLLAPSE_CHEAP);
}

/*
 * vm_map_fault_wire for the page the fault maps (fs->m), out of its
 * common path (an entry wired on fault).  The page's object locked.
 */
static __attribute__((noinline, cold)) void
fault_wire(struct faultstate *fs)
{
	vm_map_fault_wire(fs->lk.entry, fs->va, fs->m);
}

/*
 * The page was found below the first object.  For a write, give the first
 * object its own copy: rename the page up if no one else can see the
 * object holding it, else copy it.  For a read, map it read-only.
 */
static int
vm_fault_cow(struct faultstate *fs)
{
	struct vm_object *object = fs->object;
	struct vm_page *m = fs->m;

	if (!(fs->fault_type & VM_PROT_WRITE)) {
		fs->prot &= ~VM_PROT_WRITE;
		return KERN_SUCCESS;
	}
	VM_CNT_INC(v_cow_faults);
	if (vm_fault_tunables.cow_rename &&
	    object == fs->first_object->backing_object &&
	    object->ref_count == 1 && object->shadow_count == 1 &&
	    object->handle == NULL) {
		vm_pindex_t bpindex = m->pindex;

		if (vm_page_rename_at(m, &fs->cur, fs->first_object,
		    fs->first_pindex, &fs->first_cur) != 0) {
			/* No trie node for the first object: a shortage. */
			if (fs->busied)
				vm_page_wakeup(m);
			return KERN_RESOURCE_SHORTAGE;
		}
		/* The backing object's swap copy, if any, is now unreachable. */
		if (object->swap_pages != 0)
			swap_pager_freespace(object, bpindex, bpindex + 1);
		VM_CNT_INC(v_cow_optim);
	} else {
		struct vm_page *copy = vm_page_alloc_at(fs->first_object,
		    fs->first_pindex, VM_ALLOC_NOBUSY, &fs->first_cur);

		if (copy == NULL) {
			if (fs->busied)
				vm_page_wakeup(m);
			return KERN_RESOURCE_SHORTAGE;
		}
		pmap_copy_page(m, copy);
		copy->flags |= PG_VALID;
		if (fs->lk.wired && vm_map_fault_wired(fs->lk.entry, fs->va)) {
			/* The entry's wire goes with its data (vm_map.c). */
			vm_page_unwire(m);
			vm_page_wire(copy);
		}
		/*
		 * Others who share the first object may map the old page
		 * read-only through it; they must now find the copy.
		 */
		if (!(fs->first_object->flags & OBJ_ONEMAPPING))
			pmap_page_protect(m, VM_PROT_NONE);
		if (fs->busied)
			vm_page_wakeup(m);
		fs->m = copy;
		fs->busied = false;	/* the first object's lock suffices */
		fs->fresh = true;
	}
	unlock_lower(fs);
	if (object == fs->first_object->backing_object &&
	    collapse_is_cheap(object))
		vm_object_collapse(fs->first_object);
	return KERN_SUCCESS;
}

/*
 * May page m of the first object be mapped writable before it is written?
 * Only if a write cannot leave it dirty unnoticed: a page already marked
 * dirty, or anonymous memory with no copy on swap.  A clean file page, or
 * an anonymous page whose swap slot still holds its data, is mapped
 * read-only, so that its first write faults, marks it and (for swap)
 * frees the stale slot; else msync and the page daemon would have to
 * treat every writable mapping as a write.
 */
static bool
page_maps_writable(struct vm_object *object, const struct vm_page *m)
{
	if (vm_page_aflag_test(m, PGA_DIRTY))
		return true;
	return object->type == OBJT_ANON && (object->swap_pages == 0 ||
	    !swap_pager_haspage(object, m->pindex));
}

/*
 * Is resident page m worth mapping ahead of use?  Always while the entry
 * is read sequentially (fs->sequential); otherwise only if it was used
 * since the page daemon last looked (PGA_REFERENCED): pages read ahead
 * and never touched, or mapped by an earlier prefault and never used
 * (prefault maps with the accessed bit clear), are left for a fault, as
 * mapping and unmapping them costs more than the fault they might save.
 */
static inline bool
prefault_wants(const struct faultstate *fs, struct vm_page *m)
{
	return fs->sequential || vm_page_aflag_test(m, PGA_REFERENCED);
}

/*
 * A page below the first object for prefault at va, already looked up
 * in `object' (locked, not the first object): map it read-only now,
 * while that lock keeps it there, and drop the lock.  The first object's
 * own pages go to the pmap as one run instead (vm_prefault).
 */
static void
prefault_lower(struct faultstate *fs, vaddr_t va, struct vm_object *object,
    struct vm_page *m)
{
	if (m != NULL && (m->flags & (PG_BUSY | PG_VALID)) == PG_VALID &&
	    prefault_wants(fs, m) &&
	    pmap_enter(fs->map->pmap, va, m, fs->lk.prot & ~VM_PROT_WRITE,
	    PMAP_ENTER_SPECULATIVE) == 0)
		VM_CNT_INC(v_prefault_mapped);
	vm_object_unlock(object);
}

/*
 * Pages for a prefault window's zero fills, taken off the free queue in
 * one batch when the first is needed, as many as the window has slots
 * left to look at; those not used go back at the end of the window.  On
 * the prefaulting thread's stack.
 */
struct zero_stash {
	int have, used;
	struct vm_page *m[VM_PREFAULT_MAX];
};

/*
 * The next stashed page, or NULL if none may be had.  A used-up stash
 * takes a batch: one page for each slot left in the window, its bit set
 * in `left' (bit 0 this one's).
 */
static struct vm_page *
zero_stash_take(struct zero_stash *zs, uint64_t left)
{
	if (zs->used == zs->have) {
		int want = 0;

		for (; left != 0 && want < VM_PREFAULT_MAX; want++)
			left &= left - 1;
		zs->have = vm_page_alloc_batch(zs->m, want);
		zs->used = 0;
		if (zs->have == 0)
			return NULL;
	}
	return zs->m[zs->used++];
}

/* The window is done: the pages it did not use go back. */
static void
zero_stash_release(struct zero_stash *zs)
{
	while (zs->used < zs->have)
		vm_page_free(zs->m[zs->used++]);
}

/*
 * The first-object page prefault may map at va, where the pmap has
 * nothing: a resident page of the first object (writable only if
 * page_maps_writable; *prot says), or, when zs is set and no object of
 * the chain has the page, a new zero-filled one from zs (*filled set;
 * left has a bit for each window slot left, bit 0 this one's).  The
 * first object's trie is looked up through the window's cursor cur
 * (stepping along a bottom node from the slot before).  A page
 * found lower in the chain is mapped read-only here (prefault_lower) and
 * NULL returned, as for busy pages, pages on swap or not read from their
 * file (reading them in is a fault's job) and memory shortage: prefault
 * never sleeps.  First object locked by the caller, and only it on return.
 */
static struct vm_page *
prefault_page(struct faultstate *fs, vaddr_t va, struct vm_radix_cursor *cur,
    struct zero_stash *zs, uint64_t left, vm_prot_t *prot, bool *filled)
{
	struct vm_object *object = fs->first_object;
	vm_pindex_t first_pindex = fs->first_pindex + atop(va) - atop(fs->va);
	vm_pindex_t pindex = first_pindex;
	struct vm_page *m;

	VM_OBJECT_ASSERT_LOCKED(object);
	if (!vm_radix_cursor_step(&object->rtree, cur, pindex, &m))
		m = vm_page_lookup_at(object, pindex, cur);
	while (m == NULL) {
		struct vm_object *next = object->backing_object;

		if (object->pager != NULL || (object->swap_pages != 0 &&
		    swap_pager_haspage(object, pindex)))
			goto none;
		if (next == NULL)
			break;
		pindex += atop(object->backing_object_offset);
		vm_object_lock(next);
		if (object != fs->first_object)
			vm_object_unlock(object);
		object = next;
		m = vm_page_lookup(object, pindex);
	}
	if (object != fs->first_object) {
		if (m != NULL) {
			prefault_lower(fs, va, object, m);
			return NULL;
		}
		vm_object_unlock(object);
	}
	*prot = fs->lk.prot;
	*filled = m == NULL;
	if (m == NULL) {
		if (zs == NULL || (m = zero_stash_take(zs, left)) == NULL)
			return NULL;
		if (vm_page_insert_zeroed(m, fs->first_object, first_pindex,
		    cur) != 0) {
			zs->used--;	/* back to the stash */
			return NULL;
		}
		/* counted by prefault_window */
	} else if ((m->flags & (PG_BUSY | PG_VALID)) != PG_VALID ||
	    !prefault_wants(fs, m)) {
		return NULL;
	} else if (!page_maps_writable(fs->first_object, m)) {
		*prot &= ~VM_PROT_WRITE;
	}
	return m;
none:
	if (object != fs->first_object)
		vm_object_unlock(object);
	return NULL;
}

/*
 * Map the pages of [lo, lo + ptoa(n)) but fs->va (at index behind) where
 * the pmap has no mapping yet: one lockless look at the pmap for the
 * whole window, then the first object's pages to the pmap as one run.
 * Zero-filled pages are made only ahead of the fault, and only if zero
 * is set.  The first object stays locked throughout.  Not inlined: its
 * frame is large, and a fault with prefault off should not pay for it.
 */
static __attribute__((noinline)) void
prefault_window(struct faultstate *fs, vaddr_t lo, int behind, int n,
    bool zero)
{
	struct pmap_run run[2 * VM_PREFAULT_MAX + 1];
	struct zero_stash zs;	/* not an initializer: it would zero zs.m */
	struct vm_radix_cursor cur;	/* in the first object's trie */
	uint64_t mask, filled = 0;	/* filled: run indices zero-filled */
	int nrun = 0, nfilled = 0, made, resident;

	zs.have = zs.used = 0;
	cur.node = NULL;	/* no step before the first lookup */
	VM_CNT_ADD(v_prefault_attempts, n - 1);
	mask = pmap_prefaultable_mask(fs->map->pmap, lo, n) & ~(1ULL << behind);
	for (int i = 0; mask != 0; i++, mask >>= 1) {
		vaddr_t va = lo + ptoa(i);
		bool fresh;

		if (!(mask & 1) || (run[nrun].m = prefault_page(fs, va, &cur,
		    zero && i > behind ? &zs : NULL, mask,
		    &run[nrun].prot, &fresh)) == NULL)
			continue;
		run[nrun].va = va;
		run[nrun].fresh = fresh;
		nfilled += fresh;
		filled |= (uint64_t)fresh << nrun++;
	}
	/* The counters once a window, not once a page. */
	if (nfilled != 0)
		VM_CNT_ADD(v_prefault_zeroed, nfilled);
	zero_stash_release(&zs);
	if (nrun == 0 || (made = pmap_enter_run(fs->map->pmap, run, nrun)) == 0)
		return;
	resident = nrun - nfilled;
	if (made != nrun) {	/* some not made: count the resident ones made */
		resident = 0;
		for (int i = 0; i < nrun; i++)
			resident += run[i].m != NULL && !(filled & (1ULL << i));
	}
	VM_CNT_ADD(v_prefault_mapped, resident);
}

/*
 * prefault_adapt for a cold entry (see there), last its last fault (0:
 * none since fork): nothing around this fault unless it is within
 * vm.prefault_ahead pages of the last, which warms the entry with the
 * usual first window.  MADV_SEQUENTIAL warms it at once.
 */
static __attribute__((noinline)) void
prefault_adapt_cold(struct faultstate *fs, vaddr_t last, int *behind,
    int *ahead)
{
	struct vm_map_entry *entry = fs->lk.entry;
	int base = vm_fault_tunables.prefault_ahead;
	vaddr_t dist = fs->va > last ? fs->va - last : last - fs->va;
	int window = VM_PREFAULT_COLD;

	fs->sequential = entry->advice == VM_ADVICE_SEQUENTIAL;
	*ahead = *behind = 0;
	if (fs->sequential) {
		window = *ahead = VM_PREFAULT_MAX;
	} else if (last != 0 && dist != 0 && dist <= ptoa(base)) {
		window = *ahead = base;
		*behind = MIN(vm_fault_tunables.prefault_behind, base);
	}
	__atomic_store_n(&entry->pf_last, fs->va, __ATOMIC_RELAXED);
	__atomic_store_n(&entry->pf_window, (uint8_t)window, __ATOMIC_RELAXED);
}

/*
 * The prefault window of this fault, from the entry's prefault state
 * (FreeBSD's read-ahead, applied to mapping): a fault just past the
 * window the entry's last fault mapped is sequential, and the window
 * ahead doubles, up to VM_PREFAULT_MAX, with nothing behind; any other
 * fault, and an entry's first, goes back to vm.prefault_ahead ahead and
 * as far behind (at most vm.prefault_behind).  MADV_SEQUENTIAL is
 * sequential at the largest window.  (vm.prefault_ahead = 0, prefault
 * off, does not come here: vm_prefault.)
 *
 * An entry a fork copied into a child starts cold (VM_PREFAULT_COLD):
 * a child mostly touches a few pages here and there before it execs or
 * exits, and mapping the neighbours of each of its faults cost a fork
 * and exit about as much as 5 faults.  A cold entry's faults map nothing
 * around them until one comes within vm.prefault_ahead pages of the
 * last, either way (a child that goes on working where it faults: a
 * stack growing down, a walk over its data); that one opens the usual
 * window, and the entry is warm from then on.
 * The state is a hint (r), as the read cluster's.
 */
static void
prefault_adapt(struct faultstate *fs, int *behind, int *ahead)
{
	struct vm_map_entry *entry = fs->lk.entry;
	vaddr_t last = __atomic_load_n(&entry->pf_last, __ATOMIC_RELAXED);
	int window = __atomic_load_n(&entry->pf_window, __ATOMIC_RELAXED);
	int base = vm_fault_tunables.prefault_ahead;

	if (__builtin_expect(window == VM_PREFAULT_COLD, 0)) {
		prefault_adapt_cold(fs, last, behind, ahead);
		return;
	}
	fs->sequential = window > 0 && fs->va > last &&
	    fs->va <= last + ptoa(window + 1);
	if (entry->advice == VM_ADVICE_SEQUENTIAL) {
		fs->sequential = true;
		window = VM_PREFAULT_MAX;
	} else if (fs->sequential)
		window = MIN(2 * window, VM_PREFAULT_MAX);
	else
		window = base;
	*ahead = window;
	*behind = fs->sequential ? 0 :
	    MIN(vm_fault_tunables.prefault_behind, window);
	__atomic_store_n(&entry->pf_last, fs->va, __ATOMIC_RELAXED);
	__atomic_store_n(&entry->pf_window, (uint8_t)window, __ATOMIC_RELAXED);
}

/*
 * Is the faulting page the only one resident in the whole chain below
 * the entry (a fresh process's heap, stack or data)?  Then there is
 * nothing for prefault to map but zero fills, and looking at each
 * neighbour would be wasted.  The first object is locked; the counts of
 * the objects below are read unlocked, as a hint: a page that arrives
 * meanwhile is only not prefaulted.  A pager's object (a file) always
 * may have more.
 */
static bool
chain_holds_one_page(const struct faultstate *fs)
{
	int pages = 0;

	for (const struct vm_object *o = fs->first_object; o != NULL;
	    o = o->backing_object) {
		if (o->pager != NULL || o->swap_pages != 0)
			return false;
		pages += __atomic_load_n(&o->resident_page_count,
		    __ATOMIC_RELAXED);
		if (pages > 1)
			return false;
	}
	return true;
}

/*
 * Map up to `behind` pages before and `ahead` pages after the fault
 * (prefault_adapt's window), within the entry, where the pmap has no
 * mapping yet.  Zero-filled pages are only made ahead of a sequential
 * fault, for writable private anonymous memory, since that is where a
 * sequential toucher goes next.  Never in a wired entry: its pages
 * would be entered without the wired flag; one wired on fault takes its
 * wire on a first-object page just mapped here (a lower page took it in
 * vm_fault_enter, under its own object's lock), where the first object's
 * lock keeps it in place.
 * First object locked.
 */
static inline void
vm_prefault(struct faultstate *fs)
{
	const struct vm_map_entry *entry = fs->lk.entry;
	int behind, ahead;
	bool zero;

	/* A wired entry's pages were all faulted in by the wiring, or
	 * come in one by one (wired on fault). */
	if (entry->advice == VM_ADVICE_RANDOM || entry->wired_count != 0) {
		if (entry->wired_count != 0 && fs->object == fs->first_object)
			fault_wire(fs);
		return;
	}
	if (vm_fault_tunables.prefault_ahead == 0)
		return;
	prefault_adapt(fs, &behind, &ahead);
	behind = MIN(behind, (int)atop(fs->va - entry->start));
	ahead = MIN(ahead, (int)atop(entry->end - fs->va) - 1);
	zero = vm_fault_tunables.prefault_zero && fs->sequential &&
	    (entry->protection & VM_PROT_WRITE) &&
	    !(entry->eflags & MAP_ENTRY_NEEDS_COPY) &&
	    fs->first_object->type == OBJT_ANON;
	if (behind + ahead == 0 || (!zero && chain_holds_one_page(fs)))
		return;
	prefault_window(fs, fs->va - ptoa(behind), behind, behind + 1 + ahead,
	    zero);
}

/*
 * The page write fault-around may make writable at va, or NULL: mapped
 * read-only to a page of the first object itself that a write fault
 * there would map writable (page_maps_writable).  First object locked.
 */
static struct vm_page *
upgradable_page(struct faultstate *fs, vaddr_t va)
{
	struct vm_object *object = fs->first_object;
	struct vm_page *m;

	if (!pmap_is_mapped_readonly(fs->map->pmap, va))
		return NULL;
	m = vm_page_lookup(object, fs->first_pindex + atop(va) - atop(fs->va));
	if (m == NULL || (m->flags & (PG_BUSY | PG_VALID)) != PG_VALID ||
	    !page_maps_writable(object, m))
		return NULL;
	return m;
}

/*
 * Write fault-around: after a write fault on a page already resident in
 * an anonymous first object that no other object sees through (no
 * shadows), so that the fault only gave it write access, make the
 * neighbours mapped read-only writable, as their own write faults would.
 * That is memory a fork write-protected and whose child has gone: the
 * parent rewriting it takes one fault per window instead of one a page.
 * Each direction stops at the first neighbour that does not qualify, and
 * goes to the pmap as one run.  First object locked; the caller has
 * checked that the fault was a write that found its page in the first
 * object (fs->first_hit).  Not inlined, so that other faults pay nothing.
 */
static __attribute__((noinline)) void
vm_prefault_upgrade(struct faultstate *fs)
{
	const struct vm_map_entry *entry = fs->lk.entry;
	int window = vm_fault_tunables.prefault_upgrade;
	struct vm_page *run[VM_PREFAULT_UPGRADE_MAX];
	int n;

	if (window == 0 || !(fs->prot & VM_PROT_WRITE) ||
	    entry->advice == VM_ADVICE_RANDOM ||
	    fs->first_object->type != OBJT_ANON ||
	    fs->first_object->shadow_count != 0)
		return;
	window = MIN(window, VM_PREFAULT_UPGRADE_MAX);
	for (n = 0; n < window && fs->va + ptoa(n + 1) < entry->end; n++)
		if ((run[n] = upgradable_page(fs, fs->va + ptoa(n + 1))) == NULL)
			break;
	if (n > 0)
		VM_CNT_ADD(v_prefault_upgraded,
		    pmap_upgrade_write(fs->map->pmap, fs->va + PAGE_SIZE, run, n));
	/* Behind: gathered nearest first into the end of run, so that the
	 * run goes to the pmap in address order. */
	for (n = 0; n < window && fs->va - ptoa(n + 1) >= entry->start &&
	    fs->va - ptoa(n + 1) < fs->va; n++)
		if ((run[window - 1 - n] = upgradable_page(fs,
		    fs->va - ptoa(n + 1))) == NULL)
			break;
	if (n > 0)
		VM_CNT_ADD(v_prefault_upgraded, pmap_upgrade_write(fs->map->pmap,
		    fs->va - ptoa(n), &run[window - n], n));
}

/*
 * Map the page the walk found (and COW made private if need be), then
 * prefault its neighbours.  All the fault's locks held on entry and on
 * return.  KERN_RESOURCE_SHORTAGE if the pmap could not get a page table
 * or pv entry; the page stays in its object for the retry.
 */
static int
vm_fault_enter(struct faultstate *fs)
{
	unsigned flags;
	int rv;

	fault_assert_locked(fs);
	if (fs->fault_type & VM_PROT_WRITE) {
		vm_page_aflag_set(fs->m, PGA_DIRTY);
		/* A store to a file through a shared mapping: its times
		 * change by the next msync or munmap. */
		if (fs->first_object->type == OBJT_VNODE)
			fs->first_object->flags |= OBJ_MTIME;
		/* Written again: a copy on swap is stale now. */
		if (fs->first_object->swap_pages != 0)
			swap_pager_freespace(fs->first_object, fs->first_pindex,
			    fs->first_pindex + 1);
	} else if (!page_maps_writable(fs->first_object, fs->m))
		fs->prot &= ~VM_PROT_WRITE;
	/* A zero fill's page has nothing mapped there before it:
	 * pmap_enter_fresh's fast case. */
	flags = (fs->lk.wired ? PMAP_ENTER_WIRED : 0) |
	    (fs->fresh ? PMAP_ENTER_FRESH : 0);
	if (fs->zero_fill)
		rv = pmap_enter_fresh(fs->map->pmap, fs->va, fs->m, fs->prot,
		    flags);
	else
		rv = pmap_enter(fs->map->pmap, fs->va, fs->m, fs->prot, flags);
	if (fs->busied)
		vm_page_wakeup(fs->m);
	if (rv != 0)
		return KERN_RESOURCE_SHORTAGE;
	/* A lower page mapped read-only: an entry wired on fault wires it
	 * while its object's lock holds it in place. */
	if (__builtin_expect(fs->object != fs->first_object && fs->lk.wired, 0))
		fault_wire(fs);
	unlock_lower(fs);
	vm_prefault(fs);
	if (fs->first_hit && (fs->fault_type & VM_PROT_WRITE))
		vm_prefault_upgrade(fs);
	return KERN_SUCCESS;
}

/*
 * Resolve a fault at va for an access of fault_type (VM_PROT_READ, WRITE
 * or EXECUTE) in map.  Returns KERN_SUCCESS with the page mapped, or
 * KERN_INVALID_ADDRESS (nothing mapped there), KERN_PROTECTION_FAILURE,
 * KERN_OUT_OF_BOUNDS (past the end of a file) or KERN_FAILURE (I/O
 * error); the trap code turns these into signals.  Waits while memory is
 * short; KERN_RESOURCE_SHORTAGE means a signal arrived during that wait
 * (deliver it and let the access run again).  No locks held on entry or
 * return; may sleep.
 */
int
vm_fault(struct vm_map *map, vaddr_t va, vm_prot_t fault_type)
{
	struct faultstate fs;	/* each field is set before it is read: a
				   zeroing initializer of the whole struct
				   costs every fault a memset call */
	int rv;

	fs.map = map;
	fs.va = trunc_page(va);
	fs.fault_type = fault_type;

	VM_CNT_INC(v_vm_faults);
	for (;;) {
		rv = vm_map_lookup(map, fs.va, fault_type, &fs.lk);
		if (rv == KERN_SUCCESS) {
			fs.first_object = fs.lk.object;
			fs.first_pindex = fs.lk.pindex;
			fs.prot = fs.lk.prot;
			rv = vm_fault_object(&fs);
			if (rv == FAULT_RESTART)
				continue;
			if (rv == FAULT_ERROR)
				return fs.error;
			if (rv == KERN_SUCCESS && fs.object != fs.first_object)
				rv = vm_fault_cow(&fs);
			if (rv == KERN_SUCCESS)
				rv = vm_fault_enter(&fs);
			fault_unlock(&fs);
		}
		if (rv != KERN_RESOURCE_SHORTAGE)
			return rv;
		if (vm_wait(true) != 0)
			return KERN_RESOURCE_SHORTAGE;
	}
}

/*
 * Exec's prefault of a read-only program segment, the file pages mapped
 * at [start, end) (FreeBSD maps an image's sections with MAP_PREFAULT):
 * map at once, read-only and without the accessed bit, the resident
 * valid pages of the file that were used since the page daemon last
 * looked (PGA_REFERENCED), at most vm.prefault_exec of them.  Those are
 * the pages the program's earlier runs touched, which this run is likely
 * to touch again: each saves a fault, where mapping every resident page
 * would cost more in mapping and unmapping pages never used than the
 * faults it saves.  Nothing is read from the file and nothing waits.
 * Takes and drops the map's lock (shared) and the object's.
 */
void
vm_fault_prefault_segment(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct pmap_run run[32];
	struct vm_page *ma[32];
	struct vm_map_entry *entry;
	struct vm_object *object;
	vm_pindex_t lo, hi;
	int budget = vm_fault_tunables.prefault_exec, n = 0, made = 0, got;

	if (budget == 0)
		return;
	vm_map_lock_read(map);
	if (!vm_map_lookup_entry(map, start, &entry) ||
	    (object = entry->object) == NULL || object->type != OBJT_VNODE ||
	    (entry->protection & VM_PROT_WRITE)) {
		vm_map_unlock_read(map);
		return;
	}
	lo = atop(entry->offset + (start - entry->start));
	hi = lo + atop(MIN(end, entry->end) - start);
	vm_object_lock(object);
	for (; budget > 0 && lo < hi &&
	    (got = vm_radix_gather(&object->rtree, lo, hi - 1, ma,
	    (int)nitems(ma))) > 0; lo = ma[got - 1]->pindex + 1) {
		for (int i = 0; i < got && budget > 0; i++) {
			struct vm_page *m = ma[i];

			if ((m->flags & (PG_BUSY | PG_VALID)) != PG_VALID ||
			    !vm_page_aflag_test(m, PGA_REFERENCED))
				continue;
			run[n].va = entry->start + ptoa(m->pindex) -
			    entry->offset;
			run[n].m = m;
			run[n].prot = entry->protection;
			run[n].fresh = false;
			budget--;
			if (++n == (int)nitems(run)) {
				made += pmap_enter_run(map->pmap, run, n);
				n = 0;
			}
		}
	}
	if (n > 0)
		made += pmap_enter_run(map->pmap, run, n);
	vm_object_unlock(object);
	vm_map_unlock_read(map);
	VM_CNT_ADD(v_prefault_exec, made);
}
