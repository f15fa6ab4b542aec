/*
 * Lock-order checking: a small witness (see witness.h for what it
 * checks).  Built only into WITNESS=1 kernels.
 *
 * Classes live in w_class[], found by name (and kind: spin or sleep) the
 * first time a lock is taken and then cached in the lock.  The order
 * graph is three bitmaps per class:
 *   w_edge[a]   b when a -> b was taken directly (its first stack is kept
 *               in w_edges[], while room lasts)
 *   w_reach[a]  b when a path a -> ... -> b exists (closure of w_edge)
 *   w_known[a]  b when taking b under a needs no more work: the order is
 *               recorded, or the pair was reported as a reversal
 * Taking b under a with b not in w_known[a] is the slow path: if a is in
 * w_reach[b] the order reverses a recorded one; else a -> b joins the
 * graph and every class that reaches a now reaches b and what b reaches.
 *
 * Locking: witness_mtx, a bare spin flag (not a struct spinlock: the
 * witness must not check itself), taken with interrupts off, guards the
 * classes, the graph and the kept stacks.  Bits are only ever set, so the
 * fast path reads w_known without it: a stale read only sends it to the
 * slow path, which looks again under the lock.  Nothing is printed with
 * witness_mtx held (the console has a lock of its own).  Held lists are
 * touched only by their owner (a hart's by that hart, a thread's by that
 * thread), with interrupts off.  While a hart is inside the witness
 * (wc_busy), the locks it takes (the console's, to print a report) are
 * not checked or recorded, so the witness never recurses into itself.
 */
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/ksyms.h"
#include "kern/reboot.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "kern/witness.h"
#include "machine/machdep.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"

#define WITNESS_CLASSES	128
#define WORDS		(WITNESS_CLASSES / 64)
#define WITNESS_EDGES	512	/* recorded orders whose stack is kept */
#define WITNESS_DEPTH	12	/* frames kept per stack */
#define WITNESS_PATH	4	/* edges of a reversed path that are printed */

#define WK_SPIN		0
#define WK_SLEEP	1

struct witness {
	const char *w_name;
	int w_kind;			/* WK_* */
	int w_index;			/* in w_class[] and the bitmaps */
	uint64_t w_acquired;		/* acquisitions (atomic) */
	uint64_t w_contended;		/* ... that found it held (atomic) */
};

struct witness_edge {
	uint8_t we_from, we_to;
	int we_depth;
	uint64_t we_stack[WITNESS_DEPTH];
};

/* Per hart, on a cache line of its own. */
struct witness_cpu {
	struct witness_list wc_spin;	/* spin locks held */
	int wc_busy;			/* inside the witness */
	int wc_intr;			/* nesting of interrupt handlers */
} __aligned(64);

static volatile uint32_t witness_mtx;
static struct witness w_class[WITNESS_CLASSES];
static int w_nclasses;
static uint64_t w_edge[WITNESS_CLASSES][WORDS];
static uint64_t w_reach[WITNESS_CLASSES][WORDS];
static uint64_t w_known[WITNESS_CLASSES][WORDS];
static struct witness_edge w_edges[WITNESS_EDGES];
static int w_nedges;
static uint64_t w_reversals;
static bool witness_off;	/* out of classes or held slots: stopped */
static struct witness_cpu w_cpu[MAXCPU];

int witness_panic = 1;

static const char *const kind_name[] = { "spin", "sleep" };

static bool
bit_test(const uint64_t *map, int i)
{
	return (__atomic_load_n(&map[i / 64], __ATOMIC_RELAXED) >>
	    (i % 64)) & 1;
}

static void
bit_set(uint64_t *map, int i)
{
	__atomic_fetch_or(&map[i / 64], 1UL << (i % 64), __ATOMIC_RELAXED);
}

static void
w_lock(void)
{
	while (__atomic_exchange_n(&witness_mtx, 1, __ATOMIC_ACQUIRE) != 0)
		;
}

