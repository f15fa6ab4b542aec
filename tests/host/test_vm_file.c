/*
 * File mappings, one case per test: the mmap system calls (vm/vm_mmap.c)
 * on files of the fake file layer (file_host.c), paged by the real vnode
 * pager (vm/vnode_pager.c), faulted through the simulated MMU.  What a
 * mapping shows is checked against the bytes the test put on the disk,
 * and what reaches the disk against what was written through mappings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>		/* Linux's PROT_, MAP_, MADV_ and MS_ values */
#include <cmocka.h>

#include "kern/fcntl.h"
#include "kern/kernel.h"
#include "tests/host/file_host.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

#include "kern/syscall.h"

#define RAM_PAGES	1024
#define UBASE		0x10000000UL
#define VA(i)		(UBASE + ptoa(i))
#define FILE_PAGES	4
#define RW		(PROT_READ | PROT_WRITE)

static struct vm_fault_tunables saved_tunables;

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	file_host_disk_reset(1);
	saved_tunables = vm_fault_tunables;
	return 0;
}

/* Faults map only the page asked for: the tests count page-ins. */
static int
setup(void **state)
{
	vm_fault_tunables = saved_tunables;
	vm_fault_tunables.prefault_ahead = 0;
	vm_fault_tunables.prefault_behind = 0;
	return 0;
}

static int
teardown(void **state)
{
	vm_fault_tunables = saved_tunables;
	host_io_hook = NULL;
	file_host_fail_reads(NULL, 0);
	assert_int_equal(file_host_blocks_used(), 0);
	vm_host_assert_clean();
	return 0;
}

/* The byte the test file holds at off: never 0, different on each page. */
static uint8_t
pattern(uint64_t off)
{
	return (uint8_t)(off % 251 + atop(off) * 17 + 1);
}

/* A file of FILE_PAGES pages of pattern(), except page `hole`, a hole. */
static struct vnode *
test_file(int hole)
{
	struct vnode *vp = file_host_create(ptoa(FILE_PAGES));
	uint8_t buf[PAGE_SIZE];

	for (int pg = 0; pg < FILE_PAGES; pg++) {
		if (pg == hole)
			continue;
		for (size_t i = 0; i < PAGE_SIZE; i++)
			buf[i] = pattern(ptoa(pg) + i);
		file_host_store(vp, ptoa(pg), buf, PAGE_SIZE);
	}
	return vp;
}

/* mmap npages of fd at file page fpage to page `at`, fixed; must work. */
static void
map_file(int at, int npages, int prot, int flags, int fd, int fpage)
{
	assert_int_equal(sys_mmap(VA(at), ptoa(npages), (uint64_t)prot,
	    (uint64_t)(flags | MAP_FIXED), (uint64_t)fd, ptoa(fpage)),
	    (int64_t)VA(at));
}

static int64_t
madvise_pages(int first, int npages, int advice)
{
	return sys_madvise(VA(first), ptoa(npages), advice);
}

static uint8_t
peek(struct vmspace *vm, int page, int off)
{
	uint8_t byte = 0;

	assert_int_equal(user_read(vm, VA(page) + off, &byte), KERN_SUCCESS);
	return byte;
}

static void
poke(struct vmspace *vm, int page, int off, uint8_t byte)
{
	assert_int_equal(user_write(vm, VA(page) + off, byte), KERN_SUCCESS);
}

static uint8_t
on_disk(struct vnode *vp, uint64_t off)
{
	uint8_t byte;

	file_host_load(vp, off, &byte, 1);
	return byte;
}

/* The whole of page `page` of vm reads as file page fpage of pattern(). */
static void
assert_page_is_file(struct vmspace *vm, int page, int fpage)
{
	uint8_t buf[PAGE_SIZE];

	assert_int_equal(user_read_page(vm, VA(page), buf), KERN_SUCCESS);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (buf[i] != pattern(ptoa(fpage) + i))
			fail_msg("page %d+%#zx: %#x, want file page %d's %#x",
			    page, i, buf[i], fpage, pattern(ptoa(fpage) + i));
}

static void
done(struct vmspace *vm, int fd, struct vnode *vp)
{
	vmspace_free(vm);
	file_host_close(fd);
	file_host_destroy(vp);
}

/*
 * A shared mapping shows the file (a hole as zeros, past the end a
 * SIGBUS), and its writes reach the disk at msync, allocating the hole's
 * blocks, and not before.
 */
