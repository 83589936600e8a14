// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory blocks of a device bound to kmem. The blocks are computed from the
 * device's ranges (block index = physical address / block size) and looked
 * up one by one, instead of scanning every memoryN of a NUMA node.
 *
 * A device has at most one memory object. It goes gone (counts 0, the
 * calls -ENODEV) when its device does, or when a refresh finds the device
 * no longer bound to kmem, and is revived by dax_dev_get_memory().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "private.h"

struct dax_memory {
	struct dax_dev *dev;
	uint64_t block_size;
	unsigned int nblocks, nonline;
	int movable; /* the value of dax_memory_is_movable() */
	bool gone;
};

void memory_free(struct dax_memory *mem)
{
	free(mem);
}

void memory_set_gone(struct dax_memory *mem)
{
	mem->gone = true;
}

bool memory_is_gone(const struct dax_memory *mem)
{
	return mem->gone;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Add the blocks that lie wholly inside [start, end]. kmem trims each
 * range to block boundaries before hot-adding it, so a block the range
 * covers only partly was never added for this device: if it exists, it
 * holds someone else's memory (boot RAM, a neighbour) and is not ours.
 */
static int add_range(uint64_t **v, size_t *n, size_t *cap, uint64_t start,
		     uint64_t end, uint64_t bs)
{
	uint64_t first = start / bs + (start % bs != 0);
	uint64_t last_excl =
		end == UINT64_MAX ? UINT64_MAX / bs : (end + 1) / bs;
	uint64_t b;

	/* Bounds the work a corrupt range can cause (2 PiB of 128 MiB). */
	if (last_excl > first && last_excl - first > (1u << 24))
		return -E2BIG;
	for (b = first; b < last_excl; b++) {
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 16;
			uint64_t *nv = reallocarray(*v, ncap, sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			*v = nv;
			*cap = ncap;
		}
		(*v)[(*n)++] = b;
	}
	return 0;
}

/* The device's block indices, sorted and unique. */
static int collect_blocks(struct dax_memory *mem, uint64_t **out, size_t *nout)
{
	struct dax_dev *dev = mem->dev;
	struct dax_mapping *m;
	uint64_t *v = NULL, size, start;
	size_t n = 0, cap = 0, i, j;
	bool any = false;
	int rc = 0;

	dax_mapping_foreach (dev, m) {
		any = true;
		rc = add_range(&v, &n, &cap, dax_mapping_get_start(m),
			       dax_mapping_get_end(m), mem->block_size);
		if (rc < 0)
			break;
	}
	if (rc == 0 && errno)
		rc = -errno;
	/* Kernels before 5.10 have no mappingK/: one range from resource. */
	if (rc == 0 && !any && dax_dev_get_size(dev, &size) == 0 && size &&
	    dax_dev_get_resource(dev, &start) == 0)
		rc = add_range(&v, &n, &cap, start, start + size - 1,
			       mem->block_size);
	if (rc < 0) {
		if (rc == -E2BIG)
			dax_err(dax_dev_get_ctx(dev),
				"%s: ranges span too many memory blocks\n",
				dax_dev_get_devname(dev));
		free(v);
		return rc;
	}
	if (n > 1) {
		qsort(v, n, sizeof(*v), cmp_u64);
		for (i = 1, j = 1; i < n; i++)
			if (v[i] != v[j - 1])
				v[j++] = v[i];
		n = j;
	}
	*out = v;
	*nout = n;
	return 0;
}

/* Read the blocks' state into @mem. */
static int load(struct dax_memory *mem)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(mem->dev);
	unsigned int nblocks = 0, nonline = 0, nmovable = 0;
	bool offline = false;
	int zones_err = 0, fd, rc;
	uint64_t *blocks;
	size_t n, i;

	rc = ctx_block_size(ctx, &mem->block_size);
	if (rc < 0)
		return rc;
	rc = collect_blocks(mem, &blocks, &n);
	if (rc < 0)
		return rc;
	fd = sysfs_open_dir(ctx, DAX_MEMORY_DIR, O_PATH);
	if (fd < 0) {
		free(blocks);
		return fd;
	}
	for (i = 0; i < n; i++) {
		/* "memory" + up to 20 digits of a u64 + "/valid_zones" */
		char name[sizeof("memory/valid_zones") + 20];
		char *state = NULL, *zones = NULL;

		snprintf(name, sizeof(name), "memory%llu/state",
			 (unsigned long long)blocks[i]);
		rc = sysfs_read_str(ctx, fd, DAX_MEMORY_DIR, name, &state);
		if (rc == -ENOENT) {
			/* Not hot-added (a range too small after trimming). */
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		nblocks++;
		if (strcmp(state, "online") != 0) {
			/* offline, going-offline */
			offline = true;
			free(state);
			continue;
		}
		free(state);
		nonline++;
		/* For an online block the first zone listed is its zone. */
		snprintf(name, sizeof(name), "memory%llu/valid_zones",
			 (unsigned long long)blocks[i]);
		rc = sysfs_read_str(ctx, fd, DAX_MEMORY_DIR, name, &zones);
		if (rc == -ENOMEM)
			break;
		if (rc < 0) {
			zones_err = rc;
			rc = 0;
			continue;
		}
		if (strncmp(zones, "Movable", 7) == 0 &&
		    (zones[7] == '\0' || zones[7] == ' '))
			nmovable++;
		free(zones);
	}
	close(fd);
	free(blocks);
	if (rc < 0)
		return rc;

	mem->nblocks = nblocks;
	mem->nonline = nonline;
	if (offline)
		mem->movable = -EAGAIN;
	else if (nblocks == 0)
		mem->movable = -ENOENT;
	else if (zones_err < 0)
		mem->movable = zones_err;
	else
		mem->movable = nmovable == nblocks;
	return 0;
}

DAX_EXPORT int dax_memory_refresh(struct dax_memory *mem)
{
	return mem->gone ? -ENODEV : load(mem);
}

DAX_EXPORT struct dax_memory *dax_dev_get_memory(struct dax_dev *dev)
{
	struct dax_memory **slot = dev_memory_slot(dev);
	struct dax_memory *mem = *slot;
	int rc;

	if (!dax_dev_is_system_ram(dev)) {
		errno = ENODEV;
		return NULL;
	}
	if (mem && !mem->gone) {
		errno = 0;
		return mem;
	}
	if (!mem) {
		mem = calloc(1, sizeof(*mem));
		if (!mem) {
			errno = ENOMEM;
			return NULL;
		}
		mem->dev = dev;
		mem->gone = true;
		*slot = mem;
	}
	/* A new object, or the device's old one revived: live once read. */
	rc = load(mem);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	mem->gone = false;
	errno = 0;
	return mem;
}

DAX_EXPORT struct dax_dev *dax_memory_get_dev(const struct dax_memory *mem)
{
	return mem->dev;
}

DAX_EXPORT uint64_t dax_memory_get_block_size(const struct dax_memory *mem)
{
	return mem->gone ? 0 : mem->block_size;
}

DAX_EXPORT unsigned int dax_memory_get_num_blocks(const struct dax_memory *mem)
{
	return mem->gone ? 0 : mem->nblocks;
}

DAX_EXPORT unsigned int dax_memory_get_num_online(const struct dax_memory *mem)
{
	return mem->gone ? 0 : mem->nonline;
}

DAX_EXPORT int dax_memory_is_movable(const struct dax_memory *mem)
{
	return mem->gone ? -ENODEV : mem->movable;
}

/* ------------------------------------------------------------- changes */

static const char *const policy_names[] = {
	[DAX_ONLINE_NONE] = "offline",
	[DAX_ONLINE_MOVABLE] = "online_movable",
	[DAX_ONLINE_KERNEL] = "online_kernel",
	[DAX_ONLINE_AUTO] = "online",
};

DAX_EXPORT int dax_ctx_get_auto_online(struct dax_ctx *ctx)
{
	char *s = NULL;
	size_t i;
	int rc;

	if (!ctx)
		return -EINVAL;
	rc = sysfs_read_str(ctx, SYSFS_AT_DIR, DAX_MEMORY_DIR,
			    "auto_online_blocks", &s);
	if (rc < 0)
		return rc;
	rc = -EINVAL;
	for (i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++)
		if (strcmp(s, policy_names[i]) == 0)
			rc = (int)i;
	if (rc < 0)
		dax_err(ctx, "%s/auto_online_blocks: unknown policy \"%s\"\n",
			DAX_MEMORY_DIR, s);
	free(s);
	return rc;
}

DAX_EXPORT int dax_auto_online_differs(int policy, enum dax_online how)
{
	/* "online" leaves the zone to the kernel: a kernel zone, as asked. */
	return !(policy == DAX_ONLINE_NONE || policy == (int)how ||
		 (policy == DAX_ONLINE_AUTO && how == DAX_ONLINE_KERNEL));
}

const char *memory_policy_name(enum dax_online policy)
{
	if ((unsigned int)policy >=
	    sizeof(policy_names) / sizeof(policy_names[0]))
		return "?";
	return policy_names[policy];
}

int memory_set_auto_online(struct dax_ctx *ctx, enum dax_online policy)
{
	if ((unsigned int)policy >=
	    sizeof(policy_names) / sizeof(policy_names[0]))
		return -EINVAL;
	return sysfs_write(ctx, SYSFS_AT_DIR, DAX_MEMORY_DIR,
			   "auto_online_blocks", policy_names[policy]);
}

unsigned int memory_whole_blocks(const struct dax_range *v, size_t n,
				 uint64_t bs)
{
	unsigned int count = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t first = v[i].start / bs + (v[i].start % bs != 0);
		uint64_t last_excl = (v[i].end + 1) / bs;

		if (last_excl > first)
			count += (unsigned int)(last_excl - first);
	}
	return count;
}

