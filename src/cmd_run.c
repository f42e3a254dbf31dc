/* `oomtop run -- COMMAND`: set its own value, then become COMMAND (like choom -n, exit codes like env). */
#include <errno.h>
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

#define CMD "run"

/* env(1)'s exit statuses: its own failure, a command that cannot run, one not found. */
enum {
	RUN_EXIT_FAIL = 125,
	RUN_EXIT_CANNOT = 126,
	RUN_EXIT_NOTFOUND = 127,
};

/* Runs `oomtop run` on its checked command line; returns only when the command could not be started. */
static int run_exec(const struct cmd_args *args)
{
	const char *adj = cmd_value(args, "adj");
	bool legacy = cmd_flag(args, "legacy");
	struct adj_request req = { .cmd = CMD };
	const char *const *cmd = cmd_operands(args);
	struct adj_result res;
	int rc;

	req.unit = legacy ? ADJ_LEGACY : ADJ_SCORE;
	req.value = adj_unit_min(req.unit);
	if (adj) {
		rc = adj_parse(adj, req.unit, &req.value);
		if (rc < 0) {
			msg_usage(CMD, "--adj '%s' is %s (%s %d..%d)", adj,
				  rc == -ERANGE ? "out of range" : "not a number",
				  legacy ? "an oom_adj," : "an oom_score_adj,", adj_unit_min(req.unit),
				  adj_unit_max(req.unit));
			return RUN_EXIT_FAIL;
		}
	}
	if (adj_set_pid(getpid(), 0, &req, &res) < 0) {
		struct strbuf sb = STRBUF_INIT;
		adjfmt_result(&sb, &res, out_locale_utf8());
		msg_err(CMD, "%s; '%s' was not run", sb_str(&sb), cmd[0]);
		sb_free(&sb);
		return RUN_EXIT_FAIL;
	}
	fflush(stdout);
	execvp(cmd[0], (char *const *)cmd);
	rc = errno;
	msg_err(CMD, "cannot run '%s': %s", cmd[0], strerror(rc));
	return rc == ENOENT ? RUN_EXIT_NOTFOUND : RUN_EXIT_CANNOT;
}

static const struct poptOption run_options[] = {
	{ "adj", 0, POPT_ARG_STRING, NULL, 0, "the value to run with (default -1000, or -17 with --legacy)", "ADJ" },
	{ "legacy", 0, POPT_ARG_NONE, NULL, 0, "ADJ is a legacy oom_adj (-17..15), written to oom_adj", NULL },
	POPT_TABLEEND
};

/* `oomtop run`: options end at COMMAND, so its own stay its own; its usage errors exit as env's (125). */
const struct cmd_entry cmd_run_entry = {
	.name = CMD,
	.usage = "[--adj ADJ] [--legacy] [--] COMMAND [ARG ...]",
	.summary = "run a command with an oom_score_adj (default -1000)",
	.options = run_options,
	.flags = CMD_OPTIONS_BEFORE_OPERANDS,
	.lower = 1,
	.upper = -1,
	.missing = "no COMMAND given",
	.usage_status = RUN_EXIT_FAIL,
	.exec = run_exec,
};
