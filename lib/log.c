// SPDX-License-Identifier: LGPL-2.1-or-later
/* Logging: syslog priorities, a replaceable callback, errno kept intact. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

void dax_log_stderr(struct dax_ctx *ctx, int priority, const char *file,
		    int line, const char *fn, const char *format, va_list args)
{
	fprintf(stderr, "libdax: %s: ", fn);
	vfprintf(stderr, format, args);
}

void dax_log(struct dax_ctx *ctx, int priority, const char *file, int line,
	     const char *fn, const char *format, ...)
{
	int saved = errno;
	va_list args;

	va_start(args, format);
	ctx_log_fn(ctx)(ctx, priority, file, line, fn, format, args);
	va_end(args);
	errno = saved;
}

static const char *const prio_names[] = {
	[LOG_ERR] = "err",   [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

int dax_parse_log_priority(const char *s, int *prio)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(prio_names) / sizeof(prio_names[0]); i++) {
		if (prio_names[i] && strcmp(s, prio_names[i]) == 0) {
			*prio = (int)i;
			return 0;
		}
	}
	rc = dax_parse_int(s, strlen(s), false, prio);
	if (rc < 0)
		return rc;
	return *prio <= LOG_DEBUG ? 0 : -ERANGE;
}
