/*
 * The swap pager: backing store for anonymous memory.
 *
 * Swap space is one or more block devices, each prepared by mkswap(8)
 * (Linux's format: page 0 is a header ending in "SWAPSPACE2"; pages 1..
 * hold swapped pages).  A slot is one page of swap space; slots are
 * numbered globally, device after device, from 1 (0 means "none").
 * Each device has a bitmap of slots in use, searched next-fit from a
 * cursor for runs of contiguous free slots, so that the page daemon can
 * write a cluster of up to SWAP_CLUSTER pages of one object in one I/O.
 *
 * An anonymous object records which of its pages are on swap in swap
 * blocks (FreeBSD's swblk idea): a block covers SWB_NPAGES consecutive
 * page indexes of one object and holds their slots.  Blocks are found by
 * (object, index) through one hash table, and each object lists its own
 * blocks for whole-object work (termination, collapse, truncation).
 *
 * A slot lives as long as it holds the only copy of its page's data, or
 * a clean copy of a resident page: it is freed when the page is written
 * again (the fault path calls swap_pager_freespace), when the object
 * dies or the range is discarded, and it moves up with the page, or is
 * freed, when collapse merges a backing object into its shadow (else a
 * dead COW copy would hold swap forever: the Mach swap leak).
 *
 * Lock legend:
 *   (s) swap_lock, a spin lock: devices' bitmaps and counters, the hash
 *       chains, swap_stats
 *   (o) the owning object's lock: a block's slots, the object's list
 *   (c) constant while the device or block exists
 * swap_lock is a leaf, taken inside object locks.  Swap I/O runs with no
 * lock held on busy pages, straight to and from the pages themselves (a
 * cluster is one transfer of one segment per page).
 */
#include "vm/swap_pager.h"
#include "dev/blk.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/list.h"
#include "kern/sysctl.h"
#include "userland/include/vmk.h"
#include "vm/pmap.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

#define SWB_NPAGES		16
#define SWAP_HASH_SIZE		4096	/* buckets (power of two) */
#define SECTORS_PER_PAGE	(PAGE_SIZE / BLK_SECTOR_SIZE)
#define SWAP_MAGIC		"SWAPSPACE2"
#define SWAP_MAGIC_OFF		(PAGE_SIZE - 10)

_Static_assert(SWAP_CLUSTER <= BLK_MAX_SEGS, "a cluster is one transfer");

struct swdev {
	struct blkdev *sw_bd;		/* (s) NULL: this entry is free */
	uint64_t sw_first;		/* (c) global number of slot 0 */
	uint64_t sw_nslots;		/* (c) */
	uint64_t *sw_bitmap;		/* (s) a set bit: slot in use */
	uint64_t sw_used;		/* (s) */
	uint64_t sw_cursor;		/* (s) where the next search starts */
	bool sw_closing;		/* (s) swapoff running: no new slots */
};

struct swblk {
	struct swblk *sb_hnext;		/* (s) hash chain */
	struct list sb_olink;		/* (o) on the object's sw_blocks */
	struct vm_object *sb_object;	/* (c) */
	vm_pindex_t sb_base;		/* (c) first index, SWB_NPAGES aligned */
	int sb_count;			/* (o) slots in use in sb_slots */
	uint64_t sb_slots[SWB_NPAGES];	/* (o) 0: none */
};

static struct spinlock swap_lock = SPINLOCK_INIT("swap");
static struct swdev swdevs[SWAP_MAXDEV];
static uint64_t swap_next_first = 1;	/* (s) numbers never reused */
static struct swblk *swap_hash[SWAP_HASH_SIZE];
struct swap_stats swap_stats;

/* --- slots ----------------------------------------------------------- */

static bool
slot_test(const struct swdev *sw, uint64_t i)
{
	return (sw->sw_bitmap[i / 64] >> (i % 64)) & 1;
}

static void
slot_set(struct swdev *sw, uint64_t i, bool used)
{
	if (used)
		sw->sw_bitmap[i / 64] |= 1ULL << (i % 64);
	else
		sw->sw_bitmap[i / 64] &= ~(1ULL << (i % 64));
}

