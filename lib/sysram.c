// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * System-RAM: a device handed to kmem and its memory onlined, and back to
 * device_dax. Both ways are transactions: each step has its undo, run in
 * reverse when a later step fails, so a device is never left unbound,
 * half online, or with its memory leaked by an unbind of kmem.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "private.h"

/* /proc/self/ns/pid's inode in the initial namespace (PROC_PID_INIT_INO). */
#define INIT_PID_NS_INO 0xEFFFFFFCU

/*
 * Is @name in @dfd (a /proc fd or map_files link, followed) the
 * character device @rdev? Cached attributes only: a file on a stuck
 * NFS or FUSE mount must not hang the check (its type and device number
 * do not change anyway).
 */
static bool is_dev(int dfd, const char *name, dev_t rdev)
{
	struct statx stx;

	return statx(dfd, name, AT_STATX_DONT_SYNC, STATX_TYPE, &stx) == 0 &&
	       (stx.stx_mask & STATX_TYPE) && S_ISCHR(stx.stx_mode) &&
	       makedev(stx.stx_rdev_major, stx.stx_rdev_minor) == rdev;
}

/*
 * Has /proc/@pid mapped the device? A mapping outlives the fd that made
 * it. Each file mapping's map_files link is followed to compare device
 * numbers (whatever node it was made through; one stat per file, not per
 * mapping); where map_files cannot be read, the maps path is compared.
 */
static bool pid_maps(int procfd, const char *pid, dev_t rdev,
		     const char *devpath)
{
	char path[NAME_MAX + sizeof("/map_files")], line[512], dev[32],
		range[40], last[32] = "";
	unsigned long long ino, last_ino = 0;
	bool found = false;
	int mfd = -1, fd, n, c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/map_files", pid);
	if (rdev)
		mfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/maps", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f && fd >= 0)
		close(fd);
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		else /* a longer path: its start is enough */
			while ((c = getc(f)) != EOF && c != '\n')
				;
		/* start-end perms offset dev inode [path] */
		n = 0;
		if (sscanf(line, "%39s %*s %*s %31s %llu %n", range, dev, &ino,
			   &n) < 3 ||
		    n == 0)
			continue;
		if (strcmp(line + n, devpath) == 0) {
			found = true;
		} else if (mfd >= 0 && ino &&
			   (ino != last_ino || strcmp(dev, last) != 0)) {
			found = is_dev(mfd, range, rdev);
			last_ino = ino;
			snprintf(last, sizeof(last), "%s", dev);
		}
	}
	if (f)
		fclose(f);
	if (mfd >= 0)
		close(mfd);
	return found;
}

/*
 * Does /proc/@pid hold the device open (an fd on a character device
 * @rdev, whatever the node's path) or mapped (pid_maps())?
 */
static bool pid_uses(int procfd, const char *pid, dev_t rdev,
		     const char *devpath)
{
	char path[NAME_MAX + sizeof("/fd")], link[256];
	struct dirent *e;
	bool found = false;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d && fd >= 0)
		close(fd);
	while (d && !found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		/* Follows the fd's magic link: a node made elsewhere counts. */
		if (rdev) {
			found = is_dev(dirfd(d), e->d_name, rdev);
		} else {
			ssize_t n = readlinkat(dirfd(d), e->d_name, link,
					       sizeof(link) - 1);

			if (n > 0) {
				link[n] = '\0';
				found = strcmp(link, devpath) == 0;
			}
		}
	}
	if (d)
		closedir(d);
	return found || pid_maps(procfd, pid, rdev, devpath);
}

/*
 * The first process (other than us) that has the device open or mapped:
 * its pid, 0 when none, or -errno. Processes we may not look at are
 * skipped: only root changes modes, and root sees them all.
 */
