/*
 * Kernel entry and the trap vector.
 *
 * OpenSBI's fw_dynamic enters _start in S-mode with the MMU off,
 * a0 = hart id and a1 = physical address of the device tree.  We run at
 * the physical load address until paging is on, so everything before the
 * jump to the linked (high) address must be position independent:
 * `la` is pc-relative under -mcmodel=medany.
 */
#include "machine/pcpu.h"
#include "machine/vmparam.h"

#define GIGA_SHIFT	30
#define PTE_V		0x01
#define PTE_RWXAD	(0x02 | 0x04 | 0x08 | 0x40 | 0x80)
#define PTE_PPN_SHIFT	10

	.section .text.boot, "ax"
	.globl _start
_start:
	csrw	sie, zero
	csrw	satp, zero

	/*
	 * Only the first hart here boots the kernel.  Another is a secondary
	 * that OpenSBI 1.1 sent to the boot entry instead of mp_entry: its
	 * hart_start publishes START_PENDING before the start address, so a
	 * waiting hart that wakes in between jumps to the address it had (this
	 * one).  Send it on where mp_start_harts meant it to go.
	 */
	lla	t0, boot_claimed
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, secondary_at_start

	/* t0 = physical address of _start, rounded down to its gigapage. */
	la	s1, _start		/* kept for kmain's third argument */
	srli	t0, s1, GIGA_SHIFT
	slli	t1, t0, PTE_PPN_SHIFT + 18	/* gigapage PPN in a PTE */
	ori	t1, t1, PTE_V | PTE_RWXAD

	/* Identity gigapage so the next fetch after enabling satp works. */
	la	t2, boot_l2
	andi	t4, t0, 0x1ff
	slli	t4, t4, 3
	add	t4, t2, t4
	sd	t1, 0(t4)

	/* The same gigapage at the kernel's link address (root index 510). */
	li	t4, (KERNEL_IMAGE_VA >> GIGA_SHIFT) & 0x1ff
	slli	t4, t4, 3
	add	t4, t2, t4
	sd	t1, 0(t4)

	/*
	 * Direct map of the first 16 GiB of physical space with gigapages so
	 * that C code can reach RAM (and devices) before pmap_bootstrap()
	 * builds the real kernel page table.
	 */
	li	t4, (DMAP_MIN_ADDRESS >> GIGA_SHIFT) & 0x1ff
	slli	t4, t4, 3
	add	t4, t2, t4
	li	t5, PTE_V | PTE_RWXAD
	li	t6, 16
	li	a2, 1 << (PTE_PPN_SHIFT + 18)
1:	sd	t5, 0(t4)
	add	t5, t5, a2
	addi	t4, t4, 8
	addi	t6, t6, -1
	bnez	t6, 1b

	/* Turn on Sv39 with the boot table. */
	srli	t2, t2, 12
	li	t4, 8
	slli	t4, t4, 60
	or	t2, t2, t4
	sfence.vma
	csrw	satp, t2
	sfence.vma

	/* Jump to the linked address: load it as data, not pc-relative. */
	lla	t4, .Lhigh_va
	ld	t4, 0(t4)
	jr	t4

	.align 3
.Lhigh_va:
	.dword	high_entry

/*
 * a0 = hart id: find the pcpu mp_start_harts prepared for it (pc_boot_sp
 * set, pc_hartid = a0; written before its hart_start) by physical address,
 * since the MMU is off, and enter mp_entry with its virtual address in a1.
 * No such pcpu: park.
 */
secondary_at_start:
	lla	t0, pcpu
	li	t1, 1
	li	t2, MAXCPU
1:	addi	t0, t0, PCPU_SIZE
	ld	t3, PC_BOOT_SP(t0)
	beqz	t3, 2f
	lwu	t3, PC_HARTID(t0)
	beq	t3, a0, 3f
2:	addi	t1, t1, 1
	blt	t1, t2, 1b
4:	wfi
	j	4b
3:	lla	t4, .Lpcpu_va
	ld	a1, 0(t4)
	li	t3, PCPU_SIZE
	mul	t3, t3, t1
	add	a1, a1, t3
	j	mp_entry

	.align 3
.Lpcpu_va:
	.dword	pcpu

/*
 * A secondary hart, started by SBI HSM hart_start (mp_start_harts): MMU
 * off, a0 = hart id, a1 = its struct pcpu (a kernel virtual address).
 * The boot table is still intact in .data: use it to reach the linked
 * address, then mp_main switches to the kernel page table.
 */
	.globl mp_entry
mp_entry:
	csrw	sie, zero
	lla	t2, boot_l2
	srli	t2, t2, 12
	li	t4, 8
	slli	t4, t4, 60
	or	t2, t2, t4
	sfence.vma
	csrw	satp, t2
	sfence.vma
	lla	t4, .Lmp_high_va
	ld	t4, 0(t4)
	jr	t4

	.align 3
.Lmp_high_va:
	.dword	mp_entry_high

	.text
high_entry:
	/* Now running at the link address; la yields virtual addresses. */
	la	sp, boot_stack_top
	mv	s0, zero
	csrw	sscratch, zero
	la	t0, trap_vector
	csrw	stvec, t0

	/* Clear .bss. boot_l2 lives in .data, so this does not erase it. */
	la	t0, _bss_start
	la	t1, _bss_end
2:	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:
	/* kmain(hartid, dtb_pa, kernel_pa) never returns. */
	mv	a2, s1			/* physical address of _start */
	call	kmain
4:	wfi
	j	4b

