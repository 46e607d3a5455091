// SPDX-License-Identifier: GPL-2.0
/* test_pcctraffic.c: the parsing and load-log analysis pieces of pcctraffic (tests/tools). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "pcc_test.h"
#include "pcct.h"

static const char *str(const struct pcct_addr *a, int port)
{
	static char buf[64];

	return pcct_addr_str(a, port, buf, sizeof(buf));
}

static void addrs_range_and_count(void **state)
{
	struct pcct_addr *v = NULL;
	size_t n = 0;

	assert_int_equal(pcct_parse_addrs("198.51.100.1-200", &v, &n), 0);
	assert_int_equal(n, 200);
	assert_string_equal(str(&v[0], 0), "198.51.100.1");
	assert_string_equal(str(&v[199], 0), "198.51.100.200");
	assert_int_equal(pcct_parse_addrs("192.0.2.255+2,2001:db8::ffff+1", &v, &n), 0);
	assert_int_equal(n, 205);
	assert_string_equal(str(&v[201], 0), "192.0.3.0"); /* carries into the next byte */
	assert_string_equal(str(&v[204], 0), "2001:db8::1:0");
	assert_int_equal(pcct_parse_addrs("2001:db8:c::1-c8", &v, &n), 0);
	assert_int_equal(n, 405);
	assert_string_equal(str(&v[404], 0), "2001:db8:c::c8");
	free(v);
}

static void addrs_rejects(void **state)
{
	struct pcct_addr *v = NULL;
	size_t n = 0;

	assert_int_equal(pcct_parse_addrs("198.51.100.10-5", &v, &n), -EINVAL);
	assert_int_equal(pcct_parse_addrs("198.51.100.1-256", &v, &n), -EINVAL);
	assert_int_equal(pcct_parse_addrs("198.51.100.1-", &v, &n), -EINVAL);
	assert_int_equal(pcct_parse_addrs("example.org", &v, &n), -EINVAL);
	assert_int_equal(pcct_parse_addrs("", &v, &n), -EINVAL);
	assert_int_equal(pcct_parse_addrs("10.0.0.1+70000", &v, &n), -E2BIG);
	free(v);
}

