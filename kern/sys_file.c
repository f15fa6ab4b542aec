/*
 * File system calls: descriptors, reading and writing, paths, metadata.
 * Each copies its arguments in with copyin/copyinstr (bad pointers are
 * EFAULT), resolves "at" directories, and calls the vfs layer.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kpath.h"
#include "kern/lockf.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "vm/vm_object.h"

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define F_SETPIPE_SZ	1031
#define F_GETPIPE_SZ	1032
#define FD_CLOEXEC	1

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

#define IOV_MAX		1024

/* Linux's struct stat for riscv64 (asm-generic). */
struct stat_linux {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t __pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t __pad2;
	int64_t st_blocks;
	int64_t st_atime;
	uint64_t st_atime_nsec;
	int64_t st_mtime;
	uint64_t st_mtime_nsec;
	int64_t st_ctime;
	uint64_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};

_Static_assert(sizeof(struct stat_linux) == 128, "struct stat layout");

/* A path from user space into a kmalloc'd buffer (kfree it).  NULL + *err. */
static char *
path_in(uaddr_t upath, int *error)
{
	char *path = kmalloc(PATH_MAX, 0);

	if (path == NULL) {
		*error = ENOMEM;
		return NULL;
	}
	*error = copyinstr((const void *)upath, path, PATH_MAX, NULL);
	if (*error != 0) {
		kfree(path);
		return NULL;
	}
	return path;
}

/*
 * The directory relative paths start from: the cwd for AT_FDCWD, else the
 * directory open on dirfd.  Returned referenced; NULL with *error.
 */
struct vnode *
at_dir(int dirfd, const char *path, int *error)
{
	struct proc *p = curproc();
	struct file *fp;
	struct vnode *vp;

	if (path[0] == '/' || dirfd == AT_FDCWD)
		return proc_cwd(p);
	fp = fget_raw(dirfd);
	if (fp == NULL) {
		*error = EBADF;
		return NULL;
	}
	vp = fp->f_type == DTYPE_VNODE ? fp->f_vnode : NULL;
	if (vp == NULL || vp->v_type != VDIR) {
		fdrop(fp);
		*error = ENOTDIR;
		return NULL;
	}
	vref(vp);
	fdrop(fp);
	return vp;
}

/* The vnode open on fd (with raw, an O_PATH descriptor too), referenced;
 * NULL with *error (EBADF, or EINVAL for a pipe or the console). */
struct vnode *
fd_vnode(int fd, bool raw, int *error)
{
	struct file *fp = raw ? fget_raw(fd) : fget(fd);
	struct vnode *vp = NULL;

	*error = fp == NULL ? EBADF : fp->f_type != DTYPE_VNODE ? EINVAL : 0;
	if (*error == 0) {
		vp = fp->f_vnode;
		vref(vp);
	}
	if (fp != NULL)
		fdrop(fp);
	return vp;
}

/*
 * The file the "at" arguments name, referenced; NULL with *error.  With
 * AT_EMPTY_PATH in flags an empty path is dirfd itself (the current
 * directory for AT_FDCWD); with AT_SYMLINK_NOFOLLOW a symlink at the end
 * is not followed.
 */
static struct vnode *
at_vnode(int dirfd, uaddr_t upath, int flags, int *error)
{
	struct proc *p = curproc();
	struct nameidata nd = { 0 };
	struct vnode *dvp;
	char *path = path_in(upath, error);

	if (path == NULL)
		return NULL;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		kfree(path);
		if (dirfd != AT_FDCWD)
			return fd_vnode(dirfd, true, error);
		return proc_cwd(p);
	}
	dvp = at_dir(dirfd, path, error);
	if (dvp != NULL) {
		*error = namei(p->p_root, dvp, path,
		    (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &nd);
		vrele(dvp);
	}
	kfree(path);
	return nd.ni_vp;
}

/*
 * The open file for vp (whose reference this takes over, success or not):
 * with O_PATH a file on the vnode whatever it is, that only names it (no
 * device or FIFO is opened); else the file system's own (procfs), a
 * character device's driver's file, a disk's, a FIFO's end, or a file on
 * the vnode.  A socket's node is ENXIO, as on Linux.  A device node on a
 * nodev mount is EACCES.
 */
static int
file_open_vnode(struct vnode *vp, int flags, struct file **fpp)
{
	int error;

	if ((vp->v_type == VCHR || vp->v_type == VBLK) && !(flags & O_PATH) &&
	    (vp->v_mount->mnt_flags & MNT_NODEV)) {
		vrele(vp);
		return EACCES;		/* Linux: a device node on a nodev mount */
	}
	if (!(flags & O_PATH)) {
		if (vp->v_ops->open != NULL)
			return vp->v_ops->open(vp, flags, fpp);
		if (vp->v_type == VCHR)
			return cdev_open(vp, flags, fpp);
		if (vp->v_type == VBLK)
			return bdev_open(vp, flags, fpp);
		if (vp->v_type == VFIFO)
			return fifo_open(vp, flags, fpp);
	}
	error = vp->v_type == VSOCK && !(flags & O_PATH) ? ENXIO :
	    vn_file_open(vp, flags, fpp);
	if (error != 0)
		vrele(vp);
	return error;
}

/*
 * The canonical path of vp, just opened by path from dvp, for
 * /proc/PID/fd and the file's mappings: a directory's from the root, a
 * file's through its directory.  A new kpath (the caller's reference),
 * or NULL if it cannot be had (no memory, renamed meanwhile).
 */
static struct kpath *
open_fullpath(struct vnode *root, struct vnode *dvp, const char *path,
    struct vnode *vp)
{
	struct kpath *full = NULL;
	size_t len;

	if (vp->v_type == VDIR) {
		char *buf = kmalloc(PATH_MAX, 0);

		if (buf != NULL && vfs_getcwd(root, vp, buf, PATH_MAX, &len) == 0)
			full = kpath_alloc(buf, len - 1);
		kfree(buf);
		return full;
	}
	return vfs_fullpath(root, dvp, path, &full) == 0 ? full : NULL;
}

int64_t
sys_openat(int dirfd, uaddr_t upath, int flags, unsigned short mode)
{
	struct proc *p = curproc();
	struct vnode *dvp, *vp;
	struct kpath *fullpath = NULL;
	struct file *fp;
	int error, fd;
	char *path = path_in(upath, &error);

	/* As Linux: unknown flags are dropped, O_LARGEFILE is implied, and
	 * the file keeps the status flags (fcntl F_GETFL shows them); with
	 * O_PATH only O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC count. */
	flags = (flags & O_VALID) | O_LARGEFILE;
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if (path == NULL)
		return -error;
	dvp = at_dir(dirfd, path, &error);
	if (dvp != NULL) {
		error = vfs_open(p->p_root, dvp, path, flags, mode & ~p->p_umask,
		    &vp);
		if (error == 0)
			fullpath = open_fullpath(p->p_root, dvp, path, vp);
		vrele(dvp);
	}
	kfree(path);
	if (error != 0)
		return -error;
	error = file_open_vnode(vp, flags, &fp);
	if (error != 0) {
		kpath_rele(fullpath);
		return -error;
	}
	fp->f_path = fullpath;
	fd = fd_install(fp, 0, (flags & O_CLOEXEC) != 0);
	if (fd < 0)
		fdrop(fp);
	return fd;
}

int64_t
sys_close(unsigned int fd)
{
	return -fd_close((int)fd);
}

#define CLOSE_RANGE_UNSHARE	0x2
#define CLOSE_RANGE_CLOEXEC	0x4

/*
 * close_range: close (or with CLOSE_RANGE_CLOEXEC mark close-on-exec) the
 * descriptors first..last; those not open are skipped.  EINVAL for other
 * flags or first > last, as Linux.  CLOSE_RANGE_UNSHARE asks for a table
 * of the caller's own first: a table here is never shared between
 * processes (clone refuses CLONE_FILES without CLONE_THREAD), only between
 * the threads of one, which cannot have tables of their own, so it
 * changes nothing (on Linux a thread would close in a private copy).
 */
int64_t
sys_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	fd_close_range(first, last, (flags & CLOSE_RANGE_CLOEXEC) != 0);
	return 0;
}

static bool
can_read(const struct file *fp)
{
	return (fp->f_flags & O_ACCMODE) != O_WRONLY;
}

static bool
can_write(const struct file *fp)
{
	return (fp->f_flags & O_ACCMODE) != O_RDONLY;
}

/* Files with a position that read and write move: regular files and
 * directories, and disks. */
static bool
has_offset(const struct file *fp)
{
	return fp->f_type == DTYPE_VNODE || fp->f_type == DTYPE_BDEV;
}

