/*
 * Tests of the flattened device tree reader (kern/subr_fdt.c) on QEMU's
 * own virt DTB and on a fixture: header checks, path lookup, compatible
 * and phandle search, the tree walkers, reg decoding and the reservation
 * map.  Malformed blobs are test_fdt_robust.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/fdt.h"
#include "tests/host/kernel_host.h"

struct blob {
	uint8_t *data;
	size_t size;
	struct fdt fdt;
};

static struct blob virt;	/* qemu-virt.dtb, loaded by the group setup */

static void
load(struct blob *b, const char *name)
{
	b->data = host_read_dtb(name, &b->size);
	assert_int_equal(fdt_init(&b->fdt, b->data, b->size), 0);
}

static int
setup(void **state)
{
	load(&virt, "qemu-virt");
	return 0;
}

static int
teardown(void **state)
{
	free(virt.data);
	return 0;
}

static int
path(const char *p)
{
	return fdt_path(&virt.fdt, p);
}

/* fdt_init on a copy of the virt blob with header word `off` set to v. */
static int
init_patched(size_t off, uint32_t v, size_t maxsize)
{
	uint8_t *copy = malloc(virt.size);
	struct fdt fdt;
	int r;

	assert_non_null(copy);
	memcpy(copy, virt.data, virt.size);
	host_put32(copy + off, v);
	r = fdt_init(&fdt, copy, maxsize);
	free(copy);
	return r;
}

static void
test_init(void **state)
{
	const struct fdt *f = &virt.fdt;

	assert_int_equal(fdt_header_totalsize(virt.data), virt.size);
	assert_int_equal(f->totalsize, virt.size);
	assert_true(f->off_struct + f->size_struct <= f->totalsize);
	assert_true(f->off_strings + f->size_strings <= f->totalsize);
	assert_int_equal(fdt_root(f), 0);
	assert_string_equal(fdt_node_name(f, fdt_root(f)), "");
}

static void
test_init_rejects_bad_headers(void **state)
{
	const uint32_t ts = (uint32_t)virt.size;
	const struct {
		size_t off;		/* header word */
		uint32_t val;
	} bad[] = {
		{ 0, 0xd00dfeee },			/* magic */
		{ 4, ts + 1 }, { 4, 39 },		/* totalsize */
		{ 8, ts + 4 },				/* off_struct */
		{ 8, virt.fdt.off_struct + 2 },
		{ 12, ts + 1 },				/* off_strings */
		{ 16, ts }, { 16, 44 },			/* off_rsvmap */
		{ 20, 16 },				/* version */
		{ 24, 18 },				/* last_comp */
		{ 32, ts }, { 32, 0xffffffff },		/* size_strings */
		{ 36, ts }, { 36, 0xfffffffc },		/* size_struct */
		{ 36, virt.fdt.size_struct - 2 },
	};

	for (size_t i = 0; i < nitems(bad); i++)
		if (init_patched(bad[i].off, bad[i].val, virt.size) != -1)
			fail_msg("header word %zu = %#x accepted", bad[i].off,
			    bad[i].val);
	assert_int_equal(fdt_header_totalsize("\xd0\x0d\xfe\xee\0\0\0\x40"), 0);
	/* The unpatched blob passes, but not with too small a maxsize. */
	assert_int_equal(init_patched(0, FDT_MAGIC, virt.size), 0);
	assert_int_equal(init_patched(0, FDT_MAGIC, virt.size - 1), -1);
	assert_int_equal(init_patched(0, FDT_MAGIC, 39), -1);
}

static void
test_path(void **state)
{
	const struct fdt *f = &virt.fdt;
	int serial = path("/soc/serial@10000000");

	assert_int_equal(path("/"), fdt_root(f));
	assert_string_equal(fdt_node_name(f, path("/chosen")), "chosen");
	assert_string_equal(fdt_node_name(f, path("/cpus")), "cpus");
	assert_string_equal(fdt_node_name(f, path("/cpus/cpu@3")), "cpu@3");
	assert_string_equal(fdt_node_name(f,
	    path("/cpus/cpu@0/interrupt-controller")), "interrupt-controller");
	assert_true(serial != FDT_NONE);
	assert_string_equal(fdt_node_name(f, serial), "serial@10000000");
	/* A component without a unit address matches the first such node. */
	assert_int_equal(path("/soc/serial"), serial);
	assert_int_equal(path("/cpus/cpu"), path("/cpus/cpu@0"));
	/* Extra slashes are ignored. */
	assert_int_equal(path("//soc//serial@10000000/"), serial);
	/* No partial or wrong matches. */
	assert_int_equal(path("/soc/seria"), FDT_NONE);
	assert_int_equal(path("/soc/serial@1000000"), FDT_NONE);
	assert_int_equal(path("/soc/serial@100000000"), FDT_NONE);
	assert_int_equal(path("/serial@10000000"), FDT_NONE);
	assert_int_equal(path("/nonexistent"), FDT_NONE);
	assert_int_equal(path("/chosen/x"), FDT_NONE);
	assert_int_equal(path("chosen"), FDT_NONE);
	assert_int_equal(path(""), FDT_NONE);
}

