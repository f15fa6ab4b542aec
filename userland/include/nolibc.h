/*
 * For the few programs built without libc (tests/pie.c, bench/execprobe.c):
 * a raw Linux system call with up to three arguments, and the numbers
 * they use.
 */
#ifndef NOLIBC_H
#define NOLIBC_H

#define SYS_write	64
#define SYS_exit	93

static inline long
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

#endif
