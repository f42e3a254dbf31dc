/* `oomtop top`: the processes ranked in the order the OOM killer would kill them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cmd.h"
#include "domain.h"
#include "msg.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "snapshot.h"
#include "topfmt.h"
#include "tui.h"
#include "users.h"
#include "xalloc.h"

#define CMD "top"
#define MAX_PIDS 4096
#define WORKLOAD_AUTO_WIDTH 120 /* a terminal this wide shows WORKLOAD unless -o noworkload */

/* The command line of `top`, parsed and checked. */
struct top_opts {
	struct snap_query q;
	bool no_header;
	bool json;
	bool wide;
	int workload_col;         /* -o: 1 workload, 0 noworkload, -1 as wide as the terminal allows */
	bool by_workload;         /* --by workload: one row per workload */
	size_t groups;            /* with --by workload: -n, the workloads shown (0 = all) */
	bool batch;               /* -b: tables, never the live view */
	double interval;          /* -d, seconds */
	unsigned long iterations; /* -i: tables (or refreshes) to print, 0 = no end */
	bool have_iterations;
	pid_t *pids;                    /* owned; the query borrows it */
	const char *cgroup;             /* borrowed; --cgroup as given, NULL = the global domain */
	struct cgroup_hier hier;        /* with --cgroup: the memory hierarchy */
	struct domain dom;              /* with --cgroup: its OOM domain, which the query borrows */
	char resolved[CGROUP_PATH_MAX]; /* with --cgroup: the cgroup it names, clean */
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

/* Parses -o's list of optional columns (workload, noworkload) into o; 0 or -EINVAL. */
static int parse_columns(const char *arg, struct top_opts *o)
{
	char *copy = xstrdup(arg), *rest = copy, *tok;
	int err = 0;

	while ((tok = strsep(&rest, ",")) != NULL) {
		if (strcmp(tok, "workload") == 0)
			o->workload_col = 1;
		else if (strcmp(tok, "noworkload") == 0)
			o->workload_col = 0;
		else
			err = -EINVAL;
	}
	free(copy);
	return err;
}

/* Reads the command line into o; returns EXIT_OK, or the exit status to stop with. */
static int parse_args(const struct cmd_args *args, struct top_opts *o)
{
	const char *rows = cmd_value(args, "rows"), *sort = cmd_value(args, "sort"), *user = cmd_value(args, "user");
	const char *pids = cmd_value(args, "pid"), *delay = cmd_value(args, "delay"),
		   *iter = cmd_value(args, "iterations"), *cols = cmd_value(args, "columns");
	long nrows = 0;
	size_t width;

	o->cgroup = cmd_value(args, "cgroup");
	if (o->cgroup && !*o->cgroup)
		return msg_usage(CMD, "--cgroup: the path is empty (a cgroup path such as /system.slice)");
	o->q.key = RANK_BADNESS;
	if (rows && num_parse_long(rows, 0, 10000000, &nrows) < 0)
		return msg_usage(CMD, "-n: '%s' is not a number of rows (0 or more, 0 = all)", rows);
	o->q.limit = (size_t)nrows;
	if (sort && rank_key_parse(sort, &o->q.key) < 0)
		return msg_usage(CMD, "-s: unknown sort key '%s' (one of: %s)", sort, RANK_KEY_NAMES);
	if (user) {
		if (users_parse(user, &o->q.uid) < 0)
			return msg_usage(CMD, "-u: no such user '%s' (a user name or a numeric uid)", user);
		o->q.have_uid = true;
	}
	if (pids && parse_pid_list(pids, o) < 0)
		return msg_usage(CMD, "-p: '%s' is not a list of process IDs (PID[,PID...], each 1 or more)", pids);
	o->interval = 2.0;
	if (delay && num_parse_seconds(delay, 100, 86400000, &o->interval) < 0)
		return msg_usage(CMD, "-d: '%s' is not a number of seconds (0.1 to 86400, up to 3 decimals)", delay);
	if (iter) {
		if (num_parse_ulong(iter, 100000000UL, &o->iterations) < 0)
			return msg_usage(CMD, "-i: '%s' is not a number of iterations (0 or more, 0 = no end)", iter);
		o->have_iterations = true;
	}
	o->batch = cmd_flag(args, "batch");
	o->q.reverse = cmd_flag(args, "reverse");
	o->q.all = cmd_flag(args, "all");
	o->no_header = cmd_flag(args, "no-header");
	o->json = cmd_flag(args, "json");
	o->wide = cmd_flag(args, "wide");
	if (cmd_value(args, "by")) {
		if (strcmp(cmd_value(args, "by"), "workload") != 0)
			return msg_usage(CMD, "--by: '%s' is not a grouping (workload)", cmd_value(args, "by"));
		if (sort || o->q.reverse)
			return msg_usage(CMD, "--by workload: the workloads are in kill order; -s and -r do not apply");
		o->by_workload = true;
		o->groups = o->q.limit;
		o->q.limit = 0;
	}
	o->q.unit = cmd_value(args, "unit");
	o->q.workload = cmd_value(args, "workload");
	if ((o->q.unit && !*o->q.unit) || (o->q.workload && !*o->q.workload))
		return msg_usage(CMD, "--unit, --workload: the pattern is empty");
	o->workload_col = -1;
	if (cols && parse_columns(cols, o) < 0)
		return msg_usage(CMD, "-o: '%s' is not a list of columns (workload, noworkload)", cols);
	width = o->wide ? 0 : (size_t)out_terminal_width(STDOUT_FILENO);
	if (o->workload_col < 0)
		o->workload_col = width == 0 || width >= WORKLOAD_AUTO_WIDTH;
	o->q.workloads = o->json || o->workload_col || o->by_workload;
	return EXIT_OK;
}

/* What the output says about the domain besides the rows. */
struct top_domain {
	const struct domain *dom;
	const char *given; /* the cgroup --cgroup named, resolved; NULL without --cgroup */
};

/* Prints the shown rows of s as a table or JSON; returns 0 or -errno of the write. */
static int print_rows(const struct snapshot *s, const struct top_opts *o, const struct top_domain *td)
{
	struct strbuf sb = STRBUF_INIT;
	struct topfmt_ctx ctx = {
		.totalpages = s->totalpages,
		.page_kib = s->mem.page_kib,
		.utf8 = out_locale_utf8(),
		.width = o->wide ? 0 : (size_t)out_terminal_width(STDOUT_FILENO),
		.score_totalpages = s->mem.totalpages,
		.domain = o->cgroup ? (td->dom->global ? "global" : td->dom->path) : NULL,
		.check = &s->check,
		.workload_col = o->workload_col > 0,
		.group = s->group.found ? &s->group : NULL,
	};
	int err;

	if (o->by_workload) {
		struct snap_group *g;
		size_t n;
		if (snap_group_workloads(s, &g, &n) < 0) {
			sb_free(&sb);
			return -EINVAL;
		}
		if (o->groups && o->groups < n)
			n = o->groups;
		if (o->json) {
			topfmt_groups_json(&sb, g, n);
		} else {
			if (!o->no_header)
				topfmt_domain_header(&sb, td->dom, &s->mem, s->killable, s->total, td->given, &s->check,
						     ctx.utf8);
			topfmt_groups(&sb, g, n, &ctx);
		}
		free(g);
	} else if (o->json) {
		topfmt_json_array(&sb, s->rows, s->shown, &ctx);
	} else {
		if (!o->no_header) {
			topfmt_domain_header(&sb, td->dom, &s->mem, s->killable, s->total, td->given, &s->check,
					     ctx.utf8);
			topfmt_group_note(&sb, ctx.group, ctx.utf8);
			topfmt_header(&sb, &ctx);
		}
		for (size_t i = 0; i < s->shown; i++)
			topfmt_row(&sb, s->rows[i], &ctx);
	}
	err = msg_write_stdout(sb_str(&sb), sb.len);
	sb_free(&sb);
	return err;
}

/*
 * Finds the OOM domain of the cgroup --cgroup names (its own limit, or the
 * nearest ancestor's, or the global domain) and loads its members; resolved
 * receives the cgroup's clean path.  Returns EXIT_OK or the exit status.
 */
static int select_domain(const char *arg, struct cgroup_hier *hp, struct domain *dom, char *resolved, size_t size)
{
	struct cgroup_hier h;
	struct sysmem mem;
	int err;

	err = sysmem_read(&mem);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc/meminfo: %s (mount it with: mount -t proc proc /proc)", strerror(-err));
		return EXIT_FAIL;
	}
	err = cgroup_hier_open(&h, mem.page_kib * 1024, mem.swap_total_kib / mem.page_kib);
	if (err < 0) {
		msg_err(CMD, "--cgroup: no memory cgroup hierarchy is mounted (no cgroup v1 mount with 'memory', "
			     "no cgroup2 mount that offers it)");
		return EXIT_USAGE;
	}
	if (arg[0] != '/') { /* a unit, a container or a pod: its cgroup */
		struct workload_cache *wl = workload_cache_new();
		err = workload_find_cgroup(wl, &h, arg, resolved, size);
		workload_cache_free(wl);
		if (err == -ENOENT) {
			msg_err(CMD, "--cgroup: no unit, container or pod matches '%s' (or give a cgroup path, from /)",
				arg);
			return EXIT_USAGE;
		}
		if (err == -EEXIST) {
			msg_err(CMD, "--cgroup: '%s' matches more than one workload (%s among them): name one", arg,
				resolved);
			return EXIT_USAGE;
		}
	} else {
		err = cgroup_resolve(&h, arg, resolved, size);
	}
	if (err == -ENOENT || err == -ENOTDIR) {
		if (cgroup_other_hierarchy(arg))
			msg_err(CMD, "--cgroup: %s has no memory controller (memory is the cgroup v%d hierarchy at %s)",
				arg, h.m.version, h.m.dir);
		else
			msg_err(CMD, "--cgroup: no cgroup %s in the memory hierarchy (cgroup v%d at %s)", arg,
				h.m.version, h.m.dir);
		return EXIT_USAGE;
	}
	if (err == -EINVAL || err == -EXDEV || err == -ENAMETOOLONG) {
		msg_err(CMD, "--cgroup: '%s' is not a cgroup path of the memory hierarchy at %s (%s)", arg, h.m.dir,
			err == -EINVAL  ? "'..' is not allowed"
			: err == -EXDEV ? "outside what this mount shows"
					: "too long");
		return EXIT_USAGE;
	}
	if (err < 0) {
		msg_err(CMD, "--cgroup: %s: %s", arg, strerror(-err));
		return EXIT_FAIL;
	}
	err = domain_innermost(&h, resolved, &mem, dom);
	if (err < 0) {
		msg_err(CMD, "--cgroup: cannot read the limits of %s: %s", resolved, strerror(-err));
		return err == -ENOENT ? EXIT_NOMATCH : EXIT_FAIL;
	}
	*hp = h;
	err = domain_load(&h, dom);
	if (err < 0) {
		msg_err(CMD, "--cgroup: %s: %s", dom->path, err == -ENOENT ? "the cgroup was removed" : strerror(-err));
		return EXIT_NOMATCH;
	}
	return EXIT_OK;
}

