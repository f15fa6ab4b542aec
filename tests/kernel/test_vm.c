/*
 * In-kernel tests of the VM system on the real Sv39 pmap: every kind of
 * fault on a live address space (reached through copyin/copyout, which
 * fault exactly as user accesses do), the counters each fault moves, TLB
 * invalidation after protect and remove, the reverse map after fork,
 * chain depth under fork/write/exit, and that nothing leaks (the test
 * runner also checks the free page count around every test).
 */
#include "kern/ktest.h"
#include "kern/uaccess.h"
#include "vm/pmap.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

#define UBASE	0x10000000UL	/* where the tests map memory */

struct vmtest {
	struct vmspace *vm;
	struct vmmeter before;
	struct vm_fault_tunables saved;
	uint64_t objects_before;
};

/* A fresh address space with npages of private anonymous memory at UBASE. */
static bool
vmtest_setup(struct vmtest *t, int npages, bool prefault)
{
	vaddr_t addr = UBASE;

	t->saved = vm_fault_tunables;
	if (!prefault) {
		vm_fault_tunables.prefault_ahead = 0;
		vm_fault_tunables.prefault_behind = 0;
		vm_fault_tunables.prefault_upgrade = 0;
	}
	t->objects_before = vm_object_live_count();
	t->vm = vmspace_alloc(PAGE_SIZE, VM_MAXUSER_ADDRESS);
	if (t->vm == NULL)
		return false;
	if (vm_map_find(&t->vm->vm_map, NULL, 0, &addr, ptoa(npages), true,
	    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, MAP_COPY_ON_WRITE) !=
	    KERN_SUCCESS)
		return false;
	vmspace_activate(t->vm);
	vm_meter_sum(&t->before);
	return true;
}

static uint64_t
delta(struct vmtest *t, size_t field_offset)
{
	struct vmmeter now;

	vm_meter_sum(&now);
	return *(uint64_t *)((char *)&now + field_offset) -
	    *(uint64_t *)((char *)&t->before + field_offset);
}

#define DELTA(t, field)	delta((t), offsetof(struct vmmeter, field))

static void
vmtest_teardown(struct vmtest *t)
{
	vmspace_activate(NULL);
	if (t->vm != NULL)
		vmspace_free(t->vm);
	vm_fault_tunables = t->saved;
}

static uint64_t
peek(vaddr_t va)
{
	uint64_t v = 0xbad;

	if (copyin((void *)va, &v, sizeof(v)) != 0)
		return 0xfa17;
	return v;
}

static int
poke(vaddr_t va, uint64_t v)
{
	return copyout(&v, (void *)va, sizeof(v));
}

KTEST(vm_zero_fill_fault, 0)
{
	struct vmtest t;
	paddr_t pa;

	KT_ASSERT(vmtest_setup(&t, 16, false));
	KT_EQ(poke(UBASE + 8, 42), 0);
	KT_EQ(DELTA(&t, v_vm_faults), 1);
	KT_EQ(DELTA(&t, v_zfod), 1);
	KT_EQ(peek(UBASE + 8), 42);
	KT_EQ(DELTA(&t, v_vm_faults), 1);	/* now mapped: no fault */
	KT_ASSERT(pmap_extract(t.vm->vm_pmap, UBASE, &pa));
	KT_EQ(peek(UBASE + ptoa(5)), 0);	/* read of fresh memory: zeros */
	KT_EQ(DELTA(&t, v_zfod), 2);
	KT_EQ(DELTA(&t, v_cow_faults), 0);
	KT_EQ(pmap_resident_count(t.vm->vm_pmap), 2);
	vmtest_teardown(&t);
	KT_EQ(vm_object_live_count(), t.objects_before);
}

