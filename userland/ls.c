/* ls [-l] [-a] [PATH...]: list directory contents (sorted). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int long_format, show_all;

static void
mode_string(mode_t m, char *s)
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	    S_ISFIFO(m) ? 'p' : '-';
	for (int i = 0; i < 9; i++)
		s[1 + i] = (m & (0400 >> i)) ? "rwxrwxrwx"[i] : '-';
	s[10] = '\0';
}

static void
show(const char *dir, const char *name)
{
	char path[4096], mode[11], target[4096];
	struct stat st;
	ssize_t n;

	if (!long_format) {
		puts(name);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) != 0) {
		printf("?????????? %s\n", name);
		return;
	}
	mode_string(st.st_mode, mode);
	printf("%s %3lu %8lld %s", mode, (unsigned long)st.st_nlink,
	    (long long)st.st_size, name);
	if (S_ISLNK(st.st_mode) &&
	    (n = readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		printf(" -> %s", target);
	}
	putchar('\n');
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list(const char *path)
{
	struct stat st;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	DIR *d;

	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		show(".", path);
		return 0;
	}
	d = opendir(path);
	if (d == NULL) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && !show_all)
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (size_t i = 0; i < n; i++) {
		show(path, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1, status = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		for (const char *f = argv[i] + 1; *f != '\0'; f++) {
			if (*f == 'l')
				long_format = 1;
			else if (*f == 'a')
				show_all = 1;
		}
	}
	if (i == argc)
		return list(".");
	for (; i < argc; i++) {
		if (argc - i > 1)
			printf("%s:\n", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
