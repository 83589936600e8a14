/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * JSON objects for regions, devices and mappings, with upstream daxctl's
 * key names and order. Shared by list and the commands that print devices.
 */
#ifndef DAXCTL_OBJECTS_H
#define DAXCTL_OBJECTS_H

#include <json-c/json.h>
#include <libdax.h>

enum {
	JSON_HUMAN = 1 << 0, /* -u: human sizes, hex addresses */
	JSON_MAPPINGS = 1 << 1, /* -M: add each device's mappings */
};

/*
 * Each returns a new object, or NULL with errno ENOMEM. Attributes that
 * cannot be read are left out, as upstream does.
 */
json_object *region_to_json(struct dax_region *region, unsigned int flags);
json_object *dev_to_json(struct dax_dev *dev, unsigned int flags);
json_object *mapping_to_json(struct dax_mapping *mapping, unsigned int flags);

/*
 * json_array_add_dev() - append dev_to_json(@dev, @flags) to @array: what
 * list and the commands that print the devices they made or changed do.
 * Return: 0, or -ENOMEM.
 */
int json_array_add_dev(json_object *array, struct dax_dev *dev,
		       unsigned int flags);

#endif /* DAXCTL_OBJECTS_H */
