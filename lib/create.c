// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Making and removing devices, as transactions under the region lock.
 *
 * A new device is the one id that appears in the region's directory
 * across the write to "create" ("seed" is not trusted: a concurrent or
 * crashed creator leaves it pointing elsewhere). When a tool that ignores
 * the region lock created at the same moment and several ids appeared, one
 * of them is taken as ours and the others are never touched; whatever we
 * took is deleted again on failure, also when it could not even be opened,
 * so no device this call made stays behind. A zero-size, unbound
 * device other than daxR.0 is what a crashed run leaves behind: it is
 * reused before anything is created. On failure every device made is
 * deleted again and a reused one is returned to size 0 and its old align.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

struct made {
	int id;
	bool reused; /* a leftover: undo restores it rather than deletes */
	uint64_t old_align;
};

struct request {
	uint64_t size, align, gran;
	uint64_t dev_align; /* what the device gets: @align or the default */
	const struct dax_range *ranges;
	unsigned int nr;
	bool enable;
};

/*
 * What create_many() knows of the region under the lock: the ids of its
 * devices (while no write changed them) and the leftover candidates, the
 * unbound devices other than daxR.0, in id order. Only the names of the
 * devices and the drivers' lists are read for this, never the attributes
 * of every device; a candidate is checked when its turn comes.
 */
struct survey {
	int *ids;
	size_t nids;
	bool current; /* @ids is still the region's list */
	bool seedless; /* "seed" empty, see kregion_create() */
	bool clean; /* every change as foreseen: see create_many() */
	int *cand;
	size_t ncand, next;
};

static int survey_take(struct dax_region *region, struct survey *sv)
{
	size_t n, i, k = 0;
	const struct dev_slot *slots = region_slots(region, &n);
	int rc;

	sv->ids = calloc(n ? n : 1, sizeof(*sv->ids));
	if (!sv->ids)
		return -ENOMEM;
	/* The model was just listed under the lock: it is the kernel's. */
	for (i = 0; i < n; i++)
		sv->ids[i] = slots[i].id;
	sv->nids = n;
	sv->current = true;
	/*
	 * Those found by an earlier call of this context, while the lock
	 * saw no other hand in the region since (lock.c).
	 */
	if (!region_lock_listed(region)) {
		const int *known;
		size_t nknown;

		if (region_leftovers(region, &known, &nknown)) {
			sv->cand = malloc((nknown ? nknown : 1) *
					  sizeof(*sv->cand));
			if (!sv->cand)
				return -ENOMEM;
			if (nknown)
				memcpy(sv->cand, known,
				       nknown * sizeof(*sv->cand));
			sv->ncand = nknown;
			return 0;
		}
	}
	rc = kregion_unbound(region, sv->ids, n, &sv->cand, &sv->ncand);
	if (rc < 0)
		return rc;
	for (i = 0; i < sv->ncand; i++)
		if (sv->cand[i] != 0)
			sv->cand[k++] = sv->cand[i];
	sv->ncand = k;
	return 0;
}

static void survey_free(struct survey *sv)
{
	free(sv->ids);
	free(sv->cand);
}

/* The next leftover that is still zero-size and unbound, opened in @kd. */
static int find_leftover(struct dax_region *region, struct survey *sv,
			 struct kdev *kd)
{
	uint64_t size;
	char *drv;

	while (sv->next < sv->ncand) {
		int id = sv->cand[sv->next++];

		if (kdev_open(kd, region, id) < 0)
			continue;
		drv = NULL;
		if (kdev_read_u64(kd, "size", &size) == 0 && size == 0 &&
		    kdev_driver(kd, &drv) == 0 && !drv) {
			dax_info(kd->ctx,
				 "%s: reusing this zero-size device "
				 "(left by an earlier run?)\n",
				 kd->name);
			return 0;
		}
		free(drv);
		kdev_close(kd);
	}
	return -ENOENT;
}

