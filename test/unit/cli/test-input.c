// SPDX-License-Identifier: GPL-2.0-only
/*
 * input_parse(): the documents create-device --input accepts (daxctl list
 * output, plain and -u, whole or per device, recorded in input/ from the
 * "restore" tree), and every kind of rejected document with its message.
 *
 *   test-input DIR    DIR holds the recorded list outputs (input/)
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "input.h"

/* The system of the recorded documents: x86-64. */
static const struct input_system x86 = {
	.page_size = 4096,
	.unit = 2ULL << 20,
	.aligns = {4096, 2ULL << 20, 1ULL << 30},
	.naligns = 3,
};

/* One line per device: "dax0.1 r0 1073741824 a0 on 0x...-0x...,..." */
static char *describe(const struct input_plan *plan)
{
	static char buf[4096];
	size_t i, len = 0;
	unsigned int k;

	buf[0] = '\0';
	for (i = 0; i < plan->nr; i++) {
		const struct input_dev *d = &plan->devs[i];

		len += snprintf(buf + len, sizeof(buf) - len,
				"%s r%d %llu a%llu %s", d->chardev, d->region,
				(unsigned long long)d->size,
				(unsigned long long)d->align,
				d->disabled ? "off" : "on");
		for (k = 0; k < d->nr_ranges; k++)
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%#llx-%#llx", k ? "," : " ",
					(unsigned long long)d->ranges[k].start,
					(unsigned long long)d->ranges[k].end);
		len += snprintf(buf + len, sizeof(buf) - len, "\n");
	}
	return buf;
}

static void ok_len(const char *name, const char *text, size_t len,
		   const char *want)
{
	struct input_plan plan;
	char msg[256];
	int rc = input_parse(text, len, &x86, &plan, msg, sizeof(msg));

	if (rc != 0) {
		fprintf(stderr, "%s: rc %d (%s), want success\n", name, rc,
			msg);
		check_failures++;
		return;
	}
	if (strcmp(describe(&plan), want) != 0) {
		fprintf(stderr, "%s: got\n%swant\n%s", name, describe(&plan),
			want);
		check_failures++;
	}
	input_plan_free(&plan);
	CHECK(plan.devs == NULL && plan.nr == 0);
}

static void ok(const char *text, const char *want)
{
	ok_len(text, text, strlen(text), want);
}

static void bad_len(const char *name, const char *text, size_t len, int want_rc,
		    const char *want_msg)
{
	struct input_plan plan = {(void *)1, 99};
	char msg[256];
	int rc = input_parse(text, len, &x86, &plan, msg, sizeof(msg));

	if (rc != want_rc || strcmp(msg, want_msg) != 0) {
		fprintf(stderr, "%s:\n  got  %d \"%s\"\n  want %d \"%s\"\n",
			name, rc, msg, want_rc, want_msg);
		check_failures++;
	}
	if (rc == 0)
		input_plan_free(&plan);
	else
		CHECK(plan.devs == NULL && plan.nr == 0);
}

static void bad(const char *text, int want_rc, const char *want_msg)
{
	bad_len(text, text, strlen(text), want_rc, want_msg);
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(1);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

#define RESTORE_PLAN                                                     \
	"dax0.1 r0 1073741824 a2097152 on "                              \
	"0x100000000-0x11fffffff,0x180000000-0x19fffffff\n"              \
	"dax0.2 r0 1073741824 a1073741824 off 0x140000000-0x17fffffff\n" \
	"dax1.0 r1 268435456 a2097152 on 0x200000000-0x20fffffff\n"

static void recorded(const char *dir)
{
	static const struct {
		const char *file;
		int rc;
		const char *want;
	} cases[] = {
		{"list-RDMi.json", 0, RESTORE_PLAN},
		{"list-RDMiu.json", 0, RESTORE_PLAN},
		{"list-M.json", 0, RESTORE_PLAN},
		{"list-Mu-dax0.1.json", 0,
		 "dax0.1 r0 1073741824 a2097152 on "
		 "0x100000000-0x11fffffff,0x180000000-0x19fffffff\n"},
		{"list-RDu.json", -EINVAL,
		 "dax0.1: size \"1024.00 MiB (1073.74 MB)\" is rounded (daxctl "
		 "list -u): give the size in bytes, or include the mappings "
		 "(daxctl list -M)"},
	};
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = slurp(dir, cases[i].file, &len);

		if (cases[i].rc == 0)
			ok_len(cases[i].file, text, len, cases[i].want);
		else
			bad_len(cases[i].file, text, len, cases[i].rc,
				cases[i].want);
		free(text);
	}
}

