/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Build synthetic sysfs trees in a temporary directory that mirrors "/":
 * <root>/sys/..., <root>/dev/daxR.N. Links are relative, as the kernel's
 * and the capture script's are. Every helper aborts on failure: a broken
 * fixture is not a test result.
 */
#ifndef TREE_H
#define TREE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dax_ctx;

struct tree {
	char *root;
};

/* A new empty tree under $TMPDIR (or /tmp). */
void tree_new(struct tree *t);
/* Remove the tree from disk and free it. */
void tree_free(struct tree *t);

/* Paths are relative to the root, without a leading slash. */
void tree_mkdir(struct tree *t, const char *path);
void tree_write(struct tree *t, const char *path, const char *content);
void tree_write_n(struct tree *t, const char *path, const void *buf,
		  size_t len);
void tree_symlink(struct tree *t, const char *target, const char *path);
void tree_remove(struct tree *t, const char *path);
void tree_chmod(struct tree *t, const char *path, unsigned int mode);

/*
 * A region hosted at @host ("sys/devices/platform/hmem.0"). @dynamic adds
 * create, seed and available_size (seed and available as given).
 */
void tree_region(struct tree *t, const char *host, int id, uint64_t size,
		 bool dynamic, uint64_t available, const char *seed);

struct tree_dev {
	const char *host; /* region host, as for tree_region() */
	int region, id;
	uint64_t size;
	const char *driver; /* NULL: unbound */
	bool no_devnode; /* no <root>/dev/daxR.N */
	bool class_model; /* /sys/class/dax and <host>/dax/daxR.N */
	int target_node; /* < 0: hidden */
	int numa_node;
	uint64_t resource;
	unsigned int major, minor;
};

/* Device directory, bus (or class) link and /dev node. */
void tree_dev(struct tree *t, const struct tree_dev *d);
/*
 * Remove what tree_dev() made for daxR.N below @host (the kernel deleting
 * it): the directory, the bus (or class) link, the drivers' links and the
 * /dev node.
 */
void tree_remove_dev(struct tree *t, const char *host, int region, int id,
		     bool class_model);
/* mappingK/ of the device daxR.N below @host. */
void tree_mapping(struct tree *t, const char *host, int region, int id,
		  unsigned int k, uint64_t start, uint64_t end,
		  uint64_t page_offset);
/*
 * The system's page size (proc/self/smaps) and PMD size (THP's
 * hpage_pmd_size; 0: no THP), which decide the aligns (lib/platform.c).
 */
void tree_platform(struct tree *t, uint64_t page, uint64_t pmd);
/* block_size_bytes (hex, no 0x) */
void tree_block_size(struct tree *t, uint64_t size);
/* memoryN with state and valid_zones */
void tree_memory_block(struct tree *t, uint64_t index, const char *state,
		       const char *valid_zones);

/*
 * Every file and link below the root with its content, except run/ (lock
 * files are not kernel state): malloc'ed, for comparing before and after.
 */
char *tree_snapshot(struct tree *t);

/*
 * A new context on the tree's root, logging LOG_CRIT only (the tests'
 * rejections log at LOG_ERR and would bury the output). The caller
 * drops it with dax_ctx_unref().
 */
struct dax_ctx *tree_ctx(struct tree *t);
/*
 * tree_ctx() logging LOG_ERR and above into tree_logbuf (cleared), for
 * tests that check what a refusal says.
 */
struct dax_ctx *tree_ctx_logged(struct tree *t);

/* malloc'ed printf; aborts on failure */
char *tree_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A log function for dax_ctx_set_log_fn() that appends every message to
 * tree_logbuf (truncated at its size); tests clear it with
 * tree_logbuf[0] = '\0' and look for messages with strstr().
 */
extern char tree_logbuf[8192];
void tree_log_to_buf(struct dax_ctx *ctx, int priority, const char *file,
		     int line, const char *fn, const char *format,
		     va_list args);

#endif /* TREE_H */
