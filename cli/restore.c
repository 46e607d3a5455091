// SPDX-License-Identifier: GPL-2.0
/*
 * restore.c: -R input (the output of ipvsadm -S or pccvsadm -S) into an
 * edit list. Each line goes through the same parser as the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

#define MAX_WORDS 64

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits buf in place; returns the word count, or -1 if there are too many. */
static int split(char *buf, char *words[MAX_WORDS])
{
	int n = 0;
	char *p = buf;

	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p)
			return n;
		if (n == MAX_WORDS)
			return -1;
		words[n++] = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static bool is_prog_word(const char *w)
{
	const char *base = strrchr(w, '/');

	base = base ? base + 1 : w;
	return !strcmp(base, "ipvsadm") || !strcmp(base, "pccvsadm");
}

static int parse_words(char **words, int n, struct adm_edits *out,
		       struct pccvs_err *err)
{
	struct adm_cmd cmd;
	char vs[48];

	if (adm_parse(n, words, &cmd, err))
		return -EINVAL;
	if (!cmd.verb->in_restore)
		return adm_err(err, -EINVAL, "%s is not allowed in -R input",
			       adm_verb_str(cmd.verb, vs, sizeof(vs)));
	return adm_edits_push(out, &cmd.edit);
}

static int restore_line(const char *text, size_t len, struct adm_edits *out,
			struct pccvs_err *err)
{
	char *buf, *words[MAX_WORDS];
	int n, ret = 0;

	if (memchr(text, '\0', len))
		return adm_err(err, -EINVAL, "NUL byte in input");
	buf = malloc(len + 1);
	if (!buf)
		return adm_err(err, -ENOMEM, "out of memory");
	memcpy(buf, text, len);
	buf[len] = '\0';
	n = split(buf, words);
	if (n < 0) {
		ret = adm_err(err, -EINVAL, "more than %d words on one line", MAX_WORDS);
	} else if (n && words[0][0] != '#') {
		if (is_prog_word(words[0]))
			ret = parse_words(words + 1, n - 1, out, err);
		else
			ret = parse_words(words, n, out, err);
	}
	free(buf);
	return ret;
}

int adm_restore_parse(const char *text, size_t len, struct adm_edits *out,
		      adm_report_fn report, void *arg)
{
	size_t pos = 0, end;
	const char *nl;
	uint32_t line = 0;
	struct pccvs_err err;
	size_t before;
	int ret, bad = 0;

	while (pos < len) {
		before = out->n;
		nl = memchr(text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - text) : len;
		line++;
		err.code = 0;
		ret = restore_line(text + pos, end - pos, out, &err);
		if (ret == -ENOMEM)
			return ret;
		if (ret) {
			adm_err_line(&err, line);
			bad++;
			if (report)
				report(arg, &err);
		} else if (out->n > before) {
			out->v[before].line = line;
		}
		pos = end + 1;
	}
	return bad;
}
