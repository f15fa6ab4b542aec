/*
 * Tests of the page-fault handler (vm/vm_fault.c) and of the map calls
 * around it (vm/vm_map.c), one case per test, on the stub pmap through the
 * simulated MMU (vm_host.c).  Each fault case checks the exact change of
 * every VM counter; each map call's error paths check their return codes
 * and that nothing changed.  Every test frees what it made, and the
 * teardown checks that pages, objects and pmaps are all back.
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
#include "tests/host/pmap_stub.h"
#include "tests/host/vm_host.h"
#include "vm/pmap.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_radix.h"

#define RAM_PAGES	1024
#define UMIN		PAGE_SIZE
#define UMAX		0x4000000000UL
#define UBASE		VM_HOST_UBASE
#define VA(i)		(UBASE + ptoa(i))
#define RW		(VM_PROT_READ | VM_PROT_WRITE)

static struct vm_fault_tunables saved_tunables;
static struct vmmeter before;

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	saved_tunables = vm_fault_tunables;
	return 0;
}

/* Faults map only the page asked for, unless a test turns prefault on. */
static int
setup(void **state)
{
	vm_fault_tunables = saved_tunables;
	vm_fault_tunables.prefault_ahead = 0;
	vm_fault_tunables.prefault_behind = 0;
	vm_fault_tunables.prefault_upgrade = 0;
	return 0;
}

static int
teardown(void **state)
{
	vm_fault_tunables = saved_tunables;
	vm_host_assert_clean();
	return 0;
}

static void
prefault_on(void)
{
	vm_fault_tunables.prefault_ahead = saved_tunables.prefault_ahead;
	vm_fault_tunables.prefault_behind = saved_tunables.prefault_behind;
}

/* A new address space with npages of private anonymous memory at UBASE. */
static struct vmspace *
space(int npages)
{
	return vm_host_space(npages);
}

static struct vmspace *
fork_of(struct vmspace *vm)
{
	struct vmspace *child = vmspace_fork(vm);

	assert_non_null(child);
	return child;
}

/*
 * fork_of, with the child's entries given a fresh entry's prefault state
 * instead of fork's cold start: for the tests of prefault over the chain
 * a fork builds (test_prefault_fork_child_starts_cold has the cold start).
 */
static struct vmspace *
warm_fork_of(struct vmspace *vm)
{
	struct vmspace *child = fork_of(vm);
	struct vm_map *map = &child->vm_map;

	for (struct vm_map_entry *e = map->header.next; e != &map->header;
	    e = e->next) {
		assert_int_equal(e->pf_window, VM_PREFAULT_COLD);
		e->pf_window = 0;
	}
	return child;
}

static void
poke(struct vmspace *vm, int page, uint8_t byte)
{
	assert_int_equal(user_write(vm, VA(page) + page, byte), KERN_SUCCESS);
}

static uint8_t
peek(struct vmspace *vm, int page)
{
	uint8_t byte;

	assert_int_equal(user_read(vm, VA(page) + page, &byte), KERN_SUCCESS);
	return byte;
}

static void
poke_range(struct vmspace *vm, int first, int end)
{
	for (int i = first; i < end; i++)
		poke(vm, i, (uint8_t)(i + 1));
}

static bool
mapped(struct vmspace *vm, int page)
{
	paddr_t pa;

	return pmap_extract(vm->vm_pmap, VA(page), &pa);
}

static paddr_t
phys(struct vmspace *vm, int page)
{
	paddr_t pa = 0;

	assert_true(pmap_extract(vm->vm_pmap, VA(page), &pa));
	return pa;
}

/* Does the pmap let a write through without a fault? */
static bool
writable(struct vmspace *vm, int page)
{
	struct vm_page *m;

	return pmap_stub_translate(vm->vm_pmap, VA(page), VM_PROT_WRITE, &m);
}

static struct vm_map_entry *
entry_at(struct vmspace *vm, vaddr_t va)
{
	struct vm_map_entry *entry;
	bool found;

	vm_map_lock_read(&vm->vm_map);
	found = vm_map_lookup_entry(&vm->vm_map, va, &entry);
	vm_map_unlock_read(&vm->vm_map);
	assert_true(found);
	return entry;
}

static struct vm_object *
object_at(struct vmspace *vm, int page)
{
	return entry_at(vm, VA(page))->object;
}

static void
meter_start(void)
{
	vm_meter_sum(&before);
}

#define METER_FIELD(f)	{ #f, offsetof(struct vmmeter, f) }

/*
 * Every counter moved by exactly what want says since meter_start().
 * v_prefault_attempts is not compared: vm_fault.c does not count it.
 */
static void
assert_meter(const struct vmmeter *want)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		METER_FIELD(v_vm_faults), METER_FIELD(v_io_faults),
		METER_FIELD(v_cow_faults), METER_FIELD(v_cow_optim),
		METER_FIELD(v_zfod),
		METER_FIELD(v_intrans), METER_FIELD(v_forks),
		METER_FIELD(v_vforks), METER_FIELD(v_forkpages),
		METER_FIELD(v_prefault_mapped), METER_FIELD(v_prefault_zeroed),
		METER_FIELD(v_prefault_upgraded),
		METER_FIELD(v_vnodein), METER_FIELD(v_vnodepgsin),
		METER_FIELD(v_vnodeout), METER_FIELD(v_vnodepgsout),
	};
	struct vmmeter d;

	vm_meter_delta(&before, &d);
	for (size_t i = 0; i < nitems(fields); i++) {
		uint64_t got = *(uint64_t *)((char *)&d + fields[i].off);
		uint64_t exp = *(const uint64_t *)((const char *)want +
		    fields[i].off);

		if (got != exp)
			fail_msg("%s moved by %lu, want %lu", fields[i].name,
			    got, exp);
	}
}

/* --- fault cases -------------------------------------------------------- */

static void
test_zero_fill(void **state)
{
	struct vmspace *vm = space(4);
	uint8_t buf[PAGE_SIZE];

	meter_start();
	poke(vm, 0, 0x5a);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_zfod = 1 });
	assert_int_equal(peek(vm, 0), 0x5a);	/* mapped now: no fault */
	assert_int_equal(user_read_page(vm, VA(1), buf), KERN_SUCCESS);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(buf[i], 0);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 2, .v_zfod = 2 });
	assert_true(writable(vm, 1));	/* private memory is mapped RW */
	assert_int_equal(pmap_resident_count(vm->vm_pmap), 2);
	vmspace_free(vm);
}

static void
test_entry_without_object_gets_one(void **state)
{
	struct vmspace *vm = space(4);
	struct vm_object *object;

	assert_null(object_at(vm, 0));
	assert_int_equal(vm_object_live_count(), 0);
	meter_start();
	assert_int_equal(peek(vm, 2), 0);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_zfod = 1 });
	object = object_at(vm, 0);
	assert_non_null(object);
	assert_int_equal(vm_object_live_count(), 1);
	assert_int_equal(object->type, OBJT_ANON);
	assert_int_equal(object->size, 4);
	assert_int_equal(object->ref_count, 1);
	assert_null(object->backing_object);
	assert_int_equal(object->resident_page_count, 1);
	vm_object_lock(object);
	assert_non_null(vm_page_lookup(object, 2));
	vm_object_unlock(object);
	vmspace_free(vm);
}

static void
test_read_after_fork_maps_lower_page_read_only(void **state)
{
	struct vmspace *parent = space(4), *child;

	poke(parent, 0, 1);
	child = fork_of(parent);
	meter_start();
	assert_int_equal(peek(parent, 0), 1);	/* still mapped to read */
	assert_meter(&(struct vmmeter){ 0 });
	assert_int_equal(peek(child, 0), 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1 });
	assert_int_equal(phys(child, 0), phys(parent, 0));
	assert_false(writable(child, 0));
	assert_false(writable(parent, 0));
	assert_true(entry_at(child, UBASE)->eflags & MAP_ENTRY_NEEDS_COPY);
	assert_ptr_equal(object_at(child, 0), object_at(parent, 0));
	vmspace_free(child);
	vmspace_free(parent);
}

