/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdax: an object model over the Linux device-dax bus ("dax bus") sysfs ABI.
 *
 * Objects: context -> regions -> devices -> mappings, plus the memory blocks
 * of a device bound to kmem (system-ram).
 *
 * Rules that hold for every function below unless its comment says otherwise:
 *
 *  - Errors: functions returning int return 0 (or a documented non-negative
 *    value) on success and a negative errno on failure. Functions returning a
 *    pointer return NULL and set errno. Kernel errnos are passed through
 *    unchanged; the library never flattens them. Attribute content that does
 *    not parse strictly (garbage, more than one trailing newline, a NUL,
 *    longer than a page) gives -EINVAL, a value out of range -ERANGE; both
 *    are logged at LOG_ERR with the attribute's path and content.
 *  - Iteration: *_get_first() returns NULL with errno == 0 when the list is
 *    empty, and NULL with errno != 0 when it could not be read. *_get_next()
 *    of a gone object gives the first live object after it in the list's
 *    order (dax_dev_get_next() of a gone dax0.3: the first live device
 *    with id > 3), so a loop whose current object is destroyed goes on;
 *    NULL with errno ENODEV when the parent itself is gone.
 *  - Ownership: the context owns every region, device, mapping and memory
 *    object it hands out. They are borrowed: never free them. Each stays
 *    valid (its memory is never freed) until the last dax_ctx_unref() of
 *    its context; nothing else frees it: not a refresh, not a change call,
 *    not dax_dev_destroy(), not dax_ctx_set_sysfs_root(). Strings returned
 *    are owned by their object; they live as long as it does and keep
 *    their value, except dax_dev_get_driver_name()'s, which lives until
 *    the next scan.
 *  - Lifetime: a handle names a kernel object. A region is known by its
 *    host path, model (bus or class) and id, a device by its region and
 *    instance id, a mapping by its device and K (mappingK), a memory
 *    object by its device. When a scan no longer finds the kernel object,
 *    its handle is marked gone and taken out of iteration, but kept:
 *    int getters return -ENODEV, pointer getters NULL with errno ENODEV,
 *    bool getters false, dax_dev_get_driver() DAX_DRIVER_NONE, a
 *    mapping's getters 0 (errno ENODEV; a live range never has size 0),
 *    a memory object's counts 0. Its name, id, path, context and parent
 *    stay readable. Change calls on a gone handle return -ENODEV before
 *    locking or writing anything. When a kernel object of the same name
 *    appears again (destroyed and re-created, by anyone), the next scan
 *    revives the same handle and it describes the new object, its
 *    attributes read on first use. So a context holds at most one object
 *    per name it has seen, however much churn it watches.
 *    dax_dev_is_gone() and dax_region_is_gone() tell which is the case.
 *  - Caching: a scan (the first enumeration, dax_ctx_refresh(), and the
 *    re-read of a region under its lock, see dax_region_lock_timeout())
 *    lists regions and devices by name only, and decides which handles are
 *    gone. Each attribute is read
 *    from sysfs when its getter is first called after that ("read on first
 *    call"), and cached, like a failure to read it, until the next scan;
 *    each getter says so. Reading nothing up front keeps the cost of a call
 *    independent of the number of devices it does not look at.
 *  - Ordering: regions and devices iterate in ascending id order, mappings in
 *    ascending page_offset order.
 *  - Threads: a context and its objects may be used by one thread at a time.
 *  - Locking: changes run under the region's lock (flock(2) on
 *    <root>/run/libdax/region<ID>.lock), host-wide state under the host
 *    lock (host.lock), region locks in ascending id order and the host
 *    lock last; see dax_region_lock_timeout() and "LOCKING" in libdax(3).
 *    Reads of mappingN/ hold the region's lock file shared (see
 *    dax_mapping_get_first()): on stock kernels such a read beside a
 *    shrink of the same device can hang the kernel for good. This
 *    protects libdax users from each other only, not from other tools.
 */
#ifndef LIBDAX_H
#define LIBDAX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dax_ctx;
struct dax_region;
struct dax_dev;
struct dax_mapping;
struct dax_memory;

/* ---------------------------------------------------------------- context */

/**
 * dax_ctx_new() - create a library context with one reference.
 * @ctx: where to store the new context.
 *
 * The sysfs root defaults to "/" ("/sys" beneath it); the environment
 * variable LIBDAX_SYSFS_ROOT overrides it (for tests on captured trees). The
 * log priority defaults to LOG_ERR; LIBDAX_LOG overrides it with a number
 * (0-7) or one of "err", "warning", "notice", "info", "debug"; an invalid
 * value is logged and ignored. Both variables are read with secure_getenv(),
 * so they are ignored in setuid programs. Nothing is read from sysfs until
 * the first enumeration.
 *
 * Return: 0; -EINVAL if LIBDAX_SYSFS_ROOT is set but not absolute; -ENOMEM.
 */
int dax_ctx_new(struct dax_ctx **ctx);

/** dax_ctx_ref() - take a reference. Return: @ctx. */
struct dax_ctx *dax_ctx_ref(struct dax_ctx *ctx);

/**
 * dax_ctx_unref() - drop a reference; the last one frees the context and
 * every object it ever handed out (and releases its region locks). NULL
 * is accepted and ignored.
 */
void dax_ctx_unref(struct dax_ctx *ctx);

/**
 * dax_ctx_set_sysfs_root() - read the kernel's state below @root instead of
 * "/": @root/sys/bus/dax, @root/sys/devices/..., @root/dev/daxR.N.
 *
 * Every object obtained earlier goes gone (it stays valid, see
 * "Lifetime"); a region or device of the same name below the new root
 * revives it at the next scan. Region locks held are released (their
 * files are below the old root). The path is copied, without trailing
 * slashes. @root is opened at the next
 * enumeration: a missing root then fails it with -ENOENT.
 *
 * Return: 0; -EINVAL if @root is not absolute; -ENOMEM.
 */
int dax_ctx_set_sysfs_root(struct dax_ctx *ctx, const char *root);

/** dax_ctx_get_sysfs_root() - the root in use ("/" by default). */
const char *dax_ctx_get_sysfs_root(const struct dax_ctx *ctx);

/**
 * dax_ctx_refresh() - re-read the kernel's state now.
 *
 * Objects whose kernel object still exists keep their address; their
 * attributes are read again on first call. Objects whose kernel object is
 * gone are marked gone, and gone objects whose name is back are revived
 * (see "Lifetime"). Mappings (mappingK of the same device) and memory
 * objects that were obtained before are re-read now; the memory object of
 * a device no longer bound to kmem goes gone (dax_dev_get_memory()
 * revives it when the device is in kmem again).
 *
 * Return: 0; -ENOMEM; or the negative errno of the first failure to read
 * the dax bus (for example -EACCES, or -ENOENT for a missing sysfs root).
 * A missing dax bus is not an error: it gives an empty list.
 */
int dax_ctx_refresh(struct dax_ctx *ctx);

/**
 * typedef dax_log_fn - log callback.
 * @priority: syslog priority (LOG_ERR ... LOG_DEBUG).
 *
 * Called with errno preserved around it. @format ends with a newline.
 */
typedef void (*dax_log_fn)(struct dax_ctx *ctx, int priority, const char *file,
			   int line, const char *fn, const char *format,
			   va_list args);

/**
 * dax_ctx_set_log_fn() - replace the default logger, which writes
 * "libdax: <function>: <message>" to stderr. NULL restores the default.
 */
void dax_ctx_set_log_fn(struct dax_ctx *ctx, dax_log_fn fn);

/** dax_ctx_get_log_priority() - the current priority threshold. */
int dax_ctx_get_log_priority(const struct dax_ctx *ctx);

/** dax_ctx_set_log_priority() - log messages up to @priority (syslog). */
void dax_ctx_set_log_priority(struct dax_ctx *ctx, int priority);

/** dax_ctx_set_userdata() - store an opaque pointer for callbacks. */
void dax_ctx_set_userdata(struct dax_ctx *ctx, void *userdata);

/** dax_ctx_get_userdata() - the pointer stored by dax_ctx_set_userdata(). */
void *dax_ctx_get_userdata(const struct dax_ctx *ctx);

/* --------------------------------------------------------------- platform */

/*
 * The sizes the kernel's dax bus checks against come from the system the
 * context reads (its sysfs root; for a test tree, the tree), never from
 * x86 constants: the page size, THP's PMD size, the PUD size where the
 * kernel may map devices with it, and memremap_compat_align(). Each call
 * reads them again (one small attribute); they do not change while the
 * system runs. A tree says its page size in <root>/proc/self/smaps
 * ("KernelPageSize:") or, failing that, it is derived from the PMD size.
 */

/**
 * dax_ctx_get_page_size() - the kernel's page size, also the unit of
 * dax_mapping_get_page_offset(). Since LIBDAX_1.1.
 * Return: 0; -ENOENT unknown (a tree that does not say); -EINVAL NULL.
 */
int dax_ctx_get_page_size(struct dax_ctx *ctx, uint64_t *size);

