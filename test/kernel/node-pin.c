// SPDX-License-Identifier: GPL-2.0-only
/*
 * node-pin NODE MIB: make the kernel put unmovable memory on NUMA node NODE,
 * so that memory blocks there cannot be offlined (EBUSY), then wait to be
 * killed. Bound to NODE (MPOL_BIND), it reads one byte every 2 MiB of a
 * large anonymous mapping (no huge pages): each read maps the shared zero
 * page and costs one page-table page, which the kernel allocates under the
 * task's policy and never migrates. MIB MiB of page tables are made.
 * Prints "ready" when done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_BIND_MODE 2 /* <linux/mempolicy.h> MPOL_BIND */

int main(int argc, char **argv)
{
	unsigned long mask, tables, i;
	size_t len;
	char *p;
	int node;

	if (argc != 3) {
		fprintf(stderr, "usage: node-pin NODE MIB\n");
		return 2;
	}
	node = atoi(argv[1]);
	tables = strtoul(argv[2], NULL, 10) * 256; /* 4 KiB each */
	if (node < 0 || node >= 64 || tables == 0) {
		fprintf(stderr, "node-pin: bad arguments\n");
		return 2;
	}
	mask = 1ul << node;
	if (syscall(SYS_set_mempolicy, MPOL_BIND_MODE, &mask,
		    sizeof(mask) * 8 + 1) < 0) {
		fprintf(stderr, "node-pin: set_mempolicy: %s\n",
			strerror(errno));
		return 1;
	}
	/* One page-table page maps 2 MiB. */
	len = tables << 21;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "node-pin: mmap: %s\n", strerror(errno));
		return 1;
	}
	if (madvise(p, len, MADV_NOHUGEPAGE) < 0) {
		fprintf(stderr, "node-pin: madvise: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < tables; i++)
		(void)*(volatile char *)&p[i << 21];
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
