/*
 * The block device table and the checks every transfer goes through
 * before it reaches a driver (see blk.h).
 */
#include "dev/blk.h"
#include "kern/kernel.h"
#include "kern/sysctl.h"
#include "machine/vmparam.h"

#define BLK_MAX_DEVS	8

static struct blkdev *blkdevs[BLK_MAX_DEVS];
static int nblkdevs;
static struct spinlock blk_lock = SPINLOCK_INIT("blkdevs");

/* Add bd under the next free name (vda, vdb, ...).  Returns 0 or -1. */
int
blkdev_register(struct blkdev *bd)
{
	int unit;

	spin_lock(&blk_lock);
	unit = nblkdevs < BLK_MAX_DEVS ? nblkdevs++ : -1;
	if (unit >= 0)
		blkdevs[unit] = bd;
	spin_unlock(&blk_lock);
	if (unit < 0)
		return -1;
	ksnprintf(bd->name, sizeof(bd->name), "vd%c", 'a' + unit);
	return 0;
}

struct blkdev *
blkdev_get(int index)
{
	struct blkdev *bd = NULL;

	spin_lock(&blk_lock);
	if (index >= 0 && index < nblkdevs)
		bd = blkdevs[index];
	spin_unlock(&blk_lock);
	return bd;
}

/* The device called name ("vda" or "/dev/vda"), or NULL. */
struct blkdev *
blkdev_find(const char *name)
{
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	for (int i = 0; i < BLK_MAX_DEVS; i++) {
		struct blkdev *bd = blkdev_get(i);

		if (bd != NULL && strcmp(bd->name, name) == 0)
			return bd;
	}
	return NULL;
}

/*
 * Claim bd for holder (a mount, swap), whose data the device then holds:
 * EBUSY if it has a holder already or is open for writing through a
 * device node, since writes that bypass the holder would corrupt it (as
 * Linux's exclusive opens).  Returns 0 or EBUSY.
 */
int
blkdev_hold(struct blkdev *bd, const char *holder)
{
	int error = 0;

	spin_lock(&blk_lock);
	if (bd->bd_holder != NULL || bd->bd_writers > 0)
		error = EBUSY;
	else
		bd->bd_holder = holder;
	spin_unlock(&blk_lock);
	return error;
}

/* The holder is done with bd (unmounted, swapoff). */
void
blkdev_unhold(struct blkdev *bd)
{
	spin_lock(&blk_lock);
	KASSERT(bd->bd_holder != NULL, "%s has no holder", bd->name);
	bd->bd_holder = NULL;
	spin_unlock(&blk_lock);
}

/* A device node opens bd for writing: EBUSY while it has a holder. */
int
blkdev_open_write(struct blkdev *bd)
{
	int error = 0;

	spin_lock(&blk_lock);
	if (bd->bd_holder != NULL)
		error = EBUSY;
	else
		bd->bd_writers++;
	spin_unlock(&blk_lock);
	return error;
}

void
blkdev_close_write(struct blkdev *bd)
{
	spin_lock(&blk_lock);
	KASSERT(bd->bd_writers > 0, "%s not open for writing", bd->name);
	bd->bd_writers--;
	spin_unlock(&blk_lock);
}

/* kern.disks: the disks' names, as FreeBSD's ("vda vdb"). */
static int64_t
sysctl_disks(const struct sysctl_node *node, struct sysctl_req *req)
{
	char names[BLK_MAX_DEVS * BLK_NAME_MAX] = "";
	size_t len = 0;

	for (int i = 0; i < BLK_MAX_DEVS; i++) {
		struct blkdev *bd = blkdev_get(i);

		if (bd == NULL)
			break;
		len += ksnprintf(names + len, sizeof(names) - len, "%s%s",
		    len > 0 ? " " : "", bd->name);
	}
	return sysctl_out(req, names, len + 1);
}

SYSCTL_PROC(kern_disks, "kern.disks", CTLTYPE_STRING, CTLFLAG_RD,
    sysctl_disks, 0, "the disks, by name (their nodes are /dev/<name>)");

static bool
in_direct_map(const void *buf, size_t len)
{
	vaddr_t va = (vaddr_t)buf;

	return va >= DMAP_MIN_ADDRESS && va + len <= DMAP_MAX_ADDRESS &&
	    va + len >= va;
}

/*
 * Transfer segs[0..nsegs) (1 to BLK_MAX_SEGS of them, each a non-empty
 * multiple of the sector size) to or from the sectors from sector on, in
 * order; or flush the device's write cache (BLK_FLUSH, nsegs 0).  Sleeps
 * until done.  Returns 0, EINVAL (bad range, size, count or buffer),
 * EROFS, or EIO.
 */
int
blk_iov(struct blkdev *bd, int op, uint64_t sector,
    const struct blk_seg *segs, int nsegs)
{
	uint64_t nsec = 0;

	if (op == BLK_FLUSH ? nsegs != 0 : (nsegs < 1 || nsegs > BLK_MAX_SEGS))
		return EINVAL;
	for (int i = 0; i < nsegs; i++) {
		if (segs[i].len == 0 || segs[i].len % BLK_SECTOR_SIZE != 0 ||
		    !in_direct_map(segs[i].buf, segs[i].len))
			return EINVAL;
		nsec += segs[i].len / BLK_SECTOR_SIZE;
	}
	if (op != BLK_FLUSH &&
	    (sector > bd->nsectors || nsec > bd->nsectors - sector))
		return EINVAL;
	if (op == BLK_WRITE && bd->readonly)
		return EROFS;
	return bd->strategy(bd, op, sector, segs, nsegs);
}

/* dev.blk.<counter>: the counter summed over every block device. */
static int64_t
sysctl_blk_stat(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t sum = 0, v;

	for (int i = 0; i < BLK_MAX_DEVS; i++) {
		struct blkdev *bd = blkdev_get(i);

		if (bd == NULL)
			break;
		memcpy(&v, (char *)&bd->stats + node->arg, sizeof(v));
		sum += v;
	}
	return sysctl_out(req, &sum, sizeof(sum));
}

#define BLK_STAT(field, descr)						\
	SYSCTL_PROC(blk_##field, "dev.blk." #field, CTLTYPE_U64, CTLFLAG_RD, \
	    sysctl_blk_stat, offsetof(struct blk_stats, field), descr)

BLK_STAT(reads, "block reads completed (all disks)");
BLK_STAT(writes, "block writes completed (all disks)");
BLK_STAT(flushes, "cache flushes (all disks)");
BLK_STAT(bytes_read, "bytes read (all disks)");
BLK_STAT(bytes_written, "bytes written (all disks)");
BLK_STAT(errors, "requests that failed with EIO (all disks)");