/**
 * dax_ctx_get_aligns() - the device aligns the kernel accepts, ascending:
 * the page size; the PMD size where THP exists (2 MiB on x86-64, 512 MiB
 * on arm64 with 64K pages); 1 GiB (PUD) where the PMD is 2 MiB. *@n gets
 * how many (1 to 3) were stored in @aligns. On arm64 with 4K pages the
 * kernel has no PUD mappings and refuses 1 GiB itself (-EINVAL).
 * Since LIBDAX_1.1.
 * Return: 0; -ENOENT page size unknown; -EINVAL NULL; errnos of the read.
 */
int dax_ctx_get_aligns(struct dax_ctx *ctx, uint64_t aligns[3],
		       unsigned int *n);

/**
 * dax_ctx_get_granule() - the unit that sizes, range lengths and range
 * starts of a device with @align must be multiples of: the larger of
 * @align and memremap_compat_align() (2 MiB; 16 MiB on ppc64 with the hash
 * MMU). Since LIBDAX_1.1.
 * Return: 0; -ENOENT page size unknown; -EINVAL NULL; errnos of the read.
 */
int dax_ctx_get_granule(struct dax_ctx *ctx, uint64_t align, uint64_t *granule);

/**
 * dax_ctx_set_lock_timeout() - how long the calls of @ctx wait for a lock:
 * dax_region_lock(), every change call (they lock their region) and the
 * host lock of dax_dev_to_system_ram(), and the shared lock of mapping
 * reads (dax_mapping_get_first()). @timeout_ms: <0 wait as long as it
 * takes (the default), 0 try once, >0 at most that many milliseconds. A
 * call that could not get its lock returns what dax_region_lock_timeout()
 * returns (-EWOULDBLOCK, -ETIMEDOUT, -EINTR) and changes nothing.
 * Since LIBDAX_1.1.
 */
void dax_ctx_set_lock_timeout(struct dax_ctx *ctx, int timeout_ms);

/**
 * dax_ctx_get_lock_timeout() - the value of dax_ctx_set_lock_timeout(),
 * -1 for "wait" (also for a NULL @ctx). Since LIBDAX_1.1.
 */
int dax_ctx_get_lock_timeout(const struct dax_ctx *ctx);

/* ----------------------------------------------------------------- region */

/**
 * dax_region_get_first() - the region with the lowest id.
 *
 * Scans the dax bus on the context's first enumeration (the bus model,
 * /sys/bus/dax/devices, and the legacy class model, /sys/class/dax).
 *
 * Return: a borrowed region; NULL with errno 0 when there is none; NULL
 * with errno set when the scan failed.
 */
struct dax_region *dax_region_get_first(struct dax_ctx *ctx);

/**
 * dax_region_get_next() - the next live region by id, or NULL (errno 0).
 * From a gone region: the first live region after it.
 */
struct dax_region *dax_region_get_next(struct dax_region *region);

#define dax_region_foreach(ctx, region)                          \
	for (region = dax_region_get_first(ctx); region != NULL; \
	     region = dax_region_get_next(region))

/**
 * dax_region_find() - the region with id @id. Before the first enumeration
 * the region is found from the link of its daxR.0 (the kernel keeps it
 * while the region exists) without scanning the rest of the bus; other
 * regions are scanned by the next enumeration, which keeps the object.
 * Only live regions are found; a gone one of that id is revived when its
 * daxR.0 is back.
 * Return: a borrowed region, or NULL with errno ENOENT (or the scan error).
 */
struct dax_region *dax_region_find(struct dax_ctx *ctx, int id);

/** dax_region_get_ctx() - the owning context. Also of a gone region. */
struct dax_ctx *dax_region_get_ctx(const struct dax_region *region);

/**
 * dax_region_get_id() - the region id R, as in the names daxR.N of its
 * devices (the kernel names them after dax_region/id; a disagreeing
 * attribute is logged as a warning). Cached; also of a gone region.
 */
int dax_region_get_id(const struct dax_region *region);

/**
 * dax_region_get_path() - the sysfs directory of the device hosting the
 * region (the parent of its dax devices), below the sysfs root, for example
 * "/sys/devices/platform/hmem.0". Cached; also of a gone region.
 */
const char *dax_region_get_path(const struct dax_region *region);

/** dax_region_get_devname() - last component of the path ("hmem.0"). */
const char *dax_region_get_devname(const struct dax_region *region);

/**
 * dax_region_is_gone() - true when the last scan did not find the region
 * (see "Lifetime" above). Reads nothing. Since LIBDAX_1.1.
 */
bool dax_region_is_gone(const struct dax_region *region);

/**
 * dax_region_get_size() - dax_region/size in bytes. Read on first call,
 * then cached.
 * Return: 0 and *@size; or the negative errno seen when it was read
 * (-EACCES, -ENOENT, or -EINVAL for unparsable content); -ENODEV when the
 * region is gone (as for every getter below).
 */
int dax_region_get_size(const struct dax_region *region, uint64_t *size);

/**
 * dax_region_get_align() - dax_region/align in bytes. Read on first call,
 * then cached. The kernel makes this attribute 0400, so a non-root caller
 * gets -EACCES.
 * Return: as dax_region_get_size().
 */
int dax_region_get_align(const struct dax_region *region, uint64_t *align);

/**
 * dax_region_get_available_size() - capacity not yet given to any device.
 * Read on first call, then cached. Static regions hide the attribute:
 * -ENOENT.
 * Return: as dax_region_get_size().
 */
int dax_region_get_available_size(const struct dax_region *region,
				  uint64_t *size);

/**
 * dax_region_is_dynamic() - true when devices can be created and resized
 * (the region has a "create" attribute: hmem, CXL RAM), false for static
 * (nvdimm) regions and gone ones. Read on first call, then cached.
 */
bool dax_region_is_dynamic(const struct dax_region *region);

/**
 * dax_region_get_seed() - the device named by dax_region/seed. Read on
 * first call, then cached.
 * Return: a borrowed device; NULL with errno ENOENT when the seed is empty
 * or names no live device; ENODEV when the region is gone; other errno
 * from reading the attribute.
 */
struct dax_dev *dax_region_get_seed(struct dax_region *region);

/* ----------------------------------------------------------------- device */

/**
 * dax_dev_get_first() - the region's live device with the lowest instance
 * id.
 * Return: as dax_region_get_first(); NULL with errno ENODEV when the
 * region is gone.
 */
struct dax_dev *dax_dev_get_first(struct dax_region *region);

/**
 * dax_dev_get_next() - the next live device of the same region by id. From
 * a gone device: the first live device with a higher id, so that a loop
 * goes on when its current device was destroyed meanwhile; NULL with
 * errno ENODEV when the region is gone.
 */
struct dax_dev *dax_dev_get_next(struct dax_dev *dev);

#define dax_dev_foreach(region, dev)                       \
	for (dev = dax_dev_get_first(region); dev != NULL; \
	     dev = dax_dev_get_next(dev))

/**
 * dax_dev_find() - a device by name: "daxR.N", "R.N" or "/dev/daxR.N".
 * Looks in region R as dax_region_find() finds it; the whole bus is
 * scanned only when that region does not have the device. Only live
 * devices are found.
 * Return: a borrowed device; NULL with errno EINVAL for a malformed name,
 * ENOENT when no such device exists, or the scan error.
 */
struct dax_dev *dax_dev_find(struct dax_ctx *ctx, const char *name);

/** dax_dev_get_region() - the region holding @dev (also when gone). */
struct dax_region *dax_dev_get_region(const struct dax_dev *dev);

/** dax_dev_get_ctx() - the owning context (also when gone). */
struct dax_ctx *dax_dev_get_ctx(const struct dax_dev *dev);

/** dax_dev_get_devname() - "daxR.N" (also when gone; it never changes). */
const char *dax_dev_get_devname(const struct dax_dev *dev);

/** dax_dev_get_id() - the instance id N of "daxR.N" (also when gone). */
int dax_dev_get_id(const struct dax_dev *dev);

/**
 * dax_dev_is_gone() - true when the last scan of its region did not find
 * daxR.N (see "Lifetime" above). Reads nothing. Since LIBDAX_1.1.
 */
bool dax_dev_is_gone(const struct dax_dev *dev);

/**
 * dax_dev_get_size() - the device size in bytes. Read on first call, then
 * cached.
 * Return: 0 and *@size, or the negative errno seen when it was read;
 * -ENODEV when @dev is gone (as for every getter below).
 */
int dax_dev_get_size(const struct dax_dev *dev, uint64_t *size);

/**
 * dax_dev_get_align() - the device align in bytes. Read on first call,
 * then cached. Kernels before 5.10 have no such attribute: -ENOENT.
 */
int dax_dev_get_align(const struct dax_dev *dev, uint64_t *align);

/**
 * dax_dev_get_target_node() - the NUMA node the memory joins as
 * system-ram. Read on first call, then cached. The kernel hides the
 * attribute when the node is unknown (< 0): -ENOENT.
 */
int dax_dev_get_target_node(const struct dax_dev *dev, int *node);

/**
 * dax_dev_get_numa_node() - the device's own NUMA node; may be -1. Read on
 * first call, then cached.
 */
int dax_dev_get_numa_node(const struct dax_dev *dev, int *node);

