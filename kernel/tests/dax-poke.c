// SPDX-License-Identifier: GPL-2.0-only
/*
 * dax-poke PATH LEN OFFSET [VALUE]: map LEN bytes of the device-dax node
 * PATH shared, store the 64-bit VALUE at OFFSET if given, and print the
 * 64-bit word that OFFSET then reads, as 0x%016llx.  LEN must be a
 * multiple of the device's align, so that the first touch is one fault
 * of that size.  A fault the kernel refuses kills it with SIGBUS, which
 * the tests look for.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned long long number(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*s == '\0' || *end != '\0') {
		fprintf(stderr, "dax-poke: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	volatile uint64_t *word;
	size_t len, off;
	char *p;
	int fd;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: dax-poke PATH LEN OFFSET [VALUE]\n");
		return 2;
	}
	len = number(argv[2]);
	off = number(argv[3]);
	if (off % sizeof(*word) || off + sizeof(*word) > len) {
		fprintf(stderr, "dax-poke: offset %zu outside the mapping or unaligned\n", off);
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("dax-poke: open");
		return 1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("dax-poke: mmap");
		return 1;
	}
	close(fd);
	word = (volatile uint64_t *)(p + off);
	if (argc == 5)
		*word = number(argv[4]);
	printf("%#018llx\n", (unsigned long long)*word);
	return munmap(p, len) ? 1 : 0;
}
