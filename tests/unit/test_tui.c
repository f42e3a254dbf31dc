/* Unit tests of the live view's pure parts (src/tui_model.c, src/tui_keys.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klog.h"
#include "out.h"
#include "proc.h"
#include "tui.h"

#define CTRL(c) ((c) & 0x1f)

static void test_keys(void **state)
{
	(void)state;
	assert_int_equal(tui_key_action('q', TUI_MODE_TABLE), TUI_QUIT);
	assert_int_equal(tui_key_action(KEY_F(10), TUI_MODE_TABLE), TUI_QUIT);
	assert_int_equal(tui_key_action(KEY_UP, TUI_MODE_TABLE), TUI_UP);
	assert_int_equal(tui_key_action('k', TUI_MODE_TABLE), TUI_UP);
	assert_int_equal(tui_key_action(KEY_DOWN, TUI_MODE_TABLE), TUI_DOWN);
	assert_int_equal(tui_key_action('j', TUI_MODE_TABLE), TUI_DOWN);
	assert_int_equal(tui_key_action(KEY_NPAGE, TUI_MODE_TABLE), TUI_PAGE_DOWN);
	assert_int_equal(tui_key_action(KEY_PPAGE, TUI_MODE_TABLE), TUI_PAGE_UP);
	assert_int_equal(tui_key_action(KEY_HOME, TUI_MODE_TABLE), TUI_HOME);
	assert_int_equal(tui_key_action('G', TUI_MODE_TABLE), TUI_END);
	assert_int_equal(tui_key_action('s', TUI_MODE_TABLE), TUI_SORT_NEXT);
	assert_int_equal(tui_key_action('<', TUI_MODE_TABLE), TUI_SORT_PREV);
	assert_int_equal(tui_key_action('r', TUI_MODE_TABLE), TUI_REVERSE);
	assert_int_equal(tui_key_action('/', TUI_MODE_TABLE), TUI_FILTER);
	assert_int_equal(tui_key_action('u', TUI_MODE_TABLE), TUI_USER);
	assert_int_equal(tui_key_action('d', TUI_MODE_TABLE), TUI_DELAY);
	assert_int_equal(tui_key_action('?', TUI_MODE_TABLE), TUI_HELP);
	assert_int_equal(tui_key_action(KEY_F(1), TUI_MODE_TABLE), TUI_HELP);
	assert_int_equal(tui_key_action(' ', TUI_MODE_TABLE), TUI_REFRESH);
	assert_int_equal(tui_key_action(CTRL('l'), TUI_MODE_TABLE), TUI_REDRAW);
	assert_int_equal(tui_key_action(KEY_RESIZE, TUI_MODE_TABLE), TUI_RESIZE);
	assert_int_equal(tui_key_action('a', TUI_MODE_TABLE), TUI_SET_ADJ);
	assert_int_equal(tui_key_action('p', TUI_MODE_TABLE), TUI_PROTECT);
	/* keys of actions that are not there do nothing (no key pretends to work) */
	assert_int_equal(tui_key_action('x', TUI_MODE_TABLE), TUI_NONE);
	assert_int_equal(tui_key_action('Q', TUI_MODE_TABLE), TUI_NONE);
	/* on the help screen any key goes back, except a resize */
	assert_int_equal(tui_key_action('q', TUI_MODE_HELP), TUI_CLOSE);
	assert_int_equal(tui_key_action('j', TUI_MODE_HELP), TUI_CLOSE);
	assert_int_equal(tui_key_action(KEY_RESIZE, TUI_MODE_HELP), TUI_RESIZE);
	/* c picks the domain; e and Enter explain */
	assert_int_equal(tui_key_action('c', TUI_MODE_TABLE), TUI_DOMAIN);
	assert_int_equal(tui_key_action('e', TUI_MODE_TABLE), TUI_EXPLAIN);
	assert_int_equal(tui_key_action(KEY_ENTER, TUI_MODE_TABLE), TUI_EXPLAIN);
	/* the explain screen: the moving keys scroll, q Esc e go back, the table's keys do nothing */
	assert_int_equal(tui_key_action('j', TUI_MODE_EXPLAIN), TUI_DOWN);
	assert_int_equal(tui_key_action(KEY_UP, TUI_MODE_EXPLAIN), TUI_UP);
	assert_int_equal(tui_key_action(KEY_NPAGE, TUI_MODE_EXPLAIN), TUI_PAGE_DOWN);
	assert_int_equal(tui_key_action(KEY_PPAGE, TUI_MODE_EXPLAIN), TUI_PAGE_UP);
	assert_int_equal(tui_key_action('g', TUI_MODE_EXPLAIN), TUI_HOME);
	assert_int_equal(tui_key_action('G', TUI_MODE_EXPLAIN), TUI_END);
	assert_int_equal(tui_key_action('q', TUI_MODE_EXPLAIN), TUI_CLOSE);
	assert_int_equal(tui_key_action(27, TUI_MODE_EXPLAIN), TUI_CLOSE);
	assert_int_equal(tui_key_action('e', TUI_MODE_EXPLAIN), TUI_CLOSE);
	assert_int_equal(tui_key_action(' ', TUI_MODE_EXPLAIN), TUI_REFRESH);
	assert_int_equal(tui_key_action(KEY_ENTER, TUI_MODE_EXPLAIN), TUI_NONE);
	assert_int_equal(tui_key_action('p', TUI_MODE_EXPLAIN), TUI_NONE);
	assert_int_equal(tui_key_action('a', TUI_MODE_EXPLAIN), TUI_NONE);
	assert_int_equal(tui_key_action('s', TUI_MODE_EXPLAIN), TUI_NONE);
	assert_int_equal(tui_key_action('c', TUI_MODE_EXPLAIN), TUI_NONE);
	assert_int_equal(tui_key_action(CTRL('l'), TUI_MODE_EXPLAIN), TUI_REDRAW);
	/* the pick list reads its keys itself */
	assert_int_equal(tui_key_action('q', TUI_MODE_DOMAINS), TUI_NONE);
	assert_int_equal(tui_key_action(KEY_RESIZE, TUI_MODE_DOMAINS), TUI_RESIZE);
}

