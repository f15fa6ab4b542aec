/*
 * Device interrupt registration.  Handlers run in interrupt context with
 * interrupts disabled on this hart; they must not sleep.
 */
#ifndef KERN_INTR_H
#define KERN_INTR_H

#include "kern/types.h"

typedef void (*intr_handler_t)(void *arg);

int intr_establish(uint32_t irq, const char *name, intr_handler_t fn, void *arg);
uint64_t intr_count(uint32_t irq);

#endif
