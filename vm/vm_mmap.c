/*
 * The memory-mapping system calls: mmap, munmap, mprotect, madvise,
 * msync and brk, with Linux's flags and errors.
 */
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/vnode_pager.h"

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_SEM	0x8

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_STACK		0x20000
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_KNOWN	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE | \
    MAP_POPULATE | MAP_STACK | MAP_FIXED_NOREPLACE | 0x100 | 0x800 | 0x1000 | \
    0x2000 | 0x10000 | 0x40000)

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4

#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4

static struct vm_map *
curmap(void)
{
	return &curproc()->p_vmspace->vm_map;
}

static int
kern_to_errno(int rv)
{
	switch (rv) {
	case KERN_SUCCESS:
		return 0;
	case KERN_NO_SPACE:
	case KERN_RESOURCE_SHORTAGE:
	case KERN_INVALID_ADDRESS:
		return ENOMEM;
	case KERN_PROTECTION_FAILURE:
		return EACCES;
	default:
		return EINVAL;
	}
}

/*
 * The object and protection limit for mapping len bytes of fd from off;
 * 0 or an errno.  As on Linux, a range ending past the largest file
 * offset is EOVERFLOW.
 */
static int
file_object(int fd, bool shared, int prot, uint64_t off, size_t len,
    struct vm_object **objectp, vm_prot_t *maxprot)
{
	struct file *fp = fget(fd);
	int acc, error = 0;

	if (fp == NULL)
		return EBADF;
	acc = fp->f_flags & 3;	/* O_ACCMODE */
	if (off > INT64_MAX - len)
		error = EOVERFLOW;
	else if (fp->f_type != DTYPE_VNODE || fp->f_vnode->v_type != VREG)
		error = fp->f_type == DTYPE_VNODE ? ENODEV : EACCES;
	else if (acc == 1)		/* O_WRONLY */
		error = EACCES;
	else if (shared && (prot & PROT_WRITE) && acc != 2)
		error = EACCES;
	else if ((prot & PROT_EXEC) &&
	    (fp->f_vnode->v_mount->mnt_flags & MNT_NOEXEC))
		error = EPERM;		/* Linux: a noexec mount's file */
	if (error == 0) {
		*objectp = vn_object(fp->f_vnode);
		if (*objectp == NULL)
			error = ENOMEM;
		else
			vm_object_reference(*objectp);
		*maxprot = VM_PROT_ALL;
		if (shared && acc != 2)
			*maxprot &= ~VM_PROT_WRITE;
		if (fp->f_vnode->v_mount->mnt_flags & MNT_NOEXEC)
			*maxprot &= ~VM_PROT_EXECUTE;
	}
	fdrop(fp);
	return error;
}

