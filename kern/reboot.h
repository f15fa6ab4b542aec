/*
 * Halting.  The status reaches the host as QEMU's exit status (through the
 * virt board's test finisher), which is how the test runner learns that a
 * run passed, failed or panicked.
 */
#ifndef KERN_REBOOT_H
#define KERN_REBOOT_H

#include "kern/types.h"

#define EXIT_OK			0
#define EXIT_TESTS_FAILED	1
#define EXIT_PANIC		3

bool panicking(void);
__noreturn void kern_halt(int status);
__noreturn void kern_reboot(void);

#endif
