/*
 * Physical pages: the allocator, the page queues, and pages' membership
 * in VM objects.
 *
 * Every page of RAM has a struct vm_page in a per-segment array.  Free
 * pages sit on one free queue, most recently freed first (their cache
 * lines are likeliest to be warm); pages that belong to objects sit on the
 * active or inactive queue.  Contiguous runs, for DMA rings and large
 * kernel allocations, are found by scanning the array.
 *
 * (object, pindex) -> page lookups go through the object's own radix trie
 * (vm_radix.h), under the object's lock, which every caller holds anyway:
 * a lookup takes no other lock, and a rename moves the page from one
 * object's trie to the other's.  Each object also lists its pages, for
 * whole-object operations.
 *
 * Locking (see the legend in vm_page.h): vm_page_queue_lock guards the
 * queues and vm_page_stats; the object lock guards a page's identity, its
 * place in the object's trie and list, and its busy state.  The queue
 * lock is a leaf: nothing else is taken while holding it.
 */
#include "vm/vm_page.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/physmem.h"
#include "vm/pmap.h"
#include "vm/vm_object.h"
#include "kern/sysctl.h"
#include "vm/vm_meter.h"
#include "vm/vm_pageout.h"
#include "vm/vm_radix.h"

struct vm_page_seg vm_page_segs[PLAT_MAX_MEM];
static int vm_page_nsegs;
static struct list vm_page_freeq = LIST_HEAD_INIT(vm_page_freeq);
static struct list vm_page_activeq = LIST_HEAD_INIT(vm_page_activeq);
static struct list vm_page_inactiveq = LIST_HEAD_INIT(vm_page_inactiveq);
static struct spinlock vm_page_queue_lock = SPINLOCK_INIT("vm_page_queue");
struct vm_page_stats vm_page_stats;
struct vm_page_thresholds vm_page_thresholds;
static bool vm_page_free_wanted;	/* (f) someone sleeps in vm_wait */

static struct spinlock vm_page_sleep_lock = SPINLOCK_INIT("vm_page_sleep");

/*
 * Scale the free-page thresholds to the memory there is (npages free at
 * boot).  The reserve must cover what the kernel allocates while user
 * faults wait (page tables, kmalloc slabs, the page daemon's own needs);
 * the daemon then frees in batches of about v_free_target - v_free_min.
 * A 64 MiB machine gets reserved 74, min 148, target 592 pages.
 */
static void
vm_page_thresholds_init(uint64_t npages)
{
	struct vm_page_thresholds *t = &vm_page_thresholds;

	t->v_free_reserved = 16 + npages / 256;
	t->v_free_min = 2 * t->v_free_reserved;
	t->v_free_target = 4 * t->v_free_min;
	t->v_inactive_target = t->v_free_target * 3 / 2;
}

/*
 * Build the vm_page arrays for all RAM in pm and put every page that pm
 * still lists as available on the free list.  The arrays themselves are
 * stolen from pm first.  Called once, single threaded, at boot.
 */
void
vm_page_startup(struct physmem *pm)
{
	for (int i = 0; i < pm->nram; i++) {
		struct vm_page_seg *seg = &vm_page_segs[vm_page_nsegs++];
		size_t npages = atop(pm->ram[i].end - pm->ram[i].start);
		size_t bytes = npages * sizeof(struct vm_page);

		seg->start = pm->ram[i].start;
		seg->end = pm->ram[i].end;
		seg->pages = (struct vm_page *)PHYS_TO_DMAP(
		    physmem_steal(pm, atop(round_page(bytes))));
		memset(seg->pages, 0, bytes);
		for (size_t j = 0; j < npages; j++) {
			seg->pages[j].phys_addr = seg->start + ptoa(j);
			seg->pages[j].flags = PG_RESERVED;
		}
		vm_page_stats.v_page_count += npages;
	}
	for (int i = 0; i < pm->navail; i++) {
		for (paddr_t pa = pm->avail[i].start; pa < pm->avail[i].end;
		    pa += PAGE_SIZE) {
			struct vm_page *m = PHYS_TO_VM_PAGE(pa);

			m->flags = PG_FREE;
			m->queue = PQ_FREE;
			list_init(&m->pv_list);
			list_insert_tail(&vm_page_freeq, &m->pageq);
			vm_page_stats.v_free_count++;
		}
	}
	vm_page_stats.v_reserved_count = vm_page_stats.v_page_count -
	    vm_page_stats.v_free_count;
	vm_page_thresholds_init(vm_page_stats.v_free_count);
}

