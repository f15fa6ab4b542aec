/*
 * Tests of platform_parse() (kern/platform.c): what the kernel learns from
 * QEMU's virt DTB (-m 512M -smp 4) and from the hand-written fixtures in
 * tests/host/fixtures/, plus isa_has_extension().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/platform.h"
#include "tests/host/kernel_host.h"

#define MiB	(1UL << 20)

/* Parse fixture `name` as hart boot_hartid; returns platform_parse's. */
static int
parse(const char *name, uint32_t boot_hartid, struct platform *plat)
{
	size_t size;
	uint8_t *blob = host_read_dtb(name, &size);
	struct fdt fdt;
	int r;

	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	r = platform_parse(plat, &fdt, boot_hartid);
	free(blob);
	return r;
}

static void
assert_range(const struct phys_range *r, paddr_t start, psize_t size)
{
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, start + size);
}

static void
test_virt_memory_and_harts(void **state)
{
	struct platform p;

	assert_int_equal(parse("qemu-virt", 0, &p), 0);
	assert_string_equal(p.model, "riscv-virtio,qemu");
	assert_int_equal(p.nmem, 1);
	assert_range(&p.mem[0], 0x80000000, 512 * MiB);
	assert_int_equal(p.nresv, 0);
	assert_int_equal(p.nharts, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(p.harts[i], i);
	assert_int_equal(p.timebase_hz, 10000000);
	assert_non_null(strstr(p.isa, "rv64ima"));
	assert_true(p.has_sstc);	/* QEMU 7.2 lists _sstc last */
	assert_string_equal(p.mmu, "sv48");	/* QEMU 7.2: mmu-type "riscv,sv48" */
	assert_string_equal(p.bootargs, "");
}

static void
test_virt_devices(void **state)
{
	struct platform p;

	assert_int_equal(parse("qemu-virt", 0, &p), 0);
	assert_int_equal(p.uart.base, 0x10000000);
	assert_int_equal(p.uart.size, 0x100);
	assert_int_equal(p.uart.irq, 10);
	assert_int_equal(p.uart_clock_hz, 3686400);
	assert_int_equal(p.plic.base, 0xc000000);
	assert_int_equal(p.plic.size, 0x600000);
	assert_int_equal(p.plic_ndev, 96);
	assert_int_equal(p.test.base, 0x100000);
	assert_int_equal(p.test.size, 0x1000);
}

static void
test_virt_plic_context(void **state)
{
	struct platform p;

	/* Contexts alternate M-mode, S-mode per hart: S is 2 * hart + 1. */
	for (uint32_t hart = 0; hart < 4; hart++) {
		assert_int_equal(parse("qemu-virt", hart, &p), 0);
		assert_int_equal(p.plic_context, 2 * hart + 1);
	}
	/* A hart that is not in the tree has no context. */
	assert_int_equal(parse("qemu-virt", 7, &p), 0);
	assert_int_equal(p.plic_context, -1);
}

/*
 * The slots keep device-tree order, as Linux does: QEMU lists them from
 * the highest address down, and the first -device fills the first one.
 */
static void
test_virt_virtio_order(void **state)
{
	struct platform p;

	assert_int_equal(parse("qemu-virt", 0, &p), 0);
	assert_int_equal(p.nvirtio, 8);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(p.virtio[i].base, 0x10008000 - 0x1000 * i);
		assert_int_equal(p.virtio[i].size, 0x1000);
		assert_int_equal(p.virtio[i].irq, 8 - i);
	}
}

static void
test_multi_mem(void **state)
{
	struct platform p;

	assert_int_equal(parse("multi-mem", 0, &p), 0);
	assert_int_equal(p.nmem, 3);
	assert_range(&p.mem[0], 0x80000000, 128 * MiB);
	assert_range(&p.mem[1], 0x100000000, 64 * MiB);
	assert_range(&p.mem[2], 0x110000000, 16 * MiB);
	/* /memreserve/ first, then /reserved-memory children. */
	assert_int_equal(p.nresv, 4);
	assert_range(&p.resv[0], 0x80000000, 0x20000);
	assert_range(&p.resv[1], 0x87f00000, 0x1000);
	assert_range(&p.resv[2], 0x80000000, 0x40000);
	assert_range(&p.resv[3], 0x84000000, 2 * MiB);
	assert_int_equal(p.timebase_hz, 1000000);
	/* No devices: all left zeroed. */
	assert_int_equal(p.uart.base, 0);
	assert_int_equal(p.nvirtio, 0);
}

