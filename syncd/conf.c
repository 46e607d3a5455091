// SPDX-License-Identifier: GPL-2.0
/*
 * conf.c: strict parser of syncd.conf. Format: one "key = value" per line,
 * "#" starts a comment (at line start or after whitespace), blank lines
 * are ignored. Keys may appear once, except the repeatable sim_* lines.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"

struct perr {
	char *buf;
	size_t len;
	const char *fname;
	unsigned int line;
	const char *key;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct perr *e, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(e->buf, e->len, "%s:%u: %s: ", e->fname, e->line,
			 e->key ? e->key : "syntax");

	if (n >= 0 && (size_t)n < e->len) {
		va_start(ap, fmt);
		vsnprintf(e->buf + n, e->len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

struct key_def;
typedef int (*parse_fn)(struct syncd_conf *c, const struct key_def *k,
			char *val, struct perr *e);

struct key_def {
	const char *name;
	parse_fn parse;
	size_t off;		/* uint32_t field, for parse_u32 */
	uint64_t min, max;
	bool bytes;		/* K/M/G suffixes allowed */
	bool repeat;
	bool sim_only;
};

/* ---- values ---- */

static int parse_uint(const char *s, bool bytes, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (bytes && *p) {
		switch (*p++) {
		case 'K': case 'k': mul = 1ULL << 10; break;
		case 'M': case 'm': mul = 1ULL << 20; break;
		case 'G': case 'g': mul = 1ULL << 30; break;
		default: return -EINVAL;
		}
	}
	if (*p)
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

static int parse_u32(struct syncd_conf *c, const struct key_def *k, char *val,
		     struct perr *e)
{
	uint64_t v;

	if (parse_uint(val, k->bytes, &v) < 0 || v < k->min || v > k->max)
		return fail(e, "`%s' is not %s in %llu..%llu", val,
			    k->bytes ? "a size (bytes, K, M, G)" : "an integer",
			    (unsigned long long)k->min,
			    (unsigned long long)k->max);
	*(uint32_t *)((char *)c + k->off) = (uint32_t)v;
	return 0;
}

static bool name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return false;
	return true;
}

static int parse_group(struct syncd_conf *c, const struct key_def *k,
		       char *val, struct perr *e)
{
	if (!name_ok(val, SYNCD_GROUP_MAX))
		return fail(e, "`%s' must be 1..%d characters of [A-Za-z0-9_.-]",
			    val, SYNCD_GROUP_MAX);
	strcpy(c->group, val);
	return 0;
}

static int parse_ipc_group(struct syncd_conf *c, const struct key_def *k,
			   char *val, struct perr *e)
{
	if (!name_ok(val, sizeof(c->ipc_group) - 1))
		return fail(e, "`%s' must be a group name of 1..%zu characters "
			    "of [A-Za-z0-9_.-]", val, sizeof(c->ipc_group) - 1);
	strcpy(c->ipc_group, val);
	c->ipc_group_line = e->line;
	return 0;
}

static int parse_state_dir(struct syncd_conf *c, const struct key_def *k,
			   char *val, struct perr *e)
{
	if (val[0] != '/' || strlen(val) >= sizeof(c->state_dir) ||
	    strpbrk(val, " \t"))
		return fail(e, "`%s' must be an absolute path of at most %zu "
			    "bytes, without blanks", val, sizeof(c->state_dir) - 1);
	strcpy(c->state_dir, val);
	return 0;
}

