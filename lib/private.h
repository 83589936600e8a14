/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal interfaces between the library's files. Each object's struct is
 * private to its .c file; other files go through the functions below.
 */
#ifndef LIBDAX_PRIVATE_H
#define LIBDAX_PRIVATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include "libdax.h"

#define DAX_EXPORT __attribute__((visibility("default")))
#define DAX_NONNULL __attribute__((nonnull))
#define DAX_WUR __attribute__((warn_unused_result))
#define DAX_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Where the kernel puts things, relative to the sysfs root. */
#define DAX_BUS_DIR "/sys/bus/dax/devices"
#define DAX_CLASS_DIR "/sys/class/dax"
#define DAX_MEMORY_DIR "/sys/devices/system/memory"
#define DAX_DRIVERS_DIR "/sys/bus/dax/drivers"

#define DAX_MiB (1024ull * 1024)
#define DAX_GiB (1024 * DAX_MiB)

/* ------------------------------------------------------------------ log.c */

void dax_log(struct dax_ctx *ctx, int priority, const char *file, int line,
	     const char *fn, const char *format, ...) DAX_PRINTF(6, 7);
void dax_log_stderr(struct dax_ctx *ctx, int priority, const char *file,
		    int line, const char *fn, const char *format, va_list args)
	DAX_PRINTF(6, 0);

#define dax_log_cond(ctx, prio, ...)                                     \
	do {                                                             \
		if (dax_ctx_get_log_priority(ctx) >= (prio))             \
			dax_log(ctx, prio, __FILE__, __LINE__, __func__, \
				__VA_ARGS__);                            \
	} while (0)

#define dax_err(ctx, ...) dax_log_cond(ctx, LOG_ERR, __VA_ARGS__)
#define dax_warn(ctx, ...) dax_log_cond(ctx, LOG_WARNING, __VA_ARGS__)
#define dax_info(ctx, ...) dax_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define dax_dbg(ctx, ...) dax_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)

/* Parse a LIBDAX_LOG value: a number or a priority name. */
int dax_parse_log_priority(const char *s, int *prio) DAX_NONNULL DAX_WUR;

/* ------------------------------------------------------------------ ctx.c */

/* The logger in use (never NULL). */
dax_log_fn ctx_log_fn(const struct dax_ctx *ctx) DAX_NONNULL;
/* The root directory fd (O_PATH), opened on first use. */
int ctx_root_fd(struct dax_ctx *ctx) DAX_NONNULL DAX_WUR;
/*
 * Whether the sysfs root is "/", the running system; a test tree is not,
 * and what lives outside it (modules, PID namespaces) is none of its own.
 */
bool ctx_is_live(const struct dax_ctx *ctx) DAX_NONNULL;
/*
 * Writes to sysfs this context has made (sysfs_write() counts them): a
 * lock that sees the count unchanged knows it changed nothing meanwhile.
 */
unsigned long ctx_writes(const struct dax_ctx *ctx) DAX_NONNULL;
void ctx_count_write(struct dax_ctx *ctx) DAX_NONNULL;
/* Scan the bus unless done already. 0 or -errno. */
int ctx_ensure_scanned(struct dax_ctx *ctx) DAX_NONNULL DAX_WUR;
/*
 * Whether the region list is complete. Before the first scan it may hold
 * regions found by id alone (scan_find_region()), which a scan keeps.
 */
bool ctx_is_scanned(const struct dax_ctx *ctx) DAX_NONNULL;
/* Add the live @region to the list, in id order (not ownership). */
int ctx_add_region(struct dax_ctx *ctx,
		   struct dax_region *region) DAX_NONNULL DAX_WUR;
/* Take ownership of @region until the context is freed. */
int ctx_adopt_region(struct dax_ctx *ctx,
		     struct dax_region *region) DAX_NONNULL DAX_WUR;
/* Every region object of the context, live or gone, in no order. */
struct dax_region **ctx_all_regions(struct dax_ctx *ctx, size_t *n) DAX_NONNULL;
/* Take @region off the list of live regions (if it is on it). */
void ctx_remove_region(struct dax_ctx *ctx,
		       struct dax_region *region) DAX_NONNULL;
/* Whether @region is on the list of live regions. */
bool ctx_region_listed(const struct dax_ctx *ctx,
		       const struct dax_region *region) DAX_NONNULL;
/* The attribute buffer: one page plus one byte to detect truncation. */
char *ctx_buf(struct dax_ctx *ctx, size_t *size) DAX_NONNULL;
/* The live regions, sorted by id. */
struct dax_region **ctx_regions(struct dax_ctx *ctx, size_t *n) DAX_NONNULL;
/* Install a new sorted live array (taking ownership of the array). */
void ctx_set_regions(struct dax_ctx *ctx, struct dax_region **regions,
		     size_t n) DAX_NONNULL;
/* Memory block size, read once per scan. 0 or -errno. */
int ctx_block_size(struct dax_ctx *ctx, uint64_t *size) DAX_NONNULL DAX_WUR;
#define THP_DIR "/sys/kernel/mm/transparent_hugepage"
/* hpage_pmd_size, read once until dax_ctx_refresh(); -ENOENT: no THP. */
int ctx_pmd_size(struct dax_ctx *ctx, uint64_t *size) DAX_NONNULL DAX_WUR;

