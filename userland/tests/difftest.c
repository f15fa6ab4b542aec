/*
 * difftest: system calls whose results must be the same on vmk and on
 * Linux.  make check runs this binary in the guest (as init=/test/difftest)
 * and on the host under qemu-riscv64 (Linux semantics) and compares the
 * two outputs line by line.  Every line is "case: result", where a result
 * is a return value and errno name, or data; nothing machine-specific
 * (pids, times, inode numbers, directory order) is printed.
 *
 *     difftest [WORKDIR]     (default /tmp/difftest)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *volatile bad_ptr = (void *)8;

static const char *
errname(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
		{ ESPIPE, "ESPIPE" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { EFBIG, "EFBIG" },
		{ ENXIO, "ENXIO" }, { EOVERFLOW, "EOVERFLOW" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	return "E?";
}

/* Print the outcome of a call returning -1 on error. */
static void
report(const char *what, long rv)
{
	if (rv == -1)
		printf("%s: -1 %s\n", what, errname(errno));
	else
		printf("%s: %ld\n", what, rv);
}

#define R(what, call) do { errno = 0; report(what, (long)(call)); } while (0)

static void
files(void)
{
	char buf[64];
	struct stat st;
	int fd;

	R("open missing", open("missing", O_RDONLY));
	R("open create", fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0644));
	R("open excl again", open("f", O_RDWR | O_CREAT | O_EXCL, 0644));
	R("write", write(fd, "0123456789", 10));
	R("lseek cur", lseek(fd, 0, SEEK_CUR));
	R("lseek end+5", lseek(fd, 5, SEEK_END));
	R("write past end", write(fd, "X", 1));
	R("pread hole", pread(fd, buf, 16, 8));
	printf("hole bytes: %02x %02x %02x %02x %c\n", buf[2], buf[3], buf[4],
	    buf[6], buf[7]);
	R("lseek negative", lseek(fd, -1, SEEK_SET));
	R("lseek whence", lseek(fd, 0, 42));
	R("ftruncate 4", ftruncate(fd, 4));
	R("fstat", fstat(fd, &st));
	printf("size %ld regular %d nlink %lu\n", (long)st.st_size,
	    S_ISREG(st.st_mode), (unsigned long)st.st_nlink);
	R("read at 4", pread(fd, buf, 8, 4));
	R("write bad buf", write(fd, bad_ptr, 4));
	R("read bad buf", pread(fd, bad_ptr, 4, 0));
	R("dup3 same", dup3(fd, fd, 0));
	R("dup3 flags", dup3(fd, 30, 12345));
	R("fcntl getfl", fcntl(fd, F_GETFL) & O_ACCMODE);
	R("close", close(fd));
	R("close again", close(fd));
	R("read closed", read(fd, buf, 1));
	R("ftruncate closed", ftruncate(fd, 0));
	R("open dir for write", open(".", O_WRONLY));
	R("open file as dir", open("f/", O_RDONLY));
	R("open O_DIRECTORY file", open("f", O_RDONLY | O_DIRECTORY));
	R("stat bad path ptr", stat(bad_ptr, &st));
	R("unlink", unlink("f"));
	R("unlink again", unlink("f"));
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
directories(void)
{
	char buf[256], *names[16];
	struct dirent *e;
	int n = 0;
	DIR *d;

	R("mkdir", mkdir("d", 0755));
	R("mkdir again", mkdir("d", 0755));
	R("mkdir in missing", mkdir("nope/d", 0755));
	R("create d/a", close(open("d/a", O_CREAT | O_WRONLY, 0644)));
	R("create d/b", close(open("d/b", O_CREAT | O_WRONLY, 0644)));
	R("rmdir non-empty", rmdir("d"));
	R("unlink dir", unlink("d"));
	R("rmdir file", rmdir("d/a"));
	R("rmdir dot", rmdir("d/."));
	d = opendir("d");
	while (d != NULL && (e = readdir(d)) != NULL && n < 16)
		names[n++] = strdup(e->d_name);
	if (d != NULL)
		closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp);
	printf("listing:");
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
	R("rename", rename("d/a", "d/c"));
	R("rename missing", rename("d/a", "d/x"));
	R("rename noreplace", syscall(SYS_renameat2, AT_FDCWD, "d/b", AT_FDCWD,
	    "d/c", 1));
	R("rename over", rename("d/b", "d/c"));
	R("rename dir into itself", rename("d", "d/sub"));
	R("symlink", symlink("c", "d/l"));
	R("symlink exists", symlink("c", "d/l"));
	R("readlink", readlink("d/l", buf, sizeof(buf)));
	R("readlink file", readlink("d/c", buf, sizeof(buf)));
	R("symlink loop a", symlink("la", "lb"));
	R("symlink loop b", symlink("lb", "la"));
	R("open loop", open("la", O_RDONLY));
	R("chdir file", chdir("d/c"));
	R("chdir", chdir("d"));
	R("getcwd small", getcwd(buf, 2) == NULL ? -1 : 0);
	R("chdir back", chdir(".."));
	R("unlink d/l", unlink("d/l"));
	R("unlink d/c", unlink("d/c"));
	R("rmdir", rmdir("d"));
	R("unlink la", unlink("la"));
	R("unlink lb", unlink("lb"));
}

