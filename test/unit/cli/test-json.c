// SPDX-License-Identifier: GPL-2.0-only
/* Human size and hex formats, and the array-versus-object printer. */
#include <stdlib.h>

#include "check.h"
#include "json.h"

static void human(uint64_t bytes, const char *want)
{
	char buf[64];

	format_human_size(bytes, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

/* The JSON text json_size() produces, without the pretty printer. */
static void size_json(uint64_t bytes, bool h, const char *want)
{
	json_object *o = json_size(bytes, h);

	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  want);
	json_object_put(o);
}

static void hex_json(uint64_t v, bool h, const char *want)
{
	json_object *o = json_hex(v, h);

	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  want);
	json_object_put(o);
}

static char *print(json_object *array, bool h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_INT(json_print_list(f, array, h), 0);
	fclose(f);
	return buf;
}

static json_object *dev(const char *name)
{
	json_object *o = json_object_new_object();

	json_add(o, "chardev", json_object_new_string(name));
	json_add(o, "path", json_object_new_string("/platform/hmem.0"));
	json_add(o, "size", json_size(262144000, true));
	return o;
}

static void printer(void)
{
	json_object *a = json_object_new_array();
	char *s;

	s = print(a, false);
	CHECK_STR(s, "");
	free(s);
	s = print(a, true);
	CHECK_STR(s, "");
	free(s);

	json_object_array_add(a, dev("dax0.0"));
	s = print(a, false);
	CHECK_STR(s, "[\n"
		     "  {\n"
		     "    \"chardev\":\"dax0.0\",\n"
		     "    \"path\":\"\\/platform\\/hmem.0\",\n"
		     "    \"size\":\"250.00 MiB (262.14 MB)\"\n"
		     "  }\n"
		     "]\n");
	free(s);
	s = print(a, true);
	CHECK_STR(s, "{\n"
		     "  \"chardev\":\"dax0.0\",\n"
		     "  \"path\":\"\\/platform\\/hmem.0\",\n"
		     "  \"size\":\"250.00 MiB (262.14 MB)\"\n"
		     "}\n");
	free(s);

	json_object_array_add(a, dev("dax0.1"));
	s = print(a, true);
	CHECK(s && s[0] == '[' && strstr(s, "dax0.1"));
	free(s);
	json_object_put(a);
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

	size_json(2097152, true, "2097152");
	size_json(5119999, true, "5119999");
	size_json(5120000, true, "\"4.88 MiB (5.12 MB)\"");
	size_json(262144000, false, "262144000");
	size_json(UINT64_MAX, false, "18446744073709551615");

	hex_json(0, true, "\"0\"");
	hex_json(0x100000000ULL, true, "\"0x100000000\"");
	hex_json(0xabcdefULL, true, "\"0xabcdef\"");
	hex_json(UINT64_MAX, true, "\"0xffffffffffffffff\"");
	hex_json(0x8000, false, "32768");

	printer();
	return check_result("test-json");
}
