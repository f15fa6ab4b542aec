/*
 * futex(2) and robust futex lists, with Linux's operations, flags and
 * errors: WAIT, WAKE, WAIT_BITSET, WAKE_BITSET, REQUEUE, CMP_REQUEUE and
 * WAKE_OP, FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME.  The priority-
 * inheritance operations (LOCK_PI, ...) are ENOSYS.
 *
 * Keys.  A private futex (FUTEX_PRIVATE_FLAG) is (address space, user
 * address).  A shared one is (VM object, byte offset) when the word lies
 * in a shared mapping (MAP_SHARED: an entry without copy-on-write), so
 * processes mapping the same memory at different addresses meet; in a
 * private mapping it is (address space, address) as a private one.  A
 * key is only ever compared, never followed, so no reference is held:
 * were an object freed while a thread still waited on it and its memory
 * reused for another object, a wake there could wake that waiter, a
 * spurious wakeup that futex users must take anyway.
 *
 * Waiters sleep on their own struct futex_waiter (on their stack), queued
 * in the hash bucket of their key.  Checking the futex word and queueing
 * happen under the bucket lock, and a waker takes the same lock, so a
 * wake between a waiter's check and its sleep is never lost: the word is
 * read with fuword32_nofault, since a fault cannot be waited for under a
 * spin lock; if the page is not there, the lock is dropped, the page
 * faulted in with copyin and the whole check done again (Linux's way).
 *
 * Lock legend (struct futex_waiter):
 *   (b) the lock of the bucket the waiter is on (fw_bucket, which only
 *       changes with both buckets' locks held: requeue)
 *   (c) constant while queued
 * Lock order: bucket lock (two buckets: lower address first) ->
 * sched_lock (wakeup, and tsleep's interlock).
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

/* WAKE_OP's encoded operation */
#define FUTEX_OP_OPARG_SHIFT	8
#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP_CMP_NE		1
#define FUTEX_OP_CMP_LT		2
#define FUTEX_OP_CMP_LE		3
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP_CMP_GE		5

/* Robust futex words */
#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define FUTEX_TID_MASK		0x3fffffffU
#define ROBUST_LIST_LIMIT	2048

#define FUTEX_BUCKETS		256
#define NSEC_PER_SEC		1000000000ULL
#define FUTEX_MAX_TICKS		(1ULL << 40)	/* "forever" */

struct futex_key {
	const void *fk_space;		/* address space or VM object */
	uint64_t fk_offset;		/* user address or offset in the object */
};

struct futex_bucket {
	struct spinlock fb_lock;
	struct list fb_waiters;		/* struct futex_waiter, oldest first */
};

struct futex_waiter {
	struct list fw_link;		/* (b) on fw_bucket's fb_waiters */
	struct futex_key fw_key;	/* (b) requeue changes it */
	uint32_t fw_bitset;		/* (c) */
	bool fw_queued;			/* (b) false once woken */
	struct futex_bucket *fw_bucket;	/* (b) written under both locks */
};

/* A wait's time limit: an absolute time on one clock. */
struct futex_timeout {
	bool ft_realtime;		/* CLOCK_REALTIME, else CLOCK_MONOTONIC */
	uint64_t ft_deadline_ns;	/* UINT64_MAX: none in practice */
};

static struct futex_bucket buckets[FUTEX_BUCKETS];
static bool buckets_ready;
static struct spinlock buckets_init_lock = SPINLOCK_INIT("futexinit");

static void
buckets_init(void)
{
	spin_lock(&buckets_init_lock);
	if (!buckets_ready) {
		for (int i = 0; i < FUTEX_BUCKETS; i++) {
			spin_init(&buckets[i].fb_lock, "futex");
			list_init(&buckets[i].fb_waiters);
		}
		__atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&buckets_init_lock);
}

