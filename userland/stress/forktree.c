/*
 * forktree: a fork tree of the given depth and width.  Every process
 * first checks that the shared buffer holds exactly what its ancestors
 * wrote, then writes its own tag into a few pages and forks `width`
 * children.  A mismatch anywhere fails the whole tree.
 *
 *   forktree [-d depth] [-w width] [-m KiB]
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define PAGE	4096

static uint64_t *mem;
static uint64_t *expect;	/* what each page's first word should be */
static size_t npages;

static int
node(int depth, int width, uint64_t tag)
{
	int failed = 0;

	for (size_t p = 0; p < npages; p++) {
		if (mem[p * PAGE / 8] != expect[p]) {
			printf("forktree: node %#llx: page %zu holds %#llx, expected %#llx\n",
			    (unsigned long long)tag, p,
			    (unsigned long long)mem[p * PAGE / 8],
			    (unsigned long long)expect[p]);
			return 1;
		}
	}
	for (size_t p = tag % 7; p < npages; p += 7) {
		mem[p * PAGE / 8] = tag;
		expect[p] = tag;
	}
	if (depth == 0)
		return 0;
	for (int c = 0; c < width; c++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(node(depth - 1, width, tag * 16 + c + 1));
		if (pid < 0)
			failed = 1;
	}
	for (int c = 0; c < width; c++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	return failed;
}

int
main(int argc, char **argv)
{
	int depth = (int)opt_long(argc, argv, "-d", 3);
	int width = (int)opt_long(argc, argv, "-w", 3);
	struct snapshot before;
	double t0 = now_seconds();
	int failed;

	npages = (size_t)opt_long(argc, argv, "-m", 256) / 4;
	mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect = calloc(npages, sizeof(*expect));
	if (mem == MAP_FAILED || expect == NULL) {
		perror("forktree");
		return 1;
	}
	snapshot_take(&before);
	failed = node(depth, width, 1);
	printf("forktree: depth %d width %d, %zu pages, in %.2f s: %s\n", depth,
	    width, npages, now_seconds() - t0, failed ? "FAILED" : "ok");
	snapshot_report("forktree", &before);
	return failed;
}
