// SPDX-License-Identifier: GPL-2.0
/*
 * ha_conf.c: the HA keys of syncd.conf, parsed strictly (ha_conf.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ha_conf.h"

#define PREEMPT_DELAY_MAX 3600000u

static const char *const keys[] = {
	"vip", "preempt", "preempt_delay", "garp_count", "garp_interval_ms",
	"notify", NULL,
};

bool ha_conf_is_key(const char *name)
{
	for (int i = 0; keys[i]; i++)
		if (strcmp(keys[i], name) == 0)
			return true;
	return false;
}

bool ha_conf_key_repeats(const char *name)
{
	return strcmp(name, "vip") == 0;
}

void ha_conf_defaults(struct ha_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->garp_count = 5;
	c->garp_interval_ms = 200;
}

__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int parse_num(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -ERANGE;
	}
	if (*s || v < min)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* Linux's dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or
 * white space. */
static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* An address a director may hold as a VIP: unicast, not loopback, not
 * unspecified, not IPv6 link-local. */
static const char *vip_addr_problem(int af, const uint8_t *a)
{
	static const uint8_t zero[16];

	if (af == AF_INET) {
		if (!memcmp(a, zero, 4))
			return "the unspecified address";
		if (a[0] == 127)
			return "a loopback address";
		if (a[0] >= 224)
			return "a multicast or reserved address";
		return NULL;
	}
	if (!memcmp(a, zero, 16))
		return "the unspecified address";
	if (!memcmp(a, zero, 15) && a[15] == 1)
		return "the loopback address";
	if (a[0] == 0xff)
		return "a multicast address";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "a link-local address";
	return NULL;
}

static int parse_vip(struct ha_conf *c, const char *val, char *err, size_t len)
{
	char buf[128], *w[4], *save = NULL, *slash;
	struct ha_vip v = { 0 };
	uint32_t plen;
	const char *why;
	int n = 0;

	if (strlen(val) >= sizeof(buf))
		return bad(err, len, "too long: expected `ADDR/PREFIX dev IFNAME'");
	strcpy(buf, val);
	for (char *p = strtok_r(buf, " \t", &save); p;
	     p = strtok_r(NULL, " \t", &save)) {
		if (n == 4)
			break;
		w[n++] = p;
	}
	if (n != 3 || strcmp(w[1], "dev") != 0)
		return bad(err, len, "`%s': expected `ADDR/PREFIX dev IFNAME'", val);
	if (c->n_vip == HA_VIP_MAX)
		return bad(err, len, "at most %d VIPs", HA_VIP_MAX);
	slash = strchr(w[0], '/');
	if (!slash)
		return bad(err, len, "`%s': the prefix length is required "
			   "(ADDR/PREFIX, e.g. 192.0.2.10/32)", w[0]);
	*slash++ = '\0';
	if (inet_pton(AF_INET, w[0], v.addr) == 1)
		v.af = AF_INET;
	else if (inet_pton(AF_INET6, w[0], v.addr) == 1)
		v.af = AF_INET6;
	else
		return bad(err, len, "`%s' is not a numeric IPv4 or IPv6 address",
			   w[0]);
	if (parse_num(slash, 1, v.af == AF_INET ? 32 : 128, &plen) < 0)
		return bad(err, len, "prefix `%s' must be 1..%d", slash,
			   v.af == AF_INET ? 32 : 128);
	v.prefix = (uint8_t)plen;
	why = vip_addr_problem(v.af, v.addr);
	if (why)
		return bad(err, len, "`%s' is %s", w[0], why);
	if (!ifname_ok(w[2]))
		return bad(err, len, "`%s' is not an interface name (1..%d "
			   "characters, no '/', ':' or blanks)", w[2],
			   IF_NAMESIZE - 1);
	strcpy(v.dev, w[2]);
	for (size_t i = 0; i < c->n_vip; i++)
		if (c->vip[i].af == v.af &&
		    !memcmp(c->vip[i].addr, v.addr, sizeof(v.addr)))
			return bad(err, len, "`%s' is listed twice", w[0]);
	c->vip[c->n_vip++] = v;
	return 0;
}

int ha_conf_key(struct ha_conf *c, const char *key, const char *val,
		unsigned int line, char *err, size_t errlen)
{
	uint32_t v;

	if (!strcmp(key, "vip"))
		return parse_vip(c, val, err, errlen);
	if (!strcmp(key, "preempt")) {
		if (!strcmp(val, "yes"))
			c->preempt = true;
		else if (!strcmp(val, "no"))
			c->preempt = false;
		else
			return bad(err, errlen, "`%s' must be yes or no", val);
		return 0;
	}
	if (!strcmp(key, "preempt_delay")) {
		if (parse_num(val, 0, PREEMPT_DELAY_MAX, &v) < 0)
			return bad(err, errlen, "`%s' is not an integer in 0..%u "
				   "(milliseconds)", val, PREEMPT_DELAY_MAX);
		c->preempt_delay_ms = v;
		c->line_preempt_delay = line;
		return 0;
	}
	if (!strcmp(key, "garp_count")) {
		if (parse_num(val, 1, 100, &v) < 0)
			return bad(err, errlen, "`%s' is not an integer in 1..100",
				   val);
		c->garp_count = v;
		return 0;
	}
	if (!strcmp(key, "garp_interval_ms")) {
		if (parse_num(val, 10, 10000, &v) < 0)
			return bad(err, errlen, "`%s' is not an integer in "
				   "10..10000", val);
		c->garp_interval_ms = v;
		return 0;
	}
	if (!strcmp(key, "notify")) {
		if (val[0] != '/')
			return bad(err, errlen, "`%s' must be an absolute path",
				   val);
		if (strlen(val) >= HA_NOTIFY_MAX)
			return bad(err, errlen, "path longer than %d bytes",
				   HA_NOTIFY_MAX - 1);
		for (const char *p = val; *p; p++)
			if (*p <= ' ' || *p == 0x7f)
				return bad(err, errlen, "`%s': blanks or control "
					   "characters in the path", val);
		strcpy(c->notify, val);
		return 0;
	}
	return bad(err, errlen, "not an HA key");
}

int ha_conf_check(const struct ha_conf *c, const char **key,
		  unsigned int *line, char *err, size_t errlen)
{
	if (c->line_preempt_delay && !c->preempt) {
		*key = "preempt_delay";
		*line = c->line_preempt_delay;
		return bad(err, errlen, "only valid with preempt = yes");
	}
	return 0;
}

const char *ha_vip_str(const struct ha_vip *v, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(v->af, v->addr, a, sizeof(a)))
		strcpy(a, "?");
	snprintf(buf, len, "%s/%u dev %s", a, v->prefix, v->dev);
	return buf;
}
