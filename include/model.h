/*
 * The model check: does the generation of oom_badness() oomtop ranks with
 * reproduce the oom_score the running kernel shows?  Every scan compares the
 * processes whose oom_score it read anyway, and where the release's model
 * fails, finds the generation (and rss counting) that explains them all.
 */
#ifndef OOMTOP_MODEL_H
#define OOMTOP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "badness.h"
#include "proc.h"
#include "rank.h"

/* One eligible process as both rss countings see it, and the oom_score the kernel showed. */
struct model_sample {
	struct badness_task exact;  /* rss from status: the exact sums */
	struct badness_task approx; /* rss from stat: get_mm_rss(), the per-cpu counters (= exact where they agree) */
	unsigned long oom_score;
	pid_t pid;
};

/* What a check found. */
struct model_check {
	enum badness_model release_model; /* the generation the kernel's release names */
	enum badness_model model;         /* the generation that explains the samples best (the ranking's) */
	bool approx;                      /* with the approximate rss counters (else the exact sums) */
	bool release_approx;              /* what the release suggests (proc_kernel_counts_approx()) */
	size_t checked;                   /* eligible processes compared */
	size_t agree;                     /* of those, how many model reproduces exactly */
	bool switched;                    /* the release's model (or counting) failed and another explains all */
	pid_t worst_pid;                  /* the process model is furthest from, when agree < checked */
	long worst_diff;                  /* its kernel oom_score minus the recomputed one */
	bool by_kernel_score;             /* none explains it: the rows were ordered by the kernel's oom_score */
};

unsigned long model_score(enum badness_model m, const struct badness_task *task, unsigned long totalpages);
void model_judge(const struct model_sample *s, size_t n, unsigned long totalpages, enum badness_model release_model,
		 bool release_approx, struct model_check *mc);
bool model_sample_agrees(const struct model_check *mc, const struct model_sample *s, unsigned long totalpages);
int model_check_rows(struct proc_table *t, struct rank_row *const *rows, size_t n, unsigned long totalpages,
		     unsigned long page_kib, struct model_check *mc);

#endif
