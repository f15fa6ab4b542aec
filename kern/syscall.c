/*
 * System call dispatch (see syscall.h).  The table is built from
 * syscalls.def: one wrapper per call converts the raw registers to the
 * call's declared argument types.  The number is the whole of a7, as
 * Linux compares it: anything but a table entry (a number with upper
 * bits set, a negative one, a gap) returns -ENOSYS and is logged once,
 * so a missing call shows up without flooding the console.
 */
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "machine/frame.h"

#define SYSCALL(nr, name, params, args)					\
	static int64_t							\
	sysent_##name(const uint64_t a[6])				\
	{								\
		return sys_##name args;					\
	}
#include "kern/syscalls.def"
#undef SYSCALL

static const struct syscall_entry syscall_table[SYSCALL_MAX] = {
#define SYSCALL(nr, name, params, args)	[nr] = { #name, sysent_##name },
#include "kern/syscalls.def"
#undef SYSCALL
};

static uint64_t syscall_counts[SYSCALL_MAX];
/* One bit per number below SYSCALL_MAX, and a last one for all above. */
static uint8_t enosys_logged[SYSCALL_MAX / 8 + 1];

const char *
syscall_name(unsigned nr)
{
	return nr < SYSCALL_MAX ? syscall_table[nr].name : NULL;
}

uint64_t
syscall_count(unsigned nr)
{
	return nr < SYSCALL_MAX ? syscall_counts[nr] : 0;
}

static int64_t
syscall_unknown(uint64_t nr)
{
	struct proc *p = curproc();
	unsigned bit = nr < SYSCALL_MAX ? (unsigned)nr : SYSCALL_MAX;

	if (!(enosys_logged[bit / 8] & (1 << (bit % 8)))) {
		enosys_logged[bit / 8] |= (uint8_t)(1 << (bit % 8));
		kprintf("pid %d (%s): unimplemented system call %lu\n", p->p_pid,
		    p->p_comm, nr);
	}
	return -ENOSYS;
}

/*
 * What becomes of the last system call's EINTR (td_syscall_eintr; nothing
 * to decide without it), on the way back to user mode, as Linux's
 * -ERESTART* codes decide: a handler about to run (handler) keeps it,
 * unless it has SA_RESTART and the EINTR is neither final
 * (td_eintr_norestart: a sleep, a timed wait, which Linux never restarts
 * under a handler) nor for no handler only (td_eintr_nohand: poll and
 * select, whose timespec already holds the time left).
 * With no handler (a stop; an ignored signal; a stop that SIGCONT ended
 * before this thread parked; a process signal another thread took) the
 * call runs again with its arguments, or, if it left a restart block
 * (td_restart_fn), restart_syscall resumes it (a7 rewritten, as Linux's
 * __NR_restart_syscall); a final EINTR without one stays.  Called by
 * signal delivery, and with interrupts off after the last look for
 * signals (one that comes later finds the call restarted).
 */
void
syscall_restart(struct trapframe *tf, bool handler, bool sa_restart)
{
	struct thread *td = curthread();
	bool final = td->td_eintr_norestart, nohand = td->td_eintr_nohand;

	td->td_eintr_norestart = td->td_eintr_nohand = false;
	if (!td->td_syscall_eintr)
		return;
	td->td_syscall_eintr = false;
	if (handler && (final || nohand || !sa_restart)) {
		td->td_restart_fn = NULL;
		return;
	}
	if (td->td_restart_fn != NULL)
		tf->tf_x[17] = SYS_restart_syscall;
	else if (!final)
		tf->tf_x[TF_A0] = td->td_syscall_a0;
	else
		return;
	tf->tf_sepc -= 4;
}

/*
 * restart_syscall: the call whose restart block the thread holds goes on
 * (syscall_restart sends a stopped sleep here); without one, EINTR, final
 * (Linux's do_no_restart_syscall).
 */
int64_t
sys_restart_syscall(void)
{
	struct thread *td = curthread();
	int64_t (*fn)(struct thread *) = td->td_restart_fn;

	td->td_restart_fn = NULL;
	if (fn != NULL)
		return fn(td);
	td->td_eintr_norestart = true;
	return -EINTR;
}

/* Run the system call in tf (a7, a0-a5) and put its result in a0. */
void
syscall(struct trapframe *tf)
{
	struct thread *td = curthread();
	uint64_t nr = tf->tf_x[17];
	const uint64_t *a = &tf->tf_x[TF_A0];	/* a0-a5 */
	uint64_t a0 = a[0];	/* execve and rt_sigreturn rewrite the frame */
	int64_t rv;

	if (nr < SYSCALL_MAX && syscall_table[nr].fn != NULL) {
		syscall_counts[nr]++;
		rv = syscall_table[nr].fn(a);
	} else {
		rv = syscall_unknown(nr);
	}
	/* rt_sigreturn and execve set every register themselves. */
	if (rv != SYSCALL_NORETURN_VALUE)
		tf->tf_x[TF_A0] = (uint64_t)rv;
	/* Interrupted by a signal: signal delivery decides about a restart
	 * (never for sigsuspend, whose EINTR is its result). */
	td->td_syscall_eintr = rv == -EINTR && !td->td_sigsuspend;
	td->td_syscall_a0 = a0;
}
