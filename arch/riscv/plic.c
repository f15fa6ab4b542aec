/*
 * Platform-Level Interrupt Controller (RISC-V PLIC spec 1.0.0).
 *
 *   base + 4*irq                     priority of source irq
 *   base + 0x2000 + 0x80*ctx         enable bits of context ctx
 *   base + 0x200000 + 0x1000*ctx     priority threshold of ctx
 *   base + 0x200004 + 0x1000*ctx     claim (read) / complete (write)
 *
 * Only the boot hart's supervisor context is used; the device tree names it.
 */
#include "kern/intr.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/plic.h"
#include "machine/pmap_machdep.h"

#define PLIC_MAX_IRQ	128

struct intr_source {
	intr_handler_t fn;
	void *arg;
	const char *name;
	uint64_t count;
};

static volatile uint32_t *plic_regs;
static int plic_ctx;
static uint32_t plic_ndev;
static struct intr_source intr_sources[PLIC_MAX_IRQ];

static inline volatile uint32_t *
plic_reg(uint64_t off)
{
	return (volatile uint32_t *)((uintptr_t)plic_regs + off);
}

/* Map the PLIC and mask every source for our context. */
void
plic_init(const struct platform *plat)
{
	if (plat->plic.base == 0 || plat->plic_context < 0)
		panic("plic_init: no PLIC or no supervisor context in the DTB");
	plic_regs = (volatile uint32_t *)pmap_mapdev(plat->plic.base,
	    plat->plic.size);
	plic_ctx = plat->plic_context;
	plic_ndev = MIN(plat->plic_ndev, PLIC_MAX_IRQ - 1);
	for (uint32_t w = 0; w <= plic_ndev / 32; w++)
		*plic_reg(0x2000 + 0x80 * plic_ctx + 4 * w) = 0;
	*plic_reg(0x200000 + 0x1000 * plic_ctx) = 0;
}

/*
 * Route source irq to fn(arg) and unmask it.  Returns 0, or -1 if the
 * source is out of range or already taken.
 */
int
intr_establish(uint32_t irq, const char *name, intr_handler_t fn, void *arg)
{
	struct intr_source *src;

	if (irq == 0 || irq > plic_ndev)
		return -1;
	src = &intr_sources[irq];
	if (src->fn != NULL)
		return -1;
	src->fn = fn;
	src->arg = arg;
	src->name = name;
	*plic_reg(4 * irq) = 1;
	*plic_reg(0x2000 + 0x80 * plic_ctx + 4 * (irq / 32)) |= 1U << (irq % 32);
	return 0;
}

uint64_t
intr_count(uint32_t irq)
{
	return irq < PLIC_MAX_IRQ ? intr_sources[irq].count : 0;
}

/* Supervisor external interrupt: claim, dispatch and complete until idle. */
void
plic_intr(void)
{
	uint32_t irq;

	while ((irq = *plic_reg(0x200004 + 0x1000 * plic_ctx)) != 0) {
		struct intr_source *src = irq < PLIC_MAX_IRQ ? &intr_sources[irq] : NULL;

		if (src != NULL && src->fn != NULL) {
			src->count++;
			src->fn(src->arg);
		} else {
			kprintf("plic: stray interrupt %u\n", irq);
		}
		*plic_reg(0x200004 + 0x1000 * plic_ctx) = irq;
	}
}
