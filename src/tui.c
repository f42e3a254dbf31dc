/*
 * The live view: `oomtop top` on a terminal, refreshed every few seconds,
 * in the manner of top(1) and htop(1).  Each refresh is one pass of the
 * snapshot pipeline that keeps its process table between refreshes and
 * re-reads only what the schedule in tui_model.c asks for.  Everything a
 * process chose (its name, its command line) reaches the screen escaped by
 * out_escape(), as in the one-shot table.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adj.h"
#include "cgroup.h"
#include "domain.h"
#include "explain.h"
#include "klog.h"
#include "kmsg.h"
#include "num.h"
#include "oomcount.h"
#include "oomtop.h"
#include "out.h"
#include "topfmt.h"
#include "tui.h"
#include "users.h"
#include "xalloc.h"

#define PSI_MEMORY "/proc/pressure/memory"
#define HSCROLL_STEP 8
#define BANNER_KILLS 8 /* kills the banner names, newest first */

/* Color pairs, when the terminal has colors and NO_COLOR is not set. */
enum { PAIR_VICTIM = 1, PAIR_BANNER, PAIR_TITLE };

/* The prompts that the message line can hold. */
enum prompt { PROMPT_NONE, PROMPT_FILTER, PROMPT_USER, PROMPT_DELAY, PROMPT_ADJ, PROMPT_CONFIRM };

/* A write to one process's oom_score_adj ('a', 'p') waiting for its value or its confirmation. */
struct pending {
	const char *cmd; /* "set" or "protect", as the command that does the same would say */
	pid_t pid;
	unsigned long long start; /* its start time: a reused pid is refused by the writer */
	char comm[64];
	bool have_old;
	int old;
	int value;
};

/* The state of one live view. */
struct view {
	struct snap_query q;
	struct snapshot snap;
	struct tui_sched sched;
	double interval;
	unsigned long iterations, refreshes;
	enum tui_mode mode;
	bool quit, colors, utf8;
	size_t sel, top, hscroll; /* selected row, first row on screen, columns scrolled */
	pid_t sel_pid;            /* the selection follows its process across refreshes */
	size_t table_rows;        /* rows of the table on the screen */
	enum prompt prompt;
	struct tui_field field;
	char filter[TUI_FIELD_MAX];
	char user[TUI_FIELD_MAX]; /* the 'u' user as typed, "" = all */
	char msg[512];            /* an answer to the last key, until the next key */
	bool msg_error;           /* the answer is a refusal or a failure */
	struct pending act;
	char banner[256];              /* new OOM kills by the counter, until a key is pressed */
	char kills[BANNER_KILLS][192]; /* new OOM kills from the kernel log, newest first */
	size_t nkills;                 /* kills since the banner was last dismissed */
	int kmsg_fd;                   /* /dev/kmsg, -1 when it cannot be read (then the counter tells) */
	bool kmsg_base_ok;             /* vmstat oom_kill when the log was opened: what backs its kills */
	unsigned long kmsg_base, kmsg_shown;
	struct klog *klog;
	char *kmsg_buf;
	char clock[16];
	bool have_kills;
	unsigned long kills_start, kills_now;
	bool have_psi;
	struct tui_psi psi;
	bool have_victim;
	pid_t victim_pid;
	char victim_comm[64];
	struct cgroup_hier hier; /* the memory hierarchy, once a cgroup domain needed it */
	bool have_hier;
	struct domain dom;    /* the cgroup domain of the rows (q.domain points here when set) */
	struct domain *picks; /* 'c': the limited cgroups offered after "global" */
	size_t npicks;
	struct tui_pick pick;
	size_t pick_top;       /* first item on screen */
	struct strbuf explain; /* 'e': the text of `oomtop explain` for explain_pid */
	pid_t explain_pid;
	char explain_comm[64];
	char explain_clock[16]; /* when it was computed */
	size_t explain_top, explain_lines, explain_rows;
	struct proc_hidepid hidepid; /* how /proc hides processes from us, read once */
};

static volatile sig_atomic_t got_signal;
static bool curses_on;

/*
 * Remembers a quitting signal.  The signals are blocked except inside the
 * main loop's ppoll(), so this runs there and ppoll() returns EINTR: a
 * signal sent while the view draws waits for the ppoll() instead of being
 * missed until the next refresh.
 */
static void on_signal(int sig)
{
	got_signal = sig;
}

/* Restores the terminal however the program ends (also exit() from xmalloc). */
static void restore_terminal(void)
{
	if (curses_on && !isendwin())
		endwin();
	curses_on = false;
}

/* Returns the monotonic clock in seconds. */
static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The '/' filter as a snapshot match: name or command line. */
static bool match_filter(const struct proc_record *rec, const void *arg)
{
	return tui_filter_match(rec->comm, rec->cmdline, rec->cmdline_len, arg);
}

/* Reads the memory pressure into v (have_psi false when the kernel has no PSI). */
static void read_psi(struct view *v)
{
	struct psi p;

	v->have_psi = sysmem_psi_read(&p) == 0;
	v->psi = (struct tui_psi){ { p.some.avg10, p.some.avg60, p.some.avg300 },
				   { p.full.avg10, p.full.avg60, p.full.avg300 } };
}

/* Finds the process the domain's OOM would kill now, among all its processes (not only the filtered rows). */
static void find_victim(struct view *v)
{
	struct proc_table *t = v->snap.table;
	size_t n = proc_table_len(t);
	struct proc_record *best = NULL;

	for (size_t i = 0; i < n; i++) {
		struct proc_record *rec = proc_table_at(t, i);
		unsigned long order;
		if (rec->badness == BADNESS_UNKILLABLE)
			continue;
		if (v->q.domain && !domain_has(v->q.domain, rec->pid, &order))
			continue; /* not in the cgroup domain: its badness is not of this domain */
		if (best && rec->badness == best->badness) {
			/* equal points: the start time decides (rank.c), read it only here */
			proc_read_start(t, rec);
			proc_read_start(t, best);
		}
		if (!best || rank_compare(rec, best, RANK_BADNESS) < 0)
			best = rec;
	}
	v->have_victim = best != NULL;
	if (best) {
		v->victim_pid = best->pid;
		memcpy(v->victim_comm, best->comm, sizeof(v->victim_comm));
	}
}

/* Notices new OOM kills from the kernel's counter and raises the banner. */
static void check_kills(struct view *v)
{
	unsigned long count;

	if (sysmem_oom_kills(&count) < 0)
		return;
	if (!v->have_kills) {
		v->have_kills = true;
		v->kills_start = v->kills_now = count;
		return;
	}
	if (count > v->kills_now && v->kmsg_fd < 0) /* else the kernel log names them */
		snprintf(v->banner, sizeof(v->banner), "OOM KILL at %s: %lu process%s killed (kernel oom_kill counter)",
			 v->clock, count - v->kills_now, count - v->kills_now == 1 ? "" : "es");
	v->kills_now = count;
}

