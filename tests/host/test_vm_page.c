/*
 * Tests of the physical page allocator (vm/vm_page.c) and kmalloc
 * (kern/kern_malloc.c) on a fake RAM: two segments with a gap between
 * them and reserved holes, set up once through physmem (the allocator
 * keeps static state, so there is one vm_page_startup() per process).
 * Every test returns all it takes, and checks that the free page count is
 * back at its baseline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kern/kernel.h"
#include "kern/physmem.h"
#include "tests/host/kernel_host.h"
#include "vm/pmap.h"
#include "vm/vm_page.h"

/*
 * Fake RAM, in pages from RAM_BASE: segment 0 is [0, 1200), segment 1 is
 * [1280, 2048), nothing in between.  Firmware [0, 32), a hole [500, 504)
 * and the DTB [2040, 2048) are reserved.
 */
#define RAM_BASE	0x80000000UL
#define RAM_PAGES	2048
#define SEG0_END	1200
#define SEG1_START	1280
#define HOLE_START	500
#define HOLE_END	504
#define PG(n)		(RAM_BASE + ptoa(n))

static const uint64_t holes[][2] = { { 0, 32 }, { HOLE_START, HOLE_END },
    { 2040, 2048 } };

static struct physmem pm;
static uint64_t avail_at_boot;	/* pages physmem had before startup */
static uint64_t baseline;	/* free pages after startup */
static struct vm_page *pages[RAM_PAGES];
static void *chunks[2 * RAM_PAGES];

static int
setup(void **state)
{
	const struct phys_range ram[] = {
		{ PG(0), PG(SEG0_END) }, { PG(SEG1_START), PG(RAM_PAGES) },
	};

	host_ram_init(RAM_BASE, RAM_PAGES);
	physmem_init(&pm, ram, (int)nitems(ram));
	for (size_t i = 0; i < nitems(holes); i++)
		assert_int_equal(physmem_exclude(&pm, PG(holes[i][0]),
		    PG(holes[i][1])), 0);
	avail_at_boot = physmem_avail_pages(&pm);
	vm_page_startup(&pm);
	baseline = vm_page_free_count();
	return 0;
}

/* Every test ends here: all returned, no lock left held. */
static void
assert_baseline(void)
{
	kmem_drain();	/* kmalloc keeps an idle slab a bucket */
	assert_int_equal(vm_page_free_count(), baseline);
	assert_int_equal(vm_page_stats.v_free_count, baseline);
	assert_int_equal(host_spin_held, 0);
}

static bool
in_ram(uint64_t n)
{
	return n < SEG0_END || (n >= SEG1_START && n < RAM_PAGES);
}

static uint64_t
page_index(const struct vm_page *m)
{
	return atop(VM_PAGE_TO_PHYS(m) - RAM_BASE);
}

static uint8_t *
page_va(const struct vm_page *m)
{
	return (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
}

/* The vm_page of the page holding direct-map address p. */
static struct vm_page *
page_of(const void *p)
{
	return PHYS_TO_VM_PAGE(DMAP_TO_PHYS((vaddr_t)p));
}

static bool
in_hole(uint64_t n)
{
	for (size_t i = 0; i < nitems(holes); i++)
		if (n >= holes[i][0] && n < holes[i][1])
			return true;
	return false;
}

static bool
is_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* Take every free page into pages[]; returns how many. */
static size_t
alloc_all(int flags)
{
	size_t n = 0;
	struct vm_page *m;

	while ((m = vm_page_alloc_nobj(flags)) != NULL) {
		assert_true(n < RAM_PAGES);
		pages[n++] = m;
	}
	return n;
}

static void
free_all(size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pages[i] != NULL)
			vm_page_free(pages[i]);
}

