/*
 * Machine-independent VM parameters.  The page size and the direct map
 * come from the machine's vmparam.h (the host test build supplies its own).
 */
#ifndef VM_VM_PARAM_H
#define VM_VM_PARAM_H

#include "kern/types.h"
#include "machine/vmparam.h"

#define atop(x)		((uint64_t)(x) >> PAGE_SHIFT)
#define ptoa(x)		((uint64_t)(x) << PAGE_SHIFT)
#define trunc_page(x)	rounddown2((uint64_t)(x), PAGE_SIZE)
#define round_page(x)	roundup2((uint64_t)(x), PAGE_SIZE)

#endif
