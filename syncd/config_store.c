// SPDX-License-Identifier: GPL-2.0
/* config_store.c: the cluster configuration on disk (config_store.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "config.h"
#include "config_store.h"

#define MAGIC "#@pccvs-config "

int cfgstore_header(char *buf, size_t len, uint64_t version,
		    const char *text, size_t tlen)
{
	int n = snprintf(buf, len, MAGIC "%d version=%" PRIu64 " digest=%016"
			 PRIx64 " bytes=%zu\n", CFGSTORE_FORMAT, version,
			 adm_config_hash(text, tlen), tlen);

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int mkdirs(const char *dir)
{
	char p[4096];
	size_t n = strlen(dir);

	if (n >= sizeof(p))
		return -ENAMETOOLONG;
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		p[i] = i == n ? '\0' : '/';
	}
	return 0;
}

int cfgstore_save(const char *dir, uint64_t version, const char *text,
		  size_t len, char *err, size_t errlen)
{
	static const char comment[] =
		"# pccvs-syncd: the cluster configuration this director last "
		"applied.\n# Written by pccvs-syncd; do not edit (use pccvsadm).\n";
	char path[4200], tmp[4200], hdr[160];
	int fd, dfd, rc;

	if ((rc = mkdirs(dir)) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, CFGSTORE_FILE);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, CFGSTORE_FILE);
	if (cfgstore_header(hdr, sizeof(hdr), version, text, len) < 0)
		return -ENOSPC;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(-rc));
		return rc;
	}
	rc = write_all(fd, comment, sizeof(comment) - 1);
	if (!rc)
		rc = write_all(fd, hdr, strlen(hdr));
	if (!rc)
		rc = write_all(fd, text, len);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(-rc));
		unlink(tmp);
		return rc;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: fsync: %s", dir, strerror(-rc));
	}
	if (dfd >= 0)
		close(dfd);
	return rc;
}

static int bad(char *err, size_t errlen, const char *fname, const char *why)
{
	snprintf(err, errlen, "%s: %s; fix or remove it (the director then "
		 "takes the configuration from the cluster)", fname, why);
	return -EINVAL;
}

int cfgstore_parse(const char *buf, size_t n, const char *fname,
		   uint64_t *version, uint64_t *digest, const char **text,
		   size_t *len, char *err, size_t errlen)
{
	size_t i = 0, bytes;
	unsigned long long v, d;
	int fmt, used = 0;
	char line[256], why[200];

	for (;;) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t ln;

		if (i >= n || !nl)
			return bad(err, errlen, fname, "no \"" MAGIC "\" header: not a "
				   "configuration state file, or truncated");
		ln = (size_t)(nl - (buf + i));
		if (ln >= sizeof(MAGIC) - 1 && !memcmp(buf + i, MAGIC, sizeof(MAGIC) - 1)) {
			if (ln >= sizeof(line))
				return bad(err, errlen, fname, "header line too long");
			memcpy(line, buf + i, ln);
			line[ln] = '\0';
			i += ln + 1;
			break;
		}
		if (buf[i] != '#')
			return bad(err, errlen, fname, "text before the \"" MAGIC
				   "\" header");
		i += ln + 1;
	}
	if (sscanf(line, MAGIC "%d version=%llu digest=%llx bytes=%zu%n", &fmt,
		   &v, &d, &bytes, &used) != 4 || line[used]) {
		if (sscanf(line, MAGIC "%d", &fmt) == 1 && fmt != CFGSTORE_FORMAT)
			snprintf(why, sizeof(why), "format %d (this pccvs-syncd "
				 "reads %d)", fmt, CFGSTORE_FORMAT);
		else
			snprintf(why, sizeof(why), "malformed header");
		return bad(err, errlen, fname, why);
	}
	if (fmt != CFGSTORE_FORMAT) {
		snprintf(why, sizeof(why), "format %d (this pccvs-syncd reads %d)",
			 fmt, CFGSTORE_FORMAT);
		return bad(err, errlen, fname, why);
	}
	if (n - i != bytes) {
		snprintf(why, sizeof(why), "%s: %zu bytes of configuration, the "
			 "header says %zu", n - i < bytes ? "truncated" :
			 "trailing data", n - i, bytes);
		return bad(err, errlen, fname, why);
	}
	if (adm_config_hash(buf + i, bytes) != d) {
		snprintf(why, sizeof(why), "corrupt: the content does not match "
			 "its digest %016llx", d);
		return bad(err, errlen, fname, why);
	}
	*version = v;
	*digest = d;
	*text = buf + i;
	*len = bytes;
	return 0;
}

int cfgstore_load(const char *dir, uint64_t *version, uint64_t *digest,
		  char **text, size_t *len, char *err, size_t errlen)
{
	char path[4200];
	const char *t;
	struct stat st;
	char *buf, *out;
	size_t n = 0, tl;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, CFGSTORE_FILE);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0 || st.st_size > CFGSTORE_MAX_BYTES) {
		rc = st.st_size > CFGSTORE_MAX_BYTES ? -EFBIG : -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		close(fd);
		return rc;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	rc = cfgstore_parse(buf, n, path, version, digest, &t, &tl, err, errlen);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	out = malloc(tl + 1);
	if (!out) {
		free(buf);
		return -ENOMEM;
	}
	memcpy(out, t, tl);
	out[tl] = '\0';
	free(buf);
	*text = out;
	*len = tl;
	return 0;
}