static void undo_one(struct dax_region *region, const struct made *m)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	struct kdev kd;
	int rc;

	rc = kdev_open(&kd, region, m->id);
	if (rc < 0)
		return;
	rc = unbind_dev(&kd);
	if (rc == 0)
		rc = kdev_set_size(&kd, 0);
	if (rc == 0)
		rc = m->reused ? kdev_set_align(&kd, m->old_align)
			       : kregion_delete(&kd);
	if (rc < 0)
		dax_err(ctx, "%s: could not undo its creation: %s\n", kd.name,
			strerror(-rc));
	kdev_close(&kd);
}

/* Make one device as @rq says; *@m records it. Undoes itself on failure. */
static int create_one(struct dax_region *region, const struct request *rq,
		      struct survey *sv, struct made *m)
{
	struct dax_range bounds;
	struct kdev kd = {.fd = -1};
	bool added = false;
	unsigned int i;
	int rc, renamed;

	memset(m, 0, sizeof(*m));
	if (find_leftover(region, sv, &kd) == 0) {
		/* Seed or not, it changes the signature unforeseeably. */
		sv->clean = false;
		m->reused = true;
		m->id = kd.id;
		rc = kdev_read_u64(&kd, "align", &m->old_align);
		if (rc < 0) {
			kdev_close(&kd);
			return rc;
		}
	} else {
		int *list = NULL;
		size_t nlist = 0;

		rc = kregion_create(region, sv->current ? sv->ids : NULL,
				    sv->nids, sv->seedless, &m->id, &list,
				    &nlist);
		sv->current = rc == 0;
		/* Ours is the seed until it binds. */
		sv->seedless = sv->seedless && rq->enable;
		if (rc < 0)
			return rc;
		/* Its listing after the write is the region's list now. */
		free(sv->ids);
		sv->ids = list;
		sv->nids = nlist;
		rc = kdev_open(&kd, region, m->id);
		if (rc < 0) {
			/* Ours and still empty: it must not stay behind. */
			if (kregion_delete_id(region, m->id) < 0)
				dax_err(dax_region_get_ctx(region),
					"dax%d.%d: made but could not be "
					"opened nor deleted\n",
					dax_region_get_id(region), m->id);
			return rc;
		}
	}
	if (rq->enable)
		rc = bind_prepare(&kd, DAX_DRIVER_DEVICE_DAX, &added);
	/*
	 * A reused leftover may carry another align than a new device; a
	 * new one has the region's (the kernel copies it at creation).
	 */
	if (rc == 0 && rq->dev_align && (m->reused || rq->align))
		rc = kdev_set_align(&kd, rq->dev_align);
	if (rc == 0 && rq->nr) {
		/* Without a size the device tells the region's start. */
		if (kdev_bounds(&kd, &bounds) == 0)
			for (i = 0; rc == 0 && i < rq->nr; i++)
				rc = space_check(kd.ctx, &rq->ranges[i],
						 rq->gran, &bounds, NULL, 0);
		for (i = 0; rc == 0 && i < rq->nr; i++)
			rc = kdev_claim(&kd, &rq->ranges[i]);
	} else if (rc == 0) {
		/* Zero: new, or a leftover checked just now. */
		rc = grow_dev(&kd, 0, rq->size, rq->gran);
	}
	if (rc == 0 && rq->enable) {
		rc = bind_created(&kd, DAX_DRIVER_DEVICE_DAX, !m->reused,
				  &renamed);
		if (renamed >= 0) {
			/* The leftover was re-made: the new one is ours. */
			m->id = renamed;
			m->reused = false;
			sv->current = false;
			sv->clean = false;
		}
	}
	if (added)
		bind_remove_id(&kd, DAX_DRIVER_DEVICE_DAX);
	kdev_close(&kd);
	if (rc < 0) {
		sv->clean = false;
		undo_one(region, m);
	}
	return rc;
}

