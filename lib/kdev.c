// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Raw access to a dax device and its region for the change side: reads go
 * to sysfs every time, every write is one write(2), and what a failed
 * write left is read back.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

const char *dax_driver_name(enum dax_driver driver)
{
	switch (driver) {
	case DAX_DRIVER_DEVICE_DAX:
		return "device_dax";
	case DAX_DRIVER_KMEM:
		return "kmem";
	default:
		return NULL;
	}
}

int kdev_open(struct kdev *kd, struct dax_region *region, int id)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);

	memset(kd, 0, sizeof(*kd));
	kd->fd = -1;
	kd->ctx = ctx;
	kd->region = region;
	kd->id = id;
	snprintf(kd->name, sizeof(kd->name), "dax%d.%d",
		 dax_region_get_id(region), id);
	if (asprintf(&kd->path, "%s/%s", dax_region_get_path(region),
		     kd->name) < 0) {
		kd->path = NULL;
		return -ENOMEM;
	}
	kd->fd = sysfs_open_dir(ctx, kd->path, O_PATH);
	if (kd->fd < 0) {
		int rc = kd->fd;

		dax_err(ctx, "%s: %s\n", kd->path, strerror(-rc));
		free(kd->path);
		kd->path = NULL;
		return rc;
	}
	return 0;
}

void kdev_close(struct kdev *kd)
{
	if (!kd)
		return;
	if (kd->fd >= 0)
		close(kd->fd);
	kd->fd = -1;
	free(kd->path);
	kd->path = NULL;
}

int kdev_read_u64(struct kdev *kd, const char *attr, uint64_t *v)
{
	int rc = sysfs_read_u64(kd->ctx, kd->fd, kd->path, attr, v);

	if (rc < 0)
		dax_err(kd->ctx, "%s/%s: %s\n", kd->path, attr, strerror(-rc));
	return rc;
}

int kdev_driver(struct kdev *kd, char **driver)
{
	char *target;
	int rc;

	*driver = NULL;
	rc = sysfs_readlink(kd->fd, "driver", &target);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0) {
		dax_err(kd->ctx, "%s/driver: %s\n", kd->path, strerror(-rc));
		return rc;
	}
	*driver = strdup(dax_path_basename(target));
	free(target);
	return *driver ? 0 : -ENOMEM;
}

struct kmap {
	struct dax_range r;
	uint64_t pgoff;
};

static int cmp_kmap(const void *a, const void *b)
{
	const struct kmap *x = a, *y = b;

	return (x->pgoff > y->pgoff) - (x->pgoff < y->pgoff);
}

/* mappingK's range and page_offset; @quiet: no message for -ENOENT. */
static int read_kmap(struct kdev *kd, int dfd, unsigned int k, bool quiet,
		     struct kmap *m)
{
	char name[sizeof("mapping/page_offset") + 10];
	int rc;

	snprintf(name, sizeof(name), "mapping%u/start", k);
	rc = sysfs_read_hex(kd->ctx, dfd, kd->path, name, true, &m->r.start);
	if (rc == 0) {
		snprintf(name, sizeof(name), "mapping%u/end", k);
		rc = sysfs_read_hex(kd->ctx, dfd, kd->path, name, true,
				    &m->r.end);
	}
	if (rc == 0) {
		snprintf(name, sizeof(name), "mapping%u/page_offset", k);
		rc = sysfs_read_hex(kd->ctx, dfd, kd->path, name, true,
				    &m->pgoff);
	}
	if (rc == 0 && m->r.end < m->r.start)
		rc = -EINVAL;
	if (rc < 0 && !(quiet && rc == -ENOENT))
		dax_err(kd->ctx, "%s/mapping%u: %s\n", kd->path, k,
			strerror(-rc));
	return rc;
}

static int add_kmap(struct kmap **m, size_t *cnt, size_t *cap)
{
	if (*cnt == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct kmap *nm = reallocarray(*m, ncap, sizeof(*nm));

		if (!nm)
			return -ENOMEM;
		*m = nm;
		*cap = ncap;
	}
	return 0;
}

