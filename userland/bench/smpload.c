/*
 * smpload: the workloads of the SMP scaling benchmark (make smpbench), a
 * fixed amount of work each, timed by the guest's clock.  Run as init's
 * program; scripts/smpbench.py boots it on 1, 2 and 4 harts and compares
 * the times side by side.
 *
 *   forkexec: 4 independent loops of fork + execve + wait (/stress/forkexec)
 *   cowstress: 4 children writing their copies of a shared region at once
 *
 * The amount of work comes from the environment (the kernel command line):
 * smp_forkexec=N iterations per loop (default 40), smp_cow_rounds=N
 * (default 6).  Prints one line per workload:
 *   smpload: NAME SECONDS ok|FAILED
 * and exits 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

static long
env_long(const char *name, long dflt)
{
	const char *v = getenv(name);

	return v != NULL ? strtol(v, NULL, 10) : dflt;
}

/* Run argv to completion; its wall time in seconds, negative if it failed. */
static double
timed_run(char *const argv[])
{
	double t0 = now_seconds();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return now_seconds() - t0;
}

static int
report(const char *name, double secs)
{
	printf("smpload: %s %.3f %s\n", name, secs < 0 ? 0 : secs,
	    secs < 0 ? "FAILED" : "ok");
	return secs < 0;
}

int
main(void)
{
	char n[24], r[24];
	int failed = 0;

	snprintf(n, sizeof(n), "%ld", env_long("smp_forkexec", 40));
	snprintf(r, sizeof(r), "%ld", env_long("smp_cow_rounds", 6));
	{
		char *argv[] = { "/stress/forkexec", "-p", "4", "-n", n, NULL };

		failed |= report("forkexec", timed_run(argv));
	}
	{
		char *argv[] = { "/stress/cowstress", "-m", "8", "-k", "4",
		    "-r", r, NULL };

		failed |= report("cowstress", timed_run(argv));
	}
	return failed;
}
