/*
 * Machine-dependent parts of threads: kernel stacks and the first
 * register state of a new thread.
 *
 * Kernel stacks live in their own part of the kernel VA arena, in slots of
 * KSTACK_PAGES mapped pages above one unmapped guard page, so a stack
 * overflow faults instead of corrupting a neighbour.  Freed slots are
 * reused, newest first.  The last few stacks freed stay mapped, with
 * their pages, in a small cache that the next threads take (FreeBSD's
 * kstack cache): a fork and an exit otherwise map and unmap four pages,
 * allocate and free them and shoot the kernel mappings down, some 2,000
 * instructions.  kstack_cache_drain empties it (leak checks).
 */
#include "kern/kernel.h"
#include "kern/thread.h"
#include "machine/frame.h"
#include "machine/pmap_machdep.h"
#include "machine/riscv.h"
#include "machine/vmparam.h"
#include "vm/vm_page.h"

#define KSTACK_SLOT_SIZE	((KSTACK_PAGES + 1) * PAGE_SIZE)
#define KSTACK_SLOTS		4096

static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");
static uint32_t kstack_next;			/* slots never used start here */
static uint32_t kstack_free[KSTACK_SLOTS];	/* stack of freed slots */
static uint32_t kstack_nfree;
#define KSTACK_CACHE		8		/* idle stacks kept mapped */
static vaddr_t kstack_cache[KSTACK_CACHE];	/* (kstack_lock) their bases */
static int kstack_ncached;			/* (kstack_lock) */

/*
 * A kernel stack: a cached one if any, else a newly mapped one.  Returns
 * its lowest address, or 0 if out of memory.
 */
vaddr_t
kstack_alloc(void)
{
	struct vm_page *pages[KSTACK_PAGES];
	uint32_t slot;
	vaddr_t base = 0;

	spin_lock(&kstack_lock);
	if (kstack_ncached > 0)
		base = kstack_cache[--kstack_ncached];
	spin_unlock(&kstack_lock);
	if (base != 0)
		return base;	/* mapped all along: no hart holds it stale */
	for (int i = 0; i < KSTACK_PAGES; i++) {
		pages[i] = vm_page_alloc_nobj(0);
		if (pages[i] == NULL) {
			while (--i >= 0)
				vm_page_free(pages[i]);
			return 0;
		}
	}
	spin_lock(&kstack_lock);
	if (kstack_nfree > 0)
		slot = kstack_free[--kstack_nfree];
	else if (kstack_next < KSTACK_SLOTS)
		slot = kstack_next++;
	else
		slot = UINT32_MAX;
	spin_unlock(&kstack_lock);
	if (slot == UINT32_MAX) {
		for (int i = 0; i < KSTACK_PAGES; i++)
			vm_page_free(pages[i]);
		return 0;
	}
	base = KSTACK_MIN_ADDRESS + (vaddr_t)slot * KSTACK_SLOT_SIZE + PAGE_SIZE;
	for (int i = 0; i < KSTACK_PAGES; i++)
		pmap_kenter(base + ptoa(i), VM_PAGE_TO_PHYS(pages[i]));
	return base;		/* other harts: kstack_first_use() */
}

/*
 * Before a hart first runs on the stack at base: drop any entry it may
 * hold for those addresses (the spec lets a hart cache an invalid one,
 * say from an older stack in the slot).  Local, so creating a thread
 * sends no shootdown.
 */
void
kstack_first_use(vaddr_t base)
{
	for (int i = 0; i < KSTACK_PAGES; i++)
		__asm__ volatile("sfence.vma %0, zero" :: "r"(base + ptoa(i))
		    : "memory");
}

/*
 * Unmap and free the stack at base and give its slot back.  Every other
 * hart gets a shootdown, not only those its thread ran on: other threads
 * read stacks too (a futex waiter lives on its sleeper's stack).
 */
static void
kstack_unmap(vaddr_t base)
{
	uint32_t slot = (uint32_t)((base - PAGE_SIZE - KSTACK_MIN_ADDRESS) /
	    KSTACK_SLOT_SIZE);

	paddr_t pa[KSTACK_PAGES];

	for (int i = 0; i < KSTACK_PAGES; i++)
		pa[i] = pmap_kremove(base + ptoa(i));
	pmap_kinvalidate(base, ptoa(KSTACK_PAGES), CPUMASK(mp_ncpus) - 1);
	for (int i = 0; i < KSTACK_PAGES; i++)
		vm_page_free(PHYS_TO_VM_PAGE(pa[i]));
	spin_lock(&kstack_lock);
	kstack_free[kstack_nfree++] = slot;
	spin_unlock(&kstack_lock);
}

/* A thread's stack is done with: into the cache, or unmapped if full. */
void
kstack_free_stack(vaddr_t base)
{
	bool kept = false;

	spin_lock(&kstack_lock);
	if (kstack_ncached < KSTACK_CACHE) {
		kstack_cache[kstack_ncached++] = base;
		kept = true;
	}
	spin_unlock(&kstack_lock);
	if (!kept)
		kstack_unmap(base);
}

/* Unmap every cached stack (vfs_drain_caches, for leak checks). */
void
kstack_cache_drain(void)
{
	for (;;) {
		vaddr_t base = 0;

		spin_lock(&kstack_lock);
		if (kstack_ncached > 0)
			base = kstack_cache[--kstack_ncached];
		spin_unlock(&kstack_lock);
		if (base == 0)
			return;
		kstack_unmap(base);
	}
}

vaddr_t
thread_stack_top(const struct thread *td)
{
	return td->td_kstack + ptoa(KSTACK_PAGES);
}

/*
 * Set up td to start in thread_trampoline, which calls fn(arg).  The
 * stack starts below the space for the user trap frame and the kstack
 * header at its top.
 */
void
cpu_thread_init(struct thread *td, void (*fn)(void *), void *arg)
{
	vaddr_t top = thread_stack_top(td) - sizeof(struct kstack_hdr);

	td->td_frame = (struct trapframe *)(top - TF_SIZE);
	memset(td->td_frame, 0, TF_SIZE);
	memset(&td->td_ctx, 0, sizeof(td->td_ctx));
	td->td_ctx.ra = (uint64_t)thread_trampoline;
	td->td_ctx.sp = (uint64_t)td->td_frame & ~15UL;
	td->td_ctx.s[0] = (uint64_t)fn;
	td->td_ctx.s[1] = (uint64_t)arg;
}

void user_return(struct trapframe *tf) __noreturn;

void trap_user_start(struct trapframe *tf);

/* Leave for user mode with the registers in td's trap frame. */
void
thread_enter_user(struct thread *td)
{
	trap_user_start(td->td_frame);
	user_return(td->td_frame);
}
