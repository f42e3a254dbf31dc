/*
 * The live view's keys: one table of key -> action -> help text, as tmux's
 * key-bindings.c and htop's Action.c keep theirs.  tui_key_action() reads
 * keys through it, and the help screen, the footer and the key list that
 * the man page's KEYS section must agree with are made from it, so that a
 * new key is one row here (and its action in the screen that acts on it).
 * Pure: no terminal here, only the key codes of curses.h.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "rank.h"
#include "strbuf.h"
#include "tui.h"

#define CTRL(c) ((c)&0x1f)
#define ESC 27

/* The screens a binding acts on: a bit per enum tui_mode. */
#define ON(mode) (1u << (mode))
#define ON_ALL (ON(TUI_MODE_TABLE) | ON(TUI_MODE_HELP) | ON(TUI_MODE_DOMAINS) | ON(TUI_MODE_EXPLAIN))

/* How a binding shows in the help. */
enum {
	HIDDEN = 1, /* acts, but the help does not name the key (aliases such as Ctrl-B, R) */
	JOIN = 2,   /* its line goes on the line above, after "; " */
};

/*
 * One key on some screens.  A binding with help text starts a group, and
 * the bindings after it without text join that group: the help shows the
 * group as one line, its keys' names and the text ('\n' continues it on
 * the next line).  A group that does not act on the table belongs to the
 * screen the table's group above it opens: it is listed on one indented
 * line, "KEYS TEXT, KEYS TEXT".
 */
struct binding {
	unsigned screens; /* ON() of the screens where it acts */
	int key;          /* a character or a curses key code */
	enum tui_action action;
	const char *help;   /* the group's text, NULL = the key joins the group above */
	unsigned flags;     /* HIDDEN, JOIN */
	const char *footer; /* the group's word in the footer, NULL = not there */
	unsigned footer_at; /* its place in the footer, from 1 */
};

/*
 * The keys are those of top(1) and htop(1) where they agree with the issue
 * (q, arrows, j/k, s, r, /, u, ?), and the issue's own: a (oom_score_adj),
 * p (protect), c (the OOM domain), e and Enter (explain).  On the explain
 * screen the moving keys scroll and q, Escape or e go back; any key leaves
 * the help, as in top and htop; the pick list of c reads its keys with
 * tui_pick_key().
 */
