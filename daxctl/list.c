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
 *  - a region path outside /sys/devices is shown whole (upstream failed);
 *  - a device of the system's layout (daxctl-layout(5)) has "layout", its
 *    name there; without layout files the output is upstream's;
 *  - -P/--performance (ours) adds each region's target node, memory-side
 *    caches and access figures; without it the output is upstream's.
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
	bool performance;
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
	OPT_BOOL('P', "performance", struct list_opts, performance,
		 "include regions with their node's memory-side caches and "
		 "access figures"),
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

/*
 * The region's shown devices, as members of the open array, or with
 * @key as a new array member of the open object; nothing when none is
 * shown.
 */
static void add_devices(struct list_ctx *lc, struct dax_region *region,
			struct jw *w, const char *key)
{
	struct dax_dev *dev = dax_dev_get_first(region);
	int err = errno;

	/* Report a region whose devices cannot be read, list the others. */
	if (!dev && err) {
		fprintf(stderr, "error: %s: cannot list devices: %s\n",
			dax_region_get_devname(region), strerror(err));
		if (!lc->rc)
			lc->rc = -err;
		return;
	}
	while (dev && !dev_shown(lc, dev))
		dev = dax_dev_get_next(dev);
	if (!dev)
		return;
	if (key)
		jw_open(w, key, '[');
	for (; dev; dev = dax_dev_get_next(dev))
		if (dev_shown(lc, dev))
			dev_to_json(w, dev, lc->flags);
	if (key)
		jw_close(w);
}

static void add_region(struct list_ctx *lc, struct dax_region *region,
		       struct jw *w)
{
	if (!lc->opts->regions) {
		if (lc->opts->devices)
			add_devices(lc, region, w, NULL);
		return;
	}
	jw_open(w, NULL, '{');
	region_to_json(w, region, lc->flags);
	/* Only regions with at least one shown device get the key. */
	if (lc->opts->devices)
		add_devices(lc, region, w, "devices");
	jw_close(w);
}

static int list(struct list_ctx *lc, const struct region_filter *rf,
		struct jw *w)
{
	struct dax_layout *layout = NULL;
	struct dax_region *region;
	struct dax_ctx *ctx;
	int rc;

	rc = dax_ctx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "error: cannot create a libdax context: %s\n",
			strerror(-rc));
		return rc;
	}
	/* Names from the layout files; a broken layout only costs the names. */
	if (dax_layout_new(ctx, &layout) == 0 &&
	    dax_layout_load_default(layout) == 0)
		json_set_layout(layout);
	region = dax_region_get_first(ctx);
	if (!region && errno) {
		rc = -errno;
		fprintf(stderr, "error: cannot list regions: %s\n",
			strerror(errno));
	}
	for (; region; region = dax_region_get_next(region))
		if (region_filter_match(rf, dax_region_get_id(region)))
			add_region(lc, region, w);
	if (rc == 0)
		rc = json_print_list(stdout, w, lc->opts->human);
	json_set_layout(NULL);
	dax_layout_free(layout);
	dax_ctx_unref(ctx);
	return rc ? rc : lc->rc;
}

int cmd_list(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct list_opts o = {0};
	struct list_ctx lc = {.opts = &o};
	struct region_filter rf;
	const char *why;
	struct jw w;
	int rc;

	parse_options_max(argc, argv, cmd->options, cmd->usage, &o, 0);
	if (region_filter_parse(o.region, &rf, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid region \"%s\": %s", o.region, why);
	if (dev_filter_parse(o.dev, &lc.df, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid device \"%s\": %s", o.dev, why);

	/* -P is about regions: it shows them (not upstream's, so no -R). */
	if (o.performance)
		o.regions = true;
	/* Without -R or -D, a filter picks what to show; else devices. */
	if (!o.regions && !o.devices) {
		o.regions = o.region != NULL;
		o.devices = o.dev != NULL || o.region == NULL;
	}
	lc.flags = (o.human ? JSON_HUMAN : 0) |
		   (o.mappings ? JSON_MAPPINGS : 0) |
		   (o.performance ? JSON_PERFORMANCE : 0);

	jw_init(&w);
	rc = list(&lc, &rf, &w);
	jw_release(&w);
	return rc;
}
