// SPDX-License-Identifier: GPL-2.0-only
/*
 * The object model through the public API, on synthetic sysfs trees built
 * at run time: regions of every kind, relative bus and class links,
 * mappings out of K order, missing /dev nodes, corrupt attributes, refresh,
 * memory blocks, logging, and (when run as root, in a child that drops to
 * nobody) the non-root view of 0400 attributes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <libdax.h>

#include "check.h"
#include "tree.h"

#define HMEM0 "sys/devices/platform/hmem.0"
#define HMEM1 "sys/devices/platform/hmem.1"
#define HMEM3 "sys/devices/platform/hmem.3"
#define ND5 "sys/devices/platform/e820/ndbus0/region5/dax5.0"
#define ND7 "sys/devices/platform/e820/ndbus0/region7/dax7.0"
#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

static struct dax_ctx *new_ctx(struct tree *t)
{
	struct dax_ctx *ctx = NULL;

	if (dax_ctx_new(&ctx) < 0)
		abort();
	if (t)
		CHECK_INT(dax_ctx_set_sysfs_root(ctx, t->root), 0);
	return ctx;
}

/* Collected log messages, for checking what the library says. */
static char logbuf[8192];

static void capture_log(struct dax_ctx *ctx, int priority, const char *file,
			int line, const char *fn, const char *format,
			va_list args) __attribute__((format(printf, 6, 0)));

static void capture_log(struct dax_ctx *ctx, int priority, const char *file,
			int line, const char *fn, const char *format,
			va_list args)
{
	size_t len = strlen(logbuf);

	vsnprintf(logbuf + len, sizeof(logbuf) - len, format, args);
}

static void build_main(struct tree *t)
{
	char big[5000];

	/* hmem.0: dynamic, seed dax0.3, devices listed out of id order */
	tree_region(t, HMEM0, 0, GiB, true, 256 * MiB, "dax0.3");
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 10,
				       .size = 2 * MiB,
				       .driver = "device_dax",
				       .numa_node = 0,
				       .major = 252,
				       .minor = 10,
				       .resource = 0x130000000});
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 0,
				       .size = 512 * MiB,
				       .driver = "device_dax",
				       .target_node = 0,
				       .numa_node = 0,
				       .major = 252,
				       .minor = 0,
				       .resource = 0x108000000});
	/* K order is allocation order; page_offset order is 1, 0, 2. */
	tree_mapping(t, HMEM0, 0, 0, 0, 0x100000000, 0x107ffffff, 0x8000);
	tree_mapping(t, HMEM0, 0, 0, 1, 0x108000000, 0x10fffffff, 0x0);
	tree_mapping(t, HMEM0, 0, 0, 2, 0x110000000, 0x11fffffff, 0x10000);
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 2,
				       .target_node = -1,
				       .numa_node = -1,
				       .major = 252,
				       .minor = 2});
	tree_write(t, HMEM0 "/dax0.2/size", "12abc\n");
	tree_remove(t, HMEM0 "/dax0.2/align");
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 3,
				       .no_devnode = true,
				       .numa_node = 0,
				       .target_node = 0,
				       .major = 252,
				       .minor = 3});
	memset(big, '1', sizeof(big));
	tree_write_n(t, HMEM0 "/dax0.10/target_node", big, sizeof(big));

	/* hmem.1: a kmem device with a partial last range */
	tree_region(t, HMEM1, 1, 1152 * MiB, true, 0, NULL);
	tree_dev(t, &(struct tree_dev){.host = HMEM1,
				       .region = 1,
				       .id = 0,
				       .size = 1152 * MiB - MiB,
				       .driver = "kmem",
				       .target_node = 1,
				       .numa_node = 1,
				       .major = 252,
				       .minor = 20,
				       .resource = 0x140000000});
	tree_mapping(t, HMEM1, 1, 0, 0, 0x140000000, 0x17fffffff, 0);
	tree_mapping(t, HMEM1, 1, 0, 1, 0x180100000, 0x18fffffff, 0x40000);

	/* hmem.3: corrupt region size and dev attribute */
	tree_region(t, HMEM3, 3, 2 * MiB, true, 0, NULL);
	tree_write(t, HMEM3 "/dax_region/size", "0x200000\n");
	tree_dev(t, &(struct tree_dev){.host = HMEM3,
				       .region = 3,
				       .id = 0,
				       .size = 2 * MiB,
				       .driver = "kmem",
				       .target_node = 0,
				       .major = 252,
				       .minor = 30});
	tree_write(t, HMEM3 "/dax3.0/dev", "252\n");

	/* static region: its host is an nd device also named daxR.N */
	tree_region(t, ND5, 5, 256 * MiB, false, 0, NULL);
	tree_dev(t, &(struct tree_dev){.host = ND5,
				       .region = 5,
				       .id = 0,
				       .size = 256 * MiB,
				       .driver = "fsdev_dax",
				       .target_node = 0,
				       .major = 252,
				       .minor = 50});
	tree_write_n(t, ND5 "/dax5.0/numa_node", "0\0\n", 3);

	/* legacy class model: <host>/dax/dax7.0, no driver link */
	tree_region(t, ND7, 7, 128 * MiB, false, 0, NULL);
	tree_dev(t, &(struct tree_dev){.host = ND7,
				       .region = 7,
				       .id = 0,
				       .size = 128 * MiB,
				       .class_model = true,
				       .target_node = -1,
				       .major = 251,
				       .minor = 0});

	/* junk the scan must ignore */
	tree_symlink(t, "../../../devices/platform/hmem.0/dax0.0",
		     "sys/bus/dax/devices/dax0.x");
	tree_symlink(t, "../../../devices/platform/hmem.0/dax0.0",
		     "sys/bus/dax/devices/dax00.1");
	tree_write(t, "sys/bus/dax/devices/dax4.0", "not a link\n");
	tree_symlink(t, "../../../devices/platform/hmem.9/dax9.0",
		     "sys/bus/dax/devices/dax9.0");
}