/**
 * dax_dev_get_resource() - physical start of the first-allocated range.
 * Read on first call, then cached. The attribute is 0400: -EACCES for
 * non-root callers; then the start of the mapping with page_offset 0 is
 * used when mappings are readable.
 */
int dax_dev_get_resource(const struct dax_dev *dev, uint64_t *start);

/**
 * dax_dev_get_devnum() - major and minor of /dev/daxR.N, from the sysfs
 * "dev" attribute. Read on first call, then cached.
 * Return: 0; -ENOENT when the node @root/dev/daxR.N does not exist (no
 * udev, containers): the device is still listed; the errno of reading or
 * parsing "dev".
 */
int dax_dev_get_devnum(const struct dax_dev *dev, unsigned int *major,
		       unsigned int *minor);

/** enum dax_driver - the driver a device is bound to. */
enum dax_driver {
	DAX_DRIVER_NONE = 0, /* unbound ("disabled") */
	DAX_DRIVER_DEVICE_DAX, /* device_dax: /dev/daxR.N usable */
	DAX_DRIVER_KMEM, /* kmem: memory hot-plugged as system-ram */
	DAX_DRIVER_OTHER, /* any other driver (e.g. fsdev_dax) */
};

/**
 * dax_dev_get_driver() - the bound driver, from the "driver" link. Read
 * on first call, then cached.
 * Devices of the legacy class model (/sys/class/dax) exist only while
 * device_dax drives them: they always report DAX_DRIVER_DEVICE_DAX. A gone
 * device reports DAX_DRIVER_NONE.
 */
enum dax_driver dax_dev_get_driver(const struct dax_dev *dev);

/**
 * dax_dev_get_driver_name() - the bound driver's name ("device_dax",
 * "kmem", ...), or NULL when unbound (errno unchanged) or gone (errno
 * ENODEV). As dax_dev_get_driver(); the string lives until the next scan.
 */
const char *dax_dev_get_driver_name(const struct dax_dev *dev);

/** dax_dev_is_enabled() - true when any driver is bound. As above. */
bool dax_dev_is_enabled(const struct dax_dev *dev);

/** dax_dev_is_system_ram() - true when bound to kmem. As above. */
bool dax_dev_is_system_ram(const struct dax_dev *dev);

/* ---------------------------------------------------------------- mapping */

/**
 * dax_mapping_get_first() - the range with the lowest page_offset. The
 * mappingN/ files are 0400: a non-root caller gets NULL, errno EACCES.
 * Read on the first call (lazily) and cached, like a failure to read them,
 * until dax_ctx_refresh(). Kernels before 5.10 have no mappingN/: the list
 * is empty. A reload keeps the object of each mappingK: one that went is
 * gone (its getters read 0), one that is back is revived.
 *
 * Locking: on stock kernels (6.1, 6.12) reading mappingN/ while the same
 * device shrinks or is destroyed can hang the kernel for good. So the
 * read (here, in a refresh that reloads mappings, and in every call that
 * reads ranges: memory, dax_dev_get_resource()'s fallback, change calls,
 * dax_region_plan_colors()) holds the region lock file shared (LOCK_SH),
 * which libdax changes hold exclusively: a libdax read never overlaps a
 * libdax shrink or destroy of the region. Readers do not exclude each
 * other. It protects libdax users from each other only: other tools
 * reading or shrinking are not excluded. A thread that holds the region
 * lock (any context) reads without more locking. The wait follows the
 * context's lock timeout (dax_ctx_set_lock_timeout()) and lock order
 * (holding a higher region lock or the host lock, it only tries). A read
 * that cannot get the lock reads nothing and fails with the lock's errno,
 * not cached (the next call tries again): reading anyway could hang the
 * kernel, an error is only a retry. When the lock file cannot be opened
 * (an ordinary user; no writable <root>/run) the read is unguarded. A
 * missing lock file is made on the running system (sysfs root "/"), as a
 * change makes it; below another root (a test tree) a read writes
 * nothing, and reads unguarded until a change has made it.
 *
 * Return: as dax_region_get_first(); NULL with errno ENODEV when @dev is
 * gone; errno EWOULDBLOCK, ETIMEDOUT or EINTR as dax_region_lock_timeout()
 * when the region's lock could not be had, EDEADLK out of lock order.
 */
struct dax_mapping *dax_mapping_get_first(struct dax_dev *dev);

/**
 * dax_mapping_get_next() - the next live range by page_offset. From a gone
 * range: the first live one after where it was; NULL with errno ENODEV
 * when the device is gone.
 */
struct dax_mapping *dax_mapping_get_next(struct dax_mapping *mapping);

#define dax_mapping_foreach(dev, mapping)                           \
	for (mapping = dax_mapping_get_first(dev); mapping != NULL; \
	     mapping = dax_mapping_get_next(mapping))

/** dax_mapping_get_dev() - the device the range belongs to (also gone). */
struct dax_dev *dax_mapping_get_dev(const struct dax_mapping *mapping);

/**
 * dax_mapping_get_start() - physical start address. As every getter of a
 * range that is gone (or whose device is): 0, with errno ENODEV.
 */
uint64_t dax_mapping_get_start(const struct dax_mapping *mapping);

/** dax_mapping_get_end() - physical end address, inclusive. */
uint64_t dax_mapping_get_end(const struct dax_mapping *mapping);

/**
 * dax_mapping_get_page_offset() - the range's offset inside the device in
 * the kernel's pages (dax_ctx_get_page_size(); 4 KiB on x86-64), as the
 * kernel reports it. The one exception: a range as long
 * as the device is its only one and starts at offset 0, so its page_offset
 * is not read (one sysfs read in three saved per single-range device).
 */
uint64_t dax_mapping_get_page_offset(const struct dax_mapping *mapping);

/** dax_mapping_get_size() - end - start + 1. */
uint64_t dax_mapping_get_size(const struct dax_mapping *mapping);

/* ----------------------------------------------------------------- memory */

/**
 * dax_dev_get_memory() - the memory blocks of a device bound to kmem.
 *
 * The blocks are derived from the device's mappings (before 5.10: from
 * resource and size), so a non-root caller gets EACCES.
 *
 * A device has one memory object: it goes gone with the device, or when
 * a refresh finds the device out of kmem (its counts read 0, its calls
 * -ENODEV), and this call revives it (re-read) once the device is
 * system-ram again.
 * Return: a borrowed object; NULL with errno ENODEV when @dev is not
 * system-ram or is gone, or another errno when the memory blocks cannot
 * be found (EACCES, or ENOENT without /sys/devices/system/memory).
 */
struct dax_memory *dax_dev_get_memory(struct dax_dev *dev);

/** dax_memory_get_dev() - the owning device. */
struct dax_dev *dax_memory_get_dev(const struct dax_memory *mem);

/**
 * dax_memory_refresh() - read the state of each of the device's memory
 * blocks (one pass over its ranges). The getters below return the values of
 * the last refresh; dax_dev_get_memory() does a first refresh.
 * Return: 0 or a negative errno; -ENODEV when @mem is gone.
 */
int dax_memory_refresh(struct dax_memory *mem);

/**
 * dax_memory_get_block_size() - the memory block size in bytes. As every
 * count below: 0 when @mem is gone.
 */
uint64_t dax_memory_get_block_size(const struct dax_memory *mem);

/**
 * dax_memory_get_num_blocks() - memory blocks (memoryN) that exist and lie
 * wholly inside one of the device's ranges. kmem hot-adds only whole blocks
 * of each range, so a block a range covers partly is never the device's.
 */
unsigned int dax_memory_get_num_blocks(const struct dax_memory *mem);

/** dax_memory_get_num_online() - blocks currently online. */
unsigned int dax_memory_get_num_online(const struct dax_memory *mem);

/**
 * dax_memory_is_movable() - 1 when every block is online in ZONE_MOVABLE,
 * 0 when every block is online and some are not movable, -EAGAIN when some
 * block is offline or going offline (the zone is then undefined), -ENOENT
 * when the device has no blocks, -ENODEV when @mem is gone, or the errno
 * of reading a block's valid_zones.
 */
int dax_memory_is_movable(const struct dax_memory *mem);

/**
 * enum dax_online - how hot-plugged memory is onlined.
 */
enum dax_online {
	DAX_ONLINE_NONE = 0, /* leave it offline */
	DAX_ONLINE_MOVABLE, /* ZONE_MOVABLE ("online_movable") */
	DAX_ONLINE_KERNEL, /* a kernel zone, ZONE_NORMAL ("online_kernel") */
	DAX_ONLINE_AUTO, /* the kernel's choice ("online"); policy only */
};

/**
 * dax_ctx_get_auto_online() - the kernel's policy for hot-added memory,
 * read live from /sys/devices/system/memory/auto_online_blocks: "offline"
 * is DAX_ONLINE_NONE, "online" DAX_ONLINE_AUTO, "online_kernel"
 * DAX_ONLINE_KERNEL, "online_movable" DAX_ONLINE_MOVABLE.
 * Return: the enum dax_online value (>= 0); -EINVAL unknown content;
 * errnos of the read (-ENOENT without memory hotplug).
 */
