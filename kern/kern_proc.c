/*
 * The process table: allocation, process and thread IDs, lookup, and
 * starting init.
 *
 * Locking: proc_lock guards the list of processes, the tree (parent,
 * children), states, exit statuses, thread lists, signal masks and
 * pending sets, and the counts here.  Thread IDs come from the pid space
 * (as on Linux): an id is free when no process, group, session or thread
 * uses it.
 */
#include "fs/vnode.h"
#include "kern/errno.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/file.h"
#include "kern/kpath.h"
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
static int nprocs;		/* processes, zombies included */
static int nxthreads;		/* threads beyond each process's first */
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
		for (struct list *t = p->p_threads.next; t != &p->p_threads;
		    t = t->next)
			if (container_of(t, struct thread, td_plink)->td_utid == pid)
				return false;
	}
	return true;
}

/* The next free id, or -1 if none is.  proc_lock held. */
static int
id_alloc_locked(void)
{
	int tries = 0, id;

	while (!pid_free(next_pid) && tries++ < PID_MAX)
		next_pid = next_pid % (PID_MAX - 1) + 1;
	if (tries >= PID_MAX)
		return -1;
	id = next_pid;
	next_pid = next_pid % (PID_MAX - 1) + 1;
	return id;
}

/*
 * Most processes and threads at once (Linux's kernel.threads-max, whose
 * rule this follows: kernel stacks may take at most an eighth of RAM, so a 64 MiB
 * machine allows 512).  Past it fork fails with EAGAIN, which is what
 * stops a fork bomb long before its page tables and kernel stacks eat the
 * memory everyone else needs.  Set at boot (proc_limits_init); tunable.
 */
static int threads_max = PID_MAX;

SYSCTL_INT_RANGE(kern_threads_max, "kern.threads_max", &threads_max, 20,
    PID_MAX, "most processes and threads at once: fork and clone fail "
    "with EAGAIN past it");

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
_Static_assert(sizeof(struct proc) <= PAGE_SIZE,
    "a proc is one page of kmalloc: more needs a contiguous run");

struct proc *
proc_alloc(struct proc *parent)
{
	struct proc *p = kmalloc(sizeof(*p), M_ZERO);

	if (p == NULL)
		return NULL;
	/* Not zeroed: an entry is written before its signal's pending bit
	 * is set and read only while the bit is set (kern_sigqueue.c). */
	p->p_siginfo = kmalloc((NSIG + 1) * sizeof(*p->p_siginfo), 0);
	if (p->p_siginfo == NULL) {
		kfree(p);
		return NULL;
	}
	list_init(&p->p_children);
	list_init(&p->p_threads);
	p->p_state = PRS_NORMAL;
	p->p_refcnt = 1;
	p->p_dumpable = 1;
	p->p_start_ns = clock_uptime_ns();
	spin_lock(&proc_lock);
	if (parent != NULL && nprocs + nxthreads >= threads_max)
		p->p_pid = -1;
	else
		p->p_pid = id_alloc_locked();
	if (p->p_pid < 0) {
		spin_unlock(&proc_lock);
		kfree(p->p_siginfo);
		kfree(p);
		return NULL;
	}
	p->p_parent = parent;
	if (parent != NULL) {
		list_insert_tail(&parent->p_children, &p->p_sibling);
		p->p_pgid = parent->p_pgid;
		p->p_sid = parent->p_sid;
		p->p_ctty = parent->p_ctty;
	} else {
		p->p_pgid = p->p_sid = p->p_pid;
	}
	list_insert_tail(&allproc, &p->p_all);
	nprocs++;
	spin_unlock(&proc_lock);
	return p;
}

/*
 * An id for a new thread of an existing process, counted against
 * kern.threads_max: -EAGAIN past it or with no id free.  proc_lock held;
 * the caller puts the thread on its process's list before dropping it,
 * and gives the count back with proc_free_tid_locked when it leaves.
 */
int
proc_alloc_tid_locked(void)
{
	int tid;

	if (nprocs + nxthreads >= threads_max)
		return -EAGAIN;
	tid = id_alloc_locked();
	if (tid < 0)
		return -EAGAIN;
	nxthreads++;
	return tid;
}

/* A thread other than its process's last has gone.  proc_lock held. */
void
proc_free_tid_locked(void)
{
	nxthreads--;
}

/*
 * The thread with id tid (of the process tgid, unless tgid is 0) in a
 * live process, or NULL.  proc_lock held; the thread stays valid while
 * it is (threads leave their list under it before they are freed).
 */
struct thread *
tdfind_locked(int tid, int tgid)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_state == PRS_ZOMBIE || (tgid != 0 && p->p_pid != tgid))
			continue;
		for (struct list *t = p->p_threads.next; t != &p->p_threads;
		    t = t->next) {
			struct thread *td = container_of(t, struct thread, td_plink);

			if (td->td_utid == tid)
				return td;
		}
	}
	return NULL;
}

/* p's first thread (the oldest), NULL for a zombie.  proc_lock held. */
struct thread *
proc_first_thread(struct proc *p)
{
	struct list *l = list_first(&p->p_threads);

	return l != NULL ? container_of(l, struct thread, td_plink) : NULL;
}

