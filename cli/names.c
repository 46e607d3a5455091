// SPDX-License-Identifier: GPL-2.0
/* names.c: host and port names, forward (edits) and reverse (listings). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include "names.h"

static const char *proto_lc(uint8_t protocol)
{
	return protocol == IPPROTO_UDP ? "udp" :
	       protocol == IPPROTO_SCTP ? "sctp" : "tcp";
}

/* Distinct addresses of one family in res; the first lands in out. */
static int count_family(const struct addrinfo *res, int family,
			struct pccvs_addr *out)
{
	struct pccvs_addr seen[8];
	const struct addrinfo *ai;
	int n = 0, k;

	for (ai = res; ai; ai = ai->ai_next) {
		struct pccvs_addr a = { .af = (uint16_t)family };

		if (ai->ai_family != family)
			continue;
		if (family == AF_INET)
			a.v4 = ((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else
			a.v6 = ((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		for (k = 0; k < n && k < 8 && !pccvs_addr_eq(&seen[k], &a); k++)
			;
		if (k < n)
			continue;
		if (n < 8)
			seen[n] = a;
		n++;
	}
	if (n)
		*out = seen[0];
	return n;
}

static int lookup_host(const char *host, int family, struct pccvs_addr *out,
		       struct pccvs_err *err)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int r = getaddrinfo(host, NULL, &hints, &res), n;

	if (r == EAI_NONAME || r == EAI_NODATA || r == EAI_ADDRFAMILY)
		return adm_err(err, -EINVAL, "unknown host name `%s'%s", host,
			       family == AF_INET6 ? " (IPv6)" : "");
	if (r)
		return adm_err(err, -EAGAIN, "cannot resolve `%s': %s", host,
			       gai_strerror(r));
	if (family == AF_UNSPEC)
		family = count_family(res, AF_INET, out) ? AF_INET : AF_INET6;
	n = count_family(res, family, out);
	freeaddrinfo(res);
	if (!n)
		return adm_err(err, -EINVAL, "unknown host name `%s'", host);
	if (n > 1)
		return adm_err(err, -EINVAL,
			       "host name `%s' has %d %s addresses: give one address",
			       host, n, family == AF_INET6 ? "IPv6" : "IPv4");
	return 0;
}

static int lookup_port(const char *name, uint8_t protocol, uint16_t *port,
		       struct pccvs_err *err)
{
	struct servent *se = getservbyname(name, proto_lc(protocol));

	if (!se)
		return adm_err(err, -EINVAL, "unknown port name `%s' for %s", name,
			       proto_lc(protocol));
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

static int resolve_edit(struct adm_edit *e, struct pccvs_err *err)
{
	struct adm_name *sn = &e->svc_name, *dn = &e->dest_name;

	if (sn->host[0]) {
		if (lookup_host(sn->host, sn->v6 ? AF_INET6 : AF_UNSPEC,
				&e->svc.addr, err))
			return err->code;
		e->svc.af = e->svc.addr.af;
	}
	if (sn->port[0] && lookup_port(sn->port, e->svc.protocol, &e->svc.port, err))
		return err->code;
	if (dn->host[0] && lookup_host(dn->host, dn->v6 ? AF_INET6 : e->svc.af,
				       &e->dest.addr, err))
		return err->code;
	if (dn->port[0] && lookup_port(dn->port, e->svc.protocol, &e->dest.port, err))
		return err->code;
	memset(sn, 0, sizeof(*sn));
	memset(dn, 0, sizeof(*dn));
	return adm_edit_has_svc(e) || adm_edit_has_dest(e) ? adm_edit_finish(e, err) : 0;
}

int adm_resolve_edits(struct adm_edit *v, size_t n, struct pccvs_err *err)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (!adm_edit_unresolved(&v[i]))
			continue;
		ret = resolve_edit(&v[i], err);
		if (!ret)
			continue;
		adm_err_line(err, v[i].line);
		return ret;
	}
	return 0;
}

const char *adm_addrport_name(const struct pccvs_addr *a, uint16_t port,
			      uint8_t protocol, bool numeric, char *buf,
			      size_t len)
{
	struct sockaddr_storage ss = { 0 };
	char host[NI_MAXHOST], serv[32];
	struct servent *se;
	socklen_t sl;

	if (numeric)
		return adm_addrport_str(a, port, buf, len);
	if (a->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->v6;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a->v4;
		sl = sizeof(*s4);
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), NULL, 0,
			NI_NAMEREQD))
		pccvs_addr_str(a, host, sizeof(host));
	se = getservbyport(htons(port), proto_lc(protocol));
	if (se)
		snprintf(serv, sizeof(serv), "%s", se->s_name);
	else
		snprintf(serv, sizeof(serv), "%u", port);
	if (a->af == AF_INET6)
		snprintf(buf, len, "[%s]:%s", host, serv);
	else
		snprintf(buf, len, "%s:%s", host, serv);
	return buf;
}
