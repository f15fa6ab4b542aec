/*
 * Model-based random test of the VM system as a whole (vm_map, vm_object,
 * vm_fault on the stub pmap): address spaces map, unmap, protect, advise,
 * set inheritance, read, write, fork and exit at random, thousands of
 * steps per run, while a plain reference model says what each of them
 * must see.  Every byte a process reads, through the simulated MMU, is
 * checked against the model; so is every page, now and then.
 *
 * The model is per process: for each page of a small address window, the
 * page's contents (a cell, shared between processes only where memory is
 * shared), its protection and its inheritance.  Fork copies the cells of
 * VM_INHERIT_COPY pages, shares those of VM_INHERIT_SHARE pages and leaves
 * out VM_INHERIT_NONE ones; MADV_DONTNEED gives a page a fresh zero cell.
 *
 * Profiles pick the mix of operations; where a profile's shape bounds the
 * shadow chains, the depth is held to that bound after every step.  The
 * runs of a profile go through every combination of the
 * fault tunables (prefault, its zero fill, COW rename).  Each run ends with
 * everything freed and checked: free pages back at the baseline, no
 * object, no pmap, no cell, and LeakSanitizer for the host memory.
 *
 * Environment: VM_MODEL_SEED=n runs every run of every profile with seed
 * n (a failure names the seed and the run); VM_MODEL_STEPS=n sets the
 * steps per run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/kernel.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_param.h"

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

struct cell {
	int refs;
	uint8_t data[PAGE_SIZE];
};

struct mpage {
	struct cell *cell;	/* NULL: not mapped */
	int region;		/* first page of the vm_map_find making it */
	vm_prot_t prot;
	uint8_t inherit;
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
};

struct range {
	int start, end;		/* pages of the window; empty if equal */
};

