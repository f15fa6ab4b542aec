/*
 * Sv39 physical map, part 2: user address spaces.
 *
 * Each pmap has its own root table; its upper half (entries 256..511) is a
 * copy of the kernel's, which never changes after boot, so a trap never
 * switches satp.  Every user mapping of a page is recorded in a pv entry
 * on the page's pv_list (the reverse map), so pmap_page_protect() can
 * write-protect or remove all of them.
 *
 * TLB: a changed or removed PTE is invalidated with pmap_invalidate_page
 * (or _range, _all) before the call that changed it returns, on every
 * hart where the pmap is active (pm_active): locally with sfence.vma,
 * remotely with SBI RFENCE, which returns once the other harts are done.
 * So after pmap_remove or pmap_protect returns, no hart can still use the
 * old entry, and the caller may free the pages (the deferred frees come
 * after the shootdown).  A new PTE gets a local sfence.vma too, because
 * the privileged spec allows a hart to cache invalid entries.  A hart
 * enters pm_active before it loads the pmap's satp and leaves it after
 * loading another; since nothing tells which entries of a pmap a hart
 * kept while the pmap was not active there, activation flushes the
 * pmap's ASID on that hart.
 *
 * ASIDs (when the hart implements them; probed at boot) are handed out in
 * generations.  Running out starts a new generation: the hart that rolls
 * over flushes its TLB, and every other hart flushes its whole TLB at its
 * next activation (pc_asid_gen), before it can load a new-generation ASID.
 * Until then a hart may still run a pmap under its old ASID, which another
 * pmap may already have: each hart's local flush uses the ASID in its own
 * satp (pc_asid), and remote flushes are for all ASIDs, so neither can
 * miss.  vm.pmap.asid_limit shrinks the ASID space (tests force rollover).
 * Without ASIDs, every activation flushes the whole TLB.
 *
 * PTEs are changed with atomic operations: the hardware of another hart
 * may set A or D in a live entry at any moment.
 *
 * Locking.  Each pmap has a spin lock, pm_lock, taken by the calls that
 * work on an address range (enter, remove, protect, extract): it orders
 * their changes to the pmap's PTEs and guards the growth of its tables.
 * Each page's pv_list is guarded by one of PV_LOCKS hashed spin locks;
 * every PTE that maps a page is created or removed with the page's pv
 * lock held, so the calls that work on a page (page_protect, the
 * modified/referenced tests) hold only that lock, and change the PTEs of
 * several pmaps atomically without their pm_locks.  They may walk a
 * pmap's tables without its lock because tables are only ever added
 * while the pmap lives (pmap_destroy frees them, and it runs only once
 * no pv entry is left), and a table entry is published with a release
 * store after the table is zeroed.  The order is pm_lock, then a pv lock;
 * a pv lock is never held while taking a pm_lock or a second pv lock.
 * asid_lock covers the ASID allocator.  All are taken after any map or
 * object lock and never held across anything that sleeps.
 *
 * Each table page below the root counts its valid entries (u.pt.valid of
 * its vm_page, updated atomically: a leaf can go with only a pv lock
 * held), and every table page, the root too, marks which groups of eight
 * entries have held a valid one (u.pt.groups, a bit set when an entry
 * there is made and cleared only when the table is freed).  Entries are
 * only added under pm_lock, so a walker holding it never sees fewer than
 * there are: it skips an empty table, jumps from one marked group to the
 * next, and stops scanning a table once it has met all its entries,
 * which is what makes a fork's or exit's walk over sparse tables cheap.
 */
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "machine/machdep.h"
#include "machine/pcpu.h"
#include "machine/pmap_machdep.h"
#include "machine/pte.h"
#include "machine/riscv.h"
#include "machine/vmparam.h"
#include "vm/pmap.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

#define USER_L2_ENTRIES	(Ln_ENTRIES / 2)	/* root entries below the kernel */
#define PTE_USER	(PTE_V | PTE_U | PTE_A)
#define TLB_RANGE_MAX	64	/* beyond this, flush the whole ASID */

/*
 * Lock legend: (l) pm_lock, (a) asid_lock, (c) constant, (*) atomic (for
 * pm_active, each hart sets and clears its own bit).  The PTEs: see above.
 */
struct pmap {
	struct spinlock pm_lock;
	pt_entry_t *pm_root;		/* (c) root table, through the direct map */
	paddr_t pm_root_pa;		/* (c) */
	uint64_t pm_asid_gen;		/* (a) generation pm_asid belongs to */
	uint16_t pm_asid;		/* (a) */
	cpumask_t pm_active;		/* (*) harts whose satp holds this pmap */
	uint64_t pm_resident;		/* (*) leaf mappings */
	uint64_t pm_wired;		/* (*) wired leaf mappings */
	uint64_t pm_ptpages;		/* (l) page-table pages below the root */
};

#define PV_LOCKS	64	/* a power of two */

static struct spinlock pv_locks[PV_LOCKS] = {
	[0 ... PV_LOCKS - 1] = SPINLOCK_INIT("pv"),
};

static struct spinlock *
pv_lock_of(struct vm_page *m)
{
	return &pv_locks[atop(VM_PAGE_TO_PHYS(m)) & (PV_LOCKS - 1)];
}

/*
 * pv entries come from a cache on each hart, so that a mapping made or
 * removed pushes or pops a list under a lock no other hart wants, rather
 * than taking kmalloc's.  A cache refills from kmalloc one entry at a
 * time and gives back what goes above PV_CACHE_MAX, so it never holds
 * more than that; pmap_pv_cache_drain empties them all (for leak checks,
 * through vfs_drain_caches).  The lock is taken after pm_lock and with
 * no other pmap lock held.
 */
#define PV_CACHE_MAX	128

static struct pv_cache {
	struct spinlock pc_lock;
	struct pv_entry *pc_head;	/* (pc_lock) linked by pv_link.next */
	int pc_count;			/* (pc_lock) */
} __attribute__((aligned(64))) pv_caches[MAXCPU] = {
	[0 ... MAXCPU - 1] = { .pc_lock = SPINLOCK_INIT("pvcache") },
};

/* The first cached entry of c, taken off, or NULL.  c's lock held. */
static struct pv_entry *
pv_cache_pop(struct pv_cache *c)
{
	struct pv_entry *pv = c->pc_head;

	if (pv != NULL) {
		c->pc_head = (struct pv_entry *)pv->pv_link.next;
		c->pc_count--;
	}
	return pv;
}

/* A pv entry, or NULL if memory is exhausted. */
static struct pv_entry *
pv_alloc(void)
{
	struct pv_cache *c = &pv_caches[curcpu_id()];
	struct pv_entry *pv = NULL;

	/* Unlocked peek: only this hart fills its cache, and a drain
	 * emptying it meanwhile just sends us to kmalloc after all. */
	if (__atomic_load_n(&c->pc_head, __ATOMIC_RELAXED) != NULL) {
		spin_lock(&c->pc_lock);
		pv = pv_cache_pop(c);
		spin_unlock(&c->pc_lock);
	}
	return pv != NULL ? pv : kmalloc(sizeof(*pv), 0);
}

/* Give back a pv entry no list holds any more. */
static void
pv_free_entry(struct pv_entry *pv)
{
	struct pv_cache *c = &pv_caches[curcpu_id()];

	if (__atomic_load_n(&c->pc_count, __ATOMIC_RELAXED) >= PV_CACHE_MAX) {
		kfree(pv);	/* full (only this hart fills it) */
		return;
	}
	spin_lock(&c->pc_lock);
	if (c->pc_count < PV_CACHE_MAX) {
		pv->pv_link.next = (struct list *)c->pc_head;
		c->pc_head = pv;
		c->pc_count++;
		pv = NULL;
	}
	spin_unlock(&c->pc_lock);
	kfree(pv);
}

