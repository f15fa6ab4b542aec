/*
 * sysfuzz: a seeded system-call fuzzer for vmk's Linux ABI.
 *
 *     sysfuzz [-s SEED] [-n CALLS] [-b BATCH] [-f FIRST] [-v] [-l]
 *
 * (or, as init= runs it, the environment fuzz_seed=, fuzz_calls=,
 * fuzz_batch=, fuzz_first=, fuzz_verbose=1, fuzz_log=1 from the kernel
 * command line).  -f starts at batch FIRST: a batch's calls follow from
 * the seed and its number alone, and it starts from a fresh sandbox, so a
 * finding in batch B is seen again with -f B -n BATCH.
 *
 * The calls and their argument types come from the kernel's own table,
 * kern/syscalls.def, included below: each argument's C type and name pick
 * its generator (descriptors valid and not, kernel and unmapped
 * addresses, huge lengths, negative numbers, random flag bits, paths from
 * a small set with bad ones).  Everything follows from the seed: the
 * same seed gives the same calls with the same arguments.
 *
 * The run is a sequence of batches.  For each, this process (the "top")
 * resets the sandbox directory /var/tmp/fz, measures the free page count and
 * the live VM objects with the file caches drained, then vforks and
 * execs itself as the batch's runner ("sysfuzz --batch SEED B CALLS").
 * The runner forks one child per short sequence of calls; the child
 * makes them and exits; a watchdog process kills a child that blocks.
 * Besides the system calls there is "touch": the child reads or writes
 * the pages at what its last call returned (after an mmap, say).
 * After each child the runner checks that the kernel wrote nothing the
 * calls were not given (canary pages, a read-only page, the shared
 * signal trampoline, and every byte of the argument arena outside the
 * ranges the calls were given).  After each batch the top checks that
 * the free pages and live objects are back to where they were.
 *
 * Prints "TEST sysfuzz_batchN: PASS|FAIL ..." per batch, a line per
 * finding ("FINDING ..."), the errno histogram, and
 * "sysfuzz: N passed, N failed".
 *
 * -v prints every call before it is made (to find the call that takes
 * the kernel down); -l prints every call with its result after it (to
 * compare with Linux: the same binary runs under qemu-riscv64, where the
 * vmk-only checks are skipped).
 *
 * What the fuzzer does not do, and why:
 *   - reboot: always given a wrong first magic number, so that only its
 *     argument check runs (a real reboot would end the run).
 *   - kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo: skipped
 *     unless the target is the child itself, its own process group while
 *     it leads it, or a pid that cannot exist: never -1 (everything),
 *     init, the runner, the watchdog or the top.
 *   - execve, execveat: only paths from the sandbox set (for execveat
 *     also relative to the child's descriptors, or those descriptors
 *     themselves), none of which is a program (a random program would
 *     replace the child).
 *   - vmk_sysctl: names from a set without the page daemon's tunables
 *     (vm.v_free_*, which would change paging for the rest of the run)
 *     and kern.logsigexit (which the run turns off to keep the console
 *     quiet).
 *   - swapon, swapoff: paths from the sandbox set, never a device name.
 *   - the console is not among the descriptors (writes would flood the
 *     log that judges the run).
 *   - rt_sigreturn runs on a stack in the argument arena, and a new
 *     process made by clone exits at once without touching memory, so
 *     that neither can run the fuzzer's own code with stray registers;
 *     the child waits for it before its next call (its exit may write
 *     the tid word it was given).
 *   - exit, exit_group and everything else end or damage only the child.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmksys.h"

/* --- the call table ------------------------------------------------------ */

struct fz_call {
	int nr;
	const char *name;
	int nargs;
	const char *type[6];
	const char *arg[6];
};

