/*
 * bigbin: a static binary with about 2 MiB of text, of which it runs
 * only a few pages: execbig uses it to show demand paging of text.
 */
#define NOPS(n)	__asm__ volatile(".rept " #n "\n nop\n .endr")

#define FN(i)								\
	__attribute__((noinline, used)) static void f##i(void) { NOPS(1024); }
#define FN8(i)	FN(i##0) FN(i##1) FN(i##2) FN(i##3) FN(i##4) FN(i##5) FN(i##6) FN(i##7)
#define FN64(i)	FN8(i##0) FN8(i##1) FN8(i##2) FN8(i##3) FN8(i##4) FN8(i##5) \
	FN8(i##6) FN8(i##7)

/* 8 x 64 functions of 1024 compressed nops (2 KiB each)... */
FN64(1) FN64(2) FN64(3) FN64(4) FN64(5) FN64(6) FN64(7) FN64(8)
/* ...and as many again. */
FN64(9) FN64(10) FN64(11) FN64(12) FN64(13) FN64(14) FN64(15) FN64(16)

int
main(void)
{
	f100();		/* one page of the big text */
	f1677();
	return 3;
}