/*
 * Opens the kernel log at its end, for the names of the processes the OOM
 * killer kills while the view runs; without it (kernel.dmesg_restrict and
 * no CAP_SYSLOG) the banner counts kills from /proc/vmstat instead.
 */
static void kmsg_start(struct view *v)
{
	struct klog_opts ko = { .ref_time = (long long)time(NULL), .boot_usec = KLOG_NONE };
	long long boot;

	v->kmsg_fd = -1;
	v->kmsg_base_ok = sysmem_oom_kills(&v->kmsg_base) == 0;
	if (kmsg_open(KMSG_PATH, &v->kmsg_fd) < 0) {
		v->kmsg_fd = -1;
		return;
	}
	/* only what happens from now on (drivers/char/mem.c devkmsg_llseek(), SEEK_END) */
	if (lseek(v->kmsg_fd, 0, SEEK_END) < 0) {
		close(v->kmsg_fd);
		v->kmsg_fd = -1;
		return;
	}
	if (kmsg_boot_usec(&boot) == 0)
		ko.boot_usec = boot;
	v->klog = klog_new(&ko);
	v->kmsg_buf = xmalloc(KMSG_RECORD_MAX);
}

/* Closes the kernel log. */
static void kmsg_stop(struct view *v)
{
	if (v->kmsg_fd >= 0)
		close(v->kmsg_fd);
	v->kmsg_fd = -1;
	klog_free(v->klog);
	v->klog = NULL;
	free(v->kmsg_buf);
	v->kmsg_buf = NULL;
}

/* Reads what the kernel logged since the last call and puts its OOM kills in the banner. */
static void kmsg_poll(struct view *v)
{
	struct klog_event *ev;
	bool got = false;
	unsigned long count = 0;
	size_t len;
	int err;

	if (v->kmsg_fd < 0)
		return;
	while ((err = kmsg_read(v->kmsg_fd, v->kmsg_buf, KMSG_RECORD_MAX, &len)) != -EAGAIN) {
		if (err == -EPIPE)
			continue; /* the ring overwrote records before we read them: go on with the rest */
		if (err < 0) {
			kmsg_stop(v);
			return;
		}
		klog_feed(v->klog, v->kmsg_buf, len);
	}
	/* the victim is named by now; lines the oom_reaper adds later are not needed here */
	klog_flush(v->klog);
	if (!v->kmsg_base_ok || sysmem_oom_kills(&count) < 0)
		count = 0;
	while ((ev = klog_next(v->klog)) != NULL) {
		struct strbuf sb = STRBUF_INIT;
		/* a kill line the kernel's counter does not back is not shown (issue 12) */
		if (!v->kmsg_base_ok || oomcount_backed(v->kmsg_base, count, v->kmsg_shown + 1) <= v->kmsg_shown) {
			klog_event_free(ev);
			continue;
		}
		v->kmsg_shown++;
		tui_kill_text(&sb, ev, v->utf8);
		memmove(v->kills[1], v->kills[0], sizeof(v->kills[0]) * (BANNER_KILLS - 1));
		snprintf(v->kills[0], sizeof(v->kills[0]), "%s", sb_str(&sb));
		v->nkills++;
		sb_free(&sb);
		klog_event_free(ev);
		got = true;
	}
	if (got)
		check_kills(v); /* the header's counts agree with the banner at once */
}

/* Puts the selection back on its process after the rows changed, and keeps it on screen. */
static void place_selection(struct view *v)
{
	size_t n = v->snap.nrows;

	for (size_t i = 0; i < n; i++) {
		if (v->snap.rows[i]->pid == v->sel_pid) {
			v->sel = i;
			break;
		}
	}
	if (n == 0)
		v->sel = 0;
	else if (v->sel >= n)
		v->sel = n - 1;
	if (n)
		v->sel_pid = v->snap.rows[v->sel]->pid;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->table_rows && v->sel >= v->top + v->table_rows)
		v->top = v->sel - v->table_rows + 1;
	if (v->top > 0 && v->top + v->table_rows > n)
		v->top = n > v->table_rows ? n - v->table_rows : 0;
}

/* Orders record pointers by pid for qsort. */
static int cmp_rec_pid(const void *a, const void *b)
{
	pid_t x = (*(const struct proc_record *const *)a)->pid, y = (*(const struct proc_record *const *)b)->pid;

	return (x > y) - (x < y);
}

/* Opens the memory cgroup hierarchy once; returns whether there is one. */
static bool ensure_hier(struct view *v)
{
	if (!v->have_hier && v->snap.mem.page_kib &&
	    cgroup_hier_open(&v->hier, v->snap.mem.page_kib * 1024,
			     v->snap.mem.swap_total_kib / v->snap.mem.page_kib) == 0)
		v->have_hier = true;
	return v->have_hier;
}

/* Makes d (taken over: v owns it now) the domain of the rows, the global one when d is NULL or global. */
static void set_domain(struct view *v, struct domain *d)
{
	domain_free(&v->dom);
	memset(&v->dom, 0, sizeof(v->dom));
	v->q.domain = NULL;
	if (d && !d->global) {
		v->dom = *d;
		v->q.domain = &v->dom;
	}
	v->sel = v->top = 0;
	v->sel_pid = 0;
	v->sched.all = true; /* every member fresh in the new domain */
}

/*
 * Reads the cgroup domain's limit and members again before a refresh (a
 * process may have joined or left); a cgroup that was removed, or lost its
 * limit, gives way to the global domain, with a message.
 */
static void reload_domain(struct view *v)
{
	char path[CGROUP_PATH_MAX];
	struct strbuf sb = STRBUF_INIT;
	struct cgroup_limits l;
	int err;

	if (!v->q.domain)
		return;

	snprintf(path, sizeof(path), "%s", v->dom.path);
	err = domain_load(&v->hier, &v->dom);
	if (err == 0)
		err = cgroup_read_limits(&v->hier, path, &l);
	if (err == 0 && l.limited) {
		v->dom.limits = l;
		v->dom.totalpages =
			cgroup_totalpages(v->hier.m.version, &l, v->hier.page_size, v->hier.total_swap_pages);
		return;
	}
	set_domain(v, NULL);
	out_escape(&sb, path, strlen(path), v->utf8);
	snprintf(v->msg, sizeof(v->msg), "cgroup %.400s %s: back to the global domain", sb_str(&sb),
		 err == -ENOENT ? "was removed"
		 : err < 0      ? strerror(-err)
				: "has no memory limit any more");
	v->msg_error = true;
	sb_free(&sb);
}