/* Prints one table (or JSON array) under o; returns the exit status. */
static int print_once(const struct top_opts *o)
{
	struct snapshot s = { 0 };
	struct domain global;
	struct top_domain td = { .dom = &o->dom, .given = o->cgroup ? o->resolved : NULL };
	int status = EXIT_OK, err, hidden_errno;
	struct proc_hidepid hp;
	size_t hidden;

	err = snap_take(&s, &o->q);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s (mount it with: mount -t proc proc /proc)",
			err == -ENODEV ? "it is not a procfs" : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	if (proc_hidepid_read(&hp) < 0)
		hp.hides = false;
	if (!o->q.domain) {
		domain_global(&global, &s.mem);
		td.dom = &global;
	}
	if ((o->q.unit || o->q.workload) && s.nwl_pids == 0) {
		if (o->q.unit)
			msg_err(CMD, "no unit matches '%s'", o->q.unit);
		else
			msg_err(CMD, "no workload matches '%s'", o->q.workload);
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < o->q.npids; i++) {
		unsigned long order;
		if (!proc_table_find(s.table, o->pids[i])) {
			msg_err(CMD, "no process %d%s%s%s", (int)o->pids[i],
				hp.hides ? " (or /proc hides it from you: hidepid=" : "",
				hp.hides ? proc_hidepid_text(hp.mode) : "", hp.hides ? ")" : "");
			status = EXIT_NOMATCH;
		} else if (!domain_has(td.dom, o->pids[i], &order)) {
			msg_err(CMD, "process %d is not in the OOM domain of cgroup %s", (int)o->pids[i], td.dom->path);
			status = EXIT_NOMATCH;
		}
	}
	if (print_rows(&s, o, &td) < 0)
		status = EXIT_FAIL;
	hidden = proc_table_unreadable(s.table, &hidden_errno);
	if (hidden > 0 || hp.hides) {
		struct strbuf why = STRBUF_INIT;
		proc_partial_reason(&why, &hp, hidden, hidden_errno);
		msg_err(CMD, "partial view: %s%s", sb_str(&why),
			hidden ? "; what could not be read shows as '?' or null" : "");
		sb_free(&why);
	}
out:
	snap_free(&s);
	return status;
}

