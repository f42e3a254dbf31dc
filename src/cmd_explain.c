/* `oomtop explain PID`: why a process has its OOM score, and what would change who dies. */
#include <errno.h>
#include <fcntl.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "explain.h"
#include "json.h"
#include "msg.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "strbuf.h"
#include "sysroot.h"
#include "xalloc.h"

#define CMD "explain"

/* Returns pages as MiB. */
static double mib(const struct explain *e, unsigned long pages)
{
	return (double)pages * (double)e->page_kib / 1024.0;
}

/* Writes an optional neighbour as JSON. */
static void json_peer(struct json *j, const char *key, const struct explain *e, const struct explain_peer *p)
{
	json_key(j, key);
	if (!p->present) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	json_key(j, "pid");
	json_long(j, p->pid);
	json_key(j, "comm");
	json_str(j, p->comm);
	json_key(j, "badness");
	json_long(j, p->badness);
	json_key(j, "margin_pages");
	json_ulong(j, p->margin_pages);
	json_key(j, "margin_mib");
	json_double(j, mib(e, p->margin_pages), 1);
	json_obj_end(j);
}

/* Builds the JSON explanation. */
static void format_json(struct strbuf *sb, const struct explain *e)
{
	const struct explain_peer unknown = { .present = false };
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_key(&j, "pid");
	json_long(&j, e->pid);
	json_key(&j, "comm");
	json_str(&j, e->comm);
	json_key(&j, "state");
	json_strn(&j, &e->state, 1);
	json_key(&j, "ppid");
	json_long(&j, e->ppid);
	json_key(&j, "killable");
	json_bool(&j, e->killable);
	json_key(&j, "unkillable_reason");
	if (e->killable)
		json_null(&j);
	else
		json_str(&j, proc_unkillable_text(e->why));
	json_key(&j, "oom_score");
	if (e->have_score)
		json_long(&j, e->oom_score);
	else
		json_null(&j);
	json_key(&j, "oom_score_computed");
	json_ulong(&j, e->oom_score_computed);
	json_key(&j, "oom_score_adj");
	json_long(&j, e->oom_score_adj);
	json_key(&j, "badness");
	if (e->killable)
		json_long(&j, e->badness);
	else
		json_null(&j);
	json_key(&j, "partial_view");
	if (e->partial)
		json_str(&j, e->partial_reason);
	else
		json_null(&j);
	json_key(&j, "cgroup");
	if (e->have_cgroup)
		json_str(&j, e->cgroup);
	else
		json_null(&j);
	json_key(&j, "memory");
	json_obj_begin(&j);
	json_key(&j, "anon_pages");
	json_ulong(&j, e->anon_pages);
	json_key(&j, "file_pages");
	json_ulong(&j, e->file_pages);
	json_key(&j, "shmem_pages");
	json_ulong(&j, e->shmem_pages);
	json_key(&j, "kernel_rss_pages");
	if (e->have_kernel_rss)
		json_ulong(&j, e->kernel_rss_pages);
	else
		json_null(&j);
	json_key(&j, "swap_pages");
	json_ulong(&j, e->swap_pages);
	json_key(&j, "pgtables_pages");
	json_ulong(&j, e->pgtables_pages);
	json_key(&j, "base_pages");
	json_ulong(&j, e->base_pages);
	json_key(&j, "adj_pages");
	json_long(&j, e->adj_pages);
	json_key(&j, "share_percent");
	json_double(&j, e->share, 3);
	json_key(&j, "page_kib");
	json_ulong(&j, e->page_kib);
	json_obj_end(&j);
	json_key(&j, "domains");
	json_arr_begin(&j);
	for (size_t i = 0; i < e->nranks; i++) {
		const struct explain_rank *r = &e->ranks[i];
		json_obj_begin(&j);
		json_key(&j, "domain");
		json_str(&j, r->domain);
		json_key(&j, "version");
		if (r->global)
			json_null(&j);
		else
			json_long(&j, r->version);
		json_key(&j, "limit_pages");
		if (r->global)
			json_null(&j);
		else
			json_ulong(&j, r->limit_pages);
		json_key(&j, "totalpages");
		json_ulong(&j, r->totalpages);
		/* a partial view (hidepid=) hides candidates: the rank and what follows from it are unknown */
		json_key(&j, "rank");
		if (r->rank && !e->partial)
			json_ulong(&j, r->rank);
		else
			json_null(&j);
		json_key(&j, "candidates");
		if (!e->partial)
			json_ulong(&j, r->candidates);
		else
			json_null(&j);
		json_key(&j, "badness");
		if (r->rank)
			json_long(&j, r->badness);
		else
			json_null(&j);
		json_key(&j, "adj_pages");
		json_long(&j, r->adj_pages);
		json_key(&j, "would_rank");
		if (r->would_rank && !e->partial)
			json_ulong(&j, r->would_rank);
		else
			json_null(&j);
		json_peer(&j, "above", e, e->partial ? &unknown : &r->above);
		json_peer(&j, "below", e, e->partial ? &unknown : &r->below);
		json_key(&j, "adj_to_be_first");
		if (r->rank > 1 && r->have_adj_first && !e->partial)
			json_long(&j, r->adj_first);
		else
			json_null(&j);
		json_key(&j, "adj_to_stop_being_first");
		if (r->rank == 1 && r->have_adj_stop && !e->partial)
			json_long(&j, r->adj_stop_err == -EDOM || r->adj_stop_err == -ENOENT ? OOM_SCORE_ADJ_MIN
											     : r->adj_stop);
		else
			json_null(&j);
		json_key(&j, "oom_kill_disable");
		json_bool(&j, r->oom_kill_disable);
		json_key(&j, "oom_group");
		if (r->oom_group[0])
			json_str(&j, r->oom_group);
		else
			json_null(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "inherited_from");
	if (e->nchain) {
		const struct explain_link *o = &e->chain[e->nchain - 1];
		json_obj_begin(&j);
		json_key(&j, "pid");
		json_long(&j, o->pid);
		json_key(&j, "comm");
		json_str(&j, o->comm);
		json_key(&j, "through");
		json_arr_begin(&j);
		for (size_t i = 0; i + 1 < e->nchain; i++)
			json_long(&j, e->chain[i].pid);
		json_arr_end(&j);
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "settings");
	json_obj_begin(&j);
	json_key(&j, "panic_on_oom");
	json_long(&j, e->panic_on_oom);
	json_key(&j, "oom_kill_allocating_task");
	json_long(&j, e->oom_kill_allocating_task);
	json_key(&j, "oom_dump_tasks");
	json_long(&j, e->oom_dump_tasks);
	json_obj_end(&j);
	json_obj_end(&j);
	sb_addc(sb, '\n');
}

/* Returns the thread group of a thread id from its status (Tgid:), or 0. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (sysroot_read(path, buf, sizeof(buf)) <= 0)
		return 0;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : 0;
}

/* Runs `oomtop explain PID [--json]`. */
int cmd_explain(int argc, const char **argv)
{
	int json = 0, rc, status = EXIT_OK, err;
	struct poptOption options[] = { { "json", 0, POPT_ARG_NONE, &json, 0, "print one JSON object", NULL },
					POPT_AUTOHELP POPT_TABLEEND };
	poptContext pc = poptGetContext(OOMTOP_NAME " " CMD, argc, argv, options, 0);
	struct strbuf sb = STRBUF_INIT;
	struct explain e = { 0 };
	const char *arg;
	long pid;

	poptSetOtherOptionHelp(pc, CMD_EXPLAIN_SYNOPSIS);
	rc = poptGetNextOpt(pc);
	if (rc < -1) {
		status = msg_usage(CMD, "%s: %s", poptBadOption(pc, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
		goto out;
	}
	arg = poptGetArg(pc);
	if (!arg) {
		status = msg_usage(CMD, "which process? (oomtop explain PID)");
		goto out;
	}
	if (poptPeekArg(pc)) {
		status = msg_usage(CMD, "unexpected argument '%s' (one PID at a time)", poptPeekArg(pc));
		goto out;
	}
	if (num_parse_long(arg, 1, 0x3fffffff, &pid) < 0) {
		status = msg_usage(CMD, "'%s' is not a process ID (a number, 1 or more)", arg);
		goto out;
	}
	err = explain_compute((pid_t)pid, &e);
	if (err == -ENOENT) {
		pid_t tgid = tgid_of((pid_t)pid);
		if (tgid > 0 && tgid != (pid_t)pid) {
			msg_err(CMD, "%ld is a thread of process %d: explaining %d", pid, (int)tgid, (int)tgid);
			pid = tgid;
			err = explain_compute((pid_t)pid, &e);
		}
	}
	if (err == -ENOENT && e.hidepid.hides) {
		msg_err(CMD,
			"no process %ld, or /proc hides it from you (hidepid=%s): run as root to see every process",
			pid, proc_hidepid_text(e.hidepid.mode));
		status = EXIT_NOMATCH;
		goto out;
	}
	if (err == -ENOENT || err == -ESRCH) {
		msg_err(CMD, err == -ENOENT ? "no process %ld" : "process %ld exited while being explained", pid);
		status = EXIT_NOMATCH;
		goto out;
	}
	if (err == -EACCES || err == -EPERM) {
		/* zeros would read as "no memory, no protection": refuse instead */
		struct strbuf why = STRBUF_INIT;
		proc_partial_reason(&why, &e.hidepid, 0, 0);
		msg_err(CMD, "cannot read process %ld: %s%s%s", pid, strerror(-err), why.len ? ": " : "",
			why.len ? sb_str(&why) : "");
		sb_free(&why);
		status = EXIT_FAIL;
		goto out;
	}
	if (err < 0) {
		msg_err(CMD, "cannot read /proc: %s", err == -ENODEV ? "it is not a procfs" : strerror(-err));
		status = EXIT_FAIL;
		goto out;
	}
	if (json)
		format_json(&sb, &e);
	else
		explain_format_text(&sb, &e, out_locale_utf8());
	if (msg_write_stdout(sb_str(&sb), sb.len) < 0)
		status = EXIT_FAIL;
out:
	explain_free(&e);
	sb_free(&sb);
	poptFreeContext(pc);
	return status;
}
