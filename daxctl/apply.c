// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl apply: make the live devices what a layout declares
 * (daxctl-layout(5)), and print the plan as JSON: one object per layout
 * region, its result and its steps. Not in upstream daxctl, whose
 * daxctl.conf.d matches nvdimm namespaces only and cannot create devices.
 *
 * The JSON is built with json-c: a handful of objects, not list's
 * thousand-device hot path.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "json.h"

/* How long apply waits for udev to name the layout's devices. */
#define UDEV_WAIT_MS 10000

struct apply_opts {
	bool dry_run;
	bool claim;
	const char *udev;
	bool human;
	bool verbose;
};

const struct option_desc apply_options[] = {
	OPT_BOOL('n', "dry-run", struct apply_opts, dry_run,
		 "print the plan, change nothing"),
	OPT_BOOL(0, "claim", struct apply_opts, claim,
		 "only bind the layout regions' boot devices to device_dax"),
	OPT_STRING(0, "udev", struct apply_opts, udev, "device",
		   "only print the device's layout properties for udev"),
	OPT_HUMAN(struct apply_opts, human),
	OPT_VERBOSE(struct apply_opts, verbose),
	OPT_END(),
};

static const char *action_name(enum dax_step_action a)
{
	switch (a) {
	case DAX_STEP_KEEP:
		return "keep";
	case DAX_STEP_CREATE:
		return "create";
	case DAX_STEP_UPDATE:
		return "update";
	case DAX_STEP_DESTROY:
		return "destroy";
	case DAX_STEP_FOREIGN:
		return "foreign";
	default:
		return "blocked";
	}
}

static struct json_object *number(uint64_t v, bool human)
{
	char buf[64];

