/*
 * shootbench: the cost of one remote TLB shootdown to the hart that sends
 * it, read with rdinstret (make smpbench).  Under QEMU's -icount that is
 * the exact count of the hart's instructions (user, kernel and firmware);
 * without it (multi-threaded TCG, which two harts need here: see
 * scripts/smpbench.py) QEMU returns host timestamp-counter ticks, so the
 * figure is a time in host ticks.
 *
 * mprotect(PROT_READ) of one mapped, writable page invalidates its PTE;
 * then mprotect(PROT_READ|PROT_WRITE) gives write access back (that only
 * changes the map: the next write faults the PTE writable again).  Timed
 * twice:
 *   alone:  no other thread, so the pmap is active on this hart only;
 *   remote: a second thread spins reading the page on the other hart,
 *           so every downgrade also sends an RFENCE there and waits.
 * The difference per downgrade is the cost of one remote shootdown to one
 * hart, as the sender sees it (its SBI call, the firmware's IPI and its
 * wait for the other hart's acknowledgement).  vm.pmap.shootdowns says
 * how many were really sent.  Prints:
 *   shootbench: alone INSNS remote INSNS shootdown INSNS sent N of M
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "bench.h"
#include "vmksys.h"

#define ROUNDS	200

static volatile int stop, started;

static inline uint64_t
instret(void)
{
	uint64_t n;

	__asm__ volatile("rdinstret %0" : "=r"(n) : : "memory");
	return n;
}

static void *
reader(void *arg)
{
	volatile char *p = arg;

	started = 1;
	while (!stop)
		(void)p[0];
	return NULL;
}

/* Instructions per downgrade, over ROUNDS downgrade + upgrade + write. */
static uint64_t
downgrade_cost(char *p)
{
	uint64_t total = 0;

	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0;

		p[0] = (char)i;		/* the PTE is writable again */
		t0 = instret();
		mprotect(p, 4096, PROT_READ);
		total += instret() - t0;
		mprotect(p, 4096, PROT_READ | PROT_WRITE);
	}
	return total / ROUNDS;
}

int
main(void)
{
	char *p = bench_map_anon("shootbench", 1);
	uint64_t alone, remote, sent;
	pthread_t td;

	alone = downgrade_cost(p);
	if (pthread_create(&td, NULL, reader, p) != 0) {
		fprintf(stderr, "shootbench: pthread_create failed\n");
		return 1;
	}
	while (!started)
		;
	sent = vmk_sysctl_u64("vm.pmap.shootdowns");
	remote = downgrade_cost(p);
	sent = vmk_sysctl_u64("vm.pmap.shootdowns") - sent;
	stop = 1;
	pthread_join(td, NULL);
	printf("shootbench: alone %lu remote %lu shootdown %ld sent %lu of %d\n",
	    (unsigned long)alone, (unsigned long)remote,
	    (long)(remote - alone), (unsigned long)sent, ROUNDS);
	return sent == 0;
}
