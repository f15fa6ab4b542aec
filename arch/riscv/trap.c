/*
 * Trap dispatch for traps taken in supervisor mode.  Interrupts go to the
 * timer and the PLIC.  A fault inside a probe or copy routine resumes at
 * that routine's recovery point.  Anything else is a kernel bug: report
 * it (registers and a symbolised backtrace) and halt with the panic
 * status, so the test harness sees a failure rather than a hang.
 */
#include "kern/clock.h"
#include "kern/cons.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/ksyms.h"
#include "kern/reboot.h"
#include "machine/clock.h"
#include "machine/frame.h"
#include "machine/machdep.h"
#include "machine/pcpu.h"
#include "machine/plic.h"
#include "machine/riscv.h"
#include "machine/vmparam.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"

static const char *const exception_names[] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INSN] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "environment call from U-mode",
	[EXC_ECALL_S] = "environment call from S-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store page fault",
};

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *
cause_name(uint64_t scause)
{
	uint64_t code = scause & ~SCAUSE_INTR;

	if (scause & SCAUSE_INTR)
		return "interrupt";
	if (code < nitems(exception_names) && exception_names[code] != NULL)
		return exception_names[code];
	return "reserved exception";
}

static bool
is_memory_fault(uint64_t code)
{
	return code == EXC_LOAD_PAGE_FAULT || code == EXC_STORE_PAGE_FAULT ||
	    code == EXC_INST_PAGE_FAULT || code == EXC_LOAD_ACCESS ||
	    code == EXC_STORE_ACCESS || code == EXC_INST_ACCESS;
}

static void
print_symbol(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name != NULL)
		kprintf("%s+%#lx", name, off);
	else
		kprintf("?");
}

/*
 * Print the whole report for a trap we cannot handle and halt.  Never
 * returns.  Called with interrupts disabled.
 */
void
trap_fatal(struct trapframe *tf, const char *why)
{
	cons_panic_mode();
	kprintf("fatal kernel trap: %s\n", why);
	kprintf("  scause %#018lx (%s)\n", tf->tf_scause, cause_name(tf->tf_scause));
	kprintf("  stval  %#018lx\n", tf->tf_stval);
	kprintf("  sepc   %#018lx ", tf->tf_sepc);
	print_symbol(tf->tf_sepc);
	kprintf("\n  sstatus %#018lx hart %u\n", tf->tf_sstatus,
	    curpcpu()->pc_hartid);
	for (int i = 1; i < 32; i++)
		kprintf("%5s %016lx%s", reg_names[i], tf->tf_x[i],
		    (i % 4 == 3) ? "\n" : " ");
	kprintf("\n");
	db_backtrace(tf->tf_sepc, tf->tf_x[TF_RA], tf->tf_x[TF_S0],
	    tf->tf_x[TF_SP]);
	cpu_halt(EXIT_PANIC);
}

static void
trap_interrupt(struct trapframe *tf)
{
	witness_intr_enter();
	switch (tf->tf_scause & ~SCAUSE_INTR) {
	case IRQ_S_TIMER:
		VM_CNT_INC(v_intr);
		statclock(!(tf->tf_sstatus & SSTATUS_SPP));
		clock_intr();
		break;
	case IRQ_S_EXT:
		VM_CNT_INC(v_intr);
		plic_intr();
		break;
	case IRQ_S_SOFT:
		VM_CNT_INC(v_soft);
		/*
		 * An IPI (sched_kick, thread_interrupt): the work it asks for
		 * (run a thread, see a signal) happens on the way out.
		 */
		csr_clear(sip, SIP_SSIP);
		break;
	default:
		trap_fatal(tf, "unexpected interrupt");
	}
	witness_intr_exit();
}

static vm_prot_t
fault_type_of(uint64_t code)
{
	if (code == EXC_STORE_PAGE_FAULT)
		return VM_PROT_WRITE;
	if (code == EXC_INST_PAGE_FAULT)
		return VM_PROT_EXECUTE;
	return VM_PROT_READ;
}

/*
 * A page fault on a user address inside copyin/copyout: resolve it as the
 * user's own access would be.  Returns 0 if the access can be retried,
 * else the errno the copy fails with: EFAULT, or EINTR when a signal
 * ended a wait for memory (the system call may then be restarted).
 */
static int
trap_user_access(struct trapframe *tf, uint64_t code)
{
	struct vmspace *vm = curpcpu()->pc_curvm;
	int rv;

	if (vm == NULL || tf->tf_stval >= VM_MAXUSER_ADDRESS ||
	    (code != EXC_LOAD_PAGE_FAULT && code != EXC_STORE_PAGE_FAULT))
		return EFAULT;
	rv = vm_fault(&vm->vm_map, tf->tf_stval, fault_type_of(code));
	if (rv == KERN_SUCCESS)
		return 0;
	return rv == KERN_RESOURCE_SHORTAGE ? EINTR : EFAULT;
}

