/*
 * What every command shares (tmux's cmd.c and arguments.c): reading its
 * command line against its entry, the usage errors in one wording, --help,
 * the clean-up once it ran; and the printing of a writer's report, which
 * protect, apply and watch show the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "sel.h"
#include "users.h"
#include "xalloc.h"

/* A command line read against an entry: one slot per row of its options table. */
struct cmd_args {
	const struct cmd_entry *entry; /* borrowed */
	size_t noptions;
	bool *given;           /* owned; per option: it was on the command line */
	char **values;         /* owned, as their strings; per POPT_ARG_STRING option: its last value */
	const char **operands; /* borrowed from the popt context, NULL-terminated */
	int count;             /* of operands */
};

/* Tells whether s is a negative number ("-500"), which popt would take for options. */
static bool negative_number(const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * Returns a new argv (the caller frees the array, not the strings) with the
 * options first, then "--", then the operands in their order, so that
 * `set -500 1234` reads -500 as the value (CMD_NUMBERS_ARE_OPERANDS: the
 * options take no values, so every other word starting with '-' is one).
 */
static const char **operands_last(int argc, const char **argv, int *newargc)
{
	const char **out = xcalloc((size_t)argc + 2, sizeof(*out));
	int n = 0, i;
	bool dashdash = false;

	out[n++] = argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] == '-' && argv[i][1] && !negative_number(argv[i]))
			out[n++] = argv[i];
	}
	out[n++] = "--";
	for (i = 1; i < argc; i++) {
		if (!dashdash && strcmp(argv[i], "--") == 0) {
			dashdash = true;
			continue;
		}
		if (dashdash || argv[i][0] != '-' || !argv[i][1] || negative_number(argv[i]))
			out[n++] = argv[i];
	}
	*newargc = n;
	return out;
}

/*
 * Returns a new popt table (the caller frees it): the entry's options, each
 * answering with val = its index + 1 and storing nothing itself, then
 * popt's --help; *n receives the number of the entry's options.
 */
static struct poptOption *build_table(const struct cmd_entry *entry, size_t *n)
{
	static const struct poptOption tail[] = { POPT_AUTOHELP POPT_TABLEEND };
	struct poptOption *table;
	size_t count = 0;

	while (entry->options && entry->options[count].longName)
		count++;
	table = xcalloc(count + 2, sizeof(*table));
	memcpy(table + count, tail, sizeof(tail));
	for (size_t i = 0; i < count; i++) {
		table[i] = entry->options[i];
		table[i].arg = NULL;
		table[i].val = (int)i + 1;
	}
	*n = count;
	return table;
}

/* Prints a usage error of entry (msg_usage) and returns the entry's exit status for it. */
static int usage_error(const struct cmd_entry *entry, const char *text)
{
	msg_usage(entry->name, "%s", text);
	return entry->usage_status ? entry->usage_status : EXIT_USAGE;
}

/*
 * Reads the options of pc into args and checks the operand counts; returns
 * EXIT_OK, or the exit status of the usage error it printed.
 */