/* Feeds a UTF-8 string to a field one code point at a time. */
static enum tui_edit type(struct tui_field *f, const char *s)
{
	enum tui_edit r = TUI_EDIT_GOING;
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;
		int n = out_utf8_decode(p + i, len - i, &cp);
		if (n < 0) {
			cp = p[i];
			n = 1;
		}
		r = tui_field_key(f, (int)cp, true);
		i += (size_t)n;
	}
	return r;
}

static void test_field(void **state)
{
	struct tui_field f;
	(void)state;

	tui_field_set(&f, "");
	assert_int_equal(type(&f, "mem"), TUI_EDIT_GOING);
	assert_string_equal(f.text, "mem");
	assert_int_equal(tui_field_key(&f, KEY_BACKSPACE, false), TUI_EDIT_GOING);
	assert_string_equal(f.text, "me");
	type(&f, "\xc3\xa9t\xc3\xa9"); /* "été": backspace takes a whole character */
	tui_field_key(&f, 127, true);
	assert_string_equal(f.text, "me\xc3\xa9t");
	tui_field_key(&f, 127, true);
	tui_field_key(&f, CTRL('h'), true);
	assert_string_equal(f.text, "me");
	/* control characters and escape sequences never get in */
	tui_field_key(&f, '\t', true);
	tui_field_key(&f, 0x9b, true);
	tui_field_key(&f, KEY_LEFT, false);
	assert_string_equal(f.text, "me");
	type(&f, " two words");
	tui_field_key(&f, CTRL('w'), true);
	assert_string_equal(f.text, "me two ");
	tui_field_key(&f, CTRL('u'), true);
	assert_string_equal(f.text, "");
	assert_int_equal(tui_field_key(&f, '\r', true), TUI_EDIT_DONE);
	assert_int_equal(tui_field_key(&f, KEY_ENTER, false), TUI_EDIT_DONE);
	assert_int_equal(tui_field_key(&f, 27, true), TUI_EDIT_CANCEL);
	assert_int_equal(tui_field_key(&f, CTRL('c'), true), TUI_EDIT_CANCEL);
	/* full: the text stays whole characters and NUL-terminated */
	tui_field_set(&f, "");
	for (int i = 0; i < 200; i++)
		tui_field_key(&f, 0x20ac, true); /* € is three bytes */
	assert_true(f.len < sizeof(f.text));
	assert_int_equal(f.len % 3, 0);
	assert_int_equal(strlen(f.text), f.len);
	/* set cuts long text on a character boundary */
	char big[300];
	memset(big, 0, sizeof(big));
	for (int i = 0; i + 3 < (int)sizeof(big) - 1; i += 3)
		memcpy(big + i, "\xe2\x82\xac", 3);
	tui_field_set(&f, big);
	assert_int_equal(f.len % 3, 0);
	assert_true(f.len <= sizeof(f.text) - 1);
}

