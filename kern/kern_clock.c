/*
 * The tick.  hardclock() runs from the timer interrupt on every hart, HZ
 * times a second on each; only the boot hart's advances `ticks`, by the
 * periods that passed (a late interrupt stands for the ones it missed).
 * statclock(), from the same interrupt just before, charges the tick to
 * what it interrupted: the process's user or system time (and its
 * virtual and profiling interval timers), and the hart's
 * user, system or idle time (kern.cp_time, kern.cp_times, as FreeBSD's:
 * what vmstat's cpu columns and /proc/stat's cpu lines are made of).
 */
#include "kern/clock.h"
#include "kern/kernel.h"
#include "kern/proc.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "machine/pcpu.h"

volatile uint64_t ticks;
static uint64_t boottime_ns;	/* wall-clock time at uptime 0 */

/*
 * Ticks per hart and state.  Each hart adds to its own row only (from its
 * timer interrupt); readers sum with relaxed loads, so a total may be a
 * tick behind, never torn.
 */
static uint64_t cp_time[MAXCPU][CPUSTATES];

/*
 * Charge this hart's tick.  usermode: the interrupt came from user mode.
 * A tick in the kernel goes to the interrupted process's system time if
 * a user thread was running, to the hart's idle time in the idle thread,
 * and to system time otherwise (kernel threads).  Called with interrupts
 * off, from the timer interrupt only.
 */
void
statclock(bool usermode)
{
	struct thread *td = curthread();
	struct proc *p = curproc();
	int state;

	if (usermode)
		state = CP_USER;
	else if (td == curpcpu()->pc_idlethread)
		state = CP_IDLE;
	else
		state = CP_SYS;
	cp_time[curcpu_id()][state]++;
	if (p == NULL)
		return;
	/* Atomic: the process's threads tick on several harts. */
	__atomic_add_fetch(usermode ? &p->p_utime_ticks : &p->p_stime_ticks,
	    1, __ATOMIC_RELAXED);
	itimer_charge(p, usermode);	/* ITIMER_VIRTUAL, ITIMER_PROF */
}

/* One hart's ticks per state, as kern.cp_times gives them. */
void
clock_cp_time(int cpu, uint64_t out[CPUSTATES])
{
	for (int s = 0; s < CPUSTATES; s++)
		out[s] = __atomic_load_n(&cp_time[cpu][s], __ATOMIC_RELAXED);
}

/* kern.cp_time: the sum over running harts; kern.cp_times: one row each. */
static int64_t
sysctl_cp_time(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t rows[MAXCPU][CPUSTATES], sum[CPUSTATES] = { 0 };
	int n = MIN(mp_ncpus, MAXCPU);

	for (int cpu = 0; cpu < n; cpu++) {
		clock_cp_time(cpu, rows[cpu]);
		for (int s = 0; s < CPUSTATES; s++)
			sum[s] += rows[cpu][s];
	}
	if (node->arg == 0)
		return sysctl_out(req, sum, sizeof(sum));
	return sysctl_out(req, rows, n * sizeof(rows[0]));
}

SYSCTL_PROC(kern_cp_time, "kern.cp_time", CTLTYPE_OPAQUE, CTLFLAG_RD,
    sysctl_cp_time, 0,
    "ticks of all harts in user, nice, system, interrupt and idle state");
SYSCTL_PROC(kern_cp_times, "kern.cp_times", CTLTYPE_OPAQUE, CTLFLAG_RD,
    sysctl_cp_time, 1,
    "kern.cp_time for each hart in turn (five values per hart)");

/*
 * This hart's tick, standing for n periods (more than 1 when its
 * interrupt came more than a period late: a loaded host, a debugger's
 * stop), so that `ticks` keeps up with the clock and sleeps measured in
 * ticks last as long as they should.
 */
void
hardclock(uint64_t n)
{
	if (curcpu_id() == 0) {
		__atomic_add_fetch(&ticks, n, __ATOMIC_RELAXED);
		itimer_real_tick();
	}
	sched_clock(n);
}

/* Record the wall-clock time now (from an RTC), fixing the boot time. */
void
clock_set_boottime(uint64_t realtime_ns)
{
	uint64_t up = clock_uptime_ns();

	boottime_ns = realtime_ns > up ? realtime_ns - up : 0;
}

uint64_t
clock_boottime_ns(void)
{
	return boottime_ns;
}

/* Nanoseconds since the Unix epoch (since boot if there is no RTC). */
uint64_t
clock_realtime_ns(void)
{
	return boottime_ns + clock_uptime_ns();
}

static const int32_t kern_hz = HZ;

static int64_t
sysctl_boottime(const struct sysctl_node *node, struct sysctl_req *req)
{
	int64_t tv[2] = { (int64_t)(boottime_ns / 1000000000UL),
	    (int64_t)(boottime_ns % 1000000000UL / 1000) };

	return sysctl_out(req, tv, sizeof(tv));
}

SYSCTL_NODE_DECL(kern_hz_node, .name = "kern.hz", .type = CTLTYPE_INT,
    .flags = CTLFLAG_RD, .ptr = (void *)&kern_hz, .size = 4,
    .descr = "clock ticks per second");
SYSCTL_STRUCT(kern_boottime, "kern.boottime", "timeval", sysctl_boottime,
    "time of boot: struct timeval (sec, usec)");
SYSCTL_U64(kern_ticks, "kern.ticks", CTLFLAG_RD, (void *)&ticks,
    "clock ticks since boot");
