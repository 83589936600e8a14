// SPDX-License-Identifier: GPL-2.0-only
/* The internal attribute parsers, path helpers and log priority parsing. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "check.h"
#include "private.h"

/* Parse a C string literal, which may hold NULs: pass sizeof - 1. */
#define U64(lit, v) dax_parse_u64(lit, sizeof(lit) - 1, v)
#define INT(lit, neg, v) dax_parse_int(lit, sizeof(lit) - 1, neg, v)
#define HEX(lit, pre, v) dax_parse_hex(lit, sizeof(lit) - 1, pre, v)

static void test_u64(void)
{
	uint64_t v = 0;

	CHECK_INT(U64("0\n", &v), 0);
	CHECK_U64(v, 0);
	CHECK_INT(U64("536870912\n", &v), 0);
	CHECK_U64(v, 536870912);
	CHECK_INT(U64("42", &v), 0); /* missing newline is fine */
	CHECK_U64(v, 42);
	CHECK_INT(U64("18446744073709551615\n", &v), 0);
	CHECK_U64(v, UINT64_MAX);

	v = 7;
	CHECK_INT(U64("18446744073709551616\n", &v), -ERANGE);
	CHECK_INT(U64("99999999999999999999999\n", &v), -ERANGE);
	CHECK_U64(v, 7); /* untouched on error */
	CHECK_INT(U64("", &v), -EINVAL);
	CHECK_INT(U64("\n", &v), -EINVAL);
	CHECK_INT(U64("12\n\n", &v), -EINVAL);
	CHECK_INT(U64("\n12", &v), -EINVAL);
	CHECK_INT(U64("1\n2", &v), -EINVAL);
	CHECK_INT(U64("12abc\n", &v), -EINVAL);
	CHECK_INT(U64("abc\n", &v), -EINVAL);
	CHECK_INT(U64("12 \n", &v), -EINVAL);
	CHECK_INT(U64(" 12\n", &v), -EINVAL);
	CHECK_INT(U64("+12\n", &v), -EINVAL);
	CHECK_INT(U64("-1\n", &v), -EINVAL);
	CHECK_INT(U64("0x10\n", &v), -EINVAL);
	CHECK_INT(U64("1\0002\n", &v), -EINVAL);
	CHECK_INT(U64("12\n\0", &v), -EINVAL);
	CHECK_INT(U64("12\r\n", &v), -EINVAL);
	CHECK_INT(U64("99999999999999999999999x\n", &v), -EINVAL);
}

static void test_int(void)
{
	int v = 0;

	CHECK_INT(INT("-1\n", true, &v), 0);
	CHECK_INT(v, -1);
	CHECK_INT(INT("3\n", false, &v), 0);
	CHECK_INT(v, 3);
	CHECK_INT(INT("2147483647\n", false, &v), 0);
	CHECK_INT(v, INT_MAX);
	CHECK_INT(INT("-2147483648\n", true, &v), 0);
	CHECK_INT(v, INT_MIN);
	CHECK_INT(INT("-0\n", true, &v), 0);
	CHECK_INT(v, 0);

	v = 5;
	CHECK_INT(INT("-1\n", false, &v), -EINVAL);
	CHECK_INT(INT("2147483648\n", false, &v), -ERANGE);
	CHECK_INT(INT("-2147483649\n", true, &v), -ERANGE);
	CHECK_INT(INT("-\n", true, &v), -EINVAL);
	CHECK_INT(INT("--1\n", true, &v), -EINVAL);
	CHECK_INT(INT("1-\n", true, &v), -EINVAL);
	CHECK_INT(INT("", true, &v), -EINVAL);
	CHECK_INT(INT("\n\n", true, &v), -EINVAL);
	CHECK_INT(INT("1\n\n", true, &v), -EINVAL);
	CHECK_INT(INT("0x1\n", true, &v), -EINVAL);
	CHECK_INT(INT("1.0\n", true, &v), -EINVAL);
	CHECK_INT(v, 5);
}

