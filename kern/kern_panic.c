/*
 * panic(): print "panic: message", then raise a breakpoint so that the
 * trap handler prints the same report as for any fatal trap (registers,
 * backtrace) from the panicking context, and halts with EXIT_PANIC.
 */
#include "kern/cons.h"
#include "kern/kernel.h"
#include "kern/reboot.h"
#include "machine/machdep.h"
#include "machine/riscv.h"

static volatile bool panic_in_progress;

bool
panicking(void)
{
	return panic_in_progress;
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	intr_disable();
	cons_panic_mode();
	if (panic_in_progress) {
		kprintf("panic: nested panic: ");
		va_start(ap, fmt);
		kvprintf(fmt, ap);
		va_end(ap);
		kprintf("\n");
		cpu_halt(EXIT_PANIC);
	}
	panic_in_progress = true;
	kprintf("panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	__asm__ volatile("ebreak");
	cpu_halt(EXIT_PANIC);
}
