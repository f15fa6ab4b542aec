/*
 * Halting and rebooting.  On the QEMU virt board the "sifive,test0"
 * finisher ends the emulator with a chosen exit status, which the test
 * runner reads; elsewhere we fall back to the SBI System Reset extension,
 * which can only say "shutdown" or "failure".
 */
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/machdep.h"
#include "machine/pmap_machdep.h"
#include "machine/riscv.h"
#include "machine/sbi.h"

#define FINISHER_FAIL	0x3333
#define FINISHER_PASS	0x5555
#define FINISHER_RESET	0x7777

static volatile uint32_t *finisher;

void
machdep_attach_finisher(const struct platform *plat)
{
	if (plat->test.base != 0)
		finisher = (volatile uint32_t *)pmap_mapdev(plat->test.base,
		    plat->test.size);
}

static __noreturn void
cpu_idle_forever(void)
{
	intr_disable();
	for (;;)
		wfi();
}

/* Power off with exit status `status` (0 = success). */
void
cpu_halt(int status)
{
	intr_disable();
	if (finisher != NULL) {
		*finisher = status == 0 ? FINISHER_PASS :
		    ((uint32_t)status << 16 | FINISHER_FAIL);
	}
	sbi_system_reset(SBI_SRST_SHUTDOWN,
	    status == 0 ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_FAILURE);
	kprintf("cpu_halt: firmware refused to power off; idling\n");
	cpu_idle_forever();
}

void
cpu_reboot(void)
{
	intr_disable();
	if (finisher != NULL)
		*finisher = FINISHER_RESET;
	sbi_system_reset(SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
	kprintf("cpu_reboot: firmware refused to reboot; idling\n");
	cpu_idle_forever();
}
