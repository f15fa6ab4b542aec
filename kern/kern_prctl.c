/*
 * prctl's basic options and personality.
 *
 *   PR_SET_NAME, PR_GET_NAME          the calling thread's name (16 bytes
 *                                     with the NUL; the main thread's is
 *                                     also the process's, as ps shows it)
 *   PR_SET_PDEATHSIG, PR_GET_PDEATHSIG the signal the process gets when
 *                                     its parent exits (kern_exit.c)
 *   PR_SET_DUMPABLE, PR_GET_DUMPABLE  the dumpable flag (no core files
 *                                     are written; setuid clears it)
 *   PR_SET_NO_NEW_PRIVS, PR_GET_...   a one-way flag, kept by fork/exec
 *
 * Any other option is EINVAL, as Linux's for one it does not know.
 * The fields are the process's, under proc_lock (proc.h).
 */
#include "kern/errno.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

#define PERSONALITY_QUERY	0xffffffffU

/*
 * Name the user thread td name (TD_NAME_MAX bytes, NUL-padded): the main
 * thread's name is its process's too (p_comm, what ps shows), as
 * Linux's thread group leader's comm.  proc_lock held.
 */
void
thread_set_name_locked(struct thread *td, const char *name)
{
	struct proc *p = td->td_proc;

	LOCK_ASSERT(spin_owned(&proc_lock), "proc_lock not held");
	memcpy(td->td_name, name, sizeof(td->td_name));
	if (td->td_utid == p->p_pid)
		memcpy(p->p_comm, name, sizeof(p->p_comm));
}

/*
 * PR_SET_NAME: at most 15 bytes of the string at uname, cut there as
 * Linux does; EFAULT if it cannot be read.
 */
static int64_t
prctl_set_name(uaddr_t uname)
{
	struct thread *td = curthread();
	char name[TD_NAME_MAX];
	size_t i;

	memset(name, 0, sizeof(name));
	for (i = 0; i < sizeof(name) - 1; i++) {
		if (copyin((void *)(uname + i), &name[i], 1) != 0)
			return -EFAULT;
		if (name[i] == '\0')
			break;
	}
	spin_lock(&proc_lock);
	thread_set_name_locked(td, name);
	spin_unlock(&proc_lock);
	return 0;
}

static int64_t
prctl_get_name(uaddr_t ubuf)
{
	char name[TD_NAME_MAX];

	spin_lock(&proc_lock);
	memcpy(name, curthread()->td_name, sizeof(name));
	spin_unlock(&proc_lock);
	return copyout(name, (void *)ubuf, sizeof(name)) != 0 ? -EFAULT : 0;
}

static int64_t
prctl_no_new_privs(int option, unsigned long arg2, unsigned long arg3,
    unsigned long arg4, unsigned long arg5)
{
	struct proc *p = curproc();

	if (arg3 != 0 || arg4 != 0 || arg5 != 0)
		return -EINVAL;
	if (option == PR_GET_NO_NEW_PRIVS)
		return arg2 != 0 ? -EINVAL : p->p_no_new_privs;
	if (arg2 != 1)
		return -EINVAL;
	spin_lock(&proc_lock);
	p->p_no_new_privs = true;
	spin_unlock(&proc_lock);
	return 0;
}

int64_t
sys_prctl(int option, unsigned long arg2, unsigned long arg3,
    unsigned long arg4, unsigned long arg5)
{
	struct proc *p = curproc();
	int32_t sig;

	switch (option) {
	case PR_SET_NAME:
		return prctl_set_name(arg2);
	case PR_GET_NAME:
		return prctl_get_name(arg2);
	case PR_SET_PDEATHSIG:
		if (arg2 > NSIG)
			return -EINVAL;
		spin_lock(&proc_lock);
		p->p_pdeathsig = (int)arg2;
		spin_unlock(&proc_lock);
		return 0;
	case PR_GET_PDEATHSIG:
		sig = p->p_pdeathsig;
		return copyout(&sig, (void *)arg2, sizeof(sig)) != 0 ? -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return p->p_dumpable;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		spin_lock(&proc_lock);
		p->p_dumpable = (int)arg2;
		spin_unlock(&proc_lock);
		return 0;
	case PR_SET_NO_NEW_PRIVS:
	case PR_GET_NO_NEW_PRIVS:
		return prctl_no_new_privs(option, arg2, arg3, arg4, arg5);
	default:
		return -EINVAL;
	}
}

/* personality: set the execution domain (0xffffffff only asks); returns
 * the old one.  Only PER_LINUX (0) means anything here; others are kept
 * and reported, as Linux keeps the flags it ignores. */
int64_t
sys_personality(unsigned int persona)
{
	struct proc *p = curproc();
	unsigned int old;

	spin_lock(&proc_lock);
	old = p->p_personality;
	if (persona != PERSONALITY_QUERY)
		p->p_personality = persona;
	spin_unlock(&proc_lock);
	return old;
}