/* PHYS_TO_VM_PAGE() for addresses outside the first segment. */
struct vm_page *
vm_page_of_phys_slow(paddr_t pa)
{
	for (int i = 1; i < vm_page_nsegs; i++) {
		struct vm_page_seg *seg = &vm_page_segs[i];

		if (pa >= seg->start && pa < seg->end)
			return &seg->pages[atop(pa - seg->start)];
	}
	return NULL;
}

static void vm_page_wakeup_waiters(struct vm_page *m);

/*
 * The legend's locks, checked in WITNESS kernels (LOCK_ASSERT): (f) the
 * queue lock, (o) a page's owner's lock (a page with no owner belongs to
 * whoever allocated it).
 */
static inline void
vm_page_assert_queue_locked(void)
{
	LOCK_ASSERT(spin_owned(&vm_page_queue_lock), "page queue lock not held");
}

static inline void
vm_page_assert_owner_locked(const struct vm_page *m)
{
	LOCK_ASSERT(m->object == NULL || sx_xlocked(&m->object->lock),
	    "page %#lx: object %p not locked", m->phys_addr, m->object);
}

/* Caller holds vm_page_queue_lock; m is on the free list.  Inline, as
 * vm_page_enqueue_locked: both are on every allocation's path. */
static inline __attribute__((always_inline)) void
vm_page_take_free(struct vm_page *m)
{
	vm_page_assert_queue_locked();
	KASSERT(m->flags & PG_FREE, "page %#lx not free", m->phys_addr);
	list_remove(&m->pageq);
	m->flags &= ~PG_FREE;
	m->queue = PQ_NONE;
	vm_page_stats.v_free_count--;
}

static void
vm_page_prepare(struct vm_page *m, int flags)
{
	if (flags & VM_ALLOC_ZERO)
		pmap_zero_page(m);
	_Static_assert(sizeof(m->u) == sizeof(m->u.words), "u.words covers u");
	m->u.words[0] = 0;
	m->u.words[1] = 0;
}

/* Put m (on no queue) at the tail of queue.  Caller holds the queue lock. */
static inline __attribute__((always_inline)) void
vm_page_enqueue_locked(struct vm_page *m, uint8_t queue)
{
	vm_page_assert_queue_locked();
	KASSERT(m->queue == PQ_NONE, "page %#lx on queue %u", m->phys_addr,
	    m->queue);
	m->queue = queue;
	if (queue == PQ_ACTIVE) {
		list_insert_tail(&vm_page_activeq, &m->pageq);
		vm_page_stats.v_active_count++;
	} else {
		list_insert_tail(&vm_page_inactiveq, &m->pageq);
		vm_page_stats.v_inactive_count++;
	}
}

/*
 * The free queue's first page, taken off it and, unless queue is
 * PQ_NONE, put on that queue, or NULL if no more than floor pages are
 * free.  Caller holds the queue lock.
 */
static inline __attribute__((always_inline)) struct vm_page *
vm_page_take_locked(uint64_t floor, uint8_t queue)
{
	struct list *l = list_first(&vm_page_freeq);
	struct vm_page *m;

	if (l == NULL || vm_page_stats.v_free_count <= floor)
		return NULL;
	m = container_of(l, struct vm_page, pageq);
	vm_page_take_free(m);
	if (queue != PQ_NONE)
		vm_page_enqueue_locked(m, queue);
	return m;
}

/* Drop the queue lock after taking pages, waking the page daemon if free
 * pages run low. */
static inline __attribute__((always_inline)) void
vm_page_take_done(void)
{
	bool low = vm_page_stats.v_free_count < vm_page_thresholds.v_free_min;

	spin_unlock(&vm_page_queue_lock);
	if (__builtin_expect(low, 0))
		pagedaemon_wakeup();
}

