/*
 * `oomtop status` as Prometheus metrics.  The names follow the exposition
 * format's conventions (https://prometheus.io/docs/instrumenting/writing_exporters/):
 * base units (bytes, seconds, ratios 0..1), `_total` on counters, and every
 * family once with its HELP and TYPE lines, so `promtool check metrics`
 * accepts the output.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "out.h"
#include "promfmt.h"

/*
 * Appends a label value.  The exposition format knows only the escapes \\,
 * \" and \n (promtool refuses any other), so a character that must not reach
 * a terminal or a log viewer raw becomes visible text in the value, as in
 * the tables: a control byte (C0, DEL) or an invalid UTF-8 byte as \xHH, a
 * C1 control, U+2028, U+2029 or a bidi control as \uXXXX (out_cp_hidden()),
 * and a backslash of the name as \\ so that a comm spelling "\x1b" stays apart
 * from a real ESC.  Each backslash of the value is then written as the format
 * wants it, \\: an ESC comes out as `\\x1b`, a backslash as `\\\\`.  A newline
 * and a quote keep the format's own \n and \".  The value is valid UTF-8.
 */
void promfmt_escape_label(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		int n = out_utf8_decode(p + i, len - i, &cp);

		if (n < 0) {
			sb_addf(sb, "\\\\x%02x", p[i]);
			i++;
			continue;
		}
		if (cp == '\\')
			sb_adds(sb, "\\\\\\\\");
		else if (cp == '"')
			sb_adds(sb, "\\\"");
		else if (cp == '\n')
			sb_adds(sb, "\\n");
		else if (cp < 0x80 && out_cp_hidden(cp))
			sb_addf(sb, "\\\\x%02x", (unsigned)cp);
		else if (out_cp_hidden(cp))
			sb_addf(sb, "\\\\u%04x", (unsigned)cp);
		else
			sb_add(sb, p + i, (size_t)n);
		i += (size_t)n;
	}
}

/* Appends the HELP and TYPE lines of one metric family. */
static void family(struct strbuf *sb, const char *name, const char *type, const char *help)
{
	sb_addf(sb, "# HELP oomtop_%s %s\n# TYPE oomtop_%s %s\n", name, help, name, type);
}

/* Appends one unlabelled gauge or counter with an integer value. */
static void metric_ull(struct strbuf *sb, const char *name, const char *type, const char *help, unsigned long long v)
{
	family(sb, name, type, help);
	sb_addf(sb, "oomtop_%s %llu\n", name, v);
}

/* Appends a vm sysctl as a gauge, nothing when it could not be read. */
static void sysctl_gauge(struct strbuf *sb, const char *name, long v, const char *help)
{
	if (v >= 0)
		metric_ull(sb, name, "gauge", help, (unsigned long long)v);
}

/* Appends the memory pressure families: the averages as ratios, the stall time as a counter. */
static void psi_metrics(struct strbuf *sb, const struct psi *p)
{
	const struct {
		const char *kind;
		bool have;
		const struct psi_line *l;
	} lines[] = { { "some", p->have_some, &p->some }, { "full", p->have_full, &p->full } };

	family(sb, "memory_pressure_ratio", "gauge",
	       "Share of time tasks stalled on memory, averaged over a window (/proc/pressure/memory).");
	for (size_t i = 0; i < 2; i++) {
		if (!lines[i].have)
			continue;
		sb_addf(sb, "oomtop_memory_pressure_ratio{kind=\"%s\",window=\"10s\"} %.4f\n", lines[i].kind,
			lines[i].l->avg10 / 100);
		sb_addf(sb, "oomtop_memory_pressure_ratio{kind=\"%s\",window=\"60s\"} %.4f\n", lines[i].kind,
			lines[i].l->avg60 / 100);
		sb_addf(sb, "oomtop_memory_pressure_ratio{kind=\"%s\",window=\"300s\"} %.4f\n", lines[i].kind,
			lines[i].l->avg300 / 100);
	}
	family(sb, "memory_pressure_stalled_seconds_total", "counter",
	       "Time tasks stalled on memory since boot (/proc/pressure/memory total).");
	for (size_t i = 0; i < 2; i++)
		if (lines[i].have)
			sb_addf(sb, "oomtop_memory_pressure_stalled_seconds_total{kind=\"%s\"} %llu.%06llu\n",
				lines[i].kind, lines[i].l->total_us / 1000000, lines[i].l->total_us % 1000000);
}