static int dev_user(struct kdev *kd)
{
	char devpath[64], self[16];
	int rootfd = ctx_root_fd(kd->ctx), procfd, pid = 0;
	unsigned int major, minor;
	struct dirent *e;
	dev_t rdev = 0;
	DIR *d;

	if (rootfd < 0)
		return rootfd;
	if (sysfs_read_devnum(kd->ctx, kd->fd, kd->path, "dev", &major,
			      &minor) == 0)
		rdev = makedev(major, minor);
	procfd = openat(rootfd, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return errno == ENOENT ? 0 : -errno;
	d = fdopendir(procfd);
	if (!d) {
		close(procfd);
		return -errno;
	}
	snprintf(devpath, sizeof(devpath), "/dev/%s", kd->name);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	while (!pid && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    strcmp(e->d_name, self) == 0)
			continue;
		if (pid_uses(dirfd(d), e->d_name, rdev, devpath))
			pid = atoi(e->d_name);
	}
	closedir(d);
	return pid;
}

/*
 * Can /proc show every process? Not from a child PID namespace (a
 * container): a process outside it may hold the device unseen. A test
 * tree's proc is taken as it is.
 */
static bool sees_all_processes(struct dax_ctx *ctx)
{
	struct stat st;

	if (!ctx_is_live(ctx))
		return true;
	/* No /proc/self/ns/pid: a kernel without PID namespaces. */
	return stat("/proc/self/ns/pid", &st) < 0 ||
	       st.st_ino == INIT_PID_NS_INO;
}

/* What a kmem bind needs that the kernel would refuse late, or not at all. */
static int check_sysram(struct kdev *kd, bool devdax, unsigned int flags)
{
	struct dax_range *v = NULL;
	uint64_t bs;
	size_t n;
	int rc, node, pid;

	rc = sysfs_read_int(kd->ctx, kd->fd, kd->path, "target_node", true,
			    &node);
	if (rc == 0 && node < 0) {
		dax_err(kd->ctx,
			"%s: has no target node (target_node %d): the "
			"firmware gave this memory no NUMA node, and kmem "
			"refuses it\n",
			kd->name, node);
		return -EINVAL;
	}
	if (rc < 0)
		return rc;
	rc = ctx_block_size(kd->ctx, &bs);
	if (rc == -ENOENT)
		dax_err(kd->ctx,
			"%s: no memory hotplug here (%s/block_size_bytes is "
			"missing)\n",
			kd->name, DAX_MEMORY_DIR);
	if (rc == 0)
		rc = kdev_ranges(kd, &v, &n);
	if (rc < 0)
		return rc;
	if (memory_whole_blocks(v, n, bs) == 0) {
		dax_err(kd->ctx,
			"%s: its ranges hold no whole memory block (%llu MiB, "
			"aligned): kmem would have nothing to hot-plug\n",
			kd->name, (unsigned long long)(bs / DAX_MiB));
		rc = -EINVAL;
	}
	free(v);
	if (rc < 0 || !devdax)
		return rc;
	pid = dev_user(kd);
	if (pid > 0) {
		dax_err(kd->ctx,
			"%s: in use: process %d has /dev/%s open or mapped\n",
			kd->name, pid, kd->name);
		return -EBUSY;
	}
	if (pid == 0 && !sees_all_processes(kd->ctx)) {
		if (!(flags & DAX_MODE_UNSEEN_USERS)) {
			dax_err(kd->ctx,
				"%s: cannot tell whether a process outside "
				"this PID namespace has /dev/%s open or "
				"mapped: use --force if none has\n",
				kd->name, kd->name);
			return -EBUSY;
		}
		dax_warn(kd->ctx,
			 "%s: processes outside this PID namespace were not "
			 "checked\n",
			 kd->name);
	}
	return pid;
}

/*
 * Would the kernel online hot-added memory itself, other than @how asks?
 * "online" (the kernel picks the zone, normally a kernel zone) is taken
 * for DAX_ONLINE_KERNEL and checked after.
 */
