/*
 * Process exit and wait4.
 *
 * An exiting process (exit_group, a fatal signal, or the exit of its
 * last thread) first ends its other threads (kern_thread.c), then gives
 * up everything but its struct proc: files, directories, address space;
 * its children go to init; it becomes a zombie holding its wait status,
 * and its parent gets SIGCHLD.  The parent (or init) reaps it with
 * wait4 or waitid, which frees the struct proc.  The same calls report
 * a child's stop and continue once each (p_waitevent, set by kern_sig.c).
 * Threads are not children: wait never sees them.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/lockf.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/tty.h"
#include "kern/uaccess.h"
#include "vm/vm_map.h"

#define WNOHANG		1
#define WUNTRACED	2
#define WSTOPPED	WUNTRACED	/* waitid's name */
#define WEXITED		4
#define WCONTINUED	8
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/*
 * Hand p's children to init; wake init if any is already a zombie.  Each
 * that asked for one (prctl's PR_SET_PDEATHSIG) gets its signal.  A
 * child's group (in our session, not ours) that this orphans, and our
 * own group, if we were its last link outside, get SIGHUP and SIGCONT
 * when a member is stopped (pgrp_orphan_check_locked).
 */
static void
reparent_children(struct proc *p)
{
	struct proc *pp;
	bool zombies = false;
	struct list *l;

	spin_lock(&proc_lock);
	pp = p->p_parent;
	while ((l = list_first(&p->p_children)) != NULL) {
		struct proc *c = container_of(l, struct proc, p_sibling);

		list_remove(l);
		c->p_parent = initproc;
		list_insert_tail(&initproc->p_children, &c->p_sibling);
		zombies |= c->p_state == PRS_ZOMBIE;
		if (c->p_pgid != p->p_pgid && c->p_sid == p->p_sid)
			pgrp_orphan_check_locked(c->p_pgid, NULL);
		if (c->p_pdeathsig != 0) {
			struct ksiginfo ksi = { .si_signo = c->p_pdeathsig,
			    .si_code = SI_USER, .si_pid = p->p_pid,
			    .si_uid = p->p_cred.cr_ruid };

			post_signal_locked(c, NULL, &ksi, false);
		}
	}
	if (pp->p_pgid != p->p_pgid && pp->p_sid == p->p_sid)
		pgrp_orphan_check_locked(p->p_pgid, p);
	spin_unlock(&proc_lock);
	if (zombies)
		wakeup(initproc);
}

/* Release the vfork parent (at exec or exit of the child). */
void
proc_vfork_done(struct proc *p)
{
	struct proc *parent;

	spin_lock(&proc_lock);
	parent = p->p_vfork_parent;
	p->p_vfork_parent = NULL;
	spin_unlock(&proc_lock);
	if (parent != NULL)
		wakeup(&p->p_vfork_parent);
}

/*
 * Exit the current process: status is a wait(2) status word (exit code
 * << 8, or the terminating signal; never the core-dump bit, since no core
 * file is written: see sys_prlimit64).  The other threads are ended
 * first; if another thread is already ending them (an exit_group or a
 * fatal signal of its own, or an execve), only the calling thread ends.
 * Never returns.
 */
void
proc_exit(int status)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;
	struct vmspace *vm = p->p_vmspace;

	if (!proc_single_thread(p))
		thread_exit_user(status);
	if (p == initproc)
		panic("proc_exit: init exited with status %#x", status);
	spin_lock(&proc_lock);
	p->p_exiting = true;	/* the OOM killer waits for us, not another */
	spin_unlock(&proc_lock);
	thread_user_cleanup(td);
	lockf_proc_exit(p);
	fd_free(proc_set_fd(p, NULL));
	vrele(p->p_cwd);
	vrele(p->p_root);
	proc_vfork_done(p);
	tty_session_exit(p);
	vmspace_activate(NULL);
	proc_set_vmspace(p, NULL);
	vmspace_free(vm);
	reparent_children(p);
	itimer_exit(p);

	spin_lock(&proc_lock);
	list_remove(&td->td_plink);
	p->p_nthreads--;
	p->p_lastthread = td;
	p->p_state = PRS_ZOMBIE;
	p->p_xstat = status;
	/* A zombie gets no more signals: the pending ones go. */
	sigpend_discard_locked(p, sigpend_thread(td), ~0ULL);
	sigpend_discard_locked(p, sigpend_proc(p), ~0ULL);
	spin_unlock(&proc_lock);
	{
		struct ksiginfo ksi = { .si_signo = SIGCHLD, .si_pid = p->p_pid,
		    .si_code = (status & 0x7f) ? CLD_KILLED : CLD_EXITED,
		    .si_status = (status & 0x7f) ? status & 0x7f : status >> 8 };

		psignal_info(p->p_parent, &ksi);
	}
	wakeup(p->p_parent);
	thread_exit();
}

