/*
 * Interval timers: setitimer and getitimer (glibc's alarm() is
 * setitimer(ITIMER_REAL)).  Each process has three:
 *
 *   ITIMER_REAL     counts down in real time and sends SIGALRM; checked
 *                   on every tick of the boot hart (itimer_real_tick)
 *   ITIMER_VIRTUAL  counts down the process's user time (SIGVTALRM)
 *   ITIMER_PROF     counts down its user and system time (SIGPROF)
 *
 * The two CPU timers are charged a tick at a time, by the tick that finds
 * one of the process's threads running (itimer_charge, from the clock
 * interrupt), as its times are.  An expired timer with an interval is
 * reloaded with it.  As on Linux, fork clears all three in the child and
 * exec keeps them; a nonzero CPU timer gets one tick more than asked for,
 * since the tick that charges it may come at once.
 *
 * Lock legend (struct proc's p_itimer fields):
 *   (i) itimer_lock, a spin lock taken by the clock interrupt.  It comes
 *       before proc_lock: a timer's signal is posted under it, so that a
 *       process on itreal_procs stays until proc_exit takes it off.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

#define NSEC_PER_USEC	1000UL
#define NSEC_PER_SEC	1000000000UL
#define TICK_NSEC	(NSEC_PER_SEC / HZ)

struct timeval_linux {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct itimerval_linux {
	struct timeval_linux it_interval;
	struct timeval_linux it_value;
};

static struct spinlock itimer_lock = SPINLOCK_INIT("itimer");
/* (i) the processes whose ITIMER_REAL is armed (p_itreal_link) */
static struct list itreal_procs = LIST_HEAD_INIT(itreal_procs);

/* Post sig from the kernel to p.  itimer_lock held. */
static void
itimer_signal_locked(struct proc *p, int sig)
{
	struct ksiginfo ksi = { .si_signo = sig, .si_code = SI_KERNEL };

	LOCK_ASSERT(spin_owned(&itimer_lock), "itimer_lock not held");
	spin_lock(&proc_lock);
	post_signal_locked(p, NULL, &ksi, false);
	spin_unlock(&proc_lock);
}

/*
 * The boot hart's tick: send SIGALRM to each process whose real timer
 * has expired, and reload it with its interval (skipping the periods
 * already past, as Linux's overrun does) or disarm it.
 */
void
itimer_real_tick(void)
{
	uint64_t now = clock_uptime_ns();
	struct list *l, *next;

	if (list_empty(&itreal_procs))	/* unlocked: a stale look costs a tick */
		return;
	spin_lock(&itimer_lock);
	for (l = itreal_procs.next; l != &itreal_procs; l = next) {
		struct proc *p = container_of(l, struct proc, p_itreal_link);
		struct itimer_state *it = &p->p_itimer;

		next = l->next;
		if (now < it->it_real_deadline)
			continue;
		itimer_signal_locked(p, SIGALRM);
		if (it->it_real_interval == 0) {
			list_remove(&p->p_itreal_link);
			it->it_real_deadline = 0;
			continue;
		}
		it->it_real_deadline += it->it_real_interval;
		if (it->it_real_deadline <= now)
			it->it_real_deadline = now + it->it_real_interval -
			    (now - it->it_real_deadline) % it->it_real_interval;
	}
	spin_unlock(&itimer_lock);
}

/*
 * Charge one CPU timer (ITIMER_VIRTUAL or ITIMER_PROF) of p a tick;
 * signal sig when it runs out.  itimer_lock held.
 */
static void
itimer_charge_one(struct proc *p, int which, int sig)
{
	struct itimer_state *it = &p->p_itimer;
	int i = which - ITIMER_VIRTUAL;

	if (it->it_cpu_value[i] == 0)
		return;
	if (it->it_cpu_value[i] > TICK_NSEC) {
		it->it_cpu_value[i] -= TICK_NSEC;
		return;
	}
	itimer_signal_locked(p, sig);
	it->it_cpu_value[i] = it->it_cpu_interval[i];
}

/*
 * The clock tick found a thread of p running, in user mode if user:
 * charge p's CPU timers.  From the clock interrupt; p is the running
 * thread's process, so it stays.
 */
