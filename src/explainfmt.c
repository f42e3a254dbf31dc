/*
 * The text and the JSON of `oomtop explain`: pure functions of the
 * explanation that explain_compute() gathered; the text is shared by the
 * command and the live view's explain screen.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "explainfmt.h"
#include "json.h"
#include "modelfmt.h"
#include "oomtop.h"
#include "out.h"
#include "strbuf.h"
#include "topfmt.h"

/* Returns pages as MiB. */
static double mib(const struct explain *e, unsigned long pages)
{
	return (double)pages * (double)e->page_kib / 1024.0;
}

/* Appends one line of the breakdown table. */
static void row(struct strbuf *sb, const struct explain *e, const char *what, long pages)
{
	sb_addf(sb, "  %-34s %10ld %9.1f\n", what, pages,
		pages < 0 ? -mib(e, (unsigned long)-pages) : mib(e, (unsigned long)pages));
}

/* Appends text escaped for the terminal (comm and paths come from other users). */
static void add_escaped(struct strbuf *sb, const char *s, bool utf8)
{
	out_escape(sb, s, strlen(s), utf8);
}

/* Appends "PID (comm)". */
static void add_proc(struct strbuf *sb, pid_t pid, const char *comm, bool utf8)
{
	sb_addf(sb, "%d (", (int)pid);
	add_escaped(sb, comm, utf8);
	sb_addc(sb, ')');
}

/* Appends the size of a domain: "24G RAM + 0 swap = N pages" or "limit 256M + 0 swap = N pages". */
static void add_domain_size(struct strbuf *sb, const struct explain *e, const struct explain_rank *r, bool utf8)
{
	char a[16], b[16];

	if (r->global) {
		sb_addf(sb, "global (RAM + swap = %lu pages)", r->totalpages);
		return;
	}
	out_size_kib(a, sizeof(a), (unsigned long long)r->limit_pages * e->page_kib);
	out_size_kib(b, sizeof(b), (unsigned long long)(r->totalpages - r->limit_pages) * e->page_kib);
	sb_adds(sb, "cgroup ");
	add_escaped(sb, r->domain, utf8);
	sb_addf(sb, " (v%d), limit %s + %s swap = %lu pages", r->version, a, b, r->totalpages);
}

/* Appends a neighbour line. */
static void add_peer(struct strbuf *sb, const struct explain *e, const char *label, const struct explain_peer *p,
		     const char *dir, bool utf8)
{
	if (!p->present)
		return;
	sb_addf(sb, "    %s ", label);
	add_proc(sb, p->pid, p->comm, utf8);
	sb_addf(sb, ", badness %ld: %.1f MiB %s\n", p->badness, mib(e, p->margin_pages), dir);
}

/* Appends what oom_score_adj would change in one domain. */
static void add_adj_advice(struct strbuf *sb, const struct explain *e, const struct explain_rank *r)
{
	const char *cap = "";

	if (r->rank > 1) {
		if (r->adj_first_err == -ERANGE)
			sb_adds(sb, "    to be the first victim: not even oom_score_adj 1000 is enough\n");
		else if (r->adj_first_err == -EDOM)
			sb_adds(sb, "    to be the first victim: no oom_score_adj can do it here (under 1000 pages "
				    "adj counts for nothing)\n");
		else if (r->have_adj_first)
			sb_addf(sb, "    to be the first victim: oom_score_adj %d or more (now %d)\n", r->adj_first,
				e->oom_score_adj);
		return;
	}
	if (r->rank != 1 || !r->have_adj_stop)
		return;
	if (r->adj_stop < e->oom_score_adj)
		cap = "; lowering it needs CAP_SYS_RESOURCE";
	if (r->adj_stop_err == -ENOENT)
		sb_adds(sb, "    it is the only candidate: only oom_score_adj -1000 spares it\n");
	else if (r->adj_stop_err == -EDOM || r->adj_stop <= OOM_SCORE_ADJ_MIN)
		sb_addf(sb, "    to stop being the first victim: only oom_score_adj -1000%s\n", cap);
	else
		sb_addf(sb, "    to stop being the first victim: oom_score_adj %d or less (now %d%s)\n", r->adj_stop,
			e->oom_score_adj, cap);
}