static void
test_cow_copy(void **state)
{
	struct vmspace *parent = space(4), *child;
	uint64_t shadows = vm_object_stats.shadows;

	poke(parent, 0, 1);
	child = fork_of(parent);
	meter_start();
	poke(child, 0, 2);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_cow_faults = 1 });
	assert_int_equal(vm_object_stats.shadows, shadows + 1);
	assert_int_equal(peek(child, 0), 2);
	assert_int_equal(peek(parent, 0), 1);
	assert_int_not_equal(phys(child, 0), phys(parent, 0));
	assert_ptr_equal(object_at(child, 0)->backing_object,
	    object_at(parent, 0));
	vmspace_free(child);
	assert_int_equal(peek(parent, 0), 1);
	vmspace_free(parent);
}

/*
 * The parent writes page 0 while the child lives (a copy: the page is
 * shared), then, after the child is gone, page 1: nobody else can see the
 * backing object now, so the page moves up without a copy.
 */
static void
cow_after_child_exit(bool rename)
{
	struct vmspace *parent = space(4), *child;
	uint64_t collapses = vm_object_stats.collapses;
	paddr_t old;

	vm_fault_tunables.cow_rename = rename;
	poke_range(parent, 0, 2);
	child = fork_of(parent);
	poke(parent, 0, 0x10);
	vmspace_free(child);
	assert_int_equal(peek(parent, 1), 2);
	old = phys(parent, 1);
	assert_int_equal(vm_object_live_count(), 2);
	meter_start();
	poke(parent, 1, 0x11);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_cow_faults = 1,
	    .v_cow_optim = rename ? 1 : 0 });
	if (rename)
		assert_int_equal(phys(parent, 1), old);
	else
		assert_int_not_equal(phys(parent, 1), old);
	/* The backing object was small enough to merge right away. */
	assert_int_equal(vm_object_stats.collapses, collapses + 1);
	assert_int_equal(vm_object_live_count(), 1);
	assert_null(object_at(parent, 0)->backing_object);
	assert_int_equal(object_at(parent, 0)->resident_page_count, 2);
	assert_int_equal(peek(parent, 0), 0x10);
	assert_int_equal(peek(parent, 1), 0x11);
	vmspace_free(parent);
}

static void
test_cow_rename(void **state)
{
	cow_after_child_exit(true);
}

static void
test_cow_rename_disabled_copies(void **state)
{
	cow_after_child_exit(false);
}

/*
 * Write fault-around: the parent rewrites its memory after its child
 * exited.  The first write makes the read-only neighbours of the same
 * object writable in place (within the window, each way); the next
 * writes take no fault.
 */
static void
test_write_fault_around_after_child_exit(void **state)
{
	struct vmspace *parent = space(8), *child;

	vm_fault_tunables.prefault_upgrade = 4;
	poke_range(parent, 0, 8);
	child = fork_of(parent);
	vmspace_free(child);
	meter_start();
	poke(parent, 3, 0x23);
	/* 4..7 ahead, 2..0 behind: seven neighbours, no copy, no shadow. */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_prefault_upgraded = 7 });
	assert_null(object_at(parent, 0)->backing_object);
	meter_start();
	for (int i = 0; i < 8; i++)
		if (i != 3)
			poke(parent, i, (uint8_t)(0x20 + i));
	assert_meter(&(struct vmmeter){ .v_vm_faults = 0 });
	for (int i = 0; i < 8; i++)
		assert_int_equal(peek(parent, i), 0x20 + i);
	vmspace_free(parent);
}

/*
 * With the child alive nothing may be upgraded: the parent's write copies
 * (or shadows) and the child keeps the bytes it had.  Turned off, the
 * tunable upgrades nothing either.
 */
static void
test_write_fault_around_not_while_shared(void **state)
{
	struct vmspace *parent = space(8), *child;

	vm_fault_tunables.prefault_upgrade = 4;
	poke_range(parent, 0, 8);
	child = fork_of(parent);
	meter_start();
	poke(parent, 3, 0x23);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_cow_faults = 1 });
	for (int i = 0; i < 8; i++)
		if (i != 3)
			poke(parent, i, (uint8_t)(0x20 + i));
	for (int i = 0; i < 8; i++) {
		assert_int_equal(peek(child, i), i + 1);
		assert_int_equal(peek(parent, i), 0x20 + i);
	}
	vmspace_free(child);

	vm_fault_tunables.prefault_upgrade = 0;
	child = fork_of(parent);
	vmspace_free(child);
	meter_start();
	poke(parent, 3, 0x33);
	poke(parent, 4, 0x34);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 2 });
	vmspace_free(parent);
}

static void
test_needs_copy_shadow_on_first_write(void **state)
{
	struct vmspace *parent = space(4), *child;
	struct vm_object *shared, *shadow;
	uint64_t shadows = vm_object_stats.shadows;

	poke_range(parent, 0, 2);
	child = fork_of(parent);
	shared = object_at(parent, 0);
	assert_ptr_equal(object_at(child, 0), shared);
	assert_int_equal(shared->ref_count, 2);
	assert_false(shared->flags & OBJ_ONEMAPPING);
	assert_true(entry_at(parent, UBASE)->eflags & MAP_ENTRY_NEEDS_COPY);

	meter_start();
	poke(parent, 1, 0x21);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_cow_faults = 1 });
	shadow = object_at(parent, 0);
	assert_ptr_not_equal(shadow, shared);
	assert_ptr_equal(shadow->backing_object, shared);
	assert_int_equal(shadow->backing_object_offset, 0);
	assert_int_equal(shadow->size, 4);
	assert_int_equal(vm_object_chain_depth(shadow), 2);
	assert_int_equal(vm_object_stats.shadows, shadows + 1);
	assert_false(entry_at(parent, UBASE)->eflags & MAP_ENTRY_NEEDS_COPY);
	assert_int_equal(shared->shadow_count, 1);
	assert_int_equal(shared->ref_count, 2);

	/* A read before the copy fills the shared object; no shadow. */
	assert_int_equal(peek(child, 3), 0);
	assert_int_equal(vm_object_stats.shadows, shadows + 1);
	assert_true(entry_at(child, UBASE)->eflags & MAP_ENTRY_NEEDS_COPY);
	assert_int_equal(shared->resident_page_count, 3);
	vmspace_free(child);
	vmspace_free(parent);
}

/*
 * After fork the parent's pages are mapped read-only; once the child is
 * gone the object is unshared again, so a write needs neither a shadow
 * nor a copy: the page is in the first object already.
 */
static void
test_write_to_first_object_page_mapped_read_only(void **state)
{
	struct vmspace *parent = space(4);
	uint64_t skips = vm_object_stats.shadow_skips;
	struct vm_object *object;
	paddr_t pa;

	poke(parent, 0, 1);
	object = object_at(parent, 0);
	pa = phys(parent, 0);
	vmspace_free(fork_of(parent));
	assert_false(writable(parent, 0));
	meter_start();
	poke(parent, 0, 2);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1 });
	assert_int_equal(vm_object_stats.shadow_skips, skips + 1);
	assert_ptr_equal(object_at(parent, 0), object);
	assert_false(entry_at(parent, UBASE)->eflags & MAP_ENTRY_NEEDS_COPY);
	assert_int_equal(phys(parent, 0), pa);
	assert_int_equal(peek(parent, 0), 2);
	vmspace_free(parent);
}

/*
 * MADV_DONTNEED on private memory: the range reads back as zeros, its
 * pages are freed at once when only this mapping can see them, and a
 * child's discard leaves its parent's pages alone.
 */
