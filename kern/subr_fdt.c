/*
 * Flattened device tree reader.  Layout (Devicetree Specification 5.2-5.4):
 * a big-endian header, a memory reservation map of (address, size) pairs
 * ending in (0, 0), a structure block of 32-bit tokens (BEGIN_NODE name,
 * PROP len nameoff value, END_NODE, NOP, END), and a strings block holding
 * property names.
 */
#include "kern/fdt.h"
#include "kern/libkern.h"

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

#define FDT_HDR_SIZE	40
#define FDT_MAX_DEPTH	32

uint32_t
fdt32_to_cpu(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

uint64_t
fdt64_to_cpu(const void *p)
{
	return (uint64_t)fdt32_to_cpu(p) << 32 |
	    fdt32_to_cpu((const uint8_t *)p + 4);
}

/* totalsize from a header that may not be validated yet (0 if no magic). */
uint32_t
fdt_header_totalsize(const void *blob)
{
	if (fdt32_to_cpu(blob) != FDT_MAGIC)
		return 0;
	return fdt32_to_cpu((const uint8_t *)blob + 4);
}

/*
 * Validate the header of blob (at most maxsize bytes readable) and fill in
 * fdt.  Returns 0, or -1 if the blob is not a DTB we can read safely.
 */
int
fdt_init(struct fdt *fdt, const void *blob, size_t maxsize)
{
	const uint8_t *h = blob;
	uint32_t version, last_comp;

	if (maxsize < FDT_HDR_SIZE || fdt32_to_cpu(h) != FDT_MAGIC)
		return -1;
	fdt->blob = h;
	fdt->totalsize = fdt32_to_cpu(h + 4);
	fdt->off_struct = fdt32_to_cpu(h + 8);
	fdt->off_strings = fdt32_to_cpu(h + 12);
	fdt->off_rsvmap = fdt32_to_cpu(h + 16);
	version = fdt32_to_cpu(h + 20);
	last_comp = fdt32_to_cpu(h + 24);
	fdt->size_strings = fdt32_to_cpu(h + 32);
	fdt->size_struct = fdt32_to_cpu(h + 36);

	if (version < 17 || last_comp > 17)
		return -1;
	if (fdt->totalsize < FDT_HDR_SIZE || fdt->totalsize > maxsize)
		return -1;
	if (fdt->off_struct > fdt->totalsize ||
	    fdt->size_struct > fdt->totalsize - fdt->off_struct ||
	    (fdt->off_struct & 3) != 0 || (fdt->size_struct & 3) != 0)
		return -1;
	if (fdt->off_strings > fdt->totalsize ||
	    fdt->size_strings > fdt->totalsize - fdt->off_strings)
		return -1;
	if (fdt->off_rsvmap >= fdt->totalsize || (fdt->off_rsvmap & 7) != 0)
		return -1;
	return 0;
}

/* Token at structure offset off, or FDT_END if off is out of range. */
static uint32_t
token_at(const struct fdt *fdt, int off)
{
	if (off < 0 || (uint32_t)off + 4 > fdt->size_struct)
		return FDT_END;
	return fdt32_to_cpu(fdt->blob + fdt->off_struct + off);
}

/*
 * Offset just past the token at off, or -1 if the token is malformed
 * (unterminated name, property running past the block).
 */
static int
skip_token(const struct fdt *fdt, int off)
{
	const char *base = (const char *)fdt->blob + fdt->off_struct;
	uint32_t len, end;

	switch (token_at(fdt, off)) {
	case FDT_BEGIN_NODE:
		end = off + 4;
		len = strnlen(base + end, fdt->size_struct - end);
		if (end + len >= fdt->size_struct)
			return -1;
		return (int)roundup2(end + len + 1, 4);
	case FDT_PROP:
		if ((uint32_t)off + 12 > fdt->size_struct)
			return -1;
		len = fdt32_to_cpu(base + off + 4);
		if (len > fdt->size_struct - (off + 12))
			return -1;
		return (int)roundup2(off + 12 + len, 4);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

int
fdt_root(const struct fdt *fdt)
{
	int off = 0;

	while (token_at(fdt, off) == FDT_NOP)
		off += 4;
	return token_at(fdt, off) == FDT_BEGIN_NODE ? off : FDT_NONE;
}

/*
 * Walk to the next BEGIN_NODE after node in document order, tracking the
 * depth relative to where the walk started.  Returns FDT_NONE at the end of
 * the tree or on malformed input.
 */
int
fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int off = skip_token(fdt, node);

	while (off >= 0) {
		switch (token_at(fdt, off)) {
		case FDT_BEGIN_NODE:
			if (++*depth > FDT_MAX_DEPTH)
				return FDT_NONE;
			return off;
		case FDT_END_NODE:
			--*depth;
			break;
		case FDT_PROP:
		case FDT_NOP:
			break;
		default:
			return FDT_NONE;
		}
		off = skip_token(fdt, off);
	}
	return FDT_NONE;
}

int
fdt_first_child(const struct fdt *fdt, int node)
{
	int depth = 0;
	int child = fdt_next_node(fdt, node, &depth);

	return depth == 1 ? child : FDT_NONE;
}

int
fdt_next_sibling(const struct fdt *fdt, int node)
{
	int depth = 0;

	do {
		node = fdt_next_node(fdt, node, &depth);
	} while (node != FDT_NONE && depth > 0);
	return depth == 0 ? node : FDT_NONE;
}

/* Parent of node: found by walking from the root (trees are small). */
int
fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH + 2];
	int depth = 0, off = fdt_root(fdt);

	stack[0] = off;
	while (off != FDT_NONE && off != node) {
		off = fdt_next_node(fdt, off, &depth);
		if (depth < 0)
			return FDT_NONE;
		stack[depth] = off;
	}
	return (off == node && depth > 0) ? stack[depth - 1] : FDT_NONE;
}

