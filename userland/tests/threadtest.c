/*
 * threadtest: user threads as glibc's pthreads use them -- clone,
 * futexes, robust mutexes, per-thread signals, exit and exit_group,
 * exec and fork from a thread, CPU affinity -- each test in its own
 * process (testrun.h), printing "TEST <name>: PASS" or "... FAIL <why>".
 * "threadtest NAME..." runs only the named tests.
 *
 * Most tests mean the same on Linux: scripts/check.py runs those under
 * qemu-riscv64 too and compares the lines (DIFF_TESTS below says which).
 * Not among them: exec from a thread (qemu-riscv64 cannot exec a riscv64
 * program without binfmt_misc), the process-shared robust mutex and the
 * robust list calls (qemu-riscv64 has no set_robust_list, so glibc
 * refuses process-shared robust mutexes there), and the leak check
 * (vmk's sysctl counters).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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

#define NSEC_PER_SEC	1000000000LL

/* An address nothing is mapped at, hidden from the compiler's checks. */
static void *volatile bad_ptr = (void *)8;

static long
futex(void *uaddr, int op, uint32_t val, const void *timeout_or_val2,
    void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static pid_t
gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static int64_t
now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static struct timespec
ns_to_ts(int64_t ns)
{
	return (struct timespec){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

static void
sleep_ms(int ms)
{
	struct timespec ts = ns_to_ts((int64_t)ms * 1000000);

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Wait until n threads sleep on the futex word w (shared or private):
 * CMP_REQUEUE of none woken and all moved onto w itself counts them
 * without waking anyone.
 */
static void
await_sleepers(uint32_t *w, bool private, int n)
{
	int op = FUTEX_CMP_REQUEUE | (private ? FUTEX_PRIVATE_FLAG : 0);
	long queued;

	while ((queued = futex(w, op, 0, (void *)(long)INT32_MAX, w, *w)) < n) {
		CHECK(queued >= 0 || errno == EAGAIN);
		sleep_ms(1);
	}
}

/* Wait (up to 10 s) until *v is at least n. */
static void
await_count(volatile sig_atomic_t *v, int n)
{
	for (int i = 0; i < 10000 && *v < n; i++)
		sleep_ms(1);
}

/* --- create, join, mutexes, condition variables ---------------------------- */

static void *
ret_arg_times_two(void *arg)
{
	if ((uintptr_t)arg == 3)
		pthread_exit((void *)(uintptr_t)6);
	return (void *)((uintptr_t)arg * 2);
}

static void
t_create_join(void)
{
	pthread_t t[8];
	void *rv;

	for (uintptr_t i = 0; i < 8; i++)
		CHECK(pthread_create(&t[i], NULL, ret_arg_times_two, (void *)i) == 0);
	for (uintptr_t i = 0; i < 8; i++) {
		CHECK(pthread_join(t[i], &rv) == 0);
		CHECK((uintptr_t)rv == i * 2);
	}
}

static pid_t ids_tid[4];
static pid_t ids_pid[4];

static void *
record_ids(void *arg)
{
	int i = (int)(uintptr_t)arg;

	ids_tid[i] = gettid_();
	ids_pid[i] = getpid();
	return NULL;
}

/* Every thread has its own id; all share the pid; the main one's is it. */
static void
t_ids(void)
{
	pthread_t t[4];

	CHECK(gettid_() == getpid());
	for (uintptr_t i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, record_ids, (void *)i) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	for (int i = 0; i < 4; i++) {
		CHECK(ids_pid[i] == getpid());
		CHECK(ids_tid[i] != getpid() && ids_tid[i] > 0);
		for (int j = 0; j < i; j++)
			CHECK(ids_tid[i] != ids_tid[j]);
	}
}

/* TLS: each thread's __thread variable is its own (tp set by clone). */
static __thread int tls_value = 5;

static void *
tls_worker(void *arg)
{
	if (tls_value != 5)
		return (void *)1;
	tls_value = (int)(uintptr_t)arg;
	sched_yield();
	return tls_value == (int)(uintptr_t)arg ? NULL : (void *)1;
}

static void
t_tls(void)
{
	pthread_t t[4];
	void *rv;

	tls_value = 100;
	for (uintptr_t i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, tls_worker, (void *)(i + 10)) == 0);
	for (int i = 0; i < 4; i++) {
		CHECK(pthread_join(t[i], &rv) == 0);
		CHECK(rv == NULL);
	}
	CHECK(tls_value == 100);
}

#define COUNT_THREADS	8
#define COUNT_EACH	10000

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *
count_up(void *arg)
{
	for (int i = 0; i < COUNT_EACH; i++) {
		pthread_mutex_lock(&count_lock);
		counter++;
		if (i % 1000 == 0)
			sched_yield();	/* hold the lock across a switch */
		pthread_mutex_unlock(&count_lock);
	}
	return arg;
}

static void
t_mutex_contention(void)
{
	pthread_t t[COUNT_THREADS];

	for (int i = 0; i < COUNT_THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, count_up, NULL) == 0);
	for (int i = 0; i < COUNT_THREADS; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(counter == (long)COUNT_THREADS * COUNT_EACH);
}

/* A bounded queue with two condition variables, 4 producers, 4 consumers. */
#define QUEUE_SIZE	4
#define ITEMS_EACH	2000

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	int items[QUEUE_SIZE];
	int head, count;
	long sum;
	int taken;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 0, 0 };

static void *
producer(void *arg)
{
	for (int i = 1; i <= ITEMS_EACH; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.count == QUEUE_SIZE)
			pthread_cond_wait(&q.not_full, &q.lock);
		q.items[(q.head + q.count++) % QUEUE_SIZE] = i;
		pthread_cond_signal(&q.not_empty);
		pthread_mutex_unlock(&q.lock);
	}
	return arg;
}

static void *
consumer(void *arg)
{
	for (int i = 0; i < ITEMS_EACH; i++) {
		pthread_mutex_lock(&q.lock);
		while (q.count == 0)
			pthread_cond_wait(&q.not_empty, &q.lock);
		q.sum += q.items[q.head];
		q.head = (q.head + 1) % QUEUE_SIZE;
		q.count--;
		q.taken++;
		pthread_cond_signal(&q.not_full);
		pthread_mutex_unlock(&q.lock);
	}
	return arg;
}

static void
t_condvar_queue(void)
{
	pthread_t t[8];

	for (int i = 0; i < 4; i++) {
		CHECK(pthread_create(&t[i], NULL, producer, NULL) == 0);
		CHECK(pthread_create(&t[4 + i], NULL, consumer, NULL) == 0);
	}
	for (int i = 0; i < 8; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(q.taken == 4 * ITEMS_EACH);
	CHECK(q.sum == 4L * ITEMS_EACH * (ITEMS_EACH + 1) / 2);
}

/* Broadcast wakes every waiter (glibc's condvar: FUTEX_WAKE of INT_MAX). */
static pthread_cond_t bc_cond = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t bc_lock = PTHREAD_MUTEX_INITIALIZER;
static int bc_waiting, bc_go, bc_done;

static void *
bc_waiter(void *arg)
{
	pthread_mutex_lock(&bc_lock);
	bc_waiting++;
	while (!bc_go)
		pthread_cond_wait(&bc_cond, &bc_lock);
	bc_done++;
	pthread_mutex_unlock(&bc_lock);
	return arg;
}

static void
t_condvar_broadcast_timedwait(void)
{
	pthread_t t[6];
	struct timespec ts;
	int64_t t0;

	for (int i = 0; i < 6; i++)
		CHECK(pthread_create(&t[i], NULL, bc_waiter, NULL) == 0);
	for (;;) {
		pthread_mutex_lock(&bc_lock);
		if (bc_waiting == 6)
			break;
		pthread_mutex_unlock(&bc_lock);
		sleep_ms(1);
	}
	bc_go = 1;
	pthread_cond_broadcast(&bc_cond);
	pthread_mutex_unlock(&bc_lock);
	for (int i = 0; i < 6; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(bc_done == 6);

	/* A timed wait nobody signals: ETIMEDOUT, not before its time. */
	t0 = now_ns(CLOCK_REALTIME);
	ts = ns_to_ts(t0 + 30 * 1000000);
	pthread_mutex_lock(&bc_lock);
	CHECK(pthread_cond_timedwait(&bc_cond, &bc_lock, &ts) == ETIMEDOUT);
	pthread_mutex_unlock(&bc_lock);
	CHECK(now_ns(CLOCK_REALTIME) - t0 >= 30 * 1000000);
}

/* --- futex ----------------------------------------------------------------- */

static void
t_futex_errors(void)
{
	static uint32_t word = 1;
	struct timespec bad_ts = { 0, -1 }, ts = { 0, 1000 };
	char *unaligned = (char *)&word + 1;

	/* Value mismatch: EAGAIN, before the timeout is looked at. */
	CHECK(futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 && errno == EAGAIN);
	CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -1 &&
	    errno == EAGAIN);
	CHECK(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, NULL,
	    NULL, FUTEX_BITSET_MATCH_ANY) == -1 && errno == EAGAIN);
	/* A bad timeout: EINVAL even when the value differs; EFAULT too. */
	CHECK(futex(&word, FUTEX_WAIT, 0, &bad_ts, NULL, 0) == -1 &&
	    errno == EINVAL);
	CHECK(futex(&word, FUTEX_WAIT, 1, bad_ptr, NULL, 0) == -1 &&
	    errno == EFAULT);
	/* Bad word addresses. */
	CHECK(futex(bad_ptr, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 && errno == EFAULT);
	CHECK(futex(bad_ptr, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -1 &&
	    errno == EFAULT);
	CHECK(futex(bad_ptr, FUTEX_WAKE, 1, NULL, NULL, 0) == -1 && errno == EFAULT);
	CHECK(futex(bad_ptr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0);
	CHECK(futex((void *)-4L, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == -1 &&
	    errno == EFAULT);
	CHECK(futex(unaligned, FUTEX_WAIT, 1, NULL, NULL, 0) == -1 &&
	    errno == EINVAL);
	CHECK(futex(unaligned, FUTEX_WAKE, 1, NULL, NULL, 0) == -1 &&
	    errno == EINVAL);
	/* Zero bitsets, a clock on an operation without one, no such op. */
	CHECK(futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0) == -1 &&
	    errno == EINVAL);
	CHECK(futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0) == -1 &&
	    errno == EINVAL);
	CHECK(futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, &ts, NULL, 0) ==
	    -1 && errno == ENOSYS);
	CHECK(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0) ==
	    -1 && errno == ENOSYS);
	CHECK(futex(&word, 2 /* FUTEX_FD, long gone */, 1, NULL, NULL, 0) == -1 &&
	    errno == ENOSYS);
	CHECK(futex(&word, 14, 1, NULL, NULL, 0) == -1 && errno == ENOSYS);
	/* Nobody waits: nobody woken, whatever the count. */
	CHECK(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0);
	CHECK(futex(&word, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0) == 0);
	/* (CMP_)REQUEUE: negative counts, a mismatch. */
	CHECK(futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)-1L, &word, 1) == -1 &&
	    errno == EINVAL);
	CHECK(futex(&word, FUTEX_REQUEUE, (uint32_t)-1, (void *)1L, &word, 0) ==
	    -1 && errno == EINVAL);
	CHECK(futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1L, &word, 7) == -1 &&
	    errno == EAGAIN);
	CHECK(futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1L, &word, 1) == 0);
	CHECK(futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1L, bad_ptr, 1) == -1 &&
	    errno == EFAULT);
	/* WAKE_OP: no such op (ENOSYS), a bad word (EFAULT first), a bad
	 * comparison (ENOSYS, after the op was done). */
	CHECK(futex(&word, FUTEX_WAKE_OP, 1, NULL, &word, 0x70000000) == -1 &&
	    errno == ENOSYS);
	CHECK(futex(&word, FUTEX_WAKE_OP, 1, NULL, bad_ptr, 0x70000000) == -1 &&
	    errno == EFAULT);
	CHECK(futex(&word, FUTEX_WAKE_OP, 1, NULL, &word,
	    FUTEX_OP(FUTEX_OP_SET, 5, 15, 0)) == -1 && errno == ENOSYS);
	CHECK(word == 5);
}

