// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Discovery. Each daxR.N link under /sys/bus/dax/devices (or the legacy
 * /sys/class/dax) is resolved lexically to its device directory; the
 * device's parent (class model: grandparent) hosts the region. One readdir
 * of the bus and one readlinkat per device find everything: region host
 * directories are never listed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

struct entry {
	char *name; /* "daxR.N" */
	char *path; /* device directory */
	char *host; /* region host directory */
	int rid, id;
	bool class_model;
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

static void entries_free(struct entries *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].path);
		free(e->v[i].host);
	}
	free(e->v);
}

/* Length of @path without its last @levels components; 0 if none left. */
static size_t ancestor_len(const char *path, int levels)
{
	size_t len = strlen(path);

	while (levels-- > 0) {
		while (len > 0 && path[len - 1] != '/')
			len--;
		if (len <= 1)
			return 0;
		len--;
	}
	return len;
}

static int add_entry(struct dax_ctx *ctx, struct entries *e, DIR *dir,
		     const char *dirpath, const char *name, bool class_model)
{
	struct entry en = {.class_model = class_model};
	size_t hostlen;
	char *target;
	int rc;

	if (dax_parse_devname(name, &en.rid, &en.id) < 0) {
		dax_dbg(ctx, "%s/%s: not a dax device name\n", dirpath, name);
		return 0;
	}
	rc = sysfs_readlink(dirfd(dir), name, &target);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		/* Gone since readdir (ENOENT), or not a link (EINVAL). */
		dax_dbg(ctx, "%s/%s: %s\n", dirpath, name, strerror(-rc));
		return 0;
	}
	en.path = dax_path_resolve(dirpath, target);
	free(target);
	if (!en.path)
		return -ENOMEM;
	/* bus: <host>/daxR.N; class: <host>/dax/daxR.N */
	hostlen = ancestor_len(en.path, class_model ? 2 : 1);
	if (hostlen == 0) {
		dax_warn(ctx, "%s/%s: no parent in %s\n", dirpath, name,
			 en.path);
		free(en.path);
		return 0;
	}
	en.host = strndup(en.path, hostlen);
	en.name = strdup(name);
	if (!en.host || !en.name) {
		free(en.name);
		free(en.host);
		free(en.path);
		return -ENOMEM;
	}
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 64;
		struct entry *nv = reallocarray(e->v, ncap, sizeof(*nv));

		if (!nv) {
			free(en.name);
			free(en.host);
			free(en.path);
			return -ENOMEM;
		}
		e->v = nv;
		e->cap = ncap;
	}
	e->v[e->n++] = en;
	return 0;
}

static int collect(struct dax_ctx *ctx, const char *dirpath, bool class_model,
		   struct entries *e)
{
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;

	fd = sysfs_open_dir(ctx, dirpath, O_RDONLY);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		dax_err(ctx, "%s: %s\n", dirpath, strerror(-fd));
		return fd;
	}
	dir = fdopendir(fd);
	if (!dir) {
		rc = -errno;
		close(fd);
		return rc;
	}
	while ((errno = 0, de = readdir(dir))) {
		if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
			continue;
		rc = add_entry(ctx, e, dir, dirpath, de->d_name, class_model);
		if (rc < 0)
			break;
	}
	if (rc == 0 && errno) {
		rc = -errno;
		dax_err(ctx, "%s: %s\n", dirpath, strerror(-rc));
	}
	closedir(dir);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->rid != y->rid)
		return x->rid < y->rid ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (int)x->class_model - (int)y->class_model;
}

static int cmp_host(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c)
		return c;
	if (x->class_model != y->class_model)
		return (int)x->class_model - (int)y->class_model;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_region(const void *a, const void *b)
{
	const struct dax_region *x = *(struct dax_region *const *)a;
	const struct dax_region *y = *(struct dax_region *const *)b;
	int xi = dax_region_get_id(x), yi = dax_region_get_id(y);

	if (xi != yi)
		return xi < yi ? -1 : 1;
	return strcmp(dax_region_get_path(x), dax_region_get_path(y));
}

