// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in for libFuzzer where clang's -fsanitize=fuzzer is not
 * available: runs one fuzz target on every file of a corpus, then on
 * random mutations of them (bit flips, byte changes, insertions, deletions,
 * duplications, dictionary tokens, splices). Deterministic for a given
 * seed, so that a failure can be replayed.
 *
 *   replay [-n MUTATIONS] [-s SEED] [-t SECONDS] [-d DICT] CORPUS...
 *
 * CORPUS is a file or a directory of files. SEED defaults to $FUZZ_SEED,
 * else 1. On a crash the input is written to ./crash-<seed>-<n> (or
 * $FUZZ_ARTIFACT_DIR/crash-...) before the signal is re-raised; replay it
 * with "replay FILE".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define REPLAY_MAX_INPUT 65536

struct blob {
	uint8_t *data;
	size_t size;
};

struct blobs {
	struct blob *v;
	size_t n, cap;
};

/* The input being run, for the crash handler. */
static const uint8_t *cur_data;
static size_t cur_size;
static char crash_path[4096];

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void add_blob(struct blobs *b, const uint8_t *data, size_t size)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = realloc(b->v, b->cap * sizeof(*b->v));
		if (!b->v)
			die("realloc");
	}
	b->v[b->n].data = malloc(size ? size : 1);
	if (!b->v[b->n].data)
		die("malloc");
	memcpy(b->v[b->n].data, data, size);
	b->v[b->n++].size = size;
}

static void load_file(struct blobs *b, const char *path)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	size_t n = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die(path);
	while (n < sizeof(buf) &&
	       (got = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)got;
	close(fd);
	add_blob(b, buf, n);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of a directory in name order (reproducible), or the file itself. */
static void load(struct blobs *b, const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	if (!dir) {
		if (errno != ENOTDIR)
			die(path);
		load_file(b, path);
		return;
	}
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || asprintf(&names[n], "%s/%s", path, e->d_name) < 0)
			die("alloc");
		n++;
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		load_file(b, names[i]);
		free(names[i]);
	}
	free(names);
}

/* Dictionary: one token per line, optionally "name=" and in quotes. */
static void load_dict(struct blobs *d, const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		char *s = strchr(line, '"'), *e = strrchr(line, '"');
		uint8_t tok[1024];
		size_t n = 0;

		if (line[0] == '#' || !s || e == s)
			continue;
		for (s++; s < e && n < sizeof(tok); s++) {
			if (*s == '\\' && s + 1 < e && s[1] == 'x' &&
			    s + 3 < e) {
				tok[n++] = (uint8_t)strtoul(
					(char[]){s[2], s[3], 0}, NULL, 16);
				s += 3;
			} else if (*s == '\\' && s + 1 < e) {
				tok[n++] = (uint8_t) * ++s;
			} else {
				tok[n++] = (uint8_t)*s;
			}
		}
		add_blob(d, tok, n);
	}
	fclose(f);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static const char *const tokens[] = {
	"0",
	"1",
	"-",
	"0x",
	"k",
	"m",
	"g",
	"t",
	"K",
	"G",
	"dax",
	".",
	"/dev/",
	"all",
	"region",
	"{",
	"}",
	"[",
	"]",
	":",
	",",
	"\"",
	"null",
	"true",
	"18446744073709551615",
	"9223372036854775808",
	"2097152",
	"1073741824",
	"\"chardev\":\"dax0.1\"",
	"\"size\":",
	"\"mappings\":[",
	"\"page_offset\":",
	"\"start\":",
	"\"end\":",
	"\"align\":",
	"\"devices\":[",
	"\"id\":",
	"\"mode\":\"system-ram\"",
	"\"state\":\"disabled\"",
	"\"2.00 GiB (2.15 GB)\"",
	"\\u0000",
};

static void insert(uint8_t *buf, size_t *n, size_t at, const uint8_t *p,
		   size_t len)
{
	if (*n + len > REPLAY_MAX_INPUT)
		len = REPLAY_MAX_INPUT - *n;
	memmove(buf + at + len, buf + at, *n - at);
	memcpy(buf + at, p, len);
	*n += len;
}

