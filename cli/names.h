/* SPDX-License-Identifier: GPL-2.0 */
/*
 * names.h: the only place pccvsadm looks up names (DNS, /etc/hosts,
 * /etc/services). Edits are resolved all at once, before any change is
 * made; listings show names unless -n.
 */
#ifndef PCCVSADM_NAMES_H
#define PCCVSADM_NAMES_H

#include "edit.h"

/* Resolve the names left in edits, then adm_edit_finish() them. A host
 * name must have exactly one address in the family used (IPv4 first,
 * IPv6 for bracketed names and real servers of IPv6 services).
 * -EINVAL: unknown or ambiguous name; -EAGAIN: the lookup itself failed. */
int adm_resolve_edits(struct adm_edit *v, size_t n, struct pccvs_err *err);

#define ADM_NAME_STRLEN 1100	/* NI_MAXHOST + brackets + port */

/* "host:port" ("[host]:port" for IPv6) with names unless numeric, each
 * part falling back to its number. */
const char *adm_addrport_name(const struct pccvs_addr *a, uint16_t port,
			      uint8_t protocol, bool numeric, char *buf,
			      size_t len);

#endif /* PCCVSADM_NAMES_H */
