# tests/unit/config.mk: cluster-wide configuration edits (cmocka, ASan +
# UBSan): the CLI side (edit encoding, canonical text, validation,
# reconcile, where a change goes) and the daemon's state machine and state
# file (syncd/config_core.c, syncd/config_store.c).
CFG_TEST_CLI := $(BUILD)/asan/tests/unit/cli/test_cli_config
CFG_TEST_SYNCD := $(BUILD)/asan/tests/unit/syncd/test_syncd_config

$(call objs,asan,tests/unit/cli/test_cli_config.c): EXTRA_CFLAGS := \
	$(CMOCKA_CFLAGS) -I$(TOP)/cli -I$(TOP)/tests/unit -I$(TOP)/tests/unit/cli
$(CFG_TEST_CLI): $(call objs,asan,tests/unit/cli/test_cli_config.c \
		tests/unit/cli/cli_fake.c) $(LIBPCCVSADM_asan) $(LIBPCCVS_ASAN)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)

$(CFG_TEST_SYNCD): $(BUILD)/asan/tests/unit/syncd/test_syncd_config.o \
		$(call objs,asan,$(SYNCD_CFG_SRCS)) $(LIBPCCVSADM_asan) $(LIBPCCVS_ASAN)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)

ALL_TARGETS += $(CFG_TEST_CLI) $(CFG_TEST_SYNCD)
SUITES_UNIT += $(CFG_TEST_CLI) $(CFG_TEST_SYNCD)
