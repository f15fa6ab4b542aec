/*
 * The page daemon and the swap pager on the host: anonymous memory is
 * paged out to a RAM disk by real daemon passes and must read back byte
 * for byte, through COW chains, forks and collapses; swap slots in use
 * return to zero once every address space is gone (the Mach swap leak
 * would leave dead COW copies holding them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dev/blk.h"
#include "kern/kernel.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_pageout.h"

#define RAM_PAGES	1024
#define SWAP_PAGES	2048
#define UBASE		VM_HOST_UBASE
#define VA(i)		(UBASE + ptoa(i))
#define RW		(VM_PROT_READ | VM_PROT_WRITE)

static struct vm_page_thresholds saved_thresholds;
static struct blkdev *swapdisk;

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	saved_thresholds = vm_page_thresholds;
	swapdisk = vm_host_swap_attach(SWAP_PAGES);
	vm_host_set_baseline();
	return 0;
}

static int
group_teardown(void **state)
{
	vm_host_swap_detach(swapdisk);
	return 0;
}

static int
teardown(void **state)
{
	vm_page_thresholds = saved_thresholds;
	host_sleep_hook = NULL;
	host_io_hook = NULL;
	host_ramdisk_read_error = false;
	vm_host_assert_clean();
	return 0;
}

static struct vmspace *
space(int npages)
{
	return vm_host_space(npages);
}

static uint8_t
pattern(int page, int off, int gen)
{
	return (uint8_t)(page * 7 + off * 13 + gen * 101);
}

/* Fill pages [first, end) of vm with generation gen's pattern. */
static void
fill(struct vmspace *vm, int first, int end, int gen)
{
	for (int p = first; p < end; p++)
		for (int off = 0; off < (int)PAGE_SIZE; off += 512)
			assert_int_equal(user_write(vm, VA(p) + off,
			    pattern(p, off, gen)), KERN_SUCCESS);
}

static void
verify(struct vmspace *vm, int first, int end, int gen)
{
	for (int p = first; p < end; p++)
		for (int off = 0; off < (int)PAGE_SIZE; off += 512) {
			uint8_t b;

			assert_int_equal(user_read(vm, VA(p) + off, &b), KERN_SUCCESS);
			if (b != pattern(p, off, gen))
				fail_msg("page %d offset %d: %#x, want %#x", p, off,
				    b, pattern(p, off, gen));
		}
}

/*
 * Run the daemon as memory pressure would: every pass aims to free
 * everything, so that all it can page out goes.  Returns pages freed.
 */
static uint64_t
squeeze(int passes)
{
	uint64_t freed = 0;

	vm_page_thresholds.v_free_target = RAM_PAGES;
	vm_page_thresholds.v_inactive_target = RAM_PAGES;
	for (int i = 0; i < passes; i++)
		freed += vm_pageout_pass();
	vm_page_thresholds = saved_thresholds;
	return freed;
}

/* Anonymous pages go to swap in clusters and come back intact. */
static void
test_anonymous_pages_swap_out_and_in(void **state)
{
	struct vmspace *vm = space(300);
	struct vmmeter before, d;
	uint64_t resident;

	vm_meter_sum(&before);
	fill(vm, 0, 300, 1);
	resident = pmap_resident_count(vm->vm_pmap);
	assert_true(squeeze(4) >= 250);
	vm_meter_delta(&before, &d);
	assert_true(d.v_swappgsout >= 250);
	assert_true(d.v_swapout < d.v_swappgsout / 4);	/* clustered */
	assert_true(pmap_resident_count(vm->vm_pmap) < resident / 4);
	assert_true(swap_stats.used >= 250);
	verify(vm, 0, 300, 1);
	vm_meter_delta(&before, &d);
	assert_true(d.v_swappgsin >= 250);
	vmspace_free(vm);
}

/*
 * Read back in index order, pages come in SWAP_CLUSTER to a transfer,
 * and most accesses find them resident; in any other order each swap-in
 * reads only the page it needs (a random reader would waste the rest).
 */
static void
test_swap_in_reads_ahead_in_order_only(void **state)
{
	struct vmspace *vm = space(256);
	struct vmmeter before, d;

	fill(vm, 0, 256, 1);
	squeeze(4);
	vm_meter_sum(&before);
	verify(vm, 0, 256, 1);
	vm_meter_delta(&before, &d);
	assert_true(d.v_swappgsin >= 240);
	assert_true(d.v_swapin <= d.v_swappgsin / (SWAP_CLUSTER / 2));
	assert_true(d.v_io_faults == d.v_swapin);
	squeeze(4);			/* clean now: freed without a write */
	vm_meter_sum(&before);
	for (int i = 0; i < 256; i++)
		verify(vm, i * 97 % 256, i * 97 % 256 + 1, 1);
	vm_meter_delta(&before, &d);
	assert_true(d.v_swappgsin >= 240);
	assert_int_equal(d.v_swapin, d.v_swappgsin);
	vmspace_free(vm);
}

