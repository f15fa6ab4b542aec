/*
 * swapon(2) and swapoff(2), with Linux's numbers and errors.  Until the
 * kernel has device nodes, a path names a block device as /dev/vdX (or
 * plain vdX); the device must carry mkswap(8)'s signature.  Swap files
 * are not supported (EINVAL, as for a device without the signature).
 */
#include "dev/blk.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "vm/swap_pager.h"

#define SWAP_FLAGS_VALID	0x7ffff	/* Linux: PRIO_MASK, PREFER, DISCARD* */

/* The block device upath names: 0 with *bd, or ENOENT / EFAULT / ... */
static int
swap_device_of(uaddr_t upath, struct blkdev **bd)
{
	char path[64];
	int error = copyinstr((const void *)upath, path, sizeof(path), NULL);

	if (error != 0)
		return error;
	*bd = blkdev_find(path);
	return *bd != NULL ? 0 : ENOENT;
}

int64_t
sys_swapon(uaddr_t upath, int flags)
{
	struct blkdev *bd;
	int error;

	if (flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	error = swap_device_of(upath, &bd);
	if (error == 0)
		error = swap_pager_swapon(bd);
	return -error;
}

int64_t
sys_swapoff(uaddr_t upath)
{
	struct blkdev *bd;
	int error = swap_device_of(upath, &bd);

	if (error == 0)
		error = swap_pager_swapoff(bd);
	return -error;
}
