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
#include "machine/vmparam.h"

/* Linux's cap on the bytes one read, write or getrandom moves: INT_MAX
 * rounded down to a page. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~PAGE_MASK)

/*
 * Is [uaddr, uaddr + len) entirely below the top of user space, without
 * wrapping?  Linux's access_ok: system calls taking a user buffer check it
 * before doing anything and fail with EFAULT if not.
 */
bool access_ok(uaddr_t uaddr, size_t len);

int copyin(const void *uaddr, void *kaddr, size_t len);
int copyout(const void *kaddr, void *uaddr, size_t len);

/*
 * Copy as much of the range as can be, from its start: up to the first
 * address that cannot be accessed (or the top of user space).  Returns
 * the number of bytes copied, len if all were.
 */
size_t copyin_prefix(const void *uaddr, void *kaddr, size_t len);
size_t copyout_prefix(const void *kaddr, void *uaddr, size_t len);
int copyinstr(const void *uaddr, char *kaddr, size_t maxlen, size_t *done);

struct vmspace;
void vmspace_activate(struct vmspace *vm);
struct vmspace *vmspace_current(void);

#endif