static void test_filter(void **state)
{
	(void)state;
	const char cmd[] = "/usr/bin/Python3 -m http.server 8000";
	assert_true(tui_filter_match("python3", cmd, strlen(cmd), "PYTHON"));
	assert_true(tui_filter_match("x", cmd, strlen(cmd), "http.SERVER"));
	assert_true(tui_filter_match("x", cmd, strlen(cmd), "8000"));
	assert_false(tui_filter_match("x", cmd, strlen(cmd), "8001"));
	assert_true(tui_filter_match("kworker/0:1", NULL, 0, "KWORK"));
	assert_false(tui_filter_match("kworker/0:1", NULL, 0, "python"));
	assert_true(tui_filter_match("a", NULL, 0, ""));
	assert_true(tui_filter_match("a", NULL, 0, NULL));
	/* a cmdline with bytes past what it says it holds is not searched there */
	assert_false(tui_filter_match("x", "abcdef", 3, "def"));
	/* hostile bytes match as bytes */
	const char evil[] = "a\nb\x1b[2Jc\xff";
	assert_true(tui_filter_match("x", evil, strlen(evil), "\x1b[2J"));
	assert_true(tui_filter_match("x", evil, strlen(evil), "c\xff"));
	assert_false(tui_filter_match("x", evil, strlen(evil), "cd"));
}

/* Returns a header with plausible values. */
static struct tui_header mk_header(const struct sysmem *mem)
{
	struct tui_header h = {
		.clock = "12:34:56",
		.mem = mem,
		.have_psi = true,
		.psi = { { 1.5, 0.25, 0.0 }, { 0.5, 0.0, 0.0 } },
		.have_kills = true,
		.kills_boot = 71,
		.kills_view = 2,
		.total = 5093,
		.killable = 5001,
		.rows = 5001,
		.domain = "global",
		.key = RANK_BADNESS,
		.interval = 2,
		.have_victim = true,
		.victim_pid = 4242,
		.victim_comm = "memhog",
		.utf8 = true,
	};
	return h;
}

/* Checks that every line of out fits width columns and returns the number of lines. */
static size_t check_width(const struct strbuf *out, size_t width)
{
	const char *p = sb_str(out), *end = p + out->len;
	size_t lines = 0;

	while (p <= end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		assert_true(out_width(p, (size_t)(eol - p), true) <= width);
		lines++;
		p = eol + 1;
	}
	return lines;
}

static void test_header(void **state)
{
	struct sysmem mem = {
		.page_kib = 4, .mem_total_kib = 24683660, .mem_available_kib = 23012345,
		.swap_total_kib = 0, .swap_free_kib = 0, .commit_limit_kib = 12341828,
		.committed_as_kib = 1812345,
	};
	struct tui_header h = mk_header(&mem);
	struct strbuf out = STRBUF_INIT;
	size_t n;
	(void)state;

	n = tui_header_lines(&h, 120, 4, &out);
	assert_int_equal(check_width(&out, 120), n);
	assert_true(n >= 2 && n <= 3);
	assert_non_null(strstr(sb_str(&out), "next victim 4242 memhog"));
	assert_non_null(strstr(sb_str(&out), "avail 22G of 24G"));
	assert_non_null(strstr(sb_str(&out), "commit 1.7G of 12G"));
	assert_non_null(strstr(sb_str(&out), "psi some 1.50 0.25 0.00"));
	assert_non_null(strstr(sb_str(&out), "oom kills 71, 2 new"));
	assert_null(strstr(sb_str(&out), "filter"));

	/* 40 columns: more lines, none wider, the most important first */
	n = tui_header_lines(&h, 40, 4, &out);
	assert_int_equal(check_width(&out, 40), n);
	assert_int_equal(n, 4);
	assert_true(strncmp(sb_str(&out), "oomtop 12:34:56  next victim 4242", 33) == 0);
	n = tui_header_lines(&h, 40, 2, &out);
	assert_int_equal(n, 2);
	assert_int_equal(check_width(&out, 40), 2);
	n = tui_header_lines(&h, 5, 3, &out);
	assert_int_equal(check_width(&out, 5), n);
	assert_true(n <= 3);
	assert_int_equal(tui_header_lines(&h, 0, 3, &out), 0);

	/* filter and user show, escaped; a hostile name cannot reach the terminal raw */
	h.filter = "py\x1b[2J";
	h.user = "nobody";
	h.victim_comm = "a\nb\x1b]0;pwned\x07";
	n = tui_header_lines(&h, 200, 4, &out);
	assert_int_equal(check_width(&out, 200), n);
	assert_null(memchr(sb_str(&out), 0x1b, out.len));
	assert_null(memchr(sb_str(&out), 0x07, out.len));
	assert_non_null(strstr(sb_str(&out), "filter 'py\\x1b[2J'"));
	assert_non_null(strstr(sb_str(&out), "user nobody"));
	assert_non_null(strstr(sb_str(&out), "next victim 4242 a\\nb\\x1b]0;pwned\\x07"));

	/* a cgroup domain is named right after the victim, with its limit */
	h.domain = "cgroup /demo (v1), limit 64M + 0 swap = 16384 pages";
	h.domain_first = true;
	n = tui_header_lines(&h, 120, 4, &out);
	assert_int_equal(check_width(&out, 120), n);
	assert_non_null(strstr(sb_str(&out), "domain cgroup /demo (v1), limit 64M + 0 swap = 16384 pages"));
	assert_true(strstr(sb_str(&out), "domain ") < strstr(sb_str(&out), "filter "));
	assert_null(strstr(strstr(sb_str(&out), "domain ") + 1, "domain ")); /* once, not again at the end */
	assert_true(strstr(sb_str(&out), "domain ") < strstr(sb_str(&out), "avail "));
	h.domain = "global";
	h.domain_first = false;

	/* no PSI, no counter, no victim */
	h.have_psi = h.have_kills = h.have_victim = false;
	tui_header_lines(&h, 200, 4, &out);
	assert_non_null(strstr(sb_str(&out), "psi n/a"));
	assert_non_null(strstr(sb_str(&out), "oom kills n/a"));
	assert_non_null(strstr(sb_str(&out), "next victim none"));

	/* a partial view (hidepid=): said first, and the first row seen is not called the next victim */
	{
		struct proc_hidepid hp = { .mode = PROC_HIDEPID_INVISIBLE, .hides = true };
		char why[128];
		tui_partial_text(why, sizeof(why), &hp, 0);
		assert_string_equal(why, "hidepid=invisible hides other users' processes");
		tui_partial_text(why, sizeof(why), NULL, 3);
		assert_string_equal(why, "3 unreadable");
		hp.mode = PROC_HIDEPID_NOACCESS;
		tui_partial_text(why, sizeof(why), &hp, 2);
		assert_string_equal(why, "hidepid=noaccess, 2 unreadable");
		hp.hides = false; /* root: every process is seen */
		tui_partial_text(why, sizeof(why), &hp, 0);
		assert_string_equal(why, "");
		h.have_victim = true;
		h.victim_comm = "oomtop";
		h.partial = "hidepid=invisible hides other users' processes";
		n = tui_header_lines(&h, 120, 4, &out);
		assert_int_equal(check_width(&out, 120), n);
		assert_true(strncmp(sb_str(&out), "oomtop 12:34:56  PARTIAL VIEW: hidepid=invisible", 48) == 0);
		assert_non_null(strstr(sb_str(&out), "next victim ? (first seen 4242 oomtop)"));
		assert_null(strstr(sb_str(&out), "next victim 4242"));
	}
	sb_free(&out);
}