static const char *const level_names[] = {
	[LOG_ERR] = "err", [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

const char *conf_log_level_name(int level)
{
	if (level >= LOG_ERR && level <= LOG_DEBUG && level_names[level])
		return level_names[level];
	return "?";
}

static int parse_log_level(struct syncd_conf *c, const struct key_def *k,
			   char *val, struct perr *e)
{
	for (int l = LOG_ERR; l <= LOG_DEBUG; l++)
		if (level_names[l] && strcmp(val, level_names[l]) == 0) {
			c->log_level = l;
			return 0;
		}
	return fail(e, "`%s' must be one of err, warning, notice, info, debug",
		    val);
}

static int parse_log_target(struct syncd_conf *c, const struct key_def *k,
			    char *val, struct perr *e)
{
	if (strcmp(val, "syslog") == 0)
		c->log_target = SYNCD_LOG_SYSLOG;
	else if (strcmp(val, "stderr") == 0)
		c->log_target = SYNCD_LOG_STDERR;
	else
		return fail(e, "`%s' must be syslog or stderr", val);
	return 0;
}

static int parse_backend(struct syncd_conf *c, const struct key_def *k,
			 char *val, struct perr *e)
{
	if (strcmp(val, "netlink") == 0)
		c->backend = SYNCD_BACKEND_NETLINK;
	else if (strcmp(val, "sim") == 0)
		c->backend = SYNCD_BACKEND_SIM;
	else
		return fail(e, "`%s' must be netlink or sim (sim is for tests)",
			    val);
	return 0;
}

/* ---- sim_service / sim_dest ---- */

/* Split val into at most max whitespace-separated words. */
static int words(char *val, char **w, int max)
{
	char *save = NULL;
	int n = 0;

	for (char *p = strtok_r(val, " \t", &save); p;
	     p = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -E2BIG;
		w[n++] = p;
	}
	return n;
}

static int parse_proto(const char *s, uint8_t *out)
{
	if (strcmp(s, "tcp") == 0)
		*out = IPPROTO_TCP;
	else if (strcmp(s, "udp") == 0)
		*out = IPPROTO_UDP;
	else if (strcmp(s, "sctp") == 0)
		*out = IPPROTO_SCTP;
	else
		return -EINVAL;
	return 0;
}

static int parse_addr(const char *s, struct pccvs_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1)
		a->af = AF_INET;
	else if (inet_pton(AF_INET6, s, a->b) == 1)
		a->af = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

static bool addr_eq(const struct pccvs_addr *a, const struct pccvs_addr *b)
{
	return a->af == b->af && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

static int parse_port(const char *s, uint16_t *out)
{
	uint64_t v;

	if (parse_uint(s, false, &v) < 0 || v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

/* "name=value" option with a numeric range. */
static int opt_num(const char *w, const char *name, uint64_t min, uint64_t max,
		   uint64_t *out)
{
	size_t n = strlen(name);

	if (strncmp(w, name, n) != 0 || w[n] != '=')
		return 1;	/* not this option */
	if (parse_uint(w + n + 1, false, out) < 0 || *out < min || *out > max)
		return -EINVAL;
	return 0;
}

static int svc_options(struct syncd_sim_svc *s, char **w, int n,
		       struct perr *e)
{
	for (int i = 0; i < n; i++) {
		uint64_t v;
		int r;
		unsigned int maxmask = s->af == AF_INET ? 32 : 128;

		if ((r = opt_num(w[i], "timeout", 1, PCCVS_PERSIST_TIMEOUT_MAX,
				 &v)) <= 0) {
			if (r < 0)
				return fail(e, "`%s': timeout must be 1..%u",
					    w[i], PCCVS_PERSIST_TIMEOUT_MAX);
			s->timeout = (uint32_t)v;
		} else if ((r = opt_num(w[i], "netmask", 0, maxmask, &v)) <= 0) {
			if (r < 0)
				return fail(e, "`%s': netmask must be 0..%u",
					    w[i], maxmask);
			s->netmask = (uint8_t)v;
		} else if (strncmp(w[i], "sched=", 6) == 0) {
			if (!name_ok(w[i] + 6, PCCVS_SCHED_NAME_MAX - 1))
				return fail(e, "`%s': bad scheduler name", w[i]);
			strcpy(s->sched, w[i] + 6);
		} else if (strncmp(w[i], "pgroup=", 7) == 0) {
			if (!name_ok(w[i] + 7, PCCVS_PGROUP_NAME_MAX - 1))
				return fail(e, "`%s': port group must be 1..%d "
					    "characters of [A-Za-z0-9_.-]",
					    w[i], PCCVS_PGROUP_NAME_MAX - 1);
			strcpy(s->pgroup, w[i] + 7);
		} else {
			return fail(e, "unknown option `%s' (timeout=, netmask=, "
				    "sched=, pgroup=)", w[i]);
		}
	}
	return 0;
}

static int parse_sim_svc(struct syncd_conf *c, const struct key_def *k,
			 char *val, struct perr *e)
{
	char *w[8];
	int n = words(val, w, 8);
	struct syncd_sim_svc s = { .timeout = PCCVS_PERSIST_TIMEOUT_DEFAULT };

	if (n < 3)
		return fail(e, "expected `PROTO VIP PORT [timeout=S] [netmask=N] "
			    "[sched=NAME] [pgroup=NAME]'");
	if (c->n_sim_svc == SYNCD_SIM_SVC_MAX)
		return fail(e, "at most %d services", SYNCD_SIM_SVC_MAX);
	if (parse_proto(w[0], &s.protocol) < 0)
		return fail(e, "protocol `%s' must be tcp, udp or sctp", w[0]);
	if (parse_addr(w[1], &s.vaddr) < 0)
		return fail(e, "`%s' is not a numeric IPv4/IPv6 address", w[1]);
	if (parse_port(w[2], &s.port) < 0)
		return fail(e, "port `%s' must be 0..65535", w[2]);
	s.af = s.vaddr.af;
	s.netmask = s.af == AF_INET ? 32 : 128;
	if (svc_options(&s, w + 3, n - 3, e) < 0)
		return -EINVAL;
	for (size_t i = 0; i < c->n_sim_svc; i++) {
		const struct syncd_sim_svc *o = &c->sim_svc[i];

		if (o->protocol == s.protocol && o->port == s.port &&
		    addr_eq(&o->vaddr, &s.vaddr))
			return fail(e, "service %s %s %s defined twice", w[0],
				    w[1], w[2]);
	}
	c->sim_svc[c->n_sim_svc++] = s;
	return 0;
}

static int parse_sim_dest(struct syncd_conf *c, const struct key_def *k,
			  char *val, struct perr *e)
{
	char *w[8];
	int n = words(val, w, 8);
	struct syncd_sim_dest d = { .weight = 1 };
	struct pccvs_addr vip;
	uint8_t proto;
	uint16_t vport;
	uint64_t v;
	size_t i;

	if (n < 5 || n > 6)
		return fail(e, "expected `PROTO VIP PORT RIP RPORT [weight=W]'");
	if (c->n_sim_dest == SYNCD_SIM_DEST_MAX)
		return fail(e, "at most %d dests", SYNCD_SIM_DEST_MAX);
	if (parse_proto(w[0], &proto) < 0 || parse_addr(w[1], &vip) < 0 ||
	    parse_port(w[2], &vport) < 0)
		return fail(e, "`%s %s %s' is not a service (PROTO VIP PORT)",
			    w[0], w[1], w[2]);
	for (i = 0; i < c->n_sim_svc; i++) {
		const struct syncd_sim_svc *s = &c->sim_svc[i];

		if (s->protocol == proto && s->port == vport &&
		    addr_eq(&s->vaddr, &vip))
			break;
	}
	if (i == c->n_sim_svc)
		return fail(e, "service %s %s %s is not defined by an earlier "
			    "sim_service line", w[0], w[1], w[2]);
	d.svc = (uint16_t)i;
	if (parse_addr(w[3], &d.addr) < 0 || d.addr.af != vip.af)
		return fail(e, "`%s' is not an address of the service's family",
			    w[3]);
	if (parse_port(w[4], &d.port) < 0)
		return fail(e, "port `%s' must be 0..65535", w[4]);
	if (n == 6) {
		if (opt_num(w[5], "weight", 0, PCCVS_WEIGHT_MAX, &v) != 0)
			return fail(e, "`%s': expected weight=0..%d", w[5],
				    PCCVS_WEIGHT_MAX);
		d.weight = (uint32_t)v;
	}
	c->sim_dest[c->n_sim_dest++] = d;
	return 0;
}

/* HA keys (ha/ha_conf.c checks the values). */
static int parse_ha(struct syncd_conf *c, const struct key_def *k, char *val,
		    struct perr *e)
{
	char msg[256];

	if (ha_conf_key(&c->ha, k->name, val, e->line, msg, sizeof(msg)) < 0)
		return fail(e, "%s", msg);
	return 0;
}

#define U32(field, lo, hi) parse_u32, offsetof(struct syncd_conf, field), lo, hi
static const struct key_def keys[] = {
	{ "group", parse_group },
	{ "batch_templates", U32(batch_templates, 1, 65536) },
	{ "max_message_bytes", U32(max_message_bytes, 4096, 1000000), true },
	{ "flush_interval_ms", U32(flush_interval_ms, 0, 1000) },
	{ "retry_max_ms", U32(retry_max_ms, 1, 1000) },
	{ "netlink_rcvbuf", U32(netlink_rcvbuf, 65536, 1U << 30), true },
	{ "max_pending", U32(max_pending, 1024, 1U << 24) },
	{ "snapshot_chunk_bytes", U32(snapshot_chunk_bytes, 4096, 1000000),
	  true },
	{ "status_wait_ms", U32(status_wait_ms, 100, 60000) },
	{ "xfer_timeout_ms", U32(xfer_timeout_ms, 1000, 600000) },
	{ "priority", U32(priority, 0, 255) },
	{ "log_level", parse_log_level },
	{ "log_target", parse_log_target },
	{ "backend", parse_backend },
	{ "ipc_group", parse_ipc_group },
	{ "state_dir", parse_state_dir },
	{ "sim_tpl_max", U32(sim_tpl_max, 1, PCCVS_LIMIT_MAX), .sim_only = true },
	{ "sim_conn_max", U32(sim_conn_max, 1, PCCVS_LIMIT_MAX),
	  .sim_only = true },
	{ "sim_service", parse_sim_svc, .repeat = true, .sim_only = true },
	{ "sim_dest", parse_sim_dest, .repeat = true, .sim_only = true },
	{ "vip", parse_ha, .repeat = true },
	{ "preempt", parse_ha },
	{ "preempt_delay", parse_ha },
	{ "garp_count", parse_ha },
	{ "garp_interval_ms", parse_ha },
	{ "notify", parse_ha },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void conf_defaults(struct syncd_conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->group, "pccvs");
	c->batch_templates = 2048;
	c->max_message_bytes = 65536;
	c->flush_interval_ms = 2;
	c->retry_max_ms = 5;
	c->netlink_rcvbuf = 4U << 20;
	c->max_pending = 262144;
	c->snapshot_chunk_bytes = 65536;
	c->status_wait_ms = 2000;
	c->xfer_timeout_ms = 15000;
	c->priority = 100;
	c->log_level = LOG_INFO;
	c->log_target = SYNCD_LOG_SYSLOG;
	c->backend = SYNCD_BACKEND_NETLINK;
	c->sim_tpl_max = 1U << 22;
	c->sim_conn_max = 1U << 20;
	strcpy(c->state_dir, "/var/lib/pccvs");
	ha_conf_defaults(&c->ha);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Cut a comment: "#" at the start or after whitespace. */
static void cut_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static int parse_line(struct syncd_conf *c, char *line, unsigned int *seen,
		      unsigned int *sim_line, struct perr *e)
{
	char *eq, *key, *val;
	size_t i;

	cut_comment(line);
	line = trim(line);
	if (!*line)
		return 0;
	e->key = NULL;
	eq = strchr(line, '=');
	if (!eq)
		return fail(e, "expected `key = value', got `%s'", line);
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0)
			break;
	if (i == NKEYS) {
		e->key = NULL;
		return fail(e, "unknown key `%s'", key);
	}
	e->key = keys[i].name;
	if (seen[i] && !keys[i].repeat)
		return fail(e, "set twice (first on line %u)", seen[i]);
	if (!*val)
		return fail(e, "empty value");
	seen[i] = e->line;
	if (keys[i].sim_only && !*sim_line)
		*sim_line = e->line;
	return keys[i].parse(c, &keys[i], val, e);
}

static unsigned int key_line(const unsigned int *seen, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return seen[i];
	return 0;
}

static int check_all(struct syncd_conf *c, const unsigned int *seen,
		     unsigned int sim_line, struct perr *e)
{
	char msg[256];

	if (ha_conf_check(&c->ha, &e->key, &e->line, msg, sizeof(msg)) < 0)
		return fail(e, "%s", msg);
	if (c->backend != SYNCD_BACKEND_SIM && sim_line) {
		e->line = sim_line;
		e->key = "sim_*";
		return fail(e, "only valid with backend = sim");
	}
	if (c->snapshot_chunk_bytes > c->max_message_bytes) {
		e->line = key_line(seen, "snapshot_chunk_bytes");
		if (!e->line)
			e->line = key_line(seen, "max_message_bytes");
		e->key = "snapshot_chunk_bytes";
		return fail(e, "must not exceed max_message_bytes (%u)",
			    c->max_message_bytes);
	}
	return 0;
}

int conf_parse(struct syncd_conf *c, const char *text, size_t len,
	       const char *fname, char *err, size_t errlen)
{
	struct perr e = { .buf = err, .len = errlen, .fname = fname };
	unsigned int seen[NKEYS] = { 0 }, sim_line = 0;
	char *copy = malloc(len + 1), *line, *next;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (errlen)
		err[0] = '\0';
	for (line = copy; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		e.line++;
		if (strlen(line) != (size_t)((next ? next - 1 : copy + len) - line)) {
			rc = fail(&e, "NUL byte in line");
			break;
		}
		rc = parse_line(c, line, seen, &sim_line, &e);
	}
	if (rc == 0)
		rc = check_all(c, seen, sim_line, &e);
	free(copy);
	return rc;
}

int conf_load(struct syncd_conf *c, const char *path, char *err, size_t errlen)
{
	char *buf = malloc(SYNCD_CONF_MAX_BYTES + 1);
	size_t len = 0;
	ssize_t n;
	int fd, rc;

	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		return rc;
	}
	while ((n = read(fd, buf + len, SYNCD_CONF_MAX_BYTES + 1 - len)) > 0)
		len += (size_t)n;
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc == 0 && len > SYNCD_CONF_MAX_BYTES)
		rc = -EFBIG;
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	else
		rc = conf_parse(c, buf, len, path, err, errlen);
	free(buf);
	return rc;
}
