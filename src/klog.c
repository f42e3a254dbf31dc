/*
 * Grouping the lines of OOM reports into events.  A report starts with
 * "invoked oom-killer" (dump_header in mm/oom_kill.c) and ends with the
 * "Killed process" line of its victim (__oom_kill_process); with
 * memory.oom.group (4.19+) more kills follow, and the oom_reaper (4.6+)
 * may report on the victim up to seconds later.  Lines are matched to
 * their report by source (syslog host, CONFIG_PRINTK_CALLER id) and by
 * pid, so reports of several machines in one syslog file, or unrelated
 * lines between a report's lines, do not mix them up.  Every structure is
 * bounded: a report whose lines stop coming is closed after a window of
 * lines or log time, and events leave as soon as nothing more can join
 * them.
 */
#include <stdlib.h>
#include <string.h>

#include "klog.h"
#include "klog_msg.h"
#include "xalloc.h"

#define MAX_REPORTS 16
#define MAX_PENDING 256
#define REPORT_LINES 20000           /* a report is over when this many lines passed without one of it */
#define REPORT_USEC (60LL * 1000000) /* ... or this much log time */
#define PENDING_LINES 4096           /* an event waits this long for its oom_reaper line */
#define PENDING_USEC (10LL * 1000000)

/* Which clock a log time is on: only times on the same clock compare. */
enum clock_kind { CLK_NONE, CLK_UPTIME, CLK_WALL };

/* A log time. */
struct clock {
	enum clock_kind kind;
	long long usec;
};

/* Where a line comes from: its report must come from the same place. */
struct source {
	char host[KLOG_NAME_MAX];
	char caller[16];
};

/* An OOM report whose lines are still coming. */
struct report {
	bool used;
	unsigned long long id;
	struct source src;
	struct klog_event hdr; /* the report's fields; the victim's stay unknown */
	enum { R_HEADER, R_TABLE, R_AFTER } state;
	bool has_summary, has_kill, group;
	long long chosen_pid, chosen_score, summary_pid, summary_uid;
	char chosen_message[KLOG_NAME_MAX];
	enum klog_col cols[KLOG_COLS_MAX];
	int ncols;
	struct klog_task *rows; /* owned */
	size_t nrows, cap, dropped;
	unsigned long long last_line;
	struct clock last_clock;
};

/* An event waiting for late lines (oom_reaper, oom.group). */
struct pending {
	struct klog_event *ev;        /* owned until it moves to the ready queue */
	unsigned long long report_id; /* 0: none */
	unsigned long long line;
	struct clock clock;
	struct source src;
};

struct klog {
	struct klog_opts opts;
	char *buf; /* the current line, NUL-terminated */
	struct klog_msg msg;
	unsigned long long line_no, next_id;
	struct report reports[MAX_REPORTS];
	struct pending pend[MAX_PENDING]; /* a ring */
	size_t pend_head, pend_len;
	struct klog_event **ready; /* a ring of events for klog_next */
	size_t ready_head, ready_len, ready_cap;
};

/* Marks every field of an event unknown. */
static void event_init(struct klog_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->time_sec = ev->uptime_usec = ev->kmsg_seq = KLOG_NONE;
	ev->pid = ev->uid = ev->oom_score_adj = ev->oom_adj = KLOG_NONE;
	ev->total_vm_kib = ev->anon_rss_kib = ev->file_rss_kib = ev->shmem_rss_kib = ev->pgtables_kib = KLOG_NONE;
	ev->score = KLOG_NONE;
	ev->memcg_usage_kib = ev->memcg_limit_kib = ev->memcg_failcnt = KLOG_NONE;
	ev->trigger_pid = ev->trigger_oom_score_adj = ev->trigger_oom_adj = ev->order = KLOG_NONE;
	ev->reaped_anon_kib = ev->reaped_file_kib = ev->reaped_shmem_kib = KLOG_NONE;
}

