/*
 * What kern_procview.c shares beyond its sysctl nodes: the map view that
 * procmap (vm.proc.map.<pid>) and /proc/PID/maps are both made from.
 */
#ifndef KERN_PROCVIEW_H
#define KERN_PROCVIEW_H

#include "kern/types.h"

struct vmspace;
struct vmk_kinfo_vmentry;

size_t procview_map(struct vmspace *vm, struct vmk_kinfo_vmentry *k,
    size_t max);

#endif
