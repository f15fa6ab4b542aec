/*
 * sysctl views of processes: the process list (kern.proc.all, kern.nprocs)
 * and, for one process, its address map (vm.proc.map.<pid>) and the
 * shadow chain behind one of its entries (vm.proc.chain.<pid>.<address>);
 * and the system-wide totals vm.vmtotal.  The records are defined in
 * userland/include/vmk.h.
 */
#include "fs/vnode.h"
#include "kern/clock.h"
#include "kern/errno.h"
#include "kern/kpath.h"
#include "kern/proc.h"
#include "kern/procview.h"
#include "kern/sysctl.h"
#include "kern/thread.h"
#include "userland/include/vmk.h"
#include "vm/swap_pager.h"
#include "vm/pmap.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"

#define VIEW_MAX_PROCS	512
#define VIEW_MAX_ENTRIES 1024

static int64_t
sysctl_nprocs(const struct sysctl_node *node, struct sysctl_req *req)
{
	int32_t n = proc_count();

	return sysctl_out(req, &n, sizeof(n));
}

SYSCTL_PROC(kern_nprocs, "kern.nprocs", CTLTYPE_INT, CTLFLAG_RD, sysctl_nprocs,
    0, "processes (zombies included)");

struct proc_list {
	struct vmk_kinfo_proc *k;
	size_t n;
};

static void
fill_proc(struct proc *p, void *arg)
{
	struct proc_list *pl = arg;
	struct vmk_kinfo_proc *k;
	struct thread *td = proc_first_thread(p);

	if (pl->n >= VIEW_MAX_PROCS)
		return;
	k = &pl->k[pl->n++];
	memset(k, 0, sizeof(*k));
	k->pid = p->p_pid;
	k->ppid = p->p_parent != NULL ? p->p_parent->p_pid : 0;
	k->pgid = p->p_pgid;
	k->state = p->p_state;
	k->utime_ticks = p->p_utime_ticks;
	memcpy(k->comm, p->p_comm, sizeof(k->comm));
	if (p->p_vmspace != NULL) {
		k->vsize = p->p_vmspace->vm_map.size;
		k->rss = pmap_resident_count(p->p_vmspace->vm_pmap);
	}
	if (p->p_state != PRS_ZOMBIE && td != NULL && td->td_wmesg != NULL)
		kstrlcpy(k->wchan, td->td_wmesg, sizeof(k->wchan));
}

static int64_t
sysctl_proc_all(const struct sysctl_node *node, struct sysctl_req *req)
{
	struct proc_list pl = { kmalloc(VIEW_MAX_PROCS * sizeof(*pl.k), 0), 0 };
	int64_t len;

	if (pl.k == NULL)
		return -ENOMEM;
	proc_foreach(fill_proc, &pl);
	len = sysctl_out(req, pl.k, pl.n * sizeof(*pl.k));
	kfree(pl.k);
	return len;
}

SYSCTL_PROC(kern_proc_all, "kern.proc.all", CTLTYPE_RECORDS, CTLFLAG_RD,
    sysctl_proc_all, 0, "all processes: struct vmk_kinfo_proc[]");

/* A process asleep longer than this is not active (FreeBSD's MAXSLP). */
#define VMTOTAL_MAXSLP_TICKS	(20 * HZ)

/*
 * Add p's threads and memory to the totals.  proc_lock held (by
 * proc_foreach); thread states are read without sched_lock, so a total
 * may count a thread in the state it just left.
 */
static void
add_vmtotal(struct proc *p, void *arg)
{
	struct vmk_vmtotal *t = arg;
	bool active = false;
	uint64_t vm, rm;

	if (p->p_state == PRS_ZOMBIE || p->p_vmspace == NULL)
		return;
	for (struct list *l = p->p_threads.next; l != &p->p_threads;
	    l = l->next) {
		struct thread *td = container_of(l, struct thread, td_plink);
		int state = __atomic_load_n(&td->td_state, __ATOMIC_RELAXED);
		const char *wmesg = td->td_wmesg;

		if (state == TDS_RUNNING || state == TDS_RUNNABLE) {
			t->t_rq++;
			active = true;
		} else if (state == TDS_SLEEPING) {
			if (wmesg != NULL && strcmp(wmesg, VM_WAIT_WMESG) == 0)
				t->t_pw++;
			else if (td->td_interruptible)
				t->t_sl++;
			else
				t->t_dw++;
			if (ticks - td->td_sleep_tick < VMTOTAL_MAXSLP_TICKS)
				active = true;
		}
	}
	vm = atop(p->p_vmspace->vm_map.size);
	rm = pmap_resident_count(p->p_vmspace->vm_pmap);
	t->t_vm += vm;
	t->t_rm += rm;
	if (active) {
		t->t_avm += vm;
		t->t_arm += rm;
	}
}

