/*
 * A software pmap for the host tests (see pmap_stub.h).  It keeps the
 * real pmap's observable behaviour: mappings per (pmap, va) with a
 * protection, a reverse map through each page's pv_list, modified and
 * referenced bits set by accesses, and "page tables" per 2 MiB region that
 * exist once something was mapped there, so pmap_prefaultable_mask() answers
 * as the Sv39 pmap would.  Memory for it comes from the host's malloc, so
 * ASan and LeakSanitizer watch it.
 */
#include <stdlib.h>

#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/list.h"
#include "tests/host/pmap_stub.h"
#include "vm/vm_page.h"

#define REGION_SHIFT	21	/* one level-0 table maps 2 MiB */

struct stub_pte {
	struct list pv_link;		/* on the page's pv_list */
	struct list pmap_link;		/* on the pmap's mapping list */
	struct pmap *pmap;
	vaddr_t va;
	struct vm_page *m;
	vm_prot_t prot;
	bool wired, modified, referenced;
};

struct stub_region {
	struct stub_region *next;
	vaddr_t base;
};

struct pmap {
	struct list mappings;
	struct stub_region *regions;	/* simulated level-0 tables */
	uint64_t resident;
};

static uint64_t live_pmaps;
static uint64_t live_tables;

struct pmap *
pmap_create(void)
{
	struct pmap *pmap = calloc(1, sizeof(*pmap));

	if (pmap == NULL)
		return NULL;
	list_init(&pmap->mappings);
	live_pmaps++;
	return pmap;
}

void
pmap_destroy(struct pmap *pmap)
{
	KASSERT(pmap->resident == 0, "pmap %p still maps %lu pages", pmap,
	    pmap->resident);
	while (pmap->regions != NULL) {
		struct stub_region *r = pmap->regions;

		pmap->regions = r->next;
		free(r);
		live_tables--;
	}
	free(pmap);
	live_pmaps--;
}

void
pmap_activate(struct pmap *pmap)
{
}

void
pmap_deactivate(struct pmap *pmap)
{
}

static bool
region_exists(struct pmap *pmap, vaddr_t va)
{
	for (struct stub_region *r = pmap->regions; r != NULL; r = r->next)
		if (r->base == va >> REGION_SHIFT)
			return true;
	return false;
}

static bool
region_ensure(struct pmap *pmap, vaddr_t va)
{
	struct stub_region *r;

	if (region_exists(pmap, va))
		return true;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return false;
	r->base = va >> REGION_SHIFT;
	r->next = pmap->regions;
	pmap->regions = r;
	live_tables++;
	return true;
}

static struct stub_pte *
pte_find(struct pmap *pmap, vaddr_t va)
{
	for (struct list *l = pmap->mappings.next; l != &pmap->mappings;
	    l = l->next) {
		struct stub_pte *pte = container_of(l, struct stub_pte, pmap_link);

		if (pte->va == va)
			return pte;
	}
	return NULL;
}

static void
pte_sync(struct stub_pte *pte)
{
	if (pte->modified)
		vm_page_aflag_set(pte->m, PGA_DIRTY);
	if (pte->referenced)
		vm_page_aflag_set(pte->m, PGA_REFERENCED);
}

static void
pte_destroy(struct stub_pte *pte)
{
	pte_sync(pte);
	list_remove(&pte->pv_link);
	list_remove(&pte->pmap_link);
	pte->pmap->resident--;
	free(pte);
}

int
pmap_enter(struct pmap *pmap, vaddr_t va, struct vm_page *m, vm_prot_t prot,
    unsigned flags)
{
	struct stub_pte *pte = pte_find(pmap, va);

	KASSERT((va & PAGE_MASK) == 0, "unaligned va %#lx", va);
	if (pte != NULL && pte->m == m) {
		pte->prot = prot;
		pte->wired = (flags & PMAP_ENTER_WIRED) != 0;
		return 0;
	}
	if (!region_ensure(pmap, va))
		return ENOMEM;
	if (pte != NULL)
		pte_destroy(pte);
	pte = calloc(1, sizeof(*pte));
	if (pte == NULL)
		return ENOMEM;
	pte->pmap = pmap;
	pte->va = va;
	pte->m = m;
	pte->prot = prot;
	pte->wired = (flags & PMAP_ENTER_WIRED) != 0;
	list_insert_head(&m->pv_list, &pte->pv_link);
	list_insert_tail(&pmap->mappings, &pte->pmap_link);
	pmap->resident++;
	return 0;
}

/* A zero fill's page, where nothing is mapped yet: checked here. */
int
pmap_enter_fresh(struct pmap *pmap, vaddr_t va, struct vm_page *m,
    vm_prot_t prot, unsigned flags)
{
	KASSERT(pte_find(pmap, va) == NULL, "zero fill at mapped va %#lx", va);
	return pmap_enter(pmap, va, m, prot, flags | PMAP_ENTER_FRESH);
}

void
pmap_remove(struct pmap *pmap, vaddr_t sva, vaddr_t eva)
{
	struct list *l, *next;

	for (l = pmap->mappings.next; l != &pmap->mappings; l = next) {
		struct stub_pte *pte = container_of(l, struct stub_pte, pmap_link);

		next = l->next;
		if (pte->va >= sva && pte->va < eva)
			pte_destroy(pte);
	}
}

