/* Unit tests of the command contract (src/cmd.c): what a command's exec sees and the usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "oomtop.h"

/* What the test command's exec saw. */
static struct {
	int calls;
	bool dry_run, quiet;
	char adj[32];
	int count;
	char operands[8][32];
} seen;

/* Records its command line in seen; returns 7, an exit status no usage error has. */
static int test_exec(const struct cmd_args *args)
{
	const char *adj = cmd_value(args, "adj");

	seen.calls++;
	seen.dry_run = cmd_flag(args, "dry-run");
	seen.quiet = cmd_flag(args, "quiet");
	snprintf(seen.adj, sizeof(seen.adj), "%s", adj ? adj : "(none)");
	seen.count = cmd_count(args);
	for (int i = 0; i < seen.count && i < 8; i++)
		snprintf(seen.operands[i], sizeof(seen.operands[i]), "%s", cmd_operand(args, i));
	assert_null(cmd_operand(args, seen.count));
	assert_null(cmd_operands(args)[seen.count]);
	return 7;
}

static const struct poptOption test_options[] = { { "dry-run", 'n', POPT_ARG_NONE, NULL, 0, "write nothing", NULL },
						  { "quiet", 'q', POPT_ARG_NONE, NULL, 0, "say less", NULL },
						  { "adj", 0, POPT_ARG_STRING, NULL, 0, "the value", "ADJ" },
						  POPT_TABLEEND };

static const struct poptOption flag_options[] = { { "dry-run", 'n', POPT_ARG_NONE, NULL, 0, "write nothing", NULL },
						  { "quiet", 'q', POPT_ARG_NONE, NULL, 0, "say less", NULL },
						  { "adj", 0, POPT_ARG_NONE, NULL, 0, "unused here", NULL },
						  POPT_TABLEEND };

/* Runs entry on the NULL-terminated words after "oomtop t"; stderr goes to err (size bytes). */
static int run(const struct cmd_entry *entry, char *err, size_t size, ...)
{
	const char *argv[16] = { "oomtop t" };
	char *buf = NULL;
	size_t len = 0;
	FILE *saved = stderr;
	int argc = 1, status;
	va_list ap;

	va_start(ap, size);
	for (const char *w; (w = va_arg(ap, const char *)) != NULL && argc < 15;)
		argv[argc++] = w;
	va_end(ap);
	memset(&seen, 0, sizeof(seen));
	stderr = open_memstream(&buf, &len);
	status = cmd_execute(entry, argc, argv);
	fclose(stderr);
	stderr = saved;
	snprintf(err, size, "%s", buf ? buf : "");
	free(buf);
	return status;
}

static void test_options_and_operands(void **state)
{
	(void)state;
	const struct cmd_entry e = {
		.name = "t",
		.usage = "[-n] [-q] [--adj ADJ] [FILE]",
		.options = test_options,
		.upper = 1,
		.exec = test_exec,
	};
	char err[512];

	assert_int_equal(run(&e, err, sizeof(err), "-n", "--adj", "5", "--adj=7", "file", NULL), 7);
	assert_int_equal(seen.calls, 1);
	assert_true(seen.dry_run);
	assert_false(seen.quiet);
	assert_string_equal(seen.adj, "7"); /* the last one counts */
	assert_int_equal(seen.count, 1);
	assert_string_equal(seen.operands[0], "file");
	assert_string_equal(err, "");

	/* options may follow operands */
	assert_int_equal(run(&e, err, sizeof(err), "file", "-q", NULL), 7);
	assert_true(seen.quiet);
	assert_string_equal(seen.adj, "(none)");
	assert_string_equal(seen.operands[0], "file");

	assert_int_equal(run(&e, err, sizeof(err), NULL), 7);
	assert_int_equal(seen.count, 0);
}

