/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parser of "create-device --input FILE": JSON text in, a validated list
 * of devices to create out. Pure (no libdax, no sysfs), so that it can be
 * unit-tested and fuzzed; what depends on the machine (regions, capacity,
 * ranges in use) is checked by the caller.
 *
 * Accepted documents:
 *  - one device object, as "daxctl list -M -d daxR.N" prints it under -u;
 *  - an array of device objects ("daxctl list -M");
 *  - a region object or an array of region objects with their "devices"
 *    ("daxctl list -RDM", with or without -u, -i).
 *
 * Device keys used: "chardev" (required, "daxR.N": gives the region; the
 * kernel picks the new name), "size", "align", "mappings", "mode", "state".
 * Other keys are ignored. Numbers are JSON integers or strings: addresses
 * "0x..." (or decimal), sizes and aligns anything -s/-a accept ("1g"), or
 * the rounded "2.00 GiB (2.15 GB)" form of -u, which is only accepted where
 * it can be checked exactly: a size that the mappings add up to, or the one
 * align (1 GiB) that -u prints that way.
 *
 * Rules, all checked before returning:
 *  - a region object's "id" and a device's "chardev" must agree;
 *  - a chardev appears at most once;
 *  - mappings are taken in page_offset order; the page_offsets must be
 *    consecutive (each the sum of the previous lengths, in pages), as the
 *    kernel makes them;
 *  - every range is start <= end, starts and lengths are multiples of
 *    max(align, 2 MiB), no two ranges of the file overlap;
 *  - the mappings' total must equal "size" when both are given;
 *  - mode "system-ram" is refused (devdax only, for now); "state":
 *    "disabled" creates the device without enabling it;
 *  - a device of size 0 without mappings (an idle device, "list -i") is
 *    skipped; a document without any device to create is an error.
 */
#ifndef DAXCTL_INPUT_H
#define DAXCTL_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A physical range, end inclusive (as struct dax_range). */
struct input_range {
	uint64_t start;
	uint64_t end;
};

struct input_dev {
	char chardev[32]; /* as in the file, for messages: "dax0.1" */
	int region; /* region id */
	uint64_t size; /* bytes; equals the ranges' total if any */
	uint64_t align; /* 0: not given (the kernel's default) */
	bool disabled; /* "state": "disabled" */
	struct input_range *ranges; /* in page_offset order, or NULL */
	unsigned int nr_ranges;
};

struct input_plan {
	struct input_dev *devs;
	size_t nr;
};

/* Files larger than this are refused before parsing. */
#define INPUT_MAX_BYTES (16UL << 20)

/* What the system accepts (libdax's dax_ctx_get_*()); x86-64 in brackets. */
struct input_system {
	uint64_t page_size; /* the unit of "page_offset" [4096] */
	uint64_t unit; /* granule of align 0: the least for sizes [2M] */
	uint64_t aligns[3]; /* the device aligns [4096, 2M, 1G] */
	unsigned int naligns;
};

/**
 * input_parse() - parse and validate @len bytes of JSON at @text.
 * @sys: page size, unit and aligns of the system the devices are for.
 * @plan: filled on success; free it with input_plan_free().
 * @msg: on error, a one-line explanation ("dax0.1: mapping 2: ...").
 *
 * Return: 0; -EINVAL with @msg for a malformed or inconsistent document;
 * -EOPNOTSUPP with @msg for a system-ram device; -ENOMEM.
 */
int input_parse(const char *text, size_t len, const struct input_system *sys,
		struct input_plan *plan, char *msg, size_t msglen);

/** input_plan_free() - free what input_parse() allocated; @plan is reset. */
void input_plan_free(struct input_plan *plan);

#endif /* DAXCTL_INPUT_H */
