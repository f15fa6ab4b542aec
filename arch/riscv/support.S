/*
 * Accessors that may fault.  Each sets pcpu->pc_onfault (tp points at the
 * hart's struct pcpu) to a recovery label before the access; the trap
 * handler, seeing a fault with pc_onfault set, resumes there with
 * a0 = EFAULT.  The same mechanism will back copyin/copyout.
 */
#include "machine/pcpu.h"

#define EFAULT	14

	.text
/* int probe_load64(const volatile uint64_t *addr, uint64_t *val) */
	.globl probe_load64
probe_load64:
	la	t0, probe_fault
	sd	t0, PC_ONFAULT(tp)
	ld	t1, 0(a0)
	sd	zero, PC_ONFAULT(tp)
	sd	t1, 0(a1)
	li	a0, 0
	ret

/* int probe_store64(volatile uint64_t *addr, uint64_t val) */
	.globl probe_store64
probe_store64:
	la	t0, probe_fault
	sd	t0, PC_ONFAULT(tp)
	sd	a1, 0(a0)
	sd	zero, PC_ONFAULT(tp)
	li	a0, 0
	ret

/* int probe_exec(void (*fn)(void)): call fn; EFAULT if fetching it faults. */
	.globl probe_exec
probe_exec:
	addi	sp, sp, -16
	sd	ra, 8(sp)
	sd	s0, 0(sp)
	addi	s0, sp, 16
	la	t0, probe_exec_fault
	sd	t0, PC_ONFAULT(tp)
	jalr	a0
	sd	zero, PC_ONFAULT(tp)
	li	a0, 0
	j	1f
probe_exec_fault:
	/* The fault happened at fn's address: the stack is still ours. */
	sd	zero, PC_ONFAULT(tp)
	li	a0, EFAULT
1:	ld	ra, 8(sp)
	ld	s0, 0(sp)
	addi	sp, sp, 16
	ret

probe_fault:
	sd	zero, PC_ONFAULT(tp)
	li	a0, EFAULT
	ret
