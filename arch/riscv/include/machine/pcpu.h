/*
 * Per-hart data, reached through the tp register, which the kernel keeps
 * pointing at this hart's struct pcpu (C code never uses tp for TLS).
 */
#ifndef MACHINE_PCPU_H
#define MACHINE_PCPU_H

#define MAXCPU		8
#define PC_ONFAULT	0	/* offsetof(struct pcpu, pc_onfault), for assembly */

#ifndef __ASSEMBLER__
#include "kern/types.h"

struct vmspace;
struct thread;

struct pcpu {
	uint64_t pc_onfault;	/* recovery pc for a fault in a probe/copy routine */
	int pc_onfault_error;	/* why the last one resumed there: EFAULT, EINTR */
	uint32_t pc_hartid;
	int pc_cpuid;		/* dense index, 0 = boot hart */
	int pc_intr_depth;	/* nesting of intr_push() */
	uint64_t pc_intr_saved;	/* SIE state before the outermost push */
	int pc_in_trap;		/* nesting of kernel traps */
	struct vmspace *pc_curvm; /* user address space active on this hart */
	struct thread *pc_curthread;
	struct thread *pc_idlethread;
	struct thread *pc_deadthread; /* exited; freed after switching off it */
	struct thread *pc_fpowner;	/* whose FP registers the hart holds */
	uint64_t pc_idle_ns;	/* time spent waiting in the idle loop's wfi */
};

_Static_assert(offsetof(struct pcpu, pc_onfault) == PC_ONFAULT, "pc_onfault");

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
