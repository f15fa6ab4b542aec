/*
 * Host tests: kern/thread.h embeds a thread's saved registers, but the
 * host has one thread and never switches; nothing reads this.
 */
#ifndef MACHINE_PCB_H
#define MACHINE_PCB_H

#include "kern/types.h"

struct context {
	uint64_t unused;
};

#endif
