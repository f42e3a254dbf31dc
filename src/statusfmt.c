/*
 * The text and the JSON of `oomtop status`: pure functions of what
 * status_compute() gathered (the Prometheus format is promfmt.c's).
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "modelfmt.h"
#include "out.h"
#include "status.h"
#include "statusfmt.h"
#include "strbuf.h"
#include "topfmt.h"

#define PROTECTED_SHOWN 10

/* Returns what a value of vm.panic_on_oom means. */
static const char *panic_text(long v)
{
	return v == 0   ? "an OOM kills a process"
	       : v == 1 ? "a global OOM panics the machine (a cgroup OOM kills)"
			: "every OOM panics the machine, a cgroup's too";
}

/* Appends one sysctl line: name, value, meaning. */
static void add_sysctl(struct strbuf *sb, const char *name, long v, const char *meaning)
{
	if (v < 0)
		sb_addf(sb, "  %-28s %5s  (cannot be read)\n", name, "?");
	else
		sb_addf(sb, "  %-28s %5ld  %s\n", name, v, meaning);
}

/* Appends a comm escaped for the terminal. */
static void add_comm(struct strbuf *sb, const char *comm, bool utf8)
{
	out_escape(sb, comm, strlen(comm), utf8);
}

/* Appends the section of the vm sysctls that decide what an OOM does. */
static void text_sysctls(struct strbuf *sb, const struct status *s)
{
	sb_adds(sb, "What an OOM does (vm sysctls)\n");
	add_sysctl(sb, "vm.panic_on_oom", s->panic_on_oom, panic_text(s->panic_on_oom));
	add_sysctl(sb, "vm.oom_kill_allocating_task", s->oom_kill_allocating_task,
		   s->oom_kill_allocating_task ? "a global OOM kills the allocating process"
					       : "a global OOM kills the process ranked first");
	add_sysctl(sb, "vm.oom_dump_tasks", s->oom_dump_tasks,
		   s->oom_dump_tasks ? "the kernel log lists every candidate at an OOM"
				     : "the kernel log lists no candidates");
	add_sysctl(sb, "vm.overcommit_memory", s->overcommit_memory, status_overcommit_text(s->overcommit_memory));
	add_sysctl(sb, "vm.overcommit_ratio", s->overcommit_ratio,
		   "% of RAM (plus swap) in CommitLimit, for overcommit_memory=2");
	add_sysctl(sb, "vm.overcommit_kbytes", s->overcommit_kbytes,
		   s->overcommit_kbytes > 0 ? "KiB in CommitLimit instead of the ratio" : "0: the ratio applies");
}

/* Appends the memory section: sizes, commit, OOM kills and pressure. */
static void text_memory(struct strbuf *sb, const struct status *s)
{
	const struct sysmem *m = &s->mem;
	char a[16], b[16];

	sb_adds(sb, "\nMemory\n");
	out_size_kib(a, sizeof(a), m->mem_total_kib);
	out_size_kib(b, sizeof(b), m->mem_available_kib);
	sb_addf(sb, "  MemTotal %8s   MemAvailable %8s (%lu%%)\n", a, b,
		m->mem_total_kib ? (unsigned long)((unsigned long long)m->mem_available_kib * 100 / m->mem_total_kib)
				 : 0);
	out_size_kib(a, sizeof(a), m->swap_total_kib);
	out_size_kib(b, sizeof(b), m->swap_free_kib);
	sb_addf(sb, "  SwapTotal %7s   SwapFree %12s\n", a, b);
	out_size_kib(a, sizeof(a), m->commit_limit_kib);
	out_size_kib(b, sizeof(b), m->committed_as_kib);
	sb_addf(sb, "  CommitLimit %5s   Committed_AS %8s (%lu%% of CommitLimit)\n", a, b,
		m->commit_limit_kib
			? (unsigned long)((unsigned long long)m->committed_as_kib * 100 / m->commit_limit_kib)
			: 0);
	if (s->have_oom_kills)
		sb_addf(sb, "  OOM kills since boot: %lu\n", s->oom_kills);
	if (s->have_psi) {
		sb_addf(sb, "  pressure: some avg10 %.2f avg60 %.2f avg300 %.2f", s->psi.some.avg10, s->psi.some.avg60,
			s->psi.some.avg300);
		if (s->psi.have_full)
			sb_addf(sb, "; full avg10 %.2f avg60 %.2f avg300 %.2f", s->psi.full.avg10, s->psi.full.avg60,
				s->psi.full.avg300);
		sb_adds(sb, " (% of time stalled on memory)\n");
	} else {
		sb_adds(sb, "  pressure: /proc/pressure/memory cannot be read (no PSI in this kernel, or psi=0)\n");
	}
}

