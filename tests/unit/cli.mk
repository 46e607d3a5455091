# tests/unit/cli*: pccvsadm's suites (parser, models and planning, -S/-R,
# whole commands against a fake backend), linked with libpccvsadm (asan).
CLI_TESTS := $(patsubst %,$(BUILD)/asan/tests/unit/cli/test_cli_%,parse model restore cmd)
CLI_TEST_HELPERS := tests/unit/cli/cli_fake.c

$(CLI_TESTS): EXTRA_CFLAGS := $(CMOCKA_CFLAGS) -I$(TOP)/cli -I$(TOP)/tests/unit \
	-I$(TOP)/tests/unit/cli
$(CLI_TESTS): $(BUILD)/asan/tests/unit/cli/test_cli_%: \
		$(BUILD)/asan/tests/unit/cli/test_cli_%.o \
		$(call objs,asan,$(CLI_TEST_HELPERS)) $(LIBPCCVSADM_asan) $(LIBPCCVS_ASAN)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)
ALL_TARGETS += $(CLI_TESTS)
SUITES_UNIT += $(CLI_TESTS)