/* preadv2/pwritev2 flags (Linux's RWF_*). */
#define RWF_HIPRI	0x01	/* poll for completion: nothing to poll here */
#define RWF_DSYNC	0x02
#define RWF_SYNC	0x04
#define RWF_APPEND	0x10
#define RWF_KNOWN	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_APPEND)

/*
 * Move uio (a user buffer that passed access_ok) to or from the held file
 * fp: at the file's offset, which advances, or at off when positioned
 * (pread/pwrite).  rwf (RWF_KNOWN bits only) appends a write whatever the
 * offset (RWF_APPEND) and writes a file's data to disk before returning
 * (RWF_DSYNC, RWF_SYNC).  Drops the caller's reference to fp.  Returns
 * the bytes moved, or -errno if none were (or if the sync failed).
 */
static int64_t
file_rw(struct file *fp, struct uio *uio, bool write, bool positioned,
    uint64_t off, int rwf)
{
	size_t len = uio->uio_resid;
	bool serial;
	int error;

	KASSERT((rwf & ~RWF_KNOWN) == 0, "rwf %#x", rwf);
	/*
	 * f_lock keeps a vnode file's offset consistent and pipe writes of up
	 * to PIPE_BUF bytes whole.  The tty serializes itself, and a reader
	 * waiting there for input must not hold up writers of the same file
	 * (init's descriptors 0, 1 and 2 are one file, shared by everyone).
	 */
	serial = fp->f_type != DTYPE_TTY;
	if (serial)
		sx_xlock(&fp->f_lock);
	uio->uio_offset = positioned ? off : fp->f_offset;
	uio->uio_append = (rwf & RWF_APPEND) != 0;
	if (fp->f_type == DTYPE_VNODE && uio->uio_offset + len > INT64_MAX)
		error = EINVAL;		/* the end would not be a file offset */
	else
		error = write ? fp->f_ops->write(fp, uio) : fp->f_ops->read(fp, uio);
	if (!positioned && has_offset(fp))
		fp->f_offset = uio->uio_offset;
	if (serial)
		sx_xunlock(&fp->f_lock);
	if (write && (rwf & (RWF_DSYNC | RWF_SYNC)) && uio->uio_resid < len &&
	    fp->f_type == DTYPE_VNODE && (error = vn_fsync(fp->f_vnode)) != 0)
		uio->uio_resid = len;	/* as Linux: the sync's error wins */
	fdrop(fp);
	if (error != 0 && uio->uio_resid == len)
		return -error;
	return (int64_t)(len - uio->uio_resid);
}

/*
 * read, write, pread, pwrite: len bytes at buf through fd.  As on Linux,
 * a buffer not entirely in user space is EFAULT before anything moves,
 * and an unmapped part of one ends the transfer with a short count (or
 * EFAULT, if it is at the start).  The checks come in Linux's order: an
 * fd not open (EBADF), then for pread/pwrite a file without offsets
 * (ESPIPE), then the file's open mode (EBADF), then the buffer.
 */
static int64_t
file_io(int fd, uaddr_t buf, size_t len, bool write, bool positioned,
    uint64_t off)
{
	struct file *fp = fget(fd);
	struct uio uio = { .uio_base = (void *)buf,
	    .uio_resid = MIN(len, MAX_RW_COUNT), .uio_user = true };
	int error = 0;

	if (fp == NULL)
		return -EBADF;
	if (positioned && !has_offset(fp) && fp->f_type != DTYPE_CDEV)
		error = ESPIPE;
	else if (write ? !can_write(fp) : !can_read(fp))
		error = EBADF;
	else if (!access_ok(buf, len))
		error = EFAULT;
	if (error != 0) {
		fdrop(fp);
		return -error;
	}
	return file_rw(fp, &uio, write, positioned, off, 0);
}

int64_t
sys_read(unsigned int fd, uaddr_t buf, size_t len)
{
	return file_io((int)fd, buf, len, false, false, 0);
}

int64_t
sys_write(unsigned int fd, uaddr_t buf, size_t len)
{
	return file_io((int)fd, buf, len, true, false, 0);
}

/*
 * Read up to n bytes of in into the kernel buffer buf, at *pos or, with
 * pos NULL, at in's own offset (under its f_lock, which is not held
 * across the write to out: two sendfiles in opposite directions would
 * deadlock).  The position advances.  Returns 0 with *got, or an errno.
 */
static int
sendfile_read(struct file *in, uint64_t *pos, char *buf, size_t n, size_t *got)
{
	struct uio uio = { .uio_base = buf, .uio_resid = n };
	int error;

	if (pos == NULL)
		sx_xlock(&in->f_lock);
	uio.uio_offset = pos != NULL ? *pos : in->f_offset;
	error = in->f_ops->read(in, &uio);
	*got = n - uio.uio_resid;
	if (pos != NULL)
		*pos += *got;
	else if (in->f_type == DTYPE_VNODE)
		in->f_offset += *got;
	if (pos == NULL)
		sx_xunlock(&in->f_lock);
	return *got > 0 ? 0 : error;
}

/* Give back the n bytes read but not written (Linux counts what went). */
static void
sendfile_unread(struct file *in, uint64_t *pos, size_t n)
{
	if (pos != NULL) {
		*pos -= n;
	} else if (in->f_type == DTYPE_VNODE) {
		sx_xlock(&in->f_lock);
		in->f_offset -= n;
		sx_xunlock(&in->f_lock);
	}
}

/*
 * sendfile's copy: up to count bytes from in (see sendfile_read for pos)
 * to out, a page at a time through a kernel buffer.  The caller holds
 * references to both.  Stops at in's end, a short write, or a pending
 * signal between pages.  Returns the bytes moved, or -errno if none were.
 */
static int64_t
sendfile_copy(struct file *out, struct file *in, uint64_t *pos, size_t count)
{
	char *buf = kmalloc(PAGE_SIZE, 0);
	size_t done = 0, n;
	int error = 0;

	if (buf == NULL)
		return -ENOMEM;
	while (done < count) {
		struct uio uio;
		int64_t wrote;

		error = sendfile_read(in, pos, buf, MIN(count - done, PAGE_SIZE), &n);
		if (error != 0 || n == 0)
			break;
		fhold(out);
		uio = (struct uio){ .uio_base = buf, .uio_resid = n };
		wrote = file_rw(out, &uio, true, false, 0, 0);
		if (wrote < 0) {
			error = (int)-wrote;
			sendfile_unread(in, pos, n);
			break;
		}
		done += (size_t)wrote;
		if ((size_t)wrote < n) {
			sendfile_unread(in, pos, n - (size_t)wrote);
			break;
		}
		if (signal_pending(curthread()))
			break;
	}
	kfree(buf);
	return done > 0 || error == 0 ? (int64_t)done : -error;
}

/*
 * sendfile(out, in, offset, count): copy from a file to any writable
 * descriptor in the kernel.  With offset, in is read from *offset, which
 * is updated, and in's own offset stays; without, in's offset advances.
 * Linux's checks in Linux's order: in not open or not readable (EBADF),
 * in a pipe or the terminal (EINVAL: nothing to splice from), out not
 * open or not writable (EBADF), out opened O_APPEND (EINVAL); a bad
 * offset pointer is EFAULT, a negative offset EINVAL.  One open file as
 * both in and out is EINVAL here (Linux copies it onto itself).
 */
int64_t
sys_sendfile(int outfd, int infd, uaddr_t uoffset, size_t count)
{
	struct file *in = fget(infd), *out = NULL;
	int64_t off = 0, result;
	uint64_t pos;
	int error = 0;

	if (in == NULL || !can_read(in))
		error = EBADF;
	else if (in->f_type != DTYPE_VNODE && in->f_type != DTYPE_CDEV)
		error = EINVAL;
	else if ((out = fget(outfd)) == NULL || !can_write(out))
		error = EBADF;
	else if ((out->f_flags & O_APPEND) || out == in)
		error = EINVAL;
	else if (uoffset != 0 && copyin((void *)uoffset, &off, sizeof(off)) != 0)
		error = EFAULT;
	else if (off < 0)
		error = EINVAL;
	else if (in->f_type == DTYPE_VNODE && in->f_vnode->v_type == VDIR)
		error = EISDIR;
	if (error != 0) {
		if (out != NULL)
			fdrop(out);
		if (in != NULL)
			fdrop(in);
		return -error;
	}
	count = MIN(count, MAX_RW_COUNT);
	if (uoffset != 0) {
		pos = (uint64_t)off;
		result = sendfile_copy(out, in, &pos, count);
		off = (int64_t)pos;
		if (copyout(&off, (void *)uoffset, sizeof(off)) != 0)
			result = -EFAULT;
	} else {
		result = sendfile_copy(out, in, NULL, count);
	}
	fdrop(out);
	fdrop(in);
	return result;
}