/*
 * A run of up to n free slots on sw, next fit from the cursor: the first
 * free slot found and those that follow it.  Returns the run's length (0
 * if the device is full), its first device slot in *first.  swap_lock.
 */
static int
swdev_find_run(const struct swdev *sw, int n, uint64_t *first)
{
	for (uint64_t k = 0; k < sw->sw_nslots; k++) {
		uint64_t i = (sw->sw_cursor + k) % sw->sw_nslots;
		int len = 0;

		if (slot_test(sw, i))
			continue;
		while (len < n && i + len < sw->sw_nslots && !slot_test(sw, i + len))
			len++;
		*first = i;
		return len;
	}
	return 0;
}

/*
 * Allocate up to n contiguous slots on one device.  Returns how many (0
 * if swap is full or absent), the first global slot number in *slot.
 */
static int
swap_alloc(int n, uint64_t *slot)
{
	int got = 0;

	spin_lock(&swap_lock);
	for (int d = 0; d < SWAP_MAXDEV && got == 0; d++) {
		struct swdev *sw = &swdevs[d];
		uint64_t first = 0;

		if (sw->sw_bd == NULL || sw->sw_closing ||
		    sw->sw_used == sw->sw_nslots)
			continue;
		got = swdev_find_run(sw, n, &first);
		for (int i = 0; i < got; i++)
			slot_set(sw, first + i, true);
		sw->sw_used += got;
		sw->sw_cursor = (first + got) % sw->sw_nslots;
		swap_stats.used += got;
		*slot = sw->sw_first + first;
	}
	spin_unlock(&swap_lock);
	return got;
}

/* The device holding global slot number slot.  swap_lock held. */
static struct swdev *
swdev_of(uint64_t slot)
{
	for (int d = 0; d < SWAP_MAXDEV; d++) {
		struct swdev *sw = &swdevs[d];

		if (sw->sw_bd != NULL && slot >= sw->sw_first &&
		    slot - sw->sw_first < sw->sw_nslots)
			return sw;
	}
	panic("swdev_of: slot %lu on no device", slot);
}

static void
swap_free_slot(uint64_t slot)
{
	struct swdev *sw;

	spin_lock(&swap_lock);
	sw = swdev_of(slot);
	KASSERT(slot_test(sw, slot - sw->sw_first), "slot %lu not in use", slot);
	slot_set(sw, slot - sw->sw_first, false);
	sw->sw_used--;
	swap_stats.used--;
	spin_unlock(&swap_lock);
}

/* Is there free swap space at all?  Unlocked: a hint for the daemon. */
bool
swap_pager_avail(void)
{
	return swap_stats.used < swap_stats.nslots;
}

/* --- swap blocks ----------------------------------------------------- */

static struct swblk **
swap_bucket(const struct vm_object *object, vm_pindex_t base)
{
	uint64_t h = ((uintptr_t)object >> 6) * 0x9e3779b97f4a7c15ULL +
	    base / SWB_NPAGES;

	return &swap_hash[(h ^ (h >> 31)) & (SWAP_HASH_SIZE - 1)];
}

/*
 * object's block covering pindex, or NULL.  Object locked.  The object
 * remembers the last answer (swap_hint for the block at swap_hint_base,
 * NULL if there is none; kept true by swblk_get and swblk_free): faults,
 * prefault and the page daemon ask about neighbouring indexes many times
 * over, and the hint spares most of them the hash and swap_lock.
 */
static struct swblk *
swblk_lookup(struct vm_object *object, vm_pindex_t pindex)
{
	vm_pindex_t base = rounddown2(pindex, SWB_NPAGES);
	struct swblk *sb;

	VM_OBJECT_ASSERT_LOCKED(object);
	if (list_empty(&object->swap_blocks))
		return NULL;
	if (object->swap_hint_base == base)
		return object->swap_hint;
	spin_lock(&swap_lock);
	for (sb = *swap_bucket(object, base); sb != NULL; sb = sb->sb_hnext)
		if (sb->sb_object == object && sb->sb_base == base)
			break;
	spin_unlock(&swap_lock);
	object->swap_hint_base = base;
	object->swap_hint = sb;
	return sb;
}

