/*
 * Zeroing and copying whole pages through the direct map (pagecopy.S),
 * for vm/pmap.h.  Inline: a zero fill and a COW copy call them on every
 * such fault.  The host tests give their own (memset, memcpy).
 */
#ifndef MACHINE_PMAP_PAGE_H
#define MACHINE_PMAP_PAGE_H

#include "machine/vmparam.h"
#include "vm/vm_page.h"

void pagezero(void *dst);
void pagecopy(const void *src, void *dst);

static inline void
pmap_zero_page(struct vm_page *m)
{
	pagezero((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)));
}

static inline void
pmap_copy_page(struct vm_page *src, struct vm_page *dst)
{
	pagecopy((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(src)),
	    (void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(dst)));
}

#endif
