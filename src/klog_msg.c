/*
 * Recognizers for the lines of an OOM report, one per printk format of
 * mm/oom_kill.c and mm/memcontrol.c from 2.6.32 to 6.x.  Each takes the
 * NUL-terminated message (prefixes already removed) and fills a struct.
 */
#include <ctype.h>
#include <string.h>

#include "klog_msg.h"

/* Copies at most n bytes of s into dst (size dstsz), always terminated. */
static void copy_n(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Returns the last occurrence of needle in [s, end), or NULL. */
static const char *last_in(const char *s, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	const char *found = NULL;

	if (end < s || (size_t)(end - s) < n)
		return NULL;
	for (const char *p = s; p + n <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p || p + n > end)
			break;
		if (memcmp(p, needle, n) == 0)
			found = p;
	}
	return found;
}

/* Reads an optionally signed decimal after optional spaces; advances *p. */
static bool num(const char **p, long long *v)
{
	const char *s = *p;
	long long x = 0;
	int sign = 1, n = 0;

	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+') {
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	while (isdigit((unsigned char)*s)) {
		if (n < 18)
			x = x * 10 + (*s - '0');
		n++;
		s++;
	}
	if (n == 0)
		return false;
	*v = sign * x;
	*p = s;
	return true;
}

/* Reads the number after key in s (e.g. "order="), or leaves *v alone; returns whether found. */
static bool num_after(const char *s, const char *key, long long *v)
{
	const char *p = strstr(s, key);

	if (!p)
		return false;
	p += strlen(key);
	return num(&p, v);
}

/* Reads a "NkB" size after key (e.g. "anon-rss:"); returns whether found. */
static bool kib_after(const char *s, const char *key, long long *v)
{
	return num_after(s, key, v);
}

/* "COMM invoked oom-killer: gfp_mask=..., order=N, [oom_adj=N, ]oom_score_adj=N" (dump_header). */
static bool parse_invoked(const char *m, struct klog_msg *out)
{
	const char *at = strstr(m, " invoked oom-killer:");
	const char *g, *e;

	if (!at)
		return false;
	out->kind = KM_INVOKED;
	copy_n(out->comm, sizeof(out->comm), m, (size_t)(at - m));
	g = strstr(at, "gfp_mask=");
	if (g) {
		g += 9;
		e = g;
		while (*e && *e != ',' && *e != ' ')
			e++;
		copy_n(out->gfp_mask, sizeof(out->gfp_mask), g, (size_t)(e - g));
	}
	num_after(at, "order=", &out->order);
	num_after(at, "oom_score_adj=", &out->oom_score_adj);
	num_after(at, " oom_adj=", &out->oom_adj);
	return true;
}

/* Reads the kernel release after "Not tainted"/"Tainted: G  W" of a dump_stack line. */
static void release_after_taint(const char *m, char *out, size_t outsz)
{
	const char *p = strstr(m, "ainted");

	if (!p)
		return;
	p += 6;
	if (*p == ':')
		p++;
	while (*p) {
		const char *start;
		while (*p == ' ')
			p++;
		start = p;
		while (*p && *p != ' ')
			p++;
		if (isdigit((unsigned char)*start) && memchr(start, '.', (size_t)(p - start))) {
			copy_n(out, outsz, start, (size_t)(p - start));
			return;
		}
	}
}

/*
 * The dump_stack identification line: "CPU: N [UID: N ]PID: N Comm: NAME
 * Not tainted REL ..." (3.x+) or "Pid: N, comm: NAME Not tainted REL" (2.6).
 */
static bool parse_cpu(const char *m, struct klog_msg *out)
{
	const char *p;

	if (strncmp(m, "CPU: ", 5) == 0 && (p = strstr(m, " PID: ")) != NULL && strstr(p, " Comm: ")) {
		p += 6;
	} else if (strncmp(m, "Pid: ", 5) == 0 && strstr(m, ", comm: ")) {
		p = m + 5;
	} else {
		return false;
	}
	if (!num(&p, &out->pid))
		return false;
	out->kind = KM_CPU;
	p = strstr(p, "omm: ");
	if (p) {
		const char *e;
		p += 5;
		e = strstr(p, " Not tainted");
		if (!e)
			e = strstr(p, " Tainted:");
		if (!e)
			e = p + strcspn(p, " ");
		copy_n(out->comm, sizeof(out->comm), p, (size_t)(e - p));
	}
	release_after_taint(m, out->kernel, sizeof(out->kernel));
	return true;
}

