// SPDX-License-Identifier: GPL-2.0-only
/* The option parser: every accepted form, negation, prefixes, errors. */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "options.h"

struct opts {
	const char *region;
	const char *dev;
	bool regions;
	bool devices;
	bool human;
	bool mappings;
	bool no_movable;
	bool no_online;
	const char *mode;
	int verbose;
	int count;
};

static const struct option_desc table[] = {
	OPT_STRING('r', "region", struct opts, region, "region-id", "region"),
	OPT_STRING('d', "dev", struct opts, dev, "dev-id", "device"),
	OPT_BOOL('R', "regions", struct opts, regions, "regions"),
	OPT_BOOL('D', "devices", struct opts, devices, "devices"),
	OPT_BOOL('u', "human", struct opts, human, "human"),
	OPT_BOOL('M', "mappings", struct opts, mappings, "mappings"),
	OPT_BOOL(0, "no-movable", struct opts, no_movable, "no movable"),
	OPT_BOOL('N', "no-online", struct opts, no_online, "no online"),
	OPT_STRING('m', "mode", struct opts, mode, "mode", "mode"),
	OPT_COUNT('v', "verbose", struct opts, verbose, "verbose"),
	OPT_INT('c', "count", struct opts, count, "n", "count"),
	OPT_END(),
};

/* Parse a NULL-terminated word list (argv[0] is the command) into @o. */
static int run(struct opts *o, char **err, const char **words)
{
	static const char *argv[32];
	size_t len = 0;
	FILE *f = open_memstream(err, &len);
	int argc = 0, rc;

	memset(o, 0, sizeof(*o));
	argv[argc++] = "cmd";
	while (*words)
		argv[argc++] = *words++;
	argv[argc] = NULL;
	rc = options_parse(argc, argv, table, o, f);
	fclose(f);
	return rc;
}

#define PARSE(o, err, ...) run(o, err, (const char *[]){__VA_ARGS__, NULL})

