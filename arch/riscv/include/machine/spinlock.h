/*
 * Spin lock and interrupt-nesting fast paths, inline: a page fault takes
 * half a dozen spin locks, and calls to out-of-line lock, unlock, push and
 * pop cost it some 50 instructions a pair.  struct spinlock and the rules
 * for using one are in kern/kernel.h, which includes this file.  The host
 * tests give their own (tests/host/include/machine/spinlock.h).  Misuse
 * (recursion, unlocking a lock not held, unbalanced interrupt nesting) is
 * caught by LOCK_ASSERT, in the debug (WITNESS=1) kernels make check and
 * make stress boot, at no cost to the benchmarked kernel.
 */
#ifndef MACHINE_SPINLOCK_H
#define MACHINE_SPINLOCK_H

#include "kern/witness.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"

/*
 * Interrupts off, counting nesting per hart so that a lock released inside
 * another does not turn interrupts back on too early (as in xv6).
 */
static inline void
intr_push(void)
{
	uint64_t was = intr_disable();
	struct pcpu *pc = curpcpu();

	if (pc->pc_intr_depth++ == 0)
		pc->pc_intr_saved = was;
}

static inline void
intr_pop(void)
{
	struct pcpu *pc = curpcpu();

	LOCK_ASSERT((csr_read(sstatus) & SSTATUS_SIE) == 0, "interrupts on");
	LOCK_ASSERT(pc->pc_intr_depth > 0, "unbalanced");
	if (--pc->pc_intr_depth == 0)
		intr_restore(pc->pc_intr_saved);
}

/* Held by this hart?  For LOCK_ASSERT only: the owner is recorded in
 * LOCK_CHECKS kernels alone (two stores a lock hold, on every path). */
static inline bool
spin_owned(const struct spinlock *lk)
{
	return lk->sl_locked && lk->sl_owner == curpcpu()->pc_cpuid;
}

/* Record this hart as lk's holder (held) or none. */
static inline void
spin_set_owner(struct spinlock *lk, bool held)
{
#ifdef LOCK_CHECKS
	lk->sl_owner = held ? curpcpu()->pc_cpuid : -1;
#else
	(void)lk;
	(void)held;
#endif
}

static inline void
spin_lock(struct spinlock *lk)
{
	intr_push();
	LOCK_ASSERT(!spin_owned(lk), "%s: recursive acquire", lk->sl_name);
	witness_spin_lock(lk);
	if (__atomic_exchange_n(&lk->sl_locked, 1, __ATOMIC_ACQUIRE) != 0) {
		witness_spin_contended(lk);
		while (__atomic_exchange_n(&lk->sl_locked, 1,
		    __ATOMIC_ACQUIRE) != 0)
			;
	}
	spin_set_owner(lk, true);
}

static inline void
spin_unlock(struct spinlock *lk)
{
	LOCK_ASSERT(spin_owned(lk), "%s: not held", lk->sl_name);
	witness_spin_unlock(lk);
	spin_set_owner(lk, false);
	__atomic_store_n(&lk->sl_locked, 0, __ATOMIC_RELEASE);
	intr_pop();
}

#endif
