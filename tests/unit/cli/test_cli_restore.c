// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_restore.c: -R input (real ipvsadm -S lines, our own -S lines),
 * the -S format, and the -S -> -R round trip on the model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "pcc_test.h"
#include "cli_fake.h"
#include "names.h"
#include "output.h"

struct reports {
	int n;
	char msgs[8][256];
};

static void collect(void *arg, const struct pccvs_err *err)
{
	struct reports *r = arg;

	if (r->n < 8)
		strcpy(r->msgs[r->n], err->msg);
	r->n++;
}

/* -R text -> model (through the parser, the resolver and the planner). */
static int restore(const char *text, struct adm_model *m, struct reports *rep,
		   struct pccvs_err *err)
{
	struct adm_edits l, out;
	struct adm_model fin;
	int bad, ret;

	adm_edits_init(&l);
	adm_edits_init(&out);
	adm_model_init(&fin);
	memset(rep, 0, sizeof(*rep));
	memset(err, 0, sizeof(*err));
	bad = adm_restore_parse(text, strlen(text), &l, collect, rep);
	ret = bad ? -EINVAL : adm_resolve_edits(l.v, l.n, err);
	if (!ret)
		ret = adm_plan(m, l.v, l.n, &out, &fin, err);
	if (!ret)
		assert_int_equal(adm_model_copy(m, &fin), 0);
	adm_model_free(&fin);
	adm_edits_free(&out);
	adm_edits_free(&l);
	return ret;
}

static char *save(const struct adm_model *m)
{
	struct adm_model c;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	adm_model_init(&c);
	assert_int_equal(adm_model_copy(&c, m), 0);
	adm_model_sort(&c);
	adm_print_save(f, &c, true);
	fclose(f);
	adm_model_free(&c);
	return buf;
}

/* What ipvsadm 1.31 -S -n prints for such a configuration. */
static const char ipvsadm_save[] =
	"-A -t 192.0.2.10:80 -s wlc -p 300 -M 255.255.255.0\n"
	"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1\n"
	"-a -t 192.0.2.10:80 -r 198.51.100.2:80 -g -w 1\n"
	"-A -t 192.0.2.10:443 -s rr\n"
	"-a -t 192.0.2.10:443 -r 10.0.0.1:8443 -m -w 5\n"
	"-a -t 192.0.2.10:443 -r 10.0.0.2:443 -i -w 0 --tun-type ipip\n"
	"-A -u [2001:db8::1]:53 -s sh -b sh-fallback,sh-port\n"
	"-a -u [2001:db8::1]:53 -r [2001:db8::10]:53 -g -w 1\n"
	"-A -f 7 -s wlc -p 600\n"
	"-a -f 7 -r 198.51.100.7:0 -g -w 1\n"
	"-A -f 8 -6 -s mh -p 300 -M 64 -b mh-port\n"
	"-a -f 8 -6 -r [2001:db8::20]:0 -m -w 2\n";

/* What pccvsadm -S -n prints for it: the same, sorted as ipvsadm sorts. */
static const char our_save[] =
	"-A -t 10.0.0.0:1 -s wlc -p 300 --pgroup g1\n"
	"-a -t 10.0.0.0:1 -r 10.1.0.1:1 -g -w 1 -x 100 -y 10\n"
	"-A -t 10.0.0.0:2 -s wlc -p 300 --pgroup g1\n"
	"-a -t 10.0.0.0:2 -r 10.1.0.1:2 -g -w 1\n"
	"-A -t 192.0.2.10:80 -s wlc -p 300 -M 255.255.255.0\n"
	"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1\n"
	"-a -t 192.0.2.10:80 -r 198.51.100.2:80 -g -w 1\n"
	"-A -t 192.0.2.10:443 -s rr\n"
	"-a -t 192.0.2.10:443 -r 10.0.0.1:8443 -m -w 5\n"
	"-a -t 192.0.2.10:443 -r 10.0.0.2:443 -i -w 0\n"
	"-A --sctp-service 192.0.2.10:3868 -s rr\n"
	"-a --sctp-service 192.0.2.10:3868 -r 10.0.0.3:3868 -i -w 1\n"
	"-A -u [2001:db8::1]:53 -s sh -b sh-fallback,sh-port\n"
	"-a -u [2001:db8::1]:53 -r [2001:db8::10]:53 -g -w 1\n"
	"-A -f 7 -s wlc -p 600\n"
	"-a -f 7 -r 198.51.100.7:0 -g -w 1\n"
	"-A -f 8 -6 -s mh -p 300 -M 64 -b mh-port\n"
	"-a -f 8 -6 -r [2001:db8::20]:0 -m -w 2\n";

