/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny assertion helper: checks count failures and keep going, so that one
 * run reports every broken case. main() returns check_exit().
 */
#ifndef CHECK_H
#define CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned int check_failed, check_passed;

#define check_report(ok, ...)                                              \
	do {                                                               \
		if (ok) {                                                  \
			check_passed++;                                    \
		} else {                                                   \
			check_failed++;                                    \
			fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, \
				__func__);                                 \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

#define CHECK(cond) check_report((cond), "failed: %s", #cond)

#define CHECK_INT(a, b)                                                       \
	do {                                                                  \
		long long a_ = (long long)(a), b_ = (long long)(b);           \
		check_report(a_ == b_, "%s == %lld, expected %s == %lld", #a, \
			     a_, #b, b_);                                     \
	} while (0)

#define CHECK_U64(a, b)                                                        \
	do {                                                                   \
		uint64_t a_ = (a), b_ = (b);                                   \
		check_report(a_ == b_,                                         \
			     "%s == %#" PRIx64 ", expected %#" PRIx64, #a, a_, \
			     b_);                                              \
	} while (0)

#define CHECK_STR(a, b)                                               \
	do {                                                          \
		const char *a_ = (a), *b_ = (b);                      \
		check_report(a_ &&b_ &&strcmp(a_, b_) == 0,           \
			     "%s == \"%s\", expected \"%s\"", #a,     \
			     a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

#define CHECK_NULL_ERRNO(expr, e)                                            \
	do {                                                                 \
		const void *p_;                                              \
		errno = 12345;                                               \
		p_ = (expr);                                                 \
		check_report(p_ == NULL && errno == (e),                     \
			     "%s: %p errno %d (%s), expected NULL errno %d", \
			     #expr, p_, errno, strerror(errno), (e));        \
	} while (0)

static inline int check_exit(void)
{
	printf("%u passed, %u failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif /* CHECK_H */
