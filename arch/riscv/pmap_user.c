/*
 * Sv39 physical map, part 2: user address spaces.
 *
 * Each pmap has its own root table; its upper half (entries 256..511) is a
 * copy of the kernel's, which never changes after boot, so a trap never
 * switches satp.  Every user mapping of a page is recorded in a pv entry
 * on the page's pv_list (the reverse map), so pmap_page_protect() can
 * write-protect or remove all of them.
 *
 * TLB: a changed or removed PTE is followed by sfence.vma for its address
 * and ASID.  A new PTE gets one too, because the privileged spec allows a
 * hart to cache invalid entries.  Each pmap carries an ASID when the hart
 * implements them (probed at boot); ASIDs are handed out in generations,
 * and running out starts a new generation with a full flush.  Without
 * ASIDs, every activation flushes the whole TLB.
 *
 * Locking: one spin lock, pmap_lock, covers every pmap and every pv_list.
 * It is taken inside the calls below, after any map or object lock, and
 * never held across anything that sleeps.  One lock is simple and right
 * on today's single hart; per-pmap locks are the next step for SMP.
 */
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/list.h"
#include "machine/pcpu.h"
#include "machine/pmap_machdep.h"
#include "machine/pte.h"
#include "machine/riscv.h"
#include "machine/vmparam.h"
#include "vm/pmap.h"
#include "vm/vm_page.h"

#define USER_L2_ENTRIES	(Ln_ENTRIES / 2)	/* root entries below the kernel */
#define PTE_USER	(PTE_V | PTE_U | PTE_A)
#define TLB_RANGE_MAX	64	/* beyond this, flush the whole ASID */

struct pmap {
	pt_entry_t *pm_root;		/* root table, through the direct map */
	paddr_t pm_root_pa;
	uint64_t pm_asid_gen;		/* generation pm_asid belongs to */
	uint16_t pm_asid;
	uint64_t pm_resident;		/* leaf mappings */
	uint64_t pm_wired;		/* wired leaf mappings */
	uint64_t pm_ptpages;		/* page-table pages below the root */
};

struct pv_entry {
	struct list pv_link;		/* on the page's pv_list */
	struct pmap *pv_pmap;
	vaddr_t pv_va;
};

static struct spinlock pmap_lock = SPINLOCK_INIT("pmap");

/*
 * What guards a pmap's tables and counters, and what guards a page's
 * pv_list (the page legend's (p)): pmap_lock, for both.  Checked in
 * WITNESS kernels (LOCK_ASSERT).
 */
#define PMAP_ASSERT_LOCKED(pmap) \
	LOCK_ASSERT(spin_owned(&pmap_lock), "pmap %p: pmap_lock not held", (pmap))
#define PV_ASSERT_LOCKED(m) \
	LOCK_ASSERT(spin_owned(&pmap_lock), "page %#lx: pv lock not held", \
	    VM_PAGE_TO_PHYS(m))
static unsigned asid_bits;
static uint64_t asid_generation = 1;
static uint32_t asid_next = 1;

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

static inline void
tlb_flush_va(struct pmap *pmap, vaddr_t va)
{
	__asm__ volatile("sfence.vma %0, %1" :: "r"(va), "r"((uint64_t)pmap->pm_asid)
	    : "memory");
}

static inline void
tlb_flush_asid(struct pmap *pmap)
{
	__asm__ volatile("sfence.vma zero, %0" :: "r"((uint64_t)pmap->pm_asid)
	    : "memory");
}

static pt_entry_t *
table_of(pt_entry_t pte)
{
	return (pt_entry_t *)PHYS_TO_DMAP(pte_to_pa(pte));
}

/*
 * The level-0 PTE slot for va, or NULL if a table on the way is missing
 * and alloc is false, or cannot be allocated.  pmap_lock held.
 */
