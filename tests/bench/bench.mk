# tests/bench/bench.mk: benchmarks. "make bench" runs every executable in
# BENCHES (tests/run-benches.sh); each prints "BENCH name=value unit" lines.
# Benchmarks are optimised (rel flavour) and built by "all".
#   core_bench   the portable core: lookups/s, instructions per lookup
#                (callgrind), template creation rate, bytes per object
CORE_BENCH := $(BUILD)/rel/tests/bench/core_bench

$(call objs,rel,tests/bench/core_bench.c): EXTRA_CFLAGS := $(CORE_CFLAGS)
$(CORE_BENCH): $(call objs,rel,tests/bench/core_bench.c) $(CORE_LIB_rel)
	$(CC) -o $@ $^

ALL_TARGETS += $(CORE_BENCH)
BENCHES += $(CORE_BENCH)
