/*
 * Pipes: a 64 KiB ring shared by a read end and a write end.  Readers
 * wait for data, writers for room; a read with no writer left returns end
 * of file, a write with no reader left raises SIGPIPE and fails with
 * EPIPE.  Writes of at most PIPE_BUF bytes are never interleaved with
 * other writes.
 *
 * Locking: pipe->lock (a spin lock) guards the ring and the end counts,
 * and is the interlock for both kinds of sleepers.  Data is copied to and
 * from user memory outside it, through a bounce buffer.
 */
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/thread.h"
#include "kern/uaccess.h"

#define PIPE_SIZE	65536
#define PIPE_BUF	4096
#define PIPE_CHUNK	512

struct pipe {
	struct spinlock lock;
	char *buf;
	size_t r, w;		/* total bytes read and written */
	int readers, writers;
};

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
		n = MIN(n, PIPE_SIZE - pp->r % PIPE_SIZE);
		memcpy(chunk, pp->buf + pp->r % PIPE_SIZE, n);
		spin_unlock(&pp->lock);
		error = uio_copy(chunk, n, uio, true);
		spin_lock(&pp->lock);
		KASSERT(pp->r == r, "pipe %p read by two readers at once", pp);
		pp->r += resid - uio->uio_resid;
		got |= uio->uio_resid < resid;
		wakeup(pp);
	}
	spin_unlock(&pp->lock);
	return got ? 0 : error;
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

	spin_lock(&pp->lock);
	while (uio->uio_resid > 0 && error == 0) {
		size_t room = PIPE_SIZE - (pp->w - pp->r), n, resid;

		if (pp->readers == 0) {
			spin_unlock(&pp->lock);
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
		n = MIN(n, PIPE_SIZE - pp->w % PIPE_SIZE);
		resid = uio->uio_resid;
		spin_unlock(&pp->lock);
		error = uio_copy(chunk, n, uio, false);
		spin_lock(&pp->lock);
		memcpy(pp->buf + pp->w % PIPE_SIZE, chunk, resid - uio->uio_resid);
		pp->w += resid - uio->uio_resid;
		wakeup(pp);
		need = 1;
	}
	spin_unlock(&pp->lock);
	return error;
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	return ENOTTY;
}

static int
pipe_stat(struct file *fp, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->va_mode = S_IFIFO | 0600;
	va->va_nlink = 1;
	va->va_blksize = PIPE_BUF;
	return 0;
}

static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *pp = fp->f_data;
	int ready = 0;

	spin_lock(&pp->lock);
	if ((fp->f_flags & O_ACCMODE) == O_RDONLY) {
		if (pp->r != pp->w)
			ready |= events & POLLIN;
		if (pp->writers == 0)
			ready |= POLLHUP;
	} else {
		if (pp->readers == 0)
			ready |= POLLERR;
		else if (PIPE_SIZE - (pp->w - pp->r) >= PIPE_BUF)
			ready |= events & POLLOUT;
	}
	spin_unlock(&pp->lock);
	return ready;
}

static void
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;
	bool last;

	spin_lock(&pp->lock);
	if ((fp->f_flags & O_ACCMODE) == O_RDONLY)
		pp->readers--;
	else
		pp->writers--;
	last = pp->readers == 0 && pp->writers == 0;
	wakeup(pp);
	spin_unlock(&pp->lock);
	if (last) {
		kfree(pp->buf);
		kfree(pp);
	}
}

static const struct fileops pipe_fileops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.stat = pipe_stat,
	.poll = pipe_poll,
	.close = pipe_close,
};

/* A new pipe: *rfp reads, *wfp writes.  0 or ENOMEM (or ENFILE). */
int
pipe_create(struct file **rfp, struct file **wfp, int flags)
{
	struct pipe *pp = kmalloc(sizeof(*pp), M_ZERO);

	if (pp == NULL)
		return ENOMEM;
	pp->buf = kmalloc(PIPE_SIZE, 0);
	*rfp = file_alloc(DTYPE_PIPE, &pipe_fileops, O_RDONLY | (flags & O_NONBLOCK));
	*wfp = file_alloc(DTYPE_PIPE, &pipe_fileops, O_WRONLY | (flags & O_NONBLOCK));
	if (pp->buf == NULL || *rfp == NULL || *wfp == NULL) {
		kfree(pp->buf);
		kfree(pp);
		kfree(*rfp);
		kfree(*wfp);
		return ENOMEM;
	}
	spin_init(&pp->lock, "pipe");
	pp->readers = pp->writers = 1;
	(*rfp)->f_data = pp;
	(*wfp)->f_data = pp;
	return 0;
}