static void
w_unlock(void)
{
	__atomic_store_n(&witness_mtx, 0, __ATOMIC_RELEASE);
}

/*
 * Enter the witness: interrupts off (previous state in *sie) and this
 * hart marked busy.  NULL (interrupts as they were) when the witness
 * must stay out: it is already running on this hart, it has stopped, or
 * the kernel is panicking.
 */
static struct witness_cpu *
witness_enter(uint64_t *sie)
{
	struct witness_cpu *wc;

	*sie = intr_disable();
	wc = &w_cpu[curcpu_id()];
	if (wc->wc_busy || witness_off || panicking()) {
		intr_restore(*sie);
		return NULL;
	}
	wc->wc_busy = 1;
	return wc;
}

static void
witness_leave(struct witness_cpu *wc, uint64_t sie)
{
	wc->wc_busy = 0;
	intr_restore(sie);
}

/* Called busy: stop checking for good, saying why. */
static void
witness_stop(const char *why, const char *name)
{
	witness_off = true;
	kprintf("witness: %s (\"%s\"): lock-order checking stops\n", why, name);
}

/*
 * The class of the lock whose name and cached class are given, found or
 * made; NULL if the table is full (checking then stops).  Called busy.
 */
static struct witness *
witness_class(struct witness **cache, const char *name, int kind)
{
	struct witness *w = __atomic_load_n(cache, __ATOMIC_ACQUIRE);

	if (w != NULL)
		return w;
	w_lock();
	for (int i = 0; i < w_nclasses && w == NULL; i++)
		if (w_class[i].w_kind == kind && strcmp(w_class[i].w_name, name) == 0)
			w = &w_class[i];
	if (w == NULL && w_nclasses < WITNESS_CLASSES) {
		w = &w_class[w_nclasses];
		w->w_name = name;
		w->w_kind = kind;
		w->w_index = w_nclasses;
		__atomic_store_n(&w_nclasses, w_nclasses + 1, __ATOMIC_RELEASE);
	}
	w_unlock();
	if (w == NULL) {
		witness_stop("more lock classes than the table holds", name);
		return NULL;
	}
	__atomic_store_n(cache, w, __ATOMIC_RELEASE);
	return w;
}

/* The kept stack of from -> to, or NULL.  witness_mtx held. */
static const struct witness_edge *
edge_find(int from, int to)
{
	for (int i = 0; i < w_nedges; i++)
		if (w_edges[i].we_from == from && w_edges[i].we_to == to)
			return &w_edges[i];
	return NULL;
}

/* Add from -> to (not yet there, no reversal) with its stack.  Locked. */
static void
edge_add(int from, int to, const uint64_t *stack, int depth)
{
	bit_set(w_edge[from], to);
	for (int x = 0; x < w_nclasses; x++) {
		if (x != from && !bit_test(w_reach[x], from))
			continue;
		for (int k = 0; k < WORDS; k++)
			__atomic_fetch_or(&w_reach[x][k], w_reach[to][k],
			    __ATOMIC_RELAXED);
		bit_set(w_reach[x], to);
	}
	if (w_nedges < WITNESS_EDGES) {
		struct witness_edge *e = &w_edges[w_nedges++];

		e->we_from = (uint8_t)from;
		e->we_to = (uint8_t)to;
		e->we_depth = depth;
		memcpy(e->we_stack, stack, depth * sizeof(stack[0]));
	}
}

/* A reversal's reverse path, copied out so it can be printed unlocked. */
struct witness_path {
	int len;			/* edges */
	int cls[WITNESS_PATH + 1];	/* classes along the path */
	struct witness_edge edge[WITNESS_PATH];
};

/*
 * The shortest recorded path from -> ... -> to (it exists: to is in
 * w_reach[from]), its first WITNESS_PATH edges with their stacks.
 * witness_mtx held.
 */
