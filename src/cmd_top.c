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
#include "out.h"
#include "oomtop.h"
#include "proc.h"
#include "rank.h"
#include "sysmem.h"
#include "topfmt.h"
#include "users.h"
#include "xalloc.h"

#define CMD "top"
#define MAX_PIDS 4096

/* The command line of `top`, parsed and checked. */
struct top_opts {
	long rows;             /* 0 = all */
	enum rank_key key;
	bool reverse;
	bool all;
	bool no_header;
	bool json;
	bool wide;
	bool have_uid;
	uid_t uid;
	pid_t *pids;           /* owned; NULL = every process */
	size_t npids;
};

/* Parses "PID[,PID...]" into opts->pids; 0 or -EINVAL. */
static int parse_pid_list(const char *arg, struct top_opts *o)
{
	char *copy = xstrdup(arg), *rest = copy, *tok;
	int err = 0;

	o->pids = xcalloc(MAX_PIDS, sizeof(*o->pids));
	while ((tok = strsep(&rest, ",")) != NULL) {
		long v;
		if (num_parse_long(tok, 1, 0x3fffffff, &v) < 0 || o->npids == MAX_PIDS) {
			err = -EINVAL;
			break;
		}
		o->pids[o->npids++] = (pid_t)v;
	}
	if (o->npids == 0)
		err = -EINVAL;
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
	o->key = RANK_BADNESS;
	if (rows && num_parse_long(rows, 0, 10000000, &o->rows) < 0) {
		status = msg_usage(CMD, "-n: '%s' is not a number of rows (0 or more, 0 = all)", rows);
		goto out;
	}
	if (sort && rank_key_parse(sort, &o->key) < 0) {
		status = msg_usage(CMD, "-s: unknown sort key '%s' (one of: %s)", sort, RANK_KEY_NAMES);
		goto out;
	}
	if (user) {
		if (users_parse(user, &o->uid) < 0) {
			status = msg_usage(CMD, "-u: no such user '%s' (a user name or a numeric uid)", user);
			goto out;
		}
		o->have_uid = true;
	}
	if (pids && parse_pid_list(pids, o) < 0) {
		status = msg_usage(CMD, "-p: '%s' is not a list of process IDs (PID[,PID...], each 1 or more)",
				   pids);
		goto out;
	}
	o->reverse = reverse;
	o->all = all;
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

/* Returns whether rec belongs in the output under the filters of o. */
static bool wanted(const struct proc_record *rec, const struct top_opts *o)
{
	if (o->have_uid && (!(rec->known & PROC_HAVE_STATUS) || rec->uid != o->uid))
		return false;
	if (!o->all && !o->pids && rec->badness == BADNESS_UNKILLABLE)
		return false;
	return true;
}

/* Reads what the shown rows need beyond the scan: oom_score, cmdline, user name. */
static void fill_shown(struct proc_table *t, struct proc_record **rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		proc_read_score(t, rows[i]);
		proc_read_cmdline(t, rows[i]);
		if (rows[i]->known & PROC_HAVE_STATUS)
			rows[i]->user = users_name(rows[i]->uid);
	}
}

/* Puts rows in the requested order, reading start times where equal badness needs them. */
static void order_rows(struct proc_table *t, struct proc_record **rows, size_t n, const struct top_opts *o)
{
	size_t limit = o->rows ? (size_t)o->rows : n;

	if (o->key == RANK_SCORE)
		for (size_t i = 0; i < n; i++)
			proc_read_score(t, rows[i]);
	if (o->key == RANK_USER)
		for (size_t i = 0; i < n; i++)
			if (rows[i]->known & PROC_HAVE_STATUS)
				rows[i]->user = users_name(rows[i]->uid);
	rank_sort(rows, n, RANK_BADNESS, false);
	/* ties in badness are decided by evaluation order: read start times where they matter */
	size_t tied = rank_tied_prefix(rows, n, o->key == RANK_BADNESS && !o->reverse ? limit : n);
	for (size_t i = 0; i < tied; i++)
		if (proc_read_start(t, rows[i]) < 0) {
			rows[i]->start_ticks = 0;
			rows[i]->known |= PROC_HAVE_START;
		}
	if (tied || o->key != RANK_BADNESS || o->reverse)
		rank_sort(rows, n, o->key, o->reverse);
}

