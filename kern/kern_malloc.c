/*
 * Kernel memory allocator for small objects.
 *
 * Requests up to KMEM_MAX_SMALL bytes come from power-of-two buckets
 * (16 .. 2048 bytes).  Each bucket carves whole pages ("slabs") into equal
 * chunks; a slab's bookkeeping lives in its struct vm_page, so a chunk's
 * header costs nothing and kfree() finds the slab from the address alone.
 * A slab whose chunks are all free goes back to the page allocator,
 * except one per bucket, kept for the next allocation: a fork and the
 * exit after it would otherwise make and break the same slab each time,
 * and carving a page into 32-byte chunks costs more than the fork's
 * other allocations together.  So kmalloc holds at most one idle page a
 * bucket; kmem_drain() gives those back too (for leak checks).  Larger
 * requests take physically contiguous pages.  All memory is addressed
 * through the direct map.
 *
 * kmalloc itself is inline (kernel.h): a request of a size known when it
 * is compiled goes straight to kmalloc_bucket with its bucket worked out;
 * any other goes through kmalloc_any.
 *
 * Locking: kmem_lock (a spin lock) protects every bucket and every slab's
 * vm_page fields.  kmalloc never sleeps, and never waits for the page
 * daemon: callers that can wait do so themselves (vm_wait); M_NOWAIT is
 * accepted for documentation.
 */
#include "kern/kernel.h"
#include "vm/vm_page.h"

#define KMEM_MAX_LARGE	(1UL << 30)	/* no request this big can succeed */

struct kmem_bucket {
	struct list slabs;	/* slabs with at least one free chunk */
	struct vm_page *idle;	/* the one slab kept with all chunks free
				   (on slabs too), or NULL */
	uint64_t nalloc;	/* chunks handed out, for statistics */
};

#define KMEM_BUCKET_INIT(b)	{ .slabs = LIST_HEAD_INIT(kmem_buckets[b].slabs) }

static struct kmem_bucket kmem_buckets[KMEM_NBUCKETS] = {
	KMEM_BUCKET_INIT(0), KMEM_BUCKET_INIT(1), KMEM_BUCKET_INIT(2),
	KMEM_BUCKET_INIT(3), KMEM_BUCKET_INIT(4), KMEM_BUCKET_INIT(5),
	KMEM_BUCKET_INIT(6), KMEM_BUCKET_INIT(7),
};
_Static_assert(KMEM_NBUCKETS == 8, "one initializer per bucket");
static struct spinlock kmem_lock = SPINLOCK_INIT("kmem");

static size_t
bucket_size(int b)
{
	return 1UL << (KMEM_MIN_SHIFT + b);
}

