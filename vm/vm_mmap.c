/*
 * The memory-mapping system calls: mmap, munmap, mprotect, madvise,
 * msync, mincore, mlock and its relatives, mremap, fadvise64 and brk,
 * with Linux's flags and errors.
 */
#include "kern/errno.h"
#include "kern/file.h"
#include "kern/kpath.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/uaccess.h"
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
#define MAP_LOCKED		0x2000
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

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

#define MLOCK_ONFAULT	0x01

#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4

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
 * The object (a reference), the path the file was opened by (a
 * reference, or NULL if it has none) and the protection limit for
 * mapping len bytes of fd from off; 0 or an errno (no references).  As
 * on Linux, a range ending past the largest file offset is EOVERFLOW.
 */
static int
file_object(int fd, bool shared, int prot, uint64_t off, size_t len,
    struct vm_object **objectp, struct kpath **name, vm_prot_t *maxprot)
{
	struct file *fp = fget(fd);
	int acc, error = 0;

	if (fp == NULL)
		return EBADF;
	acc = fp->f_flags & 3;	/* O_ACCMODE */
	if (off > INT64_MAX - len)
		error = EOVERFLOW;
	else if (fp->f_type != DTYPE_VNODE || fp->f_vnode->v_type != VREG ||
	    fp->f_vnode->v_ops->bmap == NULL)	/* procfs: no pages to map */
		error = fp->f_type == DTYPE_VNODE || fp->f_type == DTYPE_BDEV ?
		    ENODEV : EACCES;	/* disks are not mapped: uncached */
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
		*name = error == 0 ? kpath_hold(fp->f_path) : NULL;
	}
	fdrop(fp);
	return error;
}

/*
 * Wire the new mapping [start, end) (MAP_LOCKED, or mlockall(MCL_FUTURE)):
 * on fault if map_flags, the map's flags when it was made, say
 * MCL_ONFAULT, as Linux's VM_LOCKONFAULT default does to MAP_LOCKED too.
 * No locks held.
 */
static void
wire_new(struct vm_map *map, uint8_t map_flags, vaddr_t start, vaddr_t end)
{
	if (map_flags & MAP_WIREFUTURE_ONFAULT)
		(void)vm_map_wire_onfault(map, start, end);
	else
		(void)vm_map_wire(map, start, end);
}

/*
 * mmap.  A MAP_LOCKED mapping, or any while mlockall(MCL_FUTURE) is in
 * force, is wired once made (wire_new); as on Linux, a page that cannot
 * be wired leaves the rest unwired and the mapping made.
 */
int64_t
sys_mmap(uaddr_t addr, size_t len, unsigned long prot, unsigned long flags,
    unsigned int fd, unsigned long off)
{
	struct vm_map *map = curmap();
	struct vm_object *object = NULL;
	struct kpath *name = NULL;
	vm_prot_t maxprot = VM_PROT_ALL;
	bool shared = (flags & MAP_TYPE) == MAP_SHARED ||
	    (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
	bool fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0, wire;
	uint8_t map_flags;
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
		    &name, &maxprot);
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
				kpath_rele(name);
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
	if (rv == KERN_SUCCESS)
		vm_map_set_name(map, va, name);
	wire = (flags & MAP_LOCKED) || (map->flags & MAP_WIREFUTURE);
	map_flags = map->flags;
	vm_map_unlock(map);
	kpath_rele(name);
	if (rv != KERN_SUCCESS) {
		vm_object_deallocate(object);
		return -kern_to_errno(rv);
	}
	if ((prot & ~maxprot) != 0) {
		vm_map_remove(map, va, va + len);
		return -EACCES;
	}
	if (wire)
		wire_new(map, map_flags, va, va + len);
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

/*
 * Read pages [start, end) of a file's object into the cache, up to the
 * end of the file, the first error or a signal.  The caller keeps the
 * object alive and holds no object lock.
 */
static void
file_willneed(struct vm_object *object, vm_pindex_t start, vm_pindex_t end)
{
	for (vm_pindex_t pindex = start; pindex < end; pindex++) {
		struct vm_page *m;
		int error;

		if (signal_pending(curthread()) ||
		    !object->pager->haspage(object, pindex))
			break;
		m = vnode_pager_grab(object, pindex, true, &error);
		if (m == NULL)
			break;
		vnode_pager_release(m, false);
	}
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
		file_willneed(object, atop(entry->offset + (s - entry->start)),
		    atop(entry->offset + (e - entry->start)));
	}
	vm_map_unlock_read(map);
	return 0;
}

