/* `oomtop status`: the machine's OOM posture in one screen. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "promfmt.h"
#include "status.h"
#include "strbuf.h"

#define CMD "status"
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
static void add_comm(struct strbuf *sb, const char *comm)
{
	out_escape(sb, comm, strlen(comm), out_locale_utf8());
}

/* Builds the text report. */
static void format_text(struct strbuf *sb, const struct status *s)
{
	const struct sysmem *m = &s->mem;
	char a[16], b[16];

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

	sb_addf(sb, "\nNever killed (oom_score_adj -1000): %zu processes, %zu of them only inherited it\n",
		s->nprotected, s->ninherited);
	for (size_t i = 0; i < s->nprotected && i < PROTECTED_SHOWN; i++) {
		const struct status_protected *p = &s->protected_procs[i];
		sb_addf(sb, "  %7d ", (int)p->pid);
		add_comm(sb, p->comm);
		if (p->origin) {
			sb_addf(sb, "   inherited from %d (", (int)p->origin);
			add_comm(sb, p->origin_comm);
			sb_addc(sb, ')');
		}
		sb_addc(sb, '\n');
	}
	if (s->nprotected > PROTECTED_SHOWN)
		sb_addf(sb, "  ... and %zu more (oomtop top --all shows them)\n", s->nprotected - PROTECTED_SHOWN);

	sb_adds(sb, "\nNext victim of a global OOM: ");
	if (s->partial) {
		/* a hidden process may be bigger: the first of those seen is not the victim */
		sb_adds(sb, "unknown (partial view, see Warnings)");
		if (s->have_victim) {
			out_size_kib(a, sizeof(a), s->victim_rss_kib);
			sb_addf(sb, "; first of the %zu processes you can see: %d (", s->nprocs, (int)s->victim_pid);
			add_comm(sb, s->victim_comm);
			sb_addf(sb, "), badness %ld pages, rss %s", s->victim_badness, a);
		}
		sb_addc(sb, '\n');
	} else if (s->have_victim) {
		out_size_kib(a, sizeof(a), s->victim_rss_kib);
		sb_addf(sb, "%d (", (int)s->victim_pid);
		add_comm(sb, s->victim_comm);
		sb_addf(sb,
			"), badness %ld pages, oom_score %ld, oom_score_adj %d, rss %s; %zu of %zu processes "
			"killable\n",
			s->victim_badness, s->victim_score, s->victim_adj, a, s->nkillable, s->nprocs);
	} else {
		sb_adds(sb, "none: no process can be killed\n");
	}

	sb_adds(sb, "\nWarnings\n");
	if (s->nwarnings == 0)
		sb_adds(sb, "  none\n");
	for (size_t i = 0; i < s->nwarnings; i++)
		sb_addf(sb, "  %s\n", s->warnings[i]);
}

/* Writes one PSI line as a JSON object. */
static void json_psi(struct json *j, const char *key, bool have, const struct psi_line *l)
{
	json_key(j, key);
	if (!have) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_key(j, "avg10");
	json_double(j, l->avg10, 2);
	json_key(j, "avg60");
	json_double(j, l->avg60, 2);
	json_key(j, "avg300");
	json_double(j, l->avg300, 2);
	json_key(j, "total_us");
	json_ulong(j, l->total_us);
	json_obj_end(j);
}

/* Writes a sysctl value, null when unreadable. */
static void json_sysctl(struct json *j, const char *key, long v)
{
	json_key(j, key);
	if (v < 0)
		json_null(j);
	else
		json_long(j, v);
}

