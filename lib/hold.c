// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Host-wide state: the auto-online policy (auto_online_blocks) held at
 * "offline" while a device is hot-plugged (DAX_MODE_HOLD_POLICY).
 *
 * - The policy is read, held and written back only under the host lock
 *   (<root>/run/libdax/host.lock), so two regions' switches never see each
 *   other's held "offline" as the policy.
 * - Before "offline" is written, the value it replaces is journaled in
 *   <root>/run/libdax/auto_online_blocks.saved (written to a temporary
 *   file, fsync'ed and renamed: never half-written); the journal is
 *   removed once the value is back.
 * - A journal with nobody holding the host lock was left by a holder that
 *   died (SIGKILL): the next region lock taken by any libdax user restores
 *   the value and removes it (hold_recover()).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

#define HOST_LOCK DAX_LOCK_DIR "/host.lock"
#define JOURNAL DAX_LOCK_DIR "/auto_online_blocks.saved"
#define JOURNAL_TMP JOURNAL ".tmp"

static void restore_journal(struct dax_ctx *ctx, int rootfd);

int host_lock(struct dax_ctx *ctx, struct lock_hold **h)
{
	bool nested = lock_held_by_thread(LOCK_ID_HOST);
	int rootfd = ctx_root_fd(ctx), rc;
	struct stat st;

	if (rootfd < 0)
		return rootfd;
	rc = lock_acquire(ctx, HOST_LOCK, LOCK_ID_HOST,
			  dax_ctx_get_lock_timeout(ctx), h);
	/* Taken afresh: a journal now is a dead holder's; restore it. */
	if (rc == 0 && !nested &&
	    fstatat(rootfd, JOURNAL, &st, AT_SYMLINK_NOFOLLOW) == 0)
		restore_journal(ctx, rootfd);
	return rc;
}

/* The policy the journal holds (enum dax_online), or -errno. */
static int journal_read(struct dax_ctx *ctx, int rootfd)
{
	char buf[32];
	ssize_t n;
	int fd, i;

	fd = openat(rootfd, JOURNAL, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	for (i = DAX_ONLINE_NONE; i <= DAX_ONLINE_AUTO; i++)
		if (strcmp(buf, memory_policy_name((enum dax_online)i)) == 0)
			return i;
	dax_err(ctx, "/%s: not a policy: \"%s\"\n", JOURNAL, buf);
	return -EINVAL;
}

/* Restore from the journal and remove it; host lock held. */
static void restore_journal(struct dax_ctx *ctx, int rootfd)
{
	int was = journal_read(ctx, rootfd), rc;

	if (was == -ENOENT)
		return; /* restored meanwhile */
	if (was < 0) {
		dax_err(ctx, "/%s: cannot be read (%s); removed\n", JOURNAL,
			strerror(-was));
		(void)unlinkat(rootfd, JOURNAL, 0);
		return;
	}
	rc = memory_set_auto_online(ctx, (enum dax_online)was);
	if (rc < 0) {
		dax_err(ctx,
			"auto_online_blocks: a crashed libdax user left it "
			"held; restoring \"%s\" failed: %s\n",
			memory_policy_name((enum dax_online)was),
			strerror(-rc));
		return;
	}
	if (unlinkat(rootfd, JOURNAL, 0) < 0 && errno != ENOENT)
		dax_err(ctx, "/%s: %s\n", JOURNAL, strerror(errno));
	dax_warn(ctx,
		 "auto_online_blocks: restored \"%s\", held by a libdax user "
		 "that died (journal /%s)\n",
		 memory_policy_name((enum dax_online)was), JOURNAL);
}

void hold_recover(struct dax_ctx *ctx)
{
	struct lock_hold *h;
	struct stat st;
	int rootfd = ctx_root_fd(ctx);

	if (rootfd < 0)
		return;
	if (fstatat(rootfd, JOURNAL, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return; /* the common case: no journal */
	/* This thread's own hold is in progress: not a leftover. */
	if (lock_held_by_thread(LOCK_ID_HOST))
		return;
	/* A holder that is alive restores it itself. */
	if (lock_acquire(ctx, HOST_LOCK, LOCK_ID_HOST, 0, &h) < 0)
		return;
	restore_journal(ctx, rootfd);
	lock_release(h);
}

static int journal_write(struct dax_ctx *ctx, int rootfd, int was)
{
	const char *word = memory_policy_name((enum dax_online)was);
	size_t len = strlen(word);
	char buf[32];
	int fd, rc = 0;

	snprintf(buf, sizeof(buf), "%s\n", word);
	fd = openat(rootfd, JOURNAL_TMP,
		    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0644);
	if (fd < 0 && errno == ENOENT && lock_dir_make(ctx) == 0)
		fd = openat(rootfd, JOURNAL_TMP,
			    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
				    O_NOFOLLOW,
			    0644);
	if (fd < 0)
		rc = -errno;
	if (rc == 0 && write(fd, buf, len + 1) != (ssize_t)(len + 1))
		rc = errno ? -errno : -EIO;
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (rc == 0 && renameat(rootfd, JOURNAL_TMP, rootfd, JOURNAL) < 0)
		rc = -errno;
	if (rc < 0) {
		dax_err(ctx, "/%s: %s\n", JOURNAL, strerror(-rc));
		(void)unlinkat(rootfd, JOURNAL_TMP, 0);
	}
	return rc;
}

int hold_begin(struct dax_ctx *ctx, int was)
{
	int rootfd = ctx_root_fd(ctx), rc;

	if (rootfd < 0)
		return rootfd;
	rc = journal_write(ctx, rootfd, was);
	if (rc < 0)
		return rc;
	rc = memory_set_auto_online(ctx, DAX_ONLINE_NONE);
	if (rc < 0) {
		(void)unlinkat(rootfd, JOURNAL, 0);
		return rc;
	}
	/*
	 * Test hook: stop inside the hold, so that a test can kill the
	 * process there (test/kernel/lib-hold.sh). Not for production use.
	 */
	if (secure_getenv("LIBDAX_TEST_STOP_IN_HOLD"))
		raise(SIGSTOP);
	return 0;
}

int hold_end(struct dax_ctx *ctx, int was)
{
	int rootfd = ctx_root_fd(ctx);
	int rc = memory_set_auto_online(ctx, (enum dax_online)was);

	if (rc < 0) {
		dax_err(ctx,
			"auto_online_blocks: could not be set back to \"%s\": "
			"%s (kept in /%s for the next libdax user)\n",
			memory_policy_name((enum dax_online)was), strerror(-rc),
			JOURNAL);
		return rc;
	}
	if (rootfd >= 0 && unlinkat(rootfd, JOURNAL, 0) < 0 && errno != ENOENT)
		dax_err(ctx, "/%s: %s\n", JOURNAL, strerror(errno));
	return 0;
}
