/* The table and JSON of `oomtop log`, built from events without any I/O. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logfmt.h"
#include "out.h"

#define ROW_FMT "%-20s %7s %-15s %6s %7s %5s %-20s %s\n"
#define DOMAIN_WIDTH 20

/* Appends the column header line. */
void logfmt_header(struct strbuf *sb)
{
	sb_addf(sb, ROW_FMT, "TIME", "PID", "NAME", "UID", "RSS", "ADJ", "DOMAIN", "TRIGGERED BY");
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
 * logged only the legacy oom_adj, shown with a '*'.
 */
void logfmt_row(struct strbuf *sb, const struct klog_event *ev, bool utf8)
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

/* Writes a number, or null when the log did not hold it. */
static void json_num(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	if (v == KLOG_NONE)
		json_null(j);
	else
		json_long(j, v);
}

/* Writes a string, or null when empty. */
static void json_text(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s[0])
		json_str(j, s);
	else
		json_null(j);
}

/* Writes the event time as ISO 8601 with the local offset, or null. */
static void json_time(struct json *j, const struct klog_event *ev)
{
	char buf[64], off[8];
	struct tm tm;
	time_t t;

	json_key(j, "time");
	if (ev->time_sec == KLOG_NONE) {
		json_null(j);
		return;
	}
	t = (time_t)ev->time_sec;
	if (!localtime_r(&t, &tm) || strftime(off, sizeof(off), "%z", &tm) != 5) {
		json_null(j);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%06ld%.3s:%s", ev->time_usec, off, off + 3);
	json_str(j, buf);
}

/* Writes one row of the task table. */
static void json_task(struct json *j, const struct klog_task *t)
{
	json_obj_begin(j);
	json_num(j, "pid", t->pid);
	json_num(j, "uid", t->uid);
	json_num(j, "tgid", t->tgid);
	json_num(j, "total_vm_pages", t->total_vm);
	json_num(j, "rss_pages", t->rss);
	json_num(j, "rss_anon_pages", t->rss_anon);
	json_num(j, "rss_file_pages", t->rss_file);
	json_num(j, "rss_shmem_pages", t->rss_shmem);
	json_num(j, "pgtables_bytes", t->pgtables_bytes);
	json_num(j, "nr_ptes", t->nr_ptes);
	json_num(j, "nr_pmds", t->nr_pmds);
	json_num(j, "swapents", t->swapents);
	json_num(j, "oom_adj", t->oom_adj);
	json_num(j, "oom_score_adj", t->oom_score_adj);
	json_key(j, "comm");
	json_str(j, t->comm);
	json_obj_end(j);
}

/* Writes one event as a JSON object; unknown values are null. */
void logfmt_json(struct json *j, const struct klog_event *ev, bool with_tasks)
{
	char domain[KLOG_PATH_MAX];

	klog_event_domain(ev, domain, sizeof(domain));
	json_obj_begin(j);
	json_time(j, ev);
	json_key(j, "year_guessed");
	json_bool(j, ev->time_sec != KLOG_NONE && ev->year_guessed);
	json_key(j, "uptime");
	if (ev->uptime_usec == KLOG_NONE)
		json_null(j);
	else
		json_double(j, (double)ev->uptime_usec / 1e6, 6);
	json_text(j, "host", ev->host);
	json_text(j, "kernel", ev->kernel);
	json_num(j, "pid", ev->pid);
	json_key(j, "comm");
	json_str(j, ev->comm);
	json_num(j, "uid", ev->uid);
	json_num(j, "oom_score_adj", ev->oom_score_adj);
	json_num(j, "oom_adj", ev->oom_adj);
	json_num(j, "total_vm_kib", ev->total_vm_kib);
	json_num(j, "anon_rss_kib", ev->anon_rss_kib);
	json_num(j, "file_rss_kib", ev->file_rss_kib);
	json_num(j, "shmem_rss_kib", ev->shmem_rss_kib);
	json_num(j, "rss_kib", logfmt_rss_kib(ev));
	json_num(j, "pgtables_kib", ev->pgtables_kib);
	json_num(j, "score", ev->score);
	json_text(j, "message", ev->message);
	json_text(j, "constraint", ev->constraint);
	json_key(j, "domain");
	json_str(j, domain);
	json_text(j, "cpuset", ev->cpuset);
	json_text(j, "oom_memcg", ev->oom_memcg);
	json_text(j, "task_memcg", ev->task_memcg);
	json_text(j, "oom_group", ev->oom_group);
	json_key(j, "members");
	json_arr_begin(j);
	for (size_t i = 0; i < ev->nmembers; i++) {
		json_obj_begin(j);
		json_num(j, "pid", ev->members[i].pid);
		json_key(j, "comm");
		json_str(j, ev->members[i].comm);
		json_num(j, "uid", ev->members[i].uid);
		json_num(j, "rss_kib", ev->members[i].rss_kib);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "members_dropped");
	json_ulong(j, ev->members_dropped);
	json_num(j, "memcg_usage_kib", ev->memcg_usage_kib);
	json_num(j, "memcg_limit_kib", ev->memcg_limit_kib);
	json_text(j, "trigger_comm", ev->trigger_comm);
	json_num(j, "trigger_pid", ev->trigger_pid);
	json_num(j, "trigger_oom_score_adj", ev->trigger_oom_score_adj);
	json_text(j, "gfp_mask", ev->gfp_mask);
	json_num(j, "order", ev->order);
	json_num(j, "reaped_anon_rss_kib", ev->reaped_anon_kib);
	json_num(j, "reaped_file_rss_kib", ev->reaped_file_kib);
	json_num(j, "reaped_shmem_rss_kib", ev->reaped_shmem_kib);
	if (with_tasks) {
		json_key(j, "tasks");
		json_arr_begin(j);
		for (size_t i = 0; i < ev->ntasks; i++)
			json_task(j, &ev->tasks[i]);
		json_arr_end(j);
		json_key(j, "tasks_dropped");
		json_ulong(j, ev->tasks_dropped);
	}
	json_obj_end(j);
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
