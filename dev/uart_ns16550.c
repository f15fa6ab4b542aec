/*
 * NS16550A UART: the console device.  Output is polled (wait for the
 * transmit holding register to empty); input is interrupt driven: the
 * receive-data interrupt hands each byte to the console layer.
 */
#include "dev/uart.h"
#include "kern/cons.h"
#include "kern/intr.h"
#include "kern/kernel.h"
#include "kern/platform.h"
#include "machine/pmap_machdep.h"

#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_DLL	0	/* divisor low (DLAB = 1) */
#define UART_IER	1	/* interrupt enable */
#define UART_DLM	1	/* divisor high (DLAB = 1) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define IER_RDA		0x01	/* receive data available */
#define FCR_ENABLE	0x01
#define FCR_CLEAR	0x06
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */

#define UART_BAUD	115200

struct uart_softc {
	volatile uint8_t *regs;
};

static struct uart_softc uart_sc;

static inline uint8_t
uart_read(struct uart_softc *sc, int reg)
{
	return sc->regs[reg];
}

static inline void
uart_write(struct uart_softc *sc, int reg, uint8_t v)
{
	sc->regs[reg] = v;
}

static void
uart_putc(void *arg, int c)
{
	struct uart_softc *sc = arg;

	while (!(uart_read(sc, UART_LSR) & LSR_THRE))
		;
	uart_write(sc, UART_THR, (uint8_t)c);
}

static void
uart_intr(void *arg)
{
	struct uart_softc *sc = arg;

	while (uart_read(sc, UART_LSR) & LSR_DR)
		cons_input(uart_read(sc, UART_RBR));
}

static const struct cons_dev uart_cons = {
	.name = "uart0",
	.putc = uart_putc,
	.sc = &uart_sc,
};

/*
 * Program the UART the device tree describes (8N1, FIFOs on, receive
 * interrupt on) and make it the console.  Returns -1 if there is none.
 */
int
uart_attach(const struct platform *plat)
{
	struct uart_softc *sc = &uart_sc;

	if (plat->uart.base == 0)
		return -1;
	sc->regs = (volatile uint8_t *)pmap_mapdev(plat->uart.base,
	    plat->uart.size);
	uart_write(sc, UART_IER, 0);
	if (plat->uart_clock_hz != 0) {
		uint32_t div = plat->uart_clock_hz / (16 * UART_BAUD);

		uart_write(sc, UART_LCR, LCR_DLAB);
		uart_write(sc, UART_DLL, div & 0xff);
		uart_write(sc, UART_DLM, (div >> 8) & 0xff);
	}
	uart_write(sc, UART_LCR, LCR_8N1);
	uart_write(sc, UART_FCR, FCR_ENABLE | FCR_CLEAR);
	uart_write(sc, UART_MCR, MCR_DTR_RTS_OUT2);
	cons_attach(&uart_cons);
	if (intr_establish(plat->uart.irq, "uart0", uart_intr, sc) != 0)
		kprintf("uart0: cannot route irq %u; console input disabled\n",
		    plat->uart.irq);
	else
		uart_write(sc, UART_IER, IER_RDA);
	kprintf("uart0: ns16550a at %#lx irq %u, %u Hz clock\n",
	    plat->uart.base, plat->uart.irq, plat->uart_clock_hz);
	return 0;
}