/* Does child c match waitid's (idtype, id)?  proc_lock held. */
static bool
wait_matches(const struct proc *c, int idtype, int id)
{
	switch (idtype) {
	case P_PID:
		return c->p_pid == id;
	case P_PGID:
		return c->p_pgid == id;
	default:
		return true;
	}
}

/*
 * What child c has for a wait with options: CLD_EXITED or CLD_KILLED
 * for a zombie (WEXITED), CLD_STOPPED (WSTOPPED) or CLD_CONTINUED
 * (WCONTINUED) for a stop or continue not yet reported; 0 if nothing.
 * proc_lock held.
 */
static int
wait_event(const struct proc *c, int options)
{
	if (c->p_state == PRS_ZOMBIE)
		return !(options & WEXITED) ? 0 :
		    (c->p_xstat & 0x7f) ? CLD_KILLED : CLD_EXITED;
	if ((options & WSTOPPED) && c->p_waitevent == PWAIT_STOPPED)
		return CLD_STOPPED;
	if ((options & WCONTINUED) && c->p_waitevent == PWAIT_CONTINUED)
		return CLD_CONTINUED;
	return 0;
}

/*
 * Fill *wr with child c's event (code, from wait_event) and, unless
 * WNOWAIT, consume it: a zombie leaves our children (the caller frees
 * it, after dropping proc_lock) and its CPU time joins ours; a stop or
 * continue is reported once.  proc_lock held.
 */
static void
wait_take(struct proc *p, struct proc *c, int code, int options,
    struct wait_result *wr)
{
	wr->wr_pid = c->p_pid;
	wr->wr_code = code;
	wr->wr_ticks[0] = c->p_utime_ticks + c->p_cutime_ticks;
	wr->wr_ticks[1] = c->p_stime_ticks + c->p_cstime_ticks;
	switch (code) {
	case CLD_STOPPED:
		wr->wr_status = 0x7f | c->p_stopsig << 8;
		wr->wr_sistatus = c->p_stopsig;
		break;
	case CLD_CONTINUED:
		wr->wr_status = 0xffff;
		wr->wr_sistatus = SIGCONT;
		break;
	default:
		wr->wr_status = c->p_xstat;
		wr->wr_sistatus = code == CLD_KILLED ? c->p_xstat & 0x7f :
		    c->p_xstat >> 8;
		break;
	}
	if (options & WNOWAIT)
		return;
	if (code == CLD_STOPPED || code == CLD_CONTINUED) {
		c->p_waitevent = 0;
		return;
	}
	list_remove(&c->p_sibling);
	p->p_cutime_ticks += wr->wr_ticks[0];
	p->p_cstime_ticks += wr->wr_ticks[1];
}

/*
 * Wait for a child matching (idtype, id) (waitid's; pid -1 is P_ALL) to
 * have an event the options ask for (WEXITED, WSTOPPED, WCONTINUED):
 * returns its pid with *wr filled in, a zombie reaped (freed) unless
 * WNOWAIT; 0 for WNOHANG with none ready; -ECHILD if no child matches,
 * -EINTR if a signal came first.
 */
int
proc_wait(int idtype, int id, int options, struct wait_result *wr)
{
	struct proc *p = curproc();
	bool interrupted = false;

	spin_lock(&proc_lock);
	for (;;) {
		struct proc *found = NULL;
		bool any = false;
		int code = 0;

		for (struct list *l = p->p_children.next; l != &p->p_children;
		    l = l->next) {
			struct proc *c = container_of(l, struct proc, p_sibling);

			if (!wait_matches(c, idtype, id))
				continue;
			any = true;
			code = wait_event(c, options);
			if (code != 0) {
				found = c;
				break;
			}
		}
		if (found != NULL) {
			wait_take(p, found, code, options, wr);
			spin_unlock(&proc_lock);
			if (found->p_state == PRS_ZOMBIE && !(options & WNOWAIT))
				proc_free(found);
			return wr->wr_pid;
		}
		if (!any) {
			spin_unlock(&proc_lock);
			return -ECHILD;
		}
		if (options & WNOHANG) {
			spin_unlock(&proc_lock);
			return 0;
		}
		/* A signal ends the wait, but only after one more look. */
		if (interrupted) {
			spin_unlock(&proc_lock);
			return -EINTR;
		}
		interrupted = tsleep_sig(p, &proc_lock, "wait", 0) == EINTR;
	}
}