/* pv_free_entry, or nothing for NULL: inlined, as most calls pass NULL
 * (the page's own entry is released where its mapping goes). */
static inline void
pv_free(struct pv_entry *pv)
{
	if (pv != NULL)
		pv_free_entry(pv);
}

void
pmap_pv_cache_drain(void)
{
	for (int cpu = 0; cpu < MAXCPU; cpu++) {
		struct pv_cache *c = &pv_caches[cpu];
		struct pv_entry *pv;

		do {
			spin_lock(&c->pc_lock);
			pv = pv_cache_pop(c);
			spin_unlock(&c->pc_lock);
			kfree(pv);
		} while (pv != NULL);
	}
}

/* The legend, checked in WITNESS kernels. */
#define PMAP_ASSERT_LOCKED(pmap) \
	LOCK_ASSERT(spin_owned(&(pmap)->pm_lock), "pmap %p: pm_lock not held", \
	    (pmap))
#define PV_ASSERT_LOCKED(m) \
	LOCK_ASSERT(spin_owned(pv_lock_of(m)), "page %#lx: pv lock not held", \
	    VM_PAGE_TO_PHYS(m))

static void
pmap_count(uint64_t *counter, int64_t delta)
{
	__atomic_add_fetch(counter, (uint64_t)delta, __ATOMIC_RELAXED);
}

static struct spinlock asid_lock = SPINLOCK_INIT("asid");
static unsigned asid_bits;
static int asid_limit = 65536;		/* ASIDs 1..asid_limit-1 are used
					   (and no more than the hart has) */
static uint64_t asid_generation = 1;	/* (a) */
static uint32_t asid_next = 1;		/* (a) */
static uint64_t asid_rollovers;		/* (a) */

