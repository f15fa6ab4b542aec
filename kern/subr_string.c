/*
 * String helpers that are not in ISO C.  Kept apart from libkern.c so the
 * host tests can build them against the host libc.
 */
#include "kern/libkern.h"

/* BSD strlcpy: always terminates (size > 0); returns strlen(src). */
size_t
kstrlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool
str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}