#define SYSCALL0(nr, n)	{ nr, #n, 0, { 0 }, { 0 } },
#define SYSCALL1(nr, n, t1, a1)	{ nr, #n, 1, { #t1 }, { #a1 } },
#define SYSCALL2(nr, n, t1, a1, t2, a2)					\
	{ nr, #n, 2, { #t1, #t2 }, { #a1, #a2 } },
#define SYSCALL3(nr, n, t1, a1, t2, a2, t3, a3)				\
	{ nr, #n, 3, { #t1, #t2, #t3 }, { #a1, #a2, #a3 } },
#define SYSCALL4(nr, n, t1, a1, t2, a2, t3, a3, t4, a4)			\
	{ nr, #n, 4, { #t1, #t2, #t3, #t4 }, { #a1, #a2, #a3, #a4 } },
#define SYSCALL5(nr, n, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)		\
	{ nr, #n, 5, { #t1, #t2, #t3, #t4, #t5 },			\
	    { #a1, #a2, #a3, #a4, #a5 } },
#define SYSCALL6(nr, n, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)	\
	{ nr, #n, 6, { #t1, #t2, #t3, #t4, #t5, #t6 },			\
	    { #a1, #a2, #a3, #a4, #a5, #a6 } },

static const struct fz_call fz_calls[] = {
#include "../../kern/syscalls.def"
};

#define NCALLS	(sizeof(fz_calls) / sizeof(fz_calls[0]))

/*
 * One more call that is not a system call: the child itself reads or
 * writes a byte of each page of [addr, addr + len), addr being what its
 * last call returned (an mmap, say), so that the faults the calls set up
 * happen too.  Its number is NCALLS.
 */
#define TOUCH	NCALLS
#define TOUCH_PAGES	16

static const struct fz_call touch_call = { -1, "touch", 3,
	{ "uaddr_t", "size_t", "int" }, { "addr", "len", "write" } };

static const struct fz_call *
call_of(unsigned idx)
{
	return idx == TOUCH ? &touch_call : &fz_calls[idx];
}

/* --- fixed places in every process of the run ---------------------------- */

/*
 * All at fixed addresses, the same under vmk and under qemu-riscv64, above
 * where mmap puts things (0x1000000000) and far below the stack:
 *   status    the runner, watchdog and child share it (never given)
 *   canary_lo the page just below the arena (nothing writes below a
 *             pointer it was given)
 *   arena     where pointer arguments point, followed by an unmapped
 *             guard page, so a long copy stops there
 *   canary_hi after the guard page
 *   ro        a read-only page (shared, so a write would be visible)
 *   state     the runner's own state, plans and counts (never given)
 * Every one but the guard is MAP_SHARED: the runner sees what the kernel
 * wrote in a child, and its own writes between children do not fault
 * copy-on-write after each fork.
 */
#define PG		4096UL
#define FZ_STATE	0x1e00000000UL
#define FZ_STATUS	0x1f00000000UL
#define FZ_BASE		0x2000000000UL
#define FZ_CANARY_LO	FZ_BASE
#define FZ_ARENA	(FZ_BASE + PG)
#define ARENA_SIZE	(4 * PG)
#define FZ_GUARD	(FZ_ARENA + ARENA_SIZE)
#define FZ_CANARY_HI	(FZ_GUARD + PG)
#define FZ_RO		(FZ_CANARY_HI + 4 * PG)
#define SIGCODE_PAGE	0x3ffffff000UL	/* vmk's shared signal trampoline */

/* A pointer without a length beside it may be written this far: more than
 * any structure a call in the table writes (struct utsname, 390 bytes). */
#define WRITE_BOUND	1024

#define FZ_MAXK		8	/* calls per child */
/*
 * On the root file system, not in /tmp: /tmp is tmpfs, whose files are
 * memory that the leak check after each batch would count (the files a
 * batch made stay until the next batch resets the sandbox), where an
 * ext2 file's pages are a cache that draining empties.
 */
#define FZ_TOP		"/var/tmp"
#define FZ_DIR		FZ_TOP "/fz"
#define FZ_STATS	FZ_TOP "/fz.stats"
#define CHILD_MS	60	/* the watchdog kills a call that takes longer */
#define SETUP_MS	500	/* ... and a child not at its first call by then */
#define UNKILLABLE_MS	5000	/* and reports it if it is still there */

static const uint64_t kernel_addrs[] = {
	0xffffffc000000000UL,	/* start of the direct map */
	0xffffffc080200000UL,	/* the kernel image through it */
	0xffffffff80200000UL,	/* the kernel image */
	0xffffffe004000000UL,	/* kernel stacks */
	0x0000004000000000UL,	/* just past user space */
	0x8000000000000000UL,
	0xfffffffffffff000UL,
	0xfffffffffffffff8UL,
};

/* User addresses no call may write: unmapped, or mapped read-only. */
static const uint64_t bad_user_addrs[] = {
	0, 1, 0x1000, FZ_GUARD, FZ_GUARD + 8, 0x3000000000UL, 0x3fff000000UL,
	0x10000,		/* the binary's text: mapped, read-only */
	SIGCODE_PAGE,		/* mapped, read and execute */
	0x3ffffffff8UL,		/* the last 8 bytes of user space */
};

static const char long_name[] =
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static char long_path[5000];	/* "d/" repeated: too long (ENAMETOOLONG) */

/*
 * Paths, most relative to the child's working directory, FZ_DIR.  None
 * names a program or a device.  Outside the sandbox there are only "/",
 * ".." (/var/tmp) and paths that do not exist: renaming or removing "/" and
 * ".." must fail; changing their mode or times is harmless.
 */
static const char *const paths[] = {
	"f", "d", "d/", "d/x", "d/x/y", "new", "new/", "newdir", "ro", "in",
	"ln", "loop", "dangle", "exe", "big", ".", "..", "", "/", FZ_DIR "/f",
	FZ_DIR "/d/x", "/nonexistent/x", "f/", "f/x", "d/../f", "./d//x",
	long_name, long_path,
};

static const char *const sysctl_names[] = {
	"vm.stats.vm.v_free_count", "vm.stats.object.live_anon",
	"vm.stats.object.depth_peak", "kern.hostname", "kern.proc.all",
	"kern.msgbuf", "kern.nprocs", "vm.proc.map.1", "vm.proc.chain.1.10000",
	"vm.proc.map", "sysctl.next", "sysctl.info", "vfs.drain_caches", "vm",
	"vm.", "", "no.such.node", long_name,
};

/* --- random numbers ------------------------------------------------------ */

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state = splitmix(rng_state);
	return rng_state;
}

/* Uniform in [0, n). */
static uint64_t
below(uint64_t n)
{
	return rnd() % n;
}

/* True with probability pct percent. */
static bool
chance(unsigned pct)
{
	return below(100) < pct;
}

#define PICK(arr)	((arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* --- generators ---------------------------------------------------------- */

/*
 * Half of the calls are "tame": each argument is one its call can use (a
 * descriptor the child has, a length that fits, a hinted flag), so that
 * calls get past their argument checks and reach the code behind them;
 * the other half take anything.
 */
static bool tame;

/* What an argument's value is, from its type and name in the table. */
enum gen {
	G_FD, G_DIRFD, G_PID, G_SIG, G_CLOCK, G_LEN, G_COUNT, G_SIGSETSIZE,
	G_OFFSET, G_MODE, G_FLAGS, G_PATH, G_SYSCTL_NAME, G_ADDR, G_PTR,
};

/* What a pointer argument points at (the arena's content there). */
enum content {
	C_WORDS, C_IOV, C_STRV, C_TIMESPEC, C_TIMES, C_SIGACTION, C_SIGSET,
	C_POLLFD, C_RLIMIT, C_SIZE,
};

struct name_rule {
	const char *name;
	int what;
};

static const struct name_rule value_rules[] = {
	{ "fd", G_FD }, { "oldfd", G_FD }, { "newfd", G_FD },
	{ "dirfd", G_DIRFD }, { "olddirfd", G_DIRFD }, { "newdirfd", G_DIRFD },
	{ "pid", G_PID }, { "tgid", G_PID }, { "tid", G_PID }, { "pgid", G_PID },
	{ "sig", G_SIG }, { "clock", G_CLOCK },
	{ "count", G_LEN }, { "size", G_LEN }, { "len", G_LEN },
	{ "newlen", G_LEN }, { "nfds", G_COUNT }, { "iovcnt", G_COUNT },
	{ "sigsetsize", G_SIGSETSIZE }, { "offset", G_OFFSET },
	{ "length", G_OFFSET }, { "mode", G_MODE }, { "mask", G_MODE },
};

static const struct name_rule pointer_rules[] = {
	{ "path", G_PATH }, { "oldpath", G_PATH }, { "newpath", G_PATH },
	{ "target", G_PATH }, { "name", G_SYSCTL_NAME }, { "addr", G_ADDR },
	{ "newbrk", G_ADDR }, { "newsp", G_ADDR },
};

static const struct name_rule content_rules[] = {
	{ "iov", C_IOV }, { "argv", C_STRV }, { "envp", C_STRV },
	{ "req", C_TIMESPEC }, { "timeout", C_TIMESPEC }, { "times", C_TIMES },
	{ "act", C_SIGACTION }, { "set", C_SIGSET }, { "mask", C_SIGSET },
	{ "sigmask", C_SIGSET }, { "fds", C_POLLFD }, { "newlim", C_RLIMIT },
	{ "oldlenp", C_SIZE },
};

static int
rule_find(const struct name_rule *r, size_t n, const char *name, int dflt)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].name, name) == 0)
			return r[i].what;
	return dflt;
}

#define RULE(table, name, dflt)	\
	rule_find(table, sizeof(table) / sizeof(table[0]), name, dflt)

static enum gen
gen_of(const struct fz_call *c, int i)
{
	if (strcmp(c->type[i], "uaddr_t") == 0)
		return RULE(pointer_rules, c->arg[i], G_PTR);
	return RULE(value_rules, c->arg[i], G_FLAGS);
}

/* The width in bits of a C type in the table (64 for pointers). */
static int
width_of(const char *type)
{
	if (strcmp(type, "int") == 0 || strcmp(type, "unsigned int") == 0)
		return 32;
	if (strcmp(type, "unsigned short") == 0)
		return 16;
	return 64;
}

/*
 * An argument: a value, or a symbol only the child can resolve (its pid,
 * its parent's, what its last call returned) or a string of a set.
 */
enum sym { S_NONE, S_SELF, S_NEG_SELF, S_PARENT, S_LAST, S_PATH, S_SYSCTL };

struct arg {
	uint64_t v;		/* the value, or the string's index */
	uint8_t sym;
};

/* A range of the arena: [off, off + len). */
struct range {
	uint32_t off;
	uint32_t len;
};

/* Bytes the child copies into the arena just before the call. */
struct patch {
	uint16_t off;
	uint16_t len;
	uint16_t at;		/* in the call's data[] */
};

#define MAX_PATCHES	8
#define MAX_RANGES	16

/* One call: what it is, its arguments, what goes into the arena for it
 * and the ranges of the arena it may write. */
struct call {
	uint16_t idx;		/* into fz_calls[], or TOUCH */
	struct arg a[6];
	uint8_t npatch, nrange;
	struct patch patch[MAX_PATCHES];
	struct range range[MAX_RANGES];
	uint16_t ndata;
	uint8_t data[512];
};

struct child_plan {
	int k;
	bool own_group;		/* the child makes itself a group leader */
	struct call call[FZ_MAXK];
};

static uint64_t
rand_word(void)
{
	static const uint64_t w[] = {
		0, 1, 2, 3, 7, 8, 16, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000,
		0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000, 1UL << 40, 1UL << 62, 0x7fffffffffffffff,
		0x8000000000000000, ~0UL, -2UL, -4096UL,
	};
	uint64_t v;

	switch (below(4)) {
	case 0:
		return PICK(w);
	case 1:
		return PICK(kernel_addrs);
	case 2:
		v = rnd() & 0xffffffff;
		break;
	default:
		v = rnd();
		break;
	}
	/* Never an address in the binary: a stray jump there could run the
	 * fuzzer's own code with stray registers. */
	if (v >= 0x10000 && v < 0x10000000)
		v |= 0x80000000;
	return v;
}

static uint64_t
gen_len(void)
{
	static const uint64_t huge[] = {
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 1UL << 40,
		1UL << 62, 1UL << 63, ~0UL, -4096UL, ARENA_SIZE, ARENA_SIZE + 1,
	};

	switch (tame ? below(5) + 1 : below(10)) {
	case 0:
		return 0;
	case 1: case 2:
		return 1 + below(64);
	case 3:
		return (1 + below(3)) * PG;
	case 4: case 5:
		return below(ARENA_SIZE);
	case 6: case 7:
		return PICK(huge);
	case 8:
		return (1 + below(1024)) * PG;
	default:
		return rnd();
	}
}

static uint64_t
gen_count(void)
{
	static const uint64_t edge[] = { 256, 257, 1024, 1025, 0x7fffffff,
	    0x80000000, ~0UL, 1UL << 40 };

	if (tame || chance(65))
		return below(9);
	if (chance(40))
		return 9 + below(300);
	return PICK(edge);
}

static uint64_t
gen_offset(void)
{
	static const uint64_t edge[] = {
		-1UL, -4096UL, 0x8000000000000000, 0x7fffffff, 0x80000000,
		0x100000000, 1UL << 40, 1UL << 44, 1UL << 62, 0x7fffffffffffffff,
	};

	switch (below(tame ? 4 : 6)) {
	case 0: case 1:
		return 0;
	case 2:
		return below(9000);
	case 3:
		return below(80) * PG;
	case 4:
		return PICK(edge);
	default:
		return rnd();
	}
}

static uint64_t
gen_flags(void)
{
	switch (below(tame ? 3 : 8)) {
	case 0: case 1:
		return 0;
	case 2:
		return below(17);
	case 3:
		return 1UL << below(32);
	case 4:
		return rnd() & rnd() & rnd() & 0xffffffff;
	case 5:
		return rnd() & 0xffffffff;
	case 6:
		return ~0UL;
	default:
		return rand_word();
	}
}

/*
 * Values that mean something to one argument of one call (Linux's), so
 * that calls get past their flag checks often enough to do something:
 * one of one[] (if any) with a random subset of bits[].  Each names a
 * call and an argument of the table (checked at start-up).
 */
struct hint {
	const char *call, *arg;
	uint8_t n_one, n_bits;
	uint64_t one[14], bits[12];
};

static const struct hint hints[] = {
	{ "mmap", "prot", 0, 3, { 0 }, { 1, 2, 4 } },
	{ "mprotect", "prot", 0, 3, { 0 }, { 1, 2, 4 } },
	{ "mmap", "flags", 3, 7, { 1, 2, 3 }, { 0x10, 0x20, 0x20, 0x8000, 0x4000,
	    0x100000, 0x20000 } },
	{ "msync", "flags", 0, 3, { 0 }, { 1, 2, 4 } },
	{ "madvise", "advice", 13, 0, { 0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 14, 20,
	    21 }, { 0 } },
	{ "openat", "flags", 3, 10, { 0, 1, 2 }, { 0100, 0200, 01000, 02000,
	    04000, 010000, 0200000, 0400000, 02000000, 020200000 } },
	{ "pipe2", "flags", 0, 3, { 0 }, { 02000000, 04000, 040000 } },
	{ "dup3", "flags", 0, 1, { 0 }, { 02000000 } },
	{ "fcntl", "cmd", 12, 0, { 0, 1, 2, 3, 4, 5, 6, 7, 1030, 1031, 1032,
	    1033 }, { 0 } },
	{ "fcntl", "arg", 7, 0, { 0, 1, 3, 10, 04000, 02000, 4096 }, { 0 } },
	{ "ioctl", "cmd", 10, 0, { 0x5401, 0x5402, 0x540f, 0x5410, 0x5413,
	    0x541b, 0x5421, 0x5450, 0x5451, 0x5452 }, { 0 } },
	{ "unlinkat", "flags", 2, 0, { 0, 0x200 }, { 0 } },
	{ "faccessat", "mode", 0, 3, { 0 }, { 1, 2, 4 } },
	{ "newfstatat", "flags", 0, 3, { 0 }, { 0x100, 0x800, 0x1000 } },
	{ "utimensat", "flags", 0, 1, { 0 }, { 0x100 } },
	{ "lseek", "whence", 5, 0, { 0, 1, 2, 3, 4 }, { 0 } },
	{ "renameat2", "flags", 0, 3, { 0 }, { 1, 2, 4 } },
	{ "getrandom", "flags", 0, 3, { 0 }, { 1, 2, 4 } },
	{ "rt_sigprocmask", "how", 3, 0, { 0, 1, 2 }, { 0 } },
	{ "getrusage", "who", 3, 0, { 0, -1UL, 1 }, { 0 } },
	{ "prlimit64", "resource", 14, 0, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
	    11, 12, 13 }, { 0 } },
	{ "wait4", "options", 0, 5, { 0 }, { 1, 2, 8, 0x40000000, 0x80000000 } },
	{ "clone", "flags", 2, 10, { 17, 0 }, { 0x100, 0x4000, 0x80000, 0x100000,
	    0x200000, 0x1000000, 0x400, 0x200, 0x800, 0x10000 } },
	{ "set_robust_list", "len", 1, 0, { 24 }, { 0 } },
	{ "clock_nanosleep", "flags", 0, 1, { 0 }, { 1 } },
	{ "swapon", "flags", 0, 3, { 0 }, { 0x8000, 0x10000, 0x20000 } },
};

static const struct hint *
hint_of(const struct fz_call *fc, int i)
{
	for (size_t h = 0; h < sizeof(hints) / sizeof(hints[0]); h++)
		if (strcmp(hints[h].call, fc->name) == 0 &&
		    strcmp(hints[h].arg, fc->arg[i]) == 0)
			return &hints[h];
	return NULL;
}

/* Every hint names an argument of the table: exits if one does not. */
static void
hints_check(void)
{
	for (size_t h = 0; h < sizeof(hints) / sizeof(hints[0]); h++) {
		bool found = false;

		for (size_t c = 0; c < NCALLS; c++)
			for (int i = 0; i < fz_calls[c].nargs; i++)
				found |= strcmp(hints[h].call, fz_calls[c].name) == 0 &&
				    strcmp(hints[h].arg, fz_calls[c].arg[i]) == 0;
		if (!found) {
			printf("sysfuzz: hint %s.%s names no argument of the table\n",
			    hints[h].call, hints[h].arg);
			exit(2);
		}
	}
}

static uint64_t
gen_hinted(const struct hint *h)
{
	uint64_t v = h->n_one > 0 ? h->one[below(h->n_one)] : 0;

	for (int i = 0; i < h->n_bits; i++)
		if (chance(20))
			v |= h->bits[i];
	return v;
}

static void
gen_pid(struct arg *a)
{
	static const uint64_t fixed[] = { 0, -1UL, 1, 0x80000000, 0x7ffffff0,
	    -0x7ffffff0UL, 2, 3 };

	switch (below(tame ? 5 : 8)) {
	case 0: case 1:
		a->sym = S_SELF;
		break;
	case 2:
		a->sym = S_NEG_SELF;
		break;
	case 3:
		a->sym = S_PARENT;
		break;
	case 4:
		a->sym = S_LAST;
		break;
	case 5:
		a->v = 2 + below(100);
		break;
	default:
		a->v = PICK(fixed);
		break;
	}
}

static uint64_t
gen_sig(void)
{
	static const uint64_t odd[] = { 65, 128, -1UL, 0x80000000 };

	if (tame || chance(55))
		return below(32);
	if (chance(50))
		return 32 + below(33);
	return chance(60) ? PICK(odd) : rnd();
}

static uint64_t
gen_clock(void)
{
	static const uint64_t odd[] = { -1UL, 0x80000000, -6UL, -2UL, 16, 100 };

	return chance(70) ? below(12) : PICK(odd);
}

/* A descriptor: one of the child's ten (see child_fds), one an earlier
 * call returned, or a bad one; for a dirfd, AT_FDCWD often. */
static void
gen_fd(struct arg *a, bool dirfd)
{
	static const uint64_t bad[] = { -1UL, 10, 63, 255, 256, 1023,
	    0x7fffffff, 0x80000000, 0xffffffff, -100UL };

	if (dirfd && chance(tame ? 60 : 40))
		a->v = (uint64_t)-100;	/* AT_FDCWD */
	else if (dirfd && tame)
		a->v = 4;		/* the directory d */
	else if (chance(tame ? 75 : 65))
		a->v = below(10);
	else if (tame || chance(30))
		a->sym = S_LAST;
	else
		a->v = PICK(bad);
}

static uint64_t
gen_sigsetsize(void)
{
	static const uint64_t odd[] = { 0, 4, 16, 128, ~0UL };

	return chance(75) ? 8 : PICK(odd);
}

/* --- pointers and what they point at -------------------------------------- */

/* Put len bytes at arena offset off before the call, cut at the arena's
 * end; returns where to make them, or NULL if the call has no room. */
static void *
patch_add(struct call *c, uint64_t off, size_t len)
{
	void *p;

	if (off >= ARENA_SIZE || c->npatch == MAX_PATCHES)
		return NULL;
	if (off + len > ARENA_SIZE)
		len = ARENA_SIZE - off;
	if (c->ndata + len > sizeof(c->data))
		return NULL;
	p = &c->data[c->ndata];
	c->patch[c->npatch++] = (struct patch){ (uint16_t)off, (uint16_t)len,
	    c->ndata };
	c->ndata += (uint16_t)len;
	return p;
}

/* The call may write [addr, addr + len), as far as that is in the arena. */
static void
range_add(struct call *c, uint64_t addr, uint64_t len)
{
	uint64_t off;

	if (addr < FZ_ARENA || addr >= FZ_ARENA + ARENA_SIZE ||
	    c->nrange == MAX_RANGES)
		return;
	off = addr - FZ_ARENA;
	if (len > ARENA_SIZE - off)
		len = ARENA_SIZE - off;
	c->range[c->nrange++] = (struct range){ (uint32_t)off, (uint32_t)len };
}

/* An address in the arena, 8-byte aligned most of the time, sometimes so
 * close to its end that a copy runs into the guard page. */
static uint64_t
arena_ptr(void)
{
	uint64_t off = below(ARENA_SIZE);

	if (chance(10))
		off = ARENA_SIZE - 1 - below(64);
	else if (chance(80))
		off &= ~7UL;
	return FZ_ARENA + off;
}

static uint64_t
bad_ptr(void)
{
	return chance(50) ? PICK(kernel_addrs) : PICK(bad_user_addrs);
}

/* A uaddr_t: into the arena mostly, else NULL, bad, or read-only.  (And
 * now and then what the last call returned: see gen_call.) */
static uint64_t
gen_ptr(void)
{
	switch (tame ? 5 : below(20)) {
	case 0:
		return 0;
	case 1: case 2: case 3:
		return bad_ptr();
	case 4:
		return FZ_RO + (below(PG) & ~7UL);
	default:
		return arena_ptr();
	}
}

static void
fill_words(uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[i] = rand_word();
}

/* A short wait most of the time: a call sleeps a few ticks at most. */
static void
fill_timespec(uint64_t ts[2])
{
	static const uint64_t odd[] = { -1UL, 1000000000, 0x7fffffffffffffff,
	    999999999 };

	ts[0] = chance(85) ? 0 : chance(50) ? 1 + below(3) : PICK(odd);
	ts[1] = chance(85) ? below(20000000) : PICK(odd);
}

/* argv or envp: strings of the path set or bad pointers, usually ending
 * in NULL. */
static void
fill_strv(uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		w[i] = chance(95) ? (uint64_t)PICK(paths) :
		    chance(50) ? bad_ptr() : rand_word();
	if (chance(90))
		w[below(4)] = 0;
}

/* An iovec array; each buffer in the arena is given to the call. */
static void
fill_iov(struct call *c, uint64_t *w, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2) {
		w[i] = gen_ptr();
		w[i + 1] = chance(80) ? below(600) : gen_len();
		range_add(c, w[i], w[i + 1]);
	}
}