static int read_args(const struct cmd_entry *entry, poptContext pc, struct cmd_args *args)
{
	static const char *none[] = { NULL };
	char *text;
	int rc, status;

	while ((rc = poptGetNextOpt(pc)) > 0) {
		size_t i = (size_t)rc - 1;
		args->given[i] = true;
		if ((entry->options[i].argInfo & POPT_ARG_MASK) == POPT_ARG_STRING) {
			free(args->values[i]); /* the last one counts */
			args->values[i] = poptGetOptArg(pc);
		}
	}
	if (rc < -1) {
		text = xasprintf("%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		status = usage_error(entry, text);
		free(text);
		return status;
	}
	args->operands = poptGetArgs(pc);
	if (!args->operands)
		args->operands = none;
	while (args->operands[args->count])
		args->count++;
	if (args->count < entry->lower)
		return usage_error(entry, entry->missing);
	if (entry->upper >= 0 && args->count > entry->upper) {
		text = xasprintf("unexpected argument '%s'%s%s%s", args->operands[entry->upper],
				 entry->extra ? " (" : "", entry->extra ? entry->extra : "", entry->extra ? ")" : "");
		status = usage_error(entry, text);
		free(text);
		return status;
	}
	return EXIT_OK;
}

/*
 * Runs the command of entry with argv (argv[0] is "oomtop NAME", the start
 * of its --help's "Usage:" line): reads the options and operands, reports
 * a usage error the same way for every command, runs it, and frees what
 * commands share (the users cache).  Returns the exit status.
 */
int cmd_execute(const struct cmd_entry *entry, int argc, const char **argv)
{
	struct cmd_args args = { .entry = entry };
	const char **reordered = NULL;
	struct poptOption *table = build_table(entry, &args.noptions);
	unsigned int flags = 0;
	poptContext pc;
	int status;

	if (entry->flags & CMD_NUMBERS_ARE_OPERANDS) {
		reordered = operands_last(argc, argv, &argc);
		argv = reordered;
	}
	if (entry->flags & CMD_OPTIONS_BEFORE_OPERANDS)
		flags |= POPT_CONTEXT_POSIXMEHARDER;
	args.given = xcalloc(args.noptions + 1, sizeof(*args.given));
	args.values = xcalloc(args.noptions + 1, sizeof(*args.values));
	pc = poptGetContext(argv[0], argc, argv, table, flags);
	poptSetOtherOptionHelp(pc, entry->usage);
	status = read_args(entry, pc, &args);
	if (status == EXIT_OK)
		status = entry->exec(&args);
	for (size_t i = 0; i < args.noptions; i++)
		free(args.values[i]);
	free(args.values);
	free(args.given);
	poptFreeContext(pc);
	free(table);
	free(reordered);
	users_free();
	return status;
}

/* Returns the index of the option with this long name in the entry; a name it lacks is a bug. */
static size_t option_index(const struct cmd_args *args, const char *option)
{
	for (size_t i = 0; i < args->noptions; i++)
		if (strcmp(args->entry->options[i].longName, option) == 0)
			return i;
	fprintf(stderr, "%s: %s: no option --%s in its table\n", OOMTOP_NAME, args->entry->name, option);
	abort();
}

/* Returns whether the option (its long name) was given. */
bool cmd_flag(const struct cmd_args *args, const char *option)
{
	return args->given[option_index(args, option)];
}

/* Returns the last value given to a POPT_ARG_STRING option (borrowed from args), or NULL. */
const char *cmd_value(const struct cmd_args *args, const char *option)
{
	return args->values[option_index(args, option)];
}

/* Returns the number of operands. */
int cmd_count(const struct cmd_args *args)
{
	return args->count;
}

/* Returns operand i (borrowed), or NULL past the last. */
const char *cmd_operand(const struct cmd_args *args, int i)
{
	return i >= 0 && i < args->count ? args->operands[i] : NULL;
}

/* Returns the operands as a NULL-terminated array (borrowed from args). */
const char *const *cmd_operands(const struct cmd_args *args)
{
	return args->operands;
}

/*
 * Prints the line of every item of a writer's report where it belongs
 * (sel_format_item(): stdout or stderr, or nowhere with quiet) and, with
 * notes, how the item was selected (sel_note(), on stderr).  Returns 0, or
 * -errno when stdout failed (the other lines are printed all the same).
 */
int cmd_print_items(const char *cmd, const struct sel_rule *rules, const struct sel_report *rep, bool quiet, bool notes)
{
	bool utf8 = out_locale_utf8();
	int err = 0;

	for (size_t i = 0; i < rep->nitems; i++) {
		const struct sel_item *it = &rep->items[i];
		struct strbuf sb = STRBUF_INIT;
		enum sel_stream where = sel_format_item(&sb, it, quiet, utf8);
		int werr;

		if (where == SEL_STDERR) {
			msg_err(cmd, "%s", sb_str(&sb));
		} else if (where == SEL_STDOUT) {
			sb_addc(&sb, '\n');
			werr = msg_write_stdout(sb.buf, sb.len);
			if (werr < 0 && !err)
				err = werr;
		}
		sb_reset(&sb);
		if (notes && sel_note(&sb, &rules[it->rule], it, quiet, utf8))
			msg_err(cmd, "%s", sb_str(&sb));
		sb_free(&sb);
	}
	return err;
}
