/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h: a minimal streaming JSON writer for -o json (indented, keys in
 * the order written). Field names are documented in docs/cli-json.md.
 */
#ifndef PCCVSADM_JSON_H
#define PCCVSADM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ADM_JSON_DEPTH 8

struct adm_json {
	FILE *f;
	int depth;
	bool first[ADM_JSON_DEPTH];	/* nothing written yet at this level */
	char closer[ADM_JSON_DEPTH];	/* '}' or ']' */
};

/* Opens the top-level object. */
void adm_json_begin(struct adm_json *j, FILE *f);
/* Closes everything still open and ends the line. */
void adm_json_end(struct adm_json *j);
/* key is NULL inside arrays. */
void adm_json_obj(struct adm_json *j, const char *key);
void adm_json_arr(struct adm_json *j, const char *key);
void adm_json_close(struct adm_json *j);
void adm_json_str(struct adm_json *j, const char *key, const char *v);
void adm_json_u64(struct adm_json *j, const char *key, uint64_t v);
void adm_json_bool(struct adm_json *j, const char *key, bool v);

#endif /* PCCVSADM_JSON_H */
