/* The table, the JSON and the summary of `oomtop log`, built from events without any I/O. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal.h"
#include "logfmt.h"
#include "out.h"
#include "topfmt.h"

#define ROW_FMT "%-20s %7s %-15s %6s %7s %5s %-20s %-20s %s\n"
#define DOMAIN_WIDTH 20
#define WORKLOAD_WIDTH 20

/* Appends the column header line. */
void logfmt_header(struct strbuf *sb)
{
	sb_addf(sb, ROW_FMT, "TIME", "PID", "NAME", "UID", "RSS", "ADJ", "DOMAIN", "WORKLOAD", "TRIGGERED BY");
}

/*
 * Writes the time of an event: the local date ("~" before it when the log
 * gave no year and it was guessed), or, when the log held only the
 * kernel's timestamp (dmesg without -T, from another boot or machine), the
 * time since boot as "boot+SECONDS".
 */
void logfmt_time(char *buf, size_t bufsz, const struct klog_event *ev)
{
	struct tm tm;
	time_t t;

	if (ev->time_sec != KLOG_NONE && bufsz > 1) {
		t = (time_t)ev->time_sec;
		buf[0] = '~';
		if (localtime_r(&t, &tm) &&
		    strftime(buf + ev->year_guessed, bufsz - ev->year_guessed, "%Y-%m-%d %H:%M:%S", &tm) > 0)
			return;
	}
	if (ev->uptime_usec != KLOG_NONE)
		snprintf(buf, bufsz, "boot+%lld.%03llds", ev->uptime_usec / 1000000, ev->uptime_usec % 1000000 / 1000);
	else
		snprintf(buf, bufsz, "-");
}

/* Returns the resident memory at the kill (anon + file + shmem, KiB), or KLOG_NONE. */
long long logfmt_rss_kib(const struct klog_event *ev)
{
	long long sum = 0;

	if (ev->anon_rss_kib == KLOG_NONE && ev->file_rss_kib == KLOG_NONE)
		return KLOG_NONE;
	if (ev->anon_rss_kib != KLOG_NONE)
		sum += ev->anon_rss_kib;
	if (ev->file_rss_kib != KLOG_NONE)
		sum += ev->file_rss_kib;
	if (ev->shmem_rss_kib != KLOG_NONE)
		sum += ev->shmem_rss_kib;
	return sum;
}

/* Formats a number that may be unknown ("-"). */
static void fmt_num(char *buf, size_t bufsz, long long v)
{
	if (v == KLOG_NONE)
		snprintf(buf, bufsz, "-");
	else
		snprintf(buf, bufsz, "%lld", v);
}

/* Appends untrusted text escaped, padded to width display columns (0: no padding). */
static void add_text(struct strbuf *sb, const char *s, size_t width, bool utf8)
{
	size_t start = sb->len, w;

	out_escape(sb, s, strlen(s), utf8);
	w = out_width(sb->buf + start, sb->len - start, utf8);
	while (w++ < width)
		sb_addc(sb, ' ');
}

/*
 * Appends untrusted text escaped, cut from the left to width display
 * columns (the end of a cgroup path says most) with a marker, and padded.
 */
static void add_text_left_cut(struct strbuf *sb, const char *s, size_t width, bool utf8)
{
	struct strbuf e = STRBUF_INIT;
	const char *p, *end, *marker = utf8 ? "\xe2\x80\xa6" : "<";
	size_t w;

	out_escape(&e, s, strlen(s), utf8);
	p = sb_str(&e);
	end = p + e.len;
	w = out_width(p, e.len, utf8);
	if (w > width) {
		/* drop characters (whole UTF-8 sequences) until the rest and the marker fit */
		while (p < end && out_width(p, (size_t)(end - p), utf8) > width - 1) {
			p++;
			while (utf8 && p < end && ((unsigned char)*p & 0xc0) == 0x80)
				p++;
		}
		sb_adds(sb, marker);
		w = 1 + out_width(p, (size_t)(end - p), utf8);
	}
	sb_add(sb, p, (size_t)(end - p));
	while (w++ < width)
		sb_addc(sb, ' ');
	sb_free(&e);
}

