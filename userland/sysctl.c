/*
 * sysctl: read and set kernel state by name.
 *
 *   sysctl NAME...        print NAME: value (a prefix prints its subtree)
 *   sysctl -a             print everything
 *   sysctl -n NAME...     print only the values
 *   sysctl -d NAME...     print descriptions
 *   sysctl -w NAME=VALUE  set (also plain NAME=VALUE)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmksys.h"

static int values_only, descriptions;

static int
get_info(const char *name, struct vmk_sysctl_info *info)
{
	size_t len = sizeof(*info);

	return vmk_sysctl(VMK_SYSCTL_INFO, info, &len, name, strlen(name) + 1);
}

/* kern.boottime, as FreeBSD's sysctl prints a struct timeval. */
static void
print_timeval(const int64_t tv[2])
{
	time_t sec = (time_t)tv[0];

	printf("{ sec = %lld, usec = %lld } %.24s", (long long)tv[0],
	    (long long)tv[1], ctime(&sec));
}

/* Pages as kilobytes, the unit FreeBSD's vm.vmtotal is printed in. */
static unsigned long long
kbytes(uint64_t pages)
{
	return (unsigned long long)(pages * (uint64_t)getpagesize() / 1024);
}

/* vm.vmtotal, laid out as FreeBSD's sysctl shows it. */
static void
print_vmtotal(const struct vmk_vmtotal *t)
{
	printf("\nSystem wide totals computed on each read: "
	    "(values in kilobytes)\n");
	printf("===============================================\n");
	printf("Processes:\t\t(RUNQ: %d Disk Wait: %d Page Wait: %d "
	    "Sleep: %d)\n", t->t_rq, t->t_dw, t->t_pw, t->t_sl);
	printf("Virtual Memory:\t\t(Total: %lluK Active: %lluK)\n",
	    kbytes(t->t_vm), kbytes(t->t_avm));
	printf("Real Memory:\t\t(Total: %lluK Active: %lluK)\n",
	    kbytes(t->t_rm), kbytes(t->t_arm));
	printf("Free Memory:\t%lluK", kbytes(t->t_free));
}

/*
 * An opaque value whose format names a struct this tool knows: print it
 * as FreeBSD's sysctl does and return true; false for any other.
 */
static bool
print_struct(const char *fmt, const void *buf, size_t len)
{
	if (strcmp(fmt, "S,timeval") == 0 && len == 2 * sizeof(int64_t)) {
		print_timeval(buf);
		return true;
	}
	if (strcmp(fmt, "S,vmtotal") == 0 && len == sizeof(struct vmk_vmtotal)) {
		print_vmtotal(buf);
		return true;
	}
	return false;
}

static void
print_value(const struct vmk_sysctl_info *info, const void *buf, size_t len)
{
	switch (info->type) {
	case VMK_CTLTYPE_INT:
	case VMK_CTLTYPE_BOOL:
		printf("%d", *(const int32_t *)buf);
		break;
	case VMK_CTLTYPE_U64:
		printf("%llu", (unsigned long long)*(const uint64_t *)buf);
		break;
	case VMK_CTLTYPE_STRING:
		printf("%s", (const char *)buf);
		break;
	case VMK_CTLTYPE_RECORDS:
		printf("<%zu bytes of records: see ps, procmap>", len);
		break;
	default:
		if (print_struct(info->fmt, buf, len))
			break;
		/* Opaque: whole 64-bit words as numbers, else bytes in hex. */
		if (len % 8 == 0) {
			for (size_t i = 0; i < len / 8; i++)
				printf("%s%llu", i ? " " : "",
				    (unsigned long long)((const uint64_t *)buf)[i]);
		} else {
			for (size_t i = 0; i < len; i++)
				printf("%02x", ((const uint8_t *)buf)[i]);
		}
		break;
	}
}

/* Print one value of a node whose info is known, with or without its name. */
static int
show_value(const char *name, const struct vmk_sysctl_info *info,
    int quiet_errors, int with_name, int newline)
{
	size_t len;
	void *buf = vmk_sysctl_alloc(name, &len);

	if (buf == NULL) {
		if (!quiet_errors)
			perror(name);
		return 1;
	}
	if (with_name)
		printf("%s: ", name);
	print_value(info, buf, len);
	if (newline)
		putchar('\n');
	free(buf);
	return 0;
}

/*
 * A node that takes an argument after its name (vm.proc.map.<pid>): show
 * it for each process if a pid is all it needs, else say what it needs
 * (its description names the arguments).  Returns 0.
 */
