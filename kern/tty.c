/*
 * The console terminal (see tty.h).
 *
 * Input arrives one byte at a time from the console driver's interrupt
 * handler (tty_input); edited lines wait in a ring until read.  Output
 * goes straight to the console, with "\n" made "\r\n".
 *
 * Job control, as Linux's: the console is the controlling terminal of
 * at most one session (tty_sid), that of a process whose p_ctty is set
 * and whose session it is.  A session leader without one acquires it by
 * opening the console without O_NOCTTY while no session has it, or by
 * TIOCSCTTY; TIOCNOTTY gives it up (the leader's for the whole session,
 * with SIGHUP and SIGCONT to the foreground group, as when the leader
 * exits: tty_session_exit).  Of the terminal's session, processes outside
 * the foreground group (tty_fg_pgid) are in the background: reading sends
 * their group SIGTTIN, and writing with TOSTOP set, changing the settings
 * or the foreground group sends SIGTTOU (tty_jobctl_check); ^C, ^\ and ^Z
 * signal the foreground group.
 *
 * Locking: tty_lock (a spin lock, taken in interrupt context too) guards
 * the ring, the line being edited and the settings; readers sleep on the
 * ring with tty_lock as the interlock.  proc_lock guards tty_sid and
 * tty_fg_pgid (the input interrupt reads tty_fg_pgid unlocked: a word),
 * since they are judged against processes' sessions and groups; the two
 * locks are never held together.
 */
#include "kern/cons.h"
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kernel.h"
#include "kern/proc.h"
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
#define VSUSP		10

