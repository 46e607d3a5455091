# ha/: active/standby roles inside pccvs-syncd (docs/ha.md). Linked into
# the daemon by syncd/syncd.mk through these variables (this fragment is
# included before syncd/*.mk):
#   HA_CONF_SRCS    the HA keys of syncd.conf (with the daemon's config
#                   parser, so also in its unit tests and fuzzers)
#   HA_DAEMON_SRCS  election, announcements, VIPs, hooks into the daemon
#   HA_CFLAGS       include path
# Unit tests: tests/unit/ha.mk.
HA_CONF_SRCS := ha/ha_conf.c
HA_PURE_SRCS := ha/ha_conf.c ha/ha_elect.c ha/ha_pkt.c
HA_DAEMON_SRCS := ha/ha_elect.c ha/ha_pkt.c ha/ha_net.c ha/ha.c
HA_CFLAGS := -I$(TOP)/ha
$(foreach f,rel asan fuzz,$(call objs,$(f),ha/ha_net.c)): \
	EXTRA_CFLAGS += $(NL_CFLAGS)