/* object's block for pindex, made if need be.  NULL if out of memory. */
static struct swblk *
swblk_get(struct vm_object *object, vm_pindex_t pindex)
{
	struct swblk *sb = swblk_lookup(object, pindex), **bucket;

	if (sb != NULL)
		return sb;
	sb = kmalloc(sizeof(*sb), M_ZERO);
	if (sb == NULL)
		return NULL;
	sb->sb_object = object;
	sb->sb_base = rounddown2(pindex, SWB_NPAGES);
	list_insert_tail(&object->swap_blocks, &sb->sb_olink);
	object->swap_hint_base = sb->sb_base;
	object->swap_hint = sb;
	bucket = swap_bucket(object, sb->sb_base);
	spin_lock(&swap_lock);
	sb->sb_hnext = *bucket;
	*bucket = sb;
	spin_unlock(&swap_lock);
	return sb;
}

/* Unlink and free an empty block.  Object locked. */
static void
swblk_free(struct swblk *sb)
{
	struct swblk **pp = swap_bucket(sb->sb_object, sb->sb_base);

	KASSERT(sb->sb_count == 0, "block of %d slots freed", sb->sb_count);
	list_remove(&sb->sb_olink);
	if (sb->sb_object->swap_hint_base == sb->sb_base)
		sb->sb_object->swap_hint = NULL;
	spin_lock(&swap_lock);
	while (*pp != sb)
		pp = &(*pp)->sb_hnext;
	*pp = sb->sb_hnext;
	spin_unlock(&swap_lock);
	kfree(sb);
}

/* Record slot for pindex in object (0: forget it), freeing any old one. */
static void
swblk_set(struct vm_object *object, struct swblk *sb, vm_pindex_t pindex,
    uint64_t slot)
{
	uint64_t *p = &sb->sb_slots[pindex - sb->sb_base];

	if (*p != 0) {
		swap_free_slot(*p);
		sb->sb_count--;
		object->swap_pages--;
	}
	*p = slot;
	if (slot != 0) {
		sb->sb_count++;
		object->swap_pages++;
	}
	if (sb->sb_count == 0)
		swblk_free(sb);
}

/* The slot holding pindex of object, or 0.  Object locked. */
static uint64_t
swap_slot_of(struct vm_object *object, vm_pindex_t pindex)
{
	struct swblk *sb = swblk_lookup(object, pindex);

	return sb != NULL ? sb->sb_slots[pindex - sb->sb_base] : 0;
}

/* Does object hold pindex on swap?  Object locked. */
bool
swap_pager_haspage(struct vm_object *object, vm_pindex_t pindex)
{
	return swap_slot_of(object, pindex) != 0;
}

/* Pages of object on swap.  Object locked (or a snapshot for display). */
uint64_t
swap_pager_object_pages(struct vm_object *object)
{
	return object->swap_pages;
}

/*
 * Forget (and free) object's slots for indexes in [start, end): the data
 * there was rewritten or discarded.  Object locked.
 */
void
swap_pager_freespace(struct vm_object *object, vm_pindex_t start,
    vm_pindex_t end)
{
	struct list *l, *next;

	VM_OBJECT_ASSERT_LOCKED(object);
	if (object->swap_pages == 0)
		return;
	if (end - start == 1) {
		struct swblk *sb = swblk_lookup(object, start);

		if (sb != NULL && sb->sb_slots[start - sb->sb_base] != 0)
			swblk_set(object, sb, start, 0);
		return;
	}
	for (l = object->swap_blocks.next; l != &object->swap_blocks; l = next) {
		struct swblk *sb = container_of(l, struct swblk, sb_olink);

		next = l->next;
		for (int i = 0; i < SWB_NPAGES && sb->sb_count > 0; i++) {
			vm_pindex_t pindex = sb->sb_base + i;

			if (sb->sb_slots[i] != 0 && pindex >= start && pindex < end) {
				int left = sb->sb_count - 1;

				swblk_set(object, sb, pindex, 0);
				if (left == 0)
					break;	/* sb is gone */
			}
		}
	}
}

