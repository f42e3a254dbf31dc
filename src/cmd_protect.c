/* `oomtop protect PATTERN...`: select processes like pgrep and set their value (default -1000). */
#include <errno.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "rules.h"
#include "sel.h"
#include "users.h"
#include "xalloc.h"

#define CMD "protect"

/* Prints the line of every item of a report where it belongs; returns 0 or -errno of stdout. */
static int print_items(const struct sel_rule *rules, const struct sel_report *rep, bool quiet)
{
	bool utf8 = out_locale_utf8();
	int err = 0;

	for (size_t i = 0; i < rep->nitems; i++) {
		struct strbuf sb = STRBUF_INIT;
		enum sel_stream where = sel_format_item(&sb, &rep->items[i], quiet, utf8);
		struct strbuf note = STRBUF_INIT;
		if (where == SEL_STDERR) {
			msg_err(CMD, "%s", sb_str(&sb));
		} else if (where == SEL_STDOUT) {
			sb_addc(&sb, '\n');
			if (msg_write_stdout(sb.buf, sb.len) < 0)
				err = -errno;
		}
		sb_free(&sb);
		if (sel_note(&note, &rules[rep->items[i].rule], &rep->items[i], quiet, utf8))
			msg_err(CMD, "%s", sb_str(&note));
		sb_free(&note);
	}
	return err;
}

/* Runs `oomtop protect`. */
int cmd_protect(int argc, const char **argv)
{
	char *adj = NULL, *user = NULL, *exe = NULL, *max = NULL;
	int full = 0, exact = 0, icase = 0, legacy = 0, dry_run = 0, quiet = 0, rc, status = EXIT_OK;
	struct poptOption options[] = {
		{ "adj", 0, POPT_ARG_STRING, &adj, 0, "the value to set (default -1000, or -17 with --legacy)", "ADJ" },
		{ "legacy", 0, POPT_ARG_NONE, &legacy, 0, "ADJ is a legacy oom_adj (-17..15), written to oom_adj",
		  NULL },
		{ "full", 'f', POPT_ARG_NONE, &full, 0, "match the whole command line, not only the name", NULL },
		{ "exact", 'x', POPT_ARG_NONE, &exact, 0, "the pattern must match the whole name (command line)",
		  NULL },
		{ "ignore-case", 'i', POPT_ARG_NONE, &icase, 0, "match regardless of case", NULL },
		{ "user", 'u', POPT_ARG_STRING, &user, 0, "only processes of these users (and allow lowering theirs)",
		  "USER[,USER...]" },
		{ "exe", 0, POPT_ARG_STRING, &exe, 0, "only processes running this executable file", "PATH" },
		{ "dry-run", 'n', POPT_ARG_NONE, &dry_run, 0, "show what would change, write nothing", NULL },
		{ "quiet", 'q', POPT_ARG_NONE, &quiet, 0, "print only changes and failures (for cron)", NULL },
		{ "max", 0, POPT_ARG_STRING, &max, 0, "refuse when more than N processes match (default 32)", "N" },
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, argc, argv, options, 0);
	struct strbuf err = STRBUF_INIT;
	struct sel_opts o = { .cmd = CMD };
	struct sel_report rep = { 0 };
	struct sel_rule r;
	const char *pat;

	sel_rule_init(&r);
	poptSetOtherOptionHelp(pc, CMD_PROTECT_SYNOPSIS);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		status = msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	r.full = full;
	r.exact = exact;
	r.icase = icase;
	r.unit = legacy ? ADJ_LEGACY : ADJ_SCORE;
	if (user)
		r.users = xstrdup(user);
	if (exe)
		r.exe = xstrdup(exe);
	if (max && sel_parse_max(max, &r.max) < 0) {
		status = msg_usage(CMD, "--max '%s' is not a number of processes (1 or more)", max);
		goto out;
	}
	r.max_set = max != NULL;
	while ((pat = poptGetArg(pc)) != NULL)
		sel_rule_add_pattern(&r, pat);
	if (rules_finish(&r, adj, NULL, &err) < 0 || sel_resolve(&r, &err) < 0) {
		status = msg_usage(CMD, "%s", sb_str(&err));
		goto out;
	}
	/* even with -q: the path no longer names what the processes run */
	if (r.exe && !r.have_exe)
		msg_err(CMD, "--exe %s: %s; only processes still running a deleted file of that path can match", r.exe,
			strerror(r.exe_errno));

	o.dry_run = dry_run;
	if (sel_run(&r, 1, &o, &rep) < 0) {
		msg_err(CMD, "cannot read /proc: %s", strerror(rep.scan_errno));
		status = EXIT_FAIL;
		goto out;
	}
	if (print_items(&r, &rep, quiet) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	/* after the items: a rule refused because every match was skipped names them above */
	if (rep.refused[0]) {
		sel_format_refusal(&err, &r, rep.matched[0], rep.skipped[0], rep.eligible, rep.refused[0]);
		msg_err(CMD, "%s", sb_str(&err));
	}
	status = sel_exit_status(&rep, 1);
out:
	sel_report_free(&rep);
	sel_rule_free(&r);
	sb_free(&err);
	free(adj);
	free(user);
	free(exe);
	free(max);
	poptFreeContext(pc);
	users_free();
	return status;
}
