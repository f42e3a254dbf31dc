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

/* Reads one or more decimal digits (the first 18 kept, no sign, no space) into *v; advances *p. */
static bool udigits(const char **p, long long *v)
{
	const char *s = *p;
	long long x = 0;
	int n = 0;

	while (isdigit((unsigned char)*s)) {
		if (n < 18)
			x = x * 10 + (*s - '0');
		n++;
		s++;
	}
	if (n == 0)
		return false;
	*v = x;
	*p = s;
	return true;
}

/* Reads an optionally signed decimal after optional spaces; advances *p. */
static bool num(const char **p, long long *v)
{
	const char *s = *p;
	long long x;
	int sign = 1;

	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+') {
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	if (!udigits(&s, &x))
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

/* Consumes the literal lit if *p is on it; returns whether it was. */
static bool lit(const char **p, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(*p, s, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Reads an optionally negative number as printk's %d/%hd writes it; advances *p. */
static bool sdigits(const char **p, long long *v)
{
	const char *s = *p;
	bool neg = lit(&s, "-");

	if (!udigits(&s, v))
		return false;
	if (neg)
		*v = -*v;
	*p = s;
	return true;
}

/* Reads "KEYNkB" at *p; advances *p. */
static bool kib_field(const char **p, const char *key, long long *v)
{
	const char *s = *p;

	if (!lit(&s, key) || !udigits(&s, v) || !lit(&s, "kB"))
		return false;
	*p = s;
	return true;
}

/*
 * The headlines the kernel puts before "Killed process" (5.1+, and 2.6.2x)
 * and before "Kill process" (2.6.x to 5.0): out_of_memory(),
 * mem_cgroup_out_of_memory() and the constrained cases of mm/oom_kill.c.
 */
static const char *const kill_headlines[] = {
	"Out of memory (oom_kill_allocating_task)",
	"Memory cgroup out of memory",
	"Out of memory",
	"Out of Memory",
	"No available memory (MPOL_BIND)",
	"No available memory in cpuset",
	NULL,
};

/* Returns the length of "HEADLINE: " when m starts with a kill headline followed by then, else 0. */
static size_t kill_headline(const char *m, const char *then)
{
	for (const char *const *h = kill_headlines; *h; h++) {
		size_t n = strlen(*h);
		if (strncmp(m, *h, n) == 0 && m[n] == ':' && m[n + 1] == ' ' &&
		    strncmp(m + n + 2, then, strlen(then)) == 0)
			return n + 2;
	}
	return 0;
}

/* Returns where " invoked oom-killer:" is in the first bytes of m (after a comm), or NULL. */
static const char *invoked_at(const char *m)
{
	static const char key[] = " invoked oom-killer:";

	return memmem(m, strnlen(m, KLOG_COMM_MAX + sizeof(key)), key, sizeof(key) - 1);
}

/*
 * Returns whether m begins one of the messages of an OOM report: what may
 * follow a message whose newline was lost (a report pasted into a web form).
 */
bool klog_msg_starts(const char *m)
{
	static const char *const starts[] = { "Killed process ",
					      "Kill process ",
					      "oom-kill:constraint=",
					      "Tasks in ",
					      "Task in ",
					      "memory: usage ",
					      "oom_reaper: reaped process ",
					      "Tasks state (memory values in pages):",
					      "CPU: ",
					      "Pid: ",
					      NULL };

	for (const char *const *s = starts; *s; s++)
		if (strncmp(m, *s, strlen(*s)) == 0)
			return true;
	return kill_headline(m, "Killed process ") || kill_headline(m, "Kill process ") ||
	       kill_headline(m, "kill process ") || invoked_at(m) != NULL;
}

/* Sets out->rest to e if another report message was run into this one at e. */
static void glued_at(const char *m, const char *e, struct klog_msg *out)
{
	if (*e && e > m && klog_msg_starts(e))
		out->rest = (size_t)(e - m);
}

/* "COMM invoked oom-killer: gfp_mask=..., order=N, [oom_adj=N, ]oom_score_adj=N" (dump_header). */
static bool parse_invoked(const char *m, struct klog_msg *out)
{
	const char *at = invoked_at(m);
	const char *g, *e, *last = NULL;
	long long v;

	if (!at || at == m)
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
	/* the last field ends the message: oom_score_adj= (2.6.36+), oomkilladj= (before 2.6.26) */
	if ((g = strstr(at, "oom_score_adj=")) != NULL || (g = strstr(at, "oomkilladj=")) != NULL) {
		last = strchr(g, '=') + 1;
		if (sdigits(&last, &v))
			glued_at(m, last, out);
	}
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
		/* the name ends at the taint, or at RHEL's " Kdump: loaded" before it */
		static const char *const ends[] = { " Kdump: ", " Not tainted", " Tainted:", NULL };
		e = NULL;
		for (const char *const *x = ends; *x; x++) {
			const char *f = strstr(p, *x);
			if (f && (!e || f < e))
				e = f;
		}
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
	const char *c = memmem(m, strnlen(m, KLOG_COMM_MAX + 8), " cpuset=", 8);
	const char *ma;

	if (!c || c == m || !(ma = strstr(c, " mems_allowed=")))
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
	if (num_after(p, "failcnt ", &out->failcnt)) {
		const char *e = strstr(p, "failcnt ") + 8;
		long long v;
		if (udigits(&e, &v))
			glued_at(m, e, out);
	}
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
 * The message ends after the uid's digits: the first ",uid=N" followed by
 * the end or by another report message run into it.
 */
static bool parse_summary(const char *m, struct klog_msg *out)
{
	static const char *const after_cpuset[] = { ",mems_allowed=", NULL };
	static const char *const after_nodemask[] = { ",cpuset=", ",oom_memcg=", ",global_oom", ",task_memcg=", NULL };
	static const char *const after_memcg[] = { ",task_memcg=", NULL };
	static const char *const none[] = { NULL };
	const char *s, *end = m + strlen(m), *task, *pid, *uid = NULL, *stop = NULL;

	if (strncmp(m, "oom-kill:constraint=", 20) != 0)
		return false;
	s = m + 9;
	out->kind = KM_SUMMARY;
	for (const char *u = strstr(s, ",uid="); u; u = strstr(u + 1, ",uid=")) {
		const char *e = u + 5;
		long long v;
		if (udigits(&e, &v) && (!*e || klog_msg_starts(e))) {
			uid = u;
			stop = e;
			break;
		}
	}
	if (!uid)
		uid = last_in(s, end, ",uid=");
	else
		glued_at(m, stop, out);
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
 * "HEADLINE: Kill process N (NAME) score S or sacrifice child" (2.6.36 to
 * 5.0), "HEADLINE: kill process N (NAME) score S or a child" (2.6.32),
 * "Out of Memory: Kill process N (NAME) score S and children." (before
 * 2.6.24) and "Kill process N (NAME) sharing same memory" (2.6.36 to 4.x).
 */
static bool parse_kill_chosen(const char *m, struct klog_msg *out)
{
	static const char *const tails[] = { " or sacrifice child", " or a child", " and children.", NULL };
	size_t h = kill_headline(m, "Kill process ");
	const char *p, *open, *close;

	if (!h)
		h = kill_headline(m, "kill process ");
	if (h)
		p = m + h + 13;
	else if (strncmp(m, "Kill process ", 13) == 0)
		p = m + 13;
	else
		return false;
	if (!udigits(&p, &out->pid))
		return false;
	while (*p == ' ')
		p++;
	if (*p != '(')
		return false;
	open = p + 1;
	if (!h && (close = last_in(open, open + strlen(open), ") sharing same memory")) != NULL) {
		out->kind = KM_KILL_SHARING;
		glued_at(m, close + 21, out);
	} else if (h && ((close = last_in(open, open + strlen(open), ") score ")) != NULL ||
			 (close = last_in(open, open + strlen(open), ") with score ")) != NULL)) {
		const char *s = strstr(close, "score ") + 6;
		if (sdigits(&s, &out->score))
			for (const char *const *t = tails; *t; t++)
				if (lit(&s, *t)) {
					glued_at(m, s, out);
					break;
				}
		out->kind = KM_KILL_CHOSEN;
		prefix_before(m, m + h, out->word, sizeof(out->word));
	} else {
		return false;
	}
	copy_n(out->comm, sizeof(out->comm), open, (size_t)(close - open));
	return true;
}

/* The shapes of the kill line after its "(NAME)", one per kernel generation (mm/oom_kill.c). */
enum kill_gen {
	GEN_BARE,     /* "Killed process N (NAME)", 2.6.24 to 2.6.32 */
	GEN_DOT,      /* "HEADLINE: Killed process N (NAME).", before 2.6.24 */
	GEN_VSZ,      /* " vsz:NkB, anon-rss:NkB, file-rss:NkB", 2.6.33 to 2.6.35 */
	GEN_TOTAL,    /* " total-vm:NkB, anon-rss:NkB, file-rss:NkB", 2.6.36 to 4.4 */
	GEN_SHMEM,    /* GEN_TOTAL ", shmem-rss:NkB", 4.5 to 5.2 (with a headline since 5.1) */
	GEN_PGTABLES, /* GEN_SHMEM ", UID:N pgtables:NkB oom_score_adj:N", 5.3+ */
	GEN_RHEL7,    /* "), UID N, total-vm:NkB, ..., shmem-rss:NkB", RHEL/CentOS 7.4+ */
};

/* The numbers of a kill line's tail. */
struct kill_fields {
	long long uid, total_vm, anon, file, shmem, pgtables, adj;
};

/* Marks every number of a kill line's tail unknown. */
static void kill_fields_clear(struct kill_fields *f)
{
	f->uid = f->total_vm = f->anon = f->file = f->shmem = f->pgtables = f->adj = KLOG_NONE;
}

/* Reads the tail of a kill line at t in the longest shape it has; returns where that shape ends. */
static const char *kill_tail(const char *t, struct kill_fields *f, enum kill_gen *gen)
{
	const char *p = t, *q;
	bool rhel7 = false;
	long long uid = KLOG_NONE;

	kill_fields_clear(f);
	*gen = GEN_BARE;
	if (*p == '.') {
		*gen = GEN_DOT;
		return p + 1;
	}
	if (lit(&p, ", UID ") && udigits(&p, &uid) && lit(&p, ","))
		rhel7 = true;
	else
		p = t;
	q = p;
	if (!rhel7 && kib_field(&q, " vsz:", &f->total_vm) && kib_field(&q, ", anon-rss:", &f->anon) &&
	    kib_field(&q, ", file-rss:", &f->file)) {
		*gen = GEN_VSZ;
		return q;
	}
	q = p;
	if (!kib_field(&q, " total-vm:", &f->total_vm) || !kib_field(&q, ", anon-rss:", &f->anon) ||
	    !kib_field(&q, ", file-rss:", &f->file)) {
		kill_fields_clear(f);
		return t;
	}
	*gen = GEN_TOTAL;
	p = q;
	if (!kib_field(&q, ", shmem-rss:", &f->shmem)) {
		if (!rhel7)
			return p;
		kill_fields_clear(f); /* RHEL 7 prints shmem-rss */
		*gen = GEN_BARE;
		return t;
	}
	*gen = GEN_SHMEM;
	p = q;
	if (rhel7) {
		f->uid = uid;
		*gen = GEN_RHEL7;
		return p;
	}
	if (lit(&q, ", UID:") && udigits(&q, &f->uid) && kib_field(&q, " pgtables:", &f->pgtables) &&
	    lit(&q, " oom_score_adj:") && sdigits(&q, &f->adj)) {
		*gen = GEN_PGTABLES;
		return q;
	}
	f->uid = f->pgtables = f->adj = KLOG_NONE;
	return p;
}

/* Returns whether a kill line with (or without) a headline and this tail is one the kernel printed. */
static bool kill_shape_known(bool headline, bool rhel6, enum kill_gen gen)
{
	if (rhel6)
		return !headline && gen == GEN_TOTAL;
	if (headline)
		return gen == GEN_DOT || gen == GEN_SHMEM || gen == GEN_PGTABLES;
	/* GEN_PGTABLES without the headline: distribution kernels that took the fields back to 4.x */
	return gen == GEN_BARE || gen == GEN_VSZ || gen == GEN_TOTAL || gen == GEN_SHMEM || gen == GEN_PGTABLES ||
	       gen == GEN_RHEL7;
}

/* Stores the numbers of a kill line's tail. */
static void kill_store(struct klog_msg *out, const struct kill_fields *f)
{
	if (f->uid != KLOG_NONE)
		out->uid = f->uid;
	out->total_vm_kib = f->total_vm;
	out->anon_kib = f->anon;
	out->file_kib = f->file;
	out->shmem_kib = f->shmem;
	out->pgtables_kib = f->pgtables;
	out->oom_score_adj = f->adj;
}

/*
 * "[HEADLINE: ]Killed process N (NAME)..." in each generation's shape
 * (enum kill_gen), the RHEL 6 form "Killed process N, UID N, (NAME)
 * total-vm:..." and OpenVZ's "N:#XID".  The NAME may hold ") " itself, so
 * the ')' that ends it is the one after which the line has a known shape
 * to its end (msg->exact), or to where another message was run into it;
 * failing both, the line is read loosely (a vendor kernel's extra fields),
 * which the caller accepts only inside a report.
 */
static bool parse_killed(const char *m, struct klog_msg *out)
{
	size_t h = kill_headline(m, "Killed process ");
	const char *p = m + h, *open, *close = NULL, *end = m + strlen(m), *rest, *bound;
	bool rhel6 = false;
	struct kill_fields f;
	enum kill_gen gen;

	if (!lit(&p, "Killed process ") || !udigits(&p, &out->pid))
		return false;
	if (p[0] == ':' && p[1] == '#') { /* OpenVZ/vserver kernels: "N:#XID" */
		long long xid;
		p += 2;
		if (!udigits(&p, &xid))
			return false;
	}
	if (strncmp(p, ", UID ", 6) == 0) { /* RHEL 6 */
		p += 6;
		if (!udigits(&p, &out->uid) || *p != ',')
			return false;
		p++;
		rhel6 = true;
	}
	if (*p == ' ')
		p++;
	if (*p != '(')
		return false;
	open = p + 1;
	bound = (size_t)(end - open) > KLOG_COMM_MAX ? open + KLOG_COMM_MAX : end;
	out->kind = KM_KILLED;
	/* the NAME ends at the last ')' after which the line is one known shape to its end */
	for (const char *q = bound; q-- > open;) {
		if (*q == ')' && kill_tail(q + 1, &f, &gen) == end && kill_shape_known(h, rhel6, gen)) {
			close = q;
			out->exact = true;
			break;
		}
	}
	/* ... or at the first ')' after which a known shape ends where another message begins */
	for (const char *q = open; !close && q < bound; q++) {
		if (*q != ')')
			continue;
		rest = kill_tail(q + 1, &f, &gen);
		if (*rest && klog_msg_starts(rest) && kill_shape_known(h, rhel6, gen)) {
			close = q;
			out->exact = true;
			out->rest = (size_t)(rest - m);
		}
	}
	if (close) {
		kill_store(out, &f);
	} else {
		close = last_in(open, end, ") total-vm:");
		if (!close)
			close = last_in(open, end, ") vsz:");
		if (!close)
			close = last_in(open, end, ")");
		if (!close)
			return false;
		rest = close + 1;
		if (!kib_after(rest, "total-vm:", &out->total_vm_kib))
			kib_after(rest, "vsz:", &out->total_vm_kib);
		kib_after(rest, "anon-rss:", &out->anon_kib);
		kib_after(rest, "file-rss:", &out->file_kib);
		kib_after(rest, "shmem-rss:", &out->shmem_kib);
		if (!num_after(rest, "UID:", &out->uid) && out->uid == KLOG_NONE)
			num_after(rest, ", UID ", &out->uid);
		kib_after(rest, "pgtables:", &out->pgtables_kib);
		num_after(rest, "oom_score_adj:", &out->oom_score_adj);
	}
	copy_n(out->comm, sizeof(out->comm), open, (size_t)(close - open));
	if (h)
		prefix_before(m, m + h, out->word, sizeof(out->word));
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
	if (kib_after(close, "shmem-rss:", &out->shmem_kib)) {
		const char *e = strstr(close, "shmem-rss:") + 10;
		long long v;
		if (udigits(&e, &v) && lit(&e, "kB"))
			glued_at(m, e, out);
	}
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
	glued_at(m, e + strlen(" are going to be killed due to memory.oom.group set"), out);
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
