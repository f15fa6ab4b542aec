/*
 * The tick.  hardclock() runs from the timer interrupt on the boot hart,
 * HZ times a second; later it will also drive the scheduler.
 */
#include "kern/clock.h"

volatile uint64_t ticks;

void
hardclock(void)
{
	__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
}