/* ---------------------------------------------------------------- sysfs.c */

/*
 * Pure parsers of one attribute's content (@len bytes, not NUL-terminated).
 * Exactly one trailing newline is allowed, and may be missing. Return 0,
 * -EINVAL for malformed content or -ERANGE for overflow.
 */
int dax_parse_u64(const char *buf, size_t len, uint64_t *v) DAX_WUR;
int dax_parse_int(const char *buf, size_t len, bool allow_negative,
		  int *v) DAX_WUR;
/* Hex; @prefix: "0x" is required (dax attributes) or forbidden (memory). */
int dax_parse_hex(const char *buf, size_t len, bool prefix,
		  uint64_t *v) DAX_WUR;
/* A single-line string; *@slen gets its length without the newline. */
int dax_parse_str(const char *buf, size_t len, size_t *slen) DAX_WUR;
/* "MAJ:MIN" of the sysfs dev attribute. */
int dax_parse_devnum(const char *buf, size_t len, unsigned int *major,
		     unsigned int *minor) DAX_WUR;
/* Exactly "daxR.N" (NUL-terminated), decimal without sign or leading 0. */
int dax_parse_devname(const char *s, int *region, int *id) DAX_NONNULL DAX_WUR;
/* Decimal digits only, no leading zero, fits an unsigned int. */
int dax_parse_index(const char *s, unsigned int *v) DAX_NONNULL DAX_WUR;
/* Quote @buf for a log message, truncating it to fit @out. */
void dax_escape(const char *buf, size_t len, char *out, size_t outsz);
/*
 * Resolve @target (a symlink's content) against the absolute directory
 * @base, lexically: "." and ".." are folded, ".." stops at "/". An absolute
 * @target starts from "/". Returns a malloc'ed absolute path or NULL.
 */
char *dax_path_resolve(const char *base, const char *target) DAX_WUR;
/* Last component of an absolute path (a pointer into @path). */
const char *dax_path_basename(const char *path) DAX_NONNULL;

/* Open an absolute path below the root: O_DIRECTORY|O_CLOEXEC|@flags. */
int sysfs_open_dir(struct dax_ctx *ctx, const char *path,
		   int flags) DAX_NONNULL DAX_WUR;
/*
 * As the @dirfd of the sysfs_read*(), sysfs_write() and sysfs_exists()
 * functions: reach @dir/@name from the root, one call with no directory fd
 * to open and close first.
 */
#define SYSFS_AT_DIR (-2)
/*
 * One read(2) of @dirfd/@name into the context buffer; *@content points to
 * it (NUL-terminated for convenience). @dir names @dirfd in log messages.
 * Return: the length, or -errno (-EINVAL if longer than a page).
 */
ssize_t sysfs_read(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, const char **content) DAX_NONNULL DAX_WUR;
int sysfs_read_u64(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, uint64_t *v) DAX_NONNULL DAX_WUR;
int sysfs_read_hex(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, bool prefix,
		   uint64_t *v) DAX_NONNULL DAX_WUR;
int sysfs_read_int(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, bool allow_negative,
		   int *v) DAX_NONNULL DAX_WUR;
int sysfs_read_devnum(struct dax_ctx *ctx, int dirfd, const char *dir,
		      const char *name, unsigned int *major,
		      unsigned int *minor) DAX_NONNULL DAX_WUR;
/* A device name "daxR.N", parsed. */
struct dax_name {
	int rid, id;
};

/*
 * The entries "daxR.N" of the directory @path (below the root) whose type
 * is @type (DT_DIR, DT_LNK) or unknown, of region @rid (-1: any), sorted
 * by region and id, *@names malloc'ed. One open, getdents64 calls and a
 * close, nothing per entry. -errno (-ENOENT: no such directory).
 */
int sysfs_list_names(struct dax_ctx *ctx, const char *path, int rid,
		     unsigned char type, struct dax_name **names,
		     size_t *n) DAX_NONNULL DAX_WUR;
/* Whether the sorted @v holds daxR.N. */
bool sysfs_has_name(const struct dax_name *v, size_t n, int rid, int id);
/*
 * The instance ids N of the entries "dax@rid.N" of the directory @path
 * (below the root) whose type is @type (DT_DIR, DT_LNK) or unknown,
 * sorted, *@ids malloc'ed. One open, getdents64 calls and a close, nothing
 * per entry. -errno (-ENOENT: no such directory).
 */
int sysfs_list_ids(struct dax_ctx *ctx, const char *path, int rid,
		   unsigned char type, int **ids,
		   size_t *n) DAX_NONNULL DAX_WUR;
/* Whether the sorted @ids hold @id. */
bool sysfs_has_id(const int *ids, size_t n, int id);
/* 0 when @dirfd/@name exists (not following a last link), else -errno. */
int sysfs_exists(struct dax_ctx *ctx, int dirfd, const char *dir,
		 const char *name) DAX_NONNULL DAX_WUR;
/* *@str gets a malloc'ed copy without the newline. */
int sysfs_read_str(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, char **str) DAX_NONNULL DAX_WUR;
/*
 * One write(2) of @value to @dirfd/@name, retried when it fails with EINTR
 * (twice at most). A short write is -EIO. Return 0 or -errno.
 */
int sysfs_write(struct dax_ctx *ctx, int dirfd, const char *dir,
		const char *name, const char *value) DAX_NONNULL DAX_WUR;
