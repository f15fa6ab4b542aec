/*
 * Supervisor Binary Interface calls (SBI spec 1.0): base, legacy console,
 * TIME, IPI, RFENCE, HSM and SRST extensions.
 */
#ifndef MACHINE_SBI_H
#define MACHINE_SBI_H

#include "kern/types.h"

#define SBI_EXT_BASE	0x10
#define SBI_EXT_TIME	0x54494d45
#define SBI_EXT_IPI	0x735049
#define SBI_EXT_RFENCE	0x52464e43
#define SBI_EXT_HSM	0x48534d
#define SBI_EXT_SRST	0x53525354

#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_COLD_REBOOT	1
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE	1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1,
    uint64_t a2);
struct sbiret sbi_call5(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1,
    uint64_t a2, uint64_t a3, uint64_t a4);
long sbi_hart_start(uint64_t hartid, paddr_t start_pa, uint64_t opaque);
void sbi_send_ipi(uint64_t hart_mask);
void sbi_remote_sfence_vma(uint64_t hart_mask, vaddr_t va, uint64_t size);
void sbi_remote_sfence_vma_asid(uint64_t hart_mask, vaddr_t va, uint64_t size,
    uint64_t asid);
void sbi_console_putchar(int c);
bool sbi_probe_extension(uint64_t ext);
long sbi_spec_version(void);
void sbi_set_timer(uint64_t stime_value);
void sbi_system_reset(uint32_t type, uint32_t reason);

#endif
