// SPDX-License-Identifier: LGPL-2.1-or-later
/* Dax devices: daxR.N and their cached attributes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

struct dax_dev {
	struct dax_region *region;
	char *name; /* "daxR.N" */
	char *path; /* device directory below the root */
	int id;
	size_t idx; /* position in the region's sorted array */

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

static int read_driver(struct dax_dev *dev, int fd)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	char *target;
	int rc;

	free(dev->driver);
	dev->driver = NULL;
	rc = sysfs_readlink(fd, "driver", &target);
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
static int read_devnum(struct dax_dev *dev, int fd)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	int rootfd = ctx_root_fd(ctx);
	struct stat st;
	char *node;
	int rc;

	rc = sysfs_read_devnum(ctx, fd, dev->path, "dev", &dev->major,
			       &dev->minor);
	if (rc < 0)
		return rc;
	if (asprintf(&node, "dev/%s", dev->name) < 0)
		return -ENOMEM;
	rc = fstatat(rootfd, node, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	if (rc < 0)
		dax_dbg(ctx, "/%s: %s\n", node, strerror(-rc));
	free(node);
	return rc;
}

int dev_read(struct dax_dev *dev)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	const char *p = dev->path;
	int fd, rc;

	fd = sysfs_open_dir(ctx, p, O_PATH);
	if (fd == -ENOENT || fd == -ENOMEM)
		return fd;
	if (fd < 0) {
		/* Still listed; every attribute reports why it is unknown. */
		dax_warn(ctx, "%s: %s\n", p, strerror(-fd));
		dev->size_err = dev->align_err = dev->resource_err = fd;
		dev->target_node_err = dev->numa_node_err = fd;
		dev->devnum_err = fd;
		return 0;
	}

	dev->size_err = sysfs_read_u64(ctx, fd, p, "size", &dev->size);
	dev->align_err = sysfs_read_u64(ctx, fd, p, "align", &dev->align);
	dev->target_node_err = sysfs_read_int(ctx, fd, p, "target_node", true,
					      &dev->target_node);
	dev->numa_node_err =
		sysfs_read_int(ctx, fd, p, "numa_node", true, &dev->numa_node);
	dev->resource_err =
		sysfs_read_hex(ctx, fd, p, "resource", true, &dev->resource);
	dev->devnum_err = read_devnum(dev, fd);
	rc = read_driver(dev, fd);
	close(fd);
	if (rc < 0 || dev->size_err == -ENOMEM || dev->align_err == -ENOMEM ||
	    dev->devnum_err == -ENOMEM)
		return -ENOMEM;

	/* A refresh reloads what the caller looked at before. */
	if (mapping_set_loaded(dev->mappings)) {
		rc = mapping_set_load(dev);
		if (rc == -ENOMEM)
			return rc;
	} else {
		/* Only an error was cached: try again when asked. */
		mapping_set_free(dev->mappings);
		dev->mappings = NULL;
	}
	if (dev->memory) {
		if (dev->drv == DAX_DRIVER_KMEM) {
			rc = dax_memory_refresh(dev->memory);
			if (rc == -ENOMEM)
				return rc;
		} else {
			memory_free(dev->memory);
			dev->memory = NULL;
		}
	}
	return 0;
}

int dev_rename(struct dax_dev *dev, int id)
{
	const char *base = dax_path_basename(dev->path);
	char *name, *path;

	if (asprintf(&name, "dax%d.%d", dax_region_get_id(dev->region), id) < 0)
		return -ENOMEM;
	if (asprintf(&path, "%.*s%s", (int)(base - dev->path), dev->path,
		     name) < 0) {
		free(name);
		return -ENOMEM;
	}
	free(dev->name);
	free(dev->path);
	dev->name = name;
	dev->path = path;
	dev->id = id;
	/* The next dev_read() reloads mappings and memory under the new name.
	 */
	return 0;
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
	size_t n;
	struct dax_dev **devs = region_devs(dev->region, &n);

	errno = 0;
	return dev->idx + 1 < n ? devs[dev->idx + 1] : NULL;
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
	int rid, id, rc;

	rc = parse_user_name(name, &rid, &id);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	dax_region_foreach (ctx, region) {
		struct dax_dev *dev;

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

DAX_EXPORT int dax_dev_get_size(const struct dax_dev *dev, uint64_t *size)
{
	if (dev->size_err < 0)
		return dev->size_err;
	*size = dev->size;
	return 0;
}

DAX_EXPORT int dax_dev_get_align(const struct dax_dev *dev, uint64_t *align)
{
	if (dev->align_err < 0)
		return dev->align_err;
	*align = dev->align;
	return 0;
}

DAX_EXPORT int dax_dev_get_target_node(const struct dax_dev *dev, int *node)
{
	if (dev->target_node_err < 0)
		return dev->target_node_err;
	*node = dev->target_node;
	return 0;
}

DAX_EXPORT int dax_dev_get_numa_node(const struct dax_dev *dev, int *node)
{
	if (dev->numa_node_err < 0)
		return dev->numa_node_err;
	*node = dev->numa_node;
	return 0;
}

DAX_EXPORT int dax_dev_get_resource(const struct dax_dev *dev, uint64_t *start)
{
	if (dev->resource_err == -EACCES) {
		/*
		 * The mappings are cached state of this same object, loaded on
		 * demand; the object is heap-allocated, so dropping const to
		 * fill that cache is sound.
		 */
		if (mapping_first_start((struct dax_dev *)dev, start) == 0)
			return 0;
	}
	if (dev->resource_err < 0)
		return dev->resource_err;
	*start = dev->resource;
	return 0;
}

DAX_EXPORT int dax_dev_get_devnum(const struct dax_dev *dev,
				  unsigned int *major, unsigned int *minor)
{
	if (dev->devnum_err < 0)
		return dev->devnum_err;
	*major = dev->major;
	*minor = dev->minor;
	return 0;
}

DAX_EXPORT enum dax_driver dax_dev_get_driver(const struct dax_dev *dev)
{
	return dev->drv;
}

DAX_EXPORT const char *dax_dev_get_driver_name(const struct dax_dev *dev)
{
	return dev->driver;
}

DAX_EXPORT bool dax_dev_is_enabled(const struct dax_dev *dev)
{
	return dev->drv != DAX_DRIVER_NONE;
}

DAX_EXPORT bool dax_dev_is_system_ram(const struct dax_dev *dev)
{
	return dev->drv == DAX_DRIVER_KMEM;
}
