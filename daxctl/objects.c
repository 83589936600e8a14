// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON for libdax objects. Key order and the rules for leaving keys out
 * follow upstream daxctl, because scripts and bash completion read them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "objects.h"

#define SYSFS_DEVICES "/sys/devices"

/*
 * The region path as upstream shows it: the host device's sysfs directory
 * without "/sys/devices" ("/platform/hmem.0"). A path outside /sys/devices
 * is shown whole, where upstream failed the whole listing.
 */
static const char *region_path(struct dax_region *region)
{
	const char *path = dax_region_get_path(region);
	const char *root = dax_ctx_get_sysfs_root(dax_region_get_ctx(region));
	size_t len = strlen(root);
	size_t dlen = strlen(SYSFS_DEVICES);

	/* Tolerate a path that still carries a non-"/" root. */
	if (len > 1 && strncmp(path, root, len) == 0 && path[len] == '/')
		path += len;
	if (strncmp(path, SYSFS_DEVICES, dlen) == 0 &&
	    (path[dlen] == '/' || path[dlen] == '\0'))
		path += dlen;
	return path;
}

/* The kernel's enum cache_indexing and enum cache_write_policy. */
static const char *const indexing_names[] = {"direct", "complex", "other"};
static const char *const policy_names[] = {"write-back", "write-through",
					   "other"};

static void enum_str(struct jw *w, const char *key, int v,
		     const char *const *names, int n)
{
	char buf[16];

	if (v >= 0 && v < n) {
		jw_str(w, key, names[v]);
	} else {
		snprintf(buf, sizeof(buf), "%d", v);
		jw_str(w, key, buf);
	}
}

/* Every memory-side cache level of @node, as an array; none: no key. */
static void add_caches(struct jw *w, struct dax_ctx *ctx, int node, bool human)
{
	struct dax_node_cache c;
	bool open = false;
	unsigned int l;

	/* Levels need not be contiguous: look at all the HMAT can have. */
	for (l = 1; l <= 15; l++) {
		if (dax_ctx_get_node_cache(ctx, node, l, &c) < 0)
			continue;
		if (!open)
			jw_open(w, "memory_side_cache", '[');
		open = true;
		jw_open(w, NULL, '{');
		jw_u64(w, "level", c.level);
		jw_size(w, "size", c.size, human);
		jw_size(w, "line_size", c.line_size, human);
		enum_str(w, "indexing", c.indexing, indexing_names, 3);
		enum_str(w, "write_policy", c.write_policy, policy_names, 3);
		jw_close(w);
	}
	if (open)
		jw_close(w);
}

/* Access classes 0 (any initiator) and 1 (CPUs) of @node; 0 figures out. */
static void add_access(struct jw *w, struct dax_ctx *ctx, int node)
{
	static const struct {
		const char *key;
		size_t off;
	} figures[] = {
		{"read_latency",
		 offsetof(struct dax_node_access, read_latency)},
		{"write_latency",
		 offsetof(struct dax_node_access, write_latency)},
		{"read_bandwidth",
		 offsetof(struct dax_node_access, read_bandwidth)},
		{"write_bandwidth",
		 offsetof(struct dax_node_access, write_bandwidth)},
	};
	struct dax_node_access a;
	bool open = false;
	unsigned int cls;
	size_t i;

	for (cls = 0; cls <= 1; cls++) {
		if (dax_ctx_get_node_access(ctx, node, cls, &a) < 0)
			continue;
		if (!open)
			jw_open(w, "access", '[');
		open = true;
		jw_open(w, NULL, '{');
		jw_u64(w, "class", cls);
		for (i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
			uint64_t v;

			memcpy(&v, (const char *)&a + figures[i].off,
			       sizeof(v));
			if (v)
				jw_u64(w, figures[i].key, v);
		}
		jw_close(w);
	}
	if (open)
		jw_close(w);
}

static void add_performance(struct jw *w, struct dax_region *region, bool human)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int node;

	if (dax_region_get_target_node(region, &node) < 0)
		return;
	jw_int(w, "target_node", node);
	add_caches(w, ctx, node, human);
	add_access(w, ctx, node);
}