KTEST(vm_fault_errors, 0)
{
	struct vmtest t;
	char buf[8];
	size_t done;

	KT_ASSERT(vmtest_setup(&t, 4, false));
	/* Nothing mapped there. */
	KT_EQ(vm_fault(&t.vm->vm_map, UBASE + ptoa(100), VM_PROT_READ),
	    KERN_INVALID_ADDRESS);
	KT_EQ(copyin((void *)(UBASE + ptoa(100)), buf, 8), EFAULT);
	/* Kernel addresses are never user memory. */
	KT_EQ(copyin((void *)KERNEL_IMAGE_VA, buf, 8), EFAULT);
	KT_EQ(copyout(buf, (void *)(VM_MAXUSER_ADDRESS - 4), 8), EFAULT);
	/* Protection. */
	KT_EQ(vm_map_protect(&t.vm->vm_map, UBASE, UBASE + PAGE_SIZE,
	    VM_PROT_READ, false), KERN_SUCCESS);
	KT_EQ(vm_fault(&t.vm->vm_map, UBASE, VM_PROT_WRITE),
	    KERN_PROTECTION_FAILURE);
	KT_EQ(poke(UBASE, 1), EFAULT);
	KT_EQ(peek(UBASE), 0);
	KT_EQ(vm_map_protect(&t.vm->vm_map, UBASE, UBASE + PAGE_SIZE,
	    VM_PROT_ALL, true), KERN_SUCCESS);
	KT_EQ(vm_map_protect(&t.vm->vm_map, UBASE, UBASE + PAGE_SIZE,
	    VM_PROT_READ, true), KERN_SUCCESS);
	KT_EQ(vm_map_protect(&t.vm->vm_map, UBASE, UBASE + PAGE_SIZE,
	    VM_PROT_WRITE, false), KERN_PROTECTION_FAILURE);
	/* copyinstr: a string running off the end of the mapping. */
	memset(buf, 'x', sizeof(buf));
	KT_EQ(copyout(buf, (void *)(UBASE + ptoa(4) - 8), 8), 0);
	KT_EQ(copyinstr((void *)(UBASE + ptoa(4) - 8), buf, 8, &done),
	    ENAMETOOLONG);
	KT_EQ(copyinstr((void *)(UBASE + ptoa(4) - 8), buf, 100, &done), EFAULT);
	vmtest_teardown(&t);
}

/*
 * A sequential pass over anonymous memory: the first fault zero-fills
 * nothing ahead (one fault is no pattern yet), each following fault just
 * past the last window zero-fills a window twice as large (8, then 16,
 * the largest), so 32 pages take 4 faults; the pages read back right.
 */
KTEST(vm_prefault_zero_ahead, 0)
{
	struct vmtest t;

	KT_ASSERT(vmtest_setup(&t, 32, true));
	KT_EQ(vm_fault_tunables.prefault_ahead, 4);
	KT_EQ(poke(UBASE, 1), 0);
	KT_EQ(DELTA(&t, v_vm_faults), 1);
	KT_EQ(DELTA(&t, v_prefault_zeroed), 0);
	KT_EQ(poke(UBASE + PAGE_SIZE, 1), 0);
	KT_EQ(DELTA(&t, v_vm_faults), 2);
	KT_EQ(DELTA(&t, v_prefault_zeroed), 8);
	/* Touches of the prefaulted pages take no fault. */
	for (int i = 2; i <= 9; i++)
		KT_EQ(poke(UBASE + ptoa(i), i), 0);
	KT_EQ(DELTA(&t, v_vm_faults), 2);
	for (int i = 10; i < 32; i++)
		KT_EQ(poke(UBASE + ptoa(i), i), 0);
	/* At 10, 11..26 zero-filled; at 27, the rest: 28..31. */
	KT_EQ(DELTA(&t, v_vm_faults), 4);
	KT_EQ(DELTA(&t, v_prefault_zeroed), 8 + 16 + 4);
	for (int i = 2; i < 32; i++)
		KT_EQ(peek(UBASE + ptoa(i)), i);
	vmtest_teardown(&t);
}

/* Fill npages at UBASE with words that name the page and a tag. */
static int
fill(int npages, uint64_t tag)
{
	for (int i = 0; i < npages; i++)
		if (poke(UBASE + ptoa(i), tag << 16 | i) != 0)
			return -1;
	return 0;
}

static bool
check(int npages, uint64_t tag)
{
	for (int i = 0; i < npages; i++)
		if (peek(UBASE + ptoa(i)) != (tag << 16 | i))
			return false;
	return true;
}

