/*
 * The formatter behind every kernel printf.  It emits characters one at a
 * time through a callback so that the same code serves the console, string
 * buffers and the host tests.  It never allocates and never fails; a null
 * %s prints "(null)".
 */
#include "kern/printf.h"

#define FMT_MAX_WIDTH	4096	/* widths and precisions are clamped to this */

struct fmt_spec {
	bool left;		/* '-': pad on the right */
	bool alt;		/* '#': 0x prefix for nonzero %x */
	bool zero;		/* '0': pad numbers with zeros */
	int width;
	int precision;		/* -1 when absent */
};

static void
emit_padding(kputc_fn put, void *arg, int c, int n)
{
	for (int i = 0; i < n; i++)
		put(c, arg);
}

static void
emit_string(kputc_fn put, void *arg, const char *s, const struct fmt_spec *sp)
{
	int len;

	if (s == NULL)
		s = "(null)";
	/* Never read past the precision: s need not be terminated there. */
	for (len = 0; sp->precision < 0 || len < sp->precision; len++)
		if (s[len] == '\0')
			break;
	if (!sp->left)
		emit_padding(put, arg, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(s[i], arg);
	if (sp->left)
		emit_padding(put, arg, ' ', sp->width - len);
}

static void
emit_number(kputc_fn put, void *arg, uint64_t v, bool negative, unsigned base,
    bool upper, const char *prefix, const struct fmt_spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0, plen = 0, pad;

	do {
		buf[len++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (negative)
		prefix = "-";
	if (prefix != NULL)
		plen = (int)__builtin_strlen(prefix);
	pad = sp->width - len - plen;

	if (!sp->left && !sp->zero)
		emit_padding(put, arg, ' ', pad);
	for (int i = 0; i < plen; i++)
		put(prefix[i], arg);
	if (!sp->left && sp->zero)
		emit_padding(put, arg, '0', pad);
	while (len > 0)
		put(buf[--len], arg);
	if (sp->left)
		emit_padding(put, arg, ' ', pad);
}

/* Read an integer argument of the given length modifier ("l" count). */
static uint64_t
fetch_unsigned(va_list *ap, int lflag, int hflag)
{
	if (lflag >= 1)
		return va_arg(*ap, unsigned long);
	if (hflag == 1)
		return (unsigned short)va_arg(*ap, unsigned int);
	if (hflag >= 2)
		return (unsigned char)va_arg(*ap, unsigned int);
	return va_arg(*ap, unsigned int);
}

static int64_t
fetch_signed(va_list *ap, int lflag, int hflag)
{
	if (lflag >= 1)
		return va_arg(*ap, long);
	if (hflag == 1)
		return (short)va_arg(*ap, int);
	if (hflag >= 2)
		return (signed char)va_arg(*ap, int);
	return va_arg(*ap, int);
}

struct counting_put {
	kputc_fn put;
	void *arg;
	int count;
};

static void
counting_putc(int c, void *arg)
{
	struct counting_put *cp = arg;

	cp->put(c, cp->arg);
	cp->count++;
}

static void
format_one(struct counting_put *out, const char **fmtp, va_list *ap)
{
	const char *fmt = *fmtp;
	struct fmt_spec sp = { .precision = -1 };
	int lflag = 0, hflag = 0;
	uint64_t u;
	int64_t s;

	for (;; fmt++) {
		if (*fmt == '-')
			sp.left = true;
		else if (*fmt == '#')
			sp.alt = true;
		else if (*fmt == '0')
			sp.zero = true;
		else
			break;
	}
	if (*fmt == '*') {
		int w = va_arg(*ap, int);

		if (w < 0) {
			sp.left = true;
			w = w == INT32_MIN ? FMT_MAX_WIDTH : -w;
		}
		sp.width = MIN(w, FMT_MAX_WIDTH);
		fmt++;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		sp.width = MIN(sp.width * 10 + (*fmt - '0'), FMT_MAX_WIDTH);
	if (*fmt == '.') {
		fmt++;
		sp.precision = 0;
		if (*fmt == '*') {
			int p = va_arg(*ap, int);

			sp.precision = MIN(p, FMT_MAX_WIDTH);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp.precision = MIN(sp.precision * 10 + (*fmt - '0'),
			    FMT_MAX_WIDTH);
	}
	for (;; fmt++) {
		if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j')
			lflag++;
		else if (*fmt == 'h')
			hflag++;
		else
			break;
	}

	switch (*fmt) {
	case 'd':
	case 'i':
		s = fetch_signed(ap, lflag, hflag);
		emit_number(counting_putc, out, s < 0 ? -(uint64_t)s : (uint64_t)s,
		    s < 0, 10, false, NULL, &sp);
		break;
	case 'u':
		u = fetch_unsigned(ap, lflag, hflag);
		emit_number(counting_putc, out, u, false, 10, false, NULL, &sp);
		break;
	case 'x':
	case 'X':
		u = fetch_unsigned(ap, lflag, hflag);
		emit_number(counting_putc, out, u, false, 16, *fmt == 'X',
		    (sp.alt && u != 0) ? (*fmt == 'X' ? "0X" : "0x") : NULL, &sp);
		break;
	case 'o':
		u = fetch_unsigned(ap, lflag, hflag);
		emit_number(counting_putc, out, u, false, 8, false, NULL, &sp);
		break;
	case 'p':
		u = (uint64_t)(uintptr_t)va_arg(*ap, void *);
		emit_number(counting_putc, out, u, false, 16, false, "0x", &sp);
		break;
	case 's':
		emit_string(counting_putc, out, va_arg(*ap, const char *), &sp);
		break;
	case 'c':
		if (!sp.left)
			emit_padding(counting_putc, out, ' ', sp.width - 1);
		counting_putc(va_arg(*ap, int), out);
		if (sp.left)
			emit_padding(counting_putc, out, ' ', sp.width - 1);
		break;
	case '%':
		counting_putc('%', out);
		break;
	case '\0':
		/* A lone '%' at the end: print it and stop at the terminator. */
		counting_putc('%', out);
		*fmtp = fmt;
		return;
	default:
		/* Unknown conversion: show it literally so the bug is visible. */
		counting_putc('%', out);
		counting_putc(*fmt, out);
		break;
	}
	*fmtp = fmt + 1;
}

/* Format fmt with ap, handing each character to put; returns the count. */
int
kvformat(kputc_fn put, void *arg, const char *fmt, va_list ap)
{
	struct counting_put out = { .put = put, .arg = arg };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			counting_putc(*fmt++, &out);
			continue;
		}
		fmt++;
		format_one(&out, &fmt, &aq);
	}
	va_end(aq);
	return out.count;
}

struct strbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void
strbuf_putc(int c, void *arg)
{
	struct strbuf *sb = arg;

	if (sb->len + 1 < sb->size)
		sb->buf[sb->len] = (char)c;
	sb->len++;
}

/*
 * Like C99 vsnprintf: writes at most size-1 characters plus a terminator
 * and returns the length the whole output would have had.
 */
int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct strbuf sb = { .buf = buf, .size = size };
	int n;

	n = kvformat(strbuf_putc, &sb, fmt, ap);
	if (size > 0)
		buf[MIN(sb.len, size - 1)] = '\0';
	return n;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