/* Copies a string into a fixed field, cut to fit. */
static void set_str(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

#define SET_FIELD(dst, s) set_str((dst), sizeof(dst), (s), strlen(s))

/* Returns a new parser; klog_free releases it. */
struct klog *klog_new(const struct klog_opts *opts)
{
	struct klog *k = xcalloc(1, sizeof(*k));

	k->opts = *opts;
	k->opts.boot_id[sizeof(k->opts.boot_id) - 1] = '\0';
	k->buf = xmalloc(KLOG_LINE_MAX + 1);
	k->next_id = 1;
	return k;
}

/* Releases a report's rows and marks it free. */
static void report_close(struct report *r)
{
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* Releases an event and its task table. */
void klog_event_free(struct klog_event *ev)
{
	if (!ev)
		return;
	free(ev->tasks);
	free(ev->members);
	free(ev);
}

/* Releases the parser and whatever events it still holds. */
void klog_free(struct klog *k)
{
	if (!k)
		return;
	for (int i = 0; i < MAX_REPORTS; i++)
		report_close(&k->reports[i]);
	for (size_t i = 0; i < k->pend_len; i++)
		klog_event_free(k->pend[(k->pend_head + i) % MAX_PENDING].ev);
	for (size_t i = 0; i < k->ready_len; i++)
		klog_event_free(k->ready[(k->ready_head + i) % k->ready_cap]);
	free(k->ready);
	free(k->buf);
	free(k);
}

/* Returns how many lines were fed. */
unsigned long long klog_lines(const struct klog *k)
{
	return k->line_no;
}

/* Appends an event to the ready queue. */
static void ready_push(struct klog *k, struct klog_event *ev)
{
	if (k->ready_len == k->ready_cap) {
		size_t ncap = k->ready_cap ? k->ready_cap * 2 : 16;
		struct klog_event **n = xcalloc(ncap, sizeof(*n));
		for (size_t i = 0; i < k->ready_len; i++)
			n[i] = k->ready[(k->ready_head + i) % k->ready_cap];
		free(k->ready);
		k->ready = n;
		k->ready_cap = ncap;
		k->ready_head = 0;
	}
	k->ready[(k->ready_head + k->ready_len) % k->ready_cap] = ev;
	k->ready_len++;
}

/* Returns the next complete event (the caller owns it: klog_event_free), or NULL. */
struct klog_event *klog_next(struct klog *k)
{
	struct klog_event *ev;

	if (k->ready_len == 0)
		return NULL;
	ev = k->ready[k->ready_head];
	k->ready_head = (k->ready_head + 1) % k->ready_cap;
	k->ready_len--;
	return ev;
}

/* Moves the oldest pending event to the ready queue. */
static void pending_release_head(struct klog *k)
{
	ready_push(k, k->pend[k->pend_head].ev);
	k->pend_head = (k->pend_head + 1) % MAX_PENDING;
	k->pend_len--;
}

/* Returns whether two sources are the same (a missing caller id matches any). */
static bool same_source(const struct source *a, const struct source *b)
{
	if (strcmp(a->host, b->host) != 0)
		return false;
	return !a->caller[0] || !b->caller[0] || strcmp(a->caller, b->caller) == 0;
}

/* Returns how far apart two log times are in usec, or -1 if they do not compare. */
static long long clock_gap(const struct clock *older, const struct clock *newer)
{
	if (older->kind == CLK_NONE || older->kind != newer->kind)
		return -1;
	return newer->usec - older->usec;
}

/* Closes reports and releases events whose window has passed at this line. */
static void expire(struct klog *k, const struct source *src, const struct clock *now)
{
	for (int i = 0; i < MAX_REPORTS; i++) {
		struct report *r = &k->reports[i];
		if (!r->used)
			continue;
		if (k->line_no - r->last_line > REPORT_LINES ||
		    (strcmp(r->src.host, src->host) == 0 && clock_gap(&r->last_clock, now) > REPORT_USEC))
			report_close(r);
	}
	while (k->pend_len) {
		struct pending *p = &k->pend[k->pend_head];
		if (k->line_no - p->line > PENDING_LINES ||
		    (strcmp(p->src.host, src->host) == 0 && clock_gap(&p->clock, now) > PENDING_USEC))
			pending_release_head(k);
		else
			break;
	}
}

/* Releases every pending event: nothing more will be waited for (end of input, or idle). */
void klog_flush(struct klog *k)
{
	while (k->pend_len)
		pending_release_head(k);
}

/* Ends the input: open reports close and every event is released. */
void klog_finish(struct klog *k)
{
	for (int i = 0; i < MAX_REPORTS; i++)
		report_close(&k->reports[i]);
	klog_flush(k);
}

/* Returns the newest open report of src that matches the filter, or NULL. */
static struct report *newest(struct klog *k, const struct source *src, bool need_no_kill)
{
	struct report *best = NULL;

	for (int i = 0; i < MAX_REPORTS; i++) {
		struct report *r = &k->reports[i];
		if (!r->used || !same_source(&r->src, src) || (need_no_kill && r->has_kill))
			continue;
		if (!best || r->id > best->id)
			best = r;
	}
	return best;
}

/* Opens a new report for src, evicting the oldest one if all are in use. */
static struct report *report_open(struct klog *k, const struct source *src, const struct clock *now)
{
	struct report *slot = NULL;

	for (int i = 0; i < MAX_REPORTS; i++) {
		struct report *r = &k->reports[i];
		if (!r->used) {
			slot = r;
			break;
		}
		if (!slot || r->id < slot->id)
			slot = r;
	}
	report_close(slot);
	slot->used = true;
	slot->id = k->next_id++;
	slot->src = *src;
	event_init(&slot->hdr);
	slot->chosen_pid = slot->chosen_score = slot->summary_pid = slot->summary_uid = KLOG_NONE;
	slot->last_line = k->line_no;
	slot->last_clock = *now;
	return slot;
}

/* Returns the row of pid in the report's task table, or NULL. */
static const struct klog_task *row_of(const struct report *r, long long pid)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (r->rows[i].pid == pid)
			return &r->rows[i];
	return NULL;
}

/* Fills an event for the victim of a "Killed process" line from the line and its report. */
static struct klog_event *make_event(struct klog *k, const struct report *r, const struct klog_msg *m,
				     const struct klog_line *ln, const struct source *src)
{
	struct klog_event *ev = xmalloc(sizeof(*ev));

	if (r)
		*ev = r->hdr;
	else
		event_init(ev);
	ev->tasks = NULL;
	ev->ntasks = ev->tasks_dropped = 0;
	ev->members = NULL;
	ev->nmembers = ev->members_dropped = 0;
	ev->time_sec = ln->time_sec;
	ev->time_usec = ln->time_usec;
	ev->year_guessed = ln->year_guessed;
	ev->uptime_usec = ln->uptime_usec;
	ev->kmsg_seq = ln->seq;
	/* a sequence number is only unique within one boot: the reader says which boot */
	if (ln->seq != KLOG_NONE)
		SET_FIELD(ev->boot_id, k->opts.boot_id);
	else
		ev->boot_id[0] = '\0';
	SET_FIELD(ev->host, src->host);
	ev->pid = m->pid;
	SET_FIELD(ev->comm, m->comm);
	ev->uid = m->uid;
	ev->oom_score_adj = m->oom_score_adj;
	ev->total_vm_kib = m->total_vm_kib;
	ev->anon_rss_kib = m->anon_kib;
	ev->file_rss_kib = m->file_kib;
	ev->shmem_rss_kib = m->shmem_kib;
	ev->pgtables_kib = m->pgtables_kib;
	SET_FIELD(ev->message, m->word);
	if (!r)
		return ev;
	if (!ev->message[0])
		SET_FIELD(ev->message, r->chosen_message);
	if (r->chosen_pid == ev->pid)
		ev->score = r->chosen_score;
	if (ev->uid == KLOG_NONE && r->summary_pid == ev->pid)
		ev->uid = r->summary_uid;
	const struct klog_task *row = row_of(r, ev->pid);
	if (row) {
		if (ev->uid == KLOG_NONE)
			ev->uid = row->uid;
		if (ev->oom_score_adj == KLOG_NONE)
			ev->oom_score_adj = row->oom_score_adj;
		ev->oom_adj = row->oom_adj;
	}
	/* the trigger's own adj is in the header: it is the victim's when they are the same task */
	if (ev->pid == ev->trigger_pid) {
		if (ev->oom_score_adj == KLOG_NONE)
			ev->oom_score_adj = ev->trigger_oom_score_adj;
		if (ev->oom_adj == KLOG_NONE)
			ev->oom_adj = ev->trigger_oom_adj;
	}
	if (k->opts.keep_tasks && r->nrows) {
		ev->tasks = xcalloc(r->nrows, sizeof(*ev->tasks));
		memcpy(ev->tasks, r->rows, r->nrows * sizeof(*ev->tasks));
		ev->ntasks = r->nrows;
		ev->tasks_dropped = r->dropped;
	}
	return ev;
}

/* Queues an event to wait for late lines. */
static void pending_push(struct klog *k, struct klog_event *ev, const struct report *r, const struct clock *now,
			 const struct source *src)
{
	struct pending *p;

	if (k->pend_len == MAX_PENDING)
		pending_release_head(k);
	p = &k->pend[(k->pend_head + k->pend_len) % MAX_PENDING];
	p->ev = ev;
	p->report_id = r ? r->id : 0;
	p->line = k->line_no;
	p->clock = *now;
	p->src = *src;
	k->pend_len++;
}

/* Finds the report a "Killed process" line belongs to, or NULL for a lone kill line. */
static struct report *report_for_kill(struct klog *k, const struct source *src, long long pid)
{
	struct report *best = NULL;

	/* the report that named this pid as its victim */
	for (int i = 0; i < MAX_REPORTS; i++) {
		struct report *r = &k->reports[i];
		if (r->used && same_source(&r->src, src) && (!r->has_kill || r->group) &&
		    (r->summary_pid == pid || r->chosen_pid == pid) && (!best || r->id > best->id))
			best = r;
	}
	if (best)
		return best;
	/* else the newest one still waiting for its kill (a child sacrificed for its parent) */
	best = newest(k, src, true);
	if (best)
		return best;
	/* else the members of a memory.oom.group kill */
	for (int i = 0; i < MAX_REPORTS; i++) {
		struct report *r = &k->reports[i];
		if (r->used && same_source(&r->src, src) && r->group && (!best || r->id > best->id))
			best = r;
	}
	return best;
}

/* Appends a row to the report's task table, up to KLOG_TASKS_MAX. */
static void add_row(struct report *r, const struct klog_task *t)
{
	if (r->nrows == KLOG_TASKS_MAX) {
		r->dropped++;
		return;
	}
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rows = xreallocarray(r->rows, r->cap, sizeof(*r->rows));
	}
	r->rows[r->nrows++] = *t;
}

