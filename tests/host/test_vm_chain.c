/*
 * Tests of shadow-chain length under endless fork/write/exit
 * (vm/vm_object.c collapse and bypass, driven by vm/vm_map.c's fork and
 * vm/vm_fault.c's COW): several shapes of process trees run for hundreds
 * of generations while vm_object_chain_stats() is held to a bound, every
 * process's memory is checked against what it wrote, and scenarios built
 * for it show the collapse and the bypass counters move.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/kernel.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_param.h"

#define RAM_PAGES	1024
#define UBASE		0x10000000UL
#define NPAGES		8		/* pages of memory per process */
#define GENERATIONS	500
#define MAX_ALIVE	4		/* children alive at once */

/* A process: its address space and the byte it last wrote to each page. */
struct proc {
	struct vmspace *vm;
	uint8_t val[NPAGES];
};

static uint64_t deepest;	/* longest chain seen in the running test */

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	return 0;
}

static int
setup(void **state)
{
	deepest = 0;
	return 0;
}

static int
teardown(void **state)
{
	vm_host_assert_clean();
	return 0;
}

static uint64_t
depth_now(void)
{
	struct vm_chain_stats cs;

	vm_object_chain_stats(&cs);
	return cs.depth_max;
}

static void
note_depth(void)
{
	deepest = MAX(deepest, depth_now());
}

static vaddr_t
page_va(int page)
{
	return UBASE + ptoa(page) + (vaddr_t)page * 8;
}

static void
proc_write(struct proc *p, int page, uint8_t v)
{
	assert_int_equal(user_write(p->vm, page_va(page), v), KERN_SUCCESS);
	p->val[page] = v;
	note_depth();
}

/* Each page still holds what this process last wrote there. */
static void
proc_check(const struct proc *p)
{
	for (int i = 0; i < NPAGES; i++) {
		uint8_t v;

		assert_int_equal(user_read(p->vm, page_va(i), &v),
		    KERN_SUCCESS);
		if (v != p->val[i])
			fail_msg("page %d reads %#x, want %#x", i, v,
			    p->val[i]);
	}
}

/* A process with NPAGES of private memory, every page written. */
static struct proc *
proc_new(void)
{
	struct proc *p = calloc(1, sizeof(*p));
	vaddr_t addr = UBASE;

	assert_non_null(p);
	p->vm = vmspace_alloc(PAGE_SIZE, 0x4000000000UL);
	assert_non_null(p->vm);
	assert_int_equal(vm_map_find(&p->vm->vm_map, NULL, 0, &addr,
	    ptoa(NPAGES), true, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
	    MAP_COPY_ON_WRITE), KERN_SUCCESS);
	for (int i = 0; i < NPAGES; i++)
		proc_write(p, i, (uint8_t)(0x80 + i));
	return p;
}

static struct proc *
proc_fork(const struct proc *p)
{
	struct proc *c = malloc(sizeof(*c));

	assert_non_null(c);
	*c = *p;
	c->vm = vmspace_fork(p->vm);
	assert_non_null(c->vm);
	note_depth();
	return c;
}

static void
proc_exit(struct proc *p)
{
	proc_check(p);
	vmspace_free(p->vm);
	free(p);
	note_depth();
}

static void
report(const char *shape, uint64_t bound)
{
	print_message("%s: deepest chain %lu over %d generations (bound %lu)\n",
	    shape, deepest, GENERATIONS, bound);
	if (deepest > bound)
		fail_msg("%s: a chain of %lu objects, bound %lu", shape,
		    deepest, bound);
}

/*
 * The shapes with one child at a time.  At each fork the parent's chain
 * is collapsed (the child before it is gone, so the backing object is the
 * parent's alone and merges), leaving one object; the next write pushes
 * one shadow on it.  So two objects is the bound, as in the guest.
 */
#define ONE_CHILD_BOUND	2

static void
test_parent_writes(void **state)
{
	struct proc *p = proc_new();

	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct proc *c = proc_fork(p);

		proc_write(p, gen % NPAGES, (uint8_t)gen);
		proc_check(p);
		proc_exit(c);
	}
	proc_exit(p);
	report("parent writes", ONE_CHILD_BOUND);
}

static void
test_child_writes(void **state)
{
	struct proc *p = proc_new();

	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct proc *c = proc_fork(p);

		proc_write(c, gen % NPAGES, (uint8_t)gen);
		proc_write(c, (gen * 3) % NPAGES, (uint8_t)~gen);
		proc_check(p);
		proc_exit(c);
	}
	proc_exit(p);
	report("child writes", ONE_CHILD_BOUND);
}

static void
test_both_write(void **state)
{
	struct proc *p = proc_new();

	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct proc *c = proc_fork(p);

		proc_write(p, gen % NPAGES, (uint8_t)gen);
		proc_write(c, (gen + 1) % NPAGES, (uint8_t)~gen);
		proc_write(c, gen % NPAGES, (uint8_t)(gen * 7));
		proc_check(c);
		proc_check(p);
		proc_exit(c);
	}
	proc_exit(p);
	report("both write", ONE_CHILD_BOUND);
}

/* The parent exits and its child carries on, generation after generation. */
static void
test_child_outlives_parent(void **state)
{
	struct proc *p = proc_new();

	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct proc *c = proc_fork(p);

		proc_write(c, gen % NPAGES, (uint8_t)gen);
		proc_write(p, (gen + 2) % NPAGES, (uint8_t)~gen);
		proc_exit(p);
		p = c;
	}
	proc_exit(p);
	report("child outlives parent", ONE_CHILD_BOUND);
}

/*
 * MAX_ALIVE children alive at once, the oldest exiting as a new one is
 * forked; everyone writes.  Each live child can pin one level of the
 * parent's chain (its backing object is still shared with that child when
 * the parent forks again), so the bound is one object per child alive
 * plus the parent's own.
 */
