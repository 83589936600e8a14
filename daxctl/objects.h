/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * JSON objects for regions, devices and mappings, with upstream daxctl's
 * key names and order. Shared by list and the commands that print devices.
 */
#ifndef DAXCTL_OBJECTS_H
#define DAXCTL_OBJECTS_H

#include <libdax.h>

#include "json.h"

enum {
	JSON_HUMAN = 1 << 0, /* -u: human sizes, hex addresses */
	JSON_MAPPINGS = 1 << 1, /* -M: add each device's mappings */
	JSON_PERFORMANCE = 1 << 2, /* -P: add each region's node figures */
};

/*
 * region_to_json() - the region's members, into the object the caller has
 * opened (list nests the devices in it). dev_to_json() - the device as one
 * object, a member of the open array. Attributes that cannot be read are
 * left out, as upstream does; errors stay in @w (json.h). With
 * JSON_PERFORMANCE a region also gets "target_node" and, where the kernel
 * reports them, "memory_side_cache" (one object per level) and "access"
 * (one object per access class): keys upstream does not have, so only
 * on request.
 */
void region_to_json(struct jw *w, struct dax_region *region,
		    unsigned int flags);
void dev_to_json(struct jw *w, struct dax_dev *dev, unsigned int flags);
/*
 * json_set_layout() - from now on dev_to_json() adds "layout": the name
 * the layout gives the device, when it is one of the layout's. NULL: no.
 */
void json_set_layout(struct dax_layout *layout);

#endif /* DAXCTL_OBJECTS_H */
