// SPDX-License-Identifier: GPL-2.0
/* syncd_conf_fuzz: the syncd.conf parser on arbitrary text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syncd_conf c;
	char err[512];

	conf_defaults(&c);
	if (conf_parse(&c, (const char *)data, size, "fuzz.conf", err,
		       sizeof(err)) < 0 && !memchr(err, ':', sizeof(err)))
		__builtin_trap();	/* every error names file:line */
	return 0;
}
