/*
 * The live view: `oomtop top` on a terminal, refreshed every few seconds,
 * in the manner of top(1) and htop(1).  Each refresh is one pass of the
 * snapshot pipeline that keeps its process table between refreshes and
 * re-reads only what the schedule in tui_model.c asks for.  Everything a
 * process chose (its name, its command line) reaches the screen escaped by
 * out_escape(), as in the one-shot table.
 *
 * This file is the loop (keys, refreshes, signals, the kernel log) and the
 * data of a refresh; what is on the screen is drawn and driven by the
 * screens of tui_screen.h, each in its own file.
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

#include "cgroup.h"
#include "domain.h"
#include "klog.h"
#include "kmsg.h"
#include "oomcount.h"
#include "out.h"
#include "tui.h"
#include "tui_screen.h"
#include "users.h"
#include "xalloc.h"

#define PSI_MEMORY "/proc/pressure/memory"

/* The screens by mode (tui_screen.h). */
static const struct tui_screen *const screens[] = {
	[TUI_MODE_TABLE] = &tui_screen_table,
	[TUI_MODE_HELP] = &tui_screen_help,
	[TUI_MODE_DOMAINS] = &tui_screen_domains,
	[TUI_MODE_EXPLAIN] = &tui_screen_explain,
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

/* Reads the memory pressure into v (have_psi false when the kernel has no PSI). */
static void read_psi(struct view *v)
{
	struct psi p;

	v->have_psi = sysmem_psi_read(&p) == 0;
	v->psi = (struct tui_psi){ { p.some.avg10, p.some.avg60, p.some.avg300 },
				   { p.full.avg10, p.full.avg60, p.full.avg300 } };
}

/* Finds the process the domain's OOM would kill now: the first of the ranking (not only of the filtered rows). */
static void find_victim(struct view *v)
{
	const struct rank_row *best = rank_victim(&v->snap.rank);

	v->have_victim = best != NULL;
	if (best) {
		v->victim_pid = best->rec->pid;
		memcpy(v->victim_comm, best->rec->comm, sizeof(v->victim_comm));
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
	size_t n = tui_rows_len(v);

	for (size_t i = 0; i < n; i++) {
		if (tui_row_rec(v, i)->pid == v->sel_pid) {
			v->sel = i;
			break;
		}
	}
	if (n == 0)
		v->sel = 0;
	else if (v->sel >= n)
		v->sel = n - 1;
	if (n)
		v->sel_pid = tui_row_rec(v, v->sel)->pid;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->table_rows && v->sel >= v->top + v->table_rows)
		v->top = v->sel - v->table_rows + 1;
	if (v->top > 0 && v->top + v->table_rows > n)
		v->top = n > v->table_rows ? n - v->table_rows : 0;
}

/* Returns how many rows the table screen has: processes, or workloads when grouped. */
size_t tui_rows_len(const struct view *v)
{
	return v->grouped ? v->ngroups : v->snap.nrows;
}

/* Returns the process of row i of the table screen: a workload's first victim when grouped. */
struct proc_record *tui_row_rec(const struct view *v, size_t i)
{
	return v->grouped ? v->groups[i].first->rec : v->snap.rows[i]->rec;
}

/*
 * Switches between the processes and one row per workload ('W').  The
 * workloads are in kill order, so the sort and the WORKLOAD column of the
 * processes are put aside and come back with them.
 */
void tui_group_toggle(struct view *v)
{
	v->grouped = !v->grouped;
	if (v->grouped) {
		v->ungrouped_key = v->q.key;
		v->ungrouped_reverse = v->q.reverse;
		v->ungrouped_workloads = v->q.workloads;
		v->q.key = RANK_BADNESS;
		v->q.reverse = false;
		v->q.workloads = true;
	} else {
		v->q.key = v->ungrouped_key;
		v->q.reverse = v->ungrouped_reverse;
		v->q.workloads = v->ungrouped_workloads;
		free(v->groups);
		v->groups = NULL;
		v->ngroups = 0;
	}
	v->sel = 0;
	v->top = 0;
	v->hscroll = 0;
}

/* Orders record pointers by pid for qsort. */
static int cmp_rec_pid(const void *a, const void *b)
{
	pid_t x = (*(const struct proc_record *const *)a)->pid, y = (*(const struct proc_record *const *)b)->pid;

	return (x > y) - (x < y);
}

/* Opens the memory cgroup hierarchy once; returns whether there is one. */
bool ensure_hier(struct view *v)
{
	if (!v->have_hier && v->snap.mem.page_kib &&
	    cgroup_hier_open(&v->hier, v->snap.mem.page_kib * 1024,
			     v->snap.mem.swap_total_kib / v->snap.mem.page_kib) == 0)
		v->have_hier = true;
	return v->have_hier;
}

/* Makes d (taken over: v owns it now) the domain of the rows, the global one when d is NULL or global. */
void set_domain(struct view *v, struct domain *d)
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
	/* the workloads need every row's: which one is first is the whole ranking's answer */
	v->q.limit = v->grouped ? 0 : v->top + (v->table_rows ? v->table_rows : 1);
	err = snap_refresh(&v->snap, &v->q, tui_sched_stale, &v->sched);
	if (err < 0)
		return err;
	free(v->groups);
	v->groups = NULL;
	v->ngroups = 0;
	if (v->grouped && snap_group_workloads(&v->snap, &v->groups, &v->ngroups) < 0)
		v->ngroups = 0; /* a row without its workload: none is shown rather than a wrong one */
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
void tui_put_line(int y, const char *s, size_t len, size_t skip, bool utf8)
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

/*
 * Writes the '\n'-separated lines of text from its line `first` on, at most
 * rows of them from row y, each over a line of blanks when fill (an answer
 * or a banner fills its width); returns how many it wrote.
 */
size_t tui_put_lines(int y, const char *text, size_t len, size_t first, size_t rows, bool fill, bool utf8)
{
	const char *p = text, *end = text + len;
	size_t i = 0, n = 0;

	for (; p < end && n < rows; i++) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (i >= first) {
			if (fill)
				mvhline(y + (int)n, 0, ' ', COLS);
			tui_put_line(y + (int)n++, p, (size_t)(eol - p), 0, utf8);
		}
		p = eol < end ? eol + 1 : end;
	}
	return n;
}

/* Drops the answer to the last key and the banner of new kills: a key was read. */
void tui_dismiss(struct view *v)
{
	v->msg[0] = '\0';
	v->msg_error = false;
	v->banner[0] = '\0';
	v->nkills = 0;
}

/* Draws the screen shown from the last refresh. */
static void draw(struct view *v)
{
	erase();
	screens[v->mode]->draw(v);
	refresh();
}

/*
 * Handles one key (a character when is_char): the open prompt reads it, else
 * the screen shown.  Returns whether the rows must be taken again.
 */
static bool handle_key(struct view *v, int key, bool is_char)
{
	if (v->prompt != PROMPT_NONE)
		return tui_prompt_key(v, key, is_char);
	return screens[v->mode]->key(v, key, is_char);
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
	if (o->by_workload)
		tui_group_toggle(&v);
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
	free(v.groups);
	tui_sched_free(&v.sched);
	domain_free(&v.dom);
	domain_free_all(v.picks, v.npicks);
	sb_free(&v.explain);
	*signo = got_signal;
	return err;
}