void
itimer_charge(struct proc *p, bool user)
{
	struct itimer_state *it = &p->p_itimer;

	/* Unlocked: words written whole under itimer_lock; a stale zero
	 * only moves the charge a tick. */
	if (__atomic_load_n(&it->it_cpu_value[0], __ATOMIC_RELAXED) == 0 &&
	    __atomic_load_n(&it->it_cpu_value[1], __ATOMIC_RELAXED) == 0)
		return;
	spin_lock(&itimer_lock);
	if (user)
		itimer_charge_one(p, ITIMER_VIRTUAL, SIGVTALRM);
	itimer_charge_one(p, ITIMER_PROF, SIGPROF);
	spin_unlock(&itimer_lock);
}

/* p exits: its real timer goes off the list.  Takes itimer_lock. */
void
itimer_exit(struct proc *p)
{
	spin_lock(&itimer_lock);
	if (p->p_itimer.it_real_deadline != 0)
		list_remove(&p->p_itreal_link);
	p->p_itimer = (struct itimer_state){ 0 };
	spin_unlock(&itimer_lock);
}

static uint64_t
timeval_to_ns(const struct timeval_linux *tv)
{
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC +
	    (uint64_t)tv->tv_usec * NSEC_PER_USEC;
}

static struct timeval_linux
ns_to_timeval(uint64_t ns)
{
	return (struct timeval_linux){ (int64_t)(ns / NSEC_PER_SEC),
	    (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

static bool
timeval_valid(const struct timeval_linux *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 &&
	    tv->tv_usec < (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC);
}

/*
 * Timer which of p as getitimer reports it: the time left (an expired
 * real timer not yet sent reads 1 us, as on Linux) and the interval.
 * itimer_lock held.
 */
static struct itimerval_linux
itimer_get_locked(struct proc *p, int which)
{
	struct itimer_state *it = &p->p_itimer;
	uint64_t left, interval, now;

	if (which == ITIMER_REAL) {
		now = clock_uptime_ns();
		left = it->it_real_deadline == 0 ? 0 :
		    it->it_real_deadline > now ? it->it_real_deadline - now :
		    NSEC_PER_USEC;
		interval = it->it_real_interval;
	} else {
		left = it->it_cpu_value[which - ITIMER_VIRTUAL];
		interval = it->it_cpu_interval[which - ITIMER_VIRTUAL];
	}
	return (struct itimerval_linux){ ns_to_timeval(interval),
	    ns_to_timeval(left) };
}

/*
 * Set timer which of p to value (ns; 0 disarms, and then the interval
 * is dropped too) and interval.  itimer_lock held.
 */
static void
itimer_set_locked(struct proc *p, int which, uint64_t value,
    uint64_t interval)
{
	struct itimer_state *it = &p->p_itimer;
	int i = which - ITIMER_VIRTUAL;

	if (value == 0)
		interval = 0;
	if (which == ITIMER_REAL) {
		if (it->it_real_deadline != 0)
			list_remove(&p->p_itreal_link);
		it->it_real_deadline = value == 0 ? 0 :
		    clock_uptime_ns() + value;
		it->it_real_interval = interval;
		if (value != 0)
			list_insert_tail(&itreal_procs, &p->p_itreal_link);
		return;
	}
	__atomic_store_n(&it->it_cpu_value[i], value == 0 ? 0 :
	    value + TICK_NSEC, __ATOMIC_RELAXED);
	it->it_cpu_interval[i] = interval;
}

/* getitimer: EINVAL for a bad which, then EFAULT (Linux's order). */
int64_t
sys_getitimer(int which, uaddr_t uvalue)
{
	struct proc *p = curproc();
	struct itimerval_linux v;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock(&itimer_lock);
	v = itimer_get_locked(p, which);
	spin_unlock(&itimer_lock);
	return copyout(&v, (void *)uvalue, sizeof(v)) != 0 ? -EFAULT : 0;
}

/*
 * setitimer, in Linux's order: the new value is read (none means zero:
 * disarm), its timevals judged (EINVAL), then which (EINVAL); the old
 * value is stored last, so a bad ovalue is EFAULT with the timer set.
 */
int64_t
sys_setitimer(int which, uaddr_t uvalue, uaddr_t uovalue)
{
	struct proc *p = curproc();
	struct itimerval_linux v = { 0 }, old;

	if (uvalue != 0 && copyin((void *)uvalue, &v, sizeof(v)) != 0)
		return -EFAULT;
	if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval))
		return -EINVAL;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock(&itimer_lock);
	old = itimer_get_locked(p, which);
	itimer_set_locked(p, which, timeval_to_ns(&v.it_value),
	    timeval_to_ns(&v.it_interval));
	spin_unlock(&itimer_lock);
	if (uovalue != 0 && copyout(&old, (void *)uovalue, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}
