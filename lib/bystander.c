// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bystanders: the unbound devices with a size that a driver_attach() (what
 * a write to "new_id" runs) may bind besides the device it was written for,
 * noted before and restored after.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

/*
 * Unbound devices with a size, on the whole bus, except @self. The bus and
 * the drivers' directories are listed; only the devices no driver lists
 * are looked at (driver link and size).
 */
int bystanders_list(struct dax_ctx *ctx, const char *self, struct bystander **v,
		    size_t *n)
{
	static const char *const drivers[] = {"device_dax", "kmem"};
	struct dax_name *all = NULL, *bound[2] = {NULL, NULL};
	size_t nall = 0, nb[2] = {0, 0}, cnt = 0, i;
	struct bystander *out = NULL, *nv;
	int rc, rootfd = ctx_root_fd(ctx);

	*v = NULL;
	*n = 0;
	if (rootfd < 0)
		return rootfd;
	rc = sysfs_list_names(ctx, DAX_BUS_DIR, -1, DT_LNK, &all, &nall);
	for (i = 0; rc == 0 && i < 2; i++) {
		char path[sizeof(DAX_DRIVERS_DIR) + 16];

		snprintf(path, sizeof(path), DAX_DRIVERS_DIR "/%s", drivers[i]);
		rc = sysfs_list_names(ctx, path, -1, DT_LNK, &bound[i], &nb[i]);
		if (rc == -ENOENT)
			rc = 0; /* not loaded: drives nothing */
	}
	for (i = 0; rc == 0 && i < nall; i++) {
		char name[sizeof(out->name)], link[sizeof(DAX_BUS_DIR) + 48];
		uint64_t size;
		char *target;
		int lrc;

		if (sysfs_has_name(bound[0], nb[0], all[i].rid, all[i].id) ||
		    sysfs_has_name(bound[1], nb[1], all[i].rid, all[i].id))
			continue;
		/* A parsed "daxR.N" (two ints) always fits the name. */
		snprintf(name, sizeof(name), "dax%d.%d", all[i].rid, all[i].id);
		if (strcmp(name, self) == 0)
			continue;
		/* Bound to another driver, or unbound: the link tells. */
		snprintf(link, sizeof(link), "%s/%s/driver", DAX_BUS_DIR + 1,
			 name);
		lrc = sysfs_readlink(rootfd, link, &target);
		if (lrc == 0)
			free(target);
		if (lrc != -ENOENT)
			continue;
		snprintf(link, sizeof(link), DAX_BUS_DIR "/%s", name);
		lrc = sysfs_read_u64(ctx, SYSFS_AT_DIR, link, "size", &size);
		if (lrc < 0 || size == 0)
			continue;
		nv = reallocarray(out, cnt + 1, sizeof(*nv));
		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		out = nv;
		memcpy(out[cnt].name, name, sizeof(name));
		out[cnt].region = all[i].rid;
		cnt++;
	}
	free(all);
	free(bound[0]);
	free(bound[1]);
	if (rc < 0) {
		free(out);
		return rc;
	}
	*v = out;
	*n = cnt;
	return 0;
}

void bystanders_unlock(struct region_set *set)
{
	while (set->n > 0)
		dax_region_unlock(set->v[--set->n]);
	free(set->v);
	set->v = NULL;
}

