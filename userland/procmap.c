/*
 * procmap: show a process's address map, one line per entry.
 *
 *   procmap [-c] PID     -c draws each entry's shadow chain
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

int
main(int argc, char **argv)
{
	int chains = 0, i = 1, pid;
	char name[VMK_SYSCTL_NAME_MAX], prot[4], maxp[4];
	struct vmk_kinfo_vmentry *e;
	size_t len;

	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		chains = 1;
		i++;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: procmap [-c] pid\n");
		return 2;
	}
	pid = atoi(argv[i]);
	snprintf(name, sizeof(name), "vm.proc.map.%d", pid);
	e = vmk_sysctl_alloc(name, &len);
	if (e == NULL) {
		fprintf(stderr, "procmap: no process %s\n", argv[i]);
		return 1;
	}
	printf("%-18s %-18s %-3s/%-3s %-5s %-5s %-6s %8s %5s %s\n", "START", "END",
	    "PRT", "MAX", "INH", "COW", "OBJECT", "OFFSET", "RES", "DEPTH");
	for (size_t n = 0; n < len / sizeof(*e); n++) {
		prot_string(e[n].prot, prot);
		prot_string(e[n].max_prot, maxp);
		printf("%#018llx %#018llx %s/%s %-5s %-5s %-6s %8llx %5llu %u\n",
		    (unsigned long long)e[n].start, (unsigned long long)e[n].end,
		    prot, maxp, e[n].inheritance == 0 ? "share" :
		    e[n].inheritance == 1 ? "copy" : "none",
		    (e[n].flags & 2) ? "NC" : (e[n].flags & 1) ? "cow" : "-",
		    obj_type(e[n].obj_type), (unsigned long long)e[n].offset,
		    (unsigned long long)e[n].resident, e[n].chain_depth);
		if (chains && e[n].obj_type != 255)
			draw_chain(pid, e[n].start);
	}
	free(e);
	return 0;
}
