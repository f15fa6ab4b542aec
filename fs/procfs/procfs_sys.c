/*
 * procfs's system-wide files, in Linux's formats, from our counters:
 * meminfo, uptime, loadavg, stat, cpuinfo, vmstat, and /proc/sys (the
 * kernel's pid_max, and vm.* sysctl tunables as /proc/sys/vm/NAME).
 * A figure we do not keep is printed as 0, so that parsers find every
 * field they expect.
 */
#include "fs/buf.h"
#include "fs/procfs/procfs.h"
#include "kern/clock.h"
#include "kern/platform.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "machine/pcpu.h"
#include "vm/swap_pager.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

extern struct platform platform;

#define KB_PER_PAGE	(PAGE_SIZE / 1024)
#define NS_PER_SEC	1000000000UL

static uint64_t
sysctl_u64(const char *name)
{
	uint64_t v = 0;

	return sysctl_kernel_read(name, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static void
meminfo_line(struct pfs_buf *b, const char *name, uint64_t pages)
{
	pfs_printf(b, "%-16s%8lu kB\n", name, pages * KB_PER_PAGE);
}

/* /proc/meminfo: the page counts (vm.stats.vm), swap, commit charge. */
int
pfs_meminfo(const struct pfs_target *t, struct pfs_buf *b)
{
	struct vm_page_stats ps = vm_page_stats;	/* a moment's copy */
	uint64_t cached = vm_object_cached_pages();
	uint64_t swap_total = swap_stats.nslots, swap_used = swap_stats.used;

	meminfo_line(b, "MemTotal:", ps.v_page_count - ps.v_reserved_count);
	meminfo_line(b, "MemFree:", ps.v_free_count);
	/* What could be had without swapping: free and inactive pages. */
	meminfo_line(b, "MemAvailable:", ps.v_free_count + ps.v_inactive_count);
	meminfo_line(b, "Buffers:", 0);
	meminfo_line(b, "Cached:", cached);
	meminfo_line(b, "SwapCached:", 0);
	meminfo_line(b, "Active:", ps.v_active_count);
	meminfo_line(b, "Inactive:", ps.v_inactive_count);
	meminfo_line(b, "Unevictable:", 0);
	meminfo_line(b, "Mlocked:", 0);
	meminfo_line(b, "SwapTotal:", swap_total);
	meminfo_line(b, "SwapFree:", swap_total - MIN(swap_used, swap_total));
	meminfo_line(b, "Dirty:", 0);
	meminfo_line(b, "Writeback:", 0);
	meminfo_line(b, "Shmem:", 0);
	meminfo_line(b, "Wired:", ps.v_wire_count);
	meminfo_line(b, "CommitLimit:", sysctl_u64("vm.commit_limit"));
	meminfo_line(b, "Committed_AS:", sysctl_u64("vm.committed_as"));
	return 0;
}

/* "seconds.hundredths" of a nanosecond count. */
static void
print_centis(struct pfs_buf *b, uint64_t ns)
{
	pfs_printf(b, "%lu.%02lu", ns / NS_PER_SEC, ns % NS_PER_SEC / 10000000UL);
}

/* /proc/uptime: seconds since boot, and seconds the harts idled (summed). */
int
pfs_uptime(const struct pfs_target *t, struct pfs_buf *b)
{
	print_centis(b, clock_uptime_ns());
	pfs_printf(b, " ");
	print_centis(b, sched_idle_ns());
	pfs_printf(b, "\n");
	return 0;
}

/* /proc/loadavg: the three averages, running/all threads, the last pid. */
int
pfs_loadavg(const struct pfs_target *t, struct pfs_buf *b)
{
	uint64_t avg[3];
	int running, blocked;

	sched_loadavg(avg, &running, &blocked);
	for (int i = 0; i < 3; i++)
		pfs_printf(b, "%lu.%02lu ", avg[i] / 100, avg[i] % 100);
	pfs_printf(b, "%d/%d %d\n", running, thread_count(), proc_last_pid());
	return 0;
}

/*
 * One cpu line: user nice system idle iowait irq softirq steal guest
 * guest_nice, in USER_HZ ticks (HZ is 100, as USER_HZ).
 */
static void
cpu_line(struct pfs_buf *b, const char *name, const uint64_t cp[CPUSTATES])
{
	pfs_printf(b, "%s %lu %lu %lu %lu 0 %lu 0 0 0 0\n", name, cp[CP_USER],
	    cp[CP_NICE], cp[CP_SYS], cp[CP_IDLE], cp[CP_INTR]);
}

/* /proc/stat: the harts' ticks, then the system's event counts. */
int
pfs_stat(const struct pfs_target *t, struct pfs_buf *b)
{
	uint64_t total[CPUSTATES] = { 0 }, cp[MAXCPU][CPUSTATES];
	struct vmmeter m;
	uint64_t avg[3];
	int running, blocked;
	char name[16];

	for (int i = 0; i < mp_ncpus; i++) {
		clock_cp_time(i, cp[i]);	/* kern.cp_times' row */
		for (int s = 0; s < CPUSTATES; s++)
			total[s] += cp[i][s];
	}
	cpu_line(b, "cpu ", total);
	for (int i = 0; i < mp_ncpus; i++) {
		ksnprintf(name, sizeof(name), "cpu%d", i);
		cpu_line(b, name, cp[i]);
	}
	vm_meter_sum(&m);
	sched_loadavg(avg, &running, &blocked);
	pfs_printf(b, "intr %lu\nctxt %lu\nbtime %lu\nprocesses %lu\n"
	    "procs_running %d\nprocs_blocked %d\nsoftirq %lu\n", m.v_intr,
	    m.v_swtch, clock_boottime_ns() / NS_PER_SEC, m.v_forks + m.v_vforks,
	    running, blocked, m.v_soft);
	return 0;
}

/* /proc/cpuinfo in Linux's riscv format: one block per running hart. */
int
pfs_cpuinfo(const struct pfs_target *t, struct pfs_buf *b)
{
	for (int i = 0; i < mp_ncpus; i++)
		pfs_printf(b, "processor\t: %d\nhart\t\t: %u\nisa\t\t: %s\n"
		    "mmu\t\t: %s\n\n", i, pcpu[i].pc_hartid, platform.isa,
		    platform.mmu);
	return 0;
}

/*
 * /proc/vmstat: our counters under Linux's names.  pgpgin/pgpgout are
 * KiB moved by the file pager, pswpin/pswpout pages moved by swap.
 */
int
pfs_vmstat(const struct pfs_target *t, struct pfs_buf *b)
{
	struct vm_page_stats ps = vm_page_stats;
	struct vmmeter m;

	vm_meter_sum(&m);
	pfs_printf(b, "nr_free_pages %lu\nnr_active %lu\nnr_inactive %lu\n"
	    "nr_file_pages %lu\nnr_wired %lu\n", ps.v_free_count,
	    ps.v_active_count, ps.v_inactive_count, vm_object_cached_pages(),
	    ps.v_wire_count);
	pfs_printf(b, "pgpgin %lu\npgpgout %lu\npswpin %lu\npswpout %lu\n",
	    m.v_vnodepgsin * KB_PER_PAGE, m.v_vnodepgsout * KB_PER_PAGE,
	    m.v_swappgsin, m.v_swappgsout);
	pfs_printf(b, "pgfree %lu\npgfault %lu\npgmajfault %lu\n"
	    "pgscan_kswapd %lu\npgsteal_kswapd %lu\npageoutrun %lu\n"
	    "oom_kill %lu\n", m.v_tfree, m.v_vm_faults, m.v_io_faults,
	    m.v_pdpages, m.v_dfree, m.v_pdwakeups, m.v_oom_kills);
	return 0;
}

/* /proc/sys/kernel/pid_max: pids run from 1 to PID_MAX - 1. */
int
pfs_pid_max(const struct pfs_target *t, struct pfs_buf *b)
{
	pfs_printf(b, "%d\n", PID_MAX);
	return 0;
}

/*
 * Is node a /proc/sys/vm file: "vm.NAME" (one level below vm), a tunable
 * number (int, bool or u64) one can read and write?
 */
static bool
vm_tunable(const struct sysctl_node *node)
{
	return strncmp(node->name, "vm.", 3) == 0 &&
	    strchr(node->name + 3, '.') == NULL &&
	    (node->flags & CTLFLAG_RW) == CTLFLAG_RW &&
	    !(node->flags & CTLFLAG_PREFIX) &&
	    (node->type == CTLTYPE_INT || node->type == CTLTYPE_BOOL ||
	    node->type == CTLTYPE_U64);
}

/* The /proc/sys/vm file named name (len bytes), with its index. */
const struct sysctl_node *
pfs_sysctl_find(const char *name, size_t len, size_t *index)
{
	const struct sysctl_node *node;

	for (size_t i = 0; (node = sysctl_node_at(i)) != NULL; i++)
		if (vm_tunable(node) && strlen(node->name + 3) == len &&
		    memcmp(node->name + 3, name, len) == 0) {
			*index = i;
			return node;
		}
	return NULL;
}

/* The first /proc/sys/vm file at index *index or after (updated). */
const struct sysctl_node *
pfs_sysctl_next(size_t *index)
{
	const struct sysctl_node *node;

	for (size_t i = *index; (node = sysctl_node_at(i)) != NULL; i++)
		if (vm_tunable(node)) {
			*index = i;
			return node;
		}
	return NULL;
}

/* A /proc/sys/vm file's text: the node's value in decimal. */
int
pfs_sysctl_read(const struct pfs_target *t, struct pfs_buf *b)
{
	union { int32_t i; uint64_t u; } v = { .u = 0 };
	int64_t len = sysctl_kernel_read(t->node->name, &v, sizeof(v));

	if (len < 0)
		return (int)-len;
	if (t->node->type == CTLTYPE_U64)
		pfs_printf(b, "%lu\n", v.u);
	else
		pfs_printf(b, "%d\n", v.i);
	return 0;
}

/*
 * Parse text as Linux's proc_dointvec does one value: blanks, an optional
 * '-' (ints only), decimal digits, then only blanks or a newline.
 */
static bool
parse_value(const char *text, size_t len, bool is_signed, int64_t *out)
{
	size_t i = 0;
	bool neg = false, digits = false;
	uint64_t v = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i < len && text[i] == '-' && is_signed) {
		neg = true;
		i++;
	}
	for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(text[i] - '0');
		digits = true;
	}
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
		i++;
	if (!digits || i != len)
		return false;
	if (is_signed && v > (uint64_t)INT32_MAX + neg)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/*
 * Write text (len bytes) to t's sysctl node through the sysctl layer, so
 * the node's own range check applies.  0 or EINVAL (not a number, or
 * one the node refuses).
 */
int
pfs_sysctl_write(const struct pfs_target *t, const char *text, size_t len)
{
	bool is_u64 = t->node->type == CTLTYPE_U64;
	int64_t v, rv;
	int32_t i32;

	if (!parse_value(text, len, !is_u64, &v))
		return EINVAL;
	i32 = (int32_t)v;
	rv = is_u64 ? sysctl_kernel_write(t->node->name, &v, sizeof(v)) :
	    sysctl_kernel_write(t->node->name, &i32, sizeof(i32));
	return (int)-rv;
}

/* One mount's line of /proc/mounts.  Mount list held (shared). */
static int
mounts_line(struct mount *mp, void *arg)
{
	struct pfs_buf *b = arg;
	char *path;
	size_t len;
	int error = 0;

	if (mp->mnt_detached)
		return 0;	/* out of the name space, still in use */
	path = kmalloc(PATH_MAX, 0);
	if (path == NULL)
		return ENOMEM;
	if (mp->mnt_vnodecovered == NULL)
		kstrlcpy(path, "/", PATH_MAX);
	else
		error = vfs_getcwd(rootvnode, mp->mnt_vnodecovered, path,
		    PATH_MAX, &len);
	if (error == 0)
		pfs_printf(b, "%s %s %s %s%s%s%s 0 0\n", mp->mnt_source, path,
		    mp->mnt_ops->name, mp->mnt_rdonly ? "ro" : "rw",
		    (mp->mnt_flags & MNT_NOSUID) ? ",nosuid" : "",
		    (mp->mnt_flags & MNT_NODEV) ? ",nodev" : "",
		    (mp->mnt_flags & MNT_NOEXEC) ? ",noexec" : "");
	kfree(path);
	return error == ENOENT ? 0 : error;	/* a covered directory removed */
}

/* /proc/mounts: source, mount point, type, options, "0 0", the root first. */
int
pfs_mounts(const struct pfs_target *t, struct pfs_buf *b)
{
	return vfs_mount_foreach(mounts_line, b);
}
