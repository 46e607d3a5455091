// SPDX-License-Identifier: GPL-2.0
/* config_core.c: the replicated configuration state machine (config_core.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_core.h"
#include "parse.h"

void cfg_core_init(struct cfg_core *c)
{
	memset(c, 0, sizeof(*c));
	adm_config_init(&c->conf);
}

void cfg_core_fini(struct cfg_core *c)
{
	cfg_core_rx_clear(c);
	free(c->rx);
	adm_config_free(&c->conf);
	free(c->text);
	memset(c, 0, sizeof(*c));
}

void cfg_outcome_init(struct cfg_outcome *o)
{
	memset(o, 0, sizeof(*o));
	adm_edits_init(&o->planned);
}

void cfg_outcome_fini(struct cfg_outcome *o)
{
	adm_edits_free(&o->planned);
}

static void hist_reset(struct cfg_core *c)
{
	c->hist_n = 0;
	c->hist_head = 0;
}

static void hist_push(struct cfg_core *c, uint64_t v, uint64_t d)
{
	c->hist[c->hist_head].v = v;
	c->hist[c->hist_head].d = d;
	c->hist_head = (c->hist_head + 1) % CFG_HIST;
	if (c->hist_n < CFG_HIST)
		c->hist_n++;
}

int cfg_core_digest_at(const struct cfg_core *c, uint64_t version,
		       uint64_t *digest)
{
	for (size_t i = 0; i < c->hist_n; i++) {
		size_t k = (c->hist_head + CFG_HIST - 1 - i) % CFG_HIST;

		if (c->hist[k].v == version) {
			*digest = c->hist[k].d;
			return 1;
		}
	}
	return 0;
}

bool cfg_wins(uint64_t v, uint64_t d, uint64_t v2, uint64_t d2)
{
	return v != v2 ? v > v2 : d > d2;
}

struct first_err {
	char *msg;
	size_t mlen;
	int bad;
};

static void keep_first(void *arg, const struct pccvs_err *e)
{
	struct first_err *f = arg;

	if (!f->bad++)
		snprintf(f->msg, f->mlen, "%s", e->msg[0] ? e->msg :
			 strerror(-e->code));
}

int cfg_edit_parse(const char *lines, bool numbered, struct adm_edits *out,
		   char *msg, size_t mlen)
{
	struct first_err f = { .msg = msg, .mlen = mlen };
	int rc = adm_restore_parse(lines, strlen(lines), out, keep_first, &f);

	if (rc < 0) {
		snprintf(msg, mlen, "out of memory");
		return rc;
	}
	if (f.bad)
		return -EINVAL;
	if (!out->n) {
		snprintf(msg, mlen, "no configuration change given");
		return -EINVAL;
	}
	if (!numbered)
		for (size_t i = 0; i < out->n; i++)
			out->v[i].line = 0;
	return 0;
}

/* Refresh text and digest from conf. */
static int retext(struct cfg_core *c)
{
	char *t;
	size_t n;
	int rc = adm_config_text(&c->conf, &t, &n);

	if (rc)
		return rc;
	free(c->text);
	c->text = t;
	c->len = n;
	c->digest = adm_config_hash(t, n);
	return 0;
}

int cfg_core_set_conf(struct cfg_core *c, uint64_t version,
		      const struct adm_config *conf, char *msg, size_t mlen)
{
	struct adm_config n;

	adm_config_init(&n);
	if (adm_config_copy(&n, conf)) {
		adm_config_free(&n);
		snprintf(msg, mlen, "out of memory");
		return -ENOMEM;
	}
	adm_config_free(&c->conf);
	c->conf = n;
	if (retext(c)) {
		c->have = false;
		snprintf(msg, mlen, "out of memory");
		return -ENOMEM;
	}
	c->version = version;
	c->have = true;
	hist_reset(c);
	hist_push(c, c->version, c->digest);
	return 0;
}

int cfg_core_set(struct cfg_core *c, uint64_t version, const char *text,
		 size_t len, uint64_t digest, bool check_digest, char *msg,
		 size_t mlen)
{
	struct pccvs_err err = { 0 };
	struct adm_config n;
	int rc;

	if (check_digest && adm_config_hash(text, len) != digest) {
		snprintf(msg, mlen, "configuration text does not match its digest");
		return -EINVAL;
	}
	adm_config_init(&n);
	rc = adm_config_parse(text, len, &n, &err);
	if (rc) {
		adm_config_free(&n);
		snprintf(msg, mlen, "%s", err.msg[0] ? err.msg : strerror(-rc));
		return rc;
	}
	rc = cfg_core_set_conf(c, version, &n, msg, mlen);
	adm_config_free(&n);
	return rc;
}

