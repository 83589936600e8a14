// SPDX-License-Identifier: GPL-2.0-only
/* create-device --input: parse and validate a JSON device description. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "filter.h"
#include "input.h"
#include "json.h"
#include "util/size.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

struct parser {
	const struct input_system *sys;
	struct input_plan *plan;
	size_t cap;
	int *ids; /* instance id N of each plan entry, for duplicates */
	char *msg;
	size_t msglen;
};

__attribute__((format(printf, 3, 4))) static int fail(struct parser *p, int rc,
						      const char *fmt, ...)
{
	va_list ap;

	if (p->msglen) {
		va_start(ap, fmt);
		vsnprintf(p->msg, p->msglen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int oom(struct parser *p)
{
	return fail(p, -ENOMEM, "out of memory");
}

/* The rounded form of -u: "2.00 GiB (2.15 GB)". */
static bool looks_human(const char *s)
{
	size_t len = strlen(s);

	return strstr(s, "iB (") && len > 2 && strcmp(s + len - 2, "B)") == 0;
}

enum { NUM_EXACT = 0, NUM_HUMAN = 1 };

/*
 * @o as a number below 2^63 (no address or size comes near): an integer,
 * or a string. With @size, strings take -s suffixes, and the human form is
 * returned as NUM_HUMAN with *@text for the caller to check exactly.
 */
static int get_num(json_object *o, bool size, uint64_t *v, const char **text,
		   const char **why)
{
	const char *s;
	int rc;

	if (json_object_is_type(o, json_type_int)) {
		/* json-c clamps overflowing literals to INT64/UINT64_MAX. */
		if (json_object_get_int64(o) < 0) {
			*why = "negative";
			return -EINVAL;
		}
		*v = json_object_get_uint64(o);
		if (*v > INT64_MAX) {
			*why = "too large";
			return -ERANGE;
		}
		return NUM_EXACT;
	}
	if (!json_object_is_type(o, json_type_string)) {
		*why = "not a number";
		return -EINVAL;
	}
	s = json_object_get_string(o);
	if (strlen(s) != (size_t)json_object_get_string_len(o)) {
		*why = "contains a NUL character";
		return -EINVAL;
	}
	rc = size ? parse_size(s, v, why) : parse_number(s, v, why);
	if (rc == 0 && *v > INT64_MAX) {
		*why = "too large";
		return -ERANGE;
	}
	if (rc == 0)
		return NUM_EXACT;
	if (size && looks_human(s)) {
		*text = s;
		return NUM_HUMAN;
	}
	return rc;
}

static bool human_equals(const char *text, uint64_t v)
{
	char buf[64];

	format_human_size(v, buf, sizeof(buf));
	return strcmp(buf, text) == 0;
}

/* Quote @o for a message: its JSON text, cut short. */
static const char *quote(json_object *o, char *buf, size_t size)
{
	const char *s =
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

	snprintf(buf, size, "%.40s%s", s ? s : "?",
		 s && strlen(s) > 40 ? "..." : "");
	return buf;
}

static int get_align(struct parser *p, struct input_dev *d, json_object *o)
{
	const uint64_t *valid = p->sys->aligns;
	const char *text = NULL, *why = NULL;
	char q[64], list[96];
	uint64_t v = 0;
	size_t i;
	int rc = get_num(o, true, &v, &text, &why);

	if (rc < 0)
		return fail(p, -EINVAL, "%s: align %s: %s", d->chardev,
			    quote(o, q, sizeof(q)), why);
	for (i = 0; i < p->sys->naligns; i++) {
		if (rc == NUM_EXACT ? v == valid[i]
				    : human_equals(text, valid[i])) {
			d->align = valid[i];
			return 0;
		}
	}
	return fail(p, -EINVAL, "%s: align %s: must be %s", d->chardev,
		    quote(o, q, sizeof(q)),
		    format_aligns(valid, p->sys->naligns, list, sizeof(list)));
}

struct raw_range {
	uint64_t pgoff, start, end;
	json_object *size;
};

static int cmp_pgoff(const void *a, const void *b)
{
	const struct raw_range *x = a, *y = b;

	return x->pgoff < y->pgoff ? -1 : x->pgoff > y->pgoff;
}

static int get_range(struct parser *p, struct input_dev *d, json_object *jm,
		     size_t i, struct raw_range *r)
{
	static const char *const keys[] = {"page_offset", "start", "end"};
	uint64_t *vals[] = {&r->pgoff, &r->start, &r->end};
	const char *text, *why = NULL;
	char q[64];
	size_t k;

	if (!json_object_is_type(jm, json_type_object))
		return fail(p, -EINVAL, "%s: mapping %zu is not an object",
			    d->chardev, i);
	for (k = 0; k < 3; k++) {
		json_object *v;

		if (!json_object_object_get_ex(jm, keys[k], &v))
			return fail(p, -EINVAL, "%s: mapping %zu has no \"%s\"",
				    d->chardev, i, keys[k]);
		if (get_num(v, false, vals[k], &text, &why) < 0)
			return fail(p, -EINVAL, "%s: mapping %zu: %s %s: %s",
				    d->chardev, i, keys[k],
				    quote(v, q, sizeof(q)), why);
	}
	if (!json_object_object_get_ex(jm, "size", &r->size))
		r->size = NULL;
	return 0;
}

/*
 * The mappings, in page_offset order: consecutive, aligned, each matching
 * its own "size" if given. Sets d->ranges, d->nr_ranges and *@total.
 */
static int get_ranges(struct parser *p, struct input_dev *d, json_object *ja,
		      uint64_t *total)
{
	uint64_t granule = d->align > p->sys->unit ? d->align : p->sys->unit;
	size_t n = json_object_array_length(ja), i;
	struct raw_range *raw;
	char a[32], b[64];
	int rc = 0;

	*total = 0;
	if (n == 0)
		return 0;
	if (n > UINT_MAX / 2)
		return fail(p, -EINVAL, "%s: too many mappings", d->chardev);
	raw = calloc(n, sizeof(*raw));
	d->ranges = calloc(n, sizeof(*d->ranges));
	if (!raw || !d->ranges) {
		free(raw);
		return oom(p);
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = get_range(p, d, json_object_array_get_idx(ja, i), i,
			       &raw[i]);
	if (rc)
		goto out;
	qsort(raw, n, sizeof(*raw), cmp_pgoff);
	for (i = 0; i < n; i++) {
		struct raw_range *r = &raw[i];
		uint64_t len, want_pgoff = *total / p->sys->page_size;

		if (r->end < r->start) {
			rc = fail(p, -EINVAL,
				  "%s: mapping at page_offset %#llx ends "
				  "(%#llx) before it starts (%#llx)",
				  d->chardev, (unsigned long long)r->pgoff,
				  (unsigned long long)r->end,
				  (unsigned long long)r->start);
			goto out;
		}
		len = r->end - r->start + 1;
		if (r->start % granule || len % granule) {
			rc = fail(p, -EINVAL,
				  "%s: mapping %#llx-%#llx is not aligned to "
				  "%s (start and size must be multiples)",
				  d->chardev, (unsigned long long)r->start,
				  (unsigned long long)r->end,
				  format_size(granule, a, sizeof(a)));
			goto out;
		}
		if (r->pgoff != want_pgoff) {
			rc = fail(p, -EINVAL,
				  "%s: mapping %#llx-%#llx has page_offset "
				  "%#llx, expected %#llx: page_offsets must "
				  "follow each other without gaps",
				  d->chardev, (unsigned long long)r->start,
				  (unsigned long long)r->end,
				  (unsigned long long)r->pgoff,
				  (unsigned long long)want_pgoff);
			goto out;
		}
		if (r->size) {
			const char *text = NULL, *why = NULL;
			uint64_t v = 0;
			int k = get_num(r->size, true, &v, &text, &why);

			if (k < 0 || (k == NUM_EXACT && v != len) ||
			    (k == NUM_HUMAN && !human_equals(text, len))) {
				rc = fail(p, -EINVAL,
					  "%s: mapping %#llx-%#llx: size %s "
					  "does not match its start and end "
					  "(%s)",
					  d->chardev,
					  (unsigned long long)r->start,
					  (unsigned long long)r->end,
					  quote(r->size, b, sizeof(b)),
					  format_size(len, a, sizeof(a)));
				goto out;
			}
		}
		if (len > INT64_MAX - *total) {
			rc = fail(p, -EINVAL, "%s: mappings too large",
				  d->chardev);
			goto out;
		}
		*total += len;
		d->ranges[i].start = r->start;
		d->ranges[i].end = r->end;
	}
	d->nr_ranges = (unsigned int)n;
out:
	free(raw);
	return rc;
}

static int get_size(struct parser *p, struct input_dev *d, json_object *js,
		    bool has_size, bool have_ranges, uint64_t total)
{
	uint64_t granule = d->align > p->sys->unit ? d->align : p->sys->unit;
	const char *text = NULL, *why = NULL;
	char q[64], a[32];
	uint64_t v = 0;
	int rc;

	if (!has_size) {
		if (!have_ranges)
			return fail(p, -EINVAL,
				    "%s: no \"size\" and no \"mappings\"",
				    d->chardev);
		d->size = total;
		return 0;
	}
	rc = get_num(js, true, &v, &text, &why);
	if (rc < 0)
		return fail(p, -EINVAL, "%s: size %s: %s", d->chardev,
			    quote(js, q, sizeof(q)), why);
	if (rc == NUM_HUMAN) {
		if (!have_ranges)
			return fail(p, -EINVAL,
				    "%s: size %s is rounded (daxctl list -u): "
				    "give the size in bytes, or include the "
				    "mappings (daxctl list -M)",
				    d->chardev, quote(js, q, sizeof(q)));
		if (!human_equals(text, total))
			return fail(p, -EINVAL,
				    "%s: size %s does not match the mappings, "
				    "which add up to %s",
				    d->chardev, quote(js, q, sizeof(q)),
				    format_size(total, a, sizeof(a)));
		d->size = total;
		return 0;
	}
	if (have_ranges && v != total)
		return fail(p, -EINVAL,
			    "%s: size %s does not match the mappings, which "
			    "add up to %s",
			    d->chardev, quote(js, q, sizeof(q)),
			    format_size(total, a, sizeof(a)));
	if (v % granule)
		return fail(p, -EINVAL, "%s: size %s is not a multiple of %s",
			    d->chardev, quote(js, q, sizeof(q)),
			    format_size(granule, a, sizeof(a)));
	d->size = v;
	return 0;
}

static int get_string(struct parser *p, json_object *obj, const char *key,
		      const char *who, const char **out)
{
	json_object *v;
	char q[64];

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v))
		return fail(p, -EINVAL, "%s: %s %s is not a string", who, key,
			    quote(v, q, sizeof(q)));
	*out = json_object_get_string(v);
	return 0;
}

static int add_dev(struct parser *p, const struct input_dev *d, int id)
{
	if (p->plan->nr == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct input_dev *devs;
		int *ids;

		devs = realloc(p->plan->devs, cap * sizeof(*devs));
		if (!devs)
			return oom(p);
		p->plan->devs = devs;
		ids = realloc(p->ids, cap * sizeof(*ids));
		if (!ids)
			return oom(p);
		p->ids = ids;
		p->cap = cap;
	}
	p->ids[p->plan->nr] = id;
	p->plan->devs[p->plan->nr++] = *d;
	return 0;
}

/* A device object; @region is the enclosing region's id, or -1. */
static int parse_dev(struct parser *p, json_object *jd, int region,
		     const char *where)
{
	struct input_dev d = {.region = -1};
	struct dev_filter f;
	json_object *v, *jsize = NULL;
	const char *s, *why = "";
	uint64_t total = 0;
	bool have_ranges;
	char q[64];
	int rc;

	if (!json_object_is_type(jd, json_type_object))
		return fail(p, -EINVAL, "%s is not an object", where);
	rc = get_string(p, jd, "chardev", where, &s);
	if (rc)
		return rc;
	if (!s)
		return fail(p, -EINVAL, "%s has no \"chardev\"", where);
	if (strcmp(s, "all") == 0 || dev_filter_parse(s, &f, &why) < 0)
		return fail(p, -EINVAL, "%s: invalid chardev \"%.40s\"%s%s",
			    where, s, *why ? ": " : "", why);
	snprintf(d.chardev, sizeof(d.chardev), "dax%d.%d", f.region, f.id);
	if (region >= 0 && region != f.region)
		return fail(p, -EINVAL, "%s is listed under region %d",
			    d.chardev, region);
	d.region = f.region;

	rc = get_string(p, jd, "mode", d.chardev, &s);
	if (rc)
		return rc;
	if (s && strcmp(s, "system-ram") == 0)
		return fail(p, -EOPNOTSUPP,
			    "%s: mode system-ram cannot be restored yet: "
			    "remove the device from the file, or restore it "
			    "as devdax",
			    d.chardev);
	if (s && strcmp(s, "devdax") != 0)
		return fail(p, -EINVAL, "%s: unknown mode \"%.40s\"", d.chardev,
			    s);
	rc = get_string(p, jd, "state", d.chardev, &s);
	if (rc)
		return rc;
	if (s && strcmp(s, "disabled") != 0 && strcmp(s, "enabled") != 0)
		return fail(p, -EINVAL, "%s: unknown state \"%.40s\"",
			    d.chardev, s);
	d.disabled = s && strcmp(s, "disabled") == 0;

	if (json_object_object_get_ex(jd, "align", &v)) {
		rc = get_align(p, &d, v);
		if (rc)
			return rc;
	}
	have_ranges = json_object_object_get_ex(jd, "mappings", &v);
	if (have_ranges) {
		if (!json_object_is_type(v, json_type_array))
			return fail(p, -EINVAL,
				    "%s: mappings %s is not an array",
				    d.chardev, quote(v, q, sizeof(q)));
		rc = get_ranges(p, &d, v, &total);
		have_ranges = d.nr_ranges > 0;
	}
	if (rc == 0) {
		bool has_size = json_object_object_get_ex(jd, "size", &jsize);

		rc = get_size(p, &d, jsize, has_size, have_ranges, total);
	}
	if (rc == 0 && d.size == 0) {
		free(d.ranges); /* idle device: nothing to create */
		return 0;
	}
	if (rc == 0)
		rc = add_dev(p, &d, f.id);
	if (rc)
		free(d.ranges);
	return rc;
}

static int parse_region(struct parser *p, json_object *jr, const char *where)
{
	json_object *jid, *jdevs;
	char buf[64], q[64];
	size_t i, n;
	int64_t id;
	int rc;

	if (!json_object_object_get_ex(jr, "devices", &jdevs))
		return 0; /* a region without devices: nothing to create */
	if (!json_object_is_type(jdevs, json_type_array))
		return fail(p, -EINVAL, "%s: devices %s is not an array", where,
			    quote(jdevs, q, sizeof(q)));
	if (!json_object_object_get_ex(jr, "id", &jid))
		return fail(p, -EINVAL, "%s has devices but no \"id\"", where);
	id = json_object_get_int64(jid);
	if (!json_object_is_type(jid, json_type_int) || id < 0 || id > INT_MAX)
		return fail(p, -EINVAL, "%s: invalid region id %s", where,
			    quote(jid, q, sizeof(q)));
	n = json_object_array_length(jdevs);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "region %d, device %zu", (int)id, i);
		rc = parse_dev(p, json_object_array_get_idx(jdevs, i), (int)id,
			       buf);
		if (rc)
			return rc;
	}
	return 0;
}

