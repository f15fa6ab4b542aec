/*
 * Kernel services used by machine-independent code (kern/, vm/, fs/):
 * panic and assertions, console output, memory allocation and locks.
 * The host test build provides the same interface (tests/host/), which is
 * what lets vm/ run natively under the sanitizers.
 */
#ifndef KERN_KERNEL_H
#define KERN_KERNEL_H

#include "kern/types.h"
#include "kern/printf.h"
#include "kern/libkern.h"
#include "machine/curcpu.h"	/* curcpu_id(), curthread(), curthread_id() */

__noreturn void panic(const char *fmt, ...) __printflike(1, 2);

/* KASSERT(cond, fmt, ...): panic with "function: message" when cond fails. */
#define KASSERT(cond, fmt, ...) do {					\
	if (__builtin_expect(!(cond), 0))				\
		panic("%s: " fmt " (assert \"%s\" at %s:%d)", __func__,	\
		    ##__VA_ARGS__, #cond, __FILE__, __LINE__);		\
} while (0)

/*
 * LOCK_ASSERT(cond, fmt, ...): a KASSERT that only debug (WITNESS=1)
 * kernels and the host tests check (LOCK_CHECKS).  For the lock legends'
 * assertions on hot paths (the fault path, the pmap), which the
 * benchmarked kernel must not pay for.  LOCK_CHECKS also turns on the
 * page tries' stale-cursor checks (vm_radix.h).
 */
#if defined(WITNESS) && !defined(LOCK_CHECKS)
#define LOCK_CHECKS
#endif
#ifdef LOCK_CHECKS
#define LOCK_ASSERT(cond, fmt, ...)	KASSERT(cond, fmt, ##__VA_ARGS__)
#else
#define LOCK_ASSERT(cond, fmt, ...)	do { (void)sizeof(cond); } while (0)
#endif

/* kmalloc flags */
#define M_ZERO		0x1	/* zero the memory */
#define M_NOWAIT	0x2	/* return NULL rather than wait for memory */

/*
 * kmalloc(size, flags): size bytes, aligned to the smaller of their
 * power-of-two size and a page; NULL if memory is exhausted or size is 0
 * or absurdly large; M_ZERO zeroes them.  Never sleeps.  Requests up to
 * KMEM_MAX_SMALL bytes come from power-of-two buckets (kern_malloc.c);
 * one whose size is a compile-time constant, nearly every kmalloc,
 * goes straight to its bucket.
 */
#define KMEM_MIN_SHIFT	4
#define KMEM_NBUCKETS	8	/* 16, 32, ..., 2048 */
#define KMEM_MAX_SMALL	(1UL << (KMEM_MIN_SHIFT + KMEM_NBUCKETS - 1))
/* The bucket of a size from 1 to KMEM_MAX_SMALL. */
#define KMEM_BUCKET(size)						\
	((size) <= 16 ? 0 : (size) <= 32 ? 1 : (size) <= 64 ? 2 :	\
	 (size) <= 128 ? 3 : (size) <= 256 ? 4 : (size) <= 512 ? 5 :	\
	 (size) <= 1024 ? 6 : 7)

void *kmalloc_bucket(int b);
void *kmalloc_any(size_t size, int flags);

static inline __attribute__((always_inline)) void *
kmalloc(size_t size, int flags)
{
	void *p;

	if (!__builtin_constant_p(size) || size == 0 || size > KMEM_MAX_SMALL)
		return kmalloc_any(size, flags);
	p = kmalloc_bucket(KMEM_BUCKET(size));
	if (p != NULL && (flags & M_ZERO))
		memset(p, 0, size);
	return p;
}
void kfree(void *p);
void kmem_drain(void);

/*
 * Spin locks: interrupts are off on this hart while one is held, so an
 * interrupt handler may take a lock that thread code also takes.  Never
 * hold one across a sleep.
 */
struct spinlock {
	volatile uint32_t sl_locked;
	int sl_owner;			/* hart id of the holder, -1 if free:
					   kept in LOCK_CHECKS kernels only,
					   for spin_owned's assertions */
	const char *sl_name;		/* also its class for lock-order checks */
#ifdef WITNESS
	struct witness *sl_witness;	/* the class, once looked up */
#endif
};

#define SPINLOCK_INIT(name)	{ .sl_locked = 0, .sl_owner = -1, .sl_name = (name) }

void spin_init(struct spinlock *lk, const char *name);
#include "machine/spinlock.h"	/* spin_lock(), spin_unlock(), spin_owned() */

/*
 * Shared/exclusive sleep locks (kern_sx.c): the map and object locks.
 * Taking one may sleep, so never while holding a spin lock.  The fast
 * paths are a single compare-and-swap.
 */
struct sx {
	volatile uint64_t sx_state;	/* see kern_sx.c */
	const char *sx_name;		/* also its class for lock-order checks */
#ifdef WITNESS
	struct witness *sx_witness;	/* the class, once looked up */
#endif
};

