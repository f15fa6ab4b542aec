/*
 * The witness (kern/subr_witness.c), in WITNESS=1 kernels only.  Test
 * lock classes of their own, so the kernel's real orders are untouched.
 *
 * witness_reversal is KTEST_EXPLICIT: it makes reversals on purpose, and
 * scripts/check.py boots it alone and checks the console's reports (one
 * per reversed pair, with both stacks); everywhere else a report fails
 * the run.
 */
#include "kern/ktest.h"
#include "kern/thread.h"
#include "kern/witness.h"

#ifdef WITNESS

static struct spinlock wt_outer = SPINLOCK_INIT("wtest_outer");
static struct spinlock wt_inner = SPINLOCK_INIT("wtest_inner");
static struct sx wt_sx = SX_INIT("wtest_sx");

/* A consistent order, taken again and again, is recorded and never
 * reported; sleep lock -> spin lock is an order like any other. */
KTEST(witness_consistent_order, 0)
{
	uint64_t before = witness_reversal_count();

	for (int i = 0; i < 3; i++) {
		sx_xlock(&wt_sx);
		spin_lock(&wt_outer);
		spin_lock(&wt_inner);
		spin_unlock(&wt_inner);
		spin_unlock(&wt_outer);
		spin_lock(&wt_inner);	/* alone: no order */
		spin_unlock(&wt_inner);
		sx_xunlock(&wt_sx);
	}
	KT_ASSERT(witness_order_recorded("wtest_outer", "wtest_inner"));
	KT_ASSERT(witness_order_recorded("wtest_sx", "wtest_outer"));
	KT_ASSERT(witness_order_recorded("wtest_sx", "wtest_inner"));
	KT_ASSERT(!witness_order_recorded("wtest_inner", "wtest_outer"));
	KT_EQ(witness_reversal_count(), before);
}

/* The witness knows which thread holds an sx shared. */
KTEST(witness_sx_held, 0)
{
	KT_ASSERT(!sx_held(&wt_sx));
	sx_slock(&wt_sx);
	KT_ASSERT(sx_held(&wt_sx) && !witness_sx_held(&wt_sx, true));
	KT_ASSERT(sx_try_upgrade(&wt_sx));
	KT_ASSERT(witness_sx_held(&wt_sx, true));
	sx_downgrade(&wt_sx);
	KT_ASSERT(sx_held(&wt_sx) && !witness_sx_held(&wt_sx, true));
	sx_sunlock(&wt_sx);
	KT_ASSERT(!sx_held(&wt_sx));
}

static struct spinlock wt_a = SPINLOCK_INIT("wtest_a");
static struct spinlock wt_b = SPINLOCK_INIT("wtest_b");
static struct spinlock wt_x = SPINLOCK_INIT("wtest_x");
static struct spinlock wt_y = SPINLOCK_INIT("wtest_y");
static struct spinlock wt_z = SPINLOCK_INIT("wtest_z");
static struct sx wt_c = SX_INIT("wtest_sx_c");
static struct sx wt_d = SX_INIT("wtest_sx_d");

static void
spin_pair(struct spinlock *first, struct spinlock *second)
{
	spin_lock(first);
	spin_lock(second);
	spin_unlock(second);
	spin_unlock(first);
}

static void
sx_pair(struct sx *first, struct sx *second)
{
	sx_xlock(first);
	sx_slock(second);
	sx_sunlock(second);
	sx_xunlock(first);
}

/*
 * With debug.witness.panic=0, four reversals: a/b and c/d directly (each
 * reversed twice, reported once), z -> x against x -> y -> z, and a sleep
 * lock taken under a spin lock.
 */
KTEST(witness_reversal, KTEST_EXPLICIT)
{
	uint64_t before = witness_reversal_count();
	int saved = witness_panic;

	witness_panic = 0;
	spin_pair(&wt_a, &wt_b);
	spin_pair(&wt_b, &wt_a);
	spin_pair(&wt_b, &wt_a);
	sx_pair(&wt_c, &wt_d);
	sx_pair(&wt_d, &wt_c);
	sx_pair(&wt_d, &wt_c);
	spin_pair(&wt_x, &wt_y);
	spin_pair(&wt_y, &wt_z);
	spin_pair(&wt_z, &wt_x);
	spin_lock(&wt_a);
	sx_xlock(&wt_c);	/* free: it does not sleep */
	sx_xunlock(&wt_c);
	spin_unlock(&wt_a);
	witness_panic = saved;
	KT_EQ(witness_reversal_count() - before, 4);
	KT_ASSERT(witness_order_recorded("wtest_a", "wtest_b"));
	KT_ASSERT(!witness_order_recorded("wtest_b", "wtest_a"));
	KT_ASSERT(!witness_order_recorded("wtest_z", "wtest_x"));
}

/*
 * debug.witness.contention's counts: every acquire of a class is counted,
 * and one that finds the lock held is counted as contended once, whether
 * it then spins (other harts running) or sleeps.  A thread takes the
 * test's sx while the test holds it; the test lets go after a pause.
 */
static struct sx wt_cont = SX_INIT("wtest_contended");
static struct spinlock wt_cont_lock = SPINLOCK_INIT("wtest_cont_done");

static void
contender(void *arg)
{
	int *done = arg;

	sx_xlock(&wt_cont);
	sx_xunlock(&wt_cont);
	spin_lock(&wt_cont_lock);
	*done = 1;
	wakeup(done);
	spin_unlock(&wt_cont_lock);
	thread_exit();
}

KTEST(witness_contention_counted, 0)
{
	uint64_t acquired, contended;
	int done = 0, before = thread_count();

	sx_xlock(&wt_cont);
	sx_xunlock(&wt_cont);
	KT_ASSERT(witness_contention("wtest_contended", &acquired, &contended));
	KT_EQ(acquired, 1);
	KT_EQ(contended, 0);
	sx_xlock(&wt_cont);
	KT_ASSERT(thread_create("contender", contender, &done) != NULL);
	spin_lock(&wt_cont_lock);
	/* Long enough for it to have tried, spun and gone to sleep. */
	tsleep_timo(&wt_cont_lock, &wt_cont_lock, "wtpause", 5);
	spin_unlock(&wt_cont_lock);
	sx_xunlock(&wt_cont);
	spin_lock(&wt_cont_lock);
	while (!done)
		tsleep(&done, &wt_cont_lock, "wtdone");
	spin_unlock(&wt_cont_lock);
	KT_ASSERT(witness_contention("wtest_contended", &acquired, &contended));
	KT_EQ(acquired, 3);
	KT_EQ(contended, 1);
	while (thread_count() > before)
		sched_yield();
}

#endif
