# tests/tools/cfgipc*: hand-made cluster-edit IPC requests (tests/cluster).
CFGIPC := $(BUILD)/rel/tests/tools/cfgipc

$(call objs,rel,tests/tools/cfgipc.c): EXTRA_CFLAGS += $(QB_CFLAGS) \
	-I$(TOP)/syncd
$(CFGIPC): $(call objs,rel,tests/tools/cfgipc.c)
	$(CC) -o $@ $^ $(QB_LIBS)
ALL_TARGETS += $(CFGIPC)
