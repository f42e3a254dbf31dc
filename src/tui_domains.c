/*
 * The pick list of the live view's OOM domains ('c'): the global domain and
 * every memory cgroup with a limit, or a cgroup path typed in; the choice
 * becomes the domain of the rows (set_domain()).
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "domain.h"
#include "out.h"
#include "topfmt.h"
#include "tui_screen.h"

/* Opens the pick list of 'c': the global domain, then every memory cgroup with a limit. */
void tui_domains_open(struct view *v)
{
	domain_free_all(v->picks, v->npicks);
	v->picks = NULL;
	v->npicks = 0;
	if (ensure_hier(v) && domain_list_limited(&v->hier, &v->picks, &v->npicks) < 0) {
		v->picks = NULL;
		v->npicks = 0;
	}
	memset(&v->pick, 0, sizeof(v->pick));
	v->pick.n = v->npicks + 1;
	for (size_t i = 0; i < v->npicks && v->q.domain; i++)
		if (strcmp(v->picks[i].path, v->dom.path) == 0)
			v->pick.sel = i + 1;
	v->pick_top = 0;
	v->mode = TUI_MODE_DOMAINS;
}

/* Finds the domain of the path typed into the pick list; 0, or -1 with the reason in v->msg. */
static int typed_domain(struct view *v, const char *text, struct domain *d)
{
	struct strbuf arg = STRBUF_INIT, res = STRBUF_INIT, in = STRBUF_INIT;
	char resolved[CGROUP_PATH_MAX];
	int err;

	out_escape(&arg, text, strlen(text), v->utf8);
	if (!ensure_hier(v)) {
		snprintf(v->msg, sizeof(v->msg), "no memory cgroup hierarchy is mounted: only the global domain");
		err = -ENOENT;
		goto out;
	}
	err = cgroup_resolve(&v->hier, text, resolved, sizeof(resolved));
	if (err == 0)
		err = domain_innermost(&v->hier, resolved, &v->snap.mem, d);
	/* the words of `top --cgroup` for the same mistakes */
	if (err == -ENOENT || err == -ENOTDIR)
		snprintf(v->msg, sizeof(v->msg), "no cgroup %.200s in the memory hierarchy (cgroup v%d at %.200s)",
			 sb_str(&arg), v->hier.m.version, v->hier.m.dir);
	else if (err == -EINVAL || err == -EXDEV || err == -ENAMETOOLONG)
		snprintf(v->msg, sizeof(v->msg), "'%.200s' is not a cgroup path of the memory hierarchy at %.200s (%s)",
			 sb_str(&arg), v->hier.m.dir,
			 err == -EINVAL  ? "'..' is not allowed"
			 : err == -EXDEV ? "outside what this mount shows"
					 : "too long");
	else if (err < 0)
		snprintf(v->msg, sizeof(v->msg), "%.200s: %s", sb_str(&arg), strerror(-err));
	if (err < 0)
		goto out;
	out_escape(&res, resolved, strlen(resolved), v->utf8);
	out_escape(&in, d->path, strlen(d->path), v->utf8);
	if (d->global)
		snprintf(v->msg, sizeof(v->msg),
			 "cgroup %.200s and its ancestors have no memory limit: "
			 "its processes die only in a global OOM",
			 sb_str(&res));
	else if (strcmp(resolved, d->path) != 0)
		snprintf(v->msg, sizeof(v->msg),
			 "cgroup %.200s has no limit of its own: its processes die when %.200s "
			 "reaches its limit",
			 sb_str(&res), sb_str(&in));
out:
	v->msg_error = err < 0;
	sb_free(&arg);
	sb_free(&res);
	sb_free(&in);
	return err < 0 ? -1 : 0;
}

/* Applies the choice made in the pick list; returns whether the rows must be taken again. */
static bool finish_domains(struct view *v)
{
	struct domain d;
	bool again = false;

	memset(&d, 0, sizeof(d));
	v->mode = TUI_MODE_TABLE;
	if (v->pick.field.len) {
		if (typed_domain(v, v->pick.field.text, &d) == 0) {
			set_domain(v, &d);
			again = true;
		}
	} else if (v->pick.sel == 0) {
		set_domain(v, NULL);
		again = true;
	} else if (v->pick.sel <= v->npicks) {
		d = v->picks[v->pick.sel - 1];
		memset(&v->picks[v->pick.sel - 1], 0, sizeof(d)); /* v->dom owns it now */
		set_domain(v, &d);
		again = true;
	}
	domain_free_all(v->picks, v->npicks);
	v->picks = NULL;
	v->npicks = 0;
	return again;
}

/* Draws the pick list of 'c': a title, the typed path, the domains (the current one marked). */
static void domains_draw(struct view *v)
{
	size_t lines = (size_t)(LINES > 0 ? LINES : 1), cols = (size_t)(COLS > 0 ? COLS : 1), rows;
	struct strbuf sb = STRBUF_INIT;
	static const char title[] = "OOM domain: Up/Down j/k, Enter picks, Esc cancels; or type a cgroup path";

	attrset(A_REVERSE);
	mvhline(0, 0, ' ', (int)cols);
	tui_put_line(0, title, strlen(title), 0, v->utf8);
	attrset(A_NORMAL);
	if (lines < 2)
		return;
	sb_adds(&sb, "path: ");
	out_escape(&sb, v->pick.field.text, v->pick.field.len, v->utf8);
	attrset(A_BOLD);
	tui_put_line(1, sb_str(&sb), sb.len, 0, v->utf8);
	attrset(A_NORMAL);
	rows = lines > 2 ? lines - 2 : 0;
	if (v->pick.sel < v->pick_top)
		v->pick_top = v->pick.sel;
	if (rows && v->pick.sel >= v->pick_top + rows)
		v->pick_top = v->pick.sel - rows + 1;
	for (size_t i = 0; i < rows && v->pick_top + i < v->pick.n; i++) {
		size_t k = v->pick_top + i;
		const struct domain *d = k ? &v->picks[k - 1] : NULL;
		bool current = d ? v->q.domain && strcmp(d->path, v->dom.path) == 0 : !v->q.domain;
		struct domain global;
		sb_reset(&sb);
		sb_adds(&sb, current ? "* " : "  ");
		if (!d) {
			domain_global(&global, &v->snap.mem);
			d = &global;
		}
		topfmt_domain(&sb, d, &v->snap.mem, v->utf8);
		attrset(k == v->pick.sel && !v->pick.field.len ? A_REVERSE : A_NORMAL);
		if (k == v->pick.sel && !v->pick.field.len)
			mvhline((int)(2 + i), 0, ' ', (int)cols);
		tui_put_line((int)(2 + i), sb_str(&sb), sb.len, 0, v->utf8);
		attrset(A_NORMAL);
	}
	sb_free(&sb);
}

/* Reads a key into the pick list: move, type a path, pick with Enter or cancel. */
static bool domains_key(struct view *v, int key, bool is_char)
{
	if (!is_char && key == KEY_RESIZE)
		return false;
	if (!is_char && key == KEY_ENTER)
		return finish_domains(v);
	switch (tui_pick_key(&v->pick, key, is_char)) {
	case TUI_EDIT_GOING:
		return false;
	case TUI_EDIT_CANCEL:
		v->mode = TUI_MODE_TABLE;
		domain_free_all(v->picks, v->npicks);
		v->picks = NULL;
		v->npicks = 0;
		return false;
	case TUI_EDIT_DONE:
		return finish_domains(v);
	}
	return false;
}

const struct tui_screen tui_screen_domains = { .draw = domains_draw, .key = domains_key };