static void
test_shared_mapping_writes_reach_the_file(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = test_file(2);
	int fd = file_host_open(vp, O_RDWR);
	uint8_t byte;

	map_file(0, FILE_PAGES + 1, RW, MAP_SHARED, fd, 0);
	assert_page_is_file(vm, 0, 0);
	assert_int_equal(peek(vm, 2, 100), 0);
	assert_int_equal(user_read(vm, VA(FILE_PAGES), &byte),
	    KERN_OUT_OF_BOUNDS);
	poke(vm, 0, 5, 0xe5);
	poke(vm, 2, 100, 0xe6);
	assert_int_equal(on_disk(vp, 5), pattern(5));
	assert_int_equal(on_disk(vp, ptoa(2) + 100), 0);
	assert_int_equal(sys_msync(VA(0), ptoa(FILE_PAGES), MS_SYNC),
	    0);
	assert_int_equal(on_disk(vp, 5), 0xe5);
	assert_int_equal(on_disk(vp, ptoa(2) + 100), 0xe6);
	assert_int_equal(on_disk(vp, ptoa(2) + 101), 0);
	/* Written again after msync: the page is dirty again. */
	poke(vm, 0, 6, 0xe7);
	assert_int_equal(sys_munmap(VA(0), ptoa(FILE_PAGES + 1)),
	    0);
	assert_int_equal(on_disk(vp, 6), 0xe7);
	done(vm, fd, vp);
}

/*
 * A private mapping reads through to the file, shows later writes to the
 * file on pages it has not written, and keeps its own writes from it.
 */
static void
test_private_mapping_keeps_its_writes(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDWR);

	map_file(0, FILE_PAGES, RW, MAP_SHARED, fd, 0);
	map_file(8, FILE_PAGES, RW, MAP_PRIVATE, fd, 0);
	assert_page_is_file(vm, 8, 0);
	poke(vm, 0, 1, 0xa1);			/* through the shared one */
	assert_int_equal(peek(vm, 8, 1), 0xa1);
	poke(vm, 9, 1, 0xb1);			/* through the private one */
	assert_int_equal(peek(vm, 1, 1), pattern(ptoa(1) + 1));
	poke(vm, 1, 1, 0xa2);
	assert_int_equal(peek(vm, 9, 1), 0xb1);
	assert_page_is_file(vm, 10, 2);
	vmspace_free(vm);
	assert_int_equal(on_disk(vp, 1), 0xa1);
	assert_int_equal(on_disk(vp, ptoa(1) + 1), 0xa2);
	file_host_close(fd);
	file_host_destroy(vp);
}

/* Linux's errors: a shared writable mapping needs a descriptor open RW. */
static void
test_mmap_checks_the_descriptor(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = test_file(-1);
	int rd = file_host_open(vp, O_RDONLY), wr = file_host_open(vp, O_WRONLY);

	assert_int_equal(sys_mmap(VA(0), PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED,
	    (uint64_t)rd, 0), -EACCES);
	assert_int_equal(sys_mmap(VA(0), PAGE_SIZE, PROT_READ, MAP_SHARED |
	    MAP_FIXED, (uint64_t)wr, 0), -EACCES);
	assert_int_equal(sys_mmap(VA(0), PAGE_SIZE, PROT_READ, MAP_SHARED |
	    MAP_FIXED, 15, 0), -EBADF);
	map_file(0, 1, RW, MAP_PRIVATE, rd, 0);
	poke(vm, 0, 0, 0x33);
	/* Read-only shared: mprotect cannot add write. */
	map_file(1, 1, PROT_READ, MAP_SHARED, rd, 1);
	assert_int_equal(sys_mprotect(VA(1), PAGE_SIZE, RW), -EACCES);
	assert_int_equal(user_write(vm, VA(1), 1), KERN_PROTECTION_FAILURE);
	vmspace_free(vm);
	file_host_close(wr);
	file_host_close(rd);
	assert_int_equal(on_disk(vp, 0), pattern(0));
	file_host_destroy(vp);
}

#define BIG_PAGES	32
#define BIG_HOLE	5		/* a page of holes */
#define BIG_SIZE	(ptoa(BIG_PAGES) - 100)	/* a part page at the end */

