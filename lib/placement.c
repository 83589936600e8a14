// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The placement planner: a request (cache colours of a region) becomes the
 * list of ranges a device would get, for dax_region_create_dev(); and the
 * choice of a region by the access figures of its target node.
 *
 * Rules: the planner writes nothing and locks nothing; every input is read
 * from sysfs again (bounds and ranges in use through lib/space.c, the
 * cache through lib/node.c), so the plan describes the kernel's state of
 * the moment, and the create call checks it again under the lock. Every
 * refusal is decided before the first range is returned and is logged at
 * LOG_ERR with the numbers that made it: a caller (daxctl) adds only its
 * own context. Colours are taken in physical address order of the windows,
 * never reordered, so two plans of the same state are the same.
 *
 * The choice ranks the dynamic regions that can hold the request by one
 * figure of their target node as an initiator node sees it (the CPU class,
 * access1, when the node has it, else access0), and only nodes that list
 * that initiator count: the kernel's figures are those of the node's best
 * initiators, and claim nothing for the others. A figure the kernel does
 * not report never wins; ties go to the lower region id.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "private.h"

/* Refusals are the API call's, whichever helper found them: name it. */
#define plan_err(ctx, ...)                                              \
	do {                                                            \
		if (dax_ctx_get_log_priority(ctx) >= LOG_ERR)           \
			dax_log(ctx, LOG_ERR, __FILE__, __LINE__,       \
				"dax_region_plan_colors", __VA_ARGS__); \
	} while (0)

