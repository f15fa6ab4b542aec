/*
 * System calls: the Linux riscv64 convention.  The number is in a7, the
 * arguments in a0-a5; the result, or -errno, goes back in a0.  Numbers
 * are Linux's (asm-generic/unistd.h).  VMK_SYS_SYSCTL is this kernel's
 * own, outside Linux's range, and shared with userland through
 * userland/include/vmk.h.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include "kern/types.h"

struct trapframe;

typedef int64_t (*syscall_fn)(uint64_t a0, uint64_t a1, uint64_t a2,
    uint64_t a3, uint64_t a4, uint64_t a5);

struct syscall_entry {
	const char *name;
	syscall_fn fn;
};

#define SYSCALL_MAX	1100

/* Returned by calls that set all of a0 themselves (sigreturn, execve). */
#define SYSCALL_NORETURN_VALUE	((int64_t)0x8000000000000000LL)

void syscall(struct trapframe *tf);
const char *syscall_name(unsigned nr);
uint64_t syscall_count(unsigned nr);

#endif