static void
fill_pollfd(uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct arg fd = { 0, S_NONE };

		gen_fd(&fd, false);
		/* fd; events, POLLIN | POLLOUT mostly; revents */
		w[i] = (uint32_t)(fd.sym == S_LAST ? 3 : fd.v) |
		    ((chance(70) ? 5 : rnd() & 0xffff) << 32) |
		    ((rnd() & 0xffff) << 48);
	}
}

/* What the pointer p of call c points at, of the kind its argument's
 * name says, patched into the arena. */
static void
gen_content(struct call *c, uint64_t p, enum content kind)
{
	size_t words = kind == C_IOV || kind == C_STRV || kind == C_POLLFD ?
	    16 : kind == C_TIMES || kind == C_SIGACTION ? 4 : 2;
	uint64_t w[16];
	uint8_t *dst;

	if (p < FZ_ARENA || p >= FZ_ARENA + ARENA_SIZE)
		return;
	switch (kind) {
	case C_IOV:
		fill_iov(c, w, words);
		break;
	case C_STRV:
		fill_strv(w, words);
		break;
	case C_TIMESPEC:
		fill_timespec(w);
		break;
	case C_TIMES:
		fill_timespec(w);
		fill_timespec(w + 2);
		if (chance(30))
			w[1] = chance(50) ? 0x3fffffff : 0x3ffffffe; /* UTIME_NOW, _OMIT */
		break;
	case C_SIGACTION:
		fill_words(w, words);
		if (chance(60))
			w[0] = below(2);	/* SIG_DFL, SIG_IGN */
		break;
	case C_POLLFD:
		fill_pollfd(w, words);
		break;
	case C_RLIMIT:
		w[0] = chance(50) ? ~0UL : rand_word();
		w[1] = chance(50) ? ~0UL : rand_word();
		break;
	case C_SIZE:
		w[0] = chance(70) ? below(WRITE_BOUND) : rand_word();
		break;
	default:
		fill_words(w, words);
		break;
	}
	dst = patch_add(c, p - FZ_ARENA, words * 8);
	if (dst != NULL)
		memcpy(dst, w, MIN(words * 8, FZ_ARENA + ARENA_SIZE - p));
}

