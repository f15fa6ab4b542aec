/*
 * The process table: allocation, process IDs, lookup, and starting init.
 *
 * Locking: proc_lock guards the list of processes, the tree (parent,
 * children), states, exit statuses and signal masks and pending sets.
 */
#include "fs/vnode.h"
#include "kern/errno.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "kern/tty.h"
#include "kern/uaccess.h"
#include "vm/vm_param.h"
#include "machine/pcpu.h"
#include "vm/vm_map.h"

struct spinlock proc_lock = SPINLOCK_INIT("proc");
static struct list allproc = LIST_HEAD_INIT(allproc);
static int nprocs;
static int next_pid = 1;
struct proc *initproc;

/* Is pid free?  proc_lock held. */
static bool
pid_free(int pid)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_pid == pid || p->p_pgid == pid || p->p_sid == pid)
			return false;
	}
	return true;
}

/*
 * Most processes at once (Linux's kernel.threads-max, whose rule this
 * follows: kernel stacks may take at most an eighth of RAM, so a 64 MiB
 * machine allows 512).  Past it fork fails with EAGAIN, which is what
 * stops a fork bomb long before its page tables and kernel stacks eat the
 * memory everyone else needs.  Set at boot (proc_limits_init); tunable.
 */
static int threads_max = PID_MAX;

SYSCTL_INT_RANGE(kern_threads_max, "kern.threads_max", &threads_max, 20,
    PID_MAX, "most processes at once: fork fails with EAGAIN past it");

/* Size the process limit to RAM (npages pages of it). */
void
proc_limits_init(uint64_t npages)
{
	threads_max = (int)MIN(MAX(npages / 32, 20), (uint64_t)PID_MAX);
}

/*
 * A new process, child of parent (NULL for init), with the next free pid,
 * no thread, no address space and no files yet.  NULL if memory or pids
 * are exhausted, or kern.threads_max processes exist.
 */
struct proc *
proc_alloc(struct proc *parent)
{
	struct proc *p = kmalloc(sizeof(*p), M_ZERO);
	int tries = 0;

	if (p == NULL)
		return NULL;
	list_init(&p->p_children);
	p->p_state = PRS_NORMAL;
	p->p_start_ns = clock_uptime_ns();
	spin_lock(&proc_lock);
	while (!pid_free(next_pid) && tries++ < PID_MAX)
		next_pid = next_pid % (PID_MAX - 1) + 1;
	if (tries >= PID_MAX || (parent != NULL && nprocs >= threads_max)) {
		spin_unlock(&proc_lock);
		kfree(p);
		return NULL;
	}
	p->p_pid = next_pid;
	next_pid = next_pid % (PID_MAX - 1) + 1;
	p->p_parent = parent;
	if (parent != NULL) {
		list_insert_tail(&parent->p_children, &p->p_sibling);
		p->p_pgid = parent->p_pgid;
		p->p_sid = parent->p_sid;
		p->p_sigmask = parent->p_sigmask;
	} else {
		p->p_pgid = p->p_sid = p->p_pid;
	}
	list_insert_tail(&allproc, &p->p_all);
	nprocs++;
	spin_unlock(&proc_lock);
	return p;
}

/*
 * Free a reaped zombie (its address space is already gone, its thread
 * has exited) or a process fork gave up on (no thread yet).
 */
void
proc_free(struct proc *p)
{
	if (p->p_thread != NULL)
		thread_reap(p->p_thread);
	spin_lock(&proc_lock);
	list_remove(&p->p_all);
	nprocs--;
	spin_unlock(&proc_lock);
	kfree(p);
}

/* The live (not zombie) process with this pid, or NULL.  proc_lock held. */
static struct proc *
pfind_locked(int pid)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_pid == pid && p->p_state != PRS_ZOMBIE)
			return p;
	}
	return NULL;
}

/* The live (not zombie) process with this pid, or NULL.  No reference. */
struct proc *
pfind(int pid)
{
	struct proc *found;

	spin_lock(&proc_lock);
	found = pfind_locked(pid);
	spin_unlock(&proc_lock);
	return found;
}

