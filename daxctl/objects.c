// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON for libdax objects. Key order and the rules for leaving keys out
 * follow upstream daxctl, because scripts and bash completion read them.
 */
#include <errno.h>
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

json_object *region_to_json(struct dax_region *region, unsigned int flags)
{
	bool human = flags & JSON_HUMAN;
	json_object *jr = json_object_new_object();
	uint64_t v;

	if (!jr)
		goto fail;
	if (json_add(jr, "path", json_object_new_string(region_path(region))))
		goto fail;
	if (json_add(jr, "id", json_int(dax_region_get_id(region))))
		goto fail;
	if (dax_region_get_size(region, &v) == 0 &&
	    json_add(jr, "size", json_size(v, human)))
		goto fail;
	/* Absent when zero: a full dynamic region, or a static one. */
	if (dax_region_get_available_size(region, &v) == 0 && v &&
	    json_add(jr, "available_size", json_size(v, human)))
		goto fail;
	/* Never human-formatted, as upstream. */
	if (dax_region_get_align(region, &v) == 0 &&
	    json_add(jr, "align", json_u64(v)))
		goto fail;
	return jr;
fail:
	json_object_put(jr);
	errno = ENOMEM;
	return NULL;
}

json_object *mapping_to_json(struct dax_mapping *mapping, unsigned int flags)
{
	bool human = flags & JSON_HUMAN;
	json_object *jm = json_object_new_object();

	if (!jm ||
	    json_add(jm, "page_offset",
		     json_hex(dax_mapping_get_page_offset(mapping), human)) ||
	    json_add(jm, "start",
		     json_hex(dax_mapping_get_start(mapping), human)) ||
	    json_add(jm, "end",
		     json_hex(dax_mapping_get_end(mapping), human)) ||
	    json_add(jm, "size",
		     json_size(dax_mapping_get_size(mapping), human))) {
		json_object_put(jm);
		errno = ENOMEM;
		return NULL;
	}
	return jm;
}

/* The memory-block keys of a system-ram device. */
static int add_memory(json_object *jd, struct dax_dev *dev)
{
	struct dax_memory *mem = dax_dev_get_memory(dev);
	int movable;

	/* Blocks not found (e.g. no access): leave the keys out. */
	if (!mem)
		return 0;
	if (json_add(jd, "online_memblocks",
		     json_u64(dax_memory_get_num_online(mem))) ||
	    json_add(jd, "total_memblocks",
		     json_u64(dax_memory_get_num_blocks(mem))))
		return -ENOMEM;
	/* Undefined while some block is offline: leave it out. */
	movable = dax_memory_is_movable(mem);
	if (movable >= 0 &&
	    json_add(jd, "movable", json_object_new_boolean(movable)))
		return -ENOMEM;
	return 0;
}

static int add_mappings(json_object *jd, struct dax_dev *dev,
			unsigned int flags)
{
	json_object *jmaps = json_object_new_array();
	struct dax_mapping *m;

	if (!jmaps)
		return -ENOMEM;
	/* Unreadable mappings (mode 0400 for non-root) are left out. */
	dax_mapping_foreach (dev, m) {
		json_object *jm = mapping_to_json(m, flags);

		if (!jm || json_object_array_add(jmaps, jm) < 0) {
			json_object_put(jm);
			json_object_put(jmaps);
			return -ENOMEM;
		}
	}
	if (json_object_array_length(jmaps) == 0) {
		json_object_put(jmaps);
		return 0;
	}
	return json_add(jd, "mappings", jmaps);
}

json_object *dev_to_json(struct dax_dev *dev, unsigned int flags)
{
	bool human = flags & JSON_HUMAN;
	bool ram = dax_dev_is_system_ram(dev);
	json_object *jd = json_object_new_object();
	uint64_t v;
	int node;

	if (!jd)
		goto fail;
	if (json_add(jd, "chardev",
		     json_object_new_string(dax_dev_get_devname(dev))))
		goto fail;
	if (dax_dev_get_size(dev, &v) == 0 &&
	    json_add(jd, "size", json_size(v, human)))
		goto fail;
	if (dax_dev_get_target_node(dev, &node) == 0 && node >= 0 &&
	    json_add(jd, "target_node", json_int(node)))
		goto fail;
	if (dax_dev_get_align(dev, &v) == 0 && v &&
	    json_add(jd, "align", json_size(v, human)))
		goto fail;
	if (json_add(jd, "mode",
		     json_object_new_string(ram ? "system-ram" : "devdax")))
		goto fail;
	if (ram && add_memory(jd, dev))
		goto fail;
	if (!dax_dev_is_enabled(dev) &&
	    json_add(jd, "state", json_object_new_string("disabled")))
		goto fail;
	if ((flags & JSON_MAPPINGS) && add_mappings(jd, dev, flags))
		goto fail;
	return jd;
fail:
	json_object_put(jd);
	errno = ENOMEM;
	return NULL;
}

int json_array_add_dev(json_object *array, struct dax_dev *dev,
		       unsigned int flags)
{
	json_object *jd = dev_to_json(dev, flags);

	if (!jd || json_object_array_add(array, jd) < 0) {
		json_object_put(jd);
		return -ENOMEM;
	}
	return 0;
}