/* "COMM cpuset=PATH mems_allowed=N" (dump_header before 4.19). */
static bool parse_cpuset(const char *m, struct klog_msg *out)
{
	const char *c = strstr(m, " cpuset=");
	const char *ma;

	if (!c || !(ma = strstr(c, " mems_allowed=")))
		return false;
	out->kind = KM_CPUSET;
	copy_n(out->comm, sizeof(out->comm), m, (size_t)(c - m));
	copy_n(out->path, sizeof(out->path), c + 8, (size_t)(ma - (c + 8)));
	return true;
}

/* "Task in /a/b killed as a result of limit of /a" (mm/memcontrol.c, 2.6.29 to 4.18). */
static bool parse_task_in(const char *m, struct klog_msg *out)
{
	const char *k;

	if (strncmp(m, "Task in ", 8) != 0 || !(k = strstr(m, " killed as a result of limit of ")))
		return false;
	out->kind = KM_TASK_IN;
	copy_n(out->path2, sizeof(out->path2), m + 8, (size_t)(k - (m + 8)));
	k += strlen(" killed as a result of limit of ");
	copy_n(out->path, sizeof(out->path), k, strlen(k));
	return true;
}

/* "memory: usage NkB, limit NkB, failcnt N" (mm/memcontrol.c). */
static bool parse_memcg_usage(const char *m, struct klog_msg *out)
{
	const char *p = m + 14;

	if (strncmp(m, "memory: usage ", 14) != 0 || !num(&p, &out->usage_kib))
		return false;
	out->kind = KM_MEMCG_USAGE;
	kib_after(p, "limit ", &out->limit_kib);
	num_after(p, "failcnt ", &out->failcnt);
	return true;
}

/* Maps a column name of the task table header to its field. */
static enum klog_col col_named(const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum klog_col col;
	} cols[] = {
		{ "pid", COL_PID },
		{ "uid", COL_UID },
		{ "tgid", COL_TGID },
		{ "total_vm", COL_TOTAL_VM },
		{ "rss", COL_RSS },
		{ "rss_anon", COL_RSS_ANON },
		{ "rss_file", COL_RSS_FILE },
		{ "rss_shmem", COL_RSS_SHMEM },
		{ "pgtables_bytes", COL_PGTABLES_BYTES },
		{ "nr_ptes", COL_NR_PTES },
		{ "nr_pmds", COL_NR_PMDS },
		{ "swapents", COL_SWAPENTS },
		{ "cpu", COL_CPU },
		{ "oom_adj", COL_OOM_ADJ },
		{ "oom_score_adj", COL_OOM_SCORE_ADJ },
		{ "name", COL_NAME },
	};

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (strlen(cols[i].name) == n && memcmp(cols[i].name, s, n) == 0)
			return cols[i].col;
	return COL_OTHER;
}

/*
 * The task table's header in any of its layouts: "[ pid ]   uid  tgid
 * total_vm      rss cpu oom_adj name" (2.6.32) to "[  pid  ]   uid  tgid
 * total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents
 * oom_score_adj name" (6.8+).  The columns are read from the header itself.
 */
static bool parse_table_header(const char *m, struct klog_msg *out)
{
	const char *p = m;
	int n = 0;

	if (*p != '[' || !strstr(m, " uid ") || !strstr(m, "total_vm"))
		return false;
	while (*p) {
		const char *s;
		while (*p == ' ' || *p == '[' || *p == ']')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != ' ' && *p != '[' && *p != ']')
			p++;
		if (n == KLOG_COLS_MAX)
			return false;
		out->cols[n++] = col_named(s, (size_t)(p - s));
	}
	if (n < 3 || out->cols[0] != COL_PID || out->cols[n - 1] != COL_NAME)
		return false;
	out->ncols = n;
	out->kind = KM_TABLE_HEADER;
	return true;
}

