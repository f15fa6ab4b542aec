/*
 * Processes.  Each process has one thread (user programs here do not
 * create threads), an address space, a file descriptor table, a current
 * and a root directory, and signal state.
 *
 * Lock legend:
 *   (p) proc_lock (a spin lock): the process tree, states, exit status,
 *       signal masks and pending sets
 *   (c) constant after creation
 *   (t) only the process's own thread
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/signal.h"
#include "kern/thread.h"

#define PID_MAX		32768
#define PROC_COMM_MAX	16

#define PRS_NORMAL	1	/* running or able to run */
#define PRS_ZOMBIE	2	/* exited; waiting for wait4 */

struct thread;
struct vmspace;
struct vnode;
struct filedesc;

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
	int p_state;			/* (p) PRS_* */
	int p_xstat;			/* (p) wait4 status once a zombie */
	bool p_execed;			/* (p) has exec'd since fork: its
					   parent may not move its group */
	bool p_exiting;			/* (p) in proc_exit: its memory is
					   on its way back */
	struct thread *p_thread;	/* (c) */
	struct vmspace *p_vmspace;	/* (t) */
	struct filedesc *p_fd;		/* (t) */
	struct vnode *p_cwd;		/* (t) */
	struct vnode *p_root;		/* (t) */
	uint32_t p_umask;		/* (t) */
	uint64_t p_sigpending;		/* (p) */
	uint64_t p_sigmask;		/* (p) blocked signals */
	struct ksiginfo p_siginfo[NSIG + 1]; /* (p) details of pending signals */
	struct sigacts p_sigacts;	/* (t) */
	uint64_t p_clear_child_tid;	/* (t) set_tid_address / CLONE_CHILD_CLEARTID */
	uint64_t p_set_child_tid;	/* (t) CLONE_CHILD_SETTID: store pid at start */
	struct proc *p_vfork_parent;	/* (p) asleep until we exec or exit */
	uint64_t p_utime_ticks;		/* (t) clock ticks that found it in user mode */
	uint64_t p_stime_ticks;		/* (t) clock ticks that found it in the kernel */
	uint64_t p_cutime_ticks;	/* (t) user ticks of the children it
					   reaped (and theirs); none at fork */
	uint64_t p_cstime_ticks;	/* (t) the same for system ticks */
	uint64_t p_start_ns;		/* (c) */
	char p_comm[PROC_COMM_MAX];	/* (t) program name */
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
int proc_setpgid(int pid, int pgid);
int proc_count(void);
void proc_foreach(void (*fn)(struct proc *p, void *arg), void *arg);
__noreturn void proc_start_init(const char *path);

/* kern_exit.c */
__noreturn void proc_exit(int status);
void proc_vfork_done(struct proc *p);
int proc_wait(int pid, int *status, int options, uint64_t ticks[2]);

/* struct rusage: two struct timevals, then 14 longs. */
#define RUSAGE_WORDS	18
void rusage_from_ticks(int64_t ru[RUSAGE_WORDS], uint64_t uticks,
    uint64_t sticks);

/* kern_fork.c */
int proc_fork(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
    uint64_t tls);

/* kern_exec.c */
int proc_exec(const char *path, char *const *argv, char *const *envp,
    bool argv_in_kernel);

#endif
