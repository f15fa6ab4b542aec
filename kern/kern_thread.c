/*
 * User threads: clone(CLONE_THREAD), thread exit, and making a process
 * single-threaded for exit_group, a fatal signal and execve.
 *
 * A process's threads share its address space, descriptor table,
 * directories and signal actions; each has its own kernel stack, trap
 * frame (so its own tp, the TLS pointer), signal mask and pending set,
 * and an id from the pid space (its first thread's is the pid).
 *
 * Ending the other threads: the thread that does it sets p_single and
 * interrupts the others; every other thread sees thread_must_exit() at
 * its next interruptible sleep (which then ends with EINTR) or return to
 * user mode, and leaves through thread_exit_user().  p_single's thread
 * waits, on &p_nthreads under proc_lock, until it is the only one.
 *
 * Locking: proc_lock guards p_threads, p_nthreads, p_single and each
 * thread's td_plink and td_utid.  A thread leaves p_threads under
 * proc_lock before it is freed, so a thread found on the list with
 * proc_lock held may be signalled (thread_interrupt takes sched_lock
 * inside proc_lock).
 */
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "machine/frame.h"
#include "machine/machdep.h"
#include "vm/vm_map.h"

static int64_t
sysctl_nthreads(const struct sysctl_node *node, struct sysctl_req *req)
{
	int n = thread_count();

	return sysctl_out(req, &n, sizeof(n));
}

SYSCTL_PROC(kern_nthreads, "kern.nthreads", CTLTYPE_INT, CTLFLAG_RD,
    sysctl_nthreads, 0, "threads, kernel and user");

/*
 * Make td (not yet running) the first thread of p (a new process, or
 * init), with id tid (p's pid).  Takes and drops proc_lock.
 */
void
thread_attach(struct proc *p, struct thread *td, int tid)
{
	td->td_proc = p;
	spin_lock(&proc_lock);
	td->td_utid = tid;
	list_insert_tail(&p->p_threads, &td->td_plink);
	p->p_nthreads++;
	spin_unlock(&proc_lock);
}

/* A new thread's first code: store its tid if asked, enter user mode. */
static void
thread_child_start(void *arg)
{
	struct thread *td = curthread();
	int32_t tid = td->td_utid;

	vmspace_activate(td->td_proc->p_vmspace);
	if (td->td_set_child_tid != 0)
		copyout(&tid, (void *)td->td_set_child_tid, sizeof(tid));
	thread_enter_user(td);
}

/*
 * A suspended thread that will return to user mode where the calling
 * thread is, as clone's child (a new process's or a new thread): the
 * caller's registers with a0 0, the stack newsp if not 0, tp = tls with
 * CLONE_SETTLS, the caller's FP state, and the address CLONE_CHILD_CLEARTID
 * or CLONE_CHILD_SETTID give.  fn is its first kernel code.  It belongs
 * to no process yet.  NULL if memory is exhausted.
 */
struct thread *
thread_clone_user(void (*fn)(void *), uint64_t flags, uint64_t newsp,
    uint64_t tls, uint64_t ctid)
{
	struct thread *td1 = curthread();
	struct thread *td2 = thread_create_suspended(td1->td_proc->p_comm, fn,
	    NULL);

	if (td2 == NULL)
		return NULL;
	fpu_sync(td1);		/* its FP registers, copied below, are saved */
	*td2->td_frame = *td1->td_frame;
	td2->td_frame->tf_x[TF_A0] = 0;
	if (newsp != 0)
		td2->td_frame->tf_x[TF_SP] = newsp;
	if (flags & CLONE_SETTLS)
		td2->td_frame->tf_x[TF_TP] = tls;
	td2->td_fpstate = td1->td_fpstate;
	/* Linux's rule: a thread sharing the memory (not a vfork child)
	 * cannot share the alternate stack too. */
	if ((flags & (CLONE_VM | CLONE_VFORK)) == CLONE_VM)
		sigstack_reset(td2);
	else
		td2->td_sigstack = td1->td_sigstack;
	if (flags & CLONE_CHILD_CLEARTID)
		td2->td_clear_child_tid = ctid;
	if (flags & CLONE_CHILD_SETTID)
		td2->td_set_child_tid = ctid;
	return td2;
}

/*
 * clone(CLONE_THREAD): a new thread of the current process, starting in
 * user mode where the caller is, with a0 0, the stack newsp (if not 0)
 * and, with CLONE_SETTLS, tp = tls.  The caller has checked the flags.
 * Returns the new thread's id, or -EAGAIN (kern.threads_max, no free
 * id), -ENOMEM, or -EINTR when the process is being ended or exec'd.
 * As on Linux, CLONE_PARENT_SETTID's store may fail unreported.
 */
