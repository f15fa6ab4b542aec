/*
 * Tests of the kernel formatter (kern/subr_prf.c): kvformat, ksnprintf and
 * kvsnprintf, and the host kprintf built on them.  Where the kernel's
 * semantics are C99's, the output and return value are compared with the
 * host's snprintf; kernel-specific behaviour is checked against literals.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kern/printf.h"
#include "tests/host/kernel_host.h"

#define BUFSZ	256

/* Format with the kernel and with the host; both must agree. */
static void __printflike(1, 2)
same(const char *fmt, ...)
{
	char kbuf[BUFSZ], hbuf[BUFSZ];
	va_list ap, aq;
	int kn, hn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	kn = kvsnprintf(kbuf, sizeof(kbuf), fmt, ap);
	hn = vsnprintf(hbuf, sizeof(hbuf), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (strcmp(kbuf, hbuf) != 0 || kn != hn)
		fail_msg("format \"%s\": kernel \"%s\" (%d), host \"%s\" (%d)",
		    fmt, kbuf, kn, hbuf, hn);
}

/*
 * Format with the kernel only, expecting `want`.  Not __printflike: it
 * takes formats that are the kernel's own and that the compiler's format
 * checker would reject.
 */
static void
expect(const char *want, const char *fmt, ...)
{
	char buf[BUFSZ];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0 || n != (int)strlen(want))
		fail_msg("format \"%s\": got \"%s\" (%d), want \"%s\"", fmt,
		    buf, n, want);
}

static void
test_conversions(void **state)
{
	same("%d %d %d", 0, 42, -42);
	same("%i %i", 7, -7);
	same("%u %u", 0u, 4000000000u);
	same("%x %x %X", 0xdeadbeefu, 0u, 0xabcdefu);
	same("%o %o", 8u, 0u);
	same("%p", (void *)(uintptr_t)0x80200000);
	same("%s|%s", "hello", "");
	same("%c%c%c", 'a', 'b', 'c');
	same("100%% %%d");
	same("no conversions at all");
	same("%d%s%x", 1, "two", 3u);
}

static void
test_extremes(void **state)
{
	same("%d %d", INT_MIN, INT_MAX);
	same("%u %x %o", UINT_MAX, UINT_MAX, UINT_MAX);
	same("%ld %ld", (long)INT64_MIN, (long)INT64_MAX);
	same("%lld %llu", LLONG_MIN, ULLONG_MAX);
	same("%lu %lx %lX %lo", (unsigned long)UINT64_MAX,
	    (unsigned long)UINT64_MAX, (unsigned long)UINT64_MAX,
	    (unsigned long)UINT64_MAX);
	same("%-24ld|%024ld", (long)INT64_MIN, (long)INT64_MIN);
}

static void
test_length_modifiers(void **state)
{
	same("%hd %hd %hu %hx", 40000, -1, 70000, 0x12345);
	same("%hhd %hhd %hhu %hhx", 200, -1, 300, 0x1ff);
	same("%ld %lu %lx", -5L, 5UL, 0xfeedfacecafeUL);
	same("%lld %llx", -123456789012LL, 0x123456789abcULL);
	same("%zu %zx", (size_t)SIZE_MAX, (size_t)4096);
	same("%jd %ju", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX);
}

static void
test_flags_and_width(void **state)
{
	same("[%5d] [%-5d] [%05d]", 42, 42, 42);
	same("[%5d] [%-5d] [%05d]", -42, -42, -42);
	same("[%8x] [%-8x] [%08x] [%08X]", 0xbeefu, 0xbeefu, 0xbeefu, 0xbeefu);
	same("[%#x] [%#X] [%#lx]", 0xffu, 0xffu, 0xffUL);
	same("[%#10x] [%-#10x] [%#010x]", 0xffu, 0xffu, 0xffu);
	same("[%#x] [%#08x] [%#5x]", 0u, 0u, 0u);
	same("[%2d] [%1s] [%-1d]", 12345, "long", 999);
	same("[%20p] [%-20p]", (void *)(uintptr_t)0x1000,
	    (void *)(uintptr_t)0x1000);
	same("[%8s] [%-8s]", "abc", "abc");
	same("[%05u] [%06o]", 7u, 8u);
	/* '-' beats '0', as in C; the host compiler would warn on this. */
	expect("[42   ]", "[%-05d]", 42);
}

static void
test_star_width(void **state)
{
	same("[%*d]", 6, 42);
	same("[%*d]", -6, 42);
	same("[%0*d]", 6, -42);
	same("[%*s] [%-*s]", 5, "ab", 5, "ab");
	same("[%*x]", 0, 0x10u);
}

static void
test_string_precision(void **state)
{
	same("[%.3s] [%.0s] [%.10s]", "abcdef", "abcdef", "abc");
	same("[%.*s] [%.*s]", 2, "abcdef", -1, "abcdef");
	same("[%8.3s] [%-8.3s] [%*.*s]", "abcdef", "abcdef", 6, 2, "xyz");
}

/* %.Ns must stop after N bytes: the array has no terminator (ASan-checked). */
static void
test_string_precision_unterminated(void **state)
{
	char *xyz = malloc(3);

	assert_non_null(xyz);
	memcpy(xyz, "xyz", 3);
	expect("xyz", "%.3s", xyz);
	expect("[  xy]", "[%4.2s]", xyz);
	expect("[xyz  ]", "[%-5.3s]", xyz);
	free(xyz);
}

static void
test_char_width(void **state)
{
	same("[%3c]", 'a');
	same("[%-3c]", 'a');
	same("[%1c] [%c]", 'b', 'c');
	expect("[  a]", "[%3c]", 'a');
	expect("[a  ]", "[%-3c]", 'a');
}

