/* `oomtop protect PATTERN...`: select processes like pgrep and set their value (default -1000). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "rules.h"
#include "sel.h"
#include "units.h"
#include "unitsfmt.h"
#include "xalloc.h"

#define CMD "protect"

/* Tells whether an item is a process the rule selected and tried to set (not skipped, not gone). */
static bool selected(const struct sel_item *it)
{
	return it->workload &&
	       (it->outcome == SEL_CHANGED || it->outcome == SEL_UNCHANGED || it->outcome == SEL_FAILED);
}

/*
 * Writes (or, dry, shows) the drop-in of one service, then reads the unit
 * back as systemd would and says when a later drop-in overrides it; held
 * tells whether every selected process of the unit holds adj now.
 * Returns 0, or -1 when it could not be written or would not hold.
 */
static int persist_service(const char *unit, int adj, bool dry_run, bool quiet, bool held, bool utf8)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	enum units_write what = UNITS_WRITTEN;
	struct units_decl d;
	char path[UNITS_PATH_MAX];
	int rc = 0;

	if (units_dropin_path(unit, path, sizeof(path)) < 0 ||
	    units_write_dropin(unit, adj, dry_run, &what, &err) < 0) {
		msg_err(CMD, "--persist: %s: %s", unit, err.len ? sb_str(&err) : "not a unit name systemd takes");
		rc = -1;
		goto out;
	}
	unitsfmt_written(&sb, unit, path, adj, what, held, dry_run, utf8);
	sb_addc(&sb, '\n');
	if (!(quiet && what == UNITS_UNCHANGED) && msg_write_stdout(sb.buf, sb.len) < 0)
		rc = -1;
	/* a drop-in sorted after ours, or the unit masked, decides instead: say so, it would not hold */
	if (what != UNITS_WOULD_WRITE && units_declared(unit, &d) == 0 &&
	    (d.masked || !d.have_adj || d.adj != adj || strcmp(d.adj_file, path) != 0)) {
		if (d.masked)
			msg_err(CMD, "--persist: %s: the unit is masked (%s links to /dev/null): nothing of it runs",
				unit, d.unit_file);
		else if (d.have_adj)
			msg_err(CMD,
				"--persist: %s: %s:%u declares OOMScoreAdjust=%d, and systemd will apply that instead (a "
				"drop-in read after this one, by file name, or one of the same name higher on the search "
				"path)",
				unit, d.adj_file, d.adj_line, d.adj);
		else
			msg_err(CMD,
				"--persist: %s: %s:%u resets OOMScoreAdjust=, and systemd will apply no value (a drop-in "
				"read after this one, by file name, or one of the same name higher on the search path)",
				unit, d.adj_file, d.adj_line);
		rc = -1;
	}
out:
	sb_free(&sb);
	sb_free(&err);
	return rc;
}

/*
 * Makes the value last for every workload among the selected processes of
 * rep, once each: a system service gets its drop-in, anything else the
 * setting that holds it there (unitsfmt_advice(); not with quiet, nor an
 * unchanged drop-in).  Returns 0, or -1 when
 * a drop-in could not be written or would not hold.
 */
static int persist(const struct sel_report *rep, int adj, bool dry_run, bool quiet)
{
	bool utf8 = out_locale_utf8();
	int rc = 0;

	for (size_t i = 0; i < rep->nitems; i++) {
		const struct sel_item *it = &rep->items[i];
		struct strbuf sb = STRBUF_INIT;
		bool first = true, held = true;

		if (!selected(it))
			continue;
		for (size_t k = 0; k < i && first; k++)
			first = !(selected(&rep->items[k]) && workload_same(rep->items[k].workload, it->workload));
		if (!first)
			continue;
		for (size_t k = i; k < rep->nitems; k++)
			if (selected(&rep->items[k]) && workload_same(rep->items[k].workload, it->workload))
				held &= rep->items[k].outcome != SEL_FAILED;
		if (it->workload->kind == WORKLOAD_SERVICE) {
			if (persist_service(it->workload->unit, adj, dry_run, quiet, held, utf8) < 0)
				rc = -1;
		} else if (!quiet && unitsfmt_advice(&sb, it->workload, adj, utf8)) {
			sb_addc(&sb, '\n');
			if (msg_write_stdout(sb.buf, sb.len) < 0)
				rc = -1;
		}
		sb_free(&sb);
	}
	return rc;
}

