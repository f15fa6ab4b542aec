/*
 * Advisory file locks, as Linux has them.
 *
 * Three kinds of lock, by owner:
 *   - POSIX record locks (fcntl F_SETLK/F_SETLKW), owned by a process:
 *     released when the process closes any descriptor of the file (not
 *     only the one it locked through) and when it exits; not inherited
 *     by fork.
 *   - OFD record locks (F_OFD_SETLK/F_OFD_SETLKW), owned by an open file
 *     description: shared through dup and fork, released on the file's
 *     last close.  They conflict with POSIX locks of other owners (a
 *     process's own POSIX and OFD locks are different owners too).
 *   - flock(2) locks: one whole-file lock per open file, released on its
 *     last close; they never meet the record locks.
 *
 * A lock is on a file's identity, its anchor: the vnode for a file on
 * one (every open of a file shares its locks), the pipe for an anonymous
 * pipe's two ends, and for the console its one set of file operations
 * (there is one console behind every tty file).  Records of all anchors
 * share a small hash of unsorted lists: lock lists are short.
 *
 * A lock covers bytes [lf_start, lf_end], lf_end LF_EOF meaning "to the
 * end of the file, however long".  An owner's record locks on a file
 * never overlap or touch when of one type: setting a lock first merges it
 * with those of its type it touches, then cuts it out of the owner's
 * others (one of which may split in two).
 *
 * A blocked F_SETLKW (a POSIX one) is on the waiters list with the owner
 * of the lock it waits for, so a new waiter can follow that chain (the
 * owner it waits for, what that owner waits for, ...) and fail with
 * EDEADLK instead of sleeping if it leads back to itself.  OFD and flock
 * waiters are not owned by processes, so, as on Linux, nothing detects
 * their deadlocks.  Waiters sleep (interruptibly) on their anchor's
 * bucket; every change that removes or shrinks a lock there wakes them
 * to look again.
 *
 * Lock legend: (k) lockf_lock, a spin lock: the buckets and every record
 * on them, the waiters list and the counts.  Only the sleep queue's lock
 * is taken under it (it is tsleep_sig's interlock); records are
 * allocated before it is taken and freed after it is dropped.
 */
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/lockf.h"
#include "kern/proc.h"
#include "kern/uaccess.h"

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define LF_EOF		INT64_MAX	/* lf_end of a lock to the end (OFFSET_MAX) */
#define LF_BUCKETS	64
#define LF_DEADLK_STEPS	10		/* as Linux's MAX_DEADLK_ITERATIONS */

enum lf_kind { LF_POSIX, LF_OFD, LF_FLOCK };

struct lockf {
	struct lockf *lf_next;		/* (k) in its bucket */
	const void *lf_anchor;		/* (k) the file's identity */
	const void *lf_owner;		/* (k) struct proc (LF_POSIX) or file */
	enum lf_kind lf_kind;		/* (k) */
	int lf_type;			/* (k) F_RDLCK or F_WRLCK */
	int64_t lf_start, lf_end;	/* (k) bytes covered, inclusive */
	int lf_pid;			/* (k) LF_POSIX: the owner's pid */
};

/* A request: a lock to set, test, or (F_UNLCK) take away. */
struct lf_req {
	const void *anchor, *owner;
	enum lf_kind kind;
	int type;
	int64_t start, end;
	int pid;
};

/* A POSIX F_SETLKW asleep, on its own stack while it waits. */
struct lockf_wait {
	struct lockf_wait *lw_next;	/* (k) */
	const void *lw_owner;		/* (k) the waiting process */
	const void *lw_blocker;		/* (k) the owner of the lock it waits for */
};

/* Linux's struct flock on riscv64 (asm-generic, 64-bit off_t). */
struct flock_linux {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};

_Static_assert(sizeof(struct flock_linux) == 32, "struct flock layout");

