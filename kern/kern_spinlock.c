/*
 * Per-hart data and spin lock set-up.  The lock and interrupt-nesting
 * fast paths are inline, in machine/spinlock.h.
 */
#include "kern/kernel.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"
#include "vm/vm_meter.h"

/* The boot hart counts from its first instruction (VM_CNT_ADD); the
 * others get theirs in mp_machdep.c before they start. */
struct pcpu pcpu[MAXCPU] = {
	[0] = { .pc_meter = &vm_meter_percpu[0].vmp_cnt },
};
_Static_assert(MAXCPU <= VM_METER_NCPU, "a vmmeter for every hart");

void
spin_init(struct spinlock *lk, const char *name)
{
	lk->sl_locked = 0;
	lk->sl_owner = -1;
	lk->sl_name = name;
}