/* How many ASID bits the hart implements: write all ones, read back. */
void
pmap_asid_probe(void)
{
	uint64_t satp = csr_read(satp);
	uint64_t probe;

	csr_write(satp, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	probe = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(satp, satp);
	sfence_vma_all();
	asid_bits = 0;
	while (probe & (1UL << asid_bits))
		asid_bits++;

	kprintf("pmap: %u ASID bits%s\n", asid_bits,
	    asid_bits == 0 ? " (no ASIDs: full flush on switch)" : "");
}

/*
 * The invalidation API.  Every change to a live user PTE is followed by
 * one of these before the pmap call returns, but for pmap_enter's making
 * an entry valid or only adding permissions: it flushes this hart alone,
 * since a stale entry elsewhere can only fault, and the fault (finding
 * the entry done) flushes that hart.  pm_lock or a pv lock may be
 * held: a remote hart completes an RFENCE in M-mode even while its own
 * interrupts are off, so this cannot wait on a lock we hold.
 */

/* The harts other than this one where pmap is active, after a fence. */
static cpumask_t
remote_harts(struct pmap *pmap)
{
	/* Orders the PTE store before the read of pm_active (see above). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&pmap->pm_active, __ATOMIC_RELAXED) &
	    ~CPUMASK(curcpu_id());
}

static bool
active_here(struct pmap *pmap)
{
	return (__atomic_load_n(&pmap->pm_active, __ATOMIC_RELAXED) &
	    CPUMASK(curcpu_id())) != 0;
}

static inline void
sfence_va_asid(vaddr_t va, uint64_t asid)
{
	__asm__ volatile("sfence.vma %0, %1" :: "r"(va), "r"(asid) : "memory");
}

static inline void
sfence_asid(uint64_t asid)
{
	__asm__ volatile("sfence.vma zero, %0" :: "r"(asid) : "memory");
}

static uint64_t shootdowns;	/* remote invalidations sent (vm.pmap.shootdowns) */

void
pmap_invalidate_page(struct pmap *pmap, vaddr_t va)
{
	cpumask_t remote = remote_harts(pmap);

	if (active_here(pmap))
		sfence_va_asid(va, curpcpu()->pc_asid);
	if (remote != 0) {
		__atomic_add_fetch(&shootdowns, 1, __ATOMIC_RELAXED);
		cpu_remote_sfence(remote, va, PAGE_SIZE);
	}
}

void
pmap_invalidate_all(struct pmap *pmap)
{
	cpumask_t remote = remote_harts(pmap);

	if (active_here(pmap))
		sfence_asid(curpcpu()->pc_asid);
	if (remote != 0) {
		__atomic_add_fetch(&shootdowns, 1, __ATOMIC_RELAXED);
		cpu_remote_sfence(remote, 0, 0);
	}
}

/* [sva, eva): page by page, or the whole ASID when that is cheaper. */
void
pmap_invalidate_range(struct pmap *pmap, vaddr_t sva, vaddr_t eva)
{
	cpumask_t remote;

	if (eva - sva > ptoa(TLB_RANGE_MAX)) {
		pmap_invalidate_all(pmap);
		return;
	}
	remote = remote_harts(pmap);
	if (active_here(pmap))
		for (vaddr_t va = sva; va < eva; va += PAGE_SIZE)
			sfence_va_asid(va, curpcpu()->pc_asid);
	if (remote != 0) {
		__atomic_add_fetch(&shootdowns, 1, __ATOMIC_RELAXED);
		cpu_remote_sfence(remote, sva, eva - sva);
	}
}

SYSCTL_U64(vm_pmap_shootdowns, "vm.pmap.shootdowns", CTLFLAG_RD, &shootdowns,
    "TLB invalidations sent to other harts");
SYSCTL_INT_RANGE(vm_pmap_asid_limit, "vm.pmap.asid_limit", &asid_limit, 2,
    65536, "ASIDs in use, counting 0 (small values force rollovers)");
SYSCTL_U64(vm_pmap_asid_rollovers, "vm.pmap.asid_rollovers", CTLFLAG_RD,
    &asid_rollovers, "times the ASID space ran out (new generation)");

static pt_entry_t *
table_of(pt_entry_t pte)
{
	return (pt_entry_t *)PHYS_TO_DMAP(pte_to_pa(pte));
}

/* The vm_page of the table page that holds the entry *pte. */
static inline struct vm_page *
table_page_of(const pt_entry_t *pte)
{
	return PHYS_TO_VM_PAGE(DMAP_TO_PHYS(trunc_page((vaddr_t)pte)));
}

/* The group bit of entry index i in its table's u.pt.groups. */
static inline uint64_t
table_group(unsigned i)
{
	return 1ULL << (i / 8);
}

/* The entry *pte went from invalid to valid (+1) or back (-1). */
static inline __attribute__((always_inline)) void
table_count(pt_entry_t *pte, int64_t delta)
{
	__atomic_add_fetch(&table_page_of(pte)->u.pt.valid, (uint64_t)delta,
	    __ATOMIC_RELAXED);
}

/*
 * n entries of the table holding *pte, all in the groups marked in
 * `groups', were made valid: counted (n may be 0: the root keeps no
 * count) and marked.  Inlined: every fault's pmap_enter pays for it.
 */
static inline __attribute__((always_inline)) void
table_fill(pt_entry_t *pte, uint64_t n, uint64_t groups)
{
	struct vm_page *tp = table_page_of(pte);

	if (n != 0)
		__atomic_add_fetch(&tp->u.pt.valid, n, __ATOMIC_RELAXED);
	__atomic_fetch_or(&tp->u.pt.groups, groups, __ATOMIC_RELAXED);
}

/* The entry *pte was made valid. */
static inline __attribute__((always_inline)) void
table_add(pt_entry_t *pte)
{
	table_fill(pte, 1,
	    table_group(((vaddr_t)pte & PAGE_MASK) / sizeof(*pte)));
}

/*
 * The index of the lowest set bit of x, not 0: a de Bruijn multiply
 * (rv64imac has no ctz instruction, and the kernel no libgcc).
 */
static inline unsigned
lowest_bit(uint64_t x)
{
	static const uint8_t index[64] = {
		0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
	};

	return index[((x & -x) * 0x03f79d71b4cb0a89ULL) >> 58];
}

/*
 * The index of the first nonzero entry of table[from, to), or to.  Only
 * the groups of eight the table marked are looked at (an entry that is
 * not valid is always 0 in a user table), so an empty stretch costs
 * nothing and a sparse table a few instructions a marked group.  Plain
 * loads: an entry read as nonzero is looked at again by the caller's
 * atomic operation.
 */
static inline __attribute__((always_inline)) unsigned
table_next(const pt_entry_t *table, unsigned from, unsigned to)
{
	uint64_t groups = __atomic_load_n(&table_page_of(table)->u.pt.groups,
	    __ATOMIC_RELAXED);

	if (from >= to)
		return to;
	groups &= ~(table_group(from) - 1);
	while (groups != 0) {
		unsigned g = lowest_bit(groups) * 8;
		unsigned i = MAX(from, g), end = MIN(g + 8, to);

		if (i >= to)
			break;
		for (; i < end; i++)
			if (table[i] != 0)
				return i;
		groups &= groups - 1;
	}
	return to;
}

/* Valid entries in the table the table entry e points to. */
static uint64_t
table_entries(pt_entry_t e)
{
	return __atomic_load_n(&PHYS_TO_VM_PAGE(pte_to_pa(e))->u.pt.valid,
	    __ATOMIC_RELAXED);
}

/*
 * pmap_l0_slot's way down when a table is missing: the same walk, making
 * the tables (alloc) or giving up.  Apart, so that the common walk, all
 * tables there, is a few instructions inlined into its callers.
 */
static __attribute__((noinline)) pt_entry_t *
pmap_l0_slot_grow(struct pmap *pmap, vaddr_t va, bool alloc)
{
	pt_entry_t *table = pmap->pm_root;

	for (int level = 2; level > 0; level--) {
		pt_entry_t *pte = &table[pte_index(va, level)];
		pt_entry_t e = *pte;

		if (!(e & PTE_V)) {
			struct vm_page *m;

			if (!alloc)
				return NULL;
			m = vm_page_alloc_nobj(VM_ALLOC_ZERO);
			if (m == NULL)
				return NULL;
			pmap->pm_ptpages++;
			e = pa_to_pte(VM_PAGE_TO_PHYS(m), PTE_V);
			__atomic_store_n(pte, e, __ATOMIC_RELEASE);
			/* Marked in its table; the root keeps no count. */
			table_fill(pte, level == 1,
			    table_group(pte_index(va, level)));
		}
		table = table_of(e);
	}
	return &table[pte_index(va, 0)];
}

/*
 * The level-0 PTE slot for va, or NULL if a table on the way is missing
 * (pmap_l0_slot_present), and for pmap_l0_slot if alloc is false or the
 * table cannot be allocated.  pm_lock held: nothing else
 * adds tables, so plain loads see them; a new table entry is published
 * with a release store for the lockless walkers (pv_pte).
 */
static inline __attribute__((always_inline)) pt_entry_t *
pmap_l0_slot_present(struct pmap *pmap, vaddr_t va)
{
	pt_entry_t l2e, l1e;

	PMAP_ASSERT_LOCKED(pmap);
	l2e = pmap->pm_root[pte_index(va, 2)];
	if (__builtin_expect(l2e & PTE_V, 1)) {
		l1e = table_of(l2e)[pte_index(va, 1)];
		if (__builtin_expect(l1e & PTE_V, 1))
			return &table_of(l1e)[pte_index(va, 0)];
	}
	return NULL;
}

static inline __attribute__((always_inline)) pt_entry_t *
pmap_l0_slot(struct pmap *pmap, vaddr_t va, bool alloc)
{
	pt_entry_t *pte = pmap_l0_slot_present(pmap, va);

	return __builtin_expect(pte != NULL, 1) ? pte :
	    pmap_l0_slot_grow(pmap, va, alloc);
}

/* A new pmap with an empty user half.  NULL if memory is exhausted. */
struct pmap *
pmap_create(void)
{
	struct pmap *pmap = kmalloc(sizeof(*pmap), M_ZERO);
	struct vm_page *root;
	pt_entry_t *kroot;

	if (pmap == NULL)
		return NULL;
	spin_init(&pmap->pm_lock, "pmap");
	root = vm_page_alloc_nobj(0);	/* each half written below */
	if (root == NULL) {
		kfree(pmap);
		return NULL;
	}
	pmap->pm_root_pa = VM_PAGE_TO_PHYS(root);
	pmap->pm_root = (pt_entry_t *)PHYS_TO_DMAP(pmap->pm_root_pa);
	memset(pmap->pm_root, 0, USER_L2_ENTRIES * sizeof(pt_entry_t));
	kroot = (pt_entry_t *)PHYS_TO_DMAP(pmap_kernel_root_pa());
	memcpy(&pmap->pm_root[USER_L2_ENTRIES], &kroot[USER_L2_ENTRIES],
	    USER_L2_ENTRIES * sizeof(pt_entry_t));
	return pmap;
}

static void
free_table_page(pt_entry_t pte)
{
	vm_page_free(PHYS_TO_VM_PAGE(pte_to_pa(pte)));
}

/*
 * Free a pmap that pmap_remove_all emptied (it maps nothing and has no
 * table below the root left).
 */
void
pmap_destroy(struct pmap *pmap)
{
	KASSERT(pmap->pm_active == 0, "pmap %p still active on harts %#lx",
	    pmap, pmap->pm_active);
	KASSERT(pmap->pm_resident == 0, "pmap %p still maps %lu pages", pmap,
	    pmap->pm_resident);
	KASSERT(pmap->pm_ptpages == 0, "pmap %p lost %lu table pages", pmap,
	    pmap->pm_ptpages);
	vm_page_free(PHYS_TO_VM_PAGE(pmap->pm_root_pa));
	kfree(pmap);
}

/*
 * Give pmap an ASID of the current generation, starting a new generation
 * if they have run out.  Returns true if this hart's TLB must be flushed
 * whole (it still holds entries of an older generation).  asid_lock held.
 */
static bool
pmap_assign_asid(struct pmap *pmap, struct pcpu *pc)
{
	uint64_t limit = MIN((uint64_t)asid_limit, 1UL << asid_bits);

	if (pmap->pm_asid_gen != asid_generation) {
		if (asid_next >= limit) {
			asid_generation++;
			asid_rollovers++;
			asid_next = 1;
		}
		pmap->pm_asid = (uint16_t)asid_next++;
		pmap->pm_asid_gen = asid_generation;
	}
	if (pc->pc_asid_gen == asid_generation)
		return false;
	pc->pc_asid_gen = asid_generation;
	return true;
}

/*
 * Switch this hart to pmap's address space.  The hart joins pm_active
 * before it loads satp, so a PTE change it cannot see yet comes with a
 * shootdown; then it drops whatever it kept of this ASID from an earlier
 * activation (changes made meanwhile were not sent here).
 */
void
pmap_activate(struct pmap *pmap)
{
	struct pcpu *pc = curpcpu();
	bool flush_all = true;

	if (asid_bits != 0) {
		spin_lock(&asid_lock);
		flush_all = pmap_assign_asid(pmap, pc);
		pc->pc_asid = pmap->pm_asid;
		spin_unlock(&asid_lock);
	}
	__atomic_fetch_or(&pmap->pm_active, CPUMASK(pc->pc_cpuid),
	    __ATOMIC_SEQ_CST);
	csr_write(satp, SATP_MODE_SV39 |
	    ((uint64_t)pc->pc_asid << SATP_ASID_SHIFT) |
	    (pmap->pm_root_pa >> PAGE_SHIFT));
	if (flush_all)
		sfence_vma_all();
	else
		sfence_asid(pc->pc_asid);
}

/*
 * Switch this hart back to the kernel-only table, then leave pmap's
 * pm_active: until satp changed, a shootdown still had to come here.
 */
void
pmap_deactivate(struct pmap *pmap)
{
	struct pcpu *pc = curpcpu();

	csr_write(satp, SATP_MODE_SV39 | (pmap_kernel_root_pa() >> PAGE_SHIFT));
	pc->pc_asid = 0;
	if (asid_bits == 0)
		sfence_vma_all();
	__atomic_fetch_and(&pmap->pm_active, ~CPUMASK(pc->pc_cpuid),
	    __ATOMIC_SEQ_CST);
}

/*
 * A user leaf's bits for protection p: write implies read (Sv39 has no
 * write-only leaf), and a writable leaf is entered dirty.  Looked up in a
 * table of the eight, so that each pmap_enter does not branch thrice.
 */
#define PROT_PTE(p)	(PTE_USER | \
	((p) & (VM_PROT_READ | VM_PROT_WRITE) ? PTE_R : 0) | \
	((p) & VM_PROT_WRITE ? PTE_W | PTE_D : 0) | \
	((p) & VM_PROT_EXECUTE ? PTE_X : 0))

_Static_assert(VM_PROT_ALL == 7, "prot_pte covers every protection");
static const pt_entry_t prot_pte[8] = {
	PROT_PTE(0), PROT_PTE(1), PROT_PTE(2), PROT_PTE(3),
	PROT_PTE(4), PROT_PTE(5), PROT_PTE(6), PROT_PTE(7),
};

static inline pt_entry_t
prot_to_pte(vm_prot_t prot)
{
	return prot_pte[prot & VM_PROT_ALL];
}

/* The pv entry for (pmap, va) on m, or NULL.  m's pv lock held. */
static struct pv_entry *
pv_find(struct vm_page *m, struct pmap *pmap, vaddr_t va)
{
	PV_ASSERT_LOCKED(m);
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next) {
		struct pv_entry *pv = container_of(l, struct pv_entry, pv_link);

		if (pv->pv_pmap == pmap && pv->pv_va == va)
			return pv;
	}
	return NULL;
}

