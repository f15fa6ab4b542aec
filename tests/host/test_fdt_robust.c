/*
 * Robustness of the device tree reader (kern/subr_fdt.c) and of
 * platform_parse() against malformed blobs, derived from QEMU's virt DTB:
 * every truncation, and thousands of deterministic random corruptions of
 * the structure and strings blocks.  Each must be rejected by fdt_init()
 * or survive a walk that uses every reader on every node: no read outside
 * the blob (ASan), no value outside the structure block, and termination
 * (a watchdog alarm kills a hung walk).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kern/fdt.h"
#include "kern/platform.h"
#include "tests/host/kernel_host.h"

#define FUZZ_SEED	0x5eed0fd7a11ce5ULL
#define FUZZ_ROUNDS	4000
#define WATCHDOG_SECS	60
#define MAX_NAMES	128

static uint8_t *virt;		/* qemu-virt.dtb, loaded by the group setup */
static size_t virt_size;
static struct fdt virt_fdt;
static uint8_t *scratch;	/* mangled copies; freed even if a test fails */

/* The property names of the pristine blob: what the walk asks for. */
static const char *names[MAX_NAMES];
static int nnames;

static void
collect_names(void)
{
	const char *s = (const char *)virt + virt_fdt.off_strings;
	const char *end = s + virt_fdt.size_strings;

	nnames = 0;
	for (; s < end && nnames < MAX_NAMES - 1; s += strnlen(s, end - s) + 1)
		names[nnames++] = s;
	names[nnames++] = "no-such-property";
}

static int
setup(void **state)
{
	virt = host_read_dtb("qemu-virt", &virt_size);
	assert_int_equal(fdt_init(&virt_fdt, virt, virt_size), 0);
	collect_names();
	alarm(WATCHDOG_SECS);	/* a hang in the parser kills the run */
	return 0;
}

static int
teardown(void **state)
{
	alarm(0);
	free(scratch);
	free(virt);
	return 0;
}

/* [p, p + len) must lie inside the structure block of f. */
static void
assert_in_struct(const struct fdt *f, const void *p, int len)
{
	const uint8_t *b = p, *lo = f->blob + f->off_struct;

	if (len < 0 || b < lo || b > lo + f->size_struct ||
	    (size_t)len > (size_t)(lo + f->size_struct - b))
		fail_msg("value at struct offset %td, length %d, outside the "
		    "%u-byte structure block", b - lo, len, f->size_struct);
}

/* Read every byte, so that ASan checks the whole value. */
static void
touch(const void *p, int len)
{
	const volatile uint8_t *b = p;

	for (int i = 0; i < len; i++)
		(void)b[i];
}

/* Ask for every property of node in every way the API offers. */
static void
probe_node(const struct fdt *f, int node)
{
	const char *name = fdt_node_name(f, node);
	uint64_t a, s;
	uint32_t v;

	if (name != NULL)
		assert_in_struct(f, name, (int)strlen(name) + 1);
	fdt_parent(f, node);
	fdt_first_child(f, node);
	fdt_next_sibling(f, node);
	for (int i = 0; i < nnames; i++) {
		int len;
		const void *p = fdt_getprop(f, node, names[i], &len);

		if (p != NULL) {
			assert_in_struct(f, p, len);
			touch(p, len);
		}
		fdt_getprop_str(f, node, names[i]);
		fdt_getprop_u32(f, node, names[i], &v);
	}
	fdt_is_compatible(f, node, "virtio,mmio");
	for (int i = 0; i < 64 && fdt_reg(f, node, i, &a, &s) == 0; i++)
		;
}

