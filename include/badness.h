/* The kernel's OOM arithmetic as pure functions: badness, oom_score and the legacy oom_adj scale. */
#ifndef OOMTOP_BADNESS_H
#define OOMTOP_BADNESS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* What oom_badness() returns for a task it will never choose (mm/oom_kill.c, since 5.9). */
#define BADNESS_UNKILLABLE LONG_MIN

/* The memory a task is charged for, in pages, as oom_badness() counts it. */
struct badness_mem {
	unsigned long rss_pages;      /* MM_ANONPAGES + MM_FILEPAGES + MM_SHMEMPAGES */
	unsigned long swap_pages;     /* MM_SWAPENTS */
	unsigned long pgtables_pages; /* mm_pgtables_bytes() / PAGE_SIZE */
};

unsigned long badness_base_pages(const struct badness_mem *mem);
long badness_adj_pages(int oom_score_adj, unsigned long totalpages);
long badness_pages(const struct badness_mem *mem, int oom_score_adj, unsigned long totalpages);
unsigned long badness_oom_score(long badness, unsigned long totalpages);
int badness_adj_to_beat(unsigned long base_pages, long target_badness, unsigned long totalpages, int *adj_out);
int badness_legacy_to_adj(int oom_adj);

/*
 * The generations of oom_badness() and proc_oom_score(), each named by the
 * first mainline release that has it (mm/oom_kill.c, fs/proc/base.c).
 */
enum badness_model {
	BADNESS_MODEL_2_6_36, /* badness on the 0..1000 scale, root -30, adj added, clamped to 1..1000 */
	BADNESS_MODEL_3_8,    /* pages; root: adj - 30 before adj * (totalpages / 1000); at least 1 */
	BADNESS_MODEL_3_14,   /* pages; root: points - points * 3 / 100; at least 1 */
	BADNESS_MODEL_4_17,   /* pages; no root bonus; at least 1 */
	BADNESS_MODEL_5_9,    /* pages; no floor; oom_score (1000 + b * 1000 / total) * 2 / 3 */
	BADNESS_MODEL_COUNT
};

/* What one model needs to know of a task besides its memory. */
struct badness_task {
	struct badness_mem mem;
	int oom_score_adj;
	bool cap_sys_admin; /* CAP_SYS_ADMIN in CapEff (has_capability_noaudit()) */
};

/*
 * How select_bad_process() (mm/oom_kill.c) chooses among candidates of equal
 * badness: which of them a walk in the kernel's order keeps.
 */
enum badness_tie {
	BADNESS_TIE_LAST,  /* 5.3 on: an equal candidate replaces the one chosen; the last of equals is chosen */
	BADNESS_TIE_FIRST, /* before 5.3: the first of equals stays chosen */
};

long badness_model_pages(enum badness_model m, const struct badness_task *t, unsigned long totalpages);
unsigned long badness_model_oom_score(enum badness_model m, long badness, unsigned long totalpages);
int badness_model_for_release(const char *release, enum badness_model *out);
const char *badness_model_name(enum badness_model m);
int badness_release_code(const char *release, unsigned long *code);
int badness_tie_for_release(const char *release, enum badness_tie *out);
enum badness_tie badness_model_tie(enum badness_model m, enum badness_tie release_tie);

/* One task as the running kernel scored it, for the model check. */
struct badness_sample {
	struct badness_task task;
	unsigned long oom_score; /* /proc/PID/oom_score as read */
};

void badness_model_agreement(const struct badness_sample *s, size_t n, unsigned long totalpages,
			     size_t agree[BADNESS_MODEL_COUNT]);
enum badness_model badness_model_pick(const size_t agree[BADNESS_MODEL_COUNT], size_t n, enum badness_model guess,
				      bool *all_agree);
int badness_adj_to_legacy(int oom_score_adj);

#endif
