/*
 * Shared by the benchmark programs (vmbench, swapbench).
 *
 * Markers for scripts/profile.py: it breaks on profile_begin with
 * PROFILE_MAGIC in a0 and single-steps until profile_end is entered with
 * it again (other processes may run the same addresses).  noipa: each
 * stays a function of its own, called with its argument in a0.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PROFILE_MAGIC	0x564d4b70726f66ULL

__attribute__((noipa, used)) static void
profile_begin(uint64_t magic)
{
	__asm__ volatile("" : : "r"(magic));
}

__attribute__((noipa, used)) static void
profile_end(uint64_t magic)
{
	__asm__ volatile("" : : "r"(magic));
}

/* npages of private anonymous memory; prog exits on failure. */
static inline void *
bench_map_anon(const char *prog, size_t npages)
{
	void *p = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "%s: mmap: %m\n", prog);
		exit(1);
	}
	return p;
}

#endif
