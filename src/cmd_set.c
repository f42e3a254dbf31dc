/* `oomtop set ADJ PID...`: set the oom_score_adj (or legacy oom_adj) of given processes. */
#include <errno.h>
#include <limits.h>
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
#include "xalloc.h"

#define CMD "set"

/* Runs `oomtop set` on its checked command line. */
static int set_exec(const struct cmd_args *args)
{
	bool legacy = cmd_flag(args, "legacy"), quiet = cmd_flag(args, "quiet");
	struct adj_request req = { .cmd = CMD };
	const char *adj_text = cmd_operand(args, 0);
	const char *const *pid_texts = cmd_operands(args) + 1;
	int rc, status = EXIT_OK;
	pid_t *pids = NULL;
	size_t npids = 0;
	bool utf8 = out_locale_utf8();

	req.unit = legacy ? ADJ_LEGACY : ADJ_SCORE;
	req.dry_run = cmd_flag(args, "dry-run");
	rc = adj_parse(adj_text, req.unit, &req.value);
	if (rc < 0) {
		status = msg_usage(
			CMD, "ADJ '%s' is %s (%s %d..%d)", adj_text, rc == -ERANGE ? "out of range" : "not a number",
			legacy ? "an oom_adj," : "an oom_score_adj,", adj_unit_min(req.unit), adj_unit_max(req.unit));
		goto out;
	}
	if (!pid_texts[0]) {
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
	return status;
}

static const struct poptOption set_options[] = {
	{ "legacy", 0, POPT_ARG_NONE, NULL, 0, "ADJ is a legacy oom_adj (-17..15), written to oom_adj", NULL },
	{ "dry-run", 'n', POPT_ARG_NONE, NULL, 0, "show what would change, write nothing", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, 0, "print only changes and failures", NULL },
	POPT_TABLEEND
};

/* `oomtop set`: a value first, so a negative one ("-500") is an operand wherever the options are. */
const struct cmd_entry cmd_set_entry = {
	.name = CMD,
	.usage = "[--legacy] [-n] [-q] ADJ PID ...",
	.summary = "set the oom_score_adj of processes",
	.options = set_options,
	.flags = CMD_NUMBERS_ARE_OPERANDS,
	.lower = 1,
	.upper = -1,
	.missing = "no value given (ADJ PID...)",
	.exec = set_exec,
};
