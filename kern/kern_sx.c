/*
 * Shared/exclusive sleep locks.
 *
 * sx_state encodes the whole lock:
 *   0                          free
 *   SX_X | owner               held exclusively by owner (curthread_id(),
 *                              8-aligned, so it never overlaps the flags)
 *   n << SX_SHIFT              held shared by n holders
 *   | SX_WAITERS               someone sleeps on the lock
 * Uncontended operations are one compare-and-swap, inline (kernel.h);
 * the functions here do the whole operation.  A contended acquire first
 * spins a while when other harts run (sx_spin: the holds are short, a
 * fault's object lock some thousand instructions), then sets SX_WAITERS
 * under sx_interlock and sleeps; release wakes sleepers when SX_WAITERS
 * is set.
 */
#include "kern/kernel.h"
#include "kern/witness.h"

#define SX_ONE_SHARED	(1UL << SX_SHIFT)

static struct spinlock sx_interlock = SPINLOCK_INIT("sx_interlock");

static uint64_t
sx_owner_token(void)
{
	return (uint64_t)curthread_id();
}

static bool
sx_cas(struct sx *sx, uint64_t old, uint64_t new)
{
	return __atomic_compare_exchange_n(&sx->sx_state, &old, new, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void
sx_init(struct sx *sx, const char *name)
{
	sx->sx_state = 0;
	sx->sx_name = name;
}

/*
 * Spin budget of a contended acquire, in looks at the state: about as
 * long as a COW fault holds an object lock under multi-threaded TCG,
 * and far less than a sleep and wakeup cost (the global sched lock and
 * sx_interlock, a switch each way).  Without it, the children of one
 * fork faulting on their shared backing object on 2 harts slept on
 * half of its acquisitions (debug.witness.contention).
 */
#define SX_SPIN_LOOKS	4096

/* Hint to the hart that this is a spin-wait loop (Zihintpause's pause;
 * an ordinary fence where that extension is absent). */
static inline void
cpu_spinwait(void)
{
	__asm__ volatile(".4byte 0x0100000f");
}

/*
 * A contended acquire that saw state `seen`: spin until the state
 * changes, for at most SX_SPIN_LOOKS looks, and only when another hart
 * may be running the holder (on one hart, it cannot run while we spin).
 * Returns true if the state changed (the caller tries again), false to
 * go to sleep.
 */
static bool
sx_spin(struct sx *sx, uint64_t seen)
{
	if (mp_ncpus < 2)
		return false;
	for (int i = 0; i < SX_SPIN_LOOKS; i++) {
		if (__atomic_load_n(&sx->sx_state, __ATOMIC_RELAXED) != seen)
			return true;
		cpu_spinwait();
	}
	return false;
}

/*
 * Sleep until the lock's state changes; called when an acquire failed
 * with the state `seen`.  Sleeps only if the state is still `seen` (with
 * SX_WAITERS now set) under the interlock: the release that empties the
 * lock takes the interlock to wake, so it either comes before this check
 * (the check fails and the caller retries) or finds us asleep.  A waiter
 * that had seen SX_WAITERS already set must check too: the lock may have
 * been released since.
 */
static void
sx_wait(struct sx *sx, uint64_t seen)
{
	spin_lock(&sx_interlock);
	if (sx_cas(sx, seen, seen | SX_WAITERS))
		tsleep(sx, &sx_interlock, sx->sx_name);
	spin_unlock(&sx_interlock);
}

void
sx_xlock_hard(struct sx *sx)
{
	uint64_t mine = SX_X | sx_owner_token();
	bool waited = false;

	witness_sx_check(sx);
	for (;;) {
		uint64_t s = sx->sx_state;

		if ((s & ~SX_WAITERS) == 0) {
			if (sx_cas(sx, s, mine | (s & SX_WAITERS))) {
				witness_sx_lock(sx, true);
				return;
			}
			continue;
		}
		KASSERT((s & ~SX_WAITERS) != mine, "%s: recursive xlock",
		    sx->sx_name);
		if (!waited)
			witness_sx_contended(sx);
		waited = true;
		if (!sx_spin(sx, s))
			sx_wait(sx, s);
	}
}

/*
 * Take sx exclusively if nobody holds it; never sleeps, so it may be
 * called with a spin lock held (the page daemon locks a page's object
 * while the page queue lock keeps the page where it is).
 */
bool
sx_try_xlock(struct sx *sx)
{
	uint64_t s = sx->sx_state;

	if ((s & ~SX_WAITERS) != 0 ||
	    !sx_cas(sx, s, SX_X | sx_owner_token() | (s & SX_WAITERS)))
		return false;
	witness_sx_lock(sx, true);
	return true;
}

void
sx_slock_hard(struct sx *sx)
{
	bool waited = false;

	witness_sx_check(sx);
	for (;;) {
		uint64_t s = sx->sx_state;

		if (!(s & SX_X)) {
			if (sx_cas(sx, s, s + SX_ONE_SHARED)) {
				witness_sx_lock(sx, false);
				return;
			}
			continue;
		}
		KASSERT((s & ~SX_WAITERS) != (SX_X | sx_owner_token()),
		    "%s: slock while holding it exclusively", sx->sx_name);
		if (!waited)
			witness_sx_contended(sx);
		waited = true;
		if (!sx_spin(sx, s))
			sx_wait(sx, s);
	}
}

/* Drop `from` (our share of the state), waking sleepers if we were last. */
static void
sx_release(struct sx *sx, uint64_t from)
{
	uint64_t s = sx->sx_state;

	for (;;) {
		uint64_t to = (s & ~SX_WAITERS) - from;
		bool wake = to == 0 && (s & SX_WAITERS);

		if (wake)
			spin_lock(&sx_interlock);
		if (__atomic_compare_exchange_n(&sx->sx_state, &s,
		    wake ? 0 : to | (s & SX_WAITERS), false, __ATOMIC_RELEASE,
		    __ATOMIC_RELAXED)) {
			if (wake) {
				wakeup(sx);
				spin_unlock(&sx_interlock);
			}
			return;
		}
		if (wake)
			spin_unlock(&sx_interlock);
	}
}

void
sx_xunlock_hard(struct sx *sx)
{
	KASSERT(sx_xlocked(sx), "%s: not held exclusively", sx->sx_name);
	witness_sx_unlock(sx);
	sx_release(sx, SX_X | sx_owner_token());
}

void
sx_sunlock_hard(struct sx *sx)
{
	KASSERT(sx_slocked(sx), "%s: not held shared", sx->sx_name);
	witness_sx_unlock(sx);
	sx_release(sx, SX_ONE_SHARED);
}

/* Shared -> exclusive if we are the only holder; false otherwise. */
bool
sx_try_upgrade(struct sx *sx)
{
	uint64_t s = sx->sx_state;

	KASSERT(sx_slocked(sx), "%s: not held shared", sx->sx_name);
	if ((s & ~SX_WAITERS) != SX_ONE_SHARED ||
	    !sx_cas(sx, s, SX_X | sx_owner_token() | (s & SX_WAITERS)))
		return false;
	witness_sx_mode(sx, true);
	return true;
}

/* Exclusive -> shared, letting waiting readers in. */
void
sx_downgrade(struct sx *sx)
{
	uint64_t s;

	KASSERT(sx_xlocked(sx), "%s: not held exclusively", sx->sx_name);
	witness_sx_mode(sx, false);
	/* Swap, not store: a waiter may set SX_WAITERS meanwhile. */
	s = __atomic_exchange_n(&sx->sx_state, SX_ONE_SHARED, __ATOMIC_RELEASE);
	if (s & SX_WAITERS) {
		spin_lock(&sx_interlock);
		wakeup(sx);
		spin_unlock(&sx_interlock);
	}
}

