/*
 * vmstat: VM statistics.
 *
 *   vmstat [-w N] [N [C]]  FreeBSD's columns: a header, then a line every
 *                  N seconds (C lines; once without N), the first with
 *                  rates averaged since boot.  procs: r running or
 *                  runnable threads (vmstat's own not counted), b blocked
 *                  (uninterruptible or waiting for memory), w swapped out
 *                  (always 0); memory: avm active virtual memory, fre free
 *                  memory; page, per second: flt faults, re pages
 *                  reactivated, pi/po pager page-ins/outs (swap and
 *                  vnode), fr pages freed, sr pages scanned by the page
 *                  daemon; faults, per second: in interrupts, sy system
 *                  calls, cs context switches; cpu: us user, sy system,
 *                  id idle, percent of the harts' ticks.  FreeBSD's disks
 *                  columns are left out.
 *   vmstat -F [N [C]]  vmk's fault-path view instead: free, active and
 *                  inactive pages and swap pages in use, then per second
 *                  faults, zero fills, COW faults and renames, pages in
 *                  (pi) and out (po) of swap, freed (fr) and scanned (sr)
 *                  by the page daemon
 *   vmstat -s      every counter, with its name, as the BSDs print it
 *   vmstat -P      one line per hart: faults, system calls, traps,
 *                  interrupts and context switches since boot
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	{ "vm.v_prefault_exec", "used program pages mapped by exec" },
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
	{ "vm.v_tfree", "pages freed" },
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
	{ "vm.v_page_size", "bytes per page" },
	{ "vm.v_page_count", "pages of memory" },
	{ "vm.v_free_count", "pages free" },
	{ "vm.v_active_count", "pages active" },
	{ "vm.v_inactive_count", "pages inactive" },
	{ "vm.v_wire_count", "pages wired down" },
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

/* The counters a line of -F shows, per second. */
static const char *const fault_rate_names[] = {
	"vm.v_vm_faults", "vm.v_zfod", "vm.v_cow_faults", "vm.v_cow_optim",
	"vm.v_swappgsin", "vm.v_swappgsout", "vm.v_dfree", "vm.v_pdpages",
};
#define NFAULTRATES	(sizeof(fault_rate_names) / sizeof(fault_rate_names[0]))

/* One line of -F; prev holds the counters at the line before. */
static void
fault_line(uint64_t *prev, uint64_t div)
{
	printf("%5llu %7llu %8llu %4llu",
	    (unsigned long long)stat("vm.v_free_count"),
	    (unsigned long long)stat("vm.v_active_count"),
	    (unsigned long long)stat("vm.v_inactive_count"),
	    (unsigned long long)vmk_sysctl_u64("vm.swap_used"));
	for (size_t i = 0; i < NFAULTRATES; i++) {
		uint64_t now = stat(fault_rate_names[i]);

		printf(" %*llu", i == 0 ? 8 : 5,
		    (unsigned long long)((now - prev[i]) / div));
		prev[i] = now;
	}
	putchar('\n');
}

/*
 * The counters of FreeBSD's page and faults columns: each column is the
 * sum of its counters (pi and po add swap and vnode pager operations).
 */
static const char *const bsd_rate_names[][2] = {
	{ "vm.v_vm_faults" }, { "vm.v_reactivated" },
	{ "vm.v_swapin", "vm.v_vnodein" }, { "vm.v_swapout", "vm.v_vnodeout" },
	{ "vm.v_tfree" }, { "vm.v_pdpages" },
	{ "sys.v_intr" }, { "sys.v_syscall" }, { "sys.v_swtch" },
};
#define NBSDRATES	(sizeof(bsd_rate_names) / sizeof(bsd_rate_names[0]))
static const int bsd_rate_width[NBSDRATES] = { 5, 3, 3, 3, 4, 4, 4, 5, 5 };