static void test_reads_ipvsadm_save(void **state)
{
	struct reports rep;
	struct pccvs_err err;
	struct adm_model m;
	const struct adm_svc *s;

	adm_model_init(&m);
	assert_int_equal(restore(ipvsadm_save, &m, &rep, &err), 0);
	assert_int_equal(m.n, 5);
	s = &m.svcs[0];
	assert_int_equal(s->s.netmask, 24);
	assert_int_equal(s->s.timeout, 300);
	assert_int_equal(s->ndests, 2);
	s = &m.svcs[1];
	assert_int_equal(s->dests[0].fwd, PCCVS_FWD_NAT);
	assert_int_equal(s->dests[0].port, 8443);
	assert_int_equal(s->dests[1].fwd, PCCVS_FWD_TUN);
	assert_int_equal(s->dests[1].weight, 0);
	assert_int_equal(m.svcs[2].s.flags, PCCVS_SVC_F_SCHED1 | PCCVS_SVC_F_SCHED2);
	assert_int_equal(m.svcs[4].s.af, AF_INET6);
	assert_int_equal(m.svcs[4].s.netmask, 64);
	adm_model_free(&m);
}

static void test_leading_program_name_comments_crlf(void **state)
{
	static const char text[] =
		"# saved by hand\n"
		"\n"
		"ipvsadm -A -t 192.0.2.10:80 -s rr\r\n"
		"/sbin/ipvsadm -a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1\n"
		"   pccvsadm\t-a -t 192.0.2.10:80 -r 198.51.100.2 -w 2";
	struct reports rep;
	struct pccvs_err err;
	struct adm_model m;

	adm_model_init(&m);
	assert_int_equal(restore(text, &m, &rep, &err), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.svcs[0].ndests, 2);
	assert_int_equal(m.svcs[0].dests[1].weight, 2);
	adm_model_free(&m);
}

static void test_save_format_and_round_trip(void **state)
{
	static const char groups[] =
		"-A -t 10.0.0.0:2 -p --pgroup g1\n"
		"-a -t 10.0.0.0:2 -r 10.1.0.1\n"
		"-A -t 10.0.0.0:1 -p --pgroup g1\n"
		"-a -t 10.0.0.0:1 -r 10.1.0.1 -x 100 -y 10\n"
		"-A --sctp-service 192.0.2.10:3868 -s rr\n"
		"-a --sctp-service 192.0.2.10:3868 -r 10.0.0.3 -i\n";
	struct adm_model m, back;
	struct reports rep;
	struct pccvs_err err;
	char *text, *again;
	size_t i, k;

	adm_model_init(&m);
	adm_model_init(&back);
	assert_int_equal(restore(ipvsadm_save, &m, &rep, &err), 0);
	assert_int_equal(restore(groups, &m, &rep, &err), 0);
	text = save(&m);
	assert_string_equal(text, our_save);
	assert_int_equal(restore(text, &back, &rep, &err), 0);
	again = save(&back);
	assert_string_equal(again, text);
	adm_model_sort(&m);
	adm_model_sort(&back);
	assert_int_equal(back.n, m.n);
	for (i = 0; i < m.n; i++) {
		assert_memory_equal(&back.svcs[i].s, &m.svcs[i].s, sizeof(m.svcs[i].s));
		assert_int_equal(back.svcs[i].ndests, m.svcs[i].ndests);
		for (k = 0; k < m.svcs[i].ndests; k++)
			assert_memory_equal(&back.svcs[i].dests[k], &m.svcs[i].dests[k],
					    sizeof(m.svcs[i].dests[k]));
	}
	free(text);
	free(again);
	adm_model_free(&back);
	adm_model_free(&m);
}

