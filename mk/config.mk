# Shared build settings. User space: gnu11, warnings as errors.
# Three flavours of user-space objects:
#   $(BUILD)/rel   optimised, for installed binaries and benchmarks
#   $(BUILD)/asan  AddressSanitizer + UBSan, for unit tests
#   $(BUILD)/fuzz  clang libFuzzer + ASan + UBSan
BUILD ?= $(TOP)/build
CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
DESTDIR ?=

KVER ?= $(shell ls /lib/modules 2>/dev/null | sort -V | head -n1)
KDIR ?= /lib/modules/$(KVER)/build

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS_COMMON := -D_GNU_SOURCE -I$(TOP)/kmod/include/uapi -I$(TOP)/lib
CFLAGS_COMMON := -std=gnu11 -g $(WARN) -fno-strict-aliasing

CFLAGS_rel := $(CFLAGS_COMMON) -O2
CFLAGS_asan := $(CFLAGS_COMMON) -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_asan := -fsanitize=address,undefined
CFLAGS_fuzz := $(CFLAGS_COMMON) -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
LDFLAGS_fuzz := -fsanitize=fuzzer,address,undefined

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

NL_CFLAGS := $(call pc_cflags,libnl-3.0 libnl-genl-3.0 libnl-route-3.0)
NL_LIBS := $(call pc_libs,libnl-3.0 libnl-genl-3.0 libnl-route-3.0)
CS_CFLAGS := $(call pc_cflags,libcpg libquorum libcorosync_common libqb)
CS_LIBS := $(call pc_libs,libcpg libquorum libcorosync_common libqb)
QB_CFLAGS := $(call pc_cflags,libqb)
QB_LIBS := $(call pc_libs,libqb)
PB_CFLAGS := $(call pc_cflags,libprotobuf-c)
PB_LIBS := $(call pc_libs,libprotobuf-c)
CMOCKA_CFLAGS := $(call pc_cflags,cmocka)
CMOCKA_LIBS := $(call pc_libs,cmocka)

# $(call objs,flavour,sources) -> object paths under $(BUILD)/flavour
objs = $(patsubst $(TOP)/%.c,$(BUILD)/$(1)/%.o,$(abspath $(2)))

# Generic compile rules for each flavour. Per-target extra flags come from
# target-specific EXTRA_CFLAGS.
$(BUILD)/rel/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_COMMON) $(CFLAGS_rel) $(EXTRA_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/asan/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_COMMON) $(CFLAGS_asan) $(EXTRA_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/fuzz/%.o: $(TOP)/%.c
	@mkdir -p $(@D)
	$(CLANG) $(CPPFLAGS_COMMON) $(CFLAGS_fuzz) $(EXTRA_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