/* Appends one unlabelled gauge with a signed integer value. */
static void gauge_ll(struct strbuf *sb, const char *name, const char *help, long long v)
{
	family(sb, name, "gauge", help);
	sb_addf(sb, "oomtop_%s %lld\n", name, v);
}

/* Returns badness over totalpages clamped to 0..1: the part of the domain the kernel counts against a process. */
static double badness_share(long badness, unsigned long totalpages)
{
	double share = totalpages ? (double)badness / (double)totalpages : 0;

	return share < 0 ? 0 : share > 1 ? 1 : share;
}

/*
 * Appends the bounded labels that name a victim: its comm, and its
 * workload's kind and name when w is given; a pid never, because each new
 * victim would make a new series.
 */
static void victim_labels(struct strbuf *sb, const char *comm, size_t size, const struct workload *w)
{
	sb_adds(sb, "comm=\"");
	promfmt_escape_label(sb, comm, strnlen(comm, size));
	sb_adds(sb, "\"");
	if (!w)
		return;
	sb_addf(sb, ",workload_kind=\"%s\",workload=\"", workload_kind_name(w->kind));
	promfmt_escape_label(sb, w->name, strlen(w->name));
	sb_adds(sb, "\"");
}

/*
 * Appends the next victim of a global OOM: one info series (value 1) with
 * its bounded labels, and its numbers as unlabelled gauges, so that the set
 * of series stays the same whoever the victim is (join them with
 * `* on() group_left(comm) oomtop_next_victim_info`).
 */
static void victim_metrics(struct strbuf *sb, const struct status *s)
{
	family(sb, "next_victim_info", "gauge",
	       "The next victim of a global OOM, named by bounded labels; always 1. Its numbers are the "
	       "unlabelled oomtop_next_victim_* gauges.");
	sb_adds(sb, "oomtop_next_victim_info{");
	victim_labels(sb, s->victim_comm, sizeof(s->victim_comm), s->have_victim_workload ? &s->victim_workload : NULL);
	sb_adds(sb, "} 1\n");
	gauge_ll(sb, "next_victim_pid", "Process ID of the next victim of a global OOM.", s->victim_pid);
	family(sb, "next_victim_badness_ratio", "gauge",
	       "Badness of the next victim of a global OOM over RAM + swap, 0..1.");
	sb_addf(sb, "oomtop_next_victim_badness_ratio %.6f\n", badness_share(s->victim_badness, s->mem.totalpages));
	gauge_ll(sb, "next_victim_oom_score_adj", "oom_score_adj of the next victim of a global OOM.", s->victim_adj);
	if (s->victim_score >= 0)
		gauge_ll(sb, "next_victim_oom_score", "The kernel's oom_score of the next victim of a global OOM.",
			 s->victim_score);
	gauge_ll(sb, "next_victim_rss_bytes",
		 "Resident memory of the next victim of a global OOM (anon + file + shmem).",
		 (long long)s->victim_rss_kib * 1024);
}

/* The cgroups summed as "other": those after the first nlisted, and the one of them nearest its limit. */
struct other_cgroups {
	unsigned long long usage_bytes, limit_bytes, oom_kills;
	const struct status_cgroup *nearest; /* borrowed; NULL when every cgroup is listed */
};

/* Appends one sample of a family labelled by cgroup, its value already formatted. */
static void cgroup_sample(struct strbuf *sb, const char *name, const char *cgroup, const char *value)
{
	sb_addf(sb, "oomtop_%s{cgroup=\"", name);
	promfmt_escape_label(sb, cgroup, strlen(cgroup));
	sb_addf(sb, "\"} %s\n", value);
}