int dax_ctx_get_auto_online(struct dax_ctx *ctx);

/**
 * dax_auto_online_differs() - whether hot-plugging memory under @policy (a
 * value of dax_ctx_get_auto_online()) onlines it otherwise than @how asks:
 * "offline" never does; "online" (the kernel's zone) does unless @how is
 * DAX_ONLINE_KERNEL; "online_kernel" and "online_movable" unless @how is
 * the same. dax_dev_to_system_ram() refuses such a policy with -EBUSY
 * unless DAX_MODE_HOLD_POLICY. Pure: reads nothing.
 * Return: 1 it differs, 0 it does not.
 */
int dax_auto_online_differs(int policy, enum dax_online how);

/**
 * dax_memory_online() - online every offline block of the device, in the
 * zone @how asks (DAX_ONLINE_MOVABLE or DAX_ONLINE_KERNEL; the kernel
 * refuses a zone the block cannot join with EINVAL). Blocks already online
 * are left as they are, whatever their zone. All or nothing: when a write
 * fails, the blocks this call onlined are offlined again. A write that
 * fails while the block did get online (another agent, e.g. a udev rule,
 * raced us) counts as done when the zone is the one asked for.
 * Locking: runs under the region lock (dax_region_lock(), with the
 * context's timeout), which re-reads the region; the device must still be
 * bound to kmem then, and @mem still its memory object.
 * The counts are refreshed before and after.
 * Return: the number of blocks this call onlined (>= 0); -EINVAL bad @how;
 * -ENODEV @mem is gone, or the device is no longer system-ram (kmem was
 * unbound since; @mem is then gone); -EBUSY a block raced online in the
 * other zone; the lock's errors; the kernel's errno.
 */
int dax_memory_online(struct dax_memory *mem, enum dax_online how);

/**
 * dax_memory_offline() - offline every online block of the device.
 * All or nothing: when a block cannot be offlined (EBUSY: it holds
 * unmovable kernel memory), the blocks this call offlined are onlined
 * again in the zones they had, so the device is never left partly
 * offline. Locking as dax_memory_online(). The counts are refreshed
 * before and after.
 * Return: the number of blocks this call offlined (>= 0); -ENODEV as for
 * dax_memory_online(); the lock's errors; the kernel's errno (the block
 * that failed is logged at LOG_ERR).
 */
int dax_memory_offline(struct dax_memory *mem);

/* ----------------------------------------------------------------- change */
/*
 * Every function in this section changes the kernel's state. Shared rules:
 *
 *  - Validation first: arguments are checked against the cached model
 *    (granularity dax_ctx_get_granule(), free capacity, range bounds, bound
 *    state) before anything is written; a rejected call writes nothing.
 *  - Locking: each call holds the region lock (see dax_region_lock()) for
 *    its whole sequence of writes, so concurrent libdax users (other
 *    processes included) never interleave; it waits for the lock as the
 *    context's timeout says (dax_ctx_set_lock_timeout(); -EWOULDBLOCK,
 *    -ETIMEDOUT, -EINTR when it could not have it, with nothing changed).
 *    Its preconditions are re-read and re-checked under the lock. Tools
 *    that do not use libdax are not excluded.
 *  - Read back: after writing, the touched objects are re-read; a value the
 *    kernel silently ignored or rounded is an error (-EIO). A size write
 *    the kernel accepted is not read back (it accepts only a whole
 *    allocation); a failed one is, and what it left is undone.
 *  - Transactions: a failed call undoes what it did (a created device is
 *    deleted, a size or binding restored), so the region is left as the
 *    call found it. When undo itself fails the call returns its original
 *    error and logs what is left at LOG_ERR.
 *  - Errors carry the kernel's real errno (EBUSY, ENOSPC, EINVAL, ENXIO,
 *    ...); -EPERM/-EACCES when not privileged; -EOPNOTSUPP for a static
 *    (pmem) or class-model region; -ENODEV when the device (or region) is
 *    gone, or the driver's module is not loaded and cannot be. A handle
 *    already gone gives -ENODEV before any lock or write; one found gone
 *    by the re-read under the lock gives -ENODEV before any write.
 *  - Modules: a driver whose directory is missing is loaded in-process
 *    through libkmod, never by running a program, and only when the sysfs
 *    root is "/": kmem by dax_dev_to_system_ram(), device_dax by
 *    dax_dev_enable(), dax_dev_to_devdax() and the create calls. The
 *    system's modprobe.d applies as for "modprobe -b": a blacklisted module
 *    gives -EPERM, and so does an "install" command (never run); a module
 *    the running kernel's index does not know gives -ENODEV; a failed load
 *    its errno (-ENOENT: the module's file is missing; -EPERM: no
 *    CAP_SYS_MODULE, or module loading disabled). libkmod's own messages go
 *    to the context's log function at their priority. The environment
 *    (MODPROBE_OPTIONS, KMOD_LOG) changes nothing. Devices other than the
 *    call's that loading device_dax binds (6.1 binds every unbound device
 *    with a size) are unbound again.
 *  - Objects: the region is re-read when the call has the lock (so checks
 *    see the current state, not an old cache; see dax_region_lock_timeout()
 *    for when its devices are listed again) and its model is brought up to
 *    date at the end: every attribute is read anew on first call. Every
 *    handle stays valid; devices of the region that vanished meanwhile are
 *    marked gone, and ones of the same name that appeared are revived (see
 *    "Lifetime"). Only the devices the call works on are read: in the
 *    steady state of one agent, a create or destroy costs the same system
 *    calls whatever the number of devices.
 *  - Writes: numbers in decimal, ranges as "0x<start>-0x<end>", one
 *    write(2) per attribute; a write failing with EINTR (6.9+) is retried
 *    twice.
 *  - Region bounds: sysfs has no attribute for a region's start. It is
 *    taken from the "resource" of a zero-size device of the region (the
 *    kernel reports the region start there), else from the region host's
 *    entry in <root>/proc/iomem ("hmem.N"). When neither is readable,
 *    explicit ranges are checked against the other devices' ranges only
 *    and the kernel's ENOMEM answers a range outside the region.
 *  - Leftovers: a zero-size, unbound device other than daxR.0 is taken to
 *    be left by a crashed run; creation reuses it before writing
 *    "create". A reused device that fails is put back at size 0.
 */

/**
 * struct dax_range - a physical address range, end inclusive (as the
 * kernel's mappingN/start and end).
 */
struct dax_range {
	uint64_t start;
	uint64_t end;
};

/**
 * dax_region_lock_timeout() - take the region's exclusive lock: flock(2)
 * on <root>/run/libdax/region<ID>.lock, created as needed (the directory
 * 0755, the file 0600). See "Locking" in libdax(3) for the whole model.
 * @timeout_ms: <0 wait as long as it takes; 0 try once; >0 wait at most
 *              that many milliseconds.
 *
 * Recursive: within the region object (context), and within the calling
 * thread across contexts (a second context of the same thread taking the
 * same lock counts one more level instead of deadlocking on its own
 * lock). Another thread, like another process, waits. Use it to group
 * several calls (disable, resize, enable) and the checks that decide them
 * into one critical section; single calls lock by themselves.
 *
 * Taking the lock (depth 0 to 1 for this region object) re-reads the
 * region: its and its devices' attributes are read anew on first call, so
 * checks made under the lock see the kernel's current state, not an older
 * cache. Its devices are listed again (handles marked gone or revived)
 * unless the region's available_size, seed and youngest device ("create")
 * are what this context last read or left by its own change calls: a
 * device can appear only through "create", which names it in one of them,
 * and gain or give back capacity only through available_size. The one
 * change that goes unseen is another tool deleting a zero-size device that
 * is neither seed nor youngest; dax_ctx_refresh() always lists. It also
 * restores the
 * auto-online policy left held by a libdax user that died (see
 * DAX_MODE_HOLD_POLICY).
 *
 * Signals: the untimed wait (<0) is flock(2)'s: a signal whose handler
 * was installed without SA_RESTART ends it with -EINTR; with SA_RESTART
 * it goes on waiting. The timed wait (>0) polls, and any handled signal
 * ends it with -EINTR (as with poll(2), whatever SA_RESTART).
 *
 * Lock order: region locks in ascending id order, the host lock last.
 * flock(2) semantics: a child forked while the lock is held shares it.
 * Refreshes keep the lock, also when the region goes gone; the last
 * dax_ctx_unref() and dax_ctx_set_sysfs_root() release it.
 *
 * Return: 0; -EWOULDBLOCK (== -EAGAIN) when @timeout_ms is 0 and another
 * holder has it; -ETIMEDOUT when the time ran out; -EINTR as above; the
 * re-read's errno; a negative errno from mkdir, open or flock.
 * Since LIBDAX_1.1.
 */
int dax_region_lock_timeout(struct dax_region *region, int timeout_ms);

/**
 * dax_region_lock() - dax_region_lock_timeout() with the context's lock
 * timeout (dax_ctx_set_lock_timeout(); by default: wait).
 * Return: as dax_region_lock_timeout().
 */
int dax_region_lock(struct dax_region *region);

/** dax_region_unlock() - release one level of dax_region_lock(). */
void dax_region_unlock(struct dax_region *region);

