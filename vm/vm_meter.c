/*
 * Summing the per-hart VM and system counters (see vm_meter.h), and
 * their sysctl nodes: vm.stats.vm.* and vm.stats.sys.* (sums) and
 * vm.stats.percpu.* (one value per running hart).
 */
#include "vm/vm_meter.h"
#include "kern/sysctl.h"

struct vmmeter_pcpu vm_meter_percpu[VM_METER_NCPU];

void
vm_meter_sum(struct vmmeter *total)
{
	uint64_t *out = (uint64_t *)total;
	size_t n = sizeof(*total) / sizeof(uint64_t);

	memset(total, 0, sizeof(*total));
	for (int cpu = 0; cpu < VM_METER_NCPU; cpu++) {
		const volatile uint64_t *in =
		    (const volatile uint64_t *)&vm_meter_percpu[cpu].vmp_cnt;

		for (size_t i = 0; i < n; i++)
			out[i] += in[i];
	}
}

/* vm.stats.{vm,sys}.<counter>: the sum over harts of the counter at
 * node->arg. */
static int64_t
sysctl_vm_counter(const struct sysctl_node *node, struct sysctl_req *req)
{
	struct vmmeter total;
	uint64_t v;

	vm_meter_sum(&total);
	memcpy(&v, (char *)&total + node->arg, sizeof(v));
	return sysctl_out(req, &v, sizeof(v));
}

/* vm.stats.percpu.<counter>: one value per hart, as an array. */
static int64_t
sysctl_vm_percpu(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t v[VM_METER_NCPU];
	int n = MIN(mp_ncpus, VM_METER_NCPU);

	for (int cpu = 0; cpu < n; cpu++)
		memcpy(&v[cpu], (char *)&vm_meter_percpu[cpu].vmp_cnt +
		    node->arg, sizeof(uint64_t));
	return sysctl_out(req, v, n * sizeof(uint64_t));
}

#define METER_COUNTER(group, field, descr)				\
	SYSCTL_PROC(vm_##field, "vm.stats." group "." #field, CTLTYPE_U64, \
	    CTLFLAG_RD, sysctl_vm_counter,				\
	    offsetof(struct vmmeter, field), descr);			\
	SYSCTL_PROC(vm_pc_##field, "vm.stats.percpu." #field,		\
	    CTLTYPE_OPAQUE, CTLFLAG_RD, sysctl_vm_percpu,		\
	    offsetof(struct vmmeter, field), descr " (per hart)")
#define VM_COUNTER(field, descr)	METER_COUNTER("vm", field, descr)
#define SYS_COUNTER(field, descr)	METER_COUNTER("sys", field, descr)

VM_COUNTER(v_vm_faults, "page faults handled");
VM_COUNTER(v_io_faults, "faults that needed pager I/O");
VM_COUNTER(v_cow_faults, "copy-on-write faults");
VM_COUNTER(v_cow_optim, "copy-on-write faults resolved by renaming the page");
VM_COUNTER(v_zfod, "zero-fill-on-demand faults");
VM_COUNTER(v_intrans, "faults that waited for a busy page");
VM_COUNTER(v_forks, "fork()s");
VM_COUNTER(v_vforks, "vfork()s");
VM_COUNTER(v_forkpages, "pages affected by fork()s");
VM_COUNTER(v_prefault_mapped, "resident pages mapped ahead of use");
VM_COUNTER(v_prefault_zeroed, "zero pages allocated ahead of use");
VM_COUNTER(v_prefault_upgraded, "read-only neighbours a write fault made writable");
VM_COUNTER(v_prefault_attempts, "neighbours examined by prefault");
VM_COUNTER(v_prefault_exec, "used file pages exec mapped at once");
VM_COUNTER(v_vnodein, "vnode pager page-in operations");
VM_COUNTER(v_vnodepgsin, "pages paged in by the vnode pager");
VM_COUNTER(v_vnodeout, "vnode pager page-out operations");
VM_COUNTER(v_vnodepgsout, "pages paged out by the vnode pager");
VM_COUNTER(v_swapin, "swap pager page-in operations");
VM_COUNTER(v_swapout, "swap pager page-out operations");
VM_COUNTER(v_swappgsin, "pages read from swap");
VM_COUNTER(v_swappgsout, "pages written to swap");
VM_COUNTER(v_pdwakeups, "page daemon passes");
VM_COUNTER(v_pdpages, "pages examined by the page daemon");
VM_COUNTER(v_reactivated, "inactive pages found in use and reactivated");
VM_COUNTER(v_dfree, "pages freed by the page daemon");
VM_COUNTER(v_tfree, "pages freed (by anyone)");
VM_COUNTER(v_pdshortfalls, "times the page daemon could free nothing while memory was awaited");
VM_COUNTER(v_vmwaits, "waits for free memory (faults and allocations)");
VM_COUNTER(v_oom_kills, "processes killed because memory was exhausted");
SYS_COUNTER(v_swtch, "context switches");
SYS_COUNTER(v_trap, "exceptions (page faults and others), not counting system calls");
SYS_COUNTER(v_syscall, "system calls");
SYS_COUNTER(v_intr, "device and timer interrupts");
SYS_COUNTER(v_soft, "software interrupts (inter-hart interrupts)");
