// SPDX-License-Identifier: GPL-2.0
/*
 * cli_parse.c: libFuzzer target for pccvsadm's parser. The first byte picks
 * the input form: -R text (lines) or command-line words (NUL separated).
 * Whatever parses is planned against a small configuration with a port
 * group (validation, --all-ports, port group checks) and the result printed
 * as -S and -L -o json. Names are never resolved (no I/O).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "parse.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct adm_model base;
static FILE *devnull;

static const char base_text[] =
	"-A -t 192.0.2.10:80 -s wlc -p 300 --pgroup web\n"
	"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1\n"
	"-A -t 192.0.2.10:443 -s wlc -p 300 --pgroup web\n"
	"-a -t 192.0.2.10:443 -r 198.51.100.1:443 -g -w 1\n"
	"-A -u [2001:db8::1]:53 -s sh -b sh-port\n"
	"-a -u [2001:db8::1]:53 -r [2001:db8::10]:5353 -m -w 2 -x 10 -y 5\n"
	"-A -f 7 -s rr\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct adm_model empty;
	struct adm_edits l, out;
	struct pccvs_err err;

	adm_edits_init(&l);
	adm_edits_init(&out);
	adm_model_init(&empty);
	adm_model_init(&base);
	if (adm_restore_parse(base_text, sizeof(base_text) - 1, &l, NULL, NULL) ||
	    adm_plan(&empty, l.v, l.n, &out, &base, &err))
		abort();
	adm_edits_free(&l);
	adm_edits_free(&out);
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

/* Plan the resolved edits; print what they lead to. */
static void plan(struct adm_edits *l)
{
	struct pccvs_info info = { .version = "fuzz" };
	struct adm_fmt fmt = { .numeric = true, .json = true };
	struct adm_edits out;
	struct adm_model fin;
	struct pccvs_err err;
	size_t i, k = 0;

	for (i = 0; i < l->n; i++)
		if (!adm_edit_unresolved(&l->v[i]))
			l->v[k++] = l->v[i];
	l->n = k;
	adm_edits_init(&out);
	adm_model_init(&fin);
	if (!adm_plan(&base, l->v, l->n, &out, &fin, &err)) {
		adm_model_sort(&fin);
		adm_print_save(devnull, &fin, true);
		adm_print_services(devnull, &fin, &info, &fmt);
	}
	adm_model_free(&fin);
	adm_edits_free(&out);
}

static void words(const uint8_t *data, size_t size, struct adm_edits *l)
{
	char *buf = malloc(size + 1), *argv[64];
	struct pccvs_err err;
	struct adm_cmd cmd;
	size_t i;
	int n = 0;

	if (!buf)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[n++] = buf;
	for (i = 0; i < size && n < 64; i++)
		if (!buf[i])
			argv[n++] = buf + i + 1;
	if (!adm_parse(n, argv, &cmd, &err) && cmd.verb->op != ADM_OP_NONE)
		adm_edits_push(l, &cmd.edit);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adm_edits l;

	if (!size)
		return 0;
	adm_edits_init(&l);
	if (data[0] & 1)
		words(data + 1, size - 1, &l);
	else if (adm_restore_parse((const char *)data + 1, size - 1, &l, NULL, NULL))
		l.n = 0;
	plan(&l);
	adm_edits_free(&l);
	return 0;
}
