// SPDX-License-Identifier: GPL-2.0
/*
 * lib_parse.c: libFuzzer target for libpccvs' parsing of what the kernel
 * sends: one datagram of netlink messages (replies, ACKs and errors with
 * extack, dump parts, event batches) through pccvs_rx_process(), every
 * message's attributes through the struct parsers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pccvs_msg.h"

#define FUZZ_FAMILY 0x1a

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int tpl_cb(const struct pccvs_tpl *t, void *arg)
{
	return t->dport == 0xdead;	/* sometimes stop early */
}

#define PARSER(name, type)                                                    \
	static int name(const struct nlattr *a, void *arg)                    \
	{                                                                     \
		type out;                                                     \
		return pccvs_##name(a, &out) == 0 ? 0 : 0;                    \
	}
PARSER(parse_svc, struct pccvs_svc)
PARSER(parse_tpl, struct pccvs_tpl)
PARSER(parse_conn, struct pccvs_conn)
PARSER(parse_cfg, struct pccvs_cfg)
PARSER(parse_info, struct pccvs_info)
PARSER(parse_result, struct pccvs_result)

static int parse_dest(const struct nlattr *a, void *arg)
{
	struct pccvs_dest out;

	pccvs_parse_dest(a, 0, &out);
	pccvs_parse_dest(a, AF_INET6, &out);
	return 0;
}

static int parse_all(const struct nlmsghdr *nlh, void *arg)
{
	static const struct {
		int type;
		int (*fn)(const struct nlattr *a, void *arg);
	} parsers[] = {
		{ PCCVS_A_SVC, parse_svc }, { PCCVS_A_DEST, parse_dest },
		{ PCCVS_A_TPL, parse_tpl }, { PCCVS_A_CONN, parse_conn },
		{ PCCVS_A_CFG, parse_cfg }, { PCCVS_A_INFO, parse_info },
		{ PCCVS_A_RESULT, parse_result },
	};
	const struct genlmsghdr *g;
	const struct nlattr *attrs;
	uint64_t seq;
	size_t i;
	int len;

	if (pccvs_parse_ctrl_delfamily(nlh, FUZZ_FAMILY) ||
	    nlh->nlmsg_type != FUZZ_FAMILY ||
	    pccvs_msg_attrs(nlh, &g, &attrs, &len))
		return 0;
	if (g->cmd == PCCVS_CMD_TPL_EVENT)
		return pccvs_parse_event(nlh, &seq, tpl_cb, NULL) > 0;
	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		pccvs_msg_foreach(attrs, len, parsers[i].type, parsers[i].fn, NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An aligned copy, as a receive buffer would be. */
	void *buf = malloc(size ? size : 1);
	struct pccvs_rx rx = { .family = FUZZ_FAMILY, .any_type = true,
			       .data = parse_all };

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	pccvs_rx_process(&rx, buf, size);
	free(buf);
	return 0;
}
