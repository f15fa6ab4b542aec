/*
 * Waiting for descriptors: the wait machinery ppoll and pselect6 share
 * (poll_wait), the timeout both take and hand back, and pselect6.
 *
 * A poller scans its descriptors (each file's poll op), and sleeps until
 * something that could change an answer happens: a pipe or FIFO read,
 * written, opened or closed, input on the tty (poll_wakeup, called by
 * them).  One channel for all pollers: a wakeup makes every poller scan
 * again, which is cheap with few pollers and descriptors, and nothing is
 * paid while nobody polls.  poll_gen counts the wakeups, so that one
 * between a poller's scan and its sleep is not lost: the poller sleeps
 * only if the count has not moved since before its scan, judged under
 * poll_lock, which poll_wakeup also takes.
 *
 * Lock legend: (l) poll_lock (a spin lock; the tty takes it from its
 * interrupt); (a) atomic.  Order: a file's own lock (pipe, tty) ->
 * poll_lock -> sched_lock.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"

#define NSEC_PER_SEC	1000000000UL
#define SIGSET_SIZE	8

#define POLLIN_SET	(POLLIN | POLLHUP | POLLERR)	/* select's readable */
#define POLLOUT_SET	(POLLOUT | POLLERR)		/* ... writable */

#define FDSET_WORDS	(FD_MAX / 64)

static struct spinlock poll_lock = SPINLOCK_INIT("poll");
static uint64_t poll_gen;	/* (l) wakeups so far */
static int poll_waiting;	/* (a) threads inside poll_wait */

/*
 * Something a poller may wait for has happened.  Any lock but poll_lock
 * and sched_lock may be held, from any context.
 */
void
poll_wakeup(void)
{
	if (__atomic_load_n(&poll_waiting, __ATOMIC_SEQ_CST) == 0)
		return;
	spin_lock(&poll_lock);
	poll_gen++;
	spin_unlock(&poll_lock);
	wakeup(&poll_gen);
}

/*
 * Read a timespec timeout at utmo (0: none) into pt, in Linux's terms:
 * EFAULT if it cannot be read, EINVAL if it is not a valid time.
 */
int
poll_timeout_in(uaddr_t utmo, struct poll_timeout *pt)
{
	int64_t t[2];

	*pt = (struct poll_timeout){ .pt_user = utmo };
	if (utmo == 0)
		return 0;
	if (copyin((void *)utmo, t, sizeof(t)) != 0)
		return EFAULT;
	if (t[0] < 0 || t[1] < 0 || t[1] >= (int64_t)NSEC_PER_SEC)
		return EINVAL;
	pt->pt_timed = true;
	pt->pt_zero = t[0] == 0 && t[1] == 0;
	pt->pt_deadline = clock_uptime_ns() + (uint64_t)t[0] * NSEC_PER_SEC +
	    (uint64_t)t[1];
	return 0;
}

/*
 * As Linux, hand the time left back to the caller's timespec (unless the
 * timeout was none or zero); a copy that fails is ignored, since the call
 * itself is done.  Returns rv.
 */
int64_t
poll_timeout_out(const struct poll_timeout *pt, int64_t rv)
{
	uint64_t now = clock_uptime_ns(), left;
	int64_t t[2];

	if (!pt->pt_timed || pt->pt_zero)
		return rv;
	left = pt->pt_deadline > now ? pt->pt_deadline - now : 0;
	t[0] = (int64_t)(left / NSEC_PER_SEC);
	t[1] = (int64_t)(left % NSEC_PER_SEC);
	(void)copyout(t, (void *)pt->pt_user, sizeof(t));
	return rv;
}

/*
 * Wait until scan(arg) returns nonzero (how many descriptors are ready,
 * or -errno), the timeout pt passes (then 0), or a signal arrives
 * (-EINTR: Linux never restarts a poll under a handler, SA_RESTART or
 * not, but without one, after a stop, the call runs again, with the time
 * left that poll_timeout_out hands back).  No lock held.
 */
int
poll_wait(int (*scan)(void *arg), void *arg, const struct poll_timeout *pt)
{
	uint64_t gen, now, timo;
	int ready, error = 0;

	__atomic_add_fetch(&poll_waiting, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		spin_lock(&poll_lock);
		gen = poll_gen;
		spin_unlock(&poll_lock);
		ready = scan(arg);
		now = clock_uptime_ns();
		if (ready != 0 || (pt->pt_timed && now >= pt->pt_deadline))
			break;
		timo = pt->pt_timed ? (pt->pt_deadline - now) /
		    (NSEC_PER_SEC / HZ) + 1 : 0;
		spin_lock(&poll_lock);
		if (poll_gen == gen)
			error = tsleep_sig(&poll_gen, &poll_lock, "poll", timo);
		spin_unlock(&poll_lock);
		if (error == EINTR) {
			curthread()->td_eintr_nohand = true;
			ready = -EINTR;
			break;
		}
	}
	__atomic_sub_fetch(&poll_waiting, 1, __ATOMIC_SEQ_CST);
	return ready;
}

/*
 * The signal mask argument of ppoll and pselect6 (umask 0: none):
 * EINVAL for a size but sigset_t's, EFAULT for an unreadable mask;
 * else 0, with the mask in force until sigmask_temp_end.
 */
