/*
 * Accessors that may fault.  Each sets pcpu->pc_onfault (tp points at the
 * hart's struct pcpu) to a recovery label before the access; the trap
 * handler, seeing a fault with pc_onfault set, resumes there with
 * a0 = EFAULT.  The same mechanism will back copyin/copyout.
 */
#include "machine/pcpu.h"

#include "kern/errno.h"

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

/*
 * size_t user_copy(void *dst, const void *src, size_t len)
 * Copy with sstatus.SUM set; returns how many bytes were not copied (0:
 * all were).  A fault that vm_fault cannot resolve resumes at
 * user_copy_fault with the frame's registers, so a2 still counts the
 * bytes left, the faulting ones included (the trap handler leaves the
 * errno the copy failed with in pc_onfault_error: EFAULT, or EINTR when
 * a signal ended a wait for memory).  Word at a time when both
 * pointers are 8-aligned (an aligned word never straddles a page, so
 * the count is exact to the byte), bytes otherwise and for the tail.
 */
#define SSTATUS_SUM	(1 << 18)

	.globl user_copy
user_copy:
	la	t0, user_copy_fault
	sd	t0, PC_ONFAULT(tp)
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	or	t2, a0, a1
	andi	t2, t2, 7
	bnez	t2, 2f
1:	li	t2, 8
	bltu	a2, t2, 2f
	ld	t2, 0(a1)
	sd	t2, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	1b
2:	beqz	a2, 3f
	lbu	t2, 0(a1)
	sb	t2, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	2b
3:	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	li	a0, 0
	ret

/*
 * int user_copystr(char *dst, const char *src, size_t maxlen, size_t *copied)
 * Copy bytes up to and including a NUL, at most maxlen; *copied = count.
 */
	.globl user_copystr
user_copystr:
	la	t0, user_fault
	sd	t0, PC_ONFAULT(tp)
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	li	t0, 0
1:	beq	t0, a2, 2f
	add	t2, a1, t0
	lbu	t2, 0(t2)
	add	a4, a0, t0
	sb	t2, 0(a4)
	addi	t0, t0, 1
	bnez	t2, 1b
2:	sd	t0, 0(a3)
	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	li	a0, 0
	ret

user_copy_fault:
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	mv	a0, a2
	ret

user_fault:
	/* a0: the errno the trap handler chose (EFAULT, or EINTR). */
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	ret

/*
 * Accessors of one aligned user word that never wait for a fault to be
 * resolved: they run with spin locks held (the futex bucket lock), so a
 * fault resumes at user_nofault_fault, which the trap handler knows,
 * with a0 = EFAULT; the caller drops its locks, faults the page in and
 * tries again.  The caller checks the address (uaccess.h).
 */

/* int user_load32_nofault(const uint32_t *uaddr, uint32_t *val) */
	.globl user_load32_nofault
user_load32_nofault:
	la	t0, user_nofault_fault
	sd	t0, PC_ONFAULT(tp)
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	lwu	t2, 0(a0)
	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	sw	t2, 0(a1)
	li	a0, 0
	ret

/*
 * int user_cas32_nofault(uint32_t *uaddr, uint32_t old, uint32_t new,
 *     uint32_t *prev): store new if the word is old; *prev = what it was.
 */
	.globl user_cas32_nofault
user_cas32_nofault:
	la	t0, user_nofault_fault
	sd	t0, PC_ONFAULT(tp)
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	sext.w	a1, a1
1:	lr.w.aqrl t2, (a0)
	bne	t2, a1, 2f
	sc.w.rl	t0, a2, (a0)
	bnez	t0, 1b
2:	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	sw	t2, 0(a3)
	li	a0, 0
	ret

/*
 * int user_amo32_nofault(int op, uint32_t *uaddr, uint32_t arg,
 *     uint32_t *old): the futex operation op (FUTEX_OP_SET 0, ADD 1,
 *     OR 2, ANDN 3, XOR 4; the caller checks it) done atomically on the
 *     word, *old = what it was.
 */
	.globl user_amo32_nofault
user_amo32_nofault:
	la	t0, user_nofault_fault
	sd	t0, PC_ONFAULT(tp)
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	li	t0, 1
	beq	a0, t0, 1f
	li	t0, 2
	beq	a0, t0, 2f
	li	t0, 3
	beq	a0, t0, 3f
	li	t0, 4
	beq	a0, t0, 4f
	amoswap.w.aqrl t2, a2, (a1)
	j	5f
1:	amoadd.w.aqrl t2, a2, (a1)
	j	5f
2:	amoor.w.aqrl t2, a2, (a1)
	j	5f
3:	not	a2, a2
	amoand.w.aqrl t2, a2, (a1)
	j	5f
4:	amoxor.w.aqrl t2, a2, (a1)
5:	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	sw	t2, 0(a3)
	li	a0, 0
	ret

	.globl user_nofault_fault
user_nofault_fault:
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	sd	zero, PC_ONFAULT(tp)
	li	a0, EFAULT
	ret
