/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ha.h: active/standby roles inside pccvs-syncd (docs/ha.md).
 *
 * ha_attach() registers HA on the daemon's extension points before it
 * starts: hooks on membership, quorum and members' Status, handlers of the
 * Role and Switchover messages, the HA IPC commands and SIGCHLD (notify
 * scripts) in the daemon's libqb loop. Everything runs in that loop; the
 * state is one struct ha. ha_detach() gives up the VIPs (before the daemon
 * leaves the group, so the successor finds them free) and frees it.
 */
#ifndef HA_H
#define HA_H

struct syncd;
struct ha;

int ha_attach(struct syncd *s, struct ha **out);
void ha_detach(struct ha *ha);

#endif /* HA_H */
