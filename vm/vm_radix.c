/*
 * The per-object page trie (see vm_radix.h for its shape and rules).
 *
 * Terms used below: a key's digit at level l is bits [4l, 4l + 4); the
 * prefix of a key at level l is the key with that digit and every digit
 * below it cleared, which is what a node at level l stores as its owner.
 * A key belongs under a node iff its prefix at the node's level is the
 * node's owner.
 *
 * All operations walk down from the root without recursion or a stack:
 * insert and remove keep a pointer to the slot they came through, and
 * lookup_ge remembers the nearest subtree to the right of its path.
 */
#include "vm/vm_radix.h"
#include "kern/errno.h"
#include "kern/kernel.h"
#include "kern/sysctl.h"
#include "vm/vm_page.h"

#define VM_RADIX_WIDTH	4		/* bits per digit */
#define VM_RADIX_COUNT	(1 << VM_RADIX_WIDTH)	/* children per node */
#define VM_RADIX_LEVELS	(64 / VM_RADIX_WIDTH)	/* digits in a key */

/*
 * Lock legend: a node belongs to one tree and is guarded by the tree's
 * owner's lock, like the tree (see vm_radix.h).
 */
struct vm_radix_node {
	vm_pindex_t owner;		/* prefix of every key below, at level */
	uint8_t level;			/* the digit this node branches on */
	uint8_t count;			/* non-empty children, 2..16 */
	uintptr_t child[VM_RADIX_COUNT];
};

struct vm_radix_stats vm_radix_stats;

static inline bool
slot_is_leaf(uintptr_t p)
{
	return (p & VM_RADIX_LEAF) != 0;
}

static inline struct vm_page *
slot_page(uintptr_t p)
{
	return (struct vm_page *)(p & ~VM_RADIX_LEAF);
}

static inline struct vm_radix_node *
slot_node(uintptr_t p)
{
	return (struct vm_radix_node *)p;
}

static inline uintptr_t
leaf_slot(struct vm_page *m)
{
	return (uintptr_t)m | VM_RADIX_LEAF;
}

/* key's digit at level. */
static inline unsigned
digit(vm_pindex_t key, unsigned level)
{
	return (unsigned)(key >> (level * VM_RADIX_WIDTH)) & (VM_RADIX_COUNT - 1);
}

/*
 * key's prefix at level: the digits above level.  (2 << 63 is 0 in
 * uint64_t, so the top level's prefix is 0 with no out-of-range shift.)
 */
static inline vm_pindex_t
prefix(vm_pindex_t key, unsigned level)
{
	uint64_t below = ((uint64_t)2 << (level * VM_RADIX_WIDTH +
	    VM_RADIX_WIDTH - 1)) - 1;

	return key & ~below;
}

/*
 * The highest digit in which two different keys differ, by halving (the
 * kernel's ISA has no count-leading-zeros instruction, and no libgcc).
 */
static inline unsigned
split_level(vm_pindex_t a, vm_pindex_t b)
{
	uint64_t x = a ^ b;
	unsigned level = 0;

	for (unsigned bits = 32; bits >= VM_RADIX_WIDTH; bits /= 2)
		if (x >> bits) {
			x >>= bits;
			level += bits / VM_RADIX_WIDTH;
		}
	return level;
}

/*
 * A node at the highest digit where key and other_key differ, holding
 * new (at key's digit) and other (at other_key's).  NULL, changing
 * nothing, if kmalloc has no memory.  Never sleeps.
 */
static struct vm_radix_node *
node_make(vm_pindex_t key, uintptr_t new, vm_pindex_t other_key,
    uintptr_t other)
{
	unsigned level = split_level(key, other_key);
	struct vm_radix_node *n = kmalloc(sizeof(*n), M_ZERO | M_NOWAIT);

	if (n == NULL) {
		__atomic_fetch_add(&vm_radix_stats.alloc_failures, 1,
		    __ATOMIC_RELAXED);
		return NULL;
	}
	__atomic_fetch_add(&vm_radix_stats.nodes, 1, __ATOMIC_RELAXED);
	n->owner = prefix(key, level);
	n->level = (uint8_t)level;
	n->count = 2;
	n->child[digit(key, level)] = new;
	n->child[digit(other_key, level)] = other;
	return n;
}

static void
node_free(struct vm_radix_node *n)
{
	__atomic_fetch_sub(&vm_radix_stats.nodes, 1, __ATOMIC_RELAXED);
	kfree(n);
}

/*
 * The page at index, or NULL.  Caller holds the tree's owner's lock.
 * The nodes' prefixes are not compared on the way down: a key outside a
 * node's prefix still leads to an empty slot or some leaf, and the leaf's
 * own key decides (a hit, the common case, passes every prefix anyway).
 */
struct vm_page *
vm_radix_lookup(const struct vm_radix *rt, vm_pindex_t index)
{
	uintptr_t p = rt->rt_root;

	while (p != 0 && !slot_is_leaf(p)) {
		const struct vm_radix_node *n = slot_node(p);

		p = n->child[digit(index, n->level)];
	}
	if (p != 0 && slot_page(p)->pindex == index)
		return slot_page(p);
	return NULL;
}

