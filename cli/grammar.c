// SPDX-License-Identifier: GPL-2.0
/*
 * grammar.c: the verb table (which options each command takes and needs,
 * ipvsadm's command x option matrix as data) and the option table.
 */
#include <stdio.h>
#include "grammar.h"

#define O(id) ADM_OPT(ADM_O_##id)
#define SVC_ANY (ADM_SVC_OPTS | O(IPV6))
#define SVC_PARAMS (O(SCHED) | O(PERSIST) | O(NETMASK) | O(SCHED_FLAGS) | O(PGROUP))
#define DEST_PARAMS (O(GATE) | O(IPIP) | O(MASQ) | O(WEIGHT) | O(UTHRESH) | \
		     O(LTHRESH) | O(TUN_TYPE))
#define LIST_OPTS (O(NUMERIC) | O(CONN) | O(STATS) | O(RATE) | O(EXACT) | \
		   O(SORT) | O(NOSORT) | O(PERSIST_CONN) | O(TIMEOUT) | \
		   O(THRESHOLDS) | O(TEMPLATES) | O(OUTPUT))

const struct adm_verb adm_verbs[] = {
	{ ADM_V_SVC_ADD, 'A', "add-service", ADM_SVC_ADD,
	  SVC_ANY | SVC_PARAMS | O(ALL_PORTS), ADM_NEED_SVC, 0, true },
	{ ADM_V_SVC_EDIT, 'E', "edit-service", ADM_SVC_EDIT,
	  SVC_ANY | SVC_PARAMS | O(ALL_PORTS), ADM_NEED_SVC, 0, true },
	{ ADM_V_SVC_DEL, 'D', "delete-service", ADM_SVC_DEL, SVC_ANY,
	  ADM_NEED_SVC, 0, true },
	{ ADM_V_DEST_ADD, 'a', "add-server", ADM_DEST_ADD,
	  SVC_ANY | O(REAL) | DEST_PARAMS | O(ALL_PORTS),
	  ADM_NEED_SVC | ADM_NEED_DEST, 0, true },
	{ ADM_V_DEST_EDIT, 'e', "edit-server", ADM_DEST_EDIT,
	  SVC_ANY | O(REAL) | DEST_PARAMS | O(ALL_PORTS),
	  ADM_NEED_SVC | ADM_NEED_DEST, 0, true },
	{ ADM_V_DEST_DEL, 'd', "delete-server", ADM_DEST_DEL,
	  SVC_ANY | O(REAL) | O(ALL_PORTS), ADM_NEED_SVC | ADM_NEED_DEST, 0, true },
	{ ADM_V_CLEAR, 'C', "clear", ADM_CLEAR, 0, 0, 0, true },
	{ ADM_V_ZERO, 'Z', "zero", ADM_ZERO, SVC_ANY, 0, 0, true },
	{ ADM_V_SET, 0, "set", ADM_SET_CFG, 0, 0, 3, true },
	{ ADM_V_SET_LIMITS, 0, "set-limits", ADM_SET_CFG, 0, 0, 2, true },
	{ ADM_V_RESTORE, 'R', "restore", ADM_OP_NONE, 0, 0, 0, false },
	{ ADM_V_SAVE, 'S', "save", ADM_OP_NONE, O(NUMERIC), 0, 0, false },
	{ ADM_V_LIST, 'L', "list", ADM_OP_NONE, SVC_ANY | LIST_OPTS, 0, 0, false },
	{ ADM_V_INFO, 0, "info", ADM_OP_NONE, O(OUTPUT), 0, 0, false },
	{ ADM_V_HELP, 'h', "help", ADM_OP_NONE, 0, 0, 0, false },
	/* a word, not an option: "pccvsadm cluster ..." (parse_cluster) */
	{ ADM_V_CLUSTER, 0, "cluster", ADM_OP_NONE, 0, 0, 0, false },
	{ ADM_V_NONE, 0, NULL, ADM_OP_NONE, 0, 0, 0, false },
};

const struct adm_verb *adm_verb_get(enum adm_verb_id id)
{
	const struct adm_verb *v;

	for (v = adm_verbs; v->id != ADM_V_NONE; v++)
		if (v->id == id)
			return v;
	return NULL;
}

