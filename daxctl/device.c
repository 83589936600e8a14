// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl destroy-device and reconfigure-device: remove devices, change
 * their size and align, or their mode (memory.c does that part).
 *
 * Differences from upstream daxctl, on purpose:
 *  - several device arguments may be given (upstream: one, or "all");
 *  - a device named that does not exist, and a selection that matches
 *    nothing, are errors (ENODEV); upstream v79+ returned 0;
 *  - destroying an enabled device without --force keeps upstream's message
 *    but gives EBUSY (the device is busy), not ENXIO;
 *  - reconfigure-device -s/-a checks every selected device before writing
 *    anything (state, granularity, capacity), refuses an enabled device
 *    with a hint, and with --force disables, changes and re-enables it as
 *    one transaction: on failure the size, align and binding are restored;
 *  - -a without -s works (upstream also reported "unknown mode");
 *    -m together with -s/-a, an unknown mode, and --no-online or
 *    --no-movable without --mode=system-ram are usage errors (upstream
 *    ignored -m, or failed per device);
 *  - the JSON of every reconfigured device is printed (upstream: the last
 *    one, and none after -s/-a);
 *  - --check-config is not supported (EOPNOTSUPP: upstream's config
 *    files key devices by nvdimm UUIDs only); --input is in the option
 *    table for completion compatibility but refused (upstream ignored it);
 *  - errors keep the kernel's errno (upstream turned them into ENXIO).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "memory.h"
#include "util/size.h"

/* ---------------------------------------------------------- destroy */

struct destroy_opts {
	const char *region;
	bool force;
	bool human;
	bool verbose;
};

const struct option_desc destroy_options[] = {
	OPT_REGION(struct destroy_opts, region),
	OPT_BOOL('f', "force", struct destroy_opts, force,
		 "also destroy enabled devices (disabling them first)"),
	OPT_HUMAN_NO_JSON(struct destroy_opts, human),
	OPT_VERBOSE(struct destroy_opts, verbose),
	OPT_END(),
};

/* Online memory blocks of a system-ram device; 0 when none or unknown. */
static unsigned int online_blocks(struct dax_dev *dev)
{
	struct dax_memory *mem;

	if (!dax_dev_is_system_ram(dev))
		return 0;
	mem = dax_dev_get_memory(dev);
	return mem ? dax_memory_get_num_online(mem) : 0;
}

static int destroy_one(struct dax_dev *dev, bool force)
{
	struct dax_region *region = dax_dev_get_region(dev);
	unsigned int online;
	char name[64];
	int rc;

	snprintf(name, sizeof(name), "%s", dax_dev_get_devname(dev));
	if (!dax_region_is_dynamic(region)) {
		fprintf(stderr,
			"%s: static region (nvdimm): its devices cannot be "
			"destroyed\n",
			name);
		return -EOPNOTSUPP;
	}
	if (dax_dev_is_enabled(dev) && !force) {
		fprintf(stderr, "%s is active, specify --force for deletion\n",
			name);
		return -EBUSY;
	}
	online = online_blocks(dev);
	if (online) {
		fprintf(stderr,
			"%s: %u memory block(s) online: offline them first "
			"(daxctl offline-memory %s)\n",
			name, online, name);
		return -EBUSY;
	}
	rc = dax_dev_destroy(dev);
	if (rc < 0)
		fprintf(stderr, "%s: destroy failed: %s\n", name,
			strerror(-rc));
	return rc;
}

static int destroy_fn(struct dax_dev *dev, void *arg)
{
	return destroy_one(dev, *(const bool *)arg);
}

int cmd_destroy(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct destroy_opts o = {0};
	int rc, count;

	argc = parse_options(argc, argv, cmd->options, cmd->usage, &o);
	rc = for_each_device(argc, argv, cmd, o.region, o.verbose, "destroy",
			     false, destroy_fn, &o.force, &count);
	return finish_action("destroying", "destroyed", count, rc);
}

