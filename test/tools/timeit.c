// SPDX-License-Identifier: GPL-2.0-only
/*
 * timeit: run a command N times with stdout and stderr discarded, and print
 * "min=<ms> median=<ms> max=<ms> runs=N" for its wall-clock time. Used by the
 * benchmarks in the guest, where busybox has no clock with sub-second
 * resolution. A run that exits non-zero makes timeit fail: a benchmark of a
 * failing command measures nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	char *end;
	long runs;
	double *t;
	int i, status;

	if (argc < 3) {
		fprintf(stderr, "usage: timeit RUNS COMMAND [ARG...]\n");
		return 2;
	}
	errno = 0;
	runs = strtol(argv[1], &end, 10);
	if (errno || *end || runs < 1 || runs > 100000) {
		fprintf(stderr, "timeit: bad run count '%s'\n", argv[1]);
		return 2;
	}
	t = calloc((size_t)runs, sizeof(*t));
	if (!t)
		return 2;
	for (i = 0; i < runs; i++) {
		double start = now_ms();
		pid_t pid = fork();

		if (pid < 0) {
			perror("timeit: fork");
			return 2;
		}
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0) {
			perror("timeit: waitpid");
			return 2;
		}
		t[i] = now_ms() - start;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "timeit: '%s' failed (status %#x)\n",
				argv[2], status);
			return 1;
		}
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("min=%.2f median=%.2f max=%.2f runs=%ld\n", t[0], t[runs / 2],
	       t[runs - 1], runs);
	free(t);
	return 0;
}
