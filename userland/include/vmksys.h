/*
 * Userland helpers for the vmk sysctl call (see vmk.h).  Header-only so
 * each tool stays a single static binary.
 */
#ifndef VMKSYS_H
#define VMKSYS_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmk.h"

/* sysctlbyname(3): 0, or -1 with errno. */
static inline int
vmk_sysctl(const char *name, void *old, size_t *oldlen, const void *new,
    size_t newlen)
{
	uint64_t len = oldlen != NULL ? *oldlen : 0;
	long rv = syscall(VMK_SYS_SYSCTL, name, old, oldlen != NULL ? &len : NULL,
	    new, newlen);

	if (oldlen != NULL)
		*oldlen = (size_t)len;
	return rv == 0 ? 0 : -1;
}

/* Read a node into a malloc'd buffer sized for it; NULL with errno. */
static inline void *
vmk_sysctl_alloc(const char *name, size_t *len)
{
	void *buf = NULL;

	for (int tries = 0; tries < 4; tries++) {
		size_t need = 0;

		if (vmk_sysctl(name, NULL, &need, NULL, 0) != 0)
			return NULL;
		need += need / 4 + 64;	/* room for growth meanwhile */
		free(buf);
		buf = malloc(need);
		if (buf == NULL)
			return NULL;
		*len = need;
		if (vmk_sysctl(name, buf, len, NULL, 0) == 0)
			return buf;
		if (errno != ENOMEM)
			break;
	}
	free(buf);
	return NULL;
}

/* Read a 64-bit counter by name; 0 if it cannot be read. */
static inline uint64_t
vmk_sysctl_u64(const char *name)
{
	uint64_t v = 0;
	size_t len = sizeof(v);

	return vmk_sysctl(name, &v, &len, NULL, 0) == 0 ? v : 0;
}

#endif
