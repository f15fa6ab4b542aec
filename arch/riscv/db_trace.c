/*
 * Stack backtrace by frame pointers.  The kernel is built with
 * -fno-omit-frame-pointer: a non-leaf function keeps its return address
 * at fp-8 and its caller's fp at fp-16.  A leaf function may save only
 * the caller's fp (at fp-8) and keep ra in its register, so for the
 * innermost frame we tell the two apart by whether fp-8 holds a text
 * address.  The walk stays inside the stack the trap happened on and
 * stops at the first implausible frame; it never faults.
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

static bool
frame_ok(uint64_t fp, uint64_t lo, uint64_t hi)
{
	return (fp & 7) == 0 && fp >= lo + 16 && fp <= hi;
}

void
db_backtrace(uint64_t pc, uint64_t ra, uint64_t fp, uint64_t sp)
{
	uint64_t lo = sp, hi = sp + BT_STACK_SPAN;
	int n = 0;

	kprintf("backtrace:\n");
	print_frame(n++, pc);
	for (bool innermost = true; n < BT_MAX_FRAMES; innermost = false) {
		uint64_t ret, next;

		if (!frame_ok(fp, lo, hi))
			break;
		ret = ((uint64_t *)fp)[-1];
		next = ((uint64_t *)fp)[-2];
		if (innermost && !ksym_is_text(ret)) {
			/* A leaf: fp-8 is the saved fp, ra is still live. */
			next = ret;
			ret = ra;
		}
		if (!ksym_is_text(ret))
			break;
		/* ret points after the call; name the call instruction. */
		print_frame(n++, ret - 4);
		if (next <= fp)
			break;
		fp = next;
	}
}
