/*
 * Signals: posting, default actions, delivery on the way back to user
 * mode, and the signal system calls.
 *
 * Default actions: SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored; the
 * job-control signals (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) stop the
 * process; every other signal terminates.  Init, as on Linux, receives
 * only the signals it has handlers for, unless its own fault forces one
 * on it (which then panics the kernel).
 *
 * Stopping is Linux's group stop.  The thread that takes a stop signal
 * with the default action sets p_stopsig and interrupts the others; each
 * thread parks at its next return to user mode (one in an interruptible
 * sleep leaves it with EINTR first, and its call is restarted after the
 * stop as if no signal had come).  The last to park completes the stop:
 * p_stopped, a report for wait (WUNTRACED) and SIGCHLD (CLD_STOPPED) to
 * the parent unless it set SA_NOCLDSTOP.  SIGCONT, when it is posted
 * (blocked, ignored or handled alike), throws pending stop signals away,
 * clears p_stopsig and wakes the parked threads; only a stop that had
 * completed is reported as continued (WCONTINUED, CLD_CONTINUED), so a
 * SIGCONT that overtakes a stop still under way just ends it.  A posted
 * stop signal throws a pending SIGCONT away.  SIGKILL ends a stop too,
 * without a report, and kills.  SIGTSTP, SIGTTIN and SIGTTOU are
 * discarded, not acted on, in an orphaned process group.
 *
 * Signals are sent to a process (kill, the kernel's SIGCHLD, SIGPIPE,
 * the terminal's) or to one thread (tkill, tgkill, a fault).  Each
 * thread has its own mask and pending set; a process's pending set is
 * taken by whichever of its threads does not block the signal, the one
 * woken when it is posted (the current thread if it can, as Linux
 * prefers).  A fatal signal ends every thread (proc_exit).
 *
 * Locking: proc_lock guards the process's p_sigpending, p_siginfo and
 * p_sigacts and each thread's td_sigmask, td_sigpending and td_siginfo.
 * signal_pending() reads them unlocked: a stale answer only means one
 * more look (sleep_common and the return to user mode look again).
 */
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "machine/frame.h"

#define SIGSET_SIZE	8	/* rt_sig* calls pass sizeof(sigset_t) == 8 */

/* kern.logsigexit: log the processes a crash signal kills (FreeBSD's name). */
static bool logsigexit = true;

SYSCTL_BOOL(kern_logsigexit, "kern.logsigexit", &logsigexit,
    "log each process killed by a signal that dumps core on Linux (0: never)");


static bool
default_ignores(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
		return true;
	default:
		return false;
	}
}

static bool
ignored(struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts.handler[sig];

	return sig != SIGKILL && (h == SIG_IGN || (h == SIG_DFL &&
	    default_ignores(sig)));
}

/*
 * Is sig thrown away when posted to p?  Ignored signals are; and init, as
 * Linux's, gets only the signals it has a handler for (so SIGKILL never
 * reaches it), unless the signal is forced on it by its own fault.
 */
static bool
discarded(struct proc *p, int sig, bool forced)
{
	if (p == initproc && !forced && p->p_sigacts.handler[sig] == SIG_DFL)
		return true;
	return ignored(p, sig);
}

/* Is sig one whose default action stops the process? */
static bool
stops(int sig)
{
	return (sigmask(sig) & SIG_STOPS) != 0;
}

/* Take the signals in set off p's pending sets and its threads'. */
static void
pending_remove_locked(struct proc *p, uint64_t set)
{
	p->p_sigpending &= ~set;
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next)
		container_of(l, struct thread, td_plink)->td_sigpending &= ~set;
}

/*
 * Tell p's parent that p stopped or continued (code CLD_STOPPED or
 * CLD_CONTINUED, status the signal): SIGCHLD unless the parent set
 * SA_NOCLDSTOP, and a wakeup for its wait.  p_waitevent is set already.
 * proc_lock held.
 */
static void
stop_notify_parent_locked(struct proc *p, int code, int status)
{
	struct proc *pp = p->p_parent;
	struct ksiginfo ksi = { .si_signo = SIGCHLD, .si_code = code,
	    .si_pid = p->p_pid, .si_status = status };

	if (!(pp->p_sigacts.flags[SIGCHLD] & SA_NOCLDSTOP))
		post_signal_locked(pp, NULL, &ksi, false);
	wakeup(pp);
}

