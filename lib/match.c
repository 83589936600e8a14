// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which layout device a live device is (for names in listings and udev's
 * /dev/dax/by-name links), and claiming the boot devices of a layout's
 * regions before kmem can take them.
 *
 * A device is a layout's when its ranges and align are the places the
 * layout gives one of its devices; the places of each region are
 * computed once and kept until the layout is set again. Devices whose
 * size is no layout device's are told apart without reading their
 * ranges, so naming a thousand foreign devices costs no mapping reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

void layout_forget_places(struct dax_layout *l)
{
	size_t i;

	for (i = 0; i < l->nplaced; i++)
		plan_steps_free(l->placed[i].steps);
	free(l->placed);
	l->placed = NULL;
	l->nplaced = 0;
}

/* The places of the layout devices of every layout region found live. */
static int places(struct dax_layout *l)
{
	struct plan_region *pr;
	size_t i;
	int rc;

	if (l->placed || !l->nregions)
		return 0;
	rc = dax_layout_check(l);
	if (rc < 0)
		return rc;
	l->placed = calloc(l->nregions, sizeof(*l->placed));
	if (!l->placed)
		return -ENOMEM;
	for (i = 0; i < l->nregions; i++) {
		pr = &l->placed[l->nplaced];
		pr->lr = l->regions[i];
		if (plan_find_region(l, pr->lr, true, &pr->region) < 0)
			continue; /* not on this system (yet) */
		rc = plan_region(l, pr, true);
		if (rc < 0) {
			layout_forget_places(l);
			return rc;
		}
		l->nplaced++;
	}
	return 0;
}

DAX_EXPORT int dax_layout_match_dev(struct dax_layout *l, struct dax_dev *dev,
				    struct dax_layout_match *m)
{
	const struct dax_plan_step *s, *found = NULL;
	struct dax_region *region;
	struct dax_range *v = NULL;
	uint64_t size, align, len;
	unsigned int n = 0, i;
	size_t k;
	int rc;

	if (!l || !dev || !m)
		return -EINVAL;
	rc = places(l);
	if (rc < 0)
		return rc;
	if (dax_dev_get_size(dev, &size) < 0 || size == 0 ||
	    dax_dev_get_align(dev, &align) < 0)
		return -ENOENT;
	region = dax_dev_get_region(dev);
	for (k = 0; k < l->nplaced && !found; k++) {
		if (l->placed[k].region != region)
			continue;
		for (s = l->placed[k].steps; s && !found; s = s->next) {
			for (len = 0, i = 0; i < s->nranges; i++)
				len += s->ranges[i].end - s->ranges[i].start +
				       1;
			if (len != size || s->align != align)
				continue;
			if (!v) {
				rc = plan_dev_ranges(dev, &v, &n);
				if (rc < 0)
					return rc;
			}
			if (plan_same_ranges(s->ranges, s->nranges, v, n))
				found = s;
		}
	}
	free(v);
	if (!found)
		return -ENOENT;
	m->name = found->ld->name;
	m->region = found->pr->lr->name;
	m->owner = found->ld->owner;
	m->group = found->ld->group;
	m->permissions = found->ld->perm;
	m->system_ram = found->ld->sysram;
	return 0;
}

DAX_EXPORT int dax_layout_claim(struct dax_layout *l)
{
	struct dax_region *region;
	struct dax_dev *dev;
	uint64_t rsize, size;
	int claimed = 0, rc, first = 0;
	size_t i;

	if (!l)
		return -EINVAL;
	rc = dax_layout_check(l);
	if (rc < 0)
		return rc;
	for (i = 0; i < l->nregions; i++) {
		if (plan_find_region(l, l->regions[i], true, &region) < 0 ||
		    !dax_region_is_dynamic(region) ||
		    dax_region_get_size(region, &rsize) < 0)
			continue;
		dev = dax_dev_get_first(region);
		if (!dev || dax_dev_get_id(dev) != 0 ||
		    dax_dev_get_size(dev, &size) < 0 || size != rsize ||
		    dax_dev_get_driver(dev) != DAX_DRIVER_NONE)
			continue;
		rc = dax_dev_enable(dev, DAX_DRIVER_DEVICE_DAX);
		if (rc == 0)
			claimed++;
		else if (!first)
			first = rc;
	}
	return first ? first : claimed;
}
