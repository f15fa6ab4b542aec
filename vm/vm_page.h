/*
 * The physical page: one struct vm_page for every page of RAM the device
 * tree reports, including the ones the kernel can never allocate (firmware,
 * kernel image, DTB), which are marked PG_RESERVED.
 *
 * A page in use belongs to at most one VM object, at one index; it is then
 * on the object's page list and in the object's radix trie (vm_radix.h).
 *
 * Lock legend:
 *   (f) vm_page_queue_lock: free/active/inactive queues, PG_FREE, counts
 *   (o) the owning object's lock
 *   (p) the pmap layer's pv lock of the page (pv_list); the first mapping
 *       of a page mapped nowhere is recorded under its object's lock alone
 *       (pmap_user.c's pv_alone: every pv list walker holds that lock too)
 *   (k) kmalloc's lock, while the page is a kmalloc slab
 *   (c) constant after vm_page_startup()
 *   (b) the holder of PG_BUSY
 *   (a) atomic: changed only with the vm_page_aflag_* operations, by
 *       anyone who may touch the page (the pmap sets them from a PTE's
 *       A and D bits holding only its own lock)
 */
#ifndef VM_VM_PAGE_H
#define VM_VM_PAGE_H

#include "kern/list.h"
#include "vm/vm.h"
#include "vm/vm_param.h"

/* flags */
#define PG_FREE		0x0001	/* (f) on the free queue */
#define PG_RESERVED	0x0002	/* (c) never allocatable */
#define PG_SLAB		0x0008	/* (k) a kmalloc slab page */
#define PG_KMEM_LARGE	0x0010	/* (k) first page of a large kmalloc block */
#define PG_BUSY		0x0020	/* (o) being filled, copied or moved */
#define PG_WANTED	0x0040	/* (o) someone sleeps until !PG_BUSY */
#define PG_VALID	0x0080	/* (o) contents are valid */

/* aflags */
#define PGA_DIRTY	0x01	/* modified since last cleaned */
#define PGA_REFERENCED	0x02	/* recently used (the pmap's A bit, handed
				   on when a mapping goes) */

/*
 * One user mapping of a page (va in pv_pmap), on the page's pv_list: the
 * reverse map the pmap keeps (pmap.h).  Every page holds one, pv_own, for
 * its first mapping, so that a page mapped once (nearly all anonymous
 * memory) costs no allocation; further mappings take entries from the
 * pmap's allocator.  (p)
 */
struct pv_entry {
	struct list pv_link;		/* (p) on the page's pv_list */
	struct pmap *pv_pmap;		/* (p) NULL: a pv_own not in use */
	vaddr_t pv_va;			/* (p) */
};

/* queue */
#define PQ_NONE		0
#define PQ_FREE		1
#define PQ_ACTIVE	2
#define PQ_INACTIVE	3

struct vm_page {
	struct list pageq;		/* (f) queue link; slab list (k) */
	struct list listq;		/* (o) object's page list */
	struct vm_object *object;	/* (o) owner, NULL if none */
	vm_pindex_t pindex;		/* (o) index in owner */
	paddr_t phys_addr;		/* (c) */
	uint32_t flags;			/* (o), or (f)/(k)/(c) for the bits
					   so marked, while it has no object */
	uint32_t aflags;		/* (a) PGA_* */
	uint8_t queue;			/* (f) PQ_* */
	uint16_t hold_count;		/* (o) short-term holds: not freeable */
	uint16_t wire_count;		/* (o) wired mappings: not pageable */
	struct list pv_list;		/* (p) mappings of this page */
	struct pv_entry pv_own;		/* (p) the entry a mapping uses first */
	union {
		struct {		/* PG_SLAB */
			void *freelist;	/* (k) free chunks in this page */
			uint16_t nfree;	/* (k) */
			uint16_t bucket; /* (k) index into kmalloc's buckets */
		} slab;
		uint64_t kmem_npages;	/* PG_KMEM_LARGE: block length */
		struct {		/* a user page-table page (the
					   pmap's legend) */
			uint64_t valid;	/* valid entries */
			uint64_t groups; /* bit g: entries 8g..8g+7 may be
					   valid (only a free clears it) */
		} pt;
		uint64_t words[2];	/* the whole union, to clear it with
					   two stores (GCC calls memset) */
	} u;
};

/* Counters of the page allocator, in pages.  (f) */
struct vm_page_stats {
	uint64_t v_page_count;		/* pages with a vm_page */
	uint64_t v_free_count;		/* pages on the free queue */
	uint64_t v_reserved_count;	/* firmware, kernel image, DTB, boot data */
	uint64_t v_active_count;	/* object pages on the active queue */
	uint64_t v_inactive_count;	/* object pages on the inactive queue */
	uint64_t v_wire_count;		/* pages with wire_count > 0 */
};

extern struct vm_page_stats vm_page_stats;

