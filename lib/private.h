/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internal interfaces between the library's files. Each object's struct is
 * private to its .c file; other files go through the functions below.
 */
#ifndef LIBDAX_PRIVATE_H
#define LIBDAX_PRIVATE_H

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
/* Scan the bus unless done already. 0 or -errno. */
int ctx_ensure_scanned(struct dax_ctx *ctx) DAX_NONNULL DAX_WUR;
/* The attribute buffer: one page plus one byte to detect truncation. */
char *ctx_buf(struct dax_ctx *ctx, size_t *size) DAX_NONNULL;
struct dax_region **ctx_regions(struct dax_ctx *ctx, size_t *n) DAX_NONNULL;
/* Install a new sorted region array (taking ownership of the array). */
void ctx_set_regions(struct dax_ctx *ctx, struct dax_region **regions,
		     size_t n) DAX_NONNULL;
/* Memory block size, read once per scan. 0 or -errno. */
int ctx_block_size(struct dax_ctx *ctx, uint64_t *size) DAX_NONNULL DAX_WUR;

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
/* *@str gets a malloc'ed copy without the newline. */
int sysfs_read_str(struct dax_ctx *ctx, int dirfd, const char *dir,
		   const char *name, char **str) DAX_NONNULL DAX_WUR;
/* *@target gets the malloc'ed content of the link @dirfd/@name. */
int sysfs_readlink(int dirfd, const char *name,
		   char **target) DAX_NONNULL DAX_WUR;

/* --------------------------------------------------------------- region.c */

struct dax_region *region_new(struct dax_ctx *ctx, char *path, int id,
			      bool class_model) DAX_NONNULL DAX_WUR;
void region_free(struct dax_region *region);
/* Re-read the dax_region/ attributes. 0 or -ENOMEM. */
int region_read(struct dax_region *region) DAX_NONNULL DAX_WUR;
bool region_is_class_model(const struct dax_region *region) DAX_NONNULL;
void region_set_index(struct dax_region *region, size_t idx) DAX_NONNULL;
size_t region_get_index(const struct dax_region *region) DAX_NONNULL;
struct dax_dev **region_devs(struct dax_region *region, size_t *n) DAX_NONNULL;
/* Install a new sorted device array (taking ownership of the array). */
void region_set_devs(struct dax_region *region, struct dax_dev **devs,
		     size_t n) DAX_NONNULL;
/* The device with instance id @id, or NULL. */
struct dax_dev *region_find_dev(struct dax_region *region, int id) DAX_NONNULL;

/* ------------------------------------------------------------------ dev.c */

struct dax_dev *dev_new(struct dax_region *region, char *name, int id,
			char *path) DAX_NONNULL DAX_WUR;
void dev_free(struct dax_dev *dev);
/*
 * (Re-)read the cached attributes and reload what was loaded before
 * (mappings, memory). -ENOENT when the device directory is gone, -ENOMEM.
 */
int dev_read(struct dax_dev *dev) DAX_NONNULL DAX_WUR;
void dev_set_index(struct dax_dev *dev, size_t idx) DAX_NONNULL;
const char *dev_get_path(const struct dax_dev *dev) DAX_NONNULL;
/* Slots for the lazily built children, owned by mapping.c and memory.c. */
struct mapping_set **dev_mapping_slot(struct dax_dev *dev) DAX_NONNULL;
struct dax_memory **dev_memory_slot(struct dax_dev *dev) DAX_NONNULL;

/* -------------------------------------------------------------- mapping.c */

struct mapping_set;
/* Read mappingK/ of @dev (again), keeping objects by K. Errors stay cached. */
int mapping_set_load(struct dax_dev *dev) DAX_NONNULL DAX_WUR;
void mapping_set_free(struct mapping_set *set);
/* True when mappings were loaded successfully (so a refresh reloads). */
bool mapping_set_loaded(const struct mapping_set *set);
/* Start of the range with page_offset 0, for the resource fallback. */
int mapping_first_start(struct dax_dev *dev, uint64_t *start) DAX_NONNULL;

/* --------------------------------------------------------------- memory.c */

void memory_free(struct dax_memory *mem);

/* ----------------------------------------------------------------- scan.c */

/* Discover regions and devices; reconcile with the existing objects. */
int scan_bus(struct dax_ctx *ctx) DAX_NONNULL DAX_WUR;

#endif /* LIBDAX_PRIVATE_H */
