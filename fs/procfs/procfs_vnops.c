/*
 * procfs's vnodes and open files (see procfs.h): the name table, lookup
 * and readdir over it and the process table, attributes, symlinks, and
 * the files whose text a generator makes.
 *
 * Directory operations run with the directory's v_lock held (the vfs
 * layer's rule); procfs keeps no state of its own under it.  The process
 * table is read under proc_lock, which is never held across a call back
 * into the vfs (readdir's callback) or a copy to user memory.
 */
#include "fs/procfs/procfs.h"
#include "kern/clock.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/printf.h"
#include "kern/proc.h"
#include "kern/sysctl.h"

#define PROC_SUPER_MAGIC 0x9fa0	/* statfs f_type, Linux's */
#define PFS_BUF_FIRST	1024
#define PFS_BUF_MAX	(4UL << 20)	/* a file's text is at most this */
#define PFS_WRITE_MAX	64		/* a /proc/sys write is one number */

/* A name listed in a directory of kind `parent`. */
struct pfs_entry {
	const char *name;
	enum pfs_kind kind;
	enum pfs_kind parent;
};

/* What each kind of file is. */
struct pfs_kindinfo {
	enum vtype type;
	uint16_t mode;		/* permission bits (Linux's) */
	pfs_gen_t gen;		/* regular files: their text */
	bool per_proc;		/* about a process: id is its pid or a tid */
	bool ptrace;		/* opening it (a file) or reading it (a link)
				   needs ptrace read access to the process */
};

static const struct pfs_kindinfo kinds[PFS_NKINDS] = {
	[PFS_ROOT] = { VDIR, 0555, NULL, false },
	[PFS_SELF] = { VLNK, 0777, NULL, false },
	[PFS_MEMINFO] = { VREG, 0444, pfs_meminfo, false },
	[PFS_UPTIME] = { VREG, 0444, pfs_uptime, false },
	[PFS_LOADAVG] = { VREG, 0444, pfs_loadavg, false },
	[PFS_STAT] = { VREG, 0444, pfs_stat, false },
	[PFS_CPUINFO] = { VREG, 0444, pfs_cpuinfo, false },
	[PFS_VMSTAT] = { VREG, 0444, pfs_vmstat, false },
	[PFS_MOUNTS] = { VREG, 0444, pfs_mounts, false },
	[PFS_SYS] = { VDIR, 0555, NULL, false },
	[PFS_SYS_KERNEL] = { VDIR, 0555, NULL, false },
	[PFS_SYS_VM] = { VDIR, 0555, NULL, false },
	[PFS_PID_MAX] = { VREG, 0444, pfs_pid_max, false },
	[PFS_SYSCTL] = { VREG, 0644, pfs_sysctl_read, false },
	[PFS_PID] = { VDIR, 0555, NULL, true },
	[PFS_PID_STAT] = { VREG, 0444, pfs_pid_stat, true },
	[PFS_PID_STATM] = { VREG, 0444, pfs_pid_statm, true },
	[PFS_PID_STATUS] = { VREG, 0444, pfs_pid_status, true },
	[PFS_PID_CMDLINE] = { VREG, 0444, pfs_pid_cmdline, true },
	[PFS_PID_COMM] = { VREG, 0644, pfs_pid_comm, true },
	[PFS_PID_MAPS] = { VREG, 0444, pfs_pid_maps, true, true },
	[PFS_PID_SMAPS] = { VREG, 0444, pfs_pid_smaps, true, true },
	[PFS_PID_CWD] = { VLNK, 0777, NULL, true, true },
	[PFS_PID_EXE] = { VLNK, 0777, NULL, true, true },
	[PFS_PID_FD] = { VDIR, 0500, NULL, true },
	[PFS_FD] = { VLNK, 0, NULL, true, true },	/* pfs_fd_mode */
	[PFS_PID_TASK] = { VDIR, 0555, NULL, true },
	[PFS_TASK] = { VDIR, 0555, NULL, true },
	[PFS_TASK_STAT] = { VREG, 0444, pfs_pid_stat, true },
	[PFS_TASK_STATUS] = { VREG, 0444, pfs_pid_status, true },
	[PFS_TASK_COMM] = { VREG, 0644, pfs_pid_comm, true },
	[PFS_PID_ROOT] = { VLNK, 0777, NULL, true, true },
	[PFS_PID_ENVIRON] = { VREG, 0400, pfs_pid_environ, true, true },
};

