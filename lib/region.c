// SPDX-License-Identifier: LGPL-2.1-or-later
/* Regions: the dax_region/ group of the device that hosts dax devices. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

struct dax_region {
	struct dax_ctx *ctx;
	char *path; /* host directory below the root, "/sys/devices/..." */
	char *attr_dir; /* path + "/dax_region", for opening and logging */
	int id;
	size_t idx; /* position in the context's sorted array */
	bool class_model;
	bool dynamic;

	uint64_t size, align, available;
	int size_err, align_err, available_err;
	/* Read on first use, then cached until the next region_read(). */
	bool dynamic_read, seed_read;
	char *seed;
	int seed_err;

	struct dax_dev **devs; /* sorted by instance id */
	size_t ndevs;

	struct region_lock *lock; /* NULL until first locked */
};

struct dax_region *region_new(struct dax_ctx *ctx, char *path, int id,
			      bool class_model)
{
	struct dax_region *region = calloc(1, sizeof(*region));

	if (!region)
		return NULL;
	if (asprintf(&region->attr_dir, "%s/dax_region", path) < 0) {
		free(region);
		return NULL;
	}
	region->ctx = ctx;
	region->path = path;
	region->id = id;
	region->class_model = class_model;
	return region;
}

void region_free(struct dax_region *region)
{
	size_t i;

	if (!region)
		return;
	for (i = 0; i < region->ndevs; i++)
		dev_free(region->devs[i]);
	free(region->devs);
	region_lock_free(region->lock);
	free(region->seed);
	free(region->attr_dir);
	free(region->path);
	free(region);
}

int region_read(struct dax_region *region)
{
	struct dax_ctx *ctx = region->ctx;
	const char *dir = region->attr_dir;
	int fd, id, rc;

	free(region->seed);
	region->seed = NULL;
	region->seed_read = region->dynamic_read = false;

	fd = sysfs_open_dir(ctx, dir, O_PATH);
	if (fd < 0) {
		/* No dax_region group: every attribute reads as missing. */
		dax_dbg(ctx, "%s: %s\n", dir, strerror(-fd));
		region->size_err = region->align_err = fd;
		region->available_err = region->seed_err = fd;
		region->dynamic = false;
		region->seed_read = region->dynamic_read = true;
		return fd == -ENOMEM ? fd : 0;
	}

	/* The name "daxR.N" already gave the id; the attribute must agree. */
	rc = sysfs_read_int(ctx, fd, dir, "id", false, &id);
	if (rc == 0 && id != region->id)
		dax_warn(ctx, "%s/id: %d, but its devices are named dax%d.N\n",
			 dir, id, region->id);

	region->size_err = sysfs_read_u64(ctx, fd, dir, "size", &region->size);
	region->align_err =
		sysfs_read_u64(ctx, fd, dir, "align", &region->align);
	region->available_err = sysfs_read_u64(ctx, fd, dir, "available_size",
					       &region->available);
	close(fd);
	return 0;
}

bool region_is_class_model(const struct dax_region *region)
{
	return region->class_model;
}

void region_set_index(struct dax_region *region, size_t idx)
{
	region->idx = idx;
}

size_t region_get_index(const struct dax_region *region)
{
	return region->idx;
}

struct dax_dev **region_devs(struct dax_region *region, size_t *n)
{
	*n = region->ndevs;
	return region->devs;
}

void region_set_devs(struct dax_region *region, struct dax_dev **devs, size_t n)
{
	size_t i;

	if (region->devs != devs)
		free(region->devs);
	region->devs = devs;
	region->ndevs = n;
	for (i = 0; i < n; i++)
		dev_set_index(devs[i], i);
}

struct region_lock **region_lock_slot(struct dax_region *region)
{
	return &region->lock;
}

const char *region_attr_dir(const struct dax_region *region)
{
	return region->attr_dir;
}

static int cmp_dev_id(const void *a, const void *b)
{
	int x = dax_dev_get_id(*(struct dax_dev *const *)a);
	int y = dax_dev_get_id(*(struct dax_dev *const *)b);

	return (x > y) - (x < y);
}

void region_sort_devs(struct dax_region *region)
{
	size_t i;

	if (region->ndevs > 1)
		qsort(region->devs, region->ndevs, sizeof(*region->devs),
		      cmp_dev_id);
	for (i = 0; i < region->ndevs; i++)
		dev_set_index(region->devs[i], i);
}

