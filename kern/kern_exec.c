/*
 * execve: replace the calling process's program with a static ELF64
 * RISC-V executable (ET_EXEC, or ET_DYN built as static-pie) or a "#!"
 * script.
 *
 * Each PT_LOAD segment is mapped copy-on-write from the file's vnode
 * object, so text and data are paged in by faults as they are touched,
 * never read whole; bss is anonymous memory, and the tail of the last
 * file page past p_filesz is zeroed.  The stack is laid out as Linux does:
 * argc, argv, envp, auxv, then the strings and AT_RANDOM's bytes.
 *
 * The new address space is built completely while the old one still
 * exists: any failure (a bad ELF is ENOEXEC) leaves the caller intact.
 * Then the process's other threads are ended (exec_take_over): the
 * thread that execs carries on alone, with the pid as its thread id.
 */
#include "kern/errno.h"
#include "kern/fcntl.h"
#include "kern/file.h"
#include "kern/kpath.h"
#include "kern/proc.h"
#include "kern/syscall.h"
#include "kern/thread.h"
#include "kern/uaccess.h"
#include "kern/clock.h"
#include "machine/frame.h"
#include "machine/pcpu.h"
#include "machine/riscv.h"
#include "vm/vm_fault.h"
#include "vm/vm_map.h"
#include "vm/vm_object.h"
#include "vm/vm_page.h"
#include "vm/pmap.h"

#define ARG_MAX		(128 * 1024)	/* argv + envp strings and pointers */
#define ARGV_MAX	4096
#define SCRIPT_DEPTH	4
#define ELF_PHNUM_MAX	64

#define EM_RISCV	243
#define ET_EXEC		2
#define ET_DYN		3
#define PT_LOAD		1
#define PT_INTERP	3
#define PF_X		1
#define PF_W		2
#define PF_R		4

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31

struct elf_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

/* The arguments, copied into the kernel: NUL-separated strings. */
struct exec_args {
	char *buf;		/* cap bytes, cap <= ARG_MAX */
	size_t cap;
	size_t used;
	int argc, envc;
	char *fname;		/* AT_EXECFN: the path as given */
};

#define ARGS_FIRST	PAGE_SIZE	/* most programs' argv and envp fit */

/* The bytes of the n strings at s, each NUL-terminated, one after another. */
static size_t
strings_len(const char *s, int n)
{
	size_t len = 0;

	for (int i = 0; i < n; i++)
		len += strlen(s + len) + 1;
	return len;
}

/* A kmalloc'd copy of len bytes at s, or NULL without memory for it. */
static char *
copy_bytes(const char *s, size_t len)
{
	char *copy = kmalloc(MAX(len, 1), 0);

	if (copy != NULL)
		memcpy(copy, s, len);
	return copy;
}

/*
 * Keep copies of the new program's argv and environment in p for
 * /proc/PID/cmdline and environ: ea's buffer holds argc strings, then
 * envc.  Without memory for one its old copy is dropped (the file reads
 * empty, as a Linux kernel thread's), never the exec.
 */
static void
keep_args(struct proc *p, const struct exec_args *ea)
{
	size_t alen = strings_len(ea->buf, ea->argc);
	size_t elen = strings_len(ea->buf + alen, ea->envc);
	char *args = copy_bytes(ea->buf, alen);
	char *env = copy_bytes(ea->buf + alen, elen);

	proc_set_args(p, args, args != NULL ? alen : 0);
	proc_set_env(p, env, env != NULL ? elen : 0);
}

/*
 * The canonical path of the program at path, for /proc/PID/exe and the
 * names of its segments' mappings: a new kpath (the caller's reference),
 * or NULL if it cannot be had (no memory; no name, as fexecve's).
 */
static struct kpath *
exec_fullpath(struct proc *p, const char *path)
{
	struct vnode *cwd = proc_cwd(p);
	struct kpath *exe;

	if (vfs_fullpath(p->p_root, cwd, path, &exe) != 0)
		exe = NULL;
	vrele(cwd);
	return exe;
}

/*
 * An empty argument buffer of one page: it grows (doubling, up to
 * ARG_MAX) only for the programs that need more, so that an ordinary exec
 * needs no physically contiguous run of pages (a 128 KiB one was
 * searched for on every exec).  0 or ENOMEM.
 */
