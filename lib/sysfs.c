// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sysfs layer: strict parsers for attribute content, and one-read(2)
 * attribute access relative to directory fds below the sysfs root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/*
 * Accept content with at most one trailing newline and no other newline or
 * NUL; shrink *@len to the payload.
 */
static int strip_line(const char *buf, size_t *len)
{
	if (memchr(buf, '\0', *len))
		return -EINVAL;
	if (*len > 0 && buf[*len - 1] == '\n')
		(*len)--;
	if (memchr(buf, '\n', *len))
		return -EINVAL;
	return 0;
}

static bool all_digits(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Decimal digits, already checked, to a u64. */
static int digits_to_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (r > (UINT64_MAX - d) / 10)
			return -ERANGE;
		r = r * 10 + d;
	}
	*v = r;
	return 0;
}

int dax_parse_u64(const char *buf, size_t len, uint64_t *v)
{
	int rc = strip_line(buf, &len);

	if (rc < 0)
		return rc;
	if (!all_digits(buf, len))
		return -EINVAL;
	return digits_to_u64(buf, len, v);
}

int dax_parse_int(const char *buf, size_t len, bool allow_negative, int *v)
{
	bool neg = false;
	uint64_t u;
	int rc = strip_line(buf, &len);

	if (rc < 0)
		return rc;
	if (len > 0 && buf[0] == '-') {
		if (!allow_negative)
			return -EINVAL;
		neg = true;
		buf++;
		len--;
	}
	if (!all_digits(buf, len))
		return -EINVAL;
	rc = digits_to_u64(buf, len, &u);
	if (rc < 0)
		return rc;
	if (neg) {
		if (u > (uint64_t)INT_MAX + 1)
			return -ERANGE;
		*v = u == (uint64_t)INT_MAX + 1 ? INT_MIN : -(int)u;
	} else {
		if (u > INT_MAX)
			return -ERANGE;
		*v = (int)u;
	}
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int dax_parse_hex(const char *buf, size_t len, bool prefix, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;
	int rc = strip_line(buf, &len);

	if (rc < 0)
		return rc;
	if (prefix) {
		/* The kernel prints "%#llx"; zero reads "0x0". */
		if (len < 2 || buf[0] != '0' || buf[1] != 'x')
			return -EINVAL;
		buf += 2;
		len -= 2;
	}
	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (hex_digit(buf[i]) < 0)
			return -EINVAL;
	for (i = 0; i < len; i++) {
		if (r >> 60)
			return -ERANGE;
		r = (r << 4) | (uint64_t)hex_digit(buf[i]);
	}
	*v = r;
	return 0;
}

int dax_parse_str(const char *buf, size_t len, size_t *slen)
{
	int rc = strip_line(buf, &len);

	if (rc < 0)
		return rc;
	*slen = len;
	return 0;
}

/* Unsigned decimal that fits an unsigned int; leading zeros allowed. */
static int parse_uint_field(const char *s, size_t len, unsigned int *v)
{
	uint64_t u;
	int rc;

	if (!all_digits(s, len))
		return -EINVAL;
	rc = digits_to_u64(s, len, &u);
	if (rc < 0)
		return rc;
	if (u > UINT_MAX)
		return -ERANGE;
	*v = (unsigned int)u;
	return 0;
}

int dax_parse_devnum(const char *buf, size_t len, unsigned int *major,
		     unsigned int *minor)
{
	const char *colon;
	size_t l1;
	int rc = strip_line(buf, &len);

	if (rc < 0)
		return rc;
	colon = memchr(buf, ':', len);
	if (!colon)
		return -EINVAL;
	l1 = (size_t)(colon - buf);
	rc = parse_uint_field(buf, l1, major);
	if (rc < 0)
		return rc;
	return parse_uint_field(colon + 1, len - l1 - 1, minor);
}

/* Like "%u" prints it: digits, no sign, no leading zero, fits an int. */
static int parse_canonical(const char *s, size_t len, int *v)
{
	uint64_t u;

	if (!all_digits(s, len) || (len > 1 && s[0] == '0'))
		return -EINVAL;
	if (digits_to_u64(s, len, &u) < 0 || u > INT_MAX)
		return -ERANGE;
	*v = (int)u;
	return 0;
}

int dax_parse_index(const char *s, unsigned int *v)
{
	int i, rc = parse_canonical(s, strlen(s), &i);

	if (rc == 0)
		*v = (unsigned int)i;
	return rc;
}

int dax_parse_devname(const char *s, int *region, int *id)
{
	const char *dot;
	int rc;

	if (strncmp(s, "dax", 3) != 0)
		return -EINVAL;
	s += 3;
	dot = strchr(s, '.');
	if (!dot)
		return -EINVAL;
	rc = parse_canonical(s, (size_t)(dot - s), region);
	if (rc < 0)
		return -EINVAL;
	rc = parse_canonical(dot + 1, strlen(dot + 1), id);
	return rc < 0 ? -EINVAL : 0;
}

void dax_escape(const char *buf, size_t len, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (outsz < 8) {
		if (outsz)
			out[0] = '\0';
		return;
	}
	out[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		char e[5];
		size_t el;

		if (c == '\n' || c == '\t' || c == '\\' || c == '"') {
			e[0] = '\\';
			e[1] = c == '\n' ? 'n' : c == '\t' ? 't' : (char)c;
			el = 2;
		} else if (c < 0x20 || c >= 0x7f) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			el = 4;
		} else {
			e[0] = (char)c;
			el = 1;
		}
		/* Room for this, the closing quote, "..." and the NUL. */
		if (o + el + 5 > outsz) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, e, el);
		o += el;
	}
	out[o++] = '"';
	out[o] = '\0';
}