extern char user_nofault_fault[];	/* support.S */

/* Entered from locore's trap_vector with the frame on the kernel stack. */
void
trap_kernel(struct trapframe *tf)
{
	struct pcpu *pc = curpcpu();
	uint64_t code = tf->tf_scause & ~SCAUSE_INTR;

	if (tf->tf_scause & SCAUSE_INTR) {
		trap_interrupt(tf);
		return;
	}
	VM_CNT_INC(v_trap);
	if (is_memory_fault(code) && pc->pc_onfault != 0) {
		/* The no-fault accessors hold spin locks: never vm_fault. */
		int error = pc->pc_onfault == (uint64_t)user_nofault_fault ?
		    EFAULT : trap_user_access(tf, code);

		if (error == 0)
			return;
		tf->tf_sepc = pc->pc_onfault;
		tf->tf_x[TF_A0] = (uint64_t)error;
		pc->pc_onfault_error = error;
		pc->pc_onfault = 0;
		return;
	}
	if (code == EXC_BREAKPOINT && panicking())
		trap_fatal(tf, "panic");
	if (pc->pc_in_trap++ > 0) {
		cons_panic_mode();
		kprintf("fatal kernel trap inside the trap report: %s at %#lx\n",
		    cause_name(tf->tf_scause), tf->tf_sepc);
		cpu_halt(EXIT_PANIC);
	}
	kprintf("panic: unexpected kernel trap: %s\n", cause_name(tf->tf_scause));
	trap_fatal(tf, cause_name(tf->tf_scause));
}

void fpu_save(struct fpstate *fp);
void fpu_restore(const struct fpstate *fp);

/*
 * A user fault that vm_fault could not resolve: a signal.  Nothing is
 * logged here: a program may handle it; signal delivery logs the ones
 * that kill (kern.logsigexit).
 */
static void
user_fault_signal(struct trapframe *tf, uint64_t code, int rv)
{
	struct ksiginfo ksi = { .si_addr = tf->tf_stval };

	if (rv == KERN_OUT_OF_BOUNDS || rv == KERN_FAILURE ||
	    code == EXC_LOAD_ACCESS || code == EXC_STORE_ACCESS ||
	    code == EXC_INST_ACCESS) {
		ksi.si_signo = SIGBUS;
		ksi.si_code = BUS_ADRERR;
	} else {
		ksi.si_signo = SIGSEGV;
		ksi.si_code = rv == KERN_PROTECTION_FAILURE ? SEGV_ACCERR :
		    SEGV_MAPERR;
	}
	trapsignal(&ksi);
}

/*
 * An exception from user mode other than a system call, with interrupts
 * enabled: a page fault resolved (or turned into a signal), or a signal
 * for the rest.
 */
static void
trap_user_exception(struct trapframe *tf, uint64_t code)
{
	struct ksiginfo ksi;
	int rv;

	VM_CNT_INC(v_trap);
	switch (code) {
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		rv = vm_fault(&curproc()->p_vmspace->vm_map, tf->tf_stval,
		    fault_type_of(code));
		/*
		 * A shortage only comes back when a signal ended the wait for
		 * memory: deliver it; the access runs again if the process
		 * survives.  Never a SIGSEGV or SIGBUS.
		 */
		if (rv != KERN_SUCCESS && rv != KERN_RESOURCE_SHORTAGE)
			user_fault_signal(tf, code, rv);
		return;
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
	case EXC_INST_ACCESS:
		user_fault_signal(tf, code, KERN_FAILURE);
		return;
	}
	/* Built here, not at the top: a page fault should not pay for it. */
	ksi = (struct ksiginfo){ .si_addr = tf->tf_sepc };
	switch (code) {
	case EXC_ILLEGAL_INSN:
		ksi.si_signo = SIGILL;
		ksi.si_code = ILL_ILLOPC;
		break;
	case EXC_BREAKPOINT:
		ksi.si_signo = SIGTRAP;
		ksi.si_code = TRAP_BRKPT;
		break;
	default:
		ksi.si_signo = SIGBUS;	/* misaligned, and the rest */
		ksi.si_code = BUS_ADRALN;
		ksi.si_addr = tf->tf_stval;
		break;
	}
	trapsignal(&ksi);
}

/*
 * Lazy FP saving: a trap from user mode leaves the program's FP registers
 * in the hart (the kernel never touches them), and tf_sstatus.FS, as the
 * trap found it, says whether the program changed them since they were
 * last saved or loaded (Dirty).  They are saved here only when needed:
 * when td is switched out, and before its FP state is read (a signal
 * frame, a clone) or replaced.  Clean afterwards, so a second call does
 * nothing.  td is the running thread.
 */
