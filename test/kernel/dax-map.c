// SPDX-License-Identifier: GPL-2.0-only
/*
 * dax-map PATH SIZE: map SIZE bytes of the device-dax node PATH shared,
 * close the fd (the mapping alone holds the device), touch the first page,
 * print "ready" and wait to be killed. For the in-use checks: a process
 * that only maps a device, through whatever node, still uses it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	volatile char *p;
	size_t len;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: dax-map PATH SIZE\n");
		return 2;
	}
	len = strtoull(argv[2], NULL, 0);
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("dax-map: open");
		return 1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("dax-map: mmap");
		return 1;
	}
	close(fd);
	p[0] = 1;
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
