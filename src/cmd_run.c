/* `oomtop run -- COMMAND`: set its own value, then become COMMAND (like choom -n, exit codes like env). */
#include <errno.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adj.h"
#include "adjfmt.h"
#include "cmd.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "users.h"

#define CMD "run"

/* env(1)'s exit statuses: its own failure, a command that cannot run, one not found. */
enum {
	RUN_EXIT_FAIL = 125,
	RUN_EXIT_CANNOT = 126,
	RUN_EXIT_NOTFOUND = 127,
};

/* Runs `oomtop run`; returns only when the command could not be started. */
int cmd_run(int argc, const char **argv)
{
	char *adj = NULL;
	int legacy = 0, rc, status = RUN_EXIT_FAIL;
	struct poptOption options[] = { { "adj", 0, POPT_ARG_STRING, &adj, 0,
					  "the value to run with (default -1000, or -17 with --legacy)", "ADJ" },
					{ "legacy", 0, POPT_ARG_NONE, &legacy, 0,
					  "ADJ is a legacy oom_adj (-17..15), written to oom_adj", NULL },
					POPT_AUTOHELP POPT_TABLEEND };
	/* POSIXMEHARDER: options end at COMMAND, so its own options stay its own */
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, argc, argv, options, POPT_CONTEXT_POSIXMEHARDER);
	struct adj_request req = { .cmd = CMD };
	struct adj_result res;
	const char **cmd;

	poptSetOtherOptionHelp(pc, CMD_RUN_SYNOPSIS);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	req.unit = legacy ? ADJ_LEGACY : ADJ_SCORE;
	req.value = adj_unit_min(req.unit);
	if (adj) {
		rc = adj_parse(adj, req.unit, &req.value);
		if (rc < 0) {
			msg_usage(CMD, "--adj '%s' is %s (%s %d..%d)", adj,
				  rc == -ERANGE ? "out of range" : "not a number",
				  legacy ? "an oom_adj," : "an oom_score_adj,", adj_unit_min(req.unit),
				  adj_unit_max(req.unit));
			goto out;
		}
	}
	cmd = poptGetArgs(pc);
	if (!cmd || !cmd[0]) {
		msg_usage(CMD, "no COMMAND given");
		goto out;
	}
	if (adj_set_pid(getpid(), 0, &req, &res) < 0) {
		struct strbuf sb = STRBUF_INIT;
		adjfmt_result(&sb, &res, out_locale_utf8());
		msg_err(CMD, "%s; '%s' was not run", sb_str(&sb), cmd[0]);
		sb_free(&sb);
		goto out;
	}
	users_free();
	fflush(stdout);
	execvp(cmd[0], (char *const *)cmd);
	rc = errno;
	msg_err(CMD, "cannot run '%s': %s", cmd[0], strerror(rc));
	status = rc == ENOENT ? RUN_EXIT_NOTFOUND : RUN_EXIT_CANNOT;
out:
	free(adj);
	poptFreeContext(pc);
	users_free();
	return status;
}