static void
path_find(int from, int to, struct witness_path *p)
{
	int8_t prev[WITNESS_CLASSES];
	int queue[WITNESS_CLASSES], head = 0, tail = 0, n = 0, at;
	int rev[WITNESS_CLASSES];

	memset(prev, -1, sizeof(prev));
	prev[from] = (int8_t)from;
	queue[tail++] = from;
	while (head < tail && prev[to] < 0) {
		int x = queue[head++];

		for (int y = 0; y < w_nclasses; y++)
			if (prev[y] < 0 && bit_test(w_edge[x], y)) {
				prev[y] = (int8_t)x;
				queue[tail++] = y;
			}
	}
	p->len = 0;
	if (prev[to] < 0)
		return;		/* cannot be: w_reach is w_edge's closure */
	for (at = to; at != from; at = prev[at])
		rev[n++] = at;
	rev[n++] = from;
	p->cls[0] = from;
	for (int i = n - 2; i >= 0 && p->len < WITNESS_PATH; i--) {
		const struct witness_edge *e = edge_find(p->cls[p->len], rev[i]);

		p->edge[p->len].we_depth = e != NULL ? e->we_depth : 0;
		if (e != NULL)
			memcpy(p->edge[p->len].we_stack, e->we_stack,
			    sizeof(e->we_stack));
		p->cls[++p->len] = rev[i];
	}
}

static void
print_lock(const char *what, const struct witness *w)
{
	kprintf("witness:  %s \"%s\" (%s)\n", what, w->w_name,
	    kind_name[w->w_kind]);
}

/*
 * Report taking `to` while holding `from`, against the recorded path p
 * from `to` back to `from` (none when illegal: a sleep lock under a spin
 * lock, which is never right).  Then panic unless debug.witness.panic is
 * 0.  Called busy, unlocked.
 */
static void
witness_report(const struct witness *from, const struct witness *to,
    const uint64_t *stack, int depth, const struct witness_path *p,
    bool illegal)
{
	if (illegal)
		kprintf("witness: lock order reversal: sleep lock \"%s\" "
		    "taken while holding spin lock \"%s\"\n", to->w_name,
		    from->w_name);
	else
		kprintf("witness: lock order reversal: \"%s\" then \"%s\"\n",
		    from->w_name, to->w_name);
	print_lock("1st (held)", from);
	print_lock("2nd (taken)", to);
	kprintf("witness: the 2nd taken while holding the 1st, at:\n");
	db_stack_print(stack, depth);
	for (int i = 0; i < p->len; i++) {
		kprintf("witness: \"%s\" -> \"%s\" first recorded at:\n",
		    w_class[p->cls[i]].w_name, w_class[p->cls[i + 1]].w_name);
		if (p->edge[i].we_depth == 0)
			kprintf("witness:  (stack not kept)\n");
		else
			db_stack_print(p->edge[i].we_stack, p->edge[i].we_depth);
	}
	if (witness_panic)
		panic("witness: lock order reversal: \"%s\" then \"%s\"",
		    from->w_name, to->w_name);
	kprintf("witness: %lu reversals so far (debug.witness.panic=0: "
	    "going on)\n", w_reversals);
}

/*
 * The stack of the lock call being checked: db_stack_save's, less the
 * witness's own frames (every function here that can be on it is named
 * witness_*).  Returns its depth.
 */
static int
witness_stack(uint64_t *stack)
{
	uint64_t raw[WITNESS_DEPTH + 6], off;
	int n = db_stack_save(raw, nitems(raw)), skip = 0;
	const char *name;

	while (skip < n && (name = ksym_lookup(raw[skip], &off)) != NULL &&
	    strncmp(name, "witness_", 8) == 0)
		skip++;
	n = MIN(n - skip, WITNESS_DEPTH);
	memcpy(stack, raw + skip, n * sizeof(raw[0]));
	return n;
}

/*
 * Taking `to` while holding `from`: record the order, or report it if it
 * reverses a recorded one.  The fast path is one bit test.  Called busy.
 */
