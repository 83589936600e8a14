// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choosing a region by its node's access figures (dax_ctx_choose_region(),
 * dax_ctx_get_cpu_node()) and the memory-side cache level the colour
 * planner uses, on a constructed tree with four regions:
 *
 *   region  node  figures from initiator node 0
 *   0 2 GiB  1    access0 = access1: rl 40, wl 50, rb 4096, wb 2048;
 *                 caches: level 1 1 GiB, level 2 256 MiB
 *   1 1 GiB  2    access1: rl 30, wl 60, rb 4096, wb 8192; access0 (which
 *                 must be passed over for access1): rb 9999, from 0 and 7
 *   2 1 GiB  3    access0 only, from node 5 alone: rl 1, rb 99999
 *   3 1 GiB  4    none
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "check.h"
#include "libdax.h"
#include "tree.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)
#define NODES "sys/devices/system/node"

#define logbuf tree_logbuf
#define log_to_buf tree_log_to_buf

static void put(struct tree *t, const char *path, const char *content)
{
	tree_write(t, path, content);
}

/* nodeN/accessC/initiators/ with the figures (0: not reported). */
static void put_access(struct tree *t, int node, int cls, const int *inits,
		       uint64_t rl, uint64_t wl, uint64_t rb, uint64_t wb)
{
	const char *names[] = {"read_latency", "write_latency",
			       "read_bandwidth", "write_bandwidth"};
	uint64_t v[] = {rl, wl, rb, wb};
	char *dir, *p, *val;
	int i;

	dir = tree_fmt(NODES "/node%d/access%d/initiators", node, cls);
	tree_mkdir(t, dir);
	for (i = 0; i < 4; i++) {
		if (!v[i])
			continue;
		p = tree_fmt("%s/%s", dir, names[i]);
		val = tree_fmt("%llu\n", (unsigned long long)v[i]);
		put(t, p, val);
		free(p);
		free(val);
	}
	for (; *inits >= 0; inits++) {
		char *target = tree_fmt("../../../node%d", *inits);

		p = tree_fmt("%s/node%d", dir, *inits);
		tree_symlink(t, target, p);
		free(target);
		free(p);
	}
	free(dir);
}

static void cache(struct tree *t, int node, int level, uint64_t size,
		  int indexing)
{
	char *dir = tree_fmt(NODES "/node%d/memory_side_cache/index%d", node,
			     level);
	char *p, *v;

	p = tree_fmt("%s/size", dir);
	v = tree_fmt("%llu\n", (unsigned long long)size);
	put(t, p, v);
	free(p);
	free(v);
	p = tree_fmt("%s/line_size", dir);
	put(t, p, "64\n");
	free(p);
	p = tree_fmt("%s/indexing", dir);
	put(t, p, indexing ? "1\n" : "0\n");
	free(p);
	p = tree_fmt("%s/write_policy", dir);
	put(t, p, "0\n");
	free(p);
	free(dir);
}

/* cpuM links of every CPU this machine may run the test on, in @node. */
static void cpus_on(struct tree *t, int node)
{
	long n = sysconf(_SC_NPROCESSORS_CONF), i;
	int k;

	if (n < 1)
		n = 1;
	for (k = 0; k <= 4; k++) {
		for (i = 0; i < n + 64; i++) {
			char *p = tree_fmt(NODES "/node%d/cpu%ld", k, i);

			if (k == node) {
				char *target = tree_fmt("../../cpu/cpu%ld", i);

				tree_symlink(t, target, p);
				free(target);
			} else {
				tree_remove(t, p);
			}
			free(p);
		}
	}
}

static void region(struct tree *t, int id, uint64_t size, uint64_t avail,
		   int node, uint64_t base)
{
	char *host = tree_fmt("sys/devices/platform/hmem.%d", id);
	char *seed = tree_fmt("dax%d.0", id);

	tree_region(t, host, id, size, true, avail, seed);
	tree_dev(t, &(struct tree_dev){.host = host,
				       .region = id,
				       .id = 0,
				       .target_node = node,
				       .resource = base,
				       .major = 252});
	free(host);
	free(seed);
}