/*
 * Record in m's flags what the hardware noted in the PTE being dropped.
 * D alone means written: a writable mapping is entered with D already set
 * (so the hardware never needs to set it), and pmap_protect leaves D in
 * an entry it makes read-only, to be handed on here when the entry goes
 * or by the page operations (pmap_page_protect, pmap_clear_modify).
 */
static void
pte_sync_page(pt_entry_t pte, struct vm_page *m)
{
	if (pte & PTE_D)
		vm_page_aflag_set(m, PGA_DIRTY);
	if (pte & PTE_A)
		vm_page_aflag_set(m, PGA_REFERENCED);
}

/*
 * Clear the leaf at *pte, which maps page m through pv (in pv->pv_pmap),
 * and take pv off m's list, leaving the pmap's resident count and the
 * table's valid count to the caller.  Returns pv for the caller to free
 * after dropping its locks, or NULL if pv was m's own entry, which is
 * released here, under the lock that guards it.  m's pv lock held.
 */
static inline __attribute__((always_inline)) struct pv_entry *
pte_clear_pv(pt_entry_t *pte, struct vm_page *m, struct pv_entry *pv)
{
	pt_entry_t old;

	PV_ASSERT_LOCKED(m);
	old = __atomic_exchange_n(pte, 0, __ATOMIC_RELAXED);
	pte_sync_page(old, m);
	if (old & PTE_SW_WIRED)
		pmap_count(&pv->pv_pmap->pm_wired, -1);
	list_remove(&pv->pv_link);
	if (pv == &m->pv_own) {
		pv->pv_pmap = NULL;
		return NULL;
	}
	return pv;
}

/* pte_clear_pv, counted: the entry is gone for good. */
static struct pv_entry *
pmap_remove_pte_pv(pt_entry_t *pte, struct vm_page *m, struct pv_entry *pv)
{
	pmap_count(&pv->pv_pmap->pm_resident, -1);
	table_count(pte, -1);
	return pte_clear_pv(pte, m, pv);
}

/*
 * Remove the mapping at *pte (va in pmap), whatever page it maps, unless
 * a call on that page (pmap_page_protect) removed it first.  Returns its
 * pv entry for the caller to free, or NULL (none removed, or the page's
 * own).  With replaced not NULL, the caller makes the entry valid again
 * at once (pmap_enter): the counts are left as they are if an entry was
 * removed, which *replaced then says.  pm_lock held, so the PTE can only
 * have gone to 0 meanwhile.
 */
static inline __attribute__((always_inline)) struct pv_entry *
pmap_remove_pte(struct pmap *pmap, pt_entry_t *pte, vaddr_t va, bool *replaced)
{
	pt_entry_t e = __atomic_load_n(pte, __ATOMIC_RELAXED);
	struct vm_page *m;
	struct spinlock *pvl;
	struct pv_entry *pv = NULL;

	if (!(e & PTE_V))
		return NULL;	/* gone since the caller looked: no page */
	m = PHYS_TO_VM_PAGE(pte_to_pa(e));
	pvl = pv_lock_of(m);
	spin_lock(pvl);
	if (__atomic_load_n(pte, __ATOMIC_RELAXED) & PTE_V) {
		pv = pv_find(m, pmap, va);
		KASSERT(pv != NULL, "no pv for va %#lx page %#lx", va,
		    VM_PAGE_TO_PHYS(m));
		if (replaced != NULL) {
			*replaced = true;
			pv = pte_clear_pv(pte, m, pv);
		} else {
			pv = pmap_remove_pte_pv(pte, m, pv);
		}
	}
	spin_unlock(pvl);
	return pv;
}

/*
 * Does going from entry old to newpte only add permissions?  Then a stale
 * TLB entry elsewhere can only cause a spurious fault, and that fault's
 * own pmap_enter flushes it there (the privileged spec lets the fence of
 * a permission increase wait for that).
 */
static inline bool
pte_only_gains(pt_entry_t old, pt_entry_t newpte)
{
	return (old & ~newpte & (PTE_R | PTE_W | PTE_X | PTE_USER)) == 0;
}

/* Flush va from this hart's TLB, if pmap is active here: an entry made
 * valid, or one that only gained permissions (see above). */
static inline void
pmap_flush_here(struct pmap *pmap, vaddr_t va)
{
	if (active_here(pmap))
		sfence_va_asid(va, curpcpu()->pc_asid);
}

