// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pccvs_util.c: small helpers shared by the tools: addresses, names, errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "pccvs.h"

int pccvs_addr_parse(const char *s, struct pccvs_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, &out->v4) == 1) {
		out->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->v6) == 1) {
		out->af = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

const char *pccvs_addr_str(const struct pccvs_addr *a, char *buf, size_t len)
{
	if ((a->af != AF_INET && a->af != AF_INET6) ||
	    !inet_ntop(a->af, a->b, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

bool pccvs_addr_eq(const struct pccvs_addr *a, const struct pccvs_addr *b)
{
	if (a->af != b->af)
		return false;
	return !memcmp(a->b, b->b, a->af == AF_INET ? 4 : 16);
}

static const char *name_of(const char *const *names, size_t n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "?";
}

#define NAME_OF(names, i) name_of(names, sizeof(names) / sizeof(names[0]), i)

const char *pccvs_fwd_name(uint8_t fwd)
{
	static const char *const names[] = {
		[PCCVS_FWD_DR] = "Route",
		[PCCVS_FWD_TUN] = "Tunnel",
		[PCCVS_FWD_NAT] = "Masq",
	};
	return NAME_OF(names, fwd);
}

const char *pccvs_conn_state_name(uint8_t state)
{
	static const char *const names[] = {
		[PCCVS_CS_NONE] = "NONE",
		[PCCVS_CS_SYN_RECV] = "SYN_RECV",
		[PCCVS_CS_ESTABLISHED] = "ESTABLISHED",
		[PCCVS_CS_FIN_WAIT] = "FIN_WAIT",
		[PCCVS_CS_CLOSE_WAIT] = "CLOSE_WAIT",
		[PCCVS_CS_LAST_ACK] = "LAST_ACK",
		[PCCVS_CS_TIME_WAIT] = "TIME_WAIT",
		[PCCVS_CS_CLOSE] = "CLOSE",
		[PCCVS_CS_UDP] = "UDP",
	};
	return NAME_OF(names, state);
}

const char *pccvs_tpl_event_name(uint8_t ev)
{
	static const char *const names[] = {
		[PCCVS_TPL_EV_CONFIRMED] = "confirmed",
		[PCCVS_TPL_EV_REFRESHED] = "refreshed",
		[PCCVS_TPL_EV_EXPIRED] = "expired",
		[PCCVS_TPL_EV_DELETED] = "deleted",
	};
	return NAME_OF(names, ev);
}

void pccvs_err_set(struct pccvs_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}
