/*
 * Boot-time physical memory ranges (see physmem.h).  Machine independent;
 * the host tests exercise the range arithmetic directly.
 */
#include "kern/physmem.h"
#include "kern/kernel.h"
#include "vm/vm_param.h"

/* Insert r into the sorted array a of n ranges. */
static void
insert_sorted(struct phys_range *a, int n, struct phys_range r)
{
	int i = n;

	while (i > 0 && a[i - 1].start > r.start) {
		a[i] = a[i - 1];
		i--;
	}
	a[i] = r;
}

/*
 * Start with every page-aligned RAM page available, ranges sorted by
 * address (the device tree need not list them in order).
 */
void
physmem_init(struct physmem *pm, const struct phys_range *ram, int nram)
{
	memset(pm, 0, sizeof(*pm));
	for (int i = 0; i < nram && i < PLAT_MAX_MEM; i++) {
		struct phys_range r = {
			.start = roundup2(ram[i].start, PAGE_SIZE),
			.end = rounddown2(ram[i].end, PAGE_SIZE),
		};

		if (r.start >= r.end)
			continue;
		insert_sorted(pm->ram, pm->nram++, r);
		insert_sorted(pm->avail, pm->navail++, r);
	}
}

/*
 * Remove [start, end) (widened to whole pages) from the available ranges,
 * splitting a range when the hole is inside it.  An empty hole changes
 * nothing.  Returns 0, or -1 for a reversed range or if a split needed
 * more range slots than there are (the hole is then left available, which
 * the caller must treat as fatal).
 */
int
physmem_exclude(struct physmem *pm, paddr_t start, paddr_t end)
{
	if (end < start)
		return -1;
	if (end == start)
		return 0;
	start = rounddown2(start, PAGE_SIZE);
	end = roundup2(end, PAGE_SIZE);
	for (int i = 0; i < pm->navail; i++) {
		struct phys_range *r = &pm->avail[i];

		if (end <= r->start || start >= r->end)
			continue;
		if (start > r->start && end < r->end) {
			if (pm->navail == PHYSMEM_MAX_RANGES)
				return -1;
			memmove(&pm->avail[i + 2], &pm->avail[i + 1],
			    (pm->navail - i - 1) * sizeof(*r));
			pm->avail[i + 1] = (struct phys_range){ end, r->end };
			r->end = start;
			pm->navail++;
			i++;
		} else if (start <= r->start && end >= r->end) {
			memmove(r, r + 1, (pm->navail - i - 1) * sizeof(*r));
			pm->navail--;
			i--;
		} else if (start <= r->start) {
			r->start = end;
		} else {
			r->end = start;
		}
	}
	return 0;
}

/*
 * Take npages physically contiguous pages from the lowest range that has
 * them.  Returns their physical address; panics if memory is exhausted,
 * since nothing at boot can proceed without it.
 */
paddr_t
physmem_steal(struct physmem *pm, size_t npages)
{
	psize_t len = (psize_t)npages * PAGE_SIZE;

	for (int i = 0; i < pm->navail; i++) {
		struct phys_range *r = &pm->avail[i];

		if (r->end - r->start >= len) {
			paddr_t pa = r->start;

			physmem_exclude(pm, pa, pa + len);
			return pa;
		}
	}
	panic("physmem_steal: no %zu contiguous pages left", npages);
}

uint64_t
physmem_avail_pages(const struct physmem *pm)
{
	uint64_t n = 0;

	for (int i = 0; i < pm->navail; i++)
		n += (pm->avail[i].end - pm->avail[i].start) / PAGE_SIZE;
	return n;
}