/*
 * The mapping at *pte already maps m: give it newpte's permissions.
 * Without m's pv lock: m's object lock, which pmap_enter's callers hold,
 * keeps away every page operation (PV_WALK_ASSERT), the only other
 * writers of the entry but the hardware's A/D updates, which the
 * exchange keeps.  Returns pte_only_gains (this hart alone needs a
 * flush then).  pm_lock held.
 */
static inline __attribute__((always_inline)) bool
pmap_update_pte(struct pmap *pmap, pt_entry_t *pte, struct vm_page *m,
    pt_entry_t newpte)
{
	pt_entry_t old = __atomic_exchange_n(pte, newpte, __ATOMIC_RELAXED);

	if ((old ^ newpte) & PTE_SW_WIRED)
		pmap_count(&pmap->pm_wired, (newpte & PTE_SW_WIRED) ? 1 : -1);
	pte_sync_page(old, m);
	return pte_only_gains(old, newpte);
}

/* A new entry at *pte (va in pmap), just installed: counted, and this
 * hart flushed (another that cached the invalid entry faults, and the
 * fault enters it again).  pm_lock held. */
static inline __attribute__((always_inline)) void
pmap_entered(struct pmap *pmap, pt_entry_t *pte, vaddr_t va,
    pt_entry_t newpte)
{
	pmap_count(&pmap->pm_resident, 1);
	if (newpte & PTE_SW_WIRED)
		pmap_count(&pmap->pm_wired, 1);
	table_add(pte);
	pmap_flush_here(pmap, va);
}

/* Is m's own pv entry unused?  A hint, read without the pv lock. */
static inline bool
pv_own_free(struct vm_page *m)
{
	return __atomic_load_n(&m->pv_own.pv_pmap, __ATOMIC_RELAXED) == NULL;
}

/*
 * The rule for pv list walkers: they hold the object lock of the page
 * (which they found through its object or a page queue), so a page that
 * its object's lock holder just allocated and has not mapped yet is out
 * of everyone else's reach (see pte_install's fresh case), and
 * pmap_enter, whose callers hold it too, changes an entry's permissions
 * without the pv lock (pmap_update_pte).  A walker without it would race
 * both.
 */
#define PV_WALK_ASSERT(m) \
	LOCK_ASSERT((m)->object == NULL || vm_page_object_locked(m), \
	    "page %#lx: walked with its object %p unlocked", \
	    VM_PAGE_TO_PHYS(m), (m)->object)

/*
 * Make the empty entry *pte (va in pmap) map m as newpte and record the
 * mapping on m's list, both under m's pv lock, so that a page operation
 * finds the entry and its pv together.  The pv entry is m's own if that
 * is unused, else *spare, which is then taken (*spare = NULL).  Returns
 * false, making no entry, if neither is there.  The caller counts it
 * (resident, wired, its table's valid entries) and invalidates.  pm_lock
 * held.
 *
 * fresh: the caller allocated m, holds its object's lock, and has not
 * mapped it yet (a fault's zero fill or copy).  No one else can reach
 * m's pv list then: its last life's mappings were all removed under the
 * pv lock before it was freed, a page operation needs the object lock
 * (PV_WALK_ASSERT), and another mapping can only be made by a fault or
 * prefault holding it too.  So m's own entry is free and is claimed
 * without the lock; the object lock's release publishes it.
 */
static inline __attribute__((always_inline)) bool
pte_install(struct pmap *pmap, pt_entry_t *pte, vaddr_t va, struct vm_page *m,
    struct pv_entry **spare, pt_entry_t newpte, bool fresh)
{
	struct spinlock *pvl = pv_lock_of(m);
	struct pv_entry *pv = &m->pv_own;

	PMAP_ASSERT_LOCKED(pmap);
	if (fresh) {
		KASSERT(list_empty(&m->pv_list) && pv->pv_pmap == NULL,
		    "fresh page %#lx is mapped", VM_PAGE_TO_PHYS(m));
		LOCK_ASSERT(vm_page_object_locked(m),
		    "fresh page %#lx: object not locked", VM_PAGE_TO_PHYS(m));
		pv->pv_pmap = pmap;
		pv->pv_va = va;
		list_insert_head(&m->pv_list, &pv->pv_link);
		__atomic_store_n(pte, newpte, __ATOMIC_RELAXED);
		return true;
	}
	spin_lock(pvl);
	if (pv->pv_pmap != NULL) {
		pv = *spare;
		if (pv == NULL) {
			spin_unlock(pvl);
			return false;
		}
		*spare = NULL;
	}
	pv->pv_pmap = pmap;
	pv->pv_va = va;
	list_insert_head(&m->pv_list, &pv->pv_link);
	__atomic_store_n(pte, newpte, __ATOMIC_RELAXED);
	spin_unlock(pvl);
	return true;
}

/*
 * pte_install, with a spare pv entry allocated if m's own is taken and
 * there is no spare yet.  False, making no entry, if none can be had.
 * pm_lock held.
 */
static inline __attribute__((always_inline)) bool
pte_install_alloc(struct pmap *pmap, pt_entry_t *pte, vaddr_t va,
    struct vm_page *m, struct pv_entry **spare, pt_entry_t newpte, bool fresh)
{
	return pte_install(pmap, pte, va, m, spare, newpte, fresh) ||
	    ((*spare = pv_alloc()) != NULL &&
	    pte_install(pmap, pte, va, m, spare, newpte, false));
}

/*
 * pmap_enter's work, entered with pm_lock held and pte the slot for va,
 * or NULL if not looked up yet or a table on the way is missing (made
 * here); returns as pmap_enter, with pm_lock released.
 */
static __attribute__((noinline)) int
pmap_enter_locked(struct pmap *pmap, vaddr_t va, struct vm_page *m,
    pt_entry_t newpte, unsigned flags, pt_entry_t *pte)
{
	struct pv_entry *spare = NULL, *old_pv = NULL;
	pt_entry_t old;
	bool replaced;

	if (pte == NULL && (pte = pmap_l0_slot(pmap, va, true)) == NULL) {
		spin_unlock(&pmap->pm_lock);
		return ENOMEM;
	}
	old = __atomic_load_n(pte, __ATOMIC_RELAXED);
	if ((old & PTE_V) && pte_to_pa(old) == VM_PAGE_TO_PHYS(m)) {
		/* Same page: only the permissions change. */
		if (pmap_update_pte(pmap, pte, m, newpte))
			pmap_flush_here(pmap, va);
		else
			pmap_invalidate_page(pmap, va);
		spin_unlock(&pmap->pm_lock);
		return 0;
	}
	if (!pv_own_free(m) && (spare = pv_alloc()) == NULL) {
		spin_unlock(&pmap->pm_lock);
		return ENOMEM;
	}
	/* Another page there (a COW copy's original): its entry goes, still
	 * counted, for the new one.  Unless a call on that page removed it
	 * first: then the new one is counted as new. */
	replaced = false;
	if (__atomic_load_n(pte, __ATOMIC_RELAXED) & PTE_V)
		old_pv = pmap_remove_pte(pmap, pte, va, &replaced);
	/* A spare is allocated here if m's own entry was taken since we
	 * looked (see above). */
	if (!pte_install_alloc(pmap, pte, va, m, &spare, newpte,
	    (flags & PMAP_ENTER_FRESH) != 0)) {
		if (replaced) {
			pmap_count(&pmap->pm_resident, -1);
			table_count(pte, -1);
			pmap_invalidate_page(pmap, va);
		}
		spin_unlock(&pmap->pm_lock);
		pv_free(old_pv);
		return ENOMEM;
	}
	if (replaced) {
		if (newpte & PTE_SW_WIRED)
			pmap_count(&pmap->pm_wired, 1);
		pmap_invalidate_page(pmap, va);
	} else {
		pmap_entered(pmap, pte, va, newpte);
	}
	spin_unlock(&pmap->pm_lock);
	pv_free(old_pv);
	pv_free(spare);
	return 0;
}

