// SPDX-License-Identifier: LGPL-2.1-or-later
/* The change side: create, destroy, resize, ranges, bind, region lock. */
#include <errno.h>

#include "private.h"

DAX_EXPORT int dax_region_lock(struct dax_region *region)
{
	(void)region;
	return -EOPNOTSUPP;
}

DAX_EXPORT void dax_region_unlock(struct dax_region *region)
{
	(void)region;
}

DAX_EXPORT int dax_region_create_dev(struct dax_region *region, uint64_t size,
				     uint64_t align,
				     const struct dax_range *ranges,
				     unsigned int nr_ranges, unsigned int flags,
				     struct dax_dev **dev)
{
	(void)region, (void)size, (void)align, (void)ranges, (void)nr_ranges;
	(void)flags;
	if (dev)
		*dev = NULL;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_region_create_devs(struct dax_region *region,
				      unsigned int count, uint64_t size,
				      uint64_t align, unsigned int flags,
				      struct dax_dev **devs)
{
	(void)region, (void)count, (void)size, (void)align, (void)flags;
	(void)devs;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_dev_destroy(struct dax_dev *dev)
{
	(void)dev;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_dev_set_size(struct dax_dev *dev, uint64_t size)
{
	(void)dev, (void)size;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_dev_set_align(struct dax_dev *dev, uint64_t align)
{
	(void)dev, (void)align;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_dev_add_range(struct dax_dev *dev,
				 const struct dax_range *range)
{
	(void)dev, (void)range;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_dev_enable(struct dax_dev *dev, enum dax_driver driver)
{
	(void)dev, (void)driver;
	return -EOPNOTSUPP;
}

DAX_EXPORT int dax_dev_disable(struct dax_dev *dev)
{
	(void)dev;
	return -EOPNOTSUPP;
}