static void endpoints(void **state)
{
	struct pcct_addr *v = NULL, a;
	size_t n = 0;

	assert_int_equal(pcct_parse_endpoints("203.0.113.100:80,[2001:db8:f::100]:2121", &v, &n),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(str(&v[0], 1), "203.0.113.100:80");
	assert_string_equal(str(&v[1], 1), "[2001:db8:f::100]:2121");
	assert_int_equal(pcct_parse_endpoint("2001:db8::1:80", &a), -EINVAL); /* needs brackets */
	assert_int_equal(pcct_parse_endpoint("203.0.113.1:65536", &a), -EINVAL);
	assert_int_equal(pcct_parse_endpoint("203.0.113.1:", &a), -EINVAL);
	assert_int_equal(pcct_parse_endpoint("[2001:db8::1]80", &a), -EINVAL);
	free(v);
}

static void durations(void **state)
{
	int64_t ms;

	assert_int_equal(pcct_parse_ms("250", &ms), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(pcct_parse_ms("1.5s", &ms), 0);
	assert_int_equal(ms, 1500);
	assert_int_equal(pcct_parse_ms("2m", &ms), 0);
	assert_int_equal(ms, 120000);
	assert_int_equal(pcct_parse_ms("10ms", &ms), 0);
	assert_int_equal(ms, 10);
	assert_int_equal(pcct_parse_ms("3h", &ms), -EINVAL);
	assert_int_equal(pcct_parse_ms("-1", &ms), -EINVAL);
}

static void reply_parser(void **state)
{
	static const char ok[] = "HTTP/1.0 200 OK\r\nX-Server: rs2\r\nContent-Length: 3\r\n\r\nabc";
	char id[PCCT_ID_MAX];

	assert_int_equal(pcct_reply_server(ok, sizeof(ok) - 1, id, sizeof(id)), 1);
	assert_string_equal(id, "rs2");
	assert_int_equal(pcct_reply_server(ok, 20, id, sizeof(id)), 0); /* header not complete */
	assert_int_equal(pcct_reply_server("HTT", 3, id, sizeof(id)), 0);
	assert_int_equal(pcct_reply_server("SSH-2.0", 7, id, sizeof(id)), -EINVAL);
	assert_int_equal(pcct_reply_server("HTTP/1.0 200 OK\r\n\r\n", 19, id, sizeof(id)), -EINVAL);
	assert_int_equal(
		pcct_reply_server("HTTP/1.0 200 OK\r\nX-Server: a b\r\n\r\n", 34, id, sizeof(id)),
		-EINVAL);
}

static FILE *log_of(const char *text)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fputs(text, f);
	rewind(f);
	return f;
}

/*
 * Crash at 2000: last success before it at 1900, first of a request started
 * after it at 2600 (the one done at 2050 was sent before the crash).
 * Client .1 keeps rs1, client .2 moves from rs2 to rs3, stream 0 survives
 * (stalls 600 ms), stream 1 is reset, stream 2 opens after the crash.
 */
static const char failover_log[] = "# pcctraffic-load v1 start_ms=1000 rate=10\n"
				   "R 1100 198.51.100.1 203.0.113.100:80 ok rs1 3\n"
				   "R 1200 198.51.100.2 203.0.113.100:80 ok rs2 3\n"
				   "S 1150 0 198.51.100.1 open rs1 0\n"
				   "S 1150 1 198.51.100.2 open rs2 0\n"
				   "R 1900 198.51.100.1 203.0.113.100:80 ok rs1 3\n"
				   "R 2050 198.51.100.1 203.0.113.100:80 ok rs1 100\n"
				   "R 2300 198.51.100.2 203.0.113.100:80 timeout - 1000\n"
				   "R 2400 198.51.100.1 203.0.113.100:80 reset - 1\n"
				   "S 2500 0 198.51.100.1 stall rs1 500\n"
				   "S 2500 1 198.51.100.2 rst rs2 104\n"
				   "R 2600 198.51.100.2 203.0.113.100:80 ok rs3 3\n"
				   "S 2700 0 198.51.100.1 resume rs1 600\n"
				   "S 2800 2 198.51.100.3 open rs3 0\n"
				   "S 2900 1 198.51.100.2 open rs3 0\n"
				   "R 2700 198.51.100.1 203.0.113.100:80 ok rs1 3\n"
				   "garbage line\n";

static void analyse_failover(void **state)
{
	struct pcct_an_opts o = {.crash_ms = 2000};
	struct pcct_an_result r;
	FILE *f = log_of(failover_log);

	assert_int_equal(pcct_analyse(f, &o, &r), 0);
	assert_int_equal(r.requests, 8);
	assert_int_equal(r.ok, 6);
	assert_int_equal(r.timeout, 1);
	assert_int_equal(r.reset, 1);
	assert_int_equal(r.outage_from_ms, 1900);
	assert_int_equal(r.outage_to_ms, 2600);
	assert_int_equal(r.failover_ms, 700);
	assert_int_equal(r.failed_in_outage, 2);
	assert_int_equal(r.affinity_clients, 2);
	assert_int_equal(r.affinity_kept, 1);
	assert_int_equal(r.sources, 2);
	assert_int_equal(r.sticky_sources, 1);
	assert_int_equal(r.streams, 2);
	assert_int_equal(r.streams_survived, 1);
	assert_int_equal(r.streams_rst, 1);
	assert_int_equal(r.stream_max_stall_ms, 600);
	assert_int_equal(r.bad_lines, 1);
	assert_int_equal(r.nservers, 3);
	fclose(f);
}

static void analyse_gap_and_timeline(void **state)
{
	struct pcct_an_opts o = {.bucket_ms = 500};
	struct pcct_an_result r;
	FILE *f = log_of(failover_log), *tl = tmpfile();
	char buf[512];
	size_t n;

	o.timeline = tl;
	assert_int_equal(pcct_analyse(f, &o, &r), 0);
	/* no crash given: the longest gap between successes is the outage */
	assert_int_equal(r.failover_ms, 700); /* 1200 -> 1900 */
	assert_int_equal(r.streams, 3);
	assert_int_equal(r.streams_survived, 2);
	rewind(tl);
	n = fread(buf, 1, sizeof(buf) - 1, tl);
	buf[n] = '\0';
	assert_string_equal(buf, "t_s,rs1,rs2,rs3,fail\n"
				 "0.000,1,1,0,0\n"
				 "0.500,1,0,0,0\n"
				 "1.000,1,0,0,2\n"
				 "1.500,1,0,1,0\n");
	fclose(tl);
	fclose(f);
}

static void analyse_empty(void **state)
{
	struct pcct_an_opts o = {0};
	struct pcct_an_result r;
	FILE *f = log_of("");

	assert_int_equal(pcct_analyse(f, &o, &r), 0);
	assert_int_equal(r.requests, 0);
	assert_int_equal(r.failover_ms, -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest parse[] = {
		cmocka_unit_test(addrs_range_and_count),
		cmocka_unit_test(addrs_rejects),
		cmocka_unit_test(endpoints),
		cmocka_unit_test(durations),
		cmocka_unit_test(reply_parser),
	};
	const struct CMUnitTest analyse[] = {
		cmocka_unit_test(analyse_failover),
		cmocka_unit_test(analyse_gap_and_timeline),
		cmocka_unit_test(analyse_empty),
	};
	struct pcc_test_run r = {0};

	PCC_TEST_GROUP(&r, "pcct_parse", parse);
	PCC_TEST_GROUP(&r, "pcct_analyse", analyse);
	return pcc_test_done(&r);
}