int main(void)
{
	struct opts o;
	char *err;
	int rc;

	/* Bundled switches and an attached value at the end of a bundle. */
	rc = PARSE(&o, &err, "-RDu");
	CHECK_INT(rc, 0);
	CHECK(o.regions && o.devices && o.human && !o.mappings);
	free(err);
	rc = PARSE(&o, &err, "-uRr0");
	CHECK_INT(rc, 0);
	CHECK(o.human && o.regions);
	CHECK_STR(o.region, "0");
	free(err);

	/* Every way to give a value. */
	rc = PARSE(&o, &err, "-r0", "-d", "dax0.1", "--mode=devdax");
	CHECK_INT(rc, 0);
	CHECK_STR(o.region, "0");
	CHECK_STR(o.dev, "dax0.1");
	CHECK_STR(o.mode, "devdax");
	free(err);
	rc = PARSE(&o, &err, "--region", "region1", "--dev=1.0", "-m",
		   "system-ram");
	CHECK_INT(rc, 0);
	CHECK_STR(o.region, "region1");
	CHECK_STR(o.dev, "1.0");
	CHECK_STR(o.mode, "system-ram");
	free(err);
	/* A value may start with '-' and be empty; the last use wins. */
	rc = PARSE(&o, &err, "-r", "-D", "--dev=", "--dev=x", "-r", "2");
	CHECK_INT(rc, 0);
	CHECK_STR(o.region, "2");
	CHECK_STR(o.dev, "x");
	CHECK(!o.devices);
	free(err);

	/* Unique prefixes; an exact name beats a longer one. */
	rc = PARSE(&o, &err, "--dev", "3", "--hum", "--map");
	CHECK_INT(rc, 0);
	CHECK_STR(o.dev, "3");
	CHECK(o.human && o.mappings);
	free(err);
	/* As in git, --reg is ambiguous between --region and --regions. */
	rc = PARSE(&o, &err, "--reg", "3");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: ambiguous option: --reg (could be --region "
		       "or --regions)\n");
	free(err);
	rc = PARSE(&o, &err, "--region=4", "--regions");
	CHECK_INT(rc, 0);
	CHECK_STR(o.region, "4");
	CHECK(o.regions);
	free(err);
	rc = PARSE(&o, &err, "--de", "x");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK(strstr(err, "ambiguous option: --de (could be --dev or "
			  "--devices)") != NULL);
	free(err);
	/* "--m" could be --mappings, --mode or --movable (from no-movable). */
	rc = PARSE(&o, &err, "--m");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK(strstr(err, "ambiguous option: --m ") != NULL);
	free(err);
	rc = PARSE(&o, &err, "--mov");
	CHECK_INT(rc, 0);
	CHECK(!o.no_movable);
	free(err);

	/* Negation: --no-X for booleans, the bare form for "no-X" names. */
	rc = PARSE(&o, &err, "-u", "--no-human", "--no-movable", "-N");
	CHECK_INT(rc, 0);
	CHECK(!o.human && o.no_movable && o.no_online);
	free(err);
	rc = PARSE(&o, &err, "--no-movable", "--movable", "-N", "--online");
	CHECK_INT(rc, 0);
	CHECK(!o.no_movable && !o.no_online);
	free(err);
	rc = PARSE(&o, &err, "--no-hum", "--no-mov");
	CHECK_INT(rc, 0);
	CHECK(o.no_movable);
	free(err);
	/* --no-region abbreviates --no-regions; strings cannot be negated. */
	rc = PARSE(&o, &err, "-R", "--no-region");
	CHECK_INT(rc, 0);
	CHECK(!o.regions);
	free(err);
	rc = PARSE(&o, &err, "--no-mode");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: unknown option `no-mode'\n");
	free(err);

	/* Counted and integer options. */
	rc = PARSE(&o, &err, "-vv", "--verbose", "-c", "-3");
	CHECK_INT(rc, 0);
	CHECK_INT(o.verbose, 3);
	CHECK_INT(o.count, -3);
	free(err);
	rc = PARSE(&o, &err, "-vvv", "--no-verbose", "--count=7");
	CHECK_INT(rc, 0);
	CHECK_INT(o.verbose, 0);
	CHECK_INT(o.count, 7);
	free(err);
	rc = PARSE(&o, &err, "--count=7x");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: option `count' expects a numerical value\n");
	free(err);
	rc = PARSE(&o, &err, "-c99999999999");
	CHECK_INT(rc, OPTIONS_ERROR);
	free(err);

	/* Positionals keep their order; "--" ends the options; "-" is one. */
	{
		const char *argv[] = {"cmd", "a",  "-u", "b",
				      "--",  "-R", "-",	 NULL};
		FILE *f = open_memstream(&err, &(size_t){0});

		memset(&o, 0, sizeof(o));
		rc = options_parse(7, argv, table, &o, f);
		fclose(f);
		CHECK_INT(rc, 4);
		CHECK_STR(argv[0], "a");
		CHECK_STR(argv[1], "b");
		CHECK_STR(argv[2], "-R");
		CHECK_STR(argv[3], "-");
		CHECK(argv[4] == NULL);
		CHECK(o.human && !o.regions);
		free(err);
	}

	/* Errors, help and the option list. */
	rc = PARSE(&o, &err, "--bogus");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: unknown option `bogus'\n");
	free(err);
	rc = PARSE(&o, &err, "--bogus=1");
	CHECK_STR(err, " Error: unknown option `bogus'\n");
	free(err);
	rc = PARSE(&o, &err, "-Rx");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: unknown switch `x'\n");
	free(err);
	rc = PARSE(&o, &err, "--regions=1");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: option `regions' takes no value\n");
	free(err);
	rc = PARSE(&o, &err, "--region");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: option `region' requires a value\n");
	free(err);
	rc = PARSE(&o, &err, "-r");
	CHECK_INT(rc, OPTIONS_ERROR);
	CHECK_STR(err, " Error: switch `r' requires a value\n");
	free(err);
	rc = PARSE(&o, &err, "-R", "-h");
	CHECK_INT(rc, OPTIONS_HELP);
	free(err);
	rc = PARSE(&o, &err, "--help");
	CHECK_INT(rc, OPTIONS_HELP);
	free(err);
	rc = PARSE(&o, &err, "x", "--list-opts");
	CHECK_INT(rc, OPTIONS_LIST);
	free(err);

	{
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		options_list(f, table);
		fclose(f);
		CHECK_STR(out, "--region --dev --regions --devices --human "
			       "--mappings --no-movable --no-online --mode "
			       "--verbose --count \n");
		free(out);

		f = open_memstream(&out, &len);
		options_usage(f, "cmd [<options>]", table);
		fclose(f);
		CHECK(strncmp(out, "\n usage: cmd [<options>]\n\n", 26) == 0);
		CHECK(strstr(out, "\n    -r, --region <region-id>  region\n"));
		CHECK(strstr(out, "\n    -m, --mode <mode>         mode\n"));
		CHECK(strstr(out, "\n    -R, --regions             regions\n"));
		CHECK(strstr(out, "\n        --no-movable          no "
				  "movable\n"));
		free(out);
	}
	return check_result("test-options");
}
