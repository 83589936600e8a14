// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lock model on a synthetic tree (flock works on the tree's
 * <root>/run/libdax): try and timed waits, a signal ending a wait, two
 * contexts in one thread, another thread waiting, the context's default
 * timeout used by change calls, the shared lock of mapping reads, and the
 * journal of a held auto-online policy restored when its holder is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libdax.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

#include "check.h"
#include "tree.h"

#define HMEM0 "sys/devices/platform/hmem.0"
#define MiB (1024ull * 1024)
#define POLICY "sys/devices/system/memory/auto_online_blocks"
#define JOURNAL "run/libdax/auto_online_blocks.saved"

static bool tree_exists(struct tree *t, const char *path)
{
	char *p = tree_fmt("%s/%s", t->root, path);
	struct stat st;
	bool yes = lstat(p, &st) == 0;

	free(p);
	return yes;
}

static void build(struct tree *t)
{
	tree_new(t);
	tree_region(t, HMEM0, 0, 1024 * MiB, true, 768 * MiB, "dax0.1");
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 0,
				       .size = 256 * MiB,
				       .driver = "device_dax",
				       .resource = 0x100000000ull,
				       .major = 252});
	tree_mapping(t, HMEM0, 0, 0, 0, 0x100000000ull,
		     0x100000000ull + 256 * MiB - 1, 0);
	tree_block_size(t, 128 * MiB);
	tree_write(t, POLICY, "offline\n");
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * A child that holds @file (below the root) with flock(@op) until it reads
 * a byte on @go; it writes a byte on @ready once it holds it.
 */
