/*
 * The scheduler, sleep and wakeup.
 *
 * One run queue, round robin.  The kernel is not preemptive: a thread in
 * the kernel runs until it sleeps, yields or exits (user threads will also
 * be preempted on their way back to user mode).  Each hart has an idle
 * thread that waits for interrupts when nothing is runnable.
 *
 * Sleepers wait on a channel (any address) in a hash of sleep queues.
 * tsleep() takes sched_lock before dropping the caller's interlock, and
 * wakeup() takes sched_lock, so a wakeup between the caller's check and
 * its sleep cannot be lost.
 *
 * Locking: sched_lock (a spin lock) protects the run queue, the sleep
 * queues, every thread's state and the list of all threads.  It is held
 * across cpu_switch(): the thread switched to releases it.
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
#include "machine/pcb.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"

#define SLEEPQ_HASH	64

void kstack_free_stack(vaddr_t base);

static struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct list runq = LIST_HEAD_INIT(runq);
static struct list sleepq[SLEEPQ_HASH];
static struct list allthreads = LIST_HEAD_INIT(allthreads);
static struct list timed_sleepers = LIST_HEAD_INIT(timed_sleepers);
static int nthreads;

static struct list *
sleepq_of(const void *chan)
{
	return &sleepq[((uintptr_t)chan >> 4) % SLEEPQ_HASH];
}

/* After a switch: restore this thread's per-hart state, free the dead. */
static void
sched_switch_done(struct thread *td)
{
	struct pcpu *pc = curpcpu();
	struct thread *dead = pc->pc_deadthread;

	pc->pc_onfault = td->td_onfault;
	pc->pc_intr_saved = td->td_intr_saved;
	((struct kstack_hdr *)(thread_stack_top(td) -
	    sizeof(struct kstack_hdr)))->kh_pcpu = pc;
	if (td->td_proc != NULL && td->td_proc->p_vmspace != NULL &&
	    td->td_proc->p_vmspace != pc->pc_curvm)
		vmspace_activate(td->td_proc->p_vmspace);
	td->td_switches++;
	if (dead != NULL) {
		pc->pc_deadthread = NULL;
		kstack_free_stack(dead->td_kstack);
		kfree(dead);
	}
}

/*
 * Give the hart to the next runnable thread (the idle thread if none).
 * The caller holds sched_lock and nothing else, and has already set its
 * own state (and queued itself if it stays runnable).  Returns, with
 * sched_lock held, when this thread is switched back in.
 */
static void
sched_switch(void)
{
	struct pcpu *pc = curpcpu();
	struct thread *old = pc->pc_curthread, *new;
	struct list *l;

	KASSERT(spin_owned(&sched_lock) && pc->pc_intr_depth == 1,
	    "%s: must hold only sched_lock", old->td_name);
	l = list_first(&runq);
	if (l != NULL) {
		new = container_of(l, struct thread, td_link);
		list_remove(l);
	} else {
		new = pc->pc_idlethread;
	}
	new->td_state = TDS_RUNNING;
	if (new == old)
		return;
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
	spin_unlock(&sched_lock);
	fn(arg);
	thread_exit();
}

/* Let other runnable threads run; returns when it is our turn again. */
void
sched_yield(void)
{
	struct thread *td = curthread();

	spin_lock(&sched_lock);
	td->td_need_resched = false;
	if (!list_empty(&runq)) {
		td->td_state = TDS_RUNNABLE;
		list_insert_tail(&runq, &td->td_link);
		sched_switch();
	}
	spin_unlock(&sched_lock);
}

/* Make td runnable.  sched_lock held. */
static void
sched_add(struct thread *td)
{
	td->td_state = TDS_RUNNABLE;
	list_insert_tail(&runq, &td->td_link);
}

static void sleep_end(struct thread *td);

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
		return EINTR;
	}
	td->td_interruptible = interruptible;
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_state = TDS_SLEEPING;
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
	spin_unlock(&sched_lock);
	if (interlock != NULL)
		spin_lock(interlock);
	if (interruptible && signal_pending(td))
		return EINTR;
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

/* A signal arrived for td: end its sleep if the sleep allows that. */
void
thread_interrupt(struct thread *td)
{
	spin_lock(&sched_lock);
	if (td->td_state == TDS_SLEEPING && td->td_interruptible)
		sleep_end(td);
	spin_unlock(&sched_lock);
}

