/*
 * cpu_switch(old, new): save ra, sp and s0-s11 into *old, load them from
 * *new, and return on the new thread's stack.  Caller-saved registers are
 * dead across the call by the ABI, so nothing else needs keeping.
 */
	.text
	.globl cpu_switch
cpu_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	s0, 16(a1)
	ld	s1, 24(a1)
	ld	s2, 32(a1)
	ld	s3, 40(a1)
	ld	s4, 48(a1)
	ld	s5, 56(a1)
	ld	s6, 64(a1)
	ld	s7, 72(a1)
	ld	s8, 80(a1)
	ld	s9, 88(a1)
	ld	s10, 96(a1)
	ld	s11, 104(a1)
	ret

/* A new thread starts here with fn in s0 and its argument in s1. */
	.globl thread_trampoline
thread_trampoline:
	mv	a0, s0
	mv	a1, s1
	li	s0, 0		/* end of the frame-pointer chain */
	call	thread_start
1:	j	1b