static struct futex_bucket *
bucket_of(const struct futex_key *k)
{
	uint64_t h = ((uintptr_t)k->fk_space >> 4) ^ (k->fk_offset >> 2);

	if (!__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE))
		buckets_init();
	h *= 0x9e3779b97f4a7c15ULL;
	return &buckets[h >> 56];
}

static bool
key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->fk_space == b->fk_space && a->fk_offset == b->fk_offset;
}

/*
 * The key of the futex word at uaddr for the current process (see the
 * top).  Returns 0, EINVAL for a misaligned word, EFAULT for one outside
 * user space or (shared only, since only then is memory looked at, as on
 * Linux) not mapped readable, or EINTR when the fault-in waited for
 * memory and a signal came.  No lock held.
 */
static int
futex_key_get(uaddr_t uaddr, bool shared, struct futex_key *k)
{
	struct vmspace *vm = curproc()->p_vmspace;
	struct vm_map_entry *entry;
	uint32_t word;
	int error;

	if (uaddr & 3)
		return EINVAL;
	if (!access_ok(uaddr, sizeof(uint32_t)))
		return EFAULT;
	k->fk_space = vm;
	k->fk_offset = uaddr;
	if (!shared)
		return 0;
	/* Faulted in first, so that a shared entry has its object. */
	error = copyin((const void *)uaddr, &word, sizeof(word));
	if (error != 0)
		return error;
	vm_map_lock_read(&vm->vm_map);
	if (vm_map_lookup_entry(&vm->vm_map, uaddr, &entry) &&
	    !(entry->eflags & MAP_ENTRY_COW) && entry->object != NULL) {
		k->fk_space = entry->object;
		k->fk_offset = entry->offset + (uaddr - entry->start);
	}
	vm_map_unlock_read(&vm->vm_map);
	return 0;
}

/* Fault in the page of uaddr for writing.  0 or EFAULT.  No lock held. */
static int
fault_in_writable(uaddr_t uaddr)
{
	struct vmspace *vm = curproc()->p_vmspace;

	return vm_fault(&vm->vm_map, uaddr & ~(uaddr_t)PAGE_MASK,
	    VM_PROT_WRITE) == KERN_SUCCESS ? 0 : EFAULT;
}

/* Lock the bucket w is on (requeue may move it meanwhile); returned. */
static struct futex_bucket *
lock_waiter_bucket(struct futex_waiter *w)
{
	for (;;) {
		struct futex_bucket *b = __atomic_load_n(&w->fw_bucket,
		    __ATOMIC_ACQUIRE);

		spin_lock(&b->fb_lock);
		if (b == w->fw_bucket)
			return b;
		spin_unlock(&b->fb_lock);
	}
}

/* Both buckets locked, the lower first; once if they are the same. */
static void
lock_two(struct futex_bucket *b1, struct futex_bucket *b2)
{
	if (b1 == b2) {
		spin_lock(&b1->fb_lock);
	} else if (b1 < b2) {
		spin_lock(&b1->fb_lock);
		spin_lock(&b2->fb_lock);
	} else {
		spin_lock(&b2->fb_lock);
		spin_lock(&b1->fb_lock);
	}
}

static void
unlock_two(struct futex_bucket *b1, struct futex_bucket *b2)
{
	if (b1 != b2)
		spin_unlock(&b2->fb_lock);
	spin_unlock(&b1->fb_lock);
}

/* Dequeue w and wake its thread.  Its bucket's lock held. */
static void
wake_waiter(struct futex_waiter *w)
{
	list_remove(&w->fw_link);
	w->fw_queued = false;
	wakeup(w);
}

/*
 * Wake up to nr (at least one, as Linux counts) waiters on key in b whose
 * bitset meets bitset.  Returns how many were woken.  b locked.
 */
static int
wake_key(struct futex_bucket *b, const struct futex_key *key, int nr,
    uint32_t bitset)
{
	struct list *l, *next;
	int n = 0;

	for (l = b->fb_waiters.next; l != &b->fb_waiters; l = next) {
		struct futex_waiter *w = container_of(l, struct futex_waiter,
		    fw_link);

		next = l->next;
		if (!key_eq(&w->fw_key, key) || !(w->fw_bitset & bitset))
			continue;
		wake_waiter(w);
		if (++n >= nr)
			break;
	}
	return n;
}