/* Timeouts: relative for WAIT, absolute on either clock for WAIT_BITSET. */
static void
t_futex_timeouts(void)
{
	static uint32_t word;
	const int64_t delay = 40 * 1000000;
	struct timespec rel = ns_to_ts(delay), abs;
	int64_t t0;

	t0 = now_ns(CLOCK_MONOTONIC);
	CHECK(futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0) == -1 &&
	    errno == ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= delay);

	t0 = now_ns(CLOCK_MONOTONIC);
	abs = ns_to_ts(t0 + delay);
	CHECK(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL,
	    FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT);
	CHECK(now_ns(CLOCK_MONOTONIC) - t0 >= delay);

	t0 = now_ns(CLOCK_REALTIME);
	abs = ns_to_ts(t0 + delay);
	CHECK(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs,
	    NULL, FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT);
	CHECK(now_ns(CLOCK_REALTIME) - t0 >= delay);

	/* A time already past: at once. */
	abs = ns_to_ts(now_ns(CLOCK_MONOTONIC) - delay);
	CHECK(futex(&word, FUTEX_WAIT_BITSET, 0, &abs, NULL,
	    FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT);
	rel = ns_to_ts(0);
	CHECK(futex(&word, FUTEX_WAIT, 0, &rel, NULL, 0) == -1 &&
	    errno == ETIMEDOUT);
}