int64_t
sys_mmap(uaddr_t addr, size_t len, unsigned long prot, unsigned long flags,
    unsigned int fd, unsigned long off)
{
	struct vm_map *map = curmap();
	struct vm_object *object = NULL;
	vm_prot_t maxprot = VM_PROT_ALL;
	bool shared = (flags & MAP_TYPE) == MAP_SHARED ||
	    (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
	bool fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
	vaddr_t va;
	int cow, error, rv;

	if (len == 0 || (off & PAGE_MASK) != 0 || (prot & ~7UL) != 0 ||
	    (!shared && (flags & MAP_TYPE) != MAP_PRIVATE) ||
	    ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN)))
		return -EINVAL;
	if (len > VM_MAXUSER_ADDRESS)
		return -ENOMEM;
	len = round_page(len);
	if (fixed && ((addr & PAGE_MASK) != 0 || addr < map->min_offset ||
	    addr + len > map->max_offset || addr + len < addr))
		return (addr & PAGE_MASK) != 0 ? -EINVAL : -ENOMEM;
	if (flags & MAP_ANONYMOUS) {
		/* MAP_SHARED or MAP_PRIVATE, never MAP_SHARED_VALIDATE: Linux
		 * says so after it has placed the range (EINVAL). */
		if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE)
			return -EINVAL;
		if (shared) {
			object = vm_object_allocate(OBJT_ANON, atop(len));
			if (object == NULL)
				return -ENOMEM;
		}
	} else {
		error = file_object((int)fd, shared, (int)prot, off, len, &object,
		    &maxprot);
		if (error != 0)
			return -error;
	}
	cow = shared ? MAP_INHERIT_SHARE :
	    MAP_COPY_ON_WRITE | (object != NULL ? MAP_NEEDS_COPY : 0) |
	    ((flags & MAP_NORESERVE) ? MAP_NORESERVE_COW : 0);
	vm_map_lock(map);
	if (fixed) {
		va = trunc_page(addr);
		if (flags & MAP_FIXED_NOREPLACE) {
			struct vm_map_entry *e;

			rv = vm_map_lookup_entry(map, va, &e) ||
			    (e->next != &map->header && e->next->start < va + len) ?
			    KERN_NO_SPACE : KERN_SUCCESS;
			if (rv != KERN_SUCCESS) {
				vm_map_unlock(map);
				vm_object_deallocate(object);
				return -EEXIST;
			}
		} else {
			vm_map_delete(map, va, va + len);
		}
		rv = KERN_SUCCESS;
	} else {
		rv = vm_map_findspace(map, addr != 0 ? MAX(trunc_page(addr),
		    PAGE_SIZE) : MMAP_BASE, len, &va);
		if (rv != KERN_SUCCESS && addr != 0)
			rv = vm_map_findspace(map, MMAP_BASE, len, &va);
	}
	if (rv == KERN_SUCCESS)
		rv = vm_map_insert(map, object, off, va, va + len,
		    (vm_prot_t)prot & maxprot, maxprot, cow);
	vm_map_unlock(map);
	if (rv != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return -kern_to_errno(rv);
	}
	if ((prot & ~maxprot) != 0) {
		vm_map_remove(map, va, va + len);
		return -EACCES;
	}
	return (int64_t)va;
}

static bool
user_range(uint64_t addr, uint64_t len)
{
	return (addr & PAGE_MASK) == 0 && addr + round_page(len) >= addr &&
	    addr + round_page(len) <= VM_MAXUSER_ADDRESS;
}

/*
 * munmap: page 0, below the map's minimum, is never mapped, so unmapping
 * it is unmapping nothing (Linux checks only against the top of user
 * space).
 */
int64_t
sys_munmap(uaddr_t addr, size_t len)
{
	struct vm_map *map = curmap();
	vaddr_t start = MAX(addr, map->min_offset), end = addr + round_page(len);

	if (len == 0 || !user_range(addr, len))
		return -EINVAL;
	if (start >= end)
		return 0;
	return -kern_to_errno(vm_map_remove(map, start, end));
}

/*
 * mprotect, in Linux's order: an unaligned address is EINVAL, an empty
 * range succeeds, a range that wraps is ENOMEM, a bad protection EINVAL;
 * then a range with an unmapped part (page 0, anything past user space)
 * is ENOMEM.  PROT_SEM (8) is accepted and means nothing, as on Linux.
 */
int64_t
sys_mprotect(uaddr_t addr, size_t len, unsigned long prot)
{
	struct vm_map *map = curmap();
	vaddr_t end = addr + round_page(len);
	int rv;

	if ((addr & PAGE_MASK) != 0)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (end <= addr)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;
	if (addr < map->min_offset || end > VM_MAXUSER_ADDRESS)
		return -ENOMEM;
	rv = vm_map_protect(map, addr, end, (vm_prot_t)(prot & ~PROT_SEM), false);
	return -kern_to_errno(rv);
}

