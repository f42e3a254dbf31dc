/*
 * The writer's pure part that is not text: the ranges of the two scales,
 * strict parsing of a value, the file of a scale, whether a result changes
 * the value, and the rules of fs/proc/base.c where they changed between
 * kernels.
 */
#include <errno.h>

#include "adj.h"
#include "badness.h"
#include "num.h"
#include "oomtop.h"

/* Returns the lowest value of a unit. */
int adj_unit_min(enum adj_unit unit)
{
	return unit == ADJ_LEGACY ? OOM_DISABLE : OOM_SCORE_ADJ_MIN;
}

/* Returns the highest value of a unit. */
int adj_unit_max(enum adj_unit unit)
{
	return unit == ADJ_LEGACY ? OOM_ADJUST_MAX : OOM_SCORE_ADJ_MAX;
}

/* Parses a value of unit strictly ("-500", not "-500x" or " 5"); 0, -EINVAL or -ERANGE. */
int adj_parse(const char *s, enum adj_unit unit, int *out)
{
	long v;
	int err = num_parse_long(s, adj_unit_min(unit), adj_unit_max(unit), &v);

	if (err == 0)
		*out = (int)v;
	return err;
}

/* Returns the file name of a unit in /proc/PID. */
const char *adj_unit_file(enum adj_unit unit)
{
	return unit == ADJ_LEGACY ? "oom_adj" : "oom_score_adj";
}

/* Tells whether the result is a change of value (made, or to be made in a dry run). */
bool adj_result_changes(const struct adj_result *res)
{
	if (!res->have_old)
		return false;
	if (res->fallback)
		return res->target_legacy != res->old_legacy;
	if (res->unit == ADJ_LEGACY && res->legacy_kept && res->target_legacy != res->old_legacy)
		return true;
	return res->target_score != res->old_score;
}

/* Sets *out to the rules of the newest kernels (5.10 on): what oomtop assumes where the release is unknown. */
void adj_rules_newest(struct adj_rules *out)
{
	out->legacy = ADJ_LEGACY_CLAMPED;
	out->score_min = true;
	out->mm_shared = true;
}

/*
 * Picks the rules of fs/proc/base.c for a kernel release (uname -r), by its
 * mainline version; stores them in *out and returns 0, or -EINVAL (then
 * *out holds the newest rules):
 *   2.6.36-3.6   oom_adj kept beside oom_score_adj (signal->oom_adj); 3.7
 *                made it a view of oom_score_adj, no longer to be removed
 *   5.10         the view's read never goes above 15 (5.9 reads 16 for
 *                942..999; the fix's commit is not named here)
 *   2.6.38       oom_score_adj_min: without CAP_SYS_RESOURCE the value may go
 *                down to it (2.6.37 refuses anything below the current value)
 *   4.8          __set_oom_adj(): the value, and a privileged writer's
 *                minimum, go to every process sharing the memory
 * A distribution kernel with a backport of one of these is judged by its
 * version.
 */
int adj_rules_for_release(const char *release, struct adj_rules *out)
{
	unsigned long code;

	adj_rules_newest(out);
	if (badness_release_code(release, &code) < 0)
		return -EINVAL;
	out->legacy = code >= 5010000 ? ADJ_LEGACY_CLAMPED : code >= 3007000 ? ADJ_LEGACY_VIEW : ADJ_LEGACY_KEPT;
	out->score_min = code >= 2006038;
	out->mm_shared = code >= 4008000;
	return 0;
}

/*
 * Returns what /proc/PID/oom_adj reads once oom_score_adj is score (after a
 * write of oom_score_adj, on kernels that keep oom_adj apart): fs/proc/base.c
 * oom_adj_read() since 3.7, 15 for 1000, else score * 17 / 1000 truncated,
 * at most 15 from 5.10; oom_score_adj_write() before 3.7, -17 for -1000,
 * else score * 15 / 1000 truncated.
 */
int adj_legacy_of_score(const struct adj_rules *r, int score)
{
	int legacy;

	if (r->legacy == ADJ_LEGACY_KEPT)
		return score == OOM_SCORE_ADJ_MIN ? OOM_DISABLE : score * OOM_ADJUST_MAX / OOM_SCORE_ADJ_MAX;
	if (score == OOM_SCORE_ADJ_MAX)
		return OOM_ADJUST_MAX;
	legacy = score * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
	return r->legacy == ADJ_LEGACY_CLAMPED && legacy > OOM_ADJUST_MAX ? OOM_ADJUST_MAX : legacy;
}

/*
 * Returns what /proc/PID/oom_adj reads after a write of value in unit: the
 * value itself where the kernel keeps oom_adj apart (before 3.7) and it was
 * written there, else the read of the oom_score_adj the write stores.
 */
int adj_legacy_after(const struct adj_rules *r, enum adj_unit unit, int value)
{
	if (unit == ADJ_LEGACY)
		return r->legacy == ADJ_LEGACY_KEPT ? value : adj_legacy_of_score(r, badness_legacy_to_adj(value));
	return adj_legacy_of_score(r, value);
}

/*
 * Decides whether a writer without CAP_SYS_RESOURCE is refused a write of
 * unit: -EACCES or 0.  oom_adj (fs/proc/base.c oom_adj_write(), then
 * __set_oom_adj() from 4.8): below the current value, compared on the legacy
 * scale while the kernel keeps oom_adj apart (before 3.7), else as the
 * oom_score_adj it stores against the current one.  oom_score_adj: below
 * the current value before 2.6.38; from 2.6.38 below oom_score_adj_min,
 * which /proc does not show: it is 0 unless a privileged writer set it, and
 * the value never sits below it, so the guess is the lower of the current
 * value and 0.
 */
int adj_refusal(const struct adj_rules *r, enum adj_unit unit, int target_score, int target_legacy, int old_score,
		int old_legacy)
{
	if (unit == ADJ_LEGACY) {
		if (r->legacy == ADJ_LEGACY_KEPT)
			return target_legacy < old_legacy ? -EACCES : 0;
		return target_score < old_score ? -EACCES : 0;
	}
	if (!r->score_min)
		return target_score < old_score ? -EACCES : 0;
	return target_score < old_score && target_score < 0 ? -EACCES : 0;
}
