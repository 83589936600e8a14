// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Mappings: the physical ranges of a device, from mappingK/ (5.10+). An
 * object names mappingK of its device: a reload that no longer finds it
 * marks it gone (its getters read 0) and keeps it, and a reload that finds
 * mappingK again revives the same object. So a device has at most one
 * object per K it ever had. A load holds the region's lock file shared
 * (region_read_lock()): reading mappingK beside a shrink of its device
 * can hang stock kernels for good.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

struct dax_mapping {
	struct mapping_set *set; /* NULL until a load commits it */
	size_t idx; /* position in the set, by page_offset, while live */
	unsigned int k; /* the kernel object is mappingK */
	bool keep; /* seen by the reload in progress */
	bool gone;
	struct dax_mapping *next_gone; /* in the set's list of gone ones */
	uint64_t start, end, page_offset;
};

struct mapping_set {
	struct dax_dev *dev;
	bool loaded; /* false: not loaded, or only the error of a load kept */
	int err; /* of the last load, cached until the next refresh */
	struct dax_mapping **v; /* the live ones, by page_offset */
	size_t n;
	/* The gone ones, kept for their holders: a list, as going gone
	 * must not fail. */
	struct dax_mapping *gone;
};

static void push_gone(struct mapping_set *set, struct dax_mapping *m)
{
	m->gone = true;
	m->next_gone = set->gone;
	set->gone = m;
}

/* Every object goes gone; nothing is loaded. */
static void drop_all(struct mapping_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		push_gone(set, set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = 0;
	set->loaded = false;
}

void mapping_set_free(struct mapping_set *set)
{
	struct dax_mapping *m, *next;
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	for (m = set->gone; m; m = next) {
		next = m->next_gone;
		free(m);
	}
	free(set);
}

void mapping_set_gone(struct mapping_set *set)
{
	if (!set)
		return;
	drop_all(set);
	set->err = 0;
}

void mapping_set_forget(struct mapping_set *set)
{
	/* Only an error is cached: the next dax_mapping_get_first() loads. */
	if (set && !set->loaded)
		set->err = 0;
}

bool mapping_set_loaded(const struct mapping_set *set)
{
	return set && set->loaded;
}

static int cmp_k(const void *a, const void *b)
{
	const struct dax_mapping *x = *(struct dax_mapping *const *)a;
	const struct dax_mapping *y = *(struct dax_mapping *const *)b;

	return (x->k > y->k) - (x->k < y->k);
}

/* Ranges are in page_offset order; K only says which slot was free. */
static int cmp_offset(const void *a, const void *b)
{
	const struct dax_mapping *x = *(struct dax_mapping *const *)a;
	const struct dax_mapping *y = *(struct dax_mapping *const *)b;

	if (x->page_offset != y->page_offset)
		return x->page_offset < y->page_offset ? -1 : 1;
	return cmp_k(a, b);
}

/* Write "mappingK/" to @buf (room for 19 bytes); return its length. */
static size_t mapping_dir(char *buf, unsigned int k)
{
	char digits[10];
	size_t n = 0, len;

	do {
		digits[n++] = (char)('0' + k % 10);
		k /= 10;
	} while (k);
	memcpy(buf, "mapping", 7);
	for (len = 7; n > 0; len++)
		buf[len] = digits[--n];
	buf[len++] = '/';
	return len;
}

/* Read @name (ending "mappingK/" at @len) + @attr: one hex attribute. */
static int read_attr(struct dax_ctx *ctx, int fd, const char *path, char *name,
		     size_t len, const char *attr, uint64_t *v)
{
	strcpy(name + len, attr);
	return sysfs_read_hex(ctx, fd, path, name, true, v);
}

/*
 * Read mappingK/{start,end,page_offset} relative to the device dir. The
 * names are built by hand: this runs for every range of every device.
 * A range as long as the device (@size, 0 if unknown) is its only one, so
 * its page_offset can only be 0 and is not read: one attribute in three
 * for the common single-range device.
 */
static int read_one(struct dax_ctx *ctx, int fd, const char *path,
		    unsigned int k, uint64_t size, struct dax_mapping *m)
{
	/* "mapping" + up to 10 digits of an unsigned int + "/page_offset" */
	char name[sizeof("mapping/page_offset") + 10];
	size_t len = mapping_dir(name, k);
	int rc;

	rc = read_attr(ctx, fd, path, name, len, "start", &m->start);
	if (rc == 0)
		rc = read_attr(ctx, fd, path, name, len, "end", &m->end);
	if (rc < 0)
		return rc;
	if (m->end < m->start) {
		dax_err(ctx, "%s/mapping%u: end %#llx before start %#llx\n",
			path, k, (unsigned long long)m->end,
			(unsigned long long)m->start);
		return -EINVAL;
	}
	if (size && m->end - m->start == size - 1) {
		m->page_offset = 0;
		return 0;
	}
	return read_attr(ctx, fd, path, name, len, "page_offset",
			 &m->page_offset);
}

static int append(struct dax_mapping ***v, size_t *n, size_t *cap,
		  struct dax_mapping *m)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		struct dax_mapping **nv = reallocarray(*v, ncap, sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = m;
	return 0;
}

/* The object of mappingK, live (sorted by K now) or gone, or NULL. */
static struct dax_mapping *find_old(struct mapping_set *set, unsigned int k)
{
	struct dax_mapping key = {.k = k}, *kp = &key, **found, *m;

	found = set->n ? bsearch(&kp, set->v, set->n, sizeof(*set->v), cmp_k)
		       : NULL;
	if (found)
		return *found;
	for (m = set->gone; m; m = m->next_gone)
		if (m->k == k)
			return m;
	return NULL;
}

/*
 * Read mappingK into an old object with that K or a new one, and append
 * it. -ENOENT when mappingK does not exist (nothing appended). @size: as
 * for read_one().
 */
static int load_one(struct mapping_set *set, int fd, unsigned int k,
		    uint64_t size, struct dax_mapping ***v, size_t *n,
		    size_t *cap)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(set->dev);
	struct dax_mapping *old = find_old(set, k);
	struct dax_mapping *m = old ? old : calloc(1, sizeof(*m));
	int rc;

	if (!m)
		return -ENOMEM;
	rc = read_one(ctx, fd, dev_get_path(set->dev), k, size, m);
	if (rc == 0)
		rc = append(v, n, cap, m);
	if (rc < 0) {
		if (!old)
			free(m);
		return rc;
	}
	/* New objects get ->set when the load commits. */
	m->k = k;
	m->keep = true;
	return 0;
}