/* A device of one 2 MiB range at 0x100000000 with @extra keys. */
#define DEV(extra)                                                           \
	"{\"chardev\":\"dax0.1\"" extra ",\"mappings\":[{\"page_offset\":0," \
	"\"start\":4294967296,\"end\":4297064447}]}"
#define ONE "dax0.1 r0 2097152 a0 on 0x100000000-0x1001fffff\n"

static void accepted(void)
{
	ok(DEV(""), ONE);
	ok(DEV(",\"size\":2097152"), ONE);
	ok(DEV(",\"size\":\"2m\""), ONE);
	ok(DEV(",\"size\":\"0x200000\""), ONE);
	ok(DEV(",\"mode\":\"devdax\",\"state\":\"enabled\""), ONE);
	ok(DEV(",\"state\":\"disabled\""),
	   "dax0.1 r0 2097152 a0 off 0x100000000-0x1001fffff\n");
	ok(DEV(",\"align\":4096"),
	   "dax0.1 r0 2097152 a4096 on 0x100000000-0x1001fffff\n");
	ok(DEV(",\"align\":\"2.00 MiB (2.10 MB)\""),
	   "dax0.1 r0 2097152 a2097152 on 0x100000000-0x1001fffff\n");
	ok(DEV(",\"align\":\"2M\""),
	   "dax0.1 r0 2097152 a2097152 on 0x100000000-0x1001fffff\n");
	ok(DEV(",\"target_node\":1,\"numa_node\":0,\"extra\":[1,{}]"), ONE);
	/* Whitespace around the value; "/dev/" and R.N chardevs. */
	ok(" \n\t" DEV("") "\r\n ", ONE);
	ok("{\"chardev\":\"/dev/dax3.7\",\"size\":4194304}",
	   "dax3.7 r3 4194304 a0 on\n");
	ok("{\"chardev\":\"3.7\",\"size\":\"4m\"}",
	   "dax3.7 r3 4194304 a0 on\n");
	/* Size only; 1 GiB align in the -u form. */
	ok("[{\"chardev\":\"dax0.4\",\"size\":1073741824,"
	   "\"align\":\"1024.00 MiB (1073.74 MB)\"}]",
	   "dax0.4 r0 1073741824 a1073741824 on\n");
	/* Mappings out of order in the file are put in page_offset order. */
	ok("{\"chardev\":\"dax0.1\",\"mappings\":["
	   "{\"page_offset\":\"0x200\",\"start\":\"0x800000\","
	   "\"end\":\"0x9fffff\",\"size\":2097152},"
	   "{\"page_offset\":\"0\",\"start\":\"0x200000\","
	   "\"end\":\"0x3fffff\",\"size\":\"2m\"}]}",
	   "dax0.1 r0 4194304 a0 on 0x200000-0x3fffff,0x800000-0x9fffff\n");
	/* Human size checked against the mappings. */
	ok("{\"chardev\":\"dax0.1\",\"size\":\"6.00 MiB (6.29 MB)\","
	   "\"mappings\":[{\"page_offset\":0,\"start\":\"0x200000\","
	   "\"end\":\"0x7fffff\"}]}",
	   "dax0.1 r0 6291456 a0 on 0x200000-0x7fffff\n");
	/* Idle devices and regions without devices are skipped. */
	ok("[{\"id\":0,\"size\":1},{\"id\":1,\"devices\":[{\"chardev\":"
	   "\"dax1.0\",\"size\":0},{\"chardev\":\"dax1.1\",\"size\":"
	   "2097152}]},{\"chardev\":\"dax2.0\",\"size\":0,\"mappings\":[]}]",
	   "dax1.1 r1 2097152 a0 on\n");
	/* Devices and regions mixed in one array. */
	ok("[{\"chardev\":\"dax0.1\",\"size\":2097152},{\"id\":1,\"devices\":"
	   "[{\"chardev\":\"dax1.1\",\"size\":2097152}]}]",
	   "dax0.1 r0 2097152 a0 on\ndax1.1 r1 2097152 a0 on\n");
	/* Same instance id in two regions is fine; ranges just touch. */
	ok("[{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	   "\"start\":\"0x200000\",\"end\":\"0x3fffff\"}]},"
	   "{\"chardev\":\"dax1.1\",\"mappings\":[{\"page_offset\":0,"
	   "\"start\":\"0x400000\",\"end\":\"0x5fffff\"}]}]",
	   "dax0.1 r0 2097152 a0 on 0x200000-0x3fffff\n"
	   "dax1.1 r1 2097152 a0 on 0x400000-0x5fffff\n");
}

