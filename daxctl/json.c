// SPDX-License-Identifier: GPL-2.0-only
/* JSON number formatting and printing, compatible with upstream daxctl. */
#include <errno.h>
#include <inttypes.h>
#include <sys/uio.h>

#include "json.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)

/*
 * @bytes in hundredths of @unit, rounded half up: bytes * 200 / unit, + 1,
 * halved. Split into quotient and remainder so that it cannot overflow.
 */
static uint64_t centi(uint64_t bytes, uint64_t unit)
{
	uint64_t twice = bytes / unit * 200 + bytes % unit * 200 / unit;

	return (twice + 1) / 2;
}

int format_human_size(uint64_t bytes, char *buf, size_t size)
{
	static const struct {
		uint64_t below, bin, dec;
		const char *bname, *dname;
	} units[] = {
		{2 * GiB, MiB, 1000000ULL, "MiB", "MB"},
		{2 * TiB, GiB, 1000000000ULL, "GiB", "GB"},
		{UINT64_MAX, TiB, 1000000000000ULL, "TiB", "TB"},
	};
	size_t i;
	uint64_t b, d;

	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1; i++)
		if (bytes < units[i].below)
			break;
	b = centi(bytes, units[i].bin);
	d = centi(bytes, units[i].dec);
	return snprintf(buf, size,
			"%" PRIu64 ".%02" PRIu64 " %s (%" PRIu64 ".%02" PRIu64
			" %s)",
			b / 100, b % 100, units[i].bname, d / 100, d % 100,
			units[i].dname);
}

int format_hex(uint64_t v, char *buf, size_t size)
{
	return snprintf(buf, size, "%#" PRIx64, v);
}

json_object *json_size(uint64_t bytes, bool human)
{
	char buf[64];

	if (!human || bytes < HUMAN_SIZE_MIN)
		return json_object_new_uint64(bytes);
	format_human_size(bytes, buf, sizeof(buf));
	return json_object_new_string(buf);
}

json_object *json_hex(uint64_t v, bool human)
{
	char buf[32];

	if (!human)
		return json_object_new_uint64(v);
	format_hex(v, buf, sizeof(buf));
	return json_object_new_string(buf);
}

json_object *json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

json_object *json_int(int64_t v)
{
	return json_object_new_int64(v);
}

int json_add(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val) < 0) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

/*
 * @text and a newline to @f. The document is all a command prints on
 * stdout, so it goes out in one writev(2), past the stdio buffer: a daxctl
 * process is short, and the stdio code it would run first costs measurable
 * time in the benchmarks' TCG guests. What cannot go that way (a memory
 * stream, or after an error) goes through stdio as before, so that errors
 * are reported where they were: here, or when stdout is closed at exit.
 */
static int print_doc(FILE *f, const char *text, size_t len)
{
	struct iovec iov[2] = {{(void *)text, len}, {(void *)"\n", 1}};
	int fd = fileno(f);
	size_t i;

	if (fd >= 0 && fflush(f) == 0) {
		while (iov[0].iov_len + iov[1].iov_len > 0) {
			ssize_t n = writev(fd, iov, 2);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			for (i = 0; i < 2; i++) {
				size_t k = (size_t)n < iov[i].iov_len
						   ? (size_t)n
						   : iov[i].iov_len;

				iov[i].iov_base = (char *)iov[i].iov_base + k;
				iov[i].iov_len -= k;
				n -= (ssize_t)k;
			}
		}
	}
	for (i = 0; i < 2; i++)
		if (fwrite(iov[i].iov_base, 1, iov[i].iov_len, f) !=
		    iov[i].iov_len)
			return -EIO;
	return 0;
}

int json_print_list(FILE *f, json_object *array, bool human)
{
	size_t n = json_object_array_length(array), len;
	json_object *doc = array;
	const char *text;

	if (n == 0)
		return 0;
	if (human && n == 1)
		doc = json_object_array_get_idx(array, 0);
	text = json_object_to_json_string_length(doc, JSON_C_TO_STRING_PRETTY,
						 &len);
	if (!text)
		return -ENOMEM;
	return print_doc(f, text, len);
}
