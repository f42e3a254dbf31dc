/* Formatting the model check (model.c): the header's line and its JSON object. */
#include "modelfmt.h"

/* Returns how a counting of rss is named in the check's line. */
static const char *counting_name(bool approx)
{
	return approx ? "per-cpu rss counters" : "exact rss sums";
}

/* Returns how a counting of rss is named in JSON. */
static const char *counting_key(bool approx)
{
	return approx ? "per-cpu" : "exact";
}

/*
 * Appends what the check found, one line without its newline: "model 5.9+
 * checked on 10 of 10 processes", what the kernel's scores overruled in the
 * release's guess, or that no generation explains this kernel.
 */
void modelfmt_text(struct strbuf *sb, const struct model_check *mc)
{
	const char *name = badness_model_name(mc->model);

	if (mc->checked == 0) {
		sb_addf(sb, "model %s, not checked (no oom_score read)", name);
		return;
	}
	if (mc->agree < mc->checked) {
		sb_addf(sb,
			"WARNING: no generation of oom_badness() explains this kernel: model %s agrees with %zu of %zu "
			"processes (pid %d: the kernel's oom_score is %+ld off)",
			name, mc->agree, mc->checked, (int)mc->worst_pid, mc->worst_diff);
		if (mc->by_kernel_score)
			sb_adds(sb, "; ranked by the kernel's own oom_score, rows marked ? disagree");
		return;
	}
	sb_addf(sb, "model %s", name);
	if (mc->approx != mc->release_approx)
		sb_addf(sb, " with %s", counting_name(mc->approx));
	sb_addf(sb, " checked on %zu of %zu processes", mc->agree, mc->checked);
	if (mc->model != mc->release_model)
		sb_addf(sb, " (the kernel's own scores; its release names %s)", badness_model_name(mc->release_model));
	else if (mc->approx != mc->release_approx)
		sb_addf(sb, " (the kernel's own scores; its release suggests %s)", counting_name(mc->release_approx));
}

/*
 * Writes the check as the object key: the generation and counting used,
 * what the release named, how many processes were compared and agreed, who
 * chose ("release" or "oom_score": the kernel's own scores overruled it),
 * and the worst miss (null when all agree).
 */
void modelfmt_json(struct json *j, const char *key, const struct model_check *mc)
{
	json_kobj_begin(j, key);
	json_kstr(j, "generation", badness_model_name(mc->model));
	json_kstr(j, "counting", counting_key(mc->approx));
	json_kstr(j, "release_generation", badness_model_name(mc->release_model));
	json_kstr(j, "release_counting", counting_key(mc->release_approx));
	json_kulong(j, "checked", mc->checked);
	json_kulong(j, "agree", mc->agree);
	json_kbool(j, "explained", mc->checked > 0 && mc->agree == mc->checked);
	json_kstr(j, "chosen_by", mc->switched ? "oom_score" : "release");
	if (mc->agree < mc->checked) {
		json_kobj_begin(j, "worst");
		json_klong(j, "pid", mc->worst_pid);
		json_klong(j, "oom_score_diff", mc->worst_diff);
		json_obj_end(j);
	} else {
		json_knull(j, "worst");
	}
	json_obj_end(j);
}
