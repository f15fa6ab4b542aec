/*
 * Pipes: a ring (64 KiB unless F_SETPIPE_SZ changes it) shared by a read
 * end and a write end.  Readers
 * wait for data, writers for room; a read with no writer left returns end
 * of file, a write with no reader left raises SIGPIPE and fails with
 * EPIPE.  Writes of at most PIPE_BUF bytes are never interleaved with
 * other writes.
 *
 * A FIFO (a VFIFO vnode, made by mknod) is the same pipe, reached by
 * open(2): the first open makes it and hangs it on the vnode (v_fifo),
 * the last close takes it down.  As Linux: a reader's open waits for a
 * writer and a writer's for a reader (O_NONBLOCK: a reader does not
 * wait, a writer fails with ENXIO), O_RDWR waits for nobody.  Each open
 * file of a FIFO holds a reference to its vnode.
 *
 * A pipe(2) pipe is its own inode, as Linux's pipefs ones: its owner
 * (the creator's file-system ids), group and permission bits (0600) are
 * kept in it, and fchown and fchmod change them under the rules for
 * files; a FIFO's are its node's.
 *
 * Locking: pipe->lock (a spin lock) guards the ring, its size, the end
 * counts and the owner and mode, and is the interlock for every kind of
 * sleeper.  Data is copied to and from user memory outside it, through
 * a bounce buffer; rdlock and wrlock (sx) keep one reader and one writer
 * at a time on the ring, since a FIFO has many open files (a pipe's are
 * each serialized by their f_lock already).  fifo_lock (a spin lock,
 * before pipe->lock) guards every vnode's v_fifo and the making and
 * freeing of FIFOs.
 */
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/thread.h"
#include "kern/uaccess.h"

#define PIPE_SIZE	65536		/* a new pipe's ring */
#define PIPE_MAX_SIZE	(1U << 20)	/* F_SETPIPE_SZ's limit, see there */
#define PIPE_BUF	4096
#define PIPE_CHUNK	512

struct pipe {
	struct spinlock lock;
	struct sx rdlock, wrlock;
	char *buf;
	size_t size;		/* buf's bytes: a power of two, in pages */
	size_t inflight;	/* bytes the writer (one at a time) copies in
				   outside the lock: room the ring keeps */
	size_t r, w;		/* total bytes read and written */
	int readers, writers;	/* open ends (an O_RDWR file is both) */
	uint64_t ropens, wopens; /* ends ever opened: a FIFO open waiting for
				   the other side sees one come and go */
	struct vnode *vp;	/* (c) a FIFO's node; NULL for pipe(2) */
	uint64_t ino;		/* (c) pipe(2)'s: its st_ino, as Linux's
				   pipefs inodes ("pipe:[ino]" in /proc) */
	uint32_t uid, gid;	/* pipe(2)'s owner and group */
	uint32_t mode;		/* and its permission bits */
	struct timespec64 born;	/* and its times, as Linux's pipefs: made
				   (atime, mtime: reads and writes leave
				   them), */
	struct timespec64 changed; /* last chown or chmod (ctime) */
};

static uint64_t pipe_last_ino;	/* (a) */

static struct spinlock fifo_lock = SPINLOCK_INIT("fifo");

/* Does the open file read, write? */
static bool
end_reads(const struct file *fp)
{
	return (fp->f_flags & O_ACCMODE) != O_WRONLY;
}

static bool
end_writes(const struct file *fp)
{
	return (fp->f_flags & O_ACCMODE) != O_RDONLY;
}

/*
 * Read into uio: what the pipe holds, waiting for something if empty.
 * Bytes are taken from the ring only once they reached the buffer, so a
 * fault in it leaves the rest for the next read (and the error is the
 * result only if nothing was read).  Readers of one pipe are serialized
 * by their file's f_lock (there is one read-end file per pipe), so the
 * ring's read side does not move while a chunk is copied out.
 */
static int
pipe_read(struct file *fp, struct uio *uio)
{
	struct pipe *pp = fp->f_data;
	char chunk[PIPE_CHUNK];
	bool got = false;
	int error = 0;

	sx_xlock(&pp->rdlock);
	spin_lock(&pp->lock);
	while (uio->uio_resid > 0 && error == 0) {
		size_t n, resid = uio->uio_resid, r = pp->r;

		if (pp->r == pp->w) {
			if (got || pp->writers == 0)
				break;
			if (fp->f_flags & O_NONBLOCK) {
				error = EAGAIN;
				break;
			}
			if (tsleep_sig(pp, &pp->lock, "piperd", 0) == EINTR) {
				error = EINTR;
				break;
			}
			continue;
		}
		n = MIN(MIN(pp->w - pp->r, uio->uio_resid), sizeof(chunk));
		n = MIN(n, pp->size - pp->r % pp->size);
		memcpy(chunk, pp->buf + pp->r % pp->size, n);
		spin_unlock(&pp->lock);
		error = uio_copy(chunk, n, uio, true);
		spin_lock(&pp->lock);
		KASSERT(pp->r == r, "pipe %p read by two readers at once", pp);
		pp->r += resid - uio->uio_resid;
		got |= uio->uio_resid < resid;
		wakeup(pp);
		poll_wakeup();
	}
	spin_unlock(&pp->lock);
	sx_xunlock(&pp->rdlock);
	return got ? 0 : error;
}

