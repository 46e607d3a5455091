// SPDX-License-Identifier: GPL-2.0
/* info.c: --info (module counters and limits) and -L --timeout. */
#include "json.h"
#include "output.h"

void adm_print_timeouts(FILE *f, const struct pccvs_cfg *c, bool json)
{
	struct adm_json j;

	if (!json) {
		fprintf(f, "Timeout (tcp tcpfin udp): %u %u %u\n", c->tcp_est,
			c->tcp_fin_wait, c->udp);
		return;
	}
	adm_json_begin(&j, f);
	adm_json_obj(&j, "timeouts");
	adm_json_u64(&j, "tcp", c->tcp_est);
	adm_json_u64(&j, "tcpfin", c->tcp_fin_wait);
	adm_json_u64(&j, "udp", c->udp);
	adm_json_u64(&j, "tcp_syn_recv", c->tcp_syn_recv);
	adm_json_u64(&j, "tcp_time_wait", c->tcp_time_wait);
	adm_json_u64(&j, "tcp_close", c->tcp_close);
	adm_json_u64(&j, "tcp_close_wait", c->tcp_close_wait);
	adm_json_u64(&j, "tcp_last_ack", c->tcp_last_ack);
	adm_json_end(&j);
}

static void info_json(FILE *f, const struct pccvs_info *i, const struct pccvs_cfg *c)
{
	struct adm_json j;

	adm_json_begin(&j, f);
	adm_json_str(&j, "version", i->version);
	adm_json_u64(&j, "svc_count", i->svc_count);
	adm_json_u64(&j, "conn_count", i->conn_count);
	adm_json_u64(&j, "conn_max", c->conn_max);
	adm_json_u64(&j, "conn_refused", i->conn_refused);
	adm_json_u64(&j, "conn_buckets", i->conn_buckets);
	adm_json_u64(&j, "conn_size", i->conn_size);
	adm_json_u64(&j, "tpl_count", i->tpl_count);
	adm_json_u64(&j, "tpl_max", c->tpl_max);
	adm_json_u64(&j, "tpl_refused", i->tpl_refused);
	adm_json_u64(&j, "tpl_buckets", i->tpl_buckets);
	adm_json_u64(&j, "tpl_size", i->tpl_size);
	adm_json_u64(&j, "restored", i->restored);
	adm_json_u64(&j, "no_template_drops", i->no_template_drops);
	adm_json_u64(&j, "ev_seq", i->ev_seq);
	adm_json_u64(&j, "ev_lost", i->ev_lost);
	adm_json_u64(&j, "tpl_injected", i->tpl_injected);
	adm_json_u64(&j, "tpl_stale", i->tpl_stale);
	adm_json_u64(&j, "refresh_pct", c->refresh_pct);
	adm_json_end(&j);
}

void adm_print_info(FILE *f, const struct pccvs_info *i,
		    const struct pccvs_cfg *c, bool json)
{
	if (json) {
		info_json(f, i, c);
		return;
	}
	fprintf(f, "pccvs module version %s\n", i->version);
	fprintf(f, "  %-20s %u\n", "services", i->svc_count);
	fprintf(f, "  %-20s %u of %u (refused %llu)\n", "connections", i->conn_count,
		c->conn_max, (unsigned long long)i->conn_refused);
	fprintf(f, "  %-20s %u of %u (refused %llu)\n", "templates", i->tpl_count,
		c->tpl_max, (unsigned long long)i->tpl_refused);
	fprintf(f, "  %-20s %u buckets, %u bytes per entry\n", "connection table",
		i->conn_buckets, i->conn_size);
	fprintf(f, "  %-20s %u buckets, %u bytes per entry\n", "template table",
		i->tpl_buckets, i->tpl_size);
	fprintf(f, "  %-20s %llu connections restored from templates, %llu packets dropped without one\n",
		"mid-stream", (unsigned long long)i->restored,
		(unsigned long long)i->no_template_drops);
	fprintf(f, "  %-20s batch %llu, %llu lost; refresh announced after %u%% of the timeout\n",
		"events", (unsigned long long)i->ev_seq, (unsigned long long)i->ev_lost,
		c->refresh_pct);
	fprintf(f, "  %-20s %llu applied, %llu stale\n", "injected templates",
		(unsigned long long)i->tpl_injected, (unsigned long long)i->tpl_stale);
}