static void
witness_order(struct witness *from, struct witness *to)
{
	uint64_t stack[WITNESS_DEPTH];
	struct witness_path *p, path;
	int depth;
	bool illegal;

	if (from == to || bit_test(w_known[from->w_index], to->w_index))
		return;
	depth = witness_stack(stack);
	illegal = from->w_kind == WK_SPIN && to->w_kind == WK_SLEEP;
	p = NULL;
	w_lock();
	if (!bit_test(w_known[from->w_index], to->w_index)) {
		if (illegal || bit_test(w_reach[to->w_index], from->w_index)) {
			path.len = 0;
			if (!illegal)
				path_find(to->w_index, from->w_index, &path);
			w_reversals++;
			p = &path;
		} else {
			edge_add(from->w_index, to->w_index, stack, depth);
		}
	}
	bit_set(w_known[from->w_index], to->w_index);
	w_unlock();
	if (p != NULL)
		witness_report(from, to, stack, depth, p, illegal);
}

/* The running thread's sleep-lock list, or NULL if it has none to check:
 * early in boot, or in an interrupt handler. */
static struct witness_list *
thread_list(const struct witness_cpu *wc)
{
	struct thread *td = curthread();

	return td != NULL && wc->wc_intr == 0 ? &td->td_witness : NULL;
}

/* Check taking w against everything this hart and thread hold. */
static void
witness_check_held(struct witness_cpu *wc, struct witness *w)
{
	struct witness_list *tl = thread_list(wc);

	for (int i = 0; i < wc->wc_spin.wl_count; i++)
		witness_order(wc->wc_spin.wl_held[i].wh_class, w);
	for (int i = 0; tl != NULL && i < tl->wl_count; i++)
		witness_order(tl->wl_held[i].wh_class, w);
}

static void
list_push(struct witness_list *wl, const void *lock, struct witness *w,
    bool exclusive)
{
	if (wl->wl_count == WITNESS_HELD_MAX) {
		witness_stop("too many locks held at once", w->w_name);
		return;
	}
	wl->wl_held[wl->wl_count++] = (struct witness_held){
		.wh_lock = lock, .wh_class = w, .wh_exclusive = exclusive,
	};
}

/* The entry of lock in wl (the latest, if held more than once), or NULL. */
static struct witness_held *
list_find(struct witness_list *wl, const void *lock)
{
	for (int i = wl->wl_count - 1; i >= 0; i--)
		if (wl->wl_held[i].wh_lock == lock)
			return &wl->wl_held[i];
	return NULL;
}

/* Drop lock from wl; a lock we never saw taken here is reported. */
static void
list_pop(struct witness_list *wl, const void *lock, const char *name)
{
	struct witness_held *h = list_find(wl, lock);

	if (h == NULL) {
		kprintf("witness: \"%s\" (%p) released, but not taken by "
		    "this %s\n", name, lock, wl == &w_cpu[curcpu_id()].wc_spin ?
		    "hart" : "thread");
		if (witness_panic)
			panic("witness: \"%s\" released but not held", name);
		return;
	}
	memmove(h, h + 1, (size_t)(&wl->wl_held[wl->wl_count] - (h + 1)) *
	    sizeof(*h));
	wl->wl_count--;
}

void
witness_spin_lock(struct spinlock *lk)
{
	uint64_t sie;
	struct witness_cpu *wc = witness_enter(&sie);
	struct witness *w;

	if (wc == NULL)
		return;
	w = witness_class(&lk->sl_witness, lk->sl_name, WK_SPIN);
	if (w != NULL) {
		witness_check_held(wc, w);
		list_push(&wc->wc_spin, lk, w, true);
		__atomic_fetch_add(&w->w_acquired, 1, __ATOMIC_RELAXED);
	}
	witness_leave(wc, sie);
}

/*
 * The lock's class, for counting, or NULL: its class is looked up the
 * first time it is taken, which witness_*_lock has done by now.
 */