int64_t
sys_pread64(unsigned int fd, uaddr_t buf, size_t len, long off)
{
	if (off < 0)
		return -EINVAL;
	return file_io((int)fd, buf, len, false, true, (uint64_t)off);
}

int64_t
sys_pwrite64(unsigned int fd, uaddr_t buf, size_t len, long off)
{
	if (off < 0)
		return -EINVAL;
	return file_io((int)fd, buf, len, true, true, (uint64_t)off);
}

/*
 * The iovec array of readv/writev, checked as Linux does before anything
 * moves: a negative length is EINVAL, a piece not entirely in user space
 * EFAULT.  Returns the total (capped at MAX_RW_COUNT) or -errno.
 */
static int64_t
iovec_in(uaddr_t uiov, struct uio_seg *segs, unsigned long cnt)
{
	size_t total = 0;

	if (copyin((void *)uiov, segs, cnt * sizeof(*segs)) != 0)
		return -EFAULT;
	for (unsigned long i = 0; i < cnt; i++)
		if ((int64_t)segs[i].len < 0)
			return -EINVAL;
	for (unsigned long i = 0; i < cnt; i++) {
		if (!access_ok(segs[i].base, segs[i].len))
			return -EFAULT;
		total += MIN(segs[i].len, MAX_RW_COUNT - total);
	}
	return (int64_t)total;
}

/*
 * readv, writev, preadv, pwritev, preadv2, pwritev2: one transfer through
 * all the pieces, as Linux does, at the file's offset or (positioned) at
 * off, with rwf as file_rw takes them.  Linux's order: an fd not open is
 * EBADF, then for the positioned calls a file without offsets ESPIPE;
 * then the array is read and checked (as on Linux before 6.x, the array
 * before the file's open mode); an empty transfer is 0 whatever the
 * flags, and only then are flags Linux does not know EOPNOTSUPP.
 */
static int64_t
vector_io(int fd, uaddr_t uiov, unsigned long cnt, bool write,
    bool positioned, uint64_t off, int rwf)
{
	struct file *fp = fget(fd);
	struct uio_seg *segs = NULL;
	struct uio uio = { .uio_user = true };
	int64_t rv = 0;

	if (fp == NULL)
		return -EBADF;
	if (positioned && fp->f_type != DTYPE_VNODE && fp->f_type != DTYPE_CDEV)
		rv = -ESPIPE;
	else if (cnt > IOV_MAX)
		rv = -EINVAL;
	else if (cnt > 0) {
		segs = kmalloc(cnt * sizeof(*segs), 0);
		rv = segs != NULL ? iovec_in(uiov, segs, cnt) : -ENOMEM;
	}
	if (rv >= 0 && (write ? !can_write(fp) : !can_read(fp)))
		rv = -EBADF;
	if (rv > 0 && (rwf & ~RWF_KNOWN) != 0)
		rv = -EOPNOTSUPP;
	if (rv > 0) {
		uio.uio_base = (void *)segs[0].base;
		uio.uio_seglen = segs[0].len;
		uio.uio_segs = &segs[1];
		uio.uio_resid = (size_t)rv;
		rv = file_rw(fp, &uio, write, positioned, off, rwf);
	} else {
		fdrop(fp);
	}
	kfree(segs);
	return rv;
}

int64_t
sys_readv(unsigned int fd, uaddr_t iov, unsigned long cnt)
{
	return vector_io((int)fd, iov, cnt, false, false, 0, 0);
}

int64_t
sys_writev(unsigned int fd, uaddr_t iov, unsigned long cnt)
{
	return vector_io((int)fd, iov, cnt, true, false, 0, 0);
}

/*
 * preadv, pwritev: a negative offset is EINVAL before the descriptor is
 * looked at, as on Linux.  (pos_h, the offset's high half on a 32-bit
 * machine, is unused on a 64-bit one.)
 */
int64_t
sys_preadv(unsigned int fd, uaddr_t iov, unsigned long cnt, long pos_l,
    unsigned long pos_h)
{
	if (pos_l < 0)
		return -EINVAL;
	return vector_io((int)fd, iov, cnt, false, true, (uint64_t)pos_l, 0);
}

int64_t
sys_pwritev(unsigned int fd, uaddr_t iov, unsigned long cnt, long pos_l,
    unsigned long pos_h)
{
	if (pos_l < 0)
		return -EINVAL;
	return vector_io((int)fd, iov, cnt, true, true, (uint64_t)pos_l, 0);
}

/* preadv2, pwritev2: as preadv and pwritev, but offset -1 is the file's
 * own offset (as readv and writev), and with flags. */
static int64_t
vector_io2(unsigned int fd, uaddr_t iov, unsigned long cnt, long pos,
    int flags, bool write)
{
	if (pos < -1)
		return -EINVAL;
	return vector_io((int)fd, iov, cnt, write, pos != -1,
	    pos == -1 ? 0 : (uint64_t)pos, flags);
}

int64_t
sys_preadv2(unsigned int fd, uaddr_t iov, unsigned long cnt, long pos_l,
    unsigned long pos_h, int flags)
{
	return vector_io2(fd, iov, cnt, pos_l, flags, false);
}

int64_t
sys_pwritev2(unsigned int fd, uaddr_t iov, unsigned long cnt, long pos_l,
    unsigned long pos_h, int flags)
{
	return vector_io2(fd, iov, cnt, pos_l, flags, true);
}

/*
 * Where lseek moves fp, or -errno, as Linux's generic llseek: past the
 * file system's largest file size (a disk's size) is EINVAL, and
 * SEEK_DATA/SEEK_HOLE see the file as data up to a hole at its end (ENXIO
 * at or past the end).
 * f_lock held.
 */
static int64_t
seek_target(const struct file *fp, long off, unsigned int whence)
{
	const struct vnode *vp = fp->f_vnode;
	bool disk = fp->f_type == DTYPE_BDEV;
	int64_t size = disk ? (int64_t)bdev_file_size(fp) : (int64_t)vp->v_size;
	uint64_t max = disk ? (uint64_t)size : vp->v_mount->mnt_maxsize;
	int64_t result;

	switch (whence) {
	case SEEK_SET:
		result = off;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow((int64_t)fp->f_offset, off, &result))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, off, &result))
			return -EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		result = whence == SEEK_DATA ? off : size;
		break;
	default:
		return -EINVAL;
	}
	if (result < 0 || (uint64_t)result > max)
		return -EINVAL;
	return result;
}

int64_t
sys_lseek(unsigned int fd, long off, unsigned int whence)
{
	struct file *fp = fget((int)fd);
	int64_t result;

	if (fp == NULL)
		return -EBADF;
	if (whence > SEEK_HOLE || !has_offset(fp)) {
		/* As on Linux: a bad whence first; the memory devices stay
		 * at offset 0. */
		result = whence > SEEK_HOLE ? -EINVAL :
		    fp->f_type == DTYPE_CDEV ? 0 : -ESPIPE;
		fdrop(fp);
		return result;
	}
	sx_xlock(&fp->f_lock);
	result = seek_target(fp, off, whence);
	if (result >= 0) {
		fp->f_offset = (uint64_t)result;
		if (fp->f_vnode->v_type == VDIR)
			fp->f_dircookie = (uint64_t)result;
	}
	sx_xunlock(&fp->f_lock);
	fdrop(fp);
	return result;
}

int64_t
sys_dup(unsigned int fd)
{
	struct file *fp = fget_raw((int)fd);
	int nfd;

	if (fp == NULL)
		return -EBADF;
	nfd = fd_install(fp, 0, false);
	if (nfd < 0)
		fdrop(fp);
	return nfd;
}

int64_t
sys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	struct filedesc *fdp = curproc()->p_fd;
	struct file *fp, *old;

	if (oldfd == newfd || (flags & ~O_CLOEXEC) != 0)
		return -EINVAL;
	if (newfd >= FD_MAX)
		return -EBADF;
	fp = fget_raw((int)oldfd);
	if (fp == NULL)
		return -EBADF;
	sx_xlock(&fdp->fd_lock);
	old = fdp->fd_ofiles[newfd];
	fd_set_slot(fdp, (int)newfd, fp, (flags & O_CLOEXEC) != 0);
	sx_xunlock(&fdp->fd_lock);
	if (old != NULL)
		fd_closed(old);
	return (int64_t)newfd;
}

/*
 * fcntl.  Like Linux, the argument of the int-valued commands is the low
 * 32 bits of arg, and an O_PATH descriptor takes only the descriptor
 * commands and F_GETFL (EBADF for the others).
 */