static void
test_counts(void **state)
{
	uint64_t nfree = 0, nresv = 0;
	uint64_t arrays = atop(round_page(SEG0_END * sizeof(struct vm_page))) +
	    atop(round_page((RAM_PAGES - SEG1_START) * sizeof(struct vm_page)));

	assert_int_equal(vm_page_stats.v_page_count,
	    SEG0_END + RAM_PAGES - SEG1_START);
	assert_int_equal(vm_page_stats.v_reserved_count,
	    vm_page_stats.v_page_count - vm_page_stats.v_free_count);
	/* The free pages are what physmem has left after startup's steals. */
	assert_int_equal(baseline, physmem_avail_pages(&pm));
	assert_true(avail_at_boot - baseline >= arrays);
	for (uint64_t n = 0; n < RAM_PAGES; n++) {
		const struct vm_page *m = PHYS_TO_VM_PAGE(PG(n));

		if (!in_ram(n))
			continue;
		nfree += (m->flags & PG_FREE) != 0;
		nresv += (m->flags & PG_RESERVED) != 0;
		assert_true(!(m->flags & PG_FREE) != !(m->flags & PG_RESERVED));
	}
	assert_int_equal(nfree, baseline);
	assert_int_equal(nresv, vm_page_stats.v_reserved_count);
	assert_baseline();
}

static void
test_phys_to_vm_page(void **state)
{
	const uint64_t edges[] = { 0, 1, SEG0_END - 1, SEG1_START,
	    RAM_PAGES - 1 };

	for (size_t i = 0; i < nitems(edges); i++) {
		struct vm_page *m = PHYS_TO_VM_PAGE(PG(edges[i]));

		assert_non_null(m);
		assert_int_equal(VM_PAGE_TO_PHYS(m), PG(edges[i]));
		/* Any address inside the page finds the same vm_page. */
		assert_ptr_equal(PHYS_TO_VM_PAGE(PG(edges[i]) + PAGE_SIZE - 1),
		    m);
		/* The vm_page arrays live in (stolen) RAM themselves. */
		assert_true(host_ram_contains(m, sizeof(*m)));
		assert_true(page_of(m)->flags & PG_RESERVED);
	}
	assert_null(PHYS_TO_VM_PAGE(RAM_BASE - 1));
	assert_null(PHYS_TO_VM_PAGE(0));
	assert_null(PHYS_TO_VM_PAGE(PG(SEG0_END)));	/* the gap */
	assert_null(PHYS_TO_VM_PAGE(PG(SEG1_START) - 1));
	assert_null(PHYS_TO_VM_PAGE(PG(RAM_PAGES)));
	assert_null(PHYS_TO_VM_PAGE(~0UL));
	assert_baseline();
}

static void
test_reserved_holes(void **state)
{
	for (uint64_t n = 0; n < RAM_PAGES; n++) {
		const struct vm_page *m = PHYS_TO_VM_PAGE(PG(n));

		if (in_hole(n)) {
			assert_true(m->flags & PG_RESERVED);
			assert_false(m->flags & PG_FREE);
		}
	}
	assert_int_equal(vm_page_stats.v_reserved_count,
	    vm_page_stats.v_page_count - baseline);
	assert_baseline();
}

static void
test_alloc_until_exhausted(void **state)
{
	static bool seen[RAM_PAGES];
	size_t n = alloc_all(0);

	assert_int_equal(n, baseline);
	assert_int_equal(vm_page_free_count(), 0);
	assert_null(vm_page_alloc_nobj(0));
	assert_null(vm_page_alloc_contig_nobj(1, 0));
	for (size_t i = 0; i < n; i++) {
		uint64_t idx = page_index(pages[i]);

		assert_true(in_ram(idx));
		assert_false(in_hole(idx));
		assert_false(seen[idx]);
		seen[idx] = true;
		assert_false(pages[i]->flags & (PG_FREE | PG_RESERVED));
		assert_ptr_equal(PHYS_TO_VM_PAGE(VM_PAGE_TO_PHYS(pages[i])),
		    pages[i]);
	}
	free_all(n);
	assert_baseline();
}

static void
test_alloc_zero(void **state)
{
	size_t n = alloc_all(0);

	for (size_t i = 0; i < n; i++)
		memset(page_va(pages[i]), 0x5a, PAGE_SIZE);
	free_all(n);
	assert_int_equal(alloc_all(VM_ALLOC_ZERO), n);
	for (size_t i = 0; i < n; i++)
		assert_true(is_zero(page_va(pages[i]), PAGE_SIZE));
	free_all(n);
	assert_baseline();
}

