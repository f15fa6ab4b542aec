/*
 * The pager interface: how an object's pages reach backing store.
 * Anonymous objects have no pager (their pages are born zero-filled and
 * live only in memory); vnode objects will use the vnode pager.
 *
 * getpages: fill busy pages ma[0..n) (consecutive, in pindex order:
 *          a fault's read cluster) from backing store.  Called with the
 *          object unlocked (the caller holds a reference, or otherwise
 *          keeps the object alive) and may sleep for the I/O.  Returns
 *          KERN_SUCCESS (all filled), KERN_OUT_OF_BOUNDS (past the end of
 *          the data) or KERN_FAILURE (I/O error).
 * putpages: write the n busy dirty pages back, with the object locked
 *          (msync and the page daemon; the lock keeps a cached file's
 *          object from being destroyed under the write); returns
 *          KERN_SUCCESS or KERN_FAILURE.
 * haspage: does backing store hold data for pindex?  (For a vnode: is
 *          pindex inside the file?)  A fault on a page its pager does not
 *          have fails with KERN_OUT_OF_BOUNDS (SIGBUS).
 * dealloc: the object is being destroyed; release the pager's state.
 * mark_modified: stores through a shared mapping changed the data: set
 *          the file's modification and change times (optional; called
 *          with no lock held, by vm_object_page_clean).
 * cluster: a fault on one page should read a cluster of its neighbours
 *          with it (one disk request costs little more than one page).
 * hold, drop: an object reference was taken or dropped.  A pager whose
 *          objects outlive their last reference (the vnode pager keeps a
 *          file's pages cached with its vnode) sets `persistent` and uses
 *          these to pin its handle while the object is referenced.
 */
#ifndef VM_VM_PAGER_H
#define VM_VM_PAGER_H

#include "vm/vm.h"

struct vm_pager_ops {
	const char *name;
	int (*getpages)(struct vm_object *object, struct vm_page **ma, int n);
	int (*putpages)(struct vm_object *object, struct vm_page **m, int n);
	bool (*haspage)(struct vm_object *object, vm_pindex_t pindex);
	void (*dealloc)(struct vm_object *object);
	void (*mark_modified)(struct vm_object *object);
	void (*hold)(struct vm_object *object);
	void (*drop)(struct vm_object *object);
	bool persistent;	/* no references does not mean dead */
	bool cluster;		/* a fault reads neighbours with the page
				   (vm_fault.c): they come at little cost */
};

#endif
