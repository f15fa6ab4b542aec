/*
 * Supervisor timer.  With the Sstc extension the kernel programs
 * stimecmp directly; without it, each deadline costs an SBI TIME call.
 * Either way the interrupt is cause 5 (supervisor timer).
 */
#include "kern/clock.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/clock.h"
#include "machine/riscv.h"
#include "machine/sbi.h"

static uint64_t timebase_hz;
static uint64_t tick_interval;	/* timebase ticks per hardclock */
static bool use_sstc;

static void
clock_set_deadline(uint64_t when)
{
	if (use_sstc)
		csr_write(0x14d, when);
	else
		sbi_set_timer(when);
}

void
clock_init(const struct platform *plat)
{
	timebase_hz = plat->timebase_hz;
	tick_interval = timebase_hz / HZ;
	use_sstc = plat->has_sstc;
	clock_start_hart();
	kprintf("clock: timebase %lu Hz, %d Hz tick, %s\n", timebase_hz, HZ,
	    use_sstc ? "Sstc stimecmp" : "SBI TIME");
}

/* Start this hart's tick (every hart has its own timer). */
void
clock_start_hart(void)
{
	clock_set_deadline(rdtime() + tick_interval);
	csr_set(sie, SIE_STIE);
}

/* Timer interrupt: count the tick and set the next deadline. */
void
clock_intr(void)
{
	clock_set_deadline(rdtime() + tick_interval);
	hardclock();
}

uint64_t
clock_uptime_ns(void)
{
	uint64_t t = rdtime();

	return t / timebase_hz * 1000000000ULL +
	    t % timebase_hz * 1000000000ULL / timebase_hz;
}