static uint64_t
timeout_now(const struct futex_timeout *to)
{
	return to->ft_realtime ? clock_realtime_ns() : clock_uptime_ns();
}

/*
 * Sleep, queued as w on b (locked on entry, unlocked on return), until
 * woken, the time limit to (NULL: none) passes, or a signal comes.
 * Returns 0 (woken: that wins over a timeout or signal at the same
 * time, as on Linux), -ETIMEDOUT or -EINTR (restarted with the call's
 * arguments without a time limit, as Linux's -ERESTARTSYS; with one,
 * only when no handler runs, through futex_wait's restart block).
 */
static int
futex_sleep(struct futex_waiter *w, struct futex_bucket *b,
    const struct futex_timeout *to)
{
	int rv;

	for (;;) {
		uint64_t timo = 0;
		int error;

		if (to != NULL) {
			uint64_t now = timeout_now(to);

			if (now >= to->ft_deadline_ns) {
				rv = -ETIMEDOUT;
				break;
			}
			/* Rounded up, and a tick more: never early. */
			timo = MIN((to->ft_deadline_ns - now) /
			    (NSEC_PER_SEC / HZ) + 1, FUTEX_MAX_TICKS);
		}
		error = tsleep_sig(w, &b->fb_lock, "futex", timo);
		spin_unlock(&b->fb_lock);
		b = lock_waiter_bucket(w);
		if (!w->fw_queued) {
			spin_unlock(&b->fb_lock);
			return 0;
		}
		if (error == EINTR) {
			curthread()->td_eintr_norestart = to != NULL;
			rv = -EINTR;
			break;
		}
	}
	list_remove(&w->fw_link);
	spin_unlock(&b->fb_lock);
	return rv;
}

static int64_t futex_wait_resume(struct thread *td);

/*
 * A timed wait that a signal interrupted leaves a restart block, so that
 * after a stop (no handler) it waits on to the same deadline (Linux's
 * futex_wait_restart).  Returns rv.
 */
static int
futex_wait_interrupted(uaddr_t uaddr, bool shared, uint32_t val,
    const struct futex_timeout *to, uint32_t bitset, int rv)
{
	struct thread *td = curthread();

	if (rv != -EINTR || to == NULL)
		return rv;
	td->td_restart_fn = futex_wait_resume;
	td->td_restart_arg[0] = uaddr;
	td->td_restart_arg[1] = val | (uint64_t)shared << 32 |
	    (uint64_t)to->ft_realtime << 33;
	td->td_restart_arg[2] = bitset;
	td->td_restart_arg[3] = to->ft_deadline_ns;
	return rv;
}

/*
 * FUTEX_WAIT(_BITSET): if the word at uaddr holds val, sleep until a
 * wake whose bitset meets ours.  -EAGAIN if it does not hold val.
 */
static int
futex_wait(uaddr_t uaddr, bool shared, uint32_t val,
    const struct futex_timeout *to, uint32_t bitset)
{
	struct futex_waiter w = { .fw_bitset = bitset };
	struct futex_bucket *b;
	uint32_t cur;
	int error;

	if (bitset == 0)
		return -EINVAL;
	error = futex_key_get(uaddr, shared, &w.fw_key);
	if (error != 0)
		return -error;
	for (;;) {
		b = bucket_of(&w.fw_key);
		spin_lock(&b->fb_lock);
		if (fuword32_nofault(uaddr, &cur) == 0)
			break;
		spin_unlock(&b->fb_lock);
		error = copyin((const void *)uaddr, &cur, sizeof(cur));
		if (error != 0)
			return -error;
	}
	if (cur != val) {
		spin_unlock(&b->fb_lock);
		return -EAGAIN;
	}
	w.fw_queued = true;
	w.fw_bucket = b;
	list_insert_tail(&b->fb_waiters, &w.fw_link);
	return futex_wait_interrupted(uaddr, shared, val, to, bitset,
	    futex_sleep(&w, b, to));
}

