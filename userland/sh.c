/*
 * sh: a small shell.
 *
 *   sh            interactive, prompt "$ "
 *   sh FILE       run the commands in FILE (also for "#!/bin/sh" scripts)
 *   sh -c CMD     run CMD
 *
 * A line is a list of pipelines separated by ";", "&&" or "||"; a
 * pipeline is commands joined by "|"; a command is words with the
 * redirections "<", ">", ">>" and "2>".  Words may be quoted with '...'
 * or "..." or escaped with \.  "$?" is the last status, "$NAME" an
 * environment variable.  "#" starts a comment.  Built in: cd, exit,
 * export NAME=VALUE, pwd.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS	128
#define MAX_CMDS	16
#define LINE_MAX_SH	4096

struct command {
	char *argv[MAX_WORDS];
	int argc;
	char *in, *out, *err;
	int append;
};

static int last_status;
static int interactive;

/* Append s to the word being built. */
static void
word_add(char **w, size_t *len, const char *s, size_t n)
{
	*w = realloc(*w, *len + n + 1);
	memcpy(*w + *len, s, n);
	*len += n;
	(*w)[*len] = '\0';
}

/* Expand $? or $NAME at *p into the word; advances *p. */
static void
expand_var(const char **p, char **w, size_t *len)
{
	const char *s = *p + 1;
	char name[128], buf[16];
	size_t n = 0;
	const char *val;

	if (*s == '?') {
		snprintf(buf, sizeof(buf), "%d", last_status);
		word_add(w, len, buf, strlen(buf));
		*p = s + 1;
		return;
	}
	while ((isalnum((unsigned char)s[n]) || s[n] == '_') && n < sizeof(name) - 1) {
		name[n] = s[n];
		n++;
	}
	name[n] = '\0';
	if (n == 0) {
		word_add(w, len, "$", 1);
		*p = s;
		return;
	}
	val = getenv(name);
	if (val != NULL)
		word_add(w, len, val, strlen(val));
	*p = s + n;
}

/*
 * Split line into tokens: words, and the operators | ; < > >> 2> && ||.
 * Operators are returned as strings starting with '\1' so that a quoted
 * "|" stays a word.  Returns the count, or -1 on a syntax error.
 */
static int
tokenize(const char *p, char **tok, int max)
{
	int n = 0;

	for (;;) {
		char *w = NULL;
		size_t len = 0;
		int have = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#' || *p == '\n')
			return n;
		if (n >= max - 1)
			return -1;
		if (strchr("|;<>&", *p) != NULL || (p[0] == '2' && p[1] == '>')) {
			static const char *ops[] = { "&&", "||", ">>", "2>", "|", ";",
			    "<", ">" };

			for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
				if (strncmp(p, ops[i], strlen(ops[i])) == 0) {
					tok[n] = malloc(strlen(ops[i]) + 2);
					tok[n][0] = '\1';
					strcpy(tok[n] + 1, ops[i]);
					n++;
					p += strlen(ops[i]);
					have = 1;
					break;
				}
			}
			if (!have)
				return -1;	/* a lone '&': no background jobs */
			continue;
		}
		while (*p != '\0' && *p != '\n' && *p != ' ' && *p != '\t' &&
		    strchr("|;<>&", *p) == NULL) {
			if (*p == '\'') {
				const char *end = strchr(p + 1, '\'');

				if (end == NULL)
					return -1;
				word_add(&w, &len, p + 1, (size_t)(end - p - 1));
				p = end + 1;
			} else if (*p == '"') {
				p++;
				while (*p != '"') {
					if (*p == '\0')
						return -1;
					if (*p == '$') {
						expand_var(&p, &w, &len);
						continue;
					}
					if (*p == '\\' && p[1] != '\0')
						p++;
					word_add(&w, &len, p++, 1);
				}
				p++;
			} else if (*p == '\\' && p[1] != '\0') {
				word_add(&w, &len, p + 1, 1);
				p += 2;
			} else if (*p == '$') {
				expand_var(&p, &w, &len);
			} else {
				word_add(&w, &len, p++, 1);
			}
			have = 1;
		}
		if (have) {
			tok[n++] = w != NULL ? w : strdup("");
		}
	}
}

static int
is_op(const char *t, const char *op)
{
	return t[0] == '\1' && strcmp(t + 1, op) == 0;
}

static void
redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);

	if (f < 0) {
		fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	if (f != fd) {
		dup2(f, fd);
		close(f);
	}
}

