/*
 * Tests of the per-object page trie (vm/vm_radix.c) and of the page
 * calls built on it (vm_page_alloc, vm_page_lookup, vm_page_rename).
 *
 * The trie only reads its pages' pindex, so most tests use an array of
 * struct vm_page of their own as leaves, against a reference: a sorted
 * array of the keys present.  Random sequences of inserts, removes and
 * lookups (fixed seeds, printed on failure) over several key shapes
 * (dense, wide, clustered, the extremes of 64 bits) check every answer,
 * the ordered walk, and that the trie has exactly the nodes its keys
 * call for: path compression makes its shape a function of the key set.
 * Node memory comes from the real kmalloc on fake RAM, so running out of
 * it is tested as it happens in the kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/errno.h"
#include "kern/kernel.h"
#include "tests/host/kernel_host.h"
#include "tests/host/vm_host.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vm_radix.h"

#define RAM_PAGES	1024
#define MAXKEYS		4096

/* A trie under test, its leaves and the reference. */
static struct vm_radix rt;
static struct vm_page leaves[MAXKEYS];
static uint64_t ref[MAXKEYS];	/* keys present, ascending */
static size_t nref;
static uint64_t seed;		/* of the running random test */

static int
group_setup(void **state)
{
	vm_host_startup(RAM_PAGES);
	return 0;
}

static int
setup(void **state)
{
	vm_radix_init(&rt);
	nref = 0;
	return 0;
}

/* Every test empties its tries: no node may be left. */
static int
teardown(void **state)
{
	assert_int_equal(vm_radix_stats.nodes, 0);
	vm_host_assert_clean();
	return 0;
}

