// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library context: refcount, logging, sysfs root, the region list.
 * It owns every object it ever handed out until its last reference goes:
 * the list holds the live regions, @all every region object made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

struct dax_ctx {
	int refcount;
	dax_log_fn log_fn;
	int log_priority;
	void *userdata;

	char *root; /* absolute, no trailing slash except for "/" */
	int root_fd; /* O_PATH, -1 until first use */
	char *buf; /* attribute buffer */
	size_t bufsz;

	bool scanned;
	struct dax_region **regions; /* live, sorted by id */
	size_t nregions;
	struct dax_region **all; /* every region object, live or gone */
	size_t nall, capall;

	int lock_timeout_ms; /* dax_ctx_set_lock_timeout(); -1: wait */
	unsigned long writes; /* sysfs writes made, see ctx_writes() */

	bool bs_valid; /* block size read since the last scan */
	int bs_err;
	uint64_t bs;

	bool pmd_valid; /* hpage_pmd_size read since the last full scan */
	int pmd_err;
	uint64_t pmd;
};

dax_log_fn ctx_log_fn(const struct dax_ctx *ctx)
{
	return ctx->log_fn;
}

unsigned long ctx_writes(const struct dax_ctx *ctx)
{
	return ctx->writes;
}

void ctx_count_write(struct dax_ctx *ctx)
{
	ctx->writes++;
}

/* Copy @root without trailing slashes; "/" stays "/". */
static int set_root(struct dax_ctx *ctx, const char *root)
{
	size_t len = strlen(root);
	char *copy;

	if (root[0] != '/')
		return -EINVAL;
	while (len > 1 && root[len - 1] == '/')
		len--;
	copy = strndup(root, len);
	if (!copy)
		return -ENOMEM;
	free(ctx->root);
	ctx->root = copy;
	return 0;
}

DAX_EXPORT int dax_ctx_new(struct dax_ctx **ctxp)
{
	struct dax_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *env;
	long page;
	int rc;

	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = dax_log_stderr;
	ctx->log_priority = LOG_ERR;
	ctx->root_fd = -1;
	ctx->lock_timeout_ms = -1;

	page = sysconf(_SC_PAGESIZE);
	ctx->bufsz = (size_t)(page > 0 ? page : 4096) + 1;
	ctx->buf = malloc(ctx->bufsz);
	if (!ctx->buf) {
		dax_ctx_unref(ctx);
		return -ENOMEM;
	}

	/* secure_getenv: a setuid caller must not be steered to another tree.
	 */
	env = secure_getenv("LIBDAX_LOG");
	if (env && dax_parse_log_priority(env, &ctx->log_priority) < 0)
		dax_err(ctx, "LIBDAX_LOG: ignoring invalid value \"%s\"\n",
			env);

	env = secure_getenv("LIBDAX_SYSFS_ROOT");
	rc = set_root(ctx, env && *env ? env : "/");
	if (rc < 0) {
		if (rc == -EINVAL)
			dax_err(ctx,
				"LIBDAX_SYSFS_ROOT: not absolute: \"%s\"\n",
				env);
		dax_ctx_unref(ctx);
		return rc;
	}
	dax_dbg(ctx, "ctx %p created, sysfs root %s\n", (void *)ctx, ctx->root);
	*ctxp = ctx;
	return 0;
}