/* *@target gets the malloc'ed content of the link @dirfd/@name. */
int sysfs_readlink(int dirfd, const char *name,
		   char **target) DAX_NONNULL DAX_WUR;

/* --------------------------------------------------------------- region.c */

/* A new region object, gone until a scan lists it. */
struct dax_region *region_new(struct dax_ctx *ctx, char *path, int id,
			      bool class_model) DAX_NONNULL DAX_WUR;
/* Only by the context's last unref, or of an object never handed out. */
void region_free(struct dax_region *region);
/*
 * Mark @region gone (its device list emptied, every device object gone)
 * or live again (its devices come from the next sync).
 */
void region_set_gone(struct dax_region *region, bool gone) DAX_NONNULL;
/*
 * A refresh: the dax_region/ attributes are read again on next use. The
 * first time, dax_region/id is checked against the name. 0 or -ENOMEM.
 */
int region_read(struct dax_region *region) DAX_NONNULL DAX_WUR;
bool region_is_class_model(const struct dax_region *region) DAX_NONNULL;
void region_set_index(struct dax_region *region, size_t idx) DAX_NONNULL;
size_t region_get_index(const struct dax_region *region) DAX_NONNULL;
/*
 * A region's live devices: the sorted instance ids, and the object of
 * each, made on first use (NULL until then): listing a region makes no
 * object. A slot holds the region's object of that id whenever one exists.
 */
struct dev_slot {
	int id;
	struct dax_dev *dev;
};

size_t region_ndevs(const struct dax_region *region) DAX_NONNULL;
const struct dev_slot *region_slots(const struct dax_region *region,
				    size_t *n) DAX_NONNULL;
/* Install a new sorted slot array (taking ownership of the array). */
void region_set_slots(struct dax_region *region, struct dev_slot *slots,
		      size_t n) __attribute__((nonnull(1)));
/* The object of the @i-th device, made if needed; NULL: errno ENOMEM. */
struct dax_dev *region_dev_at(struct dax_region *region, size_t i) DAX_NONNULL;
/* The live device with id @id, or NULL with errno ENOENT or ENOMEM. */
struct dax_dev *region_find_dev(struct dax_region *region, int id) DAX_NONNULL;
/* The first live device with an id above @id; NULL, errno 0 or ENODEV. */
struct dax_dev *region_next_dev(struct dax_region *region, int id) DAX_NONNULL;
/* The region's object of device @id, live or gone, or NULL. */
struct dax_dev *region_obj(struct dax_region *region, int id) DAX_NONNULL;
/* Take ownership of the new @dev (its id has no object yet). */
int region_adopt_dev(struct dax_region *region,
		     struct dax_dev *dev) DAX_NONNULL DAX_WUR;
/* Mark each device object live or gone, as the slots say. */
void region_mark_devs(struct dax_region *region) DAX_NONNULL;
/* "<host>/dax_region", below the root. */
const char *region_attr_dir(const struct dax_region *region) DAX_NONNULL;
struct region_lock **region_lock_slot(struct dax_region *region) DAX_NONNULL;
/*
 * A region's signature: what its device list cannot change without. A
 * device appears only through "create", which names it as the youngest
 * (and as the seed when there is none); it gets or gives back capacity
 * only through available_size. Deleting the seed or the youngest clears
 * it. Only deleting a zero-size device that is neither goes unseen. While
 * there is no seed, a create makes one, so the youngest is not read then.
 */
struct region_sig {
	uint64_t avail;
	char seed[24], young[24]; /* "daxR.N" or ""; @young "" without seed */
};
/* Read it from sysfs now (three attributes). 0 or -errno. */
int region_sig_read(struct dax_region *region,
		    struct region_sig *sig) DAX_NONNULL DAX_WUR;
bool region_sig_equal(const struct region_sig *a,
		      const struct region_sig *b) DAX_NONNULL;
/* Seed the available_size and seed caches with what @sig read. */
void region_sig_prime(struct dax_region *region,
		      const struct region_sig *sig) DAX_NONNULL;
/*
 * create.c's leftover candidates (unbound devices but daxR.0), kept while
 * the device list is known: true and the ids, or false when unknown.
 */
bool region_leftovers(struct dax_region *region, const int **ids,
		      size_t *n) DAX_NONNULL;
/* Keep a copy of @ids (@n may be 0); on ENOMEM they are unknown. */
void region_set_leftovers(struct dax_region *region, const int *ids, size_t n)
	__attribute__((nonnull(1)));
void region_forget_leftovers(struct dax_region *region) DAX_NONNULL;
/* The cache of region_typed() (bystander.c). */
int *region_typed_cache(struct dax_region *region) DAX_NONNULL;

/* ------------------------------------------------------------------ dev.c */

struct dax_dev *dev_new(struct dax_region *region, char *name, int id,
			char *path) DAX_NONNULL DAX_WUR;
/* A new object for device @id of a bus-model region: <host>/daxR.N. */
struct dax_dev *dev_new_bus(struct dax_region *region, int id) DAX_NONNULL;
/* Only with its region: see region_free(). */
void dev_free(struct dax_dev *dev);
/* Live again (read anew on first use), or gone with its children. */
void dev_set_gone(struct dax_dev *dev, bool gone) DAX_NONNULL;
/*
 * A refresh: the attributes are read again on next use; what was loaded
 * before (mappings, memory) is reloaded now. 0 or -ENOMEM.
 */
