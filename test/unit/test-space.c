// SPDX-License-Identifier: GPL-2.0-only
/* Internal: range checks and the aligned first-fit placement (space.c). */
#include <errno.h>
#include <stdlib.h>
#include <syslog.h>

#include "check.h"
#include "private.h"
#include "tree.h"

#define MiB DAX_MiB
#define GiB DAX_GiB
#define B 0x100000000ull

/* A context on a tree that says page, PMD (0: no THP) and block size. */
static struct dax_ctx *platform_tree(struct tree *t, uint64_t page_kb,
				     uint64_t pmd)
{
	char *s;

	tree_new(t);
	tree_mkdir(t, "sys/bus/dax/devices");
	if (page_kb) {
		s = tree_fmt("Size: 4 kB\nKernelPageSize: %llu kB\n",
			     (unsigned long long)page_kb);
		tree_write(t, "proc/self/smaps", s);
		free(s);
	}
	if (pmd) {
		s = tree_fmt("%llu\n", (unsigned long long)pmd);
		tree_write(t,
			   "sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			   s);
		free(s);
	}
	return tree_ctx(t);
}

static void test_gran(void)
{
	struct dax_platform p;
	struct dax_ctx *ctx;
	struct tree t;

	/* x86-64: 4K pages, PMD 2M, PUD 1G, unit 2M. */
	ctx = platform_tree(&t, 4, 2 * MiB);
	CHECK_INT(platform_get(ctx, &p), 0);
	CHECK_U64(p.page, 4096);
	CHECK_U64(p.pud, GiB);
	CHECK_U64(space_gran(ctx, 0), 2 * MiB);
	CHECK_U64(space_gran(ctx, 4096), 2 * MiB);
	CHECK_U64(space_gran(ctx, 2 * MiB), 2 * MiB);
	CHECK_U64(space_gran(ctx, GiB), GiB);
	CHECK(space_align_valid(ctx, 4096));
	CHECK(space_align_valid(ctx, 2 * MiB));
	CHECK(space_align_valid(ctx, GiB));
	CHECK(!space_align_valid(ctx, 0));
	CHECK(!space_align_valid(ctx, 8192));
	CHECK(!space_align_valid(ctx, 4 * MiB));
	CHECK(!space_align_valid(ctx, 65536));
	dax_ctx_unref(ctx);
	tree_free(&t);

	/* arm64 with 64K pages: PMD 512M, no PUD THP, unit 2M. */
	ctx = platform_tree(&t, 64, 512 * MiB);
	CHECK_INT(platform_get(ctx, &p), 0);
	CHECK_U64(p.page, 65536);
	CHECK_U64(p.pud, 0);
	CHECK(space_align_valid(ctx, 65536));
	CHECK(space_align_valid(ctx, 512 * MiB));
	CHECK(!space_align_valid(ctx, 4096));
	CHECK(!space_align_valid(ctx, 2 * MiB));
	CHECK(!space_align_valid(ctx, GiB));
	CHECK_U64(space_gran(ctx, 65536), 2 * MiB);
	CHECK_U64(space_gran(ctx, 512 * MiB), 512 * MiB);
	dax_ctx_unref(ctx);
	tree_free(&t);

	/* The same tree without smaps: the page size from the PMD size. */
	ctx = platform_tree(&t, 0, 512 * MiB);
	CHECK_INT(platform_get(ctx, &p), 0);
	CHECK_U64(p.page, 65536);
	dax_ctx_unref(ctx);
	tree_free(&t);

	/* ppc64 hash MMU, 64K pages: PMD 16M, unit 16M. */
	ctx = platform_tree(&t, 64, 16 * MiB);
	CHECK(space_align_valid(ctx, 16 * MiB));
	CHECK(!space_align_valid(ctx, GiB));
	CHECK_U64(space_gran(ctx, 65536), 16 * MiB);
	dax_ctx_unref(ctx);
	tree_free(&t);

	/* No THP: only the page size. */
	ctx = platform_tree(&t, 4, 0);
	CHECK(space_align_valid(ctx, 4096));
	CHECK(!space_align_valid(ctx, 2 * MiB));
	CHECK(!space_align_valid(ctx, GiB));
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* Typed driver matching, from the drivers the tree has (bystander.c). */
static void test_typed(void)
{
	struct dax_ctx *ctx;
	struct tree t;

	ctx = platform_tree(&t, 4, 2 * MiB); /* as Debian's 6.1 */
	CHECK(!typed_drivers(ctx));
	tree_mkdir(&t, "sys/bus/platform/drivers/hmem"); /* 6.1's hmem driver */
	CHECK(!typed_drivers(ctx));
	tree_mkdir(&t, "sys/bus/platform/drivers/hmem_platform"); /* 6.3+ */
	CHECK(typed_drivers(ctx));
	tree_remove(&t, "sys/bus/platform/drivers/hmem_platform");
	CHECK(!typed_drivers(ctx));
	tree_mkdir(&t, "sys/bus/cxl/drivers/cxl_dax_region"); /* CXL RAM */
	CHECK(typed_drivers(ctx));
	/* What a test tree's "bind" answers says nothing of the host. */
	typed_drivers_seen(ctx);
	tree_remove(&t, "sys/bus/cxl/drivers/cxl_dax_region");
	CHECK(!typed_drivers(ctx));
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_check(void)
{
	struct dax_ctx *ctx;
	struct dax_range bounds = {B, B + 4 * GiB - 1};
	struct dax_range used[] = {{B, B + 256 * MiB - 1},
				   {B + GiB, B + 2 * GiB - 1}};
	struct dax_range r;

	if (dax_ctx_new(&ctx) < 0)
		abort();
	dax_ctx_set_log_priority(ctx, LOG_CRIT);
	r = (struct dax_range){B + 256 * MiB, B + 258 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), 0);
	CHECK_INT(space_check(ctx, &r, GiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){B + 255 * MiB, B + 257 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){B + 254 * MiB, B + 258 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -ENOMEM);
	r = (struct dax_range){B + 2 * GiB - 2 * MiB,
			       B + 2 * GiB + 2 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -ENOMEM);
	r = (struct dax_range){B + 2 * GiB, B + 2 * GiB + 2 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), 0);
	/* Edges of the region, and past them */
	r = (struct dax_range){B + 4 * GiB - 2 * MiB, B + 4 * GiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), 0);
	r = (struct dax_range){B + 4 * GiB, B + 4 * GiB + 2 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	CHECK_INT(space_check(ctx, &r, 2 * MiB, NULL, used, 2), 0);
	r = (struct dax_range){B - 2 * MiB, B - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	/* Length not a multiple; end before start; the last address */
	r = (struct dax_range){B + 256 * MiB, B + 259 * MiB - 1};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){B + 258 * MiB, B + 256 * MiB};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){0, UINT64_MAX};
	CHECK_INT(space_check(ctx, &r, 2 * MiB, NULL, NULL, 0), -EINVAL);
	dax_ctx_unref(ctx);
}

static void test_place(void)
{
	/* Region [B+2M, B+4G+2M): starts off a 1 GiB boundary. */
	struct dax_range bounds = {B + 2 * MiB, B + 4 * GiB + 2 * MiB - 1};
	struct dax_range used[] = {{B + 2 * MiB, B + 256 * MiB - 1},
				   {B + GiB + 512 * MiB, B + 2 * GiB - 1}};
	struct dax_range *v;
	size_t n;

	/* 2 MiB: plain first fit from the lowest address. */
	CHECK_INT(space_place(&bounds, used, 2, 2 * MiB, 512 * MiB, &v, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_U64(v[0].start, B + 256 * MiB);
		CHECK_U64(v[0].end, B + 768 * MiB - 1);
	}
	free(v);
	/* Spans a used range: two pieces. */
	CHECK_INT(space_place(&bounds, used, 2, 2 * MiB, 1536 * MiB, &v, &n),
		  0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_U64(v[0].start, B + 256 * MiB);
		CHECK_U64(v[0].end, B + GiB + 512 * MiB - 1);
		CHECK_U64(v[1].start, B + 2 * GiB);
		CHECK_U64(v[1].end, B + 2 * GiB + 256 * MiB - 1);
	}
	free(v);
	/* 1 GiB: only [B+1G, B+1.5G) is free between the used ranges, too
	 * short; then [B+2G, B+4G) holds two aligned GiB. */
	CHECK_INT(space_place(&bounds, used, 2, GiB, 2 * GiB, &v, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_U64(v[0].start, B + 2 * GiB);
		CHECK_U64(v[0].end, B + 4 * GiB - 1);
	}
	free(v);
	CHECK_INT(space_place(&bounds, used, 2, GiB, 3 * GiB, &v, &n), -ENOSPC);
	CHECK(v == NULL && n == 0);
	/* Nothing used: the whole region. */
	CHECK_INT(space_place(&bounds, NULL, 0, 2 * MiB, 4 * GiB, &v, &n), 0);
	CHECK_INT(n, 1);
	free(v);
	CHECK_INT(space_place(&bounds, NULL, 0, 2 * MiB, 4 * GiB + 2 * MiB, &v,
			      &n),
		  -ENOSPC);
}

int main(void)
{
	test_gran();
	test_typed();
	test_check();
	test_place();
	return check_exit();
}
