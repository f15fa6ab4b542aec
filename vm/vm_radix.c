/*
 * The per-object page trie (see vm_radix.h for its shape and rules).
 *
 * Terms used below: a key's digit at level l is bits [4l, 4l + 4), and
 * a node at level l keeps shift = 4l; the prefix of a key at level l is
 * the key with that digit and every digit below it cleared, which is what
 * a node at level l stores as its owner.  A key belongs under a node iff
 * its prefix at the node's level is the node's owner.
 *
 * All operations walk down from the root without recursion or a stack:
 * vm_radix_lookup_at (vm_radix.h) leaves a cursor at the slot it ended
 * in, which is all an insert or a remove needs; gather, an in-order walk
 * of a range, keeps its path in a small array (the trie is at most 16
 * levels deep).
 */
#include "vm/vm_radix.h"
#include "kern/errno.h"
#include "kern/sysctl.h"

struct vm_radix_stats vm_radix_stats;

static inline struct vm_radix_node *
slot_node(uintptr_t p)
{
	return (struct vm_radix_node *)p;
}

/* key's digit at the level whose lowest bit is shift. */
static inline unsigned
digit(vm_pindex_t key, unsigned shift)
{
	return (unsigned)(key >> shift) & (VM_RADIX_COUNT - 1);
}

/*
 * key's prefix at that level: the digits above it.  (16 << 60 is 0 in
 * uint64_t, so the top level's prefix is 0.)
 */
static inline vm_pindex_t
prefix(vm_pindex_t key, unsigned shift)
{
	return key & ~(((uint64_t)VM_RADIX_COUNT << shift) - 1);
}

/*
 * The lowest bit of the highest digit in which two different keys
 * differ, by halving (the kernel's ISA has no count-leading-zeros
 * instruction, and there is no libgcc).
 */
static inline unsigned
split_shift(vm_pindex_t a, vm_pindex_t b)
{
	uint64_t x = a ^ b;
	unsigned shift = 0;

	for (unsigned bits = 32; bits >= VM_RADIX_WIDTH; bits /= 2)
		if (x >> bits) {
			x >>= bits;
			shift += bits;
		}
	return shift;
}

/*
 * A node at the highest digit where key and other_key differ, holding
 * new (at key's digit) and other (at other_key's).  NULL, changing
 * nothing, if kmalloc has no memory.  Never sleeps.  The slots are
 * cleared here, 16 stores, rather than by M_ZERO: a fifth of memset's
 * cost, on a path that zero-fill faults take every 16 pages.
 */
static struct vm_radix_node *
node_make(vm_pindex_t key, uintptr_t new, vm_pindex_t other_key,
    uintptr_t other)
{
	unsigned shift = split_shift(key, other_key);
	struct vm_radix_node *n = kmalloc(sizeof(*n), M_NOWAIT);

	if (n == NULL) {
		__atomic_fetch_add(&vm_radix_stats.alloc_failures, 1,
		    __ATOMIC_RELAXED);
		return NULL;
	}
	__atomic_fetch_add(&vm_radix_stats.nodes, 1, __ATOMIC_RELAXED);
#pragma GCC unroll 16
	for (int i = 0; i < VM_RADIX_COUNT; i++)
		n->child[i] = 0;
	n->owner = prefix(key, shift);
	n->shift = (uint8_t)shift;
	n->count = 2;
	n->child[digit(key, shift)] = new;
	n->child[digit(other_key, shift)] = other;
	return n;
}

static void
node_free(struct vm_radix_node *n)
{
	__atomic_fetch_sub(&vm_radix_stats.nodes, 1, __ATOMIC_RELAXED);
	kfree(n);
}

/* The highest key a subtree at node n can hold. */
static inline vm_pindex_t
node_last(const struct vm_radix_node *n)
{
	return n->owner | (((uint64_t)VM_RADIX_COUNT << n->shift) - 1);
}

/*
 * Up to max pages with first <= pindex <= last, into ma in index order;
 * returns how many.  One in-order walk: subtrees wholly below first are
 * passed over at the node above them, and the walk ends at the first key
 * past last, so a range costs its depth once plus a step a page (the
 * ordered walk of a range is `while ((n = gather(rt, lo, hi, ma, max)) >
 * 0) { ...; lo = ma[n - 1]->pindex + 1; }`, minding the top key).
 * Caller holds the tree's owner's lock.
 */
