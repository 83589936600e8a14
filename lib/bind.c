// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Binding: enable (bind a driver) and disable (unbind), so that no other
 * device changes state.
 *
 * - "bind" first. It probes only the named device and returns the probe's
 *   errno. It answers ENODEV when the driver does not match the device:
 *   kmem on 6.1 (it matches only names on its id list), device_dax on
 *   6.3+ for regions typed for kmem (hmem without region_idle, CXL RAM).
 * - "new_id" only after ENODEV. It adds the name to the driver's id list
 *   and then probes every unbound device the driver matches: on 6.1 a
 *   device_dax new_id would re-enable every disabled device with a size,
 *   and on 6.3+ it still reaches the unbound devices of regions of the
 *   driver's type. So the unbound, sized devices on the bus are noted
 *   first and any that new_id bound is unbound again. new_id also hides
 *   the probe's errno: when the device did not bind, "bind" (which now
 *   matches) is written to learn it. The name is taken off the id list
 *   right after ("remove_id"), so no later probe of any kind binds it.
 * - A new device is matched while it has no size (bind_prepare()): "bind"
 *   of a zero-size device fails in the bus before any driver code runs
 *   (ENXIO: it matches; ENODEV: it needs new_id), so the one real probe
 *   happens later, through "bind", with its errno.
 * - 6.1 defect: a device_dax probe that fails after it stored its page
 *   map leaves the device unable to probe again (EINVAL forever). Only a
 *   device that the caller did not name, a leftover that a create call
 *   reuses, is deleted and re-created with the same align and ranges
 *   (bind_created()); the kernel may give the new one another name. A
 *   device the caller named keeps its name: enabling it fails with the
 *   kernel's EINVAL and a message that says to destroy and create it.
 *   daxR.0 cannot be deleted: it needs a region reset.
 * - A device whose ranges start or end off its align (made by another
 *   tool: the kernel checks lengths only) would make device_dax map
 *   memory outside it; enabling it in device_dax is refused unless
 *   forced (bind_check_aligned()). Devices a create call makes are
 *   placed aligned, so bind_dev() itself does not check.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

/* Put @kd on @drv's id list ("new_id"), keeping everyone else as is. */
static int add_id(struct kdev *kd, const char *drv)
{
	struct region_set set = {NULL, 0};
	struct bystander *v;
	size_t n, i;
	int rc;

	/*
	 * Before 6.3 kmem matches the names on its id list only: its new_id
	 * binds no other device. Listing bystanders would make the restore
	 * below unbind a device that another libdax user bound meanwhile,
	 * under its own region's lock, not ours.
	 */
	if (strcmp(drv, "kmem") == 0 && !region_typed(kd->region))
		return kdriver_write(kd->ctx, drv, "new_id", kd->name);
	rc = bystanders_list(kd->ctx, kd->name, &v, &n);
	if (rc < 0)
		return rc;
	/*
	 * kmem would hot-plug (and on 6.3+ usually online) the memory of
	 * every unbound device of a kmem-typed region: a region typed like
	 * ours is not, others may be. That cannot be undone safely: refuse.
	 */
	if (strcmp(drv, "kmem") == 0 && region_typed(kd->region)) {
		for (i = 0; i < n; i++) {
			if (v[i].region == dax_region_get_id(kd->region))
				continue;
			dax_err(kd->ctx,
				"%s: enabling kmem through new_id "
				"would also hot-plug %s (unbound, with a "
				"size); destroy or enable it first\n",
				kd->name, v[i].name);
			rc = -EBUSY;
		}
		if (rc < 0) {
			free(v);
			return rc;
		}
	}
	/*
	 * device_dax's new_id may bind other regions' devices, which are
	 * then unbound again: touched only under their regions' locks. A
	 * kmem new_id here has bystanders of its own region only (others
	 * were refused above), under our lock.
	 */
	if (strcmp(drv, "device_dax") == 0 && n > 0) {
		rc = bystanders_lock(kd->ctx, kd->name,
				     dax_region_get_id(kd->region), &v, &n,
				     &set);
		if (rc < 0)
			return rc;
	}
	rc = kdriver_write(kd->ctx, drv, "new_id", kd->name);
	bystanders_restore(kd->ctx, drv, v, n);
	bystanders_unlock(&set);
	free(v);
	return rc;
}

void bind_remove_id(struct kdev *kd, enum dax_driver driver)
{
	const char *drv = dax_driver_name(driver);
	int rc;

	if (!drv)
		return;
	rc = kdriver_write(kd->ctx, drv, "remove_id", kd->name);
	if (rc < 0 && rc != -ENOENT)
		dax_warn(kd->ctx, "%s: %s/remove_id: %s\n", kd->name, drv,
			 strerror(-rc));
}