void
tsleep(const void *chan, struct spinlock *interlock, const char *wmesg)
{
	tsleep_timo(chan, interlock, wmesg, 0);
}

/* Take a sleeping td off its queues and make it runnable.  sched_lock held. */
static void
sleep_end(struct thread *td)
{
	list_remove(&td->td_link);
	if (td->td_wakeup_tick != 0) {
		list_remove(&td->td_timed);
		td->td_wakeup_tick = 0;
	}
	sched_add(td);
}

/* Make every thread sleeping on chan runnable. */
void
wakeup(const void *chan)
{
	struct list *q = sleepq_of(chan), *l, *next;

	spin_lock(&sched_lock);
	for (l = q->next; l != q; l = next) {
		struct thread *td = container_of(l, struct thread, td_link);

		next = l->next;
		if (td->td_wchan == chan)
			sleep_end(td);
	}
	spin_unlock(&sched_lock);
}

/*
 * From the tick: wake timed sleepers whose time has come, and ask the
 * running thread to yield if others are waiting (user threads do so on
 * their way back to user mode).
 */
void
sched_clock(void)
{
	struct list *l, *next;

	spin_lock(&sched_lock);
	for (l = timed_sleepers.next; l != &timed_sleepers; l = next) {
		struct thread *td = container_of(l, struct thread, td_timed);

		next = l->next;
		if (td->td_wakeup_tick <= ticks) {
			td->td_timed_out = true;
			sleep_end(td);
		}
	}
	if (!list_empty(&runq) && curthread() != NULL)
		curthread()->td_need_resched = true;
	spin_unlock(&sched_lock);
}

static struct thread *
thread_alloc(const char *name)
{
	static int next_tid = 1;
	struct thread *td = kmalloc(sizeof(*td), M_ZERO);

	if (td == NULL)
		return NULL;
	kstrlcpy(td->td_name, name, sizeof(td->td_name));
	spin_lock(&sched_lock);
	td->td_tid = next_tid++;
	list_insert_tail(&allthreads, &td->td_all);
	nthreads++;
	spin_unlock(&sched_lock);
	return td;
}

void cpu_thread_init(struct thread *td, void (*fn)(void *), void *arg);
vaddr_t kstack_alloc(void);

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
	spin_lock(&sched_lock);
	sched_add(td);
	spin_unlock(&sched_lock);
}

/* Free a thread made by thread_create_suspended that never ran. */
void
thread_destroy_suspended(struct thread *td)
{
	spin_lock(&sched_lock);
	list_remove(&td->td_all);
	nthreads--;
	spin_unlock(&sched_lock);
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
	nthreads--;
	curpcpu()->pc_deadthread = td;
	if (curpcpu()->pc_fpowner == td)
		curpcpu()->pc_fpowner = NULL;
	sched_switch();
	panic("thread_exit: dead thread %s ran again", td->td_name);
}

int
thread_count(void)
{
	return nthreads;
}

/*
 * The idle thread: wait for an interrupt whenever nothing can run.  The
 * wait is timed (kern.idle_ns): with interrupts off the handler runs
 * only after the second reading, so only the wait itself counts.
 */
static void
idle_loop(void *arg)
{
	struct pcpu *pc = curpcpu();

	for (;;) {
		intr_disable();
		if (list_empty(&runq)) {
			uint64_t t0 = clock_uptime_ns();

			wfi();		/* wakes on a pending interrupt */
			pc->pc_idle_ns += clock_uptime_ns() - t0;
		}
		intr_enable();
		sched_yield();
	}
}

/*
 * The harts' idle time summed, in nanoseconds.  Under QEMU's -icount the
 * guest clock counts one nanosecond per instruction while a hart runs,
 * so uptime minus this is the instructions executed (make swapbench).
 * Each hart's field has one writer (its idle thread); a reader may see
 * a sum one wait behind.
 */
uint64_t
sched_idle_ns(void)
{
	uint64_t sum = 0;

	for (int i = 0; i < mp_ncpus; i++)
		sum += __atomic_load_n(&pcpu[i].pc_idle_ns, __ATOMIC_RELAXED);
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