int64_t
sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *fp = fget_raw((int)fd);
	int argi = (int)arg;
	int64_t rv = 0;
	int nfd;

	if (fp == NULL)
		return -EBADF;
	if ((fp->f_flags & O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC &&
	    cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL) {
		fdrop(fp);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((unsigned int)argi >= FD_MAX) {
			rv = -EINVAL;
			break;
		}
		fhold(fp);
		nfd = fd_install(fp, argi, cmd == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			fdrop(fp);
		rv = nfd;
		break;
	case F_GETFD:
		rv = fd_get_cloexec((int)fd);	/* FD_CLOEXEC is 1 */
		break;
	case F_SETFD:
		rv = -fd_set_cloexec((int)fd, (argi & FD_CLOEXEC) != 0);
		break;
	case F_GETFL:
		rv = fp->f_flags;
		break;
	case F_SETFL:
		fp->f_flags = (fp->f_flags & ~(O_APPEND | O_NONBLOCK)) |
		    (argi & (O_APPEND | O_NONBLOCK));
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		rv = -lockf_fcntl(fp, cmd, arg);
		break;
	case F_SETPIPE_SZ:
	case F_GETPIPE_SZ:
		rv = pipe_fcntl_size(fp, cmd == F_SETPIPE_SZ, (unsigned int)arg);
		break;
	default:
		rv = -EINVAL;
		break;
	}
	fdrop(fp);
	return rv;
}

/*
 * flock: Linux's order, an operation that is not one (EINVAL) before
 * the descriptor (EBADF).
 */
int64_t
sys_flock(unsigned int fd, unsigned int cmd)
{
	struct file *fp;
	int error;

	if ((cmd & ~LOCK_NB) != LOCK_SH && (cmd & ~LOCK_NB) != LOCK_EX &&
	    (cmd & ~LOCK_NB) != LOCK_UN)
		return -EINVAL;
	fp = fget((int)fd);
	if (fp == NULL)
		return -EBADF;
	error = lockf_flock(fp, cmd);
	fdrop(fp);
	return -error;
}

#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451

/*
 * ioctl: the requests every descriptor takes, as on Linux (close-on-exec
 * on and off, non-blocking mode from the int at arg), then the file's own.
 */
int64_t
sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *fp = fget((int)fd);
	int32_t on;
	int error;

	if (fp == NULL)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		error = fd_set_cloexec((int)fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
		error = copyin((void *)arg, &on, sizeof(on)) != 0 ? EFAULT : 0;
		if (error == 0)
			fp->f_flags = on ? fp->f_flags | O_NONBLOCK :
			    fp->f_flags & ~O_NONBLOCK;
		break;
	default:
		error = fp->f_ops->ioctl(fp, (unsigned long)cmd, arg);
		break;
	}
	fdrop(fp);
	return -error;
}

int64_t
sys_pipe2(uaddr_t ufds, int flags)
{
	struct file *rfp, *wfp;
	int32_t fds[2];
	int error;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	error = pipe_create(&rfp, &wfp, flags);
	if (error != 0)
		return -error;
	fds[0] = fd_install(rfp, 0, (flags & O_CLOEXEC) != 0);
	if (fds[0] < 0) {
		fdrop(rfp);
		fdrop(wfp);
		return fds[0];
	}
	fds[1] = fd_install(wfp, 0, (flags & O_CLOEXEC) != 0);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		fdrop(wfp);
		return fds[1];
	}
	if (copyout(fds, (void *)ufds, sizeof(fds)) != 0) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

static void
vattr_to_stat(const struct vattr *va, struct stat_linux *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = va->va_dev;
	st->st_ino = va->va_ino;
	st->st_mode = va->va_mode;
	st->st_nlink = va->va_nlink;
	st->st_uid = va->va_uid;
	st->st_gid = va->va_gid;
	st->st_rdev = va->va_rdev;
	st->st_size = (int64_t)va->va_size;
	st->st_blksize = (int32_t)va->va_blksize;
	st->st_blocks = (int64_t)va->va_blocks;
	st->st_atime = va->va_atime.tv_sec;
	st->st_atime_nsec = (uint64_t)va->va_atime.tv_nsec;
	st->st_mtime = va->va_mtime.tv_sec;
	st->st_mtime_nsec = (uint64_t)va->va_mtime.tv_nsec;
	st->st_ctime = va->va_ctime.tv_sec;
	st->st_ctime_nsec = (uint64_t)va->va_ctime.tv_nsec;
}

static int64_t
stat_out(const struct vattr *va, uaddr_t ust)
{
	struct stat_linux st;

	vattr_to_stat(va, &st);
	return copyout(&st, (void *)ust, sizeof(st)) != 0 ? -EFAULT : 0;
}

/* The attributes of the file open on fd (a pipe or the console too). */
static int
fd_stat(int fd, struct vattr *va)
{
	struct file *fp = fget_raw(fd);
	int error;

	if (fp == NULL)
		return EBADF;
	error = fp->f_ops->stat(fp, va);
	fdrop(fp);
	return error;
}

int64_t
sys_fstat(unsigned int fd, uaddr_t ust)
{
	struct vattr va;
	int error = fd_stat((int)fd, &va);

	return error != 0 ? -error : stat_out(&va, ust);
}

#define AT_NO_AUTOMOUNT		0x800
#define AT_STATX_FORCE_SYNC	0x2000
#define AT_STATX_DONT_SYNC	0x4000
#define AT_STATX_SYNC_TYPE	(AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC)
/* Linux accepts the automount and statx sync flags; here they change
 * nothing (no automounts, and a local file system is always in sync). */
#define AT_STAT_FLAGS	(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | \
    AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)

/*
 * The attributes of the file newfstatat and statx name (flags checked by
 * the caller): with AT_EMPTY_PATH an empty path on a descriptor is the
 * file open there, a pipe or the console too; else the path from dirfd,
 * the symlink itself with AT_SYMLINK_NOFOLLOW.  0 or an errno.
 */
