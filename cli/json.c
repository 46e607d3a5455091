// SPDX-License-Identifier: GPL-2.0
/* json.c: the streaming JSON writer. */
#include "json.h"

static void indent(struct adm_json *j)
{
	fprintf(j->f, "\n%*s", 2 * j->depth, "");
}

static void escaped(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value. */
static void member(struct adm_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	indent(j);
	if (key) {
		escaped(j->f, key);
		fputs(": ", j->f);
	}
}

/* Deeper than ADM_JSON_DEPTH is a programming error; stay well-formed. */
static void open_(struct adm_json *j, const char *key, char c)
{
	if (j->depth >= ADM_JSON_DEPTH - 1)
		return;
	member(j, key);
	fputc(c, j->f);
	j->depth++;
	j->first[j->depth] = true;
	j->closer[j->depth] = c == '{' ? '}' : ']';
}

void adm_json_begin(struct adm_json *j, FILE *f)
{
	j->f = f;
	fputc('{', f);
	j->depth = 1;
	j->first[1] = true;
	j->closer[1] = '}';
}

void adm_json_end(struct adm_json *j)
{
	while (j->depth > 0)
		adm_json_close(j);
	fputc('\n', j->f);
}

void adm_json_obj(struct adm_json *j, const char *key)
{
	open_(j, key, '{');
}

void adm_json_arr(struct adm_json *j, const char *key)
{
	open_(j, key, '[');
}

void adm_json_close(struct adm_json *j)
{
	char c;
	bool empty;

	if (j->depth <= 0)
		return;
	c = j->closer[j->depth];
	empty = j->first[j->depth];
	j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
}

void adm_json_str(struct adm_json *j, const char *key, const char *v)
{
	member(j, key);
	escaped(j->f, v ? v : "");
}

void adm_json_u64(struct adm_json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void adm_json_bool(struct adm_json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}
