/*
 * The tick.  hardclock() runs from the timer interrupt on every hart, HZ
 * times a second on each; only the boot hart's advances `ticks`.
 */
#include "kern/clock.h"
#include "kern/kernel.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"

volatile uint64_t ticks;
static uint64_t boottime_ns;	/* wall-clock time at uptime 0 */

void
hardclock(void)
{
	if (curcpu_id() == 0) {
		__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
		itimer_real_tick();
	}
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

static const int32_t kern_hz = HZ;

static int64_t
sysctl_boottime(const struct sysctl_node *node, struct sysctl_req *req)
{
	int64_t tv[2] = { (int64_t)(boottime_ns / 1000000000UL),
	    (int64_t)(boottime_ns % 1000000000UL / 1000) };

	return sysctl_out(req, tv, sizeof(tv));
}

SYSCTL_NODE_DECL(kern_hz_node, .name = "kern.hz", .type = CTLTYPE_INT,
    .flags = CTLFLAG_RD, .ptr = (void *)&kern_hz, .size = 4,
    .descr = "clock ticks per second");
SYSCTL_PROC(kern_boottime, "kern.boottime", CTLTYPE_OPAQUE, CTLFLAG_RD,
    sysctl_boottime, 0, "time of boot: struct timeval (sec, usec)");
SYSCTL_U64(kern_ticks, "kern.ticks", CTLFLAG_RD, (void *)&ticks,
    "clock ticks since boot");
