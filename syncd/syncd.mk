# syncd/: pccvs-syncd, template replication over corosync CPG.
#   $(BUILD)/rel/syncd/pccvs-syncd     the daemon (both backends)
#   SYNCD_LIB_SRCS                     the parts with no I/O (config, wire,
#                                      coalescing, membership, transfer
#                                      bookkeeping), for unit tests/fuzzers
# Needs libpccvs (lib/lib.mk) and the user-space core (kmod/core/core.mk:
# CORE_SRCS, $(BUILD)/rel/libpcccore.a) for the simulation backend.
SYNCD_LIB_SRCS := $(addprefix syncd/,conf.c wire.c tplkey.c coalesce.c \
	members.c xfer.c outq.c) $(HA_CONF_SRCS)
# Cluster-wide configuration edits: the state machine and the state file
# (no I/O but files; they need libpccvsadm, cli/cli.mk), and the daemon side.
SYNCD_CFG_SRCS := $(addprefix syncd/,config_core.c config_store.c)
SYNCD_DAEMON_SRCS := $(addprefix syncd/,main.c syncd.c cpg.c quorum.c send.c \
	recv.c sync.c produce.c local.c ipc.c log.c backend_nl.c backend_sim.c \
	sim_load.c config_repl.c config_sim.c) $(SYNCD_CFG_SRCS) \
	$(HA_DAEMON_SRCS)
SYNCD_CFLAGS := $(PROTO_CFLAGS) $(CS_CFLAGS) -I$(TOP)/syncd -I$(TOP)/kmod/core \
	$(HA_CFLAGS) -I$(TOP)/cli
SYNCD_LIBS := $(CS_LIBS) $(PB_LIBS) $(NL_LIBS)
PCCVS_SYNCD := $(BUILD)/rel/syncd/pccvs-syncd
SYNCD_CORE_REL = $(CORE_LIB_rel)

SYNCD_ALL_OBJS := $(foreach f,rel asan fuzz,\
	$(call objs,$(f),$(SYNCD_LIB_SRCS) $(SYNCD_DAEMON_SRCS)))
$(SYNCD_ALL_OBJS): EXTRA_CFLAGS += $(SYNCD_CFLAGS)
$(SYNCD_ALL_OBJS): | $(PROTO_H)

ifneq ($(CORE_SRCS),)
# pccvsadm's library (parser, model, planning) and its netlink backend.
$(PCCVS_SYNCD): $(call objs,rel,$(SYNCD_DAEMON_SRCS) $(SYNCD_LIB_SRCS) \
		$(PROTO_SRC) cli/backend_nl.c) $(LIBPCCVSADM_rel) $(LIBPCCVS_REL) \
		$(SYNCD_CORE_REL)
	$(CC) -o $@ $^ $(SYNCD_LIBS)
ALL_TARGETS += $(PCCVS_SYNCD)
endif

SYNCD_CONF_DIR ?= /etc/pccvs
SYSTEMD_UNIT_DIR ?= /lib/systemd/system
.PHONY: install-syncd
install-syncd: $(PCCVS_SYNCD)
	install -D -m 0755 $(PCCVS_SYNCD) $(DESTDIR)$(PREFIX)/sbin/pccvs-syncd
	install -D -m 0644 syncd/pccvs-syncd.8 $(DESTDIR)$(PREFIX)/share/man/man8/pccvs-syncd.8
	install -D -m 0644 deploy/pccvs-syncd.service \
		$(DESTDIR)$(SYSTEMD_UNIT_DIR)/pccvs-syncd.service
	@if [ -e $(DESTDIR)$(SYNCD_CONF_DIR)/syncd.conf ]; then \
		echo "keeping $(DESTDIR)$(SYNCD_CONF_DIR)/syncd.conf"; \
	else \
		install -D -m 0644 deploy/syncd.conf \
			$(DESTDIR)$(SYNCD_CONF_DIR)/syncd.conf; \
	fi
INSTALL_TARGETS += install-syncd