static pt_entry_t *
pmap_l0_slot(struct pmap *pmap, vaddr_t va, bool alloc)
{
	pt_entry_t *table = pmap->pm_root;

	PMAP_ASSERT_LOCKED(pmap);
	for (int level = 2; level > 0; level--) {
		pt_entry_t *pte = &table[pte_index(va, level)];

		if (!(*pte & PTE_V)) {
			struct vm_page *m;

			if (!alloc)
				return NULL;
			m = vm_page_alloc_nobj(VM_ALLOC_ZERO);
			if (m == NULL)
				return NULL;
			pmap->pm_ptpages++;
			*pte = pa_to_pte(VM_PAGE_TO_PHYS(m), PTE_V);
		}
		table = table_of(*pte);
	}
	return &table[pte_index(va, 0)];
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
	root = vm_page_alloc_nobj(VM_ALLOC_ZERO);
	if (root == NULL) {
		kfree(pmap);
		return NULL;
	}
	pmap->pm_root_pa = VM_PAGE_TO_PHYS(root);
	pmap->pm_root = (pt_entry_t *)PHYS_TO_DMAP(pmap->pm_root_pa);
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
 * Free a pmap that maps nothing any more (its vm_map was emptied first),
 * with all its page-table pages.  It must not be active on any hart.
 */
void
pmap_destroy(struct pmap *pmap)
{
	KASSERT(pmap->pm_resident == 0, "pmap %p still maps %lu pages", pmap,
	    pmap->pm_resident);
	for (int i = 0; i < USER_L2_ENTRIES; i++) {
		pt_entry_t l2e = pmap->pm_root[i];

		if (!(l2e & PTE_V))
			continue;
		for (int j = 0; j < Ln_ENTRIES; j++) {
			pt_entry_t l1e = table_of(l2e)[j];

			if (l1e & PTE_V) {
				free_table_page(l1e);
				pmap->pm_ptpages--;
			}
		}
		free_table_page(l2e);
		pmap->pm_ptpages--;
	}
	KASSERT(pmap->pm_ptpages == 0, "pmap %p lost %lu table pages", pmap,
	    pmap->pm_ptpages);
	if (pmap->pm_asid != 0)
		tlb_flush_asid(pmap);
	vm_page_free(PHYS_TO_VM_PAGE(pmap->pm_root_pa));
	kfree(pmap);
}

/* Give pmap an ASID of the current generation.  pmap_lock held. */
static void
pmap_assign_asid(struct pmap *pmap)
{
	PMAP_ASSERT_LOCKED(pmap);
	if (asid_bits == 0 || pmap->pm_asid_gen == asid_generation)
		return;
	if (asid_next >= (1U << asid_bits)) {
		asid_generation++;
		asid_next = 1;
		sfence_vma_all();
	}
	pmap->pm_asid = (uint16_t)asid_next++;
	pmap->pm_asid_gen = asid_generation;
}

/* Switch this hart to pmap's address space. */
void
pmap_activate(struct pmap *pmap)
{
	spin_lock(&pmap_lock);
	pmap_assign_asid(pmap);
	csr_write(satp, SATP_MODE_SV39 |
	    ((uint64_t)pmap->pm_asid << SATP_ASID_SHIFT) |
	    (pmap->pm_root_pa >> PAGE_SHIFT));
	if (asid_bits == 0)
		sfence_vma_all();
	spin_unlock(&pmap_lock);
}

/* Switch this hart back to the kernel-only table. */
void
pmap_deactivate(struct pmap *pmap)
{
	csr_write(satp, SATP_MODE_SV39 | (pmap_kernel_root_pa() >> PAGE_SHIFT));
	if (asid_bits == 0)
		sfence_vma_all();
}

static pt_entry_t
prot_to_pte(vm_prot_t prot)
{
	pt_entry_t bits = PTE_USER;

	if (prot & (VM_PROT_READ | VM_PROT_WRITE))
		bits |= PTE_R;
	if (prot & VM_PROT_WRITE)
		bits |= PTE_W | PTE_D;
	if (prot & VM_PROT_EXECUTE)
		bits |= PTE_X;
	return bits;
}

/* The pv entry for (pmap, va) on m, or NULL.  pmap_lock held. */
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

/* Record in m's flags what the hardware noted in the PTE being dropped. */
static void
pte_sync_page(pt_entry_t pte, struct vm_page *m)
{
	if ((pte & (PTE_W | PTE_D)) == (PTE_W | PTE_D))
		m->flags |= PG_DIRTY;
	if (pte & PTE_A)
		m->flags |= PG_REFERENCED;
}

/*
 * Clear the leaf at *pte, which maps page m through pv (in pv->pv_pmap),
 * and take pv off m's list; the caller frees it after dropping pmap_lock.
 */
static void
pmap_remove_pte_pv(pt_entry_t *pte, struct vm_page *m, struct pv_entry *pv)
{
	PMAP_ASSERT_LOCKED(pv->pv_pmap);
	PV_ASSERT_LOCKED(m);
	pte_sync_page(*pte, m);
	if (*pte & PTE_SW_WIRED)
		pv->pv_pmap->pm_wired--;
	*pte = 0;
	pv->pv_pmap->pm_resident--;
	list_remove(&pv->pv_link);
}

/* The same, finding the page and pv entry of (pmap, va) from the PTE. */
static struct pv_entry *
pmap_remove_pte(struct pmap *pmap, pt_entry_t *pte, vaddr_t va)
{
	struct vm_page *m = PHYS_TO_VM_PAGE(pte_to_pa(*pte));
	struct pv_entry *pv = pv_find(m, pmap, va);

	KASSERT(pv != NULL, "no pv for va %#lx page %#lx", va, VM_PAGE_TO_PHYS(m));
	pmap_remove_pte_pv(pte, m, pv);
	return pv;
}

/*
 * Map va to page m with protection prot.  Replaces any mapping there.
 * Returns 0, or ENOMEM if a page table or pv entry could not be
 * allocated (the old mapping, if any, is then left as it was).
 */
int
pmap_enter(struct pmap *pmap, vaddr_t va, struct vm_page *m, vm_prot_t prot,
    unsigned flags)
{
	struct pv_entry *pv = NULL, *old_pv = NULL;
	pt_entry_t *pte, newpte;

	KASSERT(va < VM_MAXUSER_ADDRESS && (va & PAGE_MASK) == 0, "bad va %#lx", va);
	newpte = pa_to_pte(VM_PAGE_TO_PHYS(m), prot_to_pte(prot));
	if (flags & PMAP_ENTER_WIRED)
		newpte |= PTE_SW_WIRED;
	spin_lock(&pmap_lock);
	pte = pmap_l0_slot(pmap, va, true);
	if (pte == NULL) {
		spin_unlock(&pmap_lock);
		return ENOMEM;
	}
	if ((*pte & PTE_V) && pte_to_pa(*pte) == VM_PAGE_TO_PHYS(m)) {
		/* Same page: only the permissions change. */
		if ((*pte ^ newpte) & PTE_SW_WIRED)
			pmap->pm_wired += (newpte & PTE_SW_WIRED) ? 1 : -1;
		pte_sync_page(*pte, m);
		*pte = newpte;
		tlb_flush_va(pmap, va);
		spin_unlock(&pmap_lock);
		return 0;
	}
	pv = kmalloc(sizeof(*pv), 0);
	if (pv == NULL) {
		spin_unlock(&pmap_lock);
		return ENOMEM;
	}
	if (*pte & PTE_V)
		old_pv = pmap_remove_pte(pmap, pte, va);
	pv->pv_pmap = pmap;
	pv->pv_va = va;
	list_insert_head(&m->pv_list, &pv->pv_link);
	pmap->pm_resident++;
	if (newpte & PTE_SW_WIRED)
		pmap->pm_wired++;
	*pte = newpte;
	tlb_flush_va(pmap, va);
	spin_unlock(&pmap_lock);
	kfree(old_pv);
	return 0;
}

/*
 * Apply fn to every valid leaf in [sva, eva), skipping absent tables in
 * one step.  Returns how many leaves it visited.  pmap_lock held.
 */
static uint64_t
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
		if (!(l1e & PTE_V)) {
			va = rounddown2(va, L1_SIZE) + L1_SIZE;
			continue;
		}
		pt_entry_t *l0 = table_of(l1e);
		vaddr_t end = MIN(eva, rounddown2(va, L1_SIZE) + L1_SIZE);

		for (; va < end; va += PAGE_SIZE) {
			pt_entry_t *pte = &l0[pte_index(va, 0)];

			if (*pte & PTE_V) {
				fn(pmap, pte, va, arg);
				n++;
			}
		}
	}
	return n;
}

