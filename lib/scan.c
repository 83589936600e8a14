// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Discovery. Each daxR.N link under /sys/bus/dax/devices (or the legacy
 * /sys/class/dax) is resolved lexically to its device directory; the
 * device's parent (class model: grandparent) hosts the region. A bus-model
 * region's devices are then the daxR.N children of its host directory, one
 * listing per region, so that a link left dangling by a device removed
 * meanwhile does not count. Nothing is read per device: device objects
 * are made, and their attributes read, on first use.
 *
 * One region alone (a change call's re-read, or a lookup by id before the
 * first scan) costs one listing of its host directory, whatever the size
 * of the rest of the bus.
 *
 * Objects are never freed here (see "Ownership" in libdax.h). A region is
 * known by its host path, model and id, a device by its region and id:
 * what a scan no longer finds is marked gone and kept, and the same name
 * found again revives the same object. So the objects of a context are
 * bounded by the names it has seen, whatever the churn.
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

static int add_entry(struct dax_ctx *ctx, struct entries *e, int dirfd,
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
	rc = sysfs_readlink(dirfd, name, &target);
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
	enum { BUFSZ = 32768 };
	ssize_t got = 0;
	char *buf;
	int fd, rc = 0;

	fd = sysfs_open_dir(ctx, dirpath, O_RDONLY);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0) {
		dax_err(ctx, "%s: %s\n", dirpath, strerror(-fd));
		return fd;
	}
	buf = malloc(BUFSZ);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	/*
	 * getdents64 straight, as sysfs_list_names(): opendir() would add a
	 * stat and two fcntl calls, and libc code that every list runs once.
	 */
	while (rc == 0 && (got = getdents64(fd, buf, BUFSZ)) > 0) {
		ssize_t off = 0;

		while (rc == 0 && off < got) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);

			off += de->d_reclen;
			if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
				continue;
			rc = add_entry(ctx, e, fd, dirpath, de->d_name,
				       class_model);
		}
	}
	if (rc == 0 && got < 0) {
		rc = -errno;
		dax_err(ctx, "%s: %s\n", dirpath, strerror(-rc));
	}
	free(buf);
	close(fd);
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

/*
 * Give @region the devices with the sorted instance ids @ids (bus model)
 * or of the entries @v (class model, whose names and paths are taken
 * over). Objects of devices that still exist are kept, those of devices
 * gone are marked so, and a gone object whose id is back is revived.
 * Nothing is read from sysfs: bus-model objects are made on first use,
 * and attributes are read on first use. The old and new lists are merged:
 * only a name new since the last scan is looked up among the objects.
 */
/* Every device object of @region's list: attributes read anew on first use. */
static int reread_devs(struct dax_region *region)
{
	size_t n, i;
	const struct dev_slot *slots = region_slots(region, &n);
	int rc = 0, r;

	for (i = 0; i < n; i++) {
		if (!slots[i].dev)
			continue;
		r = dev_read(slots[i].dev);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

static int sync_devs(struct dax_ctx *ctx, struct dax_region *region,
		     const int *ids, struct entry *v, size_t n)
{
	size_t nold, i, o = 0, k = 0;
	const struct dev_slot *old = region_slots(region, &nold);
	struct dev_slot *slots = calloc(n ? n : 1, sizeof(*slots));
	int rc = 0;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		int id = v ? v[i].id : ids[i];
		struct dax_dev *dev;

		if (v && v[i].rid != v[0].rid) {
			dax_warn(ctx, "%s: in %s with dax%d.N; ignored\n",
				 v[i].name, v[i].host, v[0].rid);
			continue;
		}
		while (o < nold && old[o].id < id)
			o++;
		/* A slot holds its id's object whenever there is one. */
		if (o < nold && old[o].id == id)
			dev = old[o].dev;
		else
			dev = region_obj(region, id);
		if (!dev && v) {
			/* Class-model paths are not <host>/daxR.N: make it. */
			dev = dev_new(region, v[i].name, id, v[i].path);
			if (dev && region_adopt_dev(region, dev) < 0) {
				dev_free(dev);
				dev = NULL;
			} else if (dev) {
				v[i].name = v[i].path = NULL;
			}
			if (!dev) {
				rc = -ENOMEM;
				break;
			}
		}
		slots[k].id = id;
		slots[k++].dev = dev;
	}
	if (rc < 0) {
		/* The old list stays; an object made here is gone. */
		free(slots);
		region_mark_devs(region);
		return rc;
	}
	/* Old devices not in the new list went; new ones may come back. */
	for (i = 0, o = 0; o < nold; o++) {
		while (i < k && slots[i].id < old[o].id)
			i++;
		if (old[o].dev && !(i < k && slots[i].id == old[o].id))
			dev_set_gone(old[o].dev, true);
	}
	for (i = 0; i < k; i++)
		if (slots[i].dev)
			dev_set_gone(slots[i].dev, false);
	/* This frees the old array (not the objects). */
	region_set_slots(region, slots, k);
	/* The kept and revived objects: read again on first use. */
	return reread_devs(region);
}

/*
 * The bus-model devices of @region: the daxR.N children of its host
 * directory, one listing, nothing read per device. A device removed since
 * the bus was read (its link dangles) is not in it. A missing host lists
 * nothing.
 */
static int sync_host(struct dax_region *region)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int *ids = NULL, rc;
	size_t n = 0;

	rc = sysfs_list_ids(ctx, dax_region_get_path(region),
			    dax_region_get_id(region), DT_DIR, &ids, &n);
	if (rc == -ENOENT)
		rc = 0;
	if (rc == 0)
		rc = sync_devs(ctx, region, ids, NULL, n);
	free(ids);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	const struct dax_region *x = *(struct dax_region *const *)a;
	const struct dax_region *y = *(struct dax_region *const *)b;
	int c = strcmp(dax_region_get_path(x), dax_region_get_path(y));

	if (c)
		return c;
	if (region_is_class_model(x) != region_is_class_model(y))
		return (int)region_is_class_model(x) -
		       (int)region_is_class_model(y);
	return (dax_region_get_id(x) > dax_region_get_id(y)) -
	       (dax_region_get_id(x) < dax_region_get_id(y));
}