/* The object is dying: free every slot it holds.  Object locked. */
void
swap_pager_free_all(struct vm_object *object)
{
	swap_pager_freespace(object, 0, ~(vm_pindex_t)0);
	KASSERT(object->swap_pages == 0 && list_empty(&object->swap_blocks),
	    "object %p keeps %lu swap pages", object, object->swap_pages);
}

/*
 * Can object see through to its backing object's swapped page at
 * bpindex, i.e. does object have neither a page nor a slot of its own
 * there?  Returns the
 * index in object (>= 0) if so, -1 if object overrides it or does not
 * see it.  Both locked.
 */
static int64_t
shadow_sees(struct vm_object *object, vm_pindex_t bpindex)
{
	int64_t idx = vm_object_shadow_index(object, bpindex);

	if (idx < 0 || vm_page_lookup(object, (vm_pindex_t)idx) != NULL ||
	    swap_slot_of(object, (vm_pindex_t)idx) != 0)
		return -1;
	return idx;
}

/*
 * Does object override every page backing holds on swap, within the
 * window it sees?  (Part of the bypass test; both locked.)
 */
bool
swap_pager_fully_shadowed(struct vm_object *object, struct vm_object *backing)
{
	for (struct list *l = backing->swap_blocks.next;
	    l != &backing->swap_blocks; l = l->next) {
		struct swblk *sb = container_of(l, struct swblk, sb_olink);

		for (int i = 0; i < SWB_NPAGES; i++)
			if (sb->sb_slots[i] != 0 &&
			    shadow_sees(object, sb->sb_base + i) >= 0)
				return false;
	}
	return true;
}

/*
 * Collapse is merging backing into object (its only shadow): each of
 * backing's slots either moves up to the index object sees it at, or is
 * freed when object cannot see it, overrides it, or is about to receive
 * backing's resident copy of the same page.  Call before the pages move.
 * Both locked.  Moving is neutral for anyone looking (object saw the
 * slot through backing before), so running out of memory for a block
 * midway simply leaves the rest for the next collapse: returns false
 * then, and the caller keeps backing.
 */
bool
swap_pager_merge(struct vm_object *object, struct vm_object *backing)
{
	struct list *l;

	while ((l = list_first(&backing->swap_blocks)) != NULL) {
		struct swblk *sb = container_of(l, struct swblk, sb_olink);

		for (int i = 0; i < SWB_NPAGES && sb->sb_count > 0; i++) {
			vm_pindex_t bpindex = sb->sb_base + i;
			uint64_t slot = sb->sb_slots[i];
			int64_t idx;
			struct swblk *to;
			int left = sb->sb_count - 1;

			if (slot == 0)
				continue;
			idx = shadow_sees(object, bpindex);
			if (idx >= 0 && vm_page_lookup(backing, bpindex) == NULL) {
				to = swblk_get(object, (vm_pindex_t)idx);
				if (to == NULL)
					return false;
				sb->sb_slots[i] = 0;	/* hand it over unfreed */
				sb->sb_count--;
				backing->swap_pages--;
				swblk_set(object, to, (vm_pindex_t)idx, slot);
				if (left == 0)
					swblk_free(sb);
			} else {
				swblk_set(backing, sb, bpindex, 0);
			}
			if (left == 0)
				break;
		}
	}
	return true;
}

/* --- I/O -------------------------------------------------------------- */

/*
 * Read or write pages ma[0..n) (at most SWAP_CLUSTER) at global slots
 * slot.., which are on one device, in one transfer.
 */
static int
swap_io(int op, uint64_t slot, struct vm_page **ma, int n)
{
	struct blk_seg segs[SWAP_CLUSTER];
	struct blkdev *bd;
	uint64_t sector;

	spin_lock(&swap_lock);
	{
		struct swdev *sw = swdev_of(slot);

		bd = sw->sw_bd;
		/* Device page 0 is the mkswap header. */
		sector = (slot - sw->sw_first + 1) * SECTORS_PER_PAGE;
	}
	spin_unlock(&swap_lock);
	for (int i = 0; i < n; i++)
		segs[i] = (struct blk_seg){
			(void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(ma[i])), PAGE_SIZE };
	return blk_iov(bd, op, sector, segs, n);
}