static int
args_init(struct exec_args *ea)
{
	ea->buf = kmalloc(ARGS_FIRST, 0);
	ea->cap = ARGS_FIRST;
	ea->used = 0;
	return ea->buf != NULL ? 0 : ENOMEM;
}

/* Double the buffer (pointers into it are stale after).  E2BIG, ENOMEM. */
static int
args_grow(struct exec_args *ea)
{
	size_t cap = ea->cap * 2;
	char *buf;

	if (ea->cap >= ARG_MAX)
		return E2BIG;
	buf = kmalloc(cap, 0);
	if (buf == NULL)
		return ENOMEM;
	memcpy(buf, ea->buf, ea->used);
	kfree(ea->buf);
	ea->buf = buf;
	ea->cap = cap;
	return 0;
}

/* Append one string; E2BIG past ARG_MAX. */
static int
args_add(struct exec_args *ea, const char *s, bool user)
{
	size_t done;
	int error;

	if (!user) {
		size_t len = strlen(s) + 1;

		while (ea->used + len > ea->cap)
			if ((error = args_grow(ea)) != 0)
				return error;
		memcpy(ea->buf + ea->used, s, len);
		ea->used += len;
		return 0;
	}
	for (;;) {
		error = copyinstr(s, ea->buf + ea->used, ea->cap - ea->used,
		    &done);
		if (error != ENAMETOOLONG)
			break;
		if ((error = args_grow(ea)) != 0)
			return error;
	}
	if (error == 0)
		ea->used += done;
	return error;
}

/* Copy a NULL-terminated array of strings (user or kernel pointers). */
static int
args_vector(struct exec_args *ea, char *const *vec, bool user, int *count)
{
	for (int i = 0;; i++) {
		uint64_t ptr;
		int error;

		if (vec == NULL)
			return 0;
		if (i >= ARGV_MAX)
			return E2BIG;
		if (user) {
			if (copyin(&vec[i], &ptr, sizeof(ptr)) != 0)
				return EFAULT;
		} else {
			ptr = (uint64_t)vec[i];
		}
		if (ptr == 0)
			return 0;
		error = args_add(ea, (const char *)ptr, user);
		if (error != 0)
			return error;
		(*count)++;
	}
}

static int
read_exact(struct vnode *vp, uint64_t off, void *buf, size_t len)
{
	struct uio uio = { .uio_base = buf, .uio_resid = len, .uio_offset = off };
	int error = vn_read(vp, &uio);

	return error != 0 ? error : (uio.uio_resid != 0 ? ENOEXEC : 0);
}

/* Check the header of an ELF file and read its program headers. */
static int
elf_check(struct vnode *vp, struct elf_ehdr *eh, struct elf_phdr *ph)
{
	int error = read_exact(vp, 0, eh, sizeof(*eh));

	if (error != 0)
		return error == EIO ? EIO : ENOEXEC;
	if (memcmp(eh->e_ident, "\177ELF", 4) != 0 || eh->e_ident[4] != 2 ||
	    eh->e_ident[5] != 1 || eh->e_machine != EM_RISCV ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(struct elf_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_PHNUM_MAX)
		return ENOEXEC;
	if (read_exact(vp, eh->e_phoff, ph, eh->e_phnum * sizeof(*ph)) != 0)
		return ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return ENOEXEC;		/* dynamic linking: not here */
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz ||
		    (ph[i].p_offset & PAGE_MASK) != (ph[i].p_vaddr & PAGE_MASK) ||
		    ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr ||
		    ph[i].p_offset + ph[i].p_filesz < ph[i].p_offset ||
		    ph[i].p_offset + ph[i].p_filesz > vp->v_size)
			return ENOEXEC;
	}
	return 0;
}

static vm_prot_t
elf_prot(uint32_t flags)
{
	return (flags & PF_R ? VM_PROT_READ : 0) |
	    (flags & PF_W ? VM_PROT_WRITE : 0) |
	    (flags & PF_X ? VM_PROT_EXECUTE : 0);
}

/*
 * Map one PT_LOAD segment at bias into vm: file pages copy-on-write from
 * object, named name (the entry takes its own reference; NULL: none),
 * then anonymous bss.  Returns the end of the segment.
 */