static void
test_madvise_dontneed(void **state)
{
	struct vmspace *parent = space(8), *child;
	struct vm_object *object;

	poke_range(parent, 0, 8);
	object = object_at(parent, 0);
	assert_int_equal(vm_map_madvise(&parent->vm_map, VA(2), VA(5),
	    VM_ADVICE_DONTNEED), KERN_SUCCESS);
	assert_int_equal(object->resident_page_count, 5);
	assert_null(object_at(parent, 3));
	for (int i = 0; i < 8; i++)
		assert_int_equal(peek(parent, i), i >= 2 && i < 5 ? 0 : i + 1);
	child = fork_of(parent);
	assert_int_equal(vm_map_madvise(&child->vm_map, VA(0), VA(8),
	    VM_ADVICE_DONTNEED), KERN_SUCCESS);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(peek(child, i), 0);
		assert_int_equal(peek(parent, i), i >= 2 && i < 5 ? 0 : i + 1);
	}
	assert_int_equal(object->resident_page_count, 5);
	vmspace_free(child);
	vmspace_free(parent);
}

/* --- prefault ----------------------------------------------------------- */

static void
test_prefault_maps_resident_neighbours(void **state)
{
	struct vmspace *parent = space(16), *child;

	poke_range(parent, 0, 16);
	child = warm_fork_of(parent);
	prefault_on();
	meter_start();
	assert_int_equal(peek(child, 8), 9);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1,
	    .v_prefault_mapped = 8 });
	for (int i = 4; i <= 12; i++) {
		assert_int_equal(peek(child, i), i + 1);
		assert_false(writable(child, i));	/* shared: read-only */
	}
	assert_false(mapped(child, 3));
	assert_false(mapped(child, 13));
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1,
	    .v_prefault_mapped = 8 });
	vmspace_free(child);
	vmspace_free(parent);
}

/*
 * Zero-filled pages are made only ahead of a sequential fault: not at an
 * entry's first fault, then ahead of the next one just past it, in the
 * doubled window; at the end of the entry there is nothing ahead.
 */
static void
test_prefault_zero_fills_ahead_only(void **state)
{
	struct vmspace *vm = space(16);

	prefault_on();
	meter_start();
	poke(vm, 5, 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_zfod = 1 });
	assert_false(mapped(vm, 6));
	poke(vm, 6, 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 2, .v_zfod = 2,
	    .v_prefault_zeroed = 8 });
	for (int i = 1; i <= 4; i++)
		assert_false(mapped(vm, i));
	for (int i = 7; i <= 14; i++) {
		assert_true(writable(vm, i));
		assert_int_equal(peek(vm, i), 0);
	}
	assert_false(mapped(vm, 15));
	poke(vm, 15, 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 3, .v_zfod = 3,
	    .v_prefault_zeroed = 8 });
	assert_int_equal(pmap_resident_count(vm->vm_pmap), 11);
	vmspace_free(vm);
}

/*
 * The window grows while faults follow each other (4, 8, 16 ahead) and
 * falls back to vm.prefault_ahead, with pages behind, when one jumps.
 */
static void
test_prefault_window_adapts(void **state)
{
	struct vmspace *parent = space(64), *child;

	poke_range(parent, 0, 64);
	child = warm_fork_of(parent);
	prefault_on();
	meter_start();
	assert_int_equal(peek(child, 0), 1);		/* first: 4 ahead */
	assert_int_equal(peek(child, 5), 6);		/* sequential: 8 */
	assert_int_equal(peek(child, 14), 15);		/* sequential: 16 */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 3,
	    .v_prefault_mapped = 4 + 8 + 16 });
	assert_true(mapped(child, 30));
	assert_false(mapped(child, 31));
	assert_int_equal(peek(child, 50), 51);		/* a jump: 4 and 4 */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 4,
	    .v_prefault_mapped = 28 + 8 });
	assert_true(mapped(child, 46) && mapped(child, 54));
	assert_false(mapped(child, 45) || mapped(child, 55));
	vmspace_free(child);
	vmspace_free(parent);
}

/*
 * A forked child's inherited entries start cold: a fault far from the
 * entry's last maps nothing around it; one within vm.prefault_ahead (4)
 * pages of it, either way, warms the entry with the usual window (4
 * ahead, 4 behind), and from there it adapts as any entry.  The
 * parent's entries are not cold.
 */
static void
test_prefault_fork_child_starts_cold(void **state)
{
	struct vmspace *parent = space(64), *child;

	poke_range(parent, 0, 64);
	child = fork_of(parent);
	assert_int_not_equal(entry_at(parent, UBASE)->pf_window,
	    VM_PREFAULT_COLD);
	assert_int_equal(entry_at(child, UBASE)->pf_window, VM_PREFAULT_COLD);
	prefault_on();
	meter_start();
	assert_int_equal(peek(child, 20), 21);
	assert_int_equal(peek(child, 40), 41);		/* far: still cold */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 2 });
	assert_false(mapped(child, 19) || mapped(child, 21) ||
	    mapped(child, 39) || mapped(child, 41));
	assert_int_equal(peek(child, 37), 38);		/* near, below: warm */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 3,
	    .v_prefault_mapped = 4 + 3 });	/* 33..36, and 38, 39, 41 */
	assert_true(mapped(child, 33) && mapped(child, 41));
	assert_false(mapped(child, 32) || mapped(child, 42));
	assert_int_equal(peek(child, 42), 43);		/* sequential: 8 */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 4,
	    .v_prefault_mapped = 7 + 8 });
	assert_true(mapped(child, 50));
	assert_false(mapped(child, 51));
	vmspace_free(child);
	vmspace_free(parent);
}

static void
test_prefault_zero_tunable_off(void **state)
{
	struct vmspace *vm = space(16);

	prefault_on();
	vm_fault_tunables.prefault_zero = false;
	meter_start();
	poke(vm, 5, 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_zfod = 1 });
	assert_false(mapped(vm, 6));
	vmspace_free(vm);
}

static void
test_prefault_advice_random(void **state)
{
	struct vmspace *parent = space(16), *child;

	prefault_on();
	assert_int_equal(vm_map_madvise(&parent->vm_map, UBASE, VA(16),
	    VM_ADVICE_RANDOM), KERN_SUCCESS);
	meter_start();
	poke(parent, 4, 1);
	poke(parent, 6, 1);
	poke(parent, 5, 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 3, .v_zfod = 3 });
	child = fork_of(parent);	/* inherits the advice */
	assert_int_equal(entry_at(child, UBASE)->advice, VM_ADVICE_RANDOM);
	meter_start();
	assert_int_equal(peek(child, 5), 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1 });
	assert_false(mapped(child, 4));
	assert_false(mapped(child, 6));
	vmspace_free(child);
	vmspace_free(parent);
}

static void
test_prefault_advice_sequential(void **state)
{
	struct vmspace *parent = space(32), *child;

	poke_range(parent, 0, 32);
	child = fork_of(parent);
	prefault_on();
	assert_int_equal(vm_map_madvise(&child->vm_map, UBASE, VA(32),
	    VM_ADVICE_SEQUENTIAL), KERN_SUCCESS);
	meter_start();
	assert_int_equal(peek(child, 10), 11);
	/* The largest window ahead at once, nothing behind. */
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1,
	    .v_prefault_mapped = VM_PREFAULT_MAX });
	for (int i = 11; i <= 10 + VM_PREFAULT_MAX; i++)
		assert_true(mapped(child, i));
	assert_false(mapped(child, 11 + VM_PREFAULT_MAX));
	for (int i = 6; i <= 9; i++)
		assert_false(mapped(child, i));
	vmspace_free(child);
	vmspace_free(parent);

	parent = space(32);
	assert_int_equal(vm_map_madvise(&parent->vm_map, UBASE, VA(32),
	    VM_ADVICE_SEQUENTIAL), KERN_SUCCESS);
	meter_start();
	poke(parent, 10, 1);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_zfod = 1,
	    .v_prefault_zeroed = VM_PREFAULT_MAX });
	vmspace_free(parent);
}