/* The PTE pmap_enter's arguments ask for; takes pm_lock. */
static inline __attribute__((always_inline)) pt_entry_t
pmap_enter_begin(struct pmap *pmap, vaddr_t va, struct vm_page *m,
    vm_prot_t prot, unsigned flags)
{
	pt_entry_t newpte;

	KASSERT(va < VM_MAXUSER_ADDRESS && (va & PAGE_MASK) == 0, "bad va %#lx", va);
	LOCK_ASSERT(vm_page_object_locked(m), "page %#lx: object not locked",
	    VM_PAGE_TO_PHYS(m));
	newpte = pa_to_pte(VM_PAGE_TO_PHYS(m), prot_to_pte(prot));
	if (flags & PMAP_ENTER_WIRED)
		newpte |= PTE_SW_WIRED;
	if (flags & PMAP_ENTER_SPECULATIVE)
		newpte &= ~PTE_A;
	spin_lock(&pmap->pm_lock);
	return newpte;
}

/*
 * Map va to page m with protection prot.  Replaces any mapping there.
 * Returns 0, or ENOMEM if a page table or pv entry could not be
 * allocated.  The old mapping, if any, is then left as it was, unless
 * another pmap took m's own pv entry between our look at it and our
 * claim and no memory was left for an entry after all: then the old
 * mapping is gone (a mapping can always be made again by a fault).  The
 * caller (a fault or prefault) holds m's object's lock: it keeps page
 * operations on m away, and every other mapping of m being made.
 */
int
pmap_enter(struct pmap *pmap, vaddr_t va, struct vm_page *m, vm_prot_t prot,
    unsigned flags)
{
	pt_entry_t newpte = pmap_enter_begin(pmap, va, m, prot, flags);
	pt_entry_t *pte = pmap_l0_slot_present(pmap, va), old;

	/*
	 * Here, the common case that calls nothing: the entry maps m already
	 * and only gains permissions (a COW rename, a write after fork), so
	 * only this hart is flushed (pmap_update_pte).  The rest goes on in
	 * pmap_enter_locked.
	 */
	if (pte == NULL)
		return pmap_enter_locked(pmap, va, m, newpte, flags, NULL);
	old = __atomic_load_n(pte, __ATOMIC_RELAXED);
	if (!(old & PTE_V) || pte_to_pa(old) != VM_PAGE_TO_PHYS(m) ||
	    !pte_only_gains(old, newpte))
		return pmap_enter_locked(pmap, va, m, newpte, flags, pte);
	pmap_update_pte(pmap, pte, m, newpte);
	pmap_flush_here(pmap, va);
	spin_unlock(&pmap->pm_lock);
	return 0;
}

/*
 * pmap_enter of a page a zero fill just made (PMAP_ENTER_FRESH), when
 * nothing is mapped at va yet and its tables are there: m's own pv entry
 * is claimed and nothing is called.  Anything else goes on as pmap_enter.
 * A separate entry, so that the other faults do not pay for the look.
 */
int
pmap_enter_fresh(struct pmap *pmap, vaddr_t va, struct vm_page *m,
    vm_prot_t prot, unsigned flags)
{
	pt_entry_t newpte, *pte;

	flags |= PMAP_ENTER_FRESH;
	newpte = pmap_enter_begin(pmap, va, m, prot, flags);
	pte = pmap_l0_slot_present(pmap, va);
	if (__builtin_expect(pte == NULL ||
	    (__atomic_load_n(pte, __ATOMIC_RELAXED) & PTE_V), 0))
		return pmap_enter_locked(pmap, va, m, newpte, flags, pte);
	pte_install(pmap, pte, va, m, NULL, newpte, true);
	pmap_entered(pmap, pte, va, newpte);
	spin_unlock(&pmap->pm_lock);
	return 0;
}

/*
 * Apply fn to every valid leaf in [sva, eva), skipping absent and empty
 * tables in one step and leaving a table once its last leaf was met.
 * Returns how many leaves it visited.  pm_lock held.  Always inlined, so
 * that each caller gets its own loop with fn inlined in it (one call per
 * leaf was a third of a fork's instructions).
 */
static inline __attribute__((always_inline)) uint64_t
pmap_walk_range(struct pmap *pmap, vaddr_t sva, vaddr_t eva,
    void (*fn)(struct pmap *, pt_entry_t *, vaddr_t, void *), void *arg)
{
	uint64_t n = 0;
	vaddr_t va = sva;

	PMAP_ASSERT_LOCKED(pmap);
	while (va < eva) {
		pt_entry_t l2e = pmap->pm_root[pte_index(va, 2)];
		pt_entry_t l1e;

		if (!(l2e & PTE_V)) {
			va = rounddown2(va, L2_SIZE) + L2_SIZE;
			continue;
		}
		l1e = table_of(l2e)[pte_index(va, 1)];
		vaddr_t end = MIN(eva, rounddown2(va, L1_SIZE) + L1_SIZE);
		if (!(l1e & PTE_V)) {
			va = end;
			continue;
		}
		pt_entry_t *l0 = table_of(l1e);
		vaddr_t base = rounddown2(va, L1_SIZE);
		unsigned to = (end - base) >> PAGE_SHIFT;
		uint64_t left = table_entries(l1e);

		/* A dense run costs a load an entry; a gap goes to table_next. */
		for (unsigned k = pte_index(va, 0); k < to && left > 0; k++) {
			if (l0[k] == 0 && (k = table_next(l0, k, to)) == to)
				break;
			fn(pmap, &l0[k], base + ptoa(k), arg);
			n++;
			left--;
		}
		va = end;
	}
	return n;
}

/* After `changed` leaves in [sva, eva) were altered. */
static void
flush_range(struct pmap *pmap, vaddr_t sva, vaddr_t eva, uint64_t changed)
{
	if (changed == 0)
		return;
	if (changed > TLB_RANGE_MAX)
		pmap_invalidate_all(pmap);
	else
		pmap_invalidate_range(pmap, sva, eva);
}

static void
remove_leaf(struct pmap *pmap, pt_entry_t *pte, vaddr_t va, void *arg)
{
	struct list *dead = arg;
	struct pv_entry *pv = pmap_remove_pte(pmap, pte, va, NULL);

	if (pv != NULL)
		list_insert_head(dead, &pv->pv_link);
}

static void
free_pv_list(struct list *dead)
{
	struct list *l;

	while ((l = list_first(dead)) != NULL) {
		list_remove(l);
		pv_free(container_of(l, struct pv_entry, pv_link));
	}
}

/*
 * Remove every mapping in [sva, eva).  An empty pmap (an exiting
 * process's, after pmap_remove_all, as its entries go one by one) is
 * left at once, without its lock: the caller holds the map's lock
 * exclusively, and every pmap_enter into a user pmap holds it at least
 * shared, so no mapping can appear meanwhile.
 */
void
pmap_remove(struct pmap *pmap, vaddr_t sva, vaddr_t eva)
{
	struct list dead = LIST_HEAD_INIT(dead);
	uint64_t n;

	if (__atomic_load_n(&pmap->pm_resident, __ATOMIC_RELAXED) == 0)
		return;
	spin_lock(&pmap->pm_lock);
	n = pmap_walk_range(pmap, sva, eva, remove_leaf, &dead);
	flush_range(pmap, sva, eva, n);
	spin_unlock(&pmap->pm_lock);
	free_pv_list(&dead);
}

