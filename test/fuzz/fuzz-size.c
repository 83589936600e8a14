// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: parse_size() and parse_number() (daxctl/size.c), the parsers
 * of -s, -a, --count and of numbers in --input files. Any crash, sanitizer
 * report or broken invariant (abort) is a failure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/size.h"

static void check_one(const char *s, bool suffix)
{
	uint64_t v = 0xdeadbeef, again = 0;
	const char *why = NULL, *why2 = NULL;
	char buf[64];
	int rc = suffix ? parse_size(s, &v, &why) : parse_number(s, &v, &why);

	if (rc != 0) {
		/* Errors: known codes, an explanation, the value untouched. */
		FUZZ_ASSERT(rc == -EINVAL || rc == -ERANGE);
		FUZZ_ASSERT(why && *why);
		FUZZ_ASSERT(v == 0xdeadbeef);
		return;
	}
	/* What format_size() prints, parse_size() reads back exactly. */
	format_size(v, buf, sizeof(buf));
	FUZZ_ASSERT(parse_size(buf, &again, &why2) == 0 && again == v);
	/* Plain decimal input is canonical: no sign, blank or leading 0. */
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	if (s[0] >= '0' && s[0] <= '9' &&
	    (!s[1] || (s[1] != 'x' && s[1] != 'X')) && !strpbrk(s, "kKmMgGtT"))
		FUZZ_ASSERT(strcmp(buf, s) == 0);
	/* A plain number is also a size, with the same value. */
	if (!suffix)
		FUZZ_ASSERT(parse_size(s, &again, &why2) == 0 && again == v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	if (!s)
		return 0;
	check_one(s, true);
	check_one(s, false);
	free(s);
	return 0;
}
