// SPDX-License-Identifier: GPL-2.0-only
/*
 * provision-loop: COUNT creates and then destroys in one process, through
 * libdax or as the bare sysfs writes, for the benchmark of what the
 * library adds per operation where hardware cost lives (no exec per
 * operation; test/bench/lib-provision.sh).
 *
 *   provision-loop lib|raw COUNT SIZE create|destroy|both
 *
 * lib:  dax_region_create_dev(region 0, SIZE) COUNT times; destroy:
 *       dax_dev_destroy() of every device of region 0 but dax0.0.
 * raw:  what a create must write at least: "create" of region 0, read the
 *       new name back, its "size", device_dax "bind" (else "new_id"); a
 *       destroy: "remove_id" and "unbind" when bound, "size" 0, "delete".
 *       No checks, no lock, no undo.
 *
 * Prints per phase: "phase=P mode=M n=N total_us=T h1_us=A h2_us=B", A and
 * B the median microseconds per operation of the first and second half.
 * One binary for both modes, linked with libdax.so as any user of the
 * library is, so the two differ only in what they call.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libdax.h>

#define REGION "/sys/devices/platform/hmem.0"
#define BUS "/sys/bus/dax"

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		rc = -errno;
	close(fd);
	return rc;
}

static int raw_create(const char *size)
{
	char path[256], name[64];
	ssize_t n;
	int fd;

	if (put(REGION "/dax_region/create", "1") < 0)
		return -1;
	fd = open(REGION "/dax_region/create", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	name[n] = '\0';
	name[strcspn(name, "\n")] = '\0';
	snprintf(path, sizeof(path), BUS "/devices/%s/size", name);
	if (put(path, size) < 0)
		return -1;
	if (put(BUS "/drivers/device_dax/bind", name) < 0 &&
	    put(BUS "/drivers/device_dax/new_id", name) < 0)
		return -1;
	return 0;
}

static int raw_destroy(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), BUS "/devices/%s/driver", name);
	if (access(path, F_OK) == 0) {
		(void)put(BUS "/drivers/device_dax/remove_id", name);
		if (put(BUS "/drivers/device_dax/unbind", name) < 0)
			return -1;
	}
	snprintf(path, sizeof(path), BUS "/devices/%s/size", name);
	if (put(path, "0") < 0)
		return -1;
	return put(REGION "/dax_region/delete", name) < 0 ? -1 : 0;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(long long *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_ll);
	return v[n / 2];
}

static void report(const char *phase, const char *mode, long long *t, int n)
{
	long long total = 0;
	int h = n / 2;

	for (int i = 0; i < n; i++)
		total += t[i];
	printf("phase=%s mode=%s n=%d total_us=%lld h1_us=%lld h2_us=%lld\n",
	       phase, mode, n, total, median(t, h), median(t + h, n - h));
}

/* Names of region 0's devices but dax0.0, in id order. */
static int raw_names(char (*names)[32], int max)
{
	struct dirent *e;
	int n = 0;
	DIR *d = opendir(REGION);

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		if (strncmp(e->d_name, "dax0.", 5) != 0 ||
		    strcmp(e->d_name, "dax0.0") == 0 ||
		    strlen(e->d_name) >= sizeof(names[0]))
			continue;
		memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	struct dax_region *region = NULL;
	struct dax_ctx *ctx = NULL;
	char(*names)[32];
	struct dax_dev **devs;
	long long *t;
	bool lib, create, destroy;
	uint64_t size;
	int count, n, rc;

	if (argc != 5) {
		fprintf(stderr, "usage: provision-loop lib|raw COUNT SIZE "
				"create|destroy|both\n");
		return 2;
	}
	lib = strcmp(argv[1], "lib") == 0;
	count = atoi(argv[2]);
	size = strtoull(argv[3], NULL, 0);
	create = strcmp(argv[4], "destroy") != 0;
	destroy = strcmp(argv[4], "create") != 0;
	t = calloc(count + 1, sizeof(*t));
	devs = calloc(count + 1024, sizeof(*devs));
	names = calloc(count + 1024, sizeof(*names));
	if (!t || !devs || !names)
		return 2;
	if (lib) {
		if (dax_ctx_new(&ctx) < 0 ||
		    !(region = dax_region_find(ctx, 0))) {
			fprintf(stderr, "provision-loop: no region 0\n");
			return 1;
		}
	}

	for (int i = 0; create && i < count; i++) {
		long long t0 = now_us();

		rc = lib ? dax_region_create_dev(region, size, 0, NULL, 0, 0,
						 NULL)
			 : raw_create(argv[3]);
		t[i] = now_us() - t0;
		if (rc < 0) {
			fprintf(stderr, "provision-loop: create #%d: %d\n", i,
				rc);
			return 1;
		}
	}
	if (create)
		report("create", argv[1], t, count);

	if (!destroy)
		goto out;
	n = 0;
	if (lib) {
		for (struct dax_dev *d = dax_dev_get_first(region); d;
		     d = dax_dev_get_next(d))
			if (dax_dev_get_id(d) != 0 && n < count + 1023)
				devs[n++] = d;
	} else {
		n = raw_names(names, count + 1023);
	}
	for (int i = 0; i < n; i++) {
		long long t0 = now_us();

		rc = lib ? dax_dev_destroy(devs[i]) : raw_destroy(names[i]);
		t[i < count ? i : count] = now_us() - t0;
		if (rc < 0) {
			fprintf(stderr, "provision-loop: destroy #%d: %d\n", i,
				rc);
			return 1;
		}
	}
	report("destroy", argv[1], t, n < count ? n : count);
out:
	dax_ctx_unref(ctx);
	return 0;
}
