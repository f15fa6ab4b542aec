/*
 * SBI calls: ecall with the extension id in a7, the function id in a6 and
 * arguments in a0-a5; the firmware returns an error code in a0 and a value
 * in a1.
 */
#include "machine/sbi.h"

struct sbiret
sbi_call(uint64_t ext, uint64_t fid, uint64_t arg0, uint64_t arg1,
    uint64_t arg2)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a1 __asm__("a1") = arg1;
	register uint64_t a2 __asm__("a2") = arg2;
	register uint64_t a6 __asm__("a6") = fid;
	register uint64_t a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
	    : "+r"(a0), "+r"(a1)
	    : "r"(a2), "r"(a6), "r"(a7)
	    : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
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