/* A trailing slash asks for a directory: each call decides what that means. */
static void
trailing_slashes(void)
{
	struct stat st;

	R("create f", close(open("f", O_CREAT | O_WRONLY, 0644)));
	R("mkdir d", mkdir("d", 0755));
	R("mkdir n/", mkdir("n/", 0755));
	R("stat n/", stat("n/", &st) == 0 && S_ISDIR(st.st_mode));
	R("mkdir n2//", mkdir("n2//", 0755));
	R("mkdir d/", mkdir("d/", 0755));
	R("mkdir f/", mkdir("f/", 0755));
	R("rmdir n/", rmdir("n/"));
	R("rmdir n2//", rmdir("n2//"));
	R("rmdir f/", rmdir("f/"));
	R("rmdir missing/", rmdir("missing/"));
	R("rmdir d/..", rmdir("d/.."));
	R("open f/", open("f/", O_RDONLY));
	R("open f/ O_CREAT", open("f/", O_RDWR | O_CREAT, 0644));
	R("open new/ O_CREAT", open("new/", O_RDWR | O_CREAT, 0644));
	R("open d/ O_CREAT", open("d/", O_RDONLY | O_CREAT, 0644));
	R("open d/", close(open("d/", O_RDONLY)));
	R("unlink f/", unlink("f/"));
	R("unlink d/", unlink("d/"));
	R("unlink missing/", unlink("missing/"));
	R("stat f/", stat("f/", &st));
	R("lstat f/", lstat("f/", &st));
	R("truncate f/", truncate("f/", 0));
	R("access f/", access("f/", F_OK));
	R("symlink l/", symlink("t", "l/"));
	R("symlink f/", symlink("t", "f/"));
	R("symlink d/", symlink("t", "d/"));
	R("rename f/ g", rename("f/", "g"));
	R("rename f g/", rename("f", "g/"));
	R("rename d e/", rename("d", "e/"));
	R("rename e/ d/", rename("e/", "d/"));
	R("symlink ld", symlink("d", "ld"));
	R("symlink lf", symlink("f", "lf"));
	R("rmdir ld/", rmdir("ld/"));
	R("unlink ld/", unlink("ld/"));
	R("stat lf/", stat("lf/", &st));
	R("lstat ld/", lstat("ld/", &st) == 0 && S_ISDIR(st.st_mode));
	R("mkdir ld/", mkdir("ld/", 0755));
	R("rename ld/ x", rename("ld/", "x"));
	R("unlink ld", unlink("ld"));
	R("unlink lf", unlink("lf"));
	R("unlink f", unlink("f"));
	R("rmdir d/", rmdir("d/"));
}