/* The restart block of a timed wait (futex_wait_interrupted). */
static int64_t
futex_wait_resume(struct thread *td)
{
	const uint64_t *a = td->td_restart_arg;
	struct futex_timeout to = { .ft_realtime = (a[1] >> 33) & 1,
	    .ft_deadline_ns = a[3] };

	return futex_wait(a[0], (a[1] >> 32) & 1, (uint32_t)a[1], &to,
	    (uint32_t)a[2]);
}

/* FUTEX_WAKE(_BITSET): wake up to nr waiters; returns how many. */
static int
futex_wake(uaddr_t uaddr, bool shared, int nr, uint32_t bitset)
{
	struct futex_key key;
	struct futex_bucket *b;
	int error, n;

	if (bitset == 0)
		return -EINVAL;
	error = futex_key_get(uaddr, shared, &key);
	if (error != 0)
		return -error;
	b = bucket_of(&key);
	spin_lock(&b->fb_lock);
	n = wake_key(b, &key, nr, bitset);
	spin_unlock(&b->fb_lock);
	return n;
}

/* Wake up to nr waiters of the shared futex at uaddr (thread exit). */
int
futex_wake_shared(uint64_t uaddr, int nr)
{
	return futex_wake(uaddr, true, nr, FUTEX_BITSET_MATCH_ANY);
}

/*
 * Lock the buckets of k1 and k2, checking (if cmpval is not NULL) that
 * the word at uaddr1 still holds *cmpval.  Returns 0 with both locked,
 * or -EAGAIN / -EFAULT / -EINTR with neither.
 */
static int
lock_two_checked(uaddr_t uaddr1, const struct futex_key *k1,
    const struct futex_key *k2, const uint32_t *cmpval)
{
	struct futex_bucket *b1 = bucket_of(k1), *b2 = bucket_of(k2);
	uint32_t cur;
	int error;

	for (;;) {
		lock_two(b1, b2);
		if (cmpval == NULL)
			return 0;
		if (fuword32_nofault(uaddr1, &cur) == 0)
			break;
		unlock_two(b1, b2);
		error = copyin((const void *)uaddr1, &cur, sizeof(cur));
		if (error != 0)
			return -error;
	}
	if (cur != *cmpval) {
		unlock_two(b1, b2);
		return -EAGAIN;
	}
	return 0;
}

/*
 * FUTEX_(CMP_)REQUEUE: wake up to nr_wake waiters on uaddr1 and move up
 * to nr_requeue more to uaddr2 (bitsets are not looked at, as on Linux).
 * Returns how many were woken or moved.
 */
static int
futex_requeue(uaddr_t uaddr1, bool shared, uaddr_t uaddr2, int nr_wake,
    int nr_requeue, const uint32_t *cmpval)
{
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	struct list *l, *next;
	int error, count = 0;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	error = futex_key_get(uaddr1, shared, &k1);
	if (error == 0)
		error = futex_key_get(uaddr2, shared, &k2);
	if (error != 0)
		return -error;
	error = lock_two_checked(uaddr1, &k1, &k2, cmpval);
	if (error != 0)
		return error;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	for (l = b1->fb_waiters.next; l != &b1->fb_waiters; l = next) {
		struct futex_waiter *w = container_of(l, struct futex_waiter,
		    fw_link);

		next = l->next;
		if (count - nr_wake >= nr_requeue)
			break;
		if (!key_eq(&w->fw_key, &k1))
			continue;
		if (++count <= nr_wake) {
			wake_waiter(w);
			continue;
		}
		w->fw_key = k2;
		if (b1 != b2) {
			list_remove(&w->fw_link);
			list_insert_tail(&b2->fb_waiters, &w->fw_link);
			__atomic_store_n(&w->fw_bucket, b2, __ATOMIC_RELEASE);
		}
	}
	unlock_two(b1, b2);
	return count;
}