/*
 * The pages that follow m (ma[0], at slot) into the same read: the next
 * indexes of object that are not resident and whose slots follow slot on
 * its device, each allocated (busy) into ma[1..], while memory is not
 * short.  Returns the pages in ma (at least m).  Object locked.
 */
static int
swap_readahead(struct vm_object *object, struct vm_page **ma, uint64_t slot)
{
	vm_pindex_t pindex = ma[0]->pindex;
	uint64_t dev_end;
	int n = 1;

	if (vm_page_free_count() <= vm_page_thresholds.v_free_min)
		return 1;
	spin_lock(&swap_lock);
	{
		struct swdev *sw = swdev_of(slot);

		dev_end = sw->sw_first + sw->sw_nslots;
	}
	spin_unlock(&swap_lock);
	while (n < SWAP_CLUSTER && pindex + n < object->size &&
	    slot + n < dev_end && swap_slot_of(object, pindex + n) == slot + n &&
	    vm_page_lookup(object, pindex + n) == NULL &&
	    (ma[n] = vm_page_alloc(object, pindex + n, 0)) != NULL)
		n++;
	return n;
}

/*
 * Fill busy page m of anonymous object from its slot.  Called with the
 * object unlocked and referenced by the caller (the vm_pager getpage
 * contract); the slot cannot change while m is busy.  The slot is kept:
 * the page comes in clean, and is dropped again without a write unless
 * it is rewritten.
 *
 * When object's swap-ins come in index order (m is where the last read
 * ended), the pages after m come in with it, in the same transfer
 * (swap_readahead): a sequential reader then takes one I/O, and a few
 * faults that find the pages resident (prefault maps some), per
 * SWAP_CLUSTER pages, instead of an I/O and a fault per page.  Any other
 * order reads m alone, as a random reader would waste the rest.  The
 * read-ahead pages come in clean and valid, on the active queue like m.
 * KERN_SUCCESS or KERN_FAILURE (I/O error; the read-ahead pages are
 * freed again).
 */
int
swap_pager_getpage(struct vm_object *object, struct vm_page *m)
{
	struct vm_page *ma[SWAP_CLUSTER];
	uint64_t slot;
	int n = 1, error;

	ma[0] = m;
	vm_object_lock(object);
	slot = swap_slot_of(object, m->pindex);
	KASSERT(slot != 0, "page %lu of object %p not on swap", m->pindex,
	    object);
	if (m->pindex == object->swap_ra_next)
		n = swap_readahead(object, ma, slot);
	object->swap_ra_next = m->pindex + n;
	vm_object_unlock(object);
	error = swap_io(BLK_READ, slot, ma, n);
	if (error != 0)
		kprintf("swap_pager: read of %d pages at slot %lu failed (%d)\n",
		    n, slot, error);
	vm_page_aflag_clear(m, PGA_DIRTY);
	if (n > 1) {
		vm_object_lock(object);
		for (int i = 1; i < n; i++) {
			if (error != 0) {
				vm_page_free(ma[i]);	/* wakes any waiter */
				continue;
			}
			ma[i]->flags |= PG_VALID;
			vm_page_aflag_clear(ma[i], PGA_DIRTY);
			vm_page_wakeup(ma[i]);
		}
		vm_object_unlock(object);
	}
	if (error != 0)
		return KERN_FAILURE;
	VM_CNT_INC(v_swapin);
	VM_CNT_ADD(v_swappgsin, n);
	return KERN_SUCCESS;
}

/*
 * Read object's swapped page at pindex into page n (not object's: a copy
 * is being made), with object locked throughout.  KERN_SUCCESS or
 * KERN_FAILURE.
 */
