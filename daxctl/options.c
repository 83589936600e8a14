// SPDX-License-Identifier: GPL-2.0-only
/* Command-line option parser; see options.h for the accepted syntax. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

/* Column at which option help texts start in the usage. */
#define HELP_COLUMN 30

struct match {
	const struct option_desc *opt;
	bool negate;
};

static void *field(void *base, const struct option_desc *o)
{
	return (char *)base + o->offset;
}

static bool negatable(const struct option_desc *o)
{
	return o->type == OPTION_BOOL || o->type == OPTION_COUNT;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The spelling of a match as the user would write it in full. */
static void print_match(FILE *err, const struct match *m)
{
	const char *name = m->opt->long_name;

	if (!m->negate)
		fprintf(err, "--%s", name);
	else if (starts_with(name, "no-"))
		fprintf(err, "--%s", name + 3);
	else
		fprintf(err, "--no-%s", name);
}

static bool same(const struct match *a, const struct match *b)
{
	return a->opt == b->opt && a->negate == b->negate;
}

/*
 * Find the option that the long word @name (without "--" and "=value") means.
 * An exact spelling wins; otherwise a unique prefix of one spelling does.
 */
static int find_long(const struct option_desc *opts, const char *name,
		     size_t len, struct match *out, FILE *err)
{
	struct match found[2];
	int nfound = 0;
	const struct option_desc *o;
	bool no = len >= 3 && strncmp(name, "no-", 3) == 0;

	for (o = opts; o->type != OPTION_END; o++) {
		const char *l = o->long_name;
		struct match exact = {NULL, false};

		if (!l)
			continue;
		if (strlen(l) == len && strncmp(l, name, len) == 0)
			exact = (struct match){o, false};
		else if (no && negatable(o) && strlen(l) == len - 3 &&
			 strncmp(l, name + 3, len - 3) == 0)
			exact = (struct match){o, true};
		else if (o->type == OPTION_BOOL && starts_with(l, "no-") &&
			 strlen(l + 3) == len && strncmp(l + 3, name, len) == 0)
			exact = (struct match){o, true};
		if (exact.opt) {
			*out = exact;
			return 0;
		}
	}

	for (o = opts; o->type != OPTION_END; o++) {
		const char *l = o->long_name;
		struct match m = {NULL, false};

		if (!l)
			continue;
		if (strncmp(l, name, len) == 0)
			m = (struct match){o, false};
		else if (no && negatable(o) && !starts_with(l, "no-") &&
			 strncmp(l, name + 3, len - 3) == 0)
			m = (struct match){o, true};
		else if (o->type == OPTION_BOOL && starts_with(l, "no-") &&
			 strncmp(l + 3, name, len) == 0)
			m = (struct match){o, true};
		if (!m.opt || (nfound && same(&found[0], &m)))
			continue;
		if (nfound == 1) {
			fprintf(err,
				" Error: ambiguous option: --%.*s (could be ",
				(int)len, name);
			print_match(err, &found[0]);
			fputs(" or ", err);
			print_match(err, &m);
			fputs(")\n", err);
			return OPTIONS_ERROR;
		}
		found[nfound++] = m;
	}
	if (!nfound) {
		fprintf(err, " Error: unknown option `%.*s'\n", (int)len, name);
		return OPTIONS_ERROR;
	}
	*out = found[0];
	return 0;
}

/* Display name of an option in messages: its long name, else its letter. */
static void opt_name(char *buf, size_t size, const struct option_desc *o)
{
	if (o->long_name)
		snprintf(buf, size, "%s", o->long_name);
	else
		snprintf(buf, size, "%c", o->short_name);
}

/* Store a value-less use of @o (already checked to be BOOL or COUNT). */
static void set_flag(void *base, const struct option_desc *o, bool negate)
{
	if (o->type == OPTION_BOOL)
		*(bool *)field(base, o) = !negate;
	else if (negate)
		*(int *)field(base, o) = 0;
	else
		(*(int *)field(base, o))++;
}

static int set_value(void *base, const struct option_desc *o, const char *val,
		     FILE *err)
{
	char name[64];
	char *end;
	long v;

	if (o->type == OPTION_STRING) {
		*(const char **)field(base, o) = val;
		return 0;
	}
	errno = 0;
	v = strtol(val, &end, 10);
	if (!*val || *end || errno || v < INT_MIN || v > INT_MAX) {
		opt_name(name, sizeof(name), o);
		fprintf(err, " Error: option `%s' expects a numerical value\n",
			name);
		return OPTIONS_ERROR;
	}
	*(int *)field(base, o) = (int)v;
	return 0;
}

/* Parse argv[*i], a "--name[=value]" word; may consume argv[*i + 1]. */
static int parse_long(int argc, const char **argv, int *i,
		      const struct option_desc *opts, void *base, FILE *err)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	struct match m;
	int rc;

	if (!eq && strcmp(name, "help") == 0)
		return OPTIONS_HELP;
	if (!eq && strcmp(name, "list-opts") == 0)
		return OPTIONS_LIST;

	rc = find_long(opts, name, len, &m, err);
	if (rc < 0)
		return rc;
	if (negatable(m.opt)) {
		if (eq) {
			fprintf(err, " Error: option `%s' takes no value\n",
				m.opt->long_name);
			return OPTIONS_ERROR;
		}
		set_flag(base, m.opt, m.negate);
		return 0;
	}
	if (eq)
		return set_value(base, m.opt, eq + 1, err);
	if (*i + 1 >= argc) {
		fprintf(err, " Error: option `%s' requires a value\n",
			m.opt->long_name);
		return OPTIONS_ERROR;
	}
	return set_value(base, m.opt, argv[++*i], err);
}

