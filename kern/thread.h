/*
 * Threads: the unit the scheduler runs.  Kernel threads run a function;
 * user processes (later) are threads with a user trap frame.
 *
 * Lock legend:
 *   (s) sched_lock
 *   (c) constant after creation
 *   (t) only the thread itself touches it
 */
#ifndef KERN_THREAD_H
#define KERN_THREAD_H

#include "kern/kernel.h"
#include "kern/list.h"
#include "machine/pcb.h"

#define TDS_RUNNING	1	/* on a hart */
#define TDS_RUNNABLE	2	/* on the run queue */
#define TDS_SLEEPING	3	/* on a sleep queue, waiting for wakeup */
#define TDS_DEAD	4	/* finished; its stack is freed by the next thread */

#define TD_NAME_MAX	16

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
	char td_name[TD_NAME_MAX];	/* (c) */
};

struct thread *curthread(void);
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg);
__noreturn void thread_exit(void);
void thread_init_boot(void);
void sched_yield(void);
int thread_count(void);

#endif
