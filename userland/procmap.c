/*
 * procmap: show a process's address map, one line per entry.
 *
 *   procmap PID       FreeBSD's procstat -v columns: PID START END PRT
 *                     RES (pages mapped) PRES (resident, private to the
 *                     entry) REF and SHD (the first object's references
 *                     and shadows) FLAG (C copy-on-write, N needs copy,
 *                     S superpage: never, D grows down, W wired) TP (df
 *                     anonymous, sw anonymous with pages on swap, vn
 *                     file, -- none yet) PATH (the file's path as it
 *                     was opened or exec'd, " (deleted)" once it has no
 *                     links; empty for anonymous memory)
 *   procmap -x PID    vmk's view: protection and maximum, inheritance,
 *                     COW state, object, offset, resident, chain depth,
 *                     and the name /proc/PID/maps gives the entry (the
 *                     path, or [heap], [stack], [vdso])
 *   procmap -c PID    -x, and each entry's shadow chain drawn below it
 *
 * The records come from vm.proc.map.<pid>, the code /proc/PID/maps is
 * printed from too.  A path is kept with the mapping (the kernel has no
 * name cache): a rename after the mmap is not seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmksys.h"

static const char *
obj_type(uint32_t t)
{
	return t == 0 ? "anon" : t == 1 ? "vnode" : "-";
}

static void
prot_string(uint32_t p, char *s)
{
	s[0] = (p & 1) ? 'r' : '-';
	s[1] = (p & 2) ? 'w' : '-';
	s[2] = (p & 4) ? 'x' : '-';
	s[3] = '\0';
}

static void
draw_chain(int pid, uint64_t addr)
{
	char name[VMK_SYSCTL_NAME_MAX];
	struct vmk_kinfo_vmobject *o;
	size_t len;

	snprintf(name, sizeof(name), "vm.proc.chain.%d.0x%llx", pid,
	    (unsigned long long)addr);
	o = vmk_sysctl_alloc(name, &len);
	if (o == NULL)
		return;
	for (size_t i = 0; i < len / sizeof(*o); i++) {
		printf("%*s%s object %#llx: %s, %llu pages, %d resident, ref %d, "
		    "shadows %d", (int)(4 + 2 * i), "", i == 0 ? "`-" : "`->",
		    (unsigned long long)o[i].addr, obj_type(o[i].type),
		    (unsigned long long)o[i].size, o[i].resident, o[i].ref_count,
		    o[i].shadow_count);
		if (o[i].backing_offset != 0)
			printf(", backing offset %#llx",
			    (unsigned long long)o[i].backing_offset);
		if (o[i].type == 1)
			printf(", inode %llu", (unsigned long long)o[i].vnode_ino);
		if (o[i].swapped != 0)
			printf(", %llu on swap", (unsigned long long)o[i].swapped);
		putchar('\n');
	}
	free(o);
}

/* The entry's name as maps shows it: its path, or a special region's. */
static void
print_name(const struct vmk_kinfo_vmentry *e, int specials)
{
	static const char *const kinds[] = { [VMK_KVME_HEAP] = "[heap]",
	    [VMK_KVME_STACK] = "[stack]", [VMK_KVME_VDSO] = "[vdso]" };
	const char *path = VMK_KVME_PATH(e);

	if (path[0] != '\0')
		printf(" %s%s", path, e->deleted ? " (deleted)" : "");
	else if (specials && e->kind < sizeof(kinds) / sizeof(kinds[0]) &&
	    kinds[e->kind] != NULL)
		printf(" %s", kinds[e->kind]);
}

/* One line in procstat -v's columns (PATH empty for anonymous memory). */
static void
procstat_line(int pid, const struct vmk_kinfo_vmentry *e)
{
	char prot[4], flags[6];
	const char *tp = e->obj_type == 255 ? "--" : e->obj_type == 1 ? "vn" :
	    e->swapped ? "sw" : "df";

	prot_string(e->prot, prot);
	snprintf(flags, sizeof(flags), "%c%c-%c%c", (e->flags & 1) ? 'C' : '-',
	    (e->flags & 2) ? 'N' : '-', e->grows_down ? 'D' : '-',
	    e->wired ? 'W' : '-');
	printf("%5d %18llx %18llx %s %4llu %4llu %3d %3d %-5s %2s", pid,
	    (unsigned long long)e->start, (unsigned long long)e->end, prot,
	    (unsigned long long)e->mapped,
	    (unsigned long long)e->private_resident, e->ref_count,
	    e->shadow_count, flags, tp);
	print_name(e, 0);
	putchar('\n');
}

/* One line of vmk's own view (-x, -c). */
static void
vmk_line(const struct vmk_kinfo_vmentry *e)
{
	char prot[4], maxp[4];

	prot_string(e->prot, prot);
	prot_string(e->max_prot, maxp);
	printf("%#018llx %#018llx %s/%s %-5s %-5s %-6s %8llx %5llu %5u",
	    (unsigned long long)e->start, (unsigned long long)e->end,
	    prot, maxp, e->inheritance == 0 ? "share" :
	    e->inheritance == 1 ? "copy" : "none",
	    (e->flags & 2) ? "NC" : (e->flags & 1) ? "cow" : "-",
	    obj_type(e->obj_type), (unsigned long long)e->offset,
	    (unsigned long long)e->resident, e->chain_depth);
	print_name(e, 1);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	int chains = 0, vmk_view = 0, i = 1, pid;
	char name[VMK_SYSCTL_NAME_MAX];
	const struct vmk_kinfo_vmentry *e;
	void *records;
	size_t len;

	if (argc > 1 && (strcmp(argv[1], "-c") == 0 ||
	    strcmp(argv[1], "-x") == 0)) {
		chains = argv[1][1] == 'c';
		vmk_view = 1;
		i++;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: procmap [-x | -c] pid\n");
		return 2;
	}
	pid = atoi(argv[i]);
	snprintf(name, sizeof(name), "vm.proc.map.%d", pid);
	records = vmk_sysctl_alloc(name, &len);
	if (records == NULL) {
		fprintf(stderr, "procmap: no process %s\n", argv[i]);
		return 1;
	}
	if (vmk_view)
		printf("%-18s %-18s %-3s/%-3s %-5s %-5s %-6s %8s %5s %s %s\n",
		    "START", "END", "PRT", "MAX", "INH", "COW", "OBJECT",
		    "OFFSET", "RES", "DEPTH", "NAME");
	else
		printf("%5s %18s %18s %s %4s %4s %3s %3s %-5s %2s %s\n", "PID",
		    "START", "END", "PRT", "RES", "PRES", "REF", "SHD", "FLAG",
		    "TP", "PATH");
	for (e = records; (const char *)e < (const char *)records + len;
	    e = VMK_KVME_NEXT(e)) {
		if (!vmk_view)
			procstat_line(pid, e);
		else
			vmk_line(e);
		if (chains && e->obj_type != 255)
			draw_chain(pid, e->start);
	}
	free(records);
	return 0;
}
