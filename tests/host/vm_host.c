/*
 * Support for the VM host tests (see vm_host.h).
 *
 * The simulated MMU does what the hardware and the trap code do together:
 * translate through the pmap, and on a miss (no mapping, or one without
 * the rights needed) call vm_fault() and try again.  A fault that reports
 * success must leave a usable mapping within a few tries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/kernel.h"
#include "kern/physmem.h"
#include "tests/host/kernel_host.h"
#include "tests/host/pmap_stub.h"
#include "tests/host/vm_host.h"
#include "vm/vm_fault.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

#define MMU_TRIES	3	/* faults per access before giving up */

/*
 * Known bugs, by the name vm_host.h gives them:
 *
 * merge-relink: vm/vm_object.c, vm_object_merge_backing().  When the
 *   merged backing object has a backing object of its own (a chain of
 *   three or more), the shadow is linked into that object's shadow list
 *   while still linked into the dying backing's, and the final
 *   list_remove(&object->shadow_list) then takes it off the new list and
 *   leaves its link NULL.  The next list_remove of that link (when the
 *   object dies, or is merged or bypassed again) dereferences NULL.
 * chain-growth: vm/vm_object.c, vm_object_collapse().  Collapse looks
 *   only at the top object's immediate backing and stops at the first one
 *   still shared.  With several children alive at once (the oldest exiting
 *   as a new one is forked), every fork leaves the parent one level deeper
 *   behind a backing object a live child still shares; when that child
 *   exits, the object is the parent's alone, but it is no longer the top
 *   one's backing, and nothing (not exit, not the COW rename) revisits it.
 *   The chain grows by one object per fork, without bound, and the pages
 *   the parent has overridden in those objects stay allocated.
 * cow-stale-shared: vm/vm_fault.c, vm_fault_cow().  The copy path gives
 *   the first object a new page but leaves other address spaces' read-only
 *   mappings of the old, lower page in place.  When the first object is
 *   shared (VM_INHERIT_SHARE), those sharers keep reading the old page
 *   and never see the write.  (FreeBSD removes them when the first object
 *   is not OBJ_ONEMAPPING.)
 * share-then-copy: vm/vm_map.c, vmspace_fork_copy().  A region shared
 *   with another address space (VM_INHERIT_SHARE) whose inheritance is
 *   then set to VM_INHERIT_COPY is forked by marking the parent's entry
 *   needs-copy too: the parent's next write shadows the object, so parent
 *   and sharer stop sharing, and the child, reading the shared object
 *   directly, sees the sharer's later writes.
 * madvise-holes: vm/vm_map.c, vm_map_madvise().  After the first hole in
 *   the range the loop stops, so mapped entries after a second hole are
 *   left alone, though the contract says every mapped part is handled
 *   before KERN_INVALID_ADDRESS is returned.
 */
static const char *const known_bugs[] = {
	BUG_MERGE_RELINK, BUG_CHAIN_GROWTH, BUG_COW_STALE_SHARED,
	BUG_SHARE_THEN_COPY, BUG_MADVISE_HOLES,
};

static uint64_t baseline;

/*
 * Start the page allocator on npages of fake RAM at VM_HOST_RAM_BASE (the
 * first 16 reserved, as firmware would be).  Once per process.
 */
void
vm_host_startup(size_t npages)
{
	const struct phys_range ram = { VM_HOST_RAM_BASE,
	    VM_HOST_RAM_BASE + ptoa(npages) };
	static struct physmem pm;

	host_ram_init(VM_HOST_RAM_BASE, npages);
	physmem_init(&pm, &ram, 1);
	assert_int_equal(physmem_exclude(&pm, VM_HOST_RAM_BASE,
	    VM_HOST_RAM_BASE + ptoa(16)), 0);
	vm_page_startup(&pm);
	baseline = vm_page_free_count();
}

uint64_t
vm_host_baseline(void)
{
	return baseline;
}

