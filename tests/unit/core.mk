# tests/unit/core.mk: unit suites of the portable core (cmocka, ASan+UBSan).
CORE_TESTS := core_basic core_conn core_persist core_sched core_sync
CORE_TEST_BINS := $(addprefix $(BUILD)/asan/tests/unit/,$(CORE_TESTS))
CORE_TEST_OBJS := $(call objs,asan,$(addprefix tests/unit/,$(addsuffix .c,$(CORE_TESTS))))

$(CORE_TEST_OBJS): EXTRA_CFLAGS := $(CORE_CFLAGS) $(CMOCKA_CFLAGS) -I$(TOP)/tests/unit
$(BUILD)/asan/tests/unit/core_%: $(BUILD)/asan/tests/unit/core_%.o $(CORE_LIB_asan)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)

ALL_TARGETS += $(CORE_TEST_BINS)
SUITES_UNIT += $(CORE_TEST_BINS)
