/*
 * Per-hart data, reached through the tp register, which the kernel keeps
 * pointing at this hart's struct pcpu (C code never uses tp for TLS).
 */
#ifndef MACHINE_PCPU_H
#define MACHINE_PCPU_H

#define MAXCPU		8
#define PC_ONFAULT	0	/* offsetof(struct pcpu, pc_onfault), for assembly */
#define PC_BOOT_SP	8	/* offsetof(struct pcpu, pc_boot_sp), for mp_entry */
#define PC_HARTID	20	/* offsetof(struct pcpu, pc_hartid), for _start */
#define PCPU_SIZE	128	/* sizeof(struct pcpu), for _start */

#ifndef __ASSEMBLER__
#include "kern/types.h"

struct vmspace;
struct thread;
struct vmmeter;

/* A set of harts, by dense cpu index (pc_cpuid). */
typedef uint64_t cpumask_t;
#define CPUMASK(cpu)	(1UL << (cpu))

struct pcpu {
	uint64_t pc_onfault;	/* recovery pc for a fault in a probe/copy routine */
	uint64_t pc_boot_sp;	/* secondary hart: the stack mp_entry starts on */
	int pc_onfault_error;	/* why the last one resumed there: EFAULT, EINTR */
	uint32_t pc_hartid;
	int pc_cpuid;		/* dense index, 0 = boot hart */
	int pc_intr_depth;	/* nesting of intr_push() */
	uint64_t pc_intr_saved;	/* SIE state before the outermost push */
	int pc_in_trap;		/* nesting of kernel traps */
	uint32_t pc_idle_seq;	/* odd while the idle thread changes the two
				   idle fields below (kern_synch.c) */
	struct vmspace *pc_curvm; /* user address space active on this hart */
	struct thread *pc_curthread;
	struct thread *pc_idlethread;
	struct thread *pc_deadthread; /* exited; freed after switching off it */
	struct thread *pc_fpowner;	/* whose FP registers the hart holds */
	uint64_t pc_idle_ns;	/* time spent in the idle loop's finished waits */
	uint64_t pc_idle_since;	/* uptime its current wait began; 0 if none */
	int pc_started;		/* the hart runs the kernel (set by itself) */
	uint16_t pc_asid;	/* the ASID in this hart's satp (pmap) */
	uint64_t pc_asid_gen;	/* the ASID generation its TLB holds (pmap) */
	struct vmmeter *pc_meter; /* its VM and system counters (vm_meter.h):
				   a counter is then 4 instructions, not 10 */
} __attribute__((aligned(64)));	/* harts never share a cache line */

_Static_assert(offsetof(struct pcpu, pc_onfault) == PC_ONFAULT, "pc_onfault");
_Static_assert(offsetof(struct pcpu, pc_boot_sp) == PC_BOOT_SP, "pc_boot_sp");
_Static_assert(offsetof(struct pcpu, pc_hartid) == PC_HARTID, "pc_hartid");
_Static_assert(sizeof(struct pcpu) == PCPU_SIZE, "struct pcpu size");

extern struct pcpu pcpu[MAXCPU];

static inline struct pcpu *
curpcpu(void)
{
	struct pcpu *p;

	__asm__ volatile("mv %0, tp" : "=r"(p));
	return p;
}

#endif /* !__ASSEMBLER__ */
#endif
