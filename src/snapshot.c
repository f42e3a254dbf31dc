/*
 * A snapshot is one pass of the pipeline: read /proc, compute each badness
 * in the domain, filter, order as the kernel would, then read what only the
 * shown rows need (cmdline, oom_score, user name, workload).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"
#include "users.h"
#include "xalloc.h"

/* What wanted() decides by: the query, and the processes its workload filters selected. */
struct want_ctx {
	const struct snap_query *q;
	const struct snapshot *s;
};

/* Orders pids for qsort and bsearch. */
static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Returns whether rec passes the filters of q (the caller's selection; what is shown of it is shown_row's). */
static bool wanted(const struct proc_record *rec, const void *arg)
{
	const struct want_ctx *c = arg;
	const struct snap_query *q = c->q;

	if (q->have_uid && (!(rec->known & PROC_HAVE_STATUS) || rec->uid != q->uid))
		return false;
	if (q->match && !q->match(rec, q->match_arg))
		return false;
	if ((q->unit || q->workload) && !bsearch(&rec->pid, c->s->wl_pids, c->s->nwl_pids, sizeof(pid_t), cmp_pid))
		return false;
	return true;
}

/* Finds the processes of the table that --unit and --workload select, once per scan (each cgroup told once). */
static void select_workloads(struct snapshot *s, const struct snap_query *q)
{
	size_t n = proc_table_len(s->table);

	free(s->wl_pids);
	s->wl_pids = xcalloc(n ? n : 1, sizeof(*s->wl_pids));
	s->nwl_pids = 0;
	if (!s->wl)
		s->wl = workload_cache_new();
	for (size_t i = 0; i < n; i++) {
		const struct proc_record *rec = proc_table_at(s->table, i);
		const struct workload *w;
		if (workload_cache_of_pid(s->wl, rec->pid, &w) < 0)
			continue;
		if (q->unit && !workload_unit_match(w, q->unit))
			continue;
		if (q->workload && !workload_match(w, q->workload))
			continue;
		s->wl_pids[s->nwl_pids++] = rec->pid;
	}
	qsort(s->wl_pids, s->nwl_pids, sizeof(*s->wl_pids), cmp_pid);
}

/* Returns whether a wanted row is shown: never-chosen rows only with -a or -p, or when we cannot tell. */
static bool shown_row(const struct rank_row *row, const struct snap_query *q)
{
	/* rows we could not read still show (at the end): we cannot tell they are safe */
	return row->wanted && (q->all || q->pids || row->badness != BADNESS_UNKILLABLE ||
			       proc_unkillable(row->rec) == PROC_UNK_UNKNOWN);
}

/* Puts the rows in the requested order (the ranking's kill order, or q->key's, reading what that key needs). */
static void order_rows(struct snapshot *s, const struct snap_query *q)
{
	if (q->key == RANK_SCORE)
		for (size_t i = 0; i < s->nrows; i++)
			proc_read_score(s->table, s->rows[i]->rec);
	if (q->key == RANK_USER)
		for (size_t i = 0; i < s->nrows; i++)
			if (s->rows[i]->rec->known & PROC_HAVE_STATUS)
				s->rows[i]->user = users_name(s->rows[i]->rec->uid);
	if (q->key != RANK_BADNESS || q->reverse)
		rank_sort(s->rows, s->nrows, q->key, q->reverse, s->rank.tie);
}

/*
 * Reads what the shown rows need beyond the scan: oom_score, cmdline, user
 * name.  A process that exited since the scan leaves the rows (it is gone,
 * as pkill would skip it), and the next row moves up into the shown ones.
 */
static void fill_shown(struct snapshot *s, size_t limit, bool workloads)
{
	size_t i = 0;

	s->shown = limit && limit < s->nrows ? limit : s->nrows;
	while (i < s->shown) {
		struct rank_row *row = s->rows[i];
		int err = proc_read_score(s->table, row->rec);

		if (err == -ENOENT || err == -ESRCH) {
			memmove(&s->rows[i], &s->rows[i + 1], (s->nrows - i - 1) * sizeof(*s->rows));
			s->nrows--;
			s->total--;
			if (row->badness != BADNESS_UNKILLABLE)
				s->killable--;
			s->shown = limit && limit < s->nrows ? limit : s->nrows;
			continue;
		}
		proc_read_cmdline(s->table, row->rec);
		if (row->rec->known & PROC_HAVE_STATUS)
			row->user = users_name(row->rec->uid);
		if (workloads) {
			if (!s->wl)
				s->wl = workload_cache_new();
			workload_cache_of_pid(s->wl, row->rec->pid, &row->workload);
		}
		i++;
	}
}