/* An element of the document: a device (has "chardev") or a region. */
static int parse_item(struct parser *p, json_object *o, const char *where)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(p, -EINVAL,
			    "%s is not an object (expected a device or a "
			    "region)",
			    where);
	if (json_object_object_get_ex(o, "chardev", NULL))
		return parse_dev(p, o, -1, where);
	if (json_object_object_get_ex(o, "id", NULL) ||
	    json_object_object_get_ex(o, "devices", NULL))
		return parse_region(p, o, where);
	return fail(p, -EINVAL,
		    "%s is neither a device (no \"chardev\") nor a region "
		    "(no \"id\")",
		    where);
}

struct owned_range {
	const struct input_range *r;
	size_t dev;
};

static int cmp_start(const void *a, const void *b)
{
	const struct owned_range *x = a, *y = b;

	return x->r->start < y->r->start ? -1 : x->r->start > y->r->start;
}

static int check_overlaps(struct parser *p)
{
	const struct input_plan *plan = p->plan;
	struct owned_range *all;
	size_t n = 0, i, k;
	int rc = 0;

	for (i = 0; i < plan->nr; i++)
		n += plan->devs[i].nr_ranges;
	if (n < 2)
		return 0;
	all = calloc(n, sizeof(*all));
	if (!all)
		return oom(p);
	for (i = 0, n = 0; i < plan->nr; i++)
		for (k = 0; k < plan->devs[i].nr_ranges; k++)
			all[n++] = (struct owned_range){
				&plan->devs[i].ranges[k], i};
	qsort(all, n, sizeof(*all), cmp_start);
	for (i = 1; i < n; i++) {
		const struct owned_range *a = &all[i - 1], *b = &all[i];

		if (b->r->start > a->r->end)
			continue;
		if (a->dev == b->dev)
			rc = fail(p, -EINVAL, "%s: mappings overlap at %#llx",
				  plan->devs[a->dev].chardev,
				  (unsigned long long)b->r->start);
		else
			rc = fail(p, -EINVAL, "%s and %s overlap at %#llx",
				  plan->devs[a->dev].chardev,
				  plan->devs[b->dev].chardev,
				  (unsigned long long)b->r->start);
		break;
	}
	free(all);
	return rc;
}

