/*
 * Ranking.  select_bad_process() (mm/oom_kill.c) walks the candidates and
 * keeps the one with the highest badness; since 5.9 a candidate with equal
 * points replaces the one chosen so far ("points < chosen_points" skips), so
 * among equals the one evaluated last wins.  The global walk is
 * for_each_process(), in fork order, so the youngest of equals goes first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "rank.h"

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

/* Sets rec->badness for a domain of totalpages (BADNESS_UNKILLABLE if never chosen). */
void rank_compute(struct proc_record *rec, unsigned long totalpages, unsigned long page_kib)
{
	struct badness_mem mem;

	if (proc_unkillable(rec) != PROC_KILLABLE) {
		rec->badness = BADNESS_UNKILLABLE;
		return;
	}
	proc_badness_mem(rec, page_kib, &mem);
	rec->badness = badness_pages(&mem, rec->oom_score_adj, totalpages);
}

/* Three-way comparison of two numbers, larger first. */
#define DESC(x, y) ((x) < (y) ? 1 : (x) > (y) ? -1 : 0)

/* Compares in kill order: the process the kernel would choose first sorts first. */
static int compare_kill_order(const struct proc_record *a, const struct proc_record *b)
{
	bool ka = a->badness != BADNESS_UNKILLABLE, kb = b->badness != BADNESS_UNKILLABLE;
	int c;

	if (ka != kb)
		return ka ? -1 : 1;
	if ((c = DESC(a->badness, b->badness)) != 0)
		return c;
	/* equal points: the candidate evaluated later wins */
	if ((c = DESC(a->domain_order, b->domain_order)) != 0)
		return c;
	if ((a->known & PROC_HAVE_START) && (b->known & PROC_HAVE_START) &&
	    (c = DESC(a->start_ticks, b->start_ticks)) != 0)
		return c;
	return DESC(a->pid, b->pid);
}

/* Returns a record's resident memory in KiB. */
static unsigned long rss_kib(const struct proc_record *r)
{
	return r->anon_kib + r->file_kib + r->shmem_kib;
}

/* Compares two records by key; ties fall back to kill order. */
int rank_compare(const struct proc_record *a, const struct proc_record *b, enum rank_key key)
{
	int c = 0;

	switch (key) {
	case RANK_BADNESS:
		break;
	case RANK_SCORE: {
		long sa = (a->known & PROC_HAVE_SCORE) ? a->oom_score : -1;
		long sb = (b->known & PROC_HAVE_SCORE) ? b->oom_score : -1;
		c = DESC(sa, sb);
		break;
	}
	case RANK_ADJ:
		c = DESC(a->oom_score_adj, b->oom_score_adj);
		break;
	case RANK_RSS:
		c = DESC(rss_kib(a), rss_kib(b));
		break;
	case RANK_SWAP:
		c = DESC(a->swap_kib, b->swap_kib);
		break;
	case RANK_PID:
		c = -DESC(a->pid, b->pid);
		break;
	case RANK_COMM:
		c = strcmp(a->comm, b->comm);
		break;
	case RANK_USER:
		c = strcmp(a->user ? a->user : "", b->user ? b->user : "");
		break;
	}
	return c ? c : compare_kill_order(a, b);
}

static enum rank_key sort_key;
static bool sort_reverse;

/* qsort adapter for rank_compare on an array of record pointers. */
static int cmp_rows(const void *pa, const void *pb)
{
	const struct proc_record *a = *(const struct proc_record *const *)pa;
	const struct proc_record *b = *(const struct proc_record *const *)pb;
	int c = rank_compare(a, b, sort_key);

	return sort_reverse ? -c : c;
}

/* Sorts rows by key (reverse flips the whole order). */
void rank_sort(struct proc_record **rows, size_t n, enum rank_key key, bool reverse)
{
	sort_key = key;
	sort_reverse = reverse;
	qsort(rows, n, sizeof(*rows), cmp_rows);
}

/*
 * Returns how many leading rows of a badness-sorted array must have their
 * start time read so that the first limit rows are in the kernel's order:
 * the end of the last run of equal badness that begins before limit, or 0
 * when no such run has two members.
 */
size_t rank_tied_prefix(struct proc_record *const *rows, size_t n, size_t limit)
{
	size_t end = 0;

	if (limit == 0 || limit > n)
		limit = n;
	for (size_t i = 0; i < limit; i++) {
		size_t j = i;
		if (rows[i]->badness == BADNESS_UNKILLABLE)
			break;
		while (j + 1 < n && rows[j + 1]->badness == rows[i]->badness &&
		       rows[j + 1]->domain_order == rows[i]->domain_order)
			j++;
		if (j > i)
			end = j + 1;
		i = j;
	}
	return end;
}

/*
 * Returns how many leading rows of an array sorted in kill order must have
 * their badness re-counted so that its first limit rows (0: all) are in the
 * kernel's order, when each badness may be off by up to margin pages: the
 * rows down to the last one whose badness is within 2 * margin of the
 * limit-th (any row further down stays below all of the first limit).
 */
size_t rank_uncertain_prefix(struct proc_record *const *rows, size_t n, size_t limit, unsigned long margin)
{
	size_t k, i;
	long floor;

	if (limit == 0 || limit > n)
		limit = n;
	for (k = limit; k > 0 && rows[k - 1]->badness == BADNESS_UNKILLABLE; k--)
		;
	if (k == 0)
		return 0;
	floor = rows[k - 1]->badness - 2 * (long)margin;
	for (i = k; i < n && rows[i]->badness != BADNESS_UNKILLABLE && rows[i]->badness >= floor; i++)
		;
	return i;
}