/* Lock region @rid unless @set has it already. */
static int lock_into(struct dax_ctx *ctx, struct region_set *set, int rid)
{
	struct dax_region *region, **nv;
	size_t i;
	int rc;

	for (i = 0; i < set->n; i++)
		if (dax_region_get_id(set->v[i]) == rid)
			return 0;
	region = dax_region_find(ctx, rid);
	if (!region) {
		rc = errno == ENOMEM ? -ENOMEM : -EAGAIN;
		dax_err(ctx, "region %d: cannot be locked: %s\n", rid,
			strerror(-rc));
		return rc;
	}
	nv = reallocarray(set->v, set->n + 1, sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	set->v = nv;
	rc = lock_other_region(region);
	if (rc == 0)
		set->v[set->n++] = region;
	return rc;
}

int bystanders_lock(struct dax_ctx *ctx, const char *self, int self_rid,
		    struct bystander **v, size_t *n, struct region_set *set)
{
	unsigned int round;
	bool all;
	size_t i;
	int rc = 0;

	set->v = NULL;
	set->n = 0;
	/*
	 * Lock in id order (the list is sorted by region), then list again
	 * under the locks: a region whose devices became bystanders
	 * meanwhile is locked too. A few rounds, then give up.
	 */
	for (round = 0; round < 4; round++) {
		for (i = 0; rc == 0 && i < *n; i++)
			if ((*v)[i].region != self_rid)
				rc = lock_into(ctx, set, (*v)[i].region);
		if (rc == 0) {
			free(*v);
			rc = bystanders_list(ctx, self, v, n);
		}
		if (rc < 0)
			break;
		all = true;
		for (i = 0; all && i < *n; i++) {
			size_t j;

			if ((*v)[i].region == self_rid)
				continue;
			all = false;
			for (j = 0; j < set->n; j++)
				if (dax_region_get_id(set->v[j]) ==
				    (*v)[i].region)
					all = true;
		}
		if (all)
			return 0;
	}
	if (rc == 0) {
		dax_err(ctx, "%s: other regions' devices keep changing\n",
			self);
		rc = -EAGAIN;
	}
	bystanders_unlock(set);
	free(*v);
	*v = NULL;
	*n = 0;
	return rc;
}

/* The driver bound to bus device @name now, or NULL. */
static char *bus_driver(struct dax_ctx *ctx, const char *name)
{
	char *path, *target = NULL, *drv = NULL;
	int fd;

	if (asprintf(&path, DAX_BUS_DIR "/%s", name) < 0)
		return NULL;
	fd = sysfs_open_dir(ctx, path, O_PATH);
	free(path);
	if (fd < 0)
		return NULL;
	if (sysfs_readlink(fd, "driver", &target) == 0)
		drv = strdup(dax_path_basename(target));
	free(target);
	close(fd);
	return drv;
}

/* Undo what a new_id did to devices other than ours. */
void bystanders_restore(struct dax_ctx *ctx, const char *drv,
			const struct bystander *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *now = bus_driver(ctx, v[i].name);

		if (!now)
			continue;
		if (strcmp(now, "device_dax") == 0 &&
		    kdriver_write(ctx, now, "unbind", v[i].name) == 0) {
			dax_warn(ctx,
				 "%s: bound to %s by new_id; unbound "
				 "again\n",
				 v[i].name, now);
		} else {
			dax_err(ctx,
				"%s: bound to %s by a new_id for another "
				"device; disable it if that is not wanted\n",
				v[i].name, now);
		}
		free(now);
	}
	(void)drv;
}

void bystanders_report(struct dax_ctx *ctx, const struct bystander *v, size_t n,
		       const char *cause)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *now = bus_driver(ctx, v[i].name);

		if (now)
			dax_warn(ctx, "%s: bound to %s by %s\n", v[i].name, now,
				 cause);
		free(now);
	}
}

/*
 * Whether the dax bus matches drivers to regions by type, besides the id
 * lists (mainline 6.3, "dax: Assign RAM regions to memory-hotplug by
 * default"): then kmem takes, when loaded or new_id'd, every unbound
 * device with a size of a region flagged for it, and device_dax no longer
 * matches those. That change adds no attribute, so the kernel release was
 * used, which is wrong for backports and for trees captured elsewhere.
 *
 * The signal here is the drivers that own the only regions a kmem type can
 * be given to, read below the context's root:
 *  - platform driver "hmem_platform" (dax_hmem.ko): hmem regions. It was
 *    added by the same 6.3 series ("dax/hmem: Move hmem device
 *    registration to dax_hmem.ko"), which also taught dax_hmem to flag its
 *    regions for kmem; a kernel whose dax_hmem registers hmem devices
 *    itself has typed matching, one without it has the match-always
 *    device_dax of 6.1 (Debian 6.1: absent; 6.12: present).
 *  - cxl driver "cxl_dax_region" (dax_cxl.ko): CXL RAM regions, which
 *    exist only with typed matching (the series' last patch) and are
 *    always flagged for kmem.
 * pmem regions are never flagged, so without either driver no region can
 * be typed for kmem and the bus behaves as 6.1's for every device.
 * Where this misses a typed kernel (a backport of the matching alone),
 * "bind" still answers ENODEV for device_dax and the new_id path, with its
 * bystander checks, is taken; bind_prepare() reports such an answer
 * through typed_drivers_seen().
 */
/* Of the running kernel ("/" only); contexts of any thread may set it. */
static bool typed_seen;

void typed_drivers_seen(struct dax_ctx *ctx)
{
	if (!ctx_is_live(ctx))
		return;
	if (!__atomic_exchange_n(&typed_seen, true, __ATOMIC_RELAXED))
		dax_dbg(ctx, "device_dax does not match a device: typed "
			     "driver matching\n");
}

/*
 * Per region, read once: the driver that owns a region cannot go while
 * the region exists, so neither can the answer (unless the bus shows
 * typed matching later, which typed_drivers_seen() records).
 */
bool region_typed(struct dax_region *region)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int *cache = region_typed_cache(region);

	if (ctx_is_live(ctx) && __atomic_load_n(&typed_seen, __ATOMIC_RELAXED))
		return true;
	if (*cache < 0)
		*cache = typed_drivers(ctx);
	return *cache;
}

bool typed_drivers(struct dax_ctx *ctx)
{
	return (ctx_is_live(ctx) &&
		__atomic_load_n(&typed_seen, __ATOMIC_RELAXED)) ||
	       sysfs_exists(ctx, SYSFS_AT_DIR,
			    "/sys/bus/platform/drivers/hmem_platform",
			    ".") == 0 ||
	       sysfs_exists(ctx, SYSFS_AT_DIR,
			    "/sys/bus/cxl/drivers/cxl_dax_region", ".") == 0;
}
