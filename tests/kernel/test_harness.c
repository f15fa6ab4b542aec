/*
 * Tests of the test harness itself.  They fail on purpose and are marked
 * KTEST_EXPLICIT, so test=all skips them; scripts/check.py runs each by
 * name and passes only if the runner reports the failure it should.
 */
#include "kern/ktest.h"

/* An assertion failure must be reported as FAIL with file and line. */
KTEST(selftest_fail, KTEST_EXPLICIT)
{
	int one = 1;

	KT_EQ(one + one, 3);
}

/* A wild kernel store must produce a trap report with a backtrace. */
KTEST(selftest_bad_access, KTEST_EXPLICIT)
{
	volatile uintptr_t bad = 0x10;	/* hidden from the optimiser */

	*(volatile uint64_t *)bad = 0xdead;
	KT_ASSERT(!"unreachable: the store above must trap");
}

/* panic() must produce the same report. */
KTEST(selftest_panic, KTEST_EXPLICIT)
{
	panic("deliberate panic from %s", "selftest_panic");
}