int
swap_pager_read_locked(struct vm_object *object, vm_pindex_t pindex,
    struct vm_page *n)
{
	uint64_t slot = swap_slot_of(object, pindex);

	KASSERT(slot != 0, "page %lu of object %p not on swap", pindex, object);
	if (swap_io(BLK_READ, slot, &n, 1) != 0)
		return KERN_FAILURE;
	VM_CNT_INC(v_swappgsin);
	return KERN_SUCCESS;
}

/*
 * A pageout of ma[0..n) to slots slot.. did not happen: free the slots,
 * and the blocks made for it that stayed empty.  Object locked.
 */
static void
swap_pageout_undo(struct vm_object *object, struct vm_page **ma, int n,
    uint64_t slot)
{
	for (int i = 0; i < n; i++) {
		struct swblk *sb = swblk_lookup(object, ma[i]->pindex);

		swap_free_slot(slot + i);
		if (sb != NULL && sb->sb_count == 0)
			swblk_free(sb);
	}
}

/*
 * Write the n busy, unmapped pages ma[] (consecutive indexes of object)
 * to swap, in one I/O if contiguous slots allow.  Object locked on entry
 * and on return, and referenced by the caller: it is unlocked during the
 * I/O.  Returns how many pages (a prefix of ma) went out; those are
 * clean, their slots recorded (replacing any stale ones).  0 if swap is
 * full or the write failed.
 */
int
swap_pager_pageout(struct vm_object *object, struct vm_page **ma, int n)
{
	uint64_t slot = 0;
	int got, error;

	VM_OBJECT_ASSERT_LOCKED(object);
	n = MIN(n, SWAP_CLUSTER);
	got = swap_alloc(n, &slot);
	if (got == 0)
		return 0;
	/* Blocks first: once the data is out there must be room to say so. */
	for (int i = 0; i < got; i++)
		if (swblk_get(object, ma[i]->pindex) == NULL) {
			swap_pageout_undo(object, ma, got, slot);
			return 0;
		}
	vm_object_unlock(object);
	error = swap_io(BLK_WRITE, slot, ma, got);
	vm_object_lock(object);
	if (error != 0) {
		kprintf("swap_pager: write of %d pages at slot %lu failed (%d)\n",
		    got, slot, error);
		swap_pageout_undo(object, ma, got, slot);
		return 0;
	}
	for (int i = 0; i < got; i++) {
		swblk_set(object, swblk_get(object, ma[i]->pindex),
		    ma[i]->pindex, slot + i);
		vm_page_aflag_clear(ma[i], PGA_DIRTY);
	}
	VM_CNT_INC(v_swapout);
	VM_CNT_ADD(v_swappgsout, got);
	return got;
}

/* --- devices ----------------------------------------------------------- */

/* Does bd carry mkswap's signature?  buf: one page of scratch. */
static bool
swap_signature_ok(struct blkdev *bd, uint8_t *buf)
{
	return blk_io(bd, BLK_READ, 0, buf, PAGE_SIZE) == 0 &&
	    memcmp(buf + SWAP_MAGIC_OFF, SWAP_MAGIC, 10) == 0;
}

/*
 * Start swapping to block device bd, which mkswap(8) prepared, holding
 * it (blkdev_hold) until swapoff.  Returns 0, EINVAL (no signature, too
 * small), EBUSY (swapped on already, mounted, or open for writing),
 * ENOMEM.
 */
