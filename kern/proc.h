/*
 * Processes.  Each process has one or more threads (p_threads), which
 * share its address space, file descriptor table, current and root
 * directory and signal actions; each thread has its own signal mask and
 * pending set beside the process's (kern_thread.c, kern_sig.c).
 *
 * Lock legend:
 *   (p) proc_lock (a spin lock): the process tree, states, exit status,
 *       the thread list, signal actions, masks and pending sets
 *   (c) constant after creation
 *   (t) the process's threads; changed only while it has one thread
 *       (exec, exit), or by a lock of its own (p_fd's fd_lock)
 *   (a) atomic
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/signal.h"
#include "kern/thread.h"

#define PID_MAX		32768
#define PROC_COMM_MAX	16

/* clone(2) flags */
#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000

#define PRS_NORMAL	1	/* running or able to run */
#define PRS_ZOMBIE	2	/* exited; waiting for wait4 */

#define PWAIT_STOPPED	1	/* p_waitevent: a stop for WUNTRACED */
#define PWAIT_CONTINUED	2	/* ... a continue for WCONTINUED */

struct thread;
struct vmspace;
struct vnode;
struct filedesc;
struct kpath;

/* Interval timers (kern_time.c), all under its itimer_lock. */
struct itimer_state {
	uint64_t it_real_deadline;	/* uptime ns of ITIMER_REAL, 0 disarmed */
	uint64_t it_real_interval;	/* ns */
	uint64_t it_cpu_value[2];	/* VIRTUAL, PROF: ns left, 0 disarmed
					   (read unlocked by the tick) */
	uint64_t it_cpu_interval[2];	/* ns */
};

/*
 * Credentials (kern_cred.c).  NGROUPS_VMK supplementary groups at most
 * (Linux allows 65536).
 */
#define NGROUPS_VMK	64

struct ucred {
	uint32_t cr_ruid, cr_euid, cr_suid, cr_fsuid;
	uint32_t cr_rgid, cr_egid, cr_sgid, cr_fsgid;
	int cr_ngroups;
	uint32_t cr_groups[NGROUPS_VMK];	/* sorted */
};

struct sigacts {
	uint64_t handler[NSIG + 1];	/* SIG_DFL, SIG_IGN or a user address */
	uint64_t flags[NSIG + 1];	/* SA_* */
	uint64_t mask[NSIG + 1];	/* blocked while the handler runs */
};

