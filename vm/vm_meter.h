/*
 * VM and system event counters, named as FreeBSD's vm.stats.vm and
 * vm.stats.sys.  Each hart counts in its own copy, on cache lines of its
 * own (as DragonFly's per-CPU gd_cnt), without locks; readers sum the
 * copies (vm_meter_sum), so a total may be a moment stale but is never
 * torn.
 *
 * An increment is one atomic add (amoadd.d) to the running hart's copy:
 * an interrupt handler on the same hart can count between the load and
 * the store of a plain increment and be lost, and in guest instructions
 * the atomic add is no dearer than load-add-store (and cheaper than
 * turning interrupts off around it; figures in DESIGN.md).  It also stays
 * right if the thread moves to another hart in between: it then adds to
 * the old hart's copy, and the sum is the same.
 */
#ifndef VM_VM_METER_H
#define VM_VM_METER_H

#include "kern/kernel.h"

struct vmmeter {
	uint64_t v_vm_faults;		/* calls to vm_fault */
	uint64_t v_io_faults;		/* faults that needed pager I/O */
	uint64_t v_cow_faults;		/* copy-on-write faults (copy or rename) */
	uint64_t v_cow_optim;		/* COW faults satisfied by renaming the page */
	uint64_t v_zfod;		/* zero-fill-on-demand faults */
	uint64_t v_intrans;		/* faults that waited for a busy page */
	uint64_t v_forks;		/* fork()s */
	uint64_t v_vforks;		/* vfork()s */
	uint64_t v_forkpages;		/* pages affected by fork()s */
	uint64_t v_prefault_mapped;	/* resident pages mapped ahead of use */
	uint64_t v_prefault_zeroed;	/* zero pages allocated ahead of use */
	uint64_t v_prefault_upgraded;	/* read-only neighbours made writable
					   by a write fault (fault-around) */
	uint64_t v_prefault_attempts;	/* neighbours examined by prefault */
	uint64_t v_prefault_exec;	/* used file pages exec mapped at once */
	uint64_t v_vnodein;		/* vnode pager page-ins (operations) */
	uint64_t v_vnodepgsin;		/* pages paged in by the vnode pager */
	uint64_t v_vnodeout;		/* vnode pager page-outs (operations) */
	uint64_t v_vnodepgsout;		/* pages paged out by the vnode pager */
	uint64_t v_swapin;		/* swap pager page-ins (operations) */
	uint64_t v_swapout;		/* swap pager page-outs (operations) */
	uint64_t v_swappgsin;		/* pages read from swap */
	uint64_t v_swappgsout;		/* pages written to swap */
	uint64_t v_pdwakeups;		/* page daemon passes */
	uint64_t v_pdpages;		/* pages the page daemon examined */
	uint64_t v_reactivated;		/* inactive pages found in use again */
	uint64_t v_dfree;		/* pages freed by the page daemon */
	uint64_t v_tfree;		/* pages freed, by anyone */
	uint64_t v_pdshortfalls;	/* times the daemon could free nothing */
	uint64_t v_vmwaits;		/* waits for free memory */
	uint64_t v_oom_kills;		/* processes killed for memory */
	/* vm.stats.sys */
	uint64_t v_swtch;		/* context switches */
	uint64_t v_trap;		/* exceptions other than system calls */
	uint64_t v_syscall;		/* system calls */
	uint64_t v_intr;		/* device and timer interrupts */
	uint64_t v_soft;		/* software interrupts (IPIs) */
};

#define VM_METER_NCPU	8
#define VM_METER_LINE	64		/* cache line */

/* One hart's counters, alone on their cache lines. */
struct vmmeter_pcpu {
	struct vmmeter vmp_cnt;
} __aligned(VM_METER_LINE);

_Static_assert(sizeof(struct vmmeter_pcpu) % VM_METER_LINE == 0,
    "a hart's counters share no line with another's");

extern struct vmmeter_pcpu vm_meter_percpu[VM_METER_NCPU];

/* Atomic against this hart's interrupts, not a lock: no other hart
 * writes these. */
#define VM_CNT_ADD(field, n)						\
	__atomic_fetch_add(&curcpu_meter()->field, (n), __ATOMIC_RELAXED)
#define VM_CNT_INC(field)	VM_CNT_ADD(field, 1)

void vm_meter_sum(struct vmmeter *total);

#endif
