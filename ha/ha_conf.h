/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ha_conf.h: the HA keys of syncd.conf (docs/ha.md). syncd/conf.c hands
 * every HA key to ha_conf_key() and calls ha_conf_check() once the whole
 * file is read; the rules are as strict as the rest of the file: an
 * unknown word, a bad address or a value out of range is one error naming
 * the key and the rule.
 *
 *   vip = ADDR/PREFIX dev IFNAME   repeatable (HA_VIP_MAX); IPv4 or IPv6
 *   preempt = yes|no               default no
 *   preempt_delay = MS             0..3600000, default 0; needs preempt = yes
 *   garp_count = N                 1..100, default 5 (GARP / unsolicited NA)
 *   garp_interval_ms = MS          10..10000, default 200
 *   notify = /ABSOLUTE/PATH        run with the new role on each change
 * (priority is the daemon's own key: it travels in every Status.)
 */
#ifndef HA_CONF_H
#define HA_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HA_VIP_MAX 16
#define HA_NOTIFY_MAX 256

struct ha_vip {
	uint16_t af;		/* AF_INET / AF_INET6 */
	uint8_t prefix;
	uint8_t addr[16];
	char dev[IF_NAMESIZE];
};

struct ha_conf {
	size_t n_vip;
	struct ha_vip vip[HA_VIP_MAX];
	bool preempt;
	uint32_t preempt_delay_ms;
	uint32_t garp_count;
	uint32_t garp_interval_ms;
	char notify[HA_NOTIFY_MAX];	/* "" = none */
	unsigned int line_preempt_delay;	/* for the cross-key check */
};

void ha_conf_defaults(struct ha_conf *c);

/* Is name an HA key? (for the daemon's key table) */
bool ha_conf_is_key(const char *name);
bool ha_conf_key_repeats(const char *name);

/*
 * One "key = value" (value trimmed, not empty). On error returns -EINVAL
 * and writes the problem (without file:line: the caller adds them) into
 * err.
 */
int ha_conf_key(struct ha_conf *c, const char *key, const char *val,
		unsigned int line, char *err, size_t errlen);

/* Rules across keys, after the whole file. -EINVAL with *key and err set. */
int ha_conf_check(const struct ha_conf *c, const char **key,
		  unsigned int *line, char *err, size_t errlen);

/* "203.0.113.100/32 dev eth0" */
const char *ha_vip_str(const struct ha_vip *v, char *buf, size_t len);

#endif /* HA_CONF_H */
