/*
 * `oomtop status` as Prometheus metrics.  The names follow the exposition
 * format's conventions (https://prometheus.io/docs/instrumenting/writing_exporters/):
 * base units (bytes, seconds, ratios 0..1), `_total` on counters, and every
 * family once with its HELP and TYPE lines, so `promtool check metrics`
 * accepts the output.
 */
#include <stdint.h>
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

/*
 * Appends the metrics of s.  The victim's share is its badness over the
 * global domain's totalpages (RAM + swap, mm/oom_kill.c oom_badness()),
 * clamped to 0..1: the part of the machine the kernel counts against it.
 */
void promfmt_status(struct strbuf *sb, const struct status *s)
{
	unsigned long long kib = 1024;

	if (s->have_oom_kills)
		metric_ull(sb, "oom_kills_total", "counter", "OOM kills since boot (/proc/vmstat oom_kill).",
			   s->oom_kills);
	if (s->have_cgroups) {
		family(sb, "cgroup_oom_kills_total", "counter",
		       "OOM kills in a memory cgroup with a limit (memory.events or memory.oom_control oom_kill).");
		for (size_t i = 0; i < s->ncgroups; i++) {
			sb_adds(sb, "oomtop_cgroup_oom_kills_total{cgroup=\"");
			promfmt_escape_label(sb, s->cgroups[i].path, strlen(s->cgroups[i].path));
			sb_addf(sb, "\"} %llu\n", s->cgroups[i].oom_kills);
		}
	}
	metric_ull(sb, "partial_view", "gauge",
		   "1 when some processes are hidden (hidepid=) or unreadable: the victim and the counts are then "
		   "of those seen, and the next victim is left out.",
		   s->partial);
	if (s->have_victim && !s->partial) {
		double share = s->mem.totalpages ? (double)s->victim_badness / (double)s->mem.totalpages : 0;
		share = share < 0 ? 0 : share > 1 ? 1 : share;
		family(sb, "next_victim_badness_ratio", "gauge",
		       "Badness of the next victim of a global OOM over RAM + swap, 0..1.");
		sb_addf(sb, "oomtop_next_victim_badness_ratio{pid=\"%d\",comm=\"", (int)s->victim_pid);
		promfmt_escape_label(sb, s->victim_comm, strnlen(s->victim_comm, sizeof(s->victim_comm)));
		sb_addf(sb, "\"} %.6f\n", share);
	}
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