/* ------------------------------------------------------ reconfigure */

struct reconfig_opts {
	const char *region;
	const char *size;
	const char *align;
	const char *mode;
	const char *input;
	bool no_online;
	bool no_movable;
	bool force;
	bool check_config;
	bool human;
	bool verbose;
};

const struct option_desc reconfig_options[] = {
	OPT_REGION(struct reconfig_opts, region),
	OPT_STRING('s', "size", struct reconfig_opts, size, "size",
		   "new size (of a disabled device, or use --force)"),
	OPT_STRING('a', "align", struct reconfig_opts, align, "align",
		   "new alignment: 4k, 2m or 1g"),
	OPT_STRING('m', "mode", struct reconfig_opts, mode, "mode",
		   "system-ram or devdax"),
	OPT_BOOL('N', "no-online", struct reconfig_opts, no_online,
		 "system-ram: do not online the memory"),
	OPT_BOOL(0, "no-movable", struct reconfig_opts, no_movable,
		 "system-ram: online the memory as ZONE_NORMAL"),
	OPT_BOOL('f', "force", struct reconfig_opts, force,
		 "change enabled devices; -m: offline, override the policy"),
	OPT_BOOL('C', "check-config", struct reconfig_opts, check_config,
		 "use the configuration files (not supported)"),
	OPT_STRING(0, "input", struct reconfig_opts, input, "file",
		   "not used by reconfigure-device (see create-device)"),
	OPT_HUMAN(struct reconfig_opts, human),
	OPT_VERBOSE(struct reconfig_opts, verbose),
	OPT_END(),
};

/* What -s/-a ask of every device; set_size false keeps the size. */
struct change {
	bool set_size;
	uint64_t size;
	uint64_t align; /* 0: keep */
	bool force;
};

/* A device's state before the change, to put it back on failure. */
struct saved {
	uint64_t size;
	uint64_t align; /* 0: unknown */
	bool enabled;
	struct dax_range *ranges; /* in page_offset order, or NULL */
	unsigned int nr_ranges;
};

static uint64_t cur_size(struct dax_dev *dev)
{
	uint64_t v = 0;

	dax_dev_get_size(dev, &v);
	return v;
}