static void
test_disabled_cpu_and_bootargs(void **state)
{
	struct platform p;

	assert_int_equal(parse("cpus", 0, &p), 0);
	assert_int_equal(p.nharts, 3);		/* cpu@1 is disabled */
	assert_int_equal(p.harts[0], 0);
	assert_int_equal(p.harts[1], 2);	/* no status: okay */
	assert_int_equal(p.harts[2], 3);	/* status "ok" */
	assert_int_equal(p.timebase_hz, 12500000);	/* from cpu@0 */
	assert_string_equal(p.bootargs, "init=/bin/sh test=all");
	assert_string_equal(p.model, "test,cpus");
	assert_string_equal(p.mmu, "");		/* no mmu-type */
}

static void
test_isa_of_boot_hart(void **state)
{
	struct platform p;

	assert_int_equal(parse("cpus", 0, &p), 0);
	assert_string_equal(p.isa, "rv64imac_zicsr");
	assert_false(p.has_sstc);
	assert_int_equal(parse("cpus", 2, &p), 0);
	assert_string_equal(p.isa, "rv64imafdc_zicsr_sstc");
	assert_true(p.has_sstc);
	assert_int_equal(parse("cpus", 3, &p), 0);
	assert_string_equal(p.isa, "rv64imac_sstcx");
	assert_false(p.has_sstc);
	/* A disabled boot hart's string is ignored: the first hart's wins. */
	assert_int_equal(parse("cpus", 1, &p), 0);
	assert_string_equal(p.isa, "rv64imac_zicsr");
}

static void
test_no_memory(void **state)
{
	struct platform p;

	assert_int_equal(parse("no-memory", 0, &p), -1);
	assert_int_equal(p.nmem, 0);
	assert_int_equal(p.nharts, 1);
	assert_int_equal(p.plic_context, -1);
}

static void
test_no_plic(void **state)
{
	struct platform p;

	assert_int_equal(parse("no-plic", 0, &p), 0);
	assert_int_equal(p.plic.base, 0);
	assert_int_equal(p.plic_ndev, 0);
	assert_int_equal(p.plic_context, -1);
	assert_int_equal(p.test.base, 0);
	assert_false(p.has_sstc);
	/* One address and one size cell on this bus. */
	assert_int_equal(p.uart.base, 0x10000000);
	assert_int_equal(p.uart.size, 0x100);
	assert_int_equal(p.uart.irq, 10);
	assert_int_equal(p.uart_clock_hz, 0);
	/* The disabled virtio slot is skipped. */
	assert_int_equal(p.nvirtio, 1);
	assert_int_equal(p.virtio[0].base, 0x10001000);
	assert_int_equal(p.virtio[0].irq, 1);
}

static void
test_empty_tree(void **state)
{
	struct platform p;
	struct fdt fdt;
	size_t size;
	uint8_t *blob = host_read_dtb("qemu-virt", &size);

	/* A structure block with no root node. */
	assert_int_equal(fdt_init(&fdt, blob, size), 0);
	fdt.size_struct = 0;
	assert_int_equal(platform_parse(&p, &fdt, 0), -1);
	assert_int_equal(p.nmem, 0);
	assert_int_equal(p.plic_context, -1);
	free(blob);
}

static void
test_isa_has_extension(void **state)
{
	assert_true(isa_has_extension("rv64imac_zicsr_sstc", "sstc"));
	assert_true(isa_has_extension("rv64imac_sstc_zicsr", "sstc"));
	assert_true(isa_has_extension("rv64imac_zicsr_sstc", "zicsr"));
	assert_false(isa_has_extension("rv64imac_sstcx", "sstc"));
	assert_false(isa_has_extension("rv64imac_xsstc", "sstc"));
	assert_false(isa_has_extension("rv64imac_sst", "sstc"));
	assert_false(isa_has_extension("rv64imac", "sstc"));
	assert_false(isa_has_extension("rv64imac", "imac"));	/* base ISA */
	assert_false(isa_has_extension("", "sstc"));
	assert_false(isa_has_extension("rv64imac_", "sstc"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_memory_and_harts),
		cmocka_unit_test(test_virt_devices),
		cmocka_unit_test(test_virt_plic_context),
		cmocka_unit_test(test_virt_virtio_order),
		cmocka_unit_test(test_multi_mem),
		cmocka_unit_test(test_disabled_cpu_and_bootargs),
		cmocka_unit_test(test_isa_of_boot_hart),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_no_plic),
		cmocka_unit_test(test_empty_tree),
		cmocka_unit_test(test_isa_has_extension),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