/* Sleeps for secs seconds (a signal ends the program, as for top -b). */
static void sleep_secs(double secs)
{
	struct timespec ts = { .tv_sec = (time_t)secs, .tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Prints the tables of -b: one, or with -i N, N of them -d apart with a
 * blank line between (top -b -n N); returns the worst exit status.
 */
static int print_batch(struct top_opts *o)
{
	unsigned long n = o->have_iterations ? o->iterations : 1;
	int status = EXIT_OK;

	for (unsigned long i = 0; n == 0 || i < n; i++) {
		int st;
		if (i > 0) {
			sleep_secs(o->interval);
			if (o->q.domain && domain_load(&o->hier, &o->dom) < 0) {
				msg_err(CMD, "--cgroup: %s: the cgroup was removed", o->dom.path);
				return EXIT_NOMATCH;
			}
			if (!o->json && msg_write_stdout("\n", 1) < 0)
				return EXIT_FAIL;
		}
		st = print_once(o);
		if (st > status)
			status = st;
		if (st == EXIT_FAIL || fflush(stdout) != 0)
			return EXIT_FAIL;
	}
	return status;
}

/* Runs the live view when the output is a terminal that can host it; -ENOTTY when it cannot. */
static int run_live(const struct top_opts *o, int *status)
{
	struct tui_opts t = {
		.q = o->q, .interval = o->interval, .iterations = o->iterations, .by_workload = o->by_workload
	};
	int signo, err;

	err = tui_run(&t, &signo);
	if (err == -ENOTTY)
		return err;
	*status = EXIT_OK;
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s (mount it with: mount -t proc proc /proc)",
			err == -ENODEV ? "it is not a procfs" : strerror(-err));
		*status = EXIT_FAIL;
	}
	if (signo) {
		/* end as the signal would have, now that the terminal is restored */
		signal(signo, SIG_DFL);
		raise(signo);
	}
	return 0;
}