/* A name seen in both models is the same device: keep the bus one. */
static void drop_duplicates(struct dax_ctx *ctx, struct entries *e)
{
	size_t i, j;

	if (e->n < 2)
		return;
	qsort(e->v, e->n, sizeof(*e->v), cmp_name);
	for (i = 1, j = 1; i < e->n; i++) {
		struct entry *prev = &e->v[j - 1], *cur = &e->v[i];

		if (cur->rid == prev->rid && cur->id == prev->id) {
			dax_dbg(ctx, "%s: listed twice, using %s\n", cur->name,
				prev->path);
			free(cur->name);
			free(cur->path);
			free(cur->host);
			continue;
		}
		e->v[j++] = *cur;
	}
	e->n = j;
}

/* Index of the old device with instance id @id, or -1. */
static ssize_t find_old(struct dax_dev **devs, size_t n, int id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int mid_id = dax_dev_get_id(devs[mid]);

		if (mid_id == id)
			return (ssize_t)mid;
		if (mid_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Give @region the devices of @v (sorted by id), reusing old objects. */
static int sync_devs(struct dax_ctx *ctx, struct dax_region *region,
		     struct entry *v, size_t n)
{
	size_t nold, i, k = 0;
	struct dax_dev **old = region_devs(region, &nold);
	struct dax_dev **devs = calloc(n ? n : 1, sizeof(*devs));
	bool *used = calloc(nold ? nold : 1, sizeof(*used));
	int rc = 0;

	if (!devs || !used) {
		free(devs);
		free(used);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct entry *en = &v[i];
		ssize_t o = find_old(old, nold, en->id);
		struct dax_dev *dev;

		if (en->rid != v[0].rid) {
			dax_warn(ctx, "%s: in %s with dax%d.N; ignored\n",
				 en->name, en->host, v[0].rid);
			continue;
		}
		if (o >= 0) {
			dev = old[o];
		} else {
			dev = dev_new(region, en->name, en->id, en->path);
			if (!dev) {
				rc = -ENOMEM;
				break;
			}
			en->name = en->path = NULL;
		}
		rc = dev_read(dev);
		if (rc == -ENOENT) {
			/* Removed while we scanned: normal, skip it. */
			dax_dbg(ctx, "%s: vanished during the scan\n",
				dax_dev_get_devname(dev));
			if (o < 0)
				dev_free(dev);
			rc = 0;
			continue;
		}
		if (rc < 0) {
			if (o < 0)
				dev_free(dev);
			break;
		}
		if (o >= 0)
			used[o] = true;
		devs[k++] = dev;
	}
	if (rc < 0) {
		for (i = 0; i < k; i++)
			if (dax_dev_get_region(devs[i]) == region &&
			    find_old(old, nold, dax_dev_get_id(devs[i])) < 0)
				dev_free(devs[i]);
		free(devs);
		free(used);
		return rc;
	}
	for (i = 0; i < nold; i++)
		if (!used[i])
			dev_free(old[i]);
	free(used);
	/* This frees the old array (not the objects). */
	region_set_devs(region, devs, k);
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	const struct dax_region *x = *(struct dax_region *const *)a;
	const struct dax_region *y = *(struct dax_region *const *)b;
	int c = strcmp(dax_region_get_path(x), dax_region_get_path(y));

	if (c)
		return c;
	return (int)region_is_class_model(x) - (int)region_is_class_model(y);
}

/* The old region for a group, via a path-sorted copy of the old array. */
static struct dax_region *find_region(struct dax_region **by_path, size_t n,
				      const struct entry *en)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(en->host, dax_region_get_path(by_path[mid]));

		if (c == 0)
			c = (int)en->class_model -
			    (int)region_is_class_model(by_path[mid]);
		if (c == 0)
			return by_path[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool same_host(const struct entry *a, const struct entry *b)
{
	return a->class_model == b->class_model &&
	       strcmp(a->host, b->host) == 0;
}

static int build(struct dax_ctx *ctx, struct entries *e)
{
	size_t nold, nnew = 0, i, j;
	struct dax_region **old = ctx_regions(ctx, &nold);
	struct dax_region **by_path, **regions;
	bool *used, *fresh;
	int rc = 0;

	by_path = malloc((nold ? nold : 1) * sizeof(*by_path));
	used = calloc(nold ? nold : 1, sizeof(*used));
	regions = malloc((e->n ? e->n : 1) * sizeof(*regions));
	fresh = calloc(e->n ? e->n : 1, sizeof(*fresh));
	if (!by_path || !used || !regions || !fresh) {
		rc = -ENOMEM;
		goto out;
	}
	if (nold) {
		memcpy(by_path, old, nold * sizeof(*old));
		qsort(by_path, nold, sizeof(*by_path), cmp_path);
	}

	/* Entries are sorted by host: each run of one host is a region. */
	for (i = 0; i < e->n; i = j) {
		struct entry *en = &e->v[i];
		struct dax_region *region;
		size_t ndevs;

		for (j = i + 1; j < e->n && same_host(en, &e->v[j]); j++)
			;
		region = find_region(by_path, nold, en);
		fresh[nnew] = !region;
		if (!region) {
			region = region_new(ctx, en->host, en->rid,
					    en->class_model);
			if (!region) {
				rc = -ENOMEM;
				break;
			}
			en->host = NULL;
		}
		rc = region_read(region);
		if (rc == 0)
			rc = sync_devs(ctx, region, en, j - i);
		region_devs(region, &ndevs);
		if (rc < 0 || ndevs == 0) {
			/* On error, or every device vanished with its region.
			 */
			if (fresh[nnew])
				region_free(region);
			if (rc < 0)
				break;
			continue;
		}
		if (!fresh[nnew])
			used[region_get_index(region)] = true;
		regions[nnew++] = region;
	}
	if (rc < 0) {
		/* Keep the old array: the reused regions are valid in it. */
		for (i = 0; i < nnew; i++)
			if (fresh[i])
				region_free(regions[i]);
		goto out;
	}
	qsort(regions, nnew, sizeof(*regions), cmp_region);
	for (i = 0; i < nold; i++)
		if (!used[i])
			region_free(old[i]);
	ctx_set_regions(ctx, regions, nnew);
	regions = NULL;
out:
	free(regions);
	free(by_path);
	free(used);
	free(fresh);
	return rc;
}

int scan_bus(struct dax_ctx *ctx)
{
	struct entries e = {0};
	int rc;

	/* A missing bus is an empty list, a missing root is an error. */
	rc = ctx_root_fd(ctx);
	if (rc < 0)
		return rc;
	rc = collect(ctx, DAX_BUS_DIR, false, &e);
	if (rc == 0)
		rc = collect(ctx, DAX_CLASS_DIR, true, &e);
	if (rc == 0) {
		drop_duplicates(ctx, &e);
		if (e.n > 1)
			qsort(e.v, e.n, sizeof(*e.v), cmp_host);
		rc = build(ctx, &e);
	}
	entries_free(&e);
	if (rc < 0)
		dax_dbg(ctx, "scan failed: %s\n", strerror(-rc));
	return rc;
}

/*
 * Re-read one region and its devices: one readdir of the host directory
 * (bus model: the devices are its daxR.N children), no bus walk. Objects of
 * devices that still exist keep their address.
 */
int scan_region(struct dax_region *region)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	const char *host = dax_region_get_path(region);
	int rid = dax_region_get_id(region);
	struct entries e = {0};
	struct dirent *de;
	DIR *dir = NULL;
	int fd, rc = 0;

	if (region_is_class_model(region))
		return scan_bus(ctx);
	fd = sysfs_open_dir(ctx, host, O_RDONLY);
	if (fd < 0 && fd != -ENOENT)
		return fd;
	if (fd >= 0) {
		dir = fdopendir(fd);
		if (!dir) {
			rc = -errno;
			close(fd);
			return rc;
		}
	}
	while (dir && (errno = 0, de = readdir(dir))) {
		struct entry en = {0};

		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    dax_parse_devname(de->d_name, &en.rid, &en.id) < 0 ||
		    en.rid != rid)
			continue;
		if (e.n == e.cap) {
			size_t ncap = e.cap ? e.cap * 2 : 64;
			struct entry *nv = reallocarray(e.v, ncap, sizeof(*nv));

			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			e.v = nv;
			e.cap = ncap;
		}
		en.name = strdup(de->d_name);
		en.host = strdup(host);
		if (asprintf(&en.path, "%s/%s", host, de->d_name) < 0)
			en.path = NULL;
		if (!en.name || !en.host || !en.path) {
			free(en.name);
			free(en.host);
			free(en.path);
			rc = -ENOMEM;
			break;
		}
		e.v[e.n++] = en;
	}
	if (dir && rc == 0 && errno)
		rc = -errno;
	if (dir)
		closedir(dir);
	if (rc == 0) {
		if (e.n > 1)
			qsort(e.v, e.n, sizeof(*e.v), cmp_name);
		rc = region_read(region);
		if (rc == 0)
			rc = sync_devs(ctx, region, e.v, e.n);
	}
	entries_free(&e);
	return rc;
}
