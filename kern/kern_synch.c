/*
 * The scheduler, sleep and wakeup.
 *
 * One run queue shared by all harts, round robin.  The kernel is not
 * preemptive: a thread in the kernel runs until it sleeps, yields or
 * exits; user threads are preempted by the tick on their way back to user
 * mode.  Each hart has an idle thread, never on the run queue, that waits
 * with wfi while nothing is runnable; making a thread runnable sends an
 * IPI to one idle hart (sched_kick), so an idle machine costs the host
 * nothing and new work starts at once.  One queue rather than per-hart
 * queues with stealing: with at most MAXCPU harts and threads that mostly
 * sleep on I/O or faults, the lock is rarely contended, and there is no
 * imbalance to correct (see DESIGN.md, "Several harts").
 *
 * Sleepers wait on a channel (any address) in a hash of sleep queues.
 * tsleep() takes sched_lock before dropping the caller's interlock, and
 * wakeup() takes sched_lock, so a wakeup between the caller's check and
 * its sleep cannot be lost.
 *
 * Locking: sched_lock (a spin lock) protects the run queue, the sleep
 * queues, the idle-hart mask, every thread's state and the list of all
 * threads.  It is held across cpu_switch(): the thread switched to
 * releases it, so a thread switched out on one hart cannot be picked up
 * by another before its registers are saved.
 */
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/proc.h"
#include "kern/signal.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "machine/frame.h"
#include "machine/machdep.h"
#include "machine/pcb.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"

#define SLEEPQ_HASH	64

static struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct list runq = LIST_HEAD_INIT(runq);
static struct list sleepq[SLEEPQ_HASH];
static struct list allthreads = LIST_HEAD_INIT(allthreads);
static struct list timed_sleepers = LIST_HEAD_INIT(timed_sleepers);
static int nthreads;		/* (atomic) threads not yet freed */
static cpumask_t idle_harts;	/* (s) harts waiting in sched_idle's wfi */

static struct list *
sleepq_of(const void *chan)
{
	return &sleepq[((uintptr_t)chan >> 4) % SLEEPQ_HASH];
}

/*
 * After a switch, sched_lock still held: restore this thread's per-hart
 * state.  A thread that exited is freed later, by sched_unlock: freeing
 * takes the page allocator's locks and may wake memory waiters, which
 * takes sched_lock.
 */
static void
sched_switch_done(struct thread *td)
{
	struct pcpu *pc = curpcpu();

	KASSERT(td == pc->pc_curthread && td->td_oncpu == pc->pc_cpuid,
	    "%s resumed on cpu %d, which runs %s (oncpu %d)", td->td_name,
	    pc->pc_cpuid, pc->pc_curthread->td_name, td->td_oncpu);

	pc->pc_onfault = td->td_onfault;
	pc->pc_intr_saved = td->td_intr_saved;
	((struct kstack_hdr *)(thread_stack_top(td) -
	    sizeof(struct kstack_hdr)))->kh_pcpu = pc;
	/*
	 * Kernel threads get the kernel-only table rather than keep the last
	 * user one loaded: a pmap that no hart holds can be destroyed as soon
	 * as its last thread is gone, wherever the others run.
	 */
	vmspace_activate(td->td_proc != NULL ? td->td_proc->p_vmspace : NULL);
	td->td_switches++;
	thread_ast(td, TDA_FP);
}

/*
 * Drop sched_lock after a switch, then free the thread that exited on
 * this hart just before it, if any: its stack now, and its struct too
 * unless it belongs to a process (thread_reap frees that).
 */
static void
sched_unlock(void)
{
	struct pcpu *pc = curpcpu();
	struct thread *dead = pc->pc_deadthread;

	pc->pc_deadthread = NULL;
	spin_unlock(&sched_lock);
	if (dead == NULL)
		return;
	kstack_free_stack(dead->td_kstack);
	/* Counted out before TDS_GONE: whoever reaps it sees the count. */
	__atomic_sub_fetch(&nthreads, 1, __ATOMIC_RELEASE);
	if (dead->td_proc != NULL)
		__atomic_store_n(&dead->td_state, TDS_GONE, __ATOMIC_RELEASE);
	else
		kfree(dead);
}

