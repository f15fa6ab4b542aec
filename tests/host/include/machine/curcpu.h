/*
 * Host tests: who and where we are (tests/host/kernel_host.c), in place
 * of the kernel's tp-based inlines (arch/riscv/include/machine/curcpu.h).
 */
#ifndef MACHINE_CURCPU_H
#define MACHINE_CURCPU_H

#include <stdint.h>

struct thread;
struct vmmeter;

int curcpu_id(void);
struct vmmeter *curcpu_meter(void);
struct thread *curthread(void);	/* the one host thread (td_proc settable) */
uintptr_t curthread_id(void);

#endif
