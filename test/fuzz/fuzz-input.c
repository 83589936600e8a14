// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: input_parse() (daxctl/input.c), the reader of
 * create-device --input files. Besides crashes and sanitizer reports, a
 * plan it accepts must satisfy the rules input.h promises.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "input.h"

/* The system the documents are parsed for: x86-64. */
static const struct input_system x86 = {
	.page_size = 4096,
	.unit = 2ULL << 20,
	.aligns = {4096, 2ULL << 20, 1ULL << 30},
	.naligns = 3,
};

static void check_plan(const struct input_plan *plan)
{
	size_t i, k;
	unsigned int r, q;

	FUZZ_ASSERT(plan->nr > 0 && plan->devs);
	for (i = 0; i < plan->nr; i++) {
		const struct input_dev *d = &plan->devs[i];
		uint64_t granule = d->align > x86.unit ? d->align : x86.unit;
		uint64_t total = 0;

		FUZZ_ASSERT(d->region >= 0);
		FUZZ_ASSERT(strncmp(d->chardev, "dax", 3) == 0);
		FUZZ_ASSERT(d->size > 0 && d->size % granule == 0);
		FUZZ_ASSERT(d->align == 0 || d->align == 4096 ||
			    d->align == 2ULL << 20 || d->align == 1ULL << 30);
		FUZZ_ASSERT((d->nr_ranges == 0) == (d->ranges == NULL));
		for (r = 0; r < d->nr_ranges; r++) {
			const struct input_range *a = &d->ranges[r];

			FUZZ_ASSERT(a->start <= a->end);
			FUZZ_ASSERT(a->start % granule == 0);
			FUZZ_ASSERT((a->end - a->start + 1) % granule == 0);
			total += a->end - a->start + 1;
		}
		FUZZ_ASSERT(d->nr_ranges == 0 || total == d->size);
		/* No two ranges of the plan overlap; no device twice. */
		for (k = i; k < plan->nr; k++) {
			const struct input_dev *e = &plan->devs[k];

			if (k != i)
				FUZZ_ASSERT(strcmp(d->chardev, e->chardev) !=
					    0);
			for (r = 0; r < d->nr_ranges; r++)
				for (q = k == i ? r + 1 : 0; q < e->nr_ranges;
				     q++)
					FUZZ_ASSERT(
						d->ranges[r].end <
							e->ranges[q].start ||
						e->ranges[q].end <
							d->ranges[r].start);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_plan plan;
	char msg[256];
	int rc;

	/* Keep the quadratic checks above cheap. */
	if (size > 65536)
		return 0;
	rc = input_parse((const char *)data, size, &x86, &plan, msg,
			 sizeof(msg));
	if (rc == 0) {
		check_plan(&plan);
		input_plan_free(&plan);
		return 0;
	}
	FUZZ_ASSERT(rc == -EINVAL || rc == -EOPNOTSUPP || rc == -ENOMEM);
	FUZZ_ASSERT(msg[0] != '\0' && strlen(msg) < sizeof(msg));
	FUZZ_ASSERT(plan.devs == NULL && plan.nr == 0);
	return 0;
}
