/* The table, its domain header and the JSON of `oomtop top`, built from records without any I/O. */
#include <stdio.h>
#include <string.h>

#include "badness.h"
#include "out.h"
#include "snapshot.h"
#include "topfmt.h"

#define ROW_PREFIX_FMT "%7s %-8s %5s %5s %9s %6s %6s %5s "
#define WORKLOAD_COL 20 /* the WORKLOAD column's width; a longer name ends in '+' */

/* Appends the column header line. */
void topfmt_header(struct strbuf *sb, const struct topfmt_ctx *ctx)
{
	size_t start = sb->len;

	sb_addf(sb, ROW_PREFIX_FMT, "PID", "USER", "SCORE", "ADJ", "BADNESS", "RSS", "SWAP", "MEM%");
	if (ctx->workload_col)
		sb_addf(sb, "%-*s ", WORKLOAD_COL, "WORKLOAD");
	sb_adds(sb, "COMMAND");
	if (ctx->width && sb->len - start > ctx->width)
		sb->len = start + ctx->width, sb->buf[sb->len] = '\0';
	sb_addc(sb, '\n');
}

/* Returns the share of the domain's pages the record is charged for, in percent. */
double topfmt_mem_share(const struct proc_record *rec, const struct topfmt_ctx *ctx)
{
	struct badness_mem mem;

	if (!ctx->totalpages || !(rec->known & PROC_HAVE_STATUS))
		return 0.0;
	proc_badness_mem(rec, ctx->page_kib, &mem);
	return 100.0 * (double)badness_base_pages(&mem) / (double)ctx->totalpages;
}

/*
 * Appends the COMMAND text of a record, escaped: its command line, or
 * "[comm]" when that is empty (kernel threads, zombies), as ps(1) does.
 */
void topfmt_command(struct strbuf *sb, const struct proc_record *rec, bool utf8)
{
	if ((rec->known & PROC_HAVE_CMDLINE) && rec->cmdline_len > 0) {
		out_escape(sb, rec->cmdline, rec->cmdline_len, utf8);
		return;
	}
	sb_addc(sb, '[');
	out_escape(sb, rec->comm, strlen(rec->comm), utf8);
	sb_addc(sb, ']');
	if (rec->state == 'Z')
		sb_adds(sb, " <defunct>");
}

/*
 * Appends a workload's name (escaped; "-" for none) padded or cut to width
 * columns, a cut name ending in '+' as USER's does.
 */
void topfmt_workload_cell(struct strbuf *sb, const struct workload *w, size_t width, bool utf8)
{
	struct strbuf name = STRBUF_INIT;
	size_t cols, fit;

	if (!w || w->kind == WORKLOAD_NONE || !w->name[0])
		sb_adds(&name, "-");
	else
		out_escape(&name, w->name, strlen(w->name), utf8);
	cols = out_width(sb_str(&name), name.len, utf8);
	if (cols > width) {
		fit = out_fit_width(sb_str(&name), name.len, width - 1, utf8);
		sb_add(sb, sb_str(&name), fit);
		cols = out_width(sb_str(&name), fit, utf8) + 1;
		sb_addc(sb, '+');
	} else {
		sb_add(sb, sb_str(&name), name.len);
	}
	for (; cols < width; cols++)
		sb_addc(sb, ' ');
	sb_free(&name);
}

