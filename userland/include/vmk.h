/*
 * What userland shares with the vmk kernel beyond the Linux ABI.
 */
#ifndef VMK_H
#define VMK_H

/*
 * reboot(2) extension: power off and make the machine report `status`
 * (QEMU's exit status on the virt board).  Call as
 *   syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
 *           VMK_REBOOT_CMD_HALT_STATUS, status);
 */
#define VMK_REBOOT_CMD_HALT_STATUS	0x564d4b00

#endif
