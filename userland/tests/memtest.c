/*
 * memtest: the memory-pressure suite, run by booting a small machine
 * (check.py gives it 64 MiB) with init=/test/memtest.  File data larger
 * than RAM must go through the page cache and come back intact (the page
 * daemon reclaims clean pages and writes dirty ones back); anonymous
 * memory larger than RAM goes to swap (the machine boots with swap=vdb,
 * a disk prepared by mkswap) and comes back intact through fork and COW,
 * without leaking swap; an anonymous hog with nowhere to page to (swap
 * turned off) is killed by the out-of-memory policy, with SIGKILL, and
 * the system goes on.  "memtest NAME..." runs only those.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <sys/stat.h>

#include "testrun.h"
#include "vmksys.h"

#define BIG_FILE	"/memtest.big"	/* on the root ext2: /tmp is tmpfs */
#define BIG_BYTES	(80UL << 20)	/* more than the machine's RAM */
#define CHUNK		(64UL << 10)

/* The pattern word at byte offset off of a file made with seed. */
static uint64_t
pattern(uint64_t off, uint64_t seed)
{
	return (off * 0x9e3779b97f4a7c15ULL) ^ seed;
}

static void
fill_chunk(uint64_t *buf, uint64_t off, uint64_t seed)
{
	for (size_t i = 0; i < CHUNK / 8; i++)
		buf[i] = pattern(off + i * 8, seed);
}

/* Write BIG_BYTES of pattern to path with write(2); every write must be whole. */
static void
write_big_path(const char *path, uint64_t seed)
{
	uint64_t *buf = malloc(CHUNK);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(buf != NULL && fd >= 0);
	for (uint64_t off = 0; off < BIG_BYTES; off += CHUNK) {
		fill_chunk(buf, off, seed);
		CHECK(write(fd, buf, CHUNK) == (ssize_t)CHUNK);
	}
	CHECK(close(fd) == 0);
	free(buf);
}

/* Read path back with read(2) and compare every word. */
static void
verify_big_path(const char *path, uint64_t seed)
{
	uint64_t *buf = malloc(CHUNK), *want = malloc(CHUNK);
	int fd = open(path, O_RDONLY);

	CHECK(buf != NULL && want != NULL && fd >= 0);
	for (uint64_t off = 0; off < BIG_BYTES; off += CHUNK) {
		fill_chunk(want, off, seed);
		CHECK(read(fd, buf, CHUNK) == (ssize_t)CHUNK);
		CHECK(memcmp(buf, want, CHUNK) == 0);
	}
	CHECK(read(fd, buf, CHUNK) == 0);
	CHECK(close(fd) == 0);
	free(buf);
	free(want);
}

static void
write_big_file(uint64_t seed)
{
	write_big_path(BIG_FILE, seed);
}

static void
verify_big_file(uint64_t seed)
{
	verify_big_path(BIG_FILE, seed);
}

/* write(2) and read(2) of a file larger than RAM. */
static void
t_file_write_read_bigger_than_ram(void)
{
	uint64_t freed = vmk_sysctl_u64("vm.stats.vm.v_dfree");

	write_big_file(1);
	verify_big_file(1);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_dfree") > freed);
	CHECK(unlink(BIG_FILE) == 0);
}

