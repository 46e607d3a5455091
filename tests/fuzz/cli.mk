# tests/fuzz/cli*: libFuzzer target for pccvsadm's parser (-R text and
# command-line words), planning and printing. Seeds in tests/fuzz/cli_corpus.
CLI_FUZZ := $(BUILD)/fuzz/tests/fuzz/cli_parse
$(CLI_FUZZ): EXTRA_CFLAGS := -I$(TOP)/cli
$(CLI_FUZZ): $(call objs,fuzz,tests/fuzz/cli_parse.c $(CLI_LIB_SRCS) lib/pccvs_util.c)
	$(CLANG) $(LDFLAGS_fuzz) -o $@ $^
FUZZERS += $(CLI_FUZZ)