static int64_t
sysctl_vmtotal(const struct sysctl_node *node, struct sysctl_req *req)
{
	struct vmk_vmtotal t;

	memset(&t, 0, sizeof(t));
	proc_foreach(add_vmtotal, &t);
	t.t_free = vm_page_stats.v_free_count;
	return sysctl_out(req, &t, sizeof(t));
}

SYSCTL_STRUCT(vm_vmtotal, "vm.vmtotal", "vmtotal", sysctl_vmtotal,
    "system-wide thread states and memory: struct vmk_vmtotal");

/* Parse a decimal or 0x-hex number ending at a '.' or the end. */
static bool
parse_number(const char **s, uint64_t *v)
{
	const char *p = *s;
	unsigned base = 10;

	*v = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0' || *p == '.')
		return false;
	for (; *p != '\0' && *p != '.'; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return false;
		*v = *v * base + d;
	}
	*s = p;
	return true;
}

/* Pages of object with index in [start, end). */
static uint64_t
resident_in(struct vm_object *object, vm_pindex_t start, vm_pindex_t end)
{
	uint64_t n = 0;

	vm_object_lock(object);
	for (struct list *l = object->memq.next; l != &object->memq; l = l->next) {
		vm_pindex_t pi = container_of(l, struct vm_page, listq)->pindex;

		n += pi >= start && pi < end;
	}
	vm_object_unlock(object);
	return n;
}

/* Pages pmap maps in [start, end): procstat's RES.  Map locked. */
static uint64_t
mapped_in(struct pmap *pmap, vaddr_t start, vaddr_t end)
{
	uint64_t n = 0;
	paddr_t pa;

	for (vaddr_t va = start; va < end; va += PAGE_SIZE)
		n += pmap_extract(pmap, va, &pa);
	return n;
}

/* Does any object of the chain from object hold pages on swap? */
static bool
chain_swapped(struct vm_object *object)
{
	bool swapped = false;

	for (struct vm_object *o = object; o != NULL && !swapped;
	    o = o->backing_object)
		swapped = __atomic_load_n(&o->swap_pages, __ATOMIC_RELAXED) != 0;
	return swapped;
}

/*
 * What Linux's maps calls an entry that maps no file: the signal
 * trampoline's page is our vdso, the one exec puts below USRSTACK the
 * main thread's stack, anonymous memory in [vm_brk_base, vm_brk) the
 * heap (brk grows it an entry at a time).  Map locked.
 */
static uint32_t
entry_kind(const struct vmspace *vm, const struct vm_map_entry *e)
{
	if (e->name != NULL)
		return VMK_KVME_PLAIN;
	if (e->start == SIGCODE_VA)
		return VMK_KVME_VDSO;
	if (e->end == USRSTACK)
		return VMK_KVME_STACK;
	if (e->start >= vm->vm_brk_base && e->start < round_page(vm->vm_brk))
		return VMK_KVME_HEAP;
	return VMK_KVME_PLAIN;
}

/*
 * Fill pe from entry e of vm: its record, a reference on its name, and in
 * pe->file a reference on the file object at the bottom of its chain (a
 * private file mapping stays that file's after copy-on-write gave it an
 * anonymous shadow), with k.file_offset the offset there.  The map
 * (read-locked) holds the entry and its chain.
 */
static void
fill_entry(struct vmspace *vm, struct vm_map_entry *e,
    struct procview_entry *pe)
{
	struct vmk_kinfo_vmentry *k = &pe->k;
	vm_ooffset_t off = e->offset;

