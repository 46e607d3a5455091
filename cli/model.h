/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h: the configuration model (services with their real servers) and
 * the pure functions over it that the CLI and the sync daemon share:
 *
 *	adm_model_validate(m, e)  may edit e be applied to m? (message if not)
 *	adm_model_apply(m, e)     apply it to m
 *	adm_pgroup_check(b, a)    does going from b to a break a port group?
 *	adm_plan(m, edits)        all of the above for an edit list: expand
 *				  --all-ports, fill defaults, validate each
 *				  edit on the model as the previous ones left
 *				  it, then check the port groups of the result.
 *
 * None of them does I/O. Edits must be resolved (no host names left).
 */
#ifndef PCCVSADM_MODEL_H
#define PCCVSADM_MODEL_H

#include "edit.h"

struct adm_svc {
	struct pccvs_svc s;
	struct pccvs_dest *dests;
	size_t ndests, cap;
};

struct adm_model {
	struct adm_svc *svcs;
	size_t n, cap;
};

void adm_model_init(struct adm_model *m);
void adm_model_free(struct adm_model *m);
/* dst must be initialised (its old content is freed); -ENOMEM. */
int adm_model_copy(struct adm_model *dst, const struct adm_model *src);
/* For loaders: append as given (no checks); -ENOMEM. */
int adm_model_add_svc(struct adm_model *m, const struct pccvs_svc *s);
int adm_svc_add_dest(struct adm_svc *s, const struct pccvs_dest *d);

struct adm_svc *adm_model_find(const struct adm_model *m,
			       const struct pccvs_svc *key);
struct pccvs_dest *adm_svc_find_dest(const struct adm_svc *s,
				     const struct pccvs_addr *addr,
				     uint16_t port);
bool adm_svc_has_addr(const struct adm_svc *s, const struct pccvs_addr *addr);
/* True if a and b are services of the same port group (both named). */
bool adm_same_group(const struct pccvs_svc *a, const struct pccvs_svc *b);

/* The service / real server an edit leaves: old (NULL when added) with
 * the edit's fields and the defaults (wlc, 300 s when persistent,
 * /32 or /128, direct routing, weight 1). out may be old, not a part of e. */
void adm_svc_effective(const struct pccvs_svc *old, const struct adm_edit *e,
		       struct pccvs_svc *out);
void adm_dest_effective(const struct pccvs_dest *old, const struct adm_edit *e,
			struct pccvs_dest *out);

/* 0, or -EEXIST / -ENOENT / -EINVAL with a message. --all-ports is not
 * expanded here (adm_plan does it). */
int adm_model_validate(const struct adm_model *m, const struct adm_edit *e,
		       struct pccvs_err *err);
/* Applies a validated edit; -ENOMEM. */
int adm_model_apply(struct adm_model *m, const struct adm_edit *e);

/* 0, or -EINVAL naming the first port group rule that after breaks and
 * before did not (services of a group must have the same real server
 * addresses and the same persistence timeout and netmask). */
int adm_pgroup_check(const struct adm_model *before,
		     const struct adm_model *after, struct pccvs_err *err);

/*
 * Turn edits into concrete edits for a backend, appended to out: one per
 * kernel request, with every field a new object needs and --all-ports
 * expanded. If final is not NULL it receives the resulting model (it must
 * be initialised). On error nothing is appended; the message starts with
 * "line N: " for edits from -R input.
 */
int adm_plan(const struct adm_model *m, const struct adm_edit *in, size_t n,
	     struct adm_edits *out, struct adm_model *final,
	     struct pccvs_err *err);

#endif /* PCCVSADM_MODEL_H */
