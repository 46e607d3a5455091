/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ha_net.h: what becoming active or standby does to the host: VIP
 * addresses (libnl-route), gratuitous ARP / unsolicited NA (AF_PACKET),
 * and the notify script (posix_spawn, reaped by the caller on SIGCHLD).
 * Every call is short and non-blocking apart from one netlink round trip
 * to the local kernel.
 */
#ifndef HA_NET_H
#define HA_NET_H

#include <sys/types.h>

#include "ha_conf.h"

struct nl_sock;

struct ha_net {
	struct nl_sock *sk;	/* NETLINK_ROUTE */
	int pkt;		/* AF_PACKET, SOCK_DGRAM: announcements */
};

int ha_net_open(struct ha_net *n);
void ha_net_close(struct ha_net *n);

/* 0 (also when the address is already there / already gone) or -errno. */
int ha_vip_add(struct ha_net *n, const struct ha_vip *v);
int ha_vip_del(struct ha_net *n, const struct ha_vip *v);
/* One GARP (IPv4) or unsolicited NA (IPv6) for v. 0 or -errno. */
int ha_vip_announce(struct ha_net *n, const struct ha_vip *v);

/* Runs "path role" with PCCVS_* variables; *pid set. 0 or -errno. */
int ha_spawn_notify(const char *path, const char *role, char *const env[],
		    pid_t *pid);

#endif /* HA_NET_H */
