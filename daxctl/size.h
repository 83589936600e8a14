/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DAXCTL_SIZE_H
#define DAXCTL_SIZE_H

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

#endif /* DAXCTL_SIZE_H */
