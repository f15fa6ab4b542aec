/*
 * RISC-V supervisor CSRs, bits and the inline accessors for them
 * (RISC-V privileged spec, version 1.12).
 */
#ifndef MACHINE_RISCV_H
#define MACHINE_RISCV_H

#include "kern/types.h"

#define SSTATUS_SIE	(1UL << 1)
#define SSTATUS_SPIE	(1UL << 5)
#define SSTATUS_SPP	(1UL << 8)
#define SSTATUS_FS_MASK	(3UL << 13)
#define SSTATUS_FS_CLEAN	(2UL << 13)
#define SSTATUS_FS_DIRTY	(3UL << 13)
#define SSTATUS_SUM	(1UL << 18)
#define SSTATUS_MXR	(1UL << 19)

#define SIE_SSIE	(1UL << 1)
#define SIE_STIE	(1UL << 5)
#define SIE_SEIE	(1UL << 9)
#define SIP_SSIP	(1UL << 1)	/* pending software interrupt (IPI) */

#define SCAUSE_INTR	(1UL << 63)
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9

#define EXC_INST_MISALIGNED	0
#define EXC_INST_ACCESS		1
#define EXC_ILLEGAL_INSN	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_ECALL_S		9
#define EXC_INST_PAGE_FAULT	12
#define EXC_LOAD_PAGE_FAULT	13
#define EXC_STORE_PAGE_FAULT	15

#define SATP_MODE_SV39	(8UL << 60)
#define SATP_ASID_SHIFT	44
#define SATP_ASID_MASK	0xffffUL

#define CSR_STIMECMP	0x14d

#define csr_read(csr) ({					\
	uint64_t __v;						\
	__asm__ volatile("csrr %0, " #csr : "=r"(__v));		\
	__v;							\
})

#define csr_write(csr, val) ({					\
	uint64_t __v = (uint64_t)(val);				\
	__asm__ volatile("csrw " #csr ", %0" : : "rK"(__v));	\
})

#define csr_set(csr, bits) ({					\
	uint64_t __v = (uint64_t)(bits);			\
	__asm__ volatile("csrs " #csr ", %0" : : "rK"(__v));	\
})

#define csr_clear(csr, bits) ({					\
	uint64_t __v = (uint64_t)(bits);			\
	__asm__ volatile("csrc " #csr ", %0" : : "rK"(__v));	\
})

static inline uint64_t
rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline uint64_t
rdinstret(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

static inline void
sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma" ::: "memory");
}

static inline void
wfi(void)
{
	__asm__ volatile("wfi");
}

/* Disable interrupts; return the previous SIE state for intr_restore(). */
static inline uint64_t
intr_disable(void)
{
	uint64_t s;

	__asm__ volatile("csrrci %0, sstatus, 2" : "=r"(s) :: "memory");
	return s & SSTATUS_SIE;
}

static inline void
intr_restore(uint64_t s)
{
	if (s)
		__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

static inline void
intr_enable(void)
{
	__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

#endif
