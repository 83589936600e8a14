// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: the device and region name parsers (daxctl/filter.c), which
 * read every device argument (daxR.N, R.N, /dev/daxR.N, all) and -r.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "fuzz.h"

static void check_dev(const char *s)
{
	struct dev_filter f, g;
	const char *why = NULL;
	char buf[64];
	size_t i;
	int rc = dev_filter_parse(s, &f, &why);

	if (rc != 0) {
		FUZZ_ASSERT(rc == -EINVAL || rc == -ERANGE);
		FUZZ_ASSERT(why && *why);
		return;
	}
	if (f.all) {
		FUZZ_ASSERT(strcmp(s, "all") == 0);
		return;
	}
	FUZZ_ASSERT(f.region >= 0 && f.id >= 0);
	/* Every spelling of the same device parses to it, and only it. */
	for (i = 0; i < 3; i++) {
		if (i == 0)
			snprintf(buf, sizeof(buf), "dax%d.%d", f.region, f.id);
		else if (i == 1)
			snprintf(buf, sizeof(buf), "%d.%d", f.region, f.id);
		else
			snprintf(buf, sizeof(buf), "/dev/dax%d.%d", f.region,
				 f.id);
		FUZZ_ASSERT(dev_filter_parse(buf, &g, &why) == 0);
		FUZZ_ASSERT(!g.all && g.region == f.region && g.id == f.id);
	}
	FUZZ_ASSERT(dev_filter_match(&f, f.region, f.id));
	if (f.id < INT_MAX)
		FUZZ_ASSERT(!dev_filter_match(&f, f.region, f.id + 1));
	/* The accepted text is one of the canonical spellings. */
	FUZZ_ASSERT(strchr(s, ' ') == NULL && strstr(s, "..") == NULL);
}

static void check_region(const char *s)
{
	struct region_filter f, g;
	const char *why = NULL;
	char buf[32];
	int rc = region_filter_parse(s, &f, &why);

	if (rc != 0) {
		FUZZ_ASSERT(rc == -EINVAL || rc == -ERANGE);
		FUZZ_ASSERT(why && *why);
		return;
	}
	if (f.all)
		return;
	FUZZ_ASSERT(f.id >= 0);
	snprintf(buf, sizeof(buf), "region%d", f.id);
	FUZZ_ASSERT(region_filter_parse(buf, &g, &why) == 0 && g.id == f.id);
	snprintf(buf, sizeof(buf), "%d", f.id);
	FUZZ_ASSERT(strcmp(buf, s) == 0 ||
		    (strncmp(s, "region", 6) == 0 && strcmp(s + 6, buf) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	if (!s)
		return 0;
	check_dev(s);
	check_region(s);
	free(s);
	return 0;
}