static int check_policy(struct kdev *kd, enum dax_online how,
			unsigned int flags, int *policy)
{
	*policy = dax_ctx_get_auto_online(kd->ctx);
	if (*policy < 0)
		return *policy;
	if (!dax_auto_online_differs(*policy, how))
		return 0; /* no hold needed */
	if (flags & DAX_MODE_HOLD_POLICY)
		return 1;
	dax_err(kd->ctx,
		"%s: error: kernel policy will auto-online memory, aborting "
		"(auto_online_blocks=%s, asked: %s)\n",
		kd->name, memory_policy_name(*policy),
		how == DAX_ONLINE_NONE ? "stay offline"
				       : memory_policy_name(how));
	return -EBUSY;
}

/*
 * Before loading kmem: on 6.3+ its init binds every unbound device with a
 * size of a kmem-typed region (sysfs does not tell those regions apart, so
 * every unbound device with a size counts), besides @kd.
 */
static int check_kmem_load(struct kdev *kd, unsigned int flags,
			   struct bystander **v, size_t *n)
{
	size_t i;
	int rc;

	*v = NULL;
	*n = 0;
	if (!region_typed(kd->region))
		return 0;
	rc = bystanders_list(kd->ctx, kd->name, v, n);
	if (rc < 0 || *n == 0)
		return rc;
	for (i = 0; i < *n; i++) {
		if (flags & DAX_MODE_LOAD_ANYWAY)
			dax_warn(kd->ctx,
				 "%s: unbound with a size: loading kmem may "
				 "hot-plug it as system-ram too\n",
				 (*v)[i].name);
		else
			dax_err(kd->ctx,
				"%s: unbound with a size: loading kmem for %s "
				"would hot-plug it as system-ram too; enable, "
				"shrink or destroy it first, or force\n",
				(*v)[i].name, kd->name);
	}
	if (flags & DAX_MODE_LOAD_ANYWAY)
		return 0;
	free(*v);
	*v = NULL;
	*n = 0;
	return -EBUSY;
}

static bool bound_to(struct kdev *kd, const char *drv)
{
	char *now = NULL;
	bool yes = kdev_driver(kd, &now) == 0 && now && strcmp(now, drv) == 0;

	free(now);
	return yes;
}

/* Load kmem and tell which other devices its init took. */
static int load_kmem(struct kdev *kd, const struct bystander *v, size_t n)
{
	int rc = kmod_load(kd->ctx, "kmem");

	if (rc == 0 && !kdriver_exists(kd->ctx, "kmem")) {
		dax_err(kd->ctx, "loading kmem left no kmem driver\n");
		rc = -ENODEV;
	}
	if (rc == 0)
		bystanders_report(kd->ctx, v, n, "loading kmem");
	return rc;
}

/* Bring the memory online as asked and check the zone that resulted. */
static int online_as(struct dax_dev *dev, enum dax_online how, bool fresh)
{
	struct dax_memory *mem;
	int rc, movable;

	rc = dev_read(dev);
	mem = rc == 0 ? dax_dev_get_memory(dev) : NULL;
	if (!mem)
		return rc < 0 ? rc : -errno;
	rc = dax_memory_refresh(mem);
	if (rc < 0)
		return rc;
	if (how == DAX_ONLINE_NONE) {
		if (fresh && dax_memory_get_num_online(mem)) {
			dax_err(dax_dev_get_ctx(dev),
				"%s: memory came online by itself\n",
				dax_dev_get_devname(dev));
			return -EBUSY;
		}
		return 0;
	}
	rc = memory_change(mem, how);
	if (rc < 0)
		return rc;
	movable = dax_memory_is_movable(mem);
	if (movable < 0 && movable != -ENOENT)
		return movable;
	if ((how == DAX_ONLINE_MOVABLE && movable == 0) ||
	    (how == DAX_ONLINE_KERNEL && movable == 1)) {
		dax_err(dax_dev_get_ctx(dev),
			"%s: memory is online in %s, not %s as asked: "
			"offline it first (daxctl offline-memory %s)\n",
			dax_dev_get_devname(dev),
			movable ? "ZONE_MOVABLE" : "a kernel zone",
			how == DAX_ONLINE_MOVABLE ? "ZONE_MOVABLE"
						  : "a kernel zone",
			dax_dev_get_devname(dev));
		return -EBUSY;
	}
	return 0;
}

