// SPDX-License-Identifier: GPL-2.0
/* log.c: qb_log to syslog, or to stderr in the foreground. */
#include <stdbool.h>
#include <syslog.h>
#include <qb/qbdefs.h>
#include <qb/qblog.h>

#include "syncd.h"

int log_setup(const struct syncd_conf *c, bool foreground)
{
	bool to_stderr = foreground || c->log_target == SYNCD_LOG_STDERR;

	qb_log_init("pccvs-syncd", LOG_DAEMON, (uint8_t)c->log_level);
	if (to_stderr) {
		qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
		qb_log_filter_ctl(QB_LOG_STDERR, QB_LOG_FILTER_ADD,
				  QB_LOG_FILTER_FILE, "*", (uint8_t)c->log_level);
		qb_log_format_set(QB_LOG_STDERR, "%t %p [%N] %b");
		qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_TRUE);
	}
	return 0;
}

void log_fini(void)
{
	qb_log_fini();
}