int dev_read(struct dax_dev *dev) DAX_NONNULL DAX_WUR;
void dev_set_index(struct dax_dev *dev, size_t idx) DAX_NONNULL;
const char *dev_get_path(const struct dax_dev *dev) DAX_NONNULL;
/*
 * Whether the range [@start, @end] starts or ends off @align: device_dax's
 * faults of @align bytes would then map memory outside it (the kernel
 * rounds the physical address down to the fault size).
 */
bool range_misaligned(uint64_t start, uint64_t end, uint64_t align);
/* Slots for the lazily built children, owned by mapping.c and memory.c. */
struct mapping_set **dev_mapping_slot(struct dax_dev *dev) DAX_NONNULL;
struct dax_memory **dev_memory_slot(struct dax_dev *dev) DAX_NONNULL;

/* -------------------------------------------------------------- mapping.c */

struct mapping_set;
/* Read mappingK/ of @dev (again), keeping objects by K. Errors stay cached. */
int mapping_set_load(struct dax_dev *dev) DAX_NONNULL DAX_WUR;
void mapping_set_free(struct mapping_set *set);
/* Every mapping object goes gone, kept; the next load revives by K. */
void mapping_set_gone(struct mapping_set *set);
/* Forget a cached load error, so that the next first() loads again. */
void mapping_set_forget(struct mapping_set *set);
/* True when mappings were loaded successfully (so a refresh reloads). */
bool mapping_set_loaded(const struct mapping_set *set);
/* Start of the range with page_offset 0, for the resource fallback. */
int mapping_first_start(struct dax_dev *dev, uint64_t *start) DAX_NONNULL;

/* --------------------------------------------------------------- memory.c */

void memory_free(struct dax_memory *mem);
/* Kept for its holders; dax_dev_get_memory() revives it. */
void memory_set_gone(struct dax_memory *mem) DAX_NONNULL;
bool memory_is_gone(const struct dax_memory *mem) DAX_NONNULL;
/* The auto_online_blocks word of @policy ("offline", "online", ...). */
const char *memory_policy_name(enum dax_online policy);
/* Write the auto-online policy (auto_online_blocks). */
int memory_set_auto_online(struct dax_ctx *ctx,
			   enum dax_online policy) DAX_NONNULL DAX_WUR;
/*
 * Online (DAX_ONLINE_MOVABLE or _KERNEL) or offline (DAX_ONLINE_NONE)
 * every block of @mem; the region lock is held. As dax_memory_online().
 */
int memory_change(struct dax_memory *mem,
		  enum dax_online how) DAX_NONNULL DAX_WUR;
struct kdev;
/* Blocks of @kd's ranges online now, read live (no model). 0 or -errno. */
int memory_kdev_online(struct kdev *kd,
		       unsigned int *online) DAX_NONNULL DAX_WUR;
/* Memory blocks of size @bs lying wholly inside one of the ranges. */
unsigned int memory_whole_blocks(const struct dax_range *v, size_t n,
				 uint64_t bs);

/* ----------------------------------------------------------------- kmod.c */

struct kdev;

/*
 * Load module @name in-process through libkmod, as modprobe -b would (the
 * blacklist, options and soft dependencies of modprobe.d apply; an install
 * command is refused, never run), only with the sysfs root "/". libkmod's
 * messages and the reason of a failure are logged. 0 when loaded or
 * already there; -ENODEV not the running system, or no such module for
 * this kernel; -EPERM blacklisted, an install command, or the kernel's
 * refusal; else the load's errno (-ENOENT: the module's file is missing).
 */
int kmod_load(struct dax_ctx *ctx, const char *name) DAX_NONNULL DAX_WUR;
/*
 * Before binding @kd to @driver: its driver directory exists, device_dax
 * loaded if it is missing (the unbound devices with a size that its init
 * binds, other than @kd, unbound again). kmem is not loaded here (sysram.c
 * checks for its bystanders first): -ENODEV when it is missing.
 */
int kmod_need_driver(struct kdev *kd,
		     enum dax_driver driver) DAX_NONNULL DAX_WUR;

/* ----------------------------------------------------------------- scan.c */

/* Discover regions and devices; reconcile with the existing objects. */
int scan_bus(struct dax_ctx *ctx) DAX_NONNULL DAX_WUR;
/* The same for one region, from its host directory only. */
int scan_region(struct dax_region *region) DAX_NONNULL DAX_WUR;
/*
 * The same from @ids (sorted), the region's devices as a listing made
 * under the region lock since the last change to them found them: what
 * scan_region() does without listing the host directory again.
 */
int scan_region_ids(struct dax_region *region, const int *ids, size_t n)
	__attribute__((nonnull(1))) DAX_WUR;
/*
 * What a scan does to the region's and its devices' attribute caches,
 * keeping the device list as it is (the lock's re-read, when the
 * region's signature says the list cannot have changed).
 */
int scan_region_attrs(struct dax_region *region) DAX_NONNULL DAX_WUR;
/*
 * Before the first scan: find region @id from its daxR.0 alone, list its
 * devices and add it to the context. -ENOENT when that does not work (no
 * daxR.0 on the bus): the caller scans the bus.
 */
