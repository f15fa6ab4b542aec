/*
 * procfs: /proc with Linux's file formats, made from the kernel's own
 * counters and process table.  Nothing is stored: a file's text is
 * generated when it is read from offset 0 (and on its first read), a
 * directory is listed from the table below and the process table.
 *
 * Every vnode is named by its inode number, (id << 8) | kind: kind says
 * which file (PFS_*), id which process, thread or sysctl node it is about
 * (0 for the system-wide files).  So vget needs nothing but the number,
 * and a vnode is dropped from the cache as soon as it is unused.
 *
 * A file of a process holds that process (proc_hold) while it is open;
 * once the process is reaped, reads fail with ESRCH.
 */
#ifndef FS_PROCFS_PROCFS_H
#define FS_PROCFS_PROCFS_H

#include "fs/vnode.h"

struct proc;
struct sysctl_node;

enum pfs_kind {
	PFS_NONE,
	PFS_ROOT,		/* /proc */
	PFS_SELF,		/* /proc/self -> "PID" */
	PFS_MEMINFO,
	PFS_UPTIME,
	PFS_LOADAVG,
	PFS_STAT,
	PFS_CPUINFO,
	PFS_VMSTAT,
	PFS_MOUNTS,
	PFS_SYS,		/* /proc/sys */
	PFS_SYS_KERNEL,		/* /proc/sys/kernel */
	PFS_SYS_VM,		/* /proc/sys/vm */
	PFS_PID_MAX,		/* /proc/sys/kernel/pid_max */
	PFS_SYSCTL,		/* /proc/sys/vm/NAME: id = sysctl_node_at index */
	PFS_PID,		/* /proc/PID: id = pid */
	PFS_PID_STAT,
	PFS_PID_STATM,
	PFS_PID_STATUS,
	PFS_PID_CMDLINE,
	PFS_PID_COMM,
	PFS_PID_MAPS,
	PFS_PID_SMAPS,
	PFS_PID_CWD,		/* symlink to the current directory */
	PFS_PID_EXE,		/* symlink to the program */
	PFS_PID_FD,		/* /proc/PID/fd */
	PFS_FD,			/* fd/N: id = (pid << 8) | N */
	PFS_PID_TASK,		/* /proc/PID/task */
	PFS_TASK,		/* /proc/PID/task/TID: id = tid */
	PFS_TASK_STAT,
	PFS_TASK_STATUS,
	PFS_TASK_COMM,
	PFS_PID_ROOT,		/* symlink to the root directory */
	PFS_PID_ENVIRON,
	PFS_NKINDS
};

#define PFS_INO(kind, id)	(((uint64_t)(id) << 8) | (kind))
#define PFS_INO_KIND(ino)	((enum pfs_kind)((ino) & 0xff))
#define PFS_INO_ID(ino)		((int)((ino) >> 8))
#define PFS_ROOT_INO		PFS_INO(PFS_ROOT, 0)
#define PFS_FD_ID(pid, fd)	(((pid) << 8) | (fd))	/* FD_MAX is 256 */
#define PFS_FD_PID(id)		((id) >> 8)
#define PFS_FD_NUM(id)		((id) & 0xff)

/*
 * A file's text while it is made: grows by doubling; running out of
 * memory sets error (ENOMEM) and drops further output.  Not shared.
 */
struct pfs_buf {
	char *data;
	size_t len, cap;
	int error;
};

void pfs_printf(struct pfs_buf *b, const char *fmt, ...) __printflike(2, 3);
void pfs_putbytes(struct pfs_buf *b, const char *s, size_t n);
void pfs_buf_free(struct pfs_buf *b);

/*
 * What a generator is asked about: the held process (NULL for system
 * files), the thread id for a task's files (0: the process's first
 * thread), the sysctl node for /proc/sys files.
 */
struct pfs_target {
	struct proc *p;
	int tid;
	const struct sysctl_node *node;
};

/* Write the file's text to b.  0 or an errno (ESRCH: the process is gone). */
typedef int (*pfs_gen_t)(const struct pfs_target *t, struct pfs_buf *b);

/* procfs_sys.c: the system-wide files */
int pfs_meminfo(const struct pfs_target *t, struct pfs_buf *b);
int pfs_uptime(const struct pfs_target *t, struct pfs_buf *b);
int pfs_loadavg(const struct pfs_target *t, struct pfs_buf *b);
int pfs_stat(const struct pfs_target *t, struct pfs_buf *b);
int pfs_cpuinfo(const struct pfs_target *t, struct pfs_buf *b);
int pfs_vmstat(const struct pfs_target *t, struct pfs_buf *b);
int pfs_mounts(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_max(const struct pfs_target *t, struct pfs_buf *b);
int pfs_sysctl_read(const struct pfs_target *t, struct pfs_buf *b);
int pfs_sysctl_write(const struct pfs_target *t, const char *text,
    size_t len);
const struct sysctl_node *pfs_sysctl_find(const char *name, size_t len,
    size_t *index);
const struct sysctl_node *pfs_sysctl_next(size_t *index);

/* procfs_pid.c: one process's files */
int pfs_pid_stat(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_statm(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_status(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_cmdline(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_environ(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_comm(const struct pfs_target *t, struct pfs_buf *b);
int pfs_comm_write(const struct pfs_target *t, struct uio *uio);
int pfs_pid_maps(const struct pfs_target *t, struct pfs_buf *b);
int pfs_pid_smaps(const struct pfs_target *t, struct pfs_buf *b);
bool pfs_pid_exists(int pid);
void pfs_pid_owner(int pid, bool public_dir, uint32_t *uid, uint32_t *gid);
bool pfs_pid_may_ptrace(int pid);
bool pfs_pid_may_open_mem(struct proc *p);
uint32_t pfs_fd_mode(int pid, int fd);
int pfs_fd_next(int pid, int after);
int pfs_fd_link(int pid, int fd, char *buf, size_t size, size_t *len);
int pfs_pid_exe(int pid, char *buf, size_t size, size_t *len);
int pfs_pid_dir(int pid, bool root_dir, char *buf, size_t size, size_t *len);
bool pfs_tid_in(int pid, int tid);
int pfs_tid_pid(int tid);
int pfs_next_pid(int after);
int pfs_next_tid(int pid, int after);

/* procfs_vnops.c */
extern const struct vfs_ops procfs_vfs_ops;
int procfs_generate(enum pfs_kind kind, const struct pfs_target *t,
    struct pfs_buf *b);

#endif