/* Reading a file larger than RAM through a shared mapping. */
static void
t_file_mmap_read_bigger_than_ram(void)
{
	const uint64_t *p;
	int fd;

	write_big_file(2);
	fd = open(BIG_FILE, O_RDONLY);
	CHECK(fd >= 0);
	p = mmap(NULL, BIG_BYTES, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	for (uint64_t off = 0; off < BIG_BYTES; off += 8)
		CHECK(p[off / 8] == pattern(off, 2));
	CHECK(munmap((void *)p, BIG_BYTES) == 0);
	CHECK(close(fd) == 0);
	CHECK(unlink(BIG_FILE) == 0);
}

/*
 * Writing a file larger than RAM through a shared mapping: the page
 * daemon must write dirty pages back to make room; read(2) then sees
 * every word.
 */
static void
t_file_mmap_write_bigger_than_ram(void)
{
	uint64_t outs = vmk_sysctl_u64("vm.stats.vm.v_vnodepgsout");
	uint64_t *p;
	int fd = open(BIG_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	CHECK(ftruncate(fd, BIG_BYTES) == 0);
	p = mmap(NULL, BIG_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	for (uint64_t off = 0; off < BIG_BYTES; off += 8)
		p[off / 8] = pattern(off, 3);
	/* More than RAM went out before the unmap: the daemon wrote it. */
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_vnodepgsout") - outs >
	    (BIG_BYTES >> 12) / 4);
	CHECK(munmap(p, BIG_BYTES) == 0);
	CHECK(close(fd) == 0);
	verify_big_file(3);
	CHECK(unlink(BIG_FILE) == 0);
}

/* --- with swap (the machine boots with swap=vdb) ------------------- */

#define SWAP_DEV	"/dev/vdb"
#define WORDS_PER_PAGE	(4096 / 8)

static uint64_t
swap_used(void)
{
	return vmk_sysctl_u64("vm.swap_used");
}

/* Fill npages of p with generation gen's pattern (a few words a page). */
static void
fill_pages(uint64_t *p, size_t first, size_t end, uint64_t gen)
{
	for (size_t pg = first; pg < end; pg++)
		for (size_t w = 0; w < WORDS_PER_PAGE; w += 64)
			p[pg * WORDS_PER_PAGE + w] = pattern(pg * 4096 + w * 8, gen);
}

/* 0 if pages [first, end) of p hold generation gen, else the bad page + 1. */
static size_t
check_pages(const uint64_t *p, size_t first, size_t end, uint64_t gen)
{
	for (size_t pg = first; pg < end; pg++)
		for (size_t w = 0; w < WORDS_PER_PAGE; w += 64)
			if (p[pg * WORDS_PER_PAGE + w] != pattern(pg * 4096 + w * 8, gen))
				return pg + 1;
	return 0;
}

static uint64_t *
map_anon(size_t npages)
{
	uint64_t *p = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

static int
wait_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0;
}

/*
 * A working set of twice RAM, filled, forked, a quarter rewritten by
 * the child: both see exactly their own data, through swap.
 */
static void
t_swap_working_set_twice_ram(void)
{
	const size_t npages = (128UL << 20) / 4096;
	uint64_t outs = vmk_sysctl_u64("vm.stats.vm.v_swappgsout");
	uint64_t ins = vmk_sysctl_u64("vm.stats.vm.v_swappgsin");
	uint64_t *p = map_anon(npages);
	pid_t pid;

	fill_pages(p, 0, npages, 1);
	CHECK(check_pages(p, 0, npages, 1) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		fill_pages(p, 0, npages / 4, 2);
		_exit(check_pages(p, 0, npages / 4, 2) == 0 &&
		    check_pages(p, npages / 4, npages, 1) == 0 ? 0 : 1);
	}
	CHECK(wait_ok(pid));
	CHECK(check_pages(p, 0, npages, 1) == 0);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_swappgsout") - outs > npages / 2);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_swappgsin") - ins > npages / 4);
}

/* Eight processes of 24 MiB each (three times RAM), all verified. */
static void
t_swap_fork_tree_under_pressure(void)
{
	const size_t npages = (24UL << 20) / 4096;
	pid_t pids[8];

	for (int i = 0; i < 8; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0) {
			uint64_t *p = map_anon(npages);

			fill_pages(p, 0, npages, 10 + i);
			for (int round = 0; round < 3; round++) {
				sched_yield();
				if (check_pages(p, 0, npages, 10 + i) != 0)
					_exit(1);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < 8; i++)
		CHECK(wait_ok(pids[i]));
}

/*
 * The swap leak: the child rewrites everything, both generations go to
 * swap, the child exits and the parent's next fork collapses its chain.
 * The parent then holds at most its own pages on swap, and once it is
 * gone usage is back where it was (give or take the idle test runner's
 * own pages, which the pressure may push out meanwhile).
 */
static void
t_swap_no_leak_after_collapse(void)
{
	const size_t npages = (48UL << 20) / 4096;
	uint64_t base = swap_used();
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		uint64_t *p = map_anon(npages);
		pid_t c;

		fill_pages(p, 0, npages, 1);
		c = fork();
		if (c == 0) {
			fill_pages(p, 0, npages, 2);
			_exit(check_pages(p, 0, npages, 2) == 0 ? 0 : 1);
		}
		if (!wait_ok(c))
			_exit(2);
		/* Another fork: the chain collapses; its dead copies go. */
		c = fork();
		if (c == 0)
			_exit(0);
		if (!wait_ok(c))
			_exit(3);
		if (check_pages(p, 0, npages, 1) != 0)
			_exit(4);
		if (swap_used() > base + npages + 256)
			_exit(5);
		_exit(0);
	}
	CHECK(wait_ok(pid));
	CHECK(swap_used() <= base + 256);
}