/*
 * p's current directory, referenced (the caller vreles it): another
 * thread's chdir may replace it at any time.
 */
struct vnode *
proc_cwd(struct proc *p)
{
	struct vnode *vp;

	spin_lock(&proc_lock);
	vp = p->p_cwd;
	vref(vp);
	spin_unlock(&proc_lock);
	return vp;
}

/* Make vp (whose reference p takes over) p's current directory. */
void
proc_set_cwd(struct proc *p, struct vnode *vp)
{
	struct vnode *old;

	spin_lock(&proc_lock);
	old = p->p_cwd;
	p->p_cwd = vp;
	spin_unlock(&proc_lock);
	vrele(old);
}

/*
 * Take a process off the table: a reaped zombie (its address space is
 * already gone, its thread has exited) or a process fork gave up on (no
 * thread yet).  Its pid is free from now on; the structure itself goes
 * with the last proc_hold reference (a /proc file still open on it).
 */
void
proc_free(struct proc *p)
{
	if (p->p_lastthread != NULL)
		thread_reap(p->p_lastthread);
	p->p_lastthread = NULL;
	spin_lock(&proc_lock);
	list_remove(&p->p_all);
	nprocs--;
	p->p_reaped = true;
	spin_unlock(&proc_lock);
	proc_rele(p);
}

/* Another reference to p, which is on the table.  proc_lock held. */
void
proc_hold_locked(struct proc *p)
{
	KASSERT(p->p_refcnt > 0 && !p->p_reaped, "proc_hold: pid %d is gone",
	    p->p_pid);
	p->p_refcnt++;
}

/* Drop a reference; the last one frees p (which is off the table). */
void
proc_rele(struct proc *p)
{
	bool last;

	spin_lock(&proc_lock);
	KASSERT(p->p_refcnt > 0, "proc_rele: pid %d not referenced", p->p_pid);
	last = --p->p_refcnt == 0;
	spin_unlock(&proc_lock);
	if (!last)
		return;
	KASSERT(p->p_reaped, "proc_rele: pid %d freed on the table", p->p_pid);
	kfree(p->p_args);
	kfree(p->p_env);
	kpath_rele(p->p_exe);
	kfree(p->p_siginfo);
	kfree(p);
}

/*
 * The process with this pid, zombies too if asked, with a reference
 * (proc_rele it), or NULL.  The structure stays valid while held; its
 * state may move on (p_state, p_reaped under proc_lock say where).
 */
struct proc *
pfind_hold(int pid, bool zombies)
{
	struct proc *found = NULL;

	spin_lock(&proc_lock);
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_pid == pid && (zombies || p->p_state != PRS_ZOMBIE)) {
			proc_hold_locked(p);
			found = p;
			break;
		}
	}
	spin_unlock(&proc_lock);
	return found;
}

/*
 * p's address space with a reference of its own (vmspace_free it), or
 * NULL once p has left it (exit).  For looking at another process's
 * map: p_vmspace changes only under proc_lock (proc_set_vmspace).
 */
struct vmspace *
proc_vmspace(struct proc *p)
{
	struct vmspace *vm;

	spin_lock(&proc_lock);
	vm = p->p_vmspace;
	if (vm != NULL)
		__atomic_add_fetch(&vm->vm_refcnt, 1, __ATOMIC_RELAXED);
	spin_unlock(&proc_lock);
	return vm;
}

/* Point p at vm (NULL: none); the caller keeps the old one's reference. */
void
proc_set_vmspace(struct proc *p, struct vmspace *vm)
{
	spin_lock(&proc_lock);
	p->p_vmspace = vm;
	spin_unlock(&proc_lock);
}

/*
 * p's descriptor table with a reference of its own (fd_free it), or NULL
 * once p has closed it (exit): for looking at another process's files.
 */
struct filedesc *
proc_fd_hold(struct proc *p)
{
	struct filedesc *fdp;

	spin_lock(&proc_lock);
	fdp = p->p_fd;
	if (fdp != NULL)
		fd_hold(fdp);
	spin_unlock(&proc_lock);
	return fdp;
}

/* Point p at table fdp; the old one (its reference) is returned. */
struct filedesc *
proc_set_fd(struct proc *p, struct filedesc *fdp)
{
	struct filedesc *old;

	spin_lock(&proc_lock);
	old = p->p_fd;
	p->p_fd = fdp;
	spin_unlock(&proc_lock);
	return old;
}

/*
 * A kmalloc'd copy (kfree it) of one of p's saved strings, *field of
 * *flen bytes, in *copy and *len; NULL and 0 if there is none.  0 or
 * ENOMEM.  The copy is made under proc_lock into a buffer sized before
 * it was taken, again if an exec changed the size meanwhile.
 */