static pid_t hold_in_child_op(struct tree *t, const char *file, int op,
			      int *go_fd)
{
	int ready[2], go[2];
	char c;
	pid_t pid;

	if (pipe(ready) < 0 || pipe(go) < 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		char *path = tree_fmt("%s/%s", t->root, file);
		int fd = open(path, O_RDWR | O_CREAT, 0600);

		free(path);
		if (fd < 0 || flock(fd, op) < 0)
			_exit(2);
		(void)!write(ready[1], "r", 1);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	CHECK_INT(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*go_fd = go[1];
	return pid;
}

static pid_t hold_in_child(struct tree *t, const char *file, int *go_fd)
{
	return hold_in_child_op(t, file, LOCK_EX, go_fd);
}

static void release_child(pid_t pid, int go_fd)
{
	int st;

	(void)!write(go_fd, "g", 1);
	close(go_fd);
	CHECK_INT(waitpid(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Contexts a forked child inherits, kept reachable for its leak check. */
static struct dax_ctx *volatile forked_keep[3];

/*
 * Whether valgrind runs us: its client request where the header is
 * installed (package valgrind), else its preload library in the
 * environment (memcheck's vgpreload; not set by every tool).
 */
static bool running_on_valgrind(void)
{
#ifdef HAVE_VALGRIND_H
	return RUNNING_ON_VALGRIND != 0;
#else
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "vgpreload");
#endif
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * Signals the waiting thread every 100 ms from 300 ms after it starts
 * until told to stop. One signal alone (alarm()) can land before the wait
 * begins when a loaded machine deschedules the test, and be lost.
 */
struct pester {
	pthread_t target, self;
	atomic_int stop;
};

static void *pester_run(void *arg)
{
	struct pester *p = arg;

	usleep(300000);
	while (!atomic_load(&p->stop)) {
		pthread_kill(p->target, SIGALRM);
		usleep(100000);
	}
	return NULL;
}

static void pester_start(struct pester *p)
{
	p->target = pthread_self();
	atomic_store(&p->stop, 0);
	if (pthread_create(&p->self, NULL, pester_run, p) != 0)
		abort();
}

static void pester_stop(struct pester *p)
{
	atomic_store(&p->stop, 1);
	pthread_join(p->self, NULL);
}

static void test_try_timeout_eintr(void)
{
	struct tree t;
	struct dax_ctx *ctx;
	struct dax_region *r0;
	struct dax_dev *dev;
	struct sigaction sa = {0};
	struct pester pest;
	double t0, el;
	int go, rc;
	pid_t pid;

	build(&t);
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	CHECK(r0 != NULL);
	/* Creates run/libdax. */
	CHECK_INT(dax_region_lock_timeout(r0, 0), 0);
	dax_region_unlock(r0);

	pid = hold_in_child(&t, "run/libdax/region0.lock", &go);
	CHECK_INT(dax_region_lock_timeout(r0, 0), -EWOULDBLOCK);
	CHECK_INT(-EWOULDBLOCK, -EAGAIN);
	t0 = now_ms();
	CHECK_INT(dax_region_lock_timeout(r0, 200), -ETIMEDOUT);
	el = now_ms() - t0;
	/* Upper bounds only catch a hang: a loaded CI machine is slow. */
	check_report(el >= 195 && el < 10000, "timed wait took %.0f ms", el);

	/*
	 * A handler without SA_RESTART ends an untimed wait with EINTR. No
	 * signal comes before 300 ms after t0: the wait blocked until then.
	 */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	t0 = now_ms();
	pester_start(&pest);
	rc = dax_region_lock_timeout(r0, -1);
	el = now_ms() - t0;
	pester_stop(&pest);
	CHECK_INT(rc, -EINTR);
	check_report(el >= 295 && el < 20000, "untimed wait took %.0f ms", el);
	/* And a timed one, whatever SA_RESTART. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	t0 = now_ms();
	pester_start(&pest);
	rc = dax_region_lock_timeout(r0, 10000);
	el = now_ms() - t0;
	pester_stop(&pest);
	if (running_on_valgrind() && rc == -ETIMEDOUT) {
		/* valgrind restarts nanosleep() after an SA_RESTART handler. */
		printf("# valgrind: timed wait not interrupted (valgrind "
		       "restarts the sleep): not checked\n");
	} else {
		CHECK_INT(rc, -EINTR);
		check_report(el >= 295, "timed wait took %.0f ms", el);
	}

	/* The context's timeout: change calls give up, writing nothing. */
	CHECK_INT(dax_ctx_get_lock_timeout(ctx), -1);
	dax_ctx_set_lock_timeout(ctx, 50);
	CHECK_INT(dax_ctx_get_lock_timeout(ctx), 50);
	CHECK_INT(dax_region_lock(r0), -ETIMEDOUT);
	dev = dax_dev_find(ctx, "dax0.0");
	CHECK(dev != NULL);
	if (dev)
		CHECK_INT(dax_dev_disable(dev), -ETIMEDOUT);
	CHECK(tree_exists(&t, HMEM0 "/dax0.0/driver"));
	dax_ctx_set_lock_timeout(ctx, -5);
	CHECK_INT(dax_ctx_get_lock_timeout(ctx), -1);

	/* Once released, an untimed wait gets it. */
	release_child(pid, go);
	rc = dax_region_lock(r0);
	CHECK_INT(rc, 0);
	if (rc == 0)
		dax_region_unlock(r0);
	signal(SIGALRM, SIG_DFL);
	dax_ctx_unref(ctx);
	tree_free(&t);
}

/*
 * A thread that takes the lock: it signals @ready just before it waits and
 * sets @done once it holds the lock. No timing: while the lock is held
 * elsewhere, @done must stay 0, however late the thread runs.
 */
struct waiter {
	struct dax_region *region;
	int ready; /* eventfd */
	int rc;
	atomic_int done;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	uint64_t one = 1;

	(void)!write(w->ready, &one, sizeof(one));
	w->rc = dax_region_lock_timeout(w->region, -1);
	atomic_store(&w->done, 1);
	if (w->rc == 0)
		dax_region_unlock(w->region);
	return NULL;
}

static void test_two_contexts(void)
{
	struct tree t;
	struct dax_ctx *a, *b, *c;
	struct dax_region *ra, *rb, *rc_;
	struct waiter w;
	uint64_t ready;
	pthread_t th;
	int go;
	pid_t pid;

	build(&t);
	a = tree_ctx(&t);
	b = tree_ctx(&t);
	c = tree_ctx(&t);
	/* Reachable from a forked child's memory too (valgrind leak check). */
	forked_keep[0] = a;
	forked_keep[1] = b;
	forked_keep[2] = c;
	ra = dax_region_find(a, 0);
	rb = dax_region_find(b, 0);
	rc_ = dax_region_find(c, 0);
	CHECK(ra && rb && rc_);

	/* Same thread, two contexts: no self-deadlock (try would fail). */
	CHECK_INT(dax_region_lock(ra), 0);
	CHECK_INT(dax_region_lock_timeout(rb, 0), 0);
	/*
	 * A change call of the second context gets past the lock (the
	 * device is enabled, so resizing it is refused after locking).
	 */
	dax_ctx_set_lock_timeout(b, 0);
	CHECK_INT(dax_dev_set_size(dax_dev_find(b, "dax0.0"), 512 * MiB),
		  -EBUSY);
	/* Released only when both let go. */
	dax_region_unlock(ra);
	pid = fork();
	if (pid == 0) {
		char *path = tree_fmt("%s/run/libdax/region0.lock", t.root);
		int fd = open(path, O_RDWR);

		free(path);
		_exit(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0 ? 0 : 1);
	}
	{
		int st;

		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}

	/*
	 * Another thread waits like another process: once it is about to
	 * wait, and some time after, it must not have the lock that rb holds.
	 */
	w = (struct waiter){.region = rc_, .rc = 1};
	w.ready = eventfd(0, EFD_CLOEXEC);
	if (w.ready < 0)
		abort();
	atomic_init(&w.done, 0);
	CHECK_INT(pthread_create(&th, NULL, wait_thread, &w), 0);
	CHECK_INT(read(w.ready, &ready, sizeof(ready)), sizeof(ready));
	usleep(100000);
	CHECK_INT(atomic_load(&w.done), 0);
	dax_region_unlock(rb);
	pthread_join(th, NULL);
	close(w.ready);
	CHECK_INT(w.rc, 0);
	CHECK_INT(atomic_load(&w.done), 1);

	/* And the lock is free again for other processes. */
	pid = hold_in_child(&t, "run/libdax/region0.lock", &go);
	release_child(pid, go);

	dax_ctx_unref(a);
	dax_ctx_unref(b);
	dax_ctx_unref(c);
	tree_free(&t);
}

/* A thread that reads the first mapping of @dev, as test_mapping_read says. */
struct reader {
	struct dax_dev *dev;
	int ready; /* eventfd */
	uint64_t start;
	int err;
	atomic_int done;
};

static void *read_thread(void *arg)
{
	struct reader *r = arg;
	struct dax_mapping *m;
	uint64_t one = 1;

	(void)!write(r->ready, &one, sizeof(one));
	m = dax_mapping_get_first(r->dev);
	r->err = m ? 0 : errno;
	r->start = m ? dax_mapping_get_start(m) : 0;
	atomic_store(&r->done, 1);
	return NULL;
}

/* Region 1 beside build()'s region 0, for the lock-order case. */
#define HMEM1 "sys/devices/platform/hmem.1"

static void build_two(struct tree *t)
{
	build(t);
	tree_region(t, HMEM1, 1, 512 * MiB, true, 256 * MiB, "dax1.1");
	tree_dev(t, &(struct tree_dev){.host = HMEM1,
				       .region = 1,
				       .id = 0,
				       .size = 256 * MiB,
				       .driver = "device_dax",
				       .resource = 0x200000000ull,
				       .major = 252,
				       .minor = 1});
	tree_mapping(t, HMEM1, 1, 0, 0, 0x200000000ull,
		     0x200000000ull + 256 * MiB - 1, 0);
	/* An unbound device, which a change call reads the ranges of. */
	tree_dev(t, &(struct tree_dev){.host = HMEM0,
				       .region = 0,
				       .id = 1,
				       .size = 256 * MiB,
				       .resource = 0x110000000ull,
				       .major = 252,
				       .minor = 2});
	tree_mapping(t, HMEM0, 0, 1, 0, 0x110000000ull,
		     0x110000000ull + 256 * MiB - 1, 0);
	tree_platform(t, 4096, 2 * MiB);
}

/*
 * Reading mappingK/ holds the region's lock file shared: it waits while
 * another libdax user changes the region (a shrink there could hang the
 * kernel with it), shares it with other readers, and never waits for a
 * lock its own thread holds.
 */
static void test_mapping_read(void)
{
	struct tree t;
	struct dax_ctx *a, *b;
	struct dax_region *ra, *rb1;
	struct dax_dev *da, *db, *db1;
	struct dax_mapping *m;
	struct reader r;
	uint64_t ready;
	pthread_t th;
	double t0, el;
	int go;
	pid_t pid;

	build_two(&t);
	tree_mkdir(&t, "run/libdax");
	a = tree_ctx(&t);
	b = tree_ctx(&t);
	forked_keep[0] = a;
	forked_keep[1] = b;
	forked_keep[2] = NULL;
	ra = dax_region_find(a, 0);
	rb1 = dax_region_find(b, 1);
	da = dax_dev_find(a, "dax0.0");
	db = dax_dev_find(b, "dax0.0");
	db1 = dax_dev_find(b, "dax1.0");
	CHECK(ra && rb1 && da && db && db1);

	/* Another process changes region 0: a read waits, then reads. */
	pid = hold_in_child(&t, "run/libdax/region0.lock", &go);
	r = (struct reader){.dev = da, .err = -1};
	r.ready = eventfd(0, EFD_CLOEXEC);
	if (r.ready < 0)
		abort();
	atomic_init(&r.done, 0);
	CHECK_INT(pthread_create(&th, NULL, read_thread, &r), 0);
	CHECK_INT(read(r.ready, &ready, sizeof(ready)), sizeof(ready));
	usleep(200000);
	CHECK_INT(atomic_load(&r.done), 0);
	/* Meanwhile: a try, and a timed wait, give up and cache nothing. */
	dax_ctx_set_lock_timeout(b, 0);
	CHECK_NULL_ERRNO(dax_mapping_get_first(db), EWOULDBLOCK);
	dax_ctx_set_lock_timeout(b, 50);
	t0 = now_ms();
	CHECK_NULL_ERRNO(dax_mapping_get_first(db), ETIMEDOUT);
	el = now_ms() - t0;
	check_report(el >= 45 && el < 10000, "timed read took %.0f ms", el);
	/* Region 1 is not locked: read at once. */
	m = dax_mapping_get_first(db1);
	CHECK(m && dax_mapping_get_start(m) == 0x200000000ull);
	release_child(pid, go);
	pthread_join(th, NULL);
	close(r.ready);
	CHECK_INT(r.err, 0);
	CHECK_U64(r.start, 0x100000000ull);
	/* The failures were not cached. */
	dax_ctx_set_lock_timeout(b, 0);
	m = dax_mapping_get_first(db);
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);

	/* Readers share: another process reading does not stop us. */
	pid = hold_in_child_op(&t, "run/libdax/region0.lock", LOCK_SH, &go);
	CHECK_INT(dax_ctx_refresh(b), 0);
	m = dax_mapping_get_first(db);
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);
	/* ... but a change waits for it. */
	CHECK_INT(dax_region_lock_timeout(ra, 0), -EWOULDBLOCK);
	release_child(pid, go);

	/*
	 * The change lock's holder reads without deadlock: in its own
	 * context (the refresh reloads what was loaded), through another
	 * context of the same thread (b tries only: a wait would fail), and
	 * inside a change call (dax0.1's align, after reading its ranges).
	 */
	CHECK_INT(dax_region_lock(ra), 0);
	CHECK_INT(dax_ctx_refresh(a), 0);
	m = dax_mapping_get_first(da);
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);
	CHECK_INT(dax_ctx_refresh(b), 0);
	m = dax_mapping_get_first(db);
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);
	CHECK_INT(dax_dev_set_align(dax_dev_find(a, "dax0.1"), 2 * MiB), 0);
	dax_region_unlock(ra);

	/*
	 * Lock order: holding region 1, a read of region 0 while another
	 * process changes it only tries (-EDEADLK), even untimed.
	 */
	dax_ctx_set_lock_timeout(b, -1);
	CHECK_INT(dax_region_lock(rb1), 0);
	pid = hold_in_child(&t, "run/libdax/region0.lock", &go);
	CHECK_INT(dax_ctx_refresh(b), 0);
	CHECK_NULL_ERRNO(dax_mapping_get_first(db), EDEADLK);
	release_child(pid, go);
	m = dax_mapping_get_first(db);
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);
	dax_region_unlock(rb1);

	dax_ctx_unref(a);
	dax_ctx_unref(b);

	/* No lock file on a test tree: read, and write nothing into it. */
	tree_remove(&t, "run");
	a = tree_ctx(&t);
	da = dax_dev_find(a, "dax0.0");
	CHECK(da != NULL);
	m = da ? dax_mapping_get_first(da) : NULL;
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);
	CHECK(!tree_exists(&t, "run"));
	dax_ctx_unref(a);

	/*
	 * No lock directory to be had (here "run" is a file): read without
	 * the guard, as an ordinary user whose lock files are root's 0600.
	 */
	tree_write(&t, "run", "not a directory\n");
	a = tree_ctx(&t);
	da = dax_dev_find(a, "dax0.0");
	CHECK(da != NULL);
	m = da ? dax_mapping_get_first(da) : NULL;
	CHECK(m && dax_mapping_get_start(m) == 0x100000000ull);
	dax_ctx_unref(a);
	tree_free(&t);
}

