// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON number formats and the output writer, byte for byte what upstream
 * daxctl prints through json-c (json.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
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

/* Keep the first error: later calls become no-ops. */
static void fail(struct jw *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Room for @n more bytes; false (the error kept) when there is none. */
static bool reserve(struct jw *w, size_t n)
{
	size_t cap;
	char *nb;

	if (w->err)
		return false;
	if (w->cap - w->len >= n)
		return true;
	cap = w->cap ? w->cap : 16384;
	while (cap - w->len < n) {
		if (cap > SIZE_MAX / 2) {
			fail(w, -ENOMEM);
			return false;
		}
		cap *= 2;
	}
	nb = realloc(w->buf, cap);
	if (!nb) {
		fail(w, -ENOMEM);
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

static void put(struct jw *w, const char *s, size_t n)
{
	if (reserve(w, n)) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	}
}

static void indent(struct jw *w, unsigned int level)
{
	if (reserve(w, 2 * level)) {
		memset(w->buf + w->len, ' ', 2 * level);
		w->len += 2 * level;
	}
}

/* json-c's escapes: the short forms, "\/", and \u00xx for other controls. */
static void put_quoted(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	char esc[6] = {'\\'};
	size_t n;

	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		n = 2;
		switch (c) {
		case '\b':
			esc[1] = 'b';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '"':
		case '\\':
		case '/':
			esc[1] = (char)c;
			break;
		default:
			if (c >= ' ')
				continue;
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			n = 6;
		}
		put(w, run, (size_t)(s - run));
		put(w, esc, n);
		run = s + 1;
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

/* The separator, indent and key of a new member of the open container. */
static void member(struct jw *w, const char *key)
{
	unsigned int top = w->depth - 1;

	if (w->err)
		return;
	if (w->depth == 0 || (w->kind[top] == '{') != (key != NULL)) {
		fail(w, -EINVAL);
		return;
	}
	if (w->members[top])
		put(w, ",\n", 2);
	w->members[top] = true;
	if (top == 0)
		w->items++;
	indent(w, w->depth);
	if (key) {
		put_quoted(w, key);
		put(w, ":", 1);
	}
}

void jw_init(struct jw *w)
{
	*w = (struct jw){.depth = 1, .kind = {'['}};
	put(w, "[\n", 2);
}

void jw_release(struct jw *w)
{
	free(w->buf);
	*w = (struct jw){0};
}

void jw_open(struct jw *w, const char *key, char bracket)
{
	if (w->err)
		return;
	if (w->depth == JW_MAX_DEPTH || (bracket != '{' && bracket != '[')) {
		fail(w, -EINVAL);
		return;
	}
	member(w, key);
	w->kind[w->depth] = bracket;
	w->members[w->depth] = false;
	w->depth++;
	put(w, bracket == '{' ? "{\n" : "[\n", 2);
}

/* json-c: "{\n", the members each on a line, then the bracket at the
 * container's own indent; an empty container keeps its first newline. */
static void close_one(struct jw *w)
{
	w->depth--;
	if (w->members[w->depth])
		put(w, "\n", 1);
	indent(w, w->depth);
	put(w, w->kind[w->depth] == '{' ? "}" : "]", 1);
}

void jw_close(struct jw *w)
{
	if (w->err)
		return;
	if (w->depth < 2)
		fail(w, -EINVAL);
	else
		close_one(w);
}

void jw_str(struct jw *w, const char *key, const char *s)
{
	member(w, key);
	put_quoted(w, s);
}

/* A number member: @magnitude in decimal, after a '-' when @negative. */
static void number(struct jw *w, const char *key, uint64_t magnitude,
		   bool negative)
{
	char digits[21];
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude);
	if (negative)
		digits[--n] = '-';
	member(w, key);
	put(w, digits + n, sizeof(digits) - n);
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	number(w, key, v, false);
}

void jw_int(struct jw *w, const char *key, int64_t v)
{
	/* -v computed without negating INT64_MIN. */
	number(w, key, v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v, v < 0);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	member(w, key);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_size(struct jw *w, const char *key, uint64_t bytes, bool human)
{
	char buf[64];

	if (!human || bytes < HUMAN_SIZE_MIN) {
		jw_u64(w, key, bytes);
		return;
	}
	format_human_size(bytes, buf, sizeof(buf));
	jw_str(w, key, buf);
}

void jw_hex(struct jw *w, const char *key, uint64_t v, bool human)
{
	char buf[32];

	if (!human) {
		jw_u64(w, key, v);
		return;
	}
	format_hex(v, buf, sizeof(buf));
	jw_str(w, key, buf);
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

/*
 * A document holding one element, made the element itself: drop the top
 * array's lines and two spaces of every other line's indent. Strings hold
 * no raw newline (it is escaped), so lines are the layout's own.
 */
static void unwrap(struct jw *w)
{
	char *src = w->buf + 2, *end = w->buf + w->len - 2, *dst = w->buf;

	while (src < end) {
		char *nl = memchr(src, '\n', (size_t)(end - src));
		size_t n =
			(nl ? (size_t)(nl - src) + 1 : (size_t)(end - src)) - 2;

		memmove(dst, src + 2, n);
		dst += n;
		src += n + 2;
	}
	w->len = (size_t)(dst - w->buf);
}

static int print_list(FILE *f, struct jw *w, bool human)
{
	if (w->depth != 1)
		fail(w, -EINVAL);
	else
		close_one(w);
	if (w->err)
		return w->err;
	if (w->items == 0)
		return 0;
	if (human && w->items == 1)
		unwrap(w);
	return print_doc(f, w->buf, w->len);
}

int json_print_list(FILE *f, struct jw *w, bool human)
{
	int rc = print_list(f, w, human);

	if (rc == -ENOMEM)
		fprintf(stderr, "error: out of memory\n");
	else if (rc == -EIO)
		fprintf(stderr, "error: cannot write the JSON output\n");
	else if (rc)
		fprintf(stderr,
			"error: malformed JSON output (a daxctl bug)\n");
	return rc;
}
