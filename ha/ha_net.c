// SPDX-License-Identifier: GPL-2.0
/*
 * ha_net.c: VIP addresses over rtnetlink (libnl-route), announcements on
 * an AF_PACKET socket, the notify script (ha_net.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/if_packet.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>

#include "ha_net.h"
#include "ha_pkt.h"

extern char **environ;

int ha_net_open(struct ha_net *n)
{
	int rc;

	n->pkt = -1;
	n->sk = nl_socket_alloc();
	if (!n->sk)
		return -ENOMEM;
	rc = nl_connect(n->sk, NETLINK_ROUTE);
	if (rc < 0) {
		nl_socket_free(n->sk);
		n->sk = NULL;
		return -EIO;
	}
	/* protocol 0: send only, nothing is queued for us to read */
	n->pkt = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->pkt < 0) {
		rc = -errno;
		ha_net_close(n);
		return rc;
	}
	return 0;
}

void ha_net_close(struct ha_net *n)
{
	if (n->sk)
		nl_socket_free(n->sk);	/* closes the socket */
	n->sk = NULL;
	if (n->pkt >= 0)
		close(n->pkt);
	n->pkt = -1;
}

static int nl_to_errno(int e)
{
	switch (-e) {
	case NLE_EXIST: return -EEXIST;
	case NLE_NOADDR: return -EADDRNOTAVAIL;
	case NLE_OBJ_NOTFOUND: return -ENOENT;
	case NLE_NODEV: return -ENODEV;
	case NLE_PERM: return -EPERM;
	case NLE_INVAL: return -EINVAL;
	case NLE_NOMEM: return -ENOMEM;
	default: return -EIO;
	}
}

static struct rtnl_addr *build(const struct ha_vip *v, int *err)
{
	struct rtnl_addr *a;
	struct nl_addr *local;
	int idx = (int)if_nametoindex(v->dev);

	if (!idx) {
		*err = -ENODEV;
		return NULL;
	}
	a = rtnl_addr_alloc();
	local = nl_addr_build(v->af, v->addr, v->af == AF_INET ? 4 : 16);
	if (!a || !local) {
		rtnl_addr_put(a);
		nl_addr_put(local);
		*err = -ENOMEM;
		return NULL;
	}
	nl_addr_set_prefixlen(local, v->prefix);
	rtnl_addr_set_ifindex(a, idx);
	rtnl_addr_set_family(a, v->af);
	*err = rtnl_addr_set_local(a, local);
	nl_addr_put(local);
	if (*err < 0) {
		rtnl_addr_put(a);
		*err = -EINVAL;
		return NULL;
	}
	rtnl_addr_set_prefixlen(a, v->prefix);
	if (v->af == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);	/* usable at once */
	return a;
}

int ha_vip_add(struct ha_net *n, const struct ha_vip *v)
{
	int rc;
	struct rtnl_addr *a = build(v, &rc);

	if (!a)
		return rc;
	rc = rtnl_addr_add(n->sk, a, NLM_F_REPLACE);
	rtnl_addr_put(a);
	if (rc < 0 && nl_to_errno(rc) != -EEXIST)
		return nl_to_errno(rc);
	return 0;
}

int ha_vip_del(struct ha_net *n, const struct ha_vip *v)
{
	int rc;
	struct rtnl_addr *a = build(v, &rc);

	if (!a)
		return rc == -ENODEV ? 0 : rc;	/* no device, no address */
	rc = rtnl_addr_delete(n->sk, a, 0);
	rtnl_addr_put(a);
	if (rc < 0) {
		rc = nl_to_errno(rc);
		if (rc == -EADDRNOTAVAIL || rc == -ENOENT || rc == -ENODEV)
			return 0;
		return rc;
	}
	return 0;
}

int ha_vip_announce(struct ha_net *n, const struct ha_vip *v)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct ifreq ifr = { 0 };
	struct ha_pkt p;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", v->dev);
	if (ioctl(n->pkt, SIOCGIFINDEX, &ifr) < 0)
		return -errno;
	sll.sll_ifindex = ifr.ifr_ifindex;
	if (ioctl(n->pkt, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	if (v->af == AF_INET)
		ha_pkt_garp(&p, (const uint8_t *)ifr.ifr_hwaddr.sa_data, v->addr);
	else
		ha_pkt_una(&p, (const uint8_t *)ifr.ifr_hwaddr.sa_data, v->addr);
	sll.sll_protocol = htons(p.ethertype);
	memcpy(sll.sll_addr, p.dst_mac, 6);
	if (sendto(n->pkt, p.buf, p.len, 0, (struct sockaddr *)&sll,
		   sizeof(sll)) < 0)
		return -errno;
	return 0;
}

int ha_spawn_notify(const char *path, const char *role, char *const env[],
		    pid_t *pid)
{
	char *argv[] = { (char *)path, (char *)role, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
	rc = posix_spawn(pid, path, &fa, &at, argv, env ? env : environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -rc;
}