/* Bytes as FreeBSD's humanize_number does for a 4-column field. */
static void
print_size(uint64_t bytes)
{
	static const char units[] = "BKMGT";
	double v = (double)bytes;
	int u = 0;

	while (v >= 999.5 && u < 4) {
		v /= 1024;
		u++;
	}
	if (v < 9.95 && u > 0)
		printf(" %3.1f%c", v, units[u]);
	else
		printf(" %3.0f%c", v, units[u]);
}

/*
 * One line of the default view.  prev holds the counters and cpu ticks
 * at the line before (zeros before the first); div is the seconds since
 * then.
 */
static void
bsd_line(uint64_t *prev, uint64_t cp_prev[5], uint64_t div)
{
	struct vmk_vmtotal t;
	uint64_t cp[5] = { 0 }, cp_sum = 0, d[5];
	size_t len = sizeof(t), cplen = sizeof(cp);
	uint64_t pagesize = (uint64_t)getpagesize();

	memset(&t, 0, sizeof(t));
	vmk_sysctl("vm.vmtotal", &t, &len, NULL, 0);
	vmk_sysctl("kern.cp_time", cp, &cplen, NULL, 0);
	printf("%2d %2d %2d", t.t_rq > 0 ? t.t_rq - 1 : 0, t.t_dw + t.t_pw,
	    t.t_sw);
	print_size(t.t_avm * pagesize);
	print_size(t.t_free * pagesize);
	for (size_t i = 0; i < NBSDRATES; i++) {
		uint64_t now = stat(bsd_rate_names[i][0]);

		if (bsd_rate_names[i][1] != NULL)
			now += stat(bsd_rate_names[i][1]);
		printf(" %*llu", bsd_rate_width[i],
		    (unsigned long long)((now - prev[i]) / div));
		prev[i] = now;
	}
	for (int s = 0; s < 5; s++) {
		d[s] = cp[s] - cp_prev[s];
		cp_sum += d[s];
		cp_prev[s] = cp[s];
	}
	if (cp_sum == 0)
		cp_sum = 1;
	printf(" %2llu %2llu %3llu\n",
	    (unsigned long long)((d[0] + d[1]) * 100 / cp_sum),
	    (unsigned long long)((d[2] + d[3]) * 100 / cp_sum),
	    (unsigned long long)(d[4] * 100 / cp_sum));
}

/* Whole seconds since boot, at least 1 (the first line's divisor). */
static uint64_t
uptime_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec > 0 ? (uint64_t)ts.tv_sec : 1;
}

/*
 * The header, then a line every interval seconds, count lines (no limit
 * if negative; one if interval is 0).  fault_view picks -F's columns.
 */
static void
rates(int fault_view, unsigned interval, long count)
{
	uint64_t prev[NFAULTRATES > NBSDRATES ? NFAULTRATES : NBSDRATES] = { 0 };
	uint64_t cp_prev[5] = { 0 };

	if (fault_view)
		printf(" free  active inactive swap   faults  zfod   cow rename"
		    "    pi    po    fr    sr\n");
	else
		printf(" procs    memory    page                        faults"
		    "          cpu\n"
		    " r  b  w  avm  fre   flt  re  pi  po   fr   sr   in    sy"
		    "    cs us sy  id\n");
	for (long n = 0; count < 0 || n < count; n++) {
		uint64_t div = n == 0 ? (fault_view ? 1 : uptime_seconds()) :
		    interval;

		if (fault_view)
			fault_line(prev, div);
		else
			bsd_line(prev, cp_prev, div);
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

static void
usage(void)
{
	fprintf(stderr, "usage: vmstat [-s | -P | [-F] [-w wait] [interval [count]]]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int fault_view = 0, opt;
	long interval = 0, count;

	while ((opt = getopt(argc, argv, "sPFw:")) != -1) {
		switch (opt) {
		case 's':
			summary();
			return 0;
		case 'P':
			return per_hart();
		case 'F':
			fault_view = 1;
			break;
		case 'w':
			interval = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		interval = atol(argv[optind++]);
	count = optind < argc ? atol(argv[optind++]) : (interval > 0 ? -1 : 1);
	if (optind < argc || interval < 0)
		usage();
	rates(fault_view, (unsigned)interval, count);
	return 0;
}
