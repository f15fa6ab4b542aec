/*
 * The vnode pager: a regular file's VM object is its page cache.
 *
 * getpage reads the file-system blocks behind a page (found through the
 * file system's bmap), zero-filling holes and everything past the end of
 * the file; putpages writes a page's blocks back, allocating them for
 * pages first dirtied through a mapping.  read() and write() use the same
 * pages through vnode_pager_grab(), so a change through either path is
 * seen at once through the other.
 *
 * Lifetime: the object lives as long as its vnode stays cached, even with
 * no references (the pager is persistent), so file pages stay cached
 * after close.  Each object reference holds a vnode reference (hold/drop),
 * so a mapped file's vnode cannot be reclaimed under the mapping.
 *
 * Locking: getpage runs with the object unlocked and the page busy;
 * putpages with the object locked (see vm_pager.h).  Both take the file
 * system's block-map lock (through bmap) and sleep for the I/O.  Never
 * takes a vnode's v_lock, which a read() or write() may hold while it
 * faults on this very object.
 */
#include "dev/blk.h"
#include "fs/vnode.h"
#include "vm/pmap.h"
#include "vm/vm_meter.h"
#include "vm/vm_object.h"
#include "vm/swap_pager.h"
#include "vm/vm_page.h"
#include "vm/vnode_pager.h"

static struct vnode *
object_vnode(struct vm_object *object)
{
	return object->handle;
}

static bool
vnode_pager_haspage(struct vm_object *object, vm_pindex_t pindex)
{
	return ptoa(pindex) < object_vnode(object)->v_size;
}

/*
 * Read or write the file blocks behind page m of vp, one block (or a run
 * of physically adjacent blocks) at a time.  For a read, holes and the
 * part past EOF are zeroed.  For a write, missing blocks are allocated and
 * nothing past EOF is written.
 */
static int
vnode_pager_io(struct vnode *vp, struct vm_page *m, int op)
{
	struct mount *mp = vp->v_mount;
	uint32_t bsize = mp->mnt_bsize, per_page = PAGE_SIZE / bsize;
	uint8_t *data = (uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m));
	uint64_t first = ptoa(m->pindex) / bsize, size = vp->v_size;
	int error = 0;

	for (uint32_t i = 0; i < per_page && error == 0;) {
		uint64_t off = (first + i) * bsize, pblk;
		uint32_t run = 1;

		if (off >= size) {
			if (op == BLK_READ)
				memset(data + i * bsize, 0, (per_page - i) * bsize);
			break;
		}
		error = vp->v_ops->bmap(vp, first + i, op == BLK_WRITE, &pblk);
		if (error != 0)
			break;
		if (pblk == 0) {
			memset(data + i * bsize, 0, bsize);
			i++;
			continue;
		}
		/* Extend the run over blocks that follow on disk. */
		while (i + run < per_page && (first + i + run) * bsize < size) {
			uint64_t next;

			if (vp->v_ops->bmap(vp, first + i + run, op == BLK_WRITE,
			    &next) != 0 || next != pblk + run)
				break;
			run++;
		}
		error = blk_io(mp->mnt_dev, op, pblk * (bsize / BLK_SECTOR_SIZE),
		    data + i * bsize, run * bsize);
		i += run;
	}
	if (error == 0 && op == BLK_READ && ptoa(m->pindex) + PAGE_SIZE > size &&
	    ptoa(m->pindex) < size)
		memset(data + (size - ptoa(m->pindex)), 0,
		    ptoa(m->pindex) + PAGE_SIZE - size);
	return error;
}

static int
vnode_pager_getpage(struct vm_object *object, struct vm_page *m)
{
	struct vnode *vp = object_vnode(object);
	int error;

	if (ptoa(m->pindex) >= vp->v_size)
		return KERN_OUT_OF_BOUNDS;
	error = vnode_pager_io(vp, m, BLK_READ);
	if (error != 0) {
		kprintf("vnode_pager: read of inode %lu page %lu failed (%d)\n",
		    vp->v_ino, m->pindex, error);
		return KERN_FAILURE;
	}
	VM_CNT_INC(v_vnodein);
	VM_CNT_INC(v_vnodepgsin);
	return KERN_SUCCESS;
}

static int
vnode_pager_putpages(struct vm_object *object, struct vm_page **ma, int n)
{
	struct vnode *vp = object_vnode(object);

	for (int i = 0; i < n; i++) {
		int error;

		if (ptoa(ma[i]->pindex) >= vp->v_size)
			continue;	/* past EOF: nothing to keep */
		error = vnode_pager_io(vp, ma[i], BLK_WRITE);
		if (error != 0) {
			kprintf("vnode_pager: write of inode %lu page %lu failed "
			    "(%d)\n", vp->v_ino, ma[i]->pindex, error);
			return KERN_FAILURE;
		}
		VM_CNT_INC(v_vnodepgsout);
	}
	VM_CNT_INC(v_vnodeout);
	return KERN_SUCCESS;
}

static void
vnode_pager_dealloc(struct vm_object *object)
{
	object_vnode(object)->v_object = NULL;
}

static void
vnode_pager_hold(struct vm_object *object)
{
	vref(object_vnode(object));
}

static void
vnode_pager_drop(struct vm_object *object)
{
	vrele(object_vnode(object));
}

