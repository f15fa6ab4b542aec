/*
 * procfs's files about one process (/proc/PID/...) or one of its threads
 * (/proc/PID/task/TID/...), in Linux's formats, and the process table
 * queries that lookup and readdir make.
 *
 * A generator is given the process held (proc_hold), so the structure
 * stays; what it reads of it is copied under proc_lock into a snapshot
 * first, then formatted with no lock held.  The address space is looked
 * at through its own reference (proc_vmspace) and its map's lock.
 */
#include "fs/procfs/procfs.h"
#include "kern/clock.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kpath.h"
#include "kern/proc.h"
#include "kern/procview.h"
#include "kern/signal.h"
#include "kern/thread.h"
#include "userland/include/vmk.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"

#define MAPS_MAX_ENTRIES	1024
#define RLIM_INFINITY		UINT64_MAX
#define NS_PER_TICK		(1000000000UL / HZ)

/* What the files of one process show, copied under proc_lock. */
struct proc_snap {
	int pid, tid, ppid, pgid, sid;
	char state;			/* Linux's letter: R S D Z */
	int nthreads, oncpu, xstat;
	uint32_t umask;
	uint64_t utime, stime, cutime, cstime, start_ticks;
	uint64_t sigpnd, shdpnd, sigblk, sigign, sigcgt;
	char comm[PROC_COMM_MAX];
	uint64_t vsize, rss;		/* bytes, pages */
	uint64_t brk_base, brk;
	bool has_mm;			/* it has an address space */
	bool permitted;			/* the reader may look into it (stat's
					   addresses and exit code) */
	struct ucred cred;
};

static const char *
state_name(char state)
{
	switch (state) {
	case 'R':
		return "R (running)";
	case 'D':
		return "D (disk sleep)";
	case 'Z':
		return "Z (zombie)";
	default:
		return "S (sleeping)";
	}
}

/* The thread tid of p, or its first if tid is 0.  proc_lock held. */
static struct thread *
snap_thread(struct proc *p, int tid)
{
	if (tid == 0)
		return proc_first_thread(p);
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next) {
		struct thread *td = container_of(l, struct thread, td_plink);

		if (td->td_utid == tid)
			return td;
	}
	return NULL;
}

/* Linux's state letter for td (NULL: a zombie's).  proc_lock held. */
static char
thread_state(const struct thread *td)
{
	int s;

	if (td == NULL)
		return 'Z';
	s = __atomic_load_n(&td->td_state, __ATOMIC_RELAXED);
	if (s == TDS_RUNNING || s == TDS_RUNNABLE)
		return 'R';
	return s == TDS_SLEEPING && !td->td_interruptible ? 'D' : 'S';
}

/* The signal sets of status and stat.  proc_lock held. */
static void
snap_signals(struct proc *p, const struct thread *td, struct proc_snap *s)
{
	s->shdpnd = p->p_sigpending;
	s->sigpnd = td != NULL ? td->td_sigpending : 0;
	s->sigblk = td != NULL ? td->td_sigmask : 0;
	for (int sig = 1; sig <= NSIG; sig++) {
		uint64_t h = p->p_sigacts.handler[sig];

		if (h == SIG_IGN)
			s->sigign |= sigmask(sig);
		else if (h != SIG_DFL)
			s->sigcgt |= sigmask(sig);
	}
}

/*
 * Fill s from t's process (and thread).  ESRCH if it was reaped, or the
 * thread asked for has gone.  Takes proc_lock, then the map's lock.
 */