/* A BIG_PAGES-page file of pattern(), but the hole and past BIG_SIZE. */
static struct vnode *
big_file(void)
{
	struct vnode *vp = file_host_create(BIG_SIZE);
	uint8_t buf[PAGE_SIZE];

	for (int pg = 0; pg < BIG_PAGES; pg++) {
		size_t len = MIN(PAGE_SIZE, BIG_SIZE - ptoa(pg));

		if (pg == BIG_HOLE)
			continue;
		for (size_t i = 0; i < len; i++)
			buf[i] = pattern(ptoa(pg) + i);
		file_host_store(vp, ptoa(pg), buf, len);
	}
	return vp;
}

/* Page pg of vm reads as big_file's page pg: the pattern, holes as 0. */
static void
assert_big_page(struct vmspace *vm, int pg)
{
	uint8_t buf[PAGE_SIZE];

	assert_int_equal(user_read_page(vm, VA(pg), buf), KERN_SUCCESS);
	for (size_t i = 0; i < PAGE_SIZE; i++) {
		uint64_t off = ptoa(pg) + i;
		uint8_t want = pg == BIG_HOLE || off >= BIG_SIZE ? 0 :
		    pattern(off);

		if (buf[i] != want)
			fail_msg("page %d+%#zx: %#x, want %#x", pg, i, buf[i],
			    want);
	}
}

static uint64_t
pages_in(const struct vmmeter *before)
{
	struct vmmeter d;

	vm_meter_delta(before, &d);
	return d.v_vnodepgsin;
}

/*
 * A sequential reader's faults read clusters that double (5 pages at the
 * start, then 9, then 16) up to the end of the file; every page, holes
 * and the part past EOF included, reads right.
 */
static void
test_read_cluster_sequential(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = big_file();
	int fd = file_host_open(vp, O_RDONLY);
	struct vmmeter before, d;

	map_file(0, BIG_PAGES, PROT_READ, MAP_SHARED, fd, 0);
	vm_meter_sum(&before);
	assert_big_page(vm, 0);
	assert_int_equal(pages_in(&before), 5);
	assert_big_page(vm, 5);			/* where the cluster ended */
	assert_int_equal(pages_in(&before), 5 + 9);
	assert_big_page(vm, 14);
	assert_int_equal(pages_in(&before), 5 + 9 + 16);
	assert_big_page(vm, 30);
	assert_int_equal(pages_in(&before), BIG_PAGES);	/* the file's end */
	for (int pg = 0; pg < BIG_PAGES; pg++)
		assert_big_page(vm, pg);
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_io_faults, 4);
	assert_int_equal(vp->v_object->resident_page_count, BIG_PAGES);
	done(vm, fd, vp);
}

/*
 * A fault that does not follow the last reads around itself (a little
 * behind, more ahead), stopping at pages already resident; MADV_RANDOM
 * and vm.read_ahead=0 read the page alone.
 */
static void
test_read_cluster_around_and_off(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = big_file();
	int fd = file_host_open(vp, O_RDONLY);
	struct vmmeter before;

	map_file(0, BIG_PAGES, PROT_READ, MAP_SHARED, fd, 0);
	vm_meter_sum(&before);
	assert_big_page(vm, 10);		/* 8, 9 behind; 11..14 ahead */
	assert_int_equal(pages_in(&before), 2 + 1 + 4);
	assert_big_page(vm, 7);			/* 5, 6 behind; stops at 8 */
	assert_int_equal(pages_in(&before), 7 + 3);
	vm_fault_tunables.read_ahead = 0;
	assert_big_page(vm, 20);
	assert_int_equal(pages_in(&before), 11);
	vm_fault_tunables.read_ahead = saved_tunables.read_ahead;
	assert_int_equal(madvise_pages(0, BIG_PAGES, MADV_RANDOM), 0);
	assert_big_page(vm, 25);
	assert_int_equal(pages_in(&before), 12);
	done(vm, fd, vp);
}

/*
 * Pages read ahead and not yet used are mapped by prefault only while
 * the entry is read sequentially: a first fault maps none of them, the
 * next one, just after it, maps those ahead.
 */
static void
test_prefault_skips_unused_read_ahead(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = big_file();
	int fd = file_host_open(vp, O_RDONLY);
	struct vmmeter before, d;

	vm_fault_tunables.prefault_ahead = saved_tunables.prefault_ahead;
	vm_fault_tunables.prefault_behind = saved_tunables.prefault_behind;
	map_file(0, BIG_PAGES, PROT_READ, MAP_SHARED, fd, 0);
	vm_meter_sum(&before);
	assert_big_page(vm, 10);		/* reads 8..14 */
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_vnodepgsin, 7);
	assert_int_equal(d.v_prefault_mapped, 0);
	assert_big_page(vm, 11);		/* sequential: 12..14 mapped */
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_prefault_mapped, 3);
	assert_int_equal(d.v_vm_faults, 2);
	done(vm, fd, vp);
}

