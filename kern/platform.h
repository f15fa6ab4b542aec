/*
 * What the kernel learns about the machine from the device tree at boot.
 * Filled once by platform_parse() before anything else runs and read-only
 * afterwards.
 */
#ifndef KERN_PLATFORM_H
#define KERN_PLATFORM_H

#include "kern/types.h"
#include "kern/fdt.h"

#define PLAT_MAX_MEM		8
#define PLAT_MAX_RESV		16
#define PLAT_MAX_HARTS		8
#define PLAT_MAX_VIRTIO		8
#define PLAT_BOOTARGS_MAX	256
#define PLAT_ISA_MAX		128

struct phys_range {
	paddr_t start;
	paddr_t end;		/* exclusive */
};

struct mmio_dev {
	paddr_t base;
	psize_t size;
	uint32_t irq;		/* PLIC source, 0 if none */
};

struct platform {
	struct phys_range mem[PLAT_MAX_MEM];
	int nmem;
	struct phys_range resv[PLAT_MAX_RESV];	/* firmware, DTB, memreserve */
	int nresv;

	uint32_t harts[PLAT_MAX_HARTS];	/* hart ids with status "okay" */
	int nharts;
	uint64_t timebase_hz;
	char isa[PLAT_ISA_MAX];		/* riscv,isa of the first hart */
	char mmu[16];			/* its mmu-type less "riscv,": "sv39" */
	bool has_sstc;

	struct mmio_dev uart;		/* ns16550a; base 0 if absent */
	uint32_t uart_clock_hz;
	struct mmio_dev plic;
	uint32_t plic_ndev;
	int plic_context;		/* S-mode context of the boot hart, -1 if unknown */
	struct mmio_dev test;		/* sifive,test0 finisher */
	struct mmio_dev rtc;		/* google,goldfish-rtc; base 0 if absent */
	struct mmio_dev virtio[PLAT_MAX_VIRTIO];
	int nvirtio;

	char bootargs[PLAT_BOOTARGS_MAX];
	char model[64];
};

int platform_parse(struct platform *plat, const struct fdt *fdt,
    uint32_t boot_hartid);
bool isa_has_extension(const char *isa, const char *ext);

#endif
