/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The JSON daxctl prints. Upstream prints through json-c's
 * JSON_C_TO_STRING_PRETTY serialiser; this writer produces the same bytes
 * (two-space indent, no space after ':', '/' escaped as "\/", json-c's other
 * escapes), checked against json-c by test-json. It writes into one buffer as
 * the objects are visited: no tree of json-c objects to build and free for
 * each of a thousand devices. json-c itself is only used to read --input.
 */
#ifndef DAXCTL_JSON_H
#define DAXCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* Containers nest at most this deep (daxctl's deepest: list -RDM, 6). */
#define JW_MAX_DEPTH 8

/*
 * A document being written: always an array of results at the top, as
 * daxctl's output is (json_print_list() may unwrap a single one). An
 * allocation failure or a misuse is remembered and reported by
 * json_print_list(), so the calls below return nothing.
 */
struct jw {
	char *buf;
	size_t len, cap;
	unsigned int depth; /* open containers, the top array included */
	char kind[JW_MAX_DEPTH]; /* '{' or '[' for each open container */
	bool members[JW_MAX_DEPTH]; /* ... and whether it has a member yet */
	size_t items; /* members of the top array */
	int err; /* first error: -ENOMEM, or -EINVAL for a misuse */
};

/** jw_init() - an empty document: the top array opened. */
void jw_init(struct jw *w);

/** jw_release() - free the buffer; @w may be initialised again. */
void jw_release(struct jw *w);

/*
 * Members. @key names the member inside an object and must be NULL inside
 * an array. jw_open() starts an object ('{') or an array ('['), jw_close()
 * ends the innermost one. jw_size() writes a human string for large values
 * when @human is set, jw_hex() a hex string when @human is set; otherwise
 * both write the number.
 */
void jw_open(struct jw *w, const char *key, char bracket);
void jw_close(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *s);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_size(struct jw *w, const char *key, uint64_t bytes, bool human);
void jw_hex(struct jw *w, const char *key, uint64_t v, bool human);

/**
 * json_print_list() - close the top array and print the document to @f,
 * upstream's way: nothing for an empty list; in human mode a single
 * element on its own; otherwise the whole array. A newline follows it.
 * Return: 0; the writer's error (-ENOMEM, or -EINVAL for a misuse); or
 * -EIO if writing failed. A failure is also reported on stderr.
 */
int json_print_list(FILE *f, struct jw *w, bool human);

#endif /* DAXCTL_JSON_H */
