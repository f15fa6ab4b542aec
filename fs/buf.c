/*
 * The metadata buffer cache (see buf.h).
 *
 * Buffers are found by (device, block number) through a hash table and
 * recycled least-recently-released first once the cache holds
 * BUF_MAX_CACHED of them.  A buffer's data comes from kmalloc, which is in
 * the direct map and physically contiguous, so it can go to the block
 * device directly.
 *
 * Locking: buf_cache_lock (a spin lock) guards the hash, the LRU list,
 * b_refs and b_lflags (B_BUSY/B_WANTED), and is the interlock for sleeping
 * on a busy buffer.  The B_BUSY holder owns the data and b_flags and may
 * sleep for I/O.
 */
#include "dev/blk.h"
#include "fs/buf.h"
#include "kern/kernel.h"

#define BUF_HASH	256
#define BUF_MAX_CACHED	512

static struct spinlock buf_cache_lock = SPINLOCK_INIT("bufcache");
static struct list buf_hash[BUF_HASH];
static struct list buf_lru = LIST_HEAD_INIT(buf_lru);
static bool buf_ready;
struct buf_stats buf_stats;

static struct list *
hash_of(struct blkdev *dev, uint64_t blkno)
{
	if (!buf_ready) {
		for (int i = 0; i < BUF_HASH; i++)
			list_init(&buf_hash[i]);
		buf_ready = true;
	}
	return &buf_hash[((uintptr_t)dev / 64 + blkno) % BUF_HASH];
}

/* Cached buffer for (dev, blkno, size), or NULL.  Cache lock held. */
static struct buf *
buf_lookup(struct blkdev *dev, uint64_t blkno, uint32_t size)
{
	struct list *h = hash_of(dev, blkno);

	for (struct list *l = h->next; l != h; l = l->next) {
		struct buf *bp = container_of(l, struct buf, b_hash);

		if (bp->b_dev == dev && bp->b_blkno == blkno && bp->b_size == size)
			return bp;
	}
	return NULL;
}

static int
buf_io(struct buf *bp, int op)
{
	return blk_io(bp->b_dev, op, bp->b_blkno * (bp->b_size / BLK_SECTOR_SIZE),
	    bp->b_data, bp->b_size);
}

/*
 * Drop a holder's B_BUSY and its hold on bp, waking whoever waits for it.
 * Cache lock held.  True if no holder is left.
 */
static bool
buf_unbusy_locked(struct buf *bp)
{
	bp->b_lflags &= ~B_BUSY;
	if (bp->b_lflags & B_WANTED) {
		bp->b_lflags &= ~B_WANTED;
		wakeup(bp);
	}
	return --bp->b_refs == 0;
}

/*
 * Free the least recently released idle buffer if the cache is full,
 * writing it first if dirty.  The victim stays in the hash, busy, while
 * it is written: a getblk of its block meanwhile waits for the write and
 * then keeps the buffer, instead of reading the block's old contents from
 * the disk and later writing them over the victim's (a bitmap's frees
 * were lost that way: blocks marked in use that no inode owned).  A
 * victim whose write fails stays cached, dirty.  Called without the
 * cache lock.
 */
static void
buf_evict_one(void)
{
	struct buf *victim = NULL;
	bool drop;

	spin_lock(&buf_cache_lock);
	if (buf_stats.cached >= BUF_MAX_CACHED) {
		for (struct list *l = buf_lru.next; l != &buf_lru; l = l->next) {
			struct buf *bp = container_of(l, struct buf, b_lru);

			if (bp->b_refs == 0) {
				victim = bp;
				victim->b_refs++;
				victim->b_lflags |= B_BUSY;
				break;
			}
		}
	}
	spin_unlock(&buf_cache_lock);
	if (victim == NULL)
		return;
	if ((victim->b_flags & B_DIRTY) && buf_io(victim, BLK_WRITE) == 0)
		victim->b_flags &= ~B_DIRTY;
	spin_lock(&buf_cache_lock);
	drop = buf_unbusy_locked(victim) && !(victim->b_flags & B_DIRTY);
	if (drop) {
		list_remove(&victim->b_lru);
		list_remove(&victim->b_hash);
		buf_stats.cached--;
		buf_stats.evictions++;
	}
	spin_unlock(&buf_cache_lock);
	if (drop) {
		kfree(victim->b_data);
		kfree(victim);
	}
}

/*
 * The buffer for (dev, blkno), locked for the caller, created (not yet
 * valid) if it was not cached.  NULL if memory is exhausted.
 */
static struct buf *
getblk(struct blkdev *dev, uint64_t blkno, uint32_t size)
{
	struct buf *bp, *fresh = NULL;

	for (;;) {
		spin_lock(&buf_cache_lock);
		bp = buf_lookup(dev, blkno, size);
		if (bp == NULL && fresh != NULL) {
			bp = fresh;
			fresh = NULL;
			list_insert_head(hash_of(dev, blkno), &bp->b_hash);
			list_insert_tail(&buf_lru, &bp->b_lru);
			buf_stats.cached++;
		}
		if (bp != NULL)
			break;
		spin_unlock(&buf_cache_lock);
		/* A miss: make room first (a hit must not pay for, or wait
		 * on, writing some other dirty buffer back). */
		buf_evict_one();
		fresh = kmalloc(sizeof(*fresh), M_ZERO);
		if (fresh != NULL)
			fresh->b_data = kmalloc(size, 0);
		if (fresh == NULL || fresh->b_data == NULL) {
			kfree(fresh);
			return NULL;
		}
		fresh->b_dev = dev;
		fresh->b_blkno = blkno;
		fresh->b_size = size;
	}
	bp->b_refs++;
	while (bp->b_lflags & B_BUSY) {
		bp->b_lflags |= B_WANTED;
		tsleep(bp, &buf_cache_lock, "bufwait");
	}
	bp->b_lflags |= B_BUSY;
	spin_unlock(&buf_cache_lock);
	if (fresh != NULL) {
		kfree(fresh->b_data);
		kfree(fresh);
	}
	return bp;
}

