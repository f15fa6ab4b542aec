/*
 * Freestanding string and memory routines.  memset and memcpy work a word
 * at a time when the pointers allow it; the compiler also calls them for
 * struct copies and zeroing.
 */
#include "kern/libkern.h"

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = (unsigned char)c * 0x0101010101010101ULL;

	while (n > 0 && ((uintptr_t)d & 7) != 0) {
		*d++ = (unsigned char)c;
		n--;
	}
	/* Eight words a round: fork zeroes a few KiB of structures. */
	for (; n >= 64; n -= 64, d += 64) {
		uint64_t *w = (uint64_t *)d;

		w[0] = word, w[1] = word, w[2] = word, w[3] = word;
		w[4] = word, w[5] = word, w[6] = word, w[7] = word;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = word;
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

void *
memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			uint64_t *w = (uint64_t *)d;
			const uint64_t *r = (const uint64_t *)s;
			uint64_t a = r[0], b = r[1], c = r[2], e = r[3];

			w[0] = a, w[1] = b, w[2] = c, w[3] = e;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n-- > 0)
		d[n] = s[n];
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t
strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

size_t
strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}