/* Takes one refresh; 0 or -errno when /proc cannot be read. */
static int refresh_data(struct view *v)
{
	time_t t = time(NULL);
	struct tm tm;
	int err;

	reload_domain(v);
	v->sched.tick++;
	v->q.limit = v->top + (v->table_rows ? v->table_rows : 1);
	err = snap_refresh(&v->snap, &v->q, tui_sched_stale, &v->sched);
	if (err < 0)
		return err;
	{
		size_t n = proc_table_len(v->snap.table);
		const struct proc_record **recs = xcalloc(n ? n : 1, sizeof(*recs));
		for (size_t i = 0; i < n; i++)
			recs[i] = proc_table_at(v->snap.table, i);
		qsort(recs, n, sizeof(*recs), cmp_rec_pid); /* -p keeps the order it was given */
		tui_sched_update(&v->sched, recs, n);
		free(recs);
	}
	localtime_r(&t, &tm);
	strftime(v->clock, sizeof(v->clock), "%H:%M:%S", &tm);
	check_kills(v);
	read_psi(v);
	find_victim(v);
	if (v->have_victim)
		tui_sched_touch(&v->sched, v->victim_pid);
	place_selection(v);
	v->refreshes++;
	return 0;
}

/* Writes text (escaped, UTF-8 or ASCII) at row y, starting skip columns in, cut to the screen width. */
static void put_line(int y, const char *s, size_t len, size_t skip, bool utf8)
{
	size_t off = out_fit_width(s, len, skip, utf8);
	size_t cols = (size_t)COLS, fit;

	if (off > len)
		off = len;
	/* the bottom-right cell scrolls some terminals: leave it empty */
	if (y == LINES - 1 && cols > 0)
		cols--;
	fit = out_fit_width(s + off, len - off, cols, utf8);
	mvaddnstr(y, 0, s + off, (int)fit);
}

/* Draws the help screen. */
static void draw_help(struct view *v)
{
	static const char *const lines[] = {
		"oomtop: processes in the order the OOM killer would kill them.",
		"The bold row (red with colors) is the next victim: the process with",
		"the highest badness, which an OOM of the domain would kill now.  A banner",
		"names what the OOM killer kills while you watch (from the kernel log,",
		"else counted from /proc/vmstat); any key dismisses it.",
		"",
		"  q F10          quit",
		"  Up Down j k    move the selection",
		"  PgUp PgDn      move by a screen; Home End g G: first, last",
		"  Left Right     scroll the table sideways",
		"  s >  <         next, previous sort key:",
		"                 " RANK_KEY_NAMES,
		"  r              reverse the order",
		"  / \\ F4         filter by name or command line (empty: none)",
		"  u              only one user's processes (empty: all)",
		"  a              set the selected process's oom_score_adj (asks, confirms)",
		"  p              protect it: oom_score_adj -1000 (confirms)",
		"  e Enter        explain the selected process (oomtop explain):",
		"                 j k PgUp PgDn scroll, space again, q Esc e back",
		"  c              the OOM domain: global or a memory cgroup with a",
		"                 limit (pick with Up Down j k and Enter, or type",
		"                 a cgroup path; Esc cancels)",
		"  d              refresh interval in seconds",
		"  space          refresh now; Ctrl-L redraws the screen",
		"  ? h F1         this help",
		"",
		"SCORE oom_score, ADJ oom_score_adj, BADNESS the kernel's badness in",
		"pages (rss + swap + page tables + adj * total / 1000), MEM% of RAM+swap.",
		"",
		"Press any key to return.",
	};
	size_t n = sizeof(lines) / sizeof(lines[0]);

	for (size_t i = 0; i < n && (int)i < LINES; i++)
		put_line((int)i, lines[i], strlen(lines[i]), 0, v->utf8);
}

/* Returns the text of the message line: a prompt, an answer, the banner, or nothing. */
static void message_line(const struct view *v, struct strbuf *sb, attr_t *attr)
{
	static const char *const labels[] = {
		[PROMPT_FILTER] = "filter (name or command line, empty = none): ",
		[PROMPT_USER] = "user (name or uid, empty = all): ",
	};

	*attr = A_NORMAL;
	if (v->prompt == PROMPT_DELAY) {
		sb_addf(sb, "refresh every (seconds, now %g): ", v->interval);
		out_escape(sb, v->field.text, v->field.len, v->utf8);
		*attr = A_BOLD;
	} else if (v->prompt == PROMPT_ADJ) {
		sb_addf(sb, "oom_score_adj of %d (", (int)v->act.pid);
		out_escape(sb, v->act.comm, strlen(v->act.comm), v->utf8);
		if (v->act.have_old)
			sb_addf(sb, "), -1000..1000, now %d: ", v->act.old);
		else
			sb_adds(sb, "), -1000..1000: ");
		out_escape(sb, v->field.text, v->field.len, v->utf8);
		*attr = A_BOLD;
	} else if (v->prompt == PROMPT_CONFIRM) {
		if (strcmp(v->act.cmd, "protect") == 0)
			sb_addf(sb, "protect %d (", (int)v->act.pid);
		else
			sb_addf(sb, "set the oom_score_adj of %d (", (int)v->act.pid);
		out_escape(sb, v->act.comm, strlen(v->act.comm), v->utf8);
		sb_adds(sb, ")");
		if (v->act.have_old)
			sb_addf(sb, " from %d", v->act.old);
		sb_addf(sb, " to %d", v->act.value);
		if (v->act.value == OOM_SCORE_ADJ_MIN)
			sb_adds(sb, ", so that the OOM killer never kills it");
		sb_adds(sb, "? [y/N] ");
		*attr = A_BOLD;
	} else if (v->prompt != PROMPT_NONE) {
		sb_adds(sb, labels[v->prompt]);
		out_escape(sb, v->field.text, v->field.len, v->utf8);
		*attr = A_BOLD;
	} else if (v->msg[0]) {
		sb_adds(sb, v->msg);
		*attr = A_BOLD;
		if (v->msg_error && v->colors)
			*attr = (attr_t)(COLOR_PAIR(PAIR_VICTIM) | A_BOLD);
	} else if (v->nkills) {
		size_t shown = v->nkills < BANNER_KILLS ? v->nkills : BANNER_KILLS;
		sb_adds(sb, "OOM KILL: ");
		for (size_t i = 0; i < shown; i++)
			sb_addf(sb, "%s%s", i ? "; " : "", v->kills[i]);
		if (v->nkills > shown)
			sb_addf(sb, "; %zu more", v->nkills - shown);
		*attr = v->colors ? (attr_t)(COLOR_PAIR(PAIR_BANNER) | A_BOLD) : (attr_t)(A_REVERSE | A_BOLD);
	} else if (v->banner[0]) {
		sb_adds(sb, v->banner);
		*attr = v->colors ? (attr_t)(COLOR_PAIR(PAIR_BANNER) | A_BOLD) : (attr_t)(A_REVERSE | A_BOLD);
	}
}

