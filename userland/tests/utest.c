/*
 * utest: the in-guest test suite for processes and the Linux system call
 * ABI, in the style of xv6's usertests.  Each test runs in its own child
 * process; it prints exactly one line
 *
 *     TEST <name>: PASS        or        TEST <name>: FAIL <file>:<line>: <check>
 *
 * and the run ends with "utest: N passed, N failed" (the runner is
 * testrun.h's).  Exit status 0 if everything passed.  "utest NAME..."
 * runs only the named tests.
 * Tests work under /tmp/utest, which they create and remove.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <linux/close_range.h>
#include <linux/futex.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/swap.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/time.h>
#include <ucontext.h>
#include <grp.h>

#include "testrun.h"
#include "vmksys.h"

#define DIR_	"/tmp/utest"
#define EXT2_	"/utest."	/* files of ext2-only tests, on the root
				   file system (/tmp is tmpfs) */

/* An address nothing is mapped at, hidden from the compiler's checks. */
static void *volatile bad_ptr = (void *)8;

static void
write_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data));
	CHECK(close(fd) == 0);
}

/* Fork a child that waits for go[1] to close and then exits. */
static pid_t
fork_waiting_child(int go[2])
{
	char c;
	pid_t pid;

	CHECK(pipe(go) == 0);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		read(go[0], &c, 1);
		_exit(0);
	}
	CHECK(pid > 0);
	close(go[0]);
	return pid;
}

static void
reap_waiting_child(pid_t pid, int go[2])
{
	int status;

	close(go[1]);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
}

static void
t_fork_wait_exit(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(42);
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	CHECK(waitpid(pid, &status, 0) == -1 && errno == ECHILD);
	CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD);
	CHECK(wait4(-1, &status, 0x12345678, NULL) == -1 && errno == EINVAL);
}

static void
t_fork_memory_is_private(void)
{
	static int value = 1;
	int *heap = malloc(64 * 4096), status;
	pid_t pid;

	CHECK(heap != NULL);
	for (int i = 0; i < 64 * 1024; i++)
		heap[i] = i;
	pid = fork();
	if (pid == 0) {
		value = 2;
		for (int i = 0; i < 64 * 1024; i += 1024)
			heap[i] = -1;
		_exit(value == 2 && heap[1024] == -1 ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
	CHECK(value == 1);
	for (int i = 0; i < 64 * 1024; i++)
		CHECK(heap[i] == i);
}

static void
t_vfork_shares_until_exec(void)
{
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		execl("/bin/echo", "echo", "-n", "", NULL);
		_exit(99);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
	CHECK(system("exit 7") != -1);
}

static void
t_exec_errors(void)
{
	char *argv[] = { "x", NULL };

	write_file(DIR_ "/notelf", "this is not an ELF file\n");
	CHECK(chmod(DIR_ "/notelf", 0755) == 0 || errno == ENOSYS);
	CHECK(execv(DIR_ "/notelf", argv) == -1 && errno == ENOEXEC);
	CHECK(execv(DIR_ "/none", argv) == -1 && errno == ENOENT);
	CHECK(execv(DIR_, argv) == -1 && errno == EACCES);
	CHECK(execv((char *)bad_ptr, argv) == -1 && errno == EFAULT);
	CHECK(execv("/bin/echo", (char **)bad_ptr) == -1 && errno == EFAULT);
	/* Still alive and intact after the failures. */
	CHECK(getpid() > 0);
	unlink(DIR_ "/notelf");
}

/* Copy the file src to dst, created with mode. */
static void
copy_file(const char *src, const char *dst, mode_t mode)
{
	char buf[4096];
	int in = open(src, O_RDONLY), out;
	ssize_t n;

	CHECK(in >= 0);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK(write(out, buf, (size_t)n) == n);
	CHECK(n == 0);
	CHECK(close(in) == 0 && close(out) == 0);
}

/* Run path in a child; returns its wait status (exit 99: exec failed). */
static int
run_program(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(path, path, NULL);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	return status;
}

/*
 * Run argv (argv[0] is the program's path too) in a child, as uid 1000
 * (gid 100) if as_user, its output into buf (size bytes, NUL-terminated);
 * returns its wait status (exit 99: the ids or the exec failed).
 */
static int
run_capture(char *const argv[], bool as_user, char *buf, size_t size)
{
	int out[2], status;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	CHECK(pipe(out) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		if (!as_user || (setgroups(0, NULL) == 0 &&
		    setresgid(100, 100, 100) == 0 &&
		    setresuid(1000, 1000, 1000) == 0))
			execv(argv[0], argv);
		_exit(99);
	}
	CHECK(pid > 0);
	close(out[1]);
	while (n + 1 < size && (r = read(out[0], buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(out[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

/*
 * Run /test/utest in a child with env ("NAME=value", one of main's
 * probes) as its whole environment; returns its wait status (exit 99:
 * exec failed).
 */
static int
run_probe(const char *env)
{
	char *argv[] = { "utest", NULL }, *envp[] = { (char *)env, NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve("/test/utest", argv, envp);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	return status;
}

/*
 * Only a file with an execute bit runs, even for root (everyone here):
 * an ELF program, a script and a text file without one are EACCES, as is
 * access(X_OK); any one x bit is enough.
 */
static void
t_exec_needs_x_bit(void)
{
	char *argv[] = { "x", NULL };

	copy_file("/test/pie", DIR_ "/pie", 0644);
	CHECK(execv(DIR_ "/pie", argv) == -1 && errno == EACCES);
	CHECK(access(DIR_ "/pie", X_OK) == -1 && errno == EACCES);
	CHECK(access(DIR_ "/pie", R_OK | W_OK) == 0);
	CHECK(chmod(DIR_ "/pie", 0001) == 0);
	CHECK(access(DIR_ "/pie", X_OK) == 0);
	CHECK(run_program(DIR_ "/pie") == 7 << 8);
	write_file(DIR_ "/text", "echo hello\n");
	CHECK(execv(DIR_ "/text", argv) == -1 && errno == EACCES);
	write_file(DIR_ "/script", "#!/bin/sh\nexit 5\n");
	CHECK(execv(DIR_ "/script", argv) == -1 && errno == EACCES);
	CHECK(chmod(DIR_ "/script", 0010) == 0);
	CHECK(run_program(DIR_ "/script") == 5 << 8);
	CHECK(access(DIR_, X_OK) == 0);		/* directories: search */
	CHECK(unlink(DIR_ "/pie") == 0 && unlink(DIR_ "/text") == 0 &&
	    unlink(DIR_ "/script") == 0);
}

/*
 * An empty argv (or none) reaches the program as argc 1, argv[0] "", as
 * on Linux since 5.18: utest itself, run that way, checks (see main).
 */
static void
t_exec_empty_argv(void)
{
	char *argv[] = { NULL }, *envp[] = { "UTEST_ARGV_PROBE=1", NULL };
	int status;

	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			syscall(SYS_execve, "/test/utest", i == 0 ? argv : NULL,
			    envp);
			_exit(99);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

static void
t_exec_static_pie(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/test/pie", "pie", NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

/*
 * FP registers belong to each process: two compute across switches, on
 * one hart, so that each switch (inside sched_yield: the registers are
 * saved when the thread is switched out) hands the hart to the other.
 */
static void
t_fp_state_across_switches(void)
{
	volatile double seed = 1.000001;
	double expect_parent = 0, expect_child = 0, acc = 0;
	cpu_set_t one, all;
	int status;
	pid_t pid;

	CHECK(sched_getaffinity(0, sizeof(all), &all) == 0);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	CHECK(sched_setaffinity(0, sizeof(one), &one) == 0);
	for (int i = 0; i < 200000; i++) {
		expect_parent += 2.5 * seed;
		expect_child += 1.25 * seed;
	}
	pid = fork();
	for (int i = 0; i < 200000; i++) {
		acc += (pid == 0 ? 1.25 : 2.5) * seed;
		if (i % 20000 == 0)
			sched_yield();
	}
	if (pid == 0)
		_exit(acc == expect_child ? 0 : 1);
	CHECK(acc == expect_parent);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
	CHECK(sched_setaffinity(0, sizeof(all), &all) == 0);
}

/*
 * FP work that stays in registers, with no system call: acc += k * seed,
 * n times.  The kernel saves FP registers lazily (only when the thread is
 * switched out, or its state is read), so a preemption by the clock or a
 * signal, not a system call, is what tests that.
 */
static double
fp_grind(double k, long n)
{
	volatile double seed = 1.000001;
	double s = seed, acc = 0;

	for (long i = 0; i < n; i++)
		acc += k * s;
	return acc;
}

/* fcsr's rounding mode (frm), read and set without libm. */
static unsigned
fp_round_mode(void)
{
	unsigned long frm;

	__asm__ volatile("frrm %0" : "=r"(frm));
	return (unsigned)frm;
}

static void
fp_set_round_mode(unsigned frm)
{
	__asm__ volatile("fsrm %0" :: "r"((unsigned long)frm));
}

/*
 * More FP-busy processes than harts, each long enough for several clock
 * ticks, so that the scheduler preempts them (an interrupt, no system
 * call): each must end with its own sum and rounding mode.
 */
static void
t_fp_state_preempted(void)
{
	enum { N = 8 };
	const long iters = 3000000;
	pid_t pid[N];
	int status;

	for (int i = 0; i < N; i++) {
		pid[i] = fork();
		CHECK(pid[i] >= 0);
		if (pid[i] == 0) {
			double want, got;

			fp_set_round_mode((unsigned)i % 5);
			want = fp_grind(i + 1, iters);
			got = fp_grind(i + 1, iters);
			_exit(fp_round_mode() != (unsigned)i % 5 ? 2 :
			    got != want ? 3 : 0);
		}
	}
	for (int i = 0; i < N; i++) {
		CHECK(waitpid(pid[i], &status, 0) == pid[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

static volatile long fp_handler_runs;

/* A handler that wrecks every FP register and the rounding mode, as if
 * it computed with them all (callee-saved ones too). */
static void
fp_wreck(int sig)
{
	(void)sig;
	__asm__ volatile(
	    "li t0, -1\n"
	    "fmv.d.x f0, t0\n fmv.d.x f1, t0\n fmv.d.x f2, t0\n fmv.d.x f3, t0\n"
	    "fmv.d.x f4, t0\n fmv.d.x f5, t0\n fmv.d.x f6, t0\n fmv.d.x f7, t0\n"
	    "fmv.d.x f8, t0\n fmv.d.x f9, t0\n fmv.d.x f10, t0\n fmv.d.x f11, t0\n"
	    "fmv.d.x f12, t0\n fmv.d.x f13, t0\n fmv.d.x f14, t0\n fmv.d.x f15, t0\n"
	    "fmv.d.x f16, t0\n fmv.d.x f17, t0\n fmv.d.x f18, t0\n fmv.d.x f19, t0\n"
	    "fmv.d.x f20, t0\n fmv.d.x f21, t0\n fmv.d.x f22, t0\n fmv.d.x f23, t0\n"
	    "fmv.d.x f24, t0\n fmv.d.x f25, t0\n fmv.d.x f26, t0\n fmv.d.x f27, t0\n"
	    "fmv.d.x f28, t0\n fmv.d.x f29, t0\n fmv.d.x f30, t0\n fmv.d.x f31, t0\n"
	    "fsrmi 3\n" ::: "t0");
	fp_handler_runs++;
}

/*
 * Signals that interrupt FP work in user mode (a timer's, arriving by
 * interrupt) are delivered with the FP registers in the frame, and
 * sigreturn puts them back: the handler's wreckage never shows.
 */
static void
t_fp_state_signal_handler(void)
{
	struct sigaction sa = { .sa_handler = fp_wreck };
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	double want = 0, got = 0;

	for (int i = 0; i < 40; i++)
		want += fp_grind(3, 200000);
	CHECK(sigaction(SIGPROF, &sa, NULL) == 0);
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	for (int i = 0; i < 40; i++)
		got += fp_grind(3, 200000);
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	CHECK(setitimer(ITIMER_PROF, &it, NULL) == 0);
	CHECK(fp_handler_runs > 0);
	CHECK(fp_round_mode() == 0);
	CHECK(got == want);
}

/*
 * Exec starts the new program with clear FP state (fcsr 0), whatever the
 * caller left in the hart's registers and whichever hart it runs on:
 * here the rounding mode and an exception flag, inherited over fork.
 */
static void
t_fp_state_exec(void)
{
	fp_set_round_mode(3);		/* RUP */
	__asm__ volatile("csrsi fflags, 1");	/* NX */
	CHECK(run_probe("UTEST_FP_PROBE=1") == 0);
	fp_set_round_mode(0);
	__asm__ volatile("csrci fflags, 1");
}

/* A fork child and a new thread start with the caller's FP state. */
static void *
fp_mode_thread(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)fp_round_mode();
}

static void
t_fp_state_inherited(void)
{
	pthread_t t;
	void *mode;
	int status;
	pid_t pid;

	fp_set_round_mode(2);	/* RDN */
	pid = fork();
	if (pid == 0)
		_exit(fp_round_mode() == 2 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fp_set_round_mode(1);	/* RTZ */
	CHECK(pthread_create(&t, NULL, fp_mode_thread, NULL) == 0);
	CHECK(pthread_join(t, &mode) == 0);
	CHECK((uintptr_t)mode == 1);
	fp_set_round_mode(0);
}

static void
t_exec_script(void)
{
	int status;
	pid_t pid;

	write_file(DIR_ "/script", "#!/bin/sh\nexit 5\n");
	CHECK(chmod(DIR_ "/script", 0755) == 0);
	pid = fork();
	if (pid == 0) {
		execl(DIR_ "/script", "script", NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	unlink(DIR_ "/script");
}

static void
t_exec_args_env(void)
{
	int fds[2], status;
	char buf[64] = { 0 };
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", "echo $GREETING two", NULL };
		char *envp[] = { "GREETING=one", NULL };

		dup2(fds[1], 1);
		execve("/bin/sh", argv, envp);
		_exit(99);
	}
	close(fds[1]);
	CHECK(read(fds[0], buf, sizeof(buf) - 1) == 8);
	CHECK(strcmp(buf, "one two\n") == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
}

static void
t_pipe(void)
{
	int fds[2], status;
	char buf[16];
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (int i = 0; i < 1000; i++)
			CHECK(write(fds[1], "0123456789", 10) == 10);
		_exit(0);
	}
	close(fds[1]);
	for (int total = 0; total < 10000;) {
		ssize_t n = read(fds[0], buf, sizeof(buf));

		CHECK(n > 0);
		total += (int)n;
	}
	CHECK(read(fds[0], buf, 1) == 0);	/* writer gone: EOF */
	CHECK(waitpid(pid, &status, 0) == pid);
	close(fds[0]);
	CHECK(pipe2(fds, 0x12345) == -1 && errno == EINVAL);
	CHECK(pipe((int *)bad_ptr) == -1 && errno == EFAULT);
	/* A bad buffer is EFAULT, not an empty read that looks like EOF. */
	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "abc", 3) == 3);
	CHECK(read(fds[0], bad_ptr, 3) == -1 && errno == EFAULT);
	close(fds[0]);
	close(fds[1]);
}

/*
 * ppoll checks its signal mask (its size must be sigset_t's, its pointer
 * good) and its timeout before the descriptors, as Linux does.
 */
static void
t_ppoll_argument_order(void)
{
	struct timespec zero = { 0, 0 };
	uint64_t mask = 0;
	struct pollfd pf;
	int fds[2];

	CHECK(pipe(fds) == 0);
	pf = (struct pollfd){ fds[1], POLLOUT, 0 };
	CHECK(syscall(SYS_ppoll, &pf, 1, &zero, &mask, 8) == 1);
	CHECK(syscall(SYS_ppoll, &pf, 1, &zero, &mask, 128) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_ppoll, &pf, 1, &zero, bad_ptr, 8) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_ppoll, NULL, 300, bad_ptr, NULL, 8) == -1 &&
	    errno == EFAULT);
}

/*
 * prlimit64 reads the new limit, then finds the process, and only then
 * judges the resource (Linux's order).
 */
static void
t_prlimit_argument_order(void)
{
	CHECK(syscall(SYS_prlimit64, INT_MIN, 0xf83399d, NULL, NULL) == -1 &&
	    errno == ESRCH);
	CHECK(syscall(SYS_prlimit64, 999999, 999, NULL, NULL) == -1 &&
	    errno == ESRCH);
	CHECK(syscall(SYS_prlimit64, 999999, RLIMIT_CORE, bad_ptr, NULL) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_prlimit64, getpid(), 999, bad_ptr, NULL) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_prlimit64, getpid(), 999, NULL, NULL) == -1 &&
	    errno == EINVAL);
}

/*
 * clock_nanosleep sleeps on the real-time, monotonic and boot-time clocks;
 * the raw and coarse ones and a thread's CPU time cannot be slept on
 * (EOPNOTSUPP), and a clock that does not exist is EINVAL (before, any
 * number slept on the monotonic clock).
 */
static void
t_clock_nanosleep_clocks(void)
{
	struct timespec t = { 0, 1000 };

	CHECK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &t, NULL) == 0);
	CHECK(syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME, 0, &t, NULL) == 0);
	CHECK(syscall(SYS_clock_nanosleep, 10, 0, &t, NULL) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_clock_nanosleep, 100, 0, &t, NULL) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &t, NULL) ==
	    -1 && errno == EOPNOTSUPP);
	CHECK(syscall(SYS_clock_nanosleep, CLOCK_REALTIME_COARSE, 0, &t,
	    NULL) == -1 && errno == EOPNOTSUPP);
	CHECK(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &t,
	    NULL) == -1 && errno == EOPNOTSUPP);
}

/*
 * Every descriptor takes FIOCLEX, FIONCLEX and FIONBIO (Linux's generic
 * ioctls); before, all but the tty's were ENOTTY.
 */
static void
t_ioctl_generic(void)
{
	int fds[2], on = 1, off = 0;

	CHECK(pipe(fds) == 0);
	CHECK(ioctl(fds[0], FIOCLEX) == 0 && fcntl(fds[0], F_GETFD) == FD_CLOEXEC);
	CHECK(ioctl(fds[0], FIONCLEX) == 0 && fcntl(fds[0], F_GETFD) == 0);
	CHECK(ioctl(fds[0], FIONBIO, &on) == 0 &&
	    (fcntl(fds[0], F_GETFL) & O_NONBLOCK));
	CHECK(read(fds[0], &on, 1) == -1 && errno == EAGAIN);
	CHECK(ioctl(fds[0], FIONBIO, &off) == 0 &&
	    !(fcntl(fds[0], F_GETFL) & O_NONBLOCK));
	CHECK(ioctl(fds[0], FIONBIO, bad_ptr) == -1 && errno == EFAULT);
	CHECK(ioctl(fds[1], 0x5401 /* TCGETS */, &on) == -1 && errno == ENOTTY);
	CHECK(ioctl(99, FIOCLEX) == -1 && errno == EBADF);
}

/*
 * A symbolic link to nothing cannot be made: ENOENT, found before anything
 * about the new name (that it exists, say), as on Linux.
 */
static void
t_symlink_empty_target(void)
{
	write_file(DIR_ "/taken", "x");
	CHECK(symlink("", DIR_ "/taken") == -1 && errno == ENOENT);
	CHECK(symlink("", DIR_ "/empty") == -1 && errno == ENOENT);
	CHECK(symlink("", "/nonexistent/empty") == -1 && errno == ENOENT);
	CHECK(access(DIR_ "/empty", F_OK) == -1 && errno == ENOENT);
	CHECK(unlink(DIR_ "/taken") == 0);
}

/*
 * The transfer calls check their arguments in Linux's order.  readv and
 * writev read and check the iovec array before the file's open mode;
 * pread and pwrite report a file without offsets (ESPIPE) before the open
 * mode (EBADF); lseek judges whence before the file.
 */
static void
t_io_argument_order(void)
{
	char buf[16] = "x";
	struct iovec iov = { buf, 1 };
	int fds[2], ro;

	write_file(DIR_ "/ro", "x");
	ro = open(DIR_ "/ro", O_RDONLY);
	CHECK(ro >= 0 && pipe(fds) == 0);
	CHECK(syscall(SYS_writev, ro, &iov, 1025) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_writev, ro, bad_ptr, 1) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_writev, ro, &iov, 1) == -1 && errno == EBADF);
	CHECK(syscall(SYS_readv, fds[1], &iov, 1025) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_readv, fds[1], bad_ptr, 1) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_readv, fds[1], &iov, 1) == -1 && errno == EBADF);
	CHECK(pread(fds[1], buf, 1, 0) == -1 && errno == ESPIPE);
	CHECK(pwrite(fds[0], buf, 1, 0) == -1 && errno == ESPIPE);
	CHECK(pread(99, buf, 1, 0) == -1 && errno == EBADF);
	CHECK(pwrite(ro, buf, 1, 0) == -1 && errno == EBADF);
	CHECK(lseek(fds[0], 0, 7) == -1 && errno == EINVAL);
	CHECK(lseek(fds[0], 0, SEEK_SET) == -1 && errno == ESPIPE);
	CHECK(lseek(99, 0, 7) == -1 && errno == EBADF);
	CHECK(close(ro) == 0 && unlink(DIR_ "/ro") == 0);
}

/* rt_sigaction reads the new action before it judges the signal. */
static void
t_sigaction_reads_act_first(void)
{
	CHECK(syscall(SYS_rt_sigaction, SIGKILL, bad_ptr, NULL, 8) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_rt_sigaction, 0, bad_ptr, NULL, 8) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_rt_sigaction, SIGKILL, NULL, NULL, 4) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_rt_sigaction, SIGKILL, &(struct sigaction){ 0 }, NULL,
	    8) == -1 && errno == EINVAL);
}

/*
 * renameat resolves each name from its own directory: two descriptors for
 * two different directories work (before: EXDEV), and a relative new name
 * beside an absolute old one is in the new name's directory (before: the
 * old one's, here the working directory).
 */
static void
t_renameat_two_dirs(void)
{
	int d1, d2;

	CHECK(mkdir(DIR_ "/r1", 0755) == 0 && mkdir(DIR_ "/r2", 0755) == 0);
	write_file(DIR_ "/r1/a", "a");
	d1 = open(DIR_ "/r1", O_RDONLY | O_DIRECTORY);
	d2 = open(DIR_ "/r2", O_RDONLY | O_DIRECTORY);
	CHECK(d1 >= 0 && d2 >= 0 && chdir(DIR_) == 0);
	CHECK(renameat(d1, "a", d2, "b") == 0);
	CHECK(access(DIR_ "/r2/b", F_OK) == 0);
	CHECK(renameat(AT_FDCWD, DIR_ "/r2/b", d1, "c") == 0);
	CHECK(access(DIR_ "/r1/c", F_OK) == 0 && access(DIR_ "/c", F_OK) == -1);
	CHECK(renameat(d1, "c", AT_FDCWD, "r2/d") == 0);
	CHECK(access(DIR_ "/r2/d", F_OK) == 0);
	CHECK(renameat(d2, "none", d1, "x") == -1 && errno == ENOENT);
	CHECK(unlink(DIR_ "/r2/d") == 0 && rmdir(DIR_ "/r1") == 0 &&
	    rmdir(DIR_ "/r2") == 0);
	CHECK(chdir("/") == 0 && close(d1) == 0 && close(d2) == 0);
}

static void
t_sigpipe(void)
{
	int fds[2];

	CHECK(pipe(fds) == 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK(write(fds[1], "x", 1) == -1 && errno == EPIPE);
}

static volatile int got_signal;
static volatile void *fault_addr;

static void
on_usr1(int sig)
{
	got_signal = sig;
}

static void
t_signal_handler(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t set;

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	CHECK(got_signal == SIGUSR1);
	/* Blocked signals wait until unblocked. */
	got_signal = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(got_signal == 0);
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
	CHECK(got_signal == SIGUSR1);
	CHECK(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL);
	CHECK(kill(999999, SIGUSR1) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 1000) == -1 && errno == EINVAL);
}

/*
 * kill and wait4 on groups that do not exist: ESRCH for kill, and for
 * both when the "group" is -INT_MIN, which cannot be negated.
 */
static void
t_kill_wait_missing_groups(void)
{
	int status, go[2];
	pid_t child;

	CHECK(kill(INT_MIN, 0) == -1 && errno == ESRCH);
	CHECK(kill(INT_MIN, SIGTERM) == -1 && errno == ESRCH);
	CHECK(kill(-2000000000, 0) == -1 && errno == ESRCH);
	CHECK(kill(-2000000000, SIGTERM) == -1 && errno == ESRCH);
	CHECK(kill(0, 0) == 0 && kill(-getpgid(0), 0) == 0);
	CHECK(waitpid(INT_MIN, &status, 0) == -1 && errno == ESRCH);
	CHECK(waitpid(-2000000000, &status, 0) == -1 && errno == ECHILD);
	/* A group that exists while its one member does. */
	child = fork_waiting_child(go);
	CHECK(setpgid(child, child) == 0);
	CHECK(kill(-child, 0) == 0);
	reap_waiting_child(child, go);
	CHECK(kill(-child, 0) == -1 && errno == ESRCH);
}

static sigjmp_buf segv_jump;

static void
on_segv(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	fault_addr = si->si_addr;
	siglongjmp(segv_jump, sig);
}

/*
 * A bad signal number is judged only once the target is found (Linux's
 * order): ESRCH when there is none, EINVAL when there is.  tgkill takes
 * no tgid or tid that is not positive (EINVAL).
 */
static void
t_kill_target_before_signal(void)
{
	CHECK(kill(999999, 65) == -1 && errno == ESRCH);
	CHECK(kill(-2000000000, 65) == -1 && errno == ESRCH);
	CHECK(kill(INT_MIN, 65) == -1 && errno == ESRCH);
	CHECK(kill(getpid(), 65) == -1 && errno == EINVAL);
	CHECK(kill(0, 65) == -1 && errno == EINVAL);
	CHECK(kill(-getpgid(0), -1) == -1 && errno == EINVAL);
	CHECK(kill(-1, 65) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_tkill, 999999, 65) == -1 && errno == ESRCH);
	CHECK(syscall(SYS_tkill, getpid(), 65) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_tgkill, getpid(), -5, 0) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_tgkill, -5, getpid(), 0) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_tgkill, getpid(), 999999, 65) == -1 && errno == ESRCH);
	CHECK(syscall(SYS_tgkill, getpid(), getpid(), 65) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_tgkill, getpid(), getpid(), 0) == 0);
}

static void
t_sigsegv_handler(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	volatile int *bad = (int *)0x1000;

	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
	if (sigsetjmp(segv_jump, 1) == 0) {
		*bad = 1;
		CHECK(!"the store must fault");
	}
	CHECK(fault_addr == (void *)0x1000);
}

static volatile int fault_code;

static void
on_trap(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(segv_jump, sig);
}

/* An illegal instruction and ebreak: Linux's si_code, si_addr the pc. */
static void
t_trap_siginfo(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
	extern char illegal_insn[], breakpoint_insn[];

	CHECK(sigaction(SIGILL, &sa, NULL) == 0);
	CHECK(sigaction(SIGTRAP, &sa, NULL) == 0);
	if (sigsetjmp(segv_jump, 1) == 0)
		__asm__ volatile("illegal_insn: .4byte 0");
	CHECK(fault_code == ILL_ILLOPC && fault_addr == illegal_insn);
	if (sigsetjmp(segv_jump, 1) == 0)
		__asm__ volatile("breakpoint_insn: ebreak");
	CHECK(fault_code == TRAP_BRKPT && fault_addr == breakpoint_insn);
}

static char *keep_page;
static uint64_t keep_seen[11];	/* s1..s11 in the handler's ucontext */

/* The write fault's handler: note the interrupted s registers, then let
 * the store through. */
static void
keep_unprotect(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	keep_seen[0] = uc->uc_mcontext.__gregs[9];
	for (int i = 1; i < 11; i++)
		keep_seen[i] = uc->uc_mcontext.__gregs[17 + i];	/* s2..s11 */
	mprotect(keep_page, 4096, PROT_READ | PROT_WRITE);
}

/*
 * A fault's trap saves the callee-saved registers (s0..s11) only when
 * the way out needs the whole frame, as a signal does: the handler must
 * see the values the program had in them, and they must be the same
 * after sigreturn.  (s0 is left out: the compiler may keep the frame
 * pointer there.)
 */
static void
t_signal_keeps_callee_saved(void)
{
	struct sigaction sa = { .sa_sigaction = keep_unprotect,
	    .sa_flags = SA_SIGINFO };
	uint64_t after[11];

	keep_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	CHECK(keep_page != MAP_FAILED);
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
	__asm__ volatile(
	    "li s1, 0x5101\n li s2, 0x5202\n li s3, 0x5303\n li s4, 0x5404\n"
	    "li s5, 0x5505\n li s6, 0x5606\n li s7, 0x5707\n li s8, 0x5808\n"
	    "li s9, 0x5909\n li s10, 0x5a0a\n li s11, 0x5b0b\n"
	    "sb zero, 0(%0)\n"		/* faults: the handler runs */
	    "sd s1, 0(%1)\n sd s2, 8(%1)\n sd s3, 16(%1)\n sd s4, 24(%1)\n"
	    "sd s5, 32(%1)\n sd s6, 40(%1)\n sd s7, 48(%1)\n sd s8, 56(%1)\n"
	    "sd s9, 64(%1)\n sd s10, 72(%1)\n sd s11, 80(%1)\n"
	    :: "r"(keep_page), "r"(after)
	    : "memory", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
	      "s10", "s11");
	for (int i = 0; i < 11; i++) {
		uint64_t want = 0x5101 + 0x101 * (uint64_t)i;

		CHECK(keep_seen[i] == want);
		CHECK(after[i] == want);
	}
	signal(SIGSEGV, SIG_DFL);
	munmap(keep_page, 4096);
}

static void
t_sigsegv_kills(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		*(volatile int *)bad_ptr = 1;
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/*
 * No core file is ever written, so RLIMIT_CORE is 0 and cannot be raised,
 * and a signal that would dump core leaves no WCOREDUMP bit in the wait
 * status: what Linux does with a core limit of 0.
 */
static void
t_no_core_dumps(void)
{
	static const int sigs[] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS,
	    SIGFPE, SIGSEGV, SIGSYS, SIGXCPU, SIGXFSZ };
	struct rlimit rl;
	int status;

	CHECK(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 &&
	    rl.rlim_max == 0);
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	CHECK(setrlimit(RLIMIT_CORE, &rl) == -1 && errno == EPERM);
	for (size_t i = 0; i <= sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid_t pid = fork();

		if (pid == 0) {
			if (i < sizeof(sigs) / sizeof(sigs[0]))
				kill(getpid(), sigs[i]);
			*(volatile int *)bad_ptr = 1;	/* a real SIGSEGV */
			_exit(0);
		}
		CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
		CHECK(WTERMSIG(status) == (i < sizeof(sigs) / sizeof(sigs[0]) ?
		    sigs[i] : SIGSEGV));
		CHECK(!WCOREDUMP(status));
	}
}

/*
 * Init gets only the signals it has a handler for: SIGKILL and SIGHUP
 * sent to it are accepted and do nothing (before, SIGKILL killed init and
 * so panicked the kernel).  (SIGTERM, SIGUSR1 and SIGUSR2 it handles:
 * they are busybox reboot's, halt's and poweroff's requests.)
 */
static void
t_init_ignores_kill(void)
{
	CHECK(kill(1, SIGHUP) == 0);
	CHECK(kill(1, SIGKILL) == 0);
	usleep(20000);
	CHECK(kill(1, 0) == 0);
}

static void
on_chld(int sig)
{
	got_signal = sig;
}

static void
t_sigchld(void)
{
	struct sigaction sa = { .sa_handler = on_chld };
	int status;
	pid_t pid;

	got_signal = 0;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(got_signal == SIGCHLD);
}

static void
t_files(void)
{
	char buf[32];
	struct stat st;
	int fd, fd2;

	fd = open(DIR_ "/f", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK(open(DIR_ "/f", O_RDWR | O_CREAT | O_EXCL, 0600) == -1 &&
	    errno == EEXIST);
	CHECK(write(fd, "hello, world", 12) == 12);
	CHECK(lseek(fd, 0, SEEK_CUR) == 12);
	CHECK(lseek(fd, 7, SEEK_SET) == 7);
	CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0);
	CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
	CHECK(lseek(fd, 0, SEEK_END) == 12);
	CHECK(lseek(fd, -100, SEEK_SET) == -1 && errno == EINVAL);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 12 && S_ISREG(st.st_mode));
	fd2 = dup(fd);
	CHECK(fd2 > fd && lseek(fd2, 0, SEEK_CUR) == 12);
	CHECK(dup3(fd, 20, O_CLOEXEC) == 20);
	CHECK(fcntl(20, F_GETFD) == FD_CLOEXEC);
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	CHECK(fcntl(fd, F_SETFL, O_APPEND) == 0);
	CHECK(write(fd, "!", 1) == 1);
	CHECK(pread(fd, buf, 13, 0) == 13 && memcmp(buf, "HELLO, world!", 13) == 0);
	CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
	CHECK(ftruncate(fd, -1) == -1 && errno == EINVAL);
	CHECK(close(fd) == 0 && close(fd2) == 0 && close(20) == 0);
	CHECK(close(fd) == -1 && errno == EBADF);
	CHECK(read(99, buf, 1) == -1 && errno == EBADF);
	fd = open(DIR_ "/f", O_RDONLY);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(read(fd, bad_ptr, 4) == -1 && errno == EFAULT);
	close(fd);
	CHECK(open(DIR_ "/f/x", O_RDONLY) == -1 && errno == ENOTDIR);
	CHECK(open((char *)bad_ptr, O_RDONLY) == -1 && errno == EFAULT);
	CHECK(open(DIR_, O_WRONLY) == -1 && errno == EISDIR);
	CHECK(unlink(DIR_ "/f") == 0);
}

static void
t_directories(void)
{
	char cwd[256];
	DIR *d;
	struct dirent *e;
	int n = 0;

	CHECK(mkdir(DIR_ "/d", 0755) == 0);
	CHECK(mkdir(DIR_ "/d", 0755) == -1 && errno == EEXIST);
	write_file(DIR_ "/d/a", "a");
	write_file(DIR_ "/d/b", "b");
	d = opendir(DIR_ "/d");
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		n++;
	closedir(d);
	CHECK(n == 4);
	CHECK(chdir(DIR_ "/d") == 0);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, DIR_ "/d") == 0);
	CHECK(getcwd(cwd, 3) == NULL && errno == ERANGE);
	CHECK(rename("a", "c") == 0);
	CHECK(access("c", F_OK) == 0 && access("a", F_OK) == -1);
	CHECK(syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "c", 1) == -1 &&
	    errno == EEXIST);
	CHECK(symlink("c", "l") == 0);
	CHECK(readlink("l", cwd, sizeof(cwd)) == 1 && cwd[0] == 'c');
	CHECK(rmdir(DIR_ "/d") == -1 && errno == ENOTEMPTY);
	CHECK(unlink("c") == 0 && unlink("b") == 0 && unlink("l") == 0);
	CHECK(chdir("/") == 0);
	CHECK(rmdir(DIR_ "/d") == 0);
	CHECK(chdir(DIR_ "/d") == -1 && errno == ENOENT);
}

static void
t_mmap_anonymous(void)
{
	size_t len = 64 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	for (size_t i = 0; i < len; i += 4096)
		CHECK(p[i] == 0);
	memset(p, 7, len);
	CHECK(munmap(p + 4096, 4096) == 0);	/* a hole in the middle */
	CHECK(p[0] == 7 && p[8192] == 7);
	CHECK(mprotect(p, 4096, PROT_READ) == 0);
	pid = fork();
	if (pid == 0) {
		p[0] = 1;	/* read-only: SIGSEGV */
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGSEGV);
	CHECK(madvise(p + 8192, 4096, MADV_DONTNEED) == 0 && p[8192] == 0);
	CHECK(madvise(p + 8192, 4096, 12345) == -1 && errno == EINVAL);
	CHECK(munmap(p, len) == 0);
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	    MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	    errno == EINVAL);
}

/*
 * Page 0 is never mapped: munmap of it unmaps nothing (0), mprotect of it
 * is of an unmapped range (ENOMEM), as is mprotect of kernel addresses.
 * mprotect takes PROT_SEM.  Anonymous memory cannot be MAP_SHARED_VALIDATE
 * (EINVAL, once the length has been found to fit).  As on Linux.
 */
static void
t_mmap_page_zero_and_validate(void)
{
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(syscall(SYS_munmap, 0, 0x1160) == 0);
	CHECK(syscall(SYS_mprotect, 0, 16, PROT_READ) == -1 && errno == ENOMEM);
	CHECK(syscall(SYS_mprotect, 0, 16, 0x10) == -1 && errno == EINVAL);
	CHECK(mprotect(p, 4096, PROT_READ | 8 /* PROT_SEM */) == 0);
	/* Past user space is unmapped too; a range that wraps is ENOMEM. */
	CHECK(syscall(SYS_mprotect, 0xffffffe004000000UL, 0xffffffffUL,
	    PROT_READ) == -1 && errno == ENOMEM);
	CHECK(syscall(SYS_mprotect, 0xfffffffffffff000UL, 8192, PROT_READ) ==
	    -1 && errno == ENOMEM);
	CHECK(syscall(SYS_mprotect, 0x4000000001UL, 4096, PROT_READ) == -1 &&
	    errno == EINVAL);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS,
	    -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, 1UL << 50, PROT_READ, MAP_SHARED_VALIDATE |
	    MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK(p[0] == 0 && munmap(p, 4096) == 0);
}

static void
t_mmap_shared_anonymous_and_fork(void)
{
	int *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0), status;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	pid = fork();
	if (pid == 0) {
		*p = 1234;
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(*p == 1234);
}

static void
t_mmap_file(void)
{
	char *p, buf[8];
	int fd;

	write_file(DIR_ "/m", "abcdefgh");
	fd = open(DIR_ "/m", O_RDWR);
	CHECK(fd >= 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(memcmp(p, "abcdefgh", 8) == 0);
	p[0] = 'X';
	CHECK(msync(p, 4096, MS_SYNC) == 0);
	CHECK(pread(fd, buf, 8, 0) == 8 && buf[0] == 'X');
	CHECK(pwrite(fd, "Y", 1, 1) == 1 && p[1] == 'Y');
	CHECK(munmap(p, 4096) == 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	p[2] = 'Z';
	CHECK(pread(fd, buf, 8, 0) == 8 && buf[2] == 'c');
	CHECK(munmap(p, 4096) == 0);
	close(fd);
	fd = open(DIR_ "/m", O_RDONLY);
	CHECK(mmap(NULL, 4096, PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED &&
	    errno == EACCES);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, 99, 0) == MAP_FAILED &&
	    errno == EBADF);
	close(fd);
	unlink(DIR_ "/m");
}

/*
 * MADV_DONTNEED drops a private file mapping's copies: the page reads the
 * file again, and in a forked child without touching the parent's copy.
 */
static void
t_mmap_private_file_dontneed(void)
{
	char *p;
	int fd, status;
	pid_t pid;

	write_file(DIR_ "/d", "abcdefgh");
	fd = open(DIR_ "/d", O_RDONLY);
	CHECK(fd >= 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'X';
	pid = fork();
	if (pid == 0)
		_exit(madvise(p, 4096, MADV_DONTNEED) == 0 && p[0] == 'a' ? 0 : 1);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
	CHECK(p[0] == 'X');
	CHECK(madvise(p, 4096, MADV_DONTNEED) == 0);
	CHECK(p[0] == 'a' && p[1] == 'b');
	p[1] = 'Y';
	CHECK(p[0] == 'a' && p[1] == 'Y');
	CHECK(munmap(p, 4096) == 0);
	close(fd);
	unlink(DIR_ "/d");
}

static void
t_brk(void)
{
	char *base = sbrk(0);

	CHECK(base != (void *)-1);
	CHECK(sbrk(65536) == base);
	memset(base, 1, 65536);
	CHECK(sbrk(-65536) != (void *)-1);
	CHECK(sbrk(0) == base);
	CHECK(syscall(SYS_brk, 1) == (long)base);	/* refused: unchanged */
}

static void
t_misc_calls(void)
{
	struct utsname u;
	struct timespec t0, t1, req = { 0, 20 * 1000 * 1000 };
	struct rlimit rl;
	unsigned char rnd[16];

	CHECK(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0 &&
	    strcmp(u.machine, "riscv64") == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0);
	CHECK(nanosleep(&req, NULL) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >=
	    20 * 1000 * 1000);
	CHECK(clock_gettime(12345, &t0) == -1 && errno == EINVAL);
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur >= 1 << 20);
	CHECK(getrandom(rnd, sizeof(rnd), 0) == sizeof(rnd));
	CHECK(getppid() > 0 && getpid() > 1);
	CHECK(getuid() == 0 && geteuid() == 0);
	CHECK(syscall(5000) == -1 && errno == ENOSYS);
	CHECK(sched_yield() == 0);
}

static void
t_tty(void)
{
	struct termios t;

	CHECK(tcgetattr(1, &t) == 0 || errno == ENOTTY);
	CHECK(isatty(0) || errno == ENOTTY);
	CHECK(ioctl(1, 0x12345678) == -1 && errno == ENOTTY);
}

static void
t_orphans_reparented(void)
{
	int status, fds[2];
	pid_t pid;
	char c;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			/* Grandchild: outlives its parent, then exits. */
			close(fds[0]);
			usleep(50000);
			CHECK(getppid() == 1);
			write(fds[1], "k", 1);
			_exit(0);
		}
		_exit(0);
	}
	close(fds[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'k');
}

/*
 * setpgid follows Linux's rules: the target is the caller or a child that
 * has not exec'd, in the caller's session and not a session leader; the
 * group it joins must exist in the caller's session.  So nobody outside
 * init's session can join init's group.
 */
static void
t_setpgid_rules(void)
{
	int go[2], out[2], in[2], status;
	pid_t self = getpid(), child;
	char c;

	CHECK(setpgid(0, -1) == -1 && errno == EINVAL);
	CHECK(setpgid(-5, 0) == -1 && errno == EINVAL);	/* pgid 0: -5 */
	CHECK(setpgid(-5, 3) == -1 && errno == ESRCH);
	CHECK(setpgid(getppid(), 0) == -1 && errno == ESRCH);
	CHECK(setpgid(999999, 0) == -1 && errno == ESRCH);
	/* A child: into its own group, then back into ours. */
	child = fork_waiting_child(go);
	CHECK(setpgid(child, child) == 0 && getpgid(child) == child);
	CHECK(setpgid(child, getpgid(0)) == 0 && getpgid(child) == getpgid(0));
	CHECK(setpgid(child, 999999) == -1 && errno == EPERM);	/* no group */
	reap_waiting_child(child, go);
	/* A child that has exec'd: EACCES (cat echoing proves the exec). */
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	child = fork();
	if (child == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl("/bin/cat", "cat", NULL);
		_exit(99);
	}
	close(in[0]);
	close(out[1]);
	CHECK(write(in[1], "e", 1) == 1 && read(out[0], &c, 1) == 1);
	CHECK(setpgid(child, child) == -1 && errno == EACCES);
	close(in[1]);
	close(out[0]);
	CHECK(waitpid(child, &status, 0) == child && status == 0);
	/* A new session: a session leader may not move; init's group (in
	 * another session) and a child gone to another session are EPERM. */
	CHECK(setsid() == self);
	CHECK(setpgid(0, 0) == -1 && errno == EPERM);
	child = fork();
	if (child == 0) {
		CHECK(setpgid(0, 1) == -1 && errno == EPERM);
		CHECK(getpgid(0) == self);
		CHECK(setpgid(0, 0) == 0 && getpgid(0) == getpid());
		CHECK(setpgid(0, self) == 0 && getpgid(0) == self);
		CHECK(setsid() == getpid());
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child && status == 0);
	child = fork_waiting_child(go);
	CHECK(setpgid(child, 1) == -1 && errno == EPERM);
	reap_waiting_child(child, go);
}

/* --- sysctl: the call, its errors, and counters moving as predicted --- */

static void
t_sysctl_every_node_readable(void)
{
	char name[VMK_SYSCTL_NAME_MAX] = "", next[VMK_SYSCTL_NAME_MAX];
	int nodes = 0;

	for (;;) {
		struct vmk_sysctl_info info;
		size_t len = sizeof(next), ilen = sizeof(info), vlen = 0;
		void *buf;

		if (vmk_sysctl(VMK_SYSCTL_NEXT, next, &len, name, strlen(name) + 1) != 0) {
			CHECK(errno == ENOENT);
			break;
		}
		CHECK(strcmp(next, name) > 0);	/* listed in order */
		strcpy(name, next);
		CHECK(vmk_sysctl(VMK_SYSCTL_INFO, &info, &ilen, name,
		    strlen(name) + 1) == 0);
		CHECK(info.descr[0] != '\0');
		nodes++;
		if (info.flags & VMK_CTLFLAG_PREFIX)
			continue;
		buf = vmk_sysctl_alloc(name, &vlen);
		CHECK(buf != NULL);
		free(buf);
	}
	CHECK(nodes > 60);
}

static void
t_sysctl_errors(void)
{
	uint64_t v;
	char small[2], host[80];
	size_t len = sizeof(v);
	int32_t i32 = 3;

	CHECK(vmk_sysctl("no.such.node", &v, &len, NULL, 0) == -1 && errno == ENOENT);
	len = 1;
	CHECK(vmk_sysctl("hw.pagesize", &v, &len, NULL, 0) == -1 && errno == ENOMEM);
	CHECK(len == 8);	/* the length needed */
	len = 0;
	CHECK(vmk_sysctl("kern.ostype", NULL, &len, NULL, 0) == 0 && len == 4);
	len = sizeof(small);
	CHECK(vmk_sysctl("kern.ostype", small, &len, NULL, 0) == -1 &&
	    errno == ENOMEM && len == 4);
	CHECK(vmk_sysctl("hw.pagesize", NULL, NULL, &v, 8) == -1 && errno == EPERM);
	CHECK(syscall(VMK_SYS_SYSCTL, bad_ptr, NULL, NULL, NULL, 0) == -1 &&
	    errno == EFAULT);
	len = 8;
	CHECK(syscall(VMK_SYS_SYSCTL, "hw.pagesize", bad_ptr, &len, NULL, 0) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(VMK_SYS_SYSCTL, "hw.pagesize", &v, bad_ptr, NULL, 0) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(VMK_SYS_SYSCTL, "vm.prefault_ahead", NULL, NULL, bad_ptr,
	    4) == -1 && errno == EFAULT);
	/* Tunables: values in range are taken, others refused. */
	CHECK(vmk_sysctl("vm.prefault_ahead", NULL, NULL, &i32, 4) == 0);
	CHECK(vmk_sysctl_u64("vm.prefault_ahead") % (1ULL << 32) == 3);
	i32 = 17;
	CHECK(vmk_sysctl("vm.prefault_ahead", NULL, NULL, &i32, 4) == -1 &&
	    errno == EINVAL);
	i32 = -1;
	CHECK(vmk_sysctl("vm.prefault_ahead", NULL, NULL, &i32, 4) == -1 &&
	    errno == EINVAL);
	CHECK(vmk_sysctl("vm.prefault_ahead", NULL, NULL, &v, 8) == -1 &&
	    errno == EINVAL);
	i32 = 2;
	CHECK(vmk_sysctl("vm.cow_rename", NULL, NULL, &i32, 4) == -1 &&
	    errno == EINVAL);
	i32 = 4;
	CHECK(vmk_sysctl("vm.prefault_ahead", NULL, NULL, &i32, 4) == 0);
	CHECK(vmk_sysctl("kern.hostname", NULL, NULL, "guest", 5) == 0);
	len = sizeof(host);
	CHECK(vmk_sysctl("kern.hostname", host, &len, NULL, 0) == 0 &&
	    strcmp(host, "guest") == 0);
	memset(host, 'h', sizeof(host));
	CHECK(vmk_sysctl("kern.hostname", NULL, NULL, host, sizeof(host)) == -1 &&
	    errno == EINVAL);
	CHECK(vmk_sysctl("kern.hostname", NULL, NULL, "", 0) == -1 && errno == EINVAL);
	CHECK(vmk_sysctl("kern.hostname", NULL, NULL, "vmk", 3) == 0);
}

#define STAT(name)	vmk_sysctl_u64("vm.stats.vm." name)

static void
set_int(const char *name, int32_t v)
{
	CHECK(vmk_sysctl(name, NULL, NULL, &v, sizeof(v)) == 0);
}

/* Prefault off, so that each touched page is one fault. */
static void
prefault_off(void)
{
	set_int("vm.prefault_ahead", 0);
	set_int("vm.prefault_behind", 0);
}

static void
prefault_default(void)
{
	set_int("vm.prefault_ahead", 4);
	set_int("vm.prefault_behind", 4);
}

/*
 * Exec's prefault (vm.prefault_exec): a program run before has its used
 * text pages mapped by exec, read-only, the rest left to faults; a write
 * to a text page made writable still copies it (the file and the other
 * processes mapping it keep theirs).  The probe (UTEST_TEXT_PROBE) finds
 * the byte of its text the parent names, writes it, and sees its own
 * copy change.
 */
static void
t_exec_prefault(void)
{
	const volatile uint8_t *target =
	    (const volatile uint8_t *)(uintptr_t)t_exec_empty_argv;
	uint8_t orig = *target;
	int32_t saved = (int32_t)vmk_sysctl_u64("vm.prefault_exec");
	char env[48];
	uint64_t mapped;

	snprintf(env, sizeof(env), "UTEST_TEXT_PROBE=%u", orig);
	CHECK(vmk_sysctl("vm.prefault_exec", NULL, NULL, &(int32_t){ 1025 },
	    4) == -1 && errno == EINVAL);
	set_int("vm.prefault_exec", 1024);
	CHECK(run_probe(env) == 0);	/* its text pages are used now */
	for (int i = 0; i < 2; i++) {
		mapped = STAT("v_prefault_exec");
		CHECK(run_probe(env) == 0);
		CHECK(STAT("v_prefault_exec") > mapped);
	}
	CHECK(*target == orig);
	set_int("vm.prefault_exec", 0);
	mapped = STAT("v_prefault_exec");
	CHECK(run_probe(env) == 0);
	CHECK(STAT("v_prefault_exec") == mapped);
	set_int("vm.prefault_exec", saved);
}

/* UTEST_TEXT_PROBE for t_exec_prefault: expect is the byte's value. */
static int
text_probe(const char *expect)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)t_exec_empty_argv;
	uint8_t want = (uint8_t)atoi(expect), flipped = (uint8_t)~want;

	if (*p != want)
		return 2;
	if (mprotect((void *)((uintptr_t)p & ~(uintptr_t)4095), 4096,
	    PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		return 3;
	*p = flipped;
	return *p == flipped ? 0 : 4;
}

/* The kernel's log line about pid ("pid PID (comm): ..."), or NULL. */
static const char *
log_line(pid_t pid)
{
	static char msgbuf[32768];
	size_t len = sizeof(msgbuf);
	char needle[32];
	const char *line;

	CHECK(vmk_sysctl("kern.msgbuf", msgbuf, &len, NULL, 0) == 0);
	snprintf(needle, sizeof(needle), "\npid %d (", (int)pid);
	line = strstr(msgbuf, needle);
	return line != NULL ? line + 1 : NULL;
}

/* Fork a child that faults (handling it if handled) and exits. */
static pid_t
fork_faulting(bool handled)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (handled)
			sigaction(SIGSEGV, &sa, NULL);
		if (sigsetjmp(segv_jump, 1) == 0)
			*(volatile int *)bad_ptr = 1;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(handled ? status == 0 : WTERMSIG(status) == SIGSEGV);
	return pid;
}

/* Fork a child whose rt_sigreturn finds no frame (sp unmapped): it dies
 * of SIGSEGV. */
static pid_t
fork_bad_sigreturn(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		__asm__ volatile("li sp, 8\n\tli a7, %0\n\tecall" : :
		    "i"(SYS_rt_sigreturn) : "memory");
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	return pid;
}

/*
 * A fault is logged only when it kills the process (a handled one is the
 * program's business), in one line with the signal, the address and the
 * pc, and only for a crash signal: not for SIGTERM.  kern.logsigexit=0
 * silences it, also for a bad signal frame (before, that line was always
 * printed).
 */
static void
t_logsigexit(void)
{
	char expect[128];
	const char *line;
	int status;
	pid_t pid;

	CHECK(vmk_sysctl_u64("kern.logsigexit") % (1ULL << 32) == 1);
	CHECK(log_line(fork_faulting(true)) == NULL);
	pid = fork_faulting(false);
	snprintf(expect, sizeof(expect), "pid %d (utest): exited on signal 11 "
	    "(SIGSEGV), fault address 0x8, pc 0x", (int)pid);
	line = log_line(pid);
	CHECK(line != NULL && strncmp(line, expect, strlen(expect)) == 0);
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WTERMSIG(status) == SIGTERM);
	CHECK(log_line(pid) == NULL);
	set_int("kern.logsigexit", 0);
	pid = fork_faulting(false);
	CHECK(log_line(pid) == NULL);
	pid = fork_bad_sigreturn();
	set_int("kern.logsigexit", 1);
	CHECK(log_line(pid) == NULL);
	pid = fork_bad_sigreturn();
	line = log_line(pid);
	CHECK(line != NULL && strstr(line, "bad signal frame") != NULL);
	CHECK(vmk_sysctl("kern.logsigexit", NULL, NULL, &(int32_t){ 2 }, 4) ==
	    -1 && errno == EINVAL);
}

/*
 * Write one byte of each of n pages at p; the counters' deltas go to
 * *faults and *zfod.  Run it once before measuring: with prefault off, the
 * first run of its own code may fault a page of text in, counted too.
 */
static __attribute__((noinline)) void
touch_pages_counted(char *p, int n, uint64_t *faults, uint64_t *zfod)
{
	uint64_t f0 = STAT("v_vm_faults"), z0 = STAT("v_zfod");

	for (int i = 0; i < n; i++)
		p[i * 4096] = 1;
	*zfod = STAT("v_zfod") - z0;
	*faults = STAT("v_vm_faults") - f0;
}

/*
 * Each first write to an anonymous page is one zero-fill fault.  The
 * counters are global: another process faulting meanwhile (the harness
 * on the other hart, just after forking us) adds to them, so the best of
 * three tries counts.
 */
static void
t_counters_zero_fill(void)
{
	enum { N = 32 };
	uint64_t faults = 0, zfod = 0;

	prefault_off();
	for (int try = 0; try < 3 && (faults != N || zfod != N); try++) {
		char *p = mmap(NULL, (N + 1) * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		CHECK(p != MAP_FAILED);
		touch_pages_counted(p + N * 4096, 1, &faults, &zfod);
		touch_pages_counted(p, N, &faults, &zfod);
		CHECK(munmap(p, (N + 1) * 4096) == 0);
	}
	CHECK(zfod == N);
	CHECK(faults == N);
	prefault_default();
}

/* Write the first byte of pages from..n-1 of p, in order. */
static __attribute__((noinline)) void
touch_from(char *p, int from, int n)
{
	for (int i = from; i < n; i++)
		p[i * 4096] = 1;
}

/* touch_from, with the faults and prefault zero fills it took. */
static __attribute__((noinline)) void
touch_from_counted(char *p, int from, int n, uint64_t *faults,
    uint64_t *zeroed)
{
	uint64_t f0 = STAT("v_vm_faults"), z0 = STAT("v_prefault_zeroed");

	touch_from(p, from, n);
	*faults = STAT("v_vm_faults") - f0;
	*zeroed = STAT("v_prefault_zeroed") - z0;
}

static void
t_counters_prefault_sequential(void)
{
	enum { N = 40 };
	char *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *warm = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t faults, zeroed;

	CHECK(p != MAP_FAILED && warm != MAP_FAILED);
	prefault_default();
	/* Once on another mapping, so that the text the count runs is
	 * mapped: where the linker put it decides whether it faults (this
	 * function's own text is not run inside the count). */
	touch_from_counted(warm, 0, N, &faults, &zeroed);
	p[0] = 1;	/* the page table page exists from here on */
	/*
	 * Sequential from 5 (just past 0's window of 4): each fault doubles
	 * the window it zero-fills, 8 at 5, 16 at 14 (the largest), then 8
	 * at 31 (the rest of the mapping).
	 */
	touch_from_counted(p, 5, N, &faults, &zeroed);
	CHECK(faults == 3);
	CHECK(zeroed == 8 + 16 + 8);
	CHECK(munmap(p, N * 4096) == 0 && munmap(warm, N * 4096) == 0);
}

static void
t_counters_cow_copy_and_rename(void)
{
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fds[2], done[2], status;
	uint64_t cow, optim;
	pid_t pid;
	char c;

	CHECK(p != MAP_FAILED);
	prefault_off();
	memset(p, 1, 4 * 4096);
	CHECK(pipe(fds) == 0 && pipe(done) == 0);
	pid = fork();
	if (pid == 0) {
		uint64_t c0 = STAT("v_cow_faults"), o0 = STAT("v_cow_optim");
		int ok;

		p[0] = 2;	/* copy: the parent still shares the page */
		ok = STAT("v_cow_faults") - c0 == 1 && STAT("v_cow_optim") == o0;
		write(done[1], "x", 1);	/* the counters are global: take turns */
		read(fds[0], &c, 1);	/* stay until the parent has written */
		_exit(ok ? 0 : 1);
	}
	CHECK(read(done[0], &c, 1) == 1);
	cow = STAT("v_cow_faults");
	optim = STAT("v_cow_optim");
	p[4096] = 3;		/* copy: the child shares it */
	CHECK(STAT("v_cow_faults") - cow == 1);
	CHECK(STAT("v_cow_optim") - optim == 0);
	write(fds[1], "x", 1);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
	/* The child is gone: the next write renames instead of copying. */
	optim = STAT("v_cow_optim");
	p[2 * 4096] = 4;
	CHECK(STAT("v_cow_optim") - optim == 1);
	CHECK(p[2 * 4096 + 1] == 1 && p[0] == 1 && p[4096] == 3);
	prefault_default();
}

/* On the root file system (ext2, read from the disk), not in /tmp. */
#define CLUSTER_FILE	"/utest-cluster.dat"

/*
 * A file read through a mapping from a cold cache: its faults read
 * clusters, so a sequential scan of 64 pages takes a handful of faults
 * and disk requests; with vm.read_ahead=0, one of each per page.  The
 * data is right either way.
 */
static void
t_read_cluster_cold_file(void)
{
	static uint64_t buf[64 * 512];
	int32_t one = 1;
	int fd;

	for (size_t i = 0; i < sizeof(buf) / sizeof(buf[0]); i++)
		buf[i] = i * 0x9e3779b97f4a7c15ULL;
	fd = open(CLUSTER_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	CHECK(fsync(fd) == 0 && close(fd) == 0);
	for (int read_ahead = 15; read_ahead >= 0; read_ahead -= 15) {
		volatile uint64_t *p;
		uint64_t io, reqs;

		set_int("vm.read_ahead", read_ahead);
		CHECK(vmk_sysctl("vfs.drain_caches", NULL, NULL, &one,
		    sizeof(one)) == 0);
		fd = open(CLUSTER_FILE, O_RDONLY);
		CHECK(fd >= 0);
		p = mmap(NULL, sizeof(buf), PROT_READ, MAP_PRIVATE, fd, 0);
		CHECK(p != MAP_FAILED);
		io = STAT("v_io_faults");
		reqs = vmk_sysctl_u64("dev.blk.reads");
		for (size_t i = 0; i < sizeof(buf) / sizeof(buf[0]); i++)
			CHECK(p[i] == buf[i]);
		io = STAT("v_io_faults") - io;
		reqs = vmk_sysctl_u64("dev.blk.reads") - reqs;
		if (read_ahead > 0)
			CHECK(io <= 8 && reqs <= 16);
		else
			CHECK(io == 64 && reqs >= 64);
		CHECK(munmap((void *)p, sizeof(buf)) == 0 && close(fd) == 0);
	}
	set_int("vm.read_ahead", 15);
	CHECK(unlink(CLUSTER_FILE) == 0);
}

static void
t_counters_file_read_fault(void)
{
	int fd = open("/big.bin", O_RDONLY);
	volatile uint64_t *p;
	uint64_t io, in;

	CHECK(fd >= 0);
	p = mmap(NULL, 300 * 1024, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	io = STAT("v_io_faults");
	in = STAT("v_vnodepgsin");
	CHECK(p[41 * 512] == 41 * 4096);	/* a page nobody read before */
	CHECK(STAT("v_io_faults") - io == 1);
	CHECK(STAT("v_vnodepgsin") - in >= 1);	/* with its read cluster */
	io = STAT("v_io_faults");
	CHECK(p[41 * 512 + 1] == 41 * 4096 + 8);	/* cached now: no I/O */
	CHECK(STAT("v_io_faults") == io);
	close(fd);
}

/*
 * Reading a shared writable file mapping leaves its pages clean: msync
 * writes nothing back until a page is actually written.
 */
static void
t_counters_shared_read_stays_clean(void)
{
	static char block[4 * 4096];
	int fd = open(EXT2_ "clean", O_RDWR | O_CREAT | O_TRUNC, 0600);
	volatile char *p;
	uint64_t out;
	int sum = 0;

	CHECK(fd >= 0);
	memset(block, 'c', sizeof(block));
	CHECK(write(fd, block, sizeof(block)) == sizeof(block));
	CHECK(fsync(fd) == 0);
	p = mmap(NULL, sizeof(block), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	for (int i = 0; i < 4; i++)
		sum += p[i * 4096];
	CHECK(sum == 4 * 'c');
	out = STAT("v_vnodepgsout");
	CHECK(msync((void *)p, sizeof(block), MS_SYNC) == 0);
	CHECK(STAT("v_vnodepgsout") == out);
	p[2 * 4096] = 'w';		/* now one page is dirty */
	CHECK(msync((void *)p, sizeof(block), MS_SYNC) == 0);
	CHECK(STAT("v_vnodepgsout") - out == 1);
	CHECK(munmap((void *)p, sizeof(block)) == 0);
	CHECK(pread(fd, block, 1, 2 * 4096) == 1 && block[0] == 'w');
	close(fd);
	CHECK(unlink(EXT2_ "clean") == 0);
}

/*
 * Ten live generations, each writing its own page of a private mapping
 * (so no shadow covers the object below it): a legitimately deep chain
 * (stressrun used to fail its bound after such a run, as the lifetime
 * maximum never comes down).  vm.stats.object.depth_peak sees it, and
 * once reset (write 0; other values are EINVAL) counts only the chains
 * made since.
 */
static void
t_chain_depth_peak_resets(void)
{
	enum { GENERATIONS = 10 };
	const char *peak = "vm.stats.object.depth_peak";
	char *p = mmap(NULL, (GENERATIONS + 1) * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t zero = 0, five = 5, old = 0, now;
	size_t len = sizeof(old);
	int go[2], done[2], status;
	char c;

	CHECK(p != MAP_FAILED && pipe(go) == 0 && pipe(done) == 0);
	CHECK(vmk_sysctl(peak, NULL, NULL, &zero, sizeof(zero)) == 0);
	memset(p, 0, (GENERATIONS + 1) * 4096);
	for (int gen = 1; gen <= GENERATIONS; gen++) {
		pid_t pid = fork();

		CHECK(pid >= 0);
		if (pid > 0 && gen == 1)
			break;		/* the test itself goes on below */
		if (pid > 0) {
			/* Stay alive, holding our copy, until go closes. */
			read(go[0], &c, 1);
			waitpid(pid, &status, 0);
			_exit(0);
		}
		if (gen == 1)
			close(go[1]);
		p[gen * 4096] = (char)gen;
		if (gen == GENERATIONS) {
			write(done[1], "d", 1);
			read(go[0], &c, 1);
			_exit(0);
		}
	}
	CHECK(read(done[0], &c, 1) == 1);
	CHECK(vmk_sysctl_u64(peak) >= GENERATIONS);
	CHECK(vmk_sysctl_u64("vm.stats.object.depth_max_ever") >= GENERATIONS);
	close(go[1]);		/* every generation exits */
	CHECK(waitpid(-1, &status, 0) > 0);
	CHECK(vmk_sysctl(peak, &old, &len, &zero, sizeof(zero)) == 0 &&
	    old >= GENERATIONS);
	CHECK(vmk_sysctl_u64(peak) == 0);
	CHECK(vmk_sysctl(peak, NULL, NULL, &five, sizeof(five)) == -1 &&
	    errno == EINVAL);
	CHECK(vmk_sysctl(peak, NULL, NULL, &zero, 4) == -1 && errno == EINVAL);
	/* One more fork: the peak is that of the chains it makes, one longer
	 * than the longest now at most (our own stack's, for one). */
	now = vmk_sysctl_u64("vm.stats.object.depth_max");
	if (fork() == 0) {
		p[0] = 1;
		_exit(0);
	}
	p[0] = 2;
	CHECK(waitpid(-1, &status, 0) > 0);
	CHECK(vmk_sysctl_u64(peak) >= 2 && vmk_sysctl_u64(peak) <= now + 1);
	CHECK(now + 1 < GENERATIONS);
	CHECK(vmk_sysctl_u64("vm.stats.object.depth_max_ever") >= GENERATIONS);
}

static void
t_chain_view_after_fork(void)
{
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	memset(p, 1, 4 * 4096);
	pid = fork();
	if (pid == 0) {
		char name[64];
		struct vmk_kinfo_vmobject *o;
		size_t len;

		p[0] = 2;	/* the child's own shadow over the shared object */
		snprintf(name, sizeof(name), "vm.proc.chain.%d.%#lx", getpid(),
		    (unsigned long)p);
		o = vmk_sysctl_alloc(name, &len);
		if (o == NULL || len != 2 * sizeof(*o))
			_exit(1);
		/*
		 * shadow: 1 page, ours alone; below: the 4 pages, held by
		 * our shadow and by the parent (its entry or its shadow).
		 */
		if (o[0].resident != 1 || o[0].ref_count != 1 ||
		    o[1].resident != 4 || o[1].ref_count != 2 ||
		    o[1].shadow_count < 1)
			_exit(2);
		_exit(0);
	}
	p[4096] = 3;	/* the parent's shadow too */
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static double
monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * CPU time is charged by clock ticks, to user or system time by where the
 * tick found us: never more than the time that passed, however many
 * system calls and faults were made, and a busy loop gets user time.
 */
static void
t_cpu_times(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct tms t0, t1;
	double w0 = monotonic_seconds(), wall;
	volatile uint64_t spin = 0;

	CHECK(hz > 0);
	times(&t0);
	for (int i = 0; i < 20000; i++)
		getppid();
	/*
	 * Spin in user mode, reading the clock only between long runs, until
	 * at least 0.3 s passed and a tick has found us in user mode (or 5 s,
	 * on a host so loaded that the check below then fails).
	 */
	do {
		for (int i = 0; i < 1000000; i++)
			spin++;
		times(&t1);
		wall = monotonic_seconds() - w0;
	} while (wall < 5 && (wall < 0.3 || t1.tms_utime == t0.tms_utime));
	CHECK(t1.tms_utime + t1.tms_stime - t0.tms_utime - t0.tms_stime <=
	    (clock_t)(wall * hz) + 2);
	CHECK(t1.tms_utime > t0.tms_utime);
}

/* Spin for about seconds of CPU time (user mode, mostly). */
static void
burn_cpu(double seconds)
{
	double w0 = monotonic_seconds();
	volatile uint64_t spin = 0;

	while (monotonic_seconds() - w0 < seconds)
		for (int i = 0; i < 100000; i++)
			spin++;
}

/*
 * kern.idle_ns, the harts' idle time: it takes in most of a sleep, and
 * never more than every hart idling the whole time; while we spin, our
 * hart is not idle.  Each reading is made between two clock readings, so
 * the time between two readings is known to lie between the inner and
 * the outer pair's: the bounds hold exactly, however late a loaded host
 * runs us, as long as the kernel counts the waits in progress.
 */
static void
t_idle_time(void)
{
	double ncpu = (double)(vmk_sysctl_u64("hw.ncpu") % (1ULL << 32));
	double w0, w1, w2, w3, idle;
	uint64_t i0;

	CHECK(ncpu >= 1);
	w0 = monotonic_seconds();
	i0 = vmk_sysctl_u64("kern.idle_ns");
	w1 = monotonic_seconds();
	usleep(200000);
	w2 = monotonic_seconds();
	idle = (vmk_sysctl_u64("kern.idle_ns") - i0) / 1e9;
	w3 = monotonic_seconds();
	CHECK(idle >= 0.75 * (w2 - w1) && idle <= ncpu * (w3 - w0));
	w0 = monotonic_seconds();
	i0 = vmk_sysctl_u64("kern.idle_ns");
	burn_cpu(0.2);
	idle = (vmk_sysctl_u64("kern.idle_ns") - i0) / 1e9;
	w3 = monotonic_seconds();
	CHECK(idle <= (ncpu - 1) * (w3 - w0) + 0.02);
}

static bool
timeval_zero(struct timeval tv)
{
	return tv.tv_sec == 0 && tv.tv_usec == 0;
}

/* An rusage's user and system time together, in clock ticks. */
static clock_t
rusage_ticks(const struct rusage *ru, long hz)
{
	long long us = (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000LL +
	    ru->ru_utime.tv_usec + ru->ru_stime.tv_usec;

	return (clock_t)(us * hz / 1000000);
}

/*
 * A reaped child's CPU time becomes our children's time (times,
 * getrusage(RUSAGE_CHILDREN), and wait4's rusage for that child): at
 * least what the child itself was charged when it last looked, and it
 * spins until it has been charged something (as cpu_times: a loaded host
 * may let 0.2 s pass without a tick finding it running).  A new child
 * has no children's time, whatever its parent's.
 */
static void
t_child_times(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct rusage ru;
	struct tms t;
	clock_t used = 0;
	int status, fds[2];
	pid_t pid;

	CHECK(hz > 0 && pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		double w0 = monotonic_seconds(), wall;

		do {
			burn_cpu(0.05);
			times(&t);
			used = t.tms_utime + t.tms_stime;
			wall = monotonic_seconds() - w0;
		} while (wall < 5 && (wall < 0.2 || used == 0));
		_exit(write(fds[1], &used, sizeof(used)) == sizeof(used) ? 0 : 1);
	}
	CHECK(wait4(pid, &status, 0, &ru) == pid && status == 0);
	CHECK(read(fds[0], &used, sizeof(used)) == sizeof(used) && used > 0);
	CHECK(rusage_ticks(&ru, hz) >= used);
	times(&t);
	CHECK(t.tms_cutime + t.tms_cstime >= used);
	CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0);
	CHECK(rusage_ticks(&ru, hz) >= used);
	close(fds[0]);
	close(fds[1]);
	pid = fork();
	if (pid == 0) {
		times(&t);
		getrusage(RUSAGE_CHILDREN, &ru);
		_exit(t.tms_cutime == 0 && t.tms_cstime == 0 &&
		    timeval_zero(ru.ru_utime) && timeval_zero(ru.ru_stime) ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && getrusage(7, &ru) == -1 &&
	    errno == EINVAL);
}

/* Fork a child that sends sig to us after ms milliseconds. */
static pid_t
signal_later(int sig, int ms)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		kill(parent, sig);
		_exit(0);
	}
	CHECK(pid > 0);
	return pid;
}

/*
 * A caught signal ends nanosleep and clock_nanosleep with EINTR even
 * under SA_RESTART (Linux never restarts a sleep under a handler), with
 * the time left in rem for a relative sleep; an absolute one leaves rem
 * alone.
 */
static void
t_nanosleep_interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct timespec req = { 5, 0 }, rem = { -1, -1 }, until;
	int status;
	pid_t pid;

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	pid = signal_later(SIGUSR1, 200);
	CHECK(nanosleep(&req, &rem) == -1 && errno == EINTR);
	CHECK(got_signal == SIGUSR1);
	CHECK(rem.tv_sec >= 1 && rem.tv_sec < 5 && rem.tv_nsec >= 0 &&
	    rem.tv_nsec < 1000000000L);
	CHECK(waitpid(pid, &status, 0) == pid);
	rem.tv_sec = -1;
	pid = signal_later(SIGUSR1, 200);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem) == EINTR);
	CHECK(rem.tv_sec >= 1 && rem.tv_sec < 5);
	CHECK(waitpid(pid, &status, 0) == pid);
	rem.tv_sec = rem.tv_nsec = -1;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &until) == 0);
	until.tv_sec += 5;
	pid = signal_later(SIGUSR1, 200);
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, &rem) ==
	    EINTR);
	CHECK(rem.tv_sec == -1 && rem.tv_nsec == -1);
	CHECK(waitpid(pid, &status, 0) == pid);
	/* Interrupted with a bad rem: EFAULT. */
	pid = signal_later(SIGUSR1, 200);
	CHECK(syscall(SYS_nanosleep, &req, bad_ptr) == -1 && errno == EFAULT);
	CHECK(waitpid(pid, &status, 0) == pid);
}

static int64_t
monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Sleep ms by nanosleep (kind 0), relative (1) or absolute (2)
 * clock_nanosleep, or wait that long in poll (3) or select (4) on a pipe
 * nobody writes, or on a futex nobody wakes, relative (5) or absolute
 * (6): 0 or the error (-1 if a wait said ready). */
static int
sleep_kind(int kind, long ms)
{
	struct timespec t = { ms / 1000, ms % 1000 * 1000000 }, now;
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };
	int fds[2], r = -1;
	static uint32_t word;

	if (kind == 6) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		t.tv_sec += now.tv_sec + (t.tv_nsec + now.tv_nsec) / 1000000000L;
		t.tv_nsec = (t.tv_nsec + now.tv_nsec) % 1000000000L;
	}
	if (kind >= 5)
		return syscall(SYS_futex, &word, kind == 5 ? FUTEX_WAIT_PRIVATE :
		    FUTEX_WAIT_BITSET_PRIVATE, 0, &t, NULL,
		    FUTEX_BITSET_MATCH_ANY) == 0 ? -1 : errno;

	if (kind >= 3) {
		struct pollfd pfd;
		fd_set set;

		CHECK(pipe(fds) == 0);
		pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };
		FD_ZERO(&set);
		FD_SET(fds[0], &set);
		r = kind == 3 ? poll(&pfd, 1, (int)ms) :
		    select(fds[0] + 1, &set, NULL, NULL, &tv);
		r = r == 0 ? 0 : r < 0 ? errno : -1;
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (kind == 0)
		return nanosleep(&t, NULL) == 0 ? 0 : errno;
	if (kind == 1)
		return clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &now);
	t.tv_sec += now.tv_sec + (t.tv_nsec + now.tv_nsec) / 1000000000L;
	t.tv_nsec = (t.tv_nsec + now.tv_nsec) % 1000000000L;
	return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
}

/*
 * Fork a child that sleeps ms (sleep_kind) and exits 0 if the sleep
 * returned err, having lasted ms unless it was interrupted (EINTR), and
 * ended at least least_ms after the fork; stop it 100 ms after the fork,
 * continue it stopped_ms later, and return its wait status.  least_ms
 * counts from the fork, as the stop does: the child may start late (it
 * did by more than the slack of a 300 ms bound on a loaded host).
 */
static int
stopped_sleeper(int kind, long ms, int err, long least_ms, long stopped_ms)
{
	int status;
	int64_t forked = monotonic_ms();
	pid_t pid = fork();

	if (pid == 0) {
		int64_t t0 = monotonic_ms();
		int r = sleep_kind(kind, ms);
		int64_t end = monotonic_ms();

		_exit(r == err && (err == EINTR || end - t0 >= ms) &&
		    end - forked >= least_ms ? 0 : 1);
	}
	CHECK(pid > 0);
	usleep(100000);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	usleep((useconds_t)stopped_ms * 1000);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	return status;
}

/*
 * A sleep that a stop interrupted goes on when continued, to its first
 * deadline (the time stopped counts; Linux's restart_syscall), for
 * nanosleep and clock_nanosleep, relative and absolute; a stop past the
 * deadline ends it.  Under a SIGCONT handler it ends with EINTR.
 * restart_syscall with nothing to restart is EINTR.
 */
static void
t_nanosleep_stopped(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	for (int kind = 0; kind < 3; kind++)
		CHECK(stopped_sleeper(kind, 400, 0, 400, 100) == 0);
	CHECK(stopped_sleeper(1, 200, 0, 300, 200) == 0);
	CHECK(sigaction(SIGCONT, &sa, NULL) == 0);
	CHECK(stopped_sleeper(0, 5000, EINTR, 0, 50) == 0);
	CHECK(stopped_sleeper(2, 5000, EINTR, 0, 50) == 0);
	CHECK(syscall(SYS_restart_syscall) == -1 && errno == EINTR);
	signal(SIGCONT, SIG_DFL);
}

/*
 * poll and select that a stop interrupted run again when continued,
 * with the time they had left (Linux's -ERESTARTNOHAND: ppoll and
 * pselect6 hand it back in their timespec), so they end at their timeout
 * and not with EINTR; so does a timed futex wait, through its restart
 * block, to its first deadline.  Under a SIGCONT handler each ends with
 * EINTR, even with SA_RESTART.
 */
static void
t_poll_stopped(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

	CHECK(stopped_sleeper(3, 400, 0, 400, 100) == 0);
	CHECK(stopped_sleeper(4, 400, 0, 400, 100) == 0);
	CHECK(stopped_sleeper(5, 400, ETIMEDOUT, 400, 100) == 0);
	CHECK(stopped_sleeper(6, 400, ETIMEDOUT, 400, 100) == 0);
	CHECK(sigaction(SIGCONT, &sa, NULL) == 0);
	for (int kind = 3; kind <= 6; kind++)
		CHECK(stopped_sleeper(kind, 5000, EINTR, 0, 50) == 0);
	signal(SIGCONT, SIG_DFL);
}

/*
 * A process asleep reading the console must not hold up others writing to
 * it through the same open file (as init's 0, 1 and 2 are).  A helper
 * kills the reader after 2 s, so a regression shows as a slow write.
 */
static void
t_tty_reader_does_not_block_writers(void)
{
	pid_t reader, killer;
	double t0, took;
	int status;
	char c;

	CHECK(isatty(0) && isatty(1));
	reader = fork();
	if (reader == 0)
		_exit(read(0, &c, 1) < 0 ? 0 : 1);
	killer = fork();
	if (killer == 0) {
		sleep(2);
		kill(reader, SIGKILL);
		_exit(0);
	}
	usleep(200000);		/* the reader is asleep in read() by now */
	t0 = monotonic_seconds();
	CHECK(write(1, "", 0) == 0);
	took = monotonic_seconds() - t0;
	kill(reader, SIGKILL);
	kill(killer, SIGKILL);
	CHECK(waitpid(reader, &status, 0) == reader);
	CHECK(waitpid(killer, &status, 0) == killer);
	CHECK(took < 1.0);
}

/* A 32-bit argument with garbage in the upper half of its register. */
#define HI(x)	((1UL << 32) | (unsigned int)(x))

/*
 * Linux converts each argument to its C type: an int is the low 32 bits
 * of its register.  (fcntl F_GETFD/F_SETFD once indexed the close-on-exec
 * table with the whole register and faulted in the kernel.)  The system
 * call number is the whole of a7: one with upper bits set is ENOSYS.
 */
static void
t_syscall_int_args(void)
{
	struct stat st;
	uint64_t oldact[3];
	int fd, fd2;

	write_file(DIR_ "/args", "0123456789");
	fd = open(DIR_ "/args", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(syscall(SYS_fcntl, HI(fd), F_GETFD) == 0);
	CHECK(syscall(SYS_fcntl, HI(fd), F_SETFD, FD_CLOEXEC) == 0);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CHECK(syscall(SYS_fcntl, HI(fd), HI(F_GETFD)) == FD_CLOEXEC);
	CHECK(syscall(SYS_fcntl, 0xffffffff00000000UL | 200, F_GETFD) == -1 &&
	    errno == EBADF);
	CHECK(syscall(SYS_fcntl, HI(fd), F_SETFD, HI(0)) == 0);
	CHECK(fcntl(fd, F_GETFD) == 0);
	CHECK(syscall(SYS_fcntl, HI(fd), F_DUPFD, HI(100)) == 100);
	CHECK(close(100) == 0);
	CHECK(syscall(SYS_lseek, HI(fd), 0, HI(SEEK_END)) == 10);
	fd2 = syscall(SYS_dup, HI(fd));
	CHECK(fd2 > fd);
	CHECK(syscall(SYS_close, HI(fd2)) == 0);
	CHECK(fcntl(fd2, F_GETFD) == -1 && errno == EBADF);
	CHECK(syscall(SYS_close, HI(fd2)) == -1 && errno == EBADF);
	CHECK(syscall(SYS_close, 0xffffffffUL) == -1 && errno == EBADF);
	fd2 = syscall(SYS_openat, HI(AT_FDCWD), DIR_ "/args", HI(O_RDONLY));
	CHECK(fd2 >= 0 && close(fd2) == 0);
	CHECK(syscall(SYS_mkdirat, AT_FDCWD, DIR_ "/argsdir", HI(1 << 16 | 0700)) == 0);
	CHECK(stat(DIR_ "/argsdir", &st) == 0 && (st.st_mode & 07777) == 0700);
	CHECK(rmdir(DIR_ "/argsdir") == 0);
	CHECK(syscall(SYS_kill, HI(getpid()), HI(0)) == 0);
	CHECK(syscall(SYS_kill, getpid(), HI(-1)) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigaction, HI(SIGUSR1), NULL, oldact, 8) == 0);
	CHECK(syscall(SYS_rt_sigaction, -1L, NULL, oldact, 8) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_getpid | (1L << 32)) == -1 && errno == ENOSYS);
	CHECK(syscall(-1L) == -1 && errno == ENOSYS);
	CHECK(close(fd) == 0);
	CHECK(unlink(DIR_ "/args") == 0);
}

/*
 * A kernel address (the direct map), and a length past the top of user
 * space (256 GiB, as on Linux with Sv39), hidden from the compiler's checks.
 */
#define KERNEL_PTR	((void *)0xffffffc000000000UL)
static volatile size_t huge_len = 1UL << 40;
static volatile int iov_too_many = 1025;

/* Two mapped pages and an unmapped one after them. */
static char *
two_pages_then_hole(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(munmap(p + 2 * 4096, 4096) == 0);
	memset(p, 'x', 2 * 4096);
	return p;
}

/* fd's fstat (checked). */
static struct stat
fd_stat(int fd)
{
	struct stat st;

	CHECK(fstat(fd, &st) == 0);
	return st;
}

/*
 * A buffer not entirely in user space is EFAULT before anything happens
 * (Linux's access_ok); an unmapped part of a user buffer ends a read or
 * write with a short count, EFAULT if it is at the start.
 */
static void
t_user_ranges_files(void)
{
	char *p = two_pages_then_hole(), small[16];
	int fd = open(DIR_ "/ranges", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	CHECK(write(fd, small, huge_len) == -1 && errno == EFAULT);
	CHECK(write(fd, KERNEL_PTR, 16) == -1 && errno == EFAULT);
	CHECK(write(fd, KERNEL_PTR, 0) == -1 && errno == EFAULT);
	CHECK(fd_stat(fd).st_size == 0);
	CHECK(write(fd, p + 2 * 4096, 10) == -1 && errno == EFAULT);
	CHECK(fd_stat(fd).st_size == 0);
	/* The mapped prefix is written, and the file grows by it alone. */
	CHECK(write(fd, p + 100, 2 * 4096) == 2 * 4096 - 100);
	CHECK(fd_stat(fd).st_size == 2 * 4096 - 100);
	CHECK(pwrite(fd, p + 4000, 2 * 4096, 10000) == 2 * 4096 - 4000);
	CHECK(fd_stat(fd).st_size == 10000 + 2 * 4096 - 4000);
	CHECK(pwrite(fd, p + 2 * 4096, 10, 100000) == -1 && errno == EFAULT);
	CHECK(fd_stat(fd).st_size == 10000 + 2 * 4096 - 4000);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, small, huge_len) == -1 && errno == EFAULT);
	CHECK(read(fd, KERNEL_PTR, 16) == -1 && errno == EFAULT);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0);
	CHECK(read(fd, p + 4096, 2 * 4096) == 4096);
	CHECK(lseek(fd, 0, SEEK_CUR) == 4096);
	CHECK(pread(fd, p + 2 * 4096 - 10, 100, 0) == 10);
	CHECK(close(fd) == 0);
	CHECK(unlink(DIR_ "/ranges") == 0);
}

/*
 * A write meant to cover a whole page of a file that is not cached, cut
 * short by a fault, keeps the file's data after what arrived.
 */
static void
t_user_ranges_short_overwrite(void)
{
	char *p = two_pages_then_hole(), buf[4096];
	int32_t one = 1;
	int fd = open(DIR_ "/overwrite", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	memset(buf, 'A', sizeof(buf));
	CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK(write(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK(fsync(fd) == 0 && close(fd) == 0);
	CHECK(vmk_sysctl("vfs.drain_caches", NULL, NULL, &one, sizeof(one)) == 0);
	fd = open(DIR_ "/overwrite", O_RDWR);
	CHECK(fd >= 0);
	CHECK(pwrite(fd, p + 2 * 4096 - 1000, 4096, 0) == 1000);
	CHECK(pread(fd, buf, sizeof(buf), 0) == sizeof(buf));
	for (int i = 0; i < 4096; i++)
		CHECK(buf[i] == (i < 1000 ? 'x' : 'A'));
	CHECK(fd_stat(fd).st_size == 2 * 4096);
	CHECK(close(fd) == 0);
	CHECK(unlink(DIR_ "/overwrite") == 0);
}

/* readv and writev check every piece up front; a fault part way is short. */
static void
t_user_ranges_vectors(void)
{
	char *p = two_pages_then_hole(), a[8], b[8];
	struct iovec iov[2] = { { a, 8 }, { KERNEL_PTR, 8 } };
	int fd = open(DIR_ "/vectors", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	CHECK(writev(fd, iov, 2) == -1 && errno == EFAULT);
	CHECK(fd_stat(fd).st_size == 0);
	iov[1].iov_base = p + 2 * 4096;	/* a user address, not mapped */
	memcpy(a, "01234567", 8);
	CHECK(writev(fd, iov, 2) == 8 && fd_stat(fd).st_size == 8);
	iov[1] = (struct iovec){ b, 8 };
	CHECK(pwrite(fd, "89abcdef", 8, 8) == 8);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(readv(fd, iov, 2) == 16 && memcmp(b, "89abcdef", 8) == 0);
	iov[1].iov_len = (size_t)-1;
	CHECK(readv(fd, iov, 2) == -1 && errno == EINVAL);
	iov[1] = (struct iovec){ KERNEL_PTR, 8 };
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(readv(fd, iov, 2) == -1 && errno == EFAULT);
	CHECK(lseek(fd, 0, SEEK_CUR) == 0);
	iov[1].iov_base = p + 2 * 4096;
	CHECK(readv(fd, iov, 2) == 8 && lseek(fd, 0, SEEK_CUR) == 8);
	CHECK(readv(fd, (struct iovec *)KERNEL_PTR, 1) == -1 && errno == EFAULT);
	CHECK(readv(fd, iov, iov_too_many) == -1 && errno == EINVAL);
	CHECK(readv(fd, iov, 0) == 0);
	CHECK(close(fd) == 0);
	CHECK(unlink(DIR_ "/vectors") == 0);
}

/*
 * Pipes and the console: a kernel buffer fails at once (a console read
 * used to wait for input first); bytes a read could not deliver stay in
 * the pipe.
 */
static void
t_user_ranges_pipes_tty(void)
{
	char *p = two_pages_then_hole();
	int fds[2];

	CHECK(read(0, KERNEL_PTR, 10) == -1 && errno == EFAULT);
	CHECK(read(0, p, huge_len) == -1 && errno == EFAULT);
	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], p, 4096) == 4096);
	CHECK(write(fds[1], p, 4096) == 4096);
	CHECK(read(fds[0], p + 4096, 2 * 4096) == 4096);
	CHECK(read(fds[0], p, 2 * 4096) == 4096);
	CHECK(write(fds[1], p + 4096, 2 * 4096) == 4096);
	CHECK(write(fds[1], KERNEL_PTR, 1) == -1 && errno == EFAULT);
	CHECK(read(fds[0], p, 2 * 4096) == 4096);
	CHECK(close(fds[0]) == 0 && close(fds[1]) == 0);
}

/*
 * getrandom caps its count at MAX_RW_COUNT first, as Linux does; then the
 * range must be in user space, and a hole ends it with a short count (it
 * used to write over whatever followed the buffer).  Signal calls copy
 * the old action or mask out after setting the new one.
 */
static void
t_user_ranges_misc(void)
{
	char *p = two_pages_then_hole(), stackbuf[16];
	unsigned long ksa[4] = { (unsigned long)SIG_IGN };	/* the kernel's */
	struct sigaction old;
	sigset_t set, cur;

	memset(stackbuf, 0, sizeof(stackbuf));
	CHECK(getrandom(stackbuf, huge_len, 0) == -1 && errno == EFAULT);
	for (size_t i = 0; i < sizeof(stackbuf); i++)
		CHECK(stackbuf[i] == 0);
	CHECK(getrandom(KERNEL_PTR, 16, 0) == -1 && errno == EFAULT);
	CHECK(getrandom(p + 2 * 4096, 16, 0) == -1 && errno == EFAULT);
	CHECK(getrandom(p + 1000, huge_len, 0) == 2 * 4096 - 1000);
	CHECK(getrandom(p, 16, GRND_RANDOM | GRND_INSECURE) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_rt_sigaction, SIGUSR1, ksa, KERNEL_PTR, 8) == -1 &&
	    errno == EFAULT);
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, KERNEL_PTR) == -1 && errno == EFAULT);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR2));
}

/* A directory read into a buffer that faults keeps the entries that arrived. */
static void
t_user_ranges_getdents(void)
{
	char *p = two_pages_then_hole(), name[64];
	int fd, entries = 0;
	long n;

	CHECK(mkdir(DIR_ "/dents", 0755) == 0);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), DIR_ "/dents/f%02d", i);
		CHECK(close(open(name, O_CREAT | O_WRONLY, 0644)) == 0);
	}
	fd = open(DIR_ "/dents", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK(syscall(SYS_getdents64, fd, KERNEL_PTR, 4096) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_getdents64, fd, p + 2 * 4096 - 10, 4096) == -1 &&
	    errno == EFAULT);
	n = syscall(SYS_getdents64, fd, p + 2 * 4096 - 100, 4096);
	CHECK(n > 0 && n <= 100);
	for (long off = 0; off < n; entries++)
		off += *(unsigned short *)(p + 2 * 4096 - 100 + off + 16);
	while ((n = syscall(SYS_getdents64, fd, p, 4096)) > 0)
		for (long off = 0; off < n; entries++)
			off += *(unsigned short *)(p + off + 16);
	CHECK(n == 0 && entries == 22);		/* ".", ".." and 20 files */
	CHECK(close(fd) == 0);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), DIR_ "/dents/f%02d", i);
		CHECK(unlink(name) == 0);
	}
	CHECK(rmdir(DIR_ "/dents") == 0);
}

/*
 * The largest file ext2 with 4 KiB blocks holds, as Linux computes it (its
 * s_maxbytes: what i_blocks can count, less the indirect blocks).
 */
#define EXT2_4K_MAX	2196873666560L

/*
 * Past the file system's largest file size: truncating up is EFBIG, a
 * write is cut short there and one starting there is EFBIG (without
 * SIGXFSZ, which is for RLIMIT_FSIZE), and lseek past it is EINVAL.
 * (ftruncate to 2^62 used to succeed and leave an i_size e2fsck flags.)
 */
static void
t_file_size_limit(void)
{
	int fd = open(EXT2_ "big", O_RDWR | O_CREAT | O_TRUNC, 0644), afd;
	struct stat st;

	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && st.st_blksize == 4096);
	CHECK(ftruncate(fd, 1L << 62) == -1 && errno == EFBIG);
	CHECK(ftruncate(fd, 1L << 44) == -1 && errno == EFBIG);
	CHECK(ftruncate(fd, EXT2_4K_MAX + 1) == -1 && errno == EFBIG);
	CHECK(truncate(EXT2_ "big", 1L << 62) == -1 && errno == EFBIG);
	CHECK(fd_stat(fd).st_size == 0);
	CHECK(ftruncate(fd, EXT2_4K_MAX) == 0 && fd_stat(fd).st_size == EXT2_4K_MAX);
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(pwrite(fd, "ab", 2, EXT2_4K_MAX - 1) == 1);
	CHECK(fd_stat(fd).st_size == EXT2_4K_MAX);
	CHECK(pwrite(fd, "a", 1, EXT2_4K_MAX) == -1 && errno == EFBIG);
	CHECK(pwrite(fd, "a", 0, EXT2_4K_MAX + 5) == 0);
	CHECK(lseek(fd, EXT2_4K_MAX + 1, SEEK_SET) == -1 && errno == EINVAL);
	CHECK(lseek(fd, 1, SEEK_END) == -1 && errno == EINVAL);
	CHECK(lseek(fd, EXT2_4K_MAX, SEEK_SET) == EXT2_4K_MAX);
	CHECK(write(fd, "a", 1) == -1 && errno == EFBIG);
	afd = open(EXT2_ "big", O_WRONLY | O_APPEND);
	CHECK(afd >= 0 && write(afd, "a", 1) == -1 && errno == EFBIG);
	CHECK(close(afd) == 0);
	CHECK(lseek(fd, 5, SEEK_DATA) == 5);
	CHECK(lseek(fd, 5, SEEK_HOLE) == EXT2_4K_MAX);
	CHECK(lseek(fd, EXT2_4K_MAX, SEEK_DATA) == -1 && errno == ENXIO);
	CHECK(lseek(fd, -1, SEEK_HOLE) == -1 && errno == ENXIO);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0x7ffffffffffff000L) ==
	    MAP_FAILED && errno == EOVERFLOW);
	CHECK(ftruncate(fd, 0) == 0 && close(fd) == 0);
	CHECK(unlink(EXT2_ "big") == 0);
}

/* The kernel's O_LARGEFILE (glibc's riscv64 headers define it as 0). */
#define KERNEL_O_LARGEFILE	0100000

/*
 * fcntl(F_GETFL) shows the access mode and the status flags a file keeps,
 * as Linux: open() drops unknown flags and the open-time ones, and adds
 * O_LARGEFILE on a 64-bit system (checked against the host's kernel;
 * qemu-user hides O_LARGEFILE).
 */
static void
t_fcntl_getfl(void)
{
	int fd = open(DIR_ "/getfl", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOCTTY | O_APPEND | O_SYNC | 0x40000000, 0644), fds[2];

	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFL) == (O_RDWR | O_APPEND | O_SYNC | KERNEL_O_LARGEFILE));
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK | 0x40000000) == 0);
	CHECK(fcntl(fd, F_GETFL) == (O_RDWR | O_NONBLOCK | O_SYNC | KERNEL_O_LARGEFILE));
	CHECK(close(fd) == 0);
	fd = open(DIR_, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFL) == (O_DIRECTORY | O_NOFOLLOW | KERNEL_O_LARGEFILE));
	CHECK(close(fd) == 0);
	CHECK(pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
	CHECK(fcntl(fds[0], F_GETFL) == (O_RDONLY | O_NONBLOCK));
	CHECK(fcntl(fds[1], F_GETFL) == (O_WRONLY | O_NONBLOCK));
	CHECK(close(fds[0]) == 0 && close(fds[1]) == 0);
	CHECK(unlink(DIR_ "/getfl") == 0);
}

/* --- per-hart counters: the harts' values sum to the totals --- */

#define MAX_HARTS	64

/* Sum of vm.stats.percpu.<field>; *harts gets how many values there were. */
static uint64_t
percpu_sum(const char *field, size_t *harts)
{
	uint64_t v[MAX_HARTS], sum = 0;
	size_t len = sizeof(v);
	char name[VMK_SYSCTL_NAME_MAX];

	snprintf(name, sizeof(name), "vm.stats.percpu.%s", field);
	CHECK(vmk_sysctl(name, v, &len, NULL, 0) == 0 && len % 8 == 0);
	*harts = len / 8;
	for (size_t i = 0; i < *harts; i++)
		sum += v[i];
	return sum;
}

/*
 * Each total lies between the sums of the harts' values read just before
 * and just after it (the reads are system calls, and so move v_syscall
 * themselves); there is one value per running hart.
 */
static void
t_counters_percpu_sum(void)
{
	static const char *const fields[][2] = {
		{ "v_vm_faults", "vm" }, { "v_zfod", "vm" }, { "v_forks", "vm" },
		{ "v_swtch", "sys" }, { "v_trap", "sys" }, { "v_syscall", "sys" },
		{ "v_intr", "sys" }, { "v_soft", "sys" },
	};
	uint64_t ncpu = vmk_sysctl_u64("hw.ncpu") % (1ULL << 32);

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char name[VMK_SYSCTL_NAME_MAX];
		uint64_t before, total, after;
		size_t harts;

		snprintf(name, sizeof(name), "vm.stats.%s.%s", fields[i][1],
		    fields[i][0]);
		before = percpu_sum(fields[i][0], &harts);
		CHECK(harts == ncpu);
		total = vmk_sysctl_u64(name);
		after = percpu_sum(fields[i][0], &harts);
		CHECK(before <= total && total <= after);
	}
}

/* System calls, traps (page faults) and context switches are counted. */
static void
t_counters_sys(void)
{
	uint64_t calls = vmk_sysctl_u64("vm.stats.sys.v_syscall");
	uint64_t traps, swtch;
	char *p, c = 'x';
	int to[2], from[2], status;
	pid_t pid;

	for (int i = 0; i < 100; i++)
		syscall(SYS_getppid);
	CHECK(vmk_sysctl_u64("vm.stats.sys.v_syscall") - calls >= 101);
	traps = vmk_sysctl_u64("vm.stats.sys.v_trap");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	CHECK(p != MAP_FAILED);
	*(volatile char *)p = 1;	/* one page fault */
	CHECK(vmk_sysctl_u64("vm.stats.sys.v_trap") - traps >= 1);
	munmap(p, 4096);
	/* Ping-pong: each blocking read gives up the hart. */
	CHECK(pipe(to) == 0 && pipe(from) == 0);
	swtch = vmk_sysctl_u64("vm.stats.sys.v_swtch");
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 10; i++)
			if (read(to[0], &c, 1) != 1 || write(from[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	CHECK(pid > 0);
	for (int i = 0; i < 10; i++)
		CHECK(write(to[1], &c, 1) == 1 && read(from[0], &c, 1) == 1);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(vmk_sysctl_u64("vm.stats.sys.v_swtch") - swtch >= 10);
}

/* kern.cp_time's five states, summed over harts into out. */
static void
cp_time_read(uint64_t out[5])
{
	size_t len = 5 * sizeof(uint64_t);

	CHECK(vmk_sysctl("kern.cp_time", out, &len, NULL, 0) == 0 &&
	    len == 5 * sizeof(uint64_t));
}

/*
 * A tick that interrupts user code is charged to user time; kern.cp_times
 * has a row per hart, and its sums lie between cp_time read before and
 * after it.
 */
static void
t_cp_time_charges_ticks(void)
{
	uint64_t ncpu = vmk_sysctl_u64("hw.ncpu") % (1ULL << 32);
	uint64_t before[5], after[5], rows[8][5], sum[5] = { 0 };
	size_t len = sizeof(rows);
	struct timespec t0, t;

	cp_time_read(before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {	/* spin in user mode for 300 ms: about 30 ticks of this hart */
		for (volatile int i = 0; i < 100000; i++)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t);	/* a system call */
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec -
	    t0.tv_nsec < 300000000L);
	CHECK(vmk_sysctl("kern.cp_times", rows, &len, NULL, 0) == 0);
	cp_time_read(after);
	CHECK(len == ncpu * 5 * sizeof(uint64_t));
	for (size_t cpu = 0; cpu < ncpu; cpu++)
		for (int s = 0; s < 5; s++)
			sum[s] += rows[cpu][s];
	for (int s = 0; s < 5; s++)
		CHECK(before[s] <= sum[s] && sum[s] <= after[s]);
	CHECK(after[0] - before[0] >= 10);	/* user */
	CHECK(after[1] == 0 && after[3] == 0);	/* nice, interrupt: unused */
}

/* vm.vmtotal counts this thread as runnable and a blocked child asleep. */
static void
t_vmtotal(void)
{
	struct vmk_vmtotal t;
	size_t len = sizeof(t);
	uint64_t free_pages;
	int fds[2], status;
	char c;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	usleep(50000);	/* let it block in read */
	free_pages = vmk_sysctl_u64("vm.stats.vm.v_free_count");
	CHECK(vmk_sysctl("vm.vmtotal", &t, &len, NULL, 0) == 0 &&
	    len == sizeof(t));
	CHECK(t.t_rq >= 1 && t.t_sl >= 1 && t.t_sw == 0);
	CHECK(t.t_vm >= t.t_avm && t.t_rm >= t.t_arm && t.t_avm > 0);
	CHECK(t.t_rm > 0 && t.t_vm > t.t_rm);
	CHECK(t.t_free + 256 > free_pages && t.t_free < free_pages + 256);
	close(fds[1]);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	close(fds[0]);
}

/*
 * Struct-valued nodes name their struct (FreeBSD's "S,timeval"); a
 * per-process node named with its argument is a plain value node; the
 * page size and the pages freed are counted as FreeBSD names them.
 */
static void
t_sysctl_bsd_shapes(void)
{
	struct vmk_sysctl_info info;
	size_t ilen = sizeof(info);
	char name[64];
	int64_t tv[2];
	size_t len = sizeof(tv);
	uint64_t tfree;
	char *p;

	CHECK(vmk_sysctl(VMK_SYSCTL_INFO, &info, &ilen, "kern.boottime",
	    sizeof("kern.boottime")) == 0 && strcmp(info.fmt, "S,timeval") == 0);
	CHECK(vmk_sysctl("kern.boottime", tv, &len, NULL, 0) == 0 &&
	    len == sizeof(tv) && tv[1] >= 0 && tv[1] < 1000000 &&
	    tv[0] <= time(NULL));
	ilen = sizeof(info);
	CHECK(vmk_sysctl(VMK_SYSCTL_INFO, &info, &ilen, "vm.vmtotal",
	    sizeof("vm.vmtotal")) == 0 && strcmp(info.fmt, "S,vmtotal") == 0);
	ilen = sizeof(info);
	CHECK(vmk_sysctl(VMK_SYSCTL_INFO, &info, &ilen, "vm.proc.map",
	    sizeof("vm.proc.map")) == 0 && (info.flags & VMK_CTLFLAG_PREFIX));
	snprintf(name, sizeof(name), "vm.proc.map.%d", getpid());
	ilen = sizeof(info);
	CHECK(vmk_sysctl(VMK_SYSCTL_INFO, &info, &ilen, name,
	    strlen(name) + 1) == 0 && !(info.flags & VMK_CTLFLAG_PREFIX) &&
	    info.fmt[0] == '\0');
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_page_size") == 4096);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_page_count") >
	    vmk_sysctl_u64("vm.stats.vm.v_free_count"));
	p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 1, 16 * 4096);
	tfree = vmk_sysctl_u64("vm.stats.vm.v_tfree");
	CHECK(munmap(p, 16 * 4096) == 0);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_tfree") - tfree >= 16);
}

/* vmstat -P: a header, then one line per hart. */
static void
t_vmstat_per_hart(void)
{
	uint64_t ncpu = vmk_sysctl_u64("hw.ncpu") % (1ULL << 32);
	char *vmstat[] = { "/bin/vmstat", "-P", NULL };
	char out[4096], *line;
	size_t lines = 0;

	CHECK(run_capture(vmstat, false, out, sizeof(out)) == 0);
	CHECK(strncmp(out, "hart ", 5) == 0 && strstr(out, " syscalls ") != NULL);
	for (line = strchr(out, '\n'); line != NULL && line[1] != '\0';
	    line = strchr(line + 1, '\n')) {
		unsigned long long hart, faults, calls;

		CHECK(sscanf(line + 1, "%llu %llu %llu", &hart, &faults, &calls) == 3);
		CHECK(hart == lines);
		lines++;
	}
	CHECK(lines == ncpu);
}

/*
 * mknodat: FIFOs, device nodes (their numbers kept in either of ext2's
 * encodings), regular files, and Linux's errors.
 */
static void
t_mknod(void)
{
	struct stat st;
	char c = 'x';
	int fd;

	CHECK(mkfifo(DIR_ "/fifo", 0600) == 0);
	CHECK(stat(DIR_ "/fifo", &st) == 0 && S_ISFIFO(st.st_mode) &&
	    (st.st_mode & 07777) == 0600 && st.st_rdev == 0);
	CHECK(mkfifo(DIR_ "/fifo", 0600) == -1 && errno == EEXIST);
	CHECK(mknod(DIR_ "/plain", 0644, 0) == 0);
	CHECK(stat(DIR_ "/plain", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0);
	CHECK(mknod(DIR_ "/d", S_IFDIR | 0755, 0) == -1 && errno == EPERM);
	CHECK(mknod(DIR_ "/bad", S_IFMT | 0644, 0) == -1 && errno == EINVAL);
	CHECK(mknod("/nonexistent/x", S_IFIFO | 0644, 0) == -1 && errno == ENOENT);
	CHECK(mknod(DIR_ "/slash/", S_IFIFO | 0644, 0) == -1 && errno == ENOENT);
	CHECK(mknod(bad_ptr, S_IFIFO | 0644, 0) == -1 && errno == EFAULT);

	/* A node of /dev/null's number works wherever it is. */
	CHECK(mknod(DIR_ "/null", S_IFCHR | 0666, makedev(1, 3)) == 0);
	CHECK(lstat(DIR_ "/null", &st) == 0 && S_ISCHR(st.st_mode) &&
	    st.st_rdev == makedev(1, 3) && st.st_size == 0);
	fd = open(DIR_ "/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello", 5) == 5 && read(fd, &c, 1) == 0);
	CHECK(pread(fd, &c, 1, 100) == 0 && lseek(fd, 10, SEEK_SET) == 0);
	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
	CHECK(close(fd) == 0);
	/* Numbers past 8 bits each take ext2's new encoding. */
	CHECK(mknod(DIR_ "/big", S_IFCHR | 0600, makedev(300, 70000)) == 0);
	CHECK(stat(DIR_ "/big", &st) == 0 && st.st_rdev == makedev(300, 70000));
	/* No driver, a partition, a disk not there: ENXIO, as on Linux. */
	CHECK(open(DIR_ "/big", O_RDONLY) == -1 && errno == ENXIO);
	CHECK(mknod(DIR_ "/blk", S_IFBLK | 0600, makedev(254, 1)) == 0);
	CHECK(stat(DIR_ "/blk", &st) == 0 && S_ISBLK(st.st_mode) &&
	    st.st_rdev == makedev(254, 1));
	CHECK(open(DIR_ "/blk", O_RDONLY) == -1 && errno == ENXIO);
	CHECK(unlink(DIR_ "/blk") == 0);
	CHECK(mknod(DIR_ "/blk", S_IFBLK | 0600, makedev(254, 7 * 16)) == 0);
	CHECK(open(DIR_ "/blk", O_RDONLY) == -1 && errno == ENXIO);
	CHECK(mknod(DIR_ "/sock", S_IFSOCK | 0600, 0) == 0);
	CHECK(stat(DIR_ "/sock", &st) == 0 && S_ISSOCK(st.st_mode));
	CHECK(open(DIR_ "/sock", O_RDONLY) == -1 && errno == ENXIO);
	CHECK(unlink(DIR_ "/sock") == 0);
	/* The umask applies. */
	umask(077);
	CHECK(mknod(DIR_ "/masked", S_IFCHR | 0666, makedev(1, 5)) == 0);
	CHECK(stat(DIR_ "/masked", &st) == 0 && (st.st_mode & 0777) == 0600);
	/* Removing a node frees no blocks its number might look like
	 * (e2fsck checks the image after the suite). */
	CHECK(unlink(DIR_ "/null") == 0 && unlink(DIR_ "/big") == 0 &&
	    unlink(DIR_ "/blk") == 0 && unlink(DIR_ "/masked") == 0 &&
	    unlink(DIR_ "/fifo") == 0 && unlink(DIR_ "/plain") == 0);
}

/*
 * /dev/vda, the mounted root: readable at any offset and length (the
 * ext2 superblock's magic is at byte 1080), seekable to its end, and
 * not writable while mounted.
 */
static void
t_block_device_read(void)
{
	unsigned char sec[1536], part[300];
	uint64_t size = 0;
	unsigned long sectors = 0;
	struct stat st;
	int fd, ssz = 0;
	void *p;

	CHECK(stat("/dev/vda", &st) == 0 && S_ISBLK(st.st_mode) &&
	    st.st_rdev == makedev(254, 0));
	fd = open("/dev/vda", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size > 0 && size % 512 == 0);
	CHECK(ioctl(fd, BLKGETSIZE, &sectors) == 0 && sectors * 512 == size);
	CHECK(ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == 512);
	CHECK(ioctl(fd, BLKGETSIZE64, bad_ptr) == -1 && errno == EFAULT);
	CHECK(ioctl(fd, TCGETS, part) == -1 && errno == ENOTTY);
	CHECK(fstat(fd, &st) == 0 && S_ISBLK(st.st_mode));
	CHECK(pread(fd, sec, sizeof(sec), 0) == (ssize_t)sizeof(sec));
	CHECK(sec[1080] == 0x53 && sec[1081] == 0xef);	/* EXT2_SUPER_MAGIC */
	/* Unaligned reads see the same bytes; read() advances the offset. */
	CHECK(pread(fd, part, sizeof(part), 1000) == (ssize_t)sizeof(part));
	CHECK(memcmp(part, sec + 1000, sizeof(part)) == 0);
	CHECK(lseek(fd, 1077, SEEK_SET) == 1077);
	CHECK(read(fd, part, 7) == 7 && memcmp(part, sec + 1077, 7) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 1084);
	/* The end: lseek to it, reads there give 0, past it is EINVAL. */
	CHECK(lseek(fd, 0, SEEK_END) == (off_t)size);
	CHECK(read(fd, part, 1) == 0);
	CHECK(pread(fd, part, 100, (off_t)size - 10) == 10);
	CHECK(lseek(fd, 1, SEEK_END) == -1 && errno == EINVAL);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, bad_ptr, 10) == -1 && errno == EFAULT);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p == MAP_FAILED && errno == ENODEV);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(fsync(fd) == 0);
	close(fd);
	/* Mounted: no writers, no exclusive opens. */
	CHECK(open("/dev/vda", O_WRONLY) == -1 && errno == EBUSY);
	CHECK(open("/dev/vda", O_RDONLY | O_EXCL) == -1 && errno == EBUSY);
}

/*
 * /dev/vdb, the scratch disk (unmounted, its sector 0 signed VMKSCRATCH
 * by scripts/mkscratch.py): writes of any length and offset keep the
 * bytes around them, stop at the end (ENOSPC there), and an open writer
 * keeps it from being swapped on.
 */
static void
t_block_device_write(void)
{
	unsigned char before[2048], after[2048], saved[2048], sig[32], tail[8];
	uint64_t size = 0;
	off_t at;
	int fd;

	fd = open("/dev/vdb", O_RDWR);
	CHECK(fd >= 0);
	CHECK(pread(fd, sig, sizeof(sig), 0) == (ssize_t)sizeof(sig) &&
	    memcmp(sig + 16, "VMKSCRATCH", 10) == 0);
	CHECK(ioctl(fd, BLKGETSIZE64, &size) == 0 && size >= 1 << 20);
	at = (off_t)(size / 2);
	CHECK(pread(fd, before, sizeof(before), at) == (ssize_t)sizeof(before));
	CHECK(pread(fd, saved, sizeof(before), at) == (ssize_t)sizeof(before));
	CHECK(pread(fd, tail, sizeof(tail), (off_t)size - 8) == 8);
	/* Across a sector boundary, within one sector, and whole sectors. */
	CHECK(pwrite(fd, "HELLO", 5, at + 510) == 5);
	CHECK(pwrite(fd, "abc", 3, at + 1030) == 3);
	memset(after, 'z', 512);
	CHECK(pwrite(fd, after, 512, at + 1536) == 512);
	CHECK(pread(fd, after, sizeof(after), at) == (ssize_t)sizeof(after));
	memcpy(before + 510, "HELLO", 5);
	memcpy(before + 1030, "abc", 3);
	memset(before + 1536, 'z', 512);
	CHECK(memcmp(before, after, sizeof(before)) == 0);
	/* The end: a short write up to it, then ENOSPC. */
	CHECK(pwrite(fd, "12345678", 8, (off_t)size - 3) == 3);
	CHECK(pwrite(fd, "1", 1, (off_t)size) == -1 && errno == ENOSPC);
	CHECK(pwrite(fd, bad_ptr, 10, at) == -1 && errno == EFAULT);
	/* Put back what the tests of the disk (tests/kernel/test_blk.c)
	 * expect to find there. */
	CHECK(pwrite(fd, saved, sizeof(saved), at) == (ssize_t)sizeof(saved));
	CHECK(pwrite(fd, tail, sizeof(tail), (off_t)size - 8) == 8);
	/* Open for writing: not swapped on, not mounted over. */
	CHECK(swapon("/dev/vdb", 0) == -1 && errno == EBUSY);
	CHECK(fsync(fd) == 0 && close(fd) == 0);
	CHECK(swapon("/dev/vdb", 0) == -1 && errno == EINVAL);	/* no mkswap */
	fd = open("/dev/vdb", O_RDONLY | O_EXCL);	/* free again */
	CHECK(fd >= 0 && close(fd) == 0);
}

/* /dev's memory devices and terminal, made by init. */
static void
t_dev_nodes(void)
{
	unsigned char buf[256], buf2[256];
	struct stat st;
	int fd, zeros = 0;

	fd = open("/dev/zero", O_RDWR);
	CHECK(fd >= 0);
	memset(buf, 0xff, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0);
	CHECK(write(fd, buf, 10) == 10);
	CHECK(read(fd, bad_ptr, 10) == -1 && errno == EFAULT);
	CHECK(fstat(fd, &st) == 0 && st.st_rdev == makedev(1, 5));
	close(fd);

	fd = open("/dev/full", O_RDWR);
	CHECK(fd >= 0);
	CHECK(write(fd, "x", 1) == -1 && errno == ENOSPC);
	CHECK(read(fd, buf, 4) == 4 && buf[0] == 0);
	close(fd);

	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0 && read(fd, buf, 4) == 0 && write(fd, buf, 4) == 4);
	close(fd);

	fd = open("/dev/urandom", O_RDWR);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK(read(fd, buf2, sizeof(buf2)) == sizeof(buf2));
	CHECK(memcmp(buf, buf2, sizeof(buf)) != 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros += buf[i] == 0;
	CHECK(zeros < 32);
	CHECK(write(fd, "seed", 4) == 4);
	close(fd);
	CHECK(open("/dev/random", O_RDONLY) >= 0);

	fd = open("/dev/tty", O_RDWR);
	CHECK(fd >= 0 && isatty(fd));
	CHECK(lseek(fd, 0, SEEK_CUR) == -1 && errno == ESPIPE);
	close(fd);
	CHECK(stat("/dev/console", &st) == 0 && S_ISCHR(st.st_mode) &&
	    st.st_rdev == makedev(5, 1));
}

#define EXT2_SUPER_MAGIC	0xef53
#define PIPEFS_MAGIC		0x50495045

static void
t_statfs(void)
{
	struct statfs a, b;
	int fd, fds[2];

	CHECK(statfs("/", &a) == 0);
	CHECK(a.f_type == EXT2_SUPER_MAGIC && a.f_bsize == 4096 &&
	    a.f_frsize == 4096 && a.f_namelen == 255);
	CHECK(a.f_blocks > 0 && a.f_bfree <= a.f_blocks && a.f_bavail <= a.f_bfree);
	CHECK(a.f_files > 0 && a.f_ffree <= a.f_files);
	fd = open("/README", O_RDONLY);
	CHECK(fd >= 0 && fstatfs(fd, &b) == 0);
	CHECK(b.f_type == a.f_type && b.f_blocks == a.f_blocks &&
	    memcmp(&b.f_fsid, &a.f_fsid, sizeof(a.f_fsid)) == 0);
	close(fd);
	CHECK(pipe(fds) == 0 && fstatfs(fds[0], &b) == 0 && b.f_type == PIPEFS_MAGIC);
	CHECK(statfs("/nonexistent", &a) == -1 && errno == ENOENT);
	CHECK(statfs("/", bad_ptr) == -1 && errno == EFAULT);
	CHECK(statfs(bad_ptr, &a) == -1 && errno == EFAULT);
	CHECK(fstatfs(999, &a) == -1 && errno == EBADF);
}

/* Everyone is root, with no supplementary groups. */
static void
t_ids(void)
{
	uid_t r = 1, e = 1, sv = 1;
	gid_t g = 1, eg = 1, sg = 1, list[4];

	CHECK(getresuid(&r, &e, &sv) == 0 && r == 0 && e == 0 && sv == 0);
	CHECK(getresgid(&g, &eg, &sg) == 0 && g == 0 && eg == 0 && sg == 0);
	CHECK(getresuid(&r, bad_ptr, &sv) == -1 && errno == EFAULT);
	CHECK(getresgid(bad_ptr, &eg, &sg) == -1 && errno == EFAULT);
	CHECK(getgroups(0, NULL) == 0 && getgroups(4, list) == 0);
	CHECK(syscall(SYS_getgroups, -1, list) == -1 && errno == EINVAL);
}

/* syslog(2), dmesg's call: read all, the newest bytes, clear. */
static void
t_syslog(void)
{
	static char buf[65536];
	int size = klogctl(10, NULL, 0), n, after;

	CHECK(size > 0);
	n = klogctl(3, buf, sizeof(buf) - 1);
	CHECK(n > 0 && n <= size);
	buf[n] = '\0';
	CHECK(strstr(buf, "vmk: a Mach/BSD-style VM kernel") != NULL ||
	    n == size);
	CHECK(klogctl(3, buf, 5) == 5);
	CHECK(klogctl(3, buf, 0) == 0);
	CHECK(klogctl(3, NULL, 10) == -1 && errno == EINVAL);
	CHECK(klogctl(3, buf, -1) == -1 && errno == EINVAL);
	CHECK(klogctl(3, bad_ptr, 10) == -1 && errno == EFAULT);
	CHECK(klogctl(99, buf, 10) == -1 && errno == EINVAL);
	CHECK(klogctl(8, NULL, 9) == -1 && errno == EINVAL);
	CHECK(klogctl(8, NULL, 4) == 0);
	/* After a clear, only what came since (nothing, or a line another
	 * test made the kernel log) is left. */
	CHECK(klogctl(5, NULL, 0) == 0);
	after = klogctl(3, buf, sizeof(buf));
	CHECK(after >= 0 && after < n);
}

static void
on_usr1_noop(int sig)
{
	(void)sig;
}

/*
 * syslog's destructive READ (2) and its count (9): a read takes what was
 * not read yet; with nothing new it waits, here until a crashing child
 * makes the kernel log its line, or until a signal (EINTR).
 */
static void
t_syslog_read(void)
{
	static char buf[65536];
	char needle[32];
	int n, fds[2], status;
	pid_t reader, crasher;

	n = klogctl(9, NULL, 0);
	CHECK(n >= 0 && n <= klogctl(10, NULL, 0));
	while (klogctl(9, NULL, 0) > 0)
		CHECK(klogctl(2, buf, sizeof(buf)) > 0);
	CHECK(klogctl(9, NULL, 0) == 0);
	CHECK(klogctl(2, NULL, 10) == -1 && errno == EINVAL);
	CHECK(klogctl(2, buf, -1) == -1 && errno == EINVAL);
	CHECK(klogctl(2, buf, 0) == 0);
	/* Nothing to read: the reader waits for the crash's line. */
	CHECK(pipe(fds) == 0);
	reader = fork();
	if (reader == 0) {
		n = klogctl(2, buf, sizeof(buf) - 1);
		if (n > 0)
			CHECK(write(fds[1], buf, (size_t)n) == n);
		_exit(n > 0 ? 0 : 1);
	}
	close(fds[1]);
	usleep(100000);
	CHECK(waitpid(reader, &status, WNOHANG) == 0);	/* still waiting */
	crasher = fork_faulting(false);
	CHECK(waitpid(reader, &status, 0) == reader && status == 0);
	n = (int)read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	CHECK(n > 0);
	buf[n] = '\0';
	snprintf(needle, sizeof(needle), "pid %d ", crasher);
	CHECK(strstr(buf, needle) != NULL);
	/* A signal (its handler without SA_RESTART) ends the wait. */
	reader = fork();
	if (reader == 0) {
		struct sigaction sa = { .sa_handler = on_usr1_noop };

		sigaction(SIGUSR1, &sa, NULL);
		while (klogctl(9, NULL, 0) > 0)
			klogctl(2, buf, sizeof(buf));
		_exit(klogctl(2, buf, sizeof(buf)) == -1 && errno == EINTR ? 0 : 1);
	}
	usleep(100000);
	CHECK(kill(reader, SIGUSR1) == 0);
	CHECK(waitpid(reader, &status, 0) == reader && status == 0);
}

/* sendfile: file to file, pipe and device, with and without an offset. */
static void
t_sendfile(void)
{
	static char data[10000], back[10000];
	int in, out, wo, app, fds[2];
	off_t off;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	in = open(DIR_ "/src", O_RDWR | O_CREAT | O_TRUNC, 0644);
	out = open(DIR_ "/dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(in >= 0 && out >= 0);
	CHECK(write(in, data, sizeof(data)) == sizeof(data));
	CHECK(lseek(in, 0, SEEK_SET) == 0);
	/* No offset: in's own advances, to its end. */
	CHECK(sendfile(out, in, NULL, 1 << 20) == sizeof(data));
	CHECK(lseek(in, 0, SEEK_CUR) == sizeof(data));
	CHECK(pread(out, back, sizeof(back), 0) == sizeof(back));
	CHECK(memcmp(data, back, sizeof(data)) == 0);
	CHECK(sendfile(out, in, NULL, 10) == 0);
	/* An offset: it advances, in's own does not. */
	off = 100;
	CHECK(pipe(fds) == 0);
	CHECK(sendfile(fds[1], in, &off, 50) == 50 && off == 150);
	CHECK(lseek(in, 0, SEEK_CUR) == sizeof(data));
	CHECK(read(fds[0], back, sizeof(back)) == 50 && memcmp(back, data + 100, 50) == 0);
	off = sizeof(data);
	CHECK(sendfile(fds[1], in, &off, 50) == 0 && off == sizeof(data));
	wo = open("/dev/null", O_WRONLY);
	off = 0;
	CHECK(wo >= 0 && sendfile(wo, in, &off, sizeof(data)) == sizeof(data));
	/* Errors, in Linux's order. */
	CHECK(sendfile(out, 999, NULL, 1) == -1 && errno == EBADF);
	CHECK(sendfile(out, wo, NULL, 1) == -1 && errno == EBADF);
	CHECK(sendfile(out, fds[0], NULL, 1) == -1 && errno == EINVAL);
	CHECK(sendfile(999, in, NULL, 1) == -1 && errno == EBADF);
	CHECK(sendfile(fds[0], in, NULL, 1) == -1 && errno == EBADF);
	app = open(DIR_ "/dst", O_WRONLY | O_APPEND);
	CHECK(app >= 0 && sendfile(app, in, NULL, 1) == -1 && errno == EINVAL);
	CHECK(sendfile(out, in, bad_ptr, 1) == -1 && errno == EFAULT);
	off = -1;
	CHECK(sendfile(out, in, &off, 1) == -1 && errno == EINVAL);
	close(in);
	close(out);
	close(wo);
	close(app);
	CHECK(unlink(DIR_ "/src") == 0 && unlink(DIR_ "/dst") == 0);
}

/* linkat: a second name for a file, and Linux's errors. */
static void
t_link(void)
{
	struct stat a, b;
	char buf[8] = "";
	int fd;

	write_file(DIR_ "/orig", "data");
	CHECK(link(DIR_ "/orig", DIR_ "/hard") == 0);
	CHECK(stat(DIR_ "/orig", &a) == 0 && stat(DIR_ "/hard", &b) == 0);
	CHECK(a.st_ino == b.st_ino && a.st_nlink == 2 && b.st_nlink == 2);
	CHECK(unlink(DIR_ "/orig") == 0);
	fd = open(DIR_ "/hard", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 4) == 4 && memcmp(buf, "data", 4) == 0);
	CHECK(fstat(fd, &b) == 0 && b.st_nlink == 1);
	/* AT_EMPTY_PATH: the open file itself. */
	CHECK(linkat(fd, "", AT_FDCWD, DIR_ "/fromfd", AT_EMPTY_PATH) == 0);
	CHECK(stat(DIR_ "/fromfd", &a) == 0 && a.st_ino == b.st_ino && a.st_nlink == 2);
	close(fd);
	/* A symlink is linked itself unless AT_SYMLINK_FOLLOW. */
	CHECK(symlink("hard", DIR_ "/sym") == 0);
	CHECK(linkat(AT_FDCWD, DIR_ "/sym", AT_FDCWD, DIR_ "/sym2", 0) == 0);
	CHECK(lstat(DIR_ "/sym2", &a) == 0 && S_ISLNK(a.st_mode));
	CHECK(linkat(AT_FDCWD, DIR_ "/sym", AT_FDCWD, DIR_ "/viasym",
	    AT_SYMLINK_FOLLOW) == 0);
	CHECK(lstat(DIR_ "/viasym", &a) == 0 && S_ISREG(a.st_mode) && a.st_nlink == 3);
	/* Errors. */
	CHECK(link(DIR_ "/hard", DIR_ "/fromfd") == -1 && errno == EEXIST);
	CHECK(link(DIR_ "/none", DIR_ "/x") == -1 && errno == ENOENT);
	CHECK(link(DIR_, DIR_ "/dirlink") == -1 && errno == EPERM);
	CHECK(link(DIR_ "/hard", "/nonexistent/x") == -1 && errno == ENOENT);
	CHECK(link(DIR_ "/hard", DIR_ "/slash/") == -1 && errno == ENOENT);
	CHECK(link(bad_ptr, DIR_ "/x") == -1 && errno == EFAULT);
	CHECK(link(DIR_ "/hard", bad_ptr) == -1 && errno == EFAULT);
	CHECK(linkat(AT_FDCWD, DIR_ "/hard", AT_FDCWD, DIR_ "/x", 0x8) == -1 &&
	    errno == EINVAL);
	CHECK(unlink(DIR_ "/hard") == 0 && unlink(DIR_ "/fromfd") == 0 &&
	    unlink(DIR_ "/viasym") == 0 && unlink(DIR_ "/sym") == 0 &&
	    unlink(DIR_ "/sym2") == 0);
}

/* fchownat/fchown: ids of 32 bits, -1 keeps one, set-id bits cleared. */
static void
t_chown(void)
{
	struct stat st;
	int fd;

	write_file(DIR_ "/owned", "x");
	CHECK(chown(DIR_ "/owned", 1000, 100) == 0);
	CHECK(stat(DIR_ "/owned", &st) == 0 && st.st_uid == 1000 && st.st_gid == 100);
	CHECK(chown(DIR_ "/owned", -1, 70000) == 0);
	CHECK(stat(DIR_ "/owned", &st) == 0 && st.st_uid == 1000 && st.st_gid == 70000);
	CHECK(chmod(DIR_ "/owned", 06755) == 0);
	CHECK(chown(DIR_ "/owned", 0, 0) == 0);
	CHECK(stat(DIR_ "/owned", &st) == 0 && (st.st_mode & 07777) == 0755);
	CHECK(chmod(DIR_ "/owned", 02745) == 0 && chown(DIR_ "/owned", 5, -1) == 0);
	CHECK(stat(DIR_ "/owned", &st) == 0 && (st.st_mode & 07777) == 02745);
	fd = open(DIR_ "/owned", O_RDONLY);
	CHECK(fd >= 0 && fchown(fd, 7, 8) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_uid == 7 && st.st_gid == 8);
	CHECK(fchownat(fd, "", 9, 9, AT_EMPTY_PATH) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_uid == 9);
	close(fd);
	/* A symlink's own ids with AT_SYMLINK_NOFOLLOW (lchown). */
	CHECK(symlink("owned", DIR_ "/osym") == 0);
	CHECK(lchown(DIR_ "/osym", 3, 3) == 0);
	CHECK(lstat(DIR_ "/osym", &st) == 0 && st.st_uid == 3);
	CHECK(stat(DIR_ "/osym", &st) == 0 && st.st_uid == 9);
	/* Errors. */
	CHECK(chown(DIR_ "/none", 0, 0) == -1 && errno == ENOENT);
	CHECK(chown(bad_ptr, 0, 0) == -1 && errno == EFAULT);
	CHECK(fchown(999, 0, 0) == -1 && errno == EBADF);
	CHECK(fchownat(AT_FDCWD, DIR_ "/owned", 0, 0, 0x8) == -1 && errno == EINVAL);
	CHECK(unlink(DIR_ "/osym") == 0 && unlink(DIR_ "/owned") == 0);
}

/* A FIFO made by mknod: open's rendezvous, data, and the ends' rules. */
static void
t_fifo(void)
{
	struct stat a, b;
	char buf[16];
	int r, w, rw, status;
	pid_t pid;

	CHECK(mkfifo(DIR_ "/ff", 0644) == 0);
	/* Non-blocking: a reader needs nobody, a writer needs a reader. */
	CHECK(open(DIR_ "/ff", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO);
	r = open(DIR_ "/ff", O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0 && read(r, buf, sizeof(buf)) == 0);
	w = open(DIR_ "/ff", O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0 && write(w, "abc", 3) == 3);
	CHECK(read(r, buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(read(r, buf, sizeof(buf)) == -1 && errno == EAGAIN);
	CHECK(fstat(r, &a) == 0 && stat(DIR_ "/ff", &b) == 0);
	CHECK(S_ISFIFO(a.st_mode) && a.st_ino == b.st_ino);
	CHECK(lseek(r, 0, SEEK_SET) == -1 && errno == ESPIPE);
	close(w);
	CHECK(read(r, buf, sizeof(buf)) == 0);		/* no writer: end */
	close(r);
	/* Blocking opens wait for each other. */
	pid = fork();
	if (pid == 0) {
		int fd = open(DIR_ "/ff", O_WRONLY);

		_exit(fd >= 0 && write(fd, "hello", 5) == 5 ? 0 : 1);
	}
	CHECK(pid > 0);
	r = open(DIR_ "/ff", O_RDONLY);
	CHECK(r >= 0);
	CHECK(read(r, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(read(r, buf, sizeof(buf)) == 0);
	close(r);
	/* O_RDWR waits for nobody. */
	rw = open(DIR_ "/ff", O_RDWR);
	CHECK(rw >= 0 && write(rw, "x", 1) == 1 && read(rw, buf, 1) == 1);
	close(rw);
	/* A reader killed while its open waits leaves no reader behind. */
	pid = fork();
	if (pid == 0) {
		open(DIR_ "/ff", O_RDONLY);
		_exit(0);
	}
	CHECK(pid > 0);
	usleep(100000);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
	CHECK(open(DIR_ "/ff", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO);
	CHECK(unlink(DIR_ "/ff") == 0);
}

/* ---- /proc (procfs) ---- */

/* The whole of a /proc file into buf (NUL-terminated); its length or -1. */
static ssize_t
proc_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r = 0;

	if (fd < 0)
		return -1;
	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -1 : (ssize_t)n;
}

/* The number after "name" (a line's start) in text, or -1. */
static long long
proc_field(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *l = text; l != NULL && *l != '\0';
	    l = strchr(l, '\n') != NULL ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, name, len) == 0)
			return strtoll(l + len, NULL, 10);
	return -1;
}

/* This process's resident pages: statm's second field (the pmap's count). */
static long
rss_pages(void)
{
	char buf[128];
	long size, resident;

	CHECK(proc_read("/proc/self/statm", buf, sizeof(buf)) > 0);
	CHECK(sscanf(buf, "%ld %ld", &size, &resident) == 2);
	return resident;
}

/*
 * The resident count stays exact when a fault replaces a mapping: a COW
 * copy (the child still shares the pages) and a rename (it exited) each
 * swap one mapped page for another, and unmapping then takes them all.
 * Each figure is taken twice and the second kept: the first call's own
 * faults (its stack's COW faults after the fork, and their prefaults)
 * are then behind it.
 */
static void
t_rss_exact_across_cow(void)
{
	enum { N = 64 };
	char *p = mmap(NULL, N * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int go[2], status;
	long before;
	pid_t pid;

	CHECK(p != MAP_FAILED && pipe(go) == 0);
	for (int i = 0; i < N; i++)
		p[i * 4096] = 1;
	pid = fork();
	if (pid == 0) {
		char c;

		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	close(go[0]);
	before = (rss_pages(), rss_pages());
	for (int i = 0; i < N / 2; i++)
		p[i * 4096] = 2;	/* copies: the child shares them */
	CHECK(rss_pages() == before);
	close(go[1]);
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
	before = (rss_pages(), rss_pages());
	for (int i = N / 2; i < N; i++)
		p[i * 4096] = 3;	/* renames (or upgrades): no sharer */
	CHECK(rss_pages() == before);
	CHECK(munmap(p, N * 4096) == 0);
	CHECK(rss_pages() == before - N);
}

/* Fields separated by blanks in text (a stat line). */
static int
proc_count_fields(const char *text)
{
	int n = 0;

	for (const char *s = text; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n' && (s == text || s[-1] == ' '))
			n++;
	return n;
}

static long long
proc_meminfo_kb(const char *name)
{
	static char buf[4096];

	return proc_read("/proc/meminfo", buf, sizeof(buf)) > 0 ?
	    proc_field(buf, name) : -1;
}

static void
t_proc_system_files(void)
{
	static char buf[16384];
	int ncpu = 0, lines = 0;
	size_t len = sizeof(ncpu);
	double up, idle, l1, l5, l15;
	int run, all, last;

	CHECK(vmk_sysctl("hw.ncpu", &ncpu, &len, NULL, 0) == 0 && ncpu > 0);
	CHECK(proc_read("/proc/meminfo", buf, sizeof(buf)) > 0);
	CHECK(proc_field(buf, "MemTotal:") > 0 && proc_field(buf, "MemFree:") > 0);
	CHECK(proc_field(buf, "MemFree:") <= proc_field(buf, "MemTotal:"));
	CHECK(proc_field(buf, "MemAvailable:") >= proc_field(buf, "MemFree:"));
	CHECK(proc_field(buf, "Cached:") >= 0 && proc_field(buf, "SwapFree:") >= 0);
	CHECK(proc_field(buf, "SwapTotal:") == 0 && proc_field(buf, "Dirty:") == 0);
	CHECK(strstr(buf, "MemTotal:") == buf && strstr(buf, " kB\n") != NULL);
	CHECK(proc_read("/proc/uptime", buf, sizeof(buf)) > 0);
	CHECK(sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0);
	CHECK(proc_read("/proc/loadavg", buf, sizeof(buf)) > 0);
	CHECK(sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &all,
	    &last) == 6);
	CHECK(l1 >= 0 && run >= 1 && all >= run && last > 0);
	CHECK(proc_read("/proc/stat", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "cpu  ", 5) == 0);
	for (char *l = buf; (l = strstr(l, "\ncpu")) != NULL; l++)
		lines++;
	CHECK(lines == ncpu);			/* cpu0 .. cpuN-1 */
	CHECK(proc_field(buf, "ctxt ") > 0 && proc_field(buf, "btime ") >= 0);
	CHECK(proc_field(buf, "processes ") > 0 && proc_field(buf, "intr ") > 0);
	CHECK(proc_field(buf, "procs_running ") >= 1);
	CHECK(proc_field(buf, "procs_blocked ") >= 0);
	CHECK(proc_read("/proc/cpuinfo", buf, sizeof(buf)) > 0);
	lines = 0;
	for (char *l = buf; (l = strstr(l, "processor\t: ")) != NULL; l++)
		lines++;
	CHECK(lines == ncpu && strstr(buf, "\nisa\t\t: rv64") != NULL);
	CHECK(strstr(buf, "\nmmu\t\t: sv") != NULL);
	CHECK(proc_read("/proc/vmstat", buf, sizeof(buf)) > 0);
	CHECK(proc_field(buf, "pgfault ") > 0 && proc_field(buf, "pgfree ") > 0);
	CHECK(proc_field(buf, "pswpin ") == 0 && proc_field(buf, "pgmajfault ") >= 0);
	CHECK(proc_read("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "32768\n") == 0);
}

static void
t_proc_self(void)
{
	char buf[4096], path[64], want[64];
	struct stat st;
	int n;

	CHECK((n = (int)readlink("/proc/self", buf, sizeof(buf))) > 0);
	buf[n] = '\0';
	CHECK(atoi(buf) == getpid());
	CHECK(proc_read("/proc/self/stat", buf, sizeof(buf)) > 0);
	CHECK(proc_count_fields(buf) == 52);
	snprintf(want, sizeof(want), "%d (utest) R %d ", getpid(), getppid());
	CHECK(strncmp(buf, want, strlen(want)) == 0);
	CHECK(proc_read("/proc/self/status", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "Name:\tutest\n", 12) == 0);
	CHECK(proc_field(buf, "Pid:\t") == getpid());
	CHECK(proc_field(buf, "Tgid:\t") == getpid());
	CHECK(proc_field(buf, "PPid:\t") == getppid());
	CHECK(proc_field(buf, "Threads:\t") == 1);
	CHECK(proc_field(buf, "VmSize:\t") > 0 && proc_field(buf, "VmRSS:\t") > 0);
	CHECK(strstr(buf, "\nSigBlk:\t") != NULL && strstr(buf, "\nSigCgt:\t") != NULL);
	CHECK(proc_read("/proc/self/statm", buf, sizeof(buf)) > 0);
	CHECK(proc_count_fields(buf) == 7 && atol(buf) > 0);
	CHECK(proc_read("/proc/self/comm", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "utest\n") == 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
	CHECK(proc_read(path, buf, sizeof(buf)) > 0 && proc_count_fields(buf) == 52);
	CHECK(atoi(buf) == getpid());
	CHECK(chdir(DIR_) == 0);
	CHECK((n = (int)readlink("/proc/self/cwd", buf, sizeof(buf))) > 0);
	buf[n] = '\0';
	CHECK(strcmp(buf, DIR_) == 0);
	CHECK(chdir("/") == 0);
	CHECK(readlink("/proc/self/root", buf, sizeof(buf)) == 1 && buf[0] == '/');
	CHECK(stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(stat("/proc/meminfo", &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 0777) == 0444 && st.st_size == 0);
}

/* fd/N names what is open on N: a file by its path, a pipe by its inode. */
static void
t_proc_fd(void)
{
	char buf[256], path[64], want[64];
	int fds[2], fd, n, found = 0;
	struct stat st;
	struct dirent *e;
	DIR *d;

	CHECK(chdir(DIR_) == 0);
	fd = open("fdfile", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0 && chdir("/") == 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK((n = (int)readlink(path, buf, sizeof(buf))) > 0);
	buf[n] = '\0';
	CHECK(strcmp(buf, DIR_ "/fdfile") == 0);
	CHECK(pipe(fds) == 0 && fstat(fds[0], &st) == 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
	snprintf(want, sizeof(want), "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK((n = (int)readlink(path, buf, sizeof(buf))) > 0);
	buf[n] = '\0';
	CHECK(strcmp(buf, want) == 0);
	d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		found += atoi(e->d_name) == fd || atoi(e->d_name) == fds[0] ||
		    atoi(e->d_name) == fds[1];
	closedir(d);
	CHECK(found == 3);
	close(fds[0]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	CHECK(readlink(path, buf, sizeof(buf)) == -1 && errno == ENOENT);
	close(fds[1]);
	close(fd);
	CHECK(unlink(DIR_ "/fdfile") == 0);
}

/* The user ticks of /proc/stat's cpu line. */
static long long
proc_user_ticks(void)
{
	static char buf[4096];
	long long user = -1;

	if (proc_read("/proc/stat", buf, sizeof(buf)) > 0)
		sscanf(buf, "cpu %lld", &user);
	return user;
}

/*
 * Two spinning children raise the load average within one sample (every
 * 5 s, as Linux) and the user ticks of /proc/stat.
 */
static void
t_proc_loadavg_moves(void)
{
	static char buf[256];
	long long user0 = proc_user_ticks();
	pid_t kids[2];
	double l1 = 0;
	int status;

	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				;
		CHECK(kids[i] > 0);
	}
	sleep(6);
	CHECK(proc_read("/proc/loadavg", buf, sizeof(buf)) > 0);
	CHECK(sscanf(buf, "%lf", &l1) == 1 && l1 >= 0.05);
	CHECK(proc_user_ticks() - user0 >= 100);	/* 6 s of two spinners */
	for (int i = 0; i < 2; i++)
		CHECK(kill(kids[i], SIGKILL) == 0 &&
		    waitpid(kids[i], &status, 0) == kids[i]);
}

/* mounts lists the root and /proc; smaps has a block per maps line; exe. */
static void
t_proc_mounts_smaps_exe(void)
{
	static char maps[65536], smaps[262144];
	size_t lines = 0, blocks = 0;
	char buf[256];
	int n;

	CHECK(proc_read("/proc/mounts", buf, sizeof(buf)) > 0);
	CHECK(strncmp(buf, "/dev/vda / ext2 rw 0 0\n", 23) == 0);
	CHECK(strstr(buf, "\nproc /proc proc rw 0 0\n") != NULL);
	CHECK(proc_read("/proc/self/maps", maps, sizeof(maps)) > 0);
	CHECK(proc_read("/proc/self/smaps", smaps, sizeof(smaps)) > 0);
	for (char *l = maps; *l != '\0'; l = strchr(l, '\n') + 1)
		lines++;
	for (char *l = smaps; (l = strstr(l, "\nSize:")) != NULL; l++)
		blocks++;
	CHECK(lines == blocks && strncmp(smaps, maps, strchr(maps, '\n') - maps) == 0);
	CHECK(strstr(smaps, "\nRss:") != NULL && strstr(smaps, "\nAnonymous:") != NULL);
	CHECK((n = (int)readlink("/proc/self/exe", buf, sizeof(buf))) > 0);
	buf[n] = '\0';
	CHECK(strcmp(buf, "/test/utest") == 0);
	CHECK((n = (int)readlink("/proc/1/exe", buf, sizeof(buf))) > 0);
	buf[n] = '\0';
	CHECK(strcmp(buf, "/sbin/init") == 0);
}

/* A child's cmdline is the argv it was exec'd with; it is gone once reaped. */
static void
t_proc_child_cmdline(void)
{
	char buf[256], path[64];
	int status, tries = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/sleep", "sleep", "30", (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	while (proc_read(path, buf, sizeof(buf)) > 0 && strcmp(buf, "sleep\n") != 0 &&
	    tries++ < 200)
		usleep(10000);
	CHECK(strcmp(buf, "sleep\n") == 0);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	CHECK(proc_read(path, buf, sizeof(buf)) == 9 &&
	    memcmp(buf, "sleep\0" "30\0", 9) == 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	tries = 0;	/* once it sleeps in nanosleep: S */
	while (proc_read(path, buf, sizeof(buf)) > 0 &&
	    strstr(buf, " (sleep) S ") == NULL && tries++ < 200)
		usleep(10000);
	CHECK(atoi(buf) == pid && strstr(buf, " (sleep) S ") != NULL);
	CHECK(kill(pid, SIGKILL) == 0 && waitpid(pid, &status, 0) == pid);
	CHECK(open(path, O_RDONLY) == -1 && errno == ENOENT);
	snprintf(path, sizeof(path), "/proc/%d", pid);
	CHECK(access(path, F_OK) == -1 && errno == ENOENT);
}

/* An open /proc/PID file keeps working until its process is reaped: ESRCH. */
static void
t_proc_file_outlives_process(void)
{
	char buf[512], path[64];
	int fd, status;
	pid_t pid = fork();

	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK(pid > 0);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	CHECK(kill(pid, SIGKILL) == 0);
	usleep(100000);				/* a zombie: still there */
	CHECK(pread(fd, buf, sizeof(buf), 0) > 0 && strstr(buf, "State:\tZ") != NULL);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(pread(fd, buf, sizeof(buf), 0) == -1 && errno == ESRCH);
	CHECK(close(fd) == 0);
}

/* MemFree falls by what a process touches and comes back when it unmaps. */
static void
t_proc_meminfo_moves(void)
{
	size_t len = 64UL << 20;
	long long before = proc_meminfo_kb("MemFree:"), during, after;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(before > 0 && p != MAP_FAILED);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	during = proc_meminfo_kb("MemFree:");
	CHECK(before - during >= 60 * 1024);
	CHECK(munmap(p, len) == 0);
	after = proc_meminfo_kb("MemFree:");
	CHECK(after - during >= 60 * 1024);
}

/*
 * vm.proc.map.<pid>'s record of the entry at addr (a copy of its fixed
 * part), or all zero; its path into path (size bytes) if path is not
 * NULL ("" if none).
 */
static struct vmk_kinfo_vmentry
map_record_path(pid_t pid, const void *addr, char *path, size_t size)
{
	const struct vmk_kinfo_vmentry *e;
	struct vmk_kinfo_vmentry found;
	char name[64];
	void *records;
	size_t len;

	memset(&found, 0, sizeof(found));
	if (path != NULL)
		path[0] = '\0';
	snprintf(name, sizeof(name), "vm.proc.map.%d", pid);
	records = vmk_sysctl_alloc(name, &len);
	CHECK(records != NULL);
	for (e = records; (const char *)e < (const char *)records + len;
	    e = VMK_KVME_NEXT(e)) {
		CHECK(e->structsize >= sizeof(*e) && e->structsize % 8 == 0);
		if (e->start > (uintptr_t)addr || (uintptr_t)addr >= e->end)
			continue;
		found = *e;
		if (path != NULL)
			snprintf(path, size, "%s", VMK_KVME_PATH(e));
	}
	free(records);
	return found;
}

static struct vmk_kinfo_vmentry
map_record(pid_t pid, const void *addr)
{
	return map_record_path(pid, addr, NULL, 0);
}

/*
 * procstat -v's figures in procmap's records: pages mapped (RES), the
 * private resident ones (PRES), the first object's references and
 * shadows; a fork shares the object (two references, PRES 0); the stack
 * grows down.
 */
static void
t_procmap_procstat_fields(void)
{
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vmk_kinfo_vmentry r;
	int go[2], status;
	char c = 0;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	prefault_off();
	p[0] = p[3 * 4096] = p[6 * 4096] = 1;
	r = map_record(getpid(), p);
	CHECK(r.mapped == 3 && r.resident == 3 && r.private_resident == 3);
	CHECK(r.ref_count == 1 && r.shadow_count == 0 && r.grows_down == 0);
	CHECK(r.obj_type == 0 && r.swapped == 0);
	r = map_record(getpid(), &c);	/* the stack */
	CHECK(r.grows_down == 1 && r.mapped >= 1);
	CHECK(pipe(go) == 0);
	pid = fork();
	if (pid == 0) {
		read(go[0], &c, 1);
		_exit(0);
	}
	CHECK(pid > 0);
	r = map_record(getpid(), p);
	CHECK(r.ref_count == 2 && r.private_resident == 0 && r.resident == 3);
	r = map_record(pid, p);
	CHECK(r.ref_count == 2 && r.mapped == 0);	/* the child faults */
	CHECK(write(go[1], "x", 1) == 1);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	close(go[0]);
	close(go[1]);
	prefault_default();
	CHECK(munmap(p, 8 * 4096) == 0);
}

/* A fresh mapping's maps line matches procmap's record of it. */
static void
t_proc_maps_matches_procmap(void)
{
	static char maps[65536];
	char name[64], line[128];
	const struct vmk_kinfo_vmentry *k;
	size_t len, n = 0, lines = 0;
	char *p = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool found = false;
	void *records;

	CHECK(p != MAP_FAILED);
	p[0] = 1;
	snprintf(name, sizeof(name), "vm.proc.map.%d", getpid());
	records = vmk_sysctl_alloc(name, &len);
	CHECK(proc_read("/proc/self/maps", maps, sizeof(maps)) > 0);
	CHECK(records != NULL);
	for (char *l = maps; *l != '\0'; l = strchr(l, '\n') + 1)
		lines++;
	for (k = records; (const char *)k < (const char *)records + len;
	    k = VMK_KVME_NEXT(k)) {
		n++;
		if (k->start > (uint64_t)(uintptr_t)p ||
		    k->end <= (uint64_t)(uintptr_t)p)
			continue;
		snprintf(line, sizeof(line), "\n%08lx-%08lx rw-p 00000000 00:00 0\n",
		    (unsigned long)k->start, (unsigned long)k->end);
		found = strstr(maps, line) != NULL && k->prot == 3 &&
		    VMK_KVME_PATH(k)[0] == '\0';
	}
	CHECK(lines == n);
	CHECK(found);
	free(records);
	CHECK(munmap(p, 5 * 4096) == 0);
}

/* How many lines of /proc/self/maps meet [p, p + len). */
static int
maps_lines_over(const void *p, size_t len)
{
	static char text[65536];
	uintptr_t lo = (uintptr_t)p, hi = lo + len;
	int n = 0;

	CHECK(proc_read("/proc/self/maps", text, sizeof(text)) > 0);
	for (const char *l = text; *l != '\0'; l = strchr(l, '\n') + 1) {
		unsigned long start, end;

		if (sscanf(l, "%lx-%lx", &start, &end) == 2 && start < hi &&
		    end > lo)
			n++;
	}
	return n;
}

/*
 * Pieces of one mapping that become alike again (an mprotect undone,
 * madvise back to normal, munlock) are one mapping again, as Linux
 * merges them: maps shows one line, and mremap takes it whole (across
 * two mappings it would be EFAULT).
 */
static void
t_map_entries_merge(void)
{
	enum { PG = 4096 };
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	CHECK(p != MAP_FAILED);
	p[0] = 'a';
	p[2 * PG] = 'c';
	CHECK(mprotect(p + PG, PG, PROT_READ) == 0);
	CHECK(maps_lines_over(p, 4 * PG) == 3);
	CHECK(mprotect(p + PG, PG, PROT_READ | PROT_WRITE) == 0);
	CHECK(maps_lines_over(p, 4 * PG) == 1);
	CHECK(mprotect(p, 4 * PG, PROT_READ | PROT_WRITE) == 0);	/* no-op */
	CHECK(maps_lines_over(p, 4 * PG) == 1);
	CHECK(madvise(p + PG, 2 * PG, MADV_RANDOM) == 0);
	CHECK(maps_lines_over(p, 4 * PG) == 3);
	CHECK(madvise(p + PG, 2 * PG, MADV_NORMAL) == 0);
	CHECK(maps_lines_over(p, 4 * PG) == 1);
	CHECK(mlock(p + 3 * PG, PG) == 0 && maps_lines_over(p, 4 * PG) == 2);
	CHECK(munlock(p + 3 * PG, PG) == 0 && maps_lines_over(p, 4 * PG) == 1);
	CHECK(mprotect(p + 3 * PG, PG, PROT_READ) == 0);	/* stays apart */
	CHECK(maps_lines_over(p, 4 * PG) == 2);
	CHECK(mprotect(p + 3 * PG, PG, PROT_READ | PROT_WRITE) == 0);
	q = mremap(p, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q[0] == 'a' && q[2 * PG] == 'c');
	q[7 * PG] = 'z';
	CHECK(munmap(q, 8 * PG) == 0);
}

/*
 * The line of maps text (a copy into line, size bytes, without its
 * newline) for the entry starting at addr; false if there is none.
 */
static bool
maps_line_at(const char *text, const void *addr, char *line, size_t size)
{
	char start[32];
	size_t n = (size_t)snprintf(start, sizeof(start), "%08lx-",
	    (unsigned long)(uintptr_t)addr);

	for (const char *l = text; *l != '\0'; l = strchr(l, '\n') + 1) {
		size_t len = (size_t)(strchr(l, '\n') - l);

		if (strncmp(l, start, n) != 0)
			continue;
		snprintf(line, size, "%.*s", (int)len, l);
		return true;
	}
	return false;
}

/*
 * Does /proc/self/maps (or smaps, its header lines) name the entry at
 * addr, with protection prot ("r--p"), file offset off, the file of st
 * and want from column 73 on, exactly as Linux prints it?
 */
static bool
maps_names(const char *file, const void *addr, const char *prot, long off,
    const struct stat *st, const char *want)
{
	static char text[262144];
	char line[512], head[128];
	const char *at;
	size_t n;

	if (proc_read(file, text, sizeof(text)) <= 0 ||
	    !maps_line_at(text, addr, line, sizeof(line)))
		return false;
	n = (size_t)snprintf(head, sizeof(head), " %s %08lx %02x:%02x %lu ",
	    prot, off, major(st->st_dev), minor(st->st_dev),
	    (unsigned long)st->st_ino);
	at = strstr(line, head);
	if (at == NULL || strlen(line) <= 73 || (size_t)(at - line) + n > 73)
		return false;
	for (size_t i = (size_t)(at - line) + n; i < 73; i++)
		if (line[i] != ' ')
			return false;
	return strcmp(line + 73, want) == 0;
}

/*
 * A file mapping is named by the path the file was opened by, in maps and
 * smaps (from column 73) and in procmap's record; the name stays with
 * every piece mprotect makes, after copy-on-write, in a forked child,
 * and across mremap's move; " (deleted)" once the file is unlinked.
 * Anonymous memory has none, the heap, the stack and the trampoline are
 * named as on Linux, the program's text by its path, a tmpfs file by its
 * own.  No path is left behind (kern.kpath_live).
 */
static void
t_proc_maps_file_path(void)
{
	static char maps[262144];
	const char *file = EXT2_ "mapname";
	uint64_t live = vmk_sysctl_u64("kern.kpath_live");
	struct vmk_kinfo_vmentry r;
	char buf[3 * 4096], path[256];
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644), status;
	char *p, *q, *t, *anon;
	struct stat st;
	pid_t pid;

	CHECK(fd >= 0 && write(fd, memset(buf, 7, sizeof(buf)), sizeof(buf)) ==
	    (ssize_t)sizeof(buf) && fstat(fd, &st) == 0);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && anon != MAP_FAILED && close(fd) == 0);
	CHECK(maps_names("/proc/self/maps", p, "rw-p", 0, &st, file));
	CHECK(maps_names("/proc/self/smaps", p, "rw-p", 0, &st, file));
	r = map_record_path(getpid(), p, path, sizeof(path));
	CHECK(strcmp(path, file) == 0 && r.deleted == 0 &&
	    r.vnode_ino == st.st_ino && r.file_offset == 0);
	/* Split in three; the first piece copied on write. */
	CHECK(mprotect(p + 4096, 4096, PROT_READ) == 0);
	p[0] = 1;
	CHECK(maps_names("/proc/self/maps", p, "rw-p", 0, &st, file));
	CHECK(maps_names("/proc/self/maps", p + 4096, "r--p", 4096, &st, file));
	CHECK(maps_names("/proc/self/maps", p + 8192, "rw-p", 8192, &st, file));
	pid = fork();
	if (pid == 0)
		_exit(maps_names("/proc/self/maps", p + 4096, "r--p", 4096, &st,
		    file) && maps_names("/proc/self/maps", p, "rw-p", 0, &st,
		    file) ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	/* Moved, and grown over more of the file. */
	q = mmap(NULL, 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	CHECK(mremap(p + 8192, 4096, 2 * 4096, MREMAP_MAYMOVE | MREMAP_FIXED,
	    q) == q);
	CHECK(maps_names("/proc/self/maps", q, "rw-p", 8192, &st, file));
	CHECK(unlink(file) == 0);
	CHECK(maps_names("/proc/self/maps", p, "rw-p", 0, &st,
	    EXT2_ "mapname (deleted)"));
	r = map_record_path(getpid(), p + 4096, path, sizeof(path));
	CHECK(strcmp(path, file) == 0 && r.deleted == 1);
	/* Anonymous memory: no name; our text: our path; the specials. */
	CHECK(proc_read("/proc/self/maps", maps, sizeof(maps)) > 0);
	CHECK(maps_line_at(maps, anon, path, sizeof(path)) &&
	    strlen(path) > 8 && strcmp(path + strlen(path) - 8, " 00:00 0") == 0);
	r = map_record_path(getpid(), anon, path, sizeof(path));
	CHECK(path[0] == '\0' && r.kind == VMK_KVME_PLAIN);
	r = map_record_path(getpid(), (void *)(uintptr_t)t_proc_maps_file_path,
	    path, sizeof(path));
	CHECK(strcmp(path, "/test/utest") == 0 && r.prot == 5);
	CHECK(strstr(maps, " /test/utest\n") != NULL);
	CHECK(sbrk(4096) != (void *)-1);
	CHECK(proc_read("/proc/self/maps", maps, sizeof(maps)) > 0);
	CHECK(strstr(maps, " [heap]\n") != NULL &&
	    strstr(maps, " [stack]\n") != NULL &&
	    strstr(maps, " [vdso]\n") != NULL);
	/* A tmpfs file is named too (its object does not lead to its node:
	 * no device or inode). */
	fd = open(DIR_ "/mapname", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
	t = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(t != MAP_FAILED && close(fd) == 0);
	CHECK(proc_read("/proc/self/maps", maps, sizeof(maps)) > 0);
	CHECK(maps_line_at(maps, t, path, sizeof(path)) &&
	    strcmp(path + 73, DIR_ "/mapname") == 0);
	CHECK(munmap(t, 4096) == 0 && unlink(DIR_ "/mapname") == 0);
	CHECK(munmap(p, 2 * 4096) == 0 && munmap(q, 2 * 4096) == 0 &&
	    munmap(anon, 4096) == 0);
	CHECK(vmk_sysctl_u64("kern.kpath_live") == live);
}

/* Listing /proc: the fixed names, ours among the pids, none twice. */
static void
t_proc_readdir(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char self[16];
	int seen_self = 0, seen_pid = 0, seen_meminfo = 0, seen_sys = 0, n = 0;

	CHECK(d != NULL);
	snprintf(self, sizeof(self), "%d", getpid());
	while ((e = readdir(d)) != NULL) {
		n++;
		seen_self += strcmp(e->d_name, "self") == 0 && e->d_type == DT_LNK;
		seen_pid += strcmp(e->d_name, self) == 0 && e->d_type == DT_DIR;
		seen_meminfo += strcmp(e->d_name, "meminfo") == 0 &&
		    e->d_type == DT_REG;
		seen_sys += strcmp(e->d_name, "sys") == 0;
	}
	closedir(d);
	CHECK(seen_self == 1 && seen_pid == 1 && seen_meminfo == 1 && seen_sys == 1);
	CHECK(n >= 12);
}

/* What cannot be done to /proc, with Linux's errno for each. */
static void
t_proc_errors(void)
{
	char buf[64];
	int fd;

	CHECK(open("/proc/99999/stat", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(open("/proc/0/stat", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(open("/proc/self/nosuch", O_RDONLY) == -1 && errno == ENOENT);
	/* As for root on Linux: read-only files open for writing, but a
	 * write is EIO (system files) or EINVAL (a process's files). */
	fd = open("/proc/meminfo", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, "x", 1) == -1 && errno == EIO);
	close(fd);
	fd = open("/proc/self/stat", O_RDWR);
	CHECK(fd >= 0 && write(fd, "x", 1) == -1 && errno == EINVAL);
	CHECK(read(fd, buf, 4) == 4);
	close(fd);
	CHECK(open("/proc/meminfo", O_WRONLY | O_CREAT | O_EXCL, 0644) == -1 &&
	    errno == EEXIST);
	CHECK(open("/proc/newfile", O_WRONLY | O_CREAT, 0644) == -1 &&
	    errno == ENOENT);
	CHECK(mkdir("/proc/newdir", 0755) == -1 && errno == ENOENT);
	CHECK(symlink("x", "/proc/newlink") == -1 && errno == ENOENT);
	CHECK(unlink("/proc/meminfo") == -1 && errno == EPERM);
	CHECK(rmdir("/proc/sys") == -1 && errno == EPERM);
	CHECK(open("/proc/meminfo/x", O_RDONLY) == -1 && errno == ENOTDIR);
	fd = open("/proc/meminfo", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, bad_ptr, 16) == -1 && errno == EFAULT);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(read(fd, buf, 9) == 9 && memcmp(buf, "MemTotal:", 9) == 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && read(fd, buf, 9) == 9);
	close(fd);
	fd = open("/proc/self/stat", O_RDONLY);
	CHECK(fd >= 0 && mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) ==
	    MAP_FAILED && errno == ENODEV);	/* no pages behind it */
	close(fd);
}

/* /proc/sys/vm files are the sysctl tunables, with their validation. */
static void
t_proc_sys_vm(void)
{
	char buf[64];
	int32_t v = 0;
	size_t len = sizeof(v);
	int fd = open("/proc/sys/vm/overcommit_ratio", O_RDWR);

	CHECK(fd >= 0);
	CHECK(vmk_sysctl("vm.overcommit_ratio", &v, &len, NULL, 0) == 0);
	CHECK(read(fd, buf, sizeof(buf)) > 0 && atoi(buf) == v);
	CHECK(pwrite(fd, "77\n", 3, 0) == 3);
	len = sizeof(v);
	CHECK(vmk_sysctl("vm.overcommit_ratio", &v, &len, NULL, 0) == 0 && v == 77);
	CHECK(pread(fd, buf, sizeof(buf), 0) == 3 && memcmp(buf, "77\n", 3) == 0);
	CHECK(pwrite(fd, "abc", 3, 0) == -1 && errno == EINVAL);
	CHECK(pwrite(fd, "-1", 2, 0) == -1 && errno == EINVAL);	/* below 0 */
	CHECK(pwrite(fd, "1001", 4, 0) == -1 && errno == EINVAL);	/* above 1000 */
	CHECK(pwrite(fd, "", 0, 0) == 0);
	CHECK(pwrite(fd, bad_ptr, 2, 0) == -1 && errno == EFAULT);
	CHECK(pwrite(fd, "50", 2, 0) == 2);
	len = sizeof(v);
	CHECK(vmk_sysctl("vm.overcommit_ratio", &v, &len, NULL, 0) == 0 && v == 50);
	close(fd);
	fd = open("/proc/sys/vm/overcommit_memory", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, "3", 1) == -1 && errno == EINVAL);
	close(fd);
	CHECK(open("/proc/sys/vm/nosuch", O_RDONLY) == -1 && errno == ENOENT);
}

/* --- VM calls: mincore, mlock, ... (h-vmcalls) --------------------------- */

/* mincore's bit 0 for each of n pages from p, as a string of '0'/'1'. */
static const char *
resident_map(void *p, size_t n)
{
	static char map[65];
	unsigned char vec[64];

	CHECK(n < sizeof(map));
	CHECK(mincore(p, n * 4096, vec) == 0);
	for (size_t i = 0; i < n; i++)
		map[i] = '0' + (vec[i] & 1);
	map[n] = '\0';
	return map;
}

/*
 * mincore on anonymous memory: nothing resident before it is touched, the
 * touched pages after (MADV_RANDOM: no prefault), nothing after
 * MADV_DONTNEED; a private page read before any write comes from the
 * zero-fill, and the reserved bits stay 0.
 */
static void
t_mincore_anon(void)
{
	unsigned char vec[8];
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(strcmp(resident_map(p, 8), "00000000") == 0);
	CHECK(madvise(p, 8 * 4096, MADV_RANDOM) == 0);
	p[0] = 1;
	p[3 * 4096] = 1;
	CHECK(strcmp(resident_map(p, 8), "10010000") == 0);
	CHECK(mincore(p, 8 * 4096, vec) == 0);
	for (int i = 0; i < 8; i++)
		CHECK((vec[i] & ~1) == 0);
	/* A partial last page counts as a page. */
	CHECK(mincore(p + 3 * 4096, 1, vec) == 0 && vec[0] == 1);
	CHECK(madvise(p, 8 * 4096, MADV_DONTNEED) == 0);
	CHECK(strcmp(resident_map(p, 8), "00000000") == 0);
	CHECK(munmap(p, 8 * 4096) == 0);
}

/*
 * mincore on a file mapping reports the file's cached pages, touched
 * through the mapping or not; a private copy is resident too.
 */
static void
t_mincore_file(void)
{
	static char page[4096];
	char *p;
	int fd = open(DIR_ "/mc", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	memset(page, 'm', sizeof(page));
	for (int i = 0; i < 4; i++)
		CHECK(write(fd, page, sizeof(page)) == (ssize_t)sizeof(page));
	CHECK(fsync(fd) == 0);
	CHECK(pread(fd, page, sizeof(page), 0) == (ssize_t)sizeof(page));
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(resident_map(p, 4)[0] == '1');	/* read() cached it */
	p[2 * 4096] = 'x';			/* a private copy */
	CHECK(resident_map(p, 4)[2] == '1');
	CHECK(munmap(p, 4 * 4096) == 0);
	close(fd);
	unlink(DIR_ "/mc");
}

/*
 * mincore's errors, in Linux's order: EINVAL for an unaligned address,
 * ENOMEM for a range past user space or with a hole (the vector filled up
 * to the hole), EFAULT for a vector it cannot write; a zero length is 0
 * even where nothing is mapped.
 */
static void
t_mincore_errors(void)
{
	unsigned char vec[4] = { 7, 7, 7, 7 };
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(mincore(p + 1, 4096, vec) == -1 && errno == EINVAL);
	CHECK(mincore(p, 4096, bad_ptr) == -1 && errno == EFAULT);
	CHECK(mincore(p, 4096, (void *)0xffffffc000000000UL) == -1 &&
	    errno == EFAULT);
	CHECK(mincore((void *)0x3ffffff000UL, 0x10000, vec) == -1 &&
	    errno == ENOMEM);
	CHECK(mincore((void *)-4096L, 4096, vec) == -1 && errno == ENOMEM);
	CHECK(munmap(p + 2 * 4096, 4096) == 0);
	CHECK(mincore(p, 4 * 4096, vec) == -1 && errno == ENOMEM);
	CHECK(vec[0] == 0 && vec[1] == 0 && vec[2] == 7);
	CHECK(mincore(p + 2 * 4096, 4096, vec) == -1 && errno == ENOMEM);
	CHECK(mincore(p + 2 * 4096, 0, vec) == 0);
	CHECK(munmap(p, 4 * 4096) == 0);
}

#define USER_WIRED()	vmk_sysctl_u64("vm.stats.vm.v_user_wire_count")
#define PAGES_WIRED()	vmk_sysctl_u64("vm.stats.vm.v_wire_count")

/*
 * mlock wires every page of the range now (resident before it is touched,
 * counted in v_user_wire_count and the pages' wire count), once however
 * often it is called; one munlock lets all of them go.  The range is
 * rounded out to pages.
 */
static void
t_mlock_basic(void)
{
	uint64_t user0 = USER_WIRED(), pages0 = PAGES_WIRED();
	char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(mlock(p, 16 * 4096) == 0);
	CHECK(strcmp(resident_map(p, 16), "1111111111111111") == 0);
	CHECK(USER_WIRED() - user0 == 16 && PAGES_WIRED() - pages0 == 16);
	CHECK(mlock(p, 16 * 4096) == 0 && USER_WIRED() - user0 == 16);
	for (int i = 0; i < 16; i++)
		CHECK(p[i * 4096] == 0);
	memset(p, 'w', 16 * 4096);
	CHECK(munlock(p, 16 * 4096) == 0);
	CHECK(USER_WIRED() == user0 && PAGES_WIRED() == pages0);
	CHECK(p[5 * 4096] == 'w');
	/* Rounded out: bytes 100..109 of page 2 lock page 2. */
	CHECK(mlock(p + 2 * 4096 + 100, 10) == 0 && USER_WIRED() - user0 == 1);
	CHECK(munlock(p + 3 * 4096 + 10, 10) == 0);
	CHECK(USER_WIRED() - user0 == 1);	/* page 3 was not wired */
	CHECK(munlock(p + 2 * 4096, 1) == 0 && USER_WIRED() == user0);
	CHECK(syscall(SYS_mlock2, p, 4 * 4096, 1 /* MLOCK_ONFAULT */) == 0);
	CHECK(USER_WIRED() - user0 == 4);
	/* munmap of a wired range lets its wires go. */
	CHECK(munmap(p, 16 * 4096) == 0);
	CHECK(USER_WIRED() == user0 && PAGES_WIRED() == pages0);
}

/*
 * mlock2(MLOCK_ONFAULT) locks the pages there and the others as they are
 * touched: an untouched page is not resident (mincore), and each touch
 * wires one more page, once; munlock, munmap let go of exactly those.  A
 * split (mprotect) keeps each part's; a fork child's memory is not
 * locked; mremap's growth is locked on fault too; mlock locks it whole.
 * A file page read below a private mapping's copies is locked where it
 * is.  mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) does it to every
 * mapping, then and from then on.
 */
static void
t_mlock_onfault(void)
{
	uint64_t user0 = USER_WIRED();
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;
	int status, fd;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	CHECK(madvise(p, 8 * 4096, MADV_RANDOM) == 0);	/* no prefault */
	p[0] = 'r';
	CHECK(syscall(SYS_mlock2, p, 8 * 4096, 1 /* MLOCK_ONFAULT */) == 0);
	CHECK(USER_WIRED() - user0 == 1);
	CHECK(strcmp(resident_map(p, 8), "10000000") == 0);
	p[3 * 4096] = 'a';
	CHECK(p[5 * 4096] == 0 && p[3 * 4096 + 1] == 0);
	CHECK(strcmp(resident_map(p, 8), "10010100") == 0);
	CHECK(USER_WIRED() - user0 == 3);
	p[5 * 4096] = 'w';			/* the page the read made */
	CHECK(USER_WIRED() - user0 == 3);
	CHECK(madvise(p + 7 * 4096, 4096, MADV_DONTNEED) == -1 &&
	    errno == EINVAL);
	CHECK(mprotect(p + 4 * 4096, 4096, PROT_READ) == 0);
	CHECK(USER_WIRED() - user0 == 3 && p[4 * 4096] == 0);
	CHECK(USER_WIRED() - user0 == 4);
	pid = fork();
	if (pid == 0) {
		uint64_t w = USER_WIRED();

		p[6 * 4096] = 'c';
		_exit(USER_WIRED() == w && p[3 * 4096] == 'a' ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(strcmp(resident_map(p, 8), "10011100") == 0);
	CHECK(munlock(p + 4 * 4096, 4 * 4096) == 0 && USER_WIRED() - user0 == 2);
	q = mremap(p, 4 * 4096, 6 * 4096, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && USER_WIRED() - user0 == 2);
	CHECK(q[0] == 'r' && q[3 * 4096] == 'a' && q[4 * 4096] == 0);
	CHECK(USER_WIRED() - user0 == 3);
	CHECK(mlock(q, 6 * 4096) == 0 && USER_WIRED() - user0 == 6);
	CHECK(strcmp(resident_map(q, 6), "111111") == 0);
	CHECK(munmap(q, 6 * 4096) == 0 && munmap(p + 4 * 4096, 4 * 4096) == 0);
	CHECK(USER_WIRED() == user0);
	write_file(EXT2_ "lk", "abcd");
	fd = open(EXT2_ "lk", O_RDWR);
	CHECK(fd >= 0 && ftruncate(fd, 4 * 4096) == 0 && fsync(fd) == 0);
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && madvise(p, 4 * 4096, MADV_RANDOM) == 0);
	p[0] = 'A';				/* its own copy of page 0 */
	CHECK(syscall(SYS_fadvise64, fd, 4096, 0, POSIX_FADV_DONTNEED) == 0);
	CHECK(syscall(SYS_mlock2, p, 4 * 4096, 1 /* MLOCK_ONFAULT */) == 0);
	CHECK(USER_WIRED() - user0 == 1);
	CHECK(p[2 * 4096] == 0 && USER_WIRED() - user0 == 2);
	CHECK(munmap(p, 4 * 4096) == 0 && USER_WIRED() == user0);
	close(fd);
	unlink(EXT2_ "lk");
	pid = fork();
	if (pid == 0) {
		CHECK(mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) == 0);
		p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED && madvise(p, 4 * 4096, MADV_RANDOM) == 0);
		CHECK(strcmp(resident_map(p, 4), "0000") == 0);
		user0 = USER_WIRED();
		p[4096] = 1;
		CHECK(USER_WIRED() - user0 == 1);
		CHECK(munlockall() == 0);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
}

/*
 * mlock's errors as Linux's: a wrapping range is EINVAL, a range with an
 * unmapped part ENOMEM (and nothing is wired), an empty one 0 anywhere;
 * mlock2's unknown flags and mlockall's bad flag sets are EINVAL; dropping
 * wired pages with MADV_DONTNEED is EINVAL.  PROT_NONE memory is locked
 * without being populated.  RLIMIT_MEMLOCK reads as Linux's 8 MiB.
 */
static void
t_mlock_errors(void)
{
	uint64_t user0 = USER_WIRED();
	struct rlimit rl;
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(munmap(p + 2 * 4096, 4096) == 0);
	CHECK(mlock(p, 4 * 4096) == -1 && errno == ENOMEM);
	CHECK(munlock(p, 4 * 4096) == -1 && errno == ENOMEM);
	CHECK(USER_WIRED() == user0);
	CHECK(mlock(p + 2 * 4096, 4096) == -1 && errno == ENOMEM);
	CHECK(mlock(p + 2 * 4096, 0) == 0);
	CHECK(mlock(NULL, 4096) == -1 && errno == ENOMEM);
	CHECK(mlock((void *)0x3ffffff000UL, 0x2000) == -1 && errno == ENOMEM);
	CHECK(mlock(p, SIZE_MAX - 8191) == -1 && errno == EINVAL);
	CHECK(munlock(p, SIZE_MAX - 8191) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_mlock2, p, 4096, 2) == -1 && errno == EINVAL);
	CHECK(mlockall(0) == -1 && errno == EINVAL);
	CHECK(mlockall(MCL_ONFAULT) == -1 && errno == EINVAL);
	CHECK(mlockall(8) == -1 && errno == EINVAL);
	CHECK(mlock(p, 2 * 4096) == 0 && USER_WIRED() - user0 == 2);
	CHECK(madvise(p, 4096, MADV_DONTNEED) == -1 && errno == EINVAL);
	CHECK(p[0] == 0 && USER_WIRED() - user0 == 2);
	CHECK(mprotect(p + 3 * 4096, 4096, PROT_NONE) == 0);
	CHECK(mlock(p + 3 * 4096, 4096) == 0);
	CHECK(strcmp(resident_map(p, 2), "11") == 0);
	CHECK(resident_map(p + 3 * 4096, 1)[0] == '0');
	CHECK(getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur == 8 << 20 &&
	    rl.rlim_max == 8 << 20);
	CHECK(munmap(p, 4 * 4096) == 0 && USER_WIRED() == user0);
}

/*
 * Wired memory through fork, mprotect and exit: the child gets its own
 * copy (not wired), the parent's pages stay wired and unchanged; a piece
 * write-protected and made writable again keeps its wires; a process
 * that exits with wired memory lets every wire go.
 */
static void
t_mlock_fork_protect_exit(void)
{
	uint64_t user0 = USER_WIRED(), pages0 = PAGES_WIRED();
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	memset(p, 'a', 8 * 4096);
	CHECK(mlock(p, 8 * 4096) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		memset(p, 'c', 8 * 4096);
		_exit(p[4096] == 'c' && USER_WIRED() - user0 == 8 ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
	CHECK(p[4096] == 'a' && USER_WIRED() - user0 == 8);
	p[0] = 'b';			/* the parent writes without copying */
	CHECK(USER_WIRED() - user0 == 8);
	CHECK(mprotect(p + 2 * 4096, 2 * 4096, PROT_READ) == 0);
	CHECK(mprotect(p + 2 * 4096, 2 * 4096, PROT_READ | PROT_WRITE) == 0);
	p[2 * 4096] = 'p';
	CHECK(USER_WIRED() - user0 == 8 && PAGES_WIRED() - pages0 == 8);
	CHECK(munmap(p + 4 * 4096, 4096) == 0 && USER_WIRED() - user0 == 7);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *q = mmap(NULL, 32 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		_exit(q != MAP_FAILED && mlock(q, 32 * 4096) == 0 ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
	CHECK(USER_WIRED() - user0 == 7);
	CHECK(p[0] == 'b' && p[2 * 4096] == 'p' && p[3 * 4096] == 'a');
	CHECK(munmap(p, 8 * 4096) == 0);
	CHECK(USER_WIRED() == user0 && PAGES_WIRED() == pages0);
}

/*
 * Wired file memory: a private mapping wired read-only holds the file's
 * pages; made writable and written, the copy takes the page's wire and
 * the file is unchanged.  A shared mapping wired and then truncated
 * under (the wired pages stay until unwired) lets its wires go at munmap.
 */
static void
t_mlock_file(void)
{
	static char page[4096];
	uint64_t user0 = USER_WIRED(), pages0 = PAGES_WIRED();
	char *p, buf[4];
	int fd = open(DIR_ "/ml", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	memset(page, 'f', sizeof(page));
	for (int i = 0; i < 4; i++)
		CHECK(write(fd, page, sizeof(page)) == (ssize_t)sizeof(page));
	p = mmap(NULL, 4 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(mlock(p, 4 * 4096) == 0 && USER_WIRED() - user0 == 4);
	CHECK(strcmp(resident_map(p, 4), "1111") == 0);
	CHECK(mprotect(p, 4 * 4096, PROT_READ | PROT_WRITE) == 0);
	p[4096] = 'X';
	CHECK(USER_WIRED() - user0 == 4 && PAGES_WIRED() - pages0 == 4);
	CHECK(pread(fd, buf, 1, 4096) == 1 && buf[0] == 'f');
	CHECK(munlock(p, 4 * 4096) == 0 && USER_WIRED() == user0);
	CHECK(PAGES_WIRED() == pages0);
	CHECK(p[4096] == 'X' && munmap(p, 4 * 4096) == 0);
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(mlock(p, 4 * 4096) == 0 && USER_WIRED() - user0 == 4);
	p[0] = 's';
	CHECK(ftruncate(fd, 4096) == 0);
	CHECK(p[0] == 's');
	CHECK(munmap(p, 4 * 4096) == 0);
	CHECK(USER_WIRED() == user0 && PAGES_WIRED() == pages0);
	CHECK(pread(fd, buf, 4, 0) == 4 && buf[0] == 's' && buf[1] == 'f');
	close(fd);
	unlink(DIR_ "/ml");
}

/*
 * mlockall(MCL_CURRENT | MCL_FUTURE) wires the whole address space and
 * every mapping made after it (mmap, brk), resident untouched;
 * mlockall(MCL_CURRENT) alone stops the wiring of new mappings;
 * munlockall lets everything go.  MAP_LOCKED wires one mapping.
 */
static void
t_mlockall(void)
{
	uint64_t user0 = USER_WIRED(), pages0 = PAGES_WIRED(), all;
	char *p, *brk0;

	CHECK(mlockall(MCL_CURRENT | MCL_FUTURE) == 0);
	all = USER_WIRED() - user0;
	CHECK(all > 16);
	p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(strcmp(resident_map(p, 8), "11111111") == 0);
	CHECK(USER_WIRED() - user0 == all + 8);
	brk0 = sbrk(0);
	CHECK(sbrk(4 * 4096) == brk0);
	CHECK(USER_WIRED() - user0 >= all + 8 + 4);
	CHECK(munmap(p, 8 * 4096) == 0);
	CHECK(mlockall(MCL_CURRENT) == 0);
	p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && resident_map(p, 8)[7] == '0');
	CHECK(munlockall() == 0);
	CHECK(USER_WIRED() == user0 && PAGES_WIRED() == pages0);
	CHECK(munmap(p, 8 * 4096) == 0);
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	CHECK(p != MAP_FAILED && strcmp(resident_map(p, 4), "1111") == 0);
	CHECK(USER_WIRED() - user0 == 4);
	CHECK(munmap(p, 4 * 4096) == 0 && USER_WIRED() == user0);
}

#define PG	4096UL

/* Fill n pages from p with their index plus tag, and check them. */
static void
fill_tagged(char *p, size_t n, char tag)
{
	for (size_t i = 0; i < n; i++)
		memset(p + i * PG, tag + (int)i, PG);
}

static bool
tagged(const char *p, size_t n, char tag)
{
	for (size_t i = 0; i < n; i++)
		if (p[i * PG] != tag + (int)i || p[i * PG + PG - 1] != tag + (int)i)
			return false;
	return true;
}

/*
 * mremap of anonymous memory: shrinking unmaps the tail, growing extends
 * in place into free space (zeros) and otherwise fails without MAYMOVE or
 * moves with it; a move keeps the pages themselves (no zero fill, no copy
 * when they are read at their new place); MREMAP_FIXED moves over what
 * was at the destination.
 */
static void
t_mremap_anon(void)
{
	uint64_t zfod, cow;
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q, *r;
	unsigned char vec[1];

	CHECK(p != MAP_FAILED);
	CHECK(munmap(p + 4 * PG, 4 * PG) == 0);
	fill_tagged(p, 4, 'a');
	CHECK(mremap(p, 4 * PG, 3 * PG, 0) == p);
	CHECK(mincore(p + 3 * PG, PG, vec) == -1 && errno == ENOMEM);
	CHECK(mremap(p, 3 * PG, 6 * PG, 0) == p);	/* in place */
	CHECK(tagged(p, 3, 'a') && p[3 * PG] == 0 && p[6 * PG - 1] == 0);
	CHECK(mremap(p, 6 * PG, 6 * PG, 0) == p);
	q = mmap(p + 6 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED, -1, 0);
	CHECK(q == p + 6 * PG);
	CHECK(mremap(p, 6 * PG, 7 * PG, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK(madvise(p, 6 * PG, MADV_RANDOM) == 0);
	zfod = vmk_sysctl_u64("vm.stats.vm.v_zfod");
	cow = vmk_sysctl_u64("vm.stats.vm.v_cow_faults");
	r = mremap(p, 6 * PG, 7 * PG, MREMAP_MAYMOVE);
	CHECK(r != MAP_FAILED && r != p);
	CHECK(mincore(p, PG, vec) == -1 && errno == ENOMEM);
	CHECK(tagged(r, 3, 'a'));
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_zfod") == zfod);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_cow_faults") == cow);
	CHECK(r[6 * PG] == 0);				/* the grown page */
	r[6 * PG] = 'g';
	/* Fixed: over the mapping there, which goes. */
	CHECK(munmap(q, PG) == 0);
	q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	memset(q, 'z', 2 * PG);
	p = mremap(r, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, q);
	CHECK(p == q && p[0] == 'a' && p[PG] == 'b');
	CHECK(mincore(r, PG, vec) == -1 && errno == ENOMEM);
	CHECK(tagged(r + 2 * PG, 1, 'c') && r[6 * PG] == 'g');
	CHECK(munmap(r + 2 * PG, 5 * PG) == 0 && munmap(p, 2 * PG) == 0);
}

/* mremap's errors, in Linux's order. */
static void
t_mremap_errors(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *far = (char *)0x2000000000UL;

	CHECK(p != MAP_FAILED);
	CHECK(mremap(p, PG, PG, 8) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(p, PG, 2 * PG, MREMAP_FIXED, far) == MAP_FAILED &&
	    errno == EINVAL);
	CHECK(mremap(p, PG, PG, MREMAP_DONTUNMAP) == MAP_FAILED &&
	    errno == EINVAL);
	CHECK(mremap(p, PG, 2 * PG, MREMAP_DONTUNMAP | MREMAP_MAYMOVE) ==
	    MAP_FAILED && errno == EINVAL);
	CHECK(mremap(p + 1, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
	    errno == EINVAL);
	CHECK(mremap(p, PG, 0, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + 1) ==
	    MAP_FAILED && errno == EINVAL);
	CHECK(mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
	    p + PG) == MAP_FAILED && errno == EINVAL);	/* overlapping */
	CHECK(mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
	    (void *)-PG) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap(far, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
	    errno == EFAULT);
	CHECK(mremap(p, 8 * PG, 16 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
	    errno == EFAULT);				/* past its mapping */
	CHECK(mprotect(p + 2 * PG, PG, PROT_READ) == 0);
	CHECK(mremap(p, 3 * PG, 4 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
	    errno == EFAULT);				/* two mappings */
	CHECK(mremap(p, 2 * PG, 3 * PG, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK(munmap(p, 4 * PG) == 0);
}

/*
 * mremap of mappings of the file at path: grown, moved or in place, a
 * shared mapping shows more of the file, a private one too
 * (copy-on-write).
 */
static void
mremap_file_on(const char *path)
{
	static char page[PG];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *p, *q;

	CHECK(fd >= 0);
	for (int i = 0; i < 4; i++) {
		memset(page, 'A' + i, PG);
		CHECK(write(fd, page, PG) == (ssize_t)PG);
	}
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && p[PG] == 'B');
	q = mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q[0] == 'A' && q[3 * PG] == 'D');
	q[3 * PG] = 'd';
	CHECK(munmap(q, 4 * PG) == 0);
	CHECK(pread(fd, page, 1, 3 * PG) == 1 && page[0] == 'd');
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PG);
	CHECK(p != MAP_FAILED);
	p[0] = 'x';
	q = mremap(p, PG, 3 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q[0] == 'x' && q[PG] == 'C' && q[2 * PG] == 'd');
	q[PG] = 'y';
	CHECK(pread(fd, page, 1, 2 * PG) == 1 && page[0] == 'C');
	CHECK(munmap(q, 3 * PG) == 0);
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && munmap(p + PG, 3 * PG) == 0);
	CHECK(mremap(p, PG, 4 * PG, 0) == p);
	CHECK(p[0] == 'A' && p[PG] == 'B' && p[3 * PG] == 'd');
	p[2 * PG] = 'z';
	CHECK(pread(fd, page, 1, 2 * PG) == 1 && page[0] == 'z');
	CHECK(munmap(p, 4 * PG) == 0);
	close(fd);
	unlink(path);
}

/*
 * mremap of file mappings, on ext2 and on tmpfs; a wired range stays
 * wired when moved, and its grown part is wired.  glibc's realloc of a
 * big (mmapped) block moves it with mremap, contents intact.
 */
static void
t_mremap_file_wired_realloc(void)
{
	uint64_t user0 = USER_WIRED();
	char *p, *q;

	mremap_file_on(EXT2_ "mr");
	mremap_file_on(DIR_ "/mr");
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill_tagged(p, 2, 'w');
	CHECK(mlock(p, 2 * PG) == 0 && USER_WIRED() - user0 == 2);
	q = mremap(p, 2 * PG, 5 * PG, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && tagged(q, 2, 'w'));
	CHECK(USER_WIRED() - user0 == 5);
	CHECK(strcmp(resident_map(q, 5), "11111") == 0);
	CHECK(munmap(q, 5 * PG) == 0 && USER_WIRED() == user0);

	p = malloc(1 << 20);
	CHECK(p != NULL);
	for (size_t i = 0; i < (1 << 20); i += 512)
		p[i] = (char)(i >> 9);
	p = realloc(p, 4 << 20);
	CHECK(p != NULL);
	for (size_t i = 0; i < (1 << 20); i += 512)
		CHECK(p[i] == (char)(i >> 9));
	memset(p + (1 << 20), 1, 3 << 20);
	p = realloc(p, 512 << 10);
	CHECK(p != NULL);
	for (size_t i = 0; i < (512 << 10); i += 512)
		CHECK(p[i] == (char)(i >> 9));
	free(p);
}

/* mremap through syscall(): glibc passes new_addr for MREMAP_FIXED only. */
static char *
mremap5(void *p, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return (char *)syscall(SYS_mremap, p, old_len, new_len, flags, new_addr);
}

/* Does a store to p kill a child with SIGSEGV? */
static bool
store_faults(char *p)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		*(volatile char *)p = 1;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/*
 * MREMAP_DONTUNMAP moves the pages and leaves the old range mapped, with
 * its protection, as a new mapping of the same thing: private anonymous
 * memory zero-fills there, a file mapping shows the file (a private one
 * without its copies, which moved), shared anonymous memory is the same
 * memory.  The moved range stays wired, the range left is not.  new_addr
 * is a hint, or the place with MREMAP_FIXED.  EINVAL without MAYMOVE,
 * with a new length or an unaligned new_addr; EFAULT for a range that is
 * not one mapping.
 */
static void
t_mremap_dontunmap(void)
{
	const int DU = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
	uint64_t user0 = USER_WIRED(), zfod;
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q, *r;
	int fd;

	CHECK(p != MAP_FAILED);
	fill_tagged(p, 4, 'a');
	CHECK(mremap(p, PG, PG, MREMAP_DONTUNMAP) == MAP_FAILED &&
	    errno == EINVAL);
	CHECK(mremap(p, PG, 2 * PG, DU) == MAP_FAILED && errno == EINVAL);
	CHECK(mremap5(p, PG, PG, DU, p + 100 * PG + 1) == MAP_FAILED &&
	    errno == EINVAL);
	CHECK(mremap(p, 5 * PG, 5 * PG, DU) == MAP_FAILED && errno == EFAULT);
	zfod = STAT("v_zfod");
	q = mremap(p + PG, 2 * PG, 2 * PG, DU);
	CHECK(q != MAP_FAILED && q != p + PG && tagged(q, 2, 'b'));
	CHECK(STAT("v_zfod") == zfod);		/* the pages themselves moved */
	CHECK(strcmp(resident_map(p, 4), "1001") == 0);
	CHECK(p[PG] == 0 && p[3 * PG - 1] == 0 && p[0] == 'a');
	p[PG] = 'n';
	CHECK(q[0] == 'b' && tagged(p + 3 * PG, 1, 'd'));
	CHECK(munmap(q, 2 * PG) == 0);
	/* The protection stays; a free hint is taken; FIXED replaces. */
	CHECK(mprotect(p + 3 * PG, PG, PROT_READ) == 0);
	r = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r != MAP_FAILED && munmap(r + PG, PG) == 0);
	q = mremap5(p + 3 * PG, PG, PG, DU, r + PG);
	CHECK(q == r + PG && q[0] == 'd' && store_faults(q));
	CHECK(p[3 * PG] == 0 && store_faults(p + 3 * PG));
	q = mremap(p, PG, PG, DU | MREMAP_FIXED, r);
	CHECK(q == r && q[0] == 'a' && p[0] == 0);
	CHECK(munmap(r, 2 * PG) == 0 && munmap(p, 4 * PG) == 0);
	/* Wired: the wires move with the pages. */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill_tagged(p, 2, 'w');
	CHECK(mlock(p, 2 * PG) == 0 && USER_WIRED() - user0 == 2);
	q = mremap(p, 2 * PG, 2 * PG, DU);
	CHECK(q != MAP_FAILED && USER_WIRED() - user0 == 2 && tagged(q, 2, 'w'));
	CHECK(strcmp(resident_map(p, 2), "00") == 0);
	CHECK(munmap(q, 2 * PG) == 0 && USER_WIRED() == user0);
	CHECK(munmap(p, 2 * PG) == 0);
	/* Shared anonymous memory: both ranges are the one memory. */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill_tagged(p, 2, 's');
	q = mremap(p, 2 * PG, 2 * PG, DU);
	CHECK(q != MAP_FAILED && tagged(q, 2, 's') && tagged(p, 2, 's'));
	p[1] = 'X';
	CHECK(q[1] == 'X');
	CHECK(munmap(p, 2 * PG) == 0 && q[PG] == 't');
	CHECK(munmap(q, 2 * PG) == 0);
	/* Files: the range left shows the file again. */
	fd = open(DIR_ "/du", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, "file", 4) == 4 && ftruncate(fd, PG) == 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	p[0] = 'F';
	q = mremap(p, PG, PG, DU);
	CHECK(q != MAP_FAILED && q[0] == 'F' && p[0] == 'F');
	CHECK(munmap(p, PG) == 0 && munmap(q, PG) == 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	p[1] = 'P';
	q = mremap(p, PG, PG, DU);
	CHECK(q != MAP_FAILED && q[1] == 'P' && p[1] == 'i' && p[0] == 'F');
	CHECK(munmap(p, PG) == 0 && munmap(q, PG) == 0);
	close(fd);
	unlink(DIR_ "/du");
}

/* fadvise64 through syscall(): -1 and errno, not posix_fadvise's result. */
static long
fadvise(int fd, long off, long len, int advice)
{
	return syscall(SYS_fadvise64, fd, off, len, advice);
}

/*
 * fadvise64: DONTNEED drops the clean, unmapped whole pages of the range
 * from the cache (a mapped or dirty page stays), WILLNEED reads pages in;
 * the six advices are accepted; EBADF, ESPIPE on a pipe, EINVAL for an
 * unknown advice or a negative length.
 */
static void
t_fadvise(void)
{
	static char page[PG];
	int fd = open(EXT2_ "fa", O_RDWR | O_CREAT | O_TRUNC, 0644), pfd[2];
	char *p;

	CHECK(fd >= 0);
	for (int i = 0; i < 8; i++) {
		memset(page, 'a' + i, PG);
		CHECK(write(fd, page, PG) == (ssize_t)PG);
	}
	CHECK(fsync(fd) == 0);
	p = mmap(NULL, 8 * PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(strcmp(resident_map(p, 8), "11111111") == 0);
	CHECK(fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0);
	CHECK(strcmp(resident_map(p, 8), "00000000") == 0);
	CHECK(fadvise(fd, 0, 4 * PG, POSIX_FADV_WILLNEED) == 0);
	CHECK(strcmp(resident_map(p, 8), "11110000") == 0);
	CHECK(fadvise(fd, PG + 100, 2 * PG, POSIX_FADV_DONTNEED) == 0);
	CHECK(strcmp(resident_map(p, 8), "11010000") == 0);
	CHECK(madvise(p, 8 * PG, MADV_RANDOM) == 0);	/* map one page */
	CHECK(p[0] == 'a');			/* mapped: it stays */
	CHECK(pwrite(fd, "D", 1, 3 * PG) == 1);	/* dirty: it stays */
	CHECK(fadvise(fd, 0, 8 * PG, POSIX_FADV_DONTNEED) == 0);
	CHECK(strcmp(resident_map(p, 8), "10010000") == 0);
	CHECK(fadvise(fd, 6 * PG, 100 * PG, POSIX_FADV_WILLNEED) == 0);
	CHECK(strcmp(resident_map(p, 8), "10010011") == 0);
	CHECK(p[6 * PG] == 'g' && p[3 * PG] == 'D');
	for (int a = 0; a <= 5; a++)
		CHECK(fadvise(fd, 0, 0, a) == 0);
	CHECK(fadvise(fd, -PG, PG, POSIX_FADV_DONTNEED) == 0);
	CHECK(fadvise(fd, 0, 0, 6) == -1 && errno == EINVAL);
	CHECK(fadvise(fd, 0, -1, POSIX_FADV_NORMAL) == -1 && errno == EINVAL);
	CHECK(fadvise(99, 0, 0, POSIX_FADV_NORMAL) == -1 && errno == EBADF);
	CHECK(pipe(pfd) == 0);
	CHECK(fadvise(pfd[0], 0, 0, POSIX_FADV_NORMAL) == -1 && errno == ESPIPE);
	CHECK(fadvise(pfd[1], 0, 0, 99) == -1 && errno == ESPIPE);
	close(pfd[0]);
	close(pfd[1]);
	CHECK(munmap(p, 8 * PG) == 0);
	close(fd);
	unlink(EXT2_ "fa");
}

/* Set path's access and modification times to t (seconds). */
static void
set_times(const char *path, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };

	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
}

static time_t
mtime_of(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0);
	CHECK(st.st_ctime >= st.st_mtime);
	return st.st_mtime;
}

/*
 * A store through a shared file mapping changes the file's mtime and
 * ctime by msync (MS_SYNC or MS_ASYNC) or munmap; reading through one, or
 * storing through a private one, does not.
 */
static void
t_mmap_store_sets_file_times(void)
{
	const char *path = EXT2_ "mt";
	char *p;
	int fd;

	write_file(path, "times");
	fd = open(path, O_RDWR);
	CHECK(fd >= 0);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	set_times(path, 1000000);
	CHECK(p[0] == 't' && msync(p, PG, MS_SYNC) == 0);
	CHECK(mtime_of(path) == 1000000);	/* a read changes nothing */
	p[0] = 'T';
	CHECK(msync(p, PG, MS_ASYNC) == 0);
	CHECK(mtime_of(path) > 1000000);
	set_times(path, 1000000);
	p[1] = 'I';
	CHECK(msync(p, PG, MS_SYNC) == 0);
	CHECK(mtime_of(path) > 1000000);
	set_times(path, 1000000);
	p[2] = 'M';
	CHECK(munmap(p, PG) == 0);
	CHECK(mtime_of(path) > 1000000);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	set_times(path, 1000000);
	p[0] = 'x';
	CHECK(msync(p, PG, MS_SYNC) == 0 && munmap(p, PG) == 0);
	CHECK(mtime_of(path) == 1000000);
	close(fd);
	unlink(path);
}

/*
 * A write of data sets the file's mtime and ctime, over bytes it already
 * had too (Linux's file_update_time); one of no bytes changes nothing.
 * ext2 keeps seconds, tmpfs nanoseconds.
 */
static void
write_sets_times_on(const char *path)
{
	struct stat a, b;
	int fd;

	write_file(path, "old bytes");
	fd = open(path, O_RDWR);
	CHECK(fd >= 0);
	set_times(path, 1000000);
	CHECK(fstat(fd, &a) == 0);
	CHECK(pwrite(fd, "new", 3, 0) == 3 && fstat(fd, &b) == 0);
	CHECK(b.st_size == 9 && b.st_mtime > 1000000);
	CHECK(b.st_ctime >= a.st_ctime && b.st_ctime >= b.st_mtime);
	set_times(path, 1000000);
	CHECK(write(fd, "", 0) == 0 && pwrite(fd, "x", 0, 2) == 0);
	CHECK(mtime_of(path) == 1000000);
	CHECK(write(fd, "w", 1) == 1 && mtime_of(path) > 1000000);
	close(fd);
	unlink(path);
}

static int64_t
ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000L + ts->tv_nsec;
}

static void
t_write_sets_file_times(void)
{
	struct stat a, b;
	int fd;

	write_sets_times_on(EXT2_ "wt");
	write_sets_times_on(DIR_ "/wt");
	/* tmpfs's ctime moves on within a second. */
	write_file(DIR_ "/wt", "old bytes");
	fd = open(DIR_ "/wt", O_RDWR);
	CHECK(fd >= 0 && fstat(fd, &a) == 0);
	CHECK(pwrite(fd, "new", 3, 0) == 3 && fstat(fd, &b) == 0);
	CHECK(ts_ns(&b.st_ctim) > ts_ns(&a.st_ctim));
	CHECK(ts_ns(&b.st_mtim) > ts_ns(&a.st_mtim));
	CHECK(ts_ns(&b.st_mtim) <= ts_ns(&b.st_ctim));
	close(fd);
	unlink(DIR_ "/wt");
}

/* --- h-filecalls: preadv/pwritev, statx, fallocate, locks, O_PATH,
 * close_range --- */

static long
preadv2_(int fd, const struct iovec *iov, int cnt, long off, int flags)
{
	return syscall(SYS_preadv2, fd, iov, cnt, off, 0, flags);
}

static long
pwritev2_(int fd, const struct iovec *iov, int cnt, long off, int flags)
{
	return syscall(SYS_pwritev2, fd, iov, cnt, off, 0, flags);
}

/* preadv/pwritev: positioned, the file offset stays; the scattered pieces. */
static void
t_preadv_pwritev(void)
{
	char a[4] = { 0 }, b[8] = { 0 };
	struct iovec rv[2] = { { a, 3 }, { b, 5 } };
	struct iovec wv[2] = { { "xyz", 3 }, { "UVW", 3 } };
	int fd = open(DIR_ "/pv", O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];

	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10);
	CHECK(lseek(fd, 1, SEEK_SET) == 1);
	CHECK(preadv(fd, rv, 2, 2) == 8);
	CHECK(memcmp(a, "234", 3) == 0 && memcmp(b, "56789", 5) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 1);
	CHECK(preadv(fd, rv, 2, 7) == 3 && memcmp(a, "789", 3) == 0);
	CHECK(preadv(fd, rv, 2, 100) == 0);
	CHECK(pwritev(fd, wv, 2, 12) == 6);
	CHECK(lseek(fd, 0, SEEK_CUR) == 1);
	CHECK(pread(fd, b, 8, 10) == 8 && memcmp(b, "\0\0xyzUVW", 8) == 0);
	CHECK(preadv(fd, rv, 0, 0) == 0);
	/* Errors: negative offset, bad descriptor, pipe, bad array, mode. */
	CHECK(preadv(fd, rv, 2, -1) == -1 && errno == EINVAL);
	CHECK(pwritev(fd, wv, 2, -5) == -1 && errno == EINVAL);
	CHECK(preadv(999, rv, 2, 0) == -1 && errno == EBADF);
	CHECK(preadv(fd, bad_ptr, 2, 0) == -1 && errno == EFAULT);
	CHECK(pwritev(fd, &(struct iovec){ bad_ptr, 4 }, 1, 0) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_preadv, fd, rv, IOV_MAX + 1, 0, 0) == -1 &&
	    errno == EINVAL);
	CHECK(pipe(p) == 0);
	CHECK(preadv(p[0], rv, 2, 0) == -1 && errno == ESPIPE);
	CHECK(pwritev(p[1], wv, 2, 0) == -1 && errno == ESPIPE);
	close(p[0]);
	close(p[1]);
	close(fd);
	fd = open(DIR_ "/pv", O_WRONLY);
	CHECK(fd >= 0 && preadv(fd, rv, 2, 0) == -1 && errno == EBADF);
	close(fd);
	CHECK(unlink(DIR_ "/pv") == 0);
}

/* preadv2/pwritev2: offset -1 is the file's offset; the RWF_ flags. */
static void
t_preadv2_pwritev2(void)
{
	char a[4] = { 0 };
	struct iovec rv = { a, 3 }, wv = { "abc", 3 };
	struct stat st;
	int fd = open(DIR_ "/pv2", O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];

	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10);
	CHECK(lseek(fd, 4, SEEK_SET) == 4);
	CHECK(preadv2_(fd, &rv, 1, -1, 0) == 3 && memcmp(a, "456", 3) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 7);
	CHECK(preadv2_(fd, &rv, 1, 1, RWF_HIPRI) == 3 && memcmp(a, "123", 3) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 7);
	CHECK(pwritev2_(fd, &wv, 1, 0, RWF_DSYNC) == 3);
	CHECK(pwritev2_(fd, &wv, 1, -1, RWF_SYNC) == 3);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(pread(fd, a, 3, 7) == 3 && memcmp(a, "abc", 3) == 0);
	/* RWF_APPEND: at the end whatever the offset; a positioned write
	 * leaves the file offset, one at -1 moves it to the end. */
	CHECK(pwritev2_(fd, &wv, 1, 0, RWF_APPEND) == 3);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 13);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK(lseek(fd, 2, SEEK_SET) == 2);
	CHECK(pwritev2_(fd, &wv, 1, -1, RWF_APPEND) == 3);
	CHECK(lseek(fd, 0, SEEK_CUR) == 16);
	CHECK(pread(fd, a, 3, 0) == 3 && memcmp(a, "abc", 3) == 0);
	/* Errors: offsets below -1, flags Linux does not know (only for a
	 * transfer that moves something), a pipe at an offset. */
	CHECK(preadv2_(fd, &rv, 1, -2, 0) == -1 && errno == EINVAL);
	CHECK(pwritev2_(fd, &wv, 1, -2, 0) == -1 && errno == EINVAL);
	CHECK(preadv2_(fd, &rv, 1, 0, 0x100) == -1 && errno == EOPNOTSUPP);
	CHECK(pwritev2_(fd, &wv, 1, 0, 0x40000000) == -1 && errno == EOPNOTSUPP);
	CHECK(preadv2_(fd, &rv, 0, 0, 0x100) == 0);
	CHECK(preadv2_(fd, bad_ptr, 1, 0, 0) == -1 && errno == EFAULT);
	CHECK(preadv2_(999, &rv, 1, 0, 0) == -1 && errno == EBADF);
	CHECK(pipe(p) == 0);
	CHECK(preadv2_(p[0], &rv, 1, 0, 0) == -1 && errno == ESPIPE);
	CHECK(pwritev2_(p[1], &wv, 1, -1, RWF_APPEND) == 3);
	CHECK(preadv2_(p[0], &rv, 1, -1, 0) == 3 && memcmp(a, "abc", 3) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
	CHECK(unlink(DIR_ "/pv2") == 0);
}

static long
statx_(int dirfd, const char *path, int flags, unsigned int mask,
    struct statx *sx)
{
	return syscall(SYS_statx, dirfd, path, flags, mask, sx);
}

/* statx: the same fields as stat, whatever the mask asked for. */
static void
t_statx(void)
{
	struct statx sx;
	struct stat st;
	int fd = open(DIR_ "/sx", O_RDWR | O_CREAT | O_TRUNC, 0640), p[2];

	CHECK(fd >= 0 && write(fd, "hello", 5) == 5);
	CHECK(stat(DIR_ "/sx", &st) == 0);
	memset(&sx, 0xff, sizeof(sx));
	CHECK(statx_(AT_FDCWD, DIR_ "/sx", 0, STATX_BASIC_STATS, &sx) == 0);
	CHECK((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	CHECK(!(sx.stx_mask & STATX_BTIME));
	CHECK(sx.stx_mode == (S_IFREG | 0640) && sx.stx_size == 5);
	CHECK(sx.stx_ino == st.st_ino && sx.stx_nlink == 1);
	CHECK(sx.stx_uid == st.st_uid && sx.stx_gid == st.st_gid);
	CHECK(sx.stx_blocks == (uint64_t)st.st_blocks);
	CHECK(sx.stx_blksize == (uint32_t)st.st_blksize);
	CHECK(sx.stx_mtime.tv_sec == st.st_mtime);
	CHECK(sx.stx_ctime.tv_sec == st.st_ctime);
	CHECK(sx.stx_atime.tv_sec == st.st_atime);
	CHECK(sx.stx_attributes == 0 && sx.__spare0[0] == 0);
	/* A smaller mask still gets every field. */
	CHECK(statx_(AT_FDCWD, DIR_ "/sx", 0, STATX_TYPE, &sx) == 0);
	CHECK(sx.stx_size == 5 && sx.stx_ino == st.st_ino);
	/* AT_EMPTY_PATH on a file, on a pipe; the sync flags. */
	CHECK(statx_(fd, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, 0, &sx) == 0);
	CHECK(sx.stx_ino == st.st_ino);
	CHECK(statx_(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, 0, &sx) == 0);
	CHECK(pipe(p) == 0);
	CHECK(statx_(p[0], "", AT_EMPTY_PATH, STATX_ALL, &sx) == 0);
	CHECK(S_ISFIFO(sx.stx_mode));
	close(p[0]);
	close(p[1]);
	/* A symlink, followed or not; a device node's numbers. */
	CHECK(symlink("sx", DIR_ "/sxl") == 0);
	CHECK(statx_(AT_FDCWD, DIR_ "/sxl", 0, STATX_BASIC_STATS, &sx) == 0);
	CHECK(S_ISREG(sx.stx_mode) && sx.stx_ino == st.st_ino);
	CHECK(statx_(AT_FDCWD, DIR_ "/sxl", AT_SYMLINK_NOFOLLOW,
	    STATX_BASIC_STATS, &sx) == 0);
	CHECK(S_ISLNK(sx.stx_mode) && sx.stx_size == 2);
	CHECK(mknod(DIR_ "/sxd", S_IFCHR | 0600, makedev(1, 3)) == 0);
	CHECK(statx_(AT_FDCWD, DIR_ "/sxd", 0, 0, &sx) == 0);
	CHECK(sx.stx_rdev_major == 1 && sx.stx_rdev_minor == 3);
	/* Relative to a directory descriptor. */
	{
		int dfd = open(DIR_, O_RDONLY | O_DIRECTORY);

		CHECK(dfd >= 0 && statx_(dfd, "sx", 0, 0, &sx) == 0);
		CHECK(sx.stx_ino == st.st_ino);
		close(dfd);
	}
	/* Errors. */
	CHECK(statx_(AT_FDCWD, DIR_ "/sx", 0, 0x80000000U, &sx) == -1 &&
	    errno == EINVAL);
	CHECK(statx_(AT_FDCWD, DIR_ "/sx", AT_STATX_SYNC_TYPE, 0, &sx) == -1 &&
	    errno == EINVAL);
	CHECK(statx_(AT_FDCWD, DIR_ "/sx", 0x8, 0, &sx) == -1 && errno == EINVAL);
	CHECK(statx_(AT_FDCWD, DIR_ "/sx", 0, 0, bad_ptr) == -1 && errno == EFAULT);
	CHECK(statx_(AT_FDCWD, bad_ptr, 0, 0, &sx) == -1 && errno == EFAULT);
	CHECK(statx_(AT_FDCWD, "", 0, 0, &sx) == -1 && errno == ENOENT);
	CHECK(statx_(AT_FDCWD, DIR_ "/none", 0, 0, &sx) == -1 && errno == ENOENT);
	CHECK(statx_(999, "", AT_EMPTY_PATH, 0, &sx) == -1 && errno == EBADF);
	CHECK(statx_(999, "x", 0, 0, &sx) == -1 && errno == EBADF);
	CHECK(statx_(fd, "x", 0, 0, &sx) == -1 && errno == ENOTDIR);
	close(fd);
	CHECK(unlink(DIR_ "/sxd") == 0 && unlink(DIR_ "/sxl") == 0);
	CHECK(unlink(DIR_ "/sx") == 0);
}

/* Whether bytes [off, off + n) of fd are all zero. */
static bool
zeros_at(int fd, off_t off, size_t n)
{
	char buf[512];

	while (n > 0) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		if (pread(fd, buf, k, off) != (ssize_t)k)
			return false;
		for (size_t i = 0; i < k; i++)
			if (buf[i] != 0)
				return false;
		off += (off_t)k;
		n -= k;
	}
	return true;
}

/* fallocate: blocks for the range, data kept, the size as the mode says. */
static void
t_fallocate(void)
{
	int fd = open(EXT2_ "fa", O_RDWR | O_CREAT | O_TRUNC, 0644), p[2], ro;
	char buf[4];
	struct stat st;

	CHECK(fd >= 0 && write(fd, "abc", 3) == 3);
	/* Mode 0: the file grows; old data stays, new bytes read as zeros. */
	CHECK(fallocate(fd, 0, 0, 10000) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10000 && st.st_blocks == 24);
	CHECK(pread(fd, buf, 3, 0) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(zeros_at(fd, 3, 10000 - 3));
	CHECK(fallocate(fd, 0, 100, 200) == 0);		/* inside: nothing to do */
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10000 && st.st_blocks == 24);
	/* A hole in the middle gets its block; the size stays. */
	CHECK(ftruncate(fd, 0) == 0 && ftruncate(fd, 40960) == 0);
	CHECK(pwrite(fd, "x", 1, 40959) == 1);
	CHECK(fstat(fd, &st) == 0 && st.st_blocks == 8);
	CHECK(fallocate(fd, 0, 8192, 4096) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 40960 && st.st_blocks == 16);
	CHECK(zeros_at(fd, 0, 40959));
	/* KEEP_SIZE fills the holes below the end and leaves the size. */
	CHECK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 40960 && st.st_blocks == 80);
	CHECK(zeros_at(fd, 0, 40959));
	/* Past the end: one block further, after a gap left as a hole. */
	CHECK(fallocate(fd, 0, 65536, 10) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 65546);
	CHECK(zeros_at(fd, 40960, 65546 - 40960));
	CHECK(write(fd, "", 0) == 0 && fsync(fd) == 0);
	/* More than the disk holds: ENOSPC before anything changes. */
	CHECK(fallocate(fd, 0, 0, 1L << 40) == -1 && errno == ENOSPC);
	CHECK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1L << 40) == -1 &&
	    errno == ENOSPC);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 65546);
	/* Errors, in Linux's order. */
	CHECK(fallocate(fd, 0, -1, 10) == -1 && errno == EINVAL);
	CHECK(fallocate(fd, 0, 0, 0) == -1 && errno == EINVAL);
	CHECK(fallocate(fd, 0, 0, -4) == -1 && errno == EINVAL);
	CHECK(fallocate(fd, 0x100, 0, 10) == -1 && errno == EOPNOTSUPP);
	CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 10) == -1 &&
	    errno == EOPNOTSUPP);
	CHECK(fallocate(999, FALLOC_FL_PUNCH_HOLE, 0, 10) == -1 &&
	    errno == EOPNOTSUPP);
	CHECK(fallocate(999, 0, 0, 10) == -1 && errno == EBADF);
	CHECK(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 10) ==
	    -1 && errno == EOPNOTSUPP);
	CHECK(fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 10) == -1 &&
	    errno == EOPNOTSUPP);
	CHECK(fallocate(fd, 0, EXT2_4K_MAX - 10, 11) == -1 && errno == EFBIG);
	CHECK(fallocate(fd, 0, 1, LONG_MAX) == -1 && errno == EFBIG);
	ro = open(EXT2_ "fa", O_RDONLY);
	CHECK(ro >= 0 && fallocate(ro, 0, 0, 10) == -1 && errno == EBADF);
	close(ro);
	CHECK(pipe(p) == 0);
	CHECK(fallocate(p[1], 0, 0, 10) == -1 && errno == ESPIPE);
	CHECK(fallocate(p[0], 0, 0, 10) == -1 && errno == EBADF);
	close(p[0]);
	close(p[1]);
	ro = open("/dev/null", O_WRONLY);
	CHECK(ro >= 0 && fallocate(ro, 0, 0, 10) == -1 && errno == ENODEV);
	close(ro);
	CHECK(fallocate(1, 0, 0, 10) == -1 && errno == ENODEV);	/* console */
	close(fd);
	CHECK(unlink(EXT2_ "fa") == 0);
}

/* fcntl lock command cmd of type on [start, start + len) through fd. */
static int
lk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* What F_GETLK (or F_OFD_GETLK) says of a write lock on [start, start +
 * len) through fd. */
static struct flock
getlk(int fd, int cmd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };

	CHECK(fcntl(fd, cmd, &fl) == 0);
	return fl;
}

static bool
lock_is(struct flock fl, int type, off_t start, off_t len, pid_t pid)
{
	return fl.l_type == type && fl.l_whence == SEEK_SET &&
	    fl.l_start == start && fl.l_len == len && fl.l_pid == pid;
}

/* Run fn(fd) in a child (where the parent's POSIX locks are another
 * owner's); CHECKs there fail the test. */
static void
in_child(void (*fn)(int), int fd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn(fd);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		_exit(1);	/* the child's CHECK said why (only one may) */
}

static void
child_sees_split(int fd)
{
	pid_t pp = getppid();

	CHECK(lock_is(getlk(fd, F_GETLK, 0, 0), F_WRLCK, 0, 40, pp));
	CHECK(getlk(fd, F_GETLK, 40, 20).l_type == F_UNLCK);
	CHECK(lock_is(getlk(fd, F_GETLK, 50, 0), F_RDLCK, 60, 40, pp));
	CHECK(lock_is(getlk(fd, F_GETLK, 100, 0), F_WRLCK, 100, 0, pp));
	CHECK(lk(fd, F_SETLK, F_RDLCK, 30, 5) == -1 && errno == EAGAIN);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 65, 5) == 0);	/* reads share */
	CHECK(lk(fd, F_SETLK, F_WRLCK, 45, 10) == 0);
}

static void
child_sees_merge(int fd)
{
	pid_t pp = getppid();

	CHECK(lock_is(getlk(fd, F_GETLK, 0, 0), F_RDLCK, 0, 30, pp));
	CHECK(lk(fd, F_SETLK, F_RDLCK, 0, 0) == 0);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 30, 1) == 0);
}

static void
child_sees_none(int fd)
{
	CHECK(getlk(fd, F_GETLK, 0, 0).l_type == F_UNLCK);
}

static void
child_sees_whence(int fd)
{
	pid_t pp = getppid();

	CHECK(lock_is(getlk(fd, F_GETLK, 0, 5), F_WRLCK, 2, 3, pp));
	CHECK(lock_is(getlk(fd, F_GETLK, 5, 0), F_WRLCK, 12, 3, pp));
}

/* POSIX record locks: conflicts seen by another process, splits, merges,
 * type changes, and the owner's own locks never conflicting. */
static void
t_fcntl_locks(void)
{
	int fd = open(DIR_ "/lk", O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct flock fl;

	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10);
	CHECK(getlk(fd, F_GETLK, 0, 0).l_type == F_UNLCK);
	/* Write-lock everything, unlock [40, 60), read-lock [60, 100). */
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	CHECK(getlk(fd, F_GETLK, 0, 0).l_type == F_UNLCK);	/* our own */
	CHECK(lk(fd, F_SETLK, F_UNLCK, 40, 20) == 0);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 60, 40) == 0);
	in_child(child_sees_split, fd);
	/* Unlock all; adjacent read locks merge into one. */
	CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	in_child(child_sees_none, fd);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 0, 10) == 0);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 20, 10) == 0);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 10, 10) == 0);
	in_child(child_sees_merge, fd);
	CHECK(lk(fd, F_SETLK, F_UNLCK, 0, 0) == 0);
	/* Whence and negative lengths: SEEK_CUR from the offset (10), SEEK_END
	 * from the size (10), l_len < 0 the bytes before. */
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_CUR,
	    .l_start = -5, .l_len = -3 };
	CHECK(fcntl(fd, F_SETLK, &fl) == 0);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_END,
	    .l_start = 2, .l_len = 3 };
	CHECK(fcntl(fd, F_SETLK, &fl) == 0);
	in_child(child_sees_whence, fd);
	/* Errors. */
	CHECK(lk(999, F_SETLK, F_WRLCK, 0, 0) == -1 && errno == EBADF);
	CHECK(lk(fd, F_SETLK, 7, 0, 0) == -1 && errno == EINVAL);
	CHECK(lk(fd, F_GETLK, F_UNLCK, 0, 0) == -1 && errno == EINVAL);
	CHECK(lk(fd, F_SETLK, F_WRLCK, -1, 5) == -1 && errno == EINVAL);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 3, -5) == -1 && errno == EINVAL);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 2, LLONG_MAX) == -1 && errno == EOVERFLOW);
	CHECK(lk(fd, F_SETLK, F_WRLCK, LLONG_MAX, 2) == -1 && errno == EOVERFLOW);
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = 3 };
	CHECK(fcntl(fd, F_SETLK, &fl) == -1 && errno == EINVAL);
	CHECK(fcntl(fd, F_SETLK, bad_ptr) == -1 && errno == EFAULT);
	CHECK(fcntl(fd, F_GETLK, bad_ptr) == -1 && errno == EFAULT);
	close(fd);
	fd = open(DIR_ "/lk", O_RDONLY);
	CHECK(fd >= 0 && lk(fd, F_SETLK, F_WRLCK, 0, 0) == -1 && errno == EBADF);
	CHECK(lk(fd, F_SETLK, F_RDLCK, 0, 0) == 0);
	close(fd);
	fd = open(DIR_ "/lk", O_WRONLY);
	CHECK(fd >= 0 && lk(fd, F_SETLK, F_RDLCK, 0, 0) == -1 && errno == EBADF);
	CHECK(lk(fd, F_GETLK, F_WRLCK, 0, 0) == 0);	/* a test needs no mode */
	close(fd);
	CHECK(unlink(DIR_ "/lk") == 0);
}

/* A POSIX lock goes with any close of the file by its process, with
 * dup2 over a descriptor of it, and with the process's exit. */
static void
t_fcntl_locks_release(void)
{
	int fd = open(DIR_ "/lr", O_RDWR | O_CREAT | O_TRUNC, 0644), fd2, go[2];
	int status;
	char c;
	pid_t pid;

	CHECK(fd >= 0 && lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	fd2 = open(DIR_ "/lr", O_RDONLY);
	CHECK(fd2 >= 0 && close(fd2) == 0);
	in_child(child_sees_none, fd);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	fd2 = dup(fd);
	CHECK(fd2 >= 0 && dup2(1, fd2) == fd2);
	in_child(child_sees_none, fd);
	/* A child's lock goes when it exits (here while it sleeps on the
	 * parent's pipe, killed). */
	CHECK(pipe(go) == 0);
	pid = fork();
	if (pid == 0) {
		CHECK(lk(fd, F_SETLK, F_WRLCK, 5, 5) == 0);
		CHECK(write(go[1], "x", 1) == 1);
		pause();
		_exit(0);
	}
	CHECK(pid > 0 && read(go[0], &c, 1) == 1);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == -1 && errno == EAGAIN);
	CHECK(lock_is(getlk(fd, F_GETLK, 0, 0), F_WRLCK, 5, 5, pid));
	CHECK(kill(pid, SIGKILL) == 0 && waitpid(pid, &status, 0) == pid);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	close(go[0]);
	close(go[1]);
	close(fd);
	CHECK(unlink(DIR_ "/lr") == 0);
}

static void
alarm_handler(int sig)
{
	(void)sig;
}

/* F_SETLKW: waits for the holder to go, ends on a signal with EINTR, and
 * fails with EDEADLK instead of closing a cycle of waiters. */
static void
t_fcntl_setlkw(void)
{
	int fd = open(DIR_ "/lw", O_RDWR | O_CREAT | O_TRUNC, 0644), go[2];
	struct sigaction sa = { .sa_handler = alarm_handler };
	int status, r, e;
	char c;
	pid_t pid, ticker;

	CHECK(fd >= 0 && pipe(go) == 0);
	/* The child holds [0, 10) a moment, then exits. */
	pid = fork();
	if (pid == 0) {
		CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 10) == 0);
		CHECK(write(go[1], "x", 1) == 1);
		usleep(200000);
		_exit(0);
	}
	CHECK(pid > 0 && read(go[0], &c, 1) == 1);
	CHECK(lk(fd, F_SETLK, F_WRLCK, 5, 1) == -1 && errno == EAGAIN);
	CHECK(lk(fd, F_SETLKW, F_WRLCK, 5, 1) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	/* Interrupted: the child holds [100, 110) until killed. */
	pid = fork();
	if (pid == 0) {
		CHECK(lk(fd, F_SETLK, F_WRLCK, 100, 10) == 0);
		CHECK(write(go[1], "x", 1) == 1);
		pause();
		_exit(0);
	}
	CHECK(pid > 0 && read(go[0], &c, 1) == 1);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	ticker = fork();
	if (ticker == 0) {
		for (;;) {		/* until one lands while we wait */
			usleep(50000);
			kill(getppid(), SIGALRM);
		}
	}
	CHECK(ticker > 0);
	CHECK(lk(fd, F_SETLKW, F_RDLCK, 105, 1) == -1 && errno == EINTR);
	CHECK(kill(ticker, SIGKILL) == 0 && waitpid(ticker, &status, 0) == ticker);
	CHECK(kill(pid, SIGKILL) == 0 && waitpid(pid, &status, 0) == pid);
	/* Deadlock: we hold [200], the child [201]; each then waits for the
	 * other's.  Whichever asks second gets EDEADLK; the other then gets
	 * its lock once the first gives up (the child by exiting). */
	CHECK(lk(fd, F_SETLK, F_WRLCK, 200, 1) == 0);
	pid = fork();
	if (pid == 0) {
		CHECK(lk(fd, F_SETLK, F_WRLCK, 201, 1) == 0);
		CHECK(write(go[1], "x", 1) == 1);
		r = lk(fd, F_SETLKW, F_WRLCK, 200, 1);
		_exit(r == 0 ? 0 : errno == EDEADLK ? 2 : 3);
	}
	CHECK(pid > 0 && read(go[0], &c, 1) == 1);
	usleep(50000);		/* mostly: the child waits by now */
	r = lk(fd, F_SETLKW, F_WRLCK, 201, 1);
	e = errno;
	if (r == -1)
		CHECK(e == EDEADLK && lk(fd, F_SETLK, F_UNLCK, 200, 1) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK(r == -1 ? WEXITSTATUS(status) == 0 : WEXITSTATUS(status) == 2);
	close(go[0]);
	close(go[1]);
	close(fd);
	CHECK(unlink(DIR_ "/lw") == 0);
}

/* OFD locks: owned by the open file (shared by dup and fork), meeting
 * POSIX locks, released on the file's last close. */
static void
t_ofd_locks(void)
{
	int a = open(DIR_ "/ofd", O_RDWR | O_CREAT | O_TRUNC, 0644), b, d, status;
	struct flock fl;
	pid_t pid;

	b = open(DIR_ "/ofd", O_RDWR);
	CHECK(a >= 0 && b >= 0);
	CHECK(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10) == 0);
	CHECK(lk(b, F_OFD_SETLK, F_WRLCK, 5, 1) == -1 && errno == EAGAIN);
	CHECK(lk(b, F_SETLK, F_WRLCK, 5, 1) == -1 && errno == EAGAIN);
	CHECK(lock_is(getlk(b, F_OFD_GETLK, 0, 0), F_WRLCK, 0, 10, -1));
	CHECK(lock_is(getlk(b, F_GETLK, 0, 0), F_WRLCK, 0, 10, -1));
	CHECK(getlk(a, F_OFD_GETLK, 0, 0).l_type == F_UNLCK);
	/* Our POSIX lock is another owner for a's OFD lock. */
	CHECK(lk(b, F_SETLK, F_RDLCK, 20, 5) == 0);
	CHECK(lock_is(getlk(a, F_OFD_GETLK, 10, 0), F_RDLCK, 20, 5, getpid()));
	CHECK(lk(a, F_OFD_SETLK, F_WRLCK, 20, 1) == -1 && errno == EAGAIN);
	CHECK(lk(b, F_SETLK, F_UNLCK, 0, 0) == 0);
	/* A dup and a child share the owner; closing a dup keeps the lock. */
	d = dup(a);
	CHECK(d >= 0 && lk(d, F_OFD_SETLK, F_WRLCK, 5, 10) == 0);
	pid = fork();
	if (pid == 0)
		_exit(lk(a, F_OFD_SETLK, F_RDLCK, 0, 2) == 0 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(close(d) == 0);
	CHECK(lock_is(getlk(b, F_OFD_GETLK, 0, 0), F_RDLCK, 0, 2, -1));
	CHECK(lock_is(getlk(b, F_OFD_GETLK, 2, 0), F_WRLCK, 2, 13, -1));
	CHECK(close(a) == 0);
	CHECK(getlk(b, F_OFD_GETLK, 0, 0).l_type == F_UNLCK);
	/* Waiting; and l_pid must be 0. */
	a = open(DIR_ "/ofd", O_RDWR);
	CHECK(a >= 0 && lk(a, F_OFD_SETLK, F_WRLCK, 0, 0) == 0);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		close(a);
		_exit(0);
	}
	CHECK(pid > 0 && close(a) == 0);
	CHECK(lk(b, F_OFD_SETLKW, F_WRLCK, 0, 0) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	fl = (struct flock){ .l_type = F_RDLCK, .l_pid = 1 };
	CHECK(fcntl(b, F_OFD_SETLK, &fl) == -1 && errno == EINVAL);
	fl = (struct flock){ .l_type = F_RDLCK, .l_pid = 1 };
	CHECK(fcntl(b, F_OFD_GETLK, &fl) == -1 && errno == EINVAL);
	close(b);
	CHECK(unlink(DIR_ "/ofd") == 0);
}

/* flock: whole-file locks of the open file, apart from fcntl's. */
static void
t_flock(void)
{
	int a = open(DIR_ "/fl", O_RDWR | O_CREAT | O_TRUNC, 0644), b, c, p[2];
	int status;
	pid_t pid;

	b = open(DIR_ "/fl", O_RDONLY);
	c = open(DIR_ "/fl", O_WRONLY);
	CHECK(a >= 0 && b >= 0 && c >= 0);
	CHECK(flock(a, LOCK_EX) == 0 && flock(a, LOCK_EX) == 0);
	CHECK(flock(b, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK(flock(b, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK(lk(c, F_SETLK, F_WRLCK, 0, 0) == 0);	/* fcntl's are apart */
	CHECK(lk(c, F_SETLK, F_UNLCK, 0, 0) == 0);
	CHECK(flock(a, LOCK_SH) == 0);			/* converted */
	CHECK(flock(b, LOCK_SH | LOCK_NB) == 0 && flock(c, LOCK_SH) == 0);
	CHECK(flock(c, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK(flock(a, LOCK_UN) == 0 && flock(b, LOCK_UN) == 0);
	CHECK(flock(c, LOCK_EX | LOCK_NB) == 0 && flock(c, LOCK_UN) == 0);
	CHECK(flock(c, LOCK_UN) == 0);
	/* Inherited by a child; the last close releases; a waiter waits. */
	CHECK(flock(a, LOCK_EX) == 0);
	pid = fork();
	if (pid == 0) {
		close(b);
		usleep(100000);
		_exit(flock(a, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		_exit(0);		/* its copy of a closes */
	}
	CHECK(pid > 0 && close(a) == 0);
	CHECK(flock(b, LOCK_SH) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(flock(b, LOCK_UN) == 0);
	/* A pipe's two ends are one file to lock. */
	CHECK(pipe(p) == 0);
	CHECK(flock(p[0], LOCK_EX) == 0);
	CHECK(flock(p[1], LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	close(p[0]);
	CHECK(flock(p[1], LOCK_EX | LOCK_NB) == 0);
	close(p[1]);
	/* Errors. */
	CHECK(flock(b, 0) == -1 && errno == EINVAL);
	CHECK(flock(b, LOCK_SH | LOCK_EX) == -1 && errno == EINVAL);
	CHECK(flock(b, LOCK_NB) == -1 && errno == EINVAL);
	CHECK(flock(999, LOCK_SH) == -1 && errno == EBADF);
	CHECK(flock(999, 0) == -1 && errno == EINVAL);
	close(b);
	close(c);
	CHECK(unlink(DIR_ "/fl") == 0);
}

/* F_SETPIPE_SZ/F_GETPIPE_SZ: power-of-two pages, data kept across. */
static void
t_pipe_size(void)
{
	static char out[8192], in[8192];
	int p[2], fd;

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 + 3);
	CHECK(pipe(p) == 0);
	CHECK(fcntl(p[0], F_GETPIPE_SZ) == 65536);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 0) == 4096);
	CHECK(fcntl(p[0], F_GETPIPE_SZ) == 4096);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 5000) == 8192);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == 4096);
	/* Wrap the ring, then grow it: the bytes come out in order. */
	CHECK(write(p[1], out, 3000) == 3000 && read(p[0], in, 3000) == 3000);
	CHECK(write(p[1], out, 3000) == 3000);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 2000) == 4096);	/* holds 3000 */
	CHECK(fcntl(p[0], F_SETPIPE_SZ, 1 << 16) == 65536);
	CHECK(write(p[1], out + 3000, 5000) == 5000);
	CHECK(read(p[0], in, 8192) == 8000 && memcmp(in, out, 8000) == 0);
	/* Shrinking below what it holds is EBUSY, however rounded. */
	CHECK(write(p[1], out, 5000) == 5000);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == -1 && errno == EBUSY);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4097) == 8192);
	CHECK(read(p[0], in, 8192) == 5000 && memcmp(in, out, 5000) == 0);
	/* A full ring takes no more; a non-blocking writer says so. */
	CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 4096) == 4096);
	CHECK(write(p[1], out, 8192) == 4096);
	CHECK(write(p[1], out, 1) == -1 && errno == EAGAIN);
	CHECK(read(p[0], in, 8192) == 4096 && memcmp(in, out, 4096) == 0);
	/* The limit: 1 MiB here (everyone's, see sys_pipe.c). */
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 1 << 20) == 1 << 20);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, (1 << 20) + 1) == -1 && errno == EPERM);
	CHECK(fcntl(p[1], F_SETPIPE_SZ, 0x80000001U) == -1 && errno == EINVAL);
	close(p[0]);
	close(p[1]);
	/* Not a pipe: EBADF. */
	fd = open(DIR_, O_RDONLY);
	CHECK(fd >= 0 && fcntl(fd, F_GETPIPE_SZ) == -1 && errno == EBADF);
	CHECK(fcntl(fd, F_SETPIPE_SZ, 4096) == -1 && errno == EBADF);
	close(fd);
}

/* O_PATH: a descriptor that names a file: fstat, fchdir, "at" calls, dup,
 * close and some fcntls work; anything that would use the file is EBADF. */
static void
t_o_path(void)
{
	struct stat st, st2;
	char buf[4];
	int fd, d, dfd;
	struct pollfd pfd;

	write_file(DIR_ "/op", "data");
	fd = open(DIR_ "/op", O_PATH | O_RDWR | O_CREAT | O_TRUNC | O_APPEND);
	CHECK(fd >= 0 && fcntl(fd, F_GETFL) == O_PATH);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 4);	/* no O_TRUNC */
	CHECK(fstatat(fd, "", &st2, AT_EMPTY_PATH) == 0 && st2.st_ino == st.st_ino);
	CHECK(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_SIZE,
	    &(struct statx){ 0 }) == 0);
	CHECK(fcntl(fd, F_GETFD) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	d = dup(fd);
	CHECK(d >= 0 && fcntl(d, F_GETFL) == O_PATH && close(d) == 0);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	CHECK(d >= 10 && dup2(d, d + 1) == d + 1);
	CHECK(close(d) == 0 && close(d + 1) == 0);
	/* EBADF for everything else. */
	CHECK(read(fd, buf, 1) == -1 && errno == EBADF);
	CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(pread(fd, buf, 1, 0) == -1 && errno == EBADF);
	CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == EBADF);
	CHECK(ioctl(fd, FIOCLEX) == -1 && errno == EBADF);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	    errno == EBADF);
	CHECK(fchmod(fd, 0600) == -1 && errno == EBADF);
	CHECK(fchown(fd, 0, 0) == -1 && errno == EBADF);
	CHECK(ftruncate(fd, 0) == -1 && errno == EBADF);
	CHECK(fsync(fd) == -1 && errno == EBADF);
	CHECK(fallocate(fd, 0, 0, 10) == -1 && errno == EBADF);
	CHECK(flock(fd, LOCK_SH) == -1 && errno == EBADF);
	CHECK(lk(fd, F_GETLK, F_RDLCK, 0, 0) == -1 && errno == EBADF);
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == -1 && errno == EBADF);
	CHECK(futimens(fd, NULL) == -1 && errno == EBADF);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLNVAL);
	CHECK(close(fd) == 0);
	/* A directory: fchdir, a dirfd for the "at" calls; not getdents. */
	dfd = open(DIR_, O_PATH | O_DIRECTORY);
	CHECK(dfd >= 0 && fstatat(dfd, "op", &st2, 0) == 0);
	CHECK(st2.st_ino == st.st_ino);
	fd = openat(dfd, "op", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 4) == 4 && close(fd) == 0);
	CHECK(syscall(SYS_getdents64, dfd, buf, sizeof(buf)) == -1 &&
	    errno == EBADF);
	CHECK(fchdir(dfd) == 0 && stat("op", &st2) == 0);
	CHECK(chdir("/") == 0 && close(dfd) == 0);
	CHECK(open(DIR_ "/op", O_PATH | O_DIRECTORY) == -1 && errno == ENOTDIR);
	/* A symlink itself with O_NOFOLLOW; a FIFO without waiting. */
	CHECK(symlink("op", DIR_ "/opl") == 0);
	fd = open(DIR_ "/opl", O_PATH | O_NOFOLLOW);
	CHECK(fd >= 0 && fstat(fd, &st2) == 0 && S_ISLNK(st2.st_mode));
	CHECK(close(fd) == 0);
	fd = open(DIR_ "/opl", O_PATH);
	CHECK(fd >= 0 && fstat(fd, &st2) == 0 && S_ISREG(st2.st_mode));
	CHECK(close(fd) == 0);
	CHECK(mkfifo(DIR_ "/opf", 0644) == 0);
	fd = open(DIR_ "/opf", O_PATH);
	CHECK(fd >= 0 && fstat(fd, &st2) == 0 && S_ISFIFO(st2.st_mode));
	CHECK(read(fd, buf, 1) == -1 && errno == EBADF && close(fd) == 0);
	fd = open("/dev/null", O_PATH);
	CHECK(fd >= 0 && write(fd, "x", 1) == -1 && errno == EBADF);
	CHECK(close(fd) == 0);
	CHECK(unlink(DIR_ "/opf") == 0 && unlink(DIR_ "/opl") == 0);
	CHECK(unlink(DIR_ "/op") == 0);
}

/*
 * The last descriptors of the table (254 and 255; 256 is out of it) are
 * as real as the first: fork copies them, /proc/PID/fd lists them, exec
 * closes the close-on-exec one and keeps the other (the probe:
 * UTEST_FD_PROBE), exit drops them.
 */
static void
t_fd_table_top(void)
{
	int fd = open("/test/utest", O_RDONLY), status, found = 0;
	struct dirent *e;
	DIR *d;
	pid_t pid;

	CHECK(fd >= 0 && dup2(fd, 254) == 254);
	CHECK(dup3(fd, 255, O_CLOEXEC) == 255);
	CHECK(dup2(fd, 256) == -1 && errno == EBADF);
	pid = fork();
	if (pid == 0)
		_exit(fcntl(254, F_GETFD) == 0 &&
		    fcntl(255, F_GETFD) == FD_CLOEXEC ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	d = opendir("/proc/self/fd");
	CHECK(d != NULL);
	while ((e = readdir(d)) != NULL)
		found += atoi(e->d_name) >= 254;
	closedir(d);
	CHECK(found == 2);
	CHECK(run_probe("UTEST_FD_PROBE=1") == 0);
	CHECK(close(255) == 0 && close(254) == 0 && close(fd) == 0);
}

/* close_range: closes (or marks close-on-exec) a range, skipping holes. */
static void
t_close_range(void)
{
	int fd = open(DIR_ "/cr", O_RDWR | O_CREAT | O_TRUNC, 0644), status;
	pid_t pid;

	CHECK(fd >= 0);
	for (int i = 20; i < 30; i += 2)
		CHECK(dup2(fd, i) == i);
	CHECK(syscall(SYS_close_range, 21, 26, 0) == 0);
	CHECK(fcntl(20, F_GETFD) == 0 && fcntl(28, F_GETFD) == 0);
	for (int i = 21; i <= 26; i++)
		CHECK(fcntl(i, F_GETFD) == -1 && errno == EBADF);
	/* CLOSE_RANGE_CLOEXEC: still open, closed by exec. */
	CHECK(syscall(SYS_close_range, 20, ~0U, CLOSE_RANGE_CLOEXEC) == 0);
	CHECK(fcntl(20, F_GETFD) == FD_CLOEXEC && fcntl(28, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(27, F_GETFD) == -1 && errno == EBADF);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "/bin/sh", "-c",
		    "{ true <&20; } 2>/dev/null; test $? -ne 0", NULL };

		execv(argv[0], argv);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	/* Closing releases POSIX locks as close does; UNSHARE changes nothing. */
	CHECK(lk(fd, F_SETLK, F_WRLCK, 0, 0) == 0);
	CHECK(syscall(SYS_close_range, 20, 20, CLOSE_RANGE_UNSHARE) == 0);
	CHECK(fcntl(20, F_GETFD) == -1 && errno == EBADF);
	in_child(child_sees_none, fd);
	CHECK(syscall(SYS_close_range, 28, 28, 0) == 0);
	CHECK(syscall(SYS_close_range, 200, 100000, 0) == 0);
	/* Errors. */
	CHECK(syscall(SYS_close_range, 5, 4, 0) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_close_range, 0, ~0U, 1) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_close_range, 0, ~0U, 8) == -1 && errno == EINVAL);
	CHECK(fcntl(fd, F_GETFD) == 0 && close(fd) == 0);
	CHECK(unlink(DIR_ "/cr") == 0);
}

/* --- job control: stop, continue, waitid (h-jobctl) --------------------- */

/*
 * A child spinning in user mode, adding to *count (shared memory), in a
 * group of its own: one with a parent outside it in the session, so not
 * orphaned (SIGTSTP stops only outside orphaned groups, and ours may be
 * one: under init=/test/utest, the leader's parent is init).
 */
static pid_t
jc_spinner(volatile uint64_t *count)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			(*count)++;
	}
	CHECK(pid > 0);
	setpgid(pid, pid);
	return pid;
}

static volatile uint64_t *
jc_shared_counters(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

/* Do the counters stand still for 100 ms? */
static bool
jc_still(volatile uint64_t *c, int n)
{
	uint64_t before[4];

	for (int i = 0; i < n; i++)
		before[i] = c[i];
	usleep(100000);
	for (int i = 0; i < n; i++)
		if (c[i] != before[i])
			return false;
	return true;
}

/*
 * SIGSTOP stops a process spinning in user mode; wait4 reports the stop
 * once (WUNTRACED) and the continue once (WCONTINUED); a stopped process
 * keeps other signals pending until it continues.
 */
static void
t_jc_stop_cont_wait4(void)
{
	volatile uint64_t *count = jc_shared_counters();
	int status;
	pid_t pid = jc_spinner(count);

	while (count[0] == 0)
		sched_yield();
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	CHECK(status == 0x137f && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	CHECK(jc_still(count, 1));
	CHECK(waitpid(pid, &status, WUNTRACED | WNOHANG) == 0);	/* once */
	CHECK(waitpid(pid, &status, WCONTINUED | WNOHANG) == 0);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid);
	CHECK(status == 0xffff && WIFCONTINUED(status));
	CHECK(waitpid(pid, &status, WCONTINUED | WNOHANG) == 0);
	CHECK(!jc_still(count, 1));
	/* SIGTSTP stops too; SIGTERM then waits for the continue. */
	CHECK(kill(pid, SIGTSTP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP);
	CHECK(kill(pid, SIGTERM) == 0);
	usleep(50000);
	CHECK(waitpid(pid, &status, WNOHANG) == 0);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	munmap((void *)count, 4096);
}

static void *
jc_spin_thread(void *arg)
{
	volatile uint64_t *c = arg;

	for (;;)
		(*c)++;
	return NULL;
}

/* Every thread of a stopped process parks; SIGKILL kills it stopped. */
static void
t_jc_stop_threads_sigkill(void)
{
	volatile uint64_t *count = jc_shared_counters();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t[2];

		for (int i = 0; i < 2; i++)
			CHECK(pthread_create(&t[i], NULL, jc_spin_thread,
			    (void *)&count[i + 1]) == 0);
		jc_spin_thread((void *)&count[0]);
	}
	CHECK(pid > 0);
	while (count[0] == 0 || count[1] == 0 || count[2] == 0)
		sched_yield();
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	CHECK(jc_still(count, 3));
	/* Continued and stopped at once: every thread runs, then stops. */
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(!jc_still(count, 3));
	for (int round = 0; round < 20; round++) {
		CHECK(kill(pid, SIGSTOP) == 0 && kill(pid, SIGCONT) == 0);
	}
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	CHECK(jc_still(count, 3));
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	munmap((void *)count, 4096);
}

static void *
jc_read_thread(void *arg)
{
	char c;

	return (void *)(intptr_t)(read(*(int *)arg, &c, 1) == 1 ? 0 : errno);
}

/*
 * SIGCONT right behind SIGSTOP, over and over, while two threads wait in
 * read: a stop ended before a thread parked must not leave its read with
 * EINTR (on Linux the call is restarted; no handler ran).
 */
static void
t_jc_stop_cont_no_eintr(void)
{
	int fds[2], status;
	pid_t pid;

	CHECK(pipe(fds) == 0);
	pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *rv;
		char c;

		CHECK(pthread_create(&t, NULL, jc_read_thread, &fds[0]) == 0);
		CHECK(read(fds[0], &c, 1) == 1);
		CHECK(pthread_join(t, &rv) == 0 && rv == NULL);
		_exit(0);
	}
	CHECK(pid > 0);
	usleep(50000);
	for (int i = 0; i < 200; i++)
		CHECK(kill(pid, SIGSTOP) == 0 && kill(pid, SIGCONT) == 0);
	CHECK(write(fds[1], "ab", 2) == 2);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	close(fds[0]);
	close(fds[1]);
}

static void
jc_nop(int sig)
{
	(void)sig;
}

/*
 * A posted SIGCONT throws pending stop signals away, and a posted stop
 * signal a pending SIGCONT (both blocked here, so they stay pending).
 */
static void
t_jc_sigcont_discards_stops(void)
{
	int go[2], res[2], status;
	char c;
	pid_t pid;

	CHECK(pipe(go) == 0 && pipe(res) == 0);
	pid = fork();
	if (pid == 0) {
		sigset_t block, pend;

		signal(SIGCONT, jc_nop);
		sigemptyset(&block);
		sigaddset(&block, SIGCONT);
		sigaddset(&block, SIGTSTP);
		sigaddset(&block, SIGTTIN);
		sigprocmask(SIG_BLOCK, &block, NULL);
		write(res[1], "r", 1);
		for (int step = 0; step < 2; step++) {
			read(go[0], &c, 1);
			sigpending(&pend);
			c = (char)('0' + sigismember(&pend, SIGCONT) * 4 +
			    sigismember(&pend, SIGTSTP) * 2 +
			    sigismember(&pend, SIGTTIN));
			write(res[1], &c, 1);
		}
		_exit(0);
	}
	CHECK(pid > 0 && read(res[0], &c, 1) == 1);
	CHECK(kill(pid, SIGCONT) == 0 && kill(pid, SIGTSTP) == 0 &&
	    kill(pid, SIGTTIN) == 0);
	CHECK(write(go[1], "a", 1) == 1 && read(res[0], &c, 1) == 1);
	CHECK(c == '3');	/* TSTP and TTIN, no CONT */
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(write(go[1], "b", 1) == 1 && read(res[0], &c, 1) == 1);
	CHECK(c == '4');	/* CONT alone */
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
}

/*
 * rt_sigpending: blocked pending signals only; its size and pointer.  A
 * short set gets only its bytes, as from Linux (qemu-riscv64 writes 8).
 */
static void
t_jc_sigpending(void)
{
	sigset_t block, pend;
	uint64_t word = ~0ULL;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	signal(SIGUSR2, jc_nop);
	CHECK(sigpending(&pend) == 0 && !sigismember(&pend, SIGUSR1));
	CHECK(raise(SIGUSR1) == 0 && sigpending(&pend) == 0);
	CHECK(sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2));
	CHECK(syscall(SYS_rt_sigpending, &word, 8) == 0 &&
	    word == 1ULL << (SIGUSR1 - 1));
	word = ~0ULL;
	CHECK(syscall(SYS_rt_sigpending, &word, 2) == 0 &&
	    word == (~0ULL << 16 | 1ULL << (SIGUSR1 - 1)));
	CHECK(syscall(SYS_rt_sigpending, &word, 9) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigpending, bad_ptr, 8) == -1 && errno == EFAULT);
}

static volatile sig_atomic_t jc_chld_code, jc_chld_count;

static void
jc_on_chld(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	jc_chld_code = si->si_code;
	jc_chld_count++;
}

/* SIGCHLD tells of a child's stop and continue, unless SA_NOCLDSTOP. */
static void
t_jc_sigchld_stop(void)
{
	struct sigaction sa = { .sa_sigaction = jc_on_chld,
	    .sa_flags = SA_SIGINFO | SA_RESTART };
	volatile uint64_t *count = jc_shared_counters();
	int status;
	pid_t pid = jc_spinner(count);

	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	for (int i = 0; i < 100 && jc_chld_count == 0; i++)
		usleep(1000);
	CHECK(jc_chld_count == 1 && jc_chld_code == CLD_STOPPED);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	for (int i = 0; i < 100 && jc_chld_count == 1; i++)
		usleep(1000);
	CHECK(jc_chld_count == 2 && jc_chld_code == CLD_CONTINUED);
	sa.sa_flags |= SA_NOCLDSTOP;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status));
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	usleep(20000);
	CHECK(jc_chld_count == 2);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
	CHECK(jc_chld_count == 3 && jc_chld_code == CLD_KILLED);
	munmap((void *)count, 4096);
}

/* waitid's siginfo for stop, continue, exit and kill; WNOWAIT; WNOHANG. */
static void
t_jc_waitid(void)
{
	volatile uint64_t *count = jc_shared_counters();
	siginfo_t si;
	pid_t pid = jc_spinner(count), child;

	CHECK(kill(pid, SIGSTOP) == 0);
	for (int i = 0; i < 2; i++) {	/* WNOWAIT leaves it to report */
		memset(&si, 0x55, sizeof(si));
		CHECK(waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT) == 0);
		CHECK(si.si_signo == SIGCHLD && si.si_code == CLD_STOPPED);
		CHECK(si.si_pid == pid && si.si_status == SIGSTOP &&
		    si.si_errno == 0 && si.si_uid == 0);
	}
	CHECK(waitid(P_PGID, pid, &si, WSTOPPED) == 0 && si.si_pid == pid);
	memset(&si, 0x55, sizeof(si));
	CHECK(waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG) == 0);
	CHECK(si.si_signo == 0 && si.si_pid == 0 && si.si_code == 0 &&
	    si.si_status == 0);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitid(P_PID, pid, &si, WCONTINUED) == 0);
	CHECK(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0);
	CHECK(si.si_code == CLD_KILLED && si.si_status == SIGKILL);
	CHECK(waitid(P_PGID, 0, &si, WEXITED | WNOHANG) == -1 &&
	    errno == ECHILD);	/* not in our group */
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0 && si.si_pid == pid);
	CHECK(waitid(P_PID, pid, &si, WEXITED) == -1 && errno == ECHILD);
	child = fork();
	if (child == 0)
		_exit(3);
	CHECK(child > 0);
	CHECK(waitid(P_PGID, 0, &si, WEXITED) == 0);
	CHECK(si.si_pid == child && si.si_code == CLD_EXITED &&
	    si.si_status == 3);
	munmap((void *)count, 4096);
}

/* waitid's errors, in Linux's order. */
static void
t_jc_waitid_errors(void)
{
	siginfo_t si;
	pid_t child;

	CHECK(waitid(P_ALL, 0, &si, 0) == -1 && errno == EINVAL);
	CHECK(waitid(P_ALL, 0, &si, WNOHANG) == -1 && errno == EINVAL);
	CHECK(waitid(P_ALL, 0, &si, WEXITED | 0x100) == -1 && errno == EINVAL);
	CHECK(waitid(7, 0, &si, WEXITED) == -1 && errno == EINVAL);
	CHECK(waitid(P_PID, 0, &si, WEXITED) == -1 && errno == EINVAL);
	CHECK(waitid(P_PID, -4, &si, WEXITED) == -1 && errno == EINVAL);
	CHECK(waitid(P_PGID, -1, &si, WEXITED) == -1 && errno == EINVAL);
	CHECK(waitid(P_ALL, 0, &si, WEXITED) == -1 && errno == ECHILD);
	CHECK(waitid(P_PID, getppid(), &si, WEXITED) == -1 && errno == ECHILD);
	CHECK(waitid(P_PGID, 999999, &si, WEXITED | WNOHANG) == -1 &&
	    errno == ECHILD);
	child = fork();
	if (child == 0)
		_exit(0);
	CHECK(child > 0);
	/* A bad infop is EFAULT, with the child reaped all the same. */
	CHECK(waitid(P_PID, child, bad_ptr, WEXITED) == -1 && errno == EFAULT);
	CHECK(waitid(P_PID, child, &si, WEXITED | WNOHANG) == -1 &&
	    errno == ECHILD);
	CHECK(syscall(SYS_waitid, P_ALL, 0, NULL, WEXITED, NULL) == -1 &&
	    errno == ECHILD);
	CHECK(waitpid(-1, NULL, 0x100) == -1 && errno == EINVAL);
}

/*
 * The console is this session's controlling terminal (init's spawn took
 * it): its ids, and TIOCSPGRP's errors in Linux's order.  A process in a
 * new session has none: ENOTTY, ENXIO for /dev/tty, EPERM to take it.
 */
static void
t_jc_tty_ids_and_errors(void)
{
	int32_t id, neg = -1, none = 999999, initgrp = 1;
	int status, fd;
	pid_t child;

	CHECK(ioctl(0, TIOCGSID, &id) == 0 && id == getsid(0));
	CHECK(ioctl(0, TIOCGPGRP, &id) == 0 && id == getpgrp());
	CHECK(tcgetpgrp(0) == getpgrp());
	CHECK(ioctl(0, TIOCGSID, bad_ptr) == -1 && errno == EFAULT);
	CHECK(ioctl(0, TIOCSPGRP, bad_ptr) == -1 && errno == EFAULT);
	CHECK(ioctl(0, TIOCSPGRP, &neg) == -1 && errno == EINVAL);
	CHECK(ioctl(0, TIOCSPGRP, &none) == -1 && errno == ESRCH);
	CHECK(ioctl(0, TIOCSPGRP, &initgrp) == -1 && errno == EPERM);
	id = getpgrp();
	CHECK(ioctl(0, TIOCSPGRP, &id) == 0 && tcgetpgrp(0) == id);
	fd = open("/dev/tty", O_RDWR);
	CHECK(fd >= 0 && isatty(fd) && close(fd) == 0);
	child = fork();
	if (child == 0) {
		int32_t mine;

		CHECK(setsid() == getpid());
		mine = getpid();
		CHECK(ioctl(0, TIOCGSID, &id) == -1 && errno == ENOTTY);
		CHECK(ioctl(0, TIOCGPGRP, &id) == -1 && errno == ENOTTY);
		CHECK(ioctl(0, TIOCSPGRP, &mine) == -1 && errno == ENOTTY);
		CHECK(ioctl(0, TIOCNOTTY) == -1 && errno == ENOTTY);
		CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
		/* Another session has it: no taking it without stealing. */
		CHECK(ioctl(0, TIOCSCTTY, 0) == -1 && errno == EPERM);
		fd = open("/dev/console", O_RDWR);
		CHECK(fd >= 0 && ioctl(fd, TIOCGSID, &id) == -1 &&
		    errno == ENOTTY);
		_exit(0);
	}
	CHECK(child > 0 && waitpid(child, &status, 0) == child && status == 0);
	/* Our group in another session's: EPERM (the child waits in it). */
	child = fork();
	if (child == 0) {
		setsid();
		pause();
		_exit(0);
	}
	CHECK(child > 0);
	while (getsid(child) != child)
		usleep(1000);
	id = child;
	CHECK(ioctl(0, TIOCSPGRP, &id) == -1 && errno == EPERM);
	CHECK(kill(child, SIGKILL) == 0 && waitpid(child, &status, 0) == child);
	/* TIOCNOTTY by a member gives it up for that process alone. */
	child = fork();
	if (child == 0) {
		CHECK(ioctl(0, TIOCNOTTY) == 0);
		CHECK(ioctl(0, TIOCGPGRP, &id) == -1 && errno == ENOTTY);
		CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO);
		_exit(0);
	}
	CHECK(child > 0 && waitpid(child, &status, 0) == child && status == 0);
	CHECK(ioctl(0, TIOCGPGRP, &id) == 0 && id == getpgrp());
}

/* In a background group of its own, fn runs; its wait status. */
static int
jc_in_background(void (*fn)(void), int options)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		fn();
		_exit(0);
	}
	CHECK(pid > 0);
	setpgid(pid, pid);
	CHECK(waitpid(pid, &status, options) == pid);
	if (WIFSTOPPED(status)) {
		CHECK(kill(pid, SIGKILL) == 0);
		CHECK(waitpid(pid, NULL, 0) == pid);
	}
	return status;
}

static void
jc_read_tty(void)
{
	char c;

	read(0, &c, 1);
	_exit(1);
}

static void
jc_read_tty_ignoring(void)
{
	char c;

	signal(SIGTTIN, SIG_IGN);
	CHECK(read(0, &c, 1) == -1 && errno == EIO);
}

static void
jc_read_tty_blocking(void)
{
	sigset_t set;
	char c;

	sigemptyset(&set);
	sigaddset(&set, SIGTTIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK(read(0, &c, 1) == -1 && errno == EIO);
}

static void
jc_set_tty(void)
{
	struct termios t;

	CHECK(tcgetattr(0, &t) == 0);
	tcsetattr(0, TCSANOW, &t);
	_exit(1);
}

static void
jc_set_pgrp_ignoring(void)
{
	int32_t mine = getpgrp(), fg = tcgetpgrp(0);

	/* As a job-control shell does it: SIGTTOU ignored. */
	signal(SIGTTOU, SIG_IGN);
	CHECK(ioctl(0, TIOCSPGRP, &mine) == 0 && tcgetpgrp(0) == mine);
	CHECK(ioctl(0, TIOCSPGRP, &fg) == 0 && tcgetpgrp(0) == fg);
}

/*
 * A background group: reading the terminal stops it with SIGTTIN (EIO
 * if it ignores or blocks SIGTTIN), changing its settings with SIGTTOU,
 * unless it ignores SIGTTOU.
 */
static void
t_jc_tty_background(void)
{
	int status = jc_in_background(jc_read_tty, WUNTRACED);

	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTIN);
	CHECK(jc_in_background(jc_read_tty_ignoring, 0) == 0);
	CHECK(jc_in_background(jc_read_tty_blocking, 0) == 0);
	status = jc_in_background(jc_set_tty, WUNTRACED);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU);
	CHECK(jc_in_background(jc_set_pgrp_ignoring, 0) == 0);
}

static int jc_pipe_w = -1;

static void
jc_on_hup(int sig)
{
	(void)sig;
	write(jc_pipe_w, "h", 1);
}

/*
 * Orphaned groups: a background read in one is EIO, not a stop; and a
 * group orphaned with a stopped member gets SIGHUP and SIGCONT.
 */
static void
t_jc_orphaned_pgrp(void)
{
	int fds[2], status;
	struct pollfd pfd;
	char c = 0;
	pid_t mid;

	CHECK(pipe(fds) == 0);
	jc_pipe_w = fds[1];
	mid = fork();
	if (mid == 0) {
		pid_t g = fork();

		if (g == 0) {
			char b;

			setpgid(0, 0);
			while (getppid() != 1)
				usleep(1000);
			b = read(0, &b, 1) == -1 && errno == EIO ? 'e' : 'x';
			write(fds[1], &b, 1);
			_exit(0);
		}
		setpgid(g, g);
		_exit(0);
	}
	CHECK(mid > 0 && waitpid(mid, &status, 0) == mid);
	pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	CHECK(poll(&pfd, 1, 5000) == 1 && read(fds[0], &c, 1) == 1 && c == 'e');
	/* The middle process exits while its child's group is stopped. */
	mid = fork();
	if (mid == 0) {
		pid_t g = fork();

		if (g == 0) {
			setpgid(0, 0);
			signal(SIGHUP, jc_on_hup);
			raise(SIGSTOP);
			write(fds[1], "c", 1);	/* after the handler ran */
			_exit(0);
		}
		setpgid(g, g);
		CHECK(waitpid(g, &status, WUNTRACED) == g && WIFSTOPPED(status));
		_exit(0);
	}
	CHECK(mid > 0 && waitpid(mid, &status, 0) == mid && status == 0);
	CHECK(poll(&pfd, 1, 5000) == 1 && read(fds[0], &c, 1) == 1 && c == 'h');
	CHECK(poll(&pfd, 1, 5000) == 1 && read(fds[0], &c, 1) == 1 && c == 'c');
	close(fds[0]);
	close(fds[1]);
}

/* ---- mount points, mount(2), umount2(2) and tmpfs ---- */

#define TMPFS_MAGIC	0x01021994
#define MNT_		DIR_ "/m"

/* A fresh tmpfs on MNT_ with options opts (NULL: none). */
static void
mount_tmpfs_at_mnt(const char *opts)
{
	mkdir(MNT_, 0755);
	CHECK(mount("tmpfs", MNT_, "tmpfs", 0, opts) == 0);
}

static void
unmount_mnt(void)
{
	CHECK(umount2(MNT_, 0) == 0);
	CHECK(rmdir(MNT_) == 0);
}

/* mount(2) and umount2(2) errors, as Linux gives them to root. */
static void
t_mount_errors(void)
{
	CHECK(mkdir(MNT_, 0755) == 0);
	write_file(DIR_ "/f", "x");
	CHECK(mount("x", MNT_, "nosuchfs", 0, NULL) == -1 && errno == ENODEV);
	CHECK(mount("x", DIR_ "/none", "tmpfs", 0, NULL) == -1 && errno == ENOENT);
	CHECK(mount("x", DIR_ "/f", "tmpfs", 0, NULL) == -1 && errno == ENOTDIR);
	CHECK(mount("x", MNT_, NULL, 0, NULL) == -1 && errno == EINVAL);
	CHECK(mount("x", bad_ptr, "tmpfs", 0, NULL) == -1 && errno == EFAULT);
	CHECK(mount("x", MNT_, bad_ptr, 0, NULL) == -1 && errno == EFAULT);
	CHECK(mount(bad_ptr, MNT_, "tmpfs", 0, NULL) == -1 && errno == EFAULT);
	CHECK(mount("x", MNT_, "tmpfs", 0, bad_ptr) == -1 && errno == EFAULT);
	CHECK(mount("x", MNT_, "tmpfs", 0, "size=lots") == -1 && errno == EINVAL);
	CHECK(mount("x", MNT_, "tmpfs", 0, "colour=red") == -1 && errno == EINVAL);
	CHECK(mount("x", MNT_, "tmpfs", 0, "mode=9") == -1 && errno == EINVAL);
	CHECK(mount("/dev/vdz", MNT_, "ext2", 0, NULL) == -1 && errno == ENOENT);
	CHECK(mount("/dev/vda", MNT_, "ext2", 0, NULL) == -1 && errno == EBUSY);
	CHECK(mount("x", MNT_, "tmpfs", MS_REMOUNT, NULL) == -1 && errno == EINVAL);
	CHECK(mount("x", MNT_, "tmpfs", 0, "size=1m,mode=700") == 0);
	CHECK(mount("x", MNT_, "tmpfs", 0, NULL) == -1 && errno == EBUSY);
	CHECK(mkdir(MNT_ "/d", 0755) == 0);
	CHECK(umount2(MNT_ "/d", 0) == -1 && errno == EINVAL);
	CHECK(umount2(DIR_, 0) == -1 && errno == EINVAL);
	CHECK(umount2("/", 0) == -1 && errno == EBUSY);
	CHECK(umount2(MNT_, 0x100) == -1 && errno == EINVAL);
	CHECK(umount2(MNT_, MNT_DETACH | MNT_EXPIRE) == -1 && errno == EINVAL);
	CHECK(umount2(MNT_, MNT_EXPIRE | MNT_FORCE) == -1 && errno == EINVAL);
	CHECK(umount2(bad_ptr, 0) == -1 && errno == EFAULT);
	CHECK(umount2(DIR_ "/none", 0) == -1 && errno == ENOENT);
	CHECK(umount2(MNT_, MNT_FORCE) == 0);
	CHECK(umount2(MNT_, 0) == -1 && errno == EINVAL);
	CHECK(rmdir(MNT_) == 0 && unlink(DIR_ "/f") == 0);
}

/*
 * umount2(MNT_DETACH): a mount in use (and the mount inside it) leaves
 * the name space at once; its open files and directories go on working,
 * ".." at its root stays there, and it is unmounted when the last one is
 * closed (vfs.mounts_detached counts it until then).  Not in use, it is
 * unmounted at once.
 */
static void
t_mount_detach(void)
{
	struct stat under, st, root_st;
	struct statfs sf;
	char buf[4096];
	int fd, dfd, up, tries;

	CHECK(stat(DIR_, &under) == 0);
	mount_tmpfs_at_mnt(NULL);
	CHECK(umount2(MNT_, MNT_DETACH) == 0);	/* unused: gone now */
	CHECK(stat(MNT_, &st) == 0 && st.st_dev == under.st_dev);
	CHECK(vmk_sysctl_u64("vfs.mounts_detached") == 0);
	CHECK(mount("tmpfs", MNT_, "tmpfs", 0, NULL) == 0);
	write_file(MNT_ "/f", "data");
	CHECK(mkdir(MNT_ "/sub", 0755) == 0);
	CHECK(mount("tmpfs", MNT_ "/sub", "tmpfs", 0, NULL) == 0);
	write_file(MNT_ "/sub/g", "deep");
	fd = open(MNT_ "/f", O_RDWR);
	dfd = open(MNT_, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0 && dfd >= 0 && fstat(dfd, &root_st) == 0);
	CHECK(umount2(MNT_, 0) == -1 && errno == EBUSY);
	CHECK(umount2(MNT_, MNT_DETACH) == 0);
	CHECK(stat(MNT_, &st) == 0 && st.st_dev == under.st_dev);
	CHECK(proc_read("/proc/mounts", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, MNT_) == NULL);	/* neither it nor sub */
	CHECK(vmk_sysctl_u64("vfs.mounts_detached") == 1);
	/* Still working through what was open. */
	CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "data", 4) == 0);
	CHECK(pwrite(fd, "more", 4, 4) == 4);
	CHECK(fstatfs(fd, &sf) == 0 && sf.f_type == TMPFS_MAGIC);
	/* The submount went with it: its directory is empty now. */
	CHECK(faccessat(dfd, "sub/g", F_OK, 0) == -1 && errno == ENOENT);
	up = openat(dfd, "..", O_RDONLY | O_DIRECTORY);
	CHECK(up >= 0 && fstat(up, &st) == 0);
	CHECK(st.st_ino == root_st.st_ino && st.st_dev == root_st.st_dev);
	close(up);
	close(dfd);
	CHECK(vmk_sysctl_u64("vfs.mounts_detached") == 1);	/* fd */
	close(fd);
	for (tries = 0; tries < 300 &&
	    vmk_sysctl_u64("vfs.mounts_detached") != 0; tries++)
		usleep(10000);
	CHECK(vmk_sysctl_u64("vfs.mounts_detached") == 0);
	CHECK(rmdir(MNT_) == 0);
}

/*
 * Crossing: a mount point shows the mounted root (its own st_dev, mode
 * and statfs), ".." from inside comes back out, getcwd names the path
 * across it; renames and links across mounts are EXDEV; a mount point
 * cannot be removed or renamed, nor unmounted while in use.
 */
static void
t_mount_crossing(void)
{
	struct stat below, top, in, parent;
	struct statfs sf;
	char cwd[256];
	int fd;

	CHECK(mkdir(MNT_, 0755) == 0 && stat(MNT_, &below) == 0);
	CHECK(mount("tmpfs", MNT_, "tmpfs", 0, "mode=1750") == 0);
	CHECK(stat(MNT_, &top) == 0 && top.st_dev != below.st_dev);
	CHECK(top.st_mode == (S_IFDIR | 01750) && top.st_nlink == 2);
	CHECK(statfs(MNT_, &sf) == 0 && sf.f_type == TMPFS_MAGIC);
	CHECK(mkdir(MNT_ "/a", 0755) == 0 && mkdir(MNT_ "/a/b", 0755) == 0);
	CHECK(stat(MNT_ "/a", &in) == 0 && in.st_dev == top.st_dev);
	CHECK(stat(MNT_ "/..", &parent) == 0 && stat(DIR_, &below) == 0);
	CHECK(parent.st_ino == below.st_ino && parent.st_dev == below.st_dev);
	CHECK(chdir(MNT_ "/a/b") == 0 && getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strcmp(cwd, MNT_ "/a/b") == 0);
	CHECK(umount2(MNT_, 0) == -1 && errno == EBUSY);	/* our cwd */
	CHECK(chdir("../../..") == 0 && getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(strcmp(cwd, DIR_) == 0);
	write_file(MNT_ "/a/f", "data");
	CHECK(rename(MNT_ "/a/f", DIR_ "/f") == -1 && errno == EXDEV);
	CHECK(link(MNT_ "/a/f", DIR_ "/f") == -1 && errno == EXDEV);
	/* A directory across mounts: EXDEV comes before its EPERM. */
	CHECK(link(MNT_ "/a/b", DIR_ "/b") == -1 && errno == EXDEV);
	CHECK(rmdir(MNT_) == -1 && errno == EBUSY);
	CHECK(rename(MNT_, DIR_ "/m2") == -1 && errno == EBUSY);
	fd = open(MNT_ "/a/f", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(umount2(MNT_, 0) == -1 && errno == EBUSY);	/* an open file */
	CHECK(close(fd) == 0);
	CHECK(umount2(MNT_, 0) == 0);
	CHECK(stat(MNT_ "/a", &in) == -1 && errno == ENOENT);
	CHECK(stat(MNT_, &top) == 0 && top.st_dev == below.st_dev);
	CHECK(rmdir(MNT_) == 0);
}

/*
 * Read-only mounts and remounts: every change is EROFS while read-only;
 * statfs shows ro, nosuid, nodev and noexec; noexec stops exec and
 * PROT_EXEC mappings, nodev the opening of device nodes.
 */
static void
t_mount_flags(void)
{
	char *argv[] = { MNT_ "/run", NULL };
	struct statfs sf;
	int fd;

	mount_tmpfs_at_mnt(NULL);
	write_file(MNT_ "/run", "#!/bin/sh\nexit 0\n");
	CHECK(chmod(MNT_ "/run", 0755) == 0);
	CHECK(mknod(MNT_ "/null", S_IFCHR | 0666, makedev(1, 3)) == 0);
	CHECK(mount("", MNT_, "", MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK(statfs(MNT_, &sf) == 0 && (sf.f_flags & ST_RDONLY));
	CHECK(open(MNT_ "/run", O_WRONLY) == -1 && errno == EROFS);
	CHECK(open(MNT_ "/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS);
	CHECK(mkdir(MNT_ "/d", 0755) == -1 && errno == EROFS);
	CHECK(unlink(MNT_ "/run") == -1 && errno == EROFS);
	CHECK(chmod(MNT_ "/run", 0700) == -1 && errno == EROFS);
	CHECK(truncate(MNT_ "/run", 0) == -1 && errno == EROFS);
	CHECK(symlink("x", MNT_ "/l") == -1 && errno == EROFS);
	CHECK(mount("", MNT_, "", MS_REMOUNT | MS_NOEXEC | MS_NODEV |
	    MS_NOSUID, NULL) == 0);
	CHECK(statfs(MNT_, &sf) == 0 && !(sf.f_flags & ST_RDONLY) &&
	    (sf.f_flags & (ST_NOEXEC | ST_NODEV | ST_NOSUID)) ==
	    (ST_NOEXEC | ST_NODEV | ST_NOSUID));
	write_file(MNT_ "/new", "writable again");
	CHECK(execve(argv[0], argv, NULL) == -1 && errno == EACCES);
	fd = open(MNT_ "/run", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) ==
	    MAP_FAILED && errno == EPERM);
	CHECK(close(fd) == 0);
	CHECK(open(MNT_ "/null", O_WRONLY) == -1 && errno == EACCES);
	CHECK(mount("", MNT_, "", MS_REMOUNT, NULL) == 0);
	fd = open(MNT_ "/null", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1 && close(fd) == 0);
	unmount_mnt();
	CHECK(mkdir(MNT_, 0755) == 0);
	CHECK(mount("tmpfs", MNT_, "tmpfs", MS_RDONLY, NULL) == 0);
	CHECK(mkdir(MNT_ "/d", 0755) == -1 && errno == EROFS);
	unmount_mnt();
}

/* A name's entries in directory dir, counted by readdir. */
static int
count_entries(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	CHECK(d != NULL);
	errno = 0;
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, name) == 0;
	CHECK(errno == 0);		/* the end, not an error */
	closedir(d);
	return n;
}

/*
 * tmpfs files: data, holes, appends, links, symlinks, FIFOs and device
 * nodes, renames, directory listings, an unlinked file kept while open,
 * and truncation giving pages back (statfs counts them).
 */
static void
t_tmpfs_files(void)
{
	struct statfs before, after;
	struct stat st;
	char buf[8192];
	int fd, fd2;

	mount_tmpfs_at_mnt("size=4m");
	CHECK(statfs(MNT_, &before) == 0 && before.f_bsize == 4096 &&
	    before.f_blocks == 1024 && before.f_bfree == 1024);
	fd = open(MNT_ "/f", O_RDWR | O_CREAT | O_EXCL, 0640);
	CHECK(fd >= 0 && pwrite(fd, "end", 3, 10000) == 3);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10003 &&
	    st.st_mode == (S_IFREG | 0640) && st.st_nlink == 1);
	CHECK(pread(fd, buf, sizeof(buf), 0) == sizeof(buf));
	for (int i = 0; i < 8192; i++)
		CHECK(buf[i] == 0);		/* a hole reads as zeros */
	CHECK(statfs(MNT_, &after) == 0 && after.f_bfree == 1024 - 3);
	CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
	CHECK(statfs(MNT_, &after) == 0 && after.f_bfree == 1024 - 1);
	CHECK(ftruncate(fd, 10003) == 0 && pread(fd, buf, 3, 10000) == 3 &&
	    memcmp(buf, "\0\0\0", 3) == 0);	/* truncated data stays gone */
	CHECK(ftruncate(fd, 0) == 0);
	fd2 = open(MNT_ "/f", O_WRONLY | O_APPEND);
	CHECK(fd2 >= 0 && write(fd2, "ab", 2) == 2 && write(fd2, "cd", 2) == 2);
	CHECK(pread(fd, buf, 10, 0) == 4 && memcmp(buf, "abcd", 4) == 0);
	CHECK(close(fd2) == 0);
	CHECK(link(MNT_ "/f", MNT_ "/g") == 0 && stat(MNT_ "/g", &st) == 0 &&
	    st.st_nlink == 2);
	CHECK(symlink("f", MNT_ "/l") == 0 && readlink(MNT_ "/l", buf, 10) == 1);
	CHECK(lstat(MNT_ "/l", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 1);
	CHECK(stat(MNT_ "/l", &st) == 0 && S_ISREG(st.st_mode));
	CHECK(mkfifo(MNT_ "/p", 0600) == 0 && stat(MNT_ "/p", &st) == 0 &&
	    S_ISFIFO(st.st_mode));
	CHECK(mknod(MNT_ "/z", S_IFCHR | 0666, makedev(1, 5)) == 0);
	fd2 = open(MNT_ "/z", O_RDONLY);
	CHECK(fd2 >= 0 && read(fd2, buf, 4) == 4 && buf[0] == 0 && close(fd2) == 0);
	CHECK(mkdir(MNT_ "/d", 0700) == 0 && stat(MNT_, &st) == 0 &&
	    st.st_nlink == 3);
	CHECK(rename(MNT_ "/g", MNT_ "/d/g") == 0);
	CHECK(count_entries(MNT_, "g") == 0 && count_entries(MNT_ "/d", "g") == 1);
	CHECK(count_entries(MNT_ "/d", "..") == 1);
	/* Two links of one file: rename does nothing, as on Linux. */
	CHECK(rename(MNT_ "/d/g", MNT_ "/f") == 0 && stat(MNT_ "/f", &st) == 0 &&
	    st.st_nlink == 2 && unlink(MNT_ "/d/g") == 0);
	CHECK(stat(MNT_ "/f", &st) == 0 && st.st_nlink == 1);
	CHECK(rename(MNT_ "/d", MNT_ "/d/e") == -1 && errno == EINVAL);
	CHECK(rmdir(MNT_ "/d") == 0 && stat(MNT_, &st) == 0 && st.st_nlink == 2);
	CHECK(write(fd, "kept", 4) == 4 && unlink(MNT_ "/f") == 0);
	CHECK(count_entries(MNT_, "f") == 0 && count_entries(MNT_, "z") == 1);
	CHECK(unlink(MNT_ "/z") == 0 && count_entries(MNT_, "z") == 0);
	CHECK(pread(fd, buf, 4, 0) == 4 && memcmp(buf, "kept", 4) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
	CHECK(close(fd) == 0);
	CHECK(unlink(MNT_ "/l") == 0 && unlink(MNT_ "/p") == 0);
	CHECK(statfs(MNT_, &after) == 0 && after.f_bfree == 1024 &&
	    after.f_ffree == before.f_ffree);
	unmount_mnt();
}

/*
 * mmap of a tmpfs file: a shared mapping in two processes sees write()s
 * at once and its stores are read(), a private one is not; a page past
 * the end of the file is SIGBUS, also after a truncate.
 */
static void
t_tmpfs_mmap_shared(void)
{
	char buf[8];
	char *p, *q;
	int fd, status;
	pid_t pid;

	mount_tmpfs_at_mnt(NULL);
	fd = open(MNT_ "/m", O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0 && ftruncate(fd, 2 * 4096) == 0);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && q != MAP_FAILED);
	pid = fork();
	if (pid == 0) {
		strcpy(p + 4096, "child");
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(pread(fd, buf, 6, 4096) == 6 && strcmp(buf, "child") == 0);
	CHECK(strcmp(q + 4096, "child") == 0);	/* private, not yet written */
	CHECK(pwrite(fd, "parent", 7, 0) == 7 && strcmp(p, "parent") == 0);
	strcpy(q, "mine");
	CHECK(pread(fd, buf, 7, 0) == 7 && strcmp(buf, "parent") == 0);
	pid = fork();
	if (pid == 0) {
		p[2 * 4096] = 1;		/* past the end: SIGBUS */
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGBUS);
	CHECK(ftruncate(fd, 4096) == 0);
	pid = fork();
	if (pid == 0) {
		(void)*(volatile char *)(p + 4096);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGBUS);
	CHECK(munmap(p, 3 * 4096) == 0 && munmap(q, 2 * 4096) == 0);
	CHECK(close(fd) == 0);
	CHECK(umount2(MNT_, 0) == 0);		/* nothing holds it now */
	CHECK(rmdir(MNT_) == 0);
}

/* A full tmpfs: writes stop short, then ENOSPC; so do growing and new nodes. */
static void
t_tmpfs_enospc(void)
{
	static char data[5 * 4096];
	struct statfs sf;
	int fd;

	mount_tmpfs_at_mnt("size=16k,nr_inodes=3");
	fd = open(MNT_ "/a", O_RDWR | O_CREAT, 0600);
	CHECK(fd >= 0 && write(fd, data, sizeof(data)) == 4 * 4096);
	CHECK(write(fd, data, 1) == -1 && errno == ENOSPC);
	CHECK(statfs(MNT_, &sf) == 0 && sf.f_blocks == 4 && sf.f_bfree == 0);
	CHECK(ftruncate(fd, 1 << 20) == -1 && errno == ENOSPC);
	CHECK(lseek(fd, 0, SEEK_END) == 4 * 4096);
	CHECK(close(fd) == 0);
	CHECK(mkdir(MNT_ "/b", 0700) == 0);
	CHECK(mkdir(MNT_ "/c", 0700) == -1 && errno == ENOSPC);
	CHECK(unlink(MNT_ "/a") == 0 && rmdir(MNT_ "/b") == 0);
	CHECK(statfs(MNT_, &sf) == 0 && sf.f_bfree == 4 && sf.f_ffree == 2);
	unmount_mnt();
}

/*
 * A disk mounted with mount(2): the test image vdc (ext2, 1 KiB blocks),
 * read-only, with its own st_dev (Linux's 254:32 for vdc) and f_type; a
 * device in use is EBUSY.
 */
static void
t_mount_ext2(void)
{
	struct statfs sf;
	struct stat st;
	char buf[32];
	int fd;

	CHECK(mkdir(MNT_, 0755) == 0);
	CHECK(mount("/dev/vdc", MNT_, "ext2", MS_RDONLY, NULL) == 0);
	CHECK(statfs(MNT_, &sf) == 0 && sf.f_type == 0xef53 &&
	    sf.f_bsize == 1024 && (sf.f_flags & ST_RDONLY));
	CHECK(stat(MNT_ "/README", &st) == 0 && st.st_dev == makedev(254, 32));
	fd = open(MNT_ "/README", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 21 &&
	    memcmp(buf, "vmk test file system\n", 21) == 0 && close(fd) == 0);
	CHECK(open(MNT_ "/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EROFS);
	CHECK(mount("/dev/vdc", DIR_, "ext2", MS_RDONLY, NULL) == -1 &&
	    errno == EBUSY);
	unmount_mnt();
}

/* POSIX shared memory through glibc (files in the tmpfs on /dev/shm). */
static void
t_shm_open(void)
{
	struct statfs sf;
	char *p, *q;
	int fd, fd2;

	CHECK(statfs("/dev/shm", &sf) == 0 && sf.f_type == TMPFS_MAGIC);
	shm_unlink("/utest.shm");
	fd = shm_open("/utest.shm", O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	strcpy(p, "shared");
	fd2 = shm_open("/utest.shm", O_RDONLY, 0);
	CHECK(fd2 >= 0);
	q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, 0);
	CHECK(q != MAP_FAILED && strcmp(q, "shared") == 0);
	CHECK(shm_open("/utest.shm", O_RDWR | O_CREAT | O_EXCL, 0600) == -1 &&
	    errno == EEXIST);
	CHECK(shm_unlink("/utest.shm") == 0);
	CHECK(shm_open("/utest.shm", O_RDONLY, 0) == -1 && errno == ENOENT);
	CHECK(shm_unlink("/utest.shm") == -1 && errno == ENOENT);
	CHECK(strcmp(q, "shared") == 0);	/* still mapped */
	CHECK(munmap(p, 4096) == 0 && munmap(q, 4096) == 0);
	CHECK(close(fd) == 0 && close(fd2) == 0);
}


/*
 * The signal, timer and credential calls: sigaltstack, the real-time
 * signal calls, itimers, pselect6, prctl, personality, the set*id family
 * and execveat.
 */

#ifndef SS_AUTODISARM
#define SS_AUTODISARM	(1U << 31)	/* Linux 4.7; not in every glibc */
#endif

/* The kernel's MINSIGSTKSZ on riscv64 (glibc's may be a sysconf call). */
#define KERNEL_MINSIGSTKSZ	2048

static char altstack_mem[4 * KERNEL_MINSIGSTKSZ] __attribute__((aligned(16)));
static volatile uintptr_t handler_sp;
static volatile int handler_ss_flags, handler_uc_flags;
static volatile uintptr_t handler_uc_sp;
static volatile size_t handler_uc_size;
static volatile int handler_eperm;

static bool
on_altstack(uintptr_t sp)
{
	return sp > (uintptr_t)altstack_mem &&
	    sp <= (uintptr_t)altstack_mem + sizeof(altstack_mem);
}

/* What a handler sees: its own stack, sigaltstack's answer, uc_stack. */
static void
on_usr1_altstack(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	stack_t cur, other = { .ss_sp = altstack_mem,
	    .ss_size = sizeof(altstack_mem) };
	char here;

	(void)sig;
	(void)si;
	handler_sp = (uintptr_t)&here;
	sigaltstack(NULL, &cur);
	handler_ss_flags = cur.ss_flags;
	handler_uc_sp = (uintptr_t)uc->uc_stack.ss_sp;
	handler_uc_size = uc->uc_stack.ss_size;
	handler_uc_flags = uc->uc_stack.ss_flags;
	handler_eperm = sigaltstack(&other, NULL) == -1 && errno == EPERM;
}

static void
t_sigaltstack_errors(void)
{
	stack_t ss = { .ss_sp = altstack_mem,
	    .ss_size = KERNEL_MINSIGSTKSZ - 1 }, old;

	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE &&
	    old.ss_size == 0);
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);
	ss.ss_size = sizeof(altstack_mem);
	ss.ss_flags = 4;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL);
	ss.ss_flags = SS_ONSTACK | SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == -1 && errno == EINVAL);
	CHECK(sigaltstack(bad_ptr, NULL) == -1 && errno == EFAULT);
	ss.ss_flags = 0;
	/* A bad old pointer is EFAULT, but the new stack is set. */
	CHECK(sigaltstack(&ss, bad_ptr) == -1 && errno == EFAULT);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0 &&
	    old.ss_sp == altstack_mem && old.ss_size == sizeof(altstack_mem));
	/* SS_ONSTACK as a mode means 0 (old programs pass it). */
	ss.ss_flags = SS_ONSTACK;
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0);
	ss.ss_flags = SS_DISABLE;
	ss.ss_size = 1;		/* ignored when disabling */
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE &&
	    old.ss_size == 0 && old.ss_sp == NULL);
}

static void
t_sigaltstack_delivery(void)
{
	struct sigaction sa = { .sa_sigaction = on_usr1_altstack,
	    .sa_flags = SA_SIGINFO | SA_ONSTACK };
	stack_t ss = { .ss_sp = altstack_mem, .ss_size = sizeof(altstack_mem) },
	    old;
	char here;

	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(on_altstack(handler_sp));
	CHECK(handler_ss_flags == SS_ONSTACK && handler_eperm);
	CHECK(handler_uc_sp == (uintptr_t)altstack_mem &&
	    handler_uc_size == sizeof(altstack_mem) && handler_uc_flags == 0);
	/* Without SA_ONSTACK the handler stays on the ordinary stack. */
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(!on_altstack(handler_sp) && handler_ss_flags == 0);
	CHECK(handler_sp < (uintptr_t)&here);
	/* SS_AUTODISARM: no alternate stack while the handler runs on it
	 * (so it may set another), the old one back after it returns. */
	ss.ss_flags = SS_AUTODISARM;
	CHECK(sigaltstack(&ss, NULL) == 0);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(on_altstack(handler_sp) && handler_ss_flags == SS_DISABLE);
	CHECK(!handler_eperm && handler_uc_flags == (int)SS_AUTODISARM);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == altstack_mem &&
	    old.ss_flags == (int)SS_AUTODISARM);
}

static volatile int overflow_depth;

static void
on_segv_overflow(int sig)
{
	char here;

	(void)sig;
	_exit(on_altstack((uintptr_t)&here) && overflow_depth > 1000 ? 0 : 1);
}

/* Each call takes a kilobyte of stack until the stack runs out (the
 * limit is never reached: it only hides the recursion from gcc). */
static int
recurse_deep(int n, int limit)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	overflow_depth = n;
	if (n == limit)
		return 0;
	return recurse_deep(n + 1, limit) + pad[0];
}

/* A SIGSEGV handler runs on the alternate stack after a stack overflow. */
static void
t_sigaltstack_overflow(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_segv_overflow,
		    .sa_flags = SA_ONSTACK };
		stack_t ss = { .ss_sp = altstack_mem,
		    .ss_size = sizeof(altstack_mem) };

		if (sigaltstack(&ss, NULL) != 0 ||
		    sigaction(SIGSEGV, &sa, NULL) != 0)
			_exit(2);
		_exit(recurse_deep(0, INT_MAX) == 0 ? 3 : 4);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* fork keeps the alternate stack; exec clears it (UTEST_SIGSTACK_PROBE). */
static void
t_sigaltstack_fork_exec(void)
{
	stack_t ss = { .ss_sp = altstack_mem, .ss_size = sizeof(altstack_mem) };
	int status;
	pid_t pid;

	CHECK(sigaltstack(&ss, NULL) == 0);
	pid = fork();
	if (pid == 0) {
		stack_t got;

		_exit(sigaltstack(NULL, &got) == 0 &&
		    got.ss_sp == altstack_mem && got.ss_flags == 0 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(run_probe("UTEST_SIGSTACK_PROBE=1") == 0);
}

static sigset_t
one_signal(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return set;
}

/* rt_sigpending: the blocked pending signals, process's and thread's. */
static void
t_sigpending(void)
{
	sigset_t set = one_signal(SIGUSR1), got;
	uint64_t raw = 0;

	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(sigpending(&got) == 0 && sigisemptyset(&got));
	CHECK(kill(getpid(), SIGUSR1) == 0 && raise(SIGUSR2) == 0);
	CHECK(sigpending(&got) == 0 && sigismember(&got, SIGUSR1) &&
	    sigismember(&got, SIGUSR2) && !sigismember(&got, SIGTERM));
	/* As on Linux, a shorter set gets the first bytes; a longer one is
	 * EINVAL. */
	CHECK(syscall(SYS_rt_sigpending, &raw, 4) == 0 &&
	    raw == ((1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGUSR2 - 1))));
	CHECK(syscall(SYS_rt_sigpending, &raw, 9) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigpending, bad_ptr, 8) == -1 && errno == EFAULT);
	/* Ignoring a pending signal discards it. */
	CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
	CHECK(sigpending(&got) == 0 && sigismember(&got, SIGUSR1) &&
	    !sigismember(&got, SIGUSR2));
}

static volatile int usr2_count;

static void
on_usr2_count(int sig)
{
	(void)sig;
	usr2_count++;
}

/* A child that sends sig to its parent after ms milliseconds. */
static pid_t
signal_parent_later(int sig, int ms)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		usleep(ms * 1000);
		kill(parent, sig);
		_exit(0);
	}
	CHECK(pid > 0);
	return pid;
}

static void
t_sigtimedwait(void)
{
	sigset_t set = one_signal(SIGUSR1);
	struct timespec zero = { 0, 0 }, short_ = { 0, 50000000 },
	    bad = { 0, 1000000000 }, t0, t1;
	struct sigaction sa = { .sa_handler = on_usr2_count };
	siginfo_t si;
	pid_t child;
	int status;

	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(sigtimedwait(&set, &si, &zero) == SIGUSR1);
	CHECK(si.si_signo == SIGUSR1 && si.si_code == SI_USER &&
	    si.si_pid == getpid());
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(sigtimedwait(&set, &si, &short_) == -1 && errno == EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >=
	    40000000L);
	CHECK(sigtimedwait(&set, &si, &bad) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4) == -1 &&
	    errno == EINVAL);
	CHECK(syscall(SYS_rt_sigtimedwait, bad_ptr, NULL, &zero, 8) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_rt_sigtimedwait, &set, NULL, bad_ptr, 8) == -1 &&
	    errno == EFAULT);
	/* A pending signal taken with a bad siginfo pointer: EFAULT, and
	 * the signal is gone. */
	CHECK(raise(SIGUSR1) == 0);
	CHECK(syscall(SYS_rt_sigtimedwait, &set, bad_ptr, &zero, 8) == -1 &&
	    errno == EFAULT);
	CHECK(sigtimedwait(&set, NULL, &zero) == -1 && errno == EAGAIN);
	/* Woken by a signal of the set from another process. */
	child = signal_parent_later(SIGUSR1, 50);
	CHECK(sigwaitinfo(&set, &si) == SIGUSR1 && si.si_pid == child &&
	    si.si_code == SI_USER);
	CHECK(waitpid(child, &status, 0) == child);
	/* Another signal's handler ends the wait: EINTR. */
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	child = signal_parent_later(SIGUSR2, 50);
	CHECK(sigtimedwait(&set, &si, &(struct timespec){ 5, 0 }) == -1 &&
	    errno == EINTR && usr2_count == 1);
	CHECK(waitpid(child, &status, 0) == child);
}

static volatile int rt_value, rt_code, rt_pid;

static void
on_rt_info(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	rt_value = si->si_value.sival_int;
	rt_code = si->si_code;
	rt_pid = si->si_pid;
}

static long
queue_info(pid_t pid, int sig, int code, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = getpid();
	si.si_value.sival_int = value;
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

/* sigqueue's value reaches an SA_SIGINFO handler; real-time signals are
 * queued, each delivered in turn; standard ones are not. */
static void
t_sigqueue(void)
{
	struct sigaction sa = { .sa_sigaction = on_rt_info,
	    .sa_flags = SA_SIGINFO };
	int rt = SIGRTMIN + 2;
	sigset_t set = one_signal(rt);
	siginfo_t si;
	struct timespec zero = { 0, 0 };

	CHECK(sigaction(SIGRTMIN + 1, &sa, NULL) == 0);
	CHECK(sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ 42 }) == 0);
	CHECK(rt_value == 42 && rt_code == SI_QUEUE && rt_pid == getpid());
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	for (int v = 1; v <= 3; v++)
		CHECK(sigqueue(getpid(), rt, (union sigval){ v }) == 0);
	CHECK(kill(getpid(), rt) == 0);
	for (int v = 1; v <= 3; v++)
		CHECK(sigtimedwait(&set, &si, &zero) == rt &&
		    si.si_value.sival_int == v && si.si_code == SI_QUEUE);
	CHECK(sigtimedwait(&set, &si, &zero) == rt && si.si_code == SI_USER);
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	/* A standard signal is pending once, however often it is sent. */
	set = one_signal(SIGUSR1);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(sigqueue(getpid(), SIGUSR1, (union sigval){ 1 }) == 0);
	CHECK(sigqueue(getpid(), SIGUSR1, (union sigval){ 2 }) == 0);
	CHECK(sigtimedwait(&set, &si, &zero) == SIGUSR1 &&
	    si.si_value.sival_int == 1);
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
	/* Pending instances of a signal made ignored are discarded. */
	set = one_signal(rt);
	CHECK(sigqueue(getpid(), rt, (union sigval){ 1 }) == 0);
	CHECK(sigqueue(getpid(), rt, (union sigval){ 2 }) == 0);
	CHECK(signal(rt, SIG_IGN) != SIG_ERR && signal(rt, SIG_DFL) != SIG_ERR);
	CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
}

static void
t_sigqueue_errors(void)
{
	struct rlimit rl;
	int rt = SIGRTMIN + 3, go[2], n = 0;
	sigset_t set = one_signal(rt);
	struct timespec zero = { 0, 0 };
	pid_t child;

	/* Another process may not be sent a kernel's or tkill's si_code. */
	child = fork_waiting_child(go);
	CHECK(queue_info(child, SIGUSR1, SI_USER, 0) == -1 && errno == EPERM);
	CHECK(queue_info(child, SIGUSR1, SI_TKILL, 0) == -1 && errno == EPERM);
	CHECK(queue_info(child, 0, SI_QUEUE, 0) == 0);
	reap_waiting_child(child, go);
	CHECK(queue_info(999999, SIGUSR1, SI_QUEUE, 0) == -1 && errno == ESRCH);
	CHECK(queue_info(getpid(), 65, SI_QUEUE, 0) == -1 && errno == EINVAL);
	CHECK(queue_info(getpid(), -1, SI_QUEUE, 0) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, bad_ptr) == -1 &&
	    errno == EFAULT);
	/* To oneself any code goes. */
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(queue_info(getpid(), rt, SI_USER, 7) == 0);
	CHECK(sigtimedwait(&set, NULL, &zero) == rt);
	/* rt_tgsigqueueinfo: one thread. */
	CHECK(syscall(SYS_rt_tgsigqueueinfo, 0, getpid(), rt,
	    &(siginfo_t){ .si_code = SI_QUEUE }) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, rt,
	    &(siginfo_t){ .si_code = SI_QUEUE }) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid() + 1000000, getpid(), rt,
	    &(siginfo_t){ .si_code = SI_QUEUE }) == -1 && errno == ESRCH);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), rt,
	    bad_ptr) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), rt,
	    &(siginfo_t){ .si_code = SI_QUEUE }) == 0);
	CHECK(sigtimedwait(&set, NULL, &zero) == rt);
	/* RLIMIT_SIGPENDING: then EAGAIN; each queued one comes back. */
	CHECK(getrlimit(RLIMIT_SIGPENDING, &rl) == 0 && rl.rlim_cur > 0 &&
	    rl.rlim_cur < 100000);
	while (sigqueue(getpid(), rt, (union sigval){ n }) == 0)
		n++;
	CHECK(errno == EAGAIN && n == (int)rl.rlim_cur);
	for (int i = 0; i < n; i++) {
		siginfo_t si;

		CHECK(sigtimedwait(&set, &si, &zero) == rt &&
		    si.si_value.sival_int == i);
	}
	CHECK(sigtimedwait(&set, NULL, &zero) == -1 && errno == EAGAIN);
	CHECK(sigqueue(getpid(), rt, (union sigval){ 0 }) == 0);
}

static void
t_itimer_errors(void)
{
	struct itimerval v = { { 0, 0 }, { 0, -1 } }, o;

	CHECK(setitimer(ITIMER_REAL, &v, NULL) == -1 && errno == EINVAL);
	v.it_value = (struct timeval){ -1, 0 };
	CHECK(setitimer(ITIMER_REAL, &v, NULL) == -1 && errno == EINVAL);
	v.it_value = (struct timeval){ 0, 1000000 };
	CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL) == -1 && errno == EINVAL);
	v = (struct itimerval){ { 0, 1000000 }, { 1, 0 } };
	CHECK(setitimer(ITIMER_PROF, &v, NULL) == -1 && errno == EINVAL);
	v = (struct itimerval){ { 0, 0 }, { 1, 0 } };
	CHECK(setitimer(3, &v, NULL) == -1 && errno == EINVAL);
	CHECK(setitimer(-1, &v, NULL) == -1 && errno == EINVAL);
	CHECK(getitimer(3, &o) == -1 && errno == EINVAL);
	/* The value is read before which is judged; getitimer the reverse. */
	CHECK(syscall(SYS_setitimer, 3, bad_ptr, NULL) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_getitimer, 3, bad_ptr) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_getitimer, ITIMER_REAL, bad_ptr) == -1 &&
	    errno == EFAULT);
	/* A bad old value is EFAULT after the timer is set. */
	CHECK(syscall(SYS_setitimer, ITIMER_REAL, &v, bad_ptr) == -1 &&
	    errno == EFAULT);
	CHECK(getitimer(ITIMER_REAL, &o) == 0 && o.it_value.tv_sec == 0 &&
	    o.it_value.tv_usec > 900000);
	/* No new value disarms (Linux, with a warning). */
	CHECK(syscall(SYS_setitimer, ITIMER_REAL, NULL, &o) == 0 &&
	    o.it_value.tv_usec > 0);
	CHECK(getitimer(ITIMER_REAL, &o) == 0 && o.it_value.tv_sec == 0 &&
	    o.it_value.tv_usec == 0);
	/* An interval without a value arms nothing. */
	v = (struct itimerval){ { 0, 7 }, { 0, 0 } };
	CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &o) == 0 && o.it_interval.tv_usec == 0);
}

static volatile int alarm_count, vtalrm_count, prof_count;

static void
on_timer_signal(int sig)
{
	if (sig == SIGALRM)
		alarm_count++;
	else if (sig == SIGVTALRM)
		vtalrm_count++;
	else if (sig == SIGPROF)
		prof_count++;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
t_itimer_real(void)
{
	struct itimerval v = { { 0, 30000 }, { 0, 50000 } }, o;
	struct sigaction sa = { .sa_handler = on_timer_signal };
	sigset_t none;
	struct timespec t0;
	int status;
	pid_t pid;

	sigemptyset(&none);
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &o) == 0 && o.it_value.tv_sec == 0 &&
	    o.it_value.tv_usec > 0 && o.it_value.tv_usec <= 50000 &&
	    o.it_interval.tv_sec == 0 && o.it_interval.tv_usec == 30000);
	while (alarm_count < 3)
		sigsuspend(&none);
	CHECK(ms_since(&t0) >= 100);
	v = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	CHECK(setitimer(ITIMER_REAL, &v, &o) == 0 &&
	    o.it_interval.tv_usec == 30000);
	/* alarm() is setitimer(ITIMER_REAL) in glibc. */
	CHECK(alarm(2) == 0);
	CHECK(alarm(0) == 2);
	alarm_count = 0;
	CHECK(alarm(1) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(pause() == -1 && errno == EINTR && alarm_count == 1);
	CHECK(ms_since(&t0) >= 900);
	/* With the default action, SIGALRM ends the process. */
	pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		v = (struct itimerval){ { 0, 0 }, { 0, 10000 } };
		setitimer(ITIMER_REAL, &v, NULL);
		pause();
		_exit(1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
}

/* Spin in user mode until the count reaches n, or give up after 5 s. */
static void
spin_until(volatile int *count, int n)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (*count < n && ms_since(&t0) < 5000)
		;
}

static void
t_itimer_cpu(void)
{
	struct itimerval v = { { 0, 0 }, { 0, 50000 } }, o;
	struct sigaction sa = { .sa_handler = on_timer_signal };

	CHECK(sigaction(SIGVTALRM, &sa, NULL) == 0);
	CHECK(sigaction(SIGPROF, &sa, NULL) == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL) == 0);
	/* Asleep, the process uses no user time: the timer waits. */
	usleep(200000);
	CHECK(vtalrm_count == 0);
	CHECK(getitimer(ITIMER_VIRTUAL, &o) == 0 && o.it_value.tv_usec > 0 &&
	    o.it_interval.tv_usec == 0);
	spin_until(&vtalrm_count, 1);
	CHECK(vtalrm_count == 1);
	CHECK(getitimer(ITIMER_VIRTUAL, &o) == 0 && o.it_value.tv_sec == 0 &&
	    o.it_value.tv_usec == 0);
	v = (struct itimerval){ { 0, 20000 }, { 0, 20000 } };
	CHECK(setitimer(ITIMER_PROF, &v, NULL) == 0);
	spin_until(&prof_count, 3);
	CHECK(prof_count >= 3);
	CHECK(getitimer(ITIMER_PROF, &o) == 0 && o.it_interval.tv_usec == 20000);
}

/* fork clears the timers in the child; exec keeps them
 * (UTEST_ITIMER_PROBE). */
static void
t_itimer_fork_exec(void)
{
	struct itimerval v = { { 0, 0 }, { 30, 0 } };
	char *argv[] = { "utest", NULL }, *envp[] = { "UTEST_ITIMER_PROBE=1",
	    NULL };
	int status;
	pid_t pid;

	CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &v, NULL) == 0);
	pid = fork();
	if (pid == 0) {
		struct itimerval r, u;

		_exit(getitimer(ITIMER_REAL, &r) == 0 &&
		    getitimer(ITIMER_VIRTUAL, &u) == 0 &&
		    r.it_value.tv_sec == 0 && r.it_value.tv_usec == 0 &&
		    u.it_value.tv_sec == 0 && u.it_value.tv_usec == 0 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	pid = fork();
	if (pid == 0) {
		CHECK(setitimer(ITIMER_REAL, &v, NULL) == 0);
		execve("/test/utest", argv, envp);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

struct pselect_mask {
	const sigset_t *ss;
	size_t ss_len;
};

static long
raw_pselect(int nfds, fd_set *r, fd_set *w, struct timespec *ts,
    const sigset_t *mask)
{
	struct pselect_mask pm = { mask, 8 };

	return syscall(SYS_pselect6, nfds, r, w, NULL, ts, mask ? &pm : NULL);
}

static void
t_pselect(void)
{
	struct timespec zero = { 0, 0 }, ts, t0;
	fd_set r, w;
	int p[2], fd, status;
	pid_t child;

	CHECK(pipe(p) == 0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	CHECK(raw_pselect(p[1] + 1, &r, &w, &zero, NULL) == 1);
	CHECK(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	CHECK(write(p[1], "x", 1) == 1);
	FD_SET(p[0], &r);
	CHECK(raw_pselect(p[0] + 1, &r, NULL, &zero, NULL) == 1 &&
	    FD_ISSET(p[0], &r));
	CHECK(read(p[0], &status, 1) == 1);
	/* A timeout: 0, the sets emptied, no time left written back. */
	ts = (struct timespec){ 0, 50000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(raw_pselect(p[0] + 1, &r, NULL, &ts, NULL) == 0 &&
	    !FD_ISSET(p[0], &r));
	CHECK(ms_since(&t0) >= 40 && ts.tv_sec == 0 && ts.tv_nsec == 0);
	/* It sleeps until a writer wakes it, the time left written back. */
	child = fork();
	if (child == 0) {
		usleep(100000);
		_exit(write(p[1], "y", 1) == 1 ? 0 : 1);
	}
	CHECK(child > 0);
	FD_SET(p[0], &r);
	ts = (struct timespec){ 10, 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(raw_pselect(p[0] + 1, &r, NULL, &ts, NULL) == 1 &&
	    FD_ISSET(p[0], &r));
	CHECK(ms_since(&t0) >= 80 && ts.tv_sec >= 8 && ts.tv_sec < 10);
	CHECK(waitpid(child, &status, 0) == child && status == 0);
	/* A closed writer makes the reader ready (end of file). */
	CHECK(read(p[0], &status, 1) == 1);
	close(p[1]);
	CHECK(select(p[0] + 1, &r, NULL, NULL, NULL) == 1 && FD_ISSET(p[0], &r));
	/* Files are always ready. */
	fd = open(DIR_ "/sel", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	FD_ZERO(&r);
	FD_SET(fd, &r);
	FD_ZERO(&w);
	FD_SET(fd, &w);
	CHECK(select(fd + 1, &r, &w, NULL, NULL) == 2);
	close(fd);
	CHECK(unlink(DIR_ "/sel") == 0);
	close(p[0]);
}

static void
t_pselect_errors(void)
{
	struct timespec zero = { 0, 0 }, bad = { 0, 1000000000 };
	struct pselect_mask pm = { NULL, 8 };
	sigset_t mask;
	fd_set r;
	int p[2];

	sigemptyset(&mask);
	CHECK(pipe(p) == 0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK(raw_pselect(-1, &r, NULL, &zero, NULL) == -1 && errno == EINVAL);
	CHECK(raw_pselect(1, &r, NULL, &bad, NULL) == -1 && errno == EINVAL);
	CHECK(raw_pselect(1, &r, NULL, bad_ptr, NULL) == -1 && errno == EFAULT);
	CHECK(raw_pselect(p[0] + 1, bad_ptr, NULL, &zero, NULL) == -1 &&
	    errno == EFAULT);
	CHECK(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero,
	    bad_ptr) == -1 && errno == EFAULT);
	pm.ss = bad_ptr;
	CHECK(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero, &pm) ==
	    -1 && errno == EFAULT);
	pm = (struct pselect_mask){ &mask, 16 };
	CHECK(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero, &pm) ==
	    -1 && errno == EINVAL);
	/* The pair may hold no mask at all. */
	pm = (struct pselect_mask){ NULL, 0 };
	CHECK(syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &zero, &pm) == 0);
	close(p[1]);
	FD_SET(p[1], &r);
	CHECK(raw_pselect(p[1] + 1, &r, NULL, &zero, NULL) == -1 &&
	    errno == EBADF);
	/* Bits from nfds on are not looked at. */
	FD_SET(p[0], &r);
	CHECK(raw_pselect(p[0] + 1, &r, NULL, &zero, NULL) == 1);
	close(p[0]);
}

static volatile int mask_usr2_blocked, mask_usr1_blocked;

static void
on_usr1_mask(int sig)
{
	sigset_t cur;

	(void)sig;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	mask_usr1_blocked = sigismember(&cur, SIGUSR1);
	mask_usr2_blocked = sigismember(&cur, SIGUSR2);
	got_signal = 1;
}

/* The mask of ppoll and pselect6 is in force while they wait (so a
 * blocked signal pending before the call interrupts it, its handler
 * under the temporary mask), and the old one is back after. */
static void
t_poll_sigmask(void)
{
	struct sigaction sa = { .sa_handler = on_usr1_mask };
	sigset_t usr1 = one_signal(SIGUSR1), usr2 = one_signal(SIGUSR2), cur;
	struct timespec zero = { 0, 0 }, five = { 5, 0 };
	struct pollfd pf;
	fd_set r;
	int p[2];
	pid_t child;

	CHECK(pipe(p) == 0);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(sigprocmask(SIG_BLOCK, &usr1, NULL) == 0);
	for (int call = 0; call < 2; call++) {
		got_signal = 0;
		CHECK(raise(SIGUSR1) == 0 && got_signal == 0);
		FD_ZERO(&r);
		FD_SET(p[0], &r);
		pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
		if (call == 0)
			CHECK(raw_pselect(p[0] + 1, &r, NULL, &five, &usr2) == -1);
		else
			CHECK(ppoll(&pf, 1, &five, &usr2) == -1);
		CHECK(errno == EINTR && got_signal == 1);
		CHECK(mask_usr1_blocked && mask_usr2_blocked);
		CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0 &&
		    sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2));
	}
	/* Returning without a signal puts the old mask back too. */
	CHECK(raw_pselect(p[1] + 1, NULL, NULL, &zero, &usr2) == 0);
	pf = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	CHECK(ppoll(&pf, 1, &zero, &usr2) == 1);
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0 &&
	    sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2));
	/* A signal from elsewhere while it sleeps. */
	got_signal = 0;
	child = signal_parent_later(SIGUSR1, 50);
	CHECK(ppoll(&(struct pollfd){ .fd = p[0], .events = POLLIN }, 1, NULL,
	    &usr2) == -1 && errno == EINTR && got_signal == 1);
	CHECK(waitpid(child, NULL, 0) == child);
	close(p[0]);
	close(p[1]);
}

static bool
resuid_is(uid_t r, uid_t e, uid_t s)
{
	uid_t gr, ge, gs;

	return getresuid(&gr, &ge, &gs) == 0 && gr == r && ge == e && gs == s;
}

static bool
resgid_is(gid_t r, gid_t e, gid_t s)
{
	gid_t gr, ge, gs;

	return getresgid(&gr, &ge, &gs) == 0 && gr == r && ge == e && gs == s;
}

/* The set*id rules, as root and after root is dropped.  glibc's wrappers
 * would make every thread do it; raw calls keep to the process. */
static void
ids_in_child(void)
{
	gid_t groups[4] = { 30, 10, 20, 0 }, got[4];

	CHECK(resuid_is(0, 0, 0) && resgid_is(0, 0, 0));
	CHECK(syscall(SYS_setuid, -1) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_setgid, -1) == -1 && errno == EINVAL);
	/* Groups: root only, sorted, getgroups' sizes. */
	CHECK(setgroups(3, groups) == 0);
	CHECK(getgroups(0, NULL) == 3);
	CHECK(getgroups(2, got) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_getgroups, -1, got) == -1 && errno == EINVAL);
	CHECK(getgroups(4, got) == 3 && got[0] == 10 && got[1] == 20 &&
	    got[2] == 30);
	CHECK(getgroups(3, bad_ptr) == -1 && errno == EFAULT);
	CHECK(setgroups(1, bad_ptr) == -1 && errno == EFAULT);
	CHECK(syscall(SYS_setgroups, -1, groups) == -1 && errno == EINVAL);
	CHECK(setgroups(70000, groups) == -1 && errno == EINVAL);
	/* Root sets anything. */
	CHECK(syscall(SYS_setresgid, 100, 101, 102) == 0 &&
	    resgid_is(100, 101, 102) && getgid() == 100 && getegid() == 101);
	CHECK(syscall(SYS_setfsgid, 7) == 101 && syscall(SYS_setfsgid, -1) == 7);
	CHECK(syscall(SYS_setgid, 5) == 0 && resgid_is(5, 5, 5));
	CHECK(syscall(SYS_setregid, 6, -1) == 0 && resgid_is(6, 5, 5));
	CHECK(prctl(PR_GET_DUMPABLE) == 0);	/* the ids changed */
	CHECK(syscall(SYS_setresuid, 1000, 1001, 0) == 0 &&
	    resuid_is(1000, 1001, 0) && getuid() == 1000 && geteuid() == 1001);
	/* Not root now: only among the held ids. */
	CHECK(syscall(SYS_setgid, 6) == 0 && resgid_is(6, 6, 5));
	CHECK(syscall(SYS_setgid, 9) == -1 && errno == EPERM);
	CHECK(setgroups(0, NULL) == -1 && errno == EPERM);
	CHECK(syscall(SYS_setresuid, 5, -1, -1) == -1 && errno == EPERM);
	CHECK(syscall(SYS_setuid, 5) == -1 && errno == EPERM);
	CHECK(syscall(SYS_setfsuid, 5) == 1001 && syscall(SYS_setfsuid, -1) ==
	    1001);
	CHECK(syscall(SYS_setreuid, -1, 1000) == 0 && resuid_is(1000, 1000, 0));
	CHECK(syscall(SYS_setreuid, 1001, -1) == -1 && errno == EPERM);
	/* Back to root through the saved uid, then drop it for good. */
	CHECK(syscall(SYS_setresuid, -1, 0, -1) == 0 && resuid_is(1000, 0, 0));
	CHECK(syscall(SYS_setreuid, 1000, 1000) == 0 &&
	    resuid_is(1000, 1000, 1000));
	CHECK(syscall(SYS_setuid, 0) == -1 && errno == EPERM);
	CHECK(syscall(SYS_setuid, 1000) == 0);
	CHECK(syscall(SYS_setresuid, -1, -1, -1) == 0);
}

static void
t_setid(void)
{
	int status = testrun_in_child(ids_in_child);

	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The parent's ids are its own. */
	CHECK(resuid_is(0, 0, 0) && resgid_is(0, 0, 0));
}

#define PD_	DIR_ "/perm"

/* As uid 1000, gid 100: a root's pipe, fd, is not ours to change; a new
 * one is ours, and ours to give our groups, not another owner. */
static void
pipe_owner_as_user(int fd)
{
	struct stat st;
	int p[2];

	CHECK(syscall(SYS_setgroups, 0, NULL) == 0);
	CHECK(syscall(SYS_setresgid, 100, 100, 100) == 0);
	CHECK(syscall(SYS_setresuid, 1000, 1000, 1000) == 0);
	CHECK(fchown(fd, 1000, -1) == -1 && errno == EPERM);
	CHECK(fchmod(fd, 0666) == -1 && errno == EPERM);
	CHECK(pipe(p) == 0 && fstat(p[0], &st) == 0);
	CHECK(st.st_uid == 1000 && st.st_gid == 100 &&
	    st.st_mode == (S_IFIFO | 0600));
	CHECK(fchmod(p[1], 0640) == 0 && fd_stat(p[0]).st_mode == (S_IFIFO | 0640));
	CHECK(fchown(p[0], -1, 100) == 0 && fchown(p[0], 1000, -1) == 0);
	CHECK(fchown(p[0], -1, 0) == -1 && errno == EPERM);
	CHECK(fchown(p[0], 0, -1) == -1 && errno == EPERM);
}

/*
 * A pipe is its own inode, as on Linux: made with the creator's ids and
 * mode 0600; fchown and fchmod change it (either end shows it) under the
 * rules for files, a change of owner dropping S_ISUID.  A FIFO's are its
 * node's.
 */
static void
t_pipe_owner(void)
{
	struct stat made, used, changed;
	time_t now = time(NULL);
	int p[2], fd;
	char c;

	/* Its times, as Linux's pipefs: made at pipe(2), left by reads and
	 * writes; chmod changes ctime. */
	CHECK(pipe(p) == 0 && fstat(p[0], &made) == 0);
	CHECK(made.st_mtime >= now - 1 && made.st_mtime <= now + 1);
	CHECK(made.st_atim.tv_nsec == made.st_mtim.tv_nsec &&
	    made.st_ctim.tv_nsec == made.st_mtim.tv_nsec);
	usleep(20000);
	CHECK(write(p[1], "x", 1) == 1 && read(p[0], &c, 1) == 1);
	CHECK(fstat(p[1], &used) == 0);
	CHECK(used.st_mtim.tv_nsec == made.st_mtim.tv_nsec &&
	    used.st_atim.tv_nsec == made.st_atim.tv_nsec &&
	    used.st_ctim.tv_nsec == made.st_ctim.tv_nsec);
	CHECK(fchmod(p[0], 0600) == 0 && fstat(p[0], &changed) == 0);
	CHECK(changed.st_mtim.tv_nsec == made.st_mtim.tv_nsec);
	CHECK(changed.st_ctim.tv_sec > made.st_ctim.tv_sec ||
	    changed.st_ctim.tv_nsec > made.st_ctim.tv_nsec);
	close(p[0]);
	close(p[1]);
	CHECK(pipe(p) == 0 && fd_stat(p[1]).st_uid == 0);
	CHECK(fchown(p[0], 1000, 1001) == 0 && fd_stat(p[1]).st_uid == 1000);
	CHECK(fchmod(p[1], 04640) == 0 && fd_stat(p[0]).st_mode == (S_IFIFO | 04640));
	CHECK(fchown(p[1], -1, 5) == 0 && fd_stat(p[0]).st_mode == (S_IFIFO | 0640));
	CHECK(fchown(p[0], 0, 0) == 0);
	in_child(pipe_owner_as_user, p[0]);
	close(p[0]);
	close(p[1]);
	CHECK(mkfifo(DIR_ "/fifo", 0600) == 0);
	fd = open(DIR_ "/fifo", O_RDWR);
	CHECK(fd >= 0 && fchmod(fd, 0604) == 0 && fchown(fd, 7, 8) == 0);
	CHECK(fd_stat(fd).st_uid == 7 && fd_stat(fd).st_mode == (S_IFIFO | 0604));
	close(fd);
	CHECK(unlink(DIR_ "/fifo") == 0);
}

/* File permissions as uid 1000, gid 100 (see t_file_permissions). */
static void
perms_as_user(int unused)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	struct stat st;
	int fd;

	CHECK(syscall(SYS_setgroups, 0, NULL) == 0);
	CHECK(syscall(SYS_setresgid, 100, 100, 100) == 0);
	CHECK(syscall(SYS_setresuid, 1000, 1000, 1000) == 0);
	/* Open: read and write as the class's bits say; O_TRUNC writes. */
	CHECK(open(PD_ "/secret", O_RDONLY) == -1 && errno == EACCES);
	CHECK(open(PD_ "/public", O_WRONLY) == -1 && errno == EACCES);
	CHECK(open(PD_ "/public", O_RDONLY | O_TRUNC) == -1 && errno == EACCES);
	CHECK((fd = open(PD_ "/public", O_RDONLY)) >= 0 && close(fd) == 0);
	CHECK((fd = open(PD_ "/shared", O_RDWR)) >= 0 && close(fd) == 0);
	CHECK((fd = open(PD_ "/secret", O_PATH)) >= 0 && close(fd) == 0);
	CHECK(access(PD_ "/secret", R_OK) == -1 && errno == EACCES);
	CHECK(access(PD_ "/shared", R_OK | W_OK) == 0);
	CHECK(truncate(PD_ "/public", 0) == -1 && errno == EACCES);
	/* A directory not writable: no new names, no removals. */
	CHECK(open(PD_ "/new", O_WRONLY | O_CREAT, 0644) == -1 && errno == EACCES);
	CHECK(mkdir(PD_ "/newdir", 0755) == -1 && errno == EACCES);
	CHECK(symlink("x", PD_ "/newlink") == -1 && errno == EACCES);
	CHECK(link(PD_ "/shared", PD_ "/newhard") == -1 && errno == EACCES);
	CHECK(unlink(PD_ "/shared") == -1 && errno == EACCES);
	CHECK(unlink(PD_ "/missing") == -1 && errno == ENOENT);
	CHECK(rename(PD_ "/shared", PD_ "/moved") == -1 && errno == EACCES);
	/* A directory not searchable: nothing below it is reachable. */
	CHECK(stat(PD_ "/closed/inner", &st) == -1 && errno == EACCES);
	CHECK(chdir(PD_ "/closed") == -1 && errno == EACCES);
	CHECK(stat(PD_ "/closed", &st) == 0);
	/* Files made belong to the maker; its own it may chmod and chgrp. */
	CHECK((fd = open(PD_ "/sticky/mine", O_RDWR | O_CREAT, 0600)) >= 0);
	CHECK(fstat(fd, &st) == 0 && st.st_uid == 1000 && st.st_gid == 100);
	CHECK(close(fd) == 0);
	CHECK(mkdir(PD_ "/sticky/mydir", 0700) == 0);
	CHECK(stat(PD_ "/sticky/mydir", &st) == 0 && st.st_uid == 1000);
	CHECK(chmod(PD_ "/sticky/mine", 0640) == 0);
	CHECK(chmod(PD_ "/public", 0666) == -1 && errno == EPERM);
	CHECK(chown(PD_ "/sticky/mine", 0, -1) == -1 && errno == EPERM);
	CHECK(chown(PD_ "/sticky/mine", -1, 5) == -1 && errno == EPERM);
	CHECK(chown(PD_ "/sticky/mine", -1, 100) == 0);
	CHECK(chown(PD_ "/public", -1, 100) == -1 && errno == EPERM);
	/* Times: now with write access, given values only as the owner. */
	CHECK(utimensat(AT_FDCWD, PD_ "/shared", NULL, 0) == 0);
	CHECK(utimensat(AT_FDCWD, PD_ "/shared", ts, 0) == -1 && errno == EPERM);
	CHECK(utimensat(AT_FDCWD, PD_ "/public", NULL, 0) == -1 &&
	    errno == EACCES);
	CHECK(utimensat(AT_FDCWD, PD_ "/sticky/mine", ts, 0) == 0);
	/* The sticky directory: others' files stay, one's own go. */
	CHECK(unlink(PD_ "/sticky/roots") == -1 && errno == EPERM);
	CHECK(rename(PD_ "/sticky/roots", PD_ "/sticky/r2") == -1 &&
	    errno == EPERM);
	CHECK(rename(PD_ "/sticky/mine", PD_ "/sticky/mine2") == 0);
	CHECK(unlink(PD_ "/sticky/mine2") == 0 && rmdir(PD_ "/sticky/mydir") == 0);
	/* A write by a non-root drops set-user-ID (and set-group-ID with
	 * group execute); chmod drops set-group-ID for a non-member. */
	CHECK((fd = open(PD_ "/suid", O_WRONLY)) >= 0);
	CHECK(write(fd, "x", 1) == 1 && close(fd) == 0);
	CHECK(stat(PD_ "/suid", &st) == 0 && (st.st_mode & 07777) == 0676);
	CHECK(chmod(PD_ "/sticky/alien", 02644) == 0);	/* group 5: not ours */
	CHECK(stat(PD_ "/sticky/alien", &st) == 0 && (st.st_mode & 07777) == 0644);
	CHECK((fd = open(PD_ "/sticky/ours", O_WRONLY | O_CREAT, 0644)) >= 0);
	CHECK(close(fd) == 0 && chmod(PD_ "/sticky/ours", 02644) == 0);
	CHECK(stat(PD_ "/sticky/ours", &st) == 0 && (st.st_mode & 07777) == 02644);
	CHECK(unlink(PD_ "/sticky/ours") == 0 && unlink(PD_ "/sticky/alien") == 0);
	/* Device nodes are root's to make. */
	CHECK(mknod(PD_ "/sticky/dev", S_IFCHR | 0600, makedev(1, 3)) == -1 &&
	    errno == EPERM);
	CHECK(mknod(PD_ "/sticky/fifo", S_IFIFO | 0600, 0) == 0);
	CHECK(stat(PD_ "/sticky/fifo", &st) == 0 && st.st_uid == 1000);
	CHECK(unlink(PD_ "/sticky/fifo") == 0);
	/* Exec needs an x bit of the caller's class. */
	CHECK(execl(PD_ "/owner-x", "owner-x", NULL) == -1 && errno == EACCES);
	(void)unused;
}

/*
 * access(2) checks the real ids, for its path walk too: with the real
 * uid root and the effective (so file-system) uid 1000, access reaches
 * what stat may not, and the other way round.
 */
static void
perms_real_ids(int unused)
{
	struct stat st;
	int fd;

	CHECK(syscall(SYS_setresuid, 0, 1000, 0) == 0);
	CHECK(stat(PD_ "/closed/inner", &st) == -1 && errno == EACCES);
	CHECK(access(PD_ "/closed/inner", R_OK | W_OK) == 0);
	CHECK(syscall(SYS_setresuid, 1000, 0, 0) == 0);
	CHECK((fd = open(PD_ "/closed/inner", O_RDONLY)) >= 0 && close(fd) == 0);
	CHECK(access(PD_ "/closed/inner", F_OK) == -1 && errno == EACCES);
	/* Real gid 0 is /secret's group: read (0640) but not write. */
	CHECK(access(PD_ "/secret", R_OK) == 0);
	CHECK(access(PD_ "/secret", W_OK) == -1 && errno == EACCES);
	(void)unused;
}

/*
 * Files are checked against the caller's file-system ids: owner, group
 * and other bits (only the caller's class counts), search permission on
 * each directory walked, write and search on a directory whose entries
 * change, the sticky bit, owner-only chmod, chown and explicit times.
 * Root passes every check but exec's (some x bit), as on Linux.
 */
static void
t_file_permissions(void)
{
	CHECK(mkdir(PD_, 0755) == 0 && mkdir(PD_ "/closed", 0700) == 0);
	CHECK(mkdir(PD_ "/sticky", 01777) == 0 && chmod(PD_ "/sticky", 01777) == 0);
	write_file(PD_ "/closed/inner", "x\n");
	write_file(PD_ "/secret", "s\n");
	CHECK(chmod(PD_ "/secret", 0640) == 0);
	write_file(PD_ "/public", "p\n");
	write_file(PD_ "/shared", "w\n");
	CHECK(chmod(PD_ "/shared", 0666) == 0);
	write_file(PD_ "/sticky/roots", "r\n");
	CHECK(chmod(PD_ "/sticky/roots", 0666) == 0);
	write_file(PD_ "/sticky/alien", "a\n");
	CHECK(chown(PD_ "/sticky/alien", 1000, 5) == 0);
	write_file(PD_ "/suid", "u\n");
	CHECK(chmod(PD_ "/suid", 06676) == 0);
	copy_file("/test/pie", PD_ "/owner-x", 0744);
	in_child(perms_as_user, -1);
	in_child(perms_real_ids, -1);
	/* Root: every bit bypassed but exec's. */
	CHECK(access(PD_ "/secret", R_OK | W_OK) == 0);
	CHECK(chmod(PD_ "/secret", 0) == 0 && access(PD_ "/secret", R_OK) == 0);
	CHECK(run_program(PD_ "/owner-x") == 7 << 8);
	CHECK(chmod(PD_ "/owner-x", 0644) == 0);
	CHECK(run_program(PD_ "/owner-x") == 99 << 8);
	CHECK(unlink(PD_ "/owner-x") == 0 && unlink(PD_ "/sticky/roots") == 0);
	CHECK(unlink(PD_ "/suid") == 0);
	CHECK(unlink(PD_ "/secret") == 0 && unlink(PD_ "/public") == 0);
	CHECK(unlink(PD_ "/shared") == 0 && unlink(PD_ "/closed/inner") == 0);
	CHECK(rmdir(PD_ "/closed") == 0 && rmdir(PD_ "/sticky") == 0);
	CHECK(rmdir(PD_) == 0);
}

/* ---- /proc's permissions (Linux's fs/proc/base.c rules) ---- */

#define PP_TUNABLE	"/proc/sys/vm/overcommit_ratio"
#define PP_READONLY	"/proc/sys/kernel/pid_max"

/* The targets proc_perms_as_user looks at (see t_proc_permissions). */
static pid_t pp_peer, pp_locked, pp_mixed;
static int pp_peer_fd, pp_mixed_fd;	/* the descriptors they wait on */

/*
 * A child with the real uid ruid, the effective and saved uid 1000 and
 * the gids 100, that waits for go[1] to close.  The id change leaves it
 * not dumpable, as on Linux, unless `dumpable' has it set the flag
 * again.  Returns once it has its ids.
 */
static pid_t
fork_user_target(int go[2], uid_t ruid, bool dumpable)
{
	int ready[2];
	char c;
	pid_t pid;

	CHECK(pipe(go) == 0 && pipe(ready) == 0);
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		if (setgroups(0, NULL) != 0 || setresgid(100, 100, 100) != 0 ||
		    setresuid(ruid, 1000, 1000) != 0 ||
		    (dumpable && prctl(PR_SET_DUMPABLE, 1) != 0))
			_exit(1);
		close(ready[1]);
		read(go[0], &c, 1);
		_exit(0);
	}
	CHECK(pid > 0);
	close(go[0]);
	close(ready[1]);
	CHECK(read(ready[0], &c, 1) == 0 && close(ready[0]) == 0);
	return pid;
}

/* "/proc/PID/name" ("" names the directory) into path. */
static const char *
pp_path(char path[64], pid_t pid, const char *name)
{
	snprintf(path, 64, "/proc/%d%s%s", (int)pid, *name != '\0' ? "/" : "",
	    name);
	return path;
}

/* Does lstat of path show this owner and mode (the type's bits too)? */
static bool
lstat_is(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	struct stat st;

	return lstat(path, &st) == 0 && st.st_uid == uid && st.st_gid == gid &&
	    st.st_mode == mode;
}

/* lstat_is for /proc/PID/name. */
static bool
pp_stat_is(pid_t pid, const char *name, uid_t uid, gid_t gid, mode_t mode)
{
	char path[64];

	return lstat_is(pp_path(path, pid, name), uid, gid, mode);
}

/* The errno of opening /proc/PID/name with flags; 0 if it opened. */
static int
pp_open_errno(pid_t pid, const char *name, int flags)
{
	char path[64];
	int fd = open(pp_path(path, pid, name), flags);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The errno of readlink of /proc/PID/name; 0 if it read the link. */
static int
pp_readlink_errno(pid_t pid, const char *name)
{
	char path[64], buf[256];

	return readlink(pp_path(path, pid, name), buf, sizeof(buf)) > 0 ? 0 :
	    errno;
}

/* Field n (Linux's numbering, from 1) of /proc/PID/stat, a number; -1
 * if there is none. */
static long long
pp_stat_field(pid_t pid, int n)
{
	char path[64], buf[1024];
	const char *s;

	if (proc_read(pp_path(path, pid, "stat"), buf, sizeof(buf)) <= 0 ||
	    (s = strrchr(buf, ')')) == NULL)
		return -1;
	for (int i = 2; i < n && s != NULL; i++)
		s = strchr(s + 1, ' ');		/* the blank before field i + 1 */
	return s != NULL ? strtoll(s + 1, NULL, 10) : -1;
}

/* Does /proc/PID/status hold line (a whole line, its newline included)? */
static bool
pp_status_has(pid_t pid, const char *line)
{
	char path[64], buf[4096];

	return proc_read(pp_path(path, pid, "status"), buf, sizeof(buf)) > 0 &&
	    strstr(buf, line) != NULL;
}

/* What a process lets everyone read: stat, statm, status, cmdline, comm. */
static bool
pp_public_files_read(pid_t pid)
{
	static const char *const names[] = { "stat", "statm", "status",
	    "cmdline", "comm" };
	char path[64], buf[4096];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (proc_read(pp_path(path, pid, names[i]), buf, sizeof(buf)) < 0)
			return false;
	return true;
}

/* The files of a dumpable process with the caller's ids: its own, and
 * it may look into them. */
static void
pp_user_sees_peer(pid_t peer)
{
	char name[32];

	CHECK(pp_stat_is(peer, "", 1000, 100, S_IFDIR | 0555));
	CHECK(pp_stat_is(peer, "stat", 1000, 100, S_IFREG | 0444));
	CHECK(pp_stat_is(peer, "statm", 1000, 100, S_IFREG | 0444));
	CHECK(pp_stat_is(peer, "status", 1000, 100, S_IFREG | 0444));
	CHECK(pp_stat_is(peer, "cmdline", 1000, 100, S_IFREG | 0444));
	CHECK(pp_stat_is(peer, "environ", 1000, 100, S_IFREG | 0400));
	CHECK(pp_stat_is(peer, "comm", 1000, 100, S_IFREG | 0644));
	CHECK(pp_stat_is(peer, "maps", 1000, 100, S_IFREG | 0444));
	CHECK(pp_stat_is(peer, "smaps", 1000, 100, S_IFREG | 0444));
	CHECK(pp_stat_is(peer, "fd", 1000, 100, S_IFDIR | 0500));
	CHECK(pp_stat_is(peer, "task", 1000, 100, S_IFDIR | 0555));
	CHECK(pp_stat_is(peer, "exe", 1000, 100, S_IFLNK | 0777));
	CHECK(pp_stat_is(peer, "cwd", 1000, 100, S_IFLNK | 0777));
	CHECK(pp_stat_is(peer, "root", 1000, 100, S_IFLNK | 0777));
	snprintf(name, sizeof(name), "task/%d", (int)peer);
	CHECK(pp_stat_is(peer, name, 1000, 100, S_IFDIR | 0555));
	snprintf(name, sizeof(name), "fd/%d", pp_peer_fd);	/* a read end */
	CHECK(pp_stat_is(peer, name, 1000, 100, S_IFLNK | 0500));
	CHECK(pp_open_errno(peer, "environ", O_RDONLY) == 0);
	CHECK(pp_open_errno(peer, "maps", O_RDONLY) == 0);
	CHECK(pp_open_errno(peer, "smaps", O_RDONLY) == 0);
	CHECK(pp_open_errno(peer, "fd", O_RDONLY | O_DIRECTORY) == 0);
	CHECK(pp_readlink_errno(peer, name) == 0);
	CHECK(pp_readlink_errno(peer, "exe") == 0);
	CHECK(pp_readlink_errno(peer, "cwd") == 0);
	CHECK(pp_readlink_errno(peer, "root") == 0);
	CHECK(pp_stat_field(peer, 26) == 0 && pp_stat_field(peer, 47) > 0);
	CHECK(pp_status_has(peer, "\nUid:\t1000\t1000\t1000\t1000\n"
	    "Gid:\t100\t100\t100\t100\n"));
	CHECK(pp_status_has(peer, "\nGroups:\t \n"));
}

/* A process the caller may not look into (locked: not dumpable, or
 * another uid's): EACCES for what shows its memory and files, at open
 * (maps, smaps, fd/) or at readlink (exe, cwd, fd/N); its public files
 * read, its stat without addresses. */
static void
pp_user_kept_out(pid_t pid)
{
	char path[64];
	struct stat st;

	CHECK(pp_open_errno(pid, "environ", O_RDONLY) == EACCES);
	CHECK(pp_open_errno(pid, "maps", O_RDONLY) == EACCES);
	CHECK(pp_open_errno(pid, "smaps", O_RDONLY) == EACCES);
	CHECK(pp_open_errno(pid, "fd", O_RDONLY | O_DIRECTORY) == EACCES);
	CHECK(stat(pp_path(path, pid, "fd/0"), &st) == -1 && errno == EACCES);
	CHECK(pp_readlink_errno(pid, "exe") == EACCES);
	CHECK(pp_readlink_errno(pid, "cwd") == EACCES);
	CHECK(pp_readlink_errno(pid, "root") == EACCES);
	CHECK(open(pp_path(path, pid, "exe"), O_RDONLY) == -1 && errno == EACCES);
	CHECK(chdir(pp_path(path, pid, "cwd")) == -1 && errno == EACCES);
	CHECK(pp_public_files_read(pid));
	CHECK(pp_stat_field(pid, 26) == 1 && pp_stat_field(pid, 27) == 1);
	CHECK(pp_stat_field(pid, 47) == 0 && pp_stat_field(pid, 52) == 0);
}

/*
 * A process whose files are the caller's (its effective ids, dumpable)
 * but whose real uid is root: the mode lets the caller open them, ptrace
 * access does not (Linux's mm_access at open, proc_fd_access_allowed at
 * readlink), while fd/ lists by its mode alone.
 */
static void
pp_user_sees_mixed(pid_t pid)
{
	char path[64], name[32];
	struct stat st;

	CHECK(pp_stat_is(pid, "environ", 1000, 100, S_IFREG | 0400));
	CHECK(pp_stat_is(pid, "maps", 1000, 100, S_IFREG | 0444));
	CHECK(pp_open_errno(pid, "environ", O_RDONLY) == EACCES);
	CHECK(pp_open_errno(pid, "maps", O_RDONLY) == EACCES);
	CHECK(pp_open_errno(pid, "smaps", O_RDONLY) == EACCES);
	CHECK(pp_readlink_errno(pid, "exe") == EACCES);
	CHECK(pp_open_errno(pid, "fd", O_RDONLY | O_DIRECTORY) == 0);
	snprintf(name, sizeof(name), "fd/%d", pp_mixed_fd);
	CHECK(lstat(pp_path(path, pid, name), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(stat(path, &st) == -1 && errno == EACCES);
	CHECK(pp_readlink_errno(pid, name) == EACCES);
	CHECK(pp_public_files_read(pid));
	CHECK(pp_stat_field(pid, 26) == 1 && pp_stat_field(pid, 47) == 0);
	CHECK(pp_status_has(pid, "\nUid:\t0\t1000\t1000\t1000\n"));
}

/* As uid 1000, gid 100: see t_proc_permissions. */
static void
proc_perms_as_user(int unused)
{
	pid_t root_pid = getppid(), zombie;
	char buf[4096], name[32];
	size_t len = 0;
	siginfo_t si;
	int fd;

	CHECK(setgroups(0, NULL) == 0 && setresgid(100, 100, 100) == 0);
	CHECK(setresuid(1000, 1000, 1000) == 0);
	pp_user_sees_peer(pp_peer);
	pp_user_sees_mixed(pp_mixed);
	/* Same ids but not dumpable: its directories are still its own,
	 * the rest root's, and it cannot be looked into. */
	CHECK(pp_stat_is(pp_locked, "", 1000, 100, S_IFDIR | 0555));
	CHECK(pp_stat_is(pp_locked, "task", 1000, 100, S_IFDIR | 0555));
	CHECK(pp_stat_is(pp_locked, "maps", 0, 0, S_IFREG | 0444));
	CHECK(pp_stat_is(pp_locked, "fd", 0, 0, S_IFDIR | 0500));
	CHECK(pp_stat_is(pp_locked, "exe", 0, 0, S_IFLNK | 0777));
	CHECK(pp_open_errno(pp_locked, "comm", O_WRONLY) == EACCES);
	pp_user_kept_out(pp_locked);
	/* Root's process (the test's own) likewise. */
	CHECK(pp_stat_is(root_pid, "", 0, 0, S_IFDIR | 0555));
	pp_user_kept_out(root_pid);
	CHECK(pp_status_has(root_pid, "\nUid:\t0\t0\t0\t0\n"));
	/* Itself: not dumpable since setresuid, so root's files (environ,
	 * 0400, not even its own to read), but a process may always look
	 * into itself (fd/ by its own rule). */
	CHECK(pp_stat_is(getpid(), "maps", 0, 0, S_IFREG | 0444));
	CHECK(pp_stat_is(getpid(), "fd", 0, 0, S_IFDIR | 0500));
	CHECK(proc_read("/proc/self/maps", buf, sizeof(buf)) > 0);
	CHECK(open("/proc/self/environ", O_RDONLY) == -1 && errno == EACCES);
	CHECK(pp_open_errno(getpid(), "fd", O_RDONLY | O_DIRECTORY) == 0);
	CHECK((fd = open("/proc/meminfo", O_RDONLY)) >= 0);
	snprintf(name, sizeof(name), "fd/%d", fd);
	CHECK(pp_readlink_errno(getpid(), name) == 0 && close(fd) == 0);
	CHECK(pp_readlink_errno(getpid(), "exe") == 0);
	CHECK(access("/proc/self/fd", R_OK | X_OK) == 0);
	/* procmap's view of a map (vm.proc.map, vm.proc.chain) likewise. */
	snprintf(name, sizeof(name), "vm.proc.map.%d", (int)root_pid);
	CHECK(vmk_sysctl(name, NULL, &len, NULL, 0) == -1 && errno == EACCES);
	snprintf(name, sizeof(name), "vm.proc.chain.%d.0", (int)root_pid);
	CHECK(vmk_sysctl(name, NULL, &len, NULL, 0) == -1 && errno == EACCES);
	snprintf(name, sizeof(name), "vm.proc.map.%d", (int)getpid());
	CHECK(vmk_sysctl(name, NULL, &len, NULL, 0) == 0 && len > 0);
	CHECK(prctl(PR_SET_DUMPABLE, 1) == 0);
	CHECK(pp_stat_is(getpid(), "maps", 1000, 100, S_IFREG | 0444));
	CHECK(proc_read("/proc/self/environ", buf, sizeof(buf)) > 0);
	CHECK(open("/proc/self/stat", O_WRONLY) == -1 && errno == EACCES);
	/* A zombie has no memory: its directory is its own, the rest root's. */
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	CHECK(zombie > 0 && waitid(P_PID, zombie, &si, WEXITED | WNOWAIT) == 0);
	CHECK(pp_stat_is(zombie, "", 1000, 100, S_IFDIR | 0555));
	CHECK(pp_stat_is(zombie, "maps", 0, 0, S_IFREG | 0444));
	CHECK(waitpid(zombie, NULL, 0) == zombie);
	/* /proc/sys and the system's files are root's; none is written. */
	CHECK(lstat_is(PP_TUNABLE, 0, 0, S_IFREG | 0644));
	CHECK(lstat_is(PP_READONLY, 0, 0, S_IFREG | 0444));
	CHECK(lstat_is("/proc/sys/vm", 0, 0, S_IFDIR | 0555));
	CHECK(lstat_is("/proc/meminfo", 0, 0, S_IFREG | 0444));
	CHECK(lstat_is("/proc/self", 0, 0, S_IFLNK | 0777));
	CHECK(lstat_is("/proc", 0, 0, S_IFDIR | 0555));
	CHECK(open(PP_TUNABLE, O_WRONLY) == -1 && errno == EACCES);
	CHECK(open(PP_TUNABLE, O_RDWR) == -1 && errno == EACCES);
	CHECK((fd = open(PP_TUNABLE, O_RDONLY)) >= 0 && close(fd) == 0);
	CHECK(access(PP_TUNABLE, W_OK) == -1 && errno == EACCES);
	CHECK(access(PP_TUNABLE, R_OK) == 0);
	CHECK(open(PP_READONLY, O_WRONLY) == -1 && errno == EACCES);
	CHECK(open("/proc/meminfo", O_WRONLY) == -1 && errno == EACCES);
	(void)unused;
}

/*
 * comm names a thread (Linux's comm_write): a process renames its own,
 * with the first 15 bytes written as they are; another's is EINVAL even
 * where it may open it.  /proc/PID/comm is the main thread's, which is
 * the process's name; task/TID/comm shows the thread's.
 */
static void
t_proc_comm_write(void)
{
	char buf[64], path[64];
	int go[2], fd;
	pid_t pid;

	CHECK(lstat_is("/proc/self/comm", 0, 0, S_IFREG | 0644));
	CHECK((fd = open("/proc/self/comm", O_WRONLY)) >= 0);
	CHECK(write(fd, "renamed-by-proc-comm\n", 21) == 21 && close(fd) == 0);
	CHECK(proc_read("/proc/self/comm", buf, sizeof(buf)) == 16);
	CHECK(strcmp(buf, "renamed-by-proc\n") == 0);
	CHECK(prctl(PR_GET_NAME, buf) == 0 && strcmp(buf, "renamed-by-proc") == 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int)getpid());
	CHECK((fd = open(path, O_WRONLY)) >= 0);
	CHECK(write(fd, "mine\n", 5) == 5 && close(fd) == 0);
	CHECK(proc_read(path, buf, sizeof(buf)) == 6 && strcmp(buf, "mine\n\n") == 0);
	CHECK(proc_read("/proc/self/stat", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, " (mine\n) ") != NULL);
	CHECK(prctl(PR_SET_NAME, "utest") == 0);
	pid = fork_waiting_child(go);
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	CHECK((fd = open(path, O_WRONLY)) >= 0);
	CHECK(write(fd, "x", 1) == -1 && errno == EINVAL && close(fd) == 0);
	CHECK(proc_read(path, buf, sizeof(buf)) > 0 && strcmp(buf, "utest\n") == 0);
	reap_waiting_child(pid, go);
}

/*
 * Does text have a line of pid and user, as fmt reads them ("%d %31s":
 * ps's first two fields; top has the parent's pid between them)?
 */
static bool
has_pid_user_line(const char *text, const char *fmt, int pid,
    const char *user)
{
	char u[32];
	int p;

	for (const char *l = text; l != NULL && *l != '\0';
	    l = strchr(l, '\n') != NULL ? strchr(l, '\n') + 1 : NULL)
		if (sscanf(l, fmt, &p, u) == 2 && p == pid &&
		    strcmp(u, user) == 0)
			return true;
	return false;
}

/* busybox ps, top and free work for a user: what they read is public. */
static void
pp_tools_as_user(void)
{
	static char out[16384];
	char *ps[] = { "/bin/busybox", "ps", NULL };
	char *top[] = { "/bin/busybox", "top", "-n", "1", "-b", NULL };
	char *freecmd[] = { "/bin/busybox", "free", NULL };

	CHECK(run_capture(ps, true, out, sizeof(out)) == 0);
	CHECK(has_pid_user_line(out, "%d %31s", 1, "0"));
	CHECK(strstr(out, "/sbin/init") != NULL);
	CHECK(has_pid_user_line(out, "%d %31s", pp_peer, "1000"));
	CHECK(has_pid_user_line(out, "%d %31s", getpid(), "0"));
	CHECK(run_capture(top, true, out, sizeof(out)) == 0);
	CHECK(has_pid_user_line(out, "%d %*d %31s", 1, "0"));
	CHECK(strstr(out, "/sbin/init") != NULL);
	CHECK(has_pid_user_line(out, "%d %*d %31s", pp_peer, "1000"));
	CHECK(run_capture(freecmd, true, out, sizeof(out)) == 0);
	CHECK(strstr(out, "\nMem:") != NULL);
}

/*
 * /proc as Linux shows it to a user (uid 1000, gid 100): a process's
 * files belong to its effective ids (all but its public directories are
 * root's while it is not dumpable or a zombie), with Linux's modes;
 * environ, maps and smaps open and exe, cwd, root and fd/N read only with
 * ptrace access to the process (EACCES), fd/ by its mode or to the
 * process itself; /proc/sys is root's and read-only to others.  Root
 * looks into everything, but writes no read-only /proc/sys entry.
 */
static void
t_proc_permissions(void)
{
	int peer_go[2], locked_go[2], mixed_go[2], fd;
	char path[64], env[4096], mine[4096];
	ssize_t n;

	pp_peer = fork_user_target(peer_go, 1000, true);
	pp_peer_fd = peer_go[0];	/* the child's number for it */
	pp_locked = fork_user_target(locked_go, 1000, false);
	pp_mixed = fork_user_target(mixed_go, 0, true);
	pp_mixed_fd = mixed_go[0];
	in_child(proc_perms_as_user, -1);
	pp_tools_as_user();
	/* Root bypasses the permission bits and may look into anyone; a
	 * forked child's environment is its parent's. */
	CHECK((n = proc_read(pp_path(path, pp_locked, "environ"), env,
	    sizeof(env))) > 0);
	CHECK(proc_read("/proc/self/environ", mine, sizeof(mine)) == n &&
	    memcmp(env, mine, (size_t)n) == 0 && env[n - 1] == '\0');
	CHECK(pp_open_errno(pp_locked, "maps", O_RDONLY) == 0);
	CHECK(pp_open_errno(pp_locked, "fd", O_RDONLY | O_DIRECTORY) == 0);
	CHECK(pp_readlink_errno(pp_locked, "exe") == 0);
	CHECK(pp_readlink_errno(pp_locked, "cwd") == 0);
	CHECK(pp_readlink_errno(pp_locked, "root") == 0);
	CHECK(pp_stat_field(pp_locked, 26) == 0 && pp_stat_field(pp_locked, 47) > 0);
	CHECK(pp_status_has(pp_locked, "\nUid:\t1000\t1000\t1000\t1000\n"));
	CHECK(pp_stat_is(getpid(), "maps", 0, 0, S_IFREG | 0444));
	/* /proc/sys: root writes the tunables, a read-only entry no one. */
	CHECK((fd = open(PP_TUNABLE, O_RDWR)) >= 0 && close(fd) == 0);
	CHECK(open(PP_READONLY, O_WRONLY) == -1 && errno == EACCES);
	CHECK(access(PP_READONLY, W_OK) == -1 && errno == EACCES);
	CHECK(access(PP_TUNABLE, W_OK) == 0);
	/* Each holds the go[1] of those forked before it: the last first. */
	reap_waiting_child(pp_mixed, mixed_go);
	reap_waiting_child(pp_locked, locked_go);
	reap_waiting_child(pp_peer, peer_go);
}

#define TD_	DIR_ "/trunc"

/* path's permission bits, or -1. */
static mode_t
mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_mode & 07777 : (mode_t)-1;
}

/* Truncates as uid 1000, gid 100 (see t_truncate_drops_setid). */
static void
truncate_as_user(int unused)
{
	int fd;

	CHECK(setgroups(0, NULL) == 0 && setresgid(100, 100, 100) == 0);
	CHECK(setresuid(1000, 1000, 1000) == 0);
	CHECK(truncate(TD_ "/both", 1) == 0 && mode_of(TD_ "/both") == 0777);
	CHECK(truncate(TD_ "/member", 1) == 0 && mode_of(TD_ "/member") == 02767);
	CHECK(truncate(TD_ "/alien", 1) == 0 && mode_of(TD_ "/alien") == 0767);
	CHECK((fd = open(TD_ "/same", O_RDWR)) >= 0 && ftruncate(fd, 2) == 0);
	CHECK(close(fd) == 0 && mode_of(TD_ "/same") == 0777);
	CHECK((fd = open(TD_ "/gx", O_WRONLY)) >= 0 && ftruncate(fd, 0) == 0);
	CHECK(close(fd) == 0 && mode_of(TD_ "/gx") == 0777);
	CHECK((fd = open(TD_ "/member2", O_WRONLY)) >= 0 && ftruncate(fd, 0) == 0);
	CHECK(close(fd) == 0 && mode_of(TD_ "/member2") == 02767);
	CHECK((fd = open(TD_ "/otrunc", O_WRONLY | O_TRUNC)) >= 0);
	CHECK(close(fd) == 0 && mode_of(TD_ "/otrunc") == 0777);
	CHECK((fd = open(TD_ "/rdonly", O_RDONLY)) >= 0);
	CHECK(ftruncate(fd, 0) == -1 && errno == EINVAL && close(fd) == 0);
	CHECK(mode_of(TD_ "/rdonly") == 06777);
	CHECK(truncate(TD_ "/closed", 0) == -1 && errno == EACCES);
	CHECK(mode_of(TD_ "/closed") == 06644);
	/* A write by a non-member drops set-group-ID without group execute
	 * too (the same rule). */
	CHECK((fd = open(TD_ "/alienw", O_WRONLY)) >= 0 && write(fd, "x", 1) == 1);
	CHECK(close(fd) == 0 && mode_of(TD_ "/alienw") == 0666);
	(void)unused;
}

/*
 * Without root, a truncate drops the set-user-ID bit, and set-group-ID
 * where group execute is set or the caller is not in the file's group
 * (Linux's rule since 6.2; a member keeps a bit without group execute):
 * truncate, ftruncate (to the same size too) and O_TRUNC alike, as a
 * write does.  ftruncate needs a descriptor open for writing (EINVAL),
 * truncate write permission (EACCES).  Root keeps the bits, and
 * O_RDONLY | O_TRUNC truncates, as on Linux.
 */
static void
t_truncate_drops_setid(void)
{
	static const struct {
		const char *name;
		mode_t mode;
		gid_t gid;
	} files[] = {
		{ "both", 06777, 0 }, { "member", 02767, 100 },
		{ "alien", 02767, 5 }, { "same", 06777, 0 }, { "gx", 02777, 100 },
		{ "member2", 02767, 100 }, { "otrunc", 06777, 0 },
		{ "rdonly", 06777, 0 }, { "closed", 06644, 0 },
		{ "alienw", 02666, 5 }, { "root", 06777, 0 },
	};
	char path[64];
	struct stat st;
	int fd;

	CHECK(mkdir(TD_, 0755) == 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), TD_ "/%s", files[i].name);
		write_file(path, "ab");
		CHECK(chown(path, 0, files[i].gid) == 0);
		CHECK(chmod(path, files[i].mode) == 0);
	}
	in_child(truncate_as_user, -1);
	CHECK(truncate(TD_ "/root", 1) == 0 && mode_of(TD_ "/root") == 06777);
	CHECK((fd = open(TD_ "/root", O_RDONLY | O_TRUNC)) >= 0 && close(fd) == 0);
	CHECK(stat(TD_ "/root", &st) == 0 && st.st_size == 0 &&
	    (st.st_mode & 07777) == 06777);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), TD_ "/%s", files[i].name);
		CHECK(unlink(path) == 0);
	}
	CHECK(rmdir(TD_) == 0);
}

/* A process that dropped root may signal only its own uid's. */
static void
kill_as_user(pid_t root_child)
{
	int go[2], status;
	pid_t mine;
	siginfo_t si;

	CHECK(syscall(SYS_setresuid, 1000, 1000, 1000) == 0);
	CHECK(kill(root_child, 0) == -1 && errno == EPERM);
	CHECK(kill(root_child, SIGKILL) == -1 && errno == EPERM);
	CHECK(kill(root_child, 99) == -1 && errno == EINVAL);
	CHECK(syscall(SYS_tkill, root_child, SIGKILL) == -1 && errno == EPERM);
	CHECK(syscall(SYS_tgkill, root_child, root_child, 0) == -1 &&
	    errno == EPERM);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	CHECK(syscall(SYS_rt_sigqueueinfo, root_child, SIGUSR1, &si) == -1 &&
	    errno == EPERM);
	CHECK(kill(getpid(), 0) == 0);
	/* A group of root's processes only: EPERM; kill(-1) stays 0. */
	CHECK(kill(-getpgid(root_child), 0) == -1 && errno == EPERM);
	CHECK(kill(-1, 0) == 0);
	mine = fork_waiting_child(go);
	CHECK(kill(mine, 0) == 0);
	reap_waiting_child(mine, go);
	(void)status;
}

static void
t_kill_permission(void)
{
	int go[2], status;
	pid_t root_child = fork_waiting_child(go), pid;

	CHECK(setpgid(root_child, root_child) == 0);
	pid = fork();
	if (pid == 0) {
		kill_as_user(root_child);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(kill(root_child, 0) == 0);
	reap_waiting_child(root_child, go);
}

static volatile int pdeath_got;

static void
on_pdeath(int sig)
{
	pdeath_got = sig;
}

static void
t_prctl(void)
{
	char name[16];
	int sig, status, p[2];
	pid_t pid;

	CHECK(prctl(PR_SET_NAME, "a-rather-long-thread-name") == 0);
	CHECK(prctl(PR_GET_NAME, name) == 0 &&
	    strcmp(name, "a-rather-long-t") == 0);
	CHECK(prctl(PR_SET_NAME, bad_ptr) == -1 && errno == EFAULT);
	CHECK(prctl(PR_GET_NAME, bad_ptr) == -1 && errno == EFAULT);
	CHECK(prctl(PR_GET_DUMPABLE) == 1);
	CHECK(prctl(PR_SET_DUMPABLE, 2) == -1 && errno == EINVAL);
	CHECK(prctl(PR_SET_DUMPABLE, 0) == 0 && prctl(PR_GET_DUMPABLE) == 0);
	CHECK(prctl(PR_SET_DUMPABLE, 1) == 0 && prctl(PR_GET_DUMPABLE) == 1);
	CHECK(prctl(PR_SET_PDEATHSIG, 65) == -1 && errno == EINVAL);
	CHECK(prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == 0);
	CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR2) == 0);
	CHECK(prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == SIGUSR2);
	CHECK(prctl(PR_GET_PDEATHSIG, bad_ptr) == -1 && errno == EFAULT);
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0) == -1 && errno == EINVAL);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0) == -1 && errno == EINVAL);
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 && errno == EINVAL);
	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
	CHECK(prctl(12345, 0, 0, 0, 0) == -1 && errno == EINVAL);
	/* fork: no parent-death signal; the name and the flag are kept. */
	pid = fork();
	if (pid == 0) {
		int s = -1;

		_exit(prctl(PR_GET_PDEATHSIG, &s) == 0 && s == 0 &&
		    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 &&
		    prctl(PR_GET_NAME, name) == 0 &&
		    strcmp(name, "a-rather-long-t") == 0 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	/* The parent-death signal: a grandchild asks for SIGUSR1 when its
	 * parent exits, and reports it through the pipe. */
	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			signal(SIGUSR1, on_pdeath);
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			write(p[1], "r", 1);
			while (pdeath_got == 0)
				pause();
			write(p[1], pdeath_got == SIGUSR1 ? "y" : "n", 1);
			_exit(0);
		}
		read(p[0], name, 1);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(read(p[0], name, 1) == 1 && name[0] == 'y');
	close(p[0]);
	close(p[1]);
}

static void
t_personality(void)
{
	CHECK(personality(0xffffffff) == PER_LINUX);
	CHECK(personality(ADDR_NO_RANDOMIZE) == PER_LINUX);
	CHECK(personality(0xffffffff) == ADDR_NO_RANDOMIZE);
	CHECK(personality(PER_LINUX) == ADDR_NO_RANDOMIZE);
	CHECK(personality(0xffffffff) == PER_LINUX);
}

/* Run /test/utest through execveat in a child, as the probe
 * UTEST_EXECVEAT_PROBE, which checks that its AT_EXECFN is execfn.
 * Returns the child's wait status, or 256 * (errno + 100) if execveat
 * failed. */
static int
execveat_status(int dirfd, const char *path, int flags, const char *execfn)
{
	char env[256], *argv[] = { "utest", NULL }, *envp[] = { env, NULL };
	int status;
	pid_t pid;

	snprintf(env, sizeof(env), "UTEST_EXECVEAT_PROBE=%s", execfn);
	pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, dirfd, path, argv, envp, flags);
		_exit(errno + 100);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	return status;
}

#define EXEC_OK		0
#define EXEC_ERR(e)	(((e) + 100) << 8)

static void
t_execveat(void)
{
	int dir = open("/test", O_RDONLY | O_DIRECTORY), fd, p[2];
	char name[64];

	CHECK(dir >= 0);
	CHECK(execveat_status(AT_FDCWD, "/test/utest", 0, "/test/utest") ==
	    EXEC_OK);
	snprintf(name, sizeof(name), "/dev/fd/%d/utest", dir);
	CHECK(execveat_status(dir, "utest", 0, name) == EXEC_OK);
	/* An absolute path needs no directory. */
	CHECK(execveat_status(999, "/test/utest", 0, "/test/utest") == EXEC_OK);
	/* fexecve: the file open on a descriptor. */
	fd = open("/test/utest", O_RDONLY);
	CHECK(fd >= 0);
	snprintf(name, sizeof(name), "/dev/fd/%d", fd);
	CHECK(execveat_status(fd, "", AT_EMPTY_PATH, name) == EXEC_OK);
	/* A symlink: followed, unless AT_SYMLINK_NOFOLLOW (ELOOP). */
	CHECK(symlink("/test/utest", DIR_ "/exe-link") == 0);
	CHECK(execveat_status(AT_FDCWD, DIR_ "/exe-link", 0,
	    DIR_ "/exe-link") == EXEC_OK);
	CHECK(execveat_status(AT_FDCWD, DIR_ "/exe-link", AT_SYMLINK_NOFOLLOW,
	    "") == EXEC_ERR(ELOOP));
	CHECK(unlink(DIR_ "/exe-link") == 0);
	/* The errors. */
	CHECK(execveat_status(dir, "utest", 0x4, "") == EXEC_ERR(EINVAL));
	CHECK(execveat_status(999, "utest", 0, "") == EXEC_ERR(EBADF));
	CHECK(execveat_status(fd, "utest", 0, "") == EXEC_ERR(ENOTDIR));
	CHECK(execveat_status(fd, "", 0, "") == EXEC_ERR(ENOENT));
	CHECK(execveat_status(dir, "", AT_EMPTY_PATH, "") == EXEC_ERR(EACCES));
	CHECK(execveat_status(999, "", AT_EMPTY_PATH, "") == EXEC_ERR(EBADF));
	CHECK(execveat_status(dir, bad_ptr, 0, "") == EXEC_ERR(EFAULT));
	CHECK(pipe(p) == 0);
	CHECK(execveat_status(p[0], "", AT_EMPTY_PATH, "") == EXEC_ERR(EACCES));
	close(p[0]);
	close(p[1]);
	close(fd);
	close(dir);
}

static const struct testcase tests[] = {
	{ "fork_wait_exit", t_fork_wait_exit },
	{ "fork_memory_is_private", t_fork_memory_is_private },
	{ "vfork_shares_until_exec", t_vfork_shares_until_exec },
	{ "exec_errors", t_exec_errors },
	{ "exec_script", t_exec_script },
	{ "exec_empty_argv", t_exec_empty_argv },
	{ "exec_needs_x_bit", t_exec_needs_x_bit },
	{ "exec_static_pie", t_exec_static_pie },
	{ "exec_prefault", t_exec_prefault },
	{ "fd_table_top", t_fd_table_top },
	{ "map_entries_merge", t_map_entries_merge },
	{ "file_permissions", t_file_permissions },
	{ "truncate_drops_setid", t_truncate_drops_setid },
	{ "pipe_owner", t_pipe_owner },
	{ "fp_state_across_switches", t_fp_state_across_switches },
	{ "fp_state_preempted", t_fp_state_preempted },
	{ "fp_state_signal_handler", t_fp_state_signal_handler },
	{ "fp_state_inherited", t_fp_state_inherited },
	{ "fp_state_exec", t_fp_state_exec },
	{ "rss_exact_across_cow", t_rss_exact_across_cow },
	{ "signal_keeps_callee_saved", t_signal_keeps_callee_saved },
	{ "exec_args_env", t_exec_args_env },
	{ "pipe", t_pipe },
	{ "ppoll_argument_order", t_ppoll_argument_order },
	{ "prlimit_argument_order", t_prlimit_argument_order },
	{ "clock_nanosleep_clocks", t_clock_nanosleep_clocks },
	{ "ioctl_generic", t_ioctl_generic },
	{ "symlink_empty_target", t_symlink_empty_target },
	{ "io_argument_order", t_io_argument_order },
	{ "sigaction_reads_act_first", t_sigaction_reads_act_first },
	{ "renameat_two_dirs", t_renameat_two_dirs },
	{ "sigpipe", t_sigpipe },
	{ "signal_handler", t_signal_handler },
	{ "kill_wait_missing_groups", t_kill_wait_missing_groups },
	{ "kill_target_before_signal", t_kill_target_before_signal },
	{ "sigsegv_handler", t_sigsegv_handler },
	{ "sigsegv_kills", t_sigsegv_kills },
	{ "trap_siginfo", t_trap_siginfo },
	{ "logsigexit", t_logsigexit },
	{ "no_core_dumps", t_no_core_dumps },
	{ "init_ignores_kill", t_init_ignores_kill },
	{ "sigchld", t_sigchld },
	{ "files", t_files },
	{ "directories", t_directories },
	{ "mmap_anonymous", t_mmap_anonymous },
	{ "mmap_page_zero_and_validate", t_mmap_page_zero_and_validate },
	{ "mmap_shared_anonymous_and_fork", t_mmap_shared_anonymous_and_fork },
	{ "mmap_file", t_mmap_file },
	{ "mmap_private_file_dontneed", t_mmap_private_file_dontneed },
	{ "brk", t_brk },
	{ "misc_calls", t_misc_calls },
	{ "syscall_int_args", t_syscall_int_args },
	{ "user_ranges_files", t_user_ranges_files },
	{ "user_ranges_short_overwrite", t_user_ranges_short_overwrite },
	{ "user_ranges_vectors", t_user_ranges_vectors },
	{ "user_ranges_pipes_tty", t_user_ranges_pipes_tty },
	{ "user_ranges_misc", t_user_ranges_misc },
	{ "user_ranges_getdents", t_user_ranges_getdents },
	{ "file_size_limit", t_file_size_limit },
	{ "fcntl_getfl", t_fcntl_getfl },
	{ "cpu_times", t_cpu_times },
	{ "idle_time", t_idle_time },
	{ "child_times", t_child_times },
	{ "nanosleep_interrupted", t_nanosleep_interrupted },
	{ "nanosleep_stopped", t_nanosleep_stopped },
	{ "poll_stopped", t_poll_stopped },
	{ "tty", t_tty },
	{ "tty_reader_does_not_block_writers", t_tty_reader_does_not_block_writers },
	{ "orphans_reparented", t_orphans_reparented },
	{ "setpgid_rules", t_setpgid_rules },
	{ "sysctl_every_node_readable", t_sysctl_every_node_readable },
	{ "sysctl_errors", t_sysctl_errors },
	{ "sysctl_bsd_shapes", t_sysctl_bsd_shapes },
	{ "cp_time_charges_ticks", t_cp_time_charges_ticks },
	{ "vmtotal", t_vmtotal },
	{ "counters_zero_fill", t_counters_zero_fill },
	{ "counters_prefault_sequential", t_counters_prefault_sequential },
	{ "counters_cow_copy_and_rename", t_counters_cow_copy_and_rename },
	{ "counters_file_read_fault", t_counters_file_read_fault },
	{ "read_cluster_cold_file", t_read_cluster_cold_file },
	{ "counters_shared_read_stays_clean", t_counters_shared_read_stays_clean },
	{ "chain_view_after_fork", t_chain_view_after_fork },
	{ "chain_depth_peak_resets", t_chain_depth_peak_resets },
	{ "counters_percpu_sum", t_counters_percpu_sum },
	{ "counters_sys", t_counters_sys },
	{ "vmstat_per_hart", t_vmstat_per_hart },
	{ "mknod", t_mknod },
	{ "dev_nodes", t_dev_nodes },
	{ "block_device_read", t_block_device_read },
	{ "block_device_write", t_block_device_write },
	{ "statfs", t_statfs },
	{ "ids", t_ids },
	{ "syslog", t_syslog },
	{ "syslog_read", t_syslog_read },
	{ "sendfile", t_sendfile },
	{ "link", t_link },
	{ "chown", t_chown },
	{ "fifo", t_fifo },
	{ "proc_system_files", t_proc_system_files },
	{ "proc_self", t_proc_self },
	{ "proc_child_cmdline", t_proc_child_cmdline },
	{ "proc_file_outlives_process", t_proc_file_outlives_process },
	{ "proc_meminfo_moves", t_proc_meminfo_moves },
	{ "proc_maps_matches_procmap", t_proc_maps_matches_procmap },
	{ "proc_maps_file_path", t_proc_maps_file_path },
	{ "procmap_procstat_fields", t_procmap_procstat_fields },
	{ "proc_readdir", t_proc_readdir },
	{ "proc_errors", t_proc_errors },
	{ "proc_sys_vm", t_proc_sys_vm },
	{ "proc_mounts_smaps_exe", t_proc_mounts_smaps_exe },
	{ "proc_loadavg_moves", t_proc_loadavg_moves },
	{ "proc_fd", t_proc_fd },
	{ "proc_permissions", t_proc_permissions },
	{ "proc_comm_write", t_proc_comm_write },
	{ "mincore_anon", t_mincore_anon },
	{ "mincore_file", t_mincore_file },
	{ "mincore_errors", t_mincore_errors },
	{ "mlock_basic", t_mlock_basic },
	{ "mlock_onfault", t_mlock_onfault },
	{ "mlock_errors", t_mlock_errors },
	{ "mlock_fork_protect_exit", t_mlock_fork_protect_exit },
	{ "mlock_file", t_mlock_file },
	{ "mlockall", t_mlockall },
	{ "mremap_anon", t_mremap_anon },
	{ "mremap_errors", t_mremap_errors },
	{ "mremap_file_wired_realloc", t_mremap_file_wired_realloc },
	{ "mremap_dontunmap", t_mremap_dontunmap },
	{ "fadvise", t_fadvise },
	{ "mmap_store_sets_file_times", t_mmap_store_sets_file_times },
	{ "write_sets_file_times", t_write_sets_file_times },
	{ "preadv_pwritev", t_preadv_pwritev },
	{ "preadv2_pwritev2", t_preadv2_pwritev2 },
	{ "statx", t_statx },
	{ "fallocate", t_fallocate },
	{ "fcntl_locks", t_fcntl_locks },
	{ "fcntl_locks_release", t_fcntl_locks_release },
	{ "fcntl_setlkw", t_fcntl_setlkw },
	{ "ofd_locks", t_ofd_locks },
	{ "flock", t_flock },
	{ "pipe_size", t_pipe_size },
	{ "o_path", t_o_path },
	{ "close_range", t_close_range },
	{ "jc_stop_cont_wait4", t_jc_stop_cont_wait4 },
	{ "jc_stop_threads_sigkill", t_jc_stop_threads_sigkill },
	{ "jc_stop_cont_no_eintr", t_jc_stop_cont_no_eintr },
	{ "jc_sigcont_discards_stops", t_jc_sigcont_discards_stops },
	{ "jc_sigpending", t_jc_sigpending },
	{ "jc_sigchld_stop", t_jc_sigchld_stop },
	{ "jc_waitid", t_jc_waitid },
	{ "jc_waitid_errors", t_jc_waitid_errors },
	{ "jc_tty_ids_and_errors", t_jc_tty_ids_and_errors },
	{ "jc_tty_background", t_jc_tty_background },
	{ "jc_orphaned_pgrp", t_jc_orphaned_pgrp },
	{ "mount_errors", t_mount_errors },
	{ "mount_crossing", t_mount_crossing },
	{ "mount_detach", t_mount_detach },
	{ "mount_flags", t_mount_flags },
	{ "tmpfs_files", t_tmpfs_files },
	{ "tmpfs_mmap_shared", t_tmpfs_mmap_shared },
	{ "tmpfs_enospc", t_tmpfs_enospc },
	{ "shm_open", t_shm_open },
	{ "mount_ext2", t_mount_ext2 },
	{ "sigaltstack_errors", t_sigaltstack_errors },
	{ "sigaltstack_delivery", t_sigaltstack_delivery },
	{ "sigaltstack_overflow", t_sigaltstack_overflow },
	{ "sigaltstack_fork_exec", t_sigaltstack_fork_exec },
	{ "sigpending", t_sigpending },
	{ "sigtimedwait", t_sigtimedwait },
	{ "sigqueue", t_sigqueue },
	{ "sigqueue_errors", t_sigqueue_errors },
	{ "itimer_errors", t_itimer_errors },
	{ "itimer_real", t_itimer_real },
	{ "itimer_cpu", t_itimer_cpu },
	{ "itimer_fork_exec", t_itimer_fork_exec },
	{ "pselect", t_pselect },
	{ "pselect_errors", t_pselect_errors },
	{ "poll_sigmask", t_poll_sigmask },
	{ "setid", t_setid },
	{ "kill_permission", t_kill_permission },
	{ "prctl", t_prctl },
	{ "personality", t_personality },
	{ "execveat", t_execveat },
};

int
main(int argc, char **argv)
{
	int rv;

	/* Run by t_sigaltstack_fork_exec: exec cleared the stack. */
	if (getenv("UTEST_SIGSTACK_PROBE") != NULL) {
		stack_t ss;

		return sigaltstack(NULL, &ss) == 0 &&
		    ss.ss_flags == SS_DISABLE ? 0 : 1;
	}
	/* Run by t_itimer_fork_exec: exec kept the real timer. */
	if (getenv("UTEST_ITIMER_PROBE") != NULL) {
		struct itimerval v;

		return getitimer(ITIMER_REAL, &v) == 0 &&
		    v.it_value.tv_sec >= 29 ? 0 : 1;
	}
	/* Run by t_execveat: AT_EXECFN names the program as execveat did. */
	if (getenv("UTEST_EXECVEAT_PROBE") != NULL)
		return strcmp((const char *)getauxval(AT_EXECFN),
		    getenv("UTEST_EXECVEAT_PROBE")) == 0 ? 0 : 1;
	/* Run by t_fd_table_top: exec closed 255 (close-on-exec), not 254. */
	if (getenv("UTEST_FD_PROBE") != NULL)
		return fcntl(254, F_GETFD) == 0 && fcntl(255, F_GETFD) == -1 &&
		    errno == EBADF ? 0 : 1;
	if (getenv("UTEST_TEXT_PROBE") != NULL)
		return text_probe(getenv("UTEST_TEXT_PROBE"));
	/* Run by t_fp_state_exec: a new program's FP state is all clear. */
	if (getenv("UTEST_FP_PROBE") != NULL) {
		unsigned long fcsr;

		__asm__ volatile("frcsr %0" : "=r"(fcsr));
		return fcsr == 0 ? 0 : 1;
	}
	/* Run by t_exec_empty_argv with no arguments at all. */
	if (getenv("UTEST_ARGV_PROBE") != NULL)
		return argc == 1 && argv[0] != NULL && argv[0][0] == '\0' &&
		    argv[1] == NULL ? 0 : 10 + argc;
	mkdir("/tmp", 0777);
	mkdir(DIR_, 0777);
	rv = testrun_main("utest", tests, sizeof(tests) / sizeof(tests[0]),
	    argc, argv);
	rmdir(DIR_);
	return rv;
}
