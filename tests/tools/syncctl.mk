# tests/tools/syncctl*: a client of pccvs-syncd's IPC protocol for tests.
SYNCCTL := $(BUILD)/rel/tests/tools/syncctl

$(call objs,rel,tests/tools/syncctl.c): EXTRA_CFLAGS += $(QB_CFLAGS) \
	-I$(TOP)/syncd
$(SYNCCTL): $(call objs,rel,tests/tools/syncctl.c)
	$(CC) -o $@ $^ $(QB_LIBS)
ALL_TARGETS += $(SYNCCTL)