/** Flags for dax_region_create_dev(). */
enum dax_create_flags {
	DAX_CREATE_NO_ENABLE = 1 << 0, /* leave the new device unbound */
};

/**
 * dax_region_create_dev() - create one device.
 * @size: bytes; 0 means all of the region's available capacity (rounded
 *        down to the granularity).
 * @align: one of dax_ctx_get_aligns() (4096, 2 MiB or 1 GiB on x86-64);
 * 0 keeps the kernel's default.
 * @ranges: NULL, or @nr_ranges exact ranges claimed in this order (their
 *          lengths must add up to @size, or @size is 0).
 * @flags: enum dax_create_flags.
 * @dev: where to store the new, borrowed device (may be NULL). When its
 *       name was used before, this is the object of that name, revived.
 *
 * The new device is told apart by comparing the region's device list before
 * and after the write to "create", never by trusting "seed". A zero-size,
 * unbound device other than daxR.0 left by an earlier crashed run is
 * reused instead of making another; if an earlier failed probe left it
 * unable to bind (a 6.1 defect), it is deleted and made again, and the new
 * device may have another name. Enabling binds device_dax without
 * re-probing any other device (see dax_dev_enable()). With an align above
 * the kernel's unit (1 GiB on x86-64, 512 MiB on arm64/64K) every range
 * starts on an align boundary: where the kernel's first fit would not, the
 * ranges are placed explicitly. Explicit @ranges must
 * be aligned to dax_ctx_get_granule(), free, inside the region and disjoint.
 *
 * Return: 0; -EINVAL bad size/align/ranges; -ENOSPC not enough capacity;
 * -EOPNOTSUPP static region; -ENODEV gone region; other kernel errnos.
 */
int dax_region_create_dev(struct dax_region *region, uint64_t size,
			  uint64_t align, const struct dax_range *ranges,
			  unsigned int nr_ranges, unsigned int flags,
			  struct dax_dev **dev);

/**
 * dax_region_create_devs() - create @count devices of @size bytes each in
 * one locked transaction: all of them, or none (every device made so far is
 * destroyed on failure). @devs, if not NULL, receives @count pointers
 * (all NULL on failure). @size 0 means all available capacity and is
 * allowed only with @count 1.
 * Return: as dax_region_create_dev(); -EINVAL for @count 0; -ENOSPC when
 * @count * @size exceeds the available capacity (checked before any
 * write).
 */
int dax_region_create_devs(struct dax_region *region, unsigned int count,
			   uint64_t size, uint64_t align, unsigned int flags,
			   struct dax_dev **devs);

/**
 * dax_dev_destroy() - disable (if enabled), shrink to 0 and delete @dev.
 * The kernel never deletes daxR.0: it is shrunk to 0 and 0 is returned.
 * @dev stays valid: after success it is gone (dax_dev_is_gone(); daxR.0
 * stays live), until a device of its name is made again. On failure the
 * ranges and the binding are restored.
 * Return: 0; -EBUSY when @dev is system-ram with memory online; -ENODEV
 * @dev is gone; errnos.
 */
int dax_dev_destroy(struct dax_dev *dev);

/**
 * dax_dev_set_size() - resize a disabled device (grow or shrink).
 *
 * Growing takes the lowest free addresses first (the kernel's first fit),
 * so the device may gain ranges; shrinking trims the last ranges in
 * page_offset order. A grow that fails part-way is shrunk back.
 * Return: 0; -EBUSY when enabled; -EINVAL not a multiple of the
 * granularity; -ENOSPC growth beyond the available capacity (or, with a
 * 1 GiB align, beyond the free space in aligned pieces); errnos.
 */
int dax_dev_set_size(struct dax_dev *dev, uint64_t size);

/**
 * dax_dev_set_align() - set the align of a disabled device: one of
 * dax_ctx_get_aligns(); every existing range's start and length must be
 * multiples of dax_ctx_get_granule() (the kernel checks only lengths).
 * Return: 0; -EBUSY when enabled; -EINVAL; errnos.
 */
int dax_dev_set_align(struct dax_dev *dev, uint64_t align);

/**
 * dax_dev_add_range() - append the exact physical range @range to a
 * disabled device. Start and length must be multiples of the granule
 * (the kernel checks only the length), and it must be free and inside the
 * region.
 * Return: 0; -EBUSY when enabled; -EINVAL misaligned or outside the region;
 * -ENOMEM overlaps another allocation (the kernel's errno); errnos.
 */
int dax_dev_add_range(struct dax_dev *dev, const struct dax_range *range);

/**
 * dax_dev_enable() - bind @dev to @driver (DAX_DRIVER_DEVICE_DAX here;
 * DAX_DRIVER_KMEM is the system-ram path; onlining memory is not part of
 * it). Uses the driver's "bind" where the kernel allows it and "new_id"
 * only where bind answers ENODEV (kmem on 6.1; device_dax on 6.3+ for
 * kmem-typed regions). A device that the new_id re-probe bound is unbound
 * again, and the name is taken off the id list at once, so no later probe
 * binds it. Since "new_id" hides probe errors, "bind" is written again to
 * learn the errno. A kmem new_id that could hot-plug an unbound device of
 * another region (6.3+) is refused with -EBUSY. @dev keeps its name and
 * identity: a device that a failed device_dax probe left unable to bind
 * (EINVAL ever after; a 6.1 kernel defect) is not re-created behind the
 * caller's back. The kernel's -EINVAL is returned and the log says what
 * happened; the remedy is dax_dev_destroy() and a new create (for daxR.0,
 * a region reset). device_dax is loaded when its driver is missing; kmem
 * is not (that is dax_dev_to_system_ram()'s, which checks what loading it
 * would take). A misaligned device (dax_dev_is_misaligned(), read again
 * under the lock) is refused in device_dax with -EINVAL before any write;
 * dax_dev_enable_flags() can force it.
 * Return: 0 (also when already bound to @driver); -EBUSY bound to another
 * driver; -ENXIO zero size; -ENODEV kmem not loaded; -EINVAL misaligned
 * (device_dax); the module load's errnos (see "Modules" above); errnos
 * from the probe (-EINVAL also for a device poisoned by an earlier failed
 * probe).
 */
int dax_dev_enable(struct dax_dev *dev, enum dax_driver driver);

/**
 * dax_dev_enable_flags() - dax_dev_enable() with @flags: 0, or
 * DAX_MODE_MISALIGNED to bind device_dax to a misaligned device anyway
 * (logged at LOG_WARNING). Since LIBDAX_1.1.
 * Return: as dax_dev_enable(); -EINVAL for another flag.
 */
int dax_dev_enable_flags(struct dax_dev *dev, enum dax_driver driver,
			 unsigned int flags);

/**
 * dax_dev_is_misaligned() - whether a range of @dev starts or ends off
 * the device's align. The kernel checks only range lengths against the
 * align (size, mapping and align writes alike; stock 6.1 and 6.12), so
 * another tool can make such a device, for example upstream daxctl 76.1's
 * "create-device -s 1G -a 1G" beside a 2 MiB device. device_dax's faults
 * of the align's size map the physical address rounded down to that size:
 * a misaligned device bound to device_dax maps memory outside its ranges,
 * another device's or the System RAM below the region, to whoever opens
 * it. libdax never makes one: its placements start and end on multiples
 * of dax_ctx_get_granule(), and dax_dev_set_align() refuses an align its
 * ranges are not aligned to. dax_dev_enable() and dax_dev_to_devdax()
 * refuse to bind device_dax to one unless forced (DAX_MODE_MISALIGNED);
 * kmem, which hot-plugs exactly the ranges, is not concerned.
 * From the cached align and mappings (dax_mapping_get_first(): read on
 * first use, 0400 for non-root). Since LIBDAX_1.1.
 * Return: 1 misaligned; 0 not (also with no ranges, and before 5.10,
 * without an align attribute); -ENODEV gone; -EINVAL NULL; the errno of
 * reading the align or the mappings (-EACCES for non-root).
 */
int dax_dev_is_misaligned(struct dax_dev *dev);

/**
 * dax_dev_disable() - unbind @dev and take its name off the new_id lists
 * of device_dax and kmem (also when it is already unbound: a name another
 * tool left there would bind it again at the next probe). Refuses a
 * system-ram device with online memory.
 * Return: 0 (also when already unbound); -EBUSY memory online; errnos.
 */
int dax_dev_disable(struct dax_dev *dev);

/* ------------------------------------------------------------- system-ram */

/**
 * Flags for dax_dev_to_system_ram(), dax_dev_to_devdax() and
 * dax_dev_enable_flags().
 */