/* In the child: set up redirections and exec. */
static void
exec_command(struct command *c)
{
	if (c->in != NULL)
		redirect(c->in, 0, O_RDONLY);
	if (c->out != NULL)
		redirect(c->out, 1, O_WRONLY | O_CREAT |
		    (c->append ? O_APPEND : O_TRUNC));
	if (c->err != NULL)
		redirect(c->err, 2, O_WRONLY | O_CREAT | O_TRUNC);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	execvp(c->argv[0], c->argv);
	fprintf(stderr, "sh: %s: %s\n", c->argv[0],
	    errno == ENOENT ? "command not found" : strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int
builtin(struct command *c, int *status)
{
	char buf[4096];

	if (strcmp(c->argv[0], "cd") == 0) {
		const char *dir = c->argc > 1 ? c->argv[1] : getenv("HOME");

		*status = 0;
		if (chdir(dir != NULL ? dir : "/") != 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
			*status = 1;
		}
		return 1;
	}
	if (strcmp(c->argv[0], "exit") == 0) {
		exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
	}
	if (strcmp(c->argv[0], "pwd") == 0) {
		*status = getcwd(buf, sizeof(buf)) != NULL ? 0 : 1;
		if (*status == 0)
			puts(buf);
		return 1;
	}
	if (strcmp(c->argv[0], "export") == 0) {
		*status = 0;
		for (int i = 1; i < c->argc; i++)
			if (putenv(strdup(c->argv[i])) != 0)
				*status = 1;
		return 1;
	}
	return 0;
}

/* Run ncmd commands connected by pipes; returns the last one's status. */
static int
run_pipeline(struct command *cmds, int ncmd)
{
	pid_t pids[MAX_CMDS];
	int in = -1, status = 0;

	if (ncmd == 1 && cmds[0].in == NULL && cmds[0].out == NULL &&
	    builtin(&cmds[0], &status))
		return status;
	for (int i = 0; i < ncmd; i++) {
		int fds[2] = { -1, -1 };

		if (i + 1 < ncmd && pipe(fds) != 0) {
			perror("sh: pipe");
			return 1;
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (fds[1] >= 0) {
				dup2(fds[1], 1);
				close(fds[1]);
				close(fds[0]);
			}
			exec_command(&cmds[i]);
		}
		if (pids[i] < 0)
			perror("sh: fork");
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
	}
	for (int i = 0; i < ncmd; i++) {
		int st;

		if (pids[i] > 0 && waitpid(pids[i], &st, 0) == pids[i] &&
		    i == ncmd - 1)
			status = WIFEXITED(st) ? WEXITSTATUS(st) :
			    128 + WTERMSIG(st);
	}
	return status;
}

/* Parse tokens [from, to) into commands and run them as one pipeline. */
static int
run_tokens(char **tok, int from, int to)
{
	struct command cmds[MAX_CMDS];
	int ncmd = 1;

	memset(cmds, 0, sizeof(cmds));
	for (int i = from; i < to; i++) {
		struct command *c = &cmds[ncmd - 1];

		if (is_op(tok[i], "|")) {
			if (c->argc == 0 || ncmd == MAX_CMDS)
				goto syntax;
			ncmd++;
		} else if (is_op(tok[i], "<") || is_op(tok[i], ">") ||
		    is_op(tok[i], ">>") || is_op(tok[i], "2>")) {
			if (i + 1 >= to || tok[i + 1][0] == '\1')
				goto syntax;
			if (is_op(tok[i], "<"))
				c->in = tok[i + 1];
			else if (is_op(tok[i], "2>"))
				c->err = tok[i + 1];
			else {
				c->out = tok[i + 1];
				c->append = is_op(tok[i], ">>");
			}
			i++;
		} else if (c->argc < MAX_WORDS - 1) {
			c->argv[c->argc++] = tok[i];
		}
	}
	if (cmds[ncmd - 1].argc == 0)
		return ncmd == 1 ? last_status : (fprintf(stderr, "sh: syntax error\n"), 2);
	return run_pipeline(cmds, ncmd);
syntax:
	fprintf(stderr, "sh: syntax error\n");
	return 2;
}

static void
run_line(const char *line)
{
	char *tok[MAX_WORDS * 2];
	int n = tokenize(line, tok, MAX_WORDS * 2), start = 0;
	int skip = 0;

	if (n < 0) {
		fprintf(stderr, "sh: syntax error\n");
		last_status = 2;
		return;
	}
	for (int i = 0; i <= n; i++) {
		if (i < n && !is_op(tok[i], ";") && !is_op(tok[i], "&&") &&
		    !is_op(tok[i], "||"))
			continue;
		if (!skip && i > start)
			last_status = run_tokens(tok, start, i);
		skip = 0;
		if (i < n && is_op(tok[i], "&&"))
			skip = last_status != 0;
		if (i < n && is_op(tok[i], "||"))
			skip = last_status == 0;
		start = i + 1;
	}
	for (int i = 0; i < n; i++)
		free(tok[i]);
}

static void
run_stream(FILE *f)
{
	char line[LINE_MAX_SH];

	for (;;) {
		if (interactive) {
			fputs("$ ", stdout);
			fflush(stdout);
		}
		if (fgets(line, sizeof(line), f) == NULL) {
			if (interactive && ferror(f) && errno == EINTR) {
				clearerr(f);
				putchar('\n');
				continue;
			}
			break;
		}
		run_line(line);
	}
}

int
main(int argc, char **argv)
{
	FILE *f;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		run_line(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		f = fopen(argv[1], "r");
		if (f == NULL) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		run_stream(f);
		return last_status;
	}
	interactive = isatty(0);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	run_stream(stdin);
	if (interactive)
		putchar('\n');
	return last_status;
}
