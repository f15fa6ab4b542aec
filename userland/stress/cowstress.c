/*
 * cowstress: the parent fills M MiB with a known pattern and forks K
 * children; each child writes its own pattern to a random subset of the
 * pages and then checks every word it can read; the parent then checks
 * that its own memory is unchanged.  Repeats for R rounds.  Any mismatch
 * is reported with its address and values, and the exit status is 1.
 *
 *   cowstress [-m MiB] [-k children] [-r rounds]
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define PAGE		4096
#define WORDS		(PAGE / 8)

static uint64_t
parent_word(size_t page, size_t w)
{
	return (uint64_t)page << 20 | w | 0xa000000000000000ULL;
}

static uint64_t
child_word(int child, size_t page, size_t w)
{
	return (uint64_t)child << 40 | (uint64_t)page << 20 | w;
}

static int
check_page(const uint64_t *p, size_t page, int child, int mine)
{
	for (size_t w = 0; w < WORDS; w++) {
		uint64_t want = mine ? child_word(child, page, w) :
		    parent_word(page, w);

		if (p[w] != want) {
			printf("cowstress: %s %d: word at %p is %#llx, expected %#llx\n",
			    child < 0 ? "parent" : "child", child, (void *)&p[w],
			    (unsigned long long)p[w], (unsigned long long)want);
			return 1;
		}
	}
	return 0;
}

static int
child_run(uint64_t *mem, size_t npages, int child)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (child + 1);
	unsigned char *mine = calloc(npages, 1);
	int errors = 0;

	for (size_t i = 0; i < npages / 4 + 1; i++) {
		size_t page = rng_next(&seed) % npages;

		mine[page] = 1;
		for (size_t w = 0; w < WORDS; w++)
			mem[page * WORDS + w] = child_word(child, page, w);
	}
	for (size_t page = 0; page < npages && errors < 10; page++)
		errors += check_page(&mem[page * WORDS], page, child, mine[page]);
	return errors != 0;
}

int
main(int argc, char **argv)
{
	size_t npages = (size_t)opt_long(argc, argv, "-m", 4) * 256;
	int kids = (int)opt_long(argc, argv, "-k", 4);
	int rounds = (int)opt_long(argc, argv, "-r", 2);
	uint64_t *mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct snapshot before;
	int failed = 0;
	double t0 = now_seconds();

	if (mem == MAP_FAILED) {
		perror("cowstress: mmap");
		return 1;
	}
	snapshot_take(&before);
	for (size_t page = 0; page < npages; page++)
		for (size_t w = 0; w < WORDS; w++)
			mem[page * WORDS + w] = parent_word(page, w);
	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < kids; k++) {
			pid_t pid = fork();

			if (pid == 0)
				_exit(child_run(mem, npages, k));
			if (pid < 0) {
				perror("cowstress: fork");
				failed = 1;
			}
		}
		for (int k = 0; k < kids; k++) {
			int status;

			if (wait(&status) < 0 || !WIFEXITED(status) ||
			    WEXITSTATUS(status) != 0)
				failed = 1;
		}
		for (size_t page = 0; page < npages; page++)
			failed |= check_page(&mem[page * WORDS], page, -1, 0);
	}
	printf("cowstress: %zu MiB, %d children x %d rounds in %.2f s: %s\n",
	    npages / 256, kids, rounds, now_seconds() - t0, failed ? "FAILED" : "ok");
	snapshot_report("cowstress", &before);
	return failed;
}