int scan_find_region(struct dax_ctx *ctx, int id,
		     struct dax_region **region) DAX_NONNULL DAX_WUR;

/* ----------------------------------------------------------------- lock.c */

/* The lock files' directory, below the root. */
#define DAX_LOCK_DIR "run/libdax"
/* The id of the host lock in the table of held locks. */
#define LOCK_ID_HOST (-1)

struct region_lock;
struct lock_hold;
void region_lock_free(struct region_lock *lock);
bool region_lock_held(struct dax_region *region) DAX_NONNULL;
/* Make <root>/run/libdax (0755) if missing. 0 or -errno (logged). */
int lock_dir_make(struct dax_ctx *ctx) DAX_NONNULL DAX_WUR;
/*
 * Take the lock file @name (below the root) for this thread: recursive
 * when this thread holds it already (through any context), else flock(2)
 * waiting as dax_region_lock_timeout() says. @id: region id or
 * LOCK_ID_HOST, for the lock-order checks. 0 or -errno.
 */
int lock_acquire(struct dax_ctx *ctx, const char *name, int id, int timeout_ms,
		 struct lock_hold **h) DAX_NONNULL DAX_WUR;
void lock_release(struct lock_hold *h) DAX_NONNULL;
/* Whether this thread holds lock @id (region id or LOCK_ID_HOST). */
bool lock_held_by_thread(int id);
/*
 * dax_region_lock(), and re-read the region also when the lock was held
 * already: what a change call starts with. 0 or -errno, nothing held.
 */
int region_lock_fresh(struct dax_region *region) DAX_NONNULL DAX_WUR;
/*
 * The region's signature as the held lock's last re-read found it,
 * unless this context wrote to sysfs since: 0, or -ESTALE.
 */
int region_lock_sig(struct dax_region *region,
		    struct region_sig *sig) DAX_NONNULL DAX_WUR;
/*
 * A change call that knows what its writes did to the signature says so
 * before unlocking: the next lock then need not list the devices again.
 */
void region_lock_predict(struct dax_region *region,
			 const struct region_sig *sig) DAX_NONNULL;
/* Whether the device list was listed under the lock now held. */
bool region_lock_listed(struct dax_region *region) DAX_NONNULL;
/*
 * Lock a region other than the one being changed, without deadlock: it
 * waits only above every region lock this thread holds and never under
 * the host lock; otherwise it only tries (-EDEADLK, logged, when taken).
 */
int lock_other_region(struct dax_region *region) DAX_NONNULL DAX_WUR;
/*
 * Before reading mappingK/ of @region's devices: hold its lock file
 * shared, so that no libdax shrink or destroy of the region (which holds
 * it exclusively) runs meanwhile (lock.c says why). Nothing is taken when
 * this thread holds the region lock already, for a static or class-model
 * region, or when the file cannot be opened (an ordinary user): *@held
 * is then -1. Waits with the context's timeout, only in lock order (else
 * tries: -EDEADLK). 0, or as dax_region_lock_timeout(); the caller reads
 * nothing on failure. Release with region_read_unlock(*@held) before
 * anything else locks.
 */
int region_read_lock(struct dax_region *region, int *held) DAX_NONNULL DAX_WUR;
void region_read_unlock(int held);

/* ----------------------------------------------------------------- hold.c */

/*
 * The host lock (<root>/run/libdax/host.lock) with the ctx's timeout.
 * Innermost: taken after region locks, never before.
 */
int host_lock(struct dax_ctx *ctx, struct lock_hold **h) DAX_NONNULL DAX_WUR;
/*
 * A journal left by a holder that died: restore auto_online_blocks from
 * it and remove it, when nobody holds the host lock. One fstatat() when
 * there is no journal. Errors are logged.
 */
void hold_recover(struct dax_ctx *ctx) DAX_NONNULL;
/* Journal the policy @was, then write "offline". Host lock held. */
int hold_begin(struct dax_ctx *ctx, int was) DAX_NONNULL DAX_WUR;
/* Write @was back and remove the journal (kept when the write failed). */
int hold_end(struct dax_ctx *ctx, int was) DAX_NONNULL DAX_WUR;

/* ----------------------------------------------------------------- kdev.c */

/*
 * A dax device addressed by name for a sequence of writes: every read goes
 * to sysfs, nothing is cached. Used while the region lock is held.
 */
struct kdev {
	struct dax_ctx *ctx;
	struct dax_region *region;
	int id;
	char name[32]; /* "daxR.N" */
	char *path; /* device directory below the root */
	int fd; /* O_PATH directory, -1 when closed */
};

int kdev_open(struct kdev *kd, struct dax_region *region,
	      int id) DAX_NONNULL DAX_WUR;
void kdev_close(struct kdev *kd);
int kdev_read_u64(struct kdev *kd, const char *attr,
		  uint64_t *v) DAX_NONNULL DAX_WUR;
/* *@driver: malloc'ed driver name, NULL when unbound. */
int kdev_driver(struct kdev *kd, char **driver) DAX_NONNULL DAX_WUR;
/* The device's ranges in page_offset order; *@v is malloc'ed. */
int kdev_ranges(struct kdev *kd, struct dax_range **v,
		size_t *n) DAX_NONNULL DAX_WUR;
int kdev_write(struct kdev *kd, const char *attr,
	       const char *value) DAX_NONNULL DAX_WUR;
