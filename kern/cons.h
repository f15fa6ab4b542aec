/*
 * The system console.  Output goes to the firmware (SBI) until a UART
 * driver attaches, then to the UART; every character is also kept in the
 * message buffer that `dmesg` shows.  Input arrives by interrupt from the
 * attached driver and goes to the terminal (kern/tty.c).
 */
#ifndef KERN_CONS_H
#define KERN_CONS_H

#include "kern/types.h"

struct cons_dev {
	const char *name;
	void (*putc)(void *sc, int c);
	void *sc;
};

void cons_attach(const struct cons_dev *dev);
void cons_putc(int c);
void cons_write(const char *s, size_t n);
void cons_input(int c);
void cons_panic_mode(void);
size_t msgbuf_copy(char *dst, size_t size);

#endif