int
vm_radix_gather(const struct vm_radix *rt, vm_pindex_t first,
    vm_pindex_t last, struct vm_page **ma, int max)
{
	/* The nodes above the one being walked, each with its next child. */
	struct {
		const struct vm_radix_node *node;
		unsigned next;
	} stack[64 / VM_RADIX_WIDTH];
	const struct vm_radix_node *n;
	uintptr_t p = rt->rt_root;
	int depth = 0, got = 0;
	unsigned i;

	if (p == 0 || max == 0)
		return 0;
	if (vm_radix_slot_is_leaf(p)) {
		struct vm_page *m = vm_radix_slot_page(p);

		if (m->pindex < first || m->pindex > last)
			return 0;
		ma[0] = m;
		return 1;
	}
	n = slot_node(p);
	if (n->owner > last || node_last(n) < first)
		return 0;
	i = first > n->owner ? digit(first, n->shift) : 0;
	for (;;) {
		if (i == VM_RADIX_COUNT) {	/* n done: back up */
			if (depth == 0)
				return got;
			depth--;
			n = stack[depth].node;
			i = stack[depth].next;
			continue;
		}
		p = n->child[i++];
		if (p == 0)
			continue;
		if (vm_radix_slot_is_leaf(p)) {
			struct vm_page *m = vm_radix_slot_page(p);

			if (m->pindex > last)
				return got;	/* in order: so is the rest */
			if (m->pindex >= first) {
				ma[got++] = m;
				if (got == max)
					return got;
			}
			continue;
		}
		if (slot_node(p)->owner > last)
			return got;
		if (node_last(slot_node(p)) < first)
			continue;
		KASSERT(depth < (int)nitems(stack), "trie too deep");
		stack[depth].node = n;
		stack[depth].next = i;
		depth++;
		n = slot_node(p);
		/* first inside n's range: start at its digit */
		i = first > n->owner ? digit(first, n->shift) : 0;
	}
}

/*
 * The cursor of a miss whose fast walk left the trie's branches above the
 * last node it passed (see vm_radix_lookup_at): walk down again, stopping
 * at the first node whose prefix index does not share, which is where an
 * insert must split.  Caller holds the tree's owner's lock.
 */
void
vm_radix_cursor_slow(struct vm_radix *rt, vm_pindex_t index,
    struct vm_radix_cursor *c)
{
	uintptr_t *slotp = &rt->rt_root, *nodep = NULL, p;
	struct vm_radix_node *node = NULL;

	for (;;) {
		struct vm_radix_node *n;
		uint64_t d;

		p = *slotp;
		if (p == 0 || vm_radix_slot_is_leaf(p))
			break;
		n = slot_node(p);
		d = (index ^ n->owner) >> n->shift;
		if (d >= VM_RADIX_COUNT)
			break;
		nodep = slotp;
		node = n;
		slotp = &n->child[d];
	}
	c->slotp = slotp;
	c->node = node;
	c->nodep = nodep;
}

/*
 * vm_radix_insert_at where the cursor's slot is not empty (vm_radix.h):
 * a node goes in there, above the leaf or node the slot holds.
 */
int
vm_radix_insert_split(struct vm_radix *rt, struct vm_radix_cursor *c,
    vm_pindex_t index, struct vm_page *m)
{
	uintptr_t p = *c->slotp;
	struct vm_radix_node *n;

	vm_radix_cursor_check(rt, c);
	if (vm_radix_slot_is_leaf(p)) {
		vm_pindex_t other = vm_radix_slot_page(p)->pindex;

		KASSERT(other != index, "index %#lx taken by page %#lx",
		    index, VM_PAGE_TO_PHYS(vm_radix_slot_page(p)));
		n = node_make(index, vm_radix_leaf_slot(m), other, p);
	} else {
		/* index leaves this node's prefix above it: split there. */
		n = node_make(index, vm_radix_leaf_slot(m),
		    slot_node(p)->owner, p);
	}
	if (n == NULL)
		return ENOMEM;
	*c->slotp = (uintptr_t)n;
	vm_radix_tree_changed(rt);
	c->node = NULL;		/* no step from here (vm_radix_insert_at) */
	return 0;
}

/*
 * vm_radix_remove_at's node c->node, left with one child: freed, and the
 * child takes its place.
 */
void
vm_radix_node_collapse(struct vm_radix_cursor *c)
{
	struct vm_radix_node *n = c->node;
	int i = 0;

	while (n->child[i] == 0)
		i++;
	*c->nodep = n->child[i];
	node_free(n);
}

SYSCTL_U64(radix_nodes, "vm.stats.radix.nodes", CTLFLAG_RD,
    &vm_radix_stats.nodes, "nodes of the objects' page tries");
SYSCTL_U64(radix_alloc_failures, "vm.stats.radix.alloc_failures", CTLFLAG_RD,
    &vm_radix_stats.alloc_failures,
    "page inserts that failed for want of a trie node");
