/*
 * Turn the device tree into a struct platform: memory, reserved ranges,
 * harts, timebase, ISA extensions, and the devices the kernel drives
 * (UART, PLIC, test finisher, virtio-mmio slots), plus /chosen/bootargs.
 * Machine independent so the host tests can feed it real and broken DTBs.
 */
#include "kern/platform.h"
#include "kern/libkern.h"

static void
add_range(struct phys_range *r, int *n, int max, uint64_t base, uint64_t size)
{
	if (*n >= max || size == 0 || base + size < base)
		return;
	r[*n].start = base;
	r[*n].end = base + size;
	(*n)++;
}

static void
parse_memory(struct platform *plat, const struct fdt *fdt)
{
	int depth = 0, node;
	uint64_t base, size;

	for (node = fdt_root(fdt); node != FDT_NONE;
	    node = fdt_next_node(fdt, node, &depth)) {
		const char *type = fdt_getprop_str(fdt, node, "device_type");

		if (type == NULL || strcmp(type, "memory") != 0)
			continue;
		for (int i = 0; fdt_reg(fdt, node, i, &base, &size) == 0; i++)
			add_range(plat->mem, &plat->nmem, PLAT_MAX_MEM, base, size);
	}
}

static void
parse_reserved(struct platform *plat, const struct fdt *fdt)
{
	uint64_t base, size;
	int node, rm = fdt_path(fdt, "/reserved-memory");

	for (int i = 0; fdt_rsvmap(fdt, i, &base, &size) == 0; i++)
		add_range(plat->resv, &plat->nresv, PLAT_MAX_RESV, base, size);
	if (rm == FDT_NONE)
		return;
	for (node = fdt_first_child(fdt, rm); node != FDT_NONE;
	    node = fdt_next_sibling(fdt, node))
		for (int i = 0; fdt_reg(fdt, node, i, &base, &size) == 0; i++)
			add_range(plat->resv, &plat->nresv, PLAT_MAX_RESV, base,
			    size);
}

static bool
node_okay(const struct fdt *fdt, int node)
{
	const char *status = fdt_getprop_str(fdt, node, "status");

	return status == NULL || strcmp(status, "okay") == 0 ||
	    strcmp(status, "ok") == 0;
}

static void
parse_cpus(struct platform *plat, const struct fdt *fdt, uint32_t boot_hartid)
{
	int cpus = fdt_path(fdt, "/cpus");
	uint32_t tb;
	int node;

	if (cpus == FDT_NONE)
		return;
	if (fdt_getprop_u32(fdt, cpus, "timebase-frequency", &tb))
		plat->timebase_hz = tb;
	for (node = fdt_first_child(fdt, cpus); node != FDT_NONE;
	    node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_getprop_str(fdt, node, "device_type");
		const char *isa = fdt_getprop_str(fdt, node, "riscv,isa");
		const char *mmu = fdt_getprop_str(fdt, node, "mmu-type");
		uint32_t hartid;

		if (type == NULL || strcmp(type, "cpu") != 0 ||
		    !fdt_getprop_u32(fdt, node, "reg", &hartid) ||
		    !node_okay(fdt, node))
			continue;
		if (plat->nharts < PLAT_MAX_HARTS)
			plat->harts[plat->nharts++] = hartid;
		if (isa != NULL && (hartid == boot_hartid || plat->isa[0] == '\0'))
			kstrlcpy(plat->isa, isa, sizeof(plat->isa));
		if (mmu != NULL && (hartid == boot_hartid || plat->mmu[0] == '\0'))
			kstrlcpy(plat->mmu, strncmp(mmu, "riscv,", 6) == 0 ?
			    mmu + 6 : mmu, sizeof(plat->mmu));
		if (plat->timebase_hz == 0 &&
		    fdt_getprop_u32(fdt, node, "timebase-frequency", &tb))
			plat->timebase_hz = tb;
	}
	plat->has_sstc = isa_has_extension(plat->isa, "sstc");
}

/*
 * Is the multi-letter extension ext (lower case, e.g. "sstc") named in an
 * ISA string such as "rv64imafdc_zicsr_sstc"?
 */
bool
isa_has_extension(const char *isa, const char *ext)
{
	size_t n = strlen(ext);
	const char *p = strchr(isa, '_');

	while (p != NULL) {
		p++;
		if (strncmp(p, ext, n) == 0 && (p[n] == '_' || p[n] == '\0'))
			return true;
		p = strchr(p, '_');
	}
	return false;
}

/* The first "interrupts" cell of a device node, 0 if none. */
static uint32_t
device_irq(const struct fdt *fdt, int node)
{
	int len;
	const void *p = fdt_getprop(fdt, node, "interrupts", &len);

	return (p != NULL && len >= 4) ? fdt32_to_cpu(p) : 0;
}

