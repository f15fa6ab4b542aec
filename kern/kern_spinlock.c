/*
 * Spin locks (see kern/kernel.h) and the nesting interrupt-disable they use.
 * intr_push/intr_pop count nesting per hart so that a lock released inside
 * another does not turn interrupts back on too early (as in xv6).
 */
#include "kern/kernel.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"

struct pcpu pcpu[MAXCPU];

void
intr_push(void)
{
	uint64_t was = intr_disable();
	struct pcpu *pc = curpcpu();

	if (pc->pc_intr_depth++ == 0)
		pc->pc_intr_saved = was;
}

void
intr_pop(void)
{
	struct pcpu *pc = curpcpu();

	KASSERT((csr_read(sstatus) & SSTATUS_SIE) == 0, "interrupts on");
	KASSERT(pc->pc_intr_depth > 0, "unbalanced");
	if (--pc->pc_intr_depth == 0)
		intr_restore(pc->pc_intr_saved);
}

void
spin_init(struct spinlock *lk, const char *name)
{
	lk->sl_locked = 0;
	lk->sl_owner = -1;
	lk->sl_name = name;
}

void
spin_lock(struct spinlock *lk)
{
	intr_push();
	KASSERT(!spin_owned(lk), "%s: recursive acquire", lk->sl_name);
	while (__atomic_exchange_n(&lk->sl_locked, 1, __ATOMIC_ACQUIRE) != 0)
		;
	lk->sl_owner = curpcpu()->pc_cpuid;
}

void
spin_unlock(struct spinlock *lk)
{
	KASSERT(spin_owned(lk), "%s: not held", lk->sl_name);
	lk->sl_owner = -1;
	__atomic_store_n(&lk->sl_locked, 0, __ATOMIC_RELEASE);
	intr_pop();
}

bool
spin_owned(const struct spinlock *lk)
{
	return lk->sl_locked && lk->sl_owner == curpcpu()->pc_cpuid;
}
