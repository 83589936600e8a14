// SPDX-License-Identifier: GPL-2.0-only
/*
 * daxctl: command-line front end to libdax.
 *
 * One table lists the commands; it drives dispatch, the help banner,
 * --list-cmds (bash completion) and "help CMD". Adding a command is adding a
 * row here and its file.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"

#define DAXCTL_USAGE "daxctl [--version] [--help] COMMAND [ARGS]"
#define MORE_INFO                                                       \
	"See 'daxctl help COMMAND' for more information on a specific " \
	"command."

static int cmd_version(int argc, const char **argv,
		       const struct daxctl_cmd *cmd);
static int cmd_help(int argc, const char **argv, const struct daxctl_cmd *cmd);

static const struct daxctl_cmd commands[] = {
	{"version", cmd_version, "Print the daxctl version", NULL,
	 "daxctl version"},
	{"list", cmd_list, "List dax regions and devices as JSON", list_options,
	 "daxctl list [<options>]"},
	{"help", cmd_help, "Show help, or the manual page of a command", NULL,
	 "daxctl help [COMMAND]"},
	{"create-device", cmd_create, "Create devices on dynamic regions",
	 create_options, "daxctl create-device [<options>]"},
	{"destroy-device", cmd_destroy, "Destroy devices", destroy_options,
	 "daxctl destroy-device <device>|all [<options>]"},
	{"reconfigure-device", cmd_reconfig,
	 "Change the size, align or mode of devices", reconfig_options,
	 "daxctl reconfigure-device <device>|all [<options>]"},
	{"disable-device", cmd_disable, "Unbind devices from device_dax",
	 disable_options, "daxctl disable-device <device>|all [<options>]"},
	{"enable-device", cmd_enable, "Bind devices to device_dax",
	 enable_options, "daxctl enable-device <device>|all [<options>]"},
	{"online-memory", cmd_online_memory,
	 "Online the memory of system-ram devices", online_options,
	 "daxctl online-memory <device>|all [<options>]"},
	{"offline-memory", cmd_offline_memory,
	 "Offline the memory of system-ram devices", offline_options,
	 "daxctl offline-memory <device>|all [<options>]"},
	{"apply", cmd_apply, "Make the devices what the layout files declare",
	 apply_options, "daxctl apply [<options>] [<file>|<dir>...]"},
	{"map", cmd_map, "Draw each dynamic region as a bar of its devices",
	 map_options, "daxctl map [<options>]"},
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct daxctl_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_banner(FILE *f)
{
	size_t i;

	fprintf(f, "\n usage: %s\n\n Commands:\n", DAXCTL_USAGE);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "   %-22s%s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n %s\n\n", MORE_INFO);
}

/* Commands without options still honour -h, --list-opts and "--". */
static int no_options(int argc, const char **argv, const struct daxctl_cmd *cmd,
		      int max_args)
{
	return parse_options_max(argc, argv, NULL, cmd->usage, NULL, max_args);
}

static int cmd_version(int argc, const char **argv,
		       const struct daxctl_cmd *cmd)
{
	no_options(argc, argv, cmd, 0);
	printf("%s\n", VERSION);
	return 0;
}

static int cmd_help(int argc, const char **argv, const struct daxctl_cmd *cmd)
{
	const char *viewer = getenv("DAXCTL_MAN_VIEWER");
	const char *manpath = getenv("MANPATH");
	char *page, *path;

	if (no_options(argc, argv, cmd, 1) == 0) {
		print_banner(stdout);
		return 0;
	}
	if (!find_cmd(argv[0])) {
		fprintf(stderr, "Unknown command: '%s'\n", argv[0]);
		return 1;
	}
	if (viewer && strcmp(viewer, "man") != 0)
		fprintf(stderr,
			"warning: man viewer '%s' not supported, "
			"using man\n",
			viewer);
	/* A trailing ':' keeps man's default search path after ours. */
	if (asprintf(&path, "%s:%s", MANDIR, manpath ? manpath : "") < 0 ||
	    asprintf(&page, "daxctl-%s", argv[0]) < 0) {
		fprintf(stderr, "error: out of memory\n");
		return 1;
	}
	setenv("MANPATH", path, 1);
	fflush(stdout);
	execlp("man", "man", page, (char *)NULL);
	fprintf(stderr, "error: cannot run man: %s\n", strerror(errno));
	return 1;
}

/*
 * Exit status of a command's result: the low byte of a negative errno
 * (-ENXIO gives 250), as upstream. A successful command still fails if its
 * output could not be written, unless stdout is a pipe or socket, where the
 * reader going away is not our error.
 */
static int exit_status(int rc)
{
	struct stat st;

	if (rc)
		return (rc & 0xff) ? (rc & 0xff) : 1;
	if (fstat(STDOUT_FILENO, &st) < 0)
		return 0;
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return 0;
	errno = 0;
	if (ferror(stdout) || fflush(stdout) || fclose(stdout)) {
		fprintf(stderr,
			"daxctl: write failure on standard output%s%s\n",
			errno ? ": " : "", errno ? strerror(errno) : "");
		return 1;
	}
	return 0;
}

static void unknown_option(const char *arg)
{
	fprintf(stderr, "Unknown option: %s\n\n usage: %s\n", arg,
		DAXCTL_USAGE);
	exit(129);
}

int main(int argc, const char **argv)
{
	const struct daxctl_cmd *cmd;
	const char *help_argv[3];
	const char *name;
	size_t i;

	argc--;
	argv++;
	if (argc == 0) {
		print_banner(stdout);
		return 1;
	}

	name = argv[0];
	if (strcmp(name, "--list-cmds") == 0) {
		for (i = 0; i < NR_COMMANDS; i++)
			printf("%s\n", commands[i].name);
		return exit_status(0);
	}
	if (strcmp(name, "-v") == 0)
		name = "version";
	else if (strcmp(name, "-h") == 0)
		name = "help";
	else if (strncmp(name, "--", 2) == 0 && find_cmd(name + 2))
		name += 2; /* "daxctl --list" is "daxctl list" */
	else if (name[0] == '-')
		unknown_option(name);

	cmd = find_cmd(name);
	if (!cmd) {
		fprintf(stderr, "Unknown command: '%s'\n", name);
		return 1;
	}
	argv[0] = cmd->name;

	/* "daxctl CMD --help" opens the manual page, like "daxctl help CMD". */
	if (argc > 1 && strcmp(argv[1], "--help") == 0 && cmd->fn != cmd_help) {
		help_argv[0] = "help";
		help_argv[1] = cmd->name;
		help_argv[2] = NULL;
		cmd = find_cmd("help");
		return exit_status(cmd->fn(2, help_argv, cmd));
	}
	return exit_status(cmd->fn(argc, argv, cmd));
}