#define SX_X		0x1UL		/* sx_state: held exclusively */
#define SX_WAITERS	0x2UL		/* sx_state: someone sleeps on it */
#define SX_SHIFT	2		/* sx_state: shared holders above this */

#define SX_INIT(name)	{ .sx_state = 0, .sx_name = (name) }

void sx_init(struct sx *sx, const char *name);
bool sx_try_xlock(struct sx *sx);
bool sx_try_upgrade(struct sx *sx);
void sx_downgrade(struct sx *sx);
/* The whole operations, for any state (kern_sx.c). */
void sx_xlock_hard(struct sx *sx);
void sx_xunlock_hard(struct sx *sx);
void sx_slock_hard(struct sx *sx);
void sx_sunlock_hard(struct sx *sx);

/*
 * Lock and unlock, with the uncontended case inline: one compare-and-
 * swap from the state that case expects, else the call (a fault takes
 * and drops two sx locks, and the calls cost it some 60 instructions).
 * A fast path succeeds only where the whole operation would do the same
 * and would find nothing to check (an unlock's CAS succeeds only from a
 * state this thread's hold explains), so the assertions lose nothing.
 * WITNESS kernels always call: each operation is recorded.
 */
/* The fast paths' CAS, with memory order order (acquire to lock,
 * release to unlock); always false in WITNESS kernels. */
static inline __attribute__((always_inline)) bool
sx_cas_fast(struct sx *sx, uint64_t old, uint64_t new, int order)
{
#ifdef WITNESS
	return false;
#else
	return __atomic_compare_exchange_n(&sx->sx_state, &old, new, false,
	    order, __ATOMIC_RELAXED);
#endif
}

static inline void
sx_xlock(struct sx *sx)
{
	if (!__builtin_expect(sx_cas_fast(sx, 0, SX_X | curthread_id(),
	    __ATOMIC_ACQUIRE), 1))
		sx_xlock_hard(sx);
}

/* Free to ours, with nobody waiting to be woken. */
static inline void
sx_xunlock(struct sx *sx)
{
	if (!__builtin_expect(sx_cas_fast(sx, SX_X | curthread_id(), 0,
	    __ATOMIC_RELEASE), 1))
		sx_xunlock_hard(sx);
}

/* One more reader on a lock held by readers only (or free). */
static inline void
sx_slock(struct sx *sx)
{
	uint64_t s = sx->sx_state;

	if (!__builtin_expect(!(s & SX_X) &&
	    sx_cas_fast(sx, s, s + (1UL << SX_SHIFT), __ATOMIC_ACQUIRE), 1))
		sx_slock_hard(sx);
}

/* One reader fewer, not the last one while others wait. */
static inline void
sx_sunlock(struct sx *sx)
{
	uint64_t s = sx->sx_state;

	if (!__builtin_expect(!(s & (SX_X | SX_WAITERS)) &&
	    (s >> SX_SHIFT) != 0 &&
	    sx_cas_fast(sx, s, s - (1UL << SX_SHIFT), __ATOMIC_RELEASE), 1))
		sx_sunlock_hard(sx);
}

/* Held exclusively by the running thread?  (Inline: assertions ask often.) */
static inline bool
sx_xlocked(const struct sx *sx)
{
	return (sx->sx_state & ~SX_WAITERS) == (SX_X | curthread_id());
}

/* Held shared by someone (we cannot tell who without per-holder records). */
static inline bool
sx_slocked(const struct sx *sx)
{
	uint64_t s = sx->sx_state;

	return !(s & SX_X) && (s >> SX_SHIFT) != 0;
}

/*
 * Held by the running thread, shared or exclusive?  Exact in WITNESS
 * kernels, which keep each thread's locks; elsewhere a shared hold by
 * anyone counts, as we cannot tell the holders apart.
 */
static inline bool
sx_held(const struct sx *sx)
{
#ifdef WITNESS
	return witness_sx_held(sx, false);
#else
	return sx_xlocked(sx) || sx_slocked(sx);
#endif
}

/*
 * Sleep on chan until wakeup(chan).  interlock (held on entry) is
 * released while asleep and re-taken before return.
 */
void tsleep(const void *chan, struct spinlock *interlock, const char *wmesg);
void wakeup(const void *chan);

/*
 * The same with a time limit in clock ticks (0: none): 0 if woken, EAGAIN
 * if the time ran out.  tsleep_sig also ends early, with EINTR, when a
 * signal is pending for the sleeping thread's process (kernel threads
 * have none).
 */
int tsleep_timo(const void *chan, struct spinlock *interlock,
    const char *wmesg, uint64_t timo_ticks);
int tsleep_sig(const void *chan, struct spinlock *interlock,
    const char *wmesg, uint64_t timo_ticks);

extern int mp_ncpus;		/* harts running the kernel */

#endif