static volatile sig_atomic_t handler_tid;

static void
record_handler_tid(int sig)
{
	(void)sig;
	handler_tid = gettid_();
}

static uint32_t eintr_word;
static volatile pid_t eintr_waiter_tid;
static volatile long eintr_result, eintr_errno;

static void *
eintr_waiter(void *arg)
{
	const struct timespec *timeout = arg;

	eintr_waiter_tid = gettid_();
	eintr_result = futex(&eintr_word, FUTEX_WAIT_PRIVATE, 0, timeout, NULL, 0);
	eintr_errno = errno;
	return NULL;
}

/*
 * Wait in a thread, interrupted by a signal to that thread: the handler
 * runs there and the wait says EINTR.
 */
static void
eintr_round(const struct timespec *timeout, int sa_flags)
{
	struct sigaction sa = { .sa_handler = record_handler_tid,
	    .sa_flags = sa_flags };
	pthread_t t;

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	handler_tid = 0;
	eintr_waiter_tid = 0;
	CHECK(pthread_create(&t, NULL, eintr_waiter, (void *)timeout) == 0);
	await_sleepers(&eintr_word, true, 1);
	CHECK(syscall(SYS_tgkill, getpid(), eintr_waiter_tid, SIGUSR1) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(eintr_result == -1 && eintr_errno == EINTR);
	CHECK(handler_tid == eintr_waiter_tid);
}

static void
t_futex_eintr(void)
{
	struct timespec long_time = { 100, 0 };

	eintr_round(NULL, 0);
	/* With a timeout it is EINTR even under SA_RESTART, as on Linux. */
	eintr_round(&long_time, SA_RESTART);
}

static uint32_t req_a, req_b;
static atomic_int req_woken;

static void *
req_waiter(void *arg)
{
	while (futex(arg, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0) == -1 &&
	    errno == EINTR)
		;
	atomic_fetch_add(&req_woken, 1);
	return NULL;
}

/* Start n waiters on word, returning once they sleep there. */
static void
start_waiters(pthread_t *t, int n, uint32_t *word)
{
	atomic_store(&req_woken, 0);
	for (int i = 0; i < n; i++)
		CHECK(pthread_create(&t[i], NULL, req_waiter, word) == 0);
	await_sleepers(word, true, n);
}

/* Wake counts: WAKE, WAKE_BITSET, CMP_REQUEUE, REQUEUE, WAKE_OP. */
static void
t_futex_wake_requeue(void)
{
	pthread_t t[4];

	start_waiters(t, 3, &req_a);
	CHECK(futex(&req_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 1);
	CHECK(futex(&req_a, FUTEX_WAKE_BITSET_PRIVATE, 5, NULL, NULL,
	    FUTEX_BITSET_MATCH_ANY) == 2);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(atomic_load(&req_woken) == 3);

	/* Wake 1, move 2 to b; then b has them. */
	start_waiters(t, 3, &req_a);
	CHECK(futex(&req_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2L, &req_b, 0) == 3);
	CHECK(futex(&req_a, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0) == 0);
	CHECK(futex(&req_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0) == 2);
	for (int i = 0; i < 3; i++)
		CHECK(pthread_join(t[i], NULL) == 0);

	/* REQUEUE waking none (unlike WAKE, a count of 0 is none), moving all. */
	start_waiters(t, 2, &req_a);
	CHECK(futex(&req_a, FUTEX_REQUEUE_PRIVATE, 0, (void *)10L, &req_b, 0) == 2);
	CHECK(futex(&req_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0) == 2);
	for (int i = 0; i < 2; i++)
		CHECK(pthread_join(t[i], NULL) == 0);

	/* WAKE_OP: b += 1, wake 1 on a, and 1 on b if b's old value was 0. */
	req_b = 0;
	start_waiters(t, 2, &req_a);
	start_waiters(t + 2, 2, &req_b);
	atomic_store(&req_woken, 0);
	CHECK(futex(&req_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &req_b,
	    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)) == 2);
	CHECK(req_b == 1);
	/* Comparison false now (old 1): only a's waiter. */
	CHECK(futex(&req_a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &req_b,
	    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)) == 1);
	CHECK(req_b == 2);
	CHECK(futex(&req_b, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 1);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	CHECK(atomic_load(&req_woken) == 4);
}

/* A shared futex in MAP_SHARED memory, between two processes. */
static void
t_futex_shared_between_processes(void)
{
	uint32_t *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(w != MAP_FAILED);
	w[0] = 0;
	pid = fork();
	if (pid == 0) {
		while (__atomic_load_n(&w[0], __ATOMIC_SEQ_CST) == 0)
			futex(&w[0], FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(w[0] == 7 ? 0 : 1);
	}
	CHECK(pid > 0);
	await_sleepers(&w[0], false, 1);
	__atomic_store_n(&w[0], 7, __ATOMIC_SEQ_CST);
	CHECK(futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0) == 1);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
}

/* --- robust mutexes -------------------------------------------------------- */

static pthread_mutex_t robust_lock;

static void *
lock_and_die(void *arg)
{
	CHECK(pthread_mutex_lock(&robust_lock) == 0);
	return arg;		/* ends holding it */
}

static void
t_robust_owner_death(void)
{
	pthread_mutexattr_t a;
	pthread_t t;

	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0);
	CHECK(pthread_mutex_init(&robust_lock, &a) == 0);
	CHECK(pthread_create(&t, NULL, lock_and_die, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(pthread_mutex_lock(&robust_lock) == EOWNERDEAD);
	CHECK(pthread_mutex_consistent(&robust_lock) == 0);
	CHECK(pthread_mutex_unlock(&robust_lock) == 0);
	CHECK(pthread_mutex_lock(&robust_lock) == 0);
	CHECK(pthread_mutex_unlock(&robust_lock) == 0);
}

/* Lock the robust mutex arg; if its owner died, make it consistent.
 * Returns what the lock said. */
static void *
wait_for_robust(void *arg)
{
	int rv = pthread_mutex_lock(arg);

	if (rv == EOWNERDEAD && (pthread_mutex_consistent(arg) != 0 ||
	    pthread_mutex_unlock(arg) != 0))
		rv = -1;
	return (void *)(intptr_t)rv;
}

/*
 * A process-shared robust mutex whose owner process dies while another
 * process's thread waits for it: the waiter is woken with EOWNERDEAD.
 */
static void
t_robust_shared_process_death(void)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *holding = (volatile int *)(m + 1);
	pthread_mutexattr_t a;
	pthread_t t;
	void *rv;
	int status;
	pid_t pid;

	CHECK(m != MAP_FAILED);
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0);
	CHECK(pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) == 0);
	CHECK(pthread_mutex_init(m, &a) == 0);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(m);
		*holding = 1;
		sleep_ms(100);
		_exit(0);	/* exit_group, still holding it */
	}
	CHECK(pid > 0);
	while (!*holding)
		sleep_ms(1);
	CHECK(pthread_create(&t, NULL, wait_for_robust, m) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(pthread_join(t, &rv) == 0);
	CHECK((intptr_t)rv == EOWNERDEAD);
	CHECK(pthread_mutex_lock(m) == 0);
	CHECK(pthread_mutex_unlock(m) == 0);
}

