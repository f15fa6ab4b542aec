/*
 * Sv39 physical map.
 *
 * Part 1, the kernel page table.
 *
 * pmap_bootstrap() replaces locore's gigapage boot table with the real
 * kernel table:
 *   - the direct map: all RAM, read/write, never executable, with the
 *     largest pages alignment allows;
 *   - the kernel image with 4 KiB pages and W^X: text R-X, rodata R--,
 *     data and bss RW-;
 *   - the level-1 table of the kernel VA arena (device windows now), so
 *     that every root entry of the upper half exists from boot on and can
 *     be copied into user page tables that will never need updating.
 *
 * Page-table pages come from physmem_steal() until the vm_page allocator
 * runs (pmap_bootstrap_done()), then from vm_page_alloc_nobj().
 */
#include "kern/kernel.h"
#include "kern/physmem.h"
#include "machine/machdep.h"
#include "machine/pmap_machdep.h"
#include "machine/riscv.h"
#include "machine/vmparam.h"
#include "vm/pmap.h"
#include "vm/vm_page.h"

extern char _kernel_start[], _etext[], _erodata[], _kernel_end[];

#define PTE_KERN	(PTE_V | PTE_G | PTE_A | PTE_D)

static pt_entry_t *kernel_root;
static paddr_t kernel_root_pa;
static struct physmem *boot_physmem;	/* NULL once vm_page owns memory */
static vaddr_t kva_next = KVA_MIN_ADDRESS;
static struct spinlock kva_lock = SPINLOCK_INIT("kva");

/* A zeroed page for a page table; returns its physical address. */
static paddr_t
pt_page_alloc(void)
{
	paddr_t pa;

	if (boot_physmem != NULL) {
		pa = physmem_steal(boot_physmem, 1);
		memset((void *)PHYS_TO_DMAP(pa), 0, PAGE_SIZE);
		return pa;
	}
	struct vm_page *m = vm_page_alloc_nobj(VM_ALLOC_ZERO);

	if (m == NULL)
		panic("pt_page_alloc: out of memory for kernel page tables");
	return VM_PAGE_TO_PHYS(m);
}

/*
 * The entry for va at `level` in the kernel table, creating the tables
 * above it as needed.  Panics if a larger leaf already covers va.
 */
static pt_entry_t *
kernel_pte_slot(vaddr_t va, int level)
{
	pt_entry_t *table = kernel_root;

	for (int l = 2; l > level; l--) {
		pt_entry_t *pte = &table[pte_index(va, l)];

		if (!(*pte & PTE_V))
			*pte = pa_to_pte(pt_page_alloc(), PTE_V);
		else if (pte_is_leaf(*pte))
			panic("kernel_pte_slot: va %#lx already mapped at level %d",
			    va, l);
		table = (pt_entry_t *)PHYS_TO_DMAP(pte_to_pa(*pte));
	}
	return &table[pte_index(va, level)];
}

/* Map [va, va+len) to [pa, pa+len) with the largest pages that fit. */
static void
kernel_map_range(vaddr_t va, paddr_t pa, psize_t len, uint64_t prot)
{
	while (len > 0) {
		int level = 0;

		if (((va | pa) & (L2_SIZE - 1)) == 0 && len >= L2_SIZE)
			level = 2;
		else if (((va | pa) & (L1_SIZE - 1)) == 0 && len >= L1_SIZE)
			level = 1;
		psize_t step = 1UL << (L0_SHIFT + 9 * level);

		*kernel_pte_slot(va, level) = pa_to_pte(pa, prot | PTE_KERN);
		va += step;
		pa += step;
		len -= step;
	}
}

static void
map_image_section(char *start, char *end, paddr_t kernel_pa, uint64_t prot)
{
	vaddr_t va = (vaddr_t)start;

	kernel_map_range(va, kernel_pa + (va - (vaddr_t)_kernel_start),
	    (vaddr_t)end - va, prot);
}

/*
 * Build the kernel page table and switch to it.  kernel_pa is the physical
 * address of _kernel_start.  Called once, on the boot hart, while locore's
 * boot table is active (its direct map covers the RAM we touch here).
 */
