# tests/unit/syncd*: pccvs-syncd's cmocka suites (ASan + UBSan). The pure
# parts link alone; test_syncd_merge and test_syncd_send also link the
# user-space core and the daemon's send path (see below).
SYNCD_UNIT_PURE := $(patsubst %,$(BUILD)/asan/tests/unit/syncd/test_syncd_%,\
	wire coalesce conf xfer)
SYNCD_UNIT_OBJS := $(call objs,asan,$(SYNCD_LIB_SRCS) $(PROTO_SRC))

$(BUILD)/asan/tests/unit/syncd/%.o: EXTRA_CFLAGS += $(CMOCKA_CFLAGS) \
	$(SYNCD_CFLAGS) -I$(TOP)/tests/unit
$(BUILD)/asan/tests/unit/syncd/%.o: | $(PROTO_H)

$(SYNCD_UNIT_PURE): $(BUILD)/asan/tests/unit/syncd/%: \
		$(BUILD)/asan/tests/unit/syncd/%.o $(SYNCD_UNIT_OBJS)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS) $(PB_LIBS)
ALL_TARGETS += $(SYNCD_UNIT_PURE)
SUITES_UNIT += $(SYNCD_UNIT_PURE)
