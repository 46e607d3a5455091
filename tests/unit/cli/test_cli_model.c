// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli_model.c: the configuration model, per-edit validation, planning
 * (defaults, --all-ports) and the port group rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>
#include "pcc_test.h"
#include "cli_fake.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void plan_ok(struct adm_model *m, const char *const *lines, size_t n)
{
	struct pccvs_err err;

	if (cli_plan(m, lines, n, NULL, &err))
		fail_msg("refused: %s", err.msg);
}

/* The one line is refused with exactly msg, and m is left alone. */
static void refused(struct adm_model *m, const char *line, const char *msg)
{
	struct adm_edits out;
	struct pccvs_err err;
	size_t before = m->n;

	adm_edits_init(&out);
	if (!cli_plan(m, &line, 1, &out, &err))
		fail_msg("`%s' accepted, want `%s'", line, msg);
	if (strcmp(err.msg, msg))
		fail_msg("`%s': got `%s', want `%s'", line, err.msg, msg);
	assert_int_equal(out.n, 0);
	assert_int_equal(m->n, before);
	adm_edits_free(&out);
}

static const char *const base[] = {
	"-A -t 192.0.2.10:80 -s wlc",
	"-a -t 192.0.2.10:80 -r 198.51.100.1",
	"-a -t 192.0.2.10:80 -r 198.51.100.2:8080 -m -w 3 -x 10 -y 5",
};

static void test_validate_services(void **state)
{
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, base, N(base));
	refused(&m, "-A -t 192.0.2.10:80", "service TCP 192.0.2.10:80 already exists");
	refused(&m, "-E -t 192.0.2.10:81 -s rr", "no service TCP 192.0.2.10:81");
	refused(&m, "-D -u 192.0.2.10:80", "no service UDP 192.0.2.10:80");
	refused(&m, "-Z -f 3", "no service FWM 3");
	refused(&m, "-A -t 192.0.2.11", "TCP 192.0.2.11:0: port 0 (every port) needs a persistent service (-p)");
	refused(&m, "-A -t 192.0.2.11:80 -M 255.255.255.0",
		"TCP 192.0.2.11:80: -M needs a persistent service (-p): the netmask groups clients for persistence");
	refused(&m, "-E -t 192.0.2.10:80 -M 24",
		"TCP 192.0.2.10:80: -M needs a persistent service (-p): the netmask groups clients for persistence");
	refused(&m, "-A -f 5 -p --pgroup web",
		"FWM 5: a firewall-mark service cannot be in a port group (a group is named by its virtual address)");
	refused(&m, "-A -t 192.0.2.11:80 --pgroup web",
		"TCP 192.0.2.11:80: port group `web' needs a persistent service (-p); leave the group with --pgroup none");
	refused(&m, "-A -t 192.0.2.11:80 -b sh-port",
		"sh-* scheduler flags need the sh scheduler, not wlc: use -s sh");
	refused(&m, "-E -t 192.0.2.10:80 -b mh-port",
		"mh-* scheduler flags need the mh scheduler, not wlc: use -s mh");
	adm_model_free(&m);
}