/* Parse and validate; with apply, commit. */
static int run(struct cfg_core *c, const struct cfg_edit *e,
	       struct cfg_outcome *o, bool apply)
{
	struct pccvs_err err = { 0 };
	struct adm_edits l;
	int rc;

	o->version = c->version;
	if (e->grammar > ADM_CONFIG_GRAMMAR) {
		o->cannot_judge = true;
		snprintf(o->msg, sizeof(o->msg), "the edit needs a newer pccvs-syncd "
			 "(edit language %u, this one reads %u)", e->grammar,
			 ADM_CONFIG_GRAMMAR);
		return o->status = -EPROTO;
	}
	adm_edits_init(&l);
	rc = cfg_edit_parse(e->lines, e->numbered, &l, o->msg, sizeof(o->msg));
	if (!rc) {
		rc = adm_config_edit(&c->conf, l.v, l.n, !apply,
				     apply ? &o->planned : NULL, &err);
		if (rc)
			snprintf(o->msg, sizeof(o->msg), "%s", err.msg[0] ? err.msg :
				 strerror(-rc));
	}
	adm_edits_free(&l);
	if (rc == -ENOMEM)
		return o->status = rc;
	if (rc) {
		o->refused = true;
		return o->status = rc;
	}
	if (!apply)
		return o->status = 0;
	c->version++;
	if (retext(c)) {
		c->have = false;
		c->mode = CFG_NONE;
		snprintf(o->msg, sizeof(o->msg), "out of memory");
		return o->status = -ENOMEM;
	}
	hist_push(c, c->version, c->digest);
	o->version = c->version;
	return o->status = 0;
}

int cfg_core_check(const struct cfg_core *c, const struct cfg_edit *e,
		   struct cfg_outcome *o)
{
	return run((struct cfg_core *)c, e, o, false);
}

int cfg_core_apply(struct cfg_core *c, const struct cfg_edit *e,
		   struct cfg_outcome *o)
{
	return run(c, e, o, true);
}

int cfg_ipc_edit_decode(const void *req, size_t len, struct cfg_edit *e,
			char *msg, size_t mlen)
{
	const struct syncd_ipc_cfg_edit_req *q = req;
	char *t;

	if (len < sizeof(*q) || q->len != len - sizeof(*q) ||
	    q->len > SYNCD_CFG_TEXT_MAX || (q->flags & ~SYNCD_CFG_F_NUMBERED))
		return -EINVAL;
	if (memchr(q->text, '\0', q->len)) {
		snprintf(msg, mlen, "the edit text contains a NUL byte");
		return -EILSEQ;
	}
	t = malloc(q->len + 1);
	if (!t)
		return -ENOMEM;
	memcpy(t, q->text, q->len);
	t[q->len] = '\0';
	e->lines = t;
	e->numbered = q->flags & SYNCD_CFG_F_NUMBERED;
	e->grammar = q->grammar ? q->grammar : 1;
	return 0;
}

void cfg_core_rx_start(struct cfg_core *c, uint64_t xfer_id)
{
	cfg_core_rx_clear(c);
	c->rx_xfer = xfer_id;
	c->mode = CFG_RX;
}

int cfg_core_rx_push(struct cfg_core *c, const struct cfg_kept *k)
{
	size_t n = strlen(k->lines);
	struct cfg_kept *v;

	if (c->rx_overflow || c->rx_n >= CFG_RX_MAX_EDITS ||
	    c->rx_bytes + n > CFG_RX_MAX_BYTES) {
		c->rx_overflow = true;
		return -E2BIG;
	}
	if (c->rx_n == c->rx_cap) {
		size_t cap = c->rx_cap ? 2 * c->rx_cap : 16;

		v = realloc(c->rx, cap * sizeof(*v));
		if (!v) {
			c->rx_overflow = true;
			return -E2BIG;
		}
		c->rx = v;
		c->rx_cap = cap;
	}
	v = &c->rx[c->rx_n];
	*v = *k;
	v->lines = strdup(k->lines);
	if (!v->lines) {
		c->rx_overflow = true;
		return -E2BIG;
	}
	c->rx_n++;
	c->rx_bytes += n;
	return 0;
}

void cfg_core_rx_clear(struct cfg_core *c)
{
	for (size_t i = 0; i < c->rx_n; i++)
		free(c->rx[i].lines);
	c->rx_n = 0;
	c->rx_bytes = 0;
	c->rx_overflow = false;
	c->rx_xfer = 0;
}
