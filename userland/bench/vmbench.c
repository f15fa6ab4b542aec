/*
 * vmbench: what the VM paths cost, in guest instructions.  Run by
 * `make bench` as init under QEMU with -icount shift=0, where the
 * instruction counter (rdinstret) counts every instruction the machine
 * executes (user, kernel and firmware) exactly and repeatably.  Nothing
 * here waits for a device, but for file_read_throughput: the files the
 * others map are read once beforehand, so no idle time lands inside a
 * measurement.  file_read_throughput reads from the disk on purpose, and
 * reports bytes per second of guest time (the virtual clock runs at the
 * host's pace while the guest idles for the disk) for a mapped file and
 * for the raw disk side by side: only their ratio means anything.
 *
 * Each result is one console line of key=value pairs, read by
 * scripts/bench.py:
 *
 *   BENCH name=<what> config=<tunables> insns=<per op> ops=<n> faults=<n> ...
 *
 * insns is the median over the operations measured one at a time (with
 * the cost of the measurement itself subtracted), or the total divided by
 * ops for a measured loop.  faults is how many page faults the kernel
 * counted over the whole measurement (vm.stats.vm.v_vm_faults).
 *
 * The kernel command line reaches init, and so us, as the environment:
 * bench=quick selects the short run make check uses (smaller sizes);
 * bench=profile:<case> sets up one operation and runs it between
 * profile_begin() and profile_end(), for scripts/profile.py to single-step
 * under gdb and count instructions per function.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "vmksys.h"

#define PAGE		4096
#define REPS		5		/* repetitions of whole-process figures */
#define FILE_PATH	"/stress/bigbin"	/* a 2.6 MB file on the root fs */

#define MAX_OPS		1024		/* per-operation costs kept at once */

static int quick;
static int failures;
static uint64_t probe_cost;	/* what reading the counter twice costs */
/*
 * Per-operation costs.  Shared and touched before any measurement, so that
 * recording a cost never faults: a private buffer would be copy-on-write
 * after each fork and add faults of its own to what is being counted.
 */
static uint64_t *costs;

static inline uint64_t
instret(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n) : : "memory");
	return n;
}

#define STAT(name)	vmk_sysctl_u64("vm.stats.vm." name)

static void
fail(const char *what)
{
	printf("vmbench: FAILED: %s\n", what);
	failures++;
}

static void
set_tunable(const char *name, int32_t v)
{
	if (vmk_sysctl(name, NULL, NULL, &v, sizeof(v)) != 0) {
		printf("vmbench: cannot set %s: %s\n", name, strerror(errno));
		exit(1);
	}
}

/* prefault on: the kernel's defaults; off: each touched page faults. */
static void
set_prefault(int on)
{
	set_tunable("vm.prefault_ahead", on ? 4 : 0);
	set_tunable("vm.prefault_behind", on ? 4 : 0);
	set_tunable("vm.prefault_zero", on);
	set_tunable("vm.prefault_upgrade", on ? 16 : 0);
	set_tunable("vm.prefault_exec", on ? 128 : 0);
}

static const char *
prefault_name(int on)
{
	return on ? "prefault=on" : "prefault=off";
}

static char *
map_anon(size_t npages)
{
	return bench_map_anon("vmbench", npages);
}

static void
fill(char *p, size_t npages, char value)
{
	for (size_t i = 0; i < npages; i++)
		memset(p + i * PAGE, value, PAGE);
}

/*
 * Sorts v (insertion sort: unlike qsort it allocates nothing, so it cannot
 * add faults to a measurement); returns its median.
 */
static uint64_t
median(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[n / 2];
}

/*
 * Store to one byte of each of npages pages, timing each store alone;
 * returns the median cost with the probe's own cost taken off.
 */
static uint64_t
touch_each(volatile char *p, size_t npages)
{
	for (size_t i = 0; i < npages; i++) {
		uint64_t t0 = instret();

		p[i * PAGE] = 1;
		costs[i] = instret() - t0;
	}
	return median(costs, npages) - probe_cost;
}

