// SPDX-License-Identifier: GPL-2.0
/* wire.c: pack and unpack proto/pccvs.proto messages (see wire.h). */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tplkey.h"
#include "wire.h"

static const char *const refuse_names[WR__MAX] = {
	[WR_DECODE] = "decode", [WR_SIZE] = "size", [WR_VERSION] = "version",
	[WR_SENDER] = "sender", [WR_HEADER] = "header",
	[WR_UNKNOWN_TYPE] = "unknown_type", [WR_FIELD] = "field",
	[WR_TOO_MANY] = "too_many", [WR_DOMAIN] = "domain",
	[WR_DOMAIN_INDEX] = "domain_index", [WR_ADDR] = "addr",
	[WR_PORT] = "port", [WR_LIFETIME] = "lifetime", [WR_FLAGS] = "flags",
	[WR_BACKEND] = "backend", [WR_STALE] = "stale",
};

const char *wire_refuse_name(enum wire_refuse r)
{
	return (unsigned int)r < WR__MAX ? refuse_names[r] : "?";
}

/* ------------------------------------------------------------------ */
/* Arena: protobuf-c allocations of one message, freed all at once.    */

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

struct wire_arena {
	struct arena_block *head;
	size_t total;		/* bytes of all blocks, to size the next one */
	ProtobufCAllocator pa;
};

static struct arena_block *block_new(size_t size)
{
	struct arena_block *b = malloc(sizeof(*b) + size);

	if (b) {
		b->next = NULL;
		b->size = size;
		b->used = 0;
	}
	return b;
}

static void *arena_alloc(void *data, size_t n)
{
	struct wire_arena *a = data;
	struct arena_block *b = a->head;
	size_t need = (n + 15) & ~(size_t)15;

	if (!b || b->size - b->used < need) {
		size_t size = need > 65536 ? need : 65536;

		b = block_new(size);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
		a->total += size;
	}
	b->used += need;
	return (char *)b->data + b->used - need;
}

static void arena_free_fn(void *data, void *p)
{
	(void)data;
	(void)p;
}

struct wire_arena *wire_arena_new(void)
{
	struct wire_arena *a = calloc(1, sizeof(*a));

	if (a) {
		a->pa.alloc = arena_alloc;
		a->pa.free = arena_free_fn;
		a->pa.allocator_data = a;
	}
	return a;
}

static void blocks_free(struct arena_block *b)
{
	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
}

/* Keep one block as big as everything used last time. */
void wire_arena_reset(struct wire_arena *a)
{
	if (!a->head)
		return;
	if (a->head->next) {
		size_t total = a->total;

		blocks_free(a->head);
		a->head = block_new(total);
		a->total = a->head ? total : 0;
	}
	if (a->head)
		a->head->used = 0;
}

void wire_arena_free(struct wire_arena *a)
{
	if (a) {
		blocks_free(a->head);
		free(a);
	}
}

