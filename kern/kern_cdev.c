/*
 * Character devices: the switch from a device node's number to its
 * driver.  Opening a VCHR vnode (sys_openat) calls cdev_open, which finds
 * the driver by major and minor and makes the open file.  A number with
 * no driver is ENXIO, as on Linux.
 *
 * The memory devices (Linux's major 1) live here: null, zero, full,
 * random and urandom.  Their open files keep the node's vnode for fstat.
 * The terminal devices (major 5: tty, console) open the console tty, the
 * only terminal there is: /dev/tty only for a process whose controlling
 * terminal it is, /dev/console for anyone (tty_open: it may become the
 * caller's controlling terminal).
 *
 * The random generator (also getrandom's) is an xorshift64 seeded from
 * the clock: unpredictable enough for mktemp and hash seeds, not for
 * keys.  Lock legend: (r) random_lock, a spin lock.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/thread.h"
#include "kern/tty.h"
#include "kern/uaccess.h"

static struct spinlock random_lock = SPINLOCK_INIT("random");
static uint64_t random_state;		/* (r) never 0 once seeded */

/* n pseudo-random bytes into the kernel buffer buf. */
void
random_fill(uint8_t *buf, size_t n)
{
	spin_lock(&random_lock);
	if (random_state == 0)
		random_state = clock_uptime_ns() * 0x9e3779b97f4a7c15ULL | 1;
	for (size_t i = 0; i < n; i++) {
		random_state ^= random_state << 13;
		random_state ^= random_state >> 7;
		random_state ^= random_state << 17;
		buf[i] = (uint8_t)random_state;
	}
	spin_unlock(&random_lock);
}

/* What is written to /dev/random is stirred into the state (Linux mixes
 * it into its pool too, without crediting entropy). */
static void
random_mix(const uint8_t *buf, size_t n)
{
	spin_lock(&random_lock);
	for (size_t i = 0; i < n; i++)
		random_state = (random_state ^ buf[i]) * 0x100000001b3ULL | 1;
	spin_unlock(&random_lock);
}

/*
 * Fill the reader's buffer from fill (zeros or random bytes), a chunk at
 * a time.  As Linux's, a long read stops early at a page boundary when a
 * signal is pending (returning what it moved).
 */
static int
mem_read_fill(struct uio *uio, bool random)
{
	uint8_t chunk[256];
	size_t done = 0;

	if (!random)
		memset(chunk, 0, sizeof(chunk));
	while (uio->uio_resid > 0) {
		size_t n = MIN(uio->uio_resid, sizeof(chunk));
		int error;

		if (random)
			random_fill(chunk, n);
		error = uiomove(chunk, n, uio);
		if (error != 0)
			return error;
		done += n;
		if (done % PAGE_SIZE == 0 && signal_pending(curthread()))
			break;
	}
	return 0;
}

static int
null_read(struct file *fp, struct uio *uio)
{
	return 0;			/* always at its end */
}

/* Writes to null and zero vanish whole. */
static int
sink_write(struct file *fp, struct uio *uio)
{
	uio->uio_resid = 0;
	return 0;
}

static int
zero_read(struct file *fp, struct uio *uio)
{
	return mem_read_fill(uio, false);
}

static int
full_write(struct file *fp, struct uio *uio)
{
	return ENOSPC;
}

static int
random_read(struct file *fp, struct uio *uio)
{
	return mem_read_fill(uio, true);
}

static int
random_write(struct file *fp, struct uio *uio)
{
	uint8_t chunk[256];

	while (uio->uio_resid > 0) {
		size_t before = uio->uio_resid, n = MIN(before, sizeof(chunk));
		int error = uio_copy(chunk, n, uio, false);

		random_mix(chunk, before - uio->uio_resid);
		if (error != 0)
			return error;
	}
	return 0;
}

static int
mem_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	return ENOTTY;
}

static int
mem_stat(struct file *fp, struct vattr *va)
{
	return vn_getattr(fp->f_vnode, va);
}

static int
mem_poll(struct file *fp, int events)
{
	return events & (POLLIN | POLLOUT);	/* never blocks */
}

static void
mem_close(struct file *fp)
{
	vrele(fp->f_vnode);
}

#define MEMDEV_OPS(rd, wr) { .read = rd, .write = wr, .ioctl = mem_ioctl, \
	.stat = mem_stat, .poll = mem_poll, .close = mem_close }

static const struct fileops null_ops = MEMDEV_OPS(null_read, sink_write);
static const struct fileops zero_ops = MEMDEV_OPS(zero_read, sink_write);
static const struct fileops full_ops = MEMDEV_OPS(zero_read, full_write);
static const struct fileops random_ops = MEMDEV_OPS(random_read, random_write);

/* The device switch, by Linux's numbers (Documentation/admin-guide/devices.txt). */
static const struct cdevsw {
	uint32_t major, minor;
	const struct fileops *ops;	/* NULL: the console tty */
} cdevsw[] = {
	{ 1, 3, &null_ops },		/* /dev/null */
	{ 1, 5, &zero_ops },		/* /dev/zero */
	{ 1, 7, &full_ops },		/* /dev/full */
	{ 1, 8, &random_ops },		/* /dev/random */
	{ 1, 9, &random_ops },		/* /dev/urandom */
	{ 5, 0, NULL },			/* /dev/tty */
	{ 5, 1, NULL },			/* /dev/console */
};

/*
 * Open the character device node vp (whose reference this takes over,
 * success or not) with the open flags.  Returns 0 with *fpp, ENXIO for a
 * number without a driver, or ENOMEM.
 */
int
cdev_open(struct vnode *vp, int flags, struct file **fpp)
{
	struct vattr va;
	int error = vn_getattr(vp, &va);

	for (size_t i = 0; error == 0 && i < nitems(cdevsw); i++) {
		const struct cdevsw *d = &cdevsw[i];

		if (d->major != DEV_MAJOR(va.va_rdev) ||
		    d->minor != DEV_MINOR(va.va_rdev))
			continue;
		if (d->ops == NULL) {
			vrele(vp);
			error = tty_open(d->minor == 0, flags);
			return error != 0 ? error : tty_file_open(flags, fpp);
		}
		*fpp = file_alloc(DTYPE_CDEV, d->ops, flags);
		if (*fpp == NULL) {
			vrele(vp);
			return ENOMEM;
		}
		(*fpp)->f_vnode = vp;
		return 0;
	}
	vrele(vp);
	return error != 0 ? error : ENXIO;
}