/* The free pages an object allocation must leave (the reserve, unless
 * VM_ALLOC_SYSTEM); pages outside objects may take all. */
static inline uint64_t
vm_page_floor(int flags, uint8_t queue)
{
	return (queue == PQ_NONE || (flags & VM_ALLOC_SYSTEM)) ? 0 :
	    vm_page_thresholds.v_free_reserved;
}

/*
 * Take a page off the free queue and, unless queue is PQ_NONE, put it on
 * that queue in the same lock hold (a fault's allocation would otherwise
 * take the queue lock twice).  NULL if no page is free, or if only the
 * reserve is left and the caller may not use it (an object page without
 * VM_ALLOC_SYSTEM).  Wakes the page daemon when free pages run low.
 * Inlined into its two callers: it is on every fault's path, and the
 * constant queue folds the reserve test away for vm_page_alloc_nobj.
 */
static inline __attribute__((always_inline)) struct vm_page *
vm_page_alloc_queue(int flags, uint8_t queue)
{
	struct vm_page *m;

	spin_lock(&vm_page_queue_lock);
	m = vm_page_take_locked(vm_page_floor(flags, queue), queue);
	vm_page_take_done();
	if (m != NULL)
		vm_page_prepare(m, flags);
	return m;
}

/*
 * Take up to n pages for an object in one hold of the queue lock (a
 * prefault's zero fills): each on the active queue, in no object, its
 * contents undefined, for vm_page_insert_zeroed() or vm_page_free().
 * Returns how many went to ma: the first as any object page (none when
 * only the reserve is left), the rest only while free pages stay above
 * v_free_min, since a batch is taken before it is known how many of its
 * pages will be used.  Never sleeps.
 */
int
vm_page_alloc_batch(struct vm_page **ma, int n)
{
	uint64_t floor = vm_page_floor(0, PQ_ACTIVE);
	int got = 0;

	spin_lock(&vm_page_queue_lock);
	while (got < n && (ma[got] = vm_page_take_locked(floor,
	    PQ_ACTIVE)) != NULL) {
		got++;
		floor = MAX(floor, vm_page_thresholds.v_free_min);
	}
	vm_page_take_done();
	return got;
}

/*
 * Allocate one page that belongs to no VM object.  Returns NULL when no
 * page is free; never sleeps.  The caller owns the page until it calls
 * vm_page_free().
 */
struct vm_page *
vm_page_alloc_nobj(int flags)
{
	return vm_page_alloc_queue(flags, PQ_NONE);
}

/*
 * How many pages from i on are free, up to npages: npages means the whole
 * run [i, i + npages) is free.  Caller holds the free lock.
 */
static size_t
seg_free_run(const struct vm_page_seg *seg, size_t i, size_t npages)
{
	size_t j = 0;

	while (j < npages && (seg->pages[i + j].flags & PG_FREE))
		j++;
	return j;
}

/*
 * First fit in one segment, from its free hint up; a run that stops at a
 * page in use resumes past it.  Pages in use found below the first free
 * one raise the hint, so the next search does not step over them again
 * (without it, every kernel stack cost a walk over all the memory the
 * kernel holds at the bottom of RAM).  Caller holds the free lock.
 */
static struct vm_page *
seg_find_run(struct vm_page_seg *seg, size_t npages)
{
	size_t n = atop(seg->end - seg->start);
	bool seen_free = false;

	for (size_t i = seg->free_hint; i + npages <= n;) {
		size_t run = seg_free_run(seg, i, npages);

		if (run == npages)
			return &seg->pages[i];
		if (run == 0 && !seen_free)
			seg->free_hint = i + 1;
		seen_free |= run != 0;
		i += run + 1;
	}
	return NULL;
}

/* A page of RAM is free again: lower its segment's hint if need be. */
static void
seg_note_free(const struct vm_page *m)
{
	for (int s = 0; s < vm_page_nsegs; s++) {
		struct vm_page_seg *seg = &vm_page_segs[s];

		if (m->phys_addr - seg->start < seg->end - seg->start) {
			seg->free_hint = MIN(seg->free_hint,
			    (size_t)atop(m->phys_addr - seg->start));
			return;
		}
	}
}

