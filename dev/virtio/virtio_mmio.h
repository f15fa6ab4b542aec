/*
 * virtio over memory-mapped I/O (virtio spec 1.2, section 4.2), both the
 * modern interface (version 2) and the legacy one (version 1), with split
 * virtqueues (section 2.7).
 */
#ifndef DEV_VIRTIO_VIRTIO_MMIO_H
#define DEV_VIRTIO_VIRTIO_MMIO_H

#include "kern/kernel.h"
#include "kern/list.h"

#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE	0x028	/* legacy */
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_ALIGN		0x03c	/* legacy */
#define VIRTIO_MMIO_QUEUE_PFN		0x040	/* legacy */
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW	0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC		0x74726976	/* "virt" */

#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_FAILED		128

#define VIRTIO_F_VERSION_1		(1ULL << 32)

#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_CONSOLE		3
#define VIRTIO_ID_ENTROPY		4

#define VRING_DESC_F_NEXT		1
#define VRING_DESC_F_WRITE		2

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

/* One buffer of a request: device-readable, or device-writable. */
struct virtq_buf {
	paddr_t pa;
	uint32_t len;
	bool device_writes;
};

/*
 * A split virtqueue.
 * Lock legend: (q) vq_lock; (c) constant after setup.
 */
struct virtqueue {
	struct spinlock vq_lock;
	struct virtio_dev *vq_dev;	/* (c) */
	uint16_t vq_index;		/* (c) */
	uint16_t vq_num;		/* (c) ring size */
	volatile struct vring_desc *vq_desc;	/* (c) */
	volatile uint16_t *vq_avail;	/* (c) flags, idx, ring[num] */
	volatile uint16_t *vq_used_hdr;	/* (c) flags, idx */
	volatile struct vring_used_elem *vq_used;	/* (c) ring[num] */
	struct vm_page *vq_pages;	/* (c) the ring memory */
	size_t vq_npages;		/* (c) */
	uint16_t vq_free_head;		/* (q) chain of free descriptors */
	uint16_t vq_nfree;		/* (q) */
	uint16_t vq_last_used;		/* (q) used entries consumed so far */
	void **vq_cookie;		/* (q) per head descriptor: the request */
};

/* A virtio device on one virtio-mmio slot.  (c) after attach. */
struct virtio_dev {
	vaddr_t regs;
	paddr_t base;
	uint32_t irq;
	uint32_t version;		/* 1 legacy, 2 modern */
	uint32_t device_id;
	uint64_t features;		/* negotiated */
	int unit;			/* slot number */
	void (*intr)(struct virtio_dev *dev);	/* driver's interrupt handler */
	void *softc;
};

struct platform;

int virtio_mmio_probe_all(const struct platform *plat);

uint32_t virtio_read32(struct virtio_dev *dev, uint32_t off);
void virtio_write32(struct virtio_dev *dev, uint32_t off, uint32_t val);
uint64_t virtio_config_read64(struct virtio_dev *dev, uint32_t off);
uint32_t virtio_config_read32(struct virtio_dev *dev, uint32_t off);
bool virtio_negotiate(struct virtio_dev *dev, uint64_t wanted);
int virtq_setup(struct virtio_dev *dev, struct virtqueue *vq, uint16_t index,
    uint16_t max_num);
void virtio_driver_ok(struct virtio_dev *dev);
int virtq_submit(struct virtqueue *vq, const struct virtq_buf *bufs, int n,
    void *cookie);
void *virtq_next_done(struct virtqueue *vq, uint32_t *len);
void virtio_intr_ack(struct virtio_dev *dev);

int virtio_blk_attach(struct virtio_dev *dev);

#endif
