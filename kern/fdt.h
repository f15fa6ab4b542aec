/*
 * A small, bounds-checked reader for flattened device trees (the DTB
 * format of the Devicetree Specification, v0.3, chapter 5).  It never
 * trusts the blob: every offset and length is checked against the header,
 * and malformed input yields an error, never an out-of-bounds read.
 *
 * Nodes are named by their offset into the structure block; FDT_NONE is
 * "no node".
 */
#ifndef KERN_FDT_H
#define KERN_FDT_H

#include "kern/types.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_NONE	(-1)

struct fdt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
};

int fdt_init(struct fdt *fdt, const void *blob, size_t maxsize);
uint32_t fdt_header_totalsize(const void *blob);

int fdt_root(const struct fdt *fdt);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
const char *fdt_node_name(const struct fdt *fdt, int node);
int fdt_path(const struct fdt *fdt, const char *path);
int fdt_parent(const struct fdt *fdt, int node);

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
    int *lenp);
bool fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
    uint32_t *val);
const char *fdt_getprop_str(const struct fdt *fdt, int node, const char *name);
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);
int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat);
int fdt_find_phandle(const struct fdt *fdt, uint32_t phandle);

int fdt_reg(const struct fdt *fdt, int node, int index, uint64_t *addr,
    uint64_t *size);
int fdt_rsvmap(const struct fdt *fdt, int index, uint64_t *addr,
    uint64_t *size);

uint32_t fdt32_to_cpu(const void *p);
uint64_t fdt64_to_cpu(const void *p);

#endif
