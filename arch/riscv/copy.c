/*
 * copyin/copyout/copyinstr (see kern/uaccess.h) and switching the user
 * address space a hart runs with.  The byte loops live in support.S;
 * here we check ranges.
 */
#include "kern/kernel.h"
#include "kern/uaccess.h"
#include "machine/pcpu.h"
#include "machine/vmparam.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"

size_t user_copy(void *dst, const void *src, size_t len);
int user_copystr(char *dst, const char *src, size_t maxlen, size_t *copied);

bool
access_ok(uaddr_t uaddr, size_t len)
{
	return len <= VM_MAXUSER_ADDRESS && uaddr <= VM_MAXUSER_ADDRESS - len;
}

/* The part of [uaddr, uaddr + len) below the user top, from uaddr. */
static size_t
user_part(const void *uaddr, size_t len)
{
	uaddr_t a = (uaddr_t)uaddr;

	return a >= VM_MAXUSER_ADDRESS ? 0 : MIN(len, VM_MAXUSER_ADDRESS - a);
}

size_t
copyin_prefix(const void *uaddr, void *kaddr, size_t len)
{
	size_t n = user_part(uaddr, len);

	return n - user_copy(kaddr, uaddr, n);
}

size_t
copyout_prefix(const void *kaddr, void *uaddr, size_t len)
{
	size_t n = user_part(uaddr, len);

	return n - user_copy(uaddr, kaddr, n);
}

/* Why the copy that just stopped short did: EFAULT, or EINTR. */
static int
copy_error(void)
{
	return curpcpu()->pc_onfault_error;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{
	if (!access_ok((uaddr_t)uaddr, len))
		return EFAULT;
	return user_copy(kaddr, uaddr, len) == 0 ? 0 : copy_error();
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (!access_ok((uaddr_t)uaddr, len))
		return EFAULT;
	return user_copy(uaddr, kaddr, len) == 0 ? 0 : copy_error();
}

/*
 * Copy a NUL-terminated string of at most maxlen bytes (NUL included).
 * Returns 0, EFAULT, or ENAMETOOLONG if no NUL came within maxlen bytes.
 * *done, if not NULL, gets the number of bytes copied.
 */
int
copyinstr(const void *uaddr, char *kaddr, size_t maxlen, size_t *done)
{
	size_t copied = 0, limit = user_part(uaddr, maxlen);
	int error;

	if ((uaddr_t)uaddr >= VM_MAXUSER_ADDRESS) {
		error = EFAULT;
	} else {
		error = user_copystr(kaddr, uaddr, limit, &copied);
		if (error == 0 && (copied == 0 || kaddr[copied - 1] != '\0'))
			error = limit < maxlen ? EFAULT : ENAMETOOLONG;
	}
	if (done != NULL)
		*done = copied;
	return error;
}

int user_load32_nofault(const uint32_t *uaddr, uint32_t *val);
int user_cas32_nofault(uint32_t *uaddr, uint32_t old, uint32_t new,
    uint32_t *prev);
int user_amo32_nofault(int op, uint32_t *uaddr, uint32_t arg, uint32_t *old);

/* An aligned user word?  The no-fault accessors take nothing else. */
static bool
user_word_ok(uaddr_t uaddr)
{
	return (uaddr & 3) == 0 && access_ok(uaddr, sizeof(uint32_t));
}

int
fuword32_nofault(uaddr_t uaddr, uint32_t *val)
{
	if (!user_word_ok(uaddr))
		return EFAULT;
	return user_load32_nofault((const uint32_t *)uaddr, val);
}

int
casuword32_nofault(uaddr_t uaddr, uint32_t old, uint32_t new, uint32_t *prev)
{
	if (!user_word_ok(uaddr))
		return EFAULT;
	return user_cas32_nofault((uint32_t *)uaddr, old, new, prev);
}

int
futex_atomic_op_nofault(int op, uaddr_t uaddr, uint32_t arg, uint32_t *old)
{
	if (!user_word_ok(uaddr))
		return EFAULT;
	if (op < 0 || op > 4)
		return ENOSYS;
	return user_amo32_nofault(op, (uint32_t *)uaddr, arg, old);
}

/*
 * Make vm the user address space of this hart (NULL: none).  The one it
 * replaces is deactivated first, so that a pmap is active exactly on the
 * harts whose satp holds it.
 */
void
vmspace_activate(struct vmspace *vm)
{
	struct pcpu *pc = curpcpu();

	if (pc->pc_curvm == vm)
		return;
	if (pc->pc_curvm != NULL)
		pmap_deactivate(pc->pc_curvm->vm_pmap);
	if (vm != NULL)
		pmap_activate(vm->vm_pmap);
	pc->pc_curvm = vm;
}

struct vmspace *
vmspace_current(void)
{
	return curpcpu()->pc_curvm;
}
