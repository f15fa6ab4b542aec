/*
 * VM event counters, named as FreeBSD's vm.stats.vm.  Each hart counts in
 * its own copy without locks or atomics; readers sum the copies
 * (vm_meter_sum), so a total may be a moment stale but is never torn.
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
	uint64_t v_prefault_attempts;	/* neighbours examined by prefault */
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
	uint64_t v_pdshortfalls;	/* times the daemon could free nothing */
	uint64_t v_vmwaits;		/* waits for free memory */
	uint64_t v_oom_kills;		/* processes killed for memory */
};

#define VM_METER_NCPU	8

extern struct vmmeter vm_meter_percpu[VM_METER_NCPU];

#define VM_CNT_ADD(field, n)	(vm_meter_percpu[curcpu_id()].field += (n))
#define VM_CNT_INC(field)	VM_CNT_ADD(field, 1)

void vm_meter_sum(struct vmmeter *total);

#endif