/*
 * Append n bytes (room for which the writer checked) to the ring, in two
 * pieces if they wrap.  pp->lock held: the ring may have been resized
 * since the room was checked, but kept it (inflight).
 */
static void
ring_put(struct pipe *pp, const char *src, size_t n)
{
	size_t at = pp->w % pp->size, first = MIN(n, pp->size - at);

	KASSERT(pp->size - (pp->w - pp->r) >= n, "pipe %p overfilled", pp);
	memcpy(pp->buf + at, src, first);
	memcpy(pp->buf, src + first, n - first);
	pp->w += n;
}

/*
 * Write from uio, waiting for room; at most PIPE_BUF bytes go in whole.
 * Bytes copied from the buffer before a fault in it are written.
 */
static int
pipe_write(struct file *fp, struct uio *uio)
{
	struct pipe *pp = fp->f_data;
	char chunk[PIPE_CHUNK];
	size_t total = uio->uio_resid, need = total <= PIPE_BUF ? total : 1;
	int error = 0;

	sx_xlock(&pp->wrlock);
	spin_lock(&pp->lock);
	while (uio->uio_resid > 0 && error == 0) {
		size_t room = pp->size - (pp->w - pp->r), n, resid;

		if (pp->readers == 0) {
			spin_unlock(&pp->lock);
			sx_xunlock(&pp->wrlock);
			psignal(curproc(), SIGPIPE);
			return uio->uio_resid < total ? 0 : EPIPE;
		}
		if (room < need) {
			if (fp->f_flags & O_NONBLOCK) {
				error = uio->uio_resid < total ? 0 : EAGAIN;
				break;
			}
			if (tsleep_sig(pp, &pp->lock, "pipewr", 0) == EINTR) {
				error = uio->uio_resid < total ? 0 : EINTR;
				break;
			}
			continue;
		}
		n = MIN(MIN(room, uio->uio_resid), sizeof(chunk));
		resid = uio->uio_resid;
		pp->inflight = n;
		spin_unlock(&pp->lock);
		error = uio_copy(chunk, n, uio, false);
		spin_lock(&pp->lock);
		pp->inflight = 0;
		ring_put(pp, chunk, resid - uio->uio_resid);
		wakeup(pp);
		poll_wakeup();
		need = 1;
	}
	spin_unlock(&pp->lock);
	sx_xunlock(&pp->wrlock);
	return error;
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	return ENOTTY;
}

/* A pipe(2) pipe's attributes.  pp->lock held. */
static void
pipe_attr_locked(const struct pipe *pp, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->va_mode = S_IFIFO | pp->mode;
	va->va_uid = pp->uid;
	va->va_gid = pp->gid;
	va->va_ino = pp->ino;
	va->va_nlink = 1;
	va->va_blksize = PIPE_BUF;
	va->va_atime = va->va_mtime = pp->born;
	va->va_ctime = pp->changed;
}

static int
pipe_stat(struct file *fp, struct vattr *va)
{
	struct pipe *pp = fp->f_data;

	if (pp->vp != NULL)
		return vn_getattr(pp->vp, va);
	spin_lock(&pp->lock);
	pipe_attr_locked(pp, va);
	spin_unlock(&pp->lock);
	return 0;
}

/*
 * fchown of a pipe(2) pipe (fp: either end): the owner and group
 * (VNOVAL: unchanged), as vfs_chown's rules for a file (EPERM).
 */
int
pipe_chown(struct file *fp, uint32_t uid, uint32_t gid)
{
	struct pipe *pp = fp->f_data;
	struct vattr va;
	int error;

	spin_lock(&pp->lock);
	pipe_attr_locked(pp, &va);
	error = vattr_may_chown(&va, uid, gid);
	if (error == 0 && uid != VNOVAL)
		pp->uid = uid;
	if (error == 0 && gid != VNOVAL)
		pp->gid = gid;
	if (error == 0 && (uid != VNOVAL || gid != VNOVAL))
		pp->mode = vattr_chown_mode(&va);
	if (error == 0)
		pp->changed = vfs_now();
	spin_unlock(&pp->lock);
	return error;
}

