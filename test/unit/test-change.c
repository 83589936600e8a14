// SPDX-License-Identifier: GPL-2.0-only
/*
 * The change side on synthetic sysfs trees. A tree cannot allocate like
 * the kernel, so these tests cover what happens before the first write:
 * every rejected call must leave every file of the tree as it was. And the
 * region lock: its file, recursion, and a second process that waits.
 * Kernel behaviour is tested in the guest (test/kernel/).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libdax.h>

#include "check.h"
#include "tree.h"

#define HMEM0 "sys/devices/platform/hmem.0"
#define ND5 "sys/devices/platform/e820/ndbus0/region5/dax5.0"
#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)
#define BASE 0x100000000ull

/*
 * Region 0 (1 GiB at 4 GiB, 512 MiB free in two holes):
 *   dax0.0 256 MiB at +0      bound to device_dax
 *   [hole 256 MiB at +256M]
 *   dax0.1 256 MiB at +512M   unbound
 *   [hole 256 MiB at +768M]
 *   dax0.3 0 bytes            unbound (a leftover)
 * Region 5: static (pmem), dax5.0 bound.
 */
static void build(struct tree *t)
{
	tree_platform(t, 4096, 2 * MiB); /* x86-64 */
	tree_region(t, HMEM0, 0, GiB, true, 512 * MiB, "");
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 0,
				       .size = 256 * MiB,
				       .driver = "device_dax",
				       .resource = BASE,
				       .major = 252});
	tree_mapping(t, HMEM0, 0, 0, 0, BASE, BASE + 256 * MiB - 1, 0);
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 1,
				       .size = 256 * MiB,
				       .resource = BASE + 512 * MiB,
				       .major = 252,
				       .minor = 1});
	tree_mapping(t, HMEM0, 0, 1, 0, BASE + 512 * MiB, BASE + 768 * MiB - 1,
		     0);
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 3,
				       .resource = BASE,
				       .major = 252,
				       .minor = 3});
	tree_region(t, ND5, 5, 512 * MiB, false, 0, NULL);
	tree_dev(t, &(struct tree_dev){.host = ND5,
				       .region = 5,
				       .id = 0,
				       .size = 512 * MiB,
				       .driver = "device_dax",
				       .resource = 0x200000000,
				       .major = 252,
				       .minor = 9});
	tree_write(t, "proc/iomem",
		   "00000000-00000fff : Reserved\n"
		   "100000000-13fffffff : hmem.0\n"
		   "  100000000-13fffffff : Soft Reserved\n"
		   "    100000000-10fffffff : dax0.0\n");
}