/* The same for loads. */
static uint64_t
read_each(volatile const char *p, size_t npages)
{
	for (size_t i = 0; i < npages; i++) {
		uint64_t t0 = instret();

		(void)p[i * PAGE];
		costs[i] = instret() - t0;
	}
	return median(costs, npages) - probe_cost;
}

static void
costs_init(void)
{
	costs = mmap(NULL, MAX_OPS * sizeof(*costs), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (costs == MAP_FAILED) {
		perror("vmbench: mmap");
		exit(1);
	}
	memset(costs, 0, MAX_OPS * sizeof(*costs));
}

static void
calibrate(void)
{
	enum { N = 64 };
	uint64_t cost[N];
	char *p = map_anon(1);

	p[0] = 0;
	for (int i = 0; i < N; i++) {
		uint64_t t0 = instret();

		((volatile char *)p)[0] = 1;
		cost[i] = instret() - t0;
	}
	probe_cost = median(cost, N);
	munmap(p, PAGE);
	printf("BENCH name=probe insns=%llu ops=%d faults=0\n",
	    (unsigned long long)probe_cost, N);
}

/* getppid(): the bare cost of entering and leaving the kernel. */
static void
bench_syscall(void)
{
	enum { N = 64 };
	uint64_t cost[N];

	for (int i = 0; i < N; i++) {
		uint64_t t0 = instret();

		getppid();
		cost[i] = instret() - t0;
	}
	printf("BENCH name=null_syscall insns=%llu ops=%d faults=0\n",
	    (unsigned long long)(median(cost, N) - probe_cost), N);
}

/* One isolated zero-fill fault per page of fresh anonymous memory. */
static void
bench_zfod_isolated(void)
{
	size_t n = quick ? 64 : 256;
	char *p = map_anon(n);
	uint64_t faults = STAT("v_vm_faults"), zfod = STAT("v_zfod"), insns;

	set_prefault(0);
	insns = touch_each(p, n);
	faults = STAT("v_vm_faults") - faults;
	if (STAT("v_zfod") - zfod != n || faults != n)
		fail("zfod_isolated: not one zero-fill fault per page");
	printf("BENCH name=zfod_isolated config=prefault=off insns=%llu ops=%zu "
	    "faults=%llu\n", (unsigned long long)insns, n,
	    (unsigned long long)faults);
	set_prefault(1);
	munmap(p, n * PAGE);
}

/* A sequential first touch of fresh anonymous memory, everything counted. */
static void
bench_zfod_sequential(int prefault)
{
	size_t n = quick ? 256 : 2048;
	volatile char *p = map_anon(n);
	uint64_t faults, t0, t1;

	set_prefault(prefault);
	faults = STAT("v_vm_faults");
	t0 = instret();
	for (size_t i = 0; i < n; i++)
		p[i * PAGE] = 1;
	t1 = instret();
	faults = STAT("v_vm_faults") - faults;
	printf("BENCH name=zfod_sequential config=%s insns=%llu ops=%zu "
	    "faults=%llu\n", prefault_name(prefault),
	    (unsigned long long)((t1 - t0) / n), n, (unsigned long long)faults);
	set_prefault(1);
	munmap((void *)p, n * PAGE);
}

/* A child sharing our memory copy-on-write, waiting to be released. */
struct held_child {
	pid_t pid;
	int release_fd;		/* write end of the pipe it waits on */
};

/*
 * Give the hart to child pid until it sleeps (state S in /proc/PID/stat),
 * so that nothing it does after fork (its own faults) falls inside a
 * measurement that follows.
 */
static void
wait_asleep(pid_t pid)
{
	char path[64], buf[128], *state;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int tries = 0; tries < 1000; tries++) {
		if ((fd = open(path, O_RDONLY)) < 0)
			break;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		state = strrchr(buf, ')');
		if (state != NULL && state[1] == ' ' && state[2] == 'S')
			return;
		sched_yield();
	}
	fail("child_hold: the child never went to sleep");
}