static struct spinlock tty_lock = SPINLOCK_INIT("tty");
static char tty_ring[TTY_BUF];		/* completed input */
static unsigned tty_r, tty_w;
static char tty_line[TTY_LINE_MAX];	/* the line being edited */
static unsigned tty_linelen;
static int tty_eofs;			/* pending ^D marks */
static int tty_sid;			/* (p) the session it controls, 0: none */
static int tty_fg_pgid;			/* (p) foreground process group, 0: none */
static struct ktermios tty_termios = {
	.c_iflag = ICRNL,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0x0bf,		/* B38400 | CS8 | CREAD */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE,
	.c_cc = { [VINTR] = CTRL('c'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
	    [VKILL] = CTRL('u'), [VEOF] = CTRL('d'), [VMIN] = 1,
	    [VSUSP] = CTRL('z') },
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

/*
 * The signal typed character ch sends with ISIG set (^C, ^\, ^Z by
 * default), or 0; a control character set to 0 is disabled, as on Linux.
 * tty_lock held.
 */
static int
isig_signal(char ch)
{
	const uint8_t *cc = tty_termios.c_cc;

	if (ch == 0)
		return 0;
	if (ch == (char)cc[VINTR])
		return SIGINT;
	if (ch == (char)cc[VQUIT])
		return SIGQUIT;
	if (ch == (char)cc[VSUSP])
		return SIGTSTP;
	return 0;
}

/*
 * New termios t (TCSETS*); with flush, unread input goes (TCSETSF).  A
 * line being typed when canonical mode goes off becomes input as it is,
 * as Linux's n_tty does: a shell that switches to raw mode for its line
 * editor reads what was typed ahead while its last command ran.
 * tty_lock held.
 */
static void
tty_set_termios_locked(const struct ktermios *t, bool flush)
{
	bool was_canon = tty_termios.c_lflag & ICANON;

	tty_termios = *t;
	if (flush) {
		tty_r = tty_w;
		tty_linelen = 0;
	} else if (was_canon && !(t->c_lflag & ICANON) && tty_linelen > 0) {
		ring_put(tty_line, tty_linelen);
		tty_linelen = 0;
	}
}

/* One input byte, from interrupt context. */
void
tty_input(int c)
{
	char ch = (char)c;
	int sig = 0, fg;

	spin_lock(&tty_lock);
	if (ch == '\r' && (tty_termios.c_iflag & ICRNL))
		ch = '\n';
	if ((tty_termios.c_lflag & ISIG) && (sig = isig_signal(ch)) != 0) {
		tty_linelen = 0;
		echo(sig == SIGINT ? "^C\n" : sig == SIGQUIT ? "^\\\n" : "^Z\n",
		    3);
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
	fg = __atomic_load_n(&tty_fg_pgid, __ATOMIC_RELAXED);
	if (sig != 0 && fg != 0)
		pgsignal(fg, sig);
}

/* Is the console p's controlling terminal?  proc_lock held. */
static bool
is_ctty_locked(const struct proc *p)
{
	return p->p_ctty && tty_sid != 0 && p->p_sid == tty_sid;
}

/*
 * May the current thread go on with a terminal operation that a
 * background process must not do unasked (Linux's __tty_check_change)?
 * sig is the signal for it: SIGTTIN for a read, SIGTTOU for the others.
 * 0 if it may: the console is not its controlling terminal, there is no
 * foreground group or it is in it, or (SIGTTOU only) it ignores or blocks
 * sig.  Else EIO if it ignores or blocks SIGTTIN or its group is
 * orphaned (nobody would continue it), or EINTR after sending its group
 * sig: it stops, and the call runs again when it continues (or ends
 * with EINTR if a handler without SA_RESTART catches sig).  No lock held.
 */
static int
tty_jobctl_check(int sig)
{
	struct thread *td = curthread();
	struct proc *p = td->td_proc;
	int error, pgid;

	if (p == NULL)
		return 0;	/* the kernel monitor */
	spin_lock(&proc_lock);
	pgid = p->p_pgid;
	if (!is_ctty_locked(p) || tty_fg_pgid == 0 || pgid == tty_fg_pgid)
		error = 0;
	else if (p->p_sigacts.handler[sig] == SIG_IGN ||
	    (td->td_sigmask & sigmask(sig)))
		error = sig == SIGTTIN ? EIO : 0;
	else if (pgrp_orphaned_locked(pgid, NULL))
		error = EIO;
	else
		error = EINTR;
	spin_unlock(&proc_lock);
	if (error == EINTR)
		pgsignal(pgid, sig);
	return error;
}

/*
 * Read what is available, waiting for a complete line (canonical mode)
 * or a byte.  At most one line per call, as terminals do.  Returns 0,
 * EINTR if a signal arrived while waiting, or tty_jobctl_check's error
 * for a background reader.
 */
int
tty_read(struct uio *uio)
{
	char buf[128];
	size_t n = 0;
	int error = tty_jobctl_check(SIGTTIN);

	if (error != 0)
		return error;
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

/* Write to the console; with TOSTOP set, a background writer is checked. */
int
tty_write(struct uio *uio)
{
	char buf[128];
	int error = 0;

	if (__atomic_load_n(&tty_termios.c_lflag, __ATOMIC_RELAXED) & TOSTOP)
		error = tty_jobctl_check(SIGTTOU);
	while (error == 0 && uio->uio_resid > 0) {
		size_t n = MIN(uio->uio_resid, sizeof(buf)), resid = uio->uio_resid;

		error = uio_copy(buf, n, uio, false);
		cons_write(buf, resid - uio->uio_resid);	/* what arrived */
	}
	return error;
}

/*
 * Opening the console: /dev/tty (devtty) is the caller's controlling
 * terminal, ENXIO if it has none; /dev/console without O_NOCTTY becomes
 * the controlling terminal of a session leader that has none while no
 * session has it.  Returns 0 or ENXIO.  No lock held.
 */
int
tty_open(bool devtty, int flags)
{
	struct proc *p = curproc();
	int error = 0;

	if (p == NULL)
		return 0;
	spin_lock(&proc_lock);
	if (devtty && !is_ctty_locked(p))
		error = ENXIO;
	else if (!devtty && !(flags & O_NOCTTY) && p->p_pid == p->p_sid &&
	    tty_sid == 0) {
		tty_sid = p->p_sid;
		__atomic_store_n(&tty_fg_pgid, p->p_pgid, __ATOMIC_RELAXED);
		p->p_ctty = true;
	}
	spin_unlock(&proc_lock);
	return error;
}

/*
 * The console stops being a controlling terminal (its session leader
 * gave it up or exited); the foreground group gets SIGHUP and SIGCONT.
 * proc_lock held on entry, dropped on return.
 */
static void
tty_hangup_unlock(void)
{
	int fg = tty_fg_pgid;

	tty_sid = 0;
	__atomic_store_n(&tty_fg_pgid, 0, __ATOMIC_RELAXED);
	spin_unlock(&proc_lock);
	if (fg != 0) {
		pgsignal(fg, SIGHUP);
		pgsignal(fg, SIGCONT);
	}
}

/* Exiting process p: if it leads the terminal's session, hang up. */
void
tty_session_exit(struct proc *p)
{
	spin_lock(&proc_lock);
	if (p->p_pid == p->p_sid && is_ctty_locked(p))
		tty_hangup_unlock();
	else
		spin_unlock(&proc_lock);
}

/*
 * TIOCSCTTY, as Linux: a session leader without a controlling terminal
 * takes the console if no session has it, or (steal 1: we are always
 * privileged) from the session that has it; 0 at once if its session has
 * it already; EPERM otherwise.
 */
static int
tty_set_ctty(uint64_t steal)
{
	struct proc *p = curproc();
	int error = 0;

	spin_lock(&proc_lock);
	if (p->p_pid == p->p_sid && tty_sid == p->p_sid)
		p->p_ctty = true;
	else if (p->p_pid != p->p_sid || (tty_sid != 0 && steal != 1))
		error = EPERM;
	else {
		tty_sid = p->p_sid;
		__atomic_store_n(&tty_fg_pgid, p->p_pgid, __ATOMIC_RELAXED);
		p->p_ctty = true;
	}
	spin_unlock(&proc_lock);
	return error;
}

/*
 * TIOCNOTTY: ENOTTY unless the console is the caller's controlling
 * terminal; a session leader's gives it up for the whole session (with
 * SIGHUP and SIGCONT to the foreground group), anyone else's only for
 * itself.
 */
static int
tty_give_up_ctty(void)
{
	struct proc *p = curproc();

	spin_lock(&proc_lock);
	if (!is_ctty_locked(p)) {
		spin_unlock(&proc_lock);
		return ENOTTY;
	}
	p->p_ctty = false;
	if (p->p_pid == p->p_sid)
		tty_hangup_unlock();
	else
		spin_unlock(&proc_lock);
	return 0;
}

/*
 * TIOCGPGRP (foreground group) and TIOCGSID (session): ENOTTY unless
 * the console is the caller's controlling terminal.
 */
static int
tty_get_id(unsigned long cmd, uint64_t arg)
{
	struct proc *p = curproc();
	int32_t id = 0;
	bool mine;

	spin_lock(&proc_lock);
	mine = p == NULL || is_ctty_locked(p);
	if (mine)
		id = cmd == TIOCGSID ? tty_sid : tty_fg_pgid;
	spin_unlock(&proc_lock);
	if (!mine)
		return ENOTTY;
	return copyout(&id, (void *)arg, sizeof(id));
}

/*
 * TIOCSPGRP, with Linux's checks in its order: ENOTTY unless the console
 * is the caller's controlling terminal; a background caller is checked
 * for SIGTTOU (an orphaned one gets ENOTTY); EFAULT; EINVAL for a negative
 * group, ESRCH for one that does not exist, EPERM for one in another
 * session.
 */
static int
tty_set_pgrp(uint64_t arg)
{
	struct proc *p = curproc();
	int32_t pgid;
	int error, sid;

	spin_lock(&proc_lock);
	error = p == NULL || is_ctty_locked(p) ? 0 : ENOTTY;
	spin_unlock(&proc_lock);
	if (error == 0)
		error = tty_jobctl_check(SIGTTOU);
	if (error != 0)
		return error == EIO ? ENOTTY : error;
	if (copyin((void *)arg, &pgid, sizeof(pgid)) != 0)
		return EFAULT;
	if (pgid < 0)
		return EINVAL;
	spin_lock(&proc_lock);
	sid = pgrp_session_locked(pgid);
	if (sid < 0)
		error = ESRCH;
	else if (p != NULL && sid != p->p_sid)
		error = EPERM;
	else
		__atomic_store_n(&tty_fg_pgid, pgid, __ATOMIC_RELAXED);
	spin_unlock(&proc_lock);
	return error;
}

/*
 * The terminal ioctls programs use: get/set termios (a background
 * caller's set is checked for SIGTTOU), window size, and job control.
 */
int
tty_ioctl(unsigned long cmd, uint64_t arg)
{
	struct ktermios t;
	uint16_t winsize[4] = { 24, 80, 0, 0 };
	int error;

	switch (cmd) {
	case TCGETS:
		spin_lock(&tty_lock);
		t = tty_termios;
		spin_unlock(&tty_lock);
		return copyout(&t, (void *)arg, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if ((error = tty_jobctl_check(SIGTTOU)) != 0)
			return error;
		if (copyin((void *)arg, &t, sizeof(t)) != 0)
			return EFAULT;
		spin_lock(&tty_lock);
		tty_set_termios_locked(&t, cmd == TCSETSF);
		spin_unlock(&tty_lock);
		return 0;
	case TIOCGWINSZ:
		return copyout(winsize, (void *)arg, sizeof(winsize));
	case TIOCGPGRP:
	case TIOCGSID:
		return tty_get_id(cmd, arg);
	case TIOCSPGRP:
		return tty_set_pgrp(arg);
	case TIOCSCTTY:
		return tty_set_ctty(arg);
	case TIOCNOTTY:
		return tty_give_up_ctty();
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
