/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pccvs_sock.h: libpccvs internals shared by the command and event handles. */
#ifndef PCCVS_SOCK_H
#define PCCVS_SOCK_H

#include "pccvs.h"

struct nl_sock;

/* Sets e (if any) and returns code. */
int pccvs_fail(struct pccvs_err *e, int code, const char *msg);
void pccvs_err_clear(struct pccvs_err *e);
/* A connected generic netlink socket with extended ACKs, the family id. */
int pccvs_sock_open(struct nl_sock **out, int *family, struct pccvs_err *e);
void pccvs_sock_bufs(struct nl_sock *sk, int rcv, int snd);

#endif /* PCCVS_SOCK_H */