/* Ranks the members of d in s->table (rank_domain()), then filters, orders and fills the rows q shows. */
static void rank_table(struct snapshot *s, const struct snap_query *q, const struct domain *d)
{
	struct want_ctx want = { q, s };
	struct rank_opts o = {
		.page_kib = s->mem.page_kib,
		/* -p: every row given is shown, so all must be exact */
		.exact = q->pids ? q->npids : q->limit,
		.ties_all = q->key != RANK_BADNESS || q->reverse || q->limit == 0,
		.want = wanted,
		.want_arg = &want,
		/* a model the kernel's own scores chose in an earlier pass */
		.have_model = s->check.switched,
		.model = s->check.model,
	};

	if (q->unit || q->workload)
		select_workloads(s, q);
	if (q->match) /* the filter reads command lines: once per process, cached */
		for (size_t i = 0; i < proc_table_len(s->table); i++)
			proc_read_cmdline(s->table, proc_table_at(s->table, i));
	free(s->rows);
	rank_free(&s->rank);
	rank_domain(s->table, d, &o, &s->rank);
	s->rows = xcalloc(s->rank.n ? s->rank.n : 1, sizeof(*s->rows));
	s->nrows = 0;
	s->total = s->rank.n;
	s->killable = s->rank.killable;
	for (size_t i = 0; i < s->rank.n; i++)
		if (shown_row(&s->rank.rows[i], q))
			s->rows[s->nrows++] = &s->rank.rows[i];
	order_rows(s, q);
	fill_shown(s, q->limit, q->workloads);
}

/*
 * Checks the model on the shown rows (model_check_rows()); where the kernel's
 * scores chose another generation or rss counting than its release, ranks
 * again with that one and checks once more.
 */
static void check_model(struct snapshot *s, const struct snap_query *q, const struct domain *d)
{
	bool was_switched = s->check.switched;

	model_check_rows(s->table, s->rows, s->shown, s->mem.totalpages, s->mem.page_kib, &s->check);
	if (!s->check.switched || was_switched)
		return;
	if (s->check.approx != proc_table_counts_approx(s->table))
		proc_table_set_counts_approx(s->table, s->check.approx);
	rank_table(s, q, d);
	model_check_rows(s->table, s->rows, s->shown, s->mem.totalpages, s->mem.page_kib, &s->check);
}

/* A row and its place in kill order, for a stable sort by the kernel's oom_score. */
struct scored_row {
	struct rank_row *row;
	size_t at;
};

/* Orders rows by the kernel's oom_score, highest first, unread last, in kill order among equals. */
static int cmp_kernel_score(const void *a, const void *b)
{
	const struct scored_row *x = a, *y = b;
	bool hx = x->row->rec->known & PROC_HAVE_SCORE, hy = y->row->rec->known & PROC_HAVE_SCORE;
	long sx = hx ? x->row->rec->oom_score : -1, sy = hy ? y->row->rec->oom_score : -1;

	if (sx != sy)
		return sx < sy ? 1 : -1;
	return (x->at > y->at) - (x->at < y->at);
}

/*
 * Where no generation of oom_badness() explains the kernel's scores (a
 * distribution's own patch), orders the killable rows of the global domain
 * by the kernel's oom_score instead, the ranking's order breaking ties as
 * best it can, and fills the shown rows again; the rows that disagreed keep
 * their mark (rank_row.check) for the output.
 */
static void order_by_kernel_score(struct snapshot *s, const struct snap_query *q, const struct domain *d)
{
	struct scored_row *v;
	size_t n = 0;

	if (!s->check.checked || s->check.agree == s->check.checked || !d->global || q->key != RANK_BADNESS ||
	    q->reverse)
		return;
	while (n < s->nrows && s->rows[n]->badness != BADNESS_UNKILLABLE)
		n++;
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		proc_read_score(s->table, s->rows[i]->rec);
		v[i].row = s->rows[i];
		v[i].at = i;
	}
	qsort(v, n, sizeof(*v), cmp_kernel_score);
	for (size_t i = 0; i < n; i++)
		s->rows[i] = v[i].row;
	free(v);
	fill_shown(s, q->limit, q->workloads);
	/* the rows shown now are marked, and counted, as the first were */
	model_check_rows(s->table, s->rows, s->shown, s->mem.totalpages, s->mem.page_kib, &s->check);
	s->check.by_kernel_score = true;
}

