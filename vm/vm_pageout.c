/*
 * The page daemon: keeps enough pages free by taking them from objects.
 *
 * Pages that belong to objects sit on two queues, oldest first: active
 * (in use) and inactive (candidates).  The daemon sleeps until free pages
 * fall below v_free_min (an allocation wakes it), then runs passes until
 * v_free_target pages are free:
 *
 *   inactive scan   a page referenced since it was last looked at (the
 *                   pmap's A bit, gathered through the pv lists, or
 *                   PGA_REFERENCED) goes back to the active queue; an
 *                   unreferenced clean page is unmapped and freed (a file
 *                   page is read again through its pager when needed); a
 *                   dirty file page is written back through its pager
 *                   (laundered) and then freed; a dirty anonymous page
 *                   is written to swap, with the following pages of its
 *                   object that are also inactive and dirty, in one I/O
 *                   (swap_pager.c), and freed.  Without swap space an
 *                   anonymous page has nowhere to go and stays.
 *   active scan     refills the inactive queue to v_inactive_target: an
 *                   unreferenced page is deactivated, a referenced one has
 *                   its reference cleared and stays (the clock algorithm
 *                   over a FIFO, as in FreeBSD and Mach).
 *
 * Threads that need a page and find none sleep in vm_wait() and are woken
 * as pages come free.  If passes in a row free nothing while someone
 * waits (vm.pageout_oom_seq of them, about 10 ms apart), memory is truly
 * exhausted and vm_oom_kill() ends the largest process.
 *
 * Locking: the daemon holds one object lock at a time, won by try-lock
 * from the queue scan (vm_page_scan_take), and no map lock ever.  A dirty
 * file page is written with its object locked and the page busy, as
 * msync does (the vnode pager's contract; the object is not referenced,
 * and a cached vnode could otherwise be reclaimed under the write).
 */
#include "vm/vm_pageout.h"
#include "kern/sysctl.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

struct vm_pageout_tunables vm_pageout_tunables = {
	.oom_seq = 12,
};

SYSCTL_INT_RANGE(vm_pageout_oom_seq, "vm.pageout_oom_seq",
    &vm_pageout_tunables.oom_seq, 1, 1000,
    "passes that free nothing, while memory is awaited, before an OOM kill");

static struct spinlock vm_pageout_lock = SPINLOCK_INIT("vm_pageout");
static bool vm_pageout_wanted;		/* (p) a wakeup is pending */
static int vm_pageout_waiters;		/* (atomic) threads in vm_wait */

/* Ask the daemon for a pass.  Any context that may take a spin lock. */
void
pagedaemon_wakeup(void)
{
	if (__atomic_load_n(&vm_pageout_wanted, __ATOMIC_RELAXED))
		return;
	spin_lock(&vm_pageout_lock);
	if (!vm_pageout_wanted) {
		vm_pageout_wanted = true;
		wakeup(&vm_pageout_wanted);
	}
	spin_unlock(&vm_pageout_lock);
}

/* A thread starts or stops waiting for memory (vm_wait). */
void
pagedaemon_wait_begin(void)
{
	__atomic_add_fetch(&vm_pageout_waiters, 1, __ATOMIC_RELAXED);
	pagedaemon_wakeup();
}

void
pagedaemon_wait_end(void)
{
	__atomic_sub_fetch(&vm_pageout_waiters, 1, __ATOMIC_RELAXED);
}

/*
 * Was m used since the daemon last looked?  Clears the evidence, so the
 * next look asks about the time from now on.  Object locked.
 */
static bool
page_test_and_clear_referenced(struct vm_page *m)
{
	bool referenced = vm_page_aflag_test(m, PGA_REFERENCED);

	vm_page_aflag_clear(m, PGA_REFERENCED);
	if (pmap_is_referenced(m)) {
		pmap_clear_reference(m);
		referenced = true;
	}
	return referenced;
}

/*
 * May m be freed without writing it?  A file page that is not dirty; an
 * anonymous page that is not dirty and whose swap slot holds its data
 * (every other anonymous page holds the only copy).  Object locked.
 */
static bool
page_is_clean(struct vm_object *object, const struct vm_page *m)
{
	if (vm_page_aflag_test(m, PGA_DIRTY))
		return false;
	return object->type != OBJT_ANON || swap_pager_haspage(object, m->pindex);
}

