/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim.h: TEST ONLY. The simulation backend's state: the user-space build
 * of the forwarding core (kmod/core) with the services of the config, an
 * event queue that behaves like the module's event socket (bounded; an
 * overrun is reported as -ENOBUFS), a load generator that creates
 * confirmed templates by feeding SYN and ACK packets through pcc_decide(),
 * and a latency probe measured at injection.
 */
#ifndef SYNCD_SIM_H
#define SYNCD_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <qb/qbloop.h>
#include <pccvs.h>

#include "backend.h"
#include "pcc_core.h"
#include "syncd_ipc.h"

#define SIM_LAT_BUCKETS 20000	/* 10 us each: 0 .. 200 ms, then overflow */
#define SIM_LAT_STEP_NS 10000

struct sim_load {
	bool running;
	uint32_t flags;
	uint64_t count, rate, start;
	uint64_t done;		/* attempted so far */
	uint64_t created, failed, deleted;
	uint64_t t0_ns, end_ns;
	uint64_t last_ns;	/* latency clients: strictly increasing */
	qb_loop_timer_handle timer;
};

struct sim {
	struct backend *b;
	struct pcc_table *t;
	int efd;
	struct pccvs_tpl *q;	/* pending events */
	size_t qn, qcap, qmax;
	bool overrun, signalled;
	bool quiet;		/* generator running with SYNCD_SIM_F_QUIET */
	struct sim_load load;
	uint64_t injected, inject_first_ns, inject_last_ns;
	uint64_t lat_count, lat_max_ns;
	uint32_t *lat;		/* SIM_LAT_BUCKETS + 1 */
};

uint64_t sim_now_ns(void);
static inline uint64_t sim_now_ms(void)
{
	return sim_now_ns() / 1000000;
}

void sim_tpl_from_info(struct pccvs_tpl *o, const struct pcc_tpl_info *i);
void sim_dom_from_tpl(struct pcc_domain *d, const struct pccvs_tpl *t);

/* config_sim.c: the service configuration (backend_ops cfg_load/apply) */
int sim_cfg_load(struct backend *b, struct adm_config *c, struct pccvs_err *err);
int sim_cfg_apply(struct backend *b, const struct adm_edit *v, size_t n,
		  size_t *done, struct pccvs_err *err);

/* sim_load.c */
int sim_control(struct backend *b, uint32_t cmd, const void *req,
		size_t req_len, void *resp, size_t *resp_len);
void sim_load_stop(struct sim *sim);
void sim_latency_probe(struct sim *sim, const struct pccvs_tpl *t,
		       uint64_t now_ns);

#endif /* SYNCD_SIM_H */
