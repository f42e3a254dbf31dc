/*
 * Systemd unit files, the pure part: the parser of one file's assignments
 * (systemd.syntax(7): sections, "#" and ";" comments, a backslash that
 * continues a line, blanks around keys and values), unit names and their
 * templates, and the drop-in `protect --persist` writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "oomtop.h"
#include "units.h"
#include "xalloc.h"

#define UNIT_NAME_MAX 256 /* systemd's, with the NUL */

/* Tells whether c is one of systemd's blanks (WHITESPACE: " \t\n\r"). */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims blanks off both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && blank((*s)[*n - 1]))
		(*n)--;
}

/* Handles one logical line (continuations joined) of n bytes, numbered line; updates *in and a. */
static void parse_line(const char *l, size_t n, unsigned line, const char *section, const char *key, bool *in,
		       struct units_assign *a)
{
	const char *eq;
	size_t klen, vlen;
	const char *v;
	char num[16];
	long value;

	trim(&l, &n);
	if (n == 0)
		return;
	if (l[0] == '[') {
		/* a section header: "[Name]"; anything else after '[' is an error systemd ignores */
		*in = n >= 2 && l[n - 1] == ']' && n - 2 == strlen(section) && memcmp(l + 1, section, n - 2) == 0;
		return;
	}
	if (!*in)
		return;
	eq = memchr(l, '=', n);
	if (!eq)
		return; /* "Missing '='": ignored */
	klen = (size_t)(eq - l);
	v = eq + 1;
	vlen = n - klen - 1;
	trim(&l, &klen);
	trim(&v, &vlen);
	if (klen != strlen(key) || memcmp(l, key, klen) != 0)
		return;
	if (vlen == 0) {
		/* an empty assignment resets what came before (config_parse_exec_oom_score_adjust) */
		a->seen = true;
		a->set = false;
		a->line = line;
		return;
	}
	if (vlen >= sizeof(num)) {
		a->bad++;
		return;
	}
	memcpy(num, v, vlen);
	num[vlen] = '\0';
	/* parse_oom_score_adjust(): a decimal in -1000..1000; anything else is logged and ignored */
	if (num_parse_long(num, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX, &value) < 0) {
		a->bad++;
		return;
	}
	a->seen = true;
	a->set = true;
	a->value = (int)value;
	a->line = line;
}

/*
 * Reads one unit file's text for the last assignment of key in [section]
 * as systemd's config_parse() does: a line whose first non-blank is '#' or
 * ';' is a comment (also between continued lines), a line that ends in a
 * backslash goes on in the next one (the backslash becomes a blank), and
 * the last assignment wins (an empty one resets; a bad one is ignored,
 * as if it were not there).  Fills *a (zeroed first;
 * the line of a continued assignment is its first); returns 0, or -EINVAL
 * for a NUL byte (systemd refuses such a file).
 */
int units_parse(const char *text, size_t len, const char *section, const char *key, struct units_assign *a)
{
	char *joined = NULL;
	size_t jlen = 0, jcap = 0, pos = 0;
	unsigned line = 0, first = 0;
	bool in = false, cont = false;

	memset(a, 0, sizeof(*a));
	if (memchr(text, '\0', len))
		return -EINVAL;
	while (pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos, k = 0, end;
		bool escaped = false;

		pos += n + 1;
		line++;
		while (k < n && blank(l[k]))
			k++;
		if (k < n && (l[k] == '#' || l[k] == ';'))
			continue;
		if (!cont)
			first = line;
		/* a backslash that is not itself escaped, at the very end, continues the line */
		for (size_t i = 0; i < n; i++)
			escaped = !escaped && l[i] == '\\';
		end = n;
		if (jlen + end + 1 > jcap) {
			jcap = (jlen + end + 1) * 2;
			joined = xrealloc(joined, jcap);
		}
		memcpy(joined + jlen, l, end);
		jlen += end;
		if (escaped) {
			joined[jlen - 1] = ' ';
			cont = true;
			continue;
		}
		cont = false;
		parse_line(joined, jlen, first, section, key, &in, a);
		jlen = 0;
	}
	if (cont)
		parse_line(joined, jlen, first, section, key, &in, a);
	free(joined);
	return 0;
}

/* Tells whether c may be in a unit name (systemd's VALID_CHARS, and '@'). */
static bool name_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ':' || c == '-' ||
	       c == '_' || c == '.' || c == '\\' || c == '@';
}

/*
 * Tells whether name is a unit name systemd would take (unit_name_is_valid,
 * for the types oomtop meets): at most 255 characters of [0-9A-Za-z:_.\-@],
 * a prefix before any '@', and a suffix of a unit type.  A name that is
 * not never becomes a path: no '/', no NUL.
 */