static void test_footer(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;

	for (size_t w = 6; w < 120; w++) {
		tui_footer_line(w, &out);
		assert_true(out.len <= w);
		assert_non_null(strstr(sb_str(&out), "? help"));
	}
	tui_footer_line(40, &out);
	assert_string_equal(sb_str(&out), "q quit  s sort  r reverse  ? help");
	tui_footer_line(80, &out);
	assert_string_equal(sb_str(&out), "q quit  s sort  r reverse  / filter  e explain  c domain  u user  a adj  ? help");
	tui_footer_line(2, &out);
	assert_true(out.len <= 2);
	sb_free(&out);
}

/* The table screen's lines: a header of up to 4 lines that leaves room for the rest, a message line that grows on tall terminals. */
static void test_layout(void **state)
{
	static const struct {
		size_t lines, header, message;
	} cases[] = {
		{ 1, 1, 1 }, { 3, 1, 1 }, { 7, 1, 1 }, { 8, 2, 1 }, { 9, 3, 1 }, { 10, 4, 1 }, { 13, 4, 1 },
		{ 14, 4, 2 }, { 19, 4, 2 }, { 20, 4, 3 }, { 60, 4, 3 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tui_layout l;
		tui_table_layout(cases[i].lines, &l);
		assert_int_equal(l.header, cases[i].header);
		assert_int_equal(l.message, cases[i].message);
	}
}

/* The help's key lines are made from the key table: every key and its text, in the table's order. */
static void test_help(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;

	tui_help_keys(&out);
	assert_string_equal(sb_str(&out),
			    "  q F10          quit\n"
			    "  Up Down j k    move the selection\n"
			    "  PgUp PgDn      move by a screen; Home End g G: first, last\n"
			    "  Left Right     scroll the table sideways\n"
			    "  s > <          next, previous sort key:\n"
			    "                 " RANK_KEY_NAMES "\n"
			    "  r              reverse the order; w: the WORKLOAD column on or off\n"
			    "  W              one row per workload (top --by workload), or the processes\n"
			    "  / \\ F4         filter by name or command line (empty: none)\n"
			    "  u              only one user's processes (empty: all)\n"
			    "  a              set the selected process's oom_score_adj (asks, confirms)\n"
			    "  p              protect it: oom_score_adj -1000 (confirms)\n"
			    "  e Enter        explain the selected process (oomtop explain):\n"
			    "                 j k PgUp PgDn scroll, space again, q Esc e back\n"
			    "  c              the OOM domain: global or a memory cgroup with a\n"
			    "                 limit (pick with Up Down j k and Enter, or type\n"
			    "                 a cgroup path; Esc cancels)\n"
			    "  d              refresh interval in seconds\n"
			    "  space          refresh now; Ctrl-L: redraw the screen\n"
			    "  ? h F1         this help");
	/* every key the help names does what its line says */
	assert_int_equal(tui_key_action(KEY_LEFT, TUI_MODE_TABLE), TUI_SCROLL_LEFT);
	assert_int_equal(tui_key_action(KEY_RIGHT, TUI_MODE_TABLE), TUI_SCROLL_RIGHT);
	assert_int_equal(tui_key_action(KEY_LEFT, TUI_MODE_EXPLAIN), TUI_NONE);
	assert_int_equal(tui_key_action('>', TUI_MODE_TABLE), TUI_SORT_NEXT);
	assert_int_equal(tui_key_action('w', TUI_MODE_TABLE), TUI_WORKLOAD);
	assert_int_equal(tui_key_action('W', TUI_MODE_TABLE), TUI_BY_WORKLOAD);
	assert_int_equal(tui_key_action('\\', TUI_MODE_TABLE), TUI_FILTER);
	assert_int_equal(tui_key_action(KEY_F(4), TUI_MODE_TABLE), TUI_FILTER);
	assert_int_equal(tui_key_action('h', TUI_MODE_TABLE), TUI_HELP);
	assert_int_equal(tui_key_action(KEY_END, TUI_MODE_TABLE), TUI_END);
	assert_int_equal(tui_key_action('g', TUI_MODE_TABLE), TUI_HOME);
	assert_int_equal(tui_key_action(CTRL('b'), TUI_MODE_TABLE), TUI_PAGE_UP);
	assert_int_equal(tui_key_action(CTRL('f'), TUI_MODE_EXPLAIN), TUI_PAGE_DOWN);
	assert_int_equal(tui_key_action(27, TUI_MODE_TABLE), TUI_CLOSE);
	assert_int_equal(tui_key_action(CTRL('l'), TUI_MODE_HELP), TUI_REDRAW);
	assert_int_equal(tui_key_action(CTRL('l'), TUI_MODE_DOMAINS), TUI_REDRAW);
	sb_free(&out);
}

/* Compares two strings through pointers to them, for qsort. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The man page's KEYS section lists the keys of the help, group by group
 * (".It Ic q , F10" is the help's "q F10"); the tests run from the top of
 * the tree, where man/oomtop.8 is.
 */
static void test_key_list_man(void **state)
{
	struct strbuf list = STRBUF_INIT;
	char *man[64], *help[64], line[512];
	size_t nman = 0, nhelp = 0;
	bool in = false;
	FILE *f = fopen("man/oomtop.8", "r");
	(void)state;

	if (!f)
		skip();
	while (fgets(line, sizeof(line), f) && nman < 64) {
		char item[512], *o = item;
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, ".Sh KEYS") == 0)
			in = true;
		else if (in && strcmp(line, ".El") == 0)
			break;
		if (!in || strncmp(line, ".It Ic ", 7) != 0)
			continue;
		for (const char *p = line + 7; *p; p++) {
			if (strncmp(p, " , ", 3) == 0)
				*o++ = ' ', p += 2;
			else if (strncmp(p, "\\e", 2) == 0)
				*o++ = '\\', p++;
			else if (strncmp(p, "\\&", 2) == 0)
				p++;
			else
				*o++ = *p;
		}
		*o = '\0';
		man[nman++] = strdup(item);
	}
	fclose(f);
	tui_key_list(&list);
	for (const char *p = sb_str(&list); *p && nhelp < 64;) {
		size_t n = strcspn(p, "\n");
		help[nhelp++] = strndup(p, n);
		p += n;
		if (*p)
			p++;
	}
	assert_true(nman > 10);
	qsort(man, nman, sizeof(man[0]), cmp_str);
	qsort(help, nhelp, sizeof(help[0]), cmp_str);
	for (size_t i = 0; i < nman || i < nhelp; i++)
		assert_string_equal(i < nman ? man[i] : "(none)", i < nhelp ? help[i] : "(none)");
	for (size_t i = 0; i < nman; i++)
		free(man[i]);
	for (size_t i = 0; i < nhelp; i++)
		free(help[i]);
	sb_free(&list);
}

