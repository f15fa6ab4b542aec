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
#include "vm/swap_pager.h"
#include "vm/vm_fault.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

#define MMU_TRIES	3	/* faults per access before giving up */

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

/*
 * The free page count now is what every test must come back to (after a
 * group's setup made allocations that stay, such as a swap device's).
 */
void
vm_host_set_baseline(void)
{
	kmem_drain();	/* kmalloc's idle slabs are not a test's */
	baseline = vm_page_free_count();
}

/*
 * A new address space with npages of private anonymous read-write memory
 * at VM_HOST_UBASE, as a process's heap would be.
 */
struct vmspace *
vm_host_space(int npages)
{
	struct vmspace *vm = vmspace_alloc(PAGE_SIZE, VM_HOST_UMAX);
	vaddr_t addr = VM_HOST_UBASE;

	assert_non_null(vm);
	assert_int_equal(vm_map_find(&vm->vm_map, NULL, 0, &addr, ptoa(npages),
	    true, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, MAP_COPY_ON_WRITE),
	    KERN_SUCCESS);
	return vm;
}

/* Everything a test made is gone: pages, objects, pmaps, locks, swap. */
void
vm_host_assert_clean(void)
{
	assert_int_equal(swap_stats.used, 0);
	assert_int_equal(vm_object_live_count(), 0);
	assert_int_equal(pmap_stub_live(), 0);
	assert_int_equal(pmap_stub_tables(), 0);
	kmem_drain();
	assert_int_equal(vm_page_free_count(), baseline);
	assert_int_equal(vm_page_stats.v_active_count, 0);
	assert_int_equal(vm_page_stats.v_inactive_count, 0);
	assert_int_equal(host_spin_held, 0);
}

/*
 * Memory hoarded by vm_host_hoard(): every free page, then every free
 * chunk kmalloc had left in its slabs, for each of its sizes.
 */
#define HOARD_SIZES	8		/* kmalloc's 16, 32, ..., 2048 */
#define HOARD_MAX	65536

static struct vm_page **hoard_pages;
static size_t hoard_npages;
static void **hoard_chunks[HOARD_SIZES];
static size_t hoard_nchunks[HOARD_SIZES];

/*
 * Leave nothing to allocate: no free page and no free kmalloc chunk of
 * any size, so that even a kmalloc (a pmap's pv entry, a trie node)
 * fails.  Undone by vm_host_unhoard().
 */
void
vm_host_hoard(void)
{
	hoard_pages = calloc(HOARD_MAX, sizeof(*hoard_pages));
	assert_non_null(hoard_pages);
	hoard_npages = 0;
	while ((hoard_pages[hoard_npages] = vm_page_alloc_nobj(0)) != NULL)
		assert_true(++hoard_npages < HOARD_MAX);
	for (int b = 0; b < HOARD_SIZES; b++) {
		void *p;

		hoard_chunks[b] = calloc(HOARD_MAX, sizeof(void *));
		assert_non_null(hoard_chunks[b]);
		hoard_nchunks[b] = 0;
		while ((p = kmalloc((size_t)16 << b, 0)) != NULL) {
			hoard_chunks[b][hoard_nchunks[b]++] = p;
			assert_true(hoard_nchunks[b] < HOARD_MAX);
		}
	}
	assert_int_equal(vm_page_free_count(), 0);
}

/* Give back n of the hoarded pages (and no kmalloc chunk). */
void
vm_host_unhoard_pages(size_t n)
{
	while (n-- > 0 && hoard_npages > 0)
		vm_page_free(hoard_pages[--hoard_npages]);
}

/*
 * Give back one hoarded kmalloc chunk of each size (and no page): room
 * for exactly one more allocation of each size.
 */
void
vm_host_unhoard_chunks(void)
{
	for (int b = 0; b < HOARD_SIZES; b++)
		if (hoard_nchunks[b] > 0)
			kfree(hoard_chunks[b][--hoard_nchunks[b]]);
}

/* Give back everything vm_host_hoard() took.  A host_sleep_hook too. */
void
vm_host_unhoard(void)
{
	for (int b = 0; b < HOARD_SIZES; b++) {
		while (hoard_nchunks[b] > 0)
			kfree(hoard_chunks[b][--hoard_nchunks[b]]);
		free(hoard_chunks[b]);
		hoard_chunks[b] = NULL;
	}
	while (hoard_npages > 0)
		vm_page_free(hoard_pages[--hoard_npages]);
	free(hoard_pages);
	hoard_pages = NULL;
}

/*
 * Swap on a RAM disk of nslots pages (and mkswap's header page).  The
 * device's bitmap and the swap pager's cluster buffer take pages: a test
 * group that keeps it then sets its baseline.
 */
struct blkdev *
vm_host_swap_attach(size_t nslots)
{
	struct blkdev *bd = host_ramdisk("vdb", nslots + 1, true);

	assert_int_equal(swap_pager_swapon(bd), 0);
	return bd;
}

/* Done with swap device bd: nothing may be on it. */
void
vm_host_swap_detach(struct blkdev *bd)
{
	assert_int_equal(swap_pager_swapoff(bd), 0);
	host_ramdisk_free(bd);
}

static struct vmspace *io_fork_parent, *io_fork_child;

static void
io_fork(void)
{
	struct vmspace *vm = io_fork_parent;

	io_fork_parent = NULL;		/* once: the fork may do I/O too */
	if (vm != NULL)
		io_fork_child = vmspace_fork(vm);
}

/*
 * Fork vm, as another of its threads would, while the next block I/O is
 * in flight: during a fault's page-in, say, which holds no lock then,
 * only the page it fills (busy).  vm_host_io_forked() gives the child.
 */
void
vm_host_fork_at_next_io(struct vmspace *vm)
{
	io_fork_parent = vm;
	io_fork_child = NULL;
	host_io_hook = io_fork;
}

/* The child forked during I/O, NULL if no I/O came; the hook goes. */
struct vmspace *
vm_host_io_forked(void)
{
	host_io_hook = NULL;
	io_fork_parent = NULL;
	return io_fork_child;
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