/* Takes a report's line into account: it stays open. */
static void touch(struct klog *k, struct report *r, const struct clock *now)
{
	r->last_line = k->line_no;
	r->last_clock = *now;
}

/* Decodes the \xNN escapes of a /dev/kmsg message in place. */
static void kmsg_unescape(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			int hi = p[2] >= '0' && p[2] <= '9' ? p[2] - '0' : (p[2] | 0x20) - 'a' + 10;
			int lo = p[3] >= '0' && p[3] <= '9' ? p[3] - '0' : (p[3] | 0x20) - 'a' + 10;
			if (hi >= 0 && hi < 16 && lo >= 0 && lo < 16 && (hi || lo)) {
				*w++ = (char)(hi * 16 + lo);
				p += 3;
				continue;
			}
		}
		*w++ = *p;
	}
	*w = '\0';
}

/* Adds a task to a group kill's members, once per pid, up to KLOG_MEMBERS_MAX. */
static void member_add(struct klog_event *ev, long long pid, const char *comm, long long uid, long long rss_kib)
{
	struct klog_member *mb;

	for (size_t i = 0; i < ev->nmembers; i++)
		if (ev->members[i].pid == pid)
			return; /* the kernel names the victim twice: as the victim and as a member */
	if (ev->nmembers == KLOG_MEMBERS_MAX) {
		ev->members_dropped++;
		return;
	}
	if (ev->nmembers % 16 == 0)
		ev->members = xreallocarray(ev->members, ev->nmembers + 16, sizeof(*ev->members));
	mb = &ev->members[ev->nmembers++];
	mb->pid = pid;
	mb->uid = uid;
	mb->rss_kib = rss_kib;
	set_str(mb->comm, sizeof(mb->comm), comm, strlen(comm));
}