static void
test_pmap_copy_page(void **state)
{
	struct vm_page *src = vm_page_alloc_nobj(0);
	struct vm_page *dst = vm_page_alloc_nobj(VM_ALLOC_ZERO);

	assert_non_null(src);
	assert_non_null(dst);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		page_va(src)[i] = (uint8_t)(i * 7);
	pmap_copy_page(src, dst);
	assert_memory_equal(page_va(src), page_va(dst), PAGE_SIZE);
	vm_page_free(src);
	vm_page_free(dst);
	assert_baseline();
}

/* The index of the lowest free page. */
static uint64_t
lowest_free(void)
{
	for (uint64_t n = 0; n < RAM_PAGES; n++)
		if (in_ram(n) && (PHYS_TO_VM_PAGE(PG(n))->flags & PG_FREE))
			return n;
	fail_msg("no free page");
	return 0;
}

static void
assert_run(struct vm_page *first, uint64_t start, size_t npages)
{
	assert_non_null(first);
	for (size_t j = 0; j < npages; j++) {
		assert_int_equal(VM_PAGE_TO_PHYS(&first[j]), PG(start + j));
		assert_ptr_equal(PHYS_TO_VM_PAGE(PG(start + j)), &first[j]);
		assert_false(first[j].flags & (PG_FREE | PG_RESERVED));
	}
}

static void
test_contig_first_fit(void **state)
{
	uint64_t low = lowest_free();
	size_t big = HOLE_START - low + 1;	/* one more than fits before */
	struct vm_page *m;

	assert_true(low < HOLE_START);
	m = vm_page_alloc_contig_nobj(8, 0);
	assert_run(m, low, 8);
	assert_int_equal(vm_page_free_count(), baseline - 8);
	vm_page_free_contig(m, 8);

	/* The run may not cover the reserved hole: it starts after it. */
	m = vm_page_alloc_contig_nobj(big, VM_ALLOC_ZERO);
	assert_run(m, HOLE_END, big);
	for (size_t j = 0; j < big; j++)
		assert_true(is_zero(page_va(&m[j]), PAGE_SIZE));
	vm_page_free_contig(m, big);

	/* Larger than any segment. */
	assert_null(vm_page_alloc_contig_nobj(SEG0_END, 0));
	assert_baseline();
}

static void
test_contig_fragmented(void **state)
{
	size_t n = alloc_all(0);
	struct vm_page *m;
	uint64_t low;

	/* Free every page with an even index: no two free pages adjoin. */
	for (size_t i = 0; i < n; i++) {
		if (page_index(pages[i]) % 2 == 0) {
			vm_page_free(pages[i]);
			pages[i] = NULL;
		}
	}
	assert_null(vm_page_alloc_contig_nobj(2, 0));
	low = lowest_free();
	assert_int_equal(low % 2, 0);
	/* One page is any free one (from the free queue, no search). */
	m = vm_page_alloc_contig_nobj(1, 0);
	assert_non_null(m);
	assert_int_equal(page_index(m) % 2, 0);
	assert_run(m, page_index(m), 1);
	vm_page_free(m);
	free_all(n);
	assert_baseline();
}

static void
test_contig_within_segment(void **state)
{
	const uint64_t keep[] = { SEG0_END - 2, SEG0_END - 1, SEG1_START,
	    SEG1_START + 1 };
	size_t n = alloc_all(0);
	struct vm_page *m;

	/* Free two pages either side of the gap between the segments. */
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nitems(keep); k++) {
			if (page_index(pages[i]) == keep[k]) {
				vm_page_free(pages[i]);
				pages[i] = NULL;
				break;
			}
		}
	}
	assert_int_equal(vm_page_free_count(), 4);
	assert_null(vm_page_alloc_contig_nobj(3, 0));
	m = vm_page_alloc_contig_nobj(2, 0);
	assert_run(m, SEG0_END - 2, 2);
	vm_page_free_contig(m, 2);
	free_all(n);
	assert_baseline();
}

