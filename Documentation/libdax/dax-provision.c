// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dax-provision REGION SIZE_MIB: create a devdax device of SIZE_MIB MiB on
 * region REGION and print its name; the second example of libdax(3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdax.h>

int main(int argc, char **argv)
{
	struct dax_region *region;
	struct dax_dev *dev;
	struct dax_ctx *ctx;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: dax-provision REGION SIZE_MIB\n");
		return 2;
	}
	rc = dax_ctx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "dax_ctx_new: %s\n", strerror(-rc));
		return 1;
	}
	region = dax_region_find(ctx, atoi(argv[1]));
	if (!region) {
		fprintf(stderr, "region %s: %s\n", argv[1], strerror(errno));
		dax_ctx_unref(ctx);
		return 1;
	}
	/*
	 * One call: validate, lock the region, create, size, bind device_dax.
	 * On failure nothing is left behind and the kernel's errno is returned.
	 */
	rc = dax_region_create_dev(region, strtoull(argv[2], NULL, 10) << 20,
				   0, NULL, 0, 0, &dev);
	if (rc < 0) {
		fprintf(stderr, "create: %s\n", strerror(-rc));
		dax_ctx_unref(ctx);
		return 1;
	}
	printf("%s\n", dax_dev_get_devname(dev));
	dax_ctx_unref(ctx);
	return 0;
}
