/*
 * virtio-mmio transport: device discovery, feature negotiation, split
 * virtqueues, and interrupt routing (see virtio_mmio.h).
 *
 * Every slot the device tree lists is mapped and identified; each device
 * found is handed to its driver (only virtio-blk for now; others are
 * reported and left alone).
 *
 * A virtqueue's descriptors are allocated from a free chain under
 * vq_lock; a request takes as many as it has buffers.  Completion comes
 * by interrupt: the driver's handler calls virtq_next_done() to collect
 * finished requests and wakes the threads waiting for them.
 */
#include "dev/virtio/virtio_mmio.h"
#include "kern/intr.h"
#include "kern/platform.h"
#include "machine/pmap_machdep.h"
#include "vm/vm_page.h"

#define VIRTIO_MAX_DEVS	PLAT_MAX_VIRTIO

static struct virtio_dev virtio_devs[VIRTIO_MAX_DEVS];

uint32_t
virtio_read32(struct virtio_dev *dev, uint32_t off)
{
	return *(volatile uint32_t *)(dev->regs + off);
}

void
virtio_write32(struct virtio_dev *dev, uint32_t off, uint32_t val)
{
	*(volatile uint32_t *)(dev->regs + off) = val;
}

uint32_t
virtio_config_read32(struct virtio_dev *dev, uint32_t off)
{
	return virtio_read32(dev, VIRTIO_MMIO_CONFIG + off);
}

uint64_t
virtio_config_read64(struct virtio_dev *dev, uint32_t off)
{
	return virtio_config_read32(dev, off) |
	    (uint64_t)virtio_config_read32(dev, off + 4) << 32;
}

static void
virtio_set_status(struct virtio_dev *dev, uint32_t bits)
{
	virtio_write32(dev, VIRTIO_MMIO_STATUS,
	    virtio_read32(dev, VIRTIO_MMIO_STATUS) | bits);
}

/*
 * Reset the device, announce a driver, and agree on features: the ones in
 * wanted that the device offers (plus VERSION_1 on a modern device).
 * Returns false, with the device marked FAILED, if it rejects them.
 */