/*
 * Complete p's group stop if every thread has parked: the stop is then
 * reported to the parent once.  Called when a thread parks or leaves p.
 * proc_lock held.
 */
void
proc_stop_check_locked(struct proc *p)
{
	LOCK_ASSERT(spin_owned(&proc_lock), "proc_lock not held");
	if (p->p_stopsig == 0 || p->p_stopped || p->p_nparked == 0 ||
	    p->p_nparked < p->p_nthreads)
		return;
	p->p_stopped = true;
	p->p_waitevent = PWAIT_STOPPED;
	stop_notify_parent_locked(p, CLD_STOPPED, p->p_stopsig);
}

/*
 * End p's group stop, if any, and wake its parked threads; a completed
 * stop is reported as continued if report is set (SIGCONT), not for
 * SIGKILL.  proc_lock held.
 */
static void
stop_end_locked(struct proc *p, bool report)
{
	bool was_stopped = p->p_stopped;

	if (p->p_stopsig == 0)
		return;
	__atomic_store_n(&p->p_stopsig, 0, __ATOMIC_RELAXED);
	p->p_stopped = false;
	if (p->p_waitevent == PWAIT_STOPPED)
		p->p_waitevent = 0;	/* a stop no longer there to report */
	wakeup(&p->p_stopsig);
	if (was_stopped && report) {
		p->p_waitevent = PWAIT_CONTINUED;
		stop_notify_parent_locked(p, CLD_CONTINUED, SIGCONT);
	}
}

/*
 * What posting sig does to p at once, before it is queued (Linux's
 * prepare_signal): SIGCONT continues p and throws its pending stops
 * away, a stop signal throws a pending SIGCONT away, SIGKILL ends a
 * stop.  proc_lock held.
 */
static void
post_jobctl_locked(struct proc *p, int sig)
{
	if (sig == SIGCONT) {
		pending_remove_locked(p, SIG_STOPS);
		stop_end_locked(p, true);
	} else if (stops(sig)) {
		pending_remove_locked(p, sigmask(SIGCONT));
	} else if (sig == SIGKILL) {
		stop_end_locked(p, false);
	}
}

/* Does td block sig?  proc_lock held. */
static bool
blocks(const struct thread *td, int sig)
{
	return (td->td_sigmask & ~SIG_CANTMASK & sigmask(sig)) != 0;
}

/*
 * The thread of p to wake for a signal sent to p: the current thread if
 * it is one of p's and does not block sig, else the first that does not;
 * NULL if all do (the first to unblock it will take it).  proc_lock held.
 */
static struct thread *
signal_target(struct proc *p, int sig)
{
	struct thread *cur = curthread();

	if (cur != NULL && cur->td_proc == p && !blocks(cur, sig))
		return cur;
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next) {
		struct thread *td = container_of(l, struct thread, td_plink);

		if (!blocks(td, sig))
			return td;
	}
	return NULL;
}

/*
 * Post a signal with details to p, or to its thread td if not NULL
 * (forced: by that thread's own fault), and wake the thread that is to
 * take it if it sleeps interruptibly (for one running on another hart,
 * thread_interrupt makes it look).  proc_lock held.
 */
void
post_signal_locked(struct proc *p, struct thread *td,
    const struct ksiginfo *ksi, bool forced)
{
	int sig = ksi->si_signo;

	LOCK_ASSERT(spin_owned(&proc_lock), "proc_lock not held");
	if (sig <= 0 || sig > NSIG || p->p_state == PRS_ZOMBIE)
		return;
	post_jobctl_locked(p, sig);
	if (discarded(p, sig, forced))
		return;
	if (td != NULL) {
		sigpend_record_locked(p, sigpend_thread(td), ksi);
	} else {
		sigpend_record_locked(p, sigpend_proc(p), ksi);
		td = signal_target(p, sig);
	}
	if (td != NULL)
		thread_interrupt(td);
}

/* Post a signal with details to process p.  Takes and drops proc_lock. */
void
psignal_info(struct proc *p, const struct ksiginfo *ksi)
{
	spin_lock(&proc_lock);
	post_signal_locked(p, NULL, ksi, false);
	spin_unlock(&proc_lock);
}