/*
 * The kernel gives each new range the lowest free K, so a device's ranges
 * are usually mapping0..mappingN-1 and add up to its size. Read them in
 * that order without listing the directory (as lib/mapping.c does).
 * -ENOENT: they are not like that (a hole, more than the size): list.
 */
static int probe_kmaps(struct kdev *kd, struct kmap **m, size_t *cnt,
		       size_t *cap)
{
	uint64_t size, sum = 0, len;
	unsigned int k;
	int rc;

	rc = sysfs_read_u64(kd->ctx, kd->fd, kd->path, "size", &size);
	for (k = 0; rc == 0 && sum < size; k++) {
		rc = add_kmap(m, cnt, cap);
		if (rc == 0)
			rc = read_kmap(kd, kd->fd, k, true, &(*m)[*cnt]);
		if (rc < 0)
			break;
		len = (*m)[*cnt].r.end - (*m)[*cnt].r.start + 1;
		(*cnt)++;
		if (len == 0 || len > size - sum)
			rc = -ENOENT;
		sum += len;
	}
	if (rc == -ENOMEM || rc == 0)
		return rc;
	*cnt = 0;
	return -ENOENT;
}

/* Every mappingK, found by listing the device directory. */
static int list_kmaps(struct kdev *kd, struct kmap **m, size_t *cnt,
		      size_t *cap)
{
	struct dirent *de;
	DIR *dir;
	int dfd, rc = 0;

	dfd = sysfs_open_dir(kd->ctx, kd->path, O_RDONLY);
	if (dfd < 0)
		return dfd;
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return -ENOMEM;
	}
	while ((errno = 0, de = readdir(dir))) {
		unsigned int k;

		if (strncmp(de->d_name, "mapping", 7) != 0 ||
		    dax_parse_index(de->d_name + 7, &k) < 0)
			continue;
		rc = add_kmap(m, cnt, cap);
		if (rc == 0)
			rc = read_kmap(kd, dirfd(dir), k, false, &(*m)[*cnt]);
		if (rc < 0)
			break;
		(*cnt)++;
	}
	if (rc == 0 && errno)
		rc = -errno;
	closedir(dir);
	return rc;
}

int kdev_ranges(struct kdev *kd, struct dax_range **v, size_t *n)
{
	struct kmap *m = NULL;
	size_t cnt = 0, cap = 0, i;
	int rc, held;

	*v = NULL;
	*n = 0;
	/* Change calls hold the region already; dax_region_plan_colors not. */
	rc = region_read_lock(kd->region, &held);
	if (rc < 0)
		return rc;
	rc = probe_kmaps(kd, &m, &cnt, &cap);
	if (rc == -ENOENT)
		rc = list_kmaps(kd, &m, &cnt, &cap);
	region_read_unlock(held);
	if (rc == 0 && cnt) {
		qsort(m, cnt, sizeof(*m), cmp_kmap);
		*v = calloc(cnt, sizeof(**v));
		if (!*v)
			rc = -ENOMEM;
		for (i = 0; rc == 0 && i < cnt; i++)
			(*v)[i] = m[i].r;
		*n = rc == 0 ? cnt : 0;
	}
	free(m);
	return rc;
}

int kdev_write(struct kdev *kd, const char *attr, const char *value)
{
	return sysfs_write(kd->ctx, kd->fd, kd->path, attr, value);
}

static int write_u64(struct kdev *kd, const char *attr, uint64_t v)
{
	char buf[24];

	/* Decimal: never a leading 0, which the kernel would read as octal. */
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return kdev_write(kd, attr, buf);
}

int kdev_set_size(struct kdev *kd, uint64_t size)
{
	uint64_t old;
	int rc = kdev_read_u64(kd, "size", &old);

	return rc < 0 ? rc : kdev_resize(kd, old, size);
}

