/*
 * vmstat: VM statistics.
 *
 *   vmstat -s      every counter, with its name, as the BSDs print it
 *   vmstat -P      one line per hart: faults, system calls, traps,
 *                  interrupts and context switches since boot
 *   vmstat [N [C]] a header, then a line of rates every N seconds
 *                  (C lines; once without N): free, active and inactive
 *                  pages and swap pages in use, then per second faults,
 *                  zero fills, COW faults and renames, pages in (pi) and
 *                  out (po) of swap, freed (fr) and scanned (sr) by the
 *                  page daemon
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmksys.h"

struct counter {
	const char *name;	/* under vm.stats. */
	const char *what;
};

static const struct counter counters[] = {
	{ "vm.v_vm_faults", "page faults" },
	{ "vm.v_zfod", "zero fill pages" },
	{ "vm.v_cow_faults", "copy-on-write faults" },
	{ "vm.v_cow_optim", "copy-on-write faults optimised (page renamed)" },
	{ "vm.v_io_faults", "faults needing I/O" },
	{ "vm.v_intrans", "faults waiting for a busy page" },
	{ "vm.v_prefault_mapped", "pages mapped by prefault" },
	{ "vm.v_prefault_zeroed", "zero pages preallocated by prefault" },
	{ "vm.v_prefault_upgraded", "read-only pages made writable by write fault-around" },
	{ "vm.v_forks", "forks" },
	{ "vm.v_vforks", "vforks" },
	{ "vm.v_forkpages", "pages affected by forks" },
	{ "vm.v_vnodein", "vnode pager pageins" },
	{ "vm.v_vnodepgsin", "vnode pager pages paged in" },
	{ "vm.v_vnodeout", "vnode pager pageouts" },
	{ "vm.v_vnodepgsout", "vnode pager pages paged out" },
	{ "vm.v_swapin", "swap pager pageins" },
	{ "vm.v_swappgsin", "swap pager pages paged in" },
	{ "vm.v_swapout", "swap pager pageouts" },
	{ "vm.v_swappgsout", "swap pager pages paged out" },
	{ "vm.v_pdwakeups", "page daemon passes" },
	{ "vm.v_pdpages", "pages examined by the page daemon" },
	{ "vm.v_dfree", "pages freed by the page daemon" },
	{ "vm.v_reactivated", "pages reactivated by the page daemon" },
	{ "vm.v_pdshortfalls", "page daemon shortfalls" },
	{ "vm.v_vmwaits", "waits for free memory" },
	{ "vm.v_oom_kills", "processes killed for lack of memory" },
	{ "sys.v_swtch", "cpu context switches" },
	{ "sys.v_trap", "traps" },
	{ "sys.v_syscall", "system calls" },
	{ "sys.v_intr", "interrupts" },
	{ "sys.v_soft", "software interrupts" },
	{ "object.collapses", "objects collapsed" },
	{ "object.bypasses", "objects bypassed" },
	{ "object.shadows", "shadow objects created" },
	{ "object.depth_max", "longest shadow chain now" },
	{ "object.depth_max_ever", "longest shadow chain ever" },
	{ "object.depth_peak", "longest shadow chain since reset" },
	{ "page.v_page_count", "pages of memory" },
	{ "page.v_free_count", "pages free" },
	{ "page.v_active_count", "pages active" },
	{ "page.v_inactive_count", "pages inactive" },
	{ "page.v_wire_count", "pages wired down" },
	{ "vm.v_user_wire_count", "pages wired by mlock" },
};

static uint64_t
stat(const char *short_name)
{
	char name[VMK_SYSCTL_NAME_MAX];

	snprintf(name, sizeof(name), "vm.stats.%s", short_name);
	return vmk_sysctl_u64(name);
}

static void
summary(void)
{
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		printf("%12llu %s\n", (unsigned long long)stat(counters[i].name),
		    counters[i].what);
}

/* The counters a line of rates shows, per second. */
static const char *const rate_names[] = {
	"vm.v_vm_faults", "vm.v_zfod", "vm.v_cow_faults", "vm.v_cow_optim",
	"vm.v_swappgsin", "vm.v_swappgsout", "vm.v_dfree", "vm.v_pdpages",
};
#define NRATES	(sizeof(rate_names) / sizeof(rate_names[0]))

static void
rates(unsigned interval, long count)
{
	uint64_t prev[NRATES] = { 0 }, now[NRATES];

	printf(" free  active inactive swap   faults  zfod   cow rename"
	    "    pi    po    fr    sr\n");
	for (long n = 0; count < 0 || n < count; n++) {
		uint64_t div = n == 0 || interval == 0 ? 1 : interval;

		printf("%5llu %7llu %8llu %4llu",
		    (unsigned long long)stat("page.v_free_count"),
		    (unsigned long long)stat("page.v_active_count"),
		    (unsigned long long)stat("page.v_inactive_count"),
		    (unsigned long long)vmk_sysctl_u64("vm.swap_used"));
		for (size_t i = 0; i < NRATES; i++) {
			now[i] = stat(rate_names[i]);
			printf(" %*llu", i == 0 ? 8 : 5,
			    (unsigned long long)((now[i] - prev[i]) / div));
		}
		putchar('\n');
		memcpy(prev, now, sizeof(prev));
		if (interval == 0 || (count >= 0 && n + 1 >= count))
			break;
		sleep(interval);
	}
}

/* The per-hart counters -P shows, from vm.stats.percpu.*, as columns. */
static const struct {
	const char *name;
	const char *title;
} percpu_columns[] = {
	{ "v_vm_faults", "faults" }, { "v_syscall", "syscalls" },
	{ "v_trap", "traps" }, { "v_intr", "intr" }, { "v_swtch", "swtch" },
};
#define NPERCPU	(sizeof(percpu_columns) / sizeof(percpu_columns[0]))
#define MAXHARTS	64

/* One line per hart (as many as the kernel reports values for). */
static int
per_hart(void)
{
	uint64_t v[NPERCPU][MAXHARTS];
	size_t harts = MAXHARTS;

	for (size_t c = 0; c < NPERCPU; c++) {
		char name[VMK_SYSCTL_NAME_MAX];
		size_t len = sizeof(v[c]);

		snprintf(name, sizeof(name), "vm.stats.percpu.%s",
		    percpu_columns[c].name);
		if (vmk_sysctl(name, v[c], &len, NULL, 0) != 0) {
			perror(name);
			return 1;
		}
		if (len / sizeof(uint64_t) < harts)
			harts = len / sizeof(uint64_t);
	}
	printf("hart");
	for (size_t c = 0; c < NPERCPU; c++)
		printf(" %12s", percpu_columns[c].title);
	putchar('\n');
	for (size_t h = 0; h < harts; h++) {
		printf("%4zu", h);
		for (size_t c = 0; c < NPERCPU; c++)
			printf(" %12llu", (unsigned long long)v[c][h]);
		putchar('\n');
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "-s") == 0) {
		summary();
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "-P") == 0)
		return per_hart();
	if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "usage: vmstat [-s | -P] [interval [count]]\n");
		return 2;
	}
	rates(argc > 1 ? (unsigned)atoi(argv[1]) : 0,
	    argc > 2 ? atol(argv[2]) : (argc > 1 ? -1 : 1));
	return 0;
}
