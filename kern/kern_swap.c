/*
 * swapon(2) and swapoff(2), with Linux's numbers and errors.  A path
 * names a disk's block device node (/dev/vdX); the disk must carry
 * mkswap(8)'s signature.  Swap files are not supported: a path that is
 * not a block device is EINVAL, as a device without the signature is.
 */
#include "dev/blk.h"
#include "fs/vnode.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/kernel.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
#include "vm/swap_pager.h"

#define SWAP_FLAGS_VALID	0x7ffff	/* Linux: PRIO_MASK, PREFER, DISCARD* */

/* The disk whose node upath names: 0 with *bd, or ENOENT / EFAULT / ... */
static int
swap_device_of(uaddr_t upath, struct blkdev **bd)
{
	struct proc *p = curproc();
	struct nameidata nd = { 0 };
	struct vnode *cwd;
	char *path = kmalloc(PATH_MAX, 0);
	int error;

	if (path == NULL)
		return ENOMEM;
	error = copyinstr((const void *)upath, path, PATH_MAX, NULL);
	if (error == 0) {
		cwd = proc_cwd(p);
		error = namei(p->p_root, cwd, path, LOOKUP_FOLLOW, &nd);
		vrele(cwd);
	}
	kfree(path);
	if (error != 0)
		return error;
	error = bdev_lookup(nd.ni_vp, bd);
	vrele(nd.ni_vp);
	return error == ENOTBLK ? EINVAL : error;
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
