/*
 * kmain: the boot sequence, from locore to the first thing the machine
 * does (tests, or the monitor until processes exist).
 *
 *   1. per-hart data, early console through SBI
 *   2. device tree -> struct platform
 *   3. physical memory accounting, kernel page table, page allocator
 *   4. devices: finisher, PLIC, UART console, timer, virtio slots
 *   5. command line, then the other harts (maxcpus=N limits them)
 *   6. test=... or init=...
 */
#include "dev/blk.h"
#include "dev/rtc.h"
#include "fs/vnode.h"
#include "kern/sysctl.h"
#include "kern/clock.h"
#include "dev/uart.h"
#include "dev/virtio/virtio_mmio.h"
#include "kern/cmdline.h"
#include "kern/fdt.h"
#include "kern/kernel.h"
#include "kern/ktest.h"
#include "kern/monitor.h"
#include "kern/physmem.h"
#include "kern/proc.h"
#include "kern/platform.h"
#include "kern/reboot.h"
#include "kern/thread.h"
#include "machine/clock.h"
#include "machine/machdep.h"
#include "machine/pcpu.h"
#include "machine/plic.h"
#include "machine/pmap_machdep.h"
#include "machine/riscv.h"
#include "machine/sbi.h"
#include "machine/vmparam.h"
#include "vm/vm_page.h"
#include "vm/vm_pageout.h"
#include "vm/swap_pager.h"

extern char _kernel_start[], _kernel_end[];

struct platform platform;
struct cmdline boot_cmdline;
static struct physmem boot_physmem;
static struct fdt boot_fdt;

static void
pcpu_init_boot(uint64_t hartid)
{
	struct pcpu *pc = &pcpu[0];

	pc->pc_hartid = (uint32_t)hartid;
	pc->pc_cpuid = 0;
	__asm__ volatile("mv tp, %0" : : "r"(pc));
}

/* Read the device tree the firmware handed us; panics if unusable. */
static void
platform_init(uint64_t hartid, paddr_t dtb_pa)
{
	const void *blob = (const void *)PHYS_TO_DMAP(dtb_pa);
	uint32_t size = fdt_header_totalsize(blob);

	if (size == 0 || fdt_init(&boot_fdt, blob, size) != 0)
		panic("platform_init: no valid device tree at %#lx", dtb_pa);
	if (platform_parse(&platform, &boot_fdt, (uint32_t)hartid) != 0)
		panic("platform_init: device tree lacks memory, harts or timebase");
}

/* RAM minus firmware, kernel image and the DTB itself. */
static void
memory_init(paddr_t dtb_pa, paddr_t kernel_pa)
{
	struct physmem *pm = &boot_physmem;
	int err = 0;

	physmem_init(pm, platform.mem, platform.nmem);
	for (int i = 0; i < platform.nresv; i++)
		err |= physmem_exclude(pm, platform.resv[i].start,
		    platform.resv[i].end);
	err |= physmem_exclude(pm, kernel_pa,
	    kernel_pa + (_kernel_end - _kernel_start));
	err |= physmem_exclude(pm, dtb_pa, dtb_pa + boot_fdt.totalsize);
	if (err != 0)
		panic("memory_init: too many holes in physical memory");

	pmap_bootstrap(pm, kernel_pa);
	vm_page_startup(pm);
	pmap_bootstrap_done();
	pmap_asid_probe();
}

static void
print_boot_log(paddr_t kernel_pa)
{
	uint64_t ram = 0;

	kprintf("vmk: a Mach/BSD-style VM kernel for RV64 (Sv39)\n");
	kprintf("machine: %s, SBI spec %ld.%ld\n", platform.model,
	    (sbi_spec_version() >> 24) & 0x7f, sbi_spec_version() & 0xffffff);
	for (int i = 0; i < platform.nmem; i++) {
		kprintf("memory: %#lx-%#lx (%lu MiB)\n", platform.mem[i].start,
		    platform.mem[i].end - 1,
		    (platform.mem[i].end - platform.mem[i].start) >> 20);
		ram += platform.mem[i].end - platform.mem[i].start;
	}
	for (int i = 0; i < platform.nresv; i++)
		kprintf("reserved: %#lx-%#lx (firmware)\n", platform.resv[i].start,
		    platform.resv[i].end - 1);
	kprintf("kernel: %#lx-%#lx at %p\n", kernel_pa,
	    kernel_pa + (_kernel_end - _kernel_start) - 1, _kernel_start);
	kprintf("harts: %d (booted on hart %u), isa %s\n", platform.nharts,
	    curpcpu()->pc_hartid, platform.isa);
	kprintf("pages: %lu total, %lu free, %lu reserved; %lu MiB RAM\n",
	    vm_page_stats.v_page_count, vm_page_stats.v_free_count,
	    vm_page_stats.v_reserved_count, ram >> 20);
}