/* The region object of a group (live or gone), via a path-sorted array. */
static struct dax_region *find_region(struct dax_region **by_path, size_t n,
				      const char *host, bool class_model,
				      int rid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dax_region *r = by_path[mid];
		int c = strcmp(host, dax_region_get_path(r));

		if (c == 0)
			c = (int)class_model - (int)region_is_class_model(r);
		if (c == 0)
			c = (rid > dax_region_get_id(r)) -
			    (rid < dax_region_get_id(r));
		if (c == 0)
			return by_path[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Mark every region of the context live or gone, as its list says. */
static void mark_regions(struct dax_ctx *ctx)
{
	size_t nall, i;
	struct dax_region **all = ctx_all_regions(ctx, &nall);

	for (i = 0; i < nall; i++)
		region_set_gone(all[i], !ctx_region_listed(ctx, all[i]));
}

static bool same_host(const struct entry *a, const struct entry *b)
{
	return a->class_model == b->class_model &&
	       strcmp(a->host, b->host) == 0;
}

static int build(struct dax_ctx *ctx, struct entries *e)
{
	size_t nall, nnew = 0, i, j;
	struct dax_region **all = ctx_all_regions(ctx, &nall);
	struct dax_region **by_path, **regions;
	int rc = 0;

	by_path = malloc((nall ? nall : 1) * sizeof(*by_path));
	regions = malloc((e->n ? e->n : 1) * sizeof(*regions));
	if (!by_path || !regions) {
		rc = -ENOMEM;
		goto out;
	}
	if (nall) {
		memcpy(by_path, all, nall * sizeof(*all));
		qsort(by_path, nall, sizeof(*by_path), cmp_path);
	}

	/* Entries are sorted by host: each run of one host is a region. */
	for (i = 0; i < e->n; i = j) {
		struct entry *en = &e->v[i];
		struct dax_region *region;

		for (j = i + 1; j < e->n && same_host(en, &e->v[j]); j++)
			;
		region = find_region(by_path, nall, en->host, en->class_model,
				     en->rid);
		if (!region) {
			/* The context's from now on; gone until listed. */
			region = region_new(ctx, en->host, en->rid,
					    en->class_model);
			if (!region) {
				rc = -ENOMEM;
				break;
			}
			rc = ctx_adopt_region(ctx, region);
			if (rc < 0) {
				region_free(region);
				break;
			}
			en->host = NULL;
		}
		rc = region_read(region);
		if (rc == 0)
			rc = en->class_model
				     ? sync_devs(ctx, region, NULL, en, j - i)
				     : sync_host(region);
		if (rc < 0)
			break;
		/* Every device vanished with its region: gone. */
		if (region_ndevs(region) > 0)
			regions[nnew++] = region;
	}
	if (rc == 0) {
		qsort(regions, nnew, sizeof(*regions), cmp_region);
		ctx_set_regions(ctx, regions, nnew);
		regions = NULL;
	}
	/* On error the old list stays: a region touched but not in it stays
	 * gone, its devices too. */
	mark_regions(ctx);
out:
	free(regions);
	free(by_path);
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
 * Re-read one region and its devices: one listing of the host directory
 * (bus model: the devices are its daxR.N children), no bus walk. Objects of
 * devices that still exist keep their address, the others go gone; a
 * region without devices has gone too (the kernel keeps daxR.0 while the
 * region exists) and leaves the context's list.
 */
int scan_region(struct dax_region *region)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int rc;

	if (region_is_class_model(region))
		return scan_bus(ctx);
	/* Only a scan of the bus finds a gone region again. */
	if (dax_region_is_gone(region))
		return -ENODEV;
	rc = region_read(region);
	if (rc == 0)
		rc = sync_host(region);
	if (rc == 0 && region_ndevs(region) == 0) {
		ctx_remove_region(ctx, region);
		region_set_gone(region, true);
	}
	return rc;
}

int scan_region_ids(struct dax_region *region, const int *ids, size_t n)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	int rc;

	if (region_is_class_model(region) || dax_region_is_gone(region))
		return scan_region(region);
	rc = region_read(region);
	if (rc == 0)
		rc = sync_devs(ctx, region, ids, NULL, n);
	if (rc == 0 && region_ndevs(region) == 0) {
		ctx_remove_region(ctx, region);
		region_set_gone(region, true);
	}
	return rc;
}

int scan_region_attrs(struct dax_region *region)
{
	int rc = region_read(region), r = reread_devs(region);

	return rc < 0 ? rc : r;
}

/* The object of the bus-model region at @host with id @id, or NULL. */
static struct dax_region *known_region(struct dax_ctx *ctx, const char *host,
				       int id)
{
	size_t n, i;
	struct dax_region **all = ctx_all_regions(ctx, &n);

	for (i = 0; i < n; i++)
		if (!region_is_class_model(all[i]) &&
		    dax_region_get_id(all[i]) == id &&
		    strcmp(dax_region_get_path(all[i]), host) == 0)
			return all[i];
	return NULL;
}

int scan_find_region(struct dax_ctx *ctx, int id, struct dax_region **out)
{
	char link[sizeof(DAX_BUS_DIR) + 32], *target, *path, *host;
	struct dax_region *region;
	size_t hostlen;
	bool fresh;
	int rootfd, rc;

	*out = NULL;
	rootfd = ctx_root_fd(ctx);
	if (rootfd < 0)
		return rootfd;
	/* The kernel never deletes daxR.0 of a region with devices. */
	snprintf(link, sizeof(link), "%s/dax%d.0", DAX_BUS_DIR + 1, id);
	rc = sysfs_readlink(rootfd, link, &target);
	if (rc < 0)
		return rc == -ENOMEM ? rc : -ENOENT;
	path = dax_path_resolve(DAX_BUS_DIR, target);
	free(target);
	if (!path)
		return -ENOMEM;
	hostlen = ancestor_len(path, 1);
	host = hostlen ? strndup(path, hostlen) : NULL;
	free(path);
	if (!host)
		return hostlen ? -ENOMEM : -ENOENT;
	/* The caller looked among the live regions: this one is gone. */
	region = known_region(ctx, host, id);
	fresh = !region;
	if (region) {
		free(host);
	} else {
		region = region_new(ctx, host, id, false);
		if (!region) {
			free(host);
			return -ENOMEM;
		}
	}
	/* The names of its devices. */
	rc = region_read(region);
	if (rc == 0)
		rc = sync_host(region);
	if (rc == 0 && region_ndevs(region) == 0)
		rc = -ENOENT;
	if (rc == 0 && fresh) {
		rc = ctx_adopt_region(ctx, region);
		fresh = rc < 0;
	}
	if (rc == 0)
		rc = ctx_add_region(ctx, region);
	if (rc < 0) {
		/* Never handed out: freed; else kept, gone as before. */
		if (fresh)
			region_free(region);
		else
			region_set_gone(region, true);
		return rc == -ENOMEM ? rc : -ENOENT;
	}
	region_set_gone(region, false);
	*out = region;
	return 0;
}
