/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A git-style command-line option parser. Each command describes its options
 * in a table whose entries point (by offset) into the command's own option
 * struct, so that no option value lives in a global.
 *
 * Accepted forms: bundled short switches (-RDu), attached or separate short
 * values (-r0, -r 0), --long=value, --long value, unique prefixes of long
 * names (--reg), --no-X for any boolean, and the bare form X for a boolean
 * whose own name is "no-X". "--" ends the options; "--help" and -h ask for
 * the usage, "--list-opts" for the list of long names. Non-option words are
 * gathered, in order, at the front of argv.
 */
#ifndef DAXCTL_OPTIONS_H
#define DAXCTL_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

enum option_type {
	OPTION_END = 0,
	OPTION_BOOL, /* bool field; --no-X clears it */
	OPTION_STRING, /* const char * field, points into argv */
	OPTION_INT, /* int field, decimal value, may be negative */
	OPTION_COUNT, /* int field, +1 per use (-vv); --no-X resets to 0 */
};

struct option_desc {
	char short_name; /* 0 for none */
	const char *long_name; /* NULL for none */
	enum option_type type;
	size_t offset; /* of the field in the command's option struct */
	const char *argh; /* value placeholder shown in the usage */
	const char *help;
};

#define OPT_BOOL(s, l, type, field, h)                                  \
	{                                                               \
		(s), (l), OPTION_BOOL, offsetof(type, field), NULL, (h) \
	}
#define OPT_STRING(s, l, type, field, a, h)                              \
	{                                                                \
		(s), (l), OPTION_STRING, offsetof(type, field), (a), (h) \
	}
#define OPT_INT(s, l, type, field, a, h)                              \
	{                                                             \
		(s), (l), OPTION_INT, offsetof(type, field), (a), (h) \
	}
#define OPT_COUNT(s, l, type, field, h)                                  \
	{                                                                \
		(s), (l), OPTION_COUNT, offsetof(type, field), NULL, (h) \
	}
#define OPT_END()                                  \
	{                                          \
		0, NULL, OPTION_END, 0, NULL, NULL \
	}

/* Rows the device commands share, with one text everywhere. */
#define OPT_REGION(type, field) \
	OPT_STRING('r', "region", type, field, "region-id", "filter by region")
#define OPT_HUMAN(type, field) \
	OPT_BOOL('u', "human", type, field, "use human-friendly number formats")
/* For the commands that accept -u (as upstream) but print no JSON. */
#define OPT_HUMAN_NO_JSON(type, field)                         \
	OPT_BOOL('u', "human", type, field,                    \
		 "use human-friendly number formats (no JSON " \
		 "is printed)")
#define OPT_VERBOSE(type, field) \
	OPT_BOOL('v', "verbose", type, field, "emit more debug messages")

/* Non-negative results of options_parse() are the number of positionals. */
enum {
	OPTIONS_HELP = -1, /* -h or --help was given */
	OPTIONS_LIST = -2, /* --list-opts was given */
	OPTIONS_ERROR = -3, /* a message was written to the error stream */
};

/**
 * options_parse() - parse argv[1..argc-1] against @opts into @base.
 *
 * argv[0] is the command name and is skipped. Positionals are moved to
 * argv[0..n-1] in their original order. Errors are written to @err as
 * " Error: ..." lines.
 *
 * Return: the number of positionals, or one of the OPTIONS_* codes.
 */
int options_parse(int argc, const char **argv, const struct option_desc *opts,
		  void *base, FILE *err);

/** options_usage() - " usage: <usage>" followed by the option table. */
void options_usage(FILE *f, const char *usage, const struct option_desc *opts);

/** options_list() - every long name as "--name ", then a newline. */
void options_list(FILE *f, const struct option_desc *opts);

/**
 * parse_options() - options_parse() for commands: exits 129 after printing
 * the usage to stderr on -h or an error, and exits 130 after printing the
 * list of long options to stdout for --list-opts.
 *
 * Return: the number of positionals.
 */
int parse_options(int argc, const char **argv, const struct option_desc *opts,
		  const char *usage, void *base);

/**
 * parse_options_max() - parse_options() for a command that takes at most
 * @max_args positionals: each one beyond is reported as an unknown
 * parameter, then the usage is printed to stderr and it exits 129.
 *
 * Return: the number of positionals (at most @max_args).
 */
int parse_options_max(int argc, const char **argv,
		      const struct option_desc *opts, const char *usage,
		      void *base, int max_args);

/**
 * usage_with_error() - print " Error: <msg>" and the usage to stderr, then
 * exit 129. For command-level usage errors found after parsing.
 */
__attribute__((noreturn, format(printf, 3, 4))) void
usage_with_error(const char *usage, const struct option_desc *opts,
		 const char *fmt, ...);

#endif /* DAXCTL_OPTIONS_H */