static int
snapshot(const struct pfs_target *t, struct proc_snap *s)
{
	struct proc *p = t->p;
	struct thread *td;
	struct vmspace *vm;

	memset(s, 0, sizeof(*s));
	spin_lock(&proc_lock);
	td = p->p_reaped ? NULL : snap_thread(p, t->tid);
	if (p->p_reaped || (t->tid != 0 && td == NULL)) {
		spin_unlock(&proc_lock);
		return ESRCH;
	}
	s->pid = p->p_pid;
	s->tid = t->tid != 0 ? t->tid : p->p_pid;
	s->ppid = p->p_parent != NULL ? p->p_parent->p_pid : 0;
	s->pgid = p->p_pgid;
	s->sid = p->p_sid;
	s->state = p->p_state == PRS_ZOMBIE ? 'Z' : thread_state(td);
	s->nthreads = MAX(p->p_nthreads, 1);
	s->oncpu = td != NULL ? td->td_oncpu : 0;
	s->xstat = p->p_state == PRS_ZOMBIE ? p->p_xstat : 0;
	s->umask = p->p_umask;
	s->utime = p->p_utime_ticks;
	s->stime = p->p_stime_ticks;
	s->cutime = p->p_cutime_ticks;
	s->cstime = p->p_cstime_ticks;
	s->start_ticks = p->p_start_ns / NS_PER_TICK;
	s->has_mm = p->p_vmspace != NULL;
	s->permitted = ptrace_read_permitted(p);
	s->cred = p->p_cred;
	snap_signals(p, td, s);
	/* A thread's files show its own name, the process's its main
	 * thread's (p_comm), as Linux's. */
	memcpy(s->comm, t->tid != 0 ? td->td_name : p->p_comm, sizeof(s->comm));
	spin_unlock(&proc_lock);
	vm = proc_vmspace(p);
	if (vm != NULL) {
		vm_map_lock_read(&vm->vm_map);
		s->vsize = vm->vm_map.size;
		s->brk_base = vm->vm_brk_base;
		s->brk = vm->vm_brk;
		vm_map_unlock_read(&vm->vm_map);
		s->rss = pmap_resident_count(vm->vm_pmap);
		vmspace_free(vm);
	}
	return 0;
}

/*
 * /proc/PID/stat: Linux's 52 fields in order.  What we do not keep (fault
 * counts per process, code and stack addresses, real-time policy, ...)
 * is 0; priority 20 and nice 0 are every thread's.  A reader without
 * ptrace read access to the process sees, as on Linux, 1 for the code
 * addresses (of a process with memory) and 0 for the data and argument
 * addresses and the exit code.
 */
int
pfs_pid_stat(const struct pfs_target *t, struct pfs_buf *b)
{
	struct proc_snap s;
	int code, error = snapshot(t, &s);

	if (error != 0)
		return error;
	pfs_printf(b, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 ", s.tid, s.comm,
	    s.state, s.ppid, s.pgid, s.sid);
	pfs_printf(b, "%lu %lu %lu %lu 20 0 %d 0 %lu %lu %lu %lu ", s.utime,
	    s.stime, s.cutime, s.cstime, s.nthreads, s.start_ticks, s.vsize,
	    s.rss, RLIM_INFINITY);
	/* startcode endcode startstack kstkesp kstkeip signal blocked
	 * sigignore sigcatch wchan nswap cnswap exit_signal processor */
	code = s.has_mm && !s.permitted ? 1 : 0;
	pfs_printf(b, "%d %d 0 0 0 %lu %lu %lu %lu 0 0 0 %d %d ", code, code,
	    (s.sigpnd | s.shdpnd) & 0x7fffffffUL, s.sigblk & 0x7fffffffUL,
	    s.sigign & 0x7fffffffUL, s.sigcgt & 0x7fffffffUL,
	    s.tid == s.pid ? SIGCHLD : -1, s.oncpu);
	/* rt_priority policy blkio guest cguest start_data end_data
	 * start_brk arg_start arg_end env_start env_end exit_code */
	pfs_printf(b, "0 0 0 0 0 0 0 %lu 0 0 0 0 %d\n", s.permitted ? s.brk_base :
	    0, s.permitted ? s.xstat : 0);
	return 0;
}

/* /proc/PID/statm: size resident shared text lib data dt, in pages. */
int
pfs_pid_statm(const struct pfs_target *t, struct pfs_buf *b)
{
	struct proc_snap s;
	int error = snapshot(t, &s);

	if (error != 0)
		return error;
	pfs_printf(b, "%lu %lu 0 0 0 0 0\n", atop(s.vsize), s.rss);
	return 0;
}

static void
status_kb(struct pfs_buf *b, const char *name, uint64_t kb)
{
	pfs_printf(b, "%s\t%8lu kB\n", name, kb);
}

/*
 * status's Uid, Gid (real, effective, saved, file-system), FDSize and
 * Groups lines; Linux ends the groups with a blank, even when there are
 * none.
 */
static void
status_ids(struct pfs_buf *b, const struct ucred *cr)
{
	pfs_printf(b, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
	    "FDSize:\t%d\nGroups:\t", cr->cr_ruid, cr->cr_euid, cr->cr_suid,
	    cr->cr_fsuid, cr->cr_rgid, cr->cr_egid, cr->cr_sgid, cr->cr_fsgid,
	    FD_MAX);
	for (int i = 0; i < cr->cr_ngroups; i++)
		pfs_printf(b, i > 0 ? " %u" : "%u", cr->cr_groups[i]);
	pfs_printf(b, " \n");
}