/*
 * The stub pmap, like Sv39, has a page-table page per 2 MiB; prefault
 * only fills slots of tables that exist, so it stops at the boundary of
 * the faulting page's table.
 */
static void
test_prefault_stops_at_page_table_boundary(void **state)
{
	const vaddr_t boundary = 0x20000000UL;
	struct vmspace *vm = vmspace_alloc(UMIN, UMAX);
	vaddr_t addr = boundary - ptoa(4);
	uint8_t byte;

	assert_non_null(vm);
	prefault_on();
	assert_int_equal(vm_map_find(&vm->vm_map, NULL, 0, &addr, ptoa(8), true,
	    RW, VM_PROT_ALL, MAP_COPY_ON_WRITE), KERN_SUCCESS);
	meter_start();
	assert_int_equal(user_write(vm, boundary - PAGE_SIZE, 1), KERN_SUCCESS);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 1, .v_zfod = 1 });
	assert_int_equal(pmap_stub_tables(), 1);
	assert_int_equal(user_read(vm, boundary, &byte), KERN_SUCCESS);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 2, .v_zfod = 2,
	    .v_prefault_zeroed = 3 });
	assert_int_equal(pmap_stub_tables(), 2);
	vmspace_free(vm);
}

/* --- fork, errors ------------------------------------------------------- */

static void
test_fork_counters(void **state)
{
	struct vmspace *parent = space(8), *c1, *c2;

	poke_range(parent, 0, 3);
	meter_start();
	c1 = fork_of(parent);
	assert_meter(&(struct vmmeter){ .v_forks = 1, .v_forkpages = 3 });
	c2 = fork_of(parent);
	assert_meter(&(struct vmmeter){ .v_forks = 2, .v_forkpages = 6 });
	assert_int_equal(pmap_resident_count(c1->vm_pmap), 0);
	vmspace_free(c1);
	vmspace_free(c2);
	vmspace_free(parent);
}

static void
test_protection_failure(void **state)
{
	struct vmspace *vm = space(4);
	struct vm_map *map = &vm->vm_map;
	uint8_t byte;

	poke(vm, 0, 7);
	assert_int_equal(vm_map_protect(map, UBASE, VA(1), VM_PROT_READ, false),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_protect(map, VA(1), VA(2), VM_PROT_NONE, false),
	    KERN_SUCCESS);
	meter_start();
	assert_int_equal(user_write(vm, VA(0), 8), KERN_PROTECTION_FAILURE);
	assert_int_equal(peek(vm, 0), 7);
	assert_int_equal(user_read(vm, VA(1), &byte), KERN_PROTECTION_FAILURE);
	assert_int_equal(vm_fault(map, VA(2), VM_PROT_EXECUTE),
	    KERN_PROTECTION_FAILURE);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 3 });
	assert_int_equal(pmap_resident_count(vm->vm_pmap), 1);
	/* Writable again: the page is there, so no zero fill and no copy. */
	assert_int_equal(vm_map_protect(map, UBASE, VA(2), RW, false),
	    KERN_SUCCESS);
	poke(vm, 0, 8);
	assert_meter(&(struct vmmeter){ .v_vm_faults = 4 });
	assert_int_equal(peek(vm, 0), 8);
	vmspace_free(vm);
}

static void
test_invalid_address(void **state)
{
	const vaddr_t bad[] = { 0, UBASE - 1, VA(4), VA(4) + 123, UMAX - 1,
	    UMAX, ~0UL };
	struct vmspace *vm = space(4);
	uint8_t byte;

	meter_start();
	for (size_t i = 0; i < nitems(bad); i++)
		assert_int_equal(vm_fault(&vm->vm_map, bad[i], VM_PROT_READ),
		    KERN_INVALID_ADDRESS);
	assert_int_equal(user_read(vm, VA(5), &byte), KERN_INVALID_ADDRESS);
	assert_int_equal(user_write(vm, VA(5), 1), KERN_INVALID_ADDRESS);
	assert_meter(&(struct vmmeter){ .v_vm_faults = nitems(bad) + 2 });
	assert_int_equal(vm_object_live_count(), 0);
	vmspace_free(vm);
}

/*
 * Out of pages: the fault fails cleanly (every lock released, nothing
 * half made), and succeeds once memory is back.
 */
/* Pages taken by test_fault_* to exhaust memory; host_sleep_hook frees them. */
static struct vm_page **hoard;
static size_t hoard_n;

static void
hoard_all(void)
{
	hoard = calloc(RAM_PAGES, sizeof(*hoard));
	assert_non_null(hoard);
	hoard_n = 0;
	while ((hoard[hoard_n] = vm_page_alloc_nobj(0)) != NULL)
		hoard_n++;
	assert_int_equal(vm_page_free_count(), 0);
}

static void
hoard_release(void)
{
	while (hoard_n > 0)
		vm_page_free(hoard[--hoard_n]);
	free(hoard);
	hoard = NULL;
}

/*
 * With no page free, a fault does not fail: it waits for memory (here the
 * "page daemon" that runs while it sleeps frees the hoard) and then
 * completes, in parent and COW child alike.
 */
static void
test_fault_waits_for_memory(void **state)
{
	struct vmspace *parent = space(4), *child;
	struct vmmeter before, d;

	poke(parent, 0, 1);
	child = fork_of(parent);
	hoard_all();
	vm_meter_sum(&before);
	host_sleep_hook = hoard_release;
	assert_int_equal(user_write(parent, VA(1) + 1, 2), KERN_SUCCESS);
	host_sleep_hook = NULL;
	vm_meter_delta(&before, &d);
	assert_true(d.v_vmwaits >= 1);
	hoard_all();
	host_sleep_hook = hoard_release;
	assert_int_equal(user_write(child, VA(0), 3), KERN_SUCCESS);
	host_sleep_hook = NULL;
	assert_int_equal(peek(parent, 0), 1);
	assert_int_equal(peek(parent, 1), 2);
	assert_int_equal(peek(child, 0), 3);
	vmspace_free(child);
	vmspace_free(parent);
}

/*
 * A signal ends the wait: the fault returns KERN_RESOURCE_SHORTAGE (the
 * trap code delivers the signal and lets the access run again), and
 * nothing is changed; once memory is back the same accesses work.
 */
static void
test_fault_wait_interrupted(void **state)
{
	struct vmspace *parent = space(4), *child;

	poke(parent, 0, 1);
	child = fork_of(parent);
	hoard_all();
	host_signal_pending = true;
	assert_int_equal(user_write(parent, VA(1), 2), KERN_RESOURCE_SHORTAGE);
	assert_int_equal(user_write(child, VA(0), 3), KERN_RESOURCE_SHORTAGE);
	host_signal_pending = false;
	assert_int_equal(vm_page_free_count(), 0);
	hoard_release();
	poke(parent, 1, 2);
	poke(child, 0, 3);
	assert_int_equal(peek(parent, 0), 1);
	assert_int_equal(peek(child, 0), 3);
	vmspace_free(child);
	vmspace_free(parent);
}

/*
 * Ordinary object allocations stop at v_free_reserved; the pages below
 * are the kernel's (page tables, kmalloc), which may take them all.
 */
static void
test_object_pages_leave_the_reserve(void **state)
{
	struct vmspace *vm = space(4);
	struct vm_page **taken = calloc(RAM_PAGES, sizeof(*taken));
	size_t n = 0;

	assert_non_null(taken);
	while (vm_page_free_count() > vm_page_thresholds.v_free_reserved)
		taken[n++] = vm_page_alloc_nobj(0);
	host_signal_pending = true;
	assert_int_equal(user_write(vm, VA(0), 1), KERN_RESOURCE_SHORTAGE);
	host_signal_pending = false;
	assert_true(vm_page_free_count() > 0);
	taken[n] = vm_page_alloc_nobj(0);
	assert_non_null(taken[n]);
	n++;
	while (n > 0)
		vm_page_free(taken[--n]);
	free(taken);
	poke(vm, 0, 1);
	vmspace_free(vm);
}

