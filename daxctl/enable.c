// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl enable-device / disable-device: bind devices to device_dax, or
 * unbind them.
 *
 * Differences from upstream daxctl, on purpose:
 *  - several device arguments may be given (upstream: one, or "all");
 *  - enable-device's missing-argument message says "enable" (upstream said
 *    "disable");
 *  - a device named that does not exist, and a selection that matches
 *    nothing, are errors (ENODEV); upstream v79+ returned 0, v76.1 ENXIO;
 *  - a system-ram device keeps upstream's message but gives EBUSY (it is in
 *    use as memory) instead of ENXIO;
 *  - "enable-device all" skips devices of size 0, which cannot be enabled
 *    (upstream failed with ENXIO on them); a device of size 0 named
 *    explicitly is an error that says to give it a size;
 *  - a device already in the requested state counts as done without any
 *    write; enabling binds device_dax without touching other devices
 *    (upstream's new_id write re-probes every unbound device on 6.1);
 *  - a misaligned device (a range off its align, which upstream 76.1 can
 *    make) is refused with EINVAL unless --force: device_dax would map
 *    memory outside it (libdax.h: dax_dev_is_misaligned()).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"

struct enable_opts {
	const char *region;
	bool human;
	bool verbose;
	bool force;
};

const struct option_desc enable_options[] = {
	OPT_REGION(struct enable_opts, region),
	OPT_HUMAN_NO_JSON(struct enable_opts, human),
	OPT_VERBOSE(struct enable_opts, verbose),
	OPT_BOOL('f', "force", struct enable_opts, force,
		 "enable a misaligned device (maps memory outside it)"),
	OPT_END(),
};

const struct option_desc disable_options[] = {
	OPT_REGION(struct enable_opts, region),
	OPT_HUMAN_NO_JSON(struct enable_opts, human),
	OPT_VERBOSE(struct enable_opts, verbose),
	OPT_END(),
};

static int enable_one(struct dax_dev *dev, const char *name, bool force)
{
	const char *drv = dax_dev_get_driver_name(dev);
	uint64_t size;
	int rc;

	switch (dax_dev_get_driver(dev)) {
	case DAX_DRIVER_DEVICE_DAX:
		return 0; /* already enabled */
	case DAX_DRIVER_KMEM:
		fprintf(stderr,
			"%s: status operations are only applicable in devdax "
			"mode\n",
			name);
		return -EBUSY;
	case DAX_DRIVER_OTHER:
		fprintf(stderr,
			"%s: bound to driver %s: disable it first "
			"(daxctl disable-device %s)\n",
			name, drv ? drv : "?", name);
		return -EBUSY;
	case DAX_DRIVER_NONE:
		break;
	}
	if (dax_dev_get_size(dev, &size) == 0 && size == 0) {
		fprintf(stderr,
			"%s: size is 0: give it a size first (daxctl "
			"reconfigure-device -s SIZE %s)\n",
			name, name);
		return -ENXIO;
	}
	/* The library refuses it (and says why) unless forced. */
	if (force && dax_dev_is_misaligned(dev) == 1)
		fprintf(stderr,
			"%s: warning: misaligned, enabled anyway (--force): "
			"it maps memory outside its ranges\n",
			name);
	rc = dax_dev_enable_flags(dev, DAX_DRIVER_DEVICE_DAX,
				  force ? DAX_MODE_MISALIGNED : 0);
	if (rc < 0)
		fprintf(stderr, "%s: enable failed: %s\n", name, strerror(-rc));
	return rc;
}

static int disable_one(struct dax_dev *dev, const char *name)
{
	int rc;

	switch (dax_dev_get_driver(dev)) {
	case DAX_DRIVER_NONE:
		return 0; /* already disabled */
	case DAX_DRIVER_KMEM:
		fprintf(stderr,
			"%s: status operations are only applicable in devdax "
			"mode\n",
			name);
		return -EBUSY;
	case DAX_DRIVER_DEVICE_DAX:
	case DAX_DRIVER_OTHER:
		break;
	}
	rc = dax_dev_disable(dev);
	if (rc < 0)
		fprintf(stderr, "%s: disable failed: %s\n", name,
			strerror(-rc));
	return rc;
}

static int enable_fn(struct dax_dev *dev, void *arg)
{
	const struct enable_opts *o = arg;
	char name[64];

	/* Enabling may re-create the device under another name. */
	snprintf(name, sizeof(name), "%s", dax_dev_get_devname(dev));
	return enable_one(dev, name, o->force);
}

static int disable_fn(struct dax_dev *dev, void *arg)
{
	return disable_one(dev, dax_dev_get_devname(dev));
}

static int run(int argc, const char **argv, const struct daxctl_cmd *cmd,
	       bool enable)
{
	struct enable_opts o = {0};
	int rc, count;

	argc = parse_options(argc, argv, cmd->options, cmd->usage, &o);
	rc = for_each_device(argc, argv, cmd, o.region, o.verbose,
			     enable ? "enable" : "disable", enable,
			     enable ? enable_fn : disable_fn, &o, &count);
	return enable ? finish_action("enabling", "enabled", count, rc)
		      : finish_action("disabling", "disabled", count, rc);
}

int cmd_enable(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	return run(argc, argv, cmd, true);
}

int cmd_disable(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	return run(argc, argv, cmd, false);
}
