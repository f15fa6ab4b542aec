/*
 * In-kernel tests of the foundation: platform discovery, the formatter,
 * the symbol table, the timer and the command line.
 */
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/ksyms.h"
#include "kern/ktest.h"
#include "kern/platform.h"
#include "machine/riscv.h"

extern struct platform platform;
void kmain(uint64_t, paddr_t, paddr_t);

KTEST(platform_from_dtb, 0)
{
	KT_ASSERT(platform.nmem >= 1);
	KT_ASSERT(platform.mem[0].end > platform.mem[0].start);
	KT_ASSERT(platform.nharts >= 1);
	KT_ASSERT(platform.timebase_hz > 0);
	KT_ASSERT(platform.uart.base != 0);
	KT_ASSERT(platform.plic.base != 0);
	KT_ASSERT(platform.plic_context >= 0);
	KT_ASSERT(platform.test.base != 0);
	KT_ASSERT(platform.nvirtio == 8);
	/* Device-tree order, which QEMU makes descending. */
	for (int i = 1; i < platform.nvirtio; i++)
		KT_ASSERT(platform.virtio[i - 1].base > platform.virtio[i].base);
}

KTEST(printf_formats, 0)
{
	char buf[64];

	KT_EQ(ksnprintf(buf, sizeof(buf), "%d|%5u|%-4x|%#lx|%s", -42, 7U, 0xabU,
	    0x1000UL, "ok"), 24);
	KT_ASSERT(strcmp(buf, "-42|    7|ab  |0x1000|ok") == 0);
	KT_EQ(ksnprintf(buf, 4, "%s", "truncated"), 9);
	KT_ASSERT(strcmp(buf, "tru") == 0);
}

KTEST(ksyms_names_functions, 0)
{
	uint64_t off = ~0UL;
	const char *name = ksym_lookup((uint64_t)kmain + 8, &off);

	KT_ASSERT(name != NULL);
	KT_ASSERT(strcmp(name, "kmain") == 0);
	KT_EQ(off, 8);
	KT_EQ(ksym_address("kmain"), (uint64_t)kmain);
	KT_ASSERT(ksym_lookup(0x1000, &off) == NULL);
}

/* The timer interrupt must advance ticks at about HZ per second. */
KTEST(timer_ticks, 0)
{
	uint64_t start = ticks;
	uint64_t deadline = rdtime() + platform.timebase_hz / 2;

	KT_ASSERT(csr_read(sstatus) & SSTATUS_SIE);
	while (ticks < start + 5 && rdtime() < deadline)
		wfi();
	KT_ASSERT(ticks >= start + 5);
}

KTEST(cmdline_parses_bootargs, 0)
{
	struct cmdline cl;

	cmdline_parse(&cl, "init=/sbin/init  test=a,b* quiet");
	KT_EQ(cl.nargs, 3);
	KT_ASSERT(strcmp(cmdline_get(&cl, "init"), "/sbin/init") == 0);
	KT_ASSERT(strcmp(cmdline_get(&cl, "test"), "a,b*") == 0);
	KT_ASSERT(strcmp(cmdline_get(&cl, "quiet"), "") == 0);
	KT_ASSERT(cmdline_get(&cl, "root") == NULL);
}