static struct held_child
child_hold(void)
{
	struct held_child hc;
	int fds[2];
	char c;

	if (pipe(fds) != 0) {
		perror("vmbench: pipe");
		exit(1);
	}
	hc.pid = fork();
	if (hc.pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
	}
	if (hc.pid < 0) {
		perror("vmbench: fork");
		exit(1);
	}
	close(fds[0]);
	hc.release_fd = fds[1];
	wait_asleep(hc.pid);
	return hc;
}

/* Let the child exit and reap it. */
static void
child_release(struct held_child *hc)
{
	int status;

	write(hc->release_fd, "x", 1);
	close(hc->release_fd);
	waitpid(hc->pid, &status, 0);
}

/*
 * COW copy: the parent writes pages it still shares with a live child.
 * The child waits on a pipe until the parent is done.
 */
static void
bench_cow_copy(void)
{
	size_t n = quick ? 64 : 256;
	char *p = map_anon(n);
	uint64_t faults, cow, optim, insns;
	struct held_child hc;

	fill(p, n, 7);
	hc = child_hold();
	set_prefault(0);
	faults = STAT("v_vm_faults");
	cow = STAT("v_cow_faults");
	optim = STAT("v_cow_optim");
	insns = touch_each(p, n);
	faults = STAT("v_vm_faults") - faults;
	if (STAT("v_cow_faults") - cow != n || STAT("v_cow_optim") != optim)
		fail("cow_copy: not one copying COW fault per page");
	printf("BENCH name=cow_copy config=prefault=off insns=%llu ops=%zu "
	    "faults=%llu\n", (unsigned long long)insns, n,
	    (unsigned long long)faults);
	set_prefault(1);
	child_release(&hc);
	munmap(p, n * PAGE);
}

/*
 * COW rename: the parent wrote one page while its child was alive (so it
 * has a shadow object over the pages it shares), then the child exited,
 * so the backing object is seen by no one else and a write can move the
 * page up instead of copying it.  Only the first n - 32 pages are timed:
 * once the backing object is down to a few pages it is merged up whole
 * (VM_COLLAPSE_CHEAP).  With vm.cow_rename off the same writes copy.
 */
static void
bench_cow_rename(int rename)
{
	size_t n = quick ? 96 : 288, timed = n - 32;
	char *p = map_anon(n);
	uint64_t faults, cow, optim, insns;
	struct held_child hc;

	fill(p, n, 7);
	hc = child_hold();
	p[0] = 8;	/* the parent's shadow object comes to be */
	child_release(&hc);
	set_prefault(0);
	set_tunable("vm.cow_rename", rename);
	faults = STAT("v_vm_faults");
	cow = STAT("v_cow_faults");
	optim = STAT("v_cow_optim");
	insns = touch_each(p + PAGE, timed);
	faults = STAT("v_vm_faults") - faults;
	if (STAT("v_cow_faults") - cow != timed ||
	    STAT("v_cow_optim") - optim != (rename ? timed : 0))
		fail("cow_rename: COW faults did not take the expected path");
	printf("BENCH name=cow_rename config=%s insns=%llu ops=%zu faults=%llu\n",
	    rename ? "cow_rename=on" : "cow_rename=off",
	    (unsigned long long)insns, timed, (unsigned long long)faults);
	set_tunable("vm.cow_rename", 1);
	set_prefault(1);
	munmap(p, n * PAGE);
}

/*
 * The mean cost of a store to each of npages pages, the loop's own cost
 * (a second pass, which faults no more) taken off: for fault-around,
 * where most stores cost nothing and a few pay for their neighbours.
 */
static uint64_t
touch_all_mean(volatile char *p, size_t npages)
{
	uint64_t t0 = instret(), first, second;

	for (size_t i = 0; i < npages; i++)
		p[i * PAGE] = 2;
	first = instret() - t0;
	t0 = instret();
	for (size_t i = 0; i < npages; i++)
		p[i * PAGE] = 3;
	second = instret() - t0;
	return (first - second) / npages;
}

/*
 * The parent rewrites its memory after its child exited: every page is
 * still mapped read-only from the fork, in an object no one else sees.
 * With write fault-around (vm.prefault_upgrade) one fault makes its
 * read-only neighbours writable; without it each page faults.
 */
