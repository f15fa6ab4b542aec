/*
 * Command-line parsing (see cmdline.h).  Machine independent and tested on
 * the host.  The string is copied and split in place.
 */
#include "kern/cmdline.h"
#include "kern/libkern.h"

void
cmdline_parse(struct cmdline *cl, const char *s)
{
	char *p;

	memset(cl, 0, sizeof(*cl));
	if (kstrlcpy(cl->buf, s, sizeof(cl->buf)) >= sizeof(cl->buf))
		cl->truncated = true;
	p = cl->buf;
	for (;;) {
		char *eq;

		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (cl->nargs == CMDLINE_MAX_ARGS) {
			cl->truncated = true;
			break;
		}
		cl->key[cl->nargs] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		eq = strchr(cl->key[cl->nargs], '=');
		if (eq != NULL) {
			*eq = '\0';
			cl->value[cl->nargs] = eq + 1;
		} else {
			cl->value[cl->nargs] = "";
		}
		cl->nargs++;
	}
}

/* The value of the last occurrence of key, or NULL if it is absent. */
const char *
cmdline_get(const struct cmdline *cl, const char *key)
{
	for (int i = cl->nargs - 1; i >= 0; i--)
		if (strcmp(cl->key[i], key) == 0)
			return cl->value[i];
	return NULL;
}
