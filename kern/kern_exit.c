/*
 * Process exit and wait4.
 *
 * An exiting process (exit_group, a fatal signal, or the exit of its
 * last thread) first ends its other threads (kern_thread.c), then gives
 * up everything but its struct proc: files, directories, address space;
 * its children go to init; it becomes a zombie holding its wait status,
 * and its parent gets SIGCHLD.  The parent (or init) reaps it with
 * wait4, which frees the struct proc.  Threads are not children: wait4
 * never sees them.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "vm/vm_map.h"

#define WNOHANG		1
#define WUNTRACED	2
#define WCONTINUED	8
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* Hand p's children to init; wake init if any is already a zombie.
 * Each that asked for one (prctl's PR_SET_PDEATHSIG) gets its signal. */
static void
reparent_children(struct proc *p)
{
	bool zombies = false;
	struct list *l;

	spin_lock(&proc_lock);
	while ((l = list_first(&p->p_children)) != NULL) {
		struct proc *c = container_of(l, struct proc, p_sibling);

		list_remove(l);
		c->p_parent = initproc;
		list_insert_tail(&initproc->p_children, &c->p_sibling);
		zombies |= c->p_state == PRS_ZOMBIE;
		if (c->p_pdeathsig != 0) {
			struct ksiginfo ksi = { .si_signo = c->p_pdeathsig,
			    .si_code = SI_USER, .si_pid = p->p_pid,
			    .si_uid = p->p_cred.cr_ruid };

			post_signal_locked(c, NULL, &ksi, false);
		}
	}
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
	fd_free(p->p_fd);
	p->p_fd = NULL;
	vrele(p->p_cwd);
	vrele(p->p_root);
	proc_vfork_done(p);
	vmspace_activate(NULL);
	p->p_vmspace = NULL;
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

static bool
wait_matches(const struct proc *c, int pid, const struct proc *parent)
{
	if (pid > 0)
		return c->p_pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->p_pgid == parent->p_pgid;
	return c->p_pgid == -pid;
}

/*
 * Wait for a child matching pid (wait4 rules) to exit.  Returns its pid
 * with *status set, the child freed and its CPU time (with that of the
 * children it reaped) added to our children's times and, if ticks is not
 * NULL, stored in ticks[0] (user) and ticks[1] (system); 0 for WNOHANG
 * with none ready; or -ECHILD / -EINTR / -ESRCH (pid INT_MIN, whose group
 * -INT_MIN cannot exist, as on Linux).
 */
int
proc_wait(int pid, int *status, int options, uint64_t ticks[2])
{
	struct proc *p = curproc();
	bool interrupted = false;

	if (pid == INT32_MIN)
		return -ESRCH;
	spin_lock(&proc_lock);
	for (;;) {
		struct proc *zombie = NULL;
		bool any = false;

		for (struct list *l = p->p_children.next; l != &p->p_children;
		    l = l->next) {
			struct proc *c = container_of(l, struct proc, p_sibling);

			if (!wait_matches(c, pid, p))
				continue;
			any = true;
			if (c->p_state == PRS_ZOMBIE) {
				zombie = c;
				break;
			}
		}
		if (zombie != NULL) {
			int cpid = zombie->p_pid;
			uint64_t ut, st;

			list_remove(&zombie->p_sibling);
			*status = zombie->p_xstat;
			ut = zombie->p_utime_ticks + zombie->p_cutime_ticks;
			st = zombie->p_stime_ticks + zombie->p_cstime_ticks;
			p->p_cutime_ticks += ut;
			p->p_cstime_ticks += st;
			if (ticks != NULL) {
				ticks[0] = ut;
				ticks[1] = st;
			}
			spin_unlock(&proc_lock);
			proc_free(zombie);
			return cpid;
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

int64_t
sys_wait4(int pid, uaddr_t ustatus, int options, uaddr_t urusage)
{
	int status = 0;
	uint64_t ticks[2];
	int64_t ru[RUSAGE_WORDS];
	int rv;

	if ((unsigned int)options & ~(unsigned int)(WNOHANG | WUNTRACED |
	    WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	rv = proc_wait(pid, &status, options, ticks);
	if (rv > 0 && ustatus != 0 &&
	    copyout(&status, (void *)ustatus, sizeof(status)) != 0)
		return -EFAULT;
	if (rv > 0 && urusage != 0) {
		rusage_from_ticks(ru, ticks[0], ticks[1]);
		if (copyout(ru, (void *)urusage, sizeof(ru)) != 0)
			return -EFAULT;
	}
	return rv;
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
