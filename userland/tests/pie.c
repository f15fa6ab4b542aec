/*
 * pie: a position-independent executable (ET_DYN) without libc, to test
 * that exec loads static-pie programs at a bias and enters them there.
 * (Debian's cross glibc has no static-pie start file, so this one is
 * hand made.)  It prints its entry address's page offset and exits 7.
 */
#include <stdint.h>

static long
sys(long nr, long a0, long a1, long a2)
{
	register long x10 __asm__("a0") = a0;
	register long x11 __asm__("a1") = a1;
	register long x12 __asm__("a2") = a2;
	register long x17 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(x10) : "r"(x11), "r"(x12), "r"(x17)
	    : "memory");
	return x10;
}

static const char message[] = "pie: running at a load bias\n";

void
_start(void)
{
	/* Position-independent: message is reached pc-relative. */
	sys(64, 1, (long)message, sizeof(message) - 1);
	if ((uintptr_t)message < 0x100000000UL)
		sys(93, 1, 0, 0);	/* not relocated: fail */
	sys(93, 7, 0, 0);
	for (;;)
		;
}