/* The fixed names, in the order readdir lists them. */
static const struct pfs_entry entries[] = {
	{ "self", PFS_SELF, PFS_ROOT },
	{ "meminfo", PFS_MEMINFO, PFS_ROOT },
	{ "uptime", PFS_UPTIME, PFS_ROOT },
	{ "loadavg", PFS_LOADAVG, PFS_ROOT },
	{ "stat", PFS_STAT, PFS_ROOT },
	{ "cpuinfo", PFS_CPUINFO, PFS_ROOT },
	{ "vmstat", PFS_VMSTAT, PFS_ROOT },
	{ "mounts", PFS_MOUNTS, PFS_ROOT },
	{ "sys", PFS_SYS, PFS_ROOT },
	{ "kernel", PFS_SYS_KERNEL, PFS_SYS },
	{ "vm", PFS_SYS_VM, PFS_SYS },
	{ "pid_max", PFS_PID_MAX, PFS_SYS_KERNEL },
	{ "stat", PFS_PID_STAT, PFS_PID },
	{ "statm", PFS_PID_STATM, PFS_PID },
	{ "status", PFS_PID_STATUS, PFS_PID },
	{ "cmdline", PFS_PID_CMDLINE, PFS_PID },
	{ "environ", PFS_PID_ENVIRON, PFS_PID },
	{ "comm", PFS_PID_COMM, PFS_PID },
	{ "maps", PFS_PID_MAPS, PFS_PID },
	{ "smaps", PFS_PID_SMAPS, PFS_PID },
	{ "cwd", PFS_PID_CWD, PFS_PID },
	{ "exe", PFS_PID_EXE, PFS_PID },
	{ "root", PFS_PID_ROOT, PFS_PID },
	{ "fd", PFS_PID_FD, PFS_PID },
	{ "task", PFS_PID_TASK, PFS_PID },
	{ "stat", PFS_TASK_STAT, PFS_TASK },
	{ "status", PFS_TASK_STATUS, PFS_TASK },
	{ "comm", PFS_TASK_COMM, PFS_TASK },
};

/* Is a file of this kind about one thread (its id a tid)? */
static bool
kind_is_task(enum pfs_kind kind)
{
	return kind == PFS_TASK || kind == PFS_TASK_STAT ||
	    kind == PFS_TASK_STATUS || kind == PFS_TASK_COMM;
}

/* The pid of the process a file (kind, id) of a process is about; 0 if
 * it is a thread's that is gone. */
static int
kind_pid(enum pfs_kind kind, int id)
{
	if (kind_is_task(kind))
		return pfs_tid_pid(id);
	return kind == PFS_FD ? PFS_FD_PID(id) : id;
}

/* Directories whose children carry the directory's own id. */
static bool
kind_inherits_id(enum pfs_kind parent)
{
	return parent == PFS_PID || parent == PFS_TASK;
}

static void
buf_putc(int c, void *arg)
{
	char ch = (char)c;

	pfs_putbytes(arg, &ch, 1);
}

