/*
 * System calls: the Linux riscv64 convention.  The number is in a7, the
 * arguments in a0-a5; the result, or -errno, goes back in a0.  Numbers
 * are Linux's (asm-generic/unistd.h).  VMK_SYS_SYSCTL is this kernel's
 * own, outside Linux's range, and shared with userland through
 * userland/include/vmk.h.
 *
 * Every sys_NAME is declared here from its line in syscalls.def, with
 * the argument types that line gives.
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include "kern/types.h"

struct trapframe;

/*
 * SYSCALLn(nr, name, type1, arg1, ...) from syscalls.def expands to
 * SYSCALL(nr, name, params, args): params is the parenthesized parameter
 * list of sys_NAME; args is its argument list taken from the raw
 * registers a[0]..a[5], each converted to its declared type.  Each user
 * of the table defines SYSCALL before including syscalls.def.
 */
#define SYSCALL0(nr, name)						\
	SYSCALL(nr, name, (void), ())
#define SYSCALL1(nr, name, t1, a1)					\
	SYSCALL(nr, name, (t1 a1), ((t1)a[0]))
#define SYSCALL2(nr, name, t1, a1, t2, a2)				\
	SYSCALL(nr, name, (t1 a1, t2 a2), ((t1)a[0], (t2)a[1]))
#define SYSCALL3(nr, name, t1, a1, t2, a2, t3, a3)			\
	SYSCALL(nr, name, (t1 a1, t2 a2, t3 a3),			\
	    ((t1)a[0], (t2)a[1], (t3)a[2]))
#define SYSCALL4(nr, name, t1, a1, t2, a2, t3, a3, t4, a4)		\
	SYSCALL(nr, name, (t1 a1, t2 a2, t3 a3, t4 a4),			\
	    ((t1)a[0], (t2)a[1], (t3)a[2], (t4)a[3]))
#define SYSCALL5(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)	\
	SYSCALL(nr, name, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5),		\
	    ((t1)a[0], (t2)a[1], (t3)a[2], (t4)a[3], (t5)a[4]))
#define SYSCALL6(nr, name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	SYSCALL(nr, name, (t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6),	\
	    ((t1)a[0], (t2)a[1], (t3)a[2], (t4)a[3], (t5)a[4], (t6)a[5]))

#define SYSCALL(nr, name, params, args)	int64_t sys_##name params;
#include "kern/syscalls.def"
#undef SYSCALL

/* Each call's number, SYS_name, for the kernel's own use of one. */
enum {
#define SYSCALL(nr, name, params, args)	SYS_##name = nr,
#include "kern/syscalls.def"
#undef SYSCALL
};

/* A table entry: the call's name, and its wrapper over the raw a0-a5. */
struct syscall_entry {
	const char *name;
	int64_t (*fn)(const uint64_t a[6]);
};

#define SYSCALL_MAX	1100

/* Returned by calls that set all of a0 themselves (sigreturn, execve). */
#define SYSCALL_NORETURN_VALUE	((int64_t)0x8000000000000000LL)

void syscall(struct trapframe *tf);
void syscall_restart(struct trapframe *tf, bool handler, bool sa_restart);
const char *syscall_name(unsigned nr);
uint64_t syscall_count(unsigned nr);

#endif