const char *
fdt_node_name(const struct fdt *fdt, int node)
{
	if (token_at(fdt, node) != FDT_BEGIN_NODE || skip_token(fdt, node) < 0)
		return NULL;
	return (const char *)fdt->blob + fdt->off_struct + node + 4;
}

/* Does a node name ("cpu@0") match a path component ("cpu@0" or "cpu")? */
static bool
name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return false;
	return name[len] == '\0' || (name[len] == '@' && memchr(comp, '@', len) == NULL);
}

/* Look up an absolute path such as "/soc/serial@10000000" or "/chosen". */
int
fdt_path(const struct fdt *fdt, const char *path)
{
	int node = fdt_root(fdt);

	if (path[0] != '/')
		return FDT_NONE;
	while (node != FDT_NONE) {
		const char *comp, *slash;
		size_t len;

		while (*path == '/')
			path++;
		if (*path == '\0')
			return node;
		comp = path;
		slash = strchr(comp, '/');
		len = slash != NULL ? (size_t)(slash - comp) : strlen(comp);
		path = comp + len;
		for (node = fdt_first_child(fdt, node); node != FDT_NONE;
		    node = fdt_next_sibling(fdt, node)) {
			const char *name = fdt_node_name(fdt, node);

			if (name != NULL && name_matches(name, comp, len))
				break;
		}
	}
	return FDT_NONE;
}

/* Property value of node (and its length in *lenp), or NULL. */
const void *
fdt_getprop(const struct fdt *fdt, int node, const char *name, int *lenp)
{
	const uint8_t *base = fdt->blob + fdt->off_struct;
	const char *strings = (const char *)fdt->blob + fdt->off_strings;
	int off;

	if (token_at(fdt, node) != FDT_BEGIN_NODE)
		return NULL;
	for (off = skip_token(fdt, node); off >= 0; off = skip_token(fdt, off)) {
		uint32_t tok = token_at(fdt, off), nameoff;

		if (tok == FDT_NOP)
			continue;
		/* skip_token() checks that the whole property lies in the block. */
		if (tok != FDT_PROP || skip_token(fdt, off) < 0)
			break;
		nameoff = fdt32_to_cpu(base + off + 8);
		if (nameoff >= fdt->size_strings)
			return NULL;
		if (strnlen(strings + nameoff, fdt->size_strings - nameoff) ==
		    fdt->size_strings - nameoff)
			return NULL;
		if (strcmp(strings + nameoff, name) == 0) {
			if (lenp != NULL)
				*lenp = (int)fdt32_to_cpu(base + off + 4);
			return base + off + 12;
		}
	}
	return NULL;
}

