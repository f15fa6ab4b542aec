/*
 * Lock-order checking (kern/subr_witness.c), in kernels built with
 * WITNESS=1 (make check and make stress use one; make run and make bench
 * the normal kernel, where every hook below is an empty inline).
 *
 * A lock class is a lock's name: every vm_object lock is "vm_object".
 * When a thread takes class B while holding class A, the order A -> B is
 * recorded with the stack that first took it; taking A while holding B
 * afterwards, or while holding anything B leads to, is a reversal: both
 * lock names and both stacks are printed, counted in
 * debug.witness.reversals, and the kernel panics unless
 * debug.witness.panic is 0.  Each pair of classes is reported once.
 *
 * Spin locks held are recorded per hart (a spin lock may be released by
 * the thread switched to: sched_lock across cpu_switch), sleep (sx) locks
 * per thread, since they stay held across sleeps.  Try-locks never wait,
 * so they record no order, but locks taken while holding one do.  Two
 * locks of one class (an object and its backing object) record nothing.
 */
#ifndef KERN_WITNESS_H
#define KERN_WITNESS_H

#include "kern/types.h"

struct spinlock;
struct sx;
struct witness;

#define WITNESS_HELD_MAX	16	/* locks of one kind held at once */

struct witness_held {
	const void *wh_lock;
	struct witness *wh_class;
	bool wh_exclusive;		/* sx: held exclusively */
};

/* What one thread (sx locks) or one hart (spin locks) holds, in order. */
struct witness_list {
	int wl_count;
	struct witness_held wl_held[WITNESS_HELD_MAX];
};

#ifdef WITNESS
/* Before spinning: check the order against what is held, then record lk
 * as held.  Interrupts are off (spin_lock has pushed). */
void witness_spin_lock(struct spinlock *lk);
void witness_spin_unlock(struct spinlock *lk);

/* Before a blocking acquire: check the order (and that no spin lock is
 * held).  After any successful acquire (try included): record it. */
void witness_sx_check(struct sx *sx);
void witness_sx_lock(struct sx *sx, bool exclusive);
void witness_sx_unlock(struct sx *sx);
void witness_sx_mode(struct sx *sx, bool exclusive);	/* upgrade/downgrade */
/* An acquire found the lock held and will spin or sleep: counted per
 * class in debug.witness.contention. */
void witness_spin_contended(struct spinlock *lk);
void witness_sx_contended(struct sx *sx);
/* Held by the running thread (exclusive, or in any mode)? */
bool witness_sx_held(const struct sx *sx, bool exclusive);

/* Interrupt handlers do not hold the interrupted thread's sleep locks. */
void witness_intr_enter(void);
void witness_intr_exit(void);

/* Tests: was from -> to recorded (directly)?  How many reversals so far? */
bool witness_order_recorded(const char *from, const char *to);
uint64_t witness_reversal_count(void);
/* Tests: class name's acquisitions and contended ones so far (false if
 * it has no class yet). */
bool witness_contention(const char *name, uint64_t *acquired,
    uint64_t *contended);
extern int witness_panic;	/* debug.witness.panic */
#else
static inline void witness_spin_lock(struct spinlock *lk) {}
static inline void witness_spin_unlock(struct spinlock *lk) {}
static inline void witness_sx_check(struct sx *sx) {}
static inline void witness_sx_lock(struct sx *sx, bool exclusive) {}
static inline void witness_sx_unlock(struct sx *sx) {}
static inline void witness_sx_mode(struct sx *sx, bool exclusive) {}
static inline void witness_spin_contended(struct spinlock *lk) {}
static inline void witness_sx_contended(struct sx *sx) {}
static inline void witness_intr_enter(void) {}
static inline void witness_intr_exit(void) {}
#endif

#endif
