/*
 * The Goldfish real-time clock of QEMU's virt board: a 64-bit count of
 * nanoseconds since the Unix epoch, read low word first (which latches
 * the high word).  Read once at boot to set the wall clock; the timebase
 * counter keeps time after that.
 */
#include "dev/rtc.h"
#include "kern/clock.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/pmap_machdep.h"

#define RTC_TIME_LOW	0x00
#define RTC_TIME_HIGH	0x04

int
rtc_attach(const struct platform *plat)
{
	volatile uint32_t *regs;
	uint64_t ns;

	if (plat->rtc.base == 0)
		return -1;
	regs = (volatile uint32_t *)pmap_mapdev(plat->rtc.base, plat->rtc.size);
	ns = regs[RTC_TIME_LOW / 4];
	ns |= (uint64_t)regs[RTC_TIME_HIGH / 4] << 32;
	clock_set_boottime(ns);
	kprintf("rtc: goldfish at %#lx, %lu seconds since the epoch\n",
	    plat->rtc.base, ns / 1000000000UL);
	return 0;
}
