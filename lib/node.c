// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the kernel says about a NUMA node's memory: its memory-side caches
 * (nodeN/memory_side_cache/indexL/) and its access figures
 * (nodeN/accessC/initiators/), both from the ACPI HMAT.
 *
 * Nothing is cached: these are read by planners right before they decide,
 * and cost a handful of small reads. Which node the calling CPU is on is
 * read from the same tree (nodeN/cpuM), not asked of the kernel with
 * getcpu(2), so that a context on a test tree sees the tree's topology. A node
 * directory that exists without the HMAT part is -ENOENT for the part, as is a
 * missing node: a caller only needs to know that the figure is not there. An
 * attribute that exists but does not parse is -EINVAL (logged by the sysfs
 * layer).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "private.h"

#define NODES "/sys/devices/system/node"
#define NODE_DIR NODES "/node%d"
/* Beyond any MAX_NUMNODES the kernel is built with (1 << 10). */
#define MAX_NODE 4095

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

	if (!ctx || !cache || node < 0 || level > NODE_MAX_CACHE_LEVEL)
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
		for (l = 1, rc = -ENOENT;
		     l <= NODE_MAX_CACHE_LEVEL && rc == -ENOENT; l++)
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

int node_cpu_access_class(struct dax_ctx *ctx, int node, unsigned int *cls)
{
	char dir[128];
	int rc;

	snprintf(dir, sizeof(dir), NODE_DIR "/access1", node);
	rc = sysfs_exists(ctx, SYSFS_AT_DIR, dir, "initiators");
	if (rc == 0) {
		*cls = 1;
		return 0;
	}
	if (rc != -ENOENT)
		return rc;
	snprintf(dir, sizeof(dir), NODE_DIR "/access0", node);
	rc = sysfs_exists(ctx, SYSFS_AT_DIR, dir, "initiators");
	if (rc == 0)
		*cls = 0;
	return rc;
}

int node_has_initiator(struct dax_ctx *ctx, int node, unsigned int cls,
		       int initiator)
{
	char dir[128], name[32];

	snprintf(dir, sizeof(dir), NODE_DIR "/access%u/initiators", node, cls);
	snprintf(name, sizeof(name), "node%d", initiator);
	return sysfs_exists(ctx, SYSFS_AT_DIR, dir, name);
}

/* One node id of a list such as "0-1,3" at *@p (advanced past it). */
static bool take_node(const char **p, long *v)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	*v = strtol(*p, &end, 10);
	*p = end;
	return *v <= MAX_NODE;
}

/* The first node of the list @s ("0-1,3\n") with a cpu@cpu entry. */
static int find_cpu_in(struct dax_ctx *ctx, const char *s, int cpu, int *node)
{
	char name[32];
	long a, b, n;
	int rc;

	snprintf(name, sizeof(name), "cpu%d", cpu);
	while (*s && *s != '\n') {
		if (!take_node(&s, &a))
			return -EINVAL;
		b = a;
		if (*s == '-' && (s++, !take_node(&s, &b)))
			return -EINVAL;
		if (b < a || (*s != ',' && *s != '\n' && *s))
			return -EINVAL;
		if (*s == ',')
			s++;
		for (n = a; n <= b; n++) {
			char dir[128];

			snprintf(dir, sizeof(dir), NODE_DIR, (int)n);
			rc = sysfs_exists(ctx, SYSFS_AT_DIR, dir, name);
			if (rc == 0) {
				*node = (int)n;
				return 0;
			}
			if (rc != -ENOENT)
				return rc;
		}
	}
	return -ENOENT;
}

DAX_EXPORT int dax_ctx_get_cpu_node(struct dax_ctx *ctx, int *node)
{
	char *list;
	int cpu, rc;

	if (!ctx || !node)
		return -EINVAL;
	cpu = sched_getcpu();
	if (cpu < 0)
		return -errno;
	rc = sysfs_read_str(ctx, SYSFS_AT_DIR, NODES, "online", &list);
	if (rc < 0)
		return rc;
	rc = find_cpu_in(ctx, list, cpu, node);
	if (rc == -EINVAL)
		dax_err(ctx, "%s/online: cannot parse \"%s\"\n", NODES, list);
	else if (rc == -ENOENT)
		dax_dbg(ctx, "cpu %d: in no online node\n", cpu);
	free(list);
	return rc;
}
