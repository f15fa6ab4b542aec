/*
 * Tests of boot-time physical memory accounting (kern/physmem.c): page
 * rounding in physmem_init, every way physmem_exclude can cut a range,
 * running out of range slots, and physmem_steal's lowest-first contiguous
 * allocation.  Pure range arithmetic: no memory is touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kern/physmem.h"
#include "tests/host/kernel_host.h"
#include "vm/vm_param.h"

#define BASE	0x80000000UL
#define PG(n)	(BASE + ptoa(n))	/* address of page n of RAM */

static void
init_pages(struct physmem *pm, uint64_t first, uint64_t end)
{
	struct phys_range r = { PG(first), PG(end) };

	physmem_init(pm, &r, 1);
}

/* pm's available ranges must be exactly want[0..n), in pages. */
static void
assert_avail(const struct physmem *pm, const uint64_t (*want)[2], int n)
{
	assert_int_equal(pm->navail, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(pm->avail[i].start, PG(want[i][0]));
		assert_int_equal(pm->avail[i].end, PG(want[i][1]));
	}
}

static void
test_init_rounds_to_pages(void **state)
{
	const struct phys_range ram[] = {
		{ BASE + 0x123, BASE + 0x5fff },	/* -> pages 1..5 */
		{ 0x90000000, 0x90000800 },		/* under a page */
		{ 0xa0000fff, 0xa0001001 },		/* no whole page */
		{ 0x88000000, 0x88002000 },		/* aligned */
	};
	struct physmem pm;

	physmem_init(&pm, ram, (int)nitems(ram));
	assert_int_equal(pm.nram, 2);
	assert_int_equal(pm.ram[0].start, BASE + 0x1000);
	assert_int_equal(pm.ram[0].end, BASE + 0x5000);
	assert_int_equal(pm.ram[1].start, 0x88000000);
	assert_int_equal(pm.ram[1].end, 0x88002000);
	assert_int_equal(pm.navail, 2);
	assert_memory_equal(pm.avail, pm.ram, 2 * sizeof(pm.ram[0]));
	assert_int_equal(physmem_avail_pages(&pm), 6);
}

/* The device tree need not list RAM in order; physmem sorts it. */
static void
test_init_sorts_ranges(void **state)
{
	static const uint64_t want[][2] = { { 0, 4 }, { 10, 12 }, { 20, 28 } };
	const struct phys_range ram[] = {
		{ PG(20), PG(28) }, { PG(0), PG(4) }, { PG(10), PG(12) },
	};
	struct physmem pm;

	physmem_init(&pm, ram, (int)nitems(ram));
	assert_int_equal(pm.nram, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pm.ram[i].start, PG(want[i][0]));
		assert_int_equal(pm.ram[i].end, PG(want[i][1]));
	}
	assert_avail(&pm, want, 3);
	/* The lowest range that fits is the lowest address. */
	assert_int_equal(physmem_steal(&pm, 1), PG(0));
	assert_int_equal(physmem_steal(&pm, 4), PG(20));
	assert_int_equal(physmem_steal(&pm, 2), PG(1));
}

static void
test_init_caps_ranges(void **state)
{
	struct phys_range ram[PLAT_MAX_MEM + 2];
	struct physmem pm;

	for (int i = 0; i < (int)nitems(ram); i++)
		ram[i] = (struct phys_range){ PG(10 * i), PG(10 * i + 1) };
	physmem_init(&pm, ram, (int)nitems(ram));
	assert_int_equal(pm.nram, PLAT_MAX_MEM);
	assert_int_equal(pm.navail, PLAT_MAX_MEM);
	assert_int_equal(physmem_avail_pages(&pm), PLAT_MAX_MEM);
}

static void
test_exclude_middle_splits(void **state)
{
	static const uint64_t want[][2] = { { 0, 4 }, { 6, 16 } };
	struct physmem pm;

	init_pages(&pm, 0, 16);
	assert_int_equal(physmem_exclude(&pm, PG(4), PG(6)), 0);
	assert_avail(&pm, want, 2);
	assert_int_equal(physmem_avail_pages(&pm), 14);
	/* RAM itself is unchanged. */
	assert_int_equal(pm.nram, 1);
	assert_int_equal(pm.ram[0].end, PG(16));
}

