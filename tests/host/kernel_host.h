/*
 * Host-side kernel services for the tier-1 tests (see kernel_host.c):
 * what kern/kernel.h and vm/pmap.h declare but the machine-independent
 * sources do not define, plus helpers the tests share.
 *
 * panic() is reported through cmocka's mock_assert(), so a test expects
 * a panic with expect_assert_failure(call) and then finds the message in
 * host_panic_msg; an unexpected panic fails the running test.
 */
#ifndef TESTS_HOST_KERNEL_HOST_H
#define TESTS_HOST_KERNEL_HOST_H

#include <stdio.h>

#include "kern/types.h"

#define HOST_RAM_POISON	0xa5	/* fill byte of fresh fake RAM */

extern char host_panic_msg[512];	/* message of the last panic */
extern FILE *host_console;		/* kprintf output; NULL: stdout */
extern int host_spin_held;		/* spin locks currently held */
extern void (*host_sleep_hook)(void);	/* runs when a timed sleep "sleeps" */
extern void (*host_io_hook)(void);	/* runs while block I/O is in flight */
extern int host_oom_kills;		/* vm_oom_kill() calls */
extern bool host_signal_pending;	/* tsleep_sig returns EINTR */
extern bool host_ramdisk_read_error;	/* RAM disk reads fail with EIO */

struct blkdev;

void *host_ram_init(paddr_t base, size_t npages);
struct blkdev *host_ramdisk(const char *name, size_t npages, bool swap);
void host_ramdisk_free(struct blkdev *bd);
bool host_ram_contains(const void *p, size_t len);
uint8_t *host_read_dtb(const char *name, size_t *sizep);
void host_put32(uint8_t *p, uint32_t v);

#endif