/* The call must fail with @err and write nothing. */
#define REJECT(t, call, err)                                 \
	do {                                                 \
		char *before_ = tree_snapshot(t), *after_;   \
		CHECK_INT((call), -(err));                   \
		after_ = tree_snapshot(t);                   \
		check_report(strcmp(before_, after_) == 0,   \
			     "%s: the tree changed", #call); \
		free(before_);                               \
		free(after_);                                \
	} while (0)

static void test_create_rejects(void)
{
	struct dax_ctx *ctx;
	struct dax_region *r0, *r5;
	struct dax_dev *dev = (struct dax_dev *)&dev, *devs[4];
	struct tree t;
	struct dax_range hole = {BASE + 256 * MiB, BASE + 258 * MiB - 1};
	struct dax_range off = {BASE + 257 * MiB, BASE + 259 * MiB - 1};
	struct dax_range overlap = {BASE + 254 * MiB, BASE + 258 * MiB - 1};
	struct dax_range outside = {BASE + GiB, BASE + GiB + 2 * MiB - 1};
	struct dax_range twice[2] = {{BASE + 256 * MiB, BASE + 260 * MiB - 1},
				     {BASE + 258 * MiB, BASE + 262 * MiB - 1}};
	struct dax_range backwards = {BASE + 260 * MiB, BASE + 256 * MiB};

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	r5 = dax_region_find(ctx, 5);
	CHECK(r0 && r5);
	if (!r0 || !r5)
		goto out;

	/* Arguments */
	REJECT(&t, dax_region_create_dev(NULL, 2 * MiB, 0, NULL, 0, 0, &dev),
	       EINVAL);
	CHECK(dev == NULL);
	REJECT(&t, dax_region_create_dev(r0, 2 * MiB, 0, NULL, 0, 0x80, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 2 * MiB, 0, NULL, 1, 0, NULL),
	       EINVAL);
	/* Sizes and aligns */
	REJECT(&t, dax_region_create_dev(r0, 3 * MiB, 0, NULL, 0, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 4096, 4096, NULL, 0, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 2 * MiB, 8192, NULL, 0, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 512 * MiB, GiB, NULL, 0, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 514 * MiB, 0, NULL, 0, 0, NULL),
	       ENOSPC);
	REJECT(&t, dax_region_create_dev(r0, GiB, GiB, NULL, 0, 0, NULL),
	       ENOSPC);
	/* Explicit ranges */
	REJECT(&t, dax_region_create_dev(r0, 4 * MiB, 0, &hole, 1, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 0, 0, &off, 1, 0, NULL), EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 0, 0, &overlap, 1, 0, NULL),
	       ENOMEM);
	REJECT(&t, dax_region_create_dev(r0, 0, 0, &outside, 1, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 0, 0, twice, 2, 0, NULL), ENOMEM);
	REJECT(&t, dax_region_create_dev(r0, 0, 0, &backwards, 1, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_dev(r0, 0, GiB, &hole, 1, 0, NULL),
	       EINVAL);
	/* Static regions */
	REJECT(&t, dax_region_create_dev(r5, 2 * MiB, 0, NULL, 0, 0, NULL),
	       EOPNOTSUPP);
	REJECT(&t, dax_region_create_devs(r5, 1, 2 * MiB, 0, 0, NULL),
	       EOPNOTSUPP);

	/* Several devices: all or none, checked before the first write. */
	devs[0] = devs[1] = devs[2] = (struct dax_dev *)&dev;
	REJECT(&t, dax_region_create_devs(r0, 3, 256 * MiB, 0, 0, devs),
	       ENOSPC);
	CHECK(!devs[0] && !devs[1] && !devs[2]);
	REJECT(&t, dax_region_create_devs(r0, 0, 2 * MiB, 0, 0, NULL), EINVAL);
	REJECT(&t, dax_region_create_devs(r0, 2, 0, 0, 0, NULL), EINVAL);
	REJECT(&t, dax_region_create_devs(r0, 2, 3 * MiB, 0, 0, NULL), EINVAL);
	REJECT(&t, dax_region_create_devs(r0, 4, 130 * MiB, 0, 0, NULL),
	       ENOSPC);
	REJECT(&t, dax_region_create_devs(NULL, 1, 2 * MiB, 0, 0, NULL),
	       EINVAL);
	REJECT(&t, dax_region_create_devs(r0, 1, 2 * MiB, 0, 2, NULL), EINVAL);
	/* count * size overflows 64 bits */
	REJECT(&t, dax_region_create_devs(r0, 8, 1ull << 62, 0, 0, NULL),
	       ENOSPC);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_dev_rejects(void)
{
	struct dax_dev *d0, *d1, *d3, *d5;
	struct dax_ctx *ctx;
	struct tree t;
	struct dax_range hole = {BASE + 256 * MiB, BASE + 258 * MiB - 1};
	struct dax_range off = {BASE + 257 * MiB, BASE + 259 * MiB - 1};
	struct dax_range overlap = {BASE + 766 * MiB, BASE + 770 * MiB - 1};
	struct dax_range outside = {BASE - 2 * MiB, BASE - 1};
	struct dax_range backwards = {BASE + 260 * MiB, BASE + 256 * MiB};
	struct dax_range hole1g = {BASE + 768 * MiB, BASE + 770 * MiB - 1};

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	d0 = dax_dev_find(ctx, "dax0.0");
	d1 = dax_dev_find(ctx, "dax0.1");
	d3 = dax_dev_find(ctx, "dax0.3");
	d5 = dax_dev_find(ctx, "dax5.0");
	CHECK(d0 && d1 && d3 && d5);
	if (!d0 || !d1 || !d3 || !d5)
		goto out;

	/* Size */
	REJECT(&t, dax_dev_set_size(NULL, 2 * MiB), EINVAL);
	REJECT(&t, dax_dev_set_size(d0, 2 * MiB), EBUSY);
	REJECT(&t, dax_dev_set_size(d1, 255 * MiB), EINVAL);
	REJECT(&t, dax_dev_set_size(d1, 770 * MiB), ENOSPC);
	REJECT(&t, dax_dev_set_size(d5, 2 * MiB), EOPNOTSUPP);
	/* Same size: nothing to do, nothing written. */
	REJECT(&t, dax_dev_set_size(d1, 256 * MiB), 0);

	/* Align */
	REJECT(&t, dax_dev_set_align(NULL, 4096), EINVAL);
	REJECT(&t, dax_dev_set_align(d1, 8192), EINVAL);
	REJECT(&t, dax_dev_set_align(d1, 0), EINVAL);
	REJECT(&t, dax_dev_set_align(d1, GiB), EINVAL); /* 256 MiB range */
	REJECT(&t, dax_dev_set_align(d0, 4096), EBUSY);
	REJECT(&t, dax_dev_set_align(d5, 4096), EOPNOTSUPP);
	REJECT(&t, dax_dev_set_align(d1, 2 * MiB), 0); /* unchanged */

	/* Ranges */
	REJECT(&t, dax_dev_add_range(d1, NULL), EINVAL);
	REJECT(&t, dax_dev_add_range(NULL, &hole), EINVAL);
	REJECT(&t, dax_dev_add_range(d0, &hole), EBUSY);
	REJECT(&t, dax_dev_add_range(d1, &off), EINVAL);
	REJECT(&t, dax_dev_add_range(d1, &overlap), ENOMEM);
	REJECT(&t, dax_dev_add_range(d1, &outside), EINVAL);
	REJECT(&t, dax_dev_add_range(d1, &backwards), EINVAL);
	REJECT(&t, dax_dev_add_range(d5, &hole), EOPNOTSUPP);
	/* A zero-size device: its resource gives the region's start. */
	REJECT(&t, dax_dev_add_range(d3, &outside), EINVAL);
	tree_write(&t, HMEM0 "/dax0.3/align", "1073741824\n");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	REJECT(&t, dax_dev_add_range(d3, &hole1g), EINVAL);

	/* Binding */
	REJECT(&t, dax_dev_enable(NULL, DAX_DRIVER_DEVICE_DAX), EINVAL);
	REJECT(&t, dax_dev_enable(d1, DAX_DRIVER_NONE), EINVAL);
	REJECT(&t, dax_dev_enable(d1, DAX_DRIVER_OTHER), EINVAL);
	REJECT(&t, dax_dev_enable(d0, DAX_DRIVER_KMEM), EBUSY);
	REJECT(&t, dax_dev_enable(d0, DAX_DRIVER_DEVICE_DAX), 0);
	REJECT(&t, dax_dev_enable(d3, DAX_DRIVER_DEVICE_DAX), ENXIO);
	REJECT(&t, dax_dev_disable(NULL), EINVAL);
	/* Already unbound; the trees have no remove_id files to write. */
	REJECT(&t, dax_dev_disable(d1), 0);

	/* Destroy */
	REJECT(&t, dax_dev_destroy(NULL), EINVAL);
	REJECT(&t, dax_dev_destroy(d5), EOPNOTSUPP);

	/* Pointers stay valid across the refreshes the calls made. */
	CHECK(dax_dev_find(ctx, "dax0.1") == d1);
	CHECK_STR(dax_dev_get_devname(d1), "dax0.1");
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* Try the lock file without waiting, from a child: 1 free, 0 held. */
/* The context a forked child inherits, reachable for its leak check. */
static struct dax_ctx *volatile forked_keep;

static int probe_lock(struct tree *t)
{
	char *path = tree_fmt("%s/run/libdax/region0.lock", t->root);
	pid_t pid = fork();
	int st, fd;

	if (pid == 0) {
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			_exit(2);
		_exit(flock(fd, LOCK_EX | LOCK_NB) == 0 ? 1 : 0);
	}
	free(path);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Did @fd become readable within @ms? */
static bool readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, ms) == 1;
}

static void test_lock(void)
{
	struct dax_ctx *ctx;
	struct dax_region *r0;
	struct tree t;
	struct stat st;
	char *dir, c;
	int pfd[2], status;
	pid_t pid;

	tree_new(&t);
	build(&t);
	ctx = tree_ctx(&t);
	forked_keep = ctx;
	r0 = dax_region_find(ctx, 0);
	CHECK(r0 != NULL);
	if (!r0)
		goto out;
	CHECK_INT(dax_region_lock(NULL), -EINVAL);
	dax_region_unlock(NULL);
	dax_region_unlock(r0); /* not held: logged, ignored */

	umask(077);
	CHECK_INT(dax_region_lock(r0), 0);
	umask(022);
	dir = tree_fmt("%s/run/libdax", t.root);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	      (st.st_mode & 07777) == 0755);
	free(dir);
	CHECK_INT(probe_lock(&t), 0);

	/* Recursive: held until the last unlock. */
	CHECK_INT(dax_region_lock(r0), 0);
	dax_region_unlock(r0);
	CHECK_INT(probe_lock(&t), 0);
	dax_region_unlock(r0);
	CHECK_INT(probe_lock(&t), 1);

	/*
	 * A second process waits for the lock, and gets it after unlock. It
	 * is forked before the lock is taken: a child forked while the lock
	 * is held shares it (flock(2)).
	 */
	for (int round = 0; round < 2; round++) {
		int go[2];

		if (pipe(pfd) < 0 || pipe(go) < 0)
			abort();
		pid = fork();
		if (pid == 0) {
			struct dax_ctx *c2 = tree_ctx(&t);
			struct dax_region *r = dax_region_find(c2, 0);
			struct dax_dev *d = dax_dev_find(c2, "dax0.1");
			int rc;

			close(pfd[0]);
			close(go[1]);
			if (!r || !d || read(go[0], &c, 1) != 1)
				_exit(2);
			if (round == 0) {
				rc = dax_region_lock(r);
				c = rc == 0 ? 'L' : '?';
				dax_region_unlock(r);
			} else {
				/* Every change call locks: even a rejected
				 * one waits. */
				rc = dax_dev_set_size(d, 3 * MiB);
				c = rc == -EINVAL ? 'L' : '?';
			}
			(void)!write(pfd[1], &c, 1);
			dax_ctx_unref(c2);
			_exit(0);
		}
		close(pfd[1]);
		close(go[0]);
		CHECK_INT(dax_region_lock(r0), 0);
		(void)!write(go[1], "g", 1);
		CHECK(!readable(pfd[0], 300));
		dax_region_unlock(r0);
		CHECK(readable(pfd[0], 5000) && read(pfd[0], &c, 1) == 1 &&
		      c == 'L');
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0);
		close(pfd[0]);
		close(go[1]);
	}

	/* The lock follows the region object: a refresh keeps it. */
	CHECK_INT(dax_region_lock(r0), 0);
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK_INT(probe_lock(&t), 0);
	dax_region_unlock(r0);
	CHECK_INT(probe_lock(&t), 1);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * A tool that ignores the region lock creates at the same moment as we do:
 * while the tree is armed, a write to region 0's "create" makes two
 * devices appear, as the kernel would for two creates (seed: the first,
 * create: the second). libdax calls write(2) through the PLT, so this
 * definition stands in for libc's.
 */
static struct tree *race_tree;

ssize_t write(int fd, const void *buf, size_t n)
{
	char link[64], path[4096];
	ssize_t len;
	int id;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, path, sizeof(path) - 1);
	if (race_tree && len > 0) {
		path[len] = '\0';
		if (strstr(path, "/hmem.0/dax_region/create")) {
			struct tree *t = race_tree;

			race_tree = NULL; /* once */
			for (id = 1; id <= 2; id++)
				tree_dev(t, &(struct tree_dev){
						    .host = HMEM0,
						    .region = 0,
						    .id = id,
						    .resource = BASE,
						    .major = 252,
						    .minor = (unsigned int)id});
			tree_write(t, HMEM0 "/dax_region/seed", "dax0.1\n");
			tree_write(t, HMEM0 "/dax_region/create", "dax0.2\n");
			return (ssize_t)n;
		}
	}
	return syscall(SYS_write, fd, buf, n);
}

