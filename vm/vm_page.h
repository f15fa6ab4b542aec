/*
 * The physical page: one struct vm_page for every page of RAM the device
 * tree reports, including the ones the kernel can never allocate (firmware,
 * kernel image, DTB), which are marked PG_RESERVED.
 *
 * Lock legend:
 *   (f) vm_page_free_lock
 *   (k) kmalloc's bucket lock, while the page is a kmalloc slab
 *   (c) constant after vm_page_startup()
 */
#ifndef VM_VM_PAGE_H
#define VM_VM_PAGE_H

#include "kern/list.h"
#include "vm/vm_param.h"

/* flags */
#define PG_FREE		0x0001	/* (f) on the free list */
#define PG_RESERVED	0x0002	/* (c) never allocatable */
#define PG_ZERO		0x0004	/* (f) known to be all zeros */
#define PG_SLAB		0x0008	/* (k) a kmalloc slab page */
#define PG_KMEM_LARGE	0x0010	/* (k) first page of a large kmalloc block */

struct vm_page {
	struct list pageq;		/* (f) free list link; queue link later */
	paddr_t phys_addr;		/* (c) */
	uint32_t flags;
	union {
		struct {		/* PG_SLAB */
			void *freelist;	/* (k) free chunks in this page */
			uint16_t nfree;	/* (k) */
			uint16_t bucket; /* (k) index into kmalloc's buckets */
		} slab;
		uint64_t kmem_npages;	/* PG_KMEM_LARGE: block length */
	} u;
};

/* Counters of the page allocator, in pages.  (f) */
struct vm_page_stats {
	uint64_t v_page_count;		/* pages with a vm_page */
	uint64_t v_free_count;		/* pages on the free list */
	uint64_t v_reserved_count;	/* firmware, kernel image, DTB, boot data */
};

extern struct vm_page_stats vm_page_stats;

/* vm_page_alloc_nobj flags */
#define VM_ALLOC_ZERO	0x1	/* return a zero-filled page */

struct physmem;

void vm_page_startup(struct physmem *pm);
struct vm_page *vm_page_alloc_nobj(int flags);
struct vm_page *vm_page_alloc_contig_nobj(size_t npages, int flags);
void vm_page_free(struct vm_page *m);
void vm_page_free_contig(struct vm_page *m, size_t npages);
struct vm_page *PHYS_TO_VM_PAGE(paddr_t pa);
uint64_t vm_page_free_count(void);

static inline paddr_t
VM_PAGE_TO_PHYS(const struct vm_page *m)
{
	return m->phys_addr;
}

#endif