static inline __attribute__((always_inline)) void
fpu_sync_inline(struct thread *td)
{
	struct trapframe *tf = td->td_frame;
	struct pcpu *pc;

	/* Kernel threads have no user FP state (td0's frame is not even
	 * its own: it overlaps the boot stack). */
	if (td->td_proc == NULL ||
	    (tf->tf_sstatus & SSTATUS_FS_MASK) != SSTATUS_FS_DIRTY)
		return;
	fpu_save(&td->td_fpstate);
	pc = curpcpu();
	pc->pc_fpowner = td;
	td->td_fpcpu = pc->pc_cpuid;
	tf->tf_sstatus = (tf->tf_sstatus & ~SSTATUS_FS_MASK) | SSTATUS_FS_CLEAN;
}

/* fpu_sync_inline for the rest of the kernel (machdep.h). */
void
fpu_sync(struct thread *td)
{
	fpu_sync_inline(td);
}

/*
 * Everything a return to user mode may have to do: deliver signals, give
 * up the hart if others wait, run again a system call whose EINTR no
 * delivered signal decided about, and load this thread's FP registers if
 * the hart holds another's.  Taken after every system call, and after
 * other traps when td_ast says so.  Called and returns with interrupts
 * disabled.  Inline in the system call's return; out of line for the
 * rest (user_return_slow), whose common case is the one load of td_ast
 * in trap_user.
 */
static inline __attribute__((always_inline)) void
user_return_work(struct trapframe *tf)
{
	struct thread *td = curthread();
	struct pcpu *pc;

	/* Cleared before looking: work posted from here on sets it again
	 * (and interrupts us, arriving once we are in user mode).  An
	 * exchange, not a store: the loads below must not pass it (a
	 * poster stores, then sets a bit; we clear, then load). */
	(void)__atomic_exchange_n(&td->td_ast, 0, __ATOMIC_SEQ_CST);
	/* A signal frame holds the FP registers; and FS is Clean below. */
	fpu_sync_inline(td);
	/*
	 * Checked with interrupts off, so nothing posted after the check can
	 * be missed: it arrives as an interrupt once we are back in user mode.
	 */
	while (td->td_need_resched || signal_pending(td)) {
		intr_enable();
		if (td->td_need_resched)
			sched_yield();
		signals_deliver(tf);
		intr_disable();
	}
	if (td->td_syscall_eintr)
		syscall_restart(tf, false, false);
	pc = curpcpu();
	if (pc->pc_fpowner != td || td->td_fpcpu != pc->pc_cpuid) {
		fpu_restore(&td->td_fpstate);
		pc->pc_fpowner = td;
		td->td_fpcpu = pc->pc_cpuid;
	}
	tf->tf_sstatus = (tf->tf_sstatus & ~(SSTATUS_SPP | SSTATUS_FS_MASK)) |
	    SSTATUS_SPIE | SSTATUS_FS_CLEAN;
}

/*
 * For locore, after trap_user said the way out has work, with tf whole
 * (trap_user ran with the callee-saved registers not yet in it).
 */
void
user_return_slow(struct trapframe *tf)
{
	user_return_work(tf);
}

/*
 * Entered from locore for a system call (ecall from user mode), with tf
 * the thread's user frame: the call, then the full return.  Interrupts
 * disabled on entry and on return, to user_return.
 */
_Static_assert(EXC_ECALL_U == 8, "locore.S's EXC_ECALL_U_ASM");

void
trap_syscall(struct trapframe *tf)
{
	intr_enable();
	VM_CNT_INC(v_syscall);
	tf->tf_sepc += 4;
	syscall(tf);
	intr_disable();
	user_return_work(tf);
}

/*
 * Entered from locore for every trap from user mode but a system call,
 * with tf the thread's user frame, whose s0..s11 are not filled in (the
 * C code keeps them, so they are the user's again on return; nothing
 * here reads them).  Returns with interrupts disabled: false to go back
 * to user mode at once, true if td_ast has work for user_return_slow,
 * which locore then calls with the frame made whole.  A frame that goes
 * straight back keeps the sstatus the trap saved: SPP clear (from user
 * mode), SPIE set (every return to user mode sets it), FS as the program
 * left it.
 */
bool
trap_user(struct trapframe *tf)
{
	uint64_t cause = tf->tf_scause;

	if (cause & SCAUSE_INTR) {
		trap_interrupt(tf);
	} else {
		intr_enable();
		trap_user_exception(tf, cause);
		intr_disable();
	}
	return __builtin_expect(__atomic_load_n(&curthread()->td_ast,
	    __ATOMIC_RELAXED) != 0, 0);
}

/* A new user thread's first return to user mode (exec, fork child). */
void
trap_user_start(struct trapframe *tf)
{
	intr_disable();
	user_return_slow(tf);
}
