/*
 * The kernel's OOM arithmetic.  Everything here is a pure function of numbers
 * so that the unit tests and the kernel itself can check it.
 */
#include <errno.h>

#include "badness.h"
#include "oomtop.h"

/* Returns the pages oom_badness() charges a task before oom_score_adj: rss + swap + page tables. */
unsigned long badness_base_pages(const struct badness_mem *mem)
{
	return mem->rss_pages + mem->swap_pages + mem->pgtables_pages;
}

/*
 * Returns the pages oom_score_adj adds or removes in a domain of totalpages.
 * mm/oom_kill.c oom_badness(): "adj *= totalpages / 1000", the division comes
 * first, so a domain under 1000 pages gives adj no weight at all.
 */
long badness_adj_pages(int oom_score_adj, unsigned long totalpages)
{
	return (long)oom_score_adj * (long)(totalpages / 1000);
}

/*
 * Returns the kernel's badness in pages, or BADNESS_UNKILLABLE for -1000.
 * mm/oom_kill.c oom_badness() since 5.9 (no 3% root bonus since 4.17, no
 * clamp to 1 since 5.9): points = rss + swapents + pgtables/PAGE_SIZE, plus
 * adj * (totalpages / 1000).  The caller rules out pid 1, kernel threads and
 * tasks without an mm, which the kernel also reports as LONG_MIN.
 */
long badness_pages(const struct badness_mem *mem, int oom_score_adj, unsigned long totalpages)
{
	if (oom_score_adj <= OOM_SCORE_ADJ_MIN)
		return BADNESS_UNKILLABLE;
	return (long)badness_base_pages(mem) + badness_adj_pages(oom_score_adj, totalpages);
}

/*
 * Returns what /proc/PID/oom_score shows for a badness: fs/proc/base.c
 * proc_oom_score() since 5.9, (1000 + badness * 1000 / totalpages) * 2 / 3,
 * and 0 for a task the OOM killer cannot choose.  The arithmetic is the
 * kernel's signed long arithmetic, truncating toward zero.
 */
unsigned long badness_oom_score(long badness, unsigned long totalpages)
{
	long points;

	if (badness == BADNESS_UNKILLABLE || totalpages == 0)
		return 0;
	points = (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
	return (unsigned long)points;
}

/*
 * Finds the smallest oom_score_adj that makes a task with base_pages reach at
 * least target_badness in a domain of totalpages (ties go to the task the
 * kernel evaluates last, so reaching is not always beating); stores it in
 * *adj_out and returns 0, or -ERANGE when even 1000 is not enough, or
 * -EDOM when the adj has no weight in this domain (under 1000 pages).
 */
int badness_adj_to_beat(unsigned long base_pages, long target_badness, unsigned long totalpages, int *adj_out)
{
	long unit = (long)(totalpages / 1000);
	long need = target_badness - (long)base_pages;
	long adj;

	if (unit == 0) {
		if (need > 0)
			return -EDOM;
		*adj_out = OOM_SCORE_ADJ_MIN + 1;
		return 0;
	}
	/* ceil(need / unit), correct for negative need too */
	adj = need / unit;
	if (adj * unit < need)
		adj++;
	if (adj > OOM_SCORE_ADJ_MAX)
		return -ERANGE;
	if (adj <= OOM_SCORE_ADJ_MIN)
		adj = OOM_SCORE_ADJ_MIN + 1;
	*adj_out = (int)adj;
	return 0;
}

/*
 * Returns the oom_score_adj a write of oom_adj stores: fs/proc/base.c
 * oom_adj_write(), 15 maps to 1000, anything else to adj * 1000 / 17
 * truncated toward zero (so -17 maps to -1000).
 */
int badness_legacy_to_adj(int oom_adj)
{
	if (oom_adj == OOM_ADJUST_MAX)
		return OOM_SCORE_ADJ_MAX;
	return oom_adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
}

/*
 * Returns what /proc/PID/oom_adj reads for an oom_score_adj: fs/proc/base.c
 * oom_adj_read(), score_adj * 17 / 1000 truncated toward zero, and never
 * above 15 (1000 and 942..999 read 15: the clamp is in 6.1 and 6.18, the
 * kernels the tests run on, and tests/vm/t_writer_legacy.sh checks it).
 */
int badness_adj_to_legacy(int oom_score_adj)
{
	int oom_adj = oom_score_adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;

	return oom_adj > OOM_ADJUST_MAX ? OOM_ADJUST_MAX : oom_adj;
}
