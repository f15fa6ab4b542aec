/*
 * The C string and memory routines the kernel provides itself.  The
 * prototypes match ISO C so that the host test build can use its libc's.
 */
#ifndef KERN_LIBKERN_H
#define KERN_LIBKERN_H

#include "kern/types.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t kstrlcpy(char *dst, const char *src, size_t size);
bool str_starts_with(const char *s, const char *prefix);

#endif