static void test_every_bad_line_reported(void **state)
{
	static const char text[] =
		"-A -t 192.0.2.10:80\n"
		"-A -t 192.0.2.10:70000\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.1 -w heavy\n"
		"-L -n\n"
		"ipvsadm\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.2\n";
	struct reports rep;
	struct pccvs_err err;
	struct adm_model m;

	adm_model_init(&m);
	assert_int_equal(restore(text, &m, &rep, &err), -EINVAL);
	assert_int_equal(rep.n, 4);
	assert_string_equal(rep.msgs[0], "line 2: invalid port `70000': must be 0-65535");
	assert_string_equal(rep.msgs[1], "line 3: invalid weight `heavy': must be 0-65535");
	assert_string_equal(rep.msgs[2], "line 4: -L (--list) is not allowed in -R input");
	assert_string_equal(rep.msgs[3], "line 5: -L (--list) is not allowed in -R input");
	assert_int_equal(m.n, 0);
	adm_model_free(&m);
}

static void test_nul_and_long_lines(void **state)
{
	static const char nul[] = "-C\n-A -t 192.0.2.10:80\0 -s rr\n";
	struct adm_edits l;
	struct reports rep = { 0 };
	char *many;
	size_t i;

	adm_edits_init(&l);
	assert_int_equal(adm_restore_parse(nul, sizeof(nul) - 1, &l, collect, &rep), 1);
	assert_string_equal(rep.msgs[0], "line 2: NUL byte in input");
	assert_int_equal(l.n, 1);

	many = malloc(65 * 3 + 1);
	assert_non_null(many);
	for (i = 0; i < 65; i++)
		memcpy(many + 3 * i, "-n ", 3);
	many[65 * 3] = '\0';
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(adm_restore_parse(many, strlen(many), &l, collect, &rep), 1);
	assert_string_equal(rep.msgs[0], "line 1: more than 64 words on one line");
	free(many);
	adm_edits_free(&l);
}

static void test_validation_names_the_line(void **state)
{
	static const char text[] =
		"-A -t 192.0.2.10:80\n"
		"\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.1\n"
		"-a -t 192.0.2.10:80 -r 198.51.100.1\n";
	struct reports rep;
	struct pccvs_err err;
	struct adm_model m;

	adm_model_init(&m);
	assert_int_equal(restore(text, &m, &rep, &err), -EEXIST);
	assert_string_equal(err.msg, "line 4: real server 198.51.100.1:80 already exists in TCP 192.0.2.10:80");
	assert_int_equal(m.n, 0);
	adm_model_free(&m);
}

static void test_names_resolved_first(void **state)
{
	static const char text[] =
		"-A -t localhost:http -s rr\n"
		"-a -t localhost:http -r localhost:www -m\n";
	struct reports rep;
	struct pccvs_err err;
	struct adm_model m;
	char buf[64];

	adm_model_init(&m);
	assert_int_equal(restore(text, &m, &rep, &err), 0);
	assert_string_equal(adm_svc_str(&m.svcs[0].s, buf, sizeof(buf)), "TCP 127.0.0.1:80");
	assert_int_equal(m.svcs[0].dests[0].port, 80);
	assert_int_equal(restore("-A -t 127.0.0.2:nosuchport\n", &m, &rep, &err), -EINVAL);
	assert_string_equal(err.msg, "line 1: unknown port name `nosuchport' for tcp");
	assert_int_equal(restore("-A -u 127.0.0.2:53\n-D -t nonexistent.invalid:80\n", &m, &rep, &err),
			 err.code);
	assert_true(!strcmp(err.msg, "line 2: unknown host name `nonexistent.invalid'") ||
		    !strncmp(err.msg, "line 2: cannot resolve `nonexistent.invalid': ", 46));
	assert_int_equal(m.n, 1);	/* nothing of a refused restore */
	adm_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_ipvsadm_save),
		cmocka_unit_test(test_leading_program_name_comments_crlf),
		cmocka_unit_test(test_save_format_and_round_trip),
		cmocka_unit_test(test_every_bad_line_reported),
		cmocka_unit_test(test_nul_and_long_lines),
		cmocka_unit_test(test_validation_names_the_line),
		cmocka_unit_test(test_names_resolved_first),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "cli_restore", tests);
	return pcc_test_done(&r);
}
