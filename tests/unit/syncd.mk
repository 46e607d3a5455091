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

# The merge through the real core (simulation backend) and the send path
# against a fake corosync (cpg_mcast_joined wrapped).
SYNCD_UNIT_MERGE := $(BUILD)/asan/tests/unit/syncd/test_syncd_merge
SYNCD_UNIT_SEND := $(BUILD)/asan/tests/unit/syncd/test_syncd_send
SYNCD_UNIT_DAEMON_OBJS := $(call objs,asan,$(addprefix syncd/,syncd.c cpg.c \
	quorum.c send.c recv.c sync.c produce.c local.c ipc.c log.c backend_nl.c \
	backend_sim.c sim_load.c config_repl.c config_sim.c) $(SYNCD_CFG_SRCS) \
	cli/backend_nl.c)

$(SYNCD_UNIT_MERGE): $(BUILD)/asan/tests/unit/syncd/test_syncd_merge.o \
		$(call objs,asan,syncd/backend_sim.c syncd/sim_load.c \
		syncd/config_sim.c) $(SYNCD_UNIT_OBJS) $(CORE_LIB_asan) \
		$(LIBPCCVSADM_asan) $(LIBPCCVS_ASAN)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS) $(PB_LIBS) $(QB_LIBS)
$(SYNCD_UNIT_SEND): $(BUILD)/asan/tests/unit/syncd/test_syncd_send.o \
		$(SYNCD_UNIT_DAEMON_OBJS) $(SYNCD_UNIT_OBJS) $(LIBPCCVSADM_asan) \
		$(LIBPCCVS_ASAN) $(CORE_LIB_asan)
	$(CC) $(LDFLAGS_asan) -Wl,--wrap=cpg_mcast_joined -o $@ $^ \
		$(CMOCKA_LIBS) $(SYNCD_LIBS)
ALL_TARGETS += $(SYNCD_UNIT_MERGE) $(SYNCD_UNIT_SEND)
SUITES_UNIT += $(SYNCD_UNIT_MERGE) $(SYNCD_UNIT_SEND)
