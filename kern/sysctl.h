/*
 * The sysctl tree: named, typed kernel variables and computed values that
 * userland reads (and some it writes) through one private system call
 * with FreeBSD sysctlbyname() semantics (see kern_sysctl.c).
 *
 * Each subsystem declares its nodes next to the variables they expose:
 *
 *   SYSCTL_U64("vm.stats.vm.v_zfod", CTLFLAG_RD, &var, "description");
 *
 * The linker gathers the declarations into the "sysctl_set" section.
 */
#ifndef KERN_SYSCTL_H
#define KERN_SYSCTL_H

#include "kern/kernel.h"

#define CTLTYPE_INT	1	/* int32_t */
#define CTLTYPE_U64	2	/* uint64_t */
#define CTLTYPE_STRING	3	/* NUL-terminated, buffer of `size` bytes */
#define CTLTYPE_OPAQUE	4	/* a struct or array */
#define CTLTYPE_BOOL	5	/* bool, read and written as int32_t 0/1 */
#define CTLTYPE_RECORDS	6	/* an array of records (userland/include/vmk.h) */

#define CTLFLAG_RD	0x1
#define CTLFLAG_WR	0x2
#define CTLFLAG_RW	(CTLFLAG_RD | CTLFLAG_WR)
#define CTLFLAG_PREFIX	0x4	/* name is a prefix; the rest is an argument */

struct sysctl_req {
	const char *arg;	/* CTLFLAG_PREFIX: the name after the prefix */
	void *buf;		/* kernel buffer for the value */
	size_t len;		/* bytes in buf */
	const void *newval;	/* kernel copy of a new value, or NULL */
	size_t newlen;
};

struct sysctl_node;

/*
 * A handler computes the value into req->buf (at most req->len bytes) and
 * returns its full length, or a negative errno.  On a write it validates
 * req->newval first.
 */
typedef int64_t (*sysctl_handler_t)(const struct sysctl_node *node,
    struct sysctl_req *req);

struct sysctl_node {
	const char *name;
	uint8_t type;
	uint8_t flags;
	void *ptr;		/* the variable, for plain nodes */
	size_t size;		/* its size (strings: buffer size) */
	int64_t min, max;	/* accepted range for writable numbers */
	sysctl_handler_t handler;	/* computed nodes */
	uintptr_t arg;		/* for the handler */
	const char *descr;
	const char *fmt;	/* CTLTYPE_OPAQUE: "S,<struct>" naming the
				   layout for tools (as FreeBSD's), or NULL */
};

#define SYSCTL_NODE_DECL(id, ...)					\
	static const struct sysctl_node sysctl_##id			\
	    __section("sysctl_set") __used __aligned(8) = { __VA_ARGS__ }

#define SYSCTL_U64(id, nm, fl, var, desc)				\
	SYSCTL_NODE_DECL(id, .name = (nm), .type = CTLTYPE_U64, .flags = (fl), \
	    .ptr = (var), .size = 8, .descr = (desc))

#define SYSCTL_INT_RANGE(id, nm, var, lo, hi, desc)			\
	SYSCTL_NODE_DECL(id, .name = (nm), .type = CTLTYPE_INT,		\
	    .flags = CTLFLAG_RW, .ptr = (var), .size = 4, .min = (lo),	\
	    .max = (hi), .descr = (desc))

#define SYSCTL_BOOL(id, nm, var, desc)					\
	SYSCTL_NODE_DECL(id, .name = (nm), .type = CTLTYPE_BOOL,		\
	    .flags = CTLFLAG_RW, .ptr = (var), .size = 4, .min = 0,	\
	    .max = 1, .descr = (desc))

#define SYSCTL_STRING(id, nm, fl, var, sz, desc)			\
	SYSCTL_NODE_DECL(id, .name = (nm), .type = CTLTYPE_STRING,	\
	    .flags = (fl), .ptr = (var), .size = (sz), .descr = (desc))

#define SYSCTL_PROC(id, nm, tp, fl, fn, a, desc)			\
	SYSCTL_NODE_DECL(id, .name = (nm), .type = (tp), .flags = (fl),	\
	    .handler = (fn), .arg = (a), .descr = (desc))

/* An opaque node whose value is struct `st` (userland/include/vmk.h). */
#define SYSCTL_STRUCT(id, nm, st, fn, desc)				\
	SYSCTL_NODE_DECL(id, .name = (nm), .type = CTLTYPE_OPAQUE,	\
	    .flags = CTLFLAG_RD, .handler = (fn), .descr = (desc),	\
	    .fmt = "S," st)

int64_t sysctl_out(struct sysctl_req *req, const void *data, size_t len);
int64_t sysctl_kernel_read(const char *name, void *buf, size_t len);
int64_t sysctl_kernel_write(const char *name, const void *val, size_t len);
const struct sysctl_node *sysctl_node_at(size_t i);
void sysctl_init(void);

#endif
