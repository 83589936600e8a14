// SPDX-License-Identifier: GPL-2.0-only
/* Region and device filters: strict parsing, trivial matching. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "filter.h"

/*
 * A decimal id at *@p: no sign, no leading zeros, at most INT_MAX. Leaves
 * *@why alone when there is no number at all, so that the caller's "what was
 * expected" message stands.
 */
static int parse_id(const char **p, int *id, const char **why)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9') {
		*why = "leading zeros are ambiguous";
		return -EINVAL;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX) {
			*why = "number too large";
			return -ERANGE;
		}
	}
	*id = (int)v;
	*p = s;
	return 0;
}

int region_filter_parse(const char *s, struct region_filter *f,
			const char **why)
{
	int rc;

	f->all = true;
	f->id = -1;
	if (!s || strcmp(s, "all") == 0)
		return 0;
	*why = "expected all, N or regionN";
	if (strncmp(s, "region", 6) == 0)
		s += 6;
	rc = parse_id(&s, &f->id, why);
	if (rc < 0)
		return rc;
	if (*s)
		return -EINVAL;
	f->all = false;
	return 0;
}

int dev_filter_parse(const char *s, struct dev_filter *f, const char **why)
{
	static const char only_dev[] = "only /dev/daxR.N paths are accepted";
	bool path = false;
	int rc;

	f->all = true;
	f->region = f->id = -1;
	if (!s || strcmp(s, "all") == 0)
		return 0;
	*why = "expected all, daxR.N, R.N or /dev/daxR.N";
	if (*s == '\0') {
		*why = "empty device name";
		return -EINVAL;
	}
	if (strncmp(s, "/dev/", 5) == 0) {
		s += 5;
		path = true;
	}
	if (strncmp(s, "dax", 3) == 0) {
		s += 3;
	} else if (path || strchr(s, '/')) {
		*why = only_dev;
		return -EINVAL;
	}
	rc = parse_id(&s, &f->region, why);
	if (rc < 0)
		return rc;
	if (*s++ != '.')
		return -EINVAL;
	rc = parse_id(&s, &f->id, why);
	if (rc < 0)
		return rc;
	if (*s) {
		if (strchr(s, '/'))
			*why = only_dev;
		return -EINVAL;
	}
	f->all = false;
	return 0;
}

bool region_filter_match(const struct region_filter *f, int region_id)
{
	return f->all || f->id == region_id;
}

bool dev_filter_match(const struct dev_filter *f, int region_id, int dev_id)
{
	return f->all || (f->region == region_id && f->id == dev_id);
}
