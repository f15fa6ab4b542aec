/*
 * forkexec: P parallel loops of fork + execve + wait, each for N
 * iterations or S seconds, whichever ends first.  The program run is the
 * tiny /test/pie (exit status 7 tells it really ran).
 *
 *   forkexec [-p loops] [-n iterations] [-s seconds]
 */
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

static int
loop(long iterations, double deadline)
{
	for (long i = 0; i < iterations && now_seconds() < deadline; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			int devnull[2];

			pipe(devnull);		/* its output goes nowhere */
			dup2(devnull[1], 1);
			execl("/test/pie", "pie", NULL);
			_exit(99);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 7) {
			printf("forkexec: iteration %ld: child failed (status %#x)\n",
			    i, pid < 0 ? -1 : status);
			return 1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int loops = (int)opt_long(argc, argv, "-p", 2);
	long n = opt_long(argc, argv, "-n", 50);
	double t0 = now_seconds(), deadline = t0 + opt_long(argc, argv, "-s", 3600);
	struct snapshot before;
	int failed = 0;

	snapshot_take(&before);
	for (int p = 0; p < loops; p++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(loop(n, deadline));
	}
	for (int p = 0; p < loops; p++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	printf("forkexec: %d loops x %ld fork+exec+wait in %.2f s: %s\n", loops, n,
	    now_seconds() - t0, failed ? "FAILED" : "ok");
	snapshot_report("forkexec", &before);
	return failed;
}