/*
 * Allocate npages physically contiguous pages (lowest address first fit;
 * one page: any free page).  Returns the first page, or NULL if no such
 * run is free.  Free them with
 * vm_page_free_contig() or page by page.
 */
struct vm_page *
vm_page_alloc_contig_nobj(size_t npages, int flags)
{
	struct vm_page *first = NULL;

	KASSERT(npages > 0, "zero pages");
	/*
	 * One page is any free page: take it from the free queue rather
	 * than search the page array for a run (kmalloc asks this for every
	 * object between 2 KiB and a page, such as each proc and thread).
	 */
	if (npages == 1)
		return vm_page_alloc_nobj(flags);
	spin_lock(&vm_page_queue_lock);
	for (int s = 0; s < vm_page_nsegs && first == NULL; s++)
		first = seg_find_run(&vm_page_segs[s], npages);
	if (first != NULL)
		for (size_t j = 0; j < npages; j++)
			vm_page_take_free(&first[j]);
	spin_unlock(&vm_page_queue_lock);
	if (first != NULL)
		for (size_t j = 0; j < npages; j++)
			vm_page_prepare(&first[j], flags);
	return first;
}

/* Take m off the active or inactive queue.  Caller holds the queue lock. */
static void
vm_page_dequeue_locked(struct vm_page *m)
{
	vm_page_assert_queue_locked();
	if (m->queue == PQ_ACTIVE) {
		list_remove(&m->pageq);
		vm_page_stats.v_active_count--;
	} else if (m->queue == PQ_INACTIVE) {
		list_remove(&m->pageq);
		vm_page_stats.v_inactive_count--;
	}
	m->queue = PQ_NONE;
}

/*
 * Return a page to the free queue, first removing it from its object.
 * The caller has removed every mapping of the page (pmap_page_protect)
 * and holds the object's lock if the page has an owner.  Anyone asleep on
 * the page is woken: they will find it gone and retry.
 */
void
vm_page_free(struct vm_page *m)
{
	KASSERT(!(m->flags & (PG_FREE | PG_RESERVED)),
	    "page %#lx flags %#x", m->phys_addr, m->flags);
	KASSERT(m->wire_count == 0 && m->hold_count == 0,
	    "page %#lx wired %u held %u", m->phys_addr, m->wire_count,
	    m->hold_count);
	KASSERT(list_empty(&m->pv_list) && m->pv_own.pv_pmap == NULL,
	    "page %#lx still mapped", m->phys_addr);
	if (m->object != NULL)
		vm_page_remove(m);
	if (m->flags & PG_WANTED)
		vm_page_wakeup_waiters(m);
	spin_lock(&vm_page_queue_lock);
	vm_page_dequeue_locked(m);
	m->flags = PG_FREE;
	m->aflags = 0;
	m->queue = PQ_FREE;
	list_insert_head(&vm_page_freeq, &m->pageq);
	vm_page_stats.v_free_count++;
	VM_CNT_INC(v_tfree);
	seg_note_free(m);
	if (vm_page_free_wanted &&
	    vm_page_stats.v_free_count > vm_page_thresholds.v_free_min) {
		vm_page_free_wanted = false;
		wakeup(&vm_page_free_wanted);
	}
	spin_unlock(&vm_page_queue_lock);
}

void
vm_page_free_contig(struct vm_page *m, size_t npages)
{
	for (size_t j = 0; j < npages; j++)
		vm_page_free(&m[j]);
}

uint64_t
vm_page_free_count(void)
{
	return __atomic_load_n(&vm_page_stats.v_free_count, __ATOMIC_RELAXED);
}

/* Are object allocations failing (only the reserve left)?  Unlocked. */
bool
vm_page_count_min(void)
{
	return vm_page_free_count() <= vm_page_thresholds.v_free_reserved;
}

/*
 * Wait until object pages can be allocated again (FreeBSD's vm_wait,
 * OpenBSD's uvm_wait): wake the page daemon and sleep until it, or anyone
 * freeing pages, brings the free count back above v_free_min.  The sleep
 * is also cut short after a second, so a missed wakeup costs a delay,
 * never a hang.  Called with no lock held.  With intr, a pending signal
 * ends the wait with EINTR (a fault then returns to let the signal, which
 * may be the out-of-memory SIGKILL, be delivered); else returns 0.
 */
