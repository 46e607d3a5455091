// SPDX-License-Identifier: GPL-2.0
/*
 * config_sim.c: TEST ONLY. The service configuration of the simulation
 * backend (the user-space core inside the daemon), for cluster-wide
 * edits: loading it as a configuration and applying concrete edits, as
 * backend_nl.c does for the module through libpccvs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim.h"

static void key_of(struct pcc_svc_key *k, const struct pccvs_svc *s)
{
	memset(k, 0, sizeof(*k));
	k->af = s->af;
	k->protocol = s->protocol;
	k->port = s->port;
	k->fwmark = s->fwmark;
	memcpy(k->addr.b, s->addr.b, sizeof(k->addr.b));
}

static void addr_of(struct pccvs_addr *a, uint16_t af, const union pcc_addr *b)
{
	memset(a, 0, sizeof(*a));
	a->af = af;
	memcpy(a->b, b->b, af == AF_INET ? 4 : 16);
}

static int err_out(struct pccvs_err *err, int rc, const struct pcc_err *e)
{
	err->code = rc;
	snprintf(err->msg, sizeof(err->msg), "%s", e->msg ? e->msg : strerror(-rc));
	return rc;
}

int sim_cfg_load(struct backend *b, struct adm_config *c, struct pccvs_err *err)
{
	struct sim *sim = b->priv;
	struct pcc_svc_info si;
	struct pcc_dest_info di;
	struct pcc_cfg pc;
	uint32_t pos = 0, dpos;

	while (pcc_svc_list(sim->t, &pos, &si, 1) == 1) {
		struct pccvs_svc s = { 0 };
		struct adm_svc *as;

		s.af = si.conf.key.af;
		s.protocol = si.conf.key.protocol;
		s.port = si.conf.key.port;
		s.fwmark = si.conf.key.fwmark;
		if (!s.fwmark)
			addr_of(&s.addr, s.af, &si.conf.key.addr);
		snprintf(s.sched, sizeof(s.sched), "%s", si.conf.sched);
		s.flags = si.conf.flags;
		s.timeout = si.conf.timeout;
		s.netmask = si.conf.netmask;
		memcpy(s.pgroup, si.conf.pgroup, sizeof(s.pgroup));
		if (adm_model_add_svc(&c->m, &s))
			return -ENOMEM;
		as = &c->m.svcs[c->m.n - 1];
		dpos = 0;
		while (pcc_dest_list(sim->t, &si.conf.key, &dpos, &di, 1) == 1) {
			struct pccvs_dest d = { 0 };

			addr_of(&d.addr, s.af, &di.conf.addr);
			d.port = di.conf.port;
			d.fwd = di.conf.fwd;
			d.weight = di.conf.weight;
			d.u_thresh = di.conf.u_thresh;
			d.l_thresh = di.conf.l_thresh;
			if (adm_svc_add_dest(as, &d))
				return -ENOMEM;
		}
	}
	pcc_cfg_get(sim->t, &pc);
	c->cfg.tcp_est = pc.tcp_est;
	c->cfg.tcp_fin_wait = pc.tcp_fin_wait;
	c->cfg.udp = pc.udp;
	c->cfg.conn_max = pc.conn_max;
	c->cfg.tpl_max = pc.tpl_max;
	return 0;
}

static void conf_of(struct pcc_svc_conf *sc, const struct pccvs_svc *s)
{
	memset(sc, 0, sizeof(*sc));
	key_of(&sc->key, s);
	memcpy(sc->sched, s->sched, sizeof(sc->sched));
	sc->flags = s->flags;
	sc->timeout = s->timeout;
	sc->netmask = s->netmask;
	memcpy(sc->pgroup, s->pgroup, sizeof(sc->pgroup));
}

static void dest_of(struct pcc_dest_conf *dc, const struct pccvs_dest *d)
{
	memset(dc, 0, sizeof(*dc));
	memcpy(dc->addr.b, d->addr.b, sizeof(dc->addr.b));
	dc->port = d->port;
	dc->fwd = d->fwd;
	dc->weight = d->weight;
	dc->u_thresh = d->u_thresh;
	dc->l_thresh = d->l_thresh;
}

static int apply_one(struct sim *sim, const struct adm_edit *e,
		     struct pccvs_err *err)
{
	struct pcc_err pe = { 0 };
	struct pcc_svc_conf sc;
	struct pcc_dest_conf dc;
	struct pcc_svc_key k;
	struct pcc_cfg pc = { 0 };
	int rc = 0;

	conf_of(&sc, &e->svc);
	key_of(&k, &e->svc);
	dest_of(&dc, &e->dest);
	switch (e->op) {
	case ADM_SVC_ADD:
		rc = pcc_svc_add(sim->t, &sc, &pe);
		break;
	case ADM_SVC_EDIT:
		rc = pcc_svc_set(sim->t, &sc, e->svc_mask, &pe);
		break;
	case ADM_SVC_DEL:
		rc = pcc_svc_del(sim->t, &k, &pe);
		break;
	case ADM_DEST_ADD:
		rc = pcc_dest_add(sim->t, &k, &dc, &pe);
		break;
	case ADM_DEST_EDIT:
		rc = pcc_dest_set(sim->t, &k, &dc, e->dest_mask, &pe);
		break;
	case ADM_DEST_DEL:
		rc = pcc_dest_del(sim->t, &k, &dc.addr, dc.port, &pe);
		break;
	case ADM_CLEAR:
		pcc_svc_flush(sim->t);
		break;
	case ADM_ZERO:
		rc = pcc_zero(sim->t, e->flags & ADM_EF_SVC ? &k : NULL);
		break;
	case ADM_SET_CFG:
		pc.tcp_est = e->cfg.tcp_est;
		pc.tcp_fin_wait = e->cfg.tcp_fin_wait;
		pc.udp = e->cfg.udp;
		pc.conn_max = e->cfg.conn_max;
		pc.tpl_max = e->cfg.tpl_max;
		rc = pcc_cfg_set(sim->t, &pc, &pe);
		break;
	default:
		rc = -EINVAL;
	}
	return rc < 0 ? err_out(err, rc, &pe) : 0;
}

int sim_cfg_apply(struct backend *b, const struct adm_edit *v, size_t n,
		  size_t *done, struct pccvs_err *err)
{
	struct sim *sim = b->priv;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++)
		rc = apply_one(sim, &v[i], err);
	*done = rc ? i - 1 : n;
	return rc;
}
