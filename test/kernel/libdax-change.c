// SPDX-License-Identifier: GPL-2.0-only
/*
 * libdax-change: the library's change side against a real kernel, in the
 * guest. One case per invocation; lib-change.sh puts region 0 into the
 * "unbound" state first (dax0.0 spans the 2 GiB window at 4 GiB, no
 * driver), and every case starts by shrinking dax0.0 to 0 through the
 * library, so on 6.12 the region stays kmem-typed (device_dax needs
 * new_id) while on 6.1 it behaves as always.
 *
 *   libdax-change CASE KLINE
 *
 * Checks report "FAIL: line: message" and the program exits 1 at the end
 * of the case; "ok: N checks" otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libdax.h>

#define MiB ((uint64_t)1 << 20)
#define GiB (1024 * MiB)
#define BASE (4 * GiB) /* the window: memmap=2G%4G */
#define RSIZE (2 * GiB)

static unsigned int failed, passed;
static const char *kline = "";
static struct dax_ctx *ctx;
static struct dax_region *region;

/* The format starts with a blank, so that it is never empty. */
#define CHECK(cond, ...) check(__LINE__, (cond), #cond, " " __VA_ARGS__)
#define CHECK_RC(expr, want)                                               \
	do {                                                               \
		int rc_ = (expr);                                          \
		check(__LINE__, rc_ == (want), #expr, " returned %d (%s)", \
		      rc_, strerror(rc_ < 0 ? -rc_ : 0));                  \
	} while (0)

