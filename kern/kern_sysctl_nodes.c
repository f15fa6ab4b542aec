/*
 * sysctl nodes that describe the system as a whole: kern.* identity and
 * hw.*.  Subsystems declare their own nodes next to their variables.
 */
#include "kern/platform.h"
#include "kern/sysctl.h"
#include "vm/vm_page.h"

extern struct platform platform;

int mp_ncpus = 1;	/* secondary harts stay parked in the firmware */

static char ostype[] = "vmk";
static char osrelease[] = "0.1";
static char version[] = "vmk 0.1 (" __DATE__ " " __TIME__ "): a Mach/BSD-style VM kernel for RV64";
static char machine[] = "riscv64";
static const uint64_t pagesize = PAGE_SIZE;

SYSCTL_STRING(kern_ostype, "kern.ostype", CTLFLAG_RD, ostype, sizeof(ostype),
    "operating system type");
SYSCTL_STRING(kern_osrelease, "kern.osrelease", CTLFLAG_RD, osrelease,
    sizeof(osrelease), "operating system release");
SYSCTL_STRING(kern_version, "kern.version", CTLFLAG_RD, version,
    sizeof(version), "kernel version");
SYSCTL_STRING(hw_machine, "hw.machine", CTLFLAG_RD, machine, sizeof(machine),
    "machine class");
SYSCTL_U64(hw_pagesize, "hw.pagesize", CTLFLAG_RD, (void *)&pagesize,
    "page size in bytes");
SYSCTL_NODE_DECL(hw_ncpu, .name = "hw.ncpu", .type = CTLTYPE_INT,
    .flags = CTLFLAG_RD, .ptr = &mp_ncpus, .size = 4,
    .descr = "harts running the kernel");

static int64_t
sysctl_physmem(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t bytes = 0;

	for (int i = 0; i < platform.nmem; i++)
		bytes += platform.mem[i].end - platform.mem[i].start;
	return sysctl_out(req, &bytes, sizeof(bytes));
}

SYSCTL_PROC(hw_physmem, "hw.physmem", CTLTYPE_U64, CTLFLAG_RD, sysctl_physmem,
    0, "bytes of RAM");
SYSCTL_NODE_DECL(hw_nharts, .name = "hw.nharts", .type = CTLTYPE_INT,
    .flags = CTLFLAG_RD, .ptr = &platform.nharts, .size = 4,
    .descr = "harts in the device tree");
