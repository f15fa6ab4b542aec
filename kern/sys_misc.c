/*
 * Small system calls: identity, time, sleeping, limits, randomness,
 * process groups, and the bookkeeping glibc's startup asks for.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/reboot.h"
#include "kern/sysctl.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/tty.h"
#include "kern/uaccess.h"
#include "vm/swap_pager.h"
#include "machine/machdep.h"
#include "vm/vm_page.h"

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define TIMER_ABSTIME		1

#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_SIGPENDING 11
#define RLIM_NLIMITS	16
#define RLIM_INFINITY	(~0UL)

#define NSEC_PER_SEC	1000000000UL

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

/* The host name: uname's nodename, and the sysctl kern.hostname. */
char hostname[65] = "vmk";

SYSCTL_STRING(kern_hostname, "kern.hostname", CTLFLAG_RW, hostname,
    sizeof(hostname), "host name (1 to 64 characters)");

struct ts {
	int64_t tv_sec;
	int64_t tv_nsec;
};

int64_t
sys_getpid(void)
{
	return curproc()->p_pid;
}

int64_t
sys_gettid(void)
{
	return curthread()->td_utid;
}

int64_t
sys_getppid(void)
{
	struct proc *parent = curproc()->p_parent;

	return parent != NULL ? parent->p_pid : 0;
}

/* The word zeroed and woken when the calling thread ends (kern_thread.c). */
int64_t
sys_set_tid_address(uaddr_t tidptr)
{
	struct thread *td = curthread();

	td->td_clear_child_tid = tidptr;
	return td->td_utid;
}

/*
 * The calling thread's robust futex list (struct robust_list_head, 24
 * bytes; walked when the thread ends: kern_futex.c).  The head is not
 * read until then, as on Linux.
 */
int64_t
sys_set_robust_list(uaddr_t head, size_t len)
{
	if (len != 24)
		return -EINVAL;
	spin_lock(&proc_lock);	/* get_robust_list reads it from others */
	curthread()->td_robust_list = head;
	spin_unlock(&proc_lock);
	return 0;
}

/*
 * get_robust_list: the head of thread pid's list (0: the caller's) and
 * its size.  ESRCH if there is no such thread; everyone may look (files
 * and memory are not guarded by credentials here).
 */
int64_t
sys_get_robust_list(int pid, uaddr_t uhead, uaddr_t ulen)
{
	uint64_t head, len = 24;
	struct thread *td;

	spin_lock(&proc_lock);
	td = pid == 0 ? curthread() : tdfind_locked(pid, 0);
	head = td != NULL ? td->td_robust_list : 0;
	spin_unlock(&proc_lock);
	if (td == NULL)
		return -ESRCH;
	if (copyout(&len, (void *)ulen, sizeof(len)) != 0 ||
	    copyout(&head, (void *)uhead, sizeof(head)) != 0)
		return -EFAULT;
	return 0;
}

/*
 * CPU affinity, per thread: a mask of harts (a cpumask_t of one long,
 * since at most 64 harts run here), which the scheduler honours.  A new
 * thread starts with all running harts.
 */
#define CPUMASK_SIZE	8

/* The harts that run: bits 0 .. mp_ncpus - 1. */
static uint64_t
cpus_online(void)
{
	return mp_ncpus >= 64 ? ~0ULL : (1ULL << mp_ncpus) - 1;
}

/* The thread for pid (0: the caller's) with proc_lock held, or NULL. */
static struct thread *
affinity_thread_locked(int pid)
{
	return pid == 0 ? curthread() : tdfind_locked(pid, 0);
}

/*
 * sched_setaffinity, as Linux: a mask shorter than cpumask_t counts as
 * zeros past its end, a longer one is cut; ESRCH for no such thread,
 * then EINVAL if the mask holds no running hart.  What is stored is the
 * mask's running harts.
 */
/*
 * Wait until thread pid, which ran on hart `on` outside its new affinity
 * when we looked, runs only where it may, as Linux's sched_setaffinity
 * does before it returns (glibc's pthread_create sets a new thread's
 * affinity from the creating thread, and the thread's code then must not
 * run elsewhere).  It is interrupted once; it moves on its way back to
 * user mode, or when it next sleeps.  proc_lock not held; we look it up
 * again each time, since it may exit meanwhile.
 */