/* The details of sig sent by the current process (or the kernel). */
static struct ksiginfo
sender_info(int sig)
{
	struct proc *sender = curproc();

	return (struct ksiginfo){
		.si_signo = sig,
		.si_code = sender != NULL ? SI_USER : SI_KERNEL,
		.si_pid = sender != NULL ? sender->p_pid : 0,
		.si_uid = sender != NULL ? sender->p_cred.cr_ruid : 0,
	};
}

void
psignal(struct proc *p, int sig)
{
	struct ksiginfo ksi = sender_info(sig);

	psignal_info(p, &ksi);
}

/* What a broadcast (kill to a group, or to -1) sends, and to whom. */
struct sig_broadcast {
	struct ksiginfo ksi;	/* si_signo 0: only count */
	int pgid;		/* the group, or 0 for everyone but init */
	struct proc *self;	/* kill(-1) skips the sender */
	bool check;		/* a kill: the sender's credentials count */
	int members;		/* processes matched, zombies included */
	int denied;		/* ... that the sender may not signal */
};

/*
 * Post the broadcast to p if it is a target.  proc_lock held (by
 * proc_foreach): the signal is posted while p cannot go away, so no
 * process is ever signalled after it has been freed.
 */
static void
broadcast_one(struct proc *p, void *arg)
{
	struct sig_broadcast *b = arg;

	if (b->pgid != 0 ? p->p_pgid != b->pgid :
	    (p->p_pid == 1 || p == b->self || p->p_state == PRS_ZOMBIE))
		return;
	b->members++;
	if (b->check && !kill_permitted(p, b->ksi.si_signo))
		b->denied++;
	else if (b->ksi.si_signo != 0)
		post_signal_locked(p, NULL, &b->ksi, false);
}

/*
 * Signal (sig 0: nothing) every live process of group pgid.  Returns how
 * many processes the group has, zombies included: as on Linux, a group
 * exists until its last member is reaped.  With denied not NULL (a
 * kill), only those the sender may signal get it, and *denied counts
 * the others.
 */
static int
pgsignal_count(int pgid, int sig, int *denied)
{
	struct sig_broadcast b = { .ksi = sender_info(sig), .pgid = pgid,
	    .check = denied != NULL };

	if (pgid <= 0)
		return 0;	/* no such group (0 would mean everyone) */
	proc_foreach(broadcast_one, &b);
	if (denied != NULL)
		*denied = b.denied;
	return b.members;
}


void
pgsignal(int pgid, int sig)
{
	pgsignal_count(pgid, sig, NULL);
}

/*
 * A process left group pgid's last link to its session outside it (it
 * exits, ignore, or was the parent of a member and exits): if the group
 * is orphaned now and has a stopped member, nobody would continue it,
 * so, as POSIX asks, every member gets SIGHUP and then SIGCONT (from the
 * kernel).  proc_lock held.
 */
void
pgrp_orphan_check_locked(int pgid, struct proc *ignore)
{
	struct sig_broadcast b = { .ksi = { .si_code = SI_KERNEL },
	    .pgid = pgid };

	if (!pgrp_orphaned_locked(pgid, ignore) || !pgrp_stopped_locked(pgid))
		return;
	b.ksi.si_signo = SIGHUP;
	proc_foreach_locked(broadcast_one, &b);
	b.ksi.si_signo = SIGCONT;
	proc_foreach_locked(broadcast_one, &b);
}

/*
 * A fault in the current thread: the signal goes to that thread and
 * cannot be blocked or ignored away (the faulting instruction would only
 * fault again), so it is unblocked and, if ignored, reset to its default
 * (terminate).
 */
void
trapsignal(const struct ksiginfo *ksi)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;
	int sig = ksi->si_signo;

	spin_lock(&proc_lock);
	if ((td->td_sigmask & sigmask(sig)) ||
	    p->p_sigacts.handler[sig] == SIG_IGN) {
		td->td_sigmask &= ~sigmask(sig);
		p->p_sigacts.handler[sig] = SIG_DFL;
	}
	post_signal_locked(p, td, ksi, true);
	spin_unlock(&proc_lock);
}

/*
 * The name of sig if its default action dumps core on Linux, else NULL.
 * Those are the crashes (SIGQUIT asks for one); the other signals end a
 * process as it was told to.
 */
