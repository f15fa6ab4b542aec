/*
 * In-kernel tests of threads, the scheduler, sleep/wakeup and the sx lock
 * under contention.  Thread stacks and structures must all be freed (the
 * runner's page-leak check covers the stacks).
 */
#include "kern/clock.h"
#include "kern/ktest.h"
#include "kern/thread.h"
#include "machine/vmparam.h"
#include "vm/vm_page.h"

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
	__atomic_add_fetch((int *)arg, 1, __ATOMIC_RELAXED);	/* several harts */
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

/*
 * Several threads on several harts take one sx lock, exclusive and shared
 * in turn, so that some sleep on it while others release it.  A waiter
 * that went to sleep after the last release (a lost wakeup: sx_wait once
 * slept without rechecking when SX_WAITERS was already set) would never
 * finish; the test waits a bounded time instead of hanging.
 */
#define SXC_THREADS	6
#define SXC_ROUNDS	3000

static struct sx sxc_lock = SX_INIT("test_sxc");
static struct spinlock sxc_done_lock = SPINLOCK_INIT("test_sxc_done");
static uint64_t sxc_count;		/* under sxc_lock, exclusive */
static int sxc_done, sxc_torn;		/* sxc_done under sxc_done_lock */

static void
sx_contender(void *arg)
{
	for (int i = 0; i < SXC_ROUNDS; i++) {
		if ((i + (int)(uintptr_t)arg) % 3 == 0) {
			uint64_t seen;

			sx_slock(&sxc_lock);
			seen = sxc_count;
			for (volatile int spin = 0; spin < 20; spin++)
				;
			if (sxc_count != seen)	/* a writer got in beside us */
				__atomic_store_n(&sxc_torn, 1, __ATOMIC_RELAXED);
			sx_sunlock(&sxc_lock);
		} else {
			sx_xlock(&sxc_lock);
			sxc_count++;
			sx_xunlock(&sxc_lock);
		}
		if (i % 64 == 0)
			sched_yield();
	}
	spin_lock(&sxc_done_lock);
	sxc_done++;
	wakeup(&sxc_done);
	spin_unlock(&sxc_done_lock);
}

KTEST(sx_contention_no_lost_wakeup, 0)
{
	int before = thread_count(), writes = 0;
	uint64_t deadline = ticks + 60 * HZ;

	sxc_count = 0;
	sxc_done = sxc_torn = 0;
	for (int t = 0; t < SXC_THREADS; t++) {
		KT_ASSERT(thread_create("sxc", sx_contender, (void *)(uintptr_t)t) != NULL);
		for (int i = 0; i < SXC_ROUNDS; i++)
			writes += (i + t) % 3 != 0;
	}
	spin_lock(&sxc_done_lock);
	while (sxc_done < SXC_THREADS && ticks < deadline)
		tsleep_timo(&sxc_done, &sxc_done_lock, "sxcwait", HZ);
	spin_unlock(&sxc_done_lock);
	KT_EQ(sxc_done, SXC_THREADS);
	KT_EQ(sxc_count, (uint64_t)writes);
	KT_EQ(sxc_torn, 0);
	wait_threads(before);
}

/*
 * The lost wakeup itself needs the last release of a contention episode
 * to fall between a waiter's read of the lock (SX_WAITERS already set by
 * another waiter) and its sleep: later contention would wake it again.
 * So: many short episodes, each the main thread holding the lock while
 * the workers pile up on it, then releasing it at a varying moment, and
 * nothing else touching the lock until every worker got through.
 */
#define SXE_WORKERS	3
#define SXE_EPISODES	400

static struct sx sxe_lock = SX_INIT("test_sxe");
static struct spinlock sxe_gate = SPINLOCK_INIT("test_sxe_gate");
static int sxe_episode, sxe_through, sxe_quit;	/* under sxe_gate */

static void
sx_episode_worker(void *arg)
{
	int seen = 0;

	for (;;) {
		spin_lock(&sxe_gate);
		while (sxe_episode == seen && !sxe_quit)
			tsleep(&sxe_episode, &sxe_gate, "sxegate");
		if (sxe_quit) {
			spin_unlock(&sxe_gate);
			return;
		}
		seen = sxe_episode;
		spin_unlock(&sxe_gate);
		if ((uintptr_t)arg & 1)
			sx_slock(&sxe_lock), sx_sunlock(&sxe_lock);
		else
			sx_xlock(&sxe_lock), sx_xunlock(&sxe_lock);
		spin_lock(&sxe_gate);
		sxe_through++;
		wakeup(&sxe_through);
		spin_unlock(&sxe_gate);
	}
}

KTEST(sx_release_wakes_every_waiter, 0)
{
	int before = thread_count(), stuck_at = -1;

	sxe_episode = sxe_through = sxe_quit = 0;
	for (int w = 0; w < SXE_WORKERS; w++)
		KT_ASSERT(thread_create("sxe", sx_episode_worker, (void *)(uintptr_t)w) != NULL);
	for (int e = 1; e <= SXE_EPISODES && stuck_at < 0; e++) {
		uint64_t deadline;

		sx_xlock(&sxe_lock);
		spin_lock(&sxe_gate);
		sxe_through = 0;
		sxe_episode = e;
		wakeup(&sxe_episode);
		spin_unlock(&sxe_gate);
		for (volatile int spin = 0; spin < (e % 32) * 200; spin++)
			;
		sx_xunlock(&sxe_lock);
		deadline = ticks + 5 * HZ;
		spin_lock(&sxe_gate);
		while (sxe_through < SXE_WORKERS && ticks < deadline)
			tsleep_timo(&sxe_through, &sxe_gate, "sxewait", 1);
		if (sxe_through < SXE_WORKERS)
			stuck_at = e;
		spin_unlock(&sxe_gate);
	}
	KT_EQ(stuck_at, -1);
	spin_lock(&sxe_gate);
	sxe_quit = 1;
	wakeup(&sxe_episode);
	spin_unlock(&sxe_gate);
	wait_threads(before);
}

/*
 * A freed kernel stack stays mapped in the stack cache and is the next
 * one handed out, its contents still there (no new pages, no mapping
 * work); draining the cache unmaps it and frees its pages.
 */
KTEST(kstack_cache_reuses_mapped_stack, 0)
{
	uint64_t free_before, cached_free;
	vaddr_t base, again;

	kstack_cache_drain();
	free_before = vm_page_free_count();
	base = kstack_alloc();
	KT_ASSERT(base != 0);
	*(volatile uint64_t *)base = 0x5eed;
	kstack_free_stack(base);
	cached_free = vm_page_free_count();
	KT_EQ(cached_free, free_before - KSTACK_PAGES);	/* still held */
	again = kstack_alloc();
	KT_EQ(again, base);
	KT_EQ(*(volatile uint64_t *)again, 0x5eed);	/* mapped all along */
	KT_EQ(vm_page_free_count(), cached_free);
	kstack_free_stack(again);
	kstack_cache_drain();
	KT_EQ(vm_page_free_count(), free_before);
}
