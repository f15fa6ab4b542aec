/*
 * swapbench: what paging anonymous memory costs and how fast it goes.
 * Run by `make swapbench` as init in a small machine (64 MiB) with a
 * fresh swap disk (swap=vdb), one hart, under QEMU's -icount shift=0,
 * where the guest clock advances one nanosecond per instruction while
 * the hart runs and with real time while it idles waiting for the disk;
 * kern.idle_ns says how much of each phase was idle, so the rest is the
 * instructions executed.  scripts/swapbench.py sets these figures beside
 * the disk's raw throughput, measured in the same run (a boot with
 * test=blk_throughput on the same disk).
 *
 * Every phase moves twice the machine's RAM (hw.physmem) worth of pages:
 *
 *   seq_write_fill  write a fresh region of 2 x RAM, first half: memory
 *                   fills up, paging starts near its end
 *   seq_write       second half: every new page needs a page-out (page-
 *                   out throughput)
 *   seq_read_first  read back from the start, first half: page-ins, and
 *                   the dirty tail of the write pass going out
 *   seq_read        second half: page-ins only (page-in throughput)
 *   rand_read       every page once in random order: random page-ins
 *   rand_write      the same, writing: page-in, then page-out of dirty
 *                   pages scattered over the region
 *   cow_write       fill 2 x RAM, fork; parent and child each rewrite every
 *                   page (their own copy: 4 x RAM of data in all)
 *   cow_verify      both read their copy back
 *   loop_*          the same user loops over resident memory: what the
 *                   program itself costs per page
 *
 * Each page written gets PATTERN_WORDS words of a pattern of its address
 * and a generation; every read checks them (a mismatch fails the run).
 * Each phase is one console line for scripts/swapbench.py:
 *
 *   BENCH name=<phase> pages=<touched> ns=<guest time> idle_ns=<idle>
 *         <counter>=<delta> ...
 *
 * with the deltas of the paging, page daemon and disk counters.  The
 * kernel command line reaches us as the environment: bench=quick runs
 * only the sequential sweep (make check's smoke run);
 * bench=profile:<phase> sets up seq_write, seq_read or rand_read and runs
 * profile_pages (default 512) pages of its steady state between
 * profile_begin() and profile_end(), for scripts/profile.py --irqs to
 * single-step (page faults wait for the disk there, so interrupts must
 * be let in).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "vmksys.h"

#define PAGE		4096
#define WORDS		(PAGE / 8)
#define PATTERN_WORDS	8		/* words written and checked per page */
#define LOOP_PAGES	256		/* resident pages for the loop baseline */

static int failures;

/* What a phase moved; "vm.stats.vm." is prefixed to names without a dot. */
static const char *const counters[] = {
	"v_vm_faults", "v_swapin", "v_swapout", "v_swappgsin", "v_swappgsout",
	"v_pdwakeups", "v_pdpages", "v_reactivated", "v_dfree",
	"v_pdshortfalls", "v_vmwaits", "v_oom_kills", "v_cow_faults",
	"dev.blk.reads", "dev.blk.writes", "dev.blk.bytes_read",
	"dev.blk.bytes_written",
};
#define NCOUNTERS	(sizeof(counters) / sizeof(counters[0]))

struct snap {
	uint64_t ns, idle_ns;
	uint64_t v[NCOUNTERS];
};

