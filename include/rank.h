/* Ranking processes inside an OOM domain the way select_bad_process() would. */
#ifndef OOMTOP_RANK_H
#define OOMTOP_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "domain.h"
#include "proc.h"
#include "workload.h"

enum rank_key {
	RANK_BADNESS,
	RANK_SCORE,
	RANK_ADJ,
	RANK_RSS,
	RANK_SWAP,
	RANK_PID,
	RANK_COMM,
	RANK_USER,
};

#define RANK_KEY_NAMES "badness, score, adj, rss, swap, pid, comm, user"

/* What the model check said of one row. */
enum rank_model_check {
	RANK_MODEL_UNCHECKED = 0, /* its oom_score was not read, or it is not eligible */
	RANK_MODEL_AGREES,        /* the recomputed oom_score is the kernel's */
	RANK_MODEL_DIFFERS,
};

/*
 * One process in the ranking of one OOM domain.  A ranking owns its rows;
 * the records stay the table's, and only what is read from /proc lives in
 * them, so two domains can be ranked side by side.
 */
struct rank_row {
	struct proc_record *rec;         /* borrowed from the table, which must not grow while the ranking lives */
	long badness;                    /* in this domain; BADNESS_UNKILLABLE if the OOM killer never chooses it */
	unsigned long order;             /* evaluation order in the domain (domain_order_key()), for ties */
	bool wanted;                     /* in the caller's selection (rank_opts.want) */
	enum rank_model_check check;     /* whether the model reproduced its oom_score (model_check_rows()) */
	const char *user;                /* borrowed from the users cache; filled by the ranking's owner where shown */
	const struct workload *workload; /* borrowed from a workload cache; filled where shown, or NULL */
};

/* What a ranking must get exactly right, and for which rows. */
struct rank_opts {
	unsigned long page_kib;
	/* the first exact wanted rows are in the kernel's order (counts re-read, ties resolved); 0: the first */
	size_t exact;
	bool ties_all; /* resolve every tie: an order other than kill order shows them all */
	/* also exact around this record (explain): its neighbours and whoever may pass it */
	const struct proc_record *focus;
	/* the caller's selection, NULL = every member; exact counts only these rows */
	bool (*want)(const struct proc_record *rec, const void *arg);
	const void *want_arg; /* borrowed */
	/* the generation of oom_badness() to rank with; without it, the running kernel's (proc_table_model()) */
	bool have_model;
	enum badness_model model;
};

/* The members of one OOM domain in the order the kernel would kill them; rank_free() releases it. */
struct ranking {
	struct rank_row *rows; /* owned; killable first, in kill order, then the unkillable */
	size_t n;
	size_t killable;                 /* rows the OOM killer may choose (the first ones) */
	unsigned long totalpages;        /* of the domain */
	unsigned long page_kib;          /* of the machine */
	unsigned long count_error_pages; /* how far the kernel's approximate rss may be off; 0 when exact */
	enum badness_model model;        /* the generation of oom_badness() it was ranked with */
	enum badness_tie tie; /* how its kernel breaks ties: the model's, or the release's (badness_model_tie()) */
	bool global;
};

int rank_key_parse(const char *name, enum rank_key *key);
const char *rank_key_name(enum rank_key key);
enum rank_key rank_key_next(enum rank_key key);
long rank_badness(const struct proc_record *rec, enum badness_model m, unsigned long totalpages,
		  unsigned long page_kib);
int rank_compare(const struct rank_row *a, const struct rank_row *b, enum rank_key key, enum badness_tie tie);
void rank_sort(struct rank_row **rows, size_t n, enum rank_key key, bool reverse, enum badness_tie tie);
void rank_sort_rows(struct rank_row *rows, size_t n, enum badness_tie tie);
size_t rank_tied_prefix(const struct rank_row *rows, size_t n, size_t limit);
size_t rank_uncertain_prefix(const struct rank_row *rows, size_t n, size_t limit, unsigned long margin);

/*
 * The k highest badness values counted with the kernel's own rss so far (a
 * min-heap, its least first), which tell whether a row not yet counted may
 * still reach them: the re-count reads stat only for such rows.
 */
struct rank_reach {
	long *top; /* owned */
	size_t k, n, cap;
};
void rank_reach_init(struct rank_reach *h, size_t k);
void rank_reach_add(struct rank_reach *h, long badness);
bool rank_reach_may(const struct rank_reach *h, long badness, unsigned long margin);
void rank_reach_free(struct rank_reach *h);
int rank_domain(struct proc_table *t, const struct domain *d, const struct rank_opts *o, struct ranking *r);
const struct rank_row *rank_find(const struct ranking *r, const struct proc_record *rec, size_t *pos);
const struct rank_row *rank_victim(const struct ranking *r);
void rank_free(struct ranking *r);

#endif
