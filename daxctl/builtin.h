/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command table's row type and the commands. A command parses its own
 * options (into a struct private to its file) with cmd->options and
 * cmd->usage, and returns 0, a positive "nothing done" status, or a negative
 * errno; main() turns that into the exit status.
 */
#ifndef DAXCTL_BUILTIN_H
#define DAXCTL_BUILTIN_H

#include "options.h"

struct daxctl_cmd;
typedef int (*daxctl_cmd_fn)(int argc, const char **argv,
			     const struct daxctl_cmd *cmd);

struct daxctl_cmd {
	const char *name;
	daxctl_cmd_fn fn;
	const char *summary; /* one line, for the help banner */
	const struct option_desc *options; /* NULL: takes no options */
	const char *usage; /* "daxctl list [<options>]" */
};

/* list.c */
extern const struct option_desc list_options[];
int cmd_list(int argc, const char **argv, const struct daxctl_cmd *cmd);

/* create.c */
extern const struct option_desc create_options[];
int cmd_create(int argc, const char **argv, const struct daxctl_cmd *cmd);

/* device.c */
extern const struct option_desc destroy_options[];
extern const struct option_desc reconfig_options[];
int cmd_destroy(int argc, const char **argv, const struct daxctl_cmd *cmd);
int cmd_reconfig(int argc, const char **argv, const struct daxctl_cmd *cmd);

/* enable.c */
extern const struct option_desc enable_options[];
extern const struct option_desc disable_options[];
int cmd_enable(int argc, const char **argv, const struct daxctl_cmd *cmd);
int cmd_disable(int argc, const char **argv, const struct daxctl_cmd *cmd);

/* memory.c */
extern const struct option_desc online_options[];
extern const struct option_desc offline_options[];
int cmd_online_memory(int argc, const char **argv,
		      const struct daxctl_cmd *cmd);
int cmd_offline_memory(int argc, const char **argv,
		       const struct daxctl_cmd *cmd);

/* map.c */
extern const struct option_desc map_options[];
int cmd_map(int argc, const char **argv, const struct daxctl_cmd *cmd);

/* apply.c */
extern const struct option_desc apply_options[];
int cmd_apply(int argc, const char **argv, const struct daxctl_cmd *cmd);

#endif /* DAXCTL_BUILTIN_H */
