/*
 * Symbol lookup over the table that scripts/ksyms.sh emits:
 * ksyms_count entries of ksyms_addr (sorted ascending) and ksyms_name
 * (offsets into ksyms_strtab).  The first link has an empty table.
 */
#include "kern/ksyms.h"
#include "kern/libkern.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addr[];
extern const uint32_t ksyms_name[];
extern const char ksyms_strtab[];
extern char _kernel_start[], _etext[];

bool
ksym_is_text(uint64_t addr)
{
	return addr >= (uint64_t)_kernel_start && addr < (uint64_t)_etext;
}

/* Name of the text symbol containing addr and the offset into it, or NULL. */
const char *
ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (!ksym_is_text(addr) || ksyms_count == 0 || addr < ksyms_addr[0])
		return NULL;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksyms_addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addr[lo];
	return &ksyms_strtab[ksyms_name[lo]];
}

/* Address of the named text symbol, or 0. */
uint64_t
ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (strcmp(&ksyms_strtab[ksyms_name[i]], name) == 0)
			return ksyms_addr[i];
	return 0;
}
