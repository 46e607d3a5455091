/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h: the cluster-wide configuration (docs/cluster-edits.md) as the
 * CLI and pccvs-syncd share it: services with their real servers (the
 * model) plus the timeouts and limits the cluster sets. No I/O.
 *
 *   adm_edit_format()       one edit -> one canonical pccvsadm line that
 *                           adm_parse() reads back to the same edit (the
 *                           wire form of ConfigEdit: every director
 *                           re-parses it with the one parser)
 *   adm_config_text()       a configuration -> canonical -R text (ipvsadm
 *                           order, numeric): ConfigState, the state file,
 *                           its digest (adm_config_hash)
 *   adm_config_parse()      canonical text -> configuration
 *   adm_config_edit()       validate user edits (adm_plan: --all-ports,
 *                           port groups) against a configuration, apply
 *   adm_config_reconcile()  the concrete edits turning what a module holds
 *                           into the configuration
 *   adm_config_text_diff()  what differs between two canonical texts
 */
#ifndef PCCVSADM_CONFIG_H
#define PCCVSADM_CONFIG_H

#include "model.h"

/* The edit language level of adm_edit_format()'s lines; raised when a
 * line may use something an older parser refuses. */
#define ADM_CONFIG_GRAMMAR 1

struct adm_config {
	struct adm_model m;
	/* set by --set / --set-limits: tcp_est, tcp_fin_wait, udp,
	 * conn_max, tpl_max; 0 = not set by the cluster (the module's own) */
	struct pccvs_cfg cfg;
};

void adm_config_init(struct adm_config *c);
void adm_config_free(struct adm_config *c);
/* dst initialised; -ENOMEM */
int adm_config_copy(struct adm_config *dst, const struct adm_config *src);

/* A line is at most this long (the longest edit is well below). */
#define ADM_EDIT_LINE_MAX 512
/* 0, -ENOSPC, or -EINVAL for an edit no line can express. */
int adm_edit_format(const struct adm_edit *e, char *buf, size_t len);
/*
 * Edits as text, one line each, into a malloc()ed NUL-terminated buffer.
 * numbered: the edit with line k (-R input) lands on line k of the text
 * (blank lines between), so that messages name the user's lines; else one
 * after another. -ENOMEM, -EINVAL.
 */
int adm_edits_text(const struct adm_edit *v, size_t n, bool numbered,
		   char **out, size_t *len);

/* Canonical text (malloc()ed, NUL-terminated): -A/-a lines in ipvsadm's
 * order, numeric, then --set / --set-limits for the fields set. */
int adm_config_text(const struct adm_config *c, char **out, size_t *len);
uint64_t adm_config_hash(const char *text, size_t len);	/* FNV-1a 64 */

/*
 * Parse -R text into an empty configuration c (names must be numeric):
 * 0, -EINVAL with err ("line N: ..."), -ENOMEM. Nothing is kept on error.
 */
int adm_config_parse(const char *text, size_t len, struct adm_config *c,
		     struct pccvs_err *err);

/*
 * The edits a user wrote (resolved), validated as a whole against c
 * exactly as adm_plan() does; unless dry, c then holds the result.
 * planned (optional) receives the concrete edits for a module. -Z is
 * refused (counters are each director's). 0, -EINVAL/-EEXIST/-ENOENT with
 * err, -ENOMEM. On error c is unchanged.
 */
int adm_config_edit(struct adm_config *c, const struct adm_edit *v, size_t n,
		    bool dry, struct adm_edits *planned, struct pccvs_err *err);

/*
 * Concrete edits that turn have (a module as loaded, counters ignored)
 * into want, appended to out: services and real servers deleted first,
 * then changed, then added; timeouts and limits want sets. -ENOMEM.
 */
int adm_config_reconcile(const struct adm_config *have,
			 const struct adm_config *want, struct adm_edits *out);

/* Keep only the timeouts/limits that managed sets (others 0): a module's
 * values as the cluster configuration would show them. */
void adm_config_mask_cfg(struct adm_config *c, const struct pccvs_cfg *managed);

/*
 * Lines of text a not in b ("- line") and of b not in a ("+ line"), in
 * a's order then b's, into a malloc()ed buffer (NULL when none); returns
 * the number of differing lines or -ENOMEM.
 */
int adm_config_text_diff(const char *a, size_t alen, const char *b,
			 size_t blen, char **out, size_t *outlen);

#endif /* PCCVSADM_CONFIG_H */