/* Is @kd bound to @drv now? */
static int bound_to(struct kdev *kd, const char *drv, bool *yes)
{
	char *now;
	int rc = kdev_driver(kd, &now);

	if (rc < 0)
		return rc;
	*yes = now && strcmp(now, drv) == 0;
	free(now);
	return 0;
}

int bind_prepare(struct kdev *kd, enum dax_driver driver, bool *added)
{
	const char *drv = dax_driver_name(driver);
	bool yes;
	int rc;

	*added = false;
	if (!drv)
		return -EINVAL;
	rc = kmod_need_driver(kd, driver);
	if (rc < 0)
		return rc;
	/* Before 6.3 the bus matches device_dax to every device. */
	if (driver == DAX_DRIVER_DEVICE_DAX && !region_typed(kd->region))
		return 0;
	rc = kdriver_write(kd->ctx, drv, "bind", kd->name);
	if (rc == -ENXIO)
		return 0; /* matched; the bus refuses a zero-size device */
	if (rc == -ENODEV && driver == DAX_DRIVER_DEVICE_DAX)
		typed_drivers_seen(kd->ctx);
	if (rc == 0) {
		/* Not with size 0; but if it did bind, let it go again. */
		dax_warn(kd->ctx, "%s: bound with size 0?\n", kd->name);
		if (bound_to(kd, drv, &yes) == 0 && yes)
			rc = kdriver_write(kd->ctx, drv, "unbind", kd->name);
		return rc;
	}
	if (rc != -ENODEV)
		return rc;
	rc = add_id(kd, drv);
	if (rc == 0)
		*added = true;
	else
		bind_remove_id(kd, driver);
	return rc;
}

/* "bind", and the link checked. */
static int bind_write(struct kdev *kd, const char *drv)
{
	int rc = kdriver_write(kd->ctx, drv, "bind", kd->name), lrc;
	bool yes;

	lrc = bound_to(kd, drv, &yes);
	if (lrc < 0)
		return rc < 0 ? rc : lrc;
	if (rc == 0 && !yes) {
		dax_err(kd->ctx, "%s: bind succeeded but %s is not bound\n",
			kd->name, drv);
		return -EIO;
	}
	return yes ? 0 : rc;
}

/* Bind through the id list: new_id, and bind for the errno if needed. */
static int bind_new_id(struct kdev *kd, enum dax_driver driver)
{
	const char *drv = dax_driver_name(driver);
	bool yes = false;
	int rc;

	rc = add_id(kd, drv);
	if (rc == 0)
		rc = bound_to(kd, drv, &yes);
	if (rc == 0 && !yes)
		rc = bind_write(kd, drv);
	bind_remove_id(kd, driver);
	return rc;
}

/*
 * Delete the poisoned @kd and make a device with its align and ranges;
 * *@kd becomes the new device. Return: the new device's bind result, or
 * @err when it could not be re-made.
 */
static int recreate(struct kdev *kd, enum dax_driver driver, int err)
{
	struct dax_region *region = kd->region;
	struct dax_ctx *ctx = kd->ctx;
	struct dax_range *v = NULL;
	struct kdev nk = {.fd = -1};
	uint64_t align;
	size_t n, i;
	bool added = false;
	int rc, nid;

	dax_info(ctx,
		 "%s: cannot probe again after a failed probe; "
		 "re-creating it\n",
		 kd->name);
	rc = kdev_ranges(kd, &v, &n);
	if (rc == 0)
		rc = kdev_read_u64(kd, "align", &align);
	if (rc == 0)
		rc = kdev_set_size(kd, 0);
	if (rc < 0) {
		free(v);
		return err;
	}
	rc = kregion_delete(kd);
	if (rc < 0) {
		dax_err(ctx, "%s: delete: %s; restoring its ranges\n", kd->name,
			strerror(-rc));
		for (i = 0; i < n; i++)
			if (kdev_claim(kd, &v[i]) < 0)
				dax_err(ctx, "%s: could not restore a range\n",
					kd->name);
		free(v);
		return err;
	}
	rc = kregion_create(region, NULL, 0, false, &nid, NULL, NULL);
	if (rc == 0) {
		rc = kdev_open(&nk, region, nid);
		if (rc < 0)
			(void)!kregion_delete_id(region, nid);
	}
	if (rc < 0) {
		dax_err(ctx,
			"%s: deleted, but no device could be made to "
			"replace it (%s); its ranges are free\n",
			kd->name, strerror(-rc));
		free(v);
		return err;
	}
	rc = bind_prepare(&nk, driver, &added);
	if (rc == 0 && align != 0)
		rc = kdev_set_align(&nk, align);
	for (i = 0; rc == 0 && i < n; i++)
		rc = kdev_claim(&nk, &v[i]);
	free(v);
	if (rc < 0) {
		dax_err(ctx,
			"%s: re-created as %s, but setting it up failed: "
			"%s\n",
			kd->name, nk.name, strerror(-rc));
		rc = err;
	} else {
		rc = bind_write(&nk, dax_driver_name(driver));
	}
	if (added)
		bind_remove_id(&nk, driver);
	kdev_close(kd);
	*kd = nk;
	return rc;
}

