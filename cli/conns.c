// SPDX-License-Identifier: GPL-2.0
/* conns.c: -L -c, the connection table, in ipvsadm -Lc's layout or JSON. */
#include "json.h"
#include "names.h"
#include "output.h"

static void json_conn(struct adm_json *j, const struct pccvs_conn *c)
{
	char a[ADM_ADDR_STRLEN];

	adm_json_obj(j, NULL);
	adm_json_str(j, "af", c->af == AF_INET6 ? "inet6" : "inet");
	adm_json_str(j, "protocol", adm_proto_name(c->protocol));
	adm_json_str(j, "client_address", pccvs_addr_str(&c->caddr, a, sizeof(a)));
	adm_json_u64(j, "client_port", c->cport);
	adm_json_str(j, "virtual_address", pccvs_addr_str(&c->vaddr, a, sizeof(a)));
	adm_json_u64(j, "virtual_port", c->vport);
	adm_json_str(j, "server_address", pccvs_addr_str(&c->daddr, a, sizeof(a)));
	adm_json_u64(j, "server_port", c->dport);
	adm_json_u64(j, "fwmark", c->fwmark);
	adm_json_str(j, "state", pccvs_conn_state_name(c->state));
	adm_json_str(j, "forward", adm_fwd_key(c->fwd));
	adm_json_u64(j, "expires_ms", c->remaining_ms);
	adm_json_bool(j, "template", c->flags & PCCVS_CONN_F_TEMPLATE);
	adm_json_bool(j, "restored", c->flags & PCCVS_CONN_F_RESTORED);
	adm_json_bool(j, "confirmed", c->flags & PCCVS_CONN_F_CONFIRMED);
	adm_json_close(j);
}

void adm_print_conns(FILE *f, struct pccvs_conn *v, size_t n,
		     const struct adm_fmt *fmt)
{
	char cn[ADM_NAME_STRLEN], vn[ADM_NAME_STRLEN], dn[ADM_NAME_STRLEN], ex[48];
	struct adm_json j;
	size_t i;

	if (fmt->json) {
		adm_json_begin(&j, f);
		adm_json_arr(&j, "connections");
		for (i = 0; i < n; i++)
			json_conn(&j, &v[i]);
		adm_json_end(&j);
		return;
	}
	fprintf(f, "IPVS connection entries\n");
	fprintf(f, "pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual",
		"destination");
	for (i = 0; i < n; i++) {
		const struct pccvs_conn *c = &v[i];
		unsigned long long s = c->remaining_ms / 1000;

		snprintf(ex, sizeof(ex), "%02llu:%02llu", s / 60, s % 60);
		fprintf(f, "%-3s %-6s %-11s %-18s %-18s %s\n", adm_proto_name(c->protocol),
			ex, pccvs_conn_state_name(c->state),
			adm_addrport_name(&c->caddr, c->cport, c->protocol, fmt->numeric, cn, sizeof(cn)),
			adm_addrport_name(&c->vaddr, c->vport, c->protocol, fmt->numeric, vn, sizeof(vn)),
			adm_addrport_name(&c->daddr, c->dport, c->protocol, fmt->numeric, dn, sizeof(dn)));
	}
}