enum dax_mode_flags {
	/*
	 * When the kernel's auto-online policy would online the new memory
	 * other than asked (see dax_dev_to_system_ram()), set the policy to
	 * "offline" while hot-plugging and write the old value back after.
	 * Without it such a call fails with -EBUSY before any write.
	 */
	DAX_MODE_HOLD_POLICY = 1 << 0,
	/*
	 * Load kmem even though, on 6.3+, loading it hot-plugs other
	 * unbound devices with a size (they are logged at LOG_WARNING).
	 * Without it such a call fails with -EBUSY, naming them at LOG_ERR.
	 */
	DAX_MODE_LOAD_ANYWAY = 1 << 1,
	/* dax_dev_to_devdax(): offline online memory first (else -EBUSY). */
	DAX_MODE_OFFLINE = 1 << 2,
	/*
	 * dax_dev_to_system_ram() from a child PID namespace (a container),
	 * whose /proc cannot show every process: go on although a process
	 * outside it may have the device open (logged at LOG_WARNING).
	 * Without it such a call fails with -EBUSY before any write.
	 */
	DAX_MODE_UNSEEN_USERS = 1 << 3,
	/*
	 * dax_dev_to_devdax() and dax_dev_enable_flags(): bind device_dax
	 * even to a misaligned device (see dax_dev_is_misaligned()), with a
	 * warning. Without it such a call fails with -EINVAL before any
	 * write. Since LIBDAX_1.1.
	 */
	DAX_MODE_MISALIGNED = 1 << 4,
};

/**
 * dax_dev_to_system_ram() - hand @dev to the kernel as System-RAM: unbind
 * device_dax, bind kmem (when its driver is missing, loading the kmem
 * module in-process through libkmod; see "Modules" above),
 * check the driver link (new_id hides probe errors), then online the
 * memory as @how asks (DAX_ONLINE_NONE: leave it offline).
 *
 * Checked before any write: @dev is devdax, unbound with a size, or
 * already system-ram (then only the onlining is done; blocks already
 * online in another zone than asked give -EBUSY); it has a target node
 * (-EINVAL otherwise: kmem would refuse it); its ranges cover at least one
 * whole memory block (-EINVAL); it is not open (through any node of its
 * device number) or mapped by any process (-EBUSY: unbinding device_dax
 * would pull the memory from under it), and from a child PID namespace,
 * where that cannot be known, -EBUSY unless DAX_MODE_UNSEEN_USERS; the
 * auto-online policy would not online the memory differently from @how
 * (policy "offline", or the zone asked; "online" is accepted with
 * DAX_ONLINE_KERNEL): otherwise -EBUSY unless DAX_MODE_HOLD_POLICY; and,
 * when kmem must be loaded on 6.3+, no other unbound device with a size
 * exists (-EBUSY unless DAX_MODE_LOAD_ANYWAY).
 *
 * The policy is read, and with DAX_MODE_HOLD_POLICY held at "offline"
 * while kmem is bound and written back, under the host lock
 * (<root>/run/libdax/host.lock, taken after the region lock, waiting as
 * the context's lock timeout says). The value it replaces is journaled in
 * <root>/run/libdax/auto_online_blocks.saved first; if the process dies
 * inside the hold, the next libdax user to take a region lock restores the
 * policy from the journal (see dax_region_lock_timeout()).
 *
 * Transactional: on failure @dev gets its driver back (memory onlined by
 * the call is offlined first) and the policy its value.
 * Return: 0; the errnos above; -ENODEV kmem missing and unknown to the
 * running kernel's module index; -EPERM or -ENOENT and the other errnos
 * of a module load (see "Modules" above); the kernel's errnos.
 */
int dax_dev_to_system_ram(struct dax_dev *dev, enum dax_online how,
			  unsigned int flags);

/**
 * dax_dev_to_devdax() - give a system-ram @dev back to device_dax: offline
 * its memory (only with DAX_MODE_OFFLINE; online memory without it is
 * -EBUSY), unbind kmem, bind device_dax. kmem is never unbound while a
 * block is online (on 6.1 that leaks the range until reboot): the blocks
 * are read again, live, right before the unbind. If a block
 * cannot be offlined, every block is onlined again in its zone and @dev
 * stays entirely system-ram. If device_dax cannot bind, kmem is bound again
 * and the memory onlined as before. An unbound @dev is enabled; a devdax
 * @dev is left alone. A misaligned @dev is refused before any write
 * unless DAX_MODE_MISALIGNED.
 * Return: 0; -EBUSY memory online (or not offlinable); -EINVAL misaligned;
 * the kernel's errnos.
 */
int dax_dev_to_devdax(struct dax_dev *dev, unsigned int flags);

/* -------------------------------------------------------------- placement */
/*
 * What the kernel reports about the performance of a NUMA node's memory
 * (ACPI HMAT; Documentation/admin-guide/mm/numaperf.rst), and a planner
 * that turns a placement request into ranges of a region, for
 * dax_region_create_dev(). Nothing here writes to sysfs or takes a lock.
 * The node figures and the planner's inputs (cache, region bounds, ranges
 * in use) are read again on every call; only the region's target node is
 * the devices' cached target_node (dax_region_get_target_node()), so the
 * functions need no refresh and cost a few small reads. A planned list is a
 * snapshot; dax_region_create_dev() checks it again under the region
 * lock, so plan under dax_region_lock() when the plan must still hold
 * when it is used. The structs below are fixed as they are in LIBDAX_1.1:
 * a new field will come with a new function, never by growing them.
 */

/**
 * struct dax_node_cache - one memory-side cache in front of a node's
 * memory: <root>/sys/devices/system/node/nodeN/memory_side_cache/indexL/.
 * @level:        L, as the firmware's HMAT numbers the levels (from 1,
 *                next to the memory).
 * @size:         bytes.
 * @line_size:    bytes.
 * @indexing:     as sysfs: 0 direct-mapped, 1 indexed (complex).
 * @write_policy: as sysfs: 0 write-back, 1 write-through, 2 other.
 */
struct dax_node_cache {
	unsigned int level;
	uint64_t size;
	uint64_t line_size;
	int indexing;
	int write_policy;
};

/**
 * dax_ctx_get_node_cache() - read the memory-side cache of level @level
 * of node @node; @level 0 means the lowest level the node has. The kernel
 * numbers the levels from the memory towards the CPU (numaperf.rst: level
 * 1 is next to the memory, the highest level is "near memory"), the
 * reverse of CPU caches.
 * Since LIBDAX_1.1.
 * Return: 0; -ENOENT no such node, or no such cache (the firmware
 * describes none, or the kernel lacks CONFIG_HMEM_REPORTING); -EINVAL
 * NULL, a negative @node, a @level above 15 (HMAT has 1 to 3), or an
 * attribute that does not parse;
 * errnos of the read.
 */
int dax_ctx_get_node_cache(struct dax_ctx *ctx, int node, unsigned int level,
			   struct dax_node_cache *cache);

/**
 * struct dax_node_access - performance of a node's memory seen from its
 * best initiators: nodeN/accessC/initiators/ (C 0: any initiator; 1: CPUs
 * only). An attribute the kernel does not report is 0.
 */
struct dax_node_access {
	uint64_t read_latency; /* ns */
	uint64_t write_latency; /* ns */
	uint64_t read_bandwidth; /* MB/s */
	uint64_t write_bandwidth; /* MB/s */
};

/**
 * dax_ctx_get_node_access() - read access class @access_class of @node.
 * Since LIBDAX_1.1.
 * Return: 0; -ENOENT no such node or class; -EINVAL NULL, a negative
 * @node, or an attribute that does not parse; errnos of the read.
 */
int dax_ctx_get_node_access(struct dax_ctx *ctx, int node,
			    unsigned int access_class,
			    struct dax_node_access *access);

/**
 * dax_region_get_target_node() - the node whose memory @region is: the
 * target_node of its devices (daxR.0 always exists on a dynamic region),
 * read on first call and cached as dax_dev_get_target_node().
 * Since LIBDAX_1.1.
 * Return: 0; -ENOENT no device reports one (or it is -1); -ENODEV gone.
 */
int dax_region_get_target_node(struct dax_region *region, int *node);

/**
 * dax_region_get_bounds() - the physical address range the region spans:
 * from the resource of one of its zero-size devices (which the kernel
 * places at the region's start), else from the region's host entry in
 * <root>/proc/iomem (its addresses read as zeros without CAP_SYS_ADMIN).
 * Read on every call. Since LIBDAX_1.1.
 * Return: 0 and *@bounds (inclusive end); -EINVAL NULL argument; -ENODEV
 * gone region; -ENOENT when neither source tells (no zero-size device and
 * no readable iomem entry of the region's name and size).
 */
int dax_region_get_bounds(struct dax_region *region, struct dax_range *bounds);

/**
 * struct dax_color_request - colours @first..@last of @colors of a
 * memory-side cache of @cache_size bytes.
 * @size:       bytes the device gets; 0: every window's slice.
 * @first:      first colour, 0 <= @first <= @last < @colors.
 * @last:       last colour.
 * @colors:     N: the cache is cut into N equal slices.
 * @cache_level: the level of the target node's memory-side cache to
 *              colour (dax_node_cache.level), which must exist and be
 *              direct-mapped; 0: the largest direct-mapped cache the node
 *              has (the lower level on a tie). Must be 0 with @cache_size.
 * @cache_size: bytes; 0: the size of the cache @cache_level picks.
 * @align:      the device align (as dax_region_create_dev()); 0: the
 *              region's.
 *
 * A direct-mapped cache of size C maps addresses A and A + C to the same
 * lines. The region's address space is cut into windows [k*C, (k+1)*C)
 * (physical addresses, not offsets in the region), each window into
 * @colors slices of C / @colors bytes; colour j is the j-th slice of
 * every window. Devices with disjoint colours never share a cache line.
 */