__attribute__((format(printf, 4, 5))) static void
check(int line, bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: libdax-change.c:%d: %s", line, what);
	if (fmt[1]) {
		printf(":");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
}

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* --- raw sysfs, to set up what the library refuses to do ------------- */

static int raw_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int raw_writef(const char *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int raw_writef(const char *val, const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return raw_write(path, val);
}

static uint64_t raw_u64(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static uint64_t raw_u64(const char *fmt, ...)
{
	char path[256], buf[64] = "";
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return UINT64_MAX;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return UINT64_MAX;
	buf[n] = '\0';
	return strtoull(buf, NULL, 0);
}

/* A one-line attribute without its newline; "" when unreadable. */
static const char *raw_str(const char *path)
{
	static char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The driver bound to @name per sysfs, "none" when unbound. */
static const char *raw_driver(const char *name)
{
	static char out[64];
	char path[128], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/driver", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return "none";
	link[n] = '\0';
	snprintf(out, sizeof(out), "%s", strrchr(link, '/') + 1);
	return out;
}

/* Names on the bus for region 0, as one string "dax0.0 dax0.1 ...". */
static const char *raw_devs(void)
{
	static char out[1024];
	int id;

	out[0] = '\0';
	for (id = 0; id < 64; id++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/bus/dax/devices/dax0.%d",
			 id);
		if (access(path, F_OK) == 0)
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
				 "%sdax0.%d", out[0] ? " " : "", id);
	}
	return out;
}

static uint64_t avail(void)
{
	return raw_u64(
		"/sys/devices/platform/hmem.0/dax_region/available_size");
}

/* --- through the library --------------------------------------------- */

static void refresh(void)
{
	CHECK_RC(dax_ctx_refresh(ctx), 0);
	region = dax_region_find(ctx, 0);
	if (!region)
		die("region 0");
}

static struct dax_dev *find(const char *name)
{
	return dax_dev_find(ctx, name);
}

static uint64_t size_of(struct dax_dev *dev)
{
	uint64_t s = UINT64_MAX;

	if (dax_dev_get_size(dev, &s) < 0)
		return UINT64_MAX;
	return s;
}

/* The device's ranges in page_offset order; returns how many. */
static size_t ranges_of(struct dax_dev *dev, struct dax_range *v, size_t max)
{
	struct dax_mapping *m;
	size_t n = 0;

	dax_mapping_foreach (dev, m) {
		if (n < max) {
			v[n].start = dax_mapping_get_start(m);
			v[n].end = dax_mapping_get_end(m);
		}
		n++;
	}
	return n;
}

/* Open, map and touch /dev/daxR.N: device_dax really drives it. */
static bool usable(struct dax_dev *dev)
{
	char path[64];
	uint64_t align = 0;
	void *p;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", dax_dev_get_devname(dev));
	if (dax_dev_get_align(dev, &align) < 0)
		return false;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("# open %s: %s\n", path, strerror(errno));
		return false;
	}
	p = mmap(NULL, align, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("# mmap %s: %s\n", path, strerror(errno));
		return false;
	}
	*(volatile char *)p = 'x';
	munmap(p, align);
	return true;
}

static bool bound_dax(struct dax_dev *dev)
{
	return dax_dev_get_driver(dev) == DAX_DRIVER_DEVICE_DAX &&
	       strcmp(raw_driver(dax_dev_get_devname(dev)), "device_dax") == 0;
}

static bool unbound(struct dax_dev *dev)
{
	return !dax_dev_is_enabled(dev) &&
	       strcmp(raw_driver(dax_dev_get_devname(dev)), "none") == 0;
}

static struct dax_dev *create(uint64_t size, uint64_t align,
			      const struct dax_range *r, unsigned int nr,
			      unsigned int flags)
{
	struct dax_dev *dev = NULL;
	int rc = dax_region_create_dev(region, size, align, r, nr, flags, &dev);

	check(__LINE__, rc == 0 && dev, "create",
	      " size %" PRIu64 " align %" PRIu64 ": %s", size, align,
	      strerror(-rc));
	if (!dev)
		exit(1);
	return dev;
}

static void destroy(struct dax_dev *dev)
{
	char name[32];

	snprintf(name, sizeof(name), "%s", dax_dev_get_devname(dev));
	CHECK_RC(dax_dev_destroy(dev), 0);
	CHECK(find(name) == NULL || strcmp(name, "dax0.0") == 0, "%s", name);
	/* The handle stays valid: gone, under its name (daxR.0 stays). */
	CHECK(strcmp(dax_dev_get_devname(dev), name) == 0, "%s", name);
	CHECK(dax_dev_is_gone(dev) == (strcmp(name, "dax0.0") != 0), "%s",
	      name);
}

/* Shrink dax0.0 to nothing: the whole window is free. */
static void empty_region(void)
{
	struct dax_dev *d0 = find("dax0.0");

	if (!d0)
		die("dax0.0");
	CHECK_RC(dax_dev_disable(d0), 0);
	CHECK_RC(dax_dev_set_size(d0, 0), 0);
	CHECK(avail() == RSIZE, "available %" PRIu64, avail());
	CHECK(strcmp(raw_devs(), "dax0.0") == 0, "%s", raw_devs());
}

/* Destroy every device but dax0.0 through the library. */
static void destroy_all(void)
{
	struct dax_dev *d, *next;

	refresh();
	for (d = dax_dev_get_first(region); d; d = next) {
		next = dax_dev_get_next(d);
		if (dax_dev_get_id(d) != 0)
			destroy(d);
	}
	CHECK(avail() == RSIZE && strcmp(raw_devs(), "dax0.0") == 0, "%s",
	      raw_devs());
}

/* --- cases ------------------------------------------------------------ */

static void case_basic(void)
{
	struct dax_dev *a, *b, *d0 = find("dax0.0");
	struct dax_range r[4];
	char before[1024];

	empty_region();
	a = create(512 * MiB, 0, NULL, 0, 0);
	CHECK(strcmp(dax_dev_get_devname(a), "dax0.1") == 0, "%s",
	      dax_dev_get_devname(a));
	CHECK(size_of(a) == 512 * MiB);
	CHECK(raw_u64("/sys/bus/dax/devices/dax0.1/size") == 512 * MiB);
	CHECK(bound_dax(a) && usable(a));
	CHECK(ranges_of(a, r, 4) == 1 && r[0].start == BASE &&
	      r[0].end == BASE + 512 * MiB - 1);
	CHECK(avail() == RSIZE - 512 * MiB);

	b = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	CHECK(unbound(b) && size_of(b) == 256 * MiB);
	CHECK_RC(dax_dev_enable(b, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(bound_dax(b) && usable(b));
	CHECK_RC(dax_dev_enable(b, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK_RC(dax_dev_disable(b), 0);
	CHECK(unbound(b));
	CHECK_RC(dax_dev_disable(b), 0);
	CHECK_RC(dax_dev_set_size(a, 2 * MiB), -EBUSY);
	CHECK_RC(dax_dev_set_align(a, 4096), -EBUSY);
	CHECK(bound_dax(a));
	destroy(b);
	destroy(a);
	CHECK(avail() == RSIZE && strcmp(raw_devs(), "dax0.0") == 0);

	/* Size 0: everything available. */
	a = create(0, 0, NULL, 0, 0);
	CHECK(size_of(a) == RSIZE && avail() == 0 && bound_dax(a));
	snprintf(before, sizeof(before), "%s", raw_devs());
	CHECK_RC(dax_region_create_dev(region, 2 * MiB, 0, NULL, 0, 0, NULL),
		 -ENOSPC);
	CHECK(strcmp(before, raw_devs()) == 0);
	destroy(a);

	/* dax0.0 is shrunk, never deleted; enabled first, then destroyed. */
	CHECK_RC(dax_dev_set_size(d0, GiB), 0);
	CHECK_RC(dax_dev_enable(d0, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(bound_dax(d0) && usable(d0));
	CHECK_RC(dax_dev_destroy(d0), 0);
	d0 = find("dax0.0");
	CHECK(d0 && size_of(d0) == 0 && unbound(d0) && avail() == RSIZE);
}

static void case_align(void)
{
	struct dax_dev *a, *x;
	struct dax_range r[4];
	uint64_t al = 0;

	empty_region();
	a = create(GiB, GiB, NULL, 0, 0);
	CHECK(dax_dev_get_align(a, &al) == 0 && al == GiB);
	CHECK(raw_u64("/sys/bus/dax/devices/%s/align",
		      dax_dev_get_devname(a)) == GiB);
	CHECK(ranges_of(a, r, 4) == 1 && r[0].start % GiB == 0);
	CHECK(bound_dax(a) && usable(a));
	destroy(a);

	a = create(2 * MiB, 4096, NULL, 0, 0);
	CHECK(dax_dev_get_align(a, &al) == 0 && al == 4096);
	CHECK(bound_dax(a) && usable(a));
	destroy(a);

	a = create(4 * MiB, 2 * MiB, NULL, 0, 0);
	CHECK(dax_dev_get_align(a, &al) == 0 && al == 2 * MiB && usable(a));
	destroy(a);

	/* First fit would start at BASE + 2 MiB: placed at 5 GiB instead. */
	x = create(2 * MiB, 0, NULL, 0, 0);
	a = create(GiB, GiB, NULL, 0, 0);
	CHECK(ranges_of(a, r, 4) == 1 && r[0].start == BASE + GiB &&
		      r[0].end == BASE + 2 * GiB - 1,
	      "start %#" PRIx64, r[0].start);
	CHECK(bound_dax(a) && usable(a));
	destroy(a);
	/*
	 * 1 GiB free in two pieces, neither holding an aligned GiB: x 2 MiB
	 * at the start, y 1 GiB right after it; then x goes.
	 */
	a = create(GiB, 0, NULL, 0, 0);
	CHECK(ranges_of(a, r, 4) == 1 && r[0].start == BASE + 2 * MiB);
	destroy(x);
	CHECK(avail() == GiB);
	CHECK_RC(dax_region_create_dev(region, GiB, GiB, NULL, 0, 0, NULL),
		 -ENOSPC);
	CHECK(avail() == GiB, "available %" PRIu64, avail());
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.2") == 0, "%s", raw_devs());
	destroy(a);

	/* set_align on a disabled device */
	a = create(2 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	CHECK_RC(dax_dev_set_align(a, GiB), -EINVAL);
	CHECK_RC(dax_dev_set_align(a, 4096), 0);
	CHECK(dax_dev_get_align(a, &al) == 0 && al == 4096);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(usable(a));
	destroy(a);
	CHECK(avail() == RSIZE);
}

static void case_ranges(void)
{
	const struct dax_range want[4] = {
		{BASE + GiB + 256 * MiB, BASE + GiB + 512 * MiB - 1},
		{BASE + 768 * MiB, BASE + GiB - 1},
		{BASE + GiB + 768 * MiB, BASE + 2 * GiB - 1},
		{BASE, BASE + 256 * MiB - 1},
	};
	struct dax_range got[8], bad;
	struct dax_dev *a, *b;
	size_t n, i;

	empty_region();
	a = create(0, 0, want, 4, 0);
	n = ranges_of(a, got, 8);
	CHECK(n == 4, "%zu ranges", n);
	for (i = 0; i < 4 && i < n; i++)
		CHECK(got[i].start == want[i].start &&
			      got[i].end == want[i].end,
		      "range %zu: %#" PRIx64 "-%#" PRIx64, i, got[i].start,
		      got[i].end);
	CHECK(size_of(a) == GiB && bound_dax(a) && usable(a));
	/* Re-create from what it had: the same ranges in the same order. */
	destroy(a);
	a = create(GiB, 0, got, 4, 0);
	CHECK(ranges_of(a, got, 8) == 4 &&
	      memcmp(got, want, sizeof(want)) == 0);
	destroy(a);

	/* add_range */
	a = create(0, 0, &want[0], 1, DAX_CREATE_NO_ENABLE);
	CHECK_RC(dax_dev_add_range(a, &want[1]), 0);
	CHECK(ranges_of(a, got, 8) == 2 && got[1].start == want[1].start &&
	      size_of(a) == 512 * MiB);
	b = create(0, 0, &want[3], 1, 0);
	CHECK_RC(dax_dev_add_range(a, &want[3]), -ENOMEM); /* b's */
	bad = (struct dax_range){BASE + 257 * MiB, BASE + 259 * MiB - 1};
	CHECK_RC(dax_dev_add_range(a, &bad), -EINVAL); /* misaligned */
	bad = (struct dax_range){BASE + RSIZE, BASE + RSIZE + 2 * MiB - 1};
	CHECK_RC(dax_dev_add_range(a, &bad), -EINVAL); /* outside */
	bad = (struct dax_range){BASE - 2 * MiB, BASE - 1};
	CHECK_RC(dax_dev_add_range(a, &bad), -EINVAL);
	CHECK_RC(dax_dev_add_range(b, &want[2]), -EBUSY); /* enabled */
	CHECK(size_of(a) == 512 * MiB && ranges_of(a, got, 8) == 2);
	CHECK_RC(dax_region_create_dev(region, 0, 0, &bad, 1, 0, NULL),
		 -EINVAL);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(usable(a));
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0, "%s",
	      raw_devs());
	destroy(a);
	destroy(b);
	CHECK(avail() == RSIZE);
}

static void case_resize(void)
{
	struct dax_dev *a, *b, *c;
	struct dax_range r[4];
	size_t n;

	empty_region();
	a = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	b = create(256 * MiB, 0, NULL, 0, 0);
	c = create(256 * MiB, 0, NULL, 0, 0);
	destroy(b);
	/* Grows into the hole after it (extending its range), then past c. */
	CHECK_RC(dax_dev_set_size(a, 768 * MiB), 0);
	n = ranges_of(a, r, 4);
	CHECK(n == 2 && r[0].start == BASE &&
		      r[0].end == BASE + 512 * MiB - 1 &&
		      r[1].start == BASE + 768 * MiB &&
		      r[1].end == BASE + GiB - 1,
	      "%zu ranges, %#" PRIx64 "-%#" PRIx64 " %#" PRIx64 "-%#" PRIx64, n,
	      r[0].start, r[0].end, r[1].start, r[1].end);
	CHECK(size_of(a) == 768 * MiB);
	/* Shrinks from the last range. */
	CHECK_RC(dax_dev_set_size(a, 384 * MiB), 0);
	CHECK(ranges_of(a, r, 4) == 1 && r[0].end == BASE + 384 * MiB - 1);
	CHECK_RC(dax_dev_set_size(a, 2 * GiB), -ENOSPC);
	CHECK_RC(dax_dev_set_size(a, 3 * MiB), -EINVAL);
	CHECK_RC(dax_dev_set_size(c, 512 * MiB), -EBUSY);
	CHECK(size_of(a) == 384 * MiB && size_of(c) == 256 * MiB);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(usable(a) && usable(c));
	/* Shrink to 0 and grow again while disabled. */
	CHECK_RC(dax_dev_disable(a), 0);
	CHECK_RC(dax_dev_set_size(a, 0), 0);
	CHECK_RC(dax_dev_set_size(a, 1536 * MiB), 0);
	CHECK(size_of(a) == 1536 * MiB && avail() == 256 * MiB);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(usable(a));
	destroy(a);
	destroy(c);
	CHECK(avail() == RSIZE);
}

static void case_bystander(void)
{
	struct dax_dev *a, *b, *c, *d;
	int i;

	empty_region();
	a = create(256 * MiB, 0, NULL, 0, 0);
	b = create(256 * MiB, 0, NULL, 0, 0);
	CHECK_RC(dax_dev_disable(b), 0); /* the user's choice */
	c = create(256 * MiB, 0, NULL, 0, 0);
	CHECK(unbound(b));
	d = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	CHECK_RC(dax_dev_enable(d, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(unbound(b));
	for (i = 0; i < 2; i++) {
		CHECK_RC(dax_dev_disable(a), 0);
		CHECK(unbound(a) && unbound(b));
		CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), 0);
		CHECK(bound_dax(a) && unbound(b));
	}
	destroy(c);
	CHECK(unbound(b) && bound_dax(a) && bound_dax(d));
	c = create(256 * MiB, 0, NULL, 0, 0);
	CHECK(unbound(b));
	CHECK_RC(dax_region_create_devs(region, 2, 128 * MiB, 0, 0, NULL), 0);
	refresh();
	CHECK(unbound(b));

	if (strcmp(kline, "6.1") != 0) {
		/*
		 * Typed drivers: the library enabled a, c, d through new_id and
		 * took the names off again. A raw unbind (no remove_id) and any
		 * later new_id must then leave a unbound, as b.
		 */
		CHECK(raw_writef(dax_dev_get_devname(a),
				 "/sys/bus/dax/drivers/device_dax/unbind") ==
		      0);
		CHECK(raw_writef("dax0.99",
				 "/sys/bus/dax/drivers/device_dax/new_id") ==
		      0);
		CHECK(raw_writef("dax0.99",
				 "/sys/bus/dax/drivers/device_dax/remove_id") ==
		      0);
		refresh();
		CHECK(unbound(a) && unbound(b), "a %s, b %s",
		      raw_driver(dax_dev_get_devname(a)),
		      raw_driver(dax_dev_get_devname(b)));
	}
	destroy_all();
}
/* A raw device with a misaligned range: the probe fails (and on 6.1 the
 * device cannot probe again). */
static struct dax_dev *raw_misaligned(uint64_t at)
{
	char name[32], val[64];
	const char *after;
	struct dax_dev *d;
	int rc;

	CHECK(raw_write("/sys/devices/platform/hmem.0/dax_region/create",
			"1") == 0);
	refresh();
	/* The newest zero-size device other than dax0.0. */
	after = raw_devs();
	snprintf(name, sizeof(name), "%s", strrchr(after, ' ') + 1);
	snprintf(val, sizeof(val), "0x%" PRIx64 "-0x%" PRIx64, at + 1 * MiB,
		 at + 3 * MiB - 1);
	rc = raw_writef(val, "/sys/bus/dax/devices/%s/mapping", name);
	CHECK(rc == 0, "mapping %s: %s", val, strerror(-rc));
	refresh();
	d = find(name);
	CHECK(d && size_of(d) == 2 * MiB);
	if (!d)
		exit(1);
	return d;
}

static void case_poison(void)
{
	struct dax_range good1 = {BASE + 512 * MiB, BASE + 514 * MiB - 1};
	struct dax_range good2 = {BASE + 768 * MiB, BASE + 770 * MiB - 1};
	struct dax_dev *p1, *p2;
	int rc;

	empty_region();
	p1 = raw_misaligned(BASE);
	p2 = raw_misaligned(BASE + 256 * MiB);
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0);
	/* libdax refuses a device whose ranges are off its align (#15). */
	CHECK_RC(dax_dev_enable(p1, DAX_DRIVER_DEVICE_DAX), -EINVAL);
	CHECK(unbound(p1));
	/* Forced, the kernel's probe fails: its real error is reported. */
	rc = dax_dev_enable_flags(p1, DAX_DRIVER_DEVICE_DAX,
				  DAX_MODE_MISALIGNED);
	printf("# forced enable of a misaligned range on %s: %d (%s)\n", kline,
	       rc, strerror(-rc));
	CHECK(rc < 0 && unbound(p1));
	CHECK(raw_writef(dax_dev_get_devname(p2),
			 "/sys/bus/dax/drivers/device_dax/bind") != 0);
	refresh();
	CHECK(unbound(p2));
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0, "%s",
	      raw_devs());

	/* Fix both: size 0, then an aligned range. */
	CHECK_RC(dax_dev_set_size(p1, 0), 0);
	CHECK_RC(dax_dev_add_range(p1, &good1), 0);
	CHECK_RC(dax_dev_set_size(p2, 0), 0);
	CHECK_RC(dax_dev_add_range(p2, &good2), 0);
	/* p2 failed a probe: on 6.1 the kernel refuses it ever after. */
	rc = raw_writef(dax_dev_get_devname(p2),
			"/sys/bus/dax/drivers/device_dax/bind");
	printf("# raw bind of a fixed device after a failed probe on %s: %s\n",
	       kline, strerror(-rc));
	if (strcmp(kline, "6.1") == 0)
		CHECK(rc == -EINVAL, "raw bind: %s", strerror(-rc));
	if (rc == -ENODEV) {
		/* 6.12: through new_id, to poke the same defect. */
		rc = raw_writef(dax_dev_get_devname(p2),
				"/sys/bus/dax/drivers/device_dax/new_id");
		(void)raw_writef(dax_dev_get_devname(p2),
				 "/sys/bus/dax/drivers/device_dax/remove_id");
	}
	refresh();
	if (!unbound(p2))
		CHECK_RC(dax_dev_disable(p2), 0);
	/*
	 * Enable never re-creates a device the caller named: where the
	 * kernel refuses it for good (6.1), the kernel's EINVAL comes back,
	 * the device keeps its name, ranges and state, and destroy + create
	 * is the remedy.
	 */
	{
		struct dax_dev **pp[2] = {&p1, &p2};
		const struct dax_range *good[2] = {&good1, &good2};
		struct dax_range r[2];
		char name[32];
		int k;

		for (k = 0; k < 2; k++) {
			snprintf(name, sizeof(name), "%s",
				 dax_dev_get_devname(*pp[k]));
			rc = dax_dev_enable(*pp[k], DAX_DRIVER_DEVICE_DAX);
			printf("# enable of %s after a failed probe on %s: "
			       "%d (%s)\n",
			       name, kline, rc, strerror(-rc));
			if (strcmp(kline, "6.1") == 0)
				CHECK(rc == -EINVAL, "%d", rc);
			refresh();
			CHECK(strcmp(dax_dev_get_devname(*pp[k]), name) == 0);
			CHECK(find(name) == *pp[k]);
			CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0,
			      "%s", raw_devs());
			if (rc == 0) {
				CHECK(bound_dax(*pp[k]) && usable(*pp[k]));
				continue;
			}
			CHECK(rc == -EINVAL && unbound(*pp[k]), "%d", rc);
			CHECK(ranges_of(*pp[k], r, 2) == 1 &&
			      r[0].start == good[k]->start);
			destroy(*pp[k]);
			*pp[k] = create(0, 0, good[k], 1, 0);
			CHECK(bound_dax(*pp[k]) && usable(*pp[k]));
		}
	}
	printf("# after recovery: %s and %s\n", dax_dev_get_devname(p1),
	       dax_dev_get_devname(p2));
	destroy(p1);
	destroy(p2);
	CHECK(avail() == RSIZE && strcmp(raw_devs(), "dax0.0") == 0);
}

static void case_leftover(void)
{
	struct dax_dev *a, *devs[2];
	int rc;

	empty_region();
	/* What a crashed creator leaves: zero-size, unbound devices. */
	CHECK(raw_write("/sys/devices/platform/hmem.0/dax_region/create",
			"1") == 0);
	CHECK(raw_write("/sys/devices/platform/hmem.0/dax_region/create",
			"1") == 0);
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0);
	/* The crashed run had set an align: "0" still means the default. */
	CHECK(raw_writef("1073741824", "/sys/bus/dax/devices/dax0.1/align") ==
	      0);
	refresh();
	a = create(256 * MiB, 0, NULL, 0, 0);
	CHECK(strcmp(dax_dev_get_devname(a), "dax0.1") == 0, "%s",
	      dax_dev_get_devname(a));
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0, "%s",
	      raw_devs());
	CHECK(bound_dax(a) && usable(a));
	CHECK(raw_u64("/sys/bus/dax/devices/dax0.1/align") == 2 * MiB);
	/* Rejected before any write: the leftover stays as it was. */
	CHECK_RC(dax_region_create_devs(region, 2, GiB, 0, 0, NULL), -ENOSPC);
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2") == 0);
	CHECK(raw_u64("/sys/bus/dax/devices/dax0.2/size") == 0);
	/* Both ways: reuse dax0.2, then create one. */
	rc = dax_region_create_devs(region, 2, 256 * MiB, 0, 0, devs);
	CHECK(rc == 0, "%s", strerror(-rc));
	CHECK(rc == 0 && strcmp(dax_dev_get_devname(devs[0]), "dax0.2") == 0 &&
	      strcmp(dax_dev_get_devname(devs[1]), "dax0.3") == 0);
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1 dax0.2 dax0.3") == 0);
	destroy(a);
	destroy(devs[0]);
	destroy(devs[1]);
	CHECK(avail() == RSIZE && strcmp(raw_devs(), "dax0.0") == 0);
}

/* Region 0's live devices as the library's model has them, without a refresh.
 */
static const char *model_devs(void)
{
	static char out[1024];
	struct dax_dev *d;

	out[0] = '\0';
	dax_dev_foreach (region, d)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
			 out[0] ? " " : "", dax_dev_get_devname(d));
	return out;
}

/*
 * An agent's creates and destroys do not list the region while only it
 * changes it (lock.c: the region's signature); whatever another tool does
 * in between is seen by its next change call, with no refresh of its own.
 */
static void case_others(void)
{
	struct dax_dev *a, *b, *c, *d;
	const char *other;
	char bname[32];

	empty_region();
	refresh();
	a = create(256 * MiB, 0, NULL, 0, 0);
	b = create(256 * MiB, 0, NULL, 0, 0);
	CHECK(strcmp(model_devs(), raw_devs()) == 0, "model %s, bus %s",
	      model_devs(), raw_devs());
	snprintf(bname, sizeof(bname), "%s", dax_dev_get_devname(b));

	/* Another tool's zero-size device (a crashed creator): reused. */
	CHECK(raw_write("/sys/devices/platform/hmem.0/dax_region/create",
			"1") == 0);
	c = create(256 * MiB, 0, NULL, 0, 0);
	CHECK(strcmp(dax_dev_get_devname(c), "dax0.3") == 0, "%s",
	      dax_dev_get_devname(c));
	CHECK(strcmp(model_devs(), raw_devs()) == 0, "model %s, bus %s",
	      model_devs(), raw_devs());

	/* Another tool destroys b: the next change call sees it gone. */
	CHECK(raw_write("/sys/bus/dax/drivers/device_dax/unbind", bname) == 0);
	CHECK(raw_writef("0", "/sys/bus/dax/devices/%s/size", bname) == 0);
	CHECK(raw_write("/sys/devices/platform/hmem.0/dax_region/delete",
			bname) == 0);
	destroy(a);
	CHECK(dax_dev_is_gone(b), "%s", bname);
	CHECK(strcmp(model_devs(), raw_devs()) == 0, "model %s, bus %s",
	      model_devs(), raw_devs());

	/* Another tool makes a sized device: the next create sees it. */
	CHECK(raw_write("/sys/devices/platform/hmem.0/dax_region/create",
			"1") == 0);
	other = raw_str("/sys/devices/platform/hmem.0/dax_region/create");
	CHECK(other[0] &&
		      raw_writef("268435456", "/sys/bus/dax/devices/%s/size",
				 other) == 0,
	      "%s", other);
	d = create(512 * MiB, 0, NULL, 0, 0);
	CHECK(size_of(d) == 512 * MiB && bound_dax(d) && usable(d));
	CHECK(strcmp(model_devs(), raw_devs()) == 0, "model %s, bus %s",
	      model_devs(), raw_devs());
	CHECK(avail() == RSIZE - GiB, "available %" PRIu64, avail());
	destroy_all();
}

static void case_create_devs(void)
{
	struct dax_dev *devs[4] = {0};
	struct dax_range r[2];
	int i;

	empty_region();
	CHECK_RC(dax_region_create_devs(region, 3, 768 * MiB, 0, 0, devs),
		 -ENOSPC);
	CHECK(!devs[0] && avail() == RSIZE &&
	      strcmp(raw_devs(), "dax0.0") == 0);
	CHECK_RC(dax_region_create_devs(region, 4, 512 * MiB, 0, 0, devs), 0);
	CHECK(avail() == 0);
	for (i = 0; i < 4; i++)
		CHECK(devs[i] && bound_dax(devs[i]) &&
		      size_of(devs[i]) == 512 * MiB && usable(devs[i]));
	for (i = 0; i < 4; i++)
		destroy(devs[i]);
	CHECK_RC(dax_region_create_devs(region, 2, GiB, GiB,
					DAX_CREATE_NO_ENABLE, devs),
		 0);
	for (i = 0; i < 2; i++)
		CHECK(unbound(devs[i]) && ranges_of(devs[i], r, 2) == 1 &&
		      r[0].start % GiB == 0);
	for (i = 0; i < 2; i++)
		destroy(devs[i]);
	CHECK(avail() == RSIZE && strcmp(raw_devs(), "dax0.0") == 0);
}

/* --- kmem (topology numa: the window is node 1) ------------------------ */

/* Write @state to every memory block wholly inside @dev's ranges. */
static int set_blocks(struct dax_dev *dev, const char *state)
{
	struct dax_range r[8];
	uint64_t bs, b;
	size_t n, i;
	int rc = 0;
	char buf[32];
	int fd;

	fd = open("/sys/devices/system/memory/block_size_bytes", O_RDONLY);
	if (fd < 0)
		return -errno;
	n = (size_t)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < sizeof(buf) ? n : 0] = '\0';
	bs = strtoull(buf, NULL, 16);
	if (!bs)
		return -EINVAL;
	n = ranges_of(dev, r, 8);
	for (i = 0; i < n && i < 8; i++)
		for (b = (r[i].start + bs - 1) / bs;
		     (b + 1) * bs <= r[i].end + 1; b++) {
			int wrc = raw_writef(
				state,
				"/sys/devices/system/memory/memory%" PRIu64
				"/state",
				b);

			if (wrc < 0 && rc == 0)
				rc = wrc;
		}
	return rc;
}

