/*
 * The machine-independent interface to the machine-dependent physical map
 * (arch/riscv/pmap.c; tests/host/pmap_stub.c in the host tests).  This
 * header is all that vm/ knows of page tables.
 *
 * A pmap translates one address space's user virtual addresses to pages.
 * It is a cache of what the vm_map and objects say: anything in it may be
 * dropped and re-created by a fault.  Every mapping of a page is recorded
 * in the page's pv_list, so pmap_page_protect() can find them all.
 *
 * Locking: the pmap layer has its own lock, taken inside these calls;
 * callers may hold map and object locks (the pmap lock comes after them).
 */
#ifndef VM_PMAP_H
#define VM_PMAP_H

#include "vm/vm.h"
#include "vm/vm_param.h"

struct pmap;
struct vm_page;

/* One mapping of a prefault run (pmap_enter_run). */
struct pmap_run {
	vaddr_t va;
	struct vm_page *m;
	vm_prot_t prot;
	bool fresh;		/* as PMAP_ENTER_FRESH, for this page */
};

/* pmap_enter flags */
#define PMAP_ENTER_WIRED	0x1	/* count as wired (not pageable) */
#define PMAP_ENTER_SPECULATIVE	0x2	/* prefault: enter it "not yet used"
					   (Sv39: A clear, set by the first
					   access), so that the page's referenced
					   bit tells whether anyone used it */
#define PMAP_ENTER_FRESH	0x4	/* the caller allocated the page and
					   holds its object's lock, and it was
					   never mapped since: its first pv
					   entry needs no pv lock */

struct pmap *pmap_create(void);
void pmap_destroy(struct pmap *pmap);
void pmap_activate(struct pmap *pmap);
void pmap_deactivate(struct pmap *pmap);

int pmap_enter(struct pmap *pmap, vaddr_t va, struct vm_page *m,
    vm_prot_t prot, unsigned flags);
/* pmap_enter of a zero fill's page (PMAP_ENTER_FRESH implied), where
 * nothing is mapped yet: its fast case calls nothing. */
int pmap_enter_fresh(struct pmap *pmap, vaddr_t va, struct vm_page *m,
    vm_prot_t prot, unsigned flags);
void pmap_remove(struct pmap *pmap, vaddr_t sva, vaddr_t eva);
void pmap_remove_all(struct pmap *pmap);
void pmap_pv_cache_drain(void);
void pmap_protect(struct pmap *pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot);
bool pmap_extract(struct pmap *pmap, vaddr_t va, paddr_t *pa);
uint64_t pmap_prefaultable_mask(struct pmap *pmap, vaddr_t va, int n);
int pmap_enter_run(struct pmap *pmap, struct pmap_run *run, int n);
bool pmap_is_mapped_readonly(struct pmap *pmap, vaddr_t va);
int pmap_upgrade_write(struct pmap *pmap, vaddr_t va, struct vm_page **ma,
    int n);
uint64_t pmap_resident_count(struct pmap *pmap);

void pmap_page_protect(struct vm_page *m, vm_prot_t prot);
bool pmap_is_modified(struct vm_page *m);
void pmap_clear_modify(struct vm_page *m);
bool pmap_is_referenced(struct vm_page *m);
void pmap_clear_reference(struct vm_page *m);
int pmap_page_mapcount(struct vm_page *m);

#include "machine/pmap_page.h"	/* pmap_zero_page, pmap_copy_page */

#endif
