/*
 * The kernel's own symbol table, linked into the image (scripts/ksyms.sh
 * generates it from the first link) so backtraces can name functions.
 */
#ifndef KERN_KSYMS_H
#define KERN_KSYMS_H

#include "kern/types.h"

const char *ksym_lookup(uint64_t addr, uint64_t *offset);
uint64_t ksym_address(const char *name);
bool ksym_is_text(uint64_t addr);

#endif
