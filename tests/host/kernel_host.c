/*
 * The kernel services machine-independent code expects (kern/kernel.h,
 * vm/pmap.h), implemented for a single-threaded host process: panic()
 * hands its message to cmocka, spin locks only track who holds them, the
 * real sx locks (kern/kern_sx.c) run on top of curthread_id() and
 * tsleep() (with one thread, waiting for a lock or a wakeup would be
 * forever, so tsleep panics), kprintf() writes to stdio, and the direct
 * map points into a fake RAM buffer.  Also the DTB loader the FDT and
 * platform tests share.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dev/blk.h"
#include "vm/vm_meter.h"
#include "kern/clock.h"
#include "kern/fdt.h"
#include "kern/kernel.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "tests/host/kernel_host.h"
#include "vm/pmap.h"
#include "vm/vm_page.h"

#define DTB_DIR		"build/host/dtb/"

char host_panic_msg[512];
int mp_ncpus = 1;
FILE *host_console;
int host_spin_held;
uintptr_t host_dmap_offset;

static uint8_t *host_ram;
static size_t host_ram_size;
static struct thread host_thread;	/* the one thread; its address is its id */

/*
 * Record the message and fail through mock_assert(): inside
 * expect_assert_failure() that returns to the test, anywhere else it fails
 * the running test with "ASSERT: <message>".
 */
void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	mock_assert(0, host_panic_msg, __FILE__, __LINE__);
	abort();
}

int
curcpu_id(void)
{
	return 0;
}

struct vmmeter *
curcpu_meter(void)
{
	return &vm_meter_percpu[0].vmp_cnt;
}

/* Tests that make system calls point its td_proc at their process. */
struct thread *
curthread(void)
{
	return &host_thread;
}

uintptr_t
curthread_id(void)
{
	return (uintptr_t)&host_thread;
}

void
spin_init(struct spinlock *lk, const char *name)
{
	lk->sl_locked = 0;
	lk->sl_owner = -1;
	lk->sl_name = name;
}

void
spin_lock(struct spinlock *lk)
{
	KASSERT(!lk->sl_locked, "%s: already held", lk->sl_name);
	lk->sl_locked = 1;
	lk->sl_owner = curcpu_id();
	host_spin_held++;
}

void
spin_unlock(struct spinlock *lk)
{
	KASSERT(spin_owned(lk), "%s: not held", lk->sl_name);
	lk->sl_locked = 0;
	lk->sl_owner = -1;
	host_spin_held--;
}

bool
spin_owned(const struct spinlock *lk)
{
	return lk->sl_locked && lk->sl_owner == curcpu_id();
}

/* There is no other thread to call wakeup(). */
void
tsleep(const void *chan, struct spinlock *interlock, const char *wmesg)
{
	panic("tsleep(\"%s\"): would sleep forever on the host", wmesg);
}

void
wakeup(const void *chan)
{
}

void (*host_sleep_hook)(void);
void (*host_io_hook)(void);
int host_oom_kills;

/*
 * A timed sleep on the host: nobody else runs, so "while asleep" means
 * running host_sleep_hook once (a test sets it to run the page daemon's
 * pass, as if the daemon ran while the caller slept); then the time is up.
 */
static int
host_timed_sleep(struct spinlock *interlock)
{
	if (interlock != NULL)
		spin_unlock(interlock);
	if (host_sleep_hook != NULL)
		host_sleep_hook();
	if (interlock != NULL)
		spin_lock(interlock);
	return EAGAIN;
}

int
tsleep_timo(const void *chan, struct spinlock *interlock, const char *wmesg,
    uint64_t timo_ticks)
{
	if (timo_ticks == 0)
		panic("tsleep_timo(\"%s\"): would sleep forever on the host", wmesg);
	return host_timed_sleep(interlock);
}

bool host_signal_pending;

int
tsleep_sig(const void *chan, struct spinlock *interlock, const char *wmesg,
    uint64_t timo_ticks)
{
	if (host_signal_pending)
		return EINTR;
	return tsleep_timo(chan, interlock, wmesg, timo_ticks);
}

bool host_ramdisk_read_error;

static int
ramdisk_strategy(struct blkdev *bd, int op, uint64_t sector,
    const struct blk_seg *segs, int nsegs)
{
	uint8_t *disk = (uint8_t *)bd->softc + sector * BLK_SECTOR_SIZE;

	if (op == BLK_READ && host_ramdisk_read_error) {
		bd->stats.errors++;
		return EIO;
	}

	for (int i = 0; i < nsegs; disk += segs[i].len, i++) {
		if (op == BLK_READ)
			memcpy(segs[i].buf, disk, segs[i].len);
		else
			memcpy(disk, segs[i].buf, segs[i].len);
	}
	if (op == BLK_READ)
		bd->stats.reads++;
	else if (op == BLK_WRITE)
		bd->stats.writes++;
	return 0;
}