	memset(k, 0, sizeof(*k));
	k->start = e->start;
	k->end = e->end;
	k->offset = e->offset;
	k->prot = e->protection;
	k->max_prot = e->max_protection;
	k->inheritance = e->inheritance;
	k->flags = ((e->eflags & MAP_ENTRY_COW) ? 1 : 0) |
	    ((e->eflags & MAP_ENTRY_NEEDS_COPY) ? 2 : 0);
	k->advice = e->advice;
	k->wired = e->wired_count;
	k->obj_type = e->object != NULL ? e->object->type : 255;
	k->kind = entry_kind(vm, e);
	pe->name = kpath_hold(e->name);
	pe->file = NULL;
	if (e->object != NULL) {
		pe->file = vm_object_backing_file(e->object, &off);
		k->file_offset = pe->file != NULL ? off : 0;
		k->chain_depth = (uint32_t)vm_object_chain_depth(e->object);
		k->resident = resident_in(e->object, atop(e->offset),
		    atop(e->offset + (e->end - e->start)));
		vm_object_lock(e->object);
		k->ref_count = e->object->ref_count;
		k->shadow_count = e->object->shadow_count;
		vm_object_unlock(e->object);
		k->private_resident = k->ref_count == 1 ? k->resident : 0;
		k->swapped = chain_swapped(e->object);
	}
	k->mapped = mapped_in(vm->vm_map.pmap, e->start, e->end);
	k->grows_down = e->end == USRSTACK;
}

/*
 * The figures of pe's file, looked at with no map lock held (getattr
 * takes the vnode's lock, which may be held across disk I/O): its inode
 * and device, and whether it has been unlinked (no links left: Linux's
 * " (deleted)").  Drops pe->file.  A tmpfs file's object does not lead to
 * its node, so it shows none of them.
 */
static void
fill_file(struct procview_entry *pe)
{
	struct vm_object *file = pe->file;
	struct vnode *vp;
	struct vattr va;

	if (file == NULL)
		return;
	pe->file = NULL;
	vp = file->type == OBJT_VNODE ? file->handle : NULL;
	if (vp != NULL) {
		pe->k.vnode_ino = vp->v_ino;
		pe->k.vnode_dev = vp->v_mount->mnt_devno;
		pe->k.deleted = vn_getattr(vp, &va) == 0 && va.va_nlink == 0;
	}
	vm_object_deallocate(file);
}

/*
 * The address space of the live process named by the leading number of
 * *arg (advanced), with a reference of its own (vmspace_free it), or NULL
 * with *error ENOENT, or EACCES if the caller may not look into it (as
 * /proc/PID/maps: ptrace_read_permitted).
 */
static struct vmspace *
arg_vmspace(const char **arg, int64_t *error)
{
	struct vmspace *vm = NULL;
	struct proc *p = NULL;
	uint64_t pid;
	bool ok;

	*error = -ENOENT;
	if (*arg != NULL && parse_number(arg, &pid) && pid <= PID_MAX)
		p = pfind_hold((int)pid, false);
	if (p == NULL)
		return NULL;
	spin_lock(&proc_lock);
	ok = ptrace_read_permitted(p);
	spin_unlock(&proc_lock);
	if (ok)
		vm = proc_vmspace(p);
	else
		*error = -EACCES;
	proc_rele(p);
	return vm;
}

/*
 * Fill e (room for max) with vm's map entries in address order, as
 * procmap and /proc/PID/maps both show them: one code for both, so the
 * two never disagree.  Takes and drops the map's lock (shared); the
 * caller holds a reference on vm, and owns the references on the names
 * in e (procview_done).  Returns the number of entries.
 */
size_t
procview_map(struct vmspace *vm, struct procview_entry *e, size_t max)
{
	struct vm_map *map = &vm->vm_map;
	size_t n = 0;

	vm_map_lock_read(map);
	for (struct vm_map_entry *me = map->header.next;
	    me != &map->header && n < max; me = me->next)
		fill_entry(vm, me, &e[n++]);
	vm_map_unlock_read(map);
	for (size_t i = 0; i < n; i++)
		fill_file(&e[i]);
	return n;
}

/* Drop the name references procview_map gave e[0..n). */
void
procview_done(struct procview_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kpath_rele(e[i].name);
}

/* Bytes of e's vm.proc.map record: the fixed part, the path, padding. */
static size_t
record_size(const struct procview_entry *e)
{
	size_t len = e->name != NULL ? e->name->kp_len : 0;

	return (sizeof(e->k) + len + 1 + 7) & ~(size_t)7;
}

