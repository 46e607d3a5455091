# tests/tools: traffic tools for the VM and cluster tests (pcctraffic), and
# the unit tests of their parsing and analysis pieces.
PCCT_SRCS := tests/tools/pcct_parse.c tests/tools/pcct_analyse.c
PCCTRAFFIC := $(BUILD)/rel/tests/tools/pcctraffic

$(PCCTRAFFIC): $(call objs,rel,tests/tools/pcctraffic.c $(PCCT_SRCS))
	$(CC) -o $@ $^
ALL_TARGETS += $(PCCTRAFFIC)

PCCT_UNIT := $(BUILD)/asan/tests/unit/tools/test_pcctraffic
$(PCCT_UNIT): EXTRA_CFLAGS := $(CMOCKA_CFLAGS) -I$(TOP)/tests/tools -I$(TOP)/tests/unit
$(PCCT_UNIT): $(call objs,asan,tests/unit/tools/test_pcctraffic.c $(PCCT_SRCS))
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)
ALL_TARGETS += $(PCCT_UNIT)
SUITES_UNIT += $(PCCT_UNIT)
