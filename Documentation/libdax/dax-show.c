// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dax-show: print every dax region, its devices and their physical ranges.
 * The example program of libdax(3); build it with
 *   cc dax-show.c $(pkg-config --cflags --libs libdax) -o dax-show
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libdax.h>

static void show_dev(struct dax_dev *dev)
{
	struct dax_mapping *m;
	struct dax_memory *mem;
	uint64_t size;
	int rc, node;

	/* Getters return a negative errno; a missing attribute is normal. */
	rc = dax_dev_get_size(dev, &size);
	if (rc < 0) {
		printf("  %s: size unreadable: %s\n", dax_dev_get_devname(dev),
		       strerror(-rc));
		return;
	}
	printf("  %s: %" PRIu64 " MiB, %s", dax_dev_get_devname(dev),
	       size >> 20,
	       dax_dev_is_enabled(dev) ? dax_dev_get_driver_name(dev)
				       : "disabled");
	if (dax_dev_get_target_node(dev, &node) == 0)
		printf(", target node %d", node);
	printf("\n");

	/* Mappings are readable by root only: then the list is NULL + errno. */
	dax_mapping_foreach (dev, m)
		printf("    [%#" PRIx64 "-%#" PRIx64 "] at page %" PRIu64 "\n",
		       dax_mapping_get_start(m), dax_mapping_get_end(m),
		       dax_mapping_get_page_offset(m));
	if (errno)
		printf("    mappings unreadable: %s\n", strerror(errno));

	if (dax_dev_is_system_ram(dev)) {
		mem = dax_dev_get_memory(dev);
		if (mem)
			printf("    system-ram: %u of %u blocks online\n",
			       dax_memory_get_num_online(mem),
			       dax_memory_get_num_blocks(mem));
	}
}

int main(void)
{
	struct dax_region *region;
	struct dax_dev *dev;
	struct dax_ctx *ctx;
	uint64_t size, avail;
	int rc;

	/* LIBDAX_SYSFS_ROOT and LIBDAX_LOG are honoured here. */
	rc = dax_ctx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "dax_ctx_new: %s\n", strerror(-rc));
		return 1;
	}

	/* NULL ends a list; errno tells an empty bus from a failed scan. */
	errno = 0;
	dax_region_foreach (ctx, region) {
		printf("region %d (%s)", dax_region_get_id(region),
		       dax_region_get_devname(region));
		if (dax_region_get_size(region, &size) == 0)
			printf(": %" PRIu64 " MiB", size >> 20);
		if (dax_region_get_available_size(region, &avail) == 0)
			printf(", %" PRIu64 " MiB available", avail >> 20);
		printf("%s\n", dax_region_is_dynamic(region) ? "" : ", static");
		dax_dev_foreach (region, dev)
			show_dev(dev);
	}
	rc = errno ? 1 : 0;
	if (rc)
		fprintf(stderr, "cannot list regions: %s\n", strerror(errno));

	/* Every region, device and mapping is freed with the context. */
	dax_ctx_unref(ctx);
	return rc;
}