KTEST(vm_cow_copy_after_fork, 0)
{
	struct vmtest t;
	struct vmspace *child;

	KT_ASSERT(vmtest_setup(&t, 8, false));
	KT_EQ(fill(8, 1), 0);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	KT_EQ(DELTA(&t, v_forks), 1);
	KT_EQ(DELTA(&t, v_forkpages), 8);
	vm_meter_sum(&t.before);

	vmspace_activate(child);
	KT_ASSERT(check(8, 1));			/* reads map the parent's pages */
	KT_EQ(DELTA(&t, v_vm_faults), 8);
	KT_EQ(DELTA(&t, v_cow_faults), 0);
	KT_EQ(poke(UBASE, 2 << 16), 0);		/* write: private copy */
	KT_EQ(DELTA(&t, v_cow_faults), 1);
	KT_EQ(DELTA(&t, v_cow_optim), 0);

	vmspace_activate(t.vm);
	KT_ASSERT(check(8, 1));			/* parent unchanged */
	KT_EQ(poke(UBASE + ptoa(1), 3 << 16 | 1), 0);	/* parent's own copy */
	KT_EQ(DELTA(&t, v_cow_faults), 2);

	vmspace_activate(child);
	KT_EQ(peek(UBASE), 2 << 16);
	KT_EQ(peek(UBASE + ptoa(1)), 1 << 16 | 1);	/* child still sees the old */
	vmspace_activate(t.vm);
	vmspace_free(child);
	KT_EQ(peek(UBASE), 1 << 16);
	KT_EQ(peek(UBASE + ptoa(1)), 3 << 16 | 1);
	vmtest_teardown(&t);
	KT_EQ(vm_object_live_count(), t.objects_before);
}

/*
 * Write fault-around on the real pmap: once the child is gone, the
 * parent's first write makes its read-only neighbours writable (the pmap
 * finds them read-only without its lock, then upgrades them in place);
 * the other writes take no fault, and every byte is where it belongs.
 */
KTEST(vm_write_fault_around, 0)
{
	enum { N = 16 };
	struct vmtest t;
	struct vmspace *child;

	KT_ASSERT(vmtest_setup(&t, N, false));
	KT_EQ(fill(N, 1), 0);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	vmspace_free(child);
	vm_fault_tunables.prefault_upgrade = N;
	vm_meter_sum(&t.before);
	KT_EQ(poke(UBASE + 8, 9), 0);
	KT_EQ(DELTA(&t, v_vm_faults), 1);
	KT_EQ(DELTA(&t, v_prefault_upgraded), N - 1);
	for (int i = 1; i < N; i++)
		KT_EQ(poke(UBASE + ptoa(i) + 8, 7), 0);
	KT_EQ(DELTA(&t, v_vm_faults), 1);
	KT_EQ(DELTA(&t, v_cow_faults), 0);
	for (int i = 0; i < N; i++) {
		KT_EQ(peek(UBASE + ptoa(i)), 1 << 16 | i);
		KT_EQ(peek(UBASE + ptoa(i) + 8), i == 0 ? 9 : 7);
	}
	vmtest_teardown(&t);
	KT_EQ(vm_object_live_count(), t.objects_before);
}

/*
 * Once the child is gone, the parent's writes rename pages up from the
 * backing object instead of copying them, until what is left there is
 * cheap to merge, which then ends the chain at one object.
 */
KTEST(vm_cow_rename_after_child_exit, 0)
{
	enum { N = 64 };
	struct vmtest t;
	struct vmspace *child;

	KT_ASSERT(vmtest_setup(&t, N, false));
	KT_EQ(fill(N, 1), 0);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	KT_EQ(poke(UBASE, 5), 0);	/* copy: the child still shares */
	KT_EQ(vm_object_chain_depth(t.vm->vm_map.header.next->object), 2);
	vmspace_free(child);		/* now only our shadow sees the rest */
	vm_meter_sum(&t.before);
	for (int i = 1; i < N; i++)
		KT_EQ(poke(UBASE + ptoa(i) + 8, 7), 0);
	KT_EQ(DELTA(&t, v_cow_faults), N - VM_COLLAPSE_CHEAP);
	KT_EQ(DELTA(&t, v_cow_optim), N - VM_COLLAPSE_CHEAP);
	KT_EQ(DELTA(&t, v_vm_faults), N - 1);
	for (int i = 1; i < N; i++) {
		KT_EQ(peek(UBASE + ptoa(i)), 1 << 16 | i);	/* contents moved */
		KT_EQ(peek(UBASE + ptoa(i) + 8), 7);
	}
	KT_EQ(vm_object_chain_depth(t.vm->vm_map.header.next->object), 1);
	vmtest_teardown(&t);
	KT_EQ(vm_object_live_count(), t.objects_before);
}

