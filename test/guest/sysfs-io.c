// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs-io: exactly one open(2) + one read(2) or write(2) on a file, for guest tests.
 *
 *   sysfs-io write PATH VALUE   write VALUE (as given, no newline added) in one write(2)
 *   sysfs-io writeln PATH VALUE write VALUE plus "\n" in one write(2)
 *   sysfs-io read PATH          one read(2) of up to 64 KiB, copied to stdout
 *
 * On success it prints nothing extra (read: the data) and exits 0.  On failure it prints the
 * errno name (e.g. "EBUSY") and the step that failed ("open" or "write") on stdout and exits 1,
 * so a shell test can compare the name.  Usage errors exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int report(const char *step, int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		printf("%s %s\n", name, step);
	else
		printf("E%d %s\n", err, step);
	return 1;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	const char *op, *path;
	ssize_t n;
	int fd;

	if (argc < 3)
		goto usage;
	op = argv[1];
	path = argv[2];

	if (!strcmp(op, "read") && argc == 3) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return report("open", errno);
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			return report("read", errno);
		close(fd);
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return 1;
		return 0;
	}

	if ((!strcmp(op, "write") || !strcmp(op, "writeln")) && argc == 4) {
		size_t len = strlen(argv[3]);

		if (len + 2 > sizeof(buf))
			goto usage;
		memcpy(buf, argv[3], len);
		if (!strcmp(op, "writeln"))
			buf[len++] = '\n';
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return report("open", errno);
		n = write(fd, buf, len);
		if (n < 0)
			return report("write", errno);
		if (close(fd) < 0)
			return report("close", errno);
		if ((size_t)n != len) {
			printf("SHORT write\n");
			return 1;
		}
		return 0;
	}

usage:
	fprintf(stderr, "usage: sysfs-io read PATH | sysfs-io write|writeln PATH VALUE\n");
	return 2;
}