/* Undo a fresh system-ram switch: offline, unbind kmem, rebind. */
static void back_from_kmem(struct kdev *kd, struct dax_dev *dev, bool devdax)
{
	struct dax_memory *mem;
	int rc = 0, renamed;

	if (bound_to(kd, "kmem")) {
		(void)!dev_read(dev);
		mem = dax_dev_get_memory(dev);
		if (mem)
			rc = memory_change(mem, DAX_ONLINE_NONE);
		if (rc >= 0)
			rc = unbind_dev(kd);
	}
	if (rc >= 0 && devdax)
		rc = bind_dev(kd, DAX_DRIVER_DEVICE_DAX, false, &renamed);
	if (rc < 0)
		dax_err(kd->ctx, "%s: could not be put back to %s: %s\n",
			kd->name, devdax ? "devdax" : "unbound", strerror(-rc));
}

DAX_EXPORT int dax_dev_to_system_ram(struct dax_dev *dev, enum dax_online how,
				     unsigned int flags)
{
	struct dax_region *region = dev ? dax_dev_get_region(dev) : NULL;
	struct kdev kd = {.fd = -1};
	struct bystander *by = NULL;
	struct lock_hold *host = NULL;
	bool devdax = false, hold = false, loaded;
	char *drv = NULL;
	int rc, policy = DAX_ONLINE_NONE, renamed = -1;
	size_t nby = 0;
	uint64_t size;

	if (how > DAX_ONLINE_KERNEL)
		return -EINVAL;
	rc = change_begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = kdev_driver(&kd, &drv);
	if (rc < 0)
		goto out;
	if (drv && strcmp(drv, "kmem") == 0) {
		rc = online_as(dev, how, false);
		goto out;
	}
	if (drv && strcmp(drv, "device_dax") != 0) {
		dax_err(kd.ctx, "%s: bound to %s\n", kd.name, drv);
		rc = -EBUSY;
		goto out;
	}
	devdax = drv != NULL;
	rc = kdev_read_u64(&kd, "size", &size);
	if (rc == 0 && size == 0) {
		dax_err(kd.ctx, "%s: has no size\n", kd.name);
		rc = -ENXIO;
	}
	if (rc == 0)
		rc = check_sysram(&kd, devdax, flags);
	/*
	 * The policy is host-wide: read, held and written back under the
	 * host lock, until the memory is hot-plugged.
	 */
	if (rc == 0)
		rc = host_lock(kd.ctx, &host);
	if (rc == 0)
		rc = check_policy(&kd, how, flags, &policy);
	if (rc < 0)
		goto out;
	hold = rc == 1;
	loaded = kdriver_exists(kd.ctx, "kmem");
	if (!loaded) {
		rc = check_kmem_load(&kd, flags, &by, &nby);
		if (rc < 0)
			goto out;
	}

	/* The writes. */
	if (devdax) {
		rc = unbind_dev(&kd);
		if (rc < 0)
			goto out;
	}
	if (hold) {
		rc = hold_begin(kd.ctx, policy);
		if (rc < 0)
			goto undo;
		dax_info(kd.ctx,
			 "auto_online_blocks: offline while %s is "
			 "hot-plugged\n",
			 kd.name);
	}
	if (!loaded)
		rc = load_kmem(&kd, by, nby);
	if (rc == 0 && !bound_to(&kd, "kmem"))
		rc = bind_dev(&kd, DAX_DRIVER_KMEM, false, &renamed);
	if (hold)
		(void)!hold_end(kd.ctx, policy);
	lock_release(host);
	host = NULL;
	if (rc == 0)
		rc = online_as(dev, how, true);
	if (rc == 0)
		goto out;
undo:
	back_from_kmem(&kd, dev, devdax);
out:
	if (host)
		lock_release(host);
	free(by);
	free(drv);
	if (dev)
		(void)!dev_read(dev);
	return change_end(region, &kd, rc);
}