KTEST(vm_cow_rename_disabled_copies, 0)
{
	struct vmtest t;
	struct vmspace *child;

	KT_ASSERT(vmtest_setup(&t, 4, false));
	vm_fault_tunables.cow_rename = false;
	KT_EQ(fill(4, 1), 0);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	KT_EQ(poke(UBASE, 5), 0);
	vmspace_free(child);
	vm_meter_sum(&t.before);
	KT_EQ(poke(UBASE + ptoa(1) + 8, 7), 0);
	KT_EQ(DELTA(&t, v_cow_faults), 1);
	KT_EQ(DELTA(&t, v_cow_optim), 0);
	KT_EQ(peek(UBASE + ptoa(1)), 1 << 16 | 1);
	vmtest_teardown(&t);
}

/* After fork, a page read by both has two mappings in the reverse map. */
KTEST(vm_reverse_map_after_fork, 0)
{
	struct vmtest t;
	struct vmspace *child;
	struct vm_page *m;
	paddr_t pa, cpa;

	KT_ASSERT(vmtest_setup(&t, 2, false));
	KT_EQ(fill(2, 1), 0);
	KT_ASSERT(pmap_extract(t.vm->vm_pmap, UBASE, &pa));
	m = PHYS_TO_VM_PAGE(pa);
	KT_EQ(pmap_page_mapcount(m), 1);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	vmspace_activate(child);
	KT_EQ(peek(UBASE), 1 << 16);
	KT_ASSERT(pmap_extract(child->vm_pmap, UBASE, &cpa));
	KT_EQ(cpa, pa);				/* the same physical page */
	KT_EQ(pmap_page_mapcount(m), 2);
	/* Fork write-protected it; the write before it is not forgotten. */
	vm_object_lock(m->object);	/* as every pv list walker holds it */
	KT_ASSERT(pmap_is_modified(m) || vm_page_aflag_test(m, PGA_DIRTY));
	pmap_page_protect(m, VM_PROT_NONE);	/* revoke both */
	vm_object_unlock(m->object);
	KT_EQ(pmap_page_mapcount(m), 0);
	KT_ASSERT(!pmap_extract(child->vm_pmap, UBASE, &cpa));
	KT_ASSERT(!pmap_extract(t.vm->vm_pmap, UBASE, &cpa));
	KT_EQ(peek(UBASE), 1 << 16);		/* faults back in */
	vmspace_activate(t.vm);
	KT_EQ(peek(UBASE), 1 << 16);
	KT_EQ(pmap_page_mapcount(m), 2);
	vmspace_free(child);
	KT_EQ(pmap_page_mapcount(m), 1);
	vmtest_teardown(&t);
}

/*
 * A page's own pv entry (pv_own) serves its first mapping; a second
 * mapping takes an allocated one; when the first goes, pv_own is free
 * again and the next mapping claims it, while the other mapping lives on.
 */
KTEST(vm_pv_own_reused, 0)
{
	struct vmtest t;
	struct vmspace *child;
	struct vm_page *m;
	paddr_t pa;

	KT_ASSERT(vmtest_setup(&t, 1, false));
	KT_EQ(poke(UBASE, 5), 0);
	KT_ASSERT(pmap_extract(t.vm->vm_pmap, UBASE, &pa));
	m = PHYS_TO_VM_PAGE(pa);
	KT_ASSERT(m->pv_own.pv_pmap == t.vm->vm_pmap);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	vmspace_activate(child);
	KT_EQ(peek(UBASE), 5);			/* a second mapping */
	KT_EQ(pmap_page_mapcount(m), 2);
	KT_ASSERT(m->pv_own.pv_pmap == t.vm->vm_pmap);
	pmap_remove(t.vm->vm_pmap, UBASE, UBASE + PAGE_SIZE);
	KT_EQ(pmap_page_mapcount(m), 1);
	KT_ASSERT(m->pv_own.pv_pmap == NULL);	/* free again */
	KT_ASSERT(pmap_extract(child->vm_pmap, UBASE, &pa));
	vmspace_activate(t.vm);
	KT_EQ(peek(UBASE), 5);			/* claims pv_own */
	KT_ASSERT(m->pv_own.pv_pmap == t.vm->vm_pmap);
	KT_EQ(pmap_page_mapcount(m), 2);
	vm_object_lock(m->object);	/* as every pv list walker holds it */
	pmap_page_protect(m, VM_PROT_NONE);
	vm_object_unlock(m->object);
	KT_EQ(pmap_page_mapcount(m), 0);
	KT_ASSERT(m->pv_own.pv_pmap == NULL);
	vmspace_free(child);
	vmtest_teardown(&t);
}