/* Fills what a row on screen needs if the refresh did not (after a scroll). */
static void fill_row(struct view *v, struct proc_record *rec)
{
	proc_read_cmdline(v->snap.table, rec);
	proc_read_score(v->snap.table, rec);
	if ((rec->known & PROC_HAVE_STATUS) && !rec->user)
		rec->user = users_name(rec->uid);
}

/* Draws the pick list of 'c': a title, the typed path, the domains (the current one marked). */
static void draw_domains(struct view *v)
{
	size_t lines = (size_t)(LINES > 0 ? LINES : 1), cols = (size_t)(COLS > 0 ? COLS : 1), rows;
	struct strbuf sb = STRBUF_INIT;
	static const char title[] = "OOM domain: Up/Down j/k, Enter picks, Esc cancels; or type a cgroup path";

	attrset(A_REVERSE);
	mvhline(0, 0, ' ', (int)cols);
	put_line(0, title, strlen(title), 0, v->utf8);
	attrset(A_NORMAL);
	if (lines < 2)
		return;
	sb_adds(&sb, "path: ");
	out_escape(&sb, v->pick.field.text, v->pick.field.len, v->utf8);
	attrset(A_BOLD);
	put_line(1, sb_str(&sb), sb.len, 0, v->utf8);
	attrset(A_NORMAL);
	rows = lines > 2 ? lines - 2 : 0;
	if (v->pick.sel < v->pick_top)
		v->pick_top = v->pick.sel;
	if (rows && v->pick.sel >= v->pick_top + rows)
		v->pick_top = v->pick.sel - rows + 1;
	for (size_t i = 0; i < rows && v->pick_top + i < v->pick.n; i++) {
		size_t k = v->pick_top + i;
		const struct domain *d = k ? &v->picks[k - 1] : NULL;
		bool current = d ? v->q.domain && strcmp(d->path, v->dom.path) == 0 : !v->q.domain;
		struct domain global;
		sb_reset(&sb);
		sb_adds(&sb, current ? "* " : "  ");
		if (!d) {
			domain_global(&global, &v->snap.mem);
			d = &global;
		}
		topfmt_domain(&sb, d, &v->snap.mem, v->utf8);
		attrset(k == v->pick.sel && !v->pick.field.len ? A_REVERSE : A_NORMAL);
		if (k == v->pick.sel && !v->pick.field.len)
			mvhline((int)(2 + i), 0, ' ', (int)cols);
		put_line((int)(2 + i), sb_str(&sb), sb.len, 0, v->utf8);
		attrset(A_NORMAL);
	}
	sb_free(&sb);
}

/* Draws the explain screen: a title, then the explanation wrapped to the width from explain_top. */
static void draw_explain(struct view *v)
{
	size_t lines = (size_t)(LINES > 0 ? LINES : 1), cols = (size_t)(COLS > 0 ? COLS : 1);
	struct strbuf sb = STRBUF_INIT, wrapped = STRBUF_INIT;
	const char *p, *end;

	sb_addf(&sb, "explain %d at %s  j/k PgUp/PgDn scroll  space again  q back", (int)v->explain_pid,
		v->explain_clock);
	attrset(v->colors ? (attr_t)COLOR_PAIR(PAIR_TITLE) : (attr_t)A_REVERSE);
	mvhline(0, 0, ' ', (int)cols);
	put_line(0, sb_str(&sb), sb.len, 0, false);
	attrset(A_NORMAL);
	v->explain_rows = lines > 1 ? lines - 1 : 0;
	v->explain_lines = tui_wrap_text(sb_str(&v->explain), v->explain.len, cols, v->utf8, &wrapped);
	v->explain_top = tui_scroll(v->explain_top, 0, v->explain_lines, v->explain_rows);
	p = sb_str(&wrapped);
	end = p + wrapped.len;
	for (size_t i = 0; i < v->explain_top + v->explain_rows && p < end; i++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (i >= v->explain_top)
			put_line((int)(1 + i - v->explain_top), p, (size_t)(eol - p), 0, v->utf8);
		p = eol + 1;
	}
	sb_free(&sb);
	sb_free(&wrapped);
}