static char *slurp(struct tree *t, const char *path)
{
	static char buf[64];
	char *p = tree_fmt("%s/%s", t->root, path);
	int fd = open(p, O_RDONLY);
	ssize_t n;

	free(p);
	buf[0] = '\0';
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_journal(void)
{
	struct tree t;
	struct dax_ctx *ctx;
	struct dax_region *r0;
	char *s;
	int go;
	pid_t pid;

	build(&t);
	ctx = tree_ctx(&t);
	r0 = dax_region_find(ctx, 0);
	CHECK(r0 != NULL);
	tree_mkdir(&t, "run/libdax");
	tree_write(&t, JOURNAL, "online_movable\n");

	/* A live holder of the host lock restores it itself: left alone. */
	pid = hold_in_child(&t, "run/libdax/host.lock", &go);
	CHECK_INT(dax_region_lock(r0), 0);
	dax_region_unlock(r0);
	s = slurp(&t, POLICY);
	CHECK(s && strcmp(s, "offline\n") == 0);
	CHECK(tree_exists(&t, JOURNAL));
	release_child(pid, go);

	/* No holder: the next lock restores the policy, drops the journal. */
	CHECK_INT(dax_region_lock(r0), 0);
	dax_region_unlock(r0);
	s = slurp(&t, POLICY);
	check_report(s && strcmp(s, "online_movable") == 0,
		     "policy after recovery: \"%s\"", s ? s : "(none)");
	CHECK(!tree_exists(&t, JOURNAL));

	/* Garbage in the journal: removed, the policy untouched. */
	tree_write(&t, JOURNAL, "bogus\n");
	CHECK_INT(dax_region_lock(r0), 0);
	dax_region_unlock(r0);
	s = slurp(&t, POLICY);
	CHECK(s && strcmp(s, "online_movable") == 0);
	CHECK(!tree_exists(&t, JOURNAL));

	dax_ctx_unref(ctx);
	tree_free(&t);
}

int main(void)
{
	unsetenv("LIBDAX_SYSFS_ROOT");
	unsetenv("LIBDAX_LOG");
	test_try_timeout_eintr();
	test_two_contexts();
	test_mapping_read();
	test_journal();
	return check_exit();
}