/* Appends the rank of the process in one domain, with its neighbours and advice. */
static void add_rank(struct strbuf *sb, const struct explain *e, const struct explain_rank *r, bool utf8)
{
	sb_adds(sb, "  ");
	add_domain_size(sb, e, r, utf8);
	if (r->rank && e->partial) {
		/* a hidden process may rank above it and adds to the candidates: both are unknown */
		sb_addf(sb, "\n    rank ? (%zu of the %zu candidates you can see), badness %ld (adj term %+ld pages)\n",
			r->rank, r->candidates, r->badness, r->adj_pages);
	} else if (r->rank) {
		sb_addf(sb, "\n    rank %zu of %zu, badness %ld (adj term %+ld pages)", r->rank, r->candidates,
			r->badness, r->adj_pages);
		if (r->rank == 1)
			sb_adds(sb, r->global ? ": the next victim of a global OOM"
					      : ": the next victim when the cgroup reaches its limit");
		sb_addc(sb, '\n');
	} else {
		sb_addf(sb, "\n    not a candidate (%zu others are)", r->candidates);
		if (r->would_rank)
			sb_addf(sb, "; at oom_score_adj 0 it would rank %zu", r->would_rank);
		sb_addc(sb, '\n');
	}
	add_peer(sb, e, "above:", &r->above, "more", utf8);
	add_peer(sb, e, "below:", &r->below, "less", utf8);
	if (!e->partial) /* computed from the processes seen only, it could mislead */
		add_adj_advice(sb, e, r);
	if (r->oom_kill_disable)
		sb_adds(sb,
			"    memory.oom_control has oom_kill_disable 1: at the limit nobody is killed, tasks wait\n");
	if (r->oom_group[0]) {
		sb_adds(sb, "    memory.oom.group is set on ");
		add_escaped(sb, r->oom_group, utf8);
		sb_adds(sb, ": if it is chosen, every process there dies with it\n");
	}
	if (r->dies_with_victim) {
		sb_addf(sb, "    dies with %d (", (int)r->victim);
		add_escaped(sb, r->victim_comm, utf8);
		sb_adds(sb, "), this domain's first victim: the group kill of ");
		add_escaped(sb, r->oom_group, utf8);
		sb_adds(sb, " takes it too\n");
	}
	if (r->have_oom_kills && r->oom_kills)
		sb_addf(sb, "    this cgroup has had %llu OOM kills\n", r->oom_kills);
}

/*
 * Appends the workload line of the header: its kind and name, and the unit,
 * container id, pod and runtime behind it, escaped.
 */
static void add_workload(struct strbuf *sb, const struct workload *w, bool utf8)
{
	const char *rt = workload_runtime_name(w->runtime);

	sb_addf(sb, "workload: %s ", workload_kind_name(w->kind));
	add_escaped(sb, w->name, utf8);
	if (w->kind == WORKLOAD_POD) {
		if (strcmp(w->name, w->pod_uid) != 0)
			sb_addf(sb, " (pod %s, QoS %s", w->pod_uid, workload_qos_name(w->qos));
		else
			sb_addf(sb, " (QoS %s", workload_qos_name(w->qos));
		if (w->id[0] && strcmp(w->id, w->pod_uid) != 0)
			sb_addf(sb, ", container %.12s", w->id);
		sb_addc(sb, ')');
	} else if (w->kind == WORKLOAD_CONTAINER && w->id[0]) {
		sb_addf(sb, " (container %.12s)", w->id);
	}
	if (rt)
		sb_addf(sb, ", %s", rt);
	if (w->unit[0] && strcmp(w->unit, w->name) != 0) {
		sb_adds(sb, ", unit ");
		add_escaped(sb, w->unit, utf8);
	}
	sb_addc(sb, '\n');
}