static int
map_segment(struct vmspace *vm, struct vm_object *object,
    struct kpath *name, const struct elf_phdr *ph, uint64_t bias,
    vaddr_t *end)
{
	vaddr_t start = trunc_page(ph->p_vaddr + bias);
	vaddr_t file_end = round_page(ph->p_vaddr + bias + ph->p_filesz);
	vaddr_t mem_end = round_page(ph->p_vaddr + bias + ph->p_memsz);
	vm_prot_t prot = elf_prot(ph->p_flags);
	int rv;

	if (mem_end > VM_MAXUSER_ADDRESS - USRSTACK_SIZE - 4 * PAGE_SIZE ||
	    start < PAGE_SIZE)
		return ENOEXEC;
	if (file_end > start) {
		vm_object_reference(object);
		vm_map_lock(&vm->vm_map);
		rv = vm_map_insert(&vm->vm_map, object, trunc_page(ph->p_offset),
		    start, file_end, prot, VM_PROT_ALL,
		    MAP_COPY_ON_WRITE | MAP_NEEDS_COPY);
		if (rv == KERN_SUCCESS)
			vm_map_set_name(&vm->vm_map, start, name);
		vm_map_unlock(&vm->vm_map);
		if (rv != KERN_SUCCESS) {
			vm_object_deallocate(object);
			return rv == KERN_NO_SPACE ? ENOEXEC : ENOMEM;
		}
		if (!(prot & VM_PROT_WRITE))
			vm_fault_prefault_segment(&vm->vm_map, start, file_end);
	}
	if (mem_end > file_end) {
		vaddr_t bss = file_end;

		rv = vm_map_find(&vm->vm_map, NULL, 0, &bss, mem_end - file_end,
		    true, prot, VM_PROT_ALL, MAP_COPY_ON_WRITE);
		if (rv != KERN_SUCCESS)
			return rv == KERN_NO_SPACE ? ENOEXEC : ENOMEM;
	}
	*end = mem_end;
	return 0;
}

/* Map the page holding the signal trampoline (shared, read and execute). */
static int
map_sigcode(struct vmspace *vm)
{
	extern const uint32_t sigcode[];
	extern const size_t sigcode_size;
	static struct vm_object *sigcode_object;
	vaddr_t va = SIGCODE_VA;

	if (sigcode_object == NULL) {
		struct vm_object *o = vm_object_allocate(OBJT_ANON, 1);
		struct vm_page *m;

		if (o == NULL)
			return ENOMEM;
		vm_object_lock(o);
		m = vm_page_alloc(o, 0, VM_ALLOC_ZERO);
		if (m != NULL) {
			memcpy((void *)PHYS_TO_DMAP(VM_PAGE_TO_PHYS(m)), sigcode,
			    sigcode_size);
			m->flags |= PG_VALID;
			/* The only copy, made by the kernel: never paged out. */
			vm_page_wire(m);
			vm_page_wakeup(m);
		}
		vm_object_unlock(o);
		if (m == NULL) {
			vm_object_deallocate(o);
			return ENOMEM;
		}
		sigcode_object = o;	/* kept for the kernel's lifetime */
	}
	vm_object_reference(sigcode_object);
	if (vm_map_find(&vm->vm_map, sigcode_object, 0, &va, PAGE_SIZE, true,
	    VM_PROT_READ | VM_PROT_EXECUTE, VM_PROT_READ | VM_PROT_EXECUTE,
	    MAP_INHERIT_SHARE) != KERN_SUCCESS) {
		vm_object_deallocate(sigcode_object);
		return ENOMEM;
	}
	return 0;
}

/*
 * Write the initial stack into the (active) new address space: from the
 * top, the argument and environment strings, AT_RANDOM's 16 bytes, then
 * (16-byte aligned) argc, argv[], NULL, envp[], NULL and the auxv pairs.
 */
