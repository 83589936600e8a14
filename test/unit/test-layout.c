// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layouts (lib/layout.c, lib/plan.c, lib/match.c) on constructed trees:
 * files and their errors with file and line, the directories' order,
 * masking and drop-ins, the checks that need the whole layout, and plans
 * against a 1 GiB region at 4 GiB (the boot state, then a kept device).
 * What the kernel does with a plan is the guest's (cli-apply,
 * boot-layout).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "check.h"
#include "libdax.h"
#include "tree.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)
#define BASE 0x100000000ull
#define HMEM0 "sys/devices/platform/hmem.0"

#define logbuf tree_logbuf
#define log_to_buf tree_log_to_buf

#define CHECK_LOG(s)                                                           \
	check_report(strstr(logbuf, (s)) != NULL, "log lacks \"%s\": %s", (s), \
		     logbuf)

/* Region 0: 1 GiB at BASE; dax0.0 holds all of it, bound (the boot). */
static void build(struct tree *t)
{
	tree_new(t);
	tree_platform(t, 4096, 2 * MiB);
	tree_region(t, HMEM0, 0, GiB, true, 0, "");
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 0,
				       .size = GiB,
				       .driver = "device_dax",
				       .target_node = 0,
				       .resource = BASE,
				       .major = 252});
	tree_mapping(t, HMEM0, 0, 0, 0, BASE, BASE + GiB - 1, 0);
}

/* Load @text as <root>/@name; the return of dax_layout_load(). */
static int load_text(struct tree *t, struct dax_layout *l, const char *name,
		     const char *text)
{
	char path[4096];

	tree_write(t, name, text);
	snprintf(path, sizeof(path), "%s/%s", t->root, name);
	logbuf[0] = '\0';
	return dax_layout_load(l, path);
}

static const char good[] = "# a comment\n"
			   "[region mem]\n"
			   "resource = 0x100000000\n"
			   "\n"
			   "[device a]\n"
			   "region = mem\n"
			   "size = 256M ; inline comment\n"
			   "[device b]\n"
			   "region = mem\n"
			   "size = 512M\n"
			   "owner = 0\n"
			   "permissions = 0640\n";

static void test_errors(void)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"[region mem]\nresource = 0x1\nsize = 1G\n",
		 "bad.conf:3: unknown key \"size\" in a region"},
		{"[device a]\nregion = mem\nsize = 12q\n",
		 "bad.conf:3: size = 12q: invalid suffix"},
		{"[device a]\nregion = mem\nthis line has no equals sign\n",
		 "bad.conf:3: syntax error"},
		{"size = 1G\n", "bad.conf:1: \"size\" outside any"},
		{"[thing x]\nsize = 1G\n", "bad.conf:2: [thing x]: unknown"},
		{"[device a b]\nsize = 1G\n", "bad.conf:2: [device a b]"},
		{"[device a]\nmode = ram\n",
		 "bad.conf:2: mode = ram: expected"},
		{"[device a]\npermissions = 0999\n",
		 "bad.conf:2: permissions = 0999"},
		{"[device a]\nranges = 0x2000-0x1000\n",
		 "bad.conf:2: range \"0x2000-0x1000\": END not above START"},
		{"[device a]\nplacement = color:4/4\n",
		 "bad.conf:2: placement = color:4/4: need K <= K2 < N"},
		{"[device a]\nalign = 3M\n", "bad.conf:2: align = 3M"},
		{"[region r]\nmanaged = perhaps\n",
		 "bad.conf:2: managed = perhaps"},
	};
	char longline[400];
	struct tree t;
	struct dax_ctx *ctx;
	struct dax_layout *l;
	size_t i;

	build(&t);
	ctx = tree_ctx_logged(&t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(dax_layout_new(ctx, &l), 0);
		CHECK_INT(load_text(&t, l, "bad.conf", bad[i].text), -EINVAL);
		CHECK_LOG(bad[i].msg);
		dax_layout_free(l);
	}
	/* A line longer than inih's buffer is refused, not split. */
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[device a]\nowner = ", 19);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	CHECK_INT(load_text(&t, l, "long.conf", longline), -EINVAL);
	CHECK_LOG("long.conf:2: line longer than");
	dax_layout_free(l);
	/* A missing file keeps its errno. */
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	CHECK_INT(dax_layout_load(l, "/nonexistent/x.conf"), -ENOENT);
	/* The API takes the same settings; names are checked. */
	logbuf[0] = '\0';
	CHECK_INT(dax_layout_set(l, "device a", "size", "1G"), 0);
	CHECK_INT(dax_layout_set(l, "device a/b", "size", "1G"), -EINVAL);
	CHECK_LOG("layout: [device a/b]");
	CHECK_INT(dax_layout_set(l, NULL, "size", "1G"), -EINVAL);
	dax_layout_free(l);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static void test_checks(void)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"[device a]\nregion = mem\nsize = 1G\n",
		 "c.conf:1: device a: region mem is not declared"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nsize = "
		 "1G\n",
		 "c.conf:3: device a: no region = NAME"},
		{"[region mem]\ntarget_node = 0\n[device a]\nregion = mem\n"
		 "size = 1G\n",
		 "c.conf:1: region mem: no resource"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\n",
		 "c.conf:3: device a: neither size, ranges nor placement"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\nsize = 3M\n",
		 "c.conf:5: device a: size 3145728 is not a multiple"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\nranges = 0x100000000-0x10fffffff\n[device b]\nregion = "
		 "mem\nranges = 0x108000000-0x117ffffff\n",
		 "c.conf:8: device b: ranges overlap those of device a"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\nranges = 0x100000000-0x10fffffff\nsize = 512M\n",
		 "c.conf:6: device a: size is not the total of its ranges"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\nsize = 1G\nowner = no-such-user-here\n",
		 "c.conf:6: owner = no-such-user-here: no such user"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\nsize = 1G\nmode = system-ram\npermissions = 0600\n",
		 "c.conf:3: device a: system-ram has no /dev node"},
		{"[region mem]\nresource = 0x100000000\n[device a]\nregion = "
		 "mem\nsize = 1G\ncache_size = 256M\n",
		 "c.conf:3: device a: cache_size or cache_level without"},
	};
	struct tree t;
	struct dax_ctx *ctx;
	struct dax_layout *l;
	size_t i;

	build(&t);
	ctx = tree_ctx_logged(&t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(dax_layout_new(ctx, &l), 0);
		CHECK_INT(load_text(&t, l, "c.conf", bad[i].text), 0);
		CHECK_INT(dax_layout_check(l), -EINVAL);
		CHECK_LOG(bad[i].msg);
		dax_layout_free(l);
	}
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	CHECK_INT(load_text(&t, l, "good.conf", good), 0);
	CHECK_INT(dax_layout_check(l), 0);
	dax_layout_free(l);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/* The system's directories: masking by name, name order, drop-ins. */
