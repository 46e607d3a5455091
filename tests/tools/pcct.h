/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcct.h: the testable pieces of pcctraffic: address/endpoint/duration
 * parsing, the reply parser, and the load-log analyser.
 *
 * Load log (one event per line, times are wall-clock ms since the epoch so
 * they line up with host events such as the kill of a director):
 *   # pcctraffic-load v1 start_ms=T ...
 *   R <t_ms> <src> <dst> <ok|fail|reset|timeout> <server|-> <latency_ms>
 *   S <t_ms> <stream> <src> <open|data|stall|resume|rst|closed> <server|-> <info>
 * R is logged when a request's outcome is known (started at t_ms - latency);
 * S "data" carries the
 * round trip in ms, "stall" the silence so far, "resume" the whole gap.
 */
#ifndef PCCT_H
#define PCCT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#define PCCT_ID_MAX   32
#define PCCT_ADDR_MAX 65536

struct pcct_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/*
 * "A[,B...]" where an item is an address, "ADDR-LAST" (last byte for IPv4,
 * last 16-bit group in hex for IPv6: 198.51.100.1-200, 2001:db8::1-c8) or
 * "ADDR+N" (ADDR and the N following addresses). Appends to *v (realloc'd).
 */
int pcct_parse_addrs(const char *spec, struct pcct_addr **v, size_t *n);
/* "ADDR:PORT" or "[V6]:PORT"; lists "E1,E2" with pcct_parse_endpoints. */
int pcct_parse_endpoint(const char *s, struct pcct_addr *a);
int pcct_parse_endpoints(const char *spec, struct pcct_addr **v, size_t *n);
/* "250ms", "2s", "1.5s", "3m"; a bare number is milliseconds. */
int pcct_parse_ms(const char *s, int64_t *ms);
/* Address (and ":port" / "[v6]:port" when with_port) as text. */
const char *pcct_addr_str(const struct pcct_addr *a, int with_port, char *buf, size_t size);

/*
 * Reply of the HTTP-like server: finds "X-Server: ID" in the header.
 * Returns 1 with id set when the header is complete, 0 when more bytes are
 * needed, -EINVAL when the reply is not ours.
 */
int pcct_reply_server(const char *buf, size_t len, char *id, size_t idsize);

struct pcct_an_opts {
	int64_t crash_ms; /* 0: none; the longest gap between successes is the outage */
	int64_t bucket_ms; /* timeline bucket, default 1000 */
	FILE *timeline; /* CSV: t_s,<server>...,fail; NULL for none */
};

struct pcct_an_result {
	uint64_t requests, ok, failed, reset, timeout;
	int64_t first_ms, last_ms;
	/* Outage: last success before it, first success of a request started after it. */
	int64_t outage_from_ms, outage_to_ms, failover_ms; /* failover_ms -1: no recovery seen */
	uint64_t failed_in_outage;
	/* Affinity across the outage: sources with successes on both sides. */
	uint64_t affinity_clients, affinity_kept;
	/* Sources whose every success went to one server (whole run). */
	uint64_t sources, sticky_sources;
	/* Streams open at the outage (or at any time without one). */
	uint64_t streams, streams_survived, streams_rst, streams_closed;
	int64_t stream_max_stall_ms;
	uint64_t bad_lines;
	size_t nservers;
	char servers[64][PCCT_ID_MAX];
	uint64_t server_ok[64];
};

int pcct_analyse(FILE *log, const struct pcct_an_opts *o, struct pcct_an_result *r);
/* RESULT lines (prefix "RESULT "). */
void pcct_an_print(FILE *f, const struct pcct_an_result *r, int with_crash);

#endif /* PCCT_H */