static void build(struct tree *t)
{
	int n;

	tree_new(t);
	tree_platform(t, 4096, 2 * MiB);
	region(t, 0, 2 * GiB, 2 * GiB, 1, 4 * GiB);
	region(t, 1, GiB, GiB, 2, 8 * GiB);
	region(t, 2, GiB, GiB, 3, 10 * GiB);
	region(t, 3, GiB, GiB, 4, 12 * GiB);
	for (n = 0; n <= 4; n++) {
		char *p = tree_fmt(NODES "/node%d", n);

		tree_mkdir(t, p);
		free(p);
	}
	put(t, NODES "/online", "0-4\n");
	cpus_on(t, 0);
	put_access(t, 1, 0, (const int[]){0, -1}, 40, 50, 4096, 2048);
	put_access(t, 1, 1, (const int[]){0, -1}, 40, 50, 4096, 2048);
	put_access(t, 2, 1, (const int[]){0, -1}, 30, 60, 4096, 8192);
	put_access(t, 2, 0, (const int[]){0, 7, -1}, 0, 0, 9999, 0);
	put_access(t, 3, 0, (const int[]){5, -1}, 1, 0, 99999, 0);
	cache(t, 1, 1, GiB, 0);
	cache(t, 1, 2, 256 * MiB, 0);
}

/* The id of the region chosen, or the negative errno. */
static int choose(struct dax_ctx *ctx, enum dax_access_metric m, int init,
		  uint64_t size)
{
	struct dax_region *r = (struct dax_region *)1;
	int rc;

	logbuf[0] = '\0';
	rc = dax_ctx_choose_region(ctx, m, init, size, &r);
	if (rc < 0) {
		CHECK(r == NULL);
		return rc;
	}
	return dax_region_get_id(r);
}

static void test_rank(void)
{
	struct dax_ctx *ctx;
	struct tree t;

	build(&t);
	ctx = tree_ctx_logged(&t);
	/* A tie (4096 on node 1 and node 2's access1) goes to region 0. */
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 0, 0), 0);
	CHECK_INT(choose(ctx, DAX_ACCESS_WRITE_BANDWIDTH, 0, 0), 1);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_LATENCY, 0, 0), 1);
	CHECK_INT(choose(ctx, DAX_ACCESS_WRITE_LATENCY, 0, 0), 0);
	/* Only node 3 lists initiator 5, and it reports no write figures. */
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 5, 0), 2);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_LATENCY, 5, 0), 2);
	CHECK_INT(choose(ctx, DAX_ACCESS_WRITE_BANDWIDTH, 5, 0), -ENOENT);
	CHECK(strstr(logbuf, "no dynamic region's node reports "
			     "write_bandwidth from node 5") != NULL);
	/* Node 7 is in node 2's access0 only, which access1 replaces. */
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 7, 0), -ENOENT);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 9, 0), -ENOENT);
	/* The calling CPU is on node 0. */
	CHECK_INT(choose(ctx, DAX_ACCESS_WRITE_BANDWIDTH, -1, 0), 1);
	/* Capacity: only region 0 holds 1.5 GiB; none holds 3 GiB. */
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_LATENCY, 0, GiB), 1);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_LATENCY, 0, 3 * GiB / 2), 0);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_LATENCY, 0, 3 * GiB), -ENOSPC);
	CHECK(strstr(logbuf, "none of the 2 dynamic regions with "
			     "read_latency figures from node 0 has "
			     "3221225472 bytes available") != NULL);
	/* Bad arguments. */
	CHECK_INT(choose(ctx, 0, 0, 0), -EINVAL);
	CHECK_INT(choose(ctx, DAX_ACCESS_WRITE_LATENCY + 1, 0, 0), -EINVAL);
	CHECK_INT(
		dax_ctx_choose_region(ctx, DAX_ACCESS_READ_LATENCY, 0, 0, NULL),
		-EINVAL);
	dax_ctx_unref(ctx);

	/* Region 0 full: the tie on read bandwidth goes to region 1. */
	tree_write(&t, "sys/devices/platform/hmem.0/dax_region/available_size",
		   "0\n");
	ctx = tree_ctx_logged(&t);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 0, 0), 1);
	dax_ctx_unref(ctx);

	/* Without node 2's access1, its access0 counts (from 0 and 7). */
	tree_remove(&t, NODES "/node2/access1");
	ctx = tree_ctx_logged(&t);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 0, 0), 1);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, 7, 0), 1);
	/* Node 2's access0 has no read latency; region 0 has no room. */
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_LATENCY, 0, 0), -ENOSPC);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_cpu_node(void)
{
	struct dax_ctx *ctx;
	struct tree t;
	int node = -1;

	build(&t);
	ctx = tree_ctx_logged(&t);
	CHECK_INT(dax_ctx_get_cpu_node(ctx, &node), 0);
	CHECK_INT(node, 0);
	cpus_on(&t, 3);
	CHECK_INT(dax_ctx_get_cpu_node(ctx, &node), 0);
	CHECK_INT(node, 3);
	/* Node 3 is no initiator of its own: nothing qualifies from it. */
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, -1, 0), -ENOENT);
	/* A node that is not online is not looked at. */
	put(&t, NODES "/online", "0-2,4\n");
	CHECK_INT(dax_ctx_get_cpu_node(ctx, &node), -ENOENT);
	put(&t, NODES "/online", "0-x\n");
	logbuf[0] = '\0';
	CHECK_INT(dax_ctx_get_cpu_node(ctx, &node), -EINVAL);
	CHECK(strstr(logbuf, "online: cannot parse \"0-x\"") != NULL);
	put(&t, NODES "/online", "2-1\n");
	CHECK_INT(dax_ctx_get_cpu_node(ctx, &node), -EINVAL);
	tree_remove(&t, NODES "/online");
	CHECK_INT(dax_ctx_get_cpu_node(ctx, &node), -ENOENT);
	CHECK_INT(choose(ctx, DAX_ACCESS_READ_BANDWIDTH, -1, 0), -ENOENT);
	CHECK(strstr(logbuf, "the node of the calling CPU is unknown") != NULL);
	CHECK_INT(dax_ctx_get_cpu_node(ctx, NULL), -EINVAL);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* Colour 0 of 4 of region 0 (2 GiB at 4 GiB): its number of ranges. */
