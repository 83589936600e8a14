// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Carrying out a plan (plan.c makes it): one region at a time, each as a
 * transaction under its region lock. The region's part is computed again
 * under the lock and refused (-ESTALE) when it is no longer what the
 * caller inspected. Every change is recorded with what undoes it; a
 * failure undoes the region's changes in reverse order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

/* What undoes one change. */
struct undo {
	enum { U_CREATED, U_DESTROYED, U_DRIVER, U_OWNER } kind;
	struct dax_dev *dev;
	struct dax_range *ranges; /* U_DESTROYED */
	unsigned int nranges;
	uint64_t align;
	enum dax_driver driver; /* U_DESTROYED, U_DRIVER: what it had */
	enum dax_online online;
	struct stat st; /* U_OWNER */
};

struct undo_log {
	struct undo *v;
	size_t n;
};

static struct undo *push(struct undo_log *log, int kind, struct dax_dev *dev)
{
	struct undo *t = realloc(log->v, (log->n + 1) * sizeof(*t));

	if (!t)
		return NULL;
	log->v = t;
	t = &log->v[log->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->dev = dev;
	return t;
}

/* How the memory of a system-ram @dev is online now. */
static enum dax_online online_state(struct dax_dev *dev)
{
	struct dax_memory *mem = dax_dev_get_memory(dev);

	if (!mem || dax_memory_get_num_online(mem) == 0)
		return DAX_ONLINE_NONE;
	return dax_memory_is_movable(mem) == 1 ? DAX_ONLINE_MOVABLE
					       : DAX_ONLINE_KERNEL;
}

/* Bind @dev to @drv (memory onlined @how), from whatever it is bound to. */
static int set_driver(struct dax_dev *dev, enum dax_driver drv,
		      enum dax_online how)
{
	struct dax_memory *mem;
	int rc;

	if (drv == DAX_DRIVER_KMEM) {
		if (dax_dev_is_system_ram(dev)) {
			mem = dax_dev_get_memory(dev);
			if (!mem)
				return -errno;
			rc = how == DAX_ONLINE_NONE
				     ? dax_memory_offline(mem)
				     : dax_memory_online(mem, how);
			return rc < 0 ? rc : 0;
		}
		return dax_dev_to_system_ram(dev, how, DAX_MODE_HOLD_POLICY);
	}
	if (dax_dev_is_system_ram(dev)) {
		if (drv == DAX_DRIVER_DEVICE_DAX)
			return dax_dev_to_devdax(dev, DAX_MODE_OFFLINE);
		mem = dax_dev_get_memory(dev);
		rc = mem ? dax_memory_offline(mem) : -errno;
		return rc < 0 ? rc : dax_dev_disable(dev);
	}
	if (drv == DAX_DRIVER_DEVICE_DAX)
		return dax_dev_enable(dev, DAX_DRIVER_DEVICE_DAX);
	return dax_dev_disable(dev);
}

/* Make a destroyed device again: its ranges, align and driver. */
static int remake(struct dax_region *region, const struct undo *u)
{
	struct dax_dev *dev = u->dev;
	uint64_t size = 0;
	unsigned int i;
	int rc;

	if (!dax_dev_is_gone(dev) && dax_dev_get_size(dev, &size) == 0 &&
	    size == 0) {
		/* daxR.0, which the kernel never deletes. */
		rc = dax_dev_set_align(dev, u->align);
		for (i = 0; i < u->nranges && rc == 0; i++)
			rc = dax_dev_add_range(dev, &u->ranges[i]);
	} else {
		rc = dax_region_create_dev(region, 0, u->align, u->ranges,
					   u->nranges, DAX_CREATE_NO_ENABLE,
					   &dev);
	}
	if (rc == 0 && u->driver != DAX_DRIVER_NONE)
		rc = set_driver(dev, u->driver, u->online);
	return rc;
}

static int destroy(struct dax_dev *dev)
{
	struct dax_memory *mem;
	int rc;

	if (dax_dev_is_system_ram(dev)) {
		mem = dax_dev_get_memory(dev);
		rc = mem ? dax_memory_offline(mem) : -errno;
		if (rc < 0)
			return rc;
	}
	return dax_dev_destroy(dev);
}

static void undo_all(struct dax_ctx *ctx, struct dax_region *region,
		     struct undo_log *log)
{
	struct undo *u;
	char path[PATH_MAX];
	int rc;

	while (log->n) {
		u = &log->v[--log->n];
		switch (u->kind) {
		case U_CREATED:
			rc = destroy(u->dev);
			break;
		case U_DESTROYED:
			rc = remake(region, u);
			break;
		case U_DRIVER:
			rc = set_driver(u->dev, u->driver, u->online);
			break;
		default:
			plan_node_path(u->dev, path, sizeof(path));
			rc = chown(path, u->st.st_uid, u->st.st_gid) < 0 ||
					     chmod(path,
						   u->st.st_mode & 07777) < 0
				     ? -errno
				     : 0;
			break;
		}
		if (rc < 0)
			dax_err(ctx, "%s: could not undo a change: %s\n",
				dax_dev_get_devname(u->dev), strerror(-rc));
		free(u->ranges);
	}
	free(log->v);
	log->v = NULL;
}

static int set_owner(const struct layout_device *d, struct dax_dev *dev,
		     struct undo_log *log)
{
	char path[PATH_MAX];
	struct undo *u;
	struct stat st;

