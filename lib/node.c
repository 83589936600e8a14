// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the kernel says about a NUMA node's memory: its memory-side caches
 * (nodeN/memory_side_cache/indexL/) and its access figures
 * (nodeN/accessC/initiators/), both from the ACPI HMAT.
 *
 * Nothing is cached: these are read by planners right before they decide,
 * and cost a handful of small reads. A node directory that exists without
 * the HMAT part is -ENOENT for the part, as is a missing node: a caller
 * only needs to know that the figure is not there. An attribute that
 * exists but does not parse is -EINVAL (logged by the sysfs layer).
 */
#include <errno.h>
#include <stdio.h>

#include "private.h"

#define NODE_DIR "/sys/devices/system/node/node%d"
/* ACPI HMAT cache levels are 1 to 3; leave room for more. */
#define MAX_CACHE_LEVEL 15

static int node_exists(struct dax_ctx *ctx, int node)
{
	char name[32];

	snprintf(name, sizeof(name), "node%d", node);
	return sysfs_exists(ctx, SYSFS_AT_DIR, "/sys/devices/system/node",
			    name);
}

static int read_cache(struct dax_ctx *ctx, int node, unsigned int level,
		      struct dax_node_cache *c)
{
	char dir[128];
	uint64_t v;
	int rc;

	snprintf(dir, sizeof(dir), NODE_DIR "/memory_side_cache/index%u", node,
		 level);
	rc = sysfs_read_u64(ctx, SYSFS_AT_DIR, dir, "size", &c->size);
	if (rc == 0)
		rc = sysfs_read_u64(ctx, SYSFS_AT_DIR, dir, "line_size",
				    &c->line_size);
	if (rc == 0)
		rc = sysfs_read_u64(ctx, SYSFS_AT_DIR, dir, "indexing", &v);
	if (rc == 0) {
		c->indexing = v > 255 ? 255 : (int)v;
		rc = sysfs_read_u64(ctx, SYSFS_AT_DIR, dir, "write_policy", &v);
	}
	if (rc == 0) {
		c->write_policy = v > 255 ? 255 : (int)v;
		c->level = level;
	}
	return rc;
}

DAX_EXPORT int dax_ctx_get_node_cache(struct dax_ctx *ctx, int node,
				      unsigned int level,
				      struct dax_node_cache *cache)
{
	struct dax_node_cache c;
	unsigned int l;
	int rc;

	if (!ctx || !cache || node < 0 || level > MAX_CACHE_LEVEL)
		return -EINVAL;
	rc = node_exists(ctx, node);
	if (rc < 0) {
		dax_dbg(ctx, "node %d: not in sysfs (%d)\n", node, rc);
		return rc;
	}
	if (level) {
		rc = read_cache(ctx, node, level, &c);
	} else {
		/* The lowest level there is; levels need not start at 1. */
		for (l = 1, rc = -ENOENT; l <= MAX_CACHE_LEVEL && rc == -ENOENT;
		     l++)
			rc = read_cache(ctx, node, l, &c);
	}
	if (rc == 0)
		*cache = c;
	else if (rc == -ENOENT)
		dax_dbg(ctx, "node %d: no memory-side cache%s\n", node,
			level ? " of that level" : "");
	return rc;
}

/* @v gets the attribute, or 0 when the kernel does not report it. */
static int read_opt(struct dax_ctx *ctx, const char *dir, const char *name,
		    uint64_t *v)
{
	int rc = sysfs_read_u64(ctx, SYSFS_AT_DIR, dir, name, v);

	if (rc == -ENOENT) {
		*v = 0;
		rc = 0;
	}
	return rc;
}

DAX_EXPORT int dax_ctx_get_node_access(struct dax_ctx *ctx, int node,
				       unsigned int access_class,
				       struct dax_node_access *access)
{
	struct dax_node_access a;
	char dir[128];
	int rc;

	if (!ctx || !access || node < 0)
		return -EINVAL;
	snprintf(dir, sizeof(dir), NODE_DIR "/access%u", node, access_class);
	rc = sysfs_exists(ctx, SYSFS_AT_DIR, dir, "initiators");
	if (rc < 0)
		return rc;
	snprintf(dir, sizeof(dir), NODE_DIR "/access%u/initiators", node,
		 access_class);
	rc = read_opt(ctx, dir, "read_latency", &a.read_latency);
	if (rc == 0)
		rc = read_opt(ctx, dir, "write_latency", &a.write_latency);
	if (rc == 0)
		rc = read_opt(ctx, dir, "read_bandwidth", &a.read_bandwidth);
	if (rc == 0)
		rc = read_opt(ctx, dir, "write_bandwidth", &a.write_bandwidth);
	if (rc == 0)
		*access = a;
	return rc;
}

DAX_EXPORT int dax_region_get_target_node(struct dax_region *region, int *node)
{
	struct dax_dev *dev;
	int n;

	if (!region || !node)
		return -EINVAL;
	if (dax_region_is_gone(region))
		return -ENODEV;
	dax_dev_foreach (region, dev) {
		if (dax_dev_get_target_node(dev, &n) == 0 && n >= 0) {
			*node = n;
			return 0;
		}
	}
	return -ENOENT;
}
