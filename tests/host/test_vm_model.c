/*
 * Model-based random test of the VM system as a whole (vm_map, vm_object,
 * vm_fault on the stub pmap, the vnode pager and the mmap system calls on
 * the fake file layer): address spaces map memory and files, unmap,
 * protect, advise, msync, set inheritance, read, write, fork and exit at
 * random, files are read and written as read() and write() do and leave
 * the cache, thousands of steps per run, while a plain reference model
 * says what each of them must see.  Every byte a process reads, through
 * the simulated MMU, is checked against the model; so is every page, now
 * and then, and what reaches the disk.
 *
 * The model is per process: for each page of a small address window, what
 * is mapped there (private or MAP_SHARED anonymous memory, or a page of a
 * file, private or shared), the page's contents (a cell, shared between
 * processes only where memory is shared), its protection and its
 * inheritance.  Each file has a cell per page, its contents as the page
 * cache has them: a shared file mapping's page is that cell, and a
 * private one's cell shows it until the page is first written ("through"),
 * so a private page sees the file change until then, as on Linux.  Fork
 * copies the cells of VM_INHERIT_COPY pages, shares those of
 * VM_INHERIT_SHARE pages and leaves out VM_INHERIT_NONE ones;
 * MADV_DONTNEED gives a private anonymous page a fresh zero cell and a
 * private file page a fresh "through" cell, and leaves shared pages alone.
 * Every program also maps a page the kernel keeps, as exec maps the signal
 * trampoline, just past the window; it must always read the same.
 *
 * Not modelled: a shared file page inherited by copy (minherit), or a
 * private one after a fork shared it.  The child gets a snapshot
 * (vm_object_snapshot) that copies the file pages resident at fork and
 * reads the others from the file later, so what it sees when the file
 * changes depends on what was resident; such pages get VM_INHERIT_NONE
 * instead.  File sizes are whole pages: what shows past the end of the
 * file in its last page would depend on residency too.
 *
 * A pager pages out at any moment: the page daemon runs as one of the
 * operations, taking all it can (clean pages freed, dirty file pages
 * written back, anonymous pages swapped to a RAM disk, at any depth of
 * any chain) or only a few pages, and also while block I/O is in flight
 * (as it would on another hart, finding what the I/O's caller left
 * unlocked: a fault's page-in holds no lock at all); nothing a process
 * sees may change.  What the daemon writes back is a legitimate
 * write-back: a file page the cache does not hold, or holds clean, must
 * then be on the disk as the model has it.  During a fault's page-in,
 * another thread of the process may fork.  The swap device now and then
 * goes and comes back (swapoff, swapon); some runs have a small one that
 * fills up.  One run in two runs in low memory: free pages are taken away
 * until objects can have only a few dozen pages, so faults and reads
 * through the page cache wait for memory (the sleep hook runs the daemon
 * while they wait), give up when a signal is pending and run again, and
 * restart after swap-in and page-in all the time.  read() and write()
 * copy through the process's memory, where the copy may fault and wait
 * with the file's page held.
 *
 * Profiles pick the mix of operations; where a profile's shape bounds the
 * shadow chains, the depth is held to that bound after every step.  The
 * runs of a profile go through every combination of the
 * fault tunables (prefault, its zero fill, COW rename).  Each run ends with
 * everything freed and checked: free pages back at the baseline, no
 * object, no pmap, no cell, no swap slot in use, and LeakSanitizer for the
 * host memory.
 *
 * Environment: VM_MODEL_SEED=n runs every run of every profile with seed
 * n (a failure names the seed and the run); VM_MODEL_STEPS=n sets the
 * steps per run, VM_MODEL_RUNS=n the runs per profile (seeds follow on);
 * VM_MODEL_LOWMEM=0 or 1 runs every run with plenty of memory, or low.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>		/* Linux's PROT_, MAP_, MADV_ and MS_ values */
#include <cmocka.h>

#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/kernel.h"
#include "tests/host/file_host.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/pmap.h"
#include "vm/swap_pager.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_pageout.h"
#include "vm/vm_param.h"
#include "vm/vnode_pager.h"

#include "kern/syscall.h"

#define RAM_PAGES	4096
#define WIN_PAGES	48	/* the address window every process uses */
/* The window crosses a 2 MiB line: two page-table pages. */
#define WIN_BASE	(0x400000UL - ptoa(16))
#define MAX_PROCS	6
#define MAX_FAMILIES	4
#define MAX_REGION	8	/* pages per vm_map_find */
#define STEPS		5000
#define RUNS		8
#define SWEEP_EVERY	250
#define HOT_OFFSETS	4	/* most accesses go to a few offsets */
#define RW		(VM_PROT_READ | VM_PROT_WRITE)
#define RX		(VM_PROT_READ | VM_PROT_EXECUTE)
#define NFILES		2
#define FILE_MAX_PAGES	12
#define TRAMP_PAGE	WIN_PAGES	/* the kernel's page, past the window */
#define SWAP_PAGES	4096	/* the swap disk: more than any run fills */
#define SQUEEZE_PASSES	3	/* daemon passes that page out all they can */
#define LOWMEM_BUDGET	64	/* most object pages a low-memory run has */
#define SMALL_SWAP_MIN	8	/* a small swap disk: 8 to 263 slots */
#define SMALL_SWAP	256
#define WAIT_LIMIT	1000	/* waits for memory in one operation: more
				   would be a livelock */

struct cell {
	int refs;
	bool through;		/* private file page not yet written: it
				   shows the file's page */
	uint8_t data[PAGE_SIZE];
};

/* What a page maps. */
#define MK_ANON		0	/* private anonymous memory */
#define MK_SHM		1	/* MAP_SHARED anonymous memory */
#define MK_PRIVATE	2	/* a page of a file, MAP_PRIVATE */
#define MK_SHARED	3	/* a page of a file, MAP_SHARED */

struct mfile {
	struct vnode *vp;
	int fd;			/* open read-write */
	int npages;		/* its size */
	struct cell *pg[FILE_MAX_PAGES]; /* contents, as the cache has them */
};

struct mpage {
	struct cell *cell;	/* NULL: not mapped */
	struct mfile *file;	/* MK_PRIVATE, MK_SHARED: the file */
	int fpage;		/* and which of its pages (maybe past EOF) */
	int region;		/* first page of the call mapping it */
	vm_prot_t prot;
	uint8_t inherit;
	uint8_t kind;		/* MK_* */
	bool was_shared;	/* a shared file page, or one a fork shared */
};

struct mproc {
	struct vmspace *vm;
	int family;		/* processes forked from one root */
	int last_page;		/* where this process (or its parent) */
	int last_off;		/* last wrote */
	struct mpage pg[WIN_PAGES];
};

struct profile {
	const char *name;
	int families;
	int family_max;		/* processes per family; 1: no fork */
	bool partial;		/* ranges may cut entries */
	bool madvise_holes;	/* madvise ranges may cover unmapped pages */
	bool inherit_anytime;	/* any inheritance, any range, any time */
	uint64_t depth_bound;	/* longest chain allowed; 0: not checked */
};

