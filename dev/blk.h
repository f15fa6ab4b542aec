/*
 * Block devices: what file systems read and write.  Devices register
 * under Linux-style names in attach order (vda, vdb, ...).  Transfers are
 * in 512-byte sectors, to or from buffers in the direct map (page-cache
 * pages, kmalloc memory), which are physically contiguous.  One transfer
 * may gather several such buffers (segments) for consecutive sectors, so
 * that separate pages go out or come in with one request.  Callers sleep
 * until their transfer completes; an error from the device is EIO.
 */
#ifndef DEV_BLK_H
#define DEV_BLK_H

#include "kern/errno.h"
#include "kern/types.h"

#define BLK_SECTOR_SIZE	512
#define BLK_NAME_MAX	8

#define BLK_READ	0
#define BLK_WRITE	1
#define BLK_FLUSH	2

#define BLK_MAX_SEGS	16	/* segments in one transfer */

/* Part of a transfer: len bytes (whole sectors) at buf, in the direct map. */
struct blk_seg {
	void *buf;
	size_t len;
};

struct blk_stats {
	uint64_t reads;			/* read requests completed */
	uint64_t writes;
	uint64_t flushes;
	uint64_t bytes_read;
	uint64_t bytes_written;
	uint64_t errors;		/* requests that ended in EIO */
};

struct blkdev {
	char name[BLK_NAME_MAX];
	uint64_t nsectors;
	bool readonly;
	/* Transfer segs[0..nsegs) to or from consecutive sectors from sector
	 * (checked by blk_iov), or flush (no segments). */
	int (*strategy)(struct blkdev *bd, int op, uint64_t sector,
	    const struct blk_seg *segs, int nsegs);
	void *softc;
	struct blk_stats stats;		/* updated by the driver, atomically */
	/* Who uses the device, under blk_lock (blkdev_hold, bdev_open): */
	const char *bd_holder;		/* a mount or swap, or NULL */
	int bd_writers;			/* open for writing through a node */
};

int blkdev_register(struct blkdev *bd);
struct blkdev *blkdev_find(const char *name);
struct blkdev *blkdev_get(int index);
int blkdev_hold(struct blkdev *bd, const char *holder);
void blkdev_unhold(struct blkdev *bd);
int blkdev_open_write(struct blkdev *bd);
void blkdev_close_write(struct blkdev *bd);
int blk_iov(struct blkdev *bd, int op, uint64_t sector,
    const struct blk_seg *segs, int nsegs);

/* A transfer of one buffer, or a flush (buf and len unused). */
static inline int
blk_io(struct blkdev *bd, int op, uint64_t sector, void *buf, size_t len)
{
	struct blk_seg seg = { buf, len };

	return blk_iov(bd, op, sector, &seg, op == BLK_FLUSH ? 0 : 1);
}

#endif