/*
 * A bad block among the neighbours does not fail the fault: the page is
 * read alone, and only a fault on the bad page itself fails.
 */
static void
test_read_cluster_bad_neighbour(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = big_file();
	int fd = file_host_open(vp, O_RDONLY);
	struct vmmeter before;
	uint8_t byte;

	map_file(0, BIG_PAGES, PROT_READ, MAP_SHARED, fd, 0);
	file_host_fail_reads(vp, ptoa(12) + 2000);
	vm_meter_sum(&before);
	assert_big_page(vm, 10);		/* its cluster holds page 12 */
	assert_int_equal(pages_in(&before), 1);
	vm_object_lock(vp->v_object);
	assert_null(vm_page_lookup(vp->v_object, 12));
	vm_object_unlock(vp->v_object);
	assert_int_equal(user_read(vm, VA(12), &byte), KERN_FAILURE);
	file_host_fail_reads(NULL, 0);
	assert_big_page(vm, 12);
	done(vm, fd, vp);
}

/* MADV_WILLNEED reads the pages in; the faults then need no I/O. */
static void
test_willneed_reads_ahead(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDONLY);
	struct vmmeter before, d;

	map_file(0, FILE_PAGES, PROT_READ, MAP_SHARED, fd, 0);
	vm_meter_sum(&before);
	assert_int_equal(madvise_pages(0, FILE_PAGES, MADV_WILLNEED), 0);
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_vnodepgsin, FILE_PAGES);
	/* Requests: at most one per block (one per run of adjacent ones). */
	assert_in_range(d.v_vnodein, 1, FILE_PAGES * (PAGE_SIZE / FILE_HOST_BSIZE));
	assert_int_equal(vp->v_object->resident_page_count, FILE_PAGES);
	vm_meter_sum(&before);
	for (int pg = 0; pg < FILE_PAGES; pg++)
		assert_page_is_file(vm, pg, pg);
	vm_meter_delta(&before, &d);
	assert_int_equal(d.v_io_faults, 0);
	assert_int_equal(d.v_vm_faults, FILE_PAGES);
	done(vm, fd, vp);
}

/*
 * MADV_DONTNEED drops a private mapping's copies: the pages read the
 * file again (Linux), not zeros; pages outside the range keep theirs.
 */
static void
test_dontneed_private_rereads_the_file(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDONLY);

	map_file(0, FILE_PAGES, RW, MAP_PRIVATE, fd, 0);
	poke(vm, 0, 3, 0xc0);
	poke(vm, 1, 3, 0xc1);
	poke(vm, 2, 3, 0xc2);
	assert_int_equal(madvise_pages(1, 2, MADV_DONTNEED), 0);
	assert_int_equal(peek(vm, 0, 3), 0xc0);
	assert_page_is_file(vm, 1, 1);
	assert_page_is_file(vm, 2, 2);
	/* Private again at the next write, still not in the file. */
	poke(vm, 1, 3, 0xd1);
	assert_int_equal(peek(vm, 1, 3), 0xd1);
	assert_int_equal(peek(vm, 2, 3), pattern(ptoa(2) + 3));
	done(vm, fd, vp);
}

/*
 * After fork, MADV_DONTNEED in one process drops only its own view: the
 * other keeps the copy it shares the chain with.
 */
static void
test_dontneed_private_after_fork(void **state)
{
	struct vmspace *parent = file_host_new_vmspace(), *child;
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDONLY);

	map_file(0, FILE_PAGES, RW, MAP_PRIVATE, fd, 0);
	poke(parent, 0, 7, 0x70);
	child = vmspace_fork(parent);
	assert_non_null(child);
	file_host_set_vmspace(child);
	assert_int_equal(madvise_pages(0, FILE_PAGES, MADV_DONTNEED), 0);
	assert_page_is_file(child, 0, 0);
	assert_int_equal(peek(parent, 0, 7), 0x70);
	poke(child, 0, 7, 0x71);
	assert_int_equal(peek(parent, 0, 7), 0x70);
	file_host_set_vmspace(parent);
	assert_int_equal(madvise_pages(0, FILE_PAGES, MADV_DONTNEED), 0);
	assert_page_is_file(parent, 0, 0);
	assert_int_equal(peek(child, 0, 7), 0x71);
	vmspace_free(child);
	done(parent, fd, vp);
}