/* Runs `oomtop top` on its checked command line: the live view on a terminal, else the table. */
static int top_exec(const struct cmd_args *args)
{
	struct top_opts o = { 0 };
	int status;

	status = parse_args(args, &o);
	if (status != EXIT_OK)
		goto out;
	if (o.cgroup) {
		status = select_domain(o.cgroup, &o.hier, &o.dom, o.resolved, sizeof(o.resolved));
		if (status != EXIT_OK)
			goto out;
		o.q.domain = &o.dom;
	}
	if (o.batch || o.json || !isatty(STDOUT_FILENO) || run_live(&o, &status) == -ENOTTY)
		status = print_batch(&o);
out:
	free(o.pids);
	domain_free(&o.dom);
	return status;
}

static const struct poptOption top_options[] = {
	{ "rows", 'n', POPT_ARG_STRING, NULL, 0, "show the first N processes (0 = all)", "N" },
	{ "sort", 's', POPT_ARG_STRING, NULL, 0, "sort by KEY: " RANK_KEY_NAMES, "KEY" },
	{ "reverse", 'r', POPT_ARG_NONE, NULL, 0, "reverse the order", NULL },
	{ "user", 'u', POPT_ARG_STRING, NULL, 0, "only processes of USER (name or uid)", "USER" },
	{ "pid", 'p', POPT_ARG_STRING, NULL, 0, "only these processes", "PID[,PID...]" },
	{ "all", 'a', POPT_ARG_NONE, NULL, 0, "also list processes the OOM killer never kills", NULL },
	{ "wide", 'w', POPT_ARG_NONE, NULL, 0, "do not cut lines to the terminal width", NULL },
	{ "no-header", 0, POPT_ARG_NONE, NULL, 0, "print no header lines", NULL },
	{ "json", 0, POPT_ARG_NONE, NULL, 0, "print a JSON array, ranked", NULL },
	{ "batch", 'b', POPT_ARG_NONE, NULL, 0, "print the table, not the live view", NULL },
	{ "delay", 'd', POPT_ARG_STRING, NULL, 0, "refresh every SECS seconds (default 2)", "SECS" },
	{ "iterations", 'i', POPT_ARG_STRING, NULL, 0, "print N tables, -d apart (0 = no end)", "N" },
	{ "cgroup", 0, POPT_ARG_STRING, NULL, 0,
	  "rank in the OOM domain of this memory cgroup (as in /proc/PID/cgroup, or its directory)", "PATH" },
	{ "by", 0, POPT_ARG_STRING, NULL, 0,
	  "workload: one row per workload, in the order of its first victim, with its processes' badness", "workload" },
	{ "unit", 0, POPT_ARG_STRING, NULL, 0, "only processes of the systemd units GLOB matches (as systemctl does)",
	  "GLOB" },
	{ "workload", 0, POPT_ARG_STRING, NULL, 0,
	  "only processes of the workloads PATTERN names: a glob on the name or unit, an id or pod UID prefix",
	  "PATTERN" },
	{ "columns", 'o', POPT_ARG_STRING, NULL, 0,
	  "show (workload) or hide (noworkload) the WORKLOAD column; default: on 120 columns or more", "LIST" },
	POPT_TABLEEND
};

/* `oomtop top`, also what `oomtop` alone runs: no operands. */
const struct cmd_entry cmd_top_entry = {
	.name = CMD,
	.usage = "[-n N] [-s KEY] [-r] [-u USER] [-p PID[,PID...]] [-a] [-w] [-o LIST] [--no-header]\n"
		 "            [--json] [--cgroup PATH|NAME] [--unit GLOB] [--workload PATTERN]\n"
		 "            [--by workload] [-b] [-d SECS] [-i N]",
	.summary = "rank processes in the order the OOM killer would kill them",
	.options = top_options,
	.exec = top_exec,
};
