// SPDX-License-Identifier: LGPL-2.1-or-later
/* Changing a disabled device: size, align, an explicit range. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

static bool ranges_aligned(const struct dax_range *v, size_t n, uint64_t gran)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].start % gran || (v[i].end - v[i].start + 1) % gran)
			return false;
	return true;
}

int grow_dev(struct kdev *kd, uint64_t cur, uint64_t size, uint64_t gran)
{
	struct dax_range bounds, *v = NULL, *used = NULL, *place = NULL;
	size_t n, nused, nplace, i;
	/* The kernel's own unit: its first fit keeps starts aligned to it. */
	uint64_t unit = space_gran(kd->ctx, 0);
	int rc;

	if (size <= cur)
		return kdev_resize(kd, cur, size);
	/* Bounds first: the device may have no size yet, which tells them. */
	if (gran > unit && kdev_bounds(kd, &bounds) < 0)
		bounds.start = bounds.end = 0;
	rc = kdev_resize(kd, cur, size);
	if (rc < 0 || gran <= unit)
		return rc;
	rc = kdev_ranges(kd, &v, &n);
	if (rc == 0 && ranges_aligned(v, n, gran)) {
		free(v);
		return 0;
	}
	free(v);
	dax_dbg(kd->ctx,
		"%s: first fit is not %#" PRIx64 "-aligned; placing "
		"the ranges\n",
		kd->name, gran);
	rc = kdev_set_size(kd, cur);
	if (rc < 0)
		return rc;
	if (bounds.end == 0) {
		dax_err(kd->ctx,
			"%s: no %#" PRIx64 "-aligned free space found "
			"(region bounds unknown)\n",
			kd->name, gran);
		return -ENOSPC;
	}
	rc = space_used(kd->region, &used, &nused);
	if (rc == 0)
		rc = space_place(&bounds, used, nused, gran, size - cur, &place,
				 &nplace);
	free(used);
	if (rc == -ENOSPC)
		dax_err(kd->ctx,
			"%s: not enough %#" PRIx64 "-aligned free "
			"space\n",
			kd->name, gran);
	for (i = 0; rc == 0 && i < nplace; i++)
		rc = kdev_claim(kd, &place[i]);
	free(place);
	if (rc < 0 && kdev_set_size(kd, cur) < 0)
		dax_err(kd->ctx, "%s: could not restore size %" PRIu64 "\n",
			kd->name, cur);
	return rc;
}

/*
 * Common start of the calls on one unbound device: lock, refresh, check.
 * On success the lock is held and @kd open.
 */
static int begin(struct dax_dev **devp, struct kdev *kd)
{
	struct dax_dev *dev = *devp;
	struct dax_region *region = dax_dev_get_region(dev);
	char *drv = NULL;
	int rc, id = dax_dev_get_id(dev);

	kd->fd = -1;
	kd->path = NULL;
	if (dax_dev_is_gone(dev))
		return -ENODEV;
	if (!dax_region_is_dynamic(region) || region_is_class_model(region))
		return -EOPNOTSUPP;
	rc = region_lock_fresh(region);
	if (rc < 0)
		return rc;
	*devp = region_find_dev(region, id);
	if (!*devp)
		rc = errno == ENOMEM ? -ENOMEM : -ENODEV;
	if (rc == 0)
		rc = kdev_open(kd, region, id);
	if (rc == 0)
		rc = kdev_driver(kd, &drv);
	if (rc == 0 && drv) {
		dax_err(kd->ctx, "%s: enabled (%s); disable it first\n",
			kd->name, drv);
		rc = -EBUSY;
	}
	free(drv);
	if (rc < 0) {
		kdev_close(kd);
		dax_region_unlock(region);
	}
	return rc;
}

static int end(struct dax_region *region, struct kdev *kd, int rc)
{
	int src;

	kdev_close(kd);
	src = scan_region(region);
	dax_region_unlock(region);
	return rc < 0 ? rc : src;
}

DAX_EXPORT int dax_dev_set_size(struct dax_dev *dev, uint64_t size)
{
	struct dax_region *region;
	uint64_t align, cur, avail;
	struct kdev kd;
	int rc;

	if (!dev)
		return -EINVAL;
	region = dax_dev_get_region(dev);
	rc = begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = kdev_read_u64(&kd, "align", &align);
	if (rc == 0)
		rc = kdev_read_u64(&kd, "size", &cur);
	if (rc == 0 && size % space_gran(kd.ctx, align)) {
		dax_err(kd.ctx,
			"%s: size %" PRIu64 " is not a multiple of %" PRIu64
			"\n",
			kd.name, size, space_gran(kd.ctx, align));
		rc = -EINVAL;
	}
	if (rc == 0 && size > cur) {
		rc = dax_region_get_available_size(region, &avail);
		if (rc == 0 && size - cur > avail) {
			dax_err(kd.ctx,
				"%s: growing by %" PRIu64 " needs more "
				"than the %" PRIu64 " bytes available\n",
				kd.name, size - cur, avail);
			rc = -ENOSPC;
		}
	}
	if (rc == 0 && size != cur)
		rc = grow_dev(&kd, cur, size, space_gran(kd.ctx, align));
	return end(region, &kd, rc);
}

DAX_EXPORT int dax_dev_set_align(struct dax_dev *dev, uint64_t align)
{
	struct dax_region *region;
	struct dax_range *v = NULL;
	struct kdev kd;
	size_t n, i;
	int rc;

	if (!dev)
		return -EINVAL;
	if (dax_dev_is_gone(dev))
		return -ENODEV;
	if (!space_align_valid(dax_dev_get_ctx(dev), align)) {
		platform_log_aligns(dax_dev_get_ctx(dev), align);
		return -EINVAL;
	}
	region = dax_dev_get_region(dev);
	rc = begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = kdev_ranges(&kd, &v, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		/* The kernel checks lengths only; a start matters as much. */
		if (!ranges_aligned(&v[i], 1, space_gran(kd.ctx, align))) {
			dax_err(kd.ctx,
				"%s: range %#" PRIx64 "-%#" PRIx64
				" is not %#" PRIx64 "-aligned\n",
				kd.name, v[i].start, v[i].end,
				space_gran(kd.ctx, align));
			rc = -EINVAL;
		}
	}
	free(v);
	if (rc == 0)
		rc = kdev_set_align(&kd, align);
	return end(region, &kd, rc);
}

DAX_EXPORT int dax_dev_add_range(struct dax_dev *dev,
				 const struct dax_range *range)
{
	struct dax_range bounds, *used = NULL;
	struct dax_region *region;
	uint64_t align;
	struct kdev kd;
	size_t nused;
	int rc;

	if (!dev || !range)
		return -EINVAL;
	region = dax_dev_get_region(dev);
	rc = begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = kdev_read_u64(&kd, "align", &align);
	if (rc == 0)
		rc = space_used(region, &used, &nused);
	if (rc == 0)
		rc = space_check(kd.ctx, range, space_gran(kd.ctx, align),
				 kdev_bounds(&kd, &bounds) == 0 ? &bounds
								: NULL,
				 used, nused);
	free(used);
	if (rc == 0)
		rc = kdev_claim(&kd, range);
	return end(region, &kd, rc);
}
