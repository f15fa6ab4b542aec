/*
 * Sv39 page-table entries (RISC-V privileged spec 1.12, section 4.4).
 * Three levels of 512 entries; level 2 is the root.  A leaf may sit at any
 * level: 1 GiB at level 2, 2 MiB at level 1, 4 KiB at level 0.
 */
#ifndef MACHINE_PTE_H
#define MACHINE_PTE_H

#include "kern/types.h"

typedef uint64_t pt_entry_t;

#define PTE_V	(1UL << 0)
#define PTE_R	(1UL << 1)
#define PTE_W	(1UL << 2)
#define PTE_X	(1UL << 3)
#define PTE_U	(1UL << 4)
#define PTE_G	(1UL << 5)
#define PTE_A	(1UL << 6)
#define PTE_D	(1UL << 7)
#define PTE_RWX	(PTE_R | PTE_W | PTE_X)
#define PTE_SW_WIRED	(1UL << 8)	/* RSW bit: the mapping is wired */

#define PTE_PPN_SHIFT	10
#define Ln_ENTRIES	512
#define L2_SHIFT	30
#define L1_SHIFT	21
#define L0_SHIFT	12
#define L2_SIZE		(1UL << L2_SHIFT)
#define L1_SIZE		(1UL << L1_SHIFT)

#define pte_index(va, level) \
	(((uint64_t)(va) >> (L0_SHIFT + 9 * (level))) & (Ln_ENTRIES - 1))

static inline paddr_t
pte_to_pa(pt_entry_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << 12;
}

static inline pt_entry_t
pa_to_pte(paddr_t pa, uint64_t bits)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | bits;
}

/* A valid entry with any of R/W/X set is a leaf; otherwise it points down. */
static inline bool
pte_is_leaf(pt_entry_t pte)
{
	return (pte & PTE_RWX) != 0;
}

#endif