/* Draws the whole screen from the last refresh. */
static void draw(struct view *v)
{
	struct strbuf sb = STRBUF_INIT, line = STRBUF_INIT;
	struct topfmt_ctx ctx = {
		.totalpages = v->snap.totalpages,
		.page_kib = v->snap.mem.page_kib,
		.utf8 = v->utf8,
		.width = 0,
	};
	struct tui_header h = {
		.clock = v->clock,
		.mem = &v->snap.mem,
		.have_psi = v->have_psi,
		.psi = v->psi,
		.have_kills = v->have_kills,
		.kills_boot = v->kills_now,
		.kills_view = v->kills_now - v->kills_start,
		.total = v->snap.total,
		.killable = v->snap.killable,
		.rows = v->snap.nrows,
		.domain = "global",
		.key = v->q.key,
		.reverse = v->q.reverse,
		.interval = v->interval,
		.filter = v->filter[0] ? v->filter : NULL,
		.user = v->user[0] ? v->user : NULL,
		.have_victim = v->have_victim,
		.victim_pid = v->victim_pid,
		.victim_comm = v->victim_comm,
		.utf8 = v->utf8,
	};
	size_t lines = (size_t)(LINES > 0 ? LINES : 1), cols = (size_t)(COLS > 0 ? COLS : 1);
	size_t max_header, nheader, y = 0;
	char partial[128];
	int unreadable_errno;
	struct strbuf dom = STRBUF_INIT;
	attr_t attr;

	tui_partial_text(partial, sizeof(partial), &v->hidepid,
			 v->snap.table ? proc_table_unreadable(v->snap.table, &unreadable_errno) : 0);
	h.partial = partial[0] ? partial : NULL;

	erase();
	if (v->mode == TUI_MODE_HELP) {
		draw_help(v);
		refresh();
		return;
	}
	if (v->mode == TUI_MODE_DOMAINS) {
		draw_domains(v);
		refresh();
		return;
	}
	if (v->mode == TUI_MODE_EXPLAIN) {
		draw_explain(v);
		refresh();
		return;
	}
	if (v->q.domain) {
		topfmt_domain(&dom, v->q.domain, &v->snap.mem, v->utf8);
		h.domain = sb_str(&dom);
		h.domain_first = true;
	}
	/* room: header, message line, column header, at least 3 rows (or what is left), footer */
	max_header = lines > 7 ? lines - 6 : 1;
	if (max_header > 4)
		max_header = 4;
	nheader = tui_header_lines(&h, cols, max_header, &sb);
	{
		const char *p = sb_str(&sb), *end = p + sb.len;
		while (p < end && y < lines) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				eol = end;
			put_line((int)y++, p, (size_t)(eol - p), 0, v->utf8);
			p = eol + 1;
		}
		y = nheader < lines ? nheader : lines;
	}
	if (y < lines) {
		/* the message line grows for a long answer (the writer explains a refusal at length) */
		size_t max_msg = lines >= 20 ? 3 : lines >= 14 ? 2 : 1, nmsg;
		struct strbuf wrapped = STRBUF_INIT;
		const char *p, *end;
		sb_reset(&sb);
		message_line(v, &sb, &attr);
		nmsg = tui_wrap(sb_str(&sb), sb.len, cols, max_msg, v->utf8, &wrapped);
		attrset(attr);
		p = sb_str(&wrapped);
		end = p + wrapped.len;
		for (size_t i = 0; i < (nmsg ? nmsg : 1) && y < lines; i++, y++) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				eol = end;
			if (attr != A_NORMAL) /* a banner or an answer fills its whole line */
				mvhline((int)y, 0, ' ', (int)cols);
			put_line((int)y, p, (size_t)(eol - p), 0, v->utf8);
			p = eol < end ? eol + 1 : end;
		}
		attrset(A_NORMAL);
		sb_free(&wrapped);
	}
	if (y < lines) {
		sb_reset(&sb);
		topfmt_header(&sb, &ctx);
		attrset(A_REVERSE);
		mvhline((int)y, 0, ' ', (int)cols);
		put_line((int)y, sb_str(&sb), sb.len ? sb.len - 1 : 0, v->hscroll, v->utf8);
		attrset(A_NORMAL);
		y++;
	}
	v->table_rows = lines > y + 1 ? lines - y - 1 : 0;
	if (v->sel >= v->top + v->table_rows && v->table_rows)
		v->top = v->sel - v->table_rows + 1;
	for (size_t i = 0; i < v->table_rows && v->top + i < v->snap.nrows; i++) {
		struct proc_record *rec = v->snap.rows[v->top + i];
		attr_t a = A_NORMAL;
		fill_row(v, rec);
		tui_sched_touch(&v->sched, rec->pid);
		sb_reset(&line);
		topfmt_row(&line, rec, &ctx);
		if (v->have_victim && rec->pid == v->victim_pid)
			a |= v->colors ? (attr_t)(COLOR_PAIR(PAIR_VICTIM) | A_BOLD) : (attr_t)A_BOLD;
		if (v->top + i == v->sel)
			a |= A_REVERSE;
		attrset(a);
		if (a & A_REVERSE)
			mvhline((int)(y + i), 0, ' ', (int)cols);
		put_line((int)(y + i), sb_str(&line), line.len ? line.len - 1 : 0, v->hscroll, v->utf8);
		attrset(A_NORMAL);
	}
	if (v->snap.nrows == 0 && v->table_rows > 0) {
		const char *none = v->filter[0] || v->user[0] ? "no process matches" : "no killable process";
		put_line((int)y, none, strlen(none), 0, v->utf8);
	}
	if (lines > y) {
		tui_footer_line(cols, &sb);
		attrset(v->colors ? (attr_t)(COLOR_PAIR(PAIR_TITLE)) : (attr_t)A_REVERSE);
		put_line((int)lines - 1, sb_str(&sb), sb.len, 0, false);
		attrset(A_NORMAL);
	}
	refresh();
	sb_free(&sb);
	sb_free(&line);
	sb_free(&dom);
}

/* Opens a prompt on the message line with text as its starting value. */
static void open_prompt(struct view *v, enum prompt p, const char *text)
{
	v->prompt = p;
	tui_field_set(&v->field, text);
	v->msg[0] = '\0';
}

/*
 * Starts a write to the selected process: 'a' asks for the value first, 'p'
 * (value given) goes to the confirmation.  The process is identified now,
 * by pid and start time, so that the write cannot reach another process
 * that took its pid meanwhile.
 */
static void start_action(struct view *v, const char *cmd, bool have_value, int value)
{
	struct proc_record *rec;

	if (v->snap.nrows == 0 || v->sel >= v->snap.nrows) {
		snprintf(v->msg, sizeof(v->msg), "no process selected");
		v->msg_error = true;
		return;
	}
	rec = v->snap.rows[v->sel];
	memset(&v->act, 0, sizeof(v->act));
	v->act.cmd = cmd;
	v->act.pid = rec->pid;
	memcpy(v->act.comm, rec->comm, sizeof(v->act.comm));
	if (proc_read_start(v->snap.table, rec) == 0)
		v->act.start = rec->start_ticks;
	v->act.have_old = (rec->known & PROC_HAVE_ADJ) != 0;
	v->act.old = rec->oom_score_adj;
	v->act.value = value;
	v->prompt = have_value ? PROMPT_CONFIRM : PROMPT_ADJ;
	tui_field_set(&v->field, "");
}

/* Writes the confirmed value through the writer and shows its line, as `oomtop set` prints it. */
static void do_action(struct view *v)
{
	struct adj_request req = { .unit = ADJ_SCORE, .value = v->act.value, .cmd = v->act.cmd };
	struct strbuf sb = STRBUF_INIT;
	struct adj_result res;

	adj_set_pid(v->act.pid, v->act.start, &req, &res);
	adj_format(&sb, &res, v->utf8);
	snprintf(v->msg, sizeof(v->msg), "%s", sb_str(&sb));
	v->msg_error = res.err != 0;
	sb_free(&sb);
	tui_sched_touch(&v->sched, v->act.pid); /* read it again at once: the row shows the new value */
}