/* /proc/PID/status: the fields ps, top and people read. */
int
pfs_pid_status(const struct pfs_target *t, struct pfs_buf *b)
{
	struct proc_snap s;
	int error = snapshot(t, &s);

	if (error != 0)
		return error;
	pfs_printf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\n"
	    "Ngid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s.comm,
	    s.umask, state_name(s.state), s.pid, s.tid, s.ppid);
	status_ids(b, &s.cred);
	if (s.state != 'Z') {
		status_kb(b, "VmPeak:", s.vsize / 1024);
		status_kb(b, "VmSize:", s.vsize / 1024);
		status_kb(b, "VmLck:", 0);
		status_kb(b, "VmHWM:", s.rss * (PAGE_SIZE / 1024));
		status_kb(b, "VmRSS:", s.rss * (PAGE_SIZE / 1024));
		status_kb(b, "VmData:", 0);
		status_kb(b, "VmStk:", 0);
		status_kb(b, "VmExe:", 0);
		status_kb(b, "VmLib:", 0);
		status_kb(b, "VmPTE:", 0);
		status_kb(b, "VmSwap:", 0);
	}
	pfs_printf(b, "Threads:\t%d\nSigQ:\t0/0\nSigPnd:\t%016lx\n"
	    "ShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
	    "SigCgt:\t%016lx\n", s.nthreads, s.sigpnd, s.shdpnd, s.sigblk,
	    s.sigign, s.sigcgt);
	return 0;
}

/*
 * One of the strings exec kept of the held process (copy: its argv or
 * environment), appended to b; with need_mm nothing once the process has
 * no memory (Linux reads them from it).  ESRCH once it is reaped.
 */
static int
saved_text(const struct pfs_target *t, struct pfs_buf *b,
    int (*copy)(struct proc *p, char **s, size_t *len), bool need_mm)
{
	bool has_mm;
	char *s;
	size_t len;
	int error;

	spin_lock(&proc_lock);
	error = t->p->p_reaped ? ESRCH : 0;
	has_mm = t->p->p_vmspace != NULL;
	spin_unlock(&proc_lock);
	if (error != 0 || (need_mm && !has_mm))
		return error;
	error = copy(t->p, &s, &len);
	if (error != 0)
		return error;
	pfs_putbytes(b, s, len);
	kfree(s);
	return 0;
}

/* /proc/PID/cmdline: argv as exec got it, each string NUL-terminated. */
int
pfs_pid_cmdline(const struct pfs_target *t, struct pfs_buf *b)
{
	return saved_text(t, b, proc_copy_args, false);
}

/* /proc/PID/environ: the environment exec got, in the same form (empty
 * for a zombie). */
int
pfs_pid_environ(const struct pfs_target *t, struct pfs_buf *b)
{
	return saved_text(t, b, proc_copy_env, true);
}

/* /proc/PID/comm: the program name and a newline. */
int
pfs_pid_comm(const struct pfs_target *t, struct pfs_buf *b)
{
	struct proc_snap s;
	int error = snapshot(t, &s);

	if (error != 0)
		return error;
	pfs_printf(b, "%s\n", s.comm);
	return 0;
}

/*
 * A write to comm (/proc/PID/comm, task/TID/comm), as Linux's comm_write:
 * its first 15 bytes, as they are (a newline included), name the thread
 * (PID's: the main thread, and so the process), and the whole write is
 * taken.  Only the process's own threads may (EINVAL); ESRCH once it is
 * gone.  Nothing is taken on an error.  Takes proc_lock.
 */
int
pfs_comm_write(const struct pfs_target *t, struct uio *uio)
{
	char name[TD_NAME_MAX];
	size_t resid = uio->uio_resid;
	struct thread *td;
	int error;

	memset(name, 0, sizeof(name));
	error = uio_copy(name, MIN(resid, sizeof(name) - 1), uio, false);
	spin_lock(&proc_lock);
	td = error == 0 && !t->p->p_reaped ? tdfind_locked(t->tid != 0 ?
	    t->tid : t->p->p_pid, t->p->p_pid) : NULL;
	if (error == 0)
		error = td == NULL ? ESRCH : t->p != curproc() ? EINVAL : 0;
	if (error == 0)
		thread_set_name_locked(td, name);
	spin_unlock(&proc_lock);
	uio->uio_resid = error == 0 ? 0 : resid;
	return error;
}

