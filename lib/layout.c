// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Layouts: the model of a layout (regions and devices by name) and how it
 * is read from INI files, through inih (Debian's libinih1).
 *
 * inih reports the line of a syntax error but not the line a handler is
 * called for, so the files are fed to it through our own line reader,
 * which counts lines: a handler runs while the line it is called for is
 * the last one read. The reader also refuses lines longer than inih's
 * buffer, which inih would otherwise split into two.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <ini.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"
#include "util/size.h"

#define LAYOUT_DIRS_MAX 3
static const char *const default_dirs[LAYOUT_DIRS_MAX] = {
	"/usr/lib/daxctl/layout.d",
	"/run/daxctl/layout.d",
	"/etc/daxctl/layout.d",
};

DAX_EXPORT int dax_layout_new(struct dax_ctx *ctx, struct dax_layout **layout)
{
	struct dax_layout *l;

	if (!ctx || !layout)
		return -EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ctx = dax_ctx_ref(ctx);
	*layout = l;
	return 0;
}

DAX_EXPORT void dax_layout_free(struct dax_layout *l)
{
	size_t i;

	if (!l)
		return;
	layout_forget_places(l);
	for (i = 0; i < l->nregions; i++) {
		free(l->regions[i]->path);
		free(l->regions[i]);
	}
	for (i = 0; i < l->ndevices; i++) {
		free(l->devices[i]->ranges);
		free(l->devices[i]);
	}
	for (i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->regions);
	free(l->devices);
	free(l->files);
	dax_ctx_unref(l->ctx);
	free(l);
}

/* Where the setting being made comes from, for messages. */
static void where(const struct dax_layout *l, const struct layout_src *src,
		  char *buf, size_t size)
{
	if (src && src->file)
		snprintf(buf, size, "%s:%u", src->file, src->line);
	else if (src)
		snprintf(buf, size, "layout");
	else if (l->cur.file)
		snprintf(buf, size, "%s:%u", l->cur.file, l->cur.line);
	else
		snprintf(buf, size, "layout");
}

void layout_err(const struct dax_layout *l, const struct layout_src *src,
		const char *fmt, ...)
{
	char at[PATH_MAX + 16], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(l, src, at, sizeof(at));
	dax_err(l->ctx, "%s: %s\n", at, msg);
}

static bool valid_name(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '-' ||
		      s[n] == '_' || s[n] == '.'))
			return false;
	return n > 0 && n < LAYOUT_NAME_MAX;
}

static void *grow(void *v, size_t n, size_t each)
{
	/* Arrays grow one by one: layouts hold a handful of entries. */
	return realloc(v, (n + 1) * each);
}

struct layout_region *layout_find_region(struct dax_layout *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nregions; i++)
		if (strcmp(l->regions[i]->name, name) == 0)
			return l->regions[i];
	return NULL;
}

static struct layout_device *find_device(struct dax_layout *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->ndevices; i++)
		if (strcmp(l->devices[i]->name, name) == 0)
			return l->devices[i];
	return NULL;
}

static struct layout_region *add_region(struct dax_layout *l, const char *name)
{
	struct layout_region *r, **v;

	r = layout_find_region(l, name);
	if (r)
		return r;
	v = grow(l->regions, l->nregions, sizeof(*v));
	if (!v)
		return NULL;
	l->regions = v;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->src = l->cur;
	if (l->cur.file)
		r->src.line = l->section_line;
	r->node = -1;
	l->regions[l->nregions++] = r;
	return r;
}

static struct layout_device *add_device(struct dax_layout *l, const char *name)
{
	struct layout_device *d, **v;

	d = find_device(l, name);
	if (d)
		return d;
	v = grow(l->devices, l->ndevices, sizeof(*v));
	if (!v)
		return NULL;
	l->devices = v;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->src = l->cur;
	if (l->cur.file)
		d->src.line = l->section_line;
	d->movable = true;
	d->perm = -1;
	l->devices[l->ndevices++] = d;
	return d;
}

static int parse_bool(const char *v, bool *b)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*b = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*b = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* "0xSTART-0xEND" (end inclusive, as mappingN/end), several separated by
 * commas or blanks; appended to @d's ranges. */