/*
 * Free-page thresholds, in pages, as FreeBSD names them (tunables
 * vm.v_free_reserved, ...; set at boot from the amount of RAM).  Pages for
 * objects (user memory, the page cache) are not allocated once the free
 * count is down to v_free_reserved: the rest is the kernel's (kmalloc,
 * page tables, kernel stacks) and the page daemon's.  Below v_free_min
 * the page daemon runs, until v_free_target pages are free and at least
 * v_inactive_target pages are inactive.  (f)
 */
struct vm_page_thresholds {
	uint64_t v_free_reserved;
	uint64_t v_free_min;
	uint64_t v_free_target;
	uint64_t v_inactive_target;
};

extern struct vm_page_thresholds vm_page_thresholds;

/* allocation flags */
#define VM_ALLOC_ZERO	0x1	/* return a zero-filled page */
#define VM_ALLOC_SYSTEM	0x2	/* may use the reserve (object pages only:
				   pages outside objects always may) */
#define VM_ALLOC_NOBUSY	0x4	/* vm_page_alloc_at: not busy (the caller
				   holds the object lock until the page is
				   whole and valid) */

struct physmem;

void vm_page_startup(struct physmem *pm);
struct vm_page *vm_page_alloc_nobj(int flags);
struct vm_page *vm_page_alloc_contig_nobj(size_t npages, int flags);
void vm_page_free(struct vm_page *m);
void vm_page_free_contig(struct vm_page *m, size_t npages);
struct vm_page *vm_page_of_phys_slow(paddr_t pa);

/* A RAM segment and the vm_page array that describes it. */
struct vm_page_seg {
	paddr_t start;
	paddr_t end;
	struct vm_page *pages;
	size_t free_hint;	/* no page below this index is free (free lock) */
};

extern struct vm_page_seg vm_page_segs[];

/*
 * The vm_page of a physical address in RAM; NULL for any other address.
 * Inline for the first segment (all of RAM on QEMU's virt board): pmap
 * loops call it for every mapping they touch.
 */
static inline struct vm_page *
PHYS_TO_VM_PAGE(paddr_t pa)
{
	const struct vm_page_seg *seg = &vm_page_segs[0];

	if (pa - seg->start < seg->end - seg->start)
		return &seg->pages[atop(pa - seg->start)];
	return vm_page_of_phys_slow(pa);
}
static inline void
vm_page_aflag_set(struct vm_page *m, uint32_t bits)
{
	__atomic_fetch_or(&m->aflags, bits, __ATOMIC_RELAXED);
}

static inline void
vm_page_aflag_clear(struct vm_page *m, uint32_t bits)
{
	__atomic_fetch_and(&m->aflags, ~bits, __ATOMIC_RELAXED);
}

static inline bool
vm_page_aflag_test(const struct vm_page *m, uint32_t bits)
{
	return (__atomic_load_n(&m->aflags, __ATOMIC_RELAXED) & bits) != 0;
}

uint64_t vm_page_free_count(void);
bool vm_page_count_min(void);
/* vm_wait's sleep message: vm.vmtotal counts such sleepers apart. */
#define VM_WAIT_WMESG	"vmwait"
int vm_wait(bool intr);
void vm_page_wakeup_free_waiters(void);

struct vm_page *vm_page_alloc(struct vm_object *object, vm_pindex_t pindex,
    int flags);
struct vm_radix_cursor;
/* vm_page_lookup and vm_page_lookup_at are inline in vm_object.h. */
struct vm_page *vm_page_alloc_at(struct vm_object *object, vm_pindex_t pindex,
    int flags, struct vm_radix_cursor *c);
int vm_page_alloc_batch(struct vm_page **ma, int n);
int vm_page_insert_zeroed(struct vm_page *m, struct vm_object *object,
    vm_pindex_t pindex, struct vm_radix_cursor *c);
int vm_page_rename_at(struct vm_page *m, struct vm_radix_cursor *mc,
    struct vm_object *new_object, vm_pindex_t new_pindex,
    struct vm_radix_cursor *nc);
void vm_page_remove(struct vm_page *m);
int vm_page_rename(struct vm_page *m, struct vm_object *new_object,
    vm_pindex_t new_pindex);
void vm_page_busy(struct vm_page *m);
void vm_page_wakeup(struct vm_page *m);
bool vm_page_sleep_if_busy(struct vm_page *m, const char *wmesg);
bool vm_page_sleep_if_busy_or_held(struct vm_page *m, const char *wmesg);
void vm_page_activate(struct vm_page *m);
void vm_page_deactivate(struct vm_page *m);
/* vm_page_scan_take results */
#define VM_SCAN_EMPTY	0
#define VM_SCAN_SKIP	1
#define VM_SCAN_PAGE	2

int vm_page_scan_take(uint8_t queue, struct vm_page **mp);
void vm_page_queue_barrier(void);
void vm_page_wire(struct vm_page *m);
void vm_page_unwire(struct vm_page *m);
void vm_page_hold(struct vm_page *m);
void vm_page_unhold(struct vm_page *m);

static inline paddr_t
VM_PAGE_TO_PHYS(const struct vm_page *m)
{
	return m->phys_addr;
}

#endif