/* swapon/swapoff errors as Linux gives them; swapoff brings pages back. */
static void
t_swapon_swapoff(void)
{
	CHECK(vmk_sysctl_u64("vm.swap_total") > 0);
	CHECK(swapon(SWAP_DEV, 0) == -1 && errno == EBUSY);
	CHECK(swapon("/dev/nosuchdisk", 0) == -1 && errno == ENOENT);
	CHECK(swapon("/dev/vda", 0) == -1 && errno == EBUSY);	/* mounted */
	CHECK(swapon("/", 0) == -1 && errno == EINVAL);	/* not a disk */
	CHECK(swapon(SWAP_DEV, -1) == -1 && errno == EINVAL);
	CHECK(swapon((const char *)8, 0) == -1 && errno == EFAULT);
	CHECK(swapoff("/dev/vda") == -1 && errno == EINVAL);
	CHECK(swapoff(SWAP_DEV) == 0);
	CHECK(vmk_sysctl_u64("vm.swap_total") == 0);
	CHECK(vmk_sysctl_u64("vm.swap_used") == 0);
	CHECK(swapoff(SWAP_DEV) == -1 && errno == EINVAL);
	CHECK(swapon(SWAP_DEV, 0) == 0);
}

/* Set a sysctl int tunable, returning the old value. */
static int
set_tunable(const char *name, int value)
{
	int old = 0;
	size_t len = sizeof(old);

	CHECK(vmk_sysctl(name, &old, &len, &value, sizeof(value)) == 0);
	return old;
}

/*
 * vm.max_map_count caps the entries of one address space: mmap fails
 * with ENOMEM at the cap, and so does a munmap or mprotect that would
 * split an entry; below it all works again.
 */
static void
t_max_map_count(void)
{
	int old = set_tunable("vm.max_map_count", 64);
	char *big, *p;
	int n = 0;

	big = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	while ((p = mmap(NULL, 4096, n % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) != MAP_FAILED)
		n++;
	CHECK(errno == ENOMEM);
	CHECK(n > 0 && n < 64);
	CHECK(munmap(big + 4096, 4096) == -1 && errno == ENOMEM);
	CHECK(mprotect(big + 4096, 4096, PROT_READ) == -1 && errno == ENOMEM);
	set_tunable("vm.max_map_count", old);
	CHECK(munmap(big + 4096, 4096) == 0);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
	    MAP_FAILED);
}

/*
 * Overcommit, as Linux: in mode 0 only a request larger than RAM plus
 * swap is refused, and PROT_NONE or MAP_NORESERVE reservations are not
 * charged (until made writable); in mode 2 the committed total stays
 * within vm.commit_limit, for mmap, mprotect, brk and fork alike.
 */
