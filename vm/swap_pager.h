/*
 * The swap pager: where anonymous pages go when memory runs short
 * (swap_pager.c).
 */
#ifndef VM_SWAP_PAGER_H
#define VM_SWAP_PAGER_H

#include "vm/vm.h"

struct blkdev;
struct vm_object;
struct vm_page;

#define SWAP_MAXDEV	4	/* swap devices at once */
#define SWAP_CLUSTER	16	/* most pages written in one I/O */

/* Totals over every device.  (s) */
struct swap_stats {
	uint64_t nslots;
	uint64_t used;
	int ndevs;
};

extern struct swap_stats swap_stats;

int swap_pager_swapon(struct blkdev *bd);
int swap_pager_swapoff(struct blkdev *bd);
bool swap_pager_avail(void);
bool swap_pager_is_device(const struct blkdev *bd);

bool swap_pager_haspage(struct vm_object *object, vm_pindex_t pindex);
int swap_pager_getpage(struct vm_object *object, struct vm_page *m);
int swap_pager_read_locked(struct vm_object *object, vm_pindex_t pindex,
    struct vm_page *n);
int swap_pager_pageout(struct vm_object *object, struct vm_page **ma, int n);
void swap_pager_freespace(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end);
void swap_pager_free_all(struct vm_object *object);
bool swap_pager_merge(struct vm_object *object, struct vm_object *backing);
bool swap_pager_fully_shadowed(struct vm_object *object,
    struct vm_object *backing);
uint64_t swap_pager_object_pages(struct vm_object *object);

#endif