static struct vm_fault_tunables saved_tunables;
static int live_cells;

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
cell_copy(const struct cell *from)
{
	struct cell *c = cell_new();

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

/* A new, empty address space: a program just exec'd. */
static void
proc_spawn(struct model *md, int family)
{
	struct mproc *p = proc_alloc(md, family);

	p->vm = vmspace_alloc(WIN_BASE, win_va(WIN_PAGES));
	CHECK(md, p->vm != NULL, "vmspace_alloc failed");
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

static void
op_map(struct model *md, struct mproc *p)
{
	int n = 1 + rnd_below(md, MAX_REGION);
	int hint = rnd_below(md, 2) != 0 ? 0 : rnd_below(md, WIN_PAGES);
	int want = first_fit(p, hint, n);
	vaddr_t addr = win_va(hint);
	bool share = rnd_below(md, 4) == 0;
	int rv;

	rv = vm_map_find(&p->vm->vm_map, NULL, 0, &addr, ptoa(n), false, RW,
	    VM_PROT_ALL, MAP_COPY_ON_WRITE);
	if (want < 0) {
		CHECK(md, rv == KERN_NO_SPACE, "%d pages at %d: rv %d, want "
		    "no space", n, hint, rv);
		return;
	}
	CHECK(md, rv == KERN_SUCCESS && addr == win_va(want),
	    "%d pages at %d: rv %d at %#lx, want page %d", n, hint, rv, addr,
	    want);
	if (share)
		CHECK(md, vm_map_inherit(&p->vm->vm_map, addr, addr + ptoa(n),
		    VM_INHERIT_SHARE) == KERN_SUCCESS, "inherit share failed");
	for (int i = want; i < want + n; i++)
		p->pg[i] = (struct mpage){ .cell = cell_new(), .region = want,
		    .prot = RW, .inherit = share ? VM_INHERIT_SHARE :
		    VM_INHERIT_COPY };
}

static void
op_unmap(struct model *md, struct mproc *p)
{
	struct range r = pick_range(md, p);
	int rv;

	if (r.start == r.end)
		return;
	rv = vm_map_remove(&p->vm->vm_map, win_va(r.start), win_va(r.end));
	CHECK(md, rv == KERN_SUCCESS, "[%d, %d): rv %d", r.start, r.end, rv);
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

static void
op_madvise(struct model *md, struct mproc *p, int advice)
{
	struct range r = pick_madvise_range(md, p);
	bool ok = all_mapped(p, r);
	int rv;

	if (r.start == r.end)
		return;
	rv = vm_map_madvise(&p->vm->vm_map, win_va(r.start), win_va(r.end),
	    advice);
	CHECK(md, rv == (ok ? KERN_SUCCESS : KERN_INVALID_ADDRESS),
	    "[%d, %d) advice %d: rv %d", r.start, r.end, advice, rv);
	if (advice != VM_ADVICE_DONTNEED)
		return;
	for (int i = r.start; i < r.end; i++) {
		if (p->pg[i].cell != NULL) {
			cell_put(p->pg[i].cell);
			p->pg[i].cell = cell_new();
		}
	}
}

static void
op_dontneed(struct model *md, struct mproc *p)
{
	op_madvise(md, p, VM_ADVICE_DONTNEED);
}

static void
op_advise(struct model *md, struct mproc *p)
{
	op_madvise(md, p, VM_ADVICE_NORMAL + rnd_below(md, 3));
}

/*
 * By default only VM_INHERIT_NONE is set after mapping: a region that was
 * forked copy-on-write never becomes shared, and a shared one never
 * becomes copied (see share-then-copy and cow-stale-shared in vm_host.c).
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
	return KERN_SUCCESS;
}

static void
op_write(struct model *md, struct mproc *p)
{
	int page = pick_page(md, p), off = pick_offset(md);
	uint8_t byte = (uint8_t)rnd(md);
	int want = expected_access(p, page, VM_PROT_WRITE);
	int rv = user_write(p->vm, win_va(page) + off, byte);

	CHECK(md, rv == want, "write page %d+%#x: rv %d, want %d", page, off,
	    rv, want);
	if (rv == KERN_SUCCESS) {
		p->pg[page].cell->data[off] = byte;
		p->last_page = page;
		p->last_off = off;
	}
	md->failed += rv != KERN_SUCCESS;
}

/* Half the reads go where the last write went, maybe before a fork. */
static void
op_read(struct model *md, struct mproc *p)
{
	bool again = rnd_below(md, 2) == 0;
	int page = again ? p->last_page : pick_page(md, p);
	int off = again ? p->last_off : pick_offset(md);
	int want = expected_access(p, page, VM_PROT_READ);
	uint8_t byte = 0;
	int rv = user_read(p->vm, win_va(page) + off, &byte);

	CHECK(md, rv == want, "read page %d+%#x: rv %d, want %d", page, off,
	    rv, want);
	if (rv == KERN_SUCCESS)
		CHECK(md, byte == p->pg[page].cell->data[off],
		    "read page %d+%#x: %#x, want %#x", page, off, byte,
		    p->pg[page].cell->data[off]);
	md->failed += rv != KERN_SUCCESS;
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
	CHECK(md, c->vm != NULL, "vmspace_fork failed");
	for (int i = 0; i < WIN_PAGES; i++) {
		struct mpage pg = p->pg[i];

		if (pg.cell == NULL || pg.inherit == VM_INHERIT_NONE)
			continue;
		if (pg.inherit == VM_INHERIT_SHARE)
			pg.cell->refs++;
		else
			pg.cell = cell_copy(pg.cell);
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

/* Every readable page of every process, whole, against the model. */
static void
op_sweep(struct model *md)
{
	static uint8_t buf[PAGE_SIZE];

	for (int k = 0; k < md->nprocs; k++) {
		struct mproc *p = md->procs[k];

		for (int i = 0; i < WIN_PAGES; i++) {
			const struct cell *c = p->pg[i].cell;
			int rv;

			if (c == NULL || !(p->pg[i].prot & VM_PROT_READ))
				continue;
			rv = user_read_page(p->vm, win_va(i), buf);
			CHECK(md, rv == KERN_SUCCESS, "sweep page %d: rv %d", i,
			    rv);
			if (memcmp(buf, c->data, PAGE_SIZE) != 0) {
				size_t off = 0;

				while (buf[off] == c->data[off])
					off++;
				model_fail(md, "process %d page %d+%#zx: %#x, "
				    "want %#x", k, i, off, buf[off],
				    c->data[off]);
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
	{ "unmap", op_unmap, 3 },
	{ "protect", op_protect, 6 },
	{ "dontneed", op_dontneed, 3 },
	{ "advise", op_advise, 2 },
	{ "inherit", op_inherit, 2 },
	{ "fork", op_fork, 6 },
	{ "exit", op_exit, 4 },
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

static void
check_depth(struct model *md)
{
	struct vm_chain_stats cs;

	vm_object_chain_stats(&cs);
	md->deepest = MAX(md->deepest, cs.depth_max);
	CHECK(md, md->pf->depth_bound == 0 ||
	    cs.depth_max <= md->pf->depth_bound, "chain depth %lu, bound %lu",
	    cs.depth_max, md->pf->depth_bound);
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

	md.rng = seed * 0x9e3779b97f4a7c15ULL | 1;
	set_tunables(r);
	for (int f = 0; f < pf->families; f++)
		proc_spawn(&md, f);
	for (md.step = 0; md.step < steps; md.step++) {
		const struct op *op = pick_op(&md);

		md.op = op->name;
		op->fn(&md, pick_proc(&md));
		check_depth(&md);
		if (md.step % SWEEP_EVERY == SWEEP_EVERY - 1) {
			md.op = "sweep";
			op_sweep(&md);
		}
	}
	md.op = "final sweep";
	op_sweep(&md);
	while (md.nprocs > 0)
		proc_destroy(&md, md.nprocs - 1);
	assert_int_equal(live_cells, 0);
	vm_host_assert_clean();
	print_message("model %s: seed %#lx, run %d (prefault %d/%d zero %d, "
	    "rename %d): %d steps, %d forks, %d exits, %d failed accesses, "
	    "deepest chain %lu\n", pf->name, seed, r,
	    vm_fault_tunables.prefault_behind, vm_fault_tunables.prefault_ahead,
	    vm_fault_tunables.prefault_zero, vm_fault_tunables.cow_rename,
	    steps, md.forks, md.exits, md.failed, md.deepest);
}

/* RUNS runs of a profile, each with its own seed and tunables. */
static void
run_profile(const struct profile *pf, uint64_t base_seed)
{
	const char *one = getenv("VM_MODEL_SEED");

	for (int r = 0; r < RUNS; r++)
		run(pf, one != NULL ? strtoull(one, NULL, 0) :
		    base_seed + (uint64_t)r, r);
}

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	saved_tunables = vm_fault_tunables;
	return 0;
}

static int
teardown(void **state)
{
	vm_fault_tunables = saved_tunables;
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

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