/* Carve a fresh page into chunks for bucket b.  Caller holds kmem_lock. */
static struct vm_page *
slab_create(int b)
{
	struct vm_page *m = vm_page_alloc_nobj(0);
	size_t csize = bucket_size(b);
	char *base;

	if (m == NULL)
		return NULL;
	base = (char *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	m->flags |= PG_SLAB;
	m->u.slab.bucket = (uint16_t)b;
	m->u.slab.nfree = (uint16_t)(PAGE_SIZE / csize);
	m->u.slab.freelist = NULL;
	for (size_t off = PAGE_SIZE; off >= csize; off -= csize) {
		*(void **)(base + off - csize) = m->u.slab.freelist;
		m->u.slab.freelist = base + off - csize;
	}
	list_insert_head(&kmem_buckets[b].slabs, &m->pageq);
	return m;
}

/*
 * A chunk from slab m of bucket bk (m has one free).  kmem_lock held on
 * entry; dropped before return.
 */
static inline __attribute__((always_inline)) void *
bucket_take(struct kmem_bucket *bk, struct vm_page *m)
{
	void *p;

	if (m == bk->idle)
		bk->idle = NULL;	/* in use again */
	p = m->u.slab.freelist;
	m->u.slab.freelist = *(void **)p;
	if (--m->u.slab.nfree == 0)
		list_remove(&m->pageq);
	bk->nalloc++;
	spin_unlock(&kmem_lock);
	return p;
}

/* kmalloc_bucket's slow path: the bucket is out of free chunks. */
static __attribute__((noinline)) void *
bucket_refill(int b)
{
	struct vm_page *m = slab_create(b);

	if (m == NULL) {
		spin_unlock(&kmem_lock);
		return NULL;
	}
	return bucket_take(&kmem_buckets[b], m);
}

/*
 * A chunk of bucket b (of bucket_size(b) bytes, not zeroed), or NULL if
 * memory is exhausted.  The fast path of kmalloc (kernel.h): a request of
 * a size known when it is compiled comes here with its bucket worked out.
 * Never sleeps.
 */
void *
kmalloc_bucket(int b)
{
	struct kmem_bucket *bk = &kmem_buckets[b];
	struct list *l;

	spin_lock(&kmem_lock);
	l = list_first(&bk->slabs);
	if (__builtin_expect(l == NULL, 0))
		return bucket_refill(b);
	return bucket_take(bk, container_of(l, struct vm_page, pageq));
}

/* Take the all-free slab m off its bucket, to be freed once kmem_lock is
 * dropped.  kmem_lock held. */
static void
slab_unlink(struct vm_page *m)
{
	list_remove(&m->pageq);
	m->flags &= ~PG_SLAB;
}

static void
kfree_small(struct vm_page *m, void *p)
{
	int b = m->u.slab.bucket;
	uint16_t per_slab = (uint16_t)(PAGE_SIZE / bucket_size(b));
	bool release = false;

	KASSERT(((uintptr_t)p & (bucket_size(b) - 1)) == 0,
	    "%p is not a chunk start", p);
	spin_lock(&kmem_lock);
	*(void **)p = m->u.slab.freelist;
	m->u.slab.freelist = p;
	if (m->u.slab.nfree++ == 0)
		list_insert_head(&kmem_buckets[b].slabs, &m->pageq);
	if (m->u.slab.nfree == per_slab) {
		if (kmem_buckets[b].idle == NULL) {
			kmem_buckets[b].idle = m;
		} else {
			slab_unlink(m);
			release = true;
		}
	}
	kmem_buckets[b].nalloc--;
	spin_unlock(&kmem_lock);
	if (release)
		vm_page_free(m);
}

/*
 * Give back the slabs kept idle (vfs_drain_caches calls it, so that a
 * leak check counts only memory in use).
 */
void
kmem_drain(void)
{
	for (int b = 0; b < KMEM_NBUCKETS; b++) {
		struct vm_page *m;

		spin_lock(&kmem_lock);
		m = kmem_buckets[b].idle;
		kmem_buckets[b].idle = NULL;
		if (m != NULL)
			slab_unlink(m);
		spin_unlock(&kmem_lock);
		if (m != NULL)
			vm_page_free(m);
	}
}

/*
 * kmalloc for any size (kernel.h): allocate size bytes, aligned to the
 * smaller of their power-of-two size and a page.  Returns NULL if memory
 * is exhausted, or size is 0 or absurdly large.  M_ZERO zeroes the memory.
 */
void *
kmalloc_any(size_t size, int flags)
{
	void *p;

	if (size == 0 || size > KMEM_MAX_LARGE)
		return NULL;
	if (size <= KMEM_MAX_SMALL) {
		p = kmalloc_bucket(KMEM_BUCKET(size));
	} else {
		size_t npages = atop(round_page(size));
		struct vm_page *m = vm_page_alloc_contig_nobj(npages, 0);

		if (m == NULL)
			return NULL;
		m->flags |= PG_KMEM_LARGE;
		m->u.kmem_npages = npages;
		p = (void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	}
	if (p != NULL && (flags & M_ZERO))
		memset(p, 0, size);
	return p;
}

/* Free memory from kmalloc.  kfree(NULL) does nothing. */
void
kfree(void *p)
{
	struct vm_page *m;

	if (p == NULL)
		return;
	m = PHYS_TO_VM_PAGE(DMAP_TO_PHYS((vaddr_t)p));
	KASSERT(m != NULL, "%p is not in the direct map", p);
	if (m->flags & PG_SLAB) {
		kfree_small(m, p);
		return;
	}
	KASSERT(m->flags & PG_KMEM_LARGE, "%p was not allocated by kmalloc", p);
	KASSERT(((uintptr_t)p & PAGE_MASK) == 0, "%p is not a block start", p);
	size_t npages = m->u.kmem_npages;

	m->flags &= ~PG_KMEM_LARGE;
	vm_page_free_contig(m, npages);
}
