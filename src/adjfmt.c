/*
 * The text of a writer's result, for the terminal and for syslog: pure
 * functions of a struct adj_result.  The messages follow what the kernel
 * decides (fs/proc/base.c __set_oom_adj(), oom_adj_read()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "adj.h"
#include "adjfmt.h"
#include "oomtop.h"
#include "out.h"

/* Appends "PID (comm): " with the comm escaped (it is chosen by whoever started the process). */
static void format_who(struct strbuf *sb, const struct adj_result *res, bool utf8)
{
	sb_addf(sb, "%d", (int)res->id.pid);
	if (res->id.comm[0]) {
		sb_adds(sb, " (");
		out_escape(sb, res->id.comm, strlen(res->id.comm), utf8);
		sb_addc(sb, ')');
	}
	sb_adds(sb, ": ");
}

/* Appends the processes the kernel changed too because they share the target's memory. */
static void format_sharers(struct strbuf *sb, const struct adj_result *res, bool utf8)
{
	size_t shown = res->nsharers < ADJ_SHARERS_MAX ? res->nsharers : ADJ_SHARERS_MAX;

	if (!res->nsharers)
		return;
	sb_adds(sb, " (the kernel also changed ");
	for (size_t i = 0; i < shown; i++) {
		sb_addf(sb, "%s%d", i ? ", " : "", (int)res->sharers[i].pid);
		if (res->sharers[i].comm[0]) {
			sb_adds(sb, " (");
			out_escape(sb, res->sharers[i].comm, strlen(res->sharers[i].comm), utf8);
			sb_addc(sb, ')');
		}
	}
	if (res->nsharers > shown)
		sb_addf(sb, " and %zu more", res->nsharers - shown);
	sb_addf(sb, ", which share%s its memory)", res->nsharers == 1 ? "s" : "");
}

/* Appends "uid N (name)", or "uid N" without a name. */
static void format_uid(struct strbuf *sb, uid_t uid, const char *name)
{
	sb_addf(sb, "uid %lu", (unsigned long)uid);
	if (name && strcmp(name, "") != 0) {
		char num[24];
		snprintf(num, sizeof(num), "%lu", (unsigned long)uid);
		if (strcmp(name, num) != 0)
			sb_addf(sb, " (%s)", name);
	}
}

/* Returns the clause that says why the writer lacks CAP_SYS_RESOURCE as the kernel counts it. */
static const char *cap_clause(const struct adj_result *res)
{
	if (res->cap_sys_resource)
		return " in the initial user namespace (you hold it only in a container's)";
	if (res->self_uid == 0)
		return ", which you lack as root (a container or a reduced capability set)";
	return " (run it as root)";
}

/* Appends why the kernel refused the value, and what works instead. */
static void format_eacces(struct strbuf *sb, const struct adj_result *res)
{
	if (res->fallback) {
		/* before 2.6.36: lowering oom_adj at all needed CAP_SYS_RESOURCE */
		sb_addf(sb,
			"cannot lower oom_adj from %d to %d: that needs CAP_SYS_RESOURCE%s; raising works without it",
			res->old_legacy, res->target_legacy, cap_clause(res));
	} else if (res->unit == ADJ_LEGACY) {
		/* fs/proc/base.c __set_oom_adj(), legacy: compared with the current value */
		sb_addf(sb,
			"cannot lower through oom_adj from oom_score_adj %d to %d (oom_adj %d): the legacy file "
			"needs CAP_SYS_RESOURCE to go below the current value%s; raising works without it, and "
			"oom_score_adj (without --legacy) can go down to the process's oom_score_adj_min",
			res->old_score, res->target_score, res->target_legacy, cap_clause(res));
	} else if (res->no_score_min) {
		/* 2.6.36 and 2.6.37: oom_score_adj_write() compares with the current value */
		sb_addf(sb,
			"cannot lower oom_score_adj from %d to %d: before Linux 2.6.38 any lowering needs "
			"CAP_SYS_RESOURCE%s; raising works without it",
			res->old_score, res->target_score, cap_clause(res));
	} else if (res->target_score < res->old_score) {
		/* non-legacy: compared with oom_score_adj_min, which /proc does not show */
		sb_addf(sb,
			"cannot lower oom_score_adj from %d to %d: that is below the process's oom_score_adj_min "
			"and needs CAP_SYS_RESOURCE%s; raising works without it",
			res->old_score, res->target_score, cap_clause(res));
	} else {
		/* a privileged legacy write can leave the value below the minimum */
		sb_addf(sb,
			"cannot set oom_score_adj to %d (it is %d): that is below the process's oom_score_adj_min, "
			"which a writer with CAP_SYS_RESOURCE set above %d, and needs CAP_SYS_RESOURCE%s",
			res->target_score, res->old_score, res->target_score, cap_clause(res));
	}
}