Pccvs__Envelope *wire_unpack(struct wire_arena *a, const void *buf, size_t len)
{
	if (len == 0 || len > WIRE_MSG_MAX)
		return NULL;
	return pccvs__envelope__unpack(&a->pa, len, buf);
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */

static int refuse(enum wire_refuse *why, enum wire_refuse r)
{
	*why = r;
	return -EBADMSG;
}

int wire_check_header(const Pccvs__Envelope *e, uint32_t cpg_nodeid,
		      enum wire_refuse *why)
{
	if (!e->has_version || e->version < 1)
		return refuse(why, WR_VERSION);
	if (!e->has_sender || e->sender != cpg_nodeid)
		return refuse(why, WR_SENDER);
	if (!e->has_seq || !e->has_incarnation)
		return refuse(why, WR_HEADER);
	return 0;
}

static bool xfer_ok(bool has_id, uint64_t id, bool has_target)
{
	return has_id && id != 0 && has_target;
}

int wire_check_body(const Pccvs__Envelope *e, enum wire_refuse *why)
{
	switch (e->body_case) {
	case PCCVS__ENVELOPE__BODY_BATCH:
		return 0;
	case PCCVS__ENVELOPE__BODY_STATUS:
		if (e->status->has_priority && e->status->priority > 255)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_SYNC_REQUEST:
		if (!e->sync_request->has_xfer_id || !e->sync_request->xfer_id)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_SNAP_BEGIN:
		if (!xfer_ok(e->snap_begin->has_xfer_id, e->snap_begin->xfer_id,
			     e->snap_begin->has_target))
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_SNAP_CHUNK:
		if (!xfer_ok(e->snap_chunk->has_xfer_id, e->snap_chunk->xfer_id,
			     e->snap_chunk->has_target) || !e->snap_chunk->batch)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_SNAP_END:
		if (!xfer_ok(e->snap_end->has_xfer_id, e->snap_end->xfer_id,
			     e->snap_end->has_target) ||
		    !e->snap_end->has_count || !e->snap_end->has_digest)
			return refuse(why, WR_FIELD);
		return 0;
	/* cluster configuration (config_repl.c checks the text) */
	case PCCVS__ENVELOPE__BODY_CONFIG_EDIT:
		if (!e->config_edit->has_request_id || !e->config_edit->lines)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_CONFIG_STATE:
		if (!xfer_ok(e->config_state->has_xfer_id, e->config_state->xfer_id,
			     e->config_state->has_target) ||
		    !e->config_state->has_version || !e->config_state->has_digest ||
		    !e->config_state->config)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_CONFIG_QUERY:
		if (!e->config_query->has_query_id || !e->config_query->has_kind)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_CONFIG_REPORT:
		if (!e->config_report->has_query_id || !e->config_report->has_target)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_ROLE:	/* HA (ha/ha.c checks the rest) */
		if (!e->role->has_role || !e->role->has_term)
			return refuse(why, WR_FIELD);
		return 0;
	case PCCVS__ENVELOPE__BODY_SWITCHOVER:
		if (!e->switchover->has_target || !e->switchover->target)
			return refuse(why, WR_FIELD);
		return 0;
	default:
		*why = WR_UNKNOWN_TYPE;
		return -EOPNOTSUPP;
	}
}

static bool pgroup_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= PCCVS_PGROUP_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return false;
	return true;
}

static bool proto_ok(uint32_t p)
{
	return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_SCTP;
}

/*
 * A domain is af + fwmark, or af + protocol + vaddr + vport, or
 * af + vaddr + pgroup (protocol and vport may accompany a group).
 * Fills the domain part of *t. Returns false if invalid.
 */
static bool domain_decode(const Pccvs__Domain *d, struct pccvs_tpl *t)
{
	unsigned int alen = d->has_af ? af_addr_len(d->af) : 0;
	bool group = d->pgroup && d->pgroup[0];

	memset(t, 0, sizeof(*t));
	if (!alen)
		return false;
	t->af = (uint16_t)d->af;
	if (d->has_vport && d->vport > 65535)
		return false;
	if (d->has_protocol && d->protocol && !proto_ok(d->protocol))
		return false;
	if (d->has_vaddr && d->vaddr.len != alen)
		return false;
	if (group && !pgroup_ok(d->pgroup))
		return false;
	if (d->has_fwmark && d->fwmark) {
		if ((d->has_protocol && d->protocol) || d->has_vaddr ||
		    (d->has_vport && d->vport) || group)
			return false;
		t->fwmark = d->fwmark;
	} else if (!d->has_vaddr || (!group && !(d->has_protocol &&
						 d->protocol))) {
		return false;
	}
	t->protocol = d->has_protocol ? (uint8_t)d->protocol : 0;
	t->vport = d->has_vport ? (uint16_t)d->vport : 0;
	if (d->has_vaddr)
		memcpy(t->vaddr.b, d->vaddr.data, alen);
	if (group)
		strcpy(t->pgroup, d->pgroup);
	t->vaddr.af = t->af;
	t->caddr.af = t->af;
	t->daddr.af = t->af;
	return true;
}

static int tpls_grow(struct wire_tpls *t, size_t more)
{
	if (t->n + more <= t->cap)
		return 0;
	size_t cap = t->cap ? t->cap : 256;

	while (cap < t->n + more)
		cap *= 2;
	struct pccvs_tpl *v = realloc(t->v, cap * sizeof(*v));

	if (!v)
		return -ENOMEM;
	t->v = v;
	t->cap = cap;
	return 0;
}

