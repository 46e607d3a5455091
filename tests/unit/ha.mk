# tests/unit/ha*: the HA suites (ASan + UBSan): the election (a simulated
# CPG group), the HA keys through the daemon's config parser, and the
# GARP / unsolicited NA packets.
HA_UNIT := $(patsubst %,$(BUILD)/asan/tests/unit/ha/test_ha_%,elect conf pkt)

$(call objs,asan,$(patsubst %,tests/unit/ha/test_ha_%.c,elect conf pkt)): \
	EXTRA_CFLAGS += $(CMOCKA_CFLAGS) $(SYNCD_CFLAGS) -I$(TOP)/tests/unit
$(BUILD)/asan/tests/unit/ha/test_ha_elect: \
		$(BUILD)/asan/tests/unit/ha/test_ha_elect.o $(call objs,asan,ha/ha_elect.c)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)
$(BUILD)/asan/tests/unit/ha/test_ha_pkt: \
		$(BUILD)/asan/tests/unit/ha/test_ha_pkt.o $(call objs,asan,ha/ha_pkt.c)
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)
$(BUILD)/asan/tests/unit/ha/test_ha_conf: \
		$(BUILD)/asan/tests/unit/ha/test_ha_conf.o \
		$(call objs,asan,syncd/conf.c $(HA_CONF_SRCS))
	$(CC) $(LDFLAGS_asan) -o $@ $^ $(CMOCKA_LIBS)
ALL_TARGETS += $(HA_UNIT)
SUITES_UNIT += $(HA_UNIT)