/* --- exit, exit_group and signals ------------------------------------------ */

static void *
exit_thread_later(void *arg)
{
	sleep_ms(50);
	syscall(SYS_exit, (int)(intptr_t)arg);
	return NULL;
}

static void *
exit_group_later(void *arg)
{
	sleep_ms(50);
	_exit((int)(intptr_t)arg);	/* exit_group */
}

static void *
block_forever(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* The main thread exits alone; the last thread's exit ends the process. */
static void
main_exits_first(void)
{
	pthread_t t;

	CHECK(pthread_create(&t, NULL, exit_thread_later, (void *)9) == 0);
	syscall(SYS_exit, 3);
}

/* exit_group from a thread ends all, with its status. */
static void
thread_exit_groups(void)
{
	pthread_t t[3];

	CHECK(pthread_create(&t[0], NULL, block_forever, NULL) == 0);
	CHECK(pthread_create(&t[1], NULL, block_forever, NULL) == 0);
	CHECK(pthread_create(&t[2], NULL, exit_group_later, (void *)5) == 0);
	pthread_join(t[0], NULL);	/* never returns */
	_exit(1);
}

static void *
kill_process_later(void *arg)
{
	sleep_ms(30);
	kill(getpid(), SIGTERM);
	return arg;
}

/* A fatal signal ends every thread. */
static void
fatal_signal_ends_all(void)
{
	pthread_t t[3];

	CHECK(pthread_create(&t[0], NULL, block_forever, NULL) == 0);
	CHECK(pthread_create(&t[1], NULL, block_forever, NULL) == 0);
	CHECK(pthread_create(&t[2], NULL, kill_process_later, NULL) == 0);
	pthread_join(t[0], NULL);
	_exit(1);
}

/* pthread_exit in main: the process lives on until the others end. */
static void
main_pthread_exits(void)
{
	pthread_t t;

	CHECK(pthread_create(&t, NULL, exit_group_later, (void *)4) == 0);
	pthread_exit(NULL);
}

static void
t_exit_vs_exit_group(void)
{
	int status;

	status = testrun_in_child(main_exits_first);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);
	status = testrun_in_child(thread_exit_groups);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	status = testrun_in_child(fatal_signal_ends_all);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	status = testrun_in_child(main_pthread_exits);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 4);
}

