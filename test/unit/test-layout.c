// SPDX-License-Identifier: GPL-2.0-only
/* Internal: range checks and the aligned first-fit placement (layout.c). */
#include <errno.h>
#include <stdlib.h>
#include <syslog.h>

#include "check.h"
#include "private.h"

#define MiB DAX_MiB
#define GiB DAX_GiB
#define B 0x100000000ull

static void test_gran(void)
{
	CHECK_U64(layout_gran(0), 2 * MiB);
	CHECK_U64(layout_gran(4096), 2 * MiB);
	CHECK_U64(layout_gran(2 * MiB), 2 * MiB);
	CHECK_U64(layout_gran(GiB), GiB);
	CHECK(layout_align_valid(4096));
	CHECK(layout_align_valid(2 * MiB));
	CHECK(layout_align_valid(GiB));
	CHECK(!layout_align_valid(0));
	CHECK(!layout_align_valid(8192));
	CHECK(!layout_align_valid(4 * MiB));
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
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), 0);
	CHECK_INT(layout_check(ctx, &r, GiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){B + 255 * MiB, B + 257 * MiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){B + 254 * MiB, B + 258 * MiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -ENOMEM);
	r = (struct dax_range){B + 2 * GiB - 2 * MiB,
			       B + 2 * GiB + 2 * MiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -ENOMEM);
	r = (struct dax_range){B + 2 * GiB, B + 2 * GiB + 2 * MiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), 0);
	/* Edges of the region, and past them */
	r = (struct dax_range){B + 4 * GiB - 2 * MiB, B + 4 * GiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), 0);
	r = (struct dax_range){B + 4 * GiB, B + 4 * GiB + 2 * MiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, NULL, used, 2), 0);
	r = (struct dax_range){B - 2 * MiB, B - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	/* Length not a multiple; end before start; the last address */
	r = (struct dax_range){B + 256 * MiB, B + 259 * MiB - 1};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){B + 258 * MiB, B + 256 * MiB};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, &bounds, used, 2), -EINVAL);
	r = (struct dax_range){0, UINT64_MAX};
	CHECK_INT(layout_check(ctx, &r, 2 * MiB, NULL, NULL, 0), -EINVAL);
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
	CHECK_INT(layout_place(&bounds, used, 2, 2 * MiB, 512 * MiB, &v, &n),
		  0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_U64(v[0].start, B + 256 * MiB);
		CHECK_U64(v[0].end, B + 768 * MiB - 1);
	}
	free(v);
	/* Spans a used range: two pieces. */
	CHECK_INT(layout_place(&bounds, used, 2, 2 * MiB, 1536 * MiB, &v, &n),
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
	CHECK_INT(layout_place(&bounds, used, 2, GiB, 2 * GiB, &v, &n), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_U64(v[0].start, B + 2 * GiB);
		CHECK_U64(v[0].end, B + 4 * GiB - 1);
	}
	free(v);
	CHECK_INT(layout_place(&bounds, used, 2, GiB, 3 * GiB, &v, &n),
		  -ENOSPC);
	CHECK(v == NULL && n == 0);
	/* Nothing used: the whole region. */
	CHECK_INT(layout_place(&bounds, NULL, 0, 2 * MiB, 4 * GiB, &v, &n), 0);
	CHECK_INT(n, 1);
	free(v);
	CHECK_INT(layout_place(&bounds, NULL, 0, 2 * MiB, 4 * GiB + 2 * MiB, &v,
			       &n),
		  -ENOSPC);
}

int main(void)
{
	test_gran();
	test_check();
	test_place();
	return check_exit();
}
