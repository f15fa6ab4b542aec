/*
 * Register state saved on a trap.  tf_x[n] holds register xn (tf_x[0] is
 * unused and kept only so the index matches the register number).
 * locore.S hard-codes these offsets: TF_X(n) = 8*n, then the CSRs.
 */
#ifndef MACHINE_FRAME_H
#define MACHINE_FRAME_H

#include "kern/types.h"

struct trapframe {
	uint64_t tf_x[32];
	uint64_t tf_sepc;
	uint64_t tf_sstatus;
	uint64_t tf_scause;
	uint64_t tf_stval;
};

#define TF_RA	1
#define TF_SP	2
#define TF_TP	4	/* the user's thread pointer (TLS) */
#define TF_S0	8
#define TF_A0	10

#define TF_SIZE	(36 * 8)

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe layout");

#endif