void wire_tpls_free(struct wire_tpls *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static bool addr_ok(bool has, const ProtobufCBinaryData *a, unsigned int alen)
{
	return has && a->len == alen;
}

/* Validate one template against its (already decoded) domain. */
static int tpl_decode(const Pccvs__Template *m, const struct pccvs_tpl *doms,
		      const bool *dom_ok, size_t n_dom, bool del,
		      struct pccvs_tpl *out, enum wire_refuse *why)
{
	uint32_t idx = m->has_domain ? m->domain : 0;
	unsigned int alen;

	if (idx >= n_dom)
		return refuse(why, WR_DOMAIN_INDEX);
	if (!dom_ok[idx])
		return refuse(why, WR_DOMAIN);
	alen = af_addr_len(doms[idx].af);
	if (!addr_ok(m->has_caddr, &m->caddr, alen))
		return refuse(why, WR_ADDR);
	if (m->has_flags && (m->flags & ~(uint32_t)PCCVS_TPL_F_ALL))
		return refuse(why, WR_FLAGS);
	if (!del) {
		if (!addr_ok(m->has_daddr, &m->daddr, alen))
			return refuse(why, WR_ADDR);
		if (m->has_dport && m->dport > 65535)
			return refuse(why, WR_PORT);
		if (!m->has_remaining_ms || m->remaining_ms == 0 ||
		    m->remaining_ms > WIRE_LIFETIME_MAX_MS)
			return refuse(why, WR_LIFETIME);
	}
	*out = doms[idx];
	memcpy(out->caddr.b, m->caddr.data, alen);
	out->stamp = m->has_stamp ? m->stamp : 0;
	if (!del) {
		memcpy(out->daddr.b, m->daddr.data, alen);
		out->dport = m->has_dport ? (uint16_t)m->dport : 0;
		out->remaining_ms = m->remaining_ms;
		/* REPLICATED is the receiver's to set, never the sender's. */
		out->flags = (m->has_flags ? m->flags : 0) &
			     PCCVS_TPL_F_CONFIRMED;
	}
	return 0;
}

static int decode_list(Pccvs__Template *const *list, size_t n,
		       const struct pccvs_tpl *doms, const bool *dom_ok,
		       size_t n_dom, bool del, struct wire_tpls *out,
		       uint64_t refused[WR__MAX])
{
	enum wire_refuse why;

	if (n && !out) {
		refused[WR_FIELD] += n;
		return 0;
	}
	if (n && tpls_grow(out, n) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (tpl_decode(list[i], doms, dom_ok, n_dom, del,
			       &out->v[out->n], &why) < 0)
			refused[why]++;
		else
			out->n++;
	}
	return 0;
}

int wire_batch_decode(const Pccvs__TemplateBatch *b, struct wire_tpls *up,
		      struct wire_tpls *del, uint64_t refused[WR__MAX])
{
	struct pccvs_tpl stackdoms[8], *doms = stackdoms;
	bool stackok[8], *ok = stackok;
	int rc;

	if (b->n_domains > WIRE_MAX_DOMAINS ||
	    b->n_upserts + b->n_deletes > WIRE_MAX_TPLS) {
		refused[WR_TOO_MANY]++;
		return -EBADMSG;
	}
	if (b->n_domains > 8) {
		doms = malloc(b->n_domains * sizeof(*doms));
		ok = malloc(b->n_domains * sizeof(*ok));
		if (!doms || !ok) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < b->n_domains; i++)
		ok[i] = domain_decode(b->domains[i], &doms[i]);
	rc = decode_list(b->upserts, b->n_upserts, doms, ok, b->n_domains,
			 false, up, refused);
	if (rc == 0)
		rc = decode_list(b->deletes, b->n_deletes, doms, ok,
				 b->n_domains, true, del, refused);
out:
	if (doms != stackdoms)
		free(doms);
	if (ok != stackok)
		free(ok);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                            */

size_t wire_varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Field sizes; every tag here is < 16, so one byte. */
static size_t fv(uint64_t v)
{
	return 1 + wire_varint_size(v);
}

static size_t fb(size_t len)
{
	return 1 + wire_varint_size(len) + len;
}

static void batch_wire_arrays(struct wire_batch *b)
{
	b->msg.n_domains = b->n_dom;
	b->msg.domains = b->domp;
	b->msg.n_upserts = b->n_up;
	b->msg.upserts = b->upp;
	b->msg.n_deletes = b->n_del;
	b->msg.deletes = b->delp;
}

int wire_batch_init(struct wire_batch *b, size_t max_bytes, uint32_t max_tpls)
{
	size_t cap = max_bytes / 8 + 1;

	memset(b, 0, sizeof(*b));
	if (cap > max_tpls)
		cap = max_tpls;
	b->max_bytes = max_bytes;
	b->max_tpls = max_tpls;
	b->cap = cap;
	pccvs__template_batch__init(&b->msg);
	b->dom = calloc(WIRE_MAX_DOMAINS, sizeof(*b->dom));
	b->domp = calloc(WIRE_MAX_DOMAINS, sizeof(*b->domp));
	b->domkey = calloc(WIRE_MAX_DOMAINS, sizeof(*b->domkey));
	b->tpl = calloc(cap, sizeof(*b->tpl));
	b->upp = calloc(cap, sizeof(*b->upp));
	b->delp = calloc(cap, sizeof(*b->delp));
	b->addr = calloc(cap, sizeof(*b->addr));
	if (!b->dom || !b->domp || !b->domkey || !b->tpl || !b->upp ||
	    !b->delp || !b->addr) {
		wire_batch_free(b);
		return -ENOMEM;
	}
	return 0;
}

void wire_batch_free(struct wire_batch *b)
{
	free(b->dom);
	free(b->domp);
	free(b->domkey);
	free(b->tpl);
	free(b->upp);
	free(b->delp);
	free(b->addr);
	memset(b, 0, sizeof(*b));
}

void wire_batch_reset(struct wire_batch *b)
{
	b->bytes = 0;
	b->n_dom = b->n_up = b->n_del = 0;
	b->digest = 0;
	b->last_dom = 0;
}

static size_t domain_size(const Pccvs__Domain *d)
{
	size_t s = fv(d->af);

	if (d->has_protocol)
		s += fv(d->protocol);
	if (d->has_vaddr)
		s += fb(d->vaddr.len);
	if (d->has_vport)
		s += fv(d->vport);
	if (d->has_fwmark)
		s += fv(d->fwmark);
	if (d->pgroup)
		s += fb(strlen(d->pgroup));
	return s;
}

static void domain_fill(Pccvs__Domain *d, struct pccvs_tpl *key,
			const struct pccvs_tpl *t)
{
	pccvs__domain__init(d);
	*key = *t;
	d->has_af = 1;
	d->af = t->af;
	d->has_protocol = t->protocol != 0;
	d->protocol = t->protocol;
	d->has_vport = t->vport != 0;
	d->vport = t->vport;
	d->has_fwmark = t->fwmark != 0;
	d->fwmark = t->fwmark;
	d->has_vaddr = t->fwmark == 0;
	d->vaddr.len = af_addr_len(t->af);
	d->vaddr.data = key->vaddr.b;
	d->pgroup = key->pgroup[0] ? key->pgroup : NULL;
}

/* Index of t's domain in the batch, adding it if needed; -ENOSPC. */
static long domain_index(struct wire_batch *b, const struct pccvs_tpl *t,
			 size_t *extra)
{
	size_t i;

	*extra = 0;
	if (b->n_dom && tpl_domain_eq(&b->domkey[b->last_dom], t))
		return (long)b->last_dom;
	for (i = 0; i < b->n_dom; i++)
		if (tpl_domain_eq(&b->domkey[i], t))
			return (long)(b->last_dom = i);
	if (b->n_dom == WIRE_MAX_DOMAINS)
		return -ENOSPC;
	domain_fill(&b->dom[i], &b->domkey[i], t);
	*extra = domain_size(&b->dom[i]);
	*extra += 1 + wire_varint_size(*extra);
	return (long)i;
}

static bool tpl_valid(const struct pccvs_tpl *t)
{
	return af_addr_len(t->af) && (t->fwmark || t->pgroup[0] ||
				      t->protocol);
}

int wire_batch_add(struct wire_batch *b, const struct pccvs_tpl *in, bool del)
{
	size_t n = b->n_up + b->n_del, alen, extra, s;
	struct pccvs_tpl norm = *in;
	const struct pccvs_tpl *t = &norm;
	Pccvs__Template *m;
	long di;

	tpl_normalize(&norm);
	if (!tpl_valid(t))
		return -EINVAL;
	if (n >= b->cap)
		return -ENOSPC;
	di = domain_index(b, t, &extra);
	if (di < 0)
		return (int)di;
	alen = af_addr_len(t->af);
	m = &b->tpl[n];
	pccvs__template__init(m);
	m->has_domain = di != 0;
	m->domain = (uint32_t)di;
	m->has_caddr = 1;
	m->caddr.len = alen;
	m->caddr.data = b->addr[n];
	memcpy(b->addr[n], t->caddr.b, alen);
	m->has_stamp = t->stamp != 0;
	m->stamp = t->stamp;
	if (!del) {
		m->has_daddr = 1;
		m->daddr.len = alen;
		m->daddr.data = b->addr[n] + 16;
		memcpy(b->addr[n] + 16, t->daddr.b, alen);
		m->has_dport = t->dport != 0;
		m->dport = t->dport;
		m->has_remaining_ms = 1;
		m->remaining_ms = t->remaining_ms ? t->remaining_ms : 1;
		if (m->remaining_ms > WIRE_LIFETIME_MAX_MS)
			m->remaining_ms = WIRE_LIFETIME_MAX_MS;
		m->has_flags = (t->flags & PCCVS_TPL_F_CONFIRMED) != 0;
		m->flags = t->flags & PCCVS_TPL_F_CONFIRMED;
	}
	s = (m->has_domain ? fv(m->domain) : 0) + fb(alen) +
	    (m->has_stamp ? fv(m->stamp) : 0);
	if (!del)
		s += fb(alen) + (m->has_dport ? fv(m->dport) : 0) +
		     fv(m->remaining_ms) + (m->has_flags ? fv(m->flags) : 0);
	s += 1 + wire_varint_size(s);
	if (b->bytes + s + extra > b->max_bytes)
		return -ENOSPC;
	if (extra) {
		b->domp[b->n_dom] = &b->dom[b->n_dom];
		b->last_dom = b->n_dom++;
	}
	b->bytes += s + extra;
	if (del) {
		b->delp[b->n_del++] = m;
	} else {
		b->upp[b->n_up++] = m;
		if (b->want_digest)
			b->digest += tpl_record_hash(t);
	}
	return 0;
}

int wire_pack_body(const Pccvs__Envelope *e, uint8_t **out, size_t *len)
{
	size_t n = pccvs__envelope__get_packed_size(e);
	uint8_t *buf = malloc(n ? n : 1);

	if (!buf)
		return -ENOMEM;
	if (pccvs__envelope__pack(e, buf) != n) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	*len = n;
	return 0;
}

int wire_pack_batch_body(struct wire_batch *b, uint8_t **out, size_t *len)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;

	batch_wire_arrays(b);
	e.body_case = PCCVS__ENVELOPE__BODY_BATCH;
	e.batch = &b->msg;
	return wire_pack_body(&e, out, len);
}

int wire_pack_chunk_body(struct wire_batch *b, uint64_t xfer_id,
			 uint32_t target, uint8_t **out, size_t *len)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;
	Pccvs__SnapChunk c = PCCVS__SNAP_CHUNK__INIT;

	batch_wire_arrays(b);
	c.has_xfer_id = 1;
	c.xfer_id = xfer_id;
	c.has_target = 1;
	c.target = target;
	c.batch = &b->msg;
	e.body_case = PCCVS__ENVELOPE__BODY_SNAP_CHUNK;
	e.snap_chunk = &c;
	return wire_pack_body(&e, out, len);
}

