// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dax devices: daxR.N and their cached attributes. A scan only names the
 * devices; each attribute is read on its first use after the scan, then
 * cached until the next refresh. So a change operation, which refreshes
 * its region, reads nothing of the devices it does not touch, and a
 * listing reads each attribute it shows once.
 *
 * A device object names daxR.N of its region: when a scan no longer finds
 * it, it is marked gone (its getters give -ENODEV) and kept, and when the
 * name appears again the same object is revived.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/* The attributes read on first use: a bit is set once read (or failed). */
enum {
	DEV_SIZE = 1 << 0,
	DEV_ALIGN = 1 << 1,
	DEV_TARGET_NODE = 1 << 2,
	DEV_DRIVER = 1 << 3,
	DEV_NUMA_NODE = 1 << 4,
	DEV_RESOURCE = 1 << 5,
	DEV_DEVNUM = 1 << 6,
};

struct dax_dev {
	struct dax_region *region;
	char *name; /* "daxR.N" */
	char *path; /* device directory below the root */
	int id;
	size_t idx; /* position in the region's sorted array, while live */
	bool gone;

	unsigned int loaded; /* DEV_* read since the last refresh */
	uint64_t size, align, resource;
	int size_err, align_err, resource_err;
	int target_node, numa_node;
	int target_node_err, numa_node_err;
	unsigned int major, minor;
	int devnum_err;
	char *driver; /* NULL when unbound */
	enum dax_driver drv;

	struct mapping_set *mappings; /* NULL until first asked */
	struct dax_memory *memory; /* NULL until first asked */
};

struct dax_dev *dev_new(struct dax_region *region, char *name, int id,
			char *path)
{
	struct dax_dev *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return NULL;
	dev->region = region;
	dev->name = name;
	dev->id = id;
	dev->path = path;
	return dev;
}

struct dax_dev *dev_new_bus(struct dax_region *region, int id)
{
	const char *host = dax_region_get_path(region);
	char name[32], *path, *nm;
	size_t hl = strlen(host), nl;
	struct dax_dev *dev;

	nl = (size_t)snprintf(name, sizeof(name), "dax%d.%d",
			      dax_region_get_id(region), id);
	nm = strdup(name);
	path = malloc(hl + 1 + nl + 1);
	dev = nm && path ? dev_new(region, nm, id, path) : NULL;
	if (!dev) {
		free(nm);
		free(path);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(path, host, hl);
	path[hl] = '/';
	memcpy(path + hl + 1, name, nl + 1);
	return dev;
}

void dev_free(struct dax_dev *dev)
{
	if (!dev)
		return;
	mapping_set_free(dev->mappings);
	memory_free(dev->memory);
	free(dev->driver);
	free(dev->name);
	free(dev->path);
	free(dev);
}

static enum dax_driver driver_kind(const char *name)
{
	if (!name)
		return DAX_DRIVER_NONE;
	if (strcmp(name, "device_dax") == 0)
		return DAX_DRIVER_DEVICE_DAX;
	if (strcmp(name, "kmem") == 0)
		return DAX_DRIVER_KMEM;
	return DAX_DRIVER_OTHER;
}

/* The driver link; 0 or -ENOMEM (an unreadable link reads as unbound). */
static int read_driver(struct dax_dev *dev)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	int rootfd = ctx_root_fd(ctx), rc;
	char *link, *target;

	free(dev->driver);
	dev->driver = NULL;
	dev->drv = DAX_DRIVER_NONE;
	if (rootfd < 0)
		return 0;
	if (asprintf(&link, "%s/driver", dev->path + 1) < 0)
		return -ENOMEM;
	rc = sysfs_readlink(rootfd, link, &target);
	free(link);
	if (rc == 0) {
		dev->driver = strdup(dax_path_basename(target));
		free(target);
		if (!dev->driver)
			return -ENOMEM;
	} else if (rc == -ENOMEM) {
		return rc;
	} else if (region_is_class_model(dev->region)) {
		/* A class-model device exists only while device_dax drives it.
		 */
		dev->driver = strdup("device_dax");
		if (!dev->driver)
			return -ENOMEM;
	} else if (rc != -ENOENT) {
		dax_warn(ctx, "%s/driver: %s\n", dev->path, strerror(-rc));
	}
	dev->drv = driver_kind(dev->driver);
	return 0;
}

/* The node counts, not the numbers in it: captured trees hold empty files. */
static int read_devnum(struct dax_dev *dev)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	int rootfd = ctx_root_fd(ctx);
	char node[sizeof("dev/") + 32];
	struct stat st;
	int rc;

	if (rootfd < 0)
		return rootfd;
	rc = sysfs_read_devnum(ctx, SYSFS_AT_DIR, dev->path, "dev", &dev->major,
			       &dev->minor);
	if (rc < 0)
		return rc;
	snprintf(node, sizeof(node), "dev/%s", dev->name);
	rc = fstatat(rootfd, node, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	if (rc < 0)
		dax_dbg(ctx, "/%s: %s\n", node, strerror(-rc));
	return rc;
}