/* Errors whose order or value is easy to get wrong. */
static void
file_errors(void)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	struct stat st;
	int fd, ro, fds[2];

	R("create t", fd = open("t", O_RDWR | O_CREAT | O_TRUNC, 0644));
	R("ftruncate bad fd, negative", ftruncate(999, -1));
	R("ftruncate bad fd", ftruncate(999, 0));
	R("ftruncate read-only fd", (ro = open("t", O_RDONLY), ftruncate(ro, 0)));
	R("ftruncate dir", (close(ro), ro = open(".", O_RDONLY), ftruncate(ro, 0)));
	close(ro);
	R("pipe", pipe(fds));
	R("ftruncate pipe", ftruncate(fds[1], 0));
	close(fds[0]);
	close(fds[1]);
	R("fstatat AT_NO_AUTOMOUNT", fstatat(AT_FDCWD, "t", &st, AT_NO_AUTOMOUNT));
	R("fstatat AT_STATX_SYNC_TYPE", fstatat(AT_FDCWD, "t", &st, 0x6000));
	R("fstatat bad flag", fstatat(AT_FDCWD, "t", &st, 0x8000));
	R("fstatat empty cwd", fstatat(AT_FDCWD, "", &st, AT_EMPTY_PATH) == 0 &&
	    S_ISDIR(st.st_mode));
	R("fstatat empty fd", fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 &&
	    S_ISREG(st.st_mode));
	R("fstatat empty no flag", fstatat(AT_FDCWD, "", &st, 0));
	R("futimens", futimens(fd, ts));
	R("fstat", fstat(fd, &st));
	printf("times %ld %ld\n", (long)st.st_atime, (long)st.st_mtime);
	R("utimensat NULL path, flags", syscall(SYS_utimensat, fd, NULL, ts,
	    AT_SYMLINK_NOFOLLOW));
	R("utimensat NULL path, cwd", syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));
	R("utimensat bad flags", utimensat(AT_FDCWD, "t", ts, 0x8000));
	ts[0].tv_nsec = 1000000000;
	R("utimensat bad nsec", utimensat(AT_FDCWD, "t", ts, 0));
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	R("utimensat omit both, missing", utimensat(AT_FDCWD, "missing", ts, 0));
	R("close", close(fd));
	R("unlink t", unlink("t"));
}

/* An int argument is the low 32 bits of its register, as on Linux. */
static void
syscall_args(void)
{
	unsigned long hi = 1UL << 32;
	int fd = open(".", O_RDONLY);

	R("fcntl F_GETFD, fd with upper bits", syscall(SYS_fcntl, hi | fd, F_GETFD));
	R("fcntl F_SETFD, fd with upper bits", syscall(SYS_fcntl, hi | fd, F_SETFD,
	    hi | FD_CLOEXEC));
	R("fcntl F_GETFD", fcntl(fd, F_GETFD));
	R("lseek whence with upper bits", syscall(SYS_lseek, fd, 0, hi | SEEK_SET));
	R("dup, fd with upper bits", syscall(SYS_dup, hi | fd) >= 0);
	R("openat flags with upper bits", syscall(SYS_openat, AT_FDCWD, ".",
	    hi | O_RDONLY) >= 0);
	R("kill, signal with upper bits", syscall(SYS_kill, getpid(), hi));
	R("close, fd with upper bits", syscall(SYS_close, hi | fd));
	R("close again", close(fd));
}

