/*
 * The explain screen of the live view ('e', Enter): the text of `oomtop
 * explain` for the selected process, wrapped to the width and scrolled.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "explainfmt.h"
#include "out.h"
#include "tui_screen.h"

/*
 * Computes the explanation of pid as `oomtop explain` does and shows it
 * (again=true keeps the scroll position); a process that exited leaves a
 * one-line message on the table instead.
 */
void tui_explain_open(struct view *v, pid_t pid, const char *comm, bool again)
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
	explainfmt_text(&v->explain, &e, v->utf8);
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

/* Draws the explain screen: a title, then the explanation wrapped to the width from explain_top. */
static void explain_draw(struct view *v)
{
	size_t lines = (size_t)(LINES > 0 ? LINES : 1), cols = (size_t)(COLS > 0 ? COLS : 1);
	struct strbuf sb = STRBUF_INIT, wrapped = STRBUF_INIT;

	sb_addf(&sb, "explain %d at %s  j/k PgUp/PgDn scroll  space again  q back", (int)v->explain_pid,
		v->explain_clock);
	attrset(v->colors ? (attr_t)COLOR_PAIR(PAIR_TITLE) : (attr_t)A_REVERSE);
	mvhline(0, 0, ' ', (int)cols);
	tui_put_line(0, sb_str(&sb), sb.len, 0, false);
	attrset(A_NORMAL);
	v->explain_rows = lines > 1 ? lines - 1 : 0;
	v->explain_lines = tui_wrap_text(sb_str(&v->explain), v->explain.len, cols, v->utf8, &wrapped);
	v->explain_top = tui_scroll(v->explain_top, 0, v->explain_lines, v->explain_rows);
	tui_put_lines(1, sb_str(&wrapped), wrapped.len, v->explain_top, v->explain_rows, false, v->utf8);
	sb_free(&sb);
	sb_free(&wrapped);
}

/* Reads a key on the explain screen: scroll, explain again, or back to the table. */
static bool explain_key(struct view *v, int key, bool is_char)
{
	long step = v->explain_rows > 1 ? (long)v->explain_rows - 1 : 1;

	(void)is_char;
	switch (tui_key_action(key, TUI_MODE_EXPLAIN)) {
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
		tui_explain_open(v, v->explain_pid, v->explain_comm, true);
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

const struct tui_screen tui_screen_explain = { .draw = explain_draw, .key = explain_key };
