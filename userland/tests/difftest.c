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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/time.h>

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
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENODEV, "ENODEV" },
		{ EDEADLK, "EDEADLK" },
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
	static const struct timespec old[2] = { { 1000000, 0 }, { 1000000, 0 } };
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
	R("futimens old", futimens(fd, old));
	R("overwrite", pwrite(fd, "ab", 2, 0));
	R("fstat", fstat(fd, &st));
	printf("overwrite sets mtime %d, ctime not before it %d\n",
	    st.st_mtime > 1000000, st.st_ctime >= st.st_mtime);
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

/*
 * Truncation as root: O_RDONLY | O_TRUNC truncates too, ftruncate of a
 * descriptor open only for reading is EINVAL, and root's truncates keep
 * the set-ID bits (CAP_FSETID; a user's drop them).
 */
static void
truncate_calls(void)
{
	struct stat st;
	int fd;

	R("open t", fd = open("t", O_RDWR | O_CREAT | O_TRUNC, 0644));
	R("write t", write(fd, "abcd", 4));
	R("close t", close(fd));
	R("chmod t 06755", chmod("t", 06755));
	R("open O_RDONLY|O_TRUNC", fd = open("t", O_RDONLY | O_TRUNC));
	R("fstat", fstat(fd, &st));
	printf("size %ld mode %o\n", (long)st.st_size,
	    (unsigned)(st.st_mode & 07777));
	R("ftruncate read-only fd", ftruncate(fd, 1));
	R("close", close(fd));
	R("truncate 3", truncate("t", 3));
	R("stat", stat("t", &st));
	printf("size %ld mode %o\n", (long)st.st_size,
	    (unsigned)(st.st_mode & 07777));
	R("truncate negative", truncate("t", -1));
	R("truncate dir", truncate(".", 0));
	R("unlink t", unlink("t"));
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

/* mincore's bit 0 for n pages from p, printed as '0'/'1'. */
static void
print_resident(const char *what, void *p, size_t n)
{
	unsigned char vec[16];

	errno = 0;
	if (mincore(p, n * 4096, vec) != 0) {
		printf("%s: -1 %s\n", what, errname(errno));
		return;
	}
	printf("%s: ", what);
	for (size_t i = 0; i < n; i++)
		putchar('0' + (vec[i] & 1));
	putchar('\n');
}

/* mremap of a shared mapping of a file in the work directory, grown. */
static void
file_remaps(void)
{
	int fd = open("mr", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *p, *q, c = 0;

	R("write mr", write(fd, "abcdefgh", 8));
	R("ftruncate mr", ftruncate(fd, 3 * 4096));
	R("pwrite mr", pwrite(fd, "X", 1, 2 * 4096));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mremap(p, 4096, 3 * 4096, MREMAP_MAYMOVE);
	printf("mremap shared file: %s %c %d %c\n", q == MAP_FAILED ? "failed" :
	    "ok", q[1], q[4096], q[2 * 4096]);
	q[4096] = 'Y';
	R("pread mr", pread(fd, &c, 1, 4096));
	printf("stored through the growth: %c\n", c);
	munmap(q, 3 * 4096);
	close(fd);
	unlink("mr");
}

/*
 * MREMAP_DONTUNMAP: its errors; the pages move, the old range reads as
 * new memory of the same kind (zeros, the same shared memory, the file).
 */
static void
dontunmap_remaps(void)
{
	const int du = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;
	int fd;

	memset(p, 'd', 2 * 4096);
	R("dontunmap alone", mremap(p, 4096, 4096, MREMAP_DONTUNMAP) ==
	    MAP_FAILED ? -1 : 0);
	R("dontunmap new length", mremap(p, 4096, 2 * 4096, du) ==
	    MAP_FAILED ? -1 : 0);
	q = mremap(p, 2 * 4096, 2 * 4096, du);
	printf("dontunmap private: %s %c %c, left %d %d\n",
	    q == MAP_FAILED ? "failed" : q == p ? "same" : "moved", q[0],
	    q[4096], p[0], p[4096]);
	p[0] = 'n';
	printf("left writable: %c, moved %c\n", p[0], q[0]);
	munmap(p, 2 * 4096);
	munmap(q, 2 * 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	p[0] = 's';
	q = mremap(p, 4096, 4096, du);
	p[1] = 'S';
	printf("dontunmap shared: %c %c, left %c\n", q[0], q[1], p[0]);
	munmap(p, 4096);
	munmap(q, 4096);
	fd = open("du", O_RDWR | O_CREAT | O_TRUNC, 0644);
	R("write du", write(fd, "file", 4));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	p[0] = 'P';
	q = mremap(p, 4096, 4096, du);
	printf("dontunmap private file: %c, left %c\n", q[0], p[0]);
	munmap(p, 4096);
	munmap(q, 4096);
	close(fd);
	unlink("du");
}

/* mremap's results, as where the memory went relative to where it was. */
static void
remaps(void)
{
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	munmap(p + 4 * 4096, 4 * 4096);
	memset(p, 'r', 4 * 4096);
	printf("mremap shrink: %s\n", mremap(p, 4 * 4096, 2 * 4096, 0) == p ?
	    "same" : "other");
	printf("mremap grow in place: %s\n",
	    mremap(p, 2 * 4096, 6 * 4096, 0) == p ? "same" : "other");
	printf("grown: %c %d\n", p[4096], p[5 * 4096]);
	mmap(p + 6 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED, -1, 0);
	R("mremap blocked", mremap(p, 6 * 4096, 7 * 4096, 0) == MAP_FAILED ?
	    -1 : 0);
	q = mremap(p, 6 * 4096, 7 * 4096, MREMAP_MAYMOVE);
	printf("mremap maymove: %s %c %d\n", q == MAP_FAILED ? "failed" :
	    q == p ? "same" : "moved", q[0], q[6 * 4096]);
	R("mremap bad flags", mremap(q, 4096, 4096, 8) == MAP_FAILED ? -1 : 0);
	R("mremap fixed alone", mremap(q, 4096, 4096, MREMAP_FIXED, p) ==
	    MAP_FAILED ? -1 : 0);
	R("mremap unaligned", mremap(q + 1, 4096, 4096, 0) == MAP_FAILED ?
	    -1 : 0);
	R("mremap unmapped", mremap(p, 4096, 2 * 4096, MREMAP_MAYMOVE) ==
	    MAP_FAILED ? -1 : 0);
	R("mremap overlap", mremap(q, 2 * 4096, 2 * 4096,
	    MREMAP_MAYMOVE | MREMAP_FIXED, q + 4096) == MAP_FAILED ? -1 : 0);
	munmap(q, 7 * 4096);
	munmap(p + 6 * 4096, 4096);
	/* An mprotect undone leaves one mapping again: mremap takes it
	 * whole (across two mappings it would be EFAULT). */
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 'm';
	mprotect(p + 4096, 4096, PROT_READ);
	mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE);
	q = mremap(p, 3 * 4096, 6 * 4096, MREMAP_MAYMOVE);
	printf("mremap after mprotect undone: %s %c\n",
	    q == MAP_FAILED ? "failed" : "ok", q == MAP_FAILED ? '-' : q[0]);
	munmap(q == MAP_FAILED ? p : q, 6 * 4096);
	file_remaps();
	dontunmap_remaps();
}

/* fadvise64's results (through syscall: -1 and errno). */
static void
fadvises(void)
{
	int fd = open("fa", O_RDWR | O_CREAT | O_TRUNC, 0644), pfd[2];

	R("write fa", write(fd, "fadvise", 7));
	for (int a = 0; a <= 6; a++) {
		char what[32];

		snprintf(what, sizeof(what), "fadvise advice %d", a);
		R(what, syscall(SYS_fadvise64, fd, 0, 0, a));
	}
	R("fadvise negative len", syscall(SYS_fadvise64, fd, 0, -1L, 0));
	R("fadvise bad fd", syscall(SYS_fadvise64, 99, 0, 0, 0));
	R("pipe", pipe(pfd));
	R("fadvise pipe", syscall(SYS_fadvise64, pfd[0], 0, 0, 0));
	R("fadvise pipe bad advice", syscall(SYS_fadvise64, pfd[0], 0, 0, 9));
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
	unlink("fa");
}

/* mincore, mlock, ...: results that do not depend on the machine. */
static void
vm_calls(void)
{
	unsigned char vec[4];
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	print_resident("mincore fresh", p, 8);
	madvise(p, 8 * 4096, MADV_RANDOM);
	p[0] = p[5 * 4096] = 1;
	print_resident("mincore touched", p, 8);
	R("mincore unaligned", mincore(p + 1, 4096, vec));
	R("mincore bad vec", mincore(p, 4096, bad_ptr));
	R("mincore zero length", mincore(p, 0, vec));
	R("mlock", mlock(p + 6 * 4096 + 5, 4096));
	print_resident("mincore locked", p, 8);
	R("munlock", munlock(p, 8 * 4096));
	R("mlock wraps", mlock(p, SIZE_MAX - 8191));
	R("mlock empty", mlock(NULL, 0));
	R("mlockall no flags", mlockall(0));
	R("mlockall onfault alone", mlockall(MCL_ONFAULT));
	munmap(p + 4096, 4096);
	R("mincore hole", mincore(p, 4 * 4096, vec));
	R("mincore unmapped", mincore(p + 4096, 4096, vec));
	R("mlock hole", mlock(p, 4 * 4096));
	R("munlock hole", munlock(p, 4 * 4096));
	R("mlock unmapped", mlock(p + 4096, 4096));
	munmap(p, 8 * 4096);
	remaps();
	fadvises();
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

/* The whole of a /proc file into buf (NUL-terminated); its length or -1. */
static long
proc_slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r = 0;

	if (fd < 0)
		return -1;
	while ((size_t)n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -1 : n;
}

/*
 * /proc: what is the same on any Linux (qemu-riscv64 makes up its own
 * /proc/self/stat and cmdline from the emulated program, as vmk does).
 */
static void
procfs(int argc, char **argv)
{
	static char buf[8192];
	char want[64], *p;
	long n = proc_slurp("/proc/self/cmdline", buf, sizeof(buf));
	long len = 0;
	double a, b, c;
	int fd, x, y, z;
	DIR *d;
	struct dirent *e;

	for (int i = 0; i < argc; i++) {
		if (len + (long)strlen(argv[i]) + 1 > n ||
		    strcmp(buf + len, argv[i]) != 0)
			break;
		len += (long)strlen(argv[i]) + 1;
	}
	printf("proc cmdline is argv: %d\n", n > 0 && len == n);
	proc_slurp("/proc/self/stat", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d (difftest) ", getpid());
	printf("proc stat pid and comm: %d\n", strncmp(buf, want, strlen(want)) == 0);
	p = strrchr(buf, ')');
	printf("proc stat ppid: %d\n", p != NULL &&
	    sscanf(p + 2, "%*s %d", &x) == 1 && x == getppid());
	proc_slurp("/proc/self/status", buf, sizeof(buf));
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	printf("proc status Pid: %d\n", strstr(buf, want) != NULL);
	proc_slurp("/proc/uptime", buf, sizeof(buf));
	printf("proc uptime fields: %d\n", sscanf(buf, "%lf %lf", &a, &b));
	proc_slurp("/proc/loadavg", buf, sizeof(buf));
	printf("proc loadavg fields: %d\n", sscanf(buf, "%lf %lf %lf %d/%d %d",
	    &a, &b, &c, &x, &y, &z));
	proc_slurp("/proc/meminfo", buf, sizeof(buf));
	printf("proc meminfo first: %.9s\n", buf);
	R("proc open missing pid", open("/proc/0/stat", O_RDONLY));
	R("proc open missing name", open("/proc/self/nosuch", O_RDONLY));
	R("proc open below a file", open("/proc/meminfo/x", O_RDONLY));
	fd = open("/proc/meminfo", O_RDONLY);
	R("proc read bad buffer", read(fd, bad_ptr, 16));
	R("proc lseek", lseek(fd, 0, SEEK_SET));
	close(fd);
	d = opendir("/proc");
	x = 0;
	while (d != NULL && (e = readdir(d)) != NULL)
		x += strcmp(e->d_name, "self") == 0 || strcmp(e->d_name, "meminfo") == 0;
	if (d != NULL)
		closedir(d);
	printf("proc readdir self and meminfo: %d\n", x);
}

/* h-filecalls: preadv and pwritev (preadv2 and pwritev2 are not in
 * qemu-riscv64 7.2: its ENOSYS would not compare). */
static void
vectors(void)
{
	char a[4] = { 0 }, b[6] = { 0 };
	struct iovec rv[2] = { { a, 3 }, { b, 5 } };
	struct iovec wv[2] = { { "xy", 2 }, { "zw", 2 } };
	int fd = open("v", O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];

	R("v write", write(fd, "0123456789", 10));
	R("preadv at 2", preadv(fd, rv, 2, 2));
	printf("preadv data %s %s\n", a, b);
	R("preadv offset stays", lseek(fd, 0, SEEK_CUR));
	R("preadv near end", preadv(fd, rv, 2, 8));
	R("preadv past end", preadv(fd, rv, 2, 50));
	R("pwritev at 11", pwritev(fd, wv, 2, 11));
	R("pwritev size", lseek(fd, 0, SEEK_END));
	R("pread hole", pread(fd, b, 5, 10));
	printf("pwritev data %d %.4s\n", b[0], b + 1);
	R("preadv negative", preadv(fd, rv, 2, -1));
	R("preadv bad fd", preadv(-1, rv, 2, 0));
	R("preadv bad iov", preadv(fd, bad_ptr, 2, 0));
	R("pipe", pipe(p));
	R("preadv pipe", preadv(p[0], rv, 2, 0));
	R("pwritev pipe", pwritev(p[1], wv, 2, 0));
	close(p[0]);
	close(p[1]);
	close(fd);
	unlink("v");
}

/* h-filecalls: statx's fields that do not depend on the file system. */
static void
statx_fields(void)
{
	struct statx sx;
	int fd = open("sx", O_RDWR | O_CREAT | O_TRUNC, 0640);

	R("sx write", write(fd, "hello", 5));
	R("statx", statx(AT_FDCWD, "sx", 0, STATX_BASIC_STATS, &sx));
	printf("statx basic mask %x mode %o size %llu nlink %u\n",
	    sx.stx_mask & STATX_BASIC_STATS, sx.stx_mode,
	    (unsigned long long)sx.stx_size, sx.stx_nlink);
	R("statx empty path", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	printf("statx fd size %llu\n", (unsigned long long)sx.stx_size);
	R("statx symlink", symlink("sx", "sxl"));
	R("statx nofollow", statx(AT_FDCWD, "sxl", AT_SYMLINK_NOFOLLOW,
	    STATX_BASIC_STATS, &sx));
	printf("statx link mode %o size %llu\n", sx.stx_mode,
	    (unsigned long long)sx.stx_size);
	R("statx dont sync", statx(AT_FDCWD, "sx", AT_STATX_DONT_SYNC, 0, &sx));
	R("statx reserved mask", statx(AT_FDCWD, "sx", 0, 0x80000000U, &sx));
	R("statx both syncs", statx(AT_FDCWD, "sx", AT_STATX_SYNC_TYPE, 0, &sx));
	R("statx bad flags", statx(AT_FDCWD, "sx", 0x8, 0, &sx));
	R("statx bad buf", syscall(SYS_statx, AT_FDCWD, "sx", 0, 0, bad_ptr));
	R("statx missing", statx(AT_FDCWD, "none", 0, 0, &sx));
	R("statx empty", statx(AT_FDCWD, "", 0, 0, &sx));
	R("statx bad fd", statx(-1, "", AT_EMPTY_PATH, 0, &sx));
	R("statx not dir", statx(fd, "x", 0, 0, &sx));
	close(fd);
	unlink("sxl");
	unlink("sx");
}

/* h-filecalls: fallocate's sizes and errors (not the modes that ext4
 * has and ext2 has not). */
static void
fallocate_calls(void)
{
	int fd = open("fa", O_RDWR | O_CREAT | O_TRUNC, 0644), ro, p[2];
	char c = 1;

	R("fa write", write(fd, "abc", 3));
	R("fallocate grow", fallocate(fd, 0, 0, 10000));
	R("fallocate size", lseek(fd, 0, SEEK_END));
	R("fallocate keep size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 20000));
	R("fallocate size kept", lseek(fd, 0, SEEK_END));
	R("fallocate past end", fallocate(fd, 0, 30000, 5));
	R("fallocate new size", lseek(fd, 0, SEEK_END));
	R("fallocate gap", pread(fd, &c, 1, 20000));
	printf("fallocate gap byte %d\n", c);
	R("fallocate negative offset", fallocate(fd, 0, -1, 5));
	R("fallocate zero len", fallocate(fd, 0, 0, 0));
	R("fallocate bad mode", fallocate(fd, 0x100, 0, 5));
	R("fallocate wraps", fallocate(fd, 0, 1, LONG_MAX));
	R("fallocate bad fd", fallocate(-1, 0, 0, 5));
	ro = open("fa", O_RDONLY);
	R("fallocate read only", fallocate(ro, 0, 0, 5));
	close(ro);
	R("fa pipe", pipe(p));
	R("fallocate pipe", fallocate(p[1], 0, 0, 5));
	close(p[0]);
	close(p[1]);
	ro = open("/dev/null", O_WRONLY);
	R("fallocate dev null", fallocate(ro, 0, 0, 5));
	close(ro);
	close(fd);
	unlink("fa");
}

/* h-filecalls: what F_GETLK in a child says of the parent's locks. */
static void
child_getlk(int fd, const char *what, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };
	long rv = fcntl(fd, F_GETLK, &fl);

	printf("%s: %ld type %d start %ld len %ld parent %d\n", what, rv,
	    fl.l_type, (long)fl.l_start, (long)fl.l_len,
	    fl.l_type != F_UNLCK ? fl.l_pid == getppid() : -1);
}

static int
setlk(int fd, int cmd, int type, off_t start, off_t len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET,
	    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

static void
record_locks(void)
{
	int fd = open("lk", O_RDWR | O_CREAT | O_TRUNC, 0644), status;
	pid_t pid;

	R("lk write lock", setlk(fd, F_SETLK, F_WRLCK, 10, 0));
	R("lk unlock middle", setlk(fd, F_SETLK, F_UNLCK, 20, 10));
	R("lk read lock", setlk(fd, F_SETLK, F_RDLCK, 40, 5));
	R("lk read lock adjacent", setlk(fd, F_SETLK, F_RDLCK, 45, 5));
	pid = fork();
	if (pid == 0) {
		child_getlk(fd, "getlk all", F_WRLCK, 0, 0);
		child_getlk(fd, "getlk hole", F_WRLCK, 20, 10);
		child_getlk(fd, "getlk after hole", F_WRLCK, 25, 10);
		child_getlk(fd, "getlk merged read", F_RDLCK, 30, 100);
		child_getlk(fd, "getlk merged", F_WRLCK, 42, 3);
		child_getlk(fd, "getlk tail", F_WRLCK, 50, 10);
		child_getlk(fd, "getlk before", F_WRLCK, 0, 10);
		R("child setlk conflict", setlk(fd, F_SETLK, F_WRLCK, 15, 1));
		R("child setlk hole", setlk(fd, F_SETLK, F_WRLCK, 20, 10));
		R("child flock", flock(fd, LOCK_EX | LOCK_NB));
		_exit(0);
	}
	waitpid(pid, &status, 0);
	R("parent flock after child", flock(fd, LOCK_EX | LOCK_NB));
	R("lk bad type", setlk(fd, F_SETLK, 9, 0, 0));
	R("lk getlk unlck", setlk(fd, F_GETLK, F_UNLCK, 0, 0));
	R("lk negative start", setlk(fd, F_SETLK, F_WRLCK, -1, 0));
	R("lk overflow", setlk(fd, F_SETLK, F_WRLCK, 2, LONG_MAX));
	R("lk bad ptr", fcntl(fd, F_SETLK, bad_ptr));
	R("lk bad fd", setlk(-1, F_SETLK, F_WRLCK, 0, 0));
	R("lk ofd pid", fcntl(fd, F_OFD_SETLK, &(struct flock){ .l_pid = 1 }));
	R("flock bad op", flock(fd, 0));
	close(fd);
	unlink("lk");
}

/* h-filecalls: close_range and O_PATH descriptors. */
static void
descriptor_calls(void)
{
	int fd = open("cr", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char c;

	R("cr dup2", dup2(fd, 40));
	R("cr dup2 again", dup2(fd, 42));
	R("close_range", syscall(SYS_close_range, 41, 41, 0));
	R("close_range cloexec", syscall(SYS_close_range, 40, 50, 4));
	R("cr getfd 40", fcntl(40, F_GETFD));
	R("close_range all", syscall(SYS_close_range, 40, ~0U, 2));
	R("cr getfd 42", fcntl(42, F_GETFD));
	R("close_range backwards", syscall(SYS_close_range, 9, 8, 0));
	R("close_range bad flags", syscall(SYS_close_range, 40, 50, 1));
	close(fd);
	R("o_path open", fd = open("cr", O_PATH | O_RDWR));
	R("o_path getfl", fcntl(fd, F_GETFL));
	R("o_path read", read(fd, &c, 1));
	R("o_path write", write(fd, &c, 1));
	R("o_path setfl", fcntl(fd, F_SETFL, 0));
	R("o_path dup", close(dup(fd)));
	R("o_path fchmod", fchmod(fd, 0600));
	R("o_path lseek", lseek(fd, 0, SEEK_SET));
	R("o_path opendir", open("cr", O_PATH | O_DIRECTORY));
	close(fd);
	unlink("cr");
}

/*
 * Job control: a child stopped and continued, its wait4 and waitid reports,
 * waitid's errors, and SIGCONT dropping a pending (blocked) stop signal.
 * Only SIGSTOP stops here: the group may be orphaned (in the guest,
 * difftest's parent is init), where SIGTSTP would not.
 */
/*
 * A nanosleep stopped and continued sleeps on to its end: 0, not EINTR
 * (the child says whether its 300 ms had passed when it returned).
 */
static void
stopped_sleep(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec t = { 0, 300000000 }, a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		errno = 0;
		report("nanosleep stopped and continued", nanosleep(&t, NULL));
		clock_gettime(CLOCK_MONOTONIC, &b);
		_exit((b.tv_sec - a.tv_sec) * 1000 +
		    (b.tv_nsec - a.tv_nsec) / 1000000 >= 300 ? 0 : 1);
	}
	usleep(100000);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	usleep(100000);
	kill(pid, SIGCONT);
	R("stopped sleeper's whole time", waitpid(pid, &status, 0) == pid ?
	    status : -1);
}

static void
jobcontrol(void)
{
	siginfo_t si;
	sigset_t set;
	int status, go[2];
	char c;
	pid_t pid;

	if (pipe(go) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? 7 : 1);	/* stopped while here */
	}
	close(go[0]);
	R("kill SIGSTOP", kill(pid, SIGSTOP));
	R("waitid stopped nowait", waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT));
	printf("siginfo: signo %d code %d status %d\n", si.si_signo, si.si_code,
	    si.si_status);
	R("wait4 stopped", waitpid(pid, &status, WUNTRACED) == pid ? status : -1);
	R("wait4 stop reported once", waitpid(pid, &status, WUNTRACED | WNOHANG));
	R("kill SIGCONT", kill(pid, SIGCONT));
	R("wait4 continued", waitpid(pid, &status, WCONTINUED) == pid ?
	    status : -1);
	R("write go", write(go[1], "g", 1));
	close(go[1]);
	R("waitid exited", waitid(P_PID, pid, &si, WEXITED));
	printf("siginfo: signo %d code %d status %d\n", si.si_signo, si.si_code,
	    si.si_status);
	R("waitid no options", waitid(P_ALL, 0, &si, 0));
	R("waitid bad idtype", waitid(9, 0, &si, WEXITED));
	R("waitid pid 0", waitid(P_PID, 0, &si, WEXITED));
	R("waitid no child", waitid(P_ALL, 0, &si, WEXITED));
	pid = fork();
	if (pid == 0)
		_exit(0);
	R("waitid bad infop", waitid(P_PID, pid, bad_ptr, WEXITED));
	R("waitid reaped anyway", waitid(P_PID, pid, &si, WEXITED));
	sigemptyset(&set);
	sigaddset(&set, SIGTTIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	R("kill self SIGTTIN", kill(getpid(), SIGTTIN));
	R("kill self SIGCONT", kill(getpid(), SIGCONT));
	sigpending(&set);
	printf("SIGTTIN pending after SIGCONT: %d\n", sigismember(&set, SIGTTIN));
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	stopped_sleep();
}

/*
 * mount and umount2 errors.  Only calls that fail before anything is
 * mounted: the host side may run as root, and must not mount anything.
 */
static void
mounts(void)
{
	R("umount2 bad flags", umount2(".", 0x100));
	R("umount2 not a mount point", umount2(".", 0));
	R("umount2 missing", umount2("nonexistent", 0));
	R("umount2 bad ptr", umount2(bad_ptr, 0));
	R("mount bad type ptr", mount("x", ".", bad_ptr, 0, NULL));
	R("mount unknown type", mount("x", ".", "nosuchfs", 0, NULL));
	R("mount missing target", mount("x", "nonexistent", "tmpfs", 0, NULL));
	R("mount bad target ptr", mount("x", bad_ptr, "tmpfs", 0, NULL));
	R("remount not a mount point", mount("x", ".", "tmpfs", MS_REMOUNT, NULL));
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

/* A pipe's owner and mode, as fstat shows them on either end. */
static void
print_pipe_owner(const char *what, int fd)
{
	struct stat st;

	R(what, fstat(fd, &st));
	printf("uid %u gid %u mode %o\n", (unsigned)st.st_uid,
	    (unsigned)st.st_gid, (unsigned)st.st_mode);
}

/* fchown and fchmod of a pipe, which is its own inode, and of a FIFO. */
static void
pipe_owners(void)
{
	int p[2], fd;

	R("pipe", pipe(p));
	print_pipe_owner("fstat new pipe", p[1]);
	R("fchown pipe", fchown(p[0], 1000, 1001));
	R("fchmod pipe", fchmod(p[1], 04640));
	print_pipe_owner("fstat other end", p[1]);
	R("fchown pipe group", fchown(p[1], -1, 5));
	print_pipe_owner("fstat after chown", p[0]);
	close(p[0]);
	close(p[1]);
	R("mkfifo", mkfifo("fifo", 0600));
	R("open fifo", fd = open("fifo", O_RDWR));
	R("fchmod fifo", fchmod(fd, 0604));
	R("fchown fifo", fchown(fd, 7, 8));
	print_pipe_owner("fstat fifo", fd);
	close(fd);
	R("unlink fifo", unlink("fifo"));
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * A caught signal during a pipe read or write: what moved is the result
 * (even under SA_RESTART), EINTR only if nothing did.  A read with data
 * does not wait for more.
 */
static void
pipe_interrupts(void)
{
	static char big[100000];
	struct itimerval soon = { { 0, 0 }, { 0, 100000 } }, off = { 0 };
	struct sigaction sa = { .sa_handler = on_alarm };
	char buf[100];
	int p[2];

	for (int restart = 0; restart < 2; restart++) {
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGALRM, &sa, NULL);
		printf("SA_RESTART %d\n", restart);
		R("pipe", pipe(p));
		setitimer(ITIMER_REAL, &soon, NULL);
		R("write interrupted, some moved", write(p[1], big, sizeof(big)));
		R("read part", read(p[0], buf, 10));
		R("read more than there", read(p[0], big, sizeof(big)));
		R("write some", write(p[1], "abc", 3));
		setitimer(ITIMER_REAL, &soon, NULL);
		R("read with data", read(p[0], buf, sizeof(buf)));
		setitimer(ITIMER_REAL, &off, NULL);
		if (!restart) {
			setitimer(ITIMER_REAL, &soon, NULL);
			R("read interrupted, none", read(p[0], buf, 1));
		}
		close(p[0]);
		close(p[1]);
	}
	signal(SIGALRM, SIG_DFL);
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
	truncate_calls();
	directories();
	trailing_slashes();
	file_errors();
	syscall_args();
	processes();
	process_edges();
	traps();
	memory();
	vm_calls();
	mounts();
	misc();
	procfs(argc, argv);
	vectors();
	statx_fields();
	fallocate_calls();
	record_locks();
	descriptor_calls();
	jobcontrol();
	signal_calls();
	pipe_interrupts();
	pipe_owners();
	timer_calls();
	select_calls();
	process_controls();
	printf("DIFFTEST END\n");
	return 0;
}
