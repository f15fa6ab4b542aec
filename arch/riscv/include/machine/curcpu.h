/*
 * Who and where we are: the running hart's index and thread, read through
 * tp (see machine/pcpu.h).  Inline because every lock, counter and trap
 * asks; out-of-line calls cost the fault path some 150 instructions.
 * The host tests give their own (tests/host/include/machine/curcpu.h).
 */
#ifndef MACHINE_CURCPU_H
#define MACHINE_CURCPU_H

#include "machine/pcpu.h"

/* Dense index of the hart we run on (0 = boot hart). */
static inline int
curcpu_id(void)
{
	return curpcpu()->pc_cpuid;
}

/* The running thread; NULL only early in boot. */
static inline struct thread *
curthread(void)
{
	return curpcpu()->pc_curthread;
}

/* The running hart's counters (vm_meter.h's VM_CNT_ADD). */
static inline struct vmmeter *
curcpu_meter(void)
{
	return curpcpu()->pc_meter;
}

/* A nonzero, 8-aligned value that identifies the running thread. */
static inline uintptr_t
curthread_id(void)
{
	return (uintptr_t)curthread();
}

#endif