/* fchmod of a pipe(2) pipe: as vfs_chmod's rules for a file (EPERM). */
int
pipe_chmod(struct file *fp, uint32_t mode)
{
	struct pipe *pp = fp->f_data;
	struct vattr va;
	int error;

	spin_lock(&pp->lock);
	pipe_attr_locked(pp, &va);
	error = vattr_may_own(&va);
	if (error == 0) {
		pp->mode = vattr_chmod_mode(&va, mode) & 07777;
		pp->changed = vfs_now();
	}
	spin_unlock(&pp->lock);
	return error;
}

static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *pp = fp->f_data;
	int ready = 0;

	spin_lock(&pp->lock);
	if (end_reads(fp)) {
		if (pp->r != pp->w)
			ready |= events & POLLIN;
		if (pp->writers == 0)
			ready |= POLLHUP;
	}
	if (end_writes(fp)) {
		if (pp->readers == 0)
			ready |= POLLERR;
		else if (pp->size - (pp->w - pp->r) >= PIPE_BUF)
			ready |= events & POLLOUT;
	}
	spin_unlock(&pp->lock);
	return ready;
}

static void
pipe_free(struct pipe *pp)
{
	kfree(pp->buf);
	kfree(pp);
}

/*
 * One end of pp goes (the open file fp's, or a FIFO open that failed):
 * the last of all frees the pipe, and takes a FIFO off its vnode.  The
 * vnode reference the end held is the caller's to drop.
 */
static void
pipe_end_gone(struct pipe *pp, bool reads, bool writes)
{
	/* Read once: once pp->lock is dropped below, the other end's last
	 * close may free pp at any time. */
	bool fifo = pp->vp != NULL;
	bool last;

	if (fifo)
		spin_lock(&fifo_lock);
	spin_lock(&pp->lock);
	pp->readers -= reads;
	pp->writers -= writes;
	last = pp->readers == 0 && pp->writers == 0;
	if (last && fifo)
		pp->vp->v_fifo = NULL;
	wakeup(pp);
	poll_wakeup();
	spin_unlock(&pp->lock);
	if (fifo)
		spin_unlock(&fifo_lock);
	if (last)
		pipe_free(pp);
}

static void
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;
	struct vnode *vp = pp->vp;

	pipe_end_gone(pp, end_reads(fp), end_writes(fp));
	if (vp != NULL)
		vrele(vp);
}

static const struct fileops pipe_fileops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.stat = pipe_stat,
	.poll = pipe_poll,
	.close = pipe_close,
};

/*
 * F_GETPIPE_SZ: the ring's size.  F_SETPIPE_SZ: size rounded up to a
 * power-of-two number of pages (Linux's round_pipe_size), as long as the
 * bytes held (and those a writer is copying in) fit: EBUSY if not.  Linux
 * lets a user without CAP_SYS_RESOURCE go up to /proc/sys/fs/pipe-max-size
 * (1 MiB by default) and root further; everyone is root here, but the ring
 * is one contiguous allocation, so PIPE_MAX_SIZE (1 MiB) is everyone's
 * limit (EPERM above, as for that user; EINVAL above 2^31, as Linux).
 * Returns the size or -errno; EBADF if fp is not a pipe.
 */
int64_t
pipe_fcntl_size(struct file *fp, bool set, unsigned int arg)
{
	struct pipe *pp = fp->f_type == DTYPE_PIPE ? fp->f_data : NULL;
	size_t size = PAGE_SIZE;
	char *buf, *old;
	int64_t rv;

	if (pp == NULL)
		return -EBADF;
	if (!set) {
		spin_lock(&pp->lock);
		rv = (int64_t)pp->size;
		spin_unlock(&pp->lock);
		return rv;
	}
	if (arg > (1U << 31))
		return -EINVAL;
	while (size < arg)
		size <<= 1;
	if (size > PIPE_MAX_SIZE)
		return -EPERM;
	buf = kmalloc(size, 0);
	if (buf == NULL)
		return -ENOMEM;
	spin_lock(&pp->lock);
	if (pp->w - pp->r + pp->inflight > size) {
		old = buf;
		rv = -EBUSY;
	} else {
		/* Byte i of the stream lives at i % size, in either ring. */
		for (size_t i = pp->r; i != pp->w; i++)
			buf[i % size] = pp->buf[i % pp->size];
		old = pp->buf;
		pp->buf = buf;
		pp->size = size;
		rv = (int64_t)size;
		wakeup(pp);		/* more room for writers, perhaps */
	}
	spin_unlock(&pp->lock);
	kfree(old);
	return rv;
}