static void
test_bad_frees_panic(void **state)
{
	struct vm_page *m = vm_page_alloc_nobj(0);

	assert_non_null(m);
	vm_page_free(m);
	expect_assert_failure(vm_page_free(m));
	assert_non_null(strstr(host_panic_msg, "vm_page_free"));
	expect_assert_failure(vm_page_free(PHYS_TO_VM_PAGE(PG(0))));
	expect_assert_failure(vm_page_alloc_contig_nobj(0, 0));
	assert_non_null(strstr(host_panic_msg, "zero pages"));
	assert_baseline();
}

/* --- kmalloc ------------------------------------------------------------ */

static size_t
pow2_at_least(size_t n)
{
	size_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

static void
assert_block(const void *p, size_t size)
{
	size_t align = MIN(pow2_at_least(size), PAGE_SIZE);

	assert_non_null(p);
	assert_int_equal((uintptr_t)p % align, 0);
	assert_true(host_ram_contains(p, size));
}

static void
test_kmalloc_small_sizes(void **state)
{
	const size_t max = 2048;

	for (size_t size = 1; size <= max; size++) {
		chunks[size] = kmalloc(size, 0);
		assert_block(chunks[size], size);
		assert_true(page_of(chunks[size])->flags & PG_SLAB);
		memset(chunks[size], (int)(size & 0xff), size);
	}
	/* No two blocks overlap: each still holds its own pattern. */
	for (size_t size = 1; size <= max; size++)
		for (size_t i = 0; i < size; i++)
			assert_int_equal(((uint8_t *)chunks[size])[i],
			    size & 0xff);
	/* Free odd sizes, then even ones, to mix up the slabs' free lists. */
	for (size_t size = 1; size <= max; size += 2)
		kfree(chunks[size]);
	for (size_t size = 2; size <= max; size += 2)
		kfree(chunks[size]);
	assert_baseline();
}

static void
test_kmalloc_large(void **state)
{
	const size_t sizes[] = { 2049, 4095, 4096, 4097, 5000, 3 * 4096,
	    64 * 1024 + 1 };

	for (size_t i = 0; i < nitems(sizes); i++) {
		size_t npages = atop(round_page(sizes[i]));
		uint8_t *p = kmalloc(sizes[i], 0);

		assert_block(p, sizes[i]);
		assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
		assert_int_equal(vm_page_free_count(), baseline - npages);
		assert_true(page_of(p)->flags & PG_KMEM_LARGE);
		memset(p, 0xc3, sizes[i]);
		kfree(p);
		assert_baseline();
	}
}

static void
test_kmalloc_zero(void **state)
{
	const size_t sizes[] = { 1, 100, 2048, 5000 };

	for (size_t i = 0; i < nitems(sizes); i++) {
		uint8_t *p = kmalloc(sizes[i], 0);

		assert_non_null(p);
		memset(p, 0xee, sizes[i]);
		kfree(p);
		p = kmalloc(sizes[i], M_ZERO);
		assert_non_null(p);
		assert_true(is_zero(p, sizes[i]));
		kfree(p);
	}
	assert_baseline();
}

static void
test_kmalloc_zero_size_and_kfree_null(void **state)
{
	assert_null(kmalloc(0, 0));
	assert_null(kmalloc(0, M_ZERO));
	kfree(NULL);
	assert_baseline();
}

static void
test_slabs_return_to_page_allocator(void **state)
{
	const size_t per_slab = PAGE_SIZE / 16;

	chunks[0] = kmalloc(2048, 0);
	chunks[1] = kmalloc(2048, 0);
	assert_int_equal(vm_page_free_count(), baseline - 1);	/* one slab */
	chunks[2] = kmalloc(2048, 0);
	assert_int_equal(vm_page_free_count(), baseline - 2);
	kfree(chunks[0]);
	kfree(chunks[2]);	/* its slab is all free: kept, idle */
	assert_int_equal(vm_page_free_count(), baseline - 2);
	kfree(chunks[1]);	/* a second all-free slab goes back */
	assert_int_equal(vm_page_free_count(), baseline - 1);
	chunks[0] = kmalloc(2048, 0);	/* from the idle slab */
	assert_int_equal(vm_page_free_count(), baseline - 1);
	kfree(chunks[0]);
	kmem_drain();		/* the idle slab too */
	assert_int_equal(vm_page_free_count(), baseline);

	for (size_t i = 0; i <= per_slab; i++)
		chunks[i] = kmalloc(16, 0);
	assert_int_equal(vm_page_free_count(), baseline - 2);
	for (size_t i = 0; i <= per_slab; i++)
		kfree(chunks[i]);
	assert_int_equal(vm_page_free_count(), baseline - 1);
	assert_baseline();
}

static void
test_kmalloc_exhaustion(void **state)
{
	size_t n = 0;

	while ((chunks[n] = kmalloc(2048, 0)) != NULL) {
		n++;
		assert_true(n < nitems(chunks));
	}
	assert_int_equal(n, 2 * baseline);
	assert_int_equal(vm_page_free_count(), 0);
	assert_null(kmalloc(16, 0));
	assert_null(kmalloc(3 * PAGE_SIZE, M_ZERO));
	for (size_t i = 0; i < n; i++)
		kfree(chunks[i]);
	assert_baseline();
	/* Larger than all RAM, but not so large that the page count wraps. */
	assert_null(kmalloc(ptoa(RAM_PAGES + 1), 0));
	assert_baseline();
}

/* Sizes whose page count would wrap when rounded up. */
static void
test_kmalloc_huge_sizes(void **state)
{
	assert_null(kmalloc(SIZE_MAX, 0));
	assert_null(kmalloc(SIZE_MAX - 100, 0));
	assert_null(kmalloc(SIZE_MAX - PAGE_SIZE + 1, M_ZERO));
	assert_null(kmalloc(SIZE_MAX / 2 + 1, 0));
	assert_baseline();
}

static void
test_kfree_bad_pointers_panic(void **state)
{
	uint8_t *small = kmalloc(32, 0), *large = kmalloc(2 * PAGE_SIZE, 0);
	struct vm_page *m = vm_page_alloc_nobj(0);
	int local;

	assert_non_null(small);
	assert_non_null(large);
	assert_non_null(m);
	expect_assert_failure(kfree(small + 16));
	assert_non_null(strstr(host_panic_msg, "not a chunk start"));
	expect_assert_failure(kfree(large + 8));
	assert_non_null(strstr(host_panic_msg, "not a block start"));
	expect_assert_failure(kfree(large + PAGE_SIZE));
	assert_non_null(strstr(host_panic_msg, "not allocated by kmalloc"));
	expect_assert_failure(kfree(page_va(m)));
	assert_non_null(strstr(host_panic_msg, "not allocated by kmalloc"));
	expect_assert_failure(kfree(&local));
	assert_non_null(strstr(host_panic_msg, "not in the direct map"));
	kfree(small);
	kfree(large);
	vm_page_free(m);
	assert_baseline();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_phys_to_vm_page),
		cmocka_unit_test(test_reserved_holes),
		cmocka_unit_test(test_alloc_until_exhausted),
		cmocka_unit_test(test_alloc_zero),
		cmocka_unit_test(test_pmap_copy_page),
		cmocka_unit_test(test_contig_first_fit),
		cmocka_unit_test(test_contig_fragmented),
		cmocka_unit_test(test_contig_within_segment),
		cmocka_unit_test(test_bad_frees_panic),
		cmocka_unit_test(test_kmalloc_small_sizes),
		cmocka_unit_test(test_kmalloc_large),
		cmocka_unit_test(test_kmalloc_zero),
		cmocka_unit_test(test_kmalloc_zero_size_and_kfree_null),
		cmocka_unit_test(test_slabs_return_to_page_allocator),
		cmocka_unit_test(test_kmalloc_exhaustion),
		cmocka_unit_test(test_kmalloc_huge_sizes),
		cmocka_unit_test(test_kfree_bad_pointers_panic),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