static int
stat_at(int dirfd, uaddr_t upath, int flags, struct vattr *va)
{
	struct vnode *vp;
	int error;
	char c;

	if ((flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD &&
	    copyin((void *)upath, &c, 1) == 0 && c == '\0')
		return fd_stat(dirfd, va);
	vp = at_vnode(dirfd, upath, flags, &error);
	if (vp == NULL)
		return error;
	error = vn_getattr(vp, va);
	vrele(vp);
	return error;
}

int64_t
sys_newfstatat(int dirfd, uaddr_t upath, uaddr_t ust, int flags)
{
	struct vattr va;
	int error;

	if (flags & ~AT_STAT_FLAGS)
		return -EINVAL;
	error = stat_at(dirfd, upath, flags, &va);
	return error != 0 ? -error : stat_out(&va, ust);
}

/* Linux's struct statx (include/uapi/linux/stat.h). */
struct statx_time_linux {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct statx_linux {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct statx_time_linux stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t __spare2[14];		/* mount id, alignments, ... */
};

_Static_assert(sizeof(struct statx_linux) == 256, "struct statx layout");

#define STATX_BASIC_STATS	0x000007ffU	/* type .. blocks */
#define STATX__RESERVED		0x80000000U

static struct statx_time_linux
statx_time(const struct timespec64 *ts)
{
	return (struct statx_time_linux){ .tv_sec = ts->tv_sec,
	    .tv_nsec = (uint32_t)ts->tv_nsec };
}

/*
 * va as a struct statx.  As Linux, every field there is is filled, asked
 * for or not (the mask says what the caller needs, not what it may get),
 * and stx_mask says which are valid: the basic ones, which is all a vattr
 * has; the others (birth time, mount id, ...) stay zero and unclaimed.
 */
static void
vattr_to_statx(const struct vattr *va, struct statx_linux *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = va->va_blksize;
	sx->stx_nlink = va->va_nlink;
	sx->stx_uid = va->va_uid;
	sx->stx_gid = va->va_gid;
	sx->stx_mode = (uint16_t)va->va_mode;
	sx->stx_ino = va->va_ino;
	sx->stx_size = va->va_size;
	sx->stx_blocks = va->va_blocks;
	sx->stx_atime = statx_time(&va->va_atime);
	sx->stx_mtime = statx_time(&va->va_mtime);
	sx->stx_ctime = statx_time(&va->va_ctime);
	sx->stx_rdev_major = DEV_MAJOR(va->va_rdev);
	sx->stx_rdev_minor = DEV_MINOR(va->va_rdev);
	sx->stx_dev_major = (uint32_t)DEV_MAJOR(va->va_dev);
	sx->stx_dev_minor = (uint32_t)DEV_MINOR(va->va_dev);
}

/*
 * statx: newfstatat's lookup, Linux's struct.  Linux's checks in its
 * order: the reserved mask bit, both sync flags at once, then any flag
 * statx does not know are EINVAL, before the path is looked at.
 */
int64_t
sys_statx(int dirfd, uaddr_t upath, unsigned int flags, unsigned int mask,
    uaddr_t ubuf)
{
	struct statx_linux sx;
	struct vattr va;
	int error;

	if ((mask & STATX__RESERVED) ||
	    (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    (flags & ~AT_STAT_FLAGS))
		return -EINVAL;
	error = stat_at(dirfd, upath, (int)flags, &va);
	if (error != 0)
		return -error;
	vattr_to_statx(&va, &sx);
	return copyout(&sx, (void *)ubuf, sizeof(sx)) != 0 ? -EFAULT : 0;
}

/* The shared shape of mkdirat, unlinkat, symlinkat and faccessat. */
static int64_t
path_op(int dirfd, uaddr_t upath, int (*op)(struct vnode *root,
    struct vnode *dvp, const char *path, uint64_t arg), uint64_t arg)
{
	struct proc *p = curproc();
	struct vnode *dvp;
	int error;
	char *path = path_in(upath, &error);

	if (path == NULL)
		return -error;
	dvp = at_dir(dirfd, path, &error);
	if (dvp != NULL) {
		error = op(p->p_root, dvp, path, arg);
		vrele(dvp);
	}
	kfree(path);
	return -error;
}

static int
op_mkdir(struct vnode *root, struct vnode *dvp, const char *path, uint64_t mode)
{
	return vfs_mkdir(root, dvp, path, (uint32_t)mode & ~curproc()->p_umask);
}

int64_t
sys_mkdirat(int dirfd, uaddr_t upath, unsigned short mode)
{
	return path_op(dirfd, upath, op_mkdir, mode);
}

static int
op_unlink(struct vnode *root, struct vnode *dvp, const char *path,
    uint64_t flags)
{
	return vfs_remove(root, dvp, path, (flags & AT_REMOVEDIR) != 0);
}

int64_t
sys_unlinkat(int dirfd, uaddr_t upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return path_op(dirfd, upath, op_unlink, (uint64_t)flags);
}

static int
op_access(struct vnode *root, struct vnode *dvp, const char *path,
    uint64_t mode)
{
	struct thread *td = curthread();
	struct nameidata nd;
	int error;

	/* As Linux's faccessat: the walk and the file are checked for the
	 * real ids, not the file-system ones, by the file's own rule
	 * (vn_access: procfs's too). */
	td->td_access_real = true;
	error = namei(root, dvp, path, LOOKUP_FOLLOW, &nd);
	if (error == 0) {
		error = vn_access(nd.ni_vp, (int)mode);
		vrele(nd.ni_vp);
	}
	td->td_access_real = false;
	return error;
}

int64_t
sys_faccessat(int dirfd, uaddr_t upath, int mode)
{
	if (mode & ~7)
		return -EINVAL;
	return path_op(dirfd, upath, op_access, (uint64_t)mode);
}

int64_t
sys_symlinkat(uaddr_t utarget, int dirfd, uaddr_t upath)
{
	struct proc *p = curproc();
	struct vnode *dvp;
	int error;
	char *target = path_in(utarget, &error), *path;

	if (target == NULL)
		return -error;
	if (target[0] == '\0') {	/* no name: ENOENT, as Linux's getname() */
		kfree(target);
		return -ENOENT;
	}
	path = path_in(upath, &error);
	if (path != NULL) {
		dvp = at_dir(dirfd, path, &error);
		if (dvp != NULL) {
			error = vfs_symlink(p->p_root, dvp, target, path);
			vrele(dvp);
		}
		kfree(path);
	}
	kfree(target);
	return -error;
}

int64_t
sys_readlinkat(int dirfd, uaddr_t upath, uaddr_t ubuf, int size)
{
	struct proc *p = curproc();
	struct vnode *dvp;
	size_t len = 0;
	int error;
	char *path, *buf;

	if (size <= 0)
		return -EINVAL;
	path = path_in(upath, &error);
	if (path == NULL)
		return -error;
	buf = kmalloc(PATH_MAX, 0);
	dvp = buf != NULL ? at_dir(dirfd, path, &error) : NULL;
	if (buf == NULL)
		error = ENOMEM;
	if (dvp != NULL) {
		error = vfs_readlink(p->p_root, dvp, path, buf,
		    MIN((size_t)size, PATH_MAX), &len);
		vrele(dvp);
	}
	if (error == 0 && copyout(buf, (void *)ubuf, len) != 0)
		error = EFAULT;
	kfree(buf);
	kfree(path);
	return error != 0 ? -error : (int64_t)len;
}

static int64_t
rename_common(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew,
    bool noreplace)
{
	struct proc *p = curproc();
	struct vnode *odvp = NULL, *ndvp = NULL;
	int error;
	char *from = path_in(uold, &error), *to = NULL;

	if (from != NULL)
		to = path_in(unew, &error);
	if (to != NULL)
		odvp = at_dir(olddirfd, from, &error);
	if (odvp != NULL)
		ndvp = at_dir(newdirfd, to, &error);
	if (ndvp != NULL) {
		error = vfs_rename(p->p_root, odvp, from, ndvp, to, noreplace);
		vrele(ndvp);
	}
	if (odvp != NULL)
		vrele(odvp);
	kfree(from);
	kfree(to);
	return -error;
}

int64_t
sys_renameat(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew)
{
	return rename_common(olddirfd, uold, newdirfd, unew, false);
}

int64_t
sys_renameat2(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew,
    unsigned int flags)
{
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	return rename_common(olddirfd, uold, newdirfd, unew,
	    (flags & RENAME_NOREPLACE) != 0);
}

int64_t
sys_ftruncate(unsigned int fd, long length)
{
	struct file *fp;
	int error;

	/* Linux's order; anything but a regular file open for writing is EINVAL. */
	if (length < 0)
		return -EINVAL;
	fp = fget((int)fd);
	if (fp == NULL)
		return -EBADF;
	if (fp->f_type != DTYPE_VNODE || fp->f_vnode->v_type != VREG ||
	    !can_write(fp))
		error = EINVAL;
	else
		error = vn_truncate(fp->f_vnode, (uint64_t)length);
	fdrop(fp);
	return -error;
}

#define FALLOC_FL_KEEP_SIZE		0x01
#define FALLOC_FL_PUNCH_HOLE		0x02
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40
#define FALLOC_FL_WRITE_ZEROES		0x80
#define FALLOC_FL_MODE_MASK	(FALLOC_FL_PUNCH_HOLE | \
    FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
    FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_WRITE_ZEROES)

/*
 * Whether Linux takes fallocate's mode at all (its modes are exclusive,
 * hole punching needs KEEP_SIZE and the range-moving ones refuse it),
 * before it looks at the file; a mode it takes but ext2 cannot do is
 * EOPNOTSUPP later, after the file's checks.
 */
static bool
falloc_mode_ok(int mode)
{
	if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return false;
	switch (mode & FALLOC_FL_MODE_MASK) {
	case 0:
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return true;
	case FALLOC_FL_PUNCH_HOLE:
		return (mode & FALLOC_FL_KEEP_SIZE) != 0;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case FALLOC_FL_WRITE_ZEROES:
		return (mode & FALLOC_FL_KEEP_SIZE) == 0;
	default:
		return false;
	}
}

/*
 * fallocate: mode 0 (allocate, growing the file to offset + len) and
 * FALLOC_FL_KEEP_SIZE (see vn_allocate), with Linux's checks in Linux's
 * order: the range, the mode, the open mode (EBADF), then the kind of
 * file (a pipe ESPIPE, a directory EISDIR, any other non-regular file
 * ENODEV), then the end past the largest file (EFBIG).
 */
int64_t
sys_fallocate(int fd, int mode, long offset, long len)
{
	struct file *fp;
	long end;
	int error;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (!falloc_mode_ok(mode))
		return -EOPNOTSUPP;
	fp = fget(fd);
	if (fp == NULL)
		return -EBADF;
	if (!can_write(fp))
		error = EBADF;
	else if (fp->f_type == DTYPE_PIPE)
		error = ESPIPE;
	else if (fp->f_type == DTYPE_VNODE && fp->f_vnode->v_type == VDIR)
		error = EISDIR;
	else if (fp->f_type != DTYPE_VNODE || fp->f_vnode->v_type != VREG)
		error = ENODEV;
	else if (__builtin_add_overflow(offset, len, &end) ||
	    (uint64_t)end > fp->f_vnode->v_mount->mnt_maxsize)
		error = EFBIG;
	else if (mode & ~FALLOC_FL_KEEP_SIZE)
		error = EOPNOTSUPP;	/* ext2 cannot punch holes or move ranges */
	else
		error = vn_allocate(fp->f_vnode, (uint64_t)offset, (uint64_t)len,
		    (mode & FALLOC_FL_KEEP_SIZE) != 0);
	fdrop(fp);
	return -error;
}

int64_t
sys_truncate(uaddr_t upath, long length)
{
	struct proc *p = curproc();
	struct vnode *vp, *cwd;
	int error;
	char *path = path_in(upath, &error);

	if (path == NULL)
		return -error;
	if (length < 0) {
		error = EINVAL;
	} else {
		cwd = proc_cwd(p);
		error = vfs_open(p->p_root, cwd, path, O_WRONLY, 0, &vp);
		vrele(cwd);
	}
	kfree(path);
	if (error != 0)
		return -error;
	error = vn_truncate(vp, (uint64_t)length);
	vrele(vp);
	return -error;
}

int64_t
sys_fsync(unsigned int fd)
{
	struct file *fp = fget((int)fd);
	int error = 0;

	if (fp == NULL)
		return -EBADF;
	if (fp->f_type == DTYPE_VNODE)
		error = vn_fsync(fp->f_vnode);
	else if (fp->f_type == DTYPE_BDEV)
		error = bdev_fsync(fp);
	else
		error = EINVAL;
	fdrop(fp);
	return -error;
}

int64_t
sys_fdatasync(unsigned int fd)
{
	return sys_fsync(fd);
}

int64_t
sys_sync(void)
{
	vfs_sync_all();
	return 0;
}

struct timespec_linux {
	int64_t tv_sec;
	int64_t tv_nsec;
};

#define UTIME_NOW	((1L << 30) - 1)
#define UTIME_OMIT	((1L << 30) - 2)

/* Does ts give a time (not UTIME_NOW or UTIME_OMIT)? */
static bool
time_given(const struct timespec_linux *ts)
{
	return ts->tv_nsec != UTIME_NOW && ts->tv_nsec != UTIME_OMIT;
}

static bool
nsec_ok(int64_t nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT ||
	    (nsec >= 0 && nsec < 1000000000);
}

/*
 * May the current process set vp's (locked) times: to values it gives
 * (explicit) only as the owner or root (EPERM), to now also with write
 * access (EACCES), as Linux.
 */
static int
may_set_times(struct vnode *vp, bool explicit)
{
	struct vattr va;
	int error = vp->v_ops->getattr(vp, &va);

	if (error != 0 || vattr_may_own(&va) == 0)
		return error;
	return explicit ? EPERM : vattr_access(&va, W_OK);
}

/*
 * utimensat, with Linux's checks in Linux's order: both times UTIME_OMIT
 * is done before the path is even looked at; a NULL path is the file open
 * on dirfd (futimens), which takes no flags.
 */
int64_t
sys_utimensat(int dirfd, uaddr_t upath, uaddr_t utimes, int flags)
{
	struct timespec_linux ts[2];
	struct timespec64 t[2], now = { (int64_t)(clock_realtime_ns() / 1000000000UL), 0 };
	struct vnode *vp;
	int error;

	if (utimes != 0) {
		if (copyin((void *)utimes, ts, sizeof(ts)) != 0)
			return -EFAULT;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	vp = NULL;
	error = EINVAL;		/* unless the flags are right */
	if (upath == 0 && dirfd != AT_FDCWD) {
		if (flags == 0)
			vp = fd_vnode(dirfd, false, &error);
	} else if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) == 0) {
		vp = at_vnode(dirfd, upath, flags, &error);
	}
	if (vp == NULL)
		return -error;
	for (int i = 0; i < 2; i++) {
		if (utimes == 0 || ts[i].tv_nsec == UTIME_NOW)
			t[i] = now;
		else
			t[i] = (struct timespec64){ ts[i].tv_sec, ts[i].tv_nsec };
	}
	if (utimes != 0 && (!nsec_ok(ts[0].tv_nsec) || !nsec_ok(ts[1].tv_nsec))) {
		error = EINVAL;
	} else {
		sx_xlock(&vp->v_lock);
		error = may_set_times(vp, utimes != 0 &&
		    (time_given(&ts[0]) || time_given(&ts[1])));
		if (error == 0)
			error = vp->v_ops->settimes(vp,
		    utimes != 0 && ts[0].tv_nsec == UTIME_OMIT ? NULL : &t[0],
			    utimes != 0 && ts[1].tv_nsec == UTIME_OMIT ? NULL :
			    &t[1]);
		sx_xunlock(&vp->v_lock);
	}
	vrele(vp);
	return -error;
}

int64_t
sys_chdir(uaddr_t upath)
{
	struct proc *p = curproc();
	struct nameidata nd;
	struct vnode *cwd;
	int error;
	char *path = path_in(upath, &error);

	if (path == NULL)
		return -error;
	cwd = proc_cwd(p);
	error = namei(p->p_root, cwd, path, LOOKUP_FOLLOW, &nd);
	vrele(cwd);
	kfree(path);
	if (error != 0)
		return -error;
	error = nd.ni_vp->v_type != VDIR ? ENOTDIR : vn_may_search(nd.ni_vp);
	if (error != 0) {
		vrele(nd.ni_vp);
		return -error;
	}
	proc_set_cwd(p, nd.ni_vp);
	return 0;
}

int64_t
sys_fchdir(unsigned int fd)
{
	struct proc *p = curproc();
	struct file *fp = fget_raw((int)fd);
	struct vnode *vp;
	int error;

	if (fp == NULL)
		return -EBADF;
	vp = fp->f_type == DTYPE_VNODE ? fp->f_vnode : NULL;
	if (vp == NULL || vp->v_type != VDIR) {
		fdrop(fp);
		return -ENOTDIR;
	}
	error = vn_may_search(vp);
	if (error != 0) {
		fdrop(fp);
		return -error;
	}
	vref(vp);
	fdrop(fp);
	proc_set_cwd(p, vp);
	return 0;
}

struct getdents_ctx {
	uint8_t *kbuf;
	size_t size, used;
	uint64_t cookie;
};

/* Linux's struct linux_dirent64: ino, off, reclen, type, name. */
static int
getdents_one(void *arg, const char *name, size_t len, uint64_t ino,
    enum vtype type, uint64_t next)
{
	static const uint8_t dt[] = { [VNON] = 0, [VREG] = 8, [VDIR] = 4,
	    [VLNK] = 10, [VCHR] = 2, [VBLK] = 6, [VFIFO] = 1, [VSOCK] = 12 };
	struct getdents_ctx *c = arg;
	size_t reclen = roundup2(19 + len + 1, 8);
	uint8_t *d = c->kbuf + c->used;

	if (c->used + reclen > c->size)
		return 1;
	memset(d, 0, reclen);
	memcpy(d, &ino, 8);
	memcpy(d + 8, &next, 8);
	d[16] = (uint8_t)reclen;
	d[17] = (uint8_t)(reclen >> 8);
	d[18] = dt[type];
	memcpy(d + 19, name, len);
	c->used += reclen;
	c->cookie = next;
	return 0;
}

/*
 * Of the records in the first len bytes of kbuf, the bytes of those that
 * lie wholly within the first got; *cookie becomes the position after
 * the last of them.
 */
static size_t
getdents_whole(const uint8_t *kbuf, size_t len, size_t got, uint64_t *cookie)
{
	size_t whole = 0;

	while (whole < len) {
		const uint8_t *d = kbuf + whole;
		size_t reclen = d[16] | (size_t)d[17] << 8;

		if (whole + reclen > got)
			break;
		memcpy(cookie, d + 8, 8);
		whole += reclen;
	}
	return whole;
}

/*
 * getdents64.  If the buffer faults part way, the entries that arrived
 * whole are the result and the directory position moves past only them,
 * as on Linux; EFAULT if none did.
 */
int64_t
sys_getdents64(unsigned int fd, uaddr_t ubuf, unsigned int size)
{
	struct file *fp = fget((int)fd);
	struct getdents_ctx c = { .size = MIN(size, 65536) };
	struct vnode *vp;
	int error;

	if (fp == NULL)
		return -EBADF;
	vp = fp->f_type == DTYPE_VNODE ? fp->f_vnode : NULL;
	if (vp == NULL || vp->v_type != VDIR) {
		fdrop(fp);
		return -ENOTDIR;
	}
	c.kbuf = kmalloc(c.size, 0);
	if (c.kbuf == NULL) {
		fdrop(fp);
		return -ENOMEM;
	}
	sx_xlock(&fp->f_lock);
	c.cookie = fp->f_dircookie;
	sx_xlock(&vp->v_lock);
	error = vp->v_ops->readdir(vp, &c.cookie, getdents_one, &c);
	sx_xunlock(&vp->v_lock);
	if (error == 0 && c.used == 0 && size > 0 && c.cookie < vp->v_size)
		error = EINVAL;		/* buffer too small for the next entry */
	if (error == 0) {
		size_t got = copyout_prefix(c.kbuf, (void *)ubuf, c.used);

		if (got < c.used) {
			c.cookie = fp->f_dircookie;
			c.used = getdents_whole(c.kbuf, c.used, got, &c.cookie);
			error = c.used == 0 ? EFAULT : 0;
		}
	}
	if (error == 0)
		fp->f_dircookie = fp->f_offset = c.cookie;
	sx_xunlock(&fp->f_lock);
	kfree(c.kbuf);
	fdrop(fp);
	return error != 0 ? -error : (int64_t)c.used;
}

int64_t
sys_getcwd(uaddr_t ubuf, unsigned long size)
{
	struct proc *p = curproc();
	char *buf = kmalloc(PATH_MAX, 0);
	struct vnode *cwd;
	size_t len;
	int error;

	if (buf == NULL)
		return -ENOMEM;
	cwd = proc_cwd(p);
	error = vfs_getcwd(p->p_root, cwd, buf, MIN(size, PATH_MAX), &len);
	vrele(cwd);
	if (error == 0 && copyout(buf, (void *)ubuf, len) != 0)
		error = EFAULT;
	kfree(buf);
	return error != 0 ? -error : (int64_t)len;
}

static int
op_chmod(struct vnode *root, struct vnode *dvp, const char *path, uint64_t mode)
{
	struct nameidata nd;
	int error = namei(root, dvp, path, LOOKUP_FOLLOW, &nd);

	if (error != 0)
		return error;
	error = vfs_chmod(nd.ni_vp, (uint32_t)mode);
	vrele(nd.ni_vp);
	return error;
}

int64_t
sys_fchmodat(int dirfd, uaddr_t upath, unsigned short mode)
{
	return path_op(dirfd, upath, op_chmod, mode);
}

int64_t
sys_fchmod(unsigned int fd, unsigned short mode)
{
	struct file *fp = fget((int)fd);
	struct vnode *vp;
	int error;

	if (fp == NULL)
		return -EBADF;
	if ((vp = fp->f_vnode) != NULL)
		error = vfs_chmod(vp, mode);
	else
		error = fp->f_type == DTYPE_PIPE ? pipe_chmod(fp, mode) : EINVAL;
	fdrop(fp);
	return -error;
}

static int
op_mknod(struct vnode *root, struct vnode *dvp, const char *path, uint64_t arg)
{
	return vfs_mknod(root, dvp, path, (uint32_t)(arg >> 32), (uint32_t)arg);
}

/*
 * mknodat: a regular file (type bits S_IFREG or none), a character or
 * block device node, a FIFO or a socket; the umask applies.  As Linux: a
 * directory is EPERM, any other type EINVAL, and dev matters only for
 * device nodes, which only root may make (CAP_MKNOD: EPERM).
 */
int64_t
sys_mknodat(int dirfd, uaddr_t upath, unsigned short mode, unsigned int dev)
{
	uint32_t type = mode & S_IFMT, m;

	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return -EPERM;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK &&
	    type != S_IFIFO && type != S_IFSOCK)
		return -EINVAL;
	if (type != S_IFCHR && type != S_IFBLK)
		dev = 0;
	else if (curproc()->p_cred.cr_euid != 0)
		return -EPERM;
	m = type | (mode & 07777 & ~curproc()->p_umask);
	return path_op(dirfd, upath, op_mknod, (uint64_t)m << 32 | dev);
}