static void
affinity_await_move(int pid, uint64_t on)
{
	struct thread *td;

	cpu_send_ipi(on);
	do {
		sched_yield();
		spin_lock(&proc_lock);
		td = affinity_thread_locked(pid);
		on = td != NULL ? sched_move_off(td) : 0;
		spin_unlock(&proc_lock);
	} while (on != 0);
}

int64_t
sys_sched_setaffinity(int pid, unsigned int len, uaddr_t umask)
{
	uint64_t mask = 0, kick = 0;
	struct thread *td;
	int64_t rv = 0;

	if (copyin((void *)umask, &mask, MIN(len, CPUMASK_SIZE)) != 0)
		return -EFAULT;
	spin_lock(&proc_lock);
	td = affinity_thread_locked(pid);
	if (td == NULL)
		rv = -ESRCH;
	else if ((mask & cpus_online()) == 0)
		rv = -EINVAL;
	else
		td->td_affinity = mask & cpus_online();
	if (rv == 0 && td != curthread())
		kick = sched_move_off(td);
	spin_unlock(&proc_lock);
	if (rv == 0 && td == curthread())
		sched_yield();	/* moves now if this hart was taken away */
	if (kick != 0)
		affinity_await_move(pid, kick);
	return rv;
}

/*
 * getcpu, as Linux: the hart the caller runs on (it may be elsewhere by
 * the time it looks) and NUMA node 0; either pointer may be NULL, the
 * cache argument is unused since Linux 2.6.24.
 */
int64_t
sys_getcpu(uaddr_t ucpu, uaddr_t unode, uaddr_t cache)
{
	uint32_t cpu = (uint32_t)curcpu_id(), node = 0;

	if (ucpu != 0 && copyout(&cpu, (void *)ucpu, sizeof(cpu)) != 0)
		return -EFAULT;
	if (unode != 0 && copyout(&node, (void *)unode, sizeof(node)) != 0)
		return -EFAULT;
	return 0;
}

/*
 * sched_getaffinity, as Linux: EINVAL for a length with fewer bits than
 * harts or not a multiple of a long; ESRCH for no such thread; returns
 * the bytes written (cpumask_t's size).
 */
int64_t
sys_sched_getaffinity(int pid, unsigned int len, uaddr_t umask)
{
	uint64_t mask = 0;
	struct thread *td;

	if ((uint64_t)len * 8 < (uint64_t)mp_ncpus || (len & (CPUMASK_SIZE - 1)))
		return -EINVAL;
	spin_lock(&proc_lock);
	td = affinity_thread_locked(pid);
	if (td != NULL)
		mask = (td->td_affinity != 0 ? td->td_affinity : ~0ULL) &
		    cpus_online();
	spin_unlock(&proc_lock);
	if (td == NULL)
		return -ESRCH;
	if (copyout(&mask, (void *)umask, CPUMASK_SIZE) != 0)
		return -EFAULT;
	return CPUMASK_SIZE;
}

int64_t
sys_umask(int mask)
{
	struct proc *p = curproc();
	return __atomic_exchange_n(&p->p_umask, (uint32_t)mask & 0777,
	    __ATOMIC_RELAXED);
}

int64_t
sys_sched_yield(void)
{
	sched_yield();
	return 0;
}

static bool
clock_read(int id, struct ts *t)
{
	uint64_t ns;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = clock_realtime_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ns = clock_uptime_ns();
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ns = (curproc()->p_utime_ticks + curproc()->p_stime_ticks) *
		    (NSEC_PER_SEC / HZ);
		break;
	default:
		return false;
	}
	t->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	t->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
	return true;
}

int64_t
sys_clock_gettime(int id, uaddr_t ut)
{
	struct ts t;

	if (!clock_read(id, &t))
		return -EINVAL;
	return copyout(&t, (void *)ut, sizeof(t)) != 0 ? -EFAULT : 0;
}

int64_t
sys_clock_getres(int id, uaddr_t ut)
{
	struct ts t = { 0, 100 };	/* the timebase counts in 100 ns */

	if (!clock_read(id, &(struct ts){ 0 }))
		return -EINVAL;
	if (ut != 0 && copyout(&t, (void *)ut, sizeof(t)) != 0)
		return -EFAULT;
	return 0;
}