static char *slurp_attr(struct tree *t, const char *path)
{
	char *full = tree_fmt("%s/%s", t->root, path), buf[64];
	FILE *f = fopen(full, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	free(full);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

static void test_create_race(void)
{
	struct dax_dev *dev = NULL;
	struct dax_region *r0;
	struct dax_ctx *ctx;
	struct tree t;
	char *v;

	tree_new(&t);
	tree_platform(&t, 4096, 2 * MiB);
	tree_region(&t, HMEM0, 0, GiB, true, GiB, "");
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 0,
					.resource = BASE,
					.major = 252});
	tree_mkdir(&t, "sys/bus/dax/drivers/device_dax");
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	CHECK(r0 != NULL);
	if (!r0)
		goto out;
	race_tree = &t;
	CHECK_INT(dax_region_create_dev(r0, 256 * MiB, 0, NULL, 0,
					DAX_CREATE_NO_ENABLE, &dev),
		  0);
	CHECK(race_tree == NULL);
	/* Ours is one of the two; the seed is left to the other tool. */
	CHECK(dev && strcmp(dax_dev_get_devname(dev), "dax0.2") == 0);
	v = slurp_attr(&t, HMEM0 "/dax0.2/size");
	CHECK_STR(v, "268435456");
	free(v);
	v = slurp_attr(&t, HMEM0 "/dax0.1/size");
	CHECK_STR(v, "0");
	free(v);
	v = slurp_attr(&t, HMEM0 "/dax_region/delete");
	CHECK_STR(v, "");
	free(v);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * A device whose range starts off its align (another tool made it): the
 * getter says so, and binding device_dax is refused before any write
 * unless forced.
 */
static void test_misaligned(void)
{
	struct dax_dev *d0, *d1;
	struct dax_ctx *ctx;
	struct tree t;
	int rc;

	tree_new(&t);
	build(&t);
	/* dax0.1 starts at +512M: 1 GiB-aligned it is not. */
	tree_write(&t, HMEM0 "/dax0.1/align", "1073741824\n");
	ctx = tree_ctx(&t);
	d0 = dax_dev_find(ctx, "dax0.0");
	d1 = dax_dev_find(ctx, "dax0.1");
	CHECK(d0 && d1);
	if (!d0 || !d1)
		goto out;
	CHECK_INT(dax_dev_is_misaligned(NULL), -EINVAL);
	CHECK_INT(dax_dev_is_misaligned(d0), 0);
	CHECK_INT(dax_dev_is_misaligned(d1), 1);
	REJECT(&t, dax_dev_enable(d1, DAX_DRIVER_DEVICE_DAX), EINVAL);
	REJECT(&t, dax_dev_enable_flags(d1, DAX_DRIVER_DEVICE_DAX, 0), EINVAL);
	REJECT(&t, dax_dev_to_devdax(d1, 0), EINVAL);
	/* Flags it does not know. */
	REJECT(&t,
	       dax_dev_enable_flags(d1, DAX_DRIVER_DEVICE_DAX,
				    DAX_MODE_OFFLINE),
	       EINVAL);
	/* Forced, it gets past the check (a tree cannot bind: any error). */
	rc = dax_dev_enable_flags(d1, DAX_DRIVER_DEVICE_DAX,
				  DAX_MODE_MISALIGNED);
	check_report(rc != -EINVAL, "forced enable: %d", rc);

	/* 2 MiB-aligned again: nothing to refuse there. */
	tree_write(&t, HMEM0 "/dax0.1/align", "2097152\n");
	CHECK_INT(dax_ctx_refresh(ctx), 0);
	CHECK_INT(dax_dev_is_misaligned(d1), 0);
out:
	dax_ctx_unref(ctx);
	tree_free(&t);
}

int main(void)
{
	unsetenv("LIBDAX_SYSFS_ROOT");
	unsetenv("LIBDAX_LOG");
	test_create_rejects();
	test_dev_rejects();
	test_misaligned();
	test_lock();
	test_create_race();
	return check_exit();
}