static cpumask_t sched_add(struct thread *td);
static cpumask_t sleep_end(struct thread *td);

/* Ask td to give up its hart at its next chance (its return to user
 * mode looks: TDA_RESCHED).  sched_lock held. */
static void
sched_ask_resched(struct thread *td)
{
	td->td_need_resched = true;
	thread_ast(td, TDA_RESCHED);
}

/*
 * The harts td may run on (sched_setaffinity; 0 stored means all).  The
 * mask is written under proc_lock; one word, read atomically here.
 */
static cpumask_t
sched_affinity(const struct thread *td)
{
	cpumask_t aff = __atomic_load_n(&td->td_affinity, __ATOMIC_RELAXED);

	return aff != 0 ? aff : ~(cpumask_t)0;
}

/*
 * The first thread on the run queue that may run on hart cpu, or NULL.
 * sched_lock held.  The queue is short (runnable threads, not sleepers).
 */
static struct thread *
runq_first_for(int cpu)
{
	for (struct list *l = runq.next; l != &runq; l = l->next) {
		struct thread *td = container_of(l, struct thread, td_link);

		if (sched_affinity(td) & CPUMASK(cpu))
			return td;
	}
	return NULL;
}

/*
 * Give the hart to the next runnable thread that may run here (the idle
 * thread if none).
 * The caller holds sched_lock and nothing else, and has already set its
 * own state (and queued itself if it stays runnable).  Returns, with
 * sched_lock held, when this thread is switched back in.
 */
static void
sched_switch(void)
{
	struct pcpu *pc = curpcpu();
	struct thread *old = pc->pc_curthread, *new;

	LOCK_ASSERT(spin_owned(&sched_lock), "%s: sched_lock not held",
	    old->td_name);
	KASSERT(pc->pc_intr_depth == 1, "%s: must hold only sched_lock",
	    old->td_name);
	new = runq_first_for(pc->pc_cpuid);
	if (new != NULL)
		list_remove(&new->td_link);
	else
		new = pc->pc_idlethread;
	new->td_state = TDS_RUNNING;
	new->td_oncpu = pc->pc_cpuid;
	if (new == old)
		return;
	if (!(new->td_ranmask & CPUMASK(pc->pc_cpuid))) {
		new->td_ranmask |= CPUMASK(pc->pc_cpuid);
		kstack_first_use(new->td_kstack);
	}
	VM_CNT_INC(v_swtch);
	if (old->td_state != TDS_DEAD)
		fpu_sync(old);	/* its FP registers may be reloaded here by another */
	old->td_onfault = pc->pc_onfault;
	old->td_intr_saved = pc->pc_intr_saved;
	pc->pc_curthread = new;
	cpu_switch(&old->td_ctx, &new->td_ctx);
	sched_switch_done(old);
}

/* First C code of a new thread (from thread_trampoline). */
void thread_start(void (*fn)(void *), void *arg);

void
thread_start(void (*fn)(void *), void *arg)
{
	sched_switch_done(curthread());
	sched_unlock();
	fn(arg);
	thread_exit();
}

/*
 * Let other runnable threads run; returns when it is our turn again.
 * If this hart is no longer in the caller's affinity, it moves: it goes
 * back on the queue (kicking an idle hart it may run on) even if nothing
 * else waits here.
 */
void
sched_yield(void)
{
	struct thread *td = curthread();
	bool must_move = !(sched_affinity(td) & CPUMASK(curcpu_id()));
	cpumask_t kick = 0;

	spin_lock(&sched_lock);
	td->td_need_resched = false;
	if (must_move || runq_first_for(curcpu_id()) != NULL) {
		kick = sched_add(td);	/* an idle hart may take us meanwhile */
		sched_switch();
	}
	sched_unlock();
	cpu_send_ipi(kick);
}

/*
 * Make td runnable.  sched_lock held.  Returns an idle hart td may run on
 * (as a mask, 0 if none) that the caller must kick with cpu_send_ipi() once it has
 * dropped sched_lock; that hart leaves the idle mask now, so one wakeup
 * never sends two harts after one thread.
 */
