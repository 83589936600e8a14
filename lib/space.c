// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Where ranges may go: the region's physical bounds, the ranges already
 * allocated in it, the checks of an explicit range, and an aligned
 * first-fit placement.
 *
 * Bounds: sysfs has no attribute for a region's start. A device without
 * ranges reports it as its "resource" (0400), so any zero-size device of
 * the region gives the start, and start + dax_region/size - 1 the end.
 * Otherwise the entry of the region's host device in /proc/iomem (for
 * hmem: "hmem.N", its size equal to the region's) is used. When neither is
 * available the bounds are unknown; the kernel then answers a range outside
 * the region with ENOMEM.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

/* The whole of <root>/proc/iomem, NUL-terminated. */
static char *read_iomem(struct dax_ctx *ctx)
{
	int rootfd = ctx_root_fd(ctx), fd;
	size_t len = 0, cap = 16384;
	char *buf = NULL, *nb;
	ssize_t n;

	if (rootfd < 0)
		return NULL;
	fd = openat(rootfd, "proc/iomem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (!buf || cap - len < 2) {
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0) {
				buf[len] = '\0';
				close(fd);
				return buf;
			}
			break;
		}
		len += (size_t)n;
	}
	free(buf);
	close(fd);
	return NULL;
}

/* The entry named @name of size @size in iomem text @buf. */
static bool iomem_find(const char *buf, const char *name, uint64_t size,
		       struct dax_range *r)
{
	const char *line = buf;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long long s, e;
		int pos = -1;
		char text[256];

