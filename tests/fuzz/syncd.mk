# tests/fuzz/syncd*: libFuzzer targets of pccvs-syncd: the receive path
# (unpack + validation of CPG messages) and the syncd.conf parser. Seeds in
# tests/fuzz/syncd_recv_corpus and tests/fuzz/syncd_conf_corpus.
SYNCD_FUZZ_RECV := $(BUILD)/fuzz/tests/fuzz/syncd_recv
SYNCD_FUZZ_CONF := $(BUILD)/fuzz/tests/fuzz/syncd_conf

$(call objs,fuzz,tests/fuzz/syncd_recv.c tests/fuzz/syncd_conf.c): \
	EXTRA_CFLAGS += $(SYNCD_CFLAGS)
$(call objs,fuzz,tests/fuzz/syncd_recv.c): | $(PROTO_H)
$(SYNCD_FUZZ_RECV): $(call objs,fuzz,tests/fuzz/syncd_recv.c \
		$(SYNCD_LIB_SRCS) $(PROTO_SRC))
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^ $(PB_LIBS)
$(SYNCD_FUZZ_CONF): $(call objs,fuzz,tests/fuzz/syncd_conf.c syncd/conf.c \
		$(HA_CONF_SRCS))
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^
FUZZERS += $(SYNCD_FUZZ_RECV) $(SYNCD_FUZZ_CONF)