static cpumask_t
sched_add(struct thread *td)
{
	cpumask_t may = idle_harts & sched_affinity(td);
	cpumask_t kick = may & -may;	/* the lowest such hart */

	td->td_state = TDS_RUNNABLE;
	list_insert_tail(&runq, &td->td_link);
	idle_harts &= ~kick;
	return kick;
}


/*
 * A sleep ends for td's pending signal: EINTR, with TDA_SIG set, so that
 * the way back to user mode delivers it even if the signal was aimed at
 * another thread of td's process (a fault that gave up waiting for
 * memory would otherwise fault again at once, and again).
 */
static int
sleep_eintr(struct thread *td)
{
	thread_ast(td, TDA_SIG);
	return EINTR;
}

/*
 * Sleep on chan until wakeup(chan) or, if timo_ticks is not 0, until that
 * many ticks have passed.  interlock (may be NULL) is held on entry,
 * released while asleep and re-taken before return.  Returns 0 if woken,
 * EAGAIN if the time ran out.
 */
static int
sleep_common(const void *chan, struct spinlock *interlock, const char *wmesg,
    uint64_t timo_ticks, bool interruptible)
{
	struct thread *td = curthread();
	bool timed_out;

	KASSERT(td != curpcpu()->pc_idlethread, "the idle thread cannot sleep");
	spin_lock(&sched_lock);
	if (interlock != NULL)
		spin_unlock(interlock);
	if (interruptible && signal_pending(td)) {
		spin_unlock(&sched_lock);
		if (interlock != NULL)
			spin_lock(interlock);
		return sleep_eintr(td);
	}
	td->td_interruptible = interruptible;
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_state = TDS_SLEEPING;
	td->td_sleep_tick = ticks;
	td->td_timed_out = false;
	list_insert_tail(sleepq_of(chan), &td->td_link);
	if (timo_ticks != 0) {
		td->td_wakeup_tick = ticks + timo_ticks;
		list_insert_tail(&timed_sleepers, &td->td_timed);
	}
	sched_switch();
	td->td_wchan = NULL;
	td->td_wmesg = NULL;
	td->td_interruptible = false;
	timed_out = td->td_timed_out;
	sched_unlock();
	if (interlock != NULL)
		spin_lock(interlock);
	if (interruptible && signal_pending(td))
		return sleep_eintr(td);
	return timed_out ? EAGAIN : 0;
}

int
tsleep_timo(const void *chan, struct spinlock *interlock, const char *wmesg,
    uint64_t timo_ticks)
{
	return sleep_common(chan, interlock, wmesg, timo_ticks, false);
}

/*
 * Like tsleep_timo, but a signal for the thread's process ends the sleep:
 * returns EINTR then (also if one was already pending), EAGAIN on timeout,
 * 0 when woken.
 */
int
tsleep_sig(const void *chan, struct spinlock *interlock, const char *wmesg,
    uint64_t timo_ticks)
{
	return sleep_common(chan, interlock, wmesg, timo_ticks, true);
}

/*
 * A signal arrived for td: end its sleep if the sleep allows that; if td
 * runs on another hart, interrupt that hart so that td sees the signal
 * on its way back to user mode rather than at its next tick.
 */
void
thread_interrupt(struct thread *td)
{
	cpumask_t kick = 0;

	thread_ast(td, TDA_SIG);
	spin_lock(&sched_lock);
	if (td->td_state == TDS_SLEEPING && td->td_interruptible)
		kick = sleep_end(td);
	else if (td->td_state == TDS_RUNNING && td->td_oncpu != curcpu_id())
		kick = CPUMASK(td->td_oncpu);
	spin_unlock(&sched_lock);
	cpu_send_ipi(kick);
}

void
tsleep(const void *chan, struct spinlock *interlock, const char *wmesg)
{
	tsleep_timo(chan, interlock, wmesg, 0);
}

/*
 * td's affinity changed: if it is running on a hart the new mask leaves
 * out, ask it to give that hart up (on its way back to user mode it
 * yields, and sched_yield moves it).  Returns the hart it still runs on,
 * as a mask the caller interrupts with cpu_send_ipi() (if it asked), or
 * 0 once td runs nowhere it may not.  proc_lock held, so td stays; td is
 * not the calling thread.
 */