static void test_hex(void)
{
	uint64_t v = 0;

	CHECK_INT(HEX("0x0\n", true, &v), 0);
	CHECK_U64(v, 0);
	CHECK_INT(HEX("0x100000000\n", true, &v), 0);
	CHECK_U64(v, 0x100000000ull);
	CHECK_INT(HEX("0xABCdef\n", true, &v), 0);
	CHECK_U64(v, 0xabcdef);
	CHECK_INT(HEX("0xffffffffffffffff", true, &v), 0);
	CHECK_U64(v, UINT64_MAX);
	CHECK_INT(HEX("0x0000000000000000001\n", true, &v), 0);
	CHECK_U64(v, 1);
	CHECK_INT(HEX("8000000\n", false, &v), 0);
	CHECK_U64(v, 0x8000000);

	v = 9;
	CHECK_INT(HEX("0x10000000000000000\n", true, &v), -ERANGE);
	CHECK_INT(HEX("100\n", true, &v), -EINVAL); /* 0x required */
	CHECK_INT(HEX("0X100\n", true, &v), -EINVAL);
	CHECK_INT(HEX("0x\n", true, &v), -EINVAL);
	CHECK_INT(HEX("0x", true, &v), -EINVAL);
	CHECK_INT(HEX("x10\n", true, &v), -EINVAL);
	CHECK_INT(HEX("0x10g\n", true, &v), -EINVAL);
	CHECK_INT(HEX("0x10 \n", true, &v), -EINVAL);
	CHECK_INT(HEX("-0x10\n", true, &v), -EINVAL);
	CHECK_INT(HEX("0x10\n\n", true, &v), -EINVAL);
	CHECK_INT(HEX("0x1\0000\n", true, &v), -EINVAL);
	CHECK_INT(HEX("", true, &v), -EINVAL);
	CHECK_INT(HEX("0x8000000\n", false, &v), -EINVAL); /* no 0x here */
	CHECK_INT(HEX("\n", false, &v), -EINVAL);
	CHECK_INT(HEX("ffffffffffffffff1\n", false, &v), -ERANGE);
	CHECK_U64(v, 9);
}