/*
 * WAKE_OP's operation on the word at uaddr, atomically: returns its
 * comparison's result (0 or 1), or -EFAULT (the page is not there) or
 * -ENOSYS (no such operation or comparison; the operation is done even
 * if the comparison is bad, as on Linux).  Buckets locked.
 */
static int
wake_op_apply(uint32_t encoded, uaddr_t uaddr)
{
	int op = (int)((encoded >> 28) & 7), cmp = (int)((encoded >> 24) & 15);
	int32_t oparg = ((int32_t)(encoded << 8)) >> 20;
	int32_t cmparg = ((int32_t)(encoded << 20)) >> 20;
	uint32_t old;
	int error;

	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int32_t)(1U << (oparg & 31));	/* Linux masks, too */
	error = futex_atomic_op_nofault(op, uaddr, (uint32_t)oparg, &old);
	if (error != 0)
		return -error;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:	return (int32_t)old == cmparg;
	case FUTEX_OP_CMP_NE:	return (int32_t)old != cmparg;
	case FUTEX_OP_CMP_LT:	return (int32_t)old < cmparg;
	case FUTEX_OP_CMP_LE:	return (int32_t)old <= cmparg;
	case FUTEX_OP_CMP_GT:	return (int32_t)old > cmparg;
	case FUTEX_OP_CMP_GE:	return (int32_t)old >= cmparg;
	default:		return -ENOSYS;
	}
}

/*
 * FUTEX_WAKE_OP: do the operation on uaddr2; wake up to nr_wake waiters
 * on uaddr1, and if the comparison held up to nr_wake2 on uaddr2.
 * Returns how many were woken.
 */
