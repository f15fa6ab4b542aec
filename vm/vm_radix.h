/*
 * A VM object's resident pages by index: a path-compressed 16-way radix
 * trie keyed by page index (the idea of FreeBSD's vm_radix; our own code).
 *
 * The root, and every child slot of a node, is empty, a page (a leaf,
 * tagged with VM_RADIX_LEAF), or a node.  A node branches on one 4-bit
 * digit of the key (its level: bits [4 * level, 4 * level + 4)) and holds
 * the keys that share its prefix (owner: the key bits above that digit);
 * a node exists only where at least two keys differ in that digit, so
 * every node has two or more children and the trie is never deeper than
 * the number of digits in which its keys differ.  An object with one page
 * has no node at all (the root is the page); pages 0..15 take one node;
 * 4096 pages in a row, three levels.
 *
 * A leaf's key is its page's pindex: lookups compare it at the end.
 *
 * Node memory: kmalloc'd one node at a time, never sleeping (kmalloc does
 * not), when an insert needs one; at most one node per insert, none for
 * remove, which frees the node a removal leaves with one child.  When
 * kmalloc has no memory an insert fails with ENOMEM and changes nothing:
 * the page allocator reports that as a page shortage.
 *
 * A cursor (vm_radix_lookup_at) remembers where a lookup ended, so that
 * the insert or remove that follows it (a zero fill after the miss in the
 * first object, a COW rename after the hit in the backing object) need
 * not walk down again.  It stays valid only while the tree is not changed
 * (but for an insert through it into an empty slot, which keeps it good:
 * a prefault window's run of zero fills steps along one cursor,
 * vm_radix_cursor_step) and its owner's lock is held; WITNESS kernels and
 * the host tests check that (a generation count in tree and cursor).  A
 * remove through a cursor leaves it good for nothing.
 *
 * Locking: none of its own.  Every operation on a tree runs under the lock
 * of whatever owns it (for pages, the object's lock), and the pindex of
 * every page in the tree may only change under that lock too.
 */
#ifndef VM_VM_RADIX_H
#define VM_VM_RADIX_H

#include "kern/kernel.h"
#include "vm/vm.h"
#include "vm/vm_page.h"

#define VM_RADIX_WIDTH	4			/* bits per digit */
#define VM_RADIX_COUNT	(1 << VM_RADIX_WIDTH)	/* children per node */
#define VM_RADIX_LEAF	0x1UL	/* the tag of a page pointer in a slot */

/* Lock legend: (t) the lock of the tree's owner (for pages, the object). */
struct vm_radix {
	uintptr_t rt_root;	/* (t) 0, a leaf, or a node (see above) */
#ifdef LOCK_CHECKS
	uint64_t rt_gen;	/* (t) changes made, to catch stale cursors */
#endif
};

/*
 * A node at level l: its digit is bits [shift, shift + 4) with shift =
 * 4l, and owner is the prefix its keys share, the key bits above that
 * digit (the digit and all below it zero).  (t)
 */
struct vm_radix_node {
	vm_pindex_t owner;
	uint8_t shift;
	uint8_t count;			/* non-empty children, 2..16 */
	uintptr_t child[VM_RADIX_COUNT];
};

/* Where a lookup ended (see above).  On the caller's stack. */
struct vm_radix_cursor {
	uintptr_t *slotp;		/* the slot index is in, or leads to */
	struct vm_radix_node *node;	/* the node holding *slotp, or NULL
					   if slotp is the root */
	uintptr_t *nodep;		/* the slot holding node */
#ifdef LOCK_CHECKS
	uint64_t gen;			/* the tree's rt_gen at the lookup */
#endif
};

/* Counters (updated atomically: trees of different objects run at once). */
struct vm_radix_stats {
	uint64_t nodes;		/* nodes allocated now, in all trees */
	uint64_t alloc_failures; /* inserts that failed for want of a node */
};

extern struct vm_radix_stats vm_radix_stats;

static inline void
vm_radix_init(struct vm_radix *rt)
{
	rt->rt_root = 0;
}

