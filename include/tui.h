/*
 * The live view of `oomtop top` on a terminal (ncurses), and the pure parts
 * it is made of: which key does what and the help made from it
 * (tui_keys.c), the header's layout for a width, the '/' filter and the
 * refresh schedule (tui_model.c).
 */
#ifndef OOMTOP_TUI_H
#define OOMTOP_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "proc.h"
#include "rank.h"
#include "snapshot.h"
#include "strbuf.h"
#include "sysmem.h"

/* How the live view starts: the query of `top` and the refresh settings. */
struct tui_opts {
	struct snap_query q;      /* sort, reverse, user, pids, all (limit is ignored) */
	double interval;          /* seconds between refreshes */
	unsigned long iterations; /* refreshes before it quits by itself, 0 = until 'q' */
	bool by_workload;         /* start with one row per workload (top --by workload) */
};

int tui_run(const struct tui_opts *o, int *signo);

/* What a key does; the view maps curses keys through tui_key_action() (the table in tui_keys.c). */
enum tui_action {
	TUI_NONE,
	TUI_QUIT,
	TUI_UP,
	TUI_DOWN,
	TUI_PAGE_UP,
	TUI_PAGE_DOWN,
	TUI_HOME,
	TUI_END,
	TUI_SCROLL_LEFT, /* the table sideways */
	TUI_SCROLL_RIGHT,
	TUI_SORT_NEXT,
	TUI_SORT_PREV,
	TUI_REVERSE,
	TUI_FILTER,
	TUI_USER,
	TUI_DELAY,
	TUI_SET_ADJ,     /* 'a': the selected process's oom_score_adj */
	TUI_PROTECT,     /* 'p': oom_score_adj -1000 */
	TUI_DOMAIN,      /* 'c': pick the OOM domain */
	TUI_EXPLAIN,     /* 'e', Enter: explain the selected process */
	TUI_WORKLOAD,    /* 'w': show or hide the WORKLOAD column */
	TUI_BY_WORKLOAD, /* 'W': one row per workload, or the processes again */
	TUI_HELP,
	TUI_CLOSE, /* leave the help or the explain screen, drop a banner or a message */
	TUI_REDRAW,
	TUI_REFRESH,
	TUI_RESIZE,
};

/* The screens of the view. */
enum tui_mode {
	TUI_MODE_TABLE,
	TUI_MODE_HELP,
	TUI_MODE_DOMAINS, /* the pick list of 'c' (keys through tui_pick_key()) */
	TUI_MODE_EXPLAIN, /* the explanation of one process, scrolled */
};

enum tui_action tui_key_action(int key, enum tui_mode mode);
void tui_help_keys(struct strbuf *out);
void tui_key_list(struct strbuf *out);
void tui_footer_keys(struct strbuf *out);

/* A one-line text field for the prompts ('/', 'u', 'd'). */
#define TUI_FIELD_MAX 128
struct tui_field {
	char text[TUI_FIELD_MAX]; /* UTF-8, NUL-terminated */
	size_t len;
};

/* What a key did to a field being edited. */
enum tui_edit {
	TUI_EDIT_GOING,  /* keep editing */
	TUI_EDIT_DONE,   /* Enter: use the text */
	TUI_EDIT_CANCEL, /* Escape or Ctrl-C: keep what was there before */
};

enum tui_edit tui_field_key(struct tui_field *f, int key, bool is_char);
void tui_field_set(struct tui_field *f, const char *text);

/* A pick list ('c'): n items, the selected one, and a path that can be typed instead. */
struct tui_pick {
	size_t n;
	size_t sel;
	struct tui_field field; /* "" = the selected item */
};

enum tui_edit tui_pick_key(struct tui_pick *p, int key, bool is_char);
size_t tui_scroll(size_t top, long delta, size_t nlines, size_t rows);
size_t tui_wrap_text(const char *text, size_t len, size_t width, bool utf8, struct strbuf *out);

/* The averages of /proc/pressure/memory as the header shows them (sysmem_psi_read() reads them). */
struct tui_psi {
	double some[3]; /* avg10, avg60, avg300 in percent */
	double full[3];
};

bool tui_filter_match(const char *comm, const char *cmdline, size_t cmdline_len, const char *pattern);

/* Everything the header shows, gathered by the view for one refresh. */
struct tui_header {
	const char *clock;        /* "HH:MM:SS" */
	const struct sysmem *mem; /* borrowed */
	bool have_psi;
	struct tui_psi psi;
	bool have_kills;
	unsigned long kills_boot; /* /proc/vmstat oom_kill */
	unsigned long kills_view; /* since the view opened */
	size_t total, killable, rows;
	const char *domain; /* "global", or the cgroup domain as topfmt_domain() names it */
	bool domain_first;  /* a cgroup domain: named right after the victim */
	enum rank_key key;
	bool reverse;
	double interval;
	const char *filter; /* the '/' text, NULL = none */
	const char *user;   /* the 'u' user, NULL = all */
	bool have_victim;
	pid_t victim_pid;
	const char *victim_comm; /* raw: the layout escapes it */
	const char *partial;     /* why some processes are not seen (tui_partial_text()), NULL = all are */
	const char *model;       /* the model check (model_check_text()), NULL = none */
	bool utf8;
};

struct klog_event;
void tui_kill_text(struct strbuf *sb, const struct klog_event *ev, bool utf8);

struct proc_hidepid;
void tui_partial_text(char *buf, size_t size, const struct proc_hidepid *hp, size_t unreadable);
size_t tui_header_lines(const struct tui_header *h, size_t width, size_t max_lines, struct strbuf *out);
void tui_footer_line(size_t width, struct strbuf *out);

/* How the table screen shares a terminal's lines (tui_table_layout()). */
struct tui_layout {
	size_t header;  /* lines the header may take */
	size_t message; /* lines the message line may grow to */
};

void tui_table_layout(size_t lines, struct tui_layout *l);
size_t tui_wrap(const char *text, size_t len, size_t width, size_t max_lines, bool utf8, struct strbuf *out);

/*
 * The refresh schedule: which processes a refresh re-reads.  A process whose
 * numbers changed at its last reading, a new one, the rows on screen and the
 * next victim are read at every refresh; a quiet one every `period`
 * refreshes (TUI_QUIET_SECS seconds), spread evenly over them.
 */
#define TUI_QUIET_SECS 10.0
struct tui_sched_entry {
	pid_t pid;
	unsigned long next;  /* the refresh that reads it next */
	unsigned long fp[7]; /* the values compared to tell a change */
};

struct tui_sched {
	struct tui_sched_entry *e; /* owned, in pid order */
	size_t len;
	unsigned long tick;   /* the refresh being taken, from 1 */
	unsigned long period; /* refreshes between readings of a quiet process */
	unsigned long spread; /* spreads the first readings over the period */
	bool all;             /* the refresh being taken reads every process */
};

unsigned long tui_sched_period(double interval);
bool tui_sched_stale(const struct proc_record *rec, void *sched);
void tui_sched_update(struct tui_sched *s, const struct proc_record *const *recs, size_t n);
void tui_sched_touch(struct tui_sched *s, pid_t pid);
void tui_sched_free(struct tui_sched *s);

#endif