static void
bench_rewrite_after_fork(int upgrade)
{
	size_t n = quick ? 64 : 256;
	char *p = map_anon(n);
	uint64_t faults, upgraded, insns;
	struct held_child hc;

	fill(p, n, 7);
	hc = child_hold();
	child_release(&hc);
	set_prefault(1);
	set_tunable("vm.prefault_upgrade", upgrade ? 16 : 0);
	faults = STAT("v_vm_faults");
	upgraded = STAT("v_prefault_upgraded");
	insns = touch_all_mean(p, n);
	faults = STAT("v_vm_faults") - faults;
	upgraded = STAT("v_prefault_upgraded") - upgraded;
	if (faults + upgraded != n || (upgrade ? faults > n / 8 : upgraded != 0))
		fail("rewrite_after_fork: faults and upgrades do not add up");
	printf("BENCH name=rewrite_after_fork config=%s insns=%llu ops=%zu "
	    "faults=%llu\n", upgrade ? "upgrade=on" : "upgrade=off",
	    (unsigned long long)insns, n, (unsigned long long)faults);
	set_prefault(1);
	munmap(p, n * PAGE);
}

/* Map FILE_PATH read-only; its length in pages goes to *npages. */
static char *
map_file(size_t *npages)
{
	int fd = open(FILE_PATH, O_RDONLY);
	struct stat st;
	char *p;

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror("vmbench: " FILE_PATH);
		exit(1);
	}
	*npages = (size_t)st.st_size / PAGE;
	if (*npages > MAX_OPS)
		*npages = MAX_OPS;
	p = mmap(NULL, *npages * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("vmbench: mmap " FILE_PATH);
		exit(1);
	}
	return p;
}

/* Bring the whole file into the page cache so no fault below waits. */
static void
warm_file(void)
{
	size_t n;
	volatile char *p = map_file(&n);

	for (size_t i = 0; i < n; i++)
		(void)p[i * PAGE];
	munmap((void *)p, n * PAGE);
}

