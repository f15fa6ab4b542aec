/*
 * What userland shares with the vmk kernel beyond the Linux ABI: the
 * private sysctl system call and the records its structured nodes return.
 * The kernel includes this same file, so both sides agree by construction.
 */
#ifndef VMK_H
#define VMK_H

#include <stdint.h>

/*
 * reboot(2) extension: power off and make the machine report `status`
 * (QEMU's exit status on the virt board).  Call as
 *   syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
 *           VMK_REBOOT_CMD_HALT_STATUS, status);
 */
#define VMK_REBOOT_CMD_HALT_STATUS	0x564d4b00

/*
 * sysctl by name, with FreeBSD sysctlbyname() semantics:
 *   syscall(VMK_SYS_SYSCTL, name, oldp, oldlenp, newp, newlen)
 * returns 0 or -1 with errno: ENOENT (no such name), ENOMEM (oldp too
 * small: *oldlenp is set to the length needed), EPERM (read-only), EINVAL
 * (bad new value), EFAULT (bad pointer).  With oldp NULL, *oldlenp gets
 * the length of the value.  The name VMK_SYSCTL_NEXT lists the tree:
 * given a name (or "") as the new value, it returns the next name.
 */
#define VMK_SYS_SYSCTL		1000
#define VMK_SYSCTL_NAME_MAX	128
#define VMK_SYSCTL_NEXT		"sysctl.next"

/*
 * The name VMK_SYSCTL_INFO, given a node's name as the new value, returns
 * what the node holds (struct vmk_sysctl_info), so tools can print it.
 */
#define VMK_SYSCTL_INFO		"sysctl.info"

#define VMK_CTLTYPE_INT		1	/* int32_t */
#define VMK_CTLTYPE_U64		2	/* uint64_t */
#define VMK_CTLTYPE_STRING	3
#define VMK_CTLTYPE_OPAQUE	4	/* a struct or an array */
#define VMK_CTLTYPE_BOOL	5	/* int32_t, 0 or 1 */
#define VMK_CTLTYPE_RECORDS	6	/* an array of the structs below */

#define VMK_CTLFLAG_RD		0x1
#define VMK_CTLFLAG_WR		0x2
#define VMK_CTLFLAG_PREFIX	0x4	/* needs an argument after the name */

struct vmk_sysctl_info {
	uint32_t type;
	uint32_t flags;
	char descr[120];
	char fmt[16];		/* opaque nodes: the struct, as FreeBSD's
				   "S,timeval"; "" if plain words */
};

/*
 * vm.vmtotal (format "S,vmtotal"): system-wide totals, as FreeBSD's
 * struct vmtotal, memory in pages.  "Active" is a process with a thread
 * running, runnable, or asleep for less than 20 seconds.
 */
struct vmk_vmtotal {
	uint64_t t_vm;		/* virtual memory mapped by all processes */
	uint64_t t_avm;		/* ... by active processes */
	uint64_t t_rm;		/* pages mapped (resident) in all pmaps */
	uint64_t t_arm;		/* ... in active processes' pmaps */
	uint64_t t_free;	/* free pages */
	int16_t t_rq;		/* user threads running or runnable */
	int16_t t_dw;		/* ... sleeping uninterruptibly ("disk wait") */
	int16_t t_pw;		/* ... waiting for free memory */
	int16_t t_sl;		/* ... sleeping interruptibly */
	int16_t t_sw;		/* swapped out: always 0 (no process swapping) */
	uint16_t t_pad[3];
};

/* kern.proc.all: one per process. */
struct vmk_kinfo_proc {
	int32_t pid;
	int32_t ppid;
	int32_t pgid;
	int32_t state;		/* 1 running/sleeping, 2 zombie */
	uint64_t vsize;		/* bytes mapped */
	uint64_t rss;		/* pages mapped in the pmap */
	uint64_t utime_ticks;
	char comm[16];
	char wchan[16];		/* what its thread sleeps on, "" if running */
};

/*
 * vm.proc.map.<pid>: one record per map entry, packed as FreeBSD packs
 * kern.proc.vmmap's kinfo_vmentry: each is structsize bytes (a multiple
 * of 8): this struct, then the path of the file the entry maps,
 * NUL-terminated ("" for anonymous memory).  Walk them with
 * VMK_KVME_NEXT; VMK_KVME_PATH is a record's path.
 */
struct vmk_kinfo_vmentry {
	uint32_t structsize;	/* bytes of this record, its path included */
	uint32_t kind;		/* VMK_KVME_* (Linux's maps names) */
	uint64_t start;
	uint64_t end;
	uint64_t offset;	/* into the first object */
	uint32_t prot;		/* 1 read, 2 write, 4 execute */
	uint32_t max_prot;
	uint32_t inheritance;	/* 0 share, 1 copy, 2 none */
	uint32_t flags;		/* 1 copy-on-write, 2 needs copy */
	uint32_t advice;	/* 0 normal, 1 random, 2 sequential */
	uint32_t obj_type;	/* 0 anonymous, 1 vnode, 255 none yet */
	uint64_t resident;	/* pages of the first object in the range */
	uint32_t chain_depth;	/* objects from the first to the last */
	uint32_t wired;
	uint64_t vnode_ino;	/* inode of the file at the chain's bottom, or
				   0 (anonymous memory; a tmpfs file) */
	uint64_t vnode_dev;	/* that file's st_dev (Linux's makedev), or 0 */
	uint64_t file_offset;	/* the offset in that file of start (0 if
				   the chain has no file) */
	uint64_t mapped;	/* pages the pmap maps in the range (procstat's RES) */
	uint64_t private_resident; /* the first object's resident pages in
				   the range if only this entry refers to it,
				   else 0 (procstat's PRES) */
	int32_t ref_count;	/* the first object's references (REF) */
	int32_t shadow_count;	/* objects shadowing the first object (SHD) */
	uint32_t grows_down;	/* the stack (FreeBSD's D flag) */
	uint32_t swapped;	/* the chain holds pages on swap (TP sw) */
	uint32_t deleted;	/* the file has no links left: Linux's maps
				   shows its path with " (deleted)" */
	uint32_t pad;
};

/* kind: what an entry without a path is (Linux's maps prints the name). */
#define VMK_KVME_PLAIN		0
#define VMK_KVME_HEAP		1	/* [heap]: in the brk area */
#define VMK_KVME_STACK		2	/* [stack]: the main thread's stack */
#define VMK_KVME_VDSO		3	/* [vdso]: the signal trampoline */

#define VMK_KVME_PATH(e)	((const char *)((e) + 1))
#define VMK_KVME_NEXT(e)	((const struct vmk_kinfo_vmentry *) \
	    ((const char *)(e) + (e)->structsize))

/* vm.proc.chain.<pid>.<hex address>: one per object, first object first. */
struct vmk_kinfo_vmobject {
	uint64_t addr;		/* kernel address: identifies the object */
	uint64_t size;		/* pages */
	uint64_t backing_offset;	/* bytes */
	int32_t ref_count;
	int32_t shadow_count;
	int32_t resident;
	uint32_t type;		/* 0 anonymous, 1 vnode */
	uint64_t vnode_ino;	/* vnode objects: the inode number */
	uint64_t swapped;	/* pages held on swap */
};

/* vm.swap_info: one record per swap device. */
struct vmk_swapinfo {
	char name[8];		/* the disk, e.g. "vdb" */
	uint64_t nslots;	/* pages of swap space */
	uint64_t used;		/* pages in use */
};

#endif