static struct spinlock lockf_lock = SPINLOCK_INIT("lockf");
static struct lockf *lockf_buckets[LF_BUCKETS];	/* (k) */
static struct lockf_wait *lockf_waiters;		/* (k) */
/* (k), read without it as a hint: POSIX records, OFD and flock records.
 * A close that finds its kind's count 0 has no locks to release (its
 * owner's locks were all set before the close began). */
static unsigned int lockf_nposix, lockf_nfile;

static const void *
lf_anchor(const struct file *fp)
{
	if (fp->f_vnode != NULL)
		return fp->f_vnode;
	if (fp->f_data != NULL)
		return fp->f_data;		/* a pipe's ends share it */
	return fp->f_ops;			/* the console */
}

static struct lockf **
lf_bucket(const void *anchor)
{
	return &lockf_buckets[((uintptr_t)anchor >> 4) % LF_BUCKETS];
}

static unsigned int *
lf_count(enum lf_kind kind)
{
	return kind == LF_POSIX ? &lockf_nposix : &lockf_nfile;
}

/* Does l belong to rq's owner, among the locks rq can meet? */
static bool
lf_own(const struct lockf *l, const struct lf_req *rq)
{
	return l->lf_anchor == rq->anchor && l->lf_owner == rq->owner &&
	    (l->lf_kind == LF_FLOCK) == (rq->kind == LF_FLOCK);
}

static bool
lf_overlaps(const struct lockf *l, int64_t start, int64_t end)
{
	return l->lf_start <= end && start <= l->lf_end;
}

/* Overlapping or adjacent (start, end >= 0, so the - 1 cannot wrap). */
static bool
lf_touches(const struct lockf *l, int64_t start, int64_t end)
{
	return l->lf_start - 1 <= end && start - 1 <= l->lf_end;
}

/*
 * The lock of another owner that rq conflicts with, the one starting
 * first if several (what F_GETLK reports: Linux keeps an owner's locks in
 * order), or NULL.  (k)
 */
static struct lockf *
lf_conflict(const struct lf_req *rq)
{
	struct lockf *first = NULL;

	for (struct lockf *l = *lf_bucket(rq->anchor); l != NULL; l = l->lf_next) {
		if (l->lf_anchor != rq->anchor || l->lf_owner == rq->owner ||
		    (l->lf_kind == LF_FLOCK) != (rq->kind == LF_FLOCK))
			continue;
		if (lf_overlaps(l, rq->start, rq->end) &&
		    (l->lf_type == F_WRLCK || rq->type == F_WRLCK) &&
		    (first == NULL || l->lf_start < first->lf_start))
			first = l;
	}
	return first;
}

/* Whether owner waits for blocker, directly or through a chain of
 * waiting processes (up to LF_DEADLK_STEPS of them).  (k) */
static bool
lf_deadlock(const void *owner, const void *blocker)
{
	for (int i = 0; i < LF_DEADLK_STEPS; i++) {
		const struct lockf_wait *lw = lockf_waiters;

		while (lw != NULL && lw->lw_owner != blocker)
			lw = lw->lw_next;
		if (lw == NULL)
			return false;
		blocker = lw->lw_blocker;
		if (blocker == owner)
			return true;
	}
	return false;
}

/* Unlink *lp (l) onto the dead list.  (k) */
static void
lf_unlink(struct lockf **lp, struct lockf **dead)
{
	struct lockf *l = *lp;

	*lp = l->lf_next;
	l->lf_next = *dead;
	*dead = l;
	(*lf_count(l->lf_kind))--;
}

/* One of the records allocated beforehand (lf_set makes sure there are
 * enough: one for the new lock, one for a split). */
static struct lockf *
lf_take(struct lockf **spare)
{
	struct lockf *l = spare[0] != NULL ? spare[0] : spare[1];

	KASSERT(l != NULL, "no spare lock record");
	if (l == spare[0])
		spare[0] = NULL;
	else
		spare[1] = NULL;
	return l;
}

/*
 * Cut [start, end] out of rq's owner's locks: the ones inside go to dead,
 * the ones across an end shrink, one across both splits (its right part
 * in a spare record).  (k)
 */