static void load_kmem(void)
{
	CHECK(system("modprobe kmem") == 0);
}

static void case_kmem(void)
{
	struct dax_dev *a, *b, *c;
	struct dax_memory *mem;
	unsigned int online;

	empty_region();
	load_kmem();
	b = create(256 * MiB, 0, NULL, 0, 0);
	c = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	a = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_KMEM), 0);
	CHECK(dax_dev_is_system_ram(a) &&
	      strcmp(raw_driver(dax_dev_get_devname(a)), "kmem") == 0);
	CHECK(bound_dax(b) && unbound(c), "b %s, c %s",
	      raw_driver(dax_dev_get_devname(b)),
	      raw_driver(dax_dev_get_devname(c)));
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_KMEM), 0);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), -EBUSY);
	mem = dax_dev_get_memory(a);
	CHECK(mem && dax_memory_get_num_blocks(mem) == 2);
	online = mem ? dax_memory_get_num_online(mem) : 0;
	printf("# kmem on %s: %u of 2 blocks online after enable\n", kline,
	       online);
	if (online == 0)
		CHECK(set_blocks(a, "online_movable") == 0);
	/* Online memory: neither disable nor destroy may proceed. */
	CHECK_RC(dax_dev_disable(a), -EBUSY);
	CHECK_RC(dax_dev_destroy(a), -EBUSY);
	CHECK(dax_dev_is_system_ram(a));
	CHECK(set_blocks(a, "offline") == 0);
	CHECK_RC(dax_dev_disable(a), 0);
	CHECK(unbound(a) && unbound(c) && bound_dax(b));
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_DEVICE_DAX), 0);
	CHECK(bound_dax(a) && usable(a) && unbound(c));
	/* And back to kmem, then destroyed from there (memory offline). */
	CHECK_RC(dax_dev_disable(a), 0);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_KMEM), 0);
	mem = dax_dev_get_memory(a);
	if (mem && dax_memory_get_num_online(mem) > 0)
		CHECK(set_blocks(a, "offline") == 0);
	CHECK(unbound(c));
	destroy(a);
	destroy(b);
	destroy(c);
	CHECK(avail() == RSIZE);
}