/*
 * Write "size" and read it back. A failed write that changed the size
 * anyway (a grow that stopped half-way) is undone.
 */
int kdev_set_size(struct kdev *kd, uint64_t size) DAX_NONNULL DAX_WUR;
/* The same when the size now is known to be @old (read under the lock). */
int kdev_resize(struct kdev *kd, uint64_t old,
		uint64_t size) DAX_NONNULL DAX_WUR;
int kdev_set_align(struct kdev *kd, uint64_t align) DAX_NONNULL DAX_WUR;
/* Append exactly @r with a "mapping" write and check that it is there. */
int kdev_claim(struct kdev *kd, const struct dax_range *r) DAX_NONNULL DAX_WUR;
/* Write @value to the region's dax_region/@attr. */
int kregion_write(struct dax_region *region, const char *attr,
		  const char *value) DAX_NONNULL DAX_WUR;
/* Instance ids of the region's devices now, sorted; *@ids malloc'ed. */
int kregion_ids(struct dax_region *region, int **ids,
		size_t *n) DAX_NONNULL DAX_WUR;
/*
 * Of the instance ids @ids of the region's devices, those bound to no
 * driver (from the drivers' directories: no per-device read). *@out
 * malloc'ed, in the order of @ids.
 */
int kregion_unbound(struct dax_region *region, const int *ids, size_t n,
		    int **out, size_t *nout)
	__attribute__((nonnull(1, 4, 5))) DAX_WUR;
/*
 * Write "create"; *@id: the device that appeared, ours. @now: the sorted
 * ids of the region's devices listed since the last change (under the
 * lock), or NULL to list them first. When a tool that ignores the lock
 * created at the same moment, exactly one of the new devices is taken and
 * the others are left alone (kdev.c says which one). With @list, on
 * success *@list (freed by the caller) and *@nlist are the sorted ids
 * listed right after the write, ours among them. @seedless: "seed" read
 * empty under the lock, nothing created since: then the new device is
 * found without listing the region (kdev.c), and *@list is @now with it.
 */
int kregion_create(struct dax_region *region, const int *now, size_t nnow,
		   bool seedless, int *id, int **list, size_t *nlist)
	__attribute__((nonnull(1, 5))) DAX_WUR;
/* Delete device @id of @region by name (gone already: 0). */
int kregion_delete_id(struct dax_region *region, int id) DAX_NONNULL DAX_WUR;
/* Write @kd's name to "delete" and check that it is gone. */
int kregion_delete(struct kdev *kd) DAX_NONNULL DAX_WUR;
/* Write @devname to /sys/bus/dax/drivers/@driver/@attr. */
int kdriver_write(struct dax_ctx *ctx, const char *driver, const char *attr,
		  const char *devname) DAX_NONNULL DAX_WUR;
bool kdriver_exists(struct dax_ctx *ctx, const char *driver) DAX_NONNULL;
const char *dax_driver_name(enum dax_driver driver);

/* --------------------------------------------- layout.c, plan.c, apply.c */

#define LAYOUT_NAME_MAX 64

/* Where a setting was made: file and line, or no file (dax_layout_set()). */
struct layout_src {
	const char *file; /* owned by the layout's files[] */
	unsigned int line;
};

struct layout_region {
	char name[LAYOUT_NAME_MAX];
	struct layout_src src;
	bool has_resource;
	uint64_t resource;
	int node; /* -1: not declared */
	char *path; /* NULL: not declared */
	bool managed;
};

struct layout_device {
	char name[LAYOUT_NAME_MAX];
	struct layout_src src, size_src, ranges_src, align_src, owner_src,
		group_src, placement_src;
	char region[LAYOUT_NAME_MAX];
	uint64_t size; /* the ranges' total once checked */
	struct dax_range *ranges; /* explicit ranges, NULL: placed */
	size_t nranges;
	uint64_t align; /* 0: the region's */
	bool colored; /* placement = color:...: @color's first, last, colors,
			 cache_size, cache_level */
	struct dax_color_request color;
	bool sysram;
	bool movable;
	char owner[LAYOUT_NAME_MAX], group[LAYOUT_NAME_MAX];
	int perm; /* -1: leave as it is */
	uid_t uid; /* resolved by dax_layout_check(); -1: leave */
	gid_t gid;
};

struct dax_layout {
	struct dax_ctx *ctx;
	struct layout_region **regions;
	size_t nregions;
	struct layout_device **devices;
	size_t ndevices;
	char **files;
	size_t nfiles;
	struct layout_src cur; /* of the setting being made */
	unsigned int section_line; /* of the last "[section]" read */
	int load_err;
	/* match.c: the places of each region's devices, while not set again. */
	struct plan_region *placed;
	size_t nplaced;
};
void layout_forget_places(struct dax_layout *l) DAX_NONNULL;

