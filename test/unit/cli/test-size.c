// SPDX-License-Identifier: GPL-2.0-only
/* parse_size(): accepted forms, and every kind of rejected input. */
#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "util/size.h"

static void ok(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	const char *why = NULL;
	int rc = parse_size(s, &v, &why);

	if (rc != 0 || v != want) {
		fprintf(stderr,
			"parse_size(\"%s\") = %d (%s), %llu; want %llu\n", s,
			rc, why ? why : "", (unsigned long long)v,
			(unsigned long long)want);
		check_failures++;
	}
}

static void bad(const char *s, int want_rc, const char *want_why)
{
	uint64_t v = 12345;
	const char *why = NULL;
	int rc = parse_size(s, &v, &why);

	if (rc != want_rc || v != 12345 || !why ||
	    (want_why && strcmp(why, want_why) != 0)) {
		fprintf(stderr, "parse_size(\"%s\") = %d (%s); want %d (%s)\n",
			s ? s : "(null)", rc, why ? why : "(null)", want_rc,
			want_why ? want_why : "any");
		check_failures++;
	}
}

int main(void)
{
	ok("0", 0);
	ok("1", 1);
	ok("4096", 4096);
	ok("2m", 2ULL << 20);
	ok("2M", 2ULL << 20);
	ok("1g", 1ULL << 30);
	ok("1G", 1ULL << 30);
	ok("4k", 4096);
	ok("3T", 3ULL << 40);
	ok("0x200000", 0x200000);
	ok("0X1f", 31);
	ok("0xABCdef", 0xabcdef);
	ok("0x10k", 16 * 1024);
	ok("0k", 0);
	ok("0x0", 0);
	ok("18446744073709551615", UINT64_MAX);
	ok("0xffffffffffffffff", UINT64_MAX);
	ok("16777215t", 16777215ULL << 40);

	bad(NULL, -EINVAL, "empty size");
	bad("", -EINVAL, "empty size");
	bad("010", -EINVAL, "leading zeros are ambiguous");
	bad("00", -EINVAL, "leading zeros are ambiguous");
	bad("0010m", -EINVAL, "leading zeros are ambiguous");
	bad("-1", -EINVAL, "not a number");
	bad("+1", -EINVAL, "not a number");
	bad(" 1", -EINVAL, "not a number");
	bad("1 ", -EINVAL, NULL);
	bad("bogus", -EINVAL, "not a number");
	bad("m", -EINVAL, "not a number");
	bad("0x", -EINVAL, "not a number");
	bad("0xg", -EINVAL, "not a number");
	bad("1x", -EINVAL, NULL);
	bad("2mb", -EINVAL, NULL);
	bad("2MiB", -EINVAL, NULL);
	bad("1p", -EINVAL, NULL);
	bad("1.5g", -EINVAL, NULL);
	bad("18446744073709551616", -ERANGE, "size too large");
	bad("0x10000000000000000", -ERANGE, "size too large");
	bad("16777216t", -ERANGE, "size too large");
	bad("18014398509481984k", -ERANGE, "size too large");
	return check_result("test-size");
}