/* Appends who sets the oom_score_adj, as far as files on disk tell: a unit's OOMScoreAdjust=, the kubelet, nothing. */
static void add_owner(struct strbuf *sb, const struct explain *e, bool utf8)
{
	const struct units_owner *o = &e->owner;
	const struct units_decl *d = &e->unit_decl;

	if (o->by == UNITS_OWNER_UNIT && d->masked) {
		sb_adds(sb, "  owner: ");
		add_escaped(sb, e->workload.unit, utf8);
		sb_adds(sb, " is masked (");
		add_escaped(sb, d->unit_file, utf8);
		sb_adds(sb, " links to /dev/null)\n");
	} else if (o->by == UNITS_OWNER_UNIT && o->have_range) {
		sb_adds(sb, "  owner: ");
		add_escaped(sb, e->workload.unit, utf8);
		sb_addf(sb, "'s OOMScoreAdjust=%d (", d->adj);
		add_escaped(sb, d->adj_file, utf8);
		sb_addf(sb, ":%u), which systemd sets on every process it starts for the unit", d->adj_line);
		if (!o->held)
			sb_addf(sb,
				"; it holds %d, not that: %s, or the file changed after the service started (systemctl "
				"daemon-reload, then restart it)",
				e->oom_score_adj,
				e->oom_score_adj > d->adj
					? "systemd cannot lower a value without CAP_SYS_RESOURCE and says nothing"
					: "raised since, by the process or a write");
		sb_addc(sb, '\n');
	} else if (o->by == UNITS_OWNER_UNIT) {
		sb_adds(sb, "  owner: none on disk: ");
		add_escaped(sb, e->workload.unit, utf8);
		sb_adds(sb, d->found ? " declares no OOMScoreAdjust=" : " has no unit file oomtop can read");
		if (e->oom_score_adj != 0)
			sb_addf(sb, ", so a restart loses %d (oomtop protect --persist writes the drop-in)",
				e->oom_score_adj);
		else
			sb_adds(sb, ": its processes start at the service manager's own value");
		sb_addc(sb, '\n');
	} else if (o->by == UNITS_OWNER_KUBELET) {
		sb_addf(sb, "  owner: the kubelet's QoS policy: a %s pod's containers get ",
			workload_qos_name(e->workload.qos));
		if (o->min == o->max)
			sb_addf(sb, "%d", o->min);
		else
			sb_addf(sb, "1000 - 1000 * memory request / node memory, within %d..%d", o->min, o->max);
		sb_addf(sb, " (pkg/kubelet/qos/policy.go; a node-critical pod gets %d)", UNITS_KUBELET_GUARANTEED);
		if (!o->held)
			sb_addf(sb, "; it holds %d, not that: changed after the container started", e->oom_score_adj);
		sb_addc(sb, '\n');
	} else if (e->have_workload && e->workload.kind == WORKLOAD_CONTAINER) {
		sb_adds(sb,
			"  owner: its runtime, from the container's own --oom-score-adj when it started (oomtop reads "
			"no runtime's settings)\n");
	} else {
		sb_adds(sb, "  owner: nothing known (no systemd service or pod: whatever starts it sets it)\n");
	}
}

/*
 * Appends the text explanation of e, as `oomtop explain PID` prints it and
 * the live view shows it; names and paths are escaped for a terminal that
 * prints UTF-8 (utf8) or only ASCII.
 */
