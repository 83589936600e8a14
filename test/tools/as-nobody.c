// SPDX-License-Identifier: GPL-2.0-only
/*
 * as-nobody [-u ID] COMMAND [ARG...]: run a command as uid/gid 65534 (or
 * ID) with no supplementary groups.
 * The guest's busybox setpriv cannot change uids, and the non-root view of
 * sysfs (0400 attributes unreadable) must be seen through a real uid.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int id = 65534;

	if (argc > 3 && strcmp(argv[1], "-u") == 0) {
		id = (unsigned int)strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: as-nobody [-u ID] COMMAND [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("as-nobody");
		return 2;
	}
	execvp(argv[1], argv + 1);
	perror("as-nobody: exec");
	return 127;
}