/* Appends one table line for a ranked row, cut to ctx->width columns when that is set. */
void topfmt_row(struct strbuf *sb, const struct rank_row *row, const struct topfmt_ctx *ctx)
{
	const struct proc_record *rec = row->rec;
	char pid[16], user[16], score[16], adj[16], bad[24], rss[16], swap[16], share[16];
	bool st = rec->known & PROC_HAVE_STATUS;
	struct strbuf cmd = STRBUF_INIT;
	size_t start = sb->len, used;

	if (ctx->group && ctx->group->victim != rec->pid && groupkill_has(ctx->group, rec->pid))
		snprintf(pid, sizeof(pid), "=%d", (int)rec->pid); /* dies with the first victim */
	else
		snprintf(pid, sizeof(pid), "%d", (int)rec->pid);
	if (!st)
		snprintf(user, sizeof(user), "?");
	else if (row->user && strlen(row->user) > 8)
		snprintf(user, sizeof(user), "%.7s+", row->user);
	else
		snprintf(user, sizeof(user), "%s", row->user ? row->user : "?");
	if (rec->known & PROC_HAVE_SCORE)
		snprintf(score, sizeof(score), "%ld", rec->oom_score);
	else
		snprintf(score, sizeof(score), "?");
	if (rec->known & PROC_HAVE_ADJ)
		snprintf(adj, sizeof(adj), "%d", rec->oom_score_adj);
	else
		snprintf(adj, sizeof(adj), "?");
	if (row->badness == BADNESS_UNKILLABLE)
		snprintf(bad, sizeof(bad), "-");
	else if (row->check == RANK_MODEL_DIFFERS) /* the model does not reproduce its oom_score */
		snprintf(bad, sizeof(bad), "?%ld", row->badness);
	else
		snprintf(bad, sizeof(bad), "%ld", row->badness);
	if (st) {
		out_size_kib(rss, sizeof(rss), (unsigned long long)rec->anon_kib + rec->file_kib + rec->shmem_kib);
		out_size_kib(swap, sizeof(swap), rec->swap_kib);
		snprintf(share, sizeof(share), "%.1f", topfmt_mem_share(rec, ctx));
	} else {
		snprintf(rss, sizeof(rss), "?");
		snprintf(swap, sizeof(swap), "?");
		snprintf(share, sizeof(share), "?");
	}
	sb_addf(sb, ROW_PREFIX_FMT, pid, user, score, adj, bad, rss, swap, share);
	if (ctx->workload_col) {
		topfmt_workload_cell(sb, row->workload, WORKLOAD_COL, ctx->utf8);
		sb_addc(sb, ' ');
	}
	used = out_width(sb->buf + start, sb->len - start, ctx->utf8);

	topfmt_command(&cmd, rec, ctx->utf8);
	if (ctx->width && used >= ctx->width) { /* the columns alone are wider than the line */
		sb->len = start + out_fit_width(sb->buf + start, sb->len - start, ctx->width, ctx->utf8);
		sb->buf[sb->len] = '\0';
	} else if (ctx->width) {
		size_t room = ctx->width - used;
		sb_add(sb, cmd.buf, out_fit_width(sb_str(&cmd), cmd.len, room, ctx->utf8));
	} else {
		sb_add(sb, sb_str(&cmd), cmd.len);
	}
	sb_free(&cmd);
	sb_addc(sb, '\n');
}

/*
 * Writes a workload as the object doc/json.md documents under key: kind,
 * name, id, unit, pod (or null) and runtime; null when w is NULL.
 */
void topfmt_workload_json(struct json *j, const char *key, const struct workload *w)
{
	if (!w) {
		json_knull(j, key);
		return;
	}
	json_kobj_begin(j, key);
	json_kstr(j, "kind", workload_kind_name(w->kind));
	json_ktext(j, "name", w->name);
	json_ktext(j, "id", w->id);
	json_ktext(j, "unit", w->unit);
	if (w->kind == WORKLOAD_POD) {
		json_kobj_begin(j, "pod");
		json_ktext(j, "namespace", w->pod_namespace);
		json_ktext(j, "name", w->pod_name);
		json_kstr(j, "uid", w->pod_uid);
		json_kstr(j, "qos", workload_qos_name(w->qos));
		json_obj_end(j);
	} else {
		json_knull(j, "pod");
	}
	json_kstr(j, "runtime", workload_runtime_name(w->runtime));
	json_obj_end(j);
}

