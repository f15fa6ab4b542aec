/*
 * Sleep and wakeup.  This kernel has a single thread of control until the
 * scheduler arrives with processes, so nothing could ever wake a sleeper:
 * a sleep is a deadlock, and we report it as one instead of hanging.
 * wakeup() with nobody asleep is a no-op, which is always correct.
 */
#include "kern/kernel.h"
#include "machine/pcpu.h"

void
tsleep(const void *chan, struct spinlock *interlock, const char *wmesg)
{
	panic("tsleep: \"%s\" on %p would sleep forever: no other thread exists",
	    wmesg, chan);
}

void
wakeup(const void *chan)
{
}

int
curcpu_id(void)
{
	return curpcpu()->pc_cpuid;
}