int kdev_resize(struct kdev *kd, uint64_t old, uint64_t size)
{
	uint64_t now;
	int rc, wrc;

	if (old == size)
		return 0;
	wrc = write_u64(kd, "size", size);
	/*
	 * The store answers success only once the whole size is allocated
	 * (or freed): only a failure needs to see what it left.
	 */
	if (wrc == 0)
		return 0;
	rc = kdev_read_u64(kd, "size", &now);
	if (rc < 0)
		return wrc;
	if (now != old) {
		/* A grow that stopped half-way: give back its part. */
		dax_err(kd->ctx,
			"%s: size %" PRIu64 " after a failed "
			"resize; restoring %" PRIu64 "\n",
			kd->name, now, old);
		if (write_u64(kd, "size", old) < 0)
			dax_err(kd->ctx, "%s: could not restore size\n",
				kd->name);
	}
	dax_dbg(kd->ctx, "%s: size %" PRIu64 ": %s\n", kd->name, size,
		strerror(-wrc));
	return wrc;
}

int kdev_set_align(struct kdev *kd, uint64_t align)
{
	uint64_t now;
	int rc;

	rc = kdev_read_u64(kd, "align", &now);
	if (rc < 0 || now == align)
		return rc;
	rc = write_u64(kd, "align", align);
	if (rc < 0)
		return rc;
	rc = kdev_read_u64(kd, "align", &now);
	if (rc < 0)
		return rc;
	if (now != align) {
		dax_err(kd->ctx,
			"%s: wrote align %" PRIu64 ", reads %" PRIu64 "\n",
			kd->name, align, now);
		return -EIO;
	}
	return 0;
}

int kdev_claim(struct kdev *kd, const struct dax_range *r)
{
	struct dax_range *v = NULL;
	uint64_t before, after;
	char buf[48];
	size_t n;
	int rc, wrc;

	rc = kdev_read_u64(kd, "size", &before);
	if (rc < 0)
		return rc;
	snprintf(buf, sizeof(buf), "0x%" PRIx64 "-0x%" PRIx64, r->start,
		 r->end);
	wrc = kdev_write(kd, "mapping", buf);
	rc = kdev_read_u64(kd, "size", &after);
	if (rc < 0)
		return wrc < 0 ? wrc : rc;
	if (wrc < 0) {
		if (after != before)
			dax_err(kd->ctx,
				"%s: size changed by a failed mapping "
				"write\n",
				kd->name);
		return wrc;
	}
	/* 6.9+ answers success to a write it ignored: check the result. */
	rc = kdev_ranges(kd, &v, &n);
	if (rc < 0)
		return rc;
	if (after != before + (r->end - r->start + 1) || n == 0 ||
	    v[n - 1].start != r->start || v[n - 1].end != r->end) {
		dax_err(kd->ctx, "%s: mapping %s was not allocated as asked\n",
			kd->name, buf);
		if (after != before) {
			rc = write_u64(kd, "size", before);
			if (rc < 0)
				dax_err(kd->ctx, "%s: could not restore size\n",
					kd->name);
		}
		free(v);
		return -EIO;
	}
	free(v);
	return 0;
}

int kregion_write(struct dax_region *region, const char *attr,
		  const char *value)
{
	return sysfs_write(dax_region_get_ctx(region), SYSFS_AT_DIR,
			   region_attr_dir(region), attr, value);
}

int kregion_ids(struct dax_region *region, int **ids, size_t *n)
{
	return sysfs_list_ids(dax_region_get_ctx(region),
			      dax_region_get_path(region),
			      dax_region_get_id(region), DT_DIR, ids, n);
}