#define SIG_THREADS	4

static volatile pid_t sig_tids[SIG_THREADS];
static volatile sig_atomic_t sig_hits[SIG_THREADS];
static volatile int sig_stop;

static void
count_hit(int sig)
{
	pid_t me = gettid_();

	(void)sig;
	for (int i = 0; i < SIG_THREADS; i++)
		if (sig_tids[i] == me)
			sig_hits[i]++;
}

/* Waits, with SIGUSR2 blocked unless it is thread number arg == 2. */
static void *
sig_worker(void *arg)
{
	int i = (int)(intptr_t)arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(i == 2 ? SIG_UNBLOCK : SIG_BLOCK, &set, NULL);
	sig_tids[i] = gettid_();
	while (!sig_stop)
		sleep_ms(2);
	return NULL;
}

static void
start_sig_workers(pthread_t *t)
{
	struct sigaction sa = { .sa_handler = count_hit };

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	for (int i = 0; i < SIG_THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, sig_worker, (void *)(intptr_t)i) == 0);
	for (int i = 0; i < SIG_THREADS; i++)
		while (sig_tids[i] == 0)
			sleep_ms(1);
}

static void
stop_sig_workers(pthread_t *t)
{
	sig_stop = 1;
	for (int i = 0; i < SIG_THREADS; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
}

/* tgkill: only the thread named runs the handler. */
static void
t_tgkill_one_thread(void)
{
	pthread_t t[SIG_THREADS];

	start_sig_workers(t);
	CHECK(syscall(SYS_tgkill, getpid(), sig_tids[1], SIGUSR1) == 0);
	CHECK(syscall(SYS_tkill, sig_tids[3], SIGUSR1) == 0);
	await_count(&sig_hits[1], 1);
	await_count(&sig_hits[3], 1);
	sleep_ms(20);		/* time for a wrong delivery to show */
	CHECK(sig_hits[0] == 0 && sig_hits[1] == 1 && sig_hits[2] == 0 &&
	    sig_hits[3] == 1);
	/* The wrong process, a thread that is not there. */
	CHECK(syscall(SYS_tgkill, getppid(), sig_tids[1], SIGUSR1) == -1 &&
	    errno == ESRCH);
	CHECK(syscall(SYS_tgkill, getpid(), 0x3ffffff0, SIGUSR1) == -1 &&
	    errno == ESRCH);
	CHECK(syscall(SYS_tgkill, getpid(), sig_tids[1], 99) == -1 &&
	    errno == EINVAL);
	stop_sig_workers(t);
}

/* kill(getpid()): the one thread that does not block it takes it. */
static void
t_process_signal_to_unblocked_thread(void)
{
	pthread_t t[SIG_THREADS];
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0);	/* main too */
	start_sig_workers(t);
	for (int n = 1; n <= 3; n++) {
		CHECK(kill(getpid(), SIGUSR2) == 0);
		await_count(&sig_hits[2], n);
		CHECK(sig_hits[2] == n);
	}
	CHECK(sig_hits[0] == 0 && sig_hits[1] == 0 && sig_hits[3] == 0);
	stop_sig_workers(t);
}

