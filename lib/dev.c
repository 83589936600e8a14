// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dax devices: daxR.N and their cached attributes. A scan reads what
 * listing a device needs (size, align, target_node, driver); numa_node,
 * resource and the device number are read on first use, then cached until
 * the next refresh.
 */
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

	uint64_t size, align;
	int size_err, align_err;
	int target_node, target_node_err;
	char *driver; /* NULL when unbound */
	enum dax_driver drv;

	/* Read on first use (see lazy_get()); *_read false until then. */
	bool numa_node_read, resource_read, devnum_read;
	int numa_node, numa_node_err;
	uint64_t resource;
	int resource_err;
	unsigned int major, minor;
	int devnum_err;

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

/*
 * The getters below are const, but fill this object's own cache on first
 * use. Objects are heap-allocated, never const-defined, so writing through
 * the pointer is sound.
 */
static struct dax_dev *lazy_get(const struct dax_dev *dev)
{
	return (struct dax_dev *)dev;
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
		dev->size_err = dev->align_err = dev->target_node_err = fd;
		dev->numa_node_err = dev->resource_err = dev->devnum_err = fd;
		dev->numa_node_read = dev->resource_read = true;
		dev->devnum_read = true;
		return 0;
	}

	/* Values read on first use are read again after a refresh. */
	dev->numa_node_read = dev->resource_read = dev->devnum_read = false;
	dev->size_err = sysfs_read_u64(ctx, fd, p, "size", &dev->size);
	dev->align_err = sysfs_read_u64(ctx, fd, p, "align", &dev->align);
	dev->target_node_err = sysfs_read_int(ctx, fd, p, "target_node", true,
					      &dev->target_node);
	rc = read_driver(dev, fd);
	close(fd);
	if (rc < 0 || dev->size_err == -ENOMEM || dev->align_err == -ENOMEM ||
	    dev->target_node_err == -ENOMEM)
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
	struct dax_dev *d = lazy_get(dev);

	if (!d->numa_node_read) {
		d->numa_node_err = sysfs_read_int(
			dax_dev_get_ctx(d), SYSFS_AT_DIR, d->path, "numa_node",
			true, &d->numa_node);
		d->numa_node_read = true;
	}
	if (dev->numa_node_err < 0)
		return dev->numa_node_err;
	*node = dev->numa_node;
	return 0;
}

DAX_EXPORT int dax_dev_get_resource(const struct dax_dev *dev, uint64_t *start)
{
	struct dax_dev *d = lazy_get(dev);

	if (!d->resource_read) {
		d->resource_err =
			sysfs_read_hex(dax_dev_get_ctx(d), SYSFS_AT_DIR,
				       d->path, "resource", true, &d->resource);
		d->resource_read = true;
	}
	/* The mappings are cached state of this same object too. */
	if (dev->resource_err == -EACCES && mapping_first_start(d, start) == 0)
		return 0;
	if (dev->resource_err < 0)
		return dev->resource_err;
	*start = dev->resource;
	return 0;
}

DAX_EXPORT int dax_dev_get_devnum(const struct dax_dev *dev,
				  unsigned int *major, unsigned int *minor)
{
	struct dax_dev *d = lazy_get(dev);

	if (!d->devnum_read) {
		d->devnum_err = read_devnum(d);
		d->devnum_read = true;
	}
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