int kregion_unbound(struct dax_region *region, const int *ids, size_t n,
		    int **out, size_t *nout)
{
	static const char *const drivers[] = {"device_dax", "kmem"};
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int rid = dax_region_get_id(region), *bound[2] = {NULL, NULL}, *v;
	size_t nb[2] = {0, 0}, i, k = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	/*
	 * The drivers list the devices they drive. A device bound to some
	 * other driver is listed as unbound here: the caller's check of its
	 * driver link tells.
	 */
	for (i = 0; rc == 0 && i < 2; i++) {
		char path[sizeof(DAX_DRIVERS_DIR) + 16];

		snprintf(path, sizeof(path), DAX_DRIVERS_DIR "/%s", drivers[i]);
		rc = sysfs_list_ids(ctx, path, rid, DT_LNK, &bound[i], &nb[i]);
		if (rc == -ENOENT)
			rc = 0; /* not loaded: drives nothing */
	}
	v = rc == 0 ? calloc(n ? n : 1, sizeof(*v)) : NULL;
	if (rc == 0 && !v)
		rc = -ENOMEM;
	for (i = 0; rc == 0 && i < n; i++)
		if (!sysfs_has_id(bound[0], nb[0], ids[i]) &&
		    !sysfs_has_id(bound[1], nb[1], ids[i]))
			v[k++] = ids[i];
	free(bound[0]);
	free(bound[1]);
	if (rc < 0) {
		dax_err(ctx, DAX_DRIVERS_DIR ": %s\n", strerror(-rc));
		return rc;
	}
	*out = v;
	*nout = k;
	return 0;
}

/* The instance id that the region attribute @attr names, or -1. */
static int region_names(struct dax_region *region, const char *attr)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int rid, id = -1;
	char *s = NULL;

	if (sysfs_read_str(ctx, SYSFS_AT_DIR, region_attr_dir(region), attr,
			   &s) < 0 ||
	    dax_parse_devname(s, &rid, &id) < 0 ||
	    rid != dax_region_get_id(region))
		id = -1;
	free(s);
	return id;
}

/*
 * Several devices appeared across our one "create": a tool that ignores
 * the region lock created at the same moment. The ABI cannot tell which
 * is ours (every one is zero-size and unbound, so they are alike), only
 * how many each creator made: we take exactly one and leave the others.
 * Other tools find theirs through "seed" (upstream daxctl) or "create"
 * (the youngest), so a device that neither names is taken when there is
 * one, else one that "seed" does not name. Returns the id taken.
 */
static int pick_ours(struct dax_region *region, const int *fresh, size_t n)
{
	int seed = region_names(region, "seed");
	int youngest = region_names(region, "create");
	int second = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (fresh[i] == seed)
			continue;
		if (fresh[i] != youngest)
			return fresh[i];
		second = fresh[i];
	}
	return second >= 0 ? second : fresh[0];
}

/*
 * After our write to "create" with no seed before it: the new device is
 * the seed (the kernel makes the first unprobed device the seed) and the
 * youngest ("create") at once, unless another creator came between, which
 * would have made its own the one or the other. So when both name the
 * same device, not in @now, it is ours: no listing needed. -EAGAIN when
 * that cannot be told.
 */
static int created_alone(struct dax_region *region, const int *now, size_t nnow,
			 int *id)
{
	int seed = region_names(region, "seed");

	if (seed < 0 || sysfs_has_id(now, nnow, seed) ||
	    region_names(region, "create") != seed)
		return -EAGAIN;
	*id = seed;
	return 0;
}

/* @now (sorted) with @id added, as a new array. */
static int *ids_with(const int *now, size_t nnow, int id)
{
	int *v = malloc((nnow + 1) * sizeof(*v));
	size_t i = 0;

	if (!v)
		return NULL;
	for (; i < nnow && now[i] < id; i++)
		v[i] = now[i];
	v[i] = id;
	if (nnow > i)
		memcpy(v + i + 1, now + i, (nnow - i) * sizeof(*v));
	return v;
}

