/*
 * The pure parts of the live view: the prompt's line editor, the '/'
 * filter, the header's layout for a width and the refresh schedule (the keys
 * are in tui_keys.c).  No terminal and no /proc here: the unit tests
 * call these with keys, text and records.
 */
#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klog.h"
#include "logfmt.h"
#include "out.h"
#include "proc.h"
#include "tui.h"
#include "workload.h"
#include "xalloc.h"

#define CTRL(c) ((c)&0x1f)

/* Replaces the text of a field (cut to its size on a character boundary). */
void tui_field_set(struct tui_field *f, const char *text)
{
	size_t n = strlen(text);

	if (n >= sizeof(f->text))
		n = sizeof(f->text) - 1;
	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--; /* never keep half a UTF-8 sequence */
	memcpy(f->text, text, n);
	f->text[n] = '\0';
	f->len = n;
}

/*
 * Applies one key to a field being edited: key is a character (is_char, a
 * Unicode code point) or a curses key code.  Backspace deletes a character,
 * Ctrl-U the whole text, Ctrl-W a word; Enter ends, Escape and Ctrl-C
 * cancel.  Control characters are never inserted.  Returns the state.
 */
enum tui_edit tui_field_key(struct tui_field *f, int key, bool is_char)
{
	if (!is_char) {
		if (key == KEY_BACKSPACE)
			goto backspace;
		if (key == KEY_ENTER)
			return TUI_EDIT_DONE;
		return TUI_EDIT_GOING;
	}
	if (key == '\n' || key == '\r')
		return TUI_EDIT_DONE;
	if (key == 27 || key == CTRL('c') || key == CTRL('g'))
		return TUI_EDIT_CANCEL;
	if (key == 127 || key == CTRL('h'))
		goto backspace;
	if (key == CTRL('u')) {
		f->len = 0;
		f->text[0] = '\0';
		return TUI_EDIT_GOING;
	}
	if (key == CTRL('w')) {
		while (f->len > 0 && f->text[f->len - 1] == ' ')
			f->len--;
		while (f->len > 0 && f->text[f->len - 1] != ' ')
			f->len--;
		f->text[f->len] = '\0';
		return TUI_EDIT_GOING;
	}
	if (key < 0x20 || (key >= 0x7f && key < 0xa0) || key > 0x10ffff || (key >= 0xd800 && key <= 0xdfff))
		return TUI_EDIT_GOING;
	{
		char enc[4];
		size_t n;
		unsigned c = (unsigned)key;
		if (c < 0x80) {
			enc[0] = (char)c;
			n = 1;
		} else if (c < 0x800) {
			enc[0] = (char)(0xc0 | (c >> 6));
			enc[1] = (char)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			enc[0] = (char)(0xe0 | (c >> 12));
			enc[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			enc[2] = (char)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			enc[0] = (char)(0xf0 | (c >> 18));
			enc[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			enc[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			enc[3] = (char)(0x80 | (c & 0x3f));
			n = 4;
		}
		if (f->len + n < sizeof(f->text)) {
			memcpy(f->text + f->len, enc, n);
			f->len += n;
			f->text[f->len] = '\0';
		}
	}
	return TUI_EDIT_GOING;
backspace:
	while (f->len > 0 && ((unsigned char)f->text[f->len - 1] & 0xc0) == 0x80)
		f->len--; /* continuation bytes of the last character */
	if (f->len > 0)
		f->len--;
	f->text[f->len] = '\0';
	return TUI_EDIT_GOING;
}

/*
 * Applies one key to a pick list: Up and Down (and j, k while no path is
 * typed) move the selection, Home and End go to the ends, other characters
 * type a path into the field (Backspace, Ctrl-U, Ctrl-W edit it); Enter
 * ends (the typed path if there is one, else the selected item), Escape and
 * Ctrl-C cancel.  Returns the state.
 */
enum tui_edit tui_pick_key(struct tui_pick *p, int key, bool is_char)
{
	if (!is_char) {
		if (key == KEY_UP && p->sel > 0)
			p->sel--;
		else if (key == KEY_DOWN && p->sel + 1 < p->n)
			p->sel++;
		else if (key == KEY_HOME || key == KEY_PPAGE)
			p->sel = 0;
		else if ((key == KEY_END || key == KEY_NPAGE) && p->n > 0)
			p->sel = p->n - 1;
		else
			return tui_field_key(&p->field, key, false);
		return TUI_EDIT_GOING;
	}
	if (p->field.len == 0 && (key == 'j' || key == 'k'))
		return tui_pick_key(p, key == 'j' ? KEY_DOWN : KEY_UP, false);
	return tui_field_key(&p->field, key, true);
}

/* Returns the first line to show after scrolling by delta, nlines lines in rows rows (clamped). */
size_t tui_scroll(size_t top, long delta, size_t nlines, size_t rows)
{
	size_t max = nlines > rows ? nlines - rows : 0;

	if (delta < 0 && (size_t)-delta > top)
		return 0;
	if (delta < 0)
		top -= (size_t)-delta;
	else
		top += (size_t)delta;
	return top > max ? max : top;
}

/*
 * Wraps every line of an escaped text of '\n'-separated lines to width
 * columns (as tui_wrap(): at a space where there is one), into out, the
 * lines separated by '\n'; an empty line stays.  Returns the line count.
 */
size_t tui_wrap_text(const char *text, size_t len, size_t width, bool utf8, struct strbuf *out)
{
	struct strbuf one = STRBUF_INIT;
	const char *p = text, *end = text + len;
	size_t lines = 0;

	sb_reset(out);
	if (width == 0)
		return 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n;
		if (!eol)
			eol = end;
		n = tui_wrap(p, (size_t)(eol - p), width, SIZE_MAX, utf8, &one);
		if (lines)
			sb_addc(out, '\n');
		sb_add(out, sb_str(&one), one.len);
		lines += n ? n : 1;
		p = eol + 1;
	}
	sb_free(&one);
	return lines;
}

/* Returns whether needle occurs in hay (len bytes), ignoring ASCII case. */
static bool contains_nocase(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return true;
	for (size_t i = 0; i + n <= len; i++) {
		size_t k = 0;
		while (k < n && tolower((unsigned char)hay[i + k]) == tolower((unsigned char)needle[k]))
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/*
 * Returns whether a process matches the '/' filter: the pattern occurs in
 * its name or its command line, ignoring ASCII case (as htop's filter).  An
 * empty or NULL pattern matches everything.
 */
bool tui_filter_match(const char *comm, const char *cmdline, size_t cmdline_len, const char *pattern)
{
	if (!pattern || !*pattern)
		return true;
	if (comm && contains_nocase(comm, strlen(comm), pattern))
		return true;
	return cmdline && contains_nocase(cmdline, cmdline_len, pattern);
}

/*
 * Writes the header's short reason for a partial view into buf: /proc's
 * hidepid= mode when it hides processes from us (hp), how many could not
 * be read; "" when every process is seen.
 */
void tui_partial_text(char *buf, size_t size, const struct proc_hidepid *hp, size_t unreadable)
{
	bool hides = hp && hp->hides;

	if (hides && unreadable)
		snprintf(buf, size, "hidepid=%s, %zu unreadable", proc_hidepid_text(hp->mode), unreadable);
	else if (hides)
		snprintf(buf, size, "hidepid=%s hides other users' processes", proc_hidepid_text(hp->mode));
	else if (unreadable)
		snprintf(buf, size, "%zu unreadable", unreadable);
	else if (size)
		buf[0] = '\0';
}

/* Appends one header item (already escaped text) to the packed lines. */
struct packer {
	struct strbuf *out;
	size_t width, max_lines, lines, col;
	bool utf8, full; /* full: no more lines may start */
};

/* Adds an item: on the current line when it fits, else on a new one, cut to the width. */
static void pack_item(struct packer *pk, const char *item)
{
	size_t len = strlen(item), w = out_width(item, len, pk->utf8);

	if (pk->full || pk->width == 0)
		return;
	if (pk->lines > 0 && pk->col > 0 && pk->col + 2 + w <= pk->width) {
		sb_adds(pk->out, "  ");
		sb_add(pk->out, item, len);
		pk->col += 2 + w;
		return;
	}
	if (pk->lines == pk->max_lines) {
		pk->full = true;
		return;
	}
	if (pk->lines > 0)
		sb_addc(pk->out, '\n');
	pk->lines++;
	len = out_fit_width(item, len, pk->width, pk->utf8);
	sb_add(pk->out, item, len);
	pk->col = out_width(item, len, pk->utf8);
}

/*
 * Lays the header out in at most max_lines lines of at most width columns,
 * separated by '\n' in out; returns the number of lines.  The items are
 * packed in order of importance: what is shown (victim, filter, user) and
 * the memory state first, the settings last; what does not fit is left out.
 */
size_t tui_header_lines(const struct tui_header *h, size_t width, size_t max_lines, struct strbuf *out)
{
	struct packer pk = { .out = out, .width = width, .max_lines = max_lines, .utf8 = h->utf8 };
	struct strbuf item = STRBUF_INIT;
	char a[16], b[16];

	sb_reset(out);
	sb_addf(&item, "oomtop %s", h->clock ? h->clock : "");
	pack_item(&pk, sb_str(&item));
	sb_reset(&item);
	if (h->partial) {
		/* before the victim: the first row seen may not be the one the kernel would kill */
		sb_addf(&item, "PARTIAL VIEW: %s", h->partial);
		pack_item(&pk, sb_str(&item));
		sb_reset(&item);
		sb_adds(&item, "next victim ?");
		if (h->have_victim) {
			sb_addf(&item, " (first seen %d ", (int)h->victim_pid);
			out_escape(&item, h->victim_comm, strlen(h->victim_comm), h->utf8);
			sb_addc(&item, ')');
		}
	} else if (h->have_victim) {
		sb_addf(&item, "next victim %d ", (int)h->victim_pid);
		out_escape(&item, h->victim_comm, strlen(h->victim_comm), h->utf8);
	} else {
		sb_adds(&item, "next victim none");
	}
	pack_item(&pk, sb_str(&item));
	if (h->domain_first && h->domain) {
		sb_reset(&item);
		sb_addf(&item, "domain %s", h->domain);
		pack_item(&pk, sb_str(&item));
	}
	if (h->filter && *h->filter) {
		sb_reset(&item);
		sb_adds(&item, "filter '");
		out_escape(&item, h->filter, strlen(h->filter), h->utf8);
		sb_addc(&item, '\'');
		pack_item(&pk, sb_str(&item));
	}
	if (h->user) {
		sb_reset(&item);
		sb_adds(&item, "user ");
		out_escape(&item, h->user, strlen(h->user), h->utf8);
		pack_item(&pk, sb_str(&item));
	}
	if (h->mem) {
		sb_reset(&item);
		out_size_kib(a, sizeof(a), h->mem->mem_available_kib);
		out_size_kib(b, sizeof(b), h->mem->mem_total_kib);
		sb_addf(&item, "avail %s of %s", a, b);
		pack_item(&pk, sb_str(&item));
		sb_reset(&item);
		out_size_kib(a, sizeof(a), h->mem->committed_as_kib);
		out_size_kib(b, sizeof(b), h->mem->commit_limit_kib);
		sb_addf(&item, "commit %s of %s", a, b);
		pack_item(&pk, sb_str(&item));
		sb_reset(&item);
		out_size_kib(a, sizeof(a), h->mem->swap_total_kib - h->mem->swap_free_kib);
		out_size_kib(b, sizeof(b), h->mem->swap_total_kib);
		sb_addf(&item, "swap %s of %s", a, b);
		pack_item(&pk, sb_str(&item));
	}
	sb_reset(&item);
	if (h->have_psi)
		sb_addf(&item, "psi some %.2f %.2f %.2f", h->psi.some[0], h->psi.some[1], h->psi.some[2]);
	else
		sb_adds(&item, "psi n/a");
	pack_item(&pk, sb_str(&item));
	sb_reset(&item);
	if (h->have_kills)
		sb_addf(&item, "oom kills %lu, %lu new", h->kills_boot, h->kills_view);
	else
		sb_adds(&item, "oom kills n/a");
	pack_item(&pk, sb_str(&item));
	if (h->have_psi) {
		sb_reset(&item);
		sb_addf(&item, "full %.2f %.2f %.2f", h->psi.full[0], h->psi.full[1], h->psi.full[2]);
		pack_item(&pk, sb_str(&item));
	}
	sb_reset(&item);
	sb_addf(&item, "%zu of %zu killable", h->killable, h->total);
	pack_item(&pk, sb_str(&item));
	if (h->model)
		pack_item(&pk, h->model);
	if (!h->domain_first) {
		sb_reset(&item);
		sb_addf(&item, "domain %s", h->domain ? h->domain : "global");
		pack_item(&pk, sb_str(&item));
	}
	sb_reset(&item);
	sb_addf(&item, "sort %s%s", rank_key_name(h->key), h->reverse ? " reversed" : "");
	pack_item(&pk, sb_str(&item));
	sb_reset(&item);
	sb_addf(&item, "every %gs", h->interval);
	pack_item(&pk, sb_str(&item));
	sb_free(&item);
	return pk.lines;
}

/*
 * Cuts an escaped one-line text into lines of at most width columns,
 * breaking at a space where there is one in the second half of a line, into
 * at most max_lines lines (the last one cut), separated by '\n' in out;
 * returns the number of lines.
 */
size_t tui_wrap(const char *text, size_t len, size_t width, size_t max_lines, bool utf8, struct strbuf *out)
{
	size_t lines = 0, pos = 0;

	sb_reset(out);
	if (width == 0)
		return 0;
	while (pos < len && lines < max_lines) {
		size_t fit = out_fit_width(text + pos, len - pos, width, utf8), take;
		if (fit == 0) { /* one character wider than the line: it goes alone */
			uint32_t cp;
			int n = utf8 ? out_utf8_decode((const unsigned char *)text + pos, len - pos, &cp) : 1;
			fit = n > 0 ? (size_t)n : 1;
		}
		take = fit;
		if (pos + fit < len && text[pos + fit] != ' ' && lines + 1 < max_lines) {
			for (size_t k = fit; k > fit / 2; k--) {
				if (text[pos + k - 1] == ' ') {
					take = k;
					break;
				}
			}
		}
		if (lines)
			sb_addc(out, '\n');
		size_t keep = take;
		while (keep > 1 && text[pos + keep - 1] == ' ')
			keep--;
		sb_add(out, text + pos, keep);
		lines++;
		pos += take;
		while (pos < len && text[pos] == ' ' && lines < max_lines)
			pos++;
	}
	return lines;
}

/* Writes the footer: as many of the main keys (tui_footer_keys()) as fit in width columns. */
void tui_footer_line(size_t width, struct strbuf *out)
{
	struct strbuf keys = STRBUF_INIT;
	struct packer pk = { .out = out, .width = width, .max_lines = 1, .utf8 = false };
	const char *p, *help;
	size_t help_w, room;

	tui_footer_keys(&keys);
	p = sb_str(&keys);
	help = strrchr(p, '\n');
	help = help ? help + 1 : p;
	sb_reset(out);
	/* "? help" must always show: the others fill the room that is left */
	help_w = strlen(help);
	room = width > help_w + 2 ? width - help_w - 2 : 0;
	pk.width = room;
	while (p < help && room) {
		const char *eol = strchr(p, '\n');
		char item[64];
		snprintf(item, sizeof(item), "%.*s", (int)(eol - p), p);
		pack_item(&pk, item);
		p = eol + 1;
	}
	if (out->len)
		sb_adds(out, "  ");
	sb_add(out, help, width < help_w ? width : help_w);
	sb_free(&keys);
}

/*
 * Shares lines of a terminal on the table screen: the header, the message
 * line, the column header, at least 3 rows (or what is left) and the footer.
 * The message line grows for a long answer on a tall terminal (the writer
 * explains a refusal at length).
 */
void tui_table_layout(size_t lines, struct tui_layout *l)
{
	l->header = lines > 7 ? lines - 6 : 1;
	if (l->header > 4)
		l->header = 4;
	l->message = lines >= 20 ? 3 : lines >= 14 ? 2 : 1;
}

/*
 * Returns the refreshes between two readings of a quiet process: about
 * every TUI_QUIET_SECS seconds.  Reading every process at every 1 s refresh
 * costs about 18% of a core with 5,000 processes (README.md, "Live view"),
 * the spread readings about 3.5%.
 */
unsigned long tui_sched_period(double interval)
{
	double p;

	if (!(interval > 0))
		return 1;
	p = ceil(TUI_QUIET_SECS / interval - 1e-9);
	if (p < 1)
		p = 1;
	if (p > 50)
		p = 50;
	return (unsigned long)p;
}

/* Returns the entry of pid in s, or NULL. */
static struct tui_sched_entry *find_entry(const struct tui_sched *s, pid_t pid)
{
	size_t lo = 0, hi = s->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->e[mid].pid == pid)
			return &s->e[mid];
		if (s->e[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Returns whether the refresh being taken must re-read rec (a callback of proc_scan_update()). */
bool tui_sched_stale(const struct proc_record *rec, void *sched)
{
	const struct tui_sched *s = sched;
	const struct tui_sched_entry *e = find_entry(s, rec->pid);

	return s->all || !e || e->next <= s->tick;
}

/* Fills fp with the values of rec whose change makes it worth reading at every refresh. */
static void fingerprint(const struct proc_record *rec, unsigned long fp[7])
{
	unsigned long h = 5381;

	for (const char *c = rec->comm; *c; c++)
		h = h * 33 + (unsigned char)*c;
	fp[0] = rec->anon_kib;
	fp[1] = rec->file_kib;
	fp[2] = rec->shmem_kib;
	fp[3] = rec->swap_kib;
	fp[4] = rec->pte_kib;
	/* not the run state: a process waking up changes nothing the OOM killer counts */
	fp[5] = (unsigned long)(rec->oom_score_adj + 1000) | (unsigned long)(rec->state == 'Z') << 12 |
		(unsigned long)rec->has_mm << 13 |
		(unsigned long)(rec->known & (PROC_HAVE_STATUS | PROC_HAVE_ADJ)) << 20 | (unsigned long)rec->uid << 32;
	fp[6] = h ^ (unsigned long)rec->ppid;
}

/*
 * Records the refresh just taken into s: recs are the n records in pid
 * order after proc_scan_update() with tui_sched_stale().  A process read now
 * that changed (or is new) is read again at the next refresh; one that did
 * not change waits s->period refreshes (s->all: every process was read
 * and is judged so).  The processes of the first
 * refresh are spread over the period so that each refresh reads about as
 * many.  Entries of processes that are gone are dropped.
 */
void tui_sched_update(struct tui_sched *s, const struct proc_record *const *recs, size_t n)
{
	size_t k = 0;
	struct tui_sched_entry *e = xreallocarray(NULL, n ? n : 1, sizeof(*e));

	for (size_t i = 0; i < n; i++) {
		const struct proc_record *rec = recs[i];
		struct tui_sched_entry *old;
		unsigned long fp[7];

		while (k < s->len && s->e[k].pid < rec->pid)
			k++;
		old = k < s->len && s->e[k].pid == rec->pid ? &s->e[k] : NULL;
		fingerprint(rec, fp);
		e[i].pid = rec->pid;
		if (!old) {
			e[i].next = s->tick + 1;
			if (s->tick <= 1)
				e[i].next += s->spread++ % (s->period ? s->period : 1);
		} else if (old->next <= s->tick || s->all) {
			bool changed = memcmp(old->fp, fp, sizeof(fp)) != 0;
			e[i].next = s->tick + (changed ? 1 : (s->period ? s->period : 1));
		} else {
			e[i].next = old->next;
		}
		memcpy(e[i].fp, fp, sizeof(fp));
	}
	free(s->e);
	s->e = e;
	s->len = n;
	s->all = false;
}

/* Makes the next refresh read pid (a row on screen, or one just acted on). */
void tui_sched_touch(struct tui_sched *s, pid_t pid)
{
	struct tui_sched_entry *e = find_entry(s, pid);

	if (e && e->next > s->tick + 1)
		e->next = s->tick + 1;
}

/* Releases the schedule. */
void tui_sched_free(struct tui_sched *s)
{
	free(s->e);
	s->e = NULL;
	s->len = 0;
}

/*
 * Appends one OOM kill from the kernel log, for the banner: "PID COMM
 * (KIND WORKLOAD) in DOMAIN, RSS at HH:MM:SS", the names and the cgroup
 * escaped, the parts the log did not hold left out.
 */
void tui_kill_text(struct strbuf *sb, const struct klog_event *ev, bool utf8)
{
	char domain[KLOG_PATH_MAX], size[16], when[16];
	long long rss = logfmt_rss_kib(ev);

	struct workload w;

	if (ev->pid != KLOG_NONE)
		sb_addf(sb, "%lld ", ev->pid);
	out_escape(sb, ev->comm, strlen(ev->comm), utf8);
	/* its workload, told from the report's task_memcg (a plain cgroup is the domain already) */
	if (ev->task_memcg[0] == '/' && workload_parse(ev->task_memcg, &w) == 0 && w.kind != WORKLOAD_NONE &&
	    w.kind != WORKLOAD_CGROUP) {
		sb_addf(sb, " (%s ", workload_kind_name(w.kind));
		out_escape(sb, w.name, strlen(w.name), utf8);
		sb_addc(sb, ')');
	}
	klog_event_domain(ev, domain, sizeof(domain));
	sb_adds(sb, " in ");
	out_escape(sb, domain, strlen(domain), utf8);
	if (rss != KLOG_NONE) {
		out_size_kib(size, sizeof(size), (unsigned long long)rss);
		sb_addf(sb, ", %s", size);
	}
	if (ev->time_sec != KLOG_NONE) {
		time_t t = (time_t)ev->time_sec;
		struct tm tm;
		if (localtime_r(&t, &tm) && strftime(when, sizeof(when), "%H:%M:%S", &tm) > 0)
			sb_addf(sb, " at %s", when);
	}
}
