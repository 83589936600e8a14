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
	size_t idx; /* position in the context's sorted array, while live */
	bool class_model;
	bool gone; /* not on the bus at the last scan (see scan.c) */
	bool dynamic;

	uint64_t size, align, available;
	int size_err, align_err, available_err;
	/* Read on first use, then cached until the next region_read(). */
	bool size_read, align_read, available_read;
	bool dynamic_read, seed_read;
	bool id_checked;
	char *seed;
	int seed_err;

	struct dev_slot *slots; /* the live devices, sorted by instance id */
	size_t ndevs;
	/* Every device object ever made, live or gone, sorted by id. */
	struct dax_dev **objs;
	size_t nobjs, capobjs;

	struct region_lock *lock; /* NULL until first locked */

	int typed; /* region_typed_cache(): -1 unknown, 0, 1 */
	int *leftovers; /* create.c's candidates, see region_leftovers() */
	size_t nleftovers;
	bool leftovers_known;
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
	region->typed = -1;
	/* Live once a scan lists it. */
	region->gone = true;
	return region;
}

void region_free(struct dax_region *region)
{
	size_t i;

	if (!region)
		return;
	for (i = 0; i < region->nobjs; i++)
		dev_free(region->objs[i]);
	free(region->objs);
	free(region->slots);
	region_lock_free(region->lock);
	free(region->leftovers);
	free(region->seed);
	free(region->attr_dir);
	free(region->path);
	free(region);
}