bool units_name_valid(const char *name)
{
	static const char *const types[] = { ".service", ".scope", ".slice", ".socket", ".mount", ".swap", NULL };
	size_t n = strlen(name);
	const char *dot = strrchr(name, '.');
	bool typed = false;

	if (n == 0 || n >= UNIT_NAME_MAX || !dot || dot == name || name[0] == '@' || name[0] == '.')
		return false;
	for (size_t i = 0; types[i]; i++)
		typed |= strcmp(dot, types[i]) == 0;
	if (!typed)
		return false;
	for (const char *c = name; c < dot; c++)
		if (!name_char(*c))
			return false;
	return true;
}

/*
 * Writes the template of an instance name into out ("getty@tty1.service"
 * gives "getty@.service"); 0, or -EINVAL when name is not an instance.
 */
int units_template(const char *name, char *out, size_t size)
{
	const char *at = strchr(name, '@'), *dot = strrchr(name, '.');
	int n;

	if (!at || !dot || dot <= at + 1)
		return -EINVAL;
	n = snprintf(out, size, "%.*s%s", (int)(at + 1 - name), name, dot);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Appends the text of the drop-in that sets OOMScoreAdjust=adj. */
void units_dropin_text(struct strbuf *sb, int adj)
{
	sb_adds(sb, "# Written by oomtop protect --persist. Remove this file, then run systemctl daemon-reload,\n"
		    "# to undo it.\n");
	sb_addf(sb, "[Service]\nOOMScoreAdjust=%d\n", adj);
}

/* Writes where the drop-in of unit goes, as the machine names it; 0 or -ENAMETOOLONG (-EINVAL: a bad name). */
int units_dropin_path(const char *unit, char *out, size_t size)
{
	int n;

	if (!units_name_valid(unit))
		return -EINVAL;
	n = snprintf(out, size, "/etc/systemd/system/%s.d/" UNITS_DROPIN_NAME, unit);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * Compares what a unit declares (d) with what its n processes m hold:
 * held when every one holds the declared value, not held when some do
 * not, not declared when it declares none and some process holds other
 * than 0.  Fills *a (the first process that differs, by pid); returns
 * false when there is nothing to say: nothing declared and all at 0.
 */
bool units_audit(const struct units_decl *d, const struct units_member *m, size_t n, struct units_audit *a)
{
	const struct units_member *first = NULL;

	memset(a, 0, sizeof(*a));
	a->nprocs = n;
	for (size_t i = 0; i < n; i++) {
		bool differs = d->have_adj ? m[i].adj != d->adj : m[i].adj != 0;
		if (!differs)
			continue;
		a->nother++;
		if (!first || m[i].pid < first->pid)
			first = &m[i];
	}
	if (first) {
		a->other_pid = first->pid;
		snprintf(a->other_comm, sizeof(a->other_comm), "%s", first->comm ? first->comm : "");
		a->other_adj = first->adj;
	}
	if (d->have_adj) {
		a->state = a->nother ? UNITS_NOT_HELD : UNITS_HELD;
		return true;
	}
	a->state = UNITS_NOT_DECLARED;
	return a->nother > 0;
}

/* Returns the JSON name of a state. */
const char *units_state_name(enum units_state st)
{
	switch (st) {
	case UNITS_HELD:
		return "held";
	case UNITS_NOT_HELD:
		return "not_held";
	case UNITS_NOT_DECLARED:
		return "not_declared";
	}
	return "unknown";
}

/*
 * Tells who sets the oom_score_adj adj of a process of workload w (d: its
 * unit's declaration, for a service; NULL when not read): a service's unit
 * files, the range they set (none when they declare nothing); a pod's
 * kubelet, by its QoS class (pkg/kubelet/qos/policy.go: guaranteed -997,
 * besteffort 1000, burstable 1000 - 1000 * request / capacity clamped to
 * 3..999; a node-critical pod gets -997 whatever its class); else nothing
 * known.  Fills *o.
 */
void units_owner(const struct workload *w, const struct units_decl *d, int adj, struct units_owner *o)
{
	memset(o, 0, sizeof(*o));
	if (w->kind == WORKLOAD_SERVICE && d) {
		o->by = UNITS_OWNER_UNIT;
		o->have_range = d->have_adj && !d->masked;
		o->min = o->max = d->adj;
	} else if (w->kind == WORKLOAD_POD && w->qos != WORKLOAD_QOS_NONE) {
		o->by = UNITS_OWNER_KUBELET;
		o->have_range = true;
		if (w->qos == WORKLOAD_QOS_GUARANTEED) {
			o->min = o->max = UNITS_KUBELET_GUARANTEED;
		} else if (w->qos == WORKLOAD_QOS_BESTEFFORT) {
			o->min = o->max = UNITS_KUBELET_BESTEFFORT;
		} else {
			o->min = UNITS_KUBELET_BURSTABLE_MIN;
			o->max = UNITS_KUBELET_BURSTABLE_MAX;
		}
	}
	o->held = o->have_range && adj >= o->min && adj <= o->max;
}