static const struct vm_pager_ops vnode_pager_ops = {
	.name = "vnode",
	.getpage = vnode_pager_getpage,
	.putpages = vnode_pager_putpages,
	.haspage = vnode_pager_haspage,
	.dealloc = vnode_pager_dealloc,
	.hold = vnode_pager_hold,
	.drop = vnode_pager_drop,
	.persistent = true,
};

/*
 * The page cache object of regular file vp, created on first use with no
 * references.  Caller holds vp's v_lock.  NULL if memory is exhausted.
 */
struct vm_object *
vnode_pager_alloc(struct vnode *vp)
{
	struct vm_object *object = vp->v_object;

	if (object != NULL)
		return object;
	object = vm_object_allocate(OBJT_VNODE, atop(round_page(vp->v_size)));
	if (object == NULL)
		return NULL;
	object->ref_count = 0;
	object->handle = vp;
	object->pager = &vnode_pager_ops;
	vp->v_object = object;
	return object;
}

/*
 * The vnode is leaving the cache: write back dirty pages (unless the file
 * is deleted) and destroy the object.  Nothing references it any more.
 */
void
vnode_pager_destroy(struct vnode *vp, bool writeback)
{
	struct vm_object *object = vp->v_object;

	/* Another file system's object (tmpfs's) belongs to its inode. */
	if (object == NULL || object->pager != &vnode_pager_ops)
		return;
	if (writeback)
		vm_object_page_clean(object, 0, object->size + 1);
	vm_object_destroy(object);
}

/*
 * The file's size changed (vp's v_lock held).  Shrinking drops the
 * cached pages wholly past the new end, unmapping them, and zeroes the
 * tail of the new last page, so that no mapping or later extension can
 * see old data past EOF.
 */
void
vnode_pager_setsize(struct vnode *vp, uint64_t size)
{
	struct vm_object *object = vp->v_object;
	struct vm_page *m;

	if (object == NULL)
		return;
	vm_object_lock(object);
	if (size < vp->v_size) {
		vm_object_page_remove(object, atop(round_page(size)),
		    object->size + 1);
		/* A new last page being read in: let the read land first. */
		while (size % PAGE_SIZE != 0 &&
		    (m = vm_page_lookup(object, atop(size))) != NULL &&
		    vm_page_sleep_if_busy(m, "vnsetsz"))
			vm_object_lock(object);
		if (size % PAGE_SIZE != 0 && m != NULL) {
			memset((uint8_t *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)) +
			    size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
			vm_page_aflag_set(m, PGA_DIRTY);
		}
	}
	object->size = atop(round_page(size));
	vm_object_unlock(object);
}

/*
 * Page pindex of a file's object, read in if needed, held (not busy) so
 * it stays while the caller copies to or from it without the object lock
 * (the copy may fault, even on this object).  With fill false, a page
 * absent from the cache is made zero-filled instead of read (the caller
 * overwrites it, or it lies past EOF).  Read in means from swap for a
 * page of an anonymous file object (tmpfs) that has a copy there, else
 * through the object's pager.  Waits while memory is short.
 * Returns NULL with *error set: EIO, or EINTR if a signal came while it
 * waited for memory.  The caller keeps the file open (the object alive).
 */
struct vm_page *
vnode_pager_grab(struct vm_object *object, vm_pindex_t pindex, bool fill,
    int *error)
{
	struct vm_page *m;

	vm_object_lock(object);
	for (;;) {
		m = vm_page_lookup(object, pindex);
		if (m != NULL) {
			if (vm_page_sleep_if_busy(m, "vngrab")) {
				vm_object_lock(object);
				continue;
			}
			break;
		}
		m = vm_page_alloc(object, pindex, fill ? 0 : VM_ALLOC_ZERO);
		if (m != NULL)
			break;
		/* No page free: wait for the page daemon, then look again. */
		vm_object_unlock(object);
		if (vm_wait(true) != 0) {
			*error = EINTR;
			return NULL;
		}
		vm_object_lock(object);
	}
	if (!(m->flags & PG_VALID)) {
		/* Ours and busy: read it with the lock dropped. */
		if (fill) {
			int (*getpage)(struct vm_object *, struct vm_page *) =
			    object->swap_pages != 0 &&
			    swap_pager_haspage(object, pindex) ?
			    swap_pager_getpage : object->pager->getpage;
			int rv;

			vm_object_unlock(object);
			rv = getpage(object, m);
			vm_object_lock(object);
			if (rv != KERN_SUCCESS) {
				vm_page_free(m);
				vm_object_unlock(object);
				*error = EIO;
				return NULL;
			}
		}
		m->flags |= PG_VALID;
		vm_page_wakeup(m);
	}
	vm_page_aflag_set(m, PGA_REFERENCED);
	vm_page_hold(m);
	vm_object_unlock(object);
	return m;
}

/*
 * Done copying: drop the hold, marking the page dirty if it was written
 * (a copy on swap is stale then, and its slot freed, as a write fault
 * frees it).
 */
void
vnode_pager_release(struct vm_page *m, bool dirtied)
{
	struct vm_object *object = m->object;

	vm_object_lock(object);
	if (dirtied)
		vm_page_aflag_set(m, PGA_DIRTY);
	if (dirtied && object->swap_pages != 0)
		swap_pager_freespace(object, m->pindex, m->pindex + 1);
	vm_page_unhold(m);
	vm_object_unlock(object);
}
