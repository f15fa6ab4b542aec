/*
 * Shared by the stress programs: option parsing, counter snapshots through
 * sysctl, and the summary line each program prints.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmksys.h"

static const char *const stress_counters[] = {
	"vm.stats.vm.v_vm_faults", "vm.stats.vm.v_zfod", "vm.stats.vm.v_cow_faults",
	"vm.stats.vm.v_cow_optim", "vm.stats.vm.v_io_faults",
	"vm.stats.vm.v_prefault_mapped", "vm.stats.vm.v_prefault_zeroed",
	"vm.stats.vm.v_forks", "vm.stats.vm.v_vforks", "vm.stats.vm.v_forkpages",
	"vm.stats.vm.v_vnodepgsin", "vm.stats.vm.v_vnodepgsout",
	"vm.stats.object.collapses", "vm.stats.object.bypasses",
};

#define STRESS_NCOUNTERS	(sizeof(stress_counters) / sizeof(stress_counters[0]))

struct snapshot {
	uint64_t v[STRESS_NCOUNTERS];
};

static inline void
snapshot_take(struct snapshot *s)
{
	for (size_t i = 0; i < STRESS_NCOUNTERS; i++)
		s->v[i] = vmk_sysctl_u64(stress_counters[i]);
}

/* Print the counters that moved between before and now. */
static inline void
snapshot_report(const char *prog, const struct snapshot *before)
{
	struct snapshot now;

	snapshot_take(&now);
	printf("%s: counter deltas:", prog);
	for (size_t i = 0; i < STRESS_NCOUNTERS; i++) {
		const char *short_name = strrchr(stress_counters[i], '.') + 1;

		if (now.v[i] != before->v[i])
			printf(" %s=+%llu", short_name,
			    (unsigned long long)(now.v[i] - before->v[i]));
	}
	printf("\n");
}

/* "-x N" style options: the value after flag, or dflt. */
static inline long
opt_long(int argc, char **argv, const char *flag, long dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return strtol(argv[i + 1], NULL, 0);
	return dflt;
}

static inline double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A small deterministic generator (xorshift). */
static inline uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
