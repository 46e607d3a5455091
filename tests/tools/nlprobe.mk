# tests/tools/nlprobe: drives the pccvs netlink API in the VM tests (every
# command, malformed requests and their extack text, CAP_NET_ADMIN refusal,
# template inject/dump timing, event printing). Links libpccvs.
NLPROBE := $(BUILD)/rel/tests/tools/nlprobe

$(call objs,rel,tests/tools/nlprobe.c): EXTRA_CFLAGS := $(NL_CFLAGS)
$(NLPROBE): $(call objs,rel,tests/tools/nlprobe.c) $(LIBPCCVS_REL)
	$(CC) -o $@ $^ $(LIBPCCVS_LIBS)
ALL_TARGETS += $(NLPROBE)