static void
test_find_compatible(void **state)
{
	const struct fdt *f = &virt.fdt;
	int node, n = 0, plic = path("/soc/plic@c000000");

	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "ns16550a"),
	    path("/soc/serial@10000000"));
	/* Any string of the list matches, but only whole strings. */
	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "sifive,test0"),
	    path("/soc/test@100000"));
	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "syscon"),
	    path("/soc/test@100000"));
	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "sifive,test"),
	    FDT_NONE);
	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "riscv,plic0"), plic);
	assert_true(fdt_is_compatible(f, plic, "sifive,plic-1.0.0"));
	assert_false(fdt_is_compatible(f, plic, "riscv,plic"));
	assert_false(fdt_is_compatible(f, path("/chosen"), "riscv,plic0"));
	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "no,such-device"),
	    FDT_NONE);
	node = FDT_NONE;
	while ((node = fdt_find_compatible(f, node, "virtio,mmio")) !=
	    FDT_NONE) {
		assert_string_equal(fdt_getprop_str(f, node, "compatible"),
		    "virtio,mmio");
		n++;
	}
	assert_int_equal(n, 8);
	/* The search starts after `after`, also for the root itself. */
	assert_int_equal(fdt_find_compatible(f, fdt_root(f), "riscv-virtio"),
	    FDT_NONE);
	assert_int_equal(fdt_find_compatible(f, FDT_NONE, "riscv-virtio"),
	    fdt_root(f));
}

static void
assert_reg(int node, int index, uint64_t addr, uint64_t size)
{
	uint64_t a = ~0ULL, s = ~0ULL;

	assert_int_equal(fdt_reg(&virt.fdt, node, index, &a, &s), 0);
	assert_int_equal(a, addr);
	assert_int_equal(s, size);
}

static void
test_reg(void **state)
{
	const struct fdt *f = &virt.fdt;
	uint64_t a, s;

	assert_reg(path("/soc/serial@10000000"), 0, 0x10000000, 0x100);
	assert_reg(path("/memory@80000000"), 0, 0x80000000, 512UL << 20);
	assert_reg(path("/flash@20000000"), 1, 0x22000000, 0x2000000);
	/* /cpus has one address cell and no size cells. */
	assert_reg(path("/cpus/cpu@2"), 0, 2, 0);
	assert_int_equal(fdt_reg(f, path("/cpus/cpu@2"), 1, &a, &s), -1);
	assert_int_equal(fdt_reg(f, path("/soc/serial"), 1, &a, &s), -1);
	assert_int_equal(fdt_reg(f, path("/soc/serial"), -1, &a, &s), -1);
	assert_int_equal(fdt_reg(f, path("/chosen"), 0, &a, &s), -1);
	assert_int_equal(fdt_reg(f, FDT_NONE, 0, &a, &s), -1);
}

static void
test_getprop(void **state)
{
	const struct fdt *f = &virt.fdt;
	int cpu0 = path("/cpus/cpu@0"), len = -1;
	uint32_t v = 0;

	assert_true(fdt_getprop_u32(f, path("/cpus"), "timebase-frequency",
	    &v));
	assert_int_equal(v, 10000000);
	assert_true(fdt_getprop_u32(f, path("/soc/plic"), "riscv,ndev", &v));
	assert_int_equal(v, 96);
	/* Not a single cell: rejected, *val untouched. */
	v = 1234;
	assert_false(fdt_getprop_u32(f, path("/soc/serial"), "reg", &v));
	assert_false(fdt_getprop_u32(f, cpu0, "no-such-prop", &v));
	assert_int_equal(v, 1234);
	/* Lengths, empty properties, strings. */
	assert_non_null(fdt_getprop(f, path("/soc/serial"), "reg", &len));
	assert_int_equal(len, 16);
	assert_non_null(fdt_getprop(f, path("/soc"), "ranges", &len));
	assert_int_equal(len, 0);
	assert_null(fdt_getprop_str(f, path("/soc"), "ranges"));
	assert_string_equal(fdt_getprop_str(f, fdt_root(f), "model"),
	    "riscv-virtio,qemu");
	assert_string_equal(fdt_getprop_str(f, cpu0, "status"), "okay");
	assert_non_null(fdt_getprop(f, cpu0, "riscv,isa", NULL));
	/* A child's properties are not its parent's. */
	assert_null(fdt_getprop(f, cpu0, "interrupt-controller", NULL));
	assert_null(fdt_getprop(f, path("/cpus"), "riscv,isa", NULL));
	/* Offsets that are not nodes. */
	assert_null(fdt_getprop(f, FDT_NONE, "reg", NULL));
	assert_null(fdt_getprop(f, 4, "reg", NULL));
	assert_null(fdt_getprop(f, (int)f->size_struct, "reg", NULL));
	assert_null(fdt_node_name(f, FDT_NONE));
}