/* Linux's struct statfs (asm-generic, 64-bit words). */
struct statfs_linux {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};

_Static_assert(sizeof(struct statfs_linux) == 120, "struct statfs layout");

#define PIPEFS_MAGIC		0x50495045
#define TMPFS_MAGIC		0x01021994	/* devtmpfs, where /dev/console is */
#define ST_RDONLY		0x0001	/* ST_NOSUID, ST_NODEV, ST_NOEXEC
					   are mnt_flags' MNT_ bits */
#define ST_VALID		0x0020

/* The statfs of vp's file system. */
static int
vnode_statfs(struct vnode *vp, struct statfs_linux *sf)
{
	struct mount *mp = vp->v_mount;
	struct statfs_info si;
	int error = mp->mnt_ops->statfs(mp, &si);

	if (error != 0)
		return error;
	memset(sf, 0, sizeof(*sf));
	sf->f_type = mp->mnt_ops->magic;
	sf->f_bsize = sf->f_frsize = si.bsize;
	sf->f_blocks = si.blocks;
	sf->f_bfree = si.bfree;
	sf->f_bavail = si.bavail;
	sf->f_files = si.files;
	sf->f_ffree = si.ffree;
	sf->f_fsid[0] = (int32_t)si.fsid;
	sf->f_fsid[1] = (int32_t)(si.fsid >> 32);
	sf->f_namelen = NAME_MAX;
	sf->f_flags = ST_VALID | (mp->mnt_rdonly ? ST_RDONLY : 0) |
	    (mp->mnt_flags & (MNT_NOSUID | MNT_NODEV | MNT_NOEXEC));
	return 0;
}

