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
 * Locking: none of its own.  Every operation on a tree runs under the lock
 * of whatever owns it (for pages, the object's lock), and the pindex of
 * every page in the tree may only change under that lock too.
 */
#ifndef VM_VM_RADIX_H
#define VM_VM_RADIX_H

#include "vm/vm.h"

struct vm_radix {
	uintptr_t rt_root;	/* 0, a leaf, or a node (see above) */
};

#define VM_RADIX_LEAF	0x1UL	/* the tag of a page pointer in a slot */

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

struct vm_page *vm_radix_lookup(const struct vm_radix *rt, vm_pindex_t index);
struct vm_page *vm_radix_lookup_ge(const struct vm_radix *rt,
    vm_pindex_t index);
int vm_radix_insert(struct vm_radix *rt, vm_pindex_t index, struct vm_page *m);
struct vm_page *vm_radix_remove(struct vm_radix *rt, vm_pindex_t index);

#endif
