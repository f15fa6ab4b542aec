/*
 * Time keeping: a periodic tick (hz per second) counted in `ticks`, and
 * the machine's free-running time counter for finer readings.
 */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include "kern/types.h"

#define HZ	100

/* Where a hart's ticks go (kern.cp_time), in FreeBSD's order. */
#define CP_USER		0
#define CP_NICE		1	/* never charged: no nice levels */
#define CP_SYS		2
#define CP_INTR		3	/* never charged: interrupts are not threads */
#define CP_IDLE		4
#define CPUSTATES	5

extern volatile uint64_t ticks;

void hardclock(uint64_t n);
void statclock(bool usermode);
void clock_cp_time(int cpu, uint64_t out[CPUSTATES]);
uint64_t clock_uptime_ns(void);
uint64_t clock_realtime_ns(void);
void clock_set_boottime(uint64_t realtime_ns);
uint64_t clock_boottime_ns(void);

#endif
