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
 * Waiting for a busy page releases every lock and returns FAULT_RESTART;
 * vm_fault then starts again from the lookup.  That is the only restart
 * path.  (A pager's getpage sleeps for its I/O with the map and the
 * objects of the walk locked.)
 *
 * Locks: map (shared) -> first object -> backing objects, taken top down
 * and released bottom up.  The first object stays locked from the walk to
 * the end of prefault.
 */
#include "vm/vm_fault.h"
#include "kern/sysctl.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

#define FAULT_RESTART	(-1)

struct vm_fault_tunables vm_fault_tunables = {
	.prefault_behind = 4,
	.prefault_ahead = 4,
	.prefault_zero = true,
	.cow_rename = true,
	.fast_fault = true,
};

SYSCTL_INT_RANGE(vm_prefault_behind, "vm.prefault_behind",
    &vm_fault_tunables.prefault_behind, 0, VM_PREFAULT_MAX,
    "pages prefaulted behind a fault");
SYSCTL_INT_RANGE(vm_prefault_ahead, "vm.prefault_ahead",
    &vm_fault_tunables.prefault_ahead, 0, VM_PREFAULT_MAX,
    "pages prefaulted ahead of a fault");
SYSCTL_BOOL(vm_prefault_zero, "vm.prefault_zero",
    &vm_fault_tunables.prefault_zero,
    "zero-fill anonymous pages ahead of a fault");
SYSCTL_BOOL(vm_cow_rename, "vm.cow_rename", &vm_fault_tunables.cow_rename,
    "rename instead of copying an unshared page on a COW fault");
SYSCTL_BOOL(vm_fast_fault, "vm.fast_fault", &vm_fault_tunables.fast_fault,
    "map resident pages without busying them (their object stays locked)");

struct faultstate {
	struct vm_map *map;
	vaddr_t va;			/* faulting page */
	vm_prot_t fault_type;
	struct vm_map_lookup_result lk;
	struct vm_object *first_object;	/* locked from walk to the end */
	vm_pindex_t first_pindex;
	struct vm_object *object;	/* where m was found (locked) */
	struct vm_page *m;		/* the page to map */
	bool busied;			/* m is busy (not on the fast path) */
	vm_prot_t prot;			/* protection to map m with */
};