/* A new pipe with no ends yet; NULL if memory is short. */
static struct pipe *
pipe_alloc(struct vnode *vp)
{
	struct pipe *pp = kmalloc(sizeof(*pp), M_ZERO);

	if (pp == NULL)
		return NULL;
	pp->buf = kmalloc(PIPE_SIZE, 0);
	if (pp->buf == NULL) {
		kfree(pp);
		return NULL;
	}
	pp->size = PIPE_SIZE;
	spin_init(&pp->lock, "pipe");
	sx_init(&pp->rdlock, "pipe reader");
	sx_init(&pp->wrlock, "pipe writer");
	pp->vp = vp;
	return pp;
}

/* vp's FIFO, made if it has none; NULL if memory is short.  Returned
 * with pp->lock held and the ends of the open counted in. */
static struct pipe *
fifo_get(struct vnode *vp, bool reads, bool writes)
{
	struct pipe *pp, *fresh = NULL;

	spin_lock(&fifo_lock);
	while ((pp = vp->v_fifo) == NULL && fresh == NULL) {
		spin_unlock(&fifo_lock);
		fresh = pipe_alloc(vp);
		if (fresh == NULL)
			return NULL;
		spin_lock(&fifo_lock);
	}
	if (pp == NULL) {
		pp = vp->v_fifo = fresh;
		fresh = NULL;
	}
	spin_lock(&pp->lock);
	pp->readers += reads;
	pp->writers += writes;
	pp->ropens += reads;
	pp->wopens += writes;
	wakeup(pp);
	poll_wakeup();
	spin_unlock(&fifo_lock);
	if (fresh != NULL)
		pipe_free(fresh);	/* another open made it first */
	return pp;
}

/*
 * Open the FIFO vp (whose reference this takes over, success or not)
 * with the open flags.  Waits as the header says.  Returns 0 with *fpp,
 * ENXIO (a non-blocking writer with no reader), EINTR, or ENOMEM.
 */
int
fifo_open(struct vnode *vp, int flags, struct file **fpp)
{
	bool reads = (flags & O_ACCMODE) != O_WRONLY;
	bool writes = (flags & O_ACCMODE) != O_RDONLY;
	bool nonblock = (flags & O_NONBLOCK) != 0;
	struct pipe *pp = fifo_get(vp, reads, writes);
	uint64_t seen;
	int error = 0;

	if (pp == NULL) {
		vrele(vp);
		return ENOMEM;
	}
	/* A signal ends the wait only if the other side has not come (as
	 * Linux's wait_event_interruptible, the condition is looked at
	 * first): one that came, wrote and went while this open slept, and
	 * whose exit sent the SIGCHLD that woke it, still counts. */
	if (reads && !writes && !nonblock) {
		for (seen = pp->wopens; pp->writers == 0 && pp->wopens == seen &&
		    error == 0;)
			if (tsleep_sig(pp, &pp->lock, "fifor", 0) == EINTR &&
			    pp->writers == 0 && pp->wopens == seen)
				error = EINTR;
	} else if (writes && !reads) {
		if (nonblock && pp->readers == 0)
			error = ENXIO;
		for (seen = pp->ropens; pp->readers == 0 && pp->ropens == seen &&
		    error == 0;)
			if (tsleep_sig(pp, &pp->lock, "fifow", 0) == EINTR &&
			    pp->readers == 0 && pp->ropens == seen)
				error = EINTR;
	}
	spin_unlock(&pp->lock);
	if (error == 0) {
		*fpp = file_alloc(DTYPE_PIPE, &pipe_fileops, flags);
		error = *fpp == NULL ? ENOMEM : 0;
	}
	if (error != 0) {
		pipe_end_gone(pp, reads, writes);
		vrele(vp);
		return error;
	}
	(*fpp)->f_data = pp;
	(*fpp)->f_vnode = vp;
	return 0;
}

/* A new pipe: *rfp reads, *wfp writes.  0 or ENOMEM (or ENFILE). */
int
pipe_create(struct file **rfp, struct file **wfp, int flags)
{
	struct pipe *pp = pipe_alloc(NULL);

	if (pp == NULL)
		return ENOMEM;
	*rfp = file_alloc(DTYPE_PIPE, &pipe_fileops, O_RDONLY | (flags & O_NONBLOCK));
	*wfp = file_alloc(DTYPE_PIPE, &pipe_fileops, O_WRONLY | (flags & O_NONBLOCK));
	if (*rfp == NULL || *wfp == NULL) {
		pipe_free(pp);
		kfree(*rfp);
		kfree(*wfp);
		return ENOMEM;
	}
	pp->readers = pp->writers = 1;
	pp->ino = __atomic_add_fetch(&pipe_last_ino, 1, __ATOMIC_RELAXED);
	pp->uid = curproc()->p_cred.cr_fsuid;
	pp->gid = curproc()->p_cred.cr_fsgid;
	pp->mode = 0600;
	pp->born = pp->changed = vfs_now();
	(*rfp)->f_data = pp;
	(*wfp)->f_data = pp;
	return 0;
}