/*
 * A COW rename whose first object's trie needs a node when kmalloc has
 * nothing left is a shortage like any other: the fault waits (here the
 * "page daemon" gives the memory back while it sleeps), then renames.
 */
static void
test_cow_rename_waits_for_trie_node(void **state)
{
	struct vmspace *parent = space(4), *child;
	uint64_t failures = vm_radix_stats.alloc_failures;
	struct vmmeter d;
	paddr_t old;

	poke_range(parent, 0, 2);
	child = fork_of(parent);
	poke(parent, 0, 0x10);	/* a copy: the first object's only page */
	vmspace_free(child);
	assert_int_equal(peek(parent, 1), 2);
	old = phys(parent, 1);
	vm_host_hoard();
	meter_start();
	host_sleep_hook = vm_host_unhoard;
	poke(parent, 1, 0x11);	/* page 1 beside page 0: a node */
	host_sleep_hook = NULL;
	vm_meter_delta(&before, &d);
	assert_true(d.v_vmwaits >= 1);
	assert_int_equal(d.v_cow_optim, 1);
	assert_true(vm_radix_stats.alloc_failures > failures);
	assert_int_equal(phys(parent, 1), old);
	assert_int_equal(peek(parent, 0), 0x10);
	assert_int_equal(peek(parent, 1), 0x11);
	vmspace_free(parent);
}

/*
 * A collapse that runs out of trie nodes midway keeps the backing object
 * with the pages it has not moved up yet: every page still reads what was
 * written, and a later collapse, with memory back, finishes the merge.
 * Pages 1, 16, 32 and 48 lie under different level-0 nodes, so each one
 * moved up beside page 0 needs a node of its own.
 */
static void
test_collapse_out_of_nodes_midway(void **state)
{
	static const int spread[] = { 1, 16, 32, 48 };
	struct vmspace *parent = space(64), *child;
	uint64_t collapses = vm_object_stats.collapses;
	struct vm_object *first, *backing;
	struct vmmeter d;

	for (size_t i = 0; i < nitems(spread); i++)
		poke(parent, spread[i], (uint8_t)(2 + i));
	child = fork_of(parent);
	poke(parent, 0, 0x10);	/* zero-filled in the first object */
	vmspace_free(child);
	for (size_t i = 0; i < nitems(spread); i++)
		assert_int_equal(peek(parent, spread[i]), 2 + i);
	first = object_at(parent, 0);
	backing = first->backing_object;
	/* No page the merge would free first (that would feed kmalloc). */
	assert_int_equal(backing->resident_page_count, 4);

	vm_host_hoard();
	vm_host_unhoard_chunks();	/* room for one node */
	meter_start();
	host_sleep_hook = vm_host_unhoard;
	poke(parent, 1, 0x11);	/* the rename takes it, the merge finds none */
	host_sleep_hook = NULL;
	vm_meter_delta(&before, &d);
	vm_host_unhoard();
	assert_int_equal(d.v_vmwaits, 0);
	assert_int_equal(d.v_cow_optim, 1);
	assert_int_equal(vm_object_stats.collapses, collapses);
	assert_ptr_equal(first->backing_object, backing);
	assert_int_equal(first->resident_page_count, 2);	/* 0 and 1 */
	assert_int_equal(backing->resident_page_count, 3);	/* 16, 32, 48 */
	assert_int_equal(peek(parent, 0), 0x10);
	assert_int_equal(peek(parent, 1), 0x11);
	for (size_t i = 1; i < nitems(spread); i++)
		assert_int_equal(peek(parent, spread[i]), 2 + i);

	poke(parent, 16, 0x12);	/* renames, then merges the rest */
	assert_int_equal(vm_object_stats.collapses, collapses + 1);
	assert_null(first->backing_object);
	assert_int_equal(first->resident_page_count, 5);
	assert_int_equal(vm_object_live_count(), 1);
	assert_int_equal(peek(parent, 16), 0x12);
	assert_int_equal(peek(parent, 32), 4);
	assert_int_equal(peek(parent, 48), 5);
	vmspace_free(parent);
}

/* --- vm_map error paths ------------------------------------------------- */

static int
insert(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t prot,
    vm_prot_t max)
{
	int rv;

	vm_map_lock(map);
	rv = vm_map_insert(map, NULL, 0, start, end, prot, max,
	    MAP_COPY_ON_WRITE);
	vm_map_unlock(map);
	return rv;
}

static void
test_map_insert_overlap(void **state)
{
	const vaddr_t overlaps[][2] = {
		{ VA(4), VA(8) }, { VA(2), VA(5) }, { VA(7), VA(9) },
		{ VA(2), VA(10) }, { VA(5), VA(6) },
	};
	struct vmspace *vm = vmspace_alloc(UMIN, UMAX);
	struct vm_map *map = &vm->vm_map;
	vaddr_t addr = VA(5);

	assert_non_null(vm);
	assert_int_equal(insert(map, VA(4), VA(8), RW, VM_PROT_ALL),
	    KERN_SUCCESS);
	for (size_t i = 0; i < nitems(overlaps); i++)
		assert_int_equal(insert(map, overlaps[i][0], overlaps[i][1], RW,
		    VM_PROT_ALL), KERN_NO_SPACE);
	assert_int_equal(vm_map_find(map, NULL, 0, &addr, PAGE_SIZE, true, RW,
	    VM_PROT_ALL, MAP_COPY_ON_WRITE), KERN_NO_SPACE);
	assert_int_equal(map->nentries, 1);
	/* Touching either end is fine. */
	assert_int_equal(insert(map, VA(8), VA(9), RW, VM_PROT_ALL),
	    KERN_SUCCESS);
	assert_int_equal(insert(map, VA(3), VA(4), RW, VM_PROT_ALL),
	    KERN_SUCCESS);
	assert_int_equal(map->nentries, 3);
	assert_int_equal(map->size, ptoa(6));
	vmspace_free(vm);
}

static void
test_map_bad_ranges(void **state)
{
	const vaddr_t bad[][2] = {
		{ VA(4), VA(4) }, { VA(5), VA(4) }, { VA(4) + 1, VA(5) },
		{ VA(4), VA(5) - 1 }, { 0, VA(1) }, { VA(1), UMAX + PAGE_SIZE },
	};
	struct vmspace *vm = space(8);
	struct vm_map *map = &vm->vm_map;

	for (size_t i = 0; i < nitems(bad); i++) {
		vaddr_t s = bad[i][0], e = bad[i][1];

		assert_int_equal(insert(map, s, e, RW, VM_PROT_ALL),
		    KERN_INVALID_ARGUMENT);
		assert_int_equal(vm_map_remove(map, s, e),
		    KERN_INVALID_ARGUMENT);
		assert_int_equal(vm_map_protect(map, s, e, VM_PROT_READ, false),
		    KERN_INVALID_ARGUMENT);
		assert_int_equal(vm_map_madvise(map, s, e, VM_ADVICE_DONTNEED),
		    KERN_INVALID_ARGUMENT);
		assert_int_equal(vm_map_inherit(map, s, e, VM_INHERIT_NONE),
		    KERN_INVALID_ARGUMENT);
	}
	/* A protection beyond the maximum it is given. */
	assert_int_equal(insert(map, VA(20), VA(21), RW, VM_PROT_READ),
	    KERN_INVALID_ARGUMENT);
	assert_int_equal(map->nentries, 1);
	assert_int_equal(entry_at(vm, UBASE)->protection, RW);
	vmspace_free(vm);
}