/* Log "FILE:LINE: message" at LOG_ERR; @src NULL: the current setting. */
void layout_err(const struct dax_layout *l, const struct layout_src *src,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct layout_region *layout_find_region(struct dax_layout *l,
					 const char *name) DAX_NONNULL;

/* A plan (plan.c) and its steps; apply.c carries them out. */
/* What an update changes. */
#define CH_MODE (1u << 0)
#define CH_MEMORY (1u << 1)
#define CH_OWNER (1u << 2)

struct dax_plan_step {
	enum dax_step_action action;
	struct plan_region *pr;
	const struct layout_device *ld; /* NULL: a device no layout names */
	struct dax_dev *dev;
	struct dax_range *ranges;
	unsigned int nranges;
	uint64_t align;
	unsigned int changes;
	char reason[192];
	struct dax_plan_step *next;
};

struct plan_region {
	struct dax_plan *plan;
	const struct layout_region *lr;
	struct dax_region *region;
	int result;
	struct dax_plan_step *steps; /* in the order they run */
};

struct dax_plan {
	struct dax_layout *layout;
	struct plan_region *regions;
	size_t nregions;
	unsigned long writes;
};

void plan_steps_free(struct dax_plan_step *s);
/*
 * The region's part of the plan, from the model as it is now; with
 * @placed_only just the layout devices' places (DAX_STEP_CREATE steps).
 */
int plan_region(struct dax_layout *l, struct plan_region *pr,
		bool placed_only) DAX_NONNULL;
/*
 * The one live region @lr names: 0, -ENODEV none, -EINVAL several (logged
 * with the file and line unless @quiet).
 */
int plan_find_region(struct dax_layout *l, const struct layout_region *lr,
		     bool quiet, struct dax_region **out) DAX_NONNULL;
bool plan_same_ranges(const struct dax_range *a, unsigned int na,
		      const struct dax_range *b, unsigned int nb);
/* @dev's ranges in page_offset order; *@v malloc'ed (NULL when none). */
int plan_dev_ranges(struct dax_dev *dev, struct dax_range **v,
		    unsigned int *n) DAX_NONNULL;
/* The device node's path below the context's root. */
void plan_node_path(struct dax_dev *dev, char *buf, size_t size) DAX_NONNULL;

/* ----------------------------------------------------------- placement.c */

/*
 * dax_region_plan_colors() with the region's @bounds and the ranges in use
 * (sorted by start) given: for layouts, which place their devices in the
 * region as the layout would have it, not as it is. @bounds NULL: read
 * both from sysfs. *@v malloc'ed.
 */
int placement_colors(struct dax_region *region,
		     const struct dax_color_request *req,
		     const struct dax_range *bounds,
		     const struct dax_range *used, size_t nused,
		     struct dax_range **v, size_t *n)
	__attribute__((nonnull(1, 2, 6, 7))) DAX_WUR;

/* --------------------------------------------------------------- space.c */

/* ------------------------------------------------------------- platform.c */

/* The system's sizes that the dax bus checks against (platform.c: where each
 * comes from). */
struct dax_platform {
	uint64_t page; /* PAGE_SIZE */
	uint64_t pmd; /* PMD_SIZE when THP is there, else 0 */
	uint64_t pud; /* PUD_SIZE when the kernel may accept it, else 0 */
	uint64_t compat; /* memremap_compat_align() */
};

/* Of the context's system (its root's tree for a test tree). 0 or -errno. */
int platform_get(struct dax_ctx *ctx,
		 struct dax_platform *p) DAX_NONNULL DAX_WUR;
/* A device align the kernel accepts: the page, PMD or PUD size. */
bool space_align_valid(struct dax_ctx *ctx, uint64_t align) DAX_NONNULL;
/* Granularity of sizes, lengths and starts: max(@align, compat). */
uint64_t space_gran(struct dax_ctx *ctx, uint64_t align) DAX_NONNULL;
/* Log (LOG_ERR) which aligns are valid, for a refused @align. */
void platform_log_aligns(struct dax_ctx *ctx, uint64_t align) DAX_NONNULL;
/*
 * The region's physical bounds, when knowable: 0; -ENOENT when not.
 * From the "resource" of a zero-size device (the region start), else the
 * region host's entry in <root>/proc/iomem.
 */
int space_bounds(struct dax_region *region,
		 struct dax_range *bounds) DAX_NONNULL DAX_WUR;
/* As space_bounds(); exact when @kd has no size (its resource). */
int kdev_bounds(struct kdev *kd, struct dax_range *bounds) DAX_NONNULL DAX_WUR;
/* Every range of every device of the region, read now, sorted by start. */
int space_used(struct dax_region *region, struct dax_range **v,
	       size_t *n) DAX_NONNULL DAX_WUR;
/*
 * Check @r for a claim: start and length multiples of @gran, inside
 * @bounds (NULL: unknown), not overlapping @used. -EINVAL, -ENOMEM, 0.
 */
int space_check(struct dax_ctx *ctx, const struct dax_range *r, uint64_t gran,
		const struct dax_range *bounds, const struct dax_range *used,
		size_t nused) DAX_WUR;
/*
 * Lowest-address first fit of @size bytes in @gran-aligned pieces of the
 * free space. *@v malloc'ed. 0 or -ENOSPC.
 */
int space_place(const struct dax_range *bounds, const struct dax_range *used,
		size_t nused, uint64_t gran, uint64_t size,
		struct dax_range **v, size_t *n) DAX_WUR;

/* ----------------------------------------------------------------- node.c */

/* ACPI HMAT cache levels are 1 to 3; leave room for more. */
#define NODE_MAX_CACHE_LEVEL 15

/*
 * The access class that describes @node from CPUs: 1 when the node has
 * access1/initiators/ (CPU initiators, 6.1 and later), else 0. -ENOENT
 * when it has neither.
 */
int node_cpu_access_class(struct dax_ctx *ctx, int node,
			  unsigned int *cls) DAX_NONNULL DAX_WUR;
/* 0 when node @initiator is in @node's access@cls/initiators/; -errno. */
int node_has_initiator(struct dax_ctx *ctx, int node, unsigned int cls,
		       int initiator) DAX_NONNULL DAX_WUR;

/* --------------------------------------------------------------- resize.c */

/*
 * Grow the unbound @kd from @cur bytes (its size, read under the lock) to
 * @size. With a granularity above 2 MiB the kernel's first fit may start a
 * range off that alignment: such a result is undone and the space is
 * claimed in aligned pieces instead.
 */
int grow_dev(struct kdev *kd, uint64_t cur, uint64_t size,
	     uint64_t gran) DAX_NONNULL DAX_WUR;

/* ------------------------------------------------------------ bystander.c */

/* An unbound device with a size, somewhere on the bus. */
struct bystander {
	char name[32];
	int region;
};

/* Every bystander on the bus except @self; *@v malloc'ed. */
int bystanders_list(struct dax_ctx *ctx, const char *self, struct bystander **v,
		    size_t *n) DAX_NONNULL DAX_WUR;
/* Regions locked by bystanders_lock(). */
struct region_set {
	struct dax_region **v;
	size_t n;
};

/*
 * Lock the regions of the bystanders @v other than @self_rid (lock order:
 * lock_other_region()), and list the bystanders again under them (*@v is
 * replaced) until every bystander's region is locked. On failure nothing
 * is held and *@v is freed.
 */
int bystanders_lock(struct dax_ctx *ctx, const char *self, int self_rid,
		    struct bystander **v, size_t *n,
		    struct region_set *set) DAX_NONNULL DAX_WUR;
void bystanders_unlock(struct region_set *set) DAX_NONNULL;
/* Unbind again those that a new_id bound to device_dax; log the others. */
void bystanders_restore(struct dax_ctx *ctx, const char *drv,
			const struct bystander *v, size_t n);
/* Log (LOG_WARNING) those of @v that @cause bound to a driver (@v may be
 * NULL when @n is 0). */
void bystanders_report(struct dax_ctx *ctx, const struct bystander *v, size_t n,
		       const char *cause) __attribute__((nonnull(1, 4)));
/*
 * Whether the bus matches drivers to regions by type, besides the id lists
 * (6.3+), from the drivers that own such regions (bystander.c says why).
 */
bool typed_drivers(struct dax_ctx *ctx) DAX_NONNULL;
/* typed_drivers() as seen for @region's kind, cached in the region. */
bool region_typed(struct dax_region *region) DAX_NONNULL;
/* device_dax answered ENODEV for a device: the bus is typed, whatever the tree
 * says. */
void typed_drivers_seen(struct dax_ctx *ctx) DAX_NONNULL;

/* ----------------------------------------------------------------- bind.c */

/*
 * Bind @kd to @driver (locked, model fresh). @fresh: the device was made
 * by this call and never probed. The device keeps its name: a device_dax
 * EINVAL that an earlier failed probe may explain is returned with a
 * message (destroy and create it). *@renamed is always -1.
 */
int bind_dev(struct kdev *kd, enum dax_driver driver, bool fresh,
	     int *renamed) DAX_NONNULL DAX_WUR;
/*
 * The same for a device that the caller of a create did not name (a new
 * one, or a reused leftover): one that an earlier failed probe poisoned is
 * deleted and re-created, and *@renamed gets the new id (else -1).
 */
int bind_created(struct kdev *kd, enum dax_driver driver, bool fresh,
		 int *renamed) DAX_NONNULL DAX_WUR;
/*
 * Before sizing a new device: find out whether "bind" will match it, and
 * if not, put its name on the driver's id list. *@added tells the caller
 * to call bind_remove_id() when done.
 */
int bind_prepare(struct kdev *kd, enum dax_driver driver,
		 bool *added) DAX_NONNULL DAX_WUR;
void bind_remove_id(struct kdev *kd, enum dax_driver driver) DAX_NONNULL;
/*
 * Take @kd off the id lists and unbind it. A kmem device with a memory
 * block online (read live, right before) is refused (-EBUSY).
 */
int unbind_dev(struct kdev *kd) DAX_NONNULL DAX_WUR;
/*
 * Before binding device_dax to @kd (locked): -EINVAL and a message when a
 * range starts or ends off its align (range_misaligned(), read live);
 * with @force a warning only. 0, or the read's -errno.
 */
int bind_check_aligned(struct kdev *kd, bool force) DAX_NONNULL DAX_WUR;
/*
 * The prologue of a change to one device: lock its region, re-read it, find
 * the device again (by name: *@devp stays the same object) and open it as
 * @kd. -ENODEV, before any lock or write, when *@devp is gone, and when
 * the re-read finds it gone. On failure nothing is held. change_end()
 * closes, re-reads and unlocks, and returns @rc, or the re-read's error
 * when @rc is 0.
 */
int change_begin(struct dax_dev **devp, struct kdev *kd) DAX_NONNULL DAX_WUR;
int change_end(struct dax_region *region, struct kdev *kd,
	       int rc) DAX_NONNULL DAX_WUR;

#endif /* LIBDAX_PRIVATE_H */