static bool
read_device(const struct fdt *fdt, int node, struct mmio_dev *dev)
{
	uint64_t base, size;

	if (!node_okay(fdt, node) || fdt_reg(fdt, node, 0, &base, &size) != 0)
		return false;
	dev->base = base;
	dev->size = size;
	dev->irq = device_irq(fdt, node);
	return true;
}

/*
 * The PLIC context that delivers supervisor external interrupts (cause 9)
 * to the boot hart: "interrupts-extended" lists (phandle, cause) pairs, one
 * per context, where the phandle names a hart's interrupt controller.
 */
static int
plic_context_for(const struct fdt *fdt, int plic, uint32_t boot_hartid)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, plic, "interrupts-extended", &len);

	if (p == NULL)
		return -1;
	for (int ctx = 0; (ctx + 1) * 8 <= len; ctx++) {
		uint32_t phandle = fdt32_to_cpu(p + ctx * 8);
		uint32_t cause = fdt32_to_cpu(p + ctx * 8 + 4);
		int intc = fdt_find_phandle(fdt, phandle);
		int cpu = intc == FDT_NONE ? FDT_NONE : fdt_parent(fdt, intc);
		uint32_t hartid;

		if (cause == 9 && cpu != FDT_NONE &&
		    fdt_getprop_u32(fdt, cpu, "reg", &hartid) &&
		    hartid == boot_hartid)
			return ctx;
	}
	return -1;
}

static void
parse_plic(struct platform *plat, const struct fdt *fdt, uint32_t boot_hartid)
{
	int node = fdt_find_compatible(fdt, FDT_NONE, "riscv,plic0");

	if (node == FDT_NONE)
		node = fdt_find_compatible(fdt, FDT_NONE, "sifive,plic-1.0.0");
	if (node == FDT_NONE || !read_device(fdt, node, &plat->plic))
		return;
	if (!fdt_getprop_u32(fdt, node, "riscv,ndev", &plat->plic_ndev))
		plat->plic_ndev = 0;
	plat->plic_context = plic_context_for(fdt, node, boot_hartid);
}

static void
parse_virtio(struct platform *plat, const struct fdt *fdt)
{
	int node = FDT_NONE;

	/*
	 * Keep device-tree order, as Linux does: QEMU lists the slots from the
	 * highest address down and fills them in that order, so the first
	 * -device on its command line is the first slot here (vda).
	 */
	while ((node = fdt_find_compatible(fdt, node, "virtio,mmio")) != FDT_NONE) {
		if (plat->nvirtio < PLAT_MAX_VIRTIO &&
		    read_device(fdt, node, &plat->virtio[plat->nvirtio]))
			plat->nvirtio++;
	}
}

static void
parse_devices(struct platform *plat, const struct fdt *fdt)
{
	int node;

	node = fdt_find_compatible(fdt, FDT_NONE, "ns16550a");
	if (node != FDT_NONE && read_device(fdt, node, &plat->uart) &&
	    !fdt_getprop_u32(fdt, node, "clock-frequency", &plat->uart_clock_hz))
		plat->uart_clock_hz = 0;
	node = fdt_find_compatible(fdt, FDT_NONE, "sifive,test0");
	if (node != FDT_NONE)
		read_device(fdt, node, &plat->test);
	node = fdt_find_compatible(fdt, FDT_NONE, "google,goldfish-rtc");
	if (node != FDT_NONE)
		read_device(fdt, node, &plat->rtc);
	parse_virtio(plat, fdt);
}

/*
 * Fill plat from fdt.  Returns 0, or -1 if the tree lacks what the kernel
 * cannot run without (memory, a hart, a timebase).  Missing optional
 * devices are left zeroed.
 */
int
platform_parse(struct platform *plat, const struct fdt *fdt,
    uint32_t boot_hartid)
{
	const char *s;
	int chosen;

	memset(plat, 0, sizeof(*plat));
	plat->plic_context = -1;
	if (fdt_root(fdt) == FDT_NONE)
		return -1;
	s = fdt_getprop_str(fdt, fdt_root(fdt), "model");
	kstrlcpy(plat->model, s != NULL ? s : "unknown", sizeof(plat->model));
	parse_memory(plat, fdt);
	parse_reserved(plat, fdt);
	parse_cpus(plat, fdt, boot_hartid);
	parse_plic(plat, fdt, boot_hartid);
	parse_devices(plat, fdt);
	chosen = fdt_path(fdt, "/chosen");
	s = chosen == FDT_NONE ? NULL : fdt_getprop_str(fdt, chosen, "bootargs");
	if (s != NULL)
		kstrlcpy(plat->bootargs, s, sizeof(plat->bootargs));
	if (plat->nmem == 0 || plat->nharts == 0 || plat->timebase_hz == 0)
		return -1;
	return 0;
}
