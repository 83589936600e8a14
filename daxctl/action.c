// SPDX-License-Identifier: GPL-2.0-only
/* Shared parts of the device commands; see action.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "action.h"
#include "json.h"
#include "objects.h"
#include "util/size.h"

int action_open(bool verbose, struct dax_ctx **ctx)
{
	int rc = dax_ctx_new(ctx);

	if (rc < 0) {
		fprintf(stderr, "error: cannot create a libdax context: %s\n",
			strerror(-rc));
		return rc;
	}
	if (verbose)
		dax_ctx_set_log_priority(*ctx, LOG_DEBUG);
	return 0;
}

struct dev_filter *parse_device_args(int argc, const char **argv,
				     const struct daxctl_cmd *cmd,
				     const char *verb)
{
	struct dev_filter *f;
	const char *why;
	int i;

	if (argc == 0)
		usage_with_error(cmd->usage, cmd->options,
				 "specify a device to %s, or \"all\"", verb);
	f = calloc((size_t)argc, sizeof(*f));
	if (!f) {
		fprintf(stderr, "error: out of memory\n");
		exit(1);
	}
	for (i = 0; i < argc; i++)
		if (dev_filter_parse(argv[i], &f[i], &why) < 0)
			usage_with_error(cmd->usage, cmd->options,
					 "invalid device \"%s\": %s", argv[i],
					 why);
	return f;
}

void parse_region_arg(const char *arg, const struct daxctl_cmd *cmd,
		      struct region_filter *rf)
{
	const char *why;

	if (region_filter_parse(arg, rf, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid region \"%s\": %s", arg, why);
}

uint64_t parse_size_arg(const char *arg, const char *opt,
			const struct daxctl_cmd *cmd)
{
	const char *why;
	uint64_t v;

	if (parse_size(arg, &v, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid %s \"%s\": %s", opt, arg, why);
	return v;
}

uint64_t parse_align_arg(const char *arg, const struct daxctl_cmd *cmd)
{
	return parse_size_arg(arg, "align", cmd);
}

void check_align_arg(struct dax_ctx *ctx, uint64_t align, const char *arg,
		     const struct daxctl_cmd *cmd)
{
	uint64_t v[3];
	unsigned int n, i;
	char list[96];

	if (dax_ctx_get_aligns(ctx, v, &n) < 0)
		return;
	for (i = 0; i < n; i++)
		if (align == v[i])
			return;
	usage_with_error(cmd->usage, cmd->options,
			 "invalid align \"%s\": must be %s", arg,
			 format_aligns(v, n, list, sizeof(list)));
}

/* Why the device that @f names was not selected. */
static void report_missing(struct dax_ctx *ctx, const struct region_filter *rf,
			   const struct dev_filter *f)
{
	struct dax_region *region = dax_region_find(ctx, f->region);

	if (region && !region_filter_match(rf, f->region))
		fprintf(stderr, "dax%d.%d: not in region %d (-r)\n", f->region,
			f->id, rf->id);
	else
		fprintf(stderr,
			"dax%d.%d: no such device (daxctl list -i shows "
			"them all)\n",
			f->region, f->id);
}

static bool dev_idle(struct dax_dev *dev)
{
	uint64_t size;

	return dax_dev_get_size(dev, &size) == 0 && size == 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct dax_dev *x = *(struct dax_dev *const *)a;
	const struct dax_dev *y = *(struct dax_dev *const *)b;
	int rx = dax_region_get_id(dax_dev_get_region(x));
	int ry = dax_region_get_id(dax_dev_get_region(y));

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return (dax_dev_get_id(x) > dax_dev_get_id(y)) -
	       (dax_dev_get_id(x) < dax_dev_get_id(y));
}

/*
 * Only named devices: look each one up (the library then reads nothing of
 * the other devices and regions), in the order a full walk would give.
 */
static int select_named(struct dax_ctx *ctx, const struct region_filter *rf,
			const struct dev_filter *f, int nf,
			struct dax_dev ***devs, size_t *n)
{
	struct dax_dev **out = calloc((size_t)nf, sizeof(*out));
	size_t k = 0, i;
	int rc = 0, j;

	if (!out) {
		fprintf(stderr, "error: out of memory\n");
		return -ENOMEM;
	}
	for (j = 0; j < nf; j++) {
		struct dax_dev *dev = NULL;
		char name[32];

		snprintf(name, sizeof(name), "dax%d.%d", f[j].region, f[j].id);
		if (region_filter_match(rf, f[j].region))
			dev = dax_dev_find(ctx, name);
		if (dev) {
			out[k++] = dev;
		} else if (region_filter_match(rf, f[j].region) &&
			   errno != ENOENT) {
			rc = -errno;
			fprintf(stderr, "%s: cannot look it up: %s\n", name,
				strerror(errno));
		} else {
			report_missing(ctx, rf, &f[j]);
			rc = -ENODEV;
		}
	}
	if (rc < 0) {
		free(out);
		return rc;
	}
	qsort(out, k, sizeof(*out), cmp_dev);
	/* A device named twice is selected once. */
	for (i = 0, *n = 0; i < k; i++)
		if (*n == 0 || out[*n - 1] != out[i])
			out[(*n)++] = out[i];
	*devs = out;
	return 0;
}

int select_devices(struct dax_ctx *ctx, const struct region_filter *rf,
		   const struct dev_filter *f, int nf, bool skip_idle,
		   struct dax_dev ***devs, size_t *n)
{
	struct dax_region *region;
	struct dax_dev **out = NULL;
	size_t cap = 0;
	bool *found;
	int i, rc = 0;

