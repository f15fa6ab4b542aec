/*
 * The kernel command line (bootargs, QEMU -append): space-separated words,
 * each "key=value" or a bare "flag".  Recognised keys:
 *   init=PATH      program to run as the first process
 *   test=SPEC      run in-kernel tests (all, NAME, PREFIX*, comma lists)
 *                  and power off with their status
 */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include "kern/types.h"

#define CMDLINE_MAX_ARGS	16
#define CMDLINE_MAX_LEN		256

struct cmdline {
	char buf[CMDLINE_MAX_LEN];
	const char *key[CMDLINE_MAX_ARGS];
	const char *value[CMDLINE_MAX_ARGS];	/* "" for a bare flag */
	int nargs;
	bool truncated;		/* too long or too many words */
};

extern struct cmdline boot_cmdline;

void cmdline_parse(struct cmdline *cl, const char *s);
const char *cmdline_get(const struct cmdline *cl, const char *key);

#endif