static void rejected(void)
{
	static const char *const nodev =
		"no device to create (devices of size 0 are skipped)";
	char *big;

	/* Not JSON, or not the right JSON. */
	bad("", -EINVAL, "unexpected end of the JSON text");
	bad("  \n", -EINVAL, "unexpected end of the JSON text");
	bad("{", -EINVAL, "unexpected end of the JSON text");
	bad("{\"chardev\":\"dax0.1\",}", -EINVAL,
	    "line 1, column 21: unexpected character");
	bad("{}\n{}", -EINVAL, "line 2, column 1: unexpected character");
	bad("[1,\n 2,]", -EINVAL, "line 2, column 4: unexpected character");
	bad_len("nul", "{\"a\":1}\0", 8, -EINVAL,
		"not JSON text (contains a NUL byte)");
	bad("42", -EINVAL,
	    "expected a device, an array of devices, or the output of "
	    "daxctl list");
	bad("\"dax0.1\"", -EINVAL,
	    "expected a device, an array of devices, or the output of "
	    "daxctl list");
	bad("[]", -EINVAL, nodev);
	bad("{}", -EINVAL,
	    "the document is neither a device (no \"chardev\") nor a region "
	    "(no \"id\")");
	bad("[{\"chardev\":\"dax0.1\",\"size\":2097152},[]]", -EINVAL,
	    "element 1 is not an object (expected a device or a region)");
	bad("[null]", -EINVAL,
	    "element 0 is not an object (expected a device or a region)");

	/* chardev. */
	bad("{\"chardev\":1}", -EINVAL,
	    "the document: chardev 1 is not a string");
	bad("{\"chardev\":\"all\",\"size\":1}", -EINVAL,
	    "the document: invalid chardev \"all\"");
	bad("{\"chardev\":\"dax0\",\"size\":1}", -EINVAL,
	    "the document: invalid chardev \"dax0\": expected all, daxR.N, "
	    "R.N or /dev/daxR.N");
	bad("{\"chardev\":\"dax0.01\",\"size\":1}", -EINVAL,
	    "the document: invalid chardev \"dax0.01\": leading zeros are "
	    "ambiguous");
	bad("{\"chardev\":\"dax0.1\\u0000x\",\"size\":1}", -EINVAL,
	    "the document: chardev \"dax0.1\\u0000x\" is not a string");
	bad("{\"id\":1,\"devices\":[{\"chardev\":\"dax0.1\",\"size\":2097152}]"
	    "}",
	    -EINVAL, "dax0.1 is listed under region 1");
	bad("{\"id\":1,\"devices\":[{\"size\":2097152}]}", -EINVAL,
	    "region 1, device 0 has no \"chardev\"");
	bad("[{\"chardev\":\"dax0.1\",\"size\":2097152},"
	    "{\"chardev\":\"0.1\",\"size\":2097152}]",
	    -EINVAL, "dax0.1 appears twice");

	/* Regions. */
	bad("{\"id\":0,\"devices\":{}}", -EINVAL,
	    "the document: devices {} is not an array");
	bad("{\"devices\":[]}", -EINVAL,
	    "the document has devices but no \"id\"");
	bad("{\"id\":\"0\",\"devices\":[]}", -EINVAL,
	    "the document: invalid region id \"0\"");
	bad("{\"id\":-1,\"devices\":[]}", -EINVAL,
	    "the document: invalid region id -1");
	bad("[{\"id\":0,\"devices\":[7]}]", -EINVAL,
	    "region 0, device 0 is not an object");

	/* Mode and state. */
	bad(DEV(",\"mode\":\"system-ram\""), -EOPNOTSUPP,
	    "dax0.1: mode system-ram cannot be restored yet: remove the device "
	    "from the file, or restore it as devdax");
	bad(DEV(",\"mode\":\"fsdax\""), -EINVAL,
	    "dax0.1: unknown mode \"fsdax\"");
	bad(DEV(",\"mode\":0"), -EINVAL, "dax0.1: mode 0 is not a string");
	bad(DEV(",\"state\":\"off\""), -EINVAL,
	    "dax0.1: unknown state \"off\"");

	/* Align. */
	bad(DEV(",\"align\":3145728"), -EINVAL,
	    "dax0.1: align 3145728: must be 4k, 2m or 1g");
	bad(DEV(",\"align\":\"3.00 MiB (3.15 MB)\""), -EINVAL,
	    "dax0.1: align \"3.00 MiB (3.15 MB)\": must be 4k, 2m or 1g");
	bad(DEV(",\"align\":\"bogus\""), -EINVAL,
	    "dax0.1: align \"bogus\": not a number");
	bad(DEV(",\"align\":-4096"), -EINVAL, "dax0.1: align -4096: negative");
	bad(DEV(",\"align\":1.5"), -EINVAL, "dax0.1: align 1.5: not a number");
	bad(DEV(",\"align\":true"), -EINVAL,
	    "dax0.1: align true: not a number");

	/* Size. */
	bad("{\"chardev\":\"dax0.1\"}", -EINVAL,
	    "dax0.1: no \"size\" and no \"mappings\"");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[]}", -EINVAL,
	    "dax0.1: no \"size\" and no \"mappings\"");
	bad("{\"chardev\":\"dax0.1\",\"size\":\"2.00 GiB (2.15 GB)\"}", -EINVAL,
	    "dax0.1: size \"2.00 GiB (2.15 GB)\" is rounded (daxctl list -u): "
	    "give the size in bytes, or include the mappings (daxctl list -M)");
	bad(DEV(",\"size\":\"4.00 MiB (4.19 MB)\""), -EINVAL,
	    "dax0.1: size \"4.00 MiB (4.19 MB)\" does not match the mappings, "
	    "which add up to 2M");
	bad(DEV(",\"size\":4194304"), -EINVAL,
	    "dax0.1: size 4194304 does not match the mappings, which add up "
	    "to 2M");
	bad("{\"chardev\":\"dax0.1\",\"size\":3145728}", -EINVAL,
	    "dax0.1: size 3145728 is not a multiple of 2M");
	bad("{\"chardev\":\"dax0.1\",\"size\":2097152,\"align\":1073741824}",
	    -EINVAL, "dax0.1: size 2097152 is not a multiple of 1G");
	bad("{\"chardev\":\"dax0.1\",\"size\":\"010\"}", -EINVAL,
	    "dax0.1: size \"010\": leading zeros are ambiguous");
	bad("{\"chardev\":\"dax0.1\",\"size\":\"2m \"}", -EINVAL,
	    "dax0.1: size \"2m \": invalid suffix (expected k, m, g or t)");
	bad("{\"chardev\":\"dax0.1\",\"size\":9223372036854775808}", -EINVAL,
	    "dax0.1: size 9223372036854775808: too large");
	bad("{\"chardev\":\"dax0.1\",\"size\":99999999999999999999999}",
	    -EINVAL, "dax0.1: size 18446744073709551615: too large");
	bad("{\"chardev\":\"dax0.1\",\"size\":\"16777216t\"}", -EINVAL,
	    "dax0.1: size \"16777216t\": size too large");
	bad("{\"chardev\":\"dax0.1\",\"size\":\"8388608t\"}", -EINVAL,
	    "dax0.1: size \"8388608t\": too large");
	bad("{\"chardev\":\"dax0.1\",\"size\":null}", -EINVAL,
	    "dax0.1: size null: not a number");

	/* Mappings. */
	bad("{\"chardev\":\"dax0.1\",\"mappings\":{}}", -EINVAL,
	    "dax0.1: mappings {} is not an array");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[1]}", -EINVAL,
	    "dax0.1: mapping 0 is not an object");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"start\":0,\"end\":1}]}",
	    -EINVAL, "dax0.1: mapping 0 has no \"page_offset\"");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"end\":1}]}",
	    -EINVAL, "dax0.1: mapping 0 has no \"start\"");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x200000k\",\"end\":1}]}",
	    -EINVAL,
	    "dax0.1: mapping 0: start \"0x200000k\": trailing characters after "
	    "the number");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"-0x200000\",\"end\":1}]}",
	    -EINVAL, "dax0.1: mapping 0: start \"-0x200000\": not a number");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":4194304,\"end\":2097151}]}",
	    -EINVAL,
	    "dax0.1: mapping at page_offset 0 ends (0x1fffff) before it starts "
	    "(0x400000)");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x201000\",\"end\":\"0x400fff\"}]}",
	    -EINVAL,
	    "dax0.1: mapping 0x201000-0x400fff is not aligned to 2M (start and "
	    "size must be multiples)");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x200000\",\"end\":\"0x2fffff\"}]}",
	    -EINVAL,
	    "dax0.1: mapping 0x200000-0x2fffff is not aligned to 2M (start and "
	    "size must be multiples)");
	bad("{\"chardev\":\"dax0.1\",\"align\":1073741824,\"mappings\":[{"
	    "\"page_offset\":0,\"start\":\"0x200000\",\"end\":\"0x3fffff\"}]}",
	    -EINVAL,
	    "dax0.1: mapping 0x200000-0x3fffff is not aligned to 1G (start and "
	    "size must be multiples)");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":1,"
	    "\"start\":\"0x200000\",\"end\":\"0x3fffff\"}]}",
	    -EINVAL,
	    "dax0.1: mapping 0x200000-0x3fffff has page_offset 0x1, expected "
	    "0: page_offsets must follow each other without gaps");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x200000\",\"end\":\"0x3fffff\"},{\"page_offset\":0,"
	    "\"start\":\"0x600000\",\"end\":\"0x7fffff\"}]}",
	    -EINVAL,
	    "dax0.1: mapping 0x600000-0x7fffff has page_offset 0, expected "
	    "0x200: page_offsets must follow each other without gaps");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x200000\",\"end\":\"0x3fffff\",\"size\":4096}]}",
	    -EINVAL,
	    "dax0.1: mapping 0x200000-0x3fffff: size 4096 does not match its "
	    "start and end (2M)");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x200000\",\"end\":\"0x5fffff\"},{\"page_offset\":"
	    "\"0x400\",\"start\":\"0x400000\",\"end\":\"0x5fffff\"}]}",
	    -EINVAL, "dax0.1: mappings overlap at 0x400000");
	bad("[{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x200000\",\"end\":\"0x5fffff\"}]},"
	    "{\"chardev\":\"dax1.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":\"0x400000\",\"end\":\"0x7fffff\"}]}]",
	    -EINVAL, "dax0.1 and dax1.1 overlap at 0x400000");
	bad("{\"chardev\":\"dax0.1\",\"mappings\":[{\"page_offset\":0,"
	    "\"start\":0,\"end\":9223372036854775807}]}",
	    -EINVAL, "dax0.1: mappings too large");

	/* Nothing to create; too big. */
	bad("[{\"chardev\":\"dax0.0\",\"size\":0}]", -EINVAL, nodev);
	big = malloc(INPUT_MAX_BYTES + 2);
	if (big) {
		memset(big, ' ', INPUT_MAX_BYTES + 1);
		big[INPUT_MAX_BYTES + 1] = '\0';
		bad_len("big", big, INPUT_MAX_BYTES + 1, -EINVAL,
			"larger than 16 MiB");
		free(big);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-input DIR\n");
		return 2;
	}
	recorded(argv[1]);
	accepted();
	rejected();
	return check_result("test-input");
}