static volatile int mask_seen_blocked;

static void *
check_own_mask(void *arg)
{
	sigset_t cur;

	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	mask_seen_blocked = sigismember(&cur, SIGUSR1);
	return arg;
}

/* Each thread has its own mask; a new thread starts with its creator's. */
static void
t_sigmask_per_thread(void)
{
	sigset_t set, cur;
	pthread_t t;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(pthread_create(&t, NULL, check_own_mask, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(mask_seen_blocked == 1);
	CHECK(pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0);
	CHECK(pthread_create(&t, NULL, check_own_mask, NULL) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(mask_seen_blocked == 0);
	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	CHECK(!sigismember(&cur, SIGUSR1));
}

static volatile pid_t susp_tid;
static volatile int susp_result;

/* sigsuspend with SIGUSR1 let in, while the rest of the process blocks it. */
static void *
suspend_for_usr1(void *arg)
{
	sigset_t none;

	sigemptyset(&none);
	susp_tid = gettid_();
	susp_result = sigsuspend(&none) == -1 && errno == EINTR;
	return arg;
}

/* sigsuspend is per thread: its temporary mask lets the signal in there
 * alone, and the thread's own mask comes back after it. */
static void
t_sigsuspend_per_thread(void)
{
	struct sigaction sa = { .sa_handler = record_handler_tid };
	sigset_t set, cur;
	pthread_t t;

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(pthread_create(&t, NULL, suspend_for_usr1, NULL) == 0);
	while (susp_tid == 0)
		sleep_ms(1);
	sleep_ms(30);
	CHECK(kill(getpid(), SIGUSR1) == 0);	/* only the suspended one takes it */
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(susp_result == 1 && handler_tid == susp_tid);
	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	CHECK(sigismember(&cur, SIGUSR1));
}

static int shared_fd = -1;

static void *
open_and_chdir(void *arg)
{
	int fds[2];

	(void)arg;
	if (pipe(fds) != 0 || chdir("/") != 0)
		return (void *)1;
	shared_fd = fds[1];
	return (void *)(intptr_t)fds[0];
}

/* The threads share the descriptor table and the current directory. */
static void
t_shared_files_and_cwd(void)
{
	char buf[8], cwd[64];
	pthread_t t;
	void *rv;
	int rfd;

	CHECK(pthread_create(&t, NULL, open_and_chdir, NULL) == 0);
	CHECK(pthread_join(t, &rv) == 0);
	rfd = (int)(intptr_t)rv;
	CHECK(rfd > 2 && shared_fd > 2);
	CHECK(write(shared_fd, "hi", 2) == 2);
	CHECK(read(rfd, buf, sizeof(buf)) == 2 && memcmp(buf, "hi", 2) == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0);
}

/* --- exec, fork, clone flags, affinity ------------------------------------- */

static void *
exec_probe(void *arg)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("THREADTEST_EXEC_PROBE", pid, 1);
	execl("/proc/self/exe", "threadtest", (char *)NULL);
	execl((const char *)arg, "threadtest", (char *)NULL);
	_exit(20);
}

static const char *self_path;

static void
exec_from_thread(void)
{
	pthread_t t[2];

	CHECK(pthread_create(&t[0], NULL, block_forever, NULL) == 0);
	CHECK(pthread_create(&t[1], NULL, exec_probe, (void *)self_path) == 0);
	pthread_join(t[0], NULL);
	_exit(21);
}

/* The probe (the exec'd program): same pid, and it is the main thread. */
static int
exec_probe_main(const char *pid)
{
	pthread_t t;

	if (getpid() != atoi(pid))
		return 2;
	if (gettid_() != getpid())
		return 3;
	if (pthread_create(&t, NULL, ret_arg_times_two, NULL) != 0 ||
	    pthread_join(t, NULL) != 0)
		return 4;
	return 0;
}

static void
t_exec_from_thread(void)
{
	int status = testrun_in_child(exec_from_thread);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static volatile long spin_count;
static volatile int spin_stop;

static void *
spinner(void *arg)
{
	while (!spin_stop)
		spin_count++;
	return arg;
}

static void *
fork_in_thread(void *arg)
{
	(void)arg;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		long before = spin_count;
		pthread_t t;
		void *rv;

		/* Only the forking thread came along: nobody spins here. */
		sleep_ms(30);
		if (spin_count != before || gettid_() != getpid())
			_exit(2);
		if (pthread_create(&t, NULL, ret_arg_times_two, (void *)4) != 0 ||
		    pthread_join(t, &rv) != 0 || (uintptr_t)rv != 8)
			_exit(3);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return (void *)1;
	return (void *)(intptr_t)status;
}

static void
t_fork_from_thread(void)
{
	pthread_t spin, forker;
	void *rv;

	CHECK(pthread_create(&spin, NULL, spinner, NULL) == 0);
	CHECK(pthread_create(&forker, NULL, fork_in_thread, NULL) == 0);
	CHECK(pthread_join(forker, &rv) == 0);
	spin_stop = 1;
	CHECK(pthread_join(spin, NULL) == 0);
	CHECK(rv == NULL);
}

/* Linux's EINVAL combinations of clone flags. */
static void
t_clone_flags(void)
{
	CHECK(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0, 0) == -1 &&
	    errno == EINVAL);
}

static void
t_affinity(void)
{
	cpu_set_t set, got, all;
	unsigned long raw[2];

	CPU_ZERO(&all);
	CHECK(sched_getaffinity(0, sizeof(all), &all) == 0);
	CHECK(CPU_ISSET(0, &all));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
	CHECK(sched_getaffinity(gettid_(), sizeof(got), &got) == 0);
	CHECK(CPU_EQUAL(&set, &got));
	CPU_ZERO(&set);
	CHECK(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL);
	CPU_SET(1000, &set);	/* no such CPU */
	CHECK(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL);
	CHECK(sched_setaffinity(0x3ffffff0, sizeof(set), &set) == -1 &&
	    errno == ESRCH);
	CHECK(sched_setaffinity(0, sizeof(set), bad_ptr) == -1 && errno == EFAULT);
	/* The raw call: the bytes written; lengths it refuses. */
	CHECK(syscall(SYS_sched_getaffinity, 0, 8, raw) == 8);
	CHECK(raw[0] == 1);
	CHECK(syscall(SYS_sched_getaffinity, 0, 4, raw) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_sched_getaffinity, 0, 12, raw) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_sched_getaffinity, 0x3ffffff0, 8, raw) == -1 &&
	    errno == ESRCH);
	/* The scheduler honours it: pinned to each hart in turn, we run there. */
	for (int k = 0; k < CPU_SETSIZE; k++) {
		if (!CPU_ISSET(k, &all))
			continue;
		CPU_ZERO(&set);
		CPU_SET(k, &set);
		CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
		for (int i = 0; i < 20; i++) {
			CHECK(sched_getcpu() == k);
			sched_yield();
		}
	}
	CHECK(sched_setaffinity(0, sizeof(all), &all) == 0);
}

