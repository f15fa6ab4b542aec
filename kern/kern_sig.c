/*
 * Signals: posting, default actions, delivery on the way back to user
 * mode, and the signal system calls.
 *
 * Default actions: SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored; the
 * job-control stops (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) are ignored too,
 * since there is no job control; every other signal terminates.  Init,
 * as on Linux, receives only the signals it has handlers for, unless its
 * own fault forces one on it (which then panics the kernel).
 *
 * Locking: proc_lock guards p_sigpending, p_sigmask and p_siginfo.
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
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
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

/*
 * Post a signal with details to p (forced: by p's own fault) and wake it
 * if it sleeps interruptibly.  Takes and drops proc_lock.
 */
static void
post_signal(struct proc *p, const struct ksiginfo *ksi, bool forced)
{
	int sig = ksi->si_signo;

	if (sig <= 0 || sig > NSIG || p->p_state == PRS_ZOMBIE ||
	    discarded(p, sig, forced))
		return;
	spin_lock(&proc_lock);
	p->p_sigpending |= sigmask(sig);
	p->p_siginfo[sig] = *ksi;
	spin_unlock(&proc_lock);
	if (p->p_thread != NULL)
		thread_interrupt(p->p_thread);
}

/* Post a signal with details to p and wake it if it sleeps interruptibly. */
void
psignal_info(struct proc *p, const struct ksiginfo *ksi)
{
	post_signal(p, ksi, false);
}

void
psignal(struct proc *p, int sig)
{
	struct proc *sender = curproc();
	struct ksiginfo ksi = {
		.si_signo = sig,
		.si_code = sender != NULL ? SI_USER : SI_KERNEL,
		.si_pid = sender != NULL ? sender->p_pid : 0,
	};

	psignal_info(p, &ksi);
}

struct pgsig_arg {
	int pgid, members, count;
	struct proc *targets[64];
};

static void
collect_pgrp(struct proc *p, void *arg)
{
	struct pgsig_arg *a = arg;

	if (p->p_pgid != a->pgid)
		return;
	a->members++;
	if (p->p_state != PRS_ZOMBIE && a->count < (int)nitems(a->targets))
		a->targets[a->count++] = p;
}

/*
 * Signal (sig 0: nothing) every live process of group pgid.  Returns how
 * many processes the group has, zombies included: as on Linux, a group
 * exists until its last member is reaped.
 */
static int
pgsignal_count(int pgid, int sig)
{
	struct pgsig_arg a = { .pgid = pgid };

	proc_foreach(collect_pgrp, &a);
	for (int i = 0; i < a.count; i++)
		psignal(a.targets[i], sig);
	return a.members;
}

void
pgsignal(int pgid, int sig)
{
	pgsignal_count(pgid, sig);
}

/*
 * A fault in the current process: the signal cannot be blocked or ignored
 * away (the faulting instruction would only fault again), so it is
 * unblocked and, if ignored, reset to its default (terminate).
 */