/* Returns anon + file + shmem KiB as a kill line gives them (as logfmt_rss_kib), or KLOG_NONE. */
static long long rss_sum(long long anon, long long file, long long shmem)
{
	if (anon == KLOG_NONE && file == KLOG_NONE)
		return KLOG_NONE;
	return (anon == KLOG_NONE ? 0 : anon) + (file == KLOG_NONE ? 0 : file) + (shmem == KLOG_NONE ? 0 : shmem);
}

/* Returns the pending event of report id (the victim of a group kill), or NULL once it left. */
static struct klog_event *pending_of(struct klog *k, unsigned long long id)
{
	for (size_t j = 0; j < k->pend_len; j++) {
		struct pending *p = &k->pend[(k->pend_head + j) % MAX_PENDING];
		if (p->report_id == id)
			return p->ev;
	}
	return NULL;
}

/* Applies one classified message to the reports and events. */
static void dispatch(struct klog *k, const struct klog_msg *m, const struct klog_line *ln, const struct source *src,
		     const struct clock *now, const char *msg)
{
	struct report *r;
	struct klog_task row;

	switch (m->kind) {
	case KM_INVOKED:
		for (int i = 0; i < MAX_REPORTS; i++)
			if (k->reports[i].used && same_source(&k->reports[i].src, src))
				report_close(&k->reports[i]);
		r = report_open(k, src, now);
		SET_FIELD(r->hdr.trigger_comm, m->comm);
		SET_FIELD(r->hdr.gfp_mask, m->gfp_mask);
		r->hdr.order = m->order;
		r->hdr.trigger_oom_score_adj = m->oom_score_adj;
		r->hdr.trigger_oom_adj = m->oom_adj;
		return;
	case KM_CPU:
		r = newest(k, src, true);
		if (r && r->state == R_HEADER && r->hdr.trigger_pid == KLOG_NONE &&
		    strcmp(r->hdr.trigger_comm, m->comm) == 0) {
			r->hdr.trigger_pid = m->pid;
			SET_FIELD(r->hdr.kernel, m->kernel);
			touch(k, r, now);
		}
		return;
	case KM_CPUSET:
		r = newest(k, src, true);
		if (r && r->state == R_HEADER && strcmp(r->hdr.trigger_comm, m->comm) == 0) {
			SET_FIELD(r->hdr.cpuset, m->path);
			touch(k, r, now);
		}
		return;
	case KM_TASK_IN:
		r = newest(k, src, true);
		if (r && !r->has_summary) {
			SET_FIELD(r->hdr.task_memcg, m->path2);
			SET_FIELD(r->hdr.oom_memcg, m->path);
			touch(k, r, now);
		}
		return;
	case KM_MEMCG_USAGE:
		r = newest(k, src, true);
		if (r && r->state == R_HEADER && r->hdr.memcg_usage_kib == KLOG_NONE) {
			r->hdr.memcg_usage_kib = m->usage_kib;
			r->hdr.memcg_limit_kib = m->limit_kib;
			r->hdr.memcg_failcnt = m->failcnt;
			touch(k, r, now);
		}
		return;
	case KM_TASKS_STATE:
	case KM_TABLE_HEADER:
		r = newest(k, src, true);
		if (!r || r->state == R_AFTER || (r->ncols && m->kind == KM_TABLE_HEADER))
			r = report_open(k, src, now); /* a log that starts in the middle of a report */
		r->state = R_TABLE;
		if (m->kind == KM_TABLE_HEADER) {
			memcpy(r->cols, m->cols, sizeof(r->cols));
			r->ncols = m->ncols;
		}
		touch(k, r, now);
		return;
	case KM_MAYBE_ROW:
		r = newest(k, src, true);
		if (r && r->state == R_TABLE && r->ncols && klog_parse_table_row(msg, r->cols, r->ncols, &row) == 0) {
			add_row(r, &row);
			touch(k, r, now);
		}
		return;
	case KM_SUMMARY:
		r = newest(k, src, true);
		if (!r || r->has_summary)
			r = report_open(k, src, now);
		r->has_summary = true;
		r->state = R_AFTER;
		SET_FIELD(r->hdr.constraint, m->word);
		SET_FIELD(r->hdr.cpuset, m->path3);
		SET_FIELD(r->hdr.oom_memcg, m->path);
		SET_FIELD(r->hdr.task_memcg, m->path2);
		r->hdr.global_oom = m->global_oom;
		r->summary_pid = m->pid;
		r->summary_uid = m->uid;
		touch(k, r, now);
		return;
	case KM_KILL_CHOSEN:
		r = newest(k, src, true);
		if (!r || r->chosen_pid != KLOG_NONE)
			r = report_open(k, src, now);
		r->state = R_AFTER;
		r->chosen_pid = m->pid;
		r->chosen_score = m->score;
		SET_FIELD(r->chosen_message, m->word);
		touch(k, r, now);
		return;
	case KM_KILLED:
		r = report_for_kill(k, src, m->pid);
		/*
		 * A kill line outside any report is believed only in a shape the
		 * kernel printed, fields and all: text that merely contains one (a
		 * file name in a segfault line) is not a kill.
		 */
		if (!r && !m->exact)
			return;
		if (r && r->group && r->has_kill) {
			struct klog_event *victim = pending_of(k, r->id);
			if (victim) {
				/* mm/oom_kill.c oom_kill_memcg_member(): one kill, many records */
				member_add(victim, m->pid, m->comm, m->uid,
					   rss_sum(m->anon_kib, m->file_kib, m->shmem_kib));
				touch(k, r, now);
				return;
			}
		}
		pending_push(k, make_event(k, r, m, ln, src), r, now, src);
		if (r) {
			r->has_kill = true;
			r->state = R_AFTER;
			touch(k, r, now);
		}
		return;
	case KM_REAPED:
		for (size_t i = k->pend_len; i-- > 0;) {
			struct pending *p = &k->pend[(k->pend_head + i) % MAX_PENDING];
			if (strcmp(p->src.host, src->host) == 0 && p->ev->pid == m->pid &&
			    p->ev->reaped_anon_kib == KLOG_NONE) {
				p->ev->reaped_anon_kib = m->anon_kib;
				p->ev->reaped_file_kib = m->file_kib;
				p->ev->reaped_shmem_kib = m->shmem_kib;
				break;
			}
		}
		return;
	case KM_GROUP:
		for (int i = 0; i < MAX_REPORTS; i++) {
			r = &k->reports[i];
			if (!r->used || !same_source(&r->src, src) || !r->has_kill)
				continue;
			r->group = true;
			SET_FIELD(r->hdr.oom_group, m->path);
			for (size_t j = 0; j < k->pend_len; j++) {
				struct pending *p = &k->pend[(k->pend_head + j) % MAX_PENDING];
				if (p->report_id != r->id)
					continue;
				SET_FIELD(p->ev->oom_group, m->path);
				member_add(p->ev, p->ev->pid, p->ev->comm, p->ev->uid,
					   rss_sum(p->ev->anon_rss_kib, p->ev->file_rss_kib, p->ev->shmem_rss_kib));
			}
			touch(k, r, now);
		}
		return;
	case KM_KILL_SHARING:
	case KM_NONE:
		return;
	}
}