/* Appends the processes no OOM kills, the first PROTECTED_SHOWN of them by name. */
static void text_protected(struct strbuf *sb, const struct status *s, bool utf8)
{
	sb_addf(sb, "\nNever killed (oom_score_adj -1000): %zu processes, %zu of them only inherited it\n",
		s->nprotected, s->ninherited);
	for (size_t i = 0; i < s->nprotected && i < PROTECTED_SHOWN; i++) {
		const struct status_protected *p = &s->protected_procs[i];
		sb_addf(sb, "  %7d ", (int)p->pid);
		add_comm(sb, p->comm, utf8);
		if (p->origin) {
			sb_addf(sb, "   inherited from %d (", (int)p->origin);
			add_comm(sb, p->origin_comm, utf8);
			sb_addc(sb, ')');
		}
		sb_addc(sb, '\n');
	}
	if (s->nprotected > PROTECTED_SHOWN)
		sb_addf(sb, "  ... and %zu more (oomtop top --all shows them)\n", s->nprotected - PROTECTED_SHOWN);
}

/* Appends the next victim of a global OOM, or why it is not known. */
static void text_victim(struct strbuf *sb, const struct status *s, bool utf8)
{
	char rss[16];

	sb_adds(sb, "\nNext victim of a global OOM: ");
	out_size_kib(rss, sizeof(rss), s->victim_rss_kib);
	if (s->partial) {
		/* a hidden process may be bigger: the first of those seen is not the victim */
		sb_adds(sb, "unknown (partial view, see Warnings)");
		if (s->have_victim) {
			sb_addf(sb, "; first of the %zu processes you can see: %d (", s->nprocs, (int)s->victim_pid);
			add_comm(sb, s->victim_comm, utf8);
			sb_addf(sb, "), badness %ld pages, rss %s", s->victim_badness, rss);
		}
		sb_addc(sb, '\n');
	} else if (s->have_victim) {
		sb_addf(sb, "%d (", (int)s->victim_pid);
		add_comm(sb, s->victim_comm, utf8);
		sb_addf(sb,
			"), badness %ld pages, oom_score %ld, oom_score_adj %d, rss %s; %zu of %zu processes "
			"killable\n",
			s->victim_badness, s->victim_score, s->victim_adj, rss, s->nkillable, s->nprocs);
	} else {
		sb_adds(sb, "none: no process can be killed\n");
	}
	if (!s->partial && s->group.found) {
		sb_adds(sb, "  group kill: memory.oom.group makes ");
		add_comm(sb, s->group.path, utf8);
		sb_addf(sb, " die as a whole with it: %zu process%s\n", s->group.n, s->group.n == 1 ? "" : "es");
	}
	sb_adds(sb, s->check.agree == s->check.checked ? "  badness " : "  ");
	modelfmt_text(sb, &s->check);
	sb_addc(sb, '\n');
	if (s->partial || s->nfirst_workloads == 0)
		return;
	sb_addf(sb, "  workloads of the first %d victims, by the rank of their first:\n", STATUS_FIRST_VICTIMS);
	for (size_t i = 0; i < s->nfirst_workloads; i++) {
		const struct status_workload *fw = &s->first_workloads[i];
		sb_addf(sb, "  %4zu  %-12s ", fw->first_rank, workload_kind_name(fw->w.kind));
		add_comm(sb, fw->w.kind == WORKLOAD_NONE ? "-" : fw->w.name, utf8);
		sb_addf(sb, " (%zu process%s)\n", fw->processes, fw->processes == 1 ? "" : "es");
	}
}