static int
futex_wake_op(uaddr_t uaddr1, bool shared, uaddr_t uaddr2, int nr_wake,
    int nr_wake2, uint32_t encoded)
{
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	int error, cond, n;

	error = futex_key_get(uaddr1, shared, &k1);
	if (error == 0)
		error = futex_key_get(uaddr2, shared, &k2);
	if (error != 0)
		return -error;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	for (;;) {
		lock_two(b1, b2);
		cond = wake_op_apply(encoded, uaddr2);
		if (cond >= 0)
			break;
		unlock_two(b1, b2);
		if (cond != -EFAULT)
			return cond;
		if (fault_in_writable(uaddr2) != 0)
			return -EFAULT;
	}
	n = wake_key(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (cond > 0)
		n += wake_key(b2, &k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	unlock_two(b1, b2);
	return n;
}

/*
 * Read the futex call's timeout (a struct timespec at utime): relative
 * to CLOCK_MONOTONIC for FUTEX_WAIT, absolute on CLOCK_REALTIME or
 * CLOCK_MONOTONIC otherwise.  0, EFAULT or EINVAL.
 */
static int
timeout_get(uaddr_t utime, int cmd, bool realtime, struct futex_timeout *to)
{
	struct { int64_t tv_sec, tv_nsec; } ts;
	uint64_t ns;

	if (copyin((const void *)utime, &ts, sizeof(ts)) != 0)
		return EFAULT;
	if (ts.tv_sec < 0 || (uint64_t)ts.tv_nsec >= NSEC_PER_SEC)
		return EINVAL;
	ns = (uint64_t)ts.tv_sec >= UINT64_MAX / NSEC_PER_SEC - 1 ? UINT64_MAX :
	    (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	to->ft_realtime = realtime && cmd != FUTEX_WAIT;
	if (cmd == FUTEX_WAIT)
		ns = ns > UINT64_MAX - clock_uptime_ns() ? UINT64_MAX :
		    ns + clock_uptime_ns();
	to->ft_deadline_ns = ns;
	return 0;
}

static bool
cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
	    cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	    cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * futex(2), Linux's checks in its order: the timeout (EFAULT, EINVAL),
 * FUTEX_CLOCK_REALTIME on an operation without a clock (ENOSYS), then
 * the operation.  utime is REQUEUE's, CMP_REQUEUE's and WAKE_OP's second
 * count (val2, 32 bits).
 */
int64_t
sys_futex(uaddr_t uaddr, int op, unsigned int val, uaddr_t utime,
    uaddr_t uaddr2, unsigned int val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	bool realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
	struct futex_timeout to, *top = NULL;
	int val2 = (int)(uint32_t)utime;

	if (utime != 0 && cmd_has_timeout(cmd)) {
		int error = timeout_get(utime, cmd, realtime, &to);

		if (error != 0)
			return -error;
		top = &to;
	}
	if (realtime && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, shared, val, top, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, shared, val, top, val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, shared, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, shared, uaddr2, (int)val, val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, shared, uaddr2, (int)val, val2, val3);
	default:
		return -ENOSYS;
	}
}

/* Read a robust list pointer: the entry, and its PI flag (bit 0). */
static int
fetch_robust_entry(uint64_t uptr, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (copyin((const void *)uptr, &v, sizeof(v)) != 0)
		return EFAULT;
	*entry = v & ~1ULL;
	*pi = (v & 1) != 0;
	return 0;
}

/*
 * The owner (thread id tid) of the robust futex at uaddr died: if it
 * still owns it, mark it FUTEX_OWNER_DIED (keeping FUTEX_WAITERS) and
 * wake one waiter; for the pending entry of a lock not yet taken (word
 * 0), only wake one.  Linux's handle_futex_death.  -1 to stop the walk
 * (a bad address), else 0.
 */
static int
futex_owner_died(uaddr_t uaddr, uint32_t tid, bool pi, bool pending)
{
	uint32_t uval, nval;

	if (uaddr & 3)
		return -1;
	for (;;) {
		if (copyin((const void *)uaddr, &uval, sizeof(uval)) != 0)
			return -1;
		if (pending && !pi && uval == 0) {
			futex_wake_shared(uaddr, 1);
			return 0;
		}
		if ((uval & FUTEX_TID_MASK) != tid)
			return 0;
		if (casuword32_nofault(uaddr, uval, (uval & FUTEX_WAITERS) |
		    FUTEX_OWNER_DIED, &nval) != 0) {
			if (fault_in_writable(uaddr) != 0)
				return -1;
			continue;
		}
		if (nval == uval)
			break;
	}
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake_shared(uaddr, 1);
	return 0;
}

/*
 * Walk td's robust list (struct robust_list_head { next; long
 * futex_offset; list_op_pending; }) as Linux's exit_robust_list does:
 * every futex on it, and the pending one, that td still owns is marked
 * FUTEX_OWNER_DIED and a waiter woken.  At most ROBUST_LIST_LIMIT
 * entries; a bad pointer ends the walk.  td is the current thread.
 */
void
futex_exit_robust_list(struct thread *td)
{
	uint64_t head = td->td_robust_list, entry, next, pending;
	uint32_t tid = (uint32_t)td->td_utid;
	bool pi, next_pi, pending_pi;
	int64_t offset;
	int limit = ROBUST_LIST_LIMIT;

	if (head == 0 || fetch_robust_entry(head, &entry, &pi) != 0 ||
	    copyin((const void *)(head + 8), &offset, sizeof(offset)) != 0 ||
	    fetch_robust_entry(head + 16, &pending, &pending_pi) != 0)
		return;
	while (entry != head) {
		int rc = fetch_robust_entry(entry, &next, &next_pi);

		if (entry != pending &&
		    futex_owner_died(entry + (uint64_t)offset, tid, pi, false) != 0)
			return;
		if (rc != 0)
			return;
		entry = next;
		pi = next_pi;
		if (--limit == 0)
			break;
	}
	if (pending != 0)
		futex_owner_died(pending + (uint64_t)offset, tid, pending_pi, true);
}