int
poll_sigmask_begin(uaddr_t umask, size_t sigsetsize)
{
	uint64_t mask;

	if (umask == 0)
		return 0;
	if (sigsetsize != SIGSET_SIZE)
		return EINVAL;
	if (copyin((void *)umask, &mask, sizeof(mask)) != 0)
		return EFAULT;
	sigmask_temp_begin(curthread(), mask);
	return 0;
}

/* select's three sets, as read and as answered. */
struct select_sets {
	int nfds;
	uint64_t in[3][FDSET_WORDS];	/* read, write, except */
	uint64_t out[3][FDSET_WORDS];
};

static bool
fdset_has(const uint64_t *set, int fd)
{
	return (set[fd / 64] >> (fd % 64)) & 1;
}

/* Is any descriptor in the sets closed?  (EBADF, before any wait.) */
static bool
select_badf(const struct select_sets *s)
{
	for (int fd = 0; fd < s->nfds; fd++) {
		struct file *fp;

		if (!fdset_has(s->in[0], fd) && !fdset_has(s->in[1], fd) &&
		    !fdset_has(s->in[2], fd))
			continue;
		fp = fget(fd);
		if (fp == NULL)
			return true;
		fdrop(fp);
	}
	return false;
}

/*
 * poll_wait's scan for select: the answer sets, and how many bits they
 * hold.  A descriptor closed meanwhile is never ready (Linux's); no file
 * has exceptional conditions.
 */
static int
select_scan(void *arg)
{
	struct select_sets *s = arg;
	int ready = 0;

	memset(s->out, 0, sizeof(s->out));
	for (int fd = 0; fd < s->nfds; fd++) {
		bool r = fdset_has(s->in[0], fd), w = fdset_has(s->in[1], fd);
		struct file *fp;
		int ev;

		if (!r && !w)
			continue;
		fp = fget(fd);
		if (fp == NULL)
			continue;
		ev = fp->f_ops->poll(fp, (r ? POLLIN : 0) | (w ? POLLOUT : 0));
		fdrop(fp);
		if (r && (ev & POLLIN_SET)) {
			s->out[0][fd / 64] |= 1ULL << (fd % 64);
			ready++;
		}
		if (w && (ev & POLLOUT_SET)) {
			s->out[1][fd / 64] |= 1ULL << (fd % 64);
			ready++;
		}
	}
	return ready;
}

/* Read the sets (each may be 0: empty), nfds bits each.  0 or EFAULT. */
static int
select_sets_in(struct select_sets *s, const uaddr_t uset[3])
{
	size_t bytes = (size_t)(s->nfds + 63) / 64 * 8;

	memset(s->in, 0, sizeof(s->in));
	for (int i = 0; i < 3; i++) {
		if (uset[i] != 0 && copyin((void *)uset[i], s->in[i], bytes) != 0)
			return EFAULT;
		/* Bits from nfds on are not looked at. */
		if (s->nfds % 64 != 0)
			s->in[i][s->nfds / 64] &= (1ULL << (s->nfds % 64)) - 1;
	}
	return 0;
}

/* Write the answer sets back over the given ones.  0 or EFAULT. */
static int
select_sets_out(const struct select_sets *s, const uaddr_t uset[3])
{
	size_t bytes = (size_t)(s->nfds + 63) / 64 * 8;

	for (int i = 0; i < 3; i++)
		if (uset[i] != 0 && copyout(s->out[i], (void *)uset[i], bytes) != 0)
			return EFAULT;
	return 0;
}

/*
 * select itself, the mask in force: EINVAL for nfds < 0 (more than the
 * table holds counts as the table), EFAULT for a set that cannot be read
 * or written, EBADF for a closed descriptor in one; else the ready count
 * (the sets rewritten), 0 on timeout, -EINTR.
 */
static int64_t
select_run(int nfds, const uaddr_t uset[3], const struct poll_timeout *pt)
{
	struct select_sets *s;
	int64_t rv;

	if (nfds < 0)
		return -EINVAL;
	s = kmalloc(sizeof(*s), 0);
	if (s == NULL)
		return -ENOMEM;
	s->nfds = MIN(nfds, FD_MAX);
	if (select_sets_in(s, uset) != 0)
		rv = -EFAULT;
	else if (select_badf(s))
		rv = -EBADF;
	else
		rv = poll_wait(select_scan, s, pt);
	if (rv >= 0 && select_sets_out(s, uset) != 0)
		rv = -EFAULT;
	kfree(s);
	return rv;
}

/*
 * pselect6: select with a timespec timeout (the time left written back,
 * as Linux does) and a signal mask in force while it waits, given as a
 * pointer to { mask pointer, size }.  Arguments are judged in Linux's
 * order: that pair, the timeout, the mask, then the sets.
 */
int64_t
sys_pselect6(int nfds, uaddr_t readfds, uaddr_t writefds, uaddr_t exceptfds,
    uaddr_t timeout, uaddr_t sigmask)
{
	const uaddr_t uset[3] = { readfds, writefds, exceptfds };
	uint64_t pack[2] = { 0, 0 };
	struct poll_timeout pt;
	int64_t rv;
	int error;

	if (sigmask != 0 && copyin((void *)sigmask, pack, sizeof(pack)) != 0)
		return -EFAULT;
	error = poll_timeout_in(timeout, &pt);
	if (error == 0)
		error = poll_sigmask_begin(pack[0], pack[1]);
	if (error != 0)
		return -error;
	rv = select_run(nfds, uset, &pt);
	if (pack[0] != 0)
		sigmask_temp_end(curthread(), rv == -EINTR);
	return poll_timeout_out(&pt, rv);
}