/* Release the walk's locks: the object m was found in, if not the first. */
static void
unlock_lower(struct faultstate *fs)
{
	if (fs->object != fs->first_object)
		vm_object_unlock(fs->object);
	fs->object = fs->first_object;
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

/* Zero-fill a new page at the faulting index of the first object. */
static int
fault_zero_fill(struct faultstate *fs)
{
	unlock_lower(fs);
	fs->m = vm_page_alloc(fs->first_object, fs->first_pindex, VM_ALLOC_ZERO);
	fs->busied = true;
	if (fs->m == NULL)
		return KERN_RESOURCE_SHORTAGE;
	fs->m->flags |= PG_VALID;
	VM_CNT_INC(v_zfod);
	return KERN_SUCCESS;
}

/* Ask fs->object's pager for the page at pindex. */
static int
fault_page_in(struct faultstate *fs, vm_pindex_t pindex)
{
	struct vm_object *object = fs->object;
	struct vm_page *m = vm_page_alloc(object, pindex, 0);
	int rv;

	if (m == NULL)
		return KERN_RESOURCE_SHORTAGE;
	VM_CNT_INC(v_io_faults);
	rv = object->pager->getpage(object, m);
	if (rv != KERN_SUCCESS) {
		vm_page_free(m);
		return rv == KERN_OUT_OF_BOUNDS ? KERN_OUT_OF_BOUNDS : KERN_FAILURE;
	}
	m->flags |= PG_VALID;
	fs->m = m;
	fs->busied = true;
	return KERN_SUCCESS;
}

/*
 * Walk the shadow chain from the first object for the faulting page.  The
 * map is read-locked on entry.  On success fs->object (locked, as is the
 * first object) holds fs->m, which is busy if fs->busied (pages the fault
 * creates, or fast_fault off).  On failure (KERN_OUT_OF_BOUNDS: the
 * pager has no such page; KERN_RESOURCE_SHORTAGE; KERN_FAILURE: the
 * pager's I/O failed) nothing was left in any object, and the map, the
 * first object and fs->object (where the walk stopped, maybe the first
 * object) are all still locked, for the caller to release.  FAULT_RESTART
 * (a busy page was waited for) returns with nothing locked.
 */
static int
vm_fault_object(struct faultstate *fs)
{
	vm_pindex_t pindex = fs->first_pindex;
	struct vm_object *object = fs->first_object;

	vm_object_lock(object);
	fs->object = object;
	for (;;) {
		struct vm_page *m = vm_page_lookup(object, pindex);
		struct vm_object *next;

		if (m != NULL) {
			if (m->flags & PG_BUSY)
				return fault_wait_busy(fs, m);
			fs->m = m;
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
		if (object->pager != NULL) {
			if (!object->pager->haspage(object, pindex))
				return KERN_OUT_OF_BOUNDS;
			return fault_page_in(fs, pindex);
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
		vm_page_rename(m, fs->first_object, fs->first_pindex);
		VM_CNT_INC(v_cow_optim);
	} else {
		struct vm_page *copy = vm_page_alloc(fs->first_object,
		    fs->first_pindex, 0);

		if (copy == NULL) {
			if (fs->busied)
				vm_page_wakeup(m);
			return KERN_RESOURCE_SHORTAGE;
		}
		pmap_copy_page(m, copy);
		copy->flags |= PG_VALID;
		/*
		 * Others who share the first object may map the old page
		 * read-only through it; they must now find the copy.
		 */
		if (!(fs->first_object->flags & OBJ_ONEMAPPING))
			pmap_page_protect(m, VM_PROT_NONE);
		if (fs->busied)
			vm_page_wakeup(m);
		fs->m = copy;
		fs->busied = true;	/* new pages come busy */
	}
	unlock_lower(fs);
	if (object == fs->first_object->backing_object &&
	    collapse_is_cheap(object))
		vm_object_collapse(fs->first_object);
	return KERN_SUCCESS;
}

/*
 * May page m of the first object be mapped writable before it is written?
 * Only if a write cannot leave it dirty unnoticed: anonymous memory, or a
 * page already marked dirty.  A clean file page is mapped read-only, so
 * that its first write faults and marks it; else msync would have to
 * treat every writable mapping as a write.
 */
static bool
page_maps_writable(const struct vm_object *object, const struct vm_page *m)
{
	return object->type == OBJT_ANON || (m->flags & PG_DIRTY);
}

/*
 * Map the page at va if the pmap has nothing there, using a page that is
 * already resident somewhere along the chain (read-only unless it is in
 * the first object and the entry allows writing), or, when zero is set and
 * the chain has no page at all, a new zero-filled page in the first object.
 * Never sleeps: busy pages and memory shortage just stop the attempt.
 * Returns true if a mapping was made.  First object locked by the caller.
 */
static bool
prefault_one(struct faultstate *fs, vaddr_t va, bool zero)
{
	struct vm_object *object = fs->first_object;
	vm_pindex_t pindex = fs->first_pindex + atop(va) - atop(fs->va);
	struct vm_page *m = NULL;
	vm_prot_t prot = fs->lk.prot;

	for (;;) {
		struct vm_object *next;

		m = vm_page_lookup(object, pindex);
		if (m != NULL || object->pager != NULL ||
		    (next = object->backing_object) == NULL)
			break;
		pindex += atop(object->backing_object_offset);
		vm_object_lock(next);
		if (object != fs->first_object)
			vm_object_unlock(object);
		object = next;
	}
	if (m == NULL && object->pager == NULL && zero) {
		if (object != fs->first_object)
			vm_object_unlock(object);
		object = fs->first_object;
		m = vm_page_alloc(object, fs->first_pindex + atop(va) - atop(fs->va),
		    VM_ALLOC_ZERO);
		if (m != NULL) {
			m->flags |= PG_VALID;
			vm_page_wakeup(m);
			VM_CNT_INC(v_prefault_zeroed);
			if (pmap_enter(fs->map->pmap, va, m, prot, 0) != 0)
				m = NULL;	/* stays cached in the object */
		}
	} else if (m != NULL) {
		if ((m->flags & (PG_BUSY | PG_VALID)) != PG_VALID)
			m = NULL;
		else if (object != fs->first_object ||
		    !page_maps_writable(object, m))
			prot &= ~VM_PROT_WRITE;
		if (m != NULL && pmap_enter(fs->map->pmap, va, m, prot, 0) == 0)
			VM_CNT_INC(v_prefault_mapped);
		else
			m = NULL;
	}
	if (object != fs->first_object)
		vm_object_unlock(object);
	return m != NULL;
}

/*
 * Map up to `behind` pages before and `ahead` pages after the fault,
 * nearest first, within the entry, where the pmap has no mapping yet.
 * Zero-filled pages are only made ahead, for writable private anonymous
 * memory, since that is where a sequential toucher goes next.
 */
static void
vm_prefault(struct faultstate *fs)
{
	const struct vm_map_entry *entry = fs->lk.entry;
	int behind = vm_fault_tunables.prefault_behind;
	int ahead = vm_fault_tunables.prefault_ahead;
	bool zero;

	if (entry->advice == VM_ADVICE_RANDOM)
		return;
	if (entry->advice == VM_ADVICE_SEQUENTIAL) {
		ahead = MIN(2 * ahead, VM_PREFAULT_MAX);
		behind = 0;
	}
	zero = vm_fault_tunables.prefault_zero &&
	    (entry->protection & VM_PROT_WRITE) &&
	    !(entry->eflags & MAP_ENTRY_NEEDS_COPY) &&
	    fs->first_object->type == OBJT_ANON;
	for (int i = 1; i <= MAX(behind, ahead); i++) {
		vaddr_t up = fs->va + ptoa(i), down = fs->va - ptoa(i);

		if (i <= ahead && up < entry->end) {
			VM_CNT_INC(v_prefault_attempts);
			if (pmap_is_prefaultable(fs->map->pmap, up))
				prefault_one(fs, up, zero);
		}
		if (i <= behind && down >= entry->start && down < fs->va) {
			VM_CNT_INC(v_prefault_attempts);
			if (pmap_is_prefaultable(fs->map->pmap, down))
				prefault_one(fs, down, false);
		}
	}
}

/*
 * Resolve a fault at va for an access of fault_type (VM_PROT_READ, WRITE
 * or EXECUTE) in map.  Returns KERN_SUCCESS with the page mapped, or
 * KERN_INVALID_ADDRESS (nothing mapped there), KERN_PROTECTION_FAILURE,
 * KERN_RESOURCE_SHORTAGE (out of memory), KERN_OUT_OF_BOUNDS (past the end
 * of a file) or KERN_FAILURE (I/O error).  The trap code turns errors into
 * signals.  No locks held on entry or return; may sleep.
 */
int
vm_fault(struct vm_map *map, vaddr_t va, vm_prot_t fault_type)
{
	struct faultstate fs = {
		.map = map,
		.va = trunc_page(va),
		.fault_type = fault_type,
	};
	int rv;

	VM_CNT_INC(v_vm_faults);
	do {
		rv = vm_map_lookup(map, fs.va, fault_type, &fs.lk);
		if (rv != KERN_SUCCESS)
			return rv;
		fs.first_object = fs.lk.object;
		fs.first_pindex = fs.lk.pindex;
		fs.prot = fs.lk.prot;
		rv = vm_fault_object(&fs);
	} while (rv == FAULT_RESTART);

	if (rv == KERN_SUCCESS && fs.object != fs.first_object)
		rv = vm_fault_cow(&fs);
	if (rv != KERN_SUCCESS) {
		unlock_lower(&fs);
		vm_object_unlock(fs.first_object);
		vm_map_lookup_done(map);
		return rv;
	}
	if (fault_type & VM_PROT_WRITE)
		fs.m->flags |= PG_DIRTY;
	else if (!page_maps_writable(fs.first_object, fs.m))
		fs.prot &= ~VM_PROT_WRITE;
	rv = pmap_enter(map->pmap, fs.va, fs.m, fs.prot,
	    fs.lk.wired ? PMAP_ENTER_WIRED : 0);
	if (fs.busied)
		vm_page_wakeup(fs.m);
	unlock_lower(&fs);
	if (rv == 0)
		vm_prefault(&fs);
	vm_object_unlock(fs.first_object);
	vm_map_lookup_done(map);
	return rv == 0 ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}