void region_to_json(struct jw *w, struct dax_region *region, unsigned int flags)
{
	bool human = flags & JSON_HUMAN;
	uint64_t v;

	jw_str(w, "path", region_path(region));
	jw_int(w, "id", dax_region_get_id(region));
	if (dax_region_get_size(region, &v) == 0)
		jw_size(w, "size", v, human);
	/* Absent when zero: a full dynamic region, or a static one. */
	if (dax_region_get_available_size(region, &v) == 0 && v)
		jw_size(w, "available_size", v, human);
	/* Never human-formatted, as upstream. */
	if (dax_region_get_align(region, &v) == 0)
		jw_u64(w, "align", v);
	if (flags & JSON_PERFORMANCE)
		add_performance(w, region, human);
}

static void mapping_to_json(struct jw *w, struct dax_mapping *mapping,
			    bool human)
{
	jw_open(w, NULL, '{');
	jw_hex(w, "page_offset", dax_mapping_get_page_offset(mapping), human);
	jw_hex(w, "start", dax_mapping_get_start(mapping), human);
	jw_hex(w, "end", dax_mapping_get_end(mapping), human);
	jw_size(w, "size", dax_mapping_get_size(mapping), human);
	jw_close(w);
}

/* The memory-block keys of a system-ram device. */
static void add_memory(struct jw *w, struct dax_dev *dev)
{
	struct dax_memory *mem = dax_dev_get_memory(dev);
	int movable;

	/* Blocks not found (e.g. no access): leave the keys out. */
	if (!mem)
		return;
	jw_u64(w, "online_memblocks", dax_memory_get_num_online(mem));
	jw_u64(w, "total_memblocks", dax_memory_get_num_blocks(mem));
	/* Undefined while some block is offline: leave it out. */
	movable = dax_memory_is_movable(mem);
	if (movable >= 0)
		jw_bool(w, "movable", movable);
}

/* The system's layout, for the "layout" key (list only). */
static struct dax_layout *names;

void json_set_layout(struct dax_layout *layout)
{
	names = layout;
}

void dev_to_json(struct jw *w, struct dax_dev *dev, unsigned int flags)
{
	struct dax_layout_match match;
	bool human = flags & JSON_HUMAN;
	bool ram = dax_dev_is_system_ram(dev);
	struct dax_mapping *m;
	uint64_t v;
	int node;

	jw_open(w, NULL, '{');
	jw_str(w, "chardev", dax_dev_get_devname(dev));
	if (dax_dev_get_size(dev, &v) == 0)
		jw_size(w, "size", v, human);
	if (dax_dev_get_target_node(dev, &node) == 0 && node >= 0)
		jw_int(w, "target_node", node);
	if (dax_dev_get_align(dev, &v) == 0 && v)
		jw_size(w, "align", v, human);
	/*
	 * Not upstream's: only on a device whose ranges are off its align
	 * (device_dax would map memory outside it), so the output of every
	 * other device stays upstream's byte for byte. Left out when the
	 * mappings cannot be read (non-root).
	 */
	if (dax_dev_is_misaligned(dev) == 1)
		jw_bool(w, "misaligned", true);
	jw_str(w, "mode", ram ? "system-ram" : "devdax");
	if (ram)
		add_memory(w, dev);
	if (!dax_dev_is_enabled(dev))
		jw_str(w, "state", "disabled");
	/* Not upstream's: only devices of a layout have it. */
	if (names && dax_layout_match_dev(names, dev, &match) == 0)
		jw_str(w, "layout", match.name);
	/* Unreadable mappings (mode 0400 for non-root) are left out. */
	m = (flags & JSON_MAPPINGS) ? dax_mapping_get_first(dev) : NULL;
	if (m) {
		jw_open(w, "mappings", '[');
		for (; m; m = dax_mapping_get_next(m))
			mapping_to_json(w, m, human);
		jw_close(w);
	}
	jw_close(w);
}
