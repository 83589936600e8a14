// SPDX-License-Identifier: GPL-2.0-only
/*
 * System-RAM: reconfigure-device --mode (the work of one device),
 * online-memory and offline-memory.
 *
 * Differences from upstream daxctl, on purpose:
 *  - the zone asked for is the zone delivered: when the kernel's
 *    auto-online policy would online the memory itself (Debian's 6.12:
 *    "online"), the default movable switch and --no-online are refused as
 *    upstream does, but --force holds the policy at "offline" while the
 *    device is hot-plugged (and writes it back) instead of letting the
 *    kernel pick the zone; blocks found online in another zone than asked
 *    are an error, not a silent success;
 *  - kmem is loaded only when its driver is missing; on 6.3+ loading it
 *    hot-plugs every unbound device with a size, so those are named and
 *    the switch is refused without --force;
 *  - a device without a target node, one whose ranges hold no whole
 *    memory block, and a devdax device that a process has open or mapped
 *    are refused before any write;
 *  - --mode=devdax --force offlines all the memory or none of it: when a
 *    block cannot be offlined the device stays system-ram, fully online;
 *    every failure puts the device back where it was;
 *  - online-memory of a device whose memory is all online, and
 *    offline-memory of one whose memory is all offline, succeed (upstream
 *    v79+ exits 1), and there is no "race" warning when some blocks were
 *    online already;
 *  - -u is accepted by online-memory/offline-memory for compatibility; they
 *    print no JSON (as upstream).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "action.h"
#include "memory.h"

static const char *zone_name(enum dax_online how)
{
	return how == DAX_ONLINE_MOVABLE ? "ZONE_MOVABLE" : "ZONE_NORMAL";
}

/* After a refusal: does --force help with the policy? */
static void policy_hint(struct dax_dev *dev, enum dax_online how)
{
	int policy = dax_ctx_get_auto_online(dax_dev_get_ctx(dev));

	if (policy < 0 || !dax_auto_online_differs(policy, how))
		return;
	fprintf(stderr,
		"%s: use --force to hold the policy at offline while it is "
		"hot-plugged%s\n",
		dax_dev_get_devname(dev),
		how == DAX_ONLINE_MOVABLE ? ", or --no-movable" : "");
}

static int to_system_ram(struct dax_dev *dev, const struct mode_req *m)
{
	const char *name = dax_dev_get_devname(dev);
	unsigned int flags = 0;
	uint64_t size = 0;
	int rc;

	if (dax_dev_is_system_ram(dev))
		fprintf(stderr, "%s was already in system-ram mode\n", name);
	else if (dax_dev_get_size(dev, &size) == 0 && size == 0) {
		fprintf(stderr,
			"%s: size is 0: give it a size first (daxctl "
			"reconfigure-device -s SIZE %s)\n",
			name, name);
		return -ENXIO;
	}
	if (m->force)
		flags = DAX_MODE_HOLD_POLICY | DAX_MODE_LOAD_ANYWAY |
			DAX_MODE_UNSEEN_USERS;
	rc = dax_dev_to_system_ram(dev, m->how, flags);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot switch to system-ram: %s\n", name,
			strerror(-rc));
		if (rc == -EBUSY && !m->force)
			policy_hint(dev, m->how);
	}
	return rc;
}

static int to_devdax(struct dax_dev *dev, const struct mode_req *m)
{
	const char *name = dax_dev_get_devname(dev);
	const char *drv = dax_dev_get_driver_name(dev);
	struct dax_memory *mem;
	uint64_t size = 0;
	int rc;

	switch (dax_dev_get_driver(dev)) {
	case DAX_DRIVER_DEVICE_DAX:
		fprintf(stderr, "%s was already in devdax mode\n", name);
		return 0;
	case DAX_DRIVER_OTHER:
		fprintf(stderr,
			"%s: bound to driver %s: disable it first (daxctl "
			"disable-device %s)\n",
			name, drv ? drv : "?", name);
		return -EBUSY;
	case DAX_DRIVER_NONE:
		if (dax_dev_get_size(dev, &size) == 0 && size == 0) {
			fprintf(stderr,
				"%s: size is 0: give it a size first (daxctl "
				"reconfigure-device -s SIZE %s)\n",
				name, name);
			return -ENXIO;
		}
		break;
	case DAX_DRIVER_KMEM:
		mem = dax_dev_get_memory(dev);
		if (mem && dax_memory_get_num_online(mem) && !m->force) {
			fprintf(stderr,
				"%s: %u memory block(s) online: use --force to "
				"offline them, or daxctl offline-memory %s\n",
				name, dax_memory_get_num_online(mem), name);
			return -EBUSY;
		}
		break;
	}
	/* --force as for enable-device: a misaligned device too. */
	rc = dax_dev_to_devdax(
		dev, m->force ? DAX_MODE_OFFLINE | DAX_MODE_MISALIGNED : 0);
	if (rc < 0)
		fprintf(stderr, "%s: cannot switch to devdax: %s\n", name,
			strerror(-rc));
	return rc;
}

