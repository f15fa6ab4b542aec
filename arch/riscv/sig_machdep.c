/*
 * Signal frames in Linux's riscv64 layout (struct rt_sigframe: a siginfo,
 * then a ucontext whose mcontext holds the 32 general registers, pc
 * first, and the FP state).  The frame goes on the alternate signal
 * stack for an SA_ONSTACK handler (kern_sigstack.c).  Handlers return
 * through the trampoline the kernel maps at SIGCODE_VA, which calls
 * rt_sigreturn.
 */
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "machine/frame.h"
#include "machine/machdep.h"
#include "machine/pcpu.h"
#include "machine/vmparam.h"

struct ucontext_linux {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct sigstack_linux uc_stack;
	uint64_t uc_sigmask;
	uint8_t uc_unused[120];
	uint64_t __align;		/* mcontext is 16-aligned */
	uint64_t sc_regs[32];		/* pc, then x1..x31 */
	uint64_t sc_fpregs[64];		/* f0..f31 (room for the Q extension) */
	uint32_t sc_fcsr;
	uint32_t sc_fpreserved[3];
};

struct rt_sigframe {
	struct siginfo_linux info;
	struct ucontext_linux uc;
};

_Static_assert(sizeof(struct siginfo_linux) == 128, "siginfo");
_Static_assert(offsetof(struct ucontext_linux, sc_regs) == 176, "mcontext");
_Static_assert(sizeof(struct rt_sigframe) == 1088, "rt_sigframe");

bool
sendsig(struct trapframe *tf, const struct ksiginfo *ksi, uint64_t handler,
    uint64_t flags, uint64_t oldmask)
{
	struct thread *td = curthread();
	struct rt_sigframe *f = kmalloc(sizeof(*f), M_ZERO);
	uint64_t addr = (sigstack_frame_sp(td, tf->tf_x[TF_SP], flags) -
	    sizeof(*f)) & ~15UL;
	bool ok;

	if (f == NULL)
		return false;
	siginfo_to_linux(ksi, &f->info);
	f->uc.uc_sigmask = oldmask;
	/* A failed copyout below is fatal: disarming first does no harm. */
	sigstack_save(td, &f->uc.uc_stack);
	f->uc.sc_regs[0] = tf->tf_sepc;
	for (int i = 1; i < 32; i++)
		f->uc.sc_regs[i] = tf->tf_x[i];
	fpu_sync(td);
	memcpy(f->uc.sc_fpregs, td->td_fpstate.fp_regs,
	    sizeof(td->td_fpstate.fp_regs));
	f->uc.sc_fcsr = (uint32_t)td->td_fpstate.fp_fcsr;
	ok = copyout(f, (void *)addr, sizeof(*f)) == 0;
	kfree(f);
	if (!ok)
		return false;
	tf->tf_sepc = handler;
	tf->tf_x[TF_A0] = (uint64_t)ksi->si_signo;
	tf->tf_x[TF_A0 + 1] = addr + offsetof(struct rt_sigframe, info);
	tf->tf_x[TF_A0 + 2] = addr + offsetof(struct rt_sigframe, uc);
	tf->tf_x[TF_SP] = addr;
	tf->tf_x[TF_RA] = SIGCODE_VA;
	return true;
}

/*
 * rt_sigreturn: put back the registers and mask saved in the frame at the
 * user's sp.  False if the frame cannot be read.
 */
bool
sigreturn(struct trapframe *tf, uint64_t *mask)
{
	struct thread *td = curthread();
	struct rt_sigframe *f = kmalloc(sizeof(*f), 0);
	bool ok;

	if (f == NULL)
		return false;
	ok = copyin((void *)tf->tf_x[TF_SP], f, sizeof(*f)) == 0;
	if (ok) {
		tf->tf_sepc = f->uc.sc_regs[0];
		for (int i = 1; i < 32; i++)
			tf->tf_x[i] = f->uc.sc_regs[i];
		memcpy(td->td_fpstate.fp_regs, f->uc.sc_fpregs,
		    sizeof(td->td_fpstate.fp_regs));
		td->td_fpstate.fp_fcsr = f->uc.sc_fcsr;
		/* The live registers are stale now (not to be saved over
		 * these: FS not Dirty); they are loaded on the way out. */
		tf->tf_sstatus &= ~SSTATUS_FS_MASK;
		td->td_fpcpu = -1;
		*mask = f->uc.uc_sigmask;
		sigstack_restore(td, &f->uc.uc_stack, tf->tf_x[TF_SP]);
	}
	kfree(f);
	return ok;
}

/* The trampoline handlers return to: rt_sigreturn (139). */
const uint32_t sigcode[] = {
	0x08b00893,	/* li a7, 139 */
	0x00000073,	/* ecall */
};
const size_t sigcode_size = sizeof(sigcode);