static int
build_stack(const struct exec_args *ea, const struct elf_ehdr *eh,
    uint64_t phdr, uint64_t bias, uint64_t *spp)
{
	enum { NAUX = 17 };
	size_t nvec = 1 + ea->argc + 1 + ea->envc + 1 + 2 * NAUX, n = 0, off = 0;
	uint64_t sp = USRSTACK, strings, random, *vec;
	uint8_t rnd[16];
	int error;

	sp -= ea->used;
	strings = sp;
	if (copyout(ea->buf, (void *)strings, ea->used) != 0)
		return EFAULT;
	for (int i = 0; i < 16; i++)
		rnd[i] = (uint8_t)((rdtime() + i) * 2654435761U >> 13);
	sp -= sizeof(rnd);
	random = sp;
	if (copyout(rnd, (void *)random, sizeof(rnd)) != 0)
		return EFAULT;
	sp = (sp - nvec * 8) & ~15UL;
	vec = kmalloc(nvec * 8, M_ZERO);
	if (vec == NULL)
		return ENOMEM;
	vec[n++] = (uint64_t)ea->argc;
	for (int i = 0; i < ea->argc + ea->envc; i++) {
		if (i == ea->argc)
			vec[n++] = 0;		/* end of argv */
		vec[n++] = strings + off;
		off += strlen(ea->buf + off) + 1;
	}
	if (ea->envc == 0)
		vec[n++] = 0;			/* end of argv */
	vec[n++] = 0;				/* end of envp */
	vec[n++] = AT_PHDR;	vec[n++] = phdr;
	vec[n++] = AT_PHENT;	vec[n++] = sizeof(struct elf_phdr);
	vec[n++] = AT_PHNUM;	vec[n++] = eh->e_phnum;
	vec[n++] = AT_PAGESZ;	vec[n++] = PAGE_SIZE;
	vec[n++] = AT_BASE;	vec[n++] = 0;
	vec[n++] = AT_FLAGS;	vec[n++] = 0;
	vec[n++] = AT_ENTRY;	vec[n++] = eh->e_entry + bias;
	vec[n++] = AT_UID;	vec[n++] = 0;
	vec[n++] = AT_EUID;	vec[n++] = 0;
	vec[n++] = AT_GID;	vec[n++] = 0;
	vec[n++] = AT_EGID;	vec[n++] = 0;
	vec[n++] = AT_HWCAP;	vec[n++] = 0x112d;	/* i, m, a, f, d, c */
	vec[n++] = AT_CLKTCK;	vec[n++] = HZ;
	vec[n++] = AT_SECURE;	vec[n++] = 0;
	vec[n++] = AT_RANDOM;	vec[n++] = random;
	vec[n++] = AT_EXECFN;	vec[n++] = strings + (ea->fname - ea->buf);
	vec[n++] = AT_NULL;	vec[n++] = 0;
	KASSERT(n == nvec, "initial stack has %zu words, expected %zu", n, nvec);
	error = copyout(vec, (void *)sp, n * 8) != 0 ? EFAULT : 0;
	kfree(vec);
	*spp = sp;
	return error;
}

/* Zero [addr, end of its page) in the active address space (bss tail). */
static int
zero_tail(vaddr_t addr)
{
	static const uint8_t zeros[256];
	size_t left = round_page(addr) - addr;

	while (left > 0) {
		size_t n = MIN(left, sizeof(zeros));

		if (copyout(zeros, (void *)addr, n) != 0)
			return EFAULT;
		addr += n;
		left -= n;
	}
	return 0;
}

/*
 * The point of no return of an exec from any thread, as Linux's
 * de_thread: end the process's other threads, and make the caller its
 * main thread, with the pid as its id.  Its robust futexes and
 * set_tid_address word are handled as at exit (mm_release).  Returns 0,
 * or EINTR if another thread is ending the process or exec'ing (the
 * caller then leaves on its way back to user mode).
 */
static int
exec_take_over(struct proc *p)
{
	struct thread *td = curthread();

	if (!proc_single_thread(p))
		return EINTR;
	thread_user_cleanup(td);
	spin_lock(&proc_lock);
	td->td_utid = p->p_pid;
	spin_unlock(&proc_lock);
	proc_single_thread_end(p);
	return 0;
}

/*
 * Build the new image of vp into a fresh address space and make it the
 * process's (ending its other threads first); its segments' mappings are
 * named name (NULL: none; the caller keeps its reference).  Returns 0
 * with tf set for the new program, or an errno with the process
 * unchanged.
 */
static int
exec_image(struct proc *p, struct vnode *vp, struct kpath *name,
    struct exec_args *ea, struct trapframe *tf)
{
	struct elf_ehdr eh;
	struct elf_phdr *ph = kmalloc(ELF_PHNUM_MAX * sizeof(*ph), 0);
	struct vmspace *vm, *old = p->p_vmspace;
	struct vm_object *object = vn_object(vp);
	uint64_t bias = 0, phdr = 0, sp;
	vaddr_t end = 0, top = 0;
	vaddr_t stack = USRSTACK - USRSTACK_SIZE;
	int error;

