/*
 * The help screen of the live view ('?', h, F1): a few lines of prose around
 * the key lines made from the key table (tui_help_keys()); any key leaves.
 */
#include <curses.h>
#include <string.h>

#include "strbuf.h"
#include "tui_screen.h"

/* Draws the help screen: the prose around the key lines that tui_help_keys() makes from the key table. */
static void help_draw(struct view *v)
{
	static const char intro[] = "oomtop: processes in the order the OOM killer would kill them.\n"
				    "The bold row (red with colors) is the next victim: the process with\n"
				    "the highest badness, which an OOM of the domain would kill now.  A banner\n"
				    "names what the OOM killer kills while you watch (from the kernel log,\n"
				    "else counted from /proc/vmstat); any key dismisses it.\n"
				    "\n";
	static const char outro[] = "\n"
				    "\n"
				    "SCORE oom_score, ADJ oom_score_adj, BADNESS the kernel's badness in\n"
				    "pages (rss + swap + page tables + adj * total / 1000), MEM% of RAM+swap.\n"
				    "Press any key to return.";
	struct strbuf sb = STRBUF_INIT, keys = STRBUF_INIT;

	tui_help_keys(&keys);
	sb_adds(&sb, intro);
	sb_add(&sb, sb_str(&keys), keys.len);
	sb_adds(&sb, outro);
	tui_put_lines(0, sb_str(&sb), sb.len, 0, LINES > 0 ? (size_t)LINES : 0, false, v->utf8);
	sb_free(&sb);
	sb_free(&keys);
}

/* Reads a key on the help screen: any key but a resize returns to the table. */
static bool help_key(struct view *v, int key, bool is_char)
{
	enum tui_action act = tui_key_action(key, TUI_MODE_HELP);

	(void)is_char;
	if (act == TUI_RESIZE)
		return false;
	tui_dismiss(v);
	if (act == TUI_REDRAW)
		clearok(curscr, TRUE);
	else
		v->mode = TUI_MODE_TABLE; /* TUI_CLOSE: any other key */
	return false;
}

const struct tui_screen tui_screen_help = { .draw = help_draw, .key = help_key };