/* Writes a ranked row as one JSON object with the documented keys. */
void topfmt_json(struct json *j, const struct rank_row *row, const struct topfmt_ctx *ctx)
{
	const struct proc_record *rec = row->rec;
	bool st = rec->known & PROC_HAVE_STATUS;
	enum proc_unkillable why = proc_unkillable(rec);
	enum badness_model model = ctx->check ? ctx->check->model : BADNESS_MODEL_5_9;
	struct badness_task task;

	proc_badness_task(rec, ctx->page_kib, &task);
	json_obj_begin(j);
	json_klong(j, "pid", rec->pid);
	json_klong_if(j, "ppid", st, rec->ppid);
	json_kulong_if(j, "uid", st, rec->uid);
	json_kstr(j, "user", st ? row->user : NULL);
	json_kstr(j, "comm", st ? rec->comm : NULL);
	if (rec->known & PROC_HAVE_CMDLINE)
		json_kstrn(j, "cmdline", rec->cmdline ? rec->cmdline : "", rec->cmdline_len);
	else
		json_knull(j, "cmdline");
	json_kstrn(j, "state", st ? &rec->state : NULL, 1);
	json_klong_if(j, "oom_score", rec->known & PROC_HAVE_SCORE, rec->oom_score);
	if (ctx->score_totalpages && ctx->score_totalpages != ctx->totalpages && why == PROC_KILLABLE)
		/* the kernel's oom_score is always the global domain's */
		json_kulong(j, "oom_score_computed", model_score(model, &task, ctx->score_totalpages));
	else
		json_kulong(j, "oom_score_computed", badness_model_oom_score(model, row->badness, ctx->totalpages));
	if (row->check == RANK_MODEL_UNCHECKED)
		json_knull(j, "model_agrees");
	else
		json_kbool(j, "model_agrees", row->check == RANK_MODEL_AGREES);
	json_klong_if(j, "oom_score_adj", rec->known & PROC_HAVE_ADJ, rec->oom_score_adj);
	json_kulong_if(j, "rss_kib", st, (unsigned long long)rec->anon_kib + rec->file_kib + rec->shmem_kib);
	json_kulong_if(j, "rss_anon_kib", st, rec->anon_kib);
	json_kulong_if(j, "rss_file_kib", st, rec->file_kib);
	json_kulong_if(j, "rss_shmem_kib", st, rec->shmem_kib);
	json_kulong_if(j, "swap_kib", st, rec->swap_kib);
	json_kulong_if(j, "pgtables_kib", st, rec->pte_kib);
	json_kulong_if(j, "mem_pages", st, badness_base_pages(&task.mem));
	json_klong_if(j, "badness", row->badness != BADNESS_UNKILLABLE, row->badness);
	if (why != PROC_UNK_UNKNOWN)
		json_kbool(j, "killable", why == PROC_KILLABLE);
	else
		json_knull(j, "killable");
	json_kstr(j, "unkillable_reason", why != PROC_KILLABLE ? proc_unkillable_text(why) : NULL);
	json_kbool(j, "kthread", rec->kthread);
	if (row->workload)
		topfmt_workload_json(j, "workload", row->workload);
	json_klong_if(j, "dies_with",
		      ctx->group && ctx->group->victim != rec->pid && groupkill_has(ctx->group, rec->pid),
		      ctx->group ? ctx->group->victim : 0);
	if (ctx->domain)
		json_kstr(j, "domain", ctx->domain);
	json_obj_end(j);
}

/* Appends rows as a JSON array, one row to a line, and a newline. */
void topfmt_json_array(struct strbuf *sb, struct rank_row *const *rows, size_t n, const struct topfmt_ctx *ctx)
{
	struct json j;

	json_init(&j, sb);
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		json_newline(&j);
		topfmt_json(&j, rows[i], ctx);
	}
	if (n)
		json_newline(&j);
	json_arr_end(&j);
	sb_addc(sb, '\n');
}

/*
 * Appends an OOM domain and its size as the headers name it: "global, 24G
 * RAM + 0 swap = N pages" or "cgroup /x (v1), limit 64M + 0 swap = N pages"
 * (the path escaped for a UTF-8 or an ASCII terminal).
 */
void topfmt_domain(struct strbuf *sb, const struct domain *d, const struct sysmem *mem, bool utf8)
{
	char a[16], b[16];

	if (d->global) {
		out_size_kib(a, sizeof(a), mem->mem_total_kib);
		out_size_kib(b, sizeof(b), mem->swap_total_kib);
		sb_addf(sb, "global, %s RAM + %s swap = %lu pages", a, b, d->totalpages);
		return;
	}
	out_size_kib(a, sizeof(a), (unsigned long long)d->limits.max_pages * mem->page_kib);
	out_size_kib(b, sizeof(b), (unsigned long long)(d->totalpages - d->limits.max_pages) * mem->page_kib);
	sb_adds(sb, "cgroup ");
	out_escape(sb, d->path, strlen(d->path), utf8);
	sb_addf(sb, " (v%d), limit %s + %s swap = %lu pages", d->version, a, b, d->totalpages);
}

/*
 * Appends the header lines of the table that name the OOM domain d, its size
 * and the notes that change who dies in it: killable of total processes can
 * be chosen; given is the cgroup --cgroup named (NULL without it).
 */
void topfmt_domain_header(struct strbuf *sb, const struct domain *d, const struct sysmem *mem, size_t killable,
			  size_t total, const char *given, const struct model_check *check, bool utf8)
{
	sb_adds(sb, "OOM domain: ");
	topfmt_domain(sb, d, mem, utf8);
	sb_addf(sb, "; %zu of %zu processes killable", killable, total);
	if (check && check->agree == check->checked) {
		sb_adds(sb, "; ");
		modelfmt_text(sb, check);
	}
	sb_addc(sb, '\n');
	if (check && check->agree < check->checked) {
		modelfmt_text(sb, check);
		sb_addc(sb, '\n');
	}
	if (d->global) {
		if (given) {
			sb_adds(sb, "note: cgroup ");
			out_escape(sb, given, strlen(given), utf8);
			sb_adds(sb,
				" and its ancestors have no memory limit: its processes die only in a global OOM\n");
		}
		return;
	}
	if (given && strcmp(given, d->path) != 0) {
		sb_adds(sb, "note: cgroup ");
		out_escape(sb, given, strlen(given), utf8);
		sb_adds(sb, " has no limit of its own: its processes die when ");
		out_escape(sb, d->path, strlen(d->path), utf8);
		sb_adds(sb, " reaches its limit\n");
	}
	if (d->limits.oom_kill_disable)
		sb_addf(sb, "note: memory.oom_control has oom_kill_disable 1: at the limit the kernel kills nobody, "
			    "the tasks wait for memory\n");
	if (d->limits.oom_group)
		sb_addf(sb, "note: memory.oom.group is 1: the whole cgroup is killed together\n");
}