/*
 * e[0..n)'s records packed (vmk.h) into a new buffer (kfree it) of *len
 * bytes; NULL if memory is out.
 */
static char *
pack_records(const struct procview_entry *e, size_t n, size_t *len)
{
	size_t total = 0;
	char *buf, *p;

	for (size_t i = 0; i < n; i++)
		total += record_size(&e[i]);
	buf = kmalloc(MAX(total, 1), M_ZERO);
	if (buf == NULL)
		return NULL;
	p = buf;
	for (size_t i = 0; i < n; i++) {
		struct vmk_kinfo_vmentry *k = (struct vmk_kinfo_vmentry *)p;

		*k = e[i].k;
		k->structsize = (uint32_t)record_size(&e[i]);
		if (e[i].name != NULL)
			memcpy(k + 1, e[i].name->kp_str, e[i].name->kp_len);
		p += k->structsize;
	}
	*len = total;
	return buf;
}

static int64_t
sysctl_proc_map(const struct sysctl_node *node, struct sysctl_req *req)
{
	const char *arg = req->arg;
	struct procview_entry *e;
	int64_t out, error;
	struct vmspace *vm = arg_vmspace(&arg, &error);
	size_t n, len = 0;
	char *buf;

	if (vm != NULL && *arg != '\0') {
		vmspace_free(vm);
		return -ENOENT;
	}
	if (vm == NULL)
		return error;
	e = kmalloc(VIEW_MAX_ENTRIES * sizeof(*e), 0);
	if (e == NULL) {
		vmspace_free(vm);
		return -ENOMEM;
	}
	n = procview_map(vm, e, VIEW_MAX_ENTRIES);
	vmspace_free(vm);
	buf = pack_records(e, n, &len);
	procview_done(e, n);
	kfree(e);
	if (buf == NULL)
		return -ENOMEM;
	out = sysctl_out(req, buf, len);
	kfree(buf);
	return out;
}

SYSCTL_PROC(vm_proc_map, "vm.proc.map", CTLTYPE_RECORDS,
    CTLFLAG_RD | CTLFLAG_PREFIX, sysctl_proc_map, 0,
    "vm.proc.map.<pid>: the process's map, struct vmk_kinfo_vmentry "
    "records, each with its path");

static int64_t
sysctl_proc_chain(const struct sysctl_node *node, struct sysctl_req *req)
{
	const char *arg = req->arg;
	struct vmk_kinfo_vmobject k[16];
	struct vm_map_entry *e;
	struct vmspace *vm;
	struct vm_map *map;
	uint64_t addr;
	size_t n = 0;
	int64_t error;

	vm = arg_vmspace(&arg, &error);
	if (vm == NULL)
		return error;
	if (*arg == '.')
		arg++;
	else
		arg = "";	/* not "<pid>.<address>": no address */
	if (!parse_number(&arg, &addr) || *arg != '\0') {
		vmspace_free(vm);
		return -ENOENT;
	}
	map = &vm->vm_map;
	vm_map_lock_read(map);
	if (!vm_map_lookup_entry(map, addr, &e)) {
		vm_map_unlock_read(map);
		vmspace_free(vm);
		return -ENOENT;
	}
	for (struct vm_object *o = e->object; o != NULL && n < nitems(k);
	    o = o->backing_object) {
		memset(&k[n], 0, sizeof(k[n]));
		k[n].addr = (uint64_t)(uintptr_t)o;
		k[n].size = o->size;
		k[n].backing_offset = o->backing_object_offset;
		k[n].ref_count = o->ref_count;
		k[n].shadow_count = o->shadow_count;
		k[n].resident = o->resident_page_count;
		k[n].swapped = swap_pager_object_pages(o);
		k[n].type = o->type;
		if (o->type == OBJT_VNODE)
			k[n].vnode_ino = ((struct vnode *)o->handle)->v_ino;
		n++;
	}
	vm_map_unlock_read(map);
	vmspace_free(vm);
	return sysctl_out(req, k, n * sizeof(k[0]));
}

SYSCTL_PROC(vm_proc_chain, "vm.proc.chain", CTLTYPE_RECORDS,
    CTLFLAG_RD | CTLFLAG_PREFIX, sysctl_proc_chain, 0,
    "vm.proc.chain.<pid>.<address>: objects behind the entry there, "
    "struct vmk_kinfo_vmobject[]");
