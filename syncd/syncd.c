// SPDX-License-Identifier: GPL-2.0
/*
 * syncd.c: the daemon context: creation, the one libqb loop, signals,
 * housekeeping, and the extension registries (handlers, hooks, IPC).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <qb/qblog.h>

#include "syncd.h"

#define HOUSEKEEPING_MS 1000

static const char *const state_names[] = {
	[SYNCD_ST_DISCONNECTED] = "disconnected", [SYNCD_ST_JOINING] = "joining",
	[SYNCD_ST_WAIT_STATUS] = "waiting for status",
	[SYNCD_ST_WAIT_SNAPSHOT] = "waiting for snapshot",
	[SYNCD_ST_RECEIVING] = "receiving snapshot",
	[SYNCD_ST_SYNCED] = "synced", [SYNCD_ST_NO_BACKEND] = "no backend",
	[SYNCD_ST_NO_QUORUM] = "no quorum",
};

uint64_t syncd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t syncd_now_ms(void)
{
	return syncd_now_ns() / 1000000;
}

int syncd_handler_set(struct syncd *s, unsigned int body_case,
		      syncd_msg_fn fn, void *arg)
{
	if (body_case >= SYNCD_BODY_MAX)
		return -EINVAL;
	s->handlers[body_case].fn = fn;
	s->handlers[body_case].arg = arg;
	return 0;
}

int syncd_hooks_add(struct syncd *s, const struct syncd_hooks *h)
{
	if (s->n_hooks == SYNCD_HOOKS_MAX)
		return -ENOSPC;
	s->hooks[s->n_hooks++] = *h;
	return 0;
}

int syncd_ipc_handler_set(struct syncd *s, unsigned int id, syncd_ipc_fn fn,
			  void *arg)
{
	if (id >= SYNCD_IPC_ID_MAX)
		return -EINVAL;
	s->ipc_handlers[id].fn = fn;
	s->ipc_handlers[id].arg = arg;
	return 0;
}

bool syncd_is_synced(const struct syncd *s)
{
	return s->synced;
}

bool syncd_is_quorate(const struct syncd *s)
{
	return s->quorum.quorate;
}

void syncd_set_state(struct syncd *s, enum syncd_state st)
{
	if (st == s->state)
		return;
	qb_log(LOG_DEBUG, "state: %s -> %s", state_names[s->state],
	       state_names[st]);
	s->state = st;
}

void syncd_set_synced(struct syncd *s, bool synced)
{
	if (synced == s->synced)
		return;
	s->synced = synced;
	qb_log(LOG_NOTICE, "%s", synced ? "synced with the cluster" :
					  "not synced");
	for (size_t i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].synced)
			s->hooks[i].synced(s, s->hooks[i].arg, synced);
}

int syncd_init(struct syncd *s, const struct syncd_conf *conf)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->conf = *conf;
	if (getrandom(&s->incarnation, sizeof(s->incarnation), 0) !=
	    sizeof(s->incarnation))
		s->incarnation = syncd_now_ns() ^ ((uint64_t)getpid() << 32);
	s->loop = qb_loop_create();
	if (!s->loop)
		return -ENOMEM;
	if ((rc = send_init(s)) < 0 || (rc = recv_init(s)) < 0)
		return rc;
	recv_register(s);
	sync_register(s);
	return cfgrepl_init(s);
}

static int32_t on_signal(int32_t sig, void *data)
{
	struct syncd *s = data;

	qb_log(LOG_NOTICE, "signal %d: shutting down", sig);
	syncd_stop(s);
	return 0;
}

static void housekeeping(void *data)
{
	struct syncd *s = data;

	send_check_unacked(s);
	qb_loop_timer_add(s->loop, QB_LOOP_LOW,
			  HOUSEKEEPING_MS * QB_TIME_NS_IN_MSEC, s, housekeeping,
			  &s->hk_timer);
}

int syncd_start(struct syncd *s)
{
	qb_loop_signal_handle h;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	qb_loop_signal_add(s->loop, QB_LOOP_HIGH, SIGTERM, s, on_signal, &h);
	qb_loop_signal_add(s->loop, QB_LOOP_HIGH, SIGINT, s, on_signal, &h);
	rc = ipc_start(s);
	if (rc < 0)
		return rc;
	local_start(s);
	cpg_start(s);
	qb_loop_timer_add(s->loop, QB_LOOP_LOW,
			  HOUSEKEEPING_MS * QB_TIME_NS_IN_MSEC, s, housekeeping,
			  &s->hk_timer);
	return 0;
}

void syncd_run(struct syncd *s)
{
	qb_loop_run(s->loop);
}

void syncd_stop(struct syncd *s)
{
	s->stopping = true;
	qb_loop_stop(s->loop);
}

/* Leave the group first (peers see a clean leave), then close. Nothing
 * is half-sent: every CPG message is atomic. */
void syncd_fini(struct syncd *s)
{
	if (!s->loop)
		return;
	s->stopping = true;
	qb_loop_timer_del(s->loop, s->hk_timer);
	cpg_stop(s);
	quorum_stop(s);
	local_stop(s);
	ipc_stop(s);
	sync_fini(s);
	send_fini(s);
	recv_fini(s);
	cfgrepl_fini(s);
	qb_loop_destroy(s->loop);
	s->loop = NULL;
}
