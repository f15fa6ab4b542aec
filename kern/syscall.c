/*
 * System call dispatch (see syscall.h).  The table is built from
 * syscalls.def; a number without an entry returns -ENOSYS and is logged
 * once, so a missing call shows up without flooding the console.
 */
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "machine/frame.h"

#define SYSCALL(nr, name)						\
	int64_t sys_##name(uint64_t, uint64_t, uint64_t, uint64_t,	\
	    uint64_t, uint64_t);
#include "kern/syscalls.def"
#undef SYSCALL

static const struct syscall_entry syscall_table[SYSCALL_MAX] = {
#define SYSCALL(nr, name)	[nr] = { #name, sys_##name },
#include "kern/syscalls.def"
#undef SYSCALL
};

static uint64_t syscall_counts[SYSCALL_MAX];
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
syscall_unknown(unsigned long nr)
{
	struct proc *p = curproc();

	if (nr >= SYSCALL_MAX ||
	    !(enosys_logged[nr / 8] & (1 << (nr % 8)))) {
		if (nr < SYSCALL_MAX)
			enosys_logged[nr / 8] |= (uint8_t)(1 << (nr % 8));
		kprintf("pid %d (%s): unimplemented system call %lu\n", p->p_pid,
		    p->p_comm, nr);
	}
	return -ENOSYS;
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
		rv = syscall_table[nr].fn(a[0], a[1], a[2], a[3], a[4], a[5]);
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