static void test_str(void)
{
	size_t n = 99;

	CHECK_INT(dax_parse_str("dax0.1\n", 7, &n), 0);
	CHECK_INT(n, 6);
	CHECK_INT(dax_parse_str("\n", 1, &n), 0); /* empty seed */
	CHECK_INT(n, 0);
	CHECK_INT(dax_parse_str("", 0, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(dax_parse_str("Movable Normal\n", 15, &n), 0);
	CHECK_INT(n, 14);
	CHECK_INT(dax_parse_str("a\n\n", 3, &n), -EINVAL);
	CHECK_INT(dax_parse_str("a\nb\n", 4, &n), -EINVAL);
	CHECK_INT(dax_parse_str("a\0b\n", 4, &n), -EINVAL);
}

static void test_devnum(void)
{
	unsigned int ma = 0, mi = 0;

	CHECK_INT(dax_parse_devnum("252:0\n", 6, &ma, &mi), 0);
	CHECK_INT(ma, 252);
	CHECK_INT(mi, 0);
	CHECK_INT(dax_parse_devnum("1:1048575", 9, &ma, &mi), 0);
	CHECK_INT(mi, 1048575);
	CHECK_INT(dax_parse_devnum("252\n", 4, &ma, &mi), -EINVAL);
	CHECK_INT(dax_parse_devnum(":0\n", 3, &ma, &mi), -EINVAL);
	CHECK_INT(dax_parse_devnum("252:\n", 5, &ma, &mi), -EINVAL);
	CHECK_INT(dax_parse_devnum("252:0:1\n", 8, &ma, &mi), -EINVAL);
	CHECK_INT(dax_parse_devnum("252:-1\n", 7, &ma, &mi), -EINVAL);
	CHECK_INT(dax_parse_devnum("252: 1\n", 7, &ma, &mi), -EINVAL);
	CHECK_INT(dax_parse_devnum("4294967296:0\n", 13, &ma, &mi), -ERANGE);
	CHECK_INT(dax_parse_devnum("", 0, &ma, &mi), -EINVAL);
}

static void test_devname(void)
{
	int r = -1, id = -1;
	unsigned int k = 0;

	CHECK_INT(dax_parse_devname("dax0.0", &r, &id), 0);
	CHECK_INT(r, 0);
	CHECK_INT(id, 0);
	CHECK_INT(dax_parse_devname("dax12.345", &r, &id), 0);
	CHECK_INT(r, 12);
	CHECK_INT(id, 345);
	CHECK_INT(dax_parse_devname("dax2147483647.1", &r, &id), 0);
	CHECK_INT(r, INT_MAX);

	CHECK_INT(dax_parse_devname("dax01.2", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax1.02", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax1", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax1.", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax.1", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax1.2.3", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax-1.2", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax+1.2", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax1.2 ", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("Dax1.2", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax2147483648.1", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("", &r, &id), -EINVAL);
	CHECK_INT(dax_parse_devname("dax_region", &r, &id), -EINVAL);

	CHECK_INT(dax_parse_index("0", &k), 0);
	CHECK_INT(k, 0);
	CHECK_INT(dax_parse_index("17", &k), 0);
	CHECK_INT(k, 17);
	CHECK(dax_parse_index("", &k) < 0);
	CHECK(dax_parse_index("01", &k) < 0);
	CHECK(dax_parse_index("1a", &k) < 0);
}

static void resolve_case(const char *base, const char *target,
			 const char *expect)
{
	char *p = dax_path_resolve(base, target);

	CHECK_STR(p, expect);
	free(p);
}

static void test_paths(void)
{
	resolve_case("/sys/bus/dax/devices",
		     "../../../devices/platform/hmem.0/dax0.0",
		     "/sys/devices/platform/hmem.0/dax0.0");
	resolve_case("/sys/class/dax",
		     "../../devices/platform/e820/ndbus0/region7/dax7.0/dax/"
		     "dax7.0",
		     "/sys/devices/platform/e820/ndbus0/region7/dax7.0/dax/"
		     "dax7.0");
	resolve_case("/sys/bus/dax/devices", "./x//y/./z/",
		     "/sys/bus/dax/"
		     "devices/x/y/z");
	resolve_case("/a", "../../../../b", "/b");
	resolve_case("/a/b", "..", "/a");
	resolve_case("/a", "..", "/");
	resolve_case("/", "", "/");
	resolve_case("/sys/bus", "/sys/devices/x", "/sys/devices/x");
	resolve_case("/sys/bus", "/../x", "/x");
	resolve_case("/sys/bus", "...", "/sys/bus/...");

	CHECK_STR(dax_path_basename("/sys/devices/platform/hmem.0"), "hmem.0");
	CHECK_STR(dax_path_basename("/"), "");
	CHECK_STR(dax_path_basename("x"), "x");
}

static void test_escape(void)
{
	char out[32];

	dax_escape("12abc\n", 6, out, sizeof(out));
	CHECK_STR(out, "\"12abc\\n\"");
	dax_escape("a\0b\x7f\"\\", 6, out, sizeof(out));
	CHECK_STR(out, "\"a\\x00b\\x7f\\\"\\\\\"");
	dax_escape("", 0, out, sizeof(out));
	CHECK_STR(out, "\"\"");
	dax_escape("0123456789012345678901234567890123456789", 40, out,
		   sizeof(out));
	CHECK(strlen(out) < sizeof(out));
	CHECK(strstr(out, "...\"") != NULL);
	dax_escape("\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01", 10, out, 12);
	CHECK(strlen(out) < 12);
}

static void test_log_priority(void)
{
	int p = -1;

	CHECK_INT(dax_parse_log_priority("err", &p), 0);
	CHECK_INT(p, LOG_ERR);
	CHECK_INT(dax_parse_log_priority("warning", &p), 0);
	CHECK_INT(p, LOG_WARNING);
	CHECK_INT(dax_parse_log_priority("notice", &p), 0);
	CHECK_INT(p, LOG_NOTICE);
	CHECK_INT(dax_parse_log_priority("info", &p), 0);
	CHECK_INT(p, LOG_INFO);
	CHECK_INT(dax_parse_log_priority("debug", &p), 0);
	CHECK_INT(p, LOG_DEBUG);
	CHECK_INT(dax_parse_log_priority("6", &p), 0);
	CHECK_INT(p, 6);
	CHECK_INT(dax_parse_log_priority("0", &p), 0);
	CHECK_INT(p, 0);
	CHECK(dax_parse_log_priority("8", &p) < 0);
	CHECK(dax_parse_log_priority("-1", &p) < 0);
	CHECK(dax_parse_log_priority("verbose", &p) < 0);
	CHECK(dax_parse_log_priority("", &p) < 0);
	CHECK(dax_parse_log_priority("DEBUG", &p) < 0);
}

int main(void)
{
	test_u64();
	test_int();
	test_hex();
	test_str();
	test_devnum();
	test_devname();
	test_paths();
	test_escape();
	test_log_priority();
	return check_exit();
}