/* maps' name for an entry of this kind that maps no file, or NULL. */
static const char *
kind_name(uint32_t kind)
{
	switch (kind) {
	case VMK_KVME_HEAP:
		return "[heap]";
	case VMK_KVME_STACK:
		return "[stack]";
	case VMK_KVME_VDSO:
		return "[vdso]";
	default:
		return NULL;
	}
}

/* path as Linux's seq_path prints it in maps: a newline becomes \012. */
static void
put_path(struct pfs_buf *b, const char *path)
{
	for (const char *nl; (nl = strchr(path, '\n')) != NULL; path = nl + 1) {
		pfs_putbytes(b, path, (size_t)(nl - path));
		pfs_printf(b, "\\012");
	}
	pfs_printf(b, "%s", path);
}

/*
 * One line of maps, as Linux's show_map_vma prints it: the file's offset,
 * device and inode, and its path (" (deleted)" once it has no links), or
 * the name of a special region, from column 73 (Linux pads to it).  The
 * path is the one the file was opened (or exec'd) by: we have no name
 * cache, so a rename after that is not seen.
 */
static void
maps_line(struct pfs_buf *b, const struct procview_entry *e)
{
	const struct vmk_kinfo_vmentry *k = &e->k;
	const char *special = kind_name(k->kind);
	size_t start = b->len;

	pfs_printf(b, "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu", k->start,
	    k->end, (k->prot & 1) ? 'r' : '-', (k->prot & 2) ? 'w' : '-',
	    (k->prot & 4) ? 'x' : '-', (k->flags & 1) ? 'p' : 's',
	    k->file_offset, DEV_MAJOR(k->vnode_dev),
	    DEV_MINOR(k->vnode_dev), k->vnode_ino);
	if (e->name != NULL || special != NULL) {
		size_t col = b->len - start;

		pfs_printf(b, "%*s", col < 73 ? (int)(73 - col) : 1, "");
		if (e->name != NULL)
			put_path(b, e->name->kp_str);
		else
			pfs_printf(b, "%s", special);
		if (e->name != NULL && k->deleted)
			pfs_printf(b, " (deleted)");
	}
	pfs_printf(b, "\n");
}

/*
 * smaps' figures after an entry's maps line, in kB.  Rss counts the
 * first object's resident pages in the range (procmap's "resident");
 * the pages further down a shadow chain are not split out.
 */
static void
smaps_lines(struct pfs_buf *b, const struct vmk_kinfo_vmentry *k)
{
	uint64_t rss = k->resident * (PAGE_SIZE / 1024);

	pfs_printf(b, "Size:%19lu kB\nKernelPageSize:%9lu kB\n"
	    "MMUPageSize:%12lu kB\nRss:%20lu kB\nPss:%20lu kB\n"
	    "Shared_Clean:%11d kB\nShared_Dirty:%11d kB\n"
	    "Private_Clean:%10d kB\nPrivate_Dirty:%10d kB\n"
	    "Referenced:%13lu kB\nAnonymous:%14lu kB\nSwap:%19d kB\n"
	    "Locked:%17d kB\n", (k->end - k->start) / 1024, PAGE_SIZE / 1024,
	    PAGE_SIZE / 1024, rss, rss, 0, 0, 0, 0, rss,
	    k->vnode_ino == 0 ? rss : 0, 0, 0);
}

/*
 * maps and smaps: one line (smaps: a block) per map entry, from
 * procview_map, the records procmap (vm.proc.map.<pid>) shows, so the
 * two always agree.
 */
static int
maps_text(const struct pfs_target *t, struct pfs_buf *b, bool smaps)
{
	struct procview_entry *e;
	struct proc_snap s;
	struct vmspace *vm;
	size_t n;
	int error = snapshot(t, &s);

	if (error != 0)
		return error;
	vm = proc_vmspace(t->p);
	if (vm == NULL)
		return 0;		/* a zombie's map is empty */
	e = kmalloc(MAPS_MAX_ENTRIES * sizeof(*e), 0);
	if (e == NULL) {
		vmspace_free(vm);
		return ENOMEM;
	}
	n = procview_map(vm, e, MAPS_MAX_ENTRIES);
	vmspace_free(vm);
	for (size_t i = 0; i < n; i++) {
		maps_line(b, &e[i]);
		if (smaps)
			smaps_lines(b, &e[i].k);
	}
	procview_done(e, n);
	kfree(e);
	return 0;
}

int
pfs_pid_maps(const struct pfs_target *t, struct pfs_buf *b)
{
	return maps_text(t, b, false);
}