/* A path or sysctl name: a string of its set mostly, else a bad pointer
 * or a string in the arena that runs into the guard page. */
static void
gen_string(struct call *c, struct arg *a, enum sym set)
{
	uint64_t n = set == S_SYSCTL ? sizeof(sysctl_names) / sizeof(char *) :
	    sizeof(paths) / sizeof(char *);
	uint8_t *s;

	if (tame || chance(85)) {
		a->sym = (uint8_t)set;
		a->v = below(n);
	} else if (chance(50)) {
		a->v = chance(20) ? 0 : bad_ptr();
	} else {
		a->v = FZ_ARENA + ARENA_SIZE - 1 - below(32);
		s = patch_add(c, a->v - FZ_ARENA, FZ_ARENA + ARENA_SIZE - a->v);
		if (s != NULL)
			memset(s, 'z', FZ_ARENA + ARENA_SIZE - a->v);
	}
}

/* An address for the mapping calls (and brk, clone's stack). */
static void
gen_addr(struct arg *a)
{
	switch (tame ? 2 + below(4) : below(12)) {
	case 0: case 1: case 2:
		a->v = FZ_ARENA + below(ARENA_SIZE / PG) * PG;
		break;
	case 3:
		a->v = arena_ptr();
		break;
	case 4:
		a->v = 0;
		break;
	case 5: case 6:
		a->sym = S_LAST;	/* what mmap returned */
		break;
	case 7:
		a->v = PICK(bad_user_addrs);
		break;
	case 8:
		a->v = PICK(kernel_addrs);
		break;
	case 9:
		a->v = 0x1000000000UL + below(64) * PG;	/* where mmap maps */
		break;
	default:
		a->v = rand_word() & ~(PG - 1);
		break;
	}
}

/* Upper bits that a 32- or 16-bit argument must ignore, now and then. */
static uint64_t
garbage_above(uint64_t v, int width)
{
	if (width == 64 || tame || !chance(10))
		return v;
	return v | (rnd() << width);
}

static void
gen_value(struct arg *a, enum gen g)
{
	switch (g) {
	case G_FD: case G_DIRFD:
		gen_fd(a, g == G_DIRFD);
		break;
	case G_PID:
		gen_pid(a);
		break;
	case G_SIG:
		a->v = gen_sig();
		break;
	case G_CLOCK:
		a->v = gen_clock();
		break;
	case G_LEN:
		a->v = gen_len();
		break;
	case G_COUNT:
		a->v = gen_count();
		break;
	case G_SIGSETSIZE:
		a->v = gen_sigsetsize();
		break;
	case G_OFFSET:
		a->v = gen_offset();
		break;
	case G_MODE:
		a->v = chance(80) ? below(010000) : gen_flags();
		break;
	default:
		a->v = gen_flags();
		break;
	}
}

/* Bytes per unit of the length argument j: a count of pollfds or iovecs. */
static uint64_t
unit_of(const struct fz_call *fc, int j)
{
	if (strcmp(fc->arg[j], "nfds") == 0)
		return 8;
	if (strcmp(fc->arg[j], "iovcnt") == 0)
		return 16;
	return 1;
}

/*
 * The 8 bytes at p as c's patches leave them, if one of them sets all 8
 * (the last that touches them); false if none does, or only in part.
 */
static bool
patched_word(const struct call *c, uint64_t p, uint64_t *w)
{
	bool known = false;

	if (p < FZ_ARENA || p + 8 > FZ_ARENA + ARENA_SIZE)
		return false;
	for (int i = 0; i < c->npatch; i++) {
		uint64_t off = p - FZ_ARENA, s = c->patch[i].off,
		    e = s + c->patch[i].len;

		if (e <= off || s >= off + 8)
			continue;
		known = s <= off && e >= off + 8;
		if (known)
			memcpy(w, &c->data[c->patch[i].at + (off - s)], 8);
	}
	return known;
}

/* The old length sysctl is given: the word at its oldlenp, if the call's
 * patches say what it is, else as much as the arena holds. */
static uint64_t
sysctl_oldlen(const struct call *c, const struct fz_call *fc)
{
	uint64_t len;

	for (int i = 0; i < fc->nargs; i++)
		if (strcmp(fc->arg[i], "oldlenp") == 0 && c->a[i].sym == S_NONE &&
		    patched_word(c, c->a[i].v, &len))
			return len;
	return ARENA_SIZE;
}

/*
 * Record the ranges the pointer arguments of c may write: up to the
 * length argument right after the pointer if there is one (read's buf
 * and count), the old length given for sysctl's old value, else
 * WRITE_BOUND bytes.
 */
static void
given_ranges(struct call *c)
{
	const struct fz_call *fc = call_of(c->idx);

	for (int i = 0; i < fc->nargs; i++) {
		enum gen g = gen_of(fc, i);
		uint64_t len = WRITE_BOUND;

		if ((g != G_PTR && g != G_ADDR) || c->a[i].sym != S_NONE)
			continue;
		if (i + 1 < fc->nargs && (gen_of(fc, i + 1) == G_LEN ||
		    gen_of(fc, i + 1) == G_COUNT)) {
			len = c->a[i + 1].v;
			if (width_of(fc->type[i + 1]) == 32)
				len = (uint32_t)len;
			if (len <= ARENA_SIZE)
				len *= unit_of(fc, i + 1);
		} else if (strcmp(fc->arg[i], "oldbuf") == 0) {
			len = sysctl_oldlen(c, fc);
		}
		range_add(c, c->a[i].v, len);
	}
}

/* rt_sigreturn's frame: arena words at a 16-byte aligned stack pointer,
 * kept in a[0] (the call itself has no arguments). */
static void
gen_sigframe(struct call *c)
{
	uint64_t w[64];
	uint8_t *dst;

	c->a[0].v = FZ_ARENA + below(ARENA_SIZE / 16) * 16;
	fill_words(w, 64);
	dst = patch_add(c, c->a[0].v - FZ_ARENA, sizeof(w));
	if (dst != NULL)
		memcpy(dst, w, MIN(sizeof(w), FZ_ARENA + ARENA_SIZE - c->a[0].v));
}

/* A touch of len bytes (at most TOUCH_PAGES pages; 0: a random number
 * of them) at what the last call returned. */
static void
gen_touch(struct call *c, uint64_t len)
{
	memset(c, 0, sizeof(*c));
	c->idx = TOUCH;
	c->a[0].sym = S_LAST;
	c->a[1].v = len != 0 ? MIN(len, TOUCH_PAGES * PG) :
	    (1 + below(TOUCH_PAGES)) * PG;
	c->a[2].v = chance(50);
}

