// SPDX-License-Identifier: GPL-2.0
/*
 * token.c: strict parsers for the values of options. Each quotes the bad
 * token and says the rule it broke; none does I/O.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "parse.h"

const char *const adm_schedulers[] = {
	"rr", "wrr", "lc", "wlc", "sed", "nq", "sh", "mh", NULL
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Host and service names: letters, digits, '.', '-', '_', not all digits. */
static bool is_name(const char *s, size_t len, size_t max)
{
	bool alpha = false;
	size_t i;

	if (!len || len >= max)
		return false;
	for (i = 0; i < len; i++) {
		if (is_alpha(s[i]))
			alpha = true;
		else if (!is_digit(s[i]) && s[i] != '.' && s[i] != '-' && s[i] != '_')
			return false;
	}
	return alpha;
}

int adm_parse_u32(const char *tok, const char *what, uint32_t min,
		  uint32_t max, uint32_t *out, struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];
	uint64_t v = 0;
	const char *p;

	for (p = tok; is_digit(*p) && v <= UINT32_MAX; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (p == tok || *p || v < min || v > max)
		return adm_err(err, -EINVAL, "invalid %s `%s': must be %u-%u", what,
			       adm_quote(tok, q, sizeof(q)), min, max);
	*out = (uint32_t)v;
	return 0;
}

static int parse_port(const char *tok, const char *what, uint16_t *port,
		      struct adm_name *name, struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];
	uint32_t v;

	if (is_digit(*tok)) {
		if (adm_parse_u32(tok, "port", 0, 65535, &v, err))
			return -EINVAL;
		*port = (uint16_t)v;
		return 0;
	}
	if (!is_name(tok, strlen(tok), sizeof(name->port)))
		return adm_err(err, -EINVAL,
			       "invalid port `%s' in %s: must be 0-65535 or a service name",
			       adm_quote(tok, q, sizeof(q)), what);
	strcpy(name->port, tok);
	return 0;
}

static int parse_host(const char *host, size_t len, bool v6, const char *what,
		      struct pccvs_addr *addr, struct adm_name *name,
		      struct pccvs_err *err)
{
	char buf[ADM_HOST_MAX], q[ADM_QUOTE_MAX];
	size_t i;

	if (len >= sizeof(buf) || !len)
		goto bad;
	memcpy(buf, host, len);
	buf[len] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, addr->b) == 1) {
		addr->af = v6 ? AF_INET6 : AF_INET;
		return 0;
	}
	if (!v6 && inet_pton(AF_INET6, buf, addr->b) == 1)
		return adm_err(err, -EINVAL,
			       "invalid %s `%s': write IPv6 addresses in brackets, as in [%s]:80",
			       what, adm_quote(buf, q, sizeof(q)), buf);
	for (i = 0; i < len && (is_digit(buf[i]) || buf[i] == '.'); i++)
		;
	if (i == len && !v6)
		return adm_err(err, -EINVAL, "invalid %s `%s': not an IPv4 address",
			       what, adm_quote(buf, q, sizeof(q)));
	if (!is_name(buf, len, sizeof(name->host)) || buf[0] == '-')
		goto bad;
	memset(addr, 0, sizeof(*addr));
	strcpy(name->host, buf);
	name->v6 = v6;
	return 0;
bad:
	snprintf(buf, sizeof(buf), "%.*s", (int)(len < 100 ? len : 100), host);
	return adm_err(err, -EINVAL, "invalid %s `%s': not an %s address or host name",
		       what, adm_quote(buf, q, sizeof(q)), v6 ? "IPv6" : "IPv4");
}

int adm_parse_hostport(const char *tok, const char *what,
		       struct pccvs_addr *addr, uint16_t *port,
		       struct adm_name *name, struct pccvs_err *err)
{
	const char *end, *colon;
	char q[ADM_QUOTE_MAX];

	memset(addr, 0, sizeof(*addr));
	memset(name, 0, sizeof(*name));
	*port = 0;
	if (!*tok)
		return adm_err(err, -EINVAL, "invalid %s `': empty", what);
	if (*tok == '[') {
		end = strchr(tok, ']');
		if (!end)
			return adm_err(err, -EINVAL, "invalid %s `%s': missing `]'",
				       what, adm_quote(tok, q, sizeof(q)));
		if (end[1] && end[1] != ':')
			return adm_err(err, -EINVAL,
				       "invalid %s `%s': expected `:port' after `]'",
				       what, adm_quote(tok, q, sizeof(q)));
		if (parse_host(tok + 1, (size_t)(end - tok - 1), true, what, addr,
			       name, err))
			return -EINVAL;
		return end[1] ? parse_port(end + 2, what, port, name, err) : 0;
	}
	colon = strchr(tok, ':');
	if (colon && strchr(colon + 1, ':')) {
		/* Not a name (no ':' there): at best an unbracketed IPv6. */
		parse_host(tok, strlen(tok), false, what, addr, name, err);
		return -EINVAL;
	}
	if (parse_host(tok, colon ? (size_t)(colon - tok) : strlen(tok), false,
		       what, addr, name, err))
		return -EINVAL;
	return colon ? parse_port(colon + 1, what, port, name, err) : 0;
}

static int mask_prefix(const uint8_t b[4])
{
	uint32_t m = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		     (uint32_t)b[2] << 8 | b[3];
	int n = 0;

	while (n < 32 && (m & (1U << (31 - n))))
		n++;
	return n < 32 && (m << n) ? -1 : n;
}