static void
lf_cut(const struct lf_req *rq, int64_t start, int64_t end,
    struct lockf **spare, struct lockf **dead)
{
	struct lockf **lp = lf_bucket(rq->anchor), *l;

	while ((l = *lp) != NULL) {
		if (!lf_own(l, rq) || !lf_overlaps(l, start, end)) {
			lp = &l->lf_next;
		} else if (l->lf_start < start && l->lf_end > end) {
			struct lockf *r = lf_take(spare);

			*r = *l;
			r->lf_start = end + 1;
			l->lf_end = start - 1;
			l->lf_next = r;
			(*lf_count(r->lf_kind))++;
			lp = &r->lf_next;
		} else if (l->lf_start < start) {
			l->lf_end = start - 1;
			lp = &l->lf_next;
		} else if (l->lf_end > end) {
			l->lf_start = end + 1;
			lp = &l->lf_next;
		} else {
			lf_unlink(lp, dead);
		}
	}
}

/*
 * Make rq's owner's locks what rq says, once nothing conflicts: an
 * unlock cuts the range out; a lock first takes in the owner's locks of
 * its type that it touches (they never touch each other, so one pass
 * finds them all), cuts the merged range out of the rest, and goes in.
 * Then wakes the anchor's waiters: something may have gone.  (k)
 */
static void
lf_apply(const struct lf_req *rq, struct lockf **spare, struct lockf **dead)
{
	struct lockf **head = lf_bucket(rq->anchor), **lp = head, *l;
	int64_t start = rq->start, end = rq->end;

	while (rq->type != F_UNLCK && (l = *lp) != NULL) {
		if (lf_own(l, rq) && l->lf_type == rq->type &&
		    lf_touches(l, start, end)) {
			start = MIN(start, l->lf_start);
			end = MAX(end, l->lf_end);
			lf_unlink(lp, dead);
		} else {
			lp = &l->lf_next;
		}
	}
	lf_cut(rq, start, end, spare, dead);
	if (rq->type != F_UNLCK) {
		l = lf_take(spare);
		*l = (struct lockf){ .lf_next = *head, .lf_anchor = rq->anchor,
		    .lf_owner = rq->owner, .lf_kind = rq->kind,
		    .lf_type = rq->type, .lf_start = start, .lf_end = end,
		    .lf_pid = rq->pid };
		*head = l;
		(*lf_count(l->lf_kind))++;
	}
	wakeup(head);
}

/*
 * Wait until rq conflicts with no other owner's lock.  lockf_lock held
 * on entry and return (dropped while asleep).  0, or EAGAIN if !wait,
 * EDEADLK if a POSIX waiter would wait for itself, EINTR on a signal.
 */
static int
lf_wait_clear(const struct lf_req *rq, bool wait)
{
	struct lockf_wait lw = { .lw_owner = rq->owner };
	struct lockf_wait **wp;
	struct lockf *blocker;
	bool queued = false;
	int error = 0;

	while ((blocker = lf_conflict(rq)) != NULL) {
		if (!wait) {
			error = EAGAIN;
			break;
		}
		if (rq->kind == LF_POSIX) {
			if (lf_deadlock(rq->owner, blocker->lf_owner)) {
				error = EDEADLK;
				break;
			}
			lw.lw_blocker = blocker->lf_owner;
			if (!queued) {
				lw.lw_next = lockf_waiters;
				lockf_waiters = &lw;
				queued = true;
			}
		}
		error = tsleep_sig(lf_bucket(rq->anchor), &lockf_lock, "lockf", 0);
		if (error != 0)
			break;
	}
	if (queued) {
		for (wp = &lockf_waiters; *wp != &lw; wp = &(*wp)->lw_next)
			;
		*wp = lw.lw_next;
	}
	return error;
}

static void
lf_free_list(struct lockf *l)
{
	while (l != NULL) {
		struct lockf *next = l->lf_next;

		kfree(l);
		l = next;
	}
}

