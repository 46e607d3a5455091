/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config_store.h: the cluster configuration on disk, one file
 * STATE_DIR/config (state_dir in syncd.conf, default /var/lib/pccvs):
 *
 *   # comment lines
 *   #@pccvs-config 1 version=V digest=HHHHHHHHHHHHHHHH bytes=N
 *   N bytes of canonical configuration text (cli/config.h)
 *
 * Written atomically: a temporary file in the same directory, fsync,
 * rename over the old one, fsync of the directory; a crash leaves the old
 * or the new file, never a mix. Loading checks the header, the length
 * and the digest (FNV-1a of the text), so a truncated or altered file is
 * refused with a message naming the file and what is wrong.
 */
#ifndef SYNCD_CONFIG_STORE_H
#define SYNCD_CONFIG_STORE_H

#include <stddef.h>
#include <stdint.h>

#define CFGSTORE_DIR_DEFAULT "/var/lib/pccvs"
#define CFGSTORE_FILE "config"
#define CFGSTORE_FORMAT 1
#define CFGSTORE_MAX_BYTES (4U << 20)

/* dir is created (0755) if missing. 0 or -errno with err. */
int cfgstore_save(const char *dir, uint64_t version, const char *text,
		  size_t len, char *err, size_t errlen);

/* -ENOENT if there is no file (err set too); -EINVAL corrupt; -errno.
 * *text is malloc()ed and NUL-terminated. */
int cfgstore_load(const char *dir, uint64_t *version, uint64_t *digest,
		  char **text, size_t *len, char *err, size_t errlen);

/* The checks of a file's content (buf, n), for load and the unit tests:
 * on success *text points into buf. fname for messages. */
int cfgstore_parse(const char *buf, size_t n, const char *fname,
		   uint64_t *version, uint64_t *digest, const char **text,
		   size_t *len, char *err, size_t errlen);

/* The header line for a text (for tests and save), into buf. */
int cfgstore_header(char *buf, size_t len, uint64_t version,
		    const char *text, size_t tlen);

#endif /* SYNCD_CONFIG_STORE_H */