/* Appends the explanation of a failed result. */
static void format_error(struct strbuf *sb, const struct adj_result *res)
{
	const char *file = adj_unit_file(res->unit);

	switch (res->err) {
	case -ENOENT:
		sb_adds(sb, "no such process");
		break;
	case -ESRCH:
		if (res->changed)
			sb_adds(sb, "the process exited right after the write");
		else if (res->pid_reused)
			sb_adds(sb, "the process exited and its PID now belongs to another process, "
				    "which was left alone");
		else
			sb_adds(sb, "the process exited; nothing was written");
		break;
	case -EPERM:
		sb_addf(sb, "not the owner: /proc/%d/%s belongs to ", (int)res->id.pid, file);
		format_uid(sb, res->file_uid, res->owner_name);
		if (res->file_uid == 0 && res->id.uid != 0)
			sb_adds(sb, " (the process is not dumpable)");
		sb_adds(sb, " and you are ");
		format_uid(sb, res->self_uid, res->self_name);
		sb_adds(sb, "; only its owner or root can change it");
		break;
	case -EACCES:
		format_eacces(sb, res);
		break;
	case -ERANGE:
		sb_addf(sb, "%s %d is out of range (%d..%d)", res->unit == ADJ_LEGACY ? "oom_adj" : "oom_score_adj",
			res->requested, adj_unit_min(res->unit), adj_unit_max(res->unit));
		break;
	case -EOPNOTSUPP:
		sb_adds(sb, "a kernel thread: the OOM killer never kills kernel threads, left alone");
		break;
	case -ENODEV:
		if (res->unit == ADJ_LEGACY)
			sb_adds(sb, "this kernel has no /proc/PID/oom_adj (--legacy needs it)");
		else
			sb_adds(sb, "this kernel has neither /proc/PID/oom_score_adj nor /proc/PID/oom_adj");
		break;
	case -EIO:
		if (res->fallback || res->unit == ADJ_LEGACY)
			sb_addf(sb, "wrote oom_adj %d but it reads back oom_adj %d", res->target_legacy,
				res->new_legacy);
		else
			sb_addf(sb, "wrote oom_score_adj %d but it reads back %d", res->target_score, res->new_score);
		sb_adds(sb, " (another writer at the same moment?)");
		break;
	default:
		sb_addf(sb, "cannot write %s: %s", file, strerror(-res->err));
		break;
	}
}

/*
 * Appends one line (no newline) about a result: "1234 (mysqld): oom_score_adj
 * 0 -> -500", "... unchanged", "... (dry run)", or the explained error.
 */
void adjfmt_result(struct strbuf *sb, const struct adj_result *res, bool utf8)
{
	format_who(sb, res, utf8);
	if (res->err) {
		if (res->dry_run && (res->err == -EPERM || res->err == -EACCES))
			sb_adds(sb, "would be refused (dry run): ");
		format_error(sb, res);
		return;
	}
	bool same = !adj_result_changes(res);
	if (res->unit == ADJ_SCORE) {
		if (same)
			sb_addf(sb, "oom_score_adj %d, unchanged", res->old_score);
		else
			sb_addf(sb, "oom_score_adj %d -> %d", res->old_score, res->new_score);
	} else if (!res->fallback) {
		if (same)
			sb_addf(sb, "oom_adj %d, unchanged (oom_score_adj %d)", res->old_legacy, res->old_score);
		else
			sb_addf(sb, "oom_adj %d -> %d (oom_score_adj %d -> %d", res->old_legacy, res->new_legacy,
				res->old_score, res->new_score);
		if (!same && res->new_legacy != res->requested && res->new_score == res->target_score)
			sb_addf(sb, "; oom_adj %d is stored as %d, which reads back as %d", res->requested,
				res->target_score, res->new_legacy);
		if (!same)
			sb_addc(sb, ')');
	} else {
		if (same)
			sb_addf(sb, "oom_adj %d, unchanged", res->old_legacy);
		else
			sb_addf(sb, "oom_adj %d -> %d", res->old_legacy, res->new_legacy);
		sb_adds(sb, " (this kernel has no oom_score_adj, it is older than 2.6.36: used the legacy oom_adj");
		if (res->converted)
			sb_addf(sb, "; oom_score_adj %d is oom_adj %d", res->requested, res->target_legacy);
		sb_addc(sb, ')');
	}
	if (res->dry_run && !same)
		sb_adds(sb, " (dry run, not written)");
	if (res->exited_after_write)
		sb_adds(sb, " (it exited right after the write)");
	format_sharers(sb, res, utf8);
}

/*
 * Appends the syslog line of a write: the target (pid, name, owner), old and
 * new value, who ran it (uid, login uid) and through which command.
 */
void adjfmt_log(struct strbuf *sb, const struct adj_result *res, const char *cmd, uid_t uid, const char *user,
		long auid)
{
	const char *file = adj_unit_file(res->unit);

	sb_addf(sb, "%s: pid %d comm \"", cmd ? cmd : "write", (int)res->id.pid);
	out_escape(sb, res->id.comm, strlen(res->id.comm), false); /* no newline can forge a line */
	sb_addf(sb, "\" uid %lu: ", (unsigned long)res->id.uid);
	if (res->err == -EPERM || res->err == -EACCES) {
		sb_addf(sb, "%s %d -> %d refused (%s)", file,
			res->unit == ADJ_LEGACY ? res->old_legacy : res->old_score,
			res->unit == ADJ_LEGACY ? res->target_legacy : res->target_score,
			res->err == -EPERM ? "not the owner" : "needs CAP_SYS_RESOURCE");
	} else if (res->unit == ADJ_LEGACY) {
		sb_addf(sb, "oom_adj %d -> %d", res->old_legacy, res->new_legacy);
		if (!res->fallback)
			sb_addf(sb, " (oom_score_adj %d -> %d)", res->old_score, res->new_score);
	} else {
		sb_addf(sb, "oom_score_adj %d -> %d", res->old_score, res->new_score);
	}
	if (res->err && res->err != -EPERM && res->err != -EACCES)
		sb_addf(sb, " (%s)", strerror(-res->err));
	for (size_t i = 0; i < res->nsharers && i < ADJ_SHARERS_MAX; i++)
		sb_addf(sb, "%s%d", i ? "," : ", also pid ", (int)res->sharers[i].pid);
	if (res->nsharers)
		sb_adds(sb, " (shared memory)");
	sb_addf(sb, "; by uid %lu", (unsigned long)uid);
	if (user && *user)
		sb_addf(sb, " (%s)", user);
	if (auid >= 0)
		sb_addf(sb, " auid %ld", auid);
}
