// SPDX-License-Identifier: GPL-2.0-only
/*
 * raw-create: the least a create can cost as a process of its own. It does
 * what the provision benchmark's in-shell raw sysfs loop does (write
 * region R's "create", read the new name back, write its size, bind it
 * to device_dax through "bind", else "new_id") and nothing else: no
 * checks, no lock, no undo, no output. Linked with daxctl's link mode (by
 * default a dynamic PIE, libc only), so that "ours / this" is what daxctl
 * adds over the exec of a similarly linked program.
 *
 *   raw-create REGION SIZE
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int put(const char *path, const char *val)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

int main(int argc, char **argv)
{
	char path[256], name[64];
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: raw-create REGION SIZE\n");
		return 2;
	}
	snprintf(path, sizeof(path),
		 "/sys/bus/dax/devices/dax%s.0/../dax_region/create", argv[1]);
	if (put(path, "1") < 0)
		goto fail;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	n = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (n <= 0)
		goto fail;
	name[n] = '\0';
	name[strcspn(name, "\n")] = '\0';
	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/size", name);
	if (put(path, argv[2]) < 0)
		goto fail;
	if (put("/sys/bus/dax/drivers/device_dax/bind", name) < 0 &&
	    put("/sys/bus/dax/drivers/device_dax/new_id", name) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "raw-create: %s: %s\n", path, strerror(errno));
	return 1;
}