/*
 * Appends one table row.  ADJ is the oom_score_adj; kernels before 2.6.36
 * logged only the legacy oom_adj, shown with a '*'.  WORKLOAD is the
 * victim's (NULL, shown "-": the log does not name its cgroup).
 */
void logfmt_row(struct strbuf *sb, const struct klog_event *ev, const struct workload *victim, bool utf8)
{
	char when[40], pid[24], uid[24], rss[16], adj[24], domain[KLOG_PATH_MAX];
	long long rss_kib = logfmt_rss_kib(ev);

	logfmt_time(when, sizeof(when), ev);
	fmt_num(pid, sizeof(pid), ev->pid);
	fmt_num(uid, sizeof(uid), ev->uid);
	if (rss_kib == KLOG_NONE)
		snprintf(rss, sizeof(rss), "-");
	else
		out_size_kib(rss, sizeof(rss), (unsigned long long)rss_kib);
	if (ev->oom_score_adj != KLOG_NONE)
		snprintf(adj, sizeof(adj), "%lld", ev->oom_score_adj);
	else if (ev->oom_adj != KLOG_NONE)
		snprintf(adj, sizeof(adj), "%lld*", ev->oom_adj);
	else
		snprintf(adj, sizeof(adj), "-");
	klog_event_domain(ev, domain, sizeof(domain));

	sb_addf(sb, "%-20s %7s ", when, pid);
	add_text(sb, ev->comm, 15, utf8);
	sb_addf(sb, " %6s %7s %5s ", uid, rss, adj);
	add_text_left_cut(sb, domain, DOMAIN_WIDTH, utf8);
	sb_addc(sb, ' ');
	topfmt_workload_cell(sb, victim, WORKLOAD_WIDTH, utf8);
	sb_addc(sb, ' ');
	if (ev->trigger_comm[0]) {
		add_text(sb, ev->trigger_comm, 0, utf8);
		if (ev->trigger_pid != KLOG_NONE)
			sb_addf(sb, " (%lld)", ev->trigger_pid);
	} else {
		sb_adds(sb, "-");
	}
	if (ev->nmembers > 1 || ev->members_dropped)
		sb_addf(sb, "  [memory.oom.group: %zu tasks killed]", ev->nmembers + ev->members_dropped);
	sb_addc(sb, '\n');
}

/* Tells whether the log held a number (KLOG_NONE: it did not, and the JSON says null). */
static bool known(long long v)
{
	return v != KLOG_NONE;
}