int adm_parse_netmask(const char *tok, uint8_t *prefix, bool *dotted,
		      struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];
	uint8_t b[16];
	uint32_t v;
	int n;

	*dotted = strchr(tok, '.') != NULL;
	if (!*dotted) {
		if (adm_parse_u32(tok, "netmask", 0, 128, &v, NULL))
			return adm_err(err, -EINVAL,
				       "invalid netmask `%s': must be a dotted IPv4 mask such as 255.255.255.0 or a prefix length 0-128",
				       adm_quote(tok, q, sizeof(q)));
		*prefix = (uint8_t)v;
		return 0;
	}
	if (inet_pton(AF_INET, tok, b) != 1)
		return adm_err(err, -EINVAL,
			       "invalid netmask `%s': not a dotted IPv4 mask such as 255.255.255.0",
			       adm_quote(tok, q, sizeof(q)));
	n = mask_prefix(b);
	if (n < 0)
		return adm_err(err, -EINVAL,
			       "invalid netmask `%s': the one bits must be contiguous",
			       adm_quote(tok, q, sizeof(q)));
	*prefix = (uint8_t)n;
	return 0;
}

int adm_parse_sched(const char *tok, char *out, struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];
	size_t i;

	for (i = 0; adm_schedulers[i]; i++) {
		if (!strcmp(tok, adm_schedulers[i])) {
			snprintf(out, PCCVS_SCHED_NAME_MAX, "%s", tok);
			return 0;
		}
	}
	return adm_err(err, -EINVAL,
		       "unknown scheduler `%s': must be one of rr wrr lc wlc sed nq sh mh",
		       adm_quote(tok, q, sizeof(q)));
}

static const struct {
	const char *name;
	uint32_t flag;
	enum adm_sched_family fam;
} sched_flags[] = {
	{ "sh-fallback", PCCVS_SVC_F_SCHED1, ADM_SF_SH },
	{ "sh-port", PCCVS_SVC_F_SCHED2, ADM_SF_SH },
	{ "mh-fallback", PCCVS_SVC_F_SCHED1, ADM_SF_MH },
	{ "mh-port", PCCVS_SVC_F_SCHED2, ADM_SF_MH },
	{ "flag-1", PCCVS_SVC_F_SCHED1, ADM_SF_GENERIC },
	{ "flag-2", PCCVS_SVC_F_SCHED2, ADM_SF_GENERIC },
	{ "flag-3", PCCVS_SVC_F_SCHED3, ADM_SF_GENERIC },
};
#define N_SCHED_FLAGS (sizeof(sched_flags) / sizeof(sched_flags[0]))

static int sched_flag(const char *w, size_t len, uint32_t *flags,
		      enum adm_sched_family *fam, struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];
	size_t i;

	for (i = 0; i < N_SCHED_FLAGS; i++) {
		if (strlen(sched_flags[i].name) != len ||
		    strncmp(w, sched_flags[i].name, len))
			continue;
		if (sched_flags[i].fam != ADM_SF_GENERIC) {
			if (*fam > ADM_SF_GENERIC && *fam != sched_flags[i].fam)
				return adm_err(err, -EINVAL,
					       "scheduler flag `%s' mixes sh and mh flags",
					       sched_flags[i].name);
			*fam = sched_flags[i].fam;
		} else if (*fam == ADM_SF_NONE) {
			*fam = ADM_SF_GENERIC;
		}
		*flags |= sched_flags[i].flag;
		return 0;
	}
	snprintf(q, sizeof(q), "%.*s", (int)(len < 60 ? len : 60), w);
	return adm_err(err, -EINVAL,
		       "invalid scheduler flag `%s': must be sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3 or none",
		       adm_quote(q, q, sizeof(q)));
}

int adm_parse_sched_flags(const char *tok, uint32_t *flags,
			  enum adm_sched_family *fam, struct pccvs_err *err)
{
	const char *w = tok, *c;

	*flags = 0;
	*fam = ADM_SF_NONE;
	if (!strcmp(tok, "none"))
		return 0;
	for (;;) {
		c = strchr(w, ',');
		if (sched_flag(w, c ? (size_t)(c - w) : strlen(w), flags, fam, err))
			return -EINVAL;
		if (!c)
			return 0;
		w = c + 1;
	}
}

const char *adm_sched_flags_str(const char *sched, uint32_t flags, char *buf,
				size_t len)
{
	enum adm_sched_family fam = !strcmp(sched, "sh") ? ADM_SF_SH :
				    !strcmp(sched, "mh") ? ADM_SF_MH : ADM_SF_GENERIC;
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < N_SCHED_FLAGS && n < len; i++) {
		if (!(flags & sched_flags[i].flag))
			continue;
		if (sched_flags[i].fam != fam &&
		    !(sched_flags[i].flag == PCCVS_SVC_F_SCHED3))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      sched_flags[i].name);
	}
	return buf;
}

int adm_parse_pgroup(const char *tok, char *out, struct pccvs_err *err)
{
	char q[ADM_QUOTE_MAX];
	size_t i, len = strlen(tok);

	if (!strcmp(tok, "none")) {
		out[0] = '\0';
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (!is_alpha(tok[i]) && !is_digit(tok[i]) && tok[i] != '_' &&
		    tok[i] != '.' && tok[i] != '-')
			break;
	}
	if (!len || i < len || len >= PCCVS_PGROUP_NAME_MAX)
		return adm_err(err, -EINVAL,
			       "invalid port group `%s': must be 1-15 characters of A-Z a-z 0-9 _ . -",
			       adm_quote(tok, q, sizeof(q)));
	memcpy(out, tok, len + 1);
	return 0;
}