/* Checks against the fresh model; fills in the size and granularity. */
static int validate(struct dax_region *region, unsigned int count,
		    struct request *rq)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	struct dax_range bounds, *used = NULL, *all;
	uint64_t avail, ralign, sum = 0;
	size_t nused;
	unsigned int i;
	int rc;

	if (rq->align && !space_align_valid(ctx, rq->align)) {
		platform_log_aligns(ctx, rq->align);
		return -EINVAL;
	}
	/* A new device starts with the region's align (0400: root only). */
	if (dax_region_get_align(region, &ralign) < 0)
		ralign = 0;
	rq->dev_align = rq->align ? rq->align : ralign;
	rq->gran = space_gran(ctx, rq->dev_align);
	rc = dax_region_get_available_size(region, &avail);
	if (rc < 0)
		return rc;
	for (i = 0; i < rq->nr; i++) {
		const struct dax_range *r = &rq->ranges[i];

		if (r->end < r->start ||
		    r->end - r->start + 1 > UINT64_MAX - sum)
			return -EINVAL;
		sum += r->end - r->start + 1;
	}
	if (rq->nr && rq->size == 0)
		rq->size = sum;
	if (rq->nr && rq->size != sum) {
		dax_err(ctx,
			"size %" PRIu64 " but the ranges hold %" PRIu64 "\n",
			rq->size, sum);
		return -EINVAL;
	}
	if (rq->size == 0) {
		rq->size = avail / rq->gran * rq->gran;
		if (rq->size == 0) {
			dax_err(ctx, "region %d: no free capacity\n",
				dax_region_get_id(region));
			return -ENOSPC;
		}
	}
	if (rq->size % rq->gran) {
		dax_err(ctx,
			"size %" PRIu64 " is not a multiple of %" PRIu64 "\n",
			rq->size, rq->gran);
		return -EINVAL;
	}
	if (rq->size > avail / count) {
		dax_err(ctx,
			"region %d: %u x %" PRIu64 " bytes asked, %" PRIu64
			" available\n",
			dax_region_get_id(region), count, rq->size, avail);
		return -ENOSPC;
	}
	if (rq->nr == 0)
		return 0;
	/* Explicit ranges: aligned, inside, free, not overlapping each other.
	 */
	rc = space_used(region, &used, &nused);
	if (rc < 0)
		return rc;
	all = reallocarray(used, nused + rq->nr, sizeof(*all));
	if (!all) {
		free(used);
		return -ENOMEM;
	}
	if (space_bounds(region, &bounds) < 0)
		bounds.end = 0;
	for (i = 0; rc == 0 && i < rq->nr; i++) {
		rc = space_check(ctx, &rq->ranges[i], rq->gran,
				 bounds.end ? &bounds : NULL, all, nused + i);
		all[nused + i] = rq->ranges[i];
	}
	free(all);
	return rc;
}

/*
 * After a create_many() whose every step went as foreseen: the region's
 * signature as its writes left it, told to the lock so that the next
 * change call need not list the region (lock.c). @base: as the lock read
 * it.
 */
static void foresee(struct dax_region *region, const struct region_sig *base,
		    const struct request *rq, const struct made *m,
		    unsigned int count)
{
	struct region_sig sig = *base;
	int rid = dax_region_get_id(region);

	sig.avail -= (uint64_t)count * rq->size;
	/* The first made is the seed until it binds. */
	if (!sig.seed[0] && !rq->enable)
		snprintf(sig.seed, sizeof(sig.seed), "dax%d.%d", rid, m[0].id);
	if (sig.seed[0])
		snprintf(sig.young, sizeof(sig.young), "dax%d.%d", rid,
			 m[count - 1].id);
	region_lock_predict(region, &sig);
}

static int static_region(struct dax_region *region)
{
	dax_err(dax_region_get_ctx(region),
		"region %d: static, its devices cannot be changed\n",
		dax_region_get_id(region));
	return -EOPNOTSUPP;
}

static int create_many(struct dax_region *region, unsigned int count,
		       struct request *rq, struct dax_dev **devs)
{
	struct survey sv = {0};
	struct region_sig base;
	bool based;
	struct made *m;
	unsigned int i, n = 0;
	int rc, src;

