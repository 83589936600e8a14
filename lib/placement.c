// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The placement planner: a request (cache colours of a region) becomes the
 * list of ranges a device would get, for dax_region_create_dev().
 *
 * Rules: the planner writes nothing and locks nothing; every input is read
 * from sysfs again (bounds and ranges in use through lib/space.c, the
 * cache through lib/node.c), so the plan describes the kernel's state of
 * the moment, and the create call checks it again under the lock. Every
 * refusal is decided before the first range is returned and is logged at
 * LOG_ERR with the numbers that made it: a caller (daxctl) adds only its
 * own context. Colours are taken in physical address order of the windows,
 * never reordered, so two plans of the same state are the same.
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
	rc = dax_ctx_get_node_cache(ctx, node, 0, &cache);
	if (rc == -ENOENT) {
		plan_err(ctx,
			 "region %d: node %d reports no memory-side cache "
			 "(no HMAT cache entry): give the cache size\n",
			 id, node);
		return rc;
	}
	if (rc < 0)
		return rc;
	if (cache.indexing != 0) {
		plan_err(ctx,
			 "region %d: the memory-side cache of node %d (level "
			 "%u) is not direct-mapped (indexing %d): colours do "
			 "not apply; give the cache size to force them\n",
			 id, node, cache.level, cache.indexing);
		return -EOPNOTSUPP;
	}
	if (cache.size == 0) {
		plan_err(ctx, "region %d: node %d reports a cache of size 0\n",
			 id, node);
		return -EINVAL;
	}
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

DAX_EXPORT int dax_region_plan_colors(struct dax_region *region,
				      const struct dax_color_request *req,
				      struct dax_range **ranges,
				      unsigned int *nr_ranges)
{
	struct dax_range bounds, *used = NULL;
	struct plan p = {0};
	uint64_t c, gran, align;
	struct dax_ctx *ctx;
	size_t nused = 0;
	int id, rc;

	if (ranges)
		*ranges = NULL;
	if (nr_ranges)
		*nr_ranges = 0;
	if (!region || !req || !ranges || !nr_ranges)
		return -EINVAL;
	if (dax_region_is_gone(region))
		return -ENODEV;
	ctx = dax_region_get_ctx(region);
	id = dax_region_get_id(region);
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
	rc = space_bounds(region, &bounds);
	if (rc < 0) {
		plan_err(ctx,
			 "region %d: its physical bounds are unknown, so its "
			 "cache windows are too\n",
			 id);
		return rc;
	}
	rc = space_used(region, &used, &nused);
	if (rc < 0)
		return rc;
	rc = plan_windows(ctx, id, req, c, &bounds, used, nused, &p);
	free(used);
	if (rc == 0 && p.n > UINT32_MAX)
		rc = -E2BIG;
	if (rc < 0) {
		free(p.v);
		return rc;
	}
	*ranges = p.v;
	*nr_ranges = (unsigned int)p.n;
	return 0;
}
