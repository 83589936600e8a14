// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ABI check: the dynamic symbols libdax.so defines, the version
 * script's global list and the functions include/libdax.h declares must be
 * the same three sets.
 *
 * usage: test-symbols NM LIBDAX_SO LIBDAX_SYM LIBDAX_H
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct set {
	char **v;
	size_t n, cap;
};

static void die(const char *what)
{
	fprintf(stderr, "test-symbols: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void add(struct set *s, const char *name, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("realloc");
	}
	s->v[s->n] = strndup(name, len);
	if (!s->v[s->n++])
		die("strndup");
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_free(struct set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static char *slurp_fd(int fd, const char *what)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		die("malloc");
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
	}
	if (n < 0)
		die(what);
	buf[len] = '\0';
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;

	if (!f)
		die(path);
	buf = slurp_fd(fileno(f), path);
	fclose(f);
	return buf;
}

/* Blank out C comments, keeping newlines. */
static void strip_comments(char *s)
{
	char *p = s;

	while ((p = strchr(p, '/'))) {
		char *end;

		if (p[1] == '*') {
			end = strstr(p + 2, "*/");
			end = end ? end + 2 : p + strlen(p);
		} else if (p[1] == '/') {
			end = p + strcspn(p, "\n");
		} else {
			p++;
			continue;
		}
		for (; p < end; p++)
			if (*p != '\n')
				*p = ' ';
	}
}

/* Blank out preprocessor lines, with their continuations. */
static void strip_cpp(char *s)
{
	bool directive = false;
	char *line = s;

	while (*line) {
		size_t len = strcspn(line, "\n");
		bool cont = len > 0 && line[len - 1] == '\\';

		if (line[strspn(line, " \t")] == '#')
			directive = true;
		if (directive) {
			memset(line, ' ', len);
			directive = cont;
		}
		line += len;
		if (*line)
			line++;
	}
}

static void exported(const char *nm, const char *lib, struct set *out)
{
	int fds[2], status;
	char *buf, *line, *save;
	pid_t pid;

	if (pipe(fds) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp(nm, nm, "-D", "--defined-only", lib, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	buf = slurp_fd(fds[0], "nm output");
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "test-symbols: %s failed\n", nm);
		exit(2);
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char type, name[256];

		if (sscanf(line, "%*s %c %255s", &type, name) != 2)
			continue;
		if (type == 'A') /* version nodes */
			continue;
		add(out, name, strcspn(name, "@"));
	}
	free(buf);
}

static void script(const char *path, struct set *out)
{
	char *buf = slurp(path), *p, *end;

	strip_comments(buf);
	p = strstr(buf, "global:");
	if (!p || !strstr(p, "local:")) {
		fprintf(stderr, "test-symbols: %s: no global/local\n", path);
		exit(2);
	}
	/* Each version node's global: list, up to its local: or its end. */
	for (; p; p = strstr(p, "global:")) {
		char *local = strstr(p, "local:"), *close = strchr(p, '}');

		end = local && (!close || local < close) ? local : close;
		if (!end) {
			fprintf(stderr, "test-symbols: %s: unterminated node\n",
				path);
			exit(2);
		}
		for (p += 7; p < end;) {
			size_t n;

			while (p < end && !isalnum((unsigned char)*p) &&
			       *p != '_')
				p++;
			if (p >= end)
				break;
			n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
			if (n == 0)
				break;
			add(out, p, n);
			p += n;
		}
		p = end;
	}
	free(buf);
}

/* Functions: the identifier before the first "(" of each non-typedef. */
static void header(const char *path, struct set *out)
{
	char *buf = slurp(path), *stmt, *save;

	strip_comments(buf);
	strip_cpp(buf);
	for (stmt = strtok_r(buf, ";", &save); stmt;
	     stmt = strtok_r(NULL, ";", &save)) {
		char *paren = strchr(stmt, '('), *e, *b;

		if (!paren || strstr(stmt, "typedef"))
			continue;
		for (e = paren; e > stmt && isspace((unsigned char)e[-1]); e--)
			;
		for (b = e; b > stmt &&
			    (isalnum((unsigned char)b[-1]) || b[-1] == '_');
		     b--)
			;
		if (e > b)
			add(out, b, (size_t)(e - b));
	}
	free(buf);
}

/* Print what @a has and @b lacks; both sorted. */
static int diff(const char *an, struct set *a, const char *bn, struct set *b)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < a->n; i++) {
		if (!bsearch(&a->v[i], b->v, b->n, sizeof(*b->v), cmp)) {
			fprintf(stderr, "%s: %s, but not in %s\n", a->v[i], an,
				bn);
			bad = 1;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct set so = {0}, sym = {0}, hdr = {0};
	int bad = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: %s NM LIB SYM HEADER\n", argv[0]);
		return 2;
	}
	exported(argv[1], argv[2], &so);
	script(argv[3], &sym);
	header(argv[4], &hdr);
	qsort(so.v, so.n, sizeof(*so.v), cmp);
	qsort(sym.v, sym.n, sizeof(*sym.v), cmp);
	qsort(hdr.v, hdr.n, sizeof(*hdr.v), cmp);

	bad |= diff("exported", &so, "the version script", &sym);
	bad |= diff("in the version script", &sym, "exported", &so);
	bad |= diff("exported", &so, "the header", &hdr);
	bad |= diff("declared in the header", &hdr, "exported", &so);
	if (so.n == 0 || hdr.n == 0) {
		fprintf(stderr, "no symbols found\n");
		bad = 1;
	}
	printf("%zu exported, %zu in the script, %zu in the header\n", so.n,
	       sym.n, hdr.n);
	set_free(&so);
	set_free(&sym);
	set_free(&hdr);
	return bad;
}