	if (dax_region_is_gone(region))
		return -ENODEV;
	if (region_is_class_model(region))
		return static_region(region);
	m = calloc(count, sizeof(*m));
	if (!m)
		return -ENOMEM;
	rc = region_lock_fresh(region);
	if (rc < 0) {
		free(m);
		return rc;
	}
	/* The lock re-read the region: it may have gone meanwhile. */
	if (dax_region_is_gone(region))
		rc = -ENODEV;
	else if (!dax_region_is_dynamic(region))
		rc = static_region(region);
	else
		rc = validate(region, count, rq);
	based = region_lock_sig(region, &base) == 0;
	sv.seedless = based && !base.seed[0];
	sv.clean = based;
	if (rc == 0)
		rc = survey_take(region, &sv);
	for (; rc == 0 && n < count; n++) {
		rc = create_one(region, rq, &sv, &m[n]);
		if (rc < 0)
			break;
	}
	if (rc < 0) {
		while (n-- > 0)
			undo_one(region, &m[n]);
		sv.current = false;
	}
	/*
	 * Binding and sizing change no names: the listing of the last
	 * create, under the lock, is the region's list, and re-listing the
	 * host directory (O(devices) in the kernel and here) is saved.
	 */
	src = sv.current ? scan_region_ids(region, sv.ids, sv.nids)
			 : scan_region(region);
	if (rc == 0 && src < 0)
		rc = src;
	if (rc == 0 && sv.clean && sv.current) {
		foresee(region, &base, rq, m, count);
		/* The candidates not taken are still the region's. */
		region_set_leftovers(region, sv.cand + sv.next,
				     sv.ncand - sv.next);
	} else {
		region_forget_leftovers(region);
	}
	for (i = 0; rc == 0 && devs && i < count; i++) {
		devs[i] = region_find_dev(region, m[i].id);
		if (!devs[i])
			rc = errno == ENOMEM ? -ENOMEM : -EIO;
	}
	dax_region_unlock(region);
	survey_free(&sv);
	free(m);
	return rc;
}

DAX_EXPORT int dax_region_create_dev(struct dax_region *region, uint64_t size,
				     uint64_t align,
				     const struct dax_range *ranges,
				     unsigned int nr_ranges, unsigned int flags,
				     struct dax_dev **dev)
{
	struct request rq = {
		.size = size,
		.align = align,
		.ranges = nr_ranges ? ranges : NULL,
		.nr = nr_ranges,
		.enable = !(flags & DAX_CREATE_NO_ENABLE),
	};

	if (dev)
		*dev = NULL;
	if (!region || (nr_ranges && !ranges) ||
	    (flags & ~(unsigned int)DAX_CREATE_NO_ENABLE))
		return -EINVAL;
	return create_many(region, 1, &rq, dev);
}

DAX_EXPORT int dax_region_create_devs(struct dax_region *region,
				      unsigned int count, uint64_t size,
				      uint64_t align, unsigned int flags,
				      struct dax_dev **devs)
{
	struct request rq = {
		.size = size,
		.align = align,
		.enable = !(flags & DAX_CREATE_NO_ENABLE),
	};
	unsigned int i;

	for (i = 0; devs && i < count; i++)
		devs[i] = NULL;
	if (!region || count == 0 || (size == 0 && count > 1) ||
	    (flags & ~(unsigned int)DAX_CREATE_NO_ENABLE))
		return -EINVAL;
	return create_many(region, count, &rq, devs);
}

static enum dax_driver driver_kind(const char *name)
{
	if (!name)
		return DAX_DRIVER_NONE;
	if (strcmp(name, "device_dax") == 0)
		return DAX_DRIVER_DEVICE_DAX;
	if (strcmp(name, "kmem") == 0)
		return DAX_DRIVER_KMEM;
	return DAX_DRIVER_OTHER;
}

