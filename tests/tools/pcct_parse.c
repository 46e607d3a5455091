// SPDX-License-Identifier: GPL-2.0
/* pcct_parse.c: address, endpoint and duration parsing and the reply parser of pcctraffic. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "pcct.h"

static int parse_ip(const char *s, struct pcct_addr *a)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;

	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		a->len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		a->len = sizeof(*s6);
		return 0;
	}
	return -EINVAL;
}

/* Adds k to the address (big-endian arithmetic over its bytes). */
static void addr_add(struct pcct_addr *a, unsigned long k)
{
	uint8_t *b;
	int n, i;

	if (a->ss.ss_family == AF_INET) {
		b = (uint8_t *)&((struct sockaddr_in *)&a->ss)->sin_addr;
		n = 4;
	} else {
		b = ((struct sockaddr_in6 *)&a->ss)->sin6_addr.s6_addr;
		n = 16;
	}
	for (i = n - 1; i >= 0 && k; i--) {
		unsigned long v = b[i] + (k & 0xff);

		b[i] = (uint8_t)v;
		k = (k >> 8) + (v >> 8);
	}
}

static int push(struct pcct_addr **v, size_t *n, const struct pcct_addr *a)
{
	struct pcct_addr *nv;

	if (*n >= PCCT_ADDR_MAX)
		return -E2BIG;
	if ((*n & (*n - 1)) == 0) {
		nv = realloc(*v, (*n ? *n * 2 : 1) * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = *a;
	return 0;
}

static unsigned long last_part(const struct pcct_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ((const uint8_t *)&((const struct sockaddr_in *)&a->ss)->sin_addr)[3];
	const uint8_t *b = ((const struct sockaddr_in6 *)&a->ss)->sin6_addr.s6_addr;
	return (unsigned long)b[14] << 8 | b[15];
}

static int parse_item(char *item, struct pcct_addr **v, size_t *n)
{
	struct pcct_addr a;
	char *op, *end;
	unsigned long count = 0, last, i;
	int err;

	op = strpbrk(item, "-+");
	if (op) {
		char c = *op;

		*op = '\0';
		if (parse_ip(item, &a))
			return -EINVAL;
		errno = 0;
		last = strtoul(op + 1, &end, a.ss.ss_family == AF_INET ? 10 : 16);
		if (errno || end == op + 1 || *end)
			return -EINVAL;
		if (c == '+')
			count = last;
		else if (last < last_part(&a) ||
			 last > (a.ss.ss_family == AF_INET ? 255UL : 65535UL))
			return -EINVAL;
		else
			count = last - last_part(&a);
	} else if (parse_ip(item, &a)) {
		return -EINVAL;
	}
	if (count >= PCCT_ADDR_MAX)
		return -E2BIG;
	for (i = 0; i <= count; i++) {
		err = push(v, n, &a);
		if (err)
			return err;
		addr_add(&a, 1);
	}
	return 0;
}

int pcct_parse_addrs(const char *spec, struct pcct_addr **v, size_t *n)
{
	char *copy, *item, *save = NULL;
	int err = 0;

	if (!spec || !*spec)
		return -EINVAL;
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item && !err; item = strtok_r(NULL, ",", &save))
		err = parse_item(item, v, n);
	free(copy);
	return err;
}

int pcct_parse_endpoint(const char *s, struct pcct_addr *a)
{
	char host[INET6_ADDRSTRLEN + 2], *end;
	const char *colon;
	unsigned long port;
	size_t hl;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (!colon)
			return -EINVAL;
		hl = (size_t)(colon - s - 1);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, hl);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return -EINVAL; /* bare IPv6 needs brackets */
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, hl);
	}
	host[hl] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return -EINVAL;
	if (parse_ip(host, a))
		return -EINVAL;
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons((uint16_t)port);
	return 0;
}

int pcct_parse_endpoints(const char *spec, struct pcct_addr **v, size_t *n)
{
	char *copy, *item, *save = NULL;
	struct pcct_addr a;
	int err = 0;

	if (!spec || !*spec)
		return -EINVAL;
	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item && !err; item = strtok_r(NULL, ",", &save)) {
		err = pcct_parse_endpoint(item, &a);
		if (!err)
			err = push(v, n, &a);
	}
	free(copy);
	return err;
}

int pcct_parse_ms(const char *s, int64_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || v > 1e12)
		return -EINVAL;
	if (!*end || !strcmp(end, "ms"))
		;
	else if (!strcmp(end, "s"))
		v *= 1000;
	else if (!strcmp(end, "m"))
		v *= 60000;
	else
		return -EINVAL;
	*ms = (int64_t)(v + 0.5);
	return 0;
}

const char *pcct_addr_str(const struct pcct_addr *a, int with_port, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned port;

	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a->ss;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		port = ntohs(s4->sin_port);
		if (with_port)
			snprintf(buf, size, "%s:%u", ip, port);
		else
			snprintf(buf, size, "%s", ip);
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		port = ntohs(s6->sin6_port);
		if (with_port)
			snprintf(buf, size, "[%s]:%u", ip, port);
		else
			snprintf(buf, size, "%s", ip);
	}
	return buf;
}

int pcct_reply_server(const char *buf, size_t len, char *id, size_t idsize)
{
	static const char hdr[] = "\r\nX-Server: ";
	const char *end, *p, *e;
	size_t n;

	if (len >= 5 && memcmp(buf, "HTTP/", 5))
		return -EINVAL;
	if (len < 5)
		return memcmp(buf, "HTTP/", len) ? -EINVAL : 0;
	end = memmem(buf, len, "\r\n\r\n", 4);
	if (!end)
		return len > 4096 ? -EINVAL : 0;
	p = memmem(buf, (size_t)(end - buf) + 2, hdr, sizeof(hdr) - 1);
	if (!p)
		return -EINVAL;
	p += sizeof(hdr) - 1;
	e = memchr(p, '\r', (size_t)(end + 2 - p));
	n = (size_t)(e - p);
	if (!n || n >= idsize || n >= PCCT_ID_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] > '~')
			return -EINVAL;
	memcpy(id, p, n);
	id[n] = '\0';
	return 1;
}
