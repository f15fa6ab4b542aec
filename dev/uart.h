#ifndef DEV_UART_H
#define DEV_UART_H

struct platform;

int uart_attach(const struct platform *plat);

#endif