	*devs = NULL;
	*n = 0;
	for (i = 0; i < nf && !f[i].all; i++)
		;
	if (nf > 0 && i == nf)
		return select_named(ctx, rf, f, nf, devs, n);
	found = calloc((size_t)nf + 1, sizeof(*found));
	if (!found)
		return -ENOMEM;
	region = dax_region_get_first(ctx);
	if (!region && errno) {
		rc = -errno;
		fprintf(stderr, "error: cannot list regions: %s\n",
			strerror(errno));
		goto out;
	}
	for (; region; region = dax_region_get_next(region)) {
		int rid = dax_region_get_id(region);
		struct dax_dev *dev;

		if (!region_filter_match(rf, rid))
			continue;
		dev = dax_dev_get_first(region);
		if (!dev && errno) {
			rc = -errno;
			fprintf(stderr, "region %d: cannot list devices: %s\n",
				rid, strerror(errno));
			goto out;
		}
		for (; dev; dev = dax_dev_get_next(dev)) {
			bool match = false, named = false;

			for (i = 0; i < nf; i++) {
				if (!dev_filter_match(&f[i], rid,
						      dax_dev_get_id(dev)))
					continue;
				match = true;
				if (!f[i].all) {
					found[i] = true;
					named = true;
				}
			}
			if (!match || (skip_idle && !named && dev_idle(dev)))
				continue;
			if (*n == cap) {
				struct dax_dev **p;

				cap = cap ? cap * 2 : 16;
				p = realloc(out, cap * sizeof(*out));
				if (!p) {
					rc = -ENOMEM;
					goto out;
				}
				out = p;
			}
			out[(*n)++] = dev;
		}
	}
	for (i = 0; i < nf; i++) {
		if (f[i].all || found[i])
			continue;
		report_missing(ctx, rf, &f[i]);
		rc = -ENODEV;
	}
	if (rc == 0 && *n == 0) {
		fprintf(stderr, "error: no matching devices%s\n",
			skip_idle ? " (devices of size 0 are skipped)" : "");
		rc = -ENODEV;
	}
out:
	free(found);
	if (rc == -ENOMEM)
		fprintf(stderr, "error: out of memory\n");
	if (rc) {
		free(out);
		*n = 0;
		return rc;
	}
	*devs = out;
	return 0;
}

int call_locked(struct dax_dev *dev, device_action_fn fn, void *arg)
{
	struct dax_region *region = dax_dev_get_region(dev);
	int rc;

	rc = dax_region_lock(region);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot lock region %d: %s\n",
			dax_dev_get_devname(dev), dax_region_get_id(region),
			strerror(-rc));
		return rc;
	}
	/* Locking re-read the region: a device destroyed meanwhile is gone. */
	rc = dev_vanished(dev) ? -ENODEV : fn(dev, arg);
	dax_region_unlock(region);
	return rc;
}

bool dev_vanished(struct dax_dev *dev)
{
	if (!dax_dev_is_gone(dev))
		return false;
	fprintf(stderr, "%s: %s\n", dax_dev_get_devname(dev), strerror(ENODEV));
	return true;
}

int for_each_device(int argc, const char **argv, const struct daxctl_cmd *cmd,
		    const char *region, bool verbose, const char *verb,
		    bool skip_idle, device_action_fn fn, void *arg, int *count)
{
	struct region_filter rf;
	struct dev_filter *f;
	struct dax_dev **devs = NULL;
	struct dax_ctx *ctx;
	size_t i, n = 0;
	int rc;

	*count = 0;
	parse_region_arg(region, cmd, &rf);
	f = parse_device_args(argc, argv, cmd, verb);
	rc = action_open(verbose, &ctx);
	if (rc < 0) {
		free(f);
		return rc;
	}
	rc = select_devices(ctx, &rf, f, argc, skip_idle, &devs, &n);
	for (i = 0; i < n; i++) {
		int r = call_locked(devs[i], fn, arg);

		if (r < 0)
			rc = r;
		else
			(*count)++;
	}
	free(devs);
	free(f);
	dax_ctx_unref(ctx);
	return rc;
}

int finish_action(const char *gerund, const char *done, int count, int rc)
{
	char line[128];
	int n;

	if (rc < 0)
		fprintf(stderr, "error %s devices: %s\n", gerund,
			strerror(-rc));
	/*
	 * The closing line of every run: one write(2), as the unbuffered
	 * stderr would make, without the stdio stream code (a measurable
	 * share of a short process in the benchmarks' TCG guests).
	 */
	n = snprintf(line, sizeof(line), "%s %d device%s\n", done, count,
		     count == 1 ? "" : "s");
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(STDERR_FILENO, line, (size_t)n);
	else
		fprintf(stderr, "%s %d device%s\n", done, count,
			count == 1 ? "" : "s");
	return rc;
}

uint64_t granule_for(struct dax_region *region, struct dax_dev *dev,
		     uint64_t align)
{
	struct dax_ctx *ctx =
		dev ? dax_dev_get_ctx(dev) : dax_region_get_ctx(region);
	uint64_t g;
	int rc = 0;

	if (!align)
		rc = dev ? dax_dev_get_align(dev, &align)
			 : dax_region_get_align(region, &align);
	if (rc < 0)
		align = 0;
	if (dax_ctx_get_granule(ctx, align, &g) < 0)
		g = align ? align : 1; /* unknown: the library decides */
	return g;
}

int print_devices(struct dax_dev **devs, size_t n, bool human)
{
	struct jw w;
	size_t i;
	int rc;

	jw_init(&w);
	for (i = 0; i < n; i++)
		if (!dev_vanished(devs[i]))
			dev_to_json(&w, devs[i], human ? JSON_HUMAN : 0);
	rc = json_print_list(stdout, &w, human);
	jw_release(&w);
	return rc;
}
