/*
 * Address maps: an address space is a sorted list of entries, each mapping
 * [start, end) to an offset in a VM object with a protection, an
 * inheritance and flags.  The pmap below is only a cache of this.
 *
 * Lock legend:
 *   (m) the map's lock: shared to read (faults), exclusive to change
 *   (r) a hint: read and written with relaxed atomics by faults holding
 *       the map shared (a lost update costs one misjudged read cluster)
 *   (c) constant after creation
 */
#ifndef VM_VM_MAP_H
#define VM_VM_MAP_H

#include "kern/kernel.h"
#include "vm/vm.h"
#include "vm/vm_param.h"

struct kpath;

/* eflags */
#define MAP_ENTRY_COW		0x01	/* private: writes go to a private copy */
#define MAP_ENTRY_NEEDS_COPY	0x02	/* private copy not made yet: shadow
					   the object on the first write */
#define MAP_ENTRY_SHARED	0x04	/* the object is shared with another
					   address space (VM_INHERIT_SHARE) */
#define MAP_ENTRY_ACCOUNTED	0x08	/* its size is charged to the
					   committed memory (vm_commit_*) */
#define MAP_ENTRY_NORESERVE	0x10	/* MAP_NORESERVE: not charged, even
					   when made writable */
#define MAP_ENTRY_ONFAULT	0x20	/* wired on fault (MLOCK_ONFAULT): the
					   wires are on the indexes set in
					   onfault only (vm_map.c's wiring) */

struct vm_map_entry {
	struct vm_map_entry *prev;	/* (m) */
	struct vm_map_entry *next;	/* (m) */
	vaddr_t start;			/* (m) */
	vaddr_t end;			/* (m) exclusive */
	struct vm_object *object;	/* (m) NULL until first touched */
	vm_ooffset_t offset;		/* (m) byte offset of start in object */
	vm_prot_t protection;		/* (m) current */
	vm_prot_t max_protection;	/* (m) the most protection may become */
	uint8_t inheritance;		/* (m) VM_INHERIT_* */
	uint8_t advice;			/* (m) VM_ADVICE_* */
	uint16_t eflags;		/* (m) MAP_ENTRY_* */
	uint16_t wired_count;		/* (m) 1 if user-wired (mlock: see
					   vm_map.c's wiring), else 0 */
	uint8_t ra_window;		/* (r) read-ahead of the last pager fault */
	uint8_t pf_window;		/* (r) prefault's window ahead, pages,
					   or VM_PREFAULT_COLD (vm_fault.h) */
	vaddr_t pf_last;		/* (r) the entry's last fault (vm_fault.c) */
	vaddr_t ra_next;		/* (r) where a sequential pager fault
					   comes next (vm_fault.c) */
	struct kpath *name;		/* (m) a reference: the path of the
					   file it maps, as it was opened
					   (mmap) or exec'd, for /proc/PID/maps
					   and procmap; NULL for anonymous
					   memory.  Every entry made from it
					   (clipped, forked, moved, grown over
					   the same file) holds its own. */
	uint64_t *onfault;		/* (m; bits set atomically under the
					   shared lock by faults) with
					   MAP_ENTRY_ONFAULT: a bit per index,
					   set where the entry holds its wire */
};

struct vm_map {
	struct vm_map_entry header;	/* (m) sentinel: next is the first entry */
	int nentries;			/* (m) */
	vsize_t size;			/* (m) bytes mapped */
	vaddr_t min_offset;		/* (c) lowest usable address */
	vaddr_t max_offset;		/* (c) end of the usable range */
	struct vm_map_entry *hint;	/* (m) last entry found; also stored
					   atomically under the shared lock */
	struct vm_map_entry *deferred;	/* (m) entries to free after unlock */
	uint8_t flags;			/* (m) MAP_WIREFUTURE* */
	struct sx lock;
	struct pmap *pmap;		/* (c) */
};

/* vm_map flags */
#define MAP_WIREFUTURE		0x01	/* mlockall(MCL_FUTURE): wire new
					   mappings as they are made */
#define MAP_WIREFUTURE_ONFAULT	0x02	/* ... with MCL_ONFAULT: wire them
					   as they are faulted in */

struct vmspace {
	struct vm_map vm_map;
	struct pmap *vm_pmap;		/* (c) */
	int vm_refcnt;			/* (atomic) processes using it */
	vaddr_t vm_brk_base;		/* (m) start of the heap (brk) */
	vaddr_t vm_brk;			/* (m) current break */
};

/* What vm_map_lookup found, for the fault handler. */
struct vm_map_lookup_result {
	struct vm_map_entry *entry;
	struct vm_object *object;	/* the first object of the chain */
	vm_pindex_t pindex;		/* index of the address in object */
	vm_prot_t prot;			/* allowed mapping protection */
	bool wired;			/* wholly or on fault (vm_map_fault_wire) */
};

/* vm_map_assert_locked kind */
#define VM_MAP_LOCKED_ANY	0	/* shared or exclusive */
#define VM_MAP_LOCKED_EXCL	1

/*
 * The running thread holds map's lock (exclusively, for
 * VM_MAP_LOCKED_EXCL): the legend's (m).  Checked in WITNESS kernels
 * (LOCK_ASSERT), which also know who holds a lock shared.
 */
static inline void
vm_map_assert_locked(const struct vm_map *map, int kind)
{
	LOCK_ASSERT(kind == VM_MAP_LOCKED_EXCL ? sx_xlocked(&map->lock) :
	    sx_held(&map->lock), "map %p not locked%s", map,
	    kind == VM_MAP_LOCKED_EXCL ? " exclusively" : "");
}

void vm_map_init(struct vm_map *map, struct pmap *pmap, vaddr_t min,
    vaddr_t max);
void vm_map_lock(struct vm_map *map);
void vm_map_unlock(struct vm_map *map);

/* The shared lock: inline, since every fault takes and drops it. */
static inline void
vm_map_lock_read(struct vm_map *map)
{
	sx_slock(&map->lock);
}

static inline void
vm_map_unlock_read(struct vm_map *map)
{
	sx_sunlock(&map->lock);
}

bool vm_map_lookup_entry_walk(struct vm_map *map, vaddr_t addr,
    struct vm_map_entry *cur, struct vm_map_entry **entry);

/*
 * Find the entry containing addr: returns true with *entry set to it, or
 * false with *entry set to the entry just before addr (the header if
 * none).  Map locked (either way).  The hint, the last entry found, is
 * checked inline (a fault's entry is nearly always the last one); the
 * walk stores a new one.  A hit stores nothing, so that threads faulting
 * in one map do not pass its cache line between harts.
 */
static inline bool
vm_map_lookup_entry(struct vm_map *map, vaddr_t addr,
    struct vm_map_entry **entry)
{
	struct vm_map_entry *cur = __atomic_load_n(&map->hint,
	    __ATOMIC_RELAXED);

	vm_map_assert_locked(map, VM_MAP_LOCKED_ANY);
	if (cur != &map->header && cur->start <= addr && addr < cur->end) {
		*entry = cur;
		return true;
	}
	return vm_map_lookup_entry_walk(map, addr, cur, entry);
}
int vm_map_insert(struct vm_map *map, struct vm_object *object,
    vm_ooffset_t offset, vaddr_t start, vaddr_t end, vm_prot_t prot,
    vm_prot_t max, int cow);
int vm_map_findspace(struct vm_map *map, vaddr_t start, vsize_t length,
    vaddr_t *addr);
int vm_map_find(struct vm_map *map, struct vm_object *object,
    vm_ooffset_t offset, vaddr_t *addr, vsize_t length, bool fixed,
    vm_prot_t prot, vm_prot_t max, int cow);
void vm_map_set_name(struct vm_map *map, vaddr_t addr, struct kpath *name);
int vm_map_remove(struct vm_map *map, vaddr_t start, vaddr_t end);
int vm_map_delete(struct vm_map *map, vaddr_t start, vaddr_t end);
int vm_map_protect(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_prot_t prot, bool set_max);
int vm_map_madvise(struct vm_map *map, vaddr_t start, vaddr_t end, int advice);
int vm_map_inherit(struct vm_map *map, vaddr_t start, vaddr_t end,
    int inheritance);
int vm_map_remap(struct vm_map *map, vaddr_t addr, vsize_t old_len,
    vsize_t new_len, bool may_move, vaddr_t dest, vaddr_t *result);
int vm_map_remap_dontunmap(struct vm_map *map, vaddr_t addr, vsize_t len,
    vaddr_t dest, bool fixed, vaddr_t *result);
int vm_map_wire(struct vm_map *map, vaddr_t start, vaddr_t end);
int vm_map_wire_onfault(struct vm_map *map, vaddr_t start, vaddr_t end);
void vm_map_fault_wire(struct vm_map_entry *entry, vaddr_t va,
    struct vm_page *m);
bool vm_map_fault_wired(const struct vm_map_entry *entry, vaddr_t va);
int vm_map_unwire(struct vm_map *map, vaddr_t start, vaddr_t end);
void vm_map_wire_all(struct vm_map *map, bool onfault);
void vm_map_unwire_all(struct vm_map *map);
uint64_t vm_map_user_wired(void);
bool vm_map_check_protection(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_prot_t prot);

/* Fill res for va in entry, a mapping of protection prot. */
static inline void
vm_map_lookup_result_fill(struct vm_map_lookup_result *res,
    struct vm_map_entry *entry, vaddr_t va, vm_prot_t prot)
{
	res->entry = entry;
	res->object = entry->object;
	res->pindex = atop(entry->offset + (trunc_page(va) - entry->start));
	res->prot = prot;
	res->wired = entry->wired_count > 0;
}

int vm_map_lookup_slow(struct vm_map *map, vaddr_t va, vm_prot_t fault_type,
    struct vm_map_lookup_result *res);

/*
 * Find what backs va for an access of fault_type: the entry, the first
 * object of its chain and the page index there, and the protection a
 * mapping may have.  A write to a needs-copy entry pushes a shadow object
 * first; an entry without an object gets a new anonymous one.
 *
 * Returns KERN_SUCCESS with the map read-locked (call vm_map_lookup_done),
 * or KERN_INVALID_ADDRESS / KERN_PROTECTION_FAILURE /
 * KERN_RESOURCE_SHORTAGE with the map unlocked.  Inline for a fault's
 * common case, an entry with nothing to change (its frame was a third of
 * the lookup's cost); vm_map_lookup_slow does the rest, looking again.
 */
static inline int
vm_map_lookup(struct vm_map *map, vaddr_t va, vm_prot_t fault_type,
    struct vm_map_lookup_result *res)
{
	struct vm_map_entry *entry;

	vm_map_lock_read(map);
	if (__builtin_expect(vm_map_lookup_entry(map, va, &entry) &&
	    (fault_type & entry->protection) == fault_type &&
	    entry->object != NULL &&
	    !(entry->eflags & MAP_ENTRY_NEEDS_COPY), 1)) {
		vm_map_lookup_result_fill(res, entry, va, entry->protection);
		return KERN_SUCCESS;
	}
	return vm_map_lookup_slow(map, va, fault_type, res);
}

/* The end of a successful vm_map_lookup: the map's read lock goes. */
static inline void
vm_map_lookup_done(struct vm_map *map)
{
	vm_map_unlock_read(map);
}

struct vmspace *vmspace_alloc(vaddr_t min, vaddr_t max);
struct vmspace *vmspace_fork(struct vmspace *vm1);
void vmspace_free(struct vmspace *vm);

/* vm_map_insert/vm_map_find cow argument */
#define MAP_COPY_ON_WRITE	0x1	/* private mapping (MAP_ENTRY_COW) */
#define MAP_NEEDS_COPY		0x2	/* shadow the object on first write */
#define MAP_INHERIT_SHARE	0x4	/* shared mapping: children share it */
#define MAP_NORESERVE_COW	0x8	/* private, not charged (MAP_NORESERVE) */

/*
 * Overcommit (Linux's vm.overcommit_memory): private writable memory is
 * charged to the committed total when it is mapped (mmap, brk, exec's
 * segments and stack), made writable (mprotect) or copied by fork, and
 * uncharged when unmapped.  PROT_NONE and MAP_NORESERVE reservations are
 * not charged until made writable.  Mode 0 (the default) refuses only a
 * single request larger than RAM plus swap; mode 1 refuses nothing; mode
 * 2 keeps the total within swap + RAM * vm.overcommit_ratio / 100.
 */
#define VM_OVERCOMMIT_GUESS	0
#define VM_OVERCOMMIT_ALWAYS	1
#define VM_OVERCOMMIT_NEVER	2

bool vm_commit_charge(uint64_t npages);
void vm_commit_uncharge(uint64_t npages);

#endif
