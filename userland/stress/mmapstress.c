/*
 * mmapstress: a file mapped shared and private, written through the
 * mapping, msync'd, read back through read(), truncated under the
 * mapping (an access past the new end must raise SIGBUS) and extended
 * again (the new part reads as zeros).  Repeats N times.
 *
 *   mmapstress [-n iterations] [-p pages]
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stress.h"

#define PAGE	4096
#define FILE_	"/tmp/mmapstress.dat"

static sigjmp_buf bus_jump;

static void
on_bus(int sig)
{
	siglongjmp(bus_jump, sig);
}

#define FAIL(...) do { printf("mmapstress: " __VA_ARGS__); return 1; } while (0)

static int
round_trip(int fd, size_t pages, int iter)
{
	size_t len = pages * PAGE;
	volatile uint8_t *sh, *pv;
	uint8_t *buf = malloc(len);

	if (ftruncate(fd, (off_t)len) != 0)
		FAIL("ftruncate: %s\n", strerror(errno));
	sh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pv = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (sh == MAP_FAILED || pv == MAP_FAILED || buf == NULL)
		FAIL("mmap: %s\n", strerror(errno));
	for (size_t i = 0; i < len; i += 64)
		sh[i] = (uint8_t)(i / 64 + iter);
	if (msync((void *)sh, len, MS_SYNC) != 0)
		FAIL("msync: %s\n", strerror(errno));
	if (pread(fd, buf, len, 0) != (ssize_t)len)
		FAIL("pread: %s\n", strerror(errno));
	for (size_t i = 0; i < len; i += 64)
		if (buf[i] != (uint8_t)(i / 64 + iter) || pv[i] != buf[i])
			FAIL("iteration %d: byte %zu: file %u, private map %u, want %u\n",
			    iter, i, buf[i], pv[i], (uint8_t)(i / 64 + iter));
	/* Private writes stay private. */
	pv[0] = 0xee;
	if (pread(fd, buf, 1, 0) != 1 || buf[0] == 0xee || sh[0] == 0xee)
		FAIL("a private write reached the file\n");
	/* Truncate under the mappings: the tail is gone (SIGBUS), then back as zeros. */
	if (ftruncate(fd, PAGE) != 0)
		FAIL("shrink: %s\n", strerror(errno));
	if (sigsetjmp(bus_jump, 1) == 0) {
		(void)sh[2 * PAGE];
		FAIL("no SIGBUS past the end of the file\n");
	}
	if (ftruncate(fd, (off_t)len) != 0)
		FAIL("extend: %s\n", strerror(errno));
	if (sh[2 * PAGE] != 0 || sh[PAGE - 1] != 0 || sh[64] != (uint8_t)(1 + iter))
		FAIL("after truncate and extend: %u %u %u\n", sh[2 * PAGE],
		    sh[PAGE - 1], sh[64]);
	munmap((void *)sh, len);
	munmap((void *)pv, len);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int n = (int)opt_long(argc, argv, "-n", 10);
	size_t pages = (size_t)opt_long(argc, argv, "-p", 16);
	struct sigaction sa = { .sa_handler = on_bus };
	struct snapshot before;
	double t0 = now_seconds();
	int fd, failed = 0;

	sigaction(SIGBUS, &sa, NULL);
	fd = open(FILE_, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(FILE_);
		return 1;
	}
	snapshot_take(&before);
	for (int i = 0; i < n && !failed; i++)
		failed = round_trip(fd, pages, i);
	close(fd);
	unlink(FILE_);
	printf("mmapstress: %d rounds of %zu pages in %.2f s: %s\n", n, pages,
	    now_seconds() - t0, failed ? "FAILED" : "ok");
	snapshot_report("mmapstress", &before);
	return failed;
}
