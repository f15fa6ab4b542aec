/*
 * Machine-dependent pmap entry points used only by arch/ and kern/ boot code.
 */
#ifndef MACHINE_PMAP_MACHDEP_H
#define MACHINE_PMAP_MACHDEP_H

#include "kern/types.h"
#include "machine/pcpu.h"
#include "machine/pte.h"

struct physmem;

void pmap_bootstrap(struct physmem *pm, paddr_t kernel_pa);
void pmap_bootstrap_done(void);
vaddr_t pmap_mapdev(paddr_t pa, psize_t size);
void pmap_kenter(vaddr_t va, paddr_t pa);
paddr_t pmap_kremove(vaddr_t va);
pt_entry_t pmap_kernel_pte(vaddr_t va, int *level);
paddr_t pmap_kernel_root_pa(void);
void pmap_asid_probe(void);

/* TLB invalidation of a user pmap on every hart where it is active. */
struct pmap;
void pmap_invalidate_page(struct pmap *pmap, vaddr_t va);
void pmap_invalidate_range(struct pmap *pmap, vaddr_t sva, vaddr_t eva);
void pmap_invalidate_all(struct pmap *pmap);

/* The same for removed kernel mappings, on the harts given. */
void pmap_kinvalidate(vaddr_t va, vsize_t size, cpumask_t harts);

#endif
