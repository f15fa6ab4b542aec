/*
 * Access to user memory from the kernel.  These are the only way the
 * kernel touches user addresses: each checks that the range lies in the
 * user half, runs with sstatus.SUM set only for the copy, lets page faults
 * be resolved by vm_fault() like a user access would be, and returns
 * EFAULT (never panics) if an address cannot be accessed, or EINTR if a
 * signal arrived while the access waited for free memory.
 */
#ifndef KERN_UACCESS_H
#define KERN_UACCESS_H

#include "kern/errno.h"
#include "kern/types.h"

int copyin(const void *uaddr, void *kaddr, size_t len);
int copyout(const void *kaddr, void *uaddr, size_t len);
int copyinstr(const void *uaddr, char *kaddr, size_t maxlen, size_t *done);

struct vmspace;
void vmspace_activate(struct vmspace *vm);
struct vmspace *vmspace_current(void);

#endif