static void
test_map_protect_beyond_max(void **state)
{
	struct vmspace *vm = vmspace_alloc(UMIN, UMAX);
	struct vm_map *map = &vm->vm_map;

	assert_non_null(vm);
	assert_int_equal(insert(map, VA(0), VA(4), VM_PROT_READ, VM_PROT_ALL),
	    KERN_SUCCESS);
	assert_int_equal(insert(map, VA(4), VA(8), VM_PROT_READ, VM_PROT_READ),
	    KERN_SUCCESS);
	/* The second entry refuses, so the first one is not changed either. */
	assert_int_equal(vm_map_protect(map, VA(2), VA(6), RW, false),
	    KERN_PROTECTION_FAILURE);
	assert_int_equal(entry_at(vm, VA(0))->protection, VM_PROT_READ);
	assert_int_equal(map->nentries, 2);
	assert_int_equal(vm_map_protect(map, VA(0), VA(4), RW, false),
	    KERN_SUCCESS);
	/* Lowering the maximum lowers the protection with it. */
	assert_int_equal(vm_map_protect(map, VA(0), VA(4), VM_PROT_READ, true),
	    KERN_SUCCESS);
	assert_int_equal(entry_at(vm, VA(0))->protection, VM_PROT_READ);
	assert_int_equal(vm_map_protect(map, VA(0), VA(4), RW, false),
	    KERN_PROTECTION_FAILURE);
	/* A hole in the range. */
	assert_int_equal(vm_map_protect(map, VA(6), VA(10), VM_PROT_READ,
	    false), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_protect(map, VA(10), VA(12), VM_PROT_READ,
	    false), KERN_INVALID_ADDRESS);
	assert_int_equal(map->nentries, 2);
	vmspace_free(vm);
}

static void
test_map_findspace(void **state)
{
	struct vmspace *vm = vmspace_alloc(VA(0), VA(8));
	struct vm_map *map = &vm->vm_map;
	vaddr_t addr = 0;

	assert_non_null(vm);
	assert_int_equal(insert(map, VA(0), VA(3), RW, VM_PROT_ALL), 0);
	assert_int_equal(insert(map, VA(3), VA(5), RW, VM_PROT_ALL), 0);
	assert_int_equal(insert(map, VA(5), VA(8), RW, VM_PROT_ALL), 0);
	vm_map_lock(map);
	assert_int_equal(vm_map_findspace(map, 0, PAGE_SIZE, &addr),
	    KERN_NO_SPACE);
	vm_map_unlock(map);
	assert_int_equal(vm_map_find(map, NULL, 0, &addr, PAGE_SIZE, false, RW,
	    VM_PROT_ALL, MAP_COPY_ON_WRITE), KERN_NO_SPACE);
	assert_int_equal(vm_map_remove(map, VA(3), VA(5)), KERN_SUCCESS);
	vm_map_lock(map);
	assert_int_equal(vm_map_findspace(map, 0, ptoa(2), &addr),
	    KERN_SUCCESS);
	assert_int_equal(addr, VA(3));
	assert_int_equal(vm_map_findspace(map, VA(4), PAGE_SIZE, &addr),
	    KERN_SUCCESS);
	assert_int_equal(addr, VA(4));
	assert_int_equal(vm_map_findspace(map, 0, ptoa(3), &addr),
	    KERN_NO_SPACE);
	assert_int_equal(vm_map_findspace(map, VA(5), PAGE_SIZE, &addr),
	    KERN_NO_SPACE);
	assert_int_equal(vm_map_findspace(map, 0, ~0UL - PAGE_SIZE + 1, &addr),
	    KERN_NO_SPACE);
	vm_map_unlock(map);
	vmspace_free(vm);
}

static void
test_map_madvise_invalid_advice(void **state)
{
	const int bad[] = { VM_ADVICE_WILLNEED, -1, VM_ADVICE_DONTNEED + 1,
	    77 };
	struct vmspace *vm = space(4);

	for (size_t i = 0; i < nitems(bad); i++)
		assert_int_equal(vm_map_madvise(&vm->vm_map, UBASE, VA(4),
		    bad[i]), KERN_INVALID_ARGUMENT);
	assert_int_equal(entry_at(vm, UBASE)->advice, VM_ADVICE_NORMAL);
	/* Part of the range unmapped: the rest is still advised. */
	assert_int_equal(vm_map_madvise(&vm->vm_map, VA(2), VA(6),
	    VM_ADVICE_RANDOM), KERN_INVALID_ADDRESS);
	assert_int_equal(entry_at(vm, VA(2))->advice, VM_ADVICE_RANDOM);
	assert_int_equal(entry_at(vm, VA(1))->advice, VM_ADVICE_NORMAL);
	vmspace_free(vm);
}

static void
test_map_inherit_invalid(void **state)
{
	const int bad[] = { -1, VM_INHERIT_NONE + 1, 100 };
	struct vmspace *vm = space(4);

	for (size_t i = 0; i < nitems(bad); i++)
		assert_int_equal(vm_map_inherit(&vm->vm_map, UBASE, VA(4),
		    bad[i]), KERN_INVALID_ARGUMENT);
	assert_int_equal(entry_at(vm, UBASE)->inheritance, VM_INHERIT_COPY);
	assert_int_equal(vm->vm_map.nentries, 1);
	vmspace_free(vm);
}

static void
test_map_check_protection(void **state)
{
	struct vmspace *vm = space(4);
	struct vm_map *map = &vm->vm_map;

	assert_int_equal(insert(map, VA(4), VA(6), VM_PROT_READ, VM_PROT_ALL),
	    KERN_SUCCESS);
	assert_int_equal(insert(map, VA(7), VA(8), RW, VM_PROT_ALL),
	    KERN_SUCCESS);
	vm_map_lock_read(map);
	assert_true(vm_map_check_protection(map, VA(0), VA(6), VM_PROT_READ));
	assert_false(vm_map_check_protection(map, VA(0), VA(6), RW));
	assert_true(vm_map_check_protection(map, VA(1), VA(3), RW));
	assert_false(vm_map_check_protection(map, VA(5), VA(8), VM_PROT_READ));
	assert_false(vm_map_check_protection(map, VA(6), VA(7), VM_PROT_NONE));
	vm_map_unlock_read(map);
	vmspace_free(vm);
}

/* --- regressions: bugs these tests found in vm/ ------------------------- */

/*
 * Parent and child share a region (VM_INHERIT_SHARE) whose object still
 * shadows one shared with an earlier child.  The child reads a page from
 * below; then the parent writes it, which copies it up into the shared
 * object.  The child must see the write.
 */
static void
test_bug_cow_copy_leaves_sharer_stale(void **state)
{
	struct vmspace *parent, *c1, *c2;

	parent = space(1);
	poke(parent, 0, 1);
	c1 = fork_of(parent);
	assert_int_equal(vm_map_inherit(&parent->vm_map, UBASE, VA(1),
	    VM_INHERIT_SHARE), KERN_SUCCESS);
	c2 = fork_of(parent);
	assert_int_equal(peek(c2, 0), 1);
	poke(parent, 0, 2);
	assert_int_equal(peek(c2, 0), 2);
	assert_int_equal(peek(c1, 0), 1);
	vmspace_free(c1);
	vmspace_free(c2);
	vmspace_free(parent);
}

/*
 * Parent and child share a region; the child sets it to be copied and
 * forks a grandchild.  Parent and child must go on sharing, and the
 * grandchild must keep the contents it was forked with.
 */
static void
test_bug_share_then_copy(void **state)
{
	struct vmspace *parent, *child, *grandchild;

	parent = space(1);
	assert_int_equal(vm_map_inherit(&parent->vm_map, UBASE, VA(1),
	    VM_INHERIT_SHARE), KERN_SUCCESS);
	poke(parent, 0, 1);
	child = fork_of(parent);
	poke(child, 0, 2);
	assert_int_equal(peek(parent, 0), 2);
	assert_int_equal(vm_map_inherit(&child->vm_map, UBASE, VA(1),
	    VM_INHERIT_COPY), KERN_SUCCESS);
	grandchild = fork_of(child);
	poke(parent, 0, 3);
	assert_int_equal(peek(grandchild, 0), 2);
	assert_int_equal(peek(child, 0), 3);
	poke(child, 0, 4);
	assert_int_equal(peek(parent, 0), 4);
	assert_int_equal(peek(grandchild, 0), 2);
	vmspace_free(grandchild);
	vmspace_free(child);
	vmspace_free(parent);
}