#define MAX_GLUED 64 /* messages run together in one line that are read */

/*
 * Returns whether a message may be what it looks like at the level its
 * line carried: the kernel prints its kill lines with pr_err (level 3,
 * __oom_kill_process() and oom_kill_process() in mm/oom_kill.c), so a
 * "Killed process" at another level is a program's record (util-linux
 * 2.38's dmesg -r shows facility|level, "<5>" for a user record at <12>).
 */
static bool kill_level_ok(const struct klog_msg *m, const struct klog_line *ln)
{
	if (ln->level < 0 || (m->kind != KM_KILLED && m->kind != KM_KILL_CHOSEN))
		return true;
	return ln->level == 3;
}

/* Takes one line whose prefixes were read: classifies its message(s) and applies them. */
static void feed_line(struct klog *k, struct klog_line *ln)
{
	struct source src;
	struct clock now = { CLK_NONE, 0 };
	char *msg;

	memset(&src, 0, sizeof(src));
	set_str(src.host, sizeof(src.host), ln->host ? ln->host : "", ln->host_len);
	set_str(src.caller, sizeof(src.caller), ln->caller ? ln->caller : "", ln->caller_len);
	if (ln->uptime_usec != KLOG_NONE) {
		now.kind = CLK_UPTIME;
		now.usec = ln->uptime_usec;
	} else if (ln->time_sec != KLOG_NONE) {
		now.kind = CLK_WALL;
		now.usec = ln->time_sec * 1000000 + ln->time_usec;
	}
	expire(k, &src, &now);
	if (ln->foreign)
		return;

	msg = (char *)ln->msg;
	msg[ln->msg_len] = '\0';
	if (ln->kmsg)
		kmsg_unescape(msg);
	for (int i = 0; i < MAX_GLUED && *msg; i++) {
		klog_parse_msg(msg, &k->msg);
		if (k->msg.rest && ln->kmsg) {
			/* a /dev/kmsg record is one message: nothing runs into it */
			if (k->msg.kind == KM_KILLED)
				k->msg.exact = false;
			k->msg.rest = 0;
		}
		if (k->msg.rest) {
			/* read the first message alone, then go on with the one run into it */
			size_t rest = k->msg.rest;
			char saved = msg[rest];
			msg[rest] = '\0';
			klog_parse_msg(msg, &k->msg);
			if (k->msg.kind != KM_NONE && kill_level_ok(&k->msg, ln))
				dispatch(k, &k->msg, ln, &src, &now, msg);
			msg[rest] = saved;
			msg += rest;
			continue;
		}
		if (k->msg.kind != KM_NONE && kill_level_ok(&k->msg, ln))
			dispatch(k, &k->msg, ln, &src, &now, msg);
		break;
	}
}