static void
protect_leaf(struct pmap *pmap, pt_entry_t *pte, vaddr_t va, void *arg)
{
	/* D stays (see pte_sync_page): nothing to hand on to the page. */
	__atomic_fetch_and(pte, *(pt_entry_t *)arg, __ATOMIC_RELAXED);
}

/*
 * Reduce the permissions of every mapping in [sva, eva) to at most prot;
 * never adds any.  Without read access the mappings are removed.
 */
void
pmap_protect(struct pmap *pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	pt_entry_t keep = ~(pt_entry_t)0;
	uint64_t n;

	if (!(prot & VM_PROT_READ)) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	if (!(prot & VM_PROT_WRITE))
		keep &= ~PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		keep &= ~PTE_X;
	if (keep == ~(pt_entry_t)0)
		return;		/* nothing to take away: no PTE changes */
	spin_lock(&pmap->pm_lock);
	n = pmap_walk_range(pmap, sva, eva, protect_leaf, &keep);
	flush_range(pmap, sva, eva, n);
	spin_unlock(&pmap->pm_lock);
}

/*
 * Remove every user mapping of pmap and free its page tables below the
 * root: the teardown of an address space no hart runs any more, so no TLB
 * holds its entries and nothing is invalidated.  It visits only the
 * tables that exist, each only up to its last valid entry, and leaves the
 * root empty, so the per-entry pmap_remove calls of the map's teardown
 * that follow skip a gigabyte at a time.  A table is freed once its
 * leaves' pv entries are gone, so no lockless walker (pv_pte) can be in
 * it.  Takes and drops pm_lock.
 */
void
pmap_remove_all(struct pmap *pmap)
{
	struct list dead = LIST_HEAD_INIT(dead);

	KASSERT(__atomic_load_n(&pmap->pm_active, __ATOMIC_RELAXED) == 0,
	    "pmap %p still active on harts %#lx", pmap, pmap->pm_active);
	spin_lock(&pmap->pm_lock);
	for (unsigned i = table_next(pmap->pm_root, 0, USER_L2_ENTRIES);
	    i < USER_L2_ENTRIES;
	    i = table_next(pmap->pm_root, i + 1, USER_L2_ENTRIES)) {
		pt_entry_t l2e = pmap->pm_root[i];
		pt_entry_t *l1 = table_of(l2e);

		for (unsigned j = table_next(l1, 0, Ln_ENTRIES); j < Ln_ENTRIES;
		    j = table_next(l1, j + 1, Ln_ENTRIES)) {
			pt_entry_t *l0 = table_of(l1[j]);
			uint64_t left = table_entries(l1[j]);

			for (unsigned k = table_next(l0, 0, Ln_ENTRIES);
			    k < Ln_ENTRIES && left > 0;
			    k = table_next(l0, k + 1, Ln_ENTRIES)) {
				vaddr_t va = ((vaddr_t)i << L2_SHIFT) |
				    ((vaddr_t)j << L1_SHIFT) | ptoa(k);
				struct pv_entry *pv = pmap_remove_pte(pmap, &l0[k],
				    va, NULL);

				if (pv != NULL)
					list_insert_head(&dead, &pv->pv_link);
				left--;
			}
			free_table_page(l1[j]);
			pmap->pm_ptpages--;
		}
		free_table_page(l2e);
		pmap->pm_ptpages--;
		pmap->pm_root[i] = 0;
	}
	spin_unlock(&pmap->pm_lock);
	free_pv_list(&dead);
}

/* The physical address va maps to in pmap, if any. */
bool
pmap_extract(struct pmap *pmap, vaddr_t va, paddr_t *pa)
{
	pt_entry_t *pte;
	bool found = false;

	spin_lock(&pmap->pm_lock);
	pte = pmap_l0_slot(pmap, trunc_page(va), false);
	if (pte != NULL) {
		pt_entry_t e = __atomic_load_n(pte, __ATOMIC_RELAXED);

		if (e & PTE_V) {
			*pa = pte_to_pa(e) | (va & PAGE_MASK);
			found = true;
		}
	}
	spin_unlock(&pmap->pm_lock);
	return found;
}

/*
 * Which of the n pages from va (n <= 64) prefault may map: bit i is set
 * if va + ptoa(i) is unmapped and its leaf table is already there (so
 * mapping it costs no table).  Lockless, as the page operations walk
 * (a table, once there, stays while the pmap lives); pmap_enter_run
 * looks again under pm_lock.  One table walk per leaf table crossed.
 */
uint64_t
pmap_prefaultable_mask(struct pmap *pmap, vaddr_t va, int n)
{
	uint64_t mask = 0;
	int i = 0;

	while (i < n) {
		vaddr_t v = va + ptoa(i);
		int in_table = MIN(n - i, (int)atop(L1_SIZE - (v & (L1_SIZE - 1))));
		pt_entry_t l2e = pmap->pm_root[pte_index(v, 2)], l1e = 0;

		if (l2e & PTE_V)
			l1e = table_of(l2e)[pte_index(v, 1)];
		if (l1e & PTE_V) {
			const pt_entry_t *pte = &table_of(l1e)[pte_index(v, 0)];

			for (int j = 0; j < in_table; j++)
				if (__atomic_load_n(&pte[j], __ATOMIC_RELAXED) == 0)
					mask |= 1ULL << (i + j);
		}
		i += in_table;
	}
	return mask;
}

/*
 * Prefault's mapping of a run: map each run[i].va to run[i].m with
 * run[i].prot where nothing is mapped (an entry made meanwhile is left
 * alone), making the leaf tables missing on the way (prefault's windows
 * never need one: exec's prefault does); the vas ascend.  One pm_lock, one
 * table walk per leaf table and one count update per table for the run;
 * each entry is made under its page's pv lock, as pmap_enter's.  A new
 * entry needs only a local invalidation (see the top).  An entry that
 * finds no pv entry (the page's own is taken and memory is out) is left
 * unmade.  Sets run[i].m to NULL for each entry it did not make;
 * returns how many it made.
 */
int
pmap_enter_run(struct pmap *pmap, struct pmap_run *run, int n)
{
	struct pv_entry *spare = NULL;	/* allocated, not yet used */
	pt_entry_t *table = NULL;	/* leaf table of the previous va */
	vaddr_t table_va = 0;
	uint64_t asid, groups = 0;	/* groups: those marked in table */
	bool here;
	int made = 0, in_table = 0;

	spin_lock(&pmap->pm_lock);
	/* Read with interrupts off (the lock): this thread stays here. */
	asid = curpcpu()->pc_asid;
	here = active_here(pmap);
	for (int i = 0; i < n; i++) {
		vaddr_t va = run[i].va;
		struct vm_page *m = run[i].m;
		pt_entry_t *pte, newpte;

		if (table == NULL || (va & ~(L1_SIZE - 1)) != table_va) {
			if (in_table != 0)
				table_fill(table, in_table, groups);
			in_table = 0;
			groups = 0;
			pte = pmap_l0_slot(pmap, va, true);
			table = pte == NULL ? NULL : pte - pte_index(va, 0);
			table_va = va & ~(L1_SIZE - 1);
		}
		pte = table == NULL ? NULL : &table[pte_index(va, 0)];
		if (pte == NULL || __atomic_load_n(pte, __ATOMIC_RELAXED) != 0) {
			run[i].m = NULL;
			continue;
		}
		newpte = pa_to_pte(VM_PAGE_TO_PHYS(m),
		    prot_to_pte(run[i].prot) & ~PTE_A);
		if (!pte_install_alloc(pmap, pte, va, m, &spare, newpte,
		    run[i].fresh)) {
			run[i].m = NULL;
			continue;
		}
		in_table++;
		groups |= table_group(pte_index(va, 0));
		made++;
		if (here)
			sfence_va_asid(va, asid);
	}
	if (in_table != 0)
		table_fill(table, in_table, groups);
	if (made != 0)
		pmap_count(&pmap->pm_resident, made);
	spin_unlock(&pmap->pm_lock);
	pv_free(spare);
	return made;
}