/* Append n bytes to b, growing it (see struct pfs_buf). */
void
pfs_putbytes(struct pfs_buf *b, const char *s, size_t n)
{
	if (b->error != 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = MAX(b->cap * 2, (size_t)PFS_BUF_FIRST);
		char *data;

		while (cap < b->len + n)
			cap *= 2;
		data = cap <= PFS_BUF_MAX ? kmalloc(cap, 0) : NULL;
		if (data == NULL) {
			b->error = ENOMEM;
			return;
		}
		if (b->len > 0)
			memcpy(data, b->data, b->len);
		kfree(b->data);
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

void
pfs_printf(struct pfs_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvformat(buf_putc, b, fmt, ap);
	va_end(ap);
}

void
pfs_buf_free(struct pfs_buf *b)
{
	kfree(b->data);
	*b = (struct pfs_buf){ 0 };
}

/*
 * The text of a file of this kind about t, appended to b.  0, or the
 * generator's errno, or ENOMEM if b could not hold it all.
 */
int
procfs_generate(enum pfs_kind kind, const struct pfs_target *t,
    struct pfs_buf *b)
{
	int error;

	KASSERT(kind > PFS_NONE && kind < PFS_NKINDS && kinds[kind].gen != NULL,
	    "procfs_generate: kind %d has no text", kind);
	error = kinds[kind].gen(t, b);
	return error != 0 ? error : b->error;
}

/* ---- the file system ---- */

static int
procfs_mount(struct mount *mp, const char *data)
{
	mp->mnt_bsize = 1024;
	mp->mnt_maxsize = INT64_MAX;
	return 0;
}

static int
procfs_unmount(struct mount *mp)
{
	return 0;
}

static const struct vnode_ops procfs_vnops;

/* Make vp the vnode of ino: every field follows from the number. */
static int
procfs_vget(struct mount *mp, uint64_t ino, struct vnode *vp)
{
	enum pfs_kind kind = PFS_INO_KIND(ino);

	if (kind <= PFS_NONE || kind >= PFS_NKINDS)
		return ENOENT;
	vp->v_type = kinds[kind].type;
	vp->v_ops = &procfs_vnops;
	vp->v_size = 0;
	return 0;
}

static int
procfs_sync(struct mount *mp)
{
	return 0;
}

static int
procfs_statfs(struct mount *mp, struct statfs_info *si)
{
	memset(si, 0, sizeof(*si));
	si->bsize = mp->mnt_bsize;
	return 0;
}

const struct vfs_ops procfs_vfs_ops = {
	.name = "proc",
	.magic = PROC_SUPER_MAGIC,
	.root_ino = PFS_ROOT_INO,
	.nodev = true,
	.mount = procfs_mount,
	.unmount = procfs_unmount,
	.vget = procfs_vget,
	.sync = procfs_sync,
	.statfs = procfs_statfs,
};

/* ---- names ---- */

/* A decimal number without sign or leading zero, as /proc names ids. */
static bool
parse_id(const char *name, size_t len, int *id)
{
	int64_t v = 0;

	if (len == 0 || len > 7 || (name[0] == '0' && len > 1))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v = v * 10 + (name[i] - '0');
	}
	if (v <= 0 || v > PID_MAX)
		return false;
	*id = (int)v;
	return true;
}

/* A descriptor number as fd/ names it: 0 to FD_MAX - 1, no leading zero. */
static bool
parse_fd(const char *name, size_t len, int *fd)
{
	if (len == 1 && name[0] == '0') {
		*fd = 0;
		return true;
	}
	return parse_id(name, len, fd) && *fd < FD_MAX;
}

/* The inode number of the directory holding the directory (kind, id). */
static uint64_t
parent_ino(enum pfs_kind kind, int id)
{
	switch (kind) {
	case PFS_SYS_KERNEL:
	case PFS_SYS_VM:
		return PFS_INO(PFS_SYS, 0);
	case PFS_PID_TASK:
	case PFS_PID_FD:
		return PFS_INO(PFS_PID, id);
	case PFS_TASK:
		return PFS_INO(PFS_PID_TASK, pfs_tid_pid(id));
	default:
		return PFS_ROOT_INO;
	}
}

/*
 * The inode number named name in directory (kind, id), or 0 if there is
 * none: the fixed names, then the numbered ones (processes in /proc,
 * threads in task/, sysctl nodes in sys/vm).
 */
static uint64_t
lookup_ino(enum pfs_kind kind, int id, const char *name, size_t len)
{
	size_t index;
	int n;

	if (len == 2 && name[0] == '.' && name[1] == '.')
		return parent_ino(kind, id);
	for (size_t i = 0; i < nitems(entries); i++)
		if (entries[i].parent == kind && strlen(entries[i].name) == len &&
		    memcmp(entries[i].name, name, len) == 0)
			return PFS_INO(entries[i].kind,
			    kind_inherits_id(kind) ? id : 0);
	if (kind == PFS_ROOT && parse_id(name, len, &n) && pfs_pid_exists(n))
		return PFS_INO(PFS_PID, n);
	if (kind == PFS_PID_TASK && parse_id(name, len, &n) && pfs_tid_in(id, n))
		return PFS_INO(PFS_TASK, n);
	if (kind == PFS_PID_FD && parse_fd(name, len, &n) &&
	    pfs_fd_next(id, n - 1) == n)
		return PFS_INO(PFS_FD, PFS_FD_ID(id, n));
	if (kind == PFS_SYS_VM && pfs_sysctl_find(name, len, &index) != NULL)
		return PFS_INO(PFS_SYSCTL, index);
	return 0;
}

/* Does the process (or thread) a vnode of a process is about still exist? */
static bool
target_exists(enum pfs_kind kind, int id)
{
	if (!kinds[kind].per_proc)
		return true;
	if (kind_is_task(kind))
		return pfs_tid_pid(id) > 0;
	return pfs_pid_exists(kind_pid(kind, id));
}

/* dvp's v_lock held.  ENOENT for a name that is not there (or died). */
static int
procfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	enum pfs_kind kind = PFS_INO_KIND(dvp->v_ino);
	int id = PFS_INO_ID(dvp->v_ino);
	uint64_t ino;

	if (!target_exists(kind, id))
		return ENOENT;
	ino = lookup_ino(kind, id, name, len);
	if (ino == 0)
		return ENOENT;
	return vget(dvp->v_mount, ino, vpp);
}