static void test_validate_dests(void **state)
{
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, base, N(base));
	refused(&m, "-a -t 192.0.2.10:80 -r 198.51.100.1:80",
		"real server 198.51.100.1:80 already exists in TCP 192.0.2.10:80");
	refused(&m, "-e -t 192.0.2.10:80 -r 198.51.100.9 -w 2",
		"no real server 198.51.100.9:80 in TCP 192.0.2.10:80");
	refused(&m, "-d -t 192.0.2.10:80 -r 198.51.100.2",
		"no real server 198.51.100.2:80 in TCP 192.0.2.10:80");
	refused(&m, "-a -t 192.0.2.11:80 -r 198.51.100.2", "no service TCP 192.0.2.11:80");
	refused(&m, "-a -t 192.0.2.10:80 -r 198.51.100.3:8080",
		"real server 198.51.100.3:8080: port 8080 differs from the service port 80; direct routing (-g) and tunnelling (-i) keep the port, only -m changes it");
	refused(&m, "-e -t 192.0.2.10:80 -r 198.51.100.2:8080 -i",
		"real server 198.51.100.2:8080: port 8080 differs from the service port 80; direct routing (-g) and tunnelling (-i) keep the port, only -m changes it");
	refused(&m, "-e -t 192.0.2.10:80 -r 198.51.100.2:8080 -y 11",
		"real server 198.51.100.2:8080: lower threshold 11 is above the upper threshold 10");
	refused(&m, "-a -t 192.0.2.10:80 -r 198.51.100.4 -x 1 -y 2",
		"real server 198.51.100.4:80: lower threshold 2 is above the upper threshold 1");
	adm_model_free(&m);
}

static void test_validate_unresolved(void **state)
{
	struct adm_edit e = { .op = ADM_SVC_DEL };
	struct adm_model m;
	struct pccvs_err err;

	adm_model_init(&m);
	strcpy(e.svc_name.host, "www.example.com");
	assert_int_equal(adm_model_validate(&m, &e, &err), -EINVAL);
	assert_string_equal(err.msg, "internal error: unresolved name in an edit");
}

static void test_edits_change_only_what_is_given(void **state)
{
	static const char *const more[] = {
		"-E -t 192.0.2.10:80 -s sh -b sh-port",
		"-E -t 192.0.2.10:80 -p 120",
		"-e -t 192.0.2.10:80 -r 198.51.100.2:8080 -w 7",
		"-e -t 192.0.2.10:80 -r 198.51.100.2:8080 -x 0 -y 20",
	};
	struct adm_model m;
	const struct adm_svc *s;
	const struct pccvs_dest *d;

	adm_model_init(&m);
	plan_ok(&m, base, N(base));
	plan_ok(&m, more, N(more));
	s = &m.svcs[0];
	assert_string_equal(s->s.sched, "sh");
	assert_int_equal(s->s.flags, PCCVS_SVC_F_PERSISTENT | PCCVS_SVC_F_SCHED2);
	assert_int_equal(s->s.timeout, 120);
	assert_int_equal(s->s.netmask, 32);
	d = &s->dests[1];
	assert_int_equal(d->fwd, PCCVS_FWD_NAT);
	assert_int_equal(d->weight, 7);
	assert_int_equal(d->u_thresh, 0);
	assert_int_equal(d->l_thresh, 20);
	assert_int_equal(s->dests[0].fwd, PCCVS_FWD_DR);
	assert_int_equal(s->dests[0].weight, 1);

	/* -b none clears the scheduler flags only; -p 0 ends persistence */
	plan_ok(&m, (const char *const[]){ "-E -t 192.0.2.10:80 -b none" }, 1);
	assert_int_equal(m.svcs[0].s.flags, PCCVS_SVC_F_PERSISTENT);
	plan_ok(&m, (const char *const[]){ "-E -t 192.0.2.10:80 -p 0" }, 1);
	assert_int_equal(m.svcs[0].s.flags, 0);
	/* -p without a value on a service that was not persistent: 300 s */
	plan_ok(&m, (const char *const[]){ "-E -t 192.0.2.10:80 -p 0", "-E -t 192.0.2.10:80 -p" }, 2);
	assert_int_equal(m.svcs[0].s.timeout, 120);
	adm_model_free(&m);
}

