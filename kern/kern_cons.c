/*
 * Console output, the message buffer, and console input (see cons.h).
 *
 * Locking: cons_lock serialises output so lines from different harts do
 * not interleave mid-character; it also protects the message buffer.
 * Input goes to the terminal line discipline (kern/tty.c).
 * After a panic, output bypasses cons_lock: the panicking hart may hold it.
 */
#include "kern/clock.h"
#include "kern/cons.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/syscall.h"
#include "kern/sysctl.h"
#include "kern/uaccess.h"
#include "machine/riscv.h"
#include "kern/tty.h"
#include "machine/sbi.h"

#define MSGBUF_SIZE	16384

static struct spinlock cons_lock = SPINLOCK_INIT("cons");
static const struct cons_dev *cons_dev;
static bool cons_panicking;

static char msgbuf[MSGBUF_SIZE];
static uint64_t msgbuf_len;		/* total characters ever written */
static uint64_t msgbuf_cleared;		/* msgbuf_len at syslog's last clear */
static uint64_t msgbuf_read;		/* where syslog's READ goes on */


void
cons_attach(const struct cons_dev *dev)
{
	spin_lock(&cons_lock);
	cons_dev = dev;
	spin_unlock(&cons_lock);
}

void
cons_panic_mode(void)
{
	cons_panicking = true;
}

static void
cons_emit(int c)
{
	if (cons_dev != NULL)
		cons_dev->putc(cons_dev->sc, c);
	else
		sbi_console_putchar(c);
}

/* Terminals want CR LF; the message buffer keeps plain LF. */
static void
cons_putc_locked(int c)
{
	msgbuf[msgbuf_len++ % MSGBUF_SIZE] = (char)c;
	if (c == '\n')
		cons_emit('\r');
	cons_emit(c);
}

void
cons_write(const char *s, size_t n)
{
	if (cons_panicking) {
		while (n-- > 0)
			cons_putc_locked(*s++);
		return;
	}
	spin_lock(&cons_lock);
	while (n-- > 0)
		cons_putc_locked(*s++);
	spin_unlock(&cons_lock);
}

void
cons_putc(int c)
{
	char ch = (char)c;

	cons_write(&ch, 1);
}

/*
 * Copy the message buffer, oldest first, into dst (NUL-terminated).
 * Returns the number of characters copied.
 */
size_t
msgbuf_copy(char *dst, size_t size)
{
	size_t n, start;

	if (size == 0)
		return 0;
	spin_lock(&cons_lock);
	n = MIN(msgbuf_len, MSGBUF_SIZE);
	n = MIN(n, size - 1);
	start = msgbuf_len - n;
	for (size_t i = 0; i < n; i++)
		dst[i] = msgbuf[(start + i) % MSGBUF_SIZE];
	spin_unlock(&cons_lock);
	dst[n] = '\0';
	return n;
}

#define SYSLOG_ACTION_CLOSE		0
#define SYSLOG_ACTION_OPEN		1
#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

/* A READ waiting for text looks again this often (see msgbuf_read_next). */
#define MSGBUF_READ_POLL	(HZ / 20)

/* Characters READ has not taken yet (those overwritten are lost).
 * cons_lock held. */
static uint64_t
msgbuf_unread_locked(void)
{
	uint64_t oldest = msgbuf_len > MSGBUF_SIZE ? msgbuf_len - MSGBUF_SIZE : 0;

	return msgbuf_len - MAX(msgbuf_read, oldest);
}

static uint64_t
msgbuf_unread(void)
{
	uint64_t n;

	spin_lock(&cons_lock);
	n = msgbuf_unread_locked();
	spin_unlock(&cons_lock);
	return n;
}

/*
 * syslog's READ: up to len unread characters into dst, taken (the next
 * READ goes on after them); waits while there are none.  The wait polls:
 * the kernel prints from any context (interrupts, with the scheduler's
 * lock held), where a wakeup could not be issued.  Returns the count, or
 * -EINTR if a signal came first.
 */
