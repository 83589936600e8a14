// SPDX-License-Identifier: GPL-2.0-only
/*
 * The node's HMAT figures (lib/node.c) and the cache-colour planner
 * (lib/placement.c) on constructed trees: a 2 GiB region at 4 GiB whose
 * target node 1 has a 256 MiB direct-mapped memory-side cache, as the
 * guest's hmat topology shows.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <syslog.h>

#include "check.h"
#include "libdax.h"
#include "tree.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)
#define BASE 0x100000000ull
#define HMEM0 "sys/devices/platform/hmem.0"
#define ND5 "sys/devices/platform/e820/ndbus0/region5/dax5.0"
#define NODE1 "sys/devices/system/node/node1"
#define CACHE1 NODE1 "/memory_side_cache/index1"

#define logbuf tree_logbuf
#define log_to_buf tree_log_to_buf

/* Region 0: 2 GiB at BASE, dax0.0 empty, node 1 with its HMAT figures. */
static void build(struct tree *t)
{
	tree_new(t);
	tree_platform(t, 4096, 2 * MiB);
	tree_region(t, HMEM0, 0, 2 * GiB, true, 2 * GiB, "dax0.0");
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 0,
				       .target_node = 1,
				       .numa_node = 0,
				       .resource = BASE,
				       .major = 252});
	tree_write(t, CACHE1 "/size", "268435456\n");
	tree_write(t, CACHE1 "/line_size", "64\n");
	tree_write(t, CACHE1 "/indexing", "0\n");
	tree_write(t, CACHE1 "/write_policy", "0\n");
	tree_write(t, NODE1 "/access0/initiators/read_latency", "40\n");
	tree_write(t, NODE1 "/access0/initiators/write_latency", "40\n");
	tree_write(t, NODE1 "/access0/initiators/read_bandwidth", "4096\n");
	tree_mkdir(t, "sys/devices/system/node/node0");
}

static void test_node(void)
{
	struct dax_node_access a;
	struct dax_node_cache c;
	struct dax_region *r;
	struct dax_ctx *ctx;
	struct tree t;
	int node = -1;

	build(&t);
	ctx = tree_ctx_logged(&t);
	CHECK_INT(dax_ctx_get_node_cache(ctx, 1, 0, &c), 0);
	CHECK_INT(c.level, 1);
	CHECK_U64(c.size, 256 * MiB);
	CHECK_U64(c.line_size, 64);
	CHECK_INT(c.indexing, 0);
	CHECK_INT(c.write_policy, 0);
	CHECK_INT(dax_ctx_get_node_cache(ctx, 1, 1, &c), 0);
	CHECK_INT(dax_ctx_get_node_cache(ctx, 1, 2, &c), -ENOENT);
	CHECK_INT(dax_ctx_get_node_cache(ctx, 0, 0, &c), -ENOENT);
	CHECK_INT(dax_ctx_get_node_cache(ctx, 7, 0, &c), -ENOENT);
	CHECK_INT(dax_ctx_get_node_cache(ctx, -1, 0, &c), -EINVAL);
	CHECK_INT(dax_ctx_get_node_access(ctx, 1, 0, &a), 0);
	CHECK_U64(a.read_latency, 40);
	CHECK_U64(a.read_bandwidth, 4096);
	CHECK_U64(a.write_bandwidth, 0); /* not reported: 0 */
	CHECK_INT(dax_ctx_get_node_access(ctx, 1, 1, &a), -ENOENT);
	CHECK_INT(dax_ctx_get_node_access(ctx, 0, 0, &a), -ENOENT);
	r = dax_region_find(ctx, 0);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(dax_region_get_target_node(r, &node), 0);
		CHECK_INT(node, 1);
	}
	/* A level that does not parse is an error, not "no cache". */
	tree_write(&t, CACHE1 "/indexing", "direct\n");
	dax_ctx_set_log_priority(ctx, LOG_CRIT);
	CHECK_INT(dax_ctx_get_node_cache(ctx, 1, 0, &c), -EINVAL);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static int plan(struct dax_ctx *ctx, int region,
		const struct dax_color_request *req, struct dax_range **v,
		unsigned int *n)
{
	struct dax_region *r = dax_region_find(ctx, region);

	logbuf[0] = '\0';
	if (!r)
		return -errno;
	return dax_region_plan_colors(r, req, v, n);
}