/* Read faults on resident file pages: isolated, then a sequential scan. */
static void
bench_file_read(int prefault)
{
	size_t n;
	char *p = map_file(&n);
	uint64_t faults, io, insns, t0, t1;

	if (!prefault) {
		set_prefault(0);
		faults = STAT("v_vm_faults");
		io = STAT("v_io_faults");
		insns = read_each(p, n);
		faults = STAT("v_vm_faults") - faults;
		if (STAT("v_io_faults") != io || faults != n)
			fail("file_read_isolated: not one cached fault per page");
		printf("BENCH name=file_read_isolated config=prefault=off insns=%llu "
		    "ops=%zu faults=%llu\n", (unsigned long long)insns, n,
		    (unsigned long long)faults);
		munmap(p, n * PAGE);
		p = map_file(&n);
	}
	set_prefault(prefault);
	faults = STAT("v_vm_faults");
	io = STAT("v_io_faults");
	t0 = instret();
	for (size_t i = 0; i < n; i++)
		(void)((volatile char *)p)[i * PAGE];
	t1 = instret();
	faults = STAT("v_vm_faults") - faults;
	if (STAT("v_io_faults") != io)
		fail("file_read_sequential: a fault went to the disk");
	printf("BENCH name=file_read_sequential config=%s insns=%llu ops=%zu "
	    "faults=%llu\n", prefault_name(prefault),
	    (unsigned long long)((t1 - t0) / n), n, (unsigned long long)faults);
	set_prefault(1);
	munmap(p, n * PAGE);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* One cold sequential read's cost: guest time, instructions, requests. */
struct cold_read {
	uint64_t ns, insns, requests, io_faults, faults;
};

/* Write back and drop every cached file page and buffer. */
static void
drop_caches(void)
{
	set_tunable("vfs.drain_caches", 1);
}

/* Touch every page of FILE_PATH through a mapping, from a cold cache. */
static struct cold_read
cold_mapped_read(size_t *npages)
{
	struct cold_read r;
	volatile char *p;
	uint64_t t0, i0;

	drop_caches();
	p = map_file(npages);
	r.requests = vmk_sysctl_u64("dev.blk.reads");
	r.io_faults = STAT("v_io_faults");
	r.faults = STAT("v_vm_faults");
	t0 = now_ns();
	i0 = instret();
	for (size_t i = 0; i < *npages; i++)
		(void)p[i * PAGE];
	r.insns = instret() - i0;
	r.ns = now_ns() - t0;
	r.requests = vmk_sysctl_u64("dev.blk.reads") - r.requests;
	r.io_faults = STAT("v_io_faults") - r.io_faults;
	r.faults = STAT("v_vm_faults") - r.faults;
	munmap((void *)p, *npages * PAGE);
	return r;
}

/* Read npages pages of the raw disk from its start, 64 KiB a call. */
static struct cold_read
cold_raw_read(size_t npages)
{
	static char buf[16 * PAGE];
	struct cold_read r = { 0 };
	int fd = open("/dev/vda", O_RDONLY);
	size_t left = npages * PAGE;
	uint64_t t0, i0;

	if (fd < 0) {
		perror("vmbench: /dev/vda");
		exit(1);
	}
	r.requests = vmk_sysctl_u64("dev.blk.reads");
	t0 = now_ns();
	i0 = instret();
	while (left > 0) {
		ssize_t got = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (got <= 0) {
			fail("file_read_throughput: short read of /dev/vda");
			break;
		}
		left -= (size_t)got;
	}
	r.insns = instret() - i0;
	r.ns = now_ns() - t0;
	r.requests = vmk_sysctl_u64("dev.blk.reads") - r.requests;
	close(fd);
	return r;
}

static void
report_throughput(const char *config, const struct cold_read *r, size_t n)
{
	printf("BENCH name=file_read_throughput config=%s insns=%llu ops=%zu "
	    "faults=%llu io_faults=%llu requests=%llu kib_per_s=%llu\n", config,
	    (unsigned long long)(r->insns / n), n, (unsigned long long)r->faults,
	    (unsigned long long)r->io_faults, (unsigned long long)r->requests,
	    (unsigned long long)(n * (PAGE / 1024) * 1000000000ULL /
	    (r->ns ? r->ns : 1)));
}

/*
 * Sequential read of a file through a mapping from a cold cache, with
 * the fault's read clusters and without them (vm.read_ahead=0), and a
 * raw sequential read of as many bytes of the disk (/dev/vda), each the
 * best of REPS runs, interleaved so that the host's noise hits all three
 * alike.  insns: instructions per page.
 */
static void
bench_file_throughput(void)
{
	struct cold_read best[3], r;
	int32_t read_ahead = 0;
	size_t len = sizeof(read_ahead);
	size_t n = 0;

	if (vmk_sysctl("vm.read_ahead", &read_ahead, &len, NULL, 0) != 0) {
		fail("file_read_throughput: no vm.read_ahead");
		return;
	}
	memset(best, 0, sizeof(best));
	for (int rep = 0; rep < (quick ? 1 : REPS); rep++) {
		for (int k = 0; k < 3; k++) {
			if (k < 2)
				set_tunable("vm.read_ahead", k == 0 ? read_ahead : 0);
			r = k < 2 ? cold_mapped_read(&n) : cold_raw_read(n);
			if (rep == 0 || r.ns < best[k].ns)
				best[k] = r;
		}
	}
	set_tunable("vm.read_ahead", read_ahead);
	report_throughput("mapped", &best[0], n);
	report_throughput("mapped,read_ahead=0", &best[1], n);
	report_throughput("raw", &best[2], n);
}

/*
 * fork + _exit + waitpid with `mib` MiB of private anonymous memory
 * resident and written (so every page is the parent's own and writable
 * before each fork).  Median of REPS runs; min and max show the spread.
 */
static void
bench_fork(size_t mib)
{
	size_t n = mib * 256;
	char *p = n != 0 ? map_anon(n) : NULL;
	uint64_t cost[REPS], faults = 0;

	for (int r = 0; r < REPS; r++) {
		uint64_t f0, t0;
		int status;
		pid_t pid;

		fill(p, n, (char)r);
		f0 = STAT("v_vm_faults");
		t0 = instret();
		pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
		cost[r] = instret() - t0;
		faults = STAT("v_vm_faults") - f0;
		if (pid < 0 || !WIFEXITED(status))
			fail("fork_exit_wait: fork or wait failed");
	}
	printf("BENCH name=fork_exit_wait mib=%zu pages=%zu insns=%llu ",
	    mib, n, (unsigned long long)median(cost, REPS));
	printf("min=%llu max=%llu ops=%d faults=%llu\n",
	    (unsigned long long)cost[0], (unsigned long long)cost[REPS - 1], REPS,
	    (unsigned long long)faults);
	if (p != NULL)
		munmap(p, n * PAGE);
}

/* fork, execve(path, argv), waitpid; returns the exit status. */
static int
spawn(const char *path, char *const argv[], int stdout_fd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (stdout_fd >= 0)
			dup2(stdout_fd, 1);
		execve(path, argv, (char *[]){ NULL });
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* fork + execve + wait of a static glibc program that returns at once. */
static void
bench_fork_exec(int prefault)
{
	char *argv[] = { "nullprog", NULL };
	uint64_t cost[REPS], faults = 0;

	set_prefault(prefault);
	spawn("/bench/nullprog", argv, -1);	/* its pages into the cache */
	for (int r = 0; r < REPS; r++) {
		uint64_t f0 = STAT("v_vm_faults"), t0 = instret();

		if (spawn("/bench/nullprog", argv, -1) != 0)
			fail("fork_exec_wait: /bench/nullprog failed");
		cost[r] = instret() - t0;
		faults = STAT("v_vm_faults") - f0;
	}
	set_prefault(1);
	printf("BENCH name=fork_exec_wait config=%s insns=%llu min=%llu max=%llu "
	    "ops=%d faults=%llu\n", prefault_name(prefault),
	    (unsigned long long)median(cost, REPS), (unsigned long long)cost[0],
	    (unsigned long long)cost[REPS - 1], REPS, (unsigned long long)faults);
}

/*
 * execve alone: from the instruction before the system call to the first
 * instruction of /bench/execprobe, which reports the difference on a pipe.
 */
static uint64_t
exec_probe_once(void)
{
	int fds[2], status;
	char buf[32] = "";
	pid_t pid;

	if (pipe(fds) != 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		char start[24];
		char *argv[] = { "execprobe", start, NULL };

		dup2(fds[1], 1);
		close(fds[0]);
		snprintf(start, sizeof(start), "%llu",
		    (unsigned long long)instret());
		execve("/bench/execprobe", argv, (char *[]){ NULL });
		_exit(127);
	}
	close(fds[1]);
	if (read(fds[0], buf, sizeof(buf) - 1) <= 0)
		fail("exec_alone: no answer from /bench/execprobe");
	close(fds[0]);
	waitpid(pid, &status, 0);
	return strtoull(buf, NULL, 10);
}

static void
bench_exec(void)
{
	uint64_t cost[REPS];

	exec_probe_once();	/* its page into the cache */
	for (int r = 0; r < REPS; r++)
		cost[r] = exec_probe_once();
	printf("BENCH name=exec_alone insns=%llu min=%llu max=%llu ops=%d "
	    "faults=1\n", (unsigned long long)median(cost, REPS),
	    (unsigned long long)cost[0], (unsigned long long)cost[REPS - 1], REPS);
}

static void
profile_store(volatile char *p)
{
	profile_begin(PROFILE_MAGIC);
	*p = 1;
	profile_end(PROFILE_MAGIC);
}

/* Run one operation of the named kind between the markers. */
static int
profile(const char *what)
{
	char *p = map_anon(64);
	pid_t pid;
	int status;

	/*
	 * Stepping holds interrupts off, so the profiled operation must not
	 * wait for the disk: run the code it needs once beforehand.
	 */
	profile_begin(0);
	profile_end(0);
	getppid();
	set_prefault(strcmp(what, "zfod_prefault") == 0);
	if (strcmp(what, "zfod") == 0 || strcmp(what, "zfod_prefault") == 0) {
		/*
		 * The object and the radix node over pages 0-15 exist: time
		 * the common zero fill, not the one in sixteen that also
		 * grows the object's tree.
		 */
		p[0] = 1;
		p[2 * PAGE] = 1;
		profile_store(p + PAGE);
	} else if (strcmp(what, "zfod_seq") == 0) {
		/* The second of a sequential run: it zero-fills 8 ahead. */
		set_prefault(1);
		p[0] = 1;
		profile_store(p + PAGE);
	} else if (strcmp(what, "cow_copy") == 0 ||
	    strcmp(what, "cow_rename") == 0) {
		bool rename = strcmp(what, "cow_rename") == 0;
		struct held_child hc;

		fill(p, 64, 7);
		hc = child_hold();
		p[0] = 8;	/* as in bench_cow_rename */
		if (rename)
			child_release(&hc);
		profile_store(p + 16 * PAGE);
		if (!rename)
			child_release(&hc);
	} else if (strcmp(what, "file_read") == 0) {
		size_t n;
		volatile char *f;

		warm_file();
		f = map_file(&n);
		profile_begin(PROFILE_MAGIC);
		(void)f[16 * PAGE];
		profile_end(PROFILE_MAGIC);
	} else if (strcmp(what, "syscall") == 0) {
		profile_begin(PROFILE_MAGIC);
		getppid();
		profile_end(PROFILE_MAGIC);
	} else if (strncmp(what, "fork_exec", 9) == 0) {
		/* fork_exec[:off]: one spawn of nullprog, as bench_fork_exec. */
		char *argv[] = { "nullprog", NULL };

		set_prefault(strcmp(what + 9, ":off") != 0);
		spawn("/bench/nullprog", argv, -1);	/* pages into the cache */
		profile_begin(PROFILE_MAGIC);
		spawn("/bench/nullprog", argv, -1);
		profile_end(PROFILE_MAGIC);
	} else if (strncmp(what, "fork", 4) == 0) {
		/* fork[:pages]: as bench_fork() runs it, in its steady state. */
		size_t n = what[4] == ':' ? strtoul(what + 5, NULL, 0) : 64;
		char *mem = n > 0 ? map_anon(n) : NULL;	/* fork:0: none */

		set_prefault(1);	/* as the benchmark's */
		fill(mem, n, 7);
		if ((pid = fork()) == 0)
			_exit(0);
		waitpid(pid, &status, 0);
		fill(mem, n, 8);
		profile_begin(PROFILE_MAGIC);
		pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, &status, 0);
		profile_end(PROFILE_MAGIC);
	} else {
		printf("vmbench: no profile case %s (zfod, zfod_prefault, zfod_seq, cow_copy, "
		    "cow_rename, file_read, syscall, fork[:pages], fork_exec[:off])\n", what);
		return 1;
	}
	while (wait(&status) > 0)
		;
	printf("vmbench: profiled %s\n", what);
	return 0;
}

int
main(void)
{
	const char *mode = getenv("bench");
	static const size_t fork_mib[] = { 0, 1, 2, 4, 8, 16, 32, 64 };
	size_t nfork;

	quick = mode != NULL && strcmp(mode, "quick") == 0;
	if (mode != NULL && strncmp(mode, "profile:", 8) == 0)
		return profile(mode + 8);
	nfork = quick ? 3 : sizeof(fork_mib) / sizeof(fork_mib[0]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	costs_init();
	printf("vmbench: %s run\n", quick ? "quick" : "full");
	calibrate();
	bench_syscall();
	bench_zfod_isolated();
	bench_zfod_sequential(1);
	bench_zfod_sequential(0);
	bench_cow_copy();
	bench_cow_rename(1);
	bench_cow_rename(0);
	bench_rewrite_after_fork(1);
	bench_rewrite_after_fork(0);
	warm_file();
	bench_file_read(0);
	bench_file_read(1);
	for (size_t i = 0; i < nfork; i++)
		bench_fork(fork_mib[i]);
	bench_fork_exec(1);
	bench_fork_exec(0);
	bench_exec();
	bench_file_throughput();	/* last: it empties the caches */
	printf("vmbench: done, %d failure%s\n", failures, failures == 1 ? "" : "s");
	return failures != 0;
}
