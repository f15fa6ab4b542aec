/*
 * Kernel formatted output.  The formatter (kvformat) is machine independent
 * and also built into the host tests; kprintf writes to the console.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with the flags '-', '0' and '#',
 * a field width (number or '*'), a precision for %s, and the length
 * modifiers h, hh, l, ll, z and j.
 */
#ifndef KERN_PRINTF_H
#define KERN_PRINTF_H

#include "kern/types.h"

typedef void (*kputc_fn)(int c, void *arg);

int kvformat(kputc_fn put, void *arg, const char *fmt, va_list ap);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printflike(3, 4);

int kprintf(const char *fmt, ...) __printflike(1, 2);
int kvprintf(const char *fmt, va_list ap);

#endif
