/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef DAXCTL_SIZE_H
#define DAXCTL_SIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * parse_size() - parse a size argument (-s, -a).
 *
 * Accepts a decimal number, or hex with a 0x prefix, optionally followed by
 * one of k, m, g, t (either case) to multiply by 1024^1..4. Rejects empty
 * strings, signs, blanks, any other trailing text, and a leading zero
 * followed by more digits: upstream read that as octal, the kernel does too,
 * and users rarely mean it, so "010" is refused rather than guessed.
 *
 * Return: 0 and *@size; -EINVAL for malformed input, -ERANGE when the value
 * does not fit in 64 bits. On error *@why (if not NULL) is set to a static
 * explanation.
 */
int parse_size(const char *s, uint64_t *size, const char **why);

/**
 * parse_number() - parse a plain number: decimal, or hex with a 0x prefix,
 * with the same rules as parse_size() but no suffix. For counts and for
 * addresses read from files.
 *
 * Return: as parse_size().
 */
int parse_number(const char *s, uint64_t *value, const char **why);

/**
 * format_size() - the shortest exact form parse_size() reads back: "2M",
 * "1G", "3T", "4097". For messages, so that users can paste the value.
 * Return: @buf.
 */
const char *format_size(uint64_t v, char *buf, size_t size);

/**
 * format_aligns() - the @n aligns @v as the -a option spells them:
 * "4k, 2m or 1g". Return: @buf.
 */
const char *format_aligns(const uint64_t *v, unsigned int n, char *buf,
			  size_t size);

/**
 * parse_colors() - a colour request: "K/N" or "K-K2/N" (decimal), colours
 * K..K2 of N, as --color and layout files write it.
 * Return: 0 and *@first, *@last, *@n; -EINVAL (K > K2, K2 >= N, N = 0,
 * or malformed) with *@why (if not NULL) a static explanation.
 */
int parse_colors(const char *s, unsigned int *first, unsigned int *last,
		 unsigned int *n, const char **why);

/** parse_uint() - a decimal unsigned int, digits only. */
bool parse_uint(const char *s, unsigned int *v);

#endif /* DAXCTL_SIZE_H */
