// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl map: each dynamic region drawn as a bar along its physical
 * addresses, for people who would rather look than read "list -M".
 *
 * The bar has a fixed number of cells, each covering the same number of
 * bytes (the last one may cover less); a cell shows the owner with the most
 * bytes in it: a device's letter, or '.' for free space (a tie goes to the
 * device). The owners come from each device's mappingN ranges, read from
 * sysfs (root only, as the kernel makes them 0400). When the region's
 * target node has a memory-side cache (or --cache-size is given), a ruler
 * under the bar marks the cells where a cache window [k*C, (k+1)*C)
 * begins: the windows are physical, as create-device --color cuts them.
 *
 * Sysfs has no attribute for a region's start: dax_region_get_bounds()
 * finds it (a zero-sized device's "resource", else /proc/iomem). Colours (ANSI)
 * only on a terminal, never with
 * --no-color. Nothing is written and no lock is taken: the map is a
 * snapshot.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "json.h"
#include "util/size.h"

#define MAX_CELLS 4096
#define DEFAULT_WIDTH 80
#define MAX_DEFAULT_CELLS 64

struct map_opts {
	const char *region;
	const char *width;
	const char *cells;
	const char *cache_size;
	bool no_color;
	bool verbose;
};

const struct option_desc map_options[] = {
	OPT_STRING('r', "region", struct map_opts, region, "region-id",
		   "map this region only (default: every dynamic region)"),
	OPT_STRING('w', "width", struct map_opts, width, "columns",
		   "fit the map in this many columns (default: 80)"),
	OPT_STRING(0, "cells", struct map_opts, cells, "n",
		   "N cells of the region size / N each (not with --width)"),
	OPT_STRING(0, "cache-size", struct map_opts, cache_size, "size",
		   "memory-side cache size whose windows to mark (default: "
		   "what the region's node reports)"),
	OPT_BOOL(0, "no-color", struct map_opts, no_color,
		 "no ANSI colours, even on a terminal"),
	OPT_VERBOSE(struct map_opts, verbose),
	OPT_END(),
};

/* One device with ranges in the region: a letter in the bar. */
struct owner {
	struct dax_dev *dev;
	struct dax_range *ranges;
	unsigned int nr;
	uint64_t bytes;
	char letter;
};

struct map {
	struct dax_region *region;
	struct dax_range bounds;
	struct owner *owners;
	size_t nr_owners;
	uint64_t cell; /* bytes per cell */
	unsigned int cells;
	uint64_t window; /* cache window; 0: none known */
	const char *window_from; /* where the window size came from */
};

struct map_args {
	unsigned int width; /* columns for the bar; 0 with @cells */
	unsigned int cells; /* --cells; 0: from @width */
	uint64_t cache_size; /* --cache-size; 0: the node's */
	bool color;
};

static const char letters[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* Background colours cycled over the devices (free space stays plain). */
static const char *const palette[] = {"41", "42", "43", "44", "45", "46"};

static char owner_letter(size_t i)
{
	return i < sizeof(letters) - 1 ? letters[i] : '#';
}

static int read_bounds(struct map *m)
{
	int rc = dax_region_get_bounds(m->region, &m->bounds);

	if (rc == -ENOENT)
		fprintf(stderr,
			"region %d: its physical start is unknown (no idle "
			"device reports it and /proc/iomem has no %s entry; "
			"run as root)\n",
			dax_region_get_id(m->region),
			dax_region_get_devname(m->region));
	else if (rc < 0)
		fprintf(stderr, "region %d: cannot read its bounds: %s\n",
			dax_region_get_id(m->region), strerror(-rc));
	return rc;
}

static void free_owners(struct map *m)
{
	size_t i;

	for (i = 0; i < m->nr_owners; i++)
		free(m->owners[i].ranges);
	free(m->owners);
	m->owners = NULL;
	m->nr_owners = 0;
}

/* The ranges of @dev into @o; none for an idle device. */
static int read_ranges(struct dax_dev *dev, struct owner *o)
{
	struct dax_mapping *mp;
	unsigned int cap = 0;

	*o = (struct owner){.dev = dev};
	mp = dax_mapping_get_first(dev);
	if (!mp && errno) {
		int err = errno;

		fprintf(stderr, "%s: cannot read its ranges: %s%s\n",
			dax_dev_get_devname(dev), strerror(err),
			err == EACCES ? " (mappingN is readable by root only)"
				      : "");
		return -err;
	}
	for (; mp; mp = dax_mapping_get_next(mp)) {
		if (o->nr == cap) {
			struct dax_range *p;

			cap = cap ? cap * 2 : 8;
			p = realloc(o->ranges, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			o->ranges = p;
		}
		o->ranges[o->nr].start = dax_mapping_get_start(mp);
		o->ranges[o->nr].end = dax_mapping_get_end(mp);
		o->bytes += dax_mapping_get_size(mp);
		o->nr++;
	}
	return 0;
}

static int read_owners(struct map *m)
{
	struct dax_dev *dev = dax_dev_get_first(m->region);
	size_t cap = 0;
	int rc;

	if (!dev && errno) {
		rc = -errno;
		fprintf(stderr, "region %d: cannot list devices: %s\n",
			dax_region_get_id(m->region), strerror(-rc));
		return rc;
	}
	for (; dev; dev = dax_dev_get_next(dev)) {
		struct owner o;

		rc = read_ranges(dev, &o);
		if (rc < 0 || o.nr == 0) {
			free(o.ranges);
			if (rc < 0)
				return rc;
			continue;
		}
		if (m->nr_owners == cap) {
			struct owner *p;

			cap = cap ? cap * 2 : 8;
			p = realloc(m->owners, cap * sizeof(*p));
			if (!p) {
				free(o.ranges);
				return -ENOMEM;
			}
			m->owners = p;
		}
		o.letter = owner_letter(m->nr_owners);
		m->owners[m->nr_owners++] = o;
	}
	return 0;
}

/* The cell size: @cells given, or the fewest power-of-two-sized cells
 * that fit in @width columns. */
static void choose_scale(struct map *m, const struct map_args *a)
{
	uint64_t size = m->bounds.end - m->bounds.start + 1;
	uint64_t max = a->cells ? a->cells : a->width;

	m->cell = size / max + (size % max != 0);
	if (!a->cells) {
		uint64_t p = 1;

		while (p < m->cell)
			p <<= 1;
		m->cell = p;
	}
	m->cells = (unsigned int)(size / m->cell + (size % m->cell != 0));
}

/* The window size of the region's memory-side cache, or --cache-size. */
static void choose_window(struct map *m, uint64_t cache_size)
{
	struct dax_node_cache c;
	int node;

	m->window = 0;
	if (cache_size) {
		m->window = cache_size;
		m->window_from = "--cache-size";
		return;
	}
	if (dax_region_get_target_node(m->region, &node) < 0 ||
	    dax_ctx_get_node_cache(dax_region_get_ctx(m->region), node, 0, &c) <
		    0 ||
	    c.size == 0)
		return;
	/* Only a direct-mapped cache repeats every C bytes. */
	if (c.indexing != 0)
		return;
	m->window = c.size;
	m->window_from = "memory-side cache";
}

/* The owner with the most bytes in cell @i: an index, or -1 for free. */
static long cell_owner(const struct map *m, unsigned int i, uint64_t *bytes)
{
	uint64_t cs = m->bounds.start + (uint64_t)i * m->cell;
	uint64_t ce = cs + m->cell - 1, owned = 0, best = 0;
	long who = -1;
	size_t k;
	unsigned int r;

	if (ce > m->bounds.end)
		ce = m->bounds.end;
	for (k = 0; k < m->nr_owners; k++) {
		const struct owner *o = &m->owners[k];

		bytes[k] = 0;
		for (r = 0; r < o->nr; r++) {
			uint64_t s = o->ranges[r].start, e = o->ranges[r].end;

			if (s > ce || e < cs)
				continue;
			s = s < cs ? cs : s;
			e = e > ce ? ce : e;
			bytes[k] += e - s + 1;
		}
		owned += bytes[k];
		if (bytes[k] > best) {
			best = bytes[k];
			who = (long)k;
		}
	}
	/* Free space wins only with strictly more bytes than any device. */
	if (ce - cs + 1 - owned > best)
		who = -1;
	return who;
}

/* A device's letter, on its background colour when @color. */
static void put_letter(size_t who, char letter, bool color)
{
	if (color)
		printf("\033[30;%sm%c\033[0m",
		       palette[who % (sizeof(palette) / sizeof(palette[0]))],
		       letter);
	else
		putchar(letter);
}

/* @bytes: room for one count per owner. */
static void print_bar(const struct map *m, bool color, uint64_t *bytes)
{
	unsigned int i;

	fputs(" [", stdout);
	for (i = 0; i < m->cells; i++) {
		long who = cell_owner(m, i, bytes);

		if (who < 0)
			putchar('.');
		else
			put_letter((size_t)who, m->owners[who].letter, color);
	}
	fputs("]\n", stdout);
}

/* '|' under each cell where a cache window begins. */
static void print_ruler(const struct map *m)
{
	char a[32];
	unsigned int i;
	int last = -1;

	if (!m->window)
		return;
	if (m->window < m->cell) {
		printf(" cache windows of %s (%s): smaller than a cell, not "
		       "marked\n",
		       format_size(m->window, a, sizeof(a)), m->window_from);
		return;
	}
	for (i = 0; i < m->cells; i++) {
		uint64_t cs = m->bounds.start + (uint64_t)i * m->cell;

		/* A boundary k*C within [cs, cs + cell). */
		if ((cs + m->cell - 1) / m->window * m->window >= cs)
			last = (int)i;
	}
	fputs("  ", stdout);
	for (i = 0; (int)i <= last; i++) {
		uint64_t cs = m->bounds.start + (uint64_t)i * m->cell;

		putchar((cs + m->cell - 1) / m->window * m->window >= cs ? '|'
									 : ' ');
	}
	printf("\n |  a cache window begins: every %s (%s)\n",
	       format_size(m->window, a, sizeof(a)), m->window_from);
}

static const char *mode_of(struct dax_dev *dev)
{
	const char *name;

	switch (dax_dev_get_driver(dev)) {
	case DAX_DRIVER_DEVICE_DAX:
		return "devdax";
	case DAX_DRIVER_KMEM:
		return "system-ram";
	case DAX_DRIVER_NONE:
		return "disabled";
	default:
		name = dax_dev_get_driver_name(dev);
		return name ? name : "other";
	}
}

static void print_legend(const struct map *m, bool color)
{
	uint64_t used = 0, size = m->bounds.end - m->bounds.start + 1;
	char a[32];
	size_t k;

	for (k = 0; k < m->nr_owners; k++) {
		const struct owner *o = &m->owners[k];

		format_human_size(o->bytes, a, sizeof(a));
		putchar(' ');
		put_letter(k, o->letter, color);
		printf("  %-10s %-24s %-10s %u range%s\n",
		       dax_dev_get_devname(o->dev), a, mode_of(o->dev), o->nr,
		       o->nr == 1 ? "" : "s");
		used += o->bytes;
	}
	format_human_size(used < size ? size - used : 0, a, sizeof(a));
	printf(" .  %-10s %s\n", "free", a);
}

static int map_region(struct dax_region *region, const struct map_args *a)
{
	struct map m = {.region = region};
	uint64_t *bytes = NULL;
	char sz[32], cell[32];
	int node, rc;

	rc = read_bounds(&m);
	if (rc == 0)
		rc = read_owners(&m);
	if (rc == 0) {
		bytes = calloc(m.nr_owners + 1, sizeof(*bytes));
		if (!bytes)
			rc = -ENOMEM;
	}
	if (rc == -ENOMEM)
		fprintf(stderr, "error: out of memory\n");
	if (rc < 0) {
		free_owners(&m);
		return rc;
	}
	choose_scale(&m, a);
	choose_window(&m, a->cache_size);
	printf("region %d (%s) %#" PRIx64 "-%#" PRIx64 " %s",
	       dax_region_get_id(region), dax_region_get_devname(region),
	       m.bounds.start, m.bounds.end,
	       format_size(m.bounds.end - m.bounds.start + 1, sz, sizeof(sz)));
	if (dax_region_get_target_node(region, &node) == 0)
		printf(", node %d", node);
	printf(": %u cells of %s\n", m.cells,
	       format_size(m.cell, cell, sizeof(cell)));
	print_bar(&m, a->color, bytes);
	print_ruler(&m);
	print_legend(&m, a->color);
	free(bytes);
	free_owners(&m);
	return 0;
}

/* A positive decimal option value up to @max; a usage error otherwise. */
static unsigned int parse_uint_opt(const char *arg, const char *name,
				   unsigned int min, unsigned int max,
				   const struct daxctl_cmd *cmd)
{
	const char *why = "not a number";
	uint64_t v = 0;

	if (parse_number(arg, &v, &why) < 0 || v < min || v > max)
		usage_with_error(cmd->usage, cmd->options,
				 "invalid %s \"%s\": need %u to %u", name, arg,
				 min, max);
	return (unsigned int)v;
}

int cmd_map(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	struct map_opts o = {0};
	struct map_args a = {0};
	struct region_filter rf;
	struct dax_region *region;
	struct dax_ctx *ctx;
	bool any = false;
	int rc = 0;

	parse_options_max(argc, argv, cmd->options, cmd->usage, &o, 0);
	parse_region_arg(o.region, cmd, &rf);
	if (o.width && o.cells)
		usage_with_error(cmd->usage, cmd->options,
				 "--width and --cells cannot be combined");
	if (o.cells)
		a.cells = parse_uint_opt(o.cells, "cell count", 1, MAX_CELLS,
					 cmd);
	/* The bar takes the width but its brackets and indent. */
	a.width = (o.width ? parse_uint_opt(o.width, "width", 20,
					    MAX_CELLS + 16, cmd)
			   : DEFAULT_WIDTH) -
		  16;
	if (!o.width && a.width > MAX_DEFAULT_CELLS)
		a.width = MAX_DEFAULT_CELLS;
	if (o.cache_size) {
		a.cache_size = parse_size_arg(o.cache_size, "cache-size", cmd);
		if (!a.cache_size)
			usage_with_error(cmd->usage, cmd->options,
					 "invalid cache size \"%s\"",
					 o.cache_size);
	}
	a.color = !o.no_color && isatty(STDOUT_FILENO);

	rc = action_open(o.verbose, &ctx);
	if (rc < 0)
		return rc;
	region = dax_region_get_first(ctx);
	if (!region && errno) {
		rc = -errno;
		fprintf(stderr, "error: cannot list regions: %s\n",
			strerror(-rc));
	}
	for (; region; region = dax_region_get_next(region)) {
		int r;

		if (!region_filter_match(&rf, dax_region_get_id(region)))
			continue;
		if (!dax_region_is_dynamic(region)) {
			if (rf.all)
				continue;
			fprintf(stderr,
				"region %d: static region (nvdimm): it has one "
				"device over all of it\n",
				rf.id);
			rc = -EOPNOTSUPP;
			any = true;
			continue;
		}
		if (any)
			putchar('\n');
		any = true;
		r = map_region(region, &a);
		if (r < 0 && rc == 0)
			rc = r;
	}
	if (!any && rc == 0) {
		if (rf.all)
			fprintf(stderr, "error: no dynamic region to map\n");
		else
			fprintf(stderr,
				"region %d: no such region (daxctl list -R "
				"shows them)\n",
				rf.id);
		rc = -ENODEV;
	}
	dax_ctx_unref(ctx);
	return rc;
}