/*
 * The range walks (protect, remove) find every leaf of sparse tables
 * through the tables' group marks: pages at both ends of a leaf table,
 * next to a group boundary and across two tables, and a removal that
 * empties groups leaves the others found.
 */
KTEST(vm_sparse_tables_walked, 0)
{
	static const int pages[] = { 0, 7, 8, 511, 512, 1023 };
	struct vmtest t;
	struct pmap *pmap;

	KT_ASSERT(vmtest_setup(&t, 1024, false));
	pmap = t.vm->vm_pmap;
	for (size_t i = 0; i < nitems(pages); i++)
		KT_EQ(poke(UBASE + ptoa(pages[i]), (uint64_t)pages[i]), 0);
	KT_EQ(pmap_resident_count(pmap), nitems(pages));
	KT_EQ(vm_map_protect(&t.vm->vm_map, UBASE, UBASE + ptoa(1024),
	    VM_PROT_READ, false), KERN_SUCCESS);
	for (size_t i = 0; i < nitems(pages); i++) {
		KT_EQ(poke(UBASE + ptoa(pages[i]), 1), EFAULT);
		KT_EQ(peek(UBASE + ptoa(pages[i])), (uint64_t)pages[i]);
	}
	pmap_remove(pmap, UBASE + ptoa(8), UBASE + ptoa(512));
	KT_EQ(pmap_resident_count(pmap), nitems(pages) - 2);
	pmap_remove(pmap, UBASE, UBASE + ptoa(1024));
	KT_EQ(pmap_resident_count(pmap), 0);
	for (size_t i = 0; i < nitems(pages); i++)
		KT_EQ(peek(UBASE + ptoa(pages[i])), (uint64_t)pages[i]);
	KT_EQ(pmap_resident_count(pmap), nitems(pages));
	vmtest_teardown(&t);
}

/*
 * The TLB must forget a mapping when protect or remove changes it: the
 * write right after a cached writable translation must fault.
 */
KTEST(vm_tlb_invalidation, 0)
{
	struct vmtest t;

	KT_ASSERT(vmtest_setup(&t, 4, false));
	KT_EQ(poke(UBASE, 1), 0);
	KT_EQ(poke(UBASE, 2), 0);		/* translation now cached */
	KT_EQ(vm_map_protect(&t.vm->vm_map, UBASE, UBASE + ptoa(4),
	    VM_PROT_READ, false), KERN_SUCCESS);
	KT_EQ(poke(UBASE, 3), EFAULT);
	KT_EQ(peek(UBASE), 2);
	KT_EQ(vm_map_remove(&t.vm->vm_map, UBASE, UBASE + ptoa(4)), KERN_SUCCESS);
	KT_EQ(peek(UBASE), 0xfa17);
	KT_EQ(pmap_resident_count(t.vm->vm_pmap), 0);
	vmtest_teardown(&t);
}

KTEST(vm_partial_unmap_clips, 0)
{
	struct vmtest t;
	uint64_t free_mid;

	KT_ASSERT(vmtest_setup(&t, 8, false));
	KT_EQ(fill(8, 1), 0);
	free_mid = vm_page_free_count();
	KT_EQ(vm_map_remove(&t.vm->vm_map, UBASE + ptoa(3), UBASE + ptoa(5)),
	    KERN_SUCCESS);
	KT_EQ(t.vm->vm_map.nentries, 2);
	KT_EQ(vm_page_free_count(), free_mid + 2);	/* pages freed at once */
	KT_EQ(peek(UBASE + ptoa(3)), 0xfa17);
	KT_EQ(peek(UBASE + ptoa(2)), 1 << 16 | 2);
	KT_EQ(peek(UBASE + ptoa(5)), 1 << 16 | 5);
	KT_EQ(vm_map_remove(&t.vm->vm_map, UBASE + 1, UBASE + ptoa(2)),
	    KERN_INVALID_ARGUMENT);
	vmtest_teardown(&t);
}