/*
 * Read the attributes of @what not read since the last refresh. The
 * getters are const but fill this object's own cache: objects are
 * heap-allocated, never const-defined, so writing through the pointer is
 * sound. An allocation failure is not cached: the next use tries again.
 */
static const struct dax_dev *load(const struct dax_dev *cdev, unsigned int what)
{
	struct dax_dev *dev = (struct dax_dev *)cdev;
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	const char *p = dev->path;
	unsigned int failed = 0;

	what &= ~dev->loaded;
	if (!what)
		return dev;
	if (what & DEV_SIZE) {
		dev->size_err = sysfs_read_u64(ctx, SYSFS_AT_DIR, p, "size",
					       &dev->size);
		failed |= dev->size_err == -ENOMEM ? DEV_SIZE : 0;
	}
	if (what & DEV_ALIGN) {
		dev->align_err = sysfs_read_u64(ctx, SYSFS_AT_DIR, p, "align",
						&dev->align);
		failed |= dev->align_err == -ENOMEM ? DEV_ALIGN : 0;
	}
	if (what & DEV_TARGET_NODE) {
		dev->target_node_err =
			sysfs_read_int(ctx, SYSFS_AT_DIR, p, "target_node",
				       true, &dev->target_node);
		failed |= dev->target_node_err == -ENOMEM ? DEV_TARGET_NODE : 0;
	}
	if ((what & DEV_DRIVER) && read_driver(dev) < 0)
		failed |= DEV_DRIVER;
	if (what & DEV_NUMA_NODE) {
		dev->numa_node_err =
			sysfs_read_int(ctx, SYSFS_AT_DIR, p, "numa_node", true,
				       &dev->numa_node);
		failed |= dev->numa_node_err == -ENOMEM ? DEV_NUMA_NODE : 0;
	}
	if (what & DEV_RESOURCE) {
		dev->resource_err = sysfs_read_hex(
			ctx, SYSFS_AT_DIR, p, "resource", true, &dev->resource);
		failed |= dev->resource_err == -ENOMEM ? DEV_RESOURCE : 0;
	}
	if (what & DEV_DEVNUM) {
		dev->devnum_err = read_devnum(dev);
		failed |= dev->devnum_err == -ENOMEM ? DEV_DEVNUM : 0;
	}
	dev->loaded |= what & ~failed;
	return dev;
}

int dev_read(struct dax_dev *dev)
{
	int rc;

	/* Every attribute is read again at its next use. */
	dev->loaded = 0;
	if (dev->gone)
		return 0;

	/* A refresh reloads what the caller looked at before. */
	if (mapping_set_loaded(dev->mappings)) {
		rc = mapping_set_load(dev);
		if (rc == -ENOMEM)
			return rc;
	} else {
		/* Only an error was cached: try again when asked. */
		mapping_set_forget(dev->mappings);
	}
	if (dev->memory && !memory_is_gone(dev->memory)) {
		if (dax_dev_get_driver(dev) == DAX_DRIVER_KMEM) {
			rc = dax_memory_refresh(dev->memory);
			if (rc == -ENOMEM)
				return rc;
		} else {
			/* Kept for the caller; dax_dev_get_memory() revives. */
			memory_set_gone(dev->memory);
		}
	}
	return 0;
}

void dev_set_gone(struct dax_dev *dev, bool gone)
{
	if (gone == dev->gone)
		return;
	dev->gone = gone;
	dev->loaded = 0;
	if (!gone)
		return; /* children come back when asked (or by dev_read()) */
	mapping_set_gone(dev->mappings);
	if (dev->memory)
		memory_set_gone(dev->memory);
}

void dev_set_index(struct dax_dev *dev, size_t idx)
{
	dev->idx = idx;
}

const char *dev_get_path(const struct dax_dev *dev)
{
	return dev->path;
}

struct mapping_set **dev_mapping_slot(struct dax_dev *dev)
{
	return &dev->mappings;
}

struct dax_memory **dev_memory_slot(struct dax_dev *dev)
{
	return &dev->memory;
}

DAX_EXPORT struct dax_dev *dax_dev_get_next(struct dax_dev *dev)
{
	/* A loop whose device went away goes on with the next live one. */
	if (dev->gone)
		return region_next_dev(dev->region, dev->id);
	errno = 0;
	if (dev->idx + 1 >= region_ndevs(dev->region))
		return NULL;
	return region_dev_at(dev->region, dev->idx + 1);
}

/* Accept "daxR.N", "R.N" and "/dev/daxR.N". */
static int parse_user_name(const char *name, int *rid, int *id)
{
	char *full;
	int rc;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	if (strncmp(name, "dax", 3) == 0)
		return dax_parse_devname(name, rid, id);
	if (asprintf(&full, "dax%s", name) < 0)
		return -ENOMEM;
	rc = dax_parse_devname(full, rid, id);
	free(full);
	return rc;
}