/* Appends the warnings, or "none"; escaped, since they name processes and units. */
static void text_warnings(struct strbuf *sb, const struct status *s, bool utf8)
{
	sb_adds(sb, "\nWarnings\n");
	if (s->nwarnings == 0)
		sb_adds(sb, "  none\n");
	for (size_t i = 0; i < s->nwarnings; i++) {
		sb_adds(sb, "  ");
		add_comm(sb, s->warnings[i], utf8);
		sb_addc(sb, '\n');
	}
}

/* Appends the services' OOMScoreAdjust=, declared against held; nothing when none declares or holds one. */
static void text_units(struct strbuf *sb, const struct status *s, bool utf8)
{
	if (s->nunits == 0)
		return;
	sb_addf(sb, "\nServices' OOMScoreAdjust=, declared against held: %zu\n", s->nunits);
	for (size_t i = 0; i < s->nunits; i++) {
		const struct status_unit *u = &s->units[i];
		const struct units_audit *a = &u->audit;
		sb_adds(sb, "  ");
		add_comm(sb, u->unit, utf8);
		if (u->decl.have_adj) {
			sb_addf(sb, " declares %d (", u->decl.adj);
			add_comm(sb, u->decl.adj_file, utf8);
			sb_addf(sb, ":%u): ", u->decl.adj_line);
		} else {
			sb_adds(sb, " declares nothing: ");
		}
		if (a->state == UNITS_HELD) {
			sb_addf(sb, "held by its %zu process%s\n", a->nprocs, a->nprocs == 1 ? "" : "es");
			continue;
		}
		sb_addf(sb, "%zu of its %zu process%s %s, %d (", a->nother, a->nprocs, a->nprocs == 1 ? "" : "es",
			a->state == UNITS_NOT_HELD ? (a->nother == 1 ? "does not hold it" : "do not hold it")
						   : (a->nother == 1 ? "holds another value" : "hold another value"),
			(int)a->other_pid);
		add_comm(sb, a->other_comm, utf8);
		sb_addf(sb, ") holds %d", a->other_adj);
		if (u->origin) {
			sb_addf(sb, ", inherited from %d (", (int)u->origin);
			add_comm(sb, u->origin_comm, utf8);
			sb_addc(sb, ')');
		}
		sb_addc(sb, '\n');
	}
}

/* Appends the text report, names escaped for a UTF-8 (utf8) or an ASCII terminal. */
void statusfmt_text(struct strbuf *sb, const struct status *s, bool utf8)
{
	text_sysctls(sb, s);
	text_memory(sb, s);
	text_protected(sb, s, utf8);
	text_victim(sb, s, utf8);
	text_units(sb, s, utf8);
	text_warnings(sb, s, utf8);
}

/* Writes the vm sysctls ("sysctl"), each null when unreadable. */
static void json_sysctls(struct json *j, const struct status *s)
{
	json_kobj_begin(j, "sysctl");
	json_klong_if(j, "panic_on_oom", s->panic_on_oom >= 0, s->panic_on_oom);
	json_klong_if(j, "oom_kill_allocating_task", s->oom_kill_allocating_task >= 0, s->oom_kill_allocating_task);
	json_klong_if(j, "oom_dump_tasks", s->oom_dump_tasks >= 0, s->oom_dump_tasks);
	json_klong_if(j, "overcommit_memory", s->overcommit_memory >= 0, s->overcommit_memory);
	json_klong_if(j, "overcommit_ratio", s->overcommit_ratio >= 0, s->overcommit_ratio);
	json_klong_if(j, "overcommit_kbytes", s->overcommit_kbytes >= 0, s->overcommit_kbytes);
	json_obj_end(j);
}

