// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <libdax.h>

#include "tree.h"

static void die(const char *what, const char *path)
{
	fprintf(stderr, "tree: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

char *tree_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		die("vasprintf", fmt);
	return s;
}

struct dax_ctx *tree_ctx(struct tree *t)
{
	struct dax_ctx *ctx = NULL;
	int rc;

	rc = dax_ctx_new(&ctx);
	if (rc < 0) {
		errno = -rc;
		die("dax_ctx_new", t->root);
	}
	rc = dax_ctx_set_sysfs_root(ctx, t->root);
	if (rc < 0) {
		errno = -rc;
		die("dax_ctx_set_sysfs_root", t->root);
	}
	dax_ctx_set_log_priority(ctx, LOG_CRIT);
	return ctx;
}

void tree_new(struct tree *t)
{
	const char *tmp = getenv("TMPDIR");

	t->root = tree_fmt("%s/libdax-tree-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->root))
		die("mkdtemp", t->root);
	/* Traversable for the unprivileged part of the tests. */
	if (chmod(t->root, 0755) < 0)
		die("chmod", t->root);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	if (remove(path) < 0)
		die("remove", path);
	return 0;
}

void tree_remove(struct tree *t, const char *path)
{
	char *full = tree_fmt("%s/%s", t->root, path);
	struct stat st;

	if (lstat(full, &st) == 0 &&
	    nftw(full, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		die("nftw", full);
	free(full);
}

void tree_free(struct tree *t)
{
	if (nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		die("nftw", t->root);
	free(t->root);
	t->root = NULL;
}

static void mkdir_p(char *full)
{
	char *p;

	for (p = full + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(full, 0755) < 0 && errno != EEXIST)
			die("mkdir", full);
		*p = '/';
	}
	if (mkdir(full, 0755) < 0 && errno != EEXIST)
		die("mkdir", full);
}

void tree_mkdir(struct tree *t, const char *path)
{
	char *full = tree_fmt("%s/%s", t->root, path);

	mkdir_p(full);
	free(full);
}

static void mkparent(struct tree *t, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return;
	dir = tree_fmt("%s/%.*s", t->root, (int)(slash - path), path);
	mkdir_p(dir);
	free(dir);
}

void tree_write_n(struct tree *t, const char *path, const void *buf, size_t len)
{
	char *full = tree_fmt("%s/%s", t->root, path);
	int fd;

	mkparent(t, path);
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open", full);
	if (len && write(fd, buf, len) != (ssize_t)len)
		die("write", full);
	close(fd);
	free(full);
}

void tree_write(struct tree *t, const char *path, const char *content)
{
	tree_write_n(t, path, content, strlen(content));
}

void tree_symlink(struct tree *t, const char *target, const char *path)
{
	char *full = tree_fmt("%s/%s", t->root, path);

	mkparent(t, path);
	unlink(full);
	if (symlink(target, full) < 0)
		die("symlink", full);
	free(full);
}

void tree_chmod(struct tree *t, const char *path, unsigned int mode)
{
	char *full = tree_fmt("%s/%s", t->root, path);

	if (chmod(full, mode) < 0)
		die("chmod", full);
	free(full);
}

static void write_fmt(struct tree *t, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void write_fmt(struct tree *t, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("vasprintf", fmt);
	va_end(ap);
	tree_write(t, path, s);
	free(s);
}

void tree_region(struct tree *t, const char *host, int id, uint64_t size,
		 bool dynamic, uint64_t available, const char *seed)
{
	char *p;

	p = tree_fmt("%s/dax_region/id", host);
	write_fmt(t, p, "%d\n", id);
	free(p);
	p = tree_fmt("%s/dax_region/size", host);
	write_fmt(t, p, "%" PRIu64 "\n", size);
	free(p);
	p = tree_fmt("%s/dax_region/align", host);
	tree_write(t, p, "2097152\n");
	free(p);
	if (!dynamic)
		return;
	p = tree_fmt("%s/dax_region/available_size", host);
	write_fmt(t, p, "%" PRIu64 "\n", available);
	free(p);
	p = tree_fmt("%s/dax_region/seed", host);
	write_fmt(t, p, "%s\n", seed ? seed : "");
	free(p);
	p = tree_fmt("%s/dax_region/create", host);
	write_fmt(t, p, "%s\n", seed ? seed : "");
	free(p);
	p = tree_fmt("%s/dax_region/delete", host);
	tree_write(t, p, "");
	free(p);
}

/*
 * A relative link at @link to @target, both relative to the root, written
 * the way the kernel does: "../" up to the common ancestor, then down.
 */
static void rel_link(struct tree *t, const char *target, const char *link)
{
	size_t common = 0, i, ups = 0;
	char *rel, *p;

	/* Length of the common leading directories of both paths. */
	for (i = 0; target[i] && target[i] == link[i]; i++)
		if (target[i] == '/')
			common = i + 1;
	for (i = common; link[i]; i++)
		ups += link[i] == '/';
	rel = calloc(ups * 3 + strlen(target) + 1, 1);
	if (!rel)
		die("calloc", link);
	for (p = rel, i = 0; i < ups; i++, p += 3)
		memcpy(p, "../", 3);
	strcpy(p, target + common);
	tree_symlink(t, rel, link);
	free(rel);
}

void tree_dev(struct tree *t, const struct tree_dev *d)
{
	char *dir, *p, *link;

	if (d->class_model)
		dir = tree_fmt("%s/dax/dax%d.%d", d->host, d->region, d->id);
	else
		dir = tree_fmt("%s/dax%d.%d", d->host, d->region, d->id);
	tree_mkdir(t, dir);

	p = tree_fmt("%s/size", dir);
	write_fmt(t, p, "%" PRIu64 "\n", d->size);
	free(p);
	p = tree_fmt("%s/align", dir);
	tree_write(t, p, "2097152\n");
	free(p);
	p = tree_fmt("%s/numa_node", dir);
	write_fmt(t, p, "%d\n", d->numa_node);
	free(p);
	if (d->target_node >= 0) {
		p = tree_fmt("%s/target_node", dir);
		write_fmt(t, p, "%d\n", d->target_node);
		free(p);
	}
	p = tree_fmt("%s/resource", dir);
	write_fmt(t, p, "0x%" PRIx64 "\n", d->resource);
	free(p);
	p = tree_fmt("%s/dev", dir);
	write_fmt(t, p, "%u:%u\n", d->major, d->minor);
	free(p);
	p = tree_fmt("%s/modalias", dir);
	tree_write(t, p, "dax:t0\n");
	free(p);
	p = tree_fmt("%s/mapping", dir);
	tree_write(t, p, "");
	free(p);
	p = tree_fmt("%s/uevent", dir);
	write_fmt(t, p, "MAJOR=%u\nMINOR=%u\nDEVNAME=dax%d.%d\n", d->major,
		  d->minor, d->region, d->id);
	free(p);
	p = tree_fmt("%s/subsystem", dir);
	rel_link(t, "sys/bus/dax", p);
	free(p);
	if (d->driver) {
		char *drv = tree_fmt("sys/bus/dax/drivers/%s", d->driver);

		tree_mkdir(t, drv);
		p = tree_fmt("%s/driver", dir);
		rel_link(t, drv, p);
		free(p);
		/* The driver lists its devices, as the kernel's does. */
		if (!d->class_model) {
			p = tree_fmt("%s/dax%d.%d", drv, d->region, d->id);
			rel_link(t, dir, p);
			free(p);
		}
		free(drv);
	}

	if (d->class_model)
		link = tree_fmt("sys/class/dax/dax%d.%d", d->region, d->id);
	else
		link = tree_fmt("sys/bus/dax/devices/dax%d.%d", d->region,
				d->id);
	rel_link(t, dir, link);
	free(link);

	if (!d->no_devnode) {
		p = tree_fmt("dev/dax%d.%d", d->region, d->id);
		tree_write(t, p, "");
		free(p);
	}
	free(dir);
}

void tree_mapping(struct tree *t, const char *host, int region, int id,
		  unsigned int k, uint64_t start, uint64_t end,
		  uint64_t page_offset)
{
	char *p;

	p = tree_fmt("%s/dax%d.%d/mapping%u/start", host, region, id, k);
	write_fmt(t, p, "0x%" PRIx64 "\n", start);
	free(p);
	p = tree_fmt("%s/dax%d.%d/mapping%u/end", host, region, id, k);
	write_fmt(t, p, "0x%" PRIx64 "\n", end);
	free(p);
	p = tree_fmt("%s/dax%d.%d/mapping%u/page_offset", host, region, id, k);
	write_fmt(t, p, "0x%" PRIx64 "\n", page_offset);
	free(p);
}

void tree_platform(struct tree *t, uint64_t page, uint64_t pmd)
{
	char *s;

	s = tree_fmt("KernelPageSize: %llu kB\n",
		     (unsigned long long)(page / 1024));
	tree_write(t, "proc/self/smaps", s);
	free(s);
	if (!pmd)
		return;
	s = tree_fmt("%llu\n", (unsigned long long)pmd);
	tree_write(t, "sys/kernel/mm/transparent_hugepage/hpage_pmd_size", s);
	free(s);
}

void tree_block_size(struct tree *t, uint64_t size)
{
	write_fmt(t, "sys/devices/system/memory/block_size_bytes",
		  "%" PRIx64 "\n", size);
}

void tree_memory_block(struct tree *t, uint64_t index, const char *state,
		       const char *valid_zones)
{
	char *p;

	p = tree_fmt("sys/devices/system/memory/memory%" PRIu64 "/state",
		     index);
	write_fmt(t, p, "%s\n", state);
	free(p);
	p = tree_fmt("sys/devices/system/memory/memory%" PRIu64 "/valid_zones",
		     index);
	write_fmt(t, p, "%s\n", valid_zones);
	free(p);
}

void tree_remove_dev(struct tree *t, const char *host, int region, int id,
		     bool class_model)
{
	static const char *const drivers[] = {"device_dax", "kmem"};
	char *p;
	size_t i;

	if (class_model)
		p = tree_fmt("%s/dax/dax%d.%d", host, region, id);
	else
		p = tree_fmt("%s/dax%d.%d", host, region, id);
	tree_remove(t, p);
	free(p);
	p = tree_fmt("sys/%s/dax%d.%d",
		     class_model ? "class/dax" : "bus/dax/devices", region, id);
	tree_remove(t, p);
	free(p);
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		p = tree_fmt("sys/bus/dax/drivers/%s/dax%d.%d", drivers[i],
			     region, id);
		tree_remove(t, p);
		free(p);
	}
	p = tree_fmt("dev/dax%d.%d", region, id);
	tree_remove(t, p);
	free(p);
}

/* The snapshot being built by snap_one() (nftw has no user pointer). */
static char *snap;
static size_t snaplen, rootlen;

static int snap_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	char buf[4096];
	ssize_t n = 0;
	int fd;

	(void)ftw;
	if (strncmp(path + rootlen, "/run", 4) == 0)
		return 0;
	if (flag == FTW_SL) {
		n = readlink(path, buf, sizeof(buf));
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf));
			close(fd);
		}
	}
	if (n < 0)
		n = 0;
	snap = realloc(snap, snaplen + strlen(path) + (size_t)n + 3);
	if (!snap)
		die("realloc", path);
	snaplen += (size_t)sprintf(snap + snaplen, "%s=", path);
	memcpy(snap + snaplen, buf, (size_t)n);
	snaplen += (size_t)n;
	snap[snaplen++] = '\n';
	snap[snaplen] = '\0';
	return 0;
}

char *tree_snapshot(struct tree *t)
{
	char *s;

	snap = NULL;
	snaplen = 0;
	rootlen = strlen(t->root);
	if (nftw(t->root, snap_one, 16, FTW_PHYS) < 0)
		die("nftw", t->root);
	s = snap ? snap : strdup("");
	snap = NULL;
	if (!s)
		die("strdup", t->root);
	return s;
}

char tree_logbuf[8192];

void tree_log_to_buf(struct dax_ctx *ctx, int priority, const char *file,
		     int line, const char *fn, const char *format, va_list args)
{
	size_t len = strlen(tree_logbuf);

	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	if (len < sizeof(tree_logbuf) - 1)
		vsnprintf(tree_logbuf + len, sizeof(tree_logbuf) - len, format,
			  args);
}

struct dax_ctx *tree_ctx_logged(struct tree *t)
{
	struct dax_ctx *ctx = tree_ctx(t);

	dax_ctx_set_log_fn(ctx, tree_log_to_buf);
	dax_ctx_set_log_priority(ctx, LOG_ERR);
	tree_logbuf[0] = '\0';
	return ctx;
}