DAX_EXPORT int dax_dev_to_devdax(struct dax_dev *dev, unsigned int flags)
{
	struct dax_region *region = dev ? dax_dev_get_region(dev) : NULL;
	struct kdev kd = {.fd = -1};
	struct dax_memory *mem;
	enum dax_online was = DAX_ONLINE_NONE;
	char *drv = NULL;
	int rc, renamed = -1;
	unsigned int online;

	rc = change_begin(&dev, &kd);
	if (rc < 0)
		return rc;
	rc = kdev_driver(&kd, &drv);
	if (rc < 0 || (drv && strcmp(drv, "device_dax") == 0))
		goto out;
	/* Refused before any write, also before kmem lets it go. */
	rc = bind_check_aligned(&kd, flags & DAX_MODE_MISALIGNED);
	if (rc < 0)
		goto out;
	if (!drv) {
		uint64_t size;

		rc = kdev_read_u64(&kd, "size", &size);
		if (rc == 0 && size == 0) {
			dax_err(kd.ctx, "%s: has no size\n", kd.name);
			rc = -ENXIO;
		}
		if (rc == 0)
			rc = bind_dev(&kd, DAX_DRIVER_DEVICE_DAX, false,
				      &renamed);
		goto out;
	}
	if (strcmp(drv, "kmem") != 0) {
		dax_err(kd.ctx, "%s: bound to %s\n", kd.name, drv);
		rc = -EBUSY;
		goto out;
	}
	rc = dev_read(dev);
	mem = rc == 0 ? dax_dev_get_memory(dev) : NULL;
	if (!mem) {
		rc = rc < 0 ? rc : -errno;
		goto out;
	}
	online = dax_memory_get_num_online(mem);
	if (online && !(flags & DAX_MODE_OFFLINE)) {
		dax_err(kd.ctx,
			"%s: %u memory block(s) online: offline them first, "
			"or force\n",
			kd.name, online);
		rc = -EBUSY;
		goto out;
	}
	if (online)
		was = dax_memory_is_movable(mem) == 1 ? DAX_ONLINE_MOVABLE
						      : DAX_ONLINE_KERNEL;
	rc = memory_change(mem, DAX_ONLINE_NONE);
	if (rc < 0) {
		dax_err(kd.ctx, "%s: stays in system-ram, all of it online\n",
			kd.name);
		goto out;
	}
	/* unbind_dev() reads the blocks again, live, right before. */
	rc = unbind_dev(&kd);
	if (rc == 0)
		rc = bind_dev(&kd, DAX_DRIVER_DEVICE_DAX, false, &renamed);
	if (rc < 0) {
		/* Back to system-ram as it was. */
		int r = 0, rn;

		if (!bound_to(&kd, "kmem")) {
			if (bound_to(&kd, "device_dax"))
				r = unbind_dev(&kd);
			if (r == 0)
				r = bind_dev(&kd, DAX_DRIVER_KMEM, false, &rn);
		}
		if (r == 0 && was != DAX_ONLINE_NONE)
			r = online_as(dev, was, false);
		if (r < 0)
			dax_err(kd.ctx,
				"%s: could not be put back to system-ram: "
				"%s\n",
				kd.name, strerror(-r));
	}
out:
	/* Re-created under another name: change_end() marks @dev gone. */
	free(drv);
	if (dev)
		(void)!dev_read(dev);
	return change_end(region, &kd, rc);
}

DAX_EXPORT int dax_dev_get_user(struct dax_dev *dev)
{
	struct kdev kd;
	int rc;

	if (!dev)
		return -EINVAL;
	if (dax_dev_is_gone(dev))
		return -ENODEV;
	rc = kdev_open(&kd, dax_dev_get_region(dev), dax_dev_get_id(dev));
	if (rc < 0)
		return rc;
	rc = dev_user(&kd);
	kdev_close(&kd);
	return rc;
}
