/*
 * What the VM host tests share (see vm_host.c): fake RAM with the page
 * allocator started on it, a simulated MMU that turns user accesses into
 * translations through the stub pmap and, on a miss, calls to vm_fault(),
 * counter deltas, the end-of-test leak check, and the gate for scenarios
 * that hit known bugs in vm/.
 */
#ifndef TESTS_HOST_VM_HOST_H
#define TESTS_HOST_VM_HOST_H

#include "vm/vm.h"
#include "vm/vm_map.h"
#include "vm/vm_meter.h"

#define VM_HOST_RAM_BASE	0x80000000UL

void vm_host_startup(size_t npages);
uint64_t vm_host_baseline(void);
void vm_host_assert_clean(void);

int user_read(struct vmspace *vm, vaddr_t va, uint8_t *byte);
int user_write(struct vmspace *vm, vaddr_t va, uint8_t byte);
int user_read_page(struct vmspace *vm, vaddr_t va, uint8_t *buf);

void vm_meter_delta(const struct vmmeter *before, struct vmmeter *delta);

/*
 * Known bugs in vm/ (described where vm_host.c lists them).  A test that
 * would hit one calls skip_unless_fixed() first: it is skipped unless the
 * environment variable VM_TEST_FIXED names the bug (a comma-separated
 * list, or "all").  Once a bug is fixed, drop its gate.
 */
#define BUG_MERGE_RELINK	"merge-relink"
#define BUG_CHAIN_GROWTH	"chain-growth"
#define BUG_COW_STALE_SHARED	"cow-stale-shared"
#define BUG_SHARE_THEN_COPY	"share-then-copy"
#define BUG_MADVISE_HOLES	"madvise-holes"

bool bug_fixed(const char *bug);
void skip_unless_fixed(const char *bug);

#endif