/*
 * Feeds one line of the log (without its newline; any bytes, NULs
 * included).  Lines longer than KLOG_LINE_MAX are cut.
 */
void klog_feed(struct klog *k, const char *line, size_t len)
{
	struct klog_line ln;

	k->line_no++;
	if (len > KLOG_LINE_MAX)
		len = KLOG_LINE_MAX;
	memcpy(k->buf, line, len);
	for (size_t i = 0; i < len; i++)
		if (k->buf[i] == '\0')
			k->buf[i] = '?';
	k->buf[len] = '\0';
	klog_parse_prefix(k->buf, len, &k->opts, &ln);
	feed_line(k, &ln);
}

/*
 * Feeds one kernel message that came with its fields apart (a journal
 * record's MESSAGE, __REALTIME_TIMESTAMP, _SOURCE_MONOTONIC_TIMESTAMP and
 * _HOSTNAME; KLOG_NONE or NULL where absent): no prefix is read from it.
 */
void klog_feed_record(struct klog *k, const char *msg, size_t len, long long wall_usec, long long uptime_usec,
		      const char *host)
{
	struct klog_line ln;

	k->line_no++;
	if (len > KLOG_LINE_MAX)
		len = KLOG_LINE_MAX;
	memcpy(k->buf, msg, len);
	for (size_t i = 0; i < len; i++)
		if (k->buf[i] == '\0')
			k->buf[i] = '?';
	k->buf[len] = '\0';
	memset(&ln, 0, sizeof(ln));
	ln.level = -1;
	ln.msg = k->buf;
	ln.msg_len = len;
	ln.time_sec = wall_usec == KLOG_NONE ? KLOG_NONE : wall_usec / 1000000;
	ln.time_usec = wall_usec == KLOG_NONE ? 0 : (long)(wall_usec % 1000000);
	ln.uptime_usec = uptime_usec;
	ln.seq = KLOG_NONE;
	ln.host = host;
	ln.host_len = host ? strlen(host) : 0;
	feed_line(k, &ln);
}

