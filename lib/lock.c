// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Locks: flock(2) on files under <root>/run/libdax, one per region
 * (region<ID>.lock) and one for host-wide state (host.lock).
 *
 * - A process-wide table keeps every lock file this process holds, keyed
 *   by the file's identity (device, inode). A thread that takes a lock it
 *   already holds through another context (another open file description,
 *   which flock would make it wait for: a self-deadlock) only counts one
 *   more holder. Another thread of the process finds the entry not its
 *   own and waits in flock(2) like another process.
 * - Order: region locks by ascending id, the host lock last. While the
 *   host lock or a higher region lock is held, other locks are only tried
 *   (lock_other_region()).
 * - Waits: <0 blocks in flock(2) (a signal handler without SA_RESTART ends
 *   it with EINTR); >0 polls LOCK_NB with sleeps that any handled signal
 *   ends; 0 tries once.
 * - Readers of mappingK/ hold the region's lock file shared (region_read_
 *   lock()): the kernel's mappingK show functions wait for the region's
 *   kernel lock, which a shrink holds while it removes mappingK and waits
 *   for those readers (stock 6.1 and 6.12 hang for good). Shared against
 *   the exclusive change lock, a libdax reader never overlaps a libdax
 *   shrink or destroy of the same region. A reader takes no table entry:
 *   it holds one region for one device's ranges, calls nothing that
 *   locks, and is skipped when this thread holds the region already. A
 *   descriptor per region object, opened once, makes it two flock(2)s.
 * - Taking a region lock (depth 0 -> 1) re-reads the region, and first
 *   lets hold.c restore a policy left by a crashed holder. The re-read
 *   lists the devices again only when the region's signature (private.h)
 *   differs from what this context last saw or left: a change call then
 *   costs the same whatever the number of devices.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "private.h"

/* One lock file held by a thread of this process. */
struct lock_hold {
	dev_t dev;
	ino_t ino;
	pid_t pid; /* entries copied by fork() are not the child's */
	pthread_t owner;
	int fd; /* the open file description that holds the flock */
	int id; /* region id, LOCK_ID_HOST for the host lock */
	unsigned int count; /* holders: contexts (or calls) of @owner */
	struct lock_hold *next;
};

static pthread_mutex_t table_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct lock_hold *table;

struct region_lock {
	struct lock_hold *hold; /* NULL while not held */
	unsigned int depth;
	/*
	 * The region's signature as this context last read it or left it
	 * (region_lock_predict()), valid while the context's write count is
	 * still @known_writes.
	 */
	struct region_sig known;
	unsigned long known_writes;
	bool known_valid;
	bool listed; /* the devices were listed under this hold */
	/* The readers' descriptor (region_read_lock()), per process. */
	struct {
		pid_t pid; /* 0: not opened yet; else the opener */
		int fd; /* -1 when it could not be opened (@err) */
		int err;
		dev_t dev;
		ino_t ino;
	} reader;
};

/* Read guards this thread holds: no exclusive lock may be taken then. */
static _Thread_local unsigned int reading;

/*
 * This process's id, cached for the readers (one getpid(2) per device
 * listed would be a sixth of a listing's system calls); fork() clears it.
 */
static atomic_int pid_cache;

static void forget_pid(void)
{
	atomic_store(&pid_cache, 0);
}

static void watch_fork(void)
{
	pthread_atfork(NULL, NULL, forget_pid);
}

static pid_t self_pid(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pid_t pid = atomic_load(&pid_cache);

	if (pid == 0) {
		pthread_once(&once, watch_fork);
		pid = getpid();
		atomic_store(&pid_cache, pid);
	}
	return pid;
}

/* Poll interval bounds of a timed wait. */
#define POLL_MIN_NS 1000000L
#define POLL_MAX_NS 32000000L

void region_lock_free(struct region_lock *lock)
{
	if (!lock)
		return;
	if (lock->hold)
		lock_release(lock->hold);
	/* Also an inherited copy: the parent's keeps its flock. */
	if (lock->reader.pid != 0 && lock->reader.fd >= 0)
		close(lock->reader.fd);
	free(lock);
}

