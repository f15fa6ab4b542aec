/*
 * Open files and per-process descriptor tables (see file.h).
 */
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kpath.h"
#include "kern/lockf.h"
#include "kern/proc.h"

/*
 * A new file with one reference; it keeps the status flags of flags (not
 * the ones that only act at open, as on Linux).  NULL if memory is
 * exhausted.
 */
struct file *
file_alloc(int type, const struct fileops *ops, int flags)
{
	struct file *fp = kmalloc(sizeof(*fp), M_ZERO);

	if (fp == NULL)
		return NULL;
	sx_init(&fp->f_lock, "file");
	fp->f_refcnt = 1;
	fp->f_type = type;
	fp->f_ops = ops;
	fp->f_flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC);
	return fp;
}

void
fhold(struct file *fp)
{
	__atomic_add_fetch(&fp->f_refcnt, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; the last one takes the file's OFD and flock locks
 * away and closes it. */
void
fdrop(struct file *fp)
{
	if (__atomic_sub_fetch(&fp->f_refcnt, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	lockf_file_gone(fp);
	fp->f_ops->close(fp);
	kpath_rele(fp->f_path);
	kfree(fp);
}

/*
 * The file behind descriptor fd of the current process, held; or NULL.
 * An O_PATH descriptor is one too (Linux's fdget_raw): only the calls
 * that work on a path's file (fstat, fchdir, an "at" directory, dup,
 * some fcntls) take one.
 */
struct file *
fget_raw(int fd)
{
	struct filedesc *fdp = curproc()->p_fd;
	struct file *fp = NULL;

	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	sx_slock(&fdp->fd_lock);
	fp = fdp->fd_ofiles[fd];
	if (fp != NULL)
		fhold(fp);
	sx_sunlock(&fdp->fd_lock);
	return fp;
}

/* The same, but an O_PATH descriptor is not one (EBADF for the callers,
 * as Linux's fdget). */
struct file *
fget(int fd)
{
	struct file *fp = fget_raw(fd);

	if (fp != NULL && (fp->f_flags & O_PATH)) {
		fdrop(fp);
		return NULL;
	}
	return fp;
}

/*
 * Make descriptor fd of fdp (free, or its file already taken out) hold
 * fp, with its close-on-exec flag.  fdp's lock held exclusive, or fdp
 * not yet seen by anyone else.
 */
void
fd_set_slot(struct filedesc *fdp, int fd, struct file *fp, bool cloexec)
{
	fdp->fd_ofiles[fd] = fp;
	fdp->fd_cloexec[fd] = cloexec;
	if (fd >= fdp->fd_hiwat)	/* read unlocked by fd_limit */
		__atomic_store_n(&fdp->fd_hiwat, fd + 1, __ATOMIC_RELAXED);
}

/*
 * The current bound of fdp's descriptors, for a walk that takes the lock
 * per descriptor: one opened meanwhile above it is not seen, as if it
 * had come after the walk.
 */
static int
fd_limit(struct filedesc *fdp)
{
	return __atomic_load_n(&fdp->fd_hiwat, __ATOMIC_RELAXED);
}

/*
 * Put fp (whose reference the table takes over) in the lowest free
 * descriptor >= min.  Returns the descriptor or -EMFILE.
 */
int
fd_install(struct file *fp, int min, bool cloexec)
{
	struct filedesc *fdp = curproc()->p_fd;

	sx_xlock(&fdp->fd_lock);
	for (int fd = MAX(min, 0); fd < FD_MAX; fd++) {
		if (fdp->fd_ofiles[fd] == NULL) {
			fd_set_slot(fdp, fd, fp, cloexec);
			sx_xunlock(&fdp->fd_lock);
			return fd;
		}
	}
	sx_xunlock(&fdp->fd_lock);
	return -EMFILE;
}

/*
 * A descriptor of the current process that held fp is closed (already
 * out of the table): as on Linux, the process's POSIX locks on the file
 * go, whichever descriptor set them; then the table's reference.
 */
void
fd_closed(struct file *fp)
{
	lockf_fd_closed(fp, curproc());
	fdrop(fp);
}

/* Close descriptor fd: 0 or EBADF. */
int
fd_close(int fd)
{
	struct filedesc *fdp = curproc()->p_fd;
	struct file *fp;

	if (fd < 0 || fd >= FD_MAX)
		return EBADF;
	sx_xlock(&fdp->fd_lock);
	fp = fdp->fd_ofiles[fd];
	fdp->fd_ofiles[fd] = NULL;
	sx_xunlock(&fdp->fd_lock);
	if (fp == NULL)
		return EBADF;
	fd_closed(fp);
	return 0;
}

/*
 * close_range's work on the current process's descriptors first..last
 * (capped at the table): close them, or with cloexec mark the open ones
 * close-on-exec.  Each closes as close(2) does (fd_closed).
 */
void
fd_close_range(unsigned int first, unsigned int last, bool cloexec)
{
	struct filedesc *fdp = curproc()->p_fd;
	unsigned int limit = (unsigned int)fd_limit(fdp);

	for (unsigned int fd = first; fd <= last && fd < limit; fd++) {
		struct file *fp = NULL;

		sx_xlock(&fdp->fd_lock);
		if (cloexec && fdp->fd_ofiles[fd] != NULL) {
			fdp->fd_cloexec[fd] = 1;
		} else if (!cloexec) {
			fp = fdp->fd_ofiles[fd];
			fdp->fd_ofiles[fd] = NULL;
		}
		sx_xunlock(&fdp->fd_lock);
		if (fp != NULL)
			fd_closed(fp);
	}
}

/*
 * Descriptor fd's close-on-exec flag: 1 or 0, or -EBADF if fd is not
 * open.  Takes the table lock.
 */
int
fd_get_cloexec(int fd)
{
	struct filedesc *fdp = curproc()->p_fd;
	int rv = -EBADF;

	if (fd < 0 || fd >= FD_MAX)
		return rv;
	sx_slock(&fdp->fd_lock);
	if (fdp->fd_ofiles[fd] != NULL)
		rv = fdp->fd_cloexec[fd] != 0;
	sx_sunlock(&fdp->fd_lock);
	return rv;
}

/* Set descriptor fd's close-on-exec flag: 0, or EBADF if fd is not open. */
int
fd_set_cloexec(int fd, bool cloexec)
{
	struct filedesc *fdp = curproc()->p_fd;
	int error = EBADF;

	if (fd < 0 || fd >= FD_MAX)
		return error;
	sx_xlock(&fdp->fd_lock);
	if (fdp->fd_ofiles[fd] != NULL) {
		fdp->fd_cloexec[fd] = cloexec;
		error = 0;
	}
	sx_xunlock(&fdp->fd_lock);
	return error;
}

static struct filedesc *
fd_alloc_table(void)
{
	struct filedesc *fdp = kmalloc(sizeof(*fdp), M_ZERO);

	if (fdp != NULL) {
		sx_init(&fdp->fd_lock, "filedesc");
		fdp->fd_refcnt = 1;
	}
	return fdp;
}

/* A copy of fdp for fork: the same files, one more reference each. */
struct filedesc *
fd_copy(struct filedesc *fdp)
{
	struct filedesc *new = fd_alloc_table();

	if (new == NULL)
		return NULL;
	sx_slock(&fdp->fd_lock);
	for (int fd = 0; fd < fdp->fd_hiwat; fd++) {
		if (fdp->fd_ofiles[fd] != NULL) {
			fd_set_slot(new, fd, fdp->fd_ofiles[fd],
			    fdp->fd_cloexec[fd]);
			fhold(new->fd_ofiles[fd]);
		}
	}
	sx_sunlock(&fdp->fd_lock);
	return new;
}

/* init's table: the console on descriptors 0, 1 and 2. */
struct filedesc *
fd_init_console(void)
{
	struct filedesc *fdp = fd_alloc_table();
	struct file *fp;

	if (fdp == NULL)
		return NULL;
	if (tty_file_open(O_RDWR, &fp) != 0) {
		kfree(fdp);
		return NULL;
	}
	for (int fd = 0; fd < 3; fd++) {
		fd_set_slot(fdp, fd, fp, false);
		if (fd > 0)
			fhold(fp);
	}
	return fdp;
}

/* Another reference to fdp (proc_fd_hold, under proc_lock). */
void
fd_hold(struct filedesc *fdp)
{
	__atomic_add_fetch(&fdp->fd_refcnt, 1, __ATOMIC_RELAXED);
}

/*
 * Drop a reference to fdp: the process's at exit, or one a /proc reader
 * took.  The last closes everything and frees the table.
 */
void
fd_free(struct filedesc *fdp)
{
	if (__atomic_sub_fetch(&fdp->fd_refcnt, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (int fd = 0; fd < fdp->fd_hiwat; fd++)
		if (fdp->fd_ofiles[fd] != NULL)
			fdrop(fdp->fd_ofiles[fd]);
	kfree(fdp);
}

/* Close the descriptors marked close-on-exec (exec: fdp is the current
 * process's). */
void
fd_close_on_exec(struct filedesc *fdp)
{
	int limit = fd_limit(fdp);

	for (int fd = 0; fd < limit; fd++) {
		struct file *fp = NULL;

		sx_xlock(&fdp->fd_lock);
		if (fdp->fd_cloexec[fd]) {
			fp = fdp->fd_ofiles[fd];
			fdp->fd_ofiles[fd] = NULL;
			fdp->fd_cloexec[fd] = 0;
		}
		sx_xunlock(&fdp->fd_lock);
		if (fp != NULL)
			fd_closed(fp);
	}
}

int
fd_count(struct filedesc *fdp)
{
	int n = 0;

	sx_slock(&fdp->fd_lock);
	for (int fd = 0; fd < fdp->fd_hiwat; fd++)
		if (fdp->fd_ofiles[fd] != NULL)
			n++;
	sx_sunlock(&fdp->fd_lock);
	return n;
}