static void
test_exclude_overlapping_start(void **state)
{
	static const uint64_t want[][2] = { { 3, 16 } };
	struct physmem pm;

	init_pages(&pm, 0, 16);
	assert_int_equal(physmem_exclude(&pm, BASE - ptoa(5), PG(3)), 0);
	assert_avail(&pm, want, 1);
	init_pages(&pm, 0, 16);
	assert_int_equal(physmem_exclude(&pm, PG(0), PG(3)), 0);
	assert_avail(&pm, want, 1);
}

static void
test_exclude_overlapping_end(void **state)
{
	static const uint64_t want[][2] = { { 0, 12 } };
	struct physmem pm;

	init_pages(&pm, 0, 16);
	assert_int_equal(physmem_exclude(&pm, PG(12), PG(40)), 0);
	assert_avail(&pm, want, 1);
	init_pages(&pm, 0, 16);
	assert_int_equal(physmem_exclude(&pm, PG(12), PG(16)), 0);
	assert_avail(&pm, want, 1);
}

static void
test_exclude_whole_range(void **state)
{
	static const uint64_t want[][2] = { { 0, 4 }, { 20, 24 } };
	const struct phys_range ram[] = {
		{ PG(0), PG(4) }, { PG(10), PG(14) }, { PG(20), PG(24) },
	};
	struct physmem pm;

	physmem_init(&pm, ram, 3);
	assert_int_equal(physmem_exclude(&pm, PG(8), PG(16)), 0);
	assert_avail(&pm, want, 2);
	assert_int_equal(physmem_exclude(&pm, PG(0), PG(30)), 0);
	assert_int_equal(pm.navail, 0);
	assert_int_equal(physmem_avail_pages(&pm), 0);
}

static void
test_exclude_disjoint(void **state)
{
	static const uint64_t want[][2] = { { 4, 8 } };
	struct physmem pm;

	init_pages(&pm, 4, 8);
	/* Holes that touch the range's start and end, and one far away. */
	assert_int_equal(physmem_exclude(&pm, PG(0), PG(4)), 0);
	assert_int_equal(physmem_exclude(&pm, PG(8), PG(9)), 0);
	assert_int_equal(physmem_exclude(&pm, 0x1000, 0x2000), 0);
	assert_avail(&pm, want, 1);
}

/* A reversed hole is an error and an empty one a no-op: neither changes pm. */
static void
test_exclude_reversed_and_empty(void **state)
{
	struct physmem pm, before;

	init_pages(&pm, 0, 16);
	before = pm;
	assert_int_equal(physmem_exclude(&pm, PG(6), PG(4)), -1);
	assert_memory_equal(&pm, &before, sizeof(pm));
	assert_int_equal(physmem_exclude(&pm, PG(16), PG(0)), -1);
	assert_memory_equal(&pm, &before, sizeof(pm));
	assert_int_equal(physmem_exclude(&pm, PG(4), PG(4)), 0);
	assert_memory_equal(&pm, &before, sizeof(pm));
	/* Not page aligned: widening must not turn it into a real hole. */
	assert_int_equal(physmem_exclude(&pm, PG(4) + 0x10, PG(4) + 0x10), 0);
	assert_memory_equal(&pm, &before, sizeof(pm));
	assert_int_equal(physmem_avail_pages(&pm), 16);
}

static void
test_exclude_unaligned_widens(void **state)
{
	static const uint64_t want[][2] = { { 0, 1 }, { 3, 16 } };
	struct physmem pm;

	init_pages(&pm, 0, 16);
	/* [1.5 pages, 2 pages + 1) covers pages 1 and 2. */
	assert_int_equal(physmem_exclude(&pm, PG(1) + 0x800, PG(2) + 1), 0);
	assert_avail(&pm, want, 2);
}

static void
test_exclude_spanning_ranges(void **state)
{
	static const uint64_t want[][2] = { { 0, 2 }, { 23, 24 } };
	const struct phys_range ram[] = {
		{ PG(0), PG(4) }, { PG(10), PG(14) }, { PG(20), PG(24) },
	};
	struct physmem pm;

	physmem_init(&pm, ram, 3);
	assert_int_equal(physmem_exclude(&pm, PG(2), PG(23)), 0);
	assert_avail(&pm, want, 2);
}