/*
 * Can the daemon make m free at all?  A file page can always be read
 * again (after being written back if dirty); an anonymous page only if a
 * clean copy is on swap already, or swap has room for one.
 */
static bool
page_is_reclaimable(struct vm_object *object, const struct vm_page *m)
{
	if (object->type == OBJT_VNODE)
		return object->pager != NULL && object->pager->putpages != NULL;
	return swap_pager_avail() || page_is_clean(object, m);
}

/* Write dirty file page m back through its pager, the object locked. */
static bool
launder_file_page(struct vm_object *object, struct vm_page *m)
{
	int rv;

	vm_page_busy(m);
	rv = object->pager->putpages(object, &m, 1);
	if (rv == KERN_SUCCESS)
		vm_page_aflag_clear(m, PGA_DIRTY);
	vm_page_wakeup(m);
	return rv == KERN_SUCCESS;
}

/*
 * May neighbour m join a swap cluster?  An inactive, idle, unreferenced
 * page that needs writing.  Takes its mappings away (so its dirty bits
 * are final).  Object locked.
 */
static bool
cluster_candidate(struct vm_object *object, struct vm_page *m)
{
	if (m == NULL || m->queue != PQ_INACTIVE || (m->flags & PG_BUSY) ||
	    m->hold_count != 0 || m->wire_count != 0 ||
	    vm_page_aflag_test(m, PGA_REFERENCED) || pmap_is_referenced(m))
		return false;
	pmap_page_protect(m, VM_PROT_NONE);
	return !page_is_clean(object, m);
}

/*
 * Write anonymous page m, and the following pages of its object that can
 * go with it, to swap in one I/O, then free those that are still idle.
 * m is unmapped and needs writing.  Object locked on entry and return
 * (unlocked during the write); the reference that keeps it alive
 * meanwhile is the caller's to drop, after unlocking (*referenced).
 * Returns the pages freed.
 */
static uint64_t
launder_anon_cluster(struct vm_object *object, struct vm_page *m,
    bool *referenced)
{
	struct vm_page *ma[SWAP_CLUSTER];
	uint64_t freed = 0;
	int n = 1, out;

	ma[0] = m;
	for (; n < SWAP_CLUSTER; n++) {
		ma[n] = vm_page_lookup(object, m->pindex + n);
		if (!cluster_candidate(object, ma[n]))
			break;
	}
	for (int i = 0; i < n; i++)
		vm_page_busy(ma[i]);
	vm_object_reference_locked(object);
	*referenced = true;
	out = swap_pager_pageout(object, ma, n);
	for (int i = 0; i < n; i++) {
		vm_page_wakeup(ma[i]);
		/* Mapped again, held or dirtied while it was written: keep it. */
		if (i < out && ma[i]->hold_count == 0 && !(ma[i]->flags & PG_BUSY) &&
		    page_is_clean(object, ma[i]) && pmap_page_mapcount(ma[i]) == 0) {
			vm_page_free(ma[i]);
			freed++;
		}
	}
	return freed;
}

/*
 * Look at inactive page m (object locked on entry, unlocked on return):
 * reactivate it, free it, or leave it.  Returns the pages freed (a swap
 * cluster may free several).
 */
static uint64_t
pageout_inactive_page(struct vm_page *m)
{
	struct vm_object *object = m->object;
	bool referenced = false;
	uint64_t freed = 0;

	VM_CNT_INC(v_pdpages);
	if ((m->flags & PG_BUSY) || m->hold_count != 0 || m->wire_count != 0)
		goto out;
	if (page_test_and_clear_referenced(m) ||
	    !page_is_reclaimable(object, m)) {
		vm_page_activate(m);
		VM_CNT_INC(v_reactivated);
		goto out;
	}
	/* Taking the mappings away hands their dirty bits to the page. */
	pmap_page_protect(m, VM_PROT_NONE);
	if (!page_is_clean(object, m)) {
		if (object->type == OBJT_ANON) {
			freed = launder_anon_cluster(object, m, &referenced);
			goto out;
		}
		if (!launder_file_page(object, m))
			goto out;
	}
	if (m->hold_count == 0 && !(m->flags & PG_BUSY) &&
	    page_is_clean(object, m)) {
		vm_page_free(m);
		freed = 1;
	}
out:
	vm_object_unlock(object);
	if (referenced)
		vm_object_deallocate(object);
	VM_CNT_ADD(v_dfree, freed);
	return freed;
}