int
pfs_pid_smaps(const struct pfs_target *t, struct pfs_buf *b)
{
	return maps_text(t, b, true);
}

/*
 * /proc/PID/exe's target: the program's path into buf (size bytes), its
 * length without the NUL in *len.  ENOENT for a zombie or a process that
 * has none (init before its exec).
 */
int
pfs_pid_exe(int pid, char *buf, size_t size, size_t *len)
{
	struct proc *p = pfind_hold(pid, false);
	struct kpath *exe;

	if (p == NULL)
		return ENOENT;
	exe = proc_exe(p);
	proc_rele(p);
	if (exe == NULL)
		return ENOENT;
	*len = MIN(exe->kp_len, size);
	memcpy(buf, exe->kp_str, *len);
	kpath_rele(exe);
	return 0;
}

/*
 * /proc/PID/cwd's target (root_dir: /proc/PID/root's), the directory's
 * path from the process's root, into buf (size bytes), its length
 * without the NUL in *len.  ENOENT for a zombie or an exiting process
 * (it let its directories go), or one that is gone.
 */
int
pfs_pid_dir(int pid, bool root_dir, char *buf, size_t size, size_t *len)
{
	struct proc *p = pfind_hold(pid, false);
	struct vnode *dir = NULL, *root = NULL;
	int error;

	if (p == NULL)
		return ENOENT;
	spin_lock(&proc_lock);
	if (p->p_state != PRS_ZOMBIE && !p->p_exiting) {
		root = p->p_root;
		dir = root_dir ? root : p->p_cwd;
	}
	if (root != NULL && dir != NULL) {
		vref(dir);
		vref(root);
	}
	spin_unlock(&proc_lock);
	proc_rele(p);
	if (root == NULL || dir == NULL)
		return ENOENT;
	error = vfs_getcwd(root, dir, buf, size, len);
	vrele(dir);
	vrele(root);
	if (error == 0)
		(*len)--;	/* vfs_getcwd counts the NUL */
	return error;
}

/*
 * The smallest open descriptor of live process pid above after, or -1.
 * The table is looked at through a reference of its own and its lock.
 */
int
pfs_fd_next(int pid, int after)
{
	struct proc *p = pfind_hold(pid, false);
	struct filedesc *fdp = p != NULL ? proc_fd_hold(p) : NULL;
	int next = -1;

	if (p != NULL)
		proc_rele(p);
	if (fdp == NULL)
		return -1;
	sx_slock(&fdp->fd_lock);
	for (int fd = MAX(after + 1, 0); fd < fdp->fd_hiwat && next < 0; fd++)
		if (fdp->fd_ofiles[fd] != NULL)
			next = fd;
	sx_sunlock(&fdp->fd_lock);
	fd_free(fdp);
	return next;
}

/* The file on descriptor fd of live process pid, held (fdrop it), or NULL. */
static struct file *
fd_file(int pid, int fd)
{
	struct proc *p = pfind_hold(pid, false);
	struct filedesc *fdp = p != NULL ? proc_fd_hold(p) : NULL;
	struct file *fp = NULL;

	if (p != NULL)
		proc_rele(p);
	if (fdp == NULL)
		return NULL;
	sx_slock(&fdp->fd_lock);
	fp = fdp->fd_ofiles[fd];
	if (fp != NULL)
		fhold(fp);
	sx_sunlock(&fdp->fd_lock);
	fd_free(fdp);
	return fp;
}

/*
 * fd/N's target, as Linux's: the file's path (kept at open), "pipe:[ino]"
 * for a pipe, the console's node for the console; ENOENT if the
 * descriptor is closed or the file has no name to give.
 */
int
pfs_fd_link(int pid, int fd, char *buf, size_t size, size_t *len)
{
	struct file *fp = fd_file(pid, fd);
	struct vattr va;
	int error = 0;

	if (fp == NULL)
		return ENOENT;
	if (fp->f_path != NULL)
		*len = (size_t)ksnprintf(buf, size, "%s", fp->f_path->kp_str);
	else if (fp->f_type == DTYPE_PIPE && fp->f_vnode == NULL &&
	    (error = fp->f_ops->stat(fp, &va)) == 0)
		*len = (size_t)ksnprintf(buf, size, "pipe:[%lu]", va.va_ino);
	else if (fp->f_type == DTYPE_TTY)
		*len = (size_t)ksnprintf(buf, size, "/dev/console");
	else if (error == 0)
		error = ENOENT;
	if (error == 0)
		*len = MIN(*len, size - 1);	/* what ksnprintf kept */
	fdrop(fp);
	return error;
}

