/* `oomtop set ADJ PID...`: set the oom_score_adj (or legacy oom_adj) of given processes. */
#include <errno.h>
#include <limits.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adj.h"
#include "adjfmt.h"
#include "cmd.h"
#include "msg.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "users.h"
#include "xalloc.h"

#define CMD "set"

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
 * `set -500 1234` reads -500 as the value; set's options take no values.
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

/* Runs `oomtop set`. */
int cmd_set(int argc, const char **argv)
{
	int legacy = 0, dry_run = 0, quiet = 0, rc, nargc, status = EXIT_OK;
	struct poptOption options[] = {
		{ "legacy", 0, POPT_ARG_NONE, &legacy, 0, "ADJ is a legacy oom_adj (-17..15), written to oom_adj",
		  NULL },
		{ "dry-run", 'n', POPT_ARG_NONE, &dry_run, 0, "show what would change, write nothing", NULL },
		{ "quiet", 'q', POPT_ARG_NONE, &quiet, 0, "print only changes and failures", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **args = operands_last(argc, argv, &nargc);
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, nargc, args, options, 0);
	struct adj_request req = { .cmd = CMD };
	const char *adj_text, **pid_texts;
	pid_t *pids = NULL;
	size_t npids = 0;
	bool utf8 = out_locale_utf8();

	poptSetOtherOptionHelp(pc, CMD_SET_SYNOPSIS);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		status = msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	req.unit = legacy ? ADJ_LEGACY : ADJ_SCORE;
	req.dry_run = dry_run;
	adj_text = poptGetArg(pc);
	if (!adj_text) {
		status = msg_usage(CMD, "no value given (ADJ PID...)");
		goto out;
	}
	rc = adj_parse(adj_text, req.unit, &req.value);
	if (rc < 0) {
		status = msg_usage(
			CMD, "ADJ '%s' is %s (%s %d..%d)", adj_text, rc == -ERANGE ? "out of range" : "not a number",
			legacy ? "an oom_adj," : "an oom_score_adj,", adj_unit_min(req.unit), adj_unit_max(req.unit));
		goto out;
	}
	pid_texts = poptGetArgs(pc);
	if (!pid_texts || !pid_texts[0]) {
		status = msg_usage(CMD, "no process given (ADJ PID...)");
		goto out;
	}
	/* every PID is checked before anything is written */
	for (; pid_texts[npids]; npids++)
		;
	pids = xcalloc(npids, sizeof(*pids));
	for (size_t i = 0; i < npids; i++) {
		long v;
		if (num_parse_long(pid_texts[i], 1, INT_MAX, &v) < 0) {
			status = msg_usage(CMD, "'%s' is not a process ID (a number, 1 or more)", pid_texts[i]);
			goto out;
		}
		pids[i] = (pid_t)v;
	}

	for (size_t i = 0; i < npids; i++) {
		struct adj_result res;
		struct strbuf sb = STRBUF_INIT;

		adj_set_pid(pids[i], 0, &req, &res);
		adjfmt_result(&sb, &res, utf8);
		if (res.err) {
			msg_err(CMD, "%s", sb_str(&sb));
			status = EXIT_NOMATCH;
		} else if (!quiet || adj_result_changes(&res)) {
			sb_addc(&sb, '\n');
			if (msg_write_stdout(sb.buf, sb.len) < 0)
				status = EXIT_FAIL;
		}
		sb_free(&sb);
	}
out:
	free(pids);
	poptFreeContext(pc);
	free(args);
	users_free();
	return status;
}