uint64_t
sched_move_off(struct thread *td)
{
	cpumask_t on = 0;

	spin_lock(&sched_lock);
	if (td->td_state == TDS_RUNNING &&
	    !(sched_affinity(td) & CPUMASK(td->td_oncpu))) {
		sched_ask_resched(td);
		on = CPUMASK(td->td_oncpu);
	}
	spin_unlock(&sched_lock);
	return on;
}

/*
 * Take a sleeping td off its queues and make it runnable.  sched_lock
 * held.  Returns the hart to kick, as sched_add().
 */
static cpumask_t
sleep_end(struct thread *td)
{
	list_remove(&td->td_link);
	if (td->td_wakeup_tick != 0) {
		list_remove(&td->td_timed);
		td->td_wakeup_tick = 0;
	}
	return sched_add(td);
}

/* Make every thread sleeping on chan runnable. */
void
wakeup(const void *chan)
{
	struct list *q = sleepq_of(chan), *l, *next;
	cpumask_t kick = 0;

	spin_lock(&sched_lock);
	for (l = q->next; l != q; l = next) {
		struct thread *td = container_of(l, struct thread, td_link);

		next = l->next;
		if (td->td_wchan == chan)
			kick |= sleep_end(td);
	}
	spin_unlock(&sched_lock);
	cpu_send_ipi(kick);
}

/*
 * From each hart's tick: ask the running thread to yield if others are
 * waiting (user threads do so on their way back to user mode).  The boot
 * hart, which counts the ticks, also wakes timed sleepers whose time has
 * come.
 */
/*
 * The load average as Linux computes it: every LOAD_FREQ ticks the
 * number of threads running, runnable or in an uninterruptible sleep
 * (user threads only: kernel threads wait for work that way) is folded
 * into three exponentially decaying averages, of 1, 5 and 15 minutes,
 * in fixed point with FSHIFT fraction bits; the factors are Linux's
 * (1/exp(5 s/1 min), ...).  (s)
 */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
#define LOAD_FREQ	(5 * HZ + 1)
static const uint64_t load_exp[3] = { 1884, 2014, 2037 };
static uint64_t avenrun[3];
static int nr_running, nr_blocked;	/* (s) at the last sample */

static bool
is_idle_thread(const struct thread *td)
{
	for (int i = 0; i < mp_ncpus; i++)
		if (pcpu[i].pc_idlethread == td)
			return true;
	return false;
}

/* Count the threads that make the load.  sched_lock held. */
static void
load_count(void)
{
	int running = 0, blocked = 0;

	for (struct list *l = allthreads.next; l != &allthreads; l = l->next) {
		struct thread *td = container_of(l, struct thread, td_all);
		if ((td->td_state == TDS_RUNNING || td->td_state == TDS_RUNNABLE) &&
		    !is_idle_thread(td))
			running++;
		else if (td->td_state == TDS_SLEEPING && !td->td_interruptible &&
		    td->td_proc != NULL)
			blocked++;
	}
	nr_running = running;
	nr_blocked = blocked;
}

/* Fold the current load into avenrun.  sched_lock held, boot hart. */
static void
load_sample(void)
{
	uint64_t n;

	load_count();
	n = (uint64_t)(nr_running + nr_blocked) * FIXED_1;
	for (int i = 0; i < 3; i++)
		avenrun[i] = (avenrun[i] * load_exp[i] +
		    n * (FIXED_1 - load_exp[i]) + FIXED_1 / 2) >> FSHIFT;
}

/*
 * The load averages in hundredths (avg[i] = 100 * load), the threads
 * running or runnable now and those blocked in the kernel now.
 */
void
sched_loadavg(uint64_t avg[3], int *running, int *blocked)
{
	spin_lock(&sched_lock);
	for (int i = 0; i < 3; i++)
		avg[i] = (avenrun[i] * 100 + FIXED_1 / 2) >> FSHIFT;
	load_count();
	*running = nr_running;
	*blocked = nr_blocked;
	spin_unlock(&sched_lock);
}