/*
 * Set or clear a lock as rq says, waiting for conflicting locks to go if
 * wait.  For flock, an open file's one lock of another type goes first
 * (so a conversion is not atomic, as on Linux), and one of the same type
 * is already there.  0, ENOLCK (no memory for records), or as
 * lf_wait_clear.
 */
static int
lf_set(const struct lf_req *rq, bool wait)
{
	struct lockf *spare[2], *dead = NULL, *l;
	struct lf_req un = *rq;
	int error = 0;

	spare[0] = kmalloc(sizeof(struct lockf), 0);
	spare[1] = kmalloc(sizeof(struct lockf), 0);
	if (spare[0] == NULL || spare[1] == NULL) {
		kfree(spare[0]);
		kfree(spare[1]);
		return ENOLCK;
	}
	un.type = F_UNLCK;
	spin_lock(&lockf_lock);
	if (rq->kind == LF_FLOCK) {
		for (l = *lf_bucket(rq->anchor); l != NULL && !lf_own(l, rq);
		    l = l->lf_next)
			;
		if (l != NULL && l->lf_type == rq->type)
			goto out;
		if (l != NULL)
			lf_apply(&un, spare, &dead);
	}
	if (rq->type != F_UNLCK)
		error = lf_wait_clear(rq, wait);
	if (error == 0)
		lf_apply(rq, spare, &dead);
out:
	spin_unlock(&lockf_lock);
	kfree(spare[0]);
	kfree(spare[1]);
	lf_free_list(dead);
	return error;
}

/*
 * Remove every lock of owner (of kind posix: POSIX locks, else OFD and
 * flock ones) on anchor, or on any file if anchor is NULL.
 */
static void
lf_remove_owner(const void *anchor, const void *owner, bool posix)
{
	struct lockf *dead = NULL;

	spin_lock(&lockf_lock);
	for (int b = 0; b < LF_BUCKETS; b++) {
		struct lockf **head = &lockf_buckets[b], **lp = head, *l;
		bool gone = false;

		if (anchor != NULL && head != lf_bucket(anchor))
			continue;
		while ((l = *lp) != NULL) {
			if (l->lf_owner == owner && (l->lf_kind == LF_POSIX) == posix &&
			    (anchor == NULL || l->lf_anchor == anchor)) {
				lf_unlink(lp, &dead);
				gone = true;
			} else {
				lp = &l->lf_next;
			}
		}
		if (gone)
			wakeup(head);
	}
	spin_unlock(&lockf_lock);
	lf_free_list(dead);
}

/* Process p closed a descriptor of fp: its POSIX locks on the file go. */
void
lockf_fd_closed(struct file *fp, struct proc *p)
{
	if (__atomic_load_n(&lockf_nposix, __ATOMIC_RELAXED) != 0)
		lf_remove_owner(lf_anchor(fp), p, true);
}

/* Process p is exiting (its descriptors are closing): its POSIX locks go. */
void
lockf_proc_exit(struct proc *p)
{
	if (__atomic_load_n(&lockf_nposix, __ATOMIC_RELAXED) != 0)
		lf_remove_owner(NULL, p, true);
}

/* fp's last reference is going: its OFD and flock locks go. */
void
lockf_file_gone(struct file *fp)
{
	if (__atomic_load_n(&lockf_nfile, __ATOMIC_RELAXED) != 0)
		lf_remove_owner(lf_anchor(fp), fp, false);
}

/*
 * The bytes a struct flock names, as Linux's flock_to_posix_lock: from
 * l_whence's base plus l_start, l_len bytes (0: to the end; negative: the
 * bytes before).  A bad whence is EINVAL, a start or end past the
 * largest offset EOVERFLOW, a start before 0 EINVAL, then a bad type
 * EINVAL.
 */
