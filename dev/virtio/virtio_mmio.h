/*
 * virtio-mmio transport (virtio spec 1.2, section 4.2): register offsets
 * and the probe that identifies what sits in each slot.
 */
#ifndef DEV_VIRTIO_VIRTIO_MMIO_H
#define DEV_VIRTIO_VIRTIO_MMIO_H

#include "kern/types.h"

#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c

#define VIRTIO_MMIO_MAGIC		0x74726976	/* "virt" */

#define VIRTIO_ID_NET			1
#define VIRTIO_ID_BLOCK			2
#define VIRTIO_ID_CONSOLE		3
#define VIRTIO_ID_ENTROPY		4

struct platform;

int virtio_mmio_probe_all(const struct platform *plat);

#endif