int
vm_wait(bool intr)
{
	int error = 0;

	spin_lock(&vm_page_queue_lock);
	if (vm_page_stats.v_free_count <= vm_page_thresholds.v_free_reserved) {
		vm_page_free_wanted = true;
		spin_unlock(&vm_page_queue_lock);
		VM_CNT_INC(v_vmwaits);
		pagedaemon_wait_begin();
		spin_lock(&vm_page_queue_lock);
		if (vm_page_free_wanted)
			error = (intr ? tsleep_sig : tsleep_timo)(
			    &vm_page_free_wanted, &vm_page_queue_lock, VM_WAIT_WMESG,
			    VM_WAIT_TICKS);
		pagedaemon_wait_end();
	}
	spin_unlock(&vm_page_queue_lock);
	return error == EINTR ? EINTR : 0;
}

/* The page daemon gave up a pass: let waiters look again.  No lock held. */
void
vm_page_wakeup_free_waiters(void)
{
	spin_lock(&vm_page_queue_lock);
	vm_page_free_wanted = false;
	wakeup(&vm_page_free_wanted);
	spin_unlock(&vm_page_queue_lock);
}

/*
 * Make m the page at (object, pindex) in the object's trie, at cursor c
 * (a vm_page_lookup_at miss there, with the object locked and unchanged
 * since), and on its list.  m belongs to no object.  Returns 0, or ENOMEM
 * with nothing changed if the trie needed a node and kmalloc had none.
 * Never sleeps.  Caller holds the object's lock.  Inlined: both callers
 * are on a fault's path.
 */
static inline __attribute__((always_inline)) int
vm_page_insert_at(struct vm_page *m, struct vm_object *object,
    vm_pindex_t pindex, struct vm_radix_cursor *c)
{
	VM_OBJECT_ASSERT_LOCKED(object);
	KASSERT(m->object == NULL, "page %#lx already in an object", m->phys_addr);
	if (vm_radix_insert_at(&object->rtree, c, pindex, m) != 0)
		return ENOMEM;
	m->object = object;
	m->pindex = pindex;
	list_insert_tail(&object->memq, &m->listq);
	object->resident_page_count++;
	return 0;
}

/*
 * Allocate a page for (object, pindex), where vm_page_lookup_at(object,
 * pindex, c) just found none (the fault path looks before it allocates:
 * the cursor saves walking the trie again), and insert it there, busy and
 * on the active queue.  Returns NULL when no page may be had, which
 * includes the object's trie needing a node that kmalloc cannot give (the
 * page goes back: to the caller it is the same shortage, with vm_wait()
 * the same remedy); c stays good then.  Never sleeps.  The caller holds
 * the object's lock, unchanged since the lookup, and must
 * vm_page_wakeup() the page when it is filled, unless it asked for
 * VM_ALLOC_NOBUSY: then it keeps that lock until the page is valid.
 */
struct vm_page *
vm_page_alloc_at(struct vm_object *object, vm_pindex_t pindex, int flags,
    struct vm_radix_cursor *c)
{
	struct vm_page *m = vm_page_alloc_queue(flags, PQ_ACTIVE);

	if (m == NULL)
		return NULL;
	if (__builtin_expect(vm_page_insert_at(m, object, pindex, c) != 0, 0)) {
		vm_page_free(m);
		return NULL;
	}
	if (!(flags & VM_ALLOC_NOBUSY))
		m->flags |= PG_BUSY;
	return m;
}

/*
 * Make m, a page of vm_page_alloc_batch, the page at (object, pindex) at
 * cursor c (as vm_page_alloc_at), zero-filled and valid.  Not busy: the
 * caller holds the object's lock until the page is mapped, so nobody
 * sees it before it is whole.  Returns 0, or ENOMEM with m still the
 * caller's and c still good if the trie needed a node kmalloc had not.
 */
