/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * create-device's placement options, for create.c: --color K[-K2]/N with
 * --cache-level or --cache-size (the device on cache colours, planned by
 * dax_region_plan_colors()), --node N (only the regions whose memory is
 * on node N) and --prefer METRIC (the one region whose node has the best
 * figure, dax_ctx_choose_region()). create.c owns the option table and the
 * transaction; this file reads these options and makes their decisions and
 * messages.
 */
#ifndef DAXCTL_PLACEMENT_H
#define DAXCTL_PLACEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include <libdax.h>

#include "builtin.h"

struct placement {
	bool has_color; /* --color given: @color holds it */
	struct dax_color_request color; /* first, last, colors, cache_level,
					   cache_size */
	int node; /* --node; -1: any node */
	enum dax_access_metric prefer; /* --prefer; 0: not given */
};

/* The placement options as given (NULL: not given) and their context. */
struct placement_args {
	const char *color, *cache_size, *cache_level, *node, *prefer;
	bool region; /* -r given */
	bool input; /* --input given */
	unsigned int count; /* --count */
};

/**
 * placement_parse() - read --color, --cache-size, --cache-level, --node
 * and --prefer of @a into @p. A malformed value or a refused combination
 * (with each other, or with -r, --input or --count above 1) is a usage
 * error: exits 129 with the usage, before anything is read.
 */
void placement_parse(const struct placement_args *a,
		     const struct daxctl_cmd *cmd, struct placement *p);

/**
 * placement_choose() - the region --prefer picks for @count devices of
 * @size bytes (0: any available), from the calling CPU's node
 * (dax_ctx_choose_region()).
 * Return: the region; NULL with *@rc set and the reason printed after the
 * library's own log line.
 */
struct dax_region *placement_choose(struct dax_ctx *ctx,
				    const struct placement *p, uint64_t size,
				    unsigned int count, int *rc);

/** placement_on_node() - whether @region's memory is on @p's node. */
bool placement_on_node(struct dax_region *region, const struct placement *p);

/**
 * placement_check_region() - the region -r names against --node.
 * Return: 0; -ENODEV (printed) when its memory is on another node.
 */
int placement_check_region(struct dax_region *region,
			   const struct placement *p);

/**
 * placement_no_region() - print that no dynamic region is on @p's node
 * (@p->node >= 0: a walk of every region kept none).
 * Return: -ENODEV.
 */
int placement_no_region(const struct placement *p);

/**
 * placement_plan_color() - the ranges of one device of @p's colours on
 * @region, of @size bytes (0: every window's slice) and align @align (0:
 * the region's), from dax_region_plan_colors(). Plan under the region's
 * lock when the plan is used. A refusal is printed after the library's
 * own log line ("region R: cannot place colour K/N: <strerror>").
 * Return: 0, *@ranges (malloc'ed, free() it), *@nr_ranges and *@total
 * (their bytes); or the planner's negative errno.
 */
int placement_plan_color(struct dax_region *region, const struct placement *p,
			 uint64_t size, uint64_t align,
			 struct dax_range **ranges, unsigned int *nr_ranges,
			 uint64_t *total);

#endif /* DAXCTL_PLACEMENT_H */
