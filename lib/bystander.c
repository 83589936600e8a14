// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bystanders: the unbound devices with a size that a driver_attach() (what
 * a write to "new_id" runs) may bind besides the device it was written for,
 * noted before and restored after.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "private.h"

/* Unbound devices with a size, on the whole bus, except @self. */
int bystanders_list(struct dax_ctx *ctx, const char *self, struct bystander **v,
		    size_t *n)
{
	struct bystander *out = NULL, *nv;
	size_t cnt = 0;
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;

	*v = NULL;
	*n = 0;
	fd = sysfs_open_dir(ctx, DAX_BUS_DIR, O_RDONLY);
	if (fd < 0)
		return fd;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -ENOMEM;
	}
	while ((errno = 0, de = readdir(dir))) {
		uint64_t size;
		char *target;
		int r, id, dfd, lrc;

		/* A parsed "daxR.N" (two ints) always fits the name. */
		if (dax_parse_devname(de->d_name, &r, &id) < 0 ||
		    strlen(de->d_name) >= sizeof(out->name) ||
		    strcmp(de->d_name, self) == 0)
			continue;
		dfd = openat(dirfd(dir), de->d_name,
			     O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		lrc = sysfs_readlink(dfd, "driver", &target);
		if (lrc == 0)
			free(target);
		if (lrc == -ENOENT &&
		    sysfs_read_u64(ctx, dfd, DAX_BUS_DIR, "size", &size) == 0 &&
		    size > 0) {
			nv = reallocarray(out, cnt + 1, sizeof(*nv));
			if (!nv) {
				close(dfd);
				rc = -ENOMEM;
				break;
			}
			out = nv;
			memcpy(out[cnt].name, de->d_name,
			       strlen(de->d_name) + 1);
			out[cnt].region = r;
			cnt++;
		}
		close(dfd);
	}
	closedir(dir);
	if (rc < 0) {
		free(out);
		return rc;
	}
	*v = out;
	*n = cnt;
	return 0;
}

/* The driver bound to bus device @name now, or NULL. */
static char *bus_driver(struct dax_ctx *ctx, const char *name)
{
	char *path, *target = NULL, *drv = NULL;
	int fd;

	if (asprintf(&path, DAX_BUS_DIR "/%s", name) < 0)
		return NULL;
	fd = sysfs_open_dir(ctx, path, O_PATH);
	free(path);
	if (fd < 0)
		return NULL;
	if (sysfs_readlink(fd, "driver", &target) == 0)
		drv = strdup(dax_path_basename(target));
	free(target);
	close(fd);
	return drv;
}

/* Undo what a new_id did to devices other than ours. */
void bystanders_restore(struct dax_ctx *ctx, const char *drv,
			const struct bystander *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *now = bus_driver(ctx, v[i].name);

		if (!now)
			continue;
		if (strcmp(now, "device_dax") == 0 &&
		    kdriver_write(ctx, now, "unbind", v[i].name) == 0) {
			dax_warn(ctx,
				 "%s: bound to %s by new_id; unbound "
				 "again\n",
				 v[i].name, now);
		} else {
			dax_err(ctx,
				"%s: bound to %s by a new_id for another "
				"device; disable it if that is not wanted\n",
				v[i].name, now);
		}
		free(now);
	}
	(void)drv;
}

/* 6.3+ matches drivers to regions by type, besides the id lists. */
bool typed_drivers(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return true;
	return major > 6 || (major == 6 && minor >= 3);
}