static void
t_overcommit(void)
{
	const size_t huge = 100UL << 30;	/* far more than RAM + swap */
	uint64_t base = vmk_sysctl_u64("vm.committed_as"), limit, room;
	char *p, *q;
	int old, status;
	pid_t pid;

	CHECK(mmap(NULL, huge, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
	p = mmap(NULL, huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(vmk_sysctl_u64("vm.committed_as") == base);
	CHECK(mprotect(p, huge, PROT_READ | PROT_WRITE) == -1 && errno == ENOMEM);
	CHECK(mprotect(p, 1 << 20, PROT_READ | PROT_WRITE) == 0);
	CHECK(vmk_sysctl_u64("vm.committed_as") == base + 256);
	p[12345] = 1;
	CHECK(munmap(p, huge) == 0);
	CHECK(vmk_sysctl_u64("vm.committed_as") == base);
	p = mmap(NULL, huge, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(p != MAP_FAILED);
	p[huge / 2] = 1;
	CHECK(munmap(p, huge) == 0);

	old = set_tunable("vm.overcommit_memory", 2);
	limit = vmk_sysctl_u64("vm.commit_limit");
	base = vmk_sysctl_u64("vm.committed_as");
	CHECK(limit > base);
	room = limit - base;
	CHECK(mmap(NULL, (room + 1) * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == ENOMEM);
	CHECK(mmap(NULL, (room + 1) * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED &&
	    errno == ENOMEM);
	q = mmap(NULL, room / 3 * 2 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	/* The child would need the same again: fork is refused. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid == -1 && errno == ENOMEM);
	CHECK(sbrk((intptr_t)(room / 2 * 4096)) == (void *)-1 && errno == ENOMEM);
	CHECK(munmap(q, room / 3 * 2 * 4096) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	CHECK(waitpid(pid, &status, 0) == pid);
	set_tunable("vm.overcommit_memory", old);
	CHECK(vmk_sysctl_u64("vm.committed_as") == base);
}

#define BOMB_FORK_FAILED	1	/* a fork was refused (EAGAIN/ENOMEM) */
#define BOMB_BAD_DEATH		2	/* a process died of a fault signal */
#define BOMB_BAD_ERRNO		4	/* fork failed some other way */

/*
 * One process of the fork bomb: fork two children down to depth 0, each
 * touching a little memory of its own, and report (as the exit status)
 * what happened in its subtree.
 */
static int
bomb(int depth)
{
	int report = 0;
	pid_t kids[2];
	int n = 0;
	char *mine = malloc(16384);

	if (mine != NULL)
		memset(mine, depth, 16384);
	for (int i = 0; i < 2 && depth > 0; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(bomb(depth - 1));
		if (pid > 0)
			kids[n++] = pid;
		else if (errno == EAGAIN || errno == ENOMEM)
			report |= BOMB_FORK_FAILED;
		else
			report |= BOMB_BAD_ERRNO;
	}
	for (int i = 0; i < n; i++) {
		int status;

		if (waitpid(kids[i], &status, 0) != kids[i])
			continue;
		if (WIFEXITED(status))
			report |= WEXITSTATUS(status);
		else if (WTERMSIG(status) != SIGKILL)
			report |= BOMB_BAD_DEATH;	/* the OOM kill is allowed */
	}
	return report;
}

/*
 * A fork bomb (a binary tree of 2^11 processes, four times what
 * kern.threads_max allows in 64 MiB): forks fail with EAGAIN (or ENOMEM
 * if memory runs short first), no process dies of SIGSEGV or SIGBUS, and
 * afterwards a normal program runs.
 */
static void
t_fork_bomb(void)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		_exit(bomb(10));
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK(WEXITSTATUS(status) == BOMB_FORK_FAILED);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		execl("/bin/echo", "echo", "after the bomb", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Touch anonymous memory, a page at a time, forever. */
static void
hog(void)
{
	for (;;) {
		char *p = malloc(1 << 20);

		if (p == NULL)
			_exit(3);	/* the kernel refused: not what we test */
		for (size_t i = 0; i < (1 << 20); i += 4096)
			p[i] = 1;
	}
}

/*
 * With no swap, an anonymous hog exhausts memory: the out-of-memory
 * policy kills it (SIGKILL), not anyone else, and a program started
 * afterwards runs normally.
 */
static void
t_oom_kills_the_hog(void)
{
	uint64_t kills = vmk_sysctl_u64("vm.stats.vm.v_oom_kills");
	int status;
	pid_t pid;

	CHECK(swapoff(SWAP_DEV) == 0);	/* nowhere for the hog to go */
	pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		hog();
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_oom_kills") == kills + 1);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *p = malloc(8 << 20);

		if (p == NULL)
			_exit(1);
		memset(p, 7, 8 << 20);
		_exit(p[12345] == 7 ? 0 : 2);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(swapon(SWAP_DEV, 0) == 0);
}

/*
 * A wired (mlock'd) range stays resident while a working set of twice
 * RAM goes through swap, and keeps its data; munlock lets its wires go.
 */
static void
t_wired_stays_resident(void)
{
	const size_t nwired = (4UL << 20) / 4096, nhog = (128UL << 20) / 4096;
	uint64_t user0 = vmk_sysctl_u64("vm.stats.vm.v_user_wire_count");
	uint64_t outs = vmk_sysctl_u64("vm.stats.vm.v_swappgsout");
	uint64_t *w = map_anon(nwired), *hog;
	static unsigned char vec[(4UL << 20) / 4096];

	fill_pages(w, 0, nwired, 7);
	CHECK(mlock(w, nwired * 4096) == 0);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_user_wire_count") - user0 == nwired);
	hog = map_anon(nhog);
	fill_pages(hog, 0, nhog, 8);
	CHECK(check_pages(hog, 0, nhog, 8) == 0);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_swappgsout") - outs > nhog / 2);
	CHECK(mincore(w, nwired * 4096, vec) == 0);
	for (size_t i = 0; i < nwired; i++)
		CHECK(vec[i] & 1);
	CHECK(check_pages(w, 0, nwired, 7) == 0);
	CHECK(munmap(hog, nhog * 4096) == 0);
	CHECK(munlock(w, nwired * 4096) == 0);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_user_wire_count") == user0);
	CHECK(munmap(w, nwired * 4096) == 0);
}

#define TMPFS_DIR	"/tmp/memtest.tmpfs"

/*
 * A tmpfs file larger than RAM: its pages are anonymous memory, so the
 * page daemon pushes them to swap to make room, and read(2) brings them
 * back; removing the file gives every slot back.
 */
static void
t_tmpfs_file_bigger_than_ram(void)
{
	uint64_t outs = vmk_sysctl_u64("vm.stats.vm.v_swappgsout");
	uint64_t base = swap_used();

	CHECK(mkdir(TMPFS_DIR, 0755) == 0);
	CHECK(mount("tmpfs", TMPFS_DIR, "tmpfs", 0, "size=128m") == 0);
	write_big_path(TMPFS_DIR "/big", 4);
	CHECK(vmk_sysctl_u64("vm.stats.vm.v_swappgsout") - outs >
	    (BIG_BYTES >> 12) / 8);
	verify_big_path(TMPFS_DIR "/big", 4);
	CHECK(unlink(TMPFS_DIR "/big") == 0);
	/* Slots of pages the daemon was still writing out come back when
	 * their writes end: give them 2 s (failed once without: a leak
	 * would never come back). */
	for (int i = 0; i < 200 && swap_used() > base + 256; i++)
		usleep(10000);
	CHECK(swap_used() <= base + 256);
	CHECK(umount2(TMPFS_DIR, 0) == 0 && rmdir(TMPFS_DIR) == 0);
}

static const struct testcase tests[] = {
	{ "file_write_read_bigger_than_ram", t_file_write_read_bigger_than_ram },
	{ "file_mmap_read_bigger_than_ram", t_file_mmap_read_bigger_than_ram },
	{ "file_mmap_write_bigger_than_ram", t_file_mmap_write_bigger_than_ram },
	{ "swap_working_set_twice_ram", t_swap_working_set_twice_ram },
	{ "swap_fork_tree_under_pressure", t_swap_fork_tree_under_pressure },
	{ "swap_no_leak_after_collapse", t_swap_no_leak_after_collapse },
	{ "tmpfs_file_bigger_than_ram", t_tmpfs_file_bigger_than_ram },
	{ "swapon_swapoff", t_swapon_swapoff },
	{ "max_map_count", t_max_map_count },
	{ "overcommit", t_overcommit },
	{ "fork_bomb", t_fork_bomb },
	{ "oom_kills_the_hog", t_oom_kills_the_hog },
	{ "wired_stays_resident", t_wired_stays_resident },
};

int
main(int argc, char **argv)
{
	mkdir("/tmp", 0777);
	return testrun_main("memtest", tests, sizeof(tests) / sizeof(tests[0]),
	    argc, argv);
}
