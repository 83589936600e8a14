// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Module loading through libkmod, in this process: no child process, and
 * nothing from the caller's environment (MODPROBE_OPTIONS, KMOD_LOG) or
 * signal state changes what happens. The system's configuration applies
 * as it does for modprobe -b: the blacklist, module options and soft
 * dependencies. An "install" command is never run (it would be a child
 * process running arbitrary code): such a module is refused, which also
 * respects the "install kmem /bin/false" way of disabling a module.
 */
#include <errno.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* libkmod's own messages, as this context's at their priority. */
static void kmod_log(void *data, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	struct dax_ctx *ctx = data;
	char msg[512];

	if (dax_ctx_get_log_priority(ctx) < priority)
		return;
	vsnprintf(msg, sizeof(msg), format, args);
	dax_log(ctx, priority, file, line, fn, "libkmod: %s%s", msg,
		msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

static int refuse_install(struct kmod_module *mod, const char *cmdline,
			  void *data)
{
	struct dax_ctx *ctx = data;

	dax_err(ctx,
		"module %s has an install command in modprobe.d (\"%s\"): "
		"not run by libdax; load it by hand if that is wanted\n",
		kmod_module_get_name(mod), cmdline);
	return -EPERM;
}

static int load(struct dax_ctx *ctx, struct kmod_ctx *k, const char *name)
{
	struct kmod_list *list = NULL, *l;
	int rc;

	rc = kmod_module_new_from_lookup(k, name, &list);
	if (rc < 0 || !list) {
		dax_err(ctx, "module %s: not found for this kernel (%s)%s%s\n",
			name, kmod_get_dirname(k), rc < 0 ? ": " : "",
			rc < 0 ? strerror(-rc) : "");
		return -ENODEV;
	}
	rc = -ENODEV;
	kmod_list_foreach(l, list)
	{
		struct kmod_module *mod = kmod_module_get_module(l);
		const char *path = kmod_module_get_path(mod);

		rc = kmod_module_probe_insert_module(
			mod, KMOD_PROBE_APPLY_BLACKLIST, NULL, refuse_install,
			ctx, NULL);
		if (rc == KMOD_PROBE_APPLY_BLACKLIST) {
			dax_err(ctx,
				"module %s is blacklisted (modprobe.d): "
				"not loaded\n",
				name);
			rc = -EPERM;
		} else if (rc < 0) {
			dax_err(ctx, "loading module %s (%s): %s\n",
				kmod_module_get_name(mod), path ? path : "?",
				strerror(-rc));
		} else if (rc > 0) {
			rc = -EPERM; /* another blacklist verdict */
		}
		kmod_module_unref(mod);
		if (rc == 0)
			break;
	}
	kmod_module_unref_list(list);
	return rc;
}

int kmod_load(struct dax_ctx *ctx, const char *name)
{
	struct kmod_ctx *k;
	int rc;

	/* A test tree is not the running system: load nothing into it. */
	if (!ctx_is_live(ctx)) {
		dax_err(ctx,
			"%s is not loaded (sysfs root %s: not loading "
			"modules)\n",
			name, dax_ctx_get_sysfs_root(ctx));
		return -ENODEV;
	}
	/* Made for this one load: it is rare, and libkmod's ctx is not ours
	 * to share between threads. */
	k = kmod_new(NULL, NULL);
	if (!k) {
		dax_err(ctx, "libkmod: cannot set up to load %s\n", name);
		return -ENOMEM;
	}
	kmod_set_log_fn(k, kmod_log, ctx);
	kmod_set_log_priority(k, dax_ctx_get_log_priority(ctx));
	dax_info(ctx, "loading module %s (libkmod, %s)\n", name,
		 kmod_get_dirname(k));
	rc = load(ctx, k, name);
	kmod_unref(k);
	return rc;
}

int kmod_need_driver(struct kdev *kd, enum dax_driver driver)
{
	const char *drv = dax_driver_name(driver);
	struct bystander *v = NULL;
	size_t n = 0;
	int rc;

	if (!drv)
		return -EINVAL;
	if (kdriver_exists(kd->ctx, drv))
		return 0;
	/* kmem has its own checks before it is loaded (sysram.c). */
	if (driver != DAX_DRIVER_DEVICE_DAX || !ctx_is_live(kd->ctx)) {
		dax_err(kd->ctx, "%s: driver %s is not loaded\n", kd->name,
			drv);
		return -ENODEV;
	}
	/*
	 * Its init binds unbound devices with a size (6.1: all of them; 6.3+:
	 * those of regions not typed for kmem): they are unbound again.
	 */
	rc = bystanders_list(kd->ctx, kd->name, &v, &n);
	if (rc == 0)
		rc = kmod_load(kd->ctx, drv);
	if (rc == 0 && !kdriver_exists(kd->ctx, drv)) {
		dax_err(kd->ctx, "%s: loading %s left no %s driver\n", kd->name,
			drv, drv);
		rc = -ENODEV;
	}
	if (rc == 0)
		bystanders_restore(kd->ctx, drv, v, n);
	free(v);
	return rc;
}
