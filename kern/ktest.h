/*
 * In-kernel tests.  KTEST(name, flags) defines a test; the linker gathers
 * them into the "ktests" section.  Boot with test=all, test=NAME[,NAME...]
 * or test=PREFIX* to run them; each prints exactly one result line
 *
 *     TEST <name>: PASS
 *     TEST <name>: FAIL <file>:<line>: <what>
 *
 * and the run ends with "ktest: N passed, N failed".  The runner on the
 * host (scripts/runtests.py) parses these lines.  A test that leaves the
 * free page count lower than it found it fails with "leaked N pages";
 * the file caches are written back and emptied before both counts
 * (vfs_drain_caches), so cached file pages are not mistaken for leaks.
 *
 * KTEST_EXPLICIT tests run only when named: they prove that the harness
 * notices failures and crashes, so they fail on purpose.
 */
#ifndef KERN_KTEST_H
#define KERN_KTEST_H

#include "kern/kernel.h"

#define KTEST_EXPLICIT	0x1

struct ktest_ctx {
	bool failed;
	const char *file;
	int line;
	char what[160];
};

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *kt);
	unsigned flags;
};

#define KTEST(name_, flags_)						\
	static void ktest_fn_##name_(struct ktest_ctx *kt);		\
	static const struct ktest ktest_##name_				\
	    __section("ktests") __used __aligned(8) = {			\
		.name = #name_, .fn = ktest_fn_##name_, .flags = (flags_) \
	};								\
	static void ktest_fn_##name_(struct ktest_ctx *kt)

void ktest_fail(struct ktest_ctx *kt, const char *file, int line,
    const char *fmt, ...) __printflike(4, 5);

/* Fail the test and return from it when cond is false. */
#define KT_ASSERT(cond) do {						\
	if (!(cond)) {							\
		ktest_fail(kt, __FILE__, __LINE__, "%s", #cond);	\
		return;							\
	}								\
} while (0)

/* Fail and return unless a == b (compared as unsigned 64-bit values). */
#define KT_EQ(a, b) do {						\
	uint64_t ka_ = (uint64_t)(a), kb_ = (uint64_t)(b);		\
	if (ka_ != kb_) {						\
		ktest_fail(kt, __FILE__, __LINE__, "%s == %s (%#lx != %#lx)", \
		    #a, #b, ka_, kb_);					\
		return;							\
	}								\
} while (0)

int ktest_run(const char *spec);
void ktest_list(void);

#endif