/*
 * DONTNEED over an entry, a hole and two more entries: all three entries
 * are discarded, and the hole is reported.
 */
static void
test_bug_madvise_past_a_hole(void **state)
{
	const int pages[] = { 0, 2, 3 };
	struct vmspace *vm;

	vm = vmspace_alloc(UMIN, UMAX);
	assert_non_null(vm);
	for (size_t i = 0; i < nitems(pages); i++) {
		assert_int_equal(insert(&vm->vm_map, VA(pages[i]),
		    VA(pages[i] + 1), RW, VM_PROT_ALL), KERN_SUCCESS);
		poke(vm, pages[i], 9);
	}
	assert_int_equal(vm_map_madvise(&vm->vm_map, VA(0), VA(4),
	    VM_ADVICE_DONTNEED), KERN_INVALID_ADDRESS);
	for (size_t i = 0; i < nitems(pages); i++)
		assert_int_equal(peek(vm, pages[i]), 0);
	vmspace_free(vm);
}

/*
 * An object the kernel keeps and maps into address spaces, as exec does
 * the signal trampoline's: freeing the first address space to map it,
 * before any fork, must leave its page alone.  (Every object was born
 * flagged as mapped once, so that unmap freed the page, and every later
 * mapping read a zero page.)
 */
static void
test_bug_unmap_frees_kernel_held_page(void **state)
{
	struct vm_object *object = vm_object_allocate(OBJT_ANON, 1);
	struct vm_page *m;

	assert_non_null(object);
	vm_object_lock(object);
	m = vm_page_alloc(object, 0, VM_ALLOC_ZERO);
	assert_non_null(m);
	*(uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) = 0x13;
	m->flags |= PG_VALID;
	vm_page_wakeup(m);
	vm_object_unlock(object);
	for (int i = 0; i < 2; i++) {
		struct vmspace *vm = vmspace_alloc(UMIN, UMAX);
		vaddr_t va = VA(0);

		assert_non_null(vm);
		vm_object_reference(object);
		assert_int_equal(vm_map_find(&vm->vm_map, object, 0, &va,
		    PAGE_SIZE, true, VM_PROT_READ | VM_PROT_EXECUTE,
		    VM_PROT_READ | VM_PROT_EXECUTE, MAP_INHERIT_SHARE),
		    KERN_SUCCESS);
		assert_int_equal(peek(vm, 0), 0x13);
		vmspace_free(vm);
		assert_int_equal(object->resident_page_count, 1);
		assert_false(object->flags & OBJ_ONEMAPPING);
	}
	vm_object_deallocate(object);
}

/*
 * An object handed to a map with its only reference is mapped once:
 * unmapping part of it frees that part's pages at once.
 */
static void
test_unmap_part_of_singly_mapped_object(void **state)
{
	struct vm_object *object = vm_object_allocate(OBJT_ANON, 4);
	struct vmspace *vm = vmspace_alloc(UMIN, UMAX);
	vaddr_t va = VA(0);

	assert_non_null(object);
	assert_non_null(vm);
	assert_int_equal(vm_map_find(&vm->vm_map, object, 0, &va, ptoa(4),
	    true, RW, VM_PROT_ALL, MAP_INHERIT_SHARE), KERN_SUCCESS);
	assert_true(object->flags & OBJ_ONEMAPPING);
	poke_range(vm, 0, 4);
	assert_int_equal(vm_map_remove(&vm->vm_map, VA(1), VA(3)),
	    KERN_SUCCESS);
	assert_int_equal(object->resident_page_count, 2);
	assert_int_equal(peek(vm, 3), 4);
	vmspace_free(vm);
}

/* --- wiring and mremap (vm_map_wire, vm_map_remap) ----------------------- */

/* The wire count of the page index page of vm's memory resolves to. */
static int
wire_count_at(struct vmspace *vm, int page)
{
	struct vm_map_entry *entry = entry_at(vm, VA(page));
	struct vm_object *holder;
	struct vm_page *m;
	int n;

	m = vm_object_chain_page(entry->object,
	    atop(entry->offset + (VA(page) - entry->start)), &holder);
	assert_non_null(m);
	n = m->wire_count;
	vm_object_unlock(holder);
	return n;
}

/*
 * Wiring faults every page in and wires each once, however often it is
 * asked; unwiring lets them all go, back on the paging queues.  A range
 * with a hole wires nothing.
 */
