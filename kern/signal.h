/*
 * Signals with Linux's numbers, flags and masks (asm-generic, which
 * riscv64 uses), and the kernel's signal entry points.
 */
#ifndef KERN_SIGNAL_H
#define KERN_SIGNAL_H

#include "kern/types.h"

#define NSIG		64

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32	/* the real-time signals: queued */
#define SIGRTMAX	64

/* RLIMIT_SIGPENDING: real-time signal instances a process may have
 * pending (kern_sigqueue.c). */
#define SIGQUEUE_MAX	1024

#define SIG_DFL		0
#define SIG_IGN		1

#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* siginfo si_code values */
#define SI_USER		0
#define SI_QUEUE	(-1)
#define SI_TKILL	(-6)
#define SI_KERNEL	0x80
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define ILL_ILLOPC	1
#define TRAP_BRKPT	1
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

#define sigmask(sig)	(1ULL << ((sig) - 1))
#define SIG_CANTMASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_STOPS	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
			    sigmask(SIGTTIN) | sigmask(SIGTTOU))

/* sigaltstack's stack_t; ss_flags */
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define SS_AUTODISARM	(1U << 31)
#define MINSIGSTKSZ	2048	/* riscv64's (asm-generic) */

struct sigstack_linux {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t __pad;
	uint64_t ss_size;
};

struct proc;
struct thread;
struct trapframe;

struct ksiginfo {
	int si_signo;
	int si_errno;		/* as a sigqueue caller gave it */
	int si_code;
	int si_pid;		/* sender, for SI_USER and SIGCHLD */
	uint32_t si_uid;	/* the sender's real uid */
	int si_status;		/* SIGCHLD: exit status or signal */
	uint64_t si_addr;	/* SIGSEGV/SIGBUS: the faulting address */
	uint64_t si_value;	/* sigqueue's union sigval */
};

/* Linux's siginfo_t (asm-generic): 128 bytes. */
struct siginfo_linux {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t __pad;
	union {
		uint64_t si_addr;
		struct {
			int32_t si_pid;
			uint32_t si_uid;
			int32_t si_status;
		} kill;
		struct {
			int32_t si_pid;
			uint32_t si_uid;
			uint64_t si_value;
		} rt;
		uint8_t __size[112];
	};
};

/*
 * A pending set, a thread's or a process's: the bits, the details of
 * one instance of each, further real-time instances (kern_sigqueue.c).
 */
struct sigqueue_entry;
struct sigpend {
	uint64_t *set;
	struct ksiginfo *info;
	struct sigqueue_entry **queue;
};

void psignal(struct proc *p, int sig);
void psignal_info(struct proc *p, const struct ksiginfo *ksi);
void pgsignal(int pgid, int sig);
void pgrp_orphan_check_locked(int pgid, struct proc *ignore);
void trapsignal(const struct ksiginfo *ksi);
bool signals_deliver(struct trapframe *tf);
void sigacts_exec(struct proc *p);

void post_signal_locked(struct proc *p, struct thread *td,
    const struct ksiginfo *ksi, bool forced);
void signals_retarget(struct thread *td, uint64_t newly_blocked);
void signals_exit_retarget(struct proc *p);
void sigmask_set_locked(struct thread *td, uint64_t mask);

/* kern_sigqueue.c: pending sets and queued real-time signals */
struct sigpend sigpend_thread(struct thread *td);
struct sigpend sigpend_proc(struct proc *p);
void sigpend_record_locked(struct proc *p, struct sigpend sp,
    const struct ksiginfo *ksi);
int sigpend_dequeue_locked(struct thread *td, uint64_t allowed,
    struct ksiginfo *ksi);
void sigpend_discard_locked(struct proc *p, struct sigpend sp, uint64_t set);
void siginfo_to_linux(const struct ksiginfo *ksi, struct siginfo_linux *si);
void sigmask_temp_begin(struct thread *td, uint64_t mask);
void sigmask_temp_end(struct thread *td, bool eintr);

/* kern_sigstack.c: the alternate signal stack */
void sigstack_reset(struct thread *td);
uint64_t sigstack_frame_sp(struct thread *td, uint64_t sp, uint64_t flags);
void sigstack_save(struct thread *td, struct sigstack_linux *uc_stack);
void sigstack_restore(struct thread *td, const struct sigstack_linux *uc_stack,
    uint64_t sp);

/* Machine-dependent: build and remove a handler's frame on the user stack. */
bool sendsig(struct trapframe *tf, const struct ksiginfo *ksi, uint64_t handler,
    uint64_t flags, uint64_t oldmask);
bool sigreturn(struct trapframe *tf, uint64_t *mask);

#endif
