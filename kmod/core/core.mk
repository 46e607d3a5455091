# kmod/core/core.mk: the portable forwarding core, built as user-space
# archives (rel for programs and benchmarks, asan for unit tests, fuzz for
# libFuzzer). CORE_SRCS is also what the kernel Kbuild and the daemon's
# simulation backend compile; user-space users need CORE_CFLAGS.
CORE_SRCS := $(addprefix kmod/core/,pcc_platform.c pcc_hash.c pcc_wheel.c \
	pcc_table.c pcc_svc.c pcc_dom.c pcc_dest.c pcc_conn.c pcc_tpl.c \
	pcc_sync.c pcc_decide.c pcc_sched.c pcc_sched_hash.c pcc_stats.c)
CORE_CFLAGS := -I$(TOP)/kmod/core

define CORE_LIB_RULE
CORE_OBJS_$(1) := $$(call objs,$(1),$$(CORE_SRCS))
CORE_LIB_$(1) := $$(BUILD)/$(1)/libpcccore.a
$$(CORE_OBJS_$(1)): EXTRA_CFLAGS := $$(CORE_CFLAGS)
$$(CORE_LIB_$(1)): $$(CORE_OBJS_$(1))
	@mkdir -p $$(@D)
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach f,rel asan fuzz,$(eval $(call CORE_LIB_RULE,$(f))))

ALL_TARGETS += $(CORE_LIB_rel)
