/*
 * Pending signals and the calls that look at them without a handler:
 * rt_sigpending, rt_sigtimedwait, rt_sigqueueinfo, rt_tgsigqueueinfo;
 * and the temporary masks of ppoll and pselect6.
 *
 * A pending set (a thread's or a process's) is a bit per signal with the
 * details of one instance beside it (td_siginfo, p_siginfo).  A standard
 * signal is pending or not: sending it again changes nothing.  A
 * real-time signal (SIGRTMIN..SIGRTMAX) is queued: each instance sent
 * while one is pending waits in the set's queue (td_sigqueue,
 * p_sigqueue: a list in the order sent) and is delivered in turn, with
 * its own details (sigqueue's si_value).  A process holds at most
 * SIGQUEUE_MAX real-time instances, its threads' included
 * (RLIMIT_SIGPENDING); past it rt_sigqueueinfo is EAGAIN and other
 * senders' instances are lost, as on Linux.
 *
 * Locking: proc_lock, like the rest of the signal state (kern_sig.c).
 * Queue entries are kmalloc'd (which never sleeps) under it.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"

#define SIGSET_SIZE	8

/* One more instance of a pending real-time signal. */
struct sigqueue_entry {
	struct sigqueue_entry *sq_next;	/* (p) the next one sent */
	struct ksiginfo sq_info;	/* (p) */
};

static bool
sig_is_rt(int sig)
{
	return sig >= SIGRTMIN && sig <= SIGRTMAX;
}

/* The real-time signals of a set. */
static uint64_t
rt_bits(uint64_t set)
{
	return set & ~(sigmask(SIGRTMIN) - 1);
}

struct sigpend
sigpend_thread(struct thread *td)
{
	return (struct sigpend){ &td->td_sigpending, td->td_siginfo,
	    &td->td_sigqueue };
}

struct sigpend
sigpend_proc(struct proc *p)
{
	return (struct sigpend){ &p->p_sigpending, p->p_siginfo,
	    &p->p_sigqueue };
}

/* May p hold another real-time instance?  proc_lock held. */
static bool
sigqueue_room_locked(const struct proc *p)
{
	return p->p_sigqueued < SIGQUEUE_MAX;
}

/*
 * Make ksi's signal pending in sp, a set of p: the details go beside the
 * bit if it was clear; a real-time signal already pending is queued
 * behind it, room allowed (else that instance is lost).  proc_lock held.
 */
void
sigpend_record_locked(struct proc *p, struct sigpend sp,
    const struct ksiginfo *ksi)
{
	int sig = ksi->si_signo;
	struct sigqueue_entry *e, **tail;

	LOCK_ASSERT(spin_owned(&proc_lock), "proc_lock not held");
	if (!(*sp.set & sigmask(sig))) {
		*sp.set |= sigmask(sig);
		sp.info[sig] = *ksi;
		if (sig_is_rt(sig))
			p->p_sigqueued++;
		return;
	}
	if (!sig_is_rt(sig) || !sigqueue_room_locked(p))
		return;
	e = kmalloc(sizeof(*e), M_ZERO);
	if (e == NULL)
		return;		/* lost, as past the limit */
	e->sq_info = *ksi;
	for (tail = sp.queue; *tail != NULL; tail = &(*tail)->sq_next)
		;
	*tail = e;
	p->p_sigqueued++;
}

/*
 * Take one instance of sig, which is pending in sp (a set of p), with its
 * details in *ksi: the next queued one, if any, takes its place and the
 * signal stays pending.  proc_lock held.
 */
static void
sigpend_take_locked(struct proc *p, struct sigpend sp, int sig,
    struct ksiginfo *ksi)
{
	struct sigqueue_entry *e, **prev;

	KASSERT(*sp.set & sigmask(sig), "signal %d not pending", sig);
	*ksi = sp.info[sig];
	*sp.set &= ~sigmask(sig);
	if (!sig_is_rt(sig))
		return;
	p->p_sigqueued--;
	for (prev = sp.queue; (e = *prev) != NULL; prev = &e->sq_next) {
		if (e->sq_info.si_signo == sig) {
			*prev = e->sq_next;
			sp.info[sig] = e->sq_info;
			*sp.set |= sigmask(sig);
			kfree(e);
			return;
		}
	}
}