static void
gen_call(struct call *c)
{
	const struct fz_call *fc;

	if (chance(3)) {
		gen_touch(c, 0);
		return;
	}
	memset(c, 0, sizeof(*c));
	tame = chance(50);
	c->idx = (uint16_t)below(NCALLS);
	fc = &fz_calls[c->idx];
	for (int i = 0; i < fc->nargs; i++) {
		struct arg *a = &c->a[i];
		enum gen g = gen_of(fc, i);

		if (g == G_PATH || g == G_SYSCTL_NAME) {
			gen_string(c, a, g == G_PATH ? S_PATH : S_SYSCTL);
		} else if (g == G_ADDR) {
			gen_addr(a);
		} else if (g == G_PTR && chance(8)) {
			a->sym = S_LAST;	/* into a mapping an mmap made */
		} else if (g == G_PTR) {
			a->v = gen_ptr();
			gen_content(c, a->v, RULE(content_rules, fc->arg[i],
			    C_WORDS));
		} else if (hint_of(fc, i) != NULL && (tame || chance(50))) {
			a->v = gen_hinted(hint_of(fc, i));
		} else {
			gen_value(a, g);
		}
		if (a->sym == S_NONE)
			a->v = garbage_above(a->v, width_of(fc->type[i]));
	}
	if (fc->nr == SYS_rt_sigreturn)
		gen_sigframe(c);
	if (fc->nr == SYS_reboot && (uint32_t)c->a[0].v == 0xfee1dead)
		c->a[0].v ^= 1;		/* never the real magic: see above */
	given_ranges(c);
}

/* A child's calls; half of the mmaps are followed by a touch of what
 * they mapped (all of it, up to TOUCH_PAGES pages). */
static void
gen_child(struct child_plan *p)
{
	p->k = 1 + (int)below(FZ_MAXK);
	p->own_group = chance(50);
	for (int i = 0; i < p->k; i++) {
		const struct call *prev = i > 0 ? &p->call[i - 1] : NULL;

		if (prev != NULL && prev->idx != TOUCH &&
		    fz_calls[prev->idx].nr == SYS_mmap && chance(50)) {
			gen_touch(&p->call[i], MAX(prev->a[1].v, 1));
		} else {
			gen_call(&p->call[i]);
		}
	}
}

/* --- shared state ---------------------------------------------------------- */

/* The page the runner, its watchdog and the current child share. */
struct status {
	volatile int32_t runner;	/* its pid */
	volatile int32_t wd_pid;	/* the child the watchdog minds */
	volatile int64_t wd_deadline;	/* ms, CLOCK_MONOTONIC */
	volatile int32_t wd_killed;	/* the watchdog killed wd_pid */
	volatile int32_t cur;		/* the child's call in progress */
	volatile int32_t damaged;	/* the call after which the child saw
					 * a page no call is given changed */
	volatile int64_t ret[FZ_MAXK];
};

#define ST		((struct status *)FZ_STATUS)
#define RET_NONE	INT64_MIN	/* the call did not return */
#define RET_SKIPPED	(INT64_MIN + 1)	/* the sandbox refused it */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the runner keeps between its children. */
struct runner {
	uint64_t seed;
	unsigned batch;
	bool verbose, log;
	uint8_t base[ARENA_SIZE];	/* the arena before the child */
	uint8_t want[ARENA_SIZE];	/* ... and with its patches */
	uint8_t allowed[ARENA_SIZE];	/* 1 where the calls may write */
	uint8_t pattern[PG];		/* the canary and read-only pages */
	uint8_t sigcode[PG];		/* the trampoline page, at the start */
	bool have_sigcode;
};

/* The pages no call is given: each canary and read-only page must hold
 * the pattern, the trampoline what it held at the start. */
static const uint64_t fixed_pages[] = { FZ_CANARY_LO, FZ_CANARY_HI, FZ_RO };

/* The first byte of those pages that changed, or 0. */
static uint64_t
fixed_damage(const struct runner *r)
{
	for (size_t i = 0; i < sizeof(fixed_pages) / sizeof(fixed_pages[0]); i++) {
		const uint8_t *page = (const uint8_t *)fixed_pages[i];

		if (memcmp(page, r->pattern, PG) == 0)
			continue;
		for (size_t j = 0; j < PG; j++)
			if (page[j] != r->pattern[j])
				return fixed_pages[i] + j;
	}
	if (r->have_sigcode && memcmp(r->sigcode, (void *)SIGCODE_PAGE, PG) != 0)
		return SIGCODE_PAGE;
	return 0;
}

static void
fixed_fill(const struct runner *r)
{
	mprotect((void *)FZ_RO, PG, PROT_READ | PROT_WRITE);
	for (size_t i = 0; i < sizeof(fixed_pages) / sizeof(fixed_pages[0]); i++)
		memcpy((void *)fixed_pages[i], r->pattern, PG);
	if (mprotect((void *)FZ_RO, PG, PROT_READ) != 0) {
		perror("sysfuzz: mprotect");
		exit(2);
	}
}

/* --- the child ------------------------------------------------------------- */

/*
 * Make system call nr.  A new process that clone makes (a0 0 in the same
 * instruction stream) exits at once, in registers only: it may share our
 * stack (CLONE_VM) or have a stray one.
 */
static long
raw_syscall(long nr, const uint64_t v[6])
{
	register long a0 __asm__("a0") = (long)v[0];
	register long a1 __asm__("a1") = (long)v[1];
	register long a2 __asm__("a2") = (long)v[2];
	register long a3 __asm__("a3") = (long)v[3];
	register long a4 __asm__("a4") = (long)v[4];
	register long a5 __asm__("a5") = (long)v[5];
	register long a7 __asm__("a7") = nr;

	__asm__ volatile(
	    "ecall\n\t"
	    "bnez a0, 1f\n\t"
	    "li t0, 220\n\t"
	    "bne a7, t0, 1f\n\t"
	    "li a7, 93\n\t"
	    "ecall\n"
	    "1:"
	    : "+r"(a0), "+r"(a7)
	    : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
	    : "t0", "memory");
	return a0;
}

/* rt_sigreturn with sp in the arena: the frame it restores is arena
 * content, never our own stack (whose return addresses are our code). */
static long
raw_sigreturn(uint64_t sp)
{
	register long a0 __asm__("a0") = 0;

	__asm__ volatile(
	    "mv t1, sp\n\t"
	    "mv sp, %1\n\t"
	    "li a7, 139\n\t"
	    "ecall\n\t"
	    "mv sp, t1"
	    : "+r"(a0)
	    : "r"(sp)
	    : "t1", "a7", "memory");
	return a0;
}

static long
raw1(long nr, uint64_t a0)
{
	const uint64_t v[6] = { a0 };

	return raw_syscall(nr, v);
}

