#ifndef MACHINE_PLIC_H
#define MACHINE_PLIC_H

struct platform;

void plic_init(const struct platform *plat);
void plic_intr(void);

#endif
