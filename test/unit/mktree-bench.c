// SPDX-License-Identifier: GPL-2.0-only
/*
 * mktree-bench N [DIR]: a synthetic tree with one dynamic hmem region of N
 * 2 MiB devices, each with one mapping; every fourth device is bound to
 * kmem with its 128 MiB-block memory online. Prints the root. For timing
 * and syscall counts of enumeration (strace -c, test/bench).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tree.h"

#define HOST "sys/devices/platform/hmem.0"
#define MiB (1024ull * 1024)
#define BASE 0x100000000ull

int main(int argc, char **argv)
{
	struct tree t;
	int n, i;

	if (argc < 2 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: %s NDEVICES\n", argv[0]);
		return 2;
	}
	tree_new(&t);
	tree_region(&t, HOST, 0, (uint64_t)n * 2 * MiB, true, 0, NULL);
	tree_block_size(&t, 128 * MiB);
	for (i = 0; i < n; i++) {
		uint64_t start = BASE + (uint64_t)i * 128 * MiB;

		tree_dev(&t, &(struct tree_dev){
				     .host = HOST,
				     .region = 0,
				     .id = i,
				     .size = 128 * MiB,
				     .driver = i % 4 ? "device_dax" : "kmem",
				     .target_node = 0,
				     .numa_node = 0,
				     .resource = start,
				     .major = 252,
				     .minor = (unsigned int)i,
			     });
		tree_mapping(&t, HOST, 0, i, 0, start, start + 128 * MiB - 1,
			     0);
		if (i % 4 == 0)
			tree_memory_block(&t, start / (128 * MiB), "online",
					  "Movable");
	}
	printf("%s\n", t.root);
	free(t.root); /* the tree stays on disk */
	return 0;
}
