# kmod.mk: pccvs.ko, built out of tree by Kbuild against the headers of
# every installed kernel (/lib/modules/*/build), warnings as errors.
#   make kmod          the module for each kernel: kmod/pccvs.ko for $(KVER)
#                      (the lowest, the default), build/kmod/<kver>/pccvs.ko
#                      for every kernel (the default's is a link)
#   make kmod-w1       the same with W=1 (the extra warnings are errors too)
#   make kmod-install  copy each to /lib/modules/<kver>/updates, run depmod
# Kbuild writes objects next to the sources, so a kernel other than the
# default builds in build/kmod/<kver>/, a tree of links to the sources.
KMOD_DIR := $(TOP)/kmod
KMOD_KO := $(KMOD_DIR)/pccvs.ko
KMOD_CORE := $(notdir $(filter %.c,$(CORE_SRCS)))
KMOD_KVERS := $(sort $(patsubst /lib/modules/%/build/Makefile,%,$(wildcard /lib/modules/*/build/Makefile)))
KMOD_OTHER := $(filter-out $(KVER),$(KMOD_KVERS))
KMOD_TREE = $(BUILD)/kmod/$(1)
KMOD_MAKE = $(MAKE) -C $(KDIR) M=$(KMOD_DIR) PCCVS_CORE_SRCS="$(KMOD_CORE)"
KMOD_MAKE_OTHER = $(MAKE) -C /lib/modules/$(1)/build M=$(call KMOD_TREE,$(1)) PCCVS_CORE_SRCS="$(KMOD_CORE)"

.PHONY: kmod kmod-w1 kmod-install kmod-default kmod-default-w1 \
	$(addprefix kmod-,$(KMOD_OTHER)) $(addprefix kmod-w1-,$(KMOD_OTHER))
ALL_TARGETS += kmod
INSTALL_TARGETS += kmod-install

# The link tree of kernel $(1): the sources of kmod/ and kmod/core/ as
# links (dangling ones of removed sources go), the uapi headers as one.
define KMOD_LINKS
	@mkdir -p $(call KMOD_TREE,$(1))/core
	@cd $(call KMOD_TREE,$(1)) && ln -sfn $(KMOD_DIR)/include include && \
		for f in $(KMOD_DIR)/Kbuild $(KMOD_DIR)/*.[ch]; do \
			case $$$${f##*/} in *.mod.c) continue ;; esac; ln -sf $$$$f .; done && \
		for f in $(KMOD_DIR)/core/*.[ch]; do ln -sf $$$$f core/; done && \
		find . -xtype l -delete
endef

ifeq ($(wildcard $(KDIR)/Makefile),)
kmod kmod-w1:
	@echo "kmod: no kernel headers at $(KDIR) (apt-get install linux-headers-$(KVER)); pccvs.ko not built"
else ifeq ($(wildcard $(KMOD_DIR)/core/core.mk),)
kmod kmod-w1:
	@echo "kmod: the forwarding core (kmod/core/core.mk) is not there yet; pccvs.ko not built"
else
kmod: kmod-default $(addprefix kmod-,$(KMOD_OTHER))
kmod-w1: kmod-default-w1 $(addprefix kmod-w1-,$(KMOD_OTHER))
kmod-default:
	+$(KMOD_MAKE) modules
	@mkdir -p $(call KMOD_TREE,$(KVER)) && ln -sf $(KMOD_KO) $(call KMOD_TREE,$(KVER))/pccvs.ko
kmod-default-w1:
	+$(KMOD_MAKE) W=1 modules
define KMOD_OTHER_RULES
kmod-$(1):
	$(call KMOD_LINKS,$(1))
	+$(call KMOD_MAKE_OTHER,$(1)) modules
kmod-w1-$(1):
	$(call KMOD_LINKS,$(1))
	+$(call KMOD_MAKE_OTHER,$(1)) W=1 modules
endef
$(foreach v,$(KMOD_OTHER),$(eval $(call KMOD_OTHER_RULES,$(v))))
endif

kmod-install: kmod
	$(foreach v,$(KMOD_KVERS),install -D -m 0644 $(call KMOD_TREE,$(v))/pccvs.ko \
		$(DESTDIR)/lib/modules/$(v)/updates/pccvs.ko && \
		$(if $(DESTDIR),true,depmod -a $(v)) &&) true
