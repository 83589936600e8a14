// SPDX-License-Identifier: GPL-2.0-only
/*
 * timeit: run a command N times with stdout and stderr discarded, and print
 * "min=<ms> median=<ms> max=<ms> runs=N" for its wall-clock time. Used by the
 * benchmarks in the guest, where busybox has no clock with sub-second
 * resolution. A run that exits non-zero makes timeit fail: a benchmark of a
 * failing command measures nothing.
 *
 *   timeit RUNS COMMAND [ARG...]
 *   timeit RUNS COMMAND-A [ARG...] --vs COMMAND-B [ARG...]
 *
 * The second form runs A and B alternately (A, B, A, B, ...), N times each,
 * and prints a line for each, "A min=..." and "B min=...": on a shared,
 * noisy host both commands then meet the same load, and the ratio of their
 * medians is fair even when the load changes during the run.
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

/* Run @argv once; its wall time in *@ms. 0, or 1 if it failed, 2 on error. */
static int run_once(char **argv, double *ms)
{
	double start = now_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("timeit: waitpid");
		return 2;
	}
	*ms = now_ms() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "timeit: '%s' failed (status %#x)\n", argv[0],
			status);
		return 1;
	}
	return 0;
}

static void report(const char *prefix, double *t, long runs)
{
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%smin=%.2f median=%.2f max=%.2f runs=%ld\n", prefix, t[0],
	       t[runs / 2], t[runs - 1], runs);
}

int main(int argc, char **argv)
{
	char **cmd[2] = {NULL, NULL};
	double *t[2] = {NULL, NULL};
	int i, k, ncmd = 1, rc;
	char *end;
	long runs;

	if (argc < 3) {
		fprintf(stderr, "usage: timeit RUNS COMMAND [ARG...] "
				"[--vs COMMAND [ARG...]]\n");
		return 2;
	}
	errno = 0;
	runs = strtol(argv[1], &end, 10);
	if (errno || *end || runs < 1 || runs > 100000) {
		fprintf(stderr, "timeit: bad run count '%s'\n", argv[1]);
		return 2;
	}
	cmd[0] = argv + 2;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--vs") != 0)
			continue;
		argv[i] = NULL; /* ends command A */
		if (i == 2 || i + 1 >= argc) {
			fprintf(stderr, "timeit: --vs needs a command on "
					"each side\n");
			return 2;
		}
		cmd[1] = argv + i + 1;
		ncmd = 2;
		break;
	}
	for (k = 0; k < ncmd; k++) {
		t[k] = calloc((size_t)runs, sizeof(*t[k]));
		if (!t[k])
			return 2;
	}
	for (i = 0; i < runs; i++)
		for (k = 0; k < ncmd; k++) {
			rc = run_once(cmd[k], &t[k][i]);
			if (rc)
				return rc;
		}
	if (ncmd == 1) {
		report("", t[0], runs);
	} else {
		report("A ", t[0], runs);
		report("B ", t[1], runs);
	}
	free(t[0]);
	free(t[1]);
	return 0;
}