struct dev_key {
	int region, id;
	size_t dev;
};

static int cmp_key(const void *a, const void *b)
{
	const struct dev_key *x = a, *y = b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

static int check_duplicates(struct parser *p)
{
	const struct input_plan *plan = p->plan;
	struct dev_key *keys;
	size_t i;
	int rc = 0;

	keys = calloc(plan->nr, sizeof(*keys));
	if (!keys)
		return oom(p);
	for (i = 0; i < plan->nr; i++)
		keys[i] = (struct dev_key){plan->devs[i].region, p->ids[i], i};
	qsort(keys, plan->nr, sizeof(*keys), cmp_key);
	for (i = 1; i < plan->nr && rc == 0; i++)
		if (keys[i].region == keys[i - 1].region &&
		    keys[i].id == keys[i - 1].id)
			rc = fail(p, -EINVAL, "%s appears twice",
				  plan->devs[keys[i].dev].chardev);
	free(keys);
	return rc;
}

/* Line and column (from 1) of byte @off, for syntax errors. */
static void position(const char *text, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

static int parse_json(struct parser *p, const char *text, size_t len,
		      json_object **out)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error e;
	json_object *root;
	size_t end, line, col;

	if (!tok)
		return oom(p);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (e == json_tokener_continue) {
		/* A bare number or literal needs to see the end. */
		root = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
		end = len;
		if (e != json_tokener_success) {
			json_tokener_free(tok);
			return fail(p, -EINVAL,
				    "unexpected end of the JSON text");
		}
	}
	json_tokener_free(tok);
	if (e != json_tokener_success) {
		position(text, end, &line, &col);
		return fail(p, -EINVAL, "line %zu, column %zu: %s", line, col,
			    json_tokener_error_desc(e));
	}
	for (; end < len; end++) {
		if (strchr(" \t\r\n", text[end]))
			continue;
		json_object_put(root);
		position(text, end, &line, &col);
		return fail(p, -EINVAL,
			    "line %zu, column %zu: text after the JSON value",
			    line, col);
	}
	*out = root;
	return 0;
}

int input_parse(const char *text, size_t len, const struct input_system *sys,
		struct input_plan *plan, char *msg, size_t msglen)
{
	struct parser p = {
		.sys = sys, .plan = plan, .msg = msg, .msglen = msglen};
	json_object *root = NULL;
	char where[64];
	size_t i, n;
	int rc;

	if (!sys->page_size || !sys->unit || sys->naligns > 3) {
		snprintf(msg, msglen, "no page size or unit given");
		return -EINVAL;
	}

	plan->devs = NULL;
	plan->nr = 0;
	if (msglen)
		msg[0] = '\0';
	if (len > INPUT_MAX_BYTES)
		return fail(&p, -EINVAL, "larger than %lu MiB",
			    INPUT_MAX_BYTES >> 20);
	if (len > INT_MAX || memchr(text, '\0', len))
		return fail(&p, -EINVAL, "not JSON text (contains a NUL byte)");
	rc = parse_json(&p, text, len, &root);
	if (rc)
		return rc;
	if (json_object_is_type(root, json_type_array)) {
		n = json_object_array_length(root);
		for (i = 0; i < n && rc == 0; i++) {
			snprintf(where, sizeof(where), "element %zu", i);
			rc = parse_item(&p, json_object_array_get_idx(root, i),
					where);
		}
	} else if (json_object_is_type(root, json_type_object)) {
		rc = parse_item(&p, root, "the document");
	} else {
		rc = fail(&p, -EINVAL,
			  "expected a device, an array of devices, or the "
			  "output of daxctl list");
	}
	json_object_put(root);
	if (rc == 0 && plan->nr == 0)
		rc = fail(&p, -EINVAL,
			  "no device to create (devices of size 0 are "
			  "skipped)");
	if (rc == 0)
		rc = check_duplicates(&p);
	if (rc == 0)
		rc = check_overlaps(&p);
	free(p.ids);
	if (rc)
		input_plan_free(plan);
	return rc;
}

void input_plan_free(struct input_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr; i++)
		free(plan->devs[i].ranges);
	free(plan->devs);
	plan->devs = NULL;
	plan->nr = 0;
}