/*
 * The scheduler's part of a tick on this hart, n periods' worth (see
 * hardclock): wake the timed sleepers due and, every LOAD_FREQ ticks,
 * sample the load (on the boot hart, which advances `ticks`); ask the
 * running thread to yield if another waits for this hart.
 */
void
sched_clock(uint64_t n)
{
	struct list *l, *next;
	struct thread *cur = curthread();
	cpumask_t kick = 0;

	spin_lock(&sched_lock);
	for (l = timed_sleepers.next;
	    curcpu_id() == 0 && l != &timed_sleepers; l = next) {
		struct thread *td = container_of(l, struct thread, td_timed);

		next = l->next;
		if (td->td_wakeup_tick <= ticks) {
			td->td_timed_out = true;
			kick |= sleep_end(td);
		}
	}
	if (curcpu_id() == 0 && (n >= LOAD_FREQ || ticks % LOAD_FREQ < n))
		load_sample();
	if (cur != NULL && cur != curpcpu()->pc_idlethread &&
	    runq_first_for(curcpu_id()) != NULL)
		sched_ask_resched(cur);
	spin_unlock(&sched_lock);
	cpu_send_ipi(kick);
}

/*
 * A zeroed thread but for td_siginfo (2.6 KiB of a 3.3 KiB struct): as
 * p_siginfo, an entry is written before its signal's pending bit is set
 * and read only while the bit is set (kern_sigqueue.c).
 */
static struct thread *
thread_zalloc(void)
{
	struct thread *td = kmalloc(sizeof(*td), 0);
	char *rest;

	if (td == NULL)
		return NULL;
	rest = (char *)(td->td_siginfo + nitems(td->td_siginfo));
	memset(td, 0, offsetof(struct thread, td_siginfo));
	memset(rest, 0, sizeof(*td) - (size_t)(rest - (char *)td));
	return td;
}

static struct thread *
thread_alloc(const char *name)
{
	static int next_tid = 1;
	struct thread *td = thread_zalloc();

	if (td == NULL)
		return NULL;
	kstrlcpy(td->td_name, name, sizeof(td->td_name));
	spin_lock(&sched_lock);
	td->td_tid = next_tid++;
	td->td_fpcpu = -1;
	list_insert_tail(&allthreads, &td->td_all);
	__atomic_add_fetch(&nthreads, 1, __ATOMIC_RELAXED);
	spin_unlock(&sched_lock);
	return td;
}

void cpu_thread_init(struct thread *td, void (*fn)(void *), void *arg);

/*
 * A new kernel thread running fn(arg), queued to run.  Returns NULL if
 * memory is exhausted.  The thread ends by returning from fn or by
 * calling thread_exit().
 */
struct thread *
thread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *td = thread_create_suspended(name, fn, arg);

	if (td != NULL)
		thread_start_suspended(td);
	return td;
}

/* Queue a thread made by thread_create_suspended. */
void
thread_start_suspended(struct thread *td)
{
	cpumask_t kick;

	spin_lock(&sched_lock);
	kick = sched_add(td);
	spin_unlock(&sched_lock);
	cpu_send_ipi(kick);
}

/* Free a thread made by thread_create_suspended that never ran. */
void
thread_destroy_suspended(struct thread *td)
{
	spin_lock(&sched_lock);
	list_remove(&td->td_all);
	spin_unlock(&sched_lock);
	__atomic_sub_fetch(&nthreads, 1, __ATOMIC_RELAXED);
	if (td->td_kstack != 0)
		kstack_free_stack(td->td_kstack);
	kfree(td);
}

/* Like thread_create, but the thread does not run until started. */
struct thread *
thread_create_suspended(const char *name, void (*fn)(void *), void *arg)
{
	struct thread *td = thread_alloc(name);

	if (td == NULL)
		return NULL;
	td->td_kstack = kstack_alloc();
	if (td->td_kstack == 0) {
		thread_destroy_suspended(td);
		return NULL;
	}
	td->td_fn = fn;
	td->td_arg = arg;
	td->td_intr_saved = SSTATUS_SIE;	/* interrupts on once it runs */
	cpu_thread_init(td, fn, arg);
	return td;
}