/* now_ms() without the C library, whose state a call may have damaged. */
static int64_t
raw_now_ms(void)
{
	struct timespec ts;
	const uint64_t v[6] = { CLOCK_MONOTONIC, (uint64_t)&ts };

	raw_syscall(SYS_clock_gettime, v);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pid that cannot exist: far above any this kernel hands out. */
static bool
no_such_pid(int32_t pid)
{
	return pid == INT32_MIN || pid >= 0x40000000 || pid <= -0x40000000;
}

/* May the child signal target (kill's pid, tkill's tid)?  Itself, a pid
 * that cannot exist, or its own group while it leads it. */
static bool
signal_target_ok(int32_t target, int32_t self)
{
	if (target == self || no_such_pid(target))
		return true;
	if (target == 0 || target == -self)
		return raw1(SYS_getpgid, 0) == self;
	return false;
}

/* The sandbox rules of the header: true if the call must not be made. */
static bool
sandboxed(const struct fz_call *fc, const uint64_t v[6], int32_t self)
{
	switch (fc->nr) {
	case SYS_kill:
	case SYS_tkill:
	case SYS_rt_sigqueueinfo:
		return !signal_target_ok((int32_t)v[0], self);
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		return !signal_target_ok((int32_t)v[1], self);
	default:
		return false;
	}
}

/* An argument's value in the child. */
static uint64_t
resolve(const struct arg *a, int32_t self, int64_t last)
{
	switch (a->sym) {
	case S_SELF:
		return (uint64_t)(int64_t)self;
	case S_NEG_SELF:
		return (uint64_t)-(int64_t)self;
	case S_PARENT:
		return (uint64_t)(int64_t)ST->runner;
	case S_LAST:
		return (uint64_t)last;
	case S_PATH:
		return (uint64_t)paths[a->v];
	case S_SYSCTL:
		return (uint64_t)sysctl_names[a->v];
	default:
		return a->v;
	}
}

/* Open path as descriptor want; if an earlier child removed it, the
 * sandbox directory takes its place (not "/": calls relative to the
 * descriptor must stay in the sandbox), so every child has the same
 * numbers. */
static void
open_at(int want, const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		fd = open(".", O_RDONLY);
	if (fd >= 0 && fd != want) {
		dup2(fd, want);
		close(fd);
	}
}

/*
 * The descriptors every child starts with, always the same numbers:
 * 0 in (read-only), 1 and 2 out, 3 f (read-write), 4 the directory d,
 * 5 ro (read-only), 6 and 7 a pipe with 64 bytes in it, 8 big
 * (read-only), 9 a pipe whose writer is closed.
 */
static void
child_fds(void)
{
	char buf[64];
	int p[2];

	for (int fd = 0; fd < 64; fd++)
		close(fd);
	open_at(0, "in", O_RDONLY);
	open_at(1, "out", O_WRONLY | O_CREAT | O_TRUNC);
	dup2(1, 2);
	open_at(3, "f", O_RDWR);
	open_at(4, "d", O_RDONLY | O_DIRECTORY);
	open_at(5, "ro", O_RDONLY);
	if (pipe(p) == 0) {
		memset(buf, 'p', sizeof(buf));
		if (write(p[1], buf, sizeof(buf)) < 0)
			_exit(121);
	}
	open_at(8, "big", O_RDONLY);
	if (pipe(p) == 0) {
		close(p[1]);
		if (p[0] != 9) {
			dup2(p[0], 9);
			close(p[0]);
		}
	}
}

static void
apply_patches(const struct call *c)
{
	for (int i = 0; i < c->npatch; i++)
		memcpy((uint8_t *)FZ_ARENA + c->patch[i].off,
		    &c->data[c->patch[i].at], c->patch[i].len);
}

/* The touch call: a fault the kernel cannot handle ends the child.  The
 * fuzzer's own pages (a mapping over the arena may end next to them) are
 * left alone: what is written there must be the kernel's doing. */
static long
touch(uint64_t addr, uint64_t len, bool write)
{
	for (uint64_t off = 0; off < len; off += PG) {
		volatile uint8_t *b = (volatile uint8_t *)(addr + off);

		if ((uint64_t)b >= FZ_STATE && (uint64_t)b < FZ_RO + PG)
			continue;
		if (write)
			*b = (uint8_t)off;
		else
			(void)*b;
	}
	return 0;
}

/* The runner's state, which its children inherit (and only read). */
static const struct runner *the_runner;

/* The child: its calls, one after the other, then exit.  Never returns. */
static void __attribute__((noreturn))
child_run(const struct child_plan *p)
{
	const uint64_t reap[6] = { -1UL, 0, 0x40000000 /* __WALL */ };
	int32_t self;
	int64_t last = 3;

	if (chdir(FZ_DIR) != 0)
		_exit(120);
	if (p->own_group)
		setpgid(0, 0);
	child_fds();
	self = (int32_t)raw1(SYS_getpid, 0);
	for (int i = 0; i < p->k; i++) {
		const struct call *c = &p->call[i];
		const struct fz_call *fc = call_of(c->idx);
		uint64_t v[6] = { 0 };
		long rv;

		ST->cur = i;
		ST->wd_deadline = raw_now_ms() + CHILD_MS;
		apply_patches(c);
		for (int j = 0; j < fc->nargs; j++)
			v[j] = resolve(&c->a[j], self, last);
		if (c->idx == TOUCH)
			rv = touch(v[0], v[1], v[2] != 0);
		else if (sandboxed(fc, v, self))
			rv = RET_SKIPPED;
		else if (fc->nr == SYS_rt_sigreturn)
			rv = raw_sigreturn(c->a[0].v);
		else
			rv = raw_syscall(fc->nr, v);
		ST->ret[i] = rv;
		/* Wait for what clone made: its exit clears the tid word it
		 * was given (CLONE_CHILD_CLEARTID), which must not happen
		 * while the next child's memory is being checked. */
		if (fc->nr == SYS_clone && rv > 0)
			raw_syscall(SYS_wait4, (const uint64_t[6]){ (uint64_t)rv, 0,
			    0x40000000 /* __WALL */ });
		if (rv >= 0)
			last = rv;
		if (ST->damaged < 0 && fixed_damage(the_runner) != 0)
			ST->damaged = i;
	}
	ST->cur = p->k;
	/* Reap what clone made, so that nothing outlives the batch. */
	while (raw_syscall(SYS_wait4, reap) > 0)
		;
	raw1(SYS_exit_group, 0);
	for (;;)
		;
}

/* --- the watchdog ---------------------------------------------------------- */

/*
 * Kill the child the runner waits for once its time is up; if it is still
 * there UNKILLABLE_MS later, report it and kill the runner (which waits
 * for it forever).  Ends when the runner does.  Never returns.
 */
static void __attribute__((noreturn))
watchdog(void)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	int32_t minded = 0;
	int64_t killed_at = 0;

	for (;;) {
		int32_t pid = ST->wd_pid;
		int64_t now;

		nanosleep(&tick, NULL);
		if (getppid() != ST->runner)
			_exit(0);
		now = now_ms();
		if (pid == 0 || now < ST->wd_deadline)
			continue;
		if (pid != minded) {
			minded = pid;
			killed_at = now;
			ST->wd_killed = 1;
			kill(pid, SIGKILL);
		} else if (now - killed_at > UNKILLABLE_MS && ST->wd_pid == pid) {
			printf("FINDING hang: child %d survives SIGKILL for %d ms "
			    "in its call %d\n", pid, UNKILLABLE_MS, ST->cur);
			kill(ST->runner, SIGKILL);
			_exit(0);
		}
	}
}

/* --- the runner ------------------------------------------------------------ */

/* Buckets of the histogram: 0 success, 1..NERRNO an errno, then these. */
#define NERRNO		133
#define B_OTHER		(NERRNO + 1)	/* a negative result that is no errno */
#define B_NORET		(NERRNO + 2)	/* ended the child (exit, a signal) */
#define B_KILLED	(NERRNO + 3)	/* blocked: the watchdog killed it */
#define B_SKIPPED	(NERRNO + 4)	/* the sandbox refused it */
#define NBUCKETS	(NERRNO + 5)

struct stats {
	uint64_t children;
	uint64_t findings;
	uint64_t n[NCALLS + 1][NBUCKETS];	/* and touch */
};

/* The run's counts: in the top, and in the runner's shared region. */
static struct stats *stats;

static void
map_shared(uint64_t addr, size_t len, int prot)
{
	if (mmap((void *)addr, len, prot, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
	    -1, 0) != (void *)addr) {
		perror("sysfuzz: mmap");
		exit(2);
	}
}

/* Map the status page, canaries, arena and read-only page; fill them. */
static void
regions_setup(struct runner *r, bool on_vmk)
{
	map_shared(FZ_STATUS, PG, PROT_READ | PROT_WRITE);
	map_shared(FZ_CANARY_LO, PG + ARENA_SIZE, PROT_READ | PROT_WRITE);
	map_shared(FZ_CANARY_HI, PG, PROT_READ | PROT_WRITE);
	map_shared(FZ_RO, PG, PROT_READ | PROT_WRITE);
	for (size_t i = 0; i < PG; i++)
		r->pattern[i] = (uint8_t)(0xc5 ^ i ^ (i >> 8));
	fixed_fill(r);
	/* Only vmk has the trampoline page (qemu-riscv64 maps none there). */
	r->have_sigcode = on_vmk;
	if (on_vmk)
		memcpy(r->sigcode, (void *)SIGCODE_PAGE, PG);
}

static void
format_arg(char *buf, size_t len, const struct fz_call *fc, int i,
    const struct arg *a)
{
	static const char *const syms[] = { "", "SELF", "-SELF", "PARENT", "LAST" };
	const char *s;

	if (a->sym == S_PATH || a->sym == S_SYSCTL) {
		s = a->sym == S_PATH ? paths[a->v] : sysctl_names[a->v];
		if (strlen(s) > 40)
			snprintf(buf, len, "\"%.8s...\"(%zu)", s, strlen(s));
		else
			snprintf(buf, len, "\"%s\"", s);
	} else if (a->sym != S_NONE) {
		snprintf(buf, len, "%s", syms[a->sym]);
	} else if (strcmp(fc->type[i], "uaddr_t") == 0 && a->v >= FZ_ARENA &&
	    a->v < FZ_ARENA + ARENA_SIZE) {
		snprintf(buf, len, "A+%#lx", a->v - FZ_ARENA);
	} else if (a->v < 4096 || a->v > -4096UL) {
		snprintf(buf, len, "%ld", (long)a->v);
	} else {
		snprintf(buf, len, "%#lx", a->v);
	}
}

static void
format_call(char *buf, size_t len, const struct call *c)
{
	const struct fz_call *fc = call_of(c->idx);
	size_t n = (size_t)snprintf(buf, len, "%s(", fc->name);

	for (int i = 0; i < fc->nargs && n < len; i++) {
		char a[96];

		format_arg(a, sizeof(a), fc, i, &c->a[i]);
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", a);
	}
	if (n < len)
		snprintf(buf + n, len - n, ")");
}

static void
format_ret(char *buf, size_t len, int64_t rv)
{
	if (rv == RET_NONE)
		snprintf(buf, len, "(did not return)");
	else if (rv == RET_SKIPPED)
		snprintf(buf, len, "(skipped: sandbox)");
	else if (rv < 0 && rv >= -4095)
		snprintf(buf, len, "-%s", strerrorname_np((int)-rv) ?
		    strerrorname_np((int)-rv) : "E?");
	else if (rv >= 0 && rv < 0x10000)
		snprintf(buf, len, "%ld", rv);
	else
		snprintf(buf, len, "%#lx", (uint64_t)rv);
}

/* Where one call of one child is, for the reports: seed, batch, child,
 * call, and the call itself. */
static void
report(const struct runner *r, unsigned child, int i, const struct call *c,
    const char *what)
{
	char call[512];

	format_call(call, sizeof(call), c);
	printf("FINDING %s: seed %lu batch %u child %u call %d: %s\n", what,
	    r->seed, r->batch, child, i, call);
	stats->findings++;
}