int64_t
sys_gettimeofday(uaddr_t utv, uaddr_t utz)
{
	uint64_t ns = clock_realtime_ns();
	int64_t tv[2] = { (int64_t)(ns / NSEC_PER_SEC),
	    (int64_t)(ns % NSEC_PER_SEC / 1000) };
	int32_t tz[2] = { 0, 0 };

	if (utv != 0 && copyout(tv, (void *)utv, sizeof(tv)) != 0)
		return -EFAULT;
	if (utz != 0 && copyout(tz, (void *)utz, sizeof(tz)) != 0)
		return -EFAULT;
	return 0;
}

static int64_t sleep_resume(struct thread *td);

/*
 * Sleep until deadline (uptime, ns), at tick granularity, rounded up.
 * A signal ends it early with EINTR and the time left in *urem (0:
 * nowhere), or EFAULT if that cannot be written.  The EINTR is final
 * under a handler (even with SA_RESTART, as on Linux); with none (a
 * stop) the restart block it leaves goes on sleeping till the same
 * deadline, the time stopped included, as Linux's restart_syscall.
 */
static int64_t
sleep_until(uint64_t deadline, uaddr_t urem)
{
	static const char chan;
	struct thread *td = curthread();
	uint64_t now, left;

	for (;;) {
		now = clock_uptime_ns();
		if (now >= deadline)
			return 0;
		if (tsleep_sig(&chan, NULL, "nanoslp",
		    (deadline - now) / (NSEC_PER_SEC / HZ) + 1) == EINTR)
			break;
	}
	now = clock_uptime_ns();
	left = deadline > now ? deadline - now : 0;
	if (urem != 0 && copyout(&(struct ts){ (int64_t)(left / NSEC_PER_SEC),
	    (int64_t)(left % NSEC_PER_SEC) }, (void *)urem, sizeof(struct ts)) != 0)
		return -EFAULT;
	td->td_eintr_norestart = true;
	td->td_restart_fn = sleep_resume;
	td->td_restart_arg[0] = deadline;
	td->td_restart_arg[1] = urem;
	return -EINTR;
}

/* The restart block of a sleep (sleep_until) that a stop interrupted. */
static int64_t
sleep_resume(struct thread *td)
{
	return sleep_until(td->td_restart_arg[0], td->td_restart_arg[1]);
}

/*
 * Sleep for the time t (relative, or absolute on clock_id): EINVAL for a
 * bad time, else as sleep_until, the time left going to *urem for a
 * relative sleep.
 */
static int64_t
sleep_for(const struct ts *t, uaddr_t urem, int clock_id, bool absolute)
{
	uint64_t ns, start = clock_uptime_ns(), now;
	struct ts cur;

	if (t->tv_sec < 0 || t->tv_nsec < 0 || t->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	ns = (uint64_t)t->tv_sec * NSEC_PER_SEC + (uint64_t)t->tv_nsec;
	if (absolute) {
		if (!clock_read(clock_id, &cur))
			return -EINVAL;
		now = (uint64_t)cur.tv_sec * NSEC_PER_SEC + (uint64_t)cur.tv_nsec;
		ns = ns > now ? ns - now : 0;
	}
	return sleep_until(start + ns, absolute ? 0 : urem);
}

int64_t
sys_nanosleep(uaddr_t ureq, uaddr_t urem)
{
	struct ts t;

	if (copyin((void *)ureq, &t, sizeof(t)) != 0)
		return -EFAULT;
	return sleep_for(&t, urem, CLOCK_MONOTONIC, false);
}

/*
 * clock_nanosleep: the clock is judged first, as on Linux: EINVAL for one
 * that does not exist, EOPNOTSUPP for one nothing can sleep on (the raw
 * and coarse clocks, a thread's CPU time).  Sleeping until the process
 * has used some CPU time is not supported (EINVAL).
 */
int64_t
sys_clock_nanosleep(int id, int flags, uaddr_t ureq, uaddr_t urem)
{
	struct ts t;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		break;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_THREAD_CPUTIME_ID:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
	if (copyin((void *)ureq, &t, sizeof(t)) != 0)
		return -EFAULT;
	return sleep_for(&t, urem, id, (flags & TIMER_ABSTIME) != 0);
}

int64_t
sys_uname(uaddr_t ubuf)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	kstrlcpy(u[0], "Linux", 65);	/* programs check for it: the ABI is Linux's */
	kstrlcpy(u[1], hostname, 65);
	kstrlcpy(u[2], "6.1.0-vmk", 65);
	kstrlcpy(u[3], "vmk " __DATE__, 65);
	kstrlcpy(u[4], "riscv64", 65);
	kstrlcpy(u[5], "(none)", 65);
	return copyout(u, (void *)ubuf, sizeof(u)) != 0 ? -EFAULT : 0;
}