/* Undo a half-done destroy: the ranges back, the driver back. */
static void restore(struct kdev *kd, const struct dax_range *v, size_t n,
		    enum dax_driver drv)
{
	uint64_t size;
	size_t i;
	int rc = 0, renamed;

	if (kdev_read_u64(kd, "size", &size) == 0 && size == 0)
		for (i = 0; rc == 0 && i < n; i++)
			rc = kdev_claim(kd, &v[i]);
	if (rc == 0 && drv != DAX_DRIVER_NONE)
		rc = dax_driver_name(drv) ? bind_dev(kd, drv, false, &renamed)
					  : -EOPNOTSUPP;
	if (rc < 0)
		dax_err(kd->ctx, "%s: could not restore it: %s\n", kd->name,
			strerror(-rc));
}

/*
 * After device @id (ranges @v) was destroyed as foreseen: the model
 * without it, with no listing, and the signature told to the lock.
 */
static int destroyed(struct dax_region *region, const struct region_sig *base,
		     int id, const struct dax_range *v, size_t n)
{
	struct region_sig sig = *base;
	size_t nslots, i, k = 0;
	const struct dev_slot *slots = region_slots(region, &nslots);
	char name[24];
	int *ids, rc;

	ids = malloc((nslots ? nslots : 1) * sizeof(*ids));
	if (!ids)
		return scan_region(region);
	for (i = 0; i < nslots; i++)
		if (slots[i].id != id || id == 0)
			ids[k++] = slots[i].id;
	rc = scan_region_ids(region, ids, k);
	free(ids);
	for (i = 0; i < n; i++)
		sig.avail += v[i].end - v[i].start + 1;
	/* Deleting the seed or the youngest clears it. */
	snprintf(name, sizeof(name), "dax%d.%d", dax_region_get_id(region), id);
	if (id != 0 && strcmp(sig.seed, name) == 0)
		sig.seed[0] = '\0';
	if ((id != 0 && strcmp(sig.young, name) == 0) || !sig.seed[0])
		sig.young[0] = '\0';
	if (rc == 0)
		region_lock_predict(region, &sig);
	return rc;
}

DAX_EXPORT int dax_dev_destroy(struct dax_dev *dev)
{
	struct dax_region *region;
	struct dax_range *v = NULL;
	struct kdev kd = {.fd = -1};
	enum dax_driver drv = DAX_DRIVER_NONE;
	struct region_sig base;
	char *name = NULL;
	size_t n = 0;
	int rc, src, id;
	bool based;

	if (!dev)
		return -EINVAL;
	if (dax_dev_is_gone(dev))
		return -ENODEV;
	region = dax_dev_get_region(dev);
	if (!dax_region_is_dynamic(region) || region_is_class_model(region))
		return -EOPNOTSUPP;
	id = dax_dev_get_id(dev);
	rc = region_lock_fresh(region);
	if (rc < 0)
		return rc;
	based = region_lock_sig(region, &base) == 0;
	if (!(dev = region_find_dev(region, id)))
		rc = errno == ENOMEM ? -ENOMEM : -ENODEV;
	if (rc == 0)
		rc = kdev_open(&kd, region, id);
	if (rc == 0)
		rc = kdev_driver(&kd, &name);
	if (rc == 0)
		rc = kdev_ranges(&kd, &v, &n);
	drv = driver_kind(name);
	free(name);
	if (rc == 0 && drv != DAX_DRIVER_NONE)
		rc = unbind_dev(&kd);
	if (rc < 0)
		goto out;
	rc = kdev_set_size(&kd, 0);
	if (rc == 0 && id != 0)
		rc = kregion_delete(&kd);
	if (rc < 0)
		restore(&kd, v, n, drv);
out:
	kdev_close(&kd);
	/* This marks @dev gone when it is (it stays valid). */
	src = rc == 0 && based ? destroyed(region, &base, id, v, n)
			       : scan_region(region);
	free(v);
	dax_region_unlock(region);
	return rc < 0 ? rc : src;
}
