// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The region lock: flock(2) on <root>/run/libdax/region<ID>.lock, so that
 * libdax users in different processes never interleave their sequences of
 * writes to one region. Recursive within a region object (one context).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

#define LOCK_DIR "run/libdax"

struct region_lock {
	int fd; /* -1 while not held */
	unsigned int depth;
};

void region_lock_free(struct region_lock *lock)
{
	if (!lock)
		return;
	if (lock->fd >= 0)
		close(lock->fd);
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

static int open_lock_file(struct dax_region *region)
{
	struct dax_ctx *ctx = dax_region_get_ctx(region);
	char name[sizeof(LOCK_DIR "/region.lock") + 12];
	int rootfd = ctx_root_fd(ctx);
	int fd, rc;

	if (rootfd < 0)
		return rootfd;
	snprintf(name, sizeof(name), LOCK_DIR "/region%d.lock",
		 dax_region_get_id(region));
	/* 0600: whoever may open it may also hold it and stall everyone. */
	fd = openat(rootfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		    0600);
	if (fd < 0 && errno == ENOENT) {
		/* The first lock since boot: make the directory. */
		rc = make_dir(ctx, rootfd, "run");
		if (rc == 0)
			rc = make_dir(ctx, rootfd, LOCK_DIR);
		if (rc < 0) {
			dax_err(ctx, "%s/" LOCK_DIR ": %s\n",
				dax_ctx_get_sysfs_root(ctx), strerror(-rc));
			return rc;
		}
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

DAX_EXPORT int dax_region_lock(struct dax_region *region)
{
	struct region_lock **slot, *lock;
	int fd, rc;

	if (!region)
		return -EINVAL;
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
		lock->fd = -1;
		*slot = lock;
	}
	fd = open_lock_file(region);
	if (fd < 0)
		return fd;
	/* Wait for the holder; a signal does not end the wait. */
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		rc = -errno;
		dax_err(dax_region_get_ctx(region),
			"region%d.lock: flock: %s\n", dax_region_get_id(region),
			strerror(-rc));
		close(fd);
		return rc;
	}
	lock->fd = fd;
	lock->depth = 1;
	return 0;
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
	/* Closing the only descriptor of the open file releases the flock. */
	close(lock->fd);
	lock->fd = -1;
}
