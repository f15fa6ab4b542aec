/*
 * Threads: the unit the scheduler runs.  Kernel threads run a function;
 * a user process has one or more threads (kern_thread.c), each with its
 * own kernel stack, user trap frame, signal mask and pending signals.
 *
 * Lock legend:
 *   (s) sched_lock
 *   (p) proc_lock
 *   (c) constant after creation
 *   (t) only the thread itself touches it
 *   (a) atomic operations only
 */
#ifndef KERN_THREAD_H
#define KERN_THREAD_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/signal.h"
#include "machine/pcb.h"
#include "vm/vm_meter.h"	/* the scheduler counts v_swtch */

#define TDS_RUNNING	1	/* on a hart */
#define TDS_RUNNABLE	2	/* on the run queue */
#define TDS_SLEEPING	3	/* on a sleep queue, waiting for wakeup */
#define TDS_DEAD	4	/* finished; its stack is freed by the next thread */
#define TDS_GONE	5	/* a process's thread off its hart for good: the
				   struct waits for thread_reap() */

#define TD_NAME_MAX	16

/*
 * td_ast bits (FreeBSD's td_ast, Linux's TIF_ work flags): a trap from
 * user mode other than a system call returns after one load of td_ast
 * when it is 0.  Whoever makes a condition true that the return path acts
 * on sets its bit, with thread_ast(), before waking or kicking the
 * thread; the return path clears the word before it looks, so a bit set
 * meanwhile is seen the next time.  A system call's return always looks
 * at everything (it may have changed the mask, or said EINTR).
 */
#define TDA_SIG		0x1	/* thread_interrupt: a signal, stop or exit */
#define TDA_RESCHED	0x2	/* td_need_resched was set */
#define TDA_FP		0x4	/* it was switched out: the hart's FP
				   registers may hold another thread's */

struct proc;
struct trapframe;

/* A user thread's floating-point registers: f0..f31, then fcsr. */
struct fpstate {
	uint64_t fp_regs[32];
	uint64_t fp_fcsr;
};

struct thread {
	struct context td_ctx;		/* (s) saved registers while not running */
	uint64_t td_onfault;		/* (s) pcpu's pc_onfault while switched out */
	uint64_t td_intr_saved;		/* (s) pcpu's pc_intr_saved while switched out */
	vaddr_t td_kstack;		/* (c) lowest address of the stack */
	int td_state;			/* (s) TDS_* */
	int td_tid;			/* (c) */
	const void *td_wchan;		/* (s) what we sleep on */
	const char *td_wmesg;		/* (s) why */
	struct list td_link;		/* (s) run queue or sleep queue */
	struct list td_all;		/* (s) all threads */
	void (*td_fn)(void *);		/* (c) kernel thread body */
	void *td_arg;			/* (c) */
	uint64_t td_switches;		/* (t) times switched in */
	uint64_t td_wakeup_tick;	/* (s) timed sleep: when to wake, 0 if none */
	bool td_timed_out;		/* (s) the timed sleep expired */
	bool td_interruptible;		/* (s) a signal may end the sleep */
	uint64_t td_sleep_tick;		/* (s) `ticks` when it last fell asleep */
	struct list td_timed;		/* (s) on the timed-sleep list */
	struct proc *td_proc;		/* (c) NULL for kernel threads; a user
					   thread leaving its live process sets
					   it NULL (p) just before thread_exit */
	struct trapframe *td_frame;	/* (c) user registers, top of the stack */
	struct fpstate td_fpstate;	/* (t) saved user FP registers */
	bool td_need_resched;		/* (s) give up the hart at the next chance */
	uint32_t td_ast;		/* (a) TDA_*: what the next return to user
					   mode must look at; set by anyone,
					   cleared by the thread itself */
	int td_oncpu;			/* (s) the hart it runs or last ran on */
	uint64_t td_ranmask;		/* (s) harts (a cpumask_t) it ran on: each
					   flushed its stack's addresses first */
	int td_fpcpu;			/* (t) the hart whose FP registers hold
					   its state (with pc_fpowner), -1 none */
	bool td_syscall_eintr;		/* (t) the last system call said EINTR */
	bool td_access_real;		/* (t) in access(2): files are checked
					   for the real ids (vfs_access.c) */
	bool td_eintr_norestart;	/* (t) ... and must not be restarted */
	bool td_eintr_nohand;		/* (t) ... restarted only if no handler
					   runs, SA_RESTART or not (Linux's
					   -ERESTARTNOHAND: poll, select) */
	bool td_sigsuspend;		/* (t) in rt_sigsuspend: restore the mask */
	uint64_t td_sigsuspend_mask;	/* (t) the mask to restore */
	uint64_t td_syscall_a0;		/* (t) its first argument, for a restart */
	/* (t) Linux's restart block: what restart_syscall runs to resume the
	   last call, one that said EINTR, when no handler ran (a stop); NULL
	   if nothing.  Cleared when taken or when the EINTR stays. */
	int64_t (*td_restart_fn)(struct thread *td);
	uint64_t td_restart_arg[4];	/* (t) for it: the call's own (its
					   deadline and arguments; see each) */
	char td_name[TD_NAME_MAX];	/* (c) for kernel threads; a user
					   thread's changes at exec and by
					   prctl(PR_SET_NAME), under proc_lock */
#ifdef WITNESS
	struct witness_list td_witness;	/* (t) sleep locks held (witness.h) */
#endif