/* The cache of level @level of @node, which must be direct-mapped. */
static int level_cache(struct dax_ctx *ctx, int id, int node,
		       unsigned int level, struct dax_node_cache *c)
{
	int rc = dax_ctx_get_node_cache(ctx, node, level, c);

	if (rc == -ENOENT) {
		plan_err(ctx,
			 "region %d: node %d reports no memory-side cache of "
			 "level %u\n",
			 id, node, level);
		return rc;
	}
	if (rc < 0)
		return rc;
	if (c->indexing != 0) {
		plan_err(ctx,
			 "region %d: the memory-side cache of node %d (level "
			 "%u) is not direct-mapped (indexing %d): colours do "
			 "not apply; give the cache size to force them\n",
			 id, node, level, c->indexing);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The cache to colour by when the request names no level: the largest
 * direct-mapped one, the lower level on a tie. The kernel numbers
 * memory-side caches from the memory (level 1, "far" side) towards the
 * CPU; the largest is the one in front of the memory and the costliest to
 * share, as what it evicts is refetched from the memory itself.
 */
static int default_cache(struct dax_ctx *ctx, int id, int node,
			 struct dax_node_cache *best)
{
	struct dax_node_cache c, last = {0};
	unsigned int l, seen = 0;
	bool found = false;
	int rc;

	for (l = 1; l <= NODE_MAX_CACHE_LEVEL; l++) {
		rc = dax_ctx_get_node_cache(ctx, node, l, &c);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		seen++;
		last = c;
		if (c.indexing == 0 && (!found || c.size > best->size)) {
			*best = c;
			found = true;
		}
	}
	if (!seen) {
		plan_err(ctx,
			 "region %d: node %d reports no memory-side cache "
			 "(no HMAT cache entry): give the cache size\n",
			 id, node);
		return -ENOENT;
	}
	if (!found && seen == 1)
		return level_cache(ctx, id, node, last.level, best);
	if (!found) {
		plan_err(ctx,
			 "region %d: none of the %u memory-side cache levels "
			 "of node %d is direct-mapped: colours do not apply; "
			 "give the cache size to force them\n",
			 id, seen, node);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* The cache size @req asks for: its own, or the target node's. */
static int color_cache_size(struct dax_region *region,
			    const struct dax_color_request *req, uint64_t *c)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int id = dax_region_get_id(region), node, rc;
	struct dax_node_cache cache;

	if (req->cache_size) {
		*c = req->cache_size;
		return 0;
	}
	rc = dax_region_get_target_node(region, &node);
	if (rc < 0) {
		plan_err(ctx,
			 "region %d: no target node known, so no memory-side "
			 "cache: give the cache size\n",
			 id);
		return rc == -ENODEV ? rc : -ENOENT;
	}
	if (req->cache_level)
		rc = level_cache(ctx, id, node, req->cache_level, &cache);
	else
		rc = default_cache(ctx, id, node, &cache);
	if (rc < 0)
		return rc;
	if (cache.size == 0) {
		plan_err(ctx,
			 "region %d: node %d reports a cache of size 0 "
			 "(level %u)\n",
			 id, node, cache.level);
		return -EINVAL;
	}
	dax_dbg(ctx,
		"region %d: colours of node %d's level %u cache (%#" PRIx64
		" bytes)\n",
		id, node, cache.level, cache.size);
	*c = cache.size;
	return 0;
}

static int check_request(struct dax_ctx *ctx, int id,
			 const struct dax_color_request *req)
{
	if (req->colors == 0 || req->first > req->last ||
	    req->last >= req->colors) {
		plan_err(ctx,
			 "region %d: colours %u-%u of %u: need first <= last "
			 "< N\n",
			 id, req->first, req->last, req->colors);
		return -EINVAL;
	}
	if (req->cache_level > NODE_MAX_CACHE_LEVEL ||
	    (req->cache_level && req->cache_size)) {
		plan_err(ctx,
			 "region %d: cache level %u%s: give a level from 1 to "
			 "%d, or a cache size, not both\n",
			 id, req->cache_level,
			 req->cache_size ? " and a cache size" : "",
			 NODE_MAX_CACHE_LEVEL);
		return -EINVAL;
	}
	if (req->align && !space_align_valid(ctx, req->align)) {
		platform_log_aligns(ctx, req->align);
		return -EINVAL;
	}
	return 0;
}

/* Whether [@s, @e] overlaps a range of the sorted @used; *@hit gets it. */
static bool overlaps(uint64_t s, uint64_t e, const struct dax_range *used,
		     size_t n, const struct dax_range **hit)
{
	size_t i;

	for (i = 0; i < n && used[i].start <= e; i++) {
		if (used[i].end >= s) {
			*hit = &used[i];
			return true;
		}
	}
	return false;
}

struct plan {
	struct dax_range *v;
	size_t n;
};

static int plan_add(struct plan *p, uint64_t start, uint64_t len)
{
	struct dax_range *nv = reallocarray(p->v, p->n + 1, sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	p->v = nv;
	nv[p->n].start = start;
	nv[p->n].end = start + len - 1;
	p->n++;
	return 0;
}

/* "colour K/N" or "colours K-K2/N", for messages. */
static const char *color_text(const struct dax_color_request *req, char *buf,
			      size_t size)
{
	if (req->first == req->last)
		snprintf(buf, size, "colour %u/%u", req->first, req->colors);
	else
		snprintf(buf, size, "colours %u-%u/%u", req->first, req->last,
			 req->colors);
	return buf;
}

/* Walk the windows of @b; the slice of each, checked free, into @p. */
static int plan_windows(struct dax_ctx *ctx, int id,
			const struct dax_color_request *req, uint64_t c,
			const struct dax_range *b, const struct dax_range *used,
			size_t nused, struct plan *p)
{
	uint64_t unit = c / req->colors, off = unit * req->first;
	uint64_t slice = unit * (req->last - req->first + 1);
	uint64_t left = req->size, got = 0, i;
	char what[64];
	int rc = 0;

	/*
	 * By window index: the address of the window after the last one may
	 * not fit in 64 bits, and a skipped window must not wrap to 0.
	 */
	for (i = b->start / c; i <= b->end / c && rc == 0; i++) {
		const struct dax_range *hit;
		uint64_t w = i * c, k = i - b->start / c;
		uint64_t s = w + off, e = s + slice - 1, len;

		if (req->size && !left)
			break;
		if (s < w || e < s || s < b->start || e > b->end)
			continue; /* not wholly in the region */
		if (overlaps(s, e, used, nused, &hit)) {
			plan_err(ctx,
				 "region %d: %s: window %" PRIu64 " "
				 "(%#" PRIx64 "-%#" PRIx64 "): its slice "
				 "%#" PRIx64 "-%#" PRIx64 " is taken "
				 "(%#" PRIx64 "-%#" PRIx64 " in use)\n",
				 id, color_text(req, what, sizeof(what)), k, w,
				 w + c - 1, s, e, hit->start, hit->end);
			return -ENOSPC;
		}
		len = req->size && left < slice ? left : slice;
		rc = plan_add(p, s, len);
		left -= req->size ? len : 0;
		got += len;
	}
	if (rc == 0 && (left || got == 0)) {
		plan_err(ctx,
			 "region %d: %s of a %#" PRIx64 "-byte cache give "
			 "%#" PRIx64 " bytes in %#" PRIx64 "-%#" PRIx64
			 ", less than the %#" PRIx64 " asked\n",
			 id, color_text(req, what, sizeof(what)), c, got,
			 b->start, b->end, req->size ? req->size : slice);
		rc = -ENOSPC;
	}
	return rc;
}

int placement_colors(struct dax_region *region,
		     const struct dax_color_request *req,
		     const struct dax_range *bounds,
		     const struct dax_range *used, size_t nused,
		     struct dax_range **v, size_t *n)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int id = dax_region_get_id(region), rc;
	struct dax_range b, *live = NULL;
	struct plan p = {0};
	uint64_t c, gran, align;

	*v = NULL;
	*n = 0;
	if (!dax_region_is_dynamic(region)) {
		plan_err(ctx, "region %d: static region: no placement\n", id);
		return -EOPNOTSUPP;
	}
	rc = check_request(ctx, id, req);
	if (rc < 0)
		return rc;
	align = req->align;
	if (!align && dax_region_get_align(region, &align) < 0)
		align = 0;
	gran = space_gran(ctx, align);
	rc = color_cache_size(region, req, &c);
	if (rc < 0)
		return rc;
	if (c % req->colors || (c / req->colors) % gran) {
		plan_err(ctx,
			 "region %d: a slice of the %#" PRIx64 "-byte cache "
			 "in %u colours is not a multiple of %#" PRIx64
			 " (the larger of the align and the kernel's unit)\n",
			 id, c, req->colors, gran);
		return -EINVAL;
	}
	if (req->size % gran) {
		plan_err(ctx,
			 "region %d: size %#" PRIx64 " is not a multiple of "
			 "%#" PRIx64 "\n",
			 id, req->size, gran);
		return -EINVAL;
	}
	if (!bounds) {
		rc = space_bounds(region, &b);
		if (rc < 0) {
			plan_err(ctx,
				 "region %d: its physical bounds are unknown, "
				 "so its cache windows are too\n",
				 id);
			return rc;
		}
		rc = space_used(region, &live, &nused);
		if (rc < 0)
			return rc;
		bounds = &b;
		used = live;
	}
	rc = plan_windows(ctx, id, req, c, bounds, used, nused, &p);
	free(live);
	if (rc < 0) {
		free(p.v);
		return rc;
	}
	*v = p.v;
	*n = p.n;
	return 0;
}

DAX_EXPORT int dax_region_plan_colors(struct dax_region *region,
				      const struct dax_color_request *req,
				      struct dax_range **ranges,
				      unsigned int *nr_ranges)
{
	struct dax_range *v = NULL;
	size_t n = 0;
	int rc;

	if (ranges)
		*ranges = NULL;
	if (nr_ranges)
		*nr_ranges = 0;
	if (!region || !req || !ranges || !nr_ranges)
		return -EINVAL;
	if (dax_region_is_gone(region))
		return -ENODEV;
	rc = placement_colors(region, req, NULL, NULL, 0, &v, &n);
	if (rc == 0 && n > UINT32_MAX)
		rc = -E2BIG;
	if (rc < 0) {
		free(v);
		return rc;
	}
	*ranges = v;
	*nr_ranges = (unsigned int)n;
	return 0;
}

static const char *const metric_names[] = {
	[DAX_ACCESS_READ_BANDWIDTH] = "read_bandwidth",
	[DAX_ACCESS_WRITE_BANDWIDTH] = "write_bandwidth",
	[DAX_ACCESS_READ_LATENCY] = "read_latency",
	[DAX_ACCESS_WRITE_LATENCY] = "write_latency",
};

#define choose_err(ctx, ...)                                           \
	do {                                                           \
		if (dax_ctx_get_log_priority(ctx) >= LOG_ERR)          \
			dax_log(ctx, LOG_ERR, __FILE__, __LINE__,      \
				"dax_ctx_choose_region", __VA_ARGS__); \
	} while (0)

static uint64_t metric_of(const struct dax_node_access *a,
			  enum dax_access_metric m)
{
	switch (m) {
	case DAX_ACCESS_READ_BANDWIDTH:
		return a->read_bandwidth;
	case DAX_ACCESS_WRITE_BANDWIDTH:
		return a->write_bandwidth;
	case DAX_ACCESS_READ_LATENCY:
		return a->read_latency;
	case DAX_ACCESS_WRITE_LATENCY:
		return a->write_latency;
	}
	return 0;
}

static bool is_latency(enum dax_access_metric m)
{
	return m == DAX_ACCESS_READ_LATENCY || m == DAX_ACCESS_WRITE_LATENCY;
}

/*
 * @region's figure for @m from @initiator into *@v: 0; -ENOENT (logged at
 * debug level) when the region has no such figure: no target node, no
 * access class, not that initiator's, or not reported.
 */
static int region_figure(struct dax_region *region, enum dax_access_metric m,
			 int initiator, uint64_t *v)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int id = dax_region_get_id(region), node, rc;
	struct dax_node_access a;
	unsigned int cls;

	rc = dax_region_get_target_node(region, &node);
	if (rc < 0) {
		dax_dbg(ctx, "region %d: no target node\n", id);
		return rc == -ENODEV ? rc : -ENOENT;
	}
	rc = node_cpu_access_class(ctx, node, &cls);
	if (rc == -ENOENT) {
		dax_dbg(ctx, "region %d: node %d reports no access figures\n",
			id, node);
		return rc;
	}
	if (rc == 0)
		rc = node_has_initiator(ctx, node, cls, initiator);
	if (rc == -ENOENT) {
		dax_dbg(ctx,
			"region %d: node %d is not one of node %d's access%u "
			"initiators\n",
			id, initiator, node, cls);
		return rc;
	}
	if (rc == 0)
		rc = dax_ctx_get_node_access(ctx, node, cls, &a);
	if (rc < 0)
		return rc;
	*v = metric_of(&a, m);
	if (!*v) {
		dax_dbg(ctx, "region %d: node %d reports no access%u %s\n", id,
			node, cls, metric_names[m]);
		return -ENOENT;
	}
	dax_dbg(ctx, "region %d: node %d access%u %s %" PRIu64 "\n", id, node,
		cls, metric_names[m], *v);
	return 0;
}

/* Whether @region is dynamic and has @size bytes (0: any) available. */
static bool region_holds(struct dax_region *region, uint64_t size)
{
	uint64_t avail;

	if (!dax_region_is_dynamic(region) ||
	    dax_region_get_available_size(region, &avail) < 0)
		return false;
	return size ? avail >= size : avail > 0;
}

DAX_EXPORT int dax_ctx_choose_region(struct dax_ctx *ctx,
				     enum dax_access_metric metric,
				     int initiator, uint64_t size,
				     struct dax_region **region)
{
	struct dax_region *r, *best = NULL;
	unsigned int ranked = 0;
	uint64_t v, bv = 0;
	int rc;

	if (region)
		*region = NULL;
	if (!ctx || !region || metric < DAX_ACCESS_READ_BANDWIDTH ||
	    metric > DAX_ACCESS_WRITE_LATENCY)
		return -EINVAL;
	if (initiator < 0) {
		rc = dax_ctx_get_cpu_node(ctx, &initiator);
		if (rc < 0) {
			choose_err(ctx,
				   "the node of the calling CPU is unknown "
				   "(%d)\n",
				   rc);
			return rc;
		}
	}
	r = dax_region_get_first(ctx);
	if (!r && errno)
		return -errno;
	for (; r; r = dax_region_get_next(r)) {
		if (!dax_region_is_dynamic(r))
			continue;
		rc = region_figure(r, metric, initiator, &v);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		ranked++;
		if (!region_holds(r, size)) {
			dax_dbg(ctx, "region %d: not %" PRIu64 " bytes free\n",
				dax_region_get_id(r), size);
			continue;
		}
		/* Strictly better only: regions come in id order. */
		if (!best || (is_latency(metric) ? v < bv : v > bv)) {
			best = r;
			bv = v;
		}
	}
	if (!best && !ranked) {
		choose_err(ctx,
			   "no dynamic region's node reports %s from node "
			   "%d\n",
			   metric_names[metric], initiator);
		return -ENOENT;
	}
	if (!best) {
		choose_err(ctx,
			   "none of the %u dynamic region%s with %s figures "
			   "from node %d has %" PRIu64 " bytes available\n",
			   ranked, ranked == 1 ? "" : "s", metric_names[metric],
			   initiator, size);
		return -ENOSPC;
	}
	dax_info(ctx, "region %d: the best %s from node %d (%" PRIu64 ")\n",
		 dax_region_get_id(best), metric_names[metric], initiator, bv);
	*region = best;
	return 0;
}