struct dax_color_request {
	uint64_t size;
	unsigned int first;
	unsigned int last;
	unsigned int colors;
	unsigned int cache_level; /* in what was padding: offsets unchanged */
	uint64_t cache_size;
	uint64_t align;
};

/**
 * dax_region_plan_colors() - the ranges of a device of colours
 * @req->first..@req->last: in each window of the region, in address
 * order, the slice [window + first*C/N, window + (last+1)*C/N), until
 * @req->size bytes are planned (the last range may be shorter). Windows
 * whose slice is not wholly inside the region are passed over. Reads the
 * region's bounds and the ranges in use from sysfs; writes nothing.
 * @ranges: receives a malloc'ed array (the caller frees it with free());
 *          NULL on failure.
 * @nr_ranges: receives its length.
 *
 * Checks, in this order, each failure logged at LOG_ERR with what to do:
 * the request (-EINVAL; also a @req->cache_level above 15 or given with
 * @req->cache_size), the cache (-ENOENT: none known, or none of
 * @req->cache_level, and no @req->cache_size; -EOPNOTSUPP: the level
 * asked for is not direct-mapped, or with @req->cache_level 0 none is),
 * C / N and the size
 * being whole multiples of dax_ctx_get_granule() of the align (-EINVAL),
 * the region's bounds (-ENOENT when unknown), every window used: its
 * slice must be free, or -ENOSPC and the log names the window; too few
 * windows for @req->size: -ENOSPC.
 * Since LIBDAX_1.1.
 * Return: 0; the negative errnos above; -EOPNOTSUPP static region;
 * -ENODEV gone region; -ENOMEM; -E2BIG more ranges than an unsigned int
 * counts; errnos of the reads.
 */
int dax_region_plan_colors(struct dax_region *region,
			   const struct dax_color_request *req,
			   struct dax_range **ranges, unsigned int *nr_ranges);

/**
 * dax_ctx_get_cpu_node() - the NUMA node of the CPU the calling thread runs
 * on now (sched_getcpu()), as the context's tree tells it: the node of
 * <root>/sys/devices/system/node/online that has an entry cpuM. A snapshot:
 * the thread may be moved to another node right after. Reads on every
 * call; no lock. Since LIBDAX_1.1.
 * Return: 0 and *@node; -EINVAL NULL argument or an "online" list that does
 * not parse; -ENOENT no online node lists the CPU; errnos of
 * sched_getcpu() and of the reads.
 */
int dax_ctx_get_cpu_node(struct dax_ctx *ctx, int *node);

/**
 * enum dax_access_metric - a figure of struct dax_node_access to rank
 * regions by: the highest bandwidth, or the lowest latency, wins.
 */
enum dax_access_metric {
	DAX_ACCESS_READ_BANDWIDTH = 1,
	DAX_ACCESS_WRITE_BANDWIDTH = 2,
	DAX_ACCESS_READ_LATENCY = 3,
	DAX_ACCESS_WRITE_LATENCY = 4,
};

/**
 * dax_ctx_choose_region() - the dynamic region whose memory has the best
 * @metric as seen from node @initiator, among those with @size bytes
 * available (@size 0: any available capacity).
 * @initiator: a node id; negative: the calling thread's
 *             (dax_ctx_get_cpu_node()).
 * @region: receives a borrowed region (as dax_region_get_first()'s);
 *          NULL on failure.
 *
 * A region's figures are those of its target node
 * (dax_region_get_target_node()), in access class 1 (CPU initiators) when
 * the node has it, else class 0. A region counts only when @initiator is
 * one of that class's initiators (the nodeI entries of
 * accessC/initiators/): the kernel reports the figures of a node's best
 * initiators, and nothing for the others. A region without the figure
 * (no target node, no HMAT, the kernel reporting 0) never wins; equal
 * figures go to the lower region id.
 *
 * Reads the regions (enumerating them on first use), their available size
 * and target node as their getters cache them; the node figures on every
 * call. Writes nothing and takes no lock: the choice is a snapshot, so
 * lock the region and check its capacity again (dax_region_create_dev()
 * does) before relying on it. Refusals are logged at LOG_ERR, each
 * region's figure at LOG_DEBUG, the choice at LOG_INFO.
 * Since LIBDAX_1.1.
 * Return: 0; -EINVAL NULL @ctx or @region, or an unknown @metric; -ENOENT
 * no dynamic region has the figure from @initiator; -ENOSPC some have,
 * but none has @size bytes available; errnos of dax_ctx_get_cpu_node(),
 * of the enumeration and of the reads.
 */
int dax_ctx_choose_region(struct dax_ctx *ctx, enum dax_access_metric metric,
			  int initiator, uint64_t size,
			  struct dax_region **region);

/* ---------------------------------------------------------------- layouts */
/*
 * A layout declares devices by name and physical place, so that the same
 * devices, with the same ranges, modes and owners, can be made again after
 * every boot (the kernel keeps no sub-division across one). It is read
 * from INI files (daxctl-layout(5)) or built in memory with
 * dax_layout_set(), then compared with the live state: dax_layout_plan()
 * says what would change, dax_plan_apply() changes it, one region at a
 * time, each region as one transaction.
 *
 * Identity: a region is matched by its physical start ("resource"), and
 * optionally its target node and host path, never by its id alone. A
 * device is matched by its exact ranges (in page_offset order) and align:
 * every device of a layout has its place computed from the layout and the
 * region's bounds alone (see dax_layout_plan()), so the same layout gives
 * the same ranges on every boot, and a live device with those ranges is
 * that device whatever its kernel name.
 *
 * Threads and lifetime: a layout and its plans belong to one context and
 * follow its threading rule; each holds a reference to the context.
 */
struct dax_layout;
struct dax_plan;
struct dax_plan_step;

/**
 * dax_layout_new() - an empty layout of @ctx (one context reference).
 * Return: 0; -EINVAL NULL argument; -ENOMEM.
 * Since LIBDAX_1.1.
 */
int dax_layout_new(struct dax_ctx *ctx, struct dax_layout **layout);

/** dax_layout_free() - free @layout (NULL is fine). Since LIBDAX_1.1. */
void dax_layout_free(struct dax_layout *layout);

/**
 * dax_layout_set() - one setting, as a line "@key = @value" under the
 * section header "[@section]" of a layout file: @section is "region NAME"
 * or "device NAME" (a name: letters, digits, '-', '_', '.', at most 63
 * bytes). A section named again amends it, key by key (a later value
 * replaces an earlier one, "ranges" appends). The keys and their syntax
 * are those of daxctl-layout(5). Each value is checked as it is set;
 * what depends on several keys or on the system (a size against the
 * align, ranges against each other, user and group names, which region
 * matches) is checked by dax_layout_check() and dax_layout_plan().
 * Return: 0; -EINVAL bad section, key or value (logged at LOG_ERR);
 * -ENOMEM.
 * Since LIBDAX_1.1.
 */
int dax_layout_set(struct dax_layout *layout, const char *section,
		   const char *key, const char *value);

/**
 * dax_layout_load() - read layout files: @path is a file, or a directory
 * whose "*.conf" files are read in the byte order of their names. Errors
 * name the file and line (logged at LOG_ERR); the first error stops the
 * file, and the layout keeps what was read before it.
 * Return: 0; -EINVAL a syntax or value error; -ENOENT no such file; the
 * errno of opening or reading.
 * Since LIBDAX_1.1.
 */
int dax_layout_load(struct dax_layout *layout, const char *path);

/**
 * dax_layout_load_default() - read the system's layout: the "*.conf"
 * files of /usr/lib/daxctl/layout.d (the vendor's), /run/daxctl/layout.d
 * and /etc/daxctl/layout.d (the administrator's), below the context's
 * sysfs root. A file name in a later directory masks the same name in an
 * earlier one (an empty file, or a link to /dev/null, disables it); all
 * the remaining files are read in the byte order of their names, so a
 * later file amends the sections of an earlier one (drop-ins).
 * Return: 0 (also when no directory exists); as dax_layout_load().
 * Since LIBDAX_1.1.
 */
int dax_layout_load_default(struct dax_layout *layout);

/**
 * dax_layout_check() - the checks that need the whole layout: every
 * device names a declared region and has a size or ranges; sizes and
 * ranges are whole multiples of the granule of their align
 * (dax_ctx_get_granule()); explicit ranges do not overlap; owners and
 * groups resolve through NSS (getpwnam(3), getgrnam(3)). Each failure is
 * logged at LOG_ERR with the file and line of its definition.
 * Return: 0; -EINVAL; -ENOMEM.
 * Since LIBDAX_1.1.
 */
int dax_layout_check(struct dax_layout *layout);

/**
 * struct dax_layout_match - what a layout says about a live device.
 * @name:        the layout device's name.
 * @region:      its layout region's name.
 * @owner:       "owner =" as written ("" when not declared).
 * @group:       "group =" as written ("" when not declared).
 * @permissions: "permissions =", -1 when not declared.
 * @system_ram:  "mode = system-ram".
 * The strings are the layout's, valid until it is set again or freed.
 * Fixed as it is in LIBDAX_1.1.
 */
