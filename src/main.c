/* oomtop: the command table and the dispatch to one command. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "xalloc.h"

/* The commands (each defined in its src/cmd_NAME.c), in the order --help and the man page list them. */
extern const struct cmd_entry cmd_top_entry, cmd_explain_entry, cmd_status_entry, cmd_set_entry, cmd_protect_entry,
	cmd_run_entry, cmd_apply_entry, cmd_watch_entry, cmd_log_entry;
static const struct cmd_entry *const commands[] = {
	&cmd_top_entry, &cmd_explain_entry, &cmd_status_entry, &cmd_set_entry, &cmd_protect_entry,
	&cmd_run_entry, &cmd_apply_entry,   &cmd_watch_entry,  &cmd_log_entry,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* Prints the program's usage: one SYNOPSIS line per command. */
static void usage(FILE *out)
{
	fprintf(out, "Usage:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, " %s %s %s\n", OOMTOP_NAME, commands[i]->name, commands[i]->usage);
	fprintf(out, " %s --help | --version\n\nCommands:\n", OOMTOP_NAME);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"\nWithout a command, %s runs 'top'. '%s COMMAND --help' shows a command's options.\n"
		"See oomtop(8).\n",
		OOMTOP_NAME, OOMTOP_NAME);
}

/* Returns the table entry named name, or NULL. */
static const struct cmd_entry *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/*
 * Runs cmd with argv[first..], its argv[0] replaced by "oomtop CMD": popt's
 * --help starts with argv[0] ("Usage: oomtop set [--legacy] ...").
 * cmd_execute() reads the options, reports usage errors and cleans up.
 */
static int run_command(const struct cmd_entry *cmd, int argc, char **argv, int first)
{
	int n = argc - first, status;
	const char **args = xcalloc((size_t)n + 1, sizeof(*args));
	char *name = xasprintf("%s %s", OOMTOP_NAME, cmd->name);

	args[0] = name;
	for (int i = 1; i < n; i++)
		args[i] = argv[first + i];
	status = cmd_execute(cmd, n, args);
	free(name);
	free(args);
	return status;
}

/* Picks the command from argv[1] (default: top) and runs it with its own argv. */
int main(int argc, char **argv)
{
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
		return run_command(find_command("top"), argc, argv, 0); /* `oomtop -n 5` is `oomtop top -n 5` */
	cmd = find_command(argv[1]);
	if (!cmd)
		return msg_usage(NULL, "unknown command '%s'", argv[1]);
	return run_command(cmd, argc, argv, 1);
}
