# cli/: pccvsadm, the ipvsadm-compatible command-line tool.
# libpccvsadm.a holds everything but main.c and the netlink backend: the
# parser, the edit and configuration models, validation and planning, the
# listings and the verbs over the backend facade. The unit tests (asan) and
# the sync daemon (cluster mode) link it, followed by libpccvs (it uses only
# the helpers of lib/pccvs_util.c, which need no libnl); the fuzzer builds
# its own flavour.
CLI_LIB_SRCS := $(addprefix cli/,edit.c token.c grammar.c parse.c restore.c \
	model.c validate.c pgroup.c plan.c names.c json.c list.c save.c conns.c \
	templates.c info.c adm.c cmd_edit.c cmd_list.c cmd_restore.c cmd_save.c \
	cmd_info.c usage.c cmd_cluster.c edit_text.c config.c)
CLI_BIN_SRCS := cli/main.c cli/backend_nl.c cli/cluster_ipc.c cli/backend_cluster.c

LIBPCCVSADM_rel := $(BUILD)/rel/libpccvsadm.a
LIBPCCVSADM_asan := $(BUILD)/asan/libpccvsadm.a
PCCVSADM := $(BUILD)/rel/cli/pccvsadm

$(LIBPCCVSADM_rel): $(call objs,rel,$(CLI_LIB_SRCS))
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
$(LIBPCCVSADM_asan): $(call objs,asan,$(CLI_LIB_SRCS))
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^
ALL_TARGETS += $(LIBPCCVSADM_rel) $(LIBPCCVSADM_asan)

# The binary: the archive, main.c and the netlink backend over libpccvs.
$(PCCVSADM): $(call objs,rel,$(CLI_BIN_SRCS)) $(LIBPCCVSADM_rel) $(LIBPCCVS_REL)
	$(CC) -o $@ $^ $(LIBPCCVS_LIBS) $(QB_LIBS)
ALL_TARGETS += $(PCCVSADM)

# "cluster": pccvs-syncd's IPC protocol (syncd/syncd_ipc.h, ha/ha_ipc.h)
# over libqb; only these include cluster.h.
$(foreach f,rel asan fuzz,$(call objs,$(f),cli/cmd_cluster.c cli/cluster_ipc.c \
	cli/main.c cli/backend_cluster.c)): EXTRA_CFLAGS += -I$(TOP)/syncd -I$(TOP)/ha $(QB_CFLAGS)

.PHONY: install-pccvsadm
install-pccvsadm: $(PCCVSADM)
	install -D -m 0755 $(PCCVSADM) $(DESTDIR)$(PREFIX)/sbin/pccvsadm
	install -D -m 0644 cli/pccvsadm.8 $(DESTDIR)$(PREFIX)/share/man/man8/pccvsadm.8
INSTALL_TARGETS += install-pccvsadm