/*
 * Look at active page m (object locked on entry, unlocked on return).
 * Returns 1 if it was deactivated.
 */
static uint64_t
pageout_active_page(struct vm_page *m)
{
	struct vm_object *object = m->object;
	uint64_t deactivated = 0;

	VM_CNT_INC(v_pdpages);
	if (m->wire_count == 0 && !page_test_and_clear_referenced(m)) {
		vm_page_deactivate(m);
		deactivated = 1;
	}
	vm_object_unlock(object);
	return deactivated;
}

/*
 * Visit up to `limit` pages of queue, oldest first, until fn has dealt
 * with `want` pages (freed or deactivated them; fn says how many).
 * Returns how many it did.
 */
static uint64_t
scan_queue(uint8_t queue, uint64_t limit, uint64_t want,
    uint64_t (*fn)(struct vm_page *m))
{
	uint64_t done = 0;

	for (uint64_t i = 0; i < limit && done < want; i++) {
		struct vm_page *m;
		int rv = vm_page_scan_take(queue, &m);

		if (rv == VM_SCAN_EMPTY)
			break;
		if (rv == VM_SCAN_PAGE)
			done += fn(m);
	}
	return done;
}

static uint64_t
deficit(uint64_t target, uint64_t have)
{
	return have < target ? target - have : 0;
}

/*
 * One pass: free pages from the inactive queue up to the free target,
 * then refill the inactive queue from the active one.  Returns the pages
 * freed.  No lock held.  (The host tests call it directly, as if the
 * daemon ran.)
 */
uint64_t
vm_pageout_pass(void)
{
	const struct vm_page_thresholds *t = &vm_page_thresholds;
	uint64_t shortage = deficit(t->v_free_target, vm_page_free_count());
	uint64_t freed = 0, inactive = vm_page_stats.v_inactive_count;

	if (shortage > 0)
		freed = scan_queue(PQ_INACTIVE, inactive, shortage,
		    pageout_inactive_page);
	inactive = vm_page_stats.v_inactive_count;
	if (inactive < t->v_inactive_target || freed < shortage)
		scan_queue(PQ_ACTIVE, vm_page_stats.v_active_count,
		    deficit(t->v_inactive_target, inactive) + shortage - freed,
		    pageout_active_page);
	return freed;
}

/* Sleep until woken or a second passes (the daemon's idle state). */
static void
pagedaemon_sleep(uint64_t ticks)
{
	spin_lock(&vm_pageout_lock);
	if (!vm_pageout_wanted)
		tsleep_timo(&vm_pageout_wanted, &vm_pageout_lock, "pgdaemon",
		    ticks);
	vm_pageout_wanted = false;
	spin_unlock(&vm_pageout_lock);
}

/*
 * The daemon's thread.  Passes run back to back while they make progress
 * toward the target; a pass that frees nothing is followed by a tick's
 * rest, and oom_seq such passes while threads wait for memory end in an
 * out-of-memory kill.  With nothing to free and nobody waiting it sleeps
 * until an allocation asks again.
 */
void
vm_pageout_daemon(void *arg)
{
	int futile = 0;

	(void)arg;
	for (;;) {
		uint64_t freed;

		if (vm_page_free_count() >= vm_page_thresholds.v_free_min) {
			pagedaemon_sleep(VM_WAIT_TICKS);
			if (vm_page_free_count() >= vm_page_thresholds.v_free_min)
				continue;
		}
		VM_CNT_INC(v_pdwakeups);
		freed = vm_pageout_pass();
		vm_page_wakeup_free_waiters();
		if (freed > 0) {
			futile = 0;
			continue;
		}
		if (!vm_page_count_min() ||
		    __atomic_load_n(&vm_pageout_waiters, __ATOMIC_RELAXED) == 0) {
			/* Nothing to free and nobody stuck: wait for news. */
			futile = 0;
			pagedaemon_sleep(VM_WAIT_TICKS);
			continue;
		}
		if (++futile >= vm_pageout_tunables.oom_seq) {
			futile = 0;
			VM_CNT_INC(v_pdshortfalls);
			vm_oom_kill();
		}
		tsleep_timo(&futile, NULL, "pgrest", 1);
	}
}
