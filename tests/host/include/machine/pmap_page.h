/* The host tests' page zeroing and copying (kernel_host.c). */
#ifndef MACHINE_PMAP_PAGE_H
#define MACHINE_PMAP_PAGE_H

struct vm_page;

void pmap_zero_page(struct vm_page *m);
void pmap_copy_page(struct vm_page *src, struct vm_page *dst);

#endif