int
swap_pager_swapon(struct blkdev *bd)
{
	uint64_t nslots = bd->nsectors / SECTORS_PER_PAGE;
	uint8_t *page;
	uint64_t *bitmap = NULL;
	int d, error = blkdev_hold(bd, "swap");

	if (error != 0)
		return error;
	page = kmalloc(PAGE_SIZE, 0);
	if (page == NULL)
		error = ENOMEM;
	else if (nslots < 2 || !swap_signature_ok(bd, page))
		error = EINVAL;
	kfree(page);
	nslots--;		/* the header page */
	if (error == 0 &&
	    (bitmap = kmalloc(((nslots + 63) / 64) * 8, M_ZERO)) == NULL)
		error = ENOMEM;
	if (error != 0) {
		blkdev_unhold(bd);
		return error;
	}
	spin_lock(&swap_lock);
	for (d = 0; d < SWAP_MAXDEV && swdevs[d].sw_bd != NULL; d++)
		;
	if (error == 0 && d == SWAP_MAXDEV)
		error = EPERM;	/* Linux: the maximum number of swap files */
	if (error == 0) {
		swdevs[d] = (struct swdev){
			.sw_bd = bd, .sw_first = swap_next_first,
			.sw_nslots = nslots, .sw_bitmap = bitmap,
		};
		swap_next_first += nslots;
		swap_stats.nslots += nslots;
		swap_stats.ndevs++;
	}
	spin_unlock(&swap_lock);
	if (error != 0) {
		kfree(bitmap);
		blkdev_unhold(bd);
		return error;
	}
	kprintf("swap: %s, %lu pages (%lu KiB)\n", bd->name, nslots,
	    nslots * (PAGE_SIZE / 1024));
	return 0;
}

/*
 * One object of sw's that holds slots on it, locked and referenced, or
 * NULL when none is left.  Found through the hash under swap_lock, whose
 * hold keeps the block's object alive (blocks go before their object),
 * and try-locked for that reason; a busy object is retried after a tick.
 */
static struct vm_object *
swapoff_next_object(struct swdev *sw)
{
	for (;;) {
		bool contended = false;

		spin_lock(&swap_lock);
		for (int b = 0; b < SWAP_HASH_SIZE; b++)
			for (struct swblk *sb = swap_hash[b]; sb != NULL;
			    sb = sb->sb_hnext) {
				struct vm_object *object = sb->sb_object;
				bool on_dev = false;

				for (int i = 0; i < SWB_NPAGES && !on_dev; i++)
					on_dev = sb->sb_slots[i] >= sw->sw_first &&
					    sb->sb_slots[i] - sw->sw_first < sw->sw_nslots;
				if (!on_dev)
					continue;
				if (!sx_try_xlock(&object->lock)) {
					contended = true;
					continue;
				}
				spin_unlock(&swap_lock);
				vm_object_reference_locked(object);
				return object;
			}
		spin_unlock(&swap_lock);
		if (!contended)
			return NULL;
		tsleep_timo(&swap_stats, NULL, "swapoff", 1);
	}
}

/*
 * Bring back every page object holds on sw: as dirty resident pages
 * (they have no other home now).  Object locked; the reads run with it
 * held (swapoff is rare).  0, EIO, EAGAIN when no page is free (the
 * caller waits for memory and comes back), or EBUSY for a busy page: a
 * fault may be reading it in from its slot with no lock held, so neither
 * the page nor the slot may be touched until it lands (the caller waits a
 * tick and comes back).
 */
static int
swapoff_object(struct swdev *sw, struct vm_object *object)
{
	struct list *l, *next;

	for (l = object->swap_blocks.next; l != &object->swap_blocks; l = next) {
		struct swblk *sb = container_of(l, struct swblk, sb_olink);

		next = l->next;
		for (int i = 0; i < SWB_NPAGES; i++) {
			uint64_t slot = sb->sb_slots[i];
			vm_pindex_t pindex = sb->sb_base + i;
			struct vm_page *m;
			int left = sb->sb_count - 1;

			if (slot < sw->sw_first || slot - sw->sw_first >= sw->sw_nslots)
				continue;
			m = vm_page_lookup(object, pindex);
			if (m != NULL && (m->flags & PG_BUSY))
				return EBUSY;
			if (m == NULL) {
				m = vm_page_alloc(object, pindex, 0);
				if (m == NULL)
					return EAGAIN;	/* wait, then look again */
				if (swap_io(BLK_READ, slot, &m, 1) != 0) {
					vm_page_free(m);
					return EIO;
				}
				m->flags |= PG_VALID;
				vm_page_wakeup(m);
			}
			vm_page_aflag_set(m, PGA_DIRTY);
			swblk_set(object, sb, pindex, 0);
			if (left == 0)
				break;	/* sb is gone */
		}
	}
	return 0;
}

