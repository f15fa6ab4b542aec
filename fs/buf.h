/*
 * The buffer cache: file-system metadata (superblock, group descriptors,
 * bitmaps, inode tables, directory and indirect blocks) in fixed-size
 * blocks.  File data does not come through here; it lives in the vnode's
 * VM object (see vm/vnode_pager.c).
 *
 * bread() returns a buffer locked for the caller alone; brelse() unlocks
 * it.  A modified buffer is written with bwrite() (now) or bdwrite()
 * (marked dirty, written by bflush() or when it is evicted).
 *
 * Lock legend: (c) buf_cache_lock; (b) the buffer's owner (B_BUSY holder).
 */
#ifndef FS_BUF_H
#define FS_BUF_H

#include "kern/list.h"
#include "kern/types.h"

struct blkdev;

/* b_lflags, (c): the cache lock's word. */
#define B_BUSY		0x01	/* locked by an owner */
#define B_WANTED	0x02	/* someone sleeps until !B_BUSY */
/* b_flags, (b): the owner's word.  Two words, because the owner sets
 * B_DIRTY without the cache lock while a waiter sets B_WANTED under it:
 * in one word, either update could undo the other. */
#define B_VALID		0x01	/* data holds the block */
#define B_DIRTY		0x02	/* data must be written back */

struct buf {
	struct list b_hash;		/* (c) hash chain */
	struct list b_lru;		/* (c) least recently released first */
	struct blkdev *b_dev;		/* (c) */
	uint64_t b_blkno;		/* (c) in units of b_size */
	uint32_t b_size;		/* (c) */
	uint16_t b_lflags;		/* (c) B_BUSY, B_WANTED */
	uint16_t b_flags;		/* (b) B_VALID, B_DIRTY */
	int b_refs;			/* (c) holders, busy or waiting */
	uint8_t *b_data;		/* (b) */
};

int bread(struct blkdev *dev, uint64_t blkno, uint32_t size, struct buf **bpp);
struct buf *bget_zero(struct blkdev *dev, uint64_t blkno, uint32_t size);
void brelse(struct buf *bp);
int bwrite(struct buf *bp);
void bdwrite(struct buf *bp);
int bflush(struct blkdev *dev);
void binval(struct blkdev *dev);
void bforget(struct blkdev *dev, uint64_t blkno, uint32_t size);

/* Statistics, for sysctl and tests: cached (c), the others atomic. */
struct buf_stats {
	uint64_t hits, misses, writes, evictions, cached;
};
extern struct buf_stats buf_stats;

#endif