/*
 * Cheap test for write fault-around: is va mapped without write access?
 * Lockless like pmap_is_prefaultable (a table, once there, stays while
 * the pmap lives); pmap_enter looks again under pm_lock.
 */
bool
pmap_is_mapped_readonly(struct pmap *pmap, vaddr_t va)
{
	pt_entry_t l2e = pmap->pm_root[pte_index(va, 2)];
	pt_entry_t l1e, e;

	if (!(l2e & PTE_V))
		return false;
	l1e = table_of(l2e)[pte_index(va, 1)];
	if (!(l1e & PTE_V))
		return false;
	e = __atomic_load_n(&table_of(l1e)[pte_index(va, 0)], __ATOMIC_RELAXED);
	return (e & (PTE_V | PTE_W)) == PTE_V;
}

/*
 * Give write access to the n pages from va on, each still mapped
 * read-only to ma[i] (write fault-around: the caller found them so
 * without the lock); stops at the first one that is not.  One pm_lock
 * and one invalidation for the run; each entry changes under its page's
 * pv lock, so a page operation making it read-only cannot be undone.
 * Returns how many were made writable.
 */
int
pmap_upgrade_write(struct pmap *pmap, vaddr_t va, struct vm_page **ma, int n)
{
	pt_entry_t *pte = NULL;
	int done;

	spin_lock(&pmap->pm_lock);
	for (done = 0; done < n; done++) {
		vaddr_t v = va + ptoa(done);
		struct vm_page *m = ma[done];
		struct spinlock *pvl = pv_lock_of(m);
		pt_entry_t e;
		bool ok;

		/* Within one leaf table the next slot is the next entry. */
		pte = (pte == NULL || (v & (L1_SIZE - 1)) == 0) ?
		    pmap_l0_slot(pmap, v, false) : pte + 1;
		if (pte == NULL)
			break;
		spin_lock(pvl);
		e = __atomic_load_n(pte, __ATOMIC_RELAXED);
		ok = (e & (PTE_V | PTE_W)) == PTE_V &&
		    pte_to_pa(e) == VM_PAGE_TO_PHYS(m);
		if (ok)
			__atomic_fetch_or(pte, PTE_W | PTE_D, __ATOMIC_RELAXED);
		spin_unlock(pvl);
		if (!ok)
			break;
	}
	if (done > 0)
		pmap_invalidate_range(pmap, va, va + ptoa(done));
	spin_unlock(&pmap->pm_lock);
	return done;
}

uint64_t
pmap_resident_count(struct pmap *pmap)
{
	return __atomic_load_n(&pmap->pm_resident, __ATOMIC_RELAXED);
}

/*
 * The PTE of a mapping, found without the pmap's lock: its page's pv lock
 * is held, so the tables on the way exist (see the top); acquire loads
 * pair with pmap_l0_slot's release stores.
 */
static pt_entry_t *
pv_pte(struct pv_entry *pv)
{
	pt_entry_t *table = pv->pv_pmap->pm_root;

	for (int level = 2; level > 0; level--)
		table = table_of(__atomic_load_n(&table[pte_index(pv->pv_va,
		    level)], __ATOMIC_ACQUIRE));
	return &table[pte_index(pv->pv_va, 0)];
}

/*
 * Lower the protection of every mapping of m: VM_PROT_NONE removes them
 * all, VM_PROT_READ (or READ|EXECUTE) makes them read-only.
 */
void
pmap_page_protect(struct vm_page *m, vm_prot_t prot)
{
	struct list dead = LIST_HEAD_INIT(dead);
	struct spinlock *pvl;
	struct list *l, *next;

	if (prot & VM_PROT_WRITE)
		return;
	PV_WALK_ASSERT(m);
	pvl = pv_lock_of(m);
	spin_lock(pvl);
	for (l = m->pv_list.next; l != &m->pv_list; l = next) {
		struct pv_entry *pv = container_of(l, struct pv_entry, pv_link);
		pt_entry_t *pte = pv_pte(pv);
		struct pmap *pmap = pv->pv_pmap;
		vaddr_t va = pv->pv_va;	/* read first: pv_own is released
					   when its mapping goes */

		next = l->next;
		if (prot == VM_PROT_NONE) {
			if (pmap_remove_pte_pv(pte, m, pv) != NULL)
				list_insert_head(&dead, &pv->pv_link);
		} else {
			pte_sync_page(__atomic_fetch_and(pte, ~(PTE_W | PTE_D),
			    __ATOMIC_RELAXED), m);
		}
		pmap_invalidate_page(pmap, va);
	}
	spin_unlock(pvl);
	free_pv_list(&dead);
}

/* Does any mapping of m have the PTE bit `bit` set? */
static bool
pmap_page_test(struct vm_page *m, pt_entry_t bit)
{
	struct spinlock *pvl = pv_lock_of(m);
	bool set = false;

	PV_WALK_ASSERT(m);
	spin_lock(pvl);
	for (struct list *l = m->pv_list.next; l != &m->pv_list && !set;
	    l = l->next)
		set = (__atomic_load_n(pv_pte(container_of(l, struct pv_entry,
		    pv_link)), __ATOMIC_RELAXED) & bit) != 0;
	spin_unlock(pvl);
	return set;
}

/* Clear `bits` in every mapping of m. */
static void
pmap_page_clear(struct vm_page *m, pt_entry_t bits)
{
	struct spinlock *pvl = pv_lock_of(m);

	PV_WALK_ASSERT(m);
	spin_lock(pvl);
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next) {
		struct pv_entry *pv = container_of(l, struct pv_entry, pv_link);
		pt_entry_t *pte = pv_pte(pv);

		if (__atomic_fetch_and(pte, ~bits, __ATOMIC_RELAXED) & bits)
			pmap_invalidate_page(pv->pv_pmap, pv->pv_va);
	}
	spin_unlock(pvl);
}

bool
pmap_is_modified(struct vm_page *m)
{
	return pmap_page_test(m, PTE_D);
}

/*
 * Forget that m was written.  Write permission goes too, so that hardware
 * without automatic D-bit updates faults on the next write and the fault
 * handler re-enters the mapping with D set.
 */
void
pmap_clear_modify(struct vm_page *m)
{
	pmap_page_clear(m, PTE_D | PTE_W);
}

bool
pmap_is_referenced(struct vm_page *m)
{
	return pmap_page_test(m, PTE_A);
}

void
pmap_clear_reference(struct vm_page *m)
{
	pmap_page_clear(m, PTE_A);
}

int
pmap_page_mapcount(struct vm_page *m)
{
	struct spinlock *pvl = pv_lock_of(m);
	int n = 0;

	spin_lock(pvl);
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next)
		n++;
	spin_unlock(pvl);
	return n;
}
