/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h: what pccvsadm prints. Text listings keep ipvsadm's layout
 * (same headers and column widths for what both tools show); every
 * listing has a JSON form (docs/cli-json.md). Nothing here talks to a
 * backend: callers fetch, these functions print.
 */
#ifndef PCCVSADM_OUTPUT_H
#define PCCVSADM_OUTPUT_H

#include <stdio.h>
#include "model.h"

enum adm_cols {
	ADM_COLS_PLAIN = 0,	/* Forward Weight ActiveConn InActConn */
	ADM_COLS_STATS,		/* --stats */
	ADM_COLS_RATE,		/* --rate */
	ADM_COLS_THRESH,	/* --thresholds */
	ADM_COLS_PERSIST,	/* --persistent-conn */
};

struct adm_fmt {
	enum adm_cols cols;
	bool numeric;		/* -n: no name lookups */
	bool exact;		/* --exact: no K/M/G rounding */
	bool json;		/* -o json */
};

/* -1, 0, 1 for sort functions. */
static inline int adm_cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* ipvsadm's order: services by fwmark, family, protocol, address, port;
 * real servers by address, port. */
void adm_model_sort(struct adm_model *m);

/* -L (services and real servers). */
void adm_print_services(FILE *f, const struct adm_model *m,
			const struct pccvs_info *info, const struct adm_fmt *fmt);
/* -S: one -A line per service, one -a line per real server. */
void adm_print_save(FILE *f, const struct adm_model *m, bool numeric);
/* -L -c */
void adm_print_conns(FILE *f, struct pccvs_conn *v, size_t n,
		     const struct adm_fmt *fmt);
/* -L --templates (sorts v unless nosort) */
void adm_print_templates(FILE *f, struct pccvs_tpl *v, size_t n,
			 const struct adm_fmt *fmt, bool sort);
/* -L --timeout */
void adm_print_timeouts(FILE *f, const struct pccvs_cfg *c, bool json);
/* --info */
void adm_print_info(FILE *f, const struct pccvs_info *i,
		    const struct pccvs_cfg *c, bool json);

#endif /* PCCVSADM_OUTPUT_H */