/* Forget what a probe appended (new objects are freed, old ones kept). */
static void drop_new(struct dax_mapping **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		v[i]->keep = false;
		if (!v[i]->set)
			free(v[i]);
	}
}

/*
 * Every mappingK in the device directory @fd (O_PATH), found by listing
 * it. A mapping removed while we look is not an error.
 */
static int scan_dir(struct mapping_set *set, int fd, struct dax_mapping ***v,
		    size_t *n, size_t *cap)
{
	struct dirent *de;
	DIR *dir;
	int lfd, rc = 0;

	lfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lfd < 0)
		return -errno;
	dir = fdopendir(lfd);
	if (!dir) {
		rc = -errno;
		close(lfd);
		return rc;
	}
	while ((errno = 0, de = readdir(dir))) {
		unsigned int k;

		if (strncmp(de->d_name, "mapping", 7) != 0 ||
		    dax_parse_index(de->d_name + 7, &k) < 0)
			continue;
		/* Here the size may be stale: read every page_offset. */
		rc = load_one(set, fd, k, 0, v, n, cap);
		if (rc == -ENOENT)
			rc = 0;
		if (rc < 0)
			break;
	}
	if (rc == 0 && errno)
		rc = -errno;
	closedir(dir);
	return rc;
}

/*
 * The kernel gives each new range the lowest free K, so the mappings of a
 * device are usually mapping0..mappingN-1 with sizes that add up to the
 * device's. Probe them in that order, without listing the directory, until
 * they cover the size; a missing K before that (a hole, a pre-5.10 kernel,
 * an unknown size) or more than the size is answered by a listing.
 */