struct proc {
	struct list p_all;		/* (p) all processes */
	struct list p_children;		/* (p) our children */
	struct list p_sibling;		/* (p) in our parent's p_children */
	struct proc *p_parent;		/* (p) */
	int p_pid;			/* (c) */
	int p_pgid;			/* (p) process group */
	int p_sid;			/* (p) session */
	bool p_ctty;			/* (p) has the console as its controlling
					   terminal, if its session still has it
					   (kern/tty.c) */
	int p_state;			/* (p) PRS_* */
	int p_xstat;			/* (p) wait4 status once a zombie */
	bool p_execed;			/* (p) has exec'd since fork: its
					   parent may not move its group */
	bool p_exiting;			/* (p) in proc_exit: its memory is
					   on its way back */
	struct list p_threads;		/* (p) its threads (td_plink) */
	int p_nthreads;			/* (p) how many */
	struct thread *p_lastthread;	/* (p) the last thread, once it has
					   exited: proc_free reaps it */
	struct thread *p_single;	/* (p, read unlocked) the thread that is
					   ending all the others (exit_group, a
					   fatal signal, execve); NULL if none */
	struct vmspace *p_vmspace;	/* (t) */
	struct filedesc *p_fd;		/* (t) set under proc_lock (proc_set_fd),
					   read under it by others */
	struct vnode *p_cwd;		/* (p) read with proc_cwd() */
	struct vnode *p_root;		/* (t) */
	uint32_t p_umask;		/* (a) a word, read and written whole */
	uint64_t p_sigpending;		/* (p) signals sent to the process */
	struct ksiginfo *p_siginfo;	/* (p) details of pending signals,
					   NSIG + 1 of them: allocated apart
					   so that a proc fits in one page
					   (kmalloc needs no contiguous run) */
	struct sigqueue_entry *p_sigqueue; /* (p) further real-time instances
					   sent to the process (kern_sigqueue.c) */
	int p_sigqueued;		/* (p) real-time instances pending for it
					   and its threads (RLIMIT_SIGPENDING) */
	struct sigacts p_sigacts;	/* (p) */
	struct proc *p_vfork_parent;	/* (p) asleep until we exec or exit */
	int p_stopsig;			/* (p, read unlocked) the signal of the
					   group stop under way or done, 0 if
					   none: every thread parks (kern_sig.c) */
	int p_nparked;			/* (p) threads parked in it */
	bool p_stopped;			/* (p) every thread has parked: the
					   parent was told (CLD_STOPPED) */
	int p_waitevent;		/* (p) PWAIT_*: a stop or continue
					   wait has not yet reported */
	uint64_t p_utime_ticks;		/* (a) clock ticks that found one of its
					   threads in user mode */
	uint64_t p_stime_ticks;		/* (a) ... in the kernel */
	uint64_t p_cutime_ticks;	/* (t) user ticks of the children it
					   reaped (and theirs); none at fork */
	uint64_t p_cstime_ticks;	/* (t) the same for system ticks */
	uint64_t p_start_ns;		/* (c) */
	char p_comm[PROC_COMM_MAX];	/* (t, p) program name: written under
					   proc_lock (exec, the main thread's
					   prctl(PR_SET_NAME)), read under it
					   by others */
	int p_refcnt;			/* (p) the process table's reference
					   (until proc_free) and proc_hold's */
	bool p_reaped;			/* (p) proc_free ran: off the table */
	char *p_args;			/* (p) argv as exec got it, each string
					   NUL-terminated (/proc/PID/cmdline) */
	size_t p_argslen;		/* (p) bytes at p_args */
	char *p_env;			/* (p) the environment as exec got it,
					   the same way (/proc/PID/environ) */
	size_t p_envlen;		/* (p) bytes at p_env */
	struct kpath *p_exe;		/* (p) a reference: the program's
					   absolute path, as exec opened it
					   (/proc/PID/exe), or NULL */
	struct itimer_state p_itimer;	/* (kern_time.c's itimer_lock) */
	struct list p_itreal_link;	/* (itimer_lock) on its list of armed
					   ITIMER_REAL timers */
	struct ucred p_cred;		/* (p) written by its own threads, which
					   read it unlocked */
	int p_pdeathsig;		/* (p) sent when its parent exits; 0 none */
	int p_dumpable;			/* (p) prctl's dumpable flag */
	bool p_no_new_privs;		/* (p) */
	unsigned int p_personality;	/* (p) personality(2)'s persona */
};

extern struct spinlock proc_lock;
extern struct proc *initproc;

/* The running thread's process; NULL in kernel threads. */
static inline struct proc *
curproc(void)
{
	struct thread *td = curthread();

	return td != NULL ? td->td_proc : NULL;
}
void proc_limits_init(uint64_t npages);
struct proc *proc_alloc(struct proc *parent);
void proc_free(struct proc *p);
struct proc *pfind(int pid);
struct proc *pfind_hold(int pid, bool zombies);
void proc_hold_locked(struct proc *p);
void proc_rele(struct proc *p);
struct vmspace *proc_vmspace(struct proc *p);
struct filedesc *proc_fd_hold(struct proc *p);
struct filedesc *proc_set_fd(struct proc *p, struct filedesc *fdp);
void proc_set_vmspace(struct proc *p, struct vmspace *vm);
void proc_set_args(struct proc *p, char *args, size_t len);
int proc_copy_env(struct proc *p, char **env, size_t *len);
void proc_set_env(struct proc *p, char *env, size_t len);
int proc_copy_args(struct proc *p, char **args, size_t *len);
struct kpath *proc_exe(struct proc *p);
void proc_set_exe(struct proc *p, struct kpath *exe);
struct proc *pfind_locked(int pid);
int proc_setpgid(int pid, int pgid);
bool pgrp_orphaned_locked(int pgid, const struct proc *ignore);
int pgrp_session_locked(int pgid);
bool pgrp_stopped_locked(int pgid);
void proc_foreach_locked(void (*fn)(struct proc *p, void *arg), void *arg);
int proc_count(void);
int proc_last_pid(void);
void proc_foreach(void (*fn)(struct proc *p, void *arg), void *arg);
__noreturn void proc_start_init(const char *path);

