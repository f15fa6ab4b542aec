/*
 * SBI calls: ecall with the extension id in a7, the function id in a6 and
 * arguments in a0-a5; the firmware returns an error code in a0 and a value
 * in a1.
 */
#include "machine/sbi.h"

struct sbiret
sbi_call5(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1,
    uint64_t arg2, uint64_t arg3, uint64_t arg4)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a1 __asm__("a1") = arg1;
	register uint64_t a2 __asm__("a2") = arg2;
	register uint64_t a3 __asm__("a3") = arg3;
	register uint64_t a4 __asm__("a4") = arg4;
	register uint64_t a6 __asm__("a6") = fid;
	register uint64_t a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
	    : "+r"(a0), "+r"(a1)
	    : "r"(a2), "r"(a3), "r"(a4), "r"(a6), "r"(a7)
	    : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

struct sbiret
sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1,
    uint64_t arg2)
{
	return sbi_call5(ext, fid, arg0, arg1, arg2, 0, 0);
}

/* Legacy extension 0x01: the only console call OpenSBI 1.1 offers. */
void
sbi_console_putchar(int c)
{
	register uint64_t a0 __asm__("a0") = (uint64_t)c;
	register uint64_t a7 __asm__("a7") = 0x01;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

long
sbi_spec_version(void)
{
	return sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
}

bool
sbi_probe_extension(uint64_t ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error == 0 && r.value != 0;
}

void
sbi_set_timer(uint64_t stime_value)
{
	sbi_call(SBI_EXT_TIME, 0, stime_value, 0, 0);
}

/* Returns only if the firmware refused the request. */
void
sbi_system_reset(uint32_t type, uint32_t reason)
{
	sbi_call(SBI_EXT_SRST, 0, type, reason, 0);
}

/*
 * HSM hart_start: the stopped hart `hartid` starts in S-mode at physical
 * address start_pa with the MMU off, a0 = its hart id, a1 = opaque.
 * Returns the SBI error (0 on success).
 */
long
sbi_hart_start(uint64_t hartid, paddr_t start_pa, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start_pa, opaque).error;
}

/*
 * The hart masks of the IPI and RFENCE calls are 64 bits wide starting at
 * hart id `base`; all our harts have ids below 64 (MAXCPU), so base 0.
 */
void
sbi_send_ipi(uint64_t hart_mask)
{
	sbi_call(SBI_EXT_IPI, 0, hart_mask, 0, 0);
}

/*
 * sfence.vma over [va, va+size) on every hart in hart_mask, for every
 * address space (size -1: all addresses).  OpenSBI returns only once
 * every target hart has done it.
 */
void
sbi_remote_sfence_vma(uint64_t hart_mask, vaddr_t va, uint64_t size)
{
	sbi_call5(SBI_EXT_RFENCE, 1, hart_mask, 0, va, size, 0);
}

/* The same, only for address space `asid`. */
void
sbi_remote_sfence_vma_asid(uint64_t hart_mask, vaddr_t va, uint64_t size,
    uint64_t asid)
{
	sbi_call5(SBI_EXT_RFENCE, 2, hart_mask, 0, va, size, asid);
}
