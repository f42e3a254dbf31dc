/*
 * The command contract.  Each command is one `const struct cmd_entry` in
 * src/cmd_NAME.c (as tmux's cmd-*.c entries); main.c's table lists them and
 * cmd_execute() (cmd.c) does for every command what none repeats: the popt
 * set-up, bad options and operand counts (one message, exit 2), --help, and
 * the clean-up after the command ran.
 */
#ifndef OOMTOP_CMD_H
#define OOMTOP_CMD_H

#include <popt.h>
#include <stdbool.h>

struct sel_report;
struct sel_rule;

/* A parsed command line: the values of the options and the operands (opaque, cmd.c). */
struct cmd_args;

/* How an entry's command line is read, beyond popt's defaults. */
enum cmd_entry_flags {
	/*
	 * Operands may come before options, and a negative number ("-500") is
	 * an operand, not an option (`set -500 1234 -n`).  Only for commands
	 * whose options take no values.
	 */
	CMD_NUMBERS_ARE_OPERANDS = 1 << 0,
	/* Options end at the first operand, so a COMMAND's own options stay its own (`run`). */
	CMD_OPTIONS_BEFORE_OPERANDS = 1 << 1,
};

/* One command: what main.c's table, --help and the man page's SYNOPSIS show, and what runs. */
struct cmd_entry {
	const char *name;
	/*
	 * The options and operands, as in the man page's SYNOPSIS: the row of
	 * `oomtop --help`, the "Usage:" line of the command's --help, written
	 * the way mdoc renders it (tests/integ/t_cli_docs.sh compares the three).
	 */
	const char *usage;
	const char *summary; /* one line for `oomtop --help` */
	/*
	 * The options, ended by POPT_TABLEEND: each with a long name (the key of
	 * cmd_flag() and cmd_value()), POPT_ARG_NONE or POPT_ARG_STRING, and a
	 * NULL arg and 0 val (cmd.c stores the values); --help is added.
	 */
	const struct poptOption *options;
	int flags; /* enum cmd_entry_flags */
	/* Operand counts checked before exec: at least lower, at most upper (-1: no limit). */
	int lower, upper;
	const char *missing; /* the message when fewer than lower are given */
	const char *extra;   /* what "unexpected argument 'X'" adds in parentheses; NULL: nothing */
	int usage_status;    /* the exit status of a usage error; 0: EXIT_USAGE */
	/* Runs the command once its command line is checked; returns the exit status. */
	int (*exec)(const struct cmd_args *args);
};

int cmd_execute(const struct cmd_entry *entry, int argc, const char **argv);
bool cmd_flag(const struct cmd_args *args, const char *option);
const char *cmd_value(const struct cmd_args *args, const char *option);
int cmd_count(const struct cmd_args *args);
const char *cmd_operand(const struct cmd_args *args, int i);
const char *const *cmd_operands(const struct cmd_args *args);

int cmd_print_items(const char *cmd, const struct sel_rule *rules, const struct sel_report *rep, bool quiet,
		    bool notes);

#endif