/*
 * The owner of a file of process pid (Linux's task_dump_owner): its
 * effective uid and gid.  But the files other than the directories
 * everyone may list (public_dir: /proc/PID, task/, task/TID) are root's
 * while the process is not dumpable (it changed its ids) or has no
 * memory (a zombie), so that no one else reads what it held; and every
 * file is root's once the process is gone.
 */
void
pfs_pid_owner(int pid, bool public_dir, uint32_t *uid, uint32_t *gid)
{
	struct proc *p = pfind_hold(pid, true);

	*uid = *gid = 0;
	if (p == NULL)
		return;
	spin_lock(&proc_lock);
	if (public_dir || (p->p_vmspace != NULL && p->p_dumpable == 1)) {
		*uid = p->p_cred.cr_euid;
		*gid = p->p_cred.cr_egid;
	}
	spin_unlock(&proc_lock);
	proc_rele(p);
}

/* May the current process look into process pid (ptrace_read_permitted)?
 * Not once it is gone. */
bool
pfs_pid_may_ptrace(int pid)
{
	struct proc *p = pfind_hold(pid, true);
	bool ok;

	if (p == NULL)
		return false;
	spin_lock(&proc_lock);
	ok = ptrace_read_permitted(p);
	spin_unlock(&proc_lock);
	proc_rele(p);
	return ok;
}

/*
 * May the current process open a file of the held process p that shows
 * its memory (maps, smaps)?  As Linux's mm_access at open: with ptrace
 * read access, or when p has no memory left to show.
 */
bool
pfs_pid_may_open_mem(struct proc *p)
{
	bool ok;

	spin_lock(&proc_lock);
	ok = p->p_vmspace == NULL || ptrace_read_permitted(p);
	spin_unlock(&proc_lock);
	return ok;
}

/*
 * fd/N's permission bits, as Linux gives the link: r-x for the owner if
 * the file is open for reading, -wx if for writing (both: rwx), none for
 * an O_PATH descriptor; 0 if the descriptor is closed.
 */
uint32_t
pfs_fd_mode(int pid, int fd)
{
	struct file *fp = fd_file(pid, fd);
	uint32_t mode = 0;
	int acc;

	if (fp == NULL)
		return 0;
	acc = fp->f_flags & O_ACCMODE;
	if (!(fp->f_flags & O_PATH)) {
		if (acc != O_WRONLY)
			mode |= 0500;
		if (acc != O_RDONLY)
			mode |= 0300;
	}
	fdrop(fp);
	return mode;
}

/* Is there a process (zombies count, as in Linux's /proc) with this pid? */
bool
pfs_pid_exists(int pid)
{
	struct proc *p = pfind_hold(pid, true);

	if (p != NULL)
		proc_rele(p);
	return p != NULL;
}

/* Is tid a thread of the live process pid? */
bool
pfs_tid_in(int pid, int tid)
{
	bool found;

	spin_lock(&proc_lock);
	found = tdfind_locked(tid, pid) != NULL;
	spin_unlock(&proc_lock);
	return found;
}

/* The pid of the live process thread tid is in, or 0. */
int
pfs_tid_pid(int tid)
{
	struct thread *td;
	int pid;

	spin_lock(&proc_lock);
	td = tdfind_locked(tid, 0);
	pid = td != NULL && td->td_proc != NULL ? td->td_proc->p_pid : 0;
	spin_unlock(&proc_lock);
	return pid;
}

struct next_id {
	int after, best;
};

static void
next_pid_of(struct proc *p, void *arg)
{
	struct next_id *n = arg;

	if (p->p_pid > n->after && (n->best == 0 || p->p_pid < n->best))
		n->best = p->p_pid;
}

/* The smallest pid above after (zombies count), or 0: readdir's order. */
int
pfs_next_pid(int after)
{
	struct next_id n = { after, 0 };

	proc_foreach(next_pid_of, &n);
	return n.best;
}

/* The smallest thread id of process pid above after, or 0. */
int
pfs_next_tid(int pid, int after)
{
	struct proc *p = pfind_hold(pid, false);
	int best = 0;

	if (p == NULL)
		return 0;
	spin_lock(&proc_lock);
	for (struct list *l = p->p_threads.next; l != &p->p_threads; l = l->next) {
		int tid = container_of(l, struct thread, td_plink)->td_utid;

		if (tid > after && (best == 0 || tid < best))
			best = tid;
	}
	spin_unlock(&proc_lock);
	proc_rele(p);
	return best;
}
