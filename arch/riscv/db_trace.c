/*
 * Stack backtrace by frame pointers.  The kernel is built with
 * -fno-omit-frame-pointer: a non-leaf function keeps its return address
 * at fp-8 and its caller's fp at fp-16, while a leaf saves only the
 * caller's fp, at fp-8, and keeps its return address in ra.
 *
 * The innermost frame needs care, because the trap may have hit a leaf,
 * a prologue before ra was saved, or an epilogue after the frame was
 * popped.  In all three cases ra points into a different function than
 * sepc, so we report ra as the caller and let the walk skip a leaf's
 * saved fp.  When ra points into sepc's own function it is stale (left by
 * a call that returned) and the frame chain alone is right.
 *
 * The walk stays within the stack the trap happened on and stops at the
 * first implausible frame; it never faults.
 */
#include "kern/kernel.h"
#include "kern/ksyms.h"
#include "machine/machdep.h"

#define BT_MAX_FRAMES	32
#define BT_STACK_SPAN	(64 * 1024)	/* how far above sp a frame may be */

static void
print_frame(int n, uint64_t pc)
{
	uint64_t off;
	const char *name = ksym_lookup(pc, &off);

	kprintf("  #%-2d %#018lx %s+%#lx\n", n, pc, name != NULL ? name : "?",
	    name != NULL ? off : 0);
}

static const char *
function_of(uint64_t pc)
{
	uint64_t off;

	return ksym_lookup(pc, &off);
}

static bool
frame_ok(uint64_t fp, uint64_t lo, uint64_t hi)
{
	return (fp & 7) == 0 && fp >= lo + 16 && fp <= hi;
}

/*
 * Walk the frame chain from fp (sp bounds it), handing each return
 * address (as the call's address) to emit, frame n first, until max
 * frames have been seen.  Returns the number of the next frame.
 */
static int
walk_frames(uint64_t fp, uint64_t sp, int n, int max,
    void (*emit)(void *arg, int n, uint64_t pc), void *arg)
{
	uint64_t lo = sp, hi = sp + BT_STACK_SPAN;

	while (n < max && frame_ok(fp, lo, hi)) {
		uint64_t ret = ((uint64_t *)fp)[-1];
		uint64_t next = ((uint64_t *)fp)[-2];

		if (!ksym_is_text(ret)) {
			/* A leaf's frame: fp-8 holds the caller's fp. */
			next = ret;
		} else {
			emit(arg, n++, ret - 4);
		}
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

static void
emit_print(void *arg, int n, uint64_t pc)
{
	print_frame(n, pc);
}

void
db_backtrace(uint64_t pc, uint64_t ra, uint64_t fp, uint64_t sp)
{
	int n = 0;

	kprintf("backtrace:\n");
	print_frame(n++, pc);
	if (ksym_is_text(ra) && function_of(ra) != function_of(pc))
		print_frame(n++, ra - 4);	/* ra is after the call */
	walk_frames(fp, sp, n, BT_MAX_FRAMES, emit_print, NULL);
}

static void
emit_save(void *arg, int n, uint64_t pc)
{
	((uint64_t *)arg)[n] = pc;
}

/*
 * The calling function's callers, innermost first: up to max call
 * addresses into pcs.  Returns how many.  Never faults; takes no locks.
 */
__attribute__((noinline)) int
db_stack_save(uint64_t *pcs, int max)
{
	uint64_t sp;

	__asm__ volatile("mv %0, sp" : "=r"(sp));
	return walk_frames((uint64_t)__builtin_frame_address(0), sp, 0,
	    max, emit_save, pcs);
}

/* Print a stack db_stack_save took, as db_backtrace prints one. */
void
db_stack_print(const uint64_t *pcs, int n)
{
	kprintf("backtrace:\n");
	for (int i = 0; i < n; i++)
		print_frame(i, pcs[i]);
}
