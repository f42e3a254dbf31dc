/* The kernel's OOM arithmetic as pure functions: badness, oom_score and the legacy oom_adj scale. */
#ifndef OOMTOP_BADNESS_H
#define OOMTOP_BADNESS_H

#include <limits.h>
#include <stdbool.h>

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
int badness_adj_to_legacy(int oom_score_adj);

#endif
