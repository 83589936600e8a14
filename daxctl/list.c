// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl list: regions and devices as JSON.
 *
 * Differences from upstream daxctl, on purpose:
 *  - regions and devices come out sorted by id, mappings by page_offset
 *    (upstream: readdir order, and mappings in reverse);
 *  - a device without a /dev/daxR.N node is still listed (upstream skipped
 *    it);
 *  - a malformed -r or -d value is a usage error (upstream matched nothing);
 *  - a region path outside /sys/devices is shown whole (upstream failed).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdax.h>

#include "builtin.h"
#include "filter.h"
#include "json.h"
#include "objects.h"

struct list_opts {
	const char *region;
	const char *dev;
	bool devices;
	bool regions;
	bool mappings;
	bool idle;
	bool human;
};

const struct option_desc list_options[] = {
	OPT_REGION(struct list_opts, region),
	OPT_STRING('d', "dev", struct list_opts, dev, "dev-id",
		   "filter by device: daxR.N, R.N, /dev/daxR.N or all"),
	OPT_BOOL('D', "devices", struct list_opts, devices,
		 "include devices (the default)"),
	OPT_BOOL('R', "regions", struct list_opts, regions, "include regions"),
	OPT_BOOL('M', "mappings", struct list_opts, mappings,
		 "include each device's physical ranges"),
	OPT_BOOL('i', "idle", struct list_opts, idle,
		 "include idle (zero-sized) devices"),
	OPT_HUMAN(struct list_opts, human),
	OPT_END(),
};

struct list_ctx {
	const struct list_opts *opts;
	struct dev_filter df;
	unsigned int flags;
	int rc; /* first enumeration error, reported after the output */
};

/* A zero-sized device is idle: shown only with -i. */
static bool dev_shown(struct list_ctx *lc, struct dax_dev *dev)
{
	struct dax_region *region = dax_dev_get_region(dev);
	uint64_t size;

	if (!dev_filter_match(&lc->df, dax_region_get_id(region),
			      dax_dev_get_id(dev)))
		return false;
	if (lc->opts->idle)
		return true;
	return dax_dev_get_size(dev, &size) == 0 && size > 0;
}

/* Append the region's shown devices to @array. */
static int add_devices(struct list_ctx *lc, struct dax_region *region,
		       json_object *array)
{
	struct dax_dev *dev = dax_dev_get_first(region);
	int err = errno;

	/* Report a region whose devices cannot be read, list the others. */
	if (!dev && err) {
		fprintf(stderr, "error: %s: cannot list devices: %s\n",
			dax_region_get_devname(region), strerror(err));
		if (!lc->rc)
			lc->rc = -err;
		return 0;
	}
	for (; dev; dev = dax_dev_get_next(dev))
		if (dev_shown(lc, dev) &&
		    json_array_add_dev(array, dev, lc->flags) < 0)
			return -ENOMEM;
	return 0;
}

static int add_region(struct list_ctx *lc, struct dax_region *region,
		      json_object *array)
{
	json_object *jr, *jdevs;
	int rc;

	if (!lc->opts->regions)
		return lc->opts->devices ? add_devices(lc, region, array) : 0;

	jr = region_to_json(region, lc->flags);
	if (!jr)
		return -ENOMEM;
	if (json_object_array_add(array, jr) < 0) {
		json_object_put(jr);
		return -ENOMEM;
	}
	if (!lc->opts->devices)
		return 0;
	jdevs = json_object_new_array();
	if (!jdevs)
		return -ENOMEM;
	rc = add_devices(lc, region, jdevs);
	/* Only regions with at least one shown device get the key. */
	if (rc == 0 && json_object_array_length(jdevs) > 0)
		return json_add(jr, "devices", jdevs);
	json_object_put(jdevs);
	return rc;
}

static int list(struct list_ctx *lc, const struct region_filter *rf,
		json_object *array)
{
	struct dax_region *region;
	struct dax_ctx *ctx;
	int rc;

	rc = dax_ctx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "error: cannot create a libdax context: %s\n",
			strerror(-rc));
		return rc;
	}
	region = dax_region_get_first(ctx);
	if (!region && errno) {
		rc = -errno;
		fprintf(stderr, "error: cannot list regions: %s\n",
			strerror(errno));
	}
	for (; region; region = dax_region_get_next(region)) {
		if (!region_filter_match(rf, dax_region_get_id(region)))
			continue;
		rc = add_region(lc, region, array);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = json_print_list(stdout, array, lc->opts->human);
	if (rc == -ENOMEM)
		fprintf(stderr, "error: out of memory\n");
	dax_ctx_unref(ctx);
	return rc ? rc : lc->rc;
}

int cmd_list(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct list_opts o = {0};
	struct list_ctx lc = {.opts = &o};
	struct region_filter rf;
	const char *why;
	json_object *array;
	int i, rc;

	argc = parse_options(argc, argv, cmd->options, cmd->usage, &o);
	for (i = 0; i < argc; i++)
		fprintf(stderr, " Error: unknown parameter \"%s\"\n", argv[i]);
	if (argc) {
		options_usage(stderr, cmd->usage, cmd->options);
		exit(129);
	}
	if (region_filter_parse(o.region, &rf, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid region \"%s\": %s", o.region, why);
	if (dev_filter_parse(o.dev, &lc.df, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid device \"%s\": %s", o.dev, why);

	/* Without -R or -D, a filter picks what to show; else devices. */
	if (!o.regions && !o.devices) {
		o.regions = o.region != NULL;
		o.devices = o.dev != NULL || o.region == NULL;
	}
	lc.flags =
		(o.human ? JSON_HUMAN : 0) | (o.mappings ? JSON_MAPPINGS : 0);

	array = json_object_new_array();
	if (!array) {
		fprintf(stderr, "error: out of memory\n");
		return -ENOMEM;
	}
	rc = list(&lc, &rf, array);
	json_object_put(array);
	return rc;
}
