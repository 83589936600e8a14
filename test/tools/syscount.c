// SPDX-License-Identifier: GPL-2.0-only
/*
 * syscount: run a command under ptrace and print "syscalls=N" for the
 * number of system calls it made (the main process only; daxctl does not
 * fork). The guest has no strace; the benchmarks use this to report
 * syscalls per listed device. Output of the command is discarded.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long stops = 0;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: syscount COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("syscount: fork");
		return 2;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "syscount: child did not stop\n");
		return 2;
	}
	/* Tell syscall stops from signal stops; count from the exec on. */
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC));
	for (int sig = 0;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig) < 0) {
			perror("syscount: ptrace");
			return 2;
		}
		sig = 0;
		if (waitpid(pid, &status, 0) < 0) {
			perror("syscount: waitpid");
			return 2;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
			stops = 0;
		else if (WSTOPSIG(status) == (SIGTRAP | 0x80))
			stops++;
		else if (WSTOPSIG(status) != SIGTRAP)
			sig = WSTOPSIG(status);
	}
	/*
	 * From the exec event on: the exit stop of execve, two stops for each
	 * later call, and one for exit_group, which never returns.
	 */
	stops = stops / 2 + 1;
	printf("syscalls=%lu\n", stops);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