mp_entry_high:
	/* The kernel page table, which maps the idle thread's stack. */
	la	t0, mp_kernel_satp
	ld	t0, 0(t0)
	csrw	satp, t0
	sfence.vma
	mv	tp, a1
	ld	sp, PC_BOOT_SP(tp)
	mv	s0, zero
	csrw	sscratch, zero
	la	t0, trap_vector
	csrw	stvec, t0
	call	mp_main			/* never returns */
5:	wfi
	j	5b

/*
 * Trap vector.
 *
 * sscratch is zero while the hart runs in the kernel.  While it runs user
 * code, sscratch points at the top of the current thread's kernel stack,
 * just below the kstack header (struct kstack_hdr: the hart's pcpu
 * pointer), and the thread's user trap frame sits right under it.  A trap
 * swaps sp with sscratch: nonzero means we came from user mode.
 */
#define TF_SIZE_ASM	(36 * 8)
#define EXC_ECALL_U_ASM	8	/* EXC_ECALL_U, scause of an ecall from U-mode */

	/*
	 * The registers a C call may change (ra, t*, a*), with gp (and tp,
	 * apart: see RESTORE_CALLER_GPRS): all that a trap from user mode
	 * saves before calling C, but for a system call.  The callee-saved
	 * ones (s0..s11) are still the user's when the C code returns, so
	 * they are saved into the frame only when something needs it whole
	 * (SAVE_CALLEE_GPRS).
	 */
#define CALLER_GPRS	1, 3, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31
#define CALLEE_GPRS	8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27

	.macro SAVE_CALLER_GPRS
	.irp r, CALLER_GPRS
	sd	x\r, \r*8(sp)
	.endr
	sd	x4, 4*8(sp)
	.endm

	.macro SAVE_CALLEE_GPRS
	.irp r, CALLEE_GPRS
	sd	x\r, \r*8(sp)
	.endr
	.endm

	.macro SAVE_GPRS
	SAVE_CALLER_GPRS
	SAVE_CALLEE_GPRS
	.endm

	/*
	 * Not tp (x4): in the kernel it is the hart's pcpu, and a kernel trap
	 * that slept (a fault in copyin waiting for I/O) may return on
	 * another hart than it came from.  user_return loads the user's.
	 */
	.macro RESTORE_CALLER_GPRS
	.irp r, CALLER_GPRS
	ld	x\r, \r*8(sp)
	.endr
	.endm

	.macro RESTORE_CALLEE_GPRS
	.irp r, CALLEE_GPRS
	ld	x\r, \r*8(sp)
	.endr
	.endm

	.macro RESTORE_GPRS
	RESTORE_CALLER_GPRS
	RESTORE_CALLEE_GPRS
	.endm

	.macro SAVE_CSRS
	csrr	t0, sepc
	sd	t0, 32*8(sp)
	csrr	t0, sstatus
	sd	t0, 33*8(sp)
	csrr	t0, scause
	sd	t0, 34*8(sp)
	csrr	t0, stval
	sd	t0, 35*8(sp)
	.endm

	.align 4
	.globl trap_vector
trap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, trap_from_user
	csrrw	sp, sscratch, sp

	/* From the kernel: the frame goes on the current kernel stack. */
	addi	sp, sp, -TF_SIZE_ASM
	SAVE_GPRS
	addi	t0, sp, TF_SIZE_ASM
	sd	t0, 2*8(sp)
	SAVE_CSRS
	mv	a0, sp
	call	trap_kernel
	ld	t0, 32*8(sp)
	csrw	sepc, t0
	ld	t0, 33*8(sp)
	csrw	sstatus, t0
	RESTORE_GPRS
	addi	sp, sp, TF_SIZE_ASM
	sret

trap_from_user:
	/* sp = kstack header; the user frame goes right below it. */
	addi	sp, sp, -TF_SIZE_ASM
	SAVE_CALLER_GPRS
	csrr	t0, sscratch
	sd	t0, 2*8(sp)		/* the user's sp */
	csrw	sscratch, zero
	ld	tp, TF_SIZE_ASM(sp)	/* this hart's pcpu, from the header */
	SAVE_CSRS
	mv	a0, sp
	/* System calls have their own entry: each path stays short. */
	ld	t0, 34*8(sp)
	li	t1, EXC_ECALL_U_ASM
	beq	t0, t1, 3f
	/*
	 * A fault or interrupt: trap_user returns nonzero if the way out
	 * has work (td_ast), which wants the whole frame (a signal frame
	 * holds it); else back to user mode with the s registers as the C
	 * code left them, which is as they were.
	 */
	call	trap_user
	beqz	a0, user_return_caller
	SAVE_CALLEE_GPRS
	mv	a0, sp
	call	user_return_slow
	j	5f
3:	SAVE_CALLEE_GPRS
	call	trap_syscall
5:	mv	a0, sp
	/* fall through */

/*
 * user_return(tf): leave the kernel for user mode with the registers in
 * tf, which is the thread's user frame under its kstack header.  Called
 * with interrupts disabled; never returns.
 */
	.globl user_return
user_return:
	mv	sp, a0
	RESTORE_CALLEE_GPRS
	/* A fault's fast way out joins here: its s registers are live. */
user_return_caller:
	addi	t0, sp, TF_SIZE_ASM
	csrw	sscratch, t0
	ld	t0, 32*8(sp)
	csrw	sepc, t0
	ld	t0, 33*8(sp)
	csrw	sstatus, t0
	RESTORE_CALLER_GPRS
	ld	x4, 4*8(sp)		/* the user's tp */
	ld	sp, 2*8(sp)
	sret

	.data
	.align 2
boot_claimed:
	.word	0

	.align 12
	.globl boot_l2
boot_l2:
	.zero	4096

	.bss
	.align 12
	.globl boot_stack
boot_stack:
	.zero	4 * 4096
	.globl boot_stack_top
boot_stack_top:
