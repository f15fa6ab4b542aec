/*
 * fork, vfork and clone.
 *
 * clone supports what glibc's fork (SIGCHLD | CLONE_CHILD_SETTID |
 * CLONE_CHILD_CLEARTID), posix_spawn/vfork (CLONE_VM | CLONE_VFORK) and
 * pthread_create (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
 * CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
 * CLONE_CHILD_CLEARTID, kern_thread.c) ask for, plus CLONE_PARENT_SETTID,
 * CLONE_SETTLS and a new stack for a process.  Not supported (EINVAL):
 * sharing memory, files, directories or signal actions between
 * processes (CLONE_VM without CLONE_VFORK or CLONE_THREAD, CLONE_FILES,
 * CLONE_FS or CLONE_SIGHAND without CLONE_THREAD), and a thread with its
 * own descriptor table or directories (CLONE_THREAD without CLONE_FILES
 * and CLONE_FS), which glibc never asks for.  Namespaces, pidfds,
 * CLONE_PARENT and tracing are not supported either.  glibc 2.36 for
 * riscv64 calls clone, never clone3 (which is ENOSYS here).
 */
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "machine/frame.h"
#include "vm/vm_map.h"
#include "vm/vm_page.h"
#include "vm/vm_meter.h"

#define CLONE_SUPPORTED	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | \
    CLONE_SIGHAND | CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | \
    CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
    CLONE_CHILD_SETTID)
#define CLONE_SHARING	(CLONE_FS | CLONE_FILES | CLONE_SIGHAND)

/* The child's first code: into its address space, then to user mode. */
static void
fork_child_start(void *arg)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;
	int32_t pid = p->p_pid;

	vmspace_activate(p->p_vmspace);
	if (td->td_set_child_tid != 0)
		copyout(&pid, (void *)td->td_set_child_tid, sizeof(pid));
	thread_enter_user(td);
}

static void
fork_undo(struct proc *p2)
{
	if (p2->p_fd != NULL)
		fd_free(proc_set_fd(p2, NULL));
	if (p2->p_vmspace != NULL) {
		struct vmspace *vm = p2->p_vmspace;

		proc_set_vmspace(p2, NULL);
		vmspace_free(vm);
	}
	if (p2->p_cwd != NULL)
		vrele(p2->p_cwd);
	if (p2->p_root != NULL)
		vrele(p2->p_root);
	spin_lock(&proc_lock);
	list_remove(&p2->p_sibling);
	spin_unlock(&proc_lock);
	proc_free(p2);
}

/*
 * The child's copy of vm.  Memory running short makes vmspace_fork fail
 * (a snapshot page, a map entry, a page table): then wait for the page
 * daemon and try again, a few times, before the fork fails with ENOMEM.
 * A refusal of the overcommit policy is not retried (memory is not short
 * then).  NULL if it cannot be done, or a signal came while waiting.
 */
static struct vmspace *
fork_vmspace(struct vmspace *vm)
{
	for (int tries = 0;; tries++) {
		struct vmspace *copy = vmspace_fork(vm);

		if (copy != NULL || tries == 3 || !vm_page_count_min() ||
		    vm_wait(true) != 0)
			return copy;
	}
}

/* The child's copies of the argv and environment and its reference on
 * the program path, which /proc shows.  ENOMEM. */
static int
fork_copy_saved(struct proc *p1, struct proc *p2)
{
	size_t len;
	char *s;

	if (proc_copy_args(p1, &s, &len) != 0)
		return ENOMEM;
	proc_set_args(p2, s, len);
	if (proc_copy_env(p1, &s, &len) != 0)
		return ENOMEM;
	proc_set_env(p2, s, len);
	proc_set_exe(p2, proc_exe(p1));
	return 0;
}

/*
 * Create a child of the current process.  Returns the child's pid to the
 * parent (the child returns 0 from the same system call) or -errno.
 */
int
proc_fork(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
    uint64_t tls)
{
	struct proc *p1 = curproc(), *p2;
	struct thread *td1 = curthread(), *td2;
	bool vfork = (flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK);
	int32_t pid;

	if ((flags & ~(uint64_t)CLONE_SUPPORTED) != 0 ||
	    ((flags & CLONE_VM) && !vfork) || (flags & CLONE_SHARING))
		return -EINVAL;
	p2 = proc_alloc(p1);
	if (p2 == NULL)
		return -EAGAIN;
	pid = p2->p_pid;
	if (vfork) {
		__atomic_add_fetch(&p1->p_vmspace->vm_refcnt, 1, __ATOMIC_RELAXED);
		proc_set_vmspace(p2, p1->p_vmspace);
		VM_CNT_INC(v_vforks);
	} else {
		proc_set_vmspace(p2, fork_vmspace(p1->p_vmspace));
	}
	proc_set_fd(p2, fd_copy(p1->p_fd));
	if (p2->p_vmspace == NULL || p2->p_fd == NULL ||
	    fork_copy_saved(p1, p2) != 0) {
		fork_undo(p2);
		return -ENOMEM;
	}
	p2->p_cwd = proc_cwd(p1);
	p2->p_root = p1->p_root;
	vref(p2->p_root);
	p2->p_umask = p1->p_umask;
	spin_lock(&proc_lock);
	p2->p_sigacts = p1->p_sigacts;
	/* As on Linux, the parent-death signal is not inherited. */
	p2->p_cred = p1->p_cred;
	p2->p_dumpable = p1->p_dumpable;
	p2->p_no_new_privs = p1->p_no_new_privs;
	p2->p_personality = p1->p_personality;
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	spin_unlock(&proc_lock);
	if ((flags & CLONE_PARENT_SETTID) &&
	    copyout(&pid, (void *)ptid, sizeof(pid)) != 0) {
		fork_undo(p2);
		return -EFAULT;
	}

	td2 = thread_clone_user(fork_child_start, flags, newsp, tls, ctid);
	if (td2 == NULL) {
		fork_undo(p2);
		return -ENOMEM;
	}
	/* Only the calling thread is copied, with its mask (Linux's). */
	spin_lock(&proc_lock);
	td2->td_sigmask = td1->td_sigmask;
	td2->td_affinity = td1->td_affinity;
	spin_unlock(&proc_lock);
	thread_attach(p2, td2, pid);
	if (vfork)
		p2->p_vfork_parent = p1;
	thread_start_suspended(td2);
	if (vfork) {
		spin_lock(&proc_lock);
		while (p2->p_vfork_parent == p1)
			tsleep(&p2->p_vfork_parent, &proc_lock, "vfork");
		spin_unlock(&proc_lock);
	}
	return pid;
}

/*
 * riscv64 passes (flags, newsp, parent_tid, tls, child_tid).  The flag
 * combinations Linux refuses are EINVAL in its order (copy_process):
 * a thread must share signal actions, and shared signal actions need a
 * shared address space.
 */
int64_t
sys_clone(unsigned long flags, uaddr_t newsp, uaddr_t ptid, unsigned long tls,
    uaddr_t ctid)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (!(flags & CLONE_THREAD))
		return proc_fork(flags, newsp, ptid, ctid, tls);
	if ((flags & ~(uint64_t)CLONE_SUPPORTED) != 0 ||
	    (flags & (CLONE_FS | CLONE_FILES)) != (CLONE_FS | CLONE_FILES) ||
	    (flags & CLONE_VFORK))
		return -EINVAL;
	return thread_clone(flags, newsp, ptid, ctid, tls);
}
