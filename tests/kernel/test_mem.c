/*
 * In-kernel tests of physical memory: the page allocator, kmalloc and the
 * kernel page table (direct map and W^X image mapping), checked against
 * the real Sv39 tables and by provoking faults through the probe routines.
 */
#include "kern/errno.h"
#include "kern/ktest.h"
#include "machine/machdep.h"
#include "machine/pmap_machdep.h"
#include "vm/vm_page.h"

extern char _kernel_start[], _etext[], _erodata[], _kernel_end[];

KTEST(page_alloc_free_counts, 0)
{
	struct vm_page *pages[64];
	uint64_t before = vm_page_free_count();

	for (int i = 0; i < 64; i++) {
		pages[i] = vm_page_alloc_nobj(0);
		KT_ASSERT(pages[i] != NULL);
		KT_ASSERT(!(pages[i]->flags & (PG_FREE | PG_RESERVED)));
	}
	KT_EQ(vm_page_free_count(), before - 64);
	for (int i = 0; i < 64; i++)
		vm_page_free(pages[i]);
	KT_EQ(vm_page_free_count(), before);
}

KTEST(page_alloc_zero, 0)
{
	struct vm_page *m = vm_page_alloc_nobj(0);
	uint64_t *p;

	KT_ASSERT(m != NULL);
	p = (uint64_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	memset(p, 0xa5, PAGE_SIZE);
	vm_page_free(m);
	/* The free list is LIFO: we get the dirtied page back, zeroed. */
	m = vm_page_alloc_nobj(VM_ALLOC_ZERO);
	KT_ASSERT(m != NULL);
	p = (uint64_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	for (size_t i = 0; i < PAGE_SIZE / 8; i++)
		KT_EQ(p[i], 0);
	vm_page_free(m);
}

KTEST(page_alloc_contig, 0)
{
	struct vm_page *m = vm_page_alloc_contig_nobj(16, VM_ALLOC_ZERO);

	KT_ASSERT(m != NULL);
	for (int i = 1; i < 16; i++)
		KT_EQ(VM_PAGE_TO_PHYS(&m[i]), VM_PAGE_TO_PHYS(m) + ptoa(i));
	KT_ASSERT(PHYS_TO_VM_PAGE(VM_PAGE_TO_PHYS(m) + ptoa(3)) == &m[3]);
	vm_page_free_contig(m, 16);
}

KTEST(kmalloc_sizes_and_reuse, 0)
{
	static const size_t sizes[] = { 1, 8, 16, 17, 100, 512, 2048, 2049,
	    4096, 10000 };
	void *p[nitems(sizes)];

	for (size_t i = 0; i < nitems(sizes); i++) {
		p[i] = kmalloc(sizes[i], M_ZERO);
		KT_ASSERT(p[i] != NULL);
		for (size_t j = 0; j < sizes[i]; j++)
			KT_EQ(((uint8_t *)p[i])[j], 0);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	/* No two allocations overlap: each still holds its own pattern. */
	for (size_t i = 0; i < nitems(sizes); i++)
		for (size_t j = 0; j < sizes[i]; j++)
			KT_EQ(((uint8_t *)p[i])[j], i + 1);
	for (size_t i = 0; i < nitems(sizes); i++)
		kfree(p[i]);
	kfree(NULL);
	KT_ASSERT(kmalloc(0, 0) == NULL);
}

/*
 * Many small chunks span several slabs; freeing them returns the pages
 * but one, kept idle for the bucket's next allocation until kmem_drain.
 */
KTEST(kmalloc_returns_slabs, 0)
{
	enum { N = 600 };
	void **p = kmalloc(N * sizeof(void *), 0);
	uint64_t before;

	KT_ASSERT(p != NULL);
	kmem_drain();
	before = vm_page_free_count();
	for (int i = 0; i < N; i++) {
		p[i] = kmalloc(64, 0);
		KT_ASSERT(p[i] != NULL);
		KT_EQ((uintptr_t)p[i] & 63, 0);
	}
	KT_ASSERT(vm_page_free_count() <= before - N * 64 / PAGE_SIZE);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	KT_EQ(vm_page_free_count(), before - 1);
	kmem_drain();
	KT_EQ(vm_page_free_count(), before);
	kfree(p);
}

static bool
pte_has(vaddr_t va, uint64_t want, uint64_t forbid)
{
	int level;
	pt_entry_t pte = pmap_kernel_pte(va, &level);

	return (pte & PTE_V) && (pte & want) == want && (pte & forbid) == 0;
}

KTEST(kernel_map_wx, 0)
{
	static const uint64_t rodata_word = 1;

	KT_ASSERT(pte_has((vaddr_t)_kernel_start, PTE_R | PTE_X | PTE_G, PTE_W | PTE_U));
	KT_ASSERT(pte_has((vaddr_t)&rodata_word, PTE_R, PTE_W | PTE_X | PTE_U));
	KT_ASSERT(pte_has((vaddr_t)&vm_page_stats, PTE_R | PTE_W, PTE_X | PTE_U));
	KT_ASSERT(pte_has((vaddr_t)_kernel_end - 1, PTE_R | PTE_W, PTE_X | PTE_U));
	KT_ASSERT((vaddr_t)_etext % PAGE_SIZE == 0);
	KT_ASSERT((vaddr_t)_erodata % PAGE_SIZE == 0);
	/* Writing rodata must fault, not succeed. */
	KT_EQ(probe_store64((volatile uint64_t *)&rodata_word, 2), EFAULT);
	KT_EQ(rodata_word, 1);
}

/* The direct map covers RAM read/write but never executable. */
KTEST(direct_map_nx, 0)
{
	struct vm_page *m = vm_page_alloc_nobj(0);
	volatile uint32_t *code;
	uint64_t v;

	KT_ASSERT(m != NULL);
	code = (volatile uint32_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	KT_ASSERT(pte_has((vaddr_t)code, PTE_R | PTE_W | PTE_G, PTE_X | PTE_U));
	code[0] = 0x00008067;		/* ret */
	__asm__ volatile("fence.i" ::: "memory");
	KT_EQ(probe_exec((void (*)(void))(uintptr_t)code), EFAULT);
	KT_EQ(probe_load64((volatile uint64_t *)code, &v), 0);
	vm_page_free(m);
}

/* Unmapped kernel addresses fault cleanly through the probe routines. */
KTEST(probe_catches_faults, 0)
{
	uint64_t v = 7;

	KT_EQ(probe_load64((volatile uint64_t *)0x10, &v), EFAULT);
	KT_EQ(v, 7);
	KT_EQ(probe_store64((volatile uint64_t *)(KVA_MAX_ADDRESS - 8), 1), EFAULT);
	KT_EQ(probe_load64((volatile uint64_t *)&v, &v), 0);
}