static void
t_robust_list_calls(void)
{
	void *head;
	size_t len;

	CHECK(syscall(SYS_set_robust_list, NULL, 23) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_get_robust_list, 0, &head, &len) == 0);
	CHECK(len == 24 && head != NULL);	/* glibc's own */
	CHECK(syscall(SYS_get_robust_list, 0x3ffffff0, &head, &len) == -1 &&
	    errno == ESRCH);
	CHECK(syscall(SYS_get_robust_list, 0, bad_ptr, &len) == -1 &&
	    errno == EFAULT);
}

/* --- many threads, no leaks ------------------------------------------------ */

#define CHURN_BATCH	8

static void *
churn_worker(void *arg)
{
	return arg;
}

static void
churn(int total)
{
	pthread_t t[CHURN_BATCH];

	for (int done = 0; done < total; done += CHURN_BATCH) {
		for (int i = 0; i < CHURN_BATCH; i++)
			if (pthread_create(&t[i], NULL, churn_worker,
			    (void *)(intptr_t)i) != 0)
				_exit(2);
		for (int i = 0; i < CHURN_BATCH; i++) {
			void *rv;

			if (pthread_join(t[i], &rv) != 0 || rv != (void *)(intptr_t)i)
				_exit(3);
		}
	}
}

static void
churn_1000(void)
{
	churn(1000);
}

static void
churn_warmup(void)
{
	churn(4 * CHURN_BATCH);
}

struct baseline {
	uint64_t free_pages, threads, objects;
};

static void
baseline_take(struct baseline *b)
{
	int32_t one = 1;

	CHECK(vmk_sysctl("vfs.drain_caches", NULL, NULL, &one, sizeof(one)) == 0);
	b->free_pages = vmk_sysctl_u64("vm.stats.vm.v_free_count");
	b->threads = vmk_sysctl_u64("kern.nthreads") % (1ULL << 32);
	b->objects = vmk_sysctl_u64("vm.stats.object.live_anon") +
	    vmk_sysctl_u64("vm.stats.object.live_vnode");
}

/* 1000 threads made and joined (8 at a time) in a process that then
 * exits: free pages, threads and VM objects come back to where they were. */