static void
processes(void)
{
	int status = 0, fds[2];
	char c;
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(3);
	R("waitpid", waitpid(pid, &status, 0) == pid);
	printf("exited %d code %d\n", WIFEXITED(status), WEXITSTATUS(status));
	R("waitpid none", waitpid(-1, &status, 0));
	pid = fork();
	if (pid == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	R("waitpid signaled", waitpid(pid, &status, 0) == pid);
	printf("signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));
	R("pipe", pipe(fds));
	R("pipe write", write(fds[1], "ab", 2));
	R("pipe read", read(fds[0], &c, 1));
	R("lseek pipe", lseek(fds[0], 0, SEEK_SET));
	R("close write end", close(fds[1]));
	R("pipe read rest", read(fds[0], &c, 1));
	R("pipe read eof", read(fds[0], &c, 1));
	close(fds[0]);
	R("pipe again", pipe(fds));
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	R("write no reader", write(fds[1], "x", 1));
	close(fds[1]);
	R("kill bad signal", kill(getpid(), 99));
	R("kill none", kill(2000000000, SIGTERM));
	R("execve missing", execl("/no/such/program", "x", NULL));
	R("create nox", close(open("nox", O_CREAT | O_WRONLY, 0644)));
	R("execve without x bit", execl("./nox", "nox", NULL));
	R("unlink nox", unlink("nox"));
	pid = fork();
	if (pid == 0) {
		R("setsid", setsid() == getpid());
		R("setpgid session leader", setpgid(0, 0));
		R("setpgid other session's group", setpgid(0, 1));
		R("setpgid not a child", setpgid(getppid(), 0));
		_exit(0);
	}
	R("waitpid setsid child", waitpid(pid, &status, 0) == pid);
}

static void
on_usr1(int sig)
{
	(void)sig;
}

/* Spin for about seconds of CPU time. */
static void
burn_cpu(double seconds)
{
	struct timespec t0, t;
	volatile long spin = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			spin++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
}

/* Missing groups, an interrupted sleep, core limits, children's times. */
static void
process_edges(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	struct rlimit rl;
	struct tms t;
	pid_t pid, parent = getpid();
	int status = 0;

	R("kill INT_MIN", kill(INT_MIN, 0));
	R("kill missing group", kill(-2000000000, 0));
	R("waitpid INT_MIN", waitpid(INT_MIN, &status, 0));
	R("waitpid missing group", waitpid(-2000000000, &status, 0));
	R("sigaction SA_RESTART", sigaction(SIGUSR1, &sa, NULL));
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	R("nanosleep interrupted", nanosleep(&req, &rem));
	printf("time left in [1 s, 5 s): %d\n", rem.tv_sec >= 1 && rem.tv_sec < 5);
	waitpid(pid, &status, 0);
	R("getrlimit core", getrlimit(RLIMIT_CORE, &rl));
	rl.rlim_cur = 0;
	R("setrlimit core 0", setrlimit(RLIMIT_CORE, &rl));
	pid = fork();
	if (pid == 0) {
		raise(SIGQUIT);
		_exit(0);
	}
	R("waitpid SIGQUIT", waitpid(pid, &status, 0) == pid);
	printf("signaled %d sig %d core dumped %d\n", WIFSIGNALED(status),
	    WTERMSIG(status), WCOREDUMP(status) != 0);
	pid = fork();
	if (pid == 0) {
		burn_cpu(0.2);
		_exit(0);
	}
	R("waitpid busy child", waitpid(pid, &status, 0) == pid);
	times(&t);
	printf("children's time counted: %d\n", t.tms_cutime + t.tms_cstime > 0);
	pid = fork();
	if (pid == 0) {
		times(&t);
		_exit(t.tms_cutime + t.tms_cstime == 0 ? 0 : 1);
	}
	R("waitpid new child", waitpid(pid, &status, 0) == pid);
	printf("new child has no children's time: %d\n", status == 0);
}

static sigjmp_buf trap_jump;
static volatile int trap_code;
static void *volatile trap_addr;

static void
on_trap(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	trap_code = si->si_code;
	trap_addr = si->si_addr;
	siglongjmp(trap_jump, sig);
}

/* The siginfo of an illegal instruction and of ebreak. */
static void
traps(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
	extern char dt_illegal[], dt_ebreak[];
	int sig;

	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	if ((sig = sigsetjmp(trap_jump, 1)) == 0)
		__asm__ volatile("dt_illegal: .4byte 0");
	printf("illegal instruction: signal %d code %d at pc %d\n", sig,
	    trap_code, trap_addr == dt_illegal);
	if ((sig = sigsetjmp(trap_jump, 1)) == 0)
		__asm__ volatile("dt_ebreak: ebreak");
	printf("ebreak: signal %d code %d at pc %d\n", sig, trap_code,
	    trap_addr == dt_ebreak);
}

static void
memory(void)
{
	char *p;
	int fd;

	R("mmap zero length", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0) == MAP_FAILED ? -1 : 0);
	R("mmap no type", mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0) ==
	    MAP_FAILED ? -1 : 0);
	R("mmap bad fd", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 77, 0) ==
	    MAP_FAILED ? -1 : 0);
	R("mmap unaligned offset", mmap(NULL, 4096, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 5) == MAP_FAILED ? -1 : 0);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	R("mmap anon", p == MAP_FAILED ? -1 : 0);
	printf("fresh bytes: %d %d\n", p[0], p[3 * 4096 - 1]);
	memset(p, 'q', 3 * 4096);
	R("munmap unaligned", munmap(p + 1, 4096));
	R("munmap middle", munmap(p + 4096, 4096));
	R("mprotect", mprotect(p, 4096, PROT_READ));
	R("mprotect unaligned", mprotect(p + 1, 4096, PROT_READ));
	R("madvise dontneed", madvise(p + 8192, 4096, MADV_DONTNEED));
	printf("after dontneed: %d first: %c\n", p[8192], p[0]);
	R("munmap", munmap(p, 3 * 4096));
	fd = open("m", O_RDWR | O_CREAT | O_TRUNC, 0644);
	R("write file", write(fd, "mapped file", 11));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	R("mmap shared file", p == MAP_FAILED ? -1 : 0);
	printf("file through map: %.11s tail: %d\n", p, p[100]);
	p[0] = 'M';
	R("msync", msync(p, 4096, MS_SYNC));
	R("msync bad flags", msync(p, 4096, MS_SYNC | MS_ASYNC));
	{
		char b[12] = { 0 };

		R("pread after store", pread(fd, b, 11, 0));
		printf("file now: %s\n", b);
	}
	R("munmap file", munmap(p, 4096));
	close(fd);
	unlink("m");
}