/* A block's state: 0 absent, 'o' offline, 'M' online movable, 'K' online
 * in another zone, or -errno. */
static int block_state(struct dax_ctx *ctx, int fd, uint64_t idx)
{
	char name[sizeof("memory/valid_zones") + 20];
	char *s = NULL;
	int rc;

	snprintf(name, sizeof(name), "memory%llu/state",
		 (unsigned long long)idx);
	rc = sysfs_read_str(ctx, fd, DAX_MEMORY_DIR, name, &s);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	rc = strcmp(s, "online") == 0 ? 'K' : 'o';
	free(s);
	if (rc == 'o')
		return rc;
	snprintf(name, sizeof(name), "memory%llu/valid_zones",
		 (unsigned long long)idx);
	rc = sysfs_read_str(ctx, fd, DAX_MEMORY_DIR, name, &s);
	if (rc < 0)
		return rc;
	rc = strncmp(s, "Movable", 7) == 0 && (s[7] == '\0' || s[7] == ' ')
		     ? 'M'
		     : 'K';
	free(s);
	return rc;
}

static int block_write(struct dax_ctx *ctx, int fd, uint64_t idx,
		       const char *value)
{
	char name[sizeof("memory/state") + 20];

	snprintf(name, sizeof(name), "memory%llu/state",
		 (unsigned long long)idx);
	return sysfs_write(ctx, fd, DAX_MEMORY_DIR, name, value);
}