void explainfmt_text(struct strbuf *sb, const struct explain *e, bool utf8)
{
	char num[64];

	sb_adds(sb, "PID ");
	add_proc(sb, e->pid, e->comm, utf8);
	sb_addf(sb, ", state %c, parent %d", e->state, (int)e->ppid);
	if (e->have_cgroup) {
		sb_addf(sb, ", memory cgroup (v%d) ", e->cgroup_version);
		add_escaped(sb, e->cgroup, utf8);
	}
	sb_addc(sb, '\n');
	if (e->have_workload && e->workload.kind != WORKLOAD_NONE)
		add_workload(sb, &e->workload, utf8);
	if (e->partial) {
		sb_adds(sb, "partial view: ");
		add_escaped(sb, e->partial_reason, utf8);
		sb_adds(sb, "; ranks and counts below are of the processes you can see\n");
	}
	if (e->have_score)
		snprintf(num, sizeof(num), "%ld", e->oom_score);
	else
		snprintf(num, sizeof(num), "?");
	sb_addf(sb, "oom_score %s (the kernel's), %lu recomputed by oomtop; oom_score_adj %d\n", num,
		e->oom_score_computed, e->oom_score_adj);
	sb_adds(sb, e->check.agree == e->check.checked ? "badness " : "");
	modelfmt_text(sb, &e->check);
	sb_addc(sb, '\n');
	if (!e->killable)
		sb_addf(sb, "never killed: %s\n", proc_unkillable_text(e->why));
	if (e->mm_tid)
		sb_addf(sb, "its main thread has exited; thread %d still holds the memory, so it can be killed\n",
			(int)e->mm_tid);

	sb_addf(sb, "\nWhat the OOM killer counts (global domain)      pages       MiB\n");
	if (e->rss_vmrss) {
		/* fs/proc/task_mmu.c task_mem() prints RssAnon, RssFile and RssShmem since 4.5 */
		row(sb, e, "resident memory (VmRSS)", (long)e->anon_pages);
	} else {
		row(sb, e, "anonymous memory (RssAnon)", (long)e->anon_pages);
		row(sb, e, "file mappings (RssFile)", (long)e->file_pages);
		row(sb, e, "shared memory (RssShmem)", (long)e->shmem_pages);
	}
	if (e->have_kernel_rss)
		row(sb, e, "rss as the OOM killer reads it", (long)e->kernel_rss_pages);
	row(sb, e, "swap (VmSwap)", (long)e->swap_pages);
	row(sb, e, "page tables (VmPTE)", (long)e->pgtables_pages);
	snprintf(num, sizeof(num), "oom_score_adj %d x %lu", e->oom_score_adj,
		 e->nranks ? e->ranks[0].totalpages / 1000 : 0);
	row(sb, e, num, e->adj_pages);
	if (e->killable)
		sb_addf(sb, "  %-34s %10ld %9.1f  (%.2f%% of memory for the rss, swap and page tables)\n", "badness",
			e->badness,
			e->badness < 0 ? -mib(e, (unsigned long)-e->badness) : mib(e, (unsigned long)e->badness),
			e->share);
	if (e->have_kernel_rss)
		sb_addf(sb,
			"  (this kernel's OOM killer reads the per-cpu rss counters without their unflushed parts, "
			"as /proc/PID/stat shows them; status's exact sums may differ by up to %lu pages)\n",
			e->count_error_pages);
	if (e->rss_vmrss)
		sb_adds(sb,
			"  (this kernel's status has no RssAnon, RssFile or RssShmem lines, which came in Linux 4.5: "
			"the rss is VmRSS, anonymous and file pages together, as oom_badness() counts them)\n");

	sb_adds(sb, "\nRank in each OOM domain it belongs to\n");
	for (size_t i = 0; i < e->nranks; i++)
		add_rank(sb, e, &e->ranks[i], utf8);

	sb_adds(sb, "\nProtection\n");
	if (e->nchain) {
		const struct explain_link *origin = &e->chain[e->nchain - 1];
		sb_addf(sb, "  oom_score_adj %d is inherited: ", e->oom_score_adj);
		add_proc(sb, origin->pid, origin->comm, utf8);
		sb_adds(sb, " has it");
		if (e->nchain > 1) {
			sb_adds(sb, ", passed down through");
			for (size_t i = 0; i + 1 < e->nchain; i++) {
				sb_addc(sb, ' ');
				add_proc(sb, e->chain[i].pid, e->chain[i].comm, utf8);
			}
		}
		sb_adds(sb, "\n  (a child inherits oom_score_adj at fork: everything started from there has it too)\n");
	} else if (e->oom_score_adj != 0) {
		sb_addf(sb, "  oom_score_adj %d was set on this process (its parent has another value)\n",
			e->oom_score_adj);
	} else {
		sb_adds(sb, "  none: oom_score_adj 0\n");
	}
	add_owner(sb, e, utf8);

	sb_adds(sb, "\nSettings that change the outcome\n");
	if (e->panic_on_oom >= 0)
		sb_addf(sb, "  vm.panic_on_oom = %d: %s\n", e->panic_on_oom,
			e->panic_on_oom == 0   ? "an OOM kills a process"
			: e->panic_on_oom == 1 ? "a global OOM panics the machine; a cgroup OOM still kills"
					       : "every OOM panics the machine, a cgroup's too: nobody is chosen");
	if (e->oom_kill_allocating_task >= 0)
		sb_addf(sb, "  vm.oom_kill_allocating_task = %d: %s\n", e->oom_kill_allocating_task,
			e->oom_kill_allocating_task ? "a global OOM kills the process that allocates, if it can be "
						      "killed, not the one ranked first (cgroup OOMs rank as shown)"
						    : "a global OOM kills the process ranked first");
	if (e->cgroup_version == 1)
		sb_adds(sb, "  memory.oom.group: cgroup v2 only; here each OOM kills one process\n");
	else if (e->cgroup_version == 2) {
		bool any = false;
		for (size_t i = 0; i < e->nranks; i++)
			any |= e->ranks[i].oom_group[0] != '\0';
		if (!any)
			sb_adds(sb,
				"  memory.oom.group: not set on its cgroup or any ancestor up to a limit: one process dies\n");
	}
}

