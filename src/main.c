/* oomtop: the command table and the dispatch to one command. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"

static const struct cmd_entry commands[] = {
	{ "top", cmd_top,
	  "[-n N] [-s KEY] [-r] [-u USER] [-p PID[,PID...]] [-a] [-w] [--no-header] [--json]\n"
	  "            [--cgroup PATH] [-b] [-d SECS] [-i N]",
	  "rank processes in the order the OOM killer would kill them" },
	{ "explain", cmd_explain, "[--json] PID",
	  "why a process has its OOM score, its rank in each OOM domain, what would change it" },
	{ "status", cmd_status, "[--json]", "the machine's OOM settings, memory, pressure and next victim" },
	{ "set", cmd_set, "[--legacy] [-n] [-q] ADJ PID...",
	  "set the oom_score_adj of processes" },
	{ "protect", cmd_protect,
	  "[--adj ADJ] [--legacy] [-f] [-x] [-i] [-u USER] [--exe PATH] [-n] [-q] [--max N] [PATTERN...]",
	  "set the oom_score_adj of processes selected like pgrep (default -1000)" },
	{ "run", cmd_run, "[--adj ADJ] [--legacy] [--] COMMAND [ARG...]",
	  "run a command with an oom_score_adj (default -1000)" },
	{ "apply", cmd_apply, "[-n] [-q] [FILE]",
	  "apply the rules of FILE (default /etc/oomtop.conf), for cron" },
	{ "log", cmd_log,
	  "[-f] [--since TIME] [-n N] [-c NAME] [-s] [--json [--tasks]] [--no-header] [FILE|-]",
	  "what the OOM killer killed, from the kernel log or a saved log" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Prints the program's usage: one SYNOPSIS line per command. */
static void usage(FILE *out)
{
	fprintf(out, "Usage:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, " %s %s %s\n", OOMTOP_NAME, commands[i].name, commands[i].synopsis);
	fprintf(out, " %s --help | --version\n\nCommands:\n", OOMTOP_NAME);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nWithout a command, %s runs 'top'. '%s COMMAND --help' shows a command's options.\n"
		     "See oomtop(8).\n",
		OOMTOP_NAME, OOMTOP_NAME);
}

/* Returns the table entry named name, or NULL. */
static const struct cmd_entry *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Picks the command from argv[1] (default: top) and runs it with its own argv. */
int main(int argc, char **argv)
{
	const char **args = (const char **)argv;
	const struct cmd_entry *cmd;

	/* LC_CTYPE only: numbers in JSON must keep a '.' whatever the locale */
	setlocale(LC_CTYPE, "");
	msg_close_stdout_atexit();

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("%s %s\n", OOMTOP_NAME, OOMTOP_VERSION);
		return EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return cmd_top(argc, args); /* `oomtop -n 5` is `oomtop top -n 5` */
	cmd = find_command(argv[1]);
	if (!cmd) {
		msg_err(NULL, "'%s' is not a command", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	return cmd->run(argc - 1, args + 1);
}