/* kvsnprintf without the compiler's format checks (see expect()). */
static int
kernel_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * A width of INT_MIN cannot be negated; the kernel takes it as
 * left-justified and clamps it to its maximum width, 4096.
 */
static void
test_star_width_int_min(void **state)
{
	char buf[16];

	assert_int_equal(kernel_format(buf, sizeof(buf), "%*d", INT_MIN, 42),
	    4096);
	assert_string_equal(buf, "42             ");
	assert_int_equal(kernel_format(NULL, 0, "%*d|", INT_MAX, 7), 4097);
}

static void
test_null_string(void **state)
{
	const char *null = NULL;

	expect("(null)", "%s", null);
	expect("[  (null)] [(null)  ]", "[%8s] [%-8s]", null, null);
}

static void
test_kernel_specific(void **state)
{
	/* %p always prints 0x and hex digits, also for NULL. */
	expect("0x0", "%p", NULL);
	expect("0xffffffc000000000", "%p",
	    (void *)(uintptr_t)0xffffffc000000000UL);
	/* An unknown conversion is shown literally and takes no argument. */
	expect("a%yb 5", "a%yb %d", 5);
	expect("%q", "%-5q");
	expect("%k%w", "%k%w");
	/* A lone '%' at the end is printed and ends the string. */
	expect("50%", "50%");
}

/* ksnprintf into a heap buffer of exactly `size` bytes (ASan-checked). */
static void
check_truncation(const char *text, size_t size)
{
	char *kbuf = malloc(size + 1), *hbuf = malloc(size + 1);
	int kn, hn;

	assert_non_null(kbuf);
	assert_non_null(hbuf);
	memset(kbuf, '#', size + 1);
	memset(hbuf, '#', size + 1);
	kn = ksnprintf(kbuf, size, "%s", text);
	hn = snprintf(hbuf, size, "%s", text);
	assert_int_equal(kn, hn);
	assert_int_equal(kn, (int)strlen(text));
	assert_memory_equal(kbuf, hbuf, size + 1);
	assert_int_equal(kbuf[size], '#');	/* nothing written past size */
	free(kbuf);
	free(hbuf);
}

static void
test_snprintf_truncation(void **state)
{
	const char *text = "hello, world";
	size_t len = strlen(text);

	for (size_t size = 0; size <= len + 2; size++)
		check_truncation(text, size);
}

static void
test_snprintf_edge_sizes(void **state)
{
	char one[1] = { '#' };
	char exact[6], *big = malloc(1000);
	size_t want = 0;

	/* Size 0: nothing is written, not even to a NULL buffer. */
	assert_int_equal(ksnprintf(NULL, 0, "%d", 12345), 5);
	/* Size 1: just the terminator. */
	assert_int_equal(ksnprintf(one, sizeof(one), "abc"), 3);
	assert_int_equal(one[0], '\0');
	/* Exact fit, and one byte short. */
	assert_int_equal(ksnprintf(exact, sizeof(exact), "%s", "hello"), 5);
	assert_string_equal(exact, "hello");
	assert_int_equal(ksnprintf(exact, 5, "%s", "hello"), 5);
	assert_string_equal(exact, "hell");
	/* The count keeps going past the buffer. */
	assert_non_null(big);
	assert_int_equal(ksnprintf(big, 4, "%0900d", 1), 900);
	assert_string_equal(big, "000");
	for (int i = 0; i < 30; i++)
		want += (size_t)snprintf(NULL, 0, "%d,", i * 37);
	assert_int_equal(ksnprintf(big, 1000, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,"
	    "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,",
	    0, 37, 74, 111, 148, 185, 222, 259, 296, 333, 370, 407, 444, 481,
	    518, 555, 592, 629, 666, 703, 740, 777, 814, 851, 888, 925, 962,
	    999, 1036, 1073), (int)want);
	free(big);
}

struct sink {
	char buf[64];
	int n;
};

static void
sink_putc(int c, void *arg)
{
	struct sink *s = arg;

	if (s->n < (int)sizeof(s->buf))
		s->buf[s->n] = (char)c;
	s->n++;
}

static int
format_to_sink(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvformat(sink_putc, s, fmt, ap);
	va_end(ap);
	return n;
}

static void
test_kvformat_callback(void **state)
{
	struct sink s = { .n = 0 };

	/* Every character goes through the callback, NUL included. */
	assert_int_equal(format_to_sink(&s, "a%cb%s", '\0', "cd"), 5);
	assert_int_equal(s.n, 5);
	assert_memory_equal(s.buf, "a\0bcd", 5);
	s.n = 0;
	assert_int_equal(format_to_sink(&s, ""), 0);
	assert_int_equal(s.n, 0);
}

static void
test_kprintf(void **state)
{
	char *out = NULL;
	size_t len = 0;

	host_console = open_memstream(&out, &len);
	assert_non_null(host_console);
	assert_int_equal(kprintf("cpu%d: %s at %#lx\n", 3, "uart",
	    0x10000000UL), 25);
	fclose(host_console);
	host_console = NULL;
	assert_string_equal(out, "cpu3: uart at 0x10000000\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_length_modifiers),
		cmocka_unit_test(test_flags_and_width),
		cmocka_unit_test(test_star_width),
		cmocka_unit_test(test_string_precision),
		cmocka_unit_test(test_string_precision_unterminated),
		cmocka_unit_test(test_char_width),
		cmocka_unit_test(test_star_width_int_min),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_kernel_specific),
		cmocka_unit_test(test_snprintf_truncation),
		cmocka_unit_test(test_snprintf_edge_sizes),
		cmocka_unit_test(test_kvformat_callback),
		cmocka_unit_test(test_kprintf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