/*
 * After `changed` leaves in [sva, eva) were altered: flush them page by
 * page, or the whole address space when that is cheaper (many leaves, or
 * a range too long to step through).
 */
static void
flush_range(struct pmap *pmap, vaddr_t sva, vaddr_t eva, uint64_t changed)
{
	if (changed == 0)
		return;
	if (changed > TLB_RANGE_MAX || eva - sva > ptoa(TLB_RANGE_MAX)) {
		tlb_flush_asid(pmap);
		return;
	}
	for (vaddr_t va = sva; va < eva; va += PAGE_SIZE)
		tlb_flush_va(pmap, va);
}

static void
remove_leaf(struct pmap *pmap, pt_entry_t *pte, vaddr_t va, void *arg)
{
	struct list *dead = arg;
	struct pv_entry *pv = pmap_remove_pte(pmap, pte, va);

	list_insert_head(dead, &pv->pv_link);
}

static void
free_pv_list(struct list *dead)
{
	struct list *l;

	while ((l = list_first(dead)) != NULL) {
		list_remove(l);
		kfree(container_of(l, struct pv_entry, pv_link));
	}
}

/* Remove every mapping in [sva, eva). */
void
pmap_remove(struct pmap *pmap, vaddr_t sva, vaddr_t eva)
{
	struct list dead = LIST_HEAD_INIT(dead);
	uint64_t n;

	spin_lock(&pmap_lock);
	n = pmap_walk_range(pmap, sva, eva, remove_leaf, &dead);
	flush_range(pmap, sva, eva, n);
	spin_unlock(&pmap_lock);
	free_pv_list(&dead);
}