/* What a per-cgroup victim family shows of the first victim. */
enum victim_field { VICTIM_INFO, VICTIM_BADNESS, VICTIM_ADJ };

/* Appends a cgroup's first victim to one family: its info series, its badness share or its oom_score_adj. */
static void cgroup_victim_sample(struct strbuf *sb, const char *name, enum victim_field field, const char *label,
				 const struct status_cgroup *c)
{
	char v[64];

	if (!c || !c->have_victim)
		return;
	if (field == VICTIM_INFO) {
		sb_addf(sb, "oomtop_%s{cgroup=\"", name);
		promfmt_escape_label(sb, label, strlen(label));
		sb_adds(sb, "\",");
		victim_labels(sb, c->victim_comm, sizeof(c->victim_comm), NULL);
		sb_adds(sb, "} 1\n");
		return;
	}
	if (field == VICTIM_BADNESS)
		snprintf(v, sizeof(v), "%.6f", badness_share(c->victim_badness, c->totalpages));
	else
		snprintf(v, sizeof(v), "%d", c->victim_adj);
	cgroup_sample(sb, name, label, v);
}

/*
 * Appends the memory cgroups with a limit: the first nlisted (the largest
 * by usage, status_cgroup_sort()) by name, the rest as one cgroup="other"
 * series (a cgroup's path always begins with "/", so no cgroup is named
 * that).  Sizes and kills of "other" are sums; its headroom and first victim
 * are those of the one nearest its limit, so that an alert still sees it.
 */
static void cgroup_metrics(struct strbuf *sb, const struct status *s)
{
	static const struct {
		const char *name;
		enum victim_field field;
		const char *help;
	} victim_families[] = {
		{ "cgroup_next_victim_info", VICTIM_INFO,
		  "The first victim of an OOM in a memory cgroup, named by bounded labels; always 1." },
		{ "cgroup_next_victim_badness_ratio", VICTIM_BADNESS,
		  "Badness of the first victim of an OOM in a memory cgroup over the cgroup's limit (+ swap), 0..1." },
		{ "cgroup_next_victim_oom_score_adj", VICTIM_ADJ,
		  "oom_score_adj of the first victim of an OOM in a memory cgroup." },
	};
	struct other_cgroups o = { 0 };
	size_t nearest = status_cgroup_nearest(s);
	unsigned long long page = s->mem.page_kib * 1024;
	char v[64];

	for (size_t i = s->nlisted; i < s->ncgroups; i++) {
		o.usage_bytes += s->cgroups[i].usage_pages * page;
		o.limit_bytes += s->cgroups[i].limit_pages * page;
		o.oom_kills += s->cgroups[i].oom_kills;
	}
	o.nearest = nearest == SIZE_MAX ? NULL : &s->cgroups[nearest];
	metric_ull(sb, "limited_cgroups", "gauge",
		   "Memory cgroups with a limit (each an OOM domain), named or in \"other\".", s->ncgroups);

	family(sb, "cgroup_memory_usage_bytes", "gauge",
	       "Memory charged to a memory cgroup (memory.current, v1 memory.usage_in_bytes); \"other\": their sum.");
	for (size_t i = 0; i < s->nlisted; i++) {
		snprintf(v, sizeof(v), "%llu", s->cgroups[i].usage_pages * page);
		cgroup_sample(sb, "cgroup_memory_usage_bytes", s->cgroups[i].path, v);
	}
	snprintf(v, sizeof(v), "%llu", o.usage_bytes);
	cgroup_sample(sb, "cgroup_memory_usage_bytes", "other", v);

	family(sb, "cgroup_memory_limit_bytes", "gauge",
	       "The limit of a memory cgroup (memory.max, v1 memory.limit_in_bytes); \"other\": their sum.");
	for (size_t i = 0; i < s->nlisted; i++) {
		snprintf(v, sizeof(v), "%llu", s->cgroups[i].limit_pages * page);
		cgroup_sample(sb, "cgroup_memory_limit_bytes", s->cgroups[i].path, v);
	}
	snprintf(v, sizeof(v), "%llu", o.limit_bytes);
	cgroup_sample(sb, "cgroup_memory_limit_bytes", "other", v);

	family(sb, "cgroup_memory_usage_ratio", "gauge",
	       "Usage over limit of a memory cgroup: 1 is an OOM (or reclaim) at the limit; \"other\": the highest "
	       "of the cgroups not named.");
	for (size_t i = 0; i < s->nlisted; i++) {
		snprintf(v, sizeof(v), "%.6f", status_cgroup_usage_ratio(&s->cgroups[i]));
		cgroup_sample(sb, "cgroup_memory_usage_ratio", s->cgroups[i].path, v);
	}
	snprintf(v, sizeof(v), "%.6f", o.nearest ? status_cgroup_usage_ratio(o.nearest) : 0.0);
	cgroup_sample(sb, "cgroup_memory_usage_ratio", "other", v);

	/* in a partial view the process that would go first may be hidden: no victim families */
	for (size_t f = 0; !s->partial && f < sizeof(victim_families) / sizeof(victim_families[0]); f++) {
		family(sb, victim_families[f].name, "gauge", victim_families[f].help);
		for (size_t i = 0; i < s->nlisted; i++)
			cgroup_victim_sample(sb, victim_families[f].name, victim_families[f].field, s->cgroups[i].path,
					     &s->cgroups[i]);
		cgroup_victim_sample(sb, victim_families[f].name, victim_families[f].field, "other", o.nearest);
	}

	family(sb, "cgroup_oom_kills_total", "counter",
	       "OOM kills of processes in a memory cgroup with a limit (v2 memory.events, with its descendants; v1 "
	       "memory.oom_control); \"other\": their sum.");
	for (size_t i = 0; i < s->nlisted; i++) {
		if (!s->cgroups[i].have_oom_kills)
			continue;
		snprintf(v, sizeof(v), "%llu", s->cgroups[i].oom_kills);
		cgroup_sample(sb, "cgroup_oom_kills_total", s->cgroups[i].path, v);
	}
	snprintf(v, sizeof(v), "%llu", o.oom_kills);
	cgroup_sample(sb, "cgroup_oom_kills_total", "other", v);
}