static void
test_children_alive(void **state)
{
	struct proc *p, *alive[MAX_ALIVE] = { NULL };

	p = proc_new();
	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct proc **slot = &alive[gen % MAX_ALIVE];

		if (*slot != NULL)
			proc_exit(*slot);
		*slot = proc_fork(p);
		proc_write(p, gen % NPAGES, (uint8_t)gen);
		proc_write(*slot, (gen + 5) % NPAGES, (uint8_t)~gen);
		for (int i = 0; i < MAX_ALIVE; i++)
			if (alive[i] != NULL)
				proc_check(alive[i]);
	}
	for (int i = 0; i < MAX_ALIVE; i++)
		proc_exit(alive[i]);
	proc_exit(p);
	report("children alive", MAX_ALIVE + 1);
}

/*
 * Each generation forks a child, which forks a grandchild; all three
 * write; the child exits first, then the grandchild.  The grandchild's
 * chain is the deepest: its own shadow, over the child's (shared by both
 * at the second fork), over the object the parent shared at the first.
 */
static void
test_grandchildren(void **state)
{
	struct proc *p = proc_new();

	for (int gen = 1; gen <= GENERATIONS; gen++) {
		struct proc *c = proc_fork(p), *g;

		proc_write(c, gen % NPAGES, (uint8_t)gen);
		g = proc_fork(c);
		proc_write(g, (gen + 1) % NPAGES, (uint8_t)~gen);
		proc_write(c, (gen + 2) % NPAGES, (uint8_t)(gen * 3));
		proc_write(p, (gen + 3) % NPAGES, (uint8_t)(gen * 5));
		proc_exit(c);
		proc_write(g, gen % NPAGES, (uint8_t)(gen * 11));
		proc_exit(g);
		proc_check(p);
	}
	proc_exit(p);
	report("grandchildren", 3);
}

/* --- collapse and bypass ------------------------------------------------ */

/*
 * The child exits after the parent wrote: the parent's backing object is
 * its alone now, and the next fork merges it into the parent's shadow.
 */
static void
test_collapse_at_fork(void **state)
{
	struct proc *p = proc_new(), *c;
	struct vm_object_stats st;

	proc_exit(proc_fork(p));
	c = proc_fork(p);
	proc_write(p, 0, 1);
	proc_exit(c);
	assert_int_equal(depth_now(), 2);
	st = vm_object_stats;
	c = proc_fork(p);
	assert_int_equal(vm_object_stats.collapses, st.collapses + 1);
	assert_int_equal(vm_object_stats.bypasses, st.bypasses);
	assert_int_equal(depth_now(), 1);
	assert_int_equal(vm_object_live_count(), 1);
	proc_check(c);
	proc_exit(c);
	proc_exit(p);
}

/*
 * After the child is gone the parent writes a page it never wrote since
 * the fork: renaming it up leaves a small backing object that only the
 * parent sees, which is merged at once, in the fault.
 */
static void
test_collapse_after_cow(void **state)
{
	struct proc *p = proc_new(), *c = proc_fork(p);
	struct vm_object_stats st;

	proc_write(p, 0, 1);
	proc_exit(c);
	st = vm_object_stats;
	proc_write(p, 1, 2);
	assert_int_equal(vm_object_stats.collapses, st.collapses + 1);
	assert_int_equal(depth_now(), 1);
	for (int i = 2; i < NPAGES; i++)
		proc_write(p, i, (uint8_t)i);
	assert_int_equal(vm_object_stats.collapses, st.collapses + 1);
	proc_exit(p);
}

/*
 * The parent rewrites every page while the child still shares the old
 * ones: its shadow then overrides all of the backing object, which the
 * next fork skips even though the child still uses it.
 */
static void
test_bypass_at_fork(void **state)
{
	struct proc *p = proc_new(), *c1 = proc_fork(p), *c2;
	struct vm_object_stats st;

	for (int i = 0; i < NPAGES; i++)
		proc_write(p, i, (uint8_t)(0x40 + i));
	assert_int_equal(depth_now(), 2);
	st = vm_object_stats;
	c2 = proc_fork(p);
	assert_int_equal(vm_object_stats.bypasses, st.bypasses + 1);
	assert_int_equal(vm_object_stats.collapses, st.collapses);
	assert_int_equal(depth_now(), 1);
	assert_int_equal(vm_object_live_count(), 2);
	proc_check(c1);
	proc_check(c2);
	proc_exit(c1);
	proc_exit(c2);
	proc_exit(p);
}

/*
 * The parent's chain is three deep when the middle object's other user
 * exits; the parent's next write merges that object, which has a backing
 * object of its own, and the shadow must then be linked to that one.
 */
static void
test_collapse_with_deeper_backing(void **state)
{
	struct proc *p = proc_new(), *c1, *c2;
	uint64_t collapses;

	c1 = proc_fork(p);
	proc_write(p, 0, 1);
	c2 = proc_fork(p);
	proc_write(p, 1, 2);
	assert_int_equal(depth_now(), 3);
	proc_exit(c2);
	collapses = vm_object_stats.collapses;
	proc_write(p, 0, 3);
	assert_int_equal(vm_object_stats.collapses, collapses + 1);
	assert_int_equal(depth_now(), 2);
	proc_exit(c1);
	proc_exit(p);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parent_writes),
		T(test_child_writes),
		T(test_both_write),
		T(test_child_outlives_parent),
		T(test_children_alive),
		T(test_grandchildren),
		T(test_collapse_at_fork),
		T(test_collapse_after_cow),
		T(test_bypass_at_fork),
		T(test_collapse_with_deeper_backing),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
