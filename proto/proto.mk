# proto/: the director-to-director wire format. protoc-c generates C into
# $(BUILD)/gen/proto/; programs compile $(PROTO_SRC) in their flavour with
# $(PROTO_CFLAGS) and link $(PB_LIBS). Objects that include pccvs.pb-c.h
# need "| $(PROTO_H)" so the header exists before their first compile.
PROTOC_C ?= protoc-c
PROTO_GEN := $(BUILD)/gen/proto
PROTO_SRC := $(PROTO_GEN)/pccvs.pb-c.c
PROTO_H := $(PROTO_GEN)/pccvs.pb-c.h
PROTO_CFLAGS := -I$(PROTO_GEN) $(PB_CFLAGS)

$(PROTO_SRC) $(PROTO_H) &: $(TOP)/proto/pccvs.proto
	@mkdir -p $(PROTO_GEN)
	$(PROTOC_C) --c_out=$(PROTO_GEN) -I$(TOP)/proto $<

$(call objs,rel,$(PROTO_SRC)) $(call objs,asan,$(PROTO_SRC)) \
$(call objs,fuzz,$(PROTO_SRC)): EXTRA_CFLAGS += $(PROTO_CFLAGS)