/* A block this call changed, and the state to put back. */
struct undo {
	uint64_t idx;
	int state; /* as block_state() */
};

static void undo_blocks(struct dax_ctx *ctx, int fd, const char *devname,
			const struct undo *u, size_t n)
{
	size_t i;

	for (i = n; i-- > 0;) {
		const char *v = u[i].state == 'M'   ? "online_movable"
				: u[i].state == 'K' ? "online_kernel"
						    : "offline";
		int rc = block_write(ctx, fd, u[i].idx, v);

		if (rc < 0)
			dax_err(ctx,
				"%s: memory%llu: could not put back to %s: "
				"%s\n",
				devname, (unsigned long long)u[i].idx, v,
				strerror(-rc));
	}
}

/*
 * Bring every block of @mem that is not in @want's state there: 'M' or
 * 'K' online, 'o' offline. All or nothing. Return the number changed.
 */
static int change_blocks(struct dax_memory *mem, int want)
{
	struct dax_ctx *ctx = dax_dev_get_ctx(mem->dev);
	const char *devname = dax_dev_get_devname(mem->dev);
	const char *value = want == 'M'	  ? "online_movable"
			    : want == 'K' ? "online_kernel"
					  : "offline";
	struct undo *u = NULL;
	uint64_t *blocks = NULL;
	size_t n = 0, nu = 0, i;
	int fd, rc, st;

	rc = ctx_block_size(ctx, &mem->block_size);
	if (rc == 0)
		rc = collect_blocks(mem, &blocks, &n);
	if (rc < 0)
		return rc;
	u = calloc(n ? n : 1, sizeof(*u));
	fd = sysfs_open_dir(ctx, DAX_MEMORY_DIR, O_PATH);
	if (!u || fd < 0) {
		rc = !u ? -ENOMEM : fd;
		goto out;
	}
	for (i = 0; i < n; i++) {
		st = block_state(ctx, fd, blocks[i]);
		if (st < 0) {
			rc = st;
			break;
		}
		/* Absent blocks, and those already where asked (online in
		 * any zone when onlining). */
		if (st == 0 || (want == 'o' && st == 'o') ||
		    (want != 'o' && st != 'o'))
			continue;
		rc = block_write(ctx, fd, blocks[i], value);
		if (rc < 0) {
			int now = block_state(ctx, fd, blocks[i]);

			/* Someone else made the same change: fine. */
			if (now == want) {
				rc = 0;
				continue;
			}
			if (now > 0 && now != 'o' && want != 'o')
				rc = -EBUSY; /* raced online, wrong zone */
			dax_err(ctx, "%s: memory%llu: %s failed: %s\n", devname,
				(unsigned long long)blocks[i], value,
				strerror(-rc));
			break;
		}
		u[nu].idx = blocks[i];
		u[nu++].state = st;
	}
	if (rc < 0)
		undo_blocks(ctx, fd, devname, u, nu);
out:
	if (fd >= 0)
		close(fd);
	free(u);
	free(blocks);
	st = dax_memory_refresh(mem);
	if (rc == 0 && st < 0)
		rc = st;
	return rc < 0 ? rc : (int)nu;
}

