// SPDX-License-Identifier: GPL-2.0-only
/*
 * Object lifetime (the "Ownership" rule of libdax.h) on synthetic trees:
 * handles held while their kernel objects vanish behind the library's
 * back, refreshes and change calls in between. Gone objects must answer
 * -ENODEV (ENODEV, false, 0) and keep their name; iteration must go on
 * from them; a name that appears again must revive the same object; and
 * churn of one name must not grow the context. Run under valgrind and
 * ASan (see meson.build) this also shows that nothing is freed early or
 * leaked.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libdax.h>

#include "check.h"
#include "tree.h"

#define HMEM0 "sys/devices/platform/hmem.0"
#define HMEM1 "sys/devices/platform/hmem.1"
#define HMEM2 "sys/devices/platform/hmem.2"
#define ND7 "sys/devices/platform/e820/ndbus0/region7/dax7.0"
#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)
#define BASE 0x100000000ull
#define BASE1 0x200000000ull

/* An unbound or bound device of region 0 with one range at +@off. */
static void dev0(struct tree *t, int id, uint64_t size, uint64_t off,
		 const char *driver)
{
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = id,
				       .size = size,
				       .driver = driver,
				       .target_node = 0,
				       .resource = BASE + off,
				       .major = 252,
				       .minor = (unsigned int)id});
	if (size)
		tree_mapping(t, HMEM0, 0, id, 0, BASE + off,
			     BASE + off + size - 1, 0);
}

/*
 * Region 0 (hmem.0, dynamic): dax0.0 bound, dax0.1 .. dax0.4 unbound, of
 * 256, 128, 128, 0 and 128 MiB. Region 1 (hmem.1): dax1.0 in kmem, two
 * memory blocks of 128 MiB online. Region 2 (hmem.2): dax2.0 bound.
 * Region 7: the legacy class model.
 */
static void build(struct tree *t)
{
	tree_region(t, HMEM0, 0, GiB, true, 384 * MiB, "dax0.3");
	dev0(t, 0, 256 * MiB, 0, "device_dax");
	dev0(t, 1, 128 * MiB, 256 * MiB, NULL);
	dev0(t, 2, 128 * MiB, 384 * MiB, NULL);
	dev0(t, 3, 0, 0, NULL);
	dev0(t, 4, 128 * MiB, 512 * MiB, NULL);

	tree_region(t, HMEM1, 1, 256 * MiB, true, 0, "");
	tree_dev(t, &(struct tree_dev){.host = HMEM1,
				       .region = 1,
				       .id = 0,
				       .size = 256 * MiB,
				       .driver = "kmem",
				       .target_node = 1,
				       .resource = BASE1,
				       .major = 252,
				       .minor = 10});
	tree_mapping(t, HMEM1, 1, 0, 0, BASE1, BASE1 + 256 * MiB - 1, 0);
	tree_block_size(t, 128 * MiB);
	tree_memory_block(t, BASE1 / (128 * MiB), "online", "Movable");
	tree_memory_block(t, BASE1 / (128 * MiB) + 1, "online", "Movable");

	tree_region(t, HMEM2, 2, 2 * MiB, true, 0, "");
	tree_dev(t, &(struct tree_dev){.host = HMEM2,
				       .region = 2,
				       .id = 0,
				       .size = 2 * MiB,
				       .driver = "device_dax",
				       .target_node = 0,
				       .major = 252,
				       .minor = 20});

	tree_region(t, ND7, 7, 128 * MiB, false, 0, NULL);
	tree_dev(t, &(struct tree_dev){.host = ND7,
				       .region = 7,
				       .id = 0,
				       .size = 128 * MiB,
				       .class_model = true,
				       .target_node = -1,
				       .major = 251,
				       .minor = 0});
}

