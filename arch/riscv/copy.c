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
