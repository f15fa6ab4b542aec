/*
 * Physical page allocator.  Every page of RAM has a struct vm_page in a
 * per-segment array; free pages sit on one free list, most recently freed
 * first (their cache lines are likeliest to be warm).  Contiguous runs, for
 * DMA rings and large kernel allocations, are found by scanning the array.
 *
 * Locking: vm_page_free_lock protects the free list, PG_FREE and
 * vm_page_stats.  It is a spin lock: allocation never sleeps yet.
 */
#include "vm/vm_page.h"
#include "kern/kernel.h"
#include "kern/physmem.h"
#include "vm/pmap.h"

struct vm_page_seg {
	paddr_t start;
	paddr_t end;
	struct vm_page *pages;
};

static struct vm_page_seg vm_page_segs[PLAT_MAX_MEM];
static int vm_page_nsegs;
static struct list vm_page_freeq = LIST_HEAD_INIT(vm_page_freeq);
static struct spinlock vm_page_free_lock = SPINLOCK_INIT("vm_page_free");
struct vm_page_stats vm_page_stats;

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
			list_insert_tail(&vm_page_freeq, &m->pageq);
			vm_page_stats.v_free_count++;
		}
	}
	vm_page_stats.v_reserved_count = vm_page_stats.v_page_count -
	    vm_page_stats.v_free_count;
}

/* The vm_page of a physical address in RAM; NULL for any other address. */
struct vm_page *
PHYS_TO_VM_PAGE(paddr_t pa)
{
	for (int i = 0; i < vm_page_nsegs; i++) {
		struct vm_page_seg *seg = &vm_page_segs[i];

		if (pa >= seg->start && pa < seg->end)
			return &seg->pages[atop(pa - seg->start)];
	}
	return NULL;
}

/* Caller holds vm_page_free_lock; m is on the free list. */
static void
vm_page_take_free(struct vm_page *m)
{
	KASSERT(spin_owned(&vm_page_free_lock), "free lock not held");
	KASSERT(m->flags & PG_FREE, "page %#lx not free", m->phys_addr);
	list_remove(&m->pageq);
	m->flags &= ~PG_FREE;
	vm_page_stats.v_free_count--;
}

static void
vm_page_prepare(struct vm_page *m, int flags)
{
	if ((flags & VM_ALLOC_ZERO) && !(m->flags & PG_ZERO))
		pmap_zero_page(m);
	m->flags &= ~PG_ZERO;
	memset(&m->u, 0, sizeof(m->u));
}

/*
 * Allocate one page that belongs to no VM object.  Returns NULL when no
 * page is free; never sleeps.  The caller owns the page until it calls
 * vm_page_free().
 */
struct vm_page *
vm_page_alloc_nobj(int flags)
{
	struct vm_page *m = NULL;
	struct list *l;

	spin_lock(&vm_page_free_lock);
	l = list_first(&vm_page_freeq);
	if (l != NULL) {
		m = container_of(l, struct vm_page, pageq);
		vm_page_take_free(m);
	}
	spin_unlock(&vm_page_free_lock);
	if (m != NULL)
		vm_page_prepare(m, flags);
	return m;
}

/* Is [i, i + npages) of seg entirely free?  Caller holds the free lock. */
static bool
seg_run_free(const struct vm_page_seg *seg, size_t i, size_t npages)
{
	for (size_t j = 0; j < npages; j++)
		if (!(seg->pages[i + j].flags & PG_FREE))
			return false;
	return true;
}

/*
 * Allocate npages physically contiguous pages (lowest address first fit).
 * Returns the first page, or NULL if no such run is free.  Free them with
 * vm_page_free_contig() or page by page.
 */
struct vm_page *
vm_page_alloc_contig_nobj(size_t npages, int flags)
{
	struct vm_page *first = NULL;

	KASSERT(npages > 0, "zero pages");
	spin_lock(&vm_page_free_lock);
	for (int s = 0; s < vm_page_nsegs && first == NULL; s++) {
		struct vm_page_seg *seg = &vm_page_segs[s];
		size_t n = atop(seg->end - seg->start);

		for (size_t i = 0; i + npages <= n; i++) {
			if (seg_run_free(seg, i, npages)) {
				first = &seg->pages[i];
				break;
			}
		}
	}
	if (first != NULL)
		for (size_t j = 0; j < npages; j++)
			vm_page_take_free(&first[j]);
	spin_unlock(&vm_page_free_lock);
	if (first != NULL)
		for (size_t j = 0; j < npages; j++)
			vm_page_prepare(&first[j], flags);
	return first;
}

/* Return a page to the free list.  The page must not be free already. */
void
vm_page_free(struct vm_page *m)
{
	KASSERT(!(m->flags & (PG_FREE | PG_RESERVED)),
	    "page %#lx flags %#x", m->phys_addr, m->flags);
	spin_lock(&vm_page_free_lock);
	m->flags = PG_FREE;
	list_insert_head(&vm_page_freeq, &m->pageq);
	vm_page_stats.v_free_count++;
	spin_unlock(&vm_page_free_lock);
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