static void
test_wire_and_unwire(void **state)
{
	struct vmspace *vm = space(8);
	uint64_t user0 = vm_map_user_wired();
	uint64_t wired0 = vm_page_stats.v_wire_count;

	assert_int_equal(vm_map_wire(&vm->vm_map, VA(0), VA(8)), KERN_SUCCESS);
	assert_int_equal(vm_map_wire(&vm->vm_map, VA(2), VA(4)), KERN_SUCCESS);
	assert_int_equal(vm_map_user_wired() - user0, 8);
	assert_int_equal(vm_page_stats.v_wire_count - wired0, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(wire_count_at(vm, i), 1);
	assert_int_equal(entry_at(vm, VA(0))->wired_count, 1);
	assert_int_equal(vm_map_unwire(&vm->vm_map, VA(0), VA(8)),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_user_wired(), user0);
	assert_int_equal(vm_page_stats.v_wire_count, wired0);
	assert_int_equal(vm_map_remove(&vm->vm_map, VA(4), VA(5)),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_wire(&vm->vm_map, VA(0), VA(8)),
	    KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_unwire(&vm->vm_map, VA(0), VA(8)),
	    KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_user_wired(), user0);
	vmspace_free(vm);
}

/*
 * Wired on fault: the pages there when the range is marked are wired at
 * once (those a fork shares too), the others one by one as faults bring
 * them in, each once; a write to a shared one moves its wire to the copy;
 * a split keeps each part's wires; wiring it whole, unwiring and freeing
 * take and let go of exactly what is missing and what is held.
 */
static void
test_wire_onfault(void **state)
{
	struct vmspace *vm = space(8), *child;
	uint64_t user0 = vm_map_user_wired();
	uint64_t wired0 = vm_page_stats.v_wire_count;

	poke_range(vm, 0, 2);
	child = fork_of(vm);		/* pages 0, 1 shared copy-on-write */
	assert_int_equal(vm_map_wire_onfault(&vm->vm_map, VA(0), VA(8)),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_user_wired() - user0, 2);
	assert_int_equal(peek(vm, 1), 2);
	assert_int_equal(vm_map_user_wired() - user0, 2);
	assert_int_equal(wire_count_at(vm, 1), 1);
	poke(vm, 1, 0x11);		/* the copy takes the wire */
	assert_int_equal(wire_count_at(vm, 1), 1);
	assert_int_equal(wire_count_at(child, 1), 0);
	assert_int_equal(peek(child, 1), 2);
	poke(vm, 5, 0x55);
	poke(vm, 5, 0x56);
	assert_int_equal(vm_map_user_wired() - user0, 3);
	assert_int_equal(vm_page_stats.v_wire_count - wired0, 3);
	assert_false(mapped(vm, 4) || mapped(vm, 6));	/* no prefault */
	assert_int_equal(vm_map_protect(&vm->vm_map, VA(4), VA(5),
	    VM_PROT_READ, false), KERN_SUCCESS);
	assert_int_equal(vm_map_unwire(&vm->vm_map, VA(5), VA(8)),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_user_wired() - user0, 2);
	assert_int_equal(wire_count_at(vm, 1), 1);
	assert_int_equal(vm_map_wire(&vm->vm_map, VA(0), VA(4)), KERN_SUCCESS);
	assert_int_equal(vm_map_user_wired() - user0, 4);
	vmspace_free(child);
	vmspace_free(vm);
	assert_int_equal(vm_map_user_wired(), user0);
	assert_int_equal(vm_page_stats.v_wire_count, wired0);
}

/*
 * Wired on fault over a shadow: marking wires the pages of the backing
 * object (a fork's) where they are, as the pages a fault would find; a
 * read of one faults no more, a write moves its wire to the copy; a
 * page read in after marking is wired where the read fault finds it.
 */
static void
test_wire_onfault_lower(void **state)
{
	struct vmspace *vm = space(4), *child;
	uint64_t user0 = vm_map_user_wired();

	poke_range(vm, 0, 3);
	child = fork_of(vm);
	poke(vm, 2, 0x22);		/* the parent's shadow */
	assert_int_equal(vm_map_wire_onfault(&vm->vm_map, VA(0), VA(4)),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_user_wired() - user0, 3);
	assert_int_equal(wire_count_at(vm, 0), 1);
	assert_int_equal(wire_count_at(child, 0), 1);	/* the same page */
	assert_int_equal(peek(vm, 0), 1);
	poke(vm, 0, 0x11);
	assert_int_equal(wire_count_at(vm, 0), 1);
	assert_int_equal(wire_count_at(child, 0), 0);
	assert_int_equal(vm_map_user_wired() - user0, 3);
	vmspace_free(vm);
	assert_int_equal(peek(child, 0), 1);
	vmspace_free(child);
	assert_int_equal(vm_map_user_wired(), user0);
}

/*
 * A wired range through fork, COW and exit: the child gets its own copy,
 * the parent's pages keep their wires and data; freeing the wired space
 * (exit) lets every wire go.  A range wired read-only and then written
 * moves its wire to the copy.
 */
static void
test_wire_fork_and_exit(void **state)
{
	struct vmspace *vm = space(4), *child;
	uint64_t user0 = vm_map_user_wired();

	poke_range(vm, 0, 4);
	assert_int_equal(vm_map_wire(&vm->vm_map, VA(0), VA(4)), KERN_SUCCESS);
	child = fork_of(vm);
	poke(child, 1, 0x55);
	assert_int_equal(peek(vm, 1), 2);
	assert_int_equal(peek(child, 1), 0x55);
	assert_int_equal(wire_count_at(vm, 1), 1);
	assert_int_equal(wire_count_at(child, 1), 0);
	vmspace_free(child);
	poke(vm, 2, 0x66);		/* in place: no copy */
	assert_int_equal(wire_count_at(vm, 2), 1);
	assert_int_equal(vm_map_protect(&vm->vm_map, VA(0), VA(4),
	    VM_PROT_READ, false), KERN_SUCCESS);
	assert_int_equal(vm_map_protect(&vm->vm_map, VA(0), VA(4), RW, false),
	    KERN_SUCCESS);
	poke(vm, 3, 0x77);
	assert_int_equal(wire_count_at(vm, 3), 1);
	assert_int_equal(vm_map_user_wired() - user0, 4);
	assert_int_equal(vm_map_madvise(&vm->vm_map, VA(0), VA(4),
	    VM_ADVICE_DONTNEED), KERN_INVALID_ARGUMENT);
	assert_int_equal(peek(vm, 3), 0x77);
	vmspace_free(vm);
	assert_int_equal(vm_map_user_wired(), user0);
}

/*
 * mremap's move keeps the entry's pages (the same vm_pages at the new
 * place); growing in place extends the entry; without room and without
 * may_move it is KERN_NO_SPACE; an old range across two entries is
 * KERN_INVALID_ADDRESS.
 */
static void
test_remap_moves_pages(void **state)
{
	struct vmspace *vm = space(4);
	struct vm_object *object;
	struct vm_page *m;
	paddr_t before;
	uint8_t byte;
	vaddr_t to;

	poke_range(vm, 0, 4);
	before = phys(vm, 1);
	assert_int_equal(vm_map_remove(&vm->vm_map, VA(2), VA(4)),
	    KERN_SUCCESS);
	assert_int_equal(vm_map_remap(&vm->vm_map, VA(0), ptoa(2), ptoa(3),
	    false, 0, &to), KERN_SUCCESS);
	assert_int_equal(to, VA(0));
	assert_int_equal(entry_at(vm, VA(0))->end, VA(3));
	assert_int_equal(peek(vm, 2), 0);
	assert_int_equal(vm_map_find(&vm->vm_map, NULL, 0, &(vaddr_t){ VA(3) },
	    PAGE_SIZE, true, RW, VM_PROT_ALL, MAP_COPY_ON_WRITE), KERN_SUCCESS);
	assert_int_equal(vm_map_remap(&vm->vm_map, VA(0), ptoa(3), ptoa(4),
	    false, 0, &to), KERN_NO_SPACE);
	assert_int_equal(vm_map_remap(&vm->vm_map, VA(0), ptoa(4), ptoa(5),
	    true, 0, &to), KERN_INVALID_ADDRESS);
	assert_int_equal(vm_map_remap(&vm->vm_map, VA(0), ptoa(3), ptoa(6),
	    true, VA(100), &to), KERN_SUCCESS);
	assert_int_equal(to, VA(100));
	assert_false(mapped(vm, 1));
	object = object_at(vm, 100);
	vm_object_lock(object);
	m = vm_page_lookup(object, 1);
	vm_object_unlock(object);
	assert_non_null(m);
	assert_int_equal(VM_PAGE_TO_PHYS(m), before);
	/* poke wrote page i's byte at offset i: page 1's is now at VA(101). */
	assert_int_equal(user_read(vm, VA(101) + 1, &byte), KERN_SUCCESS);
	assert_int_equal(byte, 2);
	vmspace_free(vm);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_zero_fill),
		T(test_entry_without_object_gets_one),
		T(test_read_after_fork_maps_lower_page_read_only),
		T(test_cow_copy),
		T(test_cow_rename),
		T(test_cow_rename_disabled_copies),
		T(test_write_fault_around_after_child_exit),
		T(test_write_fault_around_not_while_shared),
		T(test_needs_copy_shadow_on_first_write),
		T(test_write_to_first_object_page_mapped_read_only),
		T(test_madvise_dontneed),
		T(test_prefault_maps_resident_neighbours),
		T(test_prefault_zero_fills_ahead_only),
		T(test_prefault_window_adapts),
		T(test_prefault_fork_child_starts_cold),
		T(test_prefault_zero_tunable_off),
		T(test_prefault_advice_random),
		T(test_prefault_advice_sequential),
		T(test_prefault_stops_at_page_table_boundary),
		T(test_fork_counters),
		T(test_protection_failure),
		T(test_invalid_address),
		T(test_fault_waits_for_memory),
		T(test_fault_wait_interrupted),
		T(test_object_pages_leave_the_reserve),
		T(test_cow_rename_waits_for_trie_node),
		T(test_collapse_out_of_nodes_midway),
		T(test_map_insert_overlap),
		T(test_map_bad_ranges),
		T(test_map_protect_beyond_max),
		T(test_map_findspace),
		T(test_map_madvise_invalid_advice),
		T(test_map_inherit_invalid),
		T(test_map_check_protection),
		T(test_bug_cow_copy_leaves_sharer_stale),
		T(test_bug_share_then_copy),
		T(test_bug_madvise_past_a_hole),
		T(test_bug_unmap_frees_kernel_held_page),
		T(test_unmap_part_of_singly_mapped_object),
		T(test_wire_and_unwire),
		T(test_wire_onfault),
		T(test_wire_onfault_lower),
		T(test_wire_fork_and_exit),
		T(test_remap_moves_pages),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