static void test_dirs(void)
{
	struct tree t;
	struct dax_ctx *ctx;
	struct dax_layout *l;

	build(&t);
	ctx = tree_ctx_logged(&t);
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	CHECK_INT(dax_layout_load_default(l), 0); /* no directory at all */
	dax_layout_free(l);

	/* The vendor's file has an error; the admin's empty one masks it. */
	tree_write(&t, "usr/lib/daxctl/layout.d/10-vendor.conf",
		   "[device a]\nbogus = 1\n");
	tree_write(&t, "etc/daxctl/layout.d/10-vendor.conf", "");
	/* A device without a region, which a later drop-in completes. */
	tree_write(&t, "usr/lib/daxctl/layout.d/20-mem.conf",
		   "[region mem]\nresource = 0x100000000\n[device a]\n"
		   "size = 256M\n");
	tree_write(&t, "run/daxctl/layout.d/30-region.conf",
		   "[device a]\nregion = mem\n");
	tree_write(&t, "etc/daxctl/layout.d/README", "not a .conf file\n");
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	logbuf[0] = '\0';
	CHECK_INT(dax_layout_load_default(l), 0);
	CHECK_INT(dax_layout_check(l), 0);
	check_report(logbuf[0] == '\0', "log: %s", logbuf);
	dax_layout_free(l);

	/* Without the mask, the vendor's error names its file and line. */
	tree_remove(&t, "etc/daxctl/layout.d/10-vendor.conf");
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	logbuf[0] = '\0';
	CHECK_INT(dax_layout_load_default(l), -EINVAL);
	CHECK_LOG("usr/lib/daxctl/layout.d/10-vendor.conf:2: unknown key");
	dax_layout_free(l);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

static const struct dax_plan_step *step_of(struct dax_plan *plan,
					   const char *name)
{
	struct dax_plan_step *s;

	for (s = dax_plan_get_first_step(plan); s;
	     s = dax_plan_step_get_next(s))
		if (dax_plan_step_get_name(s) &&
		    strcmp(dax_plan_step_get_name(s), name) == 0)
			return s;
	return NULL;
}

static void test_plan(void)
{
	const struct dax_range *r;
	const struct dax_plan_step *s;
	struct dax_layout_match m;
	struct dax_plan *plan;
	struct dax_layout *l;
	struct dax_ctx *ctx;
	struct dax_dev *dev;
	struct tree t;

	/* The boot state: dax0.0 over all of it is in the way, destroyed. */
	build(&t);
	ctx = tree_ctx_logged(&t);
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	CHECK_INT(load_text(&t, l, "good.conf", good), 0);
	CHECK_INT(dax_layout_plan(l, &plan), 0);
	s = dax_plan_get_first_step(plan);
	CHECK(s && dax_plan_step_get_action(s) == DAX_STEP_DESTROY);
	CHECK(s && !dax_plan_step_get_name(s));
	CHECK(s && strcmp(dax_dev_get_devname(dax_plan_step_get_dev(s)),
			  "dax0.0") == 0);
	s = step_of(plan, "a");
	CHECK(s && dax_plan_step_get_action(s) == DAX_STEP_CREATE);
	CHECK(s && dax_plan_step_get_ranges(s, &r) == 1 && r[0].start == BASE &&
	      r[0].end == BASE + 256 * MiB - 1);
	s = step_of(plan, "b");
	CHECK(s && dax_plan_step_get_ranges(s, &r) == 1 &&
	      r[0].start == BASE + 256 * MiB &&
	      r[0].end == BASE + 768 * MiB - 1);
	CHECK_INT(dax_plan_step_get_result(s), 0);
	CHECK_INT(dax_plan_get_writes(plan), 0);
	dax_plan_free(plan);
	dax_layout_free(l);
	dax_ctx_unref(ctx);
	tree_free(&t);

	/*
	 * dax0.1 holds a's place (kept, named by match), dax0.2 is a foreign
	 * device in b's place: an unmanaged region is blocked.
	 */
	build(&t);
	tree_write(&t, HMEM0 "/dax0.0/size", "0\n");
	tree_remove(&t, HMEM0 "/dax0.0/mapping0");
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 1,
					.size = 256 * MiB,
					.driver = "device_dax",
					.target_node = 0,
					.resource = BASE,
					.major = 252,
					.minor = 1});
	tree_mapping(&t, HMEM0, 0, 1, 0, BASE, BASE + 256 * MiB - 1, 0);
	tree_dev(&t, &(struct tree_dev){.host = HMEM0,
					.region = 0,
					.id = 2,
					.size = 2 * MiB,
					.driver = "device_dax",
					.target_node = 0,
					.resource = BASE + 512 * MiB,
					.major = 252,
					.minor = 2});
	tree_mapping(&t, HMEM0, 0, 2, 0, BASE + 512 * MiB, BASE + 514 * MiB - 1,
		     0);
	ctx = tree_ctx_logged(&t);
	CHECK_INT(dax_layout_new(ctx, &l), 0);
	CHECK_INT(load_text(&t, l, "good.conf", good), 0);
	CHECK_INT(dax_layout_plan(l, &plan), 0);
	s = dax_plan_get_first_step(plan);
	CHECK(s && dax_plan_step_get_action(s) == DAX_STEP_BLOCKED);
	check_report(s && strstr(dax_plan_step_get_reason(s),
				 "dax0.2: not in the layout, holds addresses "
				 "of b"),
		     "reason: %s", s ? dax_plan_step_get_reason(s) : "-");
	CHECK_INT(dax_plan_step_get_result(s), -EBUSY);
	s = step_of(plan, "a");
	CHECK(s && dax_plan_step_get_action(s) == DAX_STEP_KEEP);
	dev = dax_dev_find(ctx, "dax0.1");
	CHECK(dev && dax_plan_step_get_dev(s) == dev);
	CHECK_INT(dax_layout_match_dev(l, dev, &m), 0);
	CHECK(m.name && strcmp(m.name, "a") == 0);
	CHECK(m.region && strcmp(m.region, "mem") == 0);
	CHECK_INT(m.permissions, -1);
	CHECK_INT(dax_layout_match_dev(l, dax_dev_find(ctx, "dax0.2"), &m),
		  -ENOENT);
	CHECK_INT(dax_plan_apply(plan), -EBUSY); /* blocked: nothing done */
	dax_plan_free(plan);

	/* Managed, the foreign device is destroyed instead. */
	CHECK_INT(dax_layout_set(l, "region mem", "managed", "yes"), 0);
	CHECK_INT(dax_layout_plan(l, &plan), 0);
	s = dax_plan_get_first_step(plan);
	CHECK(s && dax_plan_step_get_action(s) == DAX_STEP_DESTROY);
	CHECK(s && dax_plan_step_get_dev(s) == dax_dev_find(ctx, "dax0.2"));
	dax_plan_free(plan);

	/* A region that is not there: an error naming the file and line. */
	CHECK_INT(dax_layout_set(l, "region mem", "resource", "0x200000000"),
		  0);
	logbuf[0] = '\0';
	CHECK_INT(dax_layout_plan(l, &plan), -ENODEV);
	CHECK(plan == NULL);
	CHECK_LOG("good.conf:2: region mem: no region at resource "
		  "0x200000000");
	dax_layout_free(l);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

int main(void)
{
	test_errors();
	test_checks();
	test_dirs();
	test_plan();
	return check_exit();
}
