/*
 * The console terminal: a line discipline over the console device.
 * Canonical mode (the default) collects a line with echo and erase and
 * hands it to readers at the newline; ^C sends SIGINT, ^\ SIGQUIT and ^Z
 * SIGTSTP to the foreground process group, ^D ends input.  It is the
 * controlling terminal of at most one session (job control: tty.c).  Non-canonical mode (ICANON
 * off) passes each byte through.
 */
#ifndef KERN_TTY_H
#define KERN_TTY_H

#include "kern/types.h"

struct uio;

/* Linux's struct termios as TCGETS/TCSETS pass it (asm-generic). */
#define NCCS	19
struct ktermios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429

#define ICANON	0000002
#define ISIG	0000001
#define ECHO	0000010
#define ECHOE	0000020
#define TOSTOP	0000400
#define ICRNL	0000400
#define OPOST	0000001
#define ONLCR	0000004

void tty_input(int c);
int tty_read(struct uio *uio);
int tty_write(struct uio *uio);
int tty_ioctl(unsigned long cmd, uint64_t arg);
int tty_open(bool devtty, int flags);
struct proc;
void tty_session_exit(struct proc *p);
bool tty_readable(void);

#endif