/*
 * A disk of npages pages in host memory, with mkswap's signature when
 * swap is set (Linux's format: "SWAPSPACE2" ends page 0).  blk_io is
 * file_host.c's.
 */
struct blkdev *
host_ramdisk(const char *name, size_t npages, bool swap)
{
	struct blkdev *bd = calloc(1, sizeof(*bd));

	assert_non_null(bd);
	bd->softc = calloc(npages, PAGE_SIZE);
	assert_non_null(bd->softc);
	snprintf(bd->name, sizeof(bd->name), "%s", name);
	bd->nsectors = npages * (PAGE_SIZE / BLK_SECTOR_SIZE);
	bd->strategy = ramdisk_strategy;
	if (swap)
		memcpy((uint8_t *)bd->softc + PAGE_SIZE - 10, "SWAPSPACE2", 10);
	return bd;
}

void
host_ramdisk_free(struct blkdev *bd)
{
	free(bd->softc);
	free(bd);
}

/* The host has no processes: count the requests. */
bool
vm_oom_kill(void)
{
	host_oom_kills++;
	return false;
}

static void
console_putc(int c, void *arg)
{
	fputc(c, arg);
}

int
kvprintf(const char *fmt, va_list ap)
{
	return kvformat(console_putc, host_console != NULL ? host_console :
	    stdout, fmt, ap);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
pmap_zero_page(struct vm_page *m)
{
	memset((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)), 0, PAGE_SIZE);
}

void
pmap_copy_page(struct vm_page *src, struct vm_page *dst)
{
	memcpy((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(dst)),
	    (const void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(src)), PAGE_SIZE);
}

/*
 * Back physical [base, base + npages pages) with a page-aligned host
 * buffer filled with HOST_RAM_POISON, and point the direct map at it.
 * Returns the buffer.  Once per process: the page allocator keeps static
 * state, so there is only ever one RAM.
 */
void *
host_ram_init(paddr_t base, size_t npages)
{
	assert_null(host_ram);
	assert_int_equal(base & PAGE_MASK, 0);
	host_ram_size = npages * PAGE_SIZE;
	host_ram = aligned_alloc(PAGE_SIZE, host_ram_size);
	assert_non_null(host_ram);
	memset(host_ram, HOST_RAM_POISON, host_ram_size);
	host_dmap_offset = (uintptr_t)host_ram - base;
	return host_ram;
}

/* Does [p, p + len) lie inside the fake RAM? */
bool
host_ram_contains(const void *p, size_t len)
{
	const uint8_t *b = p;

	return host_ram != NULL && b >= host_ram && len <= host_ram_size &&
	    (size_t)(b - host_ram) <= host_ram_size - len;
}

/*
 * Read build/host/dtb/NAME.dtb (relative to the repository root, where
 * the tests run) into a heap buffer of exactly the blob's totalsize (QEMU
 * pads its dump to 1 MiB), so that ASan catches any read past the blob.
 * Fails the test if the file is missing or is not a DTB.
 */
uint8_t *
host_read_dtb(const char *name, size_t *sizep)
{
	char path[256];
	uint8_t hdr[8], *buf = NULL;
	size_t size = 0;
	FILE *f;

	snprintf(path, sizeof(path), DTB_DIR "%s.dtb", name);
	f = fopen(path, "rb");
	if (f == NULL) {
		fail_msg("cannot open %s: %s (run `make host-tests` and the "
		    "tests from the repository root)", path, strerror(errno));
		return NULL;
	}
	if (fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr) &&
	    (size = fdt_header_totalsize(hdr)) >= sizeof(hdr) &&
	    (buf = malloc(size)) != NULL) {
		memcpy(buf, hdr, sizeof(hdr));
		if (fread(buf + sizeof(hdr), 1, size - sizeof(hdr), f) !=
		    size - sizeof(hdr)) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	if (buf == NULL) {
		fail_msg("%s is not a readable DTB", path);
		return NULL;
	}
	*sizep = size;
	return buf;
}

/* Store v big-endian, as in a DTB; the inverse of fdt32_to_cpu(). */
void
host_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * User memory for the system calls the host tests build (vm/vm_mmap.c):
 * the host has no user half, so a "user" address is a host pointer the
 * test passes, and a range is good if it does not wrap.
 */
bool
access_ok(uaddr_t uaddr, size_t len)
{
	return uaddr + len >= uaddr;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	memcpy(uaddr, kaddr, len);
	return 0;
}

/* The time of day, for file times (vm/vnode_pager.c): the epoch. */
uint64_t
clock_realtime_ns(void)
{
	return 0;
}