char *dax_path_resolve(const char *base, const char *target)
{
	size_t cap = strlen(base) + strlen(target) + 2;
	char *out = malloc(cap);
	const char *p;
	size_t o = 0;
	int pass;

	if (!out)
		return NULL;
	/* Pass 0 walks @base (skipped for an absolute @target), pass 1 @target.
	 */
	for (pass = target[0] == '/' ? 1 : 0; pass < 2; pass++) {
		for (p = pass ? target : base; *p;) {
			size_t n;

			while (*p == '/')
				p++;
			n = strcspn(p, "/");
			if (n == 0 || (n == 1 && p[0] == '.')) {
				/* nothing */
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			} else {
				out[o++] = '/';
				memcpy(out + o, p, n);
				o += n;
			}
			p += n;
		}
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

const char *dax_path_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int sysfs_open_dir(struct dax_ctx *ctx, const char *path, int flags)
{
	int rootfd = ctx_root_fd(ctx);
	const char *rel = path + strspn(path, "/");
	int fd;

	if (rootfd < 0)
		return rootfd;
	fd = openat(rootfd, *rel ? rel : ".", O_DIRECTORY | O_CLOEXEC | flags);
	return fd < 0 ? -errno : fd;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_name(const void *a, const void *b)
{
	const struct dax_name *x = a, *y = b;

	if (x->rid != y->rid)
		return x->rid < y->rid ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

int sysfs_list_names(struct dax_ctx *ctx, const char *path, int rid,
		     unsigned char type, struct dax_name **names, size_t *n)
{
	enum { BUFSZ = 32768 };
	size_t cnt = 0, cap = 0;
	struct dax_name *v = NULL;
	char *buf;
	int fd, rc = 0;
	ssize_t got;

	*names = NULL;
	*n = 0;
	fd = sysfs_open_dir(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	buf = malloc(BUFSZ);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	/* getdents64 straight: no stat or fcntl as opendir() makes. */
	while (rc == 0 && (got = getdents64(fd, buf, BUFSZ)) > 0) {
		ssize_t off = 0;

		while (off < got) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			struct dax_name nm;

			off += de->d_reclen;
			if (de->d_type != type && de->d_type != DT_UNKNOWN)
				continue;
			if (dax_parse_devname(de->d_name, &nm.rid, &nm.id) <
				    0 ||
			    (rid >= 0 && nm.rid != rid))
				continue;
			if (cnt == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct dax_name *nv =
					reallocarray(v, ncap, sizeof(*nv));

				if (!nv) {
					rc = -ENOMEM;
					break;
				}
				v = nv;
				cap = ncap;
			}
			v[cnt++] = nm;
		}
	}
	if (rc == 0 && got < 0)
		rc = -errno;
	free(buf);
	close(fd);
	if (rc < 0) {
		dax_dbg(ctx, "%s: %s\n", path, strerror(-rc));
		free(v);
		return rc;
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_name);
	*names = v;
	*n = cnt;
	return 0;
}

bool sysfs_has_name(const struct dax_name *v, size_t n, int rid, int id)
{
	struct dax_name key = {.rid = rid, .id = id};

	return n && bsearch(&key, v, n, sizeof(*v), cmp_name);
}

int sysfs_list_ids(struct dax_ctx *ctx, const char *path, int rid,
		   unsigned char type, int **ids, size_t *n)
{
	struct dax_name *v;
	size_t i, cnt;
	int *out, rc;

	*ids = NULL;
	*n = 0;
	rc = sysfs_list_names(ctx, path, rid, type, &v, &cnt);
	if (rc < 0)
		return rc;
	out = calloc(cnt ? cnt : 1, sizeof(*out));
	for (i = 0; out && i < cnt; i++)
		out[i] = v[i].id;
	free(v);
	if (!out)
		return -ENOMEM;
	*ids = out;
	*n = cnt;
	return 0;
}

bool sysfs_has_id(const int *ids, size_t n, int id)
{
	return n && bsearch(&id, ids, n, sizeof(*ids), cmp_int);
}

/*
 * The (dirfd, name) pair for *at(2) calls on @dirfd/@name; with @dirfd
 * SYSFS_AT_DIR, the root fd and @dir/@name composed in @buf. -errno.
 */
static int at_path(struct dax_ctx *ctx, int *dirfd, const char *dir,
		   const char **name, char *buf, size_t size)
{
	size_t dl, nl;

	if (*dirfd != SYSFS_AT_DIR)
		return 0;
	*dirfd = ctx_root_fd(ctx);
	if (*dirfd < 0)
		return *dirfd;
	dir += strspn(dir, "/");
	/* Not snprintf(): a listing composes thousands of these, and stdio's
	 * format engine was a sixth of daxctl list's own time. */
	dl = strlen(dir);
	nl = strlen(*name);
	if (dl + 1 + nl >= size)
		return -ENAMETOOLONG;
	memcpy(buf, dir, dl);
	if (dl)
		buf[dl++] = '/';
	memcpy(buf + dl, *name, nl + 1);
	*name = buf;
	return 0;
}

static int open_attr(struct dax_ctx *ctx, int dirfd, const char *dir,
		     const char *name, int flags)
{
	char path[PATH_MAX];
	int rc = at_path(ctx, &dirfd, dir, &name, path, sizeof(path));

	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return openat(dirfd, name, flags);
}

int sysfs_exists(struct dax_ctx *ctx, int dirfd, const char *dir,
		 const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	int rc = at_path(ctx, &dirfd, dir, &name, path, sizeof(path));

	if (rc < 0)
		return rc;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

ssize_t sysfs_read(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, const char **content)
{
	size_t size;
	char *buf = ctx_buf(ctx, &size);
	ssize_t n;
	int fd, err;

	/* Attributes are never links: do not follow one in a crafted tree. */
	fd = open_attr(ctx, dirfd, dir, name,
		       O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err = -errno;
		dax_dbg(ctx, "%s/%s: open: %s\n", dir, name, strerror(-err));
		return err;
	}
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	err = -errno;
	close(fd);
	if (n < 0) {
		dax_dbg(ctx, "%s/%s: read: %s\n", dir, name, strerror(-err));
		return err;
	}
	if ((size_t)n == size - 1) {
		/* A sysfs attribute holds at most one page; size is page + 1.
		 */
		dax_err(ctx, "%s/%s: longer than a page\n", dir, name);
		return -EINVAL;
	}
	buf[n] = '\0';
	*content = buf;
	return n;
}

/* Log content that did not parse, naming the attribute; pass @rc on. */
static int sysfs_parse(struct dax_ctx *ctx, const char *dir, const char *name,
		       const char *buf, size_t len, int rc)
{
	char esc[80];

	if (rc == 0)
		return 0;
	dax_escape(buf, len, esc, sizeof(esc));
	dax_err(ctx, "%s/%s: %s: %s\n", dir, name,
		rc == -ERANGE ? "value out of range" : "unexpected content",
		esc);
	return rc;
}

int sysfs_read_u64(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, uint64_t *v)
{
	const char *buf;
	ssize_t n = sysfs_read(ctx, dirfd, dir, name, &buf);

	if (n < 0)
		return (int)n;
	return sysfs_parse(ctx, dir, name, buf, (size_t)n,
			   dax_parse_u64(buf, (size_t)n, v));
}

int sysfs_read_hex(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, bool prefix, uint64_t *v)
{
	const char *buf;
	ssize_t n = sysfs_read(ctx, dirfd, dir, name, &buf);

	if (n < 0)
		return (int)n;
	return sysfs_parse(ctx, dir, name, buf, (size_t)n,
			   dax_parse_hex(buf, (size_t)n, prefix, v));
}

int sysfs_read_int(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, bool allow_negative, int *v)
{
	const char *buf;
	ssize_t n = sysfs_read(ctx, dirfd, dir, name, &buf);

	if (n < 0)
		return (int)n;
	return sysfs_parse(ctx, dir, name, buf, (size_t)n,
			   dax_parse_int(buf, (size_t)n, allow_negative, v));
}

int sysfs_read_devnum(struct dax_ctx *ctx, int dirfd, const char *dir,
		      const char *name, unsigned int *major,
		      unsigned int *minor)
{
	const char *buf;
	ssize_t n = sysfs_read(ctx, dirfd, dir, name, &buf);

	if (n < 0)
		return (int)n;
	return sysfs_parse(ctx, dir, name, buf, (size_t)n,
			   dax_parse_devnum(buf, (size_t)n, major, minor));
}

int sysfs_read_str(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, char **str)
{
	const char *buf;
	size_t slen = 0;
	ssize_t n = sysfs_read(ctx, dirfd, dir, name, &buf);
	int rc;

	if (n < 0)
		return (int)n;
	rc = sysfs_parse(ctx, dir, name, buf, (size_t)n,
			 dax_parse_str(buf, (size_t)n, &slen));
	if (rc < 0)
		return rc;
	*str = strndup(buf, slen);
	return *str ? 0 : -ENOMEM;
}

int sysfs_readlink(int dirfd, const char *name, char **target)
{
	size_t size = 128;

	/* Grow until the link fits: readlink(2) truncates silently. */
	for (;;) {
		char *buf = malloc(size);
		ssize_t n;

		if (!buf)
			return -ENOMEM;
		n = readlinkat(dirfd, name, buf, size);
		if (n < 0) {
			int err = -errno;

			free(buf);
			return err;
		}
		if ((size_t)n < size) {
			buf[n] = '\0';
			*target = buf;
			return 0;
		}
		free(buf);
		if (size >= 65536)
			return -ENAMETOOLONG;
		size *= 2;
	}
}

int sysfs_write(struct dax_ctx *ctx, int dirfd, const char *dir,
		const char *name, const char *value)
{
	size_t len = strlen(value);
	int fd, err, tries;
	ssize_t n;

	/* Also a failed write: it may have changed something. */
	ctx_count_write(ctx);
	fd = open_attr(ctx, dirfd, dir, name,
		       O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err = -errno;
		dax_dbg(ctx, "%s/%s: open: %s\n", dir, name, strerror(-err));
		return err;
	}
	/*
	 * One write(2) is one store call. From 6.9 the stores take their
	 * locks killably and fail with EINTR before changing anything: try
	 * again, twice at most.
	 */
	for (tries = 0;; tries++) {
		n = write(fd, value, len);
		if (n >= 0 || errno != EINTR || tries == 2)
			break;
	}
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err < 0) {
		dax_dbg(ctx, "%s/%s <- \"%s\": %s\n", dir, name, value,
			strerror(-err));
		return err;
	}
	if ((size_t)n != len) {
		/* 6.9+ "mapping" returns 0 when the region has no driver. */
		dax_err(ctx, "%s/%s <- \"%s\": wrote %zd of %zu bytes\n", dir,
			name, value, n, len);
		return -EIO;
	}
	dax_dbg(ctx, "%s/%s <- \"%s\"\n", dir, name, value);
	return 0;
}
