/*
 * In-kernel tests of threads, the scheduler, sleep/wakeup and the sx lock
 * under contention.  Thread stacks and structures must all be freed (the
 * runner's page-leak check covers the stacks).
 */
#include "kern/ktest.h"
#include "kern/thread.h"

static struct spinlock pp_lock = SPINLOCK_INIT("pingpong");
static int pp_turn, pp_count, pp_done;

static void
pingpong(void *arg)
{
	int me = (int)(uintptr_t)arg;

	spin_lock(&pp_lock);
	for (int i = 0; i < 100; i++) {
		while (pp_turn != me)
			tsleep(&pp_turn, &pp_lock, "pingpong");
		pp_count++;
		pp_turn = 1 - me;
		wakeup(&pp_turn);
	}
	pp_done++;
	wakeup(&pp_done);
	spin_unlock(&pp_lock);
}

/* Wait (sleeping) until the thread count drops back to n. */
static void
wait_threads(int n)
{
	while (thread_count() > n)
		sched_yield();
	sched_yield();		/* let the last one's stack be reaped */
}

KTEST(thread_sleep_wakeup_pingpong, 0)
{
	int before = thread_count();

	pp_turn = pp_count = pp_done = 0;
	KT_ASSERT(thread_create("ping", pingpong, (void *)0) != NULL);
	KT_ASSERT(thread_create("pong", pingpong, (void *)1) != NULL);
	spin_lock(&pp_lock);
	while (pp_done < 2)
		tsleep(&pp_done, &pp_lock, "ppwait");
	spin_unlock(&pp_lock);
	KT_EQ(pp_count, 200);
	wait_threads(before);
	KT_EQ(thread_count(), before);
}

static struct sx test_sx = SX_INIT("test_sx");
static int sx_stage;

static void
sx_reader(void *arg)
{
	sx_slock(&test_sx);		/* blocks until the writer is done */
	sx_stage = sx_stage == 1 ? 2 : -1;
	sx_sunlock(&test_sx);
}

KTEST(sx_blocks_readers_while_held, 0)
{
	int before = thread_count();

	sx_stage = 0;
	sx_xlock(&test_sx);
	KT_ASSERT(thread_create("reader", sx_reader, NULL) != NULL);
	sched_yield();			/* the reader runs and must sleep */
	KT_EQ(sx_stage, 0);
	sx_stage = 1;
	sx_xunlock(&test_sx);		/* wakes the reader */
	wait_threads(before);
	KT_EQ(sx_stage, 2);
	KT_ASSERT(!sx_xlocked(&test_sx) && !sx_slocked(&test_sx));
}

static void
many_child(void *arg)
{
	(*(int *)arg)++;
}

/* Threads come and go without leaking stacks or slots. */
KTEST(thread_create_exit_many, 0)
{
	int before = thread_count(), ran = 0;

	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 10; i++)
			KT_ASSERT(thread_create("many", many_child, &ran) != NULL);
		wait_threads(before);
	}
	KT_EQ(ran, 200);
}
