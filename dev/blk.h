/*
 * Block devices: what file systems read and write.  Devices register
 * under Linux-style names in attach order (vda, vdb, ...).  Transfers are
 * in 512-byte sectors, to or from buffers in the direct map (page-cache
 * pages, kmalloc memory), which are physically contiguous.  Callers sleep
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
	int (*strategy)(struct blkdev *bd, int op, uint64_t sector, void *buf,
	    size_t len);
	void *softc;
	struct blk_stats stats;		/* updated by the driver, atomically */
};

int blkdev_register(struct blkdev *bd);
struct blkdev *blkdev_find(const char *name);
struct blkdev *blkdev_get(int index);
int blk_io(struct blkdev *bd, int op, uint64_t sector, void *buf, size_t len);

#endif
