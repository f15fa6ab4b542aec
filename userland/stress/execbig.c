/*
 * execbig: exec a large static binary (/stress/bigbin, about 2 MiB of
 * text) that runs only a few pages of it, N times, and report how many
 * pages the vnode pager read: demand paging means far fewer than the
 * binary has.  Caches are dropped before each run so every run reads.
 *
 *   execbig [-n runs]
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

int
main(int argc, char **argv)
{
	int n = (int)opt_long(argc, argv, "-n", 3), failed = 0;
	int32_t one = 1;
	struct snapshot before;
	struct stat st;
	uint64_t pgsin = 0;

	if (stat("/stress/bigbin", &st) != 0) {
		perror("/stress/bigbin");
		return 1;
	}
	snapshot_take(&before);
	for (int i = 0; i < n; i++) {
		uint64_t in0;
		int status;
		pid_t pid;

		vmk_sysctl("vfs.drain_caches", NULL, NULL, &one, sizeof(one));
		in0 = vmk_sysctl_u64("vm.stats.vm.v_vnodepgsin");
		pid = fork();
		if (pid == 0) {
			execl("/stress/bigbin", "bigbin", NULL);
			_exit(99);
		}
		if (waitpid(pid, &status, 0) != pid || WEXITSTATUS(status) != 3)
			failed = 1;
		pgsin += vmk_sysctl_u64("vm.stats.vm.v_vnodepgsin") - in0;
	}
	printf("execbig: %d runs of a %lld-page binary paged in %llu pages per run: "
	    "%s\n", n, (long long)(st.st_size / 4096),
	    (unsigned long long)(pgsin / (n > 0 ? n : 1)),
	    failed || pgsin / (n > 0 ? n : 1) > (uint64_t)st.st_size / 4096 / 4 ?
	    "FAILED" : "ok");
	snapshot_report("execbig", &before);
	return failed || pgsin / (n > 0 ? n : 1) > (uint64_t)st.st_size / 4096 / 4;
}
