/*
 * The model check.  oom_score (fs/proc/base.c proc_oom_score()) is the
 * kernel's own badness of a process in the global domain, so comparing it
 * with the recomputed one tests the whole model on the running kernel: the
 * generation of oom_badness() (badness.c) and which rss it counts (the exact
 * sums of status, or get_mm_rss()'s per-cpu counters from 6.2 until they
 * were summed exactly; a stable backport can move that, a version cannot
 * tell).  The release picks the first guess; the numbers decide.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

#define MODEL_MIN_SAMPLES 3 /* the fewest processes whose scores may overrule the release */

/* Returns the oom_score generation m shows for task in a domain of totalpages. */
unsigned long model_score(enum badness_model m, const struct badness_task *task, unsigned long totalpages)
{
	return badness_model_oom_score(m, badness_model_pages(m, task, totalpages), totalpages);
}

/* Returns the task of sample s under one rss counting. */
static const struct badness_task *task_of(const struct model_sample *s, bool approx)
{
	return approx ? &s->approx : &s->exact;
}

/* Counts the samples generation m with the given counting reproduces. */
static size_t count_agree(const struct model_sample *s, size_t n, unsigned long totalpages, enum badness_model m,
			  bool approx)
{
	size_t agree = 0;

	for (size_t i = 0; i < n; i++)
		agree += model_score(m, task_of(&s[i], approx), totalpages) == s[i].oom_score;
	return agree;
}

/* Returns whether the model and counting mc settled on reproduce the kernel's oom_score of s. */
bool model_sample_agrees(const struct model_check *mc, const struct model_sample *s, unsigned long totalpages)
{
	return model_score(mc->model, task_of(s, mc->approx), totalpages) == s->oom_score;
}

/*
 * Judges n samples: the release's model with the release's counting when it
 * reproduces every one (or when there are fewer than MODEL_MIN_SAMPLES);
 * else the generation and counting that do (the release's counting first,
 * then the newest generation); else the one that reproduces the most (the
 * release's on a tie), with its worst miss.
 */
void model_judge(const struct model_sample *s, size_t n, unsigned long totalpages, enum badness_model release_model,
		 bool release_approx, struct model_check *mc)
{
	size_t best = count_agree(s, n, totalpages, release_model, release_approx);

	memset(mc, 0, sizeof(*mc));
	mc->release_model = mc->model = release_model;
	mc->approx = mc->release_approx = release_approx;
	mc->checked = n;
	mc->agree = best;
	/* one or two numbers fit several generations by chance: too few to overrule the release */
	for (int v = 0; v < 2 && best < n && n >= MODEL_MIN_SAMPLES; v++) {
		bool approx = v == 0 ? release_approx : !release_approx;
		for (int m = BADNESS_MODEL_COUNT - 1; m >= 0 && best < n; m--) {
			size_t a = count_agree(s, n, totalpages, (enum badness_model)m, approx);
			if (a > best) {
				best = a;
				mc->model = (enum badness_model)m;
				mc->approx = approx;
			}
		}
	}
	mc->agree = best;
	mc->switched = best == n && n > 0 && (mc->model != release_model || mc->approx != release_approx);
	for (size_t i = 0; i < n; i++) {
		long diff = (long)s[i].oom_score - (long)model_score(mc->model, task_of(&s[i], mc->approx), totalpages);
		if (diff != 0 && (mc->worst_pid == 0 || labs(diff) > labs(mc->worst_diff))) {
			mc->worst_pid = s[i].pid;
			mc->worst_diff = diff;
		}
	}
}

/* Fills a sample from a record whose oom_score was read: status's rss and stat's, read now. */
static void take_sample(struct proc_table *t, struct proc_record *rec, unsigned long page_kib, struct model_sample *s)
{
	unsigned known = rec->known;
	unsigned long pages;

	rec->known &= ~(unsigned)PROC_HAVE_KRSS;
	proc_badness_task(rec, page_kib, &s->exact);
	rec->known = known;
	s->approx = s->exact;
	if (rec->has_mm && proc_read_stat_rss(t, rec, &pages) == 0)
		s->approx.mem.rss_pages = pages;
	s->oom_score = (unsigned long)rec->oom_score;
	s->pid = rec->pid;
}

/*
 * Checks the model on the eligible rows whose oom_score was read (the
 * kernel's is always the global domain's: totalpages is the machine's),
 * into mc, and marks each row it compared.  A row that disagrees is read
 * once more, status and oom_score together, as its memory may have moved
 * between the two reads.  Returns 0.
 */
int model_check_rows(struct proc_table *t, struct rank_row *const *rows, size_t n, unsigned long totalpages,
		     unsigned long page_kib, struct model_check *mc)
{
	struct model_sample *s = xcalloc(n ? n : 1, sizeof(*s));
	struct rank_row **of = xcalloc(n ? n : 1, sizeof(*of));
	enum badness_model release = proc_table_model(t);
	bool approx = proc_table_release_counts_approx(t);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct proc_record *rec = rows[i]->rec;

		rows[i]->check = RANK_MODEL_UNCHECKED;
		/* 0 is also what the kernel shows for a task it skips (a vfork child): nothing to compare */
		if (!(rec->known & PROC_HAVE_SCORE) || rec->oom_score == 0 || proc_unkillable(rec) != PROC_KILLABLE)
			continue;
		take_sample(t, rec, page_kib, &s[k]);
		if (model_score(release, task_of(&s[k], approx), totalpages) != s[k].oom_score) {
			if (proc_read_record(t, rec) < 0 || proc_read_score(t, rec) < 0 || rec->oom_score == 0 ||
			    proc_unkillable(rec) != PROC_KILLABLE)
				continue; /* gone, or no longer eligible */
			take_sample(t, rec, page_kib, &s[k]);
		}
		of[k++] = rows[i];
	}
	model_judge(s, k, totalpages, release, approx, mc);
	for (size_t j = 0; j < k; j++)
		of[j]->check = model_sample_agrees(mc, &s[j], totalpages) ? RANK_MODEL_AGREES : RANK_MODEL_DIFFERS;
	free(of);
	free(s);
	return 0;
}
