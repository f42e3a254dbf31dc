/*
 * The live view's screens (private to src/tui*.c): the state they share,
 * and each screen as a pair of callbacks, as tmux's window modes are.  The
 * loop in tui.c reads a key and hands it to the prompt while one is open,
 * else to the screen shown; it draws the screen shown after every key and
 * every refresh.  Keys reach actions through the table in tui_keys.c.
 *
 *   tui_table.c    the process table, its header, message line and footer
 *   tui_prompt.c   the prompts of the message line ('/', 'u', 'd', 'a', 'p')
 *   tui_explain.c  the explanation of one process ('e')
 *   tui_domains.c  the pick list of OOM domains ('c')
 *   tui_help.c     the help ('?')
 */
#ifndef OOMTOP_TUI_SCREEN_H
#define OOMTOP_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "domain.h"
#include "proc.h"
#include "snapshot.h"
#include "strbuf.h"
#include "tui.h"

#define HSCROLL_STEP 8
#define BANNER_KILLS 8 /* kills the banner names, newest first */

struct klog;

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
	bool grouped;                /* 'W': one row per workload, in the order of their first victims */
	struct snap_group *groups;   /* owned: the last refresh's workloads while grouped */
	size_t ngroups;
	enum rank_key ungrouped_key; /* the sort the processes come back with */
	bool ungrouped_reverse, ungrouped_workloads;
};

/* One screen of the view. */
struct tui_screen {
	void (*draw)(struct view *v);                       /* draws it on the erased screen, from the last refresh */
	bool (*key)(struct view *v, int key, bool is_char); /* returns whether the rows must be taken again */
};

extern const struct tui_screen tui_screen_table, tui_screen_help, tui_screen_domains, tui_screen_explain;

/* tui.c: the loop, the data of a refresh, and what the screens share */
void tui_put_line(int y, const char *s, size_t len, size_t skip, bool utf8);
size_t tui_put_lines(int y, const char *text, size_t len, size_t first, size_t rows, bool fill, bool utf8);
void tui_dismiss(struct view *v);
bool ensure_hier(struct view *v);
void set_domain(struct view *v, struct domain *d);
size_t tui_rows_len(const struct view *v);
struct proc_record *tui_row_rec(const struct view *v, size_t i);
void tui_group_toggle(struct view *v);

/* tui_prompt.c */
void tui_prompt_open(struct view *v, enum prompt p, const char *text);
void tui_prompt_write(struct view *v, const char *cmd, bool have_value, int value);
bool tui_prompt_key(struct view *v, int key, bool is_char);
bool tui_prompt_line(const struct view *v, struct strbuf *sb);

/* tui_explain.c, tui_domains.c: what opens them */
void tui_explain_open(struct view *v, pid_t pid, const char *comm, bool again);
void tui_domains_open(struct view *v);

#endif