bool
virtio_negotiate(struct virtio_dev *dev, uint64_t wanted)
{
	uint64_t offered;

	virtio_write32(dev, VIRTIO_MMIO_STATUS, 0);
	virtio_set_status(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_set_status(dev, VIRTIO_STATUS_DRIVER);
	virtio_write32(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	offered = virtio_read32(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	if (dev->version >= 2) {
		virtio_write32(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
		offered |= (uint64_t)virtio_read32(dev,
		    VIRTIO_MMIO_DEVICE_FEATURES) << 32;
		wanted |= VIRTIO_F_VERSION_1;
	}
	dev->features = offered & wanted;
	virtio_write32(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	virtio_write32(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)dev->features);
	if (dev->version >= 2) {
		virtio_write32(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		virtio_write32(dev, VIRTIO_MMIO_DRIVER_FEATURES,
		    (uint32_t)(dev->features >> 32));
		virtio_set_status(dev, VIRTIO_STATUS_FEATURES_OK);
		if (!(virtio_read32(dev, VIRTIO_MMIO_STATUS) &
		    VIRTIO_STATUS_FEATURES_OK) ||
		    !(dev->features & VIRTIO_F_VERSION_1)) {
			virtio_set_status(dev, VIRTIO_STATUS_FAILED);
			return false;
		}
	} else {
		virtio_write32(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, PAGE_SIZE);
	}
	return true;
}

/* Bytes of a split ring of num entries, legacy layout (used ring aligned). */
static size_t
vring_size(uint16_t num)
{
	size_t head = 16 * num + 2 * (3 + num);

	return roundup2(head, PAGE_SIZE) + roundup2(6 + 8 * (size_t)num, PAGE_SIZE);
}

/*
 * Set up queue `index` with up to max_num entries in physically
 * contiguous, zeroed memory, in the legacy layout (descriptors, available
 * ring, then the used ring on the next page), which modern devices accept
 * too.  Returns 0 or -1.
 */
int
virtq_setup(struct virtio_dev *dev, struct virtqueue *vq, uint16_t index,
    uint16_t max_num)
{
	uint32_t num;
	paddr_t pa, used_pa;
	char *base;

	virtio_write32(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	num = virtio_read32(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (num == 0)
		return -1;
	num = MIN(num, max_num);
	memset(vq, 0, sizeof(*vq));
	spin_init(&vq->vq_lock, "virtqueue");
	vq->vq_dev = dev;
	vq->vq_index = index;
	vq->vq_num = (uint16_t)num;
	vq->vq_npages = atop(vring_size(vq->vq_num));
	vq->vq_pages = vm_page_alloc_contig_nobj(vq->vq_npages, VM_ALLOC_ZERO);
	vq->vq_cookie = kmalloc(num * sizeof(void *), M_ZERO);
	if (vq->vq_pages == NULL || vq->vq_cookie == NULL)
		return -1;
	pa = VM_PAGE_TO_PHYS(vq->vq_pages);
	base = (char *)PHYS_TO_DMAP(pa);
	vq->vq_desc = (volatile struct vring_desc *)base;
	vq->vq_avail = (volatile uint16_t *)(base + 16 * num);
	used_pa = pa + roundup2(16 * num + 2 * (3 + num), PAGE_SIZE);
	vq->vq_used_hdr = (volatile uint16_t *)PHYS_TO_DMAP(used_pa);
	vq->vq_used = (volatile struct vring_used_elem *)(PHYS_TO_DMAP(used_pa) + 4);
	for (uint16_t i = 0; i < num; i++)
		vq->vq_desc[i].next = (uint16_t)(i + 1);
	vq->vq_free_head = 0;
	vq->vq_nfree = vq->vq_num;

	virtio_write32(dev, VIRTIO_MMIO_QUEUE_NUM, num);
	if (dev->version == 1) {
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_ALIGN, PAGE_SIZE);
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)atop(pa));
	} else {
		paddr_t avail_pa = pa + 16 * num;

		virtio_write32(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)pa);
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(pa >> 32));
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)avail_pa);
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_AVAIL_HIGH,
		    (uint32_t)(avail_pa >> 32));
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)used_pa);
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_USED_HIGH,
		    (uint32_t)(used_pa >> 32));
		virtio_write32(dev, VIRTIO_MMIO_QUEUE_READY, 1);
	}
	return 0;
}

void
virtio_driver_ok(struct virtio_dev *dev)
{
	virtio_set_status(dev, VIRTIO_STATUS_DRIVER_OK);
}

/*
 * Queue a request made of n buffers and notify the device.  cookie comes
 * back from virtq_next_done() when the device has finished.  Returns 0, or
 * -1 if fewer than n descriptors are free (the caller waits and retries).
 */