bool region_lock_held(struct dax_region *region)
{
	struct region_lock *lock = *region_lock_slot(region);

	return lock && lock->depth > 0;
}

/* mkdir @path below @rootfd unless it exists; a new directory gets 0755. */
static int make_dir(struct dax_ctx *ctx, int rootfd, const char *path)
{
	if (mkdirat(rootfd, path, 0755) == 0) {
		/* Whatever the umask was: readers need to reach the files. */
		if (fchmodat(rootfd, path, 0755, 0) < 0)
			dax_warn(ctx, "/%s: chmod: %s\n", path,
				 strerror(errno));
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	return -errno;
}

int lock_dir_make(struct dax_ctx *ctx)
{
	int rootfd = ctx_root_fd(ctx), rc;

	if (rootfd < 0)
		return rootfd;
	rc = make_dir(ctx, rootfd, "run");
	if (rc == 0)
		rc = make_dir(ctx, rootfd, DAX_LOCK_DIR);
	if (rc < 0)
		dax_err(ctx, "%s/" DAX_LOCK_DIR ": %s\n",
			dax_ctx_get_sysfs_root(ctx), strerror(-rc));
	return rc;
}

static int open_lock_file(struct dax_ctx *ctx, const char *name)
{
	int rootfd = ctx_root_fd(ctx);
	int fd, rc;

	if (rootfd < 0)
		return rootfd;
	/* 0600: whoever may open it may also hold it and stall everyone. */
	fd = openat(rootfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd < 0 && errno == ENOENT) {
		/* The first lock since boot: make the directory. */
		rc = lock_dir_make(ctx);
		if (rc < 0)
			return rc;
		fd = openat(rootfd, name,
			    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0) {
		rc = -errno;
		dax_err(ctx, "/%s: %s\n", name, strerror(-rc));
		return rc;
	}
	return fd;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* flock(@op: LOCK_EX or LOCK_SH) on @fd, waiting as @timeout_ms says. */
static int wait_flock(int fd, int op, int timeout_ms)
{
	int64_t deadline, left, delay = POLL_MIN_NS;
	struct timespec ts;

	if (timeout_ms < 0)
		return flock(fd, op) == 0 ? 0 : -errno;
	deadline = now_ns() + (int64_t)timeout_ms * 1000000;
	for (;;) {
		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return -errno;
		if (timeout_ms == 0)
			return -EWOULDBLOCK;
		left = deadline - now_ns();
		if (left <= 0)
			return -ETIMEDOUT;
		if (delay > left)
			delay = left;
		ts.tv_sec = delay / 1000000000;
		ts.tv_nsec = delay % 1000000000;
		/* Never restarted: a handled signal ends the wait. */
		if (nanosleep(&ts, NULL) < 0)
			return -errno;
		if (delay < POLL_MAX_NS)
			delay *= 2;
	}
}

/* The entry of this thread for (@dev, @ino); table_mutex held. */
static struct lock_hold *find_own(dev_t dev, ino_t ino, pid_t pid)
{
	struct lock_hold *h;

	for (h = table; h; h = h->next)
		if (h->dev == dev && h->ino == ino && h->pid == pid &&
		    pthread_equal(h->owner, pthread_self()))
			return h;
	return NULL;
}

int lock_acquire(struct dax_ctx *ctx, const char *name, int id, int timeout_ms,
		 struct lock_hold **out)
{
	struct lock_hold *h;
	struct stat st;
	pid_t pid = getpid();
	int fd, rc;

	*out = NULL;
	if (reading) {
		/* Only a log function called by a reader can get here. */
		dax_err(ctx, "/%s: a read guard of this thread is held\n",
			name);
		return -EDEADLK;
	}
	fd = open_lock_file(ctx, name);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	pthread_mutex_lock(&table_mutex);
	h = find_own(st.st_dev, st.st_ino, pid);
	if (h)
		h->count++;
	pthread_mutex_unlock(&table_mutex);
	if (h) {
		/* Held by this thread through another context. */
		close(fd);
		*out = h;
		return 0;
	}
	rc = wait_flock(fd, LOCK_EX, timeout_ms);
	if (rc < 0) {
		if (rc != -EWOULDBLOCK && rc != -ETIMEDOUT && rc != -EINTR)
			dax_err(ctx, "/%s: flock: %s\n", name, strerror(-rc));
		close(fd);
		return rc;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(fd); /* releases the flock */
		return -ENOMEM;
	}
	h->dev = st.st_dev;
	h->ino = st.st_ino;
	h->pid = pid;
	h->owner = pthread_self();
	h->fd = fd;
	h->id = id;
	h->count = 1;
	pthread_mutex_lock(&table_mutex);
	h->next = table;
	table = h;
	pthread_mutex_unlock(&table_mutex);
	*out = h;
	return 0;
}

void lock_release(struct lock_hold *h)
{
	struct lock_hold **p;

	pthread_mutex_lock(&table_mutex);
	if (--h->count > 0) {
		pthread_mutex_unlock(&table_mutex);
		return;
	}
	for (p = &table; *p; p = &(*p)->next) {
		if (*p == h) {
			*p = h->next;
			break;
		}
	}
	pthread_mutex_unlock(&table_mutex);
	/* Closing the only descriptor of the open file releases the flock. */
	close(h->fd);
	free(h);
}

bool lock_held_by_thread(int id)
{
	struct lock_hold *h;
	pid_t pid = getpid();
	bool yes = false;

	pthread_mutex_lock(&table_mutex);
	for (h = table; h && !yes; h = h->next)
		yes = h->id == id && h->pid == pid &&
		      pthread_equal(h->owner, pthread_self());
	pthread_mutex_unlock(&table_mutex);
	return yes;
}

/*
 * Whether this thread (of process @pid) may wait for region @id's lock:
 * only in lock order, above every region lock it holds and never under
 * the host lock (*@host: whether it holds that).
 */
static bool may_wait_for(int id, pid_t pid, bool *host)
{
	struct lock_hold *h;
	int max = -1;

	*host = false;
	pthread_mutex_lock(&table_mutex);
	for (h = table; h; h = h->next) {
		if (h->pid != pid || !pthread_equal(h->owner, pthread_self()))
			continue;
		*host = *host || h->id == LOCK_ID_HOST;
		if (h->id > max)
			max = h->id;
	}
	pthread_mutex_unlock(&table_mutex);
	return id > max && !*host;
}

/* A lock this thread may only try (may_wait_for()) was busy: -EDEADLK. */
static int order_refused(struct dax_ctx *ctx, int id, bool host,
			 const char *state, const char *what)
{
	dax_err(ctx,
		"region %d is %s by another libdax user; holding %s, %s "
		"(lock order): try again\n",
		id, state, host ? "the host lock" : "a higher region lock",
		what);
	return -EDEADLK;
}

/*
 * Re-read @region under its lock: its attributes and its devices' always,
 * its device list unless the signature is what this context knows.
 */
static int reread(struct dax_region *region, struct region_lock *lock)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	struct region_sig now;
	bool same;
	int rc, src;

	src = region_sig_read(region, &now);
	same = src == 0 && lock->known_valid &&
	       lock->known_writes == ctx_writes(ctx) &&
	       region_sig_equal(&now, &lock->known) &&
	       !dax_region_is_gone(region);
	lock->known_valid = false;
	if (same) {
		rc = scan_region_attrs(region);
	} else {
		rc = scan_region(region);
		lock->listed = true;
		/* Someone else may have left devices behind. */
		region_forget_leftovers(region);
	}
	if (rc == 0 && src == 0) {
		region_sig_prime(region, &now);
		lock->known = now;
		lock->known_writes = ctx_writes(ctx);
		lock->known_valid = true;
	}
	return rc;
}

DAX_EXPORT int dax_region_lock_timeout(struct dax_region *region,
				       int timeout_ms)
{
	char name[sizeof(DAX_LOCK_DIR "/region.lock") + 12];
	struct region_lock **slot, *lock;
	struct dax_ctx *ctx;
	int rc;

	if (!region)
		return -EINVAL;
	ctx = dax_region_get_ctx(region);
	slot = region_lock_slot(region);
	lock = *slot;
	if (lock && lock->depth > 0) {
		lock->depth++;
		return 0;
	}
	if (!lock) {
		lock = calloc(1, sizeof(*lock));
		if (!lock)
			return -ENOMEM;
		*slot = lock;
	}
	snprintf(name, sizeof(name), DAX_LOCK_DIR "/region%d.lock",
		 dax_region_get_id(region));
	rc = lock_acquire(ctx, name, dax_region_get_id(region), timeout_ms,
			  &lock->hold);
	if (rc < 0)
		return rc;
	lock->depth = 1;
	/* A crashed holder of the host lock may have left the policy held. */
	hold_recover(ctx);
	lock->listed = false;
	/* Every check made under the lock sees the kernel's current state. */
	if (!region_is_class_model(region)) {
		rc = reread(region, lock);
		if (rc < 0) {
			dax_region_unlock(region);
			return rc;
		}
	}
	return 0;
}

DAX_EXPORT int dax_region_lock(struct dax_region *region)
{
	if (!region)
		return -EINVAL;
	return dax_region_lock_timeout(
		region, dax_ctx_get_lock_timeout(dax_region_get_ctx(region)));
}

DAX_EXPORT void dax_region_unlock(struct dax_region *region)
{
	struct region_lock *lock;

	if (!region)
		return;
	lock = *region_lock_slot(region);
	if (!lock || lock->depth == 0) {
		dax_warn(dax_region_get_ctx(region),
			 "region %d: unlock without lock\n",
			 dax_region_get_id(region));
		return;
	}
	if (--lock->depth > 0)
		return;
	lock_release(lock->hold);
	lock->hold = NULL;
}

int region_lock_fresh(struct dax_region *region)
{
	bool held = region_lock_held(region);
	int rc = dax_region_lock(region);

	/* Nested: the caller's lock re-read it then; re-read it now. */
	if (rc == 0 && held && !region_is_class_model(region)) {
		rc = reread(region, *region_lock_slot(region));
		if (rc < 0)
			dax_region_unlock(region);
	}
	return rc;
}

int region_lock_sig(struct dax_region *region, struct region_sig *sig)
{
	struct region_lock *lock = *region_lock_slot(region);

	if (!lock || !lock->depth || !lock->known_valid ||
	    lock->known_writes != ctx_writes(dax_region_get_ctx(region)))
		return -ESTALE;
	*sig = lock->known;
	return 0;
}

void region_lock_predict(struct dax_region *region,
			 const struct region_sig *sig)
{
	struct region_lock *lock = *region_lock_slot(region);

	if (!lock || !lock->depth)
		return;
	lock->known = *sig;
	lock->known_writes = ctx_writes(dax_region_get_ctx(region));
	lock->known_valid = true;
}

bool region_lock_listed(struct dax_region *region)
{
	struct region_lock *lock = *region_lock_slot(region);

	return lock && lock->depth && lock->listed;
}

int lock_other_region(struct dax_region *region)
{
	int id = dax_region_get_id(region);
	bool host;
	int rc;

	if (region_lock_held(region) || may_wait_for(id, getpid(), &host))
		return dax_region_lock(region);
	rc = dax_region_lock_timeout(region, 0);
	if (rc == -EWOULDBLOCK)
		rc = order_refused(dax_region_get_ctx(region), id, host,
				   "locked", "this call may only try it");
	return rc;
}

/* The readers' descriptor of @region's lock file, opened once; -errno. */
static int reader_fd(struct dax_region *region, struct region_lock *lock,
		     pid_t pid)
{
	char name[sizeof(DAX_LOCK_DIR "/region.lock") + 12];
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	struct stat st;
	int rootfd, fd, rc, flags;

	if (lock->reader.pid == pid)
		return lock->reader.fd >= 0 ? lock->reader.fd
					    : lock->reader.err;
	/* Inherited from the parent: its open file is not ours to flock. */
	if (lock->reader.pid != 0 && lock->reader.fd >= 0)
		close(lock->reader.fd);
	rootfd = ctx_root_fd(ctx);
	if (rootfd < 0)
		return rootfd;
	snprintf(name, sizeof(name), DAX_LOCK_DIR "/region%d.lock",
		 dax_region_get_id(region));
	/*
	 * Read-only is enough for flock(2). Made if missing, as a change
	 * would, on the running system only: a read never writes into a
	 * test tree, where no change runs beside it before it has made the
	 * file anyway.
	 */
	flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
	if (ctx_is_live(ctx))
		flags |= O_CREAT;
	fd = openat(rootfd, name, flags, 0600);
	if (fd < 0 && errno == ENOENT && ctx_is_live(ctx) &&
	    make_dir(ctx, rootfd, "run") == 0 &&
	    make_dir(ctx, rootfd, DAX_LOCK_DIR) == 0)
		fd = openat(rootfd, name, flags, 0600);
	rc = fd < 0 ? -errno : 0;
	if (rc == 0 && fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
	}
	lock->reader.pid = pid;
	lock->reader.fd = rc < 0 ? -1 : fd;
	lock->reader.err = rc;
	if (rc < 0) {
		/* An ordinary user: the mappings are 0400 to it anyway. */
		dax_dbg(ctx, "/%s: %s: mappings are read without the lock\n",
			name, strerror(-rc));
		return rc;
	}
	lock->reader.dev = st.st_dev;
	lock->reader.ino = st.st_ino;
	return fd;
}

int region_read_lock(struct dax_region *region, int *held)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	struct region_lock **slot = region_lock_slot(region), *lock = *slot;
	int id = dax_region_get_id(region), fd, rc, timeout;
	pid_t pid = self_pid();
	struct lock_hold *h;
	bool own = false, host, wait;

	*held = -1;
	if (lock && lock->depth > 0)
		return 0; /* this context holds it exclusively */
	/* No shrink in class-model or static regions, nothing to guard. */
	if (region_is_class_model(region) || !dax_region_is_dynamic(region))
		return 0;
	if (!lock) {
		lock = calloc(1, sizeof(*lock));
		if (!lock)
			return -ENOMEM;
		*slot = lock;
	}
	fd = reader_fd(region, lock, pid);
	if (fd < 0)
		return 0; /* cannot be opened: read unguarded (libdax.h) */
	pthread_mutex_lock(&table_mutex);
	for (h = table; h && !own; h = h->next)
		own = h->pid == pid &&
		      pthread_equal(h->owner, pthread_self()) &&
		      h->dev == lock->reader.dev && h->ino == lock->reader.ino;
	pthread_mutex_unlock(&table_mutex);
	if (own)
		return 0; /* held exclusively through another context */
	/* As lock_other_region(): wait only in lock order. */
	wait = may_wait_for(id, pid, &host);
	timeout = wait ? dax_ctx_get_lock_timeout(ctx) : 0;
	rc = wait_flock(fd, LOCK_SH, timeout);
	if (rc == -EWOULDBLOCK && !wait)
		rc = order_refused(ctx, id, host, "being changed",
				   "its mappings may not be waited for");
	if (rc < 0) {
		if (rc != -EWOULDBLOCK && rc != -ETIMEDOUT && rc != -EINTR &&
		    rc != -EDEADLK)
			dax_err(ctx, "region %d: flock: %s\n", id,
				strerror(-rc));
		return rc;
	}
	reading++;
	*held = fd;
	return 0;
}

void region_read_unlock(int held)
{
	if (held < 0)
		return;
	reading--;
	flock(held, LOCK_UN);
}