/* Everything a consumer of the tree might do; each call must terminate. */
static void
walk_everything(const struct fdt *f)
{
	static const char *const paths[] = {
		"/", "/chosen", "/cpus", "/cpus/cpu@0/interrupt-controller",
		"/soc/serial", "/soc/plic@c000000", "/reserved-memory",
	};
	struct platform plat;
	int depth = 0, node, nodes = 0;
	uint64_t a, s;

	for (node = fdt_root(f); node != FDT_NONE;
	    node = fdt_next_node(f, node, &depth)) {
		assert_true(++nodes <= (int)f->size_struct / 4);
		probe_node(f, node);
	}
	for (size_t i = 0; i < nitems(paths); i++)
		fdt_path(f, paths[i]);
	for (node = FDT_NONE, nodes = 0;
	    (node = fdt_find_compatible(f, node, "virtio,mmio")) != FDT_NONE;)
		assert_true(++nodes <= (int)f->size_struct / 4);
	fdt_find_phandle(f, 9);		/* the PLIC's in QEMU's tree */
	for (int i = 0; fdt_rsvmap(f, i, &a, &s) == 0; i++)
		assert_true(i < (int)(f->totalsize / 16));
	if (platform_parse(&plat, f, 0) == 0) {
		assert_true(plat.nmem > 0 && plat.nmem <= PLAT_MAX_MEM);
		assert_true(plat.nharts > 0 && plat.nharts <= PLAT_MAX_HARTS);
		assert_true(plat.nvirtio <= PLAT_MAX_VIRTIO);
		assert_true(strnlen(plat.bootargs, PLAT_BOOTARGS_MAX) <
		    PLAT_BOOTARGS_MAX);
		assert_true(strnlen(plat.isa, PLAT_ISA_MAX) < PLAT_ISA_MAX);
	}
}

static void
test_pristine_walk(void **state)
{
	assert_true(nnames > 10);
	walk_everything(&virt_fdt);
}

/*
 * Every prefix of the blob, as is: fdt_init must refuse all but the whole.
 * Then every prefix with a header rewritten to claim just the bytes that
 * are there (blocks cut short or empty): fdt_init may accept it, and then
 * everything must work on the remains.
 */
static void
test_truncated(void **state)
{
	const struct fdt *v = &virt_fdt;
	int accepted = 0;

	for (size_t len = 0; len <= virt_size; len++) {
		struct fdt f;

		free(scratch);
		scratch = malloc(len > 0 ? len : 1);
		assert_non_null(scratch);
		memcpy(scratch, virt, len);
		assert_int_equal(fdt_init(&f, scratch, len),
		    len == virt_size ? 0 : -1);
		if (len < 40)
			continue;
		host_put32(scratch + 4, (uint32_t)len);
		host_put32(scratch + 36, len <= v->off_struct ? 0 :
		    MIN(v->size_struct, (uint32_t)(len - v->off_struct) & ~3u));
		host_put32(scratch + 12, MIN(v->off_strings, (uint32_t)len));
		host_put32(scratch + 32, len <= v->off_strings ? 0 :
		    MIN(v->size_strings, (uint32_t)(len - v->off_strings)));
		if (fdt_init(&f, scratch, len) == 0) {
			walk_everything(&f);
			accepted++;
		}
	}
	/* Everything from the end of the reservation map on is parsable. */
	assert_int_equal(accepted, virt_size - v->off_struct + 1);
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Values that steer a 32-bit token or length field somewhere interesting. */
static uint32_t
interesting(uint64_t *s, const struct fdt *f)
{
	static const uint32_t vals[] = {
		0, 1, 2, 3, 4, 9, 12, 0x7fffffff, 0x80000000, 0xfffffffc,
		0xffffffff,
	};
	uint64_t r = rnd(s);

	switch (r % 4) {
	case 0:
		return vals[(r >> 8) % nitems(vals)];
	case 1:
		return f->size_struct - (uint32_t)((r >> 8) % 64);
	case 2:
		return (uint32_t)((r >> 8) % 64);
	default:
		return (uint32_t)(r >> 16);
	}
}

/* Corrupt 1..4 places in the structure and strings blocks of buf. */
static void
mutate(uint8_t *buf, uint64_t *s)
{
	const struct fdt *f = &virt_fdt;
	uint32_t lo = f->off_struct;
	uint32_t span = f->off_strings + f->size_strings - lo;
	int n = 1 + (int)(rnd(s) % 4);

	for (int i = 0; i < n; i++) {
		uint64_t r = rnd(s);
		uint32_t off = lo + (uint32_t)(r % span);

		if ((r >> 32) & 1)
			buf[off] = (uint8_t)(r >> 40);
		else if (off + 4 <= lo + span)
			host_put32(buf + (off & ~3u), interesting(s, f));
	}
}

static void
test_fuzz(void **state)
{
	uint64_t seed = FUZZ_SEED;
	struct fdt f;

	free(scratch);
	scratch = malloc(virt_size);
	assert_non_null(scratch);
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		memcpy(scratch, virt, virt_size);
		mutate(scratch, &seed);
		assert_int_equal(fdt_init(&f, scratch, virt_size), 0);
		walk_everything(&f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pristine_walk),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
