/*
 * The page-fault handler and its tunables.
 */
#ifndef VM_VM_FAULT_H
#define VM_VM_FAULT_H

#include "vm/vm.h"

/* Tunables (exported through sysctl); read without locks on each fault. */
struct vm_fault_tunables {
	int prefault_behind;	/* pages to map behind the fault (0..16) */
	int prefault_ahead;	/* pages to map ahead of the fault (0..16) */
	bool prefault_zero;	/* zero-fill anonymous pages ahead of a fault */
	int prefault_upgrade;	/* write fault-around: read-only neighbours
				   made writable each way (0..64, 0 off) */
	bool cow_rename;	/* rename instead of copy when allowed */
	bool fast_fault;	/* map a resident first-object page without
				   busying it (the object lock suffices) */
	int read_ahead;		/* most pages a pager fault reads ahead
				   (0..VM_CLUSTER_MAX - 1) */
	int prefault_exec;	/* most used pages exec maps of each
				   read-only segment (0 off) */
};

#define VM_PREFAULT_MAX	16
/* An entry's pf_window after fork copied it into a child: its faults map
 * nothing around them until one comes near the last (vm_fault.c). */
#define VM_PREFAULT_COLD	UINT8_MAX
#define VM_PREFAULT_UPGRADE_MAX	64
#define VM_PREFAULT_EXEC_MAX	1024
/* A pager fault's read cluster: at most one disk request of page
 * segments (BLK_MAX_SEGS), the page and its neighbours. */
#define VM_CLUSTER_MAX		16
#define VM_CLUSTER_INIT		4	/* read around a non-sequential fault */

extern struct vm_fault_tunables vm_fault_tunables;

int vm_fault(struct vm_map *map, vaddr_t va, vm_prot_t fault_type);
void vm_fault_prefault_segment(struct vm_map *map, vaddr_t start, vaddr_t end);

#endif
