/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * JSON value helpers and the list printer. Output goes through json-c's
 * JSON_C_TO_STRING_PRETTY serialiser, as upstream daxctl's does, so the bytes
 * match: two-space indent, no space after ':', and '/' escaped as "\/".
 */
#ifndef DAXCTL_JSON_H
#define DAXCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>

/* Sizes below this stay plain integers even in human mode. */
#define HUMAN_SIZE_MIN (5000ULL * 1024)

/**
 * format_human_size() - "%d.%02d MiB (%d.%02d MB)" and the GiB/GB, TiB/TB
 * forms, with two decimals rounded half up in integer arithmetic.
 * Return: the snprintf() result.
 */
int format_human_size(uint64_t bytes, char *buf, size_t size);

/** format_hex() - "%#llx": "0x..." in lower case, but "0" for zero. */
int format_hex(uint64_t v, char *buf, size_t size);

/*
 * Constructors; each returns a new object or NULL (out of memory).
 * json_size() gives a human string for large values when @human is set,
 * json_hex() a hex string when @human is set; otherwise both give a u64.
 */
json_object *json_size(uint64_t bytes, bool human);
json_object *json_hex(uint64_t v, bool human);
json_object *json_u64(uint64_t v);
json_object *json_int(int64_t v);

/**
 * json_add() - add @val under @key to @obj; takes ownership of @val.
 * Return: 0, or -ENOMEM (also when @val is NULL, so constructors can be
 * passed directly).
 */
int json_add(json_object *obj, const char *key, json_object *val);

/**
 * json_print_list() - print a list of results to @f, upstream's way: nothing
 * for an empty list; in human mode a single element on its own; otherwise
 * the whole array. A newline follows the document.
 * Return: 0, or -EIO if writing failed.
 */
int json_print_list(FILE *f, json_object *array, bool human);

#endif /* DAXCTL_JSON_H */