/* End the calling thread.  Its stack is freed by the next thread to run. */
void
thread_exit(void)
{
	struct thread *td = curthread();

	spin_lock(&sched_lock);
	td->td_state = TDS_DEAD;
	list_remove(&td->td_all);
	curpcpu()->pc_deadthread = td;
	if (curpcpu()->pc_fpowner == td)
		curpcpu()->pc_fpowner = NULL;
	sched_switch();
	panic("thread_exit: dead thread %s ran again", td->td_name);
}

/*
 * Free the struct of a process's thread that called thread_exit().  Its
 * process may be reaped (and td freed) as soon as it is a zombie, while
 * td is still on its way off a hart elsewhere: wait for that, briefly.
 */
void
thread_reap(struct thread *td)
{
	while (__atomic_load_n(&td->td_state, __ATOMIC_ACQUIRE) != TDS_GONE)
		sched_yield();
	kfree(td);
}

int
thread_count(void)
{
	return __atomic_load_n(&nthreads, __ATOMIC_RELAXED);
}

/*
 * Switch from the idle thread to a runnable thread, if there is one.
 * Returns when nothing is runnable (at once, or when this hart is idle
 * again).  The idle thread is never on the run queue: sched_switch
 * falls back to it.
 */
static void
sched_idle_switch(void)
{
	spin_lock(&sched_lock);
	if (runq_first_for(curcpu_id()) != NULL) {
		curthread()->td_state = TDS_RUNNABLE;
		sched_switch();
	}
	sched_unlock();
}

/*
 * This hart's wait begins (begin) or ends: the wait's start is kept in
 * pc_idle_since (uptime; never 0, the firmware ran before us) and, when it
 * ends, its length is added to pc_idle_ns.  The idle thread is their one
 * writer; pc_idle_seq is odd while they change, so that sched_idle_ns
 * never sees a wait both finished and in progress, or neither.  The clock
 * is read inside the odd stretch: a reader that saw the wait in progress
 * read its clock before this end, so the sum it made is never more than
 * the next reader's (kern.idle_ns only grows).
 */