int
vm_page_insert_zeroed(struct vm_page *m, struct vm_object *object,
    vm_pindex_t pindex, struct vm_radix_cursor *c)
{
	if (vm_page_insert_at(m, object, pindex, c) != 0)
		return ENOMEM;
	vm_page_prepare(m, VM_ALLOC_ZERO);
	m->flags |= PG_VALID;
	return 0;
}

/* vm_page_alloc_at without a cursor: (object, pindex) must be empty. */
struct vm_page *
vm_page_alloc(struct vm_object *object, vm_pindex_t pindex, int flags)
{
	struct vm_radix_cursor c;

	VM_OBJECT_ASSERT_LOCKED(object);
	vm_radix_lookup_at(&object->rtree, pindex, &c);
	return vm_page_alloc_at(object, pindex, flags, &c);
}

/* Take m, at cursor c, out of its object's trie and list.  Object locked.
 * Inline: a COW rename's path. */
static inline __attribute__((always_inline)) void
vm_page_unlink_at(struct vm_page *m, struct vm_object *object,
    struct vm_radix_cursor *c)
{
	KASSERT(vm_radix_slot_page(*c->slotp) == m,
	    "page %#lx not at the cursor", m->phys_addr);
	vm_radix_remove_at(&object->rtree, c);
	list_remove(&m->listq);
	object->resident_page_count--;
}

/* Remove m from its object.  Caller holds the object's lock. */
void
vm_page_remove(struct vm_page *m)
{
	struct vm_object *object = m->object;
	struct vm_radix_cursor c;
	struct vm_page *found;

	VM_OBJECT_ASSERT_LOCKED(object);
	found = vm_radix_lookup_at(&object->rtree, m->pindex, &c);
	KASSERT(found == m, "page %#lx not at %#lx of object %p (found %p)",
	    m->phys_addr, m->pindex, object, found);
	vm_page_unlink_at(m, object, &c);
	m->object = NULL;
}

/*
 * Move m to (new_object, new_pindex) without copying it: the COW rename
 * and collapse use this.  mc is m's place in its object's trie and nc
 * the empty place of new_pindex in new_object's, from vm_page_lookup_at
 * with both objects locked and unchanged since.  The page enters the new
 * trie before it leaves its old one, so that running out of nodes changes
 * nothing: returns 0, or ENOMEM (a shortage; the caller waits with
 * vm_wait() or does without the move).  Never sleeps.  Caller holds both
 * objects' locks; the page's mappings, if any, stay valid (same physical
 * page).
 */
int
vm_page_rename_at(struct vm_page *m, struct vm_radix_cursor *mc,
    struct vm_object *new_object, vm_pindex_t new_pindex,
    struct vm_radix_cursor *nc)
{
	struct vm_object *old = m->object;

	VM_OBJECT_ASSERT_LOCKED(old);
	VM_OBJECT_ASSERT_LOCKED(new_object);
	KASSERT(old != new_object, "page %#lx renamed within object %p",
	    m->phys_addr, old);
	if (vm_radix_insert_at(&new_object->rtree, nc, new_pindex, m) != 0)
		return ENOMEM;
	vm_page_unlink_at(m, old, mc);
	m->object = new_object;
	m->pindex = new_pindex;
	list_insert_tail(&new_object->memq, &m->listq);
	new_object->resident_page_count++;
	vm_page_aflag_set(m, PGA_DIRTY);
	return 0;
}

/* vm_page_rename_at, looking both places up itself. */
int
vm_page_rename(struct vm_page *m, struct vm_object *new_object,
    vm_pindex_t new_pindex)
{
	struct vm_radix_cursor mc, nc;
	struct vm_page *found;

	VM_OBJECT_ASSERT_LOCKED(m->object);
	found = vm_radix_lookup_at(&m->object->rtree, m->pindex, &mc);
	KASSERT(found == m, "page %#lx not in its object", m->phys_addr);
	VM_OBJECT_ASSERT_LOCKED(new_object);
	vm_radix_lookup_at(&new_object->rtree, new_pindex, &nc);
	return vm_page_rename_at(m, &mc, new_object, new_pindex, &nc);
}