/*
 * A range the kernel refuses to map: kmem unbound while its memory is
 * online cannot remove it, and keeps the range in iomem. A device_dax
 * probe of that range then fails with EBUSY.
 */
static void case_forced(void)
{
	const struct dax_range leak = {BASE + 128 * MiB, BASE + 384 * MiB - 1};
	struct dax_dev *f, *a, *x, *devs[2] = {0};
	char before[1024];
	int rc;

	empty_region();
	load_kmem();
	f = create(128 * MiB, 0, NULL, 0, 0);
	a = create(0, 0, &leak, 1, DAX_CREATE_NO_ENABLE);
	CHECK_RC(dax_dev_enable(a, DAX_DRIVER_KMEM), 0);
	(void)set_blocks(a, "online_movable");
	CHECK(raw_writef(dax_dev_get_devname(a),
			 "/sys/bus/dax/drivers/kmem/unbind") == 0);
	refresh();
	CHECK(unbound(a));
	CHECK_RC(dax_dev_set_size(a, 0), 0);
	destroy(a);
	destroy(f);
	snprintf(before, sizeof(before), "%s", raw_devs());
	CHECK(avail() == RSIZE);

	/* create: the probe fails; the device is gone again. */
	rc = dax_region_create_dev(region, 0, 0, &leak, 1, 0, NULL);
	printf("# create on a leaked range on %s: %d (%s)\n", kline, rc,
	       strerror(-rc));
	CHECK(rc == -EBUSY, "%d", rc);
	CHECK(strcmp(before, raw_devs()) == 0 && avail() == RSIZE, "%s",
	      raw_devs());
	/* create_devs: the first fits, the second lands on the leak. */
	rc = dax_region_create_devs(region, 2, 128 * MiB, 0, 0, devs);
	CHECK(rc == -EBUSY && !devs[0] && !devs[1], "%d", rc);
	CHECK(strcmp(before, raw_devs()) == 0 && avail() == RSIZE, "%s",
	      raw_devs());
	/*
	 * enable: the probe's errno; once the kernel refuses the device for
	 * good, its EINVAL, and the device keeps its name (never
	 * re-created). On 6.12 the first probe runs inside device_dax's
	 * new_id (kmem-typed region), which hides its errno, and the "bind"
	 * that asks for it already meets the refused device: EINVAL.
	 */
	x = create(0, 0, &leak, 1, DAX_CREATE_NO_ENABLE);
	rc = dax_dev_enable(x, DAX_DRIVER_DEVICE_DAX);
	printf("# first enable on a leaked range on %s: %d (%s)\n", kline, rc,
	       strerror(-rc));
	if (strcmp(kline, "6.1") == 0)
		CHECK(rc == -EBUSY, "%d", rc);
	else
		CHECK(rc == -EBUSY || rc == -EINVAL, "%d", rc);
	rc = dax_dev_enable(x, DAX_DRIVER_DEVICE_DAX);
	printf("# second enable on a leaked range on %s: %d (%s)\n", kline, rc,
	       strerror(-rc));
	if (strcmp(kline, "6.1") == 0)
		CHECK(rc == -EINVAL, "%d", rc);
	else
		CHECK(rc == -EBUSY || rc == -EINVAL, "%d", rc);
	refresh();
	CHECK(unbound(x) && size_of(x) == 256 * MiB);
	CHECK(strcmp(dax_dev_get_devname(x), "dax0.1") == 0);
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.1") == 0, "%s", raw_devs());
	destroy(x);
	CHECK(strcmp(before, raw_devs()) == 0 && avail() == RSIZE);
}