static int
emit(readdir_fn fn, void *arg, const char *name, uint64_t ino,
    uint64_t next)
{
	return fn(arg, name, strlen(name), ino, kinds[PFS_INO_KIND(ino)].type,
	    next);
}

/*
 * Cookies: 0 and 1 are "." and "..", 2 + i the i'th fixed entry,
 * PFS_COOKIE_IDS + n the numbered entry n (a pid, a tid, a sysctl
 * index), listed in increasing order.
 */
#define PFS_COOKIE_IDS	(2 + nitems(entries))

/* The next numbered entry of directory (kind, id) at or after n. */
static bool
next_numbered(enum pfs_kind kind, int id, int n, char *name, size_t size,
    uint64_t *ino, int *found)
{
	const struct sysctl_node *node;
	size_t index = (size_t)n;
	int next;

	switch (kind) {
	case PFS_ROOT:
		next = pfs_next_pid(n - 1);
		*ino = PFS_INO(PFS_PID, next);
		break;
	case PFS_PID_TASK:
		next = pfs_next_tid(id, n - 1);
		*ino = PFS_INO(PFS_TASK, next);
		break;
	case PFS_PID_FD:
		next = pfs_fd_next(id, n - 1);
		*ino = PFS_INO(PFS_FD, PFS_FD_ID(id, next));
		if (next < 0)
			return false;
		*found = next;
		ksnprintf(name, size, "%d", next);
		return true;
	case PFS_SYS_VM:
		node = pfs_sysctl_next(&index);
		if (node == NULL)
			return false;
		*found = (int)index;
		*ino = PFS_INO(PFS_SYSCTL, index);
		kstrlcpy(name, node->name + 3, size);	/* past "vm." */
		return true;
	default:
		return false;
	}
	if (next <= 0)
		return false;
	*found = next;
	ksnprintf(name, size, "%d", next);
	return true;
}

/* vp's v_lock held.  Lists from *cookie until fn says stop. */
static int
procfs_readdir(struct vnode *vp, uint64_t *cookie, readdir_fn fn, void *arg)
{
	enum pfs_kind kind = PFS_INO_KIND(vp->v_ino);
	int id = PFS_INO_ID(vp->v_ino);
	char name[NAME_MAX + 1];
	uint64_t ino;
	int n;

	if (!target_exists(kind, id))
		return ENOENT;
	while (*cookie < PFS_COOKIE_IDS) {
		uint64_t c = *cookie;

		if (c < 2) {
			ino = c == 0 ? vp->v_ino : parent_ino(kind, id);
			if (emit(fn, arg, c == 0 ? "." : "..", ino, c + 1) != 0)
				return 0;
		} else if (entries[c - 2].parent == kind) {
			ino = PFS_INO(entries[c - 2].kind,
			    kind_inherits_id(kind) ? id : 0);
			if (emit(fn, arg, entries[c - 2].name, ino, c + 1) != 0)
				return 0;
		}
		*cookie = c + 1;
	}
	while (next_numbered(kind, id, (int)(*cookie - PFS_COOKIE_IDS), name,
	    sizeof(name), &ino, &n)) {
		if (emit(fn, arg, name, ino, PFS_COOKIE_IDS + (uint64_t)n + 1) != 0)
			return 0;
		*cookie = PFS_COOKIE_IDS + (uint64_t)n + 1;
	}
	return 0;
}

/*
 * vp's v_lock held.  A process's links (cwd, exe, root, fd/N) are read, and so
 * followed, only with ptrace read access to it: EACCES otherwise, as on
 * Linux (also once it is gone).
 */
