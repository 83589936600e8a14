// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl create-device: new devices on dynamic regions, sized, aligned, or
 * recreated range by range from a JSON description (--input).
 *
 * Every run is one transaction: all the devices it was asked for, or none.
 * The regions involved are locked (in id order) for the whole run, the
 * devices are created one after the other, and if one fails the ones made
 * before it are destroyed again. Everything that can be checked without
 * writing (sizes, aligns, capacity, the input file, ranges in use) is
 * checked first, under the locks (the plan is made again once they are
 * held: taking a lock re-reads the region).
 *
 * Without -r a device is created on every dynamic region, as upstream does
 * (static regions are skipped, as they cannot have devices created); each
 * of them must have the capacity asked for, or nothing is created.
 *
 * Differences from upstream daxctl, on purpose:
 *  - the JSON of every created device is printed (upstream: the last
 *    region's only);
 *  - errors keep their errno (upstream reported every failure as ENOSPC),
 *    and a malformed -s or -a is a usage error (upstream created a device of
 *    all available capacity);
 *  - --count N creates N devices of -s bytes, or without -s of the
 *    available capacity divided by N, rounded down to the granularity;
 *  - without -s, the size is the available capacity rounded down to the
 *    granularity (max(align, the kernel's unit)) rather than a size the
 *    kernel refuses;
 *  - --input takes a device, an array of devices or a whole "daxctl list"
 *    document (with or without -u), "-" for stdin; it recreates each
 *    device's exact ranges, refuses a size that does not match the ranges
 *    (upstream: a warning, and the device was left half made), and honours
 *    "state": "disabled";
 *  - no regions to create on is an error (ENODEV), not ENXIO;
 *  - --color K/N (or K-K2/N) places the device on cache colours of the
 *    region's memory-side cache (or --cache-size): the ranges come from
 *    dax_region_plan_colors(), planned under the lock and passed to
 *    dax_region_create_dev() as --input's are;
 *  - --node N keeps only the regions whose devices' target_node is N;
 *  - --prefer METRIC creates on the one region dax_ctx_choose_region()
 *    picks, as if -r named it.
 * These placement options are read and decided in placement.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "input.h"
#include "placement.h"
#include "util/size.h"

struct create_opts {
	const char *region;
	const char *size;
	const char *align;
	const char *input;
	const char *count;
	const char *color;
	const char *cache_size;
	const char *cache_level;
	const char *node;
	const char *prefer;
	bool human;
	bool verbose;
};

const struct option_desc create_options[] = {
	OPT_STRING('r', "region", struct create_opts, region, "region-id",
		   "region to create in (default: every dynamic region)"),
	OPT_STRING('s', "size", struct create_opts, size, "size",
		   "size of each device (default: all available capacity)"),
	OPT_STRING('a', "align", struct create_opts, align, "align",
		   "device alignment: 4k, 2m or 1g (default: the region's)"),
	OPT_STRING(0, "input", struct create_opts, input, "file",
		   "create the devices a JSON file describes (daxctl list "
		   "-M output; - reads stdin)"),
	OPT_STRING(0, "count", struct create_opts, count, "n",
		   "create N devices of equal size, all or none"),
	OPT_STRING(0, "color", struct create_opts, color, "K[-K2]/N",
		   "place the device on colours K..K2 of N of the "
		   "memory-side cache"),
	OPT_STRING(0, "cache-size", struct create_opts, cache_size, "size",
		   "memory-side cache size for --color (default: what the "
		   "region's node reports)"),
	OPT_STRING(0, "cache-level", struct create_opts, cache_level, "L",
		   "memory-side cache level for --color (default: the "
		   "largest direct-mapped cache)"),
	OPT_STRING(0, "node", struct create_opts, node, "node",
		   "only regions whose memory is on this NUMA node"),
	OPT_STRING(0, "prefer", struct create_opts, prefer, "metric",
		   "the region whose node is best from this CPU for the "
		   "metric: read-bandwidth, write-bandwidth, read-latency "
		   "or write-latency"),
	OPT_HUMAN(struct create_opts, human),
	OPT_VERBOSE(struct create_opts, verbose),
	OPT_END(),
};

/* One call to the library: @count devices of @size, or one with ranges. */
struct job {
	struct dax_region *region;
	unsigned int count;
	uint64_t size;
	uint64_t align;
	struct dax_range *ranges;
	unsigned int nr_ranges;
	unsigned int flags;
	const char *label; /* the device in the input file, or NULL */
};

/* What to create: from the --input text when @path is set, else -s/-a. */
struct plan_args {
	const char *path, *text;
	size_t len;
	uint64_t size, align;
	unsigned int count;
	const struct placement *place; /* --color, --node */
};

struct created {
	struct dax_dev **devs;
	size_t n;
	size_t cap;
};

static int add_created(struct created *c, struct dax_dev *dev)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct dax_dev **p = realloc(c->devs, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->devs = p;
		c->cap = cap;
	}
	c->devs[c->n++] = dev;
	return 0;
}

/* The kernel's unit: the granule of the smallest align. */
static const char *unit_text(struct dax_region *region, char *buf, size_t size)
{
	uint64_t g;

	if (dax_ctx_get_granule(dax_region_get_ctx(region), 0, &g) < 0)
		return "the kernel's unit";
	return format_size(g, buf, size);
}

static int region_available(struct dax_region *region, uint64_t *avail)
{
	int rc = dax_region_get_available_size(region, avail);

	if (rc < 0)
		fprintf(stderr, "region %d: cannot read available_size: %s\n",
			dax_region_get_id(region), strerror(-rc));
	return rc;
}

/* The ranges of --color on @region (-s or all of the colours). */
static int plan_color(struct dax_region *region, uint64_t size, uint64_t align,
		      const struct placement *place, struct job *job)
{
	struct dax_range *ranges = NULL;
	unsigned int n = 0;
	uint64_t total;
	int rc = placement_plan_color(region, place, size, align, &ranges, &n,
				      &total);

	if (rc < 0)
		return rc;
	*job = (struct job){.region = region,
			    .count = 1,
			    .size = total,
			    .align = align,
			    .ranges = ranges,
			    .nr_ranges = n};
	return 0;
}

/* Size -s (or the capacity shared by @count) on @region, checked. */
static int plan_region(struct dax_region *region, uint64_t size, uint64_t align,
		       unsigned int count, const struct placement *place,
		       struct job *job)
{
	int id = dax_region_get_id(region);
	uint64_t avail, granule = granule_for(region, NULL, align);
	char a[32], b[32], c[32];
	int rc = region_available(region, &avail);

	if (rc < 0)
		return rc;
	if (place->has_color)
		return plan_color(region, size, align, place, job);
	if (size && size % granule) {
		fprintf(stderr,
			"region %d: size %s is not a multiple of %s (the "
			"larger of the align and %s)\n",
			id, format_size(size, a, sizeof(a)),
			format_size(granule, b, sizeof(b)),
			unit_text(region, c, sizeof(c)));
		return -EINVAL;
	}
	if (avail == 0) {
		fprintf(stderr,
			"region %d: no capacity available (destroy or shrink "
			"a device first, or choose another region with -r)\n",
			id);
		return -ENOSPC;
	}
	if (size && count > avail / size) {
		fprintf(stderr,
			"region %d: %u device(s) of %s do not fit in the %s "
			"available\n",
			id, count, format_size(size, a, sizeof(a)),
			format_size(avail, c, sizeof(c)));
		return -ENOSPC;
	}
	if (!size) {
		size = avail / count / granule * granule;
		if (!size) {
			fprintf(stderr,
				"region %d: the %s available do not give %u "
				"device(s) of at least %s\n",
				id, format_size(avail, a, sizeof(a)), count,
				format_size(granule, b, sizeof(b)));
			return -ENOSPC;
		}
	}
	*job = (struct job){
		.region = region, .count = count, .size = size, .align = align};
	return 0;
}

/* The region -r names, or NULL (printed) with *@rc set. */
static struct dax_region *find_region(struct dax_ctx *ctx, int id, int *rc)
{
	struct dax_region *region = dax_region_find(ctx, id);

	if (!region) {
		*rc = errno == ENOENT ? -ENODEV : -errno;
		if (errno == ENOENT)
			fprintf(stderr,
				"region %d: no such region (daxctl list -R "
				"shows them)\n",
				id);
		else
			fprintf(stderr, "error: cannot list regions: %s\n",
				strerror(errno));
		return NULL;
	}
	if (!dax_region_is_dynamic(region)) {
		fprintf(stderr,
			"region %d: static region (nvdimm): devices cannot be "
			"created on it\n",
			id);
		*rc = -EOPNOTSUPP;
		return NULL;
	}
	return region;
}

static int plan_plain(struct dax_ctx *ctx, const struct region_filter *rf,
		      const struct plan_args *a, struct job **jobs, size_t *nj)
{
	const struct placement *place = a->place;
	uint64_t size = a->size, align = a->align;
	unsigned int count = a->count;
	struct dax_region *region = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	*jobs = NULL;
	if (place->prefer) {
		region = placement_choose(ctx, place, size, count, &rc);
		if (!region)
			return rc;
	} else if (!rf->all) {
		region = find_region(ctx, rf->id, &rc);
		if (!region)
			return rc;
		rc = placement_check_region(region, place);
		if (rc < 0)
			return rc;
	}
	if (place->prefer || !rf->all) {
		*jobs = calloc(1, sizeof(**jobs));
		if (!*jobs)
			return -ENOMEM;
		rc = plan_region(region, size, align, count, place, *jobs);
		*nj = rc ? 0 : 1;
		return rc;
	}
	region = dax_region_get_first(ctx);
	if (!region && errno) {
		fprintf(stderr, "error: cannot list regions: %s\n",
			strerror(errno));
		return -errno;
	}
	for (; region; region = dax_region_get_next(region)) {
		int r;

		if (!dax_region_is_dynamic(region) ||
		    !placement_on_node(region, place))
			continue;
		if (n == cap) {
			struct job *p;

			cap = cap ? cap * 2 : 4;
			p = realloc(*jobs, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			*jobs = p;
		}
		/* Check every region, so that all problems are reported. */
		r = plan_region(region, size, align, count, place, &(*jobs)[n]);
		if (r < 0)
			rc = r;
		else
			n++;
	}
	if (rc == 0 && n == 0 && place->node >= 0) {
		rc = placement_no_region(place);
	} else if (rc == 0 && n == 0) {
		fprintf(stderr, "error: no dynamic region (hmem or CXL RAM) "
				"to create devices on\n");
		rc = -ENODEV;
	}
	*nj = rc ? 0 : n;
	return rc;
}

static int read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = NULL;
	int fd, rc = 0;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO
				    : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		ssize_t got;

		if (!buf || n == cap) {
			char *p;

			if (buf)
				cap *= 2;
			p = realloc(buf, cap);
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			buf = p;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > INPUT_MAX_BYTES) {
			rc = -EFBIG;
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
out:
	if (rc < 0) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(-rc));
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* Ranges of @d that devices of @region already use. */
static int check_in_use(struct dax_region *region, const struct input_dev *d,
			const char *path)
{
	struct dax_dev *dev;

	dax_dev_foreach (region, dev) {
		struct dax_mapping *m;

		/* Unreadable mappings (non-root): the library checks. */
		dax_mapping_foreach (dev, m) {
			uint64_t s = dax_mapping_get_start(m);
			uint64_t e = dax_mapping_get_end(m);
			unsigned int i;

			for (i = 0; i < d->nr_ranges; i++) {
				const struct input_range *r = &d->ranges[i];

				if (r->start > e || r->end < s)
					continue;
				fprintf(stderr,
					"%s: %s: range %#llx-%#llx is in use "
					"by %s (destroy or shrink it first)\n",
					path, d->chardev,
					(unsigned long long)r->start,
					(unsigned long long)r->end,
					dax_dev_get_devname(dev));
				return -EBUSY;
			}
		}
	}
	return 0;
}

static int plan_input_dev(struct dax_ctx *ctx, const struct region_filter *rf,
			  const struct input_dev *d, const char *path,
			  struct job *job)
{
	struct dax_region *region;
	uint64_t granule;
	char a[32], b[32];
	unsigned int i;
	int rc = 0;

	if (!rf->all && rf->id != d->region) {
		fprintf(stderr,
			"%s: %s belongs to region %d, but -r %d was given "
			"(leave out -r)\n",
			path, d->chardev, d->region, rf->id);
		return -EINVAL;
	}
	region = find_region(ctx, d->region, &rc);
	if (!region)
		return rc;
	granule = granule_for(region, NULL, d->align);
	if (d->size % granule) {
		fprintf(stderr, "%s: %s: size %s is not a multiple of %s\n",
			path, d->chardev, format_size(d->size, a, sizeof(a)),
			format_size(granule, b, sizeof(b)));
		return -EINVAL;
	}
	for (i = 0; i < d->nr_ranges; i++) {
		const struct input_range *r = &d->ranges[i];

		if (r->start % granule == 0 &&
		    (r->end - r->start + 1) % granule == 0)
			continue;
		fprintf(stderr,
			"%s: %s: range %#llx-%#llx is not aligned to %s\n",
			path, d->chardev, (unsigned long long)r->start,
			(unsigned long long)r->end,
			format_size(granule, a, sizeof(a)));
		return -EINVAL;
	}
	rc = check_in_use(region, d, path);
	if (rc < 0)
		return rc;
	*job = (struct job){.region = region,
			    .count = 1,
			    .size = d->size,
			    .align = d->align,
			    .nr_ranges = d->nr_ranges,
			    .flags = d->disabled ? DAX_CREATE_NO_ENABLE : 0,
			    .label = d->chardev};
	if (d->nr_ranges) {
		job->ranges = calloc(d->nr_ranges, sizeof(*job->ranges));
		if (!job->ranges)
			return -ENOMEM;
		for (i = 0; i < d->nr_ranges; i++) {
			job->ranges[i].start = d->ranges[i].start;
			job->ranges[i].end = d->ranges[i].end;
		}
	}
	return 0;
}

static int cmp_job_region(const void *a, const void *b)
{
	const struct job *x = a, *y = b;
	int i = dax_region_get_id(x->region), k = dax_region_get_id(y->region);

	if (i != k)
		return i < k ? -1 : 1;
	/* Keep the file's order within a region (qsort is not stable). */
	return x < y ? -1 : x > y;
}

/* The total each region is asked for must fit in what it has. */
static int check_capacity(struct job *jobs, size_t nj, const char *path)
{
	size_t i = 0, k;
	char a[32], b[32];

	while (i < nj) {
		struct dax_region *region = jobs[i].region;
		uint64_t need = 0, avail;
		int rc;

		for (k = i; k < nj && jobs[k].region == region; k++)
			need = jobs[k].size > UINT64_MAX - need
				       ? UINT64_MAX
				       : need + jobs[k].size;
		rc = region_available(region, &avail);
		if (rc < 0)
			return rc;
		if (need > avail) {
			fprintf(stderr,
				"%s: region %d: the devices need %s but only "
				"%s is available\n",
				path, dax_region_get_id(region),
				format_size(need, a, sizeof(a)),
				format_size(avail, b, sizeof(b)));
			return -ENOSPC;
		}
		i = k;
	}
	return 0;
}

/* Plan from the content of the --input file @path (@text, @len). */
static int plan_input(struct dax_ctx *ctx, const struct region_filter *rf,
		      const char *path, const char *text, size_t len,
		      struct job **jobs, size_t *nj)
{
	struct input_plan plan;
	struct input_system sys;
	char msg[256];
	size_t i;
	int rc;

	*jobs = NULL;
	*nj = 0;
	/* page_offset counts the kernel's pages; sizes obey its unit. */
	rc = dax_ctx_get_page_size(ctx, &sys.page_size);
	if (rc == 0)
		rc = dax_ctx_get_granule(ctx, 0, &sys.unit);
	if (rc == 0)
		rc = dax_ctx_get_aligns(ctx, sys.aligns, &sys.naligns);
	if (rc < 0) {
		fprintf(stderr, "%s: the system's page size is unknown: %s\n",
			path, strerror(-rc));
		return rc;
	}
	rc = input_parse(text, len, &sys, &plan, msg, sizeof(msg));
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", path, msg);
		return rc;
	}
	*jobs = calloc(plan.nr, sizeof(**jobs));
	if (!*jobs) {
		input_plan_free(&plan);
		return -ENOMEM;
	}
	for (i = 0; i < plan.nr; i++) {
		int r = plan_input_dev(ctx, rf, &plan.devs[i], path,
				       &(*jobs)[*nj]);

		if (r < 0) {
			rc = r;
			break;
		}
		/* Labels point into the plan: keep them in the job. */
		(*jobs)[*nj].label = strdup(plan.devs[i].chardev);
		if (!(*jobs)[(*nj)++].label) {
			rc = -ENOMEM;
			break;
		}
	}
	input_plan_free(&plan);
	if (rc == 0) {
		qsort(*jobs, *nj, sizeof(**jobs), cmp_job_region);
		rc = check_capacity(*jobs, *nj, path);
	}
	return rc;
}

static void free_jobs(struct job *jobs, size_t nj)
{
	size_t i;

	for (i = 0; i < nj; i++) {
		free(jobs[i].ranges);
		free((char *)jobs[i].label);
	}
	free(jobs);
}

static void describe_failure(const struct job *job, const char *path, int rc)
{
	char a[32];

	if (job->label)
		fprintf(stderr, "%s: %s: cannot recreate it: %s\n", path,
			job->label, strerror(-rc));
	else
		fprintf(stderr,
			"region %d: cannot create %u device(s) of %s: "
			"%s\n",
			dax_region_get_id(job->region), job->count,
			format_size(job->size, a, sizeof(a)), strerror(-rc));
}

/* Destroy what this run created, newest first. */
static void roll_back(struct created *c)
{
	size_t i = c->n, left = 0;

	while (i-- > 0) {
		char name[64];
		int rc;

		snprintf(name, sizeof(name), "%s",
			 dax_dev_get_devname(c->devs[i]));
		/* Removed by someone else: not ours to touch any more. */
		if (dev_vanished(c->devs[i]))
			continue;
		rc = dax_dev_destroy(c->devs[i]);
		if (rc < 0) {
			fprintf(stderr,
				"%s: could not remove it after the failure: "
				"%s (daxctl destroy-device -f %s)\n",
				name, strerror(-rc), name);
			left++;
		}
	}
	if (c->n)
		fprintf(stderr,
			"removed %zu of the %zu device(s) created before the "
			"failure\n",
			c->n - left, c->n);
	c->n = 0;
}

static int run_job(struct job *job, struct created *c)
{
	struct dax_dev **devs;
	struct dax_dev *dev;
	unsigned int i;
	int rc;

	if (job->count == 1) {
		rc = dax_region_create_dev(job->region, job->size, job->align,
					   job->ranges, job->nr_ranges,
					   job->flags, &dev);
		if (rc == 0 && dev)
			rc = add_created(c, dev);
		return rc;
	}
	devs = calloc(job->count, sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	rc = dax_region_create_devs(job->region, job->count, job->size,
				    job->align, job->flags, devs);
	for (i = 0; rc == 0 && i < job->count; i++)
		if (devs[i])
			rc = add_created(c, devs[i]);
	free(devs);
	return rc;
}

/* Lock the regions of @jobs (in region order, so in id order). */
static int lock_jobs(struct job *jobs, size_t nj, struct dax_region ***locked,
		     size_t *nlocked)
{
	size_t i;
	int rc = 0;

	*nlocked = 0;
	*locked = calloc(nj ? nj : 1, sizeof(**locked));
	if (!*locked)
		return -ENOMEM;
	for (i = 0; i < nj; i++) {
		if (i && jobs[i].region == jobs[i - 1].region)
			continue;
		rc = dax_region_lock(jobs[i].region);
		if (rc < 0) {
			fprintf(stderr, "region %d: cannot lock it: %s\n",
				dax_region_get_id(jobs[i].region),
				strerror(-rc));
			break;
		}
		(*locked)[(*nlocked)++] = jobs[i].region;
	}
	return rc;
}

static void unlock_regions(struct dax_region **locked, size_t n)
{
	while (n-- > 0)
		dax_region_unlock(locked[n]);
	free(locked);
}

/* Whether every job's region is one of @locked. */
static bool jobs_locked(const struct job *jobs, size_t nj,
			struct dax_region *const *locked, size_t nlocked)
{
	size_t i, k;

	for (i = 0; i < nj; i++) {
		for (k = 0; k < nlocked && locked[k] != jobs[i].region; k++)
			;
		if (k == nlocked)
			return false;
	}
	return true;
}

/* Run the jobs (their regions locked); undo on failure. */
static int run_jobs(struct job *jobs, size_t nj, const char *path,
		    struct created *c)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < nj; i++) {
		rc = run_job(&jobs[i], c);
		if (rc < 0) {
			describe_failure(&jobs[i], path, rc);
			roll_back(c);
		}
	}
	return rc;
}

static int plan(struct dax_ctx *ctx, const struct region_filter *rf,
		const struct plan_args *a, struct job **jobs, size_t *nj)
{
	if (a->path)
		return plan_input(ctx, rf, a->path, a->text, a->len, jobs, nj);
	return plan_plain(ctx, rf, a, jobs, nj);
}

static unsigned int parse_count(const char *arg, const struct daxctl_cmd *cmd)
{
	const char *why = "must be at least 1";
	uint64_t v = 0;

	if (!arg)
		return 1;
	if (parse_number(arg, &v, &why) < 0 || v == 0 || v > UINT_MAX)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid count \"%s\": %s", arg,
				 v > UINT_MAX ? "too large" : why);
	return (unsigned int)v;
}