static int
lf_range(struct file *fp, const struct flock_linux *fl, struct lf_req *rq)
{
	int64_t base, start;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)fp->f_offset;
		break;
	case SEEK_END:
		base = fp->f_vnode != NULL ? (int64_t)fp->f_vnode->v_size : 0;
		break;
	default:
		return EINVAL;
	}
	if (fl->l_start > LF_EOF - base)
		return EOVERFLOW;
	start = base + fl->l_start;
	if (start < 0)
		return EINVAL;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > LF_EOF - start)
			return EOVERFLOW;
		rq->end = start + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (start + fl->l_len < 0)
			return EINVAL;
		rq->end = start - 1;
		start += fl->l_len;
	} else {
		rq->end = LF_EOF;
	}
	rq->start = start;
	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK &&
	    fl->l_type != F_UNLCK)
		return EINVAL;
	rq->type = fl->l_type;
	return 0;
}

/*
 * F_GETLK/F_OFD_GETLK: the first lock that would stop rq, written over
 * *fl (whence SEEK_SET, l_len 0 for "to the end", l_pid -1 for a lock not
 * owned by a process), or l_type F_UNLCK and the rest as given.
 */
static void
lf_test(const struct lf_req *rq, struct flock_linux *fl)
{
	struct lockf *l;

	spin_lock(&lockf_lock);
	l = lf_conflict(rq);
	if (l == NULL) {
		fl->l_type = F_UNLCK;
	} else {
		fl->l_type = (int16_t)l->lf_type;
		fl->l_whence = SEEK_SET;
		fl->l_start = l->lf_start;
		fl->l_len = l->lf_end == LF_EOF ? 0 : l->lf_end - l->lf_start + 1;
		fl->l_pid = l->lf_kind == LF_POSIX ? l->lf_pid : -1;
	}
	spin_unlock(&lockf_lock);
}

/*
 * fcntl's lock commands on fp (held by the caller), with Linux's checks
 * in its order: the struct (EFAULT), for a test a type that is not a lock
 * (EINVAL), the range and type (lf_range), for a lock an open mode that
 * does not allow it (a read lock needs reading, a write lock writing:
 * EBADF), and for the OFD commands an l_pid other than 0 (EINVAL).
 * Returns 0 or an errno (EAGAIN: a conflict without waiting).
 */
int
lockf_fcntl(struct file *fp, unsigned int cmd, uaddr_t uflock)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	bool test = cmd == F_GETLK || cmd == F_OFD_GETLK;
	struct proc *p = curproc();
	struct flock_linux fl;
	struct lf_req rq = { .anchor = lf_anchor(fp),
	    .owner = ofd ? (const void *)fp : p, .kind = ofd ? LF_OFD : LF_POSIX,
	    .pid = p->p_pid };
	int access = fp->f_flags & O_ACCMODE, error;

	if (copyin((void *)uflock, &fl, sizeof(fl)) != 0)
		return EFAULT;
	if (test && fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
		return EINVAL;
	error = lf_range(fp, &fl, &rq);
	if (error != 0)
		return error;
	if (test) {
		if (ofd && fl.l_pid != 0)
			return EINVAL;
		lf_test(&rq, &fl);
		return copyout(&fl, (void *)uflock, sizeof(fl)) != 0 ? EFAULT : 0;
	}
	if ((rq.type == F_RDLCK && access == O_WRONLY) ||
	    (rq.type == F_WRLCK && access == O_RDONLY))
		return EBADF;
	if (ofd && fl.l_pid != 0)
		return EINVAL;
	return lf_set(&rq, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
}

/*
 * flock(2) on fp (held by the caller): LOCK_SH, LOCK_EX or LOCK_UN, with
 * LOCK_NB not to wait (EWOULDBLOCK).  The caller checked op.
 */
int
lockf_flock(struct file *fp, unsigned int op)
{
	struct lf_req rq = { .anchor = lf_anchor(fp), .owner = fp,
	    .kind = LF_FLOCK, .start = 0, .end = LF_EOF };

	switch (op & ~LOCK_NB) {
	case LOCK_SH:
		rq.type = F_RDLCK;
		break;
	case LOCK_EX:
		rq.type = F_WRLCK;
		break;
	default:
		KASSERT((op & ~LOCK_NB) == LOCK_UN, "flock op %u", op);
		rq.type = F_UNLCK;
		break;
	}
	return lf_set(&rq, !(op & LOCK_NB));
}