struct dax_layout_match {
	const char *name;
	const char *region;
	const char *owner;
	const char *group;
	int permissions;
	bool system_ram;
};

/**
 * dax_layout_match_dev() - which device of @layout @dev is: the one whose
 * places (see dax_layout_plan()) are exactly @dev's ranges, with @dev's
 * align. The places of each region are computed on first use and kept
 * until the layout is set or loaded again; layout regions that match no
 * live region are passed over quietly. Reads @dev's ranges only when its
 * size is a layout device's. Writes nothing.
 * Return: 0 and *@m; -ENOENT not a device of the layout (also a zero-size
 * device); -EINVAL NULL argument or a layout that does not check
 * (dax_layout_check()); -ENOMEM; errnos of the reads.
 * Since LIBDAX_1.1.
 */
int dax_layout_match_dev(struct dax_layout *layout, struct dax_dev *dev,
			 struct dax_layout_match *m);

/**
 * dax_layout_claim() - keep the layout's regions from kmem until the
 * layout is applied: bind to device_dax each layout region's boot device
 * (daxR.0 spanning the whole region) that no driver has yet. At boot, on
 * 6.3+ kernels, udev loads kmem for an hmem region's daxR.0 (its modalias
 * dax:t0), and kmem onlines the whole region with the kernel's policy,
 * usually in ZONE_NORMAL, which cannot reliably be offlined again; a
 * device already bound is not taken. For udev rules (daxctl apply
 * --claim), which run before the module loads their event asks for.
 * Layout regions not (yet) present are passed over.
 * Return: the number of devices bound (>= 0); the first error of
 * dax_dev_enable() (the others are still tried); -EINVAL as
 * dax_layout_check().
 * Since LIBDAX_1.1.
 */
int dax_layout_claim(struct dax_layout *layout);

/** What a plan step does. */
enum dax_step_action {
	DAX_STEP_KEEP = 0, /* a layout device already as declared */
	DAX_STEP_CREATE, /* a layout device to make */
	DAX_STEP_UPDATE, /* a layout device present: mode, memory or owner */
	DAX_STEP_DESTROY, /* a device in the way of, or foreign to, a
			     fully managed region */
	DAX_STEP_FOREIGN, /* a device no layout names, left alone */
	DAX_STEP_BLOCKED, /* what stops the region's transaction */
};

/**
 * dax_layout_plan() - compare @layout with the live state.
 *
 * Runs dax_layout_check(), then, for each region of the layout: finds
 * the one live region whose start is the declared "resource" (and whose
 * target node and path are the declared ones, when declared); places the
 * devices in declaration order, explicit "ranges" first, then each
 * "size" in first fit over the region's free addresses, in pieces
 * aligned to the granule of its align, from the region's start; and
 * compares that with the region's devices. A device in the way of a
 * layout device is destroyed when the region is declared "managed", or
 * when it is the device the kernel made at boot (daxR.0 spanning the
 * whole region); any other device in the way blocks the region.
 * Devices out of the way are left alone, unless the region is managed.
 * A device to destroy or change that is in use (open or mapped by a
 * process, see dax_dev_get_user(); memory online in a kernel zone, which
 * cannot be offlined reliably) blocks the region: nothing in a blocked
 * region is changed. Reads sysfs and /proc; writes nothing.
 * @plan: receives the plan (free with dax_plan_free()).
 * Return: 0 (a plan may hold DAX_STEP_BLOCKED steps); -EINVAL the layout
 * does not check, or a region matches no live region or several (logged
 * with the file and line); -ENOSPC devices do not fit their region;
 * -ENOMEM; errnos of the reads.
 * Since LIBDAX_1.1.
 */
int dax_layout_plan(struct dax_layout *layout, struct dax_plan **plan);

/**
 * dax_plan_apply() - carry out @plan, region by region, each under its
 * region lock (dax_region_lock(), the context's lock timeout). Under the
 * lock the region's part of the plan is computed again; when it differs
 * from @plan's (another agent changed the region since), nothing of that
 * region is changed and the result is -ESTALE. A region's changes run in
 * order: destroy, create, update, owners; when one fails, what the region
 * had done is undone in reverse order (destroyed devices are made again
 * with their ranges, align and mode) and the next regions are still
 * tried. A blocked region is not changed (-EBUSY). A plan of only
 * DAX_STEP_KEEP and DAX_STEP_FOREIGN steps writes nothing.
 * Return: 0 when every region is as declared; else the first region's
 * error: -EBUSY blocked, -ESTALE, the lock's errnos, the errnos of the
 * change calls (see "change"). dax_plan_step_get_result() tells each
 * region's.
 * Since LIBDAX_1.1.
 */
int dax_plan_apply(struct dax_plan *plan);

/**
 * dax_plan_wait_udev() - after dax_plan_apply(), wait until udev has named
 * every device of the layout in @plan: udev's record of it (libudev)
 * carries DAX_LAYOUT_NAME, which the rule 60-daxctl-layout.rules sets
 * together with /dev/dax/by-name/NAME and the node's owner and mode. For
 * a boot service that must not finish before those links exist.
 * @timeout_ms: <0 wait as long as it takes; else at most that long.
 * Return: 0; -ETIMEDOUT (the first device still unnamed is logged at
 * LOG_WARNING); -ENOTCONN when no udevd runs (no /run/udev/control) or the
 * context's root is not "/": nothing to wait for; -ENOMEM; errnos of the
 * monitor.
 * Since LIBDAX_1.1.
 */
int dax_plan_wait_udev(struct dax_plan *plan, int timeout_ms);

/** dax_plan_free() - free @plan (NULL is fine). Since LIBDAX_1.1. */
void dax_plan_free(struct dax_plan *plan);

/**
 * dax_plan_get_first_step(), dax_plan_step_get_next() - the steps in
 * order: by region (in layout order), and in a region, blocked reasons
 * first, then in the order they run (destroy, create, update), then kept
 * and foreign devices. NULL at the end. Since LIBDAX_1.1.
 */
struct dax_plan_step *dax_plan_get_first_step(struct dax_plan *plan);
struct dax_plan_step *dax_plan_step_get_next(struct dax_plan_step *step);

/** dax_plan_step_get_action() - what the step does. Since LIBDAX_1.1. */
enum dax_step_action dax_plan_step_get_action(const struct dax_plan_step *step);

/**
 * dax_plan_step_get_name() - the layout device's name; NULL for a device
 * no layout names (DAX_STEP_FOREIGN, DAX_STEP_DESTROY) and for
 * DAX_STEP_BLOCKED. Since LIBDAX_1.1.
 */
const char *dax_plan_step_get_name(const struct dax_plan_step *step);

/** dax_plan_step_get_region_name() - the layout region's name. */
const char *dax_plan_step_get_region_name(const struct dax_plan_step *step);

/** dax_plan_step_get_region() - the live region. Since LIBDAX_1.1. */
struct dax_region *dax_plan_step_get_region(const struct dax_plan_step *step);

/**
 * dax_plan_step_get_dev() - the live device: the one kept, updated,
 * destroyed or left alone; for DAX_STEP_CREATE NULL until
 * dax_plan_apply() made it. Since LIBDAX_1.1.
 */
struct dax_dev *dax_plan_step_get_dev(const struct dax_plan_step *step);

/**
 * dax_plan_step_get_ranges() - the device's ranges (declared, or for a
 * device no layout names, its live ones), page_offset order; the array
 * is owned by the plan. Return: their number. Since LIBDAX_1.1.
 */
unsigned int dax_plan_step_get_ranges(const struct dax_plan_step *step,
				      const struct dax_range **ranges);

/**
 * dax_plan_step_get_reason() - why: for DAX_STEP_UPDATE what changes
 * ("mode", "memory", "owner", comma-separated), for DAX_STEP_DESTROY and
 * DAX_STEP_BLOCKED a sentence; NULL otherwise. Owned by the plan.
 * Since LIBDAX_1.1.
 */
const char *dax_plan_step_get_reason(const struct dax_plan_step *step);

/**
 * dax_plan_step_get_result() - after dax_plan_apply(), the result of the
 * step's region (0: as declared); before it, -EBUSY for a blocked region
 * and 0 otherwise. Since LIBDAX_1.1.
 */
int dax_plan_step_get_result(const struct dax_plan_step *step);

/**
 * dax_plan_get_writes() - sysfs writes dax_plan_apply() made (0 before
 * it, and after it when everything was already as declared).
 * Since LIBDAX_1.1.
 */
unsigned long dax_plan_get_writes(const struct dax_plan *plan);

/**
 * dax_dev_get_user() - a process that has @dev's character device open
 * or mapped (read from /proc, processes one may not look at skipped: root
 * sees them all; the caller itself not counted).
 * Return: its pid; 0 none seen; -ENODEV gone; errnos of the reads.
 * Since LIBDAX_1.1.
 */
int dax_dev_get_user(struct dax_dev *dev);

#ifdef __cplusplus
}
#endif

#endif /* LIBDAX_H */