static int64_t
statfs_out(const struct statfs_linux *sf, uaddr_t ubuf)
{
	return copyout(sf, (void *)ubuf, sizeof(*sf)) != 0 ? -EFAULT : 0;
}

int64_t
sys_statfs(uaddr_t upath, uaddr_t ubuf)
{
	struct statfs_linux sf;
	struct vnode *vp;
	int error;

	vp = at_vnode(AT_FDCWD, upath, 0, &error);
	if (vp == NULL)
		return -error;
	error = vnode_statfs(vp, &sf);
	vrele(vp);
	return error != 0 ? -error : statfs_out(&sf, ubuf);
}

/* fstatfs: a pipe is on Linux's pipefs and the console on devtmpfs,
 * pseudo file systems without blocks or inodes to count. */
int64_t
sys_fstatfs(unsigned int fd, uaddr_t ubuf)
{
	struct file *fp = fget_raw((int)fd);
	struct statfs_linux sf;
	int error = 0;

	if (fp == NULL)
		return -EBADF;
	if (fp->f_vnode != NULL) {
		error = vnode_statfs(fp->f_vnode, &sf);
	} else {
		memset(&sf, 0, sizeof(sf));
		sf.f_type = fp->f_type == DTYPE_PIPE ? PIPEFS_MAGIC : TMPFS_MAGIC;
		sf.f_bsize = sf.f_frsize = PAGE_SIZE;
		sf.f_namelen = NAME_MAX;
		sf.f_flags = ST_VALID;
	}
	fdrop(fp);
	return error != 0 ? -error : statfs_out(&sf, ubuf);
}

/*
 * linkat: with AT_SYMLINK_FOLLOW a symlink at the end of oldpath is
 * followed (by default the link is to the symlink itself, as Linux);
 * with AT_EMPTY_PATH an empty oldpath is olddirfd's file.
 */
