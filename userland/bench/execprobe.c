/*
 * execprobe: the far end of vmbench's "exec alone" measurement.  Its
 * first instruction reads the instruction counter; argv[1] holds the
 * counter as read just before execve(), so the difference is the cost of
 * the exec itself up to the new program's first instruction, including
 * the fault that brings in this page.  It writes the difference in
 * decimal to fd 1 and exits 0 (2 on a malformed argument).
 *
 * No libc: glibc's start-up would run before we could read the counter.
 */
#include <stdint.h>

#include "nolibc.h"

/* The relaxed-gp model needs gp set before any C code runs. */
__asm__(".section .text._start\n"
    ".globl _start\n"
    "_start:\n"
    "	rdinstret a1\n"
    "	.option push\n"
    "	.option norelax\n"
    "	lla gp, __global_pointer$\n"
    "	.option pop\n"
    "	mv a0, sp\n"
    "	call probe_main\n"
    "1:	j 1b\n");

void probe_main(long *sp, uint64_t now);

void
probe_main(long *sp, uint64_t now)
{
	char **argv = (char **)(sp + 1);
	uint64_t before = 0;
	char digits[24];
	int n = sizeof(digits);

	if (sp[0] < 2)
		sys(SYS_exit, 2, 0, 0);
	for (const char *s = argv[1]; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			sys(SYS_exit, 2, 0, 0);
		before = before * 10 + (uint64_t)(*s - '0');
	}
	now -= before;
	digits[--n] = '\n';
	do {
		digits[--n] = (char)('0' + now % 10);
		now /= 10;
	} while (now != 0);
	sys(SYS_write, 1, (long)&digits[n], (long)sizeof(digits) - n);
	sys(SYS_exit, 0, 0, 0);
}