int
virtq_submit(struct virtqueue *vq, const struct virtq_buf *bufs, int n,
    void *cookie)
{
	uint16_t head, idx, slot;

	spin_lock(&vq->vq_lock);
	if (vq->vq_nfree < n) {
		spin_unlock(&vq->vq_lock);
		return -1;
	}
	head = idx = vq->vq_free_head;
	for (int i = 0; i < n; i++) {
		volatile struct vring_desc *d = &vq->vq_desc[idx];

		d->addr = bufs[i].pa;
		d->len = bufs[i].len;
		d->flags = (uint16_t)((bufs[i].device_writes ? VRING_DESC_F_WRITE : 0) |
		    (i + 1 < n ? VRING_DESC_F_NEXT : 0));
		if (i + 1 < n)
			idx = d->next;
		else
			vq->vq_free_head = d->next;
	}
	vq->vq_nfree = (uint16_t)(vq->vq_nfree - n);
	vq->vq_cookie[head] = cookie;
	slot = vq->vq_avail[1] % vq->vq_num;
	vq->vq_avail[2 + slot] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vq->vq_avail[1] = (uint16_t)(vq->vq_avail[1] + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	spin_unlock(&vq->vq_lock);
	virtio_write32(vq->vq_dev, VIRTIO_MMIO_QUEUE_NOTIFY, vq->vq_index);
	return 0;
}

/*
 * The next request the device has finished (its cookie), with its
 * descriptors returned to the free chain; NULL if none.  *len gets the
 * bytes the device wrote.
 */
void *
virtq_next_done(struct virtqueue *vq, uint32_t *len)
{
	void *cookie = NULL;

	spin_lock(&vq->vq_lock);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->vq_last_used != vq->vq_used_hdr[1]) {
		volatile struct vring_used_elem *e =
		    &vq->vq_used[vq->vq_last_used % vq->vq_num];
		uint16_t id = (uint16_t)e->id, last = id;

		*len = e->len;
		cookie = vq->vq_cookie[id];
		vq->vq_cookie[id] = NULL;
		vq->vq_nfree++;
		while (vq->vq_desc[last].flags & VRING_DESC_F_NEXT) {
			last = vq->vq_desc[last].next;
			vq->vq_nfree++;
		}
		vq->vq_desc[last].next = vq->vq_free_head;
		vq->vq_free_head = id;
		vq->vq_last_used++;
	}
	spin_unlock(&vq->vq_lock);
	return cookie;
}

void
virtio_intr_ack(struct virtio_dev *dev)
{
	virtio_write32(dev, VIRTIO_MMIO_INTERRUPT_ACK,
	    virtio_read32(dev, VIRTIO_MMIO_INTERRUPT_STATUS));
}

static void
virtio_intr(void *arg)
{
	struct virtio_dev *dev = arg;

	virtio_intr_ack(dev);
	dev->intr(dev);
}

static const char *
virtio_device_name(uint32_t id)
{
	switch (id) {
	case VIRTIO_ID_NET:
		return "network card";
	case VIRTIO_ID_BLOCK:
		return "block device";
	case VIRTIO_ID_CONSOLE:
		return "console";
	case VIRTIO_ID_ENTROPY:
		return "entropy source";
	default:
		return "device";
	}
}

/* Identify the device in one slot and attach its driver. */
static bool
virtio_mmio_probe(const struct mmio_dev *d, int unit)
{
	struct virtio_dev *dev = &virtio_devs[unit];

	dev->regs = pmap_mapdev(d->base, d->size);
	dev->base = d->base;
	dev->irq = d->irq;
	dev->unit = unit;
	if (virtio_read32(dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC) {
		kprintf("virtio-mmio at %#lx: bad magic, ignored\n", d->base);
		return false;
	}
	dev->version = virtio_read32(dev, VIRTIO_MMIO_VERSION);
	dev->device_id = virtio_read32(dev, VIRTIO_MMIO_DEVICE_ID);
	if (dev->device_id == 0)
		return false;
	kprintf("virtio%d: %s (id %u) at %#lx irq %u, %s interface\n", unit,
	    virtio_device_name(dev->device_id), dev->device_id, d->base, d->irq,
	    dev->version == 1 ? "legacy" : "modern");
	if (dev->version < 1 || dev->version > 2) {
		kprintf("virtio%d: unknown interface version %u\n", unit,
		    dev->version);
		return false;
	}
	if (dev->device_id == VIRTIO_ID_BLOCK && virtio_blk_attach(dev) == 0 &&
	    intr_establish(dev->irq, "virtio", virtio_intr, dev) != 0)
		kprintf("virtio%d: cannot route irq %u\n", unit, dev->irq);
	return true;
}

/*
 * Identify every virtio-mmio slot and attach drivers.  Returns the number
 * of slots holding a device.
 */
int
virtio_mmio_probe_all(const struct platform *plat)
{
	int found = 0;

	for (int i = 0; i < plat->nvirtio && i < VIRTIO_MAX_DEVS; i++)
		if (virtio_mmio_probe(&plat->virtio[i], i))
			found++;
	return found;
}