static int ranges_of(struct dax_ctx *ctx, unsigned int level,
		     uint64_t cache_size, uint64_t *len)
{
	struct dax_region *r = dax_region_find(ctx, 0);
	struct dax_range *v = NULL;
	unsigned int n = 0;
	int rc;

	logbuf[0] = '\0';
	if (!r)
		return -errno;
	rc = dax_region_plan_colors(
		r,
		&(struct dax_color_request){.first = 0,
					    .last = 0,
					    .colors = 4,
					    .cache_level = level,
					    .cache_size = cache_size},
		&v, &n);
	if (rc == 0 && n)
		*len = v[0].end - v[0].start + 1;
	free(v);
	return rc < 0 ? rc : (int)n;
}

static void test_levels(void)
{
	struct dax_ctx *ctx;
	uint64_t len = 0;
	struct tree t;

	build(&t);
	ctx = tree_ctx_logged(&t);
	/* Both direct-mapped: the largest (level 1, 1 GiB) by default. */
	CHECK_INT(ranges_of(ctx, 0, 0, &len), 2);
	CHECK_U64(len, 256 * MiB);
	CHECK_INT(ranges_of(ctx, 1, 0, &len), 2);
	CHECK_INT(ranges_of(ctx, 2, 0, &len), 8);
	CHECK_U64(len, 64 * MiB);
	CHECK_INT(ranges_of(ctx, 3, 0, &len), -ENOENT);
	CHECK(strstr(logbuf, "node 1 reports no memory-side cache of level "
			     "3") != NULL);
	CHECK_INT(ranges_of(ctx, 16, 0, &len), -EINVAL);
	CHECK_INT(ranges_of(ctx, 2, 256 * MiB, &len), -EINVAL);
	CHECK(strstr(logbuf, "or a cache size, not both") != NULL);

	/* The larger one indexed: level 2 by default; level 1 refused. */
	cache(&t, 1, 1, GiB, 1);
	CHECK_INT(ranges_of(ctx, 0, 0, &len), 8);
	CHECK_INT(ranges_of(ctx, 1, 0, &len), -EOPNOTSUPP);
	CHECK(strstr(logbuf, "(level 1) is not direct-mapped") != NULL);
	/* The size given wins over every level. */
	CHECK_INT(ranges_of(ctx, 0, GiB, &len), 2);

	/* A tie in size: the lower level. Levels need not start at 1. */
	tree_remove(&t, NODES "/node1/memory_side_cache/index1");
	cache(&t, 1, 3, 256 * MiB, 0);
	cache(&t, 1, 2, 256 * MiB, 0);
	dax_ctx_set_log_priority(ctx, LOG_DEBUG);
	CHECK_INT(ranges_of(ctx, 0, 0, &len), 8);
	CHECK(strstr(logbuf, "colours of node 1's level 2 cache") != NULL);
	dax_ctx_set_log_priority(ctx, LOG_ERR);

	/* None direct-mapped. */
	cache(&t, 1, 2, 256 * MiB, 1);
	cache(&t, 1, 3, 256 * MiB, 1);
	CHECK_INT(ranges_of(ctx, 0, 0, &len), -EOPNOTSUPP);
	CHECK(strstr(logbuf, "none of the 2 memory-side cache levels of "
			     "node 1 is direct-mapped") != NULL);
	tree_remove(&t, NODES "/node1/memory_side_cache");
	CHECK_INT(ranges_of(ctx, 0, 0, &len), -ENOENT);
	CHECK(strstr(logbuf, "reports no memory-side cache (no HMAT") != NULL);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

int main(void)
{
	test_rank();
	test_cpu_node();
	test_levels();
	return check_exit();
}
