/*
 * The names of file mappings (a map entry's kpath, vm/vm_map.c): mmap
 * gives the entry a reference on the path the file was opened by; each
 * piece mprotect and munmap leave, each copy fork makes, the entry mremap
 * moves and the part it grows over the same file hold one of their own;
 * the entries give them back as they go.  Counted by the path's own
 * reference count and kpath_live_count(), and the leak check at the end
 * of each test (a kept path would hold a slab page).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>		/* Linux's PROT_, MAP_ and MREMAP_ values */
#include <cmocka.h>

#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kernel.h"
#include "kern/kpath.h"
#include "tests/host/file_host.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/vm_map.h"
#include "vm/vm_param.h"

#include "kern/syscall.h"

#define RAM_PAGES	1024
#define UBASE		0x10000000UL
#define VA(i)		(UBASE + ptoa(i))
#define FILE_PAGES	4
#define RW		(PROT_READ | PROT_WRITE)
#define MREMAP_MAYMOVE	1	/* Linux's (linux/mman.h) */
#define MREMAP_FIXED	2

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	file_host_disk_reset(1);
	return 0;
}

static int
teardown(void **state)
{
	assert_int_equal(kpath_live_count(), 0);
	assert_int_equal(file_host_blocks_used(), 0);
	vm_host_assert_clean();
	return 0;
}

/* The name of vm's entry at page `page` (which must be mapped). */
static struct kpath *
name_at(struct vmspace *vm, int page)
{
	struct vm_map_entry *e;
	struct kpath *name;

	vm_map_lock_read(&vm->vm_map);
	assert_true(vm_map_lookup_entry(&vm->vm_map, VA(page), &e));
	name = e->name;
	vm_map_unlock_read(&vm->vm_map);
	return name;
}

/* vm's entries in [first, first + n) pages: how many start there. */
static int
entries_in(struct vmspace *vm, int first, int n)
{
	int count = 0;

	vm_map_lock_read(&vm->vm_map);
	for (struct vm_map_entry *e = vm->vm_map.header.next;
	    e != &vm->vm_map.header; e = e->next)
		count += e->start >= VA(first) && e->start < VA(first + n);
	vm_map_unlock_read(&vm->vm_map);
	return count;
}

/* An open file of FILE_PAGES pages named path, its path in *kp (ours). */
static int
named_file(struct vnode **vpp, const char *path, struct kpath **kp)
{
	struct file *fp;
	int fd;

	*vpp = file_host_create(ptoa(FILE_PAGES));
	fd = file_host_open(*vpp, O_RDWR);
	file_host_name(fd, path);
	fp = fget(fd);
	*kp = kpath_hold(fp->f_path);
	fdrop(fp);
	return fd;
}

static void
map_file(int at, int npages, int flags, int fd, int fpage)
{
	assert_int_equal(sys_mmap(VA(at), ptoa(npages), RW,
	    (uint64_t)(flags | MAP_FIXED), (uint64_t)fd, ptoa(fpage)),
	    (int64_t)VA(at));
}

/*
 * mmap names the entry with the file's path (one more reference), which
 * outlives the descriptor; anonymous memory has no name; each piece of a
 * split holds its own reference, and munmap gives them back.
 */