struct rlimit64 {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

/*
 * The limits are fixed: each may be lowered in a request but is never
 * changed.  RLIMIT_CORE is 0, hard limit too, because no core file is ever
 * written: a signal that dumps core on Linux (SIGQUIT, SIGSEGV, SIGABRT,
 * ...) terminates without one, and the wait status has no WCOREDUMP bit
 * (0x80), exactly as Linux's with a core limit of 0.  RLIMIT_MEMLOCK is
 * Linux's default, 8 MiB, and limits nothing: every process runs as uid
 * 0, with CAP_IPC_LOCK, which on Linux exempts mlock from it.
 */
int64_t
sys_prlimit64(int pid, unsigned int resource, uaddr_t unew, uaddr_t uold)
{
	struct rlimit64 lim = { RLIM_INFINITY, RLIM_INFINITY }, want;

	/* Linux's order: the new limit is read, the process found, and only
	 * then the resource judged. */
	if (unew != 0 && copyin((void *)unew, &want, sizeof(want)) != 0)
		return -EFAULT;
	if (pid != 0 && pid != curproc()->p_pid && pfind(pid) == NULL)
		return -ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (resource == RLIMIT_STACK)
		lim.rlim_cur = lim.rlim_max = USRSTACK_SIZE;
	else if (resource == RLIMIT_NOFILE)
		lim.rlim_cur = lim.rlim_max = 256;
	else if (resource == RLIMIT_CORE)
		lim.rlim_cur = lim.rlim_max = 0;	/* no core files */
	else if (resource == RLIMIT_MEMLOCK)
		lim.rlim_cur = lim.rlim_max = 8UL << 20;
	else if (resource == RLIMIT_SIGPENDING)
		lim.rlim_cur = lim.rlim_max = SIGQUEUE_MAX;
	if (unew != 0) {
		if (want.rlim_cur > want.rlim_max)
			return -EINVAL;
		if (want.rlim_max > lim.rlim_max)
			return -EPERM;	/* the limits are fixed here */
	}
	if (uold != 0 && copyout(&lim, (void *)uold, sizeof(lim)) != 0)
		return -EFAULT;
	return 0;
}

#define GRND_NONBLOCK	1
#define GRND_RANDOM	2
#define GRND_INSECURE	4

/*
 * Random bytes from the kernel's generator (kern_cdev.c).  As on
 * Linux, the count is capped first, a buffer not then entirely in user
 * space is EFAULT, an unmapped part of one ends it with a short count,
 * and a signal ends a long one at a page boundary.
 */
int64_t
sys_getrandom(uaddr_t ubuf, size_t len, unsigned int flags)
{
	uint8_t chunk[64];
	size_t done = 0;

	if ((flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0 ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) ==
	    (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	len = MIN(len, MAX_RW_COUNT);
	if (!access_ok(ubuf, len))
		return -EFAULT;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk)), got;

		random_fill(chunk, n);
		got = copyout_prefix(chunk, (void *)(ubuf + done), n);
		done += got;
		if (got < n)
			return done > 0 ? (int64_t)done : -EFAULT;
		if (done % PAGE_SIZE == 0 && signal_pending(curthread()))
			break;
	}
	return (int64_t)done;
}

int64_t
sys_times(uaddr_t ubuf)
{
	struct proc *p = curproc();
	int64_t t[4] = { (int64_t)p->p_utime_ticks, (int64_t)p->p_stime_ticks,
	    (int64_t)p->p_cutime_ticks, (int64_t)p->p_cstime_ticks };

	if (ubuf != 0 && copyout(t, (void *)ubuf, sizeof(t)) != 0)
		return -EFAULT;
	return (int64_t)ticks;
}

int64_t
sys_getrusage(int who, uaddr_t ubuf)
{
	struct proc *p = curproc();
	int64_t ru[RUSAGE_WORDS];

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	if (who == RUSAGE_CHILDREN)
		rusage_from_ticks(ru, p->p_cutime_ticks, p->p_cstime_ticks);
	else
		rusage_from_ticks(ru, p->p_utime_ticks, p->p_stime_ticks);
	return copyout(ru, (void *)ubuf, sizeof(ru)) != 0 ? -EFAULT : 0;
}