/* The page with the lowest index in the non-empty subtree at p. */
static struct vm_page *
subtree_min(uintptr_t p)
{
	while (!slot_is_leaf(p)) {
		const struct vm_radix_node *n = slot_node(p);
		int i = 0;

		while (n->child[i] == 0)
			i++;
		p = n->child[i];
	}
	return slot_page(p);
}

/*
 * The page with the lowest index >= index, or NULL if there is none: the
 * ordered walk is `for (m = lookup_ge(rt, lo); m != NULL && m->pindex <
 * hi; m = lookup_ge(rt, m->pindex + 1))`.  Caller holds the tree's
 * owner's lock.
 *
 * On the way down, the nearest non-empty slot right of the path at each
 * node is remembered (deeper ones are nearer): if the path ends below
 * index, the answer is the lowest page of the last one remembered.
 */
struct vm_page *
vm_radix_lookup_ge(const struct vm_radix *rt, vm_pindex_t index)
{
	uintptr_t p = rt->rt_root, right = 0;

	while (p != 0 && !slot_is_leaf(p)) {
		const struct vm_radix_node *n = slot_node(p);
		vm_pindex_t pre = prefix(index, n->level);
		unsigned d;

		if (pre != n->owner) {
			if (pre < n->owner)	/* all of it lies above index */
				return subtree_min(p);
			p = 0;			/* all of it lies below */
			break;
		}
		d = digit(index, n->level);
		for (unsigned i = d + 1; i < VM_RADIX_COUNT; i++)
			if (n->child[i] != 0) {
				right = n->child[i];
				break;
			}
		p = n->child[d];
	}
	if (p != 0 && slot_page(p)->pindex >= index)
		return slot_page(p);
	return right != 0 ? subtree_min(right) : NULL;
}

/*
 * Enter m at index, which must be empty.  m->pindex need not be index
 * yet (a rename inserts before it removes the page from its old tree),
 * but must be by the time the owner's lock is released.  Returns 0, or
 * ENOMEM with the tree unchanged if a node was needed and kmalloc had
 * none.  Never sleeps.  Caller holds the tree's owner's lock.
 */
int
vm_radix_insert(struct vm_radix *rt, vm_pindex_t index, struct vm_page *m)
{
	uintptr_t *slotp = &rt->rt_root;
	struct vm_radix_node *n, *parent = NULL;

	for (;;) {
		uintptr_t p = *slotp;

		if (p == 0) {
			*slotp = leaf_slot(m);
			if (parent != NULL)
				parent->count++;
			return 0;
		}
		if (slot_is_leaf(p)) {
			vm_pindex_t other = slot_page(p)->pindex;

			KASSERT(other != index, "index %#lx taken by page %#lx",
			    index, VM_PAGE_TO_PHYS(slot_page(p)));
			n = node_make(index, leaf_slot(m), other, p);
			break;
		}
		n = slot_node(p);
		if (prefix(index, n->level) != n->owner) {
			/* index leaves n's prefix above n: split there. */
			n = node_make(index, leaf_slot(m), n->owner, p);
			break;
		}
		parent = n;
		slotp = &n->child[digit(index, n->level)];
	}
	if (n == NULL)
		return ENOMEM;
	*slotp = (uintptr_t)n;
	return 0;
}

/*
 * Take the page at index out of the tree and return it (NULL if there is
 * none).  A node left with one child is freed and the child takes its
 * place, so every node keeps two or more.  Never allocates or sleeps.
 * Caller holds the tree's owner's lock.
 */
struct vm_page *
vm_radix_remove(struct vm_radix *rt, vm_pindex_t index)
{
	uintptr_t *slotp = &rt->rt_root, *parentp = NULL;
	struct vm_radix_node *n = NULL;
	struct vm_page *m;
	uintptr_t p;

	for (;;) {
		p = *slotp;
		if (p == 0 || slot_is_leaf(p))
			break;
		n = slot_node(p);
		if (prefix(index, n->level) != n->owner)
			return NULL;
		parentp = slotp;
		slotp = &n->child[digit(index, n->level)];
	}
	if (p == 0 || slot_page(p)->pindex != index)
		return NULL;
	m = slot_page(p);
	*slotp = 0;
	if (n != NULL && --n->count == 1) {
		int i = 0;

		while (n->child[i] == 0)
			i++;
		*parentp = n->child[i];
		node_free(n);
	}
	return m;
}

SYSCTL_U64(radix_nodes, "vm.stats.radix.nodes", CTLFLAG_RD,
    &vm_radix_stats.nodes, "nodes of the objects' page tries");
SYSCTL_U64(radix_alloc_failures, "vm.stats.radix.alloc_failures", CTLFLAG_RD,
    &vm_radix_stats.alloc_failures,
    "page inserts that failed for want of a trie node");