static void test_empty(void)
{
	struct tree t;
	struct dax_ctx *ctx;

	tree_new(&t);
	ctx = new_ctx(&t);
	CHECK_NULL_ERRNO(dax_region_get_first(ctx), 0);
	CHECK_NULL_ERRNO(dax_region_find(ctx, 0), ENOENT);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax0.0"), ENOENT);
	CHECK_INT(dax_ctx_refresh(ctx), 0);

	dax_ctx_set_log_priority(ctx, -1);
	CHECK_INT(dax_ctx_set_sysfs_root(ctx, "/nonexistent/libdax"), 0);
	CHECK_NULL_ERRNO(dax_region_get_first(ctx), ENOENT);
	CHECK_INT(dax_ctx_refresh(ctx), -ENOENT);
	CHECK_INT(dax_ctx_set_sysfs_root(ctx, "relative/path"), -EINVAL);
	CHECK_STR(dax_ctx_get_sysfs_root(ctx), "/nonexistent/libdax");
	CHECK_INT(dax_ctx_set_sysfs_root(ctx, "/tmp///"), 0);
	CHECK_STR(dax_ctx_get_sysfs_root(ctx), "/tmp");
	CHECK_INT(dax_ctx_set_sysfs_root(ctx, "/"), 0);
	CHECK_STR(dax_ctx_get_sysfs_root(ctx), "/");
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void check_regions(struct dax_ctx *ctx)
{
	static const int ids[] = {0, 1, 3, 5, 7};
	struct dax_region *r;
	uint64_t v;
	size_t n = 0;

	dax_region_foreach (ctx, r) {
		if (n < 5)
			CHECK_INT(dax_region_get_id(r), ids[n]);
		CHECK(dax_region_get_ctx(r) == ctx);
		n++;
	}
	CHECK_INT(errno, 0);
	CHECK_INT(n, 5);

	r = dax_region_find(ctx, 0);
	CHECK(r != NULL);
	CHECK_STR(dax_region_get_path(r), "/" HMEM0);
	CHECK_STR(dax_region_get_devname(r), "hmem.0");
	CHECK(dax_region_is_dynamic(r));
	CHECK_INT(dax_region_get_size(r, &v), 0);
	CHECK_U64(v, GiB);
	CHECK_INT(dax_region_get_align(r, &v), 0);
	CHECK_U64(v, 2 * MiB);
	CHECK_INT(dax_region_get_available_size(r, &v), 0);
	CHECK_U64(v, 256 * MiB);
	CHECK(dax_region_get_seed(r) == dax_dev_find(ctx, "dax0.3"));

	r = dax_region_find(ctx, 1);
	CHECK_NULL_ERRNO(dax_region_get_seed(r), ENOENT); /* empty line */

	r = dax_region_find(ctx, 3);
	CHECK_INT(dax_region_get_size(r, &v), -EINVAL);

	r = dax_region_find(ctx, 5);
	CHECK_STR(dax_region_get_path(r), "/" ND5);
	CHECK_STR(dax_region_get_devname(r), "dax5.0");
	CHECK(!dax_region_is_dynamic(r));
	CHECK_INT(dax_region_get_available_size(r, &v), -ENOENT);
	CHECK_NULL_ERRNO(dax_region_get_seed(r), ENOENT);
	CHECK_INT(dax_region_get_size(r, &v), 0);
	CHECK_U64(v, 256 * MiB);

	r = dax_region_find(ctx, 7);
	CHECK_STR(dax_region_get_path(r), "/" ND7);

	CHECK_NULL_ERRNO(dax_region_find(ctx, 9), ENOENT);
	CHECK_NULL_ERRNO(dax_region_find(ctx, 2), ENOENT);
}

static void check_devices(struct dax_ctx *ctx)
{
	static const int ids[] = {0, 2, 3, 10};
	struct dax_region *r = dax_region_find(ctx, 0);
	struct dax_dev *d;
	unsigned int ma, mi;
	uint64_t v;
	size_t n = 0;
	int node;

	dax_dev_foreach (r, d) {
		if (n < 4)
			CHECK_INT(dax_dev_get_id(d), ids[n]);
		CHECK(dax_dev_get_region(d) == r);
		CHECK(dax_dev_get_ctx(d) == ctx);
		n++;
	}
	CHECK_INT(errno, 0);
	CHECK_INT(n, 4);

	d = dax_dev_find(ctx, "dax0.0");
	CHECK(d != NULL);
	CHECK(dax_dev_find(ctx, "0.0") == d);
	CHECK(dax_dev_find(ctx, "/dev/dax0.0") == d);
	CHECK_STR(dax_dev_get_devname(d), "dax0.0");
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_U64(v, 512 * MiB);
	CHECK_INT(dax_dev_get_align(d, &v), 0);
	CHECK_U64(v, 2 * MiB);
	CHECK_INT(dax_dev_get_target_node(d, &node), 0);
	CHECK_INT(node, 0);
	CHECK_INT(dax_dev_get_resource(d, &v), 0);
	CHECK_U64(v, 0x108000000);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), 0);
	CHECK_INT(ma, 252);
	CHECK_INT(mi, 0);
	CHECK_INT(dax_dev_get_driver(d), DAX_DRIVER_DEVICE_DAX);
	CHECK_STR(dax_dev_get_driver_name(d), "device_dax");
	CHECK(dax_dev_is_enabled(d));
	CHECK(!dax_dev_is_system_ram(d));
	CHECK_NULL_ERRNO(dax_dev_get_memory(d), ENODEV);

	d = dax_dev_find(ctx, "dax0.2");
	CHECK_INT(dax_dev_get_size(d, &v), -EINVAL);
	CHECK_INT(dax_dev_get_align(d, &v), -ENOENT);
	CHECK_INT(dax_dev_get_target_node(d, &node), -ENOENT);
	CHECK_INT(dax_dev_get_numa_node(d, &node), 0);
	CHECK_INT(node, -1);
	CHECK_INT(dax_dev_get_driver(d), DAX_DRIVER_NONE);
	CHECK(dax_dev_get_driver_name(d) == NULL);
	CHECK(!dax_dev_is_enabled(d));
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), 0);

	d = dax_dev_find(ctx, "dax0.3");
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), -ENOENT);
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_U64(v, 0);

	d = dax_dev_find(ctx, "dax0.10");
	CHECK_INT(dax_dev_get_target_node(d, &node), -EINVAL); /* > a page */
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), 0);
	CHECK_INT(mi, 10);

	d = dax_dev_find(ctx, "dax3.0");
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), -EINVAL);
	CHECK(dax_dev_is_system_ram(d));

	d = dax_dev_find(ctx, "dax5.0");
	CHECK_INT(dax_dev_get_numa_node(d, &node), -EINVAL); /* NUL */
	CHECK_INT(dax_dev_get_driver(d), DAX_DRIVER_OTHER);
	CHECK_STR(dax_dev_get_driver_name(d), "fsdev_dax");

	d = dax_dev_find(ctx, "dax7.0");
	CHECK(d != NULL);
	CHECK_INT(dax_dev_get_driver(d), DAX_DRIVER_DEVICE_DAX);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), 0);
	CHECK_INT(ma, 251);
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_U64(v, 128 * MiB);

	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax9.0"), ENOENT); /* dangling */
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax4.0"), ENOENT); /* not a link */
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax0.1"), ENOENT);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax00.1"), EINVAL);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax0.x"), EINVAL);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "0"), EINVAL);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "/dev/"), EINVAL);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, ""), EINVAL);
}