int region_read(struct dax_region *region)
{
	struct dax_ctx *ctx = region->ctx;
	const char *dir = region->attr_dir;
	int id, rc;

	/*
	 * Every attribute is read again at its next use, but size and align:
	 * they are fixed for the region's life.
	 */
	free(region->seed);
	region->seed = NULL;
	region->seed_read = region->dynamic_read = false;
	region->available_read = false;

	/* The name "daxR.N" already gave the id; the attribute must agree. */
	if (!region->id_checked) {
		rc = sysfs_read_int(ctx, SYSFS_AT_DIR, dir, "id", false, &id);
		if (rc == 0 && id != region->id)
			dax_warn(ctx,
				 "%s/id: %d, but its devices are named "
				 "dax%d.N\n",
				 dir, id, region->id);
		region->id_checked = rc != -ENOMEM;
	}
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

void region_set_gone(struct dax_region *region, bool gone)
{
	region->gone = gone;
	if (!gone)
		return;
	/* Its devices went with it (a scan may have listed some meanwhile). */
	if (region->ndevs || region->slots)
		region_set_slots(region, NULL, 0);
	region_mark_devs(region);
	free(region->seed);
	region->seed = NULL;
	region->seed_read = false;
	/* What comes back under this name may be another kernel region. */
	region->size_read = region->align_read = false;
	region->dynamic_read = false;
	region->typed = -1;
	region_forget_leftovers(region);
}

int *region_typed_cache(struct dax_region *region)
{
	return &region->typed;
}

int region_sig_read(struct dax_region *region, struct region_sig *sig)
{
	static const char *const names[] = {"seed", "create"};
	char *const dst[] = {sig->seed, sig->young};
	char *str;
	int i, rc;

	memset(sig, 0, sizeof(*sig));
	rc = sysfs_read_u64(region->ctx, SYSFS_AT_DIR, region->attr_dir,
			    "available_size", &sig->avail);
	/* With no seed, a create would make one: the youngest adds nothing. */
	for (i = 0; rc == 0 && i < 2 && (i == 0 || sig->seed[0]); i++) {
		rc = sysfs_read_str(region->ctx, SYSFS_AT_DIR, region->attr_dir,
				    names[i], &str);
		if (rc < 0)
			break;
		/* Longer than any "daxR.N": not a name this can compare. */
		if (strlen(str) >= sizeof(sig->seed))
			rc = -EINVAL;
		else
			strcpy(dst[i], str);
		free(str);
	}
	return rc;
}

bool region_sig_equal(const struct region_sig *a, const struct region_sig *b)
{
	/* region_sig_read() leaves @young empty when @seed is. */
	return a->avail == b->avail && strcmp(a->seed, b->seed) == 0 &&
	       strcmp(a->young, b->young) == 0;
}

void region_sig_prime(struct dax_region *region, const struct region_sig *sig)
{
	char *seed = strdup(sig->seed);

	region->available = sig->avail;
	region->available_err = 0;
	region->available_read = true;
	/* Static regions hide available_size. */
	region->dynamic = true;
	region->dynamic_read = true;
	if (!seed)
		return;
	free(region->seed);
	region->seed = seed;
	region->seed_err = 0;
	region->seed_read = true;
}

bool region_leftovers(struct dax_region *region, const int **ids, size_t *n)
{
	*ids = region->leftovers;
	*n = region->nleftovers;
	return region->leftovers_known;
}

void region_set_leftovers(struct dax_region *region, const int *ids, size_t n)
{
	int *v = malloc((n ? n : 1) * sizeof(*v));

	region_forget_leftovers(region);
	if (!v)
		return;
	if (n)
		memcpy(v, ids, n * sizeof(*v));
	region->leftovers = v;
	region->nleftovers = n;
	region->leftovers_known = true;
}

void region_forget_leftovers(struct dax_region *region)
{
	free(region->leftovers);
	region->leftovers = NULL;
	region->nleftovers = 0;
	region->leftovers_known = false;
}

size_t region_ndevs(const struct dax_region *region)
{
	return region->ndevs;
}

const struct dev_slot *region_slots(const struct dax_region *region, size_t *n)
{
	*n = region->ndevs;
	return region->slots;
}

void region_set_slots(struct dax_region *region, struct dev_slot *slots,
		      size_t n)
{
	size_t i;

	if (region->slots != slots)
		free(region->slots);
	region->slots = slots;
	region->ndevs = n;
	for (i = 0; i < n; i++)
		if (slots[i].dev)
			dev_set_index(slots[i].dev, i);
}

/* Index of the first object with an id >= @id (nobjs if none). */
static size_t obj_lower_bound(const struct dax_region *region, int id)
{
	size_t lo = 0, hi = region->nobjs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dax_dev_get_id(region->objs[mid]) < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct dax_dev *region_obj(struct dax_region *region, int id)
{
	size_t i = obj_lower_bound(region, id);

	if (i < region->nobjs && dax_dev_get_id(region->objs[i]) == id)
		return region->objs[i];
	return NULL;
}

int region_adopt_dev(struct dax_region *region, struct dax_dev *dev)
{
	size_t at;

	if (region->nobjs == region->capobjs) {
		/* Room for every listed device at once: a walk makes them. */
		size_t ncap = region->capobjs ? region->capobjs * 2 : 16;
		struct dax_dev **v;

		if (ncap < region->ndevs)
			ncap = region->ndevs;
		v = reallocarray(region->objs, ncap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		region->objs = v;
		region->capobjs = ncap;
	}
	/* Objects are made in id order mostly: usually an append. */
	at = region->nobjs;
	if (at && dax_dev_get_id(region->objs[at - 1]) > dax_dev_get_id(dev))
		at = obj_lower_bound(region, dax_dev_get_id(dev));
	memmove(&region->objs[at + 1], &region->objs[at],
		(region->nobjs - at) * sizeof(*region->objs));
	region->objs[at] = dev;
	region->nobjs++;
	return 0;
}

void region_mark_devs(struct dax_region *region)
{
	size_t i, k = 0;

	/* Both arrays are sorted by id: one merge. */
	for (i = 0; i < region->nobjs; i++) {
		struct dax_dev *dev = region->objs[i];
		int id = dax_dev_get_id(dev);

		while (k < region->ndevs && region->slots[k].id < id)
			k++;
		dev_set_gone(dev,
			     !(k < region->ndevs && region->slots[k].id == id));
	}
}

struct dax_dev *region_dev_at(struct dax_region *region, size_t i)
{
	struct dev_slot *slot = &region->slots[i];

	/* Class-model slots always hold their object (see sync_devs()). */
	if (!slot->dev) {
		struct dax_dev *dev = dev_new_bus(region, slot->id);

		if (!dev)
			return NULL;
		if (region_adopt_dev(region, dev) < 0) {
			dev_free(dev);
			errno = ENOMEM;
			return NULL;
		}
		slot->dev = dev;
		dev_set_index(dev, i);
	}
	return slot->dev;
}

struct dax_dev *region_next_dev(struct dax_region *region, int id)
{
	size_t lo = 0, hi = region->ndevs;

	errno = region->gone ? ENODEV : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (region->slots[mid].id <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < region->ndevs ? region_dev_at(region, lo) : NULL;
}

struct region_lock **region_lock_slot(struct dax_region *region)
{
	return &region->lock;
}

const char *region_attr_dir(const struct dax_region *region)
{
	return region->attr_dir;
}

static int cmp_slot(const void *a, const void *b)
{
	int x = ((const struct dev_slot *)a)->id;
	int y = ((const struct dev_slot *)b)->id;

	return (x > y) - (x < y);
}

struct dax_dev *region_find_dev(struct dax_region *region, int id)
{
	struct dev_slot key = {.id = id}, *slot;

	slot = region->ndevs ? bsearch(&key, region->slots, region->ndevs,
				       sizeof(*region->slots), cmp_slot)
			     : NULL;
	if (!slot) {
		errno = ENOENT;
		return NULL;
	}
	return region_dev_at(region, (size_t)(slot - region->slots));
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
	size_t n, i;
	struct dax_region **regions;
	int rc = ctx_ensure_scanned(region->ctx);

	/* @region may come from dax_region_find() before the first scan. */
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	regions = ctx_regions(region->ctx, &n);
	errno = 0;
	if (!region->gone)
		return region->idx + 1 < n ? regions[region->idx + 1] : NULL;
	/* Gone: the first live region after it, in the list's order. */
	for (i = 0; i < n; i++)
		if (regions[i]->id > region->id ||
		    (regions[i]->id == region->id &&
		     strcmp(regions[i]->path, region->path) > 0))
			return regions[i];
	return NULL;
}

DAX_EXPORT struct dax_region *dax_region_find(struct dax_ctx *ctx, int id)
{
	struct dax_region **regions, *region;
	size_t n, i;
	int rc;

	/* Before the first scan: one region, without scanning the bus. */
	if (!ctx_is_scanned(ctx)) {
		regions = ctx_regions(ctx, &n);
		for (i = 0; i < n; i++)
			if (regions[i]->id == id)
				return regions[i];
		rc = scan_find_region(ctx, id, &region);
		if (rc == 0)
			return region;
		if (rc != -ENOENT) {
			errno = -rc;
			return NULL;
		}
	}
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

DAX_EXPORT bool dax_region_is_gone(const struct dax_region *region)
{
	return region->gone;
}

/*
 * @attr of the region, read on first use after a refresh. The getters are
 * const but fill this region's own cache: regions are heap-allocated, never
 * const-defined, so writing through the pointer is sound.
 */
static int lazy_u64(const struct dax_region *cregion, const char *attr,
		    bool *read, int *err, uint64_t *value, uint64_t *out)
{
	struct dax_region *region = (struct dax_region *)cregion;

	if (region->gone)
		return -ENODEV;
	if (!*read) {
		*err = sysfs_read_u64(region->ctx, SYSFS_AT_DIR,
				      region->attr_dir, attr, value);
		*read = *err != -ENOMEM;
	}
	if (*err < 0)
		return *err;
	*out = *value;
	return 0;
}

DAX_EXPORT int dax_region_get_size(const struct dax_region *region,
				   uint64_t *size)
{
	struct dax_region *r = (struct dax_region *)region;

	return lazy_u64(region, "size", &r->size_read, &r->size_err, &r->size,
			size);
}

DAX_EXPORT int dax_region_get_align(const struct dax_region *region,
				    uint64_t *align)
{
	struct dax_region *r = (struct dax_region *)region;

	return lazy_u64(region, "align", &r->align_read, &r->align_err,
			&r->align, align);
}

DAX_EXPORT int dax_region_get_available_size(const struct dax_region *region,
					     uint64_t *size)
{
	struct dax_region *r = (struct dax_region *)region;

	return lazy_u64(region, "available_size", &r->available_read,
			&r->available_err, &r->available, size);
}

DAX_EXPORT bool dax_region_is_dynamic(const struct dax_region *region)
{
	/* This region's own cache; regions are never const-defined. */
	struct dax_region *r = (struct dax_region *)region;

	if (r->gone)
		return false;
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

	if (region->gone) {
		errno = ENODEV;
		return NULL;
	}
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
	errno = region->gone ? ENODEV : 0;
	return region->ndevs ? region_dev_at(region, 0) : NULL;
}