/*
 * Topology two, region 0 kmem-typed on 6.12 (region_idle=N at its reset),
 * region 1 device-typed (region_idle=Y). A device_dax new_id for region 0
 * re-probes the unbound devices of region 1: the library unbinds them
 * again. A kmem new_id for region 1 would hot-plug unbound devices of
 * region 0: refused.
 */
static void case_typed(void)
{
	struct dax_region *r1 = dax_region_find(ctx, 1);
	struct dax_dev *d0 = find("dax0.0"), *x = NULL, *y = NULL, *a = NULL,
		       *b = NULL;
	int rc;

	if (!r1 || !d0)
		die("regions");
	CHECK_RC(dax_dev_disable(d0), 0);
	CHECK_RC(dax_dev_set_size(d0, 0), 0);
	CHECK_RC(dax_region_create_dev(r1, 256 * MiB, 0, NULL, 0, 0, &x), 0);
	CHECK_RC(dax_region_create_dev(r1, 256 * MiB, 0, NULL, 0,
				       DAX_CREATE_NO_ENABLE, &y),
		 0);
	if (!x || !y)
		exit(1);
	CHECK_RC(dax_dev_disable(x), 0);
	CHECK(unbound(x) && unbound(y));
	/* Region 0: through new_id on 6.12; x and y must stay unbound. */
	CHECK_RC(dax_region_create_dev(region, 256 * MiB, 0, NULL, 0, 0, &a),
		 0);
	refresh();
	CHECK(a && bound_dax(a) && usable(a));
	CHECK(unbound(x) && unbound(y), "x %s, y %s",
	      raw_driver(dax_dev_get_devname(x)),
	      raw_driver(dax_dev_get_devname(y)));

	load_kmem();
	/* b: unbound with a size in region 0, which kmem would take. */
	CHECK_RC(dax_region_create_dev(region, 256 * MiB, 0, NULL, 0,
				       DAX_CREATE_NO_ENABLE, &b),
		 0);
	if (!b)
		exit(1);
	CHECK(unbound(b));
	rc = dax_dev_enable(y, DAX_DRIVER_KMEM);
	printf("# kmem for a device of region 1 while dax0.x waits unbound, "
	       "on %s: %d (%s)\n",
	       kline, rc, strerror(-rc));
	if (strcmp(kline, "6.1") != 0)
		CHECK(rc == -EBUSY && unbound(y), "%d", rc);
	refresh();
	CHECK(unbound(b) && unbound(x), "b %s, x %s",
	      raw_driver(dax_dev_get_devname(b)),
	      raw_driver(dax_dev_get_devname(x)));
	if (dax_dev_is_system_ram(y)) {
		struct dax_memory *mem = dax_dev_get_memory(y);

		if (mem && dax_memory_get_num_online(mem))
			CHECK(set_blocks(y, "offline") == 0);
		CHECK_RC(dax_dev_disable(y), 0);
	}
	destroy(b);
	destroy(a);
	destroy(x);
	destroy(y);
}