static void check_mappings(struct dax_ctx *ctx)
{
	static const uint64_t starts[] = {0x108000000, 0x100000000,
					  0x110000000};
	static const uint64_t offsets[] = {0, 0x8000, 0x10000};
	struct dax_dev *d = dax_dev_find(ctx, "dax0.0");
	struct dax_mapping *m;
	size_t n = 0;

	dax_mapping_foreach (d, m) {
		if (n < 3) {
			CHECK_U64(dax_mapping_get_start(m), starts[n]);
			CHECK_U64(dax_mapping_get_page_offset(m), offsets[n]);
		}
		CHECK(dax_mapping_get_dev(m) == d);
		n++;
	}
	CHECK_INT(errno, 0);
	CHECK_INT(n, 3);
	m = dax_mapping_get_first(d);
	CHECK_U64(dax_mapping_get_end(m), 0x10fffffff);
	CHECK_U64(dax_mapping_get_size(m), 128 * MiB);
	CHECK(dax_mapping_get_first(d) == m); /* cached */
}

static void test_main(void)
{
	struct tree t;
	struct dax_ctx *ctx;

	tree_new(&t);
	build_main(&t);
	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx,
				 -1); /* the corrupt files are on purpose */
	CHECK(dax_ctx_ref(ctx) == ctx);
	dax_ctx_unref(ctx);
	check_regions(ctx);
	check_devices(ctx);
	check_mappings(ctx);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_refresh(void)
{
	struct dax_region *r0, *r3;
	struct dax_dev *d0, *d2, *d;
	struct dax_mapping *m0, *m1;
	struct dax_ctx *ctx;
	struct tree t;
	uint64_t v;
	int n;

	tree_new(&t);
	build_main(&t);
	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	r0 = dax_region_find(ctx, 0);
	d0 = dax_dev_find(ctx, "dax0.0");
	d2 = dax_dev_find(ctx, "dax0.2");
	m0 = dax_mapping_get_first(d0); /* page_offset 0 */
	m1 = dax_mapping_get_next(m0); /* page_offset 0x8000 */
	CHECK(m0 && m1);

	/* dax0.10 and the whole hmem.3 region go, dax0.4 appears */
	tree_remove(&t, "sys/bus/dax/devices/dax0.10");
	tree_remove(&t, HMEM0 "/dax0.10");
	tree_remove(&t, "sys/bus/dax/devices/dax3.0");
	tree_remove(&t, HMEM3);
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 4,
					.major = 252,
					.minor = 4});
	/* dax0.0 shrinks: mapping2 goes, mapping0 is cut */
	tree_write(&t, HMEM0 "/dax0.0/size", "201326592\n");
	tree_remove(&t, HMEM0 "/dax0.0/mapping2");
	tree_write(&t, HMEM0 "/dax0.0/mapping0/end", "0x103ffffff\n");
	tree_write(&t, HMEM0 "/dax0.2/size", "0\n");

	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(dax_region_find(ctx, 0) == r0);
	CHECK(dax_dev_find(ctx, "dax0.0") == d0);
	CHECK(dax_dev_find(ctx, "dax0.2") == d2);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax0.10"), ENOENT);
	CHECK_NULL_ERRNO(dax_region_find(ctx, 3), ENOENT);
	CHECK(dax_dev_find(ctx, "dax0.4") != NULL);
	CHECK_INT(dax_dev_get_size(d0, &v), 0);
	CHECK_U64(v, 192 * MiB);
	CHECK_INT(dax_dev_get_size(d2, &v), 0);
	CHECK_U64(v, 0);

	CHECK(dax_mapping_get_first(d0) == m0);
	CHECK(dax_mapping_get_next(m0) == m1);
	CHECK_U64(dax_mapping_get_end(m1), 0x103ffffff);
	CHECK_NULL_ERRNO(dax_mapping_get_next(m1), 0);

	n = 0;
	dax_dev_foreach (r0, d)
		n++;
	CHECK_INT(n, 4); /* 0, 2, 3, 4 */
	n = 0;
	dax_region_foreach (ctx, r3)
		n++;
	CHECK_INT(n, 4);

	/* A new root drops everything. */
	CHECK_INT(dax_ctx_set_sysfs_root(ctx, "/nonexistent"), 0);
	CHECK_NULL_ERRNO(dax_region_get_first(ctx), ENOENT);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_memory(void)
{
	struct dax_memory *mem, *again;
	struct dax_ctx *ctx;
	struct dax_dev *d;
	struct tree t;
	uint64_t b;

	tree_new(&t);
	build_main(&t);
	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);

	d = dax_dev_find(ctx, "dax1.0");
	CHECK(dax_dev_is_system_ram(d));
	/* No memory directory at all. */
	CHECK_NULL_ERRNO(dax_dev_get_memory(d), ENOENT);

	/*
	 * Blocks of 128 MiB: range 0 covers 40..47, range 1 starts inside 48
	 * and covers 49 whole. 45 was not hot-added; 48 exists but holds
	 * someone else's memory.
	 */
	tree_block_size(&t, 128 * MiB);
	for (b = 40; b <= 49; b++)
		if (b != 45)
			tree_memory_block(&t, b, "online",
					  b == 48 ? "Normal" : "Movable");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	mem = dax_dev_get_memory(d);
	CHECK(mem != NULL);
	if (!mem) {
		dax_ctx_unref(ctx);
		tree_free(&t);
		return;
	}
	CHECK(dax_memory_get_dev(mem) == d);
	CHECK_U64(dax_memory_get_block_size(mem), 128 * MiB);
	CHECK_INT(dax_memory_get_num_blocks(mem), 8);
	CHECK_INT(dax_memory_get_num_online(mem), 8);
	CHECK_INT(dax_memory_is_movable(mem), 1);
	again = dax_dev_get_memory(d);
	CHECK(again == mem);

	tree_memory_block(&t, 46, "offline", "Normal Movable");
	CHECK_INT(dax_memory_refresh(mem), 0);
	CHECK_INT(dax_memory_get_num_blocks(mem), 8);
	CHECK_INT(dax_memory_get_num_online(mem), 7);
	CHECK_INT(dax_memory_is_movable(mem), -EAGAIN);

	tree_memory_block(&t, 46, "online", "Normal");
	CHECK_INT(dax_ctx_refresh(ctx), 0); /* refreshes memory too */
	CHECK(dax_dev_get_memory(d) == mem);
	CHECK_INT(dax_memory_get_num_online(mem), 8);
	CHECK_INT(dax_memory_is_movable(mem), 0);

	tree_remove(&t, "sys/devices/system/memory/memory46/valid_zones");
	tree_memory_block(&t, 47, "going-offline", "Movable");
	CHECK_INT(dax_memory_refresh(mem), 0);
	CHECK_INT(dax_memory_is_movable(mem), -EAGAIN);
	tree_memory_block(&t, 47, "online", "Movable");
	CHECK_INT(dax_memory_refresh(mem), 0);
	CHECK_INT(dax_memory_is_movable(mem), -ENOENT); /* zones unreadable */

	/* A corrupt state fails the refresh, values stay. */
	tree_write(&t, "sys/devices/system/memory/memory47/state", "on\nline");
	CHECK_INT(dax_memory_refresh(mem), -EINVAL);
	CHECK_INT(dax_memory_get_num_online(mem), 8);

	/* Unbound from kmem: the memory object goes away on refresh. */
	tree_remove(&t, HMEM1 "/dax1.0/driver");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(!dax_dev_is_system_ram(d));
	CHECK_NULL_ERRNO(dax_dev_get_memory(d), ENODEV);

	/* Pre-5.10: no mappingK/, one range from resource and size. */
	tree_symlink(&t, "../../../../bus/dax/drivers/kmem",
		     HMEM1 "/dax1.0/driver");
	tree_remove(&t, HMEM1 "/dax1.0/mapping0");
	tree_remove(&t, HMEM1 "/dax1.0/mapping1");
	tree_write(&t, HMEM1 "/dax1.0/size", "268435456\n");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	mem = dax_dev_get_memory(d);
	CHECK(mem != NULL);
	if (mem)
		CHECK_INT(dax_memory_get_num_blocks(mem), 2); /* 40, 41 */

	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* Layouts that only corrupt or hand-made trees have. */