/* MADV_DONTNEED on a shared mapping loses nothing: the data is the file. */
static void
test_dontneed_shared_keeps_the_data(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDWR);

	map_file(0, FILE_PAGES, RW, MAP_SHARED, fd, 0);
	poke(vm, 1, 9, 0x99);
	assert_int_equal(madvise_pages(0, FILE_PAGES, MADV_DONTNEED), 0);
	assert_int_equal(peek(vm, 1, 9), 0x99);
	vmspace_free(vm);
	assert_int_equal(on_disk(vp, ptoa(1) + 9), 0x99);
	file_host_close(fd);
	file_host_destroy(vp);
}

/*
 * A shared file mapping inherited by copy (minherit): the child gets a
 * snapshot whose pages not resident at fork come from the file itself,
 * the object at the bottom of the parent's chain.
 */
static void
test_copy_inherited_shared_mapping(void **state)
{
	struct vmspace *parent = file_host_new_vmspace(), *child;
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDWR);
	struct vm_map_entry *entry;

	map_file(0, FILE_PAGES, RW, MAP_SHARED, fd, 0);
	poke(parent, 0, 4, 0x44);
	assert_int_equal(vm_map_inherit(&parent->vm_map, VA(1), VA(FILE_PAGES),
	    VM_INHERIT_COPY), KERN_SUCCESS);
	child = vmspace_fork(parent);
	assert_non_null(child);
	vm_map_lock_read(&child->vm_map);
	assert_true(vm_map_lookup_entry(&child->vm_map, VA(1), &entry));
	assert_ptr_equal(entry->object->backing_object, vp->v_object);
	assert_int_equal(entry->object->backing_object_offset, ptoa(1));
	assert_true(vm_map_lookup_entry(&child->vm_map, VA(0), &entry));
	assert_ptr_equal(entry->object, vp->v_object);	/* still shared */
	vm_map_unlock_read(&child->vm_map);
	assert_int_equal(peek(child, 0, 4), 0x44);
	assert_page_is_file(child, 1, 1);
	poke(child, 2, 4, 0x45);
	assert_int_equal(peek(parent, 2, 4), pattern(ptoa(2) + 4));
	vmspace_free(child);
	vmspace_free(parent);
	assert_int_equal(on_disk(vp, 4), 0x44);
	assert_int_equal(on_disk(vp, ptoa(2) + 4), pattern(ptoa(2) + 4));
	file_host_close(fd);
	file_host_destroy(vp);
}

/*
 * Another thread forks while a fault reads a page of a shared file
 * mapping inherited by copy (no lock held, the page busy and not yet
 * filled): the child's snapshot must leave that page to the file, not
 * copy the page being filled (whose old contents it would keep).
 */
static void
test_fork_during_page_in_leaves_it_to_the_file(void **state)
{
	struct vmspace *parent = file_host_new_vmspace(), *child;
	struct vnode *vp = test_file(-1);
	int fd = file_host_open(vp, O_RDWR);
	struct vm_page *stale;

	map_file(0, 1, RW, MAP_SHARED, fd, 0);
	assert_int_equal(vm_map_inherit(&parent->vm_map, VA(0), VA(1),
	    VM_INHERIT_COPY), KERN_SUCCESS);
	/* The page-in gets the page freed last: make that one hold junk. */
	stale = vm_page_alloc_nobj(0);
	memset((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(stale)), 0xee, PAGE_SIZE);
	vm_page_free(stale);
	vm_host_fork_at_next_io(parent);
	assert_page_is_file(parent, 0, 0);
	child = vm_host_io_forked();
	assert_non_null(child);
	assert_page_is_file(child, 0, 0);
	vmspace_free(child);
	done(parent, fd, vp);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shared_mapping_writes_reach_the_file),
		T(test_private_mapping_keeps_its_writes),
		T(test_mmap_checks_the_descriptor),
		T(test_read_cluster_sequential),
		T(test_read_cluster_around_and_off),
		T(test_read_cluster_bad_neighbour),
		T(test_prefault_skips_unused_read_ahead),
		T(test_willneed_reads_ahead),
		T(test_dontneed_private_rereads_the_file),
		T(test_dontneed_private_after_fork),
		T(test_dontneed_shared_keeps_the_data),
		T(test_copy_inherited_shared_mapping),
		T(test_fork_during_page_in_leaves_it_to_the_file),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