		if (len < sizeof(text)) {
			memcpy(text, line, len);
			text[len] = '\0';
			if (sscanf(text, " %llx-%llx : %n", &s, &e, &pos) ==
				    2 &&
			    pos > 0 && strcmp(text + pos, name) == 0 &&
			    e >= s && e - s + 1 == size && e != 0) {
				r->start = s;
				r->end = e;
				return true;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

/*
 * The lowest start of @dev's ranges: the region's start when @dev holds
 * the whole region (6.12 gives a sized daxR.0 no iomem entry of its own).
 */
static int lowest_start(struct dax_dev *dev, uint64_t *start)
{
	struct dax_mapping *m;

	*start = UINT64_MAX;
	for (m = dax_mapping_get_first(dev); m; m = dax_mapping_get_next(m))
		if (dax_mapping_get_start(m) < *start)
			*start = dax_mapping_get_start(m);
	return *start == UINT64_MAX ? -ENOENT : 0;
}

int space_bounds(struct dax_region *region, struct dax_range *bounds)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	uint64_t rsize, size, start;
	struct dax_dev *dev;
	char *iomem;
	bool found;

	if (dax_region_get_size(region, &rsize) < 0 || rsize == 0)
		return -ENOENT;
	dax_dev_foreach (region, dev) {
		if (dax_dev_get_size(dev, &size) < 0)
			continue;
		if ((size == 0 && dax_dev_get_resource(dev, &start) == 0 &&
		     start != 0) ||
		    (size == rsize && lowest_start(dev, &start) == 0)) {
			bounds->start = start;
			bounds->end = start + rsize - 1;
			return 0;
		}
	}
	iomem = read_iomem(ctx);
	if (!iomem)
		return -ENOENT;
	found = iomem_find(iomem, dax_region_get_devname(region), rsize,
			   bounds);
	free(iomem);
	if (!found) {
		dax_dbg(ctx, "region %d: physical bounds unknown\n",
			dax_region_get_id(region));
		return -ENOENT;
	}
	return 0;
}

DAX_EXPORT int dax_region_get_bounds(struct dax_region *region,
				     struct dax_range *bounds)
{
	if (!region || !bounds)
		return -EINVAL;
	if (dax_region_is_gone(region))
		return -ENODEV;
	return space_bounds(region, bounds);
}

static int cmp_range(const void *a, const void *b)
{
	const struct dax_range *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

int space_used(struct dax_region *region, struct dax_range **v, size_t *n)
{
	struct dax_range *out = NULL, *nv, *r;
	size_t cnt = 0, nids = 0, nr, i;
	int *ids = NULL, rc;

	/* Read now, not from the model: a transaction may have added some. */
	rc = kregion_ids(region, &ids, &nids);
	for (i = 0; rc == 0 && i < nids; i++) {
		struct kdev kd;

		rc = kdev_open(&kd, region, ids[i]);
		if (rc < 0)
			break;
		rc = kdev_ranges(&kd, &r, &nr);
		kdev_close(&kd);
		if (rc < 0)
			break;
		if (nr) {
			nv = reallocarray(out, cnt + nr, sizeof(*nv));
			if (!nv) {
				free(r);
				rc = -ENOMEM;
				break;
			}
			out = nv;
			memcpy(out + cnt, r, nr * sizeof(*r));
			cnt += nr;
		}
		free(r);
	}
	free(ids);
	if (rc < 0) {
		free(out);
		return rc;
	}
	if (cnt > 1)
		qsort(out, cnt, sizeof(*out), cmp_range);
	*v = out;
	*n = cnt;
	return 0;
}

int kdev_bounds(struct kdev *kd, struct dax_range *bounds)
{
	uint64_t size, start, rsize;

	if (dax_region_get_size(kd->region, &rsize) < 0 || rsize == 0)
		return -ENOENT;
	if (kdev_read_u64(kd, "size", &size) == 0 && size == 0 &&
	    sysfs_read_hex(kd->ctx, kd->fd, kd->path, "resource", true,
			   &start) == 0 &&
	    start != 0) {
		bounds->start = start;
		bounds->end = start + rsize - 1;
		return 0;
	}
	return space_bounds(kd->region, bounds);
}

int space_check(struct dax_ctx *ctx, const struct dax_range *r, uint64_t gran,
		const struct dax_range *bounds, const struct dax_range *used,
		size_t nused)
{
	size_t i;

	if (r->end < r->start || r->end == UINT64_MAX) {
		dax_err(ctx,
			"range %#" PRIx64 "-%#" PRIx64 ": end before "
			"start\n",
			r->start, r->end);
		return -EINVAL;
	}
	if (r->start % gran || (r->end - r->start + 1) % gran) {
		dax_err(ctx,
			"range %#" PRIx64 "-%#" PRIx64 ": start and "
			"length must be multiples of %#" PRIx64 "\n",
			r->start, r->end, gran);
		return -EINVAL;
	}
	if (bounds && (r->start < bounds->start || r->end > bounds->end)) {
		dax_err(ctx,
			"range %#" PRIx64 "-%#" PRIx64 ": outside the "
			"region (%#" PRIx64 "-%#" PRIx64 ")\n",
			r->start, r->end, bounds->start, bounds->end);
		return -EINVAL;
	}
	for (i = 0; i < nused; i++) {
		if (r->start <= used[i].end && used[i].start <= r->end) {
			dax_err(ctx,
				"range %#" PRIx64 "-%#" PRIx64 ": overlaps "
				"allocated %#" PRIx64 "-%#" PRIx64 "\n",
				r->start, r->end, used[i].start, used[i].end);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Take what fits of [@s, @e] (inclusive) in @gran-aligned bytes. */
static int take(uint64_t s, uint64_t e, uint64_t gran, uint64_t *left,
		struct dax_range **v, size_t *n)
{
	uint64_t a = (s + gran - 1) / gran * gran, b, len;
	struct dax_range *nv;

	if (e == UINT64_MAX || a < s || a > e)
		return 0;
	b = (e + 1) / gran * gran; /* exclusive */
	if (b <= a)
		return 0;
	len = b - a < *left ? b - a : *left;
	nv = reallocarray(*v, *n + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n].start = a;
	nv[*n].end = a + len - 1;
	(*n)++;
	*left -= len;
	return 0;
}

int space_place(const struct dax_range *bounds, const struct dax_range *used,
		size_t nused, uint64_t gran, uint64_t size,
		struct dax_range **v, size_t *n)
{
	uint64_t cur = bounds->start, left = size;
	size_t i;
	int rc = 0;

	*v = NULL;
	*n = 0;
	for (i = 0; i <= nused && left && rc == 0; i++) {
		uint64_t gap_end = i < nused ? used[i].start : bounds->end + 1;

		if (gap_end > bounds->end + 1)
			gap_end = bounds->end + 1;
		if (gap_end > cur)
			rc = take(cur, gap_end - 1, gran, &left, v, n);
		if (i < nused && used[i].end + 1 > cur)
			cur = used[i].end + 1;
	}
	if (rc == 0 && left)
		rc = -ENOSPC;
	if (rc < 0) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return rc;
}