static void test_plan_makes_concrete_edits(void **state)
{
	static const char *const lines[] = {
		"-A -u [2001:db8::1]:53 -p",
		"-a -u [2001:db8::1]:53 -r [2001:db8::2]",
		"-E -u [2001:db8::1]:53 -s rr",
		"-Z",
		"--set 0 0 30",
		"-C",
	};
	struct adm_edits out;
	struct pccvs_err err;
	struct adm_model m;

	adm_model_init(&m);
	adm_edits_init(&out);
	assert_int_equal(cli_plan(&m, lines, N(lines), &out, &err), 0);
	assert_int_equal(out.n, 6);
	assert_int_equal(out.v[0].svc_mask, PCCVS_SVC_SET_ALL);
	assert_string_equal(out.v[0].svc.sched, "wlc");
	assert_int_equal(out.v[0].svc.timeout, 300);
	assert_int_equal(out.v[0].svc.netmask, 128);
	assert_int_equal(out.v[1].dest_mask, PCCVS_DEST_SET_ALL);
	assert_int_equal(out.v[1].dest.fwd, PCCVS_FWD_DR);
	assert_int_equal(out.v[1].dest.weight, 1);
	assert_int_equal(out.v[1].dest.port, 53);
	assert_int_equal(out.v[2].svc_mask, PCCVS_SVC_SET_SCHED);
	assert_string_equal(out.v[2].svc.sched, "rr");
	assert_int_equal(out.v[2].svc.flags, PCCVS_SVC_F_PERSISTENT);
	assert_int_equal(out.v[4].cfg.udp, 30);
	assert_int_equal(m.n, 0);	/* -C last */
	adm_edits_free(&out);
	adm_model_free(&m);
}

/* ------------------------------------------------------------------ */
/* Port groups                                                         */

static const char *const web[] = {
	"-A -t 192.0.2.10:80 -p 300 --pgroup web",
	"-a -t 192.0.2.10:80 -r 198.51.100.1",
	"-a -t 192.0.2.10:80 -r 198.51.100.2",
	"-A -t 192.0.2.10:443 -p 300 --pgroup web",
	"-a -t 192.0.2.10:443 -r 198.51.100.1",
	"-a -t 192.0.2.10:443 -r 198.51.100.2",
	/* the same name on another VIP is another group */
	"-A -t 192.0.2.20:443 -p 300 --pgroup web",
	"-a -t 192.0.2.20:443 -r 198.51.100.9",
};