int mode_one(struct dax_dev *dev, const struct mode_req *m)
{
	/* The library's warnings (bystanders) matter here. */
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);

	if (dax_ctx_get_log_priority(ctx) < LOG_WARNING)
		dax_ctx_set_log_priority(ctx, LOG_WARNING);
	return m->devdax ? to_devdax(dev, m) : to_system_ram(dev, m);
}

/* ------------------------------------------------ online / offline */

struct memory_opts {
	const char *region;
	bool no_movable;
	bool human;
	bool verbose;
};

const struct option_desc online_options[] = {
	OPT_REGION(struct memory_opts, region),
	OPT_BOOL(0, "no-movable", struct memory_opts, no_movable,
		 "online the memory as ZONE_NORMAL"),
	OPT_HUMAN_NO_JSON(struct memory_opts, human),
	OPT_VERBOSE(struct memory_opts, verbose),
	OPT_END(),
};

const struct option_desc offline_options[] = {
	OPT_REGION(struct memory_opts, region),
	OPT_HUMAN_NO_JSON(struct memory_opts, human),
	OPT_VERBOSE(struct memory_opts, verbose),
	OPT_END(),
};

static int memory_one(struct dax_dev *dev, bool online, bool no_movable,
		      bool verbose)
{
	const char *name = dax_dev_get_devname(dev);
	const char *state = online ? "online" : "offline";
	enum dax_online how =
		no_movable ? DAX_ONLINE_KERNEL : DAX_ONLINE_MOVABLE;
	struct dax_memory *mem;
	unsigned int total, on, already;
	int rc;

	if (!dax_dev_is_system_ram(dev)) {
		fprintf(stderr,
			"%s: memory operations are not applicable in devdax "
			"mode\n",
			name);
		return -ENXIO;
	}
	mem = dax_dev_get_memory(dev);
	if (!mem) {
		rc = -errno;
		fprintf(stderr, "%s: cannot read its memory blocks: %s\n", name,
			strerror(-rc));
		return rc;
	}
	total = dax_memory_get_num_blocks(mem);
	on = dax_memory_get_num_online(mem);
	already = online ? on : total - on;
	if (already == total) {
		fprintf(stderr, "%s: all memory sections (%u) already %s\n",
			name, total, state);
		return 0;
	}
	if (already)
		fprintf(stderr, "%s: %u memory section%s already %s\n", name,
			already, already == 1 ? "" : "s", state);
	rc = online ? dax_memory_online(mem, how) : dax_memory_offline(mem);
	if (rc < 0) {
		fprintf(stderr, "%s: failed to %s memory: %s\n", name, state,
			strerror(-rc));
		return rc;
	}
	if (verbose)
		fprintf(stderr, "%s: %d memory section%s %sd%s%s\n", name, rc,
			rc == 1 ? "" : "s", online ? "online" : "offline",
			online ? " in " : "", online ? zone_name(how) : "");
	if (online && dax_memory_is_movable(mem) == (how == DAX_ONLINE_KERNEL))
		fprintf(stderr,
			"%s: warning: blocks that were online already are "
			"not in %s\n",
			name, zone_name(how));
	return 0;
}

static int online_fn(struct dax_dev *dev, void *arg)
{
	const struct memory_opts *o = arg;

	return memory_one(dev, true, o->no_movable, o->verbose);
}

static int offline_fn(struct dax_dev *dev, void *arg)
{
	const struct memory_opts *o = arg;

	return memory_one(dev, false, false, o->verbose);
}

static int run(int argc, const char **argv, const struct daxctl_cmd *cmd,
	       bool online)
{
	struct memory_opts o = {0};
	int rc, count;

	argc = parse_options(argc, argv, cmd->options, cmd->usage, &o);
	rc = for_each_device(argc, argv, cmd, o.region, o.verbose,
			     online ? "online" : "offline", false,
			     online ? online_fn : offline_fn, &o, &count);
	if (rc < 0)
		fprintf(stderr, "error %s memory: %s\n",
			online ? "onlining" : "offlining", strerror(-rc));
	fprintf(stderr, "%s memory for %d device%s\n",
		online ? "onlined" : "offlined", count, count == 1 ? "" : "s");
	return rc;
}

int cmd_online_memory(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	return run(argc, argv, cmd, true);
}

int cmd_offline_memory(int argc, const char **argv,
		       const struct daxctl_cmd *cmd)
{
	return run(argc, argv, cmd, false);
}