/*
 * A read error fails the fault (SIGBUS for a process) and leaves nothing
 * behind: not the page, not the pages read ahead with it (teardown's
 * leak check); once the disk reads again, so does the fault.
 */
static void
test_swap_in_read_error(void **state)
{
	struct vmspace *vm = space(64);
	struct vmmeter before, d;
	uint8_t b;

	fill(vm, 0, 64, 1);
	squeeze(4);
	vm_meter_sum(&before);
	host_ramdisk_read_error = true;
	assert_int_equal(user_read(vm, VA(0), &b), KERN_FAILURE);
	assert_int_equal(user_read(vm, VA(1), &b), KERN_FAILURE);
	host_ramdisk_read_error = false;
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_swappgsin, 0);
	verify(vm, 0, 64, 1);
	vmspace_free(vm);
}

/*
 * A page read back from swap keeps its slot while clean (so the next
 * pageout costs no write); a write frees the slot, as the data there is
 * stale.
 */
static void
test_rewrite_after_swap_in_frees_the_slot(void **state)
{
	struct vmspace *vm = space(32);
	struct vmmeter before, d;
	uint64_t used;

	fill(vm, 0, 32, 1);
	squeeze(4);
	used = swap_stats.used;
	assert_true(used >= 32);
	verify(vm, 0, 32, 1);
	assert_int_equal(swap_stats.used, used);
	vm_meter_sum(&before);
	squeeze(4);			/* clean now: freed without a write */
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_swappgsout, 0);
	assert_true(d.v_dfree >= 32);
	fill(vm, 0, 16, 2);		/* written again: 16 slots go */
	assert_int_equal(swap_stats.used, used - 16);
	verify(vm, 0, 16, 2);
	verify(vm, 16, 32, 1);
	vmspace_free(vm);
}

/*
 * Fork; the parent rewrites a quarter and the child another quarter;
 * everything is swapped out at every level of the chain, and both read
 * their own data back.  Then the child exits and the parent's next fork
 * merges the backing object into the parent's shadow: the backing
 * object's old copies of the quarter the parent rewrote are dead, and
 * their slots must go (the Mach swap leak would keep 16 of them).
 */
static void
test_cow_chain_on_swap_and_no_swap_leak(void **state)
{
	struct vmspace *parent = space(64), *child, *child2;
	uint64_t collapses;

	fill(parent, 0, 64, 1);
	child = vmspace_fork(parent);
	assert_non_null(child);
	fill(parent, 0, 16, 3);
	fill(child, 32, 48, 2);
	squeeze(4);
	assert_int_equal(swap_stats.used, 64 + 16 + 16);
	verify(parent, 0, 16, 3);
	verify(parent, 16, 64, 1);
	verify(child, 0, 32, 1);
	verify(child, 32, 48, 2);
	verify(child, 48, 64, 1);
	squeeze(4);
	vmspace_free(child);
	assert_int_equal(swap_stats.used, 64 + 16);
	collapses = vm_object_stats.collapses;
	child2 = vmspace_fork(parent);
	assert_non_null(child2);
	assert_true(vm_object_stats.collapses > collapses);
	assert_int_equal(swap_stats.used, 64);
	verify(parent, 0, 16, 3);
	verify(parent, 16, 64, 1);
	verify(child2, 0, 16, 3);
	verify(child2, 16, 64, 1);
	vmspace_free(child2);
	vmspace_free(parent);
}

/*
 * Memory full of dirty anonymous pages: a fault waits, the daemon (run
 * while it "sleeps") swaps pages out, and the fault completes.
 */
static void
squeeze_once(void)
{
	squeeze(2);
}

static void
test_fault_waits_while_daemon_swaps(void **state)
{
	struct vmspace *vm = space(RAM_PAGES);
	struct vmmeter before, d;
	int n = RAM_PAGES - 16;	/* more than RAM holds with the kernel's */

	vm_meter_sum(&before);
	host_sleep_hook = squeeze_once;
	fill(vm, 0, n, 3);
	vm_meter_delta(&before, &d);
	assert_true(d.v_vmwaits >= 1);
	assert_true(d.v_swappgsout > 0);
	verify(vm, 0, n, 3);	/* reading it back needs paging too */
	host_sleep_hook = NULL;
	vmspace_free(vm);
}

/*
 * Another thread forks while a fault reads a page in from swap (the fault
 * holds no lock then, only the busy page, not yet filled).  A shared
 * mapping inherited by copy gives the child a snapshot: it must take the
 * page's data from swap, not the page being filled (whose old contents
 * the child would otherwise keep).
 */