/* Appends the header line of a predicted group kill: the cgroup, how many die, the victim; nothing without one. */
void topfmt_group_note(struct strbuf *sb, const struct groupkill *g, bool utf8)
{
	if (!g || !g->found)
		return;
	sb_adds(sb, "Group kill: memory.oom.group makes ");
	out_escape(sb, g->path, strlen(g->path), utf8);
	sb_addf(sb, " die as a whole with %d: %zu process%s (the others marked =)\n", (int)g->victim, g->n,
		g->n == 1 ? "" : "es");
}

/* Appends the column header of top --by workload's table (and of the live view's W screen). */
void topfmt_group_header(struct strbuf *sb, const struct topfmt_ctx *ctx)
{
	size_t start = sb->len;

	sb_addf(sb, "%5s %-12s %5s %12s %7s %-15s %s", "RANK", "KIND", "PROCS", "BADNESS", "PID", "COMM", "WORKLOAD");
	if (ctx->width && sb->len - start > ctx->width)
		sb->len = start + ctx->width, sb->buf[sb->len] = '\0';
	sb_addc(sb, '\n');
}

/*
 * Appends one line of top --by workload's table: a workload's first
 * victim's rank, its kind, processes, summed badness, that first victim
 * and its name; names escaped, the line cut to ctx->width.
 */
void topfmt_group_row(struct strbuf *sb, const struct snap_group *g, const struct topfmt_ctx *ctx)
{
	const struct proc_record *rec = g->first->rec;
	struct strbuf comm = STRBUF_INIT, line = STRBUF_INIT;
	size_t fit;

	out_escape(&comm, rec->comm, strlen(rec->comm), ctx->utf8);
	sb_addf(&line, "%5zu %-12s %5zu %12llu %7d ", g->rank, workload_kind_name(g->w->kind), g->processes, g->badness,
		(int)rec->pid);
	fit = out_fit_width(sb_str(&comm), comm.len, 15, ctx->utf8);
	sb_add(&line, sb_str(&comm), fit);
	for (size_t c = out_width(sb_str(&comm), fit, ctx->utf8); c < 16; c++)
		sb_addc(&line, ' ');
	if (g->w->kind == WORKLOAD_NONE || !g->w->name[0])
		sb_adds(&line, "-");
	else
		out_escape(&line, g->w->name, strlen(g->w->name), ctx->utf8);
	sb_add(sb, sb_str(&line),
	       ctx->width ? out_fit_width(sb_str(&line), line.len, ctx->width, ctx->utf8) : line.len);
	sb_addc(sb, '\n');
	sb_free(&comm);
	sb_free(&line);
}

/* Appends top --by workload's table: the column header and one line per workload, in the order of its first victim. */
void topfmt_groups(struct strbuf *sb, const struct snap_group *g, size_t n, const struct topfmt_ctx *ctx)
{
	topfmt_group_header(sb, ctx);
	for (size_t i = 0; i < n; i++)
		topfmt_group_row(sb, &g[i], ctx);
}

/* Appends top --by workload's JSON: an array of workloads, each with its first victim. */
void topfmt_groups_json(struct strbuf *sb, const struct snap_group *g, size_t n)
{
	struct json j;

	json_init(&j, sb);
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct proc_record *rec = g[i].first->rec;
		json_newline(&j);
		json_obj_begin(&j);
		json_kulong(&j, "rank", g[i].rank);
		topfmt_workload_json(&j, "workload", g[i].w);
		json_kulong(&j, "processes", g[i].processes);
		json_kulong(&j, "killable", g[i].killable);
		json_kulong(&j, "badness", g[i].badness);
		json_kobj_begin(&j, "first_victim");
		json_klong(&j, "pid", rec->pid);
		json_kstr(&j, "comm", rec->comm);
		json_klong_if(&j, "badness", g[i].first->badness != BADNESS_UNKILLABLE, g[i].first->badness);
		json_obj_end(&j);
		json_obj_end(&j);
	}
	if (n)
		json_newline(&j);
	json_arr_end(&j);
	sb_addc(sb, '\n');
}
