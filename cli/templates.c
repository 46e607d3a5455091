// SPDX-License-Identifier: GPL-2.0
/*
 * templates.c: -L --templates, the persistence templates: domain (service,
 * port group or firewall mark), client, real server, time left, whether
 * confirmed, controlled connections, and where the last change came from.
 */
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "names.h"
#include "output.h"

static int cmp_tpl(const void *pa, const void *pb)
{
	const struct pccvs_tpl *a = pa, *b = pb;
	int r;

	if ((r = adm_cmp_u64(a->fwmark, b->fwmark)) || (r = adm_cmp_u64(a->af, b->af)) ||
	    (r = strcmp(a->pgroup, b->pgroup)) ||
	    (r = memcmp(a->vaddr.b, b->vaddr.b, sizeof(a->vaddr.b))) ||
	    (r = adm_cmp_u64(a->protocol, b->protocol)) || (r = adm_cmp_u64(a->vport, b->vport)))
		return r;
	return memcmp(a->caddr.b, b->caddr.b, sizeof(a->caddr.b));
}

/* Protocol column and domain: "TCP 192.0.2.10:80", "GRP web@192.0.2.10", "FWM 7". */
static void domain(const struct pccvs_tpl *t, bool numeric, const char **pro,
		   char *buf, size_t len)
{
	char a[ADM_NAME_STRLEN];

	if (t->fwmark) {
		*pro = "FWM";
		snprintf(buf, len, "%u%s", t->fwmark, t->af == AF_INET6 ? " IPv6" : "");
	} else if (t->pgroup[0]) {
		*pro = "GRP";
		pccvs_addr_str(&t->vaddr, a, sizeof(a));
		snprintf(buf, len, t->af == AF_INET6 ? "%s@[%s]" : "%s@%s", t->pgroup, a);
	} else {
		*pro = adm_proto_name(t->protocol);
		adm_addrport_name(&t->vaddr, t->vport, t->protocol, numeric, buf, len);
	}
}

static void text_tpl(FILE *f, const struct pccvs_tpl *t, bool numeric)
{
	char dom[ADM_NAME_STRLEN + 20], cl[ADM_ADDR_STRLEN + 8], sv[ADM_NAME_STRLEN], ex[48];
	unsigned long long s = t->remaining_ms / 1000;
	const char *pro;

	domain(t, numeric, &pro, dom, sizeof(dom));
	pccvs_addr_str(&t->caddr, cl, sizeof(cl));
	if (t->netmask && t->netmask < adm_full_mask(t->af))
		snprintf(cl + strlen(cl), sizeof(cl) - strlen(cl), "/%u", t->netmask);
	adm_addrport_name(&t->daddr, t->dport, t->protocol, numeric, sv, sizeof(sv));
	snprintf(ex, sizeof(ex), "%02llu:%02llu", s / 60, s % 60);
	fprintf(f, "%-4s %-24s %-20s %-22s %-7s %-9s %-5u %s\n", pro, dom, cl, sv, ex,
		t->flags & PCCVS_TPL_F_CONFIRMED ? "yes" : "no", t->nctl,
		t->flags & PCCVS_TPL_F_REPLICATED ? "replicated" : "local");
}

static void json_tpl(struct adm_json *j, const struct pccvs_tpl *t)
{
	char a[ADM_ADDR_STRLEN];

	adm_json_obj(j, NULL);
	adm_json_str(j, "af", t->af == AF_INET6 ? "inet6" : "inet");
	adm_json_str(j, "protocol", t->protocol ? adm_proto_name(t->protocol) : "");
	adm_json_str(j, "virtual_address", t->vaddr.af ? pccvs_addr_str(&t->vaddr, a, sizeof(a)) : "");
	adm_json_u64(j, "virtual_port", t->vport);
	adm_json_u64(j, "fwmark", t->fwmark);
	adm_json_str(j, "pgroup", t->pgroup);
	adm_json_str(j, "client_address", pccvs_addr_str(&t->caddr, a, sizeof(a)));
	adm_json_u64(j, "netmask", t->netmask);
	adm_json_str(j, "server_address", pccvs_addr_str(&t->daddr, a, sizeof(a)));
	adm_json_u64(j, "server_port", t->dport);
	adm_json_u64(j, "expires_ms", t->remaining_ms);
	adm_json_u64(j, "timeout", t->timeout);
	adm_json_bool(j, "confirmed", t->flags & PCCVS_TPL_F_CONFIRMED);
	adm_json_str(j, "origin", t->flags & PCCVS_TPL_F_REPLICATED ? "replicated" : "local");
	adm_json_u64(j, "controlled_conns", t->nctl);
	adm_json_u64(j, "stamp", t->stamp);
	adm_json_close(j);
}

void adm_print_templates(FILE *f, struct pccvs_tpl *v, size_t n,
			 const struct adm_fmt *fmt, bool sort)
{
	struct adm_json j;
	size_t i;

	if (sort && n)
		qsort(v, n, sizeof(*v), cmp_tpl);
	if (fmt->json) {
		adm_json_begin(&j, f);
		adm_json_arr(&j, "templates");
		for (i = 0; i < n; i++)
			json_tpl(&j, &v[i]);
		adm_json_end(&j);
		return;
	}
	fprintf(f, "Persistence templates\n");
	fprintf(f, "%-4s %-24s %-20s %-22s %-7s %-9s %-5s %s\n", "Prot", "Domain",
		"Client", "Server", "Expire", "Confirmed", "Conns", "Origin");
	for (i = 0; i < n; i++)
		text_tpl(f, &v[i], fmt->numeric);
}