void
pmap_bootstrap(struct physmem *pm, paddr_t kernel_pa)
{
	boot_physmem = pm;
	kernel_root_pa = pt_page_alloc();
	kernel_root = (pt_entry_t *)PHYS_TO_DMAP(kernel_root_pa);

	for (int i = 0; i < pm->nram; i++)
		kernel_map_range(PHYS_TO_DMAP(pm->ram[i].start), pm->ram[i].start,
		    pm->ram[i].end - pm->ram[i].start, PTE_R | PTE_W);

	map_image_section(_kernel_start, _etext, kernel_pa, PTE_R | PTE_X);
	map_image_section(_etext, _erodata, kernel_pa, PTE_R);
	map_image_section(_erodata, _kernel_end, kernel_pa, PTE_R | PTE_W);

	/* The arena's level-1 table, so its root entry never changes. */
	kernel_pte_slot(KVA_MIN_ADDRESS, 1);

	csr_write(satp, SATP_MODE_SV39 | (kernel_root_pa >> PAGE_SHIFT));
	sfence_vma_all();
}

/* The vm_page allocator is up: take page-table pages from it from now on. */
void
pmap_bootstrap_done(void)
{
	boot_physmem = NULL;
}

/*
 * Map a device's registers at [pa, pa+size) into the kernel VA arena,
 * read/write and not executable.  Returns the virtual address of pa.
 * Windows are never unmapped: devices stay attached for the kernel's life.
 */
vaddr_t
pmap_mapdev(paddr_t pa, psize_t size)
{
	paddr_t start = trunc_page(pa);
	psize_t len = round_page(pa + size) - start;
	vaddr_t va;

	spin_lock(&kva_lock);
	va = kva_next;
	if (va + len > KVA_DEV_MAX_ADDRESS)
		panic("pmap_mapdev: device window arena exhausted");
	kva_next += len;
	spin_unlock(&kva_lock);

	for (psize_t off = 0; off < len; off += PAGE_SIZE)
		*kernel_pte_slot(va + off, 0) =
		    pa_to_pte(start + off, PTE_R | PTE_W | PTE_KERN);
	sfence_vma_all();
	return va + (pa - start);
}

/*
 * Map one kernel page at va (in the KVA arena), read/write, not
 * executable.  Flushed here only: a hart that may have cached an invalid
 * entry for va flushes it before use (kstack_first_use).
 */
void
pmap_kenter(vaddr_t va, paddr_t pa)
{
	spin_lock(&kva_lock);
	*kernel_pte_slot(va, 0) = pa_to_pte(pa, PTE_R | PTE_W | PTE_KERN);
	spin_unlock(&kva_lock);
	__asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
}

/*
 * After pmap_kremove of [va, va+size): the same on the other harts in
 * harts, those that may hold the old translations.  A removed page may be
 * reused only after this.
 */
void
pmap_kinvalidate(vaddr_t va, vsize_t size, cpumask_t harts)
{
	cpu_remote_sfence(harts & ~CPUMASK(curcpu_id()), va, size);
}

/*
 * Unmap the kernel page at va; returns the physical page it mapped.  The
 * caller frees it only after pmap_kinvalidate.
 */
paddr_t
pmap_kremove(vaddr_t va)
{
	pt_entry_t *pte;
	paddr_t pa;

	spin_lock(&kva_lock);
	pte = kernel_pte_slot(va, 0);
	pa = pte_to_pa(*pte);
	*pte = 0;
	spin_unlock(&kva_lock);
	__asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
	return pa;
}

/*
 * The leaf entry that maps va in the kernel table (0 if none) and, in
 * *level, the level it sits at.  For tests and diagnostics.
 */
pt_entry_t
pmap_kernel_pte(vaddr_t va, int *level)
{
	pt_entry_t *table = kernel_root;

	for (int l = 2; l >= 0; l--) {
		pt_entry_t pte = table[pte_index(va, l)];

		if (!(pte & PTE_V))
			return 0;
		if (pte_is_leaf(pte)) {
			*level = l;
			return pte;
		}
		table = (pt_entry_t *)PHYS_TO_DMAP(pte_to_pa(pte));
	}
	return 0;
}

paddr_t
pmap_kernel_root_pa(void)
{
	return kernel_root_pa;
}