static void
devices_init(void)
{
	machdep_attach_finisher(&platform);
	plic_init(&platform);
	uart_attach(&platform);
	kprintf("plic: %#lx, %u sources, context %d\n", platform.plic.base,
	    platform.plic_ndev, platform.plic_context);
	clock_init(&platform);
	if (rtc_attach(&platform) != 0)
		kprintf("rtc: none; wall-clock time starts at the epoch\n");
	virtio_mmio_probe_all(&platform);
	csr_set(sie, SIE_SEIE | SIE_SSIE);
	/* Let user programs read cycle, time and instret (benchmarks). */
	csr_write(scounteren, 7);
	intr_enable();
}

/* Start the other harts, as many as maxcpus= allows (default: all). */
static void
start_harts(paddr_t kernel_pa)
{
	const char *max = cmdline_get(&boot_cmdline, "maxcpus");
	int limit = 0;

	if (max != NULL)
		for (limit = 0; *max >= '0' && *max <= '9'; max++)
			limit = limit * 10 + (*max - '0');
	mp_start_harts(&platform, kernel_pa, max != NULL && limit == 0 ?
	    1 : limit);
}

/* Start swapping to the disk named by swap= (e.g. swap=vdb), if any. */
static void
start_swap(void)
{
	const char *name = cmdline_get(&boot_cmdline, "swap");
	struct blkdev *bd;
	int error;

	if (name == NULL)
		return;
	bd = blkdev_find(name);
	if (bd == NULL) {
		kprintf("swap: no disk %s\n", name);
		return;
	}
	error = swap_pager_swapon(bd);
	if (error != 0)
		kprintf("swap: cannot use %s (error %d%s)\n", name, error,
		    error == EINVAL ? ": no mkswap signature" : "");
}

/*
 * Graft procfs on /proc if the root file system has that directory, so
 * that it is there before init runs (a Linux init mounts it itself;
 * there is no mount(2) yet).
 */
static void
mount_proc(void)
{
	struct nameidata nd;
	int error = namei(rootvnode, rootvnode, "/proc", LOOKUP_FOLLOW, &nd);

	if (error == ENOENT)
		return;
	if (error == 0)
		error = vfs_mount_at(nd.ni_vp, "proc", "proc", 0, NULL);
	if (error != 0) {
		kprintf("vfs: cannot mount /proc: error %d\n", error);
		if (nd.ni_vp != NULL)
			vrele(nd.ni_vp);
	}
}

/* Mount the root file system named by root= (default vda), if any. */
static void
mount_root(void)
{
	const char *root = cmdline_get(&boot_cmdline, "root");

	if (root == NULL) {
		if (blkdev_find("vda") == NULL) {
			kprintf("vfs: no disk; running without a root file system\n");
			return;
		}
		root = "vda";
	}
	if (vfs_mountroot(root) == 0)
		mount_proc();
}

static void
init_thread(void *path)
{
	proc_start_init(path);
}

/* Start process 1 running path, if the root file system has it. */
static bool
start_init(const char *path)
{
	struct vattr va;

	if (rootvnode == NULL) {
		kprintf("init: no root file system\n");
		return false;
	}
	if (vfs_stat(rootvnode, rootvnode, path, true, &va) != 0 ||
	    (va.va_mode & S_IFMT) != S_IFREG) {
		kprintf("init: %s not found on the root file system\n", path);
		return false;
	}
	if (thread_create("init", init_thread, (void *)path) == NULL) {
		kprintf("init: no memory for a thread\n");
		return false;
	}
	return true;
}

#define SYNC_INTERVAL	(30 * HZ)

/* The boot thread's last job: write dirty file data back periodically. */
static __noreturn void
syncer(void)
{
	static const char chan;

	for (;;) {
		tsleep_timo(&chan, NULL, "syncer", SYNC_INTERVAL);
		vfs_sync_all();
	}
}

void
kern_reboot(void)
{
	vfs_sync_all();
	cpu_reboot();
}

/* Write back the root file system, then power off with status. */
void
kern_halt(int status)
{
	if (vfs_sync_all() != 0)
		kprintf("halt: could not write back the file systems\n");
	cpu_halt(status);
}

__noreturn void
kmain(uint64_t hartid, paddr_t dtb_pa, paddr_t kernel_pa)
{
	const char *test;

	pcpu_init_boot(hartid);
	platform_init(hartid, dtb_pa);
	memory_init(dtb_pa, kernel_pa);
	print_boot_log(kernel_pa);
	thread_init_boot();
	proc_limits_init(vm_page_stats.v_page_count);
	if (thread_create("pagedaemon", vm_pageout_daemon, NULL) == NULL)
		panic("kmain: no memory for the page daemon");
	devices_init();

	cmdline_parse(&boot_cmdline, platform.bootargs);
	kprintf("cmdline: \"%s\"%s\n", platform.bootargs,
	    boot_cmdline.truncated ? " (truncated)" : "");
	start_harts(kernel_pa);

	sysctl_init();
	mount_root();
	start_swap();
	test = cmdline_get(&boot_cmdline, "test");
	if (test != NULL)
		kern_halt(ktest_run(test) == 0 ? EXIT_OK : EXIT_TESTS_FAILED);

	/* init itself reads init= from its environment (the command line). */
	if (start_init("/sbin/init"))
		syncer();
	kmon_run();
}