	/* User threads only (td_proc != NULL): */
	struct list td_plink;		/* (p) in td_proc->p_threads */
	int td_utid;			/* (p) gettid(): from the pid space; the
					   main thread's is the pid (exec
					   gives it to the thread that execs) */
	uint64_t td_sigmask;		/* (p) blocked signals */
	uint64_t td_sigpending;		/* (p) signals sent to this thread */
	struct ksiginfo td_siginfo[NSIG + 1]; /* (p) their details */
	struct sigqueue_entry *td_sigqueue; /* (p) further real-time instances
					   (kern_sigqueue.c) */
	uint64_t td_affinity;		/* (p) sched_setaffinity's CPU mask */
	uint64_t td_clear_child_tid;	/* (t) set_tid_address / CLONE_CHILD_CLEARTID:
					   zeroed and woken at exit */
	uint64_t td_set_child_tid;	/* (t) CLONE_CHILD_SETTID: tid stored at start */
	struct sigstack_linux td_sigstack; /* (t) sigaltstack's stack */
	uint64_t td_robust_list;	/* (p) set_robust_list's head, 0 if none
					   (the thread reads its own unlocked) */
};

/* Top of every kernel stack: found by the user trap entry through sscratch. */
struct kstack_hdr {
	struct pcpu *kh_pcpu;		/* the hart the thread runs on */
	uint64_t kh_pad;
};

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg);
struct thread *thread_create_suspended(const char *name, void (*fn)(void *),
    void *arg);
void thread_start_suspended(struct thread *td);
void thread_destroy_suspended(struct thread *td);
__noreturn void thread_exit(void);
void thread_reap(struct thread *td);
void thread_init_boot(void);
struct pcpu;
int sched_init_cpu(struct pcpu *pc);
__noreturn void sched_idle(void);
void sched_yield(void);
uint64_t sched_move_off(struct thread *td);	/* a cpumask_t */
int thread_count(void);
uint64_t sched_idle_ns(void);
void sched_clock(uint64_t n);
void sched_loadavg(uint64_t avg[3], int *running, int *blocked);
void thread_interrupt(struct thread *td);

/* Give td's next return to user mode the work in bits (TDA_*).  Ordered
 * after the caller's stores that made that work (a pending signal). */
static inline void
thread_ast(struct thread *td, uint32_t bits)
{
	__atomic_fetch_or(&td->td_ast, bits, __ATOMIC_SEQ_CST);
}
__noreturn void thread_enter_user(struct thread *td);
vaddr_t thread_stack_top(const struct thread *td);

/* Kernel stacks (arch/riscv/vm_machdep.c). */
vaddr_t kstack_alloc(void);
void kstack_free_stack(vaddr_t base);
void kstack_first_use(vaddr_t base);
void kstack_cache_drain(void);

#endif
