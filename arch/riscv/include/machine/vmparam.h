/*
 * Sv39 kernel virtual address layout.
 *
 *   0x0000_0000_0000_0000 .. 0x0000_003f_ffff_ffff   user (256 GiB)
 *   0xffff_ffc0_0000_0000 .. 0xffff_ffdf_ffff_ffff   direct map of physical memory (128 GiB)
 *   0xffff_ffe0_0000_0000 .. 0xffff_ffe0_03ff_ffff   kernel VA arena: device windows
 *   0xffff_ffe0_0400_0000 .. 0xffff_ffe0_3fff_ffff   kernel VA arena: thread stacks
 *   0xffff_ffff_8000_0000 .. 0xffff_ffff_ffff_ffff   kernel image (linked at ..8020_0000)
 *
 * Every kernel region lives in the upper half, whose root page-table
 * entries are created at boot and copied into every user page table.
 */
#ifndef MACHINE_VMPARAM_H
#define MACHINE_VMPARAM_H

#ifdef __ASSEMBLER__
#define _UL(x)		x
#else
#define _UL(x)		x##UL
#endif

#define PAGE_SHIFT	12
#define PAGE_SIZE	(_UL(1) << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

#define VM_MAXUSER_ADDRESS	_UL(0x0000004000000000)

/* Fixed places in every user address space. */
#define SIGCODE_VA		(VM_MAXUSER_ADDRESS - PAGE_SIZE)	/* signal trampoline */
#define USRSTACK		(VM_MAXUSER_ADDRESS - 2 * PAGE_SIZE)	/* stack top */
#define USRSTACK_SIZE		(8UL << 20)
#define ET_DYN_BASE		_UL(0x0000000400000000)	/* static-pie load bias */
#define MMAP_BASE		_UL(0x0000001000000000)	/* mmap without a hint */

#define DMAP_MIN_ADDRESS	_UL(0xffffffc000000000)
#define DMAP_MAX_ADDRESS	_UL(0xffffffe000000000)

#define KVA_MIN_ADDRESS		_UL(0xffffffe000000000)
#define KVA_MAX_ADDRESS		_UL(0xffffffe040000000)
#define KVA_DEV_MAX_ADDRESS	_UL(0xffffffe004000000)
#define KSTACK_MIN_ADDRESS	KVA_DEV_MAX_ADDRESS

#define KSTACK_PAGES		4	/* 16 KiB per thread, below a guard page */

#define KERNEL_IMAGE_VA		_UL(0xffffffff80000000)

#define PHYS_TO_DMAP(pa)	((vaddr_t)(pa) + DMAP_MIN_ADDRESS)
#define DMAP_TO_PHYS(va)	((paddr_t)(va) - DMAP_MIN_ADDRESS)

#endif