/* Writes a neighbour in a ranking under key, or null when there is none or it is not known. */
static void json_peer(struct json *j, const char *key, const struct explain *e, const struct explain_peer *p)
{
	if (!p->present) {
		json_knull(j, key);
		return;
	}
	json_kobj_begin(j, key);
	json_klong(j, "pid", p->pid);
	json_kstr(j, "comm", p->comm);
	json_klong(j, "badness", p->badness);
	json_kulong(j, "margin_pages", p->margin_pages);
	json_kdouble(j, "margin_mib", mib(e, p->margin_pages), 1);
	json_obj_end(j);
}

/* Writes what oom_badness() adds up, in pages ("memory"). */
static void json_memory(struct json *j, const struct explain *e)
{
	json_kobj_begin(j, "memory");
	json_kulong(j, "anon_pages", e->anon_pages);
	json_kulong(j, "file_pages", e->file_pages);
	json_kulong(j, "shmem_pages", e->shmem_pages);
	json_kstr(j, "rss_source", e->rss_vmrss ? "VmRSS" : "RssAnon+RssFile+RssShmem");
	json_kulong_if(j, "kernel_rss_pages", e->have_kernel_rss, e->kernel_rss_pages);
	json_kulong(j, "swap_pages", e->swap_pages);
	json_kulong(j, "pgtables_pages", e->pgtables_pages);
	json_kulong(j, "base_pages", e->base_pages);
	json_klong(j, "adj_pages", e->adj_pages);
	json_kdouble(j, "share_percent", e->share, 3);
	json_kulong(j, "page_kib", e->page_kib);
	json_obj_end(j);
}

/* Returns the oom_score_adj that stops the process being first in r (-1000 when only that does). */
static int adj_to_stop(const struct explain_rank *r)
{
	return r->adj_stop_err == -EDOM || r->adj_stop_err == -ENOENT ? OOM_SCORE_ADJ_MIN : r->adj_stop;
}

/*
 * Writes the process's place in one OOM domain (an element of "domains").
 * A partial view (hidepid=) hides candidates: the rank and what follows
 * from it are unknown there, null.
 */
static void json_rank(struct json *j, const struct explain *e, const struct explain_rank *r)
{
	const struct explain_peer unknown = { .present = false };
	bool seen = !e->partial;

	json_obj_begin(j);
	json_kstr(j, "domain", r->domain);
	json_klong_if(j, "version", !r->global, r->version);
	json_kulong_if(j, "limit_pages", !r->global, r->limit_pages);
	json_kulong(j, "totalpages", r->totalpages);
	json_kulong_if(j, "rank", r->rank && seen, r->rank);
	json_kulong_if(j, "candidates", seen, r->candidates);
	json_klong_if(j, "badness", r->rank, r->badness);
	json_klong(j, "adj_pages", r->adj_pages);
	json_kulong_if(j, "would_rank", r->would_rank && seen, r->would_rank);
	json_peer(j, "above", e, seen ? &r->above : &unknown);
	json_peer(j, "below", e, seen ? &r->below : &unknown);
	json_klong_if(j, "adj_to_be_first", r->rank > 1 && r->have_adj_first && seen, r->adj_first);
	json_klong_if(j, "adj_to_stop_being_first", r->rank == 1 && r->have_adj_stop && seen, adj_to_stop(r));
	json_kbool(j, "oom_kill_disable", r->oom_kill_disable);
	json_ktext(j, "oom_group", r->oom_group);
	json_klong_if(j, "dies_with", r->dies_with_victim, r->victim);
	json_obj_end(j);
}