static void test_odd_layouts(void)
{
	struct dax_mapping *m;
	struct dax_region *r;
	struct dax_dev *d;
	struct dax_ctx *ctx;
	struct tree t;
	uint64_t v;
	int n = 0;

	tree_new(&t);
	/* An absolute link target is taken relative to the sysfs root. */
	tree_region(&t, HMEM0, 0, 2 * GiB, true, 0, NULL);
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 0,
					.size = 2 * GiB,
					.major = 252});
	tree_symlink(&t, "/sys/devices/platform/hmem.0/dax0.0",
		     "sys/bus/dax/devices/dax0.0");
	/* The same device in the class directory too: listed once. */
	tree_symlink(&t, "../../devices/platform/hmem.0/dax/dax0.0",
		     "sys/class/dax/dax0.0");
	tree_mkdir(&t, HMEM0 "/dax/dax0.0");
	/* A name of region 1 below region 0's host: ignored. */
	tree_dev(&t,
		 &(struct tree_dev){
			 .host = HMEM0, .region = 1, .id = 5, .major = 252});
	/* A host without dax_region/: listed, every attribute missing. */
	tree_dev(&t, &(struct tree_dev){.host = "sys/devices/virtual/odd.0",
					.region = 8,
					.id = 0,
					.major = 252});
	/* A link to a directory right below the root has no host. */
	tree_mkdir(&t, "dax0.9");
	tree_symlink(&t, "../../../../dax0.9", "sys/bus/dax/devices/dax0.9");
	/*
	 * Mapping ids with a hole (mapping1, mapping2 missing) are found by
	 * listing the directory. Corrupt mappings fail the list (and stay
	 * failed until refresh).
	 */
	tree_mapping(&t, HMEM0, 0, 0, 0, 0x100000000, 0x13fffffff, 0);
	tree_mapping(&t, HMEM0, 0, 0, 3, 0x140000000, 0x13fffffff, 0x40000);

	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	dax_region_foreach (ctx, r)
		n++;
	CHECK_INT(n, 2);
	r = dax_region_find(ctx, 0);
	n = 0;
	dax_dev_foreach (r, d)
		n++;
	CHECK_INT(n, 1);
	d = dax_dev_find(ctx, "dax0.0");
	CHECK(d != NULL);
	CHECK_STR(dax_region_get_path(dax_dev_get_region(d)), "/" HMEM0);
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax1.5"), ENOENT);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax0.9"), ENOENT);
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), EINVAL); /* end < start */
	tree_write(&t, HMEM0 "/dax0.0/mapping3/end", "0x17fffffff\n");
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), EINVAL); /* cached */
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	m = dax_mapping_get_first(d);
	CHECK(m != NULL);
	if (m) {
		CHECK_U64(dax_mapping_get_start(m), 0x100000000);
		m = dax_mapping_get_next(m);
		CHECK(m != NULL);
	}
	if (m) {
		CHECK_U64(dax_mapping_get_start(m), 0x140000000);
		CHECK_U64(dax_mapping_get_page_offset(m), 0x40000);
		CHECK_NULL_ERRNO(dax_mapping_get_next(m), 0);
	}
	tree_write(&t, HMEM0 "/dax0.0/mapping0/page_offset", "0\n");
	CHECK_INT(dax_ctx_refresh(ctx), 0); /* a mapping error is not fatal */
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), EINVAL);

	r = dax_region_find(ctx, 8);
	CHECK(r != NULL);
	CHECK_STR(dax_region_get_devname(r), "odd.0");
	CHECK(!dax_region_is_dynamic(r));
	CHECK_INT(dax_region_get_size(r, &v), -ENOENT);
	CHECK_NULL_ERRNO(dax_region_get_seed(r), ENOENT);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * What is read on first use (numa_node, resource, the device number, a
 * region's seed and create) is read then, not at the scan, and kept until
 * the next refresh.
 */
static void test_first_use(void)
{
	struct dax_region *r;
	struct dax_ctx *ctx;
	struct dax_dev *d;
	unsigned int ma, mi;
	struct tree t;
	uint64_t v;
	int node;

	tree_new(&t);
	tree_region(&t, HMEM0, 0, GiB, true, 0, "dax0.1");
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 0,
					.size = 256 * MiB,
					.driver = "device_dax",
					.numa_node = 0,
					.resource = 0x100000000,
					.major = 252});
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 1,
					.major = 252,
					.minor = 1});
	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	d = dax_dev_find(ctx, "dax0.0");
	r = dax_region_find(ctx, 0);
	CHECK(d && r);
	if (!d || !r)
		goto out;

	/* Changed after the scan, before the first call: the new values. */
	tree_write(&t, HMEM0 "/dax0.0/numa_node", "1\n");
	tree_write(&t, HMEM0 "/dax0.0/resource", "0x140000000\n");
	tree_write(&t, HMEM0 "/dax0.0/dev", "251:7\n");
	tree_write(&t, HMEM0 "/dax_region/seed", "dax0.0\n");
	tree_remove(&t, HMEM0 "/dax_region/create");
	CHECK_INT(dax_dev_get_numa_node(d, &node), 0);
	CHECK_INT(node, 1);
	CHECK_INT(dax_dev_get_resource(d, &v), 0);
	CHECK_U64(v, 0x140000000);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), 0);
	CHECK_INT(ma, 251);
	CHECK_INT(mi, 7);
	CHECK(dax_region_get_seed(r) == d);
	CHECK(!dax_region_is_dynamic(r));

	/* Changed again: cached until the refresh. */
	tree_write(&t, HMEM0 "/dax0.0/numa_node", "2\n");
	tree_write(&t, HMEM0 "/dax0.0/resource", "0x180000000\n");
	tree_remove(&t, "dev/dax0.0");
	tree_write(&t, HMEM0 "/dax_region/seed", "dax0.1\n");
	tree_write(&t, HMEM0 "/dax_region/create", "\n");
	CHECK_INT(dax_dev_get_numa_node(d, &node), 0);
	CHECK_INT(node, 1);
	CHECK_INT(dax_dev_get_resource(d, &v), 0);
	CHECK_U64(v, 0x140000000);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), 0);
	CHECK(dax_region_get_seed(r) == d);
	CHECK(!dax_region_is_dynamic(r));

	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK_INT(dax_dev_get_numa_node(d, &node), 0);
	CHECK_INT(node, 2);
	CHECK_INT(dax_dev_get_resource(d, &v), 0);
	CHECK_U64(v, 0x180000000);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), -ENOENT);
	CHECK(dax_region_get_seed(r) == dax_dev_find(ctx, "dax0.1"));
	CHECK(dax_region_is_dynamic(r));

	/* A device gone before the first call reports it. */
	tree_remove(&t, "sys/bus/dax/devices/dax0.1");
	tree_remove(&t, HMEM0 "/dax0.1");
	d = dax_dev_find(ctx, "dax0.1");
	CHECK_INT(dax_dev_get_numa_node(d, &node), -ENOENT);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), -ENOENT);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * Before the first enumeration a region, and a device in it, are found
 * from the region's daxR.0 link alone; the enumeration that follows keeps
 * those objects. Where that link does not lead to the region, the bus is
 * scanned as before.
 */
