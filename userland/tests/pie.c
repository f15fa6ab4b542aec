/*
 * pie: a position-independent executable (ET_DYN) without libc, to test
 * that exec loads static-pie programs at a bias and enters them there.
 * (Debian's cross glibc has no static-pie start file, so this one is
 * hand made.)  It prints its entry address's page offset and exits 7.
 */
#include <stdint.h>

#include "nolibc.h"

static const char message[] = "pie: running at a load bias\n";

void
_start(void)
{
	/* Position-independent: message is reached pc-relative. */
	sys(SYS_write, 1, (long)message, sizeof(message) - 1);
	if ((uintptr_t)message < 0x100000000UL)
		sys(SYS_exit, 1, 0, 0);	/* not relocated: fail */
	sys(SYS_exit, 7, 0, 0);
	for (;;)
		;
}