static const struct binding bindings[] = {
	/* no group above these: the help does not show them */
	{ ON_ALL, KEY_RESIZE, TUI_RESIZE, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), ESC, TUI_CLOSE, NULL, HIDDEN, NULL, 0 }, /* drops a banner or a message */
	{ ON(TUI_MODE_TABLE), 'q', TUI_QUIT, "quit", 0, "quit", 1 },
	{ ON(TUI_MODE_TABLE), KEY_F(10), TUI_QUIT, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_UP, TUI_UP, "move the selection", 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_DOWN, TUI_DOWN, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'j', TUI_DOWN, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'k', TUI_UP, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_PPAGE, TUI_PAGE_UP, "move by a screen", 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_NPAGE, TUI_PAGE_DOWN, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), CTRL('b'), TUI_PAGE_UP, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), CTRL('f'), TUI_PAGE_DOWN, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_HOME, TUI_HOME, "first, last", JOIN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_END, TUI_END, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'g', TUI_HOME, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'G', TUI_END, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_LEFT, TUI_SCROLL_LEFT, "scroll the table sideways", 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_RIGHT, TUI_SCROLL_RIGHT, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 's', TUI_SORT_NEXT, "next, previous sort key:\n" RANK_KEY_NAMES, 0, "sort", 2 },
	{ ON(TUI_MODE_TABLE), '>', TUI_SORT_NEXT, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), '<', TUI_SORT_PREV, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'r', TUI_REVERSE, "reverse the order", 0, "reverse", 3 },
	{ ON(TUI_MODE_TABLE), 'R', TUI_REVERSE, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'w', TUI_WORKLOAD, "the WORKLOAD column on or off", JOIN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'W', TUI_BY_WORKLOAD, "one row per workload (top --by workload), or the processes", 0,
	  NULL, 0 },
	{ ON(TUI_MODE_TABLE), '/', TUI_FILTER, "filter by name or command line (empty: none)", 0, "filter", 4 },
	{ ON(TUI_MODE_TABLE), '\\', TUI_FILTER, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_F(4), TUI_FILTER, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'u', TUI_USER, "only one user's processes (empty: all)", 0, "user", 7 },
	{ ON(TUI_MODE_TABLE), 'a', TUI_SET_ADJ, "set the selected process's oom_score_adj (asks, confirms)", 0, "adj",
	  8 },
	{ ON(TUI_MODE_TABLE), 'p', TUI_PROTECT, "protect it: oom_score_adj -1000 (confirms)", 0, "protect", 9 },
	{ ON(TUI_MODE_TABLE), 'e', TUI_EXPLAIN, "explain the selected process (oomtop explain):", 0, "explain", 5 },
	{ ON(TUI_MODE_TABLE), KEY_ENTER, TUI_EXPLAIN, NULL, 0, NULL, 0 },
	/* the explain screen's own keys, listed under e */
	{ ON(TUI_MODE_EXPLAIN), 'j', TUI_DOWN, "scroll", 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), 'k', TUI_UP, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_PPAGE, TUI_PAGE_UP, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_NPAGE, TUI_PAGE_DOWN, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_DOWN, TUI_DOWN, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_UP, TUI_UP, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), CTRL('b'), TUI_PAGE_UP, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), CTRL('f'), TUI_PAGE_DOWN, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_HOME, TUI_HOME, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), 'g', TUI_HOME, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_END, TUI_END, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), 'G', TUI_END, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), ' ', TUI_REFRESH, "again", 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), 'q', TUI_CLOSE, "back", 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), ESC, TUI_CLOSE, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), 'e', TUI_CLOSE, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_EXPLAIN), KEY_F(10), TUI_CLOSE, NULL, HIDDEN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), 'c', TUI_DOMAIN,
	  "the OOM domain: global or a memory cgroup with a\n"
	  "limit (pick with Up Down j k and Enter, or type\n"
	  "a cgroup path; Esc cancels)",
	  0, "domain", 6 },
	{ ON(TUI_MODE_TABLE), 'd', TUI_DELAY, "refresh interval in seconds", 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), ' ', TUI_REFRESH, "refresh now", 0, NULL, 0 },
	{ ON_ALL, CTRL('l'), TUI_REDRAW, "redraw the screen", JOIN, NULL, 0 },
	{ ON(TUI_MODE_TABLE), '?', TUI_HELP, "this help", 0, "help", 10 },
	{ ON(TUI_MODE_TABLE), 'h', TUI_HELP, NULL, 0, NULL, 0 },
	{ ON(TUI_MODE_TABLE), KEY_F(1), TUI_HELP, NULL, 0, NULL, 0 },
};

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

/* What a key no binding names does on each screen: any key leaves the help. */
static const enum tui_action unbound[] = {
	[TUI_MODE_TABLE] = TUI_NONE,
	[TUI_MODE_HELP] = TUI_CLOSE,
	[TUI_MODE_DOMAINS] = TUI_NONE, /* tui_pick_key() reads them */
	[TUI_MODE_EXPLAIN] = TUI_NONE,
};

/* Returns what key does on the given screen: its binding there, else what an unbound key does. */
enum tui_action tui_key_action(int key, enum tui_mode mode)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].key == key && (bindings[i].screens & ON(mode)))
			return bindings[i].action;
	return unbound[mode];
}

