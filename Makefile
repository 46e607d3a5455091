# pccvs top-level Makefile: one non-recursive make over per-directory
# fragments (*/*.mk). The kernel module is built by Kbuild (kmod/kmod.mk).
#
#   make             build everything (warnings are errors)
#   make check       install deps, build, run every suite (unit, cluster, vm)
#   make check-unit  unit tests only          make check-cluster / check-vm
#   make bench       benchmarks (BENCH lines) make fuzz   bounded fuzzing
#   make demo        the failover demonstration
#   make install     install binaries, module, man pages, units
#   make compile_commands.json   (bear) for editors

.DEFAULT_GOAL := all
TOP := $(abspath .)
include mk/config.mk

ALL_TARGETS :=
SUITES_UNIT :=
SUITES_CLUSTER :=
SUITES_VM :=
BENCHES :=
FUZZERS :=
INSTALL_TARGETS :=

# Fragments, in dependency order: libraries first, then programs, then tests.
FRAGMENTS := $(wildcard kmod/core/*.mk lib/*.mk proto/*.mk cli/*.mk ha/*.mk \
	syncd/*.mk kmod/*.mk tests/tools/*.mk tests/unit/*.mk tests/fuzz/*.mk \
	tests/bench/*.mk tests/cluster/*.mk tests/vm/*.mk deploy/*.mk)
include $(FRAGMENTS)

.PHONY: all deps check check-unit check-cluster check-vm check-fuzz bench fuzz demo \
	install clean compile_commands.json format

all: $(ALL_TARGETS)

deps:
	@deploy/deps.sh

# Suites print lines ending with "N passed, N failed"; the runner sums them.
check: deps
	@$(MAKE) --no-print-directory all
	@tests/run-suites.sh $(SUITES_UNIT) $(SUITES_FUZZ_SMOKE) $(SUITES_CLUSTER) $(SUITES_VM)

check-unit: all
	@tests/run-suites.sh $(SUITES_UNIT)

check-cluster: all
	@tests/run-suites.sh $(SUITES_CLUSTER)

check-vm: all
	@tests/run-suites.sh $(SUITES_VM)

bench: all
	@tests/run-benches.sh $(BENCHES)

demo: deps
	@$(MAKE) --no-print-directory all
	@deploy/demo.sh

install: all $(INSTALL_TARGETS)

compile_commands.json:
	$(MAKE) clean
	bear --output $(TOP)/compile_commands.json -- $(MAKE) all

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(TOP)/kmod clean >/dev/null 2>&1
