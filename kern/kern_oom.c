/*
 * The out-of-memory policy: when the page daemon can free nothing while
 * threads wait for memory (vm_pageout.c), one process is killed so that
 * the others can go on.  The victim is the process with the most pages
 * mapped (its resident set), never init, and none while a process is
 * already dying (SIGKILL pending, or in exit); it gets SIGKILL, which also ends its own wait for memory, and
 * one line in the log says who and why.
 */
#include "kern/proc.h"
#include "kern/signal.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"
#include "vm/vm_pageout.h"

struct oom_choice {
	struct proc *victim;
	uint64_t rss;
	bool dying;		/* a process is already on its way out */
};

/* proc_foreach callback (proc_lock held): is p a better victim? */
static void
oom_consider(struct proc *p, void *arg)
{
	struct oom_choice *c = arg;
	uint64_t rss;

	if (p->p_pid == 1 || p->p_state != PRS_NORMAL || p->p_vmspace == NULL)
		return;
	if ((p->p_sigpending & sigmask(SIGKILL)) || p->p_exiting) {
		c->dying = true;
		return;
	}
	rss = pmap_resident_count(p->p_vmspace->vm_pmap);
	if (c->victim == NULL || rss > c->rss) {
		c->victim = p;
		c->rss = rss;
	}
}

/*
 * Kill the largest process (see above).  Called by the page daemon with
 * no lock held.  Does nothing while an earlier victim is still dying: its
 * memory is about to come back.  True if a process was signalled.
 */
bool
vm_oom_kill(void)
{
	struct oom_choice c = { 0 };
	struct proc *victim;
	char comm[PROC_COMM_MAX];
	int pid;

	proc_foreach(oom_consider, &c);
	if (c.dying)
		return false;
	if (c.victim == NULL) {
		kprintf("vm: out of memory, and no process to kill\n");
		return false;
	}
	pid = c.victim->p_pid;
	memcpy(comm, c.victim->p_comm, sizeof(comm));
	/* Found again by pid: it may have exited since the choice. */
	victim = pfind(pid);
	if (victim == NULL)
		return false;
	psignal(victim, SIGKILL);
	VM_CNT_INC(v_oom_kills);
	kprintf("vm: out of memory: killed pid %d (%s), %lu pages resident\n",
	    pid, comm, c.rss);
	return true;
}
