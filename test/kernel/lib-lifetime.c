// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib-lifetime: libdax handles held across changes made behind the
 * library's back (issue #12, "object lifetime an agent can rely on").
 *
 * The program holds region, device, mapping and memory handles while
 * another process (daxctl, given as argv[1]) destroys, resizes and
 * re-creates devices, and a region's host is unbound and bound again.
 * After each step it calls dax_ctx_refresh() or a change call on another
 * device (both rescan the region), then reads every handle it holds. Each
 * must report -ENODEV (NULL with errno ENODEV for pointers) or the state
 * the kernel shows now; it must never crash. Built with ASan and UBSan
 * (libdax-san), so a read of freed memory aborts the run with a report.
 * A check that fails is reported and the run goes on (the exit status is
 * 1); a step that cannot be set up ends it.
 *
 * Step 1 is the exact reproduction from the issue: look up dax0.2 and
 * dax0.3, remove dax0.2 behind the library's back, call
 * dax_dev_disable(dax0.3), then dax_dev_get_devname(dax0.2).
 *
 * Setup by the caller (test/kernel/stress.sh): both regions idle (size-0
 * daxR.0), dax_hmem's region_idle=Y, kmem loadable.
 *
 *   lib-lifetime DAXCTL
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libdax.h>

#define MiB (1ULL << 20)
#define MAX_HELD 16

static const char *daxctl;
static const char *step_name = "setup";
static int checks, failures;

static void report(const char *fmt, va_list ap)
{
	fprintf(stderr, "FAIL: lib-lifetime: step '%s': ", step_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* A step that cannot be set up: reported, the run ends. */
static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
	exit(1);
}

/* A check that failed: reported now, the run goes on, the exit status is 1. */
static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
	failures++;
}

static void step(const char *name)
{
	step_name = name;
	printf("--- lib-lifetime: %s\n", name);
	fflush(stdout);
}

/* daxctl ARGS... (NULL-terminated): must exit 0; its stdout is discarded. */
static void daxctl_ok(const char *arg, ...)
{
	const char *argv[16] = {daxctl};
	int n = 1, status;
	va_list ap;
	pid_t pid;

	va_start(ap, arg);
	for (const char *a = arg; a && n < 15; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execv(daxctl, (char **)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("daxctl %s%s%s ... failed (status 0x%x)", arg,
		    n > 2 ? " " : "", n > 2 ? argv[2] : "", status);
}

/* One write(2) to a sysfs attribute, behind the library's back. */
static void sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die("write '%s' > %s: %s", val, path, strerror(errno));
	close(fd);
}

/* A decimal sysfs attribute; -ENOENT when it (or its device) is gone. */
static int sysfs_u64(const char *path, unsigned long long *v)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 0);
	return 0;
}

static int dev_attr(const char *name, const char *attr, unsigned long long *v)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/%s", name, attr);
	return sysfs_u64(path, v);
}

static int region_attr(int id, const char *attr, unsigned long long *v)
{
	char path[256];

	snprintf(path, sizeof(path),
		 "/sys/devices/platform/hmem.%d/dax_region/%s", id, attr);
	return sysfs_u64(path, v);
}

static bool sysfs_dev_exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s", name);
	return access(path, F_OK) == 0;
}

/* ---------------------------------------------------------------- handles */

struct held_dev {
	const char *label;
	struct dax_dev *dev;
};

static struct held_dev held[MAX_HELD];
static int nr_held;
static struct dax_mapping *held_map[MAX_HELD];
static int nr_held_map;

static void hold_dev(const char *label, struct dax_dev *dev)
{
	if (!dev)
		die("%s: no such device (errno %d)", label, errno);
	if (nr_held == MAX_HELD)
		die("too many held devices");
	held[nr_held++] = (struct held_dev){label, dev};
}

static void hold_mappings(struct dax_dev *dev)
{
	for (struct dax_mapping *m = dax_mapping_get_first(dev);
	     m && nr_held_map < MAX_HELD; m = dax_mapping_get_next(m))
		held_map[nr_held_map++] = m;
}

