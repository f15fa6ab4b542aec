/*
 * What kern_procview.c shares beyond its sysctl nodes: the map view that
 * procmap (vm.proc.map.<pid>) and /proc/PID/maps are both made from.
 */
#ifndef KERN_PROCVIEW_H
#define KERN_PROCVIEW_H

#include "kern/types.h"
#include "userland/include/vmk.h"

struct vmspace;
struct kpath;
struct vm_object;

/* One map entry as procview_map saw it. */
struct procview_entry {
	struct vmk_kinfo_vmentry k;	/* its record (k.structsize unset) */
	struct kpath *name;		/* a reference: the path of the file
					   it maps, or NULL (procview_done) */
	struct vm_object *file;		/* procview_map's own: NULL on return */
};

size_t procview_map(struct vmspace *vm, struct procview_entry *e,
    size_t max);
void procview_done(struct procview_entry *e, size_t n);

#endif
