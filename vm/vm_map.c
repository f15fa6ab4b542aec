/*
 * Address maps (see vm_map.h).
 *
 * Entries form a sorted, doubly-linked circular list through the map's
 * header sentinel, with a hint at the last entry found: faults and system
 * calls mostly touch the same or neighbouring entries, so lookups walk a
 * few links from the hint.  Maps hold tens of entries, where this beats a
 * tree; a balanced tree would be the next step for very large maps.
 *
 * Locking: the map lock (an sx) is taken shared by faults and exclusive by
 * every change.  Objects are locked after the map.  Entries removed under
 * the lock are freed, and their objects released, only after the lock is
 * dropped and the pmap no longer maps them (vm_map_unlock).
 */
#include "vm/vm_map.h"
#include "kern/kpath.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "vm/vm_fault.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

/*
 * Most entries one map may have (Linux's vm.max_map_count): mmap, and a
 * munmap or mprotect that would split an entry, fail with ENOMEM there,
 * so that a process cannot run the kernel out of memory one entry at a
 * time.
 */
int vm_map_max_count = 65530;

SYSCTL_INT_RANGE(vm_max_map_count, "vm.max_map_count", &vm_map_max_count,
    16, 1 << 24, "most entries in one address space");

/* --- committed memory (see vm_map.h) ------------------------------------- */

static int vm_overcommit_memory = VM_OVERCOMMIT_GUESS;
static int vm_overcommit_ratio = 50;
static uint64_t vm_committed;		/* (atomic) pages charged */

SYSCTL_INT_RANGE(vm_overcommit_memory_node, "vm.overcommit_memory",
    &vm_overcommit_memory, 0, 2,
    "0: refuse only requests larger than RAM + swap, 1: never refuse, "
    "2: keep committed memory within vm.commit_limit");
SYSCTL_INT_RANGE(vm_overcommit_ratio_node, "vm.overcommit_ratio",
    &vm_overcommit_ratio, 0, 1000,
    "percent of RAM counted in vm.commit_limit (mode 2)");

static uint64_t
commit_ram_pages(void)
{
	return vm_page_stats.v_page_count - vm_page_stats.v_reserved_count;
}

/* Mode 2's limit, in pages: all of swap and a share of RAM. */
static uint64_t
vm_commit_limit(void)
{
	return swap_stats.nslots +
	    commit_ram_pages() * (uint64_t)vm_overcommit_ratio / 100;
}

/*
 * Charge npages of private writable memory; false (nothing charged) if
 * the overcommit policy refuses it.  Any context; lock free.
 */