static void
test_fork_during_page_in_snapshots_swap(void **state)
{
	struct vmspace *vm = vmspace_alloc(PAGE_SIZE, VM_HOST_UMAX), *forked;
	struct vm_object *shm = vm_object_allocate(OBJT_ANON, 1);
	vaddr_t addr = UBASE;
	struct vm_page *stale;

	assert_non_null(vm);
	assert_non_null(shm);
	assert_int_equal(vm_map_find(&vm->vm_map, shm, 0, &addr, PAGE_SIZE, true,
	    RW, VM_PROT_ALL, MAP_INHERIT_SHARE), KERN_SUCCESS);
	assert_int_equal(vm_map_inherit(&vm->vm_map, VA(0), VA(1),
	    VM_INHERIT_COPY), KERN_SUCCESS);
	fill(vm, 0, 1, 5);
	squeeze(4);
	assert_int_equal(swap_stats.used, 1);
	/* The page-in gets the page freed last: make that one hold junk. */
	stale = vm_page_alloc_nobj(0);
	memset((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(stale)), 0xee, PAGE_SIZE);
	vm_page_free(stale);
	vm_host_fork_at_next_io(vm);
	verify(vm, 0, 1, 5);
	forked = vm_host_io_forked();
	assert_non_null(forked);
	verify(forked, 0, 1, 5);
	vmspace_free(forked);
	vmspace_free(vm);
}

/* swapoff brings every page back in and the device leaves. */
static void
test_swapoff_pages_everything_in(void **state)
{
	struct vmspace *vm = space(64);

	fill(vm, 0, 64, 4);
	squeeze(4);
	assert_true(swap_stats.used >= 64);
	assert_int_equal(swap_pager_swapoff(swapdisk), 0);
	assert_int_equal(swap_stats.used, 0);
	assert_int_equal(swap_stats.ndevs, 0);
	verify(vm, 0, 64, 4);
	assert_int_equal(swap_pager_swapoff(swapdisk), EINVAL);
	assert_int_equal(swap_pager_swapon(swapdisk), 0);
	assert_int_equal(swap_pager_swapon(swapdisk), EBUSY);
	vmspace_free(vm);
}

/*
 * swapoff meets a page being read in from its device: a fault's page-in
 * has the page busy, not filled yet, and reads the slot with no lock
 * held.  swapoff must wait for the read to land (here the sleep hook
 * finishes it, as the fault would), not take the page as it is and free
 * the slot, or even the device, under the read.
 */
static struct vm_object *landing_object;
static struct vm_page *landing;

static void
page_in_lands(void)
{
	if (landing == NULL)
		return;
	assert_int_equal(swap_pager_getpage(landing_object, landing),
	    KERN_SUCCESS);
	vm_object_lock(landing_object);
	landing->flags |= PG_VALID;
	vm_page_wakeup(landing);
	vm_object_unlock(landing_object);
	landing = NULL;
}

static void
test_swapoff_waits_for_a_page_in(void **state)
{
	struct vmspace *vm = space(1);
	struct vm_map_entry *entry;

	fill(vm, 0, 1, 6);
	squeeze(4);
	assert_int_equal(swap_stats.used, 1);
	vm_map_lock_read(&vm->vm_map);
	assert_true(vm_map_lookup_entry(&vm->vm_map, VA(0), &entry));
	landing_object = entry->object;
	vm_map_unlock_read(&vm->vm_map);
	vm_object_lock(landing_object);
	landing = vm_page_alloc(landing_object, 0, 0);	/* the read begins */
	vm_object_unlock(landing_object);
	assert_non_null(landing);
	host_sleep_hook = page_in_lands;
	assert_int_equal(swap_pager_swapoff(swapdisk), 0);
	host_sleep_hook = NULL;
	assert_null(landing);		/* swapoff waited for it */
	assert_int_equal(swap_stats.used, 0);
	verify(vm, 0, 1, 6);
	assert_int_equal(swap_pager_swapon(swapdisk), 0);
	vmspace_free(vm);
}

/* A disk without mkswap's signature is refused. */
static void
test_swapon_needs_signature(void **state)
{
	struct blkdev *plain = host_ramdisk("vdc", 64, false);

	assert_int_equal(swap_pager_swapon(plain), EINVAL);
	host_ramdisk_free(plain);
}

#define T(fn)	cmocka_unit_test_teardown(fn, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_anonymous_pages_swap_out_and_in),
		T(test_swap_in_reads_ahead_in_order_only),
		T(test_swap_in_read_error),
		T(test_rewrite_after_swap_in_frees_the_slot),
		T(test_cow_chain_on_swap_and_no_swap_leak),
		T(test_fault_waits_while_daemon_swaps),
		T(test_fork_during_page_in_snapshots_swap),
		T(test_swapoff_pages_everything_in),
		T(test_swapoff_waits_for_a_page_in),
		T(test_swapon_needs_signature),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