/*
 * Handles across changes made by others. The reproduction of a
 * use-after-free: a device destroyed behind the library's back, a change
 * call on another device (its re-read used to free the first one's
 * object), then the first one's name. Then the same name made again: the
 * same handle, describing the new device.
 */
static void case_lifetime(void)
{
	struct dax_dev *a, *b, *c;
	struct dax_mapping *m;
	uint64_t v;
	char name[32];

	empty_region();
	a = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	b = create(256 * MiB, 0, NULL, 0, DAX_CREATE_NO_ENABLE);
	m = dax_mapping_get_first(a);
	CHECK(m && dax_mapping_get_size(m) == 256 * MiB);
	snprintf(name, sizeof(name), "%s", dax_dev_get_devname(a));
	CHECK(strcmp(name, "dax0.1") == 0, "%s", name);

	CHECK(raw_writef("0", "/sys/bus/dax/devices/%s/size", name) == 0);
	CHECK(raw_writef(name, "/sys/devices/platform/hmem.0/dax_region/"
			       "delete") == 0);
	CHECK_RC(dax_dev_disable(b), 0);
	CHECK(strcmp(dax_dev_get_devname(a), name) == 0);
	CHECK(dax_dev_is_gone(a) && !dax_dev_is_gone(b));
	CHECK_RC(dax_dev_get_size(a, &v), -ENODEV);
	CHECK(dax_dev_get_driver(a) == DAX_DRIVER_NONE);
	CHECK(dax_mapping_get_size(m) == 0);
	CHECK(dax_dev_get_next(a) == b);
	CHECK(find(name) == NULL);
	/* Nothing is written for a gone handle. */
	CHECK_RC(dax_dev_destroy(a), -ENODEV);
	CHECK_RC(dax_dev_set_size(a, 2 * MiB), -ENODEV);
	CHECK(strcmp(raw_devs(), "dax0.0 dax0.2") == 0, "%s", raw_devs());

	/* The kernel gives a new device the lowest free id: dax0.1 again. */
	c = create(128 * MiB, 0, NULL, 0, 0);
	CHECK(c == a, "%s", c ? dax_dev_get_devname(c) : "none");
	CHECK(!dax_dev_is_gone(a) && size_of(a) == 128 * MiB && bound_dax(a));
	CHECK(dax_mapping_get_first(a) == m &&
	      dax_mapping_get_size(m) == 128 * MiB);
	destroy(a);
	destroy(b);
}

