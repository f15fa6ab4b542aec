/*
 * The sysctl tree and its system call (see sysctl.h and
 * userland/include/vmk.h).
 *
 * Nodes are declared statically all over the kernel and gathered by the
 * linker; the first call sorts them by name once.  A name either matches
 * a node exactly or, for CTLFLAG_PREFIX nodes (per-process views), starts
 * with the node's name and a dot, the rest being the node's argument.
 *
 * A call reads the value first (the old value), then applies a new one if
 * given, as sysctlbyname(3) does.
 */
#include "kern/errno.h"
#include "kern/sysctl.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "userland/include/vmk.h"

#define SYSCTL_VALUE_MAX	(256 * 1024)
#define SYSCTL_NEW_MAX		4096

extern const struct sysctl_node __sysctl_start[], __sysctl_end[];

static const struct sysctl_node **sorted;
static size_t nsorted;
static struct sx sysctl_lock = SX_INIT("sysctl");

/* Sort the nodes by name once (insertion sort: a few hundred nodes). */
static bool
sysctl_sort(void)
{
	size_t n = (size_t)(__sysctl_end - __sysctl_start);

	if (sorted != NULL)
		return true;
	sorted = kmalloc(n * sizeof(*sorted), 0);
	if (sorted == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 && strcmp(sorted[j - 1]->name, __sysctl_start[i].name) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = &__sysctl_start[i];
	}
	nsorted = n;
	return true;
}

/* The node for name, and in *arg what follows a prefix node's name. */
static const struct sysctl_node *
sysctl_find(const char *name, const char **arg)
{
	for (size_t i = 0; i < nsorted; i++) {
		const struct sysctl_node *node = sorted[i];
		size_t len = strlen(node->name);

		*arg = NULL;
		if (strcmp(node->name, name) == 0)
			return node;
		if ((node->flags & CTLFLAG_PREFIX) &&
		    strncmp(node->name, name, len) == 0 && name[len] == '.') {
			*arg = name + len + 1;
			return node;
		}
	}
	return NULL;
}

/* Read a plain node into req. */
static int64_t
plain_read(const struct sysctl_node *node, struct sysctl_req *req)
{
	int32_t v;

	switch (node->type) {
	case CTLTYPE_BOOL:
		v = *(bool *)node->ptr ? 1 : 0;
		return sysctl_out(req, &v, sizeof(v));
	case CTLTYPE_STRING:
		return sysctl_out(req, node->ptr,
		    strnlen(node->ptr, node->size - 1) + 1);
	default:
		return sysctl_out(req, node->ptr, node->size);
	}
}

/* Validate and store a new value for a plain node. */
static int
plain_write(const struct sysctl_node *node, const void *val, size_t len)
{
	int32_t v;

	switch (node->type) {
	case CTLTYPE_INT:
	case CTLTYPE_BOOL:
		if (len != sizeof(v))
			return EINVAL;
		memcpy(&v, val, sizeof(v));
		if (v < node->min || v > node->max)
			return EINVAL;
		if (node->type == CTLTYPE_BOOL)
			*(bool *)node->ptr = v != 0;
		else
			*(int32_t *)node->ptr = v;
		return 0;
	case CTLTYPE_U64:
		if (len != 8)
			return EINVAL;
		memcpy(node->ptr, val, 8);
		return 0;
	case CTLTYPE_STRING:
		if (len == 0 || len >= node->size || memchr(val, '\0', len) != NULL)
			return EINVAL;
		memcpy(node->ptr, val, len);
		((char *)node->ptr)[len] = '\0';
		return 0;
	default:
		return EINVAL;
	}
}

/* VMK_SYSCTL_NEXT: the first name after prev (all names if prev is ""). */
static int64_t
sysctl_next(const char *prev, struct sysctl_req *req)
{
	for (size_t i = 0; i < nsorted; i++)
		if (strcmp(sorted[i]->name, prev) > 0)
			return sysctl_out(req, sorted[i]->name,
			    strlen(sorted[i]->name) + 1);
	return -ENOENT;
}

/* VMK_SYSCTL_INFO: the type, flags, description and format of a node. */
static int64_t
sysctl_info(const char *name, struct sysctl_req *req)
{
	struct vmk_sysctl_info info;
	const struct sysctl_node *node;
	const char *arg;

	node = sysctl_find(name, &arg);
	if (node == NULL)
		return -ENOENT;
	memset(&info, 0, sizeof(info));
	info.type = node->type;
	/* With its argument, a prefix node's name names one value. */
	info.flags = arg != NULL ? node->flags & ~CTLFLAG_PREFIX : node->flags;
	kstrlcpy(info.descr, node->descr != NULL ? node->descr : "",
	    sizeof(info.descr));
	kstrlcpy(info.fmt, node->fmt != NULL ? node->fmt : "",
	    sizeof(info.fmt));
	return sysctl_out(req, &info, sizeof(info));
}

/*
 * Do one request with kernel buffers: the value goes to req->buf (NULL:
 * just its length), a new value comes from req->newval.  Returns the
 * value's length or -errno.
 */