	if (ph == NULL || object == NULL) {
		kfree(ph);
		return ENOMEM;
	}
	error = elf_check(vp, &eh, ph);
	if (error != 0) {
		kfree(ph);
		return error;
	}
	if (eh.e_type == ET_DYN)
		bias = ET_DYN_BASE;
	vm = vmspace_alloc(PAGE_SIZE, VM_MAXUSER_ADDRESS);
	if (vm == NULL) {
		kfree(ph);
		return ENOMEM;
	}
	for (int i = 0; i < eh.e_phnum && error == 0; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		error = map_segment(vm, object, name, &ph[i], bias, &end);
		top = MAX(top, end);
		if (eh.e_phoff >= ph[i].p_offset &&
		    eh.e_phoff < ph[i].p_offset + ph[i].p_filesz)
			phdr = ph[i].p_vaddr + bias + (eh.e_phoff - ph[i].p_offset);
	}
	if (error == 0 && vm_map_find(&vm->vm_map, NULL, 0, &stack,
	    USRSTACK_SIZE, true, VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
	    MAP_COPY_ON_WRITE) != KERN_SUCCESS)
		error = ENOMEM;
	if (error == 0)
		error = map_sigcode(vm);
	if (error == 0)
		error = exec_take_over(p);
	if (error == 0) {
		vmspace_activate(vm);
		proc_set_vmspace(p, vm);
		for (int i = 0; i < eh.e_phnum && error == 0; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_memsz > ph[i].p_filesz &&
			    ((ph[i].p_vaddr + ph[i].p_filesz) & PAGE_MASK) != 0)
				error = zero_tail(ph[i].p_vaddr + bias + ph[i].p_filesz);
		if (error == 0)
			error = build_stack(ea, &eh, phdr, bias, &sp);
		if (error != 0) {
			proc_set_vmspace(p, old);
			vmspace_activate(old);
		}
	}
	kfree(ph);
	if (error != 0) {
		vmspace_free(vm);
		return error;
	}
	vm->vm_brk_base = vm->vm_brk = round_page(top);
	memset(tf, 0, sizeof(*tf));
	tf->tf_sepc = eh.e_entry + bias;
	tf->tf_x[TF_SP] = sp;
	tf->tf_sstatus = SSTATUS_SPIE;
	return 0;
}

/*
 * "#!interp [arg]" scripts: the arguments become interp [arg] path
 * argv[1..], with the same environment; *interp points at the
 * interpreter's path (inside ea's new buffer).
 */
