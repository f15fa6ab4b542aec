/*
 * The page daemon: frees pages when free memory runs low (vm_pageout.c).
 */
#ifndef VM_VM_PAGEOUT_H
#define VM_VM_PAGEOUT_H

#include "vm/vm.h"

#define VM_WAIT_TICKS	100	/* longest sleep in vm_wait before a recheck */

/* Tunables (sysctl vm.pageout_*); read without locks. */
struct vm_pageout_tunables {
	int oom_seq;		/* passes in a row that free nothing while
				   someone waits before a process is killed */
};

extern struct vm_pageout_tunables vm_pageout_tunables;

void pagedaemon_wakeup(void);
void pagedaemon_wait_begin(void);
void pagedaemon_wait_end(void);
uint64_t vm_pageout_pass(void);
__noreturn void vm_pageout_daemon(void *arg);

/*
 * Kernel service the out-of-memory path calls (kern/kern_oom.c; the host
 * tests count calls): kill the process holding the most memory, never
 * init, with SIGKILL and one log line.  True if a victim was signalled.
 */
bool vm_oom_kill(void);

#endif