/* Writes the memory and commit figures ("memory"). */
static void json_memory(struct json *j, const struct sysmem *m)
{
	json_kobj_begin(j, "memory");
	json_kulong(j, "mem_total_kib", m->mem_total_kib);
	json_kulong(j, "mem_available_kib", m->mem_available_kib);
	json_kulong(j, "swap_total_kib", m->swap_total_kib);
	json_kulong(j, "swap_free_kib", m->swap_free_kib);
	json_kulong(j, "commit_limit_kib", m->commit_limit_kib);
	json_kulong(j, "committed_as_kib", m->committed_as_kib);
	json_kulong(j, "totalpages", m->totalpages);
	json_obj_end(j);
}

/* Writes one line of /proc/pressure/memory under key, or null when the kernel gave none. */
static void json_psi_line(struct json *j, const char *key, bool have, const struct psi_line *l)
{
	if (!have) {
		json_knull(j, key);
		return;
	}
	json_kobj_begin(j, key);
	json_kdouble(j, "avg10", l->avg10, 2);
	json_kdouble(j, "avg60", l->avg60, 2);
	json_kdouble(j, "avg300", l->avg300, 2);
	json_kulong(j, "total_us", l->total_us);
	json_obj_end(j);
}

/* Writes memory pressure ("pressure"), or null without PSI. */
static void json_pressure(struct json *j, const struct status *s)
{
	if (!s->have_psi) {
		json_knull(j, "pressure");
		return;
	}
	json_kobj_begin(j, "pressure");
	json_psi_line(j, "some", s->psi.have_some, &s->psi.some);
	json_psi_line(j, "full", s->psi.have_full, &s->psi.full);
	json_obj_end(j);
}

