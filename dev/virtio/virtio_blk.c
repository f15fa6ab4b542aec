/*
 * virtio-blk (virtio spec 1.2, section 5.2): one request queue; each
 * request is a header (type, sector), the data (one descriptor per
 * segment), and a status byte the device writes.  Many requests may be in flight; each caller sleeps on
 * its own request until the completion interrupt wakes it.
 *
 * Locking: sc->lock (a spin lock) guards request completion flags and is
 * the interlock for sleeping; the virtqueue has its own lock.
 */
#include "dev/blk.h"
#include "dev/virtio/virtio_mmio.h"
#include "kern/kernel.h"
#include "machine/vmparam.h"

#define VIRTIO_BLK_F_RO		(1ULL << 5)
#define VIRTIO_BLK_F_BLK_SIZE	(1ULL << 6)
#define VIRTIO_BLK_F_FLUSH	(1ULL << 9)

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4

#define VIRTIO_BLK_S_OK		0

#define VBLK_QUEUE_SIZE		128

struct vblk_req {
	struct {			/* device-readable header */
		uint32_t type;
		uint32_t reserved;
		uint64_t sector;
	} hdr;
	volatile uint8_t status;	/* written by the device */
	bool done;			/* (sc->lock) */
};

struct vblk_softc {
	struct virtio_dev *dev;
	struct virtqueue vq;
	struct spinlock lock;
	struct blkdev bd;
};

/* Completion interrupt: mark finished requests done and wake their owners. */
static void
vblk_intr(struct virtio_dev *dev)
{
	struct vblk_softc *sc = dev->softc;
	struct vblk_req *req;
	uint32_t len;

	while ((req = virtq_next_done(&sc->vq, &len)) != NULL) {
		spin_lock(&sc->lock);
		req->done = true;
		wakeup(req);
		wakeup(&sc->vq);	/* descriptors are free again */
		spin_unlock(&sc->lock);
	}
}

static void
count_io(struct blkdev *bd, int op, uint64_t len, bool ok)
{
	struct blk_stats *st = &bd->stats;

	if (!ok)
		__atomic_add_fetch(&st->errors, 1, __ATOMIC_RELAXED);
	else if (op == BLK_READ) {
		__atomic_add_fetch(&st->reads, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&st->bytes_read, len, __ATOMIC_RELAXED);
	} else if (op == BLK_WRITE) {
		__atomic_add_fetch(&st->writes, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&st->bytes_written, len, __ATOMIC_RELAXED);
	} else {
		__atomic_add_fetch(&st->flushes, 1, __ATOMIC_RELAXED);
	}
}

static int
vblk_strategy(struct blkdev *bd, int op, uint64_t sector,
    const struct blk_seg *segs, int nsegs)
{
	struct vblk_softc *sc = bd->softc;
	struct vblk_req *req;
	struct virtq_buf bufs[BLK_MAX_SEGS + 2];
	uint64_t len = 0;
	int n = 0, error;

	if (op == BLK_FLUSH && !(sc->dev->features & VIRTIO_BLK_F_FLUSH))
		return 0;	/* no write cache to flush */
	req = kmalloc(sizeof(*req), M_ZERO);
	if (req == NULL)
		return EIO;
	req->hdr.type = op == BLK_READ ? VIRTIO_BLK_T_IN :
	    op == BLK_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
	req->hdr.sector = op == BLK_FLUSH ? 0 : sector;
	req->status = 0xff;
	bufs[n++] = (struct virtq_buf){ DMAP_TO_PHYS((vaddr_t)&req->hdr),
	    sizeof(req->hdr), false };
	for (int i = 0; i < nsegs; i++) {
		bufs[n++] = (struct virtq_buf){ DMAP_TO_PHYS((vaddr_t)segs[i].buf),
		    (uint32_t)segs[i].len, op == BLK_READ };
		len += segs[i].len;
	}
	bufs[n++] = (struct virtq_buf){ DMAP_TO_PHYS((vaddr_t)&req->status), 1,
	    true };

	spin_lock(&sc->lock);
	while (virtq_submit(&sc->vq, bufs, n, req) != 0)
		tsleep(&sc->vq, &sc->lock, "vblkq");
	while (!req->done)
		tsleep(req, &sc->lock, "vblkio");
	spin_unlock(&sc->lock);

	error = req->status == VIRTIO_BLK_S_OK ? 0 : EIO;
	count_io(bd, op, len, error == 0);
	kfree(req);
	return error;
}

/* Set up the device and register it as the next vdX.  Returns 0 or -1. */
int
virtio_blk_attach(struct virtio_dev *dev)
{
	struct vblk_softc *sc = kmalloc(sizeof(*sc), M_ZERO);

	if (sc == NULL)
		return -1;
	sc->dev = dev;
	spin_init(&sc->lock, "vblk");
	if (!virtio_negotiate(dev, VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH) ||
	    virtq_setup(dev, &sc->vq, 0, VBLK_QUEUE_SIZE) != 0) {
		kprintf("virtio%d: block device setup failed\n", dev->unit);
		kfree(sc);
		return -1;
	}
	sc->bd.nsectors = virtio_config_read64(dev, 0);
	sc->bd.readonly = (dev->features & VIRTIO_BLK_F_RO) != 0;
	sc->bd.strategy = vblk_strategy;
	sc->bd.softc = sc;
	dev->softc = sc;
	dev->intr = vblk_intr;
	virtio_driver_ok(dev);
	if (blkdev_register(&sc->bd) != 0) {
		kprintf("virtio%d: too many block devices\n", dev->unit);
		return -1;
	}
	kprintf("%s: virtio-blk, %lu sectors (%lu MiB)%s%s, queue %u\n",
	    sc->bd.name, sc->bd.nsectors, sc->bd.nsectors >> 11,
	    sc->bd.readonly ? ", read-only" : "",
	    (dev->features & VIRTIO_BLK_F_FLUSH) ? ", write cache" : "",
	    sc->vq.vq_num);
	return 0;
}
