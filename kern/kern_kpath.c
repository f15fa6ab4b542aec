/*
 * Reference-counted paths (see kpath.h), and their count for leak checks
 * (kern.kpath_live).
 */
#include "kern/kernel.h"
#include "kern/kpath.h"
#include "kern/sysctl.h"

static uint64_t kpath_live;		/* (a) kpaths allocated, not freed */

SYSCTL_U64(kern_kpath_live, "kern.kpath_live", CTLFLAG_RD, &kpath_live,
    "paths kept for open files, programs and file mappings");

/*
 * A new path holding the len bytes at s (not NUL-terminated there), with
 * one reference, the caller's; NULL if memory is out.
 */
struct kpath *
kpath_alloc(const char *s, size_t len)
{
	struct kpath *kp;

	if (len >= UINT32_MAX)
		return NULL;
	kp = kmalloc(sizeof(*kp) + len + 1, 0);
	if (kp == NULL)
		return NULL;
	kp->kp_refcnt = 1;
	kp->kp_len = (uint32_t)len;
	memcpy(kp->kp_str, s, len);
	kp->kp_str[len] = '\0';
	__atomic_add_fetch(&kpath_live, 1, __ATOMIC_RELAXED);
	return kp;
}

/* One more reference on kp (the caller holds one, or what holds one); kp
 * may be NULL.  Returns kp. */
struct kpath *
kpath_hold(struct kpath *kp)
{
	if (kp != NULL)
		__atomic_add_fetch(&kp->kp_refcnt, 1, __ATOMIC_RELAXED);
	return kp;
}

/* Give back a reference (NULL: none); the last one frees kp. */
void
kpath_rele(struct kpath *kp)
{
	if (kp == NULL ||
	    __atomic_sub_fetch(&kp->kp_refcnt, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	kfree(kp);
	__atomic_sub_fetch(&kpath_live, 1, __ATOMIC_RELAXED);
}

/* Paths alive now (host tests' leak check). */
uint64_t
kpath_live_count(void)
{
	return __atomic_load_n(&kpath_live, __ATOMIC_RELAXED);
}
