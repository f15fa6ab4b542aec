/*
 * The tick.  hardclock() runs from the timer interrupt on the boot hart,
 * HZ times a second; later it will also drive the scheduler.
 */
#include "kern/clock.h"
#include "kern/thread.h"

volatile uint64_t ticks;
static uint64_t boottime_ns;	/* wall-clock time at uptime 0 */

void
hardclock(void)
{
	__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
	sched_clock();
}

/* Record the wall-clock time now (from an RTC), fixing the boot time. */
void
clock_set_boottime(uint64_t realtime_ns)
{
	uint64_t up = clock_uptime_ns();

	boottime_ns = realtime_ns > up ? realtime_ns - up : 0;
}

uint64_t
clock_boottime_ns(void)
{
	return boottime_ns;
}

/* Nanoseconds since the Unix epoch (since boot if there is no RTC). */
uint64_t
clock_realtime_ns(void)
{
	return boottime_ns + clock_uptime_ns();
}