static void
misc(void)
{
	struct utsname u;
	struct timespec ts;

	R("uname", uname(&u));
	printf("sysname %s machine %s\n", u.sysname, u.machine);
	R("clock_gettime bad clock", clock_gettime(999, &ts));
	R("clock_gettime bad ptr", syscall(SYS_clock_gettime, CLOCK_MONOTONIC,
	    bad_ptr));
	R("nanosleep bad", nanosleep(&(struct timespec){ 0, 2000000000L }, NULL));
	R("getuid", getuid());
	R("sched_yield", sched_yield());
	R("umask", (umask(022), umask(022)));
}

/* Print a signal set as the numbers in it. */
static void
print_set(const char *what, const sigset_t *set)
{
	printf("%s:", what);
	for (int sig = 1; sig < 65; sig++)
		if (sigismember(set, sig) == 1)
			printf(" %d", sig);
	printf("\n");
}

/* The signal, timer and identity calls whose results are fixed. */
static void
signal_calls(void)
{
	struct timespec zero = { 0, 0 };
	sigset_t set, got;
	siginfo_t si;
	int rt = SIGRTMIN + 4;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, rt);
	R("block", sigprocmask(SIG_BLOCK, &set, NULL));
	R("sigpending empty", sigpending(&got));
	print_set("pending", &got);
	R("kill usr2", kill(getpid(), SIGUSR2));
	R("sigqueue rt 5", sigqueue(getpid(), rt, (union sigval){ 5 }));
	R("sigqueue rt 6", sigqueue(getpid(), rt, (union sigval){ 6 }));
	R("sigpending", sigpending(&got));
	print_set("pending", &got);
	R("sigtimedwait", sigtimedwait(&set, &si, &zero) == SIGUSR2);
	printf("si_code %d\n", si.si_code);
	for (int i = 0; i < 2; i++) {
		R("sigtimedwait rt", sigtimedwait(&set, &si, &zero) == rt);
		printf("si_code %d value %d\n", si.si_code, si.si_value.sival_int);
	}
	R("sigtimedwait none", sigtimedwait(&set, &si, &zero));
	R("sigtimedwait bad ts", sigtimedwait(&set, &si,
	    &(struct timespec){ 0, -1 }));
	R("rt_sigtimedwait bad size", syscall(SYS_rt_sigtimedwait, &set, NULL,
	    &zero, 16));
	R("rt_sigpending bad size", syscall(SYS_rt_sigpending, &got, 16));
	R("unblock", sigprocmask(SIG_UNBLOCK, &set, NULL));
}

