/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the commands that change devices (create, destroy,
 * reconfigure, enable, disable): opening the context, reading the device
 * arguments, selecting devices, and the summary lines.
 *
 * Conventions of these commands:
 *  - Usage errors (bad option values, missing or malformed arguments) print
 *    " Error: ..." and the usage, and exit 129, before anything is read.
 *  - Then every argument is checked against the system (devices named must
 *    exist, regions must be dynamic, sizes must fit) before any write.
 *  - Device commands then work device by device: a failure is reported and
 *    the next device is tried; the result is the last error seen.
 *  - Messages name their subject first ("dax0.1: ...") and say what to do;
 *    a kernel errno is kept as the result, the exit status is -rc & 0xff.
 *  - stderr ends with "<verb> N device(s)", preceded by
 *    "error <verb-ing> devices: <strerror>" when the result is an error.
 */
#ifndef DAXCTL_ACTION_H
#define DAXCTL_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libdax.h>

#include "builtin.h"
#include "filter.h"

/**
 * action_open() - a new context; with @verbose the library logs at
 * LOG_DEBUG. Prints the error. Return: 0 or a negative errno.
 */
int action_open(bool verbose, struct dax_ctx **ctx);

/**
 * parse_devices_args() - the device positionals (daxR.N, R.N, /dev/daxR.N,
 * all; several may be given). Exits 129 with the usage when there is none
 * ('specify a device to <verb>, or "all"') or one is malformed.
 * Return: an array of @argc filters (free() it).
 */
struct dev_filter *parse_device_args(int argc, const char **argv,
				     const struct daxctl_cmd *cmd,
				     const char *verb);

/** parse_region_arg() - -r; exits 129 with the usage if malformed. */
void parse_region_arg(const char *arg, const struct daxctl_cmd *cmd,
		      struct region_filter *rf);

/**
 * parse_size_arg() - -s/-a through parse_size(); exits 129 with the usage
 * if malformed. @opt names the option in the message ("size").
 */
uint64_t parse_size_arg(const char *arg, const char *opt,
			const struct daxctl_cmd *cmd);

/**
 * parse_align_arg() - -a: a size that is 4k, 2m or 1g; exits 129
 * otherwise.
 */
uint64_t parse_align_arg(const char *arg, const struct daxctl_cmd *cmd);

/**
 * select_devices() - the devices of the regions @rf matches that one of
 * the @nf filters matches, in region and id order. A filter naming one
 * device that does not exist (or is outside -r) is an error: every such
 * name is reported, and nothing is returned. With @skip_idle, "all" leaves
 * out zero-sized devices (a named one is kept).
 * Nothing selected at all is an error too ("no matching devices"): a
 * command that did nothing says so, and scripts see it.
 * Return: 0 and a malloc()ed array of *@n > 0 devices in *@devs; -ENODEV;
 * or the error of reading the bus. Every error is printed.
 */
int select_devices(struct dax_ctx *ctx, const struct region_filter *rf,
		   const struct dev_filter *f, int nf, bool skip_idle,
		   struct dax_dev ***devs, size_t *n);

/**
 * dev_vanished() - whether @dev went away after it was selected (a change
 * call's re-read of its region found it destroyed by someone else). Then
 * "daxR.N: No such device" is printed and the caller must not act on it.
 * The object itself stays valid until the context goes (libdax.h).
 */
bool dev_vanished(struct dax_dev *dev);

/** for_each_device() callback: 0 done, or a negative errno (printed). */
typedef int (*device_action_fn)(struct dax_dev *dev, void *arg);

/**
 * call_locked() - run @fn on @dev under its region's lock. Taking the lock
 * re-reads the region, so every check @fn makes (active needs -f, memory
 * online, the state a resize saves for its undo) sees the kernel's state
 * now, and nothing changes it between the check and the change. A device
 * that is gone by then (dev_vanished()) is not acted on.
 * Return: @fn's result; -ENODEV the device is gone; the lock's error.
 * Both printed.
 */
int call_locked(struct dax_dev *dev, device_action_fn fn, void *arg);

/**
 * for_each_device() - the body of a plain device command, after its
 * options were parsed: reads -r (@region) and the device positionals
 * (usage errors exit 129; @verb for the message), opens a context (@verbose
 * logs at LOG_DEBUG), selects the devices (@skip_idle as select_devices())
 * and calls @fn on each in turn (call_locked()), whatever the others gave.
 * *@count gets the
 * number that succeeded.
 * Return: 0, or the last error (of the selection or of @fn).
 */
int for_each_device(int argc, const char **argv, const struct daxctl_cmd *cmd,
		    const char *region, bool verbose, const char *verb,
		    bool skip_idle, device_action_fn fn, void *arg, int *count);

/**
 * finish_action() - the closing lines of a device command: on error
 * "error @gerund devices: <strerror>", then "@done N device(s)".
 * Return: @rc.
 */
int finish_action(const char *gerund, const char *done, int count, int rc);

/**
 * granule_for() - the granularity sizes and ranges must be multiples of,
 * for @dev or (@dev NULL) for a new device of @region:
 * dax_ctx_get_granule() of @align, or when @align is 0 of the device's
 * (the region's) align: max(align, 2 MiB) on x86-64. Unknown (a tree that
 * does not say the page size): the align, and the library's own check
 * decides.
 */
uint64_t granule_for(struct dax_region *region, struct dax_dev *dev,
		     uint64_t align);

/**
 * check_align_arg() - refuse (usage error, exit) an -a value @align, given
 * as @arg, that is not one of the system's aligns (dax_ctx_get_aligns():
 * "must be 4k, 2m or 1g" on x86-64). Where they are unknown the library
 * decides.
 */
void check_align_arg(struct dax_ctx *ctx, uint64_t align, const char *arg,
		     const struct daxctl_cmd *cmd);

/**
 * print_devices() - the JSON of @devs (the list rule of json.h); a device
 * that vanished meanwhile is left out, as dev_vanished() says.
 */
int print_devices(struct dax_dev **devs, size_t n, bool human);

#endif /* DAXCTL_ACTION_H */