static int varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (unsigned int shift = 0; shift < 64 && *p < end; shift += 7) {
		uint8_t c = *(*p)++;

		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return 0;
	}
	return -EINVAL;
}

int wire_peek_header(const void *buf, size_t len, uint64_t *seq,
		     uint64_t *incarnation, uint32_t *body_field)
{
	const uint8_t *p = buf, *end = p + len;
	bool has_seq = false, has_inc = false;
	uint64_t tag, v;

	while (p < end) {
		if (varint(&p, end, &tag) < 0 || tag >> 3 > UINT32_MAX)
			return -EINVAL;
		if ((tag & 7) == 2) {	/* the body: a length-delimited field */
			*body_field = (uint32_t)(tag >> 3);
			return has_seq && has_inc ? 0 : -EINVAL;
		}
		if ((tag & 7) != 0 || varint(&p, end, &v) < 0)
			return -EINVAL;
		if (tag >> 3 == 4) {
			*seq = v;
			has_seq = true;
		} else if (tag >> 3 == 5) {
			*incarnation = v;
			has_inc = true;
		}
	}
	return -EINVAL;
}

size_t wire_pack_header(const struct wire_hdr *h, uint8_t *buf)
{
	Pccvs__Envelope e = PCCVS__ENVELOPE__INIT;

	e.has_version = 1;
	e.version = WIRE_VERSION;
	e.has_sender = 1;
	e.sender = h->sender;
	e.has_epoch = 1;
	e.epoch = h->epoch;
	e.has_seq = 1;
	e.seq = h->seq;
	e.has_incarnation = 1;
	e.incarnation = h->incarnation;
	return pccvs__envelope__pack(&e, buf);
}