static const char *
core_signal_name(int sig)
{
	switch (sig) {
	case SIGQUIT:	return "SIGQUIT";
	case SIGILL:	return "SIGILL";
	case SIGTRAP:	return "SIGTRAP";
	case SIGABRT:	return "SIGABRT";
	case SIGBUS:	return "SIGBUS";
	case SIGFPE:	return "SIGFPE";
	case SIGSEGV:	return "SIGSEGV";
	case SIGXCPU:	return "SIGXCPU";
	case SIGXFSZ:	return "SIGXFSZ";
	case SIGSYS:	return "SIGSYS";
	default:	return NULL;
	}
}

/*
 * The current process dies of ksi's signal, its default action, with its
 * user pc at pc.  With kern.logsigexit set, a crash (core_signal_name) is
 * logged in one line, with the faulting address when the kernel raised
 * the signal for a fault.  No core file is written.  Never returns.
 */
static __noreturn void
sigexit(struct proc *p, const struct ksiginfo *ksi, uint64_t pc)
{
	int sig = ksi->si_signo;
	const char *name = core_signal_name(sig);

	if (logsigexit && name != NULL) {
		if (ksi->si_code > 0 && ksi->si_code < SI_KERNEL)
			kprintf("pid %d (%s): exited on signal %d (%s), fault "
			    "address %#lx, pc %#lx\n", p->p_pid, p->p_comm, sig,
			    name, ksi->si_addr, pc);
		else
			kprintf("pid %d (%s): exited on signal %d (%s) from "
			    "pid %d, pc %#lx\n", p->p_pid, p->p_comm, sig,
			    name, ksi->si_pid, pc);
	}
	proc_exit(sig);
}

/* exec: caught signals go back to their default; ignored ones stay. */
void
sigacts_exec(struct proc *p)
{
	spin_lock(&proc_lock);
	for (int sig = 1; sig <= NSIG; sig++) {
		if (p->p_sigacts.handler[sig] != SIG_IGN)
			p->p_sigacts.handler[sig] = SIG_DFL;
		p->p_sigacts.flags[sig] = 0;
		p->p_sigacts.mask[sig] = 0;
	}
	spin_unlock(&proc_lock);
}

/* The lowest signal in a nonempty set. */
static int
lowest_signal(uint64_t set)
{
	int sig = 1;

	while (!(set & sigmask(sig)))
		sig++;
	return sig;
}

/*
 * Take the next signal for td off its own pending set, or else off its
 * process's (Linux's order), with its details.  0 if td has none it does
 * not block.  proc_lock held.
 */
static int
dequeue_signal(struct thread *td, struct ksiginfo *ksi)
{
	return sigpend_dequeue_locked(td, ~(td->td_sigmask & ~SIG_CANTMASK),
	    ksi);
}

/*
 * The current thread takes stop signal sig (default action; no stop is
 * under way): begin p's group stop unless p's group is orphaned (SIGSTOP
 * stops it anyway), p is ending its threads or a SIGKILL is pending.
 * proc_lock held.
 */
static void
stop_begin_locked(struct proc *p, int sig)
{
	uint64_t kill = p->p_sigpending;

	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next)
		kill |= container_of(l, struct thread, td_plink)->td_sigpending;
	if ((sig != SIGSTOP && pgrp_orphaned_locked(p->p_pgid, NULL)) ||
	    p->p_single != NULL || (kill & sigmask(SIGKILL)))
		return;
	__atomic_store_n(&p->p_stopsig, sig, __ATOMIC_RELAXED);
	p->p_stopped = false;
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next)
		thread_interrupt(container_of(l, struct thread, td_plink));
}

/*
 * Park the current thread in its process's group stop until SIGCONT or
 * SIGKILL ends the stop, or the process must end its threads (exit or
 * exec in a thread that had not parked yet).  The sleep is not
 * interruptible: whatever ends the stop wakes &p_stopsig.  proc_lock
 * held; dropped while asleep.
 */
static void
stop_park_locked(struct thread *td)
{
	struct proc *p = td->td_proc;

	p->p_nparked++;
	proc_stop_check_locked(p);
	while (p->p_stopsig != 0 && !thread_must_exit(td))
		tsleep(&p->p_stopsig, &proc_lock, "stopped");
	p->p_nparked--;
}

/*
 * After a stop (or a stop signal thrown away) with no handler to run,
 * the system call it interrupted runs again, as on Linux, where the
 * stop is not seen; sigsuspend gets its caller's mask back first (it
 * sets its own again).  A sleep goes on till its deadline through its
 * restart block (syscall_restart).
 */
