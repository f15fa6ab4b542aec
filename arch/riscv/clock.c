/*
 * Supervisor timer.  With the Sstc extension the kernel programs
 * stimecmp directly; without it, each deadline costs an SBI TIME call.
 * Either way the interrupt is cause 5 (supervisor timer).
 */
#include "kern/clock.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/clock.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"
#include "machine/sbi.h"

static uint64_t timebase_hz;
static uint64_t tick_interval;	/* timebase ticks per hardclock */
static bool use_sstc;
static uint64_t tick_deadline[MAXCPU];	/* each hart's next tick (timebase);
					   written by that hart only */

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
	uint64_t *next = &tick_deadline[curcpu_id()];

	*next = rdtime() + tick_interval;
	clock_set_deadline(*next);
	csr_set(sie, SIE_STIE);
}

/*
 * Timer interrupt: count the tick and set the next deadline.  The ticks
 * keep their phase: the next deadline is a period after this one, not
 * after the moment the interrupt was taken, and an interrupt taken more
 * than a period late stands for every period it missed.  (Deadlines set
 * a period after the interrupt made every late interrupt push all later
 * ticks back: on a loaded host, QEMU's harts ran 5% behind the clock and
 * every sleep lasted 5% longer, more than 100 ms on a 2 s sleep.)
 */
void
clock_intr(void)
{
	uint64_t *next = &tick_deadline[curcpu_id()], now = rdtime(), n = 1;

	if (now >= *next + tick_interval)
		n = (now - *next) / tick_interval + 1;
	*next += n * tick_interval;
	clock_set_deadline(*next);
	hardclock(n);
}

uint64_t
clock_uptime_ns(void)
{
	uint64_t t = rdtime();

	return t / timebase_hz * 1000000000ULL +
	    t % timebase_hz * 1000000000ULL / timebase_hz;
}