/* Builds the JSON report. */
static void format_json(struct strbuf *sb, const struct status *s)
{
	const struct sysmem *m = &s->mem;
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_key(&j, "sysctl");
	json_obj_begin(&j);
	json_sysctl(&j, "panic_on_oom", s->panic_on_oom);
	json_sysctl(&j, "oom_kill_allocating_task", s->oom_kill_allocating_task);
	json_sysctl(&j, "oom_dump_tasks", s->oom_dump_tasks);
	json_sysctl(&j, "overcommit_memory", s->overcommit_memory);
	json_sysctl(&j, "overcommit_ratio", s->overcommit_ratio);
	json_sysctl(&j, "overcommit_kbytes", s->overcommit_kbytes);
	json_obj_end(&j);
	json_key(&j, "memory");
	json_obj_begin(&j);
	json_key(&j, "mem_total_kib");
	json_ulong(&j, m->mem_total_kib);
	json_key(&j, "mem_available_kib");
	json_ulong(&j, m->mem_available_kib);
	json_key(&j, "swap_total_kib");
	json_ulong(&j, m->swap_total_kib);
	json_key(&j, "swap_free_kib");
	json_ulong(&j, m->swap_free_kib);
	json_key(&j, "commit_limit_kib");
	json_ulong(&j, m->commit_limit_kib);
	json_key(&j, "committed_as_kib");
	json_ulong(&j, m->committed_as_kib);
	json_key(&j, "totalpages");
	json_ulong(&j, m->totalpages);
	json_obj_end(&j);
	json_key(&j, "oom_kills");
	if (s->have_oom_kills)
		json_ulong(&j, s->oom_kills);
	else
		json_null(&j);
	json_key(&j, "pressure");
	if (s->have_psi) {
		json_obj_begin(&j);
		json_psi(&j, "some", s->psi.have_some, &s->psi.some);
		json_psi(&j, "full", s->psi.have_full, &s->psi.full);
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "protected");
	json_arr_begin(&j);
	for (size_t i = 0; i < s->nprotected; i++) {
		const struct status_protected *p = &s->protected_procs[i];
		json_obj_begin(&j);
		json_key(&j, "pid");
		json_long(&j, p->pid);
		json_key(&j, "comm");
		json_str(&j, p->comm);
		json_key(&j, "inherited_from");
		if (p->origin)
			json_long(&j, p->origin);
		else
			json_null(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "protected_inherited");
	json_ulong(&j, s->ninherited);
	/* in a partial view (hidepid=) the counts and the victim are unknown */
	json_key(&j, "processes");
	if (s->partial)
		json_null(&j);
	else
		json_ulong(&j, s->nprocs);
	json_key(&j, "killable");
	if (s->partial)
		json_null(&j);
	else
		json_ulong(&j, s->nkillable);
	json_key(&j, "partial_view");
	if (s->partial)
		json_str(&j, s->partial_reason);
	else
		json_null(&j);
	json_key(&j, "next_victim");
	if (s->have_victim && !s->partial) {
		json_obj_begin(&j);
		json_key(&j, "pid");
		json_long(&j, s->victim_pid);
		json_key(&j, "comm");
		json_str(&j, s->victim_comm);
		json_key(&j, "badness");
		json_long(&j, s->victim_badness);
		json_key(&j, "oom_score");
		if (s->victim_score >= 0)
			json_long(&j, s->victim_score);
		else
			json_null(&j);
		json_key(&j, "oom_score_adj");
		json_long(&j, s->victim_adj);
		json_key(&j, "rss_kib");
		json_ulong(&j, s->victim_rss_kib);
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "cgroup_oom_kills");
	if (s->have_cgroups) {
		json_arr_begin(&j);
		for (size_t i = 0; i < s->ncgroups; i++) {
			json_obj_begin(&j);
			json_key(&j, "cgroup");
			json_str(&j, s->cgroups[i].path);
			json_key(&j, "oom_kills");
			json_ulong(&j, s->cgroups[i].oom_kills);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "warnings");
	json_arr_begin(&j);
	for (size_t i = 0; i < s->nwarnings; i++)
		json_str(&j, s->warnings[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	sb_addc(sb, '\n');
}

/* Runs `oomtop status [--format=text|json|prometheus] [--json]` on its checked command line. */
static int status_exec(const struct cmd_args *args)
{
	const char *format = cmd_value(args, "format");
	bool json = cmd_flag(args, "json");
	int status = EXIT_OK, err;
	struct strbuf sb = STRBUF_INIT;
	struct status s = { 0 };
	enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS } fmt = FORMAT_TEXT;

	if (json && format && strcmp(format, "json") != 0) {
		status = msg_usage(CMD, "--json and --format=%s disagree", format);
		goto out;
	}
	if (json || (format && strcmp(format, "json") == 0))
		fmt = FORMAT_JSON;
	else if (format && strcmp(format, "prometheus") == 0)
		fmt = FORMAT_PROMETHEUS;
	else if (format && strcmp(format, "text") != 0) {
		status = msg_usage(CMD, "--format: '%s' is not text, json or prometheus", format);
		goto out;
	}
	err = status_compute(&s);
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s", err == -ENODEV ? "it is not a procfs" : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	/* a host without a memory hierarchy has no cgroup OOMs: the list is null, not an error */
	if (fmt != FORMAT_TEXT)
		status_cgroup_kills(&s);
	if (fmt == FORMAT_JSON)
		format_json(&sb, &s);
	else if (fmt == FORMAT_PROMETHEUS)
		prom_status(&sb, &s);
	else
		format_text(&sb, &s);
	if (msg_write_stdout(sb_str(&sb), sb.len) < 0)
		status = EXIT_FAIL;
out:
	status_free(&s);
	sb_free(&sb);
	return status;
}

static const struct poptOption status_options[] = {
	{ "format", 'f', POPT_ARG_STRING, NULL, 0, "text (the default), json or prometheus", "FORMAT" },
	{ "json", 0, POPT_ARG_NONE, NULL, 0, "print one JSON object (--format=json)", NULL },
	POPT_TABLEEND
};

/* `oomtop status`: no operands. */
const struct cmd_entry cmd_status_entry = {
	.name = CMD,
	.usage = "[--json] [-f FORMAT]",
	.summary = "the machine's OOM settings, memory, pressure and next victim",
	.options = status_options,
	.exec = status_exec,
};