/* Applies the text of a finished prompt was; returns whether the rows must be taken again. */
static bool finish_prompt(struct view *v, enum prompt was)
{
	const char *text = v->field.text;

	switch (was) {
	case PROMPT_FILTER:
		snprintf(v->filter, sizeof(v->filter), "%s", text);
		v->q.match = v->filter[0] ? match_filter : NULL;
		v->q.match_arg = v->filter;
		v->sel = v->top = 0;
		return true;
	case PROMPT_USER:
		if (!*text) {
			v->q.have_uid = false;
			v->user[0] = '\0';
		} else if (users_parse(text, &v->q.uid) == 0) {
			v->q.have_uid = true;
			snprintf(v->user, sizeof(v->user), "%s", text);
		} else {
			struct strbuf sb = STRBUF_INIT;
			out_escape(&sb, text, strlen(text), v->utf8);
			snprintf(v->msg, sizeof(v->msg), "no such user '%s' (a user name or a numeric uid)",
				 sb_str(&sb));
			sb_free(&sb);
			return false;
		}
		v->sel = v->top = 0;
		return true;
	case PROMPT_DELAY: {
		double d;
		if (num_parse_seconds(text, 100, 86400000, &d) < 0) {
			struct strbuf sb = STRBUF_INIT;
			out_escape(&sb, text, strlen(text), v->utf8); /* a pasted ESC must not reach the terminal */
			snprintf(v->msg, sizeof(v->msg), "'%.40s' is not a number of seconds (0.1 to 86400)",
				 sb_str(&sb));
			sb_free(&sb);
			return false;
		}
		v->interval = d;
		v->sched.period = tui_sched_period(d);
		return false;
	}
	case PROMPT_ADJ: {
		int value, err = adj_parse(text, ADJ_SCORE, &value);
		if (!*text)
			return false;
		if (err < 0) {
			struct strbuf sb = STRBUF_INIT;
			out_escape(&sb, text, strlen(text), v->utf8);
			/* the words of `oomtop set` for the same mistake */
			snprintf(v->msg, sizeof(v->msg), "ADJ '%s' is %s (an oom_score_adj, %d..%d)", sb_str(&sb),
				 err == -ERANGE ? "out of range" : "not a number", OOM_SCORE_ADJ_MIN,
				 OOM_SCORE_ADJ_MAX);
			v->msg_error = true;
			sb_free(&sb);
			return false;
		}
		v->act.value = value;
		v->prompt = PROMPT_CONFIRM;
		return false;
	}
	case PROMPT_CONFIRM:
	case PROMPT_NONE:
		break;
	}
	return false;
}

/*
 * Computes the explanation of pid as `oomtop explain` does and shows it
 * (again=true keeps the scroll position); a process that exited leaves a
 * one-line message on the table instead.
 */
static void show_explain(struct view *v, pid_t pid, const char *comm, bool again)
{
	struct explain e = { 0 };
	struct strbuf sb = STRBUF_INIT;
	int err = explain_compute(pid, &e);

	if (err < 0) {
		out_escape(&sb, comm, strlen(comm), v->utf8);
		if (err == -ENOENT || err == -ESRCH)
			snprintf(v->msg, sizeof(v->msg), "process %d (%.100s) has exited", (int)pid, sb_str(&sb));
		else
			snprintf(v->msg, sizeof(v->msg), "cannot explain %d (%.100s): %s", (int)pid, sb_str(&sb),
				 strerror(-err));
		v->msg_error = true;
		v->mode = TUI_MODE_TABLE;
		explain_free(&e);
		sb_free(&sb);
		return;
	}
	sb_reset(&v->explain);
	explain_format_text(&v->explain, &e, v->utf8);
	explain_free(&e);
	v->explain_pid = pid;
	if (comm != v->explain_comm)
		snprintf(v->explain_comm, sizeof(v->explain_comm), "%s", comm);
	memcpy(v->explain_clock, v->clock, sizeof(v->explain_clock));
	if (!again)
		v->explain_top = 0;
	v->mode = TUI_MODE_EXPLAIN;
	sb_free(&sb);
}

/* Opens the pick list of 'c': the global domain, then every memory cgroup with a limit. */
static void open_domains(struct view *v)
{
	domain_free_all(v->picks, v->npicks);
	v->picks = NULL;
	v->npicks = 0;
	if (ensure_hier(v) && domain_list_limited(&v->hier, &v->picks, &v->npicks) < 0) {
		v->picks = NULL;
		v->npicks = 0;
	}
	memset(&v->pick, 0, sizeof(v->pick));
	v->pick.n = v->npicks + 1;
	for (size_t i = 0; i < v->npicks && v->q.domain; i++)
		if (strcmp(v->picks[i].path, v->dom.path) == 0)
			v->pick.sel = i + 1;
	v->pick_top = 0;
	v->mode = TUI_MODE_DOMAINS;
}

/* Finds the domain of the path typed into the pick list; 0, or -1 with the reason in v->msg. */
static int typed_domain(struct view *v, const char *text, struct domain *d)
{
	struct strbuf arg = STRBUF_INIT, res = STRBUF_INIT, in = STRBUF_INIT;
	char resolved[CGROUP_PATH_MAX];
	int err;

	out_escape(&arg, text, strlen(text), v->utf8);
	if (!ensure_hier(v)) {
		snprintf(v->msg, sizeof(v->msg), "no memory cgroup hierarchy is mounted: only the global domain");
		err = -ENOENT;
		goto out;
	}
	err = cgroup_resolve(&v->hier, text, resolved, sizeof(resolved));
	if (err == 0)
		err = domain_innermost(&v->hier, resolved, &v->snap.mem, d);
	/* the words of `top --cgroup` for the same mistakes */
	if (err == -ENOENT || err == -ENOTDIR)
		snprintf(v->msg, sizeof(v->msg), "no cgroup %.200s in the memory hierarchy (cgroup v%d at %.200s)",
			 sb_str(&arg), v->hier.m.version, v->hier.m.dir);
	else if (err == -EINVAL || err == -EXDEV || err == -ENAMETOOLONG)
		snprintf(v->msg, sizeof(v->msg), "'%.200s' is not a cgroup path of the memory hierarchy at %.200s (%s)",
			 sb_str(&arg), v->hier.m.dir,
			 err == -EINVAL  ? "'..' is not allowed"
			 : err == -EXDEV ? "outside what this mount shows"
					 : "too long");
	else if (err < 0)
		snprintf(v->msg, sizeof(v->msg), "%.200s: %s", sb_str(&arg), strerror(-err));
	if (err < 0)
		goto out;
	out_escape(&res, resolved, strlen(resolved), v->utf8);
	out_escape(&in, d->path, strlen(d->path), v->utf8);
	if (d->global)
		snprintf(v->msg, sizeof(v->msg),
			 "cgroup %.200s and its ancestors have no memory limit: "
			 "its processes die only in a global OOM",
			 sb_str(&res));
	else if (strcmp(resolved, d->path) != 0)
		snprintf(v->msg, sizeof(v->msg),
			 "cgroup %.200s has no limit of its own: its processes die when %.200s "
			 "reaches its limit",
			 sb_str(&res), sb_str(&in));
out:
	v->msg_error = err < 0;
	sb_free(&arg);
	sb_free(&res);
	sb_free(&in);
	return err < 0 ? -1 : 0;
}