static int64_t
msgbuf_read_next(char *dst, size_t len)
{
	size_t n;

	while (msgbuf_unread() == 0)
		if (tsleep_sig(&msgbuf_read, NULL, "klog", MSGBUF_READ_POLL) ==
		    EINTR)
			return -EINTR;
	spin_lock(&cons_lock);
	n = MIN(msgbuf_unread_locked(), len);
	msgbuf_read = msgbuf_len - msgbuf_unread_locked();
	for (size_t i = 0; i < n; i++)
		dst[i] = msgbuf[(msgbuf_read + i) % MSGBUF_SIZE];
	msgbuf_read += n;
	spin_unlock(&cons_lock);
	return (int64_t)n;
}

/*
 * The newest len bytes (at most) written since the last clear, into the
 * kernel buffer dst; with clear, they count as cleared.  Returns how many.
 */
static size_t
msgbuf_tail(char *dst, size_t len, bool clear)
{
	size_t n, start;

	spin_lock(&cons_lock);
	n = MIN(msgbuf_len - msgbuf_cleared, MSGBUF_SIZE);
	n = MIN(n, len);
	start = msgbuf_len - n;
	for (size_t i = 0; i < n; i++)
		dst[i] = msgbuf[(start + i) % MSGBUF_SIZE];
	if (clear)
		msgbuf_cleared = msgbuf_len;
	spin_unlock(&cons_lock);
	return n;
}

/*
 * syslog(2) (klogctl), what dmesg uses: read all of the buffer since the
 * last clear (the newest len bytes of it), clear it, its size.  Linux's
 * actions with the same errors: a NULL buffer or negative length is
 * EINVAL, an unwritable buffer EFAULT.  Every message goes to the console
 * (there are no levels), so the console actions change nothing.  The
 * destructive read (2) waits for messages not read yet and takes them,
 * as klogd's (and /proc/kmsg's) reads do; 9 counts them.
 */
int64_t
sys_syslog(int type, uaddr_t ubuf, int len)
{
	char *kbuf;
	size_t n;

	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return len < 1 || len > 8 ? -EINVAL : 0;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return MSGBUF_SIZE;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (int64_t)msgbuf_unread();
	case SYSLOG_ACTION_CLEAR:
		spin_lock(&cons_lock);
		msgbuf_cleared = msgbuf_len;
		spin_unlock(&cons_lock);
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		break;
	default:
		return -EINVAL;
	}
	if (ubuf == 0 || len < 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!access_ok(ubuf, (size_t)len))
		return -EFAULT;
	kbuf = kmalloc(MSGBUF_SIZE, 0);
	if (kbuf == NULL)
		return -ENOMEM;
	if (type == SYSLOG_ACTION_READ)
		n = (size_t)msgbuf_read_next(kbuf, MIN((size_t)len, MSGBUF_SIZE));
	else
		n = msgbuf_tail(kbuf, MIN((size_t)len, MSGBUF_SIZE),
		    type == SYSLOG_ACTION_READ_CLEAR);
	if ((int64_t)n >= 0 && copyout(kbuf, (void *)ubuf, n) != 0)
		n = (size_t)-EFAULT;
	kfree(kbuf);
	return (int64_t)n;
}

/* kern.msgbuf: the message buffer's text, oldest first (what dmesg shows). */
static int64_t
sysctl_msgbuf(const struct sysctl_node *node, struct sysctl_req *req)
{
	char *text = kmalloc(MSGBUF_SIZE + 1, 0);
	int64_t len;

	if (text == NULL)
		return -ENOMEM;
	len = sysctl_out(req, text, msgbuf_copy(text, MSGBUF_SIZE + 1) + 1);
	kfree(text);
	return len;
}

SYSCTL_PROC(kern_msgbuf, "kern.msgbuf", CTLTYPE_STRING, CTLFLAG_RD,
    sysctl_msgbuf, 0, "the kernel message buffer, oldest line first");

/* Called by the console driver's interrupt handler for each character. */
void
cons_input(int c)
{
	tty_input(c);
}

static void
cons_putc_fn(int c, void *arg __unused)
{
	cons_putc(c);
}

int
kvprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < (int)sizeof(buf)) {
		cons_write(buf, (size_t)n);
		return n;
	}
	/* Too long for the stack buffer: format straight to the console. */
	return kvformat(cons_putc_fn, NULL, fmt, ap);
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