void
vm_page_busy(struct vm_page *m)
{
	KASSERT(!(m->flags & PG_BUSY), "page %#lx already busy", m->phys_addr);
	vm_page_assert_owner_locked(m);
	m->flags |= PG_BUSY;
}

static void
vm_page_wakeup_waiters(struct vm_page *m)
{
	spin_lock(&vm_page_sleep_lock);
	m->flags &= ~PG_WANTED;
	wakeup(m);
	spin_unlock(&vm_page_sleep_lock);
}

/* Clear PG_BUSY and wake whoever waits for the page. */
void
vm_page_wakeup(struct vm_page *m)
{
	KASSERT(m->flags & PG_BUSY, "page %#lx not busy", m->phys_addr);
	vm_page_assert_owner_locked(m);
	m->flags &= ~PG_BUSY;
	if (m->flags & PG_WANTED)
		vm_page_wakeup_waiters(m);
}

/*
 * Drop m's object lock and sleep until m is unbusied or unheld (the
 * wakeup comes from vm_page_wakeup_waiters).  Object locked on entry,
 * unlocked on return.
 */
static void
vm_page_sleep(struct vm_page *m, const char *wmesg)
{
	struct vm_object *object = m->object;

	spin_lock(&vm_page_sleep_lock);
	m->flags |= PG_WANTED;
	vm_object_unlock(object);
	tsleep(m, &vm_page_sleep_lock, wmesg);
	spin_unlock(&vm_page_sleep_lock);
}

/*
 * If m is busy, drop its object's lock, sleep until it is not, and return
 * true: the caller must look the page up again (it may be gone).  Returns
 * false, with the lock still held, if m is not busy.
 */
bool
vm_page_sleep_if_busy(struct vm_page *m, const char *wmesg)
{
	if (!(m->flags & PG_BUSY))
		return false;
	vm_page_sleep(m, wmesg);
	return true;
}

/* Move m to the tail of queue (PQ_ACTIVE or PQ_INACTIVE). */
static void
vm_page_requeue(struct vm_page *m, uint8_t queue)
{
	spin_lock(&vm_page_queue_lock);
	vm_page_dequeue_locked(m);
	vm_page_enqueue_locked(m, queue);
	spin_unlock(&vm_page_queue_lock);
}

/*
 * For the page daemon: the page at the head (oldest end) of queue, moved
 * to the tail so that a scan goes round it once, with its object locked.
 * Returns VM_SCAN_PAGE and *mp, VM_SCAN_SKIP if the head page's object
 * is locked by someone else (or the page is in none), VM_SCAN_EMPTY.
 *
 * The object is only try-locked: the queue lock is held, and it comes
 * after object locks.  It also keeps the object alive: a page leaves its
 * object before its queue when freed, a renamed page's old object passes
 * vm_page_queue_barrier() before it is freed, and m->object is checked
 * again once the lock is won.  No lock held on entry.
 */
int
vm_page_scan_take(uint8_t queue, struct vm_page **mp)
{
	struct list *q = queue == PQ_ACTIVE ? &vm_page_activeq :
	    &vm_page_inactiveq;
	struct vm_object *object;
	struct vm_page *m;
	struct list *l;
	int rv = VM_SCAN_SKIP;

	spin_lock(&vm_page_queue_lock);
	l = list_first(q);
	if (l == NULL) {
		spin_unlock(&vm_page_queue_lock);
		return VM_SCAN_EMPTY;
	}
	m = container_of(l, struct vm_page, pageq);
	list_remove(&m->pageq);
	list_insert_tail(q, &m->pageq);
	object = m->object;
	if (object != NULL && sx_try_xlock(&object->lock)) {
		if (m->object == object) {
			*mp = m;
			rv = VM_SCAN_PAGE;
		} else {
			vm_object_unlock(object);
		}
	}
	spin_unlock(&vm_page_queue_lock);
	return rv;
}

/*
 * An object about to be freed calls this after its last unlock: any page
 * daemon scan that found it through a page has then let go of it.
 */
void
vm_page_queue_barrier(void)
{
	spin_lock(&vm_page_queue_lock);
	spin_unlock(&vm_page_queue_lock);
}

/* Put m at the tail of the active queue (most recently used). */
void
vm_page_activate(struct vm_page *m)
{
	vm_page_requeue(m, PQ_ACTIVE);
}