/* Applies the choice made in the pick list; returns whether the rows must be taken again. */
static bool finish_domains(struct view *v)
{
	struct domain d;
	bool again = false;

	memset(&d, 0, sizeof(d));
	v->mode = TUI_MODE_TABLE;
	if (v->pick.field.len) {
		if (typed_domain(v, v->pick.field.text, &d) == 0) {
			set_domain(v, &d);
			again = true;
		}
	} else if (v->pick.sel == 0) {
		set_domain(v, NULL);
		again = true;
	} else if (v->pick.sel <= v->npicks) {
		d = v->picks[v->pick.sel - 1];
		memset(&v->picks[v->pick.sel - 1], 0, sizeof(d)); /* v->dom owns it now */
		set_domain(v, &d);
		again = true;
	}
	domain_free_all(v->picks, v->npicks);
	v->picks = NULL;
	v->npicks = 0;
	return again;
}

/* Moves the selection by delta rows (clamped). */
static void move_selection(struct view *v, long delta)
{
	long n = (long)v->snap.nrows, s = (long)v->sel + delta;

	if (n == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= n)
		s = n - 1;
	v->sel = (size_t)s;
	v->sel_pid = v->snap.rows[v->sel]->pid;
	if (v->sel < v->top)
		v->top = v->sel;
	else if (v->table_rows && v->sel >= v->top + v->table_rows)
		v->top = v->sel - v->table_rows + 1;
}

/* Handles one key (a character when is_char); returns whether the rows must be taken again. */
static bool handle_key(struct view *v, int key, bool is_char)
{
	long page = v->table_rows > 1 ? (long)v->table_rows - 1 : 1;
	enum tui_action act;

	if (v->prompt == PROMPT_CONFIRM) {
		if (!is_char && key == KEY_RESIZE)
			return false;
		v->prompt = PROMPT_NONE;
		if (is_char && (key == 'y' || key == 'Y')) {
			do_action(v);
			return true;
		}
		snprintf(v->msg, sizeof(v->msg), "nothing changed");
		v->msg_error = false;
		return false;
	}
	if (v->mode == TUI_MODE_DOMAINS) {
		if (!is_char && key == KEY_RESIZE)
			return false;
		if (!is_char && key == KEY_ENTER)
			return finish_domains(v);
		switch (tui_pick_key(&v->pick, key, is_char)) {
		case TUI_EDIT_GOING:
			return false;
		case TUI_EDIT_CANCEL:
			v->mode = TUI_MODE_TABLE;
			domain_free_all(v->picks, v->npicks);
			v->picks = NULL;
			v->npicks = 0;
			return false;
		case TUI_EDIT_DONE:
			return finish_domains(v);
		}
	}
	if (v->mode == TUI_MODE_EXPLAIN) {
		long step = v->explain_rows > 1 ? (long)v->explain_rows - 1 : 1;
		switch (tui_key_action(key, v->mode)) {
		case TUI_UP:
			step = -1;
			break;
		case TUI_DOWN:
			step = 1;
			break;
		case TUI_PAGE_UP:
			step = -step;
			break;
		case TUI_PAGE_DOWN:
			break;
		case TUI_HOME:
			step = -(long)v->explain_lines;
			break;
		case TUI_END:
			step = (long)v->explain_lines;
			break;
		case TUI_CLOSE:
			v->mode = TUI_MODE_TABLE;
			return false;
		case TUI_REFRESH:
			show_explain(v, v->explain_pid, v->explain_comm, true);
			return false;
		case TUI_REDRAW:
			clearok(curscr, TRUE);
			return false;
		default:
			return false;
		}
		v->explain_top = tui_scroll(v->explain_top, step, v->explain_lines, v->explain_rows);
		return false;
	}
	if (v->prompt != PROMPT_NONE) {
		if (!is_char && key == KEY_RESIZE)
			return false;
		switch (tui_field_key(&v->field, key, is_char)) {
		case TUI_EDIT_GOING:
			return false;
		case TUI_EDIT_CANCEL:
			v->prompt = PROMPT_NONE;
			return false;
		case TUI_EDIT_DONE: {
			enum prompt was = v->prompt;
			v->prompt = PROMPT_NONE; /* a finished prompt may open the next one */
			return finish_prompt(v, was);
		}
		}
	}
	act = tui_key_action(key, v->mode);
	if (act != TUI_RESIZE) {
		v->msg[0] = '\0';
		v->msg_error = false;
		v->banner[0] = '\0';
		v->nkills = 0;
	}
	switch (act) {
	case TUI_QUIT:
		v->quit = true;
		break;
	case TUI_UP:
		move_selection(v, -1);
		break;
	case TUI_DOWN:
		move_selection(v, 1);
		break;
	case TUI_PAGE_UP:
		move_selection(v, -page);
		break;
	case TUI_PAGE_DOWN:
		move_selection(v, page);
		break;
	case TUI_HOME:
		move_selection(v, -(long)v->snap.nrows);
		break;
	case TUI_END:
		move_selection(v, (long)v->snap.nrows);
		break;
	case TUI_SORT_NEXT:
		v->q.key = rank_key_next(v->q.key);
		return true;
	case TUI_SORT_PREV:
		for (int i = 0; i < 7; i++) /* the key before is seven steps after, of eight */
			v->q.key = rank_key_next(v->q.key);
		return true;
	case TUI_REVERSE:
		v->q.reverse = !v->q.reverse;
		return true;
	case TUI_FILTER:
		open_prompt(v, PROMPT_FILTER, v->filter);
		break;
	case TUI_USER:
		open_prompt(v, PROMPT_USER, "");
		break;
	case TUI_DELAY:
		open_prompt(v, PROMPT_DELAY, "");
		break;
	case TUI_SET_ADJ:
		start_action(v, "set", false, 0);
		break;
	case TUI_PROTECT:
		start_action(v, "protect", true, OOM_SCORE_ADJ_MIN);
		break;
	case TUI_DOMAIN:
		open_domains(v);
		break;
	case TUI_EXPLAIN:
		if (v->snap.nrows == 0 || v->sel >= v->snap.nrows) {
			snprintf(v->msg, sizeof(v->msg), "no process selected");
			v->msg_error = true;
			break;
		}
		show_explain(v, v->snap.rows[v->sel]->pid, v->snap.rows[v->sel]->comm, false);
		break;
	case TUI_HELP:
		v->mode = TUI_MODE_HELP;
		break;
	case TUI_CLOSE:
		v->mode = TUI_MODE_TABLE;
		break;
	case TUI_REDRAW:
		clearok(curscr, TRUE);
		break;
	case TUI_REFRESH:
		v->sched.all = true; /* space: everything fresh now, as a full scan would be */
		return true;
	case TUI_RESIZE:
	case TUI_NONE:
		break;
	}
	if (!is_char && key == KEY_LEFT)
		v->hscroll = v->hscroll > HSCROLL_STEP ? v->hscroll - HSCROLL_STEP : 0;
	if (!is_char && key == KEY_RIGHT)
		v->hscroll += HSCROLL_STEP;
	return false;
}

