/*
 * Tests of the kernel command-line parser (kern/cmdline.c): splitting on
 * spaces and tabs, key=value and bare flags, last-occurrence lookup, and
 * the limits on words and length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kern/cmdline.h"

static void
test_empty(void **state)
{
	struct cmdline cl;

	cmdline_parse(&cl, "");
	assert_int_equal(cl.nargs, 0);
	assert_false(cl.truncated);
	assert_null(cmdline_get(&cl, "init"));
	assert_null(cmdline_get(&cl, ""));

	cmdline_parse(&cl, " \t  \t");
	assert_int_equal(cl.nargs, 0);
	assert_false(cl.truncated);
}

static void
test_key_value(void **state)
{
	struct cmdline cl;

	cmdline_parse(&cl, "init=/bin/sh test=vm_*");
	assert_int_equal(cl.nargs, 2);
	assert_string_equal(cl.key[0], "init");
	assert_string_equal(cl.value[0], "/bin/sh");
	assert_string_equal(cmdline_get(&cl, "init"), "/bin/sh");
	assert_string_equal(cmdline_get(&cl, "test"), "vm_*");
	assert_null(cmdline_get(&cl, "ini"));
	assert_null(cmdline_get(&cl, "init=/bin/sh"));
	assert_false(cl.truncated);
}

static void
test_bare_flags(void **state)
{
	struct cmdline cl;

	cmdline_parse(&cl, "quiet debug= x");
	assert_int_equal(cl.nargs, 3);
	assert_string_equal(cmdline_get(&cl, "quiet"), "");
	assert_string_equal(cmdline_get(&cl, "debug"), "");
	assert_string_equal(cmdline_get(&cl, "x"), "");
	assert_null(cmdline_get(&cl, "verbose"));
}

static void
test_whitespace(void **state)
{
	struct cmdline cl;

	cmdline_parse(&cl, "\t  a=1 \t\tb   c=3\t");
	assert_int_equal(cl.nargs, 3);
	assert_string_equal(cl.key[0], "a");
	assert_string_equal(cl.value[0], "1");
	assert_string_equal(cl.key[1], "b");
	assert_string_equal(cl.value[1], "");
	assert_string_equal(cl.key[2], "c");
	assert_string_equal(cl.value[2], "3");
}

static void
test_last_wins(void **state)
{
	struct cmdline cl;

	cmdline_parse(&cl, "init=/a test=x init=/b");
	assert_int_equal(cl.nargs, 3);
	assert_string_equal(cmdline_get(&cl, "init"), "/b");
	assert_string_equal(cmdline_get(&cl, "test"), "x");
	/* A later bare flag overrides an earlier value, too. */
	cmdline_parse(&cl, "init=/a init");
	assert_string_equal(cmdline_get(&cl, "init"), "");
}

static void
test_value_with_equals(void **state)
{
	struct cmdline cl;

	cmdline_parse(&cl, "opt=a=b==c =v");
	assert_int_equal(cl.nargs, 2);
	assert_string_equal(cmdline_get(&cl, "opt"), "a=b==c");
	assert_string_equal(cmdline_get(&cl, ""), "v");
}

static void
test_too_many_words(void **state)
{
	char line[CMDLINE_MAX_LEN];
	struct cmdline cl;
	size_t len = 0;

	for (int i = 0; i < CMDLINE_MAX_ARGS + 4; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    "k%d=%d ", i, i);
	cmdline_parse(&cl, line);
	assert_int_equal(cl.nargs, CMDLINE_MAX_ARGS);
	assert_true(cl.truncated);
	assert_string_equal(cmdline_get(&cl, "k0"), "0");
	assert_string_equal(cmdline_get(&cl, "k15"), "15");
	assert_null(cmdline_get(&cl, "k16"));

	/* Exactly the maximum, with trailing blanks, is not truncated. */
	len = 0;
	for (int i = 0; i < CMDLINE_MAX_ARGS; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "f%d ",
		    i);
	cmdline_parse(&cl, line);
	assert_int_equal(cl.nargs, CMDLINE_MAX_ARGS);
	assert_false(cl.truncated);
}

static void
test_overlong(void **state)
{
	char line[CMDLINE_MAX_LEN + 64];
	struct cmdline cl;

	/* One byte short of the limit fits exactly. */
	memset(line, 'a', CMDLINE_MAX_LEN - 1);
	line[CMDLINE_MAX_LEN - 1] = '\0';
	line[0] = 'x';
	line[1] = '=';
	cmdline_parse(&cl, line);
	assert_false(cl.truncated);
	assert_int_equal(strlen(cmdline_get(&cl, "x")), CMDLINE_MAX_LEN - 3);

	/* Longer: cut to the buffer and flagged. */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	line[0] = 'x';
	line[1] = '=';
	cmdline_parse(&cl, line);
	assert_true(cl.truncated);
	assert_int_equal(cl.nargs, 1);
	assert_int_equal(strlen(cmdline_get(&cl, "x")), CMDLINE_MAX_LEN - 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_bare_flags),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_value_with_equals),
		cmocka_unit_test(test_too_many_words),
		cmocka_unit_test(test_overlong),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