static uint64_t
counter(const char *name)
{
	char full[64];

	if (strchr(name, '.') != NULL)
		return vmk_sysctl_u64(name);
	snprintf(full, sizeof(full), "vm.stats.vm.%s", name);
	return vmk_sysctl_u64(full);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
snap_take(struct snap *s)
{
	for (size_t i = 0; i < NCOUNTERS; i++)
		s->v[i] = counter(counters[i]);
	s->idle_ns = vmk_sysctl_u64("kern.idle_ns");
	s->ns = now_ns();
}

/* One BENCH line: what happened between *a and now, over pages pages. */
static void
report(const char *name, size_t pages, const struct snap *a)
{
	struct snap b;

	snap_take(&b);
	printf("BENCH name=%s pages=%zu ns=%llu idle_ns=%llu", name, pages,
	    (unsigned long long)(b.ns - a->ns),
	    (unsigned long long)(b.idle_ns - a->idle_ns));
	for (size_t i = 0; i < NCOUNTERS; i++) {
		const char *dot = strrchr(counters[i], '.');

		printf(" %s=%llu", dot != NULL ? dot + 1 : counters[i],
		    (unsigned long long)(b.v[i] - a->v[i]));
	}
	printf("\n");
}

static uint64_t
pattern(size_t page, size_t w, uint64_t gen)
{
	return ((uint64_t)page * WORDS + w) * 0x9e3779b97f4a7c15ULL ^ gen;
}

/* Write generation gen's words into page `page` of p. */
static void
write_page(uint64_t *p, size_t page, uint64_t gen)
{
	for (size_t w = 0; w < WORDS; w += WORDS / PATTERN_WORDS)
		p[page * WORDS + w] = pattern(page, w, gen);
}

/* Does page `page` of p hold generation gen?  Counts a failure if not. */
static bool
check_page(const uint64_t *p, size_t page, uint64_t gen, const char *who)
{
	for (size_t w = 0; w < WORDS; w += WORDS / PATTERN_WORDS)
		if (p[page * WORDS + w] != pattern(page, w, gen)) {
			printf("swapbench: FAILED: %s: page %zu word %zu is %#llx, "
			    "expected %#llx\n", who, page, w,
			    (unsigned long long)p[page * WORDS + w],
			    (unsigned long long)pattern(page, w, gen));
			failures++;
			return false;
		}
	return true;
}

/* Pages [first, end) of p in order (or in order[] if given). */
static void
sweep_write(uint64_t *p, size_t first, size_t end, const uint32_t *order,
    uint64_t gen)
{
	for (size_t i = first; i < end; i++)
		write_page(p, order != NULL ? order[i] : i, gen);
}

static void
sweep_check(const uint64_t *p, size_t first, size_t end,
    const uint32_t *order, uint64_t gen, const char *who)
{
	for (size_t i = first; i < end; i++)
		if (!check_page(p, order != NULL ? order[i] : i, gen, who))
			return;
}

static uint64_t *
map_anon(size_t npages)
{
	return bench_map_anon("swapbench", npages);
}

/*
 * The user loops alone, over pages that stay resident: the program's
 * own share of each phase's instructions per page.
 */
static void
bench_loops(void)
{
	uint64_t *p = map_anon(LOOP_PAGES);
	struct snap a;

	sweep_write(p, 0, LOOP_PAGES, NULL, 1);
	snap_take(&a);
	for (int r = 0; r < 16; r++)
		sweep_write(p, 0, LOOP_PAGES, NULL, 1);
	report("loop_write", 16 * LOOP_PAGES, &a);
	snap_take(&a);
	for (int r = 0; r < 16; r++)
		sweep_check(p, 0, LOOP_PAGES, NULL, 1, "loop");
	report("loop_read", 16 * LOOP_PAGES, &a);
	munmap(p, LOOP_PAGES * PAGE);
}

/*
 * Write, then read back, npages in order, each pass timed in two halves
 * (the first fills memory or empties it of the other pass's pages; the
 * second is the steady state).  Leaves p holding generation 1.
 */
static void
bench_sequential(uint64_t *p, size_t npages)
{
	size_t half = npages / 2;
	struct snap a;

	snap_take(&a);
	sweep_write(p, 0, half, NULL, 1);
	report("seq_write_fill", half, &a);
	snap_take(&a);
	sweep_write(p, half, npages, NULL, 1);
	report("seq_write", npages - half, &a);
	snap_take(&a);
	sweep_check(p, 0, half, NULL, 1, "seq_read_first");
	report("seq_read_first", half, &a);
	snap_take(&a);
	sweep_check(p, half, npages, NULL, 1, "seq_read");
	report("seq_read", npages - half, &a);
}

/* A random permutation of 0..n-1 (xorshift64, Fisher-Yates). */
static uint32_t *
permutation(size_t n)
{
	uint32_t *v = malloc(n * sizeof(*v));
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	if (v == NULL) {
		perror("swapbench: malloc");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (uint32_t)i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j;
		uint32_t t;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = x % (i + 1);
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
	return v;
}

/* p holds generation 1: read it all at random, then rewrite it so. */
static void
bench_random(uint64_t *p, size_t npages)
{
	uint32_t *order = permutation(npages);
	struct snap a;

	snap_take(&a);
	sweep_check(p, 0, npages, order, 1, "rand_read");
	report("rand_read", npages, &a);
	snap_take(&a);
	sweep_write(p, 0, npages, order, 2);
	report("rand_write", npages, &a);
	sweep_check(p, 0, npages, NULL, 2, "rand_write");
	free(order);
}

/*
 * Fill npages, fork; parent and child each rewrite every page with their
 * own generation (COW faults, most on pages that are out), then each
 * checks its copy.  Timed from the fork until both are done writing, and
 * from there until both are done checking.
 */
static void
bench_cow(size_t npages)
{
	uint64_t *p = map_anon(npages);
	int up[2], down[2], status;	/* child to parent, parent to child */
	struct snap a;
	char c;
	pid_t pid;

	sweep_write(p, 0, npages, NULL, 3);
	if (pipe(up) != 0 || pipe(down) != 0) {
		perror("swapbench: pipe");
		exit(1);
	}
	snap_take(&a);
	pid = fork();
	if (pid < 0) {
		perror("swapbench: fork");
		exit(1);
	}
	if (pid == 0) {
		sweep_write(p, 0, npages, NULL, 4);
		/* Written: tell the parent, then check once it is too. */
		if (write(up[1], "w", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(2);
		sweep_check(p, 0, npages, NULL, 4, "cow child");
		_exit(failures != 0);
	}
	sweep_write(p, 0, npages, NULL, 5);
	if (read(up[0], &c, 1) != 1) {
		perror("swapbench: read");
		exit(1);
	}
	report("cow_write", 2 * npages, &a);
	snap_take(&a);
	if (write(down[1], "c", 1) != 1) {
		perror("swapbench: write");
		exit(1);
	}
	sweep_check(p, 0, npages, NULL, 5, "cow parent");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("swapbench: FAILED: the COW child's copy was wrong\n");
		failures++;
	}
	report("cow_verify", 2 * npages, &a);
	for (int i = 0; i < 2; i++) {
		close(up[i]);
		close(down[i]);
	}
	munmap(p, npages * PAGE);
}

/*
 * Set up phase `what` over npages and run n pages of its steady state
 * (from three quarters of the way through) between the markers.
 */
static int
profile(const char *what, size_t npages, size_t n)
{
	uint64_t *p = map_anon(npages);
	size_t from = npages / 4 * 3;
	uint32_t *order = NULL;

	profile_begin(0);
	profile_end(0);
	if (n > npages - from)
		n = npages - from;
	if (strcmp(what, "seq_write") == 0) {
		sweep_write(p, 0, from, NULL, 1);
		profile_begin(PROFILE_MAGIC);
		sweep_write(p, from, from + n, NULL, 1);
		profile_end(PROFILE_MAGIC);
	} else if (strcmp(what, "seq_read") == 0 ||
	    strcmp(what, "rand_read") == 0) {
		sweep_write(p, 0, npages, NULL, 1);
		if (what[0] == 'r')
			order = permutation(npages);
		sweep_check(p, 0, from, order, 1, what);
		profile_begin(PROFILE_MAGIC);
		sweep_check(p, from, from + n, order, 1, what);
		profile_end(PROFILE_MAGIC);
	} else {
		printf("swapbench: no profile case %s (seq_write, seq_read, "
		    "rand_read)\n", what);
		return 1;
	}
	printf("swapbench: profiled %zu pages of %s\n", n, what);
	return failures != 0;
}

int
main(void)
{
	const char *mode = getenv("bench"), *pp = getenv("profile_pages");
	bool quick = mode != NULL && strcmp(mode, "quick") == 0;
	size_t npages = 2 * vmk_sysctl_u64("hw.physmem") / PAGE;
	uint64_t *p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (vmk_sysctl_u64("vm.swap_total") == 0) {
		printf("swapbench: no swap (boot with swap=vdX)\n");
		return 1;
	}
	if (mode != NULL && strncmp(mode, "profile:", 8) == 0)
		return profile(mode + 8, npages,
		    pp != NULL ? strtoul(pp, NULL, 0) : 512);
	printf("swapbench: %s run, %zu pages a sweep, swap %llu pages\n",
	    quick ? "quick" : "full", npages,
	    (unsigned long long)vmk_sysctl_u64("vm.swap_total"));
	bench_loops();
	p = map_anon(npages);
	bench_sequential(p, npages);
	if (!quick) {
		bench_random(p, npages);
		munmap(p, npages * PAGE);
		bench_cow(npages);
	}
	printf("swapbench: done, %d failure%s, swap in use %llu pages\n",
	    failures, failures == 1 ? "" : "s",
	    (unsigned long long)vmk_sysctl_u64("vm.swap_used"));
	return failures != 0;
}