static void
protect_leaf(struct pmap *pmap, pt_entry_t *pte, vaddr_t va, void *arg)
{
	pt_entry_t keep = *(pt_entry_t *)arg;

	/*
	 * Taking write access away: the page must remember it was written.
	 * (A clean mapping has nothing to hand on; its accessed bit stays.)
	 */
	if ((*pte & (PTE_W | PTE_D)) == (PTE_W | PTE_D) && !(keep & PTE_W))
		pte_sync_page(*pte, PHYS_TO_VM_PAGE(pte_to_pa(*pte)));
	*pte &= keep;
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
		keep &= ~(PTE_W | PTE_D);
	if (!(prot & VM_PROT_EXECUTE))
		keep &= ~PTE_X;
	spin_lock(&pmap_lock);
	n = pmap_walk_range(pmap, sva, eva, protect_leaf, &keep);
	flush_range(pmap, sva, eva, n);
	spin_unlock(&pmap_lock);
}

/* The physical address va maps to in pmap, if any. */
bool
pmap_extract(struct pmap *pmap, vaddr_t va, paddr_t *pa)
{
	pt_entry_t *pte;
	bool found = false;

	spin_lock(&pmap_lock);
	pte = pmap_l0_slot(pmap, trunc_page(va), false);
	if (pte != NULL && (*pte & PTE_V)) {
		*pa = pte_to_pa(*pte) | (va & PAGE_MASK);
		found = true;
	}
	spin_unlock(&pmap_lock);
	return found;
}

/*
 * Cheap test for prefault: is va unmapped, with its page table already
 * present (so mapping it costs no table allocation)?
 */
bool
pmap_is_prefaultable(struct pmap *pmap, vaddr_t va)
{
	pt_entry_t l2e = pmap->pm_root[pte_index(va, 2)];
	pt_entry_t l1e;

	if (!(l2e & PTE_V))
		return false;
	l1e = table_of(l2e)[pte_index(va, 1)];
	return (l1e & PTE_V) && !(table_of(l1e)[pte_index(va, 0)] & PTE_V);
}

uint64_t
pmap_resident_count(struct pmap *pmap)
{
	return pmap->pm_resident;
}

static pt_entry_t *
pv_pte(struct pv_entry *pv)
{
	return pmap_l0_slot(pv->pv_pmap, pv->pv_va, false);
}

/*
 * Lower the protection of every mapping of m: VM_PROT_NONE removes them
 * all, VM_PROT_READ (or READ|EXECUTE) makes them read-only.
 */
void
pmap_page_protect(struct vm_page *m, vm_prot_t prot)
{
	struct list dead = LIST_HEAD_INIT(dead);
	struct list *l, *next;

	if (prot & VM_PROT_WRITE)
		return;
	spin_lock(&pmap_lock);
	for (l = m->pv_list.next; l != &m->pv_list; l = next) {
		struct pv_entry *pv = container_of(l, struct pv_entry, pv_link);
		pt_entry_t *pte = pv_pte(pv);

		next = l->next;
		if (prot == VM_PROT_NONE) {
			pmap_remove_pte_pv(pte, m, pv);
			list_insert_head(&dead, &pv->pv_link);
		} else {
			pte_sync_page(*pte, m);
			*pte &= ~(PTE_W | PTE_D);
		}
		tlb_flush_va(pv->pv_pmap, pv->pv_va);
	}
	spin_unlock(&pmap_lock);
	free_pv_list(&dead);
}

/* Does any mapping of m have the PTE bit `bit` set? */
static bool
pmap_page_test(struct vm_page *m, pt_entry_t bit)
{
	bool set = false;

	spin_lock(&pmap_lock);
	for (struct list *l = m->pv_list.next; l != &m->pv_list && !set;
	    l = l->next)
		set = (*pv_pte(container_of(l, struct pv_entry, pv_link)) & bit) != 0;
	spin_unlock(&pmap_lock);
	return set;
}

/* Clear `bits` in every mapping of m. */
static void
pmap_page_clear(struct vm_page *m, pt_entry_t bits)
{
	spin_lock(&pmap_lock);
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next) {
		struct pv_entry *pv = container_of(l, struct pv_entry, pv_link);
		pt_entry_t *pte = pv_pte(pv);

		if (*pte & bits) {
			*pte &= ~bits;
			tlb_flush_va(pv->pv_pmap, pv->pv_va);
		}
	}
	spin_unlock(&pmap_lock);
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
	int n = 0;

	spin_lock(&pmap_lock);
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next)
		n++;
	spin_unlock(&pmap_lock);
	return n;
}