/* The lowest signal in a nonempty set (no Zbb: gcc's builtins would
 * need libgcc). */
static int
lowest_of(uint64_t set)
{
	int sig = 1;

	while (!(set & sigmask(sig)))
		sig++;
	return sig;
}

/* How many signals a set holds. */
static int
count_of(uint64_t set)
{
	int n = 0;

	for (; set != 0; set &= set - 1)
		n++;
	return n;
}

/*
 * Take the next signal of allowed (a mask) for td off its own pending
 * set, or else off its process's (Linux's order), lowest first, with its
 * details in *ksi.  Returns it, or 0 if none is pending.  proc_lock held.
 */
int
sigpend_dequeue_locked(struct thread *td, uint64_t allowed,
    struct ksiginfo *ksi)
{
	struct proc *p = td->td_proc;
	int sig;

	if (td->td_sigpending & allowed) {
		sig = lowest_of(td->td_sigpending & allowed);
		sigpend_take_locked(p, sigpend_thread(td), sig, ksi);
	} else if (p->p_sigpending & allowed) {
		sig = lowest_of(p->p_sigpending & allowed);
		sigpend_take_locked(p, sigpend_proc(p), sig, ksi);
	} else {
		sig = 0;
	}
	return sig;
}

/*
 * Forget every pending instance of the signals in set, in sp (a set of
 * p): the signals became ignored, or the set's owner is gone.  proc_lock
 * held.
 */
void
sigpend_discard_locked(struct proc *p, struct sigpend sp, uint64_t set)
{
	struct sigqueue_entry *e, **prev = sp.queue;

	p->p_sigqueued -= count_of(rt_bits(*sp.set & set));
	*sp.set &= ~set;
	while ((e = *prev) != NULL) {
		if (set & sigmask(e->sq_info.si_signo)) {
			*prev = e->sq_next;
			p->p_sigqueued--;
			kfree(e);
		} else {
			prev = &e->sq_next;
		}
	}
	KASSERT(p->p_sigqueued >= 0, "pid %d: queued count %d", p->p_pid,
	    p->p_sigqueued);
}

/* rt_sigpending: the blocked signals pending for the caller or its
 * process; as on Linux, a set shorter than sigset_t gets its first bytes. */
int64_t
sys_rt_sigpending(uaddr_t uset, size_t sigsetsize)
{
	struct thread *td = curthread();
	uint64_t set;

	if (sigsetsize > SIGSET_SIZE)
		return -EINVAL;
	spin_lock(&proc_lock);
	set = (td->td_sigpending | td->td_proc->p_sigpending) & td->td_sigmask;
	spin_unlock(&proc_lock);
	if (copyout(&set, (void *)uset, sigsetsize) != 0)
		return -EFAULT;
	return 0;
}

/*
 * Wait, interruptibly, until one of wanted is pending for td and take it
 * (*ksi), or until timo_ticks pass (0: no limit).  The wanted signals are
 * unblocked while td sleeps, so that it is the thread a process signal
 * wakes, and blocked again before one is taken, so that none reaches a
 * handler.  Returns the signal, -EAGAIN on timeout, -EINTR if another
 * signal (or the end of the process) ended the wait.
 */
static int
sigwait_sleep(struct thread *td, uint64_t wanted, uint64_t timo_ticks,
    struct ksiginfo *ksi)
{
	static const char chan;
	uint64_t deadline = ticks + timo_ticks, saved;
	int sig, error;

	spin_lock(&proc_lock);
	for (;;) {
		saved = td->td_sigmask;
		td->td_sigmask &= ~wanted;
		spin_unlock(&proc_lock);
		error = tsleep_sig(&chan, NULL, "sigwait",
		    timo_ticks == 0 ? 0 : deadline > ticks ? deadline - ticks : 1);
		spin_lock(&proc_lock);
		sigmask_set_locked(td, saved);
		sig = sigpend_dequeue_locked(td, wanted, ksi);
		if (sig != 0 || error != 0)
			break;
	}
	spin_unlock(&proc_lock);
	if (sig != 0)
		return sig;
	return error == EAGAIN ? -EAGAIN : -EINTR;
}