int cmd_create(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct placement place;
	struct create_opts o = {0};
	struct created c = {0};
	struct region_filter rf;
	uint64_t size = 0, align = 0;
	unsigned int count;
	struct job *jobs = NULL;
	struct dax_region **locked = NULL;
	struct plan_args pa;
	struct dax_ctx *ctx;
	char *text = NULL;
	size_t nj = 0, nlocked = 0;
	int rc;

	parse_options_max(argc, argv, cmd->options, cmd->usage, &o, 0);
	parse_region_arg(o.region, cmd, &rf);
	if (o.input && (o.size || o.align || o.count))
		usage_with_error(cmd->usage, cmd->options,
				 "--input cannot be combined with --size, "
				 "--align or --count (the file gives them)");
	if (o.size) {
		size = parse_size_arg(o.size, "size", cmd);
		if (size == 0)
			usage_with_error(cmd->usage, cmd->options,
					 "invalid size \"%s\": a device needs "
					 "a size (leave out -s for all "
					 "available capacity)",
					 o.size);
	}
	if (o.align)
		align = parse_align_arg(o.align, cmd);
	count = parse_count(o.count, cmd);
	placement_parse(&(struct placement_args){.color = o.color,
						 .cache_size = o.cache_size,
						 .cache_level = o.cache_level,
						 .node = o.node,
						 .prefer = o.prefer,
						 .region = o.region != NULL,
						 .input = o.input != NULL,
						 .count = count},
			cmd, &place);

	rc = action_open(o.verbose, &ctx);
	if (rc < 0)
		return rc;
	if (o.align)
		check_align_arg(ctx, align, o.align, cmd);
	/*
	 * Plan to learn the regions, lock them (which re-reads them), and
	 * plan again under the locks: the capacity, the sizes taken from it
	 * and the ranges in use are checked on the state the run changes.
	 */
	pa = (struct plan_args){.path = o.input,
				.size = size,
				.align = align,
				.count = count,
				.place = &place};
	if (o.input)
		rc = read_file(o.input, &text, &pa.len);
	pa.text = text;
	if (rc == 0)
		rc = plan(ctx, &rf, &pa, &jobs, &nj);
	if (rc == 0)
		rc = lock_jobs(jobs, nj, &locked, &nlocked);
	if (rc == 0) {
		free_jobs(jobs, nj);
		jobs = NULL;
		nj = 0;
		rc = plan(ctx, &rf, &pa, &jobs, &nj);
		if (rc == 0 && !jobs_locked(jobs, nj, locked, nlocked)) {
			fprintf(stderr, "error: the regions changed while "
					"they were locked; try again\n");
			rc = -EAGAIN;
		}
	}
	if (rc == -ENOMEM)
		fprintf(stderr, "error: out of memory\n");
	if (rc == 0)
		rc = run_jobs(jobs, nj, o.input, &c);
	if (locked)
		unlock_regions(locked, nlocked);
	if (rc == 0)
		rc = print_devices(c.devs, c.n, o.human);
	free_jobs(jobs, nj);
	free(text);
	free(c.devs);
	dax_ctx_unref(ctx);
	return finish_action("creating", "created", (int)c.n, rc);
}