/*
 * Appends the kills of memory cgroups that no longer exist, as the kernel
 * log still holds them: the max_cgroups with the most by name, the rest
 * (and any beyond the names kept) as "other".
 */
static void gone_metrics(struct strbuf *sb, const struct status *s)
{
	size_t listed = s->ngone < s->max_cgroups ? s->ngone : s->max_cgroups;
	unsigned long long other = s->gone_dropped;
	char v[32];

	metric_ull(sb, "kernel_log_complete", "gauge",
		   "1 when the kernel log still holds its first record since boot, so the removed cgroups' kills are "
		   "all there; 0 when older records were overwritten.",
		   s->klog_complete);
	family(sb, "removed_cgroup_oom_kills_total", "counter",
	       "OOM kills of processes whose memory cgroup no longer exists, counted from the kernel log since boot "
	       "(oom-kill task_memcg); \"other\": the cgroups not named.");
	for (size_t i = 0; i < listed; i++) {
		snprintf(v, sizeof(v), "%llu", s->gone[i].kills);
		cgroup_sample(sb, "removed_cgroup_oom_kills_total", s->gone[i].path, v);
	}
	for (size_t i = listed; i < s->ngone; i++)
		other += s->gone[i].kills;
	snprintf(v, sizeof(v), "%llu", other);
	cgroup_sample(sb, "removed_cgroup_oom_kills_total", "other", v);
}

/*
 * Appends, for each service whose unit files declare OOMScoreAdjust=, the
 * value declared and how many of its processes do not hold it (labelled
 * unit: services, as few as the machine's units, not processes).
 */
