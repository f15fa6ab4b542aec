/*
 * The raw throughput of a disk through the block layer, for `make
 * swapbench` to set beside the swap pager's: a plain sequential write,
 * then a sequential read of the same bytes, in requests of 4 KiB (what
 * swap-in issues), 64 KiB (SWAP_CLUSTER pages, the largest swap-out)
 * and 1 MiB (a plain `dd bs=1M`).  Boot with
 *
 *     test=blk_throughput blkbench=vdX
 *
 * It moves twice the machine's RAM each way (what swapbench's sweeps
 * page), overwriting vdX after its first page (so a disk mkswap prepared
 * stays one); the disk must not be in use as swap.  Every
 * request's pages carry their byte offset, checked on the way back, so
 * the figures are of transfers that really happened.  One line per
 * request size and direction, read by scripts/swapbench.py:
 *
 *     BENCH name=raw_write reqsize=65536 bytes=N ns=T idle_ns=I ios=K
 *
 * ns is the uptime the pass took, idle_ns the part of it the hart spent
 * idle, waiting for the device (under -icount the rest is instructions,
 * one nanosecond each).
 */
#include "dev/blk.h"
#include "kern/clock.h"
#include "kern/cmdline.h"
#include "kern/ktest.h"
#include "kern/platform.h"
#include "kern/thread.h"
#include "vm/swap_pager.h"
#include "vm/vm_page.h"
#include "vm/vm_param.h"

#define BENCH_MAX_REQ	(1UL << 20)

extern struct platform platform;

/* Stamp (write) or check (read) the first word of each page of buf. */
static bool
stamp_pages(uint64_t *buf, size_t len, uint64_t off, bool check)
{
	for (size_t i = 0; i < len / PAGE_SIZE; i++) {
		uint64_t *w = &buf[i * (PAGE_SIZE / 8)];
		uint64_t want = off + ptoa(i);

		if (!check)
			*w = want;
		else if (*w != want)
			return false;
	}
	return true;
}

/*
 * One sequential pass over bytes of bd from byte offset PAGE_SIZE, in
 * requests of reqsize from buf; prints its BENCH line.  Returns 0, the
 * first error, or -1 if a page read back did not hold its offset.
 */
static int
sequential_pass(struct blkdev *bd, int op, uint8_t *buf, size_t reqsize,
    uint64_t bytes)
{
	uint64_t t0 = clock_uptime_ns(), idle0 = sched_idle_ns(), ios = 0;
	int error = 0;

	for (uint64_t off = PAGE_SIZE; error == 0 && off < PAGE_SIZE + bytes;
	    off += reqsize) {
		if (op == BLK_WRITE)
			stamp_pages((uint64_t *)buf, reqsize, off, false);
		error = blk_io(bd, op, off / BLK_SECTOR_SIZE, buf, reqsize);
		if (error == 0 && op == BLK_READ &&
		    !stamp_pages((uint64_t *)buf, reqsize, off, true))
			error = -1;
		ios++;
	}
	kprintf("BENCH name=%s reqsize=%lu bytes=%lu ns=%lu idle_ns=%lu ios=%lu\n",
	    op == BLK_WRITE ? "raw_write" : "raw_read", reqsize, bytes,
	    clock_uptime_ns() - t0, sched_idle_ns() - idle0, ios);
	return error;
}

KTEST(blk_throughput, KTEST_EXPLICIT)
{
	static const size_t reqsizes[] = { PAGE_SIZE, 16 * PAGE_SIZE,
	    BENCH_MAX_REQ };
	const char *name = cmdline_get(&boot_cmdline, "blkbench");
	struct blkdev *bd = name != NULL ? blkdev_find(name) : NULL;
	uint64_t bytes = 0;
	struct vm_page *m;
	uint8_t *buf;

	KT_ASSERT(bd != NULL && !swap_pager_is_device(bd));
	for (int i = 0; i < platform.nmem; i++)
		bytes += 2 * (platform.mem[i].end - platform.mem[i].start);
	KT_ASSERT(bytes >= BENCH_MAX_REQ && bytes % BENCH_MAX_REQ == 0);
	KT_ASSERT((PAGE_SIZE + bytes) / BLK_SECTOR_SIZE <= bd->nsectors);
	m = vm_page_alloc_contig_nobj(atop(BENCH_MAX_REQ), 0);
	KT_ASSERT(m != NULL);
	buf = (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	for (size_t i = 0; i < sizeof(reqsizes) / sizeof(reqsizes[0]); i++) {
		int werr = sequential_pass(bd, BLK_WRITE, buf, reqsizes[i], bytes);
		int rerr = werr == 0 ? sequential_pass(bd, BLK_READ, buf,
		    reqsizes[i], bytes) : werr;

		if (rerr != 0) {
			vm_page_free_contig(m, atop(BENCH_MAX_REQ));
			KT_EQ(rerr, 0);
		}
	}
	vm_page_free_contig(m, atop(BENCH_MAX_REQ));
}