/* Fill the arena with this child's random bytes; work out what it must
 * hold afterwards outside the ranges the calls are given. */
static void
arena_prepare(struct runner *r)
{
	for (size_t i = 0; i < ARENA_SIZE; i += 8) {
		uint64_t w = rnd();

		memcpy(&r->base[i], &w, 8);
	}
	memcpy((void *)FZ_ARENA, r->base, ARENA_SIZE);
}

/* What the arena must hold after calls 0..last (their patches applied),
 * and which bytes the calls may write (their ranges, and the last call's
 * patches, which a child that died there may not have finished). */
static void
arena_expect(struct runner *r, const struct child_plan *p, int last)
{
	memcpy(r->want, r->base, ARENA_SIZE);
	memset(r->allowed, 0, ARENA_SIZE);
	for (int i = 0; i <= last && i < p->k; i++) {
		const struct call *c = &p->call[i];

		for (int j = 0; j < c->npatch; j++) {
			memcpy(&r->want[c->patch[j].off], &c->data[c->patch[j].at],
			    c->patch[j].len);
			if (i == last)
				memset(&r->allowed[c->patch[j].off], 1,
				    c->patch[j].len);
		}
		for (int j = 0; j < c->nrange; j++)
			memset(&r->allowed[c->range[j].off], 1, c->range[j].len);
	}
}

/*
 * After the child's calls 0..last: the pages no call is given must be as
 * they were (the child checks them after each call, so the call that
 * damaged them is known), and the arena must hold outside the ranges its
 * calls were given what it held before them.
 */
static void
check_memory(struct runner *r, const struct child_plan *p, unsigned child,
    int last)
{
	int at = last < p->k ? last : p->k - 1;
	const uint8_t *arena = (const uint8_t *)FZ_ARENA;
	char what[160];
	uint64_t bad = fixed_damage(r);

	if (bad != 0) {
		if (ST->damaged >= 0)
			at = ST->damaged;
		snprintf(what, sizeof(what), "%s at %#lx changed",
		    bad == SIGCODE_PAGE ? "the signal trampoline page" :
		    "a page no call is given", bad);
		report(r, child, at, &p->call[at], what);
		fixed_fill(r);
		if (bad == SIGCODE_PAGE)
			r->have_sigcode = false;
	}
	arena_expect(r, p, last);
	for (size_t i = 0; i < ARENA_SIZE; i++) {
		if (r->allowed[i] || arena[i] == r->want[i])
			continue;
		snprintf(what, sizeof(what), "arena byte A+%#zx changed from %#x "
		    "to %#x outside every range given (by this call or one "
		    "before it in the child)", i, r->want[i], arena[i]);
		report(r, child, at, &p->call[at], what);
		break;
	}
}

static unsigned
bucket_of(int64_t rv)
{
	if (rv == RET_NONE)
		return B_NORET;
	if (rv == RET_SKIPPED)
		return B_SKIPPED;
	if (rv >= 0 || rv < -4095)
		return 0;	/* an address or a count */
	return -rv <= NERRNO ? (unsigned)-rv : B_OTHER;
}

/* Count the calls the child made; log them with -l. */
static void
account(struct runner *r, const struct child_plan *p, unsigned child,
    int status)
{
	int last = ST->cur;

	for (int i = 0; i <= last && i < p->k; i++) {
		int64_t rv = ST->ret[i];
		unsigned b = bucket_of(rv);

		/* Blocked if the watchdog's SIGKILL is what ended it (a child
		 * that died on its own first was only slow to be reaped). */
		if (b == B_NORET && ST->wd_killed && i == last &&
		    WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
			b = B_KILLED;
		stats->n[p->call[i].idx][b]++;
		if (r->log) {
			char call[512], ret[64];

			format_call(call, sizeof(call), &p->call[i]);
			if (b == B_KILLED)
				snprintf(ret, sizeof(ret), "(blocked: killed)");
			else if (b == B_NORET && WIFSIGNALED(status))
				snprintf(ret, sizeof(ret), "(died: %s)",
				    sigabbrev_np(WTERMSIG(status)) ?
				    sigabbrev_np(WTERMSIG(status)) : "?");
			else if (b == B_NORET)
				snprintf(ret, sizeof(ret), "(exited %d)",
				    WEXITSTATUS(status));
			else
				format_ret(ret, sizeof(ret), rv);
			printf("%u.%u.%d %s = %s\n", r->batch, child, i, call, ret);
		}
	}
}

static void
print_plan(const struct runner *r, const struct child_plan *p, unsigned child)
{
	for (int i = 0; i < p->k; i++) {
		char call[512];

		format_call(call, sizeof(call), &p->call[i]);
		printf("%u.%u.%d %s\n", r->batch, child, i, call);
	}
}

/* Reap children that are not the watchdog (clone's, through CLONE_PARENT
 * or a reparenting, should there ever be any). */
static void
reap_strays(pid_t wd)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, WNOHANG | __WALL)) > 0)
		if (pid == wd)
			printf("sysfuzz: the watchdog died\n");
}

/* Run one child through its calls and check what they did. */
static void
run_child(struct runner *r, const struct child_plan *p, unsigned child,
    pid_t wd)
{
	int status = 0;
	pid_t pid;

	arena_prepare(r);
	ST->cur = -1;
	ST->damaged = -1;
	for (int i = 0; i < FZ_MAXK; i++)
		ST->ret[i] = RET_NONE;
	ST->wd_killed = 0;
	ST->wd_deadline = now_ms() + SETUP_MS;
	if (r->verbose)
		print_plan(r, p, child);
	pid = fork();
	if (pid == 0)
		child_run(p);
	if (pid < 0) {
		perror("sysfuzz: fork");
		exit(2);
	}
	ST->wd_pid = pid;
	while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
		;
	ST->wd_pid = 0;
	stats->children++;
	account(r, p, child, status);
	check_memory(r, p, child, ST->cur);
	reap_strays(wd);
}

static void
stats_load(void)
{
	int fd = open(FZ_STATS, O_RDONLY);

	memset(stats, 0, sizeof(*stats));
	if (fd < 0)
		return;
	if (read(fd, stats, sizeof(*stats)) != (ssize_t)sizeof(*stats))
		memset(stats, 0, sizeof(*stats));
	close(fd);
}

static void
stats_save(void)
{
	int fd = open(FZ_STATS, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, stats, sizeof(*stats)) != (ssize_t)sizeof(*stats))
		perror("sysfuzz: " FZ_STATS);
	if (fd >= 0)
		close(fd);
}

/*
 * The runner of batch b: about ncalls calls in children, with the
 * watchdog.  Adds to the statistics in FZ_STATS.  Exit status 0, or 1 if
 * there were findings.
 */
static int
runner_main(uint64_t seed, unsigned b, uint64_t ncalls, bool verbose, bool log,
    bool on_vmk)
{
	struct runner_state {
		struct runner r;
		struct child_plan plan;
		struct stats stats;
	} *rs = (struct runner_state *)FZ_STATE;
	uint64_t planned = 0, findings;
	unsigned child = 0;
	pid_t wd;

	map_shared(FZ_STATE, (sizeof(*rs) + PG - 1) & ~(PG - 1),
	    PROT_READ | PROT_WRITE);
	stats = &rs->stats;
	rs->r.seed = seed;
	rs->r.batch = b;
	rs->r.verbose = verbose;
	rs->r.log = log;
	the_runner = &rs->r;
	regions_setup(&rs->r, on_vmk);
	stats_load();
	findings = stats->findings;
	ST->runner = getpid();
	wd = fork();
	if (wd == 0)
		watchdog();
	rng_state = splitmix(seed ^ splitmix(b));
	while (planned < ncalls) {
		gen_child(&rs->plan);
		planned += (uint64_t)rs->plan.k;
		run_child(&rs->r, &rs->plan, child++, wd);
	}
	kill(wd, SIGKILL);
	waitpid(wd, NULL, 0);
	stats_save();
	return stats->findings != findings;
}

/* --- the top: batches, the sandbox, leak checks ---------------------------- */

/* rm -rf: also of directories a child left without permissions. */
static void
remove_tree(int dirfd, const char *name)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode))
		fchmodat(dirfd, name, 0700, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

	if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				remove_tree(fd, e->d_name);
		closedir(d);
		unlinkat(dirfd, name, AT_REMOVEDIR);
	} else {
		if (fd >= 0)
			close(fd);
		unlinkat(dirfd, name, 0);
	}
}

