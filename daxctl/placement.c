// SPDX-License-Identifier: GPL-2.0-only
/*
 * create-device's placement options: --color, --cache-size, --cache-level,
 * --node and --prefer.
 *
 * The options are read before anything else is (usage errors exit 129,
 * in the order create.c has always checked them: --node, then --cache-size
 * without --color, then --color; --prefer and --cache-level where they
 * first conflict). The colours are planned by the library,
 * which logs every refusal with its numbers; here only the region and the
 * colours asked for are added. --node is decided from each region's target
 * node (the target_node of its devices, as dax_region_get_target_node()
 * reads it): a region whose node is unknown is on no node. --prefer is
 * decided by the library, which logs why no region qualifies.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "placement.h"
#include "util/size.h"

/* A decimal number at *@p (advanced past it). */
/* --color K/N or K-K2/N into @req; a usage error (exit 129) otherwise. */
static void parse_color(const char *arg, const struct daxctl_cmd *cmd,
			struct dax_color_request *req)
{
	unsigned int k, k2, n;
	const char *why;

	if (parse_colors(arg, &k, &k2, &n, &why) < 0)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid colour \"%s\": %s", arg, why);
	*req = (struct dax_color_request){.first = k, .last = k2, .colors = n};
}

static int parse_node(const char *arg, const struct daxctl_cmd *cmd)
{
	const char *why = "not a number";
	uint64_t v = 0;

	if (parse_number(arg, &v, &why) < 0 || v > INT_MAX)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid node \"%s\": %s", arg,
				 v > INT_MAX ? "too large" : why);
	return (int)v;
}

static const struct {
	const char *name;
	enum dax_access_metric metric;
} metrics[] = {
	{"read-bandwidth", DAX_ACCESS_READ_BANDWIDTH},
	{"write-bandwidth", DAX_ACCESS_WRITE_BANDWIDTH},
	{"read-latency", DAX_ACCESS_READ_LATENCY},
	{"write-latency", DAX_ACCESS_WRITE_LATENCY},
};

#define NR_METRICS (sizeof(metrics) / sizeof(metrics[0]))

static const char *metric_name(enum dax_access_metric m)
{
	size_t i;

	for (i = 0; i < NR_METRICS; i++)
		if (metrics[i].metric == m)
			return metrics[i].name;
	return "?";
}

static enum dax_access_metric parse_prefer(const char *arg,
					   const struct placement_args *a,
					   const struct daxctl_cmd *cmd)
{
	size_t i;

	if (a->region || a->node || a->input)
		usage_with_error(cmd->usage, cmd->options,
				 "--prefer cannot be combined with -r, --node "
				 "or --input (it chooses the region)");
	for (i = 0; i < NR_METRICS; i++)
		if (strcmp(arg, metrics[i].name) == 0)
			return metrics[i].metric;
	usage_with_error(cmd->usage, cmd->options,
			 "invalid --prefer \"%s\": use read-bandwidth, "
			 "write-bandwidth, read-latency or write-latency",
			 arg);
	return 0;
}

static unsigned int parse_level(const char *arg, const struct daxctl_cmd *cmd)
{
	unsigned int v;

	if (!parse_uint(arg, &v) || v < 1 || v > 15)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid cache level \"%s\": a level from 1 "
				 "to 15 (daxctl list -RP shows them)",
				 arg);
	return v;
}

void placement_parse(const struct placement_args *a,
		     const struct daxctl_cmd *cmd, struct placement *p)
{
	*p = (struct placement){.node = -1};
	if (a->node && a->input)
		usage_with_error(cmd->usage, cmd->options,
				 "--node cannot be combined with "
				 "--input (the file names the regions)");
	if (a->prefer)
		p->prefer = parse_prefer(a->prefer, a, cmd);
	if (a->node)
		p->node = parse_node(a->node, cmd);
	if (a->cache_size && !a->color)
		usage_with_error(cmd->usage, cmd->options,
				 "--cache-size needs --color");
	if (a->cache_level && !a->color)
		usage_with_error(cmd->usage, cmd->options,
				 "--cache-level needs --color");
	if (a->cache_level && a->cache_size)
		usage_with_error(cmd->usage, cmd->options,
				 "--cache-level and --cache-size exclude each "
				 "other (the size replaces the node's caches)");
	if (!a->color)
		return;
	if (a->input || a->count > 1)
		usage_with_error(cmd->usage, cmd->options,
				 "--color cannot be combined with "
				 "--input or --count");
	parse_color(a->color, cmd, &p->color);
	p->has_color = true;
	if (a->cache_level)
		p->color.cache_level = parse_level(a->cache_level, cmd);
	if (a->cache_size) {
		p->color.cache_size =
			parse_size_arg(a->cache_size, "cache-size", cmd);
		if (!p->color.cache_size)
			usage_with_error(cmd->usage, cmd->options,
					 "invalid cache size \"%s\"",
					 a->cache_size);
	}
}

struct dax_region *placement_choose(struct dax_ctx *ctx,
				    const struct placement *p, uint64_t size,
				    unsigned int count, int *rc)
{
	/* The whole request goes to one region; too much is "none holds it". */
	uint64_t need =
		count && size > UINT64_MAX / count ? UINT64_MAX : size * count;
	struct dax_region *region;

	*rc = dax_ctx_choose_region(ctx, p->prefer, -1, need, &region);
	if (*rc == 0)
		return region;
	fprintf(stderr, "error: --prefer %s: no region chosen: %s\n",
		metric_name(p->prefer), strerror(-*rc));
	if (*rc == -ENOENT)
		fprintf(stderr, "  (daxctl list -RP shows each region's node "
				"and its figures)\n");
	return NULL;
}

bool placement_on_node(struct dax_region *region, const struct placement *p)
{
	int n;

	return p->node < 0 ||
	       (dax_region_get_target_node(region, &n) == 0 && n == p->node);
}

int placement_check_region(struct dax_region *region, const struct placement *p)
{
	if (placement_on_node(region, p))
		return 0;
	fprintf(stderr,
		"region %d: its memory is not on node %d "
		"(daxctl list -D shows target_node)\n",
		dax_region_get_id(region), p->node);
	return -ENODEV;
}

int placement_no_region(const struct placement *p)
{
	fprintf(stderr,
		"error: no dynamic region on node %d (daxctl list -D "
		"shows each device's target_node)\n",
		p->node);
	return -ENODEV;
}

int placement_plan_color(struct dax_region *region, const struct placement *p,
			 uint64_t size, uint64_t align,
			 struct dax_range **ranges, unsigned int *nr_ranges,
			 uint64_t *total)
{
	struct dax_color_request req = p->color;
	unsigned int i;
	int rc;

	req.size = size;
	req.align = align;
	*total = 0;
	rc = dax_region_plan_colors(region, &req, ranges, nr_ranges);
	if (rc < 0) {
		fprintf(stderr, "region %d: cannot place colour%s %u",
			dax_region_get_id(region),
			req.first == req.last ? "" : "s", req.first);
		if (req.last != req.first)
			fprintf(stderr, "-%u", req.last);
		fprintf(stderr, "/%u: %s\n", req.colors, strerror(-rc));
		return rc;
	}
	for (i = 0; i < *nr_ranges; i++)
		*total += (*ranges)[i].end - (*ranges)[i].start + 1;
	return 0;
}
