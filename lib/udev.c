// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waiting for udev (libudev) after a plan is applied: the devices a layout
 * names get their /dev/dax/by-name link and owner from udev's rule
 * (60-daxctl-layout.rules), asynchronously. A service ordered before the
 * users of those links must not finish before udev has named them.
 *
 * A device counts as named when udev's record of it carries the rule's
 * DAX_LAYOUT_NAME with its layout name: udev has then run the rule on an
 * event that came after the device got its ranges. The monitor is enabled
 * before the first look, so no event falls between a look and the wait.
 */
#include <errno.h>
#include <libudev.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "private.h"

#define UDEV_CONTROL "/run/udev/control"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Is @dev's udev record named @name? */
static bool named(struct udev *udev, struct dax_dev *dev, const char *name)
{
	struct udev_device *u;
	const char *v;
	bool ok = false;

	u = udev_device_new_from_subsystem_sysname(udev, "dax",
						   dax_dev_get_devname(dev));
	if (!u)
		return false;
	if (udev_device_get_is_initialized(u)) {
		v = udev_device_get_property_value(u, "DAX_LAYOUT_NAME");
		ok = v && strcmp(v, name) == 0;
	}
	udev_device_unref(u);
	return ok;
}

/* The first layout device of @plan udev has not named yet, or NULL. */
static struct dax_plan_step *unnamed(struct dax_plan *plan, struct udev *udev)
{
	struct dax_plan_step *s;

	for (s = dax_plan_get_first_step(plan); s;
	     s = dax_plan_step_get_next(s))
		if (s->ld && s->dev && !dax_dev_is_gone(s->dev) &&
		    (s->action == DAX_STEP_CREATE ||
		     s->action == DAX_STEP_UPDATE ||
		     s->action == DAX_STEP_KEEP) &&
		    !named(udev, s->dev, s->ld->name))
			return s;
	return NULL;
}

DAX_EXPORT int dax_plan_wait_udev(struct dax_plan *plan, int timeout_ms)
{
	struct dax_ctx *ctx;
	struct udev_monitor *mon = NULL;
	struct dax_plan_step *s;
	struct udev *udev;
	long long end;
	int rc = 0, fd, left;

	if (!plan)
		return -EINVAL;
	ctx = plan->layout->ctx;
	if (!ctx_is_live(ctx) || access(UDEV_CONTROL, F_OK) < 0)
		return -ENOTCONN; /* a test tree, or no udevd running */
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	mon = udev_monitor_new_from_netlink(udev, "udev");
	if (!mon ||
	    udev_monitor_filter_add_match_subsystem_devtype(mon, "dax", NULL) <
		    0 ||
	    udev_monitor_enable_receiving(mon) < 0) {
		rc = errno ? -errno : -ENOMEM;
		goto out;
	}
	fd = udev_monitor_get_fd(mon);
	end = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
	while ((s = unnamed(plan, udev))) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		struct udev_device *ev;

		left = timeout_ms < 0 ? -1 : (int)(end - now_ms());
		if (timeout_ms >= 0 && left <= 0) {
			dax_warn(ctx,
				 "%s (%s): udev has not named it after %d ms "
				 "(is 60-daxctl-layout.rules installed?)\n",
				 dax_dev_get_devname(s->dev), s->ld->name,
				 timeout_ms);
			rc = -ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, left) < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		while ((ev = udev_monitor_receive_device(mon)))
			udev_device_unref(ev);
	}
out:
	udev_monitor_unref(mon);
	udev_unref(udev);
	return rc;
}