static void test_pgroup_add_needs_every_port(void **state)
{
	struct adm_edits out;
	struct pccvs_err err;
	struct adm_model m;
	const char *line;

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	refused(&m, "-a -t 192.0.2.10:80 -r 198.51.100.3",
		"real server 198.51.100.3 is missing from TCP 192.0.2.10:443 (port group `web'); add it there first or use --all-ports");
	line = "-a -t 192.0.2.10:443 -r 198.51.100.3 -w 5 --all-ports";
	adm_edits_init(&out);
	assert_int_equal(cli_plan(&m, &line, 1, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.v[0].svc.port, 80);
	assert_int_equal(out.v[0].dest.port, 80);
	assert_int_equal(out.v[1].svc.port, 443);
	assert_int_equal(out.v[1].dest.port, 443);
	assert_int_equal(out.v[1].dest.weight, 5);
	assert_false(out.v[0].flags & ADM_EF_ALL_PORTS);
	assert_int_equal(m.svcs[0].ndests, 3);
	assert_int_equal(m.svcs[1].ndests, 3);
	assert_int_equal(m.svcs[2].ndests, 1);	/* other VIP untouched */
	adm_edits_free(&out);
	adm_model_free(&m);
}

static void test_pgroup_delete_symmetric(void **state)
{
	struct adm_edits out;
	struct pccvs_err err;
	struct adm_model m;
	const char *line = "-d -t 192.0.2.10:80 -r 198.51.100.2 --all-ports";

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	refused(&m, "-d -t 192.0.2.10:443 -r 198.51.100.2",
		"real server 198.51.100.2 is still in TCP 192.0.2.10:80 (port group `web'); delete it there first or use --all-ports");
	adm_edits_init(&out);
	assert_int_equal(cli_plan(&m, &line, 1, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.v[0].op, ADM_DEST_DEL);
	assert_int_equal(out.v[1].svc.port, 443);
	assert_int_equal(m.svcs[0].ndests, 1);
	assert_int_equal(m.svcs[1].ndests, 1);
	/* an edit of one member is no membership change */
	plan_ok(&m, (const char *const[]){ "-e -t 192.0.2.10:80 -r 198.51.100.1 -w 0" }, 1);
	line = "-e -t 192.0.2.10:80 -r 198.51.100.1 -w 9 --all-ports";
	out.n = 0;
	assert_int_equal(cli_plan(&m, &line, 1, &out, &err), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(m.svcs[0].dests[0].weight, 9);
	assert_int_equal(m.svcs[1].dests[0].weight, 9);
	adm_edits_free(&out);
	adm_model_free(&m);
}

static void test_pgroup_join(void **state)
{
	static const char *const join[] = {
		"-A -t 192.0.2.10:8443 -p 300",
		"-a -t 192.0.2.10:8443 -r 198.51.100.1",
		"-a -t 192.0.2.10:8443 -r 198.51.100.2",
		"-E -t 192.0.2.10:8443 --pgroup web",
	};
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	/* a service with real servers joins with exactly the group's */
	plan_ok(&m, join, 3);
	plan_ok(&m, (const char *const[]){ "-a -t 192.0.2.10:8443 -r 198.51.100.7" }, 1);
	refused(&m, join[3],
		"TCP 192.0.2.10:8443 would join port group `web' with real server 198.51.100.7, which TCP 192.0.2.10:80 lacks; make their real servers the same first");
	plan_ok(&m, (const char *const[]){ "-d -t 192.0.2.10:8443 -r 198.51.100.1" }, 1);
	refused(&m, join[3],
		"TCP 192.0.2.10:8443 would join port group `web' without real server 198.51.100.1 (in TCP 192.0.2.10:80); give it the group's real servers first");
	plan_ok(&m, (const char *const[]){ "-d -t 192.0.2.10:8443 -r 198.51.100.7",
		"-a -t 192.0.2.10:8443 -r 198.51.100.1", join[3] }, 3);
	assert_string_equal(m.svcs[3].s.pgroup, "web");
	/* leaving is always possible */
	plan_ok(&m, (const char *const[]){ "-E -t 192.0.2.10:8443 --pgroup none" }, 1);
	assert_string_equal(m.svcs[3].s.pgroup, "");
	adm_model_free(&m);
}

/* A new, empty member is filled one real server at a time, each of which
 * must already be in the group; once filled it is checked like the others. */
static void test_pgroup_new_member_filled_one_by_one(void **state)
{
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	plan_ok(&m, (const char *const[]){ "-A -t 192.0.2.10:21 -p 300 --pgroup web" }, 1);
	refused(&m, "-a -t 192.0.2.10:21 -r 198.51.100.4",
		"real server 198.51.100.4 is missing from TCP 192.0.2.10:80 (port group `web'); add it there first or use --all-ports");
	plan_ok(&m, (const char *const[]){ "-a -t 192.0.2.10:21 -r 198.51.100.1" }, 1);
	refused(&m, "-a -t 192.0.2.10:80 -r 198.51.100.4",
		"real server 198.51.100.4 is missing from TCP 192.0.2.10:443 (port group `web'); add it there first or use --all-ports");
	plan_ok(&m, (const char *const[]){ "-a -t 192.0.2.10:21 -r 198.51.100.2" }, 1);
	refused(&m, "-d -t 192.0.2.10:443 -r 198.51.100.1",
		"real server 198.51.100.1 is still in TCP 192.0.2.10:80 (port group `web'); delete it there first or use --all-ports");
	refused(&m, "-d -t 192.0.2.10:21 -r 198.51.100.1",
		"real server 198.51.100.1 is still in TCP 192.0.2.10:80 (port group `web'); delete it there first or use --all-ports");
	adm_model_free(&m);
}

/* -A --all-ports: the new member gets the group's real servers at once. */
static void test_pgroup_add_service_with_all_ports(void **state)
{
	struct adm_edits out;
	struct pccvs_err err;
	struct adm_model m;
	const char *line = "-A -t 192.0.2.10:8080 -p 300 --pgroup web --all-ports";

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	adm_edits_init(&out);
	assert_int_equal(cli_plan(&m, &line, 1, &out, &err), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.v[0].op, ADM_SVC_ADD);
	assert_int_equal(out.v[1].op, ADM_DEST_ADD);
	assert_int_equal(out.v[1].dest.port, 8080);
	assert_int_equal(out.v[2].svc.port, 8080);
	assert_int_equal(m.svcs[3].ndests, 2);
	refused(&m, "-A -t 192.0.2.10:8081 -p 300 --all-ports",
		"-A --all-ports needs --pgroup: it copies the real servers of the group");
	adm_edits_free(&out);
	adm_model_free(&m);
}

static void test_pgroup_one_timeout_and_netmask(void **state)
{
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	refused(&m, "-E -t 192.0.2.10:443 -p 600",
		"TCP 192.0.2.10:80 (persistent 300, mask /32) and TCP 192.0.2.10:443 (persistent 600, mask /32) are in port group `web': a group needs one timeout and netmask (change them all with -E ... --all-ports)");
	refused(&m, "-E -t 192.0.2.10:80 -M 255.255.255.0",
		"TCP 192.0.2.10:80 (persistent 300, mask /24) and TCP 192.0.2.10:443 (persistent 300, mask /32) are in port group `web': a group needs one timeout and netmask (change them all with -E ... --all-ports)");
	plan_ok(&m, (const char *const[]){ "-E -t 192.0.2.10:443 -p 600 -M 24 --all-ports" }, 1);
	assert_int_equal(m.svcs[0].s.timeout, 600);
	assert_int_equal(m.svcs[1].s.netmask, 24);
	assert_int_equal(m.svcs[2].s.timeout, 300);	/* other VIP */
	adm_model_free(&m);
}

static void test_pgroup_breakage_already_there(void **state)
{
	struct pccvs_dest d = { .fwd = PCCVS_FWD_DR, .weight = 1 };
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	/* as loaded from a module someone else configured: 443 lacks .5 */
	d.addr = cli_edit("-a -t 192.0.2.10:80 -r 198.51.100.5").dest.addr;
	d.port = 80;
	assert_int_equal(adm_svc_add_dest(&m.svcs[0], &d), 0);
	plan_ok(&m, (const char *const[]){ "-e -t 192.0.2.10:80 -r 198.51.100.1 -w 2" }, 1);
	plan_ok(&m, (const char *const[]){ "-a -t 192.0.2.10:443 -r 198.51.100.6 --all-ports" }, 1);
	refused(&m, "-a -t 192.0.2.10:443 -r 198.51.100.8",
		"real server 198.51.100.8 is missing from TCP 192.0.2.10:80 (port group `web'); add it there first or use --all-ports");
	/* and it can be repaired */
	plan_ok(&m, (const char *const[]){ "-a -t 192.0.2.10:443 -r 198.51.100.5" }, 1);
	adm_model_free(&m);
}

static void test_all_ports_refusals(void **state)
{
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, web, N(web));
	plan_ok(&m, (const char *const[]){ "-A -t 192.0.2.30:80" }, 1);
	refused(&m, "-a -t 192.0.2.30:80 -r 198.51.100.3 --all-ports",
		"--all-ports needs a service in a port group; TCP 192.0.2.30:80 is in none");
	refused(&m, "-a -t 192.0.2.99:80 -r 198.51.100.3 --all-ports", "no service TCP 192.0.2.99:80");
	refused(&m, "-a -t 192.0.2.10:443 -r 198.51.100.3:8443 -m --all-ports",
		"--all-ports adds the real server on each service's own port: give -r without a port");
	refused(&m, "-a -t 192.0.2.10:443 -r 198.51.100.1 --all-ports",
		"real server 198.51.100.1 is already in every service of port group `web'");
	refused(&m, "-d -t 192.0.2.10:443 -r 198.51.100.3 --all-ports",
		"no real server 198.51.100.3:443 in TCP 192.0.2.10:443");
	adm_model_free(&m);
}

static void test_restore_order_checked_on_result(void **state)
{
	/* the order ipvsadm -S writes: service by service */
	static const char *const save[] = {
		"-A -t 192.0.2.10:80 -s wlc -p 300 --pgroup web",
		"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1",
		"-a -t 192.0.2.10:80 -r 198.51.100.2:80 -g -w 1",
		"-A -t 192.0.2.10:443 -s wlc -p 300 --pgroup web",
		"-a -t 192.0.2.10:443 -r 198.51.100.1:443 -g -w 1",
		"-a -t 192.0.2.10:443 -r 198.51.100.2:443 -g -w 1",
	};
	struct pccvs_err err;
	struct adm_model m;

	adm_model_init(&m);
	plan_ok(&m, save, N(save));
	assert_int_equal(m.n, 2);
	adm_model_free(&m);
	adm_model_init(&m);
	assert_int_equal(cli_plan(&m, save, N(save) - 1, NULL, &err), -EINVAL);
	assert_string_equal(err.msg, "real server 198.51.100.2 is missing from TCP 192.0.2.10:443 (port group `web'); add it there first or use --all-ports");
	assert_int_equal(m.n, 0);
	adm_model_free(&m);
}

static void test_model_apply_and_copy(void **state)
{
	struct adm_model m, c;
	struct adm_edit z;

	adm_model_init(&m);
	adm_model_init(&c);
	plan_ok(&m, base, N(base));
	m.svcs[0].s.stats.conns = 5;
	m.svcs[0].dests[0].stats.inbytes = 7;
	assert_int_equal(adm_model_copy(&c, &m), 0);
	assert_int_equal(c.svcs[0].ndests, 2);
	assert_int_equal(c.svcs[0].s.dest_count, 2);
	z = cli_edit("-Z -t 192.0.2.10:80");
	assert_int_equal(adm_model_apply(&c, &z), 0);
	assert_int_equal(c.svcs[0].s.stats.conns, 0);
	assert_int_equal(c.svcs[0].dests[0].stats.inbytes, 0);
	assert_int_equal(m.svcs[0].s.stats.conns, 5);	/* a deep copy */
	plan_ok(&c, (const char *const[]){ "-d -t 192.0.2.10:80 -r 198.51.100.1", "-D -t 192.0.2.10:80" }, 2);
	assert_int_equal(c.n, 0);
	adm_model_free(&c);
	adm_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_services),
		cmocka_unit_test(test_validate_dests),
		cmocka_unit_test(test_validate_unresolved),
		cmocka_unit_test(test_edits_change_only_what_is_given),
		cmocka_unit_test(test_plan_makes_concrete_edits),
		cmocka_unit_test(test_pgroup_add_needs_every_port),
		cmocka_unit_test(test_pgroup_delete_symmetric),
		cmocka_unit_test(test_pgroup_join),
		cmocka_unit_test(test_pgroup_new_member_filled_one_by_one),
		cmocka_unit_test(test_pgroup_add_service_with_all_ports),
		cmocka_unit_test(test_pgroup_one_timeout_and_netmask),
		cmocka_unit_test(test_pgroup_breakage_already_there),
		cmocka_unit_test(test_all_ports_refusals),
		cmocka_unit_test(test_restore_order_checked_on_result),
		cmocka_unit_test(test_model_apply_and_copy),
	};
	struct pcc_test_run r = { 0 };

	PCC_TEST_GROUP(&r, "cli_model", tests);
	return pcc_test_done(&r);
}