/* Writes the processes no OOM kills ("protected") and how many only inherited that. */
static void json_protected(struct json *j, const struct status *s)
{
	json_karr_begin(j, "protected");
	for (size_t i = 0; i < s->nprotected; i++) {
		const struct status_protected *p = &s->protected_procs[i];
		json_obj_begin(j);
		json_klong(j, "pid", p->pid);
		json_kstr(j, "comm", p->comm);
		json_klong_if(j, "inherited_from", p->origin, p->origin);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kulong(j, "protected_inherited", s->ninherited);
}

/* Writes the next victim of a global OOM ("next_victim"), null when none or not known. */
static void json_victim(struct json *j, const struct status *s)
{
	if (!s->have_victim || s->partial) {
		json_knull(j, "next_victim");
		return;
	}
	json_kobj_begin(j, "next_victim");
	json_klong(j, "pid", s->victim_pid);
	json_kstr(j, "comm", s->victim_comm);
	json_klong(j, "badness", s->victim_badness);
	json_klong_if(j, "oom_score", s->victim_score >= 0, s->victim_score);
	json_klong(j, "oom_score_adj", s->victim_adj);
	json_kulong(j, "rss_kib", s->victim_rss_kib);
	topfmt_workload_json(j, "workload", s->have_victim_workload ? &s->victim_workload : NULL);
	json_obj_end(j);
}

/* Writes the predicted group kill of the next victim ("group_kill"), null when its kill is no group kill. */
static void json_group(struct json *j, const struct status *s)
{
	if (s->partial || !s->group.found) {
		json_knull(j, "group_kill");
		return;
	}
	json_kobj_begin(j, "group_kill");
	json_kstr(j, "cgroup", s->group.path);
	json_klong(j, "victim", s->group.victim);
	json_karr_begin(j, "pids");
	for (size_t i = 0; i < s->group.n; i++)
		json_long(j, s->group.pids[i]);
	json_arr_end(j);
	json_obj_end(j);
}

/* Writes the workloads of the first victims ("first_victim_workloads"), null in a partial view. */
static void json_first_workloads(struct json *j, const struct status *s)
{
	if (s->partial) {
		json_knull(j, "first_victim_workloads");
		return;
	}
	json_karr_begin(j, "first_victim_workloads");
	for (size_t i = 0; i < s->nfirst_workloads; i++) {
		json_obj_begin(j);
		json_kulong(j, "first_rank", s->first_workloads[i].first_rank);
		json_kulong(j, "processes", s->first_workloads[i].processes);
		topfmt_workload_json(j, "workload", &s->first_workloads[i].w);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* Writes the limited memory cgroups and their kills ("cgroup_oom_kills"), null without a hierarchy. */
static void json_cgroup_kills(struct json *j, const struct status *s)
{
	if (!s->have_cgroups) {
		json_knull(j, "cgroup_oom_kills");
		return;
	}
	json_karr_begin(j, "cgroup_oom_kills");
	for (size_t i = 0; i < s->ncgroups; i++) {
		if (!s->cgroups[i].have_oom_kills)
			continue; /* v1 before 4.13: no counter */
		json_obj_begin(j);
		json_kstr(j, "cgroup", s->cgroups[i].path);
		json_kulong(j, "oom_kills", s->cgroups[i].oom_kills);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* Writes the services' OOMScoreAdjust=, declared against held ("units"): one entry per unit. */
static void json_units(struct json *j, const struct status *s)
{
	json_karr_begin(j, "units");
	for (size_t i = 0; i < s->nunits; i++) {
		const struct status_unit *u = &s->units[i];
		const struct units_audit *a = &u->audit;
		json_obj_begin(j);
		json_kstr(j, "unit", u->unit);
		json_kstr(j, "state", units_state_name(a->state));
		json_klong_if(j, "declared", u->decl.have_adj, u->decl.adj);
		if (u->decl.adj_file[0]) {
			json_kobj_begin(j, "declared_in");
			json_kstr(j, "file", u->decl.adj_file);
			json_kulong(j, "line", u->decl.adj_line);
			json_obj_end(j);
		} else {
			json_knull(j, "declared_in");
		}
		json_kstr(j, "unit_file", u->decl.unit_file[0] ? u->decl.unit_file : NULL);
		json_kbool(j, "masked", u->decl.masked);
		json_kulong(j, "processes", a->nprocs);
		json_kulong(j, "differing", a->nother);
		if (a->nother) {
			json_kobj_begin(j, "first_differing");
			json_klong(j, "pid", a->other_pid);
			json_kstr(j, "comm", a->other_comm);
			json_klong(j, "oom_score_adj", a->other_adj);
			json_klong_if(j, "inherited_from", u->origin, u->origin);
			json_obj_end(j);
		} else {
			json_knull(j, "first_differing");
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* Appends the report as one JSON object and a newline, with the keys doc/json.md lists. */
void statusfmt_json(struct strbuf *sb, const struct status *s)
{
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_sysctls(&j, s);
	json_memory(&j, &s->mem);
	json_kulong_if(&j, "oom_kills", s->have_oom_kills, s->oom_kills);
	json_pressure(&j, s);
	json_protected(&j, s);
	/* in a partial view (hidepid=) the counts and the victim are unknown */
	json_kulong_if(&j, "processes", !s->partial, s->nprocs);
	json_kulong_if(&j, "killable", !s->partial, s->nkillable);
	json_kstr(&j, "partial_view", s->partial ? s->partial_reason : NULL);
	json_victim(&j, s);
	json_first_workloads(&j, s);
	json_group(&j, s);
	json_units(&j, s);
	modelfmt_json(&j, "model", &s->check);
	json_cgroup_kills(&j, s);
	json_karr_begin(&j, "warnings");
	for (size_t i = 0; i < s->nwarnings; i++)
		json_str(&j, s->warnings[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	sb_addc(sb, '\n');
}
