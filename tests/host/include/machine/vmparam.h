/*
 * Host replacement for arch/riscv/include/machine/vmparam.h.  The page
 * size is the kernel's; the "direct map" maps a fake physical range onto a
 * host buffer (see host_ram_init() in tests/host/kernel_host.h), so vm/
 * code dereferences PHYS_TO_DMAP() addresses exactly as in the kernel.
 */
#ifndef MACHINE_VMPARAM_H
#define MACHINE_VMPARAM_H

#include "kern/types.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

/* The user address space limits vm/vm_mmap.c checks, as in Sv39. */
#define VM_MAXUSER_ADDRESS	0x0000004000000000UL
#define USRSTACK_SIZE		(8UL << 20)
#define MMAP_BASE		0x0000001000000000UL	/* mmap without a hint */

/* Host address of fake physical address 0 (modulo 2^64). */
extern uintptr_t host_dmap_offset;

#define PHYS_TO_DMAP(pa)	((vaddr_t)(pa) + host_dmap_offset)
#define DMAP_TO_PHYS(va)	((paddr_t)(va) - host_dmap_offset)

#endif