	if (!human)
		return json_object_new_uint64(v);
	format_hex(v, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static struct json_object *size_of(uint64_t v, bool human)
{
	char buf[64];

	if (!human || v < HUMAN_SIZE_MIN)
		return json_object_new_uint64(v);
	format_human_size(v, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static struct json_object *step_json(struct dax_plan_step *s, bool human)
{
	struct json_object *o = json_object_new_object(), *a;
	const struct dax_range *r;
	struct dax_dev *dev = dax_plan_step_get_dev(s);
	unsigned int n, i;
	uint64_t size = 0;

	json_object_object_add(o, "action",
			       json_object_new_string(action_name(
				       dax_plan_step_get_action(s))));
	if (dax_plan_step_get_name(s))
		json_object_object_add(
			o, "name",
			json_object_new_string(dax_plan_step_get_name(s)));
	if (dev)
		json_object_object_add(
			o, "chardev",
			json_object_new_string(dax_dev_get_devname(dev)));
	if (dax_plan_step_get_reason(s))
		json_object_object_add(
			o, "reason",
			json_object_new_string(dax_plan_step_get_reason(s)));
	n = dax_plan_step_get_ranges(s, &r);
	if (!n)
		return o;
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *m = json_object_new_object();

		json_object_object_add(m, "start", number(r[i].start, human));
		json_object_object_add(m, "end", number(r[i].end, human));
		json_object_array_add(a, m);
		size += r[i].end - r[i].start + 1;
	}
	json_object_object_add(o, "size", size_of(size, human));
	json_object_object_add(o, "ranges", a);
	return o;
}

static const char *result_name(int rc, bool applied, bool changes, bool blocked)
{
	if (rc == -EBUSY && blocked)
		return "blocked";
	if (rc < 0)
		return strerror(-rc);
	if (blocked)
		return "blocked";
	if (!changes)
		return "unchanged";
	return applied ? "applied" : "planned";
}

static int print_plan(struct dax_plan *plan, bool applied, bool human)
{
	struct json_object *top = json_object_new_array(), *reg = NULL,
			   *steps = NULL;
	struct dax_plan_step *s;
	const char *cur = NULL;
	bool changes = false, blocked = false;
	int rc = 0, res = 0;

	for (s = dax_plan_get_first_step(plan);;
	     s = dax_plan_step_get_next(s)) {
		if (reg &&
		    (!s || strcmp(cur, dax_plan_step_get_region_name(s)))) {
			json_object_object_add(
				reg, "result",
				json_object_new_string(result_name(
					res, applied, changes, blocked)));
			json_object_object_add(reg, "steps", steps);
			json_object_array_add(top, reg);
			reg = NULL;
		}
		if (!s)
			break;
		if (!reg) {
			cur = dax_plan_step_get_region_name(s);
			reg = json_object_new_object();
			json_object_object_add(reg, "region",
					       json_object_new_string(cur));
			json_object_object_add(
				reg, "id",
				json_object_new_int(dax_region_get_id(
					dax_plan_step_get_region(s))));
			steps = json_object_new_array();
			changes = blocked = false;
			res = dax_plan_step_get_result(s);
			if (res < 0 && !rc)
				rc = res;
		}
		switch (dax_plan_step_get_action(s)) {
		case DAX_STEP_BLOCKED:
			blocked = true;
			break;
		case DAX_STEP_CREATE:
		case DAX_STEP_UPDATE:
		case DAX_STEP_DESTROY:
			changes = true;
			break;
		default:
			break;
		}
		json_object_array_add(steps, step_json(s, human));
	}
	printf("%s\n",
	       json_object_to_json_string_ext(
		       top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	json_object_put(top);
	return rc;
}

/*
 * For a udev rule's IMPORT{program}: KEY=VALUE lines of what the layout
 * says about @name; nothing for a device of no layout.
 */
static int print_udev(struct dax_ctx *ctx, struct dax_layout *layout,
		      const char *name)
{
	struct dax_layout_match m;
	struct dax_dev *dev;
	int rc;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	dev = dax_dev_find(ctx, name);
	if (!dev) {
		fprintf(stderr, "error: %s: %s\n", name, strerror(errno));
		return -errno;
	}
	rc = dax_layout_match_dev(layout, dev, &m);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	printf("DAX_LAYOUT_NAME=%s\nDAX_LAYOUT_REGION=%s\n", m.name, m.region);
	if (m.owner[0])
		printf("DAX_LAYOUT_OWNER=%s\n", m.owner);
	if (m.group[0])
		printf("DAX_LAYOUT_GROUP=%s\n", m.group);
	if (m.permissions >= 0)
		printf("DAX_LAYOUT_MODE=%04o\n", (unsigned int)m.permissions);
	return 0;
}

int cmd_apply(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct apply_opts o = {0};
	struct dax_layout *layout = NULL;
	struct dax_plan *plan = NULL;
	struct dax_ctx *ctx;
	int i, rc;

	argc = parse_options(argc, argv, cmd->options, cmd->usage, &o);
	rc = action_open(o.verbose, &ctx);
	if (rc < 0)
		return rc;
	rc = dax_layout_new(ctx, &layout);
	if (rc == 0 && argc == 0)
		rc = dax_layout_load_default(layout);
	for (i = 0; i < argc && rc == 0; i++)
		rc = dax_layout_load(layout, argv[i]);
	if (rc == 0 && (o.claim || o.udev)) {
		if (o.claim) {
			rc = dax_layout_claim(layout);
			if (rc > 0)
				fprintf(stderr, "claimed %d device%s\n", rc,
					rc == 1 ? "" : "s");
		}
		if (rc >= 0 && o.udev)
			rc = print_udev(ctx, layout, o.udev);
		if (rc < 0)
			fprintf(stderr, "error: %s\n", strerror(-rc));
		goto out;
	}
	if (rc == 0)
		rc = dax_layout_plan(layout, &plan);
	if (rc < 0) {
		fprintf(stderr, "error: no plan: %s\n", strerror(-rc));
		goto out;
	}
	if (!o.dry_run) {
		rc = dax_plan_apply(plan);
		/*
		 * A boot service must not finish before udev has made the
		 * by-name links; without udevd there is nothing to wait for.
		 */
		if (rc == 0 &&
		    dax_plan_wait_udev(plan, UDEV_WAIT_MS) == -ETIMEDOUT)
			fprintf(stderr,
				"warning: udev did not name every "
				"device of the layout in %d s\n",
				UDEV_WAIT_MS / 1000);
	}
	rc = print_plan(plan, !o.dry_run, o.human) ?: rc;
	if (!o.dry_run)
		fprintf(stderr, "%s: %lu sysfs write%s\n",
			rc < 0 ? "not applied" : "applied",
			dax_plan_get_writes(plan),
			dax_plan_get_writes(plan) == 1 ? "" : "s");
	if (rc < 0)
		fprintf(stderr, "error: %s\n", strerror(-rc));
out:
	if (rc > 0)
		rc = 0;
	dax_plan_free(plan);
	dax_layout_free(layout);
	dax_ctx_unref(ctx);
	return rc;
}