struct model {
	const struct profile *pf;
	struct mproc *procs[MAX_PROCS];
	int nprocs;
	uint64_t seed;
	int run;		/* picks the tunables (set_tunables) */
	uint64_t rng;
	int step;
	const char *op;
	uint64_t deepest;
	int forks, exits, failed;	/* failed: accesses that faulted
					   with an error, as the model said */
	int evictions;			/* files that left the cache */
	int pageouts;			/* op_pageout runs */
	int io_passes;			/* daemon runs during block I/O */
	int failed_forks;		/* forks that found no memory */
	int waits, op_waits;		/* waits for memory (the sleep hook
					   ran the daemon): all, this step */
	int interrupted;		/* accesses a signal cut short */
	int io_forks;			/* forks during a fault's page-in */
	struct mproc *accessing;	/* whose access is under way */
	int swapoffs, swapoffs_failed;	/* op_swapoff: done, ENOMEM */
	struct blkdev *swap;		/* the run's swap device */
	int budget;			/* low memory: most object pages; 0:
					   memory is plentiful */
	struct vm_page **hoard;		/* pages taken away (hoard_adjust) */
	int nhoard;
	struct mfile files[NFILES];
	struct vm_object *tramp;	/* the kernel's page (see tramp_create) */
};

struct range {
	int start, end;		/* pages of the window; empty if equal */
};

static struct vm_fault_tunables saved_tunables;
static int live_cells;
static struct blkdev *swapdisk;	/* the group's swap device */
static struct model *hooked_model;	/* the run the hooks serve */
static bool daemon_running;		/* a pass is under way */

/* --- failure reports and randomness ------------------------------------- */

static void __printflike(2, 3)
model_fail(const struct model *md, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("model %s, seed %#lx (VM_MODEL_SEED=%lu), run %d, step %d, "
	    "%s: %s", md->pf->name, md->seed, md->seed, md->run, md->step,
	    md->op, msg);
}

#define CHECK(md, cond, ...) do {					\
	if (!(cond))							\
		model_fail((md), __VA_ARGS__);				\
} while (0)

/* xorshift64*: small, fast and the same everywhere. */
static uint64_t
rnd(struct model *md)
{
	md->rng ^= md->rng >> 12;
	md->rng ^= md->rng << 25;
	md->rng ^= md->rng >> 27;
	return md->rng * 0x2545f4914f6cdd1dULL;
}

static int
rnd_below(struct model *md, int n)
{
	return (int)(rnd(md) % (uint64_t)n);
}

static uint64_t
env_number(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);

	return s != NULL ? strtoull(s, NULL, 0) : dflt;
}

/* --- cells -------------------------------------------------------------- */

static struct cell *
cell_new(void)
{
	struct cell *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->refs = 1;
	live_cells++;
	return c;
}

static struct cell *
cell_new_through(void)
{
	struct cell *c = cell_new();

	c->through = true;
	return c;
}

static struct cell *
cell_copy(const struct cell *from)
{
	struct cell *c = cell_new();

	c->through = from->through;
	memcpy(c->data, from->data, PAGE_SIZE);
	return c;
}

static void
cell_put(struct cell *c)
{
	if (--c->refs == 0) {
		free(c);
		live_cells--;
	}
}

/* A file page past the end of the file: any access is a SIGBUS. */
static bool
past_eof(const struct mpage *pg)
{
	return pg->file != NULL && pg->fpage >= pg->file->npages;
}

/* The bytes page pg shows. */
static const uint8_t *
shown(const struct mpage *pg)
{
	return pg->cell->through ? pg->file->pg[pg->fpage]->data :
	    pg->cell->data;
}

/*
 * The bytes a write to pg changes: a private file page not written before
 * copies the file's page first.
 */
static uint8_t *
written(struct mpage *pg)
{
	struct cell *c = pg->cell;

	if (c->through) {
		memcpy(c->data, pg->file->pg[pg->fpage]->data, PAGE_SIZE);
		c->through = false;
	}
	return c->data;
}

/* --- files and the kernel's page ---------------------------------------- */

/*
 * The files of a run: random contents, a block in four a hole, written to
 * the fake disk as if they had been there before; then open read-write.
 */
static void
files_create(struct model *md)
{
	static const int npages[NFILES] = { 5, FILE_MAX_PAGES };

	file_host_disk_reset(md->seed);
	for (int i = 0; i < NFILES; i++) {
		struct mfile *f = &md->files[i];

		f->npages = npages[i];
		f->vp = file_host_create(ptoa(f->npages));
		for (int pg = 0; pg < f->npages; pg++) {
			struct cell *c = f->pg[pg] = cell_new();

			for (size_t b = 0; b < PAGE_SIZE; b += FILE_HOST_BSIZE) {
				if (rnd_below(md, 4) == 0)
					continue;	/* a hole: zeros */
				for (size_t k = b; k < b + FILE_HOST_BSIZE; k++)
					c->data[k] = (uint8_t)rnd(md);
				file_host_store(f->vp, ptoa(pg) + b, c->data + b,
				    FILE_HOST_BSIZE);
			}
		}
		f->fd = file_host_open(f->vp, O_RDWR);
	}
}

/* Does the disk hold what the model says file f's page pg holds? */
static void
check_on_disk(struct model *md, const struct mfile *f, int pg)
{
	static uint8_t buf[PAGE_SIZE];
	const uint8_t *want = f->pg[pg]->data;

	file_host_load(f->vp, ptoa(pg), buf, PAGE_SIZE);
	if (memcmp(buf, want, PAGE_SIZE) != 0) {
		size_t off = 0;

		while (buf[off] == want[off])
			off++;
		model_fail(md, "file %d page %d+%#zx on disk: %#x, want %#x",
		    (int)(f - md->files), pg, off, buf[off], want[off]);
	}
}

/*
 * The files leave the cache, writing back what they must, and then the
 * disk must hold the model's contents.  Everything that mapped them is
 * gone.
 */
static void
files_destroy(struct model *md)
{
	for (int i = 0; i < NFILES; i++) {
		struct mfile *f = &md->files[i];

		file_host_close(f->fd);
		file_host_uncache(f->vp);
		for (int pg = 0; pg < f->npages; pg++) {
			check_on_disk(md, f, pg);
			cell_put(f->pg[pg]);
		}
		file_host_destroy(f->vp);
	}
}

static uint8_t
tramp_byte(size_t off)
{
	return (uint8_t)(off * 13 + 7);
}

/*
 * A page the kernel keeps a reference to and maps into every program, as
 * exec does the signal trampoline's: it must outlive every address space
 * that maps it, forked from or not.  Wired, as exec's is: it is the only
 * copy, and never paged out.
 */