const char *adm_verb_str(const struct adm_verb *v, char *buf, size_t len)
{
	if (v->sname)
		snprintf(buf, len, "-%c (--%s)", v->sname, v->lname);
	else
		snprintf(buf, len, "--%s", v->lname);
	return buf;
}

#define DAEMON_NO "belongs to the IPVS sync daemon; pccvs replicates templates with pccvs-syncd instead"
#define TUN_NO "is not supported by pccvs: tunnels are always ipip (-i)"

const struct adm_optdesc adm_opts[] = {
	/* commands */
	{ "add-service", 'A', -1, ADM_V_SVC_ADD, ADM_ARG_NONE, NULL },
	{ "edit-service", 'E', -1, ADM_V_SVC_EDIT, ADM_ARG_NONE, NULL },
	{ "delete-service", 'D', -1, ADM_V_SVC_DEL, ADM_ARG_NONE, NULL },
	{ "add-server", 'a', -1, ADM_V_DEST_ADD, ADM_ARG_NONE, NULL },
	{ "edit-server", 'e', -1, ADM_V_DEST_EDIT, ADM_ARG_NONE, NULL },
	{ "delete-server", 'd', -1, ADM_V_DEST_DEL, ADM_ARG_NONE, NULL },
	{ "clear", 'C', -1, ADM_V_CLEAR, ADM_ARG_NONE, NULL },
	{ "zero", 'Z', -1, ADM_V_ZERO, ADM_ARG_NONE, NULL },
	{ "set", 0, -1, ADM_V_SET, ADM_ARG_NONE, NULL },
	{ "set-limits", 0, -1, ADM_V_SET_LIMITS, ADM_ARG_NONE, NULL },
	{ "restore", 'R', -1, ADM_V_RESTORE, ADM_ARG_NONE, NULL },
	{ "save", 'S', -1, ADM_V_SAVE, ADM_ARG_NONE, NULL },
	{ "list", 'L', -1, ADM_V_LIST, ADM_ARG_NONE, NULL },
	{ NULL, 'l', -1, ADM_V_LIST, ADM_ARG_NONE, NULL },
	{ "info", 0, -1, ADM_V_INFO, ADM_ARG_NONE, NULL },
	{ "help", 'h', -1, ADM_V_HELP, ADM_ARG_NONE, NULL },
	/* options */
	{ "tcp-service", 't', ADM_O_TCP, 0, ADM_ARG_REQ, NULL },
	{ "udp-service", 'u', ADM_O_UDP, 0, ADM_ARG_REQ, NULL },
	{ "sctp-service", 0, ADM_O_SCTP, 0, ADM_ARG_REQ, NULL },
	{ "fwmark-service", 'f', ADM_O_FWMARK, 0, ADM_ARG_REQ, NULL },
	{ "ipv6", '6', ADM_O_IPV6, 0, ADM_ARG_NONE, NULL },
	{ "scheduler", 's', ADM_O_SCHED, 0, ADM_ARG_REQ, NULL },
	{ "persistent", 'p', ADM_O_PERSIST, 0, ADM_ARG_OPT, NULL },
	{ "netmask", 'M', ADM_O_NETMASK, 0, ADM_ARG_REQ, NULL },
	{ "sched-flags", 'b', ADM_O_SCHED_FLAGS, 0, ADM_ARG_REQ, NULL },
	{ "pgroup", 0, ADM_O_PGROUP, 0, ADM_ARG_REQ, NULL },
	{ "real-server", 'r', ADM_O_REAL, 0, ADM_ARG_REQ, NULL },
	{ "gatewaying", 'g', ADM_O_GATE, 0, ADM_ARG_NONE, NULL },
	{ "ipip", 'i', ADM_O_IPIP, 0, ADM_ARG_NONE, NULL },
	{ "masquerading", 'm', ADM_O_MASQ, 0, ADM_ARG_NONE, NULL },
	{ "weight", 'w', ADM_O_WEIGHT, 0, ADM_ARG_REQ, NULL },
	{ "u-threshold", 'x', ADM_O_UTHRESH, 0, ADM_ARG_REQ, NULL },
	{ "l-threshold", 'y', ADM_O_LTHRESH, 0, ADM_ARG_REQ, NULL },
	{ "all-ports", 0, ADM_O_ALL_PORTS, 0, ADM_ARG_NONE, NULL },
	{ "tun-type", 0, ADM_O_TUN_TYPE, 0, ADM_ARG_REQ, NULL },
	{ "numeric", 'n', ADM_O_NUMERIC, 0, ADM_ARG_NONE, NULL },
	{ "connection", 'c', ADM_O_CONN, 0, ADM_ARG_NONE, NULL },
	{ "stats", 0, ADM_O_STATS, 0, ADM_ARG_NONE, NULL },
	{ "rate", 0, ADM_O_RATE, 0, ADM_ARG_NONE, NULL },
	{ "exact", 0, ADM_O_EXACT, 0, ADM_ARG_NONE, NULL },
	{ "sort", 0, ADM_O_SORT, 0, ADM_ARG_NONE, NULL },
	{ "nosort", 0, ADM_O_NOSORT, 0, ADM_ARG_NONE, NULL },
	{ "persistent-conn", 0, ADM_O_PERSIST_CONN, 0, ADM_ARG_NONE, NULL },
	{ "timeout", 0, ADM_O_TIMEOUT, 0, ADM_ARG_NONE, NULL },
	{ "thresholds", 0, ADM_O_THRESHOLDS, 0, ADM_ARG_NONE, NULL },
	{ "templates", 0, ADM_O_TEMPLATES, 0, ADM_ARG_NONE, NULL },
	/* -o is ipvsadm's --ops unless "json" or "text" follows */
	{ "output", 'o', ADM_O_OUTPUT, 0, ADM_ARG_REQ, NULL },
	/* ipvsadm options pccvs refuses, each with its reason */
	{ "ops", 0, -1, 0, ADM_ARG_NONE,
	  "one-packet scheduling (-o, --ops) is not supported by pccvs" },
	{ "pe", 0, -1, 0, ADM_ARG_NONE,
	  "persistence engines (--pe) are not supported by pccvs" },
	{ "tun-port", 0, -1, 0, ADM_ARG_NONE, "--tun-port " TUN_NO },
	{ "tun-nocsum", 0, -1, 0, ADM_ARG_NONE, "--tun-nocsum " TUN_NO },
	{ "tun-csum", 0, -1, 0, ADM_ARG_NONE, "--tun-csum " TUN_NO },
	{ "tun-remcsum", 0, -1, 0, ADM_ARG_NONE, "--tun-remcsum " TUN_NO },
	{ "tun-info", 0, -1, 0, ADM_ARG_NONE, "--tun-info " TUN_NO },
	{ "start-daemon", 0, -1, 0, ADM_ARG_NONE, "--start-daemon " DAEMON_NO },
	{ "stop-daemon", 0, -1, 0, ADM_ARG_NONE, "--stop-daemon " DAEMON_NO },
	{ "daemon", 0, -1, 0, ADM_ARG_NONE, "--daemon " DAEMON_NO },
	{ "mcast-interface", 0, -1, 0, ADM_ARG_NONE, "--mcast-interface " DAEMON_NO },
	{ "mcast-group", 0, -1, 0, ADM_ARG_NONE, "--mcast-group " DAEMON_NO },
	{ "mcast-port", 0, -1, 0, ADM_ARG_NONE, "--mcast-port " DAEMON_NO },
	{ "mcast-ttl", 0, -1, 0, ADM_ARG_NONE, "--mcast-ttl " DAEMON_NO },
	{ "syncid", 0, -1, 0, ADM_ARG_NONE, "--syncid " DAEMON_NO },
	{ "sync-maxlen", 0, -1, 0, ADM_ARG_NONE, "--sync-maxlen " DAEMON_NO },
	{ NULL, 0, -1, 0, ADM_ARG_NONE, NULL },
};

const struct adm_optdesc *adm_opt_get(enum adm_opt_id id)
{
	const struct adm_optdesc *d;

	for (d = adm_opts; d->lname || d->sname; d++)
		if (d->id == (int)id)
			return d;
	return NULL;
}

const char *adm_opt_str(enum adm_opt_id id, char *buf, size_t len)
{
	const struct adm_optdesc *d = adm_opt_get(id);

	if (d && d->sname)
		snprintf(buf, len, "-%c", d->sname);
	else if (d)
		snprintf(buf, len, "--%s", d->lname);
	else
		snprintf(buf, len, "?");
	return buf;
}
