/*
 * A path, reference counted and immutable: what an open file was opened
 * by (f_path), what a process runs (p_exe) and what a file mapping was
 * made from (a map entry's name), shared by all of them instead of
 * copied.  Made once with its text; each holder owns one reference
 * (kpath_hold) and gives it back (kpath_rele); the last one frees it.
 * Its text never changes, so it is read with no lock: whoever may read
 * it holds a reference, or holds what holds one (a map entry's under the
 * map's lock).
 *
 * Lock legend: (a) atomic; (c) constant after kpath_alloc.
 */
#ifndef KERN_KPATH_H
#define KERN_KPATH_H

#include "kern/types.h"

struct kpath {
	int kp_refcnt;			/* (a) holders */
	uint32_t kp_len;		/* (c) bytes of kp_str, the NUL not
					   included */
	char kp_str[];			/* (c) NUL-terminated */
};

struct kpath *kpath_alloc(const char *s, size_t len);
struct kpath *kpath_hold(struct kpath *kp);
void kpath_rele(struct kpath *kp);
uint64_t kpath_live_count(void);

#endif