bool
fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
    uint32_t *val)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	if (p == NULL || len != 4)
		return false;
	*val = fdt32_to_cpu(p);
	return true;
}

/* A string property, or NULL if absent or not NUL-terminated. */
const char *
fdt_getprop_str(const struct fdt *fdt, int node, const char *name)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (p == NULL || len <= 0 || p[len - 1] != '\0')
		return NULL;
	return p;
}

/* "compatible" is a list of NUL-terminated strings. */
bool
fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	int len, pos = 0;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);

	if (p == NULL)
		return false;
	while (pos < len) {
		size_t n = strnlen(p + pos, len - pos);

		if (n == strlen(compat) && memcmp(p + pos, compat, n) == 0)
			return true;
		pos += n + 1;
	}
	return false;
}

/* First node after `after` (FDT_NONE: from the start) compatible with compat. */
int
fdt_find_compatible(const struct fdt *fdt, int after, const char *compat)
{
	int depth = 0;
	int node = after == FDT_NONE ? fdt_root(fdt) :
	    fdt_next_node(fdt, after, &depth);

	for (; node != FDT_NONE; node = fdt_next_node(fdt, node, &depth))
		if (fdt_is_compatible(fdt, node, compat))
			return node;
	return FDT_NONE;
}

int
fdt_find_phandle(const struct fdt *fdt, uint32_t phandle)
{
	int depth = 0;
	int node;

	for (node = fdt_root(fdt); node != FDT_NONE;
	    node = fdt_next_node(fdt, node, &depth)) {
		uint32_t ph;

		if (fdt_getprop_u32(fdt, node, "phandle", &ph) && ph == phandle)
			return node;
	}
	return FDT_NONE;
}

static uint32_t
cells_of(const struct fdt *fdt, int node, const char *name, uint32_t dflt)
{
	uint32_t v;

	if (node != FDT_NONE && fdt_getprop_u32(fdt, node, name, &v))
		return v;
	return dflt;
}

static uint64_t
read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p + 4 * i);
	return v;
}

/*
 * Entry `index` of node's "reg", decoded with the parent's #address-cells
 * and #size-cells (defaults 2 and 1).  Returns 0, or -1 if there is no such
 * entry or the cell counts are unusable.  Addresses are bus addresses; the
 * "ranges" of the virt board's buses are identity, which we rely on.
 */
int
fdt_reg(const struct fdt *fdt, int node, int index, uint64_t *addr,
    uint64_t *size)
{
	int parent = fdt_parent(fdt, node);
	uint32_t ac = cells_of(fdt, parent, "#address-cells", 2);
	uint32_t sc = cells_of(fdt, parent, "#size-cells", 1);
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, "reg", &len);
	uint32_t stride = 4 * (ac + sc);

	if (p == NULL || ac < 1 || ac > 2 || sc > 2 || index < 0)
		return -1;
	if (((uint64_t)index + 1) * stride > (uint64_t)len)
		return -1;
	p += index * stride;
	*addr = read_cells(p, ac);
	*size = read_cells(p + 4 * ac, sc);
	return 0;
}

/* Entry `index` of the memory reservation block; -1 past its end. */
int
fdt_rsvmap(const struct fdt *fdt, int index, uint64_t *addr, uint64_t *size)
{
	uint64_t off = fdt->off_rsvmap + 16ULL * index;

	if (index < 0 || off + 16 > fdt->totalsize)
		return -1;
	*addr = fdt64_to_cpu(fdt->blob + off);
	*size = fdt64_to_cpu(fdt->blob + off + 8);
	if (*addr == 0 && *size == 0)
		return -1;
	return 0;
}
