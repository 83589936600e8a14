// SPDX-License-Identifier: GPL-2.0-only
/*
 * walk [-m] [-M]: enumerate every region and device through the public
 * API, calling every cached getter; -m adds mappings, -M memory. Prints
 * counts. For syscall counts and timing on synthetic or captured trees.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libdax.h>

int main(int argc, char **argv)
{
	unsigned long nregions = 0, ndevs = 0, nmaps = 0, nblocks = 0;
	bool maps = false, mem = false;
	struct dax_region *r;
	struct dax_ctx *ctx;
	int opt, rc;

	while ((opt = getopt(argc, argv, "mM")) != -1) {
		if (opt == 'm')
			maps = true;
		else if (opt == 'M')
			mem = true;
		else
			return 2;
	}
	rc = dax_ctx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "dax_ctx_new: %s\n", strerror(-rc));
		return 1;
	}
	dax_region_foreach (ctx, r) {
		struct dax_dev *d;
		uint64_t v;

		nregions++;
		(void)dax_region_get_size(r, &v);
		(void)dax_region_get_align(r, &v);
		(void)dax_region_get_available_size(r, &v);
		(void)dax_region_get_seed(r);
		dax_dev_foreach (r, d) {
			unsigned int ma, mi;
			int node;

			ndevs++;
			(void)dax_dev_get_size(d, &v);
			(void)dax_dev_get_align(d, &v);
			(void)dax_dev_get_target_node(d, &node);
			(void)dax_dev_get_numa_node(d, &node);
			(void)dax_dev_get_resource(d, &v);
			(void)dax_dev_get_devnum(d, &ma, &mi);
			(void)dax_dev_get_driver(d);
			if (maps) {
				struct dax_mapping *m;

				dax_mapping_foreach (d, m)
					nmaps++;
			}
			if (mem && dax_dev_is_system_ram(d)) {
				struct dax_memory *dm = dax_dev_get_memory(d);

				if (dm)
					nblocks +=
						dax_memory_get_num_blocks(dm);
			}
		}
	}
	if (errno)
		fprintf(stderr, "scan: %s\n", strerror(errno));
	printf("%lu regions, %lu devices, %lu mappings, %lu memory blocks\n",
	       nregions, ndevs, nmaps, nblocks);
	dax_ctx_unref(ctx);
	return 0;
}