static int
show_prefix(const char *name, const struct vmk_sysctl_info *info)
{
	struct vmk_kinfo_proc *k;
	char full[VMK_SYSCTL_NAME_MAX];
	size_t len, n, shown = 0;

	if (descriptions) {
		printf("%s: %s\n", name, info->descr);
		return 0;
	}
	k = vmk_sysctl_alloc("kern.proc.all", &len);
	n = k != NULL ? len / sizeof(*k) : 0;
	for (size_t i = 0; i < n && shown == i; i++) {
		snprintf(full, sizeof(full), "%s.%d", name, k[i].pid);
		if (show_value(full, info, 1, !values_only, 1) == 0)
			shown++;
	}
	free(k);
	if (shown == 0)
		printf("%s: (takes arguments) %s\n", name, info->descr);
	return 0;
}

/* Print one node ("name: value\n"); returns 0 or 1 (error reported). */
static int
show_part(const char *name, int quiet_errors, int with_name, int newline)
{
	struct vmk_sysctl_info info;

	if (get_info(name, &info) != 0) {
		if (!quiet_errors)
			fprintf(stderr, "sysctl: unknown oid '%s'\n", name);
		return 1;
	}
	if (info.flags & VMK_CTLFLAG_PREFIX)
		return show_prefix(name, &info);
	if (descriptions) {
		printf("%s: %s\n", name, info.descr);
		return 0;
	}
	return show_value(name, &info, quiet_errors, with_name, newline);
}

static int
show(const char *name, int quiet_errors)
{
	return show_part(name, quiet_errors, !values_only, 1);
}

/* Print every node whose name is prefix or starts with "prefix.". */
static int
show_tree(const char *prefix)
{
	char name[VMK_SYSCTL_NAME_MAX] = "", next[VMK_SYSCTL_NAME_MAX];
	size_t plen = strlen(prefix);
	int found = 0;

	for (;;) {
		size_t len = sizeof(next);

		if (vmk_sysctl(VMK_SYSCTL_NEXT, next, &len, name, strlen(name) + 1) != 0)
			break;
		strcpy(name, next);
		if (plen == 0 || (strncmp(name, prefix, plen) == 0 &&
		    (name[plen] == '\0' || name[plen] == '.'))) {
			show(name, 1);
			found = 1;
		}
	}
	if (!found) {
		fprintf(stderr, "sysctl: unknown oid '%s'\n", prefix);
		return 1;
	}
	return 0;
}

static int
set(char *assignment)
{
	struct vmk_sysctl_info info;
	char *eq = strchr(assignment, '='), *end;
	const char *name = assignment, *val;
	int32_t i32;
	uint64_t u64;
	const void *newp;
	size_t newlen;

	*eq = '\0';
	val = eq + 1;
	if (get_info(name, &info) != 0) {
		fprintf(stderr, "sysctl: unknown oid '%s'\n", name);
		return 1;
	}
	if (!(info.flags & VMK_CTLFLAG_WR)) {
		fprintf(stderr, "sysctl: oid '%s' is read only\n", name);
		return 1;
	}
	switch (info.type) {
	case VMK_CTLTYPE_INT:
	case VMK_CTLTYPE_BOOL:
		i32 = (int32_t)strtol(val, &end, 0);
		newp = &i32;
		newlen = sizeof(i32);
		break;
	case VMK_CTLTYPE_U64:
		u64 = strtoull(val, &end, 0);
		newp = &u64;
		newlen = sizeof(u64);
		break;
	case VMK_CTLTYPE_STRING:
		newp = val;
		newlen = strlen(val);
		end = (char *)val + newlen;
		break;
	default:
		fprintf(stderr, "sysctl: oid '%s' cannot be set from here\n", name);
		return 1;
	}
	if (*val == '\0' || *end != '\0') {
		fprintf(stderr, "sysctl: invalid value '%s' for '%s'\n", val, name);
		return 1;
	}
	printf("%s: ", name);
	show_part(name, 0, 0, 0);
	if (vmk_sysctl(name, NULL, NULL, newp, newlen) != 0) {
		putchar('\n');
		fprintf(stderr, "sysctl: %s=%s: %s\n", name, val,
		    errno == EINVAL ? "invalid or out-of-range value" :
		    strerror(errno));
		return 1;
	}
	printf(" -> ");
	show_part(name, 0, 0, 1);
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1, status = 0, all = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		for (const char *f = argv[i] + 1; *f != '\0'; f++) {
			if (*f == 'a')
				all = 1;
			else if (*f == 'n')
				values_only = 1;
			else if (*f == 'd')
				descriptions = 1;
			else if (*f != 'w') {
				fprintf(stderr, "usage: sysctl [-adnw] [name[=value]]...\n");
				return 2;
			}
		}
	}
	if (all)
		return show_tree("");
	if (i == argc) {
		fprintf(stderr, "usage: sysctl [-adnw] [name[=value]]...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct vmk_sysctl_info info;

		if (strchr(argv[i], '=') != NULL)
			status |= set(argv[i]);
		else if (get_info(argv[i], &info) == 0)
			status |= show(argv[i], 0);
		else
			status |= show_tree(argv[i]);
	}
	return status;
}