static void test_find_first(void)
{
	struct dax_region *r, *x;
	struct dax_ctx *ctx;
	struct dax_dev *d;
	struct tree t;
	size_t n = 0;
	uint64_t v;

	tree_new(&t);
	build_main(&t);
	tree_region(&t, "sys/devices/platform/hmem.2", 2, GiB, true, 0, NULL);
	tree_dev(&t, &(struct tree_dev){.host = "sys/devices/platform/hmem.2",
					.region = 2,
					.id = 4,
					.size = 2 * MiB,
					.major = 252,
					.minor = 24});

	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	d = dax_dev_find(ctx, "dax0.3");
	r = dax_region_find(ctx, 0);
	CHECK(d && r && dax_dev_get_region(d) == r);
	if (!d || !r)
		goto out;
	/* Attributes: read on first call, then cached until a scan. */
	tree_write(&t, HMEM0 "/dax0.3/size", "4194304\n");
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_U64(v, 4 * MiB);
	tree_write(&t, HMEM0 "/dax0.3/size", "8388608\n");
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_U64(v, 4 * MiB);
	/* The next region: the whole bus is scanned, the objects kept. */
	x = dax_region_get_next(r);
	CHECK(x && dax_region_get_id(x) == 1);
	CHECK(dax_region_get_first(ctx) == r);
	CHECK(dax_dev_find(ctx, "dax0.3") == d);
	CHECK_INT(dax_dev_get_size(d, &v), 0);
	CHECK_U64(v, 8 * MiB);
	dax_region_foreach (ctx, x)
		n++;
	CHECK_INT(n, 6);
	dax_ctx_unref(ctx);

	/* No daxR.0 on the bus (region 2, class model 7): a scan finds them. */
	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	d = dax_dev_find(ctx, "dax2.4");
	CHECK(d && dax_region_get_id(dax_dev_get_region(d)) == 2);
	CHECK(dax_region_find(ctx, 7) != NULL);
	dax_ctx_unref(ctx);

	/* A dangling dax9.0 and unknown names. */
	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	CHECK_NULL_ERRNO(dax_region_find(ctx, 9), ENOENT);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax9.0"), ENOENT);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, "dax0.4"), ENOENT);
	CHECK_NULL_ERRNO(dax_region_find(ctx, 4), ENOENT);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * Mappings are probed from mapping0 until their sizes add up to the
 * device's; the directory is listed only when that does not work out.
 */
static void test_mapping_probe(void)
{
	struct dax_mapping *m;
	struct dax_ctx *ctx;
	struct dax_dev *d;
	uint64_t size;
	struct tree t;

	tree_new(&t);
	tree_region(&t, HMEM0, 0, GiB, true, 0, NULL);
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 0,
					.size = 256 * MiB,
					.major = 252});
	tree_mapping(&t, HMEM0, 0, 0, 0, 0x110000000, 0x117ffffff, 0x8000);
	tree_mapping(&t, HMEM0, 0, 0, 1, 0x100000000, 0x107ffffff, 0);
	/* Not a range of a 256 MiB device: never read. */
	tree_mapping(&t, HMEM0, 0, 0, 2, 0x120000000, 0x11fffffff, 0x10000);
	/* A zero-size device has no ranges to look for (see below). */
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 1,
					.major = 252,
					.minor = 1});
	/* mapping0 larger than the device: listed, all of them. */
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 2,
					.size = 128 * MiB,
					.major = 252,
					.minor = 2});
	tree_mapping(&t, HMEM0, 0, 2, 0, 0x130000000, 0x13fffffff, 0);
	tree_mapping(&t, HMEM0, 0, 2, 5, 0x140000000, 0x147ffffff, 0x10000);

	ctx = new_ctx(&t);
	dax_ctx_set_log_priority(ctx, -1);
	d = dax_dev_find(ctx, "dax0.0");
	m = dax_mapping_get_first(d);
	CHECK(m != NULL);
	if (m) {
		CHECK_U64(dax_mapping_get_start(m), 0x100000000);
		m = dax_mapping_get_next(m);
		CHECK(m != NULL);
	}
	if (m) {
		CHECK_U64(dax_mapping_get_start(m), 0x110000000);
		CHECK_NULL_ERRNO(dax_mapping_get_next(m), 0);
	}
	/* Its directory is not even opened once the size (0) is known. */
	d = dax_dev_find(ctx, "dax0.1");
	CHECK_INT(dax_dev_get_size(d, &size), 0);
	tree_remove(&t, HMEM0 "/dax0.1");
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), 0);
	d = dax_dev_find(ctx, "dax0.2");
	m = dax_mapping_get_first(d);
	CHECK(m != NULL);
	if (m) {
		CHECK_U64(dax_mapping_get_start(m), 0x130000000);
		m = dax_mapping_get_next(m);
		CHECK(m != NULL);
	}
	if (m) {
		CHECK_U64(dax_mapping_get_page_offset(m), 0x10000);
		CHECK_NULL_ERRNO(dax_mapping_get_next(m), 0);
	}
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_log(void)
{
	struct dax_ctx *ctx;
	struct tree t;
	int got = 0, node;
	uint64_t v;

	tree_new(&t);
	build_main(&t);
	ctx = new_ctx(&t);
	CHECK_INT(dax_ctx_get_log_priority(ctx), LOG_ERR);
	dax_ctx_set_userdata(ctx, &got);
	CHECK(dax_ctx_get_userdata(ctx) == &got);
	dax_ctx_set_log_fn(ctx, capture_log);
	logbuf[0] = '\0';
	errno = 0;
	CHECK(dax_region_get_first(ctx) != NULL);
	CHECK_INT(errno, 0); /* the logger keeps errno */
	/* Device attributes are read on first use. */
	CHECK(strstr(logbuf, "dax0.2/size") == NULL);
	CHECK_INT(dax_dev_get_numa_node(dax_dev_find(ctx, "dax5.0"), &node),
		  -EINVAL);
	CHECK_INT(dax_dev_get_size(dax_dev_find(ctx, "dax0.2"), &v), -EINVAL);
	CHECK_INT(dax_dev_get_target_node(dax_dev_find(ctx, "dax0.10"), &node),
		  -EINVAL);
	CHECK_INT(dax_dev_get_align(dax_dev_find(ctx, "dax0.2"), &v), -ENOENT);
	CHECK(strstr(logbuf, "/" HMEM0 "/dax0.2/size: unexpected content: "
			     "\"12abc\\n\"\n") != NULL);
	CHECK(strstr(logbuf, "/" ND5 "/dax5.0/numa_node: unexpected content: "
			     "\"0\\x00\\n\"\n") != NULL);
	CHECK(strstr(logbuf, "/" HMEM0 "/dax0.10/target_node: longer than a "
			     "page\n") != NULL);
	CHECK(strstr(logbuf, "dax0.2/align") == NULL); /* ENOENT is debug */
	if (check_failed)
		fprintf(stderr, "log was:\n%s", logbuf);

	/* Debug logs the reads; NULL restores the default logger. */
	logbuf[0] = '\0';
	dax_ctx_set_log_priority(ctx, LOG_DEBUG);
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK_INT(dax_dev_get_align(dax_dev_find(ctx, "dax0.2"), &v), -ENOENT);
	CHECK(strstr(logbuf, "dax0.2/align: open: No such file") != NULL);
	dax_ctx_set_log_fn(ctx, NULL);
	dax_ctx_set_log_priority(ctx, -1);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_env(void)
{
	struct dax_ctx *ctx = NULL;
	struct tree t;

	tree_new(&t);
	build_main(&t);
	setenv("LIBDAX_SYSFS_ROOT", t.root, 1);
	setenv("LIBDAX_LOG", "debug", 1);
	CHECK_INT(dax_ctx_new(&ctx), 0);
	CHECK_STR(dax_ctx_get_sysfs_root(ctx), t.root);
	CHECK_INT(dax_ctx_get_log_priority(ctx), LOG_DEBUG);
	dax_ctx_set_log_fn(ctx, capture_log);
	logbuf[0] = '\0';
	CHECK(dax_dev_find(ctx, "dax5.0") != NULL);
	dax_ctx_unref(ctx);

	setenv("LIBDAX_LOG", "4", 1);
	CHECK_INT(dax_ctx_new(&ctx), 0);
	CHECK_INT(dax_ctx_get_log_priority(ctx), 4);
	dax_ctx_unref(ctx);

	ctx = NULL;
	setenv("LIBDAX_SYSFS_ROOT", "relative", 1);
	setenv("LIBDAX_LOG", "0", 1); /* silence the complaint below */
	CHECK_INT(dax_ctx_new(&ctx), -EINVAL);
	CHECK(ctx == NULL);
	unsetenv("LIBDAX_SYSFS_ROOT");
	unsetenv("LIBDAX_LOG");
	CHECK_INT(dax_ctx_new(&ctx), 0);
	CHECK_STR(dax_ctx_get_sysfs_root(ctx), "/");
	CHECK_INT(dax_ctx_get_log_priority(ctx), LOG_ERR);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* What a non-root caller sees of the root-only (0400) attributes. */
static void unprivileged_attrs(struct tree *t)
{
	struct dax_ctx *ctx = new_ctx(t);
	struct dax_dev *d;
	uint64_t v;

	dax_ctx_set_log_priority(ctx, -1);
	/* dax0.0: resource unreadable, mappings readable: fallback */
	d = dax_dev_find(ctx, "dax0.0");
	CHECK_INT(dax_dev_get_resource(d, &v), 0);
	CHECK_U64(v, 0x108000000);
	/* dax0.10: neither: -EACCES, and so are its mappings */
	d = dax_dev_find(ctx, "dax0.10");
	CHECK_INT(dax_dev_get_resource(d, &v), -EACCES);
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), EACCES);
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), EACCES); /* cached */
	CHECK_INT(dax_region_get_align(dax_dev_get_region(d), &v), -EACCES);
	dax_ctx_unref(ctx);
}