void region_drop_dev(struct dax_region *region, struct dax_dev *dev)
{
	size_t i, j;

	for (i = 0, j = 0; i < region->ndevs; i++)
		if (region->devs[i] != dev)
			region->devs[j++] = region->devs[i];
	region->ndevs = j;
	for (i = 0; i < region->ndevs; i++)
		dev_set_index(region->devs[i], i);
	dev_free(dev);
}

struct dax_dev *region_find_dev(struct dax_region *region, int id)
{
	size_t lo = 0, hi = region->ndevs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int mid_id = dax_dev_get_id(region->devs[mid]);

		if (mid_id == id)
			return region->devs[mid];
		if (mid_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

DAX_EXPORT struct dax_region *dax_region_get_first(struct dax_ctx *ctx)
{
	size_t n;
	struct dax_region **regions;
	int rc = ctx_ensure_scanned(ctx);

	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	regions = ctx_regions(ctx, &n);
	errno = 0;
	return n ? regions[0] : NULL;
}

DAX_EXPORT struct dax_region *dax_region_get_next(struct dax_region *region)
{
	size_t n;
	struct dax_region **regions = ctx_regions(region->ctx, &n);

	errno = 0;
	return region->idx + 1 < n ? regions[region->idx + 1] : NULL;
}

DAX_EXPORT struct dax_region *dax_region_find(struct dax_ctx *ctx, int id)
{
	struct dax_region *region;

	dax_region_foreach (ctx, region) {
		if (region->id == id)
			return region;
	}
	if (errno == 0)
		errno = ENOENT;
	return NULL;
}

DAX_EXPORT struct dax_ctx *dax_region_get_ctx(const struct dax_region *region)
{
	return region->ctx;
}

DAX_EXPORT int dax_region_get_id(const struct dax_region *region)
{
	return region->id;
}

DAX_EXPORT const char *dax_region_get_path(const struct dax_region *region)
{
	return region->path;
}

DAX_EXPORT const char *dax_region_get_devname(const struct dax_region *region)
{
	return dax_path_basename(region->path);
}

static int cached_u64(int err, uint64_t value, uint64_t *out)
{
	if (err < 0)
		return err;
	*out = value;
	return 0;
}

DAX_EXPORT int dax_region_get_size(const struct dax_region *region,
				   uint64_t *size)
{
	return cached_u64(region->size_err, region->size, size);
}

DAX_EXPORT int dax_region_get_align(const struct dax_region *region,
				    uint64_t *align)
{
	return cached_u64(region->align_err, region->align, align);
}

DAX_EXPORT int dax_region_get_available_size(const struct dax_region *region,
					     uint64_t *size)
{
	return cached_u64(region->available_err, region->available, size);
}

DAX_EXPORT bool dax_region_is_dynamic(const struct dax_region *region)
{
	/* This region's own cache; regions are never const-defined. */
	struct dax_region *r = (struct dax_region *)region;

	if (!r->dynamic_read) {
		/* Static regions hide create (and available_size, seed). */
		r->dynamic = sysfs_exists(r->ctx, SYSFS_AT_DIR, r->attr_dir,
					  "create") == 0;
		r->dynamic_read = true;
	}
	return region->dynamic;
}

DAX_EXPORT struct dax_dev *dax_region_get_seed(struct dax_region *region)
{
	struct dax_dev *dev;
	int rid, id;

	if (!region->seed_read) {
		region->seed_err =
			sysfs_read_str(region->ctx, SYSFS_AT_DIR,
				       region->attr_dir, "seed", &region->seed);
		region->seed_read = region->seed_err != -ENOMEM;
	}
	if (region->seed_err < 0) {
		errno = -region->seed_err;
		return NULL;
	}
	if (region->seed[0] == '\0' ||
	    dax_parse_devname(region->seed, &rid, &id) < 0 ||
	    rid != region->id) {
		errno = ENOENT;
		return NULL;
	}
	dev = region_find_dev(region, id);
	if (!dev)
		errno = ENOENT;
	return dev;
}

DAX_EXPORT struct dax_dev *dax_dev_get_first(struct dax_region *region)
{
	errno = 0;
	return region->ndevs ? region->devs[0] : NULL;
}