DAX_EXPORT struct dax_dev *dax_dev_find(struct dax_ctx *ctx, const char *name)
{
	struct dax_region *region;
	struct dax_dev *dev;
	int rid, id, rc;

	rc = parse_user_name(name, &rid, &id);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	/* Usually found without a scan of the whole bus. */
	region = dax_region_find(ctx, rid);
	dev = region ? region_find_dev(region, id) : NULL;
	if (dev)
		return dev;
	if (!region && errno != ENOENT)
		return NULL;
	/* Another region with the same id, in the complete list. */
	rc = ctx_ensure_scanned(ctx);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	dax_region_foreach (ctx, region) {
		if (dax_region_get_id(region) != rid)
			continue;
		dev = region_find_dev(region, id);
		if (dev)
			return dev;
	}
	if (errno == 0)
		errno = ENOENT;
	return NULL;
}

DAX_EXPORT struct dax_region *dax_dev_get_region(const struct dax_dev *dev)
{
	return dev->region;
}

DAX_EXPORT struct dax_ctx *dax_dev_get_ctx(const struct dax_dev *dev)
{
	return dax_region_get_ctx(dev->region);
}

DAX_EXPORT const char *dax_dev_get_devname(const struct dax_dev *dev)
{
	return dev->name;
}

DAX_EXPORT int dax_dev_get_id(const struct dax_dev *dev)
{
	return dev->id;
}

DAX_EXPORT bool dax_dev_is_gone(const struct dax_dev *dev)
{
	return dev->gone;
}

DAX_EXPORT int dax_dev_get_size(const struct dax_dev *dev, uint64_t *size)
{
	if (dev->gone)
		return -ENODEV;
	dev = load(dev, DEV_SIZE);
	if (dev->size_err < 0)
		return dev->size_err;
	*size = dev->size;
	return 0;
}

DAX_EXPORT int dax_dev_get_align(const struct dax_dev *dev, uint64_t *align)
{
	if (dev->gone)
		return -ENODEV;
	dev = load(dev, DEV_ALIGN);
	if (dev->align_err < 0)
		return dev->align_err;
	*align = dev->align;
	return 0;
}

DAX_EXPORT int dax_dev_get_target_node(const struct dax_dev *dev, int *node)
{
	if (dev->gone)
		return -ENODEV;
	dev = load(dev, DEV_TARGET_NODE);
	if (dev->target_node_err < 0)
		return dev->target_node_err;
	*node = dev->target_node;
	return 0;
}

DAX_EXPORT int dax_dev_get_numa_node(const struct dax_dev *dev, int *node)
{
	if (dev->gone)
		return -ENODEV;
	dev = load(dev, DEV_NUMA_NODE);
	if (dev->numa_node_err < 0)
		return dev->numa_node_err;
	*node = dev->numa_node;
	return 0;
}

DAX_EXPORT int dax_dev_get_resource(const struct dax_dev *dev, uint64_t *start)
{
	if (dev->gone)
		return -ENODEV;
	dev = load(dev, DEV_RESOURCE);
	/* The mappings are cached state of this same object too. */
	if (dev->resource_err == -EACCES &&
	    mapping_first_start((struct dax_dev *)dev, start) == 0)
		return 0;
	if (dev->resource_err < 0)
		return dev->resource_err;
	*start = dev->resource;
	return 0;
}

DAX_EXPORT int dax_dev_get_devnum(const struct dax_dev *dev,
				  unsigned int *major, unsigned int *minor)
{
	if (dev->gone)
		return -ENODEV;
	dev = load(dev, DEV_DEVNUM);
	if (dev->devnum_err < 0)
		return dev->devnum_err;
	*major = dev->major;
	*minor = dev->minor;
	return 0;
}

DAX_EXPORT enum dax_driver dax_dev_get_driver(const struct dax_dev *dev)
{
	return dev->gone ? DAX_DRIVER_NONE : load(dev, DEV_DRIVER)->drv;
}

DAX_EXPORT const char *dax_dev_get_driver_name(const struct dax_dev *dev)
{
	if (dev->gone) {
		errno = ENODEV;
		return NULL;
	}
	return load(dev, DEV_DRIVER)->driver;
}

DAX_EXPORT bool dax_dev_is_enabled(const struct dax_dev *dev)
{
	return dax_dev_get_driver(dev) != DAX_DRIVER_NONE;
}

DAX_EXPORT bool dax_dev_is_system_ram(const struct dax_dev *dev)
{
	return dax_dev_get_driver(dev) == DAX_DRIVER_KMEM;
}

bool range_misaligned(uint64_t start, uint64_t end, uint64_t align)
{
	return align && (start % align || (end - start + 1) % align);
}

DAX_EXPORT int dax_dev_is_misaligned(struct dax_dev *dev)
{
	struct dax_mapping *m;
	uint64_t align;
	int rc;

	if (!dev)
		return -EINVAL;
	if (dev->gone)
		return -ENODEV;
	rc = dax_dev_get_align(dev, &align);
	if (rc == -ENOENT)
		return 0; /* before 5.10: no align, one range from the kernel */
	if (rc < 0)
		return rc;
	dax_mapping_foreach (dev, m)
		if (range_misaligned(dax_mapping_get_start(m),
				     dax_mapping_get_end(m), align))
			return 1;
	return errno ? -errno : 0;
}
