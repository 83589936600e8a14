// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Strict size parsing for size and align arguments and layout files:
 * shared by daxctl and libdax (compiled into each, exported by neither),
 * so the two read sizes the same way.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/size.h"

static int digit_value(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < (int)base ? v : -1;
}

static int fail(const char **why, const char *msg, int rc)
{
	if (why)
		*why = msg;
	return rc;
}

/* A number in decimal or 0x hex; @suffix allows one of k, m, g, t after it. */
static int parse(const char *s, uint64_t *size, const char **why, bool suffix)
{
	unsigned int base = 10, shift = 0;
	uint64_t v = 0;
	const char *p = s;
	bool digits = false;
	int d;

	if (!s || !*s)
		return fail(why, "empty size", -EINVAL);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && digit_value(p[1], 10) >= 0) {
		return fail(why, "leading zeros are ambiguous", -EINVAL);
	}
	/* Check digits by hand: strtoull would accept signs and blanks. */
	for (; (d = digit_value(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return fail(why, "size too large", -ERANGE);
		v = v * base + (uint64_t)d;
		digits = true;
	}
	if (!digits)
		return fail(why, "not a number", -EINVAL);
	if (!suffix) {
		if (*p)
			return fail(why, "trailing characters after the number",
				    -EINVAL);
		*size = v;
		return 0;
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		return fail(why, "invalid suffix (expected k, m, g or t)",
			    -EINVAL);
	}
	if (*p && p[1])
		return fail(why, "invalid suffix (expected k, m, g or t)",
			    -EINVAL);
	if (shift && v > UINT64_MAX >> shift)
		return fail(why, "size too large", -ERANGE);
	*size = v << shift;
	return 0;
}

int parse_size(const char *s, uint64_t *size, const char **why)
{
	return parse(s, size, why, true);
}

int parse_number(const char *s, uint64_t *value, const char **why)
{
	if (!s || !*s)
		return fail(why, "empty number", -EINVAL);
	return parse(s, value, why, false);
}

const char *format_size(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	unsigned int i = 0;

	while (v && i < sizeof(units) - 1 && v % 1024 == 0) {
		v /= 1024;
		i++;
	}
	if (i)
		snprintf(buf, size, "%llu%c", (unsigned long long)v,
			 units[i - 1]);
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

const char *format_aligns(const uint64_t *v, unsigned int n, char *buf,
			  size_t size)
{
	char one[32], *c;
	size_t len = 0;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		format_size(v[i], one, sizeof(one));
		for (c = one; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i == 0	     ? ""
					: i + 1 == n ? " or "
						     : ", ",
					one);
	}
	return buf;
}

/* A decimal unsigned int at *@p (digits only); *@p moves past it. */
static bool take_uint(const char **p, unsigned int *v)
{
	unsigned long n;
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	n = strtoul(*p, &end, 10);
	if (errno || n > UINT_MAX)
		return false;
	*v = (unsigned int)n;
	*p = end;
	return true;
}

int parse_colors(const char *s, unsigned int *first, unsigned int *last,
		 unsigned int *n, const char **why)
{
	const char *p = s;
	bool ok;

	if (!s)
		return fail(why, "empty colour", -EINVAL);
	ok = take_uint(&p, first);
	*last = *first;
	if (ok && *p == '-') {
		p++;
		ok = take_uint(&p, last);
	}
	ok = ok && *p++ == '/' && take_uint(&p, n) && *p == '\0';
	if (!ok)
		return fail(why, "use K/N or K-K2/N (for example 0/4 or 0-1/4)",
			    -EINVAL);
	if (*n == 0 || *first > *last || *last >= *n)
		return fail(why, "need K <= K2 < N", -EINVAL);
	return 0;
}

bool parse_uint(const char *s, unsigned int *v)
{
	return take_uint(&s, v) && *s == '\0';
}
