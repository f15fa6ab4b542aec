/*
 * Page zeroing and copying through the direct map, unrolled so that the
 * work is almost all stores (and loads): 4096 bytes zeroed in 8 rounds of
 * 64 stores (531 instructions; 64 rounds of 8 took 643), copied in 32
 * rounds of 16 loads and 16 stores.
 */
	.text
/* void pagezero(void *dst) */
	.globl pagezero
pagezero:
	li	a1, 4096
	add	a1, a0, a1
1:
	.set	off, 0
	.rept	64
	sd	zero, off(a0)
	.set	off, off + 8
	.endr
	addi	a0, a0, 512
	bne	a0, a1, 1b
	ret

/* void pagecopy(const void *src, void *dst) */
	.globl pagecopy
pagecopy:
	li	a2, 4096
	add	a2, a0, a2
1:	ld	a3, 0(a0)
	ld	a4, 8(a0)
	ld	a5, 16(a0)
	ld	a6, 24(a0)
	ld	a7, 32(a0)
	ld	t0, 40(a0)
	ld	t1, 48(a0)
	ld	t2, 56(a0)
	sd	a3, 0(a1)
	sd	a4, 8(a1)
	sd	a5, 16(a1)
	sd	a6, 24(a1)
	sd	a7, 32(a1)
	sd	t0, 40(a1)
	sd	t1, 48(a1)
	sd	t2, 56(a1)
	ld	a3, 64(a0)
	ld	a4, 72(a0)
	ld	a5, 80(a0)
	ld	a6, 88(a0)
	ld	a7, 96(a0)
	ld	t0, 104(a0)
	ld	t1, 112(a0)
	ld	t2, 120(a0)
	sd	a3, 64(a1)
	sd	a4, 72(a1)
	sd	a5, 80(a1)
	sd	a6, 88(a1)
	sd	a7, 96(a1)
	sd	t0, 104(a1)
	sd	t1, 112(a1)
	sd	t2, 120(a1)
	addi	a0, a0, 128
	addi	a1, a1, 128
	bne	a0, a2, 1b
	ret