/*
 * Stop swapping to bd: page everything it holds back in, then forget it.
 * Fails with ENOMEM, leaving bd in use, if memory (and the other swap
 * devices) cannot take what it holds; EINTR if a signal came while it
 * waited for memory (what came back in stays in).  EINVAL if bd is not
 * a swap device.
 */
int
swap_pager_swapoff(struct blkdev *bd)
{
	struct swdev *sw = NULL;
	struct vm_object *object;
	uint64_t room, *bitmap = NULL;
	int error = 0;

	spin_lock(&swap_lock);
	for (int d = 0; d < SWAP_MAXDEV; d++)
		if (swdevs[d].sw_bd == bd && !swdevs[d].sw_closing)
			sw = &swdevs[d];
	room = swap_stats.nslots - swap_stats.used;
	if (sw != NULL) {
		room -= sw->sw_nslots - sw->sw_used;
		room += vm_page_free_count() > vm_page_thresholds.v_free_target ?
		    vm_page_free_count() - vm_page_thresholds.v_free_target : 0;
		if (sw->sw_used > room)
			error = ENOMEM;
		else
			sw->sw_closing = true;
	}
	spin_unlock(&swap_lock);
	if (sw == NULL)
		return EINVAL;
	if (error != 0)
		return error;
	while (error == 0 && (object = swapoff_next_object(sw)) != NULL) {
		error = swapoff_object(sw, object);
		vm_object_unlock(object);
		vm_object_deallocate(object);
		if (error == EAGAIN)
			error = vm_wait(true);
		else if (error == EBUSY) {
			tsleep_timo(&swap_stats, NULL, "swapoff", 1);
			error = 0;
		}
	}
	spin_lock(&swap_lock);
	if (error == 0 && sw->sw_used == 0) {
		bitmap = sw->sw_bitmap;
		swap_stats.nslots -= sw->sw_nslots;
		swap_stats.ndevs--;
		memset(sw, 0, sizeof(*sw));
	} else {
		sw->sw_closing = false;
		if (error == 0)
			error = EBUSY;
	}
	spin_unlock(&swap_lock);
	kfree(bitmap);
	if (error == 0) {
		blkdev_unhold(bd);
		kprintf("swap: %s no longer in use\n", bd->name);
	}
	return error;
}

/* Is bd one of the swap devices? */
bool
swap_pager_is_device(const struct blkdev *bd)
{
	bool found = false;

	spin_lock(&swap_lock);
	for (int d = 0; d < SWAP_MAXDEV; d++)
		found |= swdevs[d].sw_bd == bd;
	spin_unlock(&swap_lock);
	return found;
}

/* vm.swap_info: a struct vmk_swapinfo for each swap device. */
static int64_t
swap_info_handler(const struct sysctl_node *node, struct sysctl_req *req)
{
	struct vmk_swapinfo info[SWAP_MAXDEV];
	int n = 0;

	(void)node;
	spin_lock(&swap_lock);
	for (int d = 0; d < SWAP_MAXDEV; d++) {
		struct swdev *sw = &swdevs[d];

		if (sw->sw_bd == NULL)
			continue;
		memset(&info[n], 0, sizeof(info[n]));
		kstrlcpy(info[n].name, sw->sw_bd->name, sizeof(info[n].name));
		info[n].nslots = sw->sw_nslots;
		info[n].used = sw->sw_used;
		n++;
	}
	spin_unlock(&swap_lock);
	return sysctl_out(req, info, n * sizeof(info[0]));
}

SYSCTL_PROC(swap_info, "vm.swap_info", CTLTYPE_RECORDS, CTLFLAG_RD,
    swap_info_handler, 0, "swap devices: struct vmk_swapinfo[]");
SYSCTL_U64(swap_total, "vm.swap_total", CTLFLAG_RD, &swap_stats.nslots,
    "pages of swap space");
SYSCTL_U64(swap_used, "vm.swap_used", CTLFLAG_RD, &swap_stats.used,
    "pages of swap space in use");