static int parse_ranges(struct dax_layout *l, struct layout_device *d,
			const char *value)
{
	const char *p = value, *why = NULL;
	char tok[64], *dash;
	struct dax_range r, *v;
	size_t n;
	int rc;

	for (;;) {
		p += strspn(p, ", \t");
		if (!*p)
			break;
		n = strcspn(p, ", \t");
		if (n >= sizeof(tok)) {
			layout_err(l, NULL, "range too long: %.*s", (int)n, p);
			return -EINVAL;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		dash = strchr(tok, '-');
		if (!dash) {
			layout_err(l, NULL,
				   "range \"%s\": expected START-END (0x... "
				   "addresses, END inclusive)",
				   tok);
			return -EINVAL;
		}
		*dash = '\0';
		rc = parse_number(tok, &r.start, &why);
		if (rc == 0)
			rc = parse_number(dash + 1, &r.end, &why);
		if (rc < 0 || r.end <= r.start) {
			*dash = '-';
			layout_err(l, NULL, "range \"%s\": %s", tok,
				   rc < 0 ? why : "END not above START");
			return -EINVAL;
		}
		v = realloc(d->ranges, (d->nranges + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		d->ranges = v;
		d->ranges[d->nranges++] = r;
	}
	d->ranges_src = l->cur;
	return 0;
}

static int set_region(struct dax_layout *l, struct layout_region *r,
		      const char *key, const char *value)
{
	const char *why = NULL;
	uint64_t v;
	int rc;

	if (strcmp(key, "resource") == 0) {
		rc = parse_number(value, &v, &why);
		if (rc < 0)
			goto bad;
		r->resource = v;
		r->has_resource = true;
	} else if (strcmp(key, "target_node") == 0) {
		rc = parse_number(value, &v, &why);
		if (rc < 0 || v > INT32_MAX)
			goto bad;
		r->node = (int)v;
	} else if (strcmp(key, "path") == 0) {
		if (value[0] != '/') {
			why = "a path starts with '/' (as \"path\" in "
			      "\"daxctl list -R\")";
			goto bad;
		}
		free(r->path);
		r->path = strdup(value);
		if (!r->path)
			return -ENOMEM;
	} else if (strcmp(key, "managed") == 0) {
		if (parse_bool(value, &r->managed) < 0)
			goto bad;
	} else {
		layout_err(l, NULL,
			   "unknown key \"%s\" in a region (known: resource, "
			   "target_node, path, managed)",
			   key);
		return -EINVAL;
	}
	return 0;
bad:
	layout_err(l, NULL, "%s = %s: %s", key, value, why ? why : "invalid");
	return -EINVAL;
}

static int set_device(struct dax_layout *l, struct layout_device *d,
		      const char *key, const char *value)
{
	const char *why = NULL;
	char *end;
	long perm;
	int rc;

	if (strcmp(key, "region") == 0) {
		if (!valid_name(value)) {
			why = "not a valid name";
			goto bad;
		}
		snprintf(d->region, sizeof(d->region), "%s", value);
	} else if (strcmp(key, "size") == 0) {
		rc = parse_size(value, &d->size, &why);
		if (rc < 0 || d->size == 0) {
			why = why ? why : "a device has a size above 0";
			goto bad;
		}
		d->size_src = l->cur;
	} else if (strcmp(key, "ranges") == 0) {
		return parse_ranges(l, d, value);
	} else if (strcmp(key, "align") == 0) {
		rc = parse_size(value, &d->align, &why);
		if (rc < 0)
			goto bad;
		if (!space_align_valid(l->ctx, d->align)) {
			platform_log_aligns(l->ctx, d->align);
			why = "not an align this system offers";
			goto bad;
		}
		d->align_src = l->cur;
	} else if (strcmp(key, "placement") == 0) {
		if (strncmp(value, "color:", 6) != 0) {
			why = "expected color:K/N or color:K-K2/N";
			goto bad;
		}
		if (parse_colors(value + 6, &d->color.first, &d->color.last,
				 &d->color.colors, &why) < 0)
			goto bad;
		d->colored = true;
		d->placement_src = l->cur;
	} else if (strcmp(key, "cache_size") == 0) {
		rc = parse_size(value, &d->color.cache_size, &why);
		if (rc < 0 || d->color.cache_size == 0) {
			why = why ? why : "a cache has a size above 0";
			goto bad;
		}
	} else if (strcmp(key, "cache_level") == 0) {
		if (!parse_uint(value, &d->color.cache_level) ||
		    d->color.cache_level < 1 || d->color.cache_level > 15) {
			why = "a level from 1 to 15";
			goto bad;
		}
	} else if (strcmp(key, "mode") == 0) {
		if (strcmp(value, "devdax") == 0)
			d->sysram = false;
		else if (strcmp(value, "system-ram") == 0)
			d->sysram = true;
		else {
			why = "expected devdax or system-ram";
			goto bad;
		}
	} else if (strcmp(key, "movable") == 0) {
		if (parse_bool(value, &d->movable) < 0)
			goto bad;
	} else if (strcmp(key, "owner") == 0 || strcmp(key, "group") == 0) {
		char *dst = key[0] == 'o' ? d->owner : d->group;

		if (strlen(value) >= LAYOUT_NAME_MAX || strchr(value, ':')) {
			why = "not a user or group name";
			goto bad;
		}
		snprintf(dst, LAYOUT_NAME_MAX, "%s", value);
		if (key[0] == 'o')
			d->owner_src = l->cur;
		else
			d->group_src = l->cur;
	} else if (strcmp(key, "permissions") == 0) {
		errno = 0;
		perm = strtol(value, &end, 8);
		if (errno || *end || end == value || perm < 0 || perm > 07777 ||
		    value[0] == '-' || value[0] == '+') {
			why = "expected octal permission bits, e.g. 0660";
			goto bad;
		}
		d->perm = (int)perm;
	} else {
		layout_err(l, NULL,
			   "unknown key \"%s\" in a device (known: region, "
			   "size, ranges, placement, cache_size, cache_level, "
			   "align, mode, movable, owner, group, permissions)",
			   key);
		return -EINVAL;
	}
	return 0;
bad:
	layout_err(l, NULL, "%s = %s: %s", key, value, why ? why : "invalid");
	return -EINVAL;
}

DAX_EXPORT int dax_layout_set(struct dax_layout *l, const char *section,
			      const char *key, const char *value)
{
	const char *name;
	size_t kind;

	if (!l || !section || !key || !value)
		return -EINVAL;
	layout_forget_places(l);
	kind = strcspn(section, " \t");
	name = section + kind + strspn(section + kind, " \t");
	if (!valid_name(name)) {
		layout_err(l, NULL,
			   "[%s]: expected [region NAME] or [device NAME], "
			   "NAME of letters, digits, '-', '_' or '.'",
			   section);
		return -EINVAL;
	}
	if (kind == 6 && strncmp(section, "region", 6) == 0) {
		struct layout_region *r = add_region(l, name);

		return r ? set_region(l, r, key, value) : -ENOMEM;
	}
	if (kind == 6 && strncmp(section, "device", 6) == 0) {
		struct layout_device *d = add_device(l, name);

		return d ? set_device(l, d, key, value) : -ENOMEM;
	}
	layout_err(l, NULL, "[%s]: unknown section (region or device)",
		   section);
	return -EINVAL;
}

/* ------------------------------------------------------------- files */

struct reader {
	FILE *f;
	struct dax_layout *l;
	bool too_long;
};

static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	size_t n;

	if (!fgets(str, num, r->f))
		return NULL;
	r->l->cur.line++;
	/* inih does not call handlers for "[section]": remember its line. */
	if (str[strspn(str, " \t")] == '[')
		r->l->section_line = r->l->cur.line;
	n = strlen(str);
	if (n + 1 == (size_t)num && str[n - 1] != '\n' && !feof(r->f)) {
		r->too_long = true;
		return NULL;
	}
	return str;
}

static int on_setting(void *user, const char *section, const char *key,
		      const char *value)
{
	struct reader *r = user;
	int rc;

	if (!section[0]) {
		layout_err(r->l, NULL,
			   "\"%s\" outside any [region] or "
			   "[device] section",
			   key);
		return 0;
	}
	rc = dax_layout_set(r->l, section, key, value);
	if (rc < 0) {
		r->l->load_err = rc;
		return 0;
	}
	return 1;
}

/* A file's name kept for messages as long as the layout lives. */
static const char *keep_name(struct dax_layout *l, const char *path)
{
	char **v = grow(l->files, l->nfiles, sizeof(*v));

	if (!v)
		return NULL;
	l->files = v;
	l->files[l->nfiles] = strdup(path);
	return l->files[l->nfiles] ? l->files[l->nfiles++] : NULL;
}

static int load_file(struct dax_layout *l, const char *path)
{
	struct reader r = {.l = l};
	int rc;

	r.f = fopen(path, "re");
	if (!r.f) {
		rc = -errno;
		dax_err(l->ctx, "%s: %s\n", path, strerror(errno));
		return rc;
	}
	l->cur.file = keep_name(l, path);
	l->cur.line = 0;
	if (!l->cur.file) {
		fclose(r.f);
		return -ENOMEM;
	}
	l->load_err = 0;
	rc = ini_parse_stream(read_line, &r, on_setting, &r);
	if (ferror(r.f)) {
		rc = -EIO;
		dax_err(l->ctx, "%s: read error\n", path);
	} else if (r.too_long) {
		layout_err(l, NULL, "line longer than %d characters",
			   INI_MAX_LINE - 2);
		rc = -EINVAL;
	} else if (l->load_err) {
		rc = l->load_err;
	} else if (rc > 0) {
		l->cur.line = (unsigned int)rc;
		layout_err(l, NULL,
			   "syntax error (expected [section], "
			   "key = value, or a comment)");
		rc = -EINVAL;
	} else if (rc < 0) {
		rc = -ENOMEM;
	}
	fclose(r.f);
	l->cur.file = NULL;
	l->cur.line = 0;
	return rc;
}

static bool is_conf(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The "*.conf" files of @dirs, each name from the last directory that has
 * it, read in name order. An empty file or a link to /dev/null masks.
 */
static int load_dirs(struct dax_layout *l, const char *const *dirs,
		     size_t ndirs)
{
	char **names = NULL, **v, path[PATH_MAX];
	size_t n = 0, i, k;
	struct dirent *e;
	struct stat st;
	int rc = 0;
	DIR *d;

	for (k = 0; k < ndirs && rc == 0; k++) {
		d = opendir(dirs[k]);
		if (!d) {
			if (errno == ENOENT && ndirs > 1)
				continue;
			rc = -errno;
			dax_err(l->ctx, "%s: %s\n", dirs[k], strerror(errno));
			break;
		}
		while ((e = readdir(d))) {
			if (!is_conf(e->d_name))
				continue;
			for (i = 0; i < n; i++)
				if (strcmp(names[i], e->d_name) == 0)
					break;
			if (i == n) {
				v = grow(names, n, sizeof(*v));
				if (!v || !(v[n] = strdup(e->d_name))) {
					names = v ? v : names;
					rc = -ENOMEM;
					break;
				}
				names = v;
				n++;
			}
		}
		closedir(d);
	}
	if (rc == 0)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n && rc == 0; i++) {
		/* The last directory holding the name wins. */
		for (k = ndirs; k-- > 0;) {
			snprintf(path, sizeof(path), "%s/%s", dirs[k],
				 names[i]);
			if (stat(path, &st) == 0)
				break;
		}
		if (k == (size_t)-1 || !S_ISREG(st.st_mode) || st.st_size == 0)
			continue; /* masked (/dev/null, empty) */
		rc = load_file(l, path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

DAX_EXPORT int dax_layout_load(struct dax_layout *l, const char *path)
{
	struct stat st;

	if (!l || !path)
		return -EINVAL;
	if (stat(path, &st) < 0) {
		dax_err(l->ctx, "%s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		return load_dirs(l, &path, 1);
	return load_file(l, path);
}

DAX_EXPORT int dax_layout_load_default(struct dax_layout *l)
{
	char buf[LAYOUT_DIRS_MAX][PATH_MAX];
	const char *dirs[LAYOUT_DIRS_MAX];
	const char *root;
	size_t i;

	if (!l)
		return -EINVAL;
	root = dax_ctx_get_sysfs_root(l->ctx);
	if (strcmp(root, "/") == 0)
		root = "";
	for (i = 0; i < LAYOUT_DIRS_MAX; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s%s", root, default_dirs[i]);
		dirs[i] = buf[i];
	}
	return load_dirs(l, dirs, LAYOUT_DIRS_MAX);
}

/* ------------------------------------------------------------- checks */

static int resolve_owner(struct dax_layout *l, struct layout_device *d)
{
	char buf[4096], *end;
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	unsigned long id;

	d->uid = (uid_t)-1;
	d->gid = (gid_t)-1;
	if (d->owner[0]) {
		getpwnam_r(d->owner, &pw, buf, sizeof(buf), &pwp);
		if (pwp) {
			d->uid = pwp->pw_uid;
		} else {
			errno = 0;
			id = strtoul(d->owner, &end, 10);
			if (errno || *end || id >= (uid_t)-1) {
				layout_err(l, &d->owner_src,
					   "owner = %s: no such user",
					   d->owner);
				return -EINVAL;
			}
			d->uid = (uid_t)id;
		}
	}
	if (d->group[0]) {
		getgrnam_r(d->group, &gr, buf, sizeof(buf), &grp);
		if (grp) {
			d->gid = grp->gr_gid;
		} else {
			errno = 0;
			id = strtoul(d->group, &end, 10);
			if (errno || *end || id >= (gid_t)-1) {
				layout_err(l, &d->group_src,
					   "group = %s: no such group",
					   d->group);
				return -EINVAL;
			}
			d->gid = (gid_t)id;
		}
	}
	return 0;
}

static int check_device(struct dax_layout *l, struct layout_device *d)
{
	uint64_t gran, align = d->align ? d->align : DAX_MiB * 2, sum = 0;
	size_t i, k;

	if (!d->region[0] || !layout_find_region(l, d->region)) {
		layout_err(l, &d->src,
			   d->region[0] ? "device %s: region %s is not "
					  "declared"
					: "device %s: no region = NAME",
			   d->name, d->region);
		return -EINVAL;
	}
	if (!d->size && !d->nranges && !d->colored) {
		layout_err(l, &d->src,
			   "device %s: neither size, ranges nor placement",
			   d->name);
		return -EINVAL;
	}
	if (d->colored && d->nranges) {
		layout_err(l, &d->placement_src,
			   "device %s: placement and ranges exclude each other",
			   d->name);
		return -EINVAL;
	}
	if ((d->color.cache_size || d->color.cache_level) && !d->colored) {
		layout_err(l, &d->src,
			   "device %s: cache_size or cache_level without "
			   "placement = color:K/N",
			   d->name);
		return -EINVAL;
	}
	if (d->color.cache_size && d->color.cache_level) {
		layout_err(l, &d->src,
			   "device %s: cache_size and cache_level exclude "
			   "each other",
			   d->name);
		return -EINVAL;
	}
	gran = space_gran(l->ctx, align);
	for (i = 0; i < d->nranges; i++) {
		const struct dax_range *r = &d->ranges[i];

		if (r->start % gran || (r->end + 1) % gran) {
			layout_err(l, &d->ranges_src,
				   "device %s: range %#llx-%#llx is not "
				   "aligned to %llu KiB (its align's granule)",
				   d->name, (unsigned long long)r->start,
				   (unsigned long long)r->end,
				   (unsigned long long)(gran >> 10));
			return -EINVAL;
		}
		sum += r->end - r->start + 1;
	}
	if (d->nranges && d->size && d->size != sum) {
		layout_err(l, &d->size_src,
			   "device %s: size is not the total of its ranges "
			   "(%llu bytes)",
			   d->name, (unsigned long long)sum);
		return -EINVAL;
	}
	if (d->nranges)
		d->size = sum;
	if (d->size % gran) {
		layout_err(l, &d->size_src,
			   "device %s: size %llu is not a multiple of %llu "
			   "KiB (its align's granule)",
			   d->name, (unsigned long long)d->size,
			   (unsigned long long)(gran >> 10));
		return -EINVAL;
	}
	/* Explicit ranges of every earlier device of the region. */
	for (k = 0; k < l->ndevices && l->devices[k] != d; k++) {
		const struct layout_device *o = l->devices[k];
		size_t a, b;

		if (strcmp(o->region, d->region) != 0)
			continue;
		for (a = 0; a < d->nranges; a++)
			for (b = 0; b < o->nranges; b++)
				if (d->ranges[a].start <= o->ranges[b].end &&
				    o->ranges[b].start <= d->ranges[a].end) {
					layout_err(l, &d->ranges_src,
						   "device %s: ranges overlap "
						   "those of device %s",
						   d->name, o->name);
					return -EINVAL;
				}
	}
	if (d->sysram && (d->owner[0] || d->group[0] || d->perm >= 0)) {
		layout_err(l, &d->src,
			   "device %s: system-ram has no /dev node for owner, "
			   "group or permissions",
			   d->name);
		return -EINVAL;
	}
	return resolve_owner(l, d);
}

DAX_EXPORT int dax_layout_check(struct dax_layout *l)
{
	size_t i;
	int rc;

	if (!l)
		return -EINVAL;
	for (i = 0; i < l->nregions; i++)
		if (!l->regions[i]->has_resource) {
			layout_err(l, &l->regions[i]->src,
				   "region %s: no resource = 0x... (its "
				   "physical start)",
				   l->regions[i]->name);
			return -EINVAL;
		}
	for (i = 0; i < l->ndevices; i++) {
		rc = check_device(l, l->devices[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}
