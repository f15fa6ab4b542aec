/*
 * The callee-saved register state cpu_switch() keeps for a thread that is
 * not running.  Offsets are used by swtch.S: ra, sp, then s0..s11.
 */
#ifndef MACHINE_PCB_H
#define MACHINE_PCB_H

#include "kern/types.h"

struct context {
	uint64_t ra;
	uint64_t sp;
	uint64_t s[12];
};

/* Switch from the thread whose state goes into old to the one in new. */
void cpu_switch(struct context *old, const struct context *new);

/* First code a new thread runs: calls thread_start(s0 = fn, s1 = arg). */
void thread_trampoline(void);

#endif
