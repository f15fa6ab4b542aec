/*
 * The part of sysctl that node handlers use, kept apart from the system
 * call so that the host tests can build the handlers too.
 */
#include "kern/sysctl.h"

/* Copy a value out to the request (as much as fits); returns len. */
int64_t
sysctl_out(struct sysctl_req *req, const void *data, size_t len)
{
	if (req->buf != NULL)
		memcpy(req->buf, data, MIN(len, req->len));
	return (int64_t)len;
}