/* Appends the name of a key as the help and the man page write it: "q", "F10", "Ctrl-L", "Up". */
static void binding_key_name(struct strbuf *sb, int key)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KEY_UP, "Up" },       { KEY_DOWN, "Down" },  { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
		{ KEY_PPAGE, "PgUp" },  { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
		{ KEY_ENTER, "Enter" }, { ESC, "Esc" },        { ' ', "space" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].key == key) {
			sb_adds(sb, names[i].name);
			return;
		}
	}
	if (key >= KEY_F(0) && key <= KEY_F(63))
		sb_addf(sb, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 0x20)
		sb_addf(sb, "Ctrl-%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		sb_addc(sb, (char)key);
	else
		sb_addf(sb, "key %d", key);
}

/* Appends the names of the shown keys of the group that starts at bindings[i]; returns the index after it. */
static size_t group_keys(struct strbuf *sb, size_t i)
{
	size_t end = i + 1, before = sb->len;

	while (end < NBINDINGS && !bindings[end].help)
		end++;
	for (size_t k = i; k < end; k++) {
		if (bindings[k].flags & HIDDEN)
			continue;
		if (sb->len > before)
			sb_addc(sb, ' ');
		binding_key_name(sb, bindings[k].key);
	}
	return end;
}

/* Returns whether the group that starts at bindings[i] has a line of the table's keys in the help. */
static bool on_table(size_t i)
{
	return bindings[i].help && (bindings[i].screens & ON(TUI_MODE_TABLE)) && !(bindings[i].flags & HIDDEN);
}

/* The column of the help's texts: two spaces, the keys in 14 columns, a space. */
#define HELP_INDENT "                 "

/*
 * Appends the key lines of the help screen, separated by '\n': each
 * table's group as "  KEYS  TEXT", the groups of the screen it opens on
 * one line under it, indented.
 */
void tui_help_keys(struct strbuf *out)
{
	struct strbuf keys = STRBUF_INIT;
	bool sub = false; /* a line of another screen's keys is open */
	size_t i = 0;

	sb_reset(out);
	while (i < NBINDINGS) {
		const struct binding *b = &bindings[i];
		size_t next;

		sb_reset(&keys);
		next = group_keys(&keys, i);
		if (!b->help || (b->flags & HIDDEN)) {
			i = next;
			continue;
		}
		if (on_table(i)) {
			sub = false;
			if (b->flags & JOIN)
				sb_addf(out, "; %s: ", sb_str(&keys));
			else
				sb_addf(out, "%s  %-14s ", out->len ? "\n" : "", sb_str(&keys));
			for (const char *p = b->help; *p; p++) {
				if (*p == '\n')
					sb_adds(out, "\n" HELP_INDENT);
				else
					sb_addc(out, *p);
			}
		} else {
			sb_addf(out, "%s%s %s", sub ? ", " : "\n" HELP_INDENT, sb_str(&keys), b->help);
			sub = true;
		}
		i = next;
	}
	sb_free(&keys);
}

/*
 * Appends the key list: the keys of each of the table's groups, one group
 * a line, as the man page's KEYS section lists them (the tests compare).
 */
void tui_key_list(struct strbuf *out)
{
	struct strbuf keys = STRBUF_INIT;
	size_t i = 0;

	sb_reset(out);
	while (i < NBINDINGS) {
		size_t next;
		sb_reset(&keys);
		next = group_keys(&keys, i);
		if (on_table(i))
			sb_addf(out, "%s%s", out->len ? "\n" : "", sb_str(&keys));
		i = next;
	}
	sb_free(&keys);
}

/*
 * Appends the footer's items ("q quit"), one a line in their order, the
 * one that must always show (the help's) last.
 */
void tui_footer_keys(struct strbuf *out)
{
	const struct binding *help = NULL;

	sb_reset(out);
	for (unsigned at = 1; at <= NBINDINGS; at++) {
		for (size_t i = 0; i < NBINDINGS; i++) {
			const struct binding *b = &bindings[i];
			if (b->footer_at != at)
				continue;
			if (b->action == TUI_HELP) {
				help = b;
				continue;
			}
			binding_key_name(out, b->key);
			sb_addf(out, " %s\n", b->footer);
		}
	}
	if (help) {
		binding_key_name(out, help->key);
		sb_addf(out, " %s", help->footer);
	}
}
