/*
 * The writer's pure part that is not text: the ranges of the two scales,
 * strict parsing of a value, the file of a scale, and whether a result
 * changes the value.
 */
#include "adj.h"
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
	return res->target_score != res->old_score;
}