static void unit_metrics(struct strbuf *sb, const struct status *s)
{
	static const struct {
		const char *name, *help;
	} fams[] = {
		{ "unit_oom_score_adj_declared", "OOMScoreAdjust= as a service's unit file and drop-ins declare it." },
		{ "unit_processes_not_holding", "Processes of a service that do not hold the oom_score_adj its unit "
						"declares (a refused write, a value set since)." },
	};

	/* the families are there without a sample too, so a rule names a family every scan writes */
	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		family(sb, fams[f].name, "gauge", fams[f].help);
		for (size_t i = 0; i < s->nunits; i++) {
			const struct status_unit *u = &s->units[i];
			if (!u->decl.have_adj)
				continue;
			sb_addf(sb, "oomtop_%s{unit=\"", fams[f].name);
			promfmt_escape_label(sb, u->unit, strlen(u->unit));
			if (f == 0)
				sb_addf(sb, "\"} %d\n", u->decl.adj);
			else
				sb_addf(sb, "\"} %zu\n", u->audit.state == UNITS_NOT_HELD ? u->audit.nother : 0);
		}
	}
}

/*
 * Appends the metrics of s.  No series carries a pid: the next victims are
 * named by bounded labels, and the cgroups are bounded by max_cgroups, so
 * a scrape has the same series whoever is about to be killed.
 */
void promfmt_status(struct strbuf *sb, const struct status *s)
{
	unsigned long long kib = 1024;

	if (s->have_oom_kills)
		metric_ull(sb, "oom_kills_total", "counter", "OOM kills since boot (/proc/vmstat oom_kill).",
			   s->oom_kills);
	if (s->have_cgroups)
		cgroup_metrics(sb, s);
	if (s->have_klog)
		gone_metrics(sb, s);
	metric_ull(sb, "partial_view", "gauge",
		   "1 when some processes are hidden (hidepid=) or unreadable: the victim and the counts are then "
		   "of those seen, and the next victims are left out.",
		   s->partial);
	if (s->have_victim && !s->partial)
		victim_metrics(sb, s);
	if (!s->partial)
		unit_metrics(sb, s);
	metric_ull(sb, "processes", "gauge", "Processes seen.", s->nprocs);
	metric_ull(sb, "killable_processes", "gauge", "Processes a global OOM may kill.", s->nkillable);
	metric_ull(sb, "protected_processes", "gauge", "Processes with oom_score_adj -1000, which no OOM kills.",
		   s->nprotected);
	metric_ull(sb, "protected_inherited_processes", "gauge",
		   "Processes with oom_score_adj -1000 only inherited from a parent.", s->ninherited);
	metric_ull(sb, "memory_total_bytes", "gauge", "MemTotal (/proc/meminfo).", s->mem.mem_total_kib * kib);
	metric_ull(sb, "memory_available_bytes", "gauge", "MemAvailable (/proc/meminfo).",
		   s->mem.mem_available_kib * kib);
	metric_ull(sb, "swap_free_bytes", "gauge", "SwapFree (/proc/meminfo).", s->mem.swap_free_kib * kib);
	metric_ull(sb, "commit_limit_bytes", "gauge", "CommitLimit (/proc/meminfo).", s->mem.commit_limit_kib * kib);
	metric_ull(sb, "committed_as_bytes", "gauge", "Committed_AS (/proc/meminfo).", s->mem.committed_as_kib * kib);
	if (s->have_psi)
		psi_metrics(sb, &s->psi);
	sysctl_gauge(sb, "vm_panic_on_oom", s->panic_on_oom, "vm.panic_on_oom: 1 or 2 make an OOM panic.");
	sysctl_gauge(sb, "vm_oom_kill_allocating_task", s->oom_kill_allocating_task,
		     "vm.oom_kill_allocating_task: 1 kills the allocating task instead of the worst.");
	sysctl_gauge(sb, "vm_oom_dump_tasks", s->oom_dump_tasks, "vm.oom_dump_tasks: 1 logs every candidate.");
	sysctl_gauge(sb, "vm_overcommit_memory", s->overcommit_memory,
		     "vm.overcommit_memory: 0 heuristic, 1 always, 2 never.");
}