static void
test_mmap_names_entries_and_splits_share_it(void **state)
{
	struct vmspace *vm = file_host_new_vmspace();
	struct kpath *kp;
	struct vnode *vp;
	int fd = named_file(&vp, "/dir/file", &kp);

	assert_int_equal(kp->kp_refcnt, 2);	/* the file's and ours */
	map_file(0, FILE_PAGES, MAP_PRIVATE, fd, 0);
	assert_int_equal(sys_mmap(VA(8), PAGE_SIZE, RW,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1U, 0), VA(8));
	file_host_close(fd);
	assert_ptr_equal(name_at(vm, 0), kp);
	assert_string_equal(name_at(vm, 0)->kp_str, "/dir/file");
	assert_null(name_at(vm, 8));
	assert_int_equal(kp->kp_refcnt, 2);	/* the entry's and ours */
	assert_int_equal(sys_mprotect(VA(1), ptoa(2), PROT_READ), 0);
	assert_int_equal(entries_in(vm, 0, FILE_PAGES), 3);
	for (int pg = 0; pg < FILE_PAGES; pg++)
		assert_ptr_equal(name_at(vm, pg), kp);
	assert_int_equal(kp->kp_refcnt, 4);
	assert_int_equal(sys_munmap(VA(0), ptoa(2)), 0);	/* a piece and a half */
	assert_int_equal(kp->kp_refcnt, 3);
	assert_ptr_equal(name_at(vm, 2), kp);
	vmspace_free(vm);
	assert_int_equal(kp->kp_refcnt, 1);
	kpath_rele(kp);
	file_host_destroy(vp);
}

/*
 * A fork's copies hold references of their own (a shared mapping's too),
 * given back when the child's address space goes.
 */
static void
test_fork_copies_hold_the_name(void **state)
{
	struct vmspace *vm = file_host_new_vmspace(), *child;
	struct kpath *kp;
	struct vnode *vp;
	int fd = named_file(&vp, "/f", &kp);

	map_file(0, 2, MAP_PRIVATE, fd, 0);
	map_file(4, 2, MAP_SHARED, fd, 2);
	file_host_close(fd);
	assert_int_equal(user_write(vm, VA(0), 1), KERN_SUCCESS);  /* COW */
	assert_int_equal(kp->kp_refcnt, 3);
	child = vmspace_fork(vm);
	assert_non_null(child);
	assert_int_equal(kp->kp_refcnt, 5);
	assert_ptr_equal(name_at(child, 0), kp);
	assert_ptr_equal(name_at(child, 5), kp);
	vmspace_free(child);
	assert_int_equal(kp->kp_refcnt, 3);
	vmspace_free(vm);
	assert_int_equal(kp->kp_refcnt, 1);
	kpath_rele(kp);
	file_host_destroy(vp);
}

/*
 * mremap moves the entry with its name; growing a private mapping whose
 * private copy others share (a forked child still has it) makes a new
 * entry over more of the file, which is named too; the growth of shared
 * anonymous memory is not.
 */
static void
test_mremap_keeps_the_name(void **state)
{
	struct vmspace *vm = file_host_new_vmspace(), *child;
	struct kpath *kp;
	struct vnode *vp;
	int fd = named_file(&vp, "/moved", &kp);

	map_file(0, 2, MAP_PRIVATE, fd, 0);
	file_host_close(fd);
	assert_int_equal(user_write(vm, VA(1), 1), KERN_SUCCESS);
	child = vmspace_fork(vm);
	assert_non_null(child);
	assert_int_equal(kp->kp_refcnt, 3);
	assert_int_equal(sys_mremap(VA(1), PAGE_SIZE, ptoa(2),
	    MREMAP_MAYMOVE | MREMAP_FIXED, VA(10)), (int64_t)VA(10));
	assert_int_equal(entries_in(vm, 10, 2), 2);	/* moved, and grown */
	assert_ptr_equal(name_at(vm, 10), kp);
	assert_ptr_equal(name_at(vm, 11), kp);
	assert_ptr_equal(name_at(vm, 0), kp);
	assert_int_equal(kp->kp_refcnt, 5);
	assert_int_equal(sys_mmap(VA(20), PAGE_SIZE, RW,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1U, 0), VA(20));
	assert_int_equal(sys_mremap(VA(20), PAGE_SIZE, ptoa(2), 0, 0),
	    (int64_t)VA(20));
	assert_null(name_at(vm, 20));
	assert_null(name_at(vm, 21));
	vmspace_free(child);
	vmspace_free(vm);
	assert_int_equal(kp->kp_refcnt, 1);
	kpath_rele(kp);
	file_host_destroy(vp);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, NULL, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mmap_names_entries_and_splits_share_it),
		T(test_fork_copies_hold_the_name),
		T(test_mremap_keeps_the_name),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
