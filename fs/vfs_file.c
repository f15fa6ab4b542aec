/*
 * Files open on vnodes: read and write at the file's offset through the
 * page cache, and the console terminal as a file.
 */
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/tty.h"

static int
vnfile_read(struct file *fp, struct uio *uio)
{
	return vn_read(fp->f_vnode, uio);
}

static int
vnfile_write(struct file *fp, struct uio *uio)
{
	return vn_write(fp->f_vnode, uio,
	    (fp->f_flags & O_APPEND) != 0 || uio->uio_append);
}

static int
vnfile_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	return ENOTTY;
}

static int
vnfile_stat(struct file *fp, struct vattr *va)
{
	return vn_getattr(fp->f_vnode, va);
}

static int
vnfile_poll(struct file *fp, int events)
{
	return events & (POLLIN | POLLOUT);	/* files never block */
}

static void
vnfile_close(struct file *fp)
{
	vrele(fp->f_vnode);
}

const struct fileops vnode_fileops = {
	.read = vnfile_read,
	.write = vnfile_write,
	.ioctl = vnfile_ioctl,
	.stat = vnfile_stat,
	.poll = vnfile_poll,
	.close = vnfile_close,
};

/* A file open on vp (whose reference it takes over).  0 or ENOMEM. */
int
vn_file_open(struct vnode *vp, int flags, struct file **fpp)
{
	struct file *fp = file_alloc(DTYPE_VNODE, &vnode_fileops, flags);

	if (fp == NULL)
		return ENOMEM;
	fp->f_vnode = vp;
	*fpp = fp;
	return 0;
}

static int
ttyfile_read(struct file *fp, struct uio *uio)
{
	return tty_read(uio);
}

static int
ttyfile_write(struct file *fp, struct uio *uio)
{
	return tty_write(uio);
}

static int
ttyfile_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	return tty_ioctl(cmd, arg);
}

static int
ttyfile_stat(struct file *fp, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->va_mode = S_IFCHR | 0620;
	va->va_nlink = 1;
	va->va_blksize = 1024;
	va->va_rdev = MKDEV(5, 1);	/* /dev/console is 5,1 on Linux */
	return 0;
}

static int
ttyfile_poll(struct file *fp, int events)
{
	return (events & POLLOUT) | (tty_readable() ? events & POLLIN : 0);
}

static void
ttyfile_close(struct file *fp)
{
}

static const struct fileops tty_fileops = {
	.read = ttyfile_read,
	.write = ttyfile_write,
	.ioctl = ttyfile_ioctl,
	.stat = ttyfile_stat,
	.poll = ttyfile_poll,
	.close = ttyfile_close,
};

int
tty_file_open(int flags, struct file **fpp)
{
	*fpp = file_alloc(DTYPE_TTY, &tty_fileops, flags);
	return *fpp != NULL ? 0 : ENOMEM;
}
