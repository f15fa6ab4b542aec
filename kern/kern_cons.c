/*
 * Console output, the message buffer, and console input (see cons.h).
 *
 * Locking: cons_lock serialises output so lines from different harts do
 * not interleave mid-character; it also protects the message buffer.
 * Input goes to the terminal line discipline (kern/tty.c).
 * After a panic, output bypasses cons_lock: the panicking hart may hold it.
 */
#include "kern/cons.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/sysctl.h"
#include "machine/riscv.h"
#include "kern/tty.h"
#include "machine/sbi.h"

#define MSGBUF_SIZE	16384

static struct spinlock cons_lock = SPINLOCK_INIT("cons");
static const struct cons_dev *cons_dev;
static bool cons_panicking;

static char msgbuf[MSGBUF_SIZE];
static uint64_t msgbuf_len;		/* total characters ever written */


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