static void
make_file(const char *name, size_t size, int mode)
{
	char path[64], buf[4096];
	int fd;

	snprintf(path, sizeof(path), FZ_DIR "/%s", name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	for (size_t off = 0; off < size; off += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (char)('a' + (off + i) % 26);
		if (write(fd, buf, MIN(sizeof(buf), size - off)) < 0)
			perror(path);
	}
	close(fd);
}

/* A fresh sandbox: the files and directories the paths name. */
static void
sandbox_reset(void)
{
	remove_tree(AT_FDCWD, FZ_DIR);
	if (mkdir(FZ_DIR, 0755) != 0 || mkdir(FZ_DIR "/d", 0755) != 0) {
		perror("sysfuzz: " FZ_DIR);
		exit(2);
	}
	make_file("f", 8192, 0644);
	make_file("in", 1000, 0444);
	make_file("ro", 100, 0444);
	make_file("exe", 100, 0755);
	make_file("big", 256 * 1024, 0644);
	make_file("d/x", 10, 0644);
	if (symlink("f", FZ_DIR "/ln") != 0 ||
	    symlink("loop", FZ_DIR "/loop") != 0 ||
	    symlink("/nowhere", FZ_DIR "/dangle") != 0)
		perror("sysfuzz: symlink");
}

struct baseline {
	uint64_t free_pages;
	uint64_t objects;
};

/* As stressrun: with the file caches drained, free pages and live objects
 * must come back exactly. */
static void
baseline_take(struct baseline *b)
{
	int32_t one = 1;

	vmk_sysctl("vfs.drain_caches", NULL, NULL, &one, sizeof(one));
	b->free_pages = vmk_sysctl_u64("vm.stats.vm.v_free_count");
	b->objects = vmk_sysctl_u64("vm.stats.object.live_anon") +
	    vmk_sysctl_u64("vm.stats.object.live_vnode");
}

/*
 * Read every page of this program's file image.  The runners run code
 * and read data of it that the top does not, and those pages stay cached
 * in its vnode (which is in use, so draining the caches keeps them): had
 * they not been read before the first baseline, they would look like a
 * leak.
 */
static void
binary_in_core(void)
{
	extern const char __executable_start[], _edata[];
	volatile const char *p;

	for (p = __executable_start; p < _edata; p += PG)
		(void)*p;
}

static int32_t
nprocs(void)
{
	int32_t n = 0;
	size_t len = sizeof(n);

	vmk_sysctl("kern.nprocs", &n, &len, NULL, 0);
	return n;
}

/* Wait (up to two seconds) until only the processes of before are left:
 * init reaps what the children left behind. */
static void
quiesce(int32_t before)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 200 && nprocs() > before; i++)
		nanosleep(&tick, NULL);
}

/*
 * Run batch b in a runner: on vmk vfork and exec, so that our own memory
 * does not turn copy-on-write around the measurement; elsewhere (under
 * qemu-riscv64, which cannot exec a guest binary) fork.  Returns the
 * runner's exit status, or 128 + the signal that killed it.
 */
static int
batch_run(char *self, uint64_t seed, unsigned b, uint64_t ncalls, bool verbose,
    bool log, bool on_vmk)
{
	char s_seed[32], s_b[16], s_n[32];
	char *argv[] = { self, "--batch", s_seed, s_b, s_n,
	    verbose ? "-v" : "-", log ? "-l" : "-", NULL };
	int status;
	pid_t pid;

	snprintf(s_seed, sizeof(s_seed), "%lu", seed);
	snprintf(s_b, sizeof(s_b), "%u", b);
	snprintf(s_n, sizeof(s_n), "%lu", ncalls);
	pid = on_vmk ? vfork() : fork();
	if (pid == 0 && on_vmk) {
		execv(self, argv);
		_exit(127);
	}
	if (pid == 0)
		_exit(runner_main(seed, b, ncalls, verbose, log, on_vmk));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const char *
bucket_name(unsigned b)
{
	static char buf[16];

	switch (b) {
	case 0:
		return "ok";
	case B_OTHER:
		return "other";
	case B_NORET:
		return "ended-child";
	case B_KILLED:
		return "blocked";
	case B_SKIPPED:
		return "skipped";
	default:
		if (strerrorname_np((int)b) != NULL)
			return strerrorname_np((int)b);
		snprintf(buf, sizeof(buf), "errno%u", b);
		return buf;
	}
}

/* Print the buckets of counts n[] with a count, largest first. */
static void
print_buckets(const uint64_t n[NBUCKETS], unsigned max)
{
	bool done[NBUCKETS] = { false };

	for (unsigned shown = 0; shown < max; shown++) {
		unsigned best = NBUCKETS;

		for (unsigned b = 0; b < NBUCKETS; b++)
			if (!done[b] && n[b] != 0 && (best == NBUCKETS ||
			    n[b] > n[best]))
				best = b;
		if (best == NBUCKETS)
			break;
		done[best] = true;
		printf(" %s %lu", bucket_name(best), n[best]);
	}
	printf("\n");
}

static void
print_histogram(void)
{
	uint64_t all[NBUCKETS] = { 0 }, made = 0, skipped = 0;

	for (size_t c = 0; c <= NCALLS; c++) {
		uint64_t total = 0;

		for (unsigned b = 0; b < NBUCKETS; b++) {
			all[b] += stats->n[c][b];
			total += stats->n[c][b];
		}
		printf("sysfuzz: %-16s %6lu:", call_of(c)->name, total);
		print_buckets(stats->n[c], 6);
		made += total - stats->n[c][B_SKIPPED];
		skipped += stats->n[c][B_SKIPPED];
	}
	printf("sysfuzz: errno histogram:");
	print_buckets(all, NBUCKETS);
	printf("sysfuzz: %lu calls made in %lu children, %lu skipped by the "
	    "sandbox, %lu findings\n", made, stats->children, skipped,
	    stats->findings);
}

static uint64_t
option(int argc, char **argv, const char *flag, const char *env,
    uint64_t dflt)
{
	const char *v = getenv(env);

	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			v = argv[i + 1];
	return v != NULL ? strtoull(v, NULL, 0) : dflt;
}

static bool
flag_set(int argc, char **argv, const char *flag, const char *env)
{
	const char *v = getenv(env);

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return true;
	return v != NULL && strcmp(v, "0") != 0;
}

/* Judge batch b: the runner's status and the leak check. */
static bool
batch_judge(unsigned b, int rv, const struct baseline *b0,
    const struct baseline *b1, bool on_vmk)
{
	if (rv != 0) {
		printf("TEST sysfuzz_batch%u: FAIL %s\n", b, rv == 1 ?
		    "findings (FINDING lines above)" : "the runner died");
		return false;
	}
	if (on_vmk && (b1->free_pages != b0->free_pages ||
	    b1->objects != b0->objects)) {
		printf("FINDING leak: batch %u: free pages %lu -> %lu, objects "
		    "%lu -> %lu\n", b, b0->free_pages, b1->free_pages,
		    b0->objects, b1->objects);
		printf("TEST sysfuzz_batch%u: FAIL leak\n", b);
		return false;
	}
	printf("TEST sysfuzz_batch%u: PASS\n", b);
	return true;
}

int
main(int argc, char **argv)
{
	uint64_t seed, calls, batch, first;
	bool verbose, log, on_vmk;
	static struct stats top_stats;
	int32_t off = 0, was = 1;
	size_t len = sizeof(was);
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	stats = &top_stats;
	hints_check();
	for (size_t i = 0; i + 3 < sizeof(long_path); i += 2)
		memcpy(&long_path[i], "d/", 2);
	on_vmk = vmk_sysctl("kern.logsigexit", &was, &len, NULL, 0) == 0;
	if (argc == 7 && strcmp(argv[1], "--batch") == 0)
		return runner_main(strtoull(argv[2], NULL, 0), (unsigned)atoi(argv[3]),
		    strtoull(argv[4], NULL, 0), argv[5][1] == 'v', argv[6][1] == 'l',
		    on_vmk);
	seed = option(argc, argv, "-s", "fuzz_seed", (uint64_t)time(NULL));
	calls = option(argc, argv, "-n", "fuzz_calls", 2000);
	batch = option(argc, argv, "-b", "fuzz_batch", 500);
	first = option(argc, argv, "-f", "fuzz_first", 0);
	verbose = flag_set(argc, argv, "-v", "fuzz_verbose");
	log = flag_set(argc, argv, "-l", "fuzz_log");
	printf("sysfuzz: seed %lu, %lu calls in batches of %lu from batch %lu%s\n",
	    seed, calls, batch, first,
	    on_vmk ? "" : " (not vmk: no leak or trampoline checks)");
	/* A child killed by a fault is routine here: do not log each one. */
	if (on_vmk)
		vmk_sysctl("kern.logsigexit", NULL, NULL, &off, sizeof(off));
	mkdir("/var", 0755);
	mkdir(FZ_TOP, 01777);
	unlink(FZ_STATS);
	binary_in_core();
	for (unsigned b = (unsigned)first; (b - first) * batch < calls; b++) {
		struct baseline b0 = { 0, 0 }, b1 = { 0, 0 };
		int32_t procs = on_vmk ? nprocs() : 0;
		int rv;

		sandbox_reset();
		if (on_vmk)
			baseline_take(&b0);
		printf("sysfuzz: batch %u\n", b);
		rv = batch_run(argv[0], seed, b, MIN(batch, calls - (b - first) * batch),
		    verbose, log, on_vmk);
		if (on_vmk) {
			quiesce(procs);
			baseline_take(&b1);
		}
		if (batch_judge(b, rv, &b0, &b1, on_vmk))
			passed++;
		else
			failed++;
		if (rv > 1)
			break;
	}
	stats_load();
	print_histogram();
	remove_tree(AT_FDCWD, FZ_DIR);
	if (on_vmk)
		vmk_sysctl("kern.logsigexit", NULL, NULL, &was, sizeof(was));
	printf("sysfuzz: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
