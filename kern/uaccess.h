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

/*
 * One aligned 32-bit user word, for futexes: these never wait for a page
 * fault to be resolved (they are used with spin locks held) and return
 * EFAULT instead, for an unmapped, not yet faulted-in or misaligned word
 * alike; the caller drops its locks, faults the page in (copyin, or
 * vm_fault for a write) and tries again.  0 on success.
 *   fuword32_nofault: *val = the word.
 *   casuword32_nofault: store new if the word is old; *prev = its value.
 *   futex_atomic_op_nofault: FUTEX_OP_SET/ADD/OR/ANDN/XOR (0-4; ENOSYS
 *   for another op) with arg, atomically; *old = the value before.
 */
int fuword32_nofault(uaddr_t uaddr, uint32_t *val);
int casuword32_nofault(uaddr_t uaddr, uint32_t old, uint32_t new,
    uint32_t *prev);
int futex_atomic_op_nofault(int op, uaddr_t uaddr, uint32_t arg,
    uint32_t *old);

struct vmspace;
void vmspace_activate(struct vmspace *vm);
struct vmspace *vmspace_current(void);

#endif