static void test_wrap(void **state)
{
	struct strbuf out = STRBUF_INIT;
	(void)state;
	const char *t = "1234 (memhog): cannot lower oom_score_adj from 650 to -1000: that is below";

	assert_int_equal(tui_wrap("aaa bbb ccc", 11, 7, 3, true, &out), 2);
	assert_string_equal(sb_str(&out), "aaa bbb\nccc");
	assert_int_equal(tui_wrap(t, strlen(t), 40, 3, true, &out), 3);
	assert_string_equal(sb_str(&out), "1234 (memhog): cannot lower\noom_score_adj from 650 to -1000: that is\nbelow");
	assert_int_equal(check_width(&out, 40), 3);
	/* out of lines: the last one is cut */
	assert_int_equal(tui_wrap(t, strlen(t), 20, 2, true, &out), 2);
	assert_int_equal(check_width(&out, 20), 2);
	assert_string_equal(sb_str(&out), "1234 (memhog):\ncannot lower oom_sco");
	/* no space to break at: cut inside the word */
	assert_int_equal(tui_wrap("abcdefghij", 10, 4, 5, true, &out), 3);
	assert_string_equal(sb_str(&out), "abcd\nefgh\nij");
	/* never half a character; a wide one wider than the line goes alone */
	assert_int_equal(tui_wrap("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2, 5, true, &out), 2);
	assert_string_equal(sb_str(&out), "\xc3\xa9\xc3\xa9\n\xc3\xa9");
	assert_int_equal(tui_wrap("\xe4\xb8\xad\xe4\xb8\xad", 6, 1, 5, true, &out), 2);
	assert_int_equal(tui_wrap("short", 5, 80, 3, true, &out), 1);
	assert_string_equal(sb_str(&out), "short");
	assert_int_equal(tui_wrap("x", 1, 0, 3, true, &out), 0);
	assert_int_equal(tui_wrap("", 0, 10, 3, true, &out), 0);
	sb_free(&out);
}

static void test_sched_period(void **state)
{
	(void)state;
	assert_int_equal(tui_sched_period(1), 10);
	assert_int_equal(tui_sched_period(2), 5);
	assert_int_equal(tui_sched_period(3), 4);
	assert_int_equal(tui_sched_period(0.5), 20);
	assert_int_equal(tui_sched_period(0.1), 50);
	assert_int_equal(tui_sched_period(10), 1);
	assert_int_equal(tui_sched_period(60), 1);
	assert_int_equal(tui_sched_period(0), 1);
}

#define NREC 100

/* Runs one refresh of the schedule over recs: which were stale, then the update. */
static size_t sched_round(struct tui_sched *s, struct proc_record *recs, size_t n, bool stale[])
{
	const struct proc_record *ptrs[NREC];
	size_t count = 0;

	s->tick++;
	for (size_t i = 0; i < n; i++) {
		stale[i] = tui_sched_stale(&recs[i], s);
		count += stale[i];
		ptrs[i] = &recs[i];
	}
	tui_sched_update(s, ptrs, n);
	return count;
}

static void test_sched(void **state)
{
	struct tui_sched s = { .period = 5 };
	struct proc_record recs[NREC];
	bool stale[NREC];
	size_t per_tick[8] = { 0 };
	(void)state;

	memset(recs, 0, sizeof(recs));
	for (int i = 0; i < NREC; i++) {
		recs[i].pid = 100 + 3 * i;
		recs[i].anon_kib = 1000 + (unsigned long)i;
		snprintf(recs[i].comm, sizeof(recs[i].comm), "p%d", i);
		recs[i].known = PROC_HAVE_STATUS | PROC_HAVE_ADJ;
	}
	/* the first refresh reads all, then the quiet ones are spread evenly */
	assert_int_equal(sched_round(&s, recs, NREC, stale), NREC);
	for (int t = 2; t <= 6; t++)
		per_tick[t] = sched_round(&s, recs, NREC, stale);
	for (int t = 2; t <= 6; t++)
		assert_int_equal(per_tick[t], NREC / 5);
	/* and then each again, one period later */
	assert_int_equal(sched_round(&s, recs, NREC, stale), NREC / 5); /* tick 7 */

	/* a process that changed when it was read is read at every refresh after */
	size_t due = 0;
	for (size_t i = 0; i < NREC; i++)
		if (tui_sched_stale(&recs[i], &(struct tui_sched){ .e = s.e, .len = s.len, .tick = s.tick + 1 }))
			due = i;
	recs[due].anon_kib += 4; /* it grows before its next reading */
	sched_round(&s, recs, NREC, stale); /* tick 8: read, changed */
	assert_true(stale[due]);
	recs[due].pte_kib += 4; /* and goes on changing */
	sched_round(&s, recs, NREC, stale); /* tick 9: read, changed */
	assert_true(stale[due]);
	sched_round(&s, recs, NREC, stale); /* tick 10: read, unchanged: back to the period */
	assert_true(stale[due]);
	for (int t = 11; t < 15; t++) {
		sched_round(&s, recs, NREC, stale);
		assert_false(stale[due]);
	}
	sched_round(&s, recs, NREC, stale); /* tick 15 */
	assert_true(stale[due]);

	/* an oom_score_adj change counts as a change; the run state does not */
	recs[0].oom_score_adj = 500;
	recs[1].state = recs[1].state == 'R' ? 'S' : 'R';
	s.all = true;
	assert_int_equal(sched_round(&s, recs, NREC, stale), NREC);
	assert_false(s.all);
	assert_true(tui_sched_stale(&recs[0], &(struct tui_sched){ .e = s.e, .len = s.len, .tick = s.tick + 1 }));
	assert_false(tui_sched_stale(&recs[1], &(struct tui_sched){ .e = s.e, .len = s.len, .tick = s.tick + 1 }));

	/* touch: a row on screen is read at the next refresh */
	assert_false(tui_sched_stale(&recs[50], &(struct tui_sched){ .e = s.e, .len = s.len, .tick = s.tick + 1 }));
	tui_sched_touch(&s, recs[50].pid);
	assert_true(tui_sched_stale(&recs[50], &(struct tui_sched){ .e = s.e, .len = s.len, .tick = s.tick + 1 }));
	tui_sched_touch(&s, 99999); /* not there: nothing happens */

	/* processes that are gone leave the schedule; a new one is read at once and at the next refresh */
	struct proc_record fewer[NREC];
	memcpy(fewer, recs, sizeof(recs));
	fewer[10].pid = 100 + 3 * 10 + 1; /* pid 131 replaces 130, still in order */
	sched_round(&s, fewer, NREC, stale);
	assert_true(stale[10]);
	assert_int_equal(s.len, NREC);
	sched_round(&s, fewer, NREC, stale);
	assert_true(stale[10]);
	sched_round(&s, fewer, 50, stale);
	assert_int_equal(s.len, 50);
	tui_sched_free(&s);
	assert_null(s.e);
}

/* Returns an event whose numbers are all unknown. */
static struct klog_event mk_event(void)
{
	struct klog_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.time_sec = ev.uptime_usec = ev.pid = ev.uid = KLOG_NONE;
	ev.oom_score_adj = ev.oom_adj = ev.score = ev.order = KLOG_NONE;
	ev.total_vm_kib = ev.anon_rss_kib = ev.file_rss_kib = ev.shmem_rss_kib = ev.pgtables_kib = KLOG_NONE;
	ev.memcg_usage_kib = ev.memcg_limit_kib = ev.memcg_failcnt = KLOG_NONE;
	ev.trigger_pid = ev.trigger_oom_score_adj = ev.trigger_oom_adj = KLOG_NONE;
	ev.reaped_anon_kib = ev.reaped_file_kib = ev.reaped_shmem_kib = KLOG_NONE;
	return ev;
}

static void test_kill_text(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct klog_event ev = mk_event();
	(void)state;

	setenv("TZ", "UTC", 1);
	tzset();
	ev.pid = 8263;
	snprintf(ev.comm, sizeof(ev.comm), "memhog");
	snprintf(ev.oom_memcg, sizeof(ev.oom_memcg), "/tui-2696");
	ev.anon_rss_kib = 32768;
	ev.file_rss_kib = 1024;
	ev.shmem_rss_kib = 0;
	ev.time_sec = 1764036244; /* 2025-11-25 02:04:04 UTC */
	tui_kill_text(&sb, &ev, true);
	assert_string_equal(sb_str(&sb), "8263 memhog in /tui-2696, 33M at 02:04:04");

	/* a global OOM of an old kernel: no time, no sizes */
	sb_reset(&sb);
	ev = mk_event();
	ev.pid = 1;
	snprintf(ev.comm, sizeof(ev.comm), "x");
	snprintf(ev.message, sizeof(ev.message), "Out of memory");
	tui_kill_text(&sb, &ev, true);
	assert_string_equal(sb_str(&sb), "1 x in global");

	/* names come from processes and cgroups: escaped */
	sb_reset(&sb);
	ev = mk_event();
	snprintf(ev.comm, sizeof(ev.comm), "a\x1b[2J");
	snprintf(ev.oom_memcg, sizeof(ev.oom_memcg), "/evil\n\x07");
	tui_kill_text(&sb, &ev, true);
	assert_string_equal(sb_str(&sb), "a\\x1b[2J in /evil\\n\\x07");

	/* the victim's workload, from its task_memcg */
	sb_reset(&sb);
	ev = mk_event();
	ev.pid = 42;
	snprintf(ev.comm, sizeof(ev.comm), "mysqld");
	snprintf(ev.oom_memcg, sizeof(ev.oom_memcg), "/system.slice/mysql.service");
	snprintf(ev.task_memcg, sizeof(ev.task_memcg), "/system.slice/mysql.service");
	tui_kill_text(&sb, &ev, true);
	assert_string_equal(sb_str(&sb), "42 mysqld (service mysql.service) in /system.slice/mysql.service");
	sb_free(&sb);
}

static void test_pick(void **state)
{
	struct tui_pick p = { .n = 3 };
	(void)state;

	/* j k and the arrows move, clamped to the list */
	assert_int_equal(tui_pick_key(&p, 'k', true), TUI_EDIT_GOING);
	assert_int_equal(p.sel, 0);
	tui_pick_key(&p, 'j', true);
	tui_pick_key(&p, KEY_DOWN, false);
	tui_pick_key(&p, KEY_DOWN, false);
	assert_int_equal(p.sel, 2);
	tui_pick_key(&p, KEY_UP, false);
	assert_int_equal(p.sel, 1);
	tui_pick_key(&p, KEY_END, false);
	assert_int_equal(p.sel, 2);
	tui_pick_key(&p, KEY_HOME, false);
	assert_int_equal(p.sel, 0);
	assert_int_equal(p.field.len, 0);
	/* another character starts a path; then j and k are letters of it */
	tui_pick_key(&p, '/', true);
	tui_pick_key(&p, 'j', true);
	tui_pick_key(&p, 'k', true);
	assert_string_equal(p.field.text, "/jk");
	assert_int_equal(p.sel, 0);
	/* the arrows still move; Backspace edits; Enter ends, Escape cancels */
	tui_pick_key(&p, KEY_DOWN, false);
	assert_int_equal(p.sel, 1);
	assert_int_equal(tui_pick_key(&p, KEY_BACKSPACE, false), TUI_EDIT_GOING);
	assert_string_equal(p.field.text, "/j");
	assert_int_equal(tui_pick_key(&p, '\r', true), TUI_EDIT_DONE);
	assert_int_equal(tui_pick_key(&p, KEY_ENTER, false), TUI_EDIT_DONE);
	assert_int_equal(tui_pick_key(&p, 27, true), TUI_EDIT_CANCEL);
	assert_int_equal(tui_pick_key(&p, CTRL('c'), true), TUI_EDIT_CANCEL);
	/* control characters are never typed; Ctrl-U empties, then j moves again */
	tui_pick_key(&p, 0x1b5b, true);
	tui_pick_key(&p, CTRL('u'), true);
	assert_int_equal(p.field.len, 0);
	tui_pick_key(&p, 'j', true);
	assert_int_equal(p.sel, 2);
	/* an empty list: nothing to move to */
	struct tui_pick e = { .n = 0 };
	tui_pick_key(&e, KEY_DOWN, false);
	tui_pick_key(&e, KEY_END, false);
	assert_int_equal(e.sel, 0);
}

static void test_scroll(void **state)
{
	(void)state;
	assert_int_equal(tui_scroll(0, 1, 100, 10), 1);
	assert_int_equal(tui_scroll(0, -1, 100, 10), 0);
	assert_int_equal(tui_scroll(5, -9, 100, 10), 0);
	assert_int_equal(tui_scroll(85, 9, 100, 10), 90); /* the last screen is full */
	assert_int_equal(tui_scroll(0, 1000, 100, 10), 90);
	assert_int_equal(tui_scroll(50, 0, 30, 10), 20);  /* the text got shorter (a wider screen) */
	assert_int_equal(tui_scroll(3, 5, 8, 10), 0);     /* it fits: nothing to scroll */
	assert_int_equal(tui_scroll(0, 5, 8, 0), 5);
	assert_int_equal(tui_scroll(0, LONG_MIN + 1, 8, 2), 0);
}

static void test_wrap_text(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *t = "PID 1 (init)\n\nRank in each OOM domain it belongs to\n  x\n";
	(void)state;

	/* lines that fit stay, an empty line stays, a long one wraps at a space */
	assert_int_equal(tui_wrap_text(t, strlen(t), 80, true, &out), 4);
	assert_string_equal(sb_str(&out), "PID 1 (init)\n\nRank in each OOM domain it belongs to\n  x");
	assert_int_equal(tui_wrap_text(t, strlen(t), 20, true, &out), 5);
	assert_string_equal(sb_str(&out), "PID 1 (init)\n\nRank in each OOM\ndomain it belongs to\n  x");
	assert_int_equal(check_width(&out, 20), 5);
	/* no width, no text */
	assert_int_equal(tui_wrap_text(t, strlen(t), 0, true, &out), 0);
	assert_int_equal(tui_wrap_text("", 0, 10, true, &out), 0);
	/* a line of one wide character per column and no spaces: cut, never wider */
	assert_int_equal(tui_wrap_text("\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5", 9, 3, true, &out), 3);
	assert_int_equal(check_width(&out, 3), 3);
	sb_free(&out);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),       cmocka_unit_test(test_field),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_header),     cmocka_unit_test(test_footer),
		cmocka_unit_test(test_sched_period), cmocka_unit_test(test_sched),
		cmocka_unit_test(test_kill_text),  cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_pick),       cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_wrap_text),  cmocka_unit_test(test_help),
		cmocka_unit_test(test_key_list_man), cmocka_unit_test(test_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