static void
stop_restart_syscall(struct trapframe *tf)
{
	struct thread *td = curthread();

	if (td->td_sigsuspend) {
		spin_lock(&proc_lock);
		sigmask_set_locked(td, td->td_sigsuspend_mask);
		td->td_sigsuspend = false;
		spin_unlock(&proc_lock);
		td->td_syscall_eintr = true;
	}
	syscall_restart(tf, false, false);
}

/*
 * Take the next signal for the current thread (td), parking it first
 * while its process is stopped and acting on stop signals with the
 * default action.  Returns the signal with *ksi and proc_lock held, or
 * 0 with it dropped; *jobctl says whether a stop or a thrown-away stop
 * signal came first.  A thread told to exit exits here.
 */
static int
signal_next(struct thread *td, struct ksiginfo *ksi, bool *jobctl)
{
	struct proc *p = td->td_proc;
	int sig;

	*jobctl = false;
	for (;;) {
		if (thread_must_exit(td))
			thread_exit_user(0);
		spin_lock(&proc_lock);
		if (p->p_stopsig != 0) {
			stop_park_locked(td);
			spin_unlock(&proc_lock);
			*jobctl = true;
			continue;
		}
		sig = dequeue_signal(td, ksi);
		if (sig == 0)
			break;
		if (!stops(sig) || p->p_sigacts.handler[sig] != SIG_DFL)
			return sig;
		stop_begin_locked(p, sig);
		spin_unlock(&proc_lock);
		*jobctl = true;
	}
	spin_unlock(&proc_lock);
	return 0;
}

/*
 * Deliver one pending signal to the current thread, about to return to
 * user mode with tf: run its default action or set tf up to enter the
 * handler.  A thread told to exit (thread_must_exit) exits here, and one
 * whose process stops parks here.  Returns true if something was
 * delivered.
 */
bool
signals_deliver(struct trapframe *tf)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;
	struct ksiginfo ksi;
	uint64_t handler, flags, oldmask, mask;
	bool jobctl;
	int sig;

	sig = signal_next(td, &ksi, &jobctl);
	if (sig == 0) {
		if (jobctl)
			stop_restart_syscall(tf);
		return jobctl;
	}
	handler = p->p_sigacts.handler[sig];
	flags = p->p_sigacts.flags[sig];
	oldmask = mask = td->td_sigmask;
	if (td->td_sigsuspend) {
		/*
		 * The temporary mask (sigsuspend, ppoll, pselect6) ends here:
		 * a handler runs under it, as on Linux, with the saved mask
		 * in its frame; otherwise the saved mask is back at once.
		 */
		td->td_sigsuspend = false;
		oldmask = td->td_sigsuspend_mask;
		if (handler <= SIG_IGN || sig == SIGKILL)
			mask = oldmask;
	}
	if (handler > SIG_IGN && sig != SIGKILL) {
		mask |= p->p_sigacts.mask[sig];
		if (!(flags & SA_NODEFER))
			mask |= sigmask(sig);
		if (flags & SA_RESETHAND)
			p->p_sigacts.handler[sig] = SIG_DFL;
	}
	sigmask_set_locked(td, mask);
	spin_unlock(&proc_lock);

	syscall_restart(tf, handler > SIG_IGN, (flags & SA_RESTART) != 0);
	if (handler == SIG_IGN || (handler == SIG_DFL && default_ignores(sig)))
		return true;
	if (handler == SIG_DFL || sig == SIGKILL)
		sigexit(p, &ksi, tf->tf_sepc);	/* status: the signal */
	if (!sendsig(tf, &ksi, handler, flags, oldmask)) {
		/* No room for the frame on the user stack: that is fatal. */
		kprintf("pid %d (%s): cannot deliver signal %d, killed\n",
		    p->p_pid, p->p_comm, sig);
		proc_exit(SIGSEGV);
	}
	return true;
}

struct sigaction_linux {
	uint64_t handler;
	uint64_t flags;
	uint64_t mask;
};