/*
 * Read block blkno (of `size` bytes) of dev into a locked buffer.
 * Returns 0 with *bpp set, ENOMEM, or the device's error (EIO, EINVAL for
 * a block beyond the device), with *bpp NULL.
 */
int
bread(struct blkdev *dev, uint64_t blkno, uint32_t size, struct buf **bpp)
{
	struct buf *bp = getblk(dev, blkno, size);
	int error;

	*bpp = NULL;
	if (bp == NULL)
		return ENOMEM;
	if (bp->b_flags & B_VALID) {
		__atomic_add_fetch(&buf_stats.hits, 1, __ATOMIC_RELAXED);
		*bpp = bp;
		return 0;
	}
	__atomic_add_fetch(&buf_stats.misses, 1, __ATOMIC_RELAXED);
	error = buf_io(bp, BLK_READ);
	if (error != 0) {
		brelse(bp);
		return error;
	}
	bp->b_flags |= B_VALID;
	*bpp = bp;
	return 0;
}

/* A locked buffer for a block about to be overwritten whole: zeroed. */
struct buf *
bget_zero(struct blkdev *dev, uint64_t blkno, uint32_t size)
{
	struct buf *bp = getblk(dev, blkno, size);

	if (bp != NULL) {
		memset(bp->b_data, 0, size);
		bp->b_flags |= B_VALID;
	}
	return bp;
}

/* Unlock bp; it stays cached.  An invalid buffer is dropped. */
void
brelse(struct buf *bp)
{
	bool drop;

	spin_lock(&buf_cache_lock);
	KASSERT(bp->b_lflags & B_BUSY, "buffer %lu not locked", bp->b_blkno);
	drop = buf_unbusy_locked(bp) && !(bp->b_flags & (B_VALID | B_DIRTY));
	if (drop) {
		list_remove(&bp->b_hash);
		list_remove(&bp->b_lru);
		buf_stats.cached--;
	} else {
		list_remove(&bp->b_lru);
		list_insert_tail(&buf_lru, &bp->b_lru);
	}
	spin_unlock(&buf_cache_lock);
	if (drop) {
		kfree(bp->b_data);
		kfree(bp);
	}
}

/* Write bp now and release it.  Returns 0 or the device's error. */
int
bwrite(struct buf *bp)
{
	int error = buf_io(bp, BLK_WRITE);

	if (error == 0) {
		bp->b_flags &= ~B_DIRTY;
		__atomic_add_fetch(&buf_stats.writes, 1, __ATOMIC_RELAXED);
	}
	brelse(bp);
	return error;
}

/* Mark bp dirty and release it; it is written later. */
void
bdwrite(struct buf *bp)
{
	bp->b_flags |= B_DIRTY;
	brelse(bp);
}

/*
 * Write every dirty buffer of dev, then flush the device's cache.
 * Returns 0 or the first error.
 */
int
bflush(struct blkdev *dev)
{
	int error = 0;

	for (;;) {
		struct buf *dirty = NULL;

		spin_lock(&buf_cache_lock);
		for (struct list *l = buf_lru.next; l != &buf_lru; l = l->next) {
			struct buf *bp = container_of(l, struct buf, b_lru);

			if (bp->b_dev == dev && (bp->b_flags & B_DIRTY)) {
				dirty = bp;
				break;
			}
		}
		spin_unlock(&buf_cache_lock);
		if (dirty == NULL)
			break;
		dirty = getblk(dev, dirty->b_blkno, dirty->b_size);
		if (dirty == NULL)
			return ENOMEM;
		if (dirty->b_flags & B_DIRTY) {
			int e = bwrite(dirty);

			if (error == 0)
				error = e;
			if (e != 0)
				break;
		} else {
			brelse(dirty);
		}
	}
	if (error == 0)
		error = blk_io(dev, BLK_FLUSH, 0, NULL, 0);
	return error;
}

/* Forget every idle, clean buffer of dev (after unmount). */
void
binval(struct blkdev *dev)
{
	for (;;) {
		struct buf *victim = NULL;

		spin_lock(&buf_cache_lock);
		for (struct list *l = buf_lru.next; l != &buf_lru; l = l->next) {
			struct buf *bp = container_of(l, struct buf, b_lru);

			if (bp->b_dev == dev && bp->b_refs == 0 &&
			    !(bp->b_flags & B_DIRTY)) {
				victim = bp;
				list_remove(&bp->b_lru);
				list_remove(&bp->b_hash);
				buf_stats.cached--;
				break;
			}
		}
		spin_unlock(&buf_cache_lock);
		if (victim == NULL)
			return;
		kfree(victim->b_data);
		kfree(victim);
	}
}

/*
 * Drop the cached copy of a block that was freed, dirty or not, so that
 * a stale metadata buffer can never be written over the block's next use
 * (which may be file data written around the cache).  Waits if the
 * buffer is in use.
 */
void
bforget(struct blkdev *dev, uint64_t blkno, uint32_t size)
{
	struct buf *bp;

	spin_lock(&buf_cache_lock);
	bp = buf_lookup(dev, blkno, size);
	spin_unlock(&buf_cache_lock);
	if (bp == NULL)
		return;
	bp = getblk(dev, blkno, size);
	if (bp != NULL) {
		bp->b_flags &= ~(B_VALID | B_DIRTY);
		brelse(bp);
	}
}