/* Writes the event time as ISO 8601 with the local offset, or null. */
static void json_time(struct json *j, const struct klog_event *ev)
{
	char buf[64], off[8];
	struct tm tm;
	time_t t;

	if (ev->time_sec == KLOG_NONE) {
		json_knull(j, "time");
		return;
	}
	t = (time_t)ev->time_sec;
	if (!localtime_r(&t, &tm) || strftime(off, sizeof(off), "%z", &tm) != 5) {
		json_knull(j, "time");
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%06ld%.3s:%s", ev->time_usec, off, off + 3);
	json_kstr(j, "time", buf);
}

/* Writes one row of the task table. */
static void json_task(struct json *j, const struct klog_task *t)
{
	json_obj_begin(j);
	json_klong_if(j, "pid", known(t->pid), t->pid);
	json_klong_if(j, "uid", known(t->uid), t->uid);
	json_klong_if(j, "tgid", known(t->tgid), t->tgid);
	json_klong_if(j, "total_vm_pages", known(t->total_vm), t->total_vm);
	json_klong_if(j, "rss_pages", known(t->rss), t->rss);
	json_klong_if(j, "rss_anon_pages", known(t->rss_anon), t->rss_anon);
	json_klong_if(j, "rss_file_pages", known(t->rss_file), t->rss_file);
	json_klong_if(j, "rss_shmem_pages", known(t->rss_shmem), t->rss_shmem);
	json_klong_if(j, "pgtables_bytes", known(t->pgtables_bytes), t->pgtables_bytes);
	json_klong_if(j, "nr_ptes", known(t->nr_ptes), t->nr_ptes);
	json_klong_if(j, "nr_pmds", known(t->nr_pmds), t->nr_pmds);
	json_klong_if(j, "swapents", known(t->swapents), t->swapents);
	json_klong_if(j, "oom_adj", known(t->oom_adj), t->oom_adj);
	json_klong_if(j, "oom_score_adj", known(t->oom_score_adj), t->oom_score_adj);
	json_kstr(j, "comm", t->comm);
	json_obj_end(j);
}

/*
 * Writes one event as a JSON object; unknown values are null, as are the
 * workloads of the victim (told from task_memcg) and of the domain (from
 * oom_memcg) when the caller gives none.
 */
void logfmt_json(struct json *j, const struct klog_event *ev, bool with_tasks, const struct workload *victim,
		 const struct workload *domain_wl)
{
	long long rss_kib = logfmt_rss_kib(ev);
	char domain[KLOG_PATH_MAX];

	klog_event_domain(ev, domain, sizeof(domain));
	json_obj_begin(j);
	json_time(j, ev);
	json_kbool(j, "year_guessed", ev->time_sec != KLOG_NONE && ev->year_guessed);
	if (ev->uptime_usec == KLOG_NONE)
		json_knull(j, "uptime");
	else
		json_kdouble(j, "uptime", (double)ev->uptime_usec / 1e6, 6);
	/* before any text of the log's: killrec_parse_line() finds them in the first bytes of a line */
	json_klong_if(j, "kmsg_seq", known(ev->kmsg_seq), ev->kmsg_seq);
	json_ktext(j, "boot_id", ev->boot_id);
	json_ktext(j, "host", ev->host);
	json_ktext(j, "kernel", ev->kernel);
	json_klong_if(j, "pid", known(ev->pid), ev->pid);
	json_kstr(j, "comm", ev->comm);
	json_klong_if(j, "uid", known(ev->uid), ev->uid);
	json_klong_if(j, "oom_score_adj", known(ev->oom_score_adj), ev->oom_score_adj);
	json_klong_if(j, "oom_adj", known(ev->oom_adj), ev->oom_adj);
	json_klong_if(j, "total_vm_kib", known(ev->total_vm_kib), ev->total_vm_kib);
	json_klong_if(j, "anon_rss_kib", known(ev->anon_rss_kib), ev->anon_rss_kib);
	json_klong_if(j, "file_rss_kib", known(ev->file_rss_kib), ev->file_rss_kib);
	json_klong_if(j, "shmem_rss_kib", known(ev->shmem_rss_kib), ev->shmem_rss_kib);
	json_klong_if(j, "rss_kib", known(rss_kib), rss_kib);
	json_klong_if(j, "pgtables_kib", known(ev->pgtables_kib), ev->pgtables_kib);
	json_klong_if(j, "score", known(ev->score), ev->score);
	json_ktext(j, "message", ev->message);
	json_ktext(j, "constraint", ev->constraint);
	json_kstr(j, "domain", domain);
	json_ktext(j, "cpuset", ev->cpuset);
	json_ktext(j, "oom_memcg", ev->oom_memcg);
	json_ktext(j, "task_memcg", ev->task_memcg);
	json_ktext(j, "oom_group", ev->oom_group);
	topfmt_workload_json(j, "workload", victim);
	topfmt_workload_json(j, "domain_workload", domain_wl);
	json_karr_begin(j, "members");
	for (size_t i = 0; i < ev->nmembers; i++) {
		json_obj_begin(j);
		json_klong_if(j, "pid", known(ev->members[i].pid), ev->members[i].pid);
		json_kstr(j, "comm", ev->members[i].comm);
		json_klong_if(j, "uid", known(ev->members[i].uid), ev->members[i].uid);
		json_klong_if(j, "rss_kib", known(ev->members[i].rss_kib), ev->members[i].rss_kib);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kulong(j, "members_dropped", ev->members_dropped);
	json_klong_if(j, "memcg_usage_kib", known(ev->memcg_usage_kib), ev->memcg_usage_kib);
	json_klong_if(j, "memcg_limit_kib", known(ev->memcg_limit_kib), ev->memcg_limit_kib);
	json_ktext(j, "trigger_comm", ev->trigger_comm);
	json_klong_if(j, "trigger_pid", known(ev->trigger_pid), ev->trigger_pid);
	json_klong_if(j, "trigger_oom_score_adj", known(ev->trigger_oom_score_adj), ev->trigger_oom_score_adj);
	json_ktext(j, "gfp_mask", ev->gfp_mask);
	json_klong_if(j, "order", known(ev->order), ev->order);
	json_klong_if(j, "reaped_anon_rss_kib", known(ev->reaped_anon_kib), ev->reaped_anon_kib);
	json_klong_if(j, "reaped_file_rss_kib", known(ev->reaped_file_kib), ev->reaped_file_kib);
	json_klong_if(j, "reaped_shmem_rss_kib", known(ev->reaped_shmem_kib), ev->reaped_shmem_kib);
	if (with_tasks) {
		json_karr_begin(j, "tasks");
		for (size_t i = 0; i < ev->ntasks; i++)
			json_task(j, &ev->tasks[i]);
		json_arr_end(j);
		json_kulong(j, "tasks_dropped", ev->tasks_dropped);
	}
	json_obj_end(j);
}

/*
 * Appends the one-line summary of a kill (the journal's MESSAGE, the syslog
 * line), every text of the log's escaped, without a newline.
 */
void logfmt_line(struct strbuf *sb, const struct klog_event *ev)
{
	char domain[KLOG_PATH_MAX], rss[16];
	long long rss_kib = logfmt_rss_kib(ev);

	klog_event_domain(ev, domain, sizeof(domain));
	sb_adds(sb, "OOM kill: ");
	if (ev->pid != KLOG_NONE)
		sb_addf(sb, "%lld ", ev->pid);
	sb_addc(sb, '(');
	out_escape(sb, ev->comm, strlen(ev->comm), true);
	sb_addc(sb, ')');
	if (ev->uid != KLOG_NONE)
		sb_addf(sb, " uid %lld", ev->uid);
	if (ev->oom_score_adj != KLOG_NONE)
		sb_addf(sb, " oom_score_adj %lld", ev->oom_score_adj);
	if (rss_kib != KLOG_NONE) {
		out_size_kib(rss, sizeof(rss), (unsigned long long)rss_kib);
		sb_addf(sb, " rss %s", rss);
	}
	sb_adds(sb, ", domain ");
	out_escape(sb, domain, strlen(domain), true);
	if (ev->trigger_comm[0]) {
		sb_adds(sb, ", triggered by ");
		out_escape(sb, ev->trigger_comm, strlen(ev->trigger_comm), true);
		if (ev->trigger_pid != KLOG_NONE)
			sb_addf(sb, " (%lld)", ev->trigger_pid);
	}
	if (ev->nmembers > 1 || ev->members_dropped)
		sb_addf(sb, ", memory.oom.group: %zu tasks killed", ev->nmembers + ev->members_dropped);
}

/* Appends one journal field of text from the log, escaped as logfmt_line() does (one printable line). */
static void journal_text(struct strbuf *sb, const char *key, const char *s)
{
	struct strbuf e = STRBUF_INIT;

	out_escape(&e, s, strlen(s), true);
	journal_field(sb, key, e.len ? e.buf : "", e.len);
	sb_free(&e);
}

/* Appends one journal field holding a number, nothing when the log did not give it. */
static void journal_num(struct strbuf *sb, const char *key, long long v)
{
	char buf[24];

	if (v == KLOG_NONE)
		return;
	snprintf(buf, sizeof(buf), "%lld", v);
	journal_field(sb, key, buf, strlen(buf));
}

/*
 * Appends the journal record of one kill: MESSAGE (logfmt_line()),
 * PRIORITY 4 (warning: the kernel logged it as an error; oomtop only
 * reports it), SYSLOG_IDENTIFIER, a MESSAGE_ID that finds every oomtop kill
 * record, and OOMTOP_* fields with the victim and its domain.  workload,
 * when not NULL, is OOMTOP_WORKLOAD (what the victim ran as: a unit, a pod).
 */
void logfmt_journal(struct strbuf *sb, const struct klog_event *ev, const char *workload)
{
	struct strbuf msg = STRBUF_INIT;
	char domain[KLOG_PATH_MAX];

	logfmt_line(&msg, ev);
	journal_field(sb, "MESSAGE", sb_str(&msg), msg.len);
	sb_free(&msg);
	journal_field(sb, "PRIORITY", "4", 1);
	journal_field(sb, "SYSLOG_IDENTIFIER", "oomtop", 6);
	journal_field(sb, "MESSAGE_ID", LOGFMT_MESSAGE_ID, strlen(LOGFMT_MESSAGE_ID));
	journal_num(sb, "OOMTOP_VICTIM_PID", ev->pid);
	journal_text(sb, "OOMTOP_VICTIM_COMM", ev->comm);
	journal_num(sb, "OOMTOP_VICTIM_UID", ev->uid);
	journal_num(sb, "OOMTOP_VICTIM_OOM_SCORE_ADJ", ev->oom_score_adj);
	journal_num(sb, "OOMTOP_VICTIM_RSS_KIB", logfmt_rss_kib(ev));
	if (workload)
		journal_text(sb, "OOMTOP_WORKLOAD", workload);
	klog_event_domain(ev, domain, sizeof(domain));
	journal_text(sb, "OOMTOP_DOMAIN", domain);
	journal_num(sb, "OOMTOP_KMSG_SEQ", ev->kmsg_seq);
}

/* Writes one tally table under key, each name under name_key. */
static void json_tally(struct json *j, const char *key, const char *name_key, const struct logfmt_tally *t, size_t n)
{
	json_karr_begin(j, key);
	for (size_t i = 0; i < n; i++) {
		json_obj_begin(j);
		json_kstr(j, name_key, t[i].name);
		json_kulong(j, "kills", t[i].count);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* Writes the counters of one memory cgroup, null where its cgroup version has none. */
static void json_counters(struct json *j, const struct oomcount_cg *g)
{
	json_obj_begin(j);
	json_kstr(j, "path", g->path);
	json_klong(j, "version", g->version);
	json_klong_if(j, "oom", g->oom >= 0, g->oom);
	json_klong_if(j, "oom_kill", g->oom_kill >= 0, g->oom_kill);
	json_klong_if(j, "oom_group_kill", g->oom_group_kill >= 0, g->oom_group_kill);
	json_klong_if(j, "under_oom", g->under_oom >= 0, g->under_oom);
	json_klong_if(j, "oom_kill_disable", g->oom_kill_disable >= 0, g->oom_kill_disable);
	json_obj_end(j);
}

/* Appends `log --summary --json`: one object and a newline. */
void logfmt_summary_json(struct strbuf *sb, const struct logfmt_summary *sum)
{
	const struct oomcount *c = sum->counters;
	struct json j;

	json_init(&j, sb);
	json_obj_begin(&j);
	json_kulong(&j, "kills", sum->kills);
	json_tally(&j, "by_comm", "comm", sum->by_comm, sum->n_comm);
	json_tally(&j, "by_domain", "domain", sum->by_domain, sum->n_domain);
	json_tally(&j, "by_workload", "workload", sum->by_workload, sum->n_workload);
	json_kulong_if(&j, "vmstat_oom_kill", c && c->have_vmstat, c ? c->vmstat_oom_kill : 0);
	if (c) {
		json_karr_begin(&j, "cgroups");
		for (size_t i = 0; i < c->n; i++)
			json_counters(&j, &c->cgs[i]);
		json_arr_end(&j);
	} else {
		json_knull(&j, "cgroups");
	}
	json_obj_end(&j);
	sb_addc(sb, '\n');
}

/* Appends one tally table as text: count, then the name escaped. */
static void text_tally(struct strbuf *sb, const struct logfmt_tally *t, size_t n, bool utf8)
{
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "%7lu ", t[i].count);
		out_escape(sb, t[i].name, strlen(t[i].name), utf8);
		sb_addc(sb, '\n');
	}
}

/* Appends the kernel's own OOM counters on this machine. */
static void text_counters(struct strbuf *sb, const struct oomcount *c, bool utf8)
{
	sb_adds(sb, "\nThe kernel's counters on this machine (since boot; they count kills the log may have lost):\n");
	if (c->have_vmstat)
		sb_addf(sb, "  /proc/vmstat oom_kill %lu\n", c->vmstat_oom_kill);
	else
		sb_adds(sb, "  /proc/vmstat has no oom_kill (kernels before 4.13)\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct oomcount_cg *g = &c->cgs[i];
		/* a delegated user names its own cgroups: the path is escaped like a process name */
		sb_adds(sb, "  ");
		out_escape(sb, g->path, strlen(g->path), utf8);
		if (g->version == 2)
			sb_addf(sb, "/memory.events: oom %lld, oom_kill %lld, oom_group_kill %lld\n", g->oom,
				g->oom_kill, g->oom_group_kill);
		else
			sb_addf(sb, "/memory.oom_control: oom_kill %lld, under_oom %lld, oom_kill_disable %lld\n",
				g->oom_kill, g->under_oom, g->oom_kill_disable);
	}
	if (c->n == 0)
		sb_addf(sb, "  no memory cgroup%s%s%s has counted an OOM kill\n", c->v1_root ? " under " : "",
			c->v1_root ? c->v1_root : "",
			c->v2_root ? (c->v1_root ? " or the v2 hierarchy" : " under the v2 hierarchy") : "");
}

/* Appends `log --summary`: the kill count, the tallies, and the counters when there are some. */
void logfmt_summary_text(struct strbuf *sb, const struct logfmt_summary *sum, bool utf8)
{
	sb_addf(sb, "%lu OOM kill%s in the log\n", sum->kills, sum->kills == 1 ? "" : "s");
	if (sum->n_comm) {
		sb_adds(sb, "\n  KILLS PROCESS NAME\n");
		text_tally(sb, sum->by_comm, sum->n_comm, utf8);
		sb_adds(sb, "\n  KILLS DOMAIN (the cgroup whose limit was hit, or global; \"memcg (no path)\": a "
			    "memory cgroup the log does not name; \"(unknown)\": the log does not say)\n");
		text_tally(sb, sum->by_domain, sum->n_domain, utf8);
		sb_adds(sb, "\n  KILLS WORKLOAD (the victim's, from its cgroup: KIND NAME; \"(unknown)\": the log does "
			    "not name the cgroup)\n");
		text_tally(sb, sum->by_workload, sum->n_workload, utf8);
	}
	if (sum->counters)
		text_counters(sb, sum->counters, utf8);
}

/* Reads a relative time "N[smhdw]" (after '-' or before " ago") as seconds; 0 or -EINVAL. */
static int parse_ago(const char *s, size_t len, long long *secs)
{
	long long n = 0, unit;
	size_t i = 0;

	while (i < len && isdigit((unsigned char)s[i]) && n < 100000000LL)
		n = n * 10 + (s[i++] - '0');
	if (i == 0 || i + 1 != len)
		return -EINVAL;
	switch (s[i]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'w':
		unit = 7LL * 86400;
		break;
	default:
		return -EINVAL;
	}
	*secs = n * unit;
	return 0;
}

/*
 * Reads a --since TIME: "YYYY-MM-DD[ HH:MM[:SS]]" (also with 'T'), "HH:MM[:SS]"
 * (today), "today", "yesterday", "-2h" / "2h ago" (s, m, h, d, w) or
 * "@EPOCH"; local time.  Returns 0 with epoch seconds in *out, or -EINVAL.
 */
int logfmt_parse_since(const char *s, long long now, long long *out)
{
	struct tm tm, today, back;
	time_t nt = (time_t)now, t;
	long long secs;
	size_t len = strlen(s);
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	bool strict = true; /* the fields must come back from mktime as given */
	char c;

	if (len == 0 || len > 64)
		return -EINVAL;
	if (s[0] == '@') {
		char *end;
		errno = 0;
		long long v = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end || errno)
			return -EINVAL;
		*out = v;
		return 0;
	}
	if (s[0] == '-' && parse_ago(s + 1, len - 1, &secs) == 0) {
		*out = now - secs;
		return 0;
	}
	if (len > 4 && strcmp(s + len - 4, " ago") == 0 && parse_ago(s, len - 4, &secs) == 0) {
		*out = now - secs;
		return 0;
	}
	if (!localtime_r(&nt, &today))
		return -EINVAL;
	memset(&tm, 0, sizeof(tm));
	/* NOLINTBEGIN(cert-err34-c): the widths (%4d, %2d) bound every number, %n checks what follows */
	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		tm.tm_year = today.tm_year;
		tm.tm_mon = today.tm_mon;
		tm.tm_mday = today.tm_mday - (s[0] == 'y');
		strict = false; /* the day before the 1st is the last of the month before */
	} else if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
		if (s[n] && (s[n] == ' ' || s[n] == 'T')) {
			int m2 = 0;
			if (sscanf(s + n + 1, "%2d:%2d%n", &h, &mi, &m2) != 2)
				return -EINVAL;
			n += 1 + m2;
			if (s[n] == ':') {
				int m3 = 0;
				if (sscanf(s + n + 1, "%2d%n", &se, &m3) != 1)
					return -EINVAL;
				n += 1 + m3;
			}
		}
		if (s[n] || mo < 1 || mo > 12 || d < 1 || d > 31)
			return -EINVAL;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
	} else if (sscanf(s, "%2d:%2d%c", &h, &mi, &c) >= 2) {
		int m2 = 0;
		if (sscanf(s, "%2d:%2d%n", &h, &mi, &m2) != 2)
			return -EINVAL;
		if (s[m2] == ':') {
			int m3 = 0;
			if (sscanf(s + m2 + 1, "%2d%n", &se, &m3) != 1 || s[m2 + 1 + m3])
				return -EINVAL;
		} else if (s[m2]) {
			return -EINVAL;
		}
		tm.tm_year = today.tm_year;
		tm.tm_mon = today.tm_mon;
		tm.tm_mday = today.tm_mday;
	} else {
		return -EINVAL;
	}
	/* NOLINTEND(cert-err34-c) */
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
		return -EINVAL;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tm.tm_isdst = -1;
	/*
	 * mktime() normalizes "2026-02-30" to March 2 and a time skipped by a
	 * daylight-saving change to another hour: a date that does not come
	 * back as written does not exist.  A leap second (:60) is checked as :59.
	 */
	back = tm;
	back.tm_sec = se < 60 ? se : 59;
	if (strict) {
		struct tm chk = back;
		if (mktime(&chk) == (time_t)-1 || chk.tm_year != back.tm_year || chk.tm_mon != back.tm_mon ||
		    chk.tm_mday != back.tm_mday || chk.tm_hour != back.tm_hour || chk.tm_min != back.tm_min ||
		    chk.tm_sec != back.tm_sec)
			return -EINVAL;
	}
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	*out = (long long)t;
	return 0;
}