/* The bind itself: "bind", or "new_id" where "bind" does not match. */
static int bind_once(struct kdev *kd, enum dax_driver driver)
{
	const char *drv = dax_driver_name(driver);
	bool yes;
	int rc;

	if (!drv)
		return -EINVAL;
	rc = bind_write(kd, drv);
	if (rc == -ENOENT) {
		/* No "bind" attribute: the driver directory is missing. */
		rc = kmod_need_driver(kd, driver);
		if (rc < 0)
			return rc;
		/* On 6.1 loading device_dax may have bound @kd already. */
		rc = bound_to(kd, drv, &yes);
		if (rc == 0 && !yes)
			rc = bind_write(kd, drv);
	}
	if (rc == -ENODEV && driver == DAX_DRIVER_DEVICE_DAX)
		typed_drivers_seen(kd->ctx);
	if (rc == -ENODEV)
		rc = bind_new_id(kd, driver);
	return rc;
}

/* A device_dax EINVAL that an earlier failed probe may explain. */
static bool maybe_poisoned(struct kdev *kd, enum dax_driver driver, int rc)
{
	return rc == -EINVAL && driver == DAX_DRIVER_DEVICE_DAX &&
	       dax_region_is_dynamic(kd->region);
}

int bind_dev(struct kdev *kd, enum dax_driver driver, bool fresh, int *renamed)
{
	int rc = bind_once(kd, driver);

	*renamed = -1;
	if (!fresh && maybe_poisoned(kd, driver, rc))
		dax_err(kd->ctx,
			"%s: device_dax refuses it (%s). If a probe of it "
			"failed before, the kernel will not probe it again "
			"(a 6.1 defect): destroy it and create a new one%s\n",
			kd->name, strerror(-rc),
			kd->id == 0 ? " (daxR.0: reset the region)" : "");
	if (rc < 0)
		dax_dbg(kd->ctx, "%s: bind %s: %s\n", kd->name,
			dax_driver_name(driver), strerror(-rc));
	return rc;
}

int bind_created(struct kdev *kd, enum dax_driver driver, bool fresh,
		 int *renamed)
{
	int rc = bind_once(kd, driver), old_id = kd->id;

	*renamed = -1;
	/* A never-probed device cannot carry the defect: its EINVAL is real. */
	if (!fresh && kd->id != 0 && maybe_poisoned(kd, driver, rc)) {
		rc = recreate(kd, driver, rc);
		if (kd->id != old_id)
			*renamed = kd->id;
	}
	if (rc < 0)
		dax_dbg(kd->ctx, "%s: bind %s: %s\n", kd->name,
			dax_driver_name(driver), strerror(-rc));
	return rc;
}

int unbind_dev(struct kdev *kd)
{
	static const char *const ids[] = {"device_dax", "kmem"};
	unsigned int online;
	char *drv = NULL;
	size_t i;
	int rc;

	rc = kdev_driver(kd, &drv);
	if (rc < 0)
		return rc;
	/*
	 * Read live, right before the unbind: on 6.1 kmem's remove with a
	 * block online leaves the range hot-plugged until reboot.
	 */
	if (drv && strcmp(drv, "kmem") == 0) {
		rc = memory_kdev_online(kd, &online);
		if (rc < 0)
			dax_err(kd->ctx, "%s: memory blocks: %s\n", kd->name,
				strerror(-rc));
		else if (online > 0) {
			dax_err(kd->ctx,
				"%s: %u memory blocks online; "
				"offline them first\n",
				kd->name, online);
			rc = -EBUSY;
		}
		if (rc < 0) {
			free(drv);
			return rc;
		}
	}
	/* Names on an id list would bind again at the next probe. */
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		rc = kdriver_write(kd->ctx, ids[i], "remove_id", kd->name);
		if (rc < 0 && rc != -ENOENT)
			dax_warn(kd->ctx, "%s: %s/remove_id: %s\n", kd->name,
				 ids[i], strerror(-rc));
	}
	rc = 0;
	if (drv) {
		if (strcmp(drv, "device_dax") != 0 && strcmp(drv, "kmem") != 0)
			(void)!kdriver_write(kd->ctx, drv, "remove_id",
					     kd->name);
		rc = kdriver_write(kd->ctx, drv, "unbind", kd->name);
		free(drv);
		drv = NULL;
		if (kdev_driver(kd, &drv) == 0 && drv) {
			dax_err(kd->ctx, "%s: still bound to %s\n", kd->name,
				drv);
			if (rc == 0)
				rc = -EBUSY;
		} else if (!drv) {
			rc = 0;
		}
	}
	free(drv);
	return rc;
}