static int load_all(struct mapping_set *set, struct dax_mapping ***out,
		    size_t *nout)
{
	struct dax_dev *dev = set->dev;
	struct dax_mapping **v = NULL;
	size_t n = 0, cap = 0;
	uint64_t size = 0, sum = 0;
	unsigned int k;
	int fd, rc;

	rc = dax_dev_get_size(dev, &size) < 0 ? -ENOENT : 0;
	if (rc == 0 && size == 0) {
		/* No size, no ranges. */
		*out = NULL;
		*nout = 0;
		return 0;
	}
	/* Old objects sorted by K, to find them again by name. */
	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), cmp_k);
	/*
	 * By path from the root, as the device's own attributes are read:
	 * opening the device directory first would cost two more system
	 * calls per device, a tenth of what listing a device takes.
	 */
	for (k = 0; rc == 0 && sum < size; k++) {
		rc = load_one(set, SYSFS_AT_DIR, k, k == 0 ? size : 0, &v, &n,
			      &cap);
		if (rc == 0) {
			uint64_t len = dax_mapping_get_size(v[n - 1]);

			/* More than the size (or a wrapped length): list. */
			if (len == 0 || len > size - sum)
				rc = -ENOENT;
			sum += len;
		}
	}
	if (rc == -ENOENT) {
		drop_new(v, n);
		n = 0;
		fd = sysfs_open_dir(dax_dev_get_ctx(dev), dev_get_path(dev),
				    O_PATH);
		rc = fd < 0 ? fd : scan_dir(set, fd, &v, &n, &cap);
		if (fd >= 0)
			close(fd);
	}
	if (rc < 0) {
		drop_new(v, n);
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

int mapping_set_load(struct dax_dev *dev)
{
	struct mapping_set **slot = dev_mapping_slot(dev);
	struct mapping_set *set = *slot;
	struct dax_mapping **v = NULL, **link, *m;
	size_t i, n = 0;
	bool transient = false;
	int rc, held;

	if (!set) {
		set = calloc(1, sizeof(*set));
		if (!set)
			return -ENOMEM;
		set->dev = dev;
		*slot = set;
	}
	for (i = 0; i < set->n; i++)
		set->v[i]->keep = false;
	for (m = set->gone; m; m = m->next_gone)
		m->keep = false;
	/* Never beside a libdax shrink of the region (lock.c says why). */
	rc = region_read_lock(dax_dev_get_region(dev), &held);
	if (rc == 0) {
		rc = load_all(set, &v, &n);
		region_read_unlock(held);
	} else {
		transient = true; /* the lock was busy: ask again later */
	}
	if (rc < 0) {
		/* Cached until the next refresh (not a lack of memory). */
		drop_all(set);
		set->err = rc == -ENOMEM || transient ? 0 : rc;
		return rc;
	}
	/* The old ones not seen go gone; the gone ones seen come back. */
	for (i = 0; i < set->n; i++)
		if (!set->v[i]->keep)
			push_gone(set, set->v[i]);
	for (link = &set->gone; (m = *link);) {
		if (m->keep)
			*link = m->next_gone;
		else
			link = &m->next_gone;
	}
	free(set->v);
	if (n)
		qsort(v, n, sizeof(*v), cmp_offset);
	for (i = 0; i < n; i++) {
		v[i]->set = set;
		v[i]->gone = false;
		v[i]->idx = i;
	}
	set->v = v;
	set->n = n;
	set->loaded = true;
	set->err = 0;
	return 0;
}

int mapping_first_start(struct dax_dev *dev, uint64_t *start)
{
	struct dax_mapping *m;

	dax_mapping_foreach (dev, m) {
		if (m->page_offset == 0) {
			*start = m->start;
			return 0;
		}
	}
	return errno ? -errno : -ENOENT;
}

DAX_EXPORT struct dax_mapping *dax_mapping_get_first(struct dax_dev *dev)
{
	struct mapping_set *set = *dev_mapping_slot(dev);
	int rc;

	if (dax_dev_is_gone(dev)) {
		errno = ENODEV;
		return NULL;
	}
	if (!set || (!set->loaded && !set->err)) {
		rc = mapping_set_load(dev);
		if (rc < 0) {
			errno = -rc;
			return NULL;
		}
		set = *dev_mapping_slot(dev);
	}
	if (!set->loaded) {
		errno = -set->err;
		return NULL;
	}
	errno = 0;
	return set->n ? set->v[0] : NULL;
}

DAX_EXPORT struct dax_mapping *dax_mapping_get_next(struct dax_mapping *mapping)
{
	struct mapping_set *set = mapping->set;
	size_t i;

	errno = 0;
	if (!mapping->gone)
		return mapping->idx + 1 < set->n ? set->v[mapping->idx + 1]
						 : NULL;
	if (dax_dev_is_gone(set->dev)) {
		errno = ENODEV;
		return NULL;
	}
	/* The first live range after where this one was. */
	for (i = 0; i < set->n; i++)
		if (cmp_offset(&set->v[i], &mapping) > 0)
			return set->v[i];
	return NULL;
}

DAX_EXPORT struct dax_dev *
dax_mapping_get_dev(const struct dax_mapping *mapping)
{
	return mapping->set->dev;
}

/* A gone mapping reads 0 everywhere, with errno ENODEV. */
static bool gone(const struct dax_mapping *mapping)
{
	if (!mapping->gone)
		return false;
	errno = ENODEV;
	return true;
}

DAX_EXPORT uint64_t dax_mapping_get_start(const struct dax_mapping *mapping)
{
	return gone(mapping) ? 0 : mapping->start;
}

DAX_EXPORT uint64_t dax_mapping_get_end(const struct dax_mapping *mapping)
{
	return gone(mapping) ? 0 : mapping->end;
}

DAX_EXPORT uint64_t
dax_mapping_get_page_offset(const struct dax_mapping *mapping)
{
	return gone(mapping) ? 0 : mapping->page_offset;
}

DAX_EXPORT uint64_t dax_mapping_get_size(const struct dax_mapping *mapping)
{
	return gone(mapping) ? 0 : mapping->end - mapping->start + 1;
}