static void test_usage_errors(void **state)
{
	(void)state;
	const struct cmd_entry e = {
		.name = "t",
		.usage = "[-n] PID",
		.options = test_options,
		.lower = 1,
		.upper = 1,
		.missing = "which process? (oomtop t PID)",
		.extra = "one PID at a time",
		.exec = test_exec,
	};
	const struct cmd_entry bare = { .name = "t", .usage = "", .options = test_options, .exec = test_exec };
	const struct cmd_entry own = {
		.name = "t",
		.usage = "",
		.options = test_options,
		.usage_status = 125,
		.exec = test_exec,
	};
	char err[512];

	assert_int_equal(run(&e, err, sizeof(err), "--bogus", "1", NULL), EXIT_USAGE);
	assert_int_equal(seen.calls, 0);
	assert_string_equal(err, "oomtop: t: --bogus: unknown option\nTry 'oomtop t --help' for more information.\n");

	assert_int_equal(run(&e, err, sizeof(err), "--adj", NULL), EXIT_USAGE);
	assert_string_equal(err, "oomtop: t: --adj: missing argument\nTry 'oomtop t --help' for more information.\n");

	assert_int_equal(run(&e, err, sizeof(err), "-n", NULL), EXIT_USAGE);
	assert_int_equal(seen.calls, 0);
	assert_string_equal(err, "oomtop: t: which process? (oomtop t PID)\n"
				 "Try 'oomtop t --help' for more information.\n");

	assert_int_equal(run(&e, err, sizeof(err), "1", "2", "3", NULL), EXIT_USAGE);
	assert_int_equal(seen.calls, 0);
	assert_string_equal(err, "oomtop: t: unexpected argument '2' (one PID at a time)\n"
				 "Try 'oomtop t --help' for more information.\n");

	assert_int_equal(run(&bare, err, sizeof(err), "x", NULL), EXIT_USAGE);
	assert_string_equal(err, "oomtop: t: unexpected argument 'x'\nTry 'oomtop t --help' for more information.\n");

	/* a command may exit otherwise on a usage error (run: 125, as env) */
	assert_int_equal(run(&own, err, sizeof(err), "-Z", NULL), 125);
	assert_int_equal(seen.calls, 0);
}

static void test_numbers_are_operands(void **state)
{
	(void)state;
	const struct cmd_entry e = {
		.name = "t",
		.usage = "",
		.options = flag_options,
		.flags = CMD_NUMBERS_ARE_OPERANDS,
		.upper = -1,
		.exec = test_exec,
	};
	char err[512];

	assert_int_equal(run(&e, err, sizeof(err), "-500", "1234", "-n", NULL), 7);
	assert_true(seen.dry_run);
	assert_int_equal(seen.count, 2);
	assert_string_equal(seen.operands[0], "-500");
	assert_string_equal(seen.operands[1], "1234");

	/* after "--" everything is an operand; a lone "-" always is */
	assert_int_equal(run(&e, err, sizeof(err), "-q", "-", "--", "-n", "--", NULL), 7);
	assert_true(seen.quiet);
	assert_false(seen.dry_run);
	assert_int_equal(seen.count, 3);
	assert_string_equal(seen.operands[0], "-");
	assert_string_equal(seen.operands[1], "-n");
	assert_string_equal(seen.operands[2], "--");

	assert_int_equal(run(&e, err, sizeof(err), "-5x", NULL), EXIT_USAGE);
	assert_int_equal(seen.calls, 0);
}

static void test_options_before_operands(void **state)
{
	(void)state;
	const struct cmd_entry e = {
		.name = "t",
		.usage = "",
		.options = test_options,
		.flags = CMD_OPTIONS_BEFORE_OPERANDS,
		.lower = 1,
		.upper = -1,
		.missing = "no COMMAND given",
		.exec = test_exec,
	};
	char err[512];

	assert_int_equal(run(&e, err, sizeof(err), "--adj", "3", "sh", "-n", "--adj", "x", NULL), 7);
	assert_string_equal(seen.adj, "3");
	assert_false(seen.dry_run);
	assert_int_equal(seen.count, 4);
	assert_string_equal(seen.operands[0], "sh");
	assert_string_equal(seen.operands[1], "-n");

	assert_int_equal(run(&e, err, sizeof(err), "--adj", "3", "--", NULL), EXIT_USAGE);
	assert_string_equal(err, "oomtop: t: no COMMAND given\nTry 'oomtop t --help' for more information.\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_and_operands),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_numbers_are_operands),
		cmocka_unit_test(test_options_before_operands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
