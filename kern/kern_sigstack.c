/*
 * sigaltstack: each thread's alternate signal stack, on which handlers
 * installed with SA_ONSTACK run (so that one can run after the ordinary
 * stack overflowed).  Linux's semantics: a thread running on its
 * alternate stack may not change it (EPERM); SS_AUTODISARM clears the
 * stack while a handler runs on it and rt_sigreturn puts it back (from
 * the frame's uc_stack); fork and vfork keep it, a new thread starts
 * without one, exec clears it.
 *
 * The fields (td_sigstack in struct thread) belong to the thread alone:
 * only it reads or writes them, so no lock is taken.
 */
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "machine/frame.h"

/* Is sp inside td's alternate stack (which grows down)?  Never while
 * SS_AUTODISARM disarms it, as on Linux. */
static bool
sigstack_on(const struct thread *td, uint64_t sp)
{
	const struct sigstack_linux *ss = &td->td_sigstack;

	if (ss->ss_flags & SS_AUTODISARM)
		return false;
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* SS_DISABLE, SS_ONSTACK or 0: the state sigaltstack reports for sp. */
static int
sigstack_state(const struct thread *td, uint64_t sp)
{
	if (td->td_sigstack.ss_size == 0)
		return SS_DISABLE;
	return sigstack_on(td, sp) ? SS_ONSTACK : 0;
}

/* No alternate stack (a new thread's, and after exec). */
void
sigstack_reset(struct thread *td)
{
	td->td_sigstack = (struct sigstack_linux){ .ss_flags = SS_DISABLE };
}

/*
 * Set td's alternate stack to ss, with td's user stack pointer at sp.
 * Returns 0, EPERM if sp is on the current one, EINVAL for a bad mode,
 * ENOMEM for a stack smaller than MINSIGSTKSZ.  td is the caller.
 */
static int
sigstack_set(struct thread *td, const struct sigstack_linux *ss, uint64_t sp)
{
	int mode = ss->ss_flags & ~SS_AUTODISARM;

	if (sigstack_on(td, sp))
		return EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return EINVAL;
	if (mode == SS_DISABLE) {
		td->td_sigstack = (struct sigstack_linux){
		    .ss_flags = ss->ss_flags };
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return ENOMEM;
	td->td_sigstack = *ss;
	td->td_sigstack.__pad = 0;
	return 0;
}

int64_t
sys_sigaltstack(uaddr_t uss, uaddr_t uoss)
{
	struct thread *td = curthread();
	uint64_t sp = td->td_frame->tf_x[TF_SP];
	struct sigstack_linux ss, old = td->td_sigstack;
	int error = 0;

	old.ss_flags = sigstack_state(td, sp) |
	    (td->td_sigstack.ss_flags & SS_AUTODISARM);
	old.__pad = 0;
	if (uss != 0) {
		if (copyin((void *)uss, &ss, sizeof(ss)) != 0)
			return -EFAULT;
		error = sigstack_set(td, &ss, sp);
	}
	if (error == 0 && uoss != 0 &&
	    copyout(&old, (void *)uoss, sizeof(old)) != 0)
		error = EFAULT;
	return -error;
}

/*
 * Where a handler's frame for a signal with action flags goes, the
 * interrupted user stack pointer being sp: the top of the alternate
 * stack for an SA_ONSTACK handler if there is one and sp is not on it
 * already, else sp itself.
 */
uint64_t
sigstack_frame_sp(struct thread *td, uint64_t sp, uint64_t flags)
{
	if ((flags & SA_ONSTACK) && sigstack_state(td, sp) == 0)
		return td->td_sigstack.ss_sp + td->td_sigstack.ss_size;
	return sp;
}

/*
 * The stack a handler's ucontext reports (uc_stack): td's alternate stack
 * as it was set.  A stack set with SS_AUTODISARM is disarmed from here
 * until the handler's rt_sigreturn restores it.
 */
void
sigstack_save(struct thread *td, struct sigstack_linux *uc_stack)
{
	*uc_stack = td->td_sigstack;
	if (td->td_sigstack.ss_flags & SS_AUTODISARM)
		sigstack_reset(td);
}

/*
 * rt_sigreturn: put back the alternate stack from the frame's uc_stack,
 * the user's stack pointer being sp.  As on Linux, a stack that cannot
 * be set is left as it is, silently.
 */
void
sigstack_restore(struct thread *td, const struct sigstack_linux *uc_stack,
    uint64_t sp)
{
	sigstack_set(td, uc_stack, sp);
}
