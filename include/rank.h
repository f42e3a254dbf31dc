/* Ranking processes inside an OOM domain the way select_bad_process() would. */
#ifndef OOMTOP_RANK_H
#define OOMTOP_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "proc.h"

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

int rank_key_parse(const char *name, enum rank_key *key);
const char *rank_key_name(enum rank_key key);
enum rank_key rank_key_next(enum rank_key key);
void rank_compute(struct proc_record *rec, unsigned long totalpages, unsigned long page_kib);
int rank_compare(const struct proc_record *a, const struct proc_record *b, enum rank_key key);
void rank_sort(struct proc_record **rows, size_t n, enum rank_key key, bool reverse);
size_t rank_tied_prefix(struct proc_record *const *rows, size_t n, size_t limit);
size_t rank_uncertain_prefix(struct proc_record *const *rows, size_t n, size_t limit, unsigned long margin);

#endif
