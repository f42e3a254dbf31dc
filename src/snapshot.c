/*
 * A snapshot is one pass of the pipeline: read /proc, compute each badness
 * in the domain, filter, order as the kernel would, then read what only the
 * shown rows need (cmdline, oom_score, user name).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"
#include "users.h"
#include "xalloc.h"

/* Returns whether rec belongs in the rows under the filters of q. */
static bool wanted(const struct proc_record *rec, const struct snap_query *q)
{
	if (q->have_uid && (!(rec->known & PROC_HAVE_STATUS) || rec->uid != q->uid))
		return false;
	if (q->match && !q->match(rec, q->match_arg))
		return false;
	/* rows we could not read still show (at the end): we cannot tell they are safe */
	if (!q->all && !q->pids && rec->badness == BADNESS_UNKILLABLE && proc_unkillable(rec) != PROC_UNK_UNKNOWN)
		return false;
	return true;
}

/*
 * Re-counts the badness of the rows that could be among the first shown with
 * the rss the kernel's OOM killer reads, where that is not status's (see
 * proc_kernel_counts_approx()): all rows of a cgroup domain or of -p, the
 * head of the global ranking (the first limit rows, or the first row).
 * rows are in kill order before and after.
 */
static void recount_head(struct snapshot *s, const struct snap_query *q, const struct domain *d)
{
	size_t head;

	if (!proc_table_counts_approx(s->table))
		return;
	if (!d->global || q->pids)
		head = s->nrows;
	else
		head = rank_uncertain_prefix(s->rows, s->nrows, q->limit ? q->limit : 1,
					     proc_count_error_pages(sysconf(_SC_NPROCESSORS_CONF)));
	domain_recount(s->table, d, s->rows, s->nrows, head, s->mem.page_kib);
}

/* Puts the rows in the requested order, reading start times where equal badness needs them. */
static void order_rows(struct snapshot *s, const struct snap_query *q, const struct domain *d)
{
	size_t n = s->nrows, limit = q->limit ? q->limit : n;
	struct proc_record **rows = s->rows;
	size_t tied;

	if (q->key == RANK_SCORE)
		for (size_t i = 0; i < n; i++)
			proc_read_score(s->table, rows[i]);
	if (q->key == RANK_USER)
		for (size_t i = 0; i < n; i++)
			if (rows[i]->known & PROC_HAVE_STATUS)
				rows[i]->user = users_name(rows[i]->uid);
	rank_sort(rows, n, RANK_BADNESS, false);
	recount_head(s, q, d);
	/* ties in badness are decided by evaluation order: read start times where they matter */
	tied = rank_tied_prefix(rows, n, q->key == RANK_BADNESS && !q->reverse ? limit : n);
	for (size_t i = 0; i < tied; i++) {
		if (proc_read_start(s->table, rows[i]) < 0) {
			rows[i]->start_ticks = 0;
			rows[i]->known |= PROC_HAVE_START;
		}
	}
	if (tied || q->key != RANK_BADNESS || q->reverse)
		rank_sort(rows, n, q->key, q->reverse);
}

/*
 * Reads what the shown rows need beyond the scan: oom_score, cmdline, user
 * name.  A process that exited since the scan leaves the rows (it is gone,
 * as pkill would skip it), and the next row moves up into the shown ones.
 */
static void fill_shown(struct snapshot *s, size_t limit)
{
	size_t i = 0;

	s->shown = limit && limit < s->nrows ? limit : s->nrows;
	while (i < s->shown) {
		struct proc_record *rec = s->rows[i];
		int err = proc_read_score(s->table, rec);

		if (err == -ENOENT || err == -ESRCH) {
			memmove(&s->rows[i], &s->rows[i + 1], (s->nrows - i - 1) * sizeof(*s->rows));
			s->nrows--;
			s->total--;
			if (rec->badness != BADNESS_UNKILLABLE)
				s->killable--;
			s->shown = limit && limit < s->nrows ? limit : s->nrows;
			continue;
		}
		proc_read_cmdline(s->table, rec);
		if (rec->known & PROC_HAVE_STATUS)
			rec->user = users_name(rec->uid);
		i++;
	}
}

/* Ranks the records of s->table that belong to d under q: badness, filters, order, what the shown rows need. */
static void rank_table(struct snapshot *s, const struct snap_query *q, const struct domain *d)
{
	size_t len = proc_table_len(s->table);
	unsigned long order;

	free(s->rows);
	s->rows = xcalloc(len ? len : 1, sizeof(*s->rows));
	s->nrows = s->killable = s->total = 0;
	for (size_t i = 0; i < len; i++) {
		struct proc_record *rec = proc_table_at(s->table, i);
		if (!domain_has(d, rec->pid, &order))
			continue;
		domain_apply(d, rec, s->mem.page_kib);
		s->total++;
		if (rec->badness != BADNESS_UNKILLABLE)
			s->killable++;
		if (q->match)
			proc_read_cmdline(s->table, rec); /* cached: read once per process */
		if (wanted(rec, q))
			s->rows[s->nrows++] = rec;
	}
	order_rows(s, q, d);
	fill_shown(s, q->limit);
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
	return 0;
}

/* Releases the rows and the table of s. */
void snap_free(struct snapshot *s)
{
	free(s->rows);
	proc_table_free(s->table);
	memset(s, 0, sizeof(*s));
}
