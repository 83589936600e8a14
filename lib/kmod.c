// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Module loading through libkmod, opened on demand. libkmod links
 * libcrypto, liblzma and libzstd: mapping and relocating them costs more
 * than a whole "daxctl list" under emulation, and only a switch to
 * system-ram with kmem missing ever needs them. The prototypes come from
 * <libkmod.h>, so the calls are type-checked like direct ones.
 */
#include <dlfcn.h>
#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define KMOD_SONAME "libkmod.so.2"

struct kmod_api {
	__typeof__(kmod_new) *new_ctx;
	__typeof__(kmod_unref) *unref;
	__typeof__(kmod_module_new_from_name) *module_new;
	__typeof__(kmod_module_probe_insert_module) *probe;
	__typeof__(kmod_module_unref) *module_unref;
};

static int resolve(void *h, struct kmod_api *api)
{
	/* dlsym returns void *: through memcpy, as POSIX allows. */
	static const char *const names[] = {
		"kmod_new",
		"kmod_unref",
		"kmod_module_new_from_name",
		"kmod_module_probe_insert_module",
		"kmod_module_unref",
	};
	void *fn[sizeof(names) / sizeof(names[0])];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fn[i] = dlsym(h, names[i]);
		if (!fn[i])
			return -ENOSYS;
	}
	memcpy(&api->new_ctx, &fn[0], sizeof(fn[0]));
	memcpy(&api->unref, &fn[1], sizeof(fn[1]));
	memcpy(&api->module_new, &fn[2], sizeof(fn[2]));
	memcpy(&api->probe, &fn[3], sizeof(fn[3]));
	memcpy(&api->module_unref, &fn[4], sizeof(fn[4]));
	return 0;
}

int kmod_load(struct dax_ctx *ctx, const char *name)
{
	/* Never closed: libkmod's libraries may keep exit handlers. */
	static void *h;
	struct kmod_api api;
	struct kmod_ctx *kctx;
	struct kmod_module *mod = NULL;
	const char *root = dax_ctx_get_sysfs_root(ctx);
	int rc;

	/* A test tree is not the running system: load nothing into it. */
	if (root && strcmp(root, "/") != 0 && root[0] != '\0') {
		dax_err(ctx,
			"%s is not loaded (sysfs root %s: not loading "
			"modules)\n",
			name, root);
		return -ENODEV;
	}
	if (!h)
		h = dlopen(KMOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		dax_err(ctx, "cannot load %s: %s; load it with modprobe %s\n",
			name, dlerror(), name);
		return -ENODEV;
	}
	rc = resolve(h, &api);
	if (rc < 0) {
		dax_err(ctx, "cannot load %s: %s lacks a function\n", name,
			KMOD_SONAME);
		return rc;
	}
	kctx = api.new_ctx(NULL, NULL);
	if (!kctx)
		return -ENOMEM;
	rc = api.module_new(kctx, name, &mod);
	if (rc == 0) {
		dax_info(ctx, "loading module %s\n", name);
		rc = api.probe(mod, KMOD_PROBE_APPLY_BLACKLIST, NULL, NULL,
			       NULL, NULL);
		/* > 0: blacklisted (KMOD_PROBE_APPLY_BLACKLIST) */
		if (rc > 0) {
			dax_err(ctx, "module %s is blacklisted\n", name);
			rc = -EPERM;
		}
		api.module_unref(mod);
	}
	if (rc < 0)
		dax_err(ctx, "loading module %s: %s\n", name, strerror(-rc));
	api.unref(kctx);
	return rc;
}
