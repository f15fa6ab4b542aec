/*
 * procfs's generators and /proc/sys parsing, called directly (no mount
 * needed): every system file's text is whole lines in the expected
 * layout, and a /proc/sys write takes a number the node accepts and
 * nothing else.
 */
#include "fs/procfs/procfs.h"
#include "kern/ktest.h"
#include "kern/printf.h"
#include "kern/sysctl.h"

/* Does b hold whole lines, the first starting with first? */
static bool
text_ok(const struct pfs_buf *b, const char *first)
{
	size_t n = strlen(first);

	return b->len >= n && b->len > 0 && memcmp(b->data, first, n) == 0 &&
	    b->data[b->len - 1] == '\n';
}

KTEST(procfs_system_texts, 0)
{
	static const struct {
		enum pfs_kind kind;
		const char *first;
	} files[] = {
		{ PFS_MEMINFO, "MemTotal: " }, { PFS_UPTIME, "" },
		{ PFS_LOADAVG, "" }, { PFS_STAT, "cpu  " },
		{ PFS_CPUINFO, "processor\t: 0\n" }, { PFS_VMSTAT, "nr_free_pages " },
		{ PFS_PID_MAX, "32768\n" },
	};
	struct pfs_target t = { 0 };

	for (size_t i = 0; i < nitems(files); i++) {
		struct pfs_buf b = { 0 };

		KT_EQ(procfs_generate(files[i].kind, &t, &b), 0);
		KT_ASSERT(text_ok(&b, files[i].first));
		pfs_buf_free(&b);
	}
}

/* The text of t's sysctl file as a number. */
static int64_t
sysctl_text_value(const struct pfs_target *t)
{
	struct pfs_buf b = { 0 };
	int64_t v = -1;

	if (procfs_generate(PFS_SYSCTL, t, &b) == 0 && b.len > 0) {
		v = 0;
		for (size_t i = 0; i < b.len && b.data[i] != '\n'; i++)
			v = v * 10 + (b.data[i] - '0');
	}
	pfs_buf_free(&b);
	return v;
}

KTEST(procfs_sysctl_write_parses, 0)
{
	static const char *const bad[] = { "", "abc", "-", "1x", "1 2",
	    "99999999999999999999", "2147483648", "-1", "99999" };
	struct pfs_target t = { 0 };
	size_t index, len;
	char text[24];
	int64_t old;

	t.node = pfs_sysctl_find("prefault_ahead", 14, &index);
	KT_ASSERT(t.node != NULL && strcmp(t.node->name, "vm.prefault_ahead") == 0);
	KT_ASSERT(pfs_sysctl_find("stats", 5, &index) == NULL);	/* not a number */
	KT_ASSERT(pfs_sysctl_find("committed_as", 12, &index) == NULL); /* read only */
	old = sysctl_text_value(&t);
	KT_ASSERT(old >= 0);
	KT_EQ(pfs_sysctl_write(&t, " 3\n", 3), 0);	/* blanks and a newline */
	KT_EQ(sysctl_text_value(&t), 3);
	for (size_t i = 0; i < nitems(bad); i++)
		KT_EQ(pfs_sysctl_write(&t, bad[i], strlen(bad[i])), EINVAL);
	KT_EQ(sysctl_text_value(&t), 3);
	KT_EQ(pfs_sysctl_write(&t, "0", 1), 0);
	KT_EQ(sysctl_text_value(&t), 0);
	len = (size_t)ksnprintf(text, sizeof(text), "%ld", old);
	KT_EQ(pfs_sysctl_write(&t, text, len), 0);
	KT_EQ(sysctl_text_value(&t), old);
}
