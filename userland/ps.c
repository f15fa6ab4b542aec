/* ps: list processes (from the sysctl kern.proc.all). */
#include <stdio.h>
#include <stdlib.h>

#include "vmksys.h"

int
main(void)
{
	size_t len;
	struct vmk_kinfo_proc *k = vmk_sysctl_alloc("kern.proc.all", &len);

	if (k == NULL) {
		perror("ps: kern.proc.all");
		return 1;
	}
	printf("  PID  PPID  PGID STAT   VSZ(K)  RSS  WCHAN     COMMAND\n");
	for (size_t i = 0; i < len / sizeof(*k); i++)
		printf("%5d %5d %5d %-4s %8llu %4llu  %-9s %s\n", k[i].pid, k[i].ppid,
		    k[i].pgid, k[i].state == 2 ? "Z" : k[i].wchan[0] ? "S" : "R",
		    (unsigned long long)(k[i].vsize / 1024),
		    (unsigned long long)k[i].rss, k[i].wchan, k[i].comm);
	free(k);
	return 0;
}
