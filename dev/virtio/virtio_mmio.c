/*
 * virtio-mmio slot discovery.  Every slot the device tree lists is mapped
 * and identified (magic, version, device id); empty slots report device
 * id 0.  Drivers for the devices found attach in later stages.
 */
#include "dev/virtio/virtio_mmio.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/pmap_machdep.h"

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

static inline uint32_t
mmio_read32(vaddr_t base, uint32_t off)
{
	return *(volatile uint32_t *)(base + off);
}

/*
 * Identify every virtio-mmio slot and log what is present.  Returns the
 * number of slots holding a device.
 */
int
virtio_mmio_probe_all(const struct platform *plat)
{
	int found = 0;

	for (int i = 0; i < plat->nvirtio; i++) {
		const struct mmio_dev *d = &plat->virtio[i];
		vaddr_t regs = pmap_mapdev(d->base, d->size);
		uint32_t magic = mmio_read32(regs, VIRTIO_MMIO_MAGIC_VALUE);
		uint32_t version = mmio_read32(regs, VIRTIO_MMIO_VERSION);
		uint32_t id = mmio_read32(regs, VIRTIO_MMIO_DEVICE_ID);

		if (magic != VIRTIO_MMIO_MAGIC) {
			kprintf("virtio-mmio at %#lx: bad magic %#x, ignored\n",
			    d->base, magic);
			continue;
		}
		if (id == 0)
			continue;
		kprintf("virtio%d: %s (id %u) at %#lx irq %u, %s interface\n",
		    i, virtio_device_name(id), id, d->base, d->irq,
		    version == 1 ? "legacy" : "modern");
		found++;
	}
	return found;
}