static void gone_api(const char *label, struct dax_dev *dev, bool in_sysfs)
{
	/* A name the kernel does not show is gone; a shown one may be either.
	 */
	if (!in_sysfs && !dax_dev_is_gone(dev))
		bad("%s: not in sysfs, but dax_dev_is_gone() is false", label);
	checks++;
}

/*
 * Read everything a held device offers. Its name is either still readable
 * or NULL with ENODEV; a name the kernel no longer shows must give -ENODEV
 * from the int getters; a name the kernel shows gives its current size
 * (a re-created device of the same name may be the same object with the
 * new state) or -ENODEV (the old object is gone, a new one stands for it).
 */
static void check_dev(const struct held_dev *h)
{
	struct dax_dev *d = h->dev;
	unsigned long long ksize;
	unsigned int maj, min;
	uint64_t size, v;
	const char *name;
	int rc, node;

	errno = 0;
	name = dax_dev_get_devname(d);
	if (!name) {
		if (errno != ENODEV)
			bad("%s: devname NULL with errno %d, expected ENODEV",
			    h->label, errno);
		rc = dax_dev_get_size(d, &size);
		if (rc != -ENODEV)
			bad("%s: devname gone but get_size gave %d", h->label,
			    rc);
		gone_api(h->label, d, false);
		checks++;
		return;
	}
	if (strncmp(name, "dax", 3) != 0) {
		bad("%s: devname '%.32s' is not a dax name (freed memory?)",
		    h->label, name);
		return;
	}
	rc = dax_dev_get_size(d, &size);
	if (dev_attr(name, "size", &ksize) < 0) {
		if (rc != -ENODEV)
			bad("%s (%s): the kernel has no such device, but "
			    "get_size gave %d (size %llu); expected -ENODEV",
			    h->label, name, rc, (unsigned long long)size);
		gone_api(h->label, d, false);
	} else if (rc == 0) {
		if (size != ksize)
			bad("%s (%s): get_size %llu, the kernel says %llu",
			    h->label, name, (unsigned long long)size, ksize);
		gone_api(h->label, d, true);
	} else if (rc != -ENODEV) {
		bad("%s (%s): get_size gave %d, expected the size or -ENODEV",
		    h->label, name, rc);
	}
	/* The rest must just be safe to call; their values are not judged. */
	(void)dax_dev_get_id(d);
	(void)dax_dev_get_align(d, &v);
	(void)dax_dev_get_target_node(d, &node);
	(void)dax_dev_get_numa_node(d, &node);
	(void)dax_dev_get_resource(d, &v);
	(void)dax_dev_get_devnum(d, &maj, &min);
	(void)dax_dev_get_driver(d);
	(void)dax_dev_get_driver_name(d);
	(void)dax_dev_is_enabled(d);
	(void)dax_dev_is_system_ram(d);
	(void)dax_dev_get_region(d);
	(void)dax_dev_get_ctx(d);
	for (struct dax_mapping *m = dax_mapping_get_first(d); m;
	     m = dax_mapping_get_next(m))
		(void)dax_mapping_get_size(m);
	checks++;
}

static void check_region(struct dax_region *r, int id, bool present)
{
	unsigned long long ksize, kavail;
	uint64_t size, avail;
	int rc;

	rc = dax_region_get_size(r, &size);
	if (!present) {
		if (rc != -ENODEV)
			bad("region %d is gone from the kernel, but get_size "
			    "gave %d; expected -ENODEV",
			    id, rc);
		checks++;
		return;
	}
	if (rc ==
	    -ENODEV) /* the old object stayed gone; a new one stands for it */
		return;
	if (rc < 0)
		bad("region %d: get_size gave %d", id, rc);
	rc = dax_region_get_available_size(r, &avail);
	if (region_attr(id, "size", &ksize) < 0 ||
	    region_attr(id, "available_size", &kavail) < 0)
		bad("region %d: cannot read its sysfs attributes", id);
	if (rc < 0 || size != ksize || avail != kavail)
		bad("region %d: size %llu available %llu (rc %d), the kernel "
		    "says %llu and %llu",
		    id, (unsigned long long)size, (unsigned long long)avail, rc,
		    ksize, kavail);
	(void)dax_region_get_devname(r);
	(void)dax_region_get_path(r);
	(void)dax_region_get_id(r);
	checks++;
}