int kregion_create(struct dax_region *region, const int *now, size_t nnow,
		   bool seedless, int *id, int **list, size_t *nlist)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int *before = NULL, *after = NULL, *fresh = NULL;
	size_t nb = 0, na = 0, i, nnew = 0;
	const int *prev = now;
	int rc;

	if (list) {
		*list = NULL;
		*nlist = 0;
	}
	if (!now) {
		rc = kregion_ids(region, &before, &nb);
		if (rc < 0)
			return rc;
		prev = before;
		nnow = nb;
	}
	rc = kregion_write(region, "create", "1");
	if (rc < 0) {
		dax_dbg(ctx, "region %d: create: %s\n",
			dax_region_get_id(region), strerror(-rc));
		goto out;
	}
	if (now && seedless && created_alone(region, now, nnow, id) == 0) {
		if (list) {
			*list = ids_with(now, nnow, *id);
			if (!*list) {
				rc = -ENOMEM;
				goto out;
			}
			*nlist = nnow + 1;
		}
		goto made;
	}
	rc = kregion_ids(region, &after, &na);
	if (rc < 0)
		goto out;
	fresh = calloc(na ? na : 1, sizeof(*fresh));
	if (!fresh) {
		rc = -ENOMEM;
		goto out;
	}
	/* Ours is one that was not there before; "seed" may lie. */
	for (i = 0; i < na; i++)
		if (!sysfs_has_id(prev, nnow, after[i]))
			fresh[nnew++] = after[i];
	if (nnew == 0) {
		/* Deleted at once by a tool that bypasses the region lock. */
		dax_err(ctx,
			"region %d: no device appeared after create; "
			"another tool is changing the region\n",
			dax_region_get_id(region));
		rc = -EIO;
		goto out;
	}
	*id = nnew == 1 ? fresh[0] : pick_ours(region, fresh, nnew);
	if (nnew > 1)
		dax_warn(ctx,
			 "region %d: %zu devices appeared after one create "
			 "(another tool is creating without the lock); "
			 "taking dax%d.%d, leaving the others alone\n",
			 dax_region_get_id(region), nnew,
			 dax_region_get_id(region), *id);
	/* The listing after the write is the region's list now: the
	 * caller's next "before" and model, with no listing of its own. */
	if (list) {
		*list = after;
		*nlist = na;
		after = NULL;
	}
made:
	dax_dbg(ctx, "region %d: created dax%d.%d\n", dax_region_get_id(region),
		dax_region_get_id(region), *id);
out:
	free(before);
	free(after);
	free(fresh);
	return rc;
}

int kregion_delete_id(struct dax_region *region, int id)
{
	char name[32];
	int rc;

	snprintf(name, sizeof(name), "dax%d.%d", dax_region_get_id(region), id);
	rc = kregion_write(region, "delete", name);
	if (rc < 0 && rc != -ENXIO)
		dax_err(dax_region_get_ctx(region), "%s: delete: %s\n", name,
			strerror(-rc));
	return rc == -ENXIO ? 0 : rc;
}

int kregion_delete(struct kdev *kd)
{
	struct stat st;
	int rc, rootfd;

	rc = kregion_write(kd->region, "delete", kd->name);
	if (rc < 0) {
		dax_dbg(kd->ctx, "%s: delete: %s\n", kd->name, strerror(-rc));
		return rc;
	}
	/* The kernel unregisters the device before the write returns. */
	rootfd = ctx_root_fd(kd->ctx);
	if (rootfd >= 0 && fstatat(rootfd, kd->path + 1, &st, 0) == 0) {
		dax_err(kd->ctx, "%s: still there after delete\n", kd->name);
		return -EIO;
	}
	return 0;
}

bool kdriver_exists(struct dax_ctx *ctx, const char *driver)
{
	char path[sizeof(DAX_DRIVERS_DIR) + 64];

	snprintf(path, sizeof(path), DAX_DRIVERS_DIR "/%s", driver);
	return sysfs_exists(ctx, SYSFS_AT_DIR, path, ".") == 0;
}

int kdriver_write(struct dax_ctx *ctx, const char *driver, const char *attr,
		  const char *devname)
{
	char path[sizeof(DAX_DRIVERS_DIR) + 64];

	snprintf(path, sizeof(path), DAX_DRIVERS_DIR "/%s", driver);
	return sysfs_write(ctx, SYSFS_AT_DIR, path, attr, devname);
}