int64_t
sys_sysinfo(uaddr_t ubuf)
{
	struct {
		int64_t uptime;
		uint64_t loads[3];
		uint64_t totalram, freeram, sharedram, bufferram;
		uint64_t totalswap, freeswap;
		uint16_t procs, pad;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char _f[4];
	} si;

	uint64_t avg[3];
	int running, blocked;

	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(clock_uptime_ns() / NSEC_PER_SEC);
	/* The load averages in Linux's fixed point (16 fraction bits). */
	sched_loadavg(avg, &running, &blocked);
	for (int i = 0; i < 3; i++)
		si.loads[i] = avg[i] * 65536 / 100;
	/* Usable RAM, as /proc/meminfo's MemTotal (the firmware's and the
	 * kernel image's pages are not). */
	si.totalram = (vm_page_stats.v_page_count -
	    vm_page_stats.v_reserved_count) * PAGE_SIZE;
	si.freeram = vm_page_free_count() * PAGE_SIZE;
	si.totalswap = swap_stats.nslots * PAGE_SIZE;
	si.freeswap = (swap_stats.nslots - MIN(swap_stats.used,
	    swap_stats.nslots)) * PAGE_SIZE;
	si.procs = (uint16_t)proc_count();
	si.mem_unit = 1;
	return copyout(&si, (void *)ubuf, sizeof(si)) != 0 ? -EFAULT : 0;
}

int64_t
sys_setpgid(int pid, int pgid)
{
	return proc_setpgid(pid, pgid);
}

int64_t
sys_getpgid(int pid)
{
	struct proc *p = pid == 0 ? curproc() : pfind(pid);

	return p != NULL ? p->p_pgid : -ESRCH;
}

int64_t
sys_getsid(int pid)
{
	struct proc *p = pid == 0 ? curproc() : pfind(pid);

	return p != NULL ? p->p_sid : -ESRCH;
}

int64_t
sys_setsid(void)
{
	struct proc *p = curproc();

	if (p->p_pgid == p->p_pid)
		return -EPERM;
	spin_lock(&proc_lock);
	p->p_sid = p->p_pgid = p->p_pid;
	p->p_ctty = false;	/* a new session has no terminal yet */
	spin_unlock(&proc_lock);
	return p->p_pid;
}

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc
#define VMK_REBOOT_CMD_HALT_STATUS	0x564d4b00

/* proc_foreach: count the processes but init that have not exited. */
static void
count_live_other(struct proc *p, void *arg)
{
	if (p != initproc && p->p_state != PRS_ZOMBIE)
		(*(int *)arg)++;
}

/*
 * Before reboot(2) writes the file systems back for the last time: every
 * other process is killed and given up to a second to exit, as a real
 * shutdown's init does, so that none changes a file system during or
 * after that write-back.  (A file deleted meanwhile could leave its inode
 * written and its freed blocks still marked in the bitmap; e2fsck after
 * make check saw such leaks now and then.)  An exited process has closed
 * its files.  Called by init, which may sleep here.
 */
static void
reboot_quiesce(void)
{
	static const char chan;
	int live = 0;

	(void)sys_kill(-1, SIGKILL);
	for (int tick = 0; tick < HZ; tick++) {
		live = 0;
		proc_foreach(count_live_other, &live);
		if (live == 0)
			return;
		tsleep_timo(&chan, NULL, "reboot", 1);
	}
	kprintf("reboot: %d processes did not exit\n", live);
}

/* reboot(2): only init may; the other processes are killed, and the file
 * systems written back, first. */
int64_t
sys_reboot(int magic1, int magic2, unsigned int cmd, uaddr_t arg)
{
	if ((uint32_t)magic1 != LINUX_REBOOT_MAGIC1)
		return -EINVAL;
	if (curproc() != initproc)
		return -EPERM;
	switch ((uint32_t)cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		reboot_quiesce();
		kern_reboot();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		reboot_quiesce();
		kern_halt(0);
	case VMK_REBOOT_CMD_HALT_STATUS:
		reboot_quiesce();
		kern_halt((int)(arg & 0xff));
	default:
		return -EINVAL;
	}
}
