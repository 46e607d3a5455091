// SPDX-License-Identifier: GPL-2.0
/*
 * core_bench.c: benchmarks of the portable core, as "BENCH name=value unit":
 *   - established-flow lookups per second (pcc_decide, random access) with
 *     10k and 1M connections;
 *   - instructions per lookup at 10k and 1M from callgrind (this binary
 *     re-runs itself under valgrind in --callgrind mode: only the lookup
 *     loop is instrumented, and a baseline run of the same loop with a
 *     no-op in place of pcc_decide is subtracted, so setup and the loop
 *     cancel out: what remains is pcc_decide itself), and their ratio;
 *   - template creations per second (a new client's SYN: template and
 *     connection) and template injections per second;
 *   - bytes per connection and per template: sizeof, amortised with the
 *     hash buckets, and as the allocator sees it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <valgrind/callgrind.h>
#include "pcc_core.h"

#define VIP 0xc0000201U		/* 192.0.2.1 */
#define PORTS 50		/* client ports per address */

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* Flow i: client 10.x.y.z, port 1024 + i % PORTS. */
static void flow(struct pcc_pkt *p, u32 i, u8 flags)
{
	memset(p, 0, sizeof(*p));
	p->af = AF_INET;
	p->protocol = IPPROTO_TCP;
	p->tcp_flags = flags;
	p->saddr.ip = htonl(0x0a000000U + i / PORTS);
	p->sport = (u16)(1024 + i % PORTS);
	p->daddr.ip = htonl(VIP);
	p->dport = 80;
	p->len = 1000;
}

static struct pcc_table *table(u32 max, u32 flags)
{
	struct pcc_table_conf c = { .conn_max = max, .tpl_max = max, .nwheels = 1 };
	struct pcc_svc_conf s = { .key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 },
				  .flags = flags, .netmask = 32 };
	struct pcc_table *t;
	int i;

	s.key.addr.ip = htonl(VIP);
	strcpy(s.sched, "rr");
	if (pcc_table_create(&t, &c, 0) || pcc_svc_add(t, &s, NULL))
		exit(2);
	for (i = 1; i <= 8; i++) {
		struct pcc_dest_conf d = { .weight = 1 };

		d.addr.ip = htonl(0x0a640000U + (u32)i);
		if (pcc_dest_add(t, &s.key, &d, NULL))
			exit(2);
	}
	return t;
}

/* n established connections (SYN, then ACK). */
static struct pcc_table *established(u32 n)
{
	u32 max = n < 1024 ? 1024 : n;
	struct pcc_table *t = table(max + max / 8, 0);
	struct pcc_verdict v;
	struct pcc_pkt p;
	u32 i;

	for (i = 0; i < n; i++) {
		flow(&p, i, PCC_TCP_SYN);
		pcc_decide(t, &p, 1, &v);
		p.tcp_flags = PCC_TCP_ACK;
		if (pcc_decide(t, &p, 1, &v) != PCC_FORWARD)
			exit(3);
	}
	return t;
}

