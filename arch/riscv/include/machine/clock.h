#ifndef MACHINE_CLOCK_H
#define MACHINE_CLOCK_H

struct platform;

void clock_init(const struct platform *plat);
void clock_intr(void);
void clock_start_hart(void);

#endif
