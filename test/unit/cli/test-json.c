// SPDX-License-Identifier: GPL-2.0-only
/*
 * Human size and hex formats, the output writer against json-c's pretty
 * printer, and the array-versus-object rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "check.h"
#include "json.h"

static void human(uint64_t bytes, const char *want)
{
	char buf[64];

	format_human_size(bytes, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

/* The document @build writes, as json_print_list() prints it. */
static char *print(void (*build)(struct jw *), bool h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw w;

	jw_init(&w);
	if (build)
		build(&w);
	CHECK_INT(json_print_list(f, &w, h), 0);
	jw_release(&w);
	fclose(f);
	return buf;
}

static uint64_t num;
static bool num_human;

static void one_size(struct jw *w)
{
	jw_size(w, NULL, num, num_human);
}

static void one_hex(struct jw *w)
{
	jw_hex(w, NULL, num, num_human);
}

/* A top-level element as printed: "[\n  " TEXT "\n]\n". */
static void member_text(void (*build)(struct jw *), uint64_t v, bool h,
			const char *want)
{
	char *s, *text;
	size_t n;

	num = v;
	num_human = h;
	s = print(build, false);
	n = strlen(s);
	CHECK(n > 8 && strncmp(s, "[\n  ", 4) == 0 &&
	      strcmp(s + n - 3, "\n]\n") == 0);
	text = strndup(s + 4, n > 7 ? n - 7 : 0);
	CHECK_STR(text, want);
	free(text);
	free(s);
}

static const char *dev_name;

static void dev(struct jw *w)
{
	jw_open(w, NULL, '{');
	jw_str(w, "chardev", dev_name);
	jw_str(w, "path", "/platform/hmem.0");
	jw_size(w, "size", 262144000, true);
	jw_close(w);
}

static void two_devs(struct jw *w)
{
	dev_name = "dax0.0";
	dev(w);
	dev_name = "dax0.1";
	dev(w);
}

static void printer(void)
{
	char *s;

	s = print(NULL, false);
	CHECK_STR(s, "");
	free(s);
	s = print(NULL, true);
	CHECK_STR(s, "");
	free(s);

	dev_name = "dax0.0";
	s = print(dev, false);
	CHECK_STR(s, "[\n"
		     "  {\n"
		     "    \"chardev\":\"dax0.0\",\n"
		     "    \"path\":\"\\/platform\\/hmem.0\",\n"
		     "    \"size\":\"250.00 MiB (262.14 MB)\"\n"
		     "  }\n"
		     "]\n");
	free(s);
	s = print(dev, true);
	CHECK_STR(s, "{\n"
		     "  \"chardev\":\"dax0.0\",\n"
		     "  \"path\":\"\\/platform\\/hmem.0\",\n"
		     "  \"size\":\"250.00 MiB (262.14 MB)\"\n"
		     "}\n");
	free(s);

	s = print(two_devs, true);
	CHECK(s && s[0] == '[' && strstr(s, "dax0.1"));
	free(s);
}

/*
 * The writer against json-c: one document with every kind of member,
 * nesting, empty containers and every byte that json-c escapes, written
 * both ways, must print the same bytes.
 */
static char all_bytes[256];

static void doc_one(struct jw *w)
{
	jw_open(w, NULL, '{');
	jw_str(w, "path", "/sys/devices/platform/hmem.0");
	jw_str(w, "bytes", all_bytes);
	jw_str(w, "", "");
	jw_str(w, "k\"e/y\n", "v");
	jw_int(w, "min", INT64_MIN);
	jw_int(w, "neg", -1);
	jw_int(w, "zero", 0);
	jw_u64(w, "max", UINT64_MAX);
	jw_bool(w, "t", true);
	jw_bool(w, "f", false);
	jw_open(w, "empty_object", '{');
	jw_close(w);
	jw_open(w, "empty_array", '[');
	jw_close(w);
	jw_open(w, "nested", '[');
	jw_open(w, NULL, '[');
	jw_open(w, NULL, '{');
	jw_u64(w, "deep", 6);
	jw_close(w);
	jw_u64(w, NULL, 7);
	jw_close(w);
	jw_str(w, NULL, "x");
	jw_close(w);
	jw_close(w);
}

static void doc(struct jw *w)
{
	doc_one(w);
	jw_u64(w, NULL, 42);
}

