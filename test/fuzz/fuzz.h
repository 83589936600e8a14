/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the fuzz targets: the entry point and invariant checks. */
#ifndef DAX_FUZZ_H
#define DAX_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant: report it and abort, which both drivers treat as a crash. */
#define FUZZ_ASSERT(cond)                                                \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/* The input as a C string (cut at the first NUL, as argv would be). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif /* DAX_FUZZ_H */
