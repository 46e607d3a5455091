// SPDX-License-Identifier: GPL-2.0
/*
 * syncd_config_fuzz: what a director takes from others for cluster-wide
 * configuration edits, on arbitrary bytes:
 *   first byte even  an IPC CFG_EDIT request from a local client
 *                    (cfg_ipc_edit_decode), then its check and application
 *                    against a configuration (the one parser, adm_plan)
 *   first byte odd   a CPG message: unpack, header/body checks, then a
 *                    ConfigEdit applied, a ConfigState taken (digest, text)
 *                    or a ConfigQuery/Report read
 * The configuration is reset every so often so it stays small.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_core.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
	"-A -t 192.0.2.10:80 -s rr -p 300 --pgroup web\n"
	"-a -t 192.0.2.10:80 -r 10.0.0.1:80 -g -w 1\n"
	"-A -t 192.0.2.10:443 -s rr -p 300 --pgroup web\n"
	"-a -t 192.0.2.10:443 -r 10.0.0.1:443 -g -w 1\n"
	"-A -u [2001:db8::1]:53 -s sh -b sh-port\n"
	"--set 900 120 300\n";

static void edit(struct cfg_core *c, const struct cfg_edit *e)
{
	struct cfg_outcome o;

	cfg_outcome_init(&o);
	if (cfg_core_check(c, e, &o) == 0) {
		cfg_outcome_fini(&o);
		cfg_outcome_init(&o);
		cfg_core_apply(c, e, &o);
	}
	cfg_outcome_fini(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cfg_core c;
	static struct wire_arena *a;
	static unsigned int runs;
	char msg[SYNCD_CFG_MSG_MAX];
	enum wire_refuse why;
	Pccvs__Envelope *e;

	if (!a) {
		a = wire_arena_new();
		cfg_core_init(&c);
	}
	if (!c.have || ++runs % 64 == 0) {
		cfg_core_fini(&c);
		cfg_core_init(&c);
		cfg_core_set(&c, 1, base, strlen(base), 0, false, msg, sizeof(msg));
		c.mode = CFG_CURRENT;
	}
	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		struct cfg_edit ed = { 0 };
		void *req = malloc(size - 1 + 1);

		memcpy(req, data + 1, size - 1);	/* aligned copy */
		if (cfg_ipc_edit_decode(req, size - 1, &ed, msg, sizeof(msg)) == 0) {
			edit(&c, &ed);
			free((char *)ed.lines);
		}
		free(req);
		return 0;
	}
	e = wire_unpack(a, data + 1, size - 1);
	if (!e || wire_check_header(e, e->has_sender ? e->sender : 0, &why) < 0 ||
	    wire_check_body(e, &why) < 0)
		goto out;
	switch (e->body_case) {
	case PCCVS__ENVELOPE__BODY_CONFIG_EDIT:
		edit(&c, &(struct cfg_edit){ .lines = e->config_edit->lines,
			.numbered = e->config_edit->numbered,
			.grammar = e->config_edit->has_grammar ?
				   e->config_edit->grammar : 1 });
		break;
	case PCCVS__ENVELOPE__BODY_CONFIG_STATE:
		cfg_core_set(&c, e->config_state->version, e->config_state->config,
			     strlen(e->config_state->config), e->config_state->digest,
			     data[0] & 2, msg, sizeof(msg));
		break;
	case PCCVS__ENVELOPE__BODY_CONFIG_REPORT:
		if (e->config_report->module_config && c.have) {
			char *d = NULL;
			size_t n;

			adm_config_text_diff(c.text, c.len, e->config_report->module_config,
					     strlen(e->config_report->module_config),
					     &d, &n);
			free(d);
		}
		break;
	default:
		break;
	}
out:
	wire_arena_reset(a);
	return 0;
}
