/* SPDX-License-Identifier: GPL-2.0-only */
/* reconfigure-device --mode, for device.c. */
#ifndef DAXCTL_MEMORY_H
#define DAXCTL_MEMORY_H

#include <stdbool.h>

#include <libdax.h>

struct mode_req {
	bool devdax; /* else system-ram */
	enum dax_online how; /* system-ram: NONE, MOVABLE or KERNEL */
	bool force;
};

/**
 * mode_one() - switch @dev to the mode @m asks, printing what happens.
 * Return: 0 (also when already in that mode) or a negative errno.
 */
int mode_one(struct dax_dev *dev, const struct mode_req *m);

#endif /* DAXCTL_MEMORY_H */
