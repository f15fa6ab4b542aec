/*
 * Several harts: starting the secondary ones through SBI HSM and sending
 * harts interrupts through SBI IPI.
 *
 * The boot hart is cpu 0.  Each hart the device tree lists gets the next
 * dense cpu index, a struct pcpu and an idle thread, and is started at
 * mp_entry (locore) with its pcpu in a1.  It switches to the kernel page
 * table, starts its timer, says it runs (pc_started) and becomes its idle
 * thread, taking work from the scheduler's run queue.
 *
 * External interrupts (the PLIC) stay routed to the boot hart; every hart
 * takes its own timer and software (IPI) interrupts.
 */
#include "kern/clock.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "kern/thread.h"
#include "machine/clock.h"
#include "machine/machdep.h"
#include "machine/pcpu.h"
#include "machine/pmap_machdep.h"
#include "machine/riscv.h"
#include "machine/sbi.h"
#include "vm/vm_meter.h"
#include "machine/vmparam.h"

#define MP_START_TIMEOUT_NS	1000000000ULL

extern char _kernel_start[], mp_entry[];
__noreturn void mp_main(void);

/* satp for the kernel page table, loaded by mp_entry before any stack use. */
uint64_t mp_kernel_satp;

/* The SBI hart mask (bit = hart id) of a mask of cpu indices. */
static uint64_t
hartmask_of(cpumask_t cpus)
{
	uint64_t harts = 0;

	for (int cpu = 0; cpu < MAXCPU; cpu++)
		if (cpus & CPUMASK(cpu))
			harts |= 1UL << pcpu[cpu].pc_hartid;
	return harts;
}

/* Raise a software interrupt on every hart in cpus. */
void
cpu_send_ipi(cpumask_t cpus)
{
	if (cpus != 0)
		sbi_send_ipi(hartmask_of(cpus));
}

/*
 * sfence.vma [va, va+size) (size 0: everything) on every hart in cpus,
 * for all ASIDs.  Returns once all of them have done it.
 */
void
cpu_remote_sfence(cpumask_t cpus, vaddr_t va, size_t size)
{
	if (cpus != 0)
		sbi_remote_sfence_vma(hartmask_of(cpus), size == 0 ? 0 : va,
		    size == 0 ? (uint64_t)-1 : size);
}

/*
 * First C code of a secondary hart, on its idle thread's stack, with the
 * kernel page table already loaded by mp_entry.
 */
void
mp_main(void)
{
	struct pcpu *pc = curpcpu();

	csr_write(scounteren, 7);
	clock_start_hart();
	csr_set(sie, SIE_SSIE);
	__atomic_store_n(&pc->pc_started, 1, __ATOMIC_RELEASE);
	sched_idle();
}

/* Start one hart as cpu `cpu`; true once it runs the kernel. */
static bool
mp_start_hart(uint32_t hartid, int cpu, paddr_t entry_pa)
{
	struct pcpu *pc = &pcpu[cpu];
	uint64_t t0;
	long err;

	pc->pc_hartid = hartid;
	pc->pc_cpuid = cpu;
	pc->pc_meter = &vm_meter_percpu[cpu].vmp_cnt;
	if (sched_init_cpu(pc) != 0) {
		kprintf("smp: no memory for hart %u's idle thread\n", hartid);
		return false;
	}
	err = sbi_hart_start(hartid, entry_pa, (uint64_t)pc);
	if (err != 0) {
		kprintf("smp: SBI could not start hart %u (error %ld)\n", hartid,
		    err);
		return false;
	}
	t0 = clock_uptime_ns();
	while (!__atomic_load_n(&pc->pc_started, __ATOMIC_ACQUIRE))
		if (clock_uptime_ns() - t0 > MP_START_TIMEOUT_NS) {
			kprintf("smp: hart %u did not start\n", hartid);
			return false;
		}
	return true;
}

/*
 * Start every other hart the device tree lists, up to MAXCPU in all (or
 * `limit`, if it is lower and not 0).  A hart that fails to start ends
 * the sequence: its pcpu might still come to life.
 */
void
mp_start_harts(const struct platform *plat, paddr_t kernel_pa, int limit)
{
	paddr_t entry_pa = kernel_pa + (paddr_t)(mp_entry - _kernel_start);
	int max = (limit > 0 && limit < MAXCPU) ? limit : MAXCPU;

	mp_kernel_satp = SATP_MODE_SV39 | (pmap_kernel_root_pa() >> PAGE_SHIFT);

	if (!sbi_probe_extension(SBI_EXT_HSM) ||
	    !sbi_probe_extension(SBI_EXT_IPI) ||
	    !sbi_probe_extension(SBI_EXT_RFENCE)) {
		kprintf("smp: firmware lacks HSM, IPI or RFENCE; one hart\n");
		return;
	}
	for (int i = 0; i < plat->nharts; i++) {
		uint32_t hartid = plat->harts[i];

		if (hartid == pcpu[0].pc_hartid)
			continue;
		if (mp_ncpus >= max) {
			kprintf("smp: using %d of %d harts\n", mp_ncpus,
			    plat->nharts);
			break;
		}
		if (hartid >= 64) {
			kprintf("smp: hart id %u too large; skipped\n", hartid);
			continue;
		}
		if (!mp_start_hart(hartid, mp_ncpus, entry_pa))
			break;
		__atomic_store_n(&mp_ncpus, mp_ncpus + 1, __ATOMIC_RELEASE);
	}
	kprintf("smp: %d hart%s running\n", mp_ncpus, mp_ncpus == 1 ? "" : "s");
}
