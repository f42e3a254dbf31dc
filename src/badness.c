/*
 * The kernel's OOM arithmetic.  Everything here is a pure function of numbers
 * so that the unit tests and the kernel itself can check it.
 */
#include <errno.h>
#include <string.h>

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
 * least target_badness in a domain of totalpages (which of equals the kernel
 * keeps depends on the order and the kernel: badness_tie, so reaching is not
 * always beating); stores it in *adj_out and returns 0, or -ERANGE when
 * even 1000 is not enough, or
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
 * Returns what /proc/PID/oom_adj reads for an oom_score_adj on kernels since
 * 5.10: fs/proc/base.c oom_adj_read(), score_adj * 17 / 1000 truncated toward
 * zero, and never above 15 (1000 and 942..999 read 15; 3.7-5.9 have no clamp
 * and read 16 for 942..999, 2.6.36-3.6 keep oom_adj apart: adj_legacy_of_score()
 * is each kernel's rule; tests/vm/t_writer_legacy.sh checks this one on
 * 5.10, 6.1 and 6.12).
 */
int badness_adj_to_legacy(int oom_score_adj)
{
	int oom_adj = oom_score_adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;

	return oom_adj > OOM_ADJUST_MAX ? OOM_ADJUST_MAX : oom_adj;
}

/* Returns base * 1000 / totalpages - 30 for root + adj, clamped to 1..1000 (2.6.36-3.7). */
static long model_2_6_36(const struct badness_task *t, unsigned long totalpages)
{
	unsigned long tp = totalpages ? totalpages : 1;
	long points = (long)(badness_base_pages(&t->mem) * 1000 / tp);

	if (t->cap_sys_admin)
		points -= 30;
	points += t->oom_score_adj;
	if (points <= 0)
		return 1;
	return points < 1000 ? points : 1000;
}

/*
 * Returns the badness a task has under model m in a domain of totalpages, or
 * BADNESS_UNKILLABLE for -1000 (which kernels before 5.9 report as 0):
 *   2.6.36-3.7   (base * 1000 / totalpages) - 30 for root + adj, 1..1000
 *   3.8-3.13     base + (adj - 30 for root) * (totalpages / 1000), at least 1
 *   3.14-4.16    base - base * 3 / 100 for root + adj * (totalpages / 1000), at least 1
 *                (commit 778c14affaf9, also in stable 3.13.y and RHEL 7's 3.10)
 *   4.17-5.8     base + adj * (totalpages / 1000), at least 1 (d46078b28889)
 *   5.9 on       base + adj * (totalpages / 1000), any sign (9066e5cfb73c)
 * base is rss + swap + page tables; the caller rules out pid 1, kernel threads
 * and tasks without an mm.
 */
long badness_model_pages(enum badness_model m, const struct badness_task *t, unsigned long totalpages)
{
	long points = (long)badness_base_pages(&t->mem);
	long adj = t->oom_score_adj;

	if (t->oom_score_adj <= OOM_SCORE_ADJ_MIN)
		return BADNESS_UNKILLABLE;
	switch (m) {
	case BADNESS_MODEL_2_6_36:
		return model_2_6_36(t, totalpages);
	case BADNESS_MODEL_3_8:
		if (t->cap_sys_admin)
			adj -= 30;
		break;
	case BADNESS_MODEL_3_14:
		if (t->cap_sys_admin)
			points -= points * 3 / 100;
		break;
	case BADNESS_MODEL_4_17:
		break;
	case BADNESS_MODEL_5_9:
	default:
		return badness_pages(&t->mem, t->oom_score_adj, totalpages);
	}
	points += adj * (long)(totalpages / 1000);
	return points > 0 ? points : 1;
}

/*
 * Returns what /proc/PID/oom_score shows for a badness under model m: the
 * badness itself before 3.8, badness * 1000 / totalpages in unsigned
 * arithmetic from 3.8 to 5.8, badness_oom_score() from 5.9; 0 for
 * BADNESS_UNKILLABLE.
 */
unsigned long badness_model_oom_score(enum badness_model m, long badness, unsigned long totalpages)
{
	if (badness == BADNESS_UNKILLABLE || totalpages == 0)
		return 0;
	switch (m) {
	case BADNESS_MODEL_2_6_36:
		return (unsigned long)badness;
	case BADNESS_MODEL_3_8:
	case BADNESS_MODEL_3_14:
	case BADNESS_MODEL_4_17:
		return (unsigned long)badness * 1000 / totalpages;
	case BADNESS_MODEL_5_9:
	default:
		return badness_oom_score(badness, totalpages);
	}
}

/* Parses "MAJOR.MINOR[.PATCH]" at the start of release; 0 or -EINVAL. */
static int parse_release(const char *release, unsigned long v[3])
{
	const char *p = release;

	for (int i = 0; i < 3; i++) {
		unsigned long n = 0;
		int digits = 0;

		v[i] = 0;
		if (i > 0) {
			if (*p != '.')
				return i == 2 ? 0 : -EINVAL;
			p++;
		}
		while (*p >= '0' && *p <= '9' && digits < 6) {
			n = n * 10 + (unsigned long)(*p - '0');
			p++;
			digits++;
		}
		if (digits == 0 || (*p >= '0' && *p <= '9'))
			return -EINVAL;
		v[i] = n;
	}
	return 0;
}

/*
 * Reads the mainline version at the start of a kernel release as uname -r
 * prints it ("4.18.0-553.el8_10.x86_64": 4.18.0) into *code as
 * major * 1000000 + minor * 1000 + patch (patch at most 999); 0, or -EINVAL.
 */
