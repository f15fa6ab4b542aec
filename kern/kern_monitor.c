/*
 * The kernel monitor: a line-oriented console shell that runs inside the
 * kernel when there is no init process to start.  It reads the console
 * through the interrupt-driven input path and offers a few inspection
 * commands.
 */
#include "kern/clock.h"
#include "kern/cons.h"
#include "kern/kernel.h"
#include "kern/ktest.h"
#include "kern/monitor.h"
#include "kern/reboot.h"
#include "kern/tty.h"
#include "fs/vnode.h"
#include "machine/machdep.h"
#include "vm/vm_page.h"

#define KMON_LINE_MAX	128

struct kmon_cmd {
	const char *name;
	const char *help;
	void (*fn)(const char *arg);
};

static void kmon_help(const char *arg);

static void
kmon_dmesg(const char *arg __unused)
{
	static char buf[16384];
	size_t n = msgbuf_copy(buf, sizeof(buf));

	cons_write(buf, n);
}

static void
kmon_mem(const char *arg __unused)
{
	kprintf("pages: %lu total, %lu free, %lu reserved (page size %lu)\n",
	    vm_page_stats.v_page_count, vm_page_free_count(),
	    vm_page_stats.v_reserved_count, PAGE_SIZE);
}

static void
kmon_uptime(const char *arg __unused)
{
	uint64_t ns = clock_uptime_ns();

	kprintf("up %lu.%03lu s, %lu ticks\n", ns / 1000000000,
	    ns / 1000000 % 1000, ticks);
}

static void
kmon_test(const char *arg)
{
	if (*arg == '\0')
		ktest_list();
	else
		ktest_run(arg);
}

static void
kmon_halt(const char *arg __unused)
{
	kern_halt(EXIT_OK);
}

static void
kmon_reboot(const char *arg __unused)
{
	cpu_reboot();
}

static const struct kmon_cmd kmon_cmds[] = {
	{ "help", "list commands", kmon_help },
	{ "dmesg", "show the kernel message buffer", kmon_dmesg },
	{ "mem", "physical page counts", kmon_mem },
	{ "uptime", "time since boot", kmon_uptime },
	{ "test", "test [SPEC]: list in-kernel tests, or run them", kmon_test },
	{ "halt", "power off", kmon_halt },
	{ "reboot", "reboot the machine", kmon_reboot },
};

static void
kmon_help(const char *arg __unused)
{
	for (size_t i = 0; i < nitems(kmon_cmds); i++)
		kprintf("  %-8s %s\n", kmon_cmds[i].name, kmon_cmds[i].help);
}

/* Read a line from the terminal (which echoes and edits); returns its length. */
static size_t
kmon_readline(char *buf, size_t size)
{
	struct uio uio = { .uio_base = buf, .uio_resid = size - 1 };
	size_t n;

	if (tty_read(&uio) != 0)
		uio.uio_resid = size - 1;
	n = size - 1 - uio.uio_resid;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return n;
}

static void
kmon_execute(char *line)
{
	char *arg = strchr(line, ' ');

	if (arg != NULL) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	} else {
		arg = line + strlen(line);
	}
	if (*line == '\0')
		return;
	for (size_t i = 0; i < nitems(kmon_cmds); i++) {
		if (strcmp(line, kmon_cmds[i].name) == 0) {
			kmon_cmds[i].fn(arg);
			return;
		}
	}
	kprintf("%s: unknown command (try help)\n", line);
}

void
kmon_run(void)
{
	char line[KMON_LINE_MAX];

	kprintf("kernel monitor: type 'help' for commands\n");
	for (;;) {
		kprintf("kmon> ");
		kmon_readline(line, sizeof(line));
		kmon_execute(line);
	}
}
