/*
 * The in-kernel test runner (see ktest.h).
 */
#include "fs/vnode.h"
#include "kern/ktest.h"
#include "vm/vm_page.h"

extern const struct ktest __ktests_start[], __ktests_end[];

void
ktest_fail(struct ktest_ctx *kt, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;

	if (kt->failed)
		return;
	kt->failed = true;
	kt->file = file;
	kt->line = line;
	va_start(ap, fmt);
	kvsnprintf(kt->what, sizeof(kt->what), fmt, ap);
	va_end(ap);
}

/* Does name match one comma-separated element of spec ("all", "x", "x*")? */
static bool
spec_selects(const char *spec, const struct ktest *t)
{
	const char *p = spec;

	while (*p != '\0') {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len == 3 && strncmp(p, "all", 3) == 0) {
			if (!(t->flags & KTEST_EXPLICIT))
				return true;
		} else if (len > 0 && p[len - 1] == '*') {
			if (strncmp(t->name, p, len - 1) == 0 &&
			    !(t->flags & KTEST_EXPLICIT))
				return true;
		} else if (strlen(t->name) == len && strncmp(t->name, p, len) == 0) {
			return true;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

static bool
ktest_run_one(const struct ktest *t)
{
	struct ktest_ctx kt = { .failed = false };
	uint64_t free_before, free_after;

	vfs_drain_caches();
	free_before = vm_page_free_count();
	kprintf("TEST %s: start\n", t->name);
	t->fn(&kt);
	vfs_drain_caches();
	free_after = vm_page_free_count();
	if (!kt.failed && free_after < free_before)
		ktest_fail(&kt, __FILE__, __LINE__, "leaked %lu pages",
		    free_before - free_after);
	if (kt.failed)
		kprintf("TEST %s: FAIL %s:%d: %s\n", t->name, kt.file, kt.line,
		    kt.what);
	else
		kprintf("TEST %s: PASS\n", t->name);
	return !kt.failed;
}

/*
 * Run the tests spec selects, in link order.  Returns the number that
 * failed; a spec that selects nothing counts as one failure, so a typo in
 * a test name cannot pass silently.
 */
int
ktest_run(const char *spec)
{
	int passed = 0, failed = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (!spec_selects(spec, t))
			continue;
		if (ktest_run_one(t))
			passed++;
		else
			failed++;
	}
	if (passed + failed == 0) {
		kprintf("ktest: no test matches \"%s\"\n", spec);
		failed = 1;
	}
	kprintf("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}

void
ktest_list(void)
{
	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++)
		kprintf("%s%s\n", t->name,
		    (t->flags & KTEST_EXPLICIT) ? " (explicit)" : "");
}
