/*
 * The machine-independent interface to the machine-dependent physical map.
 * This header is all that vm/ knows of page tables.
 */
#ifndef VM_PMAP_H
#define VM_PMAP_H

#include "vm/vm_param.h"

struct vm_page;

void pmap_zero_page(struct vm_page *m);
void pmap_copy_page(struct vm_page *src, struct vm_page *dst);

#endif