/*
 * Not a case: a helper for the CLI tests. Holds region 0's lock, says
 * "held" on stdout, and lets go once the file $HOLD_UNTIL exists.
 */
static void case_hold_lock(void)
{
	const char *until = getenv("HOLD_UNTIL");

	if (!until)
		die("HOLD_UNTIL not set");
	CHECK_RC(dax_region_lock(region), 0);
	printf("held\n");
	while (access(until, F_OK) < 0)
		usleep(10000);
	dax_region_unlock(region);
	/* The waiter takes the lock now: main()'s final check would race. */
	dax_ctx_unref(ctx);
	exit(failed ? 1 : 0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{"basic", case_basic},	       {"align", case_align},
	{"ranges", case_ranges},       {"resize", case_resize},
	{"bystander", case_bystander}, {"poison", case_poison},
	{"leftover", case_leftover},   {"create-devs", case_create_devs},
	{"typed", case_typed},	       {"kmem", case_kmem},
	{"forced", case_forced},       {"lifetime", case_lifetime},
	{"hold-lock", case_hold_lock}, {"others", case_others},
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: libdax-change CASE KLINE\n");
		return 2;
	}
	kline = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (dax_ctx_new(&ctx) < 0)
		die("dax_ctx_new");
	refresh();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			break;
		}
	}
	if (i == sizeof(cases) / sizeof(cases[0])) {
		fprintf(stderr, "libdax-change: unknown case %s\n", argv[1]);
		return 2;
	}
	dax_ctx_unref(ctx);
	/* Every call released the region lock. */
	{
		int fd = open("/run/libdax/region0.lock", O_RDWR | O_CLOEXEC);

		CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
		if (fd >= 0)
			close(fd);
	}
	printf("%s: %u checks passed, %u failed\n", argv[1], passed, failed);
	return failed ? 1 : 0;
}
