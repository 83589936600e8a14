// SPDX-License-Identifier: GPL-2.0-only
/* Region and device filters: accepted spellings and rejected tricks. */
#include <errno.h>

#include "check.h"
#include "filter.h"

static void region_ok(const char *s, bool all, int id)
{
	struct region_filter f;
	const char *why = NULL;
	int rc = region_filter_parse(s, &f, &why);

	CHECK_INT(rc, 0);
	if (rc == 0 && (f.all != all || (!all && f.id != id))) {
		fprintf(stderr, "region \"%s\": all=%d id=%d\n", s, f.all,
			f.id);
		check_failures++;
	}
}

static void region_bad(const char *s, int want, const char *want_why)
{
	struct region_filter f;
	const char *why = NULL;

	CHECK_INT(region_filter_parse(s, &f, &why), want);
	CHECK_STR(why, want_why);
}

static void dev_ok(const char *s, bool all, int region, int id)
{
	struct dev_filter f;
	const char *why = NULL;
	int rc = dev_filter_parse(s, &f, &why);

	if (rc != 0 || f.all != all ||
	    (!all && (f.region != region || f.id != id))) {
		fprintf(stderr, "dev \"%s\": rc=%d (%s) all=%d %d.%d\n", s, rc,
			why ? why : "", f.all, f.region, f.id);
		check_failures++;
	}
}

static void dev_bad(const char *s, int want, const char *want_why)
{
	struct dev_filter f;
	const char *why = NULL;
	int rc = dev_filter_parse(s, &f, &why);

	if (rc != want || !why || strcmp(why, want_why) != 0) {
		fprintf(stderr, "dev \"%s\": rc=%d (%s), want %d (%s)\n", s, rc,
			why ? why : "(null)", want, want_why);
		check_failures++;
	}
}

int main(void)
{
	static const char expect_region[] = "expected all, N or regionN";
	static const char expect_dev[] =
		"expected all, daxR.N, R.N or /dev/daxR.N";
	static const char only_dev[] = "only /dev/daxR.N paths are accepted";
	static const char zeros[] = "leading zeros are ambiguous";
	struct region_filter rf;
	struct dev_filter df;
	const char *why;

	region_ok(NULL, true, 0);
	region_ok("all", true, 0);
	region_ok("0", false, 0);
	region_ok("12", false, 12);
	region_ok("region3", false, 3);
	region_ok("2147483647", false, 2147483647);
	region_bad("", -EINVAL, expect_region);
	region_bad("region", -EINVAL, expect_region);
	region_bad("-1", -EINVAL, expect_region);
	region_bad("+1", -EINVAL, expect_region);
	region_bad("1x", -EINVAL, expect_region);
	region_bad("region1 ", -EINVAL, expect_region);
	region_bad("hmem.0", -EINVAL, expect_region);
	region_bad("ALL", -EINVAL, expect_region);
	region_bad("01", -EINVAL, zeros);
	region_bad("region00", -EINVAL, zeros);
	region_bad("2147483648", -ERANGE, "number too large");

	dev_ok(NULL, true, 0, 0);
	dev_ok("all", true, 0, 0);
	dev_ok("dax0.1", false, 0, 1);
	dev_ok("0.1", false, 0, 1);
	dev_ok("12.345", false, 12, 345);
	dev_ok("/dev/dax1.0", false, 1, 0);
	dev_ok("dax10.0", false, 10, 0);
	dev_bad("", -EINVAL, "empty device name");
	dev_bad("dax0.", -EINVAL, expect_dev);
	dev_bad("dax0", -EINVAL, expect_dev);
	dev_bad("dax.1", -EINVAL, expect_dev);
	dev_bad("dax", -EINVAL, expect_dev);
	dev_bad("dax-1.0", -EINVAL, expect_dev);
	dev_bad("dax0.-1", -EINVAL, expect_dev);
	dev_bad("dax0.1.2", -EINVAL, expect_dev);
	dev_bad("dax0_1", -EINVAL, expect_dev);
	dev_bad("0", -EINVAL, expect_dev);
	dev_bad("region0", -EINVAL, expect_dev);
	dev_bad("DAX0.1", -EINVAL, expect_dev);
	dev_bad(" dax0.1", -EINVAL, expect_dev);
	dev_bad("dax00.1", -EINVAL, zeros);
	dev_bad("0.01", -EINVAL, zeros);
	dev_bad("dax0.99999999999", -ERANGE, "number too large");
	/* Paths: only the exact /dev/daxR.N form. */
	dev_bad("dax0.1/..", -EINVAL, only_dev);
	dev_bad("../dax0.1", -EINVAL, only_dev);
	dev_bad("./dax0.1", -EINVAL, only_dev);
	dev_bad("/dev/../dev/dax0.1", -EINVAL, only_dev);
	dev_bad("/dev//dax0.1", -EINVAL, only_dev);
	dev_bad("/dev/dax0.1/", -EINVAL, only_dev);
	dev_bad("/dev/0.1", -EINVAL, only_dev);
	dev_bad("/tmp/dax0.1", -EINVAL, only_dev);
	dev_bad("dev/dax0.1", -EINVAL, only_dev);
	dev_bad("/sys/bus/dax/devices/dax0.1", -EINVAL, only_dev);
	dev_bad("/dev/", -EINVAL, only_dev);

	/* Matching. */
	region_filter_parse("region2", &rf, &why);
	CHECK(region_filter_match(&rf, 2));
	CHECK(!region_filter_match(&rf, 0));
	region_filter_parse(NULL, &rf, &why);
	CHECK(region_filter_match(&rf, 7));
	dev_filter_parse("1.2", &df, &why);
	CHECK(dev_filter_match(&df, 1, 2));
	CHECK(!dev_filter_match(&df, 2, 1));
	CHECK(!dev_filter_match(&df, 1, 0));
	dev_filter_parse("all", &df, &why);
	CHECK(dev_filter_match(&df, 5, 9));
	return check_result("test-filter");
}