static struct witness *
witness_class_known(struct witness *const *cache)
{
	return __atomic_load_n(cache, __ATOMIC_ACQUIRE);
}

void
witness_spin_contended(struct spinlock *lk)
{
	struct witness *w = witness_class_known(&lk->sl_witness);

	if (w != NULL)
		__atomic_fetch_add(&w->w_contended, 1, __ATOMIC_RELAXED);
}

void
witness_sx_contended(struct sx *sx)
{
	struct witness *w = witness_class_known(&sx->sx_witness);

	if (w != NULL)
		__atomic_fetch_add(&w->w_contended, 1, __ATOMIC_RELAXED);
}

void
witness_spin_unlock(struct spinlock *lk)
{
	uint64_t sie;
	struct witness_cpu *wc = witness_enter(&sie);

	if (wc == NULL)
		return;
	list_pop(&wc->wc_spin, lk, lk->sl_name);
	witness_leave(wc, sie);
}

void
witness_sx_check(struct sx *sx)
{
	uint64_t sie;
	struct witness_cpu *wc = witness_enter(&sie);
	struct witness *w;

	if (wc == NULL)
		return;
	w = witness_class(&sx->sx_witness, sx->sx_name, WK_SLEEP);
	if (w != NULL)
		witness_check_held(wc, w);
	witness_leave(wc, sie);
}

void
witness_sx_lock(struct sx *sx, bool exclusive)
{
	uint64_t sie;
	struct witness_cpu *wc = witness_enter(&sie);
	struct witness_list *tl;
	struct witness *w;

	if (wc == NULL)
		return;
	tl = thread_list(wc);
	w = witness_class(&sx->sx_witness, sx->sx_name, WK_SLEEP);
	if (tl != NULL && w != NULL)
		list_push(tl, sx, w, exclusive);
	if (w != NULL)
		__atomic_fetch_add(&w->w_acquired, 1, __ATOMIC_RELAXED);
	witness_leave(wc, sie);
}

void
witness_sx_unlock(struct sx *sx)
{
	uint64_t sie;
	struct witness_cpu *wc = witness_enter(&sie);
	struct witness_list *tl;

	if (wc == NULL)
		return;
	tl = thread_list(wc);
	if (tl != NULL)
		list_pop(tl, sx, sx->sx_name);
	witness_leave(wc, sie);
}

void
witness_sx_mode(struct sx *sx, bool exclusive)
{
	uint64_t sie;
	struct witness_cpu *wc = witness_enter(&sie);
	struct witness_list *tl;
	struct witness_held *h;

	if (wc == NULL)
		return;
	tl = thread_list(wc);
	if (tl != NULL && (h = list_find(tl, sx)) != NULL)
		h->wh_exclusive = exclusive;
	witness_leave(wc, sie);
}

/*
 * Held by the running thread (exclusively, if asked)?  Where the witness
 * cannot tell (it stopped, or no thread yet), the lock's state answers:
 * exclusive holds are exact, a shared one by anyone counts.
 */
bool
witness_sx_held(const struct sx *sx, bool exclusive)
{
	struct thread *td = curthread();
	struct witness_held *h;

	if (sx_xlocked(sx))
		return true;
	if (witness_off || td == NULL)
		return !exclusive && sx_slocked(sx);
	h = list_find(&td->td_witness, sx);
	return h != NULL && (h->wh_exclusive || !exclusive);
}

void
witness_intr_enter(void)
{
	w_cpu[curcpu_id()].wc_intr++;
}

void
witness_intr_exit(void)
{
	w_cpu[curcpu_id()].wc_intr--;
}

