# lib.mk: libpccvs, the user-space client of the pccvs generic netlink API.
#   $(BUILD)/rel/libpccvs.a    for programs
#   $(BUILD)/asan/libpccvs.a   for unit tests (AddressSanitizer + UBSan)
# Link with $(LIBPCCVS_LIBS).
LIBPCCVS_SRCS := lib/pccvs_msg.c lib/pccvs_nl.c lib/pccvs_ev.c lib/pccvs_util.c
LIBPCCVS_LIBS := $(NL_LIBS)
LIBPCCVS_REL := $(BUILD)/rel/libpccvs.a
LIBPCCVS_ASAN := $(BUILD)/asan/libpccvs.a

$(call objs,rel,$(LIBPCCVS_SRCS)) $(call objs,asan,$(LIBPCCVS_SRCS)) \
$(call objs,fuzz,$(LIBPCCVS_SRCS)): EXTRA_CFLAGS += $(NL_CFLAGS)

$(LIBPCCVS_REL): $(call objs,rel,$(LIBPCCVS_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(LIBPCCVS_ASAN): $(call objs,asan,$(LIBPCCVS_SRCS))
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

ALL_TARGETS += $(LIBPCCVS_REL) $(LIBPCCVS_ASAN)
