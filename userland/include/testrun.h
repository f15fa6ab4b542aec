/*
 * The in-guest test runner shared by the test programs (xv6 usertests'
 * style): each test runs in its own child process and prints exactly one
 * line
 *
 *     TEST <name>: PASS        or        TEST <name>: FAIL <why>
 *
 * and the run ends with "<prog>: N passed, N failed".  CHECK() in a test
 * sends its file, line and condition to the parent through a pipe and
 * ends the child.  Header-only, like vmksys.h.
 */
#ifndef TESTRUN_H
#define TESTRUN_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct testcase {
	const char *name;
	void (*fn)(void);
};

/* Where a failing check writes its message: a pipe to the parent. */
static int testrun_result_fd = -1;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		dprintf(testrun_result_fd, "%s:%d: %s (errno %d)",	\
		    __FILE__, __LINE__, #cond, errno);			\
		_exit(1);						\
	}								\
} while (0)

static int
testrun_selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

/* Run fn in a child process (inside a test); its wait status. */
static inline int
testrun_in_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	return status;
}

/* Run one test in a child; true if it passed.  Prints its TEST line. */
static int
testrun_one(const struct testcase *t)
{
	char why[512] = "", go = 'g';
	int status = 0, fds[2], gate[2];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0 || pipe(gate) != 0) {
		printf("TEST %s: FAIL no pipe (errno %d)\n", t->name, errno);
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(gate[1]);
		testrun_result_fd = fds[1];
		/* Wait until the parent has taken its copy-on-write faults
		 * of after the fork: tests count faults machine-wide, and on
		 * another hart the parent's would land in the middle. */
		if (read(gate[0], &go, 1) != 1)
			_exit(1);
		close(gate[0]);
		t->fn();
		_exit(0);
	}
	close(fds[1]);
	close(gate[0]);
	write(gate[1], &go, 1);
	close(gate[1]);
	n = read(fds[0], why, sizeof(why) - 1);
	why[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		printf("TEST %s: FAIL could not run it\n", t->name);
	else if (WIFSIGNALED(status))
		printf("TEST %s: FAIL killed by signal %d\n", t->name,
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		printf("TEST %s: FAIL %s\n", t->name, why);
	else {
		printf("TEST %s: PASS\n", t->name);
		return 1;
	}
	return 0;
}

/* Run the tests named in argv (all if none); the exit status for main. */
static int
testrun_main(const char *prog, const struct testcase *tests, size_t ntests,
    int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < ntests; i++) {
		if (!testrun_selected(tests[i].name, argc, argv))
			continue;
		if (testrun_one(&tests[i]))
			passed++;
		else
			failed++;
	}
	printf("%s: %d passed, %d failed\n", prog, passed, failed);
	return failed == 0 ? 0 : 1;
}

#endif
