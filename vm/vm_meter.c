/*
 * Summing the per-hart VM counters (see vm_meter.h).
 */
#include "vm/vm_meter.h"

struct vmmeter vm_meter_percpu[VM_METER_NCPU];

void
vm_meter_sum(struct vmmeter *total)
{
	uint64_t *out = (uint64_t *)total;
	size_t n = sizeof(*total) / sizeof(uint64_t);

	memset(total, 0, sizeof(*total));
	for (int cpu = 0; cpu < VM_METER_NCPU; cpu++) {
		const volatile uint64_t *in =
		    (const volatile uint64_t *)&vm_meter_percpu[cpu];

		for (size_t i = 0; i < n; i++)
			out[i] += in[i];
	}
}
