/*
 * Machine-dependent services for kern/: halting, probing memory safely,
 * backtraces.
 */
#ifndef MACHINE_MACHDEP_H
#define MACHINE_MACHDEP_H

#include "kern/types.h"
#include "machine/pcpu.h"

struct trapframe;
struct platform;
struct thread;

__noreturn void cpu_halt(int status);
__noreturn void cpu_reboot(void);
void machdep_attach_finisher(const struct platform *plat);

/* Fault-catching accessors: 0, or EFAULT if the access trapped. */
int probe_load64(const volatile uint64_t *addr, uint64_t *val);
int probe_store64(volatile uint64_t *addr, uint64_t val);
int probe_exec(void (*fn)(void));

/* Several harts (mp_machdep.c). */
void mp_start_harts(const struct platform *plat, paddr_t kernel_pa, int limit);
void cpu_send_ipi(cpumask_t cpus);
void cpu_remote_sfence(cpumask_t cpus, vaddr_t va, size_t size);

void db_backtrace(uint64_t pc, uint64_t ra, uint64_t fp, uint64_t sp);
int db_stack_save(uint64_t *pcs, int max);
void db_stack_print(const uint64_t *pcs, int n);
__noreturn void trap_fatal(struct trapframe *tf, const char *why);

/*
 * User FP registers are saved lazily (trap.c): the running thread td's,
 * live in this hart since its trap from user mode, go to td_fpstate if
 * the program changed them, before anything reads td_fpstate or another
 * thread may use the hart's.
 */
void fpu_sync(struct thread *td);

#endif