/* Prints the ranked rows as a table or JSON; returns 0 or -errno of the write. */
static int print_rows(struct proc_record **rows, size_t n, size_t total, size_t killable,
		      const struct sysmem *mem, const struct top_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct topfmt_ctx ctx = {
		.totalpages = mem->totalpages,
		.page_kib = mem->page_kib,
		.utf8 = out_locale_utf8(),
		.width = o->wide ? 0 : (size_t)out_terminal_width(STDOUT_FILENO),
	};
	int err;

	if (o->json) {
		struct json j;
		json_init(&j, &sb);
		json_arr_begin(&j);
		for (size_t i = 0; i < n; i++) {
			json_newline(&j);
			topfmt_json(&j, rows[i], &ctx);
		}
		if (n)
			json_newline(&j);
		json_arr_end(&j);
		sb_addc(&sb, '\n');
	} else {
		if (!o->no_header) {
			char ram[16], swap[16];
			out_size_kib(ram, sizeof(ram), mem->mem_total_kib);
			out_size_kib(swap, sizeof(swap), mem->swap_total_kib);
			sb_addf(&sb, "OOM domain: global, %s RAM + %s swap = %lu pages; %zu of %zu processes killable\n",
				ram, swap, mem->totalpages, killable, total);
			topfmt_header(&sb, &ctx);
		}
		for (size_t i = 0; i < n; i++)
			topfmt_row(&sb, rows[i], &ctx);
	}
	err = msg_write_stdout(sb_str(&sb), sb.len);
	sb_free(&sb);
	return err;
}

/* Runs `oomtop top`. */
int cmd_top(int argc, const char **argv)
{
	struct top_opts o = { 0 };
	struct proc_table *t = NULL;
	struct proc_record **rows = NULL;
	struct sysmem mem;
	size_t n = 0, len, killable = 0, shown;
	int status, err, hidden_errno;

	status = parse_args(argc, argv, &o);
	if (status != EXIT_OK)
		goto out;
	err = sysmem_read(&mem);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc/meminfo: %s (is /proc mounted?)", strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	t = proc_table_new();
	err = o.pids ? proc_scan_pids(t, o.pids, o.npids) : proc_scan(t);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s", err == -ENODEV ? "it is not a procfs (mount -t proc proc /proc)"
									 : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}

	len = proc_table_len(t);
	rows = xcalloc(len ? len : 1, sizeof(*rows));
	for (size_t i = 0; i < len; i++) {
		struct proc_record *rec = proc_table_at(t, i);
		rank_compute(rec, mem.totalpages, mem.page_kib);
		if (rec->badness != BADNESS_UNKILLABLE)
			killable++;
		if (wanted(rec, &o))
			rows[n++] = rec;
	}
	for (size_t i = 0; i < o.npids; i++)
		if (!proc_table_find(t, o.pids[i])) {
			msg_err(CMD, "no process %d", (int)o.pids[i]);
			status = EXIT_NOMATCH;
		}

	order_rows(t, rows, n, &o);
	shown = o.rows && (size_t)o.rows < n ? (size_t)o.rows : n;
	fill_shown(t, rows, shown);
	if (print_rows(rows, shown, len, killable, &mem, &o) < 0)
		status = EXIT_FAIL;

	if (proc_table_unreadable(t, &hidden_errno) > 0)
		msg_err(CMD, "%zu processes could not be read (%s); their fields show as '?' or null: "
			     "/proc may be mounted with hidepid=, run as root to see them",
			proc_table_unreadable(t, NULL), strerror(hidden_errno));
out:
	free(rows);
	free(o.pids);
	proc_table_free(t);
	users_free();
	return status;
}
