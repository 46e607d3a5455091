# tests/vm: qemu guests with Debian's kernel running the real module (and
# IPVS beside it). `make check-vm` runs every scenario for every backend that
# is built; a backend that is not is reported as skipped.
SUITES_VM += $(TOP)/tests/vm/run-vm.sh

# The guests' initramfs (built on demand by the harness too; cached).
.PHONY: vm-initramfs
vm-initramfs:
	@bash -c '. $(TOP)/tests/vm/lib/vm.sh && vm_initramfs'