int badness_release_code(const char *release, unsigned long *code)
{
	unsigned long v[3];

	if (!release || parse_release(release, v) < 0)
		return -EINVAL;
	*code = v[0] * 1000000 + v[1] * 1000 + (v[2] < 999 ? v[2] : 999);
	return 0;
}

/*
 * Picks the model of a kernel release as uname -r prints it, distribution
 * releases included ("3.10.0-1160.el7.x86_64", "5.4.0-150-generic"): by the
 * mainline version, except for RHEL's kernels whose source carries a later
 * generation (RHEL 6's 2.6.32 has the 2.6.36 rewrite, RHEL 7's 3.10 the 3.14
 * root bonus).  Stores it in *out and returns 0, or -EINVAL for a release it
 * cannot read, -EOPNOTSUPP for a kernel older than every model.
 */
int badness_model_for_release(const char *release, enum badness_model *out)
{
	unsigned long code;

	if (badness_release_code(release, &code) < 0)
		return -EINVAL;
	if (code >= 5009000)
		*out = BADNESS_MODEL_5_9;
	else if (code >= 4017000)
		*out = BADNESS_MODEL_4_17;
	else if (code >= 3014000 || (code >= 3008000 && strstr(release, ".el7")))
		*out = BADNESS_MODEL_3_14;
	else if (code >= 3008000)
		*out = BADNESS_MODEL_3_8;
	else if (code >= 2006036 || (code >= 2006032 && strstr(release, ".el6")))
		*out = BADNESS_MODEL_2_6_36;
	else
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Picks the tie rule of a kernel release (uname -r, distribution releases
 * too) by its mainline version; stores it in *out and returns 0, or -EINVAL
 * for a release it cannot read.  mm/oom_kill.c: before 3.14 a candidate had
 * to have more points than the one chosen ("points > chosen_points"), so the
 * first of equals stayed; 3.14 (d49ad9355420, "prefer thread group leaders
 * for display purposes") let an equal one replace it unless the one chosen
 * is a thread group leader, which the first of a process always is, so the
 * first of equal processes still stayed; 5.3 dropped that check when
 * mem_cgroup_scan_tasks() began walking processes (CSS_TASK_ITER_PROCS), and
 * from then on each equal candidate replaces the one chosen: the last of
 * equals is chosen.  Read in the source of 3.13.10, 3.14.1, 5.2.1, 5.3.1,
 * 5.8.18 and 5.9.4.  A distribution kernel that backported the 5.3 change
 * (RHEL 8's 4.18 is not known to) ranks ties as its version says.
 */
int badness_tie_for_release(const char *release, enum badness_tie *out)
{
	unsigned long code;

	if (badness_release_code(release, &code) < 0)
		return -EINVAL;
	*out = code >= 5003000 ? BADNESS_TIE_LAST : BADNESS_TIE_FIRST;
	return 0;
}

/*
 * Returns the tie rule of generation m: its own where every kernel of the
 * generation has the same one (before 4.17: the first of equals; 5.9 on:
 * the last), else (4.17-5.8, which 5.3 splits) release_tie, the release's.
 */
enum badness_tie badness_model_tie(enum badness_model m, enum badness_tie release_tie)
{
	switch (m) {
	case BADNESS_MODEL_2_6_36:
	case BADNESS_MODEL_3_8:
	case BADNESS_MODEL_3_14:
		return BADNESS_TIE_FIRST;
	case BADNESS_MODEL_4_17:
		return release_tie;
	case BADNESS_MODEL_5_9:
	default:
		return BADNESS_TIE_LAST;
	}
}

/* Returns the short name of a model, as the header and JSON show it ("5.9+"). */
const char *badness_model_name(enum badness_model m)
{
	static const char *const names[BADNESS_MODEL_COUNT] = {
		[BADNESS_MODEL_2_6_36] = "2.6.36-3.7", [BADNESS_MODEL_3_8] = "3.8-3.13",
		[BADNESS_MODEL_3_14] = "3.14-4.16",    [BADNESS_MODEL_4_17] = "4.17-5.8",
		[BADNESS_MODEL_5_9] = "5.9+",
	};

	return (unsigned)m < BADNESS_MODEL_COUNT ? names[m] : "?";
}

/*
 * Counts, for every model, how many of the n samples it scores as the kernel
 * did: agree[m] samples whose recomputed oom_score equals the one read.
 */
void badness_model_agreement(const struct badness_sample *s, size_t n, unsigned long totalpages,
			     size_t agree[BADNESS_MODEL_COUNT])
{
	for (int m = 0; m < BADNESS_MODEL_COUNT; m++) {
		agree[m] = 0;
		for (size_t i = 0; i < n; i++) {
			long b = badness_model_pages((enum badness_model)m, &s[i].task, totalpages);

			if (badness_model_oom_score((enum badness_model)m, b, totalpages) == s[i].oom_score)
				agree[m]++;
		}
	}
}

/*
 * Picks the model the kernel's own scores support: guess (the release's
 * model) when no model agrees with more samples, else the one that agrees
 * with the most, the newest among equals.  *all_agree says whether the pick
 * agrees with all n samples; when it does not, no model explains this kernel.
 */
enum badness_model badness_model_pick(const size_t agree[BADNESS_MODEL_COUNT], size_t n, enum badness_model guess,
				      bool *all_agree)
{
	enum badness_model best = (unsigned)guess < BADNESS_MODEL_COUNT ? guess : BADNESS_MODEL_5_9;

	for (int m = BADNESS_MODEL_COUNT - 1; m >= 0; m--)
		if (agree[m] > agree[best])
			best = (enum badness_model)m;
	*all_agree = agree[best] == n;
	return best;
}