/*
 * rt_sigtimedwait: take a pending signal of the set, waiting for one up
 * to the timeout (none: forever; zero: not at all).  As on Linux: EINVAL
 * for a set of the wrong size, EFAULT for an unreadable set or timeout,
 * EINVAL for a bad timespec, EAGAIN on timeout, EINTR (never restarted)
 * when a signal outside the set is delivered meanwhile; the signal taken
 * is lost if its siginfo cannot be stored (EFAULT).
 */
int64_t
sys_rt_sigtimedwait(uaddr_t uset, uaddr_t uinfo, uaddr_t uts,
    size_t sigsetsize)
{
	struct thread *td = curthread();
	struct siginfo_linux si;
	struct ksiginfo ksi;
	uint64_t wanted, timo = 0;
	int64_t tmo[2];
	int sig;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copyin((void *)uset, &wanted, sizeof(wanted)) != 0)
		return -EFAULT;
	wanted &= ~SIG_CANTMASK;
	if (uts != 0) {
		if (copyin((void *)uts, tmo, sizeof(tmo)) != 0)
			return -EFAULT;
		if (tmo[0] < 0 || tmo[1] < 0 || tmo[1] >= 1000000000)
			return -EINVAL;
		timo = (uint64_t)tmo[0] * HZ +
		    ((uint64_t)tmo[1] * HZ + 999999999) / 1000000000;
	}
	spin_lock(&proc_lock);
	sig = sigpend_dequeue_locked(td, wanted, &ksi);
	spin_unlock(&proc_lock);
	if (sig == 0 && uts != 0 && timo == 0)
		return -EAGAIN;
	if (sig == 0)
		sig = sigwait_sleep(td, wanted, timo, &ksi);
	if (sig == -EINTR)
		td->td_eintr_norestart = true;
	if (sig < 0)
		return sig;
	siginfo_to_linux(&ksi, &si);
	if (uinfo != 0 && copyout(&si, (void *)uinfo, sizeof(si)) != 0)
		return -EFAULT;
	return sig;
}

/*
 * The siginfo a sigqueue caller gave, as the details of signal sig.  Its
 * union's first words are kept (si_pid, si_uid, si_value; or si_addr),
 * as Linux passes them on.
 * Returns 0 or EFAULT.
 */
static int
sigqueue_info_in(uaddr_t uinfo, int sig, struct ksiginfo *ksi)
{
	struct siginfo_linux si;

	if (copyin((void *)uinfo, &si, sizeof(si)) != 0)
		return EFAULT;
	*ksi = (struct ksiginfo){ .si_signo = sig, .si_errno = si.si_errno,
	    .si_code = si.si_code, .si_pid = si.rt.si_pid,
	    .si_uid = si.rt.si_uid, .si_value = si.rt.si_value,
	    .si_addr = si.si_addr };
	return 0;
}

/*
 * Queue ksi to p, or to its thread td if not NULL, for rt_sigqueueinfo
 * and rt_tgsigqueueinfo: EINVAL for a bad signal, EPERM for a process
 * the caller may not signal (kill_permitted), EAGAIN when a
 * real-time signal finds no room (p's RLIMIT_SIGPENDING).  Signal 0 only
 * checks.  proc_lock held.
 */
static int
sigqueue_send_locked(struct proc *p, struct thread *td,
    const struct ksiginfo *ksi)
{
	int sig = ksi->si_signo;

	if (sig < 0 || sig > NSIG)
		return EINVAL;
	if (!kill_permitted(p, sig))
		return EPERM;
	if (sig == 0)
		return 0;
	if (sig_is_rt(sig) && !sigqueue_room_locked(p))
		return EAGAIN;
	post_signal_locked(p, td, ksi, false);
	return 0;
}

/*
 * May the caller claim ksi's si_code for a signal to the thread target?
 * As on Linux, a code of the kernel's (>= 0) or tkill's only to itself.
 */