/* An unreadable bus fails the scan. */
static void unprivileged_bus(struct tree *t)
{
	struct dax_ctx *ctx = new_ctx(t);

	dax_ctx_set_log_priority(ctx, -1);
	CHECK_NULL_ERRNO(dax_region_get_first(ctx), EACCES);
	CHECK_INT(dax_ctx_refresh(ctx), -EACCES);
	dax_ctx_unref(ctx);
}

/* Run @fn as nobody when we are root (DAC would not apply to us). */
static void as_nobody(struct tree *t, void (*fn)(struct tree *t))
{
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		fn(t);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		check_passed = check_failed = 0;
		if (setgid(65534) < 0 || setuid(65534) < 0 ||
		    access(t->root, X_OK) < 0) {
			printf("unprivileged checks skipped: %s\n",
			       strerror(errno));
			free(t->root);
			_exit(0);
		}
		fn(t);
		free(t->root);
		printf("as nobody: %u passed, %u failed\n", check_passed,
		       check_failed);
		fflush(NULL);
		_exit(check_failed ? 1 : 0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_unprivileged(void)
{
	struct tree t;

	tree_new(&t);
	build_main(&t);
	/*
	 * sysfs's root-only attributes are 0400 and owned by root; this tree
	 * is owned by whoever runs the test. What a non-root user gets from a
	 * root-owned 0400 file, owner or not, is what mode 0000 gives: only
	 * root reads it. So also as an ordinary user (not root) these checks
	 * see the non-root view.
	 */
	tree_chmod(&t, HMEM0 "/dax0.0/resource", 0000);
	tree_chmod(&t, HMEM0 "/dax0.10/resource", 0000);
	tree_chmod(&t, HMEM0 "/dax_region/align", 0000);
	tree_mapping(&t, HMEM0, 0, 10, 0, 0x130000000, 0x1301fffff, 0);
	tree_chmod(&t, HMEM0 "/dax0.10/mapping0/start", 0000);
	as_nobody(&t, unprivileged_attrs);
	tree_chmod(&t, "sys/bus/dax/devices", 0111);
	as_nobody(&t, unprivileged_bus);
	tree_chmod(&t, "sys/bus/dax/devices", 0755);
	tree_free(&t);
}

/* Every policy against every request: only these combinations online as asked.
 */
static void test_auto_online_differs(void)
{
	static const int same[4][3] = {
		/* asked: NONE, MOVABLE, KERNEL */
		[DAX_ONLINE_NONE] = {1, 1, 1},
		[DAX_ONLINE_MOVABLE] = {0, 1, 0},
		[DAX_ONLINE_KERNEL] = {0, 0, 1},
		[DAX_ONLINE_AUTO] = {0, 0, 1},
	};
	int p, h;

	for (p = DAX_ONLINE_NONE; p <= DAX_ONLINE_AUTO; p++)
		for (h = DAX_ONLINE_NONE; h <= DAX_ONLINE_KERNEL; h++)
			CHECK_INT(
				dax_auto_online_differs(p, (enum dax_online)h),
				!same[p][h]);
}

int main(void)
{
	unsetenv("LIBDAX_SYSFS_ROOT");
	unsetenv("LIBDAX_LOG");
	test_empty();
	test_main();
	test_refresh();
	test_memory();
	test_auto_online_differs();
	test_odd_layouts();
	test_first_use();
	test_find_first();
	test_mapping_probe();
	test_log();
	test_env();
	test_unprivileged();
	return check_exit();
}
