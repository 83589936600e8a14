// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Module loading by running modprobe: the program the kernel itself runs
 * for request_module(), named in /proc/sys/kernel/modprobe. It applies the
 * system's blacklist, options and module compression as it would for the
 * kernel. libkmod in-process would need dlopen() (a statically linked
 * daxctl cannot use it safely) or its libraries (libcrypto, liblzma,
 * libzstd) mapped at every start; only a switch to system-ram with kmem
 * missing ever loads a module.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "private.h"

#define MODPROBE_SYSCTL "/proc/sys/kernel/modprobe"
#define MODPROBE_DEFAULT "/sbin/modprobe"

extern char **environ;

/*
 * The kernel's modprobe path, else the usual one. An empty sysctl only stops
 * the kernel's own requests; a root user running modprobe is still allowed.
 */
static void modprobe_path(char *buf, size_t size)
{
	ssize_t n = -1;
	int fd = open(MODPROBE_SYSCTL, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		do
			n = read(fd, buf, size);
		while (n < 0 && errno == EINTR);
		close(fd);
	}
	/* A full buffer may be a truncated path: not used. */
	if (n > 0 && (size_t)n < size) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] == '/')
			return;
	}
	snprintf(buf, size, "%s", MODPROBE_DEFAULT);
}

/* Run PATH -b NAME with its stdout on our stderr; its exit status or -errno. */
static int run_modprobe(struct dax_ctx *ctx, const char *path, const char *name)
{
	char *const argv[] = {(char *)"modprobe", (char *)"-b", (char *)name,
			      NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc, st;

	/* stdout may be the JSON a caller is printing. */
	rc = posix_spawn_file_actions_init(&fa);
	if (rc == 0)
		rc = posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO,
						      STDOUT_FILENO);
	if (rc == 0)
		rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		dax_err(ctx, "cannot run %s: %s; load %s by hand\n", path,
			strerror(rc), name);
		return -rc;
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno == EINTR)
			continue;
		/*
		 * ECHILD: the caller ignores SIGCHLD or reaps every child.
		 * Whether the driver appeared tells the outcome.
		 */
		dax_dbg(ctx, "waitpid %s: %s\n", path, strerror(errno));
		return 0;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	dax_err(ctx, "%s %s: killed by signal %d\n", path, name,
		WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return -EINTR;
}

int kmod_load(struct dax_ctx *ctx, const char *name)
{
	char path[4096];
	int rc;

	/* A test tree is not the running system: load nothing into it. */
	if (!ctx_is_live(ctx)) {
		dax_err(ctx,
			"%s is not loaded (sysfs root %s: not loading "
			"modules)\n",
			name, dax_ctx_get_sysfs_root(ctx));
		return -ENODEV;
	}
	modprobe_path(path, sizeof(path));
	dax_info(ctx, "loading module %s: %s -b %s\n", name, path, name);
	rc = run_modprobe(ctx, path, name);
	if (rc > 0) {
		dax_err(ctx, "%s -b %s failed (exit status %d)\n", path, name,
			rc);
		return -ENODEV;
	}
	return rc < 0 ? -ENODEV : 0;
}