static void
test_exclude_out_of_slots(void **state)
{
	struct physmem pm;
	uint64_t pages;

	init_pages(&pm, 0, 100);
	for (int i = 1; i < PHYSMEM_MAX_RANGES; i++)
		assert_int_equal(physmem_exclude(&pm, PG(2 * i), PG(2 * i + 1)),
		    0);
	assert_int_equal(pm.navail, PHYSMEM_MAX_RANGES);
	pages = physmem_avail_pages(&pm);

	/* A hole that needs a split fails and is left available. */
	assert_int_equal(physmem_exclude(&pm, PG(80), PG(81)), -1);
	assert_int_equal(pm.navail, PHYSMEM_MAX_RANGES);
	assert_int_equal(physmem_avail_pages(&pm), pages);

	/* Trimming needs no slot; removing a range frees one. */
	assert_int_equal(physmem_exclude(&pm, PG(98), PG(100)), 0);
	assert_int_equal(pm.navail, PHYSMEM_MAX_RANGES);
	assert_int_equal(physmem_exclude(&pm, PG(0), PG(2)), 0);
	assert_int_equal(pm.navail, PHYSMEM_MAX_RANGES - 1);
	assert_int_equal(physmem_exclude(&pm, PG(80), PG(81)), 0);
	assert_int_equal(pm.navail, PHYSMEM_MAX_RANGES);
	assert_int_equal(physmem_avail_pages(&pm), pages - 5);
}

static void
test_steal_lowest_first(void **state)
{
	static const uint64_t want[][2] = { { 21, 32 } };
	const struct phys_range ram[] = {
		{ PG(0), PG(2) }, { PG(16), PG(32) },
	};
	struct physmem pm;

	physmem_init(&pm, ram, 2);
	assert_int_equal(physmem_avail_pages(&pm), 18);
	/* [0, 2) is too short for 4 pages; then exactly right for 2. */
	assert_int_equal(physmem_steal(&pm, 4), PG(16));
	assert_int_equal(physmem_steal(&pm, 2), PG(0));
	assert_int_equal(physmem_steal(&pm, 1), PG(20));
	assert_avail(&pm, want, 1);
	assert_int_equal(physmem_avail_pages(&pm), 11);
}

static void
test_steal_contiguous(void **state)
{
	static const uint64_t want[][2] = {
		{ 0, 3 }, { 4, 10 }, { 19, 20 }, { 30, 64 },
	};
	struct physmem pm;

	init_pages(&pm, 0, 64);
	physmem_exclude(&pm, PG(3), PG(4));
	physmem_exclude(&pm, PG(10), PG(11));
	physmem_exclude(&pm, PG(20), PG(21));
	assert_int_equal(physmem_steal(&pm, 8), PG(11));
	assert_int_equal(physmem_steal(&pm, 9), PG(21));
	assert_avail(&pm, want, 4);
	assert_int_equal(physmem_avail_pages(&pm), 44);
}

static void
test_steal_exhausted_panics(void **state)
{
	struct physmem pm;

	init_pages(&pm, 0, 64);
	physmem_exclude(&pm, PG(32), PG(33));
	expect_assert_failure(physmem_steal(&pm, 33));
	assert_non_null(strstr(host_panic_msg, "no 33 contiguous pages"));
	assert_int_equal(physmem_avail_pages(&pm), 63);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rounds_to_pages),
		cmocka_unit_test(test_init_sorts_ranges),
		cmocka_unit_test(test_init_caps_ranges),
		cmocka_unit_test(test_exclude_middle_splits),
		cmocka_unit_test(test_exclude_overlapping_start),
		cmocka_unit_test(test_exclude_overlapping_end),
		cmocka_unit_test(test_exclude_whole_range),
		cmocka_unit_test(test_exclude_disjoint),
		cmocka_unit_test(test_exclude_reversed_and_empty),
		cmocka_unit_test(test_exclude_unaligned_widens),
		cmocka_unit_test(test_exclude_spanning_ranges),
		cmocka_unit_test(test_exclude_out_of_slots),
		cmocka_unit_test(test_steal_lowest_first),
		cmocka_unit_test(test_steal_contiguous),
		cmocka_unit_test(test_steal_exhausted_panics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