int64_t
sys_rt_sigaction(int sig, uaddr_t uact, uaddr_t uoact, size_t sigsetsize)
{
	struct proc *p = curproc();
	struct sigaction_linux act, old;

	/* Linux's order: the size, reading the new action, the signal. */
	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (uact != 0 && copyin((void *)uact, &act, sizeof(act)) != 0)
		return -EFAULT;
	if (sig < 1 || sig > NSIG || ((sig == SIGKILL || sig == SIGSTOP) &&
	    uact != 0))
		return -EINVAL;
	spin_lock(&proc_lock);
	old.handler = p->p_sigacts.handler[sig];
	old.flags = p->p_sigacts.flags[sig];
	old.mask = p->p_sigacts.mask[sig];
	if (uact != 0) {
		p->p_sigacts.handler[sig] = act.handler;
		p->p_sigacts.flags[sig] = act.flags;
		p->p_sigacts.mask[sig] = act.mask & ~SIG_CANTMASK;
		/* An ignored signal pending anywhere in the process goes. */
		if (ignored(p, sig)) {
			sigpend_discard_locked(p, sigpend_proc(p), sigmask(sig));
			for (struct list *l = p->p_threads.next;
			    l != &p->p_threads; l = l->next)
				sigpend_discard_locked(p, sigpend_thread(
				    container_of(l, struct thread, td_plink)),
				    sigmask(sig));
		}
	}
	spin_unlock(&proc_lock);
	/* As on Linux, a bad oact is EFAULT after the new action is set. */
	if (uoact != 0 && copyout(&old, (void *)uoact, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/*
 * td has just blocked more signals: process signals pending that it now
 * blocks go to another thread that takes them, woken (Linux's
 * retarget_shared_pending).  proc_lock held.
 */
void
signals_retarget(struct thread *td, uint64_t newly_blocked)
{
	struct proc *p = td->td_proc;
	uint64_t left = p->p_sigpending & newly_blocked;

	while (left != 0) {
		int sig = lowest_signal(left);
		struct thread *target = signal_target(p, sig);

		left &= ~sigmask(sig);
		if (target != NULL)
			thread_interrupt(target);
	}
}

/*
 * Set td's blocked signals to mask (less those that cannot be blocked),
 * passing on the process signals it now blocks to a thread that takes
 * them (Linux's set_current_blocked).  Every change of a thread's mask
 * goes through here: a process signal aimed at a thread that then blocks
 * it would otherwise wait for some other thread's next system call (a
 * return to user mode looks only when woken: TDA_SIG).  proc_lock held.
 */
void
sigmask_set_locked(struct thread *td, uint64_t mask)
{
	uint64_t old = td->td_sigmask;

	td->td_sigmask = mask & ~SIG_CANTMASK;
	signals_retarget(td, td->td_sigmask & ~old);
}

/*
 * A thread just left p (it is off p_threads): the signals pending for p
 * that it may have been woken for are looked at by each remaining thread
 * that takes one (Linux's exit_signals), or they could wait for a system
 * call (a return to user mode only looks when woken: TDA_SIG).
 * proc_lock held.
 */
void
signals_exit_retarget(struct proc *p)
{
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next) {
		struct thread *td = container_of(l, struct thread, td_plink);

		if (p->p_sigpending & ~(td->td_sigmask & ~SIG_CANTMASK))
			thread_interrupt(td);
	}
}

/* rt_sigprocmask: the calling thread's mask. */
int64_t
sys_rt_sigprocmask(int how, uaddr_t uset, uaddr_t uoset, size_t sigsetsize)
{
	struct thread *td = curthread();
	uint64_t set, old = td->td_sigmask;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (uset != 0) {
		if (copyin((void *)uset, &set, sizeof(set)) != 0)
			return -EFAULT;
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
			return -EINVAL;
	}
	if (uset != 0) {
		spin_lock(&proc_lock);
		sigmask_set_locked(td, how == SIG_BLOCK ? old | set :
		    how == SIG_UNBLOCK ? old & ~set : set);
		spin_unlock(&proc_lock);
	}
	/* As on Linux, a bad oset is EFAULT after the new mask is set. */
	if (uoset != 0 && copyout(&old, (void *)uoset, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

/*
 * rt_sigreturn: the frame's registers and mask come back.  A restart
 * block does not outlive a handler (Linux's do_no_restart_syscall): a
 * sleep whose resumption a handler ran in front of ends with EINTR.
 */
int64_t
sys_rt_sigreturn(void)
{
	struct proc *p = curproc();
	uint64_t mask;

	curthread()->td_restart_fn = NULL;
	if (!sigreturn(curthread()->td_frame, &mask)) {
		if (logsigexit)		/* a crash like any other (sigexit) */
			kprintf("pid %d (%s): bad signal frame, killed\n",
			    p->p_pid, p->p_comm);
		proc_exit(SIGSEGV);
	}
	spin_lock(&proc_lock);
	sigmask_set_locked(curthread(), mask);
	spin_unlock(&proc_lock);
	return SYSCALL_NORETURN_VALUE;
}

static bool
valid_signal(int sig)
{
	return sig >= 0 && sig <= NSIG;
}

/* kill of one process: ESRCH, EINVAL for a bad signal, EPERM if the
 * sender may not signal it (kill_permitted), in Linux's order. */
static int64_t
kill_one(int pid, int sig)
{
	struct ksiginfo ksi = sender_info(sig);
	struct proc *p;
	int64_t rv = 0;

	spin_lock(&proc_lock);
	p = pfind_locked(pid);
	if (p == NULL)
		rv = -ESRCH;
	else if (!valid_signal(sig))
		rv = -EINVAL;
	else if (!kill_permitted(p, sig))
		rv = -EPERM;
	else if (sig != 0)
		post_signal_locked(p, NULL, &ksi, false);
	spin_unlock(&proc_lock);
	return rv;
}

/*
 * kill(-1, sig), as Linux: every process but init and the caller that
 * the caller may signal; 0 if there was one at all (EINVAL then for a
 * bad signal; none permitted is still 0, as on Linux), else ESRCH.
 */
static int64_t
kill_all(int sig)
{
	struct sig_broadcast b = { .ksi = sender_info(valid_signal(sig) ?
	    sig : 0), .self = curproc(), .check = true };

	proc_foreach(broadcast_one, &b);
	if (b.members == 0)
		return -ESRCH;
	return valid_signal(sig) ? 0 : -EINVAL;
}

/*
 * kill: as on Linux, the target is looked for before the signal number is
 * judged, so a bad signal to nobody is ESRCH and to someone EINVAL.
 */
int64_t
sys_kill(int pid, int sig)
{
	int members, denied;

	if (pid > 0)
		return kill_one(pid, sig);
	if (pid == -1)
		return kill_all(sig);
	if (pid == INT32_MIN)
		return -ESRCH;		/* its group would be -INT_MIN */
	pid = pid == 0 ? curproc()->p_pgid : -pid;
	members = pgsignal_count(pid, valid_signal(sig) ? sig : 0, &denied);
	if (members == 0)
		return -ESRCH;
	if (!valid_signal(sig))
		return -EINVAL;
	return denied == members ? -EPERM : 0;
}

/*
 * Send sig to the thread tid (of process tgid unless tgid is 0): as on
 * Linux, ESRCH if there is none, then EINVAL for a bad signal.
 */
static int64_t
kill_thread(int tgid, int tid, int sig)
{
	struct ksiginfo ksi = sender_info(sig);
	struct thread *td;
	int64_t rv = 0;

	spin_lock(&proc_lock);
	td = tdfind_locked(tid, tgid);
	if (td == NULL)
		rv = -ESRCH;
	else if (!valid_signal(sig))
		rv = -EINVAL;
	else if (!kill_permitted(td->td_proc, sig))
		rv = -EPERM;
	else if (sig != 0)
		post_signal_locked(td->td_proc, td, &ksi, false);
	spin_unlock(&proc_lock);
	return rv;
}

int64_t
sys_tkill(int tid, int sig)
{
	if (tid <= 0)
		return -EINVAL;
	return kill_thread(0, tid, sig);
}

/* tgkill: EINVAL for a tgid or tid that is not positive, as on Linux. */
int64_t
sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return kill_thread(tgid, tid, sig);
}

/* rt_sigsuspend: wait for a signal with a temporary mask; always EINTR. */
int64_t
sys_rt_sigsuspend(uaddr_t umask, size_t sigsetsize)
{
	struct thread *td = curthread();
	uint64_t mask;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copyin((void *)umask, &mask, sizeof(mask)) != 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	td->td_sigsuspend_mask = td->td_sigmask;
	td->td_sigsuspend = true;
	sigmask_set_locked(td, mask);
	spin_unlock(&proc_lock);
	while (tsleep_sig(td, NULL, "sigsusp", 0) != EINTR)
		;
	return -EINTR;
}