KTEST(vm_inherit_share_and_none, 0)
{
	struct vmtest t;
	struct vmspace *child;

	KT_ASSERT(vmtest_setup(&t, 4, false));
	KT_EQ(fill(4, 1), 0);
	KT_EQ(vm_map_inherit(&t.vm->vm_map, UBASE, UBASE + ptoa(2),
	    VM_INHERIT_SHARE), KERN_SUCCESS);
	KT_EQ(vm_map_inherit(&t.vm->vm_map, UBASE + ptoa(3), UBASE + ptoa(4),
	    VM_INHERIT_NONE), KERN_SUCCESS);
	child = vmspace_fork(t.vm);
	KT_ASSERT(child != NULL);
	vmspace_activate(child);
	KT_EQ(poke(UBASE, 99), 0);			/* shared */
	KT_EQ(poke(UBASE + ptoa(2), 98), 0);		/* copied */
	KT_EQ(peek(UBASE + ptoa(3)), 0xfa17);		/* not inherited */
	vmspace_activate(t.vm);
	KT_EQ(peek(UBASE), 99);
	KT_EQ(peek(UBASE + ptoa(2)), 1 << 16 | 2);
	vmspace_free(child);
	vmtest_teardown(&t);
}

KTEST(vm_madvise_dontneed_zeroes, 0)
{
	struct vmtest t;

	KT_ASSERT(vmtest_setup(&t, 4, false));
	KT_EQ(fill(4, 1), 0);
	KT_EQ(vm_map_madvise(&t.vm->vm_map, UBASE + ptoa(1), UBASE + ptoa(2),
	    VM_ADVICE_DONTNEED), KERN_SUCCESS);
	KT_EQ(peek(UBASE + ptoa(1)), 0);
	KT_EQ(peek(UBASE), 1 << 16);
	KT_EQ(peek(UBASE + ptoa(2)), 1 << 16 | 2);
	KT_EQ(vm_map_madvise(&t.vm->vm_map, UBASE, UBASE + ptoa(8),
	    VM_ADVICE_SEQUENTIAL), KERN_INVALID_ADDRESS);
	KT_EQ(vm_map_madvise(&t.vm->vm_map, UBASE, UBASE + ptoa(1), 77),
	    KERN_INVALID_ARGUMENT);
	vmtest_teardown(&t);
}

/*
 * Many generations of fork, write in both, child exit: the chain behind
 * the parent's memory must stay short.
 */
KTEST(vm_chain_depth_bounded, 0)
{
	struct vmtest t;
	struct vm_chain_stats cs;
	uint64_t deepest = 0;

	KT_ASSERT(vmtest_setup(&t, 8, false));
	KT_EQ(fill(8, 0), 0);
	for (int gen = 1; gen <= 64; gen++) {
		struct vmspace *child = vmspace_fork(t.vm);

		KT_ASSERT(child != NULL);
		vmspace_activate(child);
		KT_EQ(poke(UBASE + ptoa(gen % 8), 0xc0de), 0);
		vmspace_activate(t.vm);
		KT_EQ(poke(UBASE + ptoa((gen + 3) % 8), (uint64_t)gen << 16 |
		    ((gen + 3) % 8)), 0);
		vm_object_chain_stats(&cs);
		deepest = MAX(deepest, cs.depth_max);
		vmspace_free(child);
	}
	KT_ASSERT(deepest <= 3);
	for (int i = 0; i < 8; i++)
		KT_EQ(peek(UBASE + ptoa(i)) & 0xffff, i);
	kprintf("vm_chain_depth_bounded: deepest chain %lu over 64 generations\n",
	    deepest);
	vmtest_teardown(&t);
	KT_EQ(vm_object_live_count(), t.objects_before);
}