/* Writes the ancestor the oom_score_adj was inherited from and the pids it came through, or null. */
static void json_inherited(struct json *j, const struct explain *e)
{
	const struct explain_link *o;

	if (!e->nchain) {
		json_knull(j, "inherited_from");
		return;
	}
	o = &e->chain[e->nchain - 1];
	json_kobj_begin(j, "inherited_from");
	json_klong(j, "pid", o->pid);
	json_kstr(j, "comm", o->comm);
	json_karr_begin(j, "through");
	for (size_t i = 0; i + 1 < e->nchain; i++)
		json_long(j, e->chain[i].pid);
	json_arr_end(j);
	json_obj_end(j);
}

/* Writes who sets the oom_score_adj ("adj_owner"), null when nothing known does. */
static void json_owner(struct json *j, const struct explain *e)
{
	const struct units_owner *o = &e->owner;
	const struct units_decl *d = &e->unit_decl;
	bool unit = o->by == UNITS_OWNER_UNIT;

	if (o->by == UNITS_OWNER_NONE) {
		json_knull(j, "adj_owner");
		return;
	}
	json_kobj_begin(j, "adj_owner");
	json_kstr(j, "by", unit ? "unit" : "kubelet");
	json_kstr(j, "unit", unit ? e->workload.unit : NULL);
	json_kstr(j, "qos", unit ? NULL : workload_qos_name(e->workload.qos));
	json_klong_if(j, "min", o->have_range, o->min);
	json_klong_if(j, "max", o->have_range, o->max);
	json_kstr(j, "file", unit && d->adj_file[0] ? d->adj_file : NULL);
	json_klong_if(j, "line", unit && d->adj_file[0], d->adj_line);
	json_kbool(j, "masked", unit && d->masked);
	if (o->have_range)
		json_kbool(j, "held", o->held);
	else
		json_knull(j, "held");
	json_obj_end(j);
}

/* Writes the sysctls that change who dies ("settings"). */
static void json_settings(struct json *j, const struct explain *e)
{
	json_kobj_begin(j, "settings");
	json_klong(j, "panic_on_oom", e->panic_on_oom);
	json_klong(j, "oom_kill_allocating_task", e->oom_kill_allocating_task);
	json_klong(j, "oom_dump_tasks", e->oom_dump_tasks);
	json_obj_end(j);
}

/* Appends the explanation as one JSON object and a newline, with the keys doc/json.md lists. */
void explainfmt_json(struct strbuf *sb, const struct explain *e)
{
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_klong(&j, "pid", e->pid);
	json_kstr(&j, "comm", e->comm);
	json_kstrn(&j, "state", &e->state, 1);
	json_klong(&j, "ppid", e->ppid);
	json_kbool(&j, "killable", e->killable);
	json_kstr(&j, "unkillable_reason", e->killable ? NULL : proc_unkillable_text(e->why));
	json_klong_if(&j, "oom_score", e->have_score, e->oom_score);
	json_kulong(&j, "oom_score_computed", e->oom_score_computed);
	json_klong(&j, "oom_score_adj", e->oom_score_adj);
	json_klong_if(&j, "badness", e->killable, e->badness);
	json_kstr(&j, "partial_view", e->partial ? e->partial_reason : NULL);
	modelfmt_json(&j, "model", &e->check);
	json_kstr(&j, "cgroup", e->have_cgroup ? e->cgroup : NULL);
	topfmt_workload_json(&j, "workload", e->have_workload ? &e->workload : NULL);
	json_memory(&j, e);
	json_karr_begin(&j, "domains");
	for (size_t i = 0; i < e->nranks; i++)
		json_rank(&j, e, &e->ranks[i]);
	json_arr_end(&j);
	json_inherited(&j, e);
	json_owner(&j, e);
	json_settings(&j, e);
	json_obj_end(&j);
	sb_addc(sb, '\n');
}