/* Stores one value of a task-table row in the field of its column. */
static void set_col(struct klog_task *t, enum klog_col col, long long v)
{
	switch (col) {
	case COL_PID:
		t->pid = v;
		break;
	case COL_UID:
		t->uid = v;
		break;
	case COL_TGID:
		t->tgid = v;
		break;
	case COL_TOTAL_VM:
		t->total_vm = v;
		break;
	case COL_RSS:
		t->rss = v;
		break;
	case COL_RSS_ANON:
		t->rss_anon = v;
		break;
	case COL_RSS_FILE:
		t->rss_file = v;
		break;
	case COL_RSS_SHMEM:
		t->rss_shmem = v;
		break;
	case COL_PGTABLES_BYTES:
		t->pgtables_bytes = v;
		break;
	case COL_NR_PTES:
		t->nr_ptes = v;
		break;
	case COL_NR_PMDS:
		t->nr_pmds = v;
		break;
	case COL_SWAPENTS:
		t->swapents = v;
		break;
	case COL_CPU:
		t->cpu = v;
		break;
	case COL_OOM_ADJ:
		t->oom_adj = v;
		break;
	case COL_OOM_SCORE_ADJ:
		t->oom_score_adj = v;
		break;
	case COL_NAME:
	case COL_OTHER:
		break;
	}
}

/* Marks every field of a task row unknown. */
void klog_task_clear(struct klog_task *t)
{
	t->pid = t->uid = t->tgid = t->total_vm = t->rss = KLOG_NONE;
	t->rss_anon = t->rss_file = t->rss_shmem = t->pgtables_bytes = KLOG_NONE;
	t->nr_ptes = t->nr_pmds = t->swapents = t->cpu = t->oom_adj = t->oom_score_adj = KLOG_NONE;
	t->comm[0] = '\0';
}

/* One row of the task table, read with the columns of its header: "[ 1234]     0  1234 ... name". */
int klog_parse_table_row(const char *m, const enum klog_col *cols, int ncols, struct klog_task *t)
{
	const char *p = m;
	long long v;

	klog_task_clear(t);
	if (*p != '[')
		return -1;
	p++;
	if (!num(&p, &v) || *p != ']')
		return -1;
	p++;
	t->pid = v;
	for (int i = 1; i < ncols - 1; i++) {
		if (*p != ' ' || !num(&p, &v))
			return -1;
		set_col(t, cols[i], v);
	}
	if (*p != ' ')
		return -1;
	p++;
	copy_n(t->comm, sizeof(t->comm), p, strlen(p));
	return 0;
}

/* Copies the value of "key" in an oom-kill: line, up to the next of the later keys. */
static void summary_value(const char *s, const char *end, const char *key, char *dst, size_t dstsz,
			  const char *const *next_keys)
{
	const char *p = strstr(s, key), *stop = end;

	if (!p || p >= end)
		return;
	p += strlen(key);
	for (; *next_keys; next_keys++) {
		const char *q = strstr(p, *next_keys);
		if (q && q < stop)
			stop = q;
	}
	copy_n(dst, dstsz, p, (size_t)(stop - p));
}

/*
 * "oom-kill:constraint=C,nodemask=N[,cpuset=P,mems_allowed=M][,oom_memcg=P|
 * ,global_oom][,task_memcg=P],task=NAME,pid=N,uid=N" (dump_oom_summary,
 * 4.19+; the order of the fields is fixed, and values may hold commas).
 */