/*
 * Writes the OOM domain of an event: the cgroup whose limit was hit, or
 * "global"; for kernels that did not name it, what the kill message says:
 * "memcg (no path)" for a memory cgroup whose path the report did not give,
 * "(unknown)" when nothing in the log says which domain it was.
 */
void klog_event_domain(const struct klog_event *ev, char *buf, size_t bufsz)
{
	if (ev->oom_memcg[0])
		set_str(buf, bufsz, ev->oom_memcg, strlen(ev->oom_memcg));
	else if (ev->global_oom || strcmp(ev->constraint, "CONSTRAINT_NONE") == 0)
		/* NOLINTNEXTLINE(bugprone-branch-clone): "global" again below, after the memcg message test */
		set_str(buf, bufsz, "global", 6);
	else if (strcmp(ev->constraint, "CONSTRAINT_CPUSET") == 0)
		set_str(buf, bufsz, "cpuset", 6);
	else if (strcmp(ev->constraint, "CONSTRAINT_MEMORY_POLICY") == 0)
		set_str(buf, bufsz, "mempolicy", 9);
	else if (strstr(ev->message, "Memory cgroup") || strcmp(ev->constraint, "CONSTRAINT_MEMCG") == 0)
		set_str(buf, bufsz, "memcg (no path)", 15);
	else if (strncmp(ev->message, "Out of memory", 13) == 0)
		set_str(buf, bufsz, "global", 6);
	else
		set_str(buf, bufsz, "(unknown)", 9);
}