/* Move m to the inactive queue: a candidate for reclaim. */
void
vm_page_deactivate(struct vm_page *m)
{
	vm_page_requeue(m, PQ_INACTIVE);
}

/*
 * Wire m: it may not be paged out, so it leaves the paging queues (the
 * page daemon never sees it).  Unwiring puts it back on the active
 * queue.  Caller holds m's object's lock.
 */
void
vm_page_wire(struct vm_page *m)
{
	if (m->wire_count++ > 0)
		return;
	spin_lock(&vm_page_queue_lock);
	vm_page_dequeue_locked(m);
	vm_page_stats.v_wire_count++;
	spin_unlock(&vm_page_queue_lock);
}

void
vm_page_unwire(struct vm_page *m)
{
	KASSERT(m->wire_count > 0, "page %#lx not wired", m->phys_addr);
	if (--m->wire_count > 0)
		return;
	spin_lock(&vm_page_queue_lock);
	vm_page_stats.v_wire_count--;
	vm_page_enqueue_locked(m, PQ_ACTIVE);
	spin_unlock(&vm_page_queue_lock);
}

void
vm_page_hold(struct vm_page *m)
{
	m->hold_count++;
}

/* Drop a hold; whoever waits to free the page is woken.  Object locked. */
void
vm_page_unhold(struct vm_page *m)
{
	KASSERT(m->hold_count > 0, "page %#lx not held", m->phys_addr);
	if (--m->hold_count == 0 && (m->flags & PG_WANTED))
		vm_page_wakeup_waiters(m);
}

/*
 * Like vm_page_sleep_if_busy, but also waits out holds: for code about to
 * free the page.  Returns true (object unlocked) if it slept.
 */
bool
vm_page_sleep_if_busy_or_held(struct vm_page *m, const char *wmesg)
{
	if (!(m->flags & PG_BUSY) && m->hold_count == 0)
		return false;
	vm_page_sleep(m, wmesg);
	return true;
}

SYSCTL_U64(pg_count, "vm.stats.vm.v_page_count", CTLFLAG_RD,
    &vm_page_stats.v_page_count, "pages of RAM");
static const uint64_t page_size = PAGE_SIZE;
SYSCTL_U64(pg_size, "vm.stats.vm.v_page_size", CTLFLAG_RD,
    (void *)&page_size, "bytes per page");
SYSCTL_U64(pg_free, "vm.stats.vm.v_free_count", CTLFLAG_RD,
    &vm_page_stats.v_free_count, "free pages");
SYSCTL_U64(pg_active, "vm.stats.vm.v_active_count", CTLFLAG_RD,
    &vm_page_stats.v_active_count, "pages on the active queue");
SYSCTL_U64(pg_inactive, "vm.stats.vm.v_inactive_count", CTLFLAG_RD,
    &vm_page_stats.v_inactive_count, "pages on the inactive queue");
SYSCTL_U64(pg_wire, "vm.stats.vm.v_wire_count", CTLFLAG_RD,
    &vm_page_stats.v_wire_count, "wired pages");
SYSCTL_U64(pg_free_reserved, "vm.v_free_reserved", CTLFLAG_RW,
    &vm_page_thresholds.v_free_reserved,
    "free pages kept for the kernel: user and cache pages stop here");
SYSCTL_U64(pg_free_min, "vm.v_free_min", CTLFLAG_RW,
    &vm_page_thresholds.v_free_min, "free pages below which the page daemon runs");
SYSCTL_U64(pg_free_target, "vm.v_free_target", CTLFLAG_RW,
    &vm_page_thresholds.v_free_target, "free pages the page daemon aims for");
SYSCTL_U64(pg_inactive_target, "vm.v_inactive_target", CTLFLAG_RW,
    &vm_page_thresholds.v_inactive_target,
    "inactive pages the page daemon keeps as reclaim candidates");
SYSCTL_U64(pg_reserved, "vm.stats.vm.v_reserved_count", CTLFLAG_RD,
    &vm_page_stats.v_reserved_count,
    "pages never allocatable (firmware, kernel, boot data)");