static void
test_parent(void **state)
{
	const struct fdt *f = &virt.fdt;
	int cpu0 = path("/cpus/cpu@0");

	assert_int_equal(fdt_parent(f, path("/soc/serial")), path("/soc"));
	assert_int_equal(fdt_parent(f, path("/soc")), fdt_root(f));
	assert_int_equal(fdt_parent(f,
	    path("/cpus/cpu@0/interrupt-controller")), cpu0);
	assert_int_equal(fdt_parent(f, path("/cpus/cpu-map/cluster0/core3")),
	    path("/cpus/cpu-map/cluster0"));
	assert_int_equal(fdt_parent(f, fdt_root(f)), FDT_NONE);
	assert_int_equal(fdt_parent(f, FDT_NONE), FDT_NONE);
	assert_int_equal(fdt_parent(f, 4), FDT_NONE);	/* not a node */
}

/* Depth of node by following fdt_parent to the root. */
static int
parent_depth(const struct fdt *f, int node)
{
	int d = 0;

	while ((node = fdt_parent(f, node)) != FDT_NONE)
		d++;
	return d;
}

/* Nodes in the subtree of node, counted with first_child/next_sibling. */
static int
count_subtree(const struct fdt *f, int node)
{
	int n = 1;

	for (int c = fdt_first_child(f, node); c != FDT_NONE;
	    c = fdt_next_sibling(f, c))
		n += count_subtree(f, c);
	return n;
}

static void
test_walkers_agree(void **state)
{
	const struct fdt *f = &virt.fdt;
	int depth = 0, nodes = 0, children = 0;

	for (int n = fdt_root(f); n != FDT_NONE;
	    n = fdt_next_node(f, n, &depth)) {
		assert_int_equal(depth, parent_depth(f, n));
		nodes++;
	}
	assert_int_equal(nodes, count_subtree(f, fdt_root(f)));
	for (int c = fdt_first_child(f, path("/cpus")); c != FDT_NONE;
	    c = fdt_next_sibling(f, c))
		children++;
	assert_int_equal(children, 5);	/* cpu@0..3, cpu-map */
	assert_int_equal(fdt_first_child(f, path("/chosen")), FDT_NONE);
	assert_int_equal(fdt_next_sibling(f, fdt_root(f)), FDT_NONE);
	assert_int_equal(fdt_next_sibling(f, path("/cpus/cpu-map")), FDT_NONE);
}

static void
test_find_phandle(void **state)
{
	const struct fdt *f = &virt.fdt;
	int serial = path("/soc/serial"), plic = path("/soc/plic");
	uint32_t ph;

	assert_true(fdt_getprop_u32(f, serial, "interrupt-parent", &ph));
	assert_int_equal(fdt_find_phandle(f, ph), plic);
	assert_true(fdt_getprop_u32(f, path("/cpus/cpu@1/interrupt-controller"),
	    "phandle", &ph));
	assert_int_equal(fdt_parent(f, fdt_find_phandle(f, ph)),
	    path("/cpus/cpu@1"));
	assert_int_equal(fdt_find_phandle(f, 0xdeadbeef), FDT_NONE);
	assert_int_equal(fdt_find_phandle(f, 0), FDT_NONE);
}

static void
test_rsvmap(void **state)
{
	struct blob mm;
	uint64_t a, s;

	/* QEMU's map is empty. */
	assert_int_equal(fdt_rsvmap(&virt.fdt, 0, &a, &s), -1);

	load(&mm, "multi-mem");
	assert_int_equal(fdt_rsvmap(&mm.fdt, 0, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x20000);
	assert_int_equal(fdt_rsvmap(&mm.fdt, 1, &a, &s), 0);
	assert_int_equal(a, 0x87f00000);
	assert_int_equal(s, 0x1000);
	assert_int_equal(fdt_rsvmap(&mm.fdt, 2, &a, &s), -1);
	assert_int_equal(fdt_rsvmap(&mm.fdt, -1, &a, &s), -1);
	free(mm.data);
}

static void
test_byte_helpers(void **state)
{
	static const uint8_t be[] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
	    0xcd, 0xef };

	assert_int_equal(fdt32_to_cpu(be), 0x01234567);
	assert_int_equal(fdt64_to_cpu(be), 0x0123456789abcdefULL);
	assert_int_equal(fdt32_to_cpu(be + 1), 0x23456789);	/* unaligned */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_init_rejects_bad_headers),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_find_compatible),
		cmocka_unit_test(test_reg),
		cmocka_unit_test(test_getprop),
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_walkers_agree),
		cmocka_unit_test(test_find_phandle),
		cmocka_unit_test(test_rsvmap),
		cmocka_unit_test(test_byte_helpers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