bool
vm_commit_charge(uint64_t npages)
{
	uint64_t cur = __atomic_load_n(&vm_committed, __ATOMIC_RELAXED);

	switch (vm_overcommit_memory) {
	case VM_OVERCOMMIT_GUESS:
		if (npages > commit_ram_pages() + swap_stats.nslots)
			return false;
		break;
	case VM_OVERCOMMIT_NEVER:
		do {
			if (cur + npages > vm_commit_limit())
				return false;
		} while (!__atomic_compare_exchange_n(&vm_committed, &cur,
		    cur + npages, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
		return true;
	}
	__atomic_add_fetch(&vm_committed, npages, __ATOMIC_RELAXED);
	return true;
}

void
vm_commit_uncharge(uint64_t npages)
{
	KASSERT(__atomic_load_n(&vm_committed, __ATOMIC_RELAXED) >= npages,
	    "uncharging %lu pages of %lu", npages, vm_committed);
	__atomic_sub_fetch(&vm_committed, npages, __ATOMIC_RELAXED);
}

static int64_t
sysctl_commit(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t v = node->arg == 0 ? __atomic_load_n(&vm_committed,
	    __ATOMIC_RELAXED) : vm_commit_limit();

	return sysctl_out(req, &v, sizeof(v));
}

SYSCTL_PROC(vm_committed_as, "vm.committed_as", CTLTYPE_U64, CTLFLAG_RD,
    sysctl_commit, 0, "pages of private writable memory charged");
SYSCTL_PROC(vm_commit_limit_node, "vm.commit_limit", CTLTYPE_U64, CTLFLAG_RD,
    sysctl_commit, 1, "most pages that may be charged in overcommit mode 2");

/*
 * Is memory mapped with these entry flags and protection charged?
 * Private and writable, unless MAP_NORESERVE asked otherwise (which mode
 * 2 ignores, as Linux does).
 */
static bool
entry_accountable(uint16_t eflags, vm_prot_t prot)
{
	return (eflags & MAP_ENTRY_COW) && (prot & VM_PROT_WRITE) &&
	    (!(eflags & MAP_ENTRY_NORESERVE) ||
	    vm_overcommit_memory == VM_OVERCOMMIT_NEVER);
}

/*
 * A new entry for map, a copy of *from (whose references it does not
 * take) or, with from NULL, zeroed; NULL if map is at its limit or
 * memory is out.  A copy is not zeroed first: fork and the clips copy
 * every entry they make.
 */
static struct vm_map_entry *
vm_map_entry_create(const struct vm_map *map,
    const struct vm_map_entry *from)
{
	struct vm_map_entry *entry;

	if (map->nentries >= vm_map_max_count)
		return NULL;
	entry = kmalloc(sizeof(*entry), from == NULL ? M_ZERO : 0);
	if (entry != NULL && from != NULL)
		*entry = *from;
	return entry;
}

/*
 * The bitmap of a MAP_ENTRY_ONFAULT entry (see the wiring below): a bit
 * per index of the entry, set where it holds its wire.  NULL if memory
 * is out.
 */
static uint64_t *
onfault_alloc(vm_pindex_t npages)
{
	return kmalloc((npages + 63) / 64 * sizeof(uint64_t), M_ZERO);
}

static bool
onfault_test(const uint64_t *bits, vm_pindex_t i)
{
	return (__atomic_load_n(&bits[i / 64], __ATOMIC_RELAXED) >> (i % 64)) & 1;
}

/* Set bit i (atomic: faults set bits under the shared lock); was it set? */
static bool
onfault_set(uint64_t *bits, vm_pindex_t i)
{
	uint64_t bit = 1UL << (i % 64);

	return (__atomic_fetch_or(&bits[i / 64], bit, __ATOMIC_RELAXED) & bit) != 0;
}

/*
 * entry's ONFAULT bitmap split at index n: *front gets its bits [0, n),
 * *back the rest.  Both NULL for an entry without one.  false, with
 * nothing allocated, if memory is out.  Map locked exclusive.
 */
static bool
onfault_split(const struct vm_map_entry *entry, vm_pindex_t n,
    uint64_t **front, uint64_t **back)
{
	vm_pindex_t npages = atop(entry->end - entry->start);

	*front = *back = NULL;
	if (entry->onfault == NULL)
		return true;
	*front = onfault_alloc(n);
	*back = onfault_alloc(npages - n);
	if (*front == NULL || *back == NULL) {
		kfree(*front);
		kfree(*back);
		return false;
	}
	for (vm_pindex_t i = 0; i < npages; i++)
		if (onfault_test(entry->onfault, i))
			(void)onfault_set(i < n ? *front : *back, i < n ? i : i - n);
	return true;
}

/* Free an entry no map holds any longer, with its ONFAULT bitmap. */
static void
vm_map_entry_free(struct vm_map_entry *entry)
{
	kfree(entry->onfault);
	kfree(entry);
}

void
vm_map_init(struct vm_map *map, struct pmap *pmap, vaddr_t min, vaddr_t max)
{
	memset(map, 0, sizeof(*map));
	map->header.next = map->header.prev = &map->header;
	map->header.start = map->header.end = max;
	map->min_offset = min;
	map->max_offset = max;
	map->hint = &map->header;
	map->pmap = pmap;
	sx_init(&map->lock, "vm_map");
}

void
vm_map_lock(struct vm_map *map)
{
	sx_xlock(&map->lock);
}

/*
 * Release the exclusive lock, then free the entries deleted under it and
 * drop their object and name references.  Their mappings were removed
 * from the pmap (and the TLB) before they were put on the deferred list,
 * or belong to the neighbour that absorbed them (which holds references
 * of its own).
 */
void
vm_map_unlock(struct vm_map *map)
{
	struct vm_map_entry *dead = map->deferred;

	map->deferred = NULL;
	sx_xunlock(&map->lock);
	while (dead != NULL) {
		struct vm_map_entry *next = dead->next;

		vm_object_deallocate(dead->object);
		kpath_rele(dead->name);
		vm_map_entry_free(dead);
		dead = next;
	}
}

/*
 * vm_map_lookup_entry (vm_map.h) where the hint, cur, does not hold
 * addr: walk the list from it, or from the start if addr is below it.
 */
bool
vm_map_lookup_entry_walk(struct vm_map *map, vaddr_t addr,
    struct vm_map_entry *cur, struct vm_map_entry **entry)
{
	if (cur == &map->header || addr < cur->start)
		cur = map->header.next;
	for (; cur != &map->header && cur->end <= addr; cur = cur->next)
		;
	if (cur != &map->header && cur->start <= addr) {
		/*
		 * Readers of the map race here: the hint is one word, stored
		 * atomically, and any entry of the map is a correct hint.
		 * Entries leave the map (and the hint) only under the
		 * exclusive lock.
		 */
		__atomic_store_n(&map->hint, cur, __ATOMIC_RELAXED);
		*entry = cur;
		return true;
	}
	*entry = cur->prev;
	return false;
}

static void
vm_map_entry_link(struct vm_map *map, struct vm_map_entry *after,
    struct vm_map_entry *entry)
{
	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	entry->prev = after;
	entry->next = after->next;
	after->next->prev = entry;
	after->next = entry;
	map->nentries++;
	map->size += entry->end - entry->start;
}

/* Unlink entry and queue it for freeing at unlock.  Map locked exclusive. */
static void
vm_map_entry_delete(struct vm_map *map, struct vm_map_entry *entry)
{
	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	map->nentries--;
	map->size -= entry->end - entry->start;
	if (entry->eflags & MAP_ENTRY_ACCOUNTED)
		vm_commit_uncharge(atop(entry->end - entry->start));
	if (map->hint == entry)
		map->hint = entry->prev;
	entry->next = map->deferred;
	map->deferred = entry;
}

/*
 * May a and b (a just below b) be one entry: the same view of the same
 * object, the offsets running on (or both with no object yet), with the
 * same protections, inheritance, advice, flags and name, and neither
 * wired nor locked on fault?  Linux merges such neighbours (vma_merge),
 * so that an mprotect and its undo leave one mapping, which mremap can
 * then move or grow whole.
 */
static bool
entries_mergeable(const struct vm_map_entry *a, const struct vm_map_entry *b)
{
	return a->end == b->start && a->object == b->object &&
	    a->offset + (a->end - a->start) == b->offset &&
	    a->protection == b->protection &&
	    a->max_protection == b->max_protection &&
	    a->inheritance == b->inheritance && a->advice == b->advice &&
	    a->eflags == b->eflags && a->name == b->name &&
	    a->wired_count == 0 && b->wired_count == 0 &&
	    a->onfault == NULL && b->onfault == NULL;
}

/*
 * entry takes in its neighbour above (entries_mergeable said it may):
 * the mappings and the commit charge stay as they are, and the
 * neighbour's references on the object and name go at unlock, with the
 * neighbour.  Map locked exclusive.
 */
static void
vm_map_entry_absorb_next(struct vm_map *map, struct vm_map_entry *entry)
{
	struct vm_map_entry *next = entry->next;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	entry->end = next->end;
	entry->next = next->next;
	next->next->prev = entry;
	map->nentries--;
	if (map->hint == next)
		map->hint = entry;
	next->next = map->deferred;
	map->deferred = next;
}

/*
 * Merge whatever can be merged among the entries that meet [start, end)
 * and their neighbours (after a change of protection, advice,
 * inheritance or wiring there).  Map locked exclusive.
 */
static void
vm_map_simplify_range(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *entry;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (vm_map_lookup_entry(map, start, &entry) &&
	    entry->prev != &map->header)
		entry = entry->prev;
	while (entry != &map->header && entry->next != &map->header &&
	    entry->start <= end) {
		if (entries_mergeable(entry, entry->next))
			vm_map_entry_absorb_next(map, entry);
		else
			entry = entry->next;
	}
}

/*
 * The new piece of a split of entry at addr: a copy of entry with its
 * own references on the object and name, and the part of the ONFAULT
 * bitmap on its side (the front if front, else the back; entry keeps the
 * other).  NULL, changing nothing, if memory runs out.  Map locked
 * exclusive.
 */
static struct vm_map_entry *
vm_map_clip_piece(struct vm_map *map, struct vm_map_entry *entry,
    vaddr_t addr, bool front)
{
	struct vm_map_entry *piece = vm_map_entry_create(map, entry);
	uint64_t *fbits, *bbits;

	if (piece == NULL)
		return NULL;
	if (!onfault_split(entry, atop(addr - entry->start), &fbits, &bbits)) {
		kfree(piece);	/* a copy holding no references */
		return NULL;
	}
	kfree(entry->onfault);
	piece->onfault = front ? fbits : bbits;
	entry->onfault = front ? bbits : fbits;
	vm_object_reference(piece->object);
	kpath_hold(piece->name);
	return piece;
}

/*
 * Split entry so that it starts at addr; the front part becomes a new
 * entry sharing the object and the name (one more reference on each),
 * each part with its share of an ONFAULT bitmap.  KERN_RESOURCE_SHORTAGE,
 * changing nothing, if memory for the entry or the bitmaps cannot be
 * found (callers reserve nothing).
 */
static int
vm_map_clip_start(struct vm_map *map, struct vm_map_entry *entry, vaddr_t addr)
{
	struct vm_map_entry *front;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (addr <= entry->start)
		return KERN_SUCCESS;
	front = vm_map_clip_piece(map, entry, addr, true);
	if (front == NULL)
		return KERN_RESOURCE_SHORTAGE;
	front->end = addr;
	entry->offset += addr - entry->start;
	map->size -= addr - entry->start;
	entry->start = addr;
	vm_map_entry_link(map, entry->prev, front);
	return KERN_SUCCESS;
}

/* Split entry so that it ends at addr (see vm_map_clip_start). */
static int
vm_map_clip_end(struct vm_map *map, struct vm_map_entry *entry, vaddr_t addr)
{
	struct vm_map_entry *back;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (addr >= entry->end)
		return KERN_SUCCESS;
	back = vm_map_clip_piece(map, entry, addr, false);
	if (back == NULL)
		return KERN_RESOURCE_SHORTAGE;
	back->start = addr;
	back->offset += addr - entry->start;
	map->size -= entry->end - addr;
	entry->end = addr;
	vm_map_entry_link(map, entry, back);
	return KERN_SUCCESS;
}

/*
 * Clip the entries overlapping [start, end) so that none crosses either
 * boundary, and return the first one inside the range (or the entry after
 * it if the range starts in a hole).
 */
static int
vm_map_clip_range(struct vm_map *map, vaddr_t start, vaddr_t end,
    struct vm_map_entry **first)
{
	struct vm_map_entry *entry;
	int rv;

	if (vm_map_lookup_entry(map, start, &entry)) {
		rv = vm_map_clip_start(map, entry, start);
		if (rv != KERN_SUCCESS)
			return rv;
	} else {
		entry = entry->next;
	}
	*first = entry;
	for (; entry != &map->header && entry->start < end; entry = entry->next) {
		rv = vm_map_clip_end(map, entry, end);
		if (rv != KERN_SUCCESS)
			return rv;
	}
	return KERN_SUCCESS;
}

static bool
range_valid(const struct vm_map *map, vaddr_t start, vaddr_t end)
{
	return start < end && start >= map->min_offset && end <= map->max_offset &&
	    (start & PAGE_MASK) == 0 && (end & PAGE_MASK) == 0;
}

/* --- wiring (mlock) ----------------------------------------------------- */

/*
 * User wiring, as Linux's mlock and FreeBSD's vm_map_wire.  An entry with
 * wired_count 1 (user wiring does not nest: one munlock undoes any number
 * of mlocks) holds one wire (vm_page_wire) on the page each of its
 * indexes resolves to through its chain (vm_object_chain_page): all of
 * them resident and off the paging queues, so the page daemon never sees
 * them.  The wires of an entry are taken, and the entry marked, in one go
 * under the exclusive map lock, and let go the same way (munlock, munmap,
 * exit), so that no one ever sees an entry half wired; the faults that
 * bring the pages in run before, with no lock held, and the pass that
 * finds a page missing marks what it has wired so far as an entry of its
 * own and faults again.  What keeps the rule true while an entry is wired:
 *   - wiring private writable memory makes its private copies first (a
 *     write fault on each page), so its writes never copy a page;
 *   - a write fault that still copies a page for a wired entry (one wired
 *     read-only, since made writable) moves the entry's wire from the old
 *     page to the copy (vm_fault_cow); renames and collapses move pages
 *     with their wires;
 *   - fork gives the child of a wired private entry its own copy of the
 *     pages (vm_object_snapshot), as FreeBSD does, instead of sharing
 *     them copy-on-write;
 *   - MADV_DONTNEED of a wired range is EINVAL, as on Linux;
 *   - a file truncated under a wired mapping keeps its wired pages, zeroed
 *     (vm_object_page_remove), until they are unwired.
 * Prefault leaves wired entries alone: the wiring faulted all their pages.
 *
 * Wired on fault (MLOCK_ONFAULT, MCL_ONFAULT: MAP_ENTRY_ONFAULT, also
 * wired_count 1) is the same rule for the indexes set in the entry's
 * onfault bitmap only: the pages there when it is marked and each page a
 * fault in it maps afterwards
 * (vm_map_fault_wire, under the page's object lock, so that it and a
 * COW copy that moves the wire of a set index cannot interleave).  A
 * page it has not touched is not resident for it (mincore), and prefault
 * leaves such an entry alone too, so that only faults bring pages in.
 * Clipping splits the bitmap; mremap's growth of such an entry is wired
 * on fault too, a fork child and the range MREMAP_DONTUNMAP leaves are
 * not wired; mlock of such an entry wires it whole.
 *
 * Linux semantics kept: the range is rounded out to pages; an entry that
 * allows no access (PROT_NONE) is not populated, so not wired here;
 * RLIMIT_MEMLOCK does not apply, since every process has CAP_IPC_LOCK
 * (uid 0).  Difference: a range with a hole is refused whole (ENOMEM;
 * Linux marks the entries before the hole locked but does not populate
 * them).
 */
static uint64_t vm_user_wired;		/* (atomic) pages wired by entries */

SYSCTL_U64(vm_user_wire_count, "vm.stats.vm.v_user_wire_count", CTLFLAG_RD,
    &vm_user_wired, "pages wired by mlock (one per entry and page)");

uint64_t
vm_map_user_wired(void)
{
	return __atomic_load_n(&vm_user_wired, __ATOMIC_RELAXED);
}

/*
 * The access a wiring fault makes in entry: a write for private writable
 * memory (its copies are made now), else a read, an execute, or a write
 * for shared write-only memory; VM_PROT_NONE if the entry allows no
 * access (it is then left unwired).
 */
static vm_prot_t
wire_fault_type(const struct vm_map_entry *entry)
{
	vm_prot_t prot = entry->protection;

	if ((prot & VM_PROT_WRITE) && (entry->eflags & MAP_ENTRY_COW))
		return VM_PROT_WRITE;
	if (prot & VM_PROT_READ)
		return VM_PROT_READ;
	if (prot & VM_PROT_EXECUTE)
		return VM_PROT_EXECUTE;
	return prot & VM_PROT_WRITE;
}

/*
 * May entry wire m, the page one of its indexes resolves to (found in
 * holder, locked), as it is?  Valid and idle, and for private writable
 * memory its own copy.
 */
static bool
wire_page_ok(const struct vm_map_entry *entry, const struct vm_object *holder,
    const struct vm_page *m)
{
	if ((m->flags & (PG_BUSY | PG_VALID)) != PG_VALID)
		return false;
	return wire_fault_type(entry) != VM_PROT_WRITE ||
	    holder == entry->object;
}

/*
 * Let go of entry's wire on the page of its index i.  Map locked
 * exclusive; the page must be there (the wiring rule), and goes back on
 * the paging queues once no one else wires it.
 */
static void
entry_unwire_index(struct vm_map_entry *entry, vm_pindex_t i)
{
	struct vm_object *holder;
	struct vm_page *m = vm_object_chain_page(entry->object,
	    atop(entry->offset) + i, &holder);

	KASSERT(m != NULL && m->wire_count > 0,
	    "entry_unwire_index: page %lu of entry %#lx not wired", i,
	    entry->start);
	vm_page_unwire(m);
	vm_object_unlock(holder);
}

static void
user_wired_sub(vm_pindex_t n)
{
	KASSERT(__atomic_load_n(&vm_user_wired, __ATOMIC_RELAXED) >= n,
	    "user_wired_sub: %lu pages of %lu", n, vm_user_wired);
	__atomic_sub_fetch(&vm_user_wired, n, __ATOMIC_RELAXED);
}

/* Let go of the wires on the first n pages of entry.  Map locked exclusive. */
static void
entry_unwire_pages(struct vm_map_entry *entry, vm_pindex_t n)
{
	for (vm_pindex_t i = 0; i < n; i++)
		entry_unwire_index(entry, i);
	user_wired_sub(n);
}

/* Unwire a wired entry (wired on fault too).  Map locked exclusive. */
static void
entry_unwire(struct vm_map *map, struct vm_map_entry *entry)
{
	vm_pindex_t npages = atop(entry->end - entry->start), n = 0;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	KASSERT(entry->wired_count == 1, "entry_unwire: entry %#lx wired %u",
	    entry->start, entry->wired_count);
	if (!(entry->eflags & MAP_ENTRY_ONFAULT)) {
		entry_unwire_pages(entry, npages);
	} else {
		for (vm_pindex_t i = 0; i < npages; i++)
			if (onfault_test(entry->onfault, i)) {
				entry_unwire_index(entry, i);
				n++;
			}
		user_wired_sub(n);
		kfree(entry->onfault);
		entry->onfault = NULL;
		entry->eflags &= ~MAP_ENTRY_ONFAULT;
	}
	entry->wired_count = 0;
}

/*
 * Wire entry's pages from its start for as long as each can be taken as
 * it is (wire_page_ok).  Returns how many it wired: all of the entry's,
 * or up to the first that needs a fault.  Map locked exclusive; the
 * entry is not marked.
 */
static vm_pindex_t
entry_wire_pages(struct vm_map *map, struct vm_map_entry *entry)
{
	vm_pindex_t i, npages = atop(entry->end - entry->start);
	vm_pindex_t pindex = atop(entry->offset);

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (entry->object == NULL || (wire_fault_type(entry) == VM_PROT_WRITE &&
	    (entry->eflags & MAP_ENTRY_NEEDS_COPY)))
		return 0;
	for (i = 0; i < npages; i++) {
		struct vm_object *holder;
		struct vm_page *m = vm_object_chain_page(entry->object,
		    pindex + i, &holder);
		bool ok = m != NULL && wire_page_ok(entry, holder, m);

		if (ok)
			vm_page_wire(m);
		if (m != NULL)
			vm_object_unlock(holder);
		if (!ok)
			break;
	}
	__atomic_add_fetch(&vm_user_wired, i, __ATOMIC_RELAXED);
	return i;
}

/*
 * One pass of vm_map_wire over [start, end), clipped: wire and mark each
 * entry not wired yet whose pages are all there.  At the first page that
 * needs a fault, the part before it becomes a wired entry of its own and
 * the pass stops with *miss set to the page and *type to the access to
 * fault it with; *miss is 0 (and *type VM_PROT_NONE) if the pass wired
 * everything.  Map locked exclusive.  KERN_INVALID_ADDRESS, changing
 * nothing, if part of the range is unmapped; KERN_FAILURE if an entry
 * cannot be split.
 */
static int
wire_pass(struct vm_map *map, vaddr_t start, vaddr_t end, vaddr_t *miss,
    vm_prot_t *type)
{
	struct vm_map_entry *entry;
	int rv;

	*miss = 0;
	*type = VM_PROT_NONE;
	if (!vm_map_check_protection(map, start, end, VM_PROT_NONE))
		return KERN_INVALID_ADDRESS;
	rv = vm_map_clip_range(map, start, end, &entry);
	for (; rv == KERN_SUCCESS && entry != &map->header &&
	    entry->start < end; entry = entry->next) {
		vm_pindex_t n, npages = atop(entry->end - entry->start);

		if (entry->eflags & MAP_ENTRY_ONFAULT)
			entry_unwire(map, entry);	/* wired whole now */
		if (entry->wired_count != 0 ||
		    wire_fault_type(entry) == VM_PROT_NONE)
			continue;
		n = entry_wire_pages(map, entry);
		if (n > 0 && n < npages) {
			if (vm_map_clip_end(map, entry, entry->start + ptoa(n)) !=
			    KERN_SUCCESS) {
				entry_unwire_pages(entry, n);
				rv = KERN_FAILURE;
				break;
			}
		}
		if (n > 0)
			entry->wired_count = 1;
		if (n < npages) {
			*miss = entry->start + ptoa(n);
			*type = wire_fault_type(entry);
			break;
		}
	}
	return rv;
}

/*
 * Fault in the pages after va up to the end of its entry (or of the
 * range, if sooner), for the next wire pass; it stops at the first fault
 * that fails, which that pass will meet again, or at a signal.  No locks
 * held.
 */
static void
wire_populate(struct vm_map *map, vaddr_t va, vaddr_t end, vm_prot_t type)
{
	struct vm_map_entry *entry;

	vm_map_lock_read(map);
	if (vm_map_lookup_entry(map, va, &entry))
		end = MIN(end, entry->end);
	else
		end = va;
	vm_map_unlock_read(map);
	for (va += PAGE_SIZE; va < end; va += PAGE_SIZE)
		if (signal_pending(curthread()) ||
		    vm_fault(map, va, type) != KERN_SUCCESS)
			break;
}

/*
 * Wire [start, end), page aligned (mlock): fault in and wire every entry
 * of the range that is not wired and allows some access.  Returns
 * KERN_SUCCESS; KERN_INVALID_ADDRESS, wiring nothing, if part of the
 * range is unmapped; or, with what came before wired, KERN_FAILURE if a
 * fault failed (past the end of a file) or an entry could not be split,
 * KERN_RESOURCE_SHORTAGE if a signal arrived (a huge range is not
 * populated to its end, or until memory runs out, after a SIGKILL).  No
 * locks held on entry or return; may sleep.
 */
int
vm_map_wire(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	vaddr_t miss;
	vm_prot_t type;
	int rv;

	if (!range_valid(map, start, end))
		return KERN_INVALID_ADDRESS;
	for (;;) {
		vm_map_lock(map);
		rv = wire_pass(map, start, end, &miss, &type);
		vm_map_unlock(map);
		if (rv != KERN_SUCCESS || miss == 0)
			return rv;
		if (signal_pending(curthread()))
			return KERN_RESOURCE_SHORTAGE;
		rv = vm_fault(map, miss, type);
		if (rv == KERN_RESOURCE_SHORTAGE)	/* a signal, in vm_wait */
			return rv;
		if (rv != KERN_SUCCESS)
			return KERN_FAILURE;
		wire_populate(map, miss, end, type);
	}
}

/*
 * Call fn on each entry of [start, end), page aligned, the entries at its
 * edges clipped to it, until fn fails (its error is returned), then merge
 * what became mergeable.  KERN_INVALID_ADDRESS, changing nothing, if part
 * of the range is unmapped.  Locks the map.
 */
static int
vm_map_range_each(struct vm_map *map, vaddr_t start, vaddr_t end,
    int (*fn)(struct vm_map *map, struct vm_map_entry *entry))
{
	struct vm_map_entry *entry;
	int rv = KERN_INVALID_ADDRESS;

	if (!range_valid(map, start, end))
		return KERN_INVALID_ADDRESS;
	vm_map_lock(map);
	if (vm_map_check_protection(map, start, end, VM_PROT_NONE))
		rv = vm_map_clip_range(map, start, end, &entry);
	for (; rv == KERN_SUCCESS && entry != &map->header &&
	    entry->start < end; entry = entry->next)
		rv = fn(map, entry);
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return rv;
}

static int
entry_unwire_if_wired(struct vm_map *map, struct vm_map_entry *entry)
{
	if (entry->wired_count != 0)
		entry_unwire(map, entry);
	return KERN_SUCCESS;
}

/*
 * Unwire [start, end), page aligned (munlock).  KERN_INVALID_ADDRESS,
 * changing nothing, if part of the range is unmapped.  Locks the map.
 */
int
vm_map_unwire(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	return vm_map_range_each(map, start, end, entry_unwire_if_wired);
}

/*
 * Mark entry (not wired) wired on fault, with the wires of the valid idle
 * pages its indexes resolve to now, as Linux locks the pages present:
 * a page below its first object too (mapped read-only, it faults no
 * more), whose wire a write moves to the copy.  Map locked exclusive.
 * KERN_RESOURCE_SHORTAGE, changing nothing, if its bitmap cannot be had.
 */
static int
entry_wire_onfault(struct vm_map_entry *entry)
{
	vm_pindex_t npages = atop(entry->end - entry->start), n = 0;

	entry->onfault = onfault_alloc(npages);
	if (entry->onfault == NULL)
		return KERN_RESOURCE_SHORTAGE;
	for (vm_pindex_t i = 0; entry->object != NULL &&
	    wire_fault_type(entry) != VM_PROT_NONE && i < npages; i++) {
		struct vm_object *holder;
		struct vm_page *m = vm_object_chain_page(entry->object,
		    atop(entry->offset) + i, &holder);

		if (m == NULL)
			continue;
		if ((m->flags & (PG_BUSY | PG_VALID)) == PG_VALID) {
			vm_page_wire(m);
			(void)onfault_set(entry->onfault, i);
			n++;
		}
		vm_object_unlock(holder);
	}
	__atomic_add_fetch(&vm_user_wired, n, __ATOMIC_RELAXED);
	entry->eflags |= MAP_ENTRY_ONFAULT;
	entry->wired_count = 1;
	return KERN_SUCCESS;
}

/*
 * Wire [start, end), page aligned, on fault (MLOCK_ONFAULT): each entry
 * of the range not wired yet is marked (entry_wire_onfault), and its
 * faults wire the pages they bring in.  Returns KERN_SUCCESS;
 * KERN_INVALID_ADDRESS, changing nothing, if part of the range is
 * unmapped; KERN_RESOURCE_SHORTAGE, with the entries before marked, if
 * memory for a split or a bitmap runs out.  Locks the map.
 */
static int
entry_wire_onfault_if_not(struct vm_map *map, struct vm_map_entry *entry)
{
	return entry->wired_count == 0 ? entry_wire_onfault(entry) :
	    KERN_SUCCESS;
}

int
vm_map_wire_onfault(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	return vm_map_range_each(map, start, end, entry_wire_onfault_if_not);
}

/*
 * A fault in wired entry maps m at va: an entry wired on fault takes its
 * wire on m unless it holds it already (a wholly wired one holds it).
 * Map read-locked; m's object locked, m in place at the index va
 * resolves to.
 */
void
vm_map_fault_wire(struct vm_map_entry *entry, vaddr_t va, struct vm_page *m)
{
	if (!(entry->eflags & MAP_ENTRY_ONFAULT) ||
	    onfault_set(entry->onfault, atop(va - entry->start)))
		return;
	vm_page_wire(m);
	__atomic_add_fetch(&vm_user_wired, 1, __ATOMIC_RELAXED);
}

/* Does wired entry hold its wire at va's index?  Map locked. */
bool
vm_map_fault_wired(const struct vm_map_entry *entry, vaddr_t va)
{
	return !(entry->eflags & MAP_ENTRY_ONFAULT) ||
	    onfault_test(entry->onfault, atop(va - entry->start));
}

/*
 * Wire every entry of the map (mlockall(MCL_CURRENT)), as far as each can
 * be, or with onfault (MCL_ONFAULT) mark each wired on fault: as Linux's
 * populate, an entry whose fault fails (a file mapping past the end of
 * its file) is left wired up to that page and the rest goes on; a signal
 * ends it.  No locks held; may sleep.
 */
void
vm_map_wire_all(struct vm_map *map, bool onfault)
{
	struct vm_map_entry *entry;
	vaddr_t va = 0, end;

	for (;;) {
		vm_map_lock_read(map);
		if (!vm_map_lookup_entry(map, va, &entry))
			entry = entry->next;
		if (entry == &map->header) {
			vm_map_unlock_read(map);
			return;
		}
		va = MAX(va, entry->start);
		end = entry->end;
		vm_map_unlock_read(map);
		if ((onfault ? vm_map_wire_onfault(map, va, end) :
		    vm_map_wire(map, va, end)) == KERN_RESOURCE_SHORTAGE)
			return;
		va = end;
	}
}

/* Unwire every entry of the map (munlockall).  Locks the map. */
void
vm_map_unwire_all(struct vm_map *map)
{
	vm_map_lock(map);
	for (struct vm_map_entry *entry = map->header.next;
	    entry != &map->header; entry = entry->next)
		if (entry->wired_count != 0)
			entry_unwire(map, entry);
	vm_map_unlock(map);
}

/*
 * Map [start, end) to object at offset.  The caller gives its reference
 * on object to the map (object may be NULL: anonymous memory, created on
 * first touch); an anonymous object of which that is the only reference
 * is now mapped once.  Map locked exclusive.  Returns KERN_NO_SPACE if the
 * range is not free, KERN_INVALID_ARGUMENT if it is malformed or outside
 * the map, KERN_RESOURCE_SHORTAGE if the map is at vm.max_map_count,
 * memory is out or the overcommit policy refuses to charge it (private
 * and writable memory).
 */
int
vm_map_insert(struct vm_map *map, struct vm_object *object,
    vm_ooffset_t offset, vaddr_t start, vaddr_t end, vm_prot_t prot,
    vm_prot_t max, int cow)
{
	struct vm_map_entry *prev, *entry;

	LOCK_ASSERT(sx_xlocked(&map->lock), "map not locked");
	if (!range_valid(map, start, end) || (prot & ~max) != 0)
		return KERN_INVALID_ARGUMENT;
	if (vm_map_lookup_entry(map, start, &prev))
		return KERN_NO_SPACE;
	if (prev->next != &map->header && prev->next->start < end)
		return KERN_NO_SPACE;
	entry = vm_map_entry_create(map, NULL);
	if (entry == NULL)
		return KERN_RESOURCE_SHORTAGE;
	entry->start = start;
	entry->end = end;
	entry->object = object;
	entry->offset = offset;
	entry->protection = prot;
	entry->max_protection = max;
	entry->inheritance = (cow & MAP_INHERIT_SHARE) ? VM_INHERIT_SHARE :
	    VM_INHERIT_COPY;
	entry->advice = VM_ADVICE_NORMAL;
	if (cow & MAP_COPY_ON_WRITE)
		entry->eflags |= MAP_ENTRY_COW;
	if (cow & MAP_NEEDS_COPY)
		entry->eflags |= MAP_ENTRY_NEEDS_COPY;
	if (cow & MAP_NORESERVE_COW)
		entry->eflags |= MAP_ENTRY_NORESERVE;
	if (entry_accountable(entry->eflags, prot)) {
		if (!vm_commit_charge(atop(end - start))) {
			kfree(entry);
			return KERN_RESOURCE_SHORTAGE;
		}
		entry->eflags |= MAP_ENTRY_ACCOUNTED;
	}
	if (object != NULL && object->type == OBJT_ANON) {
		vm_object_lock(object);
		if (object->ref_count == 1)	/* shadows would hold some */
			object->flags |= OBJ_ONEMAPPING;
		vm_object_unlock(object);
	}
	vm_map_entry_link(map, prev, entry);
	map->hint = entry;
	return KERN_SUCCESS;
}

/*
 * Name the entry at addr, just inserted and unnamed: it takes a reference
 * on name, the path of the file it maps (NULL: none), which it keeps as
 * long as it maps that file.  Map locked exclusive.
 */
void
vm_map_set_name(struct vm_map *map, vaddr_t addr, struct kpath *name)
{
	struct vm_map_entry *entry;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (!vm_map_lookup_entry(map, addr, &entry))
		panic("vm_map_set_name: %#lx is not mapped", addr);
	KASSERT(entry->name == NULL, "vm_map_set_name: %#lx is named", addr);
	entry->name = kpath_hold(name);
}

/*
 * First free range of length bytes at or above start.  Map locked.
 * Returns KERN_SUCCESS with *addr set, or KERN_NO_SPACE.
 */
int
vm_map_findspace(struct vm_map *map, vaddr_t start, vsize_t length,
    vaddr_t *addr)
{
	struct vm_map_entry *entry;

	vm_map_assert_locked(map, VM_MAP_LOCKED_ANY);
	start = MAX(start, map->min_offset);
	if (vm_map_lookup_entry(map, start, &entry))
		start = entry->end;
	for (entry = entry->next;; entry = entry->next) {
		vaddr_t limit = entry == &map->header ? map->max_offset : entry->start;

		if (start + length < start || start + length > map->max_offset)
			return KERN_NO_SPACE;
		if (start + length <= limit) {
			*addr = start;
			return KERN_SUCCESS;
		}
		if (entry == &map->header)
			return KERN_NO_SPACE;
		start = entry->end;
	}
}

/*
 * Map object at *addr (exactly there if fixed, else the first free range
 * at or above it, returned in *addr).  Locks the map itself.
 */
int
vm_map_find(struct vm_map *map, struct vm_object *object, vm_ooffset_t offset,
    vaddr_t *addr, vsize_t length, bool fixed, vm_prot_t prot, vm_prot_t max,
    int cow)
{
	int rv = KERN_SUCCESS;

	vm_map_lock(map);
	if (!fixed)
		rv = vm_map_findspace(map, *addr, length, addr);
	if (rv == KERN_SUCCESS)
		rv = vm_map_insert(map, object, offset, *addr, *addr + length,
		    prot, max, cow);
	vm_map_unlock(map);
	return rv;
}

/*
 * Unmap [start, end): clip the entries at the edges, remove their
 * mappings, and queue them for freeing at unlock.  Pages of a singly-mapped
 * anonymous object inside the range can never be seen again, so they are
 * freed now; dirty pages of a shared file mapping are written back.  Map
 * locked exclusive.
 */
int
vm_map_delete(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *entry, *next;
	int rv;

	LOCK_ASSERT(sx_xlocked(&map->lock), "map not locked");
	rv = vm_map_clip_range(map, start, end, &entry);
	if (rv != KERN_SUCCESS)
		return rv;
	for (; entry != &map->header && entry->start < end; entry = next) {
		struct vm_object *object = entry->object;

		next = entry->next;
		if (entry->wired_count != 0)
			entry_unwire(map, entry);
		pmap_remove(map->pmap, entry->start, entry->end);
		if (object != NULL && object->type == OBJT_VNODE &&
		    !(entry->eflags & MAP_ENTRY_COW))
			/* A shared file mapping goes: write its changes back. */
			vm_object_page_clean(object, atop(entry->offset),
			    atop(entry->offset + (entry->end - entry->start)));
		if (object != NULL && object->type == OBJT_ANON &&
		    (object->flags & OBJ_ONEMAPPING) && object->ref_count > 1) {
			vm_object_lock(object);
			vm_object_page_remove(object, atop(entry->offset),
			    atop(entry->offset + (entry->end - entry->start)));
			vm_object_unlock(object);
		}
		vm_map_entry_delete(map, entry);
	}
	return KERN_SUCCESS;
}

/* vm_map_delete with the map locked and unlocked around it. */
int
vm_map_remove(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	int rv;

	if (!range_valid(map, start, end))
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	rv = vm_map_delete(map, start, end);
	vm_map_unlock(map);
	return rv;
}

/* Is all of [start, end) mapped with at least prot?  Map locked. */
bool
vm_map_check_protection(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_prot_t prot)
{
	struct vm_map_entry *entry;

	if (!vm_map_lookup_entry(map, start, &entry))
		return false;
	for (; start < end; entry = entry->next) {
		if (entry == &map->header || entry->start > start ||
		    (entry->protection & prot) != prot)
			return false;
		start = entry->end;
	}
	return true;
}

/* The protection a pmap may grant for entry: never write before the copy. */
static vm_prot_t
entry_pmap_prot(const struct vm_map_entry *entry)
{
	if (entry->eflags & MAP_ENTRY_NEEDS_COPY)
		return entry->protection & ~VM_PROT_WRITE;
	return entry->protection;
}

/*
 * Entries from entry up to end are about to get protection prot: charge
 * those that become private and writable and were not charged yet, all
 * or none.  Map locked exclusive.  KERN_RESOURCE_SHORTAGE if refused.
 */
static int
protect_charge(struct vm_map *map, struct vm_map_entry *entry, vaddr_t end,
    vm_prot_t prot)
{
	uint64_t npages = 0;
	struct vm_map_entry *e;

	for (e = entry; e != &map->header && e->start < end; e = e->next)
		if (!(e->eflags & MAP_ENTRY_ACCOUNTED) &&
		    entry_accountable(e->eflags, prot))
			npages += atop(e->end - e->start);
	if (npages == 0)
		return KERN_SUCCESS;
	if (!vm_commit_charge(npages))
		return KERN_RESOURCE_SHORTAGE;
	for (e = entry; e != &map->header && e->start < end; e = e->next)
		if (entry_accountable(e->eflags, prot))
			e->eflags |= MAP_ENTRY_ACCOUNTED;
	return KERN_SUCCESS;
}

/*
 * Set the protection (or, with set_max, the maximum protection) of
 * [start, end).  Fails with KERN_PROTECTION_FAILURE, changing nothing, if
 * the new protection exceeds some entry's maximum, and with
 * KERN_INVALID_ADDRESS if part of the range is unmapped.
 */
int
vm_map_protect(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t prot,
    bool set_max)
{
	struct vm_map_entry *entry;
	vaddr_t cursor = start;
	int rv;

	if (!range_valid(map, start, end))
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	if (!vm_map_lookup_entry(map, start, &entry)) {
		vm_map_unlock(map);
		return KERN_INVALID_ADDRESS;
	}
	for (; cursor < end; entry = entry->next) {
		if (entry == &map->header || entry->start > cursor) {
			vm_map_unlock(map);
			return KERN_INVALID_ADDRESS;
		}
		if (!set_max && (prot & ~entry->max_protection) != 0) {
			vm_map_unlock(map);
			return KERN_PROTECTION_FAILURE;
		}
		cursor = entry->end;
	}
	rv = vm_map_clip_range(map, start, end, &entry);
	if (rv == KERN_SUCCESS && !set_max)
		rv = protect_charge(map, entry, end, prot);
	for (; rv == KERN_SUCCESS && entry != &map->header && entry->start < end;
	    entry = entry->next) {
		if (set_max) {
			entry->max_protection = prot;
			entry->protection &= prot;
		} else {
			entry->protection = prot;
		}
		pmap_protect(map->pmap, entry->start, entry->end,
		    entry_pmap_prot(entry));
	}
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return rv;
}

/*
 * Throw away this process's private copies in [entry->start, entry->end),
 * as Linux's MADV_DONTNEED does: afterwards private anonymous memory
 * reads as zeros and a private file mapping reads the file again.  A
 * shared mapping keeps its data (only its mappings go), and so does a
 * private one whose object is still the file itself (nothing was copied).
 * Map locked exclusive.
 *
 * The copies are not freed in place: the objects holding them may be
 * shared with a forked process, or with the rest of the entry this one was
 * clipped from, that still sees them.  The entry instead gets a fresh view
 * of what lies under them, copy-on-write again: the file object at the
 * bottom of its chain (needs copy, so the next write pushes a new shadow)
 * or, for anonymous memory, no object (zero-fill on the next touch).  It
 * then shares nothing with anyone.  Pages only this entry could see are
 * freed now where that is cheap to know (a singly-mapped top object);
 * the rest go when the old chain's last reference does.
 */
static void
vm_map_entry_discard(struct vm_map *map, struct vm_map_entry *entry)
{
	struct vm_object *object = entry->object, *file;
	vm_ooffset_t offset = entry->offset;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	pmap_remove(map->pmap, entry->start, entry->end);
	if (object == NULL || object->type != OBJT_ANON ||
	    !(entry->eflags & MAP_ENTRY_COW))
		return;
	file = vm_object_backing_file(object, &offset);
	if ((object->flags & OBJ_ONEMAPPING) && object->ref_count > 1) {
		vm_object_lock(object);
		vm_object_page_remove(object, atop(entry->offset),
		    atop(entry->offset + (entry->end - entry->start)));
		vm_object_unlock(object);
	}
	vm_object_deallocate(object);
	entry->object = file;
	entry->offset = file != NULL ? offset : 0;
	entry->eflags &= ~(MAP_ENTRY_NEEDS_COPY | MAP_ENTRY_SHARED);
	if (file != NULL)
		entry->eflags |= MAP_ENTRY_NEEDS_COPY;
}

/*
 * Apply madvise advice to [start, end): NORMAL/RANDOM/SEQUENTIAL set the
 * entries' advice; VM_ADVICE_DONTNEED drops the range's private copies
 * (vm_map_entry_discard).  Unmapped parts of the range give KERN_INVALID_ADDRESS after
 * the mapped parts were handled, as Linux reports ENOMEM; dropping a
 * wired entry's pages is KERN_INVALID_ARGUMENT (Linux's EINVAL), and
 * stops there.
 */
int
vm_map_madvise(struct vm_map *map, vaddr_t start, vaddr_t end, int advice)
{
	struct vm_map_entry *entry;
	vaddr_t cursor = start;
	int rv;

	if (!range_valid(map, start, end) || advice == VM_ADVICE_WILLNEED ||
	    advice < VM_ADVICE_NORMAL || advice > VM_ADVICE_DONTNEED)
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	rv = vm_map_clip_range(map, start, end, &entry);
	for (; rv != KERN_RESOURCE_SHORTAGE && entry != &map->header &&
	    entry->start < end; entry = entry->next) {
		if (advice == VM_ADVICE_DONTNEED && entry->wired_count != 0) {
			rv = KERN_INVALID_ARGUMENT;	/* as Linux: EINVAL */
			break;
		}
		if (entry->start > cursor)
			rv = KERN_INVALID_ADDRESS;	/* a hole: go on, report it */
		cursor = entry->end;
		if (advice == VM_ADVICE_DONTNEED)
			vm_map_entry_discard(map, entry);
		else
			entry->advice = (uint8_t)advice;
	}
	if (rv == KERN_SUCCESS && cursor < end)
		rv = KERN_INVALID_ADDRESS;
	if (advice != VM_ADVICE_DONTNEED)
		vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return rv;
}

/* Set what children inherit of [start, end) (VM_INHERIT_*). */
int
vm_map_inherit(struct vm_map *map, vaddr_t start, vaddr_t end, int inheritance)
{
	struct vm_map_entry *entry;
	int rv;

	if (!range_valid(map, start, end) || inheritance < VM_INHERIT_SHARE ||
	    inheritance > VM_INHERIT_NONE)
		return KERN_INVALID_ARGUMENT;
	vm_map_lock(map);
	rv = vm_map_clip_range(map, start, end, &entry);
	for (; rv == KERN_SUCCESS && entry != &map->header && entry->start < end;
	    entry = entry->next)
		entry->inheritance = (uint8_t)inheritance;
	vm_map_simplify_range(map, start, end);
	vm_map_unlock(map);
	return rv;
}

/* --- mremap -------------------------------------------------------------- */

/*
 * May entry simply be made longer, its object's window with it, for
 * mremap?  If it has no object yet, maps a file itself (ext2's or
 * tmpfs's: vm_object_is_file), or is the only view of an anonymous
 * object with nothing below it but a file: then more of the object is
 * exactly what the growth must show (more of the file, or zeros once the
 * object's own pages there are gone).  Not if another entry, shadow or
 * anonymous backing object sees into the object (the growth would show
 * their pages), nor if it is wired (the growth is wired after unlocking,
 * as an entry of its own).  Map locked exclusive.
 */
static bool
remap_extendable(const struct vm_map_entry *entry)
{
	struct vm_object *object = entry->object, *backing;
	bool ok;

	if (entry->wired_count != 0)
		return false;
	if (object == NULL || vm_object_is_file(object))
		return true;
	vm_object_lock(object);
	backing = object->backing_object;
	ok = object->ref_count == 1 && object->shadow_count == 0 &&
	    (backing == NULL || vm_object_is_file(backing));
	vm_object_unlock(object);
	return ok;
}

/*
 * Make entry end at end (remap_extendable said it may), charging the
 * growth if the entry is charged.  An anonymous object's pages (and swap)
 * in the new part of its window, left by an earlier larger view, are
 * freed first.  Map locked exclusive; [entry->end, end) is free.
 * KERN_RESOURCE_SHORTAGE, changing nothing, if the charge is refused.
 */
static int
remap_extend(struct vm_map *map, struct vm_map_entry *entry, vaddr_t end)
{
	struct vm_object *object = entry->object;
	vsize_t delta = end - entry->end;
	vm_pindex_t first = atop(entry->offset + (entry->end - entry->start));

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if ((entry->eflags & MAP_ENTRY_ACCOUNTED) &&
	    !vm_commit_charge(atop(delta)))
		return KERN_RESOURCE_SHORTAGE;
	if (object != NULL && !vm_object_is_file(object)) {
		vm_object_lock(object);
		vm_object_page_remove(object, first, first + atop(delta));
		object->size = MAX(object->size, first + atop(delta));
		vm_object_unlock(object);
	}
	map->size += delta;
	entry->end = end;
	return KERN_SUCCESS;
}

/*
 * Map [start, end) as a new view of entry's memory from offset (in
 * entry's object), with none of entry's private copies, for mremap's
 * growth (more of entry) and for the range MREMAP_DONTUNMAP leaves
 * (again: the same part once more): private memory gets the file at the
 * bottom of entry's chain (copy-on-write) or zero-fill; a shared file
 * mapping the file; shared anonymous memory entry's object again, else
 * new shared zero-fill (on Linux a growth there is past the end of its
 * object and faults with SIGBUS).  The new entry keeps entry's
 * protection, inheritance and advice, and its name where it maps the
 * same file, but not its wiring.  Map locked exclusive; the range is
 * free.  KERN_RESOURCE_SHORTAGE (nothing mapped) if the entry, the
 * object or the charge for it cannot be had.
 */
static int
remap_insert_view(struct vm_map *map, const struct vm_map_entry *entry,
    vaddr_t start, vaddr_t end, vm_ooffset_t offset, bool again)
{
	struct vm_object *object = NULL;
	struct vm_map_entry *made;
	bool file = false;
	int cow, rv;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (entry->eflags & MAP_ENTRY_COW) {
		if (entry->object != NULL)
			object = vm_object_backing_file(entry->object, &offset);
		file = object != NULL;
		cow = MAP_COPY_ON_WRITE | (object != NULL ? MAP_NEEDS_COPY : 0) |
		    ((entry->eflags & MAP_ENTRY_NORESERVE) ? MAP_NORESERVE_COW : 0);
	} else if (entry->object != NULL && (again ||
	    vm_object_is_file(entry->object))) {
		object = entry->object;
		file = vm_object_is_file(object);
		/* Two entries see the same pages now: neither may free
		 * them for its own unmapping. */
		vm_object_lock(object);
		object->flags &= ~OBJ_ONEMAPPING;
		vm_object_unlock(object);
		vm_object_reference(object);
		cow = MAP_INHERIT_SHARE;
	} else {
		object = vm_object_allocate(OBJT_ANON, atop(end - start));
		if (object == NULL)
			return KERN_RESOURCE_SHORTAGE;
		offset = 0;
		cow = MAP_INHERIT_SHARE;
	}
	if (object == NULL)
		offset = 0;
	rv = vm_map_insert(map, object, offset, start, end, entry->protection,
	    entry->max_protection, cow);
	if (rv != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return rv;
	}
	(void)vm_map_lookup_entry(map, start, &made);
	made->inheritance = entry->inheritance;
	made->advice = entry->advice;
	if (file)
		made->name = kpath_hold(entry->name);
	return KERN_SUCCESS;
}

/*
 * Map [entry->end, end) as more of what entry maps, for mremap growing
 * it: entry made longer where that is right (remap_extendable), else a
 * new entry (remap_insert_view), not wired (the caller wires it after
 * unlocking).  Map locked exclusive; the range is free.
 * KERN_RESOURCE_SHORTAGE (nothing mapped) if memory or the charge runs out.
 */
static int
remap_grow(struct vm_map *map, struct vm_map_entry *entry, vaddr_t end)
{
	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	if (remap_extendable(entry))
		return remap_extend(map, entry, end);
	return remap_insert_view(map, entry, entry->end, end,
	    entry->offset + (entry->end - entry->start), false);
}

/*
 * Move entry to start at new_start, as it is: same object, offset and
 * pages; only its mappings go (the pmap is a cache: faults map the pages
 * at their new place; no data is copied).  A wired entry keeps its wires,
 * which follow its object's pages.  Map locked exclusive; the new range
 * is free.
 */
static void
remap_move(struct vm_map *map, struct vm_map_entry *entry, vaddr_t new_start)
{
	struct vm_map_entry *prev;
	vsize_t len = entry->end - entry->start;

	vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
	pmap_remove(map->pmap, entry->start, entry->end);
	if (map->hint == entry)
		map->hint = entry->prev;
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	map->nentries--;
	map->size -= len;
	entry->start = new_start;
	entry->end = new_start + len;
	if (vm_map_lookup_entry(map, new_start, &prev))
		panic("remap_move: %#lx is mapped", new_start);
	vm_map_entry_link(map, prev, entry);
}

/* Is [start, end) free in map?  Map locked. */
static bool
range_free(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *prev;

	if (start < map->min_offset || end > map->max_offset || end < start ||
	    vm_map_lookup_entry(map, start, &prev))
		return false;
	return prev->next == &map->header || prev->next->start >= end;
}

/*
 * mremap's growing and moving (vm_map_remap) with the map locked
 * exclusive: the old range [addr, addr + old_len) lies in one entry, the
 * new length is larger or the move is forced (dest != 0: there, already
 * unmapped).  Grows in place when the old range ends its entry and the
 * space after it is free; else moves (if may_move), the old range
 * becoming an entry of its own.  *result is where the memory now starts,
 * [*wire_from, *wire_to) a range to wire once unlocked (the grown part of a
 * wired entry), empty if none, on fault if *onfault (so is the entry).
 */
static int
remap_locked(struct vm_map *map, vaddr_t addr, vsize_t old_len,
    vsize_t new_len, bool may_move, vaddr_t dest, vaddr_t *result,
    vaddr_t *wire_from, vaddr_t *wire_to, bool *onfault)
{
	struct vm_map_entry *entry;
	vaddr_t to = dest;
	int rv;

	*wire_from = *wire_to = 0;
	if (!vm_map_lookup_entry(map, addr, &entry) ||
	    old_len > entry->end - addr)
		return KERN_INVALID_ADDRESS;	/* Linux's EFAULT */
	if (new_len > old_len && entry->offset + (addr - entry->start) +
	    new_len < entry->offset)
		return KERN_INVALID_ARGUMENT;	/* the offset would wrap */
	if (dest == 0 && addr + old_len == entry->end &&
	    range_free(map, entry->end, addr + new_len)) {
		to = addr;
	} else if (dest == 0) {
		if (!may_move)
			return KERN_NO_SPACE;
		rv = vm_map_findspace(map, MMAP_BASE, new_len, &to);
		if (rv != KERN_SUCCESS)
			return rv;
	}
	if (to != addr) {
		rv = vm_map_clip_start(map, entry, addr);
		if (rv == KERN_SUCCESS)
			rv = vm_map_clip_end(map, entry, addr + old_len);
		if (rv != KERN_SUCCESS)
			return rv;
	}
	if (to != addr)
		remap_move(map, entry, to);
	if (new_len > old_len) {
		rv = remap_grow(map, entry, to + new_len);
		if (rv != KERN_SUCCESS) {
			if (to != addr)		/* back where it was, still free */
				remap_move(map, entry, addr);
			return rv;
		}
		if (entry->wired_count != 0) {
			*wire_from = to + old_len;
			*wire_to = to + new_len;
			*onfault = (entry->eflags & MAP_ENTRY_ONFAULT) != 0;
		}
	}
	*result = to;
	return KERN_SUCCESS;
}

/*
 * mremap: resize [addr, addr + old_len) to new_len bytes, all page
 * aligned, old_len > 0.  Without dest (0): shrinking unmaps the tail (as
 * Linux, whatever is there); growing extends in place if the range ends
 * its entry and the space after it is free, else moves the memory if
 * may_move, to the first free range.  With dest (MREMAP_FIXED, the
 * caller has checked it is aligned and apart from the old range): the
 * destination is unmapped first, the old range shrunk to new_len, and the
 * memory moved there.  Moving keeps the entry, its object and its pages.
 * Returns KERN_SUCCESS with *result the new start; KERN_INVALID_ADDRESS
 * if the old range is not inside one entry; KERN_NO_SPACE if it cannot
 * grow where it is and may not move (or no range is free);
 * KERN_INVALID_ARGUMENT if the object offset would wrap;
 * KERN_RESOURCE_SHORTAGE if memory or the overcommit charge runs out.
 * Locks the map; may sleep (to wire the grown part of a wired entry).
 */
int
vm_map_remap(struct vm_map *map, vaddr_t addr, vsize_t old_len,
    vsize_t new_len, bool may_move, vaddr_t dest, vaddr_t *result)
{
	vaddr_t wire_from = 0, wire_to = 0;
	bool onfault = false;
	int rv = KERN_SUCCESS;

	vm_map_lock(map);
	if (dest != 0)
		rv = vm_map_delete(map, dest, dest + new_len);
	/* The tail goes; page 0, below the map, is never mapped. */
	if (rv == KERN_SUCCESS &&
	    MAX(addr + new_len, map->min_offset) < addr + old_len)
		rv = vm_map_delete(map, MAX(addr + new_len, map->min_offset),
		    addr + old_len);
	if (rv == KERN_SUCCESS && dest == 0 && new_len <= old_len) {
		*result = addr;
		vm_map_unlock(map);
		return KERN_SUCCESS;
	}
	if (rv == KERN_SUCCESS)
		rv = remap_locked(map, addr, MIN(old_len, new_len), new_len,
		    may_move, dest, result, &wire_from, &wire_to, &onfault);
	vm_map_unlock(map);
	if (rv == KERN_SUCCESS && wire_to != 0)
		(void)(onfault ? vm_map_wire_onfault(map, wire_from, wire_to) :
		    vm_map_wire(map, wire_from, wire_to));
	return rv;
}

/*
 * mremap with MREMAP_DONTUNMAP: move [addr, addr + len), which lies in
 * one entry, as vm_map_remap moves it (its pages go with it), to dest if
 * fixed (unmapped first), else to dest if that range is free, else to
 * the first free range; and map the range it leaves with a new view of
 * the same memory (remap_insert_view): zero-fill for private anonymous
 * memory, the file for a mapping of one, the same object for shared
 * anonymous memory, with the same protection.  The moved entry keeps its
 * wiring; the range left is not wired (as Linux unlocks it).  Returns
 * KERN_SUCCESS with *result the new start; KERN_INVALID_ADDRESS if the
 * range is not inside one entry; KERN_NO_SPACE if no range is free;
 * KERN_RESOURCE_SHORTAGE, nothing moved, if memory or the overcommit
 * charge for the range left runs out.  Locks the map.
 */
int
vm_map_remap_dontunmap(struct vm_map *map, vaddr_t addr, vsize_t len,
    vaddr_t dest, bool fixed, vaddr_t *result)
{
	struct vm_map_entry *entry;
	int rv = KERN_SUCCESS;

	vm_map_lock(map);
	if (fixed)
		rv = vm_map_delete(map, dest, dest + len);
	if (rv == KERN_SUCCESS && (!vm_map_lookup_entry(map, addr, &entry) ||
	    len > entry->end - addr))
		rv = KERN_INVALID_ADDRESS;	/* Linux's EFAULT */
	if (rv == KERN_SUCCESS && !fixed &&
	    (dest == 0 || !range_free(map, dest, dest + len)))
		rv = vm_map_findspace(map, MMAP_BASE, len, &dest);
	if (rv == KERN_SUCCESS)
		rv = vm_map_clip_start(map, entry, addr);
	if (rv == KERN_SUCCESS)
		rv = vm_map_clip_end(map, entry, addr + len);
	if (rv == KERN_SUCCESS) {
		remap_move(map, entry, dest);
		rv = remap_insert_view(map, entry, addr, addr + len,
		    entry->offset, true);
		if (rv != KERN_SUCCESS)		/* back where it was, still free */
			remap_move(map, entry, addr);
	}
	vm_map_unlock(map);
	*result = dest;
	return rv;
}

/*
 * Resolve the laziness of the entry containing va for an access of
 * fault_type, taking the map's exclusive lock only when something must
 * change.  Returns with the map read-locked on KERN_SUCCESS (release with
 * vm_map_lookup_done), unlocked otherwise.
 */
static inline __attribute__((always_inline)) int
vm_map_lookup_locked(struct vm_map *map, vaddr_t va, vm_prot_t fault_type,
    struct vm_map_lookup_result *res, bool exclusive)
{
	struct vm_map_entry *entry;
	vm_prot_t prot;

	if (!vm_map_lookup_entry(map, va, &entry))
		return KERN_INVALID_ADDRESS;
	prot = entry->protection;
	if ((fault_type & prot) != fault_type)
		return KERN_PROTECTION_FAILURE;
	if (!exclusive && ((entry->eflags & MAP_ENTRY_NEEDS_COPY &&
	    fault_type & VM_PROT_WRITE) || entry->object == NULL))
		return KERN_FAILURE;	/* caller retries exclusive */
	if (entry->eflags & MAP_ENTRY_NEEDS_COPY) {
		if (fault_type & VM_PROT_WRITE) {
			vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
			if (vm_object_shadow(&entry->object, &entry->offset,
			    entry->end - entry->start) != KERN_SUCCESS)
				return KERN_RESOURCE_SHORTAGE;
			entry->eflags &= ~MAP_ENTRY_NEEDS_COPY;
		} else {
			/* Read before the copy: map what is there read-only. */
			prot &= ~VM_PROT_WRITE;
		}
	}
	if (entry->object == NULL) {
		vm_map_assert_locked(map, VM_MAP_LOCKED_EXCL);
		entry->object = vm_object_allocate(OBJT_ANON,
		    atop(entry->end - entry->start));
		if (entry->object == NULL)
			return KERN_RESOURCE_SHORTAGE;
		entry->object->flags |= OBJ_ONEMAPPING;	/* no one else has it */
		entry->offset = 0;
	}
	vm_map_lookup_result_fill(res, entry, va, prot);
	return KERN_SUCCESS;
}

/*
 * vm_map_lookup past its inline case: entered with the map read-locked,
 * returns as vm_map_lookup.
 */
int
vm_map_lookup_slow(struct vm_map *map, vaddr_t va, vm_prot_t fault_type,
    struct vm_map_lookup_result *res)
{
	int rv;

	rv = vm_map_lookup_locked(map, va, fault_type, res, false);
	if (rv == KERN_FAILURE) {
		/* Something to change: take the lock exclusive and look again. */
		if (!sx_try_upgrade(&map->lock)) {
			vm_map_unlock_read(map);
			sx_xlock(&map->lock);
		}
		rv = vm_map_lookup_locked(map, va, fault_type, res, true);
		sx_downgrade(&map->lock);
	}
	if (rv != KERN_SUCCESS) {
		vm_map_unlock_read(map);
		return rv;
	}
	return KERN_SUCCESS;
}

/* A new, empty address space for [min, max) with its own pmap. */
struct vmspace *
vmspace_alloc(vaddr_t min, vaddr_t max)
{
	struct vmspace *vm = kmalloc(sizeof(*vm), M_ZERO);

	if (vm == NULL)
		return NULL;
	vm->vm_pmap = pmap_create();
	if (vm->vm_pmap == NULL) {
		kfree(vm);
		return NULL;
	}
	vm_map_init(&vm->vm_map, vm->vm_pmap, min, max);
	vm->vm_refcnt = 1;
	return vm;
}

/*
 * Does entry write straight into an object other address spaces may map:
 * a shared mapping, or a private one since inherited with VM_INHERIT_SHARE?
 */
static bool
entry_shares_object(const struct vm_map_entry *entry)
{
	return entry->object != NULL && (!(entry->eflags & MAP_ENTRY_COW) ||
	    (entry->eflags & MAP_ENTRY_SHARED));
}

/*
 * Give both entries copy-on-write access to old's object: they share it,
 * both marked needs-copy, and the parent's mappings lose write access so
 * its next write faults and copies too.  The object's chain is collapsed
 * first, so each fork adds at most one level to it.
 */
static void
vmspace_fork_copy(struct vm_map *old_map, struct vm_map_entry *old,
    struct vm_map_entry *new)
{
	struct vm_object *object = old->object;

	if (object == NULL)
		return;		/* untouched anonymous memory: nothing to share */
	vm_object_lock(object);
	vm_object_collapse(object);
	object->flags &= ~OBJ_ONEMAPPING;
	vm_object_unlock(object);
	vm_object_reference(object);
	if (!(old->eflags & MAP_ENTRY_NEEDS_COPY))
		pmap_protect(old_map->pmap, old->start, old->end,
		    old->protection & ~VM_PROT_WRITE);
	old->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
	new->eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
}

/*
 * Share old's object with the child.  A parent entry still waiting for its
 * private copy gets it now, so that parent and child share the same pages
 * from here on.  Returns KERN_RESOURCE_SHORTAGE if memory runs out.
 */
static int
vmspace_fork_share(struct vm_map_entry *old, struct vm_map_entry *new)
{
	if (old->eflags & MAP_ENTRY_NEEDS_COPY) {
		if (vm_object_shadow(&old->object, &old->offset,
		    old->end - old->start) != KERN_SUCCESS)
			return KERN_RESOURCE_SHORTAGE;
		old->eflags &= ~MAP_ENTRY_NEEDS_COPY;
	}
	if (old->object == NULL) {
		old->object = vm_object_allocate(OBJT_ANON,
		    atop(old->end - old->start));
		if (old->object == NULL)
			return KERN_RESOURCE_SHORTAGE;
		old->offset = 0;
	}
	vm_object_lock(old->object);
	old->object->flags &= ~OBJ_ONEMAPPING;
	vm_object_unlock(old->object);
	vm_object_reference(old->object);
	/* Both now write straight into the one object. */
	old->eflags |= MAP_ENTRY_SHARED;
	new->object = old->object;
	new->offset = old->offset;
	new->eflags = old->eflags;
	return KERN_SUCCESS;
}

/*
 * A child address space for fork: each entry is shared, copied
 * copy-on-write, or left out, as its inheritance says; a copy holds a
 * reference on the entry's name.  Returns NULL (and leaves the parent
 * usable) if memory runs out.
 */
struct vmspace *
vmspace_fork(struct vmspace *vm1)
{
	struct vm_map *old_map = &vm1->vm_map;
	struct vmspace *vm2;
	struct vm_map_entry *old, *new;
	int rv = KERN_SUCCESS;

	vm2 = vmspace_alloc(old_map->min_offset, old_map->max_offset);
	if (vm2 == NULL)
		return NULL;
	vm_map_lock(old_map);
	/* Nobody else sees the new map yet; locked for its legend (as FreeBSD). */
	vm_map_lock(&vm2->vm_map);
	vm2->vm_brk_base = vm1->vm_brk_base;
	vm2->vm_brk = vm1->vm_brk;
	VM_CNT_INC(v_forks);
	VM_CNT_ADD(v_forkpages, pmap_resident_count(vm1->vm_pmap));
	for (old = old_map->header.next; old != &old_map->header && rv == KERN_SUCCESS;
	    old = old->next) {
		if (old->inheritance == VM_INHERIT_NONE)
			continue;
		new = vm_map_entry_create(&vm2->vm_map, old);
		if (new == NULL) {
			rv = KERN_RESOURCE_SHORTAGE;
			break;
		}
		new->object = NULL;
		new->wired_count = 0;
		new->onfault = NULL;	/* a child is not locked (Linux's too) */
		new->pf_window = VM_PREFAULT_COLD;	/* vm_fault.c */
		new->pf_last = 0;
		if ((new->eflags & MAP_ENTRY_ACCOUNTED) &&
		    !vm_commit_charge(atop(new->end - new->start))) {
			/* The overcommit policy refuses the child's copy. */
			kfree(new);
			rv = KERN_RESOURCE_SHORTAGE;
			break;
		}
		if (old->inheritance == VM_INHERIT_SHARE) {
			rv = vmspace_fork_share(old, new);
		} else if (entry_shares_object(old) ||
		    (old->wired_count != 0 && old->object != NULL)) {
			/*
			 * A shared mapping inherited by copy: the parent goes
			 * on sharing, so the child gets a snapshot now.  So
			 * does the child of a wired entry, whose pages must
			 * stay where its wires are (see the wiring rule).
			 */
			new->object = vm_object_snapshot(old->object,
			    atop(old->offset), atop(old->end - old->start));
			new->offset = 0;
			new->eflags = MAP_ENTRY_COW |
			    (old->eflags & MAP_ENTRY_ACCOUNTED);
			if (new->object == NULL)
				rv = KERN_RESOURCE_SHORTAGE;
		} else {
			new->object = old->object;
			vmspace_fork_copy(old_map, old, new);
			new->eflags = old->eflags;
		}
		if (rv != KERN_SUCCESS) {
			if (new->eflags & MAP_ENTRY_ACCOUNTED)
				vm_commit_uncharge(atop(new->end - new->start));
			kfree(new);
			break;
		}
		kpath_hold(new->name);
		new->eflags &= ~MAP_ENTRY_ONFAULT;
		vm_map_entry_link(&vm2->vm_map, vm2->vm_map.header.prev, new);
	}
	vm_map_unlock(&vm2->vm_map);
	vm_map_unlock(old_map);
	if (rv != KERN_SUCCESS) {
		vmspace_free(vm2);
		return NULL;
	}
	return vm2;
}

/* Drop a reference; the last one unmaps everything and frees the pmap. */
void
vmspace_free(struct vmspace *vm)
{
	struct vm_map *map = &vm->vm_map;

	if (__atomic_sub_fetch(&vm->vm_refcnt, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	vm_map_lock(map);
	pmap_remove_all(vm->vm_pmap);	/* in one pass over the tables */
	if (map->header.next != &map->header)
		vm_map_delete(map, map->header.next->start, map->header.prev->end);
	vm_map_unlock(map);
	pmap_destroy(vm->vm_pmap);
	kfree(vm);
}