static void
idle_mark(struct pcpu *pc, bool begin)
{
	uint32_t seq = pc->pc_idle_seq;
	uint64_t now;

	__atomic_store_n(&pc->pc_idle_seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	now = clock_uptime_ns();
	if (pc->pc_idle_since != 0)
		__atomic_store_n(&pc->pc_idle_ns,
		    pc->pc_idle_ns + now - pc->pc_idle_since, __ATOMIC_RELAXED);
	__atomic_store_n(&pc->pc_idle_since, begin ? now : 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pc->pc_idle_seq, seq + 2, __ATOMIC_RELEASE);
}

/*
 * The idle thread's body, on every hart: wait for an interrupt whenever
 * nothing can run.  The hart enters the idle mask under sched_lock with
 * interrupts off before its wfi, so a thread queued after the check finds
 * it there and kicks it: the IPI is then pending and wfi returns at once.
 * The wait is timed (kern.idle_ns): with interrupts off the handler runs
 * only after it ends, so only the wait itself counts.
 */
void
sched_idle(void)
{
	struct pcpu *pc = curpcpu();
	cpumask_t me = CPUMASK(pc->pc_cpuid);

	for (;;) {
		bool wait;

		intr_disable();
		spin_lock(&sched_lock);
		wait = runq_first_for(pc->pc_cpuid) == NULL;
		if (wait)
			idle_harts |= me;
		spin_unlock(&sched_lock);	/* interrupts stay off */
		if (wait) {
			idle_mark(pc, true);
			wfi();		/* wakes on a pending interrupt */
			idle_mark(pc, false);
			spin_lock(&sched_lock);
			idle_harts &= ~me;
			spin_unlock(&sched_lock);
		}
		intr_enable();		/* the interrupt that woke us runs */
		sched_idle_switch();
	}
}

static void
idle_loop(void *arg)
{
	sched_idle();
}

/*
 * The harts' idle time summed, in nanoseconds, up to now: a wait still in
 * progress counts up to the moment it is read.  (Counting a wait only
 * when it ended made two readings differ by waits that had begun before
 * the first: up to a tick per hart more idle time than passed between
 * them.)  Under QEMU's -icount the guest clock counts one nanosecond per
 * instruction while a hart runs, so uptime minus this is the
 * instructions executed (make swapbench).
 */
uint64_t
sched_idle_ns(void)
{
	uint64_t sum = 0;

	for (int i = 0; i < mp_ncpus; i++) {
		struct pcpu *pc = &pcpu[i];
		uint64_t done, since, now;
		uint32_t seq;

		/* The writer's change is a few instructions, interrupts off. */
		do {
			seq = __atomic_load_n(&pc->pc_idle_seq, __ATOMIC_ACQUIRE);
			done = __atomic_load_n(&pc->pc_idle_ns, __ATOMIC_RELAXED);
			since = __atomic_load_n(&pc->pc_idle_since,
			    __ATOMIC_RELAXED);
			now = clock_uptime_ns();
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
		} while ((seq & 1) != 0 ||
		    __atomic_load_n(&pc->pc_idle_seq, __ATOMIC_RELAXED) != seq);
		sum += done + (since != 0 && now > since ? now - since : 0);
	}
	return sum;
}

static int64_t
sysctl_idle_ns(const struct sysctl_node *node, struct sysctl_req *req)
{
	uint64_t sum = sched_idle_ns();

	return sysctl_out(req, &sum, sizeof(sum));
}

SYSCTL_PROC(kern_idle_ns, "kern.idle_ns", CTLTYPE_U64, CTLFLAG_RD,
    sysctl_idle_ns, 0, "nanoseconds the harts spent idle, summed");

/*
 * Give secondary hart pc its idle thread, which the hart starts as: it
 * runs sched_idle() on the thread's stack (pc_boot_sp) from mp_main.
 * Returns 0, or ENOMEM.
 */
int
sched_init_cpu(struct pcpu *pc)
{
	char name[TD_NAME_MAX];
	struct thread *idle;

	ksnprintf(name, sizeof(name), "idle%d", pc->pc_cpuid);
	idle = thread_alloc(name);
	if (idle == NULL)
		return ENOMEM;
	idle->td_kstack = kstack_alloc();
	if (idle->td_kstack == 0) {
		spin_lock(&sched_lock);
		list_remove(&idle->td_all);
		__atomic_sub_fetch(&nthreads, 1, __ATOMIC_RELAXED);
		spin_unlock(&sched_lock);
		kfree(idle);
		return ENOMEM;
	}
	idle->td_state = TDS_RUNNING;
	idle->td_oncpu = pc->pc_cpuid;
	idle->td_ranmask = CPUMASK(pc->pc_cpuid);	/* a fresh TLB there */
	((struct kstack_hdr *)(thread_stack_top(idle) -
	    sizeof(struct kstack_hdr)))->kh_pcpu = pc;
	pc->pc_boot_sp = thread_stack_top(idle) - sizeof(struct kstack_hdr);
	pc->pc_idlethread = idle;
	pc->pc_curthread = idle;
	return 0;
}

/*
 * Turn the boot code into thread 0 (running on the boot stack) and give
 * the boot hart its idle thread.
 */
void
thread_init_boot(void)
{
	extern char boot_stack[];
	struct pcpu *pc = curpcpu();
	struct thread *td0, *idle;

	for (int i = 0; i < SLEEPQ_HASH; i++)
		list_init(&sleepq[i]);
	td0 = thread_alloc("kmain");
	if (td0 == NULL)
		panic("thread_init_boot: no memory for thread 0");
	td0->td_kstack = (vaddr_t)boot_stack;
	td0->td_frame = (struct trapframe *)(thread_stack_top(td0) -
	    sizeof(struct kstack_hdr) - TF_SIZE);
	td0->td_state = TDS_RUNNING;
	pc->pc_curthread = td0;
	idle = thread_alloc("idle0");
	if (idle == NULL)
		panic("thread_init_boot: no memory for the idle thread");
	idle->td_kstack = kstack_alloc();
	if (idle->td_kstack == 0)
		panic("thread_init_boot: no memory for the idle stack");
	idle->td_intr_saved = SSTATUS_SIE;
	cpu_thread_init(idle, idle_loop, NULL);
	pc->pc_idlethread = idle;
}
