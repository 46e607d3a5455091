# tests/fuzz/lib*: libFuzzer target for libpccvs' kernel-message parsing.
FUZZ_LIB_PARSE := $(BUILD)/fuzz/tests/fuzz/lib_parse

$(call objs,fuzz,tests/fuzz/lib_parse.c): EXTRA_CFLAGS := $(NL_CFLAGS)
$(FUZZ_LIB_PARSE): $(call objs,fuzz,tests/fuzz/lib_parse.c) \
		$(call objs,fuzz,$(LIBPCCVS_SRCS))
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^ $(LIBPCCVS_LIBS)
FUZZERS += $(FUZZ_LIB_PARSE)