/* Runs `oomtop protect` on its checked command line. */
static int protect_exec(const struct cmd_args *args)
{
	const char *adj = cmd_value(args, "adj"), *user = cmd_value(args, "user"), *exe = cmd_value(args, "exe");
	const char *max = cmd_value(args, "max"), *unit = cmd_value(args, "unit"),
		   *workload = cmd_value(args, "workload");
	bool quiet = cmd_flag(args, "quiet"), keep = cmd_flag(args, "persist");
	struct strbuf err = STRBUF_INIT;
	struct sel_opts o = { .cmd = CMD };
	struct sel_report rep = { 0 };
	struct sel_rule r;
	int status = EXIT_OK;

	sel_rule_init(&r);
	r.full = cmd_flag(args, "full");
	r.exact = cmd_flag(args, "exact");
	r.icase = cmd_flag(args, "ignore-case");
	r.unit = cmd_flag(args, "legacy") ? ADJ_LEGACY : ADJ_SCORE;
	if (keep && r.unit == ADJ_LEGACY) {
		status = msg_usage(CMD,
				   "--persist writes OOMScoreAdjust=, an oom_score_adj: give --adj without --legacy");
		goto out;
	}
	if (user)
		r.users = xstrdup(user);
	if (exe)
		r.exe = xstrdup(exe);
	if (unit)
		r.unit_glob = xstrdup(unit);
	if (workload)
		r.workload_pat = xstrdup(workload);
	if (max && sel_parse_max(max, &r.max) < 0) {
		status = msg_usage(CMD, "--max '%s' is not a number of processes (1 or more)", max);
		goto out;
	}
	r.max_set = max != NULL;
	for (int i = 0; i < cmd_count(args); i++)
		sel_rule_add_pattern(&r, cmd_operand(args, i));
	if (rules_finish(&r, adj, NULL, &err) < 0 || sel_resolve(&r, &err) < 0) {
		status = msg_usage(CMD, "%s", sb_str(&err));
		goto out;
	}
	/* even with -q: the path no longer names what the processes run */
	if (r.exe && !r.have_exe)
		msg_err(CMD, "--exe %s: %s; only processes still running a deleted file of that path can match", r.exe,
			strerror(r.exe_errno));

	o.dry_run = cmd_flag(args, "dry-run");
	o.want_workload = keep;
	if (sel_run(&r, 1, &o, &rep) < 0) {
		msg_err(CMD, "cannot read /proc: %s", strerror(rep.scan_errno));
		status = EXIT_FAIL;
		goto out;
	}
	if (cmd_print_items(CMD, &r, &rep, quiet, true) < 0) {
		status = EXIT_FAIL;
		goto out;
	}
	/* after the items: a rule refused because every match was skipped names them above */
	if (rep.refused[0]) {
		sel_format_refusal(&err, &r, rep.matched[0], rep.skipped[0], rep.eligible, rep.refused[0]);
		msg_err(CMD, "%s", sb_str(&err));
	}
	status = sel_exit_status(&rep, 1);
	if (keep && !rep.refused[0] && persist(&rep, sel_target_score(&r), o.dry_run, quiet) < 0)
		status = EXIT_FAIL;
	/* a glob that names no running unit is most often a typo: say which selector found nothing */
	if (status == EXIT_NOMATCH && !quiet && (unit || workload) && rep.skipped[0] == 0) {
		sb_reset(&err);
		if (unit)
			sb_addf(&err, " in a unit matching '%s'", unit);
		if (workload)
			sb_addf(&err, "%s a workload matching '%s'", unit ? " and" : " in", workload);
		msg_err(CMD,
			"no process selected%s (systemctl list-units shows the units, oomtop top -o workload the "
			"workloads)",
			sb_str(&err));
	}
out:
	sel_report_free(&rep);
	sel_rule_free(&r);
	sb_free(&err);
	return status;
}

static const struct poptOption protect_options[] = {
	{ "adj", 0, POPT_ARG_STRING, NULL, 0, "the value to set (default -1000, or -17 with --legacy)", "ADJ" },
	{ "legacy", 0, POPT_ARG_NONE, NULL, 0, "ADJ is a legacy oom_adj (-17..15), written to oom_adj", NULL },
	{ "full", 'f', POPT_ARG_NONE, NULL, 0, "match the whole command line, not only the name", NULL },
	{ "exact", 'x', POPT_ARG_NONE, NULL, 0, "the pattern must match the whole name (command line)", NULL },
	{ "ignore-case", 'i', POPT_ARG_NONE, NULL, 0, "match regardless of case", NULL },
	{ "user", 'u', POPT_ARG_STRING, NULL, 0, "only processes of these users (and allow lowering theirs)",
	  "USER[,USER...]" },
	{ "exe", 0, POPT_ARG_STRING, NULL, 0, "only processes running this executable file", "PATH" },
	{ "unit", 0, POPT_ARG_STRING, NULL, 0, "only processes of a systemd unit matching this glob", "GLOB" },
	{ "workload", 0, POPT_ARG_STRING, NULL, 0,
	  "only processes of a workload: its name, unit, id prefix or namespace/pod (a glob)", "PATTERN" },
	{ "persist", 0, POPT_ARG_NONE, NULL, 0,
	  "also make it last: a drop-in with OOMScoreAdjust= for each selected process's systemd service "
	  "(a container's or pod's setting is printed instead)",
	  NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, NULL, 0, "show what would change, write nothing", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, 0, "print only changes and failures (for cron)", NULL },
	{ "max", 0, POPT_ARG_STRING, NULL, 0, "refuse when more than N processes match (default 32)", "N" },
	POPT_TABLEEND
};

/* `oomtop protect`: patterns as pgrep's, any number (or none, with -u, --exe, --unit or --workload). */
const struct cmd_entry cmd_protect_entry = {
	.name = CMD,
	.usage = "[--adj ADJ] [--legacy] [-f] [-x] [-i] [-u USER[,USER...]] [--exe PATH] [-n] [-q]\n"
		 "            [--unit GLOB] [--workload PATTERN] [--persist] [--max N] [PATTERN ...]",
	.summary = "set the oom_score_adj of processes selected like pgrep (default -1000)",
	.options = protect_options,
	.upper = -1,
	.exec = protect_exec,
};