DAX_EXPORT struct dax_ctx *dax_ctx_ref(struct dax_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

DAX_EXPORT void dax_ctx_unref(struct dax_ctx *ctx)
{
	size_t i;

	if (!ctx || --ctx->refcount > 0)
		return;
	for (i = 0; i < ctx->nall; i++)
		region_free(ctx->all[i]);
	free(ctx->all);
	free(ctx->regions);
	if (ctx->root_fd >= 0)
		close(ctx->root_fd);
	free(ctx->root);
	free(ctx->buf);
	free(ctx);
}

DAX_EXPORT int dax_ctx_set_sysfs_root(struct dax_ctx *ctx, const char *root)
{
	int rc = set_root(ctx, root);
	size_t i;

	if (rc < 0)
		return rc;
	/*
	 * Every object goes gone, kept for the caller; a path that the new
	 * root has too revives its object at the next scan. The locks were
	 * taken below the old root: they are released.
	 */
	for (i = 0; i < ctx->nall; i++) {
		struct region_lock **lock = region_lock_slot(ctx->all[i]);

		region_set_gone(ctx->all[i], true);
		region_lock_free(*lock);
		*lock = NULL;
	}
	free(ctx->regions);
	ctx->regions = NULL;
	ctx->nregions = 0;
	ctx->scanned = false;
	ctx->bs_valid = false;
	ctx->pmd_valid = false;
	if (ctx->root_fd >= 0)
		close(ctx->root_fd);
	ctx->root_fd = -1;
	return 0;
}

DAX_EXPORT const char *dax_ctx_get_sysfs_root(const struct dax_ctx *ctx)
{
	return ctx->root;
}

bool ctx_is_live(const struct dax_ctx *ctx)
{
	/* set_root() keeps it absolute, without a trailing slash. */
	return strcmp(ctx->root, "/") == 0;
}

int ctx_root_fd(struct dax_ctx *ctx)
{
	if (ctx->root_fd < 0) {
		ctx->root_fd =
			open(ctx->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (ctx->root_fd < 0) {
			int err = -errno;

			dax_err(ctx, "%s: %s\n", ctx->root, strerror(-err));
			return err;
		}
	}
	return ctx->root_fd;
}

char *ctx_buf(struct dax_ctx *ctx, size_t *size)
{
	*size = ctx->bufsz;
	return ctx->buf;
}

struct dax_region **ctx_regions(struct dax_ctx *ctx, size_t *n)
{
	*n = ctx->nregions;
	return ctx->regions;
}

void ctx_set_regions(struct dax_ctx *ctx, struct dax_region **regions, size_t n)
{
	size_t i;

	if (ctx->regions != regions)
		free(ctx->regions);
	ctx->regions = regions;
	ctx->nregions = n;
	for (i = 0; i < n; i++)
		region_set_index(regions[i], i);
}

struct dax_region **ctx_all_regions(struct dax_ctx *ctx, size_t *n)
{
	*n = ctx->nall;
	return ctx->all;
}

int ctx_adopt_region(struct dax_ctx *ctx, struct dax_region *region)
{
	if (ctx->nall == ctx->capall) {
		size_t ncap = ctx->capall ? ctx->capall * 2 : 8;
		struct dax_region **v =
			reallocarray(ctx->all, ncap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		ctx->all = v;
		ctx->capall = ncap;
	}
	ctx->all[ctx->nall++] = region;
	return 0;
}

void ctx_remove_region(struct dax_ctx *ctx, struct dax_region *region)
{
	size_t i, at = region_get_index(region);

	if (at >= ctx->nregions || ctx->regions[at] != region)
		return;
	memmove(&ctx->regions[at], &ctx->regions[at + 1],
		(ctx->nregions - at - 1) * sizeof(*ctx->regions));
	ctx->nregions--;
	for (i = at; i < ctx->nregions; i++)
		region_set_index(ctx->regions[i], i);
}

bool ctx_region_listed(const struct dax_ctx *ctx,
		       const struct dax_region *region)
{
	size_t at = region_get_index(region);

	return at < ctx->nregions && ctx->regions[at] == region;
}

int ctx_add_region(struct dax_ctx *ctx, struct dax_region *region)
{
	struct dax_region **v;
	size_t i, at = ctx->nregions;
	int id = dax_region_get_id(region);

	v = reallocarray(ctx->regions, ctx->nregions + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < ctx->nregions; i++) {
		if (dax_region_get_id(v[i]) > id) {
			at = i;
			break;
		}
	}
	memmove(&v[at + 1], &v[at], (ctx->nregions - at) * sizeof(*v));
	v[at] = region;
	ctx->regions = v;
	ctx->nregions++;
	for (i = at; i < ctx->nregions; i++)
		region_set_index(v[i], i);
	return 0;
}

bool ctx_is_scanned(const struct dax_ctx *ctx)
{
	return ctx->scanned;
}

int ctx_ensure_scanned(struct dax_ctx *ctx)
{
	int rc;

	if (ctx->scanned)
		return 0;
	rc = scan_bus(ctx);
	if (rc == 0)
		ctx->scanned = true;
	return rc;
}

DAX_EXPORT int dax_ctx_refresh(struct dax_ctx *ctx)
{
	int rc;

	ctx->bs_valid = false;
	ctx->pmd_valid = false;
	rc = scan_bus(ctx);
	if (rc == 0)
		ctx->scanned = true;
	return rc;
}

int ctx_block_size(struct dax_ctx *ctx, uint64_t *size)
{
	int fd;

	if (!ctx->bs_valid) {
		fd = sysfs_open_dir(ctx, DAX_MEMORY_DIR, O_PATH);
		ctx->bs_err = fd;
		if (fd >= 0) {
			ctx->bs_err = sysfs_read_hex(ctx, fd, DAX_MEMORY_DIR,
						     "block_size_bytes", false,
						     &ctx->bs);
			close(fd);
		}
		if (ctx->bs_err == 0 && ctx->bs == 0) {
			dax_err(ctx, "%s/block_size_bytes: zero\n",
				DAX_MEMORY_DIR);
			ctx->bs_err = -EINVAL;
		}
		ctx->bs_valid = ctx->bs_err != -ENOMEM;
	}
	if (ctx->bs_err < 0)
		return ctx->bs_err;
	*size = ctx->bs;
	return 0;
}

int ctx_pmd_size(struct dax_ctx *ctx, uint64_t *size)
{
	/* Fixed while the kernel runs; each create checks aligns with it. */
	if (!ctx->pmd_valid) {
		ctx->pmd_err = sysfs_read_u64(ctx, SYSFS_AT_DIR, THP_DIR,
					      "hpage_pmd_size", &ctx->pmd);
		ctx->pmd_valid = ctx->pmd_err != -ENOMEM;
	}
	if (ctx->pmd_err < 0)
		return ctx->pmd_err;
	*size = ctx->pmd;
	return 0;
}

DAX_EXPORT void dax_ctx_set_log_fn(struct dax_ctx *ctx, dax_log_fn fn)
{
	ctx->log_fn = fn ? fn : dax_log_stderr;
}

DAX_EXPORT int dax_ctx_get_log_priority(const struct dax_ctx *ctx)
{
	return ctx->log_priority;
}

DAX_EXPORT void dax_ctx_set_log_priority(struct dax_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

DAX_EXPORT void dax_ctx_set_userdata(struct dax_ctx *ctx, void *userdata)
{
	ctx->userdata = userdata;
}

DAX_EXPORT void *dax_ctx_get_userdata(const struct dax_ctx *ctx)
{
	return ctx->userdata;
}

DAX_EXPORT void dax_ctx_set_lock_timeout(struct dax_ctx *ctx, int timeout_ms)
{
	if (ctx)
		ctx->lock_timeout_ms = timeout_ms < 0 ? -1 : timeout_ms;
}

DAX_EXPORT int dax_ctx_get_lock_timeout(const struct dax_ctx *ctx)
{
	return ctx ? ctx->lock_timeout_ms : -1;
}
