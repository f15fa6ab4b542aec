/*
 * fork, vfork and clone.
 *
 * clone supports what glibc's fork (SIGCHLD | CLONE_CHILD_SETTID |
 * CLONE_CHILD_CLEARTID) and posix_spawn/vfork (CLONE_VM | CLONE_VFORK)
 * ask for, plus CLONE_PARENT_SETTID, CLONE_SETTLS and a new stack.
 * Threads (CLONE_THREAD) are not supported: EINVAL.
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

#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000

#define CLONE_SUPPORTED	(CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | \
    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

/* The child's first code: into its address space, then to user mode. */
static void
fork_child_start(void *arg)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;
	int32_t pid = p->p_pid;

	vmspace_activate(p->p_vmspace);
	if (p->p_set_child_tid != 0)
		copyout(&pid, (void *)p->p_set_child_tid, sizeof(pid));
	thread_enter_user(td);
}

static void
fork_undo(struct proc *p2)
{
	if (p2->p_fd != NULL)
		fd_free(p2->p_fd);
	if (p2->p_vmspace != NULL)
		vmspace_free(p2->p_vmspace);
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
	    ((flags & CLONE_VM) && !vfork))
		return -EINVAL;
	p2 = proc_alloc(p1);
	if (p2 == NULL)
		return -EAGAIN;
	pid = p2->p_pid;
	if (vfork) {
		p2->p_vmspace = p1->p_vmspace;
		__atomic_add_fetch(&p2->p_vmspace->vm_refcnt, 1, __ATOMIC_RELAXED);
		VM_CNT_INC(v_vforks);
	} else {
		p2->p_vmspace = fork_vmspace(p1->p_vmspace);
	}
	p2->p_fd = fd_copy(p1->p_fd);
	if (p2->p_vmspace == NULL || p2->p_fd == NULL) {
		fork_undo(p2);
		return -ENOMEM;
	}
	p2->p_cwd = p1->p_cwd;
	vref(p2->p_cwd);
	p2->p_root = p1->p_root;
	vref(p2->p_root);
	p2->p_umask = p1->p_umask;
	p2->p_sigacts = p1->p_sigacts;
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	if (flags & CLONE_CHILD_CLEARTID)
		p2->p_clear_child_tid = ctid;
	if ((flags & CLONE_PARENT_SETTID) &&
	    copyout(&pid, (void *)ptid, sizeof(pid)) != 0) {
		fork_undo(p2);
		return -EFAULT;
	}

	td2 = thread_create_suspended(p1->p_comm, fork_child_start, NULL);
	if (td2 == NULL) {
		fork_undo(p2);
		return -ENOMEM;
	}
	td2->td_proc = p2;
	p2->p_thread = td2;
	*td2->td_frame = *td1->td_frame;
	td2->td_frame->tf_x[TF_A0] = 0;
	if (newsp != 0)
		td2->td_frame->tf_x[TF_SP] = newsp;
	if (flags & CLONE_SETTLS)
		td2->td_frame->tf_x[4] = tls;
	td2->td_fpstate = td1->td_fpstate;
	if (flags & CLONE_CHILD_SETTID)
		p2->p_set_child_tid = ctid;
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

int64_t
sys_clone(unsigned long flags, uaddr_t newsp, uaddr_t ptid, unsigned long tls,
    uaddr_t ctid)
{
	/* riscv64 passes (flags, newsp, parent_tid, tls, child_tid). */
	return proc_fork(flags, newsp, ptid, ctid, tls);
}
