/*
 * The prompts of the live view's message line: '/' (filter), 'u' (user),
 * 'd' (interval), and the write of 'a' and 'p' to a process's
 * oom_score_adj, which asks for the value ('a') and for a confirmation.
 * While a prompt is open it reads every key; prompts open only on the
 * table, whose message line shows them (tui_prompt_line()).
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "adj.h"
#include "adjfmt.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "tui_screen.h"
#include "users.h"

/* The '/' filter as a snapshot match: name or command line. */
static bool match_filter(const struct proc_record *rec, const void *arg)
{
	return tui_filter_match(rec->comm, rec->cmdline, rec->cmdline_len, arg);
}

/* Opens a prompt on the message line with text as its starting value. */
void tui_prompt_open(struct view *v, enum prompt p, const char *text)
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
void tui_prompt_write(struct view *v, const char *cmd, bool have_value, int value)
{
	struct proc_record *rec;

	if (tui_rows_len(v) == 0 || v->sel >= tui_rows_len(v)) {
		snprintf(v->msg, sizeof(v->msg), "no process selected");
		v->msg_error = true;
		return;
	}
	rec = tui_row_rec(v, v->sel); /* grouped: the workload's first victim, whose pid the row shows */
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
	adjfmt_result(&sb, &res, v->utf8);
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
 * Reads a key into the open prompt: the confirmation takes y or Y and
 * nothing else, the other prompts edit their field until Enter or Escape.
 * Returns whether the rows must be taken again.
 */
bool tui_prompt_key(struct view *v, int key, bool is_char)
{
	if (!is_char && key == KEY_RESIZE)
		return false;
	if (v->prompt == PROMPT_CONFIRM) {
		v->prompt = PROMPT_NONE;
		if (is_char && (key == 'y' || key == 'Y')) {
			do_action(v);
			return true;
		}
		snprintf(v->msg, sizeof(v->msg), "nothing changed");
		v->msg_error = false;
		return false;
	}
	switch (tui_field_key(&v->field, key, is_char)) {
	case TUI_EDIT_GOING:
		break;
	case TUI_EDIT_CANCEL:
		v->prompt = PROMPT_NONE;
		break;
	case TUI_EDIT_DONE: {
		enum prompt was = v->prompt;
		v->prompt = PROMPT_NONE; /* a finished prompt may open the next one */
		return finish_prompt(v, was);
	}
	}
	return false;
}

/*
 * Appends the open prompt of the message line, its label and the text typed
 * so far (escaped); returns false when no prompt is open.
 */
bool tui_prompt_line(const struct view *v, struct strbuf *sb)
{
	static const char *const labels[] = {
		[PROMPT_FILTER] = "filter (name or command line, empty = none): ",
		[PROMPT_USER] = "user (name or uid, empty = all): ",
	};

	if (v->prompt == PROMPT_DELAY) {
		sb_addf(sb, "refresh every (seconds, now %g): ", v->interval);
		out_escape(sb, v->field.text, v->field.len, v->utf8);
	} else if (v->prompt == PROMPT_ADJ) {
		sb_addf(sb, "oom_score_adj of %d (", (int)v->act.pid);
		out_escape(sb, v->act.comm, strlen(v->act.comm), v->utf8);
		if (v->act.have_old)
			sb_addf(sb, "), -1000..1000, now %d: ", v->act.old);
		else
			sb_adds(sb, "), -1000..1000: ");
		out_escape(sb, v->field.text, v->field.len, v->utf8);
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
	} else if (v->prompt != PROMPT_NONE) {
		sb_adds(sb, labels[v->prompt]);
		out_escape(sb, v->field.text, v->field.len, v->utf8);
	} else {
		return false;
	}
	return true;
}