static void test_colors(void)
{
	struct dax_range *v[4] = {0}, *w = NULL;
	unsigned int n[4] = {0}, nw = 0, k, i, j, a, b;
	struct dax_ctx *ctx;
	struct tree t;
	bool seen[32] = {false};

	build(&t);
	ctx = tree_ctx_logged(&t);
	for (k = 0; k < 4; k++) {
		CHECK_INT(plan(ctx, 0,
			       &(struct dax_color_request){
				       .first = k, .last = k, .colors = 4},
			       &v[k], &n[k]),
			  0);
		CHECK_INT(n[k], 8);
		for (i = 0; i < n[k]; i++) {
			CHECK_U64(v[k][i].start,
				  BASE + i * 256 * MiB + k * 64 * MiB);
			CHECK_U64(v[k][i].end - v[k][i].start + 1, 64 * MiB);
		}
	}
	/* Pairwise disjoint sets of address mod 256 MiB; together all. */
	for (a = 0; a < 4; a++)
		for (b = a + 1; b < 4; b++)
			for (i = 0; i < n[a]; i++)
				for (j = 0; j < n[b]; j++)
					CHECK((v[a][i].start % (256 * MiB)) !=
					      (v[b][j].start % (256 * MiB)));
	for (k = 0; k < 4; k++)
		for (i = 0; i < n[k]; i++)
			seen[(v[k][i].start - BASE) / (64 * MiB)] = true;
	for (i = 0; i < 32; i++)
		CHECK(seen[i]);
	for (k = 0; k < 4; k++)
		free(v[k]);

	/* Two colours per device, and a size that ends inside a slice. */
	CHECK_INT(plan(ctx, 0,
		       &(struct dax_color_request){
			       .first = 1, .last = 2, .colors = 4},
		       &w, &nw),
		  0);
	CHECK_INT(nw, 8);
	if (nw == 8) {
		CHECK_U64(w[7].start, BASE + 7 * 256 * MiB + 64 * MiB);
		CHECK_U64(w[7].end, BASE + 7 * 256 * MiB + 192 * MiB - 1);
	}
	free(w);
	CHECK_INT(plan(ctx, 0,
		       &(struct dax_color_request){.size = 100 * MiB,
						   .first = 3,
						   .last = 3,
						   .colors = 4},
		       &w, &nw),
		  0);
	CHECK_INT(nw, 2);
	if (nw == 2) {
		CHECK_U64(w[0].start, BASE + 192 * MiB);
		CHECK_U64(w[1].start, BASE + 256 * MiB + 192 * MiB);
		CHECK_U64(w[1].end - w[1].start + 1, 36 * MiB);
	}
	free(w);
	/* An override wins over the node's cache. */
	CHECK_INT(plan(ctx, 0,
		       &(struct dax_color_request){.first = 0,
						   .last = 0,
						   .colors = 2,
						   .cache_size = GiB},
		       &w, &nw),
		  0);
	CHECK_INT(nw, 2);
	if (nw == 2)
		CHECK_U64(w[1].start, BASE + GiB);
	free(w);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* The call fails with @err, and nothing is returned. */
#define REJECT(ctx, region, req, err, text)                            \
	do {                                                           \
		struct dax_range *v_ = (struct dax_range *)1;          \
		unsigned int n_ = 99;                                  \
		CHECK_INT(plan(ctx, region, req, &v_, &n_), err);      \
		CHECK(v_ == NULL && n_ == 0);                          \
		check_report(strstr(logbuf, text) != NULL,             \
			     "log \"%s\" lacks \"%s\"", logbuf, text); \
	} while (0)

static void test_errors(void)
{
	struct dax_ctx *ctx;
	struct tree t;
	char *snap, *after;

	build(&t);
	/* dax0.1 takes 2 MiB at 16 MiB into window 2 (colour 0 of 4). */
	tree_region(&t, HMEM0, 0, 2 * GiB, true, 2 * GiB - 2 * MiB, "dax0.2");
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 1,
					.size = 2 * MiB,
					.target_node = 1,
					.resource = BASE + 528 * MiB,
					.major = 252,
					.minor = 1});
	tree_mapping(&t, HMEM0, 0, 1, 0, BASE + 528 * MiB, BASE + 530 * MiB - 1,
		     0);
	tree_region(&t, ND5, 5, 512 * MiB, false, 0, NULL);
	tree_dev(&t, &(struct tree_dev){.host = ND5,
					.region = 5,
					.id = 0,
					.size = 512 * MiB,
					.driver = "device_dax",
					.target_node = -1,
					.resource = 0x200000000,
					.major = 252,
					.minor = 9});
	ctx = tree_ctx_logged(&t);
	snap = tree_snapshot(&t);

	REJECT(ctx, 0, (&(struct dax_color_request){.colors = 0}), -EINVAL,
	       "need first <= last < N");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 2, .last = 1, .colors = 4}),
	       -EINVAL, "need first <= last < N");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 4, .last = 4, .colors = 4}),
	       -EINVAL, "need first <= last < N");
	/* A slice not a multiple of the align (64 MiB vs 1 GiB; 256M / 3). */
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 1, .last = 1, .colors = 4, .align = GiB}),
	       -EINVAL, "is not a multiple of 0x40000000");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 0, .last = 0, .colors = 3}),
	       -EINVAL, "in 3 colours is not a multiple");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .size = 3 * MiB, .first = 1, .last = 1, .colors = 4}),
	       -EINVAL, "size 0x300000 is not a multiple of 0x200000");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 1, .last = 1, .colors = 4, .align = 12345}),
	       -EINVAL, "");
	/* A slice partly taken: ENOSPC naming the window; others are fine. */
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 0, .last = 0, .colors = 4}),
	       -ENOSPC,
	       "window 2 (0x120000000-0x12fffffff): its slice "
	       "0x120000000-0x123ffffff is taken (0x121000000-0x1211fffff");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 0, .last = 1, .colors = 8}),
	       -ENOSPC, "window 2 (0x120000000-0x12fffffff)");
	{
		struct dax_range *v = NULL;
		unsigned int n = 0;

		/* Windows before the taken one suffice. */
		CHECK_INT(plan(ctx, 0,
			       &(struct dax_color_request){.size = 128 * MiB,
							   .first = 0,
							   .last = 0,
							   .colors = 4},
			       &v, &n),
			  0);
		CHECK_INT(n, 2);
		free(v);
		CHECK_INT(plan(ctx, 0,
			       &(struct dax_color_request){
				       .first = 1, .last = 3, .colors = 4},
			       &v, &n),
			  0);
		CHECK_INT(n, 8);
		free(v);
	}
	/* More than the colour holds. */
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .size = GiB, .first = 1, .last = 1, .colors = 4}),
	       -ENOSPC, "give 0x20000000 bytes");
	/* A static region. */
	REJECT(ctx, 5,
	       (&(struct dax_color_request){
		       .first = 0, .last = 0, .colors = 4}),
	       -EOPNOTSUPP, "static region");
	/* Nothing was written by any of it. */
	after = tree_snapshot(&t);
	CHECK_STR(after, snap);
	free(snap);
	free(after);

	/* No cache, no override: -ENOENT saying what to do. */
	tree_remove(&t, NODE1 "/memory_side_cache");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 1, .last = 1, .colors = 4}),
	       -ENOENT,
	       "node 1 reports no memory-side cache (no HMAT cache entry): "
	       "give the cache size");
	{
		struct dax_range *v = NULL;
		unsigned int n = 0;

		CHECK_INT(plan(ctx, 0,
			       &(struct dax_color_request){.first = 1,
							   .last = 1,
							   .colors = 4,
							   .cache_size =
								   256 * MiB},
			       &v, &n),
			  0);
		CHECK_INT(n, 8);
		free(v);
	}
	/* A cache that is not direct-mapped. */
	tree_write(&t, CACHE1 "/size", "268435456\n");
	tree_write(&t, CACHE1 "/line_size", "64\n");
	tree_write(&t, CACHE1 "/indexing", "1\n");
	tree_write(&t, CACHE1 "/write_policy", "0\n");
	REJECT(ctx, 0,
	       (&(struct dax_color_request){
		       .first = 1, .last = 1, .colors = 4}),
	       -EOPNOTSUPP, "is not direct-mapped (indexing 1)");
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * A region in the last windows of the address space: a skipped window (its
 * slice past the region's end) must end the walk, not wrap around to 0.
 */
static void test_top(void)
{
	const uint64_t top = 0xffffffffe0000000ull;
	struct dax_range *v = NULL;
	struct dax_ctx *ctx;
	struct tree t;
	unsigned int n = 0;

	build(&t);
	/* 384 MiB: all of window 0, half of window 1. */
	tree_region(&t, HMEM0, 0, 384 * MiB, true, 384 * MiB, "dax0.0");
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 0,
					.target_node = 1,
					.resource = top,
					.major = 252});
	ctx = tree_ctx_logged(&t);
	CHECK_INT(plan(ctx, 0,
		       &(struct dax_color_request){
			       .first = 3, .last = 3, .colors = 4},
		       &v, &n),
		  0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_U64(v[0].start, top + 192 * MiB);
		CHECK_U64(v[0].end, top + 256 * MiB - 1);
	}
	free(v);
	CHECK_INT(plan(ctx, 0,
		       &(struct dax_color_request){
			       .first = 0, .last = 0, .colors = 4},
		       &v, &n),
		  0);
	CHECK_INT(n, 2);
	free(v);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

int main(void)
{
	test_node();
	test_colors();
	test_errors();
	test_top();
	return check_exit();
}
