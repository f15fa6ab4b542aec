/*
 * Open files and descriptor tables.  A struct file is what a descriptor
 * points at: an open vnode (with its offset), the console, or one end of a
 * pipe.  Files are reference counted: dup and fork share them.
 *
 * Lock legend: (f) the file's own f_lock (an sx: reads and writes of one
 * file, and its offset); (d) the table's fd_lock; (a) atomic.
 */
#ifndef KERN_FILE_H
#define KERN_FILE_H

#include "kern/kernel.h"
#include "fs/vnode.h"

#define FD_MAX		256	/* descriptors per process */

#define POLLIN		0x001
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020

#define DTYPE_VNODE	1
#define DTYPE_TTY	2
#define DTYPE_PIPE	3
#define DTYPE_CDEV	4	/* a character device other than the tty */
#define DTYPE_BDEV	5	/* a block device node: the disk (kern_bdev.c) */

struct file;
struct stat_linux;

struct fileops {
	int (*read)(struct file *fp, struct uio *uio);
	int (*write)(struct file *fp, struct uio *uio);
	int (*ioctl)(struct file *fp, unsigned long cmd, uint64_t arg);
	int (*stat)(struct file *fp, struct vattr *va);
	int (*poll)(struct file *fp, int events);	/* ready POLL* events */
	void (*close)(struct file *fp);
};

struct file {
	struct sx f_lock;
	int f_refcnt;			/* (a) */
	int f_type;			/* DTYPE_* */
	int f_flags;			/* (f) O_* status flags (O_APPEND, ...) */
	uint64_t f_offset;		/* (f) */
	const struct fileops *f_ops;
	struct vnode *f_vnode;		/* DTYPE_VNODE, DTYPE_CDEV, DTYPE_BDEV,
					   a FIFO's DTYPE_PIPE: referenced */
	uint64_t f_dircookie;		/* (f) getdents position */
	void *f_data;			/* pipe end; DTYPE_BDEV: its blkdev */
	struct kpath *f_path;		/* (c) a file opened by name: its
					   canonical path (a reference, for
					   /proc/PID/fd and mmap), or NULL */
};

struct filedesc {
	struct sx fd_lock;
	int fd_refcnt;			/* (a) its process's, and a /proc
					   reader's while it looks */
	struct file *fd_ofiles[FD_MAX];	/* (d) */
	uint8_t fd_cloexec[FD_MAX];	/* (d) FD_CLOEXEC per descriptor */
	int fd_hiwat;			/* (d) above every descriptor ever
					   open: walks of the table stop here
					   (fork copies it, exit frees it:
					   256 slots each were 1,800 and
					   1,000 instructions) */
};

void fd_set_slot(struct filedesc *fdp, int fd, struct file *fp, bool cloexec);

/* sys_select.c: the wait ppoll and pselect6 share */
struct poll_timeout {
	uaddr_t pt_user;	/* the caller's timespec, 0 if none */
	bool pt_timed;		/* there is a timeout */
	bool pt_zero;		/* ... of zero: do not wait */
	uint64_t pt_deadline;	/* uptime ns */
};

void poll_wakeup(void);
int poll_timeout_in(uaddr_t utmo, struct poll_timeout *pt);
int64_t poll_timeout_out(const struct poll_timeout *pt, int64_t rv);
int poll_wait(int (*scan)(void *arg), void *arg, const struct poll_timeout *pt);
int poll_sigmask_begin(uaddr_t umask, size_t sigsetsize);

/* sys_file.c: what the "at" calls start from */
struct vnode *at_dir(int dirfd, const char *path, int *error);
struct vnode *fd_vnode(int fd, bool raw, int *error);

struct file *file_alloc(int type, const struct fileops *ops, int flags);
void fhold(struct file *fp);
void fdrop(struct file *fp);
struct file *fget(int fd);
struct file *fget_raw(int fd);
int fd_install(struct file *fp, int min, bool cloexec);
int fd_close(int fd);
void fd_closed(struct file *fp);
void fd_close_range(unsigned int first, unsigned int last, bool cloexec);
int fd_get_cloexec(int fd);
int fd_set_cloexec(int fd, bool cloexec);
struct filedesc *fd_copy(struct filedesc *fdp);
struct filedesc *fd_init_console(void);
void fd_hold(struct filedesc *fdp);
void fd_free(struct filedesc *fdp);
void fd_close_on_exec(struct filedesc *fdp);
int fd_count(struct filedesc *fdp);

int vn_file_open(struct vnode *vp, int flags, struct file **fpp);
int tty_file_open(int flags, struct file **fpp);
int pipe_create(struct file **rfp, struct file **wfp, int flags);
int pipe_chown(struct file *fp, uint32_t uid, uint32_t gid);
int pipe_chmod(struct file *fp, uint32_t mode);
int64_t pipe_fcntl_size(struct file *fp, bool set, unsigned int arg);
int cdev_open(struct vnode *vp, int flags, struct file **fpp);
struct blkdev;
int bdev_open(struct vnode *vp, int flags, struct file **fpp);
int bdev_lookup(struct vnode *vp, struct blkdev **bdp);
uint64_t bdev_file_size(const struct file *fp);
int bdev_fsync(struct file *fp);
int fifo_open(struct vnode *vp, int flags, struct file **fpp);
void random_fill(uint8_t *buf, size_t n);

extern const struct fileops vnode_fileops;

#endif