static bool parse_summary(const char *m, struct klog_msg *out)
{
	static const char *const after_cpuset[] = { ",mems_allowed=", NULL };
	static const char *const after_nodemask[] = { ",cpuset=", ",oom_memcg=", ",global_oom", ",task_memcg=", NULL };
	static const char *const after_memcg[] = { ",task_memcg=", NULL };
	static const char *const none[] = { NULL };
	const char *s, *end = m + strlen(m), *task, *pid, *uid;

	if (strncmp(m, "oom-kill:", 9) != 0)
		return false;
	s = m + 9;
	out->kind = KM_SUMMARY;
	uid = last_in(s, end, ",uid=");
	pid = last_in(s, uid ? uid : end, ",pid=");
	task = last_in(s, pid ? pid : end, ",task=");
	if (task && pid) {
		copy_n(out->comm, sizeof(out->comm), task + 6, (size_t)(pid - (task + 6)));
		const char *p = pid + 5;
		num(&p, &out->pid);
		if (uid) {
			p = uid + 5;
			num(&p, &out->uid);
		}
		end = task;
	}
	summary_value(s, end, "constraint=", out->word, sizeof(out->word), (const char *const[]){ ",nodemask=", NULL });
	summary_value(s, end, ",nodemask=", out->word2, sizeof(out->word2), after_nodemask);
	summary_value(s, end, ",cpuset=", out->path3, sizeof(out->path3), after_cpuset);
	summary_value(s, end, ",oom_memcg=", out->path, sizeof(out->path), after_memcg);
	summary_value(s, end, ",task_memcg=", out->path2, sizeof(out->path2), none);
	out->global_oom = strstr(s, ",global_oom") && strstr(s, ",global_oom") < end;
	return true;
}

/* Copies the message prefix before ": " at cut (e.g. "Memory cgroup out of memory"). */
static void prefix_before(const char *m, const char *cut, char *dst, size_t dstsz)
{
	const char *e = cut;

	while (e > m && (e[-1] == ' ' || e[-1] == ':'))
		e--;
	copy_n(dst, dstsz, m, (size_t)(e - m));
}

/*
 * "PREFIX: Kill process N (NAME) score S or sacrifice child" (2.6.36 to
 * 5.0), "PREFIX: kill process N (NAME) score S or a child" (2.6.32) and
 * "Kill process N (NAME) sharing same memory" (2.6.36 to 4.x).
 */
static bool parse_kill_chosen(const char *m, struct klog_msg *out)
{
	const char *k = strstr(m, "ill process ");
	const char *p, *open, *close;

	if (!k || k == m || (k[-1] != 'K' && k[-1] != 'k'))
		return false;
	p = k + 12;
	if (!num(&p, &out->pid))
		return false;
	while (*p == ' ')
		p++;
	if (*p != '(')
		return false;
	open = p + 1;
	if ((close = last_in(open, open + strlen(open), ") sharing same memory")) != NULL) {
		out->kind = KM_KILL_SHARING;
	} else if ((close = last_in(open, open + strlen(open), ") score ")) != NULL ||
		   (close = last_in(open, open + strlen(open), ") with score ")) != NULL) {
		const char *s = strstr(close, "score ") + 6;
		num(&s, &out->score);
		out->kind = KM_KILL_CHOSEN;
		prefix_before(m, k - 1, out->word, sizeof(out->word));
	} else {
		return false;
	}
	copy_n(out->comm, sizeof(out->comm), open, (size_t)(close - open));
	return true;
}

/*
 * "[PREFIX: ]Killed process N (NAME) total-vm:NkB, anon-rss:NkB,
 * file-rss:NkB[, shmem-rss:NkB][, UID:N pgtables:NkB oom_score_adj:N]"
 * (__oom_kill_process, 2.6.36+; prefix since 5.1), the RHEL 6 form
 * "Killed process N, UID N, (NAME) total-vm:...", 2.6.33's "vsz:" and the
 * bare "Killed process N (NAME)" of 2.6.32.
 */
