/*
 * The table screen of the live view: the header, the message line (a
 * prompt, an answer, the banner of new OOM kills), the processes in kill
 * order with the selection and the next victim marked, and the footer.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "oomtop.h"
#include "out.h"
#include "topfmt.h"
#include "tui_screen.h"
#include "users.h"

/* Appends the text of the message line, and sets its attributes: a prompt, an answer, the banner, or nothing. */
static void message_line(const struct view *v, struct strbuf *sb, attr_t *attr)
{
	*attr = A_NORMAL;
	if (tui_prompt_line(v, sb)) {
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
static void fill_row(struct view *v, struct rank_row *row)
{
	proc_read_cmdline(v->snap.table, row->rec);
	proc_read_score(v->snap.table, row->rec);
	if ((row->rec->known & PROC_HAVE_STATUS) && !row->user)
		row->user = users_name(row->rec->uid);
}

/* Draws the header from row 0 in at most max_lines lines; returns the row after it. */
static size_t draw_header(struct view *v, size_t lines, size_t cols, size_t max_lines)
{
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
	struct strbuf sb = STRBUF_INIT, dom = STRBUF_INIT, model = STRBUF_INIT;
	char partial[128];
	int unreadable_errno;
	size_t n;

	tui_partial_text(partial, sizeof(partial), &v->hidepid,
			 v->snap.table ? proc_table_unreadable(v->snap.table, &unreadable_errno) : 0);
	h.partial = partial[0] ? partial : NULL;
	if (v->snap.table) {
		modelfmt_text(&model, &v->snap.check);
		h.model = sb_str(&model);
	}
	if (v->q.domain) {
		topfmt_domain(&dom, v->q.domain, &v->snap.mem, v->utf8);
		h.domain = sb_str(&dom);
		h.domain_first = true;
	}
	n = tui_header_lines(&h, cols, max_lines, &sb);
	tui_put_lines(0, sb_str(&sb), sb.len, 0, lines, false, v->utf8);
	sb_free(&sb);
	sb_free(&dom);
	sb_free(&model);
	return n < lines ? n : lines;
}

/* Draws the message line at row y, wrapped to at most max_lines lines; returns the row after it. */
static size_t draw_message(struct view *v, size_t y, size_t lines, size_t cols, size_t max_lines)
{
	struct strbuf sb = STRBUF_INIT, wrapped = STRBUF_INIT;
	size_t n;
	attr_t attr;

	message_line(v, &sb, &attr);
	n = tui_wrap(sb_str(&sb), sb.len, cols, max_lines, v->utf8, &wrapped);
	attrset(attr);
	/* a banner or an answer fills its whole lines */
	n = tui_put_lines((int)y, sb_str(&wrapped), wrapped.len, 0, n < lines - y ? n : lines - y, attr != A_NORMAL,
			  v->utf8);
	attrset(A_NORMAL);
	sb_free(&sb);
	sb_free(&wrapped);
	return y + (n ? n : 1); /* an empty message line still takes its line */
}

/* Returns the attributes of a row on screen: the next victim's in color or bold, the selection reversed. */
static attr_t row_attr(const struct view *v, pid_t pid, size_t i)
{
	attr_t a = A_NORMAL;

	if (v->have_victim && pid == v->victim_pid)
		a |= v->colors ? (attr_t)(COLOR_PAIR(PAIR_VICTIM) | A_BOLD) : (attr_t)A_BOLD;
	if (i == v->sel)
		a |= A_REVERSE;
	return a;
}

/* Draws line (its '\n' left out) at row y with the attributes a, a selected row reversed across the screen. */
static void put_row(const struct view *v, size_t y, const struct strbuf *line, attr_t a, size_t cols)
{
	attrset(a);
	if (a & A_REVERSE)
		mvhline((int)y, 0, ' ', (int)cols);
	tui_put_line((int)y, sb_str(line), line->len ? line->len - 1 : 0, v->hscroll, v->utf8);
	attrset(A_NORMAL);
}

/* Draws the column header at row y, and returns how many rows of the table fit under it above the footer. */
static size_t draw_column_header(struct view *v, size_t y, size_t lines, size_t cols, const struct strbuf *line)
{
	if (y < lines) {
		attrset(A_REVERSE);
		mvhline((int)y, 0, ' ', (int)cols);
		tui_put_line((int)y, sb_str(line), line->len ? line->len - 1 : 0, v->hscroll, v->utf8);
		attrset(A_NORMAL);
		y++;
	}
	v->table_rows = lines > y + 1 ? lines - y - 1 : 0;
	if (v->sel >= v->top + v->table_rows && v->table_rows)
		v->top = v->sel - v->table_rows + 1;
	return y;
}

/*
 * Draws 'W': the column header of top --by workload at row y and a row per
 * workload under it, its first victim marked as the process table marks
 * it; returns the row under the column header.
 */
static size_t draw_groups(struct view *v, size_t y, size_t lines, size_t cols)
{
	struct strbuf line = STRBUF_INIT;
	struct topfmt_ctx ctx = { .utf8 = v->utf8 };

	topfmt_group_header(&line, &ctx);
	y = draw_column_header(v, y, lines, cols, &line);
	for (size_t i = 0; i < v->table_rows && v->top + i < v->ngroups; i++) {
		const struct snap_group *g = &v->groups[v->top + i];
		tui_sched_touch(&v->sched, g->first->rec->pid);
		sb_reset(&line);
		topfmt_group_row(&line, g, &ctx);
		put_row(v, y + i, &line, row_attr(v, g->first->rec->pid, v->top + i), cols);
	}
	if (v->ngroups == 0 && v->table_rows > 0) {
		const char *none = v->filter[0] || v->user[0] ? "no process matches" : "no killable process";
		tui_put_line((int)y, none, strlen(none), 0, v->utf8);
	}
	sb_free(&line);
	return y;
}

/*
 * Draws the column header at row y and the rows under it down to the
 * footer, the selection kept on screen; returns the row under the column
 * header.
 */
static size_t draw_rows(struct view *v, size_t y, size_t lines, size_t cols)
{
	struct strbuf line = STRBUF_INIT;
	struct topfmt_ctx ctx = {
		.totalpages = v->snap.totalpages,
		.page_kib = v->snap.mem.page_kib,
		.utf8 = v->utf8,
		.width = 0,
		.workload_col = v->q.workloads,
		.group = v->snap.group.found ? &v->snap.group : NULL,
	};

	if (v->grouped)
		return draw_groups(v, y, lines, cols);
	topfmt_header(&line, &ctx);
	y = draw_column_header(v, y, lines, cols, &line);
	for (size_t i = 0; i < v->table_rows && v->top + i < v->snap.nrows; i++) {
		struct rank_row *row = v->snap.rows[v->top + i];
		fill_row(v, row);
		tui_sched_touch(&v->sched, row->rec->pid);
		sb_reset(&line);
		topfmt_row(&line, row, &ctx);
		put_row(v, y + i, &line, row_attr(v, row->rec->pid, v->top + i), cols);
	}
	if (v->snap.nrows == 0 && v->table_rows > 0) {
		const char *none = v->filter[0] || v->user[0] ? "no process matches" : "no killable process";
		tui_put_line((int)y, none, strlen(none), 0, v->utf8);
	}
	sb_free(&line);
	return y;
}

/* Draws the table screen from the last refresh: header, message line, rows and footer. */
static void table_draw(struct view *v)
{
	size_t lines = (size_t)(LINES > 0 ? LINES : 1), cols = (size_t)(COLS > 0 ? COLS : 1), y;
	struct tui_layout room;
	struct strbuf sb = STRBUF_INIT;

	tui_table_layout(lines, &room);
	y = draw_header(v, lines, cols, room.header);
	if (y < lines)
		y = draw_message(v, y, lines, cols, room.message);
	y = draw_rows(v, y, lines, cols);
	if (lines > y) {
		tui_footer_line(cols, &sb);
		attrset(v->colors ? (attr_t)(COLOR_PAIR(PAIR_TITLE)) : (attr_t)A_REVERSE);
		tui_put_line((int)lines - 1, sb_str(&sb), sb.len, 0, false);
		attrset(A_NORMAL);
	}
	sb_free(&sb);
}

/* Moves the selection by delta rows (clamped). */
static void move_selection(struct view *v, long delta)
{
	long n = (long)tui_rows_len(v), s = (long)v->sel + delta;

	if (n == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= n)
		s = n - 1;
	v->sel = (size_t)s;
	v->sel_pid = tui_row_rec(v, v->sel)->pid;
	if (v->sel < v->top)
		v->top = v->sel;
	else if (v->table_rows && v->sel >= v->top + v->table_rows)
		v->top = v->sel - v->table_rows + 1;
}

/* Reads a key on the table: move, sort, filter, act on the selected process or open another screen. */
static bool table_key(struct view *v, int key, bool is_char)
{
	long page = v->table_rows > 1 ? (long)v->table_rows - 1 : 1;
	enum tui_action act;

	(void)is_char;
	act = tui_key_action(key, TUI_MODE_TABLE);
	if (act != TUI_RESIZE)
		tui_dismiss(v);
	if (v->grouped && (act == TUI_SORT_NEXT || act == TUI_SORT_PREV || act == TUI_REVERSE || act == TUI_WORKLOAD)) {
		snprintf(v->msg, sizeof(v->msg), "one row per workload, in kill order: W shows the processes again");
		v->msg_error = true;
		return false;
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
		move_selection(v, -(long)tui_rows_len(v));
		break;
	case TUI_END:
		move_selection(v, (long)tui_rows_len(v));
		break;
	case TUI_SCROLL_LEFT:
		v->hscroll = v->hscroll > HSCROLL_STEP ? v->hscroll - HSCROLL_STEP : 0;
		break;
	case TUI_SCROLL_RIGHT:
		v->hscroll += HSCROLL_STEP;
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
	case TUI_WORKLOAD:
		v->q.workloads = !v->q.workloads;
		return true;
	case TUI_BY_WORKLOAD:
		tui_group_toggle(v);
		return true;
	case TUI_FILTER:
		tui_prompt_open(v, PROMPT_FILTER, v->filter);
		break;
	case TUI_USER:
		tui_prompt_open(v, PROMPT_USER, "");
		break;
	case TUI_DELAY:
		tui_prompt_open(v, PROMPT_DELAY, "");
		break;
	case TUI_SET_ADJ:
		tui_prompt_write(v, "set", false, 0);
		break;
	case TUI_PROTECT:
		tui_prompt_write(v, "protect", true, OOM_SCORE_ADJ_MIN);
		break;
	case TUI_DOMAIN:
		tui_domains_open(v);
		break;
	case TUI_EXPLAIN:
		if (tui_rows_len(v) == 0 || v->sel >= tui_rows_len(v)) {
			snprintf(v->msg, sizeof(v->msg), "no process selected");
			v->msg_error = true;
			break;
		}
		tui_explain_open(v, tui_row_rec(v, v->sel)->pid, tui_row_rec(v, v->sel)->comm, false);
		break;
	case TUI_HELP:
		v->mode = TUI_MODE_HELP;
		break;
	case TUI_CLOSE: /* Escape: the answer or the banner is gone, as above */
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
	return false;
}

const struct tui_screen tui_screen_table = { .draw = table_draw, .key = table_key };
