/*
 * smptest: the VM under real concurrency, on every hart the kernel runs.
 * Threads pinned to different harts (sched_setaffinity) read and write
 * memory that another hart unmaps, write-protects, discards or forks
 * underneath them; the tests check what the TLB shootdown and the fault
 * path promise:
 *
 *   - once munmap/mprotect/madvise(MADV_DONTNEED) has returned, no hart
 *     reads or writes through the old mapping: the very next access after
 *     a thread saw the call return must fault (or, after MADV_DONTNEED,
 *     read zeros).  This is exact, not a timeout: each racer loads the
 *     "returned" flag before every access, so an access made after it saw
 *     the flag and still succeeding means a stale TLB entry;
 *   - a fork while sibling threads write loses no write and leaks none
 *     across the fork, in either direction;
 *   - with the ASID space made tiny (vm.pmap.asid_limit) processes on all
 *     harts still see only their own memory while the generations roll;
 *   - futex wake-ups between harts are never lost, and thread churn on all
 *     harts gives back every page and thread.
 *
 * Each test runs in its own process (testrun.h) and prints "TEST <name>:
 * PASS" or "... FAIL <why>"; "smptest NAME..." runs only those named.
 * On one hart the tests still run (every thread shares hart 0) but prove
 * little; make check runs them on four.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testrun.h"
#include "vmksys.h"

#define PAGE		4096
#define PAGE_WORDS	(PAGE / sizeof(uint64_t))
#define RACERS_MAX	8
#define NSEC_PER_SEC	1000000000LL

static int ncpu;		/* harts this process may run on */

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Pin the calling thread to hart (mod ncpu); CHECKs that it runs there. */
static void
pin_self(int hart)
{
	cpu_set_t set;

	hart %= ncpu;
	CPU_ZERO(&set);
	CPU_SET(hart, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
	CHECK(sched_getcpu() == hart);
}

/* The hart for racer id: any but hart 0, where the main thread runs. */
static int
racer_hart(int id)
{
	return ncpu > 1 ? 1 + id % (ncpu - 1) : 0;
}

static long
futex(void *uaddr, int op, uint32_t val, const struct timespec *timeout)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, NULL, 0);
}

/* --- faults caught per thread ---------------------------------------------- */

/*
 * A thread that expects a fault arms fault_jmp; the SIGSEGV handler then
 * jumps back there with the faulting address in fault_addr.  A fault
 * nobody armed for is a real crash: the handler puts back the default
 * action and returns, so the access faults again and kills the process.
 */
static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;
static __thread void *volatile fault_addr;

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (fault_armed) {
		fault_armed = 0;
		fault_addr = si->si_addr;
		siglongjmp(fault_jmp, 1);
	}
	signal(sig, SIG_DFL);
}

static void
catch_faults(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };

	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
}

/* --- racers: threads on other harts touching memory main changes ----------- */

/*
 * A race round: main maps rc->region, releases the racers (go), waits
 * until each has touched every page (so every hart holds TLB entries for
 * it), makes its change (munmap, mprotect, ...), stores the round number
 * in rc->changed, and waits for the racers to finish the round (done).
 * Counters are per racer; main reads them after the done barrier.
 */
struct race {
	void (*body)(struct race *, int id, int round);
	int n;				/* racers */
	pthread_t t[RACERS_MAX];
	pthread_barrier_t go, done;
	bool stop;			/* set by main before the last go */
	volatile uint64_t *region;	/* this round's memory */
	size_t pages;
	atomic_int changed;		/* the round whose change has returned */
	atomic_long touches[RACERS_MAX];/* accesses this round */
	long late[RACERS_MAX];		/* accesses that worked after the change */
	long faults[RACERS_MAX];	/* faults taken (SIGSEGV) */
	long bad[RACERS_MAX];		/* values or fault addresses never valid */
};

struct racer_arg {
	struct race *rc;
	int id;
};

static void *
racer_main(void *arg)
{
	struct racer_arg *ra = arg;
	struct race *rc = ra->rc;

	pin_self(racer_hart(ra->id));
	for (int round = 1;; round++) {
		pthread_barrier_wait(&rc->go);
		if (rc->stop)
			break;
		rc->body(rc, ra->id, round);
		pthread_barrier_wait(&rc->done);
	}
	return NULL;
}

static void
race_start(struct race *rc, struct racer_arg *args, int n,
    void (*body)(struct race *, int, int))
{
	memset(rc, 0, sizeof(*rc));
	rc->body = body;
	rc->n = n;
	CHECK(pthread_barrier_init(&rc->go, NULL, n + 1) == 0);
	CHECK(pthread_barrier_init(&rc->done, NULL, n + 1) == 0);
	catch_faults();
	pin_self(0);
	for (int i = 0; i < n; i++) {
		args[i] = (struct racer_arg){ rc, i };
		CHECK(pthread_create(&rc->t[i], NULL, racer_main, &args[i]) == 0);
	}
}

/* Release the racers into a round over region; return once each has made
 * at least `touches` accesses (30 s at most: a racer stuck is a failure). */
