/*
 * The host tests' pmap: the vm/pmap.h interface implemented with plain
 * data structures instead of Sv39 page tables, plus what a simulated MMU
 * needs to translate and to record accesses.
 */
#ifndef TESTS_HOST_PMAP_STUB_H
#define TESTS_HOST_PMAP_STUB_H

#include "vm/pmap.h"

/* Translate va for an access; false if not mapped with the rights needed. */
bool pmap_stub_translate(struct pmap *pmap, vaddr_t va, vm_prot_t access,
    struct vm_page **m);
uint64_t pmap_stub_live(void);		/* pmaps not yet destroyed */
uint64_t pmap_stub_tables(void);	/* simulated page-table pages in use */

#endif