/* A change call on a gone object: -ENODEV, nothing written, no lock. */
#define GONE(t, call)                                                          \
	do {                                                                   \
		char *before_ = tree_snapshot(t), *after_;                     \
		struct stat st_;                                               \
		char *lock_ = tree_fmt("%s/run", (t)->root);                   \
		CHECK_INT((call), -ENODEV);                                    \
		after_ = tree_snapshot(t);                                     \
		check_report(strcmp(before_, after_) == 0,                     \
			     "%s: the tree changed", #call);                   \
		check_report(stat(lock_, &st_) < 0, "%s: took a lock", #call); \
		free(before_);                                                 \
		free(after_);                                                  \
		free(lock_);                                                   \
	} while (0)

/* Every getter of the gone device @d (id @id of region @r). */
static void check_gone_dev(struct dax_dev *d, struct dax_region *r, int id,
			   struct dax_ctx *ctx)
{
	char name[32];
	uint64_t v;
	unsigned int ma, mi;
	int node;

	snprintf(name, sizeof(name), "dax%d.%d", dax_region_get_id(r), id);
	CHECK(dax_dev_is_gone(d));
	CHECK_STR(dax_dev_get_devname(d), name);
	CHECK_INT(dax_dev_get_id(d), id);
	CHECK(dax_dev_get_region(d) == r);
	CHECK(dax_dev_get_ctx(d) == ctx);
	CHECK_INT(dax_dev_get_size(d, &v), -ENODEV);
	CHECK_INT(dax_dev_get_align(d, &v), -ENODEV);
	CHECK_INT(dax_dev_get_resource(d, &v), -ENODEV);
	CHECK_INT(dax_dev_get_target_node(d, &node), -ENODEV);
	CHECK_INT(dax_dev_get_numa_node(d, &node), -ENODEV);
	CHECK_INT(dax_dev_get_devnum(d, &ma, &mi), -ENODEV);
	CHECK_INT(dax_dev_get_driver(d), DAX_DRIVER_NONE);
	CHECK_NULL_ERRNO(dax_dev_get_driver_name(d), ENODEV);
	CHECK(!dax_dev_is_enabled(d));
	CHECK(!dax_dev_is_system_ram(d));
	CHECK_NULL_ERRNO(dax_dev_get_memory(d), ENODEV);
	CHECK_NULL_ERRNO(dax_mapping_get_first(d), ENODEV);
	CHECK_NULL_ERRNO(dax_dev_find(ctx, name), ENOENT);
}

/* The ids of region @r's devices as a string "0 1 3". */
static void list_ids(struct dax_region *r, char *buf, size_t len)
{
	struct dax_dev *d;
	size_t at = 0;

	buf[0] = '\0';
	dax_dev_foreach (r, d)
		at += (size_t)snprintf(buf + at, len - at, "%s%d",
				       at ? " " : "", dax_dev_get_id(d));
}

/* The reproduction: a change call's re-read freed a held device. */
static void test_change_call(void)
{
	struct dax_dev *d2, *d3;
	struct dax_ctx *ctx;
	struct tree t;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	d2 = dax_dev_find(ctx, "dax0.2");
	d3 = dax_dev_find(ctx, "dax0.3");
	CHECK(d2 && d3);
	if (!d2 || !d3)
		goto out;
	tree_remove_dev(&t, HMEM0, 0, 2, false);
	/* Unbound already: only the id lists are written; then a re-read. */
	CHECK_INT(dax_dev_disable(d3), 0);
	CHECK_STR(dax_dev_get_devname(d2), "dax0.2");
	check_gone_dev(d2, dax_dev_get_region(d3), 2, ctx);
	CHECK(!dax_dev_is_gone(d3));
	CHECK(dax_dev_get_next(d2) == dax_dev_find(ctx, "dax0.3"));
	CHECK(dax_dev_find(ctx, "dax0.3") == d3);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_gone_dev(void)
{
	struct dax_dev *d0, *d2, *d3, *d4, *d;
	struct dax_mapping *m2, *m4;
	struct dax_region *r0;
	struct dax_range range = {BASE + 640 * MiB, BASE + 642 * MiB - 1};
	struct dax_ctx *ctx;
	struct tree t;
	char ids[64];
	uint64_t v;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	d0 = dax_dev_find(ctx, "dax0.0");
	d2 = dax_dev_find(ctx, "dax0.2");
	d3 = dax_dev_find(ctx, "dax0.3");
	d4 = dax_dev_find(ctx, "dax0.4");
	CHECK(r0 && d0 && d2 && d3 && d4);
	if (!r0 || !d0 || !d2 || !d3 || !d4)
		goto out;
	m2 = dax_mapping_get_first(d2);
	m4 = dax_mapping_get_first(d4);
	CHECK(m2 && m4);
	if (!m2 || !m4)
		goto out;
	CHECK(!dax_dev_is_gone(d2));
	CHECK_INT(dax_dev_get_size(d2, &v), 0); /* cached before it goes */

	tree_remove_dev(&t, HMEM0, 0, 2, false);
	tree_remove_dev(&t, HMEM0, 0, 3, false);
	/* Not noticed before a scan: the cache answers. */
	CHECK(!dax_dev_is_gone(d2));
	CHECK_INT(dax_ctx_refresh(ctx), 0);

	check_gone_dev(d2, r0, 2, ctx);
	check_gone_dev(d3, r0, 3, ctx);
	CHECK(!dax_region_is_gone(r0));
	CHECK_U64(dax_mapping_get_size(m2), 0);
	CHECK_U64(dax_mapping_get_start(m2), 0);
	CHECK_U64(dax_mapping_get_end(m2), 0);
	CHECK_U64(dax_mapping_get_page_offset(m2), 0);
	errno = 0;
	(void)dax_mapping_get_start(m2);
	CHECK_INT(errno, ENODEV);
	CHECK(dax_mapping_get_dev(m2) == d2);
	CHECK_NULL_ERRNO(dax_mapping_get_next(m2), ENODEV);
	/* The seed names dax0.3, which is gone. */
	CHECK_NULL_ERRNO(dax_region_get_seed(r0), ENOENT);

	/* Iteration skips them and goes on from them. */
	list_ids(r0, ids, sizeof(ids));
	CHECK_STR(ids, "0 1 4");
	CHECK(dax_dev_get_next(d2) == d4);
	CHECK(dax_dev_get_next(d3) == d4);
	CHECK_NULL_ERRNO(dax_dev_get_next(d4), 0);
	/* Live neighbours are the same objects, their mappings too. */
	CHECK(dax_dev_find(ctx, "dax0.4") == d4);
	CHECK(dax_mapping_get_first(d4) == m4);
	CHECK_U64(dax_mapping_get_size(m4), 128 * MiB);

	/* Change calls: nothing written, not even a lock taken. */
	GONE(&t, dax_dev_enable(d2, DAX_DRIVER_DEVICE_DAX));
	GONE(&t, dax_dev_disable(d2));
	GONE(&t, dax_dev_destroy(d2));
	GONE(&t, dax_dev_set_size(d2, 2 * MiB));
	GONE(&t, dax_dev_set_align(d2, 2 * MiB));
	GONE(&t, dax_dev_add_range(d2, &range));
	GONE(&t, dax_dev_to_system_ram(d2, DAX_ONLINE_MOVABLE, 0));
	GONE(&t, dax_dev_to_devdax(d2, 0));

	/* A loop whose current device is destroyed keeps going. */
	ids[0] = '\0';
	dax_dev_foreach (r0, d) {
		size_t at = strlen(ids);

		snprintf(ids + at, sizeof(ids) - at, "%s%d", at ? " " : "",
			 dax_dev_get_id(d));
		if (dax_dev_get_id(d) == 1) {
			tree_remove_dev(&t, HMEM0, 0, 1, false);
			CHECK_INT(dax_ctx_refresh(ctx), 0);
			CHECK(dax_dev_is_gone(d));
		}
	}
	CHECK_STR(ids, "0 1 4");
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* The name back: the same objects, describing the new kernel object. */
static void test_revive(void)
{
	struct dax_dev *d2, *d;
	struct dax_mapping *m2, *m;
	struct dax_region *r0;
	struct dax_ctx *ctx;
	struct tree t;
	char ids[64];
	uint64_t v;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	d2 = dax_dev_find(ctx, "dax0.2");
	m2 = d2 ? dax_mapping_get_first(d2) : NULL;
	CHECK(r0 && d2 && m2);
	if (!r0 || !d2 || !m2)
		goto out;
	CHECK_U64(dax_mapping_get_start(m2), BASE + 384 * MiB);

	tree_remove_dev(&t, HMEM0, 0, 2, false);
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(dax_dev_is_gone(d2));
	CHECK_NULL_ERRNO(dax_mapping_get_first(d2), ENODEV);

	/* Re-created by someone else: another size, range and driver. */
	dev0(&t, 2, 64 * MiB, 768 * MiB, "device_dax");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	d = dax_dev_find(ctx, "dax0.2");
	CHECK(d == d2);
	CHECK(!dax_dev_is_gone(d2));
	CHECK_INT(dax_dev_get_size(d2, &v), 0);
	CHECK_U64(v, 64 * MiB);
	CHECK_INT(dax_dev_get_driver(d2), DAX_DRIVER_DEVICE_DAX);
	m = dax_mapping_get_first(d2);
	CHECK(m == m2); /* mapping0 again */
	CHECK_U64(dax_mapping_get_start(m2), BASE + 768 * MiB);
	CHECK_U64(dax_mapping_get_size(m2), 64 * MiB);
	CHECK_NULL_ERRNO(dax_mapping_get_next(m2), 0);
	list_ids(r0, ids, sizeof(ids));
	CHECK_STR(ids, "0 1 2 3 4");

	/* A range that went while the device stayed: gone, then back. */
	tree_mapping(&t, HMEM0, 0, 2, 1, BASE + 832 * MiB, BASE + 834 * MiB - 1,
		     0x4000);
	tree_write(&t, HMEM0 "/dax0.2/size", "69206016\n");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	m = dax_mapping_get_next(m2);
	CHECK(m != NULL);
	if (m) {
		tree_remove(&t, HMEM0 "/dax0.2/mapping1");
		tree_write(&t, HMEM0 "/dax0.2/size", "67108864\n");
		CHECK_INT(dax_ctx_refresh(ctx), 0);
		CHECK_U64(dax_mapping_get_size(m), 0);
		CHECK(dax_mapping_get_dev(m) == d2);
		CHECK_NULL_ERRNO(dax_mapping_get_next(m), 0);
		CHECK_NULL_ERRNO(dax_mapping_get_next(m2), 0);
		tree_mapping(&t, HMEM0, 0, 2, 1, BASE + 900 * MiB,
			     BASE + 902 * MiB - 1, 0x4000);
		tree_write(&t, HMEM0 "/dax0.2/size", "69206016\n");
		CHECK_INT(dax_ctx_refresh(ctx), 0);
		CHECK(dax_mapping_get_next(m2) == m);
		CHECK_U64(dax_mapping_get_start(m), BASE + 900 * MiB);
	}
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* Destroy and re-create one name, again and again: nothing grows. */
static void test_churn(void)
{
	struct dax_dev *d4 = NULL, *d;
	struct dax_mapping *m4 = NULL;
	struct dax_ctx *ctx;
	struct tree t;
	size_t before = 0, after = 0;
	int i, same = 0;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	for (i = 0; i < 60; i++) {
		struct mallinfo2 mi;

		tree_remove_dev(&t, HMEM0, 0, 4, false);
		CHECK_INT(dax_ctx_refresh(ctx), 0);
		if (d4 && !dax_dev_is_gone(d4))
			break;
		dev0(&t, 4, 128 * MiB, (uint64_t)(512 + i % 3 * 128) * MiB,
		     i % 2 ? "device_dax" : NULL);
		CHECK_INT(dax_ctx_refresh(ctx), 0);
		d = dax_dev_find(ctx, "dax0.4");
		if (!d4) {
			d4 = d;
			m4 = d ? dax_mapping_get_first(d) : NULL;
		}
		same += d == d4 && d && dax_mapping_get_first(d) == m4;
		if (d4)
			CHECK_INT(dax_dev_is_enabled(d4), i % 2);
		/*
		 * The heap in use after a warm-up, and 36 rounds later: the
		 * same phase of the rounds' 6-round pattern (3 places x 2
		 * drivers).
		 */
		mi = mallinfo2();
		if (i == 23)
			before = mi.uordblks;
		after = mi.uordblks;
	}
	CHECK_INT(same, 60);
	CHECK(m4 != NULL);
	/*
	 * The heap in use must not grow with the churn. meson runs this with
	 * glibc's tcache off (chunks cached there count as in use); under
	 * valgrind and ASan mallinfo2() does not see their heap.
	 */
	check_report(after <= before, "heap in use grew from %zu to %zu",
		     before, after);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_gone_region(void)
{
	struct dax_region *r1, *r2, *r7, *r;
	struct dax_dev *d20, *d70, *d;
	struct dax_ctx *ctx;
	struct tree t;
	uint64_t v;
	int n;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	r1 = dax_region_find(ctx, 1);
	r2 = dax_region_find(ctx, 2);
	r7 = dax_region_find(ctx, 7);
	d20 = dax_dev_find(ctx, "dax2.0");
	d70 = dax_dev_find(ctx, "dax7.0");
	CHECK(r1 && r2 && r7 && d20 && d70);
	if (!r1 || !r2 || !r7 || !d20 || !d70)
		goto out;

	tree_remove_dev(&t, HMEM2, 2, 0, false);
	tree_remove(&t, HMEM2);
	tree_remove_dev(&t, ND7, 7, 0, true);
	CHECK_INT(dax_ctx_refresh(ctx), 0);

	CHECK(dax_region_is_gone(r2));
	CHECK_INT(dax_region_get_id(r2), 2);
	CHECK_STR(dax_region_get_path(r2), "/" HMEM2);
	CHECK_STR(dax_region_get_devname(r2), "hmem.2");
	CHECK(dax_region_get_ctx(r2) == ctx);
	CHECK_INT(dax_region_get_size(r2, &v), -ENODEV);
	CHECK_INT(dax_region_get_align(r2, &v), -ENODEV);
	CHECK_INT(dax_region_get_available_size(r2, &v), -ENODEV);
	CHECK(!dax_region_is_dynamic(r2));
	CHECK_NULL_ERRNO(dax_region_get_seed(r2), ENODEV);
	CHECK_NULL_ERRNO(dax_dev_get_first(r2), ENODEV);
	CHECK_NULL_ERRNO(dax_region_find(ctx, 2), ENOENT);
	check_gone_dev(d20, r2, 0, ctx);
	CHECK_NULL_ERRNO(dax_dev_get_next(d20), ENODEV);
	CHECK(dax_region_is_gone(r7));
	check_gone_dev(d70, r7, 0, ctx);
	CHECK_NULL_ERRNO(dax_region_get_next(r7), 0);
	n = 0;
	dax_region_foreach (ctx, r)
		n++;
	CHECK_INT(n, 2); /* 0, 1 */
	/* Iteration from a gone region: the next live one by id. */
	CHECK_NULL_ERRNO(dax_region_get_next(r2), 0);
	CHECK(dax_region_get_next(dax_region_find(ctx, 0)) == r1);
	CHECK(dax_region_get_next(r1) == NULL);
	GONE(&t, dax_region_create_dev(r2, 2 * MiB, 0, NULL, 0, 0, &d));
	GONE(&t, dax_region_create_devs(r2, 2, 2 * MiB, 0, 0, NULL));

	/* Back, both models: the same objects. */
	tree_region(&t, HMEM2, 2, 2 * MiB, true, 0, "");
	tree_dev(&t, &(struct tree_dev){.host = HMEM2,
					.region = 2,
					.id = 0,
					.size = 2 * MiB,
					.target_node = 0,
					.major = 252,
					.minor = 20});
	tree_dev(&t, &(struct tree_dev){.host = ND7,
					.region = 7,
					.id = 0,
					.size = 128 * MiB,
					.class_model = true,
					.target_node = -1,
					.major = 251,
					.minor = 0});
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(dax_region_find(ctx, 2) == r2);
	CHECK(dax_region_find(ctx, 7) == r7);
	CHECK(!dax_region_is_gone(r2) && !dax_region_is_gone(r7));
	CHECK(dax_dev_find(ctx, "dax2.0") == d20);
	CHECK(dax_dev_find(ctx, "dax7.0") == d70);
	CHECK(!dax_dev_is_enabled(d20)); /* the new one is unbound */
	CHECK_INT(dax_region_get_size(r2, &v), 0);
	CHECK(dax_region_get_next(r1) == r2);
	n = 0;
	dax_region_foreach (ctx, r)
		n++;
	CHECK_INT(n, 4);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* A memory object is its device's: gone with kmem, revived with it. */
static void test_memory(void)
{
	struct dax_memory *mem;
	struct dax_dev *d;
	struct dax_ctx *ctx;
	struct tree t;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	d = dax_dev_find(ctx, "dax1.0");
	mem = d ? dax_dev_get_memory(d) : NULL;
	CHECK(mem != NULL);
	if (!mem)
		goto out;
	CHECK_INT(dax_memory_get_num_online(mem), 2);

	/* Unbound from kmem (by someone else). */
	tree_remove(&t, HMEM1 "/dax1.0/driver");
	tree_remove(&t, "sys/bus/dax/drivers/kmem/dax1.0");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(!dax_dev_is_gone(d));
	CHECK(dax_memory_get_dev(mem) == d);
	CHECK_INT(dax_memory_get_num_blocks(mem), 0);
	CHECK_INT(dax_memory_get_num_online(mem), 0);
	CHECK_U64(dax_memory_get_block_size(mem), 0);
	CHECK_INT(dax_memory_is_movable(mem), -ENODEV);
	CHECK_INT(dax_memory_refresh(mem), -ENODEV);
	GONE(&t, dax_memory_online(mem, DAX_ONLINE_MOVABLE));
	GONE(&t, dax_memory_offline(mem));
	CHECK_NULL_ERRNO(dax_dev_get_memory(d), ENODEV);

	/* In kmem again: the same object, read anew. */
	tree_symlink(&t, "../../../../bus/dax/drivers/kmem",
		     HMEM1 "/dax1.0/driver");
	tree_memory_block(&t, BASE1 / (128 * MiB) + 1, "offline", "Movable");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(dax_dev_get_memory(d) == mem);
	CHECK_INT(dax_memory_get_num_blocks(mem), 2);
	CHECK_INT(dax_memory_get_num_online(mem), 1);

	/* The device itself goes: so does its memory object. */
	tree_remove_dev(&t, HMEM1, 1, 0, false);
	tree_remove(&t, HMEM1);
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK(dax_dev_is_gone(d));
	CHECK(dax_region_is_gone(dax_dev_get_region(d)));
	CHECK_INT(dax_memory_get_num_online(mem), 0);
	CHECK_INT(dax_memory_is_movable(mem), -ENODEV);
	GONE(&t, dax_memory_offline(mem));
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* Another root: everything goes gone, nothing is freed. */
static void test_set_root(void)
{
	struct dax_region *r0;
	struct dax_dev *d0;
	struct dax_mapping *m0;
	struct dax_ctx *ctx;
	struct tree t, empty;
	uint64_t v;

	tree_new(&t);
	build(&t);
	tree_new(&empty);
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	d0 = dax_dev_find(ctx, "dax0.0");
	m0 = d0 ? dax_mapping_get_first(d0) : NULL;
	CHECK(r0 && d0 && m0);
	if (!r0 || !d0 || !m0)
		goto out;
	CHECK_INT(dax_region_lock(r0), 0);

	CHECK_INT(dax_ctx_set_sysfs_root(ctx, empty.root), 0);
	CHECK(dax_region_is_gone(r0));
	CHECK(dax_dev_is_gone(d0));
	CHECK_INT(dax_region_get_size(r0, &v), -ENODEV);
	CHECK_U64(dax_mapping_get_size(m0), 0);
	CHECK_STR(dax_dev_get_devname(d0), "dax0.0");
	CHECK_NULL_ERRNO(dax_region_get_first(ctx), 0);
	CHECK_NULL_ERRNO(dax_dev_get_next(d0), ENODEV);

	/* The old root again: found by id before any scan, then listed. */
	CHECK_INT(dax_ctx_set_sysfs_root(ctx, t.root), 0);
	CHECK(dax_region_find(ctx, 0) == r0);
	CHECK(!dax_region_is_gone(r0));
	CHECK(dax_dev_find(ctx, "dax0.0") == d0);
	CHECK(dax_mapping_get_first(d0) == m0);
	CHECK_U64(dax_mapping_get_size(m0), 256 * MiB);
	CHECK(dax_region_get_first(ctx) == r0);
	/* The lock was released with the old root: relocking works. */
	CHECK_INT(dax_region_lock(r0), 0);
	dax_region_unlock(r0);
out:
	dax_ctx_unref(ctx);
	tree_free(&empty);
	tree_free(&t);
}

int main(void)
{
	test_change_call();
	test_gone_dev();
	test_revive();
	test_churn();
	test_gone_region();
	test_memory();
	test_set_root();
	return check_exit();
}
