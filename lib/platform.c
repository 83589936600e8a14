// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sizes the kernel's dax bus checks against, from the running system
 * (or, for a test tree, from the tree), never from x86 constants.
 *
 * - Page size: sysconf(_SC_PAGESIZE) on the live system. A tree says it in
 *   <root>/proc/self/smaps ("KernelPageSize:", as procfs does); without it,
 *   the page size of a 64-bit table layout whose tables fill one page is
 *   derived from the PMD size (PMD = page * page / 8: 4K -> 2M, 16K -> 32M,
 *   64K -> 512M on x86-64, arm64 and riscv64).
 * - PMD size: /sys/kernel/mm/transparent_hugepage/hpage_pmd_size. The
 *   directory exists only where has_transparent_hugepage() holds, and only
 *   then does dev_dax_validate_align (dax_align_valid()) accept PMD_SIZE.
 *   Values: x86-64 and arm64/4K 2M, arm64/16K 32M, arm64/64K 512M, ppc64
 *   radix 2M, ppc64 hash 16M.
 * - PUD size: accepted by the kernel only with
 *   CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: x86-64, ppc64 book3s (radix)
 *   and riscv64, where PUD_SIZE is 1 GiB and the PMD 2 MiB; arm64 has none.
 *   sysfs does not tell it, so 1 GiB is offered where the PMD is 2 MiB; on
 *   arm64 with 4K pages the kernel then refuses it (EINVAL, passed on).
 * - Smallest size unit (memremap_compat_align()): SUBSECTION_SIZE, 2 MiB on
 *   every architecture (mm/memremap.c), except ppc64 with the hash MMU,
 *   whose linear map uses 16M pages: max(2M, 16M) (arch/powerpc/mm/
 *   book3s64/pgtable.c). The hash MMU is the one whose PMD is 16 MiB.
 * - Memory block size: block_size_bytes (ctx_block_size()).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

/* "KernelPageSize:  64 kB" of the tree's proc/self/smaps, or 0. */
static uint64_t tree_page_size(struct dax_ctx *ctx)
{
	int rootfd = ctx_root_fd(ctx), fd;
	unsigned long long kb = 0;
	char buf[4096], *p;
	ssize_t n;

	if (rootfd < 0)
		return 0;
	fd = openat(rootfd, "proc/self/smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "KernelPageSize:");
	if (!p || sscanf(p, "KernelPageSize: %llu kB", &kb) != 1)
		return 0;
	return (uint64_t)kb * 1024;
}

/* The page size whose table layout gives this PMD size (see above). */
static uint64_t page_from_pmd(uint64_t pmd)
{
	uint64_t page;

	for (page = 4096; page <= 65536; page *= 2)
		if (page / 8 * page == pmd)
			return page;
	return 0;
}

int platform_get(struct dax_ctx *ctx, struct dax_platform *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = ctx_pmd_size(ctx, &p->pmd);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (rc < 0)
		p->pmd = 0; /* no THP: only the page size is an align */
	if (ctx_is_live(ctx)) {
		long page = sysconf(_SC_PAGESIZE);

		p->page = page > 0 ? (uint64_t)page : 0;
	} else {
		p->page = tree_page_size(ctx);
		if (!p->page)
			p->page = page_from_pmd(p->pmd);
	}
	if (!p->page) {
		dax_err(ctx,
			"page size unknown (no proc/self/smaps and no " THP_DIR
			"/hpage_pmd_size in the tree)\n");
		return -ENOENT;
	}
	p->pud = p->pmd == 2 * DAX_MiB ? DAX_GiB : 0;
	p->compat = p->pmd == 16 * DAX_MiB ? 16 * DAX_MiB : 2 * DAX_MiB;
	return 0;
}

bool space_align_valid(struct dax_ctx *ctx, uint64_t align)
{
	struct dax_platform p;

	if (platform_get(ctx, &p) < 0)
		return false;
	return align == p.page || (p.pmd && align == p.pmd) ||
	       (p.pud && align == p.pud);
}

uint64_t space_gran(struct dax_ctx *ctx, uint64_t align)
{
	struct dax_platform p;
	uint64_t min = 2 * DAX_MiB;

	if (platform_get(ctx, &p) == 0)
		min = p.compat;
	return align > min ? align : min;
}

void platform_log_aligns(struct dax_ctx *ctx, uint64_t align)
{
	struct dax_platform p;

	if (platform_get(ctx, &p) < 0)
		return;
	if (p.pud)
		dax_err(ctx,
			"align %" PRIu64 ": must be %" PRIu64 ", %" PRIu64
			" or %" PRIu64 " (page, PMD, PUD size)\n",
			align, p.page, p.pmd, p.pud);
	else if (p.pmd)
		dax_err(ctx,
			"align %" PRIu64 ": must be %" PRIu64 " or %" PRIu64
			" (page, PMD size)\n",
			align, p.page, p.pmd);
	else
		dax_err(ctx,
			"align %" PRIu64 ": must be %" PRIu64 " (page size)\n",
			align, p.page);
}

DAX_EXPORT int dax_ctx_get_page_size(struct dax_ctx *ctx, uint64_t *size)
{
	struct dax_platform p;
	int rc;

	if (!ctx || !size)
		return -EINVAL;
	rc = platform_get(ctx, &p);
	if (rc == 0)
		*size = p.page;
	return rc;
}

DAX_EXPORT int dax_ctx_get_aligns(struct dax_ctx *ctx, uint64_t aligns[3],
				  unsigned int *n)
{
	struct dax_platform p;
	int rc;

	if (!ctx || !aligns || !n)
		return -EINVAL;
	rc = platform_get(ctx, &p);
	if (rc < 0)
		return rc;
	*n = 0;
	aligns[(*n)++] = p.page;
	if (p.pmd)
		aligns[(*n)++] = p.pmd;
	if (p.pud)
		aligns[(*n)++] = p.pud;
	return 0;
}

DAX_EXPORT int dax_ctx_get_granule(struct dax_ctx *ctx, uint64_t align,
				   uint64_t *granule)
{
	struct dax_platform p;
	int rc;

	if (!ctx || !granule)
		return -EINVAL;
	rc = platform_get(ctx, &p);
	if (rc == 0)
		*granule = align > p.compat ? align : p.compat;
	return rc;
}