int
thread_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
    uint64_t tls)
{
	struct thread *td1 = curthread(), *td2;
	struct proc *p = td1->td_proc;
	int32_t tid;

	td2 = thread_clone_user(thread_child_start, flags, newsp, tls, ctid);
	if (td2 == NULL)
		return -ENOMEM;
	td2->td_proc = p;

	spin_lock(&proc_lock);
	tid = p->p_single != NULL ? -EINTR : proc_alloc_tid_locked();
	if (tid < 0) {
		spin_unlock(&proc_lock);
		thread_destroy_suspended(td2);
		return tid;
	}
	td2->td_utid = tid;
	td2->td_sigmask = td1->td_sigmask;
	td2->td_affinity = td1->td_affinity;
	list_insert_tail(&p->p_threads, &td2->td_plink);
	p->p_nthreads++;
	spin_unlock(&proc_lock);

	if (flags & CLONE_PARENT_SETTID)
		copyout(&tid, (void *)ptid, sizeof(tid));
	thread_start_suspended(td2);
	return tid;
}

/*
 * Make the calling thread the only one of p (its process): tell the
 * others to exit, wake them, and wait until they have.  Returns false,
 * doing nothing, if another thread is already doing this (it ends the
 * process or execs): the caller must then leave with thread_exit_user().
 * On true p_single stays set (no thread can be created) until
 * proc_single_thread_end; an exit never ends it.  Takes proc_lock.
 */
bool
proc_single_thread(struct proc *p)
{
	struct thread *td = curthread();

	spin_lock(&proc_lock);
	if (p->p_single != NULL && p->p_single != td) {
		spin_unlock(&proc_lock);
		return false;
	}
	__atomic_store_n(&p->p_single, td, __ATOMIC_RELEASE);
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next) {
		struct thread *other = container_of(l, struct thread, td_plink);

		if (other != td)
			thread_interrupt(other);
	}
	wakeup(&p->p_stopsig);	/* parked threads sleep uninterruptibly */
	while (p->p_nthreads > 1)
		tsleep(&p->p_nthreads, &proc_lock, "thrdkill");
	spin_unlock(&proc_lock);
	return true;
}

/* The calling thread, alone now, lets p have threads again (after exec). */
void
proc_single_thread_end(struct proc *p)
{
	spin_lock(&proc_lock);
	__atomic_store_n(&p->p_single, NULL, __ATOMIC_RELEASE);
	spin_unlock(&proc_lock);
}

/*
 * What a user thread owes others when it ends or execs, as Linux's
 * mm_release: its robust futexes are marked FUTEX_OWNER_DIED (and a
 * waiter woken), then the set_tid_address word is zeroed and a waiter on
 * it woken (pthread_join).  Touches the thread's user memory; no lock
 * held.  Both are done once: the fields are cleared.
 */
void
thread_user_cleanup(struct thread *td)
{
	uint32_t zero = 0;
	uint64_t ctid = td->td_clear_child_tid;

	futex_exit_robust_list(td);
	spin_lock(&proc_lock);
	td->td_robust_list = 0;
	spin_unlock(&proc_lock);
	td->td_clear_child_tid = 0;
	if (ctid != 0 && copyout(&zero, (void *)ctid, sizeof(zero)) == 0)
		futex_wake_shared(ctid, 1);
}

/*
 * End the calling user thread with wait status status (exit code << 8).
 * If it is its process's last, the process exits with that status;
 * otherwise the thread leaves p_threads (waking a proc_single_thread
 * waiter) and its stack is freed.  Never returns.
 */
void
thread_exit_user(int status)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;

	thread_user_cleanup(td);
	/*
	 * Off the address space before leaving the list: once we are off
	 * it, the last thread may free the address space at any time.
	 * Nothing below sleeps, so nothing activates it again (if we are
	 * the last, proc_exit needs no user memory: the cleanup is done).
	 */
	vmspace_activate(NULL);
	spin_lock(&proc_lock);
	if (p->p_nthreads == 1) {
		spin_unlock(&proc_lock);
		proc_exit(status);
	}
	list_remove(&td->td_plink);
	p->p_nthreads--;
	/* Off the list, it gets no more signals: its pending ones go. */
	sigpend_discard_locked(p, sigpend_thread(td), ~0ULL);
	signals_exit_retarget(p);
	proc_stop_check_locked(p);	/* the others may all be parked */
	proc_free_tid_locked();
	/* From here p may be freed at any time: nothing (not even the
	 * clock's tick accounting) may reach it through us. */
	td->td_proc = NULL;
	spin_unlock(&proc_lock);
	wakeup(&p->p_nthreads);
	thread_exit();
}
