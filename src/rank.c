/*
 * Ranking.  select_bad_process() (mm/oom_kill.c) walks the candidates and
 * keeps the one with the highest badness; which of equal ones it keeps
 * changed in 5.3 (badness_tie_for_release()): from 5.3 a candidate with
 * equal points replaces the one chosen so far ("points < chosen_points"
 * skips), so among equals the one evaluated last wins; before, the first of
 * equals stayed.  The global walk is for_each_process(), in fork order, so
 * among equals the youngest goes first from 5.3, the oldest before.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "rank.h"
#include "xalloc.h"

static const char *const key_names[] = {
	[RANK_BADNESS] = "badness", [RANK_SCORE] = "score", [RANK_ADJ] = "adj",   [RANK_RSS] = "rss",
	[RANK_SWAP] = "swap",       [RANK_PID] = "pid",     [RANK_COMM] = "comm", [RANK_USER] = "user",
};

/* Looks up a sort key by name; 0, or -EINVAL for an unknown name. */
int rank_key_parse(const char *name, enum rank_key *key)
{
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (strcmp(name, key_names[i]) == 0) {
			*key = (enum rank_key)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Returns the name of a sort key. */
const char *rank_key_name(enum rank_key key)
{
	return key_names[key];
}

/* Returns the key after key, wrapping around (the live view's 's'). */
enum rank_key rank_key_next(enum rank_key key)
{
	return key == RANK_USER ? RANK_BADNESS : (enum rank_key)(key + 1);
}

/* Returns rec's badness under model m in a domain of totalpages pages (BADNESS_UNKILLABLE if never chosen). */
long rank_badness(const struct proc_record *rec, enum badness_model m, unsigned long totalpages, unsigned long page_kib)
{
	struct badness_task task;

	if (proc_unkillable(rec) != PROC_KILLABLE)
		return BADNESS_UNKILLABLE;
	proc_badness_task(rec, page_kib, &task);
	return badness_model_pages(m, &task, totalpages);
}

/* Three-way comparison of two numbers, larger first. */
#define DESC(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

/*
 * Compares in kill order under tie rule tie: the process the kernel would
 * choose first sorts first.  Among equal points the walk's order decides
 * (the domain's order, then fork order as start time and pid tell it):
 * later first with BADNESS_TIE_LAST, earlier first with BADNESS_TIE_FIRST.
 */
static int compare_kill_order(const struct rank_row *a, const struct rank_row *b, enum badness_tie tie)
{
	bool ka = a->badness != BADNESS_UNKILLABLE, kb = b->badness != BADNESS_UNKILLABLE;
	const struct proc_record *ra = a->rec, *rb = b->rec;
	int dir = tie == BADNESS_TIE_FIRST ? -1 : 1;
	int c;

	if (ka != kb)
		return ka ? -1 : 1;
	if ((c = DESC(a->badness, b->badness)) != 0)
		return c;
	if ((c = DESC(a->order, b->order)) != 0)
		return dir * c;
	if ((ra->known & PROC_HAVE_START) && (rb->known & PROC_HAVE_START) &&
	    (c = DESC(ra->start_ticks, rb->start_ticks)) != 0)
		return dir * c;
	return dir * DESC(ra->pid, rb->pid);
}

/* Returns a record's resident memory in KiB. */
static unsigned long rss_kib(const struct proc_record *r)
{
	return r->anon_kib + r->file_kib + r->shmem_kib;
}

/* Compares two rows by key; ties fall back to kill order under tie rule tie. */
int rank_compare(const struct rank_row *a, const struct rank_row *b, enum rank_key key, enum badness_tie tie)
{
	const struct proc_record *ra = a->rec, *rb = b->rec;
	int c = 0;

	switch (key) {
	case RANK_BADNESS:
		break;
	case RANK_SCORE: {
		long sa = (ra->known & PROC_HAVE_SCORE) ? ra->oom_score : -1;
		long sb = (rb->known & PROC_HAVE_SCORE) ? rb->oom_score : -1;
		c = DESC(sa, sb);
		break;
	}
	case RANK_ADJ:
		c = DESC(ra->oom_score_adj, rb->oom_score_adj);
		break;
	case RANK_RSS:
		c = DESC(rss_kib(ra), rss_kib(rb));
		break;
	case RANK_SWAP:
		c = DESC(ra->swap_kib, rb->swap_kib);
		break;
	case RANK_PID:
		c = -DESC(ra->pid, rb->pid);
		break;
	case RANK_COMM:
		c = strcmp(ra->comm, rb->comm);
		break;
	case RANK_USER:
		c = strcmp(a->user ? a->user : "", b->user ? b->user : "");
		break;
	}
	return c ? c : compare_kill_order(a, b, tie);
}

/* How rank_sort orders, for qsort_r. */
struct sort_by {
	enum rank_key key;
	bool reverse;
	enum badness_tie tie;
};

/* qsort_r adapter for rank_compare on an array of row pointers. */
static int cmp_row_ptrs(const void *pa, const void *pb, void *arg)
{
	const struct sort_by *by = arg;
	int c = rank_compare(*(const struct rank_row *const *)pa, *(const struct rank_row *const *)pb, by->key,
			     by->tie);

	return by->reverse ? -c : c;
}

/* Sorts row pointers by key (reverse flips the whole order), ties by tie rule tie: a view of a ranking. */
void rank_sort(struct rank_row **rows, size_t n, enum rank_key key, bool reverse, enum badness_tie tie)
{
	struct sort_by by = { key, reverse, tie };

	if (n > 1)
		qsort_r(rows, n, sizeof(*rows), cmp_row_ptrs, &by);
}

/* qsort_r adapter for kill order on an array of rows; arg is the tie rule. */
static int cmp_rows(const void *a, const void *b, void *arg)
{
	return compare_kill_order(a, b, *(const enum badness_tie *)arg);
}

/* Sorts an array of rows in kill order under tie rule tie. */
void rank_sort_rows(struct rank_row *rows, size_t n, enum badness_tie tie)
{
	if (n > 1)
		qsort_r(rows, n, sizeof(*rows), cmp_rows, &tie);
}

/* Returns whether two rows are tied: equal badness and evaluation order, so start time decides. */
static bool tied(const struct rank_row *a, const struct rank_row *b)
{
	return a->badness == b->badness && a->order == b->order;
}

/*
 * Returns the index just past the limit-th wanted killable row of rows in
 * kill order (limit 0: all of them), or 0 when there is none.
 */
static size_t wanted_end(const struct rank_row *rows, size_t n, size_t limit)
{
	size_t seen = 0, end = 0;

	for (size_t i = 0; i < n && rows[i].badness != BADNESS_UNKILLABLE; i++) {
		if (!rows[i].wanted)
			continue;
		end = i + 1;
		if (++seen == limit)
			break;
	}
	return end;
}

/*
 * Returns how many leading rows of an array in kill order must have their
 * start time read so that the first limit wanted rows (0: all) are in the
 * kernel's order: the end of the last run of tied rows that begins before
 * the limit-th, or 0 when no such run has two members.
 */
size_t rank_tied_prefix(const struct rank_row *rows, size_t n, size_t limit)
{
	size_t last = wanted_end(rows, n, limit), end = 0;

	for (size_t i = 0; i < last; i++) {
		size_t j = i;
		while (j + 1 < n && tied(&rows[j + 1], &rows[i]))
			j++;
		if (j > i)
			end = j + 1;
		i = j;
	}
	return end;
}

/*
 * Returns how many leading rows of an array in kill order must have their
 * badness re-counted so that its first limit wanted rows (0: all) are in
 * the kernel's order, when each badness may be off by up to margin pages:
 * the rows down to the last one whose badness is within 2 * margin of the
 * limit-th (any row further down stays below all of the first limit).
 */
size_t rank_uncertain_prefix(const struct rank_row *rows, size_t n, size_t limit, unsigned long margin)
{
	size_t k = wanted_end(rows, n, limit), i;
	long floor;

	if (k == 0)
		return 0;
	floor = rows[k - 1].badness - 2 * (long)margin;
	for (i = k; i < n && rows[i].badness != BADNESS_UNKILLABLE && rows[i].badness >= floor; i++)
		;
	return i;
}

/* Returns whether badness b is within 2 * margin pages of c. */
static bool near(long b, long c, unsigned long margin)
{
	long m = 2 * (long)margin;

	return b >= c - m && b <= c + m;
}

/* Starts an empty set of the k (at least one) highest values. */
void rank_reach_init(struct rank_reach *h, size_t k)
{
	h->k = k ? k : 1;
	h->n = h->cap = 0;
	h->top = NULL;
}

/* Adds a value counted with the kernel's rss, keeping only the k highest. */
void rank_reach_add(struct rank_reach *h, long badness)
{
	size_t i = 0;

	if (h->n == h->k) {
		if (badness <= h->top[0])
			return;
		for (;;) { /* the least leaves: sift the new value down from the root */
			size_t c = 2 * i + 1;
			if (c >= h->n)
				break;
			if (c + 1 < h->n && h->top[c + 1] < h->top[c])
				c++;
			if (h->top[c] >= badness)
				break;
			h->top[i] = h->top[c];
			i = c;
		}
		h->top[i] = badness;
		return;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		if (h->cap > h->k)
			h->cap = h->k;
		h->top = xreallocarray(h->top, h->cap, sizeof(*h->top));
	}
	for (i = h->n++; i > 0 && h->top[(i - 1) / 2] > badness; i = (i - 1) / 2)
		h->top[i] = h->top[(i - 1) / 2];
	h->top[i] = badness;
}

/*
 * Returns whether a row whose badness may be margin off the kernel's may
 * reach the k highest counted: fewer than k are counted yet, or it may come
 * to equal the least of them (then the tie rule decides).
 */
bool rank_reach_may(const struct rank_reach *h, long badness, unsigned long margin)
{
	return h->n < h->k || badness >= h->top[0] - (long)margin;
}

/* Releases the values of h. */
void rank_reach_free(struct rank_reach *h)
{
	free(h->top);
	memset(h, 0, sizeof(*h));
}

/* Re-counts row with the rss the kernel's OOM killer reads; returns whether it could. */
static bool recount_row(struct proc_table *t, struct ranking *r, struct rank_row *row)
{
	if (proc_read_kernel_rss(t, row->rec) < 0)
		return false;
	row->badness = rank_badness(row->rec, r->model, r->totalpages, r->page_kib);
	return true;
}

/*
 * Re-counts, down rows in kill order (the wanted ones only, with
 * wanted_only), the rows that may reach the first k: those counted so far
 * give the least badness the k-th will have, and a row whose exact count
 * is more than the error bound below it cannot reach it (every generation
 * of oom_badness() moves by at most a page per page of rss); the rows
 * after it count less still, so the walk ends there.  Returns whether a
 * row was re-counted.
 */
static bool recount_reach(struct proc_table *t, struct ranking *r, size_t k, bool wanted_only)
{
	struct rank_reach h;
	bool changed = false;

	rank_reach_init(&h, k);
	for (size_t i = 0; i < r->killable; i++) {
		struct rank_row *row = &r->rows[i];
		if (wanted_only && !row->wanted)
			continue;
		if (!(row->rec->known & PROC_HAVE_KRSS)) {
			if (!rank_reach_may(&h, row->badness, r->count_error_pages))
				break;
			if (!recount_row(t, r, row))
				continue; /* gone or unreadable: it sets no bound */
			changed = true;
		}
		rank_reach_add(&h, row->badness);
	}
	rank_reach_free(&h);
	return changed;
}

/*
 * Re-counts with the rss the kernel's OOM killer reads (where it is not
 * status's, proc_kernel_counts_approx()) the rows whose place can change
 * what the caller sees: every row of a cgroup domain; in the global one
 * those near the focus, the rows that may overtake the first, and the
 * wanted rows that may reach the first exact ones.  Each stat read costs
 * half of what status and oom_score_adj cost together, so where only the first exact rows are
 * shown, in kill order, the walks of recount_reach() read only the rows
 * that the counts already read leave in doubt; else the wanted rows down
 * to the exact-th's margin are read as well.  Sorts again.
 */
static void recount(struct proc_table *t, const struct domain *d, const struct rank_opts *o, struct ranking *r)
{
	size_t head = rank_uncertain_prefix(r->rows, r->n, o->exact ? o->exact : 1, r->count_error_pages);
	const struct rank_row *f = o->focus ? rank_find(r, o->focus, NULL) : NULL;
	bool focus = f && f->badness != BADNESS_UNKILLABLE, reach = d->global && !o->ties_all;
	long top = r->killable ? r->rows[0].badness : 0, mine = f ? f->badness : 0;
	bool changed = false;

	for (size_t i = 0; i < r->killable; i++) {
		struct rank_row *row = &r->rows[i];
		bool need = (focus && (row->rec == o->focus || near(row->badness, mine, r->count_error_pages)));
		if (!reach)
			need = need || !d->global || (i < head && row->wanted) ||
			       near(row->badness, top, r->count_error_pages);
		if (need && recount_row(t, r, row))
			changed = true;
	}
	if (reach) {
		if (changed)
			rank_sort_rows(r->rows, r->n, r->tie);
		if (recount_reach(t, r, 1, false))
			rank_sort_rows(r->rows, r->n, r->tie);
		changed = recount_reach(t, r, o->exact ? o->exact : 1, true);
	}
	if (changed)
		rank_sort_rows(r->rows, r->n, r->tie);
}

/*
 * Reads the start times of the run of tied rows around pos when it has two
 * members or more (setting *read); returns the index just past the run.
 */
static size_t read_run(struct proc_table *t, struct ranking *r, size_t pos, bool *read)
{
	size_t s = pos, e = pos + 1;

	if (pos >= r->killable)
		return pos + 1;
	while (s > 0 && tied(&r->rows[s - 1], &r->rows[pos]))
		s--;
	while (e < r->killable && tied(&r->rows[e], &r->rows[pos]))
		e++;
	if (e - s < 2)
		return e;
	for (size_t i = s; i < e; i++) {
		struct proc_record *rec = r->rows[i].rec;
		if (!(rec->known & PROC_HAVE_START) && proc_read_start(t, rec) < 0) {
			/* gone: it sorts after the others of its run, whichever of equals the kernel keeps */
			rec->start_ticks = r->tie == BADNESS_TIE_FIRST ? ULLONG_MAX : 0;
			rec->known |= PROC_HAVE_START;
		}
	}
	*read = true;
	return e;
}

/*
 * Decides ties by start time where they matter: the first two rows (the
 * victim and who follows it), the first exact wanted rows (all with
 * ties_all), and the focus and its neighbours.  Sorts again.
 */
static void resolve_ties(struct proc_table *t, const struct rank_opts *o, struct ranking *r)
{
	size_t end = rank_tied_prefix(r->rows, r->n, o->ties_all ? 0 : (o->exact ? o->exact : 1)), pos;
	bool any = false;

	for (size_t i = 0; i < end;)
		i = read_run(t, r, i, &any);
	read_run(t, r, 0, &any);
	read_run(t, r, 1, &any);
	if (o->focus && rank_find(r, o->focus, &pos)) {
		read_run(t, r, pos, &any);
		read_run(t, r, pos + 1, &any);
		if (pos > 0)
			read_run(t, r, pos - 1, &any);
	}
	if (any)
		rank_sort_rows(r->rows, r->n, r->tie);
}

/*
 * Ranks the members of domain d found in t (the whole table for the global
 * domain) as select_bad_process() would, ties by the generation's rule
 * (badness_model_tie()), into r (the caller frees it with
 * rank_free); reads start times and the kernel's rss where o says the
 * order must be exact.  Returns 0.
 */
int rank_domain(struct proc_table *t, const struct domain *d, const struct rank_opts *o, struct ranking *r)
{
	size_t len = proc_table_len(t);

	memset(r, 0, sizeof(*r));
	r->totalpages = d->totalpages;
	r->page_kib = o->page_kib;
	r->model = o->have_model ? o->model : proc_table_model(t);
	r->tie = badness_model_tie(r->model, proc_table_tie(t));
	r->global = d->global;
	r->rows = xcalloc(len ? len : 1, sizeof(*r->rows));
	for (size_t i = 0; i < len; i++) {
		struct proc_record *rec = proc_table_at(t, i);
		struct rank_row *row = &r->rows[r->n];
		if (!domain_has(d, rec->pid, &row->order))
			continue;
		row->rec = rec;
		row->badness = rank_badness(rec, r->model, r->totalpages, r->page_kib);
		row->wanted = !o->want || o->want(rec, o->want_arg);
		if (row->badness != BADNESS_UNKILLABLE)
			r->killable++;
		r->n++;
	}
	rank_sort_rows(r->rows, r->n, r->tie);
	if (proc_table_counts_approx(t)) {
		r->count_error_pages = proc_count_error_pages(sysconf(_SC_NPROCESSORS_CONF));
		recount(t, d, o, r);
	}
	resolve_ties(t, o, r);
	return 0;
}

/* Returns the row of rec in r, its index in *pos (when pos is not NULL), or NULL. */
const struct rank_row *rank_find(const struct ranking *r, const struct proc_record *rec, size_t *pos)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->rows[i].rec == rec) {
			if (pos)
				*pos = i;
			return &r->rows[i];
		}
	}
	return NULL;
}

/* Returns the row an OOM of the domain would kill now, or NULL when none is killable. */
const struct rank_row *rank_victim(const struct ranking *r)
{
	return r->killable ? &r->rows[0] : NULL;
}

/* Releases what a ranking owns (not the records). */
void rank_free(struct ranking *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}