static json_object *doc_jsonc(void)
{
	json_object *a = json_object_new_array(), *o = json_object_new_object();
	json_object *nested = json_object_new_array();
	json_object *inner = json_object_new_array();
	json_object *deep = json_object_new_object();

	json_object_object_add(
		o, "path",
		json_object_new_string("/sys/devices/platform/hmem.0"));
	json_object_object_add(o, "bytes", json_object_new_string(all_bytes));
	json_object_object_add(o, "", json_object_new_string(""));
	json_object_object_add(o, "k\"e/y\n", json_object_new_string("v"));
	json_object_object_add(o, "min", json_object_new_int64(INT64_MIN));
	json_object_object_add(o, "neg", json_object_new_int64(-1));
	json_object_object_add(o, "zero", json_object_new_int64(0));
	json_object_object_add(o, "max", json_object_new_uint64(UINT64_MAX));
	json_object_object_add(o, "t", json_object_new_boolean(1));
	json_object_object_add(o, "f", json_object_new_boolean(0));
	json_object_object_add(o, "empty_object", json_object_new_object());
	json_object_object_add(o, "empty_array", json_object_new_array());
	json_object_object_add(deep, "deep", json_object_new_uint64(6));
	json_object_array_add(inner, deep);
	json_object_array_add(inner, json_object_new_uint64(7));
	json_object_array_add(nested, inner);
	json_object_array_add(nested, json_object_new_string("x"));
	json_object_object_add(o, "nested", nested);
	json_object_array_add(a, o);
	json_object_array_add(a, json_object_new_uint64(42));
	return a;
}

static void against_jsonc(void)
{
	json_object *a;
	char *s, *want;
	int i;

	for (i = 1; i < 256; i++)
		all_bytes[i - 1] = (char)i;
	a = doc_jsonc();
	if (asprintf(&want, "%s\n",
		     json_object_to_json_string_ext(
			     a, JSON_C_TO_STRING_PRETTY)) < 0)
		want = NULL;
	s = print(doc, false);
	CHECK_STR(s, want);
	free(s);
	free(want);

	/* One element in human mode: the element alone, at its own indent. */
	if (asprintf(&want, "%s\n",
		     json_object_to_json_string_ext(
			     json_object_array_get_idx(a, 0),
			     JSON_C_TO_STRING_PRETTY)) < 0)
		want = NULL;
	json_object_put(a);
	s = print(doc_one, true);
	CHECK_STR(s, want);
	free(s);
	free(want);
}

/* Misuse is an error, not a malformed document. */
static void misuse(void)
{
	struct jw w;
	int i;
	FILE *f = fopen("/dev/null", "w");

	jw_init(&w);
	jw_u64(&w, "key", 1); /* a key inside an array */
	CHECK_INT(json_print_list(f, &w, false), -EINVAL);
	jw_release(&w);
	jw_init(&w);
	jw_open(&w, NULL, '{');
	jw_u64(&w, NULL, 1); /* no key inside an object */
	CHECK_INT(json_print_list(f, &w, false), -EINVAL);
	jw_release(&w);
	jw_init(&w);
	jw_open(&w, NULL, '{'); /* left open */
	CHECK_INT(json_print_list(f, &w, false), -EINVAL);
	jw_release(&w);
	jw_init(&w);
	jw_close(&w); /* the top array is closed by the printer */
	CHECK_INT(json_print_list(f, &w, false), -EINVAL);
	jw_release(&w);
	jw_init(&w);
	for (i = 1; i < JW_MAX_DEPTH; i++)
		jw_open(&w, NULL, '['); /* as deep as it goes */
	CHECK_INT(w.err, 0);
	jw_open(&w, NULL, '['); /* one too deep */
	CHECK_INT(w.err, -EINVAL);
	jw_release(&w);
	fclose(f);
}

int main(void)
{
	/* The examples of upstream's documentation and code. */
	human(262144000, "250.00 MiB (262.14 MB)");
	human(2ULL << 30, "2.00 GiB (2.15 GB)");
	human(16777216000ULL, "15.63 GiB (16.78 GB)");
	human(1ULL << 30, "1024.00 MiB (1073.74 MB)");
	human(32826277888ULL, "30.57 GiB (32.83 GB)");
	/* Unit boundaries. */
	human(5120000, "4.88 MiB (5.12 MB)");
	human((2ULL << 30) - 1, "2048.00 MiB (2147.48 MB)");
	human(2ULL << 40, "2.00 TiB (2.20 TB)");
	human((2ULL << 40) - 1, "2048.00 GiB (2199.02 GB)");
	/* Half up: 1.005 MiB is 1.01, 1.004999 MiB is 1.00. */
	human(1048576 + 5243, "1.01 MiB (1.05 MB)");
	human(1048576 + 5242, "1.00 MiB (1.05 MB)");
	/* Large values must not overflow the intermediate product. */
	human(UINT64_MAX, "16777216.00 TiB (18446744.07 TB)");

	member_text(one_size, 2097152, true, "2097152");
	member_text(one_size, 5119999, true, "5119999");
	member_text(one_size, 5120000, true, "\"4.88 MiB (5.12 MB)\"");
	member_text(one_size, 262144000, false, "262144000");
	member_text(one_size, UINT64_MAX, false, "18446744073709551615");

	member_text(one_hex, 0, true, "\"0\"");
	member_text(one_hex, 0x100000000ULL, true, "\"0x100000000\"");
	member_text(one_hex, 0xabcdefULL, true, "\"0xabcdef\"");
	member_text(one_hex, UINT64_MAX, true, "\"0xffffffffffffffff\"");
	member_text(one_hex, 0x8000, false, "32768");

	printer();
	against_jsonc();
	misuse();
	return check_result("test-json");
}