int memory_change(struct dax_memory *mem, enum dax_online how)
{
	if (how == DAX_ONLINE_NONE)
		return change_blocks(mem, 'o');
	if (how != DAX_ONLINE_MOVABLE && how != DAX_ONLINE_KERNEL)
		return -EINVAL;
	return change_blocks(mem, how == DAX_ONLINE_MOVABLE ? 'M' : 'K');
}

/*
 * The exported calls: lock the region (which re-reads it), and check that
 * @mem still describes a device bound to kmem: kmem may have been unbound
 * since the caller looked, and the re-read then dropped @mem (so it is
 * compared, never used, until it is known to be current).
 */
static int change_locked(struct dax_memory *mem, enum dax_online how)
{
	struct dax_dev *dev = mem->dev, *now;
	struct dax_region *region = dax_dev_get_region(dev);
	struct dax_ctx *ctx = dax_dev_get_ctx(dev);
	int id = dax_dev_get_id(dev), rc;
	char name[32];

	snprintf(name, sizeof(name), "%s", dax_dev_get_devname(dev));
	rc = region_lock_fresh(region);
	if (rc < 0)
		return rc;
	now = region_find_dev(region, id);
	if (mem->gone || !now || now != dev || *dev_memory_slot(now) != mem ||
	    dax_dev_get_driver(now) != DAX_DRIVER_KMEM) {
		dax_err(ctx, "%s: no longer in system-ram mode\n", name);
		rc = -ENODEV;
	} else {
		rc = memory_change(mem, how);
	}
	dax_region_unlock(region);
	return rc;
}

DAX_EXPORT int dax_memory_online(struct dax_memory *mem, enum dax_online how)
{
	if (!mem || (how != DAX_ONLINE_MOVABLE && how != DAX_ONLINE_KERNEL))
		return -EINVAL;
	if (mem->gone)
		return -ENODEV;
	return change_locked(mem, how);
}

DAX_EXPORT int dax_memory_offline(struct dax_memory *mem)
{
	if (!mem)
		return -EINVAL;
	if (mem->gone)
		return -ENODEV;
	return change_locked(mem, DAX_ONLINE_NONE);
}

int memory_kdev_online(struct kdev *kd, unsigned int *online)
{
	struct dax_range *v = NULL;
	uint64_t *blocks = NULL, bs;
	size_t n = 0, nb = 0, cap = 0, i;
	int rc, fd = -1, st;

	*online = 0;
	rc = ctx_block_size(kd->ctx, &bs);
	if (rc == 0)
		rc = kdev_ranges(kd, &v, &n);
	for (i = 0; rc == 0 && i < n; i++)
		rc = add_range(&blocks, &nb, &cap, v[i].start, v[i].end, bs);
	if (rc == 0) {
		fd = sysfs_open_dir(kd->ctx, DAX_MEMORY_DIR, O_PATH);
		if (fd < 0)
			rc = fd;
	}
	for (i = 0; rc == 0 && i < nb; i++) {
		st = block_state(kd->ctx, fd, blocks[i]);
		if (st < 0)
			rc = st;
		else if (st == 'M' || st == 'K')
			(*online)++;
	}
	if (fd >= 0)
		close(fd);
	free(blocks);
	free(v);
	return rc;
}