static bool parse_killed(const char *m, struct klog_msg *out)
{
	const char *k = strstr(m, "Killed process ");
	const char *p, *open, *close, *end = m + strlen(m), *rest;

	if (!k)
		return false;
	p = k + 15;
	if (!num(&p, &out->pid))
		return false;
	if (p[0] == ':' && p[1] == '#') { /* OpenVZ/vserver kernels: "N:#XID" */
		long long xid;
		p += 2;
		num(&p, &xid);
	}
	if (strncmp(p, ", UID ", 6) == 0) { /* RHEL 6 */
		p += 6;
		num(&p, &out->uid);
		if (*p == ',')
			p++;
	}
	while (*p == ' ')
		p++;
	if (*p != '(')
		return false;
	open = p + 1;
	close = last_in(open, end, ") total-vm:");
	if (!close)
		close = last_in(open, end, ") vsz:");
	if (!close)
		close = last_in(open, end, ")");
	if (!close)
		return false;
	out->kind = KM_KILLED;
	copy_n(out->comm, sizeof(out->comm), open, (size_t)(close - open));
	rest = close + 1;
	if (!kib_after(rest, "total-vm:", &out->total_vm_kib))
		kib_after(rest, "vsz:", &out->total_vm_kib);
	kib_after(rest, "anon-rss:", &out->anon_kib);
	kib_after(rest, "file-rss:", &out->file_kib);
	kib_after(rest, "shmem-rss:", &out->shmem_kib);
	num_after(rest, "UID:", &out->uid);
	kib_after(rest, "pgtables:", &out->pgtables_kib);
	num_after(rest, "oom_score_adj:", &out->oom_score_adj);
	if (k > m)
		prefix_before(m, k, out->word, sizeof(out->word));
	return true;
}

/* "oom_reaper: reaped process N (NAME), now anon-rss:NkB, file-rss:NkB, shmem-rss:NkB" (4.6+). */
static bool parse_reaped(const char *m, struct klog_msg *out)
{
	const char *p, *close;

	if (strncmp(m, "oom_reaper: reaped process ", 27) != 0)
		return false;
	p = m + 27;
	if (!num(&p, &out->pid) || strncmp(p, " (", 2) != 0)
		return false;
	close = last_in(p + 2, p + strlen(p), "), now ");
	if (!close)
		return false;
	out->kind = KM_REAPED;
	copy_n(out->comm, sizeof(out->comm), p + 2, (size_t)(close - (p + 2)));
	kib_after(close, "anon-rss:", &out->anon_kib);
	kib_after(close, "file-rss:", &out->file_kib);
	kib_after(close, "shmem-rss:", &out->shmem_kib);
	return true;
}

/* "Tasks in PATH are going to be killed due to memory.oom.group set" (4.19+). */
static bool parse_group(const char *m, struct klog_msg *out)
{
	const char *e;

	if (strncmp(m, "Tasks in ", 9) != 0 || !(e = strstr(m, " are going to be killed due to memory.oom.group set")))
		return false;
	out->kind = KM_GROUP;
	copy_n(out->path, sizeof(out->path), m + 9, (size_t)(e - (m + 9)));
	return true;
}

/* Classifies one kernel message (NUL-terminated) and reads its fields into out. */
void klog_parse_msg(const char *m, struct klog_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = out->uid = out->order = out->oom_score_adj = out->oom_adj = out->score = KLOG_NONE;
	out->total_vm_kib = out->anon_kib = out->file_kib = out->shmem_kib = out->pgtables_kib = KLOG_NONE;
	out->usage_kib = out->limit_kib = out->failcnt = KLOG_NONE;
	out->kind = KM_NONE;

	switch (m[0]) {
	case '[':
		if (parse_table_header(m, out))
			return;
		out->kind = KM_MAYBE_ROW;
		return;
	case 'T':
		if (strcmp(m, "Tasks state (memory values in pages):") == 0) {
			out->kind = KM_TASKS_STATE;
			return;
		}
		if (parse_task_in(m, out) || parse_group(m, out))
			return;
		break;
	case 'o':
		if (parse_summary(m, out) || parse_reaped(m, out))
			return;
		break;
	case 'm':
		if (parse_memcg_usage(m, out))
			return;
		break;
	case 'C':
	case 'P':
		if (parse_cpu(m, out))
			return;
		break;
	}
	if (parse_killed(m, out) || parse_kill_chosen(m, out) || parse_invoked(m, out) || parse_cpuset(m, out))
		return;
	out->kind = KM_NONE;
}