static int
procfs_readlink(struct vnode *vp, char *buf, size_t size, size_t *len)
{
	enum pfs_kind kind = PFS_INO_KIND(vp->v_ino);
	struct proc *p;

	if (kinds[kind].ptrace &&
	    !pfs_pid_may_ptrace(kind_pid(kind, PFS_INO_ID(vp->v_ino))))
		return EACCES;
	if (kind == PFS_SELF) {
		p = curproc();
		if (p == NULL)
			return ENOENT;
		*len = MIN((size_t)ksnprintf(buf, size, "%d", p->p_pid), size);
		return 0;
	}
	if (kind == PFS_PID_EXE)
		return pfs_pid_exe(PFS_INO_ID(vp->v_ino), buf, size, len);
	if (kind == PFS_FD)
		return pfs_fd_link(PFS_FD_PID(PFS_INO_ID(vp->v_ino)),
		    PFS_FD_NUM(PFS_INO_ID(vp->v_ino)), buf, size, len);
	if (kind != PFS_PID_CWD && kind != PFS_PID_ROOT)
		return EINVAL;
	return pfs_pid_dir(PFS_INO_ID(vp->v_ino), kind == PFS_PID_ROOT, buf,
	    size, len);
}

/*
 * vp's v_lock held.  The system's files are root's; a process's are its
 * (pfs_pid_owner: the directories everyone lists, 0555, always).
 */
static int
procfs_getattr(struct vnode *vp, struct vattr *va)
{
	enum pfs_kind kind = PFS_INO_KIND(vp->v_ino);
	int id = PFS_INO_ID(vp->v_ino);
	uint64_t now = clock_realtime_ns();

	memset(va, 0, sizeof(*va));
	va->va_mode = kind == PFS_FD ? pfs_fd_mode(PFS_FD_PID(id),
	    PFS_FD_NUM(id)) : kinds[kind].mode;
	if (kinds[kind].per_proc)
		pfs_pid_owner(kind_pid(kind, id), vp->v_type == VDIR &&
		    va->va_mode == 0555, &va->va_uid, &va->va_gid);
	va->va_mode |= vp->v_type == VDIR ? S_IFDIR : vp->v_type == VLNK ?
	    S_IFLNK : S_IFREG;
	va->va_nlink = vp->v_type == VDIR ? 2 : 1;
	va->va_ino = vp->v_ino;
	va->va_blksize = 1024;
	va->va_atime = va->va_mtime = va->va_ctime = timespec64_of(now);
	return 0;
}

/*
 * /proc/sys's rule for its files (Linux's proc_sys_permission): the
 * owner bits for an effective uid of 0, the group bits for a member of
 * group 0, else the other bits, with no privilege beyond them (a
 * read-only entry is not written, root's open included); nothing there
 * executes.
 */
static int
sysctl_access(uint32_t mode, int want)
{
	const struct ucred *cr = vfs_cred();

	if (want & X_OK)
		return EACCES;
	if (cr->cr_euid == 0)
		mode >>= 6;
	else if (cr->cr_egid == 0 || cred_in_groups(cr, 0))
		mode >>= 3;
	return ((uint32_t)want & ~mode & 7) == 0 ? 0 : EACCES;
}

/*
 * May the current process have the access `want' to vp (locked)?  As
 * Linux's procfs: /proc/sys's files by sysctl's rule; the rest by the
 * owner and mode procfs_getattr gives, but a process's own threads may
 * always list and search its fd/ (proc_fd_permission).  0 or EACCES.
 */
static int
procfs_access(struct vnode *vp, int want)
{
	enum pfs_kind kind = PFS_INO_KIND(vp->v_ino);
	struct proc *self = curproc();
	struct vattr va;
	int error;

	if (kind == PFS_SYSCTL || kind == PFS_PID_MAX)
		return sysctl_access(kinds[kind].mode, want);
	error = procfs_getattr(vp, &va);
	if (error == 0)
		error = vattr_access(&va, want);
	if (error != 0 && kind == PFS_PID_FD && self != NULL &&
	    self->p_pid == PFS_INO_ID(vp->v_ino))
		error = 0;
	return error;
}

/*
 * Names cannot be made in /proc: as on Linux (for root, who passes every
 * permission check), a new name is ENOENT, removing one EPERM.
 */
static int
procfs_create(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    struct vnode **vpp)
{
	return ENOENT;
}