static int
exec_script(struct vnode *vp, const char *path, struct exec_args *ea,
    const char **interp)
{
	char line[128], *p, *ip, *arg = NULL;
	struct exec_args old = *ea;
	size_t len = MIN(sizeof(line) - 1, vp->v_size), off;
	int error = read_exact(vp, 0, line, len);

	if (error != 0)
		return error;
	line[len] = '\0';
	p = strchr(line, '\n');
	if (p == NULL)
		return ENOEXEC;
	*p = '\0';
	for (ip = line + 2; *ip == ' ' || *ip == '\t'; ip++)
		;
	for (p = ip; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		;
	if (*p != '\0') {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		arg = *p != '\0' ? p : NULL;
	}
	if (*ip == '\0')
		return ENOEXEC;
	if (args_init(ea) != 0) {
		*ea = old;
		return ENOMEM;
	}
	ea->argc = 0;
	error = args_add(ea, ip, false);
	ea->argc++;
	if (error == 0 && arg != NULL) {
		error = args_add(ea, arg, false);
		ea->argc++;
	}
	if (error == 0) {
		error = args_add(ea, path, false);
		ea->argc++;
	}
	/* old.buf: argv[0..argc-1], envp[0..envc-1], then the file name. */
	off = old.argc > 0 ? strlen(old.buf) + 1 : 0;
	for (int i = 1; i < old.argc + old.envc && error == 0; i++) {
		error = args_add(ea, old.buf + off, false);
		off += strlen(old.buf + off) + 1;
		if (i < old.argc)
			ea->argc++;
	}
	if (error == 0) {
		off = ea->used;
		error = args_add(ea, path, false);
		ea->fname = ea->buf + off;
	}
	*interp = ea->buf;
	kfree(old.buf);
	return error;
}

/*
 * May vp be run?  Only a regular file the process may execute (for root:
 * one with any execute bit), on a file system not mounted noexec
 * (checked for a script and for its interpreter alike, before either is
 * read).  Returns 0 or EACCES (or getattr's error).
 */
static int
exec_permitted(struct vnode *vp)
{
	struct vattr va;
	int error;

	if (vp->v_type != VREG || (vp->v_mount->mnt_flags & MNT_NOEXEC))
		return EACCES;
	error = vn_getattr(vp, &va);
	if (error != 0)
		return error;
	return vattr_access(&va, X_OK);
}

/*
 * Open the program (or interpreter) at path for exec: from at (execveat's
 * directory, or its file itself; NULL: the cwd), not following a symlink
 * at the end if at says so (ELOOP).  Returns 0 with *vpp referenced, or
 * an errno.
 */
static int
exec_open(struct proc *p, const struct exec_at *at, const char *path,
    struct vnode **vpp)
{
	struct vnode *dir;
	int error;

	if (at != NULL && at->file != NULL) {
		vref(at->file);
		*vpp = at->file;
		return 0;
	}
	if (at != NULL && at->dir != NULL) {
		dir = at->dir;
		vref(dir);
	} else {
		dir = proc_cwd(p);
	}
	error = vfs_open(p->p_root, dir, path, O_RDONLY |
	    (at != NULL && at->nofollow ? O_NOFOLLOW : 0), 0, vpp);
	vrele(dir);
	return error;
}

/*
 * Run path with argv and envp (user pointers, or kernel pointers when
 * argv_in_kernel).  On success the current thread's user registers are
 * those of the new program; on failure the process is untouched.
 */
int
proc_exec(const char *path, char *const *argv, char *const *envp,
    bool argv_in_kernel)
{
	return proc_execat(NULL, path, path, argv, envp, argv_in_kernel);
}

/*
 * proc_exec, with the program at path found through at (execveat) if not
 * NULL, and named name (its AT_EXECFN, a script's argument to its
 * interpreter, its comm).
 */
int
proc_execat(const struct exec_at *at, const char *path, const char *name,
    char *const *argv, char *const *envp, bool argv_in_kernel)
{
	struct proc *p = curproc();
	struct exec_args ea = { 0 };
	struct vmspace *old = p->p_vmspace;
	struct vnode *vp = NULL;
	struct kpath *exe = NULL;
	const char *cur = path;
	char magic[2];
	int error, depth = 0;

	if (args_init(&ea) != 0)
		return ENOMEM;
	error = args_vector(&ea, argv, !argv_in_kernel, &ea.argc);
	/* As Linux since 5.18: an empty argv becomes { "" }, so that argc is
	 * 1 and nothing that reads argv[0] or argv[1] runs into envp. */
	if (error == 0 && ea.argc == 0) {
		error = args_add(&ea, "", false);
		ea.argc = 1;
	}
	if (error == 0)
		error = args_vector(&ea, envp, !argv_in_kernel, &ea.envc);
	if (error == 0) {
		size_t at = ea.used;

		error = args_add(&ea, name, false);
		ea.fname = ea.buf + at;
	}
	while (error == 0) {
		/* Only the program itself is found through at, not the
		 * interpreter a script names. */
		error = exec_open(p, depth == 0 ? at : NULL, cur, &vp);
		if (error != 0)
			break;
		error = exec_permitted(vp);
		if (error != 0)
			break;
		if (vp->v_size >= 2 && read_exact(vp, 0, magic, 2) == 0 &&
		    magic[0] == '#' && magic[1] == '!') {
			const char *script = depth == 0 ? name : cur;

			if (++depth > SCRIPT_DEPTH) {
				error = ELOOP;
				break;
			}
			error = exec_script(vp, script, &ea, &cur);
			vrele(vp);
			vp = NULL;
			continue;
		}
		exe = exec_fullpath(p, cur);
		error = exec_image(p, vp, exe, &ea, curthread()->td_frame);
		break;
	}
	if (vp != NULL)
		vrele(vp);
	if (error == 0) {
		const char *base = strchr(ea.fname, '/') != NULL ?
		    ea.fname + strlen(ea.fname) : ea.fname;

		while (base > ea.fname && base[-1] != '/')
			base--;
		keep_args(p, &ea);
		proc_set_exe(p, exe);	/* takes our reference */
		exe = NULL;
		spin_lock(&proc_lock);
		kstrlcpy(p->p_comm, base, sizeof(p->p_comm));
		kstrlcpy(curthread()->td_name, base, sizeof(p->p_comm));
		p->p_execed = true;
		/* Linux's rule: dumpable again unless the ids differ. */
		p->p_dumpable = p->p_cred.cr_euid == p->p_cred.cr_ruid &&
		    p->p_cred.cr_egid == p->p_cred.cr_rgid;
		spin_unlock(&proc_lock);
		fd_close_on_exec(p->p_fd);
		sigacts_exec(p);
		sigstack_reset(curthread());
		memset(&curthread()->td_fpstate, 0, sizeof(struct fpstate));
		/* Loaded on the way out, whichever hart that is. */
		curthread()->td_fpcpu = -1;
		proc_vfork_done(p);
		if (old != NULL && old != p->p_vmspace)
			vmspace_free(old);
	}
	kpath_rele(exe);
	kfree(ea.buf);
	return error;
}

/*
 * execveat's arguments as an exec_at, and the program's name (name,
 * size bytes): the path; or, relative to a descriptor, "/dev/fd/N"
 * (AT_EMPTY_PATH with an empty path) or "/dev/fd/N/path", as Linux
 * names it.  Returns 0 with the references in *at, or EBADF, ENOTDIR
 * (dirfd not a directory, for a relative path), EACCES (an empty path on
 * a descriptor that is not a file).
 */
static int
execat_start(int dirfd, int flags, const char *path, char *name, size_t size,
    struct exec_at *at)
{
	int error = 0;

	*at = (struct exec_at){ .nofollow = (flags & AT_SYMLINK_NOFOLLOW) != 0 };
	kstrlcpy(name, path, size);
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		at->file = dirfd == AT_FDCWD ? proc_cwd(curproc()) :
		    fd_vnode(dirfd, false, &error);
		if (at->file == NULL)
			return error == EINVAL ? EACCES : error;
		if (dirfd != AT_FDCWD)
			ksnprintf(name, size, "/dev/fd/%d", dirfd);
		return 0;
	}
	if (path[0] == '/' || path[0] == '\0' || dirfd == AT_FDCWD)
		return 0;
	at->dir = at_dir(dirfd, path, &error);
	if (at->dir == NULL)
		return error;
	/* A name too long to be given so keeps the path itself. */
	if ((size_t)ksnprintf(name, size, "/dev/fd/%d/%s", dirfd, path) >= size)
		kstrlcpy(name, path, size);
	return 0;
}

