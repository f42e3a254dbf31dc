/* `oomtop apply [FILE]`: apply the rules of /etc/oomtop.conf, all checked before anything is written. */
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "rules.h"
#include "rulesfile.h"
#include "sel.h"
#include "users.h"
#include "xalloc.h"

#define CMD "apply"

/* Prints the line of every item of a report where it belongs; returns 0 or -1 when stdout failed. */
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
				err = -1;
		}
		sb_free(&sb);
		if (sel_note(&note, &rules[rep->items[i].rule], &rep->items[i], quiet, utf8))
			msg_err(CMD, "%s", sb_str(&note));
		sb_free(&note);
	}
	return err;
}

/* Prints the one-line summary; quiet prints it only when something changed or failed. */
static int print_summary(const char *path, const struct rules *rs, const struct sel_report *rep, bool quiet,
			 bool dry_run)
{
	size_t count[SEL_GONE + 1] = { 0 }, refused = 0, idle = 0, matched = 0;
	struct strbuf sb = STRBUF_INIT;
	int err;

	for (size_t i = 0; i < rep->nitems; i++)
		count[rep->items[i].outcome]++;
	for (size_t i = 0; i < rs->n; i++) {
		refused += rep->refused[i] != SEL_ALLOWED;
		idle += rep->matched[i] + rep->skipped[i] == 0;
		matched += rep->matched[i] + rep->skipped[i]; /* the skipped ones are counted apart below */
	}
	if (quiet && !count[SEL_CHANGED] && !count[SEL_FAILED] && !refused)
		return 0;
	sb_addf(&sb, "%s: %zu rule%s, %zu process%s matched: %zu %s, %zu unchanged, %zu failed, %zu skipped", path,
		rs->n, rs->n == 1 ? "" : "s", matched, matched == 1 ? "" : "es", count[SEL_CHANGED],
		dry_run ? "would change" : "changed", count[SEL_UNCHANGED], count[SEL_FAILED], count[SEL_SKIPPED]);
	if (count[SEL_GONE])
		sb_addf(&sb, ", %zu exited", count[SEL_GONE]);
	if (refused)
		sb_addf(&sb, "; %zu rule%s refused", refused, refused == 1 ? "" : "s");
	if (idle)
		sb_addf(&sb, "; %zu rule%s matched nothing", idle, idle == 1 ? "" : "s");
	sb_addc(&sb, '\n');
	err = msg_write_stdout(sb.buf, sb.len);
	sb_free(&sb);
	return err;
}

/* Runs `oomtop apply`. */
int cmd_apply(int argc, const char **argv)
{
	int dry_run = 0, quiet = 0, rc, status = EXIT_OK;
	struct poptOption options[] = {
		{ "dry-run", 'n', POPT_ARG_NONE, &dry_run, 0, "show what would change, write nothing", NULL },
		{ "quiet", 'q', POPT_ARG_NONE, &quiet, 0, "print only changes and failures (for cron)", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, argc, argv, options, 0);
	struct strbuf err = STRBUF_INIT;
	struct rules rs = { 0 };
	struct sel_report rep = { 0 };
	struct sel_opts o = { .cmd = CMD };
	const char *path;
	char *text = NULL;
	size_t len = 0;

	poptSetOtherOptionHelp(pc, CMD_APPLY_SYNOPSIS);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		status = msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	path = poptGetArg(pc);
	if (!path)
		path = RULES_DEFAULT;
	if (poptPeekArg(pc)) {
		status = msg_usage(CMD, "unexpected argument '%s' (one rules FILE)", poptPeekArg(pc));
		goto out;
	}
	if (rulesfile_read(path, &text, &len, &err) < 0) {
		msg_err(CMD, "%s", sb_str(&err));
		status = EXIT_USAGE;
		goto out;
	}

	/* the whole file is checked before anything is written */
	if (rules_parse(text, len, path, sel_resolve, &rs, &err) < 0) {
		msg_lines(sb_str(&err));
		msg_err(CMD, "%s: bad rules, nothing was written", path);
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < rs.n; i++)
		if (rs.v[i].exe && !rs.v[i].have_exe) /* even with -q: the path no longer names what runs */
			msg_err(CMD,
				"%s:%u: --exe %s: %s; this rule matches only processes still running a deleted file of "
				"that path",
				path, rs.v[i].line, rs.v[i].exe, strerror(rs.v[i].exe_errno));

	o.dry_run = dry_run;
	if (sel_run(rs.v, rs.n, &o, &rep) < 0) {
		msg_err(CMD, "cannot read /proc: %s", strerror(rep.scan_errno));
		status = EXIT_FAIL;
		goto out;
	}
	if (print_items(rs.v, &rep, quiet) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	/* after the items: a rule refused because every match was skipped names them above */
	for (size_t i = 0; i < rs.n; i++) {
		if (!rep.refused[i])
			continue;
		sb_reset(&err);
		sel_format_refusal(&err, &rs.v[i], rep.matched[i], rep.skipped[i], rep.eligible, rep.refused[i]);
		msg_err(CMD, "%s:%u: %s", path, rs.v[i].line, sb_str(&err));
	}
	if (print_summary(path, &rs, &rep, quiet, dry_run) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	/* a rule that matches nothing is fine here: the service may be stopped */
	status = sel_exit_status(&rep, rs.n) == EXIT_FAIL ? EXIT_FAIL : EXIT_OK;
out:
	sel_report_free(&rep);
	rules_free(&rs);
	sb_free(&err);
	free(text);
	poptFreeContext(pc);
	users_free();
	return status;
}