static int
procfs_mkdir(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    struct vnode **vpp)
{
	return ENOENT;
}

static int
procfs_symlink(struct vnode *dvp, const char *name, size_t len,
    const char *target, struct vnode **vpp)
{
	return ENOENT;
}

static int
procfs_mknod(struct vnode *dvp, const char *name, size_t len, uint32_t mode,
    uint32_t rdev, struct vnode **vpp)
{
	return ENOENT;
}

static int
procfs_unlink(struct vnode *dvp, const char *name, size_t len)
{
	return EPERM;
}

static int
procfs_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *tdvp, const char *tname, size_t tlen)
{
	return ENOENT;
}

static int
procfs_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	return ENOENT;
}

/* O_TRUNC and truncate(2) leave a /proc file as it is, as on Linux. */
static int
procfs_setsize(struct vnode *vp, uint64_t size)
{
	return 0;
}

static int
procfs_settimes(struct vnode *vp, const struct timespec64 *atime,
    const struct timespec64 *mtime)
{
	return EPERM;
}

static int
procfs_setmode(struct vnode *vp, uint32_t mode)
{
	return EPERM;
}

static int
procfs_setowner(struct vnode *vp, uint32_t uid, uint32_t gid)
{
	return EPERM;
}

/* Nothing is kept: an unused vnode is reclaimed at once. */
static bool
procfs_inactive(struct vnode *vp)
{
	return true;
}

static void
procfs_reclaim(struct vnode *vp)
{
}

/* ---- open files ---- */

/*
 * An open regular /proc file (fp->f_data).  (f): the file's f_lock,
 * which every read and write of it holds.
 */
struct pfs_file {
	struct pfs_buf pf_text;		/* (f) the text of the last generation */
	bool pf_made;			/* (f) pf_text holds it */
	struct pfs_target pf_target;	/* (c) pf_target.p held */
};

static enum pfs_kind
file_kind(const struct file *fp)
{
	return PFS_INO_KIND(fp->f_vnode->v_ino);
}

/* Make the file's text again.  f_lock held. */
static int
pfs_file_make(struct file *fp)
{
	struct pfs_file *pf = fp->f_data;
	int error;

	pfs_buf_free(&pf->pf_text);
	pf->pf_made = false;
	error = procfs_generate(file_kind(fp), &pf->pf_target, &pf->pf_text);
	if (error != 0) {
		pfs_buf_free(&pf->pf_text);
		return error;
	}
	pf->pf_made = true;
	return 0;
}

/*
 * Read at uio_offset.  The text is made at the first read and again at
 * each read from offset 0, so a reader that rewinds sees fresh figures
 * and one that reads on sees one consistent text.  f_lock held.
 */
static int
pfs_file_read(struct file *fp, struct uio *uio)
{
	struct pfs_file *pf = fp->f_data;
	int error;

	if (!pf->pf_made || uio->uio_offset == 0) {
		error = pfs_file_make(fp);
		if (error != 0)
			return error;
	}
	if (uio->uio_offset >= pf->pf_text.len)
		return 0;
	return uiomove(pf->pf_text.data + uio->uio_offset,
	    pf->pf_text.len - uio->uio_offset, uio);
}

/*
 * A write to a /proc/sys file: one value, as its sysctl node takes it; to
 * comm: the thread's new name (pfs_comm_write).
 */
static int
pfs_file_write(struct file *fp, struct uio *uio)
{
	struct pfs_file *pf = fp->f_data;
	char text[PFS_WRITE_MAX];
	size_t n = uio->uio_resid;
	int error;

	if (file_kind(fp) == PFS_PID_COMM || file_kind(fp) == PFS_TASK_COMM) {
		pf->pf_made = false;
		return pfs_comm_write(&pf->pf_target, uio);
	}
	/* Linux: a process's other files have no write at all (EINVAL),
	 * the others one that refuses (EIO). */
	if (file_kind(fp) != PFS_SYSCTL)
		return kinds[file_kind(fp)].per_proc ? EINVAL : EIO;
	if (n == 0)
		return 0;		/* nothing to set, as on Linux */
	if (n >= sizeof(text))
		return EINVAL;
	error = uio_copy(text, n, uio, false);
	if (error != 0)
		return error;
	error = pfs_sysctl_write(&pf->pf_target, text, n);
	if (error != 0)
		uio->uio_resid = n;	/* nothing was taken */
	pf->pf_made = false;
	return error;
}