int64_t
sys_linkat(int olddirfd, uaddr_t uold, int newdirfd, uaddr_t unew, int flags)
{
	struct proc *p = curproc();
	struct vnode *vp, *dvp;
	char *path;
	int error;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	vp = at_vnode(olddirfd, uold, (flags & AT_EMPTY_PATH) |
	    ((flags & AT_SYMLINK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW), &error);
	if (vp == NULL)
		return -error;
	path = path_in(unew, &error);
	if (path != NULL) {
		dvp = at_dir(newdirfd, path, &error);
		if (dvp != NULL) {
			error = vfs_link(p->p_root, dvp, path, vp);
			vrele(dvp);
		}
		kfree(path);
	}
	vrele(vp);
	return -error;
}

/* chown's ids: -1 (as an unsigned int) keeps one. */
static uint32_t
chown_id(unsigned int id)
{
	return id == (unsigned int)-1 ? VNOVAL : id;
}

int64_t
sys_fchownat(int dirfd, uaddr_t upath, unsigned int uid, unsigned int gid,
    int flags)
{
	struct vnode *vp;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	vp = at_vnode(dirfd, upath, flags, &error);
	if (vp == NULL)
		return -error;
	error = vfs_chown(vp, chown_id(uid), chown_id(gid));
	vrele(vp);
	return -error;
}

/* fchown: a file on a vnode (a device node, a FIFO too), or a pipe(2)
 * pipe, its own inode; the console has none to change here (EINVAL:
 * Linux changes its device node). */
int64_t
sys_fchown(unsigned int fd, unsigned int uid, unsigned int gid)
{
	struct file *fp = fget((int)fd);
	int error;

	if (fp == NULL)
		return -EBADF;
	if (fp->f_vnode != NULL)
		error = vfs_chown(fp->f_vnode, chown_id(uid), chown_id(gid));
	else if (fp->f_type == DTYPE_PIPE)
		error = pipe_chown(fp, chown_id(uid), chown_id(gid));
	else
		error = EINVAL;
	fdrop(fp);
	return -error;
}

struct pollfd_linux {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

#define POLL_MAX	256

/* Ready events of every descriptor; returns how many have some. */
static int
poll_scan(struct pollfd_linux *pfd, uint64_t nfds)
{
	int ready = 0;

	for (uint64_t i = 0; i < nfds; i++) {
		struct file *fp;

		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		fp = fget(pfd[i].fd);
		if (fp == NULL) {
			pfd[i].revents = POLLNVAL;
		} else {
			pfd[i].revents = (int16_t)fp->f_ops->poll(fp, pfd[i].events);
			fdrop(fp);
		}
		if (pfd[i].revents != 0)
			ready++;
	}
	return ready;
}

/* What ppoll's scans look at. */
struct poll_set {
	struct pollfd_linux *pfd;
	uint64_t nfds;
};

static int
poll_set_scan(void *arg)
{
	struct poll_set *ps = arg;

	return poll_scan(ps->pfd, ps->nfds);
}

/* Read ps's nfds pollfds from ufds: 0, EINVAL (too many), ENOMEM or
 * EFAULT.  ps->pfd is the caller's to free, whatever the result. */
static int
poll_set_in(struct poll_set *ps, uaddr_t ufds)
{
	if (ps->nfds > POLL_MAX)
		return EINVAL;
	if (ps->nfds == 0)
		return 0;
	ps->pfd = kmalloc(ps->nfds * sizeof(*ps->pfd), 0);
	if (ps->pfd == NULL)
		return ENOMEM;
	if (copyin((void *)ufds, ps->pfd, ps->nfds * sizeof(*ps->pfd)) != 0)
		return EFAULT;
	return 0;
}

/*
 * ppoll: wait until a descriptor is ready, the timeout passes, or a
 * signal arrives (poll_wait), with the signal mask given in force
 * meanwhile.  With no descriptors it is glibc's pause().  The arguments
 * are checked in Linux's order (timeout, signal mask, then the
 * descriptors); as on Linux, the time left is written back.
 */
int64_t
sys_ppoll(uaddr_t ufds, unsigned int nfds, uaddr_t utmo, uaddr_t usigmask,
    size_t sigsetsize)
{
	struct poll_set ps = { .nfds = nfds };
	struct poll_timeout pt;
	int64_t ready;
	int error;

	error = poll_timeout_in(utmo, &pt);
	if (error == 0)
		error = poll_sigmask_begin(usigmask, sigsetsize);
	if (error != 0)
		return -error;
	error = poll_set_in(&ps, ufds);
	ready = error != 0 ? -error : poll_wait(poll_set_scan, &ps, &pt);
	if (ready >= 0 && nfds > 0 &&
	    copyout(ps.pfd, (void *)ufds, nfds * sizeof(*ps.pfd)) != 0)
		ready = -EFAULT;
	kfree(ps.pfd);
	if (usigmask != 0)
		sigmask_temp_end(curthread(), ready == -EINTR);
	return poll_timeout_out(&pt, ready);
}

/* mount(2) flags (Linux's MS_ values; the first four are MNT_'s). */
#define MS_RDONLY	0x1
#define MS_NOSUID	0x2
#define MS_NODEV	0x4
#define MS_NOEXEC	0x8
#define MS_REMOUNT	0x20
#define MS_BIND		0x1000
#define MS_MOVE		0x2000
#define MS_UNBINDABLE	(1UL << 17)
#define MS_PRIVATE	(1UL << 18)
#define MS_SLAVE	(1UL << 19)
#define MS_SHARED	(1UL << 20)
#define MS_NOUSER	(1UL << 31)
#define MS_MGC_VAL	0xc0ed0000UL	/* the old magic in the upper half */
#define MS_MGC_MSK	0xffff0000UL
#define MS_NOT_DONE	(MS_BIND | MS_MOVE | MS_UNBINDABLE | MS_PRIVATE | \
			 MS_SLAVE | MS_SHARED)

/* umount2(2) flags. */
#define MNT_FORCE	0x1
#define MNT_DETACH	0x2
#define MNT_EXPIRE	0x4
#define UMOUNT_NOFOLLOW	0x8

/*
 * A mount(2) string argument (source, type, options) into a kmalloc'd
 * buffer of size bytes, or NULL for a NULL pointer (*error 0) or with
 * *error set: EFAULT, or EINVAL if it does not fit.
 */
static char *
mount_string_in(uaddr_t ustr, size_t size, int *error)
{
	char *s;

	*error = 0;
	if (ustr == 0)
		return NULL;
	s = kmalloc(size, 0);
	if (s == NULL) {
		*error = ENOMEM;
		return NULL;
	}
	*error = copyinstr((const void *)ustr, s, size, NULL);
	if (*error == ENAMETOOLONG)
		*error = EINVAL;
	if (*error != 0) {
		kfree(s);
		return NULL;
	}
	return s;
}

/*
 * mount(source, target, fstype, flags, data): a new mount of fstype on
 * directory target, or with MS_REMOUNT new flags for the mount whose
 * root target is.  MS_RDONLY, MS_NOSUID, MS_NODEV and MS_NOEXEC are
 * kept (statfs shows them; noexec and nodev are enforced); the other
 * per-mount and per-superblock flags Linux has (noatime, sync, silent...)
 * are accepted and change nothing.  Errors in Linux's order: EFAULT for
 * the strings, the target's lookup error, EINVAL for MS_NOUSER, bind and
 * move mounts and propagation changes (not done), EINVAL with no type,
 * ENODEV for an unknown one, then vfs_mount_at's (ENOTDIR, EBUSY,
 * ENOENT for a missing device, EINVAL for bad options).  Everyone is
 * root, so EPERM never happens.
 */
int64_t
sys_mount(uaddr_t usource, uaddr_t utarget, uaddr_t ufstype,
    unsigned long flags, uaddr_t udata)
{
	char *fstype = NULL, *source = NULL, *data = NULL;
	struct vnode *vp = NULL;
	int error;

	fstype = mount_string_in(ufstype, NAME_MAX + 1, &error);
	if (error == 0)
		source = mount_string_in(usource, MNT_SOURCE_MAX, &error);
	if (error == 0)
		data = mount_string_in(udata, PAGE_SIZE, &error);
	if (error == 0)
		vp = at_vnode(AT_FDCWD, utarget, 0, &error);
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	/* A remount with MS_BIND changes the same per-mount flags here. */
	if (error == 0 && (flags & (MS_NOUSER | MS_NOT_DONE)) &&
	    (flags & (MS_NOUSER | MS_NOT_DONE)) != ((flags & MS_REMOUNT) ?
	    MS_BIND : 0))
		error = EINVAL;
	if (error == 0 && (flags & MS_REMOUNT)) {
		error = vfs_remount(vp, (uint32_t)flags &
		    (MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC));
	} else if (error == 0) {
		error = fstype == NULL ? EINVAL : vfs_mount_at(vp,
		    source != NULL ? source : "none", fstype, (uint32_t)flags &
		    (MNT_RDONLY | MNT_NOSUID | MNT_NODEV | MNT_NOEXEC), data);
		if (error == 0)
			vp = NULL;	/* the mount has it */
	}
	if (vp != NULL)
		vrele(vp);
	kfree(fstype);
	kfree(source);
	kfree(data);
	return -error;
}

/*
 * umount2(target, flags): unmount the mount whose root target is.
 * MNT_FORCE is accepted (nothing here needs forcing); MNT_DETACH takes a
 * mount in use (and the mounts inside it) out of the name space at once
 * and unmounts it when its last file is let go (vfs.mounts_detached
 * counts those waiting).  MNT_EXPIRE (two-step expiry marks) is not
 * done: EINVAL, as are unknown flags and MNT_EXPIRE with MNT_FORCE or
 * MNT_DETACH on Linux.  UMOUNT_NOFOLLOW leaves a final symlink alone.
 * EINVAL if target is not a mount's root, EBUSY for "/" or, without
 * MNT_DETACH, a mount in use.
 */
int64_t
sys_umount2(uaddr_t utarget, int flags)
{
	struct vnode *vp;
	int error;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (flags & MNT_EXPIRE)
		return -EINVAL;
	vp = at_vnode(AT_FDCWD, utarget,
	    (flags & UMOUNT_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0, &error);
	if (vp == NULL)
		return -error;
	return -vfs_unmount_at(vp, (flags & MNT_DETACH) != 0);
}
