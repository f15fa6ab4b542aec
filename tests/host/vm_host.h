/*
 * What the VM host tests share (see vm_host.c): fake RAM with the page
 * allocator started on it, a simulated MMU that turns user accesses into
 * translations through the stub pmap and, on a miss, calls to vm_fault(),
 * counter deltas, a swap RAM disk and the end-of-test leak check.
 */
#ifndef TESTS_HOST_VM_HOST_H
#define TESTS_HOST_VM_HOST_H

#include "vm/vm.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"

#define VM_HOST_RAM_BASE	0x80000000UL
#define VM_HOST_UBASE		0x10000000UL	/* vm_host_space's memory */
#define VM_HOST_UMAX		0x4000000000UL	/* top of its user range */

struct blkdev;

void vm_host_startup(size_t npages);
void vm_host_set_baseline(void);
struct vmspace *vm_host_space(int npages);
void vm_host_assert_clean(void);
void vm_host_hoard(void);
void vm_host_unhoard_pages(size_t n);
void vm_host_unhoard_chunks(void);
void vm_host_unhoard(void);
struct blkdev *vm_host_swap_attach(size_t nslots);
void vm_host_swap_detach(struct blkdev *bd);
void vm_host_fork_at_next_io(struct vmspace *vm);
struct vmspace *vm_host_io_forked(void);

int user_read(struct vmspace *vm, vaddr_t va, uint8_t *byte);
int user_write(struct vmspace *vm, vaddr_t va, uint8_t byte);
int user_read_page(struct vmspace *vm, vaddr_t va, uint8_t *buf);

void vm_meter_delta(const struct vmmeter *before, struct vmmeter *delta);

#endif
