/*
 * stressrun: run the stress programs with leak and chain checks around
 * each, as make check (short) and make stress (long) do.
 *
 * Before and after each program the file caches are emptied
 * (vfs.drain_caches), so that the free page count, the live object count,
 * the swap slots in use and the kernel's thread count must come back
 * exactly to their baselines:
 * anything missing is a leak.  The longest shadow chain each program makes (the chain depth
 * peak, reset before each run) must stay within CHAIN_BOUND; chains left
 * by whatever ran before stressrun do not count.
 * Prints "TEST stress_<name>: PASS|FAIL ..." lines and a summary.
 *
 * A first, unchecked run of every program settles one-time allocations
 * (first use of a kmalloc size, lazily built kernel tables).
 *
 * The duration comes from the environment, which init gets from the
 * kernel command line: stress_seconds=N (0 or absent: the short run).
 */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define CHAIN_BOUND	8

struct baseline {
	uint64_t free_pages;
	uint64_t objects;
	uint64_t swap_pages;	/* swap slots in use */
	uint64_t threads;	/* kern.nthreads */
};

static void
drain(void)
{
	int32_t one = 1;

	vmk_sysctl("vfs.drain_caches", NULL, NULL, &one, sizeof(one));
}

/* Reset the chain depth peak; returns the peak until now.  Exits if the
 * kernel has no such counter: the chain check would mean nothing. */
static uint64_t
depth_peak_take(void)
{
	uint64_t peak = 0, zero = 0;
	size_t len = sizeof(peak);

	if (vmk_sysctl("vm.stats.object.depth_peak", &peak, &len, &zero,
	    sizeof(zero)) != 0) {
		perror("stressrun: vm.stats.object.depth_peak");
		exit(2);
	}
	return peak;
}

static uint64_t
thread_count(void)
{
	return vmk_sysctl_u64("kern.nthreads") & 0xffffffffu;	/* an int */
}

/*
 * With `want`, first wait (2 s at most) for the thread count to come
 * down to want's: an exited thread is counted until its hart has
 * switched away from it, which may come a moment after the reap.
 */
static void
baseline_take(struct baseline *b, const struct baseline *want)
{
	for (int i = 0; want != NULL && i < 200 && thread_count() != want->threads; i++)
		usleep(10000);
	drain();
	b->free_pages = vmk_sysctl_u64("vm.stats.vm.v_free_count");
	b->objects = vmk_sysctl_u64("vm.stats.object.live_anon") +
	    vmk_sysctl_u64("vm.stats.object.live_vnode");
	b->swap_pages = vmk_sysctl_u64("vm.swap_used");
	b->threads = thread_count();
}

/*
 * Run one program and return its exit status.  vfork, not fork: our own
 * address space must not turn copy-on-write around the measurement.
 */
static int
run(char *const argv[])
{
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
main(void)
{
	const char *secs_env = getenv("stress_seconds");
	long secs = secs_env != NULL ? atol(secs_env) : 0;
	char s_secs[32], rounds[32], iters[32];
	int passed = 0, failed = 0;
	uint64_t deepest = 0;
	const char *deepest_by = "none";
	double t_end;

	setvbuf(stdout, NULL, _IONBF, 0);
	snprintf(s_secs, sizeof(s_secs), "%ld", secs > 0 ? secs : 3600);
	snprintf(rounds, sizeof(rounds), "%d", secs > 0 ? 20 : 2);
	snprintf(iters, sizeof(iters), "%d", secs > 0 ? 1000000 : 20);
	t_end = now_seconds() + (double)secs;
	for (int warm = 1;; warm = 0) {
		char *const programs[][12] = {
			{ "/stress/cowstress", "-m", "4", "-k", "4", "-r", rounds, NULL },
			{ "/stress/forktree", "-d", "3", "-w", "3", "-m", "256", NULL },
			{ "/stress/forkexec", "-p", "2", "-n", iters, "-s",
			    secs > 0 ? "10" : s_secs, NULL },
			{ "/stress/mmapstress", "-n", secs > 0 ? "50" : "5", "-p", "16",
			    NULL },
			{ "/stress/execbig", "-n", "2", NULL },
			{ "/stress/threadstress", "-t", "4", "-s",
			    secs > 0 ? "20" : "2", NULL },
		};

		for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
			struct baseline b0, b1;
			const char *name = strrchr(programs[i][0], '/') + 1;
			uint64_t peak;
			int rv;

			baseline_take(&b0, NULL);
			depth_peak_take();
			rv = run(programs[i]);
			peak = depth_peak_take();
			baseline_take(&b1, &b0);
			if (warm)
				continue;
			if (peak > deepest) {
				deepest = peak;
				deepest_by = name;
			}
			if (rv != 0) {
				printf("TEST stress_%s: FAIL exit status %d\n", name, rv);
				failed++;
			} else if (b1.free_pages != b0.free_pages ||
			    b1.objects != b0.objects ||
			    b1.swap_pages != b0.swap_pages ||
			    b1.threads != b0.threads) {
				printf("TEST stress_%s: FAIL leak: free pages %llu -> %llu, "
				    "objects %llu -> %llu, swap pages %llu -> %llu, "
				    "threads %llu -> %llu\n",
				    name, (unsigned long long)b0.free_pages,
				    (unsigned long long)b1.free_pages,
				    (unsigned long long)b0.objects,
				    (unsigned long long)b1.objects,
				    (unsigned long long)b0.swap_pages,
				    (unsigned long long)b1.swap_pages,
				    (unsigned long long)b0.threads,
				    (unsigned long long)b1.threads);
				failed++;
			} else {
				printf("TEST stress_%s: PASS\n", name);
				passed++;
			}
		}
		if (!warm && (now_seconds() >= t_end || failed != 0))
			break;
	}
	if (deepest > CHAIN_BOUND) {
		printf("TEST stress_chain_bound: FAIL longest chain %llu (by %s) > %d\n",
		    (unsigned long long)deepest, deepest_by, CHAIN_BOUND);
		failed++;
	} else {
		printf("TEST stress_chain_bound: PASS (longest chain %llu, by %s)\n",
		    (unsigned long long)deepest, deepest_by);
		passed++;
	}
	printf("stress: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