/* Reads every key that is waiting; returns whether the rows must be taken again. */
static bool read_keys(struct view *v)
{
	bool again = false;
	wint_t wc;
	int r;

	while ((r = get_wch(&wc)) != ERR && !v->quit) {
		bool is_char = r == OK;
		int key = (int)wc;
		/* keys arrive as characters; map the ones tui_key_action() knows by code */
		if (is_char && v->prompt == PROMPT_NONE && (wc == '\n' || wc == '\r'))
			key = KEY_ENTER, is_char = false;
		if (v->prompt == PROMPT_NONE && v->mode != TUI_MODE_DOMAINS && is_char && wc > 0x7f)
			continue;
		if (handle_key(v, key, is_char))
			again = true;
	}
	return again;
}

/* Sets up colors unless NO_COLOR asks for none (https://no-color.org). */
static bool setup_colors(void)
{
	const char *nc = getenv("NO_COLOR");

	if ((nc && *nc) || !has_colors())
		return false;
	start_color();
	use_default_colors();
	init_pair(PAIR_VICTIM, COLOR_RED, -1);
	init_pair(PAIR_BANNER, COLOR_WHITE, COLOR_RED);
	init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	return true;
}

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* Installs handler for the signals that end the view; SA_RESTART off so ppoll() wakes. */
static void set_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(quit_signals) / sizeof(quit_signals[0]); i++)
		sigaction(quit_signals[i], &sa, NULL);
}

/*
 * Blocks the signals that end the view (stored in *set) and stores in
 * *wait_mask the mask to wait with (the previous one, without them), and in
 * *old the previous one.
 */
static void block_signals(sigset_t *set, sigset_t *wait_mask, sigset_t *old)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(quit_signals) / sizeof(quit_signals[0]); i++)
		sigaddset(set, quit_signals[i]);
	sigprocmask(SIG_BLOCK, set, old);
	*wait_mask = *old;
	for (size_t i = 0; i < sizeof(quit_signals) / sizeof(quit_signals[0]); i++)
		sigdelset(wait_mask, quit_signals[i]);
}

/*
 * Runs the live view until 'q', the given number of refreshes, or a signal.
 * Returns 0; -ENOTTY when the terminal cannot host it (not a terminal,
 * TERM unset or "dumb", or unknown to terminfo: the caller prints the table
 * instead); or -errno when /proc could not be read.  *signo is set to the
 * signal that ended it (the caller re-raises it), else 0.  The terminal is
 * restored in every case.
 */
int tui_run(const struct tui_opts *o, int *signo)
{
	const char *term = getenv("TERM");
	struct view v;
	SCREEN *scr;
	sigset_t quit_set, wait_mask, old_mask;
	double next;
	int err = 0;

	*signo = 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !term || !*term || strcmp(term, "dumb") == 0)
		return -ENOTTY;
	memset(&v, 0, sizeof(v));
	v.q = o->q;
	v.q.match = NULL;
	v.interval = o->interval;
	v.iterations = o->iterations;
	v.sched.period = tui_sched_period(o->interval);
	v.utf8 = out_locale_utf8();
	if (proc_hidepid_read(&v.hidepid) < 0)
		v.hidepid.hides = false;
	if (o->q.have_uid)
		snprintf(v.user, sizeof(v.user), "%s", users_name(o->q.uid));
	v.q.domain = NULL;
	if (o->q.domain && !o->q.domain->global) {
		/* a copy of its own, reloaded at each refresh */
		struct domain d;
		if (sysmem_read(&v.snap.mem) == 0 && ensure_hier(&v) &&
		    domain_cgroup(&v.hier, o->q.domain->path, &d) == 0)
			set_domain(&v, &d);
		else
			snprintf(v.msg, sizeof(v.msg), "cgroup %.400s is gone: the global domain", o->q.domain->path);
	}

	/* handlers first: ncurses leaves alone the signals that already have one */
	got_signal = 0;
	set_signals(on_signal);
	block_signals(&quit_set, &wait_mask, &old_mask);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		set_signals(SIG_DFL);
		return -ENOTTY;
	}
	curses_on = true;
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
	v.colors = setup_colors();
	kmsg_start(&v);

	/* the first refresh needs the screen size to know how many rows to fill */
	v.table_rows = LINES > 6 ? (size_t)LINES - 6 : 1;
	next = now_mono();
	while (!got_signal && !v.quit) {
		double now = now_mono();
		struct pollfd pfd[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = v.kmsg_fd, .events = POLLIN }, /* ignored while -1 */
		};
		struct timespec timeout = { 0, 0 };

		if (now >= next) {
			err = refresh_data(&v);
			if (err < 0)
				break;
			next += v.interval;
			if (next < now)
				next = now + v.interval;
		}
		draw(&v);
		if (v.iterations && v.refreshes >= v.iterations)
			break;
		now = now_mono();
		if (next > now) {
			double wait = next - now + 0.001;
			timeout.tv_sec = (time_t)wait;
			timeout.tv_nsec = (long)((wait - (double)timeout.tv_sec) * 1e9);
		}
		/* the only place the quitting signals are unblocked: none is missed between the check and the wait */
		ppoll(pfd, 2, &timeout, &wait_mask);
		if (!got_signal) {
			/*
			 * ppoll() runs the handler only when it is interrupted
			 * (fs/select.c: restore_saved_sigmask_unless(ret ==
			 * -ERESTARTNOHAND)); with a file ready at once, as a hung-up
			 * terminal always is, a pending SIGHUP would stay pending.
			 */
			const struct timespec zero = { 0, 0 };
			int sig = sigtimedwait(&quit_set, NULL, &zero);
			if (sig > 0)
				got_signal = sig;
		}
		if (got_signal)
			break;
		if (pfd[1].revents)
			kmsg_poll(&v);
		if (read_keys(&v) && !v.quit) {
			err = refresh_data(&v);
			if (err < 0)
				break;
			next = now_mono() + v.interval;
		}
	}
	restore_terminal();
	delscreen(scr);
	kmsg_stop(&v);
	sigprocmask(SIG_SETMASK, &old_mask, NULL); /* one still pending is caught by on_signal */
	set_signals(SIG_DFL);
	snap_free(&v.snap);
	tui_sched_free(&v.sched);
	domain_free(&v.dom);
	domain_free_all(v.picks, v.npicks);
	sb_free(&v.explain);
	*signo = got_signal;
	return err;
}
