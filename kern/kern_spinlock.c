/*
 * Per-hart data and spin lock set-up.  The lock and interrupt-nesting
 * fast paths are inline, in machine/spinlock.h.
 */
#include "kern/kernel.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"

struct pcpu pcpu[MAXCPU];

void
spin_init(struct spinlock *lk, const char *name)
{
	lk->sl_locked = 0;
	lk->sl_owner = -1;
	lk->sl_name = name;
}