static int
proc_copy_saved(char *const *field, const size_t *flen, char **copy,
    size_t *len)
{
	for (;;) {
		size_t want = __atomic_load_n(flen, __ATOMIC_RELAXED);
		char *buf = want > 0 ? kmalloc(want, 0) : NULL;

		if (want > 0 && buf == NULL)
			return ENOMEM;
		spin_lock(&proc_lock);
		if (*flen == want) {
			if (want > 0)
				memcpy(buf, *field, want);
			spin_unlock(&proc_lock);
			*copy = buf;
			*len = want;
			return 0;
		}
		spin_unlock(&proc_lock);
		kfree(buf);
	}
}

/* Replace one of p's saved strings with s (len bytes, p takes it over). */
static void
proc_set_saved(char **field, size_t *flen, char *s, size_t len)
{
	char *old;

	spin_lock(&proc_lock);
	old = *field;
	*field = s;
	*flen = len;
	spin_unlock(&proc_lock);
	kfree(old);
}

/* p's argv as exec got it (/proc/PID/cmdline); see proc_copy_saved. */
int
proc_copy_args(struct proc *p, char **args, size_t *len)
{
	return proc_copy_saved(&p->p_args, &p->p_argslen, args, len);
}

/* Replace p's saved argv with args (len bytes, kmalloc'd, or NULL). */
void
proc_set_args(struct proc *p, char *args, size_t len)
{
	proc_set_saved(&p->p_args, &p->p_argslen, args, len);
}

/* p's environment as exec got it (/proc/PID/environ); see
 * proc_copy_saved. */
int
proc_copy_env(struct proc *p, char **env, size_t *len)
{
	return proc_copy_saved(&p->p_env, &p->p_envlen, env, len);
}

/* Replace p's saved environment with env (len bytes, kmalloc'd, or NULL). */
void
proc_set_env(struct proc *p, char *env, size_t len)
{
	proc_set_saved(&p->p_env, &p->p_envlen, env, len);
}

/* The path of p's program (/proc/PID/exe): a reference of the caller's
 * (kpath_rele it), or NULL if it has none. */
struct kpath *
proc_exe(struct proc *p)
{
	struct kpath *exe;

	spin_lock(&proc_lock);
	exe = kpath_hold(p->p_exe);
	spin_unlock(&proc_lock);
	return exe;
}

/* Make exe (the caller's reference, taken over; or NULL) p's program path,
 * releasing the old one. */
void
proc_set_exe(struct proc *p, struct kpath *exe)
{
	struct kpath *old;

	spin_lock(&proc_lock);
	old = p->p_exe;
	p->p_exe = exe;
	spin_unlock(&proc_lock);
	kpath_rele(old);
}

/* The live (not zombie) process with this pid, or NULL.  proc_lock held. */
struct proc *
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
 * Is process group pgid orphaned, as POSIX says: no member (other than
 * ignore, which is exiting, and zombies) has a parent in another group
 * of the same session?  A member whose parent is init does not count
 * (Linux's rule).  An empty group is orphaned.  proc_lock held.
 */
bool
pgrp_orphaned_locked(int pgid, const struct proc *ignore)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);
		struct proc *pp = p->p_parent;

		if (p->p_pgid != pgid || p == ignore || p->p_state ==
		    PRS_ZOMBIE || pp == NULL || pp == initproc)
			continue;
		if (pp->p_pgid != pgid && pp->p_sid == p->p_sid)
			return false;
	}
	return true;
}

/* Has process group pgid a stopped (or stopping) member?  proc_lock held. */
bool
pgrp_stopped_locked(int pgid)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_pgid == pgid && p->p_state != PRS_ZOMBIE &&
		    p->p_stopsig != 0)
			return true;
	}
	return false;
}

/*
 * The session of process group pgid (of a member, zombies included), or
 * else of the process with that pid (Linux's session_of_pgrp); -1 if
 * neither exists.  proc_lock held.
 */
int
pgrp_session_locked(int pgid)
{
	int sid = -1;

	for (struct list *l = allproc.next; l != &allproc; l = l->next) {
		struct proc *p = container_of(l, struct proc, p_all);

		if (p->p_pgid == pgid)
			return p->p_sid;
		if (p->p_pid == pgid)
			sid = p->p_sid;
	}
	return sid;
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

/* The pid given out last (/proc/loadavg's last field). */
int
proc_last_pid(void)
{
	int next = __atomic_load_n(&next_pid, __ATOMIC_RELAXED);

	return next == 1 ? PID_MAX - 1 : next - 1;
}

int
proc_count(void)
{
	return nprocs;
}

/* Call fn on every process; proc_lock held (fn must not sleep). */
void
proc_foreach_locked(void (*fn)(struct proc *p, void *arg), void *arg)
{
	for (struct list *l = allproc.next; l != &allproc; l = l->next)
		fn(container_of(l, struct proc, p_all), arg);
}

/* Call fn on every process with proc_lock held (fn must not sleep). */
void
proc_foreach(void (*fn)(struct proc *p, void *arg), void *arg)
{
	spin_lock(&proc_lock);
	proc_foreach_locked(fn, arg);
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
	thread_attach(p, td, p->p_pid);
	proc_set_fd(p, fd_init_console());
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
	error = proc_exec(path, argv, envp, true);
	if (error != 0)
		panic("proc_start_init: cannot run %s: error %d", path, error);
	thread_enter_user(td);
}
