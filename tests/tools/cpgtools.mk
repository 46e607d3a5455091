# tests/tools/cpg*: CPG test tools for the namespace-cluster tests and the
# sync benchmark: cpgsend (inject hand-made messages into the group) and
# cpgbench (raw CPG throughput).
CPGSEND := $(BUILD)/rel/tests/tools/cpgsend
CPGBENCH := $(BUILD)/rel/tests/tools/cpgbench

$(call objs,rel,tests/tools/cpgsend.c tests/tools/cpgbench.c): \
	EXTRA_CFLAGS += $(PROTO_CFLAGS) $(CS_CFLAGS)
$(call objs,rel,tests/tools/cpgsend.c): | $(PROTO_H)
$(CPGSEND): $(call objs,rel,tests/tools/cpgsend.c $(PROTO_SRC))
	$(CC) -o $@ $^ $(CS_LIBS) $(PB_LIBS)
$(CPGBENCH): $(call objs,rel,tests/tools/cpgbench.c)
	$(CC) -o $@ $^ $(CS_LIBS)
ALL_TARGETS += $(CPGSEND) $(CPGBENCH)