static struct vm_object *
tramp_create(void)
{
	struct vm_object *object = vm_object_allocate(OBJT_ANON, 1);
	struct vm_page *m;
	uint8_t *data;

	assert_non_null(object);
	vm_object_lock(object);
	m = vm_page_alloc(object, 0, 0);
	assert_non_null(m);
	data = (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	for (size_t i = 0; i < PAGE_SIZE; i++)
		data[i] = tramp_byte(i);
	m->flags |= PG_VALID;
	vm_page_wire(m);
	vm_page_wakeup(m);
	vm_object_unlock(object);
	return object;
}

/* The kernel lets its page go (only the host tests ever do). */
static void
tramp_destroy(struct model *md)
{
	struct vm_object *object = md->tramp;

	CHECK(md, object->resident_page_count == 1 && object->ref_count == 1,
	    "kernel's page: %d pages, %d references",
	    object->resident_page_count, object->ref_count);
	vm_object_lock(object);
	vm_page_unwire(vm_page_lookup(object, 0));
	vm_object_unlock(object);
	vm_object_deallocate(object);
}

/* --- the page daemon and low memory ------------------------------------- */

/*
 * One pass of the page daemon, aiming at free_target free pages and
 * inactive_target inactive ones (the thresholds are put back after).
 */
static void
daemon_pass(uint64_t free_target, uint64_t inactive_target)
{
	struct vm_page_thresholds saved = vm_page_thresholds;

	vm_page_thresholds.v_free_target = free_target;
	vm_page_thresholds.v_inactive_target = inactive_target;
	daemon_running = true;
	vm_pageout_pass();
	daemon_running = false;
	vm_page_thresholds = saved;
}

/*
 * Passes that page out everything they can, as under heavy pressure: the
 * first deactivates the unreferenced pages and clears the others'
 * references, the next ones free what is inactive (writing dirty file
 * pages back, anonymous pages to swap) and deactivate the rest.
 */
static void
daemon_squeeze(int passes)
{
	for (int i = 0; i < passes; i++)
		daemon_pass(RAM_PAGES, RAM_PAGES);
}

/* A pass that frees a few pages, taking them from the oldest. */
static void
daemon_nibble(struct model *md)
{
	daemon_pass(vm_page_free_count() + 1 + (uint64_t)rnd_below(md, 16),
	    (uint64_t)rnd_below(md, 64));
}

/*
 * A file page that the cache does not hold, or holds clean, is on the
 * disk as the model has it: the daemon writes a dirty page back before it
 * lets it go, and a clean page is what was read or last written back.
 */
static void
check_files_on_disk(struct model *md)
{
	for (int i = 0; i < NFILES; i++) {
		struct mfile *f = &md->files[i];
		struct vm_object *object = f->vp->v_object;

		for (int pg = 0; pg < f->npages; pg++) {
			struct vm_page *m;
			bool dirty = false;

			if (object != NULL) {
				vm_object_lock(object);
				m = vm_page_lookup(object, (vm_pindex_t)pg);
				dirty = m != NULL && (vm_page_aflag_test(m, PGA_DIRTY) ||
				    pmap_is_modified(m));
				vm_object_unlock(object);
			}
			if (!dirty)
				check_on_disk(md, f, pg);
		}
	}
}

/* Mostly a pass that frees a few pages, now and then all it can. */
static void
daemon_some(struct model *md)
{
	if (rnd_below(md, 8) == 0)
		daemon_squeeze(1 + rnd_below(md, SQUEEZE_PASSES));
	else
		daemon_nibble(md);
}

/*
 * A fault, or a read through the page cache, waits for memory in a
 * low-memory run: the page daemon runs meanwhile.  The wait must end: a
 * fault that keeps waiting is a livelock (the pages the daemon frees
 * never reach it).
 */
static void
daemon_while_waiting(void)
{
	struct model *md = hooked_model;

	md->waits++;
	CHECK(md, ++md->op_waits < WAIT_LIMIT, "%d waits for memory in one "
	    "operation", md->op_waits);
	daemon_some(md);
}

static void op_fork(struct model *md, struct mproc *p);

/*
 * Block I/O is in flight: a fault's page-in (which holds no lock at all,
 * only its busy page and a reference), a read through the page cache,
 * write-back by msync or eviction, a fork's snapshot reading swap.  One
 * time in eight the daemon runs meanwhile, as it would on another hart,
 * and finds whatever the I/O's caller left unlocked.  Not during its own
 * I/O: it is one thread.
 *
 * The I/O of a process's access, outside the daemon, is always a fault's
 * page-in, with the map unlocked too: now and then another thread of
 * that process forks meanwhile.  The child gets the memory as it is
 * before the access (whose effect the model applies after it).  Not
 * where a profile bounds the chains: the page-in's reference on the
 * object it fills keeps the fork's collapse from merging that object.
 */
static void
during_io(void)
{
	struct model *md = hooked_model;
	struct mproc *p = md->accessing;
	int forks = md->forks;

	if (daemon_running)
		return;
	if (p != NULL && md->pf->depth_bound == 0 && rnd_below(md, 16) == 0) {
		md->accessing = NULL;	/* the fork's own I/O is no page-in */
		op_fork(md, p);
		md->accessing = p;
		md->io_forks += md->forks - forks;
		return;
	}
	if (rnd_below(md, 8) != 0)
		return;
	md->io_passes++;
	daemon_some(md);
}

/*
 * A signal is now and then pending when a process touches memory in low
 * memory.  A fault, or a read through the page cache, that must wait for
 * memory then gives up so that the signal can be delivered, having
 * changed nothing anyone can see; the access runs again after the
 * handler, as the trap code does.  Call before the access.
 */
static void
signal_maybe(struct model *md)
{
	host_signal_pending = md->budget != 0 && rnd_below(md, 8) == 0;
}

/*
 * Did the access give up for the signal (and must run again)?  rv is its
 * KERN_* result, or with kern false an errno.
 */
static bool
interrupted(struct model *md, int rv, bool kern)
{
	bool intr = host_signal_pending &&
	    rv == (kern ? KERN_RESOURCE_SHORTAGE : EINTR);

	host_signal_pending = false;
	md->interrupted += intr;
	return intr;
}

/*
 * Low memory: hold the pages objects have (user memory and the page
 * cache; all on the paging queues but the kernel's wired page) to the
 * run's budget, by taking free pages away as other users of memory would,
 * or giving them back.  Object pages cannot go below the reserve, so when
 * free pages come down to it, with budget pages in objects, faults and
 * the page cache must wait for the daemon.  The kernel's own allocations
 * (objects, map entries, swap blocks) may eat into the reserve, and are
 * given it back here.  Between steps.
 */
static void
hoard_adjust(struct model *md)
{
	uint64_t used = vm_page_stats.v_active_count +
	    vm_page_stats.v_inactive_count;
	uint64_t want = vm_page_thresholds.v_free_reserved +
	    (used < (uint64_t)md->budget ? (uint64_t)md->budget - used : 0);

	while (vm_page_free_count() > want) {
		md->hoard[md->nhoard] = vm_page_alloc_nobj(0);
		CHECK(md, md->hoard[md->nhoard] != NULL, "no page to hoard");
		md->nhoard++;
	}
	while (md->nhoard > 0 && vm_page_free_count() < want)
		vm_page_free(md->hoard[--md->nhoard]);
}

/*
 * The run's memory and swap.  One run in two is a low-memory one, with a
 * budget of 4 to LOWMEM_BUDGET object pages (VM_MODEL_LOWMEM=0 or 1: none
 * or all), and swap enough for all.  Half the others swap to a small disk
 * instead, which fills up: anonymous pages then have nowhere to go and
 * stay.  (Both at once would be a real shortage, with nothing for the
 * daemon to free, which the kernel ends with an OOM kill.)
 */
static void
pager_start(struct model *md)
{
	uint64_t mode = env_number("VM_MODEL_LOWMEM", 2);
	bool low = mode == 1 || (mode != 0 && rnd_below(md, 2) == 0);

	hooked_model = md;
	host_io_hook = during_io;
	md->swap = swapdisk;
	if (!low) {
		if (rnd_below(md, 2) == 0) {
			vm_host_swap_detach(swapdisk);
			md->swap = vm_host_swap_attach(
			    (size_t)(SMALL_SWAP_MIN + rnd_below(md, SMALL_SWAP)));
		}
		return;
	}
	md->budget = 4 + rnd_below(md, LOWMEM_BUDGET - 3);
	md->hoard = calloc(RAM_PAGES, sizeof(*md->hoard));
	assert_non_null(md->hoard);
	host_sleep_hook = daemon_while_waiting;
	hoard_adjust(md);
}

/* Every process is gone: the hooks and the hoard go, and the small swap. */
static void
pager_end(struct model *md)
{
	host_sleep_hook = NULL;
	host_io_hook = NULL;
	hooked_model = NULL;
	while (md->nhoard > 0)
		vm_page_free(md->hoard[--md->nhoard]);
	free(md->hoard);
	md->hoard = NULL;
	if (md->swap != swapdisk) {
		vm_host_swap_detach(md->swap);
		swapdisk = vm_host_swap_attach(SWAP_PAGES);
	}
}

/* --- processes ---------------------------------------------------------- */

static vaddr_t
win_va(int page)
{
	return WIN_BASE + ptoa(page);
}

static struct mproc *
proc_alloc(struct model *md, int family)
{
	struct mproc *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->family = family;
	md->procs[md->nprocs++] = p;
	return p;
}

/* A new address space with only the kernel's page: a program just exec'd. */
static void
proc_spawn(struct model *md, int family)
{
	struct mproc *p = proc_alloc(md, family);
	vaddr_t va = win_va(TRAMP_PAGE);

	p->vm = vmspace_alloc(WIN_BASE, win_va(TRAMP_PAGE + 1));
	CHECK(md, p->vm != NULL, "vmspace_alloc failed");
	vm_object_reference(md->tramp);
	CHECK(md, vm_map_find(&p->vm->vm_map, md->tramp, 0, &va, PAGE_SIZE,
	    true, RX, RX, MAP_INHERIT_SHARE) == KERN_SUCCESS,
	    "mapping the kernel's page failed");
}

/* The system calls act on p. */
static void
curproc_is(const struct mproc *p)
{
	file_host_set_vmspace(p->vm);
}

static void
page_drop(struct mpage *pg)
{
	if (pg->cell != NULL)
		cell_put(pg->cell);
	memset(pg, 0, sizeof(*pg));
}

static void
proc_destroy(struct model *md, int i)
{
	struct mproc *p = md->procs[i];

	vmspace_free(p->vm);
	for (int pg = 0; pg < WIN_PAGES; pg++)
		page_drop(&p->pg[pg]);
	free(p);
	md->procs[i] = md->procs[--md->nprocs];
}

static int
family_size(const struct model *md, int family)
{
	int n = 0;

	for (int i = 0; i < md->nprocs; i++)
		n += md->procs[i]->family == family;
	return n;
}

/* --- picking pages and ranges ------------------------------------------- */

static int
count_mapped(const struct mproc *p)
{
	int n = 0;

	for (int i = 0; i < WIN_PAGES; i++)
		n += p->pg[i].cell != NULL;
	return n;
}

/* A random mapped page, or -1 if none is. */
static int
pick_mapped(struct model *md, const struct mproc *p)
{
	int n = count_mapped(p), k;

	if (n == 0)
		return -1;
	k = rnd_below(md, n);
	for (int i = 0; i < WIN_PAGES; i++)
		if (p->pg[i].cell != NULL && k-- == 0)
			return i;
	return -1;
}

/* Mostly a mapped page, sometimes any page of the window. */
static int
pick_page(struct model *md, const struct mproc *p)
{
	int page = rnd_below(md, 8) != 0 ? pick_mapped(md, p) : -1;

	return page >= 0 ? page : rnd_below(md, WIN_PAGES);
}

static int
pick_offset(struct model *md)
{
	if (rnd_below(md, 8) != 0)
		return rnd_below(md, HOT_OFFSETS) * (PAGE_SIZE / HOT_OFFSETS);
	return rnd_below(md, PAGE_SIZE);
}

/* The whole region a random mapped page belongs to. */
static struct range
pick_region(struct model *md, const struct mproc *p)
{
	int page = pick_mapped(md, p);
	struct range r = { 0, 0 };

	if (page < 0)
		return r;
	r.start = r.end = p->pg[page].region;
	while (r.end < WIN_PAGES && p->pg[r.end].cell != NULL &&
	    p->pg[r.end].region == r.start)
		r.end++;
	return r;
}

/* Any range of the window (partial profiles), else a whole region. */
static struct range
pick_range(struct model *md, const struct mproc *p)
{
	struct range r;
	int len;

	if (!md->pf->partial)
		return pick_region(md, p);
	r.start = rnd_below(md, WIN_PAGES);
	len = 1 + rnd_below(md, MAX_REGION + 4);
	r.end = MIN(r.start + len, WIN_PAGES);
	return r;
}

/* A range for madvise: without holes unless the profile allows them. */
static struct range
pick_madvise_range(struct model *md, const struct mproc *p)
{
	struct range r;

	if (md->pf->madvise_holes || !md->pf->partial)
		return pick_range(md, p);
	r.start = r.end = pick_mapped(md, p);
	if (r.start < 0)
		return (struct range){ 0, 0 };
	for (int n = 1 + rnd_below(md, MAX_REGION); n > 0 &&
	    r.end < WIN_PAGES && p->pg[r.end].cell != NULL; n--)
		r.end++;
	return r;
}

static bool
all_mapped(const struct mproc *p, struct range r)
{
	for (int i = r.start; i < r.end; i++)
		if (p->pg[i].cell == NULL)
			return false;
	return true;
}

static struct mproc *
pick_proc(struct model *md)
{
	return md->procs[rnd_below(md, md->nprocs)];
}

/* --- the operations ----------------------------------------------------- */

/* The first free run of n pages at or above page hint, or -1. */
static int
first_fit(const struct mproc *p, int hint, int n)
{
	for (int s = hint; s + n <= WIN_PAGES; s++) {
		int i = s;

		while (i < s + n && p->pg[i].cell == NULL)
			i++;
		if (i == s + n)
			return s;
	}
	return -1;
}

/*
 * Where a mapping of n pages asked for at page hint must go (the first
 * free run at or above it), against where it went: at addr, or nowhere
 * (ok false).  Returns the first page, or -1 if there was no room.
 */
static int
check_placement(struct model *md, const struct mproc *p, int hint, int n,
    bool ok, vaddr_t addr)
{
	int want = first_fit(p, hint, n);

	if (want < 0) {
		CHECK(md, !ok, "%d pages at %d: mapped at %#lx, want no room",
		    n, hint, addr);
		return -1;
	}
	CHECK(md, ok && addr == win_va(want), "%d pages at %d: %s %#lx, want "
	    "page %d", n, hint, ok ? "mapped at" : "failed", addr, want);
	return want;
}

/*
 * Anonymous memory: private (a quarter of it inherited shared), or, one
 * time in eight, MAP_SHARED through mmap.
 */
static void
op_map(struct model *md, struct mproc *p)
{
	int n = 1 + rnd_below(md, MAX_REGION);
	int hint = rnd_below(md, 2) != 0 ? 0 : rnd_below(md, WIN_PAGES);
	vaddr_t addr = win_va(hint);
	int how = rnd_below(md, 8);	/* 0: MAP_SHARED; 1, 2: inherited shared */
	bool shm = how == 0, share = how == 1 || how == 2;
	int first, rv;

	if (shm) {
		int64_t va;

		curproc_is(p);
		va = sys_mmap(addr, ptoa(n), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		CHECK(md, va >= 0 || va == -ENOMEM, "mmap: %ld", va);
		rv = va >= 0 ? KERN_SUCCESS : KERN_NO_SPACE;
		addr = (vaddr_t)va;
	} else {
		rv = vm_map_find(&p->vm->vm_map, NULL, 0, &addr, ptoa(n), false,
		    RW, VM_PROT_ALL, MAP_COPY_ON_WRITE);
		CHECK(md, rv == KERN_SUCCESS || rv == KERN_NO_SPACE,
		    "vm_map_find: rv %d", rv);
	}
	first = check_placement(md, p, hint, n, rv == KERN_SUCCESS, addr);
	if (first < 0)
		return;
	if (share)
		CHECK(md, vm_map_inherit(&p->vm->vm_map, addr, addr + ptoa(n),
		    VM_INHERIT_SHARE) == KERN_SUCCESS, "inherit share failed");
	for (int i = first; i < first + n; i++)
		p->pg[i] = (struct mpage){ .cell = cell_new(), .region = first,
		    .prot = RW, .kind = shm ? MK_SHM : MK_ANON,
		    .inherit = share || shm ? VM_INHERIT_SHARE : VM_INHERIT_COPY };
}

/*
 * Pages of a file, private or shared, read-write or read-only, from a
 * random page of it on, maybe running past its end.  The first file is
 * mapped seldom, so that it is often mapped by nobody and can leave the
 * cache (op_evict).
 */
static void
op_map_file(struct model *md, struct mproc *p)
{
	struct mfile *f = &md->files[rnd_below(md, 8) == 0 ? 0 : 1];
	int n = 1 + rnd_below(md, MAX_REGION);
	int hint = rnd_below(md, 2) != 0 ? 0 : rnd_below(md, WIN_PAGES);
	int fpage = rnd_below(md, f->npages), first;
	bool shared = rnd_below(md, 2) == 0;
	vm_prot_t prot = rnd_below(md, 4) == 0 ? VM_PROT_READ : RW;
	int64_t va;

	curproc_is(p);
	va = sys_mmap(win_va(hint), ptoa(n), prot, shared ? MAP_SHARED :
	    MAP_PRIVATE, (uint64_t)f->fd, ptoa(fpage));
	CHECK(md, va >= 0 || va == -ENOMEM, "mmap: %ld", va);
	first = check_placement(md, p, hint, n, va >= 0, (vaddr_t)va);
	for (int i = 0; first >= 0 && i < n; i++) {
		struct mpage *pg = &p->pg[first + i];

		*pg = (struct mpage){ .file = f, .fpage = fpage + i,
		    .region = first, .prot = prot,
		    .kind = shared ? MK_SHARED : MK_PRIVATE,
		    .inherit = shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY,
		    .was_shared = shared };
		if (past_eof(pg))
			pg->cell = cell_new();	/* never read */
		else if (shared)
			(pg->cell = f->pg[pg->fpage])->refs++;
		else
			pg->cell = cell_new_through();
	}
}

static void
op_unmap(struct model *md, struct mproc *p)
{
	struct range r = pick_range(md, p);
	int64_t rv;

	if (r.start == r.end)
		return;
	curproc_is(p);
	rv = sys_munmap(win_va(r.start), ptoa(r.end - r.start));
	CHECK(md, rv == 0, "[%d, %d): %ld", r.start, r.end, rv);
	for (int i = r.start; i < r.end; i++)
		page_drop(&p->pg[i]);
}

static void
op_protect(struct model *md, struct mproc *p)
{
	static const vm_prot_t prots[] = { VM_PROT_READ, VM_PROT_READ, RW, RW,
	    RW, RW, RW, VM_PROT_NONE };
	struct range r = pick_range(md, p);
	vm_prot_t prot = prots[rnd_below(md, nitems(prots))];
	bool ok = all_mapped(p, r);
	int rv;

	if (r.start == r.end)
		return;
	rv = vm_map_protect(&p->vm->vm_map, win_va(r.start), win_va(r.end),
	    prot, false);
	CHECK(md, rv == (ok ? KERN_SUCCESS : KERN_INVALID_ADDRESS),
	    "[%d, %d) prot %d: rv %d", r.start, r.end, prot, rv);
	for (int i = r.start; ok && i < r.end; i++)
		p->pg[i].prot = prot;
}

/* MADV_DONTNEED: this process's private copies go; shared pages stay. */
static void
discard(struct mpage *pg)
{
	if (pg->cell == NULL || pg->kind == MK_SHM || pg->kind == MK_SHARED ||
	    past_eof(pg))
		return;
	cell_put(pg->cell);
	pg->cell = pg->kind == MK_PRIVATE ? cell_new_through() : cell_new();
}

static void
op_madvise(struct model *md, struct mproc *p, int advice)
{
	struct range r = pick_madvise_range(md, p);
	bool ok = all_mapped(p, r);
	int64_t rv;

	/* MADV_WILLNEED over a hole: vmk says 0, Linux ENOMEM. */
	if (r.start == r.end || (advice == MADV_WILLNEED && !ok))
		return;
	curproc_is(p);
	rv = sys_madvise(win_va(r.start), ptoa(r.end - r.start),
	    advice);
	CHECK(md, rv == (ok ? 0 : -ENOMEM), "[%d, %d) advice %d: %ld",
	    r.start, r.end, advice, rv);
	if (advice != MADV_DONTNEED)
		return;
	for (int i = r.start; i < r.end; i++)
		discard(&p->pg[i]);
}

static void
op_dontneed(struct model *md, struct mproc *p)
{
	op_madvise(md, p, MADV_DONTNEED);
}

static void
op_advise(struct model *md, struct mproc *p)
{
	static const int advice[] = { MADV_NORMAL, MADV_RANDOM,
	    MADV_SEQUENTIAL, MADV_WILLNEED };

	op_madvise(md, p, advice[rnd_below(md, nitems(advice))]);
}

/*
 * msync: MS_SYNC must leave the disk holding every shared file page of
 * the range.  (MS_ASYNC only starts the writes, on Linux.)
 */
static void
op_msync(struct model *md, struct mproc *p)
{
	static const int flags[] = { MS_SYNC, MS_ASYNC, MS_SYNC | MS_INVALIDATE,
	    MS_ASYNC | MS_INVALIDATE };
	struct range r = pick_madvise_range(md, p);
	int fl = flags[rnd_below(md, nitems(flags))];
	bool ok = all_mapped(p, r);
	int64_t rv;

	if (r.start == r.end)
		return;
	curproc_is(p);
	rv = sys_msync(win_va(r.start), ptoa(r.end - r.start), (uint64_t)fl);
	CHECK(md, rv == (ok ? 0 : -ENOMEM), "[%d, %d) flags %d: %ld", r.start,
	    r.end, fl, rv);
	for (int i = r.start; ok && (fl & MS_SYNC) && i < r.end; i++) {
		const struct mpage *pg = &p->pg[i];

		if (pg->kind == MK_SHARED && !past_eof(pg))
			check_on_disk(md, pg->file, pg->fpage);
	}
}

/*
 * By default only VM_INHERIT_NONE is set after mapping: a region that was
 * forked copy-on-write never becomes shared, and a shared one never
 * becomes copied (see share-then-copy and cow-stale-shared in vm_host.c).
 * With inherit_anytime, a file page that was ever shared gets NONE where
 * COPY was picked (see the top of the file).
 */
static void
op_inherit(struct model *md, struct mproc *p)
{
	struct range r = pick_range(md, p);
	int inherit = md->pf->inherit_anytime ? rnd_below(md, 3) :
	    VM_INHERIT_NONE;
	int rv;

	if (r.start == r.end)
		return;
	for (int i = r.start; inherit == VM_INHERIT_COPY && i < r.end; i++)
		if (p->pg[i].cell != NULL && p->pg[i].file != NULL &&
		    p->pg[i].was_shared)
			inherit = VM_INHERIT_NONE;
	rv = vm_map_inherit(&p->vm->vm_map, win_va(r.start), win_va(r.end),
	    inherit);
	CHECK(md, rv == KERN_SUCCESS, "[%d, %d) %d: rv %d", r.start, r.end,
	    inherit, rv);
	for (int i = r.start; i < r.end; i++)
		if (p->pg[i].cell != NULL)
			p->pg[i].inherit = (uint8_t)inherit;
}

/* What an access to page must return, per the model. */
static int
expected_access(const struct mproc *p, int page, vm_prot_t access)
{
	if (p->pg[page].cell == NULL)
		return KERN_INVALID_ADDRESS;
	if ((p->pg[page].prot & access) != access)
		return KERN_PROTECTION_FAILURE;
	if (past_eof(&p->pg[page]))
		return KERN_OUT_OF_BOUNDS;
	return KERN_SUCCESS;
}

/* p writes byte at page+off of its window; returns how it went. */
static int
access_write(struct model *md, struct mproc *p, int page, int off,
    uint8_t byte)
{
	int want = expected_access(p, page, VM_PROT_WRITE);
	int rv;

	md->accessing = p;
	do {
		signal_maybe(md);
		rv = user_write(p->vm, win_va(page) + off, byte);
	} while (interrupted(md, rv, true));
	md->accessing = NULL;
	CHECK(md, rv == want, "write page %d+%#x: rv %d, want %d", page, off,
	    rv, want);
	if (rv == KERN_SUCCESS) {
		written(&p->pg[page])[off] = byte;
		p->last_page = page;
		p->last_off = off;
	}
	md->failed += rv != KERN_SUCCESS;
	return rv;
}

/* p reads page+off of its window into *byte; returns how it went. */
static int
access_read(struct model *md, struct mproc *p, int page, int off,
    uint8_t *byte)
{
	int want = expected_access(p, page, VM_PROT_READ);
	int rv;

	md->accessing = p;
	do {
		signal_maybe(md);
		rv = user_read(p->vm, win_va(page) + off, byte);
	} while (interrupted(md, rv, true));
	md->accessing = NULL;
	CHECK(md, rv == want, "read page %d+%#x: rv %d, want %d", page, off,
	    rv, want);
	if (rv == KERN_SUCCESS)
		CHECK(md, *byte == shown(&p->pg[page])[off],
		    "read page %d+%#x: %#x, want %#x", page, off, *byte,
		    shown(&p->pg[page])[off]);
	md->failed += rv != KERN_SUCCESS;
	return rv;
}

static void
op_write(struct model *md, struct mproc *p)
{
	int page = pick_page(md, p), off = pick_offset(md);

	access_write(md, p, page, off, (uint8_t)rnd(md));
}

/* The kernel's page, at offset off. */
static void
read_tramp(struct model *md, struct mproc *p, int off)
{
	uint8_t byte = 0;
	int rv = user_read(p->vm, win_va(TRAMP_PAGE) + off, &byte);

	CHECK(md, rv == KERN_SUCCESS && byte == tramp_byte(off),
	    "kernel's page +%#x: rv %d, %#x, want %#x", off, rv, byte,
	    tramp_byte(off));
}

/*
 * Half the reads go where the last write went, maybe before a fork; one in
 * sixteen to the kernel's page.
 */
static void
op_read(struct model *md, struct mproc *p)
{
	bool again = rnd_below(md, 2) == 0;
	int page = again ? p->last_page : pick_page(md, p);
	int off = again ? p->last_off : pick_offset(md);
	uint8_t byte = 0;

	if (rnd_below(md, 16) == 0) {
		read_tramp(md, p, off);
		return;
	}
	access_read(md, p, page, off, &byte);
}

/*
 * A file read or written as read() and write() do it: through the page
 * cache, which every mapping of the file shares, a byte copied between
 * the page, held, and p's memory (maybe a mapping of that very page).
 * The copy may fault, and wait for memory with the daemon running and
 * the page held; one that fails copies nothing (EFAULT).
 */
static void
op_file_io(struct model *md, struct mproc *p)
{
	struct mfile *f = &md->files[rnd_below(md, NFILES)];
	int pg = rnd_below(md, f->npages), off = pick_offset(md), error = 0;
	int upage = pick_page(md, p), uoff = pick_offset(md), rv;
	bool write = rnd_below(md, 2) == 0;
	struct vm_object *object = vn_object(f->vp);
	struct vm_page *m;
	uint8_t *data, byte;

	CHECK(md, object != NULL, "no object for file %d", (int)(f - md->files));
	do {
		signal_maybe(md);
		m = vnode_pager_grab(object, (vm_pindex_t)pg, true, &error);
	} while (m == NULL && interrupted(md, error, false));
	host_signal_pending = false;
	CHECK(md, m != NULL, "file %d page %d: error %d", (int)(f - md->files),
	    pg, error);
	data = (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) + off;
	if (write) {
		rv = access_read(md, p, upage, uoff, &byte);
		if (rv == KERN_SUCCESS)
			*data = f->pg[pg]->data[off] = byte;
	} else {
		CHECK(md, *data == f->pg[pg]->data[off], "file %d page %d+%#x: "
		    "read %#x, want %#x", (int)(f - md->files), pg, off, *data,
		    f->pg[pg]->data[off]);
		rv = access_write(md, p, upage, uoff, *data);
	}
	vnode_pager_release(m, write && rv == KERN_SUCCESS);
}

/*
 * Files nothing maps leave the cache, as when the vnode cache needs room:
 * what was dirty must reach the disk, and the next access read it back
 * from there.
 */
static void
op_evict(struct model *md, struct mproc *p)
{
	for (int i = 0; i < NFILES; i++) {
		struct mfile *f = &md->files[i];
		struct vm_object *object = f->vp->v_object;

		if (object == NULL || object->ref_count != 0)
			continue;
		file_host_uncache(f->vp);
		for (int pg = 0; pg < f->npages; pg++)
			check_on_disk(md, f, pg);
		md->evictions++;
	}
}

/*
 * The page daemon runs, as memory pressure would make it, at any moment:
 * all it can (every clean page freed, dirty file pages written back,
 * anonymous pages swapped, at any depth of any chain), once or twice a
 * pass that frees only a few, or a pass that only starts on it.  Nothing
 * a process sees may change (the next reads check that); the disk may
 * now hold file pages written back.  Paging out all it can leaves
 * nothing on the paging queues, unless swap filled up: a slot is never
 * freed during a pass, so swap with room left had room all along.
 */
static void
op_pageout(struct model *md, struct mproc *p)
{
	switch (rnd_below(md, 4)) {
	case 0:
		daemon_squeeze(SQUEEZE_PASSES);
		CHECK(md, swap_stats.used == swap_stats.nslots ||
		    (vm_page_stats.v_active_count == 0 &&
		    vm_page_stats.v_inactive_count == 0), "%lu active and %lu "
		    "inactive pages left", vm_page_stats.v_active_count,
		    vm_page_stats.v_inactive_count);
		break;
	case 1:
		daemon_squeeze(1);
		break;
	case 2:
		daemon_nibble(md);
		daemon_nibble(md);
		break;
	default:
		daemon_nibble(md);
		break;
	}
	md->pageouts++;
	check_files_on_disk(md);
}

/*
 * The swap device goes and comes back: swapoff reads every page on it
 * back in, or, if memory (with the reserve the daemon keeps) cannot take
 * them, fails with ENOMEM having changed nothing.  Either way nothing a
 * process sees may change.
 */
static void
op_swapoff(struct model *md, struct mproc *p)
{
	int error = swap_pager_swapoff(md->swap);

	CHECK(md, error == 0 || error == ENOMEM, "swapoff: %d", error);
	if (error != 0) {
		md->swapoffs_failed++;
		return;
	}
	CHECK(md, swap_stats.used == 0 && swap_stats.ndevs == 0,
	    "after swapoff: %lu slots in use on %d devices", swap_stats.used,
	    swap_stats.ndevs);
	CHECK(md, swap_pager_swapon(md->swap) == 0, "swapon failed");
	md->swapoffs++;
}

static void
op_fork(struct model *md, struct mproc *p)
{
	struct mproc *c;

	if (md->nprocs == MAX_PROCS ||
	    family_size(md, p->family) >= md->pf->family_max)
		return;
	c = proc_alloc(md, p->family);
	c->last_page = p->last_page;
	c->last_off = p->last_off;
	c->vm = vmspace_fork(p->vm);
	if (c->vm == NULL) {
		/*
		 * Only in low memory: a shared mapping inherited by copy
		 * takes a snapshot, whose pages are not waited for.
		 */
		CHECK(md, md->budget != 0, "vmspace_fork failed");
		md->nprocs--;
		free(c);
		md->failed_forks++;
		return;
	}
	for (int i = 0; i < WIN_PAGES; i++) {
		struct mpage pg = p->pg[i];

		if (pg.cell == NULL || pg.inherit == VM_INHERIT_NONE)
			continue;
		if (pg.inherit == VM_INHERIT_SHARE) {
			pg.cell->refs++;
			pg.was_shared = p->pg[i].was_shared = true;
		} else {
			/* A MAP_SHARED page copied is the child's own. */
			pg.cell = cell_copy(pg.cell);
			pg.kind = pg.kind == MK_SHM ? MK_ANON : pg.kind;
			pg.was_shared = false;
		}
		c->pg[i] = pg;
	}
	md->forks++;
}

/*
 * A process exits.  The last of a family does so only now and then, and
 * is replaced by a fresh program.
 */
static void
op_exit(struct model *md, struct mproc *p)
{
	int family = p->family, i = 0;

	if (family_size(md, family) == 1 && rnd_below(md, 4) != 0)
		return;
	while (md->procs[i] != p)
		i++;
	proc_destroy(md, i);
	if (family_size(md, family) == 0)
		proc_spawn(md, family);
	md->exits++;
}

/*
 * Every readable page of every process, whole, against the model; and the
 * files' pages on the disk where the cache has them clean or not at all
 * (the daemon may have written some back, during I/O too).
 */
static void
op_sweep(struct model *md)
{
	static uint8_t buf[PAGE_SIZE];

	check_files_on_disk(md);
	for (int k = 0; k < md->nprocs; k++) {
		struct mproc *p = md->procs[k];

		read_tramp(md, p, PAGE_SIZE - 1);
		for (int i = 0; i < WIN_PAGES; i++) {
			const struct mpage *pg = &p->pg[i];
			const uint8_t *want;
			int rv;

			if (pg->cell == NULL || !(pg->prot & VM_PROT_READ))
				continue;
			rv = user_read_page(p->vm, win_va(i), buf);
			CHECK(md, rv == expected_access(p, i, VM_PROT_READ),
			    "sweep page %d: rv %d", i, rv);
			if (rv != KERN_SUCCESS)
				continue;
			want = shown(pg);
			if (memcmp(buf, want, PAGE_SIZE) != 0) {
				size_t off = 0;

				while (buf[off] == want[off])
					off++;
				model_fail(md, "process %d page %d+%#zx: %#x, "
				    "want %#x", k, i, off, buf[off], want[off]);
			}
		}
	}
}

static const struct op {
	const char *name;
	void (*fn)(struct model *, struct mproc *);
	int weight;
} ops[] = {
	{ "read", op_read, 30 },
	{ "write", op_write, 30 },
	{ "map", op_map, 10 },
	{ "map_file", op_map_file, 6 },
	{ "unmap", op_unmap, 3 },
	{ "protect", op_protect, 6 },
	{ "dontneed", op_dontneed, 3 },
	{ "advise", op_advise, 2 },
	{ "msync", op_msync, 2 },
	{ "inherit", op_inherit, 2 },
	{ "file_io", op_file_io, 4 },
	{ "evict", op_evict, 1 },
	{ "fork", op_fork, 6 },
	{ "exit", op_exit, 4 },
	{ "pageout", op_pageout, 3 },
	{ "swapoff", op_swapoff, 1 },
};

static const struct op *
pick_op(struct model *md)
{
	int total = 0, k;

	for (size_t i = 0; i < nitems(ops); i++)
		total += ops[i].weight;
	k = rnd_below(md, total);
	for (size_t i = 0;; i++) {
		if (k < ops[i].weight)
			return &ops[i];
		k -= ops[i].weight;
	}
}

/* --- runs --------------------------------------------------------------- */

/*
 * The longest run of anonymous objects at the top of any entry's chain:
 * its levels of copy-on-write.  The file object under a private file
 * mapping's shadows is not one.
 */
static uint64_t
anon_depth(const struct model *md)
{
	uint64_t deepest = 0;

	for (int k = 0; k < md->nprocs; k++) {
		const struct vm_map *map = &md->procs[k]->vm->vm_map;

		for (const struct vm_map_entry *e = map->header.next;
		    e != &map->header; e = e->next) {
			uint64_t d = 0;

			for (const struct vm_object *o = e->object;
			    o != NULL && o->type == OBJT_ANON; o = o->backing_object)
				d++;
			deepest = MAX(deepest, d);
		}
	}
	return deepest;
}

static void
check_depth(struct model *md)
{
	struct vm_chain_stats cs;
	uint64_t anon = anon_depth(md);

	vm_object_chain_stats(&cs);
	md->deepest = MAX(md->deepest, cs.depth_max);
	CHECK(md, md->pf->depth_bound == 0 || anon <= md->pf->depth_bound,
	    "chain of %lu anonymous objects, bound %lu", anon,
	    md->pf->depth_bound);
}

/*
 * Run r of a profile: bit 0 turns prefault off, bit 1 COW rename, bit 2
 * prefault's zero fill.
 */
static void
set_tunables(int r)
{
	vm_fault_tunables = saved_tunables;
	if (r & 1) {
		vm_fault_tunables.prefault_ahead = 0;
		vm_fault_tunables.prefault_behind = 0;
	}
	vm_fault_tunables.cow_rename = !(r & 2);
	vm_fault_tunables.prefault_zero = !(r & 4);
}

static void
run(const struct profile *pf, uint64_t seed, int r)
{
	struct model md = { .pf = pf, .seed = seed, .run = r, .op = "setup" };
	int steps = (int)env_number("VM_MODEL_STEPS", STEPS);
	struct vmmeter before, d;
	uint64_t swap_nslots;

	vm_meter_sum(&before);

	md.rng = seed * 0x9e3779b97f4a7c15ULL | 1;
	set_tunables(r);
	pager_start(&md);
	files_create(&md);
	md.tramp = tramp_create();
	for (int f = 0; f < pf->families; f++)
		proc_spawn(&md, f);
	for (md.step = 0; md.step < steps; md.step++) {
		const struct op *op = pick_op(&md);

		md.op = op->name;
		md.op_waits = 0;
		if (md.budget != 0)
			hoard_adjust(&md);
		op->fn(&md, pick_proc(&md));
		check_depth(&md);
		if (md.step % SWEEP_EVERY == SWEEP_EVERY - 1) {
			md.op = "sweep";
			op_sweep(&md);
		}
	}
	md.op = "final sweep";
	op_sweep(&md);
	swap_nslots = swap_stats.nslots;
	while (md.nprocs > 0)
		proc_destroy(&md, md.nprocs - 1);
	md.op = "end";
	CHECK(&md, swap_stats.used == 0, "%lu swap slots still in use",
	    swap_stats.used);
	pager_end(&md);
	files_destroy(&md);
	tramp_destroy(&md);
	vm_meter_delta(&before, &d);
	assert_int_equal(live_cells, 0);
	vm_host_assert_clean();
	print_message("model %s: seed %#lx, run %d (prefault %d/%d zero %d, "
	    "rename %d, budget %d, swap %lu): %d steps, %d forks (%d failed), "
	    "%d exits, %d failed accesses, %d evictions, deepest chain %lu; "
	    "%d pageouts, %d during I/O, %lu pages swapped out, %lu in, "
	    "%d waits, %d interrupted, %d swapoffs (%d ENOMEM), %d forks "
	    "during page-in\n", pf->name,
	    seed, r, vm_fault_tunables.prefault_behind,
	    vm_fault_tunables.prefault_ahead, vm_fault_tunables.prefault_zero,
	    vm_fault_tunables.cow_rename, md.budget, swap_nslots, steps,
	    md.forks, md.failed_forks, md.exits, md.failed, md.evictions,
	    md.deepest, md.pageouts, md.io_passes, d.v_swappgsout,
	    d.v_swappgsin, md.waits, md.interrupted, md.swapoffs,
	    md.swapoffs_failed, md.io_forks);
}

/* RUNS runs of a profile, each with its own seed and tunables. */
static void
run_profile(const struct profile *pf, uint64_t base_seed)
{
	const char *one = getenv("VM_MODEL_SEED");
	int runs = (int)env_number("VM_MODEL_RUNS", RUNS);

	for (int r = 0; r < runs; r++)
		run(pf, one != NULL ? strtoull(one, NULL, 0) :
		    base_seed + (uint64_t)r, r);
}

/*
 * RAM, and a swap disk the page daemon pages anonymous memory out to.
 * The kernel's console is quiet: swapon and swapoff say what they did,
 * many times a run.
 */
static int
group_setup(void **state)
{
	host_console = fopen("/dev/null", "w");
	assert_non_null(host_console);
	vm_host_startup(RAM_PAGES);
	saved_tunables = vm_fault_tunables;
	swapdisk = vm_host_swap_attach(SWAP_PAGES);
	vm_host_set_baseline();
	return 0;
}

static int
group_teardown(void **state)
{
	vm_host_swap_detach(swapdisk);
	fclose(host_console);
	host_console = NULL;
	return 0;
}

static int
teardown(void **state)
{
	vm_fault_tunables = saved_tunables;
	host_sleep_hook = NULL;
	return 0;
}

/*
 * No fork: every operation on any range, cutting entries anywhere.  Each
 * object stays alone at the top of its chain.
 */
static void
test_model_no_fork(void **state)
{
	static const struct profile pf = { .name = "no-fork",
	    .families = MAX_FAMILIES, .family_max = 1, .partial = true,
	    .depth_bound = 1 };

	run_profile(&pf, 0x5eed0100);
}

/*
 * Fork in pairs: a process forks only while alone in its family, and
 * ranges are whole regions, so no entry is ever cut.  The fork then always
 * finds the backing object unshared and merges it, so no chain ever gets
 * longer than two.
 */
static void
test_model_fork_pairs(void **state)
{
	static const struct profile pf = { .name = "fork-pairs",
	    .families = 3, .family_max = 2, .depth_bound = 2 };

	run_profile(&pf, 0x5eed0200);
}

/*
 * Everything at once: up to six processes per family, any range.  The
 * chain depth is reported, not bounded: both live processes and entries
 * cut in two can keep a level of a chain shared.
 */
static void
test_model_full(void **state)
{
	static const struct profile pf = { .name = "full", .families = 2,
	    .family_max = MAX_PROCS, .partial = true };

	run_profile(&pf, 0x5eed0300);
}

/* No fork, and madvise over ranges with holes in them. */
static void
test_model_madvise_holes(void **state)
{
	static const struct profile pf = { .name = "madvise-holes",
	    .families = MAX_FAMILIES, .family_max = 1, .partial = true,
	    .madvise_holes = true, .depth_bound = 1 };

	run_profile(&pf, 0x5eed0400);
}

/* Everything, and any inheritance set on any range at any time. */
static void
test_model_inherit_anytime(void **state)
{
	static const struct profile pf = { .name = "inherit-anytime",
	    .families = 2, .family_max = MAX_PROCS, .partial = true,
	    .inherit_anytime = true };

	run_profile(&pf, 0x5eed0500);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_model_no_fork, teardown),
		cmocka_unit_test_teardown(test_model_fork_pairs, teardown),
		cmocka_unit_test_teardown(test_model_full, teardown),
		cmocka_unit_test_teardown(test_model_madvise_holes, teardown),
		cmocka_unit_test_teardown(test_model_inherit_anytime, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