/* Checks that need no write, for one device. */
static int check_change(struct dax_dev *dev, const struct change *ch)
{
	const char *name = dax_dev_get_devname(dev);
	uint64_t granule = granule_for(NULL, dev, ch->align);
	uint64_t size = ch->set_size ? ch->size : cur_size(dev);
	const char *drv = dax_dev_get_driver_name(dev);
	char a[32], b[32];

	if (!dax_region_is_dynamic(dax_dev_get_region(dev))) {
		fprintf(stderr,
			"%s: static region (nvdimm): its size and align cannot "
			"be changed\n",
			name);
		return -EOPNOTSUPP;
	}
	switch (dax_dev_get_driver(dev)) {
	case DAX_DRIVER_KMEM:
		fprintf(stderr,
			"%s: in system-ram mode: only a devdax device can be "
			"resized or re-aligned\n",
			name);
		return -EBUSY;
	case DAX_DRIVER_OTHER:
		fprintf(stderr,
			"%s: bound to driver %s: disable it first (daxctl "
			"disable-device %s)\n",
			name, drv ? drv : "?", name);
		return -EBUSY;
	case DAX_DRIVER_DEVICE_DAX:
		if (ch->force)
			break;
		fprintf(stderr,
			"%s is active: disable it first (daxctl "
			"disable-device %s) or use --force\n",
			name, name);
		return -EBUSY;
	case DAX_DRIVER_NONE:
		break;
	}
	if (size % granule) {
		if (ch->set_size)
			fprintf(stderr, "%s: size %s is not a multiple of %s\n",
				name, format_size(size, a, sizeof(a)),
				format_size(granule, b, sizeof(b)));
		else
			fprintf(stderr,
				"%s: its size %s is not a multiple of %s: "
				"give a new size with -s\n",
				name, format_size(size, a, sizeof(a)),
				format_size(granule, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

/* Growth of the selected devices must fit each region's capacity. */
static int check_growth(struct dax_dev **devs, size_t n,
			const struct change *ch)
{
	char a[32], b[32];
	size_t i, k;
	int rc = 0;

	if (!ch->set_size)
		return 0;
	for (i = 0; i < n; i++) {
		struct dax_region *region = dax_dev_get_region(devs[i]);
		uint64_t need = 0, avail = 0;

		/* Once per region: at its first selected device. */
		for (k = 0; k < i; k++)
			if (dax_dev_get_region(devs[k]) == region)
				break;
		if (k < i)
			continue;
		for (k = i; k < n; k++) {
			uint64_t cur = cur_size(devs[k]);

			if (dax_dev_get_region(devs[k]) == region &&
			    ch->size > cur)
				need += ch->size - cur;
		}
		if (!need)
			continue;
		if (dax_region_get_available_size(region, &avail) < 0 ||
		    need > avail) {
			fprintf(stderr,
				"region %d: growing needs %s but only %s is "
				"available\n",
				dax_region_get_id(region),
				format_size(need, a, sizeof(a)),
				format_size(avail, b, sizeof(b)));
			rc = -ENOSPC;
		}
	}
	return rc;
}

static void save_state(struct dax_dev *dev, struct saved *s)
{
	struct dax_mapping *m;
	unsigned int n = 0;

	*s = (struct saved){.size = cur_size(dev),
			    .enabled = dax_dev_is_enabled(dev)};
	if (dax_dev_get_align(dev, &s->align) < 0)
		s->align = 0;
	dax_mapping_foreach (dev, m)
		n++;
	if (!n)
		return;
	s->ranges = calloc(n, sizeof(*s->ranges));
	if (!s->ranges)
		return;
	dax_mapping_foreach (dev, m) {
		s->ranges[s->nr_ranges].start = dax_mapping_get_start(m);
		s->ranges[s->nr_ranges++].end = dax_mapping_get_end(m);
	}
}

/*
 * Give back the ranges a shrink took: the tail of the saved ranges beyond
 * the current size, with dax_dev_add_range(), so the physical pages stay
 * at their offsets (a plain grow could take other memory).
 */
static int regrow(struct dax_dev *dev, const struct saved *s, uint64_t cur)
{
	uint64_t at = 0;
	unsigned int i;
	int rc;

	if (!s->ranges)
		return dax_dev_set_size(dev, s->size);
	for (i = 0; i < s->nr_ranges; i++) {
		struct dax_range r = s->ranges[i];
		uint64_t len = r.end - r.start + 1;

		if (at + len > cur) {
			if (at < cur)
				r.start += cur - at;
			rc = dax_dev_add_range(dev, &r);
			if (rc < 0)
				return rc;
		}
		at += len;
	}
	return 0;
}

static int restore_size(struct dax_dev *dev, const struct saved *s)
{
	uint64_t cur = cur_size(dev);

	if (cur > s->size)
		return dax_dev_set_size(dev, s->size);
	if (cur < s->size)
		return regrow(dev, s, cur);
	return 0;
}

/*
 * Put back size and align (the caller re-enables). Which must go first
 * depends on how far the change got; the align is tried first, and a
 * refused write changes nothing, so the other order can follow.
 */
static int restore(struct dax_dev *dev, const struct saved *s)
{
	uint64_t align = 0;
	int rc;

	if (!s->align || dax_dev_get_align(dev, &align) < 0 ||
	    align == s->align)
		return restore_size(dev, s);
	rc = dax_dev_set_align(dev, s->align);
	if (rc == 0)
		return restore_size(dev, s);
	rc = restore_size(dev, s);
	return rc ? rc : dax_dev_set_align(dev, s->align);
}

/*
 * The order of the writes: the kernel checks a size against the align in
 * place, and an align against the ranges in place. So a larger align comes
 * after a shrink (the ranges left must fit it), anything else first.
 */
static int apply(struct dax_dev *dev, const char *name, const struct change *ch,
		 const struct saved *s)
{
	bool size_first = ch->set_size && ch->align && ch->size < s->size &&
			  ch->align > s->align;
	char a[32];
	int rc = 0;

	if (size_first) {
		rc = dax_dev_set_size(dev, ch->size);
		if (rc < 0)
			goto size_failed;
	}
	if (ch->align) {
		rc = dax_dev_set_align(dev, ch->align);
		if (rc < 0) {
			fprintf(stderr, "%s: cannot set the align to %s: %s\n",
				name, format_size(ch->align, a, sizeof(a)),
				strerror(-rc));
			return rc;
		}
	}
	if (ch->set_size && !size_first) {
		rc = dax_dev_set_size(dev, ch->size);
		if (rc < 0)
			goto size_failed;
	}
	return 0;
size_failed:
	fprintf(stderr, "%s: cannot set the size to %s: %s\n", name,
		format_size(ch->size, a, sizeof(a)), strerror(-rc));
	return rc;
}

static int resize_one(struct dax_dev *dev, const struct change *ch)
{
	struct dax_region *region = dax_dev_get_region(dev);
	struct saved s;
	char name[64];
	int rc, r;

	snprintf(name, sizeof(name), "%s", dax_dev_get_devname(dev));
	rc = dax_region_lock(region);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot lock region %d: %s\n", name,
			dax_region_get_id(region), strerror(-rc));
		return rc;
	}
	/* Under the lock (call_locked()): checked and saved as it is now. */
	s = (struct saved){0};
	rc = check_change(dev, ch);
	if (rc < 0)
		goto out;
	save_state(dev, &s);
	if (s.enabled) {
		rc = dax_dev_disable(dev);
		if (rc < 0) {
			fprintf(stderr, "%s: disable failed: %s\n", name,
				strerror(-rc));
			goto out;
		}
	}
	rc = apply(dev, name, ch, &s);
	if (rc == 0 && s.enabled && ch->set_size && ch->size == 0) {
		/* A device of size 0 cannot be bound: it stays disabled. */
		fprintf(stderr, "%s: size 0, left disabled\n", name);
	} else if (rc == 0 && s.enabled) {
		rc = dax_dev_enable(dev, DAX_DRIVER_DEVICE_DAX);
		if (rc < 0)
			fprintf(stderr,
				"%s: enable failed after the change: %s\n",
				name, strerror(-rc));
	}
	if (rc == 0)
		goto out;
	/*
	 * Undo: size and align first, then the binding, as it was: a device
	 * that was enabled misaligned (forced once) is enabled again so.
	 */
	r = restore(dev, &s);
	if (r == 0 && s.enabled)
		r = dax_dev_enable_flags(dev, DAX_DRIVER_DEVICE_DAX,
					 DAX_MODE_MISALIGNED);
	if (r < 0)
		fprintf(stderr,
			"%s: could not restore its previous state: %s "
			"(daxctl list -M -d %s shows what is left)\n",
			name, strerror(-r), name);
	else
		fprintf(stderr, "%s: restored its previous %s\n", name,
			s.enabled ? "size, align and binding"
				  : "size and align");
out:
	free(s.ranges);
	dax_region_unlock(region);
	return rc;
}

static int resize_fn(struct dax_dev *dev, void *arg)
{
	return resize_one(dev, arg);
}

static int mode_fn(struct dax_dev *dev, void *arg)
{
	return mode_one(dev, arg);
}

/* Usage checks of reconfigure-device's options; exits 129. */
static void check_reconfig_usage(const struct reconfig_opts *o,
				 const struct daxctl_cmd *cmd)
{
	const char *u = cmd->usage;
	const struct option_desc *opts = cmd->options;

	if (o->input)
		usage_with_error(u, opts,
				 "--input is not used by reconfigure-device "
				 "(create-device --input recreates devices)");
	if (o->check_config && (o->mode || o->no_online || o->no_movable))
		usage_with_error(u, opts,
				 "-C cannot be used with --mode, "
				 "--(no-)movable, or --(no-)online");
	if (o->check_config)
		return;
	if (!o->size && !o->align && !o->mode)
		usage_with_error(u, opts,
				 "a 'align', 'mode' or 'size' option is "
				 "required");
	if (o->mode && (o->size || o->align))
		usage_with_error(u, opts,
				 "--mode cannot be combined with --size or "
				 "--align: run one command for each");
	if (o->mode && strcmp(o->mode, "devdax") != 0 &&
	    strcmp(o->mode, "system-ram") != 0)
		usage_with_error(u, opts,
				 "invalid mode \"%s\": expected system-ram or "
				 "devdax",
				 o->mode);
	if (o->no_online && o->mode && strcmp(o->mode, "devdax") == 0)
		usage_with_error(u, opts,
				 "--no-online is incompatible with "
				 "--mode=devdax");
	if ((o->no_online || o->no_movable) &&
	    (!o->mode || strcmp(o->mode, "system-ram") != 0))
		usage_with_error(u, opts,
				 "--no-online and --no-movable only apply to "
				 "--mode=system-ram");
}

int cmd_reconfig(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct reconfig_opts o = {0};
	struct change ch = {0};
	struct mode_req mode = {0};
	struct region_filter rf;
	struct dev_filter *f;
	struct dax_dev **devs = NULL, **done = NULL;
	struct dax_ctx *ctx = NULL;
	size_t i, n = 0, ndone = 0;
	int rc;

	argc = parse_options(argc, argv, cmd->options, cmd->usage, &o);
	check_reconfig_usage(&o, cmd);
	parse_region_arg(o.region, cmd, &rf);
	if (o.size) {
		ch.set_size = true;
		ch.size = parse_size_arg(o.size, "size", cmd);
	}
	if (o.align)
		ch.align = parse_align_arg(o.align, cmd);
	ch.force = o.force;
	f = parse_device_args(argc, argv, cmd, "reconfigure");

	if (o.check_config) {
		fprintf(stderr, "error: --check-config is not supported\n");
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (o.mode) {
		mode.devdax = strcmp(o.mode, "devdax") == 0;
		mode.how = o.no_online	  ? DAX_ONLINE_NONE
			   : o.no_movable ? DAX_ONLINE_KERNEL
					  : DAX_ONLINE_MOVABLE;
		mode.force = o.force;
	}
	rc = action_open(o.verbose, &ctx);
	if (rc < 0)
		goto out;
	if (o.align)
		check_align_arg(ctx, ch.align, o.align, cmd);
	rc = select_devices(ctx, &rf, f, argc, false, &devs, &n);
	if (rc < 0)
		goto out;
	if (!o.mode) {
		for (i = 0; i < n; i++) {
			int r = check_change(devs[i], &ch);

			if (r < 0)
				rc = r;
		}
		if (rc == 0)
			rc = check_growth(devs, n, &ch);
		if (rc < 0)
			goto out;
	}
	done = calloc(n, sizeof(*done));
	if (!done) {
		rc = -ENOMEM;
		fprintf(stderr, "error: out of memory\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		int r = o.mode ? call_locked(devs[i], mode_fn, &mode)
			       : call_locked(devs[i], resize_fn, &ch);

		if (r < 0)
			rc = r;
		else
			done[ndone++] = devs[i];
	}
	if (ndone) {
		int r = print_devices(done, ndone, o.human);

		if (r < 0)
			rc = r;
	}
out:
	free(done);
	free(devs);
	free(f);
	dax_ctx_unref(ctx);
	return finish_action("reconfiguring", "reconfigured", (int)ndone, rc);
}