static int
class_index(const char *name)
{
	int n = __atomic_load_n(&w_nclasses, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (strcmp(w_class[i].w_name, name) == 0)
			return i;
	return -1;
}

bool
witness_order_recorded(const char *from, const char *to)
{
	int a = class_index(from), b = class_index(to);

	return a >= 0 && b >= 0 && bit_test(w_edge[a], b);
}

bool
witness_contention(const char *name, uint64_t *acquired, uint64_t *contended)
{
	int n = __atomic_load_n(&w_nclasses, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		if (strcmp(w_class[i].w_name, name) == 0) {
			*acquired = __atomic_load_n(&w_class[i].w_acquired,
			    __ATOMIC_RELAXED);
			*contended = __atomic_load_n(&w_class[i].w_contended,
			    __ATOMIC_RELAXED);
			return true;
		}
	return false;
}

uint64_t
witness_reversal_count(void)
{
	return __atomic_load_n(&w_reversals, __ATOMIC_RELAXED);
}

/* debug.witness.orders: every recorded order, one "a -> b" a line. */
static int64_t
sysctl_witness_orders(const struct sysctl_node *node, struct sysctl_req *req)
{
	size_t size = 64 * 1024, len = 0;
	int n = __atomic_load_n(&w_nclasses, __ATOMIC_ACQUIRE);
	char *text = kmalloc(size, 0);
	int64_t rv;

	if (text == NULL)
		return -ENOMEM;
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n && len < size; b++)
			if (bit_test(w_edge[a], b))
				len += ksnprintf(text + len, size - len,
				    "%s -> %s\n", w_class[a].w_name,
				    w_class[b].w_name);
	len = MIN(len, size - 1);
	rv = sysctl_out(req, text, len + 1);
	kfree(text);
	return rv;
}

/*
 * debug.witness.contention: per lock class, "acquired contended name", a
 * line each (names may have spaces), the classes ever contended first, most contended first: a
 * class's acquisitions that found the lock held and had to spin or sleep
 * (FreeBSD's LOCK_PROFILING, in counts only).  Writing 0 zeroes them.
 */
static int64_t
sysctl_witness_contention(const struct sysctl_node *node,
    struct sysctl_req *req)
{
	int n = __atomic_load_n(&w_nclasses, __ATOMIC_ACQUIRE);
	size_t size = 16 * 1024, len = 0;
	char *text;
	int64_t rv;
	bool done[WITNESS_CLASSES] = { false };

	if (req->newval != NULL) {
		for (int i = 0; i < n; i++) {
			__atomic_store_n(&w_class[i].w_acquired, 0, __ATOMIC_RELAXED);
			__atomic_store_n(&w_class[i].w_contended, 0, __ATOMIC_RELAXED);
		}
	}
	if ((text = kmalloc(size, 0)) == NULL)
		return -ENOMEM;
	for (int k = 0; k < n && len < size; k++) {
		int best = -1;

		for (int i = 0; i < n; i++)
			if (!done[i] && (best < 0 || w_class[i].w_contended >
			    w_class[best].w_contended))
				best = i;
		done[best] = true;
		len += ksnprintf(text + len, size - len, "%lu %lu %s\n",
		    w_class[best].w_acquired, w_class[best].w_contended,
		    w_class[best].w_name);
	}
	len = MIN(len, size - 1);
	text[len] = '\0';
	rv = sysctl_out(req, text, len + 1);
	kfree(text);
	return rv;
}

SYSCTL_BOOL(debug_witness_panic, "debug.witness.panic", &witness_panic,
    "panic on a lock order reversal (0: report, count and go on)");
SYSCTL_U64(debug_witness_reversals, "debug.witness.reversals", CTLFLAG_RD,
    &w_reversals, "lock order reversals reported");
SYSCTL_PROC(debug_witness_orders, "debug.witness.orders", CTLTYPE_STRING,
    CTLFLAG_RD, sysctl_witness_orders, 0,
    "lock orders recorded: \"held -> taken\", one a line");
SYSCTL_PROC(debug_witness_contention, "debug.witness.contention",
    CTLTYPE_STRING, CTLFLAG_RW, sysctl_witness_contention, 0,
    "per lock class: \"acquired contended name\", most contended first "
    "(write 0 to zero)");