static inline bool
vm_radix_is_empty(const struct vm_radix *rt)
{
	return rt->rt_root == 0;
}

static inline bool
vm_radix_slot_is_leaf(uintptr_t p)
{
	return (p & VM_RADIX_LEAF) != 0;
}

static inline struct vm_page *
vm_radix_slot_page(uintptr_t p)
{
	return (struct vm_page *)(p & ~VM_RADIX_LEAF);
}

/*
 * The page at index, or NULL.  Caller holds the tree's owner's lock.
 * The nodes' prefixes are not compared on the way down: a key outside a
 * node's prefix still leads to an empty slot or some leaf, and the leaf's
 * own key decides (a hit, the common case, passes every prefix anyway).
 * Inline: the fault path looks pages up at every level of a chain.
 */
static inline struct vm_page *
vm_radix_lookup(const struct vm_radix *rt, vm_pindex_t index)
{
	uintptr_t p = rt->rt_root;

	for (;;) {
		const struct vm_radix_node *n;

		if (vm_radix_slot_is_leaf(p))
			return vm_radix_slot_page(p)->pindex == index ?
			    vm_radix_slot_page(p) : NULL;
		if (p == 0)
			return NULL;
		n = (const struct vm_radix_node *)p;
		p = n->child[(index >> n->shift) & (VM_RADIX_COUNT - 1)];
	}
}

void vm_radix_cursor_slow(struct vm_radix *rt, vm_pindex_t index,
    struct vm_radix_cursor *c);

static inline uintptr_t
vm_radix_leaf_slot(struct vm_page *m)
{
	return (uintptr_t)m | VM_RADIX_LEAF;
}

/* A cursor is only good for the tree as vm_radix_lookup_at left it. */
static inline void
vm_radix_cursor_check(const struct vm_radix *rt,
    const struct vm_radix_cursor *c)
{
#ifdef LOCK_CHECKS
	KASSERT(c->gen == rt->rt_gen, "stale cursor: tree %p changed", rt);
#endif
}

static inline void
vm_radix_tree_changed(struct vm_radix *rt)
{
#ifdef LOCK_CHECKS
	rt->rt_gen++;
#endif
}

/* c describes rt as it is now (a change made through c kept it good). */
static inline void
vm_radix_cursor_renew(const struct vm_radix *rt, struct vm_radix_cursor *c)
{
#ifdef LOCK_CHECKS
	c->gen = rt->rt_gen;
#endif
}

/*
 * The same lookup, leaving in *c where it ended: at the page's slot on a
 * hit; on a miss at the slot where index would go (empty, or holding the
 * leaf or the node that an insert must split).  Caller holds the tree's
 * owner's lock.
 *
 * It walks down as vm_radix_lookup does, without comparing prefixes.  A
 * hit's path is right (the page's key is under every node on it).  So is
 * a miss's, if index is under the last node it passed: that node's prefix
 * includes all those above it, and the slot it took holds nothing or a
 * leaf that differs from index below that node.  One test (the owner has
 * zeros at and below the node's digit, so (index ^ owner) >> shift is
 * under 16 iff the prefixes agree) tells; the rare miss that leaves the
 * trie's branches further up walks again, comparing every prefix.
 */
static inline struct vm_page *
vm_radix_lookup_at(struct vm_radix *rt, vm_pindex_t index,
    struct vm_radix_cursor *c)
{
	uintptr_t *slotp = &rt->rt_root, *nodep = NULL, p = *slotp;
	struct vm_radix_node *node = NULL;

	while (p != 0 && !vm_radix_slot_is_leaf(p)) {
		node = (struct vm_radix_node *)p;
		nodep = slotp;
		slotp = &node->child[(index >> node->shift) &
		    (VM_RADIX_COUNT - 1)];
		p = *slotp;
	}
	c->slotp = slotp;
	c->node = node;
	c->nodep = nodep;
#ifdef LOCK_CHECKS
	c->gen = rt->rt_gen;
#endif
	if (vm_radix_slot_is_leaf(p) && vm_radix_slot_page(p)->pindex == index)
		return vm_radix_slot_page(p);
	if (node != NULL && ((index ^ node->owner) >> node->shift) >=
	    VM_RADIX_COUNT)
		vm_radix_cursor_slow(rt, index, c);
	return NULL;
}