static bool
sigqueue_code_allowed(const struct ksiginfo *ksi, int target)
{
	return (ksi->si_code < 0 && ksi->si_code != SI_TKILL) ||
	    target == curthread()->td_utid;
}

/* rt_sigqueueinfo: sig with the caller's siginfo to process pid. */
int64_t
sys_rt_sigqueueinfo(int pid, int sig, uaddr_t uinfo)
{
	struct ksiginfo ksi;
	struct proc *p;
	int error;

	error = sigqueue_info_in(uinfo, sig, &ksi);
	if (error == 0 && !sigqueue_code_allowed(&ksi, pid))
		error = EPERM;
	if (error != 0)
		return -error;
	spin_lock(&proc_lock);
	p = pid > 0 ? pfind_locked(pid) : NULL;
	error = p != NULL ? sigqueue_send_locked(p, NULL, &ksi) : ESRCH;
	spin_unlock(&proc_lock);
	return -error;
}

/* rt_tgsigqueueinfo: the same to thread tid of process tgid. */
int64_t
sys_rt_tgsigqueueinfo(int tgid, int tid, int sig, uaddr_t uinfo)
{
	struct ksiginfo ksi;
	struct thread *td;
	int error;

	error = sigqueue_info_in(uinfo, sig, &ksi);
	if (error == 0 && (tgid <= 0 || tid <= 0))
		error = EINVAL;
	if (error == 0 && !sigqueue_code_allowed(&ksi, tid))
		error = EPERM;
	if (error != 0)
		return -error;
	spin_lock(&proc_lock);
	td = tdfind_locked(tid, tgid);
	error = td != NULL ? sigqueue_send_locked(td->td_proc, td, &ksi) :
	    ESRCH;
	spin_unlock(&proc_lock);
	return -error;
}

/*
 * The siginfo a handler or rt_sigtimedwait gets for ksi: a fault's
 * address; else the sender (si_pid, si_uid) and SIGCHLD's status or a
 * queued signal's si_value.
 */
void
siginfo_to_linux(const struct ksiginfo *ksi, struct siginfo_linux *si)
{
	int sig = ksi->si_signo;

	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_errno = ksi->si_errno;
	si->si_code = ksi->si_code;
	if ((sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	    sig == SIGFPE || sig == SIGTRAP) && ksi->si_code > 0 &&
	    ksi->si_code < SI_KERNEL) {
		si->si_addr = ksi->si_addr;
		return;
	}
	si->rt.si_pid = ksi->si_pid;
	si->rt.si_uid = ksi->si_uid;
	if (sig == SIGCHLD)
		si->kill.si_status = ksi->si_status;
	else
		si->rt.si_value = ksi->si_value;
}

/*
 * Block mask instead of td's own mask while a call waits (ppoll,
 * pselect6), as rt_sigsuspend does: the old mask comes back at
 * sigmask_temp_end, or, if the call ends with EINTR for a signal, once
 * that signal is delivered (its handler's frame holds the old mask, so
 * the handler runs under the temporary one, as on Linux).  td is the
 * caller; takes proc_lock.
 */
void
sigmask_temp_begin(struct thread *td, uint64_t mask)
{
	spin_lock(&proc_lock);
	/* Still set only if an earlier call's EINTR signal was taken by
	 * another thread first: its saved mask is still the one to restore. */
	if (!td->td_sigsuspend)
		td->td_sigsuspend_mask = td->td_sigmask;
	td->td_sigsuspend = true;
	sigmask_set_locked(td, mask);
	spin_unlock(&proc_lock);
}

/*
 * The call that set a temporary mask returns: put the old one back now,
 * unless it returns EINTR with a signal still there to deliver (which
 * then restores it).  Takes proc_lock.
 */
void
sigmask_temp_end(struct thread *td, bool eintr)
{
	spin_lock(&proc_lock);
	if (td->td_sigsuspend && (!eintr || !signal_pending(td))) {
		td->td_sigsuspend = false;
		sigmask_set_locked(td, td->td_sigsuspend_mask);
	}
	spin_unlock(&proc_lock);
}