static void check_all(const char *when)
{
	printf("# checking %d devices, %d mappings %s\n", nr_held, nr_held_map,
	       when);
	fflush(stdout);
	for (int i = 0; i < nr_held; i++)
		check_dev(&held[i]);
	/* Mapping getters return plain values: they must only be safe to call.
	 */
	for (int i = 0; i < nr_held_map; i++) {
		struct dax_mapping *m = held_map[i];

		(void)dax_mapping_get_start(m);
		(void)dax_mapping_get_end(m);
		(void)dax_mapping_get_page_offset(m);
		(void)dax_mapping_get_size(m);
		(void)dax_mapping_get_dev(m);
		checks++;
	}
}

static struct dax_dev *find(struct dax_ctx *ctx, const char *name)
{
	struct dax_dev *d = dax_dev_find(ctx, name);

	if (!d)
		die("dax_dev_find(%s): errno %d", name, errno);
	return d;
}

static void refresh(struct dax_ctx *ctx)
{
	int rc = dax_ctx_refresh(ctx);

	if (rc < 0)
		die("dax_ctx_refresh: %d", rc);
}

int main(int argc, char **argv)
{
	struct dax_dev *d2, *d3, *d4, *d10, *d11, *d12;
	struct dax_region *r0, *r1;
	struct dax_memory *mem;
	struct dax_ctx *ctx;
	const char *name;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: lib-lifetime DAXCTL\n");
		return 2;
	}
	daxctl = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);

	step("setup: dax0.1 to dax0.4, 128 MiB each");
	daxctl_ok("create-device", "-r", "0", "-s", "128M", "--count", "4",
		  NULL);
	if (dax_ctx_new(&ctx) < 0)
		die("dax_ctx_new");
	r0 = dax_region_find(ctx, 0);
	r1 = dax_region_find(ctx, 1);
	if (!r0 || !r1)
		die("regions 0 and 1 not found");

	step("1: dax0.2 destroyed behind the library's back, "
	     "dax_dev_disable(dax0.3)");
	d2 = find(ctx, "dax0.2");
	d3 = find(ctx, "dax0.3");
	d4 = find(ctx, "dax0.4");
	hold_dev("dax0.2 (destroyed)", d2);
	hold_dev("dax0.3", d3);
	hold_dev("dax0.4", d4);
	hold_mappings(d2);
	hold_mappings(d3);
	daxctl_ok("destroy-device", "-f", "dax0.2", NULL);
	rc = dax_dev_disable(d3);
	if (rc < 0)
		bad("dax_dev_disable(dax0.3): %d", rc);
	/* The reproduction: on ac6bbc6 this reads memory the disable freed. */
	errno = 0;
	name = dax_dev_get_devname(d2);
	if (name ? strcmp(name, "dax0.2") != 0 : errno != ENODEV)
		bad("dax_dev_get_devname(dax0.2) after its removal: '%.32s' "
		    "errno %d; expected \"dax0.2\" or NULL with ENODEV",
		    name ? name : "(null)", errno);
	checks++;
	check_all("after step 1");
	check_region(r0, 0, true);

	step("2: dax0.3 grown then shrunk behind the library's back");
	daxctl_ok("reconfigure-device", "-s", "256M", "dax0.3", NULL);
	refresh(ctx);
	check_all("after the grow");
	hold_mappings(d3); /* now two ranges: the second goes with the shrink */
	daxctl_ok("reconfigure-device", "-s", "64M", "dax0.3", NULL);
	rc = dax_dev_disable(d4); /* a change call on another device rescans */
	if (rc < 0)
		bad("dax_dev_disable(dax0.4): %d", rc);
	check_all("after the shrink");
	check_region(r0, 0, true);

	step("3: dax0.3 destroyed and a device re-created behind the library's "
	     "back");
	daxctl_ok("destroy-device", "-f", "dax0.3", NULL);
	daxctl_ok("create-device", "-r", "0", "-s", "64M", NULL);
	daxctl_ok("create-device", "-r", "0", "-s", "192M", NULL);
	rc = dax_dev_enable(d4, DAX_DRIVER_DEVICE_DAX);
	if (rc < 0)
		bad("dax_dev_enable(dax0.4): %d", rc);
	check_all("after the re-create (change call)");
	refresh(ctx);
	check_all("after the re-create (refresh)");
	check_region(r0, 0, true);

	step("4: destroy-device -f -r 0 all behind the library's back");
	daxctl_ok("destroy-device", "-f", "-r", "0", "all", NULL);
	refresh(ctx);
	check_all("after destroy all");
	check_region(r0, 0, true);

	step("5: region 1's host unbound and bound again behind the library's "
	     "back");
	d10 = find(ctx, "dax1.0");
	hold_dev("dax1.0 (region gone)", d10);
	sysfs_write("/sys/bus/platform/drivers/hmem/unbind", "hmem.1");
	refresh(ctx);
	check_region(r1, 1, false);
	check_all("with region 1 gone");
	sysfs_write("/sys/bus/platform/drivers/hmem/bind", "hmem.1");
	for (int i = 0; i < 500 && !sysfs_dev_exists("dax1.0"); i++)
		usleep(10000);
	refresh(ctx);
	check_region(r1, 1, true);
	check_all("with region 1 back");

	step("6: a memory handle while its device leaves kmem and is "
	     "destroyed");
	daxctl_ok("create-device", "-r", "1", "-s", "256M", NULL);
	daxctl_ok("create-device", "-r", "1", "-s", "128M", NULL);
	daxctl_ok("reconfigure-device", "-m", "system-ram", "-f", "dax1.1",
		  NULL);
	refresh(ctx);
	d11 = find(ctx, "dax1.1");
	d12 = find(ctx, "dax1.2");
	hold_dev("dax1.1 (system-ram)", d11);
	hold_dev("dax1.2", d12);
	hold_mappings(d11);
	mem = dax_dev_get_memory(d11);
	if (!mem)
		die("dax_dev_get_memory(dax1.1): errno %d", errno);
	if (dax_memory_get_num_blocks(mem) != 2 ||
	    dax_memory_get_num_online(mem) != 2)
		bad("dax1.1: %u of %u blocks online, expected 2 of 2",
		    dax_memory_get_num_online(mem),
		    dax_memory_get_num_blocks(mem));
	daxctl_ok("offline-memory", "dax1.1", NULL);
	daxctl_ok("reconfigure-device", "-m", "devdax", "dax1.1", NULL);
	rc = dax_dev_disable(d12);
	if (rc < 0)
		bad("dax_dev_disable(dax1.2): %d", rc);
	/* On ac6bbc6 the rescan freed the memory object of a device that left
	 * kmem. */
	(void)dax_memory_get_num_online(mem);
	(void)dax_memory_get_block_size(mem);
	(void)dax_memory_get_dev(mem);
	rc = dax_memory_refresh(mem);
	if (rc != -ENODEV && !(rc == 0 && dax_memory_get_num_online(mem) == 0))
		bad("memory of dax1.1 after it left kmem: refresh %d, %u "
		    "blocks online; expected -ENODEV or none online",
		    rc, dax_memory_get_num_online(mem));
	checks++;
	check_all("after dax1.1 left kmem");
	daxctl_ok("destroy-device", "-f", "dax1.1", NULL);
	refresh(ctx);
	rc = dax_memory_refresh(mem);
	if (rc != -ENODEV && !(rc == 0 && dax_memory_get_num_blocks(mem) == 0))
		bad("memory of the destroyed dax1.1: refresh %d, %u blocks; "
		    "expected -ENODEV",
		    rc, dax_memory_get_num_blocks(mem));
	checks++;
	check_all("after dax1.1 was destroyed");
	daxctl_ok("destroy-device", "-f", "-r", "1", "all", NULL);
	refresh(ctx);
	check_all("at the end");
	check_region(r1, 1, true);

	dax_ctx_unref(ctx);
	if (failures) {
		fprintf(stderr,
			"FAIL: lib-lifetime: %d check(s) failed, %d passed\n",
			failures, checks);
		return 1;
	}
	printf("# lib-lifetime: %d checks passed\n", checks);
	return 0;
}