/*
 * A struct rusage with only the CPU times (ticks of user and system time)
 * filled in: nothing else is counted per process.
 */
void
rusage_from_ticks(int64_t ru[RUSAGE_WORDS], uint64_t uticks, uint64_t sticks)
{
	uint64_t uus = uticks * (1000000 / HZ), sus = sticks * (1000000 / HZ);

	memset(ru, 0, RUSAGE_WORDS * sizeof(ru[0]));
	ru[0] = (int64_t)(uus / 1000000);
	ru[1] = (int64_t)(uus % 1000000);
	ru[2] = (int64_t)(sus / 1000000);
	ru[3] = (int64_t)(sus % 1000000);
}

/*
 * wait4: pid > 0 that child, -1 any, 0 our group, < -1 group -pid; as on
 * Linux, INT_MIN (whose group -INT_MIN cannot exist) is ESRCH.
 */
int64_t
sys_wait4(int pid, uaddr_t ustatus, int options, uaddr_t urusage)
{
	struct wait_result wr;
	int64_t ru[RUSAGE_WORDS];
	int idtype = pid > 0 ? P_PID : pid == -1 ? P_ALL : P_PGID;
	int id = pid == 0 ? curproc()->p_pgid : pid < -1 ? -pid : pid;
	int rv;

	if ((unsigned int)options & ~(unsigned int)(WNOHANG | WUNTRACED |
	    WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	rv = proc_wait(idtype, id, options | WEXITED, &wr);
	if (rv > 0 && ustatus != 0 &&
	    copyout(&wr.wr_status, (void *)ustatus, sizeof(int)) != 0)
		return -EFAULT;
	if (rv > 0 && urusage != 0) {
		rusage_from_ticks(ru, wr.wr_ticks[0], wr.wr_ticks[1]);
		if (copyout(ru, (void *)urusage, sizeof(ru)) != 0)
			return -EFAULT;
	}
	return rv;
}

/* The siginfo fields waitid writes (asm-generic layout), in two runs. */
struct waitid_head {
	int32_t si_signo, si_errno, si_code;		/* offset 0 */
};
struct waitid_child {
	int32_t si_pid, si_uid, si_status;		/* offset 16 */
};

/*
 * waitid: Linux's checks in its order (options, then idtype and id: P_PID
 * needs id > 0, P_PGID id >= 0, 0 meaning our group; P_PIDFD and others
 * are EINVAL, there being no pidfds).  infop gets si_signo SIGCHLD,
 * si_code CLD_*, si_pid and si_status, or zeros for WNOHANG with nothing
 * ready; as on Linux, a bad infop is EFAULT even after a child was reaped.
 */
int64_t
sys_waitid(int idtype, int id, uaddr_t uinfo, int options, uaddr_t urusage)
{
	struct wait_result wr = { 0 };
	struct waitid_head h = { 0 };
	struct waitid_child c = { 0 };
	int64_t ru[RUSAGE_WORDS];
	int rv;

	if ((unsigned int)options & ~(unsigned int)(WNOHANG | WNOWAIT |
	    WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if ((idtype != P_ALL && idtype != P_PID && idtype != P_PGID) ||
	    (idtype == P_PID && id <= 0) || (idtype == P_PGID && id < 0))
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		id = curproc()->p_pgid;
	rv = proc_wait(idtype, id, options, &wr);
	if (rv < 0)
		return rv;
	if (rv > 0) {
		h.si_signo = SIGCHLD;
		h.si_code = wr.wr_code;
		c.si_pid = wr.wr_pid;
		c.si_status = wr.wr_sistatus;
		if (urusage != 0) {
			rusage_from_ticks(ru, wr.wr_ticks[0], wr.wr_ticks[1]);
			if (copyout(ru, (void *)urusage, sizeof(ru)) != 0)
				return -EFAULT;
		}
	}
	if (uinfo != 0 && (copyout(&h, (void *)uinfo, sizeof(h)) != 0 ||
	    copyout(&c, (void *)(uinfo + 16), sizeof(c)) != 0))
		return -EFAULT;
	return 0;
}

/* exit: ends the calling thread; the last one's exit ends the process. */
int64_t
sys_exit(int code)
{
	thread_exit_user((code & 0xff) << 8);
}

int64_t
sys_exit_group(int code)
{
	proc_exit((code & 0xff) << 8);
}
