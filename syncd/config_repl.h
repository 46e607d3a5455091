/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config_repl.h: cluster-wide configuration edits inside pccvs-syncd
 * (docs/cluster-edits.md). The state machine is config_core.c; this file
 * drives it: the state file, ConfigEdit/ConfigState/ConfigQuery/
 * ConfigReport over CPG, the IPC commands of config_ipc.h, and keeping the
 * forwarding table's services equal to the configuration (reconcile).
 *
 * Calls from the rest of the daemon:
 *   cfgrepl_init       syncd_init: handlers, hooks, IPC commands
 *   cfgrepl_load       main: the state file (a corrupt one stops the start)
 *   cfgrepl_backend_open  local.c: the table was opened: import it as
 *                      version 0 if there is no state, else make it match
 *   cfgrepl_have       local.c: the table's services come from us, so it is
 *                      ready even when the configuration has none
 *   cfgrepl_cut        sync.c: our SyncRequest was delivered (the cut)
 *   cfgrepl_serve      sync.c: we are the donor: ConfigState, before the
 *                      snapshot
 *   cfgrepl_rx_stop    sync.c: the transfer was given up
 */
#ifndef SYNCD_CONFIG_REPL_H
#define SYNCD_CONFIG_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct syncd;

int cfgrepl_init(struct syncd *s);
void cfgrepl_fini(struct syncd *s);
int cfgrepl_load(struct syncd *s, char *err, size_t errlen);
void cfgrepl_backend_open(struct syncd *s);
bool cfgrepl_have(const struct syncd *s);
void cfgrepl_cut(struct syncd *s, uint64_t xfer_id);
void cfgrepl_serve(struct syncd *s, uint64_t xfer_id, uint32_t target);
void cfgrepl_rx_stop(struct syncd *s);

#endif /* SYNCD_CONFIG_REPL_H */
