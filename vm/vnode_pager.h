#ifndef VM_VNODE_PAGER_H
#define VM_VNODE_PAGER_H

#include "vm/vm.h"

struct vnode;

struct vm_object *vnode_pager_alloc(struct vnode *vp);
void vnode_pager_destroy(struct vnode *vp, bool writeback);
void vnode_pager_setsize(struct vnode *vp, uint64_t size);
struct vm_page *vnode_pager_grab(struct vm_object *object, vm_pindex_t pindex,
    bool fill, int *error);
void vnode_pager_release(struct vm_page *m, bool dirtied);
void vnode_pager_file_modified(struct vnode *vp);

#endif