/*
 * Takes a snapshot of an OOM domain (q->domain, the global one when NULL)
 * under q into s (which the caller frees with snap_free, also on error); 0
 * or -errno: the errno of /proc/meminfo, or -ENODEV when /proc is not a
 * procfs.  A cgroup domain reads only its members.
 */
int snap_take(struct snapshot *s, const struct snap_query *q)
{
	struct domain global;
	const struct domain *d = q->domain;
	int err;

	memset(s, 0, sizeof(*s));
	err = sysmem_read(&s->mem);
	if (err < 0)
		return err;
	if (!d) {
		domain_global(&global, &s->mem);
		d = &global;
	}
	s->totalpages = d->totalpages;
	s->table = proc_table_new();
	if (q->pids)
		err = proc_scan_pids(s->table, q->pids, q->npids);
	else if (!d->global)
		err = proc_scan_pid_set(s->table, d->pids, d->n);
	else
		err = proc_scan(s->table);
	if (err < 0)
		return err;
	rank_table(s, q, d);
	check_model(s, q, d);
	order_by_kernel_score(s, q, d);
	groupkill_free(&s->group);
	if (groupkill_predict(s->table, &s->rank, d, &s->group) < 0)
		groupkill_free(&s->group); /* the hierarchy could not be read: no group is predicted */
	return 0;
}

/*
 * Takes the snapshot again into s, keeping its table (the live view): a
 * process still there is re-read only when stale(rec, arg) says so, new
 * ones are read in full (proc_scan_update()); the rows are those of
 * q->domain (global when NULL), whose members the caller keeps current.
 * s starts zeroed or from an earlier snap_take or snap_refresh; 0 or
 * -errno as for snap_take.
 */
int snap_refresh(struct snapshot *s, const struct snap_query *q,
		 bool (*stale)(const struct proc_record *rec, void *arg), void *arg)
{
	struct domain global;
	const struct domain *d = q->domain;
	struct sysmem mem;
	int err;

	s->nrows = s->shown = 0; /* the rows point into the table that is about to change */
	rank_free(&s->rank);
	if (s->wl && workload_cache_len(s->wl) > WORKLOAD_CACHE_KEEP) {
		workload_cache_free(s->wl); /* cgroups come and go: a long view does not keep them all */
		s->wl = NULL;
	}
	err = sysmem_read(&mem);
	if (err < 0)
		return err;
	s->mem = mem;
	if (!d) {
		domain_global(&global, &s->mem);
		d = &global;
	}
	s->totalpages = d->totalpages;
	if (!s->table)
		s->table = proc_table_new();
	err = q->pids ? proc_scan_pids(s->table, q->pids, q->npids) : proc_scan_update(s->table, stale, arg);
	if (err < 0)
		return err;
	rank_table(s, q, d);
	check_model(s, q, d);
	order_by_kernel_score(s, q, d);
	groupkill_free(&s->group);
	if (groupkill_predict(s->table, &s->rank, d, &s->group) < 0)
		groupkill_free(&s->group); /* the hierarchy could not be read: no group is predicted */
	return 0;
}

/* Releases the rows and the table of s. */
void snap_free(struct snapshot *s)
{
	free(s->rows);
	rank_free(&s->rank);
	proc_table_free(s->table);
	groupkill_free(&s->group);
	workload_cache_free(s->wl);
	free(s->wl_pids);
	memset(s, 0, sizeof(*s));
}

/*
 * Groups the shown rows of s (which must carry their workloads: q.workloads)
 * by workload, in the order of each one's first row, into a new array the
 * caller frees; 0, or -EINVAL when a row has no workload.
 */
int snap_group_workloads(const struct snapshot *s, struct snap_group **groups, size_t *n)
{
	struct snap_group *g = xcalloc(s->shown ? s->shown : 1, sizeof(*g));
	size_t ng = 0;

	for (size_t i = 0; i < s->shown; i++) {
		const struct rank_row *row = s->rows[i];
		size_t k;
		if (!row->workload) {
			free(g);
			return -EINVAL;
		}
		for (k = 0; k < ng; k++)
			if (g[k].w == row->workload || workload_same(g[k].w, row->workload))
				break;
		if (k == ng) {
			g[ng].w = row->workload;
			g[ng].first = row;
			g[ng].rank = i + 1;
			ng++;
		}
		g[k].processes++;
		if (row->badness != BADNESS_UNKILLABLE) {
			g[k].killable++;
			g[k].badness += row->badness > 0 ? (unsigned long long)row->badness : 0;
		}
	}
	*groups = g;
	*n = ng;
	return 0;
}