/*
 * execveat: execve relative to dirfd, or of the file open on it
 * (AT_EMPTY_PATH: glibc's fexecve); AT_SYMLINK_NOFOLLOW makes a symlink
 * ELOOP.  Other flags are EINVAL.
 */
int64_t
sys_execveat(int dirfd, uaddr_t upath, uaddr_t argv, uaddr_t envp, int flags)
{
	char *path, *name;
	struct exec_at at;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	path = kmalloc(2 * PATH_MAX, 0);
	if (path == NULL)
		return -ENOMEM;
	name = path + PATH_MAX;
	error = copyinstr((const void *)upath, path, PATH_MAX, NULL);
	if (error == 0)
		error = execat_start(dirfd, flags, path, name, PATH_MAX, &at);
	if (error == 0) {
		error = proc_execat(&at, path, name, (char *const *)argv,
		    (char *const *)envp, false);
		if (at.dir != NULL)
			vrele(at.dir);
		if (at.file != NULL)
			vrele(at.file);
	}
	kfree(path);
	return error != 0 ? -error : SYSCALL_NORETURN_VALUE;
}

int64_t
sys_execve(uaddr_t upath, uaddr_t argv, uaddr_t envp)
{
	char *path = kmalloc(PATH_MAX, 0);
	int error;

	if (path == NULL)
		return -ENOMEM;
	error = copyinstr((const void *)upath, path, PATH_MAX, NULL);
	if (error == 0)
		error = proc_exec(path, (char *const *)argv, (char *const *)envp,
		    false);
	kfree(path);
	return error != 0 ? -error : SYSCALL_NORETURN_VALUE;
}
