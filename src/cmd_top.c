/* `oomtop top`: the processes ranked in the order the OOM killer would kill them. */
#include <errno.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cmd.h"
#include "domain.h"
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
	char *cgroup;          /* owned; --cgroup as given, NULL = the global domain */
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
		{ "cgroup", 0, POPT_ARG_STRING, &o->cgroup, 0,
		  "rank in the OOM domain of this memory cgroup (as in /proc/PID/cgroup, or its directory)", "PATH" },
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
	if (o->cgroup && !*o->cgroup) {
		status = msg_usage(CMD, "--cgroup: the path is empty (a cgroup path such as /system.slice)");
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

/* Returns whether rec belongs in the output under the filters of o and the domain. */
static bool wanted(const struct proc_record *rec, const struct top_opts *o, const struct domain *dom)
{
	unsigned long order;

	if (!domain_has(dom, rec->pid, &order))
		return false;
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

/*
 * Re-counts the badness of the rows that could be among the first shown with
 * the rss the kernel's OOM killer reads, where that is not status's (see
 * proc_kernel_counts_approx()): all rows of a domain or of -p, the head of
 * the global ranking (the first -n rows, or the first row).  rows are in
 * kill order before and after.
 */
static void recount_head(struct proc_table *t, struct proc_record **rows, size_t n, const struct top_opts *o,
			 const struct domain *dom, unsigned long page_kib)
{
	size_t head;

	if (!proc_table_counts_approx(t))
		return;
	if (!dom->global || o->pids)
		head = n;
	else
		head = rank_uncertain_prefix(rows, n, o->rows ? (size_t)o->rows : 1,
					     proc_count_error_pages(sysconf(_SC_NPROCESSORS_CONF)));
	domain_recount(t, dom, rows, n, head, page_kib);
}

/* Puts rows in the requested order, reading start times where equal badness needs them. */
static void order_rows(struct proc_table *t, struct proc_record **rows, size_t n, const struct top_opts *o,
		       const struct domain *dom, unsigned long page_kib)
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
	recount_head(t, rows, n, o, dom, page_kib);
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

/* What the output says about the domain besides the rows. */
struct top_domain {
	const struct domain *dom;
	const char *given;      /* the cgroup --cgroup named, resolved; NULL without --cgroup */
	const struct sysmem *mem;
	size_t total, killable; /* processes in the domain */
};

/* Appends the header line(s) that name the OOM domain, its size and notes that change who dies. */
static void domain_header(struct strbuf *sb, const struct top_domain *td)
{
	const struct domain *d = td->dom;
	const struct sysmem *mem = td->mem;
	char a[16], b[16];

	if (d->global) {
		out_size_kib(a, sizeof(a), mem->mem_total_kib);
		out_size_kib(b, sizeof(b), mem->swap_total_kib);
		sb_addf(sb, "OOM domain: global, %s RAM + %s swap = %lu pages; %zu of %zu processes killable\n", a, b,
			d->totalpages, td->killable, td->total);
		if (td->given)
			sb_addf(sb, "note: cgroup %s and its ancestors have no memory limit: its processes die only in a "
				    "global OOM\n",
				td->given);
		return;
	}
	out_size_kib(a, sizeof(a), (unsigned long long)d->limits.max_pages * mem->page_kib);
	out_size_kib(b, sizeof(b), (unsigned long long)(d->totalpages - d->limits.max_pages) * mem->page_kib);
	sb_addf(sb, "OOM domain: cgroup %s (v%d), limit %s + %s swap = %lu pages; %zu of %zu processes killable\n",
		d->path, d->version, a, b, d->totalpages, td->killable, td->total);
	if (td->given && strcmp(td->given, d->path) != 0)
		sb_addf(sb, "note: cgroup %s has no limit of its own: its processes die when %s reaches its limit\n",
			td->given, d->path);
	if (d->limits.oom_kill_disable)
		sb_addf(sb, "note: memory.oom_control has oom_kill_disable 1: at the limit the kernel kills nobody, "
			    "the tasks wait for memory\n");
	if (d->limits.oom_group)
		sb_addf(sb, "note: memory.oom.group is 1: the whole cgroup is killed together\n");
}

/* Prints the ranked rows as a table or JSON; returns 0 or -errno of the write. */
static int print_rows(struct proc_record **rows, size_t n, const struct top_domain *td, const struct top_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	struct topfmt_ctx ctx = {
		.totalpages = td->dom->totalpages,
		.page_kib = td->mem->page_kib,
		.utf8 = out_locale_utf8(),
		.width = o->wide ? 0 : (size_t)out_terminal_width(STDOUT_FILENO),
		.score_totalpages = td->mem->totalpages,
		.domain = o->cgroup ? (td->dom->global ? "global" : td->dom->path) : NULL,
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
			domain_header(&sb, td);
			topfmt_header(&sb, &ctx);
		}
		for (size_t i = 0; i < n; i++)
			topfmt_row(&sb, rows[i], &ctx);
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
static int select_domain(const char *arg, const struct sysmem *mem, struct domain *dom, char *resolved,
			 size_t size)
{
	struct cgroup_hier h;
	struct domain *ds = NULL;
	size_t nds = 0;
	int err;

	err = cgroup_hier_open(&h, mem->page_kib * 1024, mem->swap_total_kib / mem->page_kib);
	if (err < 0) {
		msg_err(CMD, "--cgroup: no memory cgroup hierarchy is mounted (no cgroup v1 mount with 'memory', "
			     "no cgroup2 mount that offers it)");
		return EXIT_USAGE;
	}
	err = cgroup_resolve(&h, arg, resolved, size);
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
			err == -EINVAL ? "'..' is not allowed" : err == -EXDEV ? "outside what this mount shows"
									   : "too long");
		return EXIT_USAGE;
	}
	if (err < 0) {
		msg_err(CMD, "--cgroup: %s: %s", arg, strerror(-err));
		return EXIT_FAIL;
	}
	err = domain_enclosing(&h, resolved, &ds, &nds);
	if (err < 0) {
		msg_err(CMD, "--cgroup: cannot read the limits of %s: %s", resolved, strerror(-err));
		return err == -ENOENT ? EXIT_NOMATCH : EXIT_FAIL;
	}
	if (nds == 0) {
		domain_global(dom, mem);
	} else {
		*dom = ds[0];
		ds[0].pids = NULL;
		ds[0].order = NULL;
	}
	domain_free_all(ds, nds);
	err = domain_load(&h, dom);
	if (err < 0) {
		msg_err(CMD, "--cgroup: %s: %s", dom->path, err == -ENOENT ? "the cgroup was removed" : strerror(-err));
		return EXIT_NOMATCH;
	}
	return EXIT_OK;
}

/* Runs `oomtop top`. */
int cmd_top(int argc, const char **argv)
{
	struct top_opts o = { 0 };
	struct proc_table *t = NULL;
	struct proc_record **rows = NULL;
	struct sysmem mem;
	struct domain dom = { 0 };
	char resolved[CGROUP_PATH_MAX];
	struct top_domain td = { .dom = &dom, .mem = &mem };
	size_t n = 0, len, shown;
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
	if (o.cgroup) {
		status = select_domain(o.cgroup, &mem, &dom, resolved, sizeof(resolved));
		if (status != EXIT_OK)
			goto out;
		td.given = resolved;
	} else {
		domain_global(&dom, &mem);
	}
	t = proc_table_new();
	if (o.pids)
		err = proc_scan_pids(t, o.pids, o.npids);
	else if (!dom.global)
		err = proc_scan_pid_set(t, dom.pids, dom.n);
	else
		err = proc_scan(t);
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
		unsigned long order;
		if (!domain_has(&dom, rec->pid, &order))
			continue;
		domain_apply(&dom, rec, mem.page_kib);
		td.total++;
		if (rec->badness != BADNESS_UNKILLABLE)
			td.killable++;
		if (wanted(rec, &o, &dom))
			rows[n++] = rec;
	}
	for (size_t i = 0; i < o.npids; i++) {
		unsigned long order;
		if (!proc_table_find(t, o.pids[i])) {
			msg_err(CMD, "no process %d", (int)o.pids[i]);
			status = EXIT_NOMATCH;
		} else if (!domain_has(&dom, o.pids[i], &order)) {
			msg_err(CMD, "process %d is not in the OOM domain of cgroup %s", (int)o.pids[i], dom.path);
			status = EXIT_NOMATCH;
		}
	}

	order_rows(t, rows, n, &o, &dom, mem.page_kib);
	shown = o.rows && (size_t)o.rows < n ? (size_t)o.rows : n;
	fill_shown(t, rows, shown);
	if (print_rows(rows, shown, &td, &o) < 0)
		status = EXIT_FAIL;

	if (proc_table_unreadable(t, &hidden_errno) > 0)
		msg_err(CMD, "%zu processes could not be read (%s); their fields show as '?' or null: "
			     "/proc may be mounted with hidepid=, run as root to see them",
			proc_table_unreadable(t, NULL), strerror(hidden_errno));
out:
	free(rows);
	free(o.pids);
	free(o.cgroup);
	domain_free(&dom);
	proc_table_free(t);
	users_free();
	return status;
}
