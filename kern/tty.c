/*
 * The console terminal (see tty.h).
 *
 * Input arrives one byte at a time from the console driver's interrupt
 * handler (tty_input); edited lines wait in a ring until read.  Output
 * goes straight to the console, with "\n" made "\r\n".
 *
 * Locking: tty_lock (a spin lock, taken in interrupt context too) guards
 * the ring, the line being edited and the settings; readers sleep on the
 * ring with tty_lock as the interlock.
 */
#include "kern/cons.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/kernel.h"
#include "kern/signal.h"
#include "kern/thread.h"
#include "kern/tty.h"
#include "kern/uaccess.h"
#include "fs/vnode.h"

#define TTY_BUF		1024
#define TTY_LINE_MAX	512

#define CTRL(c)		((c) & 0x1f)
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VMIN		6

static struct spinlock tty_lock = SPINLOCK_INIT("tty");
static char tty_ring[TTY_BUF];		/* completed input */
static unsigned tty_r, tty_w;
static char tty_line[TTY_LINE_MAX];	/* the line being edited */
static unsigned tty_linelen;
static int tty_eofs;			/* pending ^D marks */
static int tty_fg_pgid;			/* foreground process group, 0: none */
static struct ktermios tty_termios = {
	.c_iflag = ICRNL,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0x0bf,		/* B38400 | CS8 | CREAD */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE,
	.c_cc = { [VINTR] = CTRL('c'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
	    [VKILL] = CTRL('u'), [VEOF] = CTRL('d'), [VMIN] = 1 },
};

/* Move bytes into the ring for readers.  tty_lock held. */
static void
ring_put(const char *s, unsigned n)
{
	for (unsigned i = 0; i < n && tty_w - tty_r < TTY_BUF; i++)
		tty_ring[tty_w++ % TTY_BUF] = s[i];
	wakeup(&tty_ring);
	poll_wakeup();
}

static void
echo(const char *s, size_t n)
{
	if (tty_termios.c_lflag & ECHO)
		cons_write(s, n);
}

/* One input byte, from interrupt context. */
void
tty_input(int c)
{
	char ch = (char)c;
	int sig = 0;

	spin_lock(&tty_lock);
	if (ch == '\r' && (tty_termios.c_iflag & ICRNL))
		ch = '\n';
	if ((tty_termios.c_lflag & ISIG) && (ch == tty_termios.c_cc[VINTR] ||
	    ch == tty_termios.c_cc[VQUIT])) {
		sig = ch == tty_termios.c_cc[VINTR] ? SIGINT : SIGQUIT;
		tty_linelen = 0;
		echo(ch == tty_termios.c_cc[VINTR] ? "^C\n" : "^\\\n", 3);
	} else if (!(tty_termios.c_lflag & ICANON)) {
		ring_put(&ch, 1);
		echo(&ch, 1);
	} else if (ch == tty_termios.c_cc[VERASE] || ch == '\b') {
		if (tty_linelen > 0) {
			tty_linelen--;
			echo("\b \b", 3);
		}
	} else if (ch == tty_termios.c_cc[VKILL]) {
		while (tty_linelen > 0) {
			tty_linelen--;
			echo("\b \b", 3);
		}
	} else if (ch == tty_termios.c_cc[VEOF]) {
		ring_put(tty_line, tty_linelen);
		if (tty_linelen == 0)
			tty_eofs++;
		tty_linelen = 0;
		wakeup(&tty_ring);
	} else if (tty_linelen < TTY_LINE_MAX - 1 || ch == '\n') {
		tty_line[tty_linelen++] = ch;
		echo(&ch, 1);
		if (ch == '\n') {
			ring_put(tty_line, tty_linelen);
			tty_linelen = 0;
		}
	}
	spin_unlock(&tty_lock);
	if (sig != 0 && tty_fg_pgid != 0)
		pgsignal(tty_fg_pgid, sig);
}

/*
 * Read what is available, waiting for a complete line (canonical mode)
 * or a byte.  At most one line per call, as terminals do.  Returns 0 or
 * EINTR if a signal arrived while waiting.
 */
int
tty_read(struct uio *uio)
{
	char buf[128];
	size_t n = 0;
	int error = 0;

	spin_lock(&tty_lock);
	while (tty_r == tty_w && tty_eofs == 0) {
		if (tsleep_sig(&tty_ring, &tty_lock, "ttyin", 0) == EINTR) {
			spin_unlock(&tty_lock);
			return EINTR;
		}
	}
	if (tty_r == tty_w) {
		tty_eofs--;		/* ^D on an empty line: end of file */
		spin_unlock(&tty_lock);
		return 0;
	}
	while (n < sizeof(buf) && n < uio->uio_resid && tty_r != tty_w) {
		buf[n] = tty_ring[tty_r++ % TTY_BUF];
		if (buf[n++] == '\n' && (tty_termios.c_lflag & ICANON))
			break;
	}
	spin_unlock(&tty_lock);
	error = uiomove(buf, n, uio);
	return error;
}

int
tty_write(struct uio *uio)
{
	char buf[128];

	while (uio->uio_resid > 0) {
		size_t n = MIN(uio->uio_resid, sizeof(buf)), resid = uio->uio_resid;
		int error = uio_copy(buf, n, uio, false);

		cons_write(buf, resid - uio->uio_resid);	/* what arrived */
		if (error != 0)
			return error;
	}
	return 0;
}

void
tty_set_foreground(int pgid)
{
	spin_lock(&tty_lock);
	tty_fg_pgid = pgid;
	spin_unlock(&tty_lock);
}

/* The terminal ioctls programs use: get/set termios, window size, pgrp. */
int
tty_ioctl(unsigned long cmd, uint64_t arg)
{
	struct ktermios t;
	int32_t pgid;
	uint16_t winsize[4] = { 24, 80, 0, 0 };

	switch (cmd) {
	case TCGETS:
		spin_lock(&tty_lock);
		t = tty_termios;
		spin_unlock(&tty_lock);
		return copyout(&t, (void *)arg, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (copyin((void *)arg, &t, sizeof(t)) != 0)
			return EFAULT;
		spin_lock(&tty_lock);
		tty_termios = t;
		if (cmd == TCSETSF)
			tty_r = tty_w;
		spin_unlock(&tty_lock);
		return 0;
	case TIOCGWINSZ:
		return copyout(winsize, (void *)arg, sizeof(winsize));
	case TIOCGPGRP:
		pgid = tty_fg_pgid;
		return copyout(&pgid, (void *)arg, sizeof(pgid));
	case TIOCSPGRP:
		if (copyin((void *)arg, &pgid, sizeof(pgid)) != 0)
			return EFAULT;
		tty_set_foreground(pgid);
		return 0;
	default:
		return ENOTTY;
	}
}

/* Would a read return at once (data or end of file waiting)? */
bool
tty_readable(void)
{
	bool ready;

	spin_lock(&tty_lock);
	ready = tty_r != tty_w || tty_eofs > 0;
	spin_unlock(&tty_lock);
	return ready;
}
