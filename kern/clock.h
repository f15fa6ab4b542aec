/*
 * Time keeping: a periodic tick (hz per second) counted in `ticks`, and
 * the machine's free-running time counter for finer readings.
 */
#ifndef KERN_CLOCK_H
#define KERN_CLOCK_H

#include "kern/types.h"

#define HZ	100

extern volatile uint64_t ticks;

void hardclock(void);
uint64_t clock_uptime_ns(void);
uint64_t clock_realtime_ns(void);
void clock_set_boottime(uint64_t realtime_ns);
uint64_t clock_boottime_ns(void);

#endif