/* xorshift64*: a fixed sequence per seed. */
static uint64_t
rnd(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

/* Index in ref of the first key >= key (nref if none). */
static size_t
ref_ge(uint64_t key)
{
	size_t lo = 0, hi = nref;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ref[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
ref_has(uint64_t key)
{
	size_t i = ref_ge(key);

	return i < nref && ref[i] == key;
}

/*
 * Insert and remove as the page calls do: a lookup that leaves a cursor,
 * then the change at the cursor.
 */
static int
tree_insert(struct vm_radix *t, uint64_t key, struct vm_page *m)
{
	struct vm_radix_cursor c;

	if (vm_radix_lookup_at(t, key, &c) != NULL)
		fail_msg("insert %#lx: taken (seed %#lx)", key, seed);
	return vm_radix_insert_at(t, &c, key, m);
}

static struct vm_page *
tree_remove(struct vm_radix *t, uint64_t key)
{
	struct vm_radix_cursor c;
	struct vm_page *m = vm_radix_lookup_at(t, key, &c);

	if (m != NULL)
		vm_radix_remove_at(t, &c);
	return m;
}

/* A leaf not in the trie (leaf i holds ref's i-th insert, reused). */
static struct vm_page *
free_leaf(void)
{
	for (size_t i = 0; i < MAXKEYS; i++)
		if (leaves[i].object == NULL)
			return &leaves[i];
	fail_msg("no free leaf");
	return NULL;
}

/* The leaves in use are marked by a non-NULL object: any non-NULL value. */
#define IN_TRIE	((struct vm_object *)1)

static void
insert_key(uint64_t key)
{
	struct vm_page *m = free_leaf();
	size_t i = ref_ge(key);

	m->pindex = key;
	if (tree_insert(&rt, key, m) != 0)
		fail_msg("insert %#lx failed (seed %#lx)", key, seed);
	m->object = IN_TRIE;
	memmove(&ref[i + 1], &ref[i], (nref - i) * sizeof(ref[0]));
	ref[i] = key;
	nref++;
}

static void
remove_key(uint64_t key)
{
	struct vm_page *m = tree_remove(&rt, key);
	size_t i = ref_ge(key);

	if (!ref_has(key)) {
		if (m != NULL)
			fail_msg("removed absent %#lx (seed %#lx)", key, seed);
		return;
	}
	if (m == NULL || m->pindex != key)
		fail_msg("remove %#lx gave %p (seed %#lx)", key, (void *)m, seed);
	m->object = NULL;
	memmove(&ref[i], &ref[i + 1], (nref - i - 1) * sizeof(ref[0]));
	nref--;
}

/* Both lookups, the plain one and the one that leaves a cursor. */
static void
check_lookup(uint64_t key)
{
	struct vm_radix_cursor c;
	struct vm_page *m = vm_radix_lookup(&rt, key);

	if (ref_has(key) ? (m == NULL || m->pindex != key) : m != NULL)
		fail_msg("lookup %#lx gave %p (seed %#lx)", key, (void *)m, seed);
	if (vm_radix_lookup_at(&rt, key, &c) != m)
		fail_msg("lookup_at %#lx differs (seed %#lx)", key, seed);
}

/*
 * The ordered walk from key: gather's first few pages at or above key
 * are the reference's next keys, and a range of one key [key, key] finds
 * exactly that key if it is there.
 */
static void
check_lookup_ge(uint64_t key)
{
	struct vm_page *ma[3];
	size_t i = ref_ge(key);
	int got = vm_radix_gather(&rt, key, UINT64_MAX, ma, (int)nitems(ma));

	if ((size_t)got != MIN(nitems(ma), nref - i))
		fail_msg("gather %#lx gave %d pages, want %zu (seed %#lx)", key,
		    got, MIN(nitems(ma), nref - i), seed);
	for (int j = 0; j < got; j++)
		if (ma[j]->pindex != ref[i + j])
			fail_msg("gather %#lx: page %d is %#lx, want %#lx "
			    "(seed %#lx)", key, j, ma[j]->pindex, ref[i + j],
			    seed);
	got = vm_radix_gather(&rt, key, key, ma, 1);
	if (got != (ref_has(key) ? 1 : 0))
		fail_msg("gather [%#lx, %#lx] gave %d (seed %#lx)", key, key,
		    got, seed);
}

/* Highest 4-bit digit in which a and b (different) differ. */
static unsigned
differ_level(uint64_t a, uint64_t b)
{
	return (unsigned)(63 - __builtin_clzll(a ^ b)) / 4;
}

/*
 * The nodes a path-compressed 16-way trie of the sorted keys k[0..n)
 * has: one where they branch (at the highest digit in which the first
 * and last differ), and those of each branch.
 */
static uint64_t
nodes_for(const uint64_t *k, size_t n)
{
	uint64_t nodes = 1;
	unsigned level;
	size_t i = 0;

	if (n <= 1)
		return 0;
	level = differ_level(k[0], k[n - 1]);
	while (i < n) {
		size_t j = i + 1;
		unsigned d = (unsigned)(k[i] >> (4 * level)) & 15;

		while (j < n && ((unsigned)(k[j] >> (4 * level)) & 15) == d)
			j++;
		nodes += nodes_for(&k[i], j - i);
		i = j;
	}
	return nodes;
}

/*
 * The whole trie against the reference: the ordered walk gives exactly
 * ref's keys, and the trie has exactly the nodes they call for.
 */
static void
check_all(void)
{
	struct vm_page *ma[7];		/* an odd batch, to cross nodes */
	uint64_t lo = 0;
	size_t i = 0;
	int got;

	while ((got = vm_radix_gather(&rt, lo, UINT64_MAX, ma,
	    (int)nitems(ma))) > 0) {
		for (int j = 0; j < got; j++, i++)
			if (i >= nref || ma[j]->pindex != ref[i])
				fail_msg("walk: key %zu is %#lx, want %#lx "
				    "(seed %#lx)", i, ma[j]->pindex,
				    i < nref ? ref[i] : 0, seed);
		if (ma[got - 1]->pindex == UINT64_MAX)
			break;
		lo = ma[got - 1]->pindex + 1;
	}
	if (i != nref)
		fail_msg("walk found %zu keys of %zu (seed %#lx)", i, nref, seed);
	if (vm_radix_stats.nodes != nodes_for(ref, nref))
		fail_msg("%lu nodes for %zu keys, want %lu (seed %#lx)",
		    vm_radix_stats.nodes, nref, nodes_for(ref, nref), seed);
	assert_int_equal(vm_radix_is_empty(&rt), nref == 0);
}

static void
remove_all(void)
{
	while (nref > 0)
		remove_key(ref[rnd() % nref]);
	check_all();
}

/* --- shapes -------------------------------------------------------------- */

static void
test_empty(void **state)
{
	struct vm_page *m;

	assert_true(vm_radix_is_empty(&rt));
	assert_null(vm_radix_lookup(&rt, 0));
	assert_int_equal(vm_radix_gather(&rt, 0, UINT64_MAX, &m, 1), 0);
	assert_null(tree_remove(&rt, 0));
	assert_null(tree_remove(&rt, UINT64_MAX));
}

/* One page takes no node: the root is the page. */
static void
test_one_page_no_node(void **state)
{
	insert_key(7);
	assert_int_equal(vm_radix_stats.nodes, 0);
	assert_int_equal(rt.rt_root, (uintptr_t)&leaves[0] | VM_RADIX_LEAF);
	check_lookup(7);
	check_lookup(6);
	check_lookup(7 + 16);
	check_lookup_ge(0);
	check_lookup_ge(8);
	assert_null(tree_remove(&rt, 8));
	remove_key(7);
	assert_true(vm_radix_is_empty(&rt));
}

/* Sixteen pages in a row take one node; 4096, 16 * 16 + 16 + 1. */
static void
test_sequential_shape(void **state)
{
	for (uint64_t k = 0; k < 16; k++)
		insert_key(k);
	assert_int_equal(vm_radix_stats.nodes, 1);
	for (uint64_t k = 16; k < MAXKEYS; k++)
		insert_key(k);
	assert_int_equal(vm_radix_stats.nodes, 256 + 16 + 1);
	check_all();
	/* Removing in order frees each node with its second-last page. */
	for (uint64_t k = 0; k < MAXKEYS; k++) {
		remove_key(k);
		if (k % 256 == 0)
			check_all();
	}
	check_all();
}

/* Two keys that differ only in the top bit: one node at the top level. */
static void
test_extreme_keys(void **state)
{
	const uint64_t keys[] = { 0, UINT64_MAX, 1ULL << 63, (1ULL << 63) - 1,
	    1, UINT64_MAX - 1, 0x0123456789abcdefULL };

	for (size_t i = 0; i < nitems(keys); i++) {
		insert_key(keys[i]);
		check_all();
		for (size_t j = 0; j < nitems(keys); j++) {
			check_lookup(keys[j]);
			check_lookup_ge(keys[j]);
			check_lookup_ge(keys[j] + 1);
			check_lookup_ge(keys[j] - 1);
		}
	}
	for (size_t i = nitems(keys); i-- > 0;) {
		remove_key(keys[i]);
		check_all();
	}
}

/* --- random sequences against the reference ---------------------------- */

/* A random key of shape s: dense, 20 bits, 64 bits, clustered, edges. */
static uint64_t
random_key(int shape)
{
	static const uint64_t bases[] = { 0, 0x1000, 0xdead0000, 1ULL << 40,
	    UINT64_MAX - 300 };

	switch (shape) {
	case 0:
		return rnd() % 300;
	case 1:
		return rnd() & 0xfffff;
	case 2:
		return rnd();
	case 3:
		return bases[rnd() % nitems(bases)] + rnd() % 256;
	default:
		return (rnd() & 1) ? rnd() % 40 : UINT64_MAX - rnd() % 40;
	}
}

static void
random_ops(int shape, uint64_t s, int nops)
{
	seed = s;
	for (int op = 0; op < nops; op++) {
		uint64_t r = rnd() % 10, key = random_key(shape);

		if (r < 5 && nref < MAXKEYS) {
			if (!ref_has(key))
				insert_key(key);
		} else if (r < 8) {
			/* A present key mostly, sometimes an absent one. */
			remove_key(nref > 0 && (rnd() & 3) ? ref[rnd() % nref] : key);
		} else {
			check_lookup_ge(key);
		}
		check_lookup(key);
		check_lookup(nref > 0 ? ref[rnd() % nref] : key);
		if (op % 97 == 0)
			check_all();
	}
	check_all();
	remove_all();
}

static void
test_random_dense(void **state)
{
	for (uint64_t s = 1; s <= 4; s++)
		random_ops(0, s, 3000);
}

static void
test_random_20bit(void **state)
{
	for (uint64_t s = 1; s <= 4; s++)
		random_ops(1, s * 7919, 6000);
}

static void
test_random_64bit(void **state)
{
	for (uint64_t s = 1; s <= 4; s++)
		random_ops(2, s * 104729, 6000);
}

static void
test_random_clustered(void **state)
{
	for (uint64_t s = 1; s <= 4; s++)
		random_ops(3, s * 1299709, 6000);
}

static void
test_random_edges(void **state)
{
	for (uint64_t s = 1; s <= 4; s++)
		random_ops(4, s * 15485863, 2000);
}

/* Insert a shuffled range, probe every lookup_ge around it, remove it. */
static void
test_ordered_walk_shuffled(void **state)
{
	uint64_t keys[1000];

	seed = 42;
	for (size_t i = 0; i < nitems(keys); i++)
		keys[i] = 5000 + 3 * i;
	for (size_t i = nitems(keys) - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1);
		uint64_t t = keys[i];

		keys[i] = keys[j];
		keys[j] = t;
	}
	for (size_t i = 0; i < nitems(keys); i++)
		insert_key(keys[i]);
	check_all();
	for (uint64_t k = 4990; k < 5000 + 3 * nitems(keys) + 10; k++)
		check_lookup_ge(k);
	check_lookup_ge(UINT64_MAX);
	remove_all();
}

/*
 * Prefault's walk: a window of consecutive keys looked up through one
 * cursor, stepping (vm_radix_cursor_step) where it can and looking up
 * afresh where it declines, with misses filled at the cursor as it goes.
 * Every answer is checked against the reference; a step must follow any
 * insert into an empty slot, and decline after one that made a node.
 * Returns how many keys it stepped to.
 */
static int
window_walk(uint64_t lo, int n)
{
	struct vm_radix_cursor c = { .node = NULL };
	int steps = 0;

	for (uint64_t key = lo; key < lo + n; key++) {
		bool stepped, made_node;
		struct vm_page *m;
		uint64_t nodes;

		stepped = vm_radix_cursor_step(&rt, &c, key, &m);
		if (!stepped)
			m = vm_radix_lookup_at(&rt, key, &c);
		steps += stepped;
		if (ref_has(key) ? (m == NULL || m->pindex != key) : m != NULL)
			fail_msg("window %#lx: %#lx gave %p (stepped %d, seed "
			    "%#lx)", lo, key, (void *)m, stepped, seed);
		if (m != NULL || nref >= MAXKEYS || (rnd() & 3) == 0)
			continue;
		m = free_leaf();
		m->pindex = key;
		nodes = vm_radix_stats.nodes;
		assert_int_equal(vm_radix_insert_at(&rt, &c, key, m), 0);
		made_node = vm_radix_stats.nodes != nodes;
		m->object = IN_TRIE;
		memmove(&ref[ref_ge(key) + 1], &ref[ref_ge(key)],
		    (nref - ref_ge(key)) * sizeof(ref[0]));
		ref[ref_ge(key)] = key;
		nref++;
		if (made_node && key + 1 < lo + n &&
		    vm_radix_cursor_step(&rt, &c, key + 1, &m))
			fail_msg("step after a new node at %#lx (seed %#lx)",
			    key, seed);
	}
	return steps;
}

static void
test_cursor_step_windows(void **state)
{
	uint64_t steps_seen = 0;

	for (int shape = 0; shape < 5; shape++) {
		seed = 77 + shape;
		for (int w = 0; w < 300; w++) {
			uint64_t lo = MIN(random_key(shape), UINT64_MAX - 40);

			steps_seen += window_walk(lo, 1 + (int)(rnd() % 33));
			if (w % 50 == 0)
				check_all();
		}
		check_all();
		remove_all();
	}
	assert_true(steps_seen > 0);
}

/* --- running out of node memory ---------------------------------------- */

/*
 * With kmalloc exhausted, an insert that needs a node fails with ENOMEM
 * and changes nothing; inserts that need none (an empty root, an empty
 * slot of an existing node) and every remove still work; once memory is
 * back the same insert succeeds, at the cursor of the failed one too.
 */
static void
test_insert_out_of_nodes(void **state)
{
	struct vm_radix other;
	struct vm_radix_cursor c;
	struct vm_page *m;
	uint64_t failures = vm_radix_stats.alloc_failures;

	insert_key(0);
	insert_key(1);
	vm_host_hoard();
	m = free_leaf();
	m->pindex = 16;
	assert_null(vm_radix_lookup_at(&rt, 16, &c));
	assert_int_equal(vm_radix_insert_at(&rt, &c, 16, m), ENOMEM);
	assert_int_equal(vm_radix_stats.alloc_failures, failures + 1);
	check_lookup(16);
	check_all();
	/* The cursor is still good: memory back, the same insert works. */
	vm_host_unhoard();
	assert_int_equal(vm_radix_insert_at(&rt, &c, 16, m), 0);
	assert_ptr_equal(tree_remove(&rt, 16), m);
	check_all();
	vm_host_hoard();
	insert_key(2);			/* a free slot of the node */
	vm_radix_init(&other);
	m = free_leaf();
	m->pindex = 99;
	assert_int_equal(tree_insert(&other, 99, m), 0);	/* a root */
	assert_ptr_equal(tree_remove(&other, 99), m);
	remove_key(1);
	check_all();
	vm_host_unhoard();
	insert_key(16);
	check_all();
	remove_all();
}

/*
 * vm_page_alloc whose object's trie cannot get a node returns NULL and
 * gives the page back; vm_page_rename that cannot returns ENOMEM with
 * both objects as they were.  Then both work once memory is back.
 */
static void
test_page_calls_out_of_nodes(void **state)
{
	struct vm_object *a = vm_object_allocate(OBJT_ANON, 64);
	struct vm_object *b = vm_object_allocate(OBJT_ANON, 64);
	struct vm_page *ma, *mb;
	uint64_t failures;

	vm_object_lock(a);
	vm_object_lock(b);
	ma = vm_page_alloc(a, 5, 0);
	mb = vm_page_alloc(b, 0, 0);
	assert_non_null(ma);
	assert_non_null(mb);
	vm_page_wakeup(ma);
	vm_page_wakeup(mb);
	vm_host_hoard();
	failures = vm_radix_stats.alloc_failures;
	assert_int_equal(vm_page_rename(ma, b, 7), ENOMEM);
	assert_ptr_equal(ma->object, a);
	assert_int_equal(ma->pindex, 5);
	assert_ptr_equal(vm_page_lookup(a, 5), ma);
	assert_null(vm_page_lookup(b, 7));
	assert_int_equal(a->resident_page_count, 1);
	assert_int_equal(b->resident_page_count, 1);
	assert_int_equal(vm_radix_stats.alloc_failures, failures + 1);

	vm_host_unhoard();
	vm_host_hoard();
	/* Give back exactly one page: the allocation takes it, kmalloc none. */
	vm_host_unhoard_pages(1);
	assert_int_equal(vm_page_free_count(), 1);
	assert_null(vm_page_alloc(b, 7, VM_ALLOC_SYSTEM));
	assert_int_equal(vm_page_free_count(), 1);
	assert_null(vm_page_lookup(b, 7));
	assert_int_equal(b->resident_page_count, 1);
	assert_int_equal(vm_radix_stats.alloc_failures, failures + 2);
	vm_host_unhoard();

	assert_int_equal(vm_page_rename(ma, b, 7), 0);
	assert_ptr_equal(ma->object, b);
	assert_int_equal(ma->pindex, 7);
	assert_null(vm_page_lookup(a, 5));
	assert_ptr_equal(vm_page_lookup(b, 7), ma);
	assert_ptr_equal(vm_page_lookup(b, 0), mb);
	assert_int_equal(a->resident_page_count, 0);
	assert_int_equal(b->resident_page_count, 2);
	vm_page_free(ma);
	vm_page_free(mb);
	vm_object_unlock(b);
	vm_object_unlock(a);
	vm_object_deallocate(b);
	vm_object_deallocate(a);
}

/*
 * Prefault's zero fills: vm_page_alloc_batch takes pages in one go (on
 * the active queue, in no object), vm_page_insert_zeroed makes some of
 * them zero-filled valid pages of an object, not busy, and the rest go
 * back with vm_page_free.  A batch stops at the reserve.
 */
static void
test_page_batch_zero_fill(void **state)
{
	struct vm_object *a = vm_object_allocate(OBJT_ANON, 64);
	uint64_t free0 = vm_page_free_count();
	uint64_t active0 = vm_page_stats.v_active_count;
	uint64_t reserve = vm_page_thresholds.v_free_reserved;
	struct vm_page *ma[16];

	assert_int_equal(vm_page_alloc_batch(ma, 16), 16);
	assert_int_equal(vm_page_free_count(), free0 - 16);
	assert_int_equal(vm_page_stats.v_active_count, active0 + 16);
	vm_object_lock(a);
	for (int i = 0; i < 16; i++) {
		struct vm_radix_cursor c;

		assert_null(ma[i]->object);
		assert_int_equal(ma[i]->queue, PQ_ACTIVE);
		memset((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(ma[i])), 0x5a,
		    PAGE_SIZE);
		if (i >= 8)
			continue;
		assert_null(vm_page_lookup_at(a, 2 * i, &c));
		assert_int_equal(vm_page_insert_zeroed(ma[i], a, 2 * i, &c), 0);
	}
	for (int i = 0; i < 8; i++) {
		const uint8_t *va = (const uint8_t *)PHYS_TO_DMAP(
		    VM_PAGE_TO_PHYS(ma[i]));

		assert_ptr_equal(vm_page_lookup(a, 2 * i), ma[i]);
		assert_int_equal(ma[i]->flags & (PG_VALID | PG_BUSY), PG_VALID);
		for (size_t b = 0; b < PAGE_SIZE; b++)
			if (va[b] != 0)
				fail_msg("page %d byte %zu not zeroed", i, b);
	}
	assert_int_equal(a->resident_page_count, 8);
	for (int i = 8; i < 16; i++)
		vm_page_free(ma[i]);
	assert_int_equal(vm_page_free_count(), free0 - 8);
	assert_int_equal(vm_page_stats.v_active_count, active0 + 8);
	vm_object_unlock(a);

	/*
	 * Under pressure a batch takes one page; three pages above
	 * v_free_min, three; at the reserve, none.
	 */
	vm_host_hoard();
	vm_host_unhoard_pages(reserve + 1);
	assert_true(reserve + 1 <= vm_page_thresholds.v_free_min);
	assert_int_equal(vm_page_alloc_batch(ma, 16), 1);
	assert_int_equal(vm_page_free_count(), reserve);
	assert_int_equal(vm_page_alloc_batch(ma + 1, 16), 0);
	vm_page_free(ma[0]);
	vm_host_unhoard();
	vm_host_hoard();
	vm_host_unhoard_pages(vm_page_thresholds.v_free_min + 3);
	assert_int_equal(vm_page_alloc_batch(ma, 16), 3);
	assert_int_equal(vm_page_free_count(), vm_page_thresholds.v_free_min);
	for (int i = 0; i < 3; i++)
		vm_page_free(ma[i]);
	vm_host_unhoard();
	vm_object_deallocate(a);
	assert_int_equal(vm_page_free_count(), free0);
	assert_int_equal(vm_page_stats.v_active_count, active0);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_empty),
		T(test_one_page_no_node),
		T(test_sequential_shape),
		T(test_extreme_keys),
		T(test_random_dense),
		T(test_random_20bit),
		T(test_random_64bit),
		T(test_random_clustered),
		T(test_random_edges),
		T(test_ordered_walk_shuffled),
		T(test_cursor_step_windows),
		T(test_insert_out_of_nodes),
		T(test_page_calls_out_of_nodes),
		T(test_page_batch_zero_fill),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