static void
race_go(struct race *rc, volatile uint64_t *region, size_t pages, long touches)
{
	int64_t deadline = now_ns() + 30 * NSEC_PER_SEC;

	rc->region = region;
	rc->pages = pages;
	for (int i = 0; i < rc->n; i++)
		atomic_store(&rc->touches[i], 0);
	pthread_barrier_wait(&rc->go);
	for (int i = 0; i < rc->n; i++)
		while (atomic_load(&rc->touches[i]) < touches) {
			CHECK(now_ns() < deadline);
			sched_yield();
		}
}

static void
race_stop(struct race *rc)
{
	rc->stop = true;
	pthread_barrier_wait(&rc->go);
	for (int i = 0; i < rc->n; i++)
		CHECK(pthread_join(rc->t[i], NULL) == 0);
}

static long
race_sum(const long *v, int n)
{
	long s = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

static int
racers_wanted(void)
{
	return ncpu > 1 ? (ncpu - 1 < 3 ? ncpu - 1 : 3) : 2;
}

static bool
in_region(struct race *rc, void *addr)
{
	uintptr_t a = (uintptr_t)addr, lo = (uintptr_t)rc->region;

	return a >= lo && a < lo + rc->pages * PAGE;
}

/* The word racer id touches on its i-th access: a different page each
 * time, its own cache line in it. */
static volatile uint64_t *
racer_word(struct race *rc, int id, long i)
{
	return &rc->region[(size_t)(i % (long)rc->pages) * PAGE_WORDS + id * 8];
}

static volatile uint64_t *
map_region(size_t pages, uint64_t fill)
{
	uint64_t *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	for (size_t i = 0; i < pages * PAGE_WORDS; i++)
		p[i] = fill;
	return p;
}

/* Region sizes by round: one page (pmap_invalidate_page), a range, and
 * more than the kernel invalidates page by page (the whole ASID). */
static size_t
round_pages(int round)
{
	static const size_t sizes[] = { 1, 16, 100 };

	return sizes[round % 3];
}

#define PATTERN		0x5a5a00005a5a0000ULL
#define RACE_ROUNDS	30

/* --- munmap ------------------------------------------------------------------ */

/*
 * Read (or write) the region until an access faults; an access after the
 * thread saw the call (munmap, mprotect) return that still works is a
 * stale TLB entry.  A read must find the pattern; a fault must be inside
 * the region.
 */
static void
race_until_fault(struct race *rc, int id, int round, bool write)
{
	volatile long i = 0;

	if (sigsetjmp(fault_jmp, 1) == 0) {
		fault_armed = 1;
		for (;; i++) {
			bool seen = atomic_load(&rc->changed) == round;

			if (write)
				*racer_word(rc, id, i) = ((uint64_t)id << 56) |
				    ((uint64_t)round << 32) | (uint64_t)i;
			else if (*racer_word(rc, id, i) != PATTERN)
				rc->bad[id]++;
			atomic_store_explicit(&rc->touches[id], i + 1,
			    memory_order_relaxed);
			if (seen) {
				rc->late[id]++;
				break;
			}
		}
		fault_armed = 0;
	} else {
		rc->faults[id]++;
		if (!in_region(rc, fault_addr))
			rc->bad[id]++;
	}
}

static void
munmap_reader(struct race *rc, int id, int round)
{
	race_until_fault(rc, id, round, false);
}

static void
t_munmap_shootdown(void)
{
	struct racer_arg args[RACERS_MAX];
	struct race rc;
	uint64_t shot0, shot;
	int n = racers_wanted();

	race_start(&rc, args, n, munmap_reader);
	shot0 = vmk_sysctl_u64("vm.pmap.shootdowns");
	for (int round = 1; round <= RACE_ROUNDS; round++) {
		size_t pages = round_pages(round);
		volatile uint64_t *r = map_region(pages, PATTERN);

		race_go(&rc, r, pages, 2 * (long)pages);
		CHECK(munmap((void *)r, pages * PAGE) == 0);
		atomic_store(&rc.changed, round);
		pthread_barrier_wait(&rc.done);
	}
	shot = vmk_sysctl_u64("vm.pmap.shootdowns") - shot0;
	race_stop(&rc);
	CHECK(race_sum(rc.late, n) == 0);
	CHECK(race_sum(rc.bad, n) == 0);
	CHECK(race_sum(rc.faults, n) == (long)n * RACE_ROUNDS);
	/*
	 * Remote harts were told.  Not necessarily at every munmap: a reader
	 * that misses its TLB on a page already cleared faults, and sleeps
	 * on the map lock munmap holds, so its hart may have left the pmap
	 * (and needs no shootdown) by the time the range is flushed; with
	 * 100 pages that happens to all three now and then.
	 */
	CHECK(ncpu == 1 || shot > 0);
}

/* --- mprotect ---------------------------------------------------------------- */

static void
mprotect_writer(struct race *rc, int id, int round)
{
	race_until_fault(rc, id, round, true);
}

static void
t_mprotect_shootdown(void)
{
	struct racer_arg args[RACERS_MAX];
	struct race rc;
	int n = racers_wanted(), changed_after = 0;
	uint64_t *snap = malloc(round_pages(2) * PAGE);

	CHECK(snap != NULL);
	race_start(&rc, args, n, mprotect_writer);
	for (int round = 1; round <= RACE_ROUNDS; round++) {
		size_t pages = round_pages(round);
		volatile uint64_t *r = map_region(pages, 0);

		race_go(&rc, r, pages, 2 * (long)pages);
		CHECK(mprotect((void *)r, pages * PAGE, PROT_READ) == 0);
		atomic_store(&rc.changed, round);
		memcpy(snap, (void *)r, pages * PAGE);
		pthread_barrier_wait(&rc.done);
		/* Every writer has faulted now: nothing may have changed. */
		if (memcmp(snap, (void *)r, pages * PAGE) != 0)
			changed_after++;
		CHECK(munmap((void *)r, pages * PAGE) == 0);
	}
	race_stop(&rc);
	CHECK(race_sum(rc.late, n) == 0);
	CHECK(changed_after == 0);
	CHECK(race_sum(rc.bad, n) == 0);
	CHECK(race_sum(rc.faults, n) == (long)n * RACE_ROUNDS);
	free(snap);
}

/* --- MADV_DONTNEED ------------------------------------------------------------ */

/* Read the region; once the thread saw madvise return, every read must
 * give zeros; read each page once more after that, then stop. */
static void
dontneed_reader(struct race *rc, int id, int round)
{
	long after = 0;

	for (long i = 0;; i++) {
		bool seen = atomic_load(&rc->changed) == round;
		uint64_t v = *racer_word(rc, id, i);

		if (v != PATTERN && v != 0)
			rc->bad[id]++;
		atomic_store_explicit(&rc->touches[id], i + 1,
		    memory_order_relaxed);
		if (seen) {
			if (v != 0)
				rc->late[id]++;
			if (++after >= (long)rc->pages)
				break;
		}
	}
}

static void
t_madv_dontneed_shootdown(void)
{
	struct racer_arg args[RACERS_MAX];
	struct race rc;
	int n = racers_wanted(), nonzero = 0;

	race_start(&rc, args, n, dontneed_reader);
	for (int round = 1; round <= RACE_ROUNDS; round++) {
		size_t pages = round_pages(round);
		volatile uint64_t *r = map_region(pages, PATTERN);

		race_go(&rc, r, pages, 2 * (long)pages);
		CHECK(madvise((void *)r, pages * PAGE, MADV_DONTNEED) == 0);
		atomic_store(&rc.changed, round);
		pthread_barrier_wait(&rc.done);
		for (size_t w = 0; w < pages * PAGE_WORDS; w++)
			nonzero += r[w] != 0;
		CHECK(munmap((void *)r, pages * PAGE) == 0);
	}
	race_stop(&rc);
	CHECK(race_sum(rc.late, n) == 0);
	CHECK(nonzero == 0);
	CHECK(race_sum(rc.bad, n) == 0);
}

/* --- fork while sibling threads write ------------------------------------------ */

#define COW_PAGES	8
#define COW_FORKS	20
#define PARENT_TAG	(0xabULL << 56)
#define CHILD_TAG	(0xcdULL << 56)
#define COUNT_MASK	((1ULL << 56) - 1)

/*
 * Racer id owns one word per page (racer_word: column id) and writes a
 * counter there, page after page, checking first that the word still
 * holds what it last wrote: a write lost to a copy-on-write copy made
 * meanwhile, or a child's write leaking in, shows as a mismatch.  The
 * round ends when main stores round 1 in rc->changed.  rc->touches[id]
 * is the last counter written (its store comes after the word's).
 */
static void
cow_writer(struct race *rc, int id, int round)
{
	uint64_t prev[COW_PAGES] = { 0 };

	for (long c = 0; atomic_load(&rc->changed) != round; ) {
		volatile uint64_t *w = racer_word(rc, id, c);
		size_t p = (size_t)(c % COW_PAGES);

		if (*w != prev[p])
			rc->bad[id]++;
		c++;
		prev[p] = PARENT_TAG | (uint64_t)c;
		*w = prev[p];
		atomic_store_explicit(&rc->touches[id], c, memory_order_release);
	}
	for (long p = 0; p < COW_PAGES; p++)
		if (*racer_word(rc, id, p) != prev[p])
			rc->bad[id]++;
}

/*
 * The child (one thread, a copy of the region as it was at the fork):
 * racer t's word on each page holds a counter between what t had written
 * before fork was called (lo) and just after it returned (hi, from the
 * pipe).  Then it overwrites every word, and its copy must stay exactly
 * so while the parent's threads go on writing theirs.  Exit status: 0, or
 * which check failed.
 */
static int
cow_child(struct race *rc, const long *lo, int rfd)
{
	size_t bytes = COW_PAGES * PAGE;
	long hi[RACERS_MAX];
	uint64_t *snap;

	if (read(rfd, hi, sizeof(hi)) != (ssize_t)sizeof(hi))
		return 2;
	for (int t = 0; t < rc->n; t++)
		for (long p = 0; p < COW_PAGES; p++) {
			uint64_t v = *racer_word(rc, t, p);
			long c = (long)(v & COUNT_MASK);

			if (v == 0 ? lo[t] >= COW_PAGES : (v & ~COUNT_MASK) != PARENT_TAG)
				return 3;
			if (v != 0 && (c > hi[t] + 1 || c <= lo[t] - COW_PAGES))
				return 4;
		}
	for (size_t w = 0; w < bytes / sizeof(uint64_t); w++)
		rc->region[w] = CHILD_TAG | w;
	snap = malloc(bytes);
	if (snap == NULL)
		return 5;
	memcpy(snap, (void *)rc->region, bytes);
	sleep_ms(10);
	return memcmp(snap, (void *)rc->region, bytes) == 0 ? 0 : 6;
}

/*
 * debug.witness.contention (WITNESS kernels): writing 0 zeroes the
 * counts; each line is "acquired contended class", contended never above
 * acquired; children of one fork writing their copies of the same pages
 * at once take their shared backing object's lock at least once a page.
 */
static void
t_lock_contention_counts(void)
{
	enum { PAGES = 64, KIDS = 4 };
	volatile uint64_t *r = map_region(PAGES, 1);
	unsigned long acq, cont, vm_object_acq = 0;
	char *text, *line, name[64];
	size_t len;
	int status;

	if (vmk_sysctl("debug.witness.contention", NULL, NULL, "0", 2) != 0) {
		CHECK(errno == ENOENT);		/* not a WITNESS kernel */
		return;
	}
	for (int k = 0; k < KIDS; k++)
		if (fork() == 0) {
			for (size_t i = 0; i < PAGES; i++)
				r[i * PAGE_WORDS] = (uint64_t)k;
			_exit(0);
		}
	for (int k = 0; k < KIDS; k++)
		CHECK(wait(&status) > 0 && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0);
	text = vmk_sysctl_alloc("debug.witness.contention", &len);
	CHECK(text != NULL);
	for (line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		CHECK(sscanf(line, "%lu %lu %63[^\n]", &acq, &cont, name) == 3);
		CHECK(cont <= acq);
		if (strcmp(name, "vm_object") == 0)
			vm_object_acq = acq;
	}
	CHECK(vm_object_acq >= KIDS * PAGES);
	free(text);
	munmap((void *)r, PAGES * PAGE);
}

static void
t_cow_fork_with_writers(void)
{
	struct racer_arg args[RACERS_MAX];
	struct race rc;
	int n = racers_wanted(), status, fds[2];
	volatile uint64_t *r = map_region(COW_PAGES, 0);
	long lo[RACERS_MAX], hi[RACERS_MAX];
	size_t words = COW_PAGES * PAGE_WORDS;

	race_start(&rc, args, n, cow_writer);
	race_go(&rc, r, COW_PAGES, 4 * COW_PAGES);
	for (int f = 0; f < COW_FORKS; f++) {
		pid_t pid;

		CHECK(pipe(fds) == 0);
		for (int t = 0; t < n; t++)
			lo[t] = atomic_load(&rc.touches[t]);
		pid = fork();
		if (pid == 0)
			_exit(cow_child(&rc, lo, fds[0]));
		CHECK(pid > 0);
		for (int t = 0; t < n; t++)
			hi[t] = atomic_load(&rc.touches[t]);
		CHECK(write(fds[1], hi, sizeof(hi)) == (ssize_t)sizeof(hi));
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		close(fds[0]);
		close(fds[1]);
	}
	atomic_store(&rc.changed, 1);
	pthread_barrier_wait(&rc.done);
	race_stop(&rc);
	CHECK(race_sum(rc.bad, n) == 0);
	/* No child's write reached the parent: only its racers' words (one
	 * cache line each per page) were ever written, with its tag. */
	for (size_t w = 0; w < words; w++) {
		size_t col = (w % PAGE_WORDS) / 8, off = w % 8;

		if ((int)col < n && off == 0)
			CHECK(r[w] == 0 || (r[w] & ~COUNT_MASK) == PARENT_TAG);
		else
			CHECK(r[w] == 0);
	}
}

/* --- several harts first-touching the same pages --------------------------------- */

#define TOUCH_PAGES	256

/* Racer id adds 1 to the first word of every page, in its own order: if
 * two harts' faults each installed a page of their own, adds are lost. */
static void
touch_adder(struct race *rc, int id, int round)
{
	(void)round;
	for (size_t k = 0; k < rc->pages; k++) {
		size_t p = id % 2 ? rc->pages - 1 - k : (k * 7 + id) % rc->pages;

		atomic_fetch_add((_Atomic uint64_t *)&rc->region[p * PAGE_WORDS], 1);
		atomic_store_explicit(&rc->touches[id], (long)k + 1,
		    memory_order_relaxed);
	}
}

static void
t_concurrent_first_touch(void)
{
	struct racer_arg args[RACERS_MAX];
	struct race rc;
	int n = racers_wanted() + 1;

	race_start(&rc, args, n, touch_adder);
	for (int round = 1; round <= 10; round++) {
		uint64_t *r = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		CHECK(r != MAP_FAILED);
		race_go(&rc, r, TOUCH_PAGES, TOUCH_PAGES);
		pthread_barrier_wait(&rc.done);
		for (size_t p = 0; p < TOUCH_PAGES; p++)
			CHECK(r[p * PAGE_WORDS] == (uint64_t)n);
		CHECK(munmap(r, TOUCH_PAGES * PAGE) == 0);
	}
	race_stop(&rc);
}

/* --- ASID rollover --------------------------------------------------------------- */

#define ASID_PROCS	16
#define ASID_PAGES	16
#define ASID_ITERS	150

/*
 * One of the processes: pinned to a hart, it rewrites and checks its own
 * pattern (pid and iteration in every word) and yields between, so that
 * the processes sharing the hart switch back and forth.  0 if every word
 * it read was its own.
 */
static int
asid_worker(int k)
{
	uint64_t *m = mmap(NULL, ASID_PAGES * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t me = (uint64_t)getpid() << 32;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(k % ncpu, &set);
	if (m == MAP_FAILED || sched_setaffinity(0, sizeof(set), &set) != 0)
		return 2;
	for (uint64_t it = 0; it < ASID_ITERS; it++) {
		for (size_t p = 0; p < ASID_PAGES; p++)
			m[p * PAGE_WORDS + it % PAGE_WORDS] = me | (it << 8) | p;
		sched_yield();
		for (size_t p = 0; p < ASID_PAGES; p++)
			if (m[p * PAGE_WORDS + it % PAGE_WORDS] != (me | (it << 8) | p))
				return 1;
	}
	return 0;
}

static void
t_asid_rollover(void)
{
	int32_t old = 0, tiny = 4;
	size_t len = sizeof(old);
	uint64_t roll0, rolls;
	pid_t pids[ASID_PROCS];
	int bad = 0, status;

	CHECK(vmk_sysctl("vm.pmap.asid_limit", &old, &len, &tiny, sizeof(tiny)) == 0);
	roll0 = vmk_sysctl_u64("vm.pmap.asid_rollovers");
	for (int k = 0; k < ASID_PROCS; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			_exit(asid_worker(k));
		bad += pids[k] < 0;
	}
	for (int k = 0; k < ASID_PROCS; k++)
		if (pids[k] > 0 && (waitpid(pids[k], &status, 0) != pids[k] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0))
			bad++;
	rolls = vmk_sysctl_u64("vm.pmap.asid_rollovers") - roll0;
	/* Put the limit back before any CHECK can end us. */
	CHECK(vmk_sysctl("vm.pmap.asid_limit", NULL, NULL, &old, sizeof(old)) == 0);
	CHECK(bad == 0);
	CHECK(rolls >= ASID_PROCS);
	/* The limit's range, as the sysctl node declares it. */
	tiny = 1;
	CHECK(vmk_sysctl("vm.pmap.asid_limit", NULL, NULL, &tiny, sizeof(tiny)) == -1 &&
	    errno == EINVAL);
}

/* --- futex ping-pong across harts --------------------------------------------------- */

#define RING_ROUNDS	2000

/*
 * A token goes round a ring of threads, one per hart: thread k sleeps on
 * its own word until it holds the token's sequence number, then hands
 * number+1 to the next thread and wakes it.  A wait that times out while
 * its word already holds the token is a lost wake-up.
 */
struct ring {
	int n;
	_Alignas(64) uint32_t word[RACERS_MAX][16];	/* one cache line each */
	long rounds[RACERS_MAX];
	long lost[RACERS_MAX];
	long wrong[RACERS_MAX];	/* token out of order, odd wake counts */
};

struct ring_arg {
	struct ring *ring;
	int k;
};

static void *
ring_thread(void *arg)
{
	struct ring_arg *ra = arg;
	struct ring *ring = ra->ring;
	int k = ra->k, next = (k + 1) % ring->n;
	uint32_t *mine = ring->word[k], *theirs = ring->word[next];
	const struct timespec patience = { 10, 0 };

	pin_self(k);
	for (long r = 0; r < RING_ROUNDS; r++) {
		uint32_t want = (uint32_t)(r * ring->n + k + 1);
		uint32_t v;
		long woken;

		while ((v = __atomic_load_n(mine, __ATOMIC_ACQUIRE)) != want) {
			if (v > want) {
				ring->wrong[k]++;
				break;
			}
			if (futex(mine, FUTEX_WAIT_PRIVATE, v, &patience) == -1 &&
			    errno == ETIMEDOUT &&
			    __atomic_load_n(mine, __ATOMIC_ACQUIRE) == want)
				ring->lost[k]++;
		}
		ring->rounds[k]++;
		__atomic_store_n(theirs, want + 1, __ATOMIC_RELEASE);
		woken = futex(theirs, FUTEX_WAKE_PRIVATE, 1, NULL);
		if (woken != 0 && woken != 1)
			ring->wrong[k]++;
	}
	return NULL;
}

static void
t_futex_ring(void)
{
	static struct ring ring;
	struct ring_arg args[RACERS_MAX];
	pthread_t t[RACERS_MAX];
	int n = ncpu < 2 ? 2 : (ncpu < RACERS_MAX ? ncpu : RACERS_MAX);

	ring.n = n;
	for (int k = 0; k < n; k++) {
		args[k] = (struct ring_arg){ &ring, k };
		CHECK(pthread_create(&t[k], NULL, ring_thread, &args[k]) == 0);
	}
	/* The first token, to thread 0. */
	__atomic_store_n(ring.word[0], 1, __ATOMIC_RELEASE);
	futex(ring.word[0], FUTEX_WAKE_PRIVATE, 1, NULL);
	for (int k = 0; k < n; k++)
		CHECK(pthread_join(t[k], NULL) == 0);
	CHECK(race_sum(ring.lost, n) == 0);
	CHECK(race_sum(ring.wrong, n) == 0);
	for (int k = 0; k < n; k++)
		CHECK(ring.rounds[k] == RING_ROUNDS);
	/* The last thread handed thread 0 the token after all the rounds. */
	CHECK(ring.word[0][0] == (uint32_t)(RING_ROUNDS * n + 1));
}

/* --- both ends of a pipe closed at once ------------------------------------------- */

#define CLOSE_ROUNDS	3000

struct close_race {
	pthread_barrier_t go;
	int fd[2];		/* this round's pipe: the thread closes fd[0] */
};

static void *
close_reader(void *arg)
{
	struct close_race *cr = arg;

	pin_self(racer_hart(0));
	for (int i = 0; i < CLOSE_ROUNDS; i++) {
		pthread_barrier_wait(&cr->go);
		close(cr->fd[0]);
		pthread_barrier_wait(&cr->go);
	}
	return NULL;
}

/*
 * Both ends of a pipe closed at once, by threads on two harts: the last
 * close frees the pipe while the other may still be leaving
 * pipe_end_gone, which must not look at the pipe once it dropped its
 * lock (it did: a WITNESS kernel under a loaded make check caught it
 * unlocking fifo_lock, which it never took, after reading freed memory).
 * The window is a few instructions wide: this exercises the race but
 * did not catch that bug in three runs of it; the fix is by reading.
 */
static void
t_pipe_close_race(void)
{
	struct close_race cr;
	pthread_t t;

	pin_self(0);
	CHECK(pthread_barrier_init(&cr.go, NULL, 2) == 0);
	CHECK(pthread_create(&t, NULL, close_reader, &cr) == 0);
	for (int i = 0; i < CLOSE_ROUNDS; i++) {
		CHECK(pipe(cr.fd) == 0);
		pthread_barrier_wait(&cr.go);
		CHECK(close(cr.fd[1]) == 0);
		pthread_barrier_wait(&cr.go);
	}
	CHECK(pthread_join(t, NULL) == 0);
}

/* --- a process signal passed on when its target blocks it ----------------------------- */

struct pass_on {
	atomic_int spinner_tid;
	atomic_int first_tid;		/* who took the first instance */
	atomic_int taker_tid;		/* who took the second */
	atomic_int runs;		/* handler entries */
	atomic_bool first_done;		/* the first handler returned */
	atomic_bool early;		/* the second came before that */
	atomic_bool stop;
	pid_t main_tid;
};

static struct pass_on po;

/* The first instance's handler waits up to 2 s for the second to be
 * taken elsewhere: its own mask blocks the signal meanwhile. */
static void
pass_on_handler(int sig)
{
	int me = (int)syscall(SYS_gettid);
	/* Read before counting in: the first handler stops waiting as soon
	 * as it sees the count, and says so. */
	bool first_done = atomic_load(&po.first_done);

	(void)sig;
	if (atomic_fetch_add(&po.runs, 1) == 0) {
		atomic_store(&po.first_tid, me);
		for (int i = 0; i < 2000 && atomic_load(&po.runs) < 2; i++)
			usleep(1000);
		atomic_store(&po.first_done, true);
	} else {
		atomic_store(&po.taker_tid, me);
		atomic_store(&po.early, !first_done);
	}
}

/* Spins in user mode, the signal unblocked, making no system call. */
static void *
pass_on_spinner(void *arg)
{
	(void)arg;
	pin_self(racer_hart(0));
	atomic_store(&po.spinner_tid, (int)syscall(SYS_gettid));
	while (!atomic_load(&po.stop))
		;
	return NULL;
}

/*
 * Two instances of a real-time signal for the process, both aimed at its
 * main thread, which cannot take them yet: it is a vfork parent, asleep
 * uninterruptibly until its child, which sends them, exits.  Its handler
 * for the first then blocks the signal (no SA_NODEFER), so the second
 * must go, while that handler runs, to the other thread that takes it:
 * one spinning in user mode, which only looks when woken (TDA_SIG).  The
 * mask change must pass it on (sigmask_set_locked, Linux's
 * retarget_shared_pending); it did not, and the second waited for the
 * handler to return.
 */
static void
t_signal_passed_on_when_blocked(void)
{
	struct sigaction sa = { .sa_handler = pass_on_handler };
	pthread_t spinner;
	pid_t pid;

	po.main_tid = (pid_t)syscall(SYS_gettid);
	pin_self(0);
	CHECK(sigaction(SIGRTMIN, &sa, NULL) == 0);
	CHECK(pthread_create(&spinner, NULL, pass_on_spinner, NULL) == 0);
	while (atomic_load(&po.spinner_tid) == 0)
		usleep(1000);
	/* Some ticks first: the spinner's first return to user mode after
	 * it moved harts looks at everything (TDA_FP), and would take the
	 * first instance itself. */
	usleep(100000);
	pid = vfork();
	if (pid == 0) {
		pid_t parent = getppid();

		sigqueue(parent, SIGRTMIN, (union sigval){ 1 });
		sigqueue(parent, SIGRTMIN, (union sigval){ 2 });
		_exit(0);
	}
	CHECK(pid > 0);
	while (atomic_load(&po.runs) < 2)
		pause();
	atomic_store(&po.stop, true);
	CHECK(pthread_join(spinner, NULL) == 0);
	CHECK(waitpid(pid, NULL, 0) == pid);
	CHECK(atomic_load(&po.first_tid) == po.main_tid);
	CHECK(atomic_load(&po.early));
	CHECK(atomic_load(&po.taker_tid) == atomic_load(&po.spinner_tid));
}

/* --- affinity of a running thread, set by another ------------------------------------ */

struct spin_report {
	atomic_int tid;
	atomic_int cpu;
	atomic_long spins;
	atomic_bool stop;
};

/* Spins in user mode (no system call but getcpu), saying where it runs. */
static void *
spin_and_report(void *arg)
{
	struct spin_report *sr = arg;

	atomic_store(&sr->tid, (int)syscall(SYS_gettid));
	while (!atomic_load(&sr->stop)) {
		atomic_store(&sr->cpu, sched_getcpu());
		atomic_fetch_add(&sr->spins, 1);
	}
	return NULL;
}

/*
 * sched_setaffinity on another thread, which spins in user mode on a
 * hart the new mask leaves out: once the call returns, that thread runs
 * only where the mask allows (as on Linux, which moves it before
 * returning).  A thread that never sleeps or yields is the hard case:
 * nothing else would ever move it.
 */
static void
t_affinity_moves_running_thread(void)
{
	struct spin_report sr = { 0 };
	pthread_attr_t attr;
	pthread_t t;
	cpu_set_t set;

	if (ncpu < 3)
		return;
	pin_self(0);
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	CHECK(pthread_attr_init(&attr) == 0);
	CHECK(pthread_attr_setaffinity_np(&attr, sizeof(set), &set) == 0);
	CHECK(pthread_create(&t, &attr, spin_and_report, &sr) == 0);
	while (atomic_load(&sr.spins) == 0)
		sched_yield();
	CHECK(atomic_load(&sr.cpu) == 1);
	for (int move = 1; move <= 20; move++) {
		int hart = 1 + move % (ncpu - 1);	/* never where it is */
		long s0;

		CPU_ZERO(&set);
		CPU_SET(hart, &set);
		CHECK(sched_setaffinity(atomic_load(&sr.tid), sizeof(set), &set) == 0);
		/* Two reports begun after the call returned: it has moved
		 * by now, and says so. */
		s0 = atomic_load(&sr.spins);
		while (atomic_load(&sr.spins) < s0 + 2)
			sched_yield();
		CHECK(atomic_load(&sr.cpu) == hart);
	}
	atomic_store(&sr.stop, true);
	CHECK(pthread_join(t, NULL) == 0);
}

/* --- thread churn on all harts ------------------------------------------------------ */

#define CHURN_TOTAL	2000
#define CHURN_BATCH	16

/* Touches a few stack pages and the heap, on the hart it was pinned to. */
static void *
churn_worker(void *arg)
{
	volatile char stack[3 * PAGE];
	char *heap = malloc(200);

	for (size_t i = 0; i < sizeof(stack); i += PAGE)
		stack[i] = (char)i;
	if (heap == NULL)
		return (void *)1;
	memset(heap, 1, 200);
	free(heap);
	return sched_getcpu() == (int)(intptr_t)arg % ncpu ? arg : (void *)1;
}

/* Make and join total threads, CHURN_BATCH at a time, each pinned to a
 * hart in turn (pthread_attr_setaffinity_np). */
static int
churn(int total)
{
	pthread_t t[CHURN_BATCH];
	pthread_attr_t attr;

	for (int done = 0; done < total; done += CHURN_BATCH) {
		for (int i = 0; i < CHURN_BATCH; i++) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET((done + i) % ncpu, &set);
			if (pthread_attr_init(&attr) != 0 ||
			    pthread_attr_setaffinity_np(&attr, sizeof(set), &set) != 0 ||
			    pthread_create(&t[i], &attr, churn_worker,
			    (void *)(intptr_t)(done + i)) != 0)
				return 2;
			pthread_attr_destroy(&attr);
		}
		for (int i = 0; i < CHURN_BATCH; i++) {
			void *rv;

			if (pthread_join(t[i], &rv) != 0 ||
			    rv != (void *)(intptr_t)(done + i))
				return 3;
		}
	}
	return 0;
}

static uint64_t
thread_count(void)
{
	return vmk_sysctl_u64("kern.nthreads") & 0xffffffffu;
}

/*
 * In the churning process: once every thread is joined, the kernel's
 * thread count comes back to where it was (a joined thread may still be
 * on its way out for a moment: wait up to 2 s).  Its exit status.
 */
static int
churn_and_count(void)
{
	uint64_t before = thread_count();
	int64_t deadline;
	int rv = churn(CHURN_TOTAL);

	if (rv != 0)
		return rv;
	deadline = now_ns() + 2 * NSEC_PER_SEC;
	while (thread_count() != before && now_ns() < deadline)
		sleep_ms(5);
	return thread_count() == before ? 0 : 4;
}

/*
 * Run "smptest --churn what" (main: a warm-up churn, or the counted one)
 * and return its wait status.  It is spawned, not forked: a forked child
 * would share our pages copy-on-write, and each page we wrote while it
 * lived would leave its old copy behind in our chain once it exited,
 * until our next fork collapses the chain (vm_object.c collapses nothing
 * at exit).  How many depends on who ran first, so our free page count
 * would move by a page or so either way for no leak.  A spawned child
 * shares nothing with us after its exec.
 */
static int
churn_spawn(const char *what)
{
	char *argv[] = { "smptest", "--churn", (char *)what, NULL };
	int status;
	pid_t pid;

	CHECK(posix_spawn(&pid, "/test/smptest", NULL, NULL, argv, environ) == 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

struct baseline {
	uint64_t free_pages, threads, objects;
};

/*
 * Take the counters; with `want`, first wait (2 s at most) for the
 * thread count to come down to it: a thread that has exited is counted
 * until its hart has switched away from it, which may come a moment
 * after its process was reaped.
 */
static void
baseline_take(struct baseline *b, const struct baseline *want)
{
	int32_t one = 1;

	for (int i = 0; want != NULL && i < 200 && thread_count() != want->threads; i++)
		sleep_ms(10);
	CHECK(vmk_sysctl("vfs.drain_caches", NULL, NULL, &one, sizeof(one)) == 0);
	b->free_pages = vmk_sysctl_u64("vm.stats.vm.v_free_count");
	b->threads = thread_count();
	b->objects = vmk_sysctl_u64("vm.stats.object.live_anon") +
	    vmk_sysctl_u64("vm.stats.object.live_vnode");
}

/* 2000 threads over all harts in a process that then exits: free pages,
 * threads and VM objects come back to where they were. */
static void
t_thread_churn_no_leak(void)
{
	struct baseline before, after;
	int status;

	status = churn_spawn("warmup");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	baseline_take(&before, NULL);
	status = churn_spawn("count");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	baseline_take(&after, &before);
	/* A dead thread's last pages (its kernel stack) go back when its
	 * hart has switched away, which a loaded host can delay: give them
	 * 2 s.  A leak never comes back. */
	for (int i = 0; i < 200 && after.free_pages < before.free_pages; i++) {
		sleep_ms(10);
		baseline_take(&after, &before);
	}
	CHECK(after.threads == before.threads);
	CHECK(after.objects == before.objects);
	CHECK(after.free_pages >= before.free_pages);	/* fewer: a leak */
}

static const struct testcase tests[] = {
	{ "munmap_shootdown", t_munmap_shootdown },
	{ "mprotect_shootdown", t_mprotect_shootdown },
	{ "madv_dontneed_shootdown", t_madv_dontneed_shootdown },
	{ "cow_fork_with_writers", t_cow_fork_with_writers },
	{ "lock_contention_counts", t_lock_contention_counts },
	{ "concurrent_first_touch", t_concurrent_first_touch },
	{ "asid_rollover", t_asid_rollover },
	{ "futex_ring", t_futex_ring },
	{ "pipe_close_race", t_pipe_close_race },
	{ "signal_passed_on_when_blocked", t_signal_passed_on_when_blocked },
	{ "affinity_moves_running_thread", t_affinity_moves_running_thread },
	{ "thread_churn_no_leak", t_thread_churn_no_leak },
};

int
main(int argc, char **argv)
{
	cpu_set_t all;

	CPU_ZERO(&all);
	if (sched_getaffinity(0, sizeof(all), &all) != 0) {
		perror("smptest: sched_getaffinity");
		return 2;
	}
	ncpu = CPU_COUNT(&all);
	/* thread_churn_no_leak's churning process (churn_spawn). */
	if (argc == 3 && strcmp(argv[1], "--churn") == 0)
		return strcmp(argv[2], "count") == 0 ? churn_and_count() :
		    churn(4 * CHURN_BATCH);
	setvbuf(stdout, NULL, _IONBF, 0);	/* before any fork */
	printf("smptest: %d harts\n", ncpu);
	return testrun_main("smptest", tests, sizeof(tests) / sizeof(tests[0]),
	    argc, argv);
}