/* Parse argv[*i], a bundle of short switches; may consume argv[*i + 1]. */
static int parse_short(int argc, const char **argv, int *i,
		       const struct option_desc *opts, void *base, FILE *err)
{
	const char *p;

	for (p = argv[*i] + 1; *p; p++) {
		const struct option_desc *o;

		for (o = opts; o->type != OPTION_END; o++)
			if (o->short_name && o->short_name == *p)
				break;
		if (o->type == OPTION_END) {
			if (*p == 'h')
				return OPTIONS_HELP;
			fprintf(err, " Error: unknown switch `%c'\n", *p);
			return OPTIONS_ERROR;
		}
		if (negatable(o)) {
			set_flag(base, o, false);
			continue;
		}
		if (p[1])
			return set_value(base, o, p + 1, err);
		if (*i + 1 >= argc) {
			fprintf(err, " Error: switch `%c' requires a value\n",
				*p);
			return OPTIONS_ERROR;
		}
		return set_value(base, o, argv[++*i], err);
	}
	return 0;
}

int options_parse(int argc, const char **argv, const struct option_desc *opts,
		  void *base, FILE *err)
{
	static const struct option_desc none[] = {OPT_END()};
	int npos = 0, i, rc;

	if (!opts)
		opts = none;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg[0] != '-' || arg[1] == '\0') {
			argv[npos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			while (++i < argc)
				argv[npos++] = argv[i];
			break;
		}
		if (arg[1] == '-')
			rc = parse_long(argc, argv, &i, opts, base, err);
		else
			rc = parse_short(argc, argv, &i, opts, base, err);
		if (rc < 0)
			return rc;
	}
	if (npos < argc)
		argv[npos] = NULL;
	return npos;
}

void options_usage(FILE *f, const char *usage, const struct option_desc *opts)
{
	const struct option_desc *o;

	fprintf(f, "\n usage: %s\n\n", usage);
	for (o = opts; o && o->type != OPTION_END; o++) {
		int pos = fprintf(f, "    ");

		if (o->short_name)
			pos += fprintf(f, "-%c%s", o->short_name,
				       o->long_name ? ", " : "");
		else
			pos += fprintf(f, "    ");
		if (o->long_name)
			pos += fprintf(f, "--%s", o->long_name);
		if (o->argh)
			pos += fprintf(f, " <%s>", o->argh);
		if (pos + 2 > HELP_COLUMN) {
			fputc('\n', f);
			pos = 0;
		}
		fprintf(f, "%*s%s\n", HELP_COLUMN - pos, "", o->help);
	}
	if (opts && opts->type != OPTION_END)
		fputc('\n', f);
}

void options_list(FILE *f, const struct option_desc *opts)
{
	const struct option_desc *o;

	for (o = opts; o && o->type != OPTION_END; o++)
		if (o->long_name)
			fprintf(f, "--%s ", o->long_name);
	fputc('\n', f);
}

int parse_options(int argc, const char **argv, const struct option_desc *opts,
		  const char *usage, void *base)
{
	int rc = options_parse(argc, argv, opts, base, stderr);

	switch (rc) {
	case OPTIONS_LIST:
		options_list(stdout, opts);
		exit(130);
	case OPTIONS_HELP:
	case OPTIONS_ERROR:
		options_usage(stderr, usage, opts);
		exit(129);
	}
	return rc;
}

int parse_options_max(int argc, const char **argv,
		      const struct option_desc *opts, const char *usage,
		      void *base, int max_args)
{
	int i;

	argc = parse_options(argc, argv, opts, usage, base);
	if (argc <= max_args)
		return argc;
	for (i = max_args; i < argc; i++)
		fprintf(stderr, " Error: unknown parameter \"%s\"\n", argv[i]);
	options_usage(stderr, usage, opts);
	exit(129);
}

void usage_with_error(const char *usage, const struct option_desc *opts,
		      const char *fmt, ...)
{
	va_list ap;

	fputs(" Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	options_usage(stderr, usage, opts);
	exit(129);
}
