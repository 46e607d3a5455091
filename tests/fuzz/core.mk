# tests/fuzz/core.mk: libFuzzer targets of the portable core: the packet
# path with configuration churn (core_decide) and the template sync hooks
# (core_inject). Seeds in tests/fuzz/core_*_corpus.
CORE_FUZZ_DECIDE := $(BUILD)/fuzz/tests/fuzz/core_decide
CORE_FUZZ_INJECT := $(BUILD)/fuzz/tests/fuzz/core_inject

$(call objs,fuzz,tests/fuzz/core_decide.c tests/fuzz/core_inject.c): \
	EXTRA_CFLAGS := $(CORE_CFLAGS)
$(CORE_FUZZ_DECIDE): $(call objs,fuzz,tests/fuzz/core_decide.c) $(CORE_LIB_fuzz)
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^
$(CORE_FUZZ_INJECT): $(call objs,fuzz,tests/fuzz/core_inject.c) $(CORE_LIB_fuzz)
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^
FUZZERS += $(CORE_FUZZ_DECIDE) $(CORE_FUZZ_INJECT)