int bind_check_aligned(struct kdev *kd, bool force)
{
	struct dax_range *v = NULL;
	uint64_t align;
	size_t n, i;
	int rc;

	rc = sysfs_read_u64(kd->ctx, kd->fd, kd->path, "align", &align);
	if (rc == -ENOENT)
		return 0; /* before 5.10: one range, placed by the kernel */
	if (rc == 0)
		rc = kdev_ranges(kd, &v, &n);
	if (rc < 0) {
		dax_err(kd->ctx, "%s: align or ranges: %s\n", kd->name,
			strerror(-rc));
		return rc;
	}
	for (i = 0; i < n; i++) {
		if (!range_misaligned(v[i].start, v[i].end, align))
			continue;
		if (force) {
			dax_warn(kd->ctx,
				 "%s: range %#" PRIx64 "-%#" PRIx64
				 " is not aligned to its align %#" PRIx64
				 ": enabling it anyway (forced)\n",
				 kd->name, v[i].start, v[i].end, align);
			break;
		}
		dax_err(kd->ctx,
			"%s: range %#" PRIx64 "-%#" PRIx64 " is not aligned to "
			"its align %#" PRIx64 ": device_dax would map memory "
			"outside the device (another device's, or System "
			"RAM). Destroy it and create it again with daxctl, or "
			"force\n",
			kd->name, v[i].start, v[i].end, align);
		rc = -EINVAL;
		break;
	}
	free(v);
	return rc;
}

int change_begin(struct dax_dev **devp, struct kdev *kd)
{
	struct dax_region *region;
	int rc, id;

	if (!*devp)
		return -EINVAL;
	if (dax_dev_is_gone(*devp))
		return -ENODEV;
	region = dax_dev_get_region(*devp);
	if (region_is_class_model(region))
		return -EOPNOTSUPP;
	id = dax_dev_get_id(*devp);
	/* Locked, the region re-read: look @id up again. */
	rc = region_lock_fresh(region);
	if (rc < 0)
		return rc;
	*devp = region_find_dev(region, id);
	if (!*devp)
		rc = errno == ENOMEM ? -ENOMEM : -ENODEV;
	else
		rc = kdev_open(kd, region, id);
	if (rc < 0) {
		kdev_close(kd);
		dax_region_unlock(region);
	}
	return rc;
}

int change_end(struct dax_region *region, struct kdev *kd, int rc)
{
	int src;

	kdev_close(kd);
	src = scan_region(region);
	dax_region_unlock(region);
	return rc < 0 ? rc : src;
}

DAX_EXPORT int dax_dev_enable_flags(struct dax_dev *dev, enum dax_driver driver,
				    unsigned int flags)
{
	struct dax_region *region = dev ? dax_dev_get_region(dev) : NULL;
	struct kdev kd = {.fd = -1};
	char *now = NULL;
	uint64_t size;
	int rc, renamed = -1;

	if (!dax_driver_name(driver) || (flags & ~DAX_MODE_MISALIGNED))
		return -EINVAL;
	rc = change_begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = kdev_driver(&kd, &now);
	if (rc == 0 && now) {
		rc = strcmp(now, dax_driver_name(driver)) == 0 ? 0 : -EBUSY;
		if (rc < 0)
			dax_err(kd.ctx, "%s: bound to %s\n", kd.name, now);
		goto out;
	}
	if (rc == 0)
		rc = kdev_read_u64(&kd, "size", &size);
	if (rc == 0 && size == 0) {
		dax_err(kd.ctx, "%s: has no size\n", kd.name);
		rc = -ENXIO;
	}
	if (rc == 0 && driver == DAX_DRIVER_DEVICE_DAX)
		rc = bind_check_aligned(&kd, flags & DAX_MODE_MISALIGNED);
	/*
	 * When the device was re-created under another name, the re-read of
	 * change_end() marks @dev gone and finds the new name.
	 */
	if (rc == 0)
		rc = bind_dev(&kd, driver, false, &renamed);
out:
	free(now);
	return change_end(region, &kd, rc);
}

DAX_EXPORT int dax_dev_enable(struct dax_dev *dev, enum dax_driver driver)
{
	return dax_dev_enable_flags(dev, driver, 0);
}

DAX_EXPORT int dax_dev_disable(struct dax_dev *dev)
{
	struct dax_region *region = dev ? dax_dev_get_region(dev) : NULL;
	struct kdev kd = {.fd = -1};
	int rc;

	rc = change_begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = unbind_dev(&kd);
	return change_end(region, &kd, rc);
}