void
trapsignal(const struct ksiginfo *ksi)
{
	struct proc *p = curproc();
	int sig = ksi->si_signo;

	spin_lock(&proc_lock);
	if ((p->p_sigmask & sigmask(sig)) || p->p_sigacts.handler[sig] == SIG_IGN) {
		p->p_sigmask &= ~sigmask(sig);
		p->p_sigacts.handler[sig] = SIG_DFL;
	}
	spin_unlock(&proc_lock);
	post_signal(p, ksi, true);
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

/* Has p (the current process if NULL) a deliverable signal? */
bool
signal_pending(struct proc *p)
{
	if (p == NULL)
		p = curproc();
	if (p == NULL)
		return false;
	return (__atomic_load_n(&p->p_sigpending, __ATOMIC_RELAXED) &
	    ~(p->p_sigmask & ~SIG_CANTMASK)) != 0;
}

/* exec: caught signals go back to their default; ignored ones stay. */
void
sigacts_exec(struct proc *p)
{
	for (int sig = 1; sig <= NSIG; sig++) {
		if (p->p_sigacts.handler[sig] != SIG_IGN)
			p->p_sigacts.handler[sig] = SIG_DFL;
		p->p_sigacts.flags[sig] = 0;
		p->p_sigacts.mask[sig] = 0;
	}
}

/*
 * A system call that returned EINTR is restarted (its ecall runs again
 * with the same arguments) unless a handler without SA_RESTART is about
 * to run, as Linux does for calls interrupted before doing anything, or
 * the call said its EINTR is final (td_eintr_norestart: a sleep, which
 * Linux never restarts under a handler, SA_RESTART or not).
 */
static void
syscall_restart_decide(struct trapframe *tf, bool keep_eintr)
{
	struct thread *td = curthread();
	bool norestart = td->td_eintr_norestart;

	td->td_eintr_norestart = false;
	if (!td->td_syscall_eintr)
		return;
	td->td_syscall_eintr = false;
	if (keep_eintr || norestart)
		return;
	tf->tf_x[TF_A0] = td->td_syscall_a0;
	tf->tf_sepc -= 4;
}

/*
 * Deliver one pending signal to the current process, about to return to
 * user mode with tf: run its default action or set tf up to enter the
 * handler.  Returns true if something was delivered.
 */
bool
signals_deliver(struct trapframe *tf)
{
	struct proc *p = curproc();
	struct ksiginfo ksi;
	uint64_t deliverable, handler, flags, oldmask;
	int sig;

	spin_lock(&proc_lock);
	deliverable = p->p_sigpending & ~(p->p_sigmask & ~SIG_CANTMASK);
	if (deliverable == 0) {
		spin_unlock(&proc_lock);
		return false;
	}
	for (sig = 1; !(deliverable & sigmask(sig)); sig++)
		;
	p->p_sigpending &= ~sigmask(sig);
	ksi = p->p_siginfo[sig];
	handler = p->p_sigacts.handler[sig];
	flags = p->p_sigacts.flags[sig];
	oldmask = p->p_sigmask;
	if (curthread()->td_sigsuspend) {
		/* sigsuspend's temporary mask ends here either way. */
		curthread()->td_sigsuspend = false;
		oldmask = p->p_sigmask = curthread()->td_sigsuspend_mask;
	}
	if (handler > SIG_IGN && sig != SIGKILL) {
		p->p_sigmask |= p->p_sigacts.mask[sig];
		if (!(flags & SA_NODEFER))
			p->p_sigmask |= sigmask(sig);
		if (flags & SA_RESETHAND)
			p->p_sigacts.handler[sig] = SIG_DFL;
	}
	spin_unlock(&proc_lock);

	syscall_restart_decide(tf, handler > SIG_IGN && !(flags & SA_RESTART));
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
	old.handler = p->p_sigacts.handler[sig];
	old.flags = p->p_sigacts.flags[sig];
	old.mask = p->p_sigacts.mask[sig];
	if (uact != 0) {
		spin_lock(&proc_lock);
		p->p_sigacts.handler[sig] = act.handler;
		p->p_sigacts.flags[sig] = act.flags;
		p->p_sigacts.mask[sig] = act.mask & ~SIG_CANTMASK;
		if (ignored(p, sig))
			p->p_sigpending &= ~sigmask(sig);
		spin_unlock(&proc_lock);
	}
	/* As on Linux, a bad oact is EFAULT after the new action is set. */
	if (uoact != 0 && copyout(&old, (void *)uoact, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

int64_t
sys_rt_sigprocmask(int how, uaddr_t uset, uaddr_t uoset, size_t sigsetsize)
{
	struct proc *p = curproc();
	uint64_t set, old = p->p_sigmask;

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
		if (how == SIG_BLOCK)
			p->p_sigmask |= set;
		else if (how == SIG_UNBLOCK)
			p->p_sigmask &= ~set;
		else
			p->p_sigmask = set;
		p->p_sigmask &= ~SIG_CANTMASK;
		spin_unlock(&proc_lock);
	}
	/* As on Linux, a bad oset is EFAULT after the new mask is set. */
	if (uoset != 0 && copyout(&old, (void *)uoset, sizeof(old)) != 0)
		return -EFAULT;
	return 0;
}

int64_t
sys_rt_sigreturn(void)
{
	struct proc *p = curproc();
	uint64_t mask;

	if (!sigreturn(curthread()->td_frame, &mask)) {
		if (logsigexit)		/* a crash like any other (sigexit) */
			kprintf("pid %d (%s): bad signal frame, killed\n",
			    p->p_pid, p->p_comm);
		proc_exit(SIGSEGV);
	}
	spin_lock(&proc_lock);
	p->p_sigmask = mask & ~SIG_CANTMASK;
	spin_unlock(&proc_lock);
	return SYSCALL_NORETURN_VALUE;
}

static bool
valid_signal(int sig)
{
	return sig >= 0 && sig <= NSIG;
}

static int64_t
kill_one(struct proc *p, int sig)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (sig != 0)
		psignal(p, sig);
	return 0;
}

/*
 * kill: as on Linux, the target is looked for before the signal number is
 * judged, so a bad signal to nobody is ESRCH and to someone EINVAL.
 */
int64_t
sys_kill(int pid, int sig)
{
	struct proc *p;

	if (pid > 0) {
		p = pfind(pid);
		return p != NULL ? kill_one(p, sig) : -ESRCH;
	}
	if (pid == -1)		/* broadcast: not for anyone here */
		return valid_signal(sig) ? -EPERM : -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;		/* its group would be -INT_MIN */
	pid = pid == 0 ? curproc()->p_pgid : -pid;
	if (pgsignal_count(pid, valid_signal(sig) ? sig : 0) == 0)
		return -ESRCH;
	return valid_signal(sig) ? 0 : -EINVAL;
}

int64_t
sys_tkill(int tid, int sig)
{
	struct proc *p = tid > 0 ? pfind(tid) : NULL;

	if (p == NULL)
		return tid > 0 ? -ESRCH : -EINVAL;
	return kill_one(p, sig);
}

/* tgkill: EINVAL for a tgid or tid that is not positive, as on Linux. */
int64_t
sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tgid != tid)
		return -ESRCH;
	return sys_tkill(tid, sig);
}

/* rt_sigsuspend: wait for a signal with a temporary mask; always EINTR. */
int64_t
sys_rt_sigsuspend(uaddr_t umask, size_t sigsetsize)
{
	struct proc *p = curproc();
	struct thread *td = curthread();
	uint64_t mask;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copyin((void *)umask, &mask, sizeof(mask)) != 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	td->td_sigsuspend_mask = p->p_sigmask;
	td->td_sigsuspend = true;
	p->p_sigmask = mask & ~SIG_CANTMASK;
	spin_unlock(&proc_lock);
	while (tsleep_sig(td, NULL, "sigsusp", 0) != EINTR)
		;
	return -EINTR;
}