/* MADV_WILLNEED: read a file mapping's pages into the cache now. */
static int
madvise_willneed(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *entry;

	vm_map_lock_read(map);
	if (!vm_map_lookup_entry(map, start, &entry))
		entry = entry->next;
	for (; entry != &map->header && entry->start < end; entry = entry->next) {
		struct vm_object *object = entry->object;
		vaddr_t s = MAX(start, entry->start), e = MIN(end, entry->end);

		if (object == NULL || object->type != OBJT_VNODE)
			continue;
		for (vaddr_t va = s; va < e; va += PAGE_SIZE) {
			vm_pindex_t pindex = atop(entry->offset + (va - entry->start));
			struct vm_page *m;
			int error;

			if (!object->pager->haspage(object, pindex))
				break;
			m = vnode_pager_grab(object, pindex, true, &error);
			if (m == NULL)
				break;
			vnode_pager_release(m, false);
		}
	}
	vm_map_unlock_read(map);
	return 0;
}

int64_t
sys_madvise(uaddr_t addr, size_t len, int advice)
{
	struct vm_map *map = curmap();
	vaddr_t end = addr + round_page(len);
	int rv;

	if (!user_range(addr, len))
		return -EINVAL;
	if (len == 0)
		return 0;
	switch (advice) {
	case MADV_NORMAL:
		rv = vm_map_madvise(map, addr, end, VM_ADVICE_NORMAL);
		break;
	case MADV_RANDOM:
		rv = vm_map_madvise(map, addr, end, VM_ADVICE_RANDOM);
		break;
	case MADV_SEQUENTIAL:
		rv = vm_map_madvise(map, addr, end, VM_ADVICE_SEQUENTIAL);
		break;
	case MADV_DONTNEED:
		rv = vm_map_madvise(map, addr, end, VM_ADVICE_DONTNEED);
		break;
	case MADV_WILLNEED:
		return -madvise_willneed(map, addr, end);
	default:
		return -EINVAL;
	}
	return -kern_to_errno(rv);
}

int64_t
sys_msync(uaddr_t addr, size_t len, int flags)
{
	struct vm_map *map = curmap();
	struct vm_map_entry *entry;
	vaddr_t end = addr + round_page(len);
	int error = 0;

	if ((addr & PAGE_MASK) != 0 || (flags & ~7) != 0 ||
	    ((flags & MS_SYNC) && (flags & MS_ASYNC)) || end < addr)
		return -EINVAL;
	vm_map_lock_read(map);
	if (!vm_map_check_protection(map, addr, end, VM_PROT_NONE))
		error = ENOMEM;
	if (error == 0 && !vm_map_lookup_entry(map, addr, &entry))
		error = ENOMEM;
	for (; error == 0 && entry != &map->header && entry->start < end;
	    entry = entry->next) {
		vaddr_t s = MAX(addr, entry->start), e = MIN(end, entry->end);

		if (entry->object != NULL && entry->object->type == OBJT_VNODE &&
		    !(entry->eflags & MAP_ENTRY_COW))
			error = vm_object_page_clean(entry->object,
			    atop(entry->offset + (s - entry->start)),
			    atop(entry->offset + (e - entry->start)));
	}
	vm_map_unlock_read(map);
	return -error;
}

/*
 * brk: move the end of the heap.  Returns the new break, or the current
 * one if the request is 0 or cannot be met (Linux's convention).  The
 * break is (m): read and moved under the map's lock, so threads calling
 * brk at once each see the other's break.
 */
int64_t
sys_brk(uaddr_t newbrk)
{
	struct vmspace *vm = curproc()->p_vmspace;
	struct vm_map *map = &vm->vm_map;
	vaddr_t old, want = round_page(newbrk);
	int rv = KERN_SUCCESS;
	int64_t brk;

	vm_map_lock(map);
	old = round_page(vm->vm_brk);
	if (newbrk != 0 && newbrk >= vm->vm_brk_base &&
	    newbrk <= VM_MAXUSER_ADDRESS - USRSTACK_SIZE - 4 * PAGE_SIZE) {
		if (want > old)
			rv = vm_map_insert(map, NULL, 0, old, want,
			    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
			    MAP_COPY_ON_WRITE);
		else if (want < old)
			rv = vm_map_delete(map, want, old);
		if (rv == KERN_SUCCESS)
			vm->vm_brk = newbrk;
	}
	brk = (int64_t)vm->vm_brk;
	vm_map_unlock(map);
	return brk;
}