/* Has session sid a process group pgid (zombies count)?  proc_lock held. */
static bool
pgrp_in_session(int pgid, int sid)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_pgid == pgid && p->p_sid == sid)
			return true;
	}
	return false;
}

/*
 * setpgid(2) for the current process, with Linux's rules: the target is
 * the caller or a child of it (else ESRCH) in the caller's session (else
 * EPERM) that has not exec'd (else EACCES) and leads no session (EPERM);
 * it may start its own group or join one that exists in the caller's
 * session (else EPERM).  pid 0 is the caller, pgid 0 the target's pid
 * (so a negative pid with pgid 0 is EINVAL, as on Linux).  Returns 0 or
 * -errno; takes and drops proc_lock.
 */
int
proc_setpgid(int pid, int pgid)
{
	struct proc *self = curproc(), *p;
	int error = 0;

	if (pid == 0)
		pid = self->p_pid;
	if (pgid == 0)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	spin_lock(&proc_lock);
	p = pid == self->p_pid ? self : pfind_locked(pid);
	if (p == NULL || (p != self && p->p_parent != self))
		error = -ESRCH;
	else if (p != self && p->p_sid != self->p_sid)
		error = -EPERM;
	else if (p != self && p->p_execed)
		error = -EACCES;
	else if (p->p_sid == p->p_pid)
		error = -EPERM;
	else if (pgid != p->p_pid && !pgrp_in_session(pgid, self->p_sid))
		error = -EPERM;
	else
		p->p_pgid = pgid;
	spin_unlock(&proc_lock);
	return error;
}

int
proc_count(void)
{
	return nprocs;
}

/* Call fn on every process with proc_lock held (fn must not sleep). */
void
proc_foreach(void (*fn)(struct proc *p, void *arg), void *arg)
{
	spin_lock(&proc_lock);
	for (struct list *l = allproc.next; l != &allproc; l = l->next)
		fn(container_of(l, struct proc, p_all), arg);
	spin_unlock(&proc_lock);
}

/*
 * Turn the calling kernel thread into process 1 running path, and enter
 * user mode.  If the exec fails, panics: without init there is nothing.
 */
void
proc_start_init(const char *path)
{
	struct thread *td = curthread();
	struct proc *p = proc_alloc(NULL);
	char *const argv[] = { (char *)path, NULL };
	char *envp[4 + CMDLINE_MAX_ARGS + 1] = { "HOME=/",
	    "PATH=/bin:/sbin:/usr/bin", "TERM=vt100" };
	char env[CMDLINE_MAX_ARGS][CMDLINE_MAX_LEN];
	int error, n = 3;

	/* Like Linux, hand init the command line as its environment. */
	for (int i = 0; i < boot_cmdline.nargs; i++) {
		ksnprintf(env[i], sizeof(env[i]), "%s=%s", boot_cmdline.key[i],
		    boot_cmdline.value[i]);
		envp[n++] = env[i];
	}
	envp[n] = NULL;

	if (p == NULL)
		panic("proc_start_init: no memory for init");
	initproc = p;
	p->p_thread = td;
	td->td_proc = p;
	p->p_fd = fd_init_console();
	if (p->p_fd == NULL)
		panic("proc_start_init: no memory for init's files");
	p->p_root = rootvnode;
	vref(rootvnode);
	p->p_cwd = rootvnode;
	vref(rootvnode);
	p->p_umask = 022;
	p->p_vmspace = vmspace_alloc(PAGE_SIZE, VM_MAXUSER_ADDRESS);
	if (p->p_vmspace == NULL)
		panic("proc_start_init: no memory for an address space");
	vmspace_activate(p->p_vmspace);
	tty_set_foreground(p->p_pgid);
	error = proc_exec(path, argv, envp, true);
	if (error != 0)
		panic("proc_start_init: cannot run %s: error %d", path, error);
	thread_enter_user(td);
}
