/*
 * threadstress: one address space changed by several threads at once
 * while others fork it.
 *
 *   threadstress [-t workers] [-r readers] [-f forkers] [-s seconds]
 *                [-n ops per worker]
 *
 * An arena (reserved PROT_NONE) holds SLOTS regions.  Worker threads,
 * each holding a slot's mutex, map a region at the slot's place
 * (MAP_FIXED, zero-fill faults as they fill it), fill it with its
 * generation's pattern, make it read-only, verify it, rewrite it, punch
 * and refill a hole with MADV_DONTNEED, or unmap it.  Toucher threads read
 * anywhere in the arena without any lock, catching SIGSEGV: whatever a
 * read returns must be 0 or a word of some generation's pattern (never a
 * page of something else).  Forker threads fork; the child (one thread,
 * a copy of the address space at the fork) checks every slot it finds
 * marked stable against that slot's generation: a thread's stores before
 * the fork, and only those, are in the child, in program order.
 *
 * Exits 0 if every check held, 1 otherwise.  stressrun checks free
 * pages, objects, swap and threads around it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define PAGE		4096
#define PAGE_WORDS	(PAGE / sizeof(uint64_t))
#define SLOTS		16
#define SLOT_PAGES	24	/* most pages a region has */
#define MAGIC		(0x7e57ULL << 48)
#define TAG_MASK	(0xffffULL << 48)
#define WORKERS_MAX	8
#define TOUCHERS_MAX	4
#define FORKERS_MAX	4

enum { EMPTY, BUSY, STABLE };

/*
 * A region and what is known of it.  lock (a worker's) guards every
 * field; state is also read without it (touchers, forked children): it
 * is STABLE only while the region holds gen's pattern, read-only, and it
 * is stored after the rest.
 */
struct slot {
	pthread_mutex_t lock;
	volatile uint64_t *addr;	/* the slot's place in the arena */
	size_t pages;			/* mapped now (0: none) */
	uint64_t gen;
	atomic_int state;
};

/* One page: a forked child sees all slots as of one moment. */
static struct slot slots[SLOTS] __attribute__((aligned(PAGE)));
static uint8_t *arena;
static atomic_uint_fast64_t next_gen;
static atomic_bool stop;
static atomic_long failures, ops, faults, forks, touches;
static atomic_long slowest_us;	/* the longest worker operation */
/* Every thread is made before any works: once workers unmap, a hole in
 * the arena must not receive a new thread's stack. */
static pthread_barrier_t start;

static void
fail(const char *what, uint64_t a, uint64_t b)
{
	if (atomic_fetch_add(&failures, 1) < 10)
		printf("threadstress: %s (%#llx, %#llx)\n", what,
		    (unsigned long long)a, (unsigned long long)b);
}

static uint64_t
pattern(uint64_t gen, size_t word)
{
	return MAGIC | (gen << 24) | (word & 0xffffff);
}

/* --- workers ---------------------------------------------------------------- */

static void
fill(struct slot *s)
{
	s->gen = atomic_fetch_add(&next_gen, 1) + 1;
	for (size_t w = 0; w < s->pages * PAGE_WORDS; w++)
		s->addr[w] = pattern(s->gen, w);
}

/* Every 61st word and the last; 0 if all hold gen's pattern. */
static int
verify(const volatile uint64_t *addr, size_t pages, uint64_t gen)
{
	size_t words = pages * PAGE_WORDS;

	for (size_t w = 0; w < words; w += 61)
		if (addr[w] != pattern(gen, w))
			return 1;
	return addr[words - 1] != pattern(gen, words - 1);
}

static void
check(struct slot *s, const char *when)
{
	if (verify(s->addr, s->pages, s->gen) != 0)
		fail(when, s->gen, s->addr[0]);
}

