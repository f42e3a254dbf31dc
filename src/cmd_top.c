/* `oomtop top`: the processes ranked in the order the OOM killer would kill them. */
#include <errno.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "snapshot.h"
#include "topfmt.h"
#include "users.h"
#include "xalloc.h"

#define CMD "top"
#define MAX_PIDS 4096

/* The command line of `top`, parsed and checked. */
struct top_opts {
	struct snap_query q;
	bool no_header;
	bool json;
	bool wide;
	pid_t *pids;           /* owned; the query borrows it */
};

/* Parses "PID[,PID...]" into o->pids; 0 or -EINVAL. */
static int parse_pid_list(const char *arg, struct top_opts *o)
{
	char *copy = xstrdup(arg), *rest = copy, *tok;
	int err = 0;

	o->pids = xcalloc(MAX_PIDS, sizeof(*o->pids));
	while ((tok = strsep(&rest, ",")) != NULL) {
		long v;
		if (num_parse_long(tok, 1, 0x3fffffff, &v) < 0 || o->q.npids == MAX_PIDS) {
			err = -EINVAL;
			break;
		}
		o->pids[o->q.npids++] = (pid_t)v;
	}
	if (o->q.npids == 0)
		err = -EINVAL;
	o->q.pids = o->pids;
	free(copy);
	return err;
}

/* Parses argv into o; returns EXIT_OK, or the exit status to stop with. */
static int parse_args(int argc, const char **argv, struct top_opts *o)
{
	char *rows = NULL, *sort = NULL, *user = NULL, *pids = NULL;
	int reverse = 0, all = 0, no_header = 0, json = 0, wide = 0, rc;
	struct poptOption options[] = {
		{ "rows", 'n', POPT_ARG_STRING, &rows, 0, "show the first N processes (0 = all)", "N" },
		{ "sort", 's', POPT_ARG_STRING, &sort, 0, "sort by KEY: " RANK_KEY_NAMES, "KEY" },
		{ "reverse", 'r', POPT_ARG_NONE, &reverse, 0, "reverse the order", NULL },
		{ "user", 'u', POPT_ARG_STRING, &user, 0, "only processes of USER (name or uid)", "USER" },
		{ "pid", 'p', POPT_ARG_STRING, &pids, 0, "only these processes", "PID[,PID...]" },
		{ "all", 'a', POPT_ARG_NONE, &all, 0, "also list processes the OOM killer never kills", NULL },
		{ "wide", 'w', POPT_ARG_NONE, &wide, 0, "do not cut lines to the terminal width", NULL },
		{ "no-header", 0, POPT_ARG_NONE, &no_header, 0, "print no header lines", NULL },
		{ "json", 0, POPT_ARG_NONE, &json, 0, "print a JSON array, ranked", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, argc, argv, options, 0);
	int status = EXIT_OK;
	long nrows = 0;

	poptSetOtherOptionHelp(pc, "[OPTION...]");
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		status = msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	if (poptPeekArg(pc)) {
		status = msg_usage(CMD, "unexpected argument '%s'", poptPeekArg(pc));
		goto out;
	}
	o->q.key = RANK_BADNESS;
	if (rows && num_parse_long(rows, 0, 10000000, &nrows) < 0) {
		status = msg_usage(CMD, "-n: '%s' is not a number of rows (0 or more, 0 = all)", rows);
		goto out;
	}
	o->q.limit = (size_t)nrows;
	if (sort && rank_key_parse(sort, &o->q.key) < 0) {
		status = msg_usage(CMD, "-s: unknown sort key '%s' (one of: %s)", sort, RANK_KEY_NAMES);
		goto out;
	}
	if (user) {
		if (users_parse(user, &o->q.uid) < 0) {
			status = msg_usage(CMD, "-u: no such user '%s' (a user name or a numeric uid)", user);
			goto out;
		}
		o->q.have_uid = true;
	}
	if (pids && parse_pid_list(pids, o) < 0) {
		status = msg_usage(CMD, "-p: '%s' is not a list of process IDs (PID[,PID...], each 1 or more)",
				   pids);
		goto out;
	}
	o->q.reverse = reverse;
	o->q.all = all;
	o->no_header = no_header;
	o->json = json;
	o->wide = wide;
out:
	free(rows);
	free(sort);
	free(user);
	free(pids);
	poptFreeContext(pc);
	return status;
}

/* Prints the shown rows of s as a table or JSON; returns 0 or -errno of the write. */
static int print_rows(const struct snapshot *s, const struct top_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct topfmt_ctx ctx = {
		.totalpages = s->totalpages,
		.page_kib = s->mem.page_kib,
		.utf8 = out_locale_utf8(),
		.width = o->wide ? 0 : (size_t)out_terminal_width(STDOUT_FILENO),
	};
	int err;

	if (o->json) {
		struct json j;
		json_init(&j, &sb);
		json_arr_begin(&j);
		for (size_t i = 0; i < s->shown; i++) {
			json_newline(&j);
			topfmt_json(&j, s->rows[i], &ctx);
		}
		if (s->shown)
			json_newline(&j);
		json_arr_end(&j);
		sb_addc(&sb, '\n');
	} else {
		if (!o->no_header) {
			char ram[16], swap[16];
			out_size_kib(ram, sizeof(ram), s->mem.mem_total_kib);
			out_size_kib(swap, sizeof(swap), s->mem.swap_total_kib);
			sb_addf(&sb, "OOM domain: global, %s RAM + %s swap = %lu pages; %zu of %zu processes killable\n",
				ram, swap, s->totalpages, s->killable, s->total);
			topfmt_header(&sb, &ctx);
		}
		for (size_t i = 0; i < s->shown; i++)
			topfmt_row(&sb, s->rows[i], &ctx);
	}
	err = msg_write_stdout(sb_str(&sb), sb.len);
	sb_free(&sb);
	return err;
}

/* Runs `oomtop top`. */
int cmd_top(int argc, const char **argv)
{
	struct top_opts o = { 0 };
	struct snapshot s = { 0 };
	int status, err, hidden_errno;
	size_t hidden;

	status = parse_args(argc, argv, &o);
	if (status != EXIT_OK)
		goto out;
	err = snap_take(&s, &o.q);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s (mount it with: mount -t proc proc /proc)",
			err == -ENODEV ? "it is not a procfs" : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < o.q.npids; i++) {
		if (!proc_table_find(s.table, o.pids[i])) {
			msg_err(CMD, "no process %d", (int)o.pids[i]);
			status = EXIT_NOMATCH;
		}
	}
	if (print_rows(&s, &o) < 0)
		status = EXIT_FAIL;
	hidden = proc_table_unreadable(s.table, &hidden_errno);
	if (hidden > 0)
		msg_err(CMD, "%zu processes could not be read (%s); their fields show as '?' or null: "
			     "/proc may be mounted with hidepid=, run as root to see them",
			hidden, strerror(hidden_errno));
out:
	snap_free(&s);
	free(o.pids);
	users_free();
	return status;
}