int proc_alloc_tid_locked(void);
void proc_free_tid_locked(void);
struct thread *tdfind_locked(int tid, int tgid);
struct thread *proc_first_thread(struct proc *p);
struct vnode *proc_cwd(struct proc *p);
void proc_set_cwd(struct proc *p, struct vnode *vp);

/* kern_thread.c */
struct thread *thread_clone_user(void (*fn)(void *), uint64_t flags,
    uint64_t newsp, uint64_t tls, uint64_t ctid);
int thread_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
    uint64_t tls);
void thread_attach(struct proc *p, struct thread *td, int tid);
bool proc_single_thread(struct proc *p);
void proc_single_thread_end(struct proc *p);
void proc_stop_check_locked(struct proc *p);
void thread_user_cleanup(struct thread *td);
__noreturn void thread_exit_user(int status);

/*
 * Must td leave because another thread is ending the others?  Inline,
 * with signal_pending: both run on every return to user mode.
 */
static inline bool
thread_must_exit(struct thread *td)
{
	struct proc *p = td->td_proc;
	struct thread *single;

	if (p == NULL)
		return false;
	single = __atomic_load_n(&p->p_single, __ATOMIC_ACQUIRE);
	return single != NULL && single != td;
}

/*
 * Is a signal pending for td (for its process, or for it alone) that it
 * does not block, must it exit, or is its process stopping (or stopped:
 * a parked thread sleeps uninterruptibly)?  False for kernel threads.
 */
static inline bool
signal_pending(struct thread *td)
{
	struct proc *p = td->td_proc;
	uint64_t pending;

	if (p == NULL)
		return false;
	if (thread_must_exit(td) ||
	    __atomic_load_n(&p->p_stopsig, __ATOMIC_RELAXED) != 0)
		return true;	/* exit, or park in the process's stop */
	pending = __atomic_load_n(&td->td_sigpending, __ATOMIC_RELAXED) |
	    __atomic_load_n(&p->p_sigpending, __ATOMIC_RELAXED);
	return (pending & ~(__atomic_load_n(&td->td_sigmask, __ATOMIC_RELAXED) &
	    ~SIG_CANTMASK)) != 0;
}

/* kern_futex.c */
int futex_wake_shared(uint64_t uaddr, int nr);
void futex_exit_robust_list(struct thread *td);

/* kern_exit.c */
__noreturn void proc_exit(int status);
void proc_vfork_done(struct proc *p);

/* What proc_wait found: a wait4 status word and waitid's siginfo fields. */
struct wait_result {
	int wr_pid;
	int wr_status;		/* wait4's status word */
	int wr_code;		/* CLD_* */
	int wr_sistatus;	/* exit code, or the signal */
	uint64_t wr_ticks[2];	/* user and system ticks, children's included */
};

#define P_ALL		0	/* waitid idtypes */
#define P_PID		1
#define P_PGID		2
int proc_wait(int idtype, int id, int options, struct wait_result *wr);

/* struct rusage: two struct timevals, then 14 longs. */
#define RUSAGE_WORDS	18
void rusage_from_ticks(int64_t ru[RUSAGE_WORDS], uint64_t uticks,
    uint64_t sticks);

/* kern_prctl.c */
void thread_set_name_locked(struct thread *td, const char *name);

/* kern_cred.c */
bool kill_permitted(struct proc *p, int sig);
bool ptrace_read_permitted(struct proc *p);
bool cred_in_groups(const struct ucred *cr, uint32_t gid);

/* kern_time.c */
void itimer_real_tick(void);
void itimer_charge(struct proc *p, bool user);
void itimer_exit(struct proc *p);

/* kern_fork.c */
int proc_fork(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
    uint64_t tls);

/* kern_exec.c */
int proc_exec(const char *path, char *const *argv, char *const *envp,
    bool argv_in_kernel);

/* execveat's start: a directory for a relative path, or the file itself
 * (each referenced, or NULL), and whether a symlink at the end is ELOOP. */
struct exec_at {
	struct vnode *dir;
	struct vnode *file;
	bool nofollow;
};
int proc_execat(const struct exec_at *at, const char *path, const char *name,
    char *const *argv, char *const *envp, bool argv_in_kernel);

#endif
