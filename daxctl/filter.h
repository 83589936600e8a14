/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Region and device selection, shared by every command.
 *
 * Region filter: "all", "N" or "regionN". Device filter: "all", "daxR.N",
 * "R.N" or "/dev/daxR.N". Numbers are decimal without sign or leading zeros
 * ("dax00.1" is refused: the kernel never names a device that way, and
 * guessing what was meant could select the wrong device). A path is only
 * accepted in the exact form /dev/daxR.N, the device node name udev passes:
 * no other directory, no relative paths, no "." or ".." tricks.
 */
#ifndef DAXCTL_FILTER_H
#define DAXCTL_FILTER_H

#include <stdbool.h>

struct region_filter {
	bool all;
	int id;
};

struct dev_filter {
	bool all;
	int region;
	int id;
};

/**
 * region_filter_parse() - parse @s into @f; NULL means "all".
 * Return: 0, or -EINVAL with *@why set to a static explanation.
 */
int region_filter_parse(const char *s, struct region_filter *f,
			const char **why);

/** dev_filter_parse() - as region_filter_parse(), for a device filter. */
int dev_filter_parse(const char *s, struct dev_filter *f, const char **why);

bool region_filter_match(const struct region_filter *f, int region_id);
bool dev_filter_match(const struct dev_filter *f, int region_id, int dev_id);

#endif /* DAXCTL_FILTER_H */
