// SPDX-License-Identifier: LGPL-2.1-or-later
/* Mappings: the physical ranges of a device, from mappingK/ (5.10+). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

struct dax_mapping {
	struct mapping_set *set;
	size_t idx; /* position in the set, by page_offset */
	unsigned int k; /* the kernel object is mappingK */
	bool keep; /* seen by the reload in progress */
	uint64_t start, end, page_offset;
};

struct mapping_set {
	struct dax_dev *dev;
	bool loaded; /* false: only the error of the last load is kept */
	int err;
	struct dax_mapping **v;
	size_t n;
};

static void drop_all(struct mapping_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

void mapping_set_free(struct mapping_set *set)
{
	if (!set)
		return;
	drop_all(set);
	free(set);
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

/* Read mappingK/{start,end,page_offset} relative to the device dir. */
static int read_one(struct dax_ctx *ctx, int fd, const char *path,
		    unsigned int k, struct dax_mapping *m)
{
	/* "mapping" + up to 10 digits of an unsigned int + "/page_offset" */
	char name[sizeof("mapping/page_offset") + 10];
	int rc;

	snprintf(name, sizeof(name), "mapping%u/start", k);
	rc = sysfs_read_hex(ctx, fd, path, name, true, &m->start);
	if (rc < 0)
		return rc;
	snprintf(name, sizeof(name), "mapping%u/end", k);
	rc = sysfs_read_hex(ctx, fd, path, name, true, &m->end);
	if (rc < 0)
		return rc;
	snprintf(name, sizeof(name), "mapping%u/page_offset", k);
	rc = sysfs_read_hex(ctx, fd, path, name, true, &m->page_offset);
	if (rc < 0)
		return rc;
	if (m->end < m->start) {
		dax_err(ctx, "%s/mapping%u: end %#llx before start %#llx\n",
			path, k, (unsigned long long)m->end,
			(unsigned long long)m->start);
		return -EINVAL;
	}
	return 0;
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

/* Walk the device directory once; reuse old objects by K. */
static int scan_dir(struct mapping_set *set, struct dax_mapping ***out,
		    size_t *nout)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(set->dev);
	const char *path = dev_get_path(set->dev);
	struct dax_mapping **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;

	fd = sysfs_open_dir(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	dir = fdopendir(fd);
	if (!dir) {
		rc = -errno;
		close(fd);
		return rc;
	}
	/* Old objects sorted by K, to find them again by name. */
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_k);

	while ((errno = 0, de = readdir(dir))) {
		struct dax_mapping key, *kp = &key, **found, *m;
		unsigned int k;

		if (strncmp(de->d_name, "mapping", 7) != 0 ||
		    dax_parse_index(de->d_name + 7, &k) < 0)
			continue;
		key.k = k;
		found = set->n ? bsearch(&kp, set->v, set->n, sizeof(*set->v),
					 cmp_k)
			       : NULL;
		m = found ? *found : calloc(1, sizeof(*m));
		if (!m) {
			rc = -ENOMEM;
			break;
		}
		rc = read_one(ctx, dirfd(dir), path, k, m);
		if (rc == -ENOENT) {
			/* Removed while we looked: not an error. */
			if (!found)
				free(m);
			rc = 0;
			continue;
		}
		if (rc == 0 && (rc = append(&v, &n, &cap, m)) == 0) {
			/* New objects get ->set when the load commits. */
			m->k = k;
			m->keep = true;
			continue;
		}
		if (!found)
			free(m);
		break;
	}
	if (rc == 0 && errno)
		rc = -errno;
	closedir(dir);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			if (!v[i]->set)
				free(v[i]);
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
	struct dax_mapping **v = NULL;
	size_t i, n = 0;
	int rc;

	if (!set) {
		set = calloc(1, sizeof(*set));
		if (!set)
			return -ENOMEM;
		set->dev = dev;
		*slot = set;
	}
	for (i = 0; i < set->n; i++)
		set->v[i]->keep = false;
	rc = scan_dir(set, &v, &n);
	if (rc < 0) {
		/* Cached until the next refresh; old objects are unreachable.
		 */
		drop_all(set);
		set->loaded = false;
		set->err = rc;
		return rc;
	}
	for (i = 0; i < set->n; i++)
		if (!set->v[i]->keep)
			free(set->v[i]);
	free(set->v);
	if (n)
		qsort(v, n, sizeof(*v), cmp_offset);
	for (i = 0; i < n; i++) {
		v[i]->set = set;
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

	if (!set) {
		rc = mapping_set_load(dev);
		set = *dev_mapping_slot(dev);
		if (rc == -ENOMEM && !set) {
			errno = ENOMEM;
			return NULL;
		}
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

	errno = 0;
	return mapping->idx + 1 < set->n ? set->v[mapping->idx + 1] : NULL;
}

DAX_EXPORT struct dax_dev *
dax_mapping_get_dev(const struct dax_mapping *mapping)
{
	return mapping->set->dev;
}

DAX_EXPORT uint64_t dax_mapping_get_start(const struct dax_mapping *mapping)
{
	return mapping->start;
}

DAX_EXPORT uint64_t dax_mapping_get_end(const struct dax_mapping *mapping)
{
	return mapping->end;
}

DAX_EXPORT uint64_t
dax_mapping_get_page_offset(const struct dax_mapping *mapping)
{
	return mapping->page_offset;
}

DAX_EXPORT uint64_t dax_mapping_get_size(const struct dax_mapping *mapping)
{
	return mapping->end - mapping->start + 1;
}