static void mutate(uint8_t *buf, size_t *n, const struct blobs *corpus,
		   const struct blobs *dict)
{
	unsigned int k, rounds = 1 + (unsigned int)below(8);

	for (k = 0; k < rounds; k++) {
		size_t at = below(*n + 1), len;
		uint8_t byte;

		switch (below(dict->n ? 9 : 8)) {
		case 0: /* flip a bit */
			if (*n)
				buf[below(*n)] ^= (uint8_t)(1u << below(8));
			break;
		case 1: /* random byte */
			if (*n)
				buf[below(*n)] = (uint8_t)rnd();
			break;
		case 2: /* insert a byte, often printable */
			byte = below(4) ? (uint8_t)(' ' + below(95))
					: (uint8_t)rnd();
			insert(buf, n, at, &byte, 1);
			break;
		case 3: /* delete a range */
			if (at < *n) {
				len = 1 + below(*n - at < 16 ? *n - at : 16);
				memmove(buf + at, buf + at + len,
					*n - at - len);
				*n -= len;
			}
			break;
		case 4: /* duplicate a range */
			if (at < *n) {
				uint8_t tmp[64];

				len = 1 + below(*n - at < 64 ? *n - at : 64);
				memcpy(tmp, buf + at, len);
				insert(buf, n, below(*n + 1), tmp, len);
			}
			break;
		case 5: /* a built-in token */
		case 6: {
			const char *t = tokens[below(sizeof(tokens) /
						     sizeof(tokens[0]))];

			insert(buf, n, at, (const uint8_t *)t, strlen(t));
			break;
		}
		case 7: { /* splice another corpus entry */
			const struct blob *o = &corpus->v[below(corpus->n)];
			size_t from = below(o->size + 1);

			len = below(o->size - from + 1);
			*n = at;
			insert(buf, n, at, o->data + from, len);
			break;
		}
		case 8: { /* a dictionary token */
			const struct blob *o = &dict->v[below(dict->n)];

			insert(buf, n, at, o->data, o->size);
			break;
		}
		}
	}
}

static void on_crash(int sig)
{
	int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	static const char msg[] = "replay: crashed; input saved to ";

	if (fd >= 0) {
		if (write(fd, cur_data, cur_size) < 0) {
			/* nothing more to do in a signal handler */
		}
		close(fd);
	}
	if (write(2, msg, sizeof(msg) - 1) < 0 ||
	    write(2, crash_path, strlen(crash_path)) < 0 ||
	    write(2, "\n", 1) < 0) {
		/* ignore */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void run(const uint8_t *data, size_t size)
{
	/* A fresh copy, so that reads past the end are caught by ASan. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		die("malloc");
	memcpy(copy, data, size);
	cur_data = copy;
	cur_size = size;
	LLVMFuzzerTestOneInput(copy, size);
	free(copy);
}

int main(int argc, char **argv)
{
	struct blobs corpus = {0}, dict = {0};
	const char *env = getenv("FUZZ_SEED");
	const char *dir = getenv("FUZZ_ARTIFACT_DIR");
	unsigned long long mutations = 0,
			   seed = env ? strtoull(env, NULL, 0) : 1;
	double seconds = 0;
	static uint8_t buf[REPLAY_MAX_INPUT];
	unsigned long long i;
	struct timespec t0, t;
	int opt;
	size_t n;

	while ((opt = getopt(argc, argv, "n:s:t:d:")) != -1) {
		switch (opt) {
		case 'n':
			mutations = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'd':
			load_dict(&dict, optarg);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-n MUTATIONS] [-s SEED] [-t "
				"SECONDS] "
				"[-d DICT] CORPUS...\n",
				argv[0]);
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "%s: no corpus given\n", argv[0]);
		return 2;
	}
	for (; optind < argc; optind++)
		load(&corpus, argv[optind]);
	if (!corpus.n)
		add_blob(&corpus, (const uint8_t *)"", 0);

	signal(SIGSEGV, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);

	snprintf(crash_path, sizeof(crash_path), "%s%scrash-%llu-corpus",
		 dir ? dir : "", dir ? "/" : "", seed);
	for (i = 0; i < corpus.n; i++)
		run(corpus.v[i].data, corpus.v[i].size);

	rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < mutations; i++) {
		const struct blob *b = &corpus.v[below(corpus.n)];

		if (seconds > 0 && (i & 255) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((double)(t.tv_sec - t0.tv_sec) +
				    (double)(t.tv_nsec - t0.tv_nsec) / 1e9 >
			    seconds)
				break;
		}
		n = b->size;
		memcpy(buf, b->data, n);
		mutate(buf, &n, &corpus, &dict);
		snprintf(crash_path, sizeof(crash_path), "%s%scrash-%llu-%llu",
			 dir ? dir : "", dir ? "/" : "", seed, i);
		run(buf, n);
	}
	printf("replay: %zu corpus inputs and %llu mutations (seed %llu) "
	       "passed\n",
	       corpus.n, i, seed);
	for (i = 0; i < corpus.n; i++)
		free(corpus.v[i].data);
	free(corpus.v);
	for (i = 0; i < dict.n; i++)
		free(dict.v[i].data);
	free(dict.v);
	return 0;
}
