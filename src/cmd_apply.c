/* `oomtop apply [FILE]`: apply the rules of /etc/oomtop.conf, all checked before anything is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "rules.h"
#include "rulesfile.h"
#include "sel.h"

#define CMD "apply"

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

/* Runs `oomtop apply` on its checked command line. */
static int apply_exec(const struct cmd_args *args)
{
	bool dry_run = cmd_flag(args, "dry-run"), quiet = cmd_flag(args, "quiet");
	const char *path = cmd_count(args) ? cmd_operand(args, 0) : RULES_DEFAULT;
	struct strbuf err = STRBUF_INIT;
	struct rules rs = { 0 };
	struct sel_report rep = { 0 };
	struct sel_opts o = { .cmd = CMD };
	int status = EXIT_OK;
	char *text = NULL;
	size_t len = 0;

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
	if (cmd_print_items(CMD, rs.v, &rep, quiet, true) < 0) {
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
	return status;
}

static const struct poptOption apply_options[] = {
	{ "dry-run", 'n', POPT_ARG_NONE, NULL, 0, "show what would change, write nothing", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, 0, "print only changes and failures (for cron)", NULL },
	POPT_TABLEEND
};

/* `oomtop apply`: one rules file at most. */
const struct cmd_entry cmd_apply_entry = {
	.name = CMD,
	.usage = "[-n] [-q] [FILE]",
	.summary = "apply the rules of FILE (default /etc/oomtop.conf), for cron",
	.options = apply_options,
	.upper = 1,
	.extra = "one rules FILE",
	.exec = apply_exec,
};