void
pmap_remove_all(struct pmap *pmap)
{
	pmap_remove(pmap, 0, ~(vaddr_t)0);
}

void
pmap_protect(struct pmap *pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	if (!(prot & VM_PROT_READ)) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	for (struct list *l = pmap->mappings.next; l != &pmap->mappings;
	    l = l->next) {
		struct stub_pte *pte = container_of(l, struct stub_pte, pmap_link);

		if (pte->va >= sva && pte->va < eva) {
			if (!(prot & VM_PROT_WRITE))
				pte_sync(pte);
			pte->prot &= prot;
		}
	}
}

bool
pmap_extract(struct pmap *pmap, vaddr_t va, paddr_t *pa)
{
	struct stub_pte *pte = pte_find(pmap, trunc_page(va));

	if (pte == NULL)
		return false;
	*pa = VM_PAGE_TO_PHYS(pte->m) | (va & PAGE_MASK);
	return true;
}

bool
pmap_is_mapped_readonly(struct pmap *pmap, vaddr_t va)
{
	struct stub_pte *pte = pte_find(pmap, va);

	return pte != NULL && !(pte->prot & VM_PROT_WRITE);
}

int
pmap_upgrade_write(struct pmap *pmap, vaddr_t va, struct vm_page **ma, int n)
{
	int done;

	for (done = 0; done < n; done++) {
		struct stub_pte *pte = pte_find(pmap, va + ptoa(done));

		if (pte == NULL || pte->m != ma[done] || (pte->prot & VM_PROT_WRITE))
			break;
		pte->prot |= VM_PROT_WRITE;
		pte->modified = true;
	}
	return done;
}

uint64_t
pmap_prefaultable_mask(struct pmap *pmap, vaddr_t va, int n)
{
	uint64_t mask = 0;

	KASSERT(n <= 64, "prefault mask of %d pages", n);
	for (int i = 0; i < n; i++)
		if (region_exists(pmap, va + ptoa(i)) &&
		    pte_find(pmap, va + ptoa(i)) == NULL)
			mask |= 1ULL << i;
	return mask;
}

int
pmap_enter_run(struct pmap *pmap, struct pmap_run *run, int n)
{
	int made = 0;

	for (int i = 0; i < n; i++) {
		if (pte_find(pmap, run[i].va) != NULL ||
		    pmap_enter(pmap, run[i].va, run[i].m, run[i].prot, 0) != 0)
			run[i].m = NULL;
		else
			made++;
	}
	return made;
}

uint64_t
pmap_resident_count(struct pmap *pmap)
{
	return pmap->resident;
}

void
pmap_page_protect(struct vm_page *m, vm_prot_t prot)
{
	struct list *l, *next;

	if (prot & VM_PROT_WRITE)
		return;
	for (l = m->pv_list.next; l != &m->pv_list; l = next) {
		struct stub_pte *pte = container_of(l, struct stub_pte, pv_link);

		next = l->next;
		if (prot == VM_PROT_NONE) {
			pte_destroy(pte);
		} else {
			pte_sync(pte);
			pte->modified = false;
			pte->prot &= ~VM_PROT_WRITE;
		}
	}
}

static bool
page_any(struct vm_page *m, bool modified)
{
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next) {
		struct stub_pte *pte = container_of(l, struct stub_pte, pv_link);

		if (modified ? pte->modified : pte->referenced)
			return true;
	}
	return false;
}

bool
pmap_is_modified(struct vm_page *m)
{
	return page_any(m, true);
}

void
pmap_clear_modify(struct vm_page *m)
{
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next) {
		struct stub_pte *pte = container_of(l, struct stub_pte, pv_link);

		pte->modified = false;
		pte->prot &= ~VM_PROT_WRITE;
	}
}

bool
pmap_is_referenced(struct vm_page *m)
{
	return page_any(m, false);
}

void
pmap_clear_reference(struct vm_page *m)
{
	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next)
		container_of(l, struct stub_pte, pv_link)->referenced = false;
}

int
pmap_page_mapcount(struct vm_page *m)
{
	int n = 0;

	for (struct list *l = m->pv_list.next; l != &m->pv_list; l = l->next)
		n++;
	return n;
}

/*
 * The simulated MMU's translation: the page va maps to, if the mapping
 * allows `access`; records the access in the modified/referenced bits as
 * the hardware's A/D updates would.
 */
bool
pmap_stub_translate(struct pmap *pmap, vaddr_t va, vm_prot_t access,
    struct vm_page **m)
{
	struct stub_pte *pte = pte_find(pmap, trunc_page(va));

	if (pte == NULL || (pte->prot & access) != access)
		return false;
	pte->referenced = true;
	if (access & VM_PROT_WRITE)
		pte->modified = true;
	*m = pte->m;
	return true;
}

uint64_t
pmap_stub_live(void)
{
	return live_pmaps;
}

uint64_t
pmap_stub_tables(void)
{
	return live_tables;
}
