// SPDX-License-Identifier: GPL-2.0-only
/*
 * as-nobody: run a command as uid/gid 65534 with no supplementary groups.
 * The guest's busybox setpriv cannot change uids, and the non-root view of
 * sysfs (0400 attributes unreadable) must be seen through a real uid.
 */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: as-nobody COMMAND [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("as-nobody");
		return 2;
	}
	execvp(argv[1], argv + 1);
	perror("as-nobody: exec");
	return 127;
}