/*
 * The lookup_at of index through a cursor c already in the tree, when c
 * ended in a bottom node (level 0) that also holds index: one slot away,
 * no walk from the root.  That is the common case for the indices of a
 * prefault window after the first.  Returns false, c unchanged, if c is
 * elsewhere (or an insert through it made a node), and the caller looks
 * index up afresh; else true, with the page or NULL in *mp and c at
 * index as vm_radix_lookup_at would leave it.  A level-0 node's children
 * are leaves whose keys are exactly owner + digit, so the slot decides.
 * Caller holds the tree's owner's lock, and c is good (see above).
 */
static inline bool
vm_radix_cursor_step(const struct vm_radix *rt, struct vm_radix_cursor *c,
    vm_pindex_t index, struct vm_page **mp)
{
	struct vm_radix_node *node = c->node;

	if (node == NULL)
		return false;
	vm_radix_cursor_check(rt, c);
	if (node->shift != 0 || (index ^ node->owner) >= VM_RADIX_COUNT)
		return false;
	c->slotp = &node->child[index & (VM_RADIX_COUNT - 1)];
	*mp = vm_radix_slot_page(*c->slotp);
	return true;
}

int vm_radix_gather(const struct vm_radix *rt, vm_pindex_t first,
    vm_pindex_t last, struct vm_page **ma, int max);
int vm_radix_insert_split(struct vm_radix *rt, struct vm_radix_cursor *c,
    vm_pindex_t index, struct vm_page *m);

/*
 * Enter m at index, where a vm_radix_lookup_at(rt, index, c) just missed
 * (and nothing changed rt since).  m->pindex need not be index yet (a
 * rename inserts before it removes the page from its old tree), but must
 * be by the time the owner's lock is released.  Returns 0, or ENOMEM with
 * the tree unchanged (and c still good) if a node was needed and kmalloc
 * had none.  Never sleeps.  Caller holds the tree's owner's lock.
 *
 * An insert into an empty slot, inline (every zero fill but one in
 * sixteen), leaves c good, now at the page (a hit), so that
 * vm_radix_cursor_step can go on from it; one that made a node leaves c
 * good for nothing but that step, which then declines.
 */
static inline int
vm_radix_insert_at(struct vm_radix *rt, struct vm_radix_cursor *c,
    vm_pindex_t index, struct vm_page *m)
{
	if (*c->slotp != 0)
		return vm_radix_insert_split(rt, c, index, m);
	vm_radix_cursor_check(rt, c);
	*c->slotp = vm_radix_leaf_slot(m);
	if (c->node != NULL)
		c->node->count++;
	vm_radix_tree_changed(rt);
	vm_radix_cursor_renew(rt, c);
	return 0;
}
void vm_radix_node_collapse(struct vm_radix_cursor *c);

/*
 * Take out the page a vm_radix_lookup_at(rt, ..., c) just found (with
 * nothing changed since).  A node left with one child is freed and the
 * child takes its place (vm_radix_node_collapse), so every node keeps
 * two or more.  Never allocates or sleeps.  Caller holds the tree's
 * owner's lock.  Inline, as the insert: a COW rename takes a page out of
 * one trie and puts it in another.
 */
static inline void
vm_radix_remove_at(struct vm_radix *rt, struct vm_radix_cursor *c)
{
	struct vm_radix_node *n = c->node;

	vm_radix_cursor_check(rt, c);
	KASSERT(vm_radix_slot_is_leaf(*c->slotp), "no page at the cursor");
	*c->slotp = 0;
	if (n != NULL && --n->count == 1)
		vm_radix_node_collapse(c);
	vm_radix_tree_changed(rt);
}

#endif