/* Everything a test made is gone: pages, objects, pmaps, locks. */
void
vm_host_assert_clean(void)
{
	assert_int_equal(vm_object_live_count(), 0);
	assert_int_equal(pmap_stub_live(), 0);
	assert_int_equal(pmap_stub_tables(), 0);
	assert_int_equal(vm_page_free_count(), baseline);
	assert_int_equal(vm_page_stats.v_active_count, 0);
	assert_int_equal(host_spin_held, 0);
}

/*
 * The page va maps to for `access`, faulting it in as needed.  Returns
 * KERN_SUCCESS with *m set, or vm_fault's error.
 */
static int
mmu_translate(struct vmspace *vm, vaddr_t va, vm_prot_t access,
    struct vm_page **m)
{
	for (int try = 0; try < MMU_TRIES; try++) {
		int rv;

		if (pmap_stub_translate(vm->vm_pmap, va, access, m))
			return KERN_SUCCESS;
		rv = vm_fault(&vm->vm_map, va, access);
		if (rv != KERN_SUCCESS)
			return rv;
	}
	if (pmap_stub_translate(vm->vm_pmap, va, access, m))
		return KERN_SUCCESS;
	fail_msg("mmu: va %#lx access %d still unmapped after %d successful "
	    "faults", va, access, MMU_TRIES);
	return KERN_FAILURE;
}

static uint8_t *
mmu_byte(struct vm_page *m, vaddr_t va)
{
	return (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) + (va & PAGE_MASK);
}

int
user_read(struct vmspace *vm, vaddr_t va, uint8_t *byte)
{
	struct vm_page *m;
	int rv = mmu_translate(vm, va, VM_PROT_READ, &m);

	if (rv == KERN_SUCCESS)
		*byte = *mmu_byte(m, va);
	return rv;
}

int
user_write(struct vmspace *vm, vaddr_t va, uint8_t byte)
{
	struct vm_page *m;
	int rv = mmu_translate(vm, va, VM_PROT_WRITE, &m);

	if (rv == KERN_SUCCESS)
		*mmu_byte(m, va) = byte;
	return rv;
}

/* Read the whole page at va (page aligned) into buf. */
int
user_read_page(struct vmspace *vm, vaddr_t va, uint8_t *buf)
{
	struct vm_page *m;
	int rv = mmu_translate(vm, va, VM_PROT_READ, &m);

	if (rv == KERN_SUCCESS)
		memcpy(buf, mmu_byte(m, va), PAGE_SIZE);
	return rv;
}

/* delta = the counters now minus before. */
void
vm_meter_delta(const struct vmmeter *before, struct vmmeter *delta)
{
	const uint64_t *b = (const uint64_t *)before;
	uint64_t *d = (uint64_t *)delta;

	vm_meter_sum(delta);
	for (size_t i = 0; i < sizeof(*delta) / sizeof(uint64_t); i++)
		d[i] -= b[i];
}

/* Does VM_TEST_FIXED name bug (or say "all")? */
bool
bug_fixed(const char *bug)
{
	const char *list = getenv("VM_TEST_FIXED");
	size_t len = strlen(bug);

	for (const char *p = list; p != NULL && *p != '\0';
	    p = strchr(p, ',') != NULL ? strchr(p, ',') + 1 : NULL) {
		size_t n = strcspn(p, ",");

		if ((n == 3 && strncmp(p, "all", 3) == 0) ||
		    (n == len && strncmp(p, bug, n) == 0))
			return true;
	}
	return false;
}

void
skip_unless_fixed(const char *bug)
{
	bool known = false;

	for (size_t i = 0; i < nitems(known_bugs); i++)
		known |= strcmp(known_bugs[i], bug) == 0;
	assert_true(known);
	if (bug_fixed(bug))
		return;
	print_message("skipped: hits known bug %s (see tests/host/vm_host.c; "
	    "run with VM_TEST_FIXED=%s once it is fixed)\n", bug, bug);
	skip();
}