static int64_t
sysctl_do(const char *name, struct sysctl_req *req)
{
	const struct sysctl_node *node;
	int64_t len;
	int error;

	if (strcmp(name, VMK_SYSCTL_NEXT) == 0 || strcmp(name, VMK_SYSCTL_INFO) == 0) {
		if (req->newval == NULL || ((const char *)req->newval)[req->newlen - 1])
			return -EINVAL;
		return strcmp(name, VMK_SYSCTL_NEXT) == 0 ?
		    sysctl_next(req->newval, req) : sysctl_info(req->newval, req);
	}
	node = sysctl_find(name, &req->arg);
	if (node == NULL)
		return -ENOENT;
	if (req->newval != NULL && !(node->flags & CTLFLAG_WR))
		return -EPERM;
	len = node->handler != NULL ? node->handler(node, req) :
	    plain_read(node, req);
	if (len < 0 || req->newval == NULL || node->handler != NULL)
		return len;
	error = plain_write(node, req->newval, req->newlen);
	return error != 0 ? -error : len;
}

int64_t
sys_vmk_sysctl(uaddr_t uname, uaddr_t uold, uaddr_t uoldlenp, uaddr_t unew,
    size_t unewlen)
{
	char name[VMK_SYSCTL_NAME_MAX];
	struct sysctl_req req = { 0 };
	uint64_t oldlen = 0;
	int64_t len;
	int error;

	error = copyinstr((const void *)uname, name, sizeof(name), NULL);
	if (error != 0)
		return -error;
	if (uoldlenp != 0 && copyin((void *)uoldlenp, &oldlen, sizeof(oldlen)) != 0)
		return -EFAULT;
	if (uold != 0 && uoldlenp == 0)
		return -EINVAL;
	if (unew != 0) {
		if (unewlen == 0 || unewlen > SYSCTL_NEW_MAX)
			return -EINVAL;
		req.newval = kmalloc(unewlen, 0);
		if (req.newval == NULL)
			return -ENOMEM;
		if (copyin((void *)unew, (void *)req.newval, unewlen) != 0) {
			kfree((void *)req.newval);
			return -EFAULT;
		}
		req.newlen = unewlen;
	}
	req.len = MIN(oldlen, SYSCTL_VALUE_MAX);
	if (uold != 0 && req.len > 0)
		req.buf = kmalloc(req.len, M_ZERO);
	if (uold != 0 && req.len > 0 && req.buf == NULL) {
		kfree((void *)req.newval);
		return -ENOMEM;
	}
	sx_xlock(&sysctl_lock);
	len = sysctl_sort() ? sysctl_do(name, &req) : -ENOMEM;
	sx_xunlock(&sysctl_lock);
	if (len >= 0) {
		uint64_t need = (uint64_t)len;

		if (uold != 0 && need > oldlen)
			len = -ENOMEM;
		else if (uold != 0 && copyout(req.buf, (void *)uold, need) != 0)
			len = -EFAULT;
		if (uoldlenp != 0 && len != -EFAULT &&
		    copyout(&need, (void *)uoldlenp, sizeof(need)) != 0)
			len = -EFAULT;
	}
	kfree(req.buf);
	kfree((void *)req.newval);
	return len < 0 ? len : 0;
}

/* Kernel-internal read by name (tests, the monitor). */
int64_t
sysctl_kernel_read(const char *name, void *buf, size_t len)
{
	struct sysctl_req req = { .buf = buf, .len = len };
	int64_t rv;

	sx_xlock(&sysctl_lock);
	rv = sysctl_sort() ? sysctl_do(name, &req) : -ENOMEM;
	sx_xunlock(&sysctl_lock);
	return rv;
}

/*
 * Kernel-internal write by name (procfs's /proc/sys files): the node's
 * own validation applies (a bad value is -EINVAL).  Returns 0 or -errno.
 */
int64_t
sysctl_kernel_write(const char *name, const void *val, size_t len)
{
	struct sysctl_req req = { .newval = val, .newlen = len };
	int64_t rv;

	sx_xlock(&sysctl_lock);
	rv = sysctl_sort() ? sysctl_do(name, &req) : -ENOMEM;
	sx_xunlock(&sysctl_lock);
	return rv < 0 ? rv : 0;
}

/*
 * The i'th node in name order, or NULL past the last.  Nodes are constant
 * and sorted once (sysctl_init), so the pointer and the index stay valid
 * (procfs numbers its /proc/sys files by index).
 */
const struct sysctl_node *
sysctl_node_at(size_t i)
{
	KASSERT(__atomic_load_n(&sorted, __ATOMIC_ACQUIRE) != NULL,
	    "sysctl_node_at before sysctl_init");
	return i < nsorted ? sorted[i] : NULL;
}

/*
 * Sort the nodes at boot, so that sysctl_node_at needs no lock: procfs
 * calls it under vnode locks, which sysctl handlers take (vfs.drain_caches)
 * after sysctl_lock.
 */
void
sysctl_init(void)
{
	bool ok;

	sx_xlock(&sysctl_lock);
	ok = sysctl_sort();
	sx_xunlock(&sysctl_lock);
	if (!ok)
		panic("sysctl_init: no memory to sort the nodes");
}
