# tests/unit/lib*: libpccvs without a socket (helpers, message build and
# parse round trips, strict parsing, replies, dumps, events).
LIB_TESTS := $(BUILD)/asan/tests/unit/lib_msg

$(call objs,asan,tests/unit/lib_msg.c): EXTRA_CFLAGS := $(CMOCKA_CFLAGS) \
	$(NL_CFLAGS) -I$(TOP)/tests/unit
$(LIB_TESTS): $(BUILD)/asan/%: $(BUILD)/asan/%.o $(LIBPCCVS_ASAN)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(LIBPCCVS_LIBS) $(CMOCKA_LIBS)
ALL_TARGETS += $(LIB_TESTS)
SUITES_UNIT += $(LIB_TESTS)
