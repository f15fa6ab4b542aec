/*
 * Boot-time accounting of physical memory: the RAM ranges the device tree
 * reports, minus everything that is not ours (firmware, kernel image, DTB).
 * Before the page allocator exists, early consumers (page tables, the
 * vm_page array) steal pages from here; vm_page_startup() then takes over
 * whatever is left.
 */
#ifndef KERN_PHYSMEM_H
#define KERN_PHYSMEM_H

#include "kern/platform.h"

#define PHYSMEM_MAX_RANGES	32

struct physmem {
	struct phys_range ram[PLAT_MAX_MEM];	/* all RAM, page aligned */
	int nram;
	struct phys_range avail[PHYSMEM_MAX_RANGES];	/* free RAM, sorted */
	int navail;
};

void physmem_init(struct physmem *pm, const struct phys_range *ram, int nram);
int physmem_exclude(struct physmem *pm, paddr_t start, paddr_t end);
paddr_t physmem_steal(struct physmem *pm, size_t npages);
uint64_t physmem_avail_pages(const struct physmem *pm);

#endif