static u32 xorshift(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

typedef enum pcc_action (*decide_t)(struct pcc_table *t, const struct pcc_pkt *p, u64 now,
				     struct pcc_verdict *v);

/* The baseline's stand-in for pcc_decide: the loop and the call remain. */
static __attribute__((noinline)) enum pcc_action no_decide(struct pcc_table *t,
							   const struct pcc_pkt *p, u64 now,
							   struct pcc_verdict *v)
{
	__asm__ volatile("" : : "r"(t), "r"(p), "r"(v) : "memory");
	return PCC_FORWARD;
}

/* The measured loop: random established flows, ACKs. */
static __attribute__((noinline)) u32 lookups(struct pcc_table *t, u32 n, u32 count,
					     decide_t decide)
{
	struct pcc_verdict v;
	struct pcc_pkt p;
	u32 s = 2463534242U, ok = 0, i;

	flow(&p, 0, PCC_TCP_ACK);
	for (i = 0; i < count; i++) {
		u32 f = xorshift(&s) % n;

		p.saddr.ip = htonl(0x0a000000U + f / PORTS);
		p.sport = (u16)(1024 + f % PORTS);
		ok += decide(t, &p, 2, &v) == PCC_FORWARD;
	}
	return ok;
}

static void bench_rate(u32 n, const char *name)
{
	struct pcc_table *t = established(n);
	u32 count = 4000000, ok;
	u64 t0 = now_ns(), dt;

	ok = lookups(t, n, count, pcc_decide);
	dt = now_ns() - t0;
	if (ok != count)
		exit(4);
	printf("BENCH lookups_per_s_%s=%.0f lookups/s\n", name, count * 1e9 / (double)dt);
	fflush(stdout);
	pcc_table_destroy(t);
}

/* --callgrind N L DRY: set up N flows, then L instrumented lookups (DRY:
 * the same loop without pcc_decide, the baseline). */
static int callgrind_mode(u32 n, u32 count, bool dry)
{
	struct pcc_table *t = established(n);
	u32 ok;

	CALLGRIND_START_INSTRUMENTATION;
	ok = lookups(t, n, count, dry ? no_decide : pcc_decide);
	CALLGRIND_STOP_INSTRUMENTATION;
	return ok == count ? 0 : 4;
}

/* Instructions of one run of this binary under callgrind (-1: none). */
static long long callgrind_ir(const char *self, u32 n, u32 count, bool dry)
{
	char out[64], ns[16], cs[16], line[256];
	long long ir = -1;
	pid_t pid;
	FILE *f;
	int st;

	snprintf(out, sizeof(out), "/tmp/pcc-bench-cg.%d", (int)getpid());
	snprintf(ns, sizeof(ns), "%u", n);
	snprintf(cs, sizeof(cs), "%u", count);
	pid = fork();
	if (!pid) {
		char of[96];

		snprintf(of, sizeof(of), "--callgrind-out-file=%s", out);
		if (!freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("valgrind", "valgrind", "--tool=callgrind", "--instr-atstart=no", of, self,
		       "--callgrind", ns, cs, dry ? "1" : "0", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	f = fopen(out, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "summary: ", 9) || !strncmp(line, "totals: ", 8))
			ir = atoll(strchr(line, ' ') + 1);
	}
	if (f)
		fclose(f);
	unlink(out);
	return ir;
}

static double instr_per_lookup(const char *self, u32 n, const char *name)
{
	const u32 count = 200000;
	long long a = callgrind_ir(self, n, count, false), b = callgrind_ir(self, n, count, true);
	double per;

	if (a < 0 || b < 0) {
		printf("core_bench: valgrind/callgrind not usable, no instruction counts\n");
		return 0;
	}
	per = (double)(a - b) / count;
	printf("BENCH lookup_instr_%s=%.1f instructions\n", name, per);
	fflush(stdout);
	return per;
}

static void bench_templates(void)
{
	const u32 n = 500000;
	struct pcc_table *t = table(1 << 20, PCCVS_SVC_F_PERSISTENT);
	struct pcc_tpl_info in = { .dom = { .af = AF_INET, .protocol = IPPROTO_TCP, .vport = 80 },
				   .dport = 80, .remaining_ms = 300000, .stamp = 1 };
	struct pcc_verdict v;
	struct pcc_pkt p;
	u64 t0;
	u32 i;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		flow(&p, i * PORTS, PCC_TCP_SYN);	/* a new client each time */
		if (pcc_decide(t, &p, 1, &v) != PCC_FORWARD)
			exit(5);
	}
	printf("BENCH tpl_creates_per_s=%.0f templates/s\n", n * 1e9 / (double)(now_ns() - t0));
	pcc_table_destroy(t);

	t = table(1 << 20, PCCVS_SVC_F_PERSISTENT);
	in.dom.vaddr.ip = htonl(VIP);
	in.daddr.ip = htonl(0x0a640001U);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		in.caddr.ip = htonl(0x0b000000U + i);
		if (pcc_tpl_inject(t, &in, 1, NULL, NULL))
			exit(5);
	}
	printf("BENCH tpl_injects_per_s=%.0f templates/s\n", n * 1e9 / (double)(now_ns() - t0));
	fflush(stdout);
	pcc_table_destroy(t);
}

/* sizeof, plus this object's share of the hash buckets at n objects, and
 * what malloc handed out per object. */
static void bench_memory(void)
{
	const u32 n = 1000000;
	struct pcc_table_stats st;
	struct mallinfo2 m0, m1;
	struct pcc_table *t;
	struct pcc_verdict v;
	struct pcc_pkt p;
	u32 i;

	t = table(1 << 20, PCCVS_SVC_F_PERSISTENT);
	m0 = mallinfo2();
	for (i = 0; i < n; i++) {
		flow(&p, i * PORTS, PCC_TCP_SYN);
		pcc_decide(t, &p, 1, &v);
	}
	m1 = mallinfo2();
	pcc_table_stats(t, &st);
	if (st.conn_count != n || st.tpl_count != n)
		exit(6);
	printf("BENCH conn_bytes=%u B\n", st.conn_size);
	printf("BENCH tpl_bytes=%u B\n", st.tpl_size);
	/* A connection has a forward and a reply bucket; a template one. */
	printf("BENCH conn_bytes_amortised=%.1f B\n",
	       st.conn_size + 2.0 * sizeof(void *) * st.conn_buckets / n);
	printf("BENCH tpl_bytes_amortised=%.1f B\n",
	       st.tpl_size + 1.0 * sizeof(void *) * st.tpl_buckets / n);
	printf("BENCH conn_tpl_heap_bytes=%.1f B\n",
	       (double)(m1.uordblks + m1.hblkhd - m0.uordblks - m0.hblkhd) / n);
	fflush(stdout);
	pcc_table_destroy(t);
}

int main(int argc, char **argv)
{
	double i10k, i1m;

	if (argc == 5 && !strcmp(argv[1], "--callgrind"))
		return callgrind_mode((u32)atoi(argv[2]), (u32)atoi(argv[3]), atoi(argv[4]));
	bench_rate(10000, "10k");
	bench_rate(1000000, "1m");
	i10k = instr_per_lookup(argv[0], 10000, "10k");
	i1m = instr_per_lookup(argv[0], 1000000, "1m");
	if (i10k > 0 && i1m > 0)
		printf("BENCH lookup_instr_ratio_1m_vs_10k=%.3f ratio\n", i1m / i10k);
	bench_templates();
	bench_memory();
	return 0;
}