	if (d->uid == (uid_t)-1 && d->gid == (gid_t)-1 && d->perm < 0)
		return 0;
	plan_node_path(dev, path, sizeof(path));
	if (stat(path, &st) < 0) {
		dax_err(dax_dev_get_ctx(dev), "%s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	u = push(log, U_OWNER, dev);
	if (!u)
		return -ENOMEM;
	u->st = st;
	if (chown(path, d->uid, d->gid) < 0 ||
	    (d->perm >= 0 && chmod(path, (mode_t)d->perm) < 0)) {
		dax_err(dax_dev_get_ctx(dev), "%s: %s\n", path,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int run_step(struct dax_plan_step *s, struct undo_log *log)
{
	const struct layout_device *d = s->ld;
	enum dax_online how = DAX_ONLINE_NONE;
	struct undo *u;
	int rc;

	if (d && d->sysram)
		how = d->movable ? DAX_ONLINE_MOVABLE : DAX_ONLINE_KERNEL;
	switch (s->action) {
	case DAX_STEP_DESTROY:
		u = push(log, U_DESTROYED, s->dev);
		if (!u)
			return -ENOMEM;
		u->driver = dax_dev_get_driver(s->dev);
		u->online = online_state(s->dev);
		u->align = s->align;
		u->nranges = s->nranges;
		u->ranges = malloc(s->nranges * sizeof(*u->ranges) + 1);
		if (!u->ranges) {
			log->n--;
			return -ENOMEM;
		}
		memcpy(u->ranges, s->ranges, s->nranges * sizeof(*u->ranges));
		rc = destroy(s->dev);
		if (rc < 0)
			log->n--, free(u->ranges);
		return rc;
	case DAX_STEP_CREATE:
		rc = dax_region_create_dev(s->pr->region, 0, s->align,
					   s->ranges, s->nranges,
					   DAX_CREATE_NO_ENABLE, &s->dev);
		if (rc < 0)
			return rc;
		if (!push(log, U_CREATED, s->dev))
			return -ENOMEM;
		rc = set_driver(s->dev,
				d->sysram ? DAX_DRIVER_KMEM
					  : DAX_DRIVER_DEVICE_DAX,
				how);
		return rc < 0 ? rc : set_owner(d, s->dev, log);
	case DAX_STEP_UPDATE:
		if (s->changes & (CH_MODE | CH_MEMORY)) {
			u = push(log, U_DRIVER, s->dev);
			if (!u)
				return -ENOMEM;
			u->driver = dax_dev_get_driver(s->dev);
			u->online = online_state(s->dev);
			rc = set_driver(s->dev,
					d->sysram ? DAX_DRIVER_KMEM
						  : DAX_DRIVER_DEVICE_DAX,
					how);
			if (rc < 0)
				return rc;
		}
		return s->changes & CH_OWNER ? set_owner(d, s->dev, log) : 0;
	default:
		return 0;
	}
}

static bool same_part(const struct plan_region *a, const struct plan_region *b)
{
	const struct dax_plan_step *x = a->steps, *y = b->steps;

	for (; x && y; x = x->next, y = y->next)
		if (x->action != y->action || x->ld != y->ld ||
		    (x->action != DAX_STEP_CREATE && x->dev != y->dev) ||
		    x->changes != y->changes ||
		    !plan_same_ranges(x->ranges, x->nranges, y->ranges,
				      y->nranges))
			return false;
	return !x && !y;
}

static int apply_region(struct dax_plan *plan, struct plan_region *pr)
{
	struct dax_ctx *ctx = plan->layout->ctx;
	struct plan_region now = {
		.lr = pr->lr, .region = pr->region, .plan = plan};
	struct undo_log log = {0};
	struct dax_plan_step *s;
	int rc;

	rc = dax_region_lock(pr->region);
	if (rc < 0)
		return rc;
	rc = plan_region(plan->layout, &now, false);
	if (rc == 0 && !same_part(pr, &now)) {
		dax_err(ctx,
			"region %s: changed since the plan was made; nothing "
			"done there\n",
			pr->lr->name);
		rc = -ESTALE;
	}
	plan_steps_free(now.steps);
	for (s = pr->steps; s && rc == 0; s = s->next)
		if (s->action == DAX_STEP_BLOCKED) {
			dax_err(ctx, "region %s: %s\n", pr->lr->name,
				s->reason);
			rc = -EBUSY;
		}
	for (s = pr->steps; s && rc == 0; s = s->next)
		rc = run_step(s, &log);
	if (rc < 0 && log.n) {
		dax_err(ctx, "region %s: %s; undoing its changes\n",
			pr->lr->name, strerror(-rc));
		undo_all(ctx, pr->region, &log);
	}
	for (; log.n; log.n--)
		free(log.v[log.n - 1].ranges);
	free(log.v);
	dax_region_unlock(pr->region);
	return rc;
}

DAX_EXPORT int dax_plan_apply(struct dax_plan *plan)
{
	unsigned long before;
	size_t i;
	int rc = 0, first = 0;

	if (!plan)
		return -EINVAL;
	before = ctx_writes(plan->layout->ctx);
	for (i = 0; i < plan->nregions; i++) {
		struct plan_region *pr = &plan->regions[i];

		rc = apply_region(plan, pr);
		pr->result = rc;
		if (rc < 0 && !first)
			first = rc;
	}
	plan->writes = ctx_writes(plan->layout->ctx) - before;
	return first;
}
