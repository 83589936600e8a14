// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Plans: a layout compared with the live state.
 *
 * A layout device's place comes from the layout and the region's bounds
 * alone (explicit ranges first, then first fit in declaration order), so
 * it is the same on every boot, and the live device with exactly those
 * ranges and that align is the layout's device, whatever its kernel name:
 * nothing needs to be stored anywhere.
 *
 * Carrying a plan out is apply.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

void plan_steps_free(struct dax_plan_step *s)
{
	struct dax_plan_step *next;

	for (; s; s = next) {
		next = s->next;
		free(s->ranges);
		free(s);
	}
}

DAX_EXPORT void dax_plan_free(struct dax_plan *plan)
{
	size_t i;

	if (!plan)
		return;
	for (i = 0; i < plan->nregions; i++)
		plan_steps_free(plan->regions[i].steps);
	free(plan->regions);
	free(plan);
}

/* ----------------------------------------------------------- reading */

static int by_start(const void *a, const void *b)
{
	const struct dax_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int plan_dev_ranges(struct dax_dev *dev, struct dax_range **v, unsigned int *n)
{
	struct dax_mapping *m;
	struct dax_range *a = NULL, *t;

	*n = 0;
	*v = NULL;
	errno = 0;
	for (m = dax_mapping_get_first(dev); m; m = dax_mapping_get_next(m)) {
		t = realloc(a, (*n + 1) * sizeof(*a));
		if (!t) {
			free(a);
			return -ENOMEM;
		}
		a = t;
		a[*n].start = dax_mapping_get_start(m);
		a[(*n)++].end = dax_mapping_get_end(m);
	}
	if (errno && errno != ENOENT) {
		free(a);
		return -errno;
	}
	*v = a;
	return 0;
}

bool plan_same_ranges(const struct dax_range *a, unsigned int na,
		      const struct dax_range *b, unsigned int nb)
{
	return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

static bool overlaps(const struct dax_range *a, unsigned int na,
		     const struct dax_range *b, unsigned int nb)
{
	unsigned int i, k;

	for (i = 0; i < na; i++)
		for (k = 0; k < nb; k++)
			if (a[i].start <= b[k].end && b[k].start <= a[i].end)
				return true;
	return false;
}

void plan_node_path(struct dax_dev *dev, char *buf, size_t size)
{
	const char *root = dax_ctx_get_sysfs_root(dax_dev_get_ctx(dev));

	snprintf(buf, size, "%s/dev/%s", strcmp(root, "/") ? root : "",
		 dax_dev_get_devname(dev));
}

static bool owner_differs(const struct layout_device *ld, struct dax_dev *dev)
{
	char path[PATH_MAX];
	struct stat st;

	if (ld->uid == (uid_t)-1 && ld->gid == (gid_t)-1 && ld->perm < 0)
		return false;
	plan_node_path(dev, path, sizeof(path));
	if (stat(path, &st) < 0)
		return true;
	return (ld->uid != (uid_t)-1 && st.st_uid != ld->uid) ||
	       (ld->gid != (gid_t)-1 && st.st_gid != ld->gid) ||
	       (ld->perm >= 0 && (int)(st.st_mode & 07777) != ld->perm);
}

/* ---------------------------------------------------------- planning */

static struct dax_plan_step *add_step(struct plan_region *pr,
				      enum dax_step_action action,
				      const struct layout_device *ld,
				      struct dax_dev *dev)
{
	struct dax_plan_step *s = calloc(1, sizeof(*s)), **p;

	if (!s)
		return NULL;
	s->action = action;
	s->pr = pr;
	s->ld = ld;
	s->dev = dev;
	for (p = &pr->steps; *p; p = &(*p)->next)
		;
	*p = s;
	return s;
}

/* Sort key of an action in the running order. */
static int rank(enum dax_step_action a)
{
	switch (a) {
	case DAX_STEP_BLOCKED:
		return 0;
	case DAX_STEP_DESTROY:
		return 1;
	case DAX_STEP_CREATE:
		return 2;
	case DAX_STEP_UPDATE:
		return 3;
	case DAX_STEP_KEEP:
		return 4;
	default:
		return 5;
	}
}

static void sort_steps(struct plan_region *pr)
{
	struct dax_plan_step *in = pr->steps, *s, **p;

	pr->steps = NULL;
	while ((s = in)) {
		in = s->next;
		for (p = &pr->steps;
		     *p && rank((*p)->action) <= rank(s->action);
		     p = &(*p)->next)
			;
		s->next = *p;
		*p = s;
	}
}

/* Which pass places @d: explicit ranges, then colours, then sizes. */
static int pass_of(const struct layout_device *d)
{
	return d->nranges ? 0 : d->colored ? 1 : 2;
}

/* The ranges of @d, placed around the sorted @used. *@v malloc'ed. */
static int place_one(struct dax_layout *l, struct plan_region *pr,
		     const struct layout_device *d,
		     const struct dax_range *bounds, uint64_t align,
		     const struct dax_range *used, size_t nused,
		     struct dax_range **v, size_t *n)
{
	uint64_t gran = space_gran(l->ctx, align);
	struct dax_color_request req;
	size_t k;
	int rc;

	if (d->size % gran) {
		layout_err(l, &d->src,
			   "device %s: size not a multiple of %llu KiB (the "
			   "granule of align %llu KiB)",
			   d->name, (unsigned long long)(gran >> 10),
			   (unsigned long long)(align >> 10));
		return -EINVAL;
	}
	if (d->colored) {
		req = d->color;
		req.size = d->size;
		req.align = align;
		rc = placement_colors(pr->region, &req, bounds, used, nused, v,
				      n);
		if (rc < 0)
			layout_err(l, &d->placement_src,
				   "device %s: its colours cannot be placed "
				   "(see above)",
				   d->name);
		return rc;
	}
	if (!d->nranges) {
		rc = space_place(bounds, used, nused, gran, d->size, v, n);
		if (rc == -ENOSPC)
			layout_err(
				l, &d->size_src,
				"device %s: %llu MiB do not fit in region %s "
				"after the devices before it",
				d->name, (unsigned long long)(d->size >> 20),
				pr->lr->name);
		return rc;
	}
	for (k = 0; k < d->nranges; k++)
		if (d->ranges[k].start < bounds->start ||
		    d->ranges[k].end > bounds->end) {
			layout_err(l, &d->ranges_src,
				   "device %s: a range lies outside region %s "
				   "(%#llx-%#llx)",
				   d->name, pr->lr->name,
				   (unsigned long long)bounds->start,
				   (unsigned long long)bounds->end);
			return -EINVAL;
		}
	*v = malloc(d->nranges * sizeof(**v));
	if (!*v)
		return -ENOMEM;
	memcpy(*v, d->ranges, d->nranges * sizeof(**v));
	*n = d->nranges;
	return 0;
}

/* Where each layout device of @pr goes; the steps get their ranges. */
static int place(struct dax_layout *l, struct plan_region *pr,
		 const struct dax_range *bounds, uint64_t ralign)
{
	struct dax_range *used = NULL, *t, *v;
	struct dax_plan_step *s;
	size_t nused = 0, i, n;
	int pass, rc = 0;

	for (pass = 0; pass < 3 && rc == 0; pass++) {
		for (i = 0; i < l->ndevices && rc == 0; i++) {
			struct layout_device *d = l->devices[i];
			uint64_t align = d->align ? d->align : ralign;

			if (strcmp(d->region, pr->lr->name) != 0 ||
			    pass_of(d) != pass)
				continue;
			rc = place_one(l, pr, d, bounds, align, used, nused, &v,
				       &n);
			if (rc < 0)
				break;
			t = realloc(used, (nused + n) * sizeof(*used));
			s = t ? add_step(pr, DAX_STEP_CREATE, d, NULL) : NULL;
			if (!s) {
				used = t ? t : used;
				free(v);
				rc = -ENOMEM;
				break;
			}
			used = t;
			memcpy(used + nused, v, n * sizeof(*v));
			nused += n;
			qsort(used, nused, sizeof(*used), by_start);
			s->ranges = v;
			s->nranges = (unsigned int)n;
			s->align = align;
		}
	}
	free(used);
	return rc;
}

/* Add a blocked step: what stops the region's transaction. */
static int block(struct plan_region *pr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int block(struct plan_region *pr, const char *fmt, ...)
{
	struct dax_plan_step *s = add_step(pr, DAX_STEP_BLOCKED, NULL, NULL);
	va_list ap;

	if (!s)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/* Can @dev's memory be taken back? 1 yes (offline or movable), 0 no. */
static int memory_movable(struct dax_dev *dev)
{
	struct dax_memory *mem = dax_dev_get_memory(dev);

	if (!mem)
		return 1;
	if (dax_memory_get_num_online(mem) == 0)
		return 1;
	return dax_memory_is_movable(mem) == 1;
}

/* What stops @dev from being destroyed or rebound, as a blocked step. */
static int check_free(struct plan_region *pr, struct dax_dev *dev)
{
	const char *name = dax_dev_get_devname(dev);
	int pid;

	if (dax_dev_is_system_ram(dev)) {
		if (!memory_movable(dev))
			return block(pr,
				     "%s: its memory is online in a kernel "
				     "zone and cannot be taken back reliably "
				     "(offline it, or reboot with the layout "
				     "applied before kmem onlines it)",
				     name);
		return 0;
	}
	if (dax_dev_get_driver(dev) != DAX_DRIVER_DEVICE_DAX)
		return 0;
	pid = dax_dev_get_user(dev);
	if (pid > 0)
		return block(pr, "%s: in use: process %d has it open or mapped",
			     name, pid);
	return pid < 0 ? pid : 0;
}

/* The updates @s's kept device @dev needs, blocked when it is in use. */
static int check_kept(struct plan_region *pr, struct dax_plan_step *s)
{
	const struct layout_device *d = s->ld;
	struct dax_dev *dev = s->dev;
	enum dax_driver drv = dax_dev_get_driver(dev);
	char *p = s->reason;
	size_t left = sizeof(s->reason);
	int rc = 0;

	if (d->sysram) {
		struct dax_memory *mem;

		if (drv != DAX_DRIVER_KMEM) {
			s->changes |= CH_MODE;
			rc = check_free(pr, dev);
		} else if ((mem = dax_dev_get_memory(dev)) &&
			   (dax_memory_get_num_online(mem) <
				    dax_memory_get_num_blocks(mem) ||
			    dax_memory_is_movable(mem) != (int)d->movable)) {
			s->changes |= CH_MEMORY;
			if (dax_memory_get_num_online(mem) &&
			    dax_memory_is_movable(mem) != (int)d->movable)
				rc = block(pr,
					   "%s: its memory is online in the "
					   "other zone than declared "
					   "(movable = %s)",
					   dax_dev_get_devname(dev),
					   d->movable ? "true" : "false");
		}
	} else {
		if (drv != DAX_DRIVER_DEVICE_DAX) {
			s->changes |= CH_MODE;
			if (drv == DAX_DRIVER_KMEM)
				rc = check_free(pr, dev);
		}
		if (owner_differs(d, dev) || (s->changes & CH_MODE))
			s->changes |= d->uid != (uid_t)-1 ||
						      d->gid != (gid_t)-1 ||
						      d->perm >= 0
					      ? CH_OWNER
					      : 0;
	}
	if (s->changes) {
		s->action = DAX_STEP_UPDATE;
		if (s->changes & CH_MODE)
			p += snprintf(p, left, "mode");
		if (s->changes & CH_MEMORY)
			p += snprintf(p, left - (size_t)(p - s->reason),
				      "%smemory", p > s->reason ? "," : "");
		if (s->changes & CH_OWNER)
			snprintf(p, left - (size_t)(p - s->reason), "%sowner",
				 p > s->reason ? "," : "");
	}
	return rc;
}

/* Compare the region's devices with the placed layout devices. */
static int match(struct plan_region *pr, uint64_t rsize)
{
	struct dax_plan_step *s, *want;
	struct dax_region *region = pr->region;
	struct dax_dev *dev;
	struct dax_range *v = NULL;
	unsigned int n = 0;
	uint64_t size, align;
	int rc;

	errno = 0;
	for (dev = dax_dev_get_first(region); dev;
	     dev = dax_dev_get_next(dev)) {
		if (dax_dev_get_size(dev, &size) < 0 || size == 0)
			continue;
		rc = plan_dev_ranges(dev, &v, &n);
		if (rc < 0)
			return rc;
		if (dax_dev_get_align(dev, &align) < 0)
			align = 0;
		want = NULL;
		for (s = pr->steps; s; s = s->next)
			if (s->action == DAX_STEP_CREATE && !s->dev &&
			    s->align == align &&
			    plan_same_ranges(s->ranges, s->nranges, v, n))
				want = s;
		if (want) {
			free(v);
			want->dev = dev;
			want->action = DAX_STEP_KEEP;
			rc = check_kept(pr, want);
			if (rc < 0)
				return rc;
			continue;
		}
		for (s = pr->steps; s; s = s->next)
			if (s->action == DAX_STEP_CREATE &&
			    overlaps(s->ranges, s->nranges, v, n))
				break;
		if (s && !pr->lr->managed &&
		    !(dax_dev_get_id(dev) == 0 && size == rsize)) {
			free(v);
			rc = block(pr,
				   "%s: not in the layout, holds addresses "
				   "of %s (declare region %s managed = true "
				   "to have it destroyed)",
				   dax_dev_get_devname(dev), s->ld->name,
				   pr->lr->name);
			if (rc < 0)
				return rc;
			continue;
		}
		want = add_step(pr,
				s || pr->lr->managed ? DAX_STEP_DESTROY
						     : DAX_STEP_FOREIGN,
				NULL, dev);
		if (!want) {
			free(v);
			return -ENOMEM;
		}
		want->ranges = v;
		want->nranges = n;
		want->align = align;
		if (want->action == DAX_STEP_DESTROY) {
			if (s)
				snprintf(want->reason, sizeof(want->reason),
					 "holds addresses of %s", s->ld->name);
			else
				snprintf(want->reason, sizeof(want->reason),
					 "not in the layout of managed region "
					 "%s",
					 pr->lr->name);
			rc = check_free(pr, dev);
			if (rc < 0)
				return rc;
		}
	}
	if (errno && errno != ENOENT)
		return -errno;
	return 0;
}

int plan_region(struct dax_layout *l, struct plan_region *pr, bool placed_only)
{
	struct dax_range bounds;
	uint64_t ralign, rsize;
	int rc;

	plan_steps_free(pr->steps);
	pr->steps = NULL;
	pr->result = 0;
	if (!dax_region_is_dynamic(pr->region)) {
		pr->result = -EBUSY;
		return block(pr, "region %s: a static region cannot be divided",
			     pr->lr->name);
	}
	rc = dax_region_get_bounds(pr->region, &bounds);
	if (rc == 0)
		rc = dax_region_get_align(pr->region, &ralign);
	if (rc == 0)
		rc = dax_region_get_size(pr->region, &rsize);
	if (rc == 0)
		rc = place(l, pr, &bounds, ralign);
	if (rc < 0 || placed_only)
		return rc;
	rc = match(pr, rsize);
	if (rc == 0)
		sort_steps(pr);
	if (rc == 0 && pr->steps && pr->steps->action == DAX_STEP_BLOCKED)
		pr->result = -EBUSY;
	return rc;
}

int plan_find_region(struct dax_layout *l, const struct layout_region *lr,
		     bool quiet, struct dax_region **out)
{
	struct dax_region *r;
	struct dax_range b;
	unsigned int found = 0;
	int node;

	*out = NULL;
	for (r = dax_region_get_first(l->ctx); r; r = dax_region_get_next(r)) {
		if (dax_region_get_bounds(r, &b) < 0 || b.start != lr->resource)
			continue;
		if (lr->node >= 0 &&
		    (dax_region_get_target_node(r, &node) < 0 ||
		     node != lr->node))
			continue;
		if (lr->path && strcmp(dax_region_get_path(r), lr->path) != 0)
			continue;
		*out = r;
		found++;
	}
	if (found == 1)
		return 0;
	if (quiet)
		return found ? -EINVAL : -ENODEV;
	if (found)
		layout_err(l, &lr->src,
			   "region %s: %u regions match resource %#llx; add "
			   "target_node or path",
			   lr->name, found, (unsigned long long)lr->resource);
	else
		layout_err(l, &lr->src,
			   "region %s: no region at resource %#llx%s", lr->name,
			   (unsigned long long)lr->resource,
			   lr->node >= 0 || lr->path
				   ? " with the declared target_node and path"
				   : "");
	return found ? -EINVAL : -ENODEV;
}

DAX_EXPORT int dax_layout_plan(struct dax_layout *l, struct dax_plan **out)
{
	struct dax_plan *plan;
	size_t i;
	int rc;

	if (!l || !out)
		return -EINVAL;
	*out = NULL;
	rc = dax_layout_check(l);
	if (rc == 0)
		rc = dax_ctx_refresh(l->ctx);
	if (rc < 0)
		return rc;
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	plan->layout = l;
	plan->regions = calloc(l->nregions + 1, sizeof(*plan->regions));
	if (!plan->regions) {
		free(plan);
		return -ENOMEM;
	}
	for (i = 0; i < l->nregions && rc == 0; i++) {
		struct plan_region *pr = &plan->regions[plan->nregions++];

		pr->plan = plan;
		pr->lr = l->regions[i];
		rc = plan_find_region(l, pr->lr, false, &pr->region);
		if (rc == 0)
			rc = plan_region(l, pr, false);
	}
	if (rc < 0) {
		dax_plan_free(plan);
		return rc;
	}
	*out = plan;
	return 0;
}

/* ------------------------------------------------------------ getters */

DAX_EXPORT struct dax_plan_step *dax_plan_get_first_step(struct dax_plan *plan)
{
	size_t i;

	for (i = 0; plan && i < plan->nregions; i++)
		if (plan->regions[i].steps)
			return plan->regions[i].steps;
	return NULL;
}

DAX_EXPORT struct dax_plan_step *dax_plan_step_get_next(struct dax_plan_step *s)
{
	struct dax_plan *plan;
	size_t i;

	if (!s)
		return NULL;
	if (s->next)
		return s->next;
	plan = s->pr->plan;
	for (i = (size_t)(s->pr - plan->regions) + 1; i < plan->nregions; i++)
		if (plan->regions[i].steps)
			return plan->regions[i].steps;
	return NULL;
}

DAX_EXPORT enum dax_step_action
dax_plan_step_get_action(const struct dax_plan_step *s)
{
	return s->action;
}

DAX_EXPORT const char *dax_plan_step_get_name(const struct dax_plan_step *s)
{
	return s->ld ? s->ld->name : NULL;
}

DAX_EXPORT const char *
dax_plan_step_get_region_name(const struct dax_plan_step *s)
{
	return s->pr->lr->name;
}

DAX_EXPORT struct dax_region *
dax_plan_step_get_region(const struct dax_plan_step *s)
{
	return s->pr->region;
}

DAX_EXPORT struct dax_dev *dax_plan_step_get_dev(const struct dax_plan_step *s)
{
	return s->dev;
}

DAX_EXPORT unsigned int
dax_plan_step_get_ranges(const struct dax_plan_step *s,
			 const struct dax_range **ranges)
{
	if (ranges)
		*ranges = s->ranges;
	return s->nranges;
}

DAX_EXPORT const char *dax_plan_step_get_reason(const struct dax_plan_step *s)
{
	return s->reason[0] ? s->reason : NULL;
}

DAX_EXPORT int dax_plan_step_get_result(const struct dax_plan_step *s)
{
	return s->pr->result;
}

DAX_EXPORT unsigned long dax_plan_get_writes(const struct dax_plan *plan)
{
	return plan ? plan->writes : 0;
}