#define POSIX_FADV_NORMAL	0
#define POSIX_FADV_RANDOM	1
#define POSIX_FADV_SEQUENTIAL	2
#define POSIX_FADV_WILLNEED	3
#define POSIX_FADV_DONTNEED	4
#define POSIX_FADV_NOREUSE	5

/*
 * fadvise64, in Linux's order: a descriptor not open is EBADF, a pipe or
 * FIFO ESPIPE, a negative length or an unknown advice EINVAL.  For a
 * regular file's pages (len 0: to the end of the file), WILLNEED reads
 * them into the cache now and DONTNEED drops the whole pages of the
 * range that are clean and unmapped (as Linux, writing nothing back);
 * the other advice is accepted and changes nothing, as for any other
 * kind of file.
 */
int64_t
sys_fadvise64(int fd, long offset, size_t len, int advice)
{
	struct file *fp = fget(fd);
	struct vm_object *object = NULL;
	uint64_t end;
	int error = 0;

	if (fp == NULL)
		return -EBADF;
	if (fp->f_type == DTYPE_PIPE)
		error = ESPIPE;
	else if ((int64_t)len < 0 || advice < POSIX_FADV_NORMAL ||
	    advice > POSIX_FADV_NOREUSE)
		error = EINVAL;
	else if (fp->f_type == DTYPE_VNODE && fp->f_vnode->v_type == VREG &&
	    offset >= 0 && (advice == POSIX_FADV_WILLNEED ||
	    advice == POSIX_FADV_DONTNEED))
		object = vn_object(fp->f_vnode);
	if (object != NULL) {
		/* offset and len are below 2^63: their sum does not wrap. */
		end = len == 0 ? UINT64_MAX : (uint64_t)offset + len;
		if (advice == POSIX_FADV_WILLNEED) {
			file_willneed(object, atop((uint64_t)offset),
			    atop(end - 1) + 1);
		} else {
			vm_object_lock(object);
			vm_object_page_drop_clean(object,
			    atop(round_page((uint64_t)offset)), atop(end));
			vm_object_unlock(object);
		}
	}
	fdrop(fp);
	return -error;
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

/* Bytes of mincore's vector gathered under the map lock per copyout. */
#define MINCORE_CHUNK	256

/*
 * mincore's bytes for the n pages from va, all inside entry: 1 where the
 * page is resident somewhere in the entry's chain (the page a fault
 * there would find without I/O), 0 where it is not (never touched, on
 * swap, or not read from its file).  Map read-locked.
 */
static void
mincore_entry(struct vm_map_entry *entry, vaddr_t va, size_t n, uint8_t *vec)
{
	vm_pindex_t pindex = atop(entry->offset + (va - entry->start));

	for (size_t i = 0; i < n; i++) {
		struct vm_object *holder;
		struct vm_page *m = NULL;

		if (entry->object != NULL)
			m = vm_object_chain_page(entry->object, pindex + i,
			    &holder);
		vec[i] = m != NULL && (m->flags & PG_VALID) != 0;
		if (m != NULL)
			vm_object_unlock(holder);
	}
}

/*
 * mincore, in Linux's order: an unaligned address is EINVAL, a range
 * past the top of user space ENOMEM, a vector that cannot lie in user
 * space EFAULT; then the range is reported entry by entry, and a hole
 * ends it with ENOMEM (the vector filled up to the hole), a vector that
 * faults with EFAULT.  Only bit 0 of each byte means anything, as on
 * Linux.  The map lock is never held across a copyout (which may fault).
 */
int64_t
sys_mincore(uaddr_t addr, size_t len, uaddr_t vec)
{
	struct vm_map *map = curmap();
	uint64_t pages = len / PAGE_SIZE + (len % PAGE_SIZE != 0);
	uint8_t buf[MINCORE_CHUNK];

	if ((addr & PAGE_MASK) != 0)
		return -EINVAL;
	if (!access_ok(addr, len))
		return -ENOMEM;
	if (!access_ok(vec, pages))
		return -EFAULT;
	while (pages > 0) {
		struct vm_map_entry *entry;
		size_t n = 0;

		vm_map_lock_read(map);
		if (vm_map_lookup_entry(map, addr, &entry)) {
			n = MIN(MIN(pages, sizeof(buf)),
			    atop(entry->end - addr));
			mincore_entry(entry, addr, n, buf);
		}
		vm_map_unlock_read(map);
		if (n == 0)
			return -ENOMEM;
		if (copyout(buf, (void *)vec, n) != 0)
			return -EFAULT;
		pages -= n;
		vec += n;
		addr += ptoa(n);
	}
	return 0;
}

/*
 * mremap, with Linux's checks in Linux's order: unknown flags, an
 * unaligned address and a zero new length are EINVAL; so, with FIXED or
 * DONTUNMAP (which take new_addr: the place, or a hint), are an unaligned
 * new_addr, no MAYMOVE, for DONTUNMAP a new length, and an out-of-range
 * new_addr or one overlapping the old range.  An old range not inside
 * one mapping is EFAULT, a growth that cannot happen in place without
 * MAYMOVE ENOMEM.  DONTUNMAP moves the pages and leaves the old range
 * mapped as new (vm_map_remap_dontunmap).  Not done, and EINVAL: a zero
 * old length (which Linux takes, for shared mappings only, as "map the
 * same pages again").
 */
int64_t
sys_mremap(uaddr_t addr, unsigned long old_len, unsigned long new_len,
    unsigned long flags, uaddr_t new_addr)
{
	bool placed = (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0;
	vaddr_t dest = 0, result;
	int rv;

	if ((flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED |
	    MREMAP_DONTUNMAP)) != 0 || (addr & PAGE_MASK) != 0 ||
	    round_page(new_len) == 0)
		return -EINVAL;
	if (placed && ((new_addr & PAGE_MASK) != 0 ||
	    !(flags & MREMAP_MAYMOVE) ||
	    ((flags & MREMAP_DONTUNMAP) && old_len != new_len)))
		return -EINVAL;
	old_len = round_page(old_len);
	new_len = round_page(new_len);
	if (old_len == 0)
		return -EINVAL;
	if (placed) {
		if (new_len > VM_MAXUSER_ADDRESS ||
		    new_addr > VM_MAXUSER_ADDRESS - new_len ||
		    (addr + old_len > new_addr && new_addr + new_len > addr))
			return -EINVAL;
		if ((flags & MREMAP_FIXED) && new_addr < curmap()->min_offset)
			return -ENOMEM;		/* page 0 is never mapped */
		dest = new_addr;
	}
	if (old_len > VM_MAXUSER_ADDRESS || addr > VM_MAXUSER_ADDRESS - old_len)
		return new_len < old_len ? -EINVAL : -EFAULT;
	if (flags & MREMAP_DONTUNMAP)
		rv = vm_map_remap_dontunmap(curmap(), addr, old_len, dest,
		    (flags & MREMAP_FIXED) != 0, &result);
	else
		rv = vm_map_remap(curmap(), addr, old_len, new_len,
		    (flags & MREMAP_MAYMOVE) != 0, dest, &result);
	switch (rv) {
	case KERN_SUCCESS:
		return (int64_t)result;
	case KERN_INVALID_ADDRESS:
		return -EFAULT;
	case KERN_INVALID_ARGUMENT:
		return -EINVAL;
	default:
		return -ENOMEM;
	}
}

/*
 * mlock and munlock's range, as Linux takes it: the start rounded down
 * to a page, the length rounded up from there.  Returns 0 with the
 * page-aligned [*start, *end), or EINVAL if it wraps; an empty range has
 * *start == *end.  Page 0 and past the top of user space are unmapped
 * (vm_map_wire and vm_map_unwire say so: ENOMEM).
 */
static int
lock_range(uaddr_t addr, size_t len, vaddr_t *start, vaddr_t *end)
{
	size_t off = addr & PAGE_MASK;

	*start = addr - off;
	len = (len + off + PAGE_MASK) & ~(size_t)PAGE_MASK;
	*end = *start + len;
	return *end < *start ? EINVAL : 0;
}

/*
 * mlock's errno for vm_map_wire's result: a signal ends it with EINTR
 * (Linux stops only for a fatal one, where the errno is never seen);
 * any other failure to wire is ENOMEM, as Linux's.
 */
static int64_t
wire_errno(int rv)
{
	if (rv == KERN_SUCCESS)
		return 0;
	return rv == KERN_RESOURCE_SHORTAGE ? -EINTR : -ENOMEM;
}

/* mlock, or with onfault mlock2(MLOCK_ONFAULT), which only marks (ENOMEM). */
static int64_t
do_mlock(uaddr_t addr, size_t len, bool onfault)
{
	vaddr_t start, end;

	if (lock_range(addr, len, &start, &end) != 0)
		return -EINVAL;
	if (start == end)
		return 0;
	if (onfault)
		return vm_map_wire_onfault(curmap(), start, end) == KERN_SUCCESS ?
		    0 : -ENOMEM;
	return wire_errno(vm_map_wire(curmap(), start, end));
}

int64_t
sys_mlock(uaddr_t addr, size_t len)
{
	return do_mlock(addr, len, false);
}

/*
 * mlock2: MLOCK_ONFAULT wires the pages there now and the others as
 * faults bring them in (see vm_map.c's wiring).
 */
int64_t
sys_mlock2(uaddr_t addr, size_t len, int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(addr, len, (flags & MLOCK_ONFAULT) != 0);
}

int64_t
sys_munlock(uaddr_t addr, size_t len)
{
	vaddr_t start, end;

	if (lock_range(addr, len, &start, &end) != 0)
		return -EINVAL;
	if (start == end)
		return 0;
	return wire_errno(vm_map_unwire(curmap(), start, end));
}

/*
 * mlockall: MCL_FUTURE wires what is mapped from now on (and is cleared
 * by a call without it), MCL_CURRENT wires what is mapped now, as far as
 * each entry can be (Linux ignores the failures of its populate too);
 * with MCL_ONFAULT both wire on fault.  MCL_ONFAULT alone, or no flag,
 * is EINVAL.
 */
int64_t
sys_mlockall(int flags)
{
	struct vm_map *map = curmap();

	if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	vm_map_lock(map);
	map->flags &= ~(MAP_WIREFUTURE | MAP_WIREFUTURE_ONFAULT);
	if (flags & MCL_FUTURE)
		map->flags |= MAP_WIREFUTURE |
		    ((flags & MCL_ONFAULT) ? MAP_WIREFUTURE_ONFAULT : 0);
	vm_map_unlock(map);
	if (flags & MCL_CURRENT)
		vm_map_wire_all(map, (flags & MCL_ONFAULT) != 0);
	return 0;
}

int64_t
sys_munlockall(void)
{
	struct vm_map *map = curmap();

	vm_map_lock(map);
	map->flags &= ~(MAP_WIREFUTURE | MAP_WIREFUTURE_ONFAULT);
	vm_map_unlock(map);
	vm_map_unwire_all(map);
	return 0;
}

/*
 * brk: move the end of the heap.  Returns the new break, or the current
 * one if the request is 0 or cannot be met (Linux's convention); what it
 * grows by is wired under mlockall(MCL_FUTURE).  The
 * break is (m): read and moved under the map's lock, so threads calling
 * brk at once each see the other's break.
 */
int64_t
sys_brk(uaddr_t newbrk)
{
	struct vmspace *vm = curproc()->p_vmspace;
	struct vm_map *map = &vm->vm_map;
	vaddr_t old, want = round_page(newbrk);
	bool grown = false;
	int rv = KERN_SUCCESS;
	uint8_t map_flags;
	int64_t brk;

	vm_map_lock(map);
	map_flags = map->flags;
	old = round_page(vm->vm_brk);
	if (newbrk != 0 && newbrk >= vm->vm_brk_base &&
	    newbrk <= VM_MAXUSER_ADDRESS - USRSTACK_SIZE - 4 * PAGE_SIZE) {
		if (want > old) {
			rv = vm_map_insert(map, NULL, 0, old, want,
			    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
			    MAP_COPY_ON_WRITE);
			grown = rv == KERN_SUCCESS;
		}
		else if (want < old)
			rv = vm_map_delete(map, want, old);
		if (rv == KERN_SUCCESS)
			vm->vm_brk = newbrk;
	}
	brk = (int64_t)vm->vm_brk;
	vm_map_unlock(map);
	if (grown && (map_flags & MAP_WIREFUTURE))
		wire_new(map, map_flags, old, want);
	return brk;
}