/* A fresh region at the slot's place, filled and made read-only. */
static void
slot_map(struct slot *s, uint64_t *rng)
{
	void *p;

	s->pages = 1 + rng_next(rng) % SLOT_PAGES;
	p = mmap((void *)s->addr, s->pages * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p != (void *)s->addr) {
		fail("mmap MAP_FIXED", (uint64_t)(uintptr_t)p, s->pages);
		s->pages = 0;
		return;
	}
	fill(s);
	if (mprotect((void *)s->addr, s->pages * PAGE, PROT_READ) != 0)
		fail("mprotect read-only", s->gen, 0);
	check(s, "new region");
}

/* Back to the arena's PROT_NONE (a real munmap first: a hole). */
static void
slot_unmap(struct slot *s)
{
	if (munmap((void *)s->addr, s->pages * PAGE) != 0 ||
	    mmap((void *)s->addr, SLOT_PAGES * PAGE, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (void *)s->addr)
		fail("munmap", s->pages, 0);
	s->pages = 0;
}

/* Writable again, pages dropped (MADV_DONTNEED reads as zeros), refilled. */
static void
slot_rewrite(struct slot *s, uint64_t *rng)
{
	size_t hole = rng_next(rng) % s->pages;

	if (mprotect((void *)s->addr, s->pages * PAGE, PROT_READ | PROT_WRITE) != 0)
		fail("mprotect read-write", s->gen, 0);
	if (madvise((void *)(s->addr + hole * PAGE_WORDS), PAGE, MADV_DONTNEED) != 0 ||
	    s->addr[hole * PAGE_WORDS] != 0)
		fail("MADV_DONTNEED left data", hole, s->addr[hole * PAGE_WORDS]);
	fill(s);
	if (mprotect((void *)s->addr, s->pages * PAGE, PROT_READ) != 0)
		fail("mprotect read-only", s->gen, 0);
	check(s, "rewritten region");
}

static void
worker_op(struct slot *s, uint64_t *rng)
{
	unsigned op = (unsigned)(rng_next(rng) % 8);

	pthread_mutex_lock(&s->lock);
	if (s->pages != 0 && op < 3) {
		check(s, "stable region");
	} else {
		atomic_store(&s->state, BUSY);
		if (s->pages == 0)
			slot_map(s, rng);
		else if (op < 6)
			slot_rewrite(s, rng);
		else
			slot_unmap(s);
		if (s->pages != 0)
			atomic_store(&s->state, STABLE);
		else
			atomic_store(&s->state, EMPTY);
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(&ops, 1);
}

struct worker_arg {
	int id;
	long nops;
	double t_end;
};

static void *
worker(void *arg)
{
	struct worker_arg *wa = arg;
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(wa->id + 1);

	pthread_barrier_wait(&start);
	for (long i = 0; i < wa->nops && !atomic_load(&stop); i++) {
		double t0 = now_seconds(), t1;
		long us, was;

		worker_op(&slots[rng_next(&rng) % SLOTS], &rng);
		t1 = now_seconds();
		us = (long)((t1 - t0) * 1e6);
		was = atomic_load(&slowest_us);
		while (us > was && !atomic_compare_exchange_weak(&slowest_us, &was, us))
			;
		if (t1 >= wa->t_end)
			break;
	}
	return NULL;
}

/* --- touchers ------------------------------------------------------------- */

static __thread sigjmp_buf fault_jmp;

static void
on_fault(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* One read of the arena at word off; false if it faulted. */
static bool
touch_one(size_t off)
{
	if (sigsetjmp(fault_jmp, 1) != 0)
		return false;
	uint64_t v = ((volatile uint64_t *)arena)[off];

	if (v != 0 && (v & TAG_MASK) != MAGIC)
		fail("a stray word in the arena", off, v);
	return true;
}

static void *
toucher(void *arg)
{
	uint64_t rng = 0xdeadbeefcafeULL + (uintptr_t)arg;
	long n = 0;

	while (!atomic_load(&stop)) {
		if (!touch_one((size_t)(rng_next(&rng) %
		    (SLOTS * SLOT_PAGES * PAGE_WORDS))))
			atomic_fetch_add(&faults, 1);
		n++;
	}
	atomic_fetch_add(&touches, n);
	return NULL;
}

/* --- forkers -------------------------------------------------------------- */

/* In the child: every stable slot holds its generation.  Then write into
 * one (our copy only), check, and exit. */
static int
child_check(void)
{
	int bad = 0;

	for (int i = 0; i < SLOTS; i++) {
		struct slot *s = &slots[i];

		if (atomic_load(&s->state) != STABLE)
			continue;
		bad |= verify(s->addr, s->pages, s->gen);
		if (i % 4 == 0 && !bad &&
		    mprotect((void *)s->addr, s->pages * PAGE, PROT_READ | PROT_WRITE) == 0) {
			s->addr[0] = pattern(0, 0);
			bad |= s->addr[0] != pattern(0, 0);
		}
	}
	return bad;
}

static void *
forker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(child_check());
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			fail("fork or wait", (uint64_t)pid, 0);
			break;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail("a forked child found a stable slot changed", (uint64_t)status, 0);
		atomic_fetch_add(&forks, 1);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	int nworkers = (int)opt_long(argc, argv, "-t", 4);
	int ntouchers = (int)opt_long(argc, argv, "-r", 2);
	int nforkers = (int)opt_long(argc, argv, "-f", 2);
	double secs = (double)opt_long(argc, argv, "-s", 3);
	long nops = opt_long(argc, argv, "-n", 1000000);
	pthread_t w[WORKERS_MAX], t[TOUCHERS_MAX], f[FORKERS_MAX];
	struct worker_arg wa[WORKERS_MAX];
	struct sigaction sa = { .sa_handler = on_fault };
	struct snapshot before;
	double t0 = now_seconds();

	setvbuf(stdout, NULL, _IONBF, 0);
	if (nworkers < 1 || nworkers > WORKERS_MAX)
		nworkers = 4;
	if (ntouchers < 0 || ntouchers > TOUCHERS_MAX)
		ntouchers = 2;
	if (nforkers < 0 || nforkers > FORKERS_MAX)
		nforkers = 2;
	sigaction(SIGSEGV, &sa, NULL);
	arena = mmap(NULL, SLOTS * SLOT_PAGES * PAGE, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED) {
		perror("threadstress: mmap");
		return 1;
	}
	for (int i = 0; i < SLOTS; i++) {
		pthread_mutex_init(&slots[i].lock, NULL);
		slots[i].addr = (volatile uint64_t *)(arena + (size_t)i * SLOT_PAGES * PAGE);
	}
	snapshot_take(&before);
	pthread_barrier_init(&start, NULL, (unsigned)nworkers + 1);
	for (int i = 0; i < ntouchers; i++)
		if (pthread_create(&t[i], NULL, toucher, (void *)(intptr_t)i) != 0)
			fail("pthread_create", (uint64_t)i, 0);
	for (int i = 0; i < nforkers; i++)
		if (pthread_create(&f[i], NULL, forker, NULL) != 0)
			fail("pthread_create", (uint64_t)i, 1);
	for (int i = 0; i < nworkers; i++) {
		wa[i] = (struct worker_arg){ i, nops, t0 + secs };
		if (pthread_create(&w[i], NULL, worker, &wa[i]) != 0) {
			printf("threadstress: pthread_create failed\n");
			return 1;	/* the others wait at start: end them */
		}
	}
	pthread_barrier_wait(&start);
	for (int i = 0; i < nworkers; i++)
		pthread_join(w[i], NULL);
	atomic_store(&stop, true);
	for (int i = 0; i < ntouchers; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nforkers; i++)
		pthread_join(f[i], NULL);
	munmap(arena, SLOTS * SLOT_PAGES * PAGE);
	printf("threadstress: %d workers, %ld ops (slowest %ld us), %ld forks, "
	    "%ld touches (%ld faulted) in %.2f s: %s\n", nworkers,
	    atomic_load(&ops), atomic_load(&slowest_us), atomic_load(&forks),
	    atomic_load(&touches), atomic_load(&faults), now_seconds() - t0,
	    atomic_load(&failures) ? "FAILED" : "ok");
	snapshot_report("threadstress", &before);
	return atomic_load(&failures) != 0;
}