static int
pfs_file_ioctl(struct file *fp, unsigned long cmd, uint64_t arg)
{
	return ENOTTY;
}

static int
pfs_file_stat(struct file *fp, struct vattr *va)
{
	return vn_getattr(fp->f_vnode, va);
}

static int
pfs_file_poll(struct file *fp, int events)
{
	return events & (POLLIN | POLLOUT);
}

static void
pfs_file_close(struct file *fp)
{
	struct pfs_file *pf = fp->f_data;

	pfs_buf_free(&pf->pf_text);
	if (pf->pf_target.p != NULL)
		proc_rele(pf->pf_target.p);
	kfree(pf);
	vrele(fp->f_vnode);
}

static const struct fileops pfs_fileops = {
	.read = pfs_file_read,
	.write = pfs_file_write,
	.ioctl = pfs_file_ioctl,
	.stat = pfs_file_stat,
	.poll = pfs_file_poll,
	.close = pfs_file_close,
};

/*
 * Who a file of (kind, id) is about, with the process held.  ESRCH if
 * the process (or thread) is gone.
 */
static int
target_of(enum pfs_kind kind, int id, struct pfs_target *t)
{
	size_t index = (size_t)id;
	int pid;

	memset(t, 0, sizeof(*t));
	if (kind == PFS_SYSCTL) {
		t->node = pfs_sysctl_next(&index);
		return t->node != NULL && index == (size_t)id ? 0 : ENOENT;
	}
	if (!kinds[kind].per_proc)
		return 0;
	if (kind_is_task(kind))
		t->tid = id;
	pid = kind_pid(kind, id);
	t->p = pid > 0 ? pfind_hold(pid, true) : NULL;
	return t->p != NULL ? 0 : ESRCH;
}

/*
 * The open file for vp (whose reference this takes over, success or
 * not): a directory is an ordinary vnode file; a regular file gets its
 * generator.  The vfs checked the file's mode (procfs_access): root
 * opens any file but /proc/sys's read-only ones for writing, as on Linux;
 * only /proc/sys's and comm take what is written (pfs_file_write).  A
 * file showing a process's memory (environ, maps, smaps) opens only with
 * ptrace read access to it (EACCES), as Linux's mm_access.
 */
static int
procfs_open(struct vnode *vp, int flags, struct file **fpp)
{
	enum pfs_kind kind = PFS_INO_KIND(vp->v_ino);
	struct pfs_file *pf;
	int error;

	if (vp->v_type != VREG) {
		error = vn_file_open(vp, flags, fpp);
		if (error != 0)
			vrele(vp);
		return error;
	}
	pf = kmalloc(sizeof(*pf), M_ZERO);
	if (pf == NULL) {
		vrele(vp);
		return ENOMEM;
	}
	error = target_of(kind, PFS_INO_ID(vp->v_ino), &pf->pf_target);
	if (error == 0 && kinds[kind].ptrace &&
	    !pfs_pid_may_open_mem(pf->pf_target.p))
		error = EACCES;
	if (error == 0) {
		*fpp = file_alloc(DTYPE_VNODE, &pfs_fileops, flags);
		error = *fpp == NULL ? ENOMEM : 0;
	}
	if (error != 0) {
		if (pf->pf_target.p != NULL)
			proc_rele(pf->pf_target.p);
		kfree(pf);
		vrele(vp);
		return error;
	}
	(*fpp)->f_vnode = vp;
	(*fpp)->f_data = pf;
	return 0;
}

static const struct vnode_ops procfs_vnops = {
	.lookup = procfs_lookup,
	.create = procfs_create,
	.mkdir = procfs_mkdir,
	.symlink = procfs_symlink,
	.mknod = procfs_mknod,
	.unlink = procfs_unlink,
	.rmdir = procfs_unlink,
	.rename = procfs_rename,
	.readdir = procfs_readdir,
	.readlink = procfs_readlink,
	.getattr = procfs_getattr,
	.setsize = procfs_setsize,
	.settimes = procfs_settimes,
	.setmode = procfs_setmode,
	.setowner = procfs_setowner,
	.link = procfs_link,
	.inactive = procfs_inactive,
	.reclaim = procfs_reclaim,
	.open = procfs_open,
	.access = procfs_access,
};