/* pselect6 on a pipe: counts, the sets it leaves, its errors. */
static void
select_calls(void)
{
	struct timespec zero = { 0, 0 };
	fd_set r, w;
	int p[2];

	R("pipe", pipe(p));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	R("pselect empty pipe", pselect(p[1] + 1, &r, &w, NULL, &zero, NULL));
	printf("read set %d write set %d\n", FD_ISSET(p[0], &r),
	    FD_ISSET(p[1], &w));
	R("write", write(p[1], "x", 1));
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	R("pselect full pipe", pselect(p[1] + 1, &r, &w, NULL, &zero, NULL));
	printf("read set %d write set %d\n", FD_ISSET(p[0], &r),
	    FD_ISSET(p[1], &w));
	R("pselect nfds -1", pselect(-1, &r, NULL, NULL, &zero, NULL));
	R("pselect bad timeout", pselect(1, &r, NULL, NULL,
	    &(struct timespec){ -1, 0 }, NULL));
	R("pselect bad set", pselect(p[1] + 1, bad_ptr, NULL, NULL, &zero, NULL));
	R("close", close(p[1]));
	FD_SET(p[1], &w);
	R("pselect closed fd", pselect(p[1] + 1, NULL, &w, NULL, &zero, NULL));
	FD_SET(p[0], &r);
	R("pselect writer gone", pselect(p[0] + 1, &r, NULL, NULL, &zero, NULL));
	R("close", close(p[0]));
}

/* personality's query and prctl's basic options. */
static void
process_controls(void)
{
	char name[16];
	int sig = -1;

	R("personality query", personality(0xffffffff));
	R("prctl set name", prctl(PR_SET_NAME, "difftest-name-too-long"));
	R("prctl get name", prctl(PR_GET_NAME, name));
	printf("name %s\n", name);
	R("prctl get dumpable", prctl(PR_GET_DUMPABLE));
	R("prctl set dumpable 2", prctl(PR_SET_DUMPABLE, 2));
	R("prctl set pdeathsig 65", prctl(PR_SET_PDEATHSIG, 65));
	R("prctl set pdeathsig", prctl(PR_SET_PDEATHSIG, SIGHUP));
	R("prctl get pdeathsig", prctl(PR_GET_PDEATHSIG, &sig));
	printf("pdeathsig %d\n", sig);
	R("prctl set pdeathsig 0", prctl(PR_SET_PDEATHSIG, 0));
	R("prctl get no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	R("prctl get no_new_privs bad", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
	R("prctl unknown", prctl(0x7fff0000, 0, 0, 0, 0));
}

/* getitimer after setitimer: the interval exactly, the value in range. */
static void
timer_calls(void)
{
	struct itimerval v = { { 1, 500 }, { 5, 0 } }, o;

	R("setitimer real", setitimer(ITIMER_REAL, &v, NULL));
	R("getitimer real", getitimer(ITIMER_REAL, &o));
	printf("interval %ld.%06ld value in (4, 5]: %d\n",
	    (long)o.it_interval.tv_sec, (long)o.it_interval.tv_usec,
	    o.it_value.tv_sec == 4 || (o.it_value.tv_sec == 5 &&
	    o.it_value.tv_usec == 0));
	v = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	R("setitimer real off", setitimer(ITIMER_REAL, &v, &o));
	printf("old interval %ld.%06ld\n", (long)o.it_interval.tv_sec,
	    (long)o.it_interval.tv_usec);
	R("getitimer off", getitimer(ITIMER_REAL, &o));
	printf("value %ld.%06ld interval %ld.%06ld\n", (long)o.it_value.tv_sec,
	    (long)o.it_value.tv_usec, (long)o.it_interval.tv_sec,
	    (long)o.it_interval.tv_usec);
	v.it_value.tv_usec = 1000000;
	R("setitimer bad usec", setitimer(ITIMER_PROF, &v, NULL));
	R("setitimer bad which", setitimer(7, &v, NULL));
	R("getitimer bad which", getitimer(7, &o));
	R("getitimer bad ptr", syscall(SYS_getitimer, ITIMER_VIRTUAL, bad_ptr));
	R("alarm", alarm(0));
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp/difftest";

	setvbuf(stdout, NULL, _IONBF, 0);
	mkdir("/tmp", 0777);
	mkdir(dir, 0777);
	if (chdir(dir) != 0) {
		perror(dir);
		return 1;
	}
	printf("DIFFTEST BEGIN\n");
	files();
	directories();
	trailing_slashes();
	file_errors();
	syscall_args();
	processes();
	process_edges();
	traps();
	memory();
	misc();
	signal_calls();
	timer_calls();
	select_calls();
	process_controls();
	printf("DIFFTEST END\n");
	return 0;
}
