# tests/fuzz/config.mk: libFuzzer target for cluster-wide configuration
# edits: the IPC edit request and the ConfigEdit/ConfigState/ConfigReport
# messages, through the one parser, planning and the state machine. Seeds in
# tests/fuzz/syncd_config_corpus.
SYNCD_FUZZ_CONFIG := $(BUILD)/fuzz/tests/fuzz/syncd_config

$(call objs,fuzz,tests/fuzz/syncd_config.c): EXTRA_CFLAGS += $(SYNCD_CFLAGS)
$(call objs,fuzz,tests/fuzz/syncd_config.c): | $(PROTO_H)
$(SYNCD_FUZZ_CONFIG): $(call objs,fuzz,tests/fuzz/syncd_config.c \
		$(SYNCD_LIB_SRCS) $(SYNCD_CFG_SRCS) $(PROTO_SRC) $(CLI_LIB_SRCS) \
		lib/pccvs_util.c)
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^ $(PB_LIBS)
FUZZERS += $(SYNCD_FUZZ_CONFIG)
