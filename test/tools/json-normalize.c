// SPDX-License-Identifier: GPL-2.0-only
/*
 * json-normalize: read daxctl list output on stdin and print it with every
 * array put in a canonical order, so that the output of two tools can be
 * compared byte for byte. Upstream daxctl lists devices in readdir order and
 * mappings in reverse; we list both sorted. Objects keep their key order:
 * that is part of the interface and must match as is.
 *
 * Regions sort by "id", devices by the numbers in "chardev", mappings by
 * "page_offset" (an integer, or a hex string under -u). Empty input gives
 * empty output.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

static unsigned long long num_of(json_object *v)
{
	const char *s;

	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_int))
		return (unsigned long long)json_object_get_int64(v);
	s = json_object_get_string(v);
	return s ? strtoull(s, NULL, 0) : 0;
}

static unsigned long long key_of(json_object *o)
{
	json_object *v;
	unsigned int r, n;

	if (!json_object_is_type(o, json_type_object))
		return 0;
	if (json_object_object_get_ex(o, "chardev", &v) &&
	    sscanf(json_object_get_string(v), "dax%u.%u", &r, &n) == 2)
		return ((unsigned long long)r << 32) | n;
	if (json_object_object_get_ex(o, "page_offset", &v))
		return num_of(v);
	if (json_object_object_get_ex(o, "id", &v))
		return num_of(v);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	unsigned long long ka = key_of(*(json_object *const *)a);
	unsigned long long kb = key_of(*(json_object *const *)b);

	return ka < kb ? -1 : ka > kb;
}

static void normalize(json_object *o)
{
	size_t i, n;

	if (json_object_is_type(o, json_type_array)) {
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			normalize(json_object_array_get_idx(o, i));
		json_object_array_sort(o, cmp);
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val)
		{
			(void)key;
			normalize(val);
		}
	}
}

int main(void)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	json_object *root;
	struct json_tokener *tok;
	size_t r;

	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				return 2;
		}
		r = fread(buf + len, 1, 4096, stdin);
		len += r;
		if (r == 0)
			break;
	}
	if (!buf)
		return 0;
	buf[len] = '\0';
	if (strspn(buf, " \t\r\n") == len) {
		free(buf);
		return 0;
	}
	tok = json_tokener_new();
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		fprintf(stderr, "json-normalize: invalid JSON: %s\n",
			json_tokener_error_desc(json_tokener_get_error(tok)));
		return 2;
	}
	normalize(root);
	printf("%s\n", json_object_to_json_string_ext(root,
						       JSON_C_TO_STRING_PRETTY));
	json_object_put(root);
	json_tokener_free(tok);
	free(buf);
	return 0;
}
