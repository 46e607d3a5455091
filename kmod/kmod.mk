# kmod.mk: pccvs.ko, built out of tree by Kbuild against $(KDIR) (Debian's
# headers for $(KVER)), warnings as errors.
#   make kmod          the module, kmod/pccvs.ko
#   make kmod-w1       the same with W=1 (the extra warnings are errors too)
#   make kmod-install  copy to /lib/modules/$(KVER)/updates and run depmod
KMOD_DIR := $(TOP)/kmod
KMOD_KO := $(KMOD_DIR)/pccvs.ko
KMOD_CORE := $(notdir $(filter %.c,$(CORE_SRCS)))
KMOD_MAKE = $(MAKE) -C $(KDIR) M=$(KMOD_DIR) PCCVS_CORE_SRCS="$(KMOD_CORE)"

.PHONY: kmod kmod-w1 kmod-install
ALL_TARGETS += kmod
INSTALL_TARGETS += kmod-install

ifeq ($(wildcard $(KDIR)/Makefile),)
kmod kmod-w1:
	@echo "kmod: no kernel headers at $(KDIR) (apt-get install linux-headers-$(KVER)); pccvs.ko not built"
else ifeq ($(wildcard $(KMOD_DIR)/core/core.mk),)
kmod kmod-w1:
	@echo "kmod: the forwarding core (kmod/core/core.mk) is not there yet; pccvs.ko not built"
else
kmod:
	+$(KMOD_MAKE) modules
kmod-w1:
	+$(KMOD_MAKE) W=1 modules
endif

kmod-install: kmod
	install -D -m 0644 $(KMOD_KO) $(DESTDIR)/lib/modules/$(KVER)/updates/pccvs.ko
	$(if $(DESTDIR),,depmod -a $(KVER))
