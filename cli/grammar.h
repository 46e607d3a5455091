/* SPDX-License-Identifier: GPL-2.0 */
/* grammar.h: the option table behind the parser (internal to parse.c). */
#ifndef PCCVSADM_GRAMMAR_H
#define PCCVSADM_GRAMMAR_H

#include "parse.h"

enum adm_arg { ADM_ARG_NONE, ADM_ARG_REQ, ADM_ARG_OPT };

struct adm_optdesc {
	const char *lname;	/* long name without "--", NULL if none */
	char sname;		/* short letter, 0 if none */
	int id;			/* enum adm_opt_id, -1 for commands and refusals */
	enum adm_verb_id verb;	/* commands: the verb */
	enum adm_arg arg;
	const char *refuse;	/* ipvsadm options pccvs refuses: why */
};

/* Ends with an entry without lname and sname. */
extern const struct adm_optdesc adm_opts[];
const struct adm_optdesc *adm_opt_get(enum adm_opt_id id);
/* "-w" or "--pgroup" */
const char *adm_opt_str(enum adm_opt_id id, char *buf, size_t len);

#endif /* PCCVSADM_GRAMMAR_H */
