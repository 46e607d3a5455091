/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h: the one parser of pccvsadm. Command-line arguments and each line
 * of -R input go through adm_parse(), which checks the command/option
 * matrix of the verb table and interprets the values into a struct adm_cmd.
 * No I/O: host and port names are kept for the resolver (names.c).
 */
#ifndef PCCVSADM_PARSE_H
#define PCCVSADM_PARSE_H

#include "edit.h"

enum adm_verb_id {
	ADM_V_NONE = 0,
	ADM_V_SVC_ADD, ADM_V_SVC_EDIT, ADM_V_SVC_DEL,
	ADM_V_DEST_ADD, ADM_V_DEST_EDIT, ADM_V_DEST_DEL,
	ADM_V_CLEAR, ADM_V_ZERO, ADM_V_SET, ADM_V_SET_LIMITS,
	ADM_V_RESTORE, ADM_V_SAVE, ADM_V_LIST, ADM_V_INFO, ADM_V_HELP,
	ADM_V_CLUSTER,
	ADM_V_COUNT
};

/* Options (bit numbers in adm_cmd.opts). */
enum adm_opt_id {
	ADM_O_TCP, ADM_O_UDP, ADM_O_SCTP, ADM_O_FWMARK, ADM_O_IPV6,
	ADM_O_SCHED, ADM_O_PERSIST, ADM_O_NETMASK, ADM_O_SCHED_FLAGS,
	ADM_O_PGROUP, ADM_O_REAL, ADM_O_GATE, ADM_O_IPIP, ADM_O_MASQ,
	ADM_O_WEIGHT, ADM_O_UTHRESH, ADM_O_LTHRESH, ADM_O_ALL_PORTS,
	ADM_O_TUN_TYPE, ADM_O_NUMERIC, ADM_O_CONN, ADM_O_STATS, ADM_O_RATE,
	ADM_O_EXACT, ADM_O_SORT, ADM_O_NOSORT, ADM_O_PERSIST_CONN,
	ADM_O_TIMEOUT, ADM_O_THRESHOLDS, ADM_O_TEMPLATES, ADM_O_OUTPUT,
	ADM_O_COUNT
};
#define ADM_OPT(id) (1ULL << (id))

/* A verb of the grammar table: which options it takes and needs. */
struct adm_verb {
	enum adm_verb_id id;
	char sname;		/* short option, 0 if none */
	const char *lname;	/* long option */
	enum adm_op op;		/* configuration verbs: the edit they make */
	uint64_t allowed;	/* ADM_OPT() bits */
	uint8_t needs;		/* ADM_NEED_* */
	uint8_t nargs;		/* words that follow the verb (--set: 3) */
	bool in_restore;	/* allowed in -R input */
};
#define ADM_NEED_SVC	0x01	/* -t, -u, --sctp-service or -f */
#define ADM_NEED_DEST	0x02	/* -r */
#define ADM_SVC_OPTS	(ADM_OPT(ADM_O_TCP) | ADM_OPT(ADM_O_UDP) | \
			 ADM_OPT(ADM_O_SCTP) | ADM_OPT(ADM_O_FWMARK))

extern const struct adm_verb adm_verbs[];	/* ends with id ADM_V_NONE */
const struct adm_verb *adm_verb_get(enum adm_verb_id id);
/* "-A (--add-service)" */
const char *adm_verb_str(const struct adm_verb *v, char *buf, size_t len);

enum adm_output { ADM_OUT_TEXT = 0, ADM_OUT_JSON };

struct adm_cmd {
	const struct adm_verb *verb;
	uint64_t opts;			/* ADM_OPT() bits given */
	struct adm_edit edit;		/* configuration verbs; svc filters -L, -Z */
	enum adm_output output;
	/* "cluster status|diff|config" / "cluster switchover NODE"
	 * (pccvs-syncd) */
	enum { ADM_CLUSTER_STATUS, ADM_CLUSTER_SWITCHOVER, ADM_CLUSTER_DIFF,
	       ADM_CLUSTER_CONFIG } cluster_op;
	uint32_t cluster_node;
};

/*
 * Parse one command: argv holds the words after the program name (or of
 * one -R line, without a leading "ipvsadm"). No words at all means -L.
 * Returns 0, or -EINVAL with err->msg naming the bad token and the rule.
 */
int adm_parse(int argc, char *const argv[], struct adm_cmd *cmd,
	      struct pccvs_err *err);

/*
 * -R input: every line through adm_parse(); blank lines and lines starting
 * with '#' are skipped, a leading "ipvsadm" or "pccvsadm" word is dropped.
 * The edits are appended to out (with their line numbers). Each bad line
 * is passed to report ("line N: ..."); returns the number of bad lines, or
 * -ENOMEM.
 */
typedef void (*adm_report_fn)(void *arg, const struct pccvs_err *err);
int adm_restore_parse(const char *text, size_t len, struct adm_edits *out,
		      adm_report_fn report, void *arg);

/* Value parsers (token.c): 0 or -EINVAL with a message quoting the token. */
int adm_parse_u32(const char *tok, const char *what, uint32_t min,
		  uint32_t max, uint32_t *out, struct pccvs_err *err);
/* "addr", "addr:port", "[v6]", "[v6]:port", "name[:port]". Numeric parts
 * land in addr/port, names in name. */
int adm_parse_hostport(const char *tok, const char *what,
		       struct pccvs_addr *addr, uint16_t *port,
		       struct adm_name *name, struct pccvs_err *err);
/* "255.255.255.0" (dotted = true) or a prefix length 0-128. */
int adm_parse_netmask(const char *tok, uint8_t *prefix, bool *dotted,
		      struct pccvs_err *err);
int adm_parse_sched(const char *tok, char *out, struct pccvs_err *err);
int adm_parse_sched_flags(const char *tok, uint32_t *flags,
			  enum adm_sched_family *fam, struct pccvs_err *err);
int adm_parse_pgroup(const char *tok, char *out, struct pccvs_err *err);
/* The schedulers the module knows, NULL-terminated. */
extern const char *const adm_schedulers[];
/* "sh-port" etc. for flags, as -S and -L print them (comma separated). */
const char *adm_sched_flags_str(const char *sched, uint32_t flags, char *buf,
				size_t len);

#endif /* PCCVSADM_PARSE_H */