static void
t_many_threads_no_leak(void)
{
	struct baseline before, after;
	int status;

	status = testrun_in_child(churn_warmup);
	CHECK(status == 0);
	baseline_take(&before);
	status = testrun_in_child(churn_1000);
	CHECK(status == 0);
	/* A thread joined by now may still be on its way off a hart (a
	 * busy host can hold that hart back): give the count a second to
	 * settle; a leak never does. */
	for (int tries = 0; tries < 100; tries++) {
		baseline_take(&after);
		if (after.threads == before.threads)
			break;
		usleep(10000);
	}
	CHECK(after.threads == before.threads);
	CHECK(after.objects == before.objects);
	CHECK(after.free_pages >= before.free_pages);
}

/* The tests up to robust_owner_death mean the same on Linux: check.py's
 * THREAD_DIFF_TESTS names them for its run under qemu-riscv64. */
/* --- the alternate signal stack and queued signals, per thread ----------- */

static void *
altstack_state(void *arg)
{
	stack_t ss;

	(void)arg;
	if (sigaltstack(NULL, &ss) != 0)
		return (void *)-1;
	return (void *)(intptr_t)ss.ss_flags;
}

/* A new thread starts without the creating thread's alternate stack. */
static void
t_sigaltstack_new_thread(void)
{
	static char stack[16384];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) }, got;
	pthread_t t;
	void *flags;

	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(pthread_create(&t, NULL, altstack_state, NULL) == 0);
	CHECK(pthread_join(t, &flags) == 0 && (intptr_t)flags == SS_DISABLE);
	CHECK(sigaltstack(NULL, &got) == 0 && got.ss_sp == stack &&
	    got.ss_flags == 0);
}

static atomic_int queued_tid;
static atomic_int queued_values[4];

/* Take three queued instances of SIGRTMIN + 5, in the order sent. */
static void *
take_queued(void *arg)
{
	sigset_t set;
	siginfo_t si;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 5);
	atomic_store(&queued_tid, gettid());
	for (int i = 0; i < 3; i++) {
		if (sigwaitinfo(&set, &si) != SIGRTMIN + 5)
			return (void *)1;
		atomic_store(&queued_values[i], si.si_value.sival_int);
	}
	return NULL;
}

/*
 * rt_tgsigqueueinfo to one thread, which is waiting in sigwaitinfo with
 * the signal blocked (as every thread here): each instance arrives with
 * its value.  Then one sent to the process goes to that waiter too.
 */
static void
t_sigqueue_to_thread(void)
{
	sigset_t set;
	pthread_t t;
	void *rv;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 5);
	CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(pthread_create(&t, NULL, take_queued, NULL) == 0);
	while (atomic_load(&queued_tid) == 0)
		sleep_ms(1);
	for (int v = 1; v <= 2; v++) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_value.sival_int = v;
		CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(),
		    atomic_load(&queued_tid), SIGRTMIN + 5, &si) == 0);
	}
	sleep_ms(20);		/* the waiter takes both */
	CHECK(sigqueue(getpid(), SIGRTMIN + 5, (union sigval){ 3 }) == 0);
	CHECK(pthread_join(t, &rv) == 0 && rv == NULL);
	CHECK(atomic_load(&queued_values[0]) == 1 &&
	    atomic_load(&queued_values[1]) == 2 &&
	    atomic_load(&queued_values[2]) == 3);
}

static const struct testcase tests[] = {
	{ "create_join", t_create_join },
	{ "ids", t_ids },
	{ "tls", t_tls },
	{ "mutex_contention", t_mutex_contention },
	{ "condvar_queue", t_condvar_queue },
	{ "condvar_broadcast_timedwait", t_condvar_broadcast_timedwait },
	{ "futex_errors", t_futex_errors },
	{ "futex_timeouts", t_futex_timeouts },
	{ "futex_eintr", t_futex_eintr },
	{ "futex_wake_requeue", t_futex_wake_requeue },
	{ "futex_shared_between_processes", t_futex_shared_between_processes },
	{ "exit_vs_exit_group", t_exit_vs_exit_group },
	{ "tgkill_one_thread", t_tgkill_one_thread },
	{ "process_signal_to_unblocked_thread", t_process_signal_to_unblocked_thread },
	{ "sigmask_per_thread", t_sigmask_per_thread },
	{ "sigsuspend_per_thread", t_sigsuspend_per_thread },
	{ "shared_files_and_cwd", t_shared_files_and_cwd },
	{ "fork_from_thread", t_fork_from_thread },
	{ "clone_flags", t_clone_flags },
	{ "affinity", t_affinity },
	{ "robust_owner_death", t_robust_owner_death },
	/* vmk only (see the top) */
	{ "exec_from_thread", t_exec_from_thread },
	{ "robust_shared_process_death", t_robust_shared_process_death },
	{ "robust_list_calls", t_robust_list_calls },
	{ "many_threads_no_leak", t_many_threads_no_leak },
	{ "sigaltstack_new_thread", t_sigaltstack_new_thread },
	{ "sigqueue_to_thread", t_sigqueue_to_thread },
};

int
main(int argc, char **argv)
{
	const char *probe = getenv("THREADTEST_EXEC_PROBE");

	if (probe != NULL)
		return exec_probe_main(probe);
	self_path = argv[0][0] == '/' ? argv[0] : "/test/threadtest";
	return testrun_main("threadtest", tests, sizeof(tests) / sizeof(tests[0]),
	    argc, argv);
}
