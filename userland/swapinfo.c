/*
 * swapinfo: the swap devices and their use, as FreeBSD's swapinfo(8)
 * prints them (1 KiB blocks).  "swapinfo -h" prints sizes in MiB.
 */
#include <stdio.h>
#include <string.h>

#include "vmksys.h"

int
main(int argc, char **argv)
{
	int mib = argc > 1 && strcmp(argv[1], "-h") == 0;
	struct vmk_swapinfo *info;
	uint64_t total = 0, used = 0;
	size_t len, n;
	const char *unit = mib ? "MiB" : "1K-blocks";
	unsigned shift = mib ? 8 : 0;	/* pages of 4 KiB to the unit */

	info = vmk_sysctl_alloc("vm.swap_info", &len);
	if (info == NULL) {
		perror("swapinfo: vm.swap_info");
		return 1;
	}
	n = len / sizeof(*info);
	printf("%-12s %10s %10s %10s %8s\n", "Device", unit, "Used", "Avail",
	    "Capacity");
	for (size_t i = 0; i < n; i++) {
		uint64_t k = mib ? info[i].nslots >> shift : info[i].nslots * 4;
		uint64_t u = mib ? info[i].used >> shift : info[i].used * 4;

		printf("/dev/%-7s %10llu %10llu %10llu %7llu%%\n", info[i].name,
		    (unsigned long long)k, (unsigned long long)u,
		    (unsigned long long)(k - u), (unsigned long long)(
		    info[i].nslots ? info[i].used * 100 / info[i].nslots : 0));
		total += info[i].nslots;
		used += info[i].used;
	}
	if (n > 1)
		printf("%-12s %10llu %10llu %10llu %7llu%%\n", "Total",
		    (unsigned long long)(mib ? total >> shift : total * 4),
		    (unsigned long long)(mib ? used >> shift : used * 4),
		    (unsigned long long)(mib ? (total - used) >> shift :
		    (total - used) * 4),
		    (unsigned long long)(total ? used * 100 / total : 0));
	if (n == 0)
		printf("no swap devices\n");
	return 0;
}
